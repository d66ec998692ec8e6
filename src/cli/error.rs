//! Why a command failed, as a typed value that says itself in the lead's
//! language ([`Localize`]); `main` prints it after `shiftdeck: `. `Display`
//! is the English, for logs and tests.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::{ConfigError, PathsError};
use crate::domain::time::{Ts, TsError};
use crate::english_display;
use crate::i18n::detail::{JsonError, OsError};
use crate::i18n::{Lang, Localize, Msg, t, tf};
use crate::runtime::error::ConsoleError;
use crate::source::LoadError;
use crate::source::http::SourceError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The configuration could not be read.
    Config(ConfigError),
    /// No home folder to find the config or keep data in.
    Paths(PathsError),
    /// The console stopped on an error.
    Console(ConsoleError),
    /// `watch` could not start.
    Watch(crate::runtime::watch::WatchError),
    Source(SourceError),
    /// Fetching from a polled source (`snapshot --crm`).
    Fetch {
        label: String,
        err: SourceError,
    },
    Load(LoadError),
    Store(StoreError),
    /// `--from`/`--to` of `export`: a date.
    Date {
        flag: &'static str,
        value: String,
        why: DateProblem,
    },
    ToBeforeFrom {
        to: NaiveDate,
        from: NaiveDate,
    },
    /// `--from`/`--to`/`--now`/`--until`: an instant.
    Instant {
        flag: &'static str,
        value: String,
        why: TsError,
    },
    EmptyWindow {
        from: Ts,
        to: Ts,
    },
    Week(String),
    /// `--shift` that is not HH:MM-HH:MM.
    Shift(String),
    GiveFile,
    Write {
        to: Output,
        err: OsError,
    },
    Create {
        path: PathBuf,
        err: OsError,
    },
    Speed(f64),
    DaysAgents,
    Start {
        value: String,
        why: DateProblem,
    },
    Notes {
        week: String,
        err: StoreError,
    },
    Sample(StoreError),
    Scores(StoreError),
    Encode(JsonError),
    Thread {
        what: Worker,
        err: OsError,
    },
    Serve {
        addr: SocketAddr,
        err: OsError,
    },
    NothingToMeasure,
    /// `snapshot` read files without a single valid record (garbage, the
    /// wrong file): exit status [`EXIT_NO_VALID_RECORD`].
    NoValidRecord {
        files: String,
        lines: u64,
    },
    /// `import` stopped: an unreadable file or header, or a failed save.
    Import(super::import::ImportError),
    /// `import` skipped bad rows (each reported) and saved the others:
    /// exit status [`EXIT_BAD_ROWS`].
    ImportBadRows {
        bad: usize,
        files: String,
    },
}

/// Exit status of `import` when some rows were bad and skipped (the rest
/// saved), so a script notices.
pub const EXIT_BAD_ROWS: u8 = 4;

/// Exit status of `snapshot` when its files hold no valid record at all,
/// so a cron job notices. Other errors exit 1, argument errors 2.
pub const EXIT_NO_VALID_RECORD: u8 = 3;

/// Where output was being written.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    File(PathBuf),
    Report,
    Export,
    Snapshot,
    /// Standard output (`config`, `bench`, the store test's acknowledgements).
    Stdout,
}

/// A thread the command starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    Simulator,
}

/// Why a `YYYY-MM-DD` date was refused, by chrono's kind of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// A month 13, a day 32.
    OutOfRange,
    /// Not written as a date.
    Form,
}

impl From<chrono::ParseError> for DateProblem {
    fn from(e: chrono::ParseError) -> DateProblem {
        use chrono::format::ParseErrorKind as K;
        match e.kind() {
            K::OutOfRange | K::Impossible => DateProblem::OutOfRange,
            _ => DateProblem::Form,
        }
    }
}

impl From<SourceError> for CliError {
    fn from(e: SourceError) -> CliError {
        CliError::Source(e)
    }
}

impl From<LoadError> for CliError {
    fn from(e: LoadError) -> CliError {
        CliError::Load(e)
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> CliError {
        CliError::Store(e)
    }
}

impl CliError {
    /// The process's exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::NoValidRecord { .. } => EXIT_NO_VALID_RECORD,
            CliError::ImportBadRows { .. } => EXIT_BAD_ROWS,
            _ => 1,
        }
    }

    /// A write to standard output whose reader went away (`| head`): what
    /// it wanted, it has, so `main` ends quietly.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            CliError::Write { err, .. } => err.kind == std::io::ErrorKind::BrokenPipe,
            CliError::Console(ConsoleError::Step { err, .. }) => {
                err.kind == std::io::ErrorKind::BrokenPipe
            }
            _ => false,
        }
    }

    /// The configuration (`--config`, else `$SHIFTDECK_CONFIG`, else the
    /// user's config folder).
    pub fn load_config(
        config: Option<&std::path::Path>,
    ) -> Result<crate::config::Loaded, CliError> {
        let location = crate::config::config_location(config).map_err(CliError::Paths)?;
        crate::config::load_at(&location).map_err(CliError::Config)
    }

    pub fn write(to: Output) -> impl FnOnce(std::io::Error) -> CliError {
        move |e| CliError::Write {
            to,
            err: (&e).into(),
        }
    }

    pub fn create(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> CliError {
        let path = path.to_path_buf();
        move |e| CliError::Create {
            path,
            err: (&e).into(),
        }
    }

    pub fn thread(what: Worker) -> impl FnOnce(std::io::Error) -> CliError {
        move |e| CliError::Thread {
            what,
            err: (&e).into(),
        }
    }
}

impl Localize for DateProblem {
    fn localize(&self, lang: Lang) -> String {
        t(
            lang,
            match self {
                DateProblem::OutOfRange => Msg::ErrDateOutOfRange,
                DateProblem::Form => Msg::ErrDateForm,
            },
        )
        .to_owned()
    }
}

impl Localize for CliError {
    fn localize(&self, lang: Lang) -> String {
        use CliError as E;
        match self {
            E::Config(e) => e.localize(lang),
            E::Paths(e) => e.localize(lang),
            E::Console(e) => e.localize(lang),
            E::Watch(e) => e.localize(lang),
            E::Source(e) => e.localize(lang),
            E::Fetch { label, err } => tf(lang, Msg::ErrFetch, &[label, &err.localize(lang)]),
            E::Load(e) => e.localize(lang),
            E::Store(e) => e.localize(lang),
            E::Date { flag, value, why } => tf(
                lang,
                Msg::ErrDate,
                &[flag, &format!("{value:?}"), &why.localize(lang)],
            ),
            E::ToBeforeFrom { to, from } => tf(lang, Msg::ErrToBeforeFrom, &[to, from]),
            E::Instant { flag, value, why } => tf(
                lang,
                Msg::ErrInstant,
                &[flag, &format!("'{value}'"), &why.localize(lang)],
            ),
            E::EmptyWindow { from, to } => tf(lang, Msg::ErrEmptyWindow, &[to, from]),
            E::Week(w) => tf(lang, Msg::ErrWeek, &[&format!("{:?}", w.trim())]),
            E::Shift(s) => tf(lang, Msg::ErrShift, &[&format!("{:?}", s.trim())]),
            E::GiveFile => t(lang, Msg::ErrGiveFile).to_owned(),
            E::Write { to, err } => {
                let err = err.localize(lang);
                match to {
                    Output::File(p) => tf(lang, Msg::ErrWriting, &[&p.display(), &err]),
                    Output::Report => tf(lang, Msg::ErrWritingReport, &[&err]),
                    Output::Export => tf(lang, Msg::ErrWritingExport, &[&err]),
                    Output::Snapshot => tf(lang, Msg::ErrWritingSnapshot, &[&err]),
                    Output::Stdout => tf(lang, Msg::ErrWritingStdout, &[&err]),
                }
            }
            E::Create { path, err } => tf(
                lang,
                Msg::ErrCannotCreate,
                &[&path.display(), &err.localize(lang)],
            ),
            E::Speed(s) => tf(lang, Msg::ErrSpeed, &[s]),
            E::DaysAgents => t(lang, Msg::ErrDaysAgents).to_owned(),
            E::Start { value, why } => tf(lang, Msg::ErrStart, &[value, &why.localize(lang)]),
            E::Notes { week, err } => tf(lang, Msg::ErrReadingNotes, &[week, &err.localize(lang)]),
            E::Sample(err) => tf(lang, Msg::ErrReadingSample, &[&err.localize(lang)]),
            E::Scores(err) => tf(lang, Msg::ErrReadingScores, &[&err.localize(lang)]),
            E::Encode(err) => tf(lang, Msg::ErrEncoding, &[&err.localize(lang)]),
            E::Thread { what, err } => {
                let m = match what {
                    Worker::Simulator => Msg::ErrStartSimulator,
                };
                tf(lang, m, &[&err.localize(lang)])
            }
            E::Serve { addr, err } => tf(lang, Msg::ErrServe, &[addr, &err.localize(lang)]),
            E::NothingToMeasure => t(lang, Msg::ErrNothingToMeasure).to_owned(),
            E::NoValidRecord { files, lines } => tf(lang, Msg::ErrNoValidRecord, &[files, lines]),
            E::Import(e) => e.localize(lang),
            E::ImportBadRows { bad, files } => tf(lang, Msg::ImportBadRows, &[bad, files]),
        }
    }
}

english_display!(CliError);

impl CliError {
    /// One example of every variant (but the two not yet typed), for the
    /// catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<CliError> {
        let os = || OsError::new(&std::io::Error::from_raw_os_error(28));
        let day = NaiveDate::from_ymd_opt(2026, 11, 16).expect("date");
        let json = serde_json::from_str::<serde_json::Value>("[1,").expect_err("eof");
        vec![
            CliError::Paths(PathsError::NoHomeForConfig),
            CliError::Paths(PathsError::NoHomeForData),
            CliError::Source(SourceError::ZendeskNeedsEmail),
            CliError::Fetch {
                label: "RT https://rt.example.com".into(),
                err: SourceError::NeedsToken(crate::source::error::Service::Rt),
            },
            CliError::Load(LoadError::Open {
                path: "/srv/f.ndjson".into(),
                err: os(),
            }),
            CliError::Store(StoreError::TooNew { found: 9, known: 3 }),
            CliError::Date {
                flag: "--from",
                value: "2026-13-01".into(),
                why: DateProblem::OutOfRange,
            },
            CliError::Date {
                flag: "--to",
                value: "monday".into(),
                why: DateProblem::Form,
            },
            CliError::ToBeforeFrom {
                to: day,
                from: day.succ_opt().expect("date"),
            },
            CliError::Instant {
                flag: "--now",
                value: "2026-11-22T09:00:00".into(),
                why: TsError::NoOffset,
            },
            CliError::EmptyWindow {
                from: Ts::from_secs(86_400),
                to: Ts::from_secs(0),
            },
            CliError::Week("2026-W99".into()),
            CliError::Shift("8-16".into()),
            CliError::GiveFile,
            CliError::Write {
                to: Output::File("/x.csv".into()),
                err: os(),
            },
            CliError::Write {
                to: Output::Report,
                err: os(),
            },
            CliError::Write {
                to: Output::Export,
                err: os(),
            },
            CliError::Write {
                to: Output::Snapshot,
                err: os(),
            },
            CliError::Write {
                to: Output::Stdout,
                err: os(),
            },
            CliError::Console(ConsoleError::Paths(PathsError::NoHomeForData)),
            CliError::Create {
                path: "/var/x.ndjson".into(),
                err: os(),
            },
            CliError::Speed(0.0),
            CliError::DaysAgents,
            CliError::Start {
                value: "2026-13-01".into(),
                why: DateProblem::OutOfRange,
            },
            CliError::Notes {
                week: "2026-W47".into(),
                err: StoreError::Locked("/d/shiftdeck.db".into()),
            },
            CliError::Sample(StoreError::Locked("/d/shiftdeck.db".into())),
            CliError::Scores(StoreError::Locked("/d/shiftdeck.db".into())),
            CliError::Encode(JsonError::new(&json)),
            CliError::Thread {
                what: Worker::Simulator,
                err: os(),
            },
            CliError::Serve {
                addr: "127.0.0.1:8080".parse().expect("addr"),
                err: OsError::of_kind(std::io::ErrorKind::AddrInUse),
            },
            CliError::NothingToMeasure,
            CliError::Watch(crate::runtime::watch::WatchError::NoSource),
            CliError::NoValidRecord {
                files: "/etc/passwd".into(),
                lines: 31,
            },
            CliError::Write {
                to: Output::Stdout,
                err: os(),
            },
            CliError::Import(super::import::ImportError::Read {
                path: "/q/scores.csv".into(),
                err: OsError::of_kind(std::io::ErrorKind::NotFound),
            }),
            CliError::Import(super::import::ImportError::Header(
                super::import::RowError {
                    file: "/q/scores.csv".into(),
                    line: 1,
                    problem: super::import::RowProblem::MissingColumn(
                        super::import::Column::Known(Msg::CsvContact),
                    ),
                },
            )),
            CliError::Import(super::import::ImportError::Store {
                file: "/q/scores.csv".into(),
                done: 2000,
                err: StoreError::Locked("/d/shiftdeck.db".into()),
            }),
            CliError::ImportBadRows {
                bad: 3,
                files: "/q/scores.csv".into(),
            },
        ]
    }
}
