//! Issue 15, item 3, Zendesk: the first load runs its lists side by side
//! (groups, SLA policies, the ticket export, the satisfaction ratings in
//! time slices, Talk), at most `[source] concurrency` requests at once,
//! against a local server answering like Zendesk's API reference: cursor
//! pagination (`page[size]`, `page[after]`, `meta.has_more`), the
//! incremental export's cursor chain with metric sets, ratings filtered by
//! `start_time`/`end_time`. The side-by-side load gives the same lines as
//! the one-at-a-time load; a 429 holds every request and the load goes on;
//! a failing page fails the whole poll and names the request.

use crate::common::{Reply, Request, TestServer};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shiftdeck::domain::Floor;
use shiftdeck::source::http::{HttpSettings, Secret, SourceError};
use shiftdeck::source::load_str;
use shiftdeck::source::poll::SourceSettings;
use shiftdeck::source::zendesk::{ZendeskOptions, ZendeskPoller};

const TOKEN: &str = "zd-first-load-token-0123456789";
/// Tickets on the mock account, and tickets per export page.
const TICKETS: u64 = 230;
const EXPORT_PAGE: usize = 50;
/// Ratings on the mock account, one every `RATING_EVERY_S` back from now.
const RATINGS: u64 = 420;
const RATING_EVERY_S: i64 = 2_400;

/// The mock account, built around `now` (epoch seconds): ticket `i` came in
/// `i` hours before the newest; every fifth is solved with a first reply
/// after `i % 50` minutes; ticket 7 is updated while the export runs, so it
/// comes twice (open on page 1, solved on the last page: the later wins);
/// ticket 13 is deleted. Rating `k` was given `k × RATING_EVERY_S` ago.
struct Account {
    now: i64,
    tickets: Vec<Value>,
    metrics: Vec<Value>,
    ratings: Vec<(i64, Value)>,
}

fn rfc(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .expect("time")
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn account() -> Account {
    let now = chrono::Utc::now().timestamp();
    let newest = now - 3_600;
    let mut tickets = Vec::new();
    let mut metrics = Vec::new();
    for i in 1..=TICKETS {
        let created = newest - i as i64 * 3_600;
        let solved = i % 5 == 0;
        let status = match i {
            13 => "deleted",
            _ if solved => "solved",
            _ if i % 3 == 0 => "pending",
            _ => "open",
        };
        let channel = ["email", "voice", "web", "chat"][i as usize % 4];
        let priority = ["low", "normal", "high", "urgent"][i as usize % 4];
        tickets.push(json!({"id": i, "via": {"channel": channel},
            "created_at": rfc(created), "updated_at": rfc(created + 1_800), "subject": format!("Ticket {i}"),
            "priority": priority, "status": status,
            "requester_id": 9_000 + i % 17, "assignee_id": if i % 4 == 0 { json!(null) } else { json!(500 + i % 6) },
            "group_id": if i % 7 == 0 { json!(null) } else { json!(360_001 + i % 3) }}));
        metrics.push(json!({"ticket_id": i, "group_stations": 1 + i % 3,
            "reply_time_in_minutes": {"calendar": if solved { json!(i % 50) } else { json!(null) }},
            "solved_at": if solved { json!(rfc(created + 1_800)) } else { json!(null) }}));
    }
    // Ticket 7, solved while the export ran: exported again at the end.
    let mut again = tickets[6].clone();
    again["status"] = json!("solved");
    again["updated_at"] = json!(rfc(newest));
    tickets.push(again);
    metrics.push(json!({"ticket_id": 7, "group_stations": 3,
        "reply_time_in_minutes": {"calendar": 5}, "solved_at": rfc(newest)}));
    let ratings = (1..=RATINGS)
        .map(|k| {
            let at = now - k as i64 * RATING_EVERY_S;
            let score = ["good", "bad", "offered"][k as usize % 3];
            let r = json!({"id": 70_000 + k, "ticket_id": 1 + k % TICKETS, "score": score,
                "comment": if k % 10 == 0 { json!(format!("comment {k}")) } else { json!("") },
                "created_at": rfc(at), "updated_at": rfc(at + 60)});
            (at, r)
        })
        .collect();
    Account {
        now,
        tickets,
        metrics,
        ratings,
    }
}

fn num(req: &Request, key: &str) -> Option<i64> {
    req.query(key).and_then(|v| v.parse().ok())
}

/// One page of `items` in cursor pagination: `page[after]` is the offset.
fn cursor_page(req: &Request, list: &str, items: &[Value]) -> Reply {
    let size = num(req, "page[size]").unwrap_or(100).clamp(1, 100) as usize;
    let from = num(req, "page[after]").unwrap_or(0) as usize;
    let to = (from + size).min(items.len());
    let more = to < items.len();
    Reply::json(
        json!({list: items.get(from..to).unwrap_or(&[]),
               "meta": {"has_more": more, "after_cursor": if more { json!(to.to_string()) } else { json!(null) }}})
        .to_string(),
    )
}

fn answer(a: &Account, req: &Request) -> Reply {
    match req.path() {
        "/api/v2/groups.json" => cursor_page(
            req,
            "groups",
            &[
                json!({"id": 360_001, "name": "Billing"}),
                json!({"id": 360_002, "name": "Hotline"}),
                json!({"id": 360_003, "name": "Returns"}),
            ],
        ),
        "/api/v2/slas/policies.json" => {
            Reply::json(include_str!("../fixtures/zendesk/sla_policies.json"))
        }
        "/api/v2/incremental/tickets/cursor.json" => {
            let from: usize = match req.query("cursor") {
                Some(c) => c.trim_start_matches('c').parse().unwrap_or(usize::MAX),
                None => 0,
            };
            let to = (from + EXPORT_PAGE).min(a.tickets.len());
            let tickets = a.tickets.get(from..to).unwrap_or(&[]);
            let ids: Vec<&Value> = tickets.iter().map(|t| &t["id"]).collect();
            // Each page side-loads the metric sets of its tickets (ticket 7's
            // latest with its latest appearance).
            let metrics: Vec<&Value> = a.metrics[from..to]
                .iter()
                .filter(|m| ids.contains(&&m["ticket_id"]))
                .collect();
            Reply::json(
                json!({"tickets": tickets, "metric_sets": metrics,
                       "after_cursor": format!("c{to}"), "end_of_stream": to >= a.tickets.len()})
                .to_string(),
            )
        }
        "/api/v2/satisfaction_ratings.json" => {
            let start = num(req, "start_time").unwrap_or(0);
            let end = num(req, "end_time").unwrap_or(i64::MAX);
            // Newest first, as Zendesk lists them.
            let list: Vec<Value> = a
                .ratings
                .iter()
                .filter(|(at, _)| *at >= start && *at <= end)
                .map(|(_, r)| r.clone())
                .collect();
            cursor_page(req, "satisfaction_ratings", &list)
        }
        "/api/v2/channels/voice/stats/current_queue_activity.json" => Reply::json(
            json!({"current_queue_activity": {"calls_waiting": 2, "callbacks_waiting": 1, "longest_wait_time": 40}})
                .to_string(),
        ),
        "/api/v2/channels/voice/stats/agents_activity.json" => Reply::json(
            json!({"agents_activity": [
                {"agent_id": 501, "name": "李娜", "agent_state": "online", "call_status": "on_call"},
                {"agent_id": 502, "name": "Tom Baker", "agent_state": "away", "call_status": null}],
                "next_page": null})
            .to_string(),
        ),
        _ => Reply::with(404, "application/json", r#"{"error":"InvalidEndpoint"}"#),
    }
}

/// The mock account, every answer `delay` late; `fault` may answer a
/// request instead (its number, from 0, and the request).
async fn server(
    delay: Duration,
    fault: impl Fn(usize, &Request) -> Option<Reply> + Send + Sync + 'static,
) -> (TestServer, Arc<Account>) {
    let a = Arc::new(account());
    let count = AtomicUsize::new(0);
    let acc = a.clone();
    let s = TestServer::start(move |req: &Request| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        let r = fault(n, req).unwrap_or_else(|| answer(&acc, req));
        if delay.is_zero() {
            r
        } else {
            Reply::Slow(delay, Box::new(r))
        }
    })
    .await;
    (s, a)
}

fn settings(workers: usize) -> SourceSettings {
    SourceSettings {
        token: Some(Secret::new(TOKEN)),
        http: HttpSettings {
            max_in_flight: workers,
            ..HttpSettings::default()
        },
        ..SourceSettings::default()
    }
}

fn poller(server: &TestServer, workers: usize) -> ZendeskPoller {
    let mut opts = ZendeskOptions::from_url(
        &reqwest::Url::parse(&format!("{}?email=lead@acme.test", server.url(""))).expect("url"),
    )
    .expect("opts");
    // Zendesk's 10 export calls a minute are the export's own affair (see
    // source_zendesk.rs); here its pages come at once.
    opts.export_interval = Duration::ZERO;
    ZendeskPoller::new(opts, &settings(workers)).expect("poller")
}

/// The lines of a batch, with the one field that differs between two
/// loads taken out: the time Talk's figures were read (`at`).
fn lines(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .expect("utf8")
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).expect("a JSON line");
            if matches!(v["type"].as_str(), Some("agent_state" | "queue_stats")) {
                v.as_object_mut().expect("object").remove("at");
            }
            v
        })
        .collect()
}

fn floor(bytes: &[u8]) -> Floor {
    let (floor, errors) = load_str(std::str::from_utf8(bytes).expect("utf8"));
    assert!(errors.is_empty(), "{errors:?}");
    floor
}

#[tokio::test]
async fn side_by_side_the_first_load_gives_the_lines_of_one_at_a_time() {
    let (server, a) = server(Duration::from_millis(15), |_, _| None).await;
    let mut loads = Vec::new();
    for workers in [1usize, 4, 3] {
        server.max_in_flight.store(0, Ordering::SeqCst);
        let before = server.requests().len();
        let b = poller(&server, workers)
            .poll_once()
            .await
            .expect("first load");
        assert!(b.reset);
        assert!(b.sla.is_some(), "the account's SLA policies");
        let most = server.most_at_once();
        assert!(most <= workers, "{most} at once, {workers} allowed");
        if workers > 1 {
            assert!(most > 1, "{workers} workers: the lists ran side by side");
        }
        let reqs = server.requests()[before..].to_vec();
        let ratings: Vec<&Request> = reqs
            .iter()
            .filter(|r| r.path().ends_with("satisfaction_ratings.json"))
            .collect();
        // One time slice per worker, each from page one.
        let slices = ratings
            .iter()
            .filter(|r| r.query("page[after]").is_none())
            .count();
        assert_eq!(slices, workers);
        loads.push((workers, lines(&b.bytes), b.bytes));
    }
    let (_, one, bytes) = &loads[0];
    for (workers, side, _) in &loads[1..] {
        assert_eq!(side.len(), one.len(), "{workers} workers");
        for (i, (x, y)) in one.iter().zip(side).enumerate() {
            assert_eq!(x, y, "line {i} with {workers} workers");
        }
    }

    // And the floor is the account's: 230 tickets less the deleted one;
    // ticket 7's later version (solved, replied after 5 min) wins.
    let f = floor(bytes);
    assert_eq!(f.contacts().len(), TICKETS as usize - 1);
    assert!(f.contact("zd-13").is_none());
    let seven = f.contact("zd-7").expect("7");
    let newest = shiftdeck::domain::time::parse_rfc3339(&rfc(a.now - 3_600)).expect("ts");
    assert_eq!(seven.ended_at, Some(newest));
    let created =
        shiftdeck::domain::time::parse_rfc3339(&rfc(a.now - 3_600 - 7 * 3_600)).expect("ts");
    assert_eq!(
        seven.answered_at,
        Some(created.add_nanos(300 * 1_000_000_000))
    );
    assert_eq!(seven.transfers, 2, "the latest metric set: three stations");
    // Every rating of the 14 days (420 × 40 min = 11.7 days), each once,
    // by id; offered ones carry no score.
    assert_eq!(f.surveys().len(), RATINGS as usize);
    let scored = f.surveys().iter().filter(|s| s.csat.is_some()).count();
    assert_eq!(scored, 280, "two of every three are good or bad");
    let ids: Vec<&str> = f.surveys().iter().map(|s| &*s.id).collect();
    assert_eq!(ids.first(), Some(&"zd-csat-70001"));
    assert_eq!(ids.last(), Some(&"zd-csat-70420"));
    // Groups (3) + the ungrouped queue + Talk.
    for q in ["360001", "360002", "360003", "unassigned", "talk"] {
        assert!(f.names.lookup(q).is_some(), "{q}");
    }
}

#[tokio::test]
async fn a_429_in_the_middle_of_the_first_load_holds_every_request_then_it_completes() {
    let refused: Arc<Mutex<Option<(Instant, String)>>> = Arc::default();
    let r = refused.clone();
    // The ninth request (ratings and export pages are on their way) gets a
    // 429 asking for a second; every answer takes 20 ms.
    let (server, _) = server(Duration::from_millis(20), move |n, req| {
        (n == 8).then(|| {
            *r.lock().expect("lock") = Some((req.at, req.target.clone()));
            Reply::too_many(1)
        })
    })
    .await;
    let b = poller(&server, 4)
        .poll_once()
        .await
        .expect("the load goes on after the wait");
    let (at, target) = refused.lock().expect("lock").clone().expect("a 429");
    let reqs = server.requests();
    // The same lines as a load without the 429 (the next one).
    let want = poller(&server, 1).poll_once().await.expect("clean load");
    assert_eq!(lines(&b.bytes), lines(&want.bytes));
    // During the second, no request starts but those already on their way
    // when the 429 came (the three other workers).
    let during = reqs
        .iter()
        .filter(|q| q.at > at && q.at < at + Duration::from_millis(900))
        .count();
    assert!(during <= 3, "{during} requests during the Retry-After");
    let again = reqs
        .iter()
        .find(|q| q.target == target && q.at > at)
        .expect("the refused request is asked again");
    assert!(
        again.at >= at + Duration::from_millis(950),
        "{:?}",
        again.at - at
    );
    assert!(server.most_at_once() <= 4);
}

#[tokio::test]
async fn a_failing_page_fails_the_whole_load_and_names_the_request() {
    // The third export page answers 500, then (second try) garbage; then
    // the account answers again.
    let tries = Arc::new(AtomicUsize::new(0));
    let t = tries.clone();
    let (server, _) = server(Duration::ZERO, move |_, req| {
        if req.query("cursor").as_deref() != Some("c100") {
            return None;
        }
        match t.fetch_add(1, Ordering::SeqCst) {
            0 => Some(Reply::with(
                500,
                "application/json",
                r#"{"error":"InternalError"}"#,
            )),
            1 => Some(Reply::json(r#"{"tickets": [{"id": 1, "#)),
            _ => None,
        }
    })
    .await;
    let mut p = poller(&server, 4);
    for want in ["HTTP 500", "not the expected JSON"] {
        let e = p.poll_once().await.expect_err("a failed page");
        let text = e.to_string();
        // The source (its host), the list and the page.
        let url = e.request_url().expect("a request");
        assert!(
            url.starts_with(&server.url("/api/v2/incremental/tickets/cursor.json")),
            "{text}"
        );
        assert!(url.contains("cursor=c100"), "{text}");
        assert!(text.contains(want), "{text}");
        // Nothing of the failed load is kept: the next poll starts over.
        assert_eq!(p.resume_state(), None, "{want}");
    }
    // Once the page answers, the next poll is a whole first load.
    let b = p.poll_once().await.expect("whole load");
    assert!(b.reset);
    let f = floor(&b.bytes);
    assert_eq!(f.contacts().len(), TICKETS as usize - 1);
    assert_eq!(f.surveys().len(), RATINGS as usize);
    assert_eq!(tries.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_failing_rating_slice_fails_the_load_too() {
    // The second page of a rating slice answers 502.
    let (server, _) = server(Duration::ZERO, |_, req| {
        (req.path().ends_with("satisfaction_ratings.json")
            && req.query("page[after]").as_deref() == Some("100"))
        .then(|| Reply::status(502))
    })
    .await;
    let mut p = poller(&server, 4);
    let e = p.poll_once().await.expect_err("a failed page");
    let url = e.request_url().expect("a request").to_owned();
    assert!(url.contains("/api/v2/satisfaction_ratings.json?"), "{e}");
    assert!(url.contains("page%5Bafter%5D=100"), "{e}");
    assert!(e.to_string().contains("HTTP 502"), "{e}");
    assert!(matches!(e, SourceError::Status { status: 502, .. }));
    assert_eq!(
        p.resume_state(),
        None,
        "no position after a failed first load"
    );
}
