//! The floor's per-customer index: each customer's contacts as
//! (arrived_at, contact slot), sorted, by the customer's `Sym::index()`.
//!
//! Most customers have one contact, so an entry is that one pair itself,
//! 16 bytes. A customer with more has a run of pairs in one shared pool,
//! the entry saying where: runs of 2, 4, 8… pairs, moved to the pool's
//! end when they outgrow their room (the old room is left unused; it is
//! never more than the runs in use). A small vector per customer with one
//! pair inline took 24 bytes an entry, and a heap block per repeat caller.

use super::time::Ts;

/// An entry's slot when the customer has no contact.
const EMPTY: u32 = u32::MAX;
/// An entry's slot when the customer's contacts are a run in the pool; the
/// entry's instant then holds the run's start (high 32 bits), its room's
/// log2 (5 bits) and its length (27 bits).
const LISTED: u32 = u32::MAX - 1;
/// Contact slots below this one fit in an entry (4 billion contacts).
pub const MAX_SLOT: u32 = LISTED;

#[derive(Default, Debug, Clone)]
pub struct CustomerIndex {
    entries: Vec<(Ts, u32)>,
    pool: Vec<(Ts, u32)>,
}

fn empty() -> (Ts, u32) {
    (Ts::from_nanos(0), EMPTY)
}

/// Longest run: 134 million contacts of one customer.
const MAX_LEN: usize = (1 << 27) - 1;

/// A run of `len` pairs from `start` with room for `room` (a power of two).
/// Starts stay below 2^31 (a pool of 32 GB), so the packed value is never
/// `i64::MIN`, the one instant `Ts` cannot hold.
fn run(start: usize, room: usize, len: usize) -> (Ts, u32) {
    debug_assert!(start < 1 << 31 && room.is_power_of_two() && len <= MAX_LEN);
    let packed = ((start as u64) << 32) | (u64::from(room.trailing_zeros()) << 27) | len as u64;
    (Ts::from_nanos(packed as i64), LISTED)
}

/// (start, room, len) of a run's entry.
fn unrun(at: Ts) -> (usize, usize, usize) {
    let v = at.nanos() as u64;
    (
        (v >> 32) as usize,
        1 << ((v >> 27) & 31),
        (v & MAX_LEN as u64) as usize,
    )
}

impl CustomerIndex {
    /// The contacts of the customer with index `customer`, sorted.
    pub fn get(&self, customer: usize) -> &[(Ts, u32)] {
        match self.entries.get(customer) {
            None | Some((_, EMPTY)) => &[],
            Some((at, LISTED)) => {
                let (start, _, len) = unrun(*at);
                self.pool.get(start..start + len).unwrap_or(&[])
            }
            Some(one) => std::slice::from_ref(one),
        }
    }

    /// Every customer (index) with contacts, in index order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &[(Ts, u32)])> {
        (0..self.entries.len())
            .map(|i| (i, self.get(i)))
            .filter(|(_, v)| !v.is_empty())
    }

    /// Adds `(at, slot)` to the customer's contacts, keeping them sorted.
    pub fn insert(&mut self, customer: usize, at: Ts, slot: u32) {
        debug_assert!(slot < MAX_SLOT);
        if self.entries.len() <= customer {
            self.entries.resize(customer + 1, empty());
        }
        let pair = (at, slot);
        let (mut start, mut room, len) = match self.entries[customer] {
            (_, EMPTY) => {
                self.entries[customer] = pair;
                return;
            }
            (at, LISTED) => unrun(at),
            one => {
                let start = self.pool.len();
                self.pool.extend([one, empty()]);
                (start, 2, 1)
            }
        };
        if len >= MAX_LEN {
            return;
        }
        if len == room {
            // Full: move the run to the pool's end with twice the room.
            let to = self.pool.len();
            self.pool.extend_from_within(start..start + len);
            room *= 2;
            self.pool.resize(to + room, empty());
            start = to;
        }
        let pairs = &mut self.pool[start..start + len + 1];
        // Mostly in time order: after the last pair, else in its place.
        let p = if len > 0 && pairs[len - 1] > pair {
            pairs[..len].partition_point(|&x| x < pair)
        } else {
            len
        };
        pairs[len] = pair;
        pairs[p..].rotate_right(1);
        self.entries[customer] = run(start, room, len + 1);
    }

    /// Removes `(at, slot)` from the customer's contacts, if there.
    pub fn remove(&mut self, customer: usize, at: Ts, slot: u32) {
        let Some(entry) = self.entries.get_mut(customer) else {
            return;
        };
        match *entry {
            (_, EMPTY) => {}
            (packed, LISTED) => {
                let (start, room, len) = unrun(packed);
                let pairs = &mut self.pool[start..start + len];
                if let Ok(p) = pairs.binary_search(&(at, slot)) {
                    pairs[p..].rotate_left(1);
                    *entry = run(start, room, len - 1);
                }
            }
            one => {
                if one == (at, slot) {
                    *entry = empty();
                }
            }
        }
    }

    /// Bytes held by the entries and the pool.
    pub fn heap_bytes(&self) -> usize {
        (self.entries.capacity() + self.pool.capacity()) * std::mem::size_of::<(Ts, u32)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Ts {
        Ts::from_secs(1_795_000_000 + s)
    }

    #[test]
    fn an_entry_is_16_bytes() {
        assert_eq!(std::mem::size_of::<(Ts, u32)>(), 16);
    }

    /// One contact inline, more in a list, sorted by (arrival, slot) in
    /// any insertion order; removals of present and absent pairs; customers
    /// never seen and emptied ones have none.
    #[test]
    fn contacts_stay_sorted_through_inserts_and_removals() {
        let mut ix = CustomerIndex::default();
        assert_eq!(ix.get(0), &[]);
        assert_eq!(ix.get(7), &[]);
        ix.insert(3, t(50), 4);
        assert_eq!(ix.get(3), &[(t(50), 4)]);
        assert_eq!(ix.get(2), &[]);
        ix.insert(3, t(10), 9);
        ix.insert(3, t(50), 2);
        ix.insert(3, t(60), 1);
        assert_eq!(ix.get(3), &[(t(10), 9), (t(50), 2), (t(50), 4), (t(60), 1)]);
        // Absent pairs (wrong slot, wrong time) leave the list alone.
        ix.remove(3, t(50), 3);
        ix.remove(3, t(11), 9);
        ix.remove(99, t(50), 4);
        assert_eq!(ix.get(3).len(), 4);
        ix.remove(3, t(50), 2);
        assert_eq!(ix.get(3), &[(t(10), 9), (t(50), 4), (t(60), 1)]);
        // An inline one removed, and put back.
        ix.insert(0, t(5), 0);
        ix.remove(0, t(5), 1);
        assert_eq!(ix.get(0), &[(t(5), 0)]);
        ix.remove(0, t(5), 0);
        assert_eq!(ix.get(0), &[]);
        ix.insert(0, t(6), 0);
        assert_eq!(ix.get(0), &[(t(6), 0)]);
        // A listed customer emptied, then given one again.
        for (at, slot) in [(t(10), 9), (t(50), 4), (t(60), 1)] {
            ix.remove(3, at, slot);
        }
        assert_eq!(ix.get(3), &[]);
        ix.insert(3, t(1), 8);
        assert_eq!(ix.get(3), &[(t(1), 8)]);
        let all: Vec<(usize, Vec<(Ts, u32)>)> = ix.iter().map(|(c, v)| (c, v.to_vec())).collect();
        assert_eq!(all, [(0, vec![(t(6), 0)]), (3, vec![(t(1), 8)])]);
    }

    /// Random inserts and removals over a few customers give what a
    /// sorted list per customer gives, through runs moving as they grow and
    /// emptied runs used again.
    #[test]
    fn the_index_agrees_with_a_sorted_list_per_customer() {
        let mut ix = CustomerIndex::default();
        let mut want: Vec<Vec<(Ts, u32)>> = vec![Vec::new(); 6];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for round in 0..20_000 {
            let c = next(6) as usize;
            let pair = (t(next(40) as i64), next(30) as u32);
            if next(3) == 0 {
                ix.remove(c, pair.0, pair.1);
                want[c].retain(|&p| p != pair);
            } else if !want[c].contains(&pair) {
                ix.insert(c, pair.0, pair.1);
                want[c].push(pair);
                want[c].sort();
            }
            for (c, w) in want.iter().enumerate() {
                assert_eq!(ix.get(c), w.as_slice(), "customer {c}, round {round}");
            }
        }
        // Old rooms are never more than the rooms in use.
        let rooms: usize = (0..6)
            .filter(|&c| ix.entries[c].1 == LISTED)
            .map(|c| unrun(ix.entries[c].0).1)
            .sum();
        assert!(ix.pool.len() <= 2 * rooms, "{} {rooms}", ix.pool.len());
    }

    /// The largest slot an entry holds, at the edges of the time range.
    #[test]
    fn the_largest_slot_and_extreme_times_are_kept() {
        let mut ix = CustomerIndex::default();
        let (lo, hi) = (Ts::from_nanos(i64::MIN + 1), Ts::from_nanos(i64::MAX));
        ix.insert(0, hi, MAX_SLOT - 1);
        assert_eq!(ix.get(0), &[(hi, MAX_SLOT - 1)]);
        ix.insert(0, lo, 0);
        assert_eq!(ix.get(0), &[(lo, 0), (hi, MAX_SLOT - 1)]);
        ix.insert(1, Ts::from_nanos(0), 5);
        assert_eq!(ix.get(1), &[(Ts::from_nanos(0), 5)]);
    }
}
