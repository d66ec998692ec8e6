//! Local days in the configured time zone, as instants.
//!
//! One place decides where a local day starts, so the console's windows,
//! `snapshot` and the spot-check population always agree, DST included.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

use super::snapshot::Window;
use super::time::Ts;

/// The first instant whose local time in `tz` is at or after `local`.
///
/// Found by bisection over the UTC seconds around it, so a DST gap moves the
/// instant to the end of the gap, and a repeated hour gives its earlier
/// occurrence. Assumes no zone steps back across `local` by more than a day.
pub fn local_ts(local: NaiveDateTime, tz: Tz) -> Ts {
    let target = local.and_utc().timestamp();
    let local_secs = |t: i64| -> i64 {
        let offset = chrono::DateTime::from_timestamp(t, 0)
            .map(|dt| {
                tz.offset_from_utc_datetime(&dt.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
            .unwrap_or(0);
        t + i64::from(offset)
    };
    let (mut lo, mut hi) = (target - 30 * 3600, target + 30 * 3600);
    // Invariant: local(lo) < target ≤ local(hi).
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if local_secs(mid) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // Keep the sub-second part of `local`.
    Ts::from_secs(hi).add_nanos(i64::from(local.and_utc().timestamp_subsec_nanos()))
}

/// Local midnight starting `day`.
pub fn day_start(day: NaiveDate, tz: Tz) -> Ts {
    local_ts(day.and_hms_opt(0, 0, 0).unwrap_or_default(), tz)
}

/// The local date of an instant.
pub fn local_date(t: Ts, tz: Tz) -> NaiveDate {
    t.to_utc().with_timezone(&tz).date_naive()
}

/// `[local midnight, next local midnight)` of `day`.
pub fn day_window(day: NaiveDate, tz: Tz) -> Window {
    Window {
        from: day_start(day, tz),
        to: day_start(day + Duration::days(1), tz),
    }
}

/// The local day holding `now`.
pub fn today(now: Ts, tz: Tz) -> Window {
    day_window(local_date(now, tz), tz)
}

/// Monday 00:00 of the week holding `now` to the next Monday 00:00.
pub fn week_window(now: Ts, tz: Tz) -> Window {
    let d = local_date(now, tz);
    let monday = d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    Window {
        from: day_start(monday, tz),
        to: day_start(monday + Duration::days(7), tz),
    }
}

/// The ISO week holding `day`, as the store keys KPI notes: "2026-W47".
/// The ISO year can differ from the calendar year around New Year.
pub fn iso_week_label(day: NaiveDate) -> String {
    let w = day.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn shanghai_day() {
        let w = day_window(date(2026, 11, 22), Tz::Asia__Shanghai);
        assert_eq!(w.from.to_rfc3339(), "2026-11-21T16:00:00Z");
        assert_eq!(w.to.to_rfc3339(), "2026-11-22T16:00:00Z");
    }

    #[test]
    fn dst_days() {
        // Berlin springs forward at 02:00: a 23-hour day.
        let w = day_window(date(2026, 3, 29), Tz::Europe__Berlin);
        assert_eq!(w.to.since(w.from), 23 * 3_600_000_000_000);
        // São Paulo 2018: midnight skipped, the day starts at 01:00 local.
        let start = day_start(date(2018, 11, 4), Tz::America__Sao_Paulo);
        assert_eq!(start.to_rfc3339(), "2018-11-04T03:00:00Z");
        // Havana falls back from 01:00 to 00:00: the earlier midnight.
        let start = day_start(date(2026, 11, 1), Tz::America__Havana);
        assert_eq!(start.to_rfc3339(), "2026-11-01T04:00:00Z");
    }

    #[test]
    fn week_starts_monday() {
        let now = crate::domain::time::parse_rfc3339("2026-11-22T10:00:00Z").expect("ts");
        let w = week_window(now, Tz::UTC);
        assert_eq!(w.from.to_rfc3339(), "2026-11-16T00:00:00Z");
        assert_eq!(w.days(), 7.0);
    }

    #[test]
    fn iso_week_labels() {
        assert_eq!(iso_week_label(date(2026, 11, 16)), "2026-W47");
        assert_eq!(iso_week_label(date(2026, 11, 22)), "2026-W47");
        // 2027-01-01 is a Friday: still week 53 of ISO year 2026.
        assert_eq!(iso_week_label(date(2027, 1, 1)), "2026-W53");
        assert_eq!(iso_week_label(date(2024, 12, 30)), "2025-W01");
    }
}
