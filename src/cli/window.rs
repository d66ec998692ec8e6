//! Turning `--from/--to/--now` arguments and named windows into instants.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use crate::domain::snapshot::Window;
use crate::domain::time::{Ts, parse_rfc3339};

pub use crate::domain::calendar::{day_start, day_window, local_date, today};

/// An instant from the command line: RFC 3339 with offset, or a date
/// (`2026-11-22`, meaning local midnight in the configured zone).
pub fn parse_instant(s: &str, tz: Tz) -> Result<Ts, String> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day_start(d, tz));
    }
    parse_rfc3339(s).map_err(|e| {
        format!(
            "'{s}': {e} (use RFC 3339 like 2026-11-22T09:00:00+08:00, or a date like 2026-11-22)"
        )
    })
}

/// [`parse_instant`] with the error in the language, naming the flag.
pub fn parse_instant_in(
    s: &str,
    tz: Tz,
    lang: crate::i18n::Lang,
    flag: &str,
) -> Result<Ts, String> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day_start(d, tz));
    }
    parse_rfc3339(s).map_err(|e| {
        crate::i18n::tf(
            lang,
            crate::i18n::Msg::ErrInstant,
            &[
                &flag,
                &format!("'{s}'"),
                &crate::i18n::translate(lang, &e.to_string()),
            ],
        )
    })
}

/// [`resolve`] with its errors in the language.
pub fn resolve_in(
    from: Option<&str>,
    to: Option<&str>,
    now: Ts,
    tz: Tz,
    lang: crate::i18n::Lang,
) -> Result<Window, String> {
    use crate::i18n::{Msg, tf};
    let today = today(now, tz);
    let from_ts = match from {
        Some(s) => parse_instant_in(s, tz, lang, "--from")?,
        None => today.from,
    };
    let to_ts = match to {
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => day_start(d + Duration::days(1), tz),
            Err(_) => parse_instant_in(s, tz, lang, "--to")?,
        },
        None if from.is_some() => day_start(local_date(from_ts, tz) + Duration::days(1), tz),
        None => today.to,
    };
    if to_ts <= from_ts {
        return Err(tf(lang, Msg::ErrEmptyWindow, &[&to_ts, &from_ts]));
    }
    Ok(Window {
        from: from_ts,
        to: to_ts,
    })
}

/// The window of a snapshot: `--from/--to` when given, else today around `now`.
/// A date alone as `--to` means the end of that day (inclusive of the date).
pub fn resolve(from: Option<&str>, to: Option<&str>, now: Ts, tz: Tz) -> Result<Window, String> {
    resolve_in(from, to, now, tz, crate::i18n::Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_in_shanghai() {
        let tz: Tz = "Asia/Shanghai".parse().expect("zone");
        let now = parse_rfc3339("2026-11-22T01:30:00Z").expect("ts");
        let w = today(now, tz);
        assert_eq!(w.from.to_rfc3339(), "2026-11-21T16:00:00Z");
        assert_eq!(w.to.to_rfc3339(), "2026-11-22T16:00:00Z");
    }

    #[test]
    fn date_arguments_cover_whole_days() {
        let tz = Tz::UTC;
        let now = Ts::from_secs(0);
        let w = resolve(Some("2026-11-16"), Some("2026-11-22"), now, tz).expect("window");
        assert_eq!(w.days(), 7.0);
        assert!(resolve(Some("2026-11-22"), Some("2026-11-21"), now, tz).is_err());
        assert!(resolve(Some("2026-11-22T09:00:00"), None, now, tz).is_err());
    }
}
