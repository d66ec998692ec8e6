//! The RT poller against a local server answering like RT 5.0.3's REST 2.0
//! (string scalars, 1970 dates, keyset pages, per-ticket ETags): full load
//! over several pages, then incremental polls through transactions with a
//! 304 for an unchanged ticket. The real server is in rt5_integration.rs.

use crate::common;

use std::collections::BTreeSet;
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
    // Ticket 2 was answered by agent1 at 09:01 (a requestor's own mail,
    // before it, does not count).
    let rt = five_tickets();
    {
        let mut r = rt.lock().expect("lock");
        r.txns.push((
            21,
            2,
            "Correspond",
            "",
            "2026-11-22T09:00:30Z",
            "cust2@test.local",
        ));
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
    let paths = server.paths_since(before);
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

// ── Sessions: RT checks an auth token with bcrypt on every request; a web
// session's cookie costs it a lookup. One login, then the cookie.

const TOKEN: &str = "1-31-sessiontoken0123";
const SESSION_COOKIE: &str = "RT_SID_rt.test.local.8080";

/// Web sessions as RT keeps them: `/REST/1.0/` with the token logs in and
/// sets the cookie; REST 2.0 takes a known cookie, answers an unknown one
/// with a redirect to the login page, and takes the token without cookie.
#[derive(Default)]
struct Sessions {
    valid: BTreeSet<String>,
    issued: u32,
    /// Forget every session once this many REST 2.0 requests came with one.
    expire_after: Option<usize>,
    with_cookie: usize,
    /// Give cookies but take none (a proxy that drops them).
    refuse_all: bool,
}

fn with_sessions(rt: &Mutex<Rt>, s: &Mutex<Sessions>, req: &Request) -> Reply {
    let mut s = s.lock().expect("lock");
    let token_ok = req.header("Authorization") == Some(&format!("token {TOKEN}"));
    if req.path() == "/REST/1.0/" {
        if !token_ok {
            return Reply::with(
                200,
                "text/plain; charset=utf-8",
                "RT/5.0.3 401 Credentials required\n",
            );
        }
        s.issued += 1;
        let sid = format!("{:032x}", 0xabc0_0000u64 + u64::from(s.issued));
        s.valid.insert(sid.clone());
        return Reply::with(
            200,
            "text/plain; charset=utf-8",
            "RT/5.0.3 200 Ok\n\n# Invalid object specification: ''\n\nid: \n",
        )
        .header(
            "Set-Cookie",
            &format!("{SESSION_COOKIE}={sid}; path=/; HttpOnly"),
        );
    }
    if let Some(cookie) = req.header("Cookie") {
        s.with_cookie += 1;
        if s.expire_after.is_some_and(|n| s.with_cookie > n) {
            s.valid.clear();
            s.expire_after = None;
        }
        let sid = cookie
            .split_once('=')
            .map(|(_, v)| v.to_owned())
            .unwrap_or_default();
        if s.refuse_all || !s.valid.contains(&sid) {
            // RT 5.0.3: `Location: /`, a new (anonymous) session cookie.
            return Reply::redirect("/").header(
                "Set-Cookie",
                &format!("{SESSION_COOKIE}=ffff0000ffff0000; path=/; HttpOnly"),
            );
        }
    } else if !token_ok {
        return Reply::with(401, "application/json", r#"{"message":"Unauthorized"}"#);
    }
    drop(s);
    handle(rt, req)
}

/// Tickets 1–5 created at 09:00 in Support, new and unowned, but ticket 2:
/// open, owned by agent1, who answered it at 09:01 (transaction 22).
fn five_tickets() -> Arc<Mutex<Rt>> {
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
        r.tickets[1].status = "open";
        r.tickets[1].owner = "agent1";
        r.txns
            .push((22, 2, "Correspond", "", "2026-11-22T09:01:00Z", "agent1"));
    }
    rt
}

async fn session_server(rt: &Arc<Mutex<Rt>>, sessions: &Arc<Mutex<Sessions>>) -> TestServer {
    let (rt, sessions) = (rt.clone(), sessions.clone());
    TestServer::start(move |req| with_sessions(&rt, &sessions, req)).await
}

fn session_poller(server: &TestServer, workers: usize) -> Poller {
    let spec = SourceSpec::parse_crm(&format!("rt+{}?queues=Support&per_page=2", server.url("")))
        .expect("spec");
    let settings = SourceSettings {
        token: Some(Secret::new(TOKEN)),
        http: shiftdeck::source::http::HttpSettings {
            max_in_flight: workers,
            ..Default::default()
        },
        ..SourceSettings::default()
    };
    Poller::new(&spec, &settings).expect("poller")
}

fn logins(reqs: &[Request]) -> usize {
    reqs.iter().filter(|r| r.path() == "/REST/1.0/").count()
}

#[tokio::test]
async fn one_login_then_the_session_cookie_on_every_read() {
    let rt = five_tickets();
    let sessions = Arc::new(Mutex::new(Sessions::default()));
    let server = session_server(&rt, &sessions).await;
    let mut poller = session_poller(&server, 4);
    let b = poller.poll_once().await.expect("full load");
    assert_eq!(common::floor_of(&b.bytes).contacts().len(), 5);
    rt.lock()
        .expect("lock")
        .txns
        .push((60, 3, "Set", "Owner", "2026-11-22T09:05:00Z", "agent1"));
    poller.poll_once().await.expect("incremental");
    poller.poll_once().await.expect("idle");

    let reqs = server.requests();
    // The token went once, to the login; nothing else carried it.
    let with_token: Vec<&str> = reqs
        .iter()
        .filter(|r| r.header("Authorization").is_some())
        .map(|r| r.path())
        .collect();
    assert_eq!(with_token, ["/REST/1.0/"]);
    assert_eq!(reqs[0].path(), "/REST/1.0/", "the login comes first");
    let sid = format!("{:032x}", 0xabc0_0001u64);
    let rest2: Vec<&Request> = reqs
        .iter()
        .filter(|r| r.path().starts_with("/REST/2.0/"))
        .collect();
    assert!(rest2.len() >= 10, "{}", rest2.len());
    for r in &rest2 {
        assert_eq!(
            r.header("Cookie"),
            Some(format!("{SESSION_COOKIE}={sid}").as_str()),
            "{}",
            r.target
        );
    }
    assert_eq!(sessions.lock().expect("lock").issued, 1);
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_by_one_worker() {
    let rt = five_tickets();
    // RT forgets the session after the third read (a restart of RT with
    // sessions in memory, or `rt-clean-sessions`), while four workers read.
    let sessions = Arc::new(Mutex::new(Sessions {
        expire_after: Some(3),
        ..Sessions::default()
    }));
    let server = session_server(&rt, &sessions).await;
    let mut poller = session_poller(&server, 4);
    let b = poller.poll_once().await.expect("full load");
    assert_eq!(
        common::floor_of(&b.bytes).contacts().len(),
        5,
        "every page read, after the renewal"
    );
    let reqs = server.requests();
    // Every worker that met the redirect waited for the one new login.
    assert_eq!(logins(&reqs), 2);
    let redirected = reqs
        .iter()
        .filter(|r| {
            r.header("Cookie")
                .is_some_and(|c| c.ends_with(&format!("{:032x}", 0xabc0_0001u64)))
        })
        .count();
    assert!(redirected > 3, "some reads met the expired session");
    assert!(
        reqs.iter()
            .filter(|r| r.path().starts_with("/REST/2.0/"))
            .all(|r| r.header("Authorization").is_none()),
        "the renewed session, not the token, carries the reads"
    );

    // Expired again between polls: one more login, and the poll goes on.
    sessions.lock().expect("lock").valid.clear();
    let before = server.requests().len();
    poller.poll_once().await.expect("incremental");
    let paths = server.paths_since(before);
    assert_eq!(
        paths,
        [
            "/REST/2.0/transactions",
            "/REST/1.0/",
            "/REST/2.0/transactions",
            "/REST/2.0/tickets"
        ],
        "refused, renewed, asked again"
    );
}

#[tokio::test]
async fn a_refused_fresh_session_falls_back_to_the_token_without_looping() {
    let rt = five_tickets();
    let sessions = Arc::new(Mutex::new(Sessions {
        refuse_all: true,
        ..Sessions::default()
    }));
    let server = session_server(&rt, &sessions).await;
    let mut poller = session_poller(&server, 1);
    let b = poller.poll_once().await.expect("full load with the token");
    assert!(b.reset);
    let first = server.requests();
    // The first login, the reads it refused, one renewal, the reads it
    // refused: then the token, for good. The first load's opening reads go
    // side by side (queues, newest transaction, lowest and highest ticket),
    // so each met a refusal at most twice.
    assert_eq!(logins(&first), 2);
    let with_cookie = first
        .iter()
        .filter(|r| r.header("Cookie").is_some())
        .count();
    assert!((2..=8).contains(&with_cookie), "{with_cookie}");
    poller.poll_once().await.expect("incremental");
    poller.poll_once().await.expect("idle");
    let reqs = server.requests();
    assert_eq!(logins(&reqs), 2, "no login after the fallback");
    let after: Vec<&Request> = reqs[first.len()..].iter().collect();
    assert!(after.len() >= 4, "{}", after.len());
    assert!(after.iter().all(
        |r| r.header("Authorization") == Some(&format!("token {TOKEN}"))
            && r.header("Cookie").is_none()
    ));
}

#[tokio::test]
async fn a_wrong_token_fails_as_before_and_no_secret_is_shown() {
    let rt = five_tickets();
    let sessions = Arc::new(Mutex::new(Sessions::default()));
    let server = session_server(&rt, &sessions).await;
    let spec = SourceSpec::parse_crm(&format!("rt+{}", server.url(""))).expect("spec");
    let wrong = "1-31-wrongtoken9876";
    let settings = SourceSettings {
        token: Some(Secret::new(wrong)),
        ..SourceSettings::default()
    };
    let mut poller = Poller::new(&spec, &settings).expect("poller");
    let err = poller.poll_once().await.expect_err("refused");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("HTTP 401"), "{shown}");
    assert!(!shown.contains("wrongtoken"), "{shown}");
    // REST 1.0 said 401 in its body: no session, one login only, and the
    // REST 2.0 answer (401 to the token) is the error.
    assert_eq!(logins(&server.requests()), 1);

    // A server that quotes the session cookie in an error: blanked out.
    let sid = format!("{:032x}", 0xabc0_0001u64);
    let quoting = TestServer::start({
        let (rt, sessions) = (rt.clone(), sessions.clone());
        move |req| {
            if req.path().starts_with("/REST/2.0/") && req.header("Cookie").is_some() {
                let c = req.header("Cookie").unwrap_or_default();
                return Reply::with(
                    500,
                    "application/json",
                    json!({"message": format!("session trouble: {c}")}).to_string(),
                );
            }
            with_sessions(&rt, &sessions, req)
        }
    })
    .await;
    sessions.lock().expect("lock").issued = 0;
    let mut poller = session_poller(&quoting, 1);
    let err = poller.poll_once().await.expect_err("500");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("session trouble"), "{shown}");
    assert!(!shown.contains(&sid), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}
