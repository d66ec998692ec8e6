//! Write-back to RT against a local server that behaves like RT 5's REST 2.0
//! for comments: `POST ticket/N/comment` stores the text, `GET
//! ticket/N/attachments` lists it. Posted once, retried with backoff,
//! never twice (also after a lost answer or a crash), no token in errors.

use crate::common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use common::{Reply, Request, TestServer};
use reqwest::Url;
use serde_json::{Value, json};
use shiftdeck::domain::Ts;
use shiftdeck::runtime::writeback::{FlushStats, flush_outbox};
use shiftdeck::source::http::{Auth, HttpClient, HttpSettings, Secret};
use shiftdeck::source::writeback::comment_text;
use shiftdeck::store::{SpotScore, Store};

const TOKEN: &str = "1-31-wbsecret0123456789";

/// Comments on the fake RT: (ticket, content).
pub(crate) type Comments = Arc<Mutex<Vec<(String, String)>>>;

/// A fake RT. With `slow` set, the next comment is stored but answered
/// after the client's timeout (the answer is lost).
pub(crate) async fn fake_rt(comments: Comments, slow: Arc<AtomicBool>) -> TestServer {
    TestServer::start(move |r: &Request| {
        let parts: Vec<&str> = r.path().trim_start_matches('/').split('/').collect();
        match (r.method.as_str(), parts.as_slice()) {
            ("POST", ["REST", "2.0", "ticket", id, "comment"]) => {
                let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                let Some(text) = v.get("Content").and_then(Value::as_str) else {
                    return Reply::status(400);
                };
                comments
                    .lock()
                    .unwrap()
                    .push((id.to_string(), text.to_owned()));
                let ok = Reply::with(201, "application/json", r#"["Comments added"]"#);
                if slow.swap(false, Ordering::SeqCst) {
                    Reply::Slow(Duration::from_millis(1500), Box::new(ok))
                } else {
                    ok
                }
            }
            ("GET", ["REST", "2.0", "ticket", id, "attachments"]) => {
                let items: Vec<Value> = comments
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|(t, _)| t == id)
                    .enumerate()
                    .map(|(i, (_, c))| {
                        json!({"id": (i + 1).to_string(), "type": "attachment", "Content": c})
                    })
                    .collect();
                let n = items.len();
                Reply::json(
                    json!({"count": n, "items": items, "page": 1, "per_page": 100,
                           "pages": null, "total": null})
                    .to_string(),
                )
            }
            _ => Reply::status(404),
        }
    })
    .await
}

pub(crate) fn client(server: &TestServer, timeout: Duration) -> (HttpClient, Url) {
    let base = Url::parse(&server.url("/")).unwrap();
    let settings = HttpSettings {
        timeout,
        ..HttpSettings::default()
    };
    let c = HttpClient::new(&base, Auth::rt_token(&Secret::new(TOKEN)), &settings).unwrap();
    (c, base)
}

fn score(contact: &str) -> SpotScore {
    SpotScore {
        id: None,
        day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        contact: contact.into(),
        agent: "a-1".into(),
        dimensions: vec![("attitude".into(), 5), ("resolution".into(), 3)],
        scale_max: 5,
        critical_customer: false,
        critical_business: false,
        critical_compliance: false,
        root_cause: None,
        comment: String::new(),
        author: "lee".into(),
        saved_at: Ts::from_secs(1_790_000_000),
    }
}

fn posts(server: &TestServer) -> Vec<Request> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect()
}

fn t(secs: i64) -> Ts {
    Ts::from_secs(1_790_000_000 + secs)
}

#[tokio::test]
async fn a_queued_score_is_posted_once_as_an_rt_comment() {
    let comments = Comments::default();
    let server = fake_rt(comments.clone(), Arc::default()).await;
    let (client, base) = client(&server, Duration::from_secs(5));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let (id, queued) = store.save_score_with_outbox(&score("rt-42")).unwrap();
    assert!(queued);
    let key = format!("spot:rt-42:{id}");

    let stats = flush_outbox(&store, &client, &base, t(1)).await.unwrap();
    assert_eq!(
        stats,
        FlushStats {
            sent: 1,
            ..FlushStats::default()
        }
    );
    let p = posts(&server);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].path(), "/REST/2.0/ticket/42/comment");
    assert!(
        p[0].header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(
        p[0].header("authorization"),
        Some(format!("token {TOKEN}").as_str())
    );
    let body: Value = serde_json::from_slice(&p[0].body).unwrap();
    assert_eq!(body["ContentType"], "text/plain");
    let content = body["Content"].as_str().unwrap();
    // 5 + 3 of 10.
    assert!(
        content.starts_with("Spot check by lee (2026-11-20): 8/10"),
        "{content}"
    );
    assert!(
        content.ends_with(&format!("\n\nshiftdeck-key: {key}")),
        "{content}"
    );
    // A first attempt posts without reading the ticket first.
    assert_eq!(server.requests().len(), 1);

    let row = store.outbox_by_key(&key).unwrap().unwrap();
    assert_eq!(row.sent_at, Some(t(1)));
    assert_eq!(row.attempts, 1);

    // Flushing again, and queueing the same entry again, post nothing.
    let again = flush_outbox(&store, &client, &base, t(3600)).await.unwrap();
    assert_eq!(again, FlushStats::default());
    assert!(
        !store
            .enqueue_outbox(&shiftdeck::store::NewOutboxEntry {
                idempotency_key: key.clone(),
                target: "rt".into(),
                ticket: "42".into(),
                kind: "spot_check".into(),
                body: row.body.clone(),
                created_at: t(5),
            })
            .unwrap()
    );
    flush_outbox(&store, &client, &base, t(7200)).await.unwrap();
    assert_eq!(posts(&server).len(), 1);
    assert_eq!(comments.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_500_is_retried_after_the_backoff_and_sent_once() {
    let comments = Comments::default();
    let server = fake_rt(comments.clone(), Arc::default()).await;
    let (client, base) = client(&server, Duration::from_secs(5));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let (id, _) = store.save_score_with_outbox(&score("rt-7")).unwrap();
    let key = format!("spot:rt-7:{id}");

    server.push(Reply::status(500));
    let stats = flush_outbox(&store, &client, &base, t(0)).await.unwrap();
    assert_eq!(stats.failed, 1);
    let row = store.outbox_by_key(&key).unwrap().unwrap();
    assert_eq!(row.attempts, 1);
    assert!(row.sent_at.is_none());
    assert!(row.last_error.as_deref().unwrap().contains("HTTP 500"));
    // First retry: 30 s with equal jitter, so 15 to 30 s later.
    let wait = row.next_attempt_at.secs_since(t(0));
    assert!((15.0..=30.0).contains(&wait), "{wait}");

    // Not due yet: nothing is sent.
    let early = flush_outbox(&store, &client, &base, t(14)).await.unwrap();
    assert_eq!(early, FlushStats::default());
    assert_eq!(server.requests().len(), 1);

    // Due: the ticket is checked (the 500 may have hidden a post), then posted.
    let stats = flush_outbox(&store, &client, &base, t(31)).await.unwrap();
    assert_eq!(stats.sent, 1);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[1].method, "GET");
    assert_eq!(reqs[1].path(), "/REST/2.0/ticket/7/attachments");
    assert_eq!(reqs[2].method, "POST");
    let row = store.outbox_by_key(&key).unwrap().unwrap();
    assert_eq!(row.sent_at, Some(t(31)));
    assert_eq!(row.last_error, None);
    assert_eq!(comments.lock().unwrap().len(), 1, "on the ticket once");
    flush_outbox(&store, &client, &base, t(9999)).await.unwrap();
    assert_eq!(comments.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn after_a_crash_between_post_and_mark_sent_it_is_not_posted_again() {
    let comments = Comments::default();
    let server = fake_rt(comments.clone(), Arc::default()).await;
    let (client, base) = client(&server, Duration::from_secs(5));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let key;
    {
        let store = Store::open(&path).unwrap();
        let (id, _) = store.save_score_with_outbox(&score("rt-9")).unwrap();
        key = format!("spot:rt-9:{id}");
        let row = store.outbox_by_key(&key).unwrap().unwrap();
        // What the sender does before its POST, then the POST reaches RT,
        // then the process dies before mark_sent.
        assert!(store.begin_attempt(row.id, row.attempts, t(20)).unwrap());
        comments
            .lock()
            .unwrap()
            .push(("9".into(), comment_text(&row.body, &row.idempotency_key)));
        // A comment with a longer key of the same prefix must not count.
        comments
            .lock()
            .unwrap()
            .push(("9".into(), format!("other\n\nshiftdeck-key: {key}0")));
    }
    let store = Store::open(&path).unwrap();
    // Not before its retry time.
    assert_eq!(
        flush_outbox(&store, &client, &base, t(10)).await.unwrap(),
        FlushStats::default()
    );
    let stats = flush_outbox(&store, &client, &base, t(20)).await.unwrap();
    assert_eq!(
        stats,
        FlushStats {
            already_there: 1,
            ..FlushStats::default()
        }
    );
    assert!(posts(&server).is_empty());
    assert_eq!(
        server.requests()[0].path(),
        "/REST/2.0/ticket/9/attachments"
    );
    assert_eq!(
        store.outbox_by_key(&key).unwrap().unwrap().sent_at,
        Some(t(20))
    );
    assert_eq!(comments.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_lost_answer_is_not_posted_twice() {
    let comments = Comments::default();
    let slow = Arc::new(AtomicBool::new(true));
    let server = fake_rt(comments.clone(), slow).await;
    let (client, base) = client(&server, Duration::from_millis(400));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let (id, _) = store.save_score_with_outbox(&score("rt-3")).unwrap();
    let key = format!("spot:rt-3:{id}");

    // RT stores the comment but the answer comes after the timeout.
    let stats = flush_outbox(&store, &client, &base, t(0)).await.unwrap();
    assert_eq!(stats.failed, 1);
    let row = store.outbox_by_key(&key).unwrap().unwrap();
    assert!(
        row.last_error.as_deref().unwrap().contains("timeout"),
        "{row:?}"
    );
    let stats = flush_outbox(&store, &client, &base, t(60)).await.unwrap();
    assert_eq!(stats.already_there, 1);
    assert_eq!(posts(&server).len(), 1);
    assert_eq!(comments.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_token_never_reaches_the_stored_error() {
    // A server that quotes the credentials back in its error body.
    let server = TestServer::start(|r: &Request| {
        let auth = r.header("authorization").unwrap_or("").to_owned();
        Reply::with(
            500,
            "application/json",
            json!({"message": format!("internal error for {auth}")}).to_string(),
        )
    })
    .await;
    let (client, base) = client(&server, Duration::from_secs(5));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.db")).unwrap();
    let (id, _) = store.save_score_with_outbox(&score("rt-11")).unwrap();
    let key = format!("spot:rt-11:{id}");
    for at in [0, 100, 1000] {
        flush_outbox(&store, &client, &base, t(at)).await.unwrap();
    }
    let row = store.outbox_by_key(&key).unwrap().unwrap();
    assert!(row.sent_at.is_none());
    assert_eq!(row.attempts, 3);
    let err = row.last_error.unwrap();
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(
        err.contains("internal error"),
        "the server's text is kept: {err}"
    );
    assert!(!err.contains(TOKEN), "{err}");
    assert!(!err.contains("wbsecret"), "{err}");
    // The server did see the token: the check above is not vacuous.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some(format!("token {TOKEN}").as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_flusher_posts_queued_rows_in_the_background() {
    use shiftdeck::runtime::writeback::spawn_flusher;
    use shiftdeck::source::poll::SourceSettings;
    use shiftdeck::source::rt::RtOptions;

    let comments = Comments::default();
    let server = fake_rt(comments.clone(), Arc::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = Store::open(&path).unwrap();
    let (id, _) = store.save_score_with_outbox(&score("rt-21")).unwrap();
    let settings = SourceSettings {
        token: Some(Secret::new(TOKEN)),
        ..SourceSettings::default()
    };
    let rt = RtOptions::new(Url::parse(&server.url("/")).unwrap());
    spawn_flusher(
        shiftdeck::store::StoreLocation::Sqlite(path),
        "lee".into(),
        rt,
        settings,
        Duration::from_millis(100),
        shiftdeck::i18n::Lang::En,
    )
    .unwrap();
    let key = format!("spot:rt-21:{id}");
    let mut sent = None;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        sent = store.outbox_by_key(&key).unwrap().unwrap().sent_at;
        if sent.is_some() {
            break;
        }
    }
    assert!(sent.is_some(), "not sent within 5 s");
    // Several flushes later it is still on the ticket once.
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(posts(&server).len(), 1);
    let c = comments.lock().unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].0, "21");
}
