//! Spot-check sampling on a million contacts (30 days, 300 agents, 200 000
//! customers, every contact with a transcript note): one day's list, then
//! the worst case where the whole million ends on the day. Fastest of five.
//!
//! `cargo bench --bench spot_check`

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use shiftdeck::domain::sampling::spot_check;
use shiftdeck::domain::testkit::handled;
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::domain::{Contact, ContactExtra, Floor, Record, Settings, Ts};

fn ts(s: &str) -> Ts {
    parse_rfc3339(s).expect("timestamp")
}

/// A transcript excerpt, English with capitals or Chinese, no red line.
fn note(i: u32) -> &'static str {
    if i.is_multiple_of(2) {
        "Customer asked about the refund; Agent explained the policy and closed it."
    } else {
        "客户询问退款进度，坐席解释了政策并已处理完毕，客户表示满意。"
    }
}

/// Contact `i`, handled by one of 300 agents, ended at `end`, with a note.
fn handled_by_agent(floor: &mut Floor, i: u32, end: Ts) -> Contact {
    Contact {
        agent: Some(floor.names.intern(&format!("agent-{}", i % 300))),
        extra: ContactExtra::of(Some(note(i).into()), None, None),
        ..handled(&format!("c-{i}"), end)
    }
}

/// The result and the fastest time of five runs (the machine may be shared).
fn fastest_of_5<T>(mut run: impl FnMut() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..5 {
        let start = Instant::now();
        let r = run();
        best = best.min(start.elapsed());
        out = Some(r);
    }
    (out.expect("ran five times"), best)
}

fn main() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let now = ts("2026-11-22T20:00:00+08:00");
    let mut s = Settings::defaults_in(chrono_tz::Asia::Shanghai);
    s.spot_check.seed = 1;

    let mut floor = Floor::new();
    let customers: Vec<_> = (0..200_000)
        .map(|i| floor.names.intern(&format!("cust-{i}")))
        .collect();
    let base = ts("2026-10-24T00:00:00+08:00");
    for i in 0..1_000_000u32 {
        let end = base.add_secs(i64::from(i) * 30 * 86_400 / 1_000_000);
        let mut c = handled_by_agent(&mut floor, i, end);
        c.customer = Some(customers[(i as usize * 7919) % customers.len()]);
        floor.apply(Record::Contact(c));
    }
    let (r, one_day) = fastest_of_5(|| spot_check(&floor, &s, day, now, &[]));
    println!(
        "1 M contacts, one day of {} handled: {:?} ({} random, {} targeted)",
        r.coverage.iter().map(|c| c.handled).sum::<u64>(),
        one_day,
        r.random.len(),
        r.targeted.len()
    );

    // Worst case: the whole million ends on the day.
    let mut all = Floor::new();
    let noon = ts("2026-11-22T12:00:00+08:00");
    for i in 0..1_000_000u32 {
        let c = handled_by_agent(&mut all, i, noon);
        all.apply(Record::Contact(c));
    }
    let (r, all_day) = fastest_of_5(|| spot_check(&all, &s, day, now, &[]));
    println!(
        "1 M contacts all on the day: {:?} ({} random)",
        all_day,
        r.random.len()
    );
}
