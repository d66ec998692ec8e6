//! Issue 17, items 1, 3 and 20: what an attacker's server or file can make
//! the sources do, bounded. A 429 asking for eleven days waits the backoff
//! maximum and says so, and a restart (the lead's `r`) polls at once; a feed
//! that always says `more` is read in bounded batches and says so; a token
//! file that is a device, a FIFO or too big is refused without quoting it;
//! data files that are not regular files are refused by the CLI, and a line
//! longer than the limit is reported as `FILE:LINE` and skipped.

use crate::cli_support::shiftdeck_in;
use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Reply, TestServer};
use shiftdeck::config::SourceConfig;
use shiftdeck::i18n::{Lang, Localize};
use shiftdeck::source::feed::{MAX_BATCH_BYTES, MAX_FEED_PAGES};
use shiftdeck::source::poll::{PollNote, Restart, SourceEvent, SourceSettings};
use shiftdeck::source::spec::{Poller, SourceSpec, spawn_restartable};

const FULL: &str = r#"{"cursor":"1","records":[
  {"type":"queue","id":"q1","name":"Hotline"},
  {"type":"contact","id":"c1","queue":"q1","arrived_at":"2026-11-22T09:00:00+08:00"}]}"#;

/// The next event within `secs`, or a panic naming what was awaited.
async fn next_event(
    rx: &mut tokio::sync::mpsc::Receiver<SourceEvent>,
    secs: u64,
    what: &str,
) -> SourceEvent {
    tokio::time::timeout(Duration::from_secs(secs), rx.recv())
        .await
        .unwrap_or_else(|_| panic!("no event within {secs} s: {what}"))
        .unwrap_or_else(|| panic!("the source ended: {what}"))
}

#[tokio::test]
async fn retry_after_of_eleven_days_waits_the_backoff_maximum_and_a_restart_polls_at_once() {
    // Every request: 429 with Retry-After 999999 s, until the test says otherwise.
    let server = TestServer::start(|_| Reply::json(FULL)).await;
    server.push(Reply::too_many(999_999));
    let spec = SourceSpec::parse_crm(&server.url("")).expect("spec");
    let settings = SourceSettings::default();
    assert_eq!(settings.backoff_max, Duration::from_secs(300));
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let restart = Restart::default();
    let task = spawn_restartable(spec, settings, tx, restart.clone());

    let SourceEvent::Status {
        error,
        next_poll_in,
        note,
        ..
    } = next_event(&mut rx, 10, "the 429's status").await
    else {
        panic!("a status first");
    };
    assert!(error.is_some_and(|e| e.to_string().contains("HTTP 429")));
    // Five minutes, not eleven days, and the header is told why.
    assert_eq!(next_poll_in, Duration::from_secs(300));
    let note = note.expect("the cap is said");
    assert_eq!(
        note,
        PollNote::RetryCapped {
            asked: Duration::from_secs(999_999),
            waiting: Duration::from_secs(300),
        }
    );
    assert_eq!(
        note.localize(Lang::En),
        "the server asked to wait 11 d; trying again in 5 min, the longest wait (r: now)"
    );
    assert_eq!(
        note.localize(Lang::Zh),
        "服务器要求等待 11 天；将在 5 分钟 后重试（最长等待，按 r 立即重试）"
    );

    // `r`: the full state is asked for at once, mid-wait (within a minute,
    // long before the five minutes are up, however loaded the machine).
    restart.request();
    let SourceEvent::Batch { reset, bytes, .. } =
        next_event(&mut rx, 60, "the batch after the restart").await
    else {
        panic!("a batch after the restart");
    };
    assert!(reset, "a restart starts from the full state");
    assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 2);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2, "one refused poll, one at the restart");
    assert_eq!(reqs[1].query("since"), None);
    drop(rx);
    let _ = task.await;
}

/// A page of `n` contacts after cursor `since`, always saying `more`.
fn endless_page(since: u64, n: u64) -> String {
    let records: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"type":"contact","id":"c{}","queue":"q1","arrived_at":"2026-11-22T09:00:00Z"}}"#,
                since * n + i
            )
        })
        .collect();
    format!(
        r#"{{"cursor":"{}","more":true,"records":[{}]}}"#,
        since + 1,
        records.join(",")
    )
}

#[tokio::test]
async fn a_feed_that_always_says_more_is_read_in_bounded_batches_and_says_so() {
    let server = TestServer::start(|req| {
        let since: u64 = req.query("since").and_then(|s| s.parse().ok()).unwrap_or(0);
        Reply::json(endless_page(since, 3))
    })
    .await;
    let spec = SourceSpec::parse_crm(&server.url("")).expect("spec");
    let mut poller = Poller::new(&spec, &SourceSettings::default()).expect("poller");
    let first = poller.poll_once().await.expect("first batch");
    assert!(first.reset && first.more);
    assert_eq!(
        first.note,
        Some(PollNote::Paged {
            pages: MAX_FEED_PAGES,
            mb: MAX_BATCH_BYTES >> 20
        })
    );
    let lines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count();
    assert_eq!(lines(&first.bytes), 3 * MAX_FEED_PAGES);
    assert_eq!(server.requests().len(), MAX_FEED_PAGES);
    // The next batch goes on from the cursor, not from the start.
    let second = poller.poll_once().await.expect("second batch");
    assert!(!second.reset && second.more);
    assert_eq!(lines(&second.bytes), 3 * MAX_FEED_PAGES);
    let reqs = server.requests();
    assert_eq!(reqs[MAX_FEED_PAGES].query("since").as_deref(), Some("100"));
    let note = second.note.expect("note");
    assert_eq!(
        note.localize(Lang::En),
        "the feed still says \"more\" after 100 pages: read in batches of at most that many pages or 32 MB"
    );
}

fn token_settings(path: &Path) -> Result<SourceSettings, String> {
    let config = SourceConfig {
        token_file: Some(path.to_path_buf()),
        ..SourceConfig::default()
    };
    SourceSettings::from_config(&config).map_err(|e| e.to_string())
}

#[test]
fn token_files_that_are_devices_fifos_or_too_big_are_refused_without_quoting_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    // /dev/zero: refused at once, nothing read.
    let t0 = Instant::now();
    let e = token_settings(Path::new("/dev/zero")).expect_err("a device");
    assert!(t0.elapsed() < Duration::from_secs(2));
    assert_eq!(
        e,
        "the token file /dev/zero is not a regular file (a device or a pipe): give a file that holds the token alone"
    );
    // A FIFO with no writer: refused, never opened (opening would block).
    let fifo = dir.path().join("token.fifo");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let e = token_settings(&fifo).expect_err("a FIFO");
        assert!(e.contains("is not a regular file"), "{e}");
    }
    // 20 KB starting with the token: refused, the token not in the message.
    let big = dir.path().join("token");
    let mut text = String::from("tok-SUPERSECRET-42xy\n");
    text.push_str(&"x".repeat(20 << 10));
    std::fs::write(&big, &text).expect("write");
    let e = token_settings(&big).expect_err("too big");
    assert!(e.contains("larger than 16 KB"), "{e}");
    assert!(!e.contains("SUPERSECRET") && !e.contains("tok-"), "{e}");
    // Not text: refused without quoting it.
    std::fs::write(&big, b"tok-SUPERSECRET\xff\xfe\n").expect("write");
    let e = token_settings(&big).expect_err("not UTF-8");
    assert!(
        e.contains("not UTF-8 text") && !e.contains("SUPERSECRET"),
        "{e}"
    );
    // A good one still works.
    std::fs::write(&big, "tok-fine\n").expect("write");
    let s = token_settings(&big).expect("a good token file");
    assert_eq!(
        s.token.map(|t| t.expose().to_string()).as_deref(),
        Some("tok-fine")
    );
}

#[test]
fn the_cli_refuses_a_device_or_fifo_as_data_and_reports_a_long_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let snapshot = |file: &Path| {
        let mut cmd = shiftdeck_in(&home);
        cmd.args(["snapshot", "--now", "2026-11-22T12:00:00Z", "--file"])
            .arg(file);
        let t0 = Instant::now();
        let out = cmd.output().expect("run shiftdeck");
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "{file:?} took too long"
        );
        out
    };
    // /dev/zero: an error at once, not 1.9 GB of memory.
    let out = snapshot(Path::new("/dev/zero"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("/dev/zero is a device, not a regular file"),
        "{err}"
    );
    // A FIFO nobody writes to: refused, not a silent hang.
    let fifo = dir.path().join("floor.fifo");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let out = snapshot(&fifo);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            err.contains("is a FIFO (named pipe), not a regular file"),
            "{err}"
        );
    }
    // A line of 20 MB between two good ones: reported by file and line, skipped.
    let data = dir.path().join("floor.ndjson");
    let good = |id: &str| {
        format!(
            r#"{{"type":"contact","id":"{id}","queue":"q1","arrived_at":"2026-11-22T09:00:00Z"}}"#
        )
    };
    let text = format!("{}\n{}\n{}\n", good("k1"), "z".repeat(20 << 20), good("k3"));
    std::fs::write(&data, text).expect("write");
    let out = snapshot(&data);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}:2: line longer than 16 MB (skipped)",
            data.display()
        )),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let offered = json.pointer("/queues/0/offered").cloned();
    assert_eq!(offered, Some(serde_json::json!(2)), "k1 and k3: {json}");
}
