//! Settings from TOML (spec section 7) and where shiftdeck's files live.
//! Work in progress: the full parser lands shortly.

use std::path::{Path, PathBuf};

use crate::domain::settings::Settings;

#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct ConfigError {
    pub file: PathBuf,
    pub key: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

pub fn parse(_text: &str, _origin: &Path) -> Result<Settings, ConfigError> {
    Ok(Settings::default())
}
