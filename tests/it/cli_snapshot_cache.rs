//! `snapshot --crm` through the warm-start cache (issue 15, item 3): the
//! first run loads Zendesk's full state and caches it in the data dir; the
//! next starts from the cache and reads only what changed since, and prints
//! the snapshot a full load (`--no-cache`) prints; a damaged cache is
//! ignored and the full state loaded. Against a local server answering like
//! Zendesk (the export's cursor chain gives each changed ticket once, at
//! its latest).

use crate::cli_support::shiftdeck_with;
use crate::common::{Reply, Request, TestServer};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

const TOKEN: &str = "lead@acme.test/token:snapcache0123456789abcdef";

/// The account: tickets with the sequence number of their last change.
#[derive(Default)]
struct Desk {
    seq: u64,
    tickets: Vec<(u64, Value, Value)>,
    ratings: Vec<Value>,
}

impl Desk {
    /// Adds or replaces a ticket (and its metric set) as changed now.
    fn put(&mut self, ticket: Value, metrics: Value) {
        self.seq += 1;
        self.tickets.retain(|(_, t, _)| t["id"] != ticket["id"]);
        self.tickets.push((self.seq, ticket, metrics));
    }
}

fn ticket(id: u64, status: &str, group: u64, created: &str, agent: Option<u64>) -> Value {
    json!({"id": id, "via": {"channel": "email"}, "created_at": created, "updated_at": created,
           "subject": format!("Ticket {id}"), "priority": "normal", "status": status,
           "requester_id": 9_000 + id, "assignee_id": agent, "group_id": group})
}

fn metrics(id: u64, reply_min: Option<u64>, solved_at: Option<&str>) -> Value {
    json!({"ticket_id": id, "group_stations": 1, "reply_time_in_minutes": {"calendar": reply_min},
           "solved_at": solved_at})
}

fn rating(id: u64, ticket: u64, score: &str, at: &str) -> Value {
    json!({"id": id, "ticket_id": ticket, "score": score, "created_at": at, "updated_at": at})
}

fn answer(desk: &Mutex<Desk>, req: &Request) -> Reply {
    let d = desk.lock().expect("lock");
    match req.path() {
        "/api/v2/groups.json" => Reply::json(
            json!({"groups": [{"id": 1, "name": "Billing"}, {"id": 2, "name": "Returns"}],
                   "meta": {"has_more": false}})
            .to_string(),
        ),
        "/api/v2/incremental/tickets/cursor.json" => {
            let after: u64 = match req.query("cursor") {
                Some(c) => c.trim_start_matches('s').parse().unwrap_or(0),
                None => 0,
            };
            let mut changed: Vec<&(u64, Value, Value)> =
                d.tickets.iter().filter(|(s, _, _)| *s > after).collect();
            changed.sort_by_key(|(s, _, _)| *s);
            let tickets: Vec<&Value> = changed.iter().map(|(_, t, _)| t).collect();
            let metric_sets: Vec<&Value> = changed.iter().map(|(_, _, m)| m).collect();
            Reply::json(
                json!({"tickets": tickets, "metric_sets": metric_sets,
                       "after_cursor": format!("s{}", d.seq.max(after)), "end_of_stream": true})
                .to_string(),
            )
        }
        "/api/v2/satisfaction_ratings.json" => Reply::json(
            json!({"satisfaction_ratings": d.ratings, "meta": {"has_more": false}}).to_string(),
        ),
        _ => Reply::with(404, "application/json", r#"{"error":"InvalidEndpoint"}"#),
    }
}

fn config(home: &Path) -> PathBuf {
    let path = home.join("config.toml");
    if !path.exists() {
        std::fs::write(
            &path,
            "timezone = \"UTC\"\n\n[source]\ntoken_env = \"SHIFTDECK_TEST_ZD_TOKEN\"\n",
        )
        .expect("config");
    }
    path
}

/// `snapshot --crm` of the window 22 Nov at noon; its JSON.
async fn snapshot(home: &Path, crm: &str, extra: &[&str]) -> Value {
    let mut cmd = shiftdeck_with(home, &config(home));
    cmd.env("SHIFTDECK_TEST_ZD_TOKEN", TOKEN)
        .args(["snapshot", "--crm", crm, "--format", "json"])
        .args(["--from", "2026-11-22", "--to", "2026-11-22"])
        .args(["--now", "2026-11-22T12:00:00Z"])
        .args(extra);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run shiftdeck");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("snapcache0123"), "{stderr}");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn cache_files(home: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(home.join("data").join("crm-cache")) {
        Ok(d) => d.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => Vec::new(),
    }
}

/// The requests since `from` to `path`.
fn asked(server: &TestServer, from: usize, path: &str) -> Vec<Request> {
    server.requests()[from..]
        .iter()
        .filter(|r| r.path() == path)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_from_the_cache_and_the_changes_is_the_snapshot_of_a_full_load() {
    let home = tempfile::tempdir().expect("home");
    let desk: Arc<Mutex<Desk>> = Arc::default();
    {
        let mut d = desk.lock().expect("lock");
        d.put(
            ticket(1, "solved", 1, "2026-11-22T08:00:00Z", Some(501)),
            metrics(1, Some(10), Some("2026-11-22T08:40:00Z")),
        );
        d.put(
            ticket(2, "open", 1, "2026-11-22T09:00:00Z", Some(502)),
            metrics(2, Some(20), None),
        );
        d.put(
            ticket(3, "new", 2, "2026-11-22T10:00:00Z", None),
            metrics(3, None, None),
        );
        d.put(
            ticket(4, "new", 1, "2026-11-22T11:00:00Z", None),
            metrics(4, None, None),
        );
        d.ratings
            .push(rating(801, 1, "good", "2026-11-22T09:00:00Z"));
    }
    let dk = desk.clone();
    let server = TestServer::start(move |req: &Request| answer(&dk, req)).await;
    let crm = format!("zendesk+{}", server.url(""));

    // First run: the full state, cached.
    let first = snapshot(home.path(), &crm, &[]).await;
    assert_eq!(cache_files(home.path()).len(), 1, "the cache is written");
    assert_eq!(asked(&server, 0, "/api/v2/groups.json").len(), 1);

    // The floor moves: 3 is answered and solved, 2 moves to Returns,
    // 5 comes in, 4 is deleted, and 3 gets a bad rating.
    {
        let mut d = desk.lock().expect("lock");
        d.put(
            ticket(3, "solved", 2, "2026-11-22T10:00:00Z", Some(501)),
            metrics(3, Some(15), Some("2026-11-22T10:50:00Z")),
        );
        d.put(
            ticket(2, "open", 2, "2026-11-22T09:00:00Z", Some(502)),
            metrics(2, Some(20), None),
        );
        d.put(
            ticket(5, "new", 2, "2026-11-22T11:30:00Z", None),
            metrics(5, None, None),
        );
        let mut gone = ticket(4, "deleted", 1, "2026-11-22T11:00:00Z", None);
        gone["status"] = json!("deleted");
        d.put(gone, metrics(4, None, None));
        d.ratings
            .push(rating(802, 3, "bad", "2026-11-22T11:00:00Z"));
    }

    // Second run: from the cache, then only what changed since.
    let before = server.requests().len();
    let warm = snapshot(home.path(), &crm, &[]).await;
    assert!(
        asked(&server, before, "/api/v2/groups.json").is_empty(),
        "no full state read"
    );
    let exports = asked(&server, before, "/api/v2/incremental/tickets/cursor.json");
    let cursors: Vec<Option<String>> = exports.iter().map(|r| r.query("cursor")).collect();
    assert_eq!(cursors, [Some("s4".to_owned())], "from the cached cursor");

    // Third run: the full state, the cache neither read nor written.
    let cached = std::fs::read(&cache_files(home.path())[0]).expect("cache");
    let before = server.requests().len();
    let full = snapshot(home.path(), &crm, &["--no-cache"]).await;
    assert_eq!(asked(&server, before, "/api/v2/groups.json").len(), 1);
    let cursors: Vec<Option<String>> =
        asked(&server, before, "/api/v2/incremental/tickets/cursor.json")
            .iter()
            .map(|r| r.query("cursor"))
            .collect();
    assert_eq!(cursors, [None], "from the start");
    assert_eq!(
        std::fs::read(&cache_files(home.path())[0]).expect("cache"),
        cached
    );

    assert_eq!(warm, full, "cache + changes = a full load");
    assert_ne!(first, full, "the changes show");
    // Hand-checked at noon, (offered, waiting, longest wait s) per queue.
    // Before: Billing 1, 2 and 4 (new since 11:00); Returns 3 (new since
    // 10:00). After: Billing 1; Returns 2, 3 (solved) and 5 (new since
    // 11:30); 4 deleted is gone from the cached floor too.
    let queue = |v: &Value, id: &str| {
        let q = v["queues"]
            .as_array()
            .expect("queues")
            .iter()
            .find(|q| q["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("queue {id}: {}", v["queues"]));
        (
            q["offered"].as_u64(),
            q["waiting"].as_u64(),
            q["longest_wait_s"].as_f64(),
        )
    };
    assert_eq!(queue(&first, "1"), (Some(3), Some(1), Some(3_600.0)));
    assert_eq!(queue(&first, "2"), (Some(1), Some(1), Some(7_200.0)));
    assert_eq!(queue(&warm, "1"), (Some(1), Some(0), Some(0.0)));
    assert_eq!(queue(&warm, "2"), (Some(3), Some(1), Some(1_800.0)));
    assert_eq!(warm["kpis"]["csat"]["n"], json!(2.0), "{}", warm["kpis"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_cache_is_ignored_and_the_full_state_loaded() {
    let home = tempfile::tempdir().expect("home");
    let desk: Arc<Mutex<Desk>> = Arc::default();
    desk.lock().expect("lock").put(
        ticket(1, "new", 1, "2026-11-22T08:00:00Z", None),
        metrics(1, None, None),
    );
    let dk = desk.clone();
    let server = TestServer::start(move |req: &Request| answer(&dk, req)).await;
    let crm = format!("zendesk+{}", server.url(""));
    let first = snapshot(home.path(), &crm, &[]).await;
    let file = cache_files(home.path()).pop().expect("a cache");
    // One byte of the body changed: the checksum no longer holds.
    let mut bytes = std::fs::read(&file).expect("cache");
    let last = bytes.len() - 3;
    bytes[last] ^= 0x20;
    std::fs::write(&file, &bytes).expect("damage");
    let before = server.requests().len();
    let again = snapshot(home.path(), &crm, &[]).await;
    assert_eq!(again, first);
    let exports = asked(&server, before, "/api/v2/incremental/tickets/cursor.json");
    assert_eq!(exports.len(), 1);
    assert_eq!(exports[0].query("cursor"), None, "the full state");
    assert_eq!(asked(&server, before, "/api/v2/groups.json").len(), 1);
    assert_ne!(std::fs::read(&file).expect("cache"), bytes, "rebuilt");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_cache_off_in_the_config_every_snapshot_is_a_full_load() {
    let home = tempfile::tempdir().expect("home");
    std::fs::write(
        home.path().join("config.toml"),
        "timezone = \"UTC\"\n\n[source]\ntoken_env = \"SHIFTDECK_TEST_ZD_TOKEN\"\ncache = false\n",
    )
    .expect("config");
    let desk: Arc<Mutex<Desk>> = Arc::default();
    desk.lock().expect("lock").put(
        ticket(1, "new", 1, "2026-11-22T08:00:00Z", None),
        metrics(1, None, None),
    );
    let dk = desk.clone();
    let server = TestServer::start(move |req: &Request| answer(&dk, req)).await;
    let crm = format!("zendesk+{}", server.url(""));
    for _ in 0..2 {
        snapshot(home.path(), &crm, &[]).await;
    }
    assert!(cache_files(home.path()).is_empty(), "no cache written");
    let cursors: Vec<Option<String>> = asked(&server, 0, "/api/v2/incremental/tickets/cursor.json")
        .iter()
        .map(|r| r.query("cursor"))
        .collect();
    assert_eq!(cursors, [None, None], "two full loads");
}
