//! The floor's per-customer index: each customer's contacts as
//! (arrived_at, contact slot), sorted, by the customer's `Sym::index()`.
//!
//! Most customers have one contact, so an entry is that one pair itself,
//! 16 bytes; a customer with more has an entry pointing at a list of its
//! own. (A small vector with one inline pair takes 24 bytes an entry.)

use super::time::Ts;

/// An entry's slot when the customer has no contact.
const EMPTY: u32 = u32::MAX;
/// An entry's slot when the customer's contacts are in a list; the entry's
/// instant then holds the list's index in nanoseconds.
const LISTED: u32 = u32::MAX - 1;
/// Contact slots below this one fit in an entry (4 billion contacts).
pub const MAX_SLOT: u32 = LISTED;

#[derive(Default, Debug, Clone)]
pub struct CustomerIndex {
    entries: Vec<(Ts, u32)>,
    lists: Vec<Vec<(Ts, u32)>>,
}

fn empty() -> (Ts, u32) {
    (Ts::from_nanos(0), EMPTY)
}

impl CustomerIndex {
    /// The contacts of the customer with index `customer`, sorted.
    pub fn get(&self, customer: usize) -> &[(Ts, u32)] {
        match self.entries.get(customer) {
            None => &[],
            Some((_, EMPTY)) => &[],
            Some((list, LISTED)) => self.list(*list),
            Some(one) => std::slice::from_ref(one),
        }
    }

    fn list(&self, at: Ts) -> &[(Ts, u32)] {
        usize::try_from(at.nanos())
            .ok()
            .and_then(|i| self.lists.get(i))
            .map_or(&[], |l| l.as_slice())
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
        let entry = &mut self.entries[customer];
        let list = match *entry {
            (_, EMPTY) => {
                *entry = (at, slot);
                return;
            }
            (i, LISTED) => match usize::try_from(i.nanos()) {
                Ok(i) if i < self.lists.len() => &mut self.lists[i],
                _ => return,
            },
            one => {
                let i = self.lists.len();
                *entry = (Ts::from_nanos(i as i64), LISTED);
                self.lists.push(vec![one]);
                &mut self.lists[i]
            }
        };
        match list.last() {
            Some(&last) if last > (at, slot) => {
                let p = list.partition_point(|&x| x < (at, slot));
                list.insert(p, (at, slot));
            }
            _ => list.push((at, slot)),
        }
    }

    /// Removes `(at, slot)` from the customer's contacts, if there.
    pub fn remove(&mut self, customer: usize, at: Ts, slot: u32) {
        let Some(entry) = self.entries.get_mut(customer) else {
            return;
        };
        match *entry {
            (_, EMPTY) => {}
            (i, LISTED) => {
                if let Some(list) = usize::try_from(i.nanos())
                    .ok()
                    .and_then(|i| self.lists.get_mut(i))
                    && let Ok(p) = list.binary_search(&(at, slot))
                {
                    list.remove(p);
                }
            }
            one => {
                if one == (at, slot) {
                    *entry = empty();
                }
            }
        }
    }

    /// Bytes held by the entries and the lists.
    pub fn heap_bytes(&self) -> usize {
        let pair = std::mem::size_of::<(Ts, u32)>();
        self.entries.capacity() * pair
            + self.lists.capacity() * std::mem::size_of::<Vec<(Ts, u32)>>()
            + self
                .lists
                .iter()
                .map(|l| l.capacity() * pair)
                .sum::<usize>()
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
