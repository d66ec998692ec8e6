//! Planned shifts (the optional `shift` record): how many agents each queue
//! has on plan at an instant, so the gap ahead counts who is scheduled, not
//! only who is logged in now (`domain::staffing`).
//!
//! Rules (also in docs/data-format.md and docs/forecast.md):
//! - A shift covers `[start, end)`.
//! - **Overlaps.** An agent counts once at any instant, for one queue: of
//!   that agent's shifts covering the instant, the one that starts latest
//!   decides (on a tie, the later line). A replanned afternoon written as a
//!   new shift over the old one therefore wins where they overlap, and two
//!   copies of the same shift count once.
//! - **No `queue`.** The shift is for the queue of the agent's latest
//!   `agent_state` at or before now that names one; without such a state it
//!   counts for no queue (it cannot be placed).
//! - **Unknown agents.** A shift for an agent with no `agent` record and no
//!   state is counted all the same: the plan is the authority, and a new
//!   hire is often planned before the roster names them. [`OnPlan`] counts
//!   such agents (`unknown_agents`) so a misspelt id can be told apart.
//! - **Unknown queues.** A shift for a queue the floor does not list counts
//!   for none of the listed queues.

use hashbrown::{HashMap, HashSet};

use super::floor::Floor;
use super::intern::Sym;
use super::time::Ts;

/// Scheduled agents per queue at a list of instants.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct OnPlan {
    /// `counts[q][i]`: agents on a shift for queue `q` (index into the
    /// queue list asked for) at instant `i`.
    pub counts: Vec<Vec<u32>>,
    /// Agents with a shift among those instants that the feed never names
    /// otherwise (no `agent` record, no state).
    pub unknown_agents: u32,
}

/// Agents on plan for each of `queues` at each of `instants`, or `None`
/// when the feed plans no shift at all. `now` places queue-less shifts
/// (the agent's latest state at or before now).
pub fn on_plan(floor: &Floor, queues: &[Sym], instants: &[Ts], now: Ts) -> Option<OnPlan> {
    let shifts = floor.shifts();
    if shifts.is_empty() {
        return None;
    }
    let slot: HashMap<Sym, usize> = queues.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let mut counts = vec![vec![0u32; instants.len()]; queues.len()];
    let (Some(lo), Some(hi)) = (instants.iter().min(), instants.iter().max()) else {
        return Some(OnPlan {
            counts,
            unknown_agents: 0,
        });
    };
    // Per agent, the indexes of its shifts that touch [lo, hi].
    let mut by_agent: HashMap<Sym, Vec<usize>> = HashMap::new();
    for (i, s) in shifts.iter().enumerate() {
        if s.start <= *hi && s.end > *lo {
            by_agent.entry(s.agent).or_default().push(i);
        }
    }
    let mut unknown: HashSet<Sym> = HashSet::new();
    for (agent, idx) in &by_agent {
        // The queue of the agent's latest state at or before now, for
        // shifts without one.
        let states = floor.states_of(*agent);
        let upto = states.partition_point(|e| e.at <= now);
        let logged_queue = states[..upto].iter().rev().find_map(|e| e.queue);
        let mut counted = false;
        for (k, t) in instants.iter().enumerate() {
            let governing = idx
                .iter()
                .copied()
                .filter(|&i| shifts[i].start <= *t && *t < shifts[i].end)
                .max_by_key(|&i| (shifts[i].start, i));
            let Some(i) = governing else { continue };
            counted = true;
            if let Some(q) = shifts[i].queue.or(logged_queue)
                && let Some(&qi) = slot.get(&q)
            {
                counts[qi][k] += 1;
            }
        }
        if counted && !floor.knows_agent(*agent) {
            unknown.insert(*agent);
        }
    }
    Some(OnPlan {
        counts,
        unknown_agents: unknown.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::{AgentStateKind, Record, Shift};
    use crate::domain::testkit::*;

    fn shift(b: &mut Builder, agent: &str, start: &str, end: &str, queue: Option<&str>) {
        let s = Shift {
            agent: b.sym(agent),
            start: t(start),
            end: t(end),
            queue: queue.map(|q| b.sym(q)),
        };
        b.floor.apply(Record::Shift(s));
    }

    #[test]
    fn no_shift_no_plan() {
        let mut b = Builder::new();
        b.queue("q", 20.0);
        let q = b.sym("q");
        assert_eq!(
            on_plan(&b.floor, &[q], &[t("10:00:00")], t("10:00:00")),
            None
        );
    }

    #[test]
    fn shifts_count_by_queue_overlaps_once_and_queue_less_by_the_latest_state() {
        let mut b = Builder::new();
        b.queue("phone", 20.0).queue("chat", 20.0);
        b.state_in("ann", AgentStateKind::Available, "08:00:00", Some("phone"));
        b.state_in("bob", AgentStateKind::Available, "08:00:00", Some("chat"));
        b.state_in("bob", AgentStateKind::Busy, "09:30:00", Some("phone"));
        // ann: phone 09:00–17:00, replanned to chat from 13:00 (a later
        // start wins where the two overlap).
        shift(&mut b, "ann", "09:00:00", "17:00:00", Some("phone"));
        shift(&mut b, "ann", "13:00:00", "18:00:00", Some("chat"));
        // bob: no queue on the plan; his latest state at now (10:00) is on phone.
        shift(&mut b, "bob", "10:00:00", "14:00:00", None);
        // cy: twice the same shift (counts once), and never named otherwise.
        shift(&mut b, "cy", "08:00:00", "12:00:00", Some("chat"));
        shift(&mut b, "cy", "08:00:00", "12:00:00", Some("chat"));
        // dee: queue-less and never logged in: placed nowhere.
        shift(&mut b, "dee", "08:00:00", "20:00:00", None);
        let queues = [b.sym("phone"), b.sym("chat")];
        let at = [
            "09:30:00", "10:00:00", "12:00:00", "13:00:00", "17:30:00", "18:00:00",
        ]
        .map(t);
        let plan = on_plan(&b.floor, &queues, &at, t("10:00:00")).expect("shifts");
        // 09:30 ann phone, cy chat; 10:00 + bob phone; 12:00 cy gone (end
        // excluded); 13:00 ann on chat; 17:30 ann chat; 18:00 nobody.
        assert_eq!(plan.counts[0], [1, 2, 2, 1, 0, 0], "phone");
        assert_eq!(plan.counts[1], [1, 1, 0, 1, 1, 0], "chat");
        assert_eq!(plan.unknown_agents, 2, "cy and dee");
    }
}
