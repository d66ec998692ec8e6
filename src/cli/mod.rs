//! The command line: argument parsing and the one-shot commands
//! (`snapshot`, `sim`, `config`, `bench`). The console itself lives in
//! `crate::console`.

pub mod agents;
pub mod alert_bench;
pub mod bench;
pub mod cache_bench;
pub mod csv_read;
pub mod error;
pub mod export;
pub mod forecast_bench;
pub mod handover;
pub mod import;
pub mod lang;
pub mod lead;
pub mod report;
pub mod report_io;
pub mod store_cmd;
pub mod table;
pub mod window;

use crate::i18n::{Lang, Localize, Msg, t, tf};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

pub use error::CliError;
use error::{DateProblem, Output, Worker};

use crate::domain::Floor;
use crate::domain::time::Ts;
use crate::source::{self, LineError, Progress};

const ABOUT: &str = "A terminal console for customer-service shift leads: live queues, \
KPIs against targets, the feedback-closure board and the day's spot checks.";

const LONG_ABOUT: &str = "\
A terminal console for customer-service shift leads: live queues, KPIs against
targets, the feedback-closure board and the day's spot checks, computed from a
floor-feed data file (NDJSON, see docs/data-format.md).

Without a subcommand shiftdeck opens the console on --file PATH (followed live).";

const EXAMPLES: &str = "\
Examples:
  shiftdeck demo                           live console on simulated data (start here)
  shiftdeck --file floor.ndjson            console on a data file, followed as it grows
  shiftdeck --file floor.ndjson --huddle   big figures for the morning huddle, no customer ids
  shiftdeck snapshot --file floor.ndjson --format table
  shiftdeck snapshot --file week.ndjson --file today.ndjson --from 2026-11-16 --to 2026-11-22
  shiftdeck sim --out floor.ndjson --days 7 --agents 40 --seed 1
  shiftdeck config show                    the effective configuration, every key

Keys in the console: press ? for the full list.
Files: `shiftdeck config path` prints where the config, data and logs live.";

#[derive(Parser, Debug)]
#[command(name = "shiftdeck", version, about = ABOUT, long_about = LONG_ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    /// Floor-feed NDJSON file to open in the console; repeat for several
    /// (e.g. history + today; later lines win).
    #[arg(long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Poll a feed or CRM instead of a file: feed+http://HOST:PORT (or plain
    /// http(s)://…), rt+https://rt.example.com, zendesk+https://acme.zendesk.com.
    /// The token comes from [source] token_env / token_file in the config.
    #[arg(long, value_name = "URL")]
    pub crm: Option<String>,

    /// Config file (default: the user's config dir, or $SHIFTDECK_CONFIG).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Where shiftdeck keeps its data (demo feed, the lead's entries).
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Start in huddle mode: big figures, rotating panes, customer ids masked.
    #[arg(long)]
    pub huddle: bool,

    /// Language of the console and messages: en, zh or auto (default: the
    /// config's [display] lang, then LANG/LC_ALL).
    #[arg(long, value_name = "en|zh|auto", global = true, value_parser = crate::cli::lang::parse_lang)]
    pub lang: Option<crate::config::Lang>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the simulator live into a file in the data dir and open the console on it.
    Demo {
        /// Simulated seconds per real second (1 = real time).
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// Agents on the simulated floor.
        #[arg(long, default_value_t = 40)]
        agents: u32,
        /// Days of history before today.
        #[arg(long, default_value_t = 8)]
        days: u32,
        /// Seed of the simulation: the same seed gives the same floor.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Start in huddle mode.
        #[arg(long)]
        huddle: bool,
    },
    /// Print the KPIs, queues, SLA timers, feedback and spot checks once (JSON or a table).
    ///
    /// Exit status: 0 printed; 1 an error (a file that cannot be read, a bad
    /// config); 2 bad arguments; 3 the files hold no valid record at all
    /// (garbage, the wrong file), so a cron job notices.
    Snapshot {
        /// Floor-feed NDJSON file; repeat for several, loaded in order.
        #[arg(long = "file", value_name = "PATH", required_unless_present = "crm")]
        files: Vec<PathBuf>,
        /// Poll a feed or CRM instead of a file: feed+http://HOST:PORT (or plain
        /// http(s)://…), rt+https://rt.example.com, zendesk+https://acme.zendesk.com.
        /// The token comes from [source] token_env / token_file in the config.
        #[arg(long, value_name = "URL")]
        crm: Option<String>,
        /// Window start: RFC 3339 with offset, or a date (local midnight). Default: today.
        #[arg(long, value_name = "T")]
        from: Option<String>,
        /// Window end (exclusive): RFC 3339, or a date (the window then includes that date).
        #[arg(long, value_name = "T")]
        to: Option<String>,
        /// The clock for live figures, SLA timers and overdue (default: the system clock).
        #[arg(long, value_name = "T")]
        now: Option<String>,
        /// Output: JSON for programs, a table for people.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// With --crm on RT or Zendesk: load the CRM's full state, neither
        /// reading nor writing the warm-start cache in the data dir (as
        /// `[source] cache = false`). By default a valid cache is read and
        /// only what changed since is fetched.
        #[arg(long)]
        no_cache: bool,
    },
    /// Write a realistic simulated floor as NDJSON (demo and benchmark data).
    Sim {
        /// The NDJSON file to write (replaced if it exists).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Days to simulate.
        #[arg(long, default_value_t = 7)]
        days: u32,
        /// Agents on the simulated floor.
        #[arg(long, default_value_t = 40)]
        agents: u32,
        /// Seed of the simulation: the same seed gives the same floor.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// First simulated day (default: so that the last day is today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: Option<String>,
        /// Stop at this instant (RFC 3339); default: whole days, or now when the last day is today.
        #[arg(long, value_name = "T")]
        until: Option<String>,
        /// Keep simulating live into --out and serve it as the HTTP floor feed
        /// on ADDR (e.g. 127.0.0.1:8080), until Ctrl-C; open it with
        /// `shiftdeck --crm feed+http://127.0.0.1:8080`.
        #[arg(long, value_name = "ADDR")]
        serve: Option<std::net::SocketAddr>,
        /// With --serve: simulated seconds per real second.
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
    },
    /// Follow the sources and evaluate the alert rules with no terminal: print
    /// each alert fired or cleared as a JSON line, post the webhooks, and with
    /// --serve serve the followed floor to the team's consoles.
    ///
    /// Stops cleanly on SIGTERM or Ctrl-C (exit 0); a bad config, an
    /// unreadable webhook secret or a missing token exit 1 at start.
    Watch {
        /// Floor-feed NDJSON file to follow; repeat for several, in order.
        #[arg(long = "file", value_name = "PATH")]
        files: Vec<PathBuf>,
        /// Also serve the followed floor as the HTTP feed on ADDR (e.g.
        /// 0.0.0.0:8080); consoles follow it with --crm feed+http://HOST:PORT.
        /// Off loopback a bearer token is required.
        #[arg(long, value_name = "ADDR")]
        serve: Option<std::net::SocketAddr>,
        /// NAME of the environment variable that holds the bearer token the
        /// followers of --serve must send.
        #[arg(long, value_name = "NAME", conflicts_with = "token_file")]
        token_env: Option<String>,
        /// File that holds the bearer token the followers of --serve must send.
        #[arg(long, value_name = "PATH")]
        token_file: Option<PathBuf>,
    },
    /// Where files live, and the effective configuration.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// The lead's store (the SQLite file in the data dir, or [store] url):
    /// bring it to this shiftdeck's schema, or check it.
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Measure load, KPI and snapshot speed and memory on a data file.
    Bench {
        /// What to measure: speed and memory (default), or forecast: replay the file day by day and score the forecast against the naive one (WAPE).
        #[arg(value_enum)]
        what: Option<BenchWhat>,
        /// Floor-feed NDJSON file; repeat for several, loaded in order.
        #[arg(long = "file", value_name = "PATH", required = true)]
        files: Vec<PathBuf>,
        /// Repetitions of the KPI computation (the median is reported).
        #[arg(long, default_value_t = 5)]
        repeat: u32,
        /// Lines appended to a followed file to time the follower's
        /// event-to-screen time (0: not measured).
        #[arg(long, default_value_t = 30)]
        appends: u32,
    },
    /// Export the lead's spot-check scores, or the feedback follow-up changes and each item's current state (read-only).
    Export {
        /// What to export: the spot-check scorecards, or the feedback follow-up change log and each changed item's current state.
        #[arg(value_enum)]
        what: ExportWhat,
        /// First local date, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "D")]
        from: Option<String>,
        /// Last local date, included (default: --from).
        #[arg(long, value_name = "D")]
        to: Option<String>,
        /// Output: CSV (one row per entry) or JSON.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
    },
    /// Load spot-check scorecards or feedback follow-up events from a CSV file
    /// as `export` writes it (English or Chinese headers), e.g. scored in a
    /// spreadsheet.
    ///
    /// Columns are found by their header, in any order; `total` and `max` are
    /// recomputed, not read. Spot checks need day, contact, agent and every
    /// dimension of [scorecard]; the rest is optional (an empty author is you,
    /// an empty saved_at the time of the import). Feedback needs at, item,
    /// change and value.
    ///
    /// Safe to run again: an entry already in the store (the same scores,
    /// comment, scorer and time) is left out, so importing a file twice, or
    /// again after an interrupted import, leaves each entry once. A bad row is
    /// reported as FILE:LINE: reason and skipped; the other rows are saved,
    /// each whole or not at all. Every imported entry records who imported it.
    ///
    /// Exit status: 0 all rows imported or already there; 4 some rows were
    /// bad (the rest saved); 1 the file, its header or the store failed.
    Import {
        /// What the file holds: spot-check scorecards or feedback follow-up events.
        #[arg(value_enum)]
        what: ExportWhat,
        /// The CSV file; repeat for several, imported in order.
        #[arg(long = "file", value_name = "PATH", required = true)]
        files: Vec<PathBuf>,
    },
    /// Reports from the floor and the lead's notes: `report weekly`, `report agents`, `report handover`.
    Report {
        /// Poll a feed or CRM instead of a file: feed+http://HOST:PORT (or plain
        /// http(s)://…), rt+https://rt.example.com, zendesk+https://acme.zendesk.com.
        /// The token comes from [source] token_env / token_file in the config.
        #[arg(long, value_name = "URL", global = true)]
        crm: Option<String>,
        #[command(subcommand)]
        kind: report::ReportKind,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    ///
    /// bash: `shiftdeck completions bash > ~/.local/share/bash-completion/completions/shiftdeck`;
    /// zsh: `shiftdeck completions zsh > ~/.zfunc/_shiftdeck` (with ~/.zfunc in fpath);
    /// fish: `shiftdeck completions fish > ~/.config/fish/completions/shiftdeck.fish`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout: `shiftdeck man > shiftdeck.1; man ./shiftdeck.1`.
    Man {
        /// Write shiftdeck.1 and a page per subcommand (shiftdeck-snapshot.1, …) into DIR instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Durability test helper: save entries to DB and print each acknowledged id
    /// (built only with the `torture` feature).
    #[cfg(feature = "torture")]
    #[command(hide = true)]
    StoreTorture {
        /// The SQLite file; with --pg-url, the data dir's file name is ignored.
        #[arg(long, value_name = "PATH")]
        db: PathBuf,
        /// Save to this PostgreSQL server instead (postgres://…, no password).
        #[arg(long, value_name = "URL")]
        pg_url: Option<String>,
        /// The PostgreSQL schema to keep the tables in.
        #[arg(long, value_name = "NAME")]
        pg_schema: Option<String>,
        #[arg(long, default_value_t = 0)]
        start: u64,
        #[arg(long, default_value_t = u64::MAX)]
        count: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigAction {
    /// Print the paths of the config file, data dir and state (log) dir.
    Path,
    /// Print the effective configuration as TOML, every key.
    Show,
}

#[derive(Subcommand, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreAction {
    /// Bring the store to this shiftdeck's schema version (the console
    /// does it too when it opens the store for writing).
    Migrate,
    /// Where the store is, whether it answers, its schema version and its
    /// integrity; exit status 1 when any is wrong.
    Check,
}

/// What `bench` measures besides speed and memory.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchWhat {
    /// Replay the file day by day: WAPE of the forecast against the naive one.
    Forecast,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

/// Entry point of the binary.
pub fn main() -> std::process::ExitCode {
    let cli = parse(std::env::args_os());
    let lang = error_lang(&cli);
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader went away (`| head`): what it wanted, it has.
        Err(e) if e.is_broken_pipe() => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Errors quote files and servers: one sanitizer before the terminal.
            let text = e.localize(lang);
            let _ = writeln!(
                std::io::stderr().lock(),
                "shiftdeck: {}",
                crate::sanitize::sanitize_lines(&text)
            );
            std::process::ExitCode::from(e.exit_code())
        }
    }
}

/// Lines to stdout: a closed pipe is an error (for `main` to end quietly), never a panic.
fn print_lines<I, S>(lines: I) -> Result<(), CliError>
where
    I: IntoIterator<Item = S>,
    S: std::fmt::Display,
{
    let mut out = std::io::stdout().lock();
    lines
        .into_iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .and_then(|()| out.flush())
        .map_err(CliError::write(Output::Stdout))
}

/// The clap command with its texts in the language. English keeps the
/// texts written on `Cli` itself.
pub fn command(lang: Lang) -> clap::Command {
    use clap::CommandFactory;
    match lang {
        Lang::En => Cli::command(),
        Lang::Zh => crate::i18n::cli::chinese(Cli::command()),
    }
}

/// The completion script for `shell`, from the same clap definitions as
/// the parser (English texts: shells show them as they are).
pub fn completions(shell: clap_complete::Shell, out: &mut Vec<u8>) {
    let mut cmd = command(Lang::En);
    clap_complete::generate(shell, &mut cmd, "shiftdeck", out);
}

/// The manual page of the program (roff, `shiftdeck.1`), from the same
/// clap definitions as the parser.
pub fn man_page(out: &mut Vec<u8>) -> std::io::Result<()> {
    clap_mangen::Man::new(command(Lang::En)).render(out)
}

/// Writes `shiftdeck.1` and one `shiftdeck-COMMAND.1` per subcommand into
/// `dir` (made if missing).
pub fn man_pages_to(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(command(Lang::En), dir)
}

/// Bytes to stdout, as [`print_lines`] does lines.
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(CliError::write(Output::Stdout))
}

/// Parses argv; `--help`, `--version` and argument errors print and exit,
/// as `Cli::parse` does (errors with status 2), in the language of
/// `--lang` in argv or else the locale (the config is not read for `--help`).
pub fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> Cli {
    use clap::FromArgMatches;
    use clap::error::ErrorKind;
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let lang = crate::cli::lang::help_lang(&args);
    let matches = match command(lang).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => match lang {
            Lang::Zh
                if e.use_stderr()
                    && e.kind() != ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
            {
                eprint!("{}", crate::i18n::cli::error_zh(&e));
                std::process::exit(2);
            }
            _ => e.exit(),
        },
    };
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Saves entries `start..start + count` (a score, and every third also a
/// feedback event), acknowledging each on stdout once it is durable.
#[cfg(feature = "torture")]
fn store_torture(
    db: &Path,
    pg: Option<(&str, Option<String>)>,
    start: u64,
    count: u64,
) -> Result<(), CliError> {
    use crate::store::torture::{entry, event};
    let store = match pg {
        None => crate::store::Store::open(db)?,
        Some((url, schema)) => {
            let cfg = crate::config::StoreConfig {
                url: Some(crate::config::PgUrl::parse(url).map_err(|_| {
                    CliError::Store(crate::store::StoreError::Unreachable {
                        place: "--pg-url".into(),
                        detail: "not a postgres:// URL".into(),
                    })
                })?),
                schema,
                ..Default::default()
            };
            let dir = db.parent().unwrap_or(Path::new("."));
            crate::store::Store::open_at(&crate::store::StoreLocation::resolve(&cfg, dir)?)?
        }
    };
    let mut out = std::io::stdout().lock();
    let stdout = || CliError::write(Output::Stdout);
    for n in start..start.saturating_add(count) {
        let id = store.save_score(&entry(n))?;
        writeln!(out, "ack score {id} {n}").map_err(stdout())?;
        if n.is_multiple_of(3) {
            let id = store.add_feedback_event(&event(n))?;
            writeln!(out, "ack event {id} {n}").map_err(stdout())?;
        }
        out.flush().map_err(stdout())?;
    }
    Ok(())
}

/// The language errors are said in: `--lang`, else the config's (when it
/// can be read; a config error itself then follows the locale), else the
/// locale.
fn error_lang(cli: &Cli) -> Lang {
    let configured = crate::config::load(cli.config.as_deref())
        .map(|l| l.extra.display.lang)
        .unwrap_or(crate::config::Lang::Auto);
    Lang::choose(cli.lang, configured)
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        None => crate::runtime::console::run(crate::runtime::console::ConsoleOptions {
            files: cli.files,
            crm: cli.crm,
            config: cli.config,
            huddle: cli.huddle,
            lang: cli.lang,
            data_dir: cli.data_dir,
            ..Default::default()
        })
        .map_err(CliError::Console),
        Some(Command::Demo {
            speed,
            agents,
            days,
            seed,
            huddle,
        }) => demo(
            cli.config,
            cli.data_dir,
            speed,
            agents,
            days,
            seed,
            huddle || cli.huddle,
            cli.lang,
        ),
        Some(Command::Snapshot {
            files,
            crm,
            from,
            to,
            now,
            format,
            no_cache,
        }) => snapshot(
            cli.config.as_deref(),
            cli.data_dir.as_deref(),
            crm.as_deref().or(cli.crm.as_deref()),
            &files,
            from,
            to,
            now,
            format,
            no_cache,
            cli.lang,
        ),
        Some(Command::Sim {
            out,
            days,
            agents,
            seed,
            start,
            until,
            serve,
            speed,
        }) => match serve {
            Some(addr) => serve_sim(
                cli.config.as_deref(),
                out,
                agents,
                seed,
                days,
                speed,
                addr,
                cli.lang,
            ),
            None => sim(
                cli.config.as_deref(),
                &out,
                days,
                agents,
                seed,
                start,
                until,
                cli.lang,
            ),
        },
        Some(Command::Store { action }) => store_cmd::run(
            cli.config.as_deref(),
            cli.data_dir.as_deref(),
            action == StoreAction::Migrate,
            cli.lang,
        ),
        Some(Command::Watch {
            files,
            serve,
            token_env,
            token_file,
        }) => crate::runtime::watch::run(crate::runtime::watch::WatchOptions {
            files,
            crm: cli.crm,
            config: cli.config,
            data_dir: cli.data_dir,
            lang: cli.lang,
            serve,
            token_env,
            token_file,
            clock: None,
        })
        .map_err(CliError::Watch),
        Some(Command::Config { action }) => config(
            cli.config.as_deref(),
            cli.data_dir.as_deref(),
            action,
            cli.lang,
        ),
        Some(Command::Bench {
            what: None,
            files,
            repeat,
            appends,
        }) => bench::run(cli.config.as_deref(), &files, repeat, appends),
        Some(Command::Bench {
            what: Some(BenchWhat::Forecast),
            files,
            ..
        }) => forecast_bench::run(cli.config.as_deref(), &files),
        Some(Command::Export {
            what,
            from,
            to,
            format,
        }) => run_export(
            cli.config.as_deref(),
            cli.data_dir.as_deref(),
            what,
            from,
            to,
            format,
            cli.lang,
        ),
        Some(Command::Import { what, files }) => run_import(
            cli.config.as_deref(),
            cli.data_dir.as_deref(),
            what,
            &files,
            cli.lang,
        ),
        Some(Command::Report { crm, kind }) => report::run(
            cli.config.as_deref(),
            cli.data_dir.as_deref(),
            crm.as_deref().or(cli.crm.as_deref()),
            cli.lang,
            kind,
        ),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            completions(shell, &mut out);
            write_stdout(&out)
        }
        Some(Command::Man { dir: Some(dir) }) => {
            man_pages_to(&dir).map_err(CliError::write(Output::File(dir)))
        }
        Some(Command::Man { dir: None }) => {
            let mut out = Vec::new();
            man_page(&mut out).map_err(CliError::write(Output::Stdout))?;
            write_stdout(&out)
        }
        #[cfg(feature = "torture")]
        Some(Command::StoreTorture {
            db,
            pg_url,
            pg_schema,
            start,
            count,
        }) => store_torture(&db, pg_url.as_deref().map(|u| (u, pg_schema)), start, count),
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportWhat {
    SpotChecks,
    Feedback,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

fn run_export(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    what: ExportWhat,
    from: Option<String>,
    to: Option<String>,
    format: ExportFormat,
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let tz = loaded.settings.timezone;
    let day = |s: &str, flag: &'static str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CliError::Date {
            flag,
            value: s.to_owned(),
            why: DateProblem::from(e),
        })
    };
    let today = window::local_date(Ts::from_datetime(&chrono::Utc::now()), tz);
    let from = from
        .as_deref()
        .map(|s| day(s, "--from"))
        .transpose()?
        .unwrap_or(today);
    let to = to
        .as_deref()
        .map(|s| day(s, "--to"))
        .transpose()?
        .unwrap_or(from);
    if to < from {
        return Err(CliError::ToBeforeFrom { to, from });
    }
    let loc = lead::store_location(config_path, data_dir)?;
    let store = crate::store::Store::open_read_only_at(&loc)?;
    let what = match what {
        ExportWhat::SpotChecks => export::What::SpotChecks,
        ExportWhat::Feedback => export::What::Feedback,
    };
    let text = export::export(
        store.as_ref(),
        what,
        from,
        to,
        format == ExportFormat::Csv,
        tz,
        lang,
        &loaded.extra.feedback,
    )?;
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(CliError::write(Output::Export))?;
    Ok(())
}

fn run_import(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    what: ExportWhat,
    files: &[PathBuf],
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let loc = lead::store_location(config_path, data_dir)?;
    let mut store = crate::store::Store::open_at(&loc)?;
    store.set_author(&loaded.extra.user.author());
    let opts = import::Options {
        dimensions: loaded.extra.scorecard.dimensions.clone(),
        scale_max: loaded.extra.scorecard.scale_max,
        tz: loaded.settings.timezone,
        now: Ts::from_datetime(&chrono::Utc::now()),
    };
    let what = match what {
        ExportWhat::SpotChecks => import::What::SpotChecks,
        ExportWhat::Feedback => import::What::Feedback,
    };
    let mut bad = 0;
    let mut bad_files = Vec::new();
    for file in files {
        let report = import::import_file(&store, what, file, &opts, import_batch_done)
            .map_err(CliError::Import)?;
        for e in report.bad.iter().take(SHOWN_IMPORT_ERRORS) {
            eprintln!("{}", crate::sanitize::sanitize(&e.localize(lang)));
        }
        if report.bad.len() > SHOWN_IMPORT_ERRORS {
            eprintln!(
                "{}",
                tf(lang, Msg::CliFirstShown, &[&SHOWN_IMPORT_ERRORS]).trim()
            );
        }
        let name = crate::sanitize::sanitize(&file.display().to_string());
        print_lines([report.summary(lang, &name)])?;
        if !report.bad.is_empty() {
            bad += report.bad.len();
            bad_files.push(name);
        }
    }
    if bad > 0 {
        return Err(CliError::ImportBadRows {
            bad,
            files: bad_files.join(", "),
        });
    }
    Ok(())
}

/// How many bad rows of a file `import` lists.
const SHOWN_IMPORT_ERRORS: usize = 100;

/// After each committed batch of an import. With the `torture` feature,
/// `SHIFTDECK_IMPORT_PAUSE_MS` makes it say so on stderr and wait, so the
/// durability test can kill the import between batches.
#[allow(unused_variables)]
fn import_batch_done(done: u64) {
    #[cfg(feature = "torture")]
    if let Some(ms) = std::env::var("SHIFTDECK_IMPORT_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        eprintln!("import: committed {done}");
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// How many bad lines are listed before the count.
const SHOWN_LINE_ERRORS: usize = 20;

/// The first bad lines, `FILE:LINE: reason`, the reason in the language.
fn report_line_errors(lang: Lang, errors: &[LineError]) {
    for e in &errors[..errors.len().min(SHOWN_LINE_ERRORS)] {
        eprintln!("{}", crate::sanitize::sanitize(&e.localize(lang)));
    }
}

/// Load files with a progress line on stderr (when it is a terminal) and a
/// report of malformed lines, in the language.
pub fn load_with_report_in(files: &[PathBuf], lang: Lang) -> Result<Floor, CliError> {
    load_with_stats(files, lang).map(|(floor, _)| floor)
}

/// [`load_with_report_in`], with the counts of what was read.
pub fn load_with_stats(
    files: &[PathBuf],
    lang: Lang,
) -> Result<(Floor, source::IngestStats), CliError> {
    let mut floor = Floor::new();
    let mut errors: Vec<LineError> = Vec::new();
    let show = std::io::stderr().is_terminal();
    let mut last_pct = u64::MAX;
    let mut progress = |p: Progress| {
        if !show || p.bytes_total < (64 << 20) {
            return;
        }
        let pct = p.bytes_done * 100 / p.bytes_total.max(1);
        if pct != last_pct {
            last_pct = pct;
            eprint!(
                "\r{}",
                tf(
                    lang,
                    Msg::CliLoadingPct,
                    &[&p.path.display(), &format!("{pct:3}"), &p.stats.applied]
                )
            );
        }
    };
    let stats = source::load_files(files, &mut floor, &mut errors, &mut progress)?;
    if last_pct != u64::MAX {
        eprintln!();
    }
    report_line_errors(lang, &errors);
    if stats.malformed > 0 {
        let shown = if stats.malformed > SHOWN_LINE_ERRORS as u64 {
            tf(lang, Msg::CliFirstShown, &[&SHOWN_LINE_ERRORS])
        } else {
            String::new()
        };
        eprintln!(
            "{}{shown}",
            tf(
                lang,
                Msg::CliSkippedMalformed,
                &[&stats.malformed, &stats.lines]
            )
        );
    }
    for (name, n) in &floor.unknown_types {
        // The type's name comes from the data: sanitised like every such text.
        let name = crate::sanitize::sanitize(&clip_name(name));
        eprintln!("{}", tf(lang, Msg::CliSkippedUnknown, &[n, &name]));
    }
    Ok((floor, stats))
}

/// At most 60 characters of a name from the data, for a one-line report.
fn clip_name(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn snapshot(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    crm: Option<&str>,
    files: &[PathBuf],
    from: Option<String>,
    to: Option<String>,
    now: Option<String>,
    format: Format,
    no_cache: bool,
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let settings = &loaded.settings;
    let tz = settings.timezone;
    let now = match now {
        Some(s) => window::parse_instant(&s, tz, "--now")?,
        None => Ts::from_datetime(&chrono::Utc::now()),
    };
    let win = window::resolve(from.as_deref(), to.as_deref(), now, tz)?;
    let floor = match crm {
        Some(url) => {
            // The warm-start cache the console keeps, in the data dir.
            let cache_dir = if no_cache {
                None
            } else {
                crate::config::paths(config_path, data_dir)
                    .ok()
                    .map(|p| p.data_dir)
            };
            fetch_with_cache(url, &loaded.extra.source, cache_dir.as_deref(), lang)?
        }
        None => {
            let (floor, stats) = load_with_stats(files, lang)?;
            // Garbage or the wrong file: no figure can be trusted, and a cron
            // job must notice (exit status 3), not mail an all-dash table.
            if stats.applied == 0 {
                let names = files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(CliError::NoValidRecord {
                    files: names,
                    lines: stats.lines,
                });
            }
            floor
        }
    };
    // The lead's store, read-only: the day's stored sample and the QA KPIs.
    // The lead's store, read-only, this source's entries only.
    let source = lead::source_of(crm, files)?;
    let store = lead::open_store_read_only(config_path, data_dir, lang, &source)?;
    let (mut snap, qa) = lead::snapshot_with_store(&floor, settings, win, now, store.as_ref())?;
    snap.alerts = crate::runtime::alerting::alerts_now(&floor, settings, &snap, lang);
    let mut out = std::io::stdout().lock();
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&lead::snapshot_json(&snap, &qa, &source)?)
            .map_err(|e| CliError::Encode((&e).into()))?,
        Format::Table => {
            table::render_in(&snap, tz, lang)
                + &lead::qa_table_in(lang, &qa)
                + &lead::source_line_in(lang, &source)
                + &agents::table_in(lang, &snap.agents, &snap.queues)
        }
    };
    // Cells are sanitised as they are laid out; this pass catches any text
    // added later (JSON escapes its controls itself).
    let text = match format {
        Format::Json => text,
        Format::Table => crate::sanitize::sanitize_lines(&text),
    };
    writeln!(out, "{}", text.trim_end()).map_err(CliError::write(Output::Snapshot))?;
    Ok(())
}

/// Everything a polled source holds now, with malformed lines reported.
fn fetch_with_report(
    url: &str,
    source: &crate::config::SourceConfig,
    lang: Lang,
) -> Result<Floor, CliError> {
    fetch_with_cache(url, source, None, lang)
}

/// [`fetch_with_report`] through the warm-start cache in `data_dir` (when
/// given and `[source] cache` allows it): a valid cache and what changed
/// since, else the full state, which is then cached.
fn fetch_with_cache(
    url: &str,
    source: &crate::config::SourceConfig,
    data_dir: Option<&Path>,
    lang: Lang,
) -> Result<Floor, CliError> {
    use crate::source::poll::SourceSettings;
    use crate::source::spec::{SourceSpec, fetch_into_blocking};
    let spec = SourceSpec::parse_crm(url)?;
    let settings = SourceSettings::from_config(source)?.with_cache(source, data_dir);
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let stats = fetch_into_blocking(&spec, &settings, &mut floor, &mut errors).map_err(|err| {
        CliError::Fetch {
            label: spec.label(),
            err,
        }
    })?;
    report_line_errors(lang, &errors);
    if stats.malformed > 0 {
        eprintln!("{}", tf(lang, Msg::CliSkippedRecords, &[&stats.malformed]));
    }
    Ok(floor)
}

/// `sim --serve`: the live simulator writes `out`, the feed server serves it.
#[allow(clippy::too_many_arguments)]
fn serve_sim(
    config_path: Option<&Path>,
    out: PathBuf,
    agents: u32,
    seed: u64,
    days: u32,
    speed: f64,
    addr: std::net::SocketAddr,
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    if !(speed > 0.0 && speed <= 10_000.0) {
        return Err(CliError::Speed(speed));
    }
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let tz = loaded.settings.timezone;
    let now = Ts::from_datetime(&chrono::Utc::now());
    let opts = crate::sim::SimOptions {
        days,
        agents,
        seed,
        start: window::local_date(now, tz) - chrono::Duration::days(i64::from(days)),
        tz,
        until: Some(now),
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clock = crate::sim::LiveClock::starting_now(speed);
    let writer = {
        let (stop, out) = (stop.clone(), out.clone());
        std::thread::Builder::new()
            .name("sim-live".into())
            .spawn(move || crate::sim::run_live_with_clock(&opts, &out, &clock, &stop))
            .map_err(CliError::thread(Worker::Simulator))?
    };
    eprintln!("{}", tf(lang, Msg::CliServing, &[&out.display(), &addr]));
    let served = crate::source::serve::serve_feed_blocking(addr, out);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Ok(Err(e)) = writer.join() {
        let e = crate::i18n::detail::OsError::new(&e).localize(lang);
        eprintln!("{}", tf(lang, Msg::CliSimStopped, &[&e]));
    }
    served.map_err(|e| CliError::Serve {
        addr,
        err: (&e).into(),
    })
}

/// The snapshot at `now`: the spot-check list is drawn afresh for the local date of `now`.
pub fn snapshot_at(
    floor: &Floor,
    settings: &crate::domain::Settings,
    win: crate::domain::Window,
    now: Ts,
) -> crate::domain::Snapshot {
    let day = window::local_date(now, settings.timezone);
    let spot = crate::domain::sampling::spot_check(floor, settings, day, now, &[]);
    crate::domain::report::build_snapshot(floor, settings, win, now, spot)
}

#[allow(clippy::too_many_arguments)]
fn sim(
    config_path: Option<&Path>,
    out: &Path,
    days: u32,
    agents: u32,
    seed: u64,
    start: Option<String>,
    until: Option<String>,
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    if days == 0 || agents == 0 {
        return Err(CliError::DaysAgents);
    }
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let tz = loaded.settings.timezone;
    let now = Ts::from_datetime(&chrono::Utc::now());
    let start = match start {
        Some(s) => {
            chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| CliError::Start {
                value: s.clone(),
                why: e.into(),
            })?
        }
        None => window::local_date(now, tz) - chrono::Duration::days(days as i64 - 1),
    };
    let until = match until {
        Some(s) => Some(window::parse_instant(&s, tz, "--until")?),
        None => {
            let end = window::day_start(start + chrono::Duration::days(days as i64), tz);
            (now < end).then_some(now)
        }
    };
    let opts = crate::sim::SimOptions {
        days,
        agents,
        seed,
        start,
        tz,
        until,
    };
    let file = std::fs::File::create(out).map_err(CliError::create(out))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let t0 = std::time::Instant::now();
    let stats = crate::sim::generate(&opts, &mut w)
        .and_then(|s| w.flush().map(|_| s))
        .map_err(CliError::write(Output::File(out.to_path_buf())))?;
    eprintln!(
        "{}",
        tf(
            lang,
            Msg::CliSimWrote,
            &[
                &out.display(),
                &stats.lines,
                &stats.contacts,
                &stats.surveys,
                &stats.feedback,
                &stats.agent_states,
                &format!("{:.1}", t0.elapsed().as_secs_f64()),
            ]
        )
    );
    Ok(())
}

/// The language: `--lang`, else the config's (when it can be read: a
/// command that must work with a broken config uses this), else the
/// environment's.
pub fn lang_even_if_broken(config_path: Option<&Path>, lang: Option<crate::config::Lang>) -> Lang {
    let configured = crate::config::load(config_path)
        .map(|l| l.extra.display.lang)
        .unwrap_or_default();
    Lang::choose(lang, configured)
}

fn config(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    action: ConfigAction,
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    // `config path` must work even when the config file is broken.
    let lang = lang_even_if_broken(config_path, lang);
    match action {
        ConfigAction::Path => {
            let p = crate::config::paths(config_path, data_dir).map_err(CliError::Paths)?;
            print_lines([
                tf(lang, Msg::CliPathConfig, &[&p.config_file.display()]),
                tf(lang, Msg::CliPathData, &[&p.data_dir.display()]),
                tf(lang, Msg::CliPathState, &[&p.state_dir.display()]),
            ])
        }
        ConfigAction::Show => {
            let loaded = CliError::load_config(config_path)?;
            let head = match &loaded.file {
                Some(f) => tf(lang, Msg::CliShowFrom, &[&f.display()]),
                None => t(lang, Msg::CliShowDefaults).to_owned(),
            };
            // The TOML as written; only its comments are in the reader's language.
            let dump = crate::config::dump_in(&loaded, lang);
            print_lines([head, dump.trim_end_matches('\n').to_owned()])
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn demo(
    config: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    speed: f64,
    agents: u32,
    days: u32,
    seed: u64,
    huddle: bool,
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    if !(speed > 0.0 && speed <= 10_000.0) {
        return Err(CliError::Speed(speed));
    }
    let loaded = CliError::load_config(config.as_deref())?;
    let tz = loaded.settings.timezone;
    let paths =
        crate::config::paths(config.as_deref(), data_dir.as_deref()).map_err(CliError::Paths)?;
    let dir = paths.data_dir.join("demo");
    std::fs::create_dir_all(&dir).map_err(CliError::create(&dir))?;
    let path = dir.join("floor.ndjson");
    let now = Ts::from_datetime(&chrono::Utc::now());
    let opts = crate::sim::SimOptions {
        days: days + 1,
        agents,
        seed,
        start: window::local_date(now, tz) - chrono::Duration::days(days as i64),
        tz,
        until: Some(now),
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // One clock for the simulator and the console: at --speed 60 a minute
    // passes every second for both, so timers and "now" agree with the data.
    let clock = std::sync::Arc::new(crate::sim::LiveClock::starting_now(speed));
    let writer = {
        let stop = stop.clone();
        let path = path.clone();
        let clock = clock.clone();
        std::thread::Builder::new()
            .name("demo-sim".into())
            .spawn(move || crate::sim::run_live_with_clock(&opts, &path, &clock, &stop))
            .map_err(CliError::thread(Worker::Simulator))?
    };
    // Wait until the history is on disk, so the console opens on a full floor.
    let t0 = std::time::Instant::now();
    let mut last_len = 0;
    while t0.elapsed() < std::time::Duration::from_secs(60) && !writer.is_finished() {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if len > 0 && len == last_len {
            break;
        }
        last_len = len;
    }
    let result = crate::runtime::console::run(crate::runtime::console::ConsoleOptions {
        files: vec![path.clone()],
        config,
        huddle,
        source_label: format!("demo ×{speed} {}", path.display()),
        simulated: true,
        lang,
        clock: Some(std::sync::Arc::new(move || clock.now())),
        data_dir: data_dir.clone(),
        ..Default::default()
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    match writer.join() {
        Ok(Err(e)) => tracing::warn!("demo simulator stopped: {e}"),
        Err(_) => tracing::warn!("demo simulator panicked"),
        Ok(Ok(())) => {}
    }
    result.map_err(CliError::Console)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_torture_exists_only_with_its_feature() {
        let parsed = Cli::try_parse_from(["shiftdeck", "store-torture", "--db", "x.db"]);
        assert_eq!(parsed.is_ok(), cfg!(feature = "torture"), "{parsed:?}");
    }

    #[test]
    fn sim_serves_only_with_serve() {
        let parse = |args: &[&str]| match Cli::try_parse_from(args).map(|c| c.command) {
            Ok(Some(Command::Sim { serve, speed, .. })) => (serve, speed),
            other => panic!("{other:?}"),
        };
        assert_eq!(parse(&["shiftdeck", "sim", "--out", "f"]), (None, 1.0));
        let addr = "127.0.0.1:8080".parse().ok();
        let args = [
            "shiftdeck",
            "sim",
            "--out",
            "f",
            "--serve",
            "127.0.0.1:8080",
        ];
        assert_eq!(parse(&args), (addr, 1.0));
    }
}
