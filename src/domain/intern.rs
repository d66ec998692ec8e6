//! String interning: queue, agent and customer ids repeat on every line, so
//! each distinct string is stored once and records hold a 4-byte `Sym`.
//!
//! All names live in one arena string; the table holds only symbol numbers
//! and hashes by content. A million distinct customers cost about 25 bytes
//! each instead of two heap strings and a map entry.

use std::hash::BuildHasher;
use std::num::NonZeroU32;

use hashbrown::{DefaultHashBuilder, HashTable};

/// A handle to an interned string. `Option<Sym>` is 4 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// Dense index 0, 1, 2, … in order of first interning.
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }

    /// The symbol with dense index `i` (as returned by `index`).
    pub(crate) fn from_index(i: usize) -> Sym {
        Sym(NonZeroU32::MIN.saturating_add(u32::try_from(i).unwrap_or(u32::MAX - 1)))
    }
}

#[derive(Default, Debug, Clone)]
pub struct Interner {
    arena: String,
    /// (start, end) of each symbol's text in `arena`, by symbol index.
    spans: Vec<(u32, u32)>,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Interner {
    fn text(&self, index: u32) -> &str {
        let (a, b) = self.spans[index as usize];
        &self.arena[a as usize..b as usize]
    }

    /// Room for `names` names of `bytes` bytes in all, without regrowing.
    pub fn with_capacity(names: usize, bytes: usize) -> Interner {
        Interner {
            arena: String::with_capacity(bytes),
            spans: Vec::with_capacity(names),
            table: HashTable::with_capacity(names),
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// Room in the table for `names` more names without regrowing (a big
    /// load sized from its start: regrowing rehashes every name, reading
    /// each one's text again).
    pub fn reserve(&mut self, names: usize) {
        let (arena, spans, hasher) = (&self.arena, &self.spans, &self.hasher);
        self.table.reserve(names, |&i| {
            let (a, b) = spans[i as usize];
            hasher.hash_one(&arena[a as usize..b as usize])
        });
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        let hash = self.hasher.hash_one(s);
        let (arena, spans) = (&self.arena, &self.spans);
        let eq = |&i: &u32| {
            let (a, b) = spans[i as usize];
            &arena[a as usize..b as usize] == s
        };
        if let Some(&i) = self.table.find(hash, eq) {
            return Sym(NonZeroU32::MIN.saturating_add(i));
        }
        let index = u32::try_from(self.spans.len()).unwrap_or(u32::MAX - 1);
        let start = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        self.arena.push_str(s);
        let end = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        self.spans.push((start, end));
        let (arena, spans, hasher) = (&self.arena, &self.spans, &self.hasher);
        self.table.insert_unique(hash, index, |&i| {
            let (a, b) = spans[i as usize];
            hasher.hash_one(&arena[a as usize..b as usize])
        });
        Sym(NonZeroU32::MIN.saturating_add(index))
    }

    /// Forget every name, keeping the room (symbols start again at 0).
    pub fn clear(&mut self) {
        self.arena.clear();
        self.spans.clear();
        self.table.clear();
    }

    /// The symbol of `s` if it was ever interned.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        let hash = self.hasher.hash_one(s);
        self.table
            .find(hash, |&i| self.text(i) == s)
            .map(|&i| Sym(NonZeroU32::MIN.saturating_add(i)))
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        match u32::try_from(sym.index()) {
            Ok(i) if (i as usize) < self.spans.len() => self.text(i),
            _ => "",
        }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Bytes held, for the memory benchmark.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity() + self.spans.capacity() * 8 + self.table.capacity() * 5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_string_same_symbol() {
        let mut i = Interner::default();
        let a = i.intern("王芳");
        let b = i.intern("q-phone");
        assert_eq!(i.intern("王芳"), a);
        assert_ne!(a, b);
        assert_eq!((a.index(), b.index()), (0, 1));
        assert_eq!(i.resolve(a), "王芳");
        assert_eq!(i.resolve(b), "q-phone");
        assert_eq!(i.lookup("q-phone"), Some(b));
        assert_eq!(i.lookup("nobody"), None);
        assert_eq!(i.intern(""), i.intern(""));
    }

    #[test]
    fn many_symbols_survive_table_growth() {
        let mut i = Interner::default();
        let syms: Vec<Sym> = (0..10_000).map(|n| i.intern(&format!("c-{n}"))).collect();
        for (n, s) in syms.iter().enumerate() {
            assert_eq!(i.resolve(*s), format!("c-{n}"));
            assert_eq!(i.lookup(&format!("c-{n}")), Some(*s));
        }
    }
}
