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

pub(crate) const TOKEN: &str = "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv";

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

pub(crate) struct Zd {
    pub server: TestServer,
    pub export_times: Arc<Mutex<Vec<Instant>>>,
    pub agent_on_call: Arc<AtomicBool>,
}

pub(crate) async fn zendesk(talk: bool) -> Zd {
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
    // A Retry-After longer than the pause a poll waits out (60 s) fails
    // the poll, whichever of its requests got it.
    zd.server.push(Reply::too_many(120));
    let e = p.poll_once().await.expect_err("429");
    assert!(matches!(e, SourceError::RateLimited { .. }), "{e}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    p.poll_once().await.expect("recovers");
    let exports: Vec<Option<String>> = zd
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path().ends_with("cursor.json"))
        .map(|r| r.query("cursor"))
        .collect();
    // Page 1, page 2, then only ever from the saved cursor: the refused
    // poll (whose export may or may not have been asked before the 429
    // ended it) and the one after it.
    assert_eq!(exports[..2], [None, Some("MTAx".into())]);
    assert!(
        (3..=4).contains(&exports.len())
            && exports[2..].iter().all(|c| c.as_deref() == Some("MTAz")),
        "{exports:?}"
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

/// A cursor as long as real ones.
const LONG_CURSOR: &str = "MTcwNzI3MTc0MS4wfHw0NjQ4MjE3NXx8MTcwNzI3MTc0MS4wfHw0NjQ4MjE3NXw=";

/// An export page as a real account answers it (shape of a recorded
/// response): most tickets have no group and no priority, and the export was
/// asked without metric sets having been computed yet.
fn real_export() -> serde_json::Value {
    json!({
      "tickets": [
        {"url": "https://acme.zendesk.com/api/v2/tickets/201.json", "id": 201, "external_id": null,
         "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": null}},
         "created_at": "2026-11-22T01:00:00Z", "updated_at": "2026-11-22T01:00:00Z", "type": null,
         "subject": "Cannot log in", "raw_subject": "Cannot log in", "priority": null, "status": "new",
         "recipient": null, "requester_id": 9101, "submitter_id": 9101, "assignee_id": null,
         "organization_id": null, "group_id": null, "collaborator_ids": [], "tags": [],
         "brand_id": 360000111, "ticket_form_id": 360000222, "allow_channelback": false},
        {"url": "https://acme.zendesk.com/api/v2/tickets/202.json", "id": 202,
         "via": {"channel": "email", "source": {"from": {"address": "a@b.test"}, "to": {}, "rel": null}},
         "created_at": "2026-11-22T02:00:00Z", "updated_at": "2026-11-22T02:00:00Z",
         "subject": "Invoice copy", "priority": null, "status": "new", "requester_id": 9102,
         "assignee_id": null, "group_id": null, "brand_id": 360000111, "ticket_form_id": null},
        {"url": "https://acme.zendesk.com/api/v2/tickets/203.json", "id": 203,
         "via": {"channel": "email"}, "created_at": "2026-11-22T03:00:00Z",
         "updated_at": "2026-11-22T03:25:00Z", "subject": "Re: Invoice copy", "priority": null,
         "status": "pending", "requester_id": 9102, "assignee_id": 501, "group_id": null,
         "brand_id": null, "ticket_form_id": null},
        {"url": "https://acme.zendesk.com/api/v2/tickets/204.json", "id": 204,
         "via": {"channel": "web"}, "created_at": "2026-11-22T04:00:00Z",
         "updated_at": "2026-11-22T04:00:00Z", "subject": "Refund", "priority": "high",
         "status": "open", "requester_id": 9103, "assignee_id": null, "group_id": 360001}
      ],
      "after_url": null, "after_cursor": LONG_CURSOR, "before_cursor": null, "end_of_stream": true
    })
}

/// A server answering like a real account: the export above, no Talk, and
/// satisfaction ratings in offset pagination (`next_page`, no `meta`); no
/// SLA policies (404, as for a plan without SLAs).
async fn real_account() -> TestServer {
    real_account_with(None).await
}

/// [`real_account`] with `/api/v2/slas/policies.json` answering `policies`.
async fn real_account_with(policies: Option<Reply>) -> TestServer {
    TestServer::start(move |req: &Request| real_account_reply(req, policies.as_ref())).await
}

/// How [`real_account_with`] answers `req`.
fn real_account_reply(req: &Request, policies: Option<&Reply>) -> Reply {
    match req.path() {
        "/api/v2/slas/policies.json" if policies.is_some() => policies.cloned().expect("policies"),
        "/api/v2/groups.json" => Reply::json(
            json!({"groups": [{"id": 360001, "name": "Billing"}],
                   "next_page": null, "previous_page": null, "count": 1})
            .to_string(),
        ),
        "/api/v2/brands.json" => Reply::json(
            json!({"brands": [{"id": 360000111, "name": "Acme Shop", "subdomain": "acme"}],
                   "next_page": null, "previous_page": null, "count": 1})
            .to_string(),
        ),
        "/api/v2/incremental/tickets/cursor.json" => Reply::json(real_export().to_string()),
        "/api/v2/satisfaction_ratings.json" => {
            let page = req.query("page").unwrap_or_else(|| "1".into());
            let (ratings, next) = match page.as_str() {
                "1" => (
                    json!([{"id": 8001, "ticket_id": 204, "score": "good",
                            "created_at": "2026-11-22T05:00:00Z", "updated_at": "2026-11-22T05:00:00Z"}]),
                    // As Zendesk's, the next page keeps the request's time span.
                    json!(format!(
                        "http://{}/api/v2/satisfaction_ratings.json?page=2&per_page=100{}",
                        req.header("Host").unwrap_or(""),
                        ["start_time", "end_time"]
                            .iter()
                            .filter_map(|k| req.query(k).map(|v| format!("&{k}={v}")))
                            .collect::<String>()
                    )),
                ),
                "2" => (
                    json!([{"id": 8002, "ticket_id": 203, "score": "bad", "comment": "Still no invoice",
                            "created_at": "2026-11-22T06:00:00Z", "updated_at": "2026-11-22T06:00:00Z"}]),
                    json!(null),
                ),
                _ => (json!([]), json!(null)),
            };
            Reply::json(
                json!({"satisfaction_ratings": ratings, "next_page": next,
                       "previous_page": null, "count": 2})
                .to_string(),
            )
        }
        _ => Reply::with(404, "application/json", r#"{"error":"InvalidEndpoint"}"#),
    }
}

fn poller_with(server: &TestServer, zendesk: shiftdeck::config::ZendeskConfig) -> ZendeskPoller {
    let opts = ZendeskOptions::from_url(
        &reqwest::Url::parse(&format!("{}?email=lead@acme.test", server.url(""))).expect("url"),
    )
    .expect("opts");
    let settings = SourceSettings {
        token: Some(Secret::new(TOKEN)),
        zendesk,
        ..SourceSettings::default()
    };
    let mut opts = opts;
    opts.export_interval = Duration::ZERO;
    ZendeskPoller::new(opts, &settings).expect("poller")
}

async fn load(p: &mut ZendeskPoller) -> Floor {
    let b = p.poll_once().await.expect("poll");
    let (floor, errors) = shiftdeck::source::load_str(std::str::from_utf8(&b.bytes).expect("utf8"));
    assert!(errors.is_empty(), "{errors:?}");
    floor
}

#[tokio::test]
async fn tickets_without_group_wait_in_the_unassigned_queue() {
    let server = real_account().await;
    let floor = load(&mut poller_with(&server, Default::default())).await;
    let now = ts("2026-11-22T05:00:00Z");
    let day = shiftdeck::domain::Window {
        from: ts("2026-11-22T00:00:00Z"),
        to: ts("2026-11-23T00:00:00Z"),
    };
    let qs = shiftdeck::domain::live::queue_reports(&floor, day, now);
    let q = |id: &str| qs.iter().find(|q| q.id == id).expect(id);
    // 201 and 202 are new and ungrouped: waiting since 01:00 and 02:00
    // (longest 4 h); 203 is pending (answered); 204 waits in Billing.
    assert_eq!(
        (q("unassigned").waiting, q("unassigned").longest_wait_s),
        (2, 14_400.0)
    );
    assert_eq!(q("360001").waiting, 1);

    // By brand: 201 and 202 in the brand's queue (named from /brands), 203
    // has no brand and stays in the unassigned queue.
    let by_brand = shiftdeck::config::ZendeskConfig {
        ungrouped_by: shiftdeck::config::UngroupedBy::Brand,
        ..Default::default()
    };
    let floor = load(&mut poller_with(&server, by_brand)).await;
    let queue_of = |id: &str| {
        let c = floor.contact(id).expect(id);
        floor.names.resolve(c.queue.expect("queue")).to_owned()
    };
    assert_eq!(queue_of("zd-201"), "brand-360000111");
    assert_eq!(queue_of("zd-202"), "brand-360000111");
    assert_eq!(queue_of("zd-203"), "unassigned");
    let brand = floor
        .queue(floor.names.lookup("brand-360000111").expect("sym"))
        .expect("queue record");
    assert_eq!(brand.name.as_deref(), Some("Acme Shop"));

    // By channel, into a queue named in the config.
    let by_channel = shiftdeck::config::ZendeskConfig {
        ungrouped_by: shiftdeck::config::UngroupedBy::Channel,
        ungrouped_queue: "triage".into(),
        ..Default::default()
    };
    let floor = load(&mut poller_with(&server, by_channel)).await;
    let c = floor.contact("zd-202").expect("202");
    assert_eq!(floor.names.resolve(c.queue.expect("queue")), "triage-email");
    let c = floor.contact("zd-201").expect("201");
    assert_eq!(
        floor.names.resolve(c.queue.expect("queue")),
        "triage-ticket"
    );
}

#[tokio::test]
async fn tickets_without_priority_get_the_default_and_an_sla_timer() {
    let server = real_account().await;
    let floor = load(&mut poller_with(&server, Default::default())).await;
    let prio = |floor: &Floor, id: &str| {
        floor
            .contact(id)
            .expect(id)
            .priority
            .map(|p| p.as_str(&floor.names).to_owned())
    };
    assert_eq!(prio(&floor, "zd-201").as_deref(), Some("medium"));
    assert_eq!(
        prio(&floor, "zd-204").as_deref(),
        Some("high"),
        "a given priority wins"
    );
    // The SLA of medium: first response within 2 h (spec section 4): 201
    // arrived 01:00, due 03:00, breached at 04:30.
    let settings = shiftdeck::domain::settings::Settings::default();
    let timers = shiftdeck::domain::sla::sla_timers(&floor, &settings, ts("2026-11-22T04:30:00Z"));
    let t201 = timers
        .iter()
        .find(|t| t.contact == "zd-201")
        .expect("timer");
    assert_eq!(
        (t201.priority.as_str(), t201.due_at, t201.breached),
        ("medium", ts("2026-11-22T03:00:00Z"), true)
    );

    // `default_priority = "none"`: no priority, no timer.
    let none = shiftdeck::config::ZendeskConfig {
        default_priority: shiftdeck::config::DefaultPriority::None,
        ..Default::default()
    };
    let floor = load(&mut poller_with(&server, none)).await;
    assert_eq!(prio(&floor, "zd-201"), None);
    let timers = shiftdeck::domain::sla::sla_timers(&floor, &settings, ts("2026-11-22T04:30:00Z"));
    assert!(timers.iter().all(|t| t.contact != "zd-201"));
}

#[tokio::test]
async fn pending_ticket_without_metrics_is_answered() {
    let server = real_account().await;
    let floor = load(&mut poller_with(&server, Default::default())).await;
    // Pending since its update at 03:25: an agent replied by then.
    let c = floor.contact("zd-203").expect("203");
    assert_eq!(c.answered_at, Some(ts("2026-11-22T03:25:00Z")));
    assert_eq!(c.ended_at, None);
    // New and open tickets stay unanswered.
    assert_eq!(floor.contact("zd-201").expect("201").answered_at, None);
    assert_eq!(floor.contact("zd-204").expect("204").answered_at, None);
}

#[tokio::test]
async fn ratings_follow_next_page() {
    let server = real_account().await;
    let floor = load(&mut poller_with(&server, Default::default())).await;
    let mut ids: Vec<(&str, Option<f64>)> =
        floor.surveys().iter().map(|s| (&*s.id, s.csat)).collect();
    ids.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(
        ids,
        [("zd-csat-8001", Some(5.0)), ("zd-csat-8002", Some(1.0))]
    );
    // The first load reads the 14 days in four time slices side by side
    // (`[source] concurrency`, 4 by default), each following next_page (the
    // mock answers every slice with both pages; each rating is kept once).
    let mut slices: std::collections::BTreeMap<i64, (Option<i64>, Vec<Option<String>>)> =
        Default::default();
    for r in server
        .requests()
        .into_iter()
        .filter(|r| r.path().ends_with("satisfaction_ratings.json"))
    {
        let num = |k| r.query(k).map(|v| v.parse::<i64>().expect(k));
        let slice = slices
            .entry(num("start_time").expect("start"))
            .or_insert((num("end_time"), Vec::new()));
        assert_eq!(slice.0, num("end_time"), "{}", r.target);
        slice.1.push(r.query("page"));
    }
    assert_eq!(slices.len(), 4, "{slices:?}");
    for (_, pages) in slices.values() {
        assert_eq!(pages, &[None, Some("2".into())]);
    }
    // Each slice ends where the next starts; the last is open; together
    // they span the 14 days.
    let starts: Vec<i64> = slices.keys().copied().collect();
    let ends: Vec<Option<i64>> = slices.values().map(|s| s.0).collect();
    for i in 0..3 {
        assert_eq!(ends[i], Some(starts[i + 1]));
    }
    assert_eq!(ends[3], None);
    let days = (starts[3] - starts[0]) as f64 / 86_400.0 * 4.0 / 3.0;
    assert!((days - 14.0).abs() < 0.01, "{days}");
}

#[tokio::test]
async fn header_shows_the_reason_before_a_long_url() {
    let expired = Arc::new(AtomicBool::new(false));
    let gone = expired.clone();
    let server = TestServer::start(move |req: &Request| {
        if gone.load(Ordering::SeqCst) && req.query("cursor").as_deref() == Some(LONG_CURSOR) {
            return Reply::with(
                404,
                "application/json",
                r#"{"error":"RecordNotFound","description":"Not found"}"#,
            );
        }
        real_account_reply(req, None)
    })
    .await;
    let mut p = poller_with(&server, Default::default());
    load(&mut p).await;
    // The cursor has expired: Zendesk answers 404 RecordNotFound.
    expired.store(true, Ordering::SeqCst);
    let e = p.poll_once().await.expect_err("404");
    assert_eq!(
        e.request_url()
            .map(|u| u.contains(LONG_CURSOR.trim_end_matches('='))),
        Some(true),
        "{e}"
    );
    // The status line the source task sends (poll::run) is the error's text.
    let mut app = crate::ui_support::app(100, 30);
    app.status.last_error = Some(e.to_string());
    let header = |app: &shiftdeck::app::state::App, w: u16| {
        crate::ui_support::text(&crate::ui_support::draw(app, w, 30))
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    };
    // 100 columns: the reason is whole, the URL cut.
    let narrow = header(&app, 100);
    assert!(
        narrow.contains("⚠ HTTP 404 (not found): RecordNotFound · 127.0.0.1"),
        "{narrow}"
    );
    // Wide: the URL comes after, shortened to host and last segment, no cursor.
    let header = header(&app, 160);
    let reason = header.find("HTTP 404").expect(&header);
    let url = header.find("/…/cursor.json?…").expect(&header);
    assert!(reason < url, "{header}");
    assert!(!header.contains("MTcw"), "{header}");
    // In Chinese too, the reason first.
    app.lang = shiftdeck::i18n::Lang::Zh;
    let zh = crate::ui_support::text(&crate::ui_support::draw(&app, 160, 30));
    let zh = zh.lines().next().unwrap_or("");
    assert!(zh.contains("HTTP 404"), "{zh}");
    assert!(zh.find("HTTP 404") < zh.find("cursor.json"), "{zh}");
}

/// The account's SLA policies as `/api/v2/slas/policies.json` answers them
/// (shape of a recorded response: two policies, targets in minutes and
/// seconds, business-hours and calendar targets, metrics the console has no
/// timer for).
fn sla_policies_fixture() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/zendesk/sla_policies.json"
    ))
    .expect("fixture")
}

/// SLA targets: the account's SLA policies where the API gives them (the
/// shortest target per priority), else the console's `[sla]`; a ticket
/// without a priority takes `default_priority` and then that priority's
/// target. Through `snapshot --crm`'s path (`fetch_into`).
#[tokio::test]
async fn sla_timers_follow_the_accounts_policies_else_the_config() {
    use shiftdeck::source::spec::fetch_into;
    let settings = shiftdeck::domain::settings::Settings::default();
    let source = SourceSettings {
        token: Some(Secret::new(TOKEN)),
        ..SourceSettings::default()
    };
    let fetch = |server: &TestServer| {
        let mut opts = ZendeskOptions::from_url(
            &reqwest::Url::parse(&format!("{}?email=lead@acme.test", server.url(""))).expect("url"),
        )
        .expect("opts");
        opts.export_interval = Duration::ZERO;
        (SourceSpec::Zendesk(opts), source.clone())
    };
    let now = ts("2026-11-22T04:30:00Z");
    let due = |floor: &Floor, id: &str| {
        shiftdeck::domain::sla::sla_timers(floor, &settings, now)
            .into_iter()
            .find(|t| t.contact == id)
            .map(|t| (t.priority, t.due_at, t.breached))
    };

    // Policies read: normal (201, no priority → medium) 240 min, so due
    // 01:00 + 4 h = 05:00, not breached at 04:30 (the config's 2 h would
    // say 03:00, breached); high (204, 04:00) the VIP policy's 20 min, the
    // shorter of 20 and 60: due 04:20, breached.
    let server = real_account_with(Some(Reply::json(sla_policies_fixture()))).await;
    let (spec, src) = fetch(&server);
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    fetch_into(&spec, &src, &mut floor, &mut errors)
        .await
        .expect("fetch");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        due(&floor, "zd-201"),
        Some(("medium".into(), ts("2026-11-22T05:00:00Z"), false))
    );
    assert_eq!(
        due(&floor, "zd-204"),
        Some(("high".into(), ts("2026-11-22T04:20:00Z"), true))
    );

    // A token that may not read them (403), or a plan without SLAs (404):
    // the config's targets, medium 2 h and high 30 min.
    for status in [403, 404] {
        let server = real_account_with(Some(Reply::with(
            status,
            "application/json",
            r#"{"error":"Forbidden","description":"You do not have access to this page."}"#,
        )))
        .await;
        let (spec, src) = fetch(&server);
        let mut floor = Floor::new();
        fetch_into(&spec, &src, &mut floor, &mut Vec::new())
            .await
            .expect("fetch");
        assert_eq!(
            due(&floor, "zd-201"),
            Some(("medium".into(), ts("2026-11-22T03:00:00Z"), true)),
            "{status}"
        );
        assert_eq!(
            due(&floor, "zd-204"),
            Some(("high".into(), ts("2026-11-22T04:30:00Z"), false)),
            "{status}"
        );
    }
}
