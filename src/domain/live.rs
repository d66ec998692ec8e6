//! The live-queue pane (spec section 2, "Live queue figures"): per queue, what
//! is happening at "now" and how the window went, in one pass over contacts.
//!
//! Decisions where the spec is silent (also in the lead's report):
//! - "At now" means as of now: a contact whose `answered_at`, `abandoned_at`
//!   or `ended_at` lies after now is still waiting at now (a replay with
//!   `--now` in the past sees the floor as it was). See [`happened_by`].
//! - `queue_stats` replaces `waiting`, `longest_wait_s` and `agents` when its
//!   `at` is ≤ now and strictly later than the newest contact timestamp of
//!   that queue at or before now (any of `arrived_at`, `answered_at`,
//!   `abandoned_at`, `ended_at`). Agent states do not count as contact data.
//!   A record without `at` is used only when the queue has no contact data
//!   at or before now; a record dated after now is ignored (it is the future
//!   of a replay).
//! - `arrivals_last_hour`: contacts with `arrived_at` in (now − 1 h, now].
//!   `aht_last_hour_s`: handled contacts with `ended_at` in (now − 1 h, now];
//!   when there are none it falls back to the window's AHT (still `None` when
//!   that is null too), so Erlang C always has the best recent estimate.
//! - A queue only named by contacts has no `name`, no `channel` and the
//!   default 20 s threshold.
//! - An agent whose latest state is not one of the five known states counts
//!   in no key.

use hashbrown::HashMap;

use super::floor::{BlockSpan, Floor};
use super::intern::Sym;
use super::kpi::SlThresholds;
use super::record::Contact;
use super::snapshot::{AgentCounts, QueueReport, Window};
use super::time::{NANOS_PER_SEC, Ts};

const HOUR_NANOS: i64 = 3600 * NANOS_PER_SEC;

/// Whether an optional event had happened by `now`.
pub fn happened_by(t: Option<Ts>, now: Ts) -> bool {
    t.is_some_and(|t| t <= now)
}

/// Whether a contact is waiting in queue at `now`: arrived, and not yet
/// answered, abandoned or ended.
pub fn is_waiting(c: &Contact, now: Ts) -> bool {
    happened_by(c.arrived_at, now)
        && !happened_by(c.answered_at, now)
        && !happened_by(c.abandoned_at, now)
        && !happened_by(c.ended_at, now)
}

#[derive(Default)]
struct QueueTally {
    waiting: u32,
    earliest_waiting: Option<Ts>,
    newest_contact_event: Option<Ts>,
    agents: [u32; 5],
    offered: u64,
    answered: u64,
    abandoned: u64,
    within_sl: u64,
    answer_nanos: i128,
    handled: u64,
    handle_s: f64,
    arrivals_last_hour: u64,
    handled_last_hour: u64,
    handle_s_last_hour: f64,
}

/// `sum ÷ n`; none when `n` is 0 or the result is not finite (spec section 3).
fn mean(sum: f64, n: u64) -> Option<f64> {
    (n > 0).then(|| sum / n as f64).filter(|v| v.is_finite())
}

/// Every queue of `Floor::queue_ids()` with its live and window figures.
pub fn queue_reports(floor: &Floor, window: Window, now: Ts) -> Vec<QueueReport> {
    queue_reports_reading(floor, window, now, false)
}

/// [`queue_reports`], reading every contact when `all` (the reference the
/// block skipping is tested against).
pub(crate) fn queue_reports_reading(
    floor: &Floor,
    window: Window,
    now: Ts,
    all: bool,
) -> Vec<QueueReport> {
    let ids = floor.queue_ids();
    let slot: HashMap<Sym, usize> = ids.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let mut tallies: Vec<QueueTally> = ids.iter().map(|_| QueueTally::default()).collect();
    let hour_ago = now.add_nanos(-HOUR_NANOS);

    // The contacts that can count: every one of the blocks where something
    // happened in the last hour (or at or after a `queue_stats` record it
    // is compared with) or that arrived in the window; of the others, whose
    // every instant is long past, the open ones (they may be waiting).
    let mut stats_from: Option<Ts> = None;
    let mut everything = all;
    for id in &ids {
        match floor.queue_stats(*id).map(|s| s.at) {
            Some(None) => everything = true,
            Some(Some(at)) if at <= now => {
                stats_from = Some(stats_from.map_or(at, |f| f.min(at)));
            }
            _ => {}
        }
    }
    let whole = |b: BlockSpan| {
        everything
            || b.latest.is_some_and(|l| l > hour_ago)
            || stats_from.is_some_and(|f| b.touches_from(f))
            || b.arrives_in(window.from, window.to)
    };
    let contacts = floor.contacts_scan(whole, true).map(|(_, c)| c);
    queue_tallies(floor, window, now, &slot, &mut tallies, contacts);

    // Each agent once, under the queue and state of their latest event at or before now.
    for (_, events) in floor.agent_states() {
        let Some(latest) = super::kpi::up_to(events, now).last() else {
            continue;
        };
        if let (Some(&i), Some(k)) = (
            latest.queue.and_then(|q| slot.get(&q)),
            latest.state().slot(),
        ) {
            tallies[i].agents[k] += 1;
        }
    }

    ids.iter()
        .zip(tallies)
        .map(|(&id, q)| report(floor, id, q, now))
        .collect()
}

/// The contacts' part of [`queue_reports`] over `contacts`, which must hold
/// every contact that counts (see there).
fn queue_tallies<'f>(
    floor: &'f Floor,
    window: Window,
    now: Ts,
    slot: &HashMap<Sym, usize>,
    tallies: &mut [QueueTally],
    contacts: impl Iterator<Item = &'f Contact>,
) {
    let sl = SlThresholds::of(floor);
    let hour_ago = now.add_nanos(-HOUR_NANOS);
    let in_last_hour = |t: Option<Ts>| t.is_some_and(|t| t > hour_ago && t <= now);
    for c in contacts {
        let Some(&i) = c.queue.and_then(|q| slot.get(&q)) else {
            continue;
        };
        let q = &mut tallies[i];
        let Some(arrived) = c.arrived_at else {
            continue;
        };

        for t in [c.arrived_at, c.answered_at, c.abandoned_at, c.ended_at]
            .into_iter()
            .flatten()
        {
            if t <= now && q.newest_contact_event.is_none_or(|n| t > n) {
                q.newest_contact_event = Some(t);
            }
        }
        if is_waiting(c, now) {
            q.waiting += 1;
            if q.earliest_waiting.is_none_or(|e| arrived < e) {
                q.earliest_waiting = Some(arrived);
            }
        }
        if in_last_hour(Some(arrived)) {
            q.arrivals_last_hour += 1;
        }
        if c.is_handled() && in_last_hour(c.ended_at) {
            q.handled_last_hour += 1;
            q.handle_s_last_hour += c.handle_s();
        }

        if !window.contains(arrived) {
            continue;
        }
        q.offered += 1;
        if let Some(answered) = c.answered_at {
            q.answered += 1;
            let wait = answered.since(arrived);
            q.answer_nanos += i128::from(wait);
            if wait <= sl.get(c.queue) {
                q.within_sl += 1;
            }
            if c.ended_at.is_some() {
                q.handled += 1;
                q.handle_s += c.handle_s();
            }
        } else if c.abandoned_at.is_some() {
            q.abandoned += 1;
        }
    }
}

fn report(floor: &Floor, id: Sym, q: QueueTally, now: Ts) -> QueueReport {
    let record = floor.queue(id);
    let reached = q.answered + q.abandoned;
    let aht_s = mean(q.handle_s, q.handled);
    let mut r = QueueReport {
        id: floor.names.resolve(id).to_string(),
        name: record.and_then(|r| r.name.as_deref()).map(str::to_string),
        channel: record
            .and_then(|r| r.channel)
            .map(|ch| ch.as_str(&floor.names).to_string()),
        waiting: q.waiting,
        longest_wait_s: q
            .earliest_waiting
            .map_or(0.0, |e| now.since(e) as f64 / NANOS_PER_SEC as f64),
        agents: AgentCounts(q.agents),
        offered: q.offered,
        answered: q.answered,
        abandoned: q.abandoned,
        service_level: mean(q.within_sl as f64, reached),
        abandon_rate: mean(q.abandoned as f64, reached),
        art_s: mean(q.answer_nanos as f64 / NANOS_PER_SEC as f64, q.answered),
        aht_s,
        sl_seconds: record.map_or(20.0, |r| r.sl_seconds),
        arrivals_last_hour: q.arrivals_last_hour,
        aht_last_hour_s: mean(q.handle_s_last_hour, q.handled_last_hour).or(aht_s),
        from_queue_stats: false,
        // Filled by `staffing::queue_plans`.
        staffing: Default::default(),
        forecast: Vec::new(),
        today: Vec::new(),
        forecast_basis: Default::default(),
    };
    if let Some(stats) = floor.queue_stats(id) {
        let newer = match stats.at {
            Some(at) => at <= now && q.newest_contact_event.is_none_or(|n| at > n),
            None => q.newest_contact_event.is_none(),
        };
        if newer {
            r.waiting = stats.waiting;
            r.longest_wait_s = stats.longest_wait_s;
            r.agents = AgentCounts(stats.agents);
            r.from_queue_stats = true;
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::AgentStateKind::*;
    use crate::domain::record::{QueueStats, Record};
    use crate::domain::testkit::*;

    fn day() -> Window {
        Window {
            from: t("00:00:00"),
            to: t("2026-11-23T00:00:00Z"),
        }
    }

    #[test]
    fn waiting_longest_wait_and_agents() {
        let mut b = Builder::new();
        b.queue("q", 30.0)
            // Waiting since 09:58 and 09:59:30; answered at 10:05 is still waiting at 10:00.
            .call("w1", "q", None, "09:58:00", None, None)
            .call("w2", "q", None, "09:59:30", Some("10:05:00"), None)
            .call(
                "done",
                "q",
                None,
                "09:00:00",
                Some("09:00:30"),
                Some("09:05:00"),
            )
            .call("future", "q", None, "10:30:00", None, None)
            .call("old", "q", None, "2026-11-20T09:00:00Z", None, None)
            .state_in("ann", Busy, "09:00:00", Some("q"))
            .state_in("bob", Available, "09:00:00", Some("q"))
            .state_in("bob", Break, "09:30:00", Some("q"))
            .state_in("bob", Busy, "10:30:00", Some("q"))
            .state("cy", Available, "09:00:00");
        let now = t("10:00:00");
        let r = &queue_reports(&b.floor, day(), now)[0];
        // "old" arrived two days ago and never ended: still waiting (any arrival date).
        assert_eq!(r.waiting, 3);
        assert_eq!(r.longest_wait_s, 2.0 * 86_400.0 + 3600.0);
        assert_eq!(r.agents.0, [0, 1, 0, 1, 0]);
        assert_eq!(r.offered, 4);
        assert_eq!(r.answered, 2);
        // w2 waited 5.5 min (> 30 s), done 30 s (= threshold): 1 of 2.
        assert_eq!(r.service_level, Some(0.5));
        assert_eq!(r.sl_seconds, 30.0);
        assert_eq!(r.arrivals_last_hour, 2);
        assert!(!r.from_queue_stats);
    }

    #[test]
    fn newer_queue_stats_replace_live_figures() {
        let mut b = Builder::new();
        b.call(
            "c1",
            "tel",
            None,
            "09:00:00",
            Some("09:00:10"),
            Some("09:04:00"),
        );
        let q = b.sym("tel");
        let stats = |at: &str| {
            Record::QueueStats(QueueStats {
                queue: q,
                at: Some(t(at)),
                waiting: 7,
                longest_wait_s: 42.5,
                agents: [1, 2, 3, 4, 5],
            })
        };
        // Same instant as the newest contact event: contacts win.
        b.floor.apply(stats("09:04:00"));
        let r = &queue_reports(&b.floor, day(), t("10:00:00"))[0];
        assert!(!r.from_queue_stats);
        assert_eq!(r.waiting, 0);
        b.floor.apply(stats("09:04:00.000000001"));
        let r = &queue_reports(&b.floor, day(), t("10:00:00"))[0];
        assert!(r.from_queue_stats);
        assert_eq!(
            (r.waiting, r.longest_wait_s, r.agents.0),
            (7, 42.5, [1, 2, 3, 4, 5])
        );
        // Window figures still come from contacts.
        assert_eq!(r.offered, 1);
        assert_eq!(r.aht_s, Some(0.0));
    }
}
