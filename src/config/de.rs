//! serde over the TOML tree the `toml` crate parses, with a typed error.
//!
//! The config's schema is plain serde derive (`deny_unknown_fields`,
//! [`Spanned`]) in `parse.rs`. This module only carries it: it hands the
//! values of [`toml::de::DeTable`] to serde, and serde's own error calls
//! (`unknown_field` with the expected keys, `invalid_type`, `missing_field`)
//! become a typed [`Problem`] with the key path and span where it happened.
//! `toml::from_str` would do the same walk, but its error keeps only English
//! text and hides the key path; so the tree is the `toml` crate's, the
//! schema and the checks serde's, and this is the seam between them.

use std::ops::Range;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_spanned::de::{SpannedDeserializer, is_spanned};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{Expected, Found, Problem};

/// A problem and where it is: the key path (innermost first, as it is
/// collected on the way out) and the span in the text.
#[derive(Debug)]
pub(super) struct Fault {
    pub problem: Problem,
    path: Vec<Segment>,
    pub span: Option<Range<usize>>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `prefix.key`, the key quoted when it is not a bare TOML key.
pub(super) fn join(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

impl Fault {
    fn new(problem: Problem) -> Fault {
        Fault {
            problem,
            path: Vec::new(),
            span: None,
        }
    }

    fn at(mut self, span: Range<usize>) -> Fault {
        self.span.get_or_insert(span);
        self
    }

    fn under(mut self, segment: Segment) -> Fault {
        self.path.push(segment);
        self
    }

    /// A wrong type of this very value (not of one inside it) is told what
    /// was wanted and what the value is, as the lead wrote it.
    fn expecting(mut self, wanted: Option<Expected>, value: &DeValue<'_>) -> Fault {
        if self.path.is_empty()
            && let Problem::WrongType { expected, found } = &mut self.problem
        {
            if let Some(wanted) = wanted {
                *expected = wanted;
            }
            *found = found_of(value);
        }
        self
    }

    /// The dotted key path, `None` at the top.
    pub fn key_path(&self) -> Option<String> {
        let mut out = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) => out = join(&out, k),
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        (!out.is_empty()).then_some(out)
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for Fault {}

impl de::Error for Fault {
    fn custom<T: std::fmt::Display>(msg: T) -> Fault {
        Fault::new(Problem::Invalid {
            detail: msg.to_string(),
        })
    }

    // The value and what was wanted are filled in by the deserializer that
    // asked (`expecting`), from the TOML value itself; serde's words for
    // them are not used.
    fn invalid_type(unexp: de::Unexpected<'_>, _: &dyn de::Expected) -> Fault {
        Fault::new(Problem::WrongType {
            expected: Expected::Value,
            found: found_of_unexpected(unexp),
        })
    }

    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Fault {
        Fault::invalid_type(unexp, exp)
    }

    fn unknown_field(_: &str, expected: &'static [&'static str]) -> Fault {
        Fault::new(Problem::UnknownKey {
            expected: expected.to_vec(),
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Fault {
        Fault::new(Problem::UnknownValue {
            found: variant.to_string(),
            expected: expected.to_vec(),
        })
    }

    fn missing_field(key: &'static str) -> Fault {
        Fault::new(Problem::MissingKey { key })
    }
}

fn found_of(value: &DeValue<'_>) -> Found {
    match value {
        DeValue::String(s) => Found::Text(s.to_string()),
        DeValue::Integer(i) => Found::Integer(i.as_str().to_string()),
        DeValue::Float(f) => Found::Float(f.as_str().to_string()),
        DeValue::Boolean(b) => Found::Boolean(*b),
        DeValue::Datetime(d) => Found::Datetime(d.to_string()),
        DeValue::Array(_) => Found::Array,
        DeValue::Table(_) => Found::Table,
    }
}

fn found_of_unexpected(unexp: de::Unexpected<'_>) -> Found {
    use de::Unexpected as U;
    match unexp {
        U::Bool(b) => Found::Boolean(b),
        U::Signed(i) => Found::Integer(i.to_string()),
        U::Unsigned(u) => Found::Integer(u.to_string()),
        U::Float(x) => Found::Float(x.to_string()),
        U::Str(s) => Found::Text(s.to_string()),
        U::Seq => Found::Array,
        U::Map => Found::Table,
        other => Found::Text(other.to_string()),
    }
}

/// Newtypes of the schema that say what a number or list means, so that a
/// value of the wrong kind is told "a number of hours", not just "a number".
/// Matched by the newtype's name as serde passes it.
fn expectation_of(newtype: &str) -> Option<Expected> {
    Some(match newtype {
        "Hours" => Expected::Hours,
        "Fraction" => Expected::Fraction,
        "Minutes" => Expected::Minutes,
        "Seconds" => Expected::Seconds,
        "Texts" => Expected::Texts,
        "Paths" => Expected::Paths,
        _ => return None,
    })
}

/// Deserializes the whole document.
pub(super) fn from_table<'de, T: de::Deserialize<'de>>(
    table: Spanned<DeTable<'_>>,
) -> Result<T, Fault> {
    let span = table.span();
    let root = Spanned::new(span, DeValue::Table(table.into_inner()));
    T::deserialize(ValueDe(&root))
}

/// One TOML value as a serde deserializer.
#[derive(Clone, Copy)]
struct ValueDe<'a, 'i>(&'a Spanned<DeValue<'i>>);

impl<'a, 'i> ValueDe<'a, 'i> {
    fn value(self) -> &'a DeValue<'i> {
        self.0.get_ref()
    }

    fn wrong(self, expected: Expected) -> Fault {
        Fault::new(Problem::WrongType {
            expected,
            found: found_of(self.value()),
        })
        .at(self.0.span())
    }

    /// A visitor's error, placed at this value.
    fn place(self, wanted: Option<Expected>) -> impl FnOnce(Fault) -> Fault {
        move |e| e.expecting(wanted, self.value()).at(self.0.span())
    }

    fn integer(self) -> Option<i128> {
        match self.value() {
            DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        }
    }
}

impl<'de> IntoDeserializer<'de, Fault> for ValueDe<'_, '_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'_, '_> {
    type Error = Fault;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let result = match self.value() {
            DeValue::String(s) => visitor.visit_str(s),
            DeValue::Integer(_) => match self.integer() {
                Some(n) => match i64::try_from(n) {
                    Ok(n) => visitor.visit_i64(n),
                    Err(_) => visitor.visit_i128(n),
                },
                None => return Err(self.wrong(Expected::WholeNumber)),
            },
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(x) => visitor.visit_f64(x),
                Err(_) => return Err(self.wrong(Expected::Number)),
            },
            DeValue::Boolean(b) => visitor.visit_bool(*b),
            DeValue::Datetime(d) => visitor.visit_string(d.to_string()),
            DeValue::Array(items) => visitor.visit_seq(SeqDe {
                items: items.iter().enumerate(),
            }),
            DeValue::Table(table) => visitor.visit_map(MapDe::new(table)),
        };
        result.map_err(self.place(None))
    }

    /// Any finite number, integer or float.
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let x = match self.value() {
            DeValue::Integer(_) => self.integer().map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => None,
        };
        match x {
            Some(x) if x.is_finite() => visitor
                .visit_f64(x)
                .map_err(self.place(Some(Expected::Number))),
            _ => Err(self.wrong(Expected::Number)),
        }
    }

    /// A whole number; a float with no fraction, like `30.0`, counts.
    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        let n = match self.value() {
            DeValue::Integer(_) => self.integer(),
            DeValue::Float(f) => f
                .as_str()
                .parse::<f64>()
                .ok()
                .filter(|x| x.fract() == 0.0 && x.abs() < 1e18)
                .map(|x| x as i128),
            _ => None,
        };
        match n {
            Some(n) => visitor
                .visit_i128(n)
                .map_err(self.place(Some(Expected::WholeNumber))),
            None => Err(self.wrong(Expected::WholeNumber)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.value() {
            DeValue::String(s) => visitor
                .visit_str(s)
                .map_err(self.place(Some(Expected::Text))),
            _ => Err(self.wrong(Expected::Text)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.value() {
            DeValue::Array(_) => self.deserialize_any(visitor),
            _ => Err(self.wrong(Expected::Array)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        match self.value() {
            DeValue::Table(_) => self.deserialize_any(visitor),
            _ => Err(self.wrong(Expected::Table)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Fault> {
        if is_spanned(name) {
            return visitor.visit_map(SpannedDeserializer::new(self, self.0.span()));
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Fault> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Fault> {
        visitor
            .visit_newtype_struct(self)
            .map_err(self.place(expectation_of(name)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 u8 u16 u32 u64 u128 f32 char bytes byte_buf
        unit unit_struct tuple tuple_struct enum ignored_any
    }
}

struct SeqDe<'a, 'i> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Spanned<DeValue<'i>>>>,
}

impl<'de> SeqAccess<'de> for SeqDe<'_, '_> {
    type Error = Fault;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Fault> {
        let Some((i, item)) = self.items.next() else {
            return Ok(None);
        };
        seed.deserialize(ValueDe(item))
            .map(Some)
            .map_err(|e| e.under(Segment::Index(i)))
    }
}

/// A table's entries in file order, so the first error named is the first
/// in the file.
struct MapDe<'a, 'i> {
    entries: std::vec::IntoIter<(
        &'a Spanned<toml::de::DeString<'i>>,
        &'a Spanned<DeValue<'i>>,
    )>,
    value: Option<(&'a str, &'a Spanned<DeValue<'i>>)>,
}

impl<'a, 'i> MapDe<'a, 'i> {
    fn new(table: &'a DeTable<'i>) -> Self {
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        MapDe {
            entries: entries.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for MapDe<'_, '_> {
    type Error = Fault;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Fault> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key.get_ref(), value));
        // The key as a string value of its own, so `Spanned` keys work too.
        let node = Spanned::new(key.span(), DeValue::String(key.get_ref().clone()));
        seed.deserialize(ValueDe(&node))
            .map(Some)
            .map_err(|e| e.under(Segment::Key(key.get_ref().to_string())))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Fault> {
        let Some((key, value)) = self.value.take() else {
            return Err(Fault::new(Problem::Invalid {
                detail: "a value without its key".into(),
            }));
        };
        seed.deserialize(ValueDe(value))
            .map_err(|e| e.under(Segment::Key(key.to_string())))
    }
}
