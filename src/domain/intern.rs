//! String interning: queue, agent and customer ids repeat on every line, so
//! each distinct string is stored once and records hold a 4-byte `Sym`.

use std::num::NonZeroU32;

use hashbrown::HashMap;

/// A handle to an interned string. `Option<Sym>` is 4 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Sym(NonZeroU32);

impl Sym {
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

#[derive(Default, Debug, Clone)]
pub struct Interner {
    map: HashMap<Box<str>, Sym>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let next = u32::try_from(self.names.len() + 1).unwrap_or(u32::MAX);
        let sym = Sym(NonZeroU32::new(next).unwrap_or(NonZeroU32::MAX));
        self.names.push(s.into());
        self.map.insert(s.into(), sym);
        sym
    }

    /// The symbol of `s` if it was ever interned.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        self.names.get(sym.index()).map(|s| &**s).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Bytes held, for the memory benchmark.
    pub fn heap_bytes(&self) -> usize {
        self.names.iter().map(|s| s.len() * 2 + 48).sum()
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
        assert_eq!(i.resolve(a), "王芳");
        assert_eq!(i.lookup("nobody"), None);
    }
}
