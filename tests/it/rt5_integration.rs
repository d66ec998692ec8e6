//! Against a REAL Request Tracker 5 (shared/rt5/start-rt5.sh: installs
//! Debian's packages on first run, needs root). Creates and changes tickets
//! through REST 2.0, and checks that one poll brings them onto the floor,
//! that `fetch_all` → floor → KPIs gives the hand-derived figures, and how
//! long a change takes to reach the floor through the source task.
//!
//! Run: `SHIFTDECK_RT5=1 cargo test --test it rt5_integration -- --ignored --nocapture`
//! (RT_PORT picks the port, default 8080). RT is stopped at the end.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;
use serde_json::{Value, json};
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::domain::{Floor, Ts};
use shiftdeck::source::http::Secret;
use shiftdeck::source::poll::{SourceEvent, SourceSettings};
use shiftdeck::source::spec::{Poller, SourceSpec, fetch_all, spawn_source};
use shiftdeck::source::{ingest_bytes, load_str};

/// Stops RT when the test ends, passed or failed.
struct RtServer {
    url: String,
    token: String,
    root_pw: String,
    pid: u32,
}

impl Drop for RtServer {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.pid.to_string())
            .status();
        // Wait until it is gone, so that the next test's start-rt5.sh does
        // not find a server that is still shutting down.
        let proc_dir = format!("/proc/{}", self.pid);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::path::Path::new(&proc_dir).exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn start_rt() -> RtServer {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/rt5/start-rt5.sh");
    let t0 = Instant::now();
    let out = std::process::Command::new("bash")
        .arg(script)
        .output()
        .expect("run start-rt5.sh");
    assert!(
        out.status.success(),
        "start-rt5.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vars: BTreeMap<String, String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    eprintln!("rt5: server ready in {:.1} s", t0.elapsed().as_secs_f64());
    RtServer {
        url: vars["RT_URL"].clone(),
        token: vars["RT_TOKEN"].clone(),
        root_pw: vars
            .get("RT_ROOT_PW")
            .cloned()
            .unwrap_or_else(|| "password".into()),
        pid: vars["RT_PID"].parse().expect("RT_PID"),
    }
}

/// REST 2.0 calls of the test itself (creating and changing tickets).
struct Rest {
    client: reqwest::Client,
    base: String,
    token: String,
    root_pw: String,
}

impl Rest {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        as_root: bool,
    ) -> Value {
        let mut req = self
            .client
            .request(method, format!("{}/REST/2.0/{path}", self.base));
        req = if as_root {
            req.basic_auth("root", Some(&self.root_pw))
        } else {
            req.header("Authorization", format!("token {}", self.token))
        };
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(&b).expect("json"));
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let bytes = resp.bytes().await.expect("body");
        assert!(
            status.is_success(),
            "{path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None, false).await
    }

    async fn put(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::PUT, path, Some(body), false)
            .await
    }

    async fn create(&self, subject: &str, requestor: &str, sla: &str) -> u64 {
        let v = self
            .call(
                reqwest::Method::POST,
                "ticket",
                Some(
                    json!({"Queue": "Support", "Subject": subject, "Requestor": requestor,
                            "SLA": sla, "Content": "Hello, I need help."}),
                ),
                false,
            )
            .await;
        v["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("ticket id")
    }

    async fn ticket_time(&self, id: u64, field: &str) -> Ts {
        let v = self.get(&format!("ticket/{id}")).await;
        parse_rfc3339(v[field].as_str().expect(field)).expect("time")
    }

    /// When the ticket's first Correspond transaction happened.
    async fn first_reply(&self, id: u64) -> Ts {
        let v = self
            .get(&format!(
                "ticket/{id}/history?per_page=100&fields=Type,Created"
            ))
            .await;
        let t = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|t| t["Type"] == "Correspond")
            .expect("a reply");
        parse_rfc3339(t["Created"].as_str().expect("Created")).expect("time")
    }
}

const SKIPPED: &str = "rt5: skipped (set SHIFTDECK_RT5=1 to stand up a real RT 5)";

/// Starts RT and the test's REST client on it; `None` (the test is skipped,
/// saying `skipped`) unless the environment variable `gate` is 1.
async fn setup(gate: &str, skipped: &str) -> Option<(RtServer, Rest)> {
    if std::env::var(gate).as_deref() != Ok("1") {
        eprintln!("{skipped}");
        return None;
    }
    let rt = tokio::task::spawn_blocking(start_rt).await.expect("start");
    shiftdeck::source::http::install_tls_provider();
    let rest = Rest {
        client: reqwest::Client::new(),
        base: rt.url.clone(),
        token: rt.token.clone(),
        root_pw: rt.root_pw.clone(),
    };
    Some((rt, rest))
}

fn apply(floor: &mut Floor, reset: bool, bytes: &[u8]) {
    if reset {
        *floor = Floor::new();
    }
    let mut errors = Vec::new();
    ingest_bytes(floor, "rt", 1, bytes, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5: SHIFTDECK_RT5=1 cargo test --test it rt5_integration -- --ignored"]
async fn rt5_tickets_reach_the_floor_within_one_poll() {
    let Some((rt, rest)) = setup("SHIFTDECK_RT5", SKIPPED).await else {
        return;
    };
    // Leftovers of earlier runs must not wait in the queue.
    let left = rest
        .get("tickets?query=Queue%20%3D%20'Support'%20AND%20Status%20%3D%20'new'&per_page=100")
        .await;
    for t in left["items"].as_array().into_iter().flatten() {
        let id = t["id"].as_str().expect("id");
        rest.put(&format!("ticket/{id}"), json!({"Status": "rejected"}))
            .await;
    }
    let run = chrono::Utc::now().timestamp();
    let started = Ts::from_secs(run);

    let spec = SourceSpec::parse_crm(&format!("rt+{}?queues=Support", rt.url)).expect("spec");
    let settings = SourceSettings {
        token: Some(Secret::new(rt.token.clone())),
        ..SourceSettings::default()
    };
    let mut poller = Poller::new(&spec, &settings).expect("poller");
    let mut floor = Floor::new();
    let t0 = Instant::now();
    let full = poller.poll_once().await.expect("full load");
    eprintln!(
        "rt5: full load {:.0} ms, {} bytes",
        t0.elapsed().as_secs_f64() * 1e3,
        full.bytes.len()
    );
    assert!(full.reset);
    apply(&mut floor, true, &full.bytes);

    // Three customers write in.
    let c = |n: u32| format!("cust{n}-{run}@test.local");
    let t1 = rest.create("Cannot log in", &c(1), "urgent").await;
    let t2 = rest.create("Invoice question", &c(2), "high").await;
    let t3 = rest
        .create("Feature request: dark mode", &c(3), "standard")
        .await;
    // T1: taken, answered, 5 minutes worked, resolved.
    rest.put(&format!("ticket/{t1}"), json!({"Owner": "agent1"}))
        .await;
    rest.call(
        reqwest::Method::POST,
        &format!("ticket/{t1}/correspond"),
        Some(json!({"Content": "We are on it.", "ContentType": "text/plain"})),
        false,
    )
    .await;
    rest.put(
        &format!("ticket/{t1}"),
        json!({"TimeWorked": 5, "Status": "resolved"}),
    )
    .await;
    // T2: opened (Started) without a reply; moved to General and back by root: two transfers.
    rest.put(
        &format!("ticket/{t2}"),
        json!({"Owner": "agent1", "Status": "open"}),
    )
    .await;
    rest.call(
        reqwest::Method::PUT,
        &format!("ticket/{t2}"),
        Some(json!({"Queue": "General"})),
        true,
    )
    .await;
    rest.call(
        reqwest::Method::PUT,
        &format!("ticket/{t2}"),
        Some(json!({"Queue": "Support"})),
        true,
    )
    .await;
    // T3 waits.

    let t0 = Instant::now();
    let inc = poller.poll_once().await.expect("incremental");
    eprintln!(
        "rt5: incremental poll {:.0} ms, {} bytes",
        t0.elapsed().as_secs_f64() * 1e3,
        inc.bytes.len()
    );
    assert!(!inc.reset);
    apply(&mut floor, false, &inc.bytes);

    let contact = |id: u64| {
        floor
            .contact(&format!("rt-{id}"))
            .cloned()
            .expect("contact on the floor")
    };
    let name = |s: Option<shiftdeck::domain::Sym>| s.map(|s| floor.names.resolve(s).to_owned());
    let pri =
        |c: &shiftdeck::domain::Contact| c.priority.map(|p| p.as_str(&floor.names).to_owned());

    let k1 = contact(t1);
    assert_eq!(name(k1.queue).as_deref(), Some("Support"));
    assert_eq!(name(k1.customer), Some(c(1)));
    assert_eq!(name(k1.agent).as_deref(), Some("agent1"));
    assert_eq!(k1.arrived_at, Some(rest.ticket_time(t1, "Created").await));
    assert_eq!(k1.answered_at, Some(rest.first_reply(t1).await));
    assert_eq!(k1.ended_at, Some(rest.ticket_time(t1, "Resolved").await));
    assert_eq!(k1.talk_s, 300.0);
    assert_eq!(pri(&k1).as_deref(), Some("urgent"));

    let k2 = contact(t2);
    assert_eq!(k2.answered_at, Some(rest.ticket_time(t2, "Started").await));
    assert_eq!(k2.ended_at, None);
    assert_eq!(k2.transfers, 2);
    assert_eq!(pri(&k2).as_deref(), Some("high"));

    let k3 = contact(t3);
    assert_eq!((k3.answered_at, k3.agent), (None, None));
    assert_eq!(pri(&k3).as_deref(), Some("medium"));
    let agent = floor
        .agents()
        .find(|a| floor.names.resolve(a.id) == "agent1")
        .expect("agent");
    assert_eq!(agent.name.as_deref(), Some("Alice Agent"));

    // Live queue by search: only T3 waits.
    let support = floor.names.lookup("Support").expect("queue");
    let stats = floor.queue_stats(support).expect("queue_stats");
    assert_eq!(stats.waiting, 1);

    // One-shot load (`snapshot`): fetch_all → floor → KPIs over this run's window.
    let t0 = Instant::now();
    let all = fetch_all(&spec, &settings).await.expect("fetch_all");
    eprintln!("rt5: fetch_all {:.0} ms", t0.elapsed().as_secs_f64() * 1e3);
    let (snap_floor, errors) = load_str(std::str::from_utf8(&all).expect("utf8"));
    assert!(errors.is_empty(), "{errors:?}");
    let now = Ts::from_datetime(&chrono::Utc::now()).add_secs(1);
    let win = shiftdeck::domain::Window {
        from: started,
        to: now,
    };
    let settings_kpi = shiftdeck::domain::Settings::defaults_in(chrono_tz::UTC);
    let spot = shiftdeck::domain::sampling::spot_check(
        &snap_floor,
        &settings_kpi,
        now.to_utc().date_naive(),
        now,
        &[],
    );
    let snap =
        shiftdeck::domain::report::build_snapshot(&snap_floor, &settings_kpi, win, now, spot);
    let v = serde_json::to_value(&snap).expect("json");
    let kpi = |k: &str| v["kpis"][k].clone();
    // Offered 3; answered T1, T2; handled T1 only (5 min worked, no transfer).
    assert_eq!(kpi("aht_s")["value"], json!(300.0));
    assert_eq!(kpi("aht_s")["n"], json!(1.0));
    assert_eq!(kpi("art_s")["n"], json!(2.0));
    let art = (k1
        .answered_at
        .expect("a")
        .secs_since(k1.arrived_at.expect("a"))
        + k2.answered_at
            .expect("a")
            .secs_since(k2.arrived_at.expect("a")))
        / 2.0;
    assert_eq!(kpi("art_s")["value"], json!(art));
    assert_eq!(kpi("transfer_rate")["value"], json!(0.0));
    assert_eq!(kpi("repeat_rate")["n"], json!(3.0));
    let queue = v["queues"]
        .as_array()
        .expect("queues")
        .iter()
        .find(|q| q["id"] == "Support")
        .expect("Support")
        .clone();
    assert_eq!(queue["waiting"], json!(1));

    // Through the task: a change in RT reaches the floor within one poll.
    let poll = Duration::from_secs(1);
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let task = spawn_source(
        spec,
        SourceSettings {
            poll,
            ..settings.clone()
        },
        tx,
    );
    let mut live = Floor::new();
    let mut changed_at: Option<Instant> = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let Some(ev) = rx.recv().await else { break };
        match ev {
            SourceEvent::Batch { reset, bytes, .. } => {
                apply(&mut live, reset, &bytes);
                let taken = live
                    .contact(&format!("rt-{t3}"))
                    .and_then(|c| c.agent)
                    .is_some();
                if taken && changed_at.is_some() {
                    break;
                }
            }
            SourceEvent::Status { error, .. } => {
                assert_eq!(error, None);
                if changed_at.is_none() {
                    rest.put(&format!("ticket/{t3}"), json!({"Owner": "agent1"}))
                        .await;
                    changed_at = Some(Instant::now());
                }
            }
        }
    }
    let latency = changed_at.expect("changed").elapsed();
    drop(rx);
    let _ = task.await;
    eprintln!(
        "rt5: change to floor {:.0} ms (poll interval {} s)",
        latency.as_secs_f64() * 1e3,
        poll.as_secs()
    );
    assert!(
        live.contact(&format!("rt-{t3}"))
            .and_then(|c| c.agent)
            .is_some(),
        "the owner change arrived"
    );
    assert!(latency < poll * 2 + Duration::from_secs(5), "{latency:?}");
    let _ = Url::parse(&rt.url).expect("url");
}

/// Warm start on the real server: a console that stopped and starts again
/// shows the cached floor before its first poll completes (a ticket created
/// meanwhile is not in it), then reads only what changed (the new ticket
/// arrives with the first poll, in an incremental batch).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5: SHIFTDECK_RT5=1 cargo test --test it rt5_integration -- --ignored"]
async fn rt5_tickets_warm_start_shows_the_cached_floor_before_the_first_poll() {
    use shiftdeck::source::poll::{PollNote, Restart};
    use shiftdeck::source::spec::{WarmPoller, spawn_restartable};

    let Some((rt, rest)) = setup("SHIFTDECK_RT5", SKIPPED).await else {
        return;
    };
    let run = chrono::Utc::now().timestamp();
    let before = rest
        .create(
            "Warm start: before the restart",
            &format!("warm1-{run}@test.local"),
            "high",
        )
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let spec = SourceSpec::parse_crm(&format!("rt+{}?queues=Support", rt.url)).expect("spec");
    let settings = SourceSettings {
        token: Some(Secret::new(rt.token.clone())),
        cache_dir: Some(dir.path().to_path_buf()),
        ..SourceSettings::default()
    };
    // The console's first run: the full state, written to the cache.
    let t0 = Instant::now();
    let mut first = WarmPoller::cold(&spec, &settings).expect("poller");
    let full = first.poll_once().await.expect("full load");
    eprintln!(
        "rt5 warm: full load {:.0} ms ({} records)",
        t0.elapsed().as_secs_f64() * 1e3,
        first.records()
    );
    assert!(full.reset);
    drop(first);
    let cache = spec.cache(&settings).expect("an RT cache");
    let file = std::fs::read(cache.path()).expect("the cache file");
    assert!(
        !String::from_utf8_lossy(&file).contains(&rt.token),
        "no token in the cache"
    );

    // While the console is stopped, a customer writes in.
    let after = rest
        .create(
            "Warm start: while stopped",
            &format!("warm2-{run}@test.local"),
            "urgent",
        )
        .await;

    // The restart: the cached floor first, marked with its age.
    let t0 = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let task = spawn_restartable(spec, settings, tx, Restart::default());
    let next = async |rx: &mut tokio::sync::mpsc::Receiver<SourceEvent>| {
        tokio::time::timeout(Duration::from_secs(120), rx.recv())
            .await
            .expect("an event in time")
            .expect("the source runs")
    };
    let SourceEvent::Batch {
        reset,
        bytes,
        origin,
        ..
    } = next(&mut rx).await
    else {
        panic!("the cached floor comes first");
    };
    let shown = t0.elapsed();
    assert!(reset && origin.ends_with("(cache)"), "{origin}");
    let mut floor = Floor::new();
    apply(&mut floor, true, &bytes);
    assert!(floor.contact(&format!("rt-{before}")).is_some());
    assert!(
        floor.contact(&format!("rt-{after}")).is_none(),
        "the cached floor is the one before the restart: no poll has completed"
    );
    let SourceEvent::Status { note, ok_at, .. } = next(&mut rx).await else {
        panic!("then the mark");
    };
    assert!(matches!(note, Some(PollNote::Cached { .. })), "{note:?}");
    assert!(ok_at.is_some());
    // Then the first poll: incremental, with the new ticket.
    let SourceEvent::Batch { reset, bytes, .. } = next(&mut rx).await else {
        panic!("the first poll's batch");
    };
    let fresh = t0.elapsed();
    assert!(!reset, "reads only what changed");
    apply(&mut floor, false, &bytes);
    assert!(floor.contact(&format!("rt-{after}")).is_some());
    let SourceEvent::Status { note, error, .. } = next(&mut rx).await else {
        panic!("the first poll's status");
    };
    assert_eq!((note, error), (None, None));
    eprintln!(
        "rt5 warm: restart → cached floor {:.0} ms, → fresh floor {:.0} ms",
        shown.as_secs_f64() * 1e3,
        fresh.as_secs_f64() * 1e3
    );
    drop(rx);
    let _ = task.await;
}

/// CPU seconds used so far by the RT server (its own, its reaped workers'
/// and its live workers'), from /proc: the server's cost of a load, which
/// the machine's other work does not inflate as it does wall time.
fn rt_cpu_s(pid: u32) -> f64 {
    let ticks = |stat: &str, fields: &[usize]| -> (u64, Option<u32>) {
        // After the `(comm)`: state is field 3, ppid 4, utime 14 … cstime 17.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            return (0, None);
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        let get = |n: usize| {
            f.get(n - 3)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let ppid = f.get(1).and_then(|v| v.parse().ok());
        (fields.iter().map(|&n| get(n)).sum(), ppid)
    };
    let mut total = 0;
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        total += ticks(&stat, &[14, 15, 16, 17]).0;
    }
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let (t, ppid) = ticks(&stat, &[14, 15]);
        if ppid == Some(pid) {
            total += t;
        }
    }
    total as f64 / 100.0
}

/// CPU seconds of this process (the connector, parsing included).
fn own_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let get = |n: usize| {
        f.get(n - 3)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (get(14) + get(15)) as f64 / 100.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The RT figures of issue 15 against RT with 10 000 tickets in queue Bench
/// (seed them first: tests/rt5/seed-tickets.pl, see docs/connectors.md):
/// the first load (time, requests, token checks, CPU of RT and of the
/// connector), a restart from the cache to the cached floor and to the
/// fresh one; then one poll cycle (idle poll, an incremental poll after
/// `RT5_CHANGES` tickets changed, 10 unless it says, `0` to skip).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: SHIFTDECK_RT5_BENCH=1 cargo test --release --test it rt5_integration::rt5_bench -- --ignored --nocapture"]
async fn rt5_bench_poll_cycle() {
    use shiftdeck::source::spec::WarmPoller;

    let skipped = "rt5 bench: skipped (set SHIFTDECK_RT5_BENCH=1)";
    let Some((rt, rest)) = setup("SHIFTDECK_RT5_BENCH", skipped).await else {
        return;
    };
    let rest = Arc::new(rest);
    let opts = shiftdeck::source::rt::RtOptions::from_url(
        &Url::parse(&format!("{}?queues=Bench&days=3650", rt.url)).expect("url"),
    )
    .expect("opts");
    // Requests at once (`[source] concurrency`), 4 unless RT5_CONCURRENCY says.
    let workers: usize = std::env::var("RT5_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let cache_dir = tempfile::tempdir().expect("dir");
    let settings = SourceSettings {
        token: Some(Secret::new(rt.token.clone())),
        cache_dir: Some(cache_dir.path().to_path_buf()),
        http: shiftdeck::source::http::HttpSettings {
            max_in_flight: workers,
            ..Default::default()
        },
        ..SourceSettings::default()
    };
    let spec = SourceSpec::Rt(opts.clone());

    // The first load, as a console's first start: the cache written.
    let (cpu0, own0, load0) = (rt_cpu_s(rt.pid), own_cpu_s(), load_average());
    let t0 = Instant::now();
    let mut cold = WarmPoller::cold(&spec, &settings).expect("poller");
    let full = cold.poll_once().await.expect("first load");
    let first_load = t0.elapsed();
    let (requests, logins) = cold.request_counts();
    let records = cold.records();
    let (cpu1, own1, load1) = (rt_cpu_s(rt.pid), own_cpu_s(), load_average());
    drop(cold);
    let (contacts, errors) = load_str(std::str::from_utf8(&full.bytes).expect("utf8"));
    assert!(errors.is_empty(), "{errors:?}");
    let tickets = contacts.contacts().len();
    assert!(
        tickets >= 10_000,
        "seed the Bench queue to 10 000 first: {tickets}"
    );
    eprintln!(
        "rt5 bench: concurrency {workers} | first load of {tickets} tickets {:.1} s, {requests} requests, {logins} token check(s) | RT server CPU {:.1} s, connector CPU {:.1} s | {records} records | load average {load0} → {load1}",
        first_load.as_secs_f64(),
        cpu1 - cpu0,
        own1 - own0,
    );

    // The restart: the cached floor, then the first (incremental) poll.
    let t1 = Instant::now();
    let (mut warm, cached) =
        WarmPoller::start(&spec, &settings, Ts::from_datetime(&chrono::Utc::now()))
            .expect("poller");
    let cached_floor = t1.elapsed();
    let cached = cached.expect("a valid cache after the first load");
    let cached_lines = cached
        .records
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert!(
        cached_lines > tickets,
        "the whole floor is cached: {cached_lines} lines"
    );
    let fresh = warm
        .poll_once()
        .await
        .expect("the first poll after the restart");
    let fresh_floor = t1.elapsed();
    assert!(!fresh.reset, "incremental after the restart");
    let (requests, logins) = warm.request_counts();
    let (cpu2, load2) = (rt_cpu_s(rt.pid), load_average());
    drop(warm);
    eprintln!(
        "rt5 bench: restart → cached floor {:.0} ms, → fresh floor {:.2} s ({requests} requests, {logins} token check(s), RT server CPU {:.1} s) | load average {load2}",
        cached_floor.as_secs_f64() * 1e3,
        fresh_floor.as_secs_f64(),
        cpu2 - cpu1,
    );

    // One poll cycle: full load, idle poll, an incremental poll after changes.
    let changes: usize = std::env::var("RT5_CHANGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    if changes == 0 {
        return;
    }
    let ids: Vec<u64> = {
        let v = rest
            .get("tickets?query=Queue%20%3D%20'Bench'&orderby=id&order=DESC&per_page=100&fields=id")
            .await;
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            // With fields=id, RT sends the id as a number (elsewhere as a string).
            .filter_map(|t| t["id"].as_u64().or_else(|| t["id"].as_str()?.parse().ok()))
            .take(changes)
            .collect()
    };
    assert_eq!(ids.len(), changes, "seed the Bench queue first");
    let b = shiftdeck::source::rt::bench_rt(opts, &settings, {
        let rest = rest.clone();
        move || async move {
            for id in &ids {
                rest.put(
                    &format!("ticket/{id}"),
                    json!({"Owner": "agent1", "Status": "open"}),
                )
                .await;
                rest.put(&format!("ticket/{id}"), json!({"Status": "stalled"}))
                    .await;
            }
            Ok(ids.len())
        }
    })
    .await
    .expect("bench");
    eprintln!(
        "rt5 bench: concurrency {workers} | {} tickets | full load {:.1} s, {} requests, {:.1} MB | idle poll {:.2} s, {} requests | {} changed: incremental {:.2} s, {} requests | {} token check(s) | load average {}",
        b.tickets,
        b.full_load.as_secs_f64(),
        b.full_requests,
        b.full_bytes as f64 / 1e6,
        b.idle_poll.as_secs_f64(),
        b.idle_requests,
        b.changes,
        b.incremental.as_secs_f64(),
        b.incremental_requests,
        b.logins,
        load_average()
    );
}

/// Write-back on the real server: a lead's entry queued in the store's
/// outbox becomes exactly one comment on the RT ticket, however often the
/// outbox is flushed or the entry queued again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a real RT 5: SHIFTDECK_RT5=1 cargo test --test it rt5_integration -- --ignored"]
async fn rt5_tickets_get_the_leads_comment_exactly_once() {
    use shiftdeck::runtime::writeback::flush_outbox;
    use shiftdeck::source::http::{Auth, HttpClient, HttpSettings};
    use shiftdeck::source::writeback::{content_has_key, ticket_has_key};
    use shiftdeck::store::Store;
    use shiftdeck::store::outbox::{KIND_SPOT_CHECK, NewOutboxEntry};

    let Some((rt, rest)) = setup("SHIFTDECK_RT5", SKIPPED).await else {
        return;
    };
    let id = rest
        .create("write-back check", "wb@example.com", "standard")
        .await;

    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("shiftdeck.db")).expect("store");
    let now = Ts::from_datetime(&chrono::Utc::now());
    let key = format!("spot:rt-{id}:{}", now.nanos());
    let entry = NewOutboxEntry {
        idempotency_key: key.clone(),
        target: "rt".into(),
        ticket: id.to_string(),
        kind: KIND_SPOT_CHECK.into(),
        body: "Spot check 17/20 (responsiveness 5, attitude 3, expertise 5, resolution 4)".into(),
        created_at: now,
    };
    assert!(store.enqueue_outbox(&entry).expect("enqueue"));
    assert!(
        !store.enqueue_outbox(&entry).expect("enqueue again"),
        "queued once"
    );

    let base = Url::parse(&rt.url).expect("RT url");
    let client = HttpClient::new(
        &base,
        Auth::rt_token(&Secret::new(rt.token.clone())),
        &HttpSettings::default(),
    )
    .expect("client");
    let first = flush_outbox(&store, &client, &base, now)
        .await
        .expect("flush");
    assert_eq!(first.sent, 1, "{first:?}");
    let later = now.add_secs(7200);
    let second = flush_outbox(&store, &client, &base, later)
        .await
        .expect("flush");
    assert_eq!((second.sent, second.already_there), (0, 0), "{second:?}");

    let root = shiftdeck::source::rt::RtOptions::new(base.clone())
        .rest_root()
        .expect("root");
    assert!(
        ticket_has_key(&client, &root, &id.to_string(), &key)
            .await
            .expect("read attachments")
    );
    let attachments = rest
        .get(&format!(
            "ticket/{id}/attachments?fields=Content&per_page=100"
        ))
        .await;
    let copies = attachments["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| {
            a["Content"]
                .as_str()
                .is_some_and(|c| content_has_key(c, &key))
        })
        .count();
    assert_eq!(copies, 1, "the comment is on the ticket exactly once");
}
