//! A small floor builder for tests: the domain modules' unit tests and, with
//! the `testkit` cargo feature (on for this crate's own integration tests and
//! benchmarks through its dev-dependency on itself), the KPI spec tests.
//! Not part of the program: a release build leaves it out.
//!
//! Every timestamp is given as "HH:MM:SS[.f]" on 2026-11-22 UTC, or as a
//! full RFC 3339 string.

use crate::domain::floor::Floor;
use crate::domain::intern::Sym;
use crate::domain::notes::KpiNoteEntry;
use crate::domain::record::*;
use crate::domain::snapshot::SpotCheckItem;
use crate::domain::time::{Ts, parse_rfc3339};

/// An instant on 2026-11-22 (UTC) from "HH:MM:SS[.f]" or a full RFC 3339 string.
pub fn t(s: &str) -> Ts {
    let full = if s.contains('T') {
        s.to_string()
    } else {
        format!("2026-11-22T{s}Z")
    };
    parse_rfc3339(&full).expect("test timestamp")
}

/// A contact with nothing but its id: no times, no queue, resolved.
pub fn contact(id: &str) -> Contact {
    Contact {
        id: id.into(),
        arrived_at: None,
        answered_at: None,
        abandoned_at: None,
        ended_at: None,
        talk_s: 0.0,
        hold_s: 0.0,
        wrap_s: 0.0,
        ivr_s: 0.0,
        channel: None,
        queue: None,
        customer: None,
        agent: None,
        category: None,
        priority: None,
        extra: None,
        transfers: 0,
        resolved: true,
    }
}

/// A contact handled in 4m30s (250 s talk, 20 s wrap) that ended at `end`:
/// arrived 5 minutes before, answered 10 s after arriving.
pub fn handled(id: &str, end: Ts) -> Contact {
    Contact {
        arrived_at: Some(end.add_secs(-300)),
        answered_at: Some(end.add_secs(-290)),
        ended_at: Some(end),
        talk_s: 250.0,
        wrap_s: 20.0,
        ..contact(id)
    }
}

/// The lead's note on AHT for week 2026-W47.
pub fn aht_note(cause: &str, action: &str) -> KpiNoteEntry {
    KpiNoteEntry {
        week: "2026-W47".into(),
        kpi: crate::domain::KpiKey::AhtS,
        cause: cause.into(),
        action: action.into(),
    }
}

/// A spot-check pick of `contact`, handled by `agent`, with no flags.
pub fn pick(contact: &str, agent: &str) -> SpotCheckItem {
    SpotCheckItem {
        contact: contact.into(),
        agent: agent.into(),
        flags: Vec::new(),
        customer: None,
        ended_at: None,
    }
}

/// xorshift64*: a seeded generator for generated floors, so a failure
/// repeats. The seed must not be 0 (it would stay 0).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A floor being built record by record.
#[derive(Default)]
pub struct Builder {
    pub floor: Floor,
}

/// One contact being described; applied to the floor by [`Draft::done`].
pub struct Draft<'a> {
    b: &'a mut Builder,
    c: Contact,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    pub fn sym(&mut self, s: &str) -> Sym {
        self.floor.names.intern(s)
    }

    /// A phone queue with its service-level threshold.
    pub fn queue(&mut self, id: &str, sl_seconds: f64) -> &mut Self {
        let id = self.sym(id);
        self.floor.apply(Record::Queue(Queue {
            id,
            name: None,
            channel: Some(Channel::Phone),
            sl_seconds,
        }));
        self
    }

    /// A contact that arrived at `arrived` in queue "q", described further
    /// by the [`Draft`]'s methods.
    pub fn contact(&mut self, id: &str, arrived: &str) -> Draft<'_> {
        let mut c = contact(id);
        c.arrived_at = Some(t(arrived));
        c.queue = Some(self.sym("q"));
        Draft { b: self, c }
    }

    /// A contact in `queue` that arrived at `arrived` and, when given, was
    /// answered at `answered` and ended at `ended` (handled).
    pub fn call(
        &mut self,
        id: &str,
        queue: &str,
        customer: Option<&str>,
        arrived: &str,
        answered: Option<&str>,
        ended: Option<&str>,
    ) -> &mut Self {
        let mut c = contact(id);
        c.queue = Some(self.sym(queue));
        c.customer = customer.map(|s| self.sym(s));
        c.arrived_at = Some(t(arrived));
        c.answered_at = answered.map(t);
        c.ended_at = ended.map(t);
        self.floor.apply(Record::Contact(c));
        self
    }

    pub fn apply_contact(&mut self, c: Contact) -> &mut Self {
        self.floor.apply(Record::Contact(c));
        self
    }

    /// An agent state change with no queue.
    pub fn state(&mut self, agent: &str, state: AgentStateKind, at: &str) -> &mut Self {
        self.state_in(agent, state, at, None)
    }

    /// An agent state change, in `queue` when given.
    pub fn state_in(
        &mut self,
        agent: &str,
        state: AgentStateKind,
        at: &str,
        queue: Option<&str>,
    ) -> &mut Self {
        let agent = self.sym(agent);
        let queue = queue.map(|q| self.sym(q));
        self.floor.apply(Record::AgentState(AgentStateEvent {
            agent,
            state,
            at: t(at),
            queue,
        }));
        self
    }

    pub fn survey(
        &mut self,
        id: &str,
        contact: &str,
        at: &str,
        csat: Option<f64>,
        nps: Option<f64>,
    ) -> &mut Self {
        self.floor.apply(Record::Survey(Survey {
            id: id.into(),
            contact: Some(contact.into()),
            at: Some(t(at)),
            csat,
            nps,
            comment: None,
        }));
        self
    }
}

impl Draft<'_> {
    pub fn queue(mut self, q: &str) -> Self {
        self.c.queue = Some(self.b.sym(q));
        self
    }
    pub fn customer(mut self, cust: &str) -> Self {
        self.c.customer = Some(self.b.sym(cust));
        self
    }
    pub fn agent(mut self, a: &str) -> Self {
        self.c.agent = Some(self.b.sym(a));
        self
    }
    pub fn answered(mut self, at: &str) -> Self {
        self.c.answered_at = Some(t(at));
        self
    }
    pub fn abandoned(mut self, at: &str) -> Self {
        self.c.abandoned_at = Some(t(at));
        self
    }
    pub fn ended(mut self, at: &str) -> Self {
        self.c.ended_at = Some(t(at));
        self
    }
    /// Answered at `answered`, ended at `ended` (a handled contact).
    pub fn handled(self, answered: &str, ended: &str) -> Self {
        self.answered(answered).ended(ended)
    }
    pub fn times(mut self, talk: f64, hold: f64, wrap: f64) -> Self {
        (self.c.talk_s, self.c.hold_s, self.c.wrap_s) = (talk, hold, wrap);
        self
    }
    pub fn transfers(mut self, n: u16) -> Self {
        self.c.transfers = n;
        self
    }
    pub fn unresolved(mut self) -> Self {
        self.c.resolved = false;
        self
    }
    pub fn priority(mut self, p: Priority) -> Self {
        self.c.priority = Some(p);
        self
    }
    pub fn done(self) {
        self.b.floor.apply(Record::Contact(self.c));
    }
}
