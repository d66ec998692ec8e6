//! The Zendesk connector's first load, one request at a time against
//! `[source] concurrency` requests at once, against a local server that
//! answers like Zendesk (the test server of tests/it, the account shaped
//! like tests/it/source_zendesk_load.rs) with every answer `ZD_DELAY_MS`
//! late (default 100 ms, a round trip to a hosted account).
//!
//! The account: `ZD_TICKETS` tickets (default 10 000; the export gives 1 000
//! a page, side-loading their metric sets), 1 500 satisfaction ratings over
//! the last 13 days (100 a page), 3 groups, the SLA policies, Talk's queue
//! and agents. The export's own limit (Zendesk allows 10 export calls a
//! minute, so pages at least 6 s apart) is left out unless
//! `ZD_EXPORT_INTERVAL_MS` sets it: with it, the export's pages set the
//! pace at any concurrency and the side-by-side lists hide behind them.
//!
//! `cargo bench --bench zendesk_first_load` (`ZD_CONCURRENCY=1,4` by default)

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Reply, Request, TestServer};
use serde_json::{Value, json};
use shiftdeck::source::http::{HttpSettings, Secret};
use shiftdeck::source::poll::SourceSettings;
use shiftdeck::source::zendesk::{ZendeskOptions, ZendeskPoller};

const EXPORT_PAGE: usize = 1_000;
const RATINGS: i64 = 1_500;

fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| fail(&format!("{name}={v}: not a whole number"))),
        Err(_) => default,
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("zendesk_first_load: {msg}");
    std::process::exit(1)
}

fn rfc(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Export pages (already encoded), and ratings with their times.
struct Account {
    pages: Vec<String>,
    ratings: Vec<(i64, Value)>,
}

fn account(tickets: u64) -> Account {
    let now = chrono::Utc::now().timestamp();
    let all: Vec<(Value, Value)> = (1..=tickets)
        .map(|i| {
            let created = now - 3_600 - (i as i64 * 97) % (13 * 86_400);
            let solved = i % 5 == 0;
            let t = json!({"id": i, "via": {"channel": "email"}, "created_at": rfc(created),
                "updated_at": rfc(created + 1_800), "subject": format!("Ticket {i}"),
                "priority": "normal", "status": if solved { "solved" } else { "open" },
                "requester_id": 9_000 + i % 97, "assignee_id": 500 + i % 40,
                "group_id": 360_001 + i % 3});
            let m = json!({"ticket_id": i, "group_stations": 1 + i % 2,
                "reply_time_in_minutes": {"calendar": i % 50},
                "solved_at": if solved { json!(rfc(created + 1_800)) } else { json!(null) }});
            (t, m)
        })
        .collect();
    let chunks: Vec<&[(Value, Value)]> = all.chunks(EXPORT_PAGE).collect();
    let pages = chunks
        .iter()
        .enumerate()
        .map(|(n, chunk)| {
            let tickets: Vec<&Value> = chunk.iter().map(|(t, _)| t).collect();
            let metrics: Vec<&Value> = chunk.iter().map(|(_, m)| m).collect();
            json!({"tickets": tickets, "metric_sets": metrics,
                   "after_cursor": format!("c{}", n + 1), "end_of_stream": n + 1 == chunks.len()})
            .to_string()
        })
        .collect();
    let ratings = (1..=RATINGS)
        .map(|k| {
            let at = now - k * (13 * 86_400 / RATINGS);
            let score = ["good", "bad", "offered"][k as usize % 3];
            let r = json!({"id": 70_000 + k, "ticket_id": 1 + k as u64 % tickets,
                "score": score,
                "created_at": rfc(at), "updated_at": rfc(at)});
            (at, r)
        })
        .collect();
    Account { pages, ratings }
}

fn num(req: &Request, key: &str) -> Option<i64> {
    req.query(key).and_then(|v| v.parse().ok())
}

fn answer(a: &Account, req: &Request) -> Reply {
    match req.path() {
        "/api/v2/groups.json" => Reply::json(
            json!({"groups": [{"id": 360_001, "name": "Billing"}, {"id": 360_002, "name": "Hotline"},
                              {"id": 360_003, "name": "Returns"}], "meta": {"has_more": false}})
            .to_string(),
        ),
        "/api/v2/slas/policies.json" => {
            Reply::json(include_str!("../tests/fixtures/zendesk/sla_policies.json"))
        }
        "/api/v2/incremental/tickets/cursor.json" => {
            let n: usize = match req.query("cursor") {
                Some(c) => c.trim_start_matches('c').parse().unwrap_or(usize::MAX),
                None => 0,
            };
            match a.pages.get(n) {
                Some(p) => Reply::json(p.clone()),
                None => Reply::json(
                    r#"{"tickets":[],"metric_sets":[],"after_cursor":null,"end_of_stream":true}"#,
                ),
            }
        }
        "/api/v2/satisfaction_ratings.json" => {
            let (start, end) = (
                num(req, "start_time").unwrap_or(0),
                num(req, "end_time").unwrap_or(i64::MAX),
            );
            let list: Vec<&Value> = a
                .ratings
                .iter()
                .filter(|(at, _)| *at >= start && *at <= end)
                .map(|(_, r)| r)
                .collect();
            let from = num(req, "page[after]").unwrap_or(0) as usize;
            let to = (from + 100).min(list.len());
            let more = to < list.len();
            Reply::json(
                json!({"satisfaction_ratings": list.get(from..to).unwrap_or(&[]),
                       "meta": {"has_more": more, "after_cursor": to.to_string()}})
                .to_string(),
            )
        }
        "/api/v2/channels/voice/stats/current_queue_activity.json" => Reply::json(
            json!({"current_queue_activity": {"calls_waiting": 2, "callbacks_waiting": 0, "longest_wait_time": 40}})
                .to_string(),
        ),
        "/api/v2/channels/voice/stats/agents_activity.json" => Reply::json(
            json!({"agents_activity": (1..=40).map(|i| json!({"agent_id": 500 + i, "name": format!("Agent {i}"),
                "agent_state": "online", "call_status": null})).collect::<Vec<_>>(), "next_page": null})
            .to_string(),
        ),
        _ => Reply::with(404, "application/json", r#"{"error":"InvalidEndpoint"}"#),
    }
}

fn cpu_seconds() -> f64 {
    shiftdeck::cli::bench::cpu_seconds()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let delay = Duration::from_millis(env_num("ZD_DELAY_MS", 100));
    let export_interval = Duration::from_millis(env_num("ZD_EXPORT_INTERVAL_MS", 0));
    let tickets = env_num("ZD_TICKETS", 10_000);
    let workers: Vec<usize> = std::env::var("ZD_CONCURRENCY")
        .unwrap_or_else(|_| "1,4".into())
        .split(',')
        .map(|w| {
            w.trim()
                .parse()
                .unwrap_or_else(|_| fail(&format!("ZD_CONCURRENCY: {w}?")))
        })
        .collect();
    let a = Arc::new(account(tickets));
    let acc = a.clone();
    let server =
        TestServer::start(move |req: &Request| Reply::Slow(delay, Box::new(answer(&acc, req))))
            .await;
    println!(
        "Zendesk first load: {tickets} tickets ({} export pages), {RATINGS} ratings, every answer {} ms late, export interval {} ms",
        a.pages.len(),
        delay.as_millis(),
        export_interval.as_millis()
    );
    println!("concurrency  wall ms  requests  most at once  lines   CPU s (client and server)");
    for w in workers {
        let url = reqwest::Url::parse(&format!("{}?email=bench@acme.test", server.url("")))
            .unwrap_or_else(|e| fail(&e.to_string()));
        let mut opts = ZendeskOptions::from_url(&url).unwrap_or_else(|e| fail(&e.to_string()));
        opts.export_interval = export_interval;
        let settings = SourceSettings {
            token: Some(Secret::new("bench-token-0123456789")),
            http: HttpSettings {
                max_in_flight: w,
                ..HttpSettings::default()
            },
            ..SourceSettings::default()
        };
        let mut p = ZendeskPoller::new(opts, &settings).unwrap_or_else(|e| fail(&e.to_string()));
        server
            .max_in_flight
            .store(0, std::sync::atomic::Ordering::SeqCst);
        let before = server.requests().len();
        let (cpu0, t0) = (cpu_seconds(), Instant::now());
        let b = p.poll_once().await.unwrap_or_else(|e| fail(&e.to_string()));
        let wall = t0.elapsed();
        let cpu = cpu_seconds() - cpu0;
        let lines = b.bytes.iter().filter(|c| **c == b'\n').count();
        println!(
            "{w:>11}  {:>7.0}  {:>8}  {:>11}  {lines:>6}  {cpu:>5.2}",
            wall.as_secs_f64() * 1e3,
            server.requests().len() - before,
            server.most_at_once(),
        );
    }
}
