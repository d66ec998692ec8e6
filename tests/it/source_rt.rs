//! The RT poller against a local server answering like RT 5.0.3's REST 2.0
//! (string scalars, 1970 dates, keyset pages, per-ticket ETags): full load
//! over several pages, then incremental polls through transactions with a
//! 304 for an unchanged ticket. The real server is in rt5_integration.rs.

use crate::common;

use std::sync::{Arc, Mutex};

use common::{Reply, Request, TestServer};
use serde_json::{Value, json};
use shiftdeck::domain::Floor;
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::source::http::Secret;
use shiftdeck::source::ingest_bytes;
use shiftdeck::source::poll::SourceSettings;
use shiftdeck::source::spec::{Poller, SourceSpec};

const UNSET: &str = "1970-01-01T00:00:00Z";

#[derive(Clone)]
pub(crate) struct Ticket {
    pub id: u64,
    pub status: &'static str,
    pub owner: &'static str,
    pub started: &'static str,
    pub version: u64,
}

#[derive(Default)]
pub(crate) struct Rt {
    pub tickets: Vec<Ticket>,
    /// (id, ticket, Type, Field, Created, Creator)
    #[allow(clippy::type_complexity)]
    pub txns: Vec<(
        u64,
        u64,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    )>,
}

fn ticket_json(t: &Ticket) -> Value {
    json!({
        "id": t.id.to_string(), "type": "ticket",
        "Queue": {"id": "3", "type": "queue", "_url": "http://rt/REST/2.0/queue/3"},
        "Owner": {"id": t.owner, "type": "user"},
        "Requestor": [{"id": format!("cust{}@test.local", t.id), "type": "user"}],
        "Status": t.status,
        "Created": format!("2026-11-22T09:{:02}:{:02}Z", (t.id / 60) % 60, t.id % 60),
        "Started": t.started, "Resolved": UNSET, "Priority": "0", "SLA": "high",
        "Subject": format!("Ticket {}", t.id), "TimeWorked": "0"
    })
}

/// Every number after `pat` in `q` (`id > 4` → 4).
fn numbers_after(q: &str, pat: &str) -> Vec<u64> {
    q.split(pat)
        .skip(1)
        .filter_map(|s| {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// Whether `id` passes the query's ranges on `field` (`field >= N`, `field < N`),
/// as a first load's workers ask: ` id >= 3 AND id < 5`, `ObjectId >= 3 AND ObjectId < 5`.
fn in_range(q: &str, field: &str, id: u64) -> bool {
    numbers_after(q, &format!(" {field} >= "))
        .into_iter()
        .all(|lo| id >= lo)
        && numbers_after(q, &format!(" {field} < "))
            .into_iter()
            .all(|hi| id < hi)
}

/// The strongest `id > N` of a query (RT applies them all).
pub(crate) fn after_id(q: &str) -> u64 {
    numbers_after(q, "id > ").into_iter().max().unwrap_or(0)
}

/// One page, as RT 5.0.3 gives it: ticket searches with `total` and
/// `next_page`, transaction searches with neither (`total: null`).
fn page(items: Vec<Value>, per_page: usize, tickets: bool) -> Reply {
    let total = items.len();
    let items: Vec<Value> = items.into_iter().take(per_page).collect();
    let mut body = json!({"count": items.len(), "per_page": per_page, "page": 1, "items": items,
                          "total": null, "pages": null});
    if tickets {
        body["total"] = json!(total);
        body["pages"] = json!(total.div_ceil(per_page));
        if total > per_page {
            body["next_page"] = json!("http://rt/REST/2.0/next");
        }
    }
    Reply::json(body.to_string())
}

pub(crate) fn handle(rt: &Mutex<Rt>, req: &Request) -> Reply {
    let rt = rt.lock().expect("lock");
    let per_page: usize = req
        .query("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(20);
    let q = req.query("query").unwrap_or_default();
    match req.path() {
        "/REST/2.0/queues/all" => Reply::json(
            json!({"count": 1, "page": 1, "per_page": 100, "total": 1, "pages": 1,
                   "items": [{"id": "3", "Name": "Support", "type": "queue"}]})
            .to_string(),
        ),
        "/REST/2.0/user/agent1" => {
            Reply::json(r#"{"id": 31, "Name": "agent1", "RealName": "Alice Agent"}"#)
        }
        "/REST/2.0/transactions" => {
            let wanted = |t: &(u64, u64, &str, &str, &str, &str)| {
                !q.contains("Correspond") || t.2 == "Correspond" || t.3 == "Queue"
            };
            let mut items: Vec<Value> = rt
                .txns
                .iter()
                .filter(|t| wanted(t))
                .filter(|t| t.0 > after_id(&q))
                .filter(|t| in_range(&q, "ObjectId", t.1))
                .map(|t| {
                    json!({"id": t.0.to_string(), "ObjectId": t.1.to_string(), "Type": t.2,
                           "Field": t.3, "Created": t.4, "Creator": {"id": t.5, "type": "user"}})
                })
                .collect();
            items.sort_by_key(|t| t["id"].as_str().and_then(|s| s.parse::<u64>().ok()));
            if req.query("order").as_deref() == Some("DESC") {
                items.reverse();
            }
            page(items, per_page, false)
        }
        "/REST/2.0/tickets" if q.contains("Status = 'new'") => {
            let waiting: Vec<Value> = rt
                .tickets
                .iter()
                .filter(|t| t.status == "new")
                .map(ticket_json)
                .collect();
            let total = waiting.len();
            let mut r = json!({"count": total.min(1), "total": total, "per_page": 1, "page": 1,
                               "items": waiting.into_iter().take(1).collect::<Vec<_>>()});
            r["pages"] = json!(total);
            Reply::json(r.to_string())
        }
        "/REST/2.0/tickets" => {
            let mut items: Vec<Value> = rt
                .tickets
                .iter()
                .filter(|t| t.id > after_id(&q))
                .filter(|t| in_range(&q, "id", t.id))
                .filter(|t| !q.contains("id = ") || q.contains(&format!("id = {}", t.id)))
                .map(ticket_json)
                .collect();
            if req.query("order").as_deref() == Some("DESC") {
                items.reverse();
            }
            page(items, per_page, true)
        }
        p if p.starts_with("/REST/2.0/ticket/") => {
            let id: u64 = p
                .rsplit('/')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let Some(t) = rt.tickets.iter().find(|t| t.id == id) else {
                return Reply::with(404, "application/json", r#"{"message":"Not Found"}"#);
            };
            let etag = format!("\"{}\"", t.version);
            if req.header("If-None-Match") == Some(etag.as_str()) {
                return Reply::with(304, "application/json", "").header("ETag", &etag);
            }
            Reply::json(ticket_json(t).to_string()).header("ETag", &etag)
        }
        _ => Reply::with(404, "application/json", r#"{"message":"Not Found"}"#),
    }
}

#[tokio::test]
async fn full_load_in_pages_then_transactions() {
    let rt = Arc::new(Mutex::new(Rt::default()));
    {
        let mut r = rt.lock().expect("lock");
        for id in 1..=5 {
            r.tickets.push(Ticket {
                id,
                status: "new",
                owner: "Nobody",
                started: UNSET,
                version: 1,
            });
            r.txns
                .push((id * 10, id, "Create", "", "2026-11-22T09:00:00Z", "cust"));
        }
        // Ticket 2 was answered by agent1 (a requestor's own mail does not count).
        r.tickets[1].status = "open";
        r.tickets[1].owner = "agent1";
        r.txns.push((
            21,
            2,
            "Correspond",
            "",
            "2026-11-22T09:00:30Z",
            "cust2@test.local",
        ));
        r.txns
            .push((22, 2, "Correspond", "", "2026-11-22T09:01:00Z", "agent1"));
        // A third reply: the history takes two pages of two (no `total` for transactions).
        r.txns
            .push((23, 1, "Correspond", "", "2026-11-22T09:02:00Z", "agent1"));
    }
    let shared = rt.clone();
    let server = TestServer::start(move |req| handle(&shared, req)).await;
    let spec = SourceSpec::parse_crm(&format!("rt+{}?queues=Support&per_page=2", server.url("")))
        .expect("spec");
    // One request at a time: the keyset pages in order (the workers' id
    // ranges are in source_crm_cache.rs).
    let settings = SourceSettings {
        token: Some(Secret::new("1-31-abcdef0123")),
        http: shiftdeck::source::http::HttpSettings {
            max_in_flight: 1,
            ..Default::default()
        },
        ..SourceSettings::default()
    };
    let mut poller = Poller::new(&spec, &settings).expect("poller");
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let b = poller.poll_once().await.expect("full load");
    assert!(b.reset);
    ingest_bytes(&mut floor, &b.origin, 1, &b.bytes, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(floor.contacts().len(), 5, "three pages of two");
    let c2 = floor.contact("rt-2").expect("rt-2");
    assert_eq!(
        c2.answered_at,
        Some(parse_rfc3339("2026-11-22T09:01:00Z").expect("ts"))
    );
    let c1 = floor.contact("rt-1").expect("rt-1");
    assert_eq!(
        c1.answered_at,
        Some(parse_rfc3339("2026-11-22T09:02:00Z").expect("ts"))
    );
    let support = floor.names.lookup("Support").expect("queue");
    assert_eq!(floor.queue_stats(support).expect("stats").waiting, 4);
    let reqs = server.requests();
    assert!(
        reqs.iter().all(|r| r.header("If-Modified-Since").is_none()),
        "RT answers 500 to it"
    );
    assert!(
        reqs.iter()
            .all(|r| r.header("Authorization") == Some("token 1-31-abcdef0123"))
    );
    let ticket_pages: Vec<u64> = reqs
        .iter()
        // Pages of 2 (the min- and max-id probes and the live-count search ask for 1).
        .filter(|r| r.path() == "/REST/2.0/tickets" && r.query("per_page").as_deref() == Some("2"))
        .map(|r| after_id(&r.query("query").unwrap_or_default()))
        .collect();
    assert_eq!(ticket_pages, [0, 2, 4], "keyset pages: id > 0, > 2, > 4");

    // Ticket 3 is taken and answered: one transaction page, one ticket read.
    {
        let mut r = rt.lock().expect("lock");
        r.tickets[2].status = "open";
        r.tickets[2].owner = "agent1";
        r.tickets[2].started = "2026-11-22T09:05:00Z";
        r.tickets[2].version = 2;
        r.txns
            .push((60, 3, "Set", "Owner", "2026-11-22T09:05:00Z", "agent1"));
    }
    let before = server.requests().len();
    let b = poller.poll_once().await.expect("incremental");
    assert!(!b.reset);
    ingest_bytes(&mut floor, &b.origin, 1, &b.bytes, &mut errors);
    let c3 = floor.contact("rt-3").expect("rt-3");
    assert_eq!(
        c3.answered_at,
        Some(parse_rfc3339("2026-11-22T09:05:00Z").expect("ts"))
    );
    assert_eq!(floor.queue_stats(support).expect("stats").waiting, 3);
    // agent1 was sent with the full load: no second user lookup.
    let paths: Vec<String> = server.requests()[before..]
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/REST/2.0/transactions",
            "/REST/2.0/ticket/3",
            "/REST/2.0/tickets"
        ]
    );

    // A comment on ticket 3 (a transaction, ticket unchanged): the ETag gives 304, nothing re-sent.
    rt.lock()
        .expect("lock")
        .txns
        .push((61, 3, "Comment", "", "2026-11-22T09:06:00Z", "agent1"));
    let before = server.requests().len();
    let b = poller.poll_once().await.expect("incremental");
    let reqs = server.requests();
    let reread = reqs[before..]
        .iter()
        .find(|r| r.path() == "/REST/2.0/ticket/3")
        .expect("reread");
    assert_eq!(reread.header("If-None-Match"), Some("\"2\""));
    let text = String::from_utf8(b.bytes).expect("utf8");
    assert!(!text.contains("\"contact\""), "no contact re-sent: {text}");
    assert!(text.contains("queue_stats"));

    // Two changed tickets are re-read by one id search instead.
    {
        let mut r = rt.lock().expect("lock");
        r.tickets[3].status = "rejected";
        r.txns
            .push((70, 4, "Status", "Status", "2026-11-22T09:07:00Z", "agent1"));
        r.txns
            .push((71, 5, "Correspond", "", "2026-11-22T09:07:30Z", "agent1"));
    }
    let before = server.requests().len();
    let b = poller.poll_once().await.expect("incremental");
    ingest_bytes(&mut floor, &b.origin, 1, &b.bytes, &mut errors);
    let reqs = server.requests();
    let search = reqs[before..]
        .iter()
        .find(|r| {
            r.query("query")
                .unwrap_or_default()
                .contains("id = 4 OR id = 5")
        })
        .expect("id search");
    assert_eq!(search.path(), "/REST/2.0/tickets");
    assert!(
        !floor.contact("rt-4").expect("rt-4").resolved,
        "rejected is not resolved"
    );
    assert_eq!(
        floor.contact("rt-5").expect("rt-5").answered_at,
        Some(parse_rfc3339("2026-11-22T09:07:30Z").expect("ts"))
    );
    assert!(errors.is_empty(), "{errors:?}");
}
