//! Decoding one floor-feed JSON line into a domain `Record` (spec section 1).
//!
//! All record types share one flat serde struct with borrowed strings, so a
//! line is parsed once with no per-field allocation; the `type` then picks
//! which fields matter. Unknown fields are ignored, `null` means missing, and
//! a field of the wrong JSON type makes the whole line malformed.

use std::borrow::Cow;

use super::line::{IdStr, Line};
use crate::domain::intern::Interner;
use crate::domain::record::*;
use crate::domain::time::{Ts, parse_rfc3339};

/// Decode one line (without its newline). The error is the reason, for
/// `FILE:LINE: reason` reports.
pub fn decode_line(line: &[u8], names: &mut Interner) -> Result<Record, String> {
    decode_line_with(line, names, true)
}

/// `decode_line`, optionally without the fast scanner (to compare the two).
pub(crate) fn decode_line_with(
    line: &[u8],
    names: &mut Interner,
    fast: bool,
) -> Result<Record, String> {
    // serde would read a JSON array into the struct by position; refuse it first.
    match line.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => {}
        Some(_) if serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok() => {
            return Err("not a JSON object".to_owned());
        }
        Some(_) => {}
    }
    // One `Line` (about a kilobyte) filled in place: moving it around per
    // line showed up in profiles.
    let mut parsed = Line::default();
    if !(fast && super::fastline::scan(line, &mut parsed)) {
        parsed = serde_json::from_slice(line).map_err(|e| describe_json_error(&e))?;
    }
    build(&mut parsed, names)
}

/// Turn a line the fast scanner read into a record (the pipeline's second half).
pub(super) fn build_line(line: &mut Line<'_>, names: &mut Interner) -> Result<Record, String> {
    build(line, names)
}

/// Turn the fields of a line into a record of its `type`.
fn build(line: &mut Line<'_>, names: &mut Interner) -> Result<Record, String> {
    let kind = line.kind.as_deref().ok_or("no `type` field")?;
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
            let state = line.state.as_deref().ok_or("agent_state without `state`")?;
            Ok(Record::AgentState(AgentStateEvent {
                agent,
                state: AgentStateKind::parse(state, names),
                at: ts(&line.at, "at")?.ok_or("agent_state without `at`")?,
                queue: line.queue.take().map(|q| names.intern(&q.0)),
            }))
        }
        "contact" => Ok(Record::Contact(Contact {
            id: key(&line.id, "id")?.into(),
            text: line.text.take().map(boxed),
            arrived_at: ts(&line.arrived_at, "arrived_at")?,
            answered_at: ts(&line.answered_at, "answered_at")?,
            abandoned_at: ts(&line.abandoned_at, "abandoned_at")?,
            ended_at: ts(&line.ended_at, "ended_at")?,
            promised_callback_at: ts(&line.promised_callback_at, "promised_callback_at")?,
            callback_at: ts(&line.callback_at, "callback_at")?,
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
                u16::try_from(n).map_err(|_| {
                    format!("`transfers` must be between 0 and {}, got {n}", u16::MAX)
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
        other => Ok(Record::Unknown(other.to_owned())),
    }
}

fn boxed(s: Cow<'_, str>) -> Box<str> {
    s.into()
}

fn key<'a>(v: &'a Option<IdStr<'_>>, field: &str) -> Result<Cow<'a, str>, String> {
    match v {
        Some(IdStr(s)) if !s.is_empty() => Ok(Cow::Borrowed(&**s)),
        Some(_) => Err(format!("empty `{field}`")),
        None => Err(format!("no `{field}` field")),
    }
}

fn ts(v: &Option<Cow<'_, str>>, field: &str) -> Result<Option<Ts>, String> {
    match v {
        None => Ok(None),
        Some(s) => parse_rfc3339(s)
            .map(Some)
            .map_err(|e| format!("`{field}`: {e}: \"{}\"", clip(s))),
    }
}

fn non_negative(v: Option<f64>, field: &str) -> Result<Option<f64>, String> {
    match v {
        // NaN cannot come from JSON, but a negative duration can.
        Some(x) if x < 0.0 => Err(format!("`{field}` must be ≥ 0, got {x}")),
        other => Ok(other),
    }
}

fn count(v: Option<f64>, field: &str) -> Result<u32, String> {
    match v {
        None => Ok(0),
        Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64 => Ok(x as u32),
        Some(x) => Err(format!("`{field}` must be a whole number ≥ 0, got {x}")),
    }
}

fn score(v: Option<f64>, field: &str, lo: f64, hi: f64) -> Result<Option<f64>, String> {
    match v {
        Some(x) if !(lo..=hi).contains(&x) => {
            Err(format!("`{field}` must be between {lo} and {hi}, got {x}"))
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

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let msg = e.to_string();
    // serde_json appends " at line 1 column N"; the column is useful, "line 1" is not.
    let msg = msg
        .rsplit_once(" at line ")
        .map(|(head, tail)| {
            let col = tail.split_once(" column ").map(|(_, c)| c).unwrap_or("");
            format!("{head} (column {col})")
        })
        .unwrap_or(msg);
    match e.classify() {
        Category::Eof => format!("truncated JSON: {msg}"),
        Category::Syntax => format!("not valid JSON: {msg}"),
        Category::Data => msg,
        Category::Io => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Result<Record, String> {
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
        ];
        for (line, why) in cases {
            let err = decode(line).expect_err(line);
            assert!(err.contains(why), "{line}: {err}");
        }
    }

    /// Every line the fast scanner accepts must decode exactly as serde decodes it.
    fn assert_paths_agree(line: &[u8]) {
        if !super::super::fastline::scan(line, &mut Line::default()) {
            return;
        }
        let mut a = Interner::default();
        let mut b = Interner::default();
        let fast = decode_line_with(line, &mut a, true);
        let slow = decode_line_with(line, &mut b, false);
        assert_eq!(fast, slow, "{}", String::from_utf8_lossy(line));
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
        let mut fast_hits = 0;
        for line in out.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
            fast_hits += usize::from(super::super::fastline::scan(line, &mut Line::default()));
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
}
