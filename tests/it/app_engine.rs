//! The data task: following a file, recomputing on change, rebuilding on
//! truncation, keeping the last data when the file disappears, keeping the
//! day's spot-check list, and the real thread delivering views.

use crate::ui_support;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shiftdeck::app::filter::Filter;
use shiftdeck::app::state::EngineCmd;
use shiftdeck::app::view::{EngineMsg, View};
use shiftdeck::domain::KpiKey;
use shiftdeck::domain::window::{Shifts, WindowKind};
use shiftdeck::runtime::engine::{self, Engine, EngineOptions};
use ui_support::*;

fn engine_on(path: &Path) -> Engine {
    Engine::new(EngineOptions {
        files: vec![path.to_path_buf()],
        label: "floor.ndjson".into(),
        settings: settings(),
        reload_settings: None,
        shifts: Shifts::default(),
        clock: Arc::new(now),
    })
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open for append");
    f.write_all(text.as_bytes()).expect("append");
}

fn aht(v: &View) -> Option<f64> {
    v.kpi(KpiKey::AhtS).and_then(|r| r.value)
}

/// A handled contact of a-sam on q-chat at 10:15 with `handle` seconds of talk.
fn handled(id: &str, handle: u32) -> String {
    format!(
        r#"{{"type":"contact","id":"{id}","channel":"chat","queue":"q-chat","customer":"u-{id}","arrived_at":"2026-11-22T10:15:00+08:00","answered_at":"2026-11-22T10:15:04+08:00","ended_at":"2026-11-22T10:20:00+08:00","agent":"a-sam","talk_s":{handle}}}"#
    ) + "\n"
}

#[test]
fn follows_appends_and_recomputes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let mut e = engine_on(&path);
    assert!(e.status().loading);
    assert!(!e.poll_sources());
    assert!(!e.status().loading);
    assert!(e.due(Instant::now()));
    let v = e.compute();
    assert_eq!(aht(&v), Some(304.0));
    // Nothing changed: no new view before the refresh interval.
    assert!(!e.poll_sources());
    assert!(!e.due(Instant::now()));
    // One more handled contact of 600 s: (1520 + 600) / 6 = 353.33 s.
    append(&path, &handled("c10", 600));
    e.poll_sources();
    // The wait after a change is the last computation's cost times the
    // factor, never more than the cap.
    let gap = e.recompute_gap();
    assert_eq!(gap, engine::recompute_gap(e.last_compute_time()));
    assert!(e.due(Instant::now() + gap));
    let v = e.compute();
    let got = aht(&v).expect("aht");
    assert!((got - 2120.0 / 6.0).abs() < 1e-9, "{got}");
    assert_eq!(e.status().stats.malformed, 0);
    assert!(e.status().data_at.is_some());
}

#[test]
fn a_changed_floor_waits_three_times_the_last_computation_at_most_a_second() {
    let ms = Duration::from_millis;
    assert_eq!(engine::recompute_gap(ms(2)), ms(6));
    assert_eq!(engine::recompute_gap(ms(80)), ms(240));
    assert_eq!(engine::recompute_gap(ms(400)), ms(1000));
    assert_eq!(engine::recompute_gap(Duration::ZERO), Duration::ZERO);
}

#[test]
fn a_partial_last_line_waits_for_its_newline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let mut e = engine_on(&path);
    e.poll_sources();
    let line = handled("c10", 600);
    let (head, tail) = line.split_at(40);
    append(&path, head);
    e.poll_sources();
    assert_eq!(aht(&e.compute()), Some(304.0));
    append(&path, tail);
    e.poll_sources();
    assert!((aht(&e.compute()).expect("aht") - 2120.0 / 6.0).abs() < 1e-9);
}

#[test]
fn malformed_lines_are_reported_and_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let mut e = engine_on(&path);
    e.poll_sources();
    let lines_before = e.status().stats.lines;
    append(&path, "{not json\n");
    append(&path, &handled("c10", 600));
    e.poll_sources();
    assert_eq!(e.status().stats.malformed, 1);
    let report = e.status().last_malformed.clone().expect("report");
    assert!(
        report.contains(&format!(":{}:", lines_before + 1)),
        "{report}"
    );
    assert!((aht(&e.compute()).expect("aht") - 2120.0 / 6.0).abs() < 1e-9);
}

#[test]
fn truncation_rebuilds_and_a_vanished_file_keeps_the_last_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let mut e = engine_on(&path);
    e.poll_sources();
    assert_eq!(aht(&e.compute()), Some(304.0));

    // Truncated and rewritten with a single handled contact of 200 s.
    std::fs::write(&path, handled("only", 200)).expect("rewrite");
    while e.poll_sources() {}
    assert_eq!(e.floor().contacts().len(), 1);
    assert!(e.due(Instant::now()));
    assert_eq!(aht(&e.compute()), Some(200.0));

    // Replaced by a new file (rotation): read again from line 1.
    let rotated = dir.path().join("new.ndjson");
    std::fs::write(&rotated, floor_ndjson()).expect("write");
    std::fs::rename(&rotated, &path).expect("rotate");
    while e.poll_sources() {}
    assert_eq!(aht(&e.compute()), Some(304.0));

    // Gone: the error is reported, the floor (and so the view) stays.
    std::fs::remove_file(&path).expect("remove");
    e.poll_sources();
    let err = e.status().last_error.clone().expect("error");
    assert!(
        err.contains("file not found (keeping the last data)"),
        "{err}"
    );
    assert_eq!(aht(&e.compute()), Some(304.0));
    // Back again: the error clears.
    std::fs::write(&path, floor_ndjson()).expect("write");
    while e.poll_sources() {}
    assert_eq!(e.status().last_error, None);
}

/// A `--file` that never existed has no last data to keep: the header says
/// to check the path instead.
#[test]
fn a_file_never_read_says_to_check_the_path_not_keeping_last_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("typo.ndjson");
    let mut e = engine_on(&path);
    e.poll_sources();
    let err = e.status().last_error.clone().expect("error");
    assert!(err.contains("typo.ndjson"), "{err}");
    assert!(
        err.contains("file not found: check the path given with --file"),
        "{err}"
    );
    assert!(!err.contains("keeping the last data"), "{err}");
}

#[test]
fn commands_change_window_and_scope() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let mut e = engine_on(&path);
    e.poll_sources();
    e.compute();
    e.handle(EngineCmd::SetWindow(WindowKind::Yesterday));
    assert!(e.due(Instant::now()));
    let v = e.compute();
    assert_eq!(v.kind, WindowKind::Yesterday);
    // Yesterday: (240 + 250) / 2.
    assert_eq!(aht(&v), Some(245.0));
    e.handle(EngineCmd::SetWindow(WindowKind::Today));
    e.handle(EngineCmd::SetFilter(Filter::parse("q:电话")));
    let v = e.compute();
    assert_eq!(v.scope.queue.as_deref(), Some("q-phone"));
    // q-phone handled c1 290, c2 240, c5 170, c9 400 → 275 s.
    assert_eq!(aht(&v), Some(275.0));
    e.handle(EngineCmd::SetFilter(Filter::parse("q:nowhere")));
    let v = e.compute();
    assert_eq!(v.scope.unmatched, vec!["q:nowhere".to_string()]);
    assert_eq!(aht(&v), None);
}

#[test]
fn the_days_spot_check_list_never_loses_items() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let mut e = engine_on(&path);
    e.poll_sources();
    let first: Vec<String> = e
        .compute()
        .snapshot
        .spot_check
        .random
        .iter()
        .map(|i| i.contact.clone())
        .collect();
    assert!(!first.is_empty());
    for i in 0..30 {
        append(&path, &handled(&format!("extra{i}"), 100));
    }
    e.poll_sources();
    let later = e.compute();
    for id in &first {
        assert!(
            later
                .snapshot
                .spot_check
                .random
                .iter()
                .any(|i| &i.contact == id),
            "{id} dropped off the list"
        );
    }
    // a-sam now has 31 handled contacts: at least ceil(0.1 × 31) = 4 sampled.
    let sam = later
        .snapshot
        .spot_check
        .coverage
        .iter()
        .find(|c| c.agent == "a-sam")
        .expect("a-sam");
    assert_eq!((sam.handled, sam.required), (31, 4));
    assert!(sam.sampled >= 4);
}

#[test]
fn the_engine_thread_delivers_views_and_follows_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let handle = engine::spawn(engine_on(&path), move |m| tx.send(m).is_ok()).expect("spawn");
    let next_view = |rx: &mut tokio::sync::mpsc::UnboundedReceiver<EngineMsg>| -> Box<View> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match rx.try_recv() {
                Ok(EngineMsg::View(v)) => return v,
                Ok(EngineMsg::Status(_)) => {}
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => panic!("no view in time: {e}"),
            }
        }
    };
    assert_eq!(aht(&next_view(&mut rx)), Some(304.0));
    append(&path, &handled("c10", 600));
    // The next view holds the appended line (how soon: the event-to-screen
    // time `shiftdeck bench --appends` measures, not a timed test).
    let v = next_view(&mut rx);
    assert!((aht(&v).expect("aht") - 2120.0 / 6.0).abs() < 1e-9);
    handle
        .commands
        .send(EngineCmd::SetWindow(WindowKind::Yesterday))
        .expect("send");
    assert_eq!(aht(&next_view(&mut rx)), Some(245.0));
    handle.stop();
}

/// The next view whose AHT is `want` (views in between are skipped);
/// panics after 20 s, which only a lost wake-up can take.
fn view_with_aht(rx: &mut tokio::sync::mpsc::UnboundedReceiver<EngineMsg>, want: f64) -> Box<View> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = None;
    while Instant::now() < deadline {
        match rx.try_recv() {
            Ok(EngineMsg::View(v)) => {
                if aht(&v).is_some_and(|got| (got - want).abs() < 1e-9) {
                    return v;
                }
                last = aht(&v);
            }
            Ok(EngineMsg::Status(_)) => {}
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    panic!("no view with AHT {want} (last {last:?})");
}

/// With the fallback poll at an hour, only the file system's notification
/// can bring a change in: appends, a rotation, a truncation and a
/// replacement are each read and shown.
#[test]
fn the_notification_alone_brings_appends_and_replacements_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let e = engine_on(&path).with_fallback_poll(Duration::from_secs(3600));
    let handle = engine::spawn(e, move |m| tx.send(m).is_ok()).expect("spawn");
    view_with_aht(&mut rx, 304.0);
    // Appended: (1520 + 600) / 6.
    append(&path, &handled("c10", 600));
    view_with_aht(&mut rx, 2120.0 / 6.0);
    // Rotated: another file renamed over the name, (1520 + 900) / 6.
    let next = dir.path().join("floor.ndjson.new");
    std::fs::write(&next, floor_ndjson() + &handled("c11", 900)).expect("write");
    std::fs::rename(&next, &path).expect("rotate");
    view_with_aht(&mut rx, 2420.0 / 6.0);
    // Truncated in place and written again: back to the five contacts.
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    f.set_len(0).expect("truncate");
    drop(f);
    append(&path, &floor_ndjson());
    view_with_aht(&mut rx, 304.0);
    // Removed, then replaced by a new file: (1520 + 300) / 6.
    std::fs::remove_file(&path).expect("remove");
    std::fs::write(&path, floor_ndjson() + &handled("c12", 300)).expect("write");
    view_with_aht(&mut rx, 1820.0 / 6.0);
    // And followed after that.
    append(&path, &handled("c13", 1200));
    view_with_aht(&mut rx, 3020.0 / 7.0);
    handle.stop();
}

#[test]
fn midnight_moves_the_window_at_once() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).expect("write");
    let clock_ns = Arc::new(AtomicI64::new(ts("2026-11-22T23:59:59+08:00").nanos()));
    let c = clock_ns.clone();
    let mut e = Engine::new(EngineOptions {
        files: vec![path.clone()],
        label: "floor.ndjson".into(),
        settings: settings(),
        reload_settings: None,
        shifts: Shifts::default(),
        clock: Arc::new(move || shiftdeck::domain::Ts::from_nanos(c.load(Ordering::SeqCst))),
    });
    e.poll_sources();
    let v = e.compute();
    assert_eq!(v.snapshot.window.from, ts("2026-11-22T00:00:00+08:00"));
    clock_ns.store(ts("2026-11-22T23:59:59.5+08:00").nanos(), Ordering::SeqCst);
    assert!(!e.due(Instant::now()));
    clock_ns.store(ts("2026-11-23T00:00:01+08:00").nanos(), Ordering::SeqCst);
    assert!(e.due(Instant::now()), "a new day needs a new view");
    let v = e.compute();
    assert_eq!(v.snapshot.window.from, ts("2026-11-23T00:00:00+08:00"));
    // The new day's spot-check list starts empty: nothing ended on the 23rd.
    assert!(v.snapshot.spot_check.random.is_empty());
}
