//! The SQLite backend: one file, `shiftdeck.db`, in the data dir.
//!
//! Durability: WAL journal with `synchronous=FULL`, so every committed
//! write is on disk (the WAL fsynced) before the call returns; the UI says
//! "saved" only after that. Each write is one transaction: a crash leaves
//! either the whole entry or none of it. See docs/store.md.
//!
//! The queries live beside their kind of entry (`spot_checks.rs`,
//! `feedback.rs`, `notes.rs`, `outbox.rs`, `claims.rs`) as methods of
//! [`Sqlite`]; this file opens the file, and `sqlite_backend.rs` answers
//! the `Backend` trait with them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{FILE_NAME, SqlError, StoreError, schema};
use crate::i18n::detail::OsError;

pub struct Sqlite {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
}

impl Sqlite {
    /// Opens (creating if needed) the file for reading and writing and
    /// migrates it to the current schema.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
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
        Ok(Sqlite {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing file without ever writing to it. `None` when
    /// there is no file: nothing entered yet.
    ///
    /// A WAL database in a folder this user may only read (a supervisor
    /// reading the lead's data dir, a read-only mount) cannot be opened in
    /// place: SQLite must create its `-shm` file beside it. It is then read
    /// through a private copy of the file and its WAL in the temporary
    /// folder (every committed entry, checkpointed or not), removed once
    /// read; the data dir is left as it is.
    pub fn open_read_only(path: &Path) -> Result<Option<Sqlite>, StoreError> {
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
        Ok(Some(Sqlite {
            conn,
            path: path.to_path_buf(),
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn map(&self, e: rusqlite::Error) -> StoreError {
        StoreError::at(&self.path, e)
    }
}

/// The schema version of the file at `path` as it is (0 for a new or
/// empty file), read without migrating or writing it.
pub fn file_version(path: &Path) -> Result<i64, StoreError> {
    if !path.exists() {
        return Ok(0);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::at(path, e))?;
    schema::version(&conn).map_err(|e| StoreError::at(path, e))
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
