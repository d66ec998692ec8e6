//! Decoding one floor-feed JSON line into a domain `Record` (spec section 1).
//!
//! All record types share one flat serde struct with borrowed strings, so a
//! line is parsed once with no per-field allocation; the `type` then picks
//! which fields matter. Unknown fields are ignored, `null` means missing, and
//! a field of the wrong JSON type makes the whole line malformed.

use std::borrow::Cow;

pub use super::line::MAX_DURATION_S;
use super::line::{IdStr, Line};
use crate::domain::intern::Interner;
use crate::domain::record::*;
use crate::domain::time::{Ts, TsError, parse_rfc3339};
use crate::i18n::detail::JsonError;
use crate::i18n::{Lang, Localize, Msg, t, tf};

/// Why a line (or a record a connector read) was skipped; says itself in
/// the lead's language, `Display` is the English for the log.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LineReason {
    NotObject,
    Json(JsonError),
    Missing {
        field: &'static str,
    },
    Empty {
        field: &'static str,
    },
    BadTime {
        field: &'static str,
        why: TsError,
        /// The value, clipped to 60 characters and escaped.
        value: String,
    },
    Negative {
        field: &'static str,
        got: f64,
    },
    /// A duration above [`MAX_DURATION_S`].
    DurationTooLong {
        field: &'static str,
        got: f64,
    },
    NotWhole {
        field: &'static str,
        got: f64,
    },
    OutOfRange {
        field: &'static str,
        lo: f64,
        hi: f64,
        got: f64,
    },
    /// An `agent_state` line without its `state` or `at`.
    StateWithout {
        field: &'static str,
    },
    /// A `shift` line without its `agent`, `start` or `end`.
    ShiftWithout {
        field: &'static str,
    },
    /// A `shift` whose end is not after its start, or more than
    /// [`MAX_SHIFT_H`] hours after it.
    ShiftLength {
        hours: f64,
    },
    TicketNoId,
    TicketNoQueue(u64),
    /// Longer than the line limit: skipped without being held.
    LineTooLong {
        mb: usize,
    },
}

impl Localize for LineReason {
    fn localize(&self, lang: Lang) -> String {
        use LineReason as R;
        match self {
            R::NotObject => t(lang, Msg::LineNotObject).to_owned(),
            R::Json(e) => e.on_line(lang),
            R::Missing { field } => tf(lang, Msg::LineMissing, &[field]),
            R::Empty { field } => tf(lang, Msg::LineEmpty, &[field]),
            R::BadTime { field, why, value } => {
                tf(lang, Msg::LineBadTime, &[field, &why.localize(lang), value])
            }
            R::Negative { field, got } => tf(lang, Msg::LineNegative, &[field, got]),
            R::DurationTooLong { field, got } => tf(
                lang,
                Msg::LineTooLong,
                &[field, &(MAX_DURATION_S as u64), &short_number(*got)],
            ),
            R::NotWhole { field, got } => tf(lang, Msg::LineNotWhole, &[field, got]),
            R::OutOfRange { field, lo, hi, got } => {
                tf(lang, Msg::LineOutOfRange, &[field, lo, hi, got])
            }
            R::StateWithout { field } => tf(lang, Msg::LineStateWithout, &[field]),
            R::ShiftWithout { field } => tf(lang, Msg::LineShiftWithout, &[field]),
            R::ShiftLength { hours } => tf(lang, Msg::LineShiftLength, &[&short_number(*hours)]),
            R::TicketNoId => t(lang, Msg::LineTicketNoId).to_owned(),
            R::TicketNoQueue(id) => tf(lang, Msg::LineTicketNoQueue, &[id]),
            R::LineTooLong { mb } => tf(lang, Msg::ErrLineTooLong, &[mb]),
        }
    }
}

crate::english_display!(LineReason);

impl LineReason {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<LineReason> {
        let json = |s: &str| {
            LineReason::Json(JsonError::new(
                &serde_json::from_str::<serde_json::Value>(s).expect_err("bad json"),
            ))
        };
        vec![
            LineReason::NotObject,
            json("{\"a\":"),
            json("{\"a\" 1}"),
            LineReason::Json(JsonError::new(
                &serde_json::from_str::<u8>("300").expect_err("range"),
            )),
            LineReason::Json(JsonError::new(&serde_json::Error::io(
                std::io::Error::from(std::io::ErrorKind::UnexpectedEof),
            ))),
            LineReason::Json(JsonError::new(
                &serde_json::from_value::<u8>(serde_json::json!("x")).expect_err("type"),
            )),
            LineReason::Missing { field: "type" },
            LineReason::Empty { field: "id" },
            LineReason::BadTime {
                field: "at",
                why: TsError::NoOffset,
                value: "2026-11-22T09:00:00".into(),
            },
            LineReason::Negative {
                field: "talk_s",
                got: -3.0,
            },
            LineReason::DurationTooLong {
                field: "talk_s",
                got: 1e308,
            },
            LineReason::NotWhole {
                field: "transfers",
                got: 1.5,
            },
            LineReason::OutOfRange {
                field: "csat",
                lo: 1.0,
                hi: 5.0,
                got: 9.0,
            },
            LineReason::StateWithout { field: "state" },
            LineReason::ShiftWithout { field: "start" },
            LineReason::ShiftLength { hours: -2.0 },
            LineReason::TicketNoId,
            LineReason::TicketNoQueue(42),
            LineReason::LineTooLong { mb: 16 },
        ]
    }
}

/// Decode one line (without its newline). The error is the reason, for
/// `FILE:LINE: reason` reports.
pub fn decode_line(line: &[u8], names: &mut Interner) -> Result<Record, LineReason> {
    decode_line_with(line, names, true)
}

/// `decode_line`, optionally without the fast scanner (to compare the two).
pub(crate) fn decode_line_with(
    line: &[u8],
    names: &mut Interner,
    fast: bool,
) -> Result<Record, LineReason> {
    // serde would read a JSON array into the struct by position; refuse it first.
    match line.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => {}
        Some(_) if serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok() => {
            return Err(LineReason::NotObject);
        }
        Some(_) => {}
    }
    if fast && let Some(record) = super::fastline::decode_common(line, names) {
        return Ok(record);
    }
    // One `Line` (about a kilobyte) filled in place: moving it around per
    // line showed up in profiles.
    let mut parsed = Line::default();
    if !(fast && super::fastline::scan(line, &mut parsed)) {
        parsed = serde_json::from_slice(line).map_err(|e| LineReason::Json(JsonError::new(&e)))?;
    }
    build(&mut parsed, names)
}

/// Turn the fields of a line into a record of its `type`.
fn build(line: &mut Line<'_>, names: &mut Interner) -> Result<Record, LineReason> {
    let kind = line
        .kind
        .as_deref()
        .ok_or(LineReason::Missing { field: "type" })?;
    match kind {
        "queue" => Ok(Record::Queue(Queue {
            id: names.intern(&key(&line.id, "id")?),
            name: line.name.take().map(boxed),
            channel: line.channel.take().map(|c| Channel::parse(&c, names)),
            sl_seconds: non_negative(line.sl_seconds, "sl_seconds")?.unwrap_or(20.0),
        })),
        "agent" => Ok(Record::Agent(Agent {
            id: names.intern(&key(&line.id, "id")?),
            name: line.name.take().map(boxed),
            team: line.team.take().map(boxed),
        })),
        "agent_state" => {
            let agent = names.intern(&key(&line.agent, "agent")?);
            let state = line
                .state
                .as_deref()
                .ok_or(LineReason::StateWithout { field: "state" })?;
            Ok(Record::AgentState(AgentStateEvent {
                agent,
                state: AgentStateKind::parse(state, names),
                at: ts(&line.at, "at")?.ok_or(LineReason::StateWithout { field: "at" })?,
                queue: line.queue.take().map(|q| names.intern(&q.0)),
            }))
        }
        "contact" => Ok(Record::Contact(Contact {
            id: key(&line.id, "id")?.into(),
            arrived_at: ts(&line.arrived_at, "arrived_at")?,
            answered_at: ts(&line.answered_at, "answered_at")?,
            abandoned_at: ts(&line.abandoned_at, "abandoned_at")?,
            ended_at: ts(&line.ended_at, "ended_at")?,
            // Checked in the line's field order, as before talk_s.
            extra: ContactExtra::of(
                line.text.take().map(boxed),
                ts(&line.promised_callback_at, "promised_callback_at")?,
                ts(&line.callback_at, "callback_at")?,
            ),
            talk_s: non_negative(line.talk_s, "talk_s")?.unwrap_or(0.0),
            hold_s: non_negative(line.hold_s, "hold_s")?.unwrap_or(0.0),
            wrap_s: non_negative(line.wrap_s, "wrap_s")?.unwrap_or(0.0),
            ivr_s: non_negative(line.ivr_s, "ivr_s")?.unwrap_or(0.0),
            channel: line.channel.take().map(|c| Channel::parse(&c, names)),
            queue: line.queue.take().map(|q| names.intern(&q.0)),
            customer: line.customer.take().map(|c| names.intern(&c.0)),
            agent: line.agent.take().map(|a| names.intern(&a.0)),
            category: line
                .category
                .take()
                .map(|c| ContactCategory::parse(&c, names)),
            priority: line.priority.take().map(|p| Priority::parse(&p, names)),
            transfers: {
                let n = count(line.transfers, "transfers")?;
                u16::try_from(n).map_err(|_| LineReason::OutOfRange {
                    field: "transfers",
                    lo: 0.0,
                    hi: f64::from(u16::MAX),
                    got: f64::from(n),
                })?
            },
            resolved: line.resolved.unwrap_or(true),
        })),
        "survey" => Ok(Record::Survey(Survey {
            id: key(&line.id, "id")?.into(),
            contact: line.contact.take().map(|c| c.0.into()),
            at: ts(&line.at, "at")?,
            csat: score(line.csat, "csat", 1.0, 5.0)?,
            nps: score(line.nps, "nps", 0.0, 10.0)?,
            comment: line.comment.take().map(boxed),
        })),
        "feedback" => Ok(Record::Feedback(Feedback {
            id: key(&line.id, "id")?.into(),
            source: line.source.take().map(|s| FeedbackSource::parse(&s, names)),
            summary: line.summary.take().map(boxed),
            customer: line.customer.take().map(|c| names.intern(&c.0)),
            received_at: ts(&line.received_at, "received_at")?,
            category: line
                .category
                .take()
                .map(|c| FeedbackCategory::parse(&c, names)),
            owner: line.owner.take().map(|o| names.intern(&o.0)),
            stage: line.stage.take().map(|s| Stage::parse(&s, names)),
            due_at: ts(&line.due_at, "due_at")?,
            result: line.result.take().map(boxed),
            callback_result: line
                .callback_result
                .take()
                .map(|c| CallbackResult::parse(&c, names)),
            root_cause: line.root_cause.take().map(|r| RootCause::parse(&r, names)),
        })),
        "queue_stats" => {
            let a = line.agents.take().unwrap_or_default();
            Ok(Record::QueueStats(QueueStats {
                queue: names.intern(&key(&line.queue, "queue")?),
                at: ts(&line.at, "at")?,
                waiting: count(line.waiting, "waiting")?,
                longest_wait_s: non_negative(line.longest_wait_s, "longest_wait_s")?.unwrap_or(0.0),
                agents: [
                    count(a.available, "agents.available")?,
                    count(a.busy, "agents.busy")?,
                    count(a.wrap, "agents.wrap")?,
                    count(a.on_break, "agents.break")?,
                    count(a.offline, "agents.offline")?,
                ],
            }))
        }
        "shift" => {
            let need = |v: Option<Ts>, field| v.ok_or(LineReason::ShiftWithout { field });
            let agent = match &line.agent {
                None => return Err(LineReason::ShiftWithout { field: "agent" }),
                Some(_) => names.intern(&key(&line.agent, "agent")?),
            };
            let start = need(ts(&line.start, "start")?, "start")?;
            let end = need(ts(&line.end, "end")?, "end")?;
            let hours = end.secs_since(start) / 3600.0;
            if !(hours > 0.0 && hours <= MAX_SHIFT_H) {
                return Err(LineReason::ShiftLength { hours });
            }
            Ok(Record::Shift(Shift {
                agent,
                start,
                end,
                queue: line.queue.take().map(|q| names.intern(&q.0)),
            }))
        }
        other => Ok(Record::Unknown(other.to_owned())),
    }
}

fn boxed(s: Cow<'_, str>) -> Box<str> {
    s.into()
}

fn key<'a>(v: &'a Option<IdStr<'_>>, field: &'static str) -> Result<Cow<'a, str>, LineReason> {
    match v {
        Some(IdStr(s)) if !s.is_empty() => Ok(Cow::Borrowed(&**s)),
        Some(_) => Err(LineReason::Empty { field }),
        None => Err(LineReason::Missing { field }),
    }
}

fn ts(v: &Option<Cow<'_, str>>, field: &'static str) -> Result<Option<Ts>, LineReason> {
    match v {
        None => Ok(None),
        Some(s) => parse_rfc3339(s)
            .map(Some)
            .map_err(|why| LineReason::BadTime {
                field,
                why,
                value: clip(s),
            }),
    }
}

/// The longest shift a `shift` line may plan, hours.
pub const MAX_SHIFT_H: f64 = 24.0;

/// A duration in seconds: 0 ≤ x ≤ [`MAX_DURATION_S`].
fn non_negative(v: Option<f64>, field: &'static str) -> Result<Option<f64>, LineReason> {
    match v {
        // NaN cannot come from JSON, but a negative duration can.
        Some(got) if got < 0.0 => Err(LineReason::Negative { field, got }),
        Some(got) if got > MAX_DURATION_S || got.is_nan() => {
            Err(LineReason::DurationTooLong { field, got })
        }
        other => Ok(other),
    }
}

/// A number for a message: `1e308`, not its 309 digits.
fn short_number(x: f64) -> String {
    if x.abs() >= 1e15 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

fn count(v: Option<f64>, field: &'static str) -> Result<u32, LineReason> {
    match v {
        None => Ok(0),
        Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64 => Ok(x as u32),
        Some(got) => Err(LineReason::NotWhole { field, got }),
    }
}

fn score(v: Option<f64>, field: &'static str, lo: f64, hi: f64) -> Result<Option<f64>, LineReason> {
    match v {
        Some(got) if !(lo..=hi).contains(&got) => {
            Err(LineReason::OutOfRange { field, lo, hi, got })
        }
        other => Ok(other),
    }
}

/// At most 60 characters of a value, for error messages (never a whole 10 MB field).
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out.chars().flat_map(char::escape_debug).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Result<Record, LineReason> {
        decode_line(s.as_bytes(), &mut Interner::default())
    }

    #[test]
    fn contact_fields_and_defaults() {
        let mut names = Interner::default();
        let r = decode_line(
            br#"{"type":"contact","id":42,"queue":"q1","customer":"c-1","arrived_at":"2026-11-22T09:00:00+08:00","answered_at":"2026-11-22T09:00:20+08:00","talk_s":200.5,"priority":"vip","x":{"ignored":[1,2]}}"#,
            &mut names,
        )
        .expect("valid");
        let Record::Contact(c) = r else {
            panic!("not a contact")
        };
        assert_eq!(&*c.id, "42");
        assert_eq!(c.talk_s, 200.5);
        assert_eq!(c.hold_s, 0.0);
        assert!(c.resolved, "missing resolved means true");
        assert_eq!(
            c.answered_at
                .map(|a| a.since(c.arrived_at.expect("arrived"))),
            Some(20_000_000_000)
        );
        match c.priority {
            Some(Priority::Other(s)) => assert_eq!(names.resolve(s), "vip"),
            other => panic!("unknown priority kept as given, got {other:?}"),
        }
    }

    #[test]
    fn null_is_missing() {
        let Ok(Record::Contact(c)) = decode(
            r#"{"type":"contact","id":"k1","answered_at":null,"talk_s":null,"resolved":null}"#,
        ) else {
            panic!("valid")
        };
        assert_eq!(c.answered_at, None);
        assert_eq!(c.talk_s, 0.0);
        assert!(c.resolved);
    }

    #[test]
    fn malformed_lines_say_why() {
        let cases = [
            (
                r#"{"type":"contact","id":"k1","arrived_at":"2026-11-22T09:00:00"}"#,
                "without an offset",
            ),
            (
                r#"{"type":"contact","arrived_at":"2026-11-22T09:00:00Z"}"#,
                "no `id`",
            ),
            (r#"{"id":"k1"}"#, "no `type`"),
            (r#"[1,2]"#, "not a JSON object"),
            (
                r#"{"type":"contact","id":"k1","talk_s":"long"}"#,
                "invalid type",
            ),
            (
                r#"{"type":"contact","id":"k1","transfers":1.5}"#,
                "whole number",
            ),
            (r#"{"type":"survey","id":"s1","csat":9}"#, "between 1 and 5"),
            (r#"{"type":"contact","id":"k1""#, "truncated"),
            (r#"not json"#, "not valid JSON"),
            (
                r#"{"type":"contact","id":"k1","talk_s":1e308}"#,
                "`talk_s` must be at most 31622400 s (366 days), got 1e308",
            ),
            (
                r#"{"type":"queue","id":"q","sl_seconds":31622400.5}"#,
                "`sl_seconds` must be at most",
            ),
            (
                r#"{"type":"queue_stats","queue":"q","longest_wait_s":1e300}"#,
                "`longest_wait_s` must be at most",
            ),
        ];
        // The bound itself is a duration, just.
        assert!(decode(r#"{"type":"contact","id":"k1","ivr_s":31622400}"#).is_ok());
        for (line, why) in cases {
            let err = decode(line).expect_err(line);
            assert!(err.to_string().contains(why), "{line}: {err}");
        }
    }

    /// Every line decodes exactly as serde decodes it, whichever fast path
    /// takes it, and leaves the same names interned in the same order (the
    /// interners start with a name in them, as a worker's do mid-file).
    fn assert_paths_agree(line: &[u8]) {
        let mut a = Interner::default();
        let mut b = Interner::default();
        a.intern("a-0001");
        b.intern("a-0001");
        let fast = decode_line_with(line, &mut a, true);
        let slow = decode_line_with(line, &mut b, false);
        let text = String::from_utf8_lossy(line);
        assert_eq!(fast, slow, "{text}");
        let all = |i: &Interner| -> Vec<String> {
            (0..i.len())
                .map(|n| {
                    i.resolve(crate::domain::intern::Sym::from_index(n))
                        .to_owned()
                })
                .collect()
        };
        assert_eq!(all(&a), all(&b), "{text}");
    }

    #[test]
    fn fast_and_serde_paths_agree_on_real_and_mangled_lines() {
        let opts = crate::sim::SimOptions {
            days: 2,
            agents: 12,
            ..crate::sim::SimOptions::new(
                chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
                chrono_tz::Tz::Asia__Shanghai,
            )
        };
        let mut out = Vec::new();
        crate::sim::generate(&opts, &mut out).expect("sim");
        let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let junk: &[&[u8]] = &[
            b"\"", b"\\", b",", b"}", b"{", b"1", b" ", b"x", b"null", b"-", b".", b"e5",
            b"\\u0041", b"\x01",
        ];
        let (mut fast_hits, mut common_hits) = (0, 0);
        for line in out.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
            fast_hits += usize::from(super::super::fastline::scan(line, &mut Line::default()));
            common_hits += usize::from(
                super::super::fastline::decode_common(line, &mut Interner::default()).is_some(),
            );
            assert_paths_agree(line);
            for _ in 0..4 {
                let at = next(line.len());
                let mut m = line.to_vec();
                match next(3) {
                    0 => m.truncate(at),
                    1 => m[at] = junk[next(junk.len())][0],
                    _ => {
                        let j = junk[next(junk.len())];
                        m.splice(at..at, j.iter().copied());
                    }
                }
                assert_paths_agree(&m);
            }
        }
        assert!(
            fast_hits > 1000,
            "the simulator's lines take the fast path ({fast_hits})"
        );
        assert!(
            common_hits > 1000,
            "the simulator's contacts and agent states take the direct path ({common_hits})"
        );
    }

    /// Contacts and agent states at the edges of what a record accepts:
    /// whichever path takes them, the result and the names interned are
    /// serde's.
    #[test]
    fn direct_path_agrees_at_the_edges() {
        let state = r#"{"type":"agent_state","agent":"a-0002","state":"busy","at":"2026-11-23T08:00:00+08:00","queue":"vip"}"#;
        let contact = r#"{"type":"contact","id":"k-1","channel":"chat","queue":"q","customer":"c-9","arrived_at":"2026-11-23T00:00:30+00:00","category":"consult","priority":"medium","answered_at":"2026-11-23T00:00:31Z","agent":"a-0789","ended_at":"2026-11-23T00:01:24.5+00:00","talk_s":54,"hold_s":0,"transfers":1,"wrap_s":35.5,"ivr_s":3,"resolved":false,"text":"王 says hi","promised_callback_at":"2026-11-24T00:00:00Z","callback_at":"2026-11-24T01:00:00Z","abandoned_at":"2026-11-23T00:00:40Z"}"#;
        let swaps: &[(&str, &str)] = &[
            (r#""busy""#, r#""nap""#),
            (r#""busy""#, r#""""#),
            (r#""busy""#, "null"),
            (r#""a-0002""#, r#""""#),
            (r#""a-0002""#, "7"),
            (r#""a-0002""#, r#""新人""#),
            (r#""vip""#, "null"),
            (r#""vip""#, "12"),
            (r#""2026-11-23T08:00:00+08:00""#, r#""2026-11-23T08:00:00""#),
            (r#""2026-11-23T08:00:00+08:00""#, r#""soon""#),
            (r#""k-1""#, r#""""#),
            (r#""k-1""#, "42"),
            (r#""k-1""#, r#""an id longer than the inline room""#),
            (r#""chat""#, r#""fax""#),
            (r#""medium""#, r#""whenever""#),
            (r#""consult""#, r#""gossip""#),
            (r#""c-9""#, "null"),
            (r#""c-9""#, "9"),
            ("54", "-5"),
            ("54", "-0.0"),
            ("54", "1e308"),
            ("54", "31622400"),
            ("54", "31622401"),
            (r#""transfers":1"#, r#""transfers":1.5"#),
            (r#""transfers":1"#, r#""transfers":65535"#),
            (r#""transfers":1"#, r#""transfers":65536"#),
            (r#""transfers":1"#, r#""transfers":-1"#),
            (r#""transfers":1"#, r#""transfers":2.0"#),
            ("false", "true"),
            ("false", "null"),
            ("false", "0"),
            (r#""2026-11-23T00:00:31Z""#, r#""2026-02-30T00:00:31Z""#),
            (r#""2026-11-24T01:00:00Z""#, r#""tomorrow""#),
            (r#""王 says hi""#, r#""\u738b""#),
            (r#""王 says hi""#, "null"),
            (r#","hold_s":0"#, r#","hold_s":0,"hold_s":1"#),
            (r#","hold_s":0"#, r#","weather":"rain""#),
            (r#","hold_s":0"#, r#", "hold_s":0"#),
            (r#","hold_s":0"#, r#","csat":5"#),
            (r#","queue":"vip""#, ""),
            (r#","at":"2026-11-23T08:00:00+08:00""#, ""),
        ];
        assert_paths_agree(state.as_bytes());
        assert_paths_agree(contact.as_bytes());
        let mut direct = 0;
        for (from, to) in swaps {
            for line in [state, contact] {
                if line.contains(from) {
                    let changed = line.replacen(from, to, 1);
                    direct += usize::from(
                        super::super::fastline::decode_common(
                            changed.as_bytes(),
                            &mut Interner::default(),
                        )
                        .is_some(),
                    );
                    assert_paths_agree(changed.as_bytes());
                    assert_paths_agree(format!("{changed} ").as_bytes());
                }
            }
        }
        // Both ways are exercised: the edits the records accept go direct.
        assert!(direct >= 12, "{direct} edited lines went direct");
    }

    #[test]
    fn unknown_type_is_not_an_error() {
        assert_eq!(
            decode(r#"{"type":"weather","id":"w"}"#),
            Ok(Record::Unknown("weather".into()))
        );
    }

    #[test]
    fn queue_stats_and_defaults() {
        let Ok(Record::Queue(q)) = decode(r#"{"type":"queue","id":"q1"}"#) else {
            panic!("valid")
        };
        assert_eq!(q.sl_seconds, 20.0);
        let Ok(Record::QueueStats(s)) = decode(
            r#"{"type":"queue_stats","queue":"q1","at":"2026-11-22T09:00:00Z","waiting":3,"agents":{"busy":2,"break":1,"lunch":4}}"#,
        ) else {
            panic!("valid")
        };
        assert_eq!(s.waiting, 3);
        assert_eq!(s.agents, [0, 2, 0, 1, 0]);
    }

    #[test]
    fn shift_lines() {
        let mut names = Interner::default();
        let line = r#"{"type":"shift","agent":"a-li","start":"2026-11-22T09:00:00+08:00","end":"2026-11-22T17:30:00+08:00","queue":"q-phone"}"#;
        for fast in [true, false] {
            let Ok(Record::Shift(s)) = decode_line_with(line.as_bytes(), &mut names, fast) else {
                panic!("a shift");
            };
            assert_eq!(names.resolve(s.agent), "a-li");
            assert_eq!(s.start, parse_rfc3339("2026-11-22T01:00:00Z").expect("ts"));
            assert_eq!(s.end.secs_since(s.start), 8.5 * 3600.0);
            assert_eq!(s.queue.map(|q| names.resolve(q)), Some("q-phone"));
        }
        assert_paths_agree(line.as_bytes());
        // Without a queue, with an integer agent id.
        let Ok(Record::Shift(s)) = decode_line(
            br#"{"type":"shift","agent":7,"start":"2026-11-22T09:00:00Z","end":"2026-11-23T09:00:00Z"}"#,
            &mut names,
        ) else {
            panic!("a 24 h shift");
        };
        assert_eq!((names.resolve(s.agent), s.queue), ("7", None));
        let bad = |l: &str| decode_line(l.as_bytes(), &mut Interner::default()).map(|_| ());
        let shift = |fields: &str| format!(r#"{{"type":"shift",{fields}}}"#);
        let (st, en) = (
            r#""start":"2026-11-22T09:00:00Z""#,
            r#""end":"2026-11-22T17:00:00Z""#,
        );
        assert_eq!(
            bad(&shift(&format!("{st},{en}"))),
            Err(LineReason::ShiftWithout { field: "agent" })
        );
        assert_eq!(
            bad(&shift(&format!(r#""agent":"a",{en}"#))),
            Err(LineReason::ShiftWithout { field: "start" })
        );
        assert_eq!(
            bad(&shift(&format!(r#""agent":"a",{st}"#))),
            Err(LineReason::ShiftWithout { field: "end" })
        );
        assert_eq!(
            bad(&shift(&format!(r#""agent":"",{st},{en}"#))),
            Err(LineReason::Empty { field: "agent" })
        );
        // End before start, equal, and longer than a day.
        for (end, hours) in [
            ("2026-11-22T08:00:00Z", -1.0),
            ("2026-11-22T09:00:00Z", 0.0),
            ("2026-11-23T09:00:01Z", 24.0 + 1.0 / 3600.0),
        ] {
            assert_eq!(
                bad(&shift(&format!(r#""agent":"a",{st},"end":"{end}""#))),
                Err(LineReason::ShiftLength { hours })
            );
        }
        assert!(matches!(
            bad(&shift(&format!(
                r#""agent":"a","start":"2026-11-22 09:00",{en}"#
            ))),
            Err(LineReason::BadTime { field: "start", .. })
        ));
        assert!(matches!(
            bad(&shift(&format!(r#""agent":"a",{st},"end":17"#))),
            Err(LineReason::Json(_))
        ));
    }
}
