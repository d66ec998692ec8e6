//! Settings from TOML (spec sections 3 and 7) and where shiftdeck's files live.
//!
//! - [`parse`] / [`parse_with_extra`]: text → `Settings` (+ the `[source]`,
//!   `[display]`, `[user]` tables), strict: unknown keys and bad values are
//!   errors naming file, key path and line. The shape of the file is a serde
//!   schema (`parse.rs`) over the `toml` crate's tree (`de.rs`); what is wrong
//!   is a typed [`Problem`] in a [`ConfigError`], said in the lead's language
//!   through the catalogue (`i18n::Localize`).
//! - [`paths`] / [`config_location`]: the config file, data and state folders.
//! - [`load`]: find, read and parse the config file; defaults when the default
//!   file is absent.
//! - [`dump`] / [`dump_in`]: the effective configuration as TOML, for
//!   `config show` (comments in the lead's language; never a token, as the
//!   parser refuses credentials in `crm`).
//!
//! The keys are documented in docs/configuration.md; config/shiftdeck.toml is
//! the annotated example ([`EXAMPLE`]).

mod de;
mod dump;
mod error;
mod extra;
mod parse;
mod paths;
mod scorecard;
mod store;
mod webhook;

use std::path::{Path, PathBuf};

use crate::domain::settings::Settings;

pub use dump::{dump, dump_in};
pub use error::{ConfigError, Expected, Found, KpiRange, Problem};
pub use extra::{
    AlertsConfig, DEFAULT_CONCURRENCY, DEFAULT_HUDDLE_ROTATE_S, DEFAULT_POLL_S,
    DEFAULT_UNGROUPED_QUEUE, DefaultPriority, DisplayConfig, Extra, Lang, MAX_CONCURRENCY,
    SourceConfig, Theme, UngroupedBy, UserConfig, ZendeskConfig,
};
pub use parse::{local_timezone, parse_with_extra};
pub use paths::{
    CONFIG_ENV, CONFIG_FILE_NAME, ConfigLocation, ConfigOrigin, Paths, PathsError, config_location,
    paths,
};
pub use scorecard::{DEFAULT_DIMENSIONS, DEFAULT_SCALE_MAX, ScorecardConfig};
pub use store::{PgUrl, PgUrlProblem, SslMode, StoreConfig};
pub use webhook::{SecretRef, WebhookConfig, WebhookFormat};

/// The annotated example config: exactly the built-in defaults, in Asia/Shanghai.
/// Suitable for writing out as a starter file.
pub const EXAMPLE: &str = include_str!("../../config/shiftdeck.toml");

/// Parses config text into the business settings. `origin` is the file the
/// text came from (named in errors; anchors relative paths).
pub fn parse(text: &str, origin: &Path) -> Result<Settings, ConfigError> {
    parse_with_extra(text, origin).map(|(settings, _)| settings)
}

/// A configuration ready to use.
#[derive(Clone, PartialEq, Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub extra: Extra,
    /// The file read; `None` when no file exists at the default location and
    /// the built-in defaults are used.
    pub file: Option<PathBuf>,
}

impl Loaded {
    /// The built-in defaults in the machine's local time zone.
    pub fn defaults() -> Loaded {
        Loaded {
            settings: Settings::defaults_in(local_timezone()),
            extra: Extra::default(),
            file: None,
        }
    }
}

/// Finds and reads the config file (`--config`, then `$SHIFTDECK_CONFIG`,
/// then the platform default). A missing default file means the defaults; a
/// missing file the user named is an error naming the path.
pub fn load(config_override: Option<&Path>) -> anyhow::Result<Loaded> {
    Ok(load_at(&config_location(config_override)?)?)
}

/// [`load`] for a location already found.
pub fn load_at(location: &ConfigLocation) -> Result<Loaded, ConfigError> {
    let path = &location.path;
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !location.origin.must_exist() => {
            tracing::debug!(path = %path.display(), "no config file; using the defaults");
            return Ok(Loaded::defaults());
        }
        Err(e) => {
            return Err(ConfigError {
                file: path.clone(),
                key: None,
                line: None,
                problem: Box::new(Problem::Unreadable {
                    origin: location.origin,
                    kind: e.kind(),
                    detail: e.to_string(),
                }),
            });
        }
    };
    let (settings, extra) = parse_with_extra(&text, path)?;
    tracing::debug!(path = %path.display(), "config file read");
    Ok(Loaded {
        settings,
        extra,
        file: Some(path.clone()),
    })
}
