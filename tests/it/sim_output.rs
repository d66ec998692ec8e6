//! The floor simulator's output: valid feed lines (spec section 1),
//! deterministic, with the realism the console and the spot checks need,
//! and a live mode that keeps appending whole lines.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde_json::{Map, Value};
use shiftdeck::domain::Ts;
use shiftdeck::domain::settings::DEFAULT_RED_LINE;
use shiftdeck::sim::{LiveClock, SimOptions, SimStats, generate, run_live_with_clock};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn start() -> NaiveDate {
    // A Monday.
    NaiveDate::from_ymd_opt(2026, 11, 16).expect("date")
}

fn opts(days: u32, agents: u32, seed: u64) -> SimOptions {
    SimOptions {
        days,
        agents,
        seed,
        start: start(),
        tz: TZ,
        until: None,
    }
}

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<chrono_tz::Tz> {
    TZ.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid local time")
}

fn run(o: &SimOptions) -> (Vec<u8>, SimStats) {
    let mut out = Vec::new();
    let stats = generate(o, &mut out).expect("generate");
    (out, stats)
}

fn lines(bytes: &[u8]) -> Vec<Map<String, Value>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "last line incomplete"
    );
    text.lines()
        .enumerate()
        .map(|(i, l)| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(m)) => m,
            other => panic!("line {}: not a JSON object: {other:?}: {l}", i + 1),
        })
        .collect()
}

fn ts(r: &Map<String, Value>, key: &str) -> Option<DateTime<FixedOffset>> {
    r.get(key).map(|v| {
        let s = v
            .as_str()
            .unwrap_or_else(|| panic!("{key} not a string: {r:?}"));
        // parse_from_rfc3339 rejects a timestamp without an offset.
        DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{key}={s}: {e}"))
    })
}

fn num(r: &Map<String, Value>, key: &str) -> f64 {
    r.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

fn s<'a>(r: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    r.get(key).and_then(Value::as_str)
}

/// Every field of every record type against spec section 1.
fn check_line(r: &Map<String, Value>) {
    let one_of = |key: &str, allowed: &[&str]| {
        if let Some(v) = r.get(key) {
            let v = v
                .as_str()
                .unwrap_or_else(|| panic!("{key} not a string: {r:?}"));
            assert!(allowed.contains(&v), "{key}={v} unknown: {r:?}");
        }
    };
    let string = |key: &str, required: bool| match r.get(key) {
        Some(Value::String(v)) => assert!(!v.is_empty(), "{key} empty"),
        None if !required => {}
        other => panic!("{key} must be a string, got {other:?}: {r:?}"),
    };
    let uint = |key: &str, max: f64| {
        if let Some(v) = r.get(key) {
            let n = v.as_f64().unwrap_or_else(|| panic!("{key} not a number"));
            assert!((0.0..=max).contains(&n), "{key}={n} out of range: {r:?}");
        }
    };
    let kind = s(r, "type").expect("type");
    let time_keys: &[&str] = match kind {
        "queue" => {
            string("id", true);
            string("name", true);
            one_of("channel", &["phone", "chat", "email", "ticket", "social"]);
            uint("sl_seconds", 1e9);
            &[]
        }
        "agent" => {
            string("id", true);
            string("name", true);
            string("team", true);
            &[]
        }
        "agent_state" => {
            string("agent", true);
            string("queue", false);
            one_of("state", &["available", "busy", "wrap", "break", "offline"]);
            assert!(r.contains_key("state"));
            &["at"]
        }
        "contact" => {
            for k in ["id", "queue", "customer", "agent", "text"] {
                string(k, k == "id");
            }
            one_of("channel", &["phone", "chat", "email", "ticket", "social"]);
            one_of("category", &["consult", "complaint", "tech", "suggestion"]);
            one_of("priority", &["urgent", "high", "medium", "low"]);
            for k in ["talk_s", "hold_s", "wrap_s", "ivr_s"] {
                uint(k, 1e6);
            }
            uint("transfers", 20.0);
            if let Some(v) = r.get("resolved") {
                assert!(v.is_boolean());
            }
            &[
                "arrived_at",
                "answered_at",
                "abandoned_at",
                "ended_at",
                "promised_callback_at",
                "callback_at",
            ]
        }
        "survey" => {
            string("id", true);
            string("contact", true);
            string("comment", false);
            uint("csat", 5.0);
            uint("nps", 10.0);
            if let Some(c) = r.get("csat") {
                assert!(c.as_u64().is_some_and(|c| c >= 1));
            }
            &["at"]
        }
        "feedback" => {
            for k in ["id", "summary", "customer", "owner", "result"] {
                string(k, k == "id");
            }
            one_of(
                "source",
                &["chat", "phone_complaint", "survey", "social", "email"],
            );
            one_of("category", &["attitude", "expertise", "process", "system"]);
            one_of(
                "stage",
                &["new", "handling", "resolved", "callback", "closed"],
            );
            one_of(
                "callback_result",
                &["satisfied", "unsatisfied", "unreached"],
            );
            one_of("root_cause", &["agent", "process", "system", "product"]);
            &["received_at", "due_at"]
        }
        "shift" => {
            string("agent", true);
            string("queue", false);
            &["start", "end"]
        }
        other => panic!("unexpected type {other}"),
    };
    for k in time_keys {
        ts(r, k);
    }
}

#[test]
fn same_options_same_bytes_and_seed_matters() {
    let (a, sa) = run(&opts(2, 20, 7));
    let (b, sb) = run(&opts(2, 20, 7));
    assert!(a == b, "two runs differ");
    assert_eq!(sa, sb);
    let (c, _) = run(&opts(2, 20, 8));
    assert!(a != c, "seed has no effect");
    // The stats count what is in the file.
    let recs = lines(&a);
    assert_eq!(sa.lines as usize, recs.len());
    let count = |t: &str| recs.iter().filter(|r| s(r, "type") == Some(t)).count() as u64;
    assert_eq!(sa.agent_states, count("agent_state"));
    assert_eq!(sa.surveys, count("survey"));
    let distinct = |t: &str| {
        recs.iter()
            .filter(|r| s(r, "type") == Some(t))
            .filter_map(|r| s(r, "id"))
            .collect::<HashSet<_>>()
            .len() as u64
    };
    assert_eq!(sa.contacts, distinct("contact"));
    assert_eq!(sa.feedback, distinct("feedback"));
    assert_eq!(count("agent"), 20);
    assert!(sa.contacts > 500, "{sa:?}");
}

#[test]
fn header_only_when_until_precedes_the_start() {
    let mut o = opts(3, 5, 1);
    o.until = Some(Ts::from_datetime(&local(2026, 11, 15, 12, 0)));
    let (out, stats) = run(&o);
    let recs = lines(&out);
    assert_eq!(stats.contacts, 0);
    // 6 queues, 5 agents, nothing else.
    assert_eq!(recs.len(), 11);
    assert!(
        recs.iter()
            .all(|r| matches!(s(r, "type"), Some("queue" | "agent")))
    );
}

#[test]
fn other_zones_daylight_saving_and_tiny_floors() {
    // Berlin springs forward on 2026-03-29: offsets go from +01:00 to +02:00.
    let o = SimOptions {
        days: 3,
        agents: 12,
        seed: 9,
        start: NaiveDate::from_ymd_opt(2026, 3, 28).expect("date"),
        tz: chrono_tz::Europe::Berlin,
        until: None,
    };
    let (out, stats) = run(&o);
    assert!(stats.contacts > 100, "{stats:?}");
    let mut offsets = HashSet::new();
    for r in lines(&out) {
        check_line(&r);
        if let Some(t) = ts(&r, "arrived_at") {
            let off = t.offset().local_minus_utc();
            let expected = if t < DateTime::parse_from_rfc3339("2026-03-29T01:00:00Z").expect("t") {
                3600
            } else {
                7200
            };
            assert_eq!(off, expected, "{r:?}");
            offsets.insert(off);
        }
    }
    assert_eq!(offsets.len(), 2);
    // Negative offsets, and floors too small to staff every pool.
    for agents in [0, 1, 2] {
        let o = SimOptions {
            tz: chrono_tz::America::New_York,
            ..opts(2, agents, 4)
        };
        let (out, _) = run(&o);
        for r in lines(&out) {
            check_line(&r);
            if let Some(t) = ts(&r, "at") {
                assert_eq!(t.offset().local_minus_utc(), -5 * 3600);
            }
        }
    }
}

/// One medium week, cut at Sunday 15:00, generated once and shared by the
/// realism tests.
fn week() -> &'static (SimOptions, Vec<Map<String, Value>>) {
    static WEEK: OnceLock<(SimOptions, Vec<Map<String, Value>>)> = OnceLock::new();
    WEEK.get_or_init(|| {
        let mut o = opts(7, 40, 3);
        o.until = Some(Ts::from_datetime(&local(2026, 11, 22, 15, 0)));
        let (out, _) = run(&o);
        (o, lines(&out))
    })
}

#[test]
fn every_line_is_a_valid_record_in_time_order() {
    let (o, recs) = week();
    let until = local(2026, 11, 22, 15, 0).fixed_offset();
    let mut last_state_at = None;
    for r in recs {
        check_line(r);
        // Whatever is written has happened by `until` (due dates and promises
        // look ahead, so they are not checked).
        for k in [
            "arrived_at",
            "answered_at",
            "ended_at",
            "abandoned_at",
            "callback_at",
            "at",
            "received_at",
        ] {
            if let Some(t) = ts(r, k) {
                assert!(t <= until, "{k} after until: {r:?}");
                assert_eq!(t.offset().local_minus_utc(), 8 * 3600, "{r:?}");
            }
        }
        // Agent states are appended in time order (the spec orders equal
        // instants by line).
        if s(r, "type") == Some("agent_state") {
            let at = ts(r, "at");
            assert!(at >= last_state_at, "agent_state out of order: {r:?}");
            last_state_at = at;
        }
    }
    assert_eq!(
        o.agents as usize,
        recs.iter()
            .filter(|r| s(r, "type") == Some("agent"))
            .count()
    );
}

/// The last line of each contact id (upsert semantics).
fn final_contacts(recs: &[Map<String, Value>]) -> HashMap<&str, &Map<String, Value>> {
    let mut out = HashMap::new();
    for r in recs.iter().filter(|r| s(r, "type") == Some("contact")) {
        out.insert(s(r, "id").expect("id"), r);
    }
    out
}

fn check_contact_invariants(c: &Map<String, Value>) {
    let arrived = ts(c, "arrived_at").expect("arrived_at");
    let answered = ts(c, "answered_at");
    let ended = ts(c, "ended_at");
    if let Some(a) = answered {
        assert!(a >= arrived, "answered before arrival: {c:?}");
        assert!(c.contains_key("agent"), "answered without agent: {c:?}");
    }
    if let Some(e) = ended {
        let a = answered.unwrap_or_else(|| panic!("ended but never answered: {c:?}"));
        assert!(e >= a, "ended before answered: {c:?}");
        let span = (e - a).num_seconds() as f64;
        assert_eq!(span, num(c, "talk_s") + num(c, "hold_s"), "{c:?}");
    }
    if let Some(ab) = ts(c, "abandoned_at") {
        assert!(ab >= arrived);
        assert!(answered.is_none() && !c.contains_key("agent"), "{c:?}");
    }
    if let (Some(p), Some(_)) = (ts(c, "promised_callback_at"), ended) {
        assert!(p > ended.expect("ended"), "{c:?}");
    }
    if s(c, "channel") == Some("phone") {
        assert!(c.contains_key("ivr_s"));
    } else {
        assert!(!c.contains_key("ivr_s"), "IVR only on phone: {c:?}");
    }
}

#[test]
fn contact_invariants_hold_on_every_version() {
    let (_, recs) = week();
    let mut ids = HashSet::new();
    for c in recs.iter().filter(|r| s(r, "type") == Some("contact")) {
        check_contact_invariants(c);
        ids.insert(s(c, "id").expect("id"));
    }
    let finals = final_contacts(recs);
    assert_eq!(ids.len(), finals.len());
    let handled = finals
        .values()
        .filter(|c| c.contains_key("answered_at") && c.contains_key("ended_at"))
        .count();
    let abandoned = finals
        .values()
        .filter(|c| c.contains_key("abandoned_at"))
        .count();
    assert!(handled > 10_000, "{handled}");
    assert!(abandoned > 100, "{abandoned}");
    // Contacts still open at `until` are written as they stand: waiting (no
    // answer), talking (no end) or wrapping up (no wrap_s yet).
    let waiting = finals
        .values()
        .filter(|c| !c.contains_key("answered_at") && !c.contains_key("abandoned_at"))
        .count();
    let talking = finals
        .values()
        .filter(|c| c.contains_key("answered_at") && !c.contains_key("ended_at"))
        .count();
    assert!(waiting > 0, "no waiting contact at until");
    assert!(talking > 0, "no contact in conversation at until");
}

#[test]
fn agent_states_follow_the_contacts_they_handle() {
    let (_, recs) = week();
    let finals = final_contacts(recs);
    let mut answered = HashSet::new();
    let mut ended = HashSet::new();
    for c in finals.values() {
        if let (Some(a), Some(at)) = (s(c, "agent"), ts(c, "answered_at")) {
            let q = s(c, "queue").expect("queue");
            answered.insert((a, at, q));
            if let Some(e) = ts(c, "ended_at") {
                ended.insert((a, e, q));
            }
        }
    }
    let phone_agents: HashSet<&str> = recs
        .iter()
        .filter(|r| s(r, "type") == Some("agent"))
        .filter(|r| s(r, "team").is_some_and(|t| t.contains("Hotline")))
        .filter_map(|r| s(r, "id"))
        .collect();
    assert!(!phone_agents.is_empty());
    let mut states: HashMap<&str, usize> = HashMap::new();
    for r in recs.iter().filter(|r| s(r, "type") == Some("agent_state")) {
        let state = s(r, "state").expect("state");
        *states.entry(state).or_default() += 1;
        let agent = s(r, "agent").expect("agent");
        if !phone_agents.contains(agent) {
            continue;
        }
        // A phone agent turns busy when answering a call and wraps up when
        // it ends, in that call's queue.
        let key = (
            agent,
            ts(r, "at").expect("at"),
            s(r, "queue").expect("queue"),
        );
        match state {
            "busy" => assert!(answered.contains(&key), "busy without a call: {r:?}"),
            "wrap" => assert!(ended.contains(&key), "wrap without a call ending: {r:?}"),
            _ => {}
        }
    }
    for state in ["available", "busy", "wrap", "break", "offline"] {
        assert!(states.get(state).is_some_and(|&n| n > 0), "no {state}");
    }
}

#[test]
fn the_features_spot_checks_look_for_are_present() {
    let (o, recs) = week();
    let until = o.until.expect("until");
    let finals = final_contacts(recs);
    let arrived = |c: &Map<String, Value>| ts(c, "arrived_at").expect("arrived");

    // Repeat contacts within 48 h.
    let mut by_customer: HashMap<&str, Vec<DateTime<FixedOffset>>> = HashMap::new();
    for c in finals.values() {
        if let Some(cu) = s(c, "customer") {
            by_customer.entry(cu).or_default().push(arrived(c));
        }
    }
    let mut repeats = 0;
    for v in by_customer.values_mut() {
        v.sort();
        repeats += v
            .windows(2)
            .filter(|w| {
                let d = (w[1] - w[0]).num_seconds();
                d > 0 && d <= 48 * 3600
            })
            .count();
    }
    let n = finals.len() as f64;
    let repeat_rate = repeats as f64 / n;
    assert!(
        (0.05..0.25).contains(&repeat_rate),
        "repeat rate {repeat_rate}"
    );

    let count = |f: &dyn Fn(&Map<String, Value>) -> bool| finals.values().filter(|c| f(c)).count();
    assert!(count(&|c| num(c, "transfers") >= 2.0) > 20);
    assert!(count(&|c| num(c, "ivr_s") > 120.0) > 20);
    assert!(count(&|c| c.get("resolved") == Some(&Value::Bool(false))) > 100);
    assert!(
        count(&|c| !c.contains_key("customer")) > 0,
        "no withheld numbers"
    );
    let red_line = count(&|c| {
        s(c, "text").is_some_and(|t| {
            let t = t.to_lowercase();
            DEFAULT_RED_LINE
                .iter()
                .any(|p| t.contains(&p.to_lowercase()))
        })
    });
    assert!(red_line > 0, "no red-line text");
    assert!(count(&|c| c.contains_key("text")) > 1000);

    // Promised callbacks: some late, some never made (late once now passes).
    let now = until.to_utc().fixed_offset();
    let late = count(
        &|c| match (ts(c, "promised_callback_at"), ts(c, "callback_at")) {
            (Some(p), Some(cb)) => cb > p,
            _ => false,
        },
    );
    let missed = count(&|c| {
        ts(c, "promised_callback_at").is_some_and(|p| p < now) && !c.contains_key("callback_at")
    });
    let on_time = count(
        &|c| match (ts(c, "promised_callback_at"), ts(c, "callback_at")) {
            (Some(p), Some(cb)) => cb <= p,
            _ => false,
        },
    );
    assert!(
        late > 0 && missed > 0 && on_time > late,
        "{late} {missed} {on_time}"
    );

    // Priorities and categories: all present, mostly medium/low.
    for p in ["urgent", "high", "medium", "low"] {
        assert!(count(&|c| s(c, "priority") == Some(p)) > 0, "{p}");
    }
    let ordinary = count(&|c| matches!(s(c, "priority"), Some("medium" | "low")));
    assert!(ordinary as f64 / n > 0.7);
    for q in ["hotline", "vip", "chat", "social", "email", "ticket"] {
        assert!(count(&|c| s(c, "queue") == Some(q)) > 50, "{q}");
    }

    // Surveys: a realistic CSAT mix with some very unhappy customers.
    let surveys: Vec<_> = recs
        .iter()
        .filter(|r| s(r, "type") == Some("survey"))
        .collect();
    let csat: Vec<f64> = surveys.iter().map(|r| num(r, "csat")).collect();
    let happy = csat.iter().filter(|&&x| x >= 4.0).count() as f64 / csat.len() as f64;
    assert!((0.8..0.93).contains(&happy), "csat {happy}");
    assert!(csat.iter().any(|&x| x <= 2.0), "no low csat");
    let nps: Vec<f64> = surveys
        .iter()
        .filter(|r| r.contains_key("nps"))
        .map(|r| num(r, "nps"))
        .collect();
    assert!(nps.len() < surveys.len(), "every survey has an NPS");
    let promoters = nps.iter().filter(|&&x| x >= 9.0).count() as f64;
    let detractors = nps.iter().filter(|&&x| x <= 6.0).count() as f64;
    let score = 100.0 * (promoters - detractors) / nps.len() as f64;
    assert!(
        (10.0..70.0).contains(&score) && detractors > 0.0,
        "nps {score}"
    );
    // Every survey refers to a handled contact.
    for r in &surveys {
        let c = &finals[s(r, "contact").expect("contact")];
        assert!(c.contains_key("ended_at"), "{r:?}");
    }

    // Feedback: every stage present at `until`, with owners; some overdue.
    let mut feedback: HashMap<&str, &Map<String, Value>> = HashMap::new();
    for r in recs.iter().filter(|r| s(r, "type") == Some("feedback")) {
        feedback.insert(s(r, "id").expect("id"), r);
    }
    for stage in ["new", "handling", "resolved", "callback", "closed"] {
        assert!(
            feedback.values().any(|f| s(f, "stage") == Some(stage)),
            "no feedback in stage {stage}"
        );
    }
    assert!(feedback.values().all(|f| f.contains_key("owner")));
    let overdue = feedback
        .values()
        .filter(|f| s(f, "stage") != Some("closed") && ts(f, "due_at").is_some_and(|d| d < now))
        .count();
    assert!(overdue > 0, "nothing overdue");
    let closed: Vec<_> = feedback
        .values()
        .filter(|f| s(f, "stage") == Some("closed"))
        .collect();
    assert!(
        closed
            .iter()
            .all(|f| f.contains_key("result") && f.contains_key("root_cause"))
    );
    assert!(closed.iter().all(|f| f.contains_key("callback_result")));
}

#[test]
fn kpis_land_near_their_targets() {
    let (_, recs) = week();
    let finals = final_contacts(recs);
    let sl_of: HashMap<&str, f64> = recs
        .iter()
        .filter(|r| s(r, "type") == Some("queue"))
        .map(|r| (s(r, "id").expect("id"), num(r, "sl_seconds")))
        .collect();
    let (mut answered, mut abandoned, mut in_sl, mut handled, mut handle_s, mut transferred) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for c in finals.values() {
        let arrived = ts(c, "arrived_at").expect("arrived");
        if let Some(a) = ts(c, "answered_at") {
            answered += 1.0;
            let queue = s(c, "queue").expect("queue");
            if ((a - arrived).num_seconds() as f64) <= sl_of[queue] {
                in_sl += 1.0;
            }
            if c.contains_key("ended_at") && c.contains_key("wrap_s") {
                handled += 1.0;
                handle_s += num(c, "talk_s") + num(c, "hold_s") + num(c, "wrap_s");
                if num(c, "transfers") >= 1.0 {
                    transferred += 1.0;
                }
            }
        } else if c.contains_key("abandoned_at") {
            abandoned += 1.0;
        }
    }
    let aht = handle_s / handled;
    let sl = in_sl / (answered + abandoned);
    let abandon = abandoned / (answered + abandoned);
    let transfer = transferred / handled;
    assert!((225.0..285.0).contains(&aht), "AHT {aht}");
    assert!((0.65..0.95).contains(&sl), "SL {sl}");
    assert!((0.01..0.12).contains(&abandon), "abandon rate {abandon}");
    assert!((0.05..0.2).contains(&transfer), "transfer rate {transfer}");
}

#[test]
fn live_mode_appends_whole_lines_as_time_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    // Start the clock at a busy Tuesday 10:00 so the test does not depend on
    // the time of day it runs; one real second is ten simulated minutes.
    let origin = local(2026, 11, 17, 10, 0);
    let clock = LiveClock::new(Ts::from_datetime(&origin), 600.0);
    let mut o = opts(1, 30, 5);
    o.start = NaiveDate::from_ymd_opt(2026, 11, 16).expect("date");
    let stop = AtomicBool::new(false);
    let history_end = origin.fixed_offset();
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| run_live_with_clock(&o, &path, &clock, &stop));
        std::thread::sleep(Duration::from_millis(1500));
        stop.store(true, Ordering::Relaxed);
        worker.join().expect("no panic").expect("live run");
    });
    let bytes = std::fs::read(&path).expect("read");
    let recs = lines(&bytes);
    for r in &recs {
        check_line(r);
    }
    // History reaches the clock's start; live lines go beyond it.
    let latest_state = recs
        .iter()
        .filter(|r| s(r, "type") == Some("agent_state"))
        .filter_map(|r| ts(r, "at"))
        .max()
        .expect("agent states");
    assert!(latest_state > history_end, "nothing after the history");
    let live_arrivals = recs
        .iter()
        .filter(|r| s(r, "type") == Some("contact"))
        .filter(|r| ts(r, "arrived_at").is_some_and(|t| t > history_end))
        .count();
    assert!(live_arrivals > 10, "{live_arrivals} live arrivals");
    // Live contacts are upserted as they progress: some id appears first
    // without an answer and later with one.
    let mut first_unanswered = HashSet::new();
    let mut progressed = 0;
    for r in recs.iter().filter(|r| s(r, "type") == Some("contact")) {
        let id = s(r, "id").expect("id");
        if !r.contains_key("answered_at") && !r.contains_key("abandoned_at") {
            first_unanswered.insert(id);
        } else if first_unanswered.contains(id) && r.contains_key("answered_at") {
            progressed += 1;
        }
        check_contact_invariants(r);
    }
    assert!(progressed > 0, "no contact seen waiting then answered");
}

/// The roster is written as `shift` lines: one per agent and working day,
/// 9 hours from the rostered start, for an agent of the roster, never two
/// overlapping for one agent; the snapshot then counts who is scheduled.
#[test]
fn the_roster_is_written_as_shifts() {
    let (out, _) = run(&opts(7, 20, 3));
    let recs = lines(&out);
    let agents: HashSet<&str> = recs
        .iter()
        .filter(|r| s(r, "type") == Some("agent"))
        .filter_map(|r| s(r, "id"))
        .collect();
    let time = |r: &Map<String, Value>, k: &str| {
        DateTime::parse_from_rfc3339(s(r, k).expect("time")).expect("rfc 3339")
    };
    type Span = (DateTime<FixedOffset>, DateTime<FixedOffset>);
    let mut by_agent: HashMap<&str, Vec<Span>> = HashMap::new();
    for r in recs.iter().filter(|r| s(r, "type") == Some("shift")) {
        let agent = s(r, "agent").expect("agent");
        assert!(agents.contains(agent), "{agent} not on the roster");
        let (from, to) = (time(r, "start"), time(r, "end"));
        assert_eq!((to - from).num_minutes(), 9 * 60, "{r:?}");
        by_agent.entry(agent).or_default().push((from, to));
    }
    // Two days off a week: 5 (at most 6 across the week's edges) shifts each.
    assert_eq!(by_agent.len(), 20);
    for (agent, mut shifts) in by_agent {
        assert!((4..=6).contains(&shifts.len()), "{agent}: {}", shifts.len());
        shifts.sort();
        assert!(
            shifts.windows(2).all(|w| w[0].1 <= w[1].0),
            "{agent} overlaps"
        );
    }
    let (floor, errors) = shiftdeck::source::load_str(std::str::from_utf8(&out).expect("utf-8"));
    assert!(errors.is_empty(), "{errors:?}");
    let settings = shiftdeck::domain::Settings::defaults_in(TZ);
    let noon = Ts::from_datetime(&local(2026, 11, 18, 12, 0));
    let window = shiftdeck::cli::window::today(noon, TZ);
    let queues = shiftdeck::domain::staffing::queue_plans(&floor, &settings, window, noon);
    let scheduled: u32 = queues
        .iter()
        .map(|q| q.staffing.agents_scheduled.expect("the feed plans shifts"))
        .sum();
    assert!(scheduled > 0, "someone is on plan at noon");
}
