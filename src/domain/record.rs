//! The floor-feed records (spec section 1) as stored in memory.
//!
//! Open enumerations keep unknown values "as given" (spec: an unknown
//! priority has no SLA) through an `Other(Sym)` variant.

use super::id::Id;
use super::intern::{Interner, Sym};
use super::time::Ts;

/// An enum whose wire values are fixed strings, plus `Other` for anything else.
macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum $name { $($variant,)* Other(Sym) }

        impl $name {
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            pub fn parse(s: &str, names: &mut Interner) -> Self {
                match s {
                    $($text => $name::$variant,)*
                    other => $name::Other(names.intern(other)),
                }
            }

            /// A known value from its wire string; `None` for anything else.
            pub fn from_known(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }

            /// The wire string; `Other` values are resolved through the interner.
            pub fn as_str<'a>(&self, names: &'a Interner) -> &'a str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => names.resolve(*s),
                }
            }

            /// The same value with its `Other` symbol passed through `f`.
            pub fn map_sym(self, f: &mut impl FnMut(Sym) -> Sym) -> Self {
                match self {
                    $name::Other(s) => $name::Other(f(s)),
                    known => known,
                }
            }

            /// The wire string of a known value.
            pub fn known_str(&self) -> Option<&'static str> {
                match self {
                    $($name::$variant => Some($text),)*
                    $name::Other(_) => None,
                }
            }
        }
    };
}

open_enum!(Channel { Phone => "phone", Chat => "chat", Email => "email", Ticket => "ticket", Social => "social" });
open_enum!(
    /// Agent state; order of `KNOWN` is the order of the `agents` object.
    AgentStateKind { Available => "available", Busy => "busy", Wrap => "wrap", Break => "break", Offline => "offline" }
);
open_enum!(ContactCategory { Consult => "consult", Complaint => "complaint", Tech => "tech", Suggestion => "suggestion" });
open_enum!(
    /// Contact priority; `KNOWN` is ordered most urgent first.
    Priority { Urgent => "urgent", High => "high", Medium => "medium", Low => "low" }
);
open_enum!(FeedbackSource { Chat => "chat", PhoneComplaint => "phone_complaint", Survey => "survey", Social => "social", Email => "email" });
open_enum!(FeedbackCategory { Attitude => "attitude", Expertise => "expertise", Process => "process", System => "system" });
open_enum!(
    /// Feedback-loop stage; `KNOWN` is in loop order.
    Stage { New => "new", Handling => "handling", Resolved => "resolved", Callback => "callback", Closed => "closed" }
);
open_enum!(CallbackResult { Satisfied => "satisfied", Unsatisfied => "unsatisfied", Unreached => "unreached" });
open_enum!(RootCause { Agent => "agent", Process => "process", System => "system", Product => "product" });

impl AgentStateKind {
    /// Index into a `[_; 5]` of the known states, `None` for unknown states.
    pub fn slot(self) -> Option<usize> {
        Self::KNOWN.iter().position(|k| *k == self)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Queue {
    pub id: Sym,
    pub name: Option<Box<str>>,
    pub channel: Option<Channel>,
    /// Service-level threshold in seconds (missing = 20).
    pub sl_seconds: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Agent {
    pub id: Sym,
    pub name: Option<Box<str>>,
    pub team: Option<Box<str>>,
}

/// An append-only agent state change.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentStateEvent {
    pub agent: Sym,
    pub state: AgentStateKind,
    pub at: Ts,
    pub queue: Option<Sym>,
}

impl AgentStateEvent {
    /// The same event with every symbol passed through `f` (see [`Record::map_syms`]).
    pub fn map_syms(&mut self, mut f: impl FnMut(Sym) -> Sym) {
        let AgentStateEvent {
            agent,
            state,
            at: _,
            queue,
        } = self;
        *agent = f(*agent);
        *state = state.map_sym(&mut f);
        if let Some(q) = queue {
            *q = f(*q);
        }
    }
}

/// An agent's state from `at` on, as the floor keeps it: in a list per
/// agent sorted by `at`, equal times in feed order. The agent is the list's
/// key and the state a 4-byte code, so an event takes 16 bytes, not 32:
/// agent states are the floor's most numerous records.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StateChange {
    pub at: Ts,
    pub queue: Option<Sym>,
    /// `AgentStateKind::KNOWN` index, or past them an `Other` symbol's index.
    state: u32,
}

impl StateChange {
    pub fn new(at: Ts, state: AgentStateKind, queue: Option<Sym>) -> StateChange {
        let known = AgentStateKind::KNOWN.len() as u32;
        let state = match AgentStateKind::KNOWN.iter().position(|k| *k == state) {
            Some(i) => i as u32,
            None => match state {
                AgentStateKind::Other(sym) => {
                    known.saturating_add(u32::try_from(sym.index()).unwrap_or(u32::MAX))
                }
                _ => 0,
            },
        };
        StateChange { at, queue, state }
    }

    pub fn state(&self) -> AgentStateKind {
        let known = AgentStateKind::KNOWN.len();
        match AgentStateKind::KNOWN.get(self.state as usize) {
            Some(k) => *k,
            None => AgentStateKind::Other(Sym::from_index(self.state as usize - known)),
        }
    }
}

/// A customer contact. Missing numeric fields are 0; `resolved` missing = true.
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    /// Ids up to 14 bytes live in the slot itself: no allocation per contact.
    pub id: Id,
    pub arrived_at: Option<Ts>,
    pub answered_at: Option<Ts>,
    pub abandoned_at: Option<Ts>,
    pub ended_at: Option<Ts>,
    pub talk_s: f64,
    pub hold_s: f64,
    pub wrap_s: f64,
    pub ivr_s: f64,
    pub channel: Option<Channel>,
    pub queue: Option<Sym>,
    pub customer: Option<Sym>,
    pub agent: Option<Sym>,
    pub category: Option<ContactCategory>,
    pub priority: Option<Priority>,
    /// The text and the callback times, which most contacts lack: boxed,
    /// and `None` when all three are missing (see [`ContactExtra::of`]), so
    /// that a contact slot is 128 bytes, not 152.
    pub extra: Option<Box<ContactExtra>>,
    /// Two bytes keep a `Contact` at 128 (a contact with more than 65 535
    /// transfers is a broken line, refused by the loader).
    pub transfers: u16,
    pub resolved: bool,
}

/// A contact's fields that most contacts lack; read them through
/// [`Contact::text`], [`Contact::promised_callback_at`] and
/// [`Contact::callback_at`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ContactExtra {
    pub text: Option<Box<str>>,
    pub promised_callback_at: Option<Ts>,
    pub callback_at: Option<Ts>,
}

impl ContactExtra {
    /// The box of a contact with these fields: `None` when all are missing,
    /// so that two equal contacts compare equal.
    pub fn of(
        text: Option<Box<str>>,
        promised_callback_at: Option<Ts>,
        callback_at: Option<Ts>,
    ) -> Option<Box<ContactExtra>> {
        if text.is_none() && promised_callback_at.is_none() && callback_at.is_none() {
            None
        } else {
            Some(Box::new(ContactExtra {
                text,
                promised_callback_at,
                callback_at,
            }))
        }
    }
}

impl Contact {
    pub fn text(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.text.as_deref())
    }
    pub fn promised_callback_at(&self) -> Option<Ts> {
        self.extra.as_ref().and_then(|e| e.promised_callback_at)
    }
    pub fn callback_at(&self) -> Option<Ts> {
        self.extra.as_ref().and_then(|e| e.callback_at)
    }

    /// Replaces the text, the promised callback time and the callback time
    /// through `f`, keeping the box only while one of them is there.
    pub fn set_extra(&mut self, f: impl FnOnce(&mut ContactExtra)) {
        let mut e = self.extra.take().map_or_else(ContactExtra::default, |b| *b);
        f(&mut e);
        self.extra = ContactExtra::of(e.text, e.promised_callback_at, e.callback_at);
    }

    pub fn is_answered(&self) -> bool {
        self.answered_at.is_some()
    }
    pub fn is_abandoned(&self) -> bool {
        self.abandoned_at.is_some() && self.answered_at.is_none()
    }
    pub fn is_handled(&self) -> bool {
        self.answered_at.is_some() && self.ended_at.is_some()
    }
    pub fn handle_s(&self) -> f64 {
        self.talk_s + self.hold_s + self.wrap_s
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Survey {
    pub id: Id,
    pub contact: Option<Id>,
    pub at: Option<Ts>,
    /// 1–5, missing = no score.
    pub csat: Option<f64>,
    /// 0–10, missing = no score.
    pub nps: Option<f64>,
    pub comment: Option<Box<str>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    pub id: Id,
    pub source: Option<FeedbackSource>,
    pub summary: Option<Box<str>>,
    pub customer: Option<Sym>,
    pub received_at: Option<Ts>,
    pub category: Option<FeedbackCategory>,
    pub owner: Option<Sym>,
    pub stage: Option<Stage>,
    pub due_at: Option<Ts>,
    pub result: Option<Box<str>>,
    pub callback_result: Option<CallbackResult>,
    pub root_cause: Option<RootCause>,
}

/// Aggregates from sources that have no per-contact data (e.g. telephony).
#[derive(Clone, Debug, PartialEq)]
pub struct QueueStats {
    pub queue: Sym,
    pub at: Option<Ts>,
    pub waiting: u32,
    pub longest_wait_s: f64,
    /// Counts in `AgentStateKind::KNOWN` order.
    pub agents: [u32; 5],
}

/// A planned shift (optional in a feed): `agent` is on the floor from
/// `start` to `end` (end after start, at most 24 h), for `queue` when
/// given. Append-only, like agent states; see `domain::shifts` for how
/// overlaps, queue-less shifts and unknown agents count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shift {
    pub agent: Sym,
    pub start: Ts,
    pub end: Ts,
    pub queue: Option<Sym>,
}

/// One decoded feed line, ready to apply to a [`super::floor::Floor`].
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    Queue(Queue),
    Agent(Agent),
    /// `seq` is assigned by the floor when applied.
    AgentState(AgentStateEvent),
    Contact(Contact),
    Survey(Survey),
    Feedback(Feedback),
    QueueStats(QueueStats),
    Shift(Shift),
    /// A `type` this version does not know: counted and skipped.
    Unknown(String),
}

impl Record {
    /// Passes every symbol of the record through `f`: a record decoded
    /// against one interner is moved to another (the parallel loader
    /// decodes pieces of a file against their own interners). Every field
    /// is named, so a new symbol field cannot be forgotten here.
    pub fn map_syms(&mut self, mut f: impl FnMut(Sym) -> Sym) {
        fn opt<T: Copy>(v: &mut Option<T>, m: impl FnOnce(T) -> T) {
            if let Some(x) = v {
                *x = m(*x);
            }
        }
        let f = &mut f;
        match self {
            Record::Queue(Queue {
                id,
                name: _,
                channel,
                sl_seconds: _,
            }) => {
                *id = f(*id);
                opt(channel, |c| c.map_sym(f));
            }
            Record::Agent(Agent {
                id,
                name: _,
                team: _,
            }) => *id = f(*id),
            Record::AgentState(e) => e.map_syms(f),
            Record::Contact(Contact {
                id: _,
                arrived_at: _,
                answered_at: _,
                abandoned_at: _,
                ended_at: _,
                talk_s: _,
                hold_s: _,
                wrap_s: _,
                ivr_s: _,
                channel,
                queue,
                customer,
                agent,
                category,
                priority,
                extra: _,
                transfers: _,
                resolved: _,
            }) => {
                opt(channel, |c| c.map_sym(f));
                opt(queue, &mut *f);
                opt(customer, &mut *f);
                opt(agent, &mut *f);
                opt(category, |c| c.map_sym(f));
                opt(priority, |p| p.map_sym(f));
            }
            Record::Survey(Survey {
                id: _,
                contact: _,
                at: _,
                csat: _,
                nps: _,
                comment: _,
            }) => {}
            Record::Feedback(Feedback {
                id: _,
                source,
                summary: _,
                customer,
                received_at: _,
                category,
                owner,
                stage,
                due_at: _,
                result: _,
                callback_result,
                root_cause,
            }) => {
                opt(source, |s| s.map_sym(f));
                opt(customer, &mut *f);
                opt(category, |c| c.map_sym(f));
                opt(owner, &mut *f);
                opt(stage, |s| s.map_sym(f));
                opt(callback_result, |c| c.map_sym(f));
                opt(root_cause, |r| r.map_sym(f));
            }
            Record::QueueStats(QueueStats {
                queue,
                at: _,
                waiting: _,
                longest_wait_s: _,
                agents: _,
            }) => *queue = f(*queue),
            Record::Shift(Shift {
                agent,
                start: _,
                end: _,
                queue,
            }) => {
                *agent = f(*agent);
                opt(queue, &mut *f);
            }
            Record::Unknown(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_change_keeps_its_state_in_four_bytes() {
        assert_eq!(std::mem::size_of::<StateChange>(), 16);
        let mut names = Interner::default();
        let at = Ts::from_secs(1_795_000_000);
        let lunch = AgentStateKind::parse("lunch", &mut names);
        for state in AgentStateKind::KNOWN.iter().copied().chain([lunch]) {
            let e = StateChange::new(at, state, None);
            assert_eq!(e.state(), state);
        }
        assert_eq!(
            StateChange::new(at, lunch, None).state().as_str(&names),
            "lunch"
        );
    }

    #[test]
    fn a_contact_fits_128_bytes() {
        assert_eq!(std::mem::size_of::<Contact>(), 128);
    }

    /// The rare fields read back as set, one by one and together, and the
    /// box goes when the last of them does: a contact that lost its text
    /// equals one that never had any.
    #[test]
    fn a_contact_boxes_its_text_and_callbacks_only_while_it_has_one() {
        let (p, c) = (Ts::from_secs(1_795_000_000), Ts::from_secs(1_795_000_060));
        let mut k = crate::domain::testkit::contact("k1");
        let bare = k.clone();
        assert_eq!(
            (k.text(), k.promised_callback_at(), k.callback_at()),
            (None, None, None)
        );
        assert!(k.extra.is_none());
        k.set_extra(|e| e.text = Some("退款 refund".into()));
        assert_eq!(k.text(), Some("退款 refund"));
        k.set_extra(|e| e.promised_callback_at = Some(p));
        k.set_extra(|e| e.callback_at = Some(c));
        assert_eq!(
            (k.text(), k.promised_callback_at(), k.callback_at()),
            (Some("退款 refund"), Some(p), Some(c))
        );
        k.set_extra(|e| e.text = None);
        assert_eq!((k.text(), k.callback_at()), (None, Some(c)));
        k.set_extra(|e| {
            e.promised_callback_at = None;
            e.callback_at = None;
        });
        assert!(k.extra.is_none());
        assert_eq!(k, bare);
        assert!(ContactExtra::of(None, None, None).is_none());
        assert_eq!(
            ContactExtra::of(None, None, Some(c)).map(|e| e.callback_at),
            Some(Some(c))
        );
    }
}
