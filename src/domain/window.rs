//! The windows the console cycles through with `w`, resolved in the
//! configured time zone.
//!
//! - today: local midnight to the next local midnight (same as `snapshot`);
//! - current shift: from the latest shift start at or before now to the next
//!   one. Shifts are given as local start times; the default is three 8-hour
//!   shifts starting 00:00, 08:00 and 16:00 (a 24/7 floor). A shift that
//!   starts before midnight runs into the next day;
//! - yesterday: the previous local day;
//! - rolling 24 h: `[now − 24 h, now)`;
//! - this week: Monday 00:00 to the next Monday 00:00 (ISO weeks).

use chrono::{Duration, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::Ts;
use super::calendar::local_ts;
use super::snapshot::Window;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum WindowKind {
    Today,
    Shift,
    Yesterday,
    Rolling24h,
    ThisWeek,
}

impl WindowKind {
    pub const ALL: [WindowKind; 5] = [
        WindowKind::Today,
        WindowKind::Shift,
        WindowKind::Yesterday,
        WindowKind::Rolling24h,
        WindowKind::ThisWeek,
    ];

    pub fn next(self) -> WindowKind {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// Local start times of the floor's shifts, sorted.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Shifts {
    starts: Vec<NaiveTime>,
}

impl Default for Shifts {
    fn default() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        Shifts {
            starts: vec![t(0), t(8), t(16)],
        }
    }
}

impl Shifts {
    /// From `"HH:MM"` strings; `None` when empty or one does not parse.
    pub fn parse(starts: &[&str]) -> Option<Shifts> {
        let mut v = starts
            .iter()
            .map(|s| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok())
            .collect::<Option<Vec<_>>>()?;
        if v.is_empty() {
            return None;
        }
        v.sort();
        v.dedup();
        Some(Shifts { starts: v })
    }

    /// The shift holding `now`.
    pub fn current(&self, now: Ts, tz: Tz) -> Window {
        let local = now.to_utc().with_timezone(&tz).naive_local();
        let today = local.date();
        // Candidate starts yesterday, today and tomorrow, in order.
        let mut candidates: Vec<NaiveDateTime> = Vec::with_capacity(self.starts.len() * 3);
        for d in [today - Duration::days(1), today, today + Duration::days(1)] {
            candidates.extend(self.starts.iter().map(|t| d.and_time(*t)));
        }
        let i = candidates.partition_point(|c| *c <= local).max(1) - 1;
        let from = local_ts(candidates[i], tz);
        let to = local_ts(candidates[(i + 1).min(candidates.len() - 1)], tz);
        Window { from, to }
    }
}

pub use super::calendar::{day_window, local_date};

/// The window of `kind` around `now`.
pub fn resolve(kind: WindowKind, now: Ts, tz: Tz, shifts: &Shifts) -> Window {
    let today = local_date(now, tz);
    match kind {
        WindowKind::Today => day_window(today, tz),
        WindowKind::Shift => shifts.current(now, tz),
        WindowKind::Yesterday => day_window(today - Duration::days(1), tz),
        WindowKind::Rolling24h => Window {
            from: now.add_secs(-86_400),
            to: now,
        },
        WindowKind::ThisWeek => super::calendar::week_window(now, tz),
    }
}

/// The same local clock times seven days earlier (DST-safe).
pub fn week_earlier(t: Ts, tz: Tz) -> Ts {
    let local = t.to_utc().with_timezone(&tz).naive_local();
    local_ts(local - Duration::days(7), tz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_rfc3339;

    fn ts(s: &str) -> Ts {
        parse_rfc3339(s).expect("timestamp")
    }

    #[test]
    fn windows_in_shanghai() {
        let tz: Tz = "Asia/Shanghai".parse().expect("zone");
        // Sunday 2026-11-22 09:15 local.
        let now = ts("2026-11-22T09:15:00+08:00");
        let s = Shifts::default();
        let w = resolve(WindowKind::Today, now, tz, &s);
        assert_eq!(
            (w.from, w.to),
            (
                ts("2026-11-22T00:00:00+08:00"),
                ts("2026-11-23T00:00:00+08:00")
            )
        );
        let w = resolve(WindowKind::Shift, now, tz, &s);
        assert_eq!(
            (w.from, w.to),
            (
                ts("2026-11-22T08:00:00+08:00"),
                ts("2026-11-22T16:00:00+08:00")
            )
        );
        let w = resolve(WindowKind::Yesterday, now, tz, &s);
        assert_eq!(
            (w.from, w.to),
            (
                ts("2026-11-21T00:00:00+08:00"),
                ts("2026-11-22T00:00:00+08:00")
            )
        );
        let w = resolve(WindowKind::Rolling24h, now, tz, &s);
        assert_eq!((w.from, w.to), (ts("2026-11-21T09:15:00+08:00"), now));
        let w = resolve(WindowKind::ThisWeek, now, tz, &s);
        assert_eq!(
            (w.from, w.to),
            (
                ts("2026-11-16T00:00:00+08:00"),
                ts("2026-11-23T00:00:00+08:00")
            )
        );
    }

    #[test]
    fn a_night_shift_crosses_midnight() {
        let tz = Tz::UTC;
        let s = Shifts::parse(&["07:00", "15:00", "23:00"]).expect("shifts");
        let w = s.current(ts("2026-11-22T02:00:00Z"), tz);
        assert_eq!(
            (w.from, w.to),
            (ts("2026-11-21T23:00:00Z"), ts("2026-11-22T07:00:00Z"))
        );
        let w = s.current(ts("2026-11-22T23:30:00Z"), tz);
        assert_eq!(
            (w.from, w.to),
            (ts("2026-11-22T23:00:00Z"), ts("2026-11-23T07:00:00Z"))
        );
        // Exactly at a start, the new shift has begun.
        let w = s.current(ts("2026-11-22T15:00:00Z"), tz);
        assert_eq!(w.from, ts("2026-11-22T15:00:00Z"));
        assert!(Shifts::parse(&["25:00"]).is_none());
    }

    #[test]
    fn week_earlier_keeps_local_time_over_dst() {
        let tz: Tz = "Europe/Berlin".parse().expect("zone");
        // 2026-03-29 is the spring-forward day; a week later the offset differs.
        let t = ts("2026-04-02T09:00:00+02:00");
        assert_eq!(week_earlier(t, tz), ts("2026-03-26T09:00:00+01:00"));
    }
}
