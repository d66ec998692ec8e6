//! Turning `--from/--to/--now` arguments and named windows into instants.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use super::CliError;
use crate::domain::snapshot::Window;
use crate::domain::time::{Ts, parse_rfc3339};

pub use crate::domain::calendar::{day_start, day_window, local_date, today};

/// An instant from the command line: RFC 3339 with offset, or a date
/// (`2026-11-22`, meaning local midnight in the configured zone). The error
/// names the flag.
pub fn parse_instant(s: &str, tz: Tz, flag: &'static str) -> Result<Ts, CliError> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day_start(d, tz));
    }
    parse_rfc3339(s).map_err(|why| CliError::Instant {
        flag,
        value: s.to_owned(),
        why,
    })
}

/// The window of a snapshot: `--from/--to` when given, else today around `now`.
/// A date alone as `--to` means the end of that day (inclusive of the date).
pub fn resolve(from: Option<&str>, to: Option<&str>, now: Ts, tz: Tz) -> Result<Window, CliError> {
    let today = today(now, tz);
    let from_ts = match from {
        Some(s) => parse_instant(s, tz, "--from")?,
        None => today.from,
    };
    let to_ts = match to {
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => day_start(d + Duration::days(1), tz),
            Err(_) => parse_instant(s, tz, "--to")?,
        },
        None if from.is_some() => day_start(local_date(from_ts, tz) + Duration::days(1), tz),
        None => today.to,
    };
    if to_ts <= from_ts {
        return Err(CliError::EmptyWindow {
            from: from_ts,
            to: to_ts,
        });
    }
    Ok(Window {
        from: from_ts,
        to: to_ts,
    })
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
