//! Issue 17, items 1, 2, 3 and 22 through the console's path: the engine
//! following a file written by the test, its status drawn in the header,
//! and `r` pressed on the app with the engine polling a local fault server.

use crate::common;
use crate::ui_support;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Reply, TestServer};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::input::action_for;
use shiftdeck::app::state::{Action, App, Effect};
use shiftdeck::app::view::EngineMsg;
use shiftdeck::domain::KpiKey;
use shiftdeck::domain::status::{PollNote, ResetKind};
use shiftdeck::domain::window::Shifts;
use shiftdeck::runtime::engine::{Engine, EngineOptions};
use shiftdeck::source::poll::SourceSettings;
use shiftdeck::source::spec::SourceSpec;
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

/// A handled contact of a-sam on q-chat at 10:15 with `handle` seconds of talk.
fn handled(id: &str, handle: u32) -> String {
    format!(
        r#"{{"type":"contact","id":"{id}","channel":"chat","queue":"q-chat","customer":"u-{id}","arrived_at":"2026-11-22T10:15:00+08:00","answered_at":"2026-11-22T10:15:04+08:00","ended_at":"2026-11-22T10:20:00+08:00","agent":"a-sam","talk_s":{handle}}}"#
    ) + "\n"
}

/// Writes `text` over the file in place (same inode), as `cat v2 > F` does.
fn rewrite_in_place(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .expect("open");
    f.write_all(text.as_bytes()).expect("write");
}

fn aht(e: &mut Engine) -> Option<f64> {
    e.compute().kpi(KpiKey::AhtS).and_then(|r| r.value)
}

/// The app after the engine's status arrived, drawn at 200×40.
fn header_of(app: &mut App, e: &Engine) -> String {
    app.update(Action::Engine(EngineMsg::Status(Box::new(
        e.status().clone(),
    ))));
    text(&draw(app, 200, 40))
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn a_file_rewritten_in_place_to_a_larger_size_is_read_again_and_the_header_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    let v1 = floor_ndjson();
    std::fs::write(&path, &v1).expect("write");
    let mut e = engine_on(&path);
    while e.poll_sources() {}
    assert_eq!(aht(&mut e), Some(304.0));

    // `cat v2 > F`: 60 contacts of 200 s, larger than v1, same inode.
    let v2: String = (0..60).map(|i| handled(&format!("n{i}"), 200)).collect();
    assert!(v2.len() > v1.len());
    rewrite_in_place(&path, &v2);
    while e.poll_sources() {}
    assert_eq!(e.floor().contacts().len(), 60);
    assert_eq!(aht(&mut e), Some(200.0));
    let reset = e
        .status()
        .reset
        .clone()
        .expect("the reset is kept for the header");
    assert_eq!(
        (reset.file.as_str(), reset.kind),
        ("floor.ndjson", ResetKind::Rewritten)
    );

    // The header says it for a few seconds, in the lead's language.
    let mut app = app(200, 40);
    let head = header_of(&mut app, &e);
    assert!(
        head.contains("↻ floor.ndjson was rewritten in place: read again from line 1"),
        "{head}"
    );
    app.lang = shiftdeck::i18n::Lang::Zh;
    let head = header_of(&mut app, &e);
    assert!(head.contains("floor.ndjson 被原地改写"), "{head}");
    app.lang = shiftdeck::i18n::Lang::En;
    app.update(Action::Tick(now().add_secs(11)));
    let head = header_of(&mut app, &e);
    assert!(!head.contains("rewritten"), "gone after 10 s: {head}");
}

#[test]
fn a_file_truncated_and_grown_back_past_the_offset_gives_right_lines_and_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    let v1: String = (0..5).map(|i| handled(&format!("a{i}"), 300)).collect();
    std::fs::write(&path, &v1).expect("write");
    let mut e = engine_on(&path);
    while e.poll_sources() {}
    assert_eq!(aht(&mut e), Some(300.0));
    // Truncated, then written past the old offset before the next check:
    // a bad line 3 must be reported as line 3, and only the new contacts count.
    let mut v2: String = (0..2).map(|i| handled(&format!("b{i}"), 100)).collect();
    v2.push_str("{not json\n");
    v2.extend((2..8).map(|i| handled(&format!("b{i}"), 100)));
    assert!(v2.len() > v1.len());
    rewrite_in_place(&path, &v2);
    while e.poll_sources() {}
    assert_eq!(e.floor().contacts().len(), 8);
    assert_eq!(aht(&mut e), Some(100.0));
    let bad = e.status().last_malformed.clone().expect("the bad line");
    assert!(bad.contains("floor.ndjson:3:"), "{bad}");
    assert_eq!(e.status().stats.malformed, 1);
    assert_eq!(
        e.status().reset.as_ref().map(|r| r.kind),
        Some(ResetKind::Rewritten)
    );
    // Truncated to less: said as a truncation.
    rewrite_in_place(&path, &handled("c0", 50));
    while e.poll_sources() {}
    assert_eq!(aht(&mut e), Some(50.0));
    assert_eq!(
        e.status().reset.as_ref().map(|r| r.kind),
        Some(ResetKind::Truncated)
    );
}

#[test]
fn a_line_longer_than_the_limit_in_a_followed_file_is_reported_and_reading_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, handled("k1", 100)).expect("write");
    let mut e = engine_on(&path);
    while e.poll_sources() {}
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    // 24 MB with no newline (the limit is 16 MB), written in pieces
    // between polls.
    for _ in 0..3 {
        f.write_all(&vec![b'z'; 8 << 20]).expect("append");
        while e.poll_sources() {}
    }
    f.write_all(b"\n").expect("append");
    f.write_all(handled("k3", 300).as_bytes()).expect("append");
    while e.poll_sources() {}
    let bad = e.status().last_malformed.clone().expect("reported");
    assert!(
        bad.ends_with("floor.ndjson:2: line longer than 16 MB (skipped)"),
        "{bad}"
    );
    assert_eq!(e.status().stats.malformed, 1);
    assert_eq!(e.floor().contacts().len(), 2);
    assert_eq!(aht(&mut e), Some(200.0));
}

#[test]
fn a_fifo_device_or_folder_as_file_is_refused_by_the_console_before_the_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let fifo = dir.path().join("floor.fifo");
    let mut cases = vec![
        (
            Path::new("/dev/zero").to_path_buf(),
            "/dev/zero is a device, not a regular file",
        ),
        // A folder: what is wrong and what to do, never "keeping the last data".
        (
            home.clone(),
            "is a folder, not a file: give the NDJSON file inside it",
        ),
    ];
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        cases.push((fifo.clone(), "is a FIFO (named pipe), not a regular file"));
    }
    for (file, says) in cases {
        let t0 = Instant::now();
        let out = crate::cli_support::shiftdeck_in(&home)
            .arg("--file")
            .arg(&file)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run");
        assert!(t0.elapsed() < Duration::from_secs(20));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{file:?}");
        assert!(err.contains(says), "{file:?}: {err}");
        assert!(!err.contains("keeping"), "{file:?}: {err}");
        // Nothing of the console was drawn: the screen was never taken.
        assert!(!String::from_utf8_lossy(&out.stdout).contains("\x1b[?1049h"));
    }
    // The engine, should the file become a FIFO later, says so and never blocks.
    if fifo.exists() {
        let mut e = engine_on(&fifo);
        e.poll_sources();
        let err = e.status().last_error.clone().expect("error");
        assert!(err.contains("is a FIFO"), "{err}");
    }
}

const FULL: &str = r#"{"cursor":"1","records":[
  {"type":"queue","id":"q1","name":"Hotline"},
  {"type":"contact","id":"c1","queue":"q1","arrived_at":"2026-11-22T09:00:00+08:00"}]}"#;

#[tokio::test]
async fn r_polls_at_once_after_a_retry_after_of_eleven_days() {
    let server = TestServer::start(|_| Reply::json(FULL)).await;
    server.push(Reply::too_many(999_999));
    let spec = SourceSpec::parse_crm(&server.url("")).expect("spec");
    let (events, restart) =
        shiftdeck::runtime::sources::spawn_polled_source(spec, SourceSettings::default())
            .expect("source");
    let mut e = Engine::new(EngineOptions {
        files: Vec::new(),
        label: "feed".into(),
        settings: settings(),
        reload_settings: None,
        shifts: Shifts::default(),
        clock: Arc::new(now),
    })
    .with_remote(events)
    .with_remote_restart(restart);
    let mut app = app(200, 40);
    // The 429 arrives: the header says the error and the capped wait.
    let t0 = Instant::now();
    while e.status().note.is_none() {
        assert!(t0.elapsed() < Duration::from_secs(10), "no status");
        e.poll_sources();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        e.status().note,
        Some(PollNote::RetryCapped {
            asked: Duration::from_secs(999_999),
            waiting: Duration::from_secs(300)
        })
    );
    let head = header_of(&mut app, &e);
    assert!(head.contains("HTTP 429"), "{head}");
    assert!(
        head.contains("the server asked to wait 11 d; trying again in 5 min"),
        "{head}"
    );
    // `r`, as the lead presses it: the engine is told, the source polls now.
    let r = action_for(
        Event::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
        &app,
    )
    .expect("r is bound");
    let mut told = false;
    for effect in app.update(r) {
        if let Effect::Engine(cmd) = effect {
            e.handle(cmd);
            told = true;
        }
    }
    assert!(told);
    let t0 = Instant::now();
    while e.floor().contacts().is_empty() {
        assert!(
            t0.elapsed() < Duration::from_secs(5),
            "r did not poll at once"
        );
        e.poll_sources();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    while e.status().last_error.is_some() {
        assert!(t0.elapsed() < Duration::from_secs(5), "the error stays");
        e.poll_sources();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(e.status().note, None);
    let head = header_of(&mut app, &e);
    assert!(!head.contains("429") && !head.contains("loading"), "{head}");
}
