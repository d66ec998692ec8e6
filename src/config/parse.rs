//! TOML text → `Settings` + `Extra`, by walking the spanned TOML tree by hand
//! so every error can name its key path and line, and every unknown key is
//! refused (a typo must never fall back to a default silently).

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::error::ConfigError;
use super::extra::{Extra, Lang, SourceConfig, Theme};
use crate::domain::settings::{Direction, KpiKey, Settings, SlaTarget, Target};

type Key<'i> = Spanned<DeString<'i>>;
type Value<'i> = Spanned<DeValue<'i>>;

const TOP_KEYS: &[&str] = &[
    "timezone",
    "fcr_window_h",
    "spot_check",
    "red_line",
    "targets",
    "sla",
    "source",
    "display",
    "user",
    "scorecard",
    "feedback",
];
const SPOT_CHECK_KEYS: &[&str] = &["rate", "seed"];
const RED_LINE_KEYS: &[&str] = &["phrases"];
const TARGET_KEYS: &[&str] = &["target", "warn", "alert", "direction"];
const PRIORITIES: &[&str] = &["urgent", "high", "medium", "low"];
const SLA_KEYS: &[&str] = &["first_response_min", "resolution_min"];
const SOURCE_KEYS: &[&str] = &["file", "crm", "poll_s", "token_env", "token_file"];
const DISPLAY_KEYS: &[&str] = &["theme", "huddle_rotate_s", "lang"];
const USER_KEYS: &[&str] = &["name"];
const SCORECARD_KEYS: &[&str] = &["dimensions", "scale_max"];
const FEEDBACK_KEYS: &[&str] = &[
    "investigate_within_business_days",
    "resolve_within_days",
    "callback_unsatisfied_reopens_h",
    "escalation_stale_h",
];

/// Parses a whole config text. `origin` is the file it came from: it is named
/// in errors and anchors relative paths of `[source]`.
pub fn parse_with_extra(text: &str, origin: &Path) -> Result<(Settings, Extra), ConfigError> {
    let walker = Walker { text, file: origin };
    let doc = DeTable::parse(text).map_err(|e| walker.syntax_error(&e))?;
    walker.document(doc.get_ref())
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

struct Walker<'a> {
    text: &'a str,
    file: &'a Path,
}

/// Entries of a table in file order, so the first error reported is the first in the file.
fn entries<'t, 'i>(table: &'t DeTable<'i>) -> Vec<(&'t Key<'i>, &'t Value<'i>)> {
    let mut out: Vec<_> = table.iter().collect();
    out.sort_by_key(|(k, _)| k.span().start);
    out
}

fn join(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

/// "string \"two days\"", "integer 5", "table", … for type errors.
fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("string {:?}", s.as_ref()),
        DeValue::Integer(i) => format!("integer {}", i.as_str()),
        DeValue::Float(f) => format!("float {}", f.as_str()),
        DeValue::Boolean(b) => format!("boolean {b}"),
        DeValue::Datetime(d) => format!("datetime {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

fn one_of(names: &[&str]) -> String {
    names.join(", ")
}

/// A number as the lead wrote it: whole numbers without ".0".
fn show(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl<'a> Walker<'a> {
    fn line(&self, span: &Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn error(&self, key: &str, span: &Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            key: Some(key.to_string()),
            line: Some(self.line(span)),
            message: message.into(),
        }
    }

    fn syntax_error(&self, e: &toml::de::Error) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            key: None,
            line: e.span().map(|s| self.line(&s)),
            message: format!("invalid TOML: {}", e.message().trim().replace('\n', "; ")),
        }
    }

    fn wrong_type(&self, path: &str, v: &Value<'_>, expected: &str) -> ConfigError {
        self.error(
            path,
            &v.span(),
            format!("expected {expected}, found {}", describe(v.get_ref())),
        )
    }

    fn unknown_key(&self, prefix: &str, k: &Key<'_>, known: &[&str]) -> ConfigError {
        self.error(
            &join(prefix, k.get_ref()),
            &k.span(),
            format!("unknown key (expected one of: {})", one_of(known)),
        )
    }

    fn table<'t, 'i>(&self, path: &str, v: &'t Value<'i>) -> Result<&'t DeTable<'i>, ConfigError> {
        match v.get_ref() {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.wrong_type(path, v, "a table")),
        }
    }

    fn string<'t>(&self, path: &str, v: &'t Value<'_>) -> Result<&'t str, ConfigError> {
        match v.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            _ => Err(self.wrong_type(path, v, "a string")),
        }
    }

    /// A string that must hold something besides blanks.
    fn nonblank<'t>(&self, path: &str, v: &'t Value<'_>) -> Result<&'t str, ConfigError> {
        let s = self.string(path, v)?;
        if s.trim().is_empty() {
            return Err(self.error(path, &v.span(), "must not be empty"));
        }
        Ok(s)
    }

    /// Any finite TOML number, integer or float.
    fn number(&self, path: &str, v: &Value<'_>, expected: &str) -> Result<f64, ConfigError> {
        let x = match v.get_ref() {
            DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => return Err(self.wrong_type(path, v, expected)),
        };
        match x {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(self.error(
                path,
                &v.span(),
                format!("expected {expected}, found {}", describe(v.get_ref())),
            )),
        }
    }

    /// A whole number (a float with no fraction, like `30.0`, is accepted).
    fn whole(&self, path: &str, v: &Value<'_>, expected: &str) -> Result<i128, ConfigError> {
        match v.get_ref() {
            DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix())
                .map_err(|_| self.wrong_type(path, v, expected)),
            DeValue::Float(_) => {
                let x = self.number(path, v, expected)?;
                if x.fract() == 0.0 && x.abs() < 1e18 {
                    Ok(x as i128)
                } else {
                    Err(self.wrong_type(path, v, expected))
                }
            }
            _ => Err(self.wrong_type(path, v, expected)),
        }
    }

    /// A whole number in `min..=max`.
    fn whole_in(
        &self,
        path: &str,
        v: &Value<'_>,
        expected: &str,
        min: i128,
        max: i128,
    ) -> Result<i128, ConfigError> {
        let n = self.whole(path, v, expected)?;
        if n < min || n > max {
            return Err(self.error(
                path,
                &v.span(),
                format!("must be between {min} and {max}, got {n}"),
            ));
        }
        Ok(n)
    }

    fn document(&self, root: &DeTable<'_>) -> Result<(Settings, Extra), ConfigError> {
        // Start from the spec's defaults; the zone is settled at the end so the
        // local zone is looked up (and any warning logged) only when none is given.
        let mut settings = Settings::defaults_in(Tz::UTC);
        let mut extra = Extra::default();
        let mut timezone = None;
        for (k, v) in entries(root) {
            let key = k.get_ref().as_ref();
            match key {
                "timezone" => timezone = Some(self.timezone(v)?),
                "fcr_window_h" => {
                    let h = self.number(key, v, "a number of hours")?;
                    if h <= 0.0 {
                        return Err(self.error(
                            key,
                            &v.span(),
                            format!("must be more than 0 hours, got {}", show(h)),
                        ));
                    }
                    settings.fcr_window_h = h;
                }
                "spot_check" => self.spot_check(v, &mut settings)?,
                "red_line" => self.red_line(v, &mut settings)?,
                "targets" => self.targets(v, &mut settings)?,
                "sla" => self.sla(v, &mut settings)?,
                "source" => self.source(v, &mut extra.source)?,
                "display" => self.display(v, &mut extra)?,
                "user" => self.user(v, &mut extra)?,
                "scorecard" => self.scorecard(v, &mut extra)?,
                "feedback" => self.feedback(v, &mut extra)?,
                _ => return Err(self.unknown_key("", k, TOP_KEYS)),
            }
        }
        settings.timezone = timezone.unwrap_or_else(local_timezone);
        Ok((settings, extra))
    }

    fn timezone(&self, v: &Value<'_>) -> Result<Tz, ConfigError> {
        let name = self.string("timezone", v)?;
        name.parse::<Tz>().map_err(|_| {
            self.error(
                "timezone",
                &v.span(),
                format!("unknown time zone '{name}' (use an IANA name such as 'Asia/Shanghai')"),
            )
        })
    }

    fn spot_check(&self, v: &Value<'_>, settings: &mut Settings) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("spot_check", v)?) {
            let path = join("spot_check", k.get_ref());
            match k.get_ref().as_ref() {
                "rate" => {
                    let rate = self.number(&path, v, "a fraction such as 0.10")?;
                    // 0 would sample nothing; above 1 asks for more contacts than exist.
                    if rate <= 0.0 || rate > 1.0 {
                        return Err(self.error(
                            &path,
                            &v.span(),
                            format!(
                                "must be more than 0 and at most 1 (0.10 = 10 %), got {}",
                                show(rate)
                            ),
                        ));
                    }
                    settings.spot_check.rate = rate;
                }
                "seed" => {
                    let seed =
                        self.whole_in(&path, v, "a whole number", 0, i128::from(u64::MAX))?;
                    settings.spot_check.seed = seed as u64;
                }
                _ => return Err(self.unknown_key("spot_check", k, SPOT_CHECK_KEYS)),
            }
        }
        Ok(())
    }

    fn red_line(&self, v: &Value<'_>, settings: &mut Settings) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("red_line", v)?) {
            let path = join("red_line", k.get_ref());
            match k.get_ref().as_ref() {
                "phrases" => {
                    let DeValue::Array(items) = v.get_ref() else {
                        return Err(self.wrong_type(&path, v, "an array of strings"));
                    };
                    // The given list replaces the starter list; an empty list turns the flag off.
                    let mut phrases = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let item_path = format!("{path}[{i}]");
                        // An empty phrase is a substring of every text and would flag everything.
                        phrases.push(self.nonblank(&item_path, item)?.to_string());
                    }
                    settings.red_line = phrases;
                }
                _ => return Err(self.unknown_key("red_line", k, RED_LINE_KEYS)),
            }
        }
        Ok(())
    }

    fn targets(&self, v: &Value<'_>, settings: &mut Settings) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("targets", v)?) {
            let path = join("targets", k.get_ref());
            let Some(kpi) = KpiKey::from_key(k.get_ref()) else {
                let known: Vec<&str> = KpiKey::ALL.iter().map(|k| k.key()).collect();
                return Err(self.error(
                    &path,
                    &k.span(),
                    format!(
                        "unknown KPI '{}' (expected one of: {})",
                        k.get_ref(),
                        one_of(&known)
                    ),
                ));
            };
            let slot = &mut settings.targets[kpi.index()];
            *slot = Some(self.target(&path, kpi, v, *slot)?);
        }
        Ok(())
    }

    /// One `[targets.<kpi>]` table laid over the default: only given fields change.
    fn target(
        &self,
        path: &str,
        kpi: KpiKey,
        v: &Value<'_>,
        default: Option<Target>,
    ) -> Result<Target, ConfigError> {
        let table = self.table(path, v)?;
        let (mut value, mut warn, mut alert, mut direction) = (None, None, None, None);
        // The last threshold key given, to point a consistency error at the lead's own line.
        let mut blame: Option<(String, Range<usize>)> = None;
        for (k, v) in entries(table) {
            let key_path = join(path, k.get_ref());
            match k.get_ref().as_ref() {
                "target" => {
                    // The target is the warn threshold when no warn is given.
                    value = Some(self.kpi_value(&key_path, kpi, v)?);
                    blame = Some((key_path, v.span()));
                }
                "warn" => {
                    warn = Some(self.kpi_value(&key_path, kpi, v)?);
                    blame = Some((key_path, v.span()));
                }
                "alert" => {
                    alert = Some(self.kpi_value(&key_path, kpi, v)?);
                    blame = Some((key_path, v.span()));
                }
                "direction" => {
                    let s = self.string(&key_path, v)?;
                    direction = Some(match s {
                        "higher" => Direction::Higher,
                        "lower" => Direction::Lower,
                        _ => {
                            return Err(self.error(
                                &key_path,
                                &v.span(),
                                format!("expected \"higher\" or \"lower\", found {s:?}"),
                            ));
                        }
                    });
                    blame = Some((key_path, v.span()));
                }
                _ => return Err(self.unknown_key(path, k, TARGET_KEYS)),
            }
        }
        let mut t = match (default, value, direction) {
            (Some(t), _, _) => t,
            // Every KPI has a default today; a KPI without one needs both fields.
            (None, Some(target), Some(direction)) => Target {
                target,
                warn: None,
                alert: None,
                direction,
            },
            (None, _, _) => {
                return Err(self.error(
                    path,
                    &v.span(),
                    "this KPI has no default target: give both `target` and `direction`",
                ));
            }
        };
        if let Some(x) = value {
            t.target = x;
        }
        if let Some(w) = warn {
            t.warn = Some(w);
        }
        if let Some(a) = alert {
            t.alert = Some(a);
        }
        if let Some(d) = direction {
            t.direction = d;
        }
        // An alert short of warn is a typo (or a flipped direction that kept the
        // default alert): the warn band would be inverted.
        if let Some(a) = t.alert {
            let w = t.warn_threshold();
            let inverted = match t.direction {
                Direction::Lower => a < w,
                Direction::Higher => a > w,
            };
            if inverted {
                let (key, span) = blame.unwrap_or_else(|| (path.to_string(), v.span()));
                let (side, dir) = match t.direction {
                    Direction::Lower => ("below", "lower"),
                    Direction::Higher => ("above", "higher"),
                };
                return Err(self.error(
                    &key,
                    &span,
                    format!(
                        "alert {} is {side} warn {} for a {dir}-is-better KPI; \
                         set `alert` (and `warn`) so the alert lies at or beyond warn",
                        show(a),
                        show(w)
                    ),
                ));
            }
        }
        Ok(t)
    }

    /// A target or threshold in the KPI's own unit, range-checked so that
    /// "88" for 88 % is caught instead of making CSAT warn forever.
    fn kpi_value(&self, path: &str, kpi: KpiKey, v: &Value<'_>) -> Result<f64, ConfigError> {
        let x = self.number(path, v, "a number")?;
        let problem = if kpi == KpiKey::Nps {
            (!(-100.0..=100.0).contains(&x)).then_some("NPS runs from -100 to 100")
        } else if kpi.is_rate() {
            (!(0.0..=1.0).contains(&x))
                .then_some("rates are fractions from 0 to 1 (write 0.88 for 88 %)")
        } else {
            (x < 0.0).then_some("must not be negative")
        };
        match problem {
            Some(why) => Err(self.error(
                path,
                &v.span(),
                format!("{} is out of range: {why}", show(x)),
            )),
            None => Ok(x),
        }
    }

    fn sla(&self, v: &Value<'_>, settings: &mut Settings) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("sla", v)?) {
            let path = join("sla", k.get_ref());
            let slot = match k.get_ref().as_ref() {
                "urgent" => &mut settings.sla.urgent,
                "high" => &mut settings.sla.high,
                "medium" => &mut settings.sla.medium,
                "low" => &mut settings.sla.low,
                other => {
                    return Err(self.error(
                        &path,
                        &k.span(),
                        format!(
                            "unknown priority '{other}' (expected one of: {})",
                            one_of(PRIORITIES)
                        ),
                    ));
                }
            };
            *slot = self.sla_target(&path, v, *slot)?;
        }
        Ok(())
    }

    /// One `[sla.<priority>]` table laid over the default.
    fn sla_target(
        &self,
        path: &str,
        v: &Value<'_>,
        default: SlaTarget,
    ) -> Result<SlaTarget, ConfigError> {
        let mut out = default;
        let mut blame = None;
        for (k, v) in entries(self.table(path, v)?) {
            let key_path = join(path, k.get_ref());
            let field = match k.get_ref().as_ref() {
                "first_response_min" => &mut out.first_response_min,
                "resolution_min" => out.resolution_min.get_or_insert(0),
                _ => return Err(self.unknown_key(path, k, SLA_KEYS)),
            };
            let n = self.whole(&key_path, v, "a whole number of minutes")?;
            // Zero minutes would breach every contact on arrival.
            if n < 1 {
                return Err(self.error(
                    &key_path,
                    &v.span(),
                    format!("must be at least 1 minute, got {n}"),
                ));
            }
            *field = u32::try_from(n).map_err(|_| {
                self.error(&key_path, &v.span(), format!("{n} minutes is too large"))
            })?;
            blame = Some((key_path, v.span()));
        }
        if let (Some(res), Some((key, span))) = (out.resolution_min, blame)
            && res < out.first_response_min
        {
            return Err(self.error(
                &key,
                &span,
                format!(
                    "resolution_min {res} is shorter than first_response_min {}",
                    out.first_response_min
                ),
            ));
        }
        Ok(out)
    }

    fn source(&self, v: &Value<'_>, source: &mut SourceConfig) -> Result<(), ConfigError> {
        let mut token_keys = 0;
        for (k, v) in entries(self.table("source", v)?) {
            let path = join("source", k.get_ref());
            match k.get_ref().as_ref() {
                "file" => {
                    // One path may be given bare; a list is the documented form.
                    source.file = match v.get_ref() {
                        DeValue::String(_) => vec![self.path_value(&path, v)?],
                        DeValue::Array(items) => items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| self.path_value(&format!("{path}[{i}]"), item))
                            .collect::<Result<_, _>>()?,
                        _ => return Err(self.wrong_type(&path, v, "an array of file paths")),
                    };
                }
                "crm" => source.crm = Some(self.crm_url(&path, v)?),
                "poll_s" => {
                    source.poll_s =
                        self.whole_in(&path, v, "a whole number of seconds", 1, 86_400)? as u64;
                }
                "token_env" => {
                    let name = self.nonblank(&path, v)?;
                    let valid = name.chars().next().is_some_and(|c| !c.is_ascii_digit())
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !valid {
                        return Err(self.error(
                            &path,
                            &v.span(),
                            "must be the NAME of an environment variable (letters, digits, _), \
                             not the token itself",
                        ));
                    }
                    source.token_env = Some(name.to_string());
                }
                "token_file" => source.token_file = Some(self.path_value(&path, v)?),
                _ => return Err(self.unknown_key("source", k, SOURCE_KEYS)),
            }
            if matches!(k.get_ref().as_ref(), "token_env" | "token_file") {
                token_keys += 1;
                // Two places for one token would leave the connector guessing.
                if token_keys > 1 {
                    return Err(self.error(
                        &path,
                        &k.span(),
                        "give only one of token_env and token_file",
                    ));
                }
            }
        }
        Ok(())
    }

    /// An http(s) URL without credentials: the config file is not a safe place
    /// for secrets, and `config show` prints it.
    fn crm_url(&self, path: &str, v: &Value<'_>) -> Result<String, ConfigError> {
        let url = self.nonblank(path, v)?.trim();
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        else {
            return Err(self.error(path, &v.span(), "expected an http:// or https:// URL"));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.is_empty() {
            return Err(self.error(path, &v.span(), "the URL has no host"));
        }
        if authority.contains('@') {
            return Err(self.error(
                path,
                &v.span(),
                "the URL carries credentials; put the token in source.token_env or \
                 source.token_file instead",
            ));
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
            return Err(self.error(
                path,
                &v.span(),
                "the URL carries a secret in its query; put the token in source.token_env or \
                 source.token_file instead",
            ));
        }
        Ok(url.to_string())
    }

    /// A path: `~/` means the home folder, a relative path is taken from the
    /// config file's folder (so a config works whatever the working directory).
    fn path_value(&self, path: &str, v: &Value<'_>) -> Result<PathBuf, ConfigError> {
        let raw = self.nonblank(path, v)?;
        let given = if raw == "~" || raw.starts_with("~/") {
            let Some(base) = directories::BaseDirs::new() else {
                return Err(self.error(path, &v.span(), "cannot expand '~': no home folder"));
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

    fn display(&self, v: &Value<'_>, extra: &mut Extra) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("display", v)?) {
            let path = join("display", k.get_ref());
            match k.get_ref().as_ref() {
                "theme" => {
                    let s = self.string(&path, v)?;
                    extra.display.theme = Theme::from_name(s).ok_or_else(|| {
                        let names: Vec<_> = Theme::ALL.iter().map(|t| t.as_str()).collect();
                        self.error(
                            &path,
                            &v.span(),
                            format!("unknown theme {s:?} (expected one of: {})", one_of(&names)),
                        )
                    })?;
                }
                "huddle_rotate_s" => {
                    extra.display.huddle_rotate_s =
                        self.whole_in(&path, v, "a whole number of seconds", 1, 3_600)? as u64;
                }
                "lang" => {
                    let s = self.string(&path, v)?;
                    extra.display.lang = Lang::from_name(s).ok_or_else(|| {
                        let names: Vec<_> = Lang::ALL.iter().map(|l| l.as_str()).collect();
                        self.error(
                            &path,
                            &v.span(),
                            format!(
                                "unknown language {s:?} (expected one of: {})",
                                one_of(&names)
                            ),
                        )
                    })?;
                }
                _ => return Err(self.unknown_key("display", k, DISPLAY_KEYS)),
            }
        }
        Ok(())
    }

    fn user(&self, v: &Value<'_>, extra: &mut Extra) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("user", v)?) {
            let path = join("user", k.get_ref());
            match k.get_ref().as_ref() {
                "name" => extra.user.name = Some(self.nonblank(&path, v)?.trim().to_string()),
                _ => return Err(self.unknown_key("user", k, USER_KEYS)),
            }
        }
        Ok(())
    }

    fn scorecard(&self, v: &Value<'_>, extra: &mut Extra) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("scorecard", v)?) {
            let path = join("scorecard", k.get_ref());
            match k.get_ref().as_ref() {
                "dimensions" => {
                    let DeValue::Array(items) = v.get_ref() else {
                        return Err(self.wrong_type(&path, v, "an array of strings"));
                    };
                    // A scorecard needs something to score; the form shows up to 9.
                    if items.is_empty() || items.len() > 9 {
                        return Err(self.error(
                            &path,
                            &v.span(),
                            format!("needs 1 to 9 dimensions, got {}", items.len()),
                        ));
                    }
                    let mut dims = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        dims.push(
                            self.nonblank(&format!("{path}[{i}]"), item)?
                                .trim()
                                .to_string(),
                        );
                    }
                    extra.scorecard.dimensions = dims;
                }
                "scale_max" => {
                    extra.scorecard.scale_max =
                        self.whole_in(&path, v, "a whole number", 2, 10)? as u8;
                }
                _ => return Err(self.unknown_key("scorecard", k, SCORECARD_KEYS)),
            }
        }
        Ok(())
    }

    /// `[feedback]`: follow-up limits, all whole numbers of at least 1.
    fn feedback(&self, v: &Value<'_>, extra: &mut Extra) -> Result<(), ConfigError> {
        for (k, v) in entries(self.table("feedback", v)?) {
            let path = join("feedback", k.get_ref());
            let rules = &mut extra.feedback;
            let (slot, max) = match k.get_ref().as_ref() {
                "investigate_within_business_days" => {
                    (&mut rules.investigate_within_business_days, 30)
                }
                "resolve_within_days" => (&mut rules.resolve_within_days, 365),
                "callback_unsatisfied_reopens_h" => {
                    (&mut rules.callback_unsatisfied_reopens_h, 720)
                }
                "escalation_stale_h" => (&mut rules.escalation_stale_h, 168),
                _ => return Err(self.unknown_key("feedback", k, FEEDBACK_KEYS)),
            };
            *slot = self.whole_in(&path, v, "a whole number", 1, max)? as u32;
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
        assert!(e.message.contains("\"higher\" or \"lower\""), "{e}");
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
        assert!(e.message.contains("expected a table"), "{e}");
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = err("[spot_check]\nrate = 0.2\nsede = 4\n");
        assert_eq!(e.key.as_deref(), Some("spot_check.sede"));
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("rate, seed"), "{e}");
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
        assert!(e.message.contains("unknown KPI 'speed'"), "{e}");
        assert!(e.message.contains("aht_s"), "{e}");
        let e = err("[sla.critical]\nfirst_response_min = 1\n");
        assert_eq!(e.key.as_deref(), Some("sla.critical"));
        assert!(e.message.contains("urgent, high, medium, low"), "{e}");
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
        assert!(e.message.contains("-5"), "{e}");
        let e = err("[sla.urgent]\nfirst_response_min = 0\n");
        assert_eq!(e.key.as_deref(), Some("sla.urgent.first_response_min"));
        let e = err("[sla.medium]\nfirst_response_min = 2.5\n");
        assert!(e.message.contains("whole number"), "{e}");
        let e = err("[spot_check]\nseed = -1\n");
        assert_eq!(e.key.as_deref(), Some("spot_check.seed"));
        assert!(e.message.contains("got -1"), "{e}");
        let e = err("[spot_check]\nseed = 99999999999999999999999\n");
        assert!(
            e.message.contains("between 0 and 18446744073709551615"),
            "{e}"
        );
        let e = err("fcr_window_h = 1e400\n");
        assert_eq!(e.key.as_deref(), Some("fcr_window_h"));
        // A percentage where a fraction belongs is caught.
        let e = err("[targets.csat]\ntarget = 88\n");
        assert!(e.message.contains("0.88"), "{e}");
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
    fn alert_must_lie_beyond_warn() {
        // Lower is better: alert 250 below warn (= target 252) is inverted.
        let e = err("[targets.aht_s]\nalert = 250\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.alert"));
        assert!(e.message.contains("alert 250 is below warn 252"), "{e}");
        // Flipping the direction keeps the default alert 270 above target 252: refused.
        let e = err("[targets.aht_s]\ndirection = \"higher\"\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.direction"));
        // Raising the AHT target past the default alert needs a new alert too.
        let e = err("[targets.aht_s]\ntarget = 280\n");
        assert_eq!(e.key.as_deref(), Some("targets.aht_s.target"));
        assert!(e.message.contains("alert 270 is below warn 280"), "{e}");
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
            e.message.contains("shorter than first_response_min 30"),
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
        assert!(e.message.contains("token_env"), "{e}");
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
        assert!(e.message.contains("default, high-contrast"), "{e}");
        let e = err("[display]\nhuddle_rotate_s = 0\n");
        assert_eq!(e.key.as_deref(), Some("display.huddle_rotate_s"));
        let e = err("[display]\nlang = \"fr\"\n");
        assert_eq!(e.key.as_deref(), Some("display.lang"));
        let e = err("[source]\npoll_s = 0\n");
        assert_eq!(e.key.as_deref(), Some("source.poll_s"));
        let e = err("[user]\nname = \"\"\n");
        assert_eq!(e.key.as_deref(), Some("user.name"));
    }

    #[test]
    fn key_paths_quote_odd_keys() {
        assert_eq!(join("targets", "aht_s"), "targets.aht_s");
        assert_eq!(join("", "a b"), "\"a b\"");
    }
}
