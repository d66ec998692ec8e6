//! Fault injection at the poller level (issue 5): after each fault the poll
//! reports the error, nothing of it reaches the floor, the cursor stays put,
//! and the next good poll recovers.

use crate::common;

use std::time::Duration;

use common::{Reply, Request, TestServer};
use reqwest::Url;
use shiftdeck::domain::Floor;
use shiftdeck::source::http::{HttpSettings, SourceError};
use shiftdeck::source::ingest_bytes;
use shiftdeck::source::poll::{PollBatch, SourceEvent, SourceSettings};
use shiftdeck::source::spec::{Poller, SourceSpec, spawn_source};

const FULL: &str = r#"{"cursor":"1","records":[
  {"type":"queue","id":"q1","name":"Hotline"},
  {"type":"contact","id":"c1","queue":"q1","arrived_at":"2026-11-22T09:00:00+08:00"}]}"#;
const NEXT: &str = r#"{"cursor":"2","records":[
  {"type":"contact","id":"c2","queue":"q1","arrived_at":"2026-11-22T09:05:00+08:00"}]}"#;

/// The good feed: the full state, then one more contact, then nothing new.
fn feed(req: &Request) -> Reply {
    match req.query("since").as_deref() {
        None => Reply::json(FULL).header("ETag", "\"1\""),
        Some("1") => Reply::json(NEXT).header("ETag", "\"2\""),
        Some(_) if req.header("If-None-Match") == Some("\"2\"") => {
            Reply::with(304, "application/json", "")
        }
        Some(_) => Reply::json(r#"{"cursor":"2","records":[]}"#).header("ETag", "\"2\""),
    }
}

fn settings() -> SourceSettings {
    SourceSettings {
        http: HttpSettings {
            timeout: Duration::from_millis(800),
            ..HttpSettings::default()
        },
        ..SourceSettings::default()
    }
}

fn apply(floor: &mut Floor, b: &PollBatch) {
    if b.reset {
        *floor = Floor::new();
    }
    let mut errors = Vec::new();
    ingest_bytes(floor, &b.origin, b.first_line, &b.bytes, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
}

fn ids(floor: &Floor) -> Vec<String> {
    floor.contacts().iter().map(|c| c.id.to_string()).collect()
}

/// Good poll, the fault, then a good poll again.
async fn fault_then_recover(fault: Reply, settings: SourceSettings) -> SourceError {
    let server = TestServer::start(feed).await;
    let spec = SourceSpec::parse_crm(&server.url("")).expect("spec");
    let mut poller = Poller::new(&spec, &settings).expect("poller");
    let mut floor = Floor::new();
    let first = poller.poll_once().await.expect("first poll");
    assert!(first.reset);
    apply(&mut floor, &first);
    assert_eq!(ids(&floor), ["c1"]);

    server.push(fault);
    let err = poller
        .poll_once()
        .await
        .expect_err("the fault fails the poll");
    // Nothing was applied: the floor still holds the last good data.
    assert_eq!(ids(&floor), ["c1"]);

    let next = poller.poll_once().await.expect("recovers");
    assert!(!next.reset);
    apply(&mut floor, &next);
    assert_eq!(ids(&floor), ["c1", "c2"]);
    // The recovering poll asked from the cursor of the last good poll.
    let reqs = server.requests();
    assert_eq!(
        reqs.last().and_then(|r| r.query("since")).as_deref(),
        Some("1")
    );
    err
}

#[tokio::test]
async fn status_500() {
    let e = fault_then_recover(Reply::status(500), settings()).await;
    assert!(matches!(e, SourceError::Status { status: 500, .. }), "{e}");
    assert!(e.to_string().contains("HTTP 500"), "{e}");
}

#[tokio::test]
async fn rate_limited_with_retry_after() {
    let e = fault_then_recover(Reply::too_many(7), settings()).await;
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)), "{e}");
    assert!(e.to_string().contains("retry after 7 s"), "{e}");
}

#[tokio::test]
async fn timeout() {
    let slow = Reply::Slow(Duration::from_secs(3), Box::new(Reply::json(NEXT)));
    let t0 = std::time::Instant::now();
    let e = fault_then_recover(slow, settings()).await;
    assert!(matches!(e, SourceError::Timeout { .. }), "{e}");
    assert!(
        t0.elapsed() < Duration::from_secs(3),
        "the client gave up at its timeout"
    );
}

#[tokio::test]
async fn connection_reset_mid_body() {
    let cut = Reply::ResetMidBody {
        declared: NEXT.len(),
        sent: NEXT.as_bytes()[..20].to_vec(),
    };
    let e = fault_then_recover(cut, settings()).await;
    assert!(matches!(e, SourceError::Body { .. }), "{e}");
}

#[tokio::test]
async fn truncated_json() {
    let half = Reply::json(&NEXT.as_bytes()[..NEXT.len() / 2]);
    let e = fault_then_recover(half, settings()).await;
    assert!(matches!(e, SourceError::Json { .. }), "{e}");
    assert!(e.to_string().contains("EOF"), "{e}");
}

#[tokio::test]
async fn wrong_content_type() {
    let text = Reply::with(200, "text/plain", NEXT);
    let e = fault_then_recover(text, settings()).await;
    assert!(matches!(e, SourceError::ContentType { .. }), "{e}");
    assert!(e.to_string().contains("text/plain"), "{e}");
}

#[tokio::test]
async fn html_login_page() {
    let e = fault_then_recover(Reply::login_page(), settings()).await;
    assert!(matches!(e, SourceError::ContentType { .. }), "{e}");
    assert!(e.to_string().contains("login page"), "{e}");
}

#[tokio::test]
async fn body_of_200_mb_with_length_is_refused_unread() {
    let huge = Reply::Huge {
        bytes: 200 << 20,
        content_length: true,
    };
    let e = fault_then_recover(huge, SourceSettings::default()).await;
    assert!(
        matches!(e, SourceError::TooLarge { limit_mb: 64, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("64 MB limit"), "{e}");
}

#[tokio::test]
async fn body_of_200_mb_streamed_stops_at_the_cap() {
    let huge = Reply::Huge {
        bytes: 200 << 20,
        content_length: false,
    };
    let e = fault_then_recover(huge, SourceSettings::default()).await;
    assert!(
        matches!(e, SourceError::TooLarge { limit_mb: 64, .. }),
        "{e}"
    );
}

#[tokio::test]
async fn etag_gives_304_and_nothing_new() {
    let server = TestServer::start(feed).await;
    let spec = SourceSpec::parse_crm(&server.url("")).expect("spec");
    let mut poller = Poller::new(&spec, &settings()).expect("poller");
    poller.poll_once().await.expect("full");
    poller.poll_once().await.expect("next");
    let idle = poller.poll_once().await.expect("idle");
    assert!(!idle.reset && idle.bytes.is_empty());
    let last = server.requests().pop().expect("request");
    assert_eq!(last.header("If-None-Match"), Some("\"2\""));
    assert_eq!(last.query("since").as_deref(), Some("2"));
}

#[tokio::test]
async fn gone_cursor_restarts_from_the_full_state() {
    let server = TestServer::start(feed).await;
    let spec = SourceSpec::parse_crm(&server.url("")).expect("spec");
    let mut poller = Poller::new(&spec, &settings()).expect("poller");
    poller.poll_once().await.expect("full");
    server.push(Reply::status(410));
    let b = poller.poll_once().await.expect("restarted");
    assert!(b.reset, "a forgotten cursor means a full reload");
    let (floor, errors) = shiftdeck::source::load_str(std::str::from_utf8(&b.bytes).expect("utf8"));
    assert!(errors.is_empty());
    assert_eq!(ids(&floor), ["c1"]);
}

/// The task: errors come as status updates that keep the last success
/// time (staleness), backoff spaces the retries, and a good poll clears the error.
#[tokio::test]
async fn task_reports_errors_and_staleness_then_recovers() {
    let server = TestServer::start(feed).await;
    let spec = SourceSpec::parse_crm(&server.url("")).expect("spec");
    let settings = SourceSettings {
        poll: Duration::from_millis(50),
        backoff_min: Duration::from_millis(40),
        backoff_max: Duration::from_millis(200),
        ..settings()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    // Scripted: the first poll is good (the handler), then two failures.
    let task = spawn_source(spec, settings, tx);
    let mut floor = Floor::new();
    let mut statuses = Vec::new();
    let mut batches = 0;
    let t0 = std::time::Instant::now();
    while t0.elapsed() < Duration::from_secs(10) {
        let Some(ev) = rx.recv().await else { break };
        let mut line_errors = Vec::new();
        if ev.apply_to(&mut floor, &mut line_errors).is_some() {
            assert!(line_errors.is_empty(), "{line_errors:?}");
            batches += 1;
            if batches == 1 {
                server.push(Reply::status(500));
                server.push(Reply::status(503));
            }
        }
        match ev {
            SourceEvent::Batch { .. } => {}
            SourceEvent::Status {
                ok_at,
                error,
                next_poll_in,
                ..
            } => {
                statuses.push((ok_at, error.clone(), next_poll_in));
                if batches == 2 && error.is_none() {
                    break;
                }
            }
        }
    }
    drop(rx);
    let _ = task.await;
    assert_eq!(ids(&floor), ["c1", "c2"]);
    let errors: Vec<_> = statuses.iter().filter(|s| s.1.is_some()).collect();
    assert_eq!(errors.len(), 2, "{statuses:?}");
    let first_ok = statuses[0].0.expect("first poll succeeded");
    for (ok_at, error, wait) in &errors {
        assert_eq!(
            *ok_at,
            Some(first_ok),
            "staleness counts from the last success"
        );
        assert!(
            error.as_deref().is_some_and(|e| e.contains("HTTP 50")),
            "{error:?}"
        );
        // Equal jitter: between half and all of the capped exponential delay.
        assert!(
            *wait >= Duration::from_millis(20) && *wait <= Duration::from_millis(80),
            "{wait:?}"
        );
    }
    let last = statuses.last().expect("status");
    assert!(last.1.is_none());
    assert!(last.0.expect("ok") > first_ok);
}

#[tokio::test]
async fn unreachable_host_is_a_connect_error() {
    // Bind and drop: nothing listens on this port any more.
    let addr = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr");
    let spec = SourceSpec::Feed {
        base: Url::parse(&format!("http://{addr}/")).expect("url"),
    };
    let mut poller = Poller::new(&spec, &settings()).expect("poller");
    let e = poller.poll_once().await.expect_err("nothing listens");
    assert!(matches!(e, SourceError::Connect { .. }), "{e}");
}
