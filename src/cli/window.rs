//! Turning `--from/--to/--now` arguments and named windows into instants.

use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;

use crate::domain::snapshot::Window;
use crate::domain::time::{Ts, parse_rfc3339};

/// Local midnight starting `day` in `tz` (the earliest instant of that local
/// date, so a DST gap at midnight moves it forward rather than failing).
pub fn day_start(day: NaiveDate, tz: Tz) -> Ts {
    let mut t = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return Ts::from_datetime(&dt);
        }
        t += Duration::minutes(30);
    }
    Ts::from_datetime(&tz.from_utc_datetime(&t))
}

/// The local date of an instant.
pub fn local_date(t: Ts, tz: Tz) -> NaiveDate {
    t.to_utc().with_timezone(&tz).date_naive()
}

/// `[local midnight, next local midnight)` of the day holding `now`.
pub fn today(now: Ts, tz: Tz) -> Window {
    day_window(local_date(now, tz), tz)
}

pub fn day_window(day: NaiveDate, tz: Tz) -> Window {
    Window {
        from: day_start(day, tz),
        to: day_start(day + Duration::days(1), tz),
    }
}

/// Monday 00:00 of the week holding `now` to the next Monday.
pub fn this_week(now: Ts, tz: Tz) -> Window {
    let d = local_date(now, tz);
    let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
    Window {
        from: day_start(monday, tz),
        to: day_start(monday + Duration::days(7), tz),
    }
}

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

/// The window of a snapshot: `--from/--to` when given, else today around `now`.
/// A date alone as `--to` means the end of that day (inclusive of the date).
pub fn resolve(from: Option<&str>, to: Option<&str>, now: Ts, tz: Tz) -> Result<Window, String> {
    let today = today(now, tz);
    let from_ts = match from {
        Some(s) => parse_instant(s, tz).map_err(|e| format!("--from {e}"))?,
        None => today.from,
    };
    let to_ts = match to {
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => day_start(d + Duration::days(1), tz),
            Err(_) => parse_instant(s, tz).map_err(|e| format!("--to {e}"))?,
        },
        None if from.is_some() => day_start(local_date(from_ts, tz) + Duration::days(1), tz),
        None => today.to,
    };
    if to_ts <= from_ts {
        return Err(format!(
            "the window is empty: --to ({to_ts}) must be after --from ({from_ts})"
        ));
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

    #[test]
    fn dst_day_is_23_hours() {
        let tz: Tz = "Europe/Berlin".parse().expect("zone");
        let w = day_window(NaiveDate::from_ymd_opt(2026, 3, 29).expect("date"), tz);
        assert_eq!(w.to.since(w.from), 23 * 3600 * 1_000_000_000);
    }
}
