//! Where shiftdeck keeps its files: the config file, the data folder (the
//! lead's own entries) and the state folder (logs).
//!
//! Config file search order: `--config PATH`, then `$SHIFTDECK_CONFIG`, then
//! `<platform config dir>/shiftdeck.toml` (Linux: `$XDG_CONFIG_HOME/shiftdeck/`
//! or `~/.config/shiftdeck/`; macOS: `~/Library/Application Support/shiftdeck/`;
//! Windows: `%APPDATA%\shiftdeck\config\`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;

use crate::i18n::{self, Localize, Msg};

/// Environment variable naming the config file (overridden by `--config`).
pub const CONFIG_ENV: &str = "SHIFTDECK_CONFIG";
/// File name of the config file inside the platform config folder.
pub const CONFIG_FILE_NAME: &str = "shiftdeck.toml";

/// No place to look for the config or keep data: there is no home folder,
/// and the command line did not name one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PathsError {
    /// Neither `--config` nor `SHIFTDECK_CONFIG` given.
    NoHomeForConfig,
    /// No `--data-dir` given.
    NoHomeForData,
}

impl Localize for PathsError {
    fn localize(&self, lang: i18n::Lang) -> String {
        match self {
            PathsError::NoHomeForConfig => i18n::tf(lang, Msg::CfgNoHomeForConfig, &[&CONFIG_ENV]),
            PathsError::NoHomeForData => i18n::t(lang, Msg::CfgNoHomeForData).to_string(),
        }
    }
}

impl std::fmt::Display for PathsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localize(i18n::Lang::En))
    }
}

impl std::error::Error for PathsError {}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
}

/// Why the config file is where it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ConfigOrigin {
    /// `--config PATH` on the command line.
    Flag,
    /// The `SHIFTDECK_CONFIG` environment variable.
    Env,
    /// The platform's config folder.
    Default,
}

impl ConfigOrigin {
    /// A file the user named must exist; the default one may be absent (defaults apply).
    pub fn must_exist(self) -> bool {
        !matches!(self, ConfigOrigin::Default)
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConfigLocation {
    pub path: PathBuf,
    pub origin: ConfigOrigin,
}

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "shiftdeck")
}

/// Where the config file is, following the search order above.
pub fn config_location(config_override: Option<&Path>) -> Result<ConfigLocation, PathsError> {
    locate_config(
        config_override,
        std::env::var_os(CONFIG_ENV),
        project_dirs().as_ref(),
    )
}

/// The search order as a pure function of its inputs (testable without touching the process env).
pub(crate) fn locate_config(
    config_override: Option<&Path>,
    env_value: Option<OsString>,
    project: Option<&ProjectDirs>,
) -> Result<ConfigLocation, PathsError> {
    if let Some(path) = config_override {
        return Ok(ConfigLocation {
            path: path.to_path_buf(),
            origin: ConfigOrigin::Flag,
        });
    }
    // An empty variable counts as unset, as shells often export `VAR=`.
    if let Some(value) = env_value.filter(|v| !v.is_empty()) {
        return Ok(ConfigLocation {
            path: PathBuf::from(value),
            origin: ConfigOrigin::Env,
        });
    }
    let project = project.ok_or(PathsError::NoHomeForConfig)?;
    Ok(ConfigLocation {
        path: project.config_dir().join(CONFIG_FILE_NAME),
        origin: ConfigOrigin::Default,
    })
}

/// All of shiftdeck's locations. `config_override` is `--config`,
/// `data_dir_override` is `--data-dir`. The state folder is the platform's
/// (Linux: `$XDG_STATE_HOME/shiftdeck`), or the data folder where the platform
/// has none (macOS, Windows) or no home folder is known.
pub fn paths(
    config_override: Option<&Path>,
    data_dir_override: Option<&Path>,
) -> Result<Paths, PathsError> {
    let project = project_dirs();
    let config_file = config_location(config_override)?.path;
    let data_dir = match (data_dir_override, &project) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(p)) => p.data_dir().to_path_buf(),
        (None, None) => {
            return Err(PathsError::NoHomeForData);
        }
    };
    let state_dir = project
        .as_ref()
        .and_then(|p| p.state_dir())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| data_dir.clone());
    Ok(Paths {
        config_file,
        data_dir,
        state_dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> ProjectDirs {
        ProjectDirs::from("", "", "shiftdeck").expect("a home folder in tests")
    }

    #[test]
    fn flag_beats_env_beats_default() {
        let project = project();
        let flag = locate_config(
            Some(Path::new("/tmp/a.toml")),
            Some("/tmp/b.toml".into()),
            Some(&project),
        )
        .unwrap();
        assert_eq!(flag.path, PathBuf::from("/tmp/a.toml"));
        assert_eq!(flag.origin, ConfigOrigin::Flag);

        let env = locate_config(None, Some("/tmp/b.toml".into()), Some(&project)).unwrap();
        assert_eq!(env.path, PathBuf::from("/tmp/b.toml"));
        assert_eq!(env.origin, ConfigOrigin::Env);

        let default = locate_config(None, Some("".into()), Some(&project)).unwrap();
        assert_eq!(default.origin, ConfigOrigin::Default);
        assert_eq!(default.path, project.config_dir().join("shiftdeck.toml"));
        assert!(!default.origin.must_exist());
        assert!(env.origin.must_exist());
    }

    #[test]
    fn no_home_needs_an_explicit_config() {
        let err = locate_config(None, None, None).unwrap_err();
        assert_eq!(err, PathsError::NoHomeForConfig);
        assert_eq!(
            err.to_string(),
            "no home folder to find the config file in; pass --config or set SHIFTDECK_CONFIG"
        );
        assert_eq!(
            err.localize(i18n::Lang::Zh),
            "没有主目录，找不到配置文件；请用 --config 指定，或设置 SHIFTDECK_CONFIG"
        );
        assert_eq!(
            PathsError::NoHomeForData.localize(i18n::Lang::Zh),
            "没有主目录，无处保存数据；请用 --data-dir 指定"
        );
        assert!(locate_config(Some(Path::new("c.toml")), None, None).is_ok());
    }

    #[test]
    fn data_dir_override_is_used_and_state_dir_exists() {
        let p = paths(Some(Path::new("/tmp/c.toml")), Some(Path::new("/tmp/data"))).unwrap();
        assert_eq!(p.config_file, PathBuf::from("/tmp/c.toml"));
        assert_eq!(p.data_dir, PathBuf::from("/tmp/data"));
        assert!(!p.state_dir.as_os_str().is_empty());
    }
}
