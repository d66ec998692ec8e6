//! The Zendesk connector against a local server answering like Zendesk's
//! API reference (incremental ticket export with metric sets, satisfaction
//! ratings, groups, Talk's live queue and agent activity).

use crate::common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Reply, Request, TestServer};
use serde_json::json;
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::domain::{AgentStateKind, Floor};
use shiftdeck::source::http::{Secret, SourceError};
use shiftdeck::source::poll::SourceSettings;
use shiftdeck::source::spec::{Poller, SourceSpec};
use shiftdeck::source::zendesk::ZendeskPoller;
use shiftdeck::source::{ingest_bytes, zendesk::ZendeskOptions};

const TOKEN: &str = "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv";

fn export_page_1() -> serde_json::Value {
    json!({
      "tickets": [
        {"id": 101, "url": "https://acme.zendesk.com/api/v2/tickets/101.json", "via": {"channel": "email"},
         "created_at": "2026-11-22T01:00:00Z", "updated_at": "2026-11-22T01:40:00Z", "type": "question",
         "subject": "Where is my refund?", "priority": "high", "status": "solved",
         "requester_id": 9001, "submitter_id": 9001, "assignee_id": 501, "group_id": 360001},
        {"id": 102, "via": {"channel": "voice"}, "created_at": "2026-11-22T02:00:00Z",
         "updated_at": "2026-11-22T02:00:30Z", "subject": "Call from +86 138 0000 0000",
         "priority": "urgent", "status": "open", "requester_id": 9002, "assignee_id": null, "group_id": 360002}
      ],
      "metric_sets": [
        {"id": 1, "ticket_id": 101, "created_at": "2026-11-22T01:00:00Z", "group_stations": 2,
         "assignee_stations": 1, "reopens": 0, "replies": 1,
         "reply_time_in_minutes": {"calendar": 12, "business": 12},
         "first_resolution_time_in_minutes": {"calendar": 40, "business": 40},
         "solved_at": "2026-11-22T01:40:00Z"},
        {"id": 2, "ticket_id": 102, "created_at": "2026-11-22T02:00:00Z", "group_stations": 1,
         "reply_time_in_minutes": {"calendar": null, "business": null}, "solved_at": null}
      ],
      "after_url": "https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=MTAx",
      "after_cursor": "MTAx", "before_cursor": null, "end_of_stream": false
    })
}

fn export_page_2() -> serde_json::Value {
    json!({
      "tickets": [
        {"id": 103, "via": {"channel": "web"}, "created_at": "2026-11-22T03:00:00Z", "subject": "Feature idea",
         "priority": "low", "status": "new", "requester_id": 9001, "group_id": 360001},
        {"id": 99, "status": "deleted", "created_at": "2026-11-20T03:00:00Z"}
      ],
      "metric_sets": [],
      "after_cursor": "MTAz", "end_of_stream": true
    })
}

fn export_empty(cursor: &str) -> serde_json::Value {
    json!({"tickets": [], "metric_sets": [], "after_cursor": cursor, "end_of_stream": true})
}

struct Zd {
    server: TestServer,
    export_times: Arc<Mutex<Vec<Instant>>>,
    agent_on_call: Arc<AtomicBool>,
}

async fn zendesk(talk: bool) -> Zd {
    let export_times: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let agent_on_call = Arc::new(AtomicBool::new(false));
    let (times, on_call) = (export_times.clone(), agent_on_call.clone());
    let server = TestServer::start(move |req: &Request| match req.path() {
        "/api/v2/groups.json" => Reply::json(
            json!({"groups": [{"id": 360001, "name": "Billing"}, {"id": 360002, "name": "Hotline"}],
                   "meta": {"has_more": false, "after_cursor": null}, "links": {"next": null}})
            .to_string(),
        ),
        "/api/v2/incremental/tickets/cursor.json" => {
            times.lock().expect("lock").push(Instant::now());
            let body = match req.query("cursor").as_deref() {
                None => export_page_1(),
                Some("MTAx") => export_page_2(),
                Some(c) => export_empty(c),
            };
            Reply::json(body.to_string())
        }
        "/api/v2/satisfaction_ratings.json" => Reply::json(
            json!({"satisfaction_ratings": [
                {"id": 7001, "ticket_id": 101, "assignee_id": 501, "group_id": 360001, "requester_id": 9001,
                 "score": "good", "comment": "Quick refund, thanks", "created_at": "2026-11-22T01:45:00Z",
                 "updated_at": "2026-11-22T01:50:00Z"},
                {"id": 7002, "ticket_id": 102, "score": "offered", "created_at": "2026-11-22T02:10:00Z",
                 "updated_at": "2026-11-22T02:10:00Z"}],
                "meta": {"has_more": false, "after_cursor": "xyz"}, "links": {"next": null}})
            .to_string(),
        ),
        "/api/v2/channels/voice/stats/current_queue_activity.json" if talk => Reply::json(
            json!({"current_queue_activity": {"agents_online": 2, "average_wait_time": 20,
                   "callbacks_waiting": 1, "calls_waiting": 3, "embeddable_callbacks_waiting": 0,
                   "longest_wait_time": 95}})
            .to_string(),
        ),
        "/api/v2/channels/voice/stats/agents_activity.json" if talk => {
            let call = if on_call.load(Ordering::SeqCst) { json!("on_call") } else { json!(null) };
            Reply::json(
                json!({"agents_activity": [
                    {"agent_id": 501, "name": "李娜", "agent_state": "online", "call_status": call,
                     "available_via": ["client"], "calls_accepted": 4},
                    {"agent_id": 502, "name": "Tom Baker", "agent_state": "away", "call_status": null},
                    {"agent_id": 503, "name": "Ana Silva", "agent_state": "offline", "call_status": null}],
                   "next_page": null, "previous_page": null, "count": 3})
                .to_string(),
            )
        }
        _ => Reply::with(404, "application/json", r#"{"error":"InvalidEndpoint"}"#),
    })
    .await;
    Zd {
        server,
        export_times,
        agent_on_call,
    }
}

fn poller(server: &TestServer, interval: Duration) -> ZendeskPoller {
    let mut opts = ZendeskOptions::from_url(
        &reqwest::Url::parse(&format!("{}?email=lead@acme.test", server.url(""))).expect("url"),
    )
    .expect("opts");
    opts.export_interval = interval;
    let settings = SourceSettings {
        token: Some(Secret::new(TOKEN)),
        ..SourceSettings::default()
    };
    ZendeskPoller::new(opts, &settings).expect("poller")
}

fn ts(s: &str) -> shiftdeck::domain::Ts {
    parse_rfc3339(s).expect("ts")
}

#[tokio::test]
async fn full_then_incremental() {
    let zd = zendesk(true).await;
    let mut p = poller(&zd.server, Duration::from_millis(300));
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let b = p.poll_once().await.expect("first poll");
    assert!(b.reset);
    ingest_bytes(&mut floor, &b.origin, 1, &b.bytes, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");

    // Basic auth of `EMAIL/token:TOKEN` (base64 computed independently, by Python's base64).
    let reqs = zd.server.requests();
    let auth = reqs[0].header("Authorization").expect("auth");
    assert_eq!(
        auth,
        "Basic bGVhZEBhY21lLnRlc3QvdG9rZW46NndpSUJXYkdrQk1vMW1SRE11VndrdzFFUHNOa2VVajk1UEl6MmFrdg=="
    );
    assert!(reqs.iter().all(|r| r.header("Authorization") == Some(auth)));

    // Two export pages, the deleted ticket skipped.
    assert_eq!(floor.contacts().len(), 3);
    let c = floor.contact("zd-101").expect("101");
    assert_eq!(c.arrived_at, Some(ts("2026-11-22T01:00:00Z")));
    assert_eq!(
        c.answered_at,
        Some(ts("2026-11-22T01:12:00Z")),
        "created + 12 min first reply"
    );
    assert_eq!(c.ended_at, Some(ts("2026-11-22T01:40:00Z")));
    assert_eq!(c.transfers, 1, "two group stations = one transfer");
    assert_eq!(floor.names.resolve(c.queue.expect("queue")), "360001");
    assert_eq!(floor.names.resolve(c.customer.expect("customer")), "9001");
    let open = floor.contact("zd-102").expect("102");
    assert_eq!(
        (open.answered_at, open.ended_at, open.agent),
        (None, None, None)
    );
    assert_eq!(
        open.priority
            .map(|p| p.as_str(&floor.names).to_owned())
            .as_deref(),
        Some("urgent")
    );
    let q = floor
        .queue(floor.names.lookup("360001").expect("sym"))
        .expect("queue record");
    assert_eq!(q.name.as_deref(), Some("Billing"));

    // CSAT: good → 5 (satisfied), offered → no score.
    assert_eq!(floor.surveys().len(), 2);
    let s = floor
        .surveys()
        .iter()
        .find(|s| &*s.id == "zd-csat-7001")
        .expect("survey");
    assert_eq!((s.csat, s.contact.as_deref()), (Some(5.0), Some("zd-101")));
    assert!(floor.surveys().iter().any(|s| s.csat.is_none()));

    // Talk: waiting = calls + callbacks, agents by state.
    let talk = floor.names.lookup("talk").expect("talk");
    let stats = floor.queue_stats(talk).expect("queue_stats");
    assert_eq!((stats.waiting, stats.longest_wait_s), (4, 95.0));
    assert_eq!(stats.agents, [1, 0, 0, 1, 1]);
    let li = floor.names.lookup("501").expect("agent");
    assert_eq!(floor.states_of(li).len(), 1);
    assert_eq!(floor.states_of(li)[0].state(), AgentStateKind::Available);

    // Second poll: from the saved cursor; only the changed agent gets a new state.
    zd.agent_on_call.store(true, Ordering::SeqCst);
    let b2 = p.poll_once().await.expect("second poll");
    assert!(!b2.reset);
    ingest_bytes(&mut floor, &b2.origin, 1, &b2.bytes, &mut errors);
    let last_export = zd
        .server
        .requests()
        .into_iter()
        .rfind(|r| r.path().ends_with("cursor.json"))
        .expect("export");
    assert_eq!(last_export.query("cursor").as_deref(), Some("MTAz"));
    assert_eq!(floor.states_of(li).len(), 2);
    assert_eq!(floor.states_of(li)[1].state(), AgentStateKind::Busy);
    let tom = floor.names.lookup("502").expect("agent");
    assert_eq!(
        floor.states_of(tom).len(),
        1,
        "unchanged agents add no events"
    );

    // The export's own rate limit: calls the interval (300 ms) apart, as the
    // server sees them; the slack is for the server thread's own delay on a
    // busy machine (without the limit they would be a few ms apart).
    let times = zd.export_times.lock().expect("lock").clone();
    assert_eq!(times.len(), 3);
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(200),
            "{:?}",
            w[1] - w[0]
        );
    }
}

#[tokio::test]
async fn rate_limit_429_keeps_the_cursor() {
    let zd = zendesk(true).await;
    let mut p = poller(&zd.server, Duration::ZERO);
    p.poll_once().await.expect("first poll");
    zd.server.push(Reply::too_many(30));
    let e = p.poll_once().await.expect_err("429");
    assert!(matches!(e, SourceError::RateLimited { .. }), "{e}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    p.poll_once().await.expect("recovers");
    let exports: Vec<Option<String>> = zd
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path().ends_with("cursor.json"))
        .map(|r| r.query("cursor"))
        .collect();
    // Page 1, page 2, the refused call, then again from the same cursor.
    assert_eq!(
        exports,
        [
            None,
            Some("MTAx".into()),
            Some("MTAz".into()),
            Some("MTAz".into())
        ]
    );
}

#[tokio::test]
async fn account_without_talk_still_polls() {
    let zd = zendesk(false).await;
    let spec = SourceSpec::parse_crm(&format!(
        "zendesk+{}?email=lead@acme.test",
        zd.server.url("")
    ))
    .expect("spec");
    assert!(matches!(spec, SourceSpec::Zendesk(_)));
    // The export's pages come without the 6 s spacing here (see full_then_incremental).
    let mut p = Poller::Zendesk(Box::new(poller(&zd.server, Duration::ZERO)));
    let b = p.poll_once().await.expect("poll");
    let (floor, errors) = shiftdeck::source::load_str(std::str::from_utf8(&b.bytes).expect("utf8"));
    assert!(errors.is_empty());
    assert_eq!(floor.contacts().len(), 3);
    assert!(floor.names.lookup("talk").is_none());
}
