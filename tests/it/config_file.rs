//! The config file as a user meets it: the shipped example, files on disk,
//! `--config`, and `config show` output read back.

use std::path::{Path, PathBuf};

use shiftdeck::config::{
    self, ConfigError, ConfigLocation, ConfigOrigin, Extra, Lang, Loaded, Theme,
};
use shiftdeck::domain::settings::{DEFAULT_RED_LINE, Direction, KpiKey, Settings};

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/shiftdeck.toml")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_example_file_is_exactly_the_defaults() {
    let path = example_path();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, config::EXAMPLE);
    let (settings, extra) = config::parse_with_extra(&text, &path).unwrap();
    assert_eq!(settings, Settings::defaults_in(chrono_tz::Asia::Shanghai));
    assert_eq!(extra, Extra::default());
    // It carries the whole starter list, Chinese and English.
    assert_eq!(settings.red_line, DEFAULT_RED_LINE);
    assert!(settings.red_line.iter().any(|p| p == "滚"));
    assert!(settings.red_line.iter().any(|p| p == "shut up"));
}

#[test]
fn loading_the_example_through_config_flag() {
    let loaded = config::load(Some(&example_path())).unwrap();
    assert_eq!(loaded.file.as_deref(), Some(example_path().as_path()));
    assert_eq!(loaded.settings.timezone, chrono_tz::Asia::Shanghai);
}

#[test]
fn a_missing_config_flag_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let err = config::load(Some(&missing)).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains(&missing.display().to_string()), "{text}");
    assert!(text.contains("--config"), "{text}");
}

#[test]
fn a_missing_env_named_file_is_an_error_but_a_missing_default_file_means_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.toml");
    let named = ConfigLocation {
        path: missing.clone(),
        origin: ConfigOrigin::Env,
    };
    let err = config::load_at(&named).unwrap_err();
    assert!(format!("{err:#}").contains("SHIFTDECK_CONFIG"), "{err:#}");

    let default = ConfigLocation {
        path: missing,
        origin: ConfigOrigin::Default,
    };
    let loaded = config::load_at(&default).unwrap();
    assert_eq!(loaded.file, None);
    assert_eq!(loaded, Loaded::defaults());
}

#[test]
fn a_bad_type_on_disk_names_file_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "shiftdeck.toml",
        "timezone = \"Asia/Shanghai\"\nfcr_window_h = \"two days\"\n",
    );
    let err = config::load(Some(&path)).unwrap_err();
    let cfg = err.downcast_ref::<ConfigError>().expect("a ConfigError");
    assert_eq!(cfg.file, path);
    assert_eq!(cfg.key.as_deref(), Some("fcr_window_h"));
    assert_eq!(cfg.line, Some(2));
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2: fcr_window_h: expected a number of hours, found string \"two days\"",
            path.display()
        )
    );
}

#[test]
fn unknown_keys_and_tables_on_disk_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "typo.toml",
        "[targets.aht_s]\ntarget = 240\nalrt = 280\n",
    );
    let err = config::load(Some(&path)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "{}:3: targets.aht_s.alrt: unknown key",
            path.display()
        )),
        "{text}"
    );

    let path = write(
        dir.path(),
        "kpi.toml",
        "[targets.handle_time]\ntarget = 240\n",
    );
    let text = config::load(Some(&path)).unwrap_err().to_string();
    assert!(
        text.starts_with(&format!(
            "{}:1: targets.handle_time: unknown KPI 'handle_time'",
            path.display()
        )),
        "{text}"
    );
}

#[test]
fn a_bad_time_zone_and_bad_rates_are_refused() {
    let origin = Path::new("floor.toml");
    let err = config::parse("timezone = \"Mars/Base\"\n", origin).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("floor.toml:1: timezone: unknown time zone 'Mars/Base'"),
        "{err}"
    );
    for rate in ["0", "1.5"] {
        let err = config::parse(&format!("[spot_check]\nrate = {rate}\n"), origin).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("spot_check.rate"));
        assert_eq!(err.line, Some(2));
    }
}

#[test]
fn one_field_of_a_target_changes_and_the_rest_stay() {
    let s = config::parse(
        "timezone = \"UTC\"\n[targets.aht_s]\nalert = 300\n[targets.repeat_rate]\ndirection = \"lower\"\nwarn = 0.2\n",
        Path::new("x.toml"),
    )
    .unwrap();
    let aht = s.target(KpiKey::AhtS).unwrap();
    assert_eq!(
        (aht.target, aht.warn, aht.alert, aht.direction),
        (252.0, None, Some(300.0), Direction::Lower)
    );
    let repeat = s.target(KpiKey::RepeatRate).unwrap();
    assert_eq!(
        (repeat.target, repeat.warn, repeat.alert),
        (0.15, Some(0.2), None)
    );
}

fn round_trip(loaded: &Loaded) -> (Settings, Extra) {
    let text = config::dump(loaded);
    match config::parse_with_extra(&text, Path::new("dump.toml")) {
        Ok(parsed) => parsed,
        Err(e) => panic!("dump does not read back: {e}\n{text}"),
    }
}

#[test]
fn dump_of_the_defaults_reads_back_the_same() {
    let loaded = Loaded {
        settings: Settings::defaults_in(chrono_tz::America::Sao_Paulo),
        extra: Extra::default(),
        file: None,
    };
    assert_eq!(round_trip(&loaded), (loaded.settings, loaded.extra));
}

#[test]
fn dump_of_a_customised_file_reads_back_the_same_and_hides_no_reference() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "custom.toml",
        r#"
timezone = "Asia/Hong_Kong"
fcr_window_h = 72.5

[spot_check]
rate = 0.033
seed = 9_007_199_254_740_993

[red_line]
phrases = ["你有病吧", "that's \"policy\"", 'C:\path']

[targets.csat]
target = 0.9
warn = 0.87
alert = 0.8

[targets.nps]
target = -5

[sla.urgent]
resolution_min = 60

[sla.low]
first_response_min = 2880

[source]
file = ["today.ndjson", "/srv/floor/archive.ndjson"]
crm = "https://crm.example.com/api/v2"
poll_s = 10
token_file = "secrets/crm-token"

[display]
theme = "high-contrast"
huddle_rotate_s = 30
lang = "en"

[user]
name = "Li Na"
"#,
    );
    let loaded = config::load(Some(&path)).unwrap();
    // Hand-checked values before the round trip.
    assert_eq!(loaded.settings.spot_check.seed, 9_007_199_254_740_993);
    assert_eq!(loaded.settings.sla.urgent.resolution_min, Some(60));
    assert_eq!(loaded.settings.sla.low.first_response_min, 2880);
    assert_eq!(
        loaded.extra.source.token_file,
        Some(dir.path().join("secrets/crm-token"))
    );
    assert_eq!(loaded.extra.display.theme, Theme::HighContrast);
    assert_eq!(loaded.extra.display.lang, Lang::En);

    let text = config::dump(&loaded);
    // The token reference is printed as it is: it is a path, not a secret.
    assert!(
        text.contains(&format!(
            "token_file = \"{}\"",
            dir.path().join("secrets/crm-token").display()
        )),
        "{text}"
    );
    assert_eq!(round_trip(&loaded), (loaded.settings, loaded.extra));
}

#[test]
fn dump_prints_the_token_variable_name() {
    let (settings, extra) = config::parse_with_extra(
        "timezone = \"UTC\"\n[source]\ntoken_env = \"FLOOR_CRM_TOKEN\"\n",
        Path::new("t.toml"),
    )
    .unwrap();
    let loaded = Loaded {
        settings,
        extra,
        file: None,
    };
    let text = config::dump(&loaded);
    assert!(text.contains("token_env = \"FLOOR_CRM_TOKEN\""), "{text}");
    assert_eq!(round_trip(&loaded), (loaded.settings, loaded.extra));
}

#[test]
fn paths_take_the_overrides() {
    let p = config::paths(
        Some(Path::new("/tmp/sd/c.toml")),
        Some(Path::new("/tmp/sd/data")),
    )
    .unwrap();
    assert_eq!(p.config_file, PathBuf::from("/tmp/sd/c.toml"));
    assert_eq!(p.data_dir, PathBuf::from("/tmp/sd/data"));
}
