//! The lead's own entries: spot-check samples and scorecards, feedback
//! follow-up events and KPI notes, in one SQLite file in the data dir.
//!
//! Durability: WAL journal with `synchronous=FULL`, so every committed
//! write is on disk (the WAL fsynced) before the call returns; the UI says
//! "saved" only after that. Each write is one transaction: a crash leaves
//! either the whole entry or none of it. See docs/store.md.
//!
//! Sources: every entry belongs to the source it was entered against
//! ([`SourceId`], schema v4); a handle reads and writes one source's
//! entries ([`Store::for_source`]), `export` reads every source's.
//!
//! Bad conditions: a locked or corrupt file, or one from a newer build, is
//! reported by [`open_for_console`] as a clear message with the store opened
//! read-only when it can be, or not at all; the console keeps running.

pub mod alerts;
pub mod feedback;
pub mod notes;
pub mod outbox;
pub mod schema;
pub mod spot_checks;
pub mod torture;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::domain::SourceId;
use crate::i18n::detail::OsError;
use crate::i18n::{Lang, Localize, Msg, t, tf};

pub use alerts::{AlertAck, AlertDelivery, AlertEvent, AlertRecord};
pub use feedback::{FeedbackChange, FeedbackEvent, NewFeedbackEvent};
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
    ReadOnly(ReadOnly),
    Dir(PathBuf, OsError),
    Sql(SqlError),
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
            StoreError::ReadOnly(why) => tf(lang, Msg::StoreReadOnly, &[&why.localize(lang)]),
            StoreError::Dir(p, e) => tf(lang, Msg::StoreDir, &[&p.display(), &e.localize(lang)]),
            StoreError::Sql(e) => tf(lang, Msg::StoreSql, &[&e.localize(lang)]),
        }
    }
}

crate::english_display!(StoreError);

impl StoreError {
    fn at(path: &Path, e: rusqlite::Error) -> StoreError {
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
            StoreError::ReadOnly(ReadOnly::Opened),
            StoreError::ReadOnly(ReadOnly::Because(Box::new(StoreError::Locked(p.clone())))),
            StoreError::Dir(
                p.clone(),
                OsError::new(&std::io::Error::from_raw_os_error(13)),
            ),
            StoreError::from(rusqlite::Error::QueryReturnedNoRows),
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
        v
    }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Why writes are refused, when they are.
    read_only: Option<ReadOnly>,
    /// The source whose entries this handle reads and writes (schema v4).
    source: SourceId,
}

impl Store {
    /// Opens (creating if needed) the store for reading and writing and
    /// migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Dir(dir.to_path_buf(), OsError::new(&e)))?;
        }
        let mut conn = Connection::open(path).map_err(|e| StoreError::at(path, e))?;
        let setup = |conn: &Connection| -> rusqlite::Result<()> {
            conn.busy_timeout(Duration::from_millis(1500))?;
            // journal_mode answers with a row, so it is read, not executed.
            let _: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "foreign_keys", true)?;
            Ok(())
        };
        setup(&conn).map_err(|e| StoreError::at(path, e))?;
        check_integrity(&conn, path)?;
        schema::migrate(&mut conn).map_err(|e| match e {
            StoreError::Sql(SqlError {
                code: Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked),
                ..
            }) => StoreError::Locked(path.to_path_buf()),
            StoreError::Sql(SqlError {
                code: Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase),
                text,
                ..
            }) => StoreError::Corrupt(path.to_path_buf(), text),
            other => other,
        })?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: None,
            source: SourceId::unrecorded(),
        })
    }

    /// Opens an existing store without ever writing to it (`snapshot`,
    /// `export`, `report`, and the console's fallback). `None` when there is
    /// no file: nothing entered yet.
    ///
    /// A WAL database in a folder this user may only read (a supervisor
    /// reading the lead's data dir, a read-only mount) cannot be opened in
    /// place: SQLite must create its `-shm` file beside it. It is then read
    /// through a private copy of the file and its WAL in the temporary
    /// folder (every committed entry, checkpointed or not), removed once
    /// read; the data dir is left as it is.
    pub fn open_read_only(path: &Path) -> Result<Option<Store>, StoreError> {
        if !path.exists() {
            return Ok(None);
        }
        let (conn, copy) = match open_read_only_conn(path) {
            Ok(conn) => (conn, None),
            Err(e) if cannot_read_in_place(&e) => {
                let copy = PrivateCopy::of(path).map_err(|_| e.clone())?;
                tracing::info!(path = %path.display(), "store read through a private copy");
                (open_read_only_conn(&copy.db)?, Some(copy))
            }
            Err(e) => return Err(e),
        };
        let read_from = copy.as_ref().map_or(path, |c| c.db.as_path());
        let found = schema::version(&conn).map_err(|e| StoreError::at(path, e))?;
        if found > schema::CURRENT {
            return Err(StoreError::TooNew {
                found,
                known: schema::CURRENT,
            });
        }
        // An older file (or an empty one), or one read through a copy: read
        // in memory, migrated, so today's queries find today's columns; the
        // file itself is left as it is until a command that writes migrates it.
        let conn = if found < schema::CURRENT || copy.is_some() {
            drop(conn);
            migrated_copy(read_from)?
        } else {
            conn
        };
        drop(copy);
        Ok(Some(Store {
            conn,
            path: path.to_path_buf(),
            read_only: Some(ReadOnly::Opened),
            source: SourceId::unrecorded(),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This handle reads and writes the entries of `source` only: samples,
    /// scores, follow-up events and KPI notes of other sources are neither
    /// seen nor touched. A store just opened holds the entries saved before
    /// sources were recorded ([`SourceId::unrecorded`]).
    pub fn for_source(mut self, source: SourceId) -> Store {
        self.source = source;
        self
    }

    /// The source this handle reads and writes.
    pub fn source(&self) -> &SourceId {
        &self.source
    }

    /// Why writes are refused, `None` when the store is writable.
    pub fn read_only_reason(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(schema::version(&self.conn)?)
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    fn writable(&self) -> Result<&Connection, StoreError> {
        match &self.read_only {
            Some(why) => Err(StoreError::ReadOnly(why.clone())),
            None => Ok(&self.conn),
        }
    }

    fn map(&self, e: rusqlite::Error) -> StoreError {
        StoreError::at(&self.path, e)
    }
}

/// `path` opened read-only and checked (`quick_check`, which reads every
/// page and so fails here when SQLite cannot use the file in place).
fn open_read_only_conn(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::at(path, e))?;
    conn.busy_timeout(Duration::from_millis(1500))
        .map_err(|e| StoreError::at(path, e))?;
    check_integrity(&conn, path)?;
    Ok(conn)
}

/// SQLite could not use the file where it is (it may not create the WAL's
/// `-shm` file in a read-only folder).
fn cannot_read_in_place(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Sql(SqlError {
            code: Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen),
            ..
        })
    )
}

/// A copy of a store file and its WAL (`-wal`, when there is one) in a
/// private folder of the temporary folder; removed on drop. SQLite rebuilds
/// the WAL index from the WAL, so every committed entry is in the copy.
struct PrivateCopy {
    dir: PathBuf,
    db: PathBuf,
}

impl PrivateCopy {
    fn of(path: &Path) -> std::io::Result<PrivateCopy> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "shiftdeck-store-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir)?;
        let copy = PrivateCopy {
            db: dir.join(FILE_NAME),
            dir,
        };
        std::fs::copy(path, &copy.db)?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal = PathBuf::from(wal);
        if wal.exists() {
            let mut to = copy.db.as_os_str().to_owned();
            to.push("-wal");
            std::fs::copy(&wal, PathBuf::from(to))?;
        }
        Ok(copy)
    }
}

impl Drop for PrivateCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An in-memory copy of the store at `path` (opened read-only), brought to
/// the current schema: its tables and indexes as the file has them, every
/// row, then the migration steps the file has not had.
fn migrated_copy(path: &Path) -> Result<Connection, StoreError> {
    let at = |e| StoreError::at(path, e);
    let mut mem = Connection::open_in_memory().map_err(at)?;
    // A URI keeps the attached file read-only; `?` `#` `%` in the path are escaped.
    let uri = format!(
        "file:{}?mode=ro",
        path.to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23")
    );
    let copy = |mem: &Connection| -> rusqlite::Result<i64> {
        mem.execute("ATTACH DATABASE ?1 AS old", [&uri])?;
        let version: i64 = mem.query_row("PRAGMA old.user_version", [], |r| r.get(0))?;
        let items: Vec<(String, String, String)> = {
            let mut q = mem.prepare(
                "SELECT type, name, sql FROM old.sqlite_master
                 WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                 ORDER BY type = 'table' DESC, rowid",
            )?;
            q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (kind, name, sql) in &items {
            mem.execute_batch(sql)?;
            if kind == "table" {
                let quoted = name.replace('"', "\"\"");
                mem.execute_batch(&format!(
                    "INSERT INTO main.\"{quoted}\" SELECT * FROM old.\"{quoted}\""
                ))?;
            }
        }
        mem.execute_batch("DETACH DATABASE old")?;
        mem.pragma_update(None, "user_version", version)?;
        Ok(version)
    };
    copy(&mem).map_err(at)?;
    schema::migrate(&mut mem)?;
    Ok(mem)
}

/// A cheap check at open: `quick_check` reads every page once (the file
/// holds one lead's entries, kilobytes to a few megabytes).
fn check_integrity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| StoreError::at(path, e))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt(path.to_path_buf(), verdict))
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
}

impl Localize for StoreNotice {
    fn localize(&self, lang: Lang) -> String {
        match self {
            StoreNotice::ReadOnly(e) => tf(lang, Msg::StoreNoticeReadOnly, &[&e.localize(lang)]),
            StoreNotice::NoSaving(e) => tf(lang, Msg::StoreNoticeNoSaving, &[&e.localize(lang)]),
            StoreNotice::NoHome => t(lang, Msg::StoreNoticeNoHome).to_owned(),
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
