//! Which days of a period the data holds: a weekly report of a week the
//! data only partly covers ("2 of 7 days") says so, and gives its
//! count-based figures per day with data instead of judging a part of a
//! week against a full week's worth.
//!
//! A day has data when a contact arrived or an agent state began on it
//! (local date in the configured zone). A day without either is missing
//! from the data: before the file starts, after it ends, a gap between two
//! files, or a day the centre was closed. Per day with data is then per
//! working day, which is how a contact centre reads productivity.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use super::calendar::local_date;
use super::floor::Floor;
use super::snapshot::Window;

/// Which of a period's days hold data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// Days in the period (7 for a week).
    pub days: u32,
    /// The days with data, in order.
    pub with_data: Vec<NaiveDate>,
}

impl Coverage {
    /// Days with data (0…days).
    pub fn count(&self) -> u32 {
        u32::try_from(self.with_data.len()).unwrap_or(u32::MAX)
    }

    /// Some days of the period hold no data (or none does).
    pub fn is_partial(&self) -> bool {
        self.count() < self.days
    }
}

/// The days of `window` (local days from `first_day`, `days` of them) on
/// which a contact arrived or an agent state began.
pub fn coverage(
    floor: &Floor,
    window: Window,
    first_day: NaiveDate,
    days: u32,
    tz: Tz,
) -> Coverage {
    let last_day = first_day + Duration::days(i64::from(days) - 1);
    let inside = |t| t >= window.from && t < window.to;
    let arrivals = floor
        .contacts_arriving(window.from, window.to)
        .filter_map(|(_, c)| c.arrived_at)
        .filter(|t| inside(*t));
    let states = floor
        .agent_states()
        .flat_map(|(_, changes)| changes.iter().map(|s| s.at))
        .filter(|t| inside(*t));
    let with_data: BTreeSet<NaiveDate> = arrivals
        .chain(states)
        .map(|t| local_date(t, tz))
        .filter(|d| *d >= first_day && *d <= last_day)
        .collect();
    Coverage {
        days,
        with_data: with_data.into_iter().collect(),
    }
}

/// A count-based figure of the whole period (handled ÷ agents ÷ the
/// period's days, spec section 2) per day with data instead: handled ÷
/// agents ÷ days with data. `value` and `agents` are the spec's figure and
/// its n; `period_days` the period's length in days (fractional across a
/// DST change). The handled count is recovered exactly (it is a whole
/// number), so the result is the division of whole numbers.
pub fn per_day_with_data(value: f64, agents: f64, period_days: f64, with_data: u32) -> Option<f64> {
    if with_data == 0 || agents <= 0.0 || !value.is_finite() {
        return None;
    }
    let handled = (value * agents * period_days).round();
    Some(handled / agents / f64::from(with_data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AgentStateKind;
    use crate::domain::calendar::day_start;
    use crate::domain::testkit::Builder;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    fn week(tz: Tz) -> Window {
        Window {
            from: day_start(date(16), tz),
            to: day_start(date(23), tz),
        }
    }

    #[test]
    fn days_with_a_contact_or_a_state_count() {
        let mut b = Builder::new();
        // Saturday 21 and Sunday 22 November of the week Mon 16 – Sun 22;
        // the week after and the Sunday before are not in it.
        b.contact("k1", "2026-11-21T10:00:00Z").done();
        b.contact("k2", "2026-11-21T23:00:00Z").done();
        b.state("a1", AgentStateKind::Available, "2026-11-22T08:00:00Z");
        b.contact("k3", "2026-11-23T09:00:00Z").done();
        b.contact("k0", "2026-11-15T23:59:59Z").done();
        let c = coverage(&b.floor, week(Tz::UTC), date(16), 7, Tz::UTC);
        assert_eq!(c.with_data, [date(21), date(22)]);
        assert_eq!((c.count(), c.days, c.is_partial()), (2, 7, true));
        // In Shanghai (UTC+8) k2 arrives on Sunday 07:00 and k0 on Monday
        // 16 07:59: Monday, Saturday and Sunday.
        let tz = Tz::Asia__Shanghai;
        let c = coverage(&b.floor, week(tz), date(16), 7, tz);
        assert_eq!(c.with_data, [date(16), date(21), date(22)]);
        // No data at all.
        let empty = coverage(&Builder::new().floor, week(Tz::UTC), date(16), 7, Tz::UTC);
        assert_eq!((empty.count(), empty.is_partial()), (0, true));
    }

    #[test]
    fn a_full_week_is_not_partial() {
        let mut b = Builder::new();
        for d in 16..=22 {
            b.contact(&format!("k{d}"), &format!("2026-11-{d}T12:00:00Z"))
                .done();
        }
        let c = coverage(&b.floor, week(Tz::UTC), date(16), 7, Tz::UTC);
        assert_eq!((c.count(), c.is_partial()), (7, false));
    }

    #[test]
    fn per_day_with_data_divides_whole_numbers() {
        // 360 handled by 2 agents in a 7-day week: the spec's 25.714…;
        // over the 2 days with data, 90.
        let spec = 360.0 / 2.0 / 7.0;
        assert_eq!(per_day_with_data(spec, 2.0, 7.0, 2), Some(90.0));
        assert_eq!(
            per_day_with_data(spec, 2.0, 7.0, 7),
            Some(360.0 / 2.0 / 7.0)
        );
        assert_eq!(per_day_with_data(spec, 2.0, 7.0, 0), None);
        assert_eq!(per_day_with_data(f64::NAN, 2.0, 7.0, 2), None);
        assert_eq!(per_day_with_data(0.0, 0.0, 7.0, 2), None);
    }
}
