//! `Floor`: everything known about the service floor, built by applying
//! records in feed order (upserts replace, agent states append).

use std::collections::BTreeMap;

use hashbrown::{HashMap, HashTable};
use smallvec::SmallVec;

use super::intern::{Interner, Sym};
use super::record::*;
use super::time::Ts;

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

    /// Insert or replace; returns the slot and the replaced record.
    pub fn upsert(&mut self, item: T) -> (usize, Option<T>) {
        if let Some(i) = self.position(item.id()) {
            let old = std::mem::replace(&mut self.items[i], item);
            return (i, Some(old));
        }
        let i = self.items.len();
        let h = hash_str(item.id());
        self.items.push(item);
        let items = &self.items;
        self.index
            .insert_unique(h, i as u32, |&j| hash_str(items[j as usize].id()));
        (i, None)
    }

    pub fn as_slice(&self) -> &[T] {
        &self.items
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
    by_customer: Vec<SmallVec<[(Ts, u32); 1]>>,
    surveys: Keyed<Survey>,
    feedback: Keyed<Feedback>,
    queue_stats: HashMap<Sym, QueueStats>,
    /// Queues named by a contact but without a `queue` record, in first-seen order.
    implied_queues: Vec<Sym>,
    /// Unknown record types seen, with counts.
    pub unknown_types: BTreeMap<String, u64>,
    /// Bumped on every applied record: a cheap "did anything change" check.
    pub generation: u64,
}

impl Floor {
    pub fn new() -> Floor {
        Floor::default()
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
        // A compact id is on the heap only when longer than 24 bytes.
        let id = |s: &compact_str::CompactString| {
            if s.is_heap_allocated() { heap(s) } else { 0 }
        };
        let contacts = self.contacts.as_slice();
        let states: usize = self
            .states
            .values()
            .map(|v| v.capacity() * std::mem::size_of::<StateChange>())
            .sum();
        let by_customer: usize = self.by_customer.capacity()
            * std::mem::size_of::<SmallVec<[(Ts, u32); 1]>>()
            + self
                .by_customer
                .iter()
                .filter(|v| v.spilled())
                .map(|v| v.capacity() * 16)
                .sum::<usize>();
        vec![
            ("contact slots + id index", self.contacts.capacity_bytes()),
            (
                "contact ids (beyond the slot)",
                contacts.iter().map(|c| id(&c.id)).sum(),
            ),
            ("contact texts", contacts.iter().map(|c| opt(&c.text)).sum()),
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

    pub fn apply(&mut self, record: Record) {
        self.generation += 1;
        match record {
            Record::Queue(q) => match self.queue_slot.get(&q.id) {
                Some(&i) => self.queues[i] = q,
                None => {
                    self.queue_slot.insert(q.id, self.queues.len());
                    self.queues.push(q);
                }
            },
            Record::Agent(a) => {
                self.agents.insert(a.id, a);
            }
            Record::AgentState(e) => {
                let list = self.states.entry(e.agent).or_default();
                let e = StateChange::new(e.at, e.state, e.queue);
                // Feeds are mostly in time order: append, else insert after equal `at`.
                let pos = match list.last() {
                    Some(last) if last.at > e.at => list.partition_point(|x| x.at <= e.at),
                    _ => list.len(),
                };
                list.insert(pos, e);
            }
            Record::Contact(c) => self.apply_contact(c),
            Record::Survey(s) => {
                self.surveys.upsert(s);
            }
            Record::Feedback(f) => {
                self.feedback.upsert(f);
            }
            Record::QueueStats(s) => {
                self.queue_stats.insert(s.queue, s);
            }
            Record::Unknown(t) => {
                *self.unknown_types.entry(t).or_default() += 1;
            }
        }
    }

    fn apply_contact(&mut self, c: Contact) {
        if let Some(q) = c.queue
            && !self.queue_slot.contains_key(&q)
            && !self.implied_queues.contains(&q)
        {
            self.implied_queues.push(q);
        }
        let key = c.customer.zip(c.arrived_at);
        let (slot, old) = self.contacts.upsert(c);
        let slot = slot as u32;
        if let Some((cust, at)) = old.and_then(|o| o.customer.zip(o.arrived_at)) {
            if Some((cust, at)) == key {
                return;
            }
            if let Some(list) = self.by_customer.get_mut(cust.index())
                && let Ok(p) = list.binary_search(&(at, slot))
            {
                list.remove(p);
            }
        }
        if let Some((cust, at)) = key {
            if self.by_customer.len() <= cust.index() {
                self.by_customer
                    .resize_with(cust.index() + 1, SmallVec::new);
            }
            let list = &mut self.by_customer[cust.index()];
            match list.last() {
                Some(&last) if last > (at, slot) => {
                    let p = list.partition_point(|&x| x < (at, slot));
                    list.insert(p, (at, slot));
                }
                _ => list.push((at, slot)),
            }
        }
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

    pub fn states_of(&self, agent: Sym) -> &[StateChange] {
        self.states.get(&agent).map_or(&[], |v| v.as_slice())
    }

    pub fn contacts(&self) -> &[Contact] {
        self.contacts.as_slice()
    }

    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.get(id)
    }

    /// The customer's contacts as (arrived_at, slot in `contacts()`), sorted.
    pub fn contacts_of_customer(&self, customer: Sym) -> &[(Ts, u32)] {
        self.by_customer
            .get(customer.index())
            .map_or(&[], |v| v.as_slice())
    }

    /// Every customer with their contacts as (arrived_at, slot), sorted, in
    /// no particular customer order: whole-floor repeat/FCR passes walk this
    /// instead of one hash lookup per contact.
    pub fn customer_contacts(&self) -> impl Iterator<Item = (Sym, &[(Ts, u32)])> {
        self.by_customer
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .map(|(i, v)| (Sym::from_index(i), v.as_slice()))
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

    pub fn record_count(&self) -> usize {
        self.contacts.len()
            + self.surveys.len()
            + self.feedback.len()
            + self.queues.len()
            + self.agents.len()
    }
}
