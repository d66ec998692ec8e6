//! The window KPIs of spec section 2, computed in one pass over the contacts.
//!
//! `compute` is the whole floor, `compute_filtered` one queue and/or one
//! agent, `hourly` one `KpiSet` per hour of a day (the sparklines). All three
//! share one engine: a set of buckets over the window, one tally per bucket,
//! one walk over the customers' contact lists (repeat/FCR flags, one byte per
//! contact), one pass over contacts, one over surveys, and per agent a
//! binary search into the agent's sorted state events. Nothing is allocated
//! per contact and nothing is sorted.
//!
//! Exactness: instants are integer nanoseconds (`Ts`); the service-level and
//! repeat/FCR comparisons are integer comparisons, and the answer-time sum is
//! an `i128` of nanoseconds, so a contact answered exactly at the threshold
//! or a repeat exactly 48 h later is never lost to float rounding.
//!
//! Decisions where the spec is silent (also in the lead's report):
//! - A contact without `arrived_at` is never offered, so it is in no KPI.
//! - `contacts_per_agent_day`: the numerator is every handled contact (also
//!   those without an `agent`), as the spec's formula reads; `n` is the
//!   distinct agents. A window of zero or negative length gives `null`.
//! - Filters apply to the contact being counted (C), never to the contacts it
//!   is compared with: a queue's repeat rate still finds the customer's prior
//!   contact in another queue ("any channel, queue or outcome").
//! - Surveys follow their contact: with a filter, a survey counts only when
//!   its `contact` exists and passes the filter; without one, every survey.
//! - Occupancy under a filter: `agent` keeps that agent's states only;
//!   `queue` keeps only state intervals whose event names that queue (an
//!   event without `queue` is in no queue's occupancy).

use hashbrown::HashMap;

use super::floor::Floor;
use super::intern::Sym;
use super::record::{AgentStateKind, Contact, StateChange};
use super::settings::{KpiKey, Settings};
use super::snapshot::{KpiSet, KpiValue, Window};
use super::time::{NANOS_PER_SEC, Ts};

const HOUR_NANOS: i64 = 3600 * NANOS_PER_SEC;

/// Restricts KPIs to one queue and/or one agent; the default keeps everything.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct KpiFilter {
    pub queue: Option<Sym>,
    pub agent: Option<Sym>,
}

impl KpiFilter {
    pub fn is_everything(&self) -> bool {
        self.queue.is_none() && self.agent.is_none()
    }

    /// Whether a contact is one the filter keeps.
    pub fn admits(&self, c: &Contact) -> bool {
        self.queue.is_none_or(|q| c.queue == Some(q))
            && self.agent.is_none_or(|a| c.agent == Some(a))
    }
}

/// All KPIs of the floor over `window`; `now` only clips occupancy.
pub fn compute(floor: &Floor, settings: &Settings, window: Window, now: Ts) -> KpiSet {
    compute_filtered(floor, settings, window, now, &KpiFilter::default())
}

/// All KPIs over `window` for the contacts, surveys and agent states the filter keeps.
pub fn compute_filtered(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    now: Ts,
    filter: &KpiFilter,
) -> KpiSet {
    compute_with(floor, settings, window, now, filter, None)
}

/// `compute_filtered` reusing a [`RepeatIndex`] built once for this floor
/// (rebuilt here when it is stale or `None`).
pub fn compute_with(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    now: Ts,
    filter: &KpiFilter,
    index: Option<&RepeatIndex>,
) -> KpiSet {
    let grid = Grid::single(window);
    run(floor, settings, &grid, now, filter, index)
        .pop()
        .unwrap_or_else(|| Tally::default().finish(&window))
}

/// One `KpiSet` per hour of `day`, from `day.from`; the last bucket is cut at
/// `day.to` when the day is not a whole number of hours (e.g. a DST day is
/// simply 23 or 25 buckets). Bucket `i` equals `compute` over its own hour.
pub fn hourly(floor: &Floor, settings: &Settings, day: Window, now: Ts) -> Vec<KpiSet> {
    hourly_filtered(floor, settings, day, now, &KpiFilter::default())
}

/// `hourly` for the contacts, surveys and agent states the filter keeps.
pub fn hourly_filtered(
    floor: &Floor,
    settings: &Settings,
    day: Window,
    now: Ts,
    filter: &KpiFilter,
) -> Vec<KpiSet> {
    hourly_with(floor, settings, day, now, filter, None)
}

/// `hourly_filtered` reusing a [`RepeatIndex`] built once for this floor
/// (rebuilt here when it is stale or `None`).
pub fn hourly_with(
    floor: &Floor,
    settings: &Settings,
    day: Window,
    now: Ts,
    filter: &KpiFilter,
    index: Option<&RepeatIndex>,
) -> Vec<KpiSet> {
    let grid = Grid::hourly(day);
    run(floor, settings, &grid, now, filter, index)
}

/// Equal-width buckets over a window; the last one may be shorter.
struct Grid {
    from: Ts,
    to: Ts,
    width: i64,
    len: usize,
}

impl Grid {
    fn single(w: Window) -> Grid {
        let len = usize::from(w.to > w.from);
        Grid {
            from: w.from,
            to: w.to,
            width: w.to.since(w.from).max(1),
            len,
        }
    }

    fn hourly(w: Window) -> Grid {
        let span = w.to.since(w.from).max(0);
        let len = usize::try_from((span as u64).div_ceil(HOUR_NANOS as u64)).unwrap_or(0);
        Grid {
            from: w.from,
            to: w.to,
            width: HOUR_NANOS,
            len,
        }
    }

    fn bucket(&self, t: Ts) -> Option<usize> {
        if t < self.from || t >= self.to {
            return None;
        }
        if self.len == 1 {
            // The common case, without an integer division per contact.
            return Some(0);
        }
        let i = (t.since(self.from) / self.width) as usize;
        Some(i.min(self.len - 1))
    }

    fn window(&self, i: usize) -> Window {
        let from = self.from.add_nanos(self.width.saturating_mul(i as i64));
        let to = from.add_nanos(self.width).min(self.to);
        Window { from, to }
    }
}

/// Service-level thresholds of the recorded queues, nanoseconds.
pub(crate) struct SlThresholds {
    by_queue: HashMap<Sym, i64>,
    default: i64,
}

impl SlThresholds {
    pub(crate) fn of(floor: &Floor) -> SlThresholds {
        SlThresholds {
            by_queue: floor
                .queues()
                .iter()
                .map(|q| (q.id, floor.sl_threshold_nanos(Some(q.id))))
                .collect(),
            default: floor.sl_threshold_nanos(None),
        }
    }

    /// Same value as `Floor::sl_threshold_nanos`, without its two lookups.
    pub(crate) fn get(&self, queue: Option<Sym>) -> i64 {
        queue
            .and_then(|q| self.by_queue.get(&q).copied())
            .unwrap_or(self.default)
    }
}

/// A set of symbols as a bitset over `Sym::index()`, grown on demand.
#[derive(Default, Clone, Debug)]
pub(crate) struct SymSet {
    words: Vec<u64>,
    len: u64,
}

impl SymSet {
    pub(crate) fn insert(&mut self, s: Sym) {
        let (w, bit) = (s.index() / 64, 1u64 << (s.index() % 64));
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        if self.words[w] & bit == 0 {
            self.words[w] |= bit;
            self.len += 1;
        }
    }

    pub(crate) fn len(&self) -> u64 {
        self.len
    }
}

/// Whether a customer had a contact in `[at − window, at)` (so a contact at
/// `at` is a repeat) and one in `(at, at + window]` (so its FCR is broken),
/// from their sorted list (`Floor::contacts_of_customer`). Contacts at
/// exactly the same instant are neither (Δ must be > 0). For one contact;
/// the KPI pass uses [`RepeatIndex`], which gives the same answers for all.
pub fn customer_neighbours(list: &[(Ts, u32)], at: Ts, window_nanos: i64) -> (bool, bool) {
    let at_n = at.nanos();
    let before = list.partition_point(|e| e.0 < at);
    let repeat = before > 0 && list[before - 1].0.nanos() >= at_n.saturating_sub(window_nanos);
    let after = before + list[before..].partition_point(|e| e.0 <= at);
    let followed = after < list.len() && list[after].0.nanos() <= at_n.saturating_add(window_nanos);
    (repeat, followed)
}

/// For every contact, whether it is a repeat and whether a later contact
/// breaks its FCR (see [`customer_neighbours`]), for one state of the floor
/// and one FCR window.
///
/// Built by walking each customer's sorted list once and writing one byte
/// per contact, so the KPI pass reads these in contact order instead of a
/// hash lookup and a binary search per contact (two cache misses each, which
/// dominated a million-contact pass). Building it is still the costliest
/// part of a pass, so a caller computing several KPI sets from the same data
/// (the floor, each queue, the hourly sparkline) builds it once and hands it
/// to the `*_with` functions. A stale index (the floor changed since, or
/// another FCR window) is never used: those functions rebuild instead.
#[derive(Clone, Debug, PartialEq)]
pub struct RepeatIndex {
    flags: Vec<u8>,
    generation: u64,
    fcr_nanos: i64,
}

const REPEAT: u8 = 1;
const FOLLOWED: u8 = 2;

impl RepeatIndex {
    pub fn new(floor: &Floor, settings: &Settings) -> RepeatIndex {
        let window_nanos = settings.fcr_window_nanos();
        let mut flags = vec![0u8; floor.contacts().len()];
        // Each list is its own allocation, so reading it is a cache miss.
        // Touching a batch of lists before walking them lets those misses
        // overlap instead of queueing one after another.
        const BATCH: usize = 16;
        // A customer with one contact has no neighbours: skip without reading the list.
        let mut lists = floor
            .customer_contacts()
            .map(|(_, list)| list)
            .filter(|list| list.len() > 1);
        let mut batch: [&[(Ts, u32)]; BATCH] = [&[]; BATCH];
        loop {
            let mut len = 0;
            for list in lists.by_ref().take(BATCH) {
                batch[len] = list;
                len += 1;
            }
            if len == 0 {
                break;
            }
            let touched = batch[..len].iter().fold(0i64, |acc, list| {
                acc ^ list.first().map_or(0, |e| e.0.nanos())
            });
            std::hint::black_box(touched);
            for list in &batch[..len] {
                mark_customer(list, window_nanos, &mut flags);
            }
        }
        RepeatIndex {
            flags,
            generation: floor.generation,
            fcr_nanos: window_nanos,
        }
    }

    /// Brings an index built from an earlier state of `floor` up to date
    /// with `changes` (everything that changed in the floor's contacts since,
    /// see [`Floor::take_contact_changes`]): only the customers of the
    /// changed contacts are marked again, so an appended line costs its
    /// customer's few contacts, not the whole floor. Rebuilt whole when the
    /// changes overflowed or the FCR window is another.
    pub fn update(
        &mut self,
        floor: &Floor,
        settings: &Settings,
        changes: &crate::domain::floor::ContactChanges,
    ) {
        let window_nanos = settings.fcr_window_nanos();
        if changes.overflowed
            || self.fcr_nanos != window_nanos
            || self.flags.len() > floor.contacts().len()
        {
            *self = RepeatIndex::new(floor, settings);
            return;
        }
        self.flags.resize(floor.contacts().len(), 0);
        // A changed contact may have left its customer (or its arrival):
        // its flags start again from nothing, then its customers' lists
        // are marked again whole.
        for &slot in &changes.slots {
            if let Some(f) = self.flags.get_mut(slot as usize) {
                *f = 0;
            }
        }
        let mut customers = changes.customers.clone();
        customers.sort_unstable();
        customers.dedup();
        for cust in customers {
            let list = floor.contacts_of_customer(cust);
            for &(_, slot) in list {
                if let Some(f) = self.flags.get_mut(slot as usize) {
                    *f = 0;
                }
            }
            mark_customer(list, window_nanos, &mut self.flags);
        }
        self.generation = floor.generation;
    }

    /// Whether this index still describes `floor` (built from it, unchanged
    /// since) under `settings`' FCR window.
    pub fn is_current(&self, floor: &Floor, settings: &Settings) -> bool {
        self.generation == floor.generation
            && self.fcr_nanos == settings.fcr_window_nanos()
            && self.flags.len() == floor.contacts().len()
    }

    /// (repeat, followed within the FCR window) of the contact in slot
    /// `slot` of `Floor::contacts()`.
    pub fn get(&self, slot: usize) -> (bool, bool) {
        let bits = self.flags.get(slot).copied().unwrap_or(0);
        (bits & REPEAT != 0, bits & FOLLOWED != 0)
    }
}

/// Marks one customer's contacts. Contacts at the same instant share their
/// neighbours (Δ = 0 is neither a repeat nor a follow-up).
fn mark_customer(list: &[(Ts, u32)], window_nanos: i64, flags: &mut [u8]) {
    let mut run = 0;
    while run < list.len() {
        let at = list[run].0;
        let run_end = run + list[run..].iter().take_while(|e| e.0 == at).count();
        let repeat = run > 0 && at.since(list[run - 1].0) <= window_nanos;
        let followed = list
            .get(run_end)
            .is_some_and(|next| next.0.since(at) <= window_nanos);
        let bits = if repeat { REPEAT } else { 0 } | if followed { FOLLOWED } else { 0 };
        if bits != 0 {
            for &(_, slot) in &list[run..run_end] {
                if let Some(f) = flags.get_mut(slot as usize) {
                    *f = bits;
                }
            }
        }
        run = run_end;
    }
}

/// Counts for one bucket; turned into a `KpiSet` by `finish`.
#[derive(Default)]
struct Tally {
    offered: u64,
    answered: u64,
    abandoned: u64,
    handled: u64,
    within_sl: u64,
    answer_nanos: i128,
    handle_s: f64,
    transferred: u64,
    repeats: u64,
    first_contact_resolved: u64,
    agents: SymSet,
    csat_n: u64,
    csat_satisfied: u64,
    nps_n: u64,
    promoters: u64,
    detractors: u64,
    staffed_nanos: i128,
    occupied_nanos: i128,
}

struct Context<'a> {
    sl: SlThresholds,
    customers: &'a RepeatIndex,
}

impl Tally {
    fn add_contact(&mut self, c: &Contact, slot: usize, arrived: Ts, cx: &Context<'_>) {
        self.offered += 1;
        let mut handled = false;
        if let Some(answered) = c.answered_at {
            self.answered += 1;
            let wait = answered.since(arrived);
            self.answer_nanos += i128::from(wait);
            if wait <= cx.sl.get(c.queue) {
                self.within_sl += 1;
            }
            if c.ended_at.is_some() {
                handled = true;
                self.handled += 1;
                self.handle_s += c.handle_s();
                if c.transfers >= 1 {
                    self.transferred += 1;
                }
                if let Some(a) = c.agent {
                    self.agents.insert(a);
                }
            }
        } else if c.abandoned_at.is_some() {
            self.abandoned += 1;
        }
        // A contact without a customer is in no list: never a repeat, never followed.
        let (repeat, followed) = cx.customers.get(slot);
        if repeat {
            self.repeats += 1;
        }
        if handled && c.resolved && !followed {
            self.first_contact_resolved += 1;
        }
    }

    fn add_survey(&mut self, csat: Option<f64>, nps: Option<f64>) {
        if let Some(score) = csat {
            self.csat_n += 1;
            if score >= 4.0 {
                self.csat_satisfied += 1;
            }
        }
        if let Some(score) = nps {
            self.nps_n += 1;
            if score >= 9.0 {
                self.promoters += 1;
            } else if score <= 6.0 {
                self.detractors += 1;
            }
        }
    }

    fn finish(self, window: &Window) -> KpiSet {
        let ratio = |num: f64, den: u64| KpiValue {
            value: (den > 0).then(|| num / den as f64),
            n: den as f64,
        };
        let mut set = KpiSet::default();
        // A sum that overflowed is no figure: null, never `inf` (spec section 3).
        let mut put = |k: KpiKey, v: KpiValue| {
            set.0[k.index()] = KpiValue {
                value: v.value.filter(|x| x.is_finite()),
                ..v
            }
        };
        put(KpiKey::Csat, ratio(self.csat_satisfied as f64, self.csat_n));
        put(
            KpiKey::Nps,
            ratio(
                100.0 * (self.promoters as f64 - self.detractors as f64),
                self.nps_n,
            ),
        );
        put(
            KpiKey::Fcr,
            ratio(self.first_contact_resolved as f64, self.handled),
        );
        put(KpiKey::AhtS, ratio(self.handle_s, self.handled));
        put(
            KpiKey::ArtS,
            ratio(
                self.answer_nanos as f64 / NANOS_PER_SEC as f64,
                self.answered,
            ),
        );
        let reached = self.answered + self.abandoned;
        put(KpiKey::ServiceLevel, ratio(self.within_sl as f64, reached));
        put(KpiKey::AbandonRate, ratio(self.abandoned as f64, reached));
        put(
            KpiKey::TransferRate,
            ratio(self.transferred as f64, self.handled),
        );
        put(KpiKey::RepeatRate, ratio(self.repeats as f64, self.offered));
        let days = window.days();
        let agents = self.agents.len();
        put(
            KpiKey::ContactsPerAgentDay,
            KpiValue {
                value: (agents > 0 && days > 0.0)
                    .then(|| self.handled as f64 / agents as f64 / days),
                n: agents as f64,
            },
        );
        put(
            KpiKey::Occupancy,
            KpiValue {
                value: (self.staffed_nanos > 0)
                    .then(|| self.occupied_nanos as f64 / self.staffed_nanos as f64),
                n: self.staffed_nanos as f64 / NANOS_PER_SEC as f64,
            },
        );
        set
    }
}

fn run(
    floor: &Floor,
    settings: &Settings,
    grid: &Grid,
    now: Ts,
    filter: &KpiFilter,
    index: Option<&RepeatIndex>,
) -> Vec<KpiSet> {
    let mut tallies: Vec<Tally> = (0..grid.len).map(|_| Tally::default()).collect();
    if grid.len == 0 {
        return Vec::new();
    }
    let built;
    let customers = match index {
        Some(index) if index.is_current(floor, settings) => index,
        _ => {
            built = RepeatIndex::new(floor, settings);
            &built
        }
    };
    let cx = Context {
        sl: SlThresholds::of(floor),
        customers,
    };

    for (slot, c) in floor.contacts_arriving(grid.from, grid.to) {
        let Some(arrived) = c.arrived_at else {
            continue;
        };
        let Some(i) = grid.bucket(arrived) else {
            continue;
        };
        if filter.admits(c) {
            tallies[i].add_contact(c, slot, arrived, &cx);
        }
    }

    for (_, s) in floor.surveys_at(grid.from, grid.to) {
        let Some(i) = s.at.and_then(|at| grid.bucket(at)) else {
            continue;
        };
        if !filter.is_everything() {
            let contact = s.contact.as_deref().and_then(|id| floor.contact(id));
            if !contact.is_some_and(|c| filter.admits(c)) {
                continue;
            }
        }
        tallies[i].add_survey(s.csat, s.nps);
    }

    let mut add_agent = |events: &[StateChange]| {
        occupancy_by_bucket(events, grid, now, filter.queue, &mut tallies);
    };
    match filter.agent {
        Some(agent) => add_agent(floor.states_of(agent)),
        None => floor
            .agent_states()
            .for_each(|(_, events)| add_agent(events)),
    }

    tallies
        .into_iter()
        .enumerate()
        .map(|(i, t)| t.finish(&grid.window(i)))
        .collect()
}

/// The events at or before `now` (sorted by `at`). Usually all of them:
/// the last one is looked at first, instead of a binary search's dozen
/// cache misses.
pub(crate) fn up_to(events: &[StateChange], now: Ts) -> &[StateChange] {
    match events.last() {
        Some(last) if last.at > now => &events[..events.partition_point(|e| e.at <= now)],
        _ => events,
    }
}

/// [`occupancy_nanos`] of every bucket of `grid`, added to its tally, in
/// one walk over the agent's events instead of two binary searches and a
/// walk per bucket: each state's interval is cut at the bucket boundaries.
/// The sums are integers, so the order they are added in changes nothing.
fn occupancy_by_bucket(
    events: &[StateChange],
    grid: &Grid,
    now: Ts,
    queue: Option<Sym>,
    tallies: &mut [Tally],
) {
    let end = grid.to.min(now);
    if end <= grid.from || grid.len == 0 {
        return;
    }
    let events = up_to(events, now);
    // The state in force at `from` began at the last event at or before it.
    let first = events
        .partition_point(|e| e.at <= grid.from)
        .saturating_sub(1);
    for (i, e) in events.iter().enumerate().skip(first) {
        if e.at >= end {
            break;
        }
        if queue.is_some_and(|q| e.queue != Some(q)) {
            continue;
        }
        let occupied = match e.state() {
            AgentStateKind::Available => false,
            AgentStateKind::Busy | AgentStateKind::Wrap => true,
            // Break, offline and unknown states are not staffed time.
            _ => continue,
        };
        let until = events.get(i + 1).map_or(end, |next| next.at).min(end);
        let mut since = e.at.max(grid.from);
        if until <= since {
            continue;
        }
        let Some(mut b) = grid.bucket(since) else {
            continue;
        };
        loop {
            let to = grid.window(b).to.min(until);
            if to > since {
                let d = i128::from(to.since(since));
                tallies[b].staffed_nanos += d;
                if occupied {
                    tallies[b].occupied_nanos += d;
                }
            }
            if to >= until || b + 1 >= grid.len {
                break;
            }
            since = to;
            b += 1;
        }
    }
}

/// (staffed, busy + wrap) nanoseconds of one agent in `[from, min(to, now))`.
///
/// `events` are sorted by (`at`, feed order); each state lasts until the next
/// event, so of two events at the same instant the earlier lasts 0 ns. Events
/// after `now` are ignored; the last state before `now` runs until `now`.
/// With `queue`, only intervals whose event names that queue count.
pub(crate) fn occupancy_nanos(
    events: &[StateChange],
    window: Window,
    now: Ts,
    queue: Option<Sym>,
) -> (i128, i128) {
    let end = window.to.min(now);
    if end <= window.from {
        return (0, 0);
    }
    let events = up_to(events, now);
    // The state in force at `from` began at the last event at or before it.
    let first = events
        .partition_point(|e| e.at <= window.from)
        .saturating_sub(1);
    let (mut staffed, mut occupied) = (0i128, 0i128);
    for (i, e) in events.iter().enumerate().skip(first) {
        if e.at >= end {
            break;
        }
        if queue.is_some_and(|q| e.queue != Some(q)) {
            continue;
        }
        let until = events.get(i + 1).map_or(end, |next| next.at).min(end);
        let since = e.at.max(window.from);
        if until <= since {
            continue;
        }
        let d = i128::from(until.since(since));
        match e.state() {
            AgentStateKind::Available => staffed += d,
            AgentStateKind::Busy | AgentStateKind::Wrap => {
                staffed += d;
                occupied += d;
            }
            // Break, offline and unknown states are not staffed time.
            _ => {}
        }
    }
    (staffed, occupied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::AgentStateKind::*;
    use crate::domain::testkit::*;

    fn day() -> Window {
        Window {
            from: t("00:00:00"),
            to: t("2026-11-23T00:00:00Z"),
        }
    }

    fn value(set: &KpiSet, k: KpiKey) -> Option<f64> {
        set.get(k).value
    }

    #[test]
    fn empty_floor_is_all_null_never_nan() {
        let b = Builder::new();
        let set = compute(&b.floor, &Settings::default(), day(), t("12:00:00"));
        for k in KpiKey::ALL {
            assert_eq!(set.get(k).value, None, "{k:?}");
            assert_eq!(set.get(k).n, 0.0, "{k:?}");
        }
    }

    #[test]
    fn service_level_counts_exactly_at_the_threshold() {
        let mut b = Builder::new();
        b.call("a", "q", None, "09:00:00", Some("09:00:20"), None)
            .call(
                "b",
                "q",
                None,
                "09:00:00.000000001",
                Some("09:00:20.000000002"),
                None,
            )
            .call("c", "q", None, "09:00:00", None, None);
        let mut ab = contact("d");
        ab.arrived_at = Some(t("09:00:00"));
        ab.abandoned_at = Some(t("09:00:05"));
        b.apply_contact(ab);
        let set = compute(&b.floor, &Settings::default(), day(), t("23:00:00"));
        // a within (exactly 20 s), b 20 s + 1 ns late; d abandoned; c still ringing counts nowhere.
        assert_eq!(set.get(KpiKey::ServiceLevel).n, 3.0);
        assert_eq!(value(&set, KpiKey::ServiceLevel), Some(1.0 / 3.0));
        assert_eq!(value(&set, KpiKey::AbandonRate), Some(1.0 / 3.0));
        assert_eq!(set.get(KpiKey::RepeatRate).n, 4.0);
    }

    #[test]
    fn neighbours_use_an_inclusive_window_and_skip_same_instant() {
        let w = 48 * HOUR_NANOS;
        let at = t("2026-11-22T00:00:00Z");
        let list = [
            (at.add_nanos(-w), 0),
            (at, 1),
            (at, 2),
            (at.add_nanos(w + 1), 3),
        ];
        assert_eq!(customer_neighbours(&list, at, w), (true, false));
        let list = [(at.add_nanos(-w - 1), 0), (at, 1), (at.add_nanos(w), 2)];
        assert_eq!(customer_neighbours(&list, at, w), (false, true));
    }

    #[test]
    fn whole_floor_flags_agree_with_the_per_contact_search() {
        // Pseudo-random lists with many ties and gaps around the window.
        let w = 10;
        let mut seed: u64 = 7;
        for _ in 0..500 {
            let mut list = Vec::new();
            let mut at = 0i64;
            for slot in 0..(seed % 7) as u32 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                at += [0, 0, 5, 10, 11, 20][(seed >> 33) as usize % 6];
                list.push((Ts::from_nanos(at), slot));
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let mut flags = vec![0u8; list.len()];
            mark_customer(&list, w, &mut flags);
            let all = RepeatIndex {
                flags,
                generation: 0,
                fcr_nanos: w,
            };
            for &(at, slot) in &list {
                assert_eq!(
                    all.get(slot as usize),
                    customer_neighbours(&list, at, w),
                    "{list:?} at {at:?}"
                );
            }
        }
    }

    #[test]
    fn occupancy_clips_to_window_and_now_and_ignores_later_events() {
        let mut b = Builder::new();
        // busy 08:00 (before from) → available 10:00 → busy 11:00 → offline 13:00 (after now).
        b.state("ann", Busy, "08:00:00")
            .state("ann", Available, "10:00:00")
            .state("ann", Busy, "11:00:00")
            .state("ann", Offline, "13:00:00");
        let w = Window {
            from: t("09:00:00"),
            to: t("14:00:00"),
        };
        let set = compute(&b.floor, &Settings::default(), w, t("12:00:00"));
        // busy 09–10 (1 h), available 10–11 (1 h), busy 11–12 (1 h, clipped at now).
        let occ = set.get(KpiKey::Occupancy);
        assert_eq!(occ.n, 3.0 * 3600.0);
        assert_eq!(occ.value, Some(2.0 / 3.0));
    }

    #[test]
    fn surveys_follow_their_contact_under_a_filter() {
        let mut b = Builder::new();
        b.call("p", "phone", None, "09:00:00", None, None)
            .call("c", "chat", None, "09:00:00", None, None)
            .survey("s1", "p", "10:00:00", Some(5.0), Some(10.0))
            .survey("s2", "c", "10:00:00", Some(2.0), Some(0.0));
        let phone = KpiFilter {
            queue: Some(b.sym("phone")),
            agent: None,
        };
        let s = Settings::default();
        let set = compute_filtered(&b.floor, &s, day(), t("12:00:00"), &phone);
        assert_eq!(
            (value(&set, KpiKey::Csat), value(&set, KpiKey::Nps)),
            (Some(1.0), Some(100.0))
        );
        let set = compute(&b.floor, &s, day(), t("12:00:00"));
        // One promoter, one detractor of two: 0; one satisfied of two.
        assert_eq!(
            (value(&set, KpiKey::Csat), value(&set, KpiKey::Nps)),
            (Some(0.5), Some(0.0))
        );
    }

    #[test]
    fn grid_buckets_cover_a_day_by_the_hour() {
        let g = Grid::hourly(day());
        assert_eq!(g.len, 24);
        assert_eq!(g.bucket(t("00:59:59.999999999")), Some(0));
        assert_eq!(g.bucket(t("01:00:00")), Some(1));
        assert_eq!(g.bucket(t("23:59:59")), Some(23));
        assert_eq!(g.bucket(t("2026-11-23T00:00:00Z")), None);
        let short = Grid::hourly(Window {
            from: t("00:00:00"),
            to: t("01:30:00"),
        });
        assert_eq!(short.len, 2);
        assert_eq!(short.window(1).to, t("01:30:00"));
    }

    #[test]
    fn sym_set_counts_distinct() {
        let mut b = Builder::new();
        let (x, y) = (b.sym("x"), b.sym("y"));
        let mut s = SymSet::default();
        s.insert(x);
        s.insert(y);
        s.insert(x);
        assert_eq!(s.len(), 2);
    }
}
