//! `Floor`: everything known about the service floor, built by applying
//! records in feed order (upserts replace, agent states append).

use std::collections::BTreeMap;

use super::customers::CustomerIndex;
use super::intern::{Interner, Sym};
use super::record::*;
use super::settings::{Settings, SlaTarget, SourceSla};
use super::time::Ts;
use hashbrown::{HashMap, HashSet, HashTable};

/// Contact slots per block of [`Floor::contacts_arriving`]'s index.
pub const ARRIVAL_BLOCK: usize = 1024;

/// What [`Floor::contacts_scan`] knows of a block of contact slots without
/// reading it: the earliest and latest arrival, and the latest instant of
/// any kind, ever stored in it (`None`: none of its contacts had one).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlockSpan {
    pub arrived: Option<(Ts, Ts)>,
    pub latest: Option<Ts>,
}

impl BlockSpan {
    /// Whether a contact of the block can have arrived in `[from, to)`.
    pub fn arrives_in(&self, from: Ts, to: Ts) -> bool {
        self.arrived.is_some_and(|(lo, hi)| hi >= from && lo < to)
    }

    /// Whether something in the block can have happened at or after `t`.
    pub fn touches_from(&self, t: Ts) -> bool {
        self.latest.is_some_and(|l| l >= t)
    }
}

/// Widens block `b`'s span to hold `at`.
fn widen(blocks: &mut Vec<Option<(Ts, Ts)>>, b: usize, at: Ts) {
    if blocks.len() <= b {
        blocks.resize(b + 1, None);
    }
    let span = &mut blocks[b];
    *span = Some(span.map_or((at, at), |(lo, hi)| (lo.min(at), hi.max(at))));
}

/// Open whatever the clock says: arrived, not abandoned, and not both
/// answered and ended (see [`Floor::contacts_scan`]).
pub fn is_open(c: &Contact) -> bool {
    c.arrived_at.is_some()
        && c.abandoned_at.is_none()
        && !(c.answered_at.is_some() && c.ended_at.is_some())
}

/// Records keyed by a string id, stored once, with an index by id.
#[derive(Debug, Clone)]
pub struct Keyed<T> {
    items: Vec<T>,
    index: HashTable<u32>,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed {
            items: Vec::new(),
            index: HashTable::new(),
        }
    }
}

fn hash_str(s: &str) -> u64 {
    // FxHash-style multiply-rotate: ids are short and trusted-ish; speed matters.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for chunk in s.as_bytes().chunks(8) {
        let mut v = [0u8; 8];
        v[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(v)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h ^ (h >> 29)
}

pub trait HasId {
    fn id(&self) -> &str;
}
impl HasId for Contact {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Survey {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Feedback {
    fn id(&self) -> &str {
        &self.id
    }
}

impl<T: HasId> Keyed<T> {
    pub fn position(&self, id: &str) -> Option<usize> {
        let items = &self.items;
        self.index
            .find(hash_str(id), |&i| items[i as usize].id() == id)
            .map(|&i| i as usize)
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.position(id).map(|i| &self.items[i])
    }

    /// [`Keyed::get`] of each id of a batch. A lookup in a large table
    /// waits on two or three cache misses one after another (the index's
    /// group, its slot, the record's id); here the batch's index entries
    /// and then their records are touched first, so that the misses of the
    /// batch overlap, and the lookups proper then find them in the cache.
    pub fn get_batch<const N: usize>(&self, ids: [Option<&str>; N]) -> [Option<&T>; N] {
        let items = &self.items;
        let hashes = ids.map(|id| id.map(hash_str));
        // The first entry under each hash's tag: the index memory of the
        // lookup, and usually the very record.
        let mut first = [None; N];
        for (f, h) in first.iter_mut().zip(&hashes) {
            if let Some(h) = *h {
                *f = self.index.find(h, |_| true).copied();
            }
        }
        let touched = first
            .iter()
            .flatten()
            .fold(0usize, |acc, &i| acc ^ items[i as usize].id().len());
        std::hint::black_box(touched);
        let mut out = [None; N];
        for ((o, id), h) in out.iter_mut().zip(ids).zip(hashes) {
            if let (Some(id), Some(h)) = (id, h) {
                *o = self
                    .index
                    .find(h, |&i| items[i as usize].id() == id)
                    .map(|&i| &items[i as usize]);
            }
        }
        out
    }

    /// Insert or replace; returns the slot and the replaced record. One
    /// search of the index either way.
    #[inline]
    pub fn upsert(&mut self, item: T) -> (usize, Option<T>) {
        let items = &self.items;
        let entry = self.index.entry(
            hash_str(item.id()),
            |&i| items[i as usize].id() == item.id(),
            |&j| hash_str(items[j as usize].id()),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => {
                let i = *e.get() as usize;
                let old = std::mem::replace(&mut self.items[i], item);
                (i, Some(old))
            }
            hashbrown::hash_table::Entry::Vacant(e) => {
                let i = self.items.len();
                e.insert(i as u32);
                self.items.push(item);
                (i, None)
            }
        }
    }

    pub fn as_slice(&self) -> &[T] {
        &self.items
    }

    /// Room in the index for `n` more ids without regrowing: a regrowth
    /// hashes every stored id again, reading each record (the slots
    /// themselves still grow as they fill).
    pub fn reserve_index(&mut self, n: usize) {
        let items = &self.items;
        self.index.reserve(n, |&j| hash_str(items[j as usize].id()));
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes held by the slots and the index (not what the items point to).
    pub fn capacity_bytes(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<T>() + self.index.capacity() * 5
    }
}

/// A run of records applied to a [`Floor`]; see [`Floor::batch`].
pub struct Batch<'a> {
    floor: &'a mut Floor,
}

impl Batch<'_> {
    #[inline]
    pub fn apply(&mut self, record: Record) {
        self.floor.apply_deferred(record);
    }

    /// [`Batch::apply`] of an agent state, without the move of a whole
    /// [`Record`] (a contact's size) that most lines of a feed do not need.
    #[inline]
    pub fn apply_state(&mut self, e: AgentStateEvent) {
        self.floor.generation += 1;
        self.floor.apply_state(e);
    }

    /// The floor's names, for decoding lines into records.
    pub fn names(&mut self) -> &mut Interner {
        &mut self.floor.names
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        self.floor.settle();
    }
}

/// The whole known state of the floor.
#[derive(Default, Debug, Clone)]
pub struct Floor {
    pub names: Interner,
    queues: Vec<Queue>,
    queue_slot: HashMap<Sym, usize>,
    agents: HashMap<Sym, Agent>,
    /// Per agent, state events sorted by (`at`, feed order).
    states: HashMap<Sym, Vec<StateChange>>,
    contacts: Keyed<Contact>,
    /// Per customer, (arrived_at, contact slot) sorted: repeat and FCR lookups.
    /// Indexed by the customer's `Sym::index()`; most customers have one
    /// contact, stored inline.
    by_customer: CustomerIndex,
    surveys: Keyed<Survey>,
    feedback: Keyed<Feedback>,
    queue_stats: HashMap<Sym, QueueStats>,
    /// Planned shifts in feed order.
    shifts: Vec<Shift>,
    /// Per block of [`ARRIVAL_BLOCK`] contact slots, the earliest and the
    /// latest `arrived_at` ever stored in it (a replaced contact's arrival
    /// only widens it): a window's contacts are found by skipping the
    /// blocks that cannot hold one. Feeds are mostly in time order, so a
    /// day of a month touches about a thirtieth of the slots.
    arrival_blocks: Vec<Option<(Ts, Ts)>>,
    /// Per block of [`ARRIVAL_BLOCK`] survey slots, the earliest and the
    /// latest `at` ever stored in it, as `arrival_blocks` for contacts.
    survey_blocks: Vec<Option<(Ts, Ts)>>,
    /// Per block of [`ARRIVAL_BLOCK`] contact slots, the latest instant any
    /// contact stored in it ever had (any of its six timestamps; a replaced
    /// contact's only widens it): a block whose latest instant is past is
    /// settled, and what "now" does to its contacts is known without
    /// reading them (see [`Floor::contacts_scan`]).
    latest_blocks: Vec<Option<Ts>>,
    /// One bit a contact slot: the contact is open whatever the clock says
    /// (arrived, not abandoned, and not both answered and ended). In a
    /// settled block only these can be waiting or owe an SLA.
    open: Vec<u64>,
    /// Queues named by a contact but without a `queue` record, in first-seen order.
    implied_queues: Vec<Sym>,
    /// The same queues as a set: a million distinct queue names load in
    /// linear time, not quadratic (issue 17, item 21).
    implied_seen: HashSet<Sym>,
    /// Agents whose state list got an event out of time order during a
    /// [`Batch`]; sorted once when it ends.
    unsorted_states: HashSet<Sym>,
    /// Unknown record types seen, with counts.
    pub unknown_types: BTreeMap<String, u64>,
    /// SLA targets the source gives itself (a Zendesk account's SLA
    /// policies); they replace the config's `[sla]` for their priorities.
    pub source_sla: Option<SourceSla>,
    /// Bumped on every applied record: a cheap "did anything change" check.
    pub generation: u64,
    /// Contact changes since [`Floor::take_contact_changes`] last took them,
    /// when asked to keep them ([`Floor::keep_contact_changes`]).
    changes: Option<ContactChanges>,
    /// When each kind of record last changed.
    stamps: Stamps,
}

/// Counts of the floor's keyed tables; see [`Floor::table_sizes`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableSizes {
    pub contacts: usize,
    pub surveys: usize,
    pub names: usize,
}

impl TableSizes {
    /// What grew from `before` to `self`, scaled by `factor` (rounded up).
    pub fn growth_since(self, before: TableSizes, factor: f64) -> TableSizes {
        let scale = |a: usize, b: usize| (a.saturating_sub(b) as f64 * factor).ceil() as usize;
        TableSizes {
            contacts: scale(self.contacts, before.contacts),
            surveys: scale(self.surveys, before.surveys),
            names: scale(self.names, before.names),
        }
    }
}

/// What changed among the contacts since they were last taken: the slots
/// written and the customers whose contact lists changed (a replaced
/// contact's former customer too). `overflowed`: too many to list, so
/// anything kept from before must be rebuilt.
#[derive(Default, Debug, Clone, PartialEq)]
pub struct ContactChanges {
    pub slots: Vec<u32>,
    pub customers: Vec<Sym>,
    pub overflowed: bool,
    /// The earliest and latest arrival of the changed contacts, as they
    /// were and as they are (a contact moved in time counts at both).
    pub arrivals: Option<(Ts, Ts)>,
    /// The same for the `at` of the surveys stored since.
    pub surveys: Option<(Ts, Ts)>,
    /// The earliest agent-state event stored since: an agent's time is
    /// unchanged before it.
    pub states_from: Option<Ts>,
}

impl ContactChanges {
    fn widen_arrivals(&mut self, at: Option<Ts>) {
        widen_span(&mut self.arrivals, at);
    }
}

fn widen_span(span: &mut Option<(Ts, Ts)>, at: Option<Ts>) {
    if let Some(at) = at {
        *span = Some(span.map_or((at, at), |(lo, hi)| (lo.min(at), hi.max(at))));
    }
}

/// The generation (see [`Floor::generation`]) at which each kind of record
/// last changed: what was computed from one kind alone is still right while
/// its stamp stays (e.g. the feedback board, or the agents' names).
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamps {
    pub queues: u64,
    pub agents: u64,
    pub states: u64,
    pub contacts: u64,
    pub surveys: u64,
    pub feedback: u64,
    pub queue_stats: u64,
    pub shifts: u64,
    pub unknown: u64,
}

/// More changes than this are not listed (a reload): rebuilding is cheaper.
const MAX_LISTED_CHANGES: usize = 1 << 16;

impl Floor {
    pub fn new() -> Floor {
        Floor::default()
    }

    /// The SLA target of `p` for this floor's contacts: the source's own
    /// where it gives one, else the config's `[sla]`.
    pub fn sla_target(&self, settings: &Settings, p: Priority) -> Option<SlaTarget> {
        self.source_sla
            .and_then(|s| s.get(p))
            .or_else(|| settings.sla.for_priority(p).copied())
    }

    /// Where the floor's bytes go, roughly: slots and indexes by capacity,
    /// heap strings as glibc's malloc holds them (length plus its 8-byte
    /// size field, in 16-byte steps, 32 at least). For `bench`.
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        fn heap(s: &str) -> usize {
            if s.is_empty() {
                0
            } else {
                (s.len() + 8).div_ceil(16).max(2) * 16
            }
        }
        let opt = |s: &Option<Box<str>>| s.as_deref().map_or(0, heap);
        // An id is on the heap only when longer than 14 bytes.
        let id = |s: &super::id::Id| {
            if s.is_heap_allocated() { heap(s) } else { 0 }
        };
        let contacts = self.contacts.as_slice();
        let states: usize = self
            .states
            .values()
            .map(|v| v.capacity() * std::mem::size_of::<StateChange>())
            .sum();
        let by_customer = self.by_customer.heap_bytes();
        vec![
            ("contact slots + id index", self.contacts.capacity_bytes()),
            (
                "contact ids (beyond the slot)",
                contacts.iter().map(|c| id(&c.id)).sum(),
            ),
            (
                "contact texts and callbacks",
                contacts
                    .iter()
                    .map(|c| {
                        c.extra.as_ref().map_or(0, |e| {
                            // The box itself: 32 bytes and malloc's 8, in 16-byte steps.
                            48 + opt(&e.text)
                        })
                    })
                    .sum(),
            ),
            ("per-customer index", by_customer),
            ("agent states", states),
            ("names (interner)", self.names.heap_bytes()),
            (
                "surveys",
                self.surveys.capacity_bytes()
                    + self
                        .surveys
                        .as_slice()
                        .iter()
                        .map(|s| id(&s.id) + s.contact.as_ref().map_or(0, id) + opt(&s.comment))
                        .sum::<usize>(),
            ),
            ("feedback", self.feedback.capacity_bytes()),
        ]
    }

    /// How many contacts, surveys and names the floor holds: a load reads
    /// these before and after its first block to size the rest.
    pub fn table_sizes(&self) -> TableSizes {
        TableSizes {
            contacts: self.contacts.len(),
            surveys: self.surveys.len(),
            names: self.names.len(),
        }
    }

    /// Makes room in the id indexes and the name table for `more` of each
    /// without regrowing (the records' own slots are not reserved).
    pub fn reserve(&mut self, more: TableSizes) {
        self.contacts.reserve_index(more.contacts);
        self.surveys.reserve_index(more.surveys);
        self.names.reserve(more.names);
    }

    /// Apply one record. Many records at once go faster through [`Floor::batch`].
    pub fn apply(&mut self, record: Record) {
        self.apply_deferred(record);
        self.settle();
    }

    /// Apply records in feed order; agent states that come out of time order
    /// are sorted once, when the batch is dropped, instead of one insertion
    /// each (states in reverse time order took quadratic time). Nothing can
    /// read the floor while the batch holds it.
    pub fn batch(&mut self) -> Batch<'_> {
        Batch { floor: self }
    }

    /// Sort the state lists that got events out of order. Stable: of events
    /// at the same instant, the later line stays the later state.
    fn settle(&mut self) {
        for agent in self.unsorted_states.drain() {
            if let Some(list) = self.states.get_mut(&agent) {
                list.sort_by_key(|e| e.at);
            }
        }
    }

    #[inline]
    fn apply_deferred(&mut self, record: Record) {
        self.generation += 1;
        let g = self.generation;
        match record {
            Record::Queue(q) => {
                self.stamps.queues = g;
                match self.queue_slot.get(&q.id) {
                    Some(&i) => self.queues[i] = q,
                    None => {
                        self.queue_slot.insert(q.id, self.queues.len());
                        self.queues.push(q);
                    }
                }
            }
            Record::Agent(a) => {
                self.stamps.agents = g;
                self.agents.insert(a.id, a);
            }
            Record::AgentState(e) => self.apply_state(e),
            Record::Contact(c) => {
                self.stamps.contacts = g;
                self.apply_contact(c);
            }
            Record::Survey(s) => {
                self.stamps.surveys = g;
                let at = s.at;
                let (slot, old) = self.surveys.upsert(s);
                if let Some(ch) = &mut self.changes {
                    widen_span(&mut ch.surveys, at);
                    widen_span(&mut ch.surveys, old.and_then(|o| o.at));
                }
                if let Some(at) = at {
                    widen(&mut self.survey_blocks, slot / ARRIVAL_BLOCK, at);
                }
            }
            Record::Feedback(f) => {
                self.stamps.feedback = g;
                self.feedback.upsert(f);
            }
            Record::QueueStats(s) => {
                self.stamps.queue_stats = g;
                self.queue_stats.insert(s.queue, s);
            }
            Record::Shift(s) => {
                self.stamps.shifts = g;
                self.shifts.push(s);
            }
            Record::Unknown(t) => {
                self.stamps.unknown = g;
                *self.unknown_types.entry(t).or_default() += 1;
            }
        }
    }

    /// Applies an agent state at generation `self.generation`.
    #[inline]
    fn apply_state(&mut self, e: AgentStateEvent) {
        self.stamps.states = self.generation;
        if let Some(ch) = &mut self.changes {
            ch.states_from = Some(ch.states_from.map_or(e.at, |f| f.min(e.at)));
        }
        let agent = e.agent;
        let list = self.states.entry(agent).or_default();
        let e = StateChange::new(e.at, e.state, e.queue);
        // Feeds are mostly in time order: append; an earlier event
        // marks the list for one stable sort at the end of the batch.
        if list.last().is_some_and(|last| last.at > e.at) {
            self.unsorted_states.insert(agent);
        }
        list.push(e);
    }

    #[inline]
    fn apply_contact(&mut self, c: Contact) {
        let arrived = c.arrived_at;
        let latest = [
            c.arrived_at,
            c.answered_at,
            c.abandoned_at,
            c.ended_at,
            c.promised_callback_at(),
            c.callback_at(),
        ]
        .into_iter()
        .flatten()
        .max();
        let open = is_open(&c);
        let slot = self.upsert_contact(c);
        let (word, bit) = (slot / 64, 1u64 << (slot % 64));
        if self.open.len() <= word {
            self.open.resize(word + 1, 0);
        }
        if open {
            self.open[word] |= bit;
        } else {
            self.open[word] &= !bit;
        }
        if let Some(at) = latest {
            let b = slot / ARRIVAL_BLOCK;
            if self.latest_blocks.len() <= b {
                self.latest_blocks.resize(b + 1, None);
            }
            let l = &mut self.latest_blocks[b];
            *l = Some(l.map_or(at, |l| l.max(at)));
        }
        if let Some(at) = arrived {
            let b = slot / ARRIVAL_BLOCK;
            if self.arrival_blocks.len() <= b {
                self.arrival_blocks.resize(b + 1, None);
            }
            let span = &mut self.arrival_blocks[b];
            *span = Some(span.map_or((at, at), |(lo, hi)| (lo.min(at), hi.max(at))));
        }
    }

    /// Contacts (with their slots, in slot order) of which every one that
    /// arrived in `[from, to)` is one; others may come too, and contacts
    /// without an arrival never do.
    pub fn contacts_arriving(&self, from: Ts, to: Ts) -> impl Iterator<Item = (usize, &Contact)> {
        let contacts = self.contacts.as_slice();
        self.arrival_blocks
            .iter()
            .enumerate()
            .filter(move |(_, span)| span.is_some_and(|(lo, hi)| hi >= from && lo < to))
            .flat_map(move |(b, _)| {
                let start = b * ARRIVAL_BLOCK;
                let end = (start + ARRIVAL_BLOCK).min(contacts.len());
                (start..end).map(move |slot| (slot, &contacts[slot]))
            })
    }

    /// Contacts (with their slots, in slot order) of the blocks `whole`
    /// accepts, every one of them; of the other blocks, when `open_too`,
    /// the open ones (arrived, not abandoned, not both answered and ended).
    /// `whole` is given a block's arrival span and latest instant (see
    /// [`BlockSpan`]). A pass that only needs what is open at `now`, or
    /// what happened after some instant, reads a few blocks instead of the
    /// whole floor: a block whose latest instant is at or before `now` holds
    /// no contact that "now" could still change.
    pub fn contacts_scan(
        &self,
        whole: impl Fn(BlockSpan) -> bool,
        open_too: bool,
    ) -> impl Iterator<Item = (usize, &Contact)> {
        let contacts = self.contacts.as_slice();
        let blocks = contacts.len().div_ceil(ARRIVAL_BLOCK);
        const WORDS: usize = ARRIVAL_BLOCK / 64;
        (0..blocks)
            .filter_map(move |b| {
                let span = BlockSpan {
                    arrived: self.arrival_blocks.get(b).copied().flatten(),
                    latest: self.latest_blocks.get(b).copied().flatten(),
                };
                if whole(span) {
                    Some((b, true))
                } else if open_too {
                    Some((b, false))
                } else {
                    None
                }
            })
            .flat_map(move |(b, all)| {
                (0..WORDS).map(move |w| {
                    let start = b * ARRIVAL_BLOCK + w * 64;
                    let bits = if all {
                        u64::MAX
                    } else {
                        self.open.get(start / 64).copied().unwrap_or(0)
                    };
                    // Slots past the last contact are not there.
                    let left = contacts.len().saturating_sub(start);
                    let bits = if left >= 64 {
                        bits
                    } else {
                        bits & ((1u64 << left) - 1)
                    };
                    (start, bits)
                })
            })
            .flat_map(move |(start, mut bits)| {
                std::iter::from_fn(move || {
                    if bits == 0 {
                        return None;
                    }
                    let i = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    Some(start + i)
                })
            })
            .map(move |slot| (slot, &contacts[slot]))
    }

    /// When each kind of record last changed.
    pub fn stamps(&self) -> Stamps {
        self.stamps
    }

    /// From now on, list the contact changes for [`Floor::take_contact_changes`].
    pub fn keep_contact_changes(&mut self) {
        if self.changes.is_none() {
            self.changes = Some(ContactChanges::default());
        }
    }

    /// The contact changes listed since the last call (`None` when they are
    /// not kept); the list starts again empty.
    pub fn take_contact_changes(&mut self) -> Option<ContactChanges> {
        self.changes.as_mut().map(std::mem::take)
    }

    fn note_change(&mut self, slot: usize, customers: [Option<Sym>; 2]) {
        let Some(ch) = &mut self.changes else { return };
        if ch.overflowed {
            return;
        }
        if ch.slots.len() >= MAX_LISTED_CHANGES {
            *ch = ContactChanges {
                overflowed: true,
                ..ContactChanges::default()
            };
            return;
        }
        ch.slots.push(slot as u32);
        ch.customers.extend(customers.into_iter().flatten());
    }

    /// Surveys (with their slots, in slot order) of which every one dated
    /// in `[from, to)` is one; others may come too, and surveys without an
    /// `at` never do.
    pub fn surveys_at(&self, from: Ts, to: Ts) -> impl Iterator<Item = (usize, &Survey)> {
        let surveys = self.surveys.as_slice();
        self.survey_blocks
            .iter()
            .enumerate()
            .filter(move |(_, span)| span.is_some_and(|(lo, hi)| hi >= from && lo < to))
            .flat_map(move |(b, _)| {
                let start = b * ARRIVAL_BLOCK;
                let end = (start + ARRIVAL_BLOCK).min(surveys.len());
                (start..end).map(move |slot| (slot, &surveys[slot]))
            })
    }

    /// Stores the contact; returns its slot.
    #[inline]
    fn upsert_contact(&mut self, c: Contact) -> usize {
        let customer = c.customer;
        if let Some(ch) = &mut self.changes {
            ch.widen_arrivals(c.arrived_at);
        }
        let slot = self.upsert_contact_inner(c);
        if self.changes.is_some() {
            // The former customer of a replaced contact is not known here
            // any more; `upsert_contact_inner` noted it already.
            self.note_change(slot, [customer, None]);
        }
        slot
    }

    #[inline]
    fn upsert_contact_inner(&mut self, c: Contact) -> usize {
        if let Some(q) = c.queue
            && !self.queue_slot.contains_key(&q)
            && self.implied_seen.insert(q)
        {
            self.implied_queues.push(q);
        }
        let key = c.customer.zip(c.arrived_at);
        let (slot, old) = self.contacts.upsert(c);
        if let Some(ch) = &mut self.changes {
            ch.widen_arrivals(old.as_ref().and_then(|o| o.arrived_at));
        }
        if let Some(former) = old.as_ref().and_then(|o| o.customer)
            && let Some(ch) = &mut self.changes
            && !ch.overflowed
        {
            ch.customers.push(former);
        }
        let slot = slot as u32;
        if let Some((cust, at)) = old.and_then(|o| o.customer.zip(o.arrived_at)) {
            if Some((cust, at)) == key {
                return slot as usize;
            }
            self.by_customer.remove(cust.index(), at, slot);
        }
        if let Some((cust, at)) = key {
            self.by_customer.insert(cust.index(), at, slot);
        }
        slot as usize
    }

    /// Queues with a `queue` record, in first-seen order.
    pub fn queues(&self) -> &[Queue] {
        &self.queues
    }

    pub fn queue(&self, id: Sym) -> Option<&Queue> {
        self.queue_slot.get(&id).map(|&i| &self.queues[i])
    }

    /// Every queue id to list: recorded queues, then those only named by contacts.
    pub fn queue_ids(&self) -> Vec<Sym> {
        let mut ids: Vec<Sym> = self.queues.iter().map(|q| q.id).collect();
        ids.extend(
            self.implied_queues
                .iter()
                .filter(|q| !self.queue_slot.contains_key(*q)),
        );
        ids
    }

    /// Service-level threshold of a queue in nanoseconds (20 s when unknown).
    pub fn sl_threshold_nanos(&self, queue: Option<Sym>) -> i64 {
        let secs = queue
            .and_then(|q| self.queue(q))
            .map_or(20.0, |q| q.sl_seconds);
        (secs * 1e9).round() as i64
    }

    pub fn agent(&self, id: Sym) -> Option<&Agent> {
        self.agents.get(&id)
    }

    pub fn agents(&self) -> impl Iterator<Item = &Agent> {
        self.agents.values()
    }

    /// Display name of an agent: its `name`, else its id.
    pub fn agent_name(&self, id: Sym) -> &str {
        self.agents
            .get(&id)
            .and_then(|a| a.name.as_deref())
            .unwrap_or_else(|| self.names.resolve(id))
    }

    /// Per agent, state events sorted by (`at`, feed order).
    pub fn agent_states(&self) -> impl Iterator<Item = (Sym, &[StateChange])> {
        self.states.iter().map(|(k, v)| (*k, v.as_slice()))
    }

    /// Planned shifts, in feed order (empty when the feed plans none).
    pub fn shifts(&self) -> &[Shift] {
        &self.shifts
    }

    /// Whether the feed names this agent: an `agent` record or a state.
    pub fn knows_agent(&self, id: Sym) -> bool {
        self.agents.contains_key(&id) || self.states.contains_key(&id)
    }

    pub fn states_of(&self, agent: Sym) -> &[StateChange] {
        self.states.get(&agent).map_or(&[], |v| v.as_slice())
    }

    pub fn contacts(&self) -> &[Contact] {
        self.contacts.as_slice()
    }

    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.get(id)
    }

    /// [`Floor::contact`] of each id of a batch, the lookups overlapping
    /// (see [`Keyed::get_batch`]): for passes that look up many contacts,
    /// such as every survey's.
    pub fn contacts_batch<const N: usize>(&self, ids: [Option<&str>; N]) -> [Option<&Contact>; N] {
        self.contacts.get_batch(ids)
    }

    /// The customer's contacts as (arrived_at, slot in `contacts()`), sorted.
    pub fn contacts_of_customer(&self, customer: Sym) -> &[(Ts, u32)] {
        self.by_customer.get(customer.index())
    }

    /// Every customer with their contacts as (arrived_at, slot), sorted, in
    /// no particular customer order: whole-floor repeat/FCR passes walk this
    /// instead of one hash lookup per contact.
    pub fn customer_contacts(&self) -> impl Iterator<Item = (Sym, &[(Ts, u32)])> {
        self.by_customer
            .iter()
            .map(|(i, v)| (Sym::from_index(i), v))
    }

    pub fn surveys(&self) -> &[Survey] {
        self.surveys.as_slice()
    }

    pub fn feedback(&self) -> &[Feedback] {
        self.feedback.as_slice()
    }

    pub fn feedback_item(&self, id: &str) -> Option<&Feedback> {
        self.feedback.get(id)
    }

    pub fn queue_stats(&self, queue: Sym) -> Option<&QueueStats> {
        self.queue_stats.get(&queue)
    }

    /// Everything the floor holds, symbols and slots included, in one text
    /// that two floors built alike share (maps in key order): tests compare
    /// two ways of loading the same lines with it.
    #[doc(hidden)]
    pub fn canonical(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let names: Vec<&str> = (0..self.names.len())
            .map(|i| self.names.resolve(Sym::from_index(i)))
            .collect();
        let _ = writeln!(out, "names {names:?}");
        let _ = writeln!(out, "queues {:?} {:?}", self.queues, self.implied_queues);
        let mut agents: Vec<_> = self.agents.values().collect();
        agents.sort_by_key(|a| a.id);
        let _ = writeln!(out, "agents {agents:?}");
        let mut states: Vec<_> = self.states.iter().collect();
        states.sort_by_key(|(k, _)| **k);
        let _ = writeln!(out, "states {states:?}");
        let _ = writeln!(out, "contacts {:?}", self.contacts.as_slice());
        let by_customer: Vec<_> = self.customer_contacts().collect();
        let _ = writeln!(out, "by customer {by_customer:?}");
        let _ = writeln!(out, "surveys {:?}", self.surveys.as_slice());
        let _ = writeln!(out, "feedback {:?}", self.feedback.as_slice());
        let mut stats: Vec<_> = self.queue_stats.iter().collect();
        stats.sort_by_key(|(k, _)| **k);
        let _ = writeln!(out, "queue stats {stats:?}");
        let _ = writeln!(out, "shifts {:?}", self.shifts);
        let _ = writeln!(
            out,
            "blocks {:?} {:?} {:?} open {:?}",
            self.arrival_blocks, self.survey_blocks, self.latest_blocks, self.open
        );
        let _ = writeln!(
            out,
            "unknown {:?} generation {}",
            self.unknown_types, self.generation
        );
        out
    }

    pub fn record_count(&self) -> usize {
        self.contacts.len()
            + self.surveys.len()
            + self.feedback.len()
            + self.queues.len()
            + self.agents.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(floor: &mut Floor, secs: i64, kind: AgentStateKind, queue: &str) -> Record {
        Record::AgentState(AgentStateEvent {
            agent: floor.names.intern("a1"),
            state: kind,
            at: Ts::from_secs(secs),
            queue: Some(floor.names.intern(queue)),
        })
    }

    fn order(floor: &mut Floor) -> Vec<(Ts, AgentStateKind, String)> {
        let a1 = floor.names.intern("a1");
        floor
            .states_of(a1)
            .iter()
            .map(|e| {
                let q = e.queue.map_or("", |q| floor.names.resolve(q)).to_owned();
                (e.at, e.state(), q)
            })
            .collect()
    }

    /// States in any order, one by one or in a batch, end sorted by time,
    /// events at the same instant in feed order.
    #[test]
    fn states_sort_by_time_and_keep_feed_order_on_ties() {
        use AgentStateKind::*;
        let lines = [
            (30, Wrap, "late"),
            (10, Available, "first-at-10"),
            (20, Busy, "x"),
            (10, Break, "second-at-10"),
            (5, Offline, "y"),
        ];
        let expected = vec![
            (Ts::from_secs(5), Offline, "y".to_owned()),
            (Ts::from_secs(10), Available, "first-at-10".to_owned()),
            (Ts::from_secs(10), Break, "second-at-10".to_owned()),
            (Ts::from_secs(20), Busy, "x".to_owned()),
            (Ts::from_secs(30), Wrap, "late".to_owned()),
        ];
        let mut one_by_one = Floor::new();
        for (secs, kind, q) in lines {
            let r = state(&mut one_by_one, secs, kind, q);
            one_by_one.apply(r);
        }
        assert_eq!(order(&mut one_by_one), expected);
        let mut batched = Floor::new();
        let records: Vec<Record> = lines
            .iter()
            .map(|&(secs, kind, q)| state(&mut batched, secs, kind, q))
            .collect();
        let mut batch = batched.batch();
        for r in records {
            batch.apply(r);
        }
        drop(batch);
        assert_eq!(order(&mut batched), expected);
        // A later batch with an earlier event sorts again.
        let r = state(&mut batched, 1, Available, "z");
        batched.batch().apply(r);
        assert_eq!(order(&mut batched)[0].0, Ts::from_secs(1));
    }

    /// The window's contacts are all found, in slot order, whatever the
    /// feed order and however often a contact moves in time.
    #[test]
    fn contacts_arriving_finds_every_contact_of_a_window() {
        let mut floor = Floor::new();
        let at = |i: i64| Ts::from_secs(1_795_000_000 + i * 60);
        // Mostly in time order, one contact in ten far back, every seventh
        // contact later moved half an hour, and one moved far ahead.
        for i in 0..5000i64 {
            let t = if i % 10 == 0 { at(i / 3) } else { at(i) };
            floor.apply(Record::Contact(Contact {
                arrived_at: Some(t),
                ..crate::domain::testkit::contact(&format!("k{i}"))
            }));
        }
        for i in (0..5000i64).step_by(7) {
            floor.apply(Record::Contact(Contact {
                arrived_at: Some(at(i + 30)),
                ..crate::domain::testkit::contact(&format!("k{i}"))
            }));
        }
        // One moved far ahead.
        floor.apply(Record::Contact(Contact {
            arrived_at: Some(at(9000)),
            ..crate::domain::testkit::contact("k4999")
        }));
        floor.apply(Record::Contact(crate::domain::testkit::contact(
            "no-arrival",
        )));
        for (from, to) in [
            (0, 1),
            (100, 200),
            (1000, 1100),
            (4990, 6000),
            (8999, 9001),
            (-5, 0),
        ] {
            let (from, to) = (at(from), at(to));
            let want: Vec<usize> = floor
                .contacts()
                .iter()
                .enumerate()
                .filter(|(_, c)| c.arrived_at.is_some_and(|a| a >= from && a < to))
                .map(|(s, _)| s)
                .collect();
            let got: Vec<usize> = floor
                .contacts_arriving(from, to)
                .filter(|(_, c)| c.arrived_at.is_some_and(|a| a >= from && a < to))
                .map(|(s, _)| s)
                .collect();
            assert_eq!(got, want);
            // And blocks far from the window are skipped.
            assert!(floor.contacts_arriving(from, to).count() < floor.contacts().len());
        }
    }

    #[test]
    fn queues_named_only_by_contacts_are_listed_once_in_first_seen_order() {
        let mut floor = Floor::new();
        for (id, q) in [("c1", "q2"), ("c2", "q1"), ("c3", "q2"), ("c4", "q1")] {
            let queue = Some(floor.names.intern(q));
            floor.apply(Record::Contact(Contact {
                queue,
                ..crate::domain::testkit::contact(id)
            }));
        }
        let names: Vec<&str> = floor
            .queue_ids()
            .into_iter()
            .map(|q| floor.names.resolve(q))
            .collect();
        assert_eq!(names, ["q2", "q1"]);
    }
}
