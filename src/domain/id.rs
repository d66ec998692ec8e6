//! Record ids (contacts, surveys, feedback) in 16 bytes: an id of up to
//! [`INLINE`] bytes lives in the value itself, a longer one on the heap.
//!
//! Feed ids are short ("k-00000010", "zd-123456", "rt-42"): a million
//! contacts keep theirs without an allocation each, in 8 bytes less than a
//! 24-byte small string and 32 less than a `Box<str>` and its heap block.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// The longest id kept inline.
pub const INLINE: usize = 14;

/// An immutable string id; reads as a `&str` (`Deref`, `as_str`).
#[derive(Clone)]
pub struct Id(Repr);

#[derive(Clone)]
enum Repr {
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    /// Boxed twice so that the value stays 16 bytes (a `Box<str>` is 16).
    Heap(Box<Box<str>>),
}

impl Id {
    pub fn new(s: &str) -> Id {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= INLINE => {
                let mut bytes = [0u8; INLINE];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                Id(Repr::Inline { len, bytes })
            }
            _ => Id(Repr::Heap(Box::new(s.into()))),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes are a whole `&str`'s: always UTF-8.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(s) => s,
        }
    }

    /// Whether the id is longer than [`INLINE`] and kept on the heap.
    pub fn is_heap_allocated(&self) -> bool {
        matches!(self.0, Repr::Heap(_))
    }
}

impl Default for Id {
    fn default() -> Id {
        Id::new("")
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Id {}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == other.as_str()
    }
}
impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == other.as_str()
    }
}
impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        self == other.as_str()
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Id {
    fn cmp(&self, other: &Id) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        Id::new(s)
    }
}
impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id::new(s)
    }
}
impl From<String> for Id {
    fn from(s: String) -> Id {
        Id::new(&s)
    }
}
impl From<Box<str>> for Id {
    fn from(s: Box<str>) -> Id {
        Id::new(&s)
    }
}
impl From<Cow<'_, str>> for Id {
    fn from(s: Cow<'_, str>) -> Id {
        Id::new(&s)
    }
}
impl From<Id> for String {
    fn from(id: Id) -> String {
        id.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_16_bytes_and_so_is_an_optional_one() {
        assert_eq!(std::mem::size_of::<Id>(), 16);
        assert_eq!(std::mem::size_of::<Option<Id>>(), 16);
    }

    /// Ids at the inline limit and one past it, empty and multi-byte ones,
    /// all read back as given, compare and hash as their text.
    #[test]
    fn ids_read_back_as_given_on_both_sides_of_the_inline_limit() {
        let cases = [
            "",
            "k-1",
            "k-00000010",
            "abcdefghijklmn",  // 14 bytes: inline
            "abcdefghijklmno", // 15 bytes: heap
            "zd-csat-1234567890123",
            "单-一二三",   // 13 bytes: inline
            "工单-一二三", // 16 bytes: heap
        ];
        for s in cases {
            let id = Id::from(s);
            assert_eq!(id.as_str(), s);
            assert_eq!(&*id, s);
            assert_eq!(id, s);
            assert_eq!(id.is_heap_allocated(), s.len() > INLINE, "{s}");
            assert_eq!(format!("{id:?}"), format!("{s:?}"));
            assert_eq!(id.to_string(), s);
            assert_eq!(Id::from(s.to_owned()), id);
        }
        assert_eq!(("单-一二三".len(), "工单-一二三".len()), (13, 16));
        let mut sorted: Vec<Id> = ["b", "abcdefghijklmnop", "a"]
            .into_iter()
            .map(Id::from)
            .collect();
        sorted.sort();
        assert_eq!(sorted, ["a", "abcdefghijklmnop", "b"]);
        let mut set = std::collections::HashSet::new();
        set.insert(Id::from("k-1"));
        assert!(set.contains("k-1"));
        assert!(!set.contains("k-2"));
    }
}
