//! The config file as a user meets it: the shipped example, files on disk,
//! `--config`, and `config show` output read back.

use std::path::{Path, PathBuf};

use shiftdeck::config::{
    self, ConfigError, ConfigLocation, ConfigOrigin, Expected, Extra, Found, Lang, Loaded, Problem,
    Theme,
};
use shiftdeck::domain::settings::{DEFAULT_RED_LINE, Direction, KpiKey, Settings};
use shiftdeck::i18n::{self, Localize};

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
fn a_bad_daily_quota_names_the_file_and_the_key() {
    let (err, en, zh) = refused("[spot_check]\nrate = 0.1\ndaily_quota = -5\n");
    assert_eq!(err.key.as_deref(), Some("spot_check.daily_quota"));
    assert!(
        en.starts_with("/etc/shiftdeck.toml:3: spot_check.daily_quota: "),
        "{en}"
    );
    assert!(en.contains("-5"), "{en}");
    assert!(
        zh.starts_with("/etc/shiftdeck.toml:3: spot_check.daily_quota: "),
        "{zh}"
    );
    let (_, en, _) = refused("[spot_check]\ndaily_quota = \"forty\"\n");
    assert!(
        en.starts_with("/etc/shiftdeck.toml:2: spot_check.daily_quota: "),
        "{en}"
    );
    // A good one is read, and `config show` writes it back.
    let (settings, extra) =
        config::parse_with_extra("[spot_check]\ndaily_quota = 40\n", Path::new("f.toml")).unwrap();
    assert_eq!(settings.spot_check.daily_quota, 40);
    let loaded = Loaded {
        settings,
        extra,
        file: None,
    };
    let shown = config::dump(&loaded);
    assert!(
        shown.contains("[spot_check]\nrate = 0.1\nseed = 0\ndaily_quota = 40\n"),
        "{shown}"
    );
    assert_eq!(round_trip(&loaded).0.spot_check.daily_quota, 40);
}

/// A refused file: its error in English and in Chinese.
fn refused(text: &str) -> (ConfigError, String, String) {
    let err = config::parse(text, Path::new("/etc/shiftdeck.toml")).unwrap_err();
    let (en, zh) = (err.to_string(), err.localize(i18n::Lang::Zh));
    (err, en, zh)
}

#[test]
fn an_unknown_key_lists_the_keys_there_are() {
    let (err, en, zh) = refused("[spot_check]\nrate = 0.2\nsede = 4\n");
    assert_eq!(
        *err.problem,
        Problem::UnknownKey {
            expected: vec!["rate", "seed", "daily_quota"]
        }
    );
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:3: spot_check.sede: unknown key (expected one of: rate, seed, daily_quota)"
    );
    assert_eq!(
        zh,
        "/etc/shiftdeck.toml:3: spot_check.sede: 未知的键（可用：rate, seed, daily_quota）"
    );
    // A whole unknown table is named at its header.
    let (_, en, _) = refused("timezone = \"UTC\"\n\n[sla.critical]\nfirst_response_min = 1\n");
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:3: sla.critical: unknown key (expected one of: urgent, high, medium, low)"
    );
}

#[test]
fn a_wrong_type_says_what_was_wanted_and_what_was_found() {
    let (err, en, zh) = refused("[targets.aht_s]\ntarget = 240\nalert = \"high\"\n");
    assert_eq!(
        *err.problem,
        Problem::WrongType {
            expected: Expected::Number,
            found: Found::Text("high".into())
        }
    );
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:3: targets.aht_s.alert: expected a number, found string \"high\""
    );
    assert_eq!(
        zh,
        "/etc/shiftdeck.toml:3: targets.aht_s.alert: 应为数字，实为字符串 \"high\""
    );
    // The unit is part of what was wanted; an item of a list is named by its index.
    let (_, en, _) = refused("[sla.high]\nfirst_response_min = 2.5\n");
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:2: sla.high.first_response_min: expected a whole number of minutes, found float 2.5"
    );
    let (_, en, zh) = refused("[red_line]\nphrases = [\"ok\", 3]\n");
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:2: red_line.phrases[1]: expected a string, found integer 3"
    );
    assert_eq!(
        zh,
        "/etc/shiftdeck.toml:2: red_line.phrases[1]: 应为字符串，实为整数 3"
    );
}

#[test]
fn an_out_of_range_value_gives_the_range() {
    let (err, en, zh) = refused("[display]\ntheme = \"default\"\nhuddle_rotate_s = 0\n");
    assert_eq!(
        *err.problem,
        Problem::Between {
            min: 1,
            max: 3600,
            got: 0
        }
    );
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:3: display.huddle_rotate_s: must be between 1 and 3600, got 0"
    );
    assert_eq!(
        zh,
        "/etc/shiftdeck.toml:3: display.huddle_rotate_s: 必须在 1 到 3600 之间，实为 0"
    );
    let (_, en, _) = refused("[targets.csat]\ntarget = 88\n");
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:2: targets.csat.target: 88 is out of range: rates are fractions from 0 to 1 (write 0.88 for 88 %)"
    );
}

#[test]
fn a_bad_combination_points_at_the_last_key_given() {
    let (err, en, zh) = refused("[sla.urgent]\nresolution_min = 5\nfirst_response_min = 10\n");
    assert_eq!(
        *err.problem,
        Problem::ResolutionBeforeResponse {
            resolution: 5,
            first_response: 10
        }
    );
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:3: sla.urgent.first_response_min: resolution_min 5 is shorter than first_response_min 10"
    );
    assert_eq!(
        zh,
        "/etc/shiftdeck.toml:3: sla.urgent.first_response_min: resolution_min 5 短于 first_response_min 10"
    );
    // Lower is better: an alert below the warn threshold (the target) is inverted.
    let (_, en, zh) = refused("[targets.aht_s]\nalert = 250\n");
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:2: targets.aht_s.alert: alert 250 is below warn 252 for a lower-is-better KPI; \
         set `alert` (and `warn`) so the alert lies at or beyond warn"
    );
    assert!(
        zh.ends_with(
            "告警值 250 却低于预警值 252；告警值应不低于预警值，请调整 `alert`（和 `warn`）"
        ),
        "{zh}"
    );
    let (_, en, _) = refused("[source]\ntoken_env = \"CRM_TOKEN\"\ntoken_file = \"tok\"\n");
    assert_eq!(
        en,
        "/etc/shiftdeck.toml:3: source.token_file: give only one of token_env and token_file"
    );
}

#[test]
fn a_toml_syntax_error_gives_the_line_and_quotes_the_parser() {
    let (err, en, zh) = refused("timezone = \"UTC\"\n[spot_check\nrate = 0.1\n");
    assert_eq!(err.line, Some(2));
    assert_eq!(err.key, None);
    let Problem::Syntax { detail } = &*err.problem else {
        panic!("not a syntax error: {en}");
    };
    assert!(!detail.is_empty());
    assert_eq!(en, format!("/etc/shiftdeck.toml:2: invalid TOML: {detail}"));
    assert_eq!(
        zh,
        format!("/etc/shiftdeck.toml:2: TOML 格式错误：{detail}")
    );
}

#[test]
fn an_unreadable_file_says_who_named_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let located = ConfigLocation {
        path: missing.clone(),
        origin: ConfigOrigin::Flag,
    };
    let err = config::load_at(&located).unwrap_err();
    assert!(
        matches!(*err.problem, Problem::Unreadable { kind, origin: ConfigOrigin::Flag, .. }
            if kind == std::io::ErrorKind::NotFound),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{}: cannot read it (named by --config): no such file",
            missing.display()
        )
    );
    assert_eq!(
        err.localize(i18n::Lang::Zh),
        format!(
            "{}: 无法读取（由 --config 指定）：文件不存在",
            missing.display()
        )
    );
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

/// `r` with a broken config: the console keeps the running config and says
/// on screen which file, line and key are wrong, until a reload succeeds.
#[test]
fn a_bad_config_on_reload_is_said_in_the_header_until_fixed() {
    use crate::ui_support::{app_with, draw, floor_ndjson, text};
    use shiftdeck::app::keymap::KeyAction as K;
    use shiftdeck::app::state::Action;
    use shiftdeck::runtime::effects::run_effects;

    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "shiftdeck.toml",
        "timezone = \"Asia/Shanghai\"\n[display]\ntheme = 42\n",
    );
    let (w, h) = (300, 40);
    let mut app = app_with(&floor_ndjson(), w, h);
    app.config_path = Some(path.clone());
    let rules = app.board.rules;
    let header = |app: &shiftdeck::app::state::App| {
        text(&draw(app, w, h))
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    };

    let effects = app.update(Action::Key(K::Reload));
    run_effects(&mut app, effects, None, None);
    let top = header(&app);
    assert!(top.contains("config not applied"), "{top}");
    assert!(top.contains("shiftdeck.toml:3: display.theme:"), "{top}");
    assert!(top.contains("press r"), "{top}");
    assert_eq!(app.board.rules, rules, "the running config stays");
    // It stays: the next clock tick and data do not clear it.
    app.update(Action::Tick(app.now));
    assert!(header(&app).contains("config not applied"));
    // In Chinese too.
    app.lang = shiftdeck::i18n::Lang::Zh;
    assert!(header(&app).contains("配置未生效"), "{}", header(&app));
    app.lang = shiftdeck::i18n::Lang::En;

    // Fixed, then `r`: the warning goes.
    std::fs::write(
        &path,
        "timezone = \"Asia/Shanghai\"\n[display]\ntheme = \"default\"\n",
    )
    .unwrap();
    let effects = app.update(Action::Key(K::Reload));
    run_effects(&mut app, effects, None, None);
    let top = header(&app);
    assert!(!top.contains("config not applied"), "{top}");
}
