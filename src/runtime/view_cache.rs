//! What one view of the engine keeps for the next: the pieces whose inputs
//! cannot have changed since (`runtime::engine::compute_view_cached`).
//!
//! Every piece is kept with what it was computed from, and dropped as soon
//! as the floor changes in a way that could change it, so a kept piece is
//! always the piece a computation from scratch would give (a property test
//! checks exactly that after random appends):
//! - the KPI set of a window that had ended when it was computed (the hours
//!   of the sparklines before this one, yesterday, last week's same part):
//!   "now" no longer moves it (occupancy stops at the window's end), so only
//!   a change inside it can. It is dropped when a contact that arrived in
//!   it changed (as it was or as it is), when the repeat/FCR flag of a
//!   contact that arrived in it changed (a later contact of the same
//!   customer), when a survey dated in it changed, when an agent's state
//!   changed before its end, and when a queue record changed (service-level
//!   thresholds). With a queue or agent filter any contact change drops it
//!   (a survey follows its contact through the filter);
//! - the feedback board, while no feedback record changed: only the
//!   overdue flags are set again for the new "now";
//! - the agents' display names, while no agent record changed.
//!
//! A new floor (a reload, a source's full state), changes too many to list,
//! other settings or another filter start the cache again empty.

use std::collections::HashMap;

use crate::domain::floor::{ContactChanges, Stamps};
use crate::domain::kpi::{KpiFilter, RepeatIndex};
use crate::domain::snapshot::{FeedbackReport, KpiSet, Window};
use crate::domain::{Floor, Ts, feedback};

/// What changed in the floor since the last view (see the module's doc).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dirt {
    /// Anything may have changed: nothing kept can be trusted.
    pub all: bool,
    /// The span of the arrivals of the changed contacts, as they were and
    /// as they are.
    pub arrivals: Option<(Ts, Ts)>,
    /// Arrivals of the unchanged contacts whose repeat/FCR flags changed.
    pub flagged: Vec<Ts>,
    /// The span of the changed surveys' `at`, as they were and as they are.
    pub surveys: Option<(Ts, Ts)>,
    /// The earliest agent-state event added.
    pub states_from: Option<Ts>,
}

impl Dirt {
    /// Everything changed (a new floor, a first view).
    pub fn everything() -> Dirt {
        Dirt {
            all: true,
            ..Dirt::default()
        }
    }

    /// The changes `changes` made to the floor, `before` being the
    /// repeat/FCR index of the last view and `after` the index brought up to
    /// date with them (`RepeatIndex::update`): the flags that moved are
    /// found by reading the changed customers' contacts in both.
    pub fn of(
        floor: &Floor,
        changes: &ContactChanges,
        before: &[(u32, (bool, bool))],
        after: &RepeatIndex,
    ) -> Dirt {
        if changes.overflowed {
            return Dirt::everything();
        }
        let contacts = floor.contacts();
        let flagged = before
            .iter()
            .filter(|(slot, flags)| after.get(*slot as usize) != *flags)
            .filter_map(|(slot, _)| contacts.get(*slot as usize).and_then(|c| c.arrived_at))
            .collect();
        Dirt {
            all: false,
            arrivals: changes.arrivals,
            flagged,
            surveys: changes.surveys,
            states_from: changes.states_from,
        }
    }

    /// The flags, before `changes` are applied to `index`, of every contact
    /// of the customers `changes` names (for [`Dirt::of`]).
    pub fn flags_before(
        floor: &Floor,
        changes: &ContactChanges,
        index: &RepeatIndex,
    ) -> Vec<(u32, (bool, bool))> {
        if changes.overflowed {
            return Vec::new();
        }
        let mut customers = changes.customers.clone();
        customers.sort_unstable();
        customers.dedup();
        customers
            .into_iter()
            .flat_map(|c| floor.contacts_of_customer(c).iter())
            .map(|&(_, slot)| (slot, index.get(slot as usize)))
            .collect()
    }

    /// Whether a KPI set over `w` (under a filter that keeps everything
    /// when `everything`) may have changed.
    pub fn touches(&self, w: Window, everything: bool) -> bool {
        let meets = |span: Option<(Ts, Ts)>| span.is_some_and(|(lo, hi)| lo < w.to && hi >= w.from);
        self.all
            || meets(self.arrivals)
            || (!everything && self.arrivals.is_some())
            || self.flagged.iter().any(|t| w.contains(*t))
            || meets(self.surveys)
            || self.states_from.is_some_and(|t| t < w.to)
    }
}

/// The pieces kept from the last view (see the module's doc).
#[derive(Default)]
pub struct ViewCache {
    /// The filter the KPI sets were computed under.
    filter: Option<KpiFilter>,
    /// The floor's stamps when the pieces were computed.
    stamps: Option<Stamps>,
    /// KPI sets of windows that had ended, with their windows (a few
    /// dozen: the day's hours and a few days).
    closed: Vec<(Window, KpiSet)>,
    /// The windows asked for by the view being computed: the others are
    /// dropped when it is done.
    asked: Vec<Window>,
    /// The feedback board, and per item whether it is closed (never overdue).
    feedback: Option<(Vec<FeedbackReport>, Vec<bool>)>,
    agent_names: Option<HashMap<String, String>>,
    /// How many pieces the last view took from here (the bench says it).
    pub hits: usize,
}

impl ViewCache {
    /// Drops what `dirt` may have changed; `stamps` and `filter` are the
    /// floor's and the view's now.
    pub fn begin(&mut self, dirt: &Dirt, stamps: Stamps, filter: KpiFilter) {
        self.hits = 0;
        self.asked.clear();
        let before = self.stamps.replace(stamps);
        if dirt.all || self.filter != Some(filter) {
            self.filter = Some(filter);
            self.closed.clear();
            self.feedback = None;
            self.agent_names = None;
            return;
        }
        let Some(before) = before else {
            self.closed.clear();
            self.feedback = None;
            self.agent_names = None;
            return;
        };
        if before.queues != stamps.queues {
            self.closed.clear();
        }
        let everything = filter.is_everything();
        self.closed.retain(|(w, _)| !dirt.touches(*w, everything));
        if before.feedback != stamps.feedback {
            self.feedback = None;
        }
        if before.agents != stamps.agents {
            self.agent_names = None;
        }
    }

    /// The KPI set over `w` at `now`: kept if `w` had ended and nothing in
    /// it changed, else `compute`d (and kept when `w` has ended).
    pub fn closed_kpis(&mut self, w: Window, now: Ts, compute: impl FnOnce() -> KpiSet) -> KpiSet {
        let closed = w.to <= now;
        if closed {
            self.asked.push(w);
            if let Some((_, set)) = self.closed.iter().find(|(k, _)| *k == w) {
                self.hits += 1;
                return set.clone();
            }
        }
        let set = compute();
        if closed {
            self.closed.push((w, set.clone()));
        }
        set
    }

    /// Whether the KPI set over `w` is kept (for a caller choosing between
    /// one pass over many windows and a pass per missing one).
    pub fn has_closed(&self, w: Window, now: Ts) -> bool {
        w.to <= now && self.closed.iter().any(|(k, _)| *k == w)
    }

    /// Keeps the KPI set of `w` computed elsewhere (when `w` has ended).
    pub fn keep_closed(&mut self, w: Window, now: Ts, set: &KpiSet) {
        if w.to <= now {
            self.asked.push(w);
            self.closed.retain(|(k, _)| *k != w);
            self.closed.push((w, set.clone()));
        }
    }

    /// The feedback board at `now`: the kept one with its overdue flags set
    /// again, or `compute`d and kept.
    pub fn feedback(
        &mut self,
        floor: &Floor,
        now: Ts,
        compute: impl FnOnce() -> Vec<FeedbackReport>,
    ) -> Vec<FeedbackReport> {
        if let Some((board, closed)) = &self.feedback {
            self.hits += 1;
            let mut board = board.clone();
            for (r, closed) in board.iter_mut().zip(closed) {
                r.overdue = feedback::overdue(*closed, r.due_at, now);
            }
            return board;
        }
        let board = compute();
        let closed = board
            .iter()
            .map(|r| {
                floor
                    .feedback_item(&r.id)
                    .is_some_and(|f| f.stage == Some(crate::domain::record::Stage::Closed))
            })
            .collect();
        self.feedback = Some((board.clone(), closed));
        board
    }

    /// The agents' display names: kept, or `compute`d and kept.
    pub fn agent_names(
        &mut self,
        compute: impl FnOnce() -> HashMap<String, String>,
    ) -> HashMap<String, String> {
        if let Some(names) = &self.agent_names {
            self.hits += 1;
            return names.clone();
        }
        let names = compute();
        self.agent_names = Some(names.clone());
        names
    }

    /// Drops the KPI sets the view just computed did not ask for.
    pub fn end(&mut self) {
        let asked = std::mem::take(&mut self.asked);
        self.closed.retain(|(w, _)| asked.contains(w));
        self.asked = asked;
    }
}
