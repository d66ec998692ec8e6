//! The queue rows at a glance: how each live queue stands against its
//! thresholds, and which queue is in the most trouble. Pure functions of
//! the snapshot's queues and SLA timers and the settings.
//!
//! Rules (also in docs/console.md):
//! - waiting and longest wait: ok when nothing waits or the longest wait is
//!   within the queue's service-level threshold (`sl_seconds`); warn beyond
//!   it; alert beyond [`WAIT_ALERT_FACTOR`] times it, or when a contact of
//!   the queue is past its priority's SLA (an SLA timer breached at now).
//! - service level, ART and abandon: the KPI's target (the channel's own
//!   target when `[targets.<kpi>.channel.<channel>]` gives one), as the KPI
//!   pane judges them. A ticket or e-mail queue's service level counts
//!   answers within `sl_seconds`, not the priority SLA: when any of its
//!   timers is breached its service level is at least warn, whatever the
//!   figure, and the row carries the breach count.
//! - trouble order: worst status of the row first (alert, warn, ok, none),
//!   then more breached timers, more waiting, the longer wait, then the
//!   snapshot's order.

use std::cmp::Reverse;

use super::settings::{KpiKey, Settings, Status, Target};
use super::snapshot::{QueueReport, SlaTimer};
use super::time::Ts;

/// A longest wait beyond this many times the queue's service-level
/// threshold is an alert.
pub const WAIT_ALERT_FACTOR: f64 = 3.0;

/// How one queue row stands.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct QueueJudge {
    /// Waiting count and longest wait.
    pub wait: Option<Status>,
    pub service_level: Option<Status>,
    pub abandon: Option<Status>,
    pub art: Option<Status>,
    /// SLA timers of this queue past due at now.
    pub breached: u32,
    /// The targets used (the channel's own where configured).
    pub sl_target: Option<Target>,
    pub art_target: Option<Target>,
}

fn rank(s: Option<Status>) -> u8 {
    match s {
        Some(Status::Alert) => 3,
        Some(Status::Warn) => 2,
        Some(Status::Ok) => 1,
        None => 0,
    }
}

/// The worse of two statuses (`None` is better than any).
pub fn worse(a: Option<Status>, b: Option<Status>) -> Option<Status> {
    if rank(b) > rank(a) { b } else { a }
}

impl QueueJudge {
    /// The worst status of the row.
    pub fn worst(&self) -> Option<Status> {
        [self.wait, self.service_level, self.abandon, self.art]
            .into_iter()
            .fold(None, worse)
    }
}

/// The target of `key` for a queue of `channel`: the channel's own when
/// configured, else the floor's.
pub fn target_for(settings: &Settings, key: KpiKey, channel: Option<&str>) -> Option<Target> {
    channel
        .and_then(|ch| settings.channel_target(key, ch))
        .or_else(|| settings.target(key))
        .copied()
}

/// Judges every queue (aligned with `queues`) at `now`.
pub fn judge_queues(
    queues: &[QueueReport],
    sla: &[SlaTimer],
    settings: &Settings,
    now: Ts,
) -> Vec<QueueJudge> {
    queues
        .iter()
        .map(|q| {
            let breached = sla
                .iter()
                .filter(|t| t.due_at < now)
                .filter(|t| {
                    let qn = t.queue.as_deref();
                    qn == Some(q.id.as_str()) || (qn.is_some() && qn == q.name.as_deref())
                })
                .count() as u32;
            judge(q, breached, settings)
        })
        .collect()
}

/// One queue with `breached` of its timers past due.
pub fn judge(q: &QueueReport, breached: u32, settings: &Settings) -> QueueJudge {
    let channel = q.channel.as_deref();
    let sl_target = target_for(settings, KpiKey::ServiceLevel, channel);
    let art_target = target_for(settings, KpiKey::ArtS, channel);
    let abandon_target = target_for(settings, KpiKey::AbandonRate, channel);
    let wait = if q.waiting == 0 {
        Status::Ok
    } else if breached > 0 || q.longest_wait_s > WAIT_ALERT_FACTOR * q.sl_seconds {
        Status::Alert
    } else if q.longest_wait_s > q.sl_seconds {
        Status::Warn
    } else {
        Status::Ok
    };
    let by = |t: Option<Target>, v: Option<f64>| Some(t?.status(v.filter(|v| v.is_finite())?));
    let mut service_level = by(sl_target, q.service_level);
    if breached > 0 {
        service_level = worse(service_level, Some(Status::Warn));
    }
    QueueJudge {
        wait: Some(wait),
        service_level,
        abandon: by(abandon_target, q.abandon_rate),
        art: by(art_target, q.art_s),
        breached,
        sl_target,
        art_target,
    }
}

/// Queue indexes, the most troubled first (see the module's rules).
pub fn trouble_order(queues: &[QueueReport], judges: &[QueueJudge]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..queues.len()).collect();
    order.sort_by_key(|&i| {
        let j = judges.get(i).copied().unwrap_or_default();
        let q = &queues[i];
        (
            Reverse(rank(j.worst())),
            Reverse(j.breached),
            Reverse(q.waiting),
            Reverse((q.longest_wait_s.max(0.0) * 1000.0) as u64),
            i,
        )
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(
        id: &str,
        waiting: u32,
        longest: f64,
        sl: Option<f64>,
        ab: Option<f64>,
    ) -> QueueReport {
        QueueReport {
            id: id.into(),
            waiting,
            longest_wait_s: longest,
            service_level: sl,
            abandon_rate: ab,
            sl_seconds: 20.0,
            ..Default::default()
        }
    }

    fn timer(queue: &str, due: i64) -> SlaTimer {
        SlaTimer {
            contact: "c".into(),
            priority: "urgent".into(),
            due_at: Ts::from_secs(due),
            remaining_s: 0.0,
            breached: false,
            owes: "first_response",
            queue: Some(queue.into()),
            customer: None,
            agent: None,
        }
    }

    #[test]
    fn waits_against_the_queue_threshold_and_the_sla() {
        let s = Settings::default();
        // Threshold 20 s: 20 is within, 21 beyond, 61 beyond 3 × 20.
        assert_eq!(
            judge(&queue("a", 1, 20.0, None, None), 0, &s).wait,
            Some(Status::Ok)
        );
        assert_eq!(
            judge(&queue("a", 1, 21.0, None, None), 0, &s).wait,
            Some(Status::Warn)
        );
        assert_eq!(
            judge(&queue("a", 1, 61.0, None, None), 0, &s).wait,
            Some(Status::Alert)
        );
        // Nothing waiting: ok whatever the stale longest wait says.
        assert_eq!(
            judge(&queue("a", 0, 900.0, None, None), 0, &s).wait,
            Some(Status::Ok)
        );
        // A breached timer makes a short wait an alert.
        assert_eq!(
            judge(&queue("a", 1, 5.0, None, None), 1, &s).wait,
            Some(Status::Alert)
        );
    }

    #[test]
    fn abandon_and_service_level_against_their_targets() {
        let s = Settings::default();
        // Abandon 10.6 % against 5 %: warn (no alert threshold by default).
        let j = judge(&queue("a", 0, 0.0, Some(0.9), Some(0.106)), 0, &s);
        assert_eq!(j.abandon, Some(Status::Warn));
        assert_eq!(j.service_level, Some(Status::Ok));
        // SL 100 % with 17 breached timers is not ok.
        let j = judge(&queue("t", 0, 0.0, Some(1.0), Some(0.0)), 17, &s);
        assert_eq!((j.service_level, j.breached), (Some(Status::Warn), 17));
        assert_eq!(j.abandon, Some(Status::Ok));
        // No figure, no status.
        assert_eq!(
            judge(&queue("a", 0, 0.0, None, None), 0, &s).service_level,
            None
        );
    }

    #[test]
    fn breaches_are_counted_per_queue_at_now() {
        let s = Settings::default();
        let mut qs = vec![
            queue("a", 0, 0.0, None, None),
            queue("b", 0, 0.0, None, None),
        ];
        qs[1].name = Some("Tickets".into());
        // b is named by its display name in the timers; the one due at now is not past due.
        let timers = [
            timer("Tickets", 50),
            timer("b", 99),
            timer("b", 100),
            timer("a", 200),
        ];
        let j = judge_queues(&qs, &timers, &s, Ts::from_secs(100));
        assert_eq!((j[0].breached, j[1].breached), (0, 2));
    }

    #[test]
    fn the_worst_queue_comes_first() {
        let s = Settings::default();
        let qs = vec![
            queue("calm", 0, 0.0, Some(0.9), Some(0.0)),
            queue("warn", 2, 30.0, Some(0.9), Some(0.0)),
            queue("tickets", 27, 57_600.0, Some(1.0), Some(0.0)),
            queue("busy", 3, 25.0, Some(0.9), Some(0.0)),
        ];
        let j: Vec<_> = qs.iter().map(|q| judge(q, 0, &s)).collect();
        // tickets alerts (16 h ≫ 60 s); busy and warn both warn, busy waits more.
        assert_eq!(trouble_order(&qs, &j), vec![2, 3, 1, 0]);
    }
}
