//! The shape of one floor-feed line before it becomes a record: every field
//! any record type may carry, borrowed from the line. The serde path
//! ([`super::wire`]) and the fast scanner ([`super::fastline`]) both fill it.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// The longest duration a line may give, in seconds: 366 days. No contact,
/// wait or service-level threshold lasts longer; beyond it a value is a bug
/// or an attack (`1e308` twice sums to infinity), so the line is malformed.
pub const MAX_DURATION_S: f64 = 366.0 * 86_400.0;

/// A string field that may hold an integer id (read as its decimal string).
#[derive(Debug)]
pub(super) struct IdStr<'a>(pub(super) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for IdStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IdStr<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or integer id")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(IdStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(IdStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(IdStr(Cow::Owned(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(IdStr(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(IdStr(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

/// Every field any record type may carry.
#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub(super) struct Line<'a> {
    #[serde(rename = "type", borrow)]
    pub(super) kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) id: Option<IdStr<'a>>,
    #[serde(borrow)]
    pub(super) name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) channel: Option<Cow<'a, str>>,
    pub(super) sl_seconds: Option<f64>,
    #[serde(borrow)]
    pub(super) team: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) agent: Option<IdStr<'a>>,
    #[serde(borrow)]
    pub(super) state: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) queue: Option<IdStr<'a>>,
    #[serde(borrow)]
    pub(super) customer: Option<IdStr<'a>>,
    #[serde(borrow)]
    pub(super) arrived_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) answered_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) abandoned_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) ended_at: Option<Cow<'a, str>>,
    pub(super) talk_s: Option<f64>,
    pub(super) hold_s: Option<f64>,
    pub(super) wrap_s: Option<f64>,
    pub(super) ivr_s: Option<f64>,
    pub(super) transfers: Option<f64>,
    #[serde(borrow)]
    pub(super) category: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) priority: Option<Cow<'a, str>>,
    pub(super) resolved: Option<bool>,
    #[serde(borrow)]
    pub(super) promised_callback_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) callback_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) contact: Option<IdStr<'a>>,
    pub(super) csat: Option<f64>,
    pub(super) nps: Option<f64>,
    #[serde(borrow)]
    pub(super) comment: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) summary: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) received_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) owner: Option<IdStr<'a>>,
    #[serde(borrow)]
    pub(super) stage: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) due_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) result: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) callback_result: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) root_cause: Option<Cow<'a, str>>,
    pub(super) waiting: Option<f64>,
    pub(super) longest_wait_s: Option<f64>,
    pub(super) agents: Option<AgentsObject>,
    #[serde(borrow)]
    pub(super) start: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) end: Option<Cow<'a, str>>,
}

/// `queue_stats.agents`: state → count; unknown states are ignored.
#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub(super) struct AgentsObject {
    pub(super) available: Option<f64>,
    pub(super) busy: Option<f64>,
    pub(super) wrap: Option<f64>,
    #[serde(rename = "break")]
    pub(super) on_break: Option<f64>,
    pub(super) offline: Option<f64>,
}
