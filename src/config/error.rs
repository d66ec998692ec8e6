//! The one error type of config reading: it always names the file, and the
//! key path and line when they are known, so a lead can go straight to it.
//! What is wrong is a typed [`Problem`] that says itself in the lead's
//! language through the catalogue ([`Localize`]); `Display` is the English.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::paths::ConfigOrigin;
use crate::domain::settings::Direction;
use crate::i18n::{Lang, Localize, Msg, t, tf};

/// A config file that could not be read as shiftdeck settings.
///
/// Says itself as `FILE:LINE: KEY: PROBLEM` (line and key left out when
/// unknown), e.g. `/home/lead/.config/shiftdeck/shiftdeck.toml:4:
/// targets.aht_s.alert: expected a number, found string "high"`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    /// The file the text came from (the `origin` given to `parse`).
    pub file: PathBuf,
    /// Dotted key path, e.g. `targets.aht_s.alert` or `red_line.phrases[1]`;
    /// `None` for problems with the whole file (unreadable, TOML syntax).
    pub key: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Boxed: the error travels in every `Result` of the parser.
    pub problem: Box<Problem>,
}

/// What is wrong. Values are kept as the lead wrote them (or as numbers), so
/// each language words the sentence around them.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The file could not be read; `detail` is the OS's own words, quoted
    /// only when `kind` has no wording of ours.
    Unreadable {
        origin: ConfigOrigin,
        kind: io::ErrorKind,
        detail: String,
    },
    /// Not TOML; `detail` is the TOML parser's own words.
    Syntax {
        detail: String,
    },
    /// A value of the wrong kind, e.g. a string where a number belongs.
    WrongType {
        expected: Expected,
        found: Found,
    },
    /// A key the table does not have; `expected` lists the keys it has.
    UnknownKey {
        expected: Vec<&'static str>,
    },
    /// A key the table must have.
    MissingKey {
        key: &'static str,
    },
    /// A name outside its list (a theme, a language, a direction).
    UnknownValue {
        found: String,
        expected: Vec<&'static str>,
    },
    /// A `[targets.NAME]` table for a KPI that does not exist.
    UnknownKpi {
        name: String,
        expected: Vec<&'static str>,
    },
    /// A value refused with words of another crate (serde), quoted.
    Invalid {
        detail: String,
    },
    Empty,
    Between {
        min: i128,
        max: i128,
        got: i128,
    },
    HoursNotPositive {
        got: f64,
    },
    RateOutOfRange {
        got: f64,
    },
    UnknownTimeZone {
        name: String,
    },
    KpiOutOfRange {
        got: f64,
        range: KpiRange,
    },
    NoDefaultTarget,
    /// The alert threshold lies inside the warn band.
    AlertInsideWarn {
        alert: f64,
        warn: f64,
        direction: Direction,
    },
    MinutesTooFew {
        got: i128,
    },
    MinutesTooMany {
        got: i128,
    },
    ResolutionBeforeResponse {
        resolution: u32,
        first_response: u32,
    },
    TokenEnvNotAName,
    TwoTokenSources,
    UrlNotHttp,
    UrlNoHost,
    UrlCredentials,
    UrlSecretInQuery,
    NoHomeForTilde,
    DimensionCount {
        got: usize,
    },
    /// `[store] url` is not a `postgres://` URL.
    StoreUrlNotPostgres,
    /// `[store] url` carries a password (never repeated in the message).
    StoreUrlPassword,
    /// `[store] url` has a query parameter other than `sslmode`, or an
    /// `sslmode` libpq does not know.
    StoreUrlParam,
    /// `[store] password_env` and `password_file` both given.
    TwoPasswordSources,
    /// A webhook needs exactly one of `url`, `url_env`, `url_file`.
    WebhookUrlSources,
    /// Only one of `secret_env`, `secret_file`.
    WebhookSecretSources,
    /// A robot URL that is its own secret, written in the config.
    WebhookUrlSecret,
    /// A signing secret for a format that signs nothing.
    WebhookSecretNotDingtalk,
}

/// What a value should have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Table,
    Text,
    Number,
    Hours,
    Fraction,
    WholeNumber,
    Seconds,
    Minutes,
    Array,
    Texts,
    Paths,
    /// Any value (what serde asks for when the schema says nothing more).
    Value,
}

/// What a value was, with its text as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Text(String),
    Integer(String),
    Float(String),
    Boolean(bool),
    Datetime(String),
    Array,
    Table,
}

/// Why a KPI target or threshold is out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiRange {
    Nps,
    Rate,
    NonNegative,
}

/// A number as the lead wrote it: whole numbers without ".0".
pub(super) fn show(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl Expected {
    pub const ALL: [Expected; 12] = [
        Expected::Table,
        Expected::Text,
        Expected::Number,
        Expected::Hours,
        Expected::Fraction,
        Expected::WholeNumber,
        Expected::Seconds,
        Expected::Minutes,
        Expected::Array,
        Expected::Texts,
        Expected::Paths,
        Expected::Value,
    ];

    fn msg(self) -> Msg {
        match self {
            Expected::Table => Msg::CfgTable,
            Expected::Text => Msg::CfgExpText,
            Expected::Number => Msg::CfgExpNumber,
            Expected::Hours => Msg::CfgExpHours,
            Expected::Fraction => Msg::CfgExpFraction,
            Expected::WholeNumber => Msg::CfgExpWhole,
            Expected::Seconds => Msg::CfgExpSeconds,
            Expected::Minutes => Msg::CfgExpMinutes,
            Expected::Array => Msg::CfgArray,
            Expected::Texts => Msg::CfgExpTexts,
            Expected::Paths => Msg::CfgExpPaths,
            Expected::Value => Msg::CfgExpValue,
        }
    }
}

impl Found {
    fn say(&self, lang: Lang) -> String {
        match self {
            Found::Text(s) => tf(lang, Msg::CfgFoundText, &[&format!("{s:?}")]),
            Found::Integer(s) => tf(lang, Msg::CfgFoundInteger, &[s]),
            Found::Float(s) => tf(lang, Msg::CfgFoundFloat, &[s]),
            Found::Boolean(b) => tf(lang, Msg::CfgFoundBoolean, &[b]),
            Found::Datetime(s) => tf(lang, Msg::CfgFoundDatetime, &[s]),
            Found::Array => t(lang, Msg::CfgArray).to_string(),
            Found::Table => t(lang, Msg::CfgTable).to_string(),
        }
    }
}

impl Problem {
    /// The problem in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let list = |names: &[&str]| names.join(", ");
        match self {
            Problem::Unreadable {
                origin,
                kind,
                detail,
            } => {
                let named_by = match origin {
                    ConfigOrigin::Flag => "--config",
                    ConfigOrigin::Env => super::paths::CONFIG_ENV,
                    ConfigOrigin::Default => t(lang, Msg::CfgDefaultLocation),
                };
                let why = match kind {
                    io::ErrorKind::NotFound => t(lang, Msg::CfgIoNotFound),
                    io::ErrorKind::PermissionDenied => t(lang, Msg::CfgIoDenied),
                    io::ErrorKind::IsADirectory => t(lang, Msg::CfgIoFolder),
                    io::ErrorKind::InvalidData => t(lang, Msg::CfgIoNotUtf8),
                    _ => detail,
                };
                tf(lang, Msg::CfgUnreadable, &[&named_by, &why])
            }
            Problem::Syntax { detail } => tf(lang, Msg::CfgSyntax, &[detail]),
            Problem::WrongType { expected, found } => tf(
                lang,
                Msg::CfgWrongType,
                &[&t(lang, expected.msg()), &found.say(lang)],
            ),
            Problem::UnknownKey { expected } => tf(lang, Msg::CfgUnknownKey, &[&list(expected)]),
            Problem::MissingKey { key } => tf(lang, Msg::CfgMissingKey, &[key]),
            Problem::UnknownValue { found, expected } => tf(
                lang,
                Msg::CfgUnknownValue,
                &[&format!("{found:?}"), &list(expected)],
            ),
            Problem::UnknownKpi { name, expected } => {
                tf(lang, Msg::CfgUnknownKpi, &[name, &list(expected)])
            }
            Problem::Invalid { detail } => tf(lang, Msg::CfgInvalid, &[detail]),
            Problem::Empty => t(lang, Msg::CfgEmpty).to_string(),
            Problem::Between { min, max, got } => tf(lang, Msg::CfgBetween, &[min, max, got]),
            Problem::HoursNotPositive { got } => tf(lang, Msg::CfgHoursNotPositive, &[&show(*got)]),
            Problem::RateOutOfRange { got } => tf(lang, Msg::CfgRateRange, &[&show(*got)]),
            Problem::UnknownTimeZone { name } => tf(lang, Msg::CfgUnknownTimeZone, &[name]),
            Problem::KpiOutOfRange { got, range } => {
                let why = match range {
                    KpiRange::Nps => Msg::CfgRangeNps,
                    KpiRange::Rate => Msg::CfgRangeRate,
                    KpiRange::NonNegative => Msg::CfgRangeNonNegative,
                };
                tf(lang, Msg::CfgKpiOutOfRange, &[&show(*got), &t(lang, why)])
            }
            Problem::NoDefaultTarget => t(lang, Msg::CfgNoDefaultTarget).to_string(),
            Problem::AlertInsideWarn {
                alert,
                warn,
                direction,
            } => {
                let m = match direction {
                    Direction::Lower => Msg::CfgAlertBelowWarn,
                    Direction::Higher => Msg::CfgAlertAboveWarn,
                };
                tf(lang, m, &[&show(*alert), &show(*warn)])
            }
            Problem::MinutesTooFew { got } => tf(lang, Msg::CfgMinutesTooFew, &[got]),
            Problem::MinutesTooMany { got } => tf(lang, Msg::CfgMinutesTooMany, &[got]),
            Problem::ResolutionBeforeResponse {
                resolution,
                first_response,
            } => tf(
                lang,
                Msg::CfgResolutionBeforeResponse,
                &[resolution, first_response],
            ),
            Problem::TokenEnvNotAName => t(lang, Msg::CfgTokenEnvNotAName).to_string(),
            Problem::TwoTokenSources => t(lang, Msg::CfgTwoTokenSources).to_string(),
            Problem::UrlNotHttp => t(lang, Msg::CfgUrlNotHttp).to_string(),
            Problem::UrlNoHost => t(lang, Msg::CfgUrlNoHost).to_string(),
            Problem::UrlCredentials => t(lang, Msg::CfgUrlCredentials).to_string(),
            Problem::UrlSecretInQuery => t(lang, Msg::CfgUrlSecretInQuery).to_string(),
            Problem::StoreUrlNotPostgres => t(lang, Msg::CfgStoreUrlNotPostgres).to_string(),
            Problem::StoreUrlPassword => t(lang, Msg::CfgStoreUrlPassword).to_string(),
            Problem::StoreUrlParam => t(lang, Msg::CfgStoreUrlParam).to_string(),
            Problem::TwoPasswordSources => t(lang, Msg::CfgTwoPasswordSources).to_string(),
            Problem::NoHomeForTilde => t(lang, Msg::CfgNoHomeForTilde).to_string(),
            Problem::DimensionCount { got } => tf(lang, Msg::CfgDimensionCount, &[got]),
            Problem::WebhookUrlSources => t(lang, Msg::CfgWebhookUrlSources).to_string(),
            Problem::WebhookSecretSources => t(lang, Msg::CfgWebhookSecretSources).to_string(),
            Problem::WebhookUrlSecret => t(lang, Msg::CfgWebhookUrlSecret).to_string(),
            Problem::WebhookSecretNotDingtalk => {
                t(lang, Msg::CfgWebhookSecretNotDingtalk).to_string()
            }
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl Localize for ConfigError {
    fn localize(&self, lang: Lang) -> String {
        let mut out = self.file.display().to_string();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
        }
        out.push_str(": ");
        if let Some(key) = &self.key {
            out.push_str(key);
            out.push_str(": ");
        }
        out.push_str(&self.problem.say(lang));
        out
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(problem: Problem) -> ConfigError {
        ConfigError {
            file: PathBuf::from("/etc/shiftdeck.toml"),
            key: Some("targets.aht_s.alert".into()),
            line: Some(7),
            problem: Box::new(problem),
        }
    }

    #[test]
    fn display_names_file_line_and_key() {
        let e = at(Problem::WrongType {
            expected: Expected::Number,
            found: Found::Boolean(true),
        });
        assert_eq!(
            e.to_string(),
            "/etc/shiftdeck.toml:7: targets.aht_s.alert: expected a number, found boolean true"
        );
        assert_eq!(
            e.localize(Lang::Zh),
            "/etc/shiftdeck.toml:7: targets.aht_s.alert: 应为数字，实为布尔值 true"
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

    /// One of each problem, with every kind of expectation and value, so a
    /// new variant without its words shows up here.
    fn every_problem() -> Vec<Problem> {
        let mut all = vec![
            Problem::Syntax {
                detail: "`=` =".into(),
            },
            Problem::UnknownKey {
                expected: vec!["rate", "seed"],
            },
            Problem::MissingKey { key: "target" },
            Problem::UnknownValue {
                found: "neon".into(),
                expected: vec!["default", "high-contrast"],
            },
            Problem::UnknownKpi {
                name: "speed".into(),
                expected: vec!["csat", "nps"],
            },
            Problem::Invalid {
                detail: "42".into(),
            },
            Problem::Empty,
            Problem::Between {
                min: 1,
                max: 3600,
                got: 0,
            },
            Problem::HoursNotPositive { got: -12.0 },
            Problem::RateOutOfRange { got: 1.5 },
            Problem::UnknownTimeZone {
                name: "Mars/Base".into(),
            },
            Problem::NoDefaultTarget,
            Problem::MinutesTooFew { got: 0 },
            Problem::MinutesTooMany { got: 1 << 40 },
            Problem::ResolutionBeforeResponse {
                resolution: 5,
                first_response: 10,
            },
            Problem::TokenEnvNotAName,
            Problem::TwoTokenSources,
            Problem::UrlNotHttp,
            Problem::UrlNoHost,
            Problem::UrlCredentials,
            Problem::UrlSecretInQuery,
            Problem::NoHomeForTilde,
            Problem::DimensionCount { got: 0 },
            Problem::StoreUrlNotPostgres,
            Problem::StoreUrlPassword,
            Problem::StoreUrlParam,
            Problem::TwoPasswordSources,
            Problem::WebhookUrlSources,
            Problem::WebhookSecretSources,
            Problem::WebhookUrlSecret,
            Problem::WebhookSecretNotDingtalk,
        ];
        for origin in [ConfigOrigin::Flag, ConfigOrigin::Env, ConfigOrigin::Default] {
            for kind in [
                io::ErrorKind::NotFound,
                io::ErrorKind::PermissionDenied,
                io::ErrorKind::IsADirectory,
                io::ErrorKind::InvalidData,
            ] {
                all.push(Problem::Unreadable {
                    origin,
                    kind,
                    detail: "os words".into(),
                });
            }
        }
        for range in [KpiRange::Nps, KpiRange::Rate, KpiRange::NonNegative] {
            all.push(Problem::KpiOutOfRange { got: 120.0, range });
        }
        for direction in [Direction::Lower, Direction::Higher] {
            all.push(Problem::AlertInsideWarn {
                alert: 250.0,
                warn: 252.0,
                direction,
            });
        }
        let found = [
            Found::Text("high".into()),
            Found::Integer("5".into()),
            Found::Float("0.5".into()),
            Found::Boolean(false),
            Found::Datetime("1979-05-27".into()),
            Found::Array,
            Found::Table,
        ];
        for expected in Expected::ALL {
            for found in &found {
                all.push(Problem::WrongType {
                    expected,
                    found: found.clone(),
                });
            }
        }
        all
    }

    /// Latin words a Chinese sentence may keep: key and value names, units.
    fn english_words(s: &str) -> Vec<String> {
        const KEPT: &[&str] = &[
            "toml",
            "config",
            "shiftdeck",
            "iana",
            "asia",
            "shanghai",
            "nps",
            "alert",
            "warn",
            "target",
            "direction",
            "token",
            "env",
            "file",
            "resolution",
            "min",
            "first",
            "response",
            "source",
            "http",
            "https",
            "url",
            "utf",
            "high",
            "contrast",
            "default",
            "csat",
            "rate",
            "seed",
            "neon",
            "speed",
            "mars",
            "base",
            "true",
            "false",
            "postgres",
            "store",
            "password",
            "sslmode",
            "disable",
            "allow",
            "prefer",
            "require",
            "verify",
            "ca",
            "full",
            "secret",
            "dingtalk",
            "slack",
        ];
        s.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 1 && !KEPT.contains(&w.to_ascii_lowercase().as_str()))
            .map(str::to_string)
            .collect()
    }

    /// Which variant: a new one fails to compile here until it is added to
    /// [`every_problem`].
    fn variant(p: &Problem) -> usize {
        match p {
            Problem::Unreadable { .. } => 0,
            Problem::Syntax { .. } => 1,
            Problem::WrongType { .. } => 2,
            Problem::UnknownKey { .. } => 3,
            Problem::MissingKey { .. } => 4,
            Problem::UnknownValue { .. } => 5,
            Problem::UnknownKpi { .. } => 6,
            Problem::Invalid { .. } => 7,
            Problem::Empty => 8,
            Problem::Between { .. } => 9,
            Problem::HoursNotPositive { .. } => 10,
            Problem::RateOutOfRange { .. } => 11,
            Problem::UnknownTimeZone { .. } => 12,
            Problem::KpiOutOfRange { .. } => 13,
            Problem::NoDefaultTarget => 14,
            Problem::AlertInsideWarn { .. } => 15,
            Problem::MinutesTooFew { .. } => 16,
            Problem::MinutesTooMany { .. } => 17,
            Problem::ResolutionBeforeResponse { .. } => 18,
            Problem::TokenEnvNotAName => 19,
            Problem::TwoTokenSources => 20,
            Problem::UrlNotHttp => 21,
            Problem::UrlNoHost => 22,
            Problem::UrlCredentials => 23,
            Problem::UrlSecretInQuery => 24,
            Problem::NoHomeForTilde => 25,
            Problem::DimensionCount { .. } => 26,
            Problem::StoreUrlNotPostgres => 27,
            Problem::StoreUrlPassword => 28,
            Problem::StoreUrlParam => 29,
            Problem::TwoPasswordSources => 30,
            Problem::WebhookUrlSources => 31,
            Problem::WebhookSecretSources => 32,
            Problem::WebhookUrlSecret => 33,
            Problem::WebhookSecretNotDingtalk => 34,
        }
    }

    #[test]
    fn every_problem_says_itself_in_both_languages() {
        let all = every_problem();
        let mut seen: Vec<usize> = all.iter().map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..35).collect::<Vec<_>>(), "a variant is missing");
        for p in all {
            let e = at(p.clone());
            let (en, zh) = (e.to_string(), e.localize(Lang::Zh));
            assert_eq!(en, e.localize(Lang::En), "{p:?}");
            assert!(
                en.starts_with("/etc/shiftdeck.toml:7: targets.aht_s.alert: "),
                "{en}"
            );
            assert!(
                zh.starts_with("/etc/shiftdeck.toml:7: targets.aht_s.alert: "),
                "{zh}"
            );
            assert!(!en.contains("{}") && !zh.contains("{}"), "{p:?}: hole left");
            assert_ne!(en, zh, "{p:?}: Chinese is the English");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{p:?}: {zh}"
            );
            let left = english_words(&p.say(Lang::Zh));
            assert!(left.is_empty(), "{p:?}: English left in {zh:?}: {left:?}");
        }
    }

    #[test]
    fn values_are_kept_as_written() {
        let p = Problem::AlertInsideWarn {
            alert: 250.0,
            warn: 252.5,
            direction: Direction::Lower,
        };
        assert!(
            p.to_string().starts_with("alert 250 is below warn 252.5"),
            "{p}"
        );
        assert!(
            p.say(Lang::Zh).contains("告警值 250 却低于预警值 252.5"),
            "{}",
            p.say(Lang::Zh)
        );
        let p = Problem::UnknownValue {
            found: "neon".into(),
            expected: vec!["default", "high-contrast"],
        };
        assert_eq!(
            p.to_string(),
            "unknown value \"neon\" (expected one of: default, high-contrast)"
        );
        assert_eq!(
            p.say(Lang::Zh),
            "未知取值 \"neon\"（可用：default, high-contrast）"
        );
    }
}
