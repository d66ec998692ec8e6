//! The Agents pane's room: the sort column and its direction, whether the
//! flagged agents come first, which of the Spot-checks and Agents panes
//! sits in the shared lower-right slot, and the visible rows (filter, then
//! sort) computed on change, so a frame never sorts.
//!
//! The five panes share the four slots of the default layout: the lower
//! right shows the Spot checks or the Agents, whichever last had the focus
//! (`4` and `5` bring each back; Tab walks all five). Zoom (`z`) gives
//! either the whole body.

use std::cmp::Ordering;

use crate::domain::agents::{AgentReport, AgentRules};
use crate::domain::scorecard::SpotScore;
use crate::domain::{Direction, KpiKey, KpiValue, SpotCheckItem};
use crate::i18n::{Lang, Msg};

use super::filter::{Filter, Scope};
use super::select::Pane;
use super::view::View;

/// The columns the pane sorts by, in the order `s` cycles them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortCol {
    Name,
    Team,
    State,
    /// Time in state: the oldest `since` first.
    #[default]
    InState,
    Queue,
    Handled,
    Aht,
    Fcr,
    Transfer,
    Csat,
    QaAvg,
    SpotLeft,
}

impl SortCol {
    pub const ALL: [SortCol; 12] = [
        SortCol::Name,
        SortCol::Team,
        SortCol::State,
        SortCol::InState,
        SortCol::Queue,
        SortCol::Handled,
        SortCol::Aht,
        SortCol::Fcr,
        SortCol::Transfer,
        SortCol::Csat,
        SortCol::QaAvg,
        SortCol::SpotLeft,
    ];

    pub fn next(self) -> SortCol {
        let i = SortCol::ALL.iter().position(|c| *c == self).unwrap_or(0);
        SortCol::ALL[(i + 1) % SortCol::ALL.len()]
    }

    /// The column heading, which is also what the title says it sorts by.
    pub fn heading(self) -> Msg {
        match self {
            SortCol::Name => Msg::ColAgent,
            SortCol::Team => Msg::AgPaneTeam,
            SortCol::State => Msg::AgPaneState,
            SortCol::InState => Msg::AgPaneInState,
            SortCol::Queue => Msg::AgPaneQueue,
            SortCol::Handled => Msg::AgPaneHandled,
            SortCol::Aht => Msg::AgPaneAht,
            SortCol::Fcr => Msg::AgPaneFcr,
            SortCol::Transfer => Msg::AgPaneTransfer,
            SortCol::Csat => Msg::AgPaneCsat,
            SortCol::QaAvg => Msg::AgPaneQa,
            SortCol::SpotLeft => Msg::AgPaneSpot,
        }
    }

    /// Whether the column's first sort puts the largest first: the figures
    /// a lead looks for (long in state, many handled, long AHT, many
    /// transfers, many checks left) lead; for FCR, CSAT and the QA average
    /// the lowest leads, and text sorts A to Z.
    fn largest_first(self) -> bool {
        matches!(
            self,
            SortCol::InState
                | SortCol::Handled
                | SortCol::Aht
                | SortCol::Transfer
                | SortCol::SpotLeft
        )
    }
}

/// The coaching view of one agent (Enter on the pane), while open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coach {
    /// The agent's id.
    pub agent: String,
    /// The cursor in the agent's contacts of today's sample.
    pub row: usize,
    /// Lines scrolled (PgUp/PgDn).
    pub scroll: u16,
    /// The agent's scored spot checks of the last days, newest first.
    pub scores: Vec<SpotScore>,
}

/// The agent's contacts in today's spot-check lists: the random sample,
/// then the targeted list (a contact on both is listed once).
pub fn sample_items<'a>(view: &'a View, agent: &str) -> Vec<&'a SpotCheckItem> {
    let spot = &view.snapshot.spot_check;
    let mut out: Vec<&SpotCheckItem> = spot.random.iter().filter(|i| i.agent == agent).collect();
    for item in spot.targeted.iter().filter(|i| i.agent == agent) {
        if !out.iter().any(|o| o.contact == item.contact) {
            out.push(item);
        }
    }
    out
}

/// The KPIs the huddle may praise an agent for.
pub const HUDDLE_KPIS: [KpiKey; 4] = [KpiKey::AhtS, KpiKey::Fcr, KpiKey::Csat, KpiKey::Nps];

/// What the shared screen may say of the agents (`[huddle] show_agents`):
/// the agents with no flag and at least one figure on the good side of the
/// floor's target with `n ≥ min_n`, A to Z by name (a list, never a
/// ranking), each with those figures only. Agents with a flag or with no
/// such figure are not named at all.
pub fn huddle_praise<'a>(
    view: &'a View,
    rules: &AgentRules,
) -> Vec<(&'a AgentReport, Vec<(KpiKey, f64)>)> {
    let mut out: Vec<(&AgentReport, Vec<(KpiKey, f64)>)> = view
        .snapshot
        .agents
        .iter()
        .filter(|a| a.flags.is_empty())
        .filter_map(|a| {
            let good: Vec<(KpiKey, f64)> = HUDDLE_KPIS
                .into_iter()
                .filter_map(|k| {
                    let v = a.figures.get(k)?;
                    let value = v.value?;
                    let report = view.kpi(k)?;
                    let (target, dir) = (report.target?, report.direction?);
                    let on_target = match dir {
                        Direction::Higher => value >= target,
                        Direction::Lower => value <= target,
                    };
                    (v.n >= rules.min_n as f64 && on_target).then_some((k, value))
                })
                .collect();
            (!good.is_empty()).then_some((a, good))
        })
        .collect();
    out.sort_by(|(a, _), (b, _)| (a.display_name(), &a.id).cmp(&(b.display_name(), &b.id)));
    out
}

/// The Agents pane's state.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentBoard {
    pub sort: SortCol,
    /// The column's first order reversed (`S`).
    pub reversed: bool,
    /// Flagged agents before the others (`!`), on by default.
    pub flagged_first: bool,
    /// The pane in the shared lower-right slot: `Spot` or `Agents`.
    pub slot: Pane,
    /// The coaching view, while open.
    pub coach: Option<Coach>,
    /// `[huddle] show_agents`: the huddle may name agents with positive
    /// figures only (off by default).
    pub huddle_names: bool,
    /// `[agents]`: a figure counts as positive on the huddle with `n ≥ min_n`.
    pub rules: AgentRules,
}

impl Default for AgentBoard {
    fn default() -> AgentBoard {
        AgentBoard {
            sort: SortCol::default(),
            reversed: false,
            flagged_first: true,
            slot: Pane::Spot,
            coach: None,
            huddle_names: false,
            rules: AgentRules::default(),
        }
    }
}

impl AgentBoard {
    /// The focus moved: a pane of the shared slot takes it.
    pub fn focused(&mut self, pane: Pane) {
        if matches!(pane, Pane::Spot | Pane::Agents) {
            self.slot = pane;
        }
    }

    /// The agent's scored checks arrived: kept, newest first, when the
    /// coaching view is still open on that agent.
    pub fn receive_scores(&mut self, agent: &str, mut list: Vec<SpotScore>) -> bool {
        let Some(c) = self.coach.as_mut().filter(|c| c.agent == agent) else {
            return false;
        };
        list.sort_by_key(|s| std::cmp::Reverse((s.day, s.saved_at)));
        c.scores = list;
        true
    }

    /// `s`: the next column, in its first order.
    pub fn next_sort(&mut self) {
        self.sort = self.sort.next();
        self.reversed = false;
    }

    /// Whether the sorted column shows its largest values first.
    pub fn descending(&self) -> bool {
        self.sort.largest_first() != self.reversed
    }

    /// The rows of `agents` that pass the filter and the scope, in the
    /// pane's order (ties: name, then id, so the order never flickers).
    pub fn rows(&self, agents: &[AgentReport], filter: &Filter, scope: &Scope) -> Vec<usize> {
        let mut rows: Vec<usize> = (0..agents.len())
            .filter(|&i| passes(&agents[i], filter, scope))
            .collect();
        let desc = self.descending();
        rows.sort_by(|&a, &b| {
            let (x, y) = (&agents[a], &agents[b]);
            let flagged = if self.flagged_first {
                x.flags.is_empty().cmp(&y.flags.is_empty())
            } else {
                Ordering::Equal
            };
            let gap = missing(self.sort, x).cmp(&missing(self.sort, y));
            let by_col = compare(self.sort, x, y);
            let by_col = if desc { by_col.reverse() } else { by_col };
            flagged
                .then(gap)
                .then(by_col)
                .then_with(|| x.display_name().cmp(y.display_name()))
                .then_with(|| x.id.cmp(&y.id))
        });
        rows
    }
}

/// The filter's scope (`a:`, `q:`) and words: name, id, team, queue and
/// state, as written and as the Chinese screen says it.
fn passes(a: &AgentReport, filter: &Filter, scope: &Scope) -> bool {
    let agent_ok = scope
        .agent
        .as_deref()
        .is_none_or(|want| a.id == want || a.name.as_deref() == Some(want));
    let queue_ok = scope
        .queue
        .as_deref()
        .is_none_or(|want| a.queue.as_deref() == Some(want));
    agent_ok
        && queue_ok
        && filter.text_matches(&[
            &a.id,
            a.name.as_deref().unwrap_or(""),
            a.team.as_deref().unwrap_or(""),
            a.queue.as_deref().unwrap_or(""),
            &a.state,
            crate::i18n::agent_state(Lang::Zh, &a.state),
        ])
}

/// Whether the agent has no value in the column: such rows sort last in
/// either direction.
fn missing(col: SortCol, a: &AgentReport) -> bool {
    let f = &a.figures;
    match col {
        SortCol::Name | SortCol::State | SortCol::Handled | SortCol::SpotLeft => false,
        SortCol::Team => a.team.is_none(),
        SortCol::InState => a.since.is_none(),
        SortCol::Queue => a.queue.is_none(),
        SortCol::Aht => f.aht_s.value.is_none(),
        SortCol::Fcr => f.fcr.value.is_none(),
        SortCol::Transfer => f.transfer_rate.value.is_none(),
        SortCol::Csat => f.csat.value.is_none(),
        SortCol::QaAvg => a.qa.avg.is_none(),
    }
}

fn num(a: KpiValue, b: KpiValue) -> Ordering {
    let v = |k: KpiValue| k.value.unwrap_or(0.0);
    v(a).total_cmp(&v(b))
}

/// The column's natural order (ascending) of two agents that both have a
/// value in it.
fn compare(col: SortCol, x: &AgentReport, y: &AgentReport) -> Ordering {
    let (fx, fy) = (&x.figures, &y.figures);
    match col {
        SortCol::Name => x.display_name().cmp(y.display_name()),
        SortCol::Team => x.team.cmp(&y.team),
        SortCol::State => x.state.cmp(&y.state),
        // Longer in state = an earlier `since`.
        SortCol::InState => y.since.cmp(&x.since),
        SortCol::Queue => x.queue.cmp(&y.queue),
        SortCol::Handled => fx.handled.cmp(&fy.handled),
        SortCol::Aht => num(fx.aht_s, fy.aht_s),
        SortCol::Fcr => num(fx.fcr, fy.fcr),
        SortCol::Transfer => num(fx.transfer_rate, fy.transfer_rate),
        SortCol::Csat => num(fx.csat, fy.csat),
        SortCol::QaAvg => x.qa.avg.unwrap_or(0.0).total_cmp(&y.qa.avg.unwrap_or(0.0)),
        SortCol::SpotLeft => x.qa.spot_left_today.cmp(&y.qa.spot_left_today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Interner;
    use crate::domain::agents::{AgentFlag, AgentQa};

    fn agent(names: &mut Interner, id: &str, aht: Option<f64>, flagged: bool) -> AgentReport {
        let mut a = AgentReport {
            id: id.into(),
            name: None,
            team: None,
            state: "busy".into(),
            queue: None,
            since: None,
            in_state_s: None,
            figures: Default::default(),
            qa: AgentQa::default(),
            flags: Vec::new(),
            sym: names.intern(id),
            tally: Default::default(),
        };
        a.figures.aht_s = KpiValue {
            value: aht,
            n: aht.map_or(0.0, |_| 1.0),
        };
        if flagged {
            a.flags.push(AgentFlag::BreakOver);
        }
        a
    }

    #[test]
    fn a_missing_figure_sorts_last_in_either_direction() {
        let mut names = Interner::default();
        let agents = [
            agent(&mut names, "a1", None, false),
            agent(&mut names, "a2", Some(300.0), false),
            agent(&mut names, "a3", Some(200.0), false),
        ];
        let mut board = AgentBoard {
            sort: SortCol::Aht,
            ..AgentBoard::default()
        };
        let all = (Filter::default(), Scope::default());
        // AHT's first order: the longest first.
        assert_eq!(board.rows(&agents, &all.0, &all.1), [1, 2, 0]);
        board.reversed = true;
        assert_eq!(board.rows(&agents, &all.0, &all.1), [2, 1, 0]);
        // `s` moves on to FCR in its first order, the reversal dropped.
        board.next_sort();
        assert_eq!((board.sort, board.descending()), (SortCol::Fcr, false));
    }

    #[test]
    fn flagged_first_is_a_toggle_over_the_sort() {
        let mut names = Interner::default();
        let agents = [
            agent(&mut names, "a1", Some(100.0), false),
            agent(&mut names, "a2", Some(50.0), true),
        ];
        let mut board = AgentBoard {
            sort: SortCol::Aht,
            ..AgentBoard::default()
        };
        let (f, s) = (Filter::default(), Scope::default());
        assert_eq!(board.rows(&agents, &f, &s), [1, 0]);
        board.flagged_first = false;
        assert_eq!(board.rows(&agents, &f, &s), [0, 1]);
        // The scope of `a:` keeps one agent, by id or name.
        let only = Scope {
            agent: Some("a2".into()),
            ..Scope::default()
        };
        assert_eq!(board.rows(&agents, &f, &only), [1]);
    }

    #[test]
    fn the_shared_slot_follows_the_last_of_its_two_panes() {
        let mut board = AgentBoard::default();
        assert_eq!(board.slot, Pane::Spot);
        board.focused(Pane::Agents);
        board.focused(Pane::Queues);
        assert_eq!(board.slot, Pane::Agents);
        board.focused(Pane::Spot);
        assert_eq!(board.slot, Pane::Spot);
    }
}
