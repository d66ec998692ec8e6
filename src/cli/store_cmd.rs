//! `shiftdeck store migrate` and `shiftdeck store check`: the lead's store
//! (the SQLite file in the data dir, or `[store] url`) brought to this
//! build's schema, or checked: where it is, whether it answers, its schema
//! version against this build's, and its integrity.

use std::path::Path;

use crate::i18n::{Lang, Msg, tf};
use crate::store::{Store, StoreError, StoreLocation};

use super::CliError;

/// `store migrate`: prints the version before and after.
pub fn migrate(loc: &StoreLocation, lang: Lang) -> Result<Vec<String>, CliError> {
    let (kind, from, to) = match loc {
        StoreLocation::Sqlite(path) => {
            let from = crate::store::sqlite::file_version(path)?;
            let s = Store::open(path)?;
            ("sqlite", from, s.schema_version()?)
        }
        StoreLocation::Postgres(settings) => {
            let pg = crate::store::pg::Pg::start(settings.clone(), crate::store::pg::Mode::Inspect);
            let (from, to) = pg.migrate(settings.schema.clone())?;
            ("postgres", from, to)
        }
    };
    let place = loc.place();
    Ok(vec![if from == to {
        tf(lang, Msg::CliStoreUpToDate, &[&kind, &place, &to])
    } else {
        tf(lang, Msg::CliStoreMigrated, &[&kind, &place, &from, &to])
    }])
}

/// `store check`: one line per finding; an error when the store cannot
/// be reached, is at another version than this build's, or fails its
/// integrity check.
pub fn check(loc: &StoreLocation, lang: Lang) -> Result<Vec<String>, CliError> {
    let place = loc.place();
    let (store, kind) = match loc {
        StoreLocation::Sqlite(path) => {
            if !path.exists() {
                return Ok(vec![tf(lang, Msg::CliStoreNoFile, &[&path.display()])]);
            }
            (Store::open_read_only(path)?, "sqlite")
        }
        StoreLocation::Postgres(settings) => {
            let pg = crate::store::pg::Pg::start(settings.clone(), crate::store::pg::Mode::Inspect);
            pg.ping()?;
            (Some(Store::from_backend(Box::new(pg))), "postgres")
        }
    };
    let mut out = vec![tf(lang, Msg::CliStoreAt, &[&kind, &place])];
    let Some(store) = store else {
        return Ok(out);
    };
    out.push(crate::i18n::t(lang, Msg::CliStoreReachable).to_owned());
    // A SQLite file opened read-only reads through a migrated copy, so its
    // own version is read from the file.
    let found = match loc {
        StoreLocation::Sqlite(path) => crate::store::sqlite::file_version(path)?,
        StoreLocation::Postgres(_) => store.schema_version()?,
    };
    let known = store.backend().current_version();
    out.push(tf(lang, Msg::CliStoreVersion, &[&found, &known]));
    let verdict = if found == known {
        store.integrity_check()?
    } else {
        String::new()
    };
    if found == known {
        out.push(tf(lang, Msg::CliStoreIntegrity, &[&verdict]));
    }
    super::print_lines(out.clone())?;
    if found > known {
        return Err(StoreError::TooNew { found, known }.into());
    }
    if found < known {
        return Err(StoreError::NeedsMigrate { found, known }.into());
    }
    if verdict != "ok" {
        return Err(StoreError::Unsound {
            place,
            detail: verdict,
        }
        .into());
    }
    Ok(Vec::new())
}

/// Runs `store migrate|check` with the config's `[store]`.
pub fn run(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    migrate_it: bool,
    lang: Option<crate::config::Lang>,
) -> Result<(), CliError> {
    let lang = super::lang_even_if_broken(config_path, lang);
    let loc = super::lead::store_location(config_path, data_dir)?;
    let lines = if migrate_it {
        migrate(&loc, lang)?
    } else {
        check(&loc, lang)?
    };
    super::print_lines(lines)
}
