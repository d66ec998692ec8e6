//! SLA timers by priority (spec section 4): which contacts still owe a first
//! response or a resolution at "now", and how long is left.
//!
//! Decisions where the spec is silent (also in the lead's report):
//! - "Yet" means as of now, as for the live queues: an `answered_at`,
//!   `ended_at` or `abandoned_at` after now has not happened yet (a replay
//!   with `--now` in the past sees the timers as they ran then).
//! - A contact owes one thing at a time: the first response while it is
//!   unanswered, then (for priorities with a resolution target) resolution.
//! - Order: smallest `remaining_s` first (most overdue at the top), then
//!   priority (urgent first), then contact id. Unknown priorities have no SLA.
//! - Display strings: `queue` is the queue's name (else its id), `customer`
//!   the customer id, `agent` the agent's name (else its id).

use super::floor::{BlockSpan, Floor};
use super::live::happened_by;
use super::record::Priority;
use super::settings::Settings;
use super::snapshot::SlaTimer;
use super::time::{NANOS_PER_SEC, Ts};

const MINUTE_NANOS: i64 = 60 * NANOS_PER_SEC;

/// Every contact that owes a first response or a resolution at `now`, most urgent first.
///
/// Reads only the contacts that can owe something at `now`: those of the
/// blocks where something happens after `now`, and the open ones of the
/// others ([`Floor::contacts_scan`]), not the whole floor.
pub fn sla_timers(floor: &Floor, settings: &Settings, now: Ts) -> Vec<SlaTimer> {
    sla_timers_reading(floor, settings, now, false)
}

/// [`sla_timers`], reading every contact when `all` (the reference the
/// block skipping is tested against).
pub(crate) fn sla_timers_reading(
    floor: &Floor,
    settings: &Settings,
    now: Ts,
    all: bool,
) -> Vec<SlaTimer> {
    let unsettled = |b: BlockSpan| all || b.latest.is_some_and(|l| l > now);
    // (remaining ns, priority rank, timer): sorted on exact integers.
    let mut timers: Vec<(i64, usize, SlaTimer)> = Vec::new();
    for (_, c) in floor.contacts_scan(unsettled, true) {
        let Some(priority) = c.priority else { continue };
        let Some(target) = floor.sla_target(settings, priority) else {
            continue;
        };
        let Some(arrived) = c.arrived_at.filter(|a| *a <= now) else {
            continue;
        };
        if happened_by(c.abandoned_at, now) {
            continue;
        }
        let (owes, minutes) = if !happened_by(c.answered_at, now) {
            ("first_response", target.first_response_min)
        } else {
            match target.resolution_min {
                Some(m) if !happened_by(c.ended_at, now) => ("resolution", m),
                _ => continue,
            }
        };
        let due = arrived.add_nanos(i64::from(minutes).saturating_mul(MINUTE_NANOS));
        let remaining = due.since(now);
        let rank = Priority::KNOWN
            .iter()
            .position(|p| *p == priority)
            .unwrap_or(Priority::KNOWN.len());
        let queue = c.queue.map(|q| {
            floor
                .queue(q)
                .and_then(|r| r.name.as_deref())
                .unwrap_or_else(|| floor.names.resolve(q))
                .to_string()
        });
        timers.push((
            remaining,
            rank,
            SlaTimer {
                contact: c.id.to_string(),
                priority: priority.as_str(&floor.names).to_string(),
                due_at: due,
                remaining_s: remaining as f64 / NANOS_PER_SEC as f64,
                breached: remaining < 0,
                owes,
                queue,
                customer: c.customer.map(|s| floor.names.resolve(s).to_string()),
                agent: c.agent.map(|a| floor.agent_name(a).to_string()),
            },
        ));
    }
    timers.sort_by(|a, b| (a.0, a.1, &a.2.contact).cmp(&(b.0, b.1, &b.2.contact)));
    timers.into_iter().map(|(_, _, timer)| timer).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::{Contact, Priority};
    use crate::domain::testkit::*;

    fn with_priority(id: &str, p: Priority, arrived: &str) -> Contact {
        let mut c = contact(id);
        c.priority = Some(p);
        c.arrived_at = Some(t(arrived));
        c
    }

    #[test]
    fn owes_first_response_then_resolution_and_sorts_by_remaining() {
        let mut b = Builder::new();
        // Urgent at 09:50: due 09:55, 5 min overdue at 10:00.
        b.apply_contact(with_priority("u", Priority::Urgent, "09:50:00"));
        // High, answered, not ended: resolution due 09:30 + 4 h = 13:30.
        let mut h = with_priority("h", Priority::High, "09:30:00");
        h.answered_at = Some(t("09:35:00"));
        b.apply_contact(h);
        // Medium answered: owes nothing (no resolution target).
        let mut m = with_priority("m", Priority::Medium, "09:00:00");
        m.answered_at = Some(t("09:10:00"));
        b.apply_contact(m);
        // Low at 09:00: due tomorrow 09:00.
        b.apply_contact(with_priority("l", Priority::Low, "09:00:00"));
        // Abandoned, future arrival, unknown priority: none listed.
        let mut a = with_priority("a", Priority::Urgent, "09:00:00");
        a.abandoned_at = Some(t("09:01:00"));
        b.apply_contact(a);
        b.apply_contact(with_priority("f", Priority::Urgent, "10:00:01"));
        let other = Priority::Other(b.sym("vip"));
        b.apply_contact(with_priority("o", other, "09:00:00"));

        let timers = sla_timers(&b.floor, &Settings::default(), t("10:00:00"));
        let ids: Vec<&str> = timers.iter().map(|x| x.contact.as_str()).collect();
        assert_eq!(ids, ["u", "h", "l"]);
        assert_eq!(timers[0].remaining_s, -300.0);
        assert!(timers[0].breached);
        assert_eq!(timers[0].owes, "first_response");
        assert_eq!(timers[1].owes, "resolution");
        assert_eq!(timers[1].due_at, t("13:30:00"));
        assert_eq!(timers[1].remaining_s, 3.5 * 3600.0);
        assert!(!timers[2].breached);
    }

    #[test]
    fn due_exactly_now_is_not_breached_and_ties_go_by_priority_then_id() {
        let mut b = Builder::new();
        b.apply_contact(with_priority("z", Priority::Urgent, "09:55:00"));
        b.apply_contact(with_priority("y", Priority::High, "09:30:00"));
        b.apply_contact(with_priority("x", Priority::High, "09:30:00"));
        let timers = sla_timers(&b.floor, &Settings::default(), t("10:00:00"));
        let ids: Vec<&str> = timers.iter().map(|x| x.contact.as_str()).collect();
        assert_eq!(ids, ["z", "x", "y"]);
        assert!(timers.iter().all(|x| x.remaining_s == 0.0 && !x.breached));
    }
}
