//! A fast path for the common feed line: one flat JSON object of strings,
//! numbers, booleans and nulls, with no escapes.
//!
//! Loading a million records a second leaves about a microsecond a line,
//! more than a generic deserializer spends on a 300-byte object. This
//! scanner reads the common case directly into the same [`Line`] the serde
//! path fills, and gives up (`None`) on anything else — escapes, nested
//! values other than `agents`, duplicate keys, odd numbers, a field of the
//! wrong JSON type — so that serde decodes (or reports) those lines. Both
//! paths therefore accept and reject exactly the same lines; a test compares
//! them on every line of the simulator's output and on mangled variants.

use std::borrow::Cow;

use super::line::{AgentsObject, IdStr, Line, MAX_DURATION_S};
use crate::domain::intern::Interner;
use crate::domain::record::{
    AgentStateEvent, AgentStateKind, Channel, Contact, ContactCategory, ContactExtra, Priority,
    Record,
};
use crate::domain::time::{Ts, parse_rfc3339};

/// One scalar JSON value, borrowed from the line.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Val<'a> {
    Null,
    Str(&'a str),
    /// A number, and whether it was written as an integer literal.
    Num(f64, bool),
    Bool(bool),
}

struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// A string without escapes or control characters (the opening quote is next).
    #[inline(always)]
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.i;
        // One pass, eight bytes at a time: most strings are short ids and
        // timestamps, where a vectorised search plus a second pass for
        // control characters costs more than it saves.
        let b = self.b;
        let mut end = start;
        while let Some(word) = b.get(end..end + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let stops = stop_bytes(u64::from_le_bytes(w));
            if stops != 0 {
                end += (stops.trailing_zeros() / 8) as usize;
                break;
            }
            end += 8;
        }
        loop {
            match *b.get(end)? {
                b'"' => break,
                b'\\' => return None,
                c if c < 0x20 => return None,
                _ => end += 1,
            }
        }
        self.i = end + 1;
        self.s.get(start..end)
    }

    /// A number in strict JSON grammar; anything unusual is left to serde.
    #[inline(always)]
    fn number(&mut self) -> Option<Val<'a>> {
        let start = self.i;
        let b = self.b;
        let mut i = self.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let int_len = i - int_start;
        if int_len == 0 || (int_len > 1 && b[int_start] == b'0') {
            return None;
        }
        let mut integer = true;
        if b.get(i) == Some(&b'.') {
            integer = false;
            i += 1;
            let f = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == f {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let e = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == e {
                return None;
            }
        }
        // Long integers lose precision as f64; serde reads them exactly.
        if integer && int_len > 15 {
            return None;
        }
        let v: f64 = if integer {
            // At most 15 digits: exact in a u64 and in an f64, as parsed.
            let n = b[int_start..i]
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            if int_start > start {
                -(n as f64)
            } else {
                n as f64
            }
        } else {
            self.s.get(start..i)?.parse().ok()?
        };
        // `-0` as an id: leave the spelling question to serde.
        if !v.is_finite() || (integer && v == 0.0 && b[start] == b'-') {
            return None;
        }
        self.i = i;
        Some(Val::Num(v, integer))
    }

    fn literal(&mut self, word: &str, v: Val<'a>) -> Option<Val<'a>> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Some(v)
        } else {
            None
        }
    }

    #[inline(always)]
    fn scalar(&mut self) -> Option<Val<'a>> {
        match *self.b.get(self.i)? {
            b'"' => self.string().map(Val::Str),
            b'n' => self.literal("null", Val::Null),
            b't' => self.literal("true", Val::Bool(true)),
            b'f' => self.literal("false", Val::Bool(false)),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// Iterate `"key": value` pairs of an object, calling `f` for each.
    fn object(&mut self, mut f: impl FnMut(&'a str, &mut Self) -> Option<()>) -> Option<()> {
        self.ws();
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            f(key, self)?;
            self.ws();
            match *self.b.get(self.i)? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// A mask with the high bit set in the first byte of `w` (little-endian)
/// that is a quote, a backslash or a control character, and maybe in some
/// later bytes; zero when there is none.
fn stop_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte is zero in `x ^ c` where it equals c; the lowest byte flagged
    // by `(x - ONES) & !x` is always a true zero (a borrow only reaches
    // the bytes above one), and the same holds for "below 0x20".
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let quote = zero(w ^ (ONES * u64::from(b'"')));
    let slash = zero(w ^ (ONES * u64::from(b'\\')));
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    (quote | slash | control) & HIGH
}

fn text(v: Val<'_>) -> Option<Option<Cow<'_, str>>> {
    match v {
        Val::Null => Some(None),
        Val::Str(s) => Some(Some(Cow::Borrowed(s))),
        _ => None,
    }
}

fn id(v: Val<'_>) -> Option<Option<IdStr<'_>>> {
    match v {
        Val::Null => Some(None),
        Val::Str(s) => Some(Some(IdStr(Cow::Borrowed(s)))),
        // serde reads integer literals as ids and refuses floats.
        Val::Num(n, true) => Some(Some(IdStr(Cow::Owned(format!("{n:.0}"))))),
        _ => None,
    }
}

fn num(v: Val<'_>) -> Option<Option<f64>> {
    match v {
        Val::Null => Some(None),
        Val::Num(n, _) => Some(Some(n)),
        _ => None,
    }
}

fn boolean(v: Val<'_>) -> Option<Option<bool>> {
    match v {
        Val::Null => Some(None),
        Val::Bool(b) => Some(Some(b)),
        _ => None,
    }
}

/// Set a field once; a second occurrence of a key is left to serde (which rejects it).
#[inline]
fn once<T>(slot: &mut Option<T>, seen: &mut u64, bit: u32, value: Option<T>) -> Option<()> {
    if *seen & (1 << bit) != 0 {
        return None;
    }
    *seen |= 1 << bit;
    *slot = value;
    Some(())
}

/// Scan a line, or `None` to let serde decide.
/// Scan a line into `l`; `false` means: let serde decide (then `l` is
/// partly filled and must be overwritten).
pub(super) fn scan<'a>(line: &'a [u8], l: &mut Line<'a>) -> bool {
    scan_into(line, l).is_some()
}

fn scan_into<'a>(line: &'a [u8], l: &mut Line<'a>) -> Option<()> {
    let s = std::str::from_utf8(line).ok()?;
    let mut c = Cursor { s, b: line, i: 0 };
    let mut seen: u64 = 0;
    c.object(|key, c| {
        if key == "agents" {
            if c.b.get(c.i) == Some(&b'n') {
                c.literal("null", Val::Null)?;
                return once(&mut l.agents, &mut seen, 44, None);
            }
            let mut a = AgentsObject::default();
            let mut seen_a: u64 = 0;
            c.object(|k, c| {
                let v = num(c.scalar()?)?;
                match k {
                    "available" => once(&mut a.available, &mut seen_a, 0, v),
                    "busy" => once(&mut a.busy, &mut seen_a, 1, v),
                    "wrap" => once(&mut a.wrap, &mut seen_a, 2, v),
                    "break" => once(&mut a.on_break, &mut seen_a, 3, v),
                    "offline" => once(&mut a.offline, &mut seen_a, 4, v),
                    _ => Some(()),
                }
            })?;
            return once(&mut l.agents, &mut seen, 44, Some(a));
        }
        let v = c.scalar()?;
        match key {
            "type" => once(&mut l.kind, &mut seen, 0, text(v)?),
            "id" => once(&mut l.id, &mut seen, 1, id(v)?),
            "name" => once(&mut l.name, &mut seen, 2, text(v)?),
            "channel" => once(&mut l.channel, &mut seen, 3, text(v)?),
            "sl_seconds" => once(&mut l.sl_seconds, &mut seen, 4, num(v)?),
            "team" => once(&mut l.team, &mut seen, 5, text(v)?),
            "agent" => once(&mut l.agent, &mut seen, 6, id(v)?),
            "state" => once(&mut l.state, &mut seen, 7, text(v)?),
            "at" => once(&mut l.at, &mut seen, 8, text(v)?),
            "queue" => once(&mut l.queue, &mut seen, 9, id(v)?),
            "customer" => once(&mut l.customer, &mut seen, 10, id(v)?),
            "arrived_at" => once(&mut l.arrived_at, &mut seen, 11, text(v)?),
            "answered_at" => once(&mut l.answered_at, &mut seen, 12, text(v)?),
            "abandoned_at" => once(&mut l.abandoned_at, &mut seen, 13, text(v)?),
            "ended_at" => once(&mut l.ended_at, &mut seen, 14, text(v)?),
            "talk_s" => once(&mut l.talk_s, &mut seen, 15, num(v)?),
            "hold_s" => once(&mut l.hold_s, &mut seen, 16, num(v)?),
            "wrap_s" => once(&mut l.wrap_s, &mut seen, 17, num(v)?),
            "ivr_s" => once(&mut l.ivr_s, &mut seen, 18, num(v)?),
            "transfers" => once(&mut l.transfers, &mut seen, 19, num(v)?),
            "category" => once(&mut l.category, &mut seen, 20, text(v)?),
            "priority" => once(&mut l.priority, &mut seen, 21, text(v)?),
            "resolved" => once(&mut l.resolved, &mut seen, 22, boolean(v)?),
            "promised_callback_at" => once(&mut l.promised_callback_at, &mut seen, 23, text(v)?),
            "callback_at" => once(&mut l.callback_at, &mut seen, 24, text(v)?),
            "text" => once(&mut l.text, &mut seen, 25, text(v)?),
            "contact" => once(&mut l.contact, &mut seen, 26, id(v)?),
            "csat" => once(&mut l.csat, &mut seen, 27, num(v)?),
            "nps" => once(&mut l.nps, &mut seen, 28, num(v)?),
            "comment" => once(&mut l.comment, &mut seen, 29, text(v)?),
            "source" => once(&mut l.source, &mut seen, 30, text(v)?),
            "summary" => once(&mut l.summary, &mut seen, 31, text(v)?),
            "received_at" => once(&mut l.received_at, &mut seen, 32, text(v)?),
            "owner" => once(&mut l.owner, &mut seen, 33, id(v)?),
            "stage" => once(&mut l.stage, &mut seen, 34, text(v)?),
            "due_at" => once(&mut l.due_at, &mut seen, 35, text(v)?),
            "result" => once(&mut l.result, &mut seen, 36, text(v)?),
            "callback_result" => once(&mut l.callback_result, &mut seen, 37, text(v)?),
            "root_cause" => once(&mut l.root_cause, &mut seen, 38, text(v)?),
            "waiting" => once(&mut l.waiting, &mut seen, 39, num(v)?),
            "longest_wait_s" => once(&mut l.longest_wait_s, &mut seen, 40, num(v)?),
            "start" => once(&mut l.start, &mut seen, 41, text(v)?),
            "end" => once(&mut l.end, &mut seen, 42, text(v)?),
            // Unknown fields are ignored, as serde does.
            _ => Some(()),
        }
    })?;
    c.ws();
    (c.i == line.len()).then_some(())
}

/// The two commonest lines, agent states and contacts, decoded straight
/// into their records, as [`super::wire::decode_line`] would decode them,
/// or `None` to take the general path.
///
/// Most of a feed is these two, written by a program: `type` first, one
/// flat object, no spaces. Filling the general [`Line`] (a kilobyte of
/// every field of every type) and matching each key against all of them
/// cost more than the rest of the line. Here only the type's own fields
/// are read; anything else (another key, a repeated one, `null`, a number
/// where a string goes, spaces, a value the record refuses) gives up, and
/// the general path decodes or reports the line. Names are interned only
/// once the line is known good, in the order the general path interns
/// them, so symbols are numbered alike either way.
pub(super) fn decode_common(line: &[u8], names: &mut Interner) -> Option<Record> {
    const STATE: &[u8] = br#"{"type":"agent_state","#;
    const CONTACT: &[u8] = br#"{"type":"contact","#;
    if line.starts_with(STATE) {
        agent_state(line, STATE.len(), names)
    } else if line.starts_with(CONTACT) {
        contact(line, CONTACT.len(), names)
    } else {
        None
    }
}

/// Calls `f` with each `"key":value` of the rest of an object that starts
/// at `from` (just after a comma), with no spaces anywhere; the object
/// must end the line.
fn fields<'a>(
    line: &'a [u8],
    from: usize,
    mut f: impl FnMut(&'a str, &mut Cursor<'a>) -> Option<()>,
) -> Option<()> {
    let s = std::str::from_utf8(line).ok()?;
    let mut c = Cursor {
        s,
        b: line,
        i: from,
    };
    loop {
        let key = c.string()?;
        c.eat(b':')?;
        f(key, &mut c)?;
        match *c.b.get(c.i)? {
            b',' => c.i += 1,
            b'}' => return (c.i + 1 == line.len()).then_some(()),
            _ => return None,
        }
    }
}

/// Set a field that must come once, from a value `read` gives.
#[inline(always)]
fn first<T>(slot: &mut Option<T>, read: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(read?);
    Some(())
}

impl<'a> Cursor<'a> {
    /// A string value (not `null`, not a number).
    #[inline(always)]
    fn str_value(&mut self) -> Option<&'a str> {
        self.string()
    }

    /// A number value (not `null`).
    #[inline(always)]
    fn num_value(&mut self) -> Option<f64> {
        match *self.b.get(self.i)? {
            b'-' | b'0'..=b'9' => match self.number()? {
                Val::Num(n, _) => Some(n),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A non-empty id, as `key` in the general path requires.
fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn instant(s: Option<&str>) -> Option<Option<Ts>> {
    match s {
        None => Some(None),
        Some(s) => parse_rfc3339(s).ok().map(Some),
    }
}

fn agent_state(line: &[u8], from: usize, names: &mut Interner) -> Option<Record> {
    let (mut agent, mut state, mut at, mut queue) = (None, None, None, None);
    fields(line, from, |key, c| match key {
        "agent" => first(&mut agent, c.str_value()),
        "state" => first(&mut state, c.str_value()),
        "at" => first(&mut at, c.str_value()),
        "queue" => first(&mut queue, c.str_value()),
        _ => None,
    })?;
    let (agent, state) = (non_empty(agent?)?, state?);
    let at = parse_rfc3339(at?).ok()?;
    // Interned as the general path interns: agent, state, queue.
    let agent = names.intern(agent);
    Some(Record::AgentState(AgentStateEvent {
        agent,
        state: AgentStateKind::parse(state, names),
        at,
        queue: queue.map(|q| names.intern(q)),
    }))
}

/// A contact line's fields, as read.
#[derive(Default)]
struct ContactFields<'a> {
    id: Option<&'a str>,
    channel: Option<&'a str>,
    queue: Option<&'a str>,
    customer: Option<&'a str>,
    agent: Option<&'a str>,
    arrived_at: Option<&'a str>,
    answered_at: Option<&'a str>,
    abandoned_at: Option<&'a str>,
    ended_at: Option<&'a str>,
    promised_callback_at: Option<&'a str>,
    callback_at: Option<&'a str>,
    category: Option<&'a str>,
    priority: Option<&'a str>,
    text: Option<&'a str>,
    talk_s: Option<f64>,
    hold_s: Option<f64>,
    wrap_s: Option<f64>,
    ivr_s: Option<f64>,
    transfers: Option<f64>,
    resolved: Option<bool>,
}

fn contact(line: &[u8], from: usize, names: &mut Interner) -> Option<Record> {
    let mut f = ContactFields::default();
    fields(line, from, |key, c| match key {
        "id" => first(&mut f.id, c.str_value()),
        "channel" => first(&mut f.channel, c.str_value()),
        "queue" => first(&mut f.queue, c.str_value()),
        "customer" => first(&mut f.customer, c.str_value()),
        "agent" => first(&mut f.agent, c.str_value()),
        "arrived_at" => first(&mut f.arrived_at, c.str_value()),
        "answered_at" => first(&mut f.answered_at, c.str_value()),
        "abandoned_at" => first(&mut f.abandoned_at, c.str_value()),
        "ended_at" => first(&mut f.ended_at, c.str_value()),
        "promised_callback_at" => first(&mut f.promised_callback_at, c.str_value()),
        "callback_at" => first(&mut f.callback_at, c.str_value()),
        "category" => first(&mut f.category, c.str_value()),
        "priority" => first(&mut f.priority, c.str_value()),
        "text" => first(&mut f.text, c.str_value()),
        "talk_s" => first(&mut f.talk_s, c.num_value()),
        "hold_s" => first(&mut f.hold_s, c.num_value()),
        "wrap_s" => first(&mut f.wrap_s, c.num_value()),
        "ivr_s" => first(&mut f.ivr_s, c.num_value()),
        "transfers" => first(&mut f.transfers, c.num_value()),
        "resolved" => first(
            &mut f.resolved,
            match c.scalar()? {
                Val::Bool(b) => Some(b),
                _ => None,
            },
        ),
        _ => None,
    })?;
    let duration = |v: Option<f64>| -> Option<f64> {
        match v {
            None => Some(0.0),
            Some(x) if (0.0..=MAX_DURATION_S).contains(&x) => Some(x),
            Some(_) => None,
        }
    };
    let transfers = match f.transfers {
        None => 0,
        Some(x) if x.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&x) => x as u16,
        Some(_) => return None,
    };
    let contact = Contact {
        id: non_empty(f.id?)?.into(),
        arrived_at: instant(f.arrived_at)?,
        answered_at: instant(f.answered_at)?,
        abandoned_at: instant(f.abandoned_at)?,
        ended_at: instant(f.ended_at)?,
        extra: ContactExtra::of(
            f.text.map(Box::from),
            instant(f.promised_callback_at)?,
            instant(f.callback_at)?,
        ),
        talk_s: duration(f.talk_s)?,
        hold_s: duration(f.hold_s)?,
        wrap_s: duration(f.wrap_s)?,
        ivr_s: duration(f.ivr_s)?,
        // Interned as the general path interns: channel, queue, customer,
        // agent, category, priority.
        channel: f.channel.map(|c| Channel::parse(c, names)),
        queue: f.queue.map(|q| names.intern(q)),
        customer: f.customer.map(|c| names.intern(c)),
        agent: f.agent.map(|a| names.intern(a)),
        category: f.category.map(|c| ContactCategory::parse(c, names)),
        priority: f.priority.map(|p| Priority::parse(p, names)),
        transfers,
        resolved: f.resolved.unwrap_or(true),
    };
    Some(Record::Contact(contact))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_line_takes_the_fast_path() {
        let mut l = Line::default();
        assert!(scan(
            br#"{"type":"contact","id":7,"talk_s":12.5,"resolved":false,"x":null,"agents":{"busy":2}}"#,
            &mut l
        ));
        assert_eq!(l.kind.as_deref(), Some("contact"));
        assert_eq!(l.id.map(|i| i.0.into_owned()), Some("7".to_owned()));
        assert_eq!(l.talk_s, Some(12.5));
        assert_eq!(l.resolved, Some(false));
        assert_eq!(l.agents.and_then(|a| a.busy), Some(2.0));
    }

    /// The word-at-a-time search stops where the byte loop would, at
    /// every position of a quote, a backslash or a control character
    /// among plain bytes (ASCII and not), and numbers read as `parse` does.
    #[test]
    fn strings_and_numbers_match_the_plain_reading() {
        fn plain(b: &[u8]) -> Option<&str> {
            let end = b
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
            (b[end] == b'"')
                .then(|| std::str::from_utf8(&b[..end]).ok())
                .flatten()
        }
        let filler = "aé王z0-:TZ+~\u{7f}".as_bytes();
        for len in 0..40 {
            for stop in [b'"', b'\\', b'\n', 0x00, 0x1f, 0x20, 0x7f, 0xff] {
                let mut body: Vec<u8> = filler.iter().copied().cycle().take(len).collect();
                body.push(stop);
                body.extend_from_slice(b"tail\"more");
                let mut line = vec![b'"'];
                line.extend_from_slice(&body);
                let s = String::from_utf8_lossy(&line).into_owned();
                let mut c = Cursor {
                    s: &s,
                    b: s.as_bytes(),
                    i: 0,
                };
                let lossy = &s.as_bytes()[1..];
                assert_eq!(c.string(), plain(lossy), "len {len}, stop {stop:#x}");
            }
        }
        for n in [
            "0",
            "7",
            "-7",
            "123456789012345",
            "-999999999999999",
            "2.5",
            "1e3",
            "-0.5",
        ] {
            let mut c = Cursor {
                s: n,
                b: n.as_bytes(),
                i: 0,
            };
            let want: f64 = n.parse().expect("number");
            assert_eq!(
                c.number().map(|v| match v {
                    Val::Num(x, _) => x,
                    _ => f64::NAN,
                }),
                Some(want),
                "{n}"
            );
        }
    }

    #[test]
    fn anything_unusual_is_left_to_serde() {
        for line in [
            r#"{"type":"contact","text":"say \"hi\""}"#,
            r#"{"type":"contact","id":1,"id":2}"#,
            r#"{"type":"contact","id":1.5}"#,
            r#"{"type":"contact","talk_s":"5"}"#,
            r#"{"type":"contact","talk_s":01}"#,
            r#"{"type":"contact","x":[1]}"#,
            r#"{"type":"contact"} x"#,
            r#"{"type":"contact""#,
            "[1]",
            r#"{"type":"contact","id":12345678901234567890}"#,
        ] {
            assert!(!scan(line.as_bytes(), &mut Line::default()), "{line}");
        }
    }
}
