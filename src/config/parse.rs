//! TOML text → `Settings` + `Extra`.
//!
//! The file's shape is the serde schema below (`Raw*`, every table
//! `deny_unknown_fields`, every value [`Spanned`]): serde and the `toml`
//! crate refuse unknown keys (listing the keys there are) and values of the
//! wrong kind, naming key path and line (through `de.rs`). What is left here
//! is what a schema cannot say: ranges, names from a list, and the checks
//! across fields, each pointing at the lead's own key and line.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;
use toml::de::DeTable;

use super::de::{Fault, from_table, join};
use super::error::{ConfigError, KpiRange, Problem};
use super::extra::{AlertsConfig, DefaultPriority, Extra, Lang, SourceConfig, Theme, UngroupedBy};
use super::store::{PgUrl, PgUrlProblem, StoreConfig};
use super::webhook::{
    DEFAULT_WEBHOOK_TIMEOUT_S, RawWebhook, SecretRef, WebhookConfig, WebhookFormat,
};
use crate::domain::alerts::AlertRules;
use crate::domain::followup::FollowupRules;
use crate::domain::settings::{
    CHANNEL_KPIS, ChannelTarget, Direction, KpiKey, Settings, SlaTarget, Target,
};
use crate::domain::snapshot::AgentFlag;

/// Parses a whole config text. `origin` is the file it came from: it is named
/// in errors and anchors relative paths of `[source]`.
pub fn parse_with_extra(text: &str, origin: &Path) -> Result<(Settings, Extra), ConfigError> {
    let check = Checker { text, file: origin };
    let table = DeTable::parse(text).map_err(|e| check.syntax(&e))?;
    let raw: RawConfig = from_table(table).map_err(|f| check.fault(f))?;
    check.settings(raw)
}

/// The machine's local IANA zone: `TZ` when it names one (as chrono's `Local`
/// honours it), else the system setting via `iana-time-zone`, else UTC with a
/// warning in the log.
pub fn local_timezone() -> Tz {
    if let Ok(tz) = std::env::var("TZ")
        && let Ok(zone) = tz.trim_start_matches(':').parse::<Tz>()
    {
        return zone;
    }
    match iana_time_zone::get_timezone() {
        Ok(name) => match name.parse::<Tz>() {
            Ok(zone) => zone,
            Err(_) => {
                tracing::warn!(zone = %name, "local time zone is not a known IANA name; using UTC");
                Tz::UTC
            }
        },
        Err(err) => {
            tracing::warn!(error = %err, "could not find the local time zone; using UTC");
            Tz::UTC
        }
    }
}

// ── The schema (docs/configuration.md). Every key is optional: a key left
// out keeps its default.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    timezone: Option<Spanned<String>>,
    fcr_window_h: Option<Spanned<Hours>>,
    spot_check: Option<RawSpotCheck>,
    red_line: Option<RawRedLine>,
    /// `[targets.<kpi>]`: checked against the KPI names in code.
    targets: Option<BTreeMap<Spanned<String>, Spanned<RawTarget>>>,
    sla: Option<RawSla>,
    source: Option<RawSource>,
    display: Option<RawDisplay>,
    user: Option<RawUser>,
    scorecard: Option<RawScorecard>,
    feedback: Option<RawFeedback>,
    agents: Option<RawAgents>,
    huddle: Option<RawHuddle>,
    store: Option<RawStore>,
    alerts: Option<RawAlerts>,
}

/// `[store]`: where the lead's entries are kept (docs/store.md).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    url: Option<Spanned<String>>,
    password_env: Option<Spanned<String>>,
    password_file: Option<Spanned<String>>,
    schema: Option<Spanned<String>>,
}

/// `[alerts]`: the alert rules (spec section 10) and the console's bell.
/// A threshold of 0 turns its rule off.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlerts {
    enabled: Option<Spanned<bool>>,
    hold_down_s: Option<Spanned<Seconds>>,
    kpi_warn: Option<Spanned<bool>>,
    kpi_min_n: Option<Spanned<i128>>,
    queue_waiting: Option<Spanned<i128>>,
    queue_longest_wait_s: Option<Spanned<Seconds>>,
    sla_due_within_min: Option<Spanned<Minutes>>,
    sla_breached: Option<Spanned<bool>>,
    sla_priorities: Option<Spanned<Texts>>,
    feedback_overdue: Option<Spanned<bool>>,
    staffing_gap_min: Option<Spanned<Minutes>>,
    staffing_ahead_min: Option<Spanned<Minutes>>,
    agent_flags: Option<Spanned<Texts>>,
    bell: Option<Spanned<bool>>,
    /// `[[alerts.webhook]]` (config/webhook.rs).
    webhook: Option<Vec<Spanned<RawWebhook>>>,
}

/// `[agents]`: the agent flags' thresholds (spec section 8).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgents {
    break_max_min: Option<Spanned<i128>>,
    min_n: Option<Spanned<i128>>,
    qa_min: Option<Spanned<i128>>,
}

/// `[huddle]`: what the shared screen may show.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHuddle {
    show_agents: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpotCheck {
    rate: Option<Spanned<Fraction>>,
    seed: Option<Spanned<i128>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRedLine {
    phrases: Option<Spanned<Texts>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    target: Option<Spanned<f64>>,
    warn: Option<Spanned<f64>>,
    alert: Option<Spanned<f64>>,
    direction: Option<Spanned<String>>,
    /// `[targets.<kpi>.channel.<channel>]`: the queues of one channel.
    channel: Option<BTreeMap<Spanned<String>, Spanned<RawTarget>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSla {
    urgent: Option<Spanned<RawSlaTarget>>,
    high: Option<Spanned<RawSlaTarget>>,
    medium: Option<Spanned<RawSlaTarget>>,
    low: Option<Spanned<RawSlaTarget>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSlaTarget {
    first_response_min: Option<Spanned<Minutes>>,
    resolution_min: Option<Spanned<Minutes>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    file: Option<Spanned<Paths>>,
    crm: Option<Spanned<String>>,
    poll_s: Option<Spanned<Seconds>>,
    token_env: Option<Spanned<String>>,
    token_file: Option<Spanned<String>>,
    zendesk: Option<RawZendesk>,
    concurrency: Option<Spanned<i128>>,
    cache: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZendesk {
    ungrouped_queue: Option<Spanned<String>>,
    ungrouped_by: Option<Spanned<String>>,
    default_priority: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisplay {
    theme: Option<Spanned<String>>,
    huddle_rotate_s: Option<Spanned<Seconds>>,
    lang: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    name: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScorecard {
    dimensions: Option<Spanned<Texts>>,
    scale_max: Option<Spanned<i128>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeedback {
    investigate_within_business_days: Option<Spanned<i128>>,
    resolve_within_days: Option<Spanned<i128>>,
    callback_unsatisfied_reopens_h: Option<Spanned<i128>>,
    escalation_stale_h: Option<Spanned<i128>>,
}

// Newtypes that say what a value means, so a value of the wrong kind is told
// "a number of hours" (see `de::expectation_of`).
#[derive(Deserialize)]
struct Hours(f64);
#[derive(Deserialize)]
struct Fraction(f64);
#[derive(Deserialize)]
struct Minutes(i128);
#[derive(Deserialize)]
struct Seconds(i128);
#[derive(Deserialize)]
struct Texts(Vec<Spanned<String>>);

/// `[source] file`: a list of paths; one path may be given bare.
enum Paths {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Paths, D::Error> {
        struct PathsVisitor;
        impl<'de> Visitor<'de> for PathsVisitor {
            type Value = Paths;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a path or an array of paths")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Paths, D::Error> {
                d.deserialize_any(PathsVisitor)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Paths, E> {
                Ok(Paths::One(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Paths, A::Error> {
                let mut paths = Vec::new();
                while let Some(p) = seq.next_element()? {
                    paths.push(p);
                }
                Ok(Paths::Many(paths))
            }
        }
        d.deserialize_newtype_struct("Paths", PathsVisitor)
    }
}

// ── The checks a schema cannot make.

struct Checker<'a> {
    text: &'a str,
    file: &'a Path,
}

/// The last of the given fields in the file: where a check across fields
/// points, so the error lands on the lead's own line.
fn last_given<'f>(fields: &[(&'f str, Option<Range<usize>>)]) -> Option<(&'f str, Range<usize>)> {
    fields
        .iter()
        .filter_map(|(name, span)| Some((*name, span.clone()?)))
        .max_by_key(|(_, span)| span.start)
}

impl Checker<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn error(&self, key: &str, span: &Range<usize>, problem: Problem) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            key: Some(key.to_string()),
            line: Some(self.line(span)),
            problem: Box::new(problem),
        }
    }

    fn syntax(&self, e: &toml::de::Error) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            key: None,
            line: e.span().map(|s| self.line(&s)),
            problem: Box::new(Problem::Syntax {
                detail: e.message().trim().replace('\n', "; "),
            }),
        }
    }

    fn fault(&self, f: Fault) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            key: f.key_path(),
            line: f.span.as_ref().map(|s| self.line(s)),
            problem: Box::new(f.problem),
        }
    }

    /// A string that must hold something besides blanks.
    fn nonblank<'s>(&self, key: &str, v: &'s Spanned<String>) -> Result<&'s str, ConfigError> {
        if v.get_ref().trim().is_empty() {
            return Err(self.error(key, &v.span(), Problem::Empty));
        }
        Ok(v.get_ref())
    }

    /// Each string of a list, not blank.
    fn texts(&self, key: &str, v: &Spanned<Texts>) -> Result<Vec<String>, ConfigError> {
        v.get_ref()
            .0
            .iter()
            .enumerate()
            .map(|(i, s)| Ok(self.nonblank(&format!("{key}[{i}]"), s)?.trim().to_string()))
            .collect()
    }

    /// A whole number in `min..=max`.
    fn between(
        &self,
        key: &str,
        v: &Spanned<i128>,
        min: i128,
        max: i128,
    ) -> Result<i128, ConfigError> {
        let got = *v.get_ref();
        if got < min || got > max {
            return Err(self.error(key, &v.span(), Problem::Between { min, max, got }));
        }
        Ok(got)
    }

    /// A name from a list (`names` gives each one's name).
    fn choice<T: Copy>(
        &self,
        key: &str,
        v: &Spanned<String>,
        all: &[T],
        name: fn(T) -> &'static str,
    ) -> Result<T, ConfigError> {
        all.iter()
            .copied()
            .find(|&c| name(c) == v.get_ref())
            .ok_or_else(|| {
                self.error(
                    key,
                    &v.span(),
                    Problem::UnknownValue {
                        found: v.get_ref().clone(),
                        expected: all.iter().map(|&c| name(c)).collect(),
                    },
                )
            })
    }

    fn settings(&self, raw: RawConfig) -> Result<(Settings, Extra), ConfigError> {
        // Start from the spec's defaults; the zone is settled at the end so the
        // local zone is looked up (and any warning logged) only when none is given.
        let mut settings = Settings::defaults_in(Tz::UTC);
        let mut extra = Extra::default();
        let timezone = match &raw.timezone {
            Some(v) => Some(v.get_ref().parse::<Tz>().map_err(|_| {
                let name = v.get_ref().clone();
                self.error("timezone", &v.span(), Problem::UnknownTimeZone { name })
            })?),
            None => None,
        };
        if let Some(v) = &raw.fcr_window_h {
            let got = v.get_ref().0;
            if got <= 0.0 {
                let problem = Problem::HoursNotPositive { got };
                return Err(self.error("fcr_window_h", &v.span(), problem));
            }
            settings.fcr_window_h = got;
        }
        if let Some(spot) = &raw.spot_check {
            if let Some(v) = &spot.rate {
                let got = v.get_ref().0;
                // 0 would sample nothing; above 1 asks for more contacts than exist.
                if got <= 0.0 || got > 1.0 {
                    let problem = Problem::RateOutOfRange { got };
                    return Err(self.error("spot_check.rate", &v.span(), problem));
                }
                settings.spot_check.rate = got;
            }
            if let Some(v) = &spot.seed {
                settings.spot_check.seed =
                    self.between("spot_check.seed", v, 0, i128::from(u64::MAX))? as u64;
            }
        }
        if let Some(phrases) = raw.red_line.as_ref().and_then(|r| r.phrases.as_ref()) {
            // The given list replaces the starter list; an empty list turns the
            // flag off. An empty phrase is in every text and would flag everything.
            settings.red_line = self.texts("red_line.phrases", phrases)?;
        }
        let mut targets: Vec<_> = raw.targets.iter().flatten().collect();
        targets.sort_by_key(|(k, _)| k.span().start);
        for (name, v) in targets {
            let key = join("targets", name.get_ref());
            let Some(kpi) = KpiKey::from_key(name.get_ref()) else {
                let problem = Problem::UnknownKpi {
                    name: name.get_ref().clone(),
                    expected: KpiKey::ALL.iter().map(|k| k.key()).collect(),
                };
                return Err(self.error(&key, &name.span(), problem));
            };
            let slot = &mut settings.targets[kpi.index()];
            let floor_target = self.target(&key, kpi, v, *slot)?;
            *slot = Some(floor_target);
            let mut channels: Vec<_> = v.get_ref().channel.iter().flatten().collect();
            channels.sort_by_key(|(k, _)| k.span().start);
            for (channel, cv) in channels {
                let ch_key = join(&join(&key, "channel"), channel.get_ref());
                if !CHANNEL_KPIS.contains(&kpi) {
                    let problem = Problem::UnknownKey {
                        expected: vec!["target", "warn", "alert", "direction"],
                    };
                    return Err(self.error(&join(&key, "channel"), &channel.span(), problem));
                }
                if let Some(nested) = &cv.get_ref().channel {
                    let span = nested.keys().next().map_or(cv.span(), |k| k.span());
                    let problem = Problem::UnknownKey {
                        expected: vec!["target", "warn", "alert", "direction"],
                    };
                    return Err(self.error(&join(&ch_key, "channel"), &span, problem));
                }
                let name = self.nonblank(&ch_key, channel)?.trim().to_string();
                let target = self.target(&ch_key, kpi, cv, Some(floor_target))?;
                settings
                    .channel_targets
                    .retain(|c| !(c.key == kpi && c.channel == name));
                settings.channel_targets.push(ChannelTarget {
                    key: kpi,
                    channel: name,
                    target,
                });
            }
        }
        if let Some(sla) = &raw.sla {
            let tables = [
                ("urgent", &sla.urgent, &mut settings.sla.urgent),
                ("high", &sla.high, &mut settings.sla.high),
                ("medium", &sla.medium, &mut settings.sla.medium),
                ("low", &sla.low, &mut settings.sla.low),
            ];
            for (name, given, slot) in tables {
                if let Some(v) = given {
                    *slot = self.sla_target(&join("sla", name), v.get_ref(), *slot)?;
                }
            }
        }
        if let Some(source) = &raw.source {
            self.source(source, &mut extra.source)?;
        }
        if let Some(display) = &raw.display {
            if let Some(v) = &display.theme {
                extra.display.theme =
                    self.choice("display.theme", v, &Theme::ALL, Theme::as_str)?;
            }
            if let Some(v) = &display.huddle_rotate_s {
                let v = Spanned::new(v.span(), v.get_ref().0);
                extra.display.huddle_rotate_s =
                    self.between("display.huddle_rotate_s", &v, 1, 3_600)? as u64;
            }
            if let Some(v) = &display.lang {
                extra.display.lang = self.choice("display.lang", v, &Lang::ALL, Lang::as_str)?;
            }
        }
        if let Some(v) = raw.user.as_ref().and_then(|u| u.name.as_ref()) {
            extra.user.name = Some(self.nonblank("user.name", v)?.trim().to_string());
        }
        if let Some(scorecard) = &raw.scorecard {
            if let Some(v) = &scorecard.dimensions {
                // A scorecard needs something to score; the form shows up to 9.
                let got = v.get_ref().0.len();
                if !(1..=9).contains(&got) {
                    let problem = Problem::DimensionCount { got };
                    return Err(self.error("scorecard.dimensions", &v.span(), problem));
                }
                extra.scorecard.dimensions = self.texts("scorecard.dimensions", v)?;
            }
            if let Some(v) = &scorecard.scale_max {
                extra.scorecard.scale_max = self.between("scorecard.scale_max", v, 2, 10)? as u8;
            }
        }
        if let Some(feedback) = &raw.feedback {
            self.feedback(feedback, &mut extra.feedback)?;
        }
        if let Some(agents) = &raw.agents {
            let rules = &mut settings.agents;
            if let Some(v) = &agents.break_max_min {
                // Up to a whole shift.
                rules.break_max_min = self.between("agents.break_max_min", v, 1, 720)? as u32;
            }
            if let Some(v) = &agents.min_n {
                rules.min_n = self.between("agents.min_n", v, 1, 1_000_000)? as u64;
            }
            if let Some(v) = &agents.qa_min {
                // A scorecard total out of 20.
                rules.qa_min = self.between("agents.qa_min", v, 0, 20)? as f64;
            }
        }
        if let Some(v) = raw.huddle.as_ref().and_then(|h| h.show_agents.as_ref()) {
            extra.huddle.show_agents = *v.get_ref();
        }
        if let Some(store) = &raw.store {
            self.store(store, &mut extra.store)?;
        }
        if let Some(alerts) = &raw.alerts {
            self.alerts(alerts, &mut settings.alerts, &mut extra.alerts)?;
        }
        if let Some(hooks) = raw.alerts.as_ref().and_then(|a| a.webhook.as_ref()) {
            extra.alerts.webhooks = self.webhooks(hooks)?;
        }
        settings.timezone = timezone.unwrap_or_else(local_timezone);
        Ok((settings, extra))
    }

    /// One `[targets.<kpi>]` table laid over the default: only given fields change.
    fn target(
        &self,
        key: &str,
        kpi: KpiKey,
        v: &Spanned<RawTarget>,
        default: Option<Target>,
    ) -> Result<Target, ConfigError> {
        let raw = v.get_ref();
        let value = |field: &str, x: &Option<Spanned<f64>>| {
            x.as_ref()
                .map(|x| self.kpi_value(&join(key, field), kpi, x))
                .transpose()
        };
        let value_target = value("target", &raw.target)?;
        let warn = value("warn", &raw.warn)?;
        let alert = value("alert", &raw.alert)?;
        let direction = match &raw.direction {
            Some(d) => Some(self.choice(
                &join(key, "direction"),
                d,
                &[Direction::Higher, Direction::Lower],
                Direction::as_str,
            )?),
            None => None,
        };
        let mut t = match (default, value_target, direction) {
            (Some(t), _, _) => t,
            // Every KPI has a default today; a KPI without one needs both fields.
            (None, Some(target), Some(direction)) => Target {
                target,
                warn: None,
                alert: None,
                direction,
            },
            (None, _, _) => return Err(self.error(key, &v.span(), Problem::NoDefaultTarget)),
        };
        if let Some(x) = value_target {
            t.target = x;
        }
        t.warn = warn.or(t.warn);
        t.alert = alert.or(t.alert);
        t.direction = direction.unwrap_or(t.direction);
        // An alert short of warn is a typo (or a flipped direction that kept the
        // default alert): the warn band would be inverted.
        if let Some(a) = t.alert {
            let w = t.warn_threshold();
            let inverted = match t.direction {
                Direction::Lower => a < w,
                Direction::Higher => a > w,
            };
            if inverted {
                let fields = [
                    ("target", raw.target.as_ref().map(Spanned::span)),
                    ("warn", raw.warn.as_ref().map(Spanned::span)),
                    ("alert", raw.alert.as_ref().map(Spanned::span)),
                    ("direction", raw.direction.as_ref().map(Spanned::span)),
                ];
                let (field_key, span) = match last_given(&fields) {
                    Some((field, span)) => (join(key, field), span),
                    None => (key.to_string(), v.span()),
                };
                let problem = Problem::AlertInsideWarn {
                    alert: a,
                    warn: w,
                    direction: t.direction,
                };
                return Err(self.error(&field_key, &span, problem));
            }
        }
        Ok(t)
    }

    /// A target or threshold in the KPI's own unit, range-checked so that
    /// "88" for 88 % is caught instead of making CSAT warn forever.
    fn kpi_value(&self, key: &str, kpi: KpiKey, v: &Spanned<f64>) -> Result<f64, ConfigError> {
        let got = *v.get_ref();
        let range = if kpi == KpiKey::Nps {
            (!(-100.0..=100.0).contains(&got)).then_some(KpiRange::Nps)
        } else if kpi.is_rate() {
            (!(0.0..=1.0).contains(&got)).then_some(KpiRange::Rate)
        } else {
            (got < 0.0).then_some(KpiRange::NonNegative)
        };
        match range {
            Some(range) => Err(self.error(key, &v.span(), Problem::KpiOutOfRange { got, range })),
            None => Ok(got),
        }
    }

    /// One `[sla.<priority>]` table laid over the default.
    fn sla_target(
        &self,
        key: &str,
        raw: &RawSlaTarget,
        default: SlaTarget,
    ) -> Result<SlaTarget, ConfigError> {
        let minutes = |field: &str, v: &Option<Spanned<Minutes>>| -> Result<Option<u32>, _> {
            let Some(v) = v else { return Ok(None) };
            let (got, span) = (v.get_ref().0, v.span());
            // Zero minutes would breach every contact on arrival.
            if got < 1 {
                return Err(self.error(&join(key, field), &span, Problem::MinutesTooFew { got }));
            }
            u32::try_from(got)
                .map(Some)
                .map_err(|_| self.error(&join(key, field), &span, Problem::MinutesTooMany { got }))
        };
        let first = minutes("first_response_min", &raw.first_response_min)?;
        let resolution = minutes("resolution_min", &raw.resolution_min)?;
        let out = SlaTarget {
            first_response_min: first.unwrap_or(default.first_response_min),
            resolution_min: resolution.or(default.resolution_min),
        };
        let fields = [
            (
                "first_response_min",
                raw.first_response_min.as_ref().map(Spanned::span),
            ),
            (
                "resolution_min",
                raw.resolution_min.as_ref().map(Spanned::span),
            ),
        ];
        if let Some(res) = out.resolution_min
            && res < out.first_response_min
            && let Some((field, span)) = last_given(&fields)
        {
            let problem = Problem::ResolutionBeforeResponse {
                resolution: res,
                first_response: out.first_response_min,
            };
            return Err(self.error(&join(key, field), &span, problem));
        }
        Ok(out)
    }

    fn source(&self, raw: &RawSource, source: &mut SourceConfig) -> Result<(), ConfigError> {
        if let Some(v) = &raw.file {
            source.file = match v.get_ref() {
                Paths::One(p) => {
                    vec![self.path_value("source.file", &Spanned::new(v.span(), p.clone()))?]
                }
                Paths::Many(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.path_value(&format!("source.file[{i}]"), item))
                    .collect::<Result<_, _>>()?,
            };
        }
        if let Some(v) = &raw.crm {
            source.crm = Some(self.crm_url("source.crm", v)?);
        }
        if let Some(v) = &raw.poll_s {
            let v = Spanned::new(v.span(), v.get_ref().0);
            source.poll_s = self.between("source.poll_s", &v, 1, 86_400)? as u64;
        }
        if let Some(v) = &raw.concurrency {
            source.concurrency = self.between(
                "source.concurrency",
                v,
                1,
                super::extra::MAX_CONCURRENCY as i128,
            )? as usize;
        }
        if let Some(v) = &raw.cache {
            source.cache = *v.get_ref();
        }
        if let Some(v) = &raw.token_env {
            let name = self.nonblank("source.token_env", v)?;
            let valid = name.chars().next().is_some_and(|c| !c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                let span = v.span();
                return Err(self.error("source.token_env", &span, Problem::TokenEnvNotAName));
            }
            source.token_env = Some(name.to_string());
        }
        if let Some(v) = &raw.token_file {
            source.token_file = Some(self.path_value("source.token_file", v)?);
        }
        // Two places for one token would leave the connector guessing.
        if let (Some(env), Some(file)) = (&raw.token_env, &raw.token_file) {
            let (key, span) = if file.span().start > env.span().start {
                ("source.token_file", file.span())
            } else {
                ("source.token_env", env.span())
            };
            return Err(self.error(key, &span, Problem::TwoTokenSources));
        }
        if let Some(zd) = &raw.zendesk {
            let z = &mut source.zendesk;
            if let Some(v) = &zd.ungrouped_queue {
                let name = self.nonblank("source.zendesk.ungrouped_queue", v)?;
                z.ungrouped_queue = name.trim().to_string();
            }
            if let Some(v) = &zd.ungrouped_by {
                z.ungrouped_by = self.choice(
                    "source.zendesk.ungrouped_by",
                    v,
                    &UngroupedBy::ALL,
                    UngroupedBy::as_str,
                )?;
            }
            if let Some(v) = &zd.default_priority {
                z.default_priority = self.choice(
                    "source.zendesk.default_priority",
                    v,
                    &DefaultPriority::ALL,
                    DefaultPriority::as_str,
                )?;
            }
        }
        Ok(())
    }

    /// An http(s) URL without credentials: the config file is not a safe place
    /// for secrets, and `config show` prints it.
    /// `[store]`: the URL without a password (refused without repeating
    /// it), where the password is, and the schema.
    fn store(&self, raw: &RawStore, store: &mut StoreConfig) -> Result<(), ConfigError> {
        if let Some(v) = &raw.url {
            let text = self.nonblank("store.url", v)?;
            let problem = |p| match p {
                PgUrlProblem::NotPostgres => Problem::StoreUrlNotPostgres,
                PgUrlProblem::NoHost => Problem::UrlNoHost,
                PgUrlProblem::Password => Problem::StoreUrlPassword,
                PgUrlProblem::Param => Problem::StoreUrlParam,
            };
            store.url = Some(
                PgUrl::parse(text).map_err(|p| self.error("store.url", &v.span(), problem(p)))?,
            );
        }
        if let Some(v) = &raw.password_env {
            let name = self.nonblank("store.password_env", v)?;
            let valid = name.chars().next().is_some_and(|c| !c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                let span = v.span();
                return Err(self.error("store.password_env", &span, Problem::TokenEnvNotAName));
            }
            store.password_env = Some(name.to_string());
        }
        if let Some(v) = &raw.password_file {
            store.password_file = Some(self.path_value("store.password_file", v)?);
        }
        if let (Some(env), Some(file)) = (&raw.password_env, &raw.password_file) {
            let (key, span) = if file.span().start > env.span().start {
                ("store.password_file", file.span())
            } else {
                ("store.password_env", env.span())
            };
            return Err(self.error(key, &span, Problem::TwoPasswordSources));
        }
        if let Some(v) = &raw.schema {
            store.schema = Some(self.nonblank("store.schema", v)?.trim().to_string());
        }
        Ok(())
    }

    fn crm_url(&self, key: &str, v: &Spanned<String>) -> Result<String, ConfigError> {
        let url = self.nonblank(key, v)?.trim();
        let refuse = |problem| Err(self.error(key, &v.span(), problem));
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        else {
            return refuse(Problem::UrlNotHttp);
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.is_empty() {
            return refuse(Problem::UrlNoHost);
        }
        if authority.contains('@') {
            return refuse(Problem::UrlCredentials);
        }
        let query = rest.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let secret_param = query.split('&').any(|pair| {
            let name = pair
                .split('=')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            [
                "token",
                "secret",
                "password",
                "passwd",
                "apikey",
                "api_key",
                "access_key",
                "key",
            ]
            .iter()
            .any(|s| name == *s || name.ends_with(&format!("_{s}")))
        });
        if secret_param {
            return refuse(Problem::UrlSecretInQuery);
        }
        Ok(url.to_string())
    }

    /// A path: `~/` means the home folder, a relative path is taken from the
    /// config file's folder (so a config works whatever the working directory).
    fn path_value(&self, key: &str, v: &Spanned<String>) -> Result<PathBuf, ConfigError> {
        let raw = self.nonblank(key, v)?;
        let given = if raw == "~" || raw.starts_with("~/") {
            let Some(base) = directories::BaseDirs::new() else {
                return Err(self.error(key, &v.span(), Problem::NoHomeForTilde));
            };
            base.home_dir()
                .join(raw.trim_start_matches('~').trim_start_matches('/'))
        } else {
            PathBuf::from(raw)
        };
        if given.is_absolute() {
            return Ok(given);
        }
        Ok(match self.file.parent() {
            Some(dir) => dir.join(given),
            None => given,
        })
    }

    /// Checks the `[[alerts.webhook]]` tables, in order.
    fn webhooks(&self, raw: &[Spanned<RawWebhook>]) -> Result<Vec<WebhookConfig>, ConfigError> {
        raw.iter()
            .enumerate()
            .map(|(i, w)| self.webhook(&format!("alerts.webhook[{i}]"), w))
            .collect()
    }

    fn webhook(&self, key: &str, v: &Spanned<RawWebhook>) -> Result<WebhookConfig, ConfigError> {
        let raw = v.get_ref();
        let at = |field: &str| format!("{key}.{field}");
        let Some(f) = &raw.format else {
            return Err(self.error(key, &v.span(), Problem::MissingKey { key: "format" }));
        };
        let format = self.choice(&at("format"), f, &WebhookFormat::ALL, WebhookFormat::as_str)?;
        let given = [
            ("url", &raw.url),
            ("url_env", &raw.url_env),
            ("url_file", &raw.url_file),
        ];
        let mut urls = given.iter().filter_map(|(n, s)| Some((*n, s.as_ref()?)));
        let url = match (urls.next(), urls.next()) {
            (None, _) => return Err(self.error(key, &v.span(), Problem::WebhookUrlSources)),
            (Some(_), Some((second, s))) => {
                return Err(self.error(&at(second), &s.span(), Problem::WebhookUrlSources));
            }
            (Some(("url", s)), None) => {
                SecretRef::Inline(self.inline_url(&at("url"), format, s)?)
            }
            (Some(("url_env", s)), None) => SecretRef::Env(self.env_name(&at("url_env"), s)?),
            (Some((_, s)), None) => SecretRef::File(self.path_value(&at("url_file"), s)?),
        };
        let secret = match (&raw.secret_env, &raw.secret_file) {
            (Some(e), Some(f)) => {
                let (field, span) = if f.span().start > e.span().start {
                    ("secret_file", f.span())
                } else {
                    ("secret_env", e.span())
                };
                return Err(self.error(&at(field), &span, Problem::WebhookSecretSources));
            }
            (Some(e), None) => Some(("secret_env", e)),
            (None, Some(f)) => Some(("secret_file", f)),
            (None, None) => None,
        };
        let secret = match secret {
            None => None,
            Some((field, s)) if format != WebhookFormat::Dingtalk => {
                return Err(self.error(&at(field), &s.span(), Problem::WebhookSecretNotDingtalk));
            }
            Some(("secret_env", s)) => Some(SecretRef::Env(self.env_name(&at("secret_env"), s)?)),
            Some((_, s)) => Some(SecretRef::File(self.path_value(&at("secret_file"), s)?)),
        };
        let timeout_s = match &raw.timeout_s {
            Some(v) => self.between(&at("timeout_s"), v, 1, 120)? as u64,
            None => DEFAULT_WEBHOOK_TIMEOUT_S,
        };
        Ok(WebhookConfig {
            format,
            url,
            secret,
            timeout_s,
        })
    }

    /// A `url` written in the config: an http(s) URL that cannot be a secret.
    fn inline_url(
        &self,
        key: &str,
        format: WebhookFormat,
        v: &Spanned<String>,
    ) -> Result<String, ConfigError> {
        // Slack's (and Mattermost's) URL is the secret, whatever it looks like.
        if format == WebhookFormat::Slack {
            return Err(self.error(key, &v.span(), Problem::WebhookUrlSecret));
        }
        match self.crm_url(key, v) {
            Err(e) if matches!(*e.problem, Problem::UrlSecretInQuery) => {
                Err(self.error(key, &v.span(), Problem::WebhookUrlSecret))
            }
            other => other,
        }
    }

    /// The NAME of an environment variable (never the value itself).
    fn env_name(&self, key: &str, v: &Spanned<String>) -> Result<String, ConfigError> {
        let name = self.nonblank(key, v)?;
        let valid = name.chars().next().is_some_and(|c| !c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(self.error(key, &v.span(), Problem::TokenEnvNotAName));
        }
        Ok(name.to_string())
    }

    /// `[feedback]`: follow-up limits, all whole numbers of at least 1.
    fn alerts(
        &self,
        raw: &RawAlerts,
        rules: &mut AlertRules,
        console: &mut AlertsConfig,
    ) -> Result<(), ConfigError> {
        let flag = |v: &Option<Spanned<bool>>, slot: &mut bool| {
            if let Some(v) = v {
                *slot = *v.get_ref();
            }
        };
        flag(&raw.enabled, &mut rules.enabled);
        flag(&raw.kpi_warn, &mut rules.kpi_warn);
        flag(&raw.sla_breached, &mut rules.sla_breached);
        flag(&raw.feedback_overdue, &mut rules.feedback_overdue);
        flag(&raw.bell, &mut console.bell);
        // A whole number in min..=max, 0 meaning off.
        let off_or =
            |key: &str, v: &Spanned<i128>, max: i128| -> Result<Option<u32>, ConfigError> {
                Ok(match self.between(key, v, 0, max)? {
                    0 => None,
                    n => Some(n as u32),
                })
            };
        if let Some(v) = &raw.hold_down_s {
            let v = Spanned::new(v.span(), v.get_ref().0);
            rules.hold_down_s = self.between("alerts.hold_down_s", &v, 0, 86_400)? as u32;
        }
        if let Some(v) = &raw.kpi_min_n {
            rules.kpi_min_n = self.between("alerts.kpi_min_n", v, 0, 1_000_000)? as u64;
        }
        if let Some(v) = &raw.queue_waiting {
            rules.queue_waiting = off_or("alerts.queue_waiting", v, 1_000_000)?;
        }
        if let Some(v) = &raw.queue_longest_wait_s {
            let v = Spanned::new(v.span(), v.get_ref().0);
            rules.queue_longest_wait_s = off_or("alerts.queue_longest_wait_s", &v, 86_400)?;
        }
        if let Some(v) = &raw.sla_due_within_min {
            let v = Spanned::new(v.span(), v.get_ref().0);
            rules.sla_due_within_min = off_or("alerts.sla_due_within_min", &v, 1_440)?;
        }
        if let Some(v) = &raw.staffing_gap_min {
            let v = Spanned::new(v.span(), v.get_ref().0);
            rules.staffing_gap_min = off_or("alerts.staffing_gap_min", &v, 1_440)?;
        }
        if let Some(v) = &raw.staffing_ahead_min {
            let v = Spanned::new(v.span(), v.get_ref().0);
            rules.staffing_ahead_min = off_or("alerts.staffing_ahead_min", &v, 1_440)?;
        }
        if let Some(v) = &raw.sla_priorities {
            const PRIORITIES: [&str; 4] = ["urgent", "high", "medium", "low"];
            let mut list = Vec::new();
            for (i, p) in v.get_ref().0.iter().enumerate() {
                let key = format!("alerts.sla_priorities[{i}]");
                let name = self.choice(&key, p, &PRIORITIES, |s| s)?;
                if !list.iter().any(|x| x == name) {
                    list.push(name.to_string());
                }
            }
            rules.sla_priorities = list;
        }
        if let Some(v) = &raw.agent_flags {
            let mut list = Vec::new();
            for (i, f) in v.get_ref().0.iter().enumerate() {
                let key = format!("alerts.agent_flags[{i}]");
                let flag = self.choice(&key, f, &AgentFlag::ALL, AgentFlag::key)?;
                if !list.contains(&flag) {
                    list.push(flag);
                }
            }
            rules.agent_flags = list;
        }
        Ok(())
    }

    fn feedback(&self, raw: &RawFeedback, rules: &mut FollowupRules) -> Result<(), ConfigError> {
        let limits = [
            (
                "investigate_within_business_days",
                &raw.investigate_within_business_days,
                &mut rules.investigate_within_business_days,
                30,
            ),
            (
                "resolve_within_days",
                &raw.resolve_within_days,
                &mut rules.resolve_within_days,
                365,
            ),
            (
                "callback_unsatisfied_reopens_h",
                &raw.callback_unsatisfied_reopens_h,
                &mut rules.callback_unsatisfied_reopens_h,
                720,
            ),
            (
                "escalation_stale_h",
                &raw.escalation_stale_h,
                &mut rules.escalation_stale_h,
                168,
            ),
        ];
        for (name, given, slot, max) in limits {
            if let Some(v) = given {
                *slot = self.between(&join("feedback", name), v, 1, max)? as u32;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::{DEFAULT_RED_LINE, SlaPolicy, default_targets};

    const FILE: &str = "/etc/shiftdeck/shiftdeck.toml";

    fn parse(text: &str) -> Result<(Settings, Extra), ConfigError> {
        parse_with_extra(text, Path::new(FILE))
    }

    fn ok(text: &str) -> Settings {
        match parse(text) {
            Ok((s, _)) => s,
            Err(e) => panic!("{e}"),
        }
    }

    fn err(text: &str) -> ConfigError {
        match parse(text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e,
        }
    }

    fn shanghai(text: &str) -> Settings {
        ok(&format!("timezone = \"Asia/Shanghai\"\n{text}"))
    }

    #[test]
    fn empty_file_is_the_defaults_in_the_local_zone() {
        let (settings, extra) = parse("").unwrap();
        assert_eq!(settings, Settings::defaults_in(local_timezone()));
        assert_eq!(extra, Extra::default());
        // Spot values of the spec, checked by hand rather than through the defaults.
        assert_eq!(settings.fcr_window_h, 48.0);
        assert_eq!(settings.spot_check.rate, 0.10);
        assert_eq!(settings.spot_check.seed, 0);
        assert_eq!(settings.red_line.len(), DEFAULT_RED_LINE.len());
        assert_eq!(settings.sla.high.resolution_min, Some(240));
        assert_eq!(settings.sla.low.first_response_min, 1440);
        let aht = settings.target(KpiKey::AhtS).unwrap();
        assert_eq!((aht.target, aht.alert), (252.0, Some(270.0)));
    }

    #[test]
    fn top_level_keys_are_read() {
        let s = ok(
            "timezone = \"Europe/Berlin\"\nfcr_window_h = 24\n[spot_check]\nrate = 0.25\nseed = 1_000\n",
        );
        assert_eq!(s.timezone, chrono_tz::Europe::Berlin);
        assert_eq!(s.fcr_window_h, 24.0);
        assert_eq!(s.spot_check.rate, 0.25);
        assert_eq!(s.spot_check.seed, 1000);
        assert_eq!(shanghai("fcr_window_h = 36.5").fcr_window_h, 36.5);
        assert_eq!(shanghai("[spot_check]\nseed = 0xff").spot_check.seed, 255);
        assert_eq!(shanghai("[spot_check]\nrate = 1").spot_check.rate, 1.0);
    }

    #[test]
    fn overriding_one_field_of_a_target_keeps_the_others() {
        let s = shanghai("[targets.aht_s]\ntarget = 240\n");
        let aht = s.target(KpiKey::AhtS).unwrap();
        assert_eq!(aht.target, 240.0);
        assert_eq!(aht.alert, Some(270.0));
        assert_eq!(aht.warn, None);
        assert_eq!(aht.direction, Direction::Lower);
        // The other KPIs are untouched.
        let mut expected = default_targets();
        expected[KpiKey::AhtS.index()] = Some(*aht);
        assert_eq!(s.targets, expected);

        let csat = *shanghai("[targets.csat]\nwarn = 0.85\nalert = 0.80\n")
            .target(KpiKey::Csat)
            .unwrap();
        assert_eq!(
            csat,
            Target {
                target: 0.88,
                warn: Some(0.85),
                alert: Some(0.80),
                direction: Direction::Higher
            }
        );
    }

    #[test]
    fn direction_is_parsed_and_checked() {
        let s = shanghai("[targets.occupancy]\ndirection = \"lower\"\n");
        assert_eq!(
            s.target(KpiKey::Occupancy).unwrap().direction,
            Direction::Lower
        );
        let s = shanghai("[targets.art_s]\ndirection = \"higher\"\n");
        assert_eq!(s.target(KpiKey::ArtS).unwrap().direction, Direction::Higher);
        let e = err("[targets.fcr]\ndirection = \"up\"\n");
        assert_eq!(e.key.as_deref(), Some("targets.fcr.direction"));
        assert_eq!(e.line, Some(2));
        assert_eq!(
            *e.problem,
            Problem::UnknownValue {
                found: "up".into(),
                expected: vec!["higher", "lower"]
            }
        );
    }

    #[test]
    fn bad_type_names_file_key_and_line() {
        let e = err("timezone = \"UTC\"\nfcr_window_h = \"two days\"\n");
        assert_eq!(e.key.as_deref(), Some("fcr_window_h"));
        assert_eq!(e.line, Some(2));
        assert_eq!(
            e.to_string(),
            format!(
                "{FILE}:2: fcr_window_h: expected a number of hours, found string \"two days\""
            )
        );
        let e = err("[targets.aht_s]\ntarget = 252\nalert = \"high\"\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.alert"));
        assert_eq!(e.line, Some(3));
        let e = err("spot_check = 0.1");
        assert_eq!(e.key.as_deref(), Some("spot_check"));
        assert!(e.to_string().contains("expected a table"), "{e}");
    }

    #[test]
    fn agents_and_huddle_keys() {
        let (s, extra) = parse("").unwrap();
        assert_eq!(
            (s.agents.break_max_min, s.agents.min_n, s.agents.qa_min),
            (15, 10, 14.0)
        );
        assert!(!extra.huddle.show_agents);
        let (s, extra) = parse(
            "[agents]\nbreak_max_min = 20\nmin_n = 5\nqa_min = 16\n[huddle]\nshow_agents = true\n",
        )
        .unwrap();
        assert_eq!(
            (s.agents.break_max_min, s.agents.min_n, s.agents.qa_min),
            (20, 5, 16.0)
        );
        assert!(extra.huddle.show_agents);
    }

    #[test]
    fn alerts_keys_and_their_defaults() {
        let (s, extra) = parse("").unwrap();
        assert_eq!(s.alerts, AlertRules::default());
        assert!(!extra.alerts.bell);
        let (s, extra) = parse(
            "[alerts]\nenabled = false\nhold_down_s = 0\nkpi_warn = true\nkpi_min_n = 5\n\
             queue_waiting = 0\nqueue_longest_wait_s = 240\nsla_due_within_min = 10\n\
             sla_breached = false\nsla_priorities = [\"urgent\", \"urgent\", \"low\"]\n\
             feedback_overdue = false\nstaffing_gap_min = 0\nstaffing_ahead_min = 45\n\
             agent_flags = [\"qa_low\"]\nbell = true\n",
        )
        .unwrap();
        let want = AlertRules {
            enabled: false,
            hold_down_s: 0,
            kpi_warn: true,
            kpi_min_n: 5,
            queue_waiting: None,
            queue_longest_wait_s: Some(240),
            sla_due_within_min: Some(10),
            sla_breached: false,
            sla_priorities: vec!["urgent".into(), "low".into()],
            feedback_overdue: false,
            staffing_gap_min: None,
            staffing_ahead_min: Some(45),
            agent_flags: vec![AgentFlag::QaLow],
        };
        assert_eq!(s.alerts, want);
        assert!(extra.alerts.bell);
    }

    #[test]
    fn bad_alerts_values_name_file_and_key() {
        for (text, key, line) in [
            ("[alerts]\nqueue_waiting = -1\n", "alerts.queue_waiting", 2),
            ("[alerts]\n\nhold_down_s = 90000\n", "alerts.hold_down_s", 3),
            (
                "[alerts]\nsla_priorities = [\"urgent\", \"soon\"]\n",
                "alerts.sla_priorities[1]",
                2,
            ),
            (
                "[alerts]\nagent_flags = [\"lazy\"]\n",
                "alerts.agent_flags[0]",
                2,
            ),
            (
                "[alerts]\nstaffing_gap_min = 2000\n",
                "alerts.staffing_gap_min",
                2,
            ),
            (
                "[alerts]\nstaffing_ahead_min = -5\n",
                "alerts.staffing_ahead_min",
                2,
            ),
        ] {
            let e = err(text);
            assert_eq!(e.key.as_deref(), Some(key), "{text}");
            assert!(
                e.to_string().starts_with(&format!("{FILE}:{line}: {key}")),
                "{e}"
            );
        }
        // A key the table does not have, and a value of the wrong kind.
        let e = err("[alerts]\nbeep = true\n");
        assert!(e.to_string().contains("beep"), "{e}");
        let e = err("[alerts]\nbell = \"yes\"\n");
        assert_eq!(e.key.as_deref(), Some("alerts.bell"));
    }

    #[test]
    fn bad_agents_values_name_file_and_key() {
        let e = err("[agents]\nbreak_max_min = 0\n");
        assert_eq!(e.key.as_deref(), Some("agents.break_max_min"));
        assert_eq!(e.line, Some(2));
        assert!(
            e.to_string()
                .starts_with(&format!("{FILE}:2: agents.break_max_min")),
            "{e}"
        );
        let e = err("[agents]\nmin_n = -3\n");
        assert_eq!(e.key.as_deref(), Some("agents.min_n"));
        let e = err("[agents]\nqa_min = 21\n");
        assert_eq!(e.key.as_deref(), Some("agents.qa_min"));
        let e = err("[agents]\nqa_min = \"high\"\n");
        assert_eq!(e.key.as_deref(), Some("agents.qa_min"));
        let e = err("[agents]\nbreak_min = 10\n");
        assert_eq!(e.key.as_deref(), Some("agents.break_min"));
        let e = err("[huddle]\nshow_agents = \"yes\"\n");
        assert_eq!(e.key.as_deref(), Some("huddle.show_agents"));
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = err("[spot_check]\nrate = 0.2\nsede = 4\n");
        assert_eq!(e.key.as_deref(), Some("spot_check.sede"));
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("rate, seed"), "{e}");
        let e = err("timezone = \"UTC\"\nfcr_window = 48\n");
        assert_eq!(e.key.as_deref(), Some("fcr_window"));
        let e = err("[targets.aht_s]\nalret = 280\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.alret"));
        let e = err("[sla.high]\nresolve_min = 200\n");
        assert_eq!(e.key.as_deref(), Some("sla.high.resolve_min"));
        let e = err("[display]\ncolour = \"red\"\n");
        assert_eq!(e.key.as_deref(), Some("display.colour"));
        let e = err("[source]\nfiles = []\n");
        assert_eq!(e.key.as_deref(), Some("source.files"));
        let e = err("[user]\nemail = \"a@b\"\n");
        assert_eq!(e.key.as_deref(), Some("user.email"));
    }

    #[test]
    fn unknown_kpi_and_priority_tables_are_named() {
        let e = err("timezone = \"UTC\"\n\n[targets.speed]\ntarget = 1\n");
        assert_eq!(e.key.as_deref(), Some("targets.speed"));
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("unknown KPI 'speed'"), "{e}");
        assert!(e.to_string().contains("aht_s"), "{e}");
        let e = err("[sla.critical]\nfirst_response_min = 1\n");
        assert_eq!(e.key.as_deref(), Some("sla.critical"));
        assert!(e.to_string().contains("urgent, high, medium, low"), "{e}");
    }

    #[test]
    fn unknown_time_zone() {
        let e = err("timezone = \"Mars/Base\"\n");
        assert!(
            e.to_string().starts_with(&format!(
                "{FILE}:1: timezone: unknown time zone 'Mars/Base'"
            )),
            "{e}"
        );
        let e = err("timezone = 8\n");
        assert_eq!(e.key.as_deref(), Some("timezone"));
    }

    #[test]
    fn out_of_range_values_are_rejected() {
        for bad in ["0", "0.0", "1.5", "-0.1"] {
            let e = err(&format!("[spot_check]\nrate = {bad}\n"));
            assert_eq!(e.key.as_deref(), Some("spot_check.rate"), "{bad}");
        }
        for bad in ["0", "-12", "nan", "inf"] {
            let e = err(&format!("fcr_window_h = {bad}\n"));
            assert_eq!(e.key.as_deref(), Some("fcr_window_h"), "{bad}");
        }
        let e = err("[sla.urgent]\nfirst_response_min = -5\n");
        assert_eq!(e.key.as_deref(), Some("sla.urgent.first_response_min"));
        assert!(e.to_string().contains("-5"), "{e}");
        let e = err("[sla.urgent]\nfirst_response_min = 0\n");
        assert_eq!(e.key.as_deref(), Some("sla.urgent.first_response_min"));
        let e = err("[sla.medium]\nfirst_response_min = 2.5\n");
        assert!(e.to_string().contains("whole number"), "{e}");
        let e = err("[spot_check]\nseed = -1\n");
        assert_eq!(e.key.as_deref(), Some("spot_check.seed"));
        assert!(e.to_string().contains("got -1"), "{e}");
        let e = err("[spot_check]\nseed = 99999999999999999999999\n");
        assert!(
            e.to_string().contains("between 0 and 18446744073709551615"),
            "{e}"
        );
        let e = err("fcr_window_h = 1e400\n");
        assert_eq!(e.key.as_deref(), Some("fcr_window_h"));
        // A percentage where a fraction belongs is caught.
        let e = err("[targets.csat]\ntarget = 88\n");
        assert!(e.to_string().contains("0.88"), "{e}");
        let e = err("[targets.nps]\nalert = -101\n");
        assert_eq!(e.key.as_deref(), Some("targets.nps.alert"));
        let e = err("[targets.aht_s]\ntarget = -1\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.target"));
        assert_eq!(
            shanghai("[targets.nps]\ntarget = -20\n")
                .target(KpiKey::Nps)
                .unwrap()
                .target,
            -20.0
        );
    }

    #[test]
    fn channel_targets_lay_over_the_floor_target() {
        let s = shanghai(
            "[targets.art_s]\ntarget = 12\n[targets.art_s.channel.email]\ntarget = 14400\n\
             [targets.service_level.channel.ticket]\ntarget = 0.9\nalert = 0.5\n",
        );
        // The floor's ART target changed; e-mail queues get their own.
        assert_eq!(s.target(KpiKey::ArtS).unwrap().target, 12.0);
        let email = s.channel_target(KpiKey::ArtS, "email").unwrap();
        assert_eq!((email.target, email.direction), (14400.0, Direction::Lower));
        let ticket = s.channel_target(KpiKey::ServiceLevel, "ticket").unwrap();
        assert_eq!((ticket.target, ticket.alert), (0.9, Some(0.5)));
        assert_eq!(s.channel_target(KpiKey::ArtS, "phone"), None);
        // The floor's SL target is untouched by the channel table.
        assert_eq!(s.target(KpiKey::ServiceLevel).unwrap().target, 0.8);
        // Checked like any target: units, the alert band, the KPI.
        let e = err("[targets.art_s.channel.email]\ntarget = -1\n");
        assert_eq!(e.key.as_deref(), Some("targets.art_s.channel.email.target"));
        let e = err("[targets.aht_s.channel.ticket]\ntarget = 600\n");
        assert_eq!(
            e.key.as_deref(),
            Some("targets.aht_s.channel.ticket.target")
        );
        assert!(e.to_string().contains("alert 270 is below warn 600"), "{e}");
        let e = err("[targets.csat.channel.email]\ntarget = 0.9\n");
        assert_eq!(e.key.as_deref(), Some("targets.csat.channel"));
        let e = err("[targets.art_s.channel.email.channel.x]\ntarget = 1\n");
        assert_eq!(
            e.key.as_deref(),
            Some("targets.art_s.channel.email.channel")
        );
    }

    #[test]
    fn alert_must_lie_beyond_warn() {
        // Lower is better: alert 250 below warn (= target 252) is inverted.
        let e = err("[targets.aht_s]\nalert = 250\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.alert"));
        assert!(e.to_string().contains("alert 250 is below warn 252"), "{e}");
        // Flipping the direction keeps the default alert 270 above target 252: refused.
        let e = err("[targets.aht_s]\ndirection = \"higher\"\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.direction"));
        // Raising the AHT target past the default alert needs a new alert too.
        let e = err("[targets.aht_s]\ntarget = 280\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.target"));
        assert!(e.to_string().contains("alert 270 is below warn 280"), "{e}");
        let aht = *shanghai("[targets.aht_s]\ntarget = 280\nalert = 300\n")
            .target(KpiKey::AhtS)
            .unwrap();
        assert_eq!((aht.target, aht.alert), (280.0, Some(300.0)));
        // Alert equal to warn is allowed (no warn band).
        let s = shanghai("[targets.fcr]\nwarn = 0.8\nalert = 0.8\n");
        assert_eq!(s.target(KpiKey::Fcr).unwrap().alert, Some(0.8));
    }

    #[test]
    fn sla_tables_override_field_by_field() {
        let s =
            shanghai("[sla.high]\nfirst_response_min = 20\n[sla.medium]\nresolution_min = 480\n");
        assert_eq!(
            s.sla.high,
            SlaTarget {
                first_response_min: 20,
                resolution_min: Some(240)
            }
        );
        assert_eq!(
            s.sla.medium,
            SlaTarget {
                first_response_min: 120,
                resolution_min: Some(480)
            }
        );
        assert_eq!(s.sla.urgent, SlaPolicy::default().urgent);
        let e = err("[sla.high]\nresolution_min = 10\n");
        assert_eq!(e.key.as_deref(), Some("sla.high.resolution_min"));
        assert!(
            e.to_string().contains("shorter than first_response_min 30"),
            "{e}"
        );
    }

    #[test]
    fn red_line_replaces_the_starter_list() {
        let s = shanghai("[red_line]\nphrases = [\"你有病吧\", \"rubbish\"]\n");
        assert_eq!(
            s.red_line,
            vec!["你有病吧".to_string(), "rubbish".to_string()]
        );
        assert!(shanghai("[red_line]\nphrases = []\n").red_line.is_empty());
        let e = err("[red_line]\nphrases = [\"ok\", \"  \"]\n");
        assert_eq!(e.key.as_deref(), Some("red_line.phrases[1]"));
        let e = err("[red_line]\nphrases = \"stupid\"\n");
        assert_eq!(e.key.as_deref(), Some("red_line.phrases"));
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let e = err("timezone = \"UTC\"\n[spot_check\nrate = 0.1\n");
        assert_eq!(e.key, None);
        assert_eq!(e.line, Some(2));
        assert!(
            e.to_string()
                .starts_with(&format!("{FILE}:2: invalid TOML")),
            "{e}"
        );
        let e = err("fcr_window_h = 1\nfcr_window_h = 2\n");
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn extra_tables_are_read() {
        let text = "[source]\nfile = [\"today.ndjson\", \"/var/floor/y.ndjson\"]\n\
                    crm = \"https://crm.example.com/api\"\npoll_s = 30\ntoken_env = \"CRM_TOKEN\"\n\
                    concurrency = 8\ncache = false\n\
                    [display]\ntheme = \"high-contrast\"\nhuddle_rotate_s = 20\nlang = \"zh\"\n\
                    [user]\nname = \" 王芳 \"\n";
        let (_, x) = parse(text).unwrap();
        assert_eq!(
            x.source.file,
            vec![
                PathBuf::from("/etc/shiftdeck/today.ndjson"),
                PathBuf::from("/var/floor/y.ndjson")
            ]
        );
        assert_eq!(x.source.crm.as_deref(), Some("https://crm.example.com/api"));
        assert_eq!(x.source.poll_s, 30);
        assert_eq!((x.source.concurrency, x.source.cache), (8, false));
        assert_eq!(x.source.token_env.as_deref(), Some("CRM_TOKEN"));
        assert_eq!(x.display.theme, Theme::HighContrast);
        assert_eq!(x.display.huddle_rotate_s, 20);
        assert_eq!(x.display.lang, Lang::Zh);
        assert_eq!(x.user.name.as_deref(), Some("王芳"));
        let (_, x) = parse("[source]\nfile = \"a.ndjson\"\ntoken_file = \"tok\"\n").unwrap();
        assert_eq!(
            x.source.file,
            vec![PathBuf::from("/etc/shiftdeck/a.ndjson")]
        );
        assert_eq!(
            x.source.token_file,
            Some(PathBuf::from("/etc/shiftdeck/tok"))
        );
    }

    #[test]
    fn secrets_are_kept_out_of_the_config() {
        let e = err("[source]\ncrm = \"https://bot:s3cret@crm.example.com/\"\n");
        assert_eq!(e.key.as_deref(), Some("source.crm"));
        assert!(!e.to_string().contains("s3cret"), "{e}");
        let e = err("[source]\ncrm = \"https://crm.example.com/x?page=1&api_key=abc\"\n");
        assert!(e.to_string().contains("token_env"), "{e}");
        assert!(parse("[source]\ncrm = \"https://crm.example.com/x?monkey=1\"\n").is_ok());
        let e = err("[source]\ncrm = \"ftp://crm.example.com\"\n");
        assert_eq!(e.key.as_deref(), Some("source.crm"));
        let e = err("[source]\ntoken_env = \"sk-live 123\"\n");
        assert_eq!(e.key.as_deref(), Some("source.token_env"));
        let e = err("[source]\ntoken_env = \"T\"\ntoken_file = \"t\"\n");
        assert_eq!(e.key.as_deref(), Some("source.token_file"));
    }

    #[test]
    fn extra_values_are_checked() {
        let e = err("[display]\ntheme = \"dark\"\n");
        assert!(e.to_string().contains("default, high-contrast"), "{e}");
        let e = err("[display]\nhuddle_rotate_s = 0\n");
        assert_eq!(e.key.as_deref(), Some("display.huddle_rotate_s"));
        let e = err("[display]\nlang = \"fr\"\n");
        assert_eq!(e.key.as_deref(), Some("display.lang"));
        let e = err("[source]\npoll_s = 0\n");
        assert_eq!(e.key.as_deref(), Some("source.poll_s"));
        // The CRM's requests at once: 1 to 32, named with the file and line.
        for bad in ["concurrency = 0", "concurrency = 33", "concurrency = -1"] {
            let e = err(&format!("[source]\n{bad}\n"));
            assert_eq!(e.key.as_deref(), Some("source.concurrency"), "{bad}");
            assert_eq!(e.line, Some(2), "{bad}");
            assert!(e.to_string().contains(FILE), "{e}");
        }
        let e = err("[source]\nconcurrency = \"four\"\n");
        assert_eq!(e.key.as_deref(), Some("source.concurrency"));
        let e = err("[source]\ncache = \"yes\"\n");
        assert_eq!(e.key.as_deref(), Some("source.cache"));
        let e = err("[user]\nname = \"\"\n");
        assert_eq!(e.key.as_deref(), Some("user.name"));
    }

    #[test]
    fn zendesk_mapping_is_read_and_checked() {
        let (_, x) = parse(
            "[source.zendesk]\nungrouped_queue = \" triage \"\nungrouped_by = \"form\"\ndefault_priority = \"none\"\n",
        )
        .unwrap();
        assert_eq!(x.source.zendesk.ungrouped_queue, "triage");
        assert_eq!(x.source.zendesk.ungrouped_by, UngroupedBy::Form);
        assert_eq!(x.source.zendesk.default_priority, DefaultPriority::None);
        assert_eq!(x.source.zendesk.default_priority.floor(), None);
        let e = err("[source.zendesk]\nungrouped_by = \"group\"\n");
        assert_eq!(e.key.as_deref(), Some("source.zendesk.ungrouped_by"));
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().contains("none, brand, form, channel"), "{e}");
        let e = err("[source.zendesk]\ndefault_priority = \"normal\"\n");
        assert_eq!(e.key.as_deref(), Some("source.zendesk.default_priority"));
        let e = err("[source.zendesk]\nungrouped_queue = \" \"\n");
        assert_eq!(e.key.as_deref(), Some("source.zendesk.ungrouped_queue"));
        let e = err("[source.zendesk]\ngroup = 1\n");
        assert_eq!(e.key.as_deref(), Some("source.zendesk.group"));
    }

    #[test]
    fn key_paths_quote_odd_keys() {
        assert_eq!(join("targets", "aht_s"), "targets.aht_s");
        assert_eq!(join("", "a b"), "\"a b\"");
    }
}
