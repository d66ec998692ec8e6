//! Alert webhooks against a local receiver on 127.0.0.1: one POST per
//! fire and per clear of an episode, retries after failures (exactly one
//! delivered), Retry-After respected and capped, errcode 0 required of the
//! robots, one post for two senders on one store, and each format's body
//! as docs/alerts.md documents it.

use std::time::Duration;

use serde_json::{Value, json};
use shiftdeck::config::WebhookFormat;
use shiftdeck::domain::Ts;
use shiftdeck::domain::alerts::{AlertObject, Rule, Severity};
use shiftdeck::i18n::Lang;
use shiftdeck::runtime::alert_delivery::{BACKOFF_MAX, Delivery, RoundStats};
use shiftdeck::source::http::Secret;
use shiftdeck::source::poll::Jitter;
use shiftdeck::source::webhook::{Sender, Webhook};
use shiftdeck::store::{AlertDelivery, Store};

use crate::common::{Reply, TestServer};

fn abandon() -> AlertObject {
    AlertObject {
        id: "kpi_alert:abandon_rate".into(),
        rule: Rule::KpiAlert,
        subject: "abandon_rate".into(),
        severity: Severity::Critical,
        since: Ts::from_secs(1_764_815_000),
        message: "abandon rate 12.0% in alert (threshold 10.0%)".into(),
    }
}

fn hook(server: &TestServer, format: WebhookFormat, signing: Option<&str>) -> Webhook {
    let url = reqwest::Url::parse(&server.url("/hook?key=robot-key-0042")).expect("url");
    Webhook::at(format, url, signing.map(Secret::new))
}

fn delivery(hooks: Vec<Webhook>, lang: Lang) -> Delivery {
    Delivery {
        sender: Sender::new().expect("client"),
        hooks,
        lang,
        tz: "Asia/Shanghai".parse().expect("tz"),
    }
}

fn ok() -> Reply {
    Reply::json(r#"{"errcode":0,"errmsg":"ok"}"#)
}

fn body(r: &crate::common::Request) -> Value {
    serde_json::from_slice(&r.body).expect("a JSON body")
}

/// The store's only (first) alert delivery row.
fn first_row(store: &Store) -> AlertDelivery {
    store
        .all_alert_deliveries()
        .expect("rows")
        .into_iter()
        .next()
        .expect("a delivery row")
}

/// A round at a fixed time.
async fn round(d: &Delivery, store: &Store, at: Ts) -> RoundStats {
    let mut jitter = Jitter::from_clock();
    d.round(store, &mut jitter, || at).await.expect("round")
}

#[tokio::test]
async fn one_post_per_fire_and_per_clear_of_an_episode() {
    let server = TestServer::start(|_| ok()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("s.db")).expect("store");
    let h = hook(&server, WebhookFormat::Json, None);
    let targets = vec![h.target.clone()];
    let d = delivery(vec![h], Lang::En);
    let t0 = Ts::from_secs(1_764_815_010);
    let a = abandon();
    store.record_alert_fired(&a, t0, &targets).expect("fire");
    // The same alert seen again while open (this or another process): no row.
    assert_eq!(
        store
            .record_alert_fired(&a, t0.add_secs(5), &targets)
            .expect("again"),
        None
    );
    assert_eq!(round(&d, &store, t0).await.sent, 1);
    assert_eq!(
        round(&d, &store, t0.add_secs(60)).await,
        RoundStats::default()
    );
    let mut cleared = a.clone();
    cleared.message = "cleared: abandon rate 8.0%".into();
    store
        .record_alert_cleared(&cleared, t0.add_secs(600), &targets)
        .expect("clear");
    assert_eq!(round(&d, &store, t0.add_secs(600)).await.sent, 1);
    assert_eq!(
        round(&d, &store, t0.add_secs(900)).await,
        RoundStats::default()
    );
    let got = server.requests();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(body(&got[0])["event"], "fired");
    assert_eq!(body(&got[1])["event"], "cleared");
    assert_eq!(body(&got[1])["message"], "cleared: abandon rate 8.0%");
    assert!(
        store
            .all_alert_deliveries()
            .expect("rows")
            .iter()
            .all(|r| r.sent_at.is_some())
    );
}

#[tokio::test]
async fn two_failures_then_success_delivers_exactly_once() {
    let server = TestServer::start(|_| ok()).await;
    server.push(Reply::status(500));
    server.push(Reply::with(502, "text/html", "<html>bad gateway</html>"));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("s.db")).expect("store");
    let h = hook(&server, WebhookFormat::Wecom, None);
    let targets = vec![h.target.clone()];
    let d = delivery(vec![h], Lang::En);
    let t0 = Ts::from_secs(1_764_815_010);
    store
        .record_alert_fired(&abandon(), t0, &targets)
        .expect("fire");

    let first = round(&d, &store, t0).await;
    assert_eq!((first.sent, first.failed), (0, 1));
    let row = first_row(&store);
    assert_eq!(row.attempts, 1);
    assert_eq!(
        row.last_error.as_deref(),
        Some("the webhook answered HTTP 500")
    );
    // First backoff: 0.5 to 1 s (1 s doubling, equal jitter).
    let wait = row.next_attempt_at.secs_since(t0);
    assert!((0.5..=1.0).contains(&wait), "{wait}");
    // Not due yet: nothing posted.
    assert_eq!(round(&d, &store, t0).await, RoundStats::default());
    let second = round(&d, &store, t0.add_secs(5)).await;
    assert_eq!((second.sent, second.failed), (0, 1));
    let row = first_row(&store);
    assert_eq!(row.attempts, 2);
    let wait = row.next_attempt_at.secs_since(t0.add_secs(5));
    assert!((1.0..=2.0).contains(&wait), "{wait}");
    let third = round(&d, &store, t0.add_secs(10)).await;
    assert_eq!((third.sent, third.failed), (1, 0));
    assert_eq!(
        round(&d, &store, t0.add_secs(3_600)).await,
        RoundStats::default()
    );
    assert_eq!(server.requests().len(), 3);
    let row = first_row(&store);
    assert_eq!(row.sent_at, Some(t0.add_secs(10)));
    assert_eq!(row.last_error, None);
}

#[tokio::test]
async fn retry_after_is_respected_and_capped() {
    let server = TestServer::start(|_| ok()).await;
    server.push(Reply::too_many(120));
    server.push(Reply::too_many(86_400));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("s.db")).expect("store");
    let h = hook(&server, WebhookFormat::Slack, None);
    let targets = vec![h.target.clone()];
    let d = delivery(vec![h], Lang::Zh);
    let t0 = Ts::from_secs(1_764_815_010);
    store
        .record_alert_fired(&abandon(), t0, &targets)
        .expect("fire");
    round(&d, &store, t0).await;
    let row = first_row(&store);
    assert_eq!(row.next_attempt_at, t0.add_secs(120));
    // The reason is kept in the lead's language.
    assert_eq!(
        row.last_error.as_deref(),
        Some("Webhook 要求放慢发送（消息过多）")
    );
    round(&d, &store, t0.add_secs(120)).await;
    let row = first_row(&store);
    assert_eq!(
        row.next_attempt_at,
        t0.add_secs(120 + BACKOFF_MAX.as_secs() as i64),
        "a day asked, five minutes waited"
    );
    round(&d, &store, t0.add_secs(1_000)).await;
    assert!(first_row(&store).sent_at.is_some());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_robot_must_answer_errcode_zero() {
    let server = TestServer::start(|_| ok()).await;
    // A refusal quoting the key back: the key never reaches the store.
    server.push(Reply::json(
        r#"{"errcode":93000,"errmsg":"invalid webhook url, hint: key=robot-key-0042"}"#,
    ));
    server.push(Reply::json(r#"{"ok":true}"#));
    server.push(Reply::json(
        r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#,
    ));
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("s.db")).expect("store");
    let h = hook(&server, WebhookFormat::Dingtalk, None);
    let targets = vec![h.target.clone()];
    let d = delivery(vec![h], Lang::En);
    let t0 = Ts::from_secs(1_764_815_010);
    store
        .record_alert_fired(&abandon(), t0, &targets)
        .expect("fire");
    round(&d, &store, t0).await;
    let err = first_row(&store).last_error.unwrap_or_default();
    assert!(
        err.starts_with("the robot refused the message: errcode 93000"),
        "{err}"
    );
    assert!(!err.contains("robot-key-0042"), "{err}");
    round(&d, &store, t0.add_secs(10)).await;
    let err = first_row(&store).last_error.unwrap_or_default();
    assert!(err.contains("no errcode"), "{err}");
    // The robot's rate limit: a minute at least.
    round(&d, &store, t0.add_secs(20)).await;
    let row = first_row(&store);
    assert!(
        row.next_attempt_at >= t0.add_secs(80),
        "{:?}",
        row.next_attempt_at
    );
    assert!(row.sent_at.is_none());
    round(&d, &store, t0.add_secs(200)).await;
    assert!(first_row(&store).sent_at.is_some());
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn two_senders_on_one_store_post_a_row_once() {
    // The receiver is slow: both senders look at the row before either ends.
    let server =
        TestServer::start(|_| Reply::Slow(Duration::from_millis(300), Box::new(ok()))).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.db");
    let (s1, s2) = (
        Store::open(&path).expect("s1"),
        Store::open(&path).expect("s2"),
    );
    let h = hook(&server, WebhookFormat::Json, None);
    let targets = vec![h.target.clone()];
    let (d1, d2) = (
        delivery(vec![h.clone()], Lang::En),
        delivery(vec![h], Lang::En),
    );
    let t0 = Ts::from_secs(1_764_815_010);
    s1.record_alert_fired(&abandon(), t0, &targets)
        .expect("fire");
    // The second process sees the same alert: nothing recorded, nothing queued.
    assert_eq!(
        s2.record_alert_fired(&abandon(), t0, &targets)
            .expect("fire"),
        None
    );
    let (a, b) = tokio::join!(round(&d1, &s1, t0), round(&d2, &s2, t0));
    // The first claim puts the row out of the other's sight until the
    // POST's timeout has passed; a claim read stale is refused.
    assert_eq!(a.sent + b.sent, 1, "{a:?} {b:?}");
    let row = s2.all_alert_deliveries().expect("rows")[0].clone();
    assert!(!s2.claim_alert_delivery(row.id, 0, t0).expect("claim"));
    assert_eq!(
        round(&d2, &s2, t0.add_secs(3_600)).await,
        RoundStats::default()
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn rows_for_a_webhook_this_process_lacks_are_left_alone() {
    let server = TestServer::start(|_| ok()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("s.db")).expect("store");
    let d = delivery(vec![hook(&server, WebhookFormat::Json, None)], Lang::En);
    let t0 = Ts::from_secs(1_764_815_010);
    store
        .record_alert_fired(&abandon(), t0, &["webhook:0123456789ab".to_owned()])
        .expect("fire");
    assert_eq!(round(&d, &store, t0).await.unknown, 1);
    let row = first_row(&store);
    assert_eq!((row.attempts, row.sent_at), (0, None));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn each_format_posts_its_documented_body() {
    let server = TestServer::start(|_| ok()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("s.db")).expect("store");
    let hooks: Vec<Webhook> = [
        WebhookFormat::Wecom,
        WebhookFormat::Dingtalk,
        WebhookFormat::Slack,
        WebhookFormat::Json,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, f)| {
        let mut h = hook(
            &server,
            f,
            (f == WebhookFormat::Dingtalk).then_some("SECabc"),
        );
        h.target = format!("t{i}");
        h
    })
    .collect();
    let targets: Vec<String> = hooks.iter().map(|h| h.target.clone()).collect();
    let d = delivery(hooks, Lang::Zh);
    let t0 = Ts::from_secs(1_764_815_010);
    let mut a = abandon();
    a.message = "放弃率 12.0%，已进入告警（阈值 10.0%）".into();
    store.record_alert_fired(&a, t0, &targets).expect("fire");
    assert_eq!(round(&d, &store, t0).await.sent, 4);
    let got = server.requests();
    let by_target = |i: usize| body(&got[i]);
    // Rows are posted in queueing order: the targets' order.
    let wecom = by_target(0);
    assert_eq!(wecom["msgtype"], "markdown");
    let content = wecom["markdown"]["content"].as_str().unwrap_or("");
    assert!(
        content.starts_with("<font color=\"warning\">**告警 · 严重**</font> 放弃率 12.0%"),
        "{content}"
    );
    assert!(content.contains("> kpi_alert · abandon_rate"), "{content}");
    // 1 764 815 000 s = 2025-12-04 02:23:20 UTC = 10:23 in Shanghai.
    assert!(content.ends_with("> 始于 10:23"), "{content}");
    let ding = by_target(1);
    assert_eq!(ding["msgtype"], "markdown");
    assert!(
        ding["markdown"]["title"]
            .as_str()
            .unwrap_or("")
            .starts_with("告警 · 严重")
    );
    assert!(
        ding["markdown"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("放弃率 12.0%")
    );
    // Signed: timestamp and sign as DingTalk documents them.
    let ts = got[1].query("timestamp").expect("timestamp");
    let sign = got[1].query("sign").expect("sign");
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"SECabc");
    let want = ring::hmac::sign(&key, format!("{ts}\nSECabc").as_bytes());
    use base64::Engine;
    assert_eq!(
        sign,
        base64::engine::general_purpose::STANDARD.encode(want.as_ref())
    );
    assert_eq!(got[1].query("key").as_deref(), Some("robot-key-0042"));
    let slack = by_target(2);
    assert_eq!(slack.as_object().map(|o| o.len()), Some(1), "{slack}");
    assert!(
        slack["text"]
            .as_str()
            .unwrap_or("")
            .starts_with("*告警 · 严重* 放弃率")
    );
    let j = by_target(3);
    assert_eq!(
        j,
        json!({"id": "kpi_alert:abandon_rate", "rule": "kpi_alert", "subject": "abandon_rate",
               "severity": "critical", "since": "2025-12-04T02:23:20Z",
               "message": "放弃率 12.0%，已进入告警（阈值 10.0%）",
               "event": "fired", "at": "2025-12-04T02:23:30Z"})
    );
    for r in &got {
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
}
