//! The people on the floor (spec section 8): per agent, the live state at
//! now, the window's KPIs of that agent's own contacts, the lead's QA of
//! them and the flags a lead should look at.
//!
//! Pure: the caller passes the floor, the window, now and the lead's stored
//! scorecards as plain [`QaEntry`] values. One pass over the contacts (the
//! agent of each contact found through a dense table by symbol index, no
//! hashing per contact), one over the window's surveys and one binary
//! search into each agent's sorted state events; FCR reads the shared
//! [`RepeatIndex`] like the floor KPIs do.
//!
//! Decisions where the spec is silent (also in docs/agents.md):
//! - An agent is keyed by id; two agents with the same name are two rows.
//!   `name` and `team` are the `agent` record's (null without one); the
//!   console shows the id where there is no name.
//! - An agent with no state event at or before now is `offline` with null
//!   `queue`, `since` and `in_state_s`. A state the spec does not know is
//!   kept as given.
//! - A contact counts for the agent named on it (the one who ended it, in
//!   the CRMs this was built for), transferred or not; a survey counts for
//!   the agent of its contact, so the survey of a transferred contact is
//!   the last agent's. A survey whose contact is not on the floor, or has
//!   no agent, counts for nobody.
//! - `qa` figures take the newest score of each contact (by `saved_at`).
//!   A score counts for the contact's agent on the floor (the feed may have
//!   reassigned it since it was sampled), in the window when the contact's
//!   `ended_at` is; a score whose contact is no longer on the floor counts
//!   for the agent stored with it, in the window when the local midnight of
//!   its sample day is. `avg` is out of 20 whatever the scorecard's scale
//!   (a total is scaled by 20 ÷ its best possible total). A scorecard with
//!   a critical error counts as 0 in `avg` (`domain::qa::ScoreTotal`, the
//!   one rule for every total shown or exported).
//! - `spot_left_today`: today's random-sample items listed under the agent
//!   whose contact has no score; without a store nothing is scored, so it
//!   is the agent's whole random sample of today.
//! - Flags use the KPI's own `alert` threshold and direction (spec section
//!   3): a KPI without an `alert` threshold never flags an agent.
//!   `break_over` needs more than `break_max_min` minutes in `break`
//!   (exactly the limit is not over); `qa_low` needs a `qa_avg` (at least
//!   one scored check) strictly below `qa_min`.

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::day_start;
use super::floor::Floor;
use super::intern::Sym;
use super::kpi::{RepeatIndex, occupancy_nanos};
use super::record::{AgentStateKind, Contact, Survey};
pub use super::settings::AgentRules;
use super::settings::{KpiKey, Settings, Status};
pub use super::snapshot::{
    AgentFigures, AgentFlag, AgentQa, AgentReport, AgentTally, CriticalCounts,
};
use super::snapshot::{KpiValue, SpotCheckItem, Window};
use super::time::{NANOS_PER_SEC, Ts};

impl AgentFlag {
    pub const ALL: [AgentFlag; 6] = [
        AgentFlag::BreakOver,
        AgentFlag::AhtOver,
        AgentFlag::FcrUnder,
        AgentFlag::CsatUnder,
        AgentFlag::CriticalError,
        AgentFlag::QaLow,
    ];

    /// The snapshot's name of the flag.
    pub fn key(self) -> &'static str {
        match self {
            AgentFlag::BreakOver => "break_over",
            AgentFlag::AhtOver => "aht_over",
            AgentFlag::FcrUnder => "fcr_under",
            AgentFlag::CsatUnder => "csat_under",
            AgentFlag::CriticalError => "critical_error",
            AgentFlag::QaLow => "qa_low",
        }
    }
}

impl Serialize for AgentFlag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

/// One scored spot check as the store keeps it, reduced to what the agent
/// figures need.
#[derive(Clone, Debug, PartialEq)]
pub struct QaEntry {
    pub contact: String,
    /// The agent id stored with the score (the contact's agent when sampled).
    pub agent: String,
    /// The local day the contact was sampled on.
    pub day: NaiveDate,
    /// The scorecard's total under the critical-error rule (a critical
    /// error voids it: `domain::qa::ScoreTotal`).
    pub score: super::qa::ScoreTotal,
    /// customer, business, compliance: `true` = the error was found.
    pub critical: [bool; 3],
    pub saved_at: Ts,
}

impl QaEntry {
    /// What the agent figures need of a stored scorecard.
    pub fn of(s: &super::scorecard::SpotScore) -> QaEntry {
        QaEntry {
            contact: s.contact.clone(),
            agent: s.agent.clone(),
            day: s.day,
            score: s.score_total(),
            critical: [
                s.critical_customer,
                s.critical_business,
                s.critical_compliance,
            ],
            saved_at: s.saved_at,
        }
    }
}

impl CriticalCounts {
    pub fn total(&self) -> u64 {
        self.customer + self.business + self.compliance
    }
}

impl AgentTally {
    pub fn add(&mut self, o: &AgentTally) {
        self.answered += o.answered;
        self.answer_nanos += o.answer_nanos;
        self.handled += o.handled;
        self.handle_s += o.handle_s;
        self.transferred += o.transferred;
        self.resolved_first += o.resolved_first;
        self.csat_n += o.csat_n;
        self.csat_satisfied += o.csat_satisfied;
        self.nps_n += o.nps_n;
        self.promoters += o.promoters;
        self.detractors += o.detractors;
        self.staffed_nanos += o.staffed_nanos;
        self.occupied_nanos += o.occupied_nanos;
    }

    /// The section 2 formulas over these sums.
    pub fn figures(&self) -> AgentFigures {
        let ratio = |num: f64, den: u64| KpiValue {
            value: (den > 0).then(|| num / den as f64),
            n: den as f64,
        };
        AgentFigures {
            handled: self.handled,
            aht_s: ratio(self.handle_s, self.handled),
            art_s: ratio(
                self.answer_nanos as f64 / NANOS_PER_SEC as f64,
                self.answered,
            ),
            fcr: ratio(self.resolved_first as f64, self.handled),
            transfer_rate: ratio(self.transferred as f64, self.handled),
            csat: ratio(self.csat_satisfied as f64, self.csat_n),
            nps: ratio(
                100.0 * (self.promoters as f64 - self.detractors as f64),
                self.nps_n,
            ),
            occupancy: KpiValue {
                value: (self.staffed_nanos > 0)
                    .then(|| self.occupied_nanos as f64 / self.staffed_nanos as f64),
                n: self.staffed_nanos as f64 / NANOS_PER_SEC as f64,
            },
        }
    }
}

impl AgentFigures {
    /// The figure of a KPI this view has (`None` for floor-only KPIs).
    pub fn get(&self, key: KpiKey) -> Option<KpiValue> {
        Some(match key {
            KpiKey::AhtS => self.aht_s,
            KpiKey::ArtS => self.art_s,
            KpiKey::Fcr => self.fcr,
            KpiKey::TransferRate => self.transfer_rate,
            KpiKey::Csat => self.csat,
            KpiKey::Nps => self.nps,
            KpiKey::Occupancy => self.occupancy,
            _ => return None,
        })
    }
}

impl AgentReport {
    /// The name to show: the record's name, else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    pub fn has(&self, flag: AgentFlag) -> bool {
        self.flags.contains(&flag)
    }
}

/// Slot per symbol index, grown on demand (`NONE` = not listed).
struct Slots {
    by_sym: Vec<u32>,
    syms: Vec<Sym>,
}

const NONE: u32 = u32::MAX;

impl Slots {
    fn new(capacity: usize) -> Slots {
        Slots {
            by_sym: vec![NONE; capacity],
            syms: Vec::new(),
        }
    }

    fn get(&self, s: Sym) -> Option<usize> {
        match self.by_sym.get(s.index()) {
            Some(&i) if i != NONE => Some(i as usize),
            _ => None,
        }
    }

    fn insert(&mut self, s: Sym) -> usize {
        if let Some(i) = self.get(s) {
            return i;
        }
        if self.by_sym.len() <= s.index() {
            self.by_sym.resize(s.index() + 1, NONE);
        }
        let i = self.syms.len();
        self.by_sym[s.index()] = u32::try_from(i).unwrap_or(NONE);
        self.syms.push(s);
        i
    }
}

/// Every agent of section 8 with live state and window figures; `qa` is
/// empty and `flags` holds the floor's flags until [`apply_qa`] adds the
/// lead's entries. Sorted by id. `index` is reused when it is current.
pub fn agent_board(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    now: Ts,
    index: Option<&RepeatIndex>,
) -> Vec<AgentReport> {
    let built;
    let customers = match index {
        Some(i) if i.is_current(floor, settings) => i,
        _ => {
            built = RepeatIndex::new(floor, settings);
            &built
        }
    };
    // Slots for every agent with a record, a state by now or a contact in
    // the window; listed are all but those whose only window contacts were
    // never handled.
    let mut slots = Slots::new(floor.names.len());
    for a in floor.agents() {
        slots.insert(a.id);
    }
    for (agent, events) in floor.agent_states() {
        if events.first().is_some_and(|e| e.at <= now) {
            slots.insert(agent);
        }
    }
    let known = slots.syms.len();
    let mut tallies = vec![AgentTally::default(); known];
    tally_contacts(floor, window, customers, &mut slots, &mut tallies);
    for (slot, &agent) in slots.syms.iter().enumerate() {
        let (staffed, occupied) = occupancy_nanos(floor.states_of(agent), window, now, None);
        tallies[slot].staffed_nanos = staffed;
        tallies[slot].occupied_nanos = occupied;
    }
    let listed = |i: usize, t: &AgentTally| i < known || t.handled > 0;
    let mut out: Vec<AgentReport> = slots
        .syms
        .iter()
        .zip(tallies)
        .enumerate()
        .filter(|(i, (_, t))| listed(*i, t))
        .map(|(_, (&sym, tally))| report_of(floor, sym, tally, now))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    let rules = settings.agents;
    for r in &mut out {
        r.flags = flags_of(r, settings, &rules);
    }
    out
}

/// Adds the window's contacts and surveys to their agents, in one pass:
/// an agent first met on a contact gets a slot (and a tally) there.
fn tally_contacts(
    floor: &Floor,
    window: Window,
    customers: &RepeatIndex,
    slots: &mut Slots,
    tallies: &mut Vec<AgentTally>,
) {
    for (slot, c) in floor.contacts_arriving(window.from, window.to) {
        let (Some(agent), Some(arrived)) = (c.agent, c.arrived_at) else {
            continue;
        };
        if !window.contains(arrived) {
            continue;
        }
        let i = slots.insert(agent);
        if i == tallies.len() {
            tallies.push(AgentTally::default());
        }
        tally_one(c, slot, customers, &mut tallies[i]);
    }
    let in_window = floor
        .surveys_at(window.from, window.to)
        .map(|(_, s)| s)
        .filter(|s| s.at.is_some_and(|at| window.contains(at)));
    with_contacts(floor, in_window, |s, c| {
        if let Some(i) = c.and_then(|c| c.agent).and_then(|a| slots.get(a)) {
            add_survey(&mut tallies[i], s.csat, s.nps);
        }
    });
}

/// Calls `f` with each survey of `surveys`, in their order, and its
/// contact on the floor (`None`: no contact, or one the floor does not
/// know), the contacts looked up a batch at a time
/// ([`Floor::contacts_batch`]).
fn with_contacts<'a>(
    floor: &'a Floor,
    surveys: impl Iterator<Item = &'a Survey>,
    mut f: impl FnMut(&'a Survey, Option<&'a Contact>),
) {
    const BATCH: usize = 16;
    let mut batch: [Option<&Survey>; BATCH] = [None; BATCH];
    let mut flush = |batch: &[Option<&'a Survey>; BATCH]| {
        let ids = batch.map(|s| s.and_then(|s| s.contact.as_deref()));
        let found = floor.contacts_batch(ids);
        for (s, c) in batch.iter().zip(found) {
            if let Some(s) = s {
                f(s, c);
            }
        }
    };
    let mut len = 0;
    for s in surveys {
        batch[len] = Some(s);
        len += 1;
        if len == BATCH {
            flush(&batch);
            batch = [None; BATCH];
            len = 0;
        }
    }
    if len > 0 {
        flush(&batch);
    }
}

fn report_of(floor: &Floor, sym: Sym, tally: AgentTally, now: Ts) -> AgentReport {
    let record = floor.agent(sym);
    let events = floor.states_of(sym);
    let latest = super::kpi::up_to(events, now).last();
    let (state, queue, since) = match latest {
        Some(e) => (
            e.state().as_str(&floor.names).to_string(),
            e.queue.map(|q| floor.names.resolve(q).to_string()),
            Some(e.at),
        ),
        None => ("offline".to_string(), None, None),
    };
    AgentReport {
        id: floor.names.resolve(sym).to_string(),
        name: record.and_then(|a| a.name.as_deref()).map(str::to_string),
        team: record.and_then(|a| a.team.as_deref()).map(str::to_string),
        state,
        queue,
        since,
        in_state_s: since.map(|s| now.secs_since(s)),
        figures: tally.figures(),
        qa: AgentQa::default(),
        flags: Vec::new(),
        sym,
        tally,
    }
}

/// Whether a figure with enough `n` is on the alert side of its KPI's
/// `alert` threshold.
fn alerting(settings: &Settings, key: KpiKey, v: KpiValue, min_n: u64) -> bool {
    let Some(value) = v.value else { return false };
    if v.n < min_n as f64 {
        return false;
    }
    settings
        .target(key)
        .is_some_and(|t| t.alert.is_some() && t.status(value) == Status::Alert)
}

/// The flags of one agent, in [`AgentFlag::ALL`] order.
pub fn flags_of(r: &AgentReport, settings: &Settings, rules: &AgentRules) -> Vec<AgentFlag> {
    let f = &r.figures;
    let on_break = r.state == AgentStateKind::Break.known_str().unwrap_or("break");
    let break_limit_s = f64::from(rules.break_max_min) * 60.0;
    AgentFlag::ALL
        .into_iter()
        .filter(|flag| match flag {
            AgentFlag::BreakOver => on_break && r.in_state_s.is_some_and(|s| s > break_limit_s),
            AgentFlag::AhtOver => alerting(settings, KpiKey::AhtS, f.aht_s, rules.min_n),
            AgentFlag::FcrUnder => alerting(settings, KpiKey::Fcr, f.fcr, rules.min_n),
            AgentFlag::CsatUnder => alerting(settings, KpiKey::Csat, f.csat, rules.min_n),
            AgentFlag::CriticalError => r.qa.critical_errors.total() > 0,
            AgentFlag::QaLow => r.qa.avg.is_some_and(|a| a < rules.qa_min),
        })
        .collect()
}

/// Where and for whom a score counts: the contact's agent and `ended_at`
/// on the floor, else the stored agent and the sample day's local midnight.
fn score_place(floor: &Floor, settings: &Settings, e: &QaEntry) -> (String, Option<Ts>) {
    match floor.contact(&e.contact) {
        Some(c) => (
            c.agent
                .map_or_else(|| e.agent.clone(), |a| floor.names.resolve(a).to_string()),
            c.ended_at,
        ),
        None => (e.agent.clone(), Some(day_start(e.day, settings.timezone))),
    }
}

/// The newest entry of each contact (by `saved_at`, later in the list on a tie).
pub fn newest_per_contact(entries: &[QaEntry]) -> Vec<&QaEntry> {
    let mut best: std::collections::HashMap<&str, &QaEntry> = std::collections::HashMap::new();
    for e in entries {
        let keep = best
            .get(e.contact.as_str())
            .is_none_or(|old| e.saved_at >= old.saved_at);
        if keep {
            best.insert(e.contact.as_str(), e);
        }
    }
    let mut out: Vec<&QaEntry> = best.into_values().collect();
    out.sort_by(|a, b| a.contact.cmp(&b.contact));
    out
}

/// Fills `qa` of every agent from the lead's scores (`entries`: at least
/// those of the window's days and of today) and today's random sample, and
/// recomputes the flags.
pub fn apply_qa(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    agents: &mut [AgentReport],
    entries: &[QaEntry],
    today_random: &[SpotCheckItem],
) {
    let by_id: std::collections::HashMap<&str, usize> = agents
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut qa: Vec<AgentQa> = vec![AgentQa::default(); agents.len()];
    let mut sums = vec![0.0f64; agents.len()];
    let newest = newest_per_contact(entries);
    for e in &newest {
        let (agent, at) = score_place(floor, settings, e);
        if !at.is_some_and(|t| window.contains(t)) {
            continue;
        }
        let Some(&i) = by_id.get(agent.as_str()) else {
            continue;
        };
        let q = &mut qa[i];
        q.checked += 1;
        // A voided scorecard (critical error) counts as 0.
        if let Some(v) = e.score.out_of_20() {
            sums[i] += v;
        }
        let [customer, business, compliance] = e.critical;
        q.critical_errors.customer += u64::from(customer);
        q.critical_errors.business += u64::from(business);
        q.critical_errors.compliance += u64::from(compliance);
    }
    let scored: std::collections::HashSet<&str> =
        newest.iter().map(|e| e.contact.as_str()).collect();
    for item in today_random {
        if scored.contains(item.contact.as_str()) {
            continue;
        }
        if let Some(&i) = by_id.get(item.agent.as_str()) {
            qa[i].spot_left_today += 1;
        }
    }
    for (i, (a, mut q)) in agents.iter_mut().zip(qa).enumerate() {
        q.avg = (q.checked > 0).then(|| sums[i] / q.checked as f64);
        a.qa = q;
        a.flags = flags_of(a, settings, &settings.agents);
    }
}

/// A team's (or any group's) figures: the members' sums added up.
pub fn group_figures<'a>(members: impl IntoIterator<Item = &'a AgentReport>) -> AgentFigures {
    let mut t = AgentTally::default();
    for m in members {
        t.add(&m.tally);
    }
    t.figures()
}

/// One agent's figures over each of `windows` (sorted, not overlapping), in
/// one pass: the coaching view's hour-by-hour sparklines and daily trend.
pub fn agent_series(
    floor: &Floor,
    settings: &Settings,
    agent: Sym,
    windows: &[Window],
    now: Ts,
    index: Option<&RepeatIndex>,
) -> Vec<AgentFigures> {
    let built;
    let customers = match index {
        Some(i) if i.is_current(floor, settings) => i,
        _ => {
            built = RepeatIndex::new(floor, settings);
            &built
        }
    };
    let bucket = |t: Ts| -> Option<usize> {
        let i = windows.partition_point(|w| w.from <= t).checked_sub(1)?;
        windows[i].contains(t).then_some(i)
    };
    let mut tallies = vec![AgentTally::default(); windows.len()];
    // Nothing outside the windows' span lands in one: only the blocks that
    // can hold something of that span are read.
    let (Some(from), Some(to)) = (
        windows.iter().map(|w| w.from).min(),
        windows.iter().map(|w| w.to).max(),
    ) else {
        return Vec::new();
    };
    for (slot, c) in floor.contacts_arriving(from, to) {
        if c.agent != Some(agent) {
            continue;
        }
        let Some(i) = c.arrived_at.and_then(bucket) else {
            continue;
        };
        tally_one(c, slot, customers, &mut tallies[i]);
    }
    let in_windows = floor
        .surveys_at(from, to)
        .map(|(_, s)| s)
        .filter(|s| s.at.and_then(bucket).is_some());
    with_contacts(floor, in_windows, |s, c| {
        if c.is_some_and(|c| c.agent == Some(agent))
            && let Some(i) = s.at.and_then(bucket)
        {
            add_survey(&mut tallies[i], s.csat, s.nps);
        }
    });
    for (t, w) in tallies.iter_mut().zip(windows) {
        let (staffed, occupied) = occupancy_nanos(floor.states_of(agent), *w, now, None);
        t.staffed_nanos = staffed;
        t.occupied_nanos = occupied;
    }
    tallies.iter().map(AgentTally::figures).collect()
}

/// The feedback items "of" an agent: the feed's feedback has no contact,
/// so an item counts for the agent of its customer's latest contact that
/// arrived at or before the item was received (an item without customer
/// or time counts for nobody). Ids in the floor's order.
pub fn feedback_of_agent(floor: &Floor, agent: Sym) -> Vec<String> {
    let contacts = floor.contacts();
    floor
        .feedback()
        .iter()
        .filter(|f| {
            let (Some(customer), Some(at)) = (f.customer, f.received_at) else {
                return false;
            };
            let list = floor.contacts_of_customer(customer);
            let before = list.partition_point(|(t, _)| *t <= at);
            before
                .checked_sub(1)
                .and_then(|i| contacts.get(list[i].1 as usize))
                .is_some_and(|c| c.agent == Some(agent))
        })
        .map(|f| f.id.to_string())
        .collect()
}

/// Days in the coaching view's trend and list of scored checks, today included.
pub const COACH_DAYS: i64 = 14;

/// What the coaching view of one agent needs beyond the snapshot's row:
/// the agent's figures hour by hour and day by day, and the feedback items
/// of the agent's customers ([`feedback_of_agent`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Coaching {
    /// The agent's id.
    pub agent: String,
    /// One entry per hour, bucket 0 starting at `hourly_from`.
    pub hourly_from: Ts,
    pub hourly: Vec<AgentFigures>,
    /// The last days, oldest first, today last.
    pub days: Vec<(NaiveDate, AgentFigures)>,
    pub feedback: Vec<String>,
}

/// The coaching figures of `agent` (an id on the floor; `None` when the
/// floor does not know it): `hours` and `days` are consecutive windows.
pub fn coaching(
    floor: &Floor,
    settings: &Settings,
    agent: &str,
    hours: &[Window],
    days: &[(NaiveDate, Window)],
    now: Ts,
) -> Option<Coaching> {
    let sym = floor.names.lookup(agent)?;
    let index = RepeatIndex::new(floor, settings);
    let hourly = agent_series(floor, settings, sym, hours, now, Some(&index));
    let day_windows: Vec<Window> = days.iter().map(|(_, w)| *w).collect();
    let daily = agent_series(floor, settings, sym, &day_windows, now, Some(&index));
    Some(Coaching {
        agent: agent.to_string(),
        hourly_from: hours.first().map_or(now, |w| w.from),
        hourly,
        days: days.iter().map(|(d, _)| *d).zip(daily).collect(),
        feedback: feedback_of_agent(floor, sym),
    })
}

/// Adds one contact of the window (arrived in it) to its agent's sums.
pub(crate) fn tally_one(
    c: &super::record::Contact,
    slot: usize,
    customers: &RepeatIndex,
    t: &mut AgentTally,
) {
    let (Some(arrived), Some(answered)) = (c.arrived_at, c.answered_at) else {
        return;
    };
    t.answered += 1;
    t.answer_nanos += i128::from(answered.since(arrived));
    if c.ended_at.is_none() {
        return;
    }
    t.handled += 1;
    t.handle_s += c.handle_s();
    if c.transfers >= 1 {
        t.transferred += 1;
    }
    if c.resolved && !customers.get(slot).1 {
        t.resolved_first += 1;
    }
}

pub(crate) fn add_survey(t: &mut AgentTally, csat: Option<f64>, nps: Option<f64>) {
    if let Some(score) = csat {
        t.csat_n += 1;
        if score >= 4.0 {
            t.csat_satisfied += 1;
        }
    }
    if let Some(score) = nps {
        t.nps_n += 1;
        if score >= 9.0 {
            t.promoters += 1;
        } else if score <= 6.0 {
            t.detractors += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::AgentStateKind::*;
    use crate::domain::record::{Agent, Record};
    use crate::domain::settings::Target;
    use crate::domain::testkit::*;

    /// 09:00–17:00 on 2026-11-22 (UTC), now 12:00.
    fn window() -> Window {
        Window {
            from: t("09:00:00"),
            to: t("17:00:00"),
        }
    }

    fn now() -> Ts {
        t("12:00:00")
    }

    fn agent(b: &mut Builder, id: &str, name: &str, team: &str) {
        let id = b.sym(id);
        b.floor.apply(Record::Agent(Agent {
            id,
            name: Some(name.into()),
            team: Some(team.into()),
        }));
    }

    #[allow(clippy::too_many_arguments)]
    fn handled(
        b: &mut Builder,
        id: &str,
        agent: &str,
        customer: &str,
        arrived: &str,
        answered: &str,
        ended: Option<&str>,
        handle: (f64, f64, f64),
        transfers: u16,
        resolved: bool,
    ) {
        let mut c = contact(id);
        c.agent = Some(b.sym(agent));
        c.customer = Some(b.sym(customer));
        c.queue = Some(b.sym("q1"));
        c.arrived_at = Some(t(arrived));
        c.answered_at = Some(t(answered));
        c.ended_at = ended.map(t);
        (c.talk_s, c.hold_s, c.wrap_s) = handle;
        c.transfers = transfers;
        c.resolved = resolved;
        b.apply_contact(c);
    }

    /// The hand-made floor of the tests (figures worked out in each test).
    fn floor() -> Builder {
        let mut b = Builder::new();
        agent(&mut b, "a1", "Li Wei", "T1");
        agent(&mut b, "a2", "Li Wei", "T2");
        agent(&mut b, "a3", "Idle", "T1");
        // a1: c1 plain, c2 transferred and followed by c3 (same customer,
        // 1 h later), c4 answered but not ended.
        handled(
            &mut b,
            "c1",
            "a1",
            "x1",
            "09:00:00",
            "09:00:10",
            Some("09:05:00"),
            (200.0, 20.0, 40.0),
            0,
            true,
        );
        handled(
            &mut b,
            "c2",
            "a1",
            "x2",
            "10:00:00",
            "10:00:30",
            Some("10:10:00"),
            (300.0, 0.0, 60.0),
            1,
            true,
        );
        handled(
            &mut b,
            "c3",
            "a2",
            "x2",
            "11:00:00",
            "11:00:05",
            Some("11:04:00"),
            (100.0, 0.0, 0.0),
            0,
            false,
        );
        handled(
            &mut b,
            "c4",
            "a1",
            "x4",
            "10:30:00",
            "10:30:20",
            None,
            (0.0, 0.0, 0.0),
            0,
            true,
        );
        // Abandoned with an agent on it: counts nowhere.
        let mut ab = contact("c5");
        ab.agent = Some(b.sym("a1"));
        ab.arrived_at = Some(t("11:00:00"));
        ab.abandoned_at = Some(t("11:00:40"));
        b.apply_contact(ab);
        // a6 handled only a contact that arrived before the window: not listed.
        handled(
            &mut b,
            "c6",
            "a6",
            "x6",
            "08:00:00",
            "08:00:05",
            Some("09:10:00"),
            (60.0, 0.0, 0.0),
            0,
            true,
        );
        // a7: no record, no state, one handled contact in the window.
        handled(
            &mut b,
            "c7",
            "a7",
            "x7",
            "16:00:00",
            "16:00:01",
            Some("16:01:00"),
            (59.0, 0.0, 0.0),
            0,
            true,
        );
        // Surveys: of the transferred c2 (two), of c3, and one before the window.
        b.survey("s1", "c2", "10:20:00", Some(5.0), Some(10.0))
            .survey("s4", "c2", "10:30:00", Some(3.0), Some(7.0))
            .survey("s2", "c3", "11:10:00", Some(2.0), Some(3.0))
            .survey("s3", "c1", "08:00:00", Some(1.0), Some(0.0));
        b.state_in("a1", Busy, "08:30:00", Some("q1"))
            .state_in("a1", Wrap, "09:05:00", Some("q1"))
            .state_in("a1", Available, "09:10:00", Some("q1"))
            .state_in("a1", Break, "11:30:00", None)
            .state_in("a2", Busy, "11:00:00", Some("q2"))
            // a4: only state before the window; a5: only state after now.
            .state_in("a4", Available, "07:00:00", Some("q1"))
            .state_in("a5", Available, "13:00:00", None);
        b
    }

    fn board(b: &Builder, settings: &Settings) -> Vec<AgentReport> {
        agent_board(&b.floor, settings, window(), now(), None)
    }

    fn find<'a>(r: &'a [AgentReport], id: &str) -> &'a AgentReport {
        r.iter().find(|a| a.id == id).expect("agent listed")
    }

    #[test]
    fn lists_records_states_by_now_and_handled_contacts_in_the_window() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let ids: Vec<&str> = r.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a1", "a2", "a3", "a4", "a7"]);
    }

    #[test]
    fn agents_with_the_same_name_stay_apart() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let (a1, a2) = (find(&r, "a1"), find(&r, "a2"));
        assert_eq!(a1.name.as_deref(), Some("Li Wei"));
        assert_eq!(a2.name.as_deref(), Some("Li Wei"));
        assert_eq!(
            (a1.team.as_deref(), a2.team.as_deref()),
            (Some("T1"), Some("T2"))
        );
        assert_eq!((a1.figures.handled, a2.figures.handled), (2, 1));
    }

    #[test]
    fn window_figures_of_one_agent() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let a1 = &find(&r, "a1").figures;
        // Answered c1, c2, c4 after 10, 30 and 20 s.
        assert_eq!(
            a1.art_s,
            KpiValue {
                value: Some(20.0),
                n: 3.0
            }
        );
        // Handled c1 (260 s) and c2 (360 s).
        assert_eq!(
            a1.aht_s,
            KpiValue {
                value: Some(310.0),
                n: 2.0
            }
        );
        assert_eq!(a1.transfer_rate.value, Some(0.5));
        // c2's customer came back an hour later (c3): only c1 is resolved first time.
        assert_eq!(
            a1.fcr,
            KpiValue {
                value: Some(0.5),
                n: 2.0
            }
        );
        let a2 = &find(&r, "a2").figures;
        assert_eq!(
            a2.fcr,
            KpiValue {
                value: Some(0.0),
                n: 1.0
            }
        );
        assert_eq!(a2.aht_s.value, Some(100.0));
    }

    #[test]
    fn surveys_of_a_transferred_contact_count_for_its_agent() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let a1 = &find(&r, "a1").figures;
        // s1 (5, 10) and s4 (3, 7) of c2; s3 of c1 is before the window.
        assert_eq!(
            a1.csat,
            KpiValue {
                value: Some(0.5),
                n: 2.0
            }
        );
        assert_eq!(
            a1.nps,
            KpiValue {
                value: Some(50.0),
                n: 2.0
            }
        );
        let a2 = &find(&r, "a2").figures;
        assert_eq!(
            a2.csat,
            KpiValue {
                value: Some(0.0),
                n: 1.0
            }
        );
        assert_eq!(
            a2.nps,
            KpiValue {
                value: Some(-100.0),
                n: 1.0
            }
        );
    }

    #[test]
    fn live_state_and_occupancy_from_the_agents_own_events() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let a1 = find(&r, "a1");
        assert_eq!((a1.state.as_str(), a1.queue.as_deref()), ("break", None));
        assert_eq!(
            (a1.since, a1.in_state_s),
            (Some(t("11:30:00")), Some(1800.0))
        );
        // From 09:00: busy 5 min, wrap 5 min, available 140 min, then break.
        assert_eq!(a1.figures.occupancy.n, 9000.0);
        assert_eq!(a1.figures.occupancy.value, Some(600.0 / 9000.0));
        let a2 = find(&r, "a2");
        assert_eq!(
            (a2.state.as_str(), a2.queue.as_deref()),
            ("busy", Some("q2"))
        );
        assert_eq!(
            a2.figures.occupancy,
            KpiValue {
                value: Some(1.0),
                n: 3600.0
            }
        );
    }

    #[test]
    fn an_agent_with_no_contacts_is_all_null() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let a3 = find(&r, "a3");
        assert_eq!(
            (a3.state.as_str(), a3.since, a3.in_state_s),
            ("offline", None, None)
        );
        assert_eq!(a3.figures.handled, 0);
        for k in [
            KpiKey::AhtS,
            KpiKey::ArtS,
            KpiKey::Fcr,
            KpiKey::TransferRate,
            KpiKey::Csat,
            KpiKey::Nps,
            KpiKey::Occupancy,
        ] {
            let v = a3.figures.get(k).expect("agent KPI");
            assert_eq!((v.value, v.n), (None, 0.0), "{k:?}");
        }
        assert!(a3.flags.is_empty());
        let json = serde_json::to_value(a3).expect("json");
        assert_eq!(json["aht_s"], serde_json::json!({"value": null, "n": 0.0}));
        assert_eq!(json["qa"]["avg"], serde_json::Value::Null);
    }

    #[test]
    fn an_agent_whose_only_state_is_before_the_window() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let a4 = find(&r, "a4");
        assert_eq!(
            (a4.state.as_str(), a4.queue.as_deref()),
            ("available", Some("q1"))
        );
        assert_eq!(a4.in_state_s, Some(5.0 * 3600.0));
        // Available from 09:00 (the window's start) to now: staffed, never occupied.
        assert_eq!(
            a4.figures.occupancy,
            KpiValue {
                value: Some(0.0),
                n: 3.0 * 3600.0
            }
        );
        assert_eq!(a4.figures.handled, 0);
        // a7 has a contact but no state: offline, no occupancy.
        let a7 = find(&r, "a7");
        assert_eq!((a7.state.as_str(), a7.figures.handled), ("offline", 1));
        assert_eq!(a7.figures.occupancy.value, None);
    }

    #[test]
    fn break_over_is_strictly_longer_than_the_limit() {
        let b = floor();
        let mut s = Settings::default();
        assert!(find(&board(&b, &s), "a1").has(AgentFlag::BreakOver));
        s.agents.break_max_min = 30;
        // Exactly 30 minutes on break: not over.
        assert!(!find(&board(&b, &s), "a1").has(AgentFlag::BreakOver));
        s.agents.break_max_min = 29;
        assert!(find(&board(&b, &s), "a1").has(AgentFlag::BreakOver));
    }

    #[test]
    fn kpi_flags_need_min_n_and_an_alert_threshold() {
        let b = floor();
        let mut s = Settings::default();
        // AHT 310 s > 270 s, but n = 2 < 10.
        assert!(!find(&board(&b, &s), "a1").has(AgentFlag::AhtOver));
        s.agents.min_n = 2;
        let r = board(&b, &s);
        assert!(find(&r, "a1").has(AgentFlag::AhtOver));
        // Spec section 3's defaults: FCR alerts below 0.75, CSAT below 0.82.
        // a1: FCR 1 of 2 handled (c2 is followed by c3) = 0.5, CSAT 1 of 2
        // surveys (5 and 3) = 0.5, both with n = 2: flagged. a2's FCR 0/1 and
        // CSAT 0/1 have n = 1 < 2: not flagged.
        assert_eq!(
            find(&r, "a1").flags,
            [
                AgentFlag::BreakOver,
                AgentFlag::AhtOver,
                AgentFlag::FcrUnder,
                AgentFlag::CsatUnder
            ]
        );
        assert!(find(&r, "a2").flags.is_empty());
        // A KPI without an alert threshold never flags.
        s.targets[KpiKey::Fcr.index()].as_mut().expect("fcr").alert = None;
        s.targets[KpiKey::Csat.index()]
            .as_mut()
            .expect("csat")
            .alert = None;
        let r = board(&b, &s);
        assert_eq!(
            find(&r, "a1").flags,
            [AgentFlag::BreakOver, AgentFlag::AhtOver]
        );
        s.agents.min_n = 1;
        let higher = |target, alert| {
            Some(Target {
                target,
                warn: None,
                alert: Some(alert),
                direction: crate::domain::Direction::Higher,
            })
        };
        s.targets[KpiKey::Fcr.index()] = higher(0.85, 0.5);
        s.targets[KpiKey::Csat.index()] = higher(0.88, 0.5);
        let r = board(&b, &s);
        // a1's FCR and CSAT are 0.5, exactly the alert threshold: not beyond it.
        assert_eq!(
            find(&r, "a1").flags,
            [AgentFlag::BreakOver, AgentFlag::AhtOver]
        );
        assert_eq!(
            find(&r, "a2").flags,
            [AgentFlag::FcrUnder, AgentFlag::CsatUnder]
        );
    }

    fn entry(
        contact: &str,
        agent: &str,
        raw: u32,
        best: u32,
        critical: [bool; 3],
        saved: &str,
    ) -> QaEntry {
        QaEntry {
            contact: contact.into(),
            agent: agent.into(),
            day: NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
            score: crate::domain::qa::ScoreTotal {
                raw,
                max: best,
                critical: critical.iter().map(|&c| u32::from(c)).sum(),
            },
            critical,
            saved_at: t(saved),
        }
    }

    #[test]
    fn qa_takes_the_newest_score_of_contacts_ended_in_the_window() {
        let b = floor();
        let s = Settings::default();
        let mut r = board(&b, &s);
        let entries = [
            entry("c1", "a1", 12, 20, [true, false, false], "12:00:00"),
            // c2 scored twice: the newer 18 counts, the older 10 does not.
            entry("c2", "a1", 18, 20, [false; 3], "11:00:00"),
            entry("c2", "a1", 10, 20, [false, false, true], "10:00:00"),
            // c3 was a1's when sampled; the floor says a2 now.
            entry("c3", "a1", 25, 25, [false, true, false], "11:30:00"),
            // c6 ended in the window but its agent is not listed.
            entry("c6", "a6", 5, 20, [true; 3], "11:00:00"),
            // Not on the floor: its sample day starts before 09:00.
            entry("gone", "a2", 4, 20, [true; 3], "11:00:00"),
        ];
        let random = [
            pick("c1", "a1"),
            pick("c9", "a1"),
            pick("c8", "a2"),
            pick("c3", "a2"),
        ];
        apply_qa(&b.floor, &s, window(), &mut r, &entries, &random);
        let a1 = find(&r, "a1");
        // c1's 12 has a customer error: void, 0. c2's newest 18 is clean.
        // (0 + 18) / 2 = 9.0, below qa_min 14: qa_low.
        assert_eq!((a1.qa.checked, a1.qa.avg), (2, Some(9.0)));
        assert_eq!(
            a1.qa.critical_errors,
            CriticalCounts {
                customer: 1,
                business: 0,
                compliance: 0
            }
        );
        assert_eq!(a1.qa.spot_left_today, 1);
        assert_eq!(
            a1.flags,
            [
                AgentFlag::BreakOver,
                AgentFlag::CriticalError,
                AgentFlag::QaLow
            ]
        );
        // c3 at 25 of 25 has a business error: void, 0 of 20.
        let a2 = find(&r, "a2");
        assert_eq!((a2.qa.checked, a2.qa.avg), (1, Some(0.0)));
        assert_eq!(a2.qa.critical_errors.business, 1);
        assert_eq!(a2.qa.spot_left_today, 1);
        let json = serde_json::to_value(a1).expect("json");
        assert_eq!(
            json["qa"],
            serde_json::json!({"checked": 2, "avg": 9.0,
                "critical_errors": {"customer": 1, "business": 0, "compliance": 0},
                "spot_left_today": 1})
        );
        assert_eq!(
            json["flags"],
            serde_json::json!(["break_over", "critical_error", "qa_low"])
        );
    }

    #[test]
    fn qa_low_and_scores_of_contacts_gone_from_the_floor() {
        let b = floor();
        let mut s = Settings::default();
        s.agents.qa_min = 16.0;
        let day = Window {
            from: t("00:00:00"),
            to: t("2026-11-23T00:00:00Z"),
        };
        let mut r = agent_board(&b.floor, &s, day, now(), None);
        let entries = [
            entry("c1", "a1", 15, 20, [false; 3], "12:00:00"),
            entry("gone", "a2", 16, 20, [false; 3], "11:00:00"),
        ];
        apply_qa(&b.floor, &s, day, &mut r, &entries, &[]);
        assert!(find(&r, "a1").has(AgentFlag::QaLow));
        // 16 is not below 16; the score counts on its sample day for its stored agent.
        let a2 = find(&r, "a2");
        assert_eq!((a2.qa.checked, a2.qa.avg), (1, Some(16.0)));
        assert!(!a2.has(AgentFlag::QaLow));
        // Nothing scored: no average, no qa_low.
        assert!(!find(&r, "a3").has(AgentFlag::QaLow));
    }

    #[test]
    fn team_figures_add_up_the_members_sums() {
        let b = floor();
        let r = board(&b, &Settings::default());
        let both = group_figures(r.iter().filter(|a| a.id == "a1" || a.id == "a2"));
        // Three handled: 260 + 360 + 100.
        assert_eq!(
            both.aht_s,
            KpiValue {
                value: Some(240.0),
                n: 3.0
            }
        );
        assert_eq!(both.fcr.value, Some(1.0 / 3.0));
        let t1 = group_figures(r.iter().filter(|a| a.team.as_deref() == Some("T1")));
        assert_eq!(t1, find(&r, "a1").figures);
    }

    #[test]
    fn series_by_hour_match_the_board_over_each_hour() {
        let b = floor();
        let s = Settings::default();
        let hours: Vec<Window> = (9..12)
            .map(|h| Window {
                from: t(&format!("{h:02}:00:00")),
                to: t(&format!("{:02}:00:00", h + 1)),
            })
            .collect();
        let a1 = b.floor.names.lookup("a1").expect("a1");
        let series = agent_series(&b.floor, &s, a1, &hours, now(), None);
        assert_eq!(series.len(), 3);
        assert_eq!(series[0].aht_s.value, Some(260.0));
        assert_eq!(series[1].aht_s.value, Some(360.0));
        assert_eq!(series[1].art_s.n, 2.0);
        assert_eq!(series[2].handled, 0);
        for (w, got) in hours.iter().zip(&series) {
            let board = agent_board(&b.floor, &s, *w, now(), None);
            assert_eq!(find(&board, "a1").figures, *got, "{w:?}");
        }
    }
}
