//! The shift handover (`shiftdeck report handover`, the console's
//! handover view): what the incoming lead needs from the outgoing one, for
//! one shift (a window): the KPIs against target, the alerts that fired,
//! the open feedback with owners and due dates, the day's spot checks done
//! and left, staffing ahead, the lead's KPI notes, and whether the
//! incoming lead acknowledged it. Built once here from the floor, the
//! settings and the lead's stored entries; the report prints it, the
//! console draws it. No customer identifiers: feedback by item id, spot
//! checks as counts.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::alerts::AlertRecord;
use super::calendar::{iso_week_label, local_date};
use super::followup::{FollowupEvent, FollowupRules};
use super::notes::KpiNote;
use super::record::Stage;
use super::snapshot::{FeedbackReport, QueueReport};
use super::{KpiReport, Settings, Ts, Window};

/// Who acknowledged a shift's handover, and when (the first one stays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverAck {
    pub who: String,
    pub at: Ts,
}

/// `--shift HH:MM-HH:MM`: the start and end times of day.
pub fn parse_shift(s: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (a, b) = s.trim().split_once('-')?;
    let time = |x: &str| NaiveTime::parse_from_str(x.trim(), "%H:%M").ok();
    Some((time(a)?, time(b)?))
}

/// The shift `start`–`end` that holds `now`, or else the last one begun
/// by `now`, in `tz`. An end at or before the start is the next day's.
pub fn shift_window(start: NaiveTime, end: NaiveTime, now: Ts, tz: Tz) -> Window {
    let at = |day: NaiveDate, time: NaiveTime| {
        let local = day.and_time(time);
        use chrono::TimeZone as _;
        match tz.from_local_datetime(&local).earliest() {
            Some(dt) => Ts::from_datetime(&dt),
            // A time skipped by a clock change: the day's start plus the time.
            None => super::calendar::day_start(day, tz).add_secs(i64::from(
                chrono::Timelike::num_seconds_from_midnight(&time),
            )),
        }
    };
    let window_of = |day: NaiveDate| {
        let to_day = if end <= start {
            day + Duration::days(1)
        } else {
            day
        };
        Window {
            from: at(day, start),
            to: at(to_day, end),
        }
    };
    let today = local_date(now, tz);
    let w = window_of(today);
    if w.from <= now {
        w
    } else {
        window_of(today - Duration::days(1))
    }
}

/// The shift the console's handover view shows at `now`: the local day
/// (as `report handover` without `--shift` or `--from/--to`).
pub fn console_shift(now: Ts, tz: Tz) -> Window {
    super::window::day_window(local_date(now, tz), tz)
}

/// One queue's staffing ahead.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffingAhead {
    pub queue: String,
    pub needed_now: Option<u32>,
    pub staffed_now: u32,
    /// The first interval ahead short of agents: (from, agents short).
    pub next_short: Option<(Ts, u32)>,
    /// Intervals ahead (rest of the day) with a figure.
    pub intervals: usize,
    /// Of those, the ones short of agents.
    pub short_intervals: usize,
    /// The largest shortfall ahead (agents).
    pub most_short: u32,
}

/// The spot checks of the day of the handover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpotProgress {
    pub day: NaiveDate,
    /// Scorecards saved for the day.
    pub scored: usize,
    /// Contacts on the day's list (random and targeted).
    pub sampled: usize,
    pub random: usize,
    pub targeted: usize,
    /// Listed contacts not scored yet.
    pub left: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HandoverReport {
    pub window: Window,
    pub now: Ts,
    pub kpis: Vec<KpiReport>,
    /// Alerts fired in the window, or open at its start and still open, oldest first.
    pub alerts: Vec<AlertRecord>,
    /// Open feedback: overdue first, then by due date (none last), then id.
    pub feedback: Vec<FeedbackReport>,
    pub spot: SpotProgress,
    pub staffing: Vec<StaffingAhead>,
    /// ISO week of the shift's start, whose notes are shown.
    pub week: String,
    pub notes: Vec<KpiNote>,
    /// The incoming lead's acknowledgement of this shift's handover.
    pub ack: Option<HandoverAck>,
}

/// What the lead's store holds for the handover; empty without a store.
#[derive(Clone, Debug, Default)]
pub struct StoreEntries {
    pub alerts: Vec<AlertRecord>,
    pub followups: Vec<FollowupEvent>,
    /// Contacts scored on the day of the handover.
    pub scored: Vec<String>,
    pub notes: Vec<KpiNote>,
    /// The acknowledgement of the shift's handover, when there is one.
    pub ack: Option<HandoverAck>,
}

fn is_closed(f: &FeedbackReport) -> bool {
    f.stage.as_deref() == Stage::Closed.known_str()
}

/// Open feedback, overdue first, then by due date (none last), then id.
pub fn open_feedback(items: Vec<FeedbackReport>) -> Vec<FeedbackReport> {
    let mut open: Vec<FeedbackReport> = items.into_iter().filter(|f| !is_closed(f)).collect();
    open.sort_by(|a, b| {
        (!a.overdue, a.due_at.is_none(), a.due_at, &a.id).cmp(&(
            !b.overdue,
            b.due_at.is_none(),
            b.due_at,
            &b.id,
        ))
    });
    open
}

/// A queue's staffing now and over the rest of the day.
pub fn staffing_ahead(q: &QueueReport) -> StaffingAhead {
    let short: Vec<u32> = q
        .forecast
        .iter()
        .filter_map(|f| f.agents_needed.map(|n| n.saturating_sub(f.staffed)))
        .collect();
    StaffingAhead {
        queue: q.name.clone().unwrap_or_else(|| q.id.clone()),
        needed_now: q.staffing.agents_needed,
        staffed_now: q.staffing.agents_staffed,
        next_short: super::staffing::next_short(q),
        intervals: short.len(),
        short_intervals: short.iter().filter(|&&s| s > 0).count(),
        most_short: short.iter().copied().max().unwrap_or(0),
    }
}

/// The handover from the floor, the settings and the lead's entries.
pub fn build(
    floor: &super::Floor,
    settings: &Settings,
    rules: &FollowupRules,
    window: Window,
    now: Ts,
    entries: StoreEntries,
) -> HandoverReport {
    let tz = settings.timezone;
    let day = local_date(now, tz);
    let listed: Vec<String> = Vec::new();
    let spot_list = super::sampling::spot_check(floor, settings, day, now, &listed);
    let snap = super::report::build_snapshot(floor, settings, window, now, spot_list);
    let merged = super::followup::merge(
        &snap.feedback,
        &entries.followups,
        &Default::default(),
        rules,
        tz,
        now,
    );
    let scored: HashSet<&str> = entries.scored.iter().map(String::as_str).collect();
    let sc = &snap.spot_check;
    let listed = sc.random.iter().chain(&sc.targeted);
    let spot = SpotProgress {
        day,
        scored: scored.len(),
        sampled: sc.random.len() + sc.targeted.len(),
        random: sc.random.len(),
        targeted: sc.targeted.len(),
        left: listed
            .filter(|i| !scored.contains(i.contact.as_str()))
            .count(),
    };
    let mut alerts: Vec<AlertRecord> = entries
        .alerts
        .into_iter()
        .filter(|a| a.fired_at < window.to)
        .collect();
    alerts.sort_by_key(|a| (a.fired_at, a.episode));
    HandoverReport {
        window,
        now,
        kpis: snap.kpis.clone(),
        alerts,
        feedback: open_feedback(merged),
        spot,
        staffing: snap.queues.iter().map(staffing_ahead).collect(),
        week: iso_week_label(local_date(window.from, tz)),
        notes: entries.notes,
        ack: entries.ack,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Ts {
        crate::domain::time::parse_rfc3339(s).expect("ts")
    }

    #[test]
    fn shifts_parse_as_two_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        assert_eq!(parse_shift("08:00-16:00"), Some((t(8, 0), t(16, 0))));
        assert_eq!(parse_shift(" 22:30 - 06:00 "), Some((t(22, 30), t(6, 0))));
        assert_eq!(parse_shift("8-16"), None);
        assert_eq!(parse_shift("08:00"), None);
        assert_eq!(parse_shift("25:00-26:00"), None);
    }

    #[test]
    fn the_shift_holding_now_or_the_last_begun() {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("time");
        let tz: Tz = "Asia/Shanghai".parse().expect("zone");
        // 10:00 Shanghai: the day shift of that day.
        let w = shift_window(t(8), t(16), at("2026-11-22T02:00:00Z"), tz);
        assert_eq!(w.from, at("2026-11-22T00:00:00Z"));
        assert_eq!(w.to, at("2026-11-22T08:00:00Z"));
        // 07:00 Shanghai: the day shift has not begun; yesterday's.
        let w = shift_window(t(8), t(16), at("2026-11-21T23:00:00Z"), tz);
        assert_eq!(w.from, at("2026-11-21T00:00:00Z"));
        // 03:00 Shanghai in a night shift 22:00-06:00 begun the day before.
        let w = shift_window(t(22), t(6), at("2026-11-21T19:00:00Z"), tz);
        assert_eq!(w.from, at("2026-11-21T14:00:00Z"));
        assert_eq!(w.to, at("2026-11-21T22:00:00Z"));
    }
}
