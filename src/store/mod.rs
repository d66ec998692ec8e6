//! The lead's own entries: spot-check samples and scorecards, feedback
//! follow-up events, KPI notes, the CRM write-back outbox and scorecard
//! claims. One interface, [`Store`] over the [`backend::Backend`] trait,
//! and two backends: a SQLite file in the data dir (the default) and a
//! PostgreSQL server a team shares (`[store] url`, see docs/store.md).
//!
//! Durability: a write returns only once it is committed and durable; the
//! UI says "saved" only after that. Each write is one transaction: a crash
//! leaves either the whole entry or none of it.
//!
//! Sources: every entry belongs to the source it was entered against
//! ([`SourceId`], SQLite schema v4); a handle reads and writes one source's
//! entries ([`Store::for_source`]), `export` reads every source's.
//!
//! Bad conditions: a locked or corrupt file, one from a newer build, or a
//! PostgreSQL server that cannot be reached, is reported by
//! [`open_for_console_at`] as a clear message with the store opened
//! read-only when it can be, or not at all; the console keeps running.

pub mod alerts;
pub mod backend;
pub mod claims;
pub mod feedback;
pub mod handover;
pub mod import;
pub mod location;
pub mod notes;
pub mod outbox;
pub mod pg;
pub mod schema;
pub mod spot_checks;
pub mod sqlite;
mod sqlite_backend;
pub mod torture;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::ErrorCode;

use crate::domain::{SourceId, Ts, Window};
use crate::i18n::detail::OsError;
use crate::i18n::{Lang, Localize, Msg, t, tf};

pub use alerts::{AlertAck, AlertDelivery, AlertEvent, AlertRecord};
pub use backend::{Backend, BackendKind, ChangeStamp, Claim};
pub use feedback::{FeedbackChange, FeedbackEvent, NewFeedbackEvent};
pub use handover::HandoverAck;
pub use import::{Imported, ImportedEvent, ImportedScore};
pub use location::StoreLocation;
pub use notes::KpiNote;
pub use outbox::{NewOutboxEntry, OutboxEntry, OutboxSummary};
pub use spot_checks::{SampleRow, SpotScore};

/// The store's file name inside the data dir.
pub const FILE_NAME: &str = "shiftdeck.db";

/// Where the store lives in a data dir.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// Why the store failed; says itself in the lead's language ([`Localize`]),
/// `Display` is the English for the log. SQLite's failures are kept by
/// their code, the OS's by their kind.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    Locked(PathBuf),
    /// `detail` is SQLite's verdict (`quick_check`) or its own words.
    Corrupt(PathBuf, String),
    TooNew {
        found: i64,
        known: i64,
    },
    /// A shared store at an older schema opened read-only: `shiftdeck
    /// store migrate` (or any console) brings it up to date.
    NeedsMigrate {
        found: i64,
        known: i64,
    },
    ReadOnly(ReadOnly),
    Dir(PathBuf, OsError),
    Sql(SqlError),
    /// The PostgreSQL server at `place` (`host:port/db`) cannot be reached
    /// or dropped the connection; `detail` is the client's words (which
    /// never hold the password).
    Unreachable {
        place: String,
        detail: String,
    },
    /// PostgreSQL refused an operation.
    Pg(PgError),
    /// The store at `place` fails its integrity check (`store check`).
    Unsound {
        place: String,
        detail: String,
    },
    /// `[store] password_env` names a variable that is not set.
    PasswordEnv(String),
    /// `[store] password_file` cannot be read.
    PasswordFile(PathBuf, OsError),
}

/// A PostgreSQL failure: its SQLSTATE when the server sent one, and the
/// client's words for the log.
#[derive(Debug, Clone, PartialEq)]
pub struct PgError {
    pub sqlstate: Option<String>,
    pub text: String,
}

impl PgError {
    /// The catalogue's words for the SQLSTATE's class, when it has some.
    fn msg(&self) -> Option<Msg> {
        let code = self.sqlstate.as_deref()?;
        Some(match code {
            "25006" => Msg::SqlReadOnly,
            "53100" => Msg::SqlFull,
            "53200" => Msg::SqlNoMemory,
            "42501" | "28000" | "28P01" => Msg::SqlPermission,
            "40001" | "40P01" | "55P03" => Msg::SqlBusy,
            "57014" => Msg::SqlInterrupted,
            c if c.starts_with("23") => Msg::SqlConstraint,
            c if c.starts_with("22") => Msg::SqlTooBig,
            c if c.starts_with("XX") => Msg::SqlCorrupt,
            _ => return None,
        })
    }
}

impl Localize for PgError {
    fn localize(&self, lang: Lang) -> String {
        match (lang, self.msg()) {
            (Lang::En, _) => self.text.clone(),
            (_, Some(m)) => t(lang, m).to_owned(),
            (_, None) => tf(lang, Msg::SqlOtherDetail, &[&self.text]),
        }
    }
}

/// Why a store refuses writes.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadOnly {
    /// Opened read-only on purpose (`snapshot`, `export`, `report`).
    Opened,
    /// Opening it for writing failed.
    Because(Box<StoreError>),
}

/// A SQLite or rusqlite failure, by its code; SQLite's words kept for the log.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlError {
    pub code: Option<ErrorCode>,
    /// rusqlite's own failures (no SQLite code): reading a stored value.
    pub bad_value: bool,
    pub text: String,
}

impl From<rusqlite::Error> for SqlError {
    fn from(e: rusqlite::Error) -> SqlError {
        use rusqlite::Error as R;
        let bad_value = matches!(
            e,
            R::FromSqlConversionFailure(..)
                | R::IntegralValueOutOfRange(..)
                | R::InvalidColumnType(..)
                | R::ToSqlConversionFailure(_)
                | R::Utf8Error(..)
        );
        SqlError {
            code: e.sqlite_error_code(),
            bad_value,
            text: e.to_string(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sql(e.into())
    }
}

/// The catalogue's words for a SQLite result code.
fn sqlite_msg(code: ErrorCode) -> Msg {
    use ErrorCode as C;
    match code {
        C::DatabaseBusy | C::DatabaseLocked => Msg::SqlBusy,
        C::DatabaseCorrupt | C::NotADatabase => Msg::SqlCorrupt,
        C::ReadOnly => Msg::SqlReadOnly,
        C::SystemIoFailure => Msg::SqlIo,
        C::DiskFull => Msg::SqlFull,
        C::CannotOpen => Msg::SqlCannotOpen,
        C::PermissionDenied => Msg::SqlPermission,
        C::OutOfMemory => Msg::SqlNoMemory,
        C::ConstraintViolation => Msg::SqlConstraint,
        C::SchemaChanged => Msg::SqlSchemaChanged,
        C::TooBig => Msg::SqlTooBig,
        C::TypeMismatch => Msg::SqlMismatch,
        C::FileLockingProtocolFailed => Msg::SqlLockProtocol,
        C::OperationInterrupted | C::OperationAborted => Msg::SqlInterrupted,
        _ => Msg::SqlOther,
    }
}

impl Localize for SqlError {
    fn localize(&self, lang: Lang) -> String {
        match (lang, self.code) {
            (Lang::En, _) => self.text.clone(),
            (_, Some(code)) => t(lang, sqlite_msg(code)).to_owned(),
            (_, None) if self.bad_value => tf(lang, Msg::SqlBadValue, &[&self.text]),
            (_, None) => tf(lang, Msg::SqlOtherDetail, &[&self.text]),
        }
    }
}

impl Localize for ReadOnly {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ReadOnly::Opened => t(lang, Msg::StoreOpenedReadOnly).to_owned(),
            ReadOnly::Because(e) => e.localize(lang),
        }
    }
}

impl Localize for StoreError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            StoreError::Locked(p) => tf(lang, Msg::StoreLocked, &[&p.display()]),
            StoreError::Corrupt(p, detail) => tf(lang, Msg::StoreCorrupt, &[&p.display(), detail]),
            StoreError::TooNew { found, known } => tf(lang, Msg::StoreTooNew, &[found, known]),
            StoreError::NeedsMigrate { found, known } => {
                tf(lang, Msg::StoreNeedsMigrate, &[found, known])
            }
            StoreError::ReadOnly(why) => tf(lang, Msg::StoreReadOnly, &[&why.localize(lang)]),
            StoreError::Dir(p, e) => tf(lang, Msg::StoreDir, &[&p.display(), &e.localize(lang)]),
            StoreError::Sql(e) => tf(lang, Msg::StoreSql, &[&e.localize(lang)]),
            StoreError::Unreachable { place, detail } => {
                tf(lang, Msg::StoreUnreachable, &[place, detail])
            }
            StoreError::Pg(e) => tf(lang, Msg::StoreSql, &[&e.localize(lang)]),
            StoreError::Unsound { place, detail } => tf(lang, Msg::StoreUnsound, &[place, detail]),
            StoreError::PasswordEnv(name) => tf(lang, Msg::StorePasswordEnv, &[name]),
            StoreError::PasswordFile(p, e) => tf(
                lang,
                Msg::StorePasswordFile,
                &[&p.display(), &e.localize(lang)],
            ),
        }
    }
}

crate::english_display!(StoreError);

impl StoreError {
    pub(crate) fn at(path: &Path, e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked(path.to_path_buf())
            }
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt(path.to_path_buf(), e.to_string())
            }
            _ => StoreError::from(e),
        }
    }

    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<StoreError> {
        let p = PathBuf::from("/d/shiftdeck.db");
        let sql = |code: i32| {
            StoreError::from(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
        };
        let mut v = vec![
            StoreError::Locked(p.clone()),
            StoreError::Corrupt(p.clone(), "file is not a database".into()),
            StoreError::TooNew { found: 9, known: 3 },
            StoreError::NeedsMigrate { found: 0, known: 1 },
            StoreError::ReadOnly(ReadOnly::Opened),
            StoreError::ReadOnly(ReadOnly::Because(Box::new(StoreError::Locked(p.clone())))),
            StoreError::Dir(
                p.clone(),
                OsError::new(&std::io::Error::from_raw_os_error(13)),
            ),
            StoreError::from(rusqlite::Error::QueryReturnedNoRows),
            StoreError::Unreachable {
                place: "db.example.com:5432/shiftdeck".into(),
                detail: "error connecting to server: Connection refused (os error 111)".into(),
            },
            StoreError::PasswordEnv("SHIFTDECK_PG_PASSWORD".into()),
            StoreError::Unsound {
                place: "127.0.0.1:5432/shiftdeck".into(),
                detail: "missing: outbox.claimed_by".into(),
            },
            StoreError::PasswordFile(
                "/etc/shiftdeck/pg.pass".into(),
                OsError::new(&std::io::Error::from_raw_os_error(2)),
            ),
            StoreError::from(rusqlite::Error::InvalidColumnType(
                0,
                "day".into(),
                rusqlite::types::Type::Null,
            )),
        ];
        use rusqlite::ffi;
        for code in [
            ffi::SQLITE_BUSY,
            ffi::SQLITE_CORRUPT,
            ffi::SQLITE_READONLY,
            ffi::SQLITE_IOERR,
            ffi::SQLITE_FULL,
            ffi::SQLITE_CANTOPEN,
            ffi::SQLITE_PERM,
            ffi::SQLITE_NOMEM,
            ffi::SQLITE_CONSTRAINT,
            ffi::SQLITE_SCHEMA,
            ffi::SQLITE_TOOBIG,
            ffi::SQLITE_MISMATCH,
            ffi::SQLITE_PROTOCOL,
            ffi::SQLITE_INTERRUPT,
            ffi::SQLITE_ERROR,
        ] {
            v.push(sql(code));
        }
        for code in [
            "25006", "53100", "53200", "42501", "40001", "57014", "23505", "22003", "XX001",
            "42P01",
        ] {
            v.push(StoreError::Pg(PgError {
                sqlstate: Some(code.into()),
                text: format!("db error: {code}"),
            }));
        }
        v
    }
}

/// The store: one interface over either backend. Writes are refused with
/// the reason when it is read-only; entries the store makes on its own
/// (a drawn sample row, an outbox claim, a scorecard claim) carry
/// [`Store::author`].
pub struct Store {
    backend: Box<dyn Backend>,
    /// Why writes are refused, when they are.
    read_only: Option<ReadOnly>,
    author: String,
    /// The source whose entries this handle reads and writes.
    source: SourceId,
}

impl Store {
    fn wrap(backend: Box<dyn Backend>, read_only: Option<ReadOnly>) -> Store {
        Store {
            backend,
            read_only,
            author: crate::config::UserConfig::default().author(),
            source: SourceId::unrecorded(),
        }
    }

    /// Opens (creating if needed) the SQLite store at `path` for reading and
    /// writing and migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store::wrap(Box::new(sqlite::Sqlite::open(path)?), None))
    }

    /// Opens an existing SQLite store without ever writing to it
    /// (`snapshot`, `export`, `report`, and the console's fallback). `None`
    /// when there is no file: nothing entered yet.
    pub fn open_read_only(path: &Path) -> Result<Option<Store>, StoreError> {
        Ok(sqlite::Sqlite::open_read_only(path)?
            .map(|s| Store::wrap(Box::new(s), Some(ReadOnly::Opened))))
    }

    /// Opens the store at `loc` for reading and writing, migrated to the
    /// current schema; a PostgreSQL server must answer now.
    pub fn open_at(loc: &StoreLocation) -> Result<Store, StoreError> {
        match loc {
            StoreLocation::Sqlite(path) => Store::open(path),
            StoreLocation::Postgres(settings) => {
                let pg = pg::Pg::start(settings.clone(), pg::Mode::ReadWrite);
                pg.ping()?;
                Ok(Store::wrap(Box::new(pg), None))
            }
        }
    }

    /// [`Store::open_read_only`] for any location: PostgreSQL sessions are
    /// read-only transactions, and the schema is not migrated.
    pub fn open_read_only_at(loc: &StoreLocation) -> Result<Option<Store>, StoreError> {
        match loc {
            StoreLocation::Sqlite(path) => Store::open_read_only(path),
            StoreLocation::Postgres(settings) => {
                let pg = pg::Pg::start(settings.clone(), pg::Mode::ReadOnly);
                pg.ping()?;
                Ok(Some(Store::wrap(Box::new(pg), Some(ReadOnly::Opened))))
            }
        }
    }

    /// A writable store over `backend` (`store check` builds one on a
    /// PostgreSQL session that neither migrates nor checks the version).
    pub fn from_backend(backend: Box<dyn Backend>) -> Store {
        Store::wrap(backend, None)
    }

    /// The backend itself, for `store check` and tests.
    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    pub fn kind(&self) -> BackendKind {
        self.backend.kind()
    }

    /// The file path, or `host:port/db` (never a password).
    pub fn place(&self) -> String {
        self.backend.place()
    }

    /// This handle reads and writes the entries of `source` only: samples,
    /// scores, follow-up events, KPI notes and scorecard claims of other
    /// sources are neither seen nor touched. A store just opened holds the
    /// entries saved before sources were recorded ([`SourceId::unrecorded`]).
    pub fn for_source(mut self, source: SourceId) -> Store {
        self.source = source;
        self
    }

    /// The source this handle reads and writes.
    pub fn source(&self) -> &SourceId {
        &self.source
    }

    /// Who the store's own entries are by (default: the login name).
    pub fn author(&self) -> &str {
        &self.author
    }

    /// Sets who the store's own entries are by: `[user] name` or the login.
    pub fn set_author(&mut self, author: &str) {
        self.author = author.to_owned();
    }

    /// Why writes are refused, `None` when the store is writable.
    pub fn read_only_reason(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.backend.schema_version()
    }

    /// SQLite: `PRAGMA integrity_check`; PostgreSQL: every table and
    /// column of the schema present. "ok" for a sound store.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.backend.integrity_check()
    }

    /// Answers `Ok` when the store can be reached (PostgreSQL: a round
    /// trip, reconnecting when the connection was lost).
    pub fn ping(&self) -> Result<(), StoreError> {
        self.backend.change_stamp().map(|_| ())
    }

    fn writable(&self) -> Result<&dyn Backend, StoreError> {
        match &self.read_only {
            Some(why) => Err(StoreError::ReadOnly(why.clone())),
            None => Ok(self.backend.as_ref()),
        }
    }

    // Spot checks.

    /// The sample stored for `day`, in listing order; empty if none yet.
    pub fn sample(&self, day: NaiveDate) -> Result<Vec<SampleRow>, StoreError> {
        self.backend.sample(&self.source, day)
    }

    /// Adds the contacts of `rows` not yet in `day`'s sample (one
    /// transaction); the ones already there keep their first listing.
    /// Returns how many were added.
    pub fn add_to_sample(
        &mut self,
        day: NaiveDate,
        rows: &[SampleRow],
        at: Ts,
    ) -> Result<usize, StoreError> {
        self.writable()?
            .add_to_sample(&self.source, day, rows, at, &self.author)
    }

    /// Saves a scorecard; returns its row id once it is durable.
    pub fn save_score(&self, s: &SpotScore) -> Result<i64, StoreError> {
        self.writable()?.save_score(&self.source, s)
    }

    /// The current score of each contact sampled on a day in `from..=to`,
    /// ordered by day, agent, contact: this handle's source only.
    pub fn scores(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<SpotScore>, StoreError> {
        Ok(self
            .backend
            .scores(Some(&self.source), from, to)?
            .into_iter()
            .map(|(_, s)| s)
            .collect())
    }

    /// [`Store::scores`] of every source, each with its source, ordered by
    /// source, day, agent, contact (`export`).
    pub fn scores_every_source(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(SourceId, SpotScore)>, StoreError> {
        self.backend.scores(None, from, to)
    }

    /// One score by row id (the durability check reads entries back this way).
    pub fn score_by_id(&self, id: i64) -> Result<Option<SpotScore>, StoreError> {
        self.backend.score_by_id(id)
    }

    /// Claims the scorecard of `contact` on `day` for [`Store::author`]
    /// until `until`; [`Claim::Taken`] when another lead holds it.
    pub fn claim_scorecard(
        &self,
        day: NaiveDate,
        contact: &str,
        now: Ts,
        until: Ts,
    ) -> Result<Claim, StoreError> {
        self.writable()?
            .claim_scorecard(&self.source, day, contact, &self.author, now, until)
    }

    /// Releases [`Store::author`]'s claim of `contact` on `day`.
    pub fn release_scorecard(&self, day: NaiveDate, contact: &str) -> Result<(), StoreError> {
        self.writable()?
            .release_scorecard(&self.source, day, contact, &self.author)
    }

    // Feedback follow-up.

    /// Appends one event; returns its id once it is durable.
    pub fn add_feedback_event(&self, e: &NewFeedbackEvent) -> Result<i64, StoreError> {
        self.writable()?.add_feedback_event(&self.source, e)
    }

    /// This handle's source's events with `from <= at < to`, oldest first
    /// (ties in saving order). Rows of a kind this build does not know are
    /// skipped.
    pub fn feedback_events(&self, from: Ts, to: Ts) -> Result<Vec<FeedbackEvent>, StoreError> {
        self.backend.feedback_events(Some(&self.source), from, to)
    }

    /// [`Store::feedback_events`] of every source (`export`).
    pub fn feedback_events_every_source(
        &self,
        from: Ts,
        to: Ts,
    ) -> Result<Vec<FeedbackEvent>, StoreError> {
        self.backend.feedback_events(None, from, to)
    }

    /// Every event of this handle's source (the console merges them all
    /// into the board).
    pub fn all_feedback_events(&self) -> Result<Vec<FeedbackEvent>, StoreError> {
        self.feedback_events(Ts::from_nanos(i64::MIN + 1), Ts::from_nanos(i64::MAX))
    }

    // KPI notes.

    /// Saves the note of (week, KPI), replacing an earlier one.
    pub fn save_kpi_note(&self, n: &KpiNote) -> Result<(), StoreError> {
        self.writable()?.save_kpi_note(&self.source, n)
    }

    /// The notes of one ISO week, by KPI key.
    pub fn kpi_notes(&self, week: &str) -> Result<Vec<KpiNote>, StoreError> {
        self.backend.kpi_notes(&self.source, week)
    }

    // The write-back outbox (see `outbox.rs` for the rules).

    /// Queues a row, due at once. `false` when its key is already queued
    /// (sent or not): an entry is never queued twice.
    pub fn enqueue_outbox(&self, e: &NewOutboxEntry) -> Result<bool, StoreError> {
        self.writable()?.enqueue_outbox(e)
    }

    /// Unsent rows due at `now` (next_attempt_at ≤ now), oldest due first.
    pub fn due_outbox(&self, now: Ts, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        self.backend.due_outbox(now, limit)
    }

    /// The unsent rows at a glance, for the console's header.
    pub fn outbox_summary(&self) -> Result<OutboxSummary, StoreError> {
        self.backend.outbox_summary()
    }

    /// One row by its key (tests and the console's status).
    pub fn outbox_by_key(&self, key: &str) -> Result<Option<OutboxEntry>, StoreError> {
        self.backend.outbox_by_key(key)
    }

    /// Every row, in queueing order.
    pub fn all_outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        self.backend.all_outbox()
    }

    /// The CRM acknowledged the row. Only an unsent row is marked, so the
    /// first acknowledgement's time stays.
    pub fn mark_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        self.writable()?.mark_sent(id, at)
    }

    /// Records, before the POST, that an attempt starts (by
    /// [`Store::author`]): `attempts` counts attempts started, and the row
    /// is not due again before `retry_at`. After a crash between a POST and
    /// [`Store::mark_sent`] the row has `attempts > 0`, which makes the
    /// sender look for it on the ticket before posting again.
    ///
    /// A claim: it counts only if the row still has the `seen` attempts it
    /// was read with, so of two flushers on one store (two consoles, the
    /// huddle screen, consoles of a team on one PostgreSQL) only one posts
    /// it. `false`: another took it.
    pub fn begin_attempt(&self, id: i64, seen: u32, retry_at: Ts) -> Result<bool, StoreError> {
        self.writable()?
            .begin_attempt(id, seen, retry_at, &self.author)
    }

    /// An attempt failed: keep the (credential-free) error and wait until
    /// `next_attempt_at`. A row never begun (`attempts` 0) counts one.
    pub fn mark_failed(&self, id: i64, error: &str, next_attempt_at: Ts) -> Result<(), StoreError> {
        self.writable()?.mark_failed(id, error, next_attempt_at)
    }

    /// Saves a scorecard and, for an RT contact (`rt-N`), queues its comment,
    /// in one transaction. Returns the score's row id and whether a row was
    /// queued.
    pub fn save_score_with_outbox(&self, s: &SpotScore) -> Result<(i64, bool), StoreError> {
        self.writable()?.save_score_with_outbox(&self.source, s)
    }

    /// Appends a feedback event and, for a stage change of an RT item
    /// (`rt-N`), queues its comment, in one transaction. Returns the event
    /// id and whether a row was queued. Other changes are not written back.
    pub fn add_feedback_event_with_outbox(
        &self,
        e: &NewFeedbackEvent,
    ) -> Result<(i64, bool), StoreError> {
        self.writable()?
            .add_feedback_event_with_outbox(&self.source, e)
    }

    // Alerts (see `alerts.rs` for the contract senders follow).

    /// Records that `alert` fired at `at` and queues one delivery row per
    /// target, in one transaction. `Some(episode)`: a new episode;
    /// `None`: an episode of this alert id is already open (recorded by
    /// this or another process), and nothing was written.
    pub fn record_alert_fired(
        &self,
        alert: &crate::domain::alerts::AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        self.writable()?
            .record_alert_fired(&self.source, alert, at, targets)
    }

    /// Records that the open episode of `alert.id` cleared at `at` and
    /// queues one delivery row per target, in one transaction. `alert` is
    /// the object the rows carry (its message saying the clear).
    /// `Some(episode)`: the episode closed; `None`: none was open (another
    /// process closed it), nothing written.
    pub fn record_alert_cleared(
        &self,
        alert: &crate::domain::alerts::AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        self.writable()?
            .record_alert_cleared(&self.source, alert, at, targets)
    }

    /// The open episodes, oldest first (to resume after a restart).
    pub fn open_alerts(&self) -> Result<Vec<AlertRecord>, StoreError> {
        self.backend.open_alerts(&self.source)
    }

    /// Episodes open now or cleared at or after `since`, newest fire first,
    /// at most `limit` (the console's overlay).
    pub fn recent_alerts(&self, since: Ts, limit: usize) -> Result<Vec<AlertRecord>, StoreError> {
        self.backend.recent_alerts(&self.source, since, limit)
    }

    /// The lead acknowledges an episode: durable when this returns. The
    /// first acknowledgement stays: `Ok(Some(ack))` with the earlier one
    /// when the episode was already acknowledged, `Ok(None)` when this one
    /// was saved. An unknown episode is a constraint error.
    pub fn ack_alert(
        &self,
        episode: i64,
        who: &str,
        at: Ts,
    ) -> Result<Option<AlertAck>, StoreError> {
        self.writable()?.ack_alert(episode, who, at)
    }

    /// `who` acknowledges the handover of `shift` at `at`: durable when
    /// this returns. `Ok(None)`: saved; `Ok(Some(earlier))`: acknowledged
    /// before, the earlier one kept.
    pub fn ack_handover(
        &self,
        shift: Window,
        who: &str,
        at: Ts,
    ) -> Result<Option<HandoverAck>, StoreError> {
        self.writable()?.ack_handover(&self.source, shift, who, at)
    }

    /// Who acknowledged the handover of `shift`, if anyone.
    pub fn handover_ack(&self, shift: Window) -> Result<Option<HandoverAck>, StoreError> {
        self.backend.handover_ack(&self.source, shift)
    }

    /// Unsent delivery rows due at `now`, oldest due first.
    pub fn due_alert_deliveries(
        &self,
        now: Ts,
        limit: usize,
    ) -> Result<Vec<AlertDelivery>, StoreError> {
        self.backend.due_alert_deliveries(now, limit)
    }

    /// Every delivery row, in queueing order (tests, status).
    pub fn all_alert_deliveries(&self) -> Result<Vec<AlertDelivery>, StoreError> {
        self.backend.all_alert_deliveries()
    }

    /// Claims the next attempt of a row before posting it: counts only if
    /// the row is unsent and still has the `seen` attempts it was read
    /// with; the row is then not due again before `retry_at`. `false`:
    /// another sender claimed it first.
    pub fn claim_alert_delivery(
        &self,
        id: i64,
        seen: u32,
        retry_at: Ts,
    ) -> Result<bool, StoreError> {
        self.writable()?.claim_alert_delivery(id, seen, retry_at)
    }

    /// The target acknowledged the row; the first time stays.
    pub fn alert_delivery_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        self.writable()?.alert_delivery_sent(id, at)
    }

    /// An attempt failed: keep the (credential-free) reason and wait until
    /// `next_attempt_at`. A row never claimed counts one attempt.
    pub fn alert_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Ts,
    ) -> Result<(), StoreError> {
        self.writable()?
            .alert_delivery_failed(id, error, next_attempt_at)
    }

    // Imports (see `import.rs`).

    /// Saves the scorecards of `rows` the store does not hold yet, in one
    /// transaction, as imported by [`Store::author`]; says per row whether
    /// it was added or already there. Each row keeps its own source and
    /// scorer.
    pub fn import_scores(&self, rows: &[ImportedScore]) -> Result<Vec<Imported>, StoreError> {
        self.writable()?.import_scores(rows, &self.author)
    }

    /// [`Store::import_scores`] for follow-up events.
    pub fn import_feedback(&self, rows: &[ImportedEvent]) -> Result<Vec<Imported>, StoreError> {
        self.writable()?.import_feedback(rows, &self.author)
    }

    /// Who imported the scorecard `id`; `None` when entered in the console.
    pub fn score_imported_by(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.backend.score_imported_by(id)
    }

    /// What the store holds at a glance; compared between reads to notice
    /// another console's entries.
    pub fn change_stamp(&self) -> Result<ChangeStamp, StoreError> {
        self.backend.change_stamp()
    }
}

/// What the console says when the store cannot be opened for writing.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreNotice {
    /// Entries can be read but not saved.
    ReadOnly(StoreError),
    /// Entries can be neither read nor saved.
    NoSaving(StoreError),
    /// No home folder, so no data dir.
    NoHome,
    /// The shared store cannot be reached now: read-only until it is back.
    Down(StoreError),
}

impl Localize for StoreNotice {
    fn localize(&self, lang: Lang) -> String {
        match self {
            StoreNotice::ReadOnly(e) => tf(lang, Msg::StoreNoticeReadOnly, &[&e.localize(lang)]),
            StoreNotice::NoSaving(e) => tf(lang, Msg::StoreNoticeNoSaving, &[&e.localize(lang)]),
            StoreNotice::NoHome => t(lang, Msg::StoreNoticeNoHome).to_owned(),
            StoreNotice::Down(e) => tf(lang, Msg::StoreNoticeDown, &[&e.localize(lang)]),
        }
    }
}

impl StoreNotice {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<StoreNotice> {
        let locked = StoreError::Locked("/d/shiftdeck.db".into());
        vec![
            StoreNotice::ReadOnly(locked.clone()),
            StoreNotice::NoSaving(locked),
            StoreNotice::NoHome,
            StoreNotice::Down(StoreError::Unreachable {
                place: "127.0.0.1:5432/shiftdeck".into(),
                detail: "connection closed".into(),
            }),
        ]
    }
}

crate::english_display!(StoreNotice);

/// What the console gets: a store (maybe read-only) for `source`'s entries
/// and a notice to show when something is wrong. Never fails: the console
/// runs without a store.
pub fn open_for_console(path: &Path, source: &SourceId) -> (Option<Store>, Option<StoreNotice>) {
    match Store::open(path) {
        Ok(s) => (Some(s.for_source(source.clone())), None),
        Err(e) => match Store::open_read_only(path) {
            Ok(Some(s)) => {
                let mut s = s.for_source(source.clone());
                s.read_only = Some(ReadOnly::Because(Box::new(e.clone())));
                (Some(s), Some(StoreNotice::ReadOnly(e)))
            }
            Ok(None) => (None, Some(StoreNotice::ReadOnly(e))),
            Err(e2) => (None, Some(StoreNotice::NoSaving(e2))),
        },
    }
}

/// [`open_for_console`] for any location. A PostgreSQL server that does not
/// answer still gives a store: nothing can be read or saved through it
/// until the server is back, the notice says why, and the console's poll
/// reconnects (each save in between fails with the reason; nothing is
/// queued aside).
pub fn open_for_console_at(
    loc: &StoreLocation,
    source: &SourceId,
) -> (Option<Store>, Option<StoreNotice>) {
    match loc {
        StoreLocation::Sqlite(path) => open_for_console(path, source),
        StoreLocation::Postgres(settings) => {
            let pg = pg::Pg::start(settings.clone(), pg::Mode::ReadWrite);
            let notice = match pg.ping() {
                Ok(()) => None,
                Err(e @ StoreError::Unreachable { .. }) => Some(StoreNotice::Down(e)),
                Err(e) => Some(StoreNotice::NoSaving(e)),
            };
            let store = Store::wrap(Box::new(pg), None).for_source(source.clone());
            (Some(store), notice)
        }
    }
}
