//! Where the store is: the SQLite file in the data dir, or the PostgreSQL
//! server of `[store] url` with its password read from `password_env` or
//! `password_file` (never from the URL, never logged).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::StoreError;
use super::pg::{PgSettings, Secret};
use crate::config::StoreConfig;
use crate::i18n::detail::OsError;

#[derive(Clone, Debug)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    Postgres(Arc<PgSettings>),
}

impl StoreLocation {
    /// From `[store]` and the data dir. Reads the password now, so a
    /// variable that is not set or a file that cannot be read is said at
    /// once.
    pub fn resolve(cfg: &StoreConfig, data_dir: &Path) -> Result<StoreLocation, StoreError> {
        let Some(url) = &cfg.url else {
            return Ok(StoreLocation::Sqlite(super::path_in(data_dir)));
        };
        let password = if let Some(name) = &cfg.password_env {
            match std::env::var(name) {
                Ok(v) if !v.is_empty() => Some(Secret::new(v.trim_end_matches(['\r', '\n']))),
                _ => return Err(StoreError::PasswordEnv(name.clone())),
            }
        } else if let Some(path) = &cfg.password_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| StoreError::PasswordFile(path.clone(), OsError::new(&e)))?;
            Some(Secret::new(text.lines().next().unwrap_or_default()))
        } else {
            None
        };
        Ok(StoreLocation::Postgres(Arc::new(PgSettings {
            url: url.clone(),
            password,
            schema: cfg.schema.clone(),
        })))
    }

    /// The file path, or `host:port/db`.
    pub fn place(&self) -> String {
        match self {
            StoreLocation::Sqlite(p) => p.display().to_string(),
            StoreLocation::Postgres(s) => s.url.place(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PgUrl;

    #[test]
    fn no_url_is_the_file_in_the_data_dir() {
        let loc = StoreLocation::resolve(&StoreConfig::default(), Path::new("/d")).unwrap();
        assert_eq!(loc.place(), "/d/shiftdeck.db");
    }

    #[test]
    fn the_password_comes_from_its_file_and_is_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pg.pass");
        std::fs::write(&file, "s3cret-word\nignored\n").unwrap();
        let cfg = StoreConfig {
            url: Some(PgUrl::parse("postgres://lead@db:5432/shiftdeck").unwrap()),
            password_file: Some(file),
            ..StoreConfig::default()
        };
        let loc = StoreLocation::resolve(&cfg, Path::new("/d")).unwrap();
        let StoreLocation::Postgres(s) = &loc else {
            panic!("expected PostgreSQL: {loc:?}");
        };
        assert_eq!(s.password.as_ref().map(Secret::expose), Some("s3cret-word"));
        assert_eq!(loc.place(), "db:5432/shiftdeck");
        assert!(!format!("{loc:?}").contains("s3cret"));
    }

    #[test]
    fn a_missing_password_source_is_an_error_naming_it() {
        let cfg = StoreConfig {
            url: Some(PgUrl::parse("postgres://lead@db/shiftdeck").unwrap()),
            password_env: Some("SHIFTDECK_TEST_NO_SUCH_VARIABLE_4711".into()),
            ..StoreConfig::default()
        };
        let e = StoreLocation::resolve(&cfg, Path::new("/d")).unwrap_err();
        assert_eq!(
            e,
            StoreError::PasswordEnv("SHIFTDECK_TEST_NO_SUCH_VARIABLE_4711".into())
        );
        let cfg = StoreConfig {
            url: Some(PgUrl::parse("postgres://lead@db/shiftdeck").unwrap()),
            password_file: Some("/nonexistent/pg.pass".into()),
            ..StoreConfig::default()
        };
        let e = StoreLocation::resolve(&cfg, Path::new("/d")).unwrap_err();
        assert!(matches!(e, StoreError::PasswordFile(..)), "{e:?}");
    }
}
