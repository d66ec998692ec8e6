//! Where the cursor is: the selected row of every list, the section shown
//! in the panes that have two or three (queue table or SLA timers; random,
//! targeted or coverage), the feedback board's stage selector, and the rows
//! that pass the filter.

use crate::domain::{KpiKey, SpotCheckItem, Stage, Ts};

use super::filter::Filter;
use super::view::View;

/// The five panes, in focus order (keys 1–5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    Queues,
    Kpis,
    Feedback,
    Spot,
    Agents,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Queues,
        Pane::Kpis,
        Pane::Feedback,
        Pane::Spot,
        Pane::Agents,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The next pane in focus order, after the last the first.
    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    /// The previous pane in focus order, before the first the last.
    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// What an overlay shows; items are found again in the view by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// The alerts (`app::alerts`).
    Alerts,
    /// The shift handover (`app::handover`).
    Handover,
    Kpi(KpiKey),
    Queue(String),
    Sla(String),
    Feedback(String),
}

/// The lists a selection lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    Queues,
    Sla,
    Kpis,
    Feedback,
    Random,
    Targeted,
    Coverage,
    Agents,
}

impl List {
    fn slot(self) -> usize {
        self as usize
    }
}

/// The Queues pane's two sections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueueSection {
    #[default]
    Queues,
    Sla,
}

/// The Spot-checks pane's three sections, left to right.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpotSection {
    #[default]
    Random,
    Targeted,
    Coverage,
}

impl SpotSection {
    pub const ALL: [SpotSection; 3] = [
        SpotSection::Random,
        SpotSection::Targeted,
        SpotSection::Coverage,
    ];

    /// The section to the right (or left); the ends stay put.
    fn step(self, right: bool) -> SpotSection {
        let i = self as usize;
        let i = if right {
            (i + 1).min(2)
        } else {
            i.saturating_sub(1)
        };
        SpotSection::ALL[i]
    }
}

/// Stages of the feedback board, in loop order, for the stage selector.
pub const STAGES: &[Stage] = Stage::KNOWN;

/// The cursor in every list, and the sections shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Selected row per list (`List` order).
    rows: [usize; 8],
    pub queues: QueueSection,
    pub spot: SpotSection,
    /// Feedback pane: `None` = all stages, else the one stage shown.
    pub stage: Option<Stage>,
}

impl Selection {
    pub fn get(&self, list: List) -> usize {
        self.rows[list.slot()]
    }

    /// Puts the cursor of `list` on `row`.
    pub fn set(&mut self, list: List, row: usize) {
        self.rows[list.slot()] = row;
    }

    /// Every list back to its first row (sections stay).
    pub fn reset_rows(&mut self) {
        self.rows = [0; 8];
    }

    /// The list that Up/Down move in when `focus` has the focus.
    pub fn active_list(&self, focus: Pane) -> List {
        match focus {
            Pane::Queues => match self.queues {
                QueueSection::Queues => List::Queues,
                QueueSection::Sla => List::Sla,
            },
            Pane::Kpis => List::Kpis,
            Pane::Feedback => List::Feedback,
            Pane::Spot => match self.spot {
                SpotSection::Random => List::Random,
                SpotSection::Targeted => List::Targeted,
                SpotSection::Coverage => List::Coverage,
            },
            Pane::Agents => List::Agents,
        }
    }

    /// Moves the cursor of `list` (of `len` rows) by `delta`, within the list.
    pub fn move_by(&mut self, list: List, len: usize, delta: isize) {
        let cur = self.get(list);
        let next = if delta < 0 {
            cur.saturating_sub(delta.unsigned_abs())
        } else {
            cur.saturating_add(delta as usize)
        };
        self.set(list, next.min(len.saturating_sub(1)));
    }

    /// Left/Right in a pane: the section, or the feedback stage selector.
    /// True when the stage changed (the visible rows must be recomputed).
    pub fn side(&mut self, focus: Pane, right: bool) -> bool {
        match focus {
            Pane::Queues => {
                self.queues = if right {
                    QueueSection::Sla
                } else {
                    QueueSection::Queues
                };
                false
            }
            Pane::Kpis | Pane::Agents => false,
            Pane::Feedback => {
                // None → new → handling → … → closed → None.
                let n = STAGES.len();
                let at = self.stage.and_then(|s| STAGES.iter().position(|k| *k == s));
                let next = match (at, right) {
                    (None, true) => Some(0),
                    (None, false) => Some(n - 1),
                    (Some(i), true) if i + 1 < n => Some(i + 1),
                    (Some(i), false) if i > 0 => Some(i - 1),
                    _ => None,
                };
                self.stage = next.map(|i| STAGES[i]);
                self.set(List::Feedback, 0);
                true
            }
            Pane::Spot => {
                self.spot = self.spot.step(right);
                false
            }
        }
    }

    /// Keeps every cursor inside its list after the rows changed.
    pub fn clamp(&mut self, rows: &Rows) {
        for list in [
            List::Queues,
            List::Sla,
            List::Feedback,
            List::Random,
            List::Targeted,
            List::Coverage,
            List::Agents,
        ] {
            let s = self.get(list).min(rows.len(list).saturating_sub(1));
            self.set(list, s);
        }
    }
}

/// Visible rows (indexes into the view's lists) after the filter and the
/// stage selector: computed on change, so a frame never scans the data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    pub queues: Vec<usize>,
    pub sla: Vec<usize>,
    pub feedback: Vec<usize>,
    /// Counts per stage (`STAGES` order, then "other") after the filter.
    pub stage_counts: [usize; 6],
    pub random: Vec<usize>,
    pub targeted: Vec<usize>,
    pub coverage: Vec<usize>,
    /// The Agents pane's rows (indexes into the snapshot's `agents`), in
    /// the pane's order: see `app::agents`.
    pub agents: Vec<usize>,
    /// Sorted due times of the visible SLA timers and of the visible open
    /// feedback items: "how many are late at now" is a binary search, so a
    /// frame never walks the whole list.
    pub sla_due: Vec<Ts>,
    pub feedback_open_due: Vec<Ts>,
}

impl Rows {
    /// SLA timers past due at `now`.
    pub fn breached_at(&self, now: Ts) -> usize {
        self.sla_due.partition_point(|d| *d < now)
    }

    /// Open feedback items past due at `now`.
    pub fn overdue_at(&self, now: Ts) -> usize {
        self.feedback_open_due.partition_point(|d| *d < now)
    }

    /// The detail overlay of row `row` of `list` (a spot-check list has none).
    pub fn overlay(&self, view: &View, list: List, row: usize) -> Option<Overlay> {
        let snap = &view.snapshot;
        let at = |rows: &[usize]| rows.get(row).copied();
        match list {
            List::Kpis => KpiKey::ALL.get(row).map(|k| Overlay::Kpi(*k)),
            List::Queues => at(&self.queues)
                .and_then(|i| snap.queues.get(i))
                .map(|q| Overlay::Queue(q.id.clone())),
            List::Sla => at(&self.sla)
                .and_then(|i| snap.sla.get(i))
                .map(|t| Overlay::Sla(t.contact.clone())),
            List::Feedback => at(&self.feedback)
                .and_then(|i| snap.feedback.get(i))
                .map(|f| Overlay::Feedback(f.id.clone())),
            List::Random | List::Targeted | List::Coverage | List::Agents => None,
        }
    }

    /// How many rows `list` shows.
    pub fn len(&self, list: List) -> usize {
        match list {
            List::Queues => self.queues.len(),
            List::Sla => self.sla.len(),
            List::Kpis => KpiKey::ALL.len(),
            List::Feedback => self.feedback.len(),
            List::Random => self.random.len(),
            List::Targeted => self.targeted.len(),
            List::Coverage => self.coverage.len(),
            List::Agents => self.agents.len(),
        }
    }
}

/// Rows of each list that pass the filter (scope resolved by the engine, plus free text).
pub fn visible_rows(view: &View, filter: &Filter, stage: Option<Stage>) -> Rows {
    fn opt(s: &Option<String>) -> &str {
        s.as_deref().unwrap_or("")
    }
    let snap = &view.snapshot;
    let scope = &view.scope;
    let agent_ok = |a: Option<&str>| {
        scope.agent.as_deref().is_none_or(|want| {
            a.is_some_and(|a| a == want || scope.agent_name.as_deref() == Some(a))
        })
    };
    let queue_ok = |q: Option<&str>, name: Option<&str>| {
        scope
            .queue
            .as_deref()
            .is_none_or(|want| q == Some(want) || name == Some(want))
    };
    // The feed's words match as written and as the Chinese screen shows
    // them (`/紧急` finds urgent timers whatever the language).
    fn zh(v: &str) -> &str {
        crate::i18n::feed_value(crate::i18n::Lang::Zh, v)
    }
    fn zh_opt(v: &Option<String>) -> &str {
        v.as_deref().map_or("", zh)
    }
    let mut rows = Rows::default();
    // The queue in the most trouble first, so a short pane never hides it.
    for i in crate::domain::glance::trouble_order(&snap.queues, &view.queue_judge) {
        let q = &snap.queues[i];
        if queue_ok(Some(&q.id), q.name.as_deref())
            && filter.text_matches(&[&q.id, opt(&q.name), opt(&q.channel), zh_opt(&q.channel)])
        {
            rows.queues.push(i);
        }
    }
    // SLA timers carry the queue's name (else id): match either.
    let queue_name = |id: &str| {
        snap.queues
            .iter()
            .find(|q| q.id == id)
            .and_then(|q| q.name.clone())
    };
    let scope_queue_name = scope.queue.as_deref().and_then(queue_name);
    for (i, t) in snap.sla.iter().enumerate() {
        let q_ok = scope.queue.is_none()
            || t.queue.as_deref() == scope.queue.as_deref()
            || (scope_queue_name.is_some() && t.queue == scope_queue_name);
        if q_ok
            && agent_ok(t.agent.as_deref())
            && filter.text_matches(&[
                &t.contact,
                &t.priority,
                zh(&t.priority),
                opt(&t.queue),
                opt(&t.agent),
                opt(&t.customer),
            ])
        {
            rows.sla.push(i);
        }
    }
    for (i, f) in snap.feedback.iter().enumerate() {
        if !agent_ok(f.owner.as_deref())
            || !filter.text_matches(&[
                &f.id,
                opt(&f.stage),
                f.stage
                    .as_deref()
                    .map_or("", |s| crate::i18n::stage(crate::i18n::Lang::Zh, s, false)),
                opt(&f.owner),
                opt(&f.summary),
                opt(&f.category),
                zh_opt(&f.category),
                opt(&f.source),
                zh_opt(&f.source),
                opt(&f.customer),
            ])
        {
            continue;
        }
        let slot = f
            .stage
            .as_deref()
            .and_then(|s| STAGES.iter().position(|k| k.known_str() == Some(s)))
            .unwrap_or(5);
        rows.stage_counts[slot] += 1;
        if stage.is_none_or(|want| STAGES.get(slot) == Some(&want)) {
            rows.feedback.push(i);
        }
    }
    // Open items first (most urgent first, as the engine sorted them), closed ones after.
    let closed = |i: &usize| snap.feedback[*i].stage.as_deref() == Some("closed");
    let (open, done): (Vec<usize>, Vec<usize>) = rows.feedback.iter().partition(|i| !closed(i));
    rows.feedback = open;
    rows.feedback.extend(done);
    rows.sla_due = rows.sla.iter().map(|&i| snap.sla[i].due_at).collect();
    rows.sla_due.sort_unstable();
    rows.feedback_open_due = rows
        .feedback
        .iter()
        .map(|&i| &snap.feedback[i])
        .filter(|f| f.stage.as_deref() != Some("closed"))
        .filter_map(|f| f.due_at)
        .collect();
    rows.feedback_open_due.sort_unstable();
    let spot = &snap.spot_check;
    let item_ok = |s: &SpotCheckItem| {
        let name = view.agent_name(&s.agent);
        agent_ok(Some(&s.agent))
            && filter.text_matches(&[&s.contact, &s.agent, name, &s.flags.join(" ")])
    };
    rows.random = (0..spot.random.len())
        .filter(|&i| item_ok(&spot.random[i]))
        .collect();
    rows.targeted = (0..spot.targeted.len())
        .filter(|&i| item_ok(&spot.targeted[i]))
        .collect();
    rows.coverage = (0..spot.coverage.len())
        .filter(|&i| {
            let c = &spot.coverage[i];
            agent_ok(Some(&c.agent)) && filter.text_matches(&[&c.agent, view.agent_name(&c.agent)])
        })
        .collect();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_selector_walks_the_loop_and_back_to_all() {
        let mut s = Selection::default();
        let mut seen = Vec::new();
        for _ in 0..6 {
            assert!(
                s.side(Pane::Feedback, true),
                "a stage change recomputes rows"
            );
            seen.push(s.stage);
        }
        use Stage::*;
        assert_eq!(
            seen,
            [
                Some(New),
                Some(Handling),
                Some(Resolved),
                Some(Callback),
                Some(Closed),
                None
            ]
        );
        // Left from "all" goes to the last stage, then back along the loop.
        s.side(Pane::Feedback, false);
        assert_eq!(s.stage, Some(Closed));
        s.side(Pane::Feedback, false);
        assert_eq!(s.stage, Some(Callback));
    }

    #[test]
    fn sections_stop_at_their_ends_and_the_active_list_follows() {
        let mut s = Selection::default();
        assert_eq!(s.active_list(Pane::Spot), List::Random);
        assert!(!s.side(Pane::Spot, false));
        assert_eq!(s.spot, SpotSection::Random);
        for _ in 0..3 {
            s.side(Pane::Spot, true);
        }
        assert_eq!(s.spot, SpotSection::Coverage);
        assert_eq!(s.active_list(Pane::Spot), List::Coverage);
        s.side(Pane::Queues, true);
        assert_eq!(s.active_list(Pane::Queues), List::Sla);
        s.side(Pane::Queues, true);
        assert_eq!(s.queues, QueueSection::Sla);
        s.side(Pane::Queues, false);
        assert_eq!(s.active_list(Pane::Queues), List::Queues);
        // Each list keeps its own cursor.
        s.move_by(List::Sla, 5, 3);
        assert_eq!((s.get(List::Sla), s.get(List::Queues)), (3, 0));
    }

    #[test]
    fn the_cursor_stays_inside_its_list() {
        let mut s = Selection::default();
        s.move_by(List::Feedback, 5, 10);
        assert_eq!(s.get(List::Feedback), 4);
        s.move_by(List::Feedback, 5, -2);
        assert_eq!(s.get(List::Feedback), 2);
        s.move_by(List::Feedback, 5, isize::MIN / 2);
        assert_eq!(s.get(List::Feedback), 0);
        s.move_by(List::Random, 0, 3);
        assert_eq!(s.get(List::Random), 0, "an empty list keeps row 0");
        // Fewer rows after a refresh pull the cursor back onto the last one.
        s.move_by(List::Feedback, 5, 4);
        let rows = Rows {
            feedback: vec![7, 9],
            ..Rows::default()
        };
        s.clamp(&rows);
        assert_eq!(s.get(List::Feedback), 1);
    }
}
