//! The lead's own entries: spot-check samples and scorecards, feedback
//! follow-up events and KPI notes, in one SQLite file in the data dir.
//!
//! Durability: WAL journal with `synchronous=FULL`, so every committed
//! write is on disk (the WAL fsynced) before the call returns; the UI says
//! "saved" only after that. Each write is one transaction: a crash leaves
//! either the whole entry or none of it. See docs/store.md.
//!
//! Bad conditions: a locked or corrupt file, or one from a newer build, is
//! reported by [`open_for_console`] as a clear message with the store opened
//! read-only when it can be, or not at all; the console keeps running.

pub mod feedback;
pub mod notes;
pub mod outbox;
pub mod schema;
pub mod spot_checks;
pub mod torture;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

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

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {0} is locked by another program (another shiftdeck?)")]
    Locked(PathBuf),
    #[error("the database {0} is damaged ({1}); move it aside to start a new one")]
    Corrupt(PathBuf, String),
    #[error(
        "the database is at schema version {found}, newer than this shiftdeck knows ({known}); upgrade shiftdeck"
    )]
    TooNew { found: i64, known: i64 },
    #[error("the store is open read-only: {0}")]
    ReadOnly(String),
    #[error("cannot create the data dir {0}: {1}")]
    Dir(PathBuf, std::io::Error),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

impl StoreError {
    fn at(path: &Path, e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked(path.to_path_buf())
            }
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt(path.to_path_buf(), e.to_string())
            }
            _ => StoreError::Sql(e),
        }
    }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Why writes are refused, when they are.
    read_only: Option<String>,
}

impl Store {
    /// Opens (creating if needed) the store for reading and writing and
    /// migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Dir(dir.to_path_buf(), e))?;
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
            StoreError::Sql(e) => StoreError::at(path, e),
            other => other,
        })?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: None,
        })
    }

    /// Opens an existing store without ever writing to it (`snapshot`,
    /// `export`, `report`, and the console's fallback). `None` when there is
    /// no file: nothing entered yet.
    pub fn open_read_only(path: &Path) -> Result<Option<Store>, StoreError> {
        if !path.exists() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::at(path, e))?;
        conn.busy_timeout(Duration::from_millis(1500))
            .map_err(|e| StoreError::at(path, e))?;
        check_integrity(&conn, path)?;
        let found = schema::version(&conn).map_err(|e| StoreError::at(path, e))?;
        if found > schema::CURRENT {
            return Err(StoreError::TooNew {
                found,
                known: schema::CURRENT,
            });
        }
        Ok(Some(Store {
            conn,
            path: path.to_path_buf(),
            read_only: Some("opened read-only".into()),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why writes are refused, `None` when the store is writable.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
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

/// What the console gets: a store (maybe read-only) and a message to show
/// when something is wrong. Never fails: the console runs without a store.
pub fn open_for_console(path: &Path) -> (Option<Store>, Option<String>) {
    match Store::open(path) {
        Ok(s) => (Some(s), None),
        Err(e) => {
            let msg = format!("{e}; entries are read-only this session");
            match Store::open_read_only(path) {
                Ok(Some(mut s)) => {
                    s.read_only = Some(e.to_string());
                    (Some(s), Some(msg))
                }
                Ok(None) => (None, Some(msg)),
                Err(e2) => (
                    None,
                    Some(format!("{e2}; entries cannot be saved this session")),
                ),
            }
        }
    }
}
