//! The generic HTTP feed end to end: `serve_feed_on` serving a growing
//! NDJSON file, the feed client following it, the floor matching the file.

use std::io::Write;
use std::time::Duration;

use shiftdeck::domain::Floor;
use shiftdeck::source::poll::{SourceEvent, SourceSettings};
use shiftdeck::source::serve::serve_feed_on;
use shiftdeck::source::spec::{Poller, SourceSpec, fetch_into, spawn_source};
use shiftdeck::source::{ingest_bytes, load_str};

const DAY: &str = r#"{"type":"queue","id":"q1","name":"Hotline","sl_seconds":20}
{"type":"contact","id":"c1","queue":"q1","customer":"u1","arrived_at":"2026-11-22T09:00:00+08:00","answered_at":"2026-11-22T09:00:10+08:00","ended_at":"2026-11-22T09:04:10+08:00","talk_s":200,"wrap_s":40}
{"type":"contact","id":"c2","queue":"q1","customer":"u2","arrived_at":"2026-11-22T09:01:00+08:00","answered_at":"2026-11-22T09:01:30+08:00","ended_at":"2026-11-22T09:05:30+08:00","talk_s":220,"wrap_s":20}
"#;

fn append(path: &std::path::Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .expect("open");
    f.write_all(text.as_bytes()).expect("append");
}

async fn serve(path: std::path::PathBuf) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(serve_feed_on(listener, path));
    format!("http://{addr}")
}

#[tokio::test]
async fn follows_a_growing_file_over_http() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    append(&path, DAY);
    // A half-written line must wait for its end.
    append(&path, r#"{"type":"contact","id":"c3","queue":"q1","#);
    let base = serve(path.clone()).await;
    let spec = SourceSpec::parse_crm(&base).expect("spec");
    let mut poller = Poller::new(&spec, &SourceSettings::default()).expect("poller");

    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let full = poller.poll_once().await.expect("full");
    assert!(full.reset);
    ingest_bytes(&mut floor, &full.origin, 1, &full.bytes, &mut errors);
    assert_eq!(floor.contacts().len(), 2);

    // Nothing new: the ETag answers 304.
    let idle = poller.poll_once().await.expect("idle");
    assert!(idle.bytes.is_empty() && !idle.reset);

    append(
        &path,
        "\"customer\":\"u1\",\"arrived_at\":\"2026-11-22T09:30:00+08:00\"}\n",
    );
    let next = poller.poll_once().await.expect("next");
    assert!(!next.reset);
    ingest_bytes(&mut floor, &next.origin, 1, &next.bytes, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(floor.contacts().len(), 3);

    // Replaced file: the client gets the new full state with reset.
    let other = dir.path().join("new.ndjson");
    std::fs::write(
        &other,
        DAY.lines().take(2).collect::<Vec<_>>().join("\n") + "\n",
    )
    .expect("write");
    std::fs::rename(&other, &path).expect("rotate");
    let again = poller.poll_once().await.expect("after rotation");
    assert!(again.reset);
    let (fresh, errs) = load_str(std::str::from_utf8(&again.bytes).expect("utf8"));
    assert!(errs.is_empty());
    assert_eq!(fresh.contacts().len(), 1);
}

/// The same KPIs from the file and from the feed (AHT by hand: (240 + 240) / 2).
#[tokio::test]
async fn snapshot_over_http_matches_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    append(&path, DAY);
    let base = serve(path.clone()).await;
    let spec = SourceSpec::parse_crm(&format!("feed+{base}")).expect("spec");
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let stats = fetch_into(&spec, &SourceSettings::default(), &mut floor, &mut errors)
        .await
        .expect("fetch");
    assert_eq!(stats.applied, 3);
    let (from_file, _) = load_str(DAY);
    let settings = shiftdeck::domain::Settings::defaults_in(chrono_tz::Asia::Shanghai);
    let from = shiftdeck::domain::time::parse_rfc3339("2026-11-22T00:00:00+08:00").expect("ts");
    let to = shiftdeck::domain::time::parse_rfc3339("2026-11-23T00:00:00+08:00").expect("ts");
    let win = shiftdeck::domain::Window { from, to };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let snap = |f: &Floor| {
        let spot = shiftdeck::domain::sampling::spot_check(f, &settings, day, to, &[]);
        shiftdeck::domain::report::build_snapshot(f, &settings, win, to, spot)
    };
    let (a, b) = (snap(&floor), snap(&from_file));
    let aht = |s: &shiftdeck::domain::Snapshot| {
        serde_json::to_value(s).expect("json")["kpis"]["aht_s"]["value"].clone()
    };
    assert_eq!(aht(&a), serde_json::json!(240.0));
    assert_eq!(
        serde_json::to_value(&a).expect("a"),
        serde_json::to_value(&b).expect("b")
    );
}

/// Through the task: a line appended to the file is on the floor within one poll.
#[tokio::test]
async fn task_delivers_appends_within_one_poll() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    append(&path, DAY);
    let base = serve(path.clone()).await;
    let spec = SourceSpec::parse_crm(&base).expect("spec");
    let poll = Duration::from_millis(100);
    let settings = SourceSettings {
        poll,
        ..SourceSettings::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let task = spawn_source(spec, settings, tx);
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    // Polls answered after the append before the contact arrived: the
    // one already under way when the line was written may miss it, the
    // next brings it. Counted, not timed.
    let mut polls_after_append: Option<u32> = None;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let Ok(Some(ev)) = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await else {
            break;
        };
        if ev.apply_to(&mut floor, &mut errors).is_some() {
            if floor.contact("c9").is_some() {
                break;
            }
        } else if let SourceEvent::Status { error, .. } = ev {
            assert_eq!(error, None);
            match &mut polls_after_append {
                Some(n) => *n += 1,
                None => {
                    append(
                        &path,
                        "{\"type\":\"contact\",\"id\":\"c9\",\"queue\":\"q1\"}\n",
                    );
                    polls_after_append = Some(0);
                }
            }
        }
    }
    drop(rx);
    let _ = task.await;
    assert!(
        floor.contact("c9").is_some(),
        "the appended contact arrived"
    );
    let missed = polls_after_append.expect("appended");
    assert!(
        missed <= 1,
        "{missed} polls went by without the appended line"
    );
}
