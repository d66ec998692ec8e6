//! The one error type of config parsing: it always names the file, and the
//! key path and line when they are known, so a lead can go straight to it.

use std::path::PathBuf;

/// A config file that could not be read as shiftdeck settings.
///
/// Displays as `FILE:LINE: KEY: MESSAGE` (line and key left out when unknown),
/// e.g. `/home/lead/.config/shiftdeck/shiftdeck.toml:4: targets.aht_s.alert:
/// expected a number, found string "high"`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}: {}{message}", file.display(), line_part(line), key_part(key))]
pub struct ConfigError {
    /// The file the text came from (the `origin` given to `parse`).
    pub file: PathBuf,
    /// Dotted key path, e.g. `targets.aht_s.alert`; `None` for TOML syntax errors
    /// the parser cannot place under a key.
    pub key: Option<String>,
    /// 1-based line, when the TOML parser gave a position.
    pub line: Option<usize>,
    pub message: String,
}

fn line_part(line: &Option<usize>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

fn key_part(key: &Option<String>) -> String {
    key.as_ref().map(|k| format!("{k}: ")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_key() {
        let e = ConfigError {
            file: PathBuf::from("/etc/shiftdeck.toml"),
            key: Some("targets.aht_s.alert".into()),
            line: Some(7),
            message: "expected a number, found boolean true".into(),
        };
        assert_eq!(
            e.to_string(),
            "/etc/shiftdeck.toml:7: targets.aht_s.alert: expected a number, found boolean true"
        );
        let bare = ConfigError {
            key: None,
            line: None,
            ..e
        };
        assert_eq!(
            bare.to_string(),
            "/etc/shiftdeck.toml: expected a number, found boolean true"
        );
    }
}
