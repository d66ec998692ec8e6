//! Loading shapes that were once quadratic (issue 17, item 21): 200 000
//! contacts in one queue against the same contacts each in a queue of its
//! own, and 200 000 agent states of 100 agents in time order against the
//! same lines in reverse. Each shape is loaded from NDJSON text; fastest of
//! three. A linear loader keeps each pair within a small factor of each
//! other (the quadratic one took minutes for the second of each pair).
//!
//! `cargo bench --bench load_shapes`

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use shiftdeck::source::load_str;

const N: usize = 200_000;

fn contacts(distinct_queues: bool) -> String {
    let mut s = String::with_capacity(N * 160);
    for i in 0..N {
        let queue = if distinct_queues {
            format!("q-{i}")
        } else {
            "q-0".to_owned()
        };
        let _ = writeln!(
            s,
            r#"{{"type":"contact","id":"c{i}","queue":"{queue}","arrived_at":"2026-11-22T09:00:00Z","answered_at":"2026-11-22T09:00:10Z","ended_at":"2026-11-22T09:05:00Z","talk_s":280}}"#
        );
    }
    s
}

fn states(reverse: bool) -> String {
    let states = ["available", "busy", "wrap", "break"];
    let mut lines: Vec<String> = (0..N)
        .map(|i| {
            let secs = 1_795_300_000 + i as i64;
            let at = chrono::DateTime::from_timestamp(secs, 0)
                .expect("time")
                .format("%Y-%m-%dT%H:%M:%SZ");
            format!(
                r#"{{"type":"agent_state","agent":"a-{}","state":"{}","at":"{at}"}}"#,
                i % 100,
                states[i % states.len()]
            )
        })
        .collect();
    if reverse {
        lines.reverse();
    }
    lines.join("\n") + "\n"
}

fn fastest_of_3(text: &str) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t0 = Instant::now();
        let (floor, errors) = load_str(text);
        best = best.min(t0.elapsed());
        assert!(errors.is_empty(), "{:?}", errors.first());
        std::hint::black_box(floor);
    }
    best
}

fn main() {
    for (name, a, b) in [
        (
            "contacts: 1 queue / 200 000 queues",
            contacts(false),
            contacts(true),
        ),
        (
            "agent states: in order / reversed",
            states(false),
            states(true),
        ),
    ] {
        let (ta, tb) = (fastest_of_3(&a), fastest_of_3(&b));
        println!(
            "{name}: {ta:?} / {tb:?} (×{:.2})",
            tb.as_secs_f64() / ta.as_secs_f64().max(1e-9)
        );
    }
}
