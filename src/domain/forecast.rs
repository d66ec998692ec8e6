//! The rest of the day, interval by interval (spec section 9, `forecast`):
//! expected arrivals and AHT per queue for each 30-minute interval from the
//! one holding now to the end of the local day, and the agents Erlang C
//! needs for them.
//!
//! The method (written up for leads in docs/forecast.md):
//!
//! 1. **Profile.** For each interval of the local clock (09:00–09:30, …) the
//!    weighted mean of the queue's arrivals in that interval on the same
//!    weekday of the last [`HISTORY_WEEKS`] weeks, weights 4 : 3 : 2 : 1 from
//!    the most recent week. A past day counts only when the feed covers it
//!    (some contact of any queue arrived that day): a queue that was quiet
//!    on a covered day counts as 0, a day before the data began does not
//!    count at all. Without any such same-weekday day, the mean of the last
//!    [`FALLBACK_DAYS`] covered days (any weekday); without those either,
//!    the naive rate (the last hour's arrivals, flat).
//! 2. **Today's level.** The profile is scaled by how today has run against
//!    it so far: `s = (A + P) / (E + P)`, where A is today's arrivals up to
//!    now and E the profile's expectation for the same stretch (the current
//!    interval pro rata), each counted over the last [`LEVEL_HOURS`] hours of
//!    today, and P = [`LEVEL_PRIOR`] contacts is the credibility weight: a
//!    stretch with few contacts barely moves the level (s stays near 1).
//! 3. **Current interval.** Its arrivals so far plus the scaled profile for
//!    the part still to come.
//! 4. **AHT.** The same weighted history's mean handle time of the contacts
//!    that arrived in that interval, shrunk toward the history's all-day mean
//!    by [`AHT_PRIOR`] contacts; without handled history, the queue's
//!    `aht_basis_s`.
//! 5. **Agents.** Erlang C (`domain::erlang`) on the interval's rate
//!    (offered ÷ interval length), its AHT, the queue's threshold and the
//!    service-level target.
//!
//! No peeking: only contacts with `arrived_at ≤ now` are read, and only
//! handles with `ended_at ≤ now` feed the AHT, so the same file cut at now
//! (later records dropped, later events not yet written) gives the same
//! forecast.
//!
//! Intervals follow the local clock. On a day the clocks go forward, the
//! skipped half hours are left out; on a day they go back, the interval
//! before the change also holds the repeated hour.

use super::calendar::{local_date, local_ts};
use super::erlang;
use super::floor::{BlockSpan, Floor};
use super::intern::Sym;
use super::time::{NANOS_PER_SEC, Ts};
use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

pub use super::snapshot::{Basis, ForecastInterval};

/// Intervals of a local day.
pub const SLOTS: usize = 48;
/// Minutes per interval.
pub const INTERVAL_MIN: i64 = 30;
/// Same-weekday weeks in the profile, most recent first weighted 4, 3, 2, 1.
pub const HISTORY_WEEKS: usize = 4;
/// Days of any weekday used when no same-weekday day is covered.
pub const FALLBACK_DAYS: usize = 7;
/// Hours of today that set the level (the stretch before now).
pub const LEVEL_HOURS: i64 = 3;
/// Pseudo-contacts added to both sides of the level ratio.
pub const LEVEL_PRIOR: f64 = 100.0;
/// Pseudo-contacts that pull an interval's AHT toward the all-day mean.
pub const AHT_PRIOR: f64 = 5.0;

/// A queue's day: arrivals so far per earlier interval, and the forecast.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct QueueDay {
    /// Earlier intervals of today: (from, to, arrivals).
    pub earlier: Vec<(Ts, Ts, u64)>,
    /// From the interval holding now to the end of the day.
    pub ahead: Vec<ForecastInterval>,
    pub basis: Basis,
    /// The level factor applied to the profile (1 for the naive basis).
    pub level: f64,
}

/// What the forecast needs of each queue besides the contacts.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct QueueBasis {
    pub id: Sym,
    pub threshold_s: f64,
    pub aht_basis_s: Option<f64>,
    pub arrivals_last_hour: u64,
}

/// The interval boundaries of a local day: `SLOTS + 1` instants, non-decreasing.
pub fn boundaries(day: NaiveDate, tz: Tz) -> [Ts; SLOTS + 1] {
    let start = local_ts(day.and_time(NaiveTime::MIN), tz);
    let end = local_ts((day + Duration::days(1)).and_time(NaiveTime::MIN), tz);
    let step = INTERVAL_MIN * 60 * NANOS_PER_SEC;
    let mut b = [start; SLOTS + 1];
    if end.since(start) == step * SLOTS as i64 {
        // A plain 24-hour day (no clock change between the midnights).
        for (k, v) in b.iter_mut().enumerate() {
            *v = start.add_nanos(step * k as i64);
        }
    } else {
        for (k, v) in b.iter_mut().enumerate().skip(1) {
            let local = day.and_time(NaiveTime::MIN) + Duration::minutes(INTERVAL_MIN * k as i64);
            *v = local_ts(local, tz);
        }
    }
    b
}

/// The slot of `t` in a day's boundaries (`t` within the day).
pub fn slot_of(b: &[Ts; SLOTS + 1], t: Ts) -> usize {
    (b.partition_point(|x| *x <= t) - 1).min(SLOTS - 1)
}

/// Per queue and day: arrivals, handled contacts and their handle seconds by slot.
struct Tally {
    arrivals: Vec<[u32; SLOTS]>,
    handled: Vec<[u32; SLOTS]>,
    handle_s: Vec<[f64; SLOTS]>,
    /// Per queue: arrivals in [now − LEVEL_HOURS, now], not before today.
    recent: Vec<u32>,
}

/// The forecast of every queue in `queues`, in that order.
pub fn forecast(
    floor: &Floor,
    tz: Tz,
    now: Ts,
    target_sl: f64,
    queues: &[QueueBasis],
) -> Vec<QueueDay> {
    let today = local_date(now, tz);
    // Day 0 is today; then the same weekday 1…HISTORY_WEEKS weeks back; then
    // the last FALLBACK_DAYS days.
    let mut days: Vec<NaiveDate> = vec![today];
    days.extend((1..=HISTORY_WEEKS).map(|w| today - Duration::weeks(w as i64)));
    days.extend((1..=FALLBACK_DAYS).map(|d| today - Duration::days(d as i64)));
    let bounds: Vec<[Ts; SLOTS + 1]> = days.iter().map(|d| boundaries(*d, tz)).collect();
    // Days in time order for the lookup (a date may appear twice: a week ago
    // is also one of the last seven days; the first listing is used).
    let mut order: Vec<usize> = (0..days.len()).collect();
    order.sort_by_key(|&i| (bounds[i][0], i));
    order.dedup_by_key(|i| days[*i]);
    let starts: Vec<Ts> = order.iter().map(|&i| bounds[i][0]).collect();
    let earliest = starts[0];

    // Queue slots by symbol index (a later listing of the same id wins, as
    // a map collected from the list would have it).
    let mut slot: Vec<u32> = Vec::new();
    for (i, q) in queues.iter().enumerate() {
        let at = q.id.index();
        if slot.len() <= at {
            slot.resize(at + 1, u32::MAX);
        }
        slot[at] = i as u32;
    }
    let n_days = days.len();
    let mut t = Tally {
        arrivals: vec![[0; SLOTS]; queues.len() * n_days],
        handled: vec![[0; SLOTS]; queues.len() * n_days],
        handle_s: vec![[0.0; SLOTS]; queues.len() * n_days],
        recent: vec![0; queues.len()],
    };
    let level_from = now
        .add_nanos(-LEVEL_HOURS * 3600 * NANOS_PER_SEC)
        .max(bounds[0][0]);
    let mut covered = vec![false; n_days];
    // A day of plain 30-minute steps finds a contact's slot by division.
    let step = INTERVAL_MIN * 60 * NANOS_PER_SEC;
    let plain: Vec<bool> = bounds
        .iter()
        .map(|b| b.windows(2).all(|w| w[1].since(w[0]) == step))
        .collect();
    // Only blocks holding an arrival in one of the days looked at (up to
    // now) are read: the days between them are skipped whole.
    let spans: Vec<(Ts, Ts)> = order
        .iter()
        .map(|&d| (bounds[d][0], bounds[d][SLOTS].min(now.add_nanos(1))))
        .collect();
    let wanted = |b: BlockSpan| spans.iter().any(|&(from, to)| b.arrives_in(from, to));
    // Contacts come mostly in time order: the day of the last one is tried first.
    let mut last: Option<(Ts, Ts, usize)> = None;
    for (_, c) in floor.contacts_scan(wanted, false) {
        let Some(arrived) = c.arrived_at else {
            continue;
        };
        if arrived > now || arrived < earliest {
            continue;
        }
        let d = match last {
            Some((lo, hi, d)) if arrived >= lo && arrived < hi => d,
            _ => {
                let pos = starts.partition_point(|s| *s <= arrived) - 1;
                let hi = starts
                    .get(pos + 1)
                    .copied()
                    .unwrap_or(Ts::from_nanos(i64::MAX));
                last = Some((starts[pos], hi, order[pos]));
                order[pos]
            }
        };
        if arrived >= bounds[d][SLOTS] {
            continue; // between the days we look at
        }
        covered[d] = true;
        let Some(q) = c
            .queue
            .and_then(|q| slot.get(q.index()))
            .filter(|&&q| q != u32::MAX)
            .map(|&q| q as usize)
        else {
            continue;
        };
        if arrived >= level_from {
            t.recent[q] += 1;
        }
        let k = if plain[d] {
            ((arrived.since(bounds[d][0]) / step) as usize).min(SLOTS - 1)
        } else {
            slot_of(&bounds[d], arrived)
        };
        let row = q * n_days + d;
        t.arrivals[row][k] += 1;
        if c.answered_at.is_some() && c.ended_at.is_some_and(|e| e <= now) {
            t.handled[row][k] += 1;
            t.handle_s[row][k] += c.handle_s();
        }
    }
    // A date listed twice shares the first listing's counts.
    for i in 0..n_days {
        if let Some(j) = (0..i).find(|&j| days[j] == days[i]) {
            covered[i] = covered[j];
            for q in 0..queues.len() {
                t.arrivals[q * n_days + i] = t.arrivals[q * n_days + j];
                t.handled[q * n_days + i] = t.handled[q * n_days + j];
                t.handle_s[q * n_days + i] = t.handle_s[q * n_days + j];
            }
        }
    }

    // The weights of the history days (index into `days`), by basis.
    let weekly: Vec<(usize, f64)> = (1..=HISTORY_WEEKS)
        .filter(|&w| covered[w])
        .map(|w| (w, (HISTORY_WEEKS + 1 - w) as f64))
        .collect();
    let recent: Vec<(usize, f64)> = (HISTORY_WEEKS + 1..n_days)
        .filter(|&d| covered[d])
        .map(|d| (d, 1.0))
        .collect();
    let (history, basis) = if !weekly.is_empty() {
        (weekly, Basis::Weeks(0))
    } else if !recent.is_empty() {
        (recent, Basis::RecentDays(0))
    } else {
        (Vec::new(), Basis::LastHour)
    };
    let basis = match basis {
        Basis::Weeks(_) => Basis::Weeks(history.len() as u8),
        Basis::RecentDays(_) => Basis::RecentDays(history.len() as u8),
        Basis::LastHour => Basis::LastHour,
    };

    let b = &bounds[0];
    let cur = slot_of(b, now);
    queues
        .iter()
        .enumerate()
        .map(|(q, qb)| {
            let row = |d: usize| q * n_days + d;
            let today_counts = &t.arrivals[row(0)];
            let len_s = |k: usize| b[k + 1].secs_since(b[k]);
            let frac = if len_s(cur) > 0.0 {
                (now.secs_since(b[cur]) / len_s(cur)).clamp(0.0, 1.0)
            } else {
                1.0
            };

            // Profile, AHT by slot.
            let wsum: f64 = history.iter().map(|(_, w)| w).sum();
            let mut profile = [0.0f64; SLOTS];
            let mut hn = [0.0f64; SLOTS];
            let mut hs = [0.0f64; SLOTS];
            for &(d, w) in &history {
                for k in 0..SLOTS {
                    profile[k] += w * f64::from(t.arrivals[row(d)][k]);
                    hn[k] += w * f64::from(t.handled[row(d)][k]);
                    hs[k] += w * t.handle_s[row(d)][k];
                }
            }
            if wsum > 0.0 {
                for p in &mut profile {
                    *p /= wsum;
                }
            }
            let (hn_all, hs_all): (f64, f64) = (hn.iter().sum(), hs.iter().sum());
            let aht = |k: usize| -> Option<f64> {
                if hn_all > 0.0 {
                    let day_mean = hs_all / hn_all;
                    Some((hs[k] + AHT_PRIOR * day_mean) / (hn[k] + AHT_PRIOR))
                } else {
                    qb.aht_basis_s
                }
            };

            // Today's level over the last LEVEL_HOURS hours before now: the
            // arrivals counted there against the profile's share of it.
            let mut expected = 0.0;
            for k in 0..=cur {
                let from = b[k].max(level_from);
                let to = b[k + 1].min(now);
                if to > from && len_s(k) > 0.0 {
                    expected += profile[k] * to.secs_since(from) / len_s(k);
                }
            }
            let actual = f64::from(t.recent[q]);
            let level = match basis {
                Basis::LastHour => 1.0,
                _ => (actual + LEVEL_PRIOR) / (expected + LEVEL_PRIOR),
            };
            let naive_per_s = qb.arrivals_last_hour as f64 / 3600.0;

            let earlier = (0..cur)
                .filter(|&k| b[k + 1] > b[k])
                .map(|k| (b[k], b[k + 1], u64::from(today_counts[k])))
                .collect();
            let ahead = (cur..SLOTS)
                .filter(|&k| b[k + 1] > b[k])
                .map(|k| {
                    let arrived = if k == cur { today_counts[k] } else { 0 };
                    let rest = if k == cur { 1.0 - frac } else { 1.0 };
                    let to_come = match basis {
                        Basis::LastHour => naive_per_s * len_s(k) * rest,
                        _ => level * profile[k] * rest,
                    };
                    let offered = f64::from(arrived) + to_come;
                    let aht_s = aht(k);
                    let agents_needed = aht_s.and_then(|aht| {
                        erlang::agents_needed(
                            offered * 3600.0 / len_s(k),
                            aht,
                            qb.threshold_s,
                            target_sl,
                        )
                    });
                    ForecastInterval {
                        from: b[k],
                        offered,
                        aht_s,
                        agents_needed,
                        agents_scheduled: None,
                        to: b[k + 1],
                        arrived: u64::from(arrived),
                        staffed: 0,
                    }
                })
                .collect();
            QueueDay {
                earlier,
                ahead,
                basis,
                level,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::Contact;
    use crate::domain::testkit::*;

    const UTC: Tz = chrono_tz::UTC;

    /// `n` contacts of `queue` arriving one second apart from `at`, each
    /// handled in `handle_s` (answered at arrival, ended a second later).
    fn arrivals(b: &mut Builder, tag: &str, queue: &str, at: &str, n: u32, handle_s: f64) {
        let start = t(at);
        for i in 0..n {
            let mut c: Contact = contact(&format!("{tag}-{i}"));
            let arrived = start.add_secs(i64::from(i));
            c.queue = Some(b.sym(queue));
            c.arrived_at = Some(arrived);
            c.answered_at = Some(arrived);
            c.ended_at = Some(arrived.add_secs(1));
            c.talk_s = handle_s;
            b.apply_contact(c);
        }
    }

    fn basis(b: &mut Builder, queue: &str, aht: Option<f64>, last_hour: u64) -> QueueBasis {
        QueueBasis {
            id: b.sym(queue),
            threshold_s: 20.0,
            aht_basis_s: aht,
            arrivals_last_hour: last_hour,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    // Today is Sunday 2026-11-22; the same weekday one and two weeks back is
    // 2026-11-15 (weight 4) and 2026-11-08 (weight 3).
    fn two_weeks() -> Builder {
        let mut b = Builder::new();
        b.queue("q", 20.0);
        arrivals(&mut b, "w1-1000", "q", "2026-11-15T10:00:00Z", 8, 200.0);
        arrivals(&mut b, "w2-1000", "q", "2026-11-08T10:00:00Z", 4, 200.0);
        arrivals(&mut b, "w2-1030", "q", "2026-11-08T10:30:00Z", 7, 400.0);
        arrivals(&mut b, "w1-0800", "q", "2026-11-15T08:00:00Z", 10, 300.0);
        arrivals(&mut b, "w2-0800", "q", "2026-11-08T08:00:00Z", 3, 300.0);
        b
    }

    #[test]
    fn weighted_same_weekday_profile_at_todays_level() {
        let mut b = two_weeks();
        let qb = basis(&mut b, "q", Some(250.0), 0);
        // Nothing today yet: level (0 + 100) / (0 + 100) = 1 at 07:00 (the
        // three hours before hold no profile either).
        let day = &forecast(&b.floor, UTC, t("07:00:00"), 0.8, &[qb])[0];
        assert_eq!(day.basis, Basis::Weeks(2));
        assert_eq!(day.level, 1.0);
        assert_eq!(day.earlier.len(), 14);
        assert_eq!(day.ahead.len(), 34, "07:00 … 23:30");
        assert_eq!(day.ahead[0].from, t("07:00:00"));
        assert_eq!(day.ahead[0].to, t("07:30:00"));
        let at = |h: &str| day.ahead.iter().find(|f| f.from == t(h)).expect("interval");
        // 08:00: (4·10 + 3·3) / 7 = 7; 10:00: (4·8 + 3·4) / 7; 10:30: (4·0 + 3·7) / 7 = 3.
        assert!(close(at("08:00:00").offered, 7.0));
        assert!(close(at("10:00:00").offered, 44.0 / 7.0));
        assert!(close(at("10:30:00").offered, 3.0));
        assert_eq!(at("12:00:00").offered, 0.0);
        assert_eq!(at("12:00:00").agents_needed, Some(0));

        // 17 arrivals today at 08:00 against the profile's 7 in 07:00–10:00:
        // level = (17 + 100) / (7 + 100) = 117/107.
        arrivals(&mut b, "today", "q", "08:00:00", 17, 300.0);
        let day = &forecast(&b.floor, UTC, t("10:00:00"), 0.8, &[qb])[0];
        assert!(close(day.level, 117.0 / 107.0));
        assert!(close(day.ahead[0].offered, 117.0 / 107.0 * 44.0 / 7.0));
        assert!(close(day.ahead[1].offered, 117.0 / 107.0 * 3.0));
        assert_eq!(day.earlier[16], (t("08:00:00"), t("08:30:00"), 17));
        // Agents for 10:00: Erlang C on the interval's hourly rate and AHT.
        let f = &day.ahead[0];
        let expect =
            erlang::agents_needed(f.offered * 2.0, f.aht_s.expect("history AHT"), 20.0, 0.8);
        assert_eq!(f.agents_needed, expect);
        assert!(f.agents_needed.is_some_and(|n| n >= 1));
    }

    #[test]
    fn aht_by_interval_shrinks_toward_the_day() {
        let mut b = two_weeks();
        let qb = basis(&mut b, "q", Some(999.0), 0);
        let day = &forecast(&b.floor, UTC, t("07:00:00"), 0.8, &[qb])[0];
        // Weighted handled: 10:00 4·8 + 3·4 = 44 at 200 s; 10:30 3·7 = 21 at
        // 400 s; 08:00 4·10 + 3·3 = 49 at 300 s. Day mean = (44·200 + 21·400
        // + 49·300) / 114 = 31 900 / 114.
        let mean = 31_900.0 / 114.0;
        let at = |h: &str| day.ahead.iter().find(|f| f.from == t(h)).expect("interval");
        let aht = |h: &str| at(h).aht_s.expect("aht");
        assert!(close(aht("10:00:00"), (44.0 * 200.0 + 5.0 * mean) / 49.0));
        assert!(close(aht("10:30:00"), (21.0 * 400.0 + 5.0 * mean) / 26.0));
        // No handled history in the interval: the day's mean, not the basis.
        assert!(close(aht("15:00:00"), mean));
    }

    #[test]
    fn current_interval_is_arrivals_so_far_plus_the_rest() {
        let mut b = two_weeks();
        let qb = basis(&mut b, "q", Some(250.0), 0);
        arrivals(&mut b, "now", "q", "10:00:00", 2, 300.0);
        // A contact after now is not read.
        arrivals(&mut b, "later", "q", "10:20:00", 5, 300.0);
        let day = &forecast(&b.floor, UTC, t("10:10:00"), 0.8, &[qb])[0];
        // Level over 07:10–10:10: actual 2; expected 7 (08:00) + 44/7 · 1/3.
        let expected = 7.0 + 44.0 / 21.0;
        assert!(close(day.level, 102.0 / (expected + 100.0)));
        let f = &day.ahead[0];
        assert_eq!((f.from, f.arrived), (t("10:00:00"), 2));
        assert!(close(f.offered, 2.0 + day.level * 44.0 / 7.0 * 2.0 / 3.0));
    }

    #[test]
    fn covered_days_count_as_zero_and_uncovered_days_not_at_all() {
        let mut b = two_weeks();
        let qb = basis(&mut b, "q", Some(250.0), 0);
        // Three weeks back the feed has data (another queue), the queue was quiet.
        arrivals(&mut b, "other", "x", "2026-11-01T03:00:00Z", 1, 100.0);
        let day = &forecast(&b.floor, UTC, t("07:00:00"), 0.8, &[qb])[0];
        assert_eq!(day.basis, Basis::Weeks(3));
        let at = |h: &str| day.ahead.iter().find(|f| f.from == t(h)).expect("interval");
        assert!(close(at("10:00:00").offered, 44.0 / 9.0));
    }

    #[test]
    fn fallbacks_recent_days_then_the_last_hour() {
        let mut b = Builder::new();
        b.queue("q", 20.0);
        let qb = basis(&mut b, "q", Some(180.0), 12);
        // No history at all: each interval at the last hour's rate (12 / h = 6 per 30 min).
        let day = &forecast(&b.floor, UTC, t("10:00:00"), 0.8, &[qb])[0];
        assert_eq!(day.basis, Basis::LastHour);
        assert!(day.ahead.iter().all(|f| close(f.offered, 6.0)));
        assert!(day.ahead.iter().all(|f| f.aht_s == Some(180.0)));
        assert_eq!(
            day.ahead[0].agents_needed,
            erlang::agents_needed(12.0, 180.0, 20.0, 0.8)
        );
        // Yesterday and the day before (not the same weekday): their plain mean.
        arrivals(&mut b, "d1", "q", "2026-11-21T11:00:00Z", 6, 100.0);
        arrivals(&mut b, "d2", "q", "2026-11-20T11:00:00Z", 2, 100.0);
        let day = &forecast(&b.floor, UTC, t("10:00:00"), 0.8, &[qb])[0];
        assert_eq!(day.basis, Basis::RecentDays(2));
        let at = |h: &str| day.ahead.iter().find(|f| f.from == t(h)).expect("interval");
        // Level: nothing today, nothing expected before 10:00 → 1.
        assert!(close(at("11:00:00").offered, 4.0));
        assert_eq!(at("11:30:00").offered, 0.0);
    }

    #[test]
    fn clock_changes_follow_the_local_clock() {
        let berlin: Tz = chrono_tz::Europe::Berlin;
        // 2026-03-29: 02:00 local jumps to 03:00 (01:00Z).
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).expect("date");
        let b = boundaries(day, berlin);
        assert_eq!(b[0], t("2026-03-28T23:00:00Z"));
        assert_eq!(
            b[4],
            t("2026-03-29T01:00:00Z"),
            "02:00 is the end of the gap"
        );
        assert_eq!(b[5], b[4]);
        assert_eq!(b[6], b[4], "03:00 local");
        assert_eq!(b[48], t("2026-03-29T22:00:00Z"));
        let mut bl = Builder::new();
        bl.queue("q", 20.0);
        let qb = basis(&mut bl, "q", Some(180.0), 0);
        let d = &forecast(&bl.floor, berlin, t("2026-03-28T23:10:00Z"), 0.8, &[qb])[0];
        assert_eq!(d.ahead.len(), 46, "two half hours skipped");
        // 2026-10-25: 03:00 local goes back to 02:00; the 02:30 interval holds 1.5 h.
        let day = NaiveDate::from_ymd_opt(2026, 10, 25).expect("date");
        let b = boundaries(day, berlin);
        assert_eq!(b[5].since(b[4]), 1800 * NANOS_PER_SEC);
        assert_eq!(b[6].since(b[5]), 5400 * NANOS_PER_SEC);
        assert_eq!(b[48].since(b[0]), 25 * 3600 * NANOS_PER_SEC);
    }

    /// A small deterministic generator (64-bit LCG).
    struct Gen(u64);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// Five weeks of contacts on two queues, a few hundred a day, up to
    /// 2026-11-22 23:59; some are answered and end well after they arrive.
    fn history() -> Vec<Contact> {
        let mut g = Gen(42);
        let mut b = Builder::new();
        let (q1, q2) = (b.sym("q1"), b.sym("q2"));
        let first = t("2026-10-18T00:00:00Z");
        let mut out = Vec::new();
        for i in 0..12_000u32 {
            // Denser in daytime: pick a day, then an hour weighted toward 8–20.
            let day = g.below(36) as i64;
            let hour = if g.below(4) == 0 {
                g.below(24)
            } else {
                8 + g.below(12)
            } as i64;
            let at = first.add_secs(day * 86_400 + hour * 3600 + g.below(3600) as i64);
            let mut c = contact(&format!("c{i}"));
            c.queue = Some(if g.below(3) == 0 { q2 } else { q1 });
            c.arrived_at = Some(at);
            if g.below(10) > 0 {
                let answered = at.add_secs(g.below(120) as i64);
                c.answered_at = Some(answered);
                c.talk_s = 60.0 + g.below(600) as f64;
                c.ended_at = Some(answered.add_secs(c.talk_s as i64 + g.below(1800) as i64));
            } else {
                c.abandoned_at = Some(at.add_secs(g.below(300) as i64));
            }
            out.push(c);
        }
        out
    }

    /// The contact as the feed had written it by `now`: not yet there when it
    /// arrives later, and without the events still to come.
    fn as_of(c: &Contact, now: Ts) -> Option<Contact> {
        if c.arrived_at? > now {
            return None;
        }
        let mut c = c.clone();
        let past = |t: Option<Ts>| t.filter(|t| *t <= now);
        c.answered_at = past(c.answered_at);
        c.abandoned_at = past(c.abandoned_at);
        c.ended_at = past(c.ended_at);
        if c.ended_at.is_none() {
            c.talk_s = 0.0;
        }
        Some(c)
    }

    #[test]
    fn no_peeking_the_file_cut_at_now_gives_the_same_forecast() {
        let all = history();
        for now in [
            "2026-11-22T00:00:00Z",
            "2026-11-22T09:17:31Z",
            "2026-11-22T13:30:00Z",
            "2026-11-22T20:59:59.5Z",
        ] {
            let now = t(now);
            let mut full = Builder::new();
            let mut cut = Builder::new();
            for c in &all {
                full.apply_contact(c.clone());
                if let Some(c) = as_of(c, now) {
                    cut.apply_contact(c);
                }
            }
            let bases =
                |b: &mut Builder| vec![basis(b, "q1", Some(300.0), 20), basis(b, "q2", None, 7)];
            let (bf, bc) = (bases(&mut full), bases(&mut cut));
            let a = forecast(&full.floor, UTC, now, 0.8, &bf);
            let b = forecast(&cut.floor, UTC, now, 0.8, &bc);
            assert_eq!(a, b, "at {now}");
            assert!(a[0].ahead.iter().any(|f| f.offered > 0.0));
            // The data after now does exist and would change a peeking forecast.
            assert!(full.floor.contacts().len() > cut.floor.contacts().len());
        }
    }
}
