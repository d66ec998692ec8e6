//! Issue 15, item 3: the warm start of the CRM sources and their parallel
//! first load, against a local server answering like RT 5.0.3's REST 2.0
//! (the mock of source_rt.rs, modelled on shared/rt5/samples) and like
//! Zendesk (the mock of source_zendesk.rs). A restart shows the cached floor
//! at once and reads only what changed; a cache of an older format, a
//! truncated one and one with a wrong checksum are each ignored and rebuilt;
//! a first load runs at most `[source] concurrency` requests at once, and a
//! 429's Retry-After holds every worker. The real RT 5 is in
//! rt5_integration.rs.

use crate::common::{Reply, Request, TestServer, floor_of};
use crate::source_rt::{Rt, Ticket, handle};
use crate::ui_support::{draw, text};

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use shiftdeck::app::state::{Action, App};
use shiftdeck::app::theme::ThemeKind;
use shiftdeck::app::view::{EngineMsg, SourceStatus};
use shiftdeck::domain::{Floor, Ts};
use shiftdeck::i18n::Lang;
use shiftdeck::source::cache::{CrmCache, FORMAT_VERSION, Rejected};
use shiftdeck::source::http::{HttpSettings, Secret};
use shiftdeck::source::poll::{PollNote, Restart, SourceEvent, SourceSettings};
use shiftdeck::source::spec::{SourceSpec, WarmPoller, spawn_restartable};
use shiftdeck::source::{ingest_bytes, load_str};

const TOKEN: &str = "1-31-warmstart0123456789";

/// `n` tickets in Support: every fourth waits (new, Nobody); the others are
/// open, owned by agent1, who replied 30 s after the ticket came in.
fn rt_with(n: u64) -> Arc<Mutex<Rt>> {
    let mut rt = Rt::default();
    for id in 1..=n {
        let waiting = id % 4 == 0;
        rt.tickets.push(Ticket {
            id,
            status: if waiting { "new" } else { "open" },
            owner: if waiting { "Nobody" } else { "agent1" },
            started: "1970-01-01T00:00:00Z",
            version: 1,
        });
        rt.txns
            .push((id * 10, id, "Create", "", "2026-11-22T08:00:00Z", "cust"));
        if !waiting {
            rt.txns.push((
                id * 10 + 1,
                id,
                "Correspond",
                "",
                "2026-11-22T10:00:00Z",
                "agent1",
            ));
        }
    }
    Arc::new(Mutex::new(rt))
}

/// The RT mock, each answer `delay` late while `slow` is set.
/// RT answering `delay` late (at once if zero); while `hold` is up it
/// answers nothing.
async fn rt_server(rt: Arc<Mutex<Rt>>, delay: Duration, hold: Arc<AtomicBool>) -> TestServer {
    TestServer::start(move |req: &Request| {
        let r = Reply::Held(hold.clone(), Box::new(handle(&rt, req)));
        if delay.is_zero() {
            r
        } else {
            Reply::Slow(delay, Box::new(r))
        }
    })
    .await
}

fn spec_of(server: &TestServer) -> SourceSpec {
    SourceSpec::parse_crm(&format!("rt+{}?queues=Support&per_page=10", server.url("")))
        .expect("spec")
}

fn settings(dir: &Path, workers: usize) -> SourceSettings {
    SourceSettings {
        token: Some(Secret::new(TOKEN)),
        cache_dir: Some(dir.to_path_buf()),
        http: HttpSettings {
            max_in_flight: workers,
            ..HttpSettings::default()
        },
        ..SourceSettings::default()
    }
}

/// Arrived, answered, agent, queue.
type Seen = (Option<Ts>, Option<Ts>, Option<String>, Option<String>);

/// A contact as the lead sees it (names resolved: two floors intern in
/// different orders).
fn seen(floor: &Floor, id: &str) -> Option<Seen> {
    let c = floor.contact(id)?;
    let name = |s: Option<shiftdeck::domain::Sym>| s.map(|s| floor.names.resolve(s).to_owned());
    Some((c.arrived_at, c.answered_at, name(c.agent), name(c.queue)))
}

fn now() -> Ts {
    Ts::from_datetime(&chrono::Utc::now())
}

#[tokio::test]
async fn a_restart_shows_the_cached_floor_and_then_reads_only_what_changed() {
    let dir = tempfile::tempdir().expect("dir");
    let rt = rt_with(40);
    let server = rt_server(rt.clone(), Duration::ZERO, Arc::default()).await;
    let (spec, settings) = (spec_of(&server), settings(dir.path(), 4));

    // First start: no cache yet, the full state, and the cache is written.
    let (mut cold, warm) = WarmPoller::start(&spec, &settings, now()).expect("poller");
    assert!(warm.is_none());
    let full = cold.poll_once().await.expect("full load");
    assert!(full.reset);
    let live = floor_of(&full.bytes);
    assert_eq!(live.contacts().len(), 40);
    let cache = spec.cache(&settings).expect("an RT source has a cache");
    let file = std::fs::read(cache.path()).expect("the cache file");
    assert!(
        !String::from_utf8_lossy(&file).contains("warmstart0123456789"),
        "no token in the cache"
    );

    // Restart: the cached floor at once, the same as the live one.
    let before = server.requests().len();
    let (mut p, warm) = WarmPoller::start(&spec, &settings, now()).expect("poller");
    let warm = warm.expect("a valid cache");
    assert_eq!(server.requests().len(), before, "nothing asked of RT yet");
    let cached = floor_of(&warm.records);
    assert_eq!(cached.contacts().len(), 40);
    for id in 1..=40 {
        let id = format!("rt-{id}");
        assert_eq!(seen(&cached, &id), seen(&live, &id), "{id}");
    }
    assert!(seen(&cached, "rt-1").is_some_and(|c| c.2.as_deref() == Some("agent1")));

    // Ticket 4 is taken meanwhile: the first poll after the restart reads
    // the transactions since the cached one and that ticket, not the floor.
    {
        let mut r = rt.lock().expect("lock");
        r.tickets[3].status = "open";
        r.tickets[3].owner = "agent1";
        r.tickets[3].started = "2026-11-22T10:05:00Z";
        r.tickets[3].version = 2;
        r.txns
            .push((1000, 4, "Set", "Owner", "2026-11-22T10:05:00Z", "agent1"));
    }
    let before = server.requests().len();
    let inc = p.poll_once().await.expect("incremental");
    assert!(!inc.reset, "a restart from the cache is incremental");
    let paths = server.paths_since(before);
    assert_eq!(
        paths,
        [
            "/REST/1.0/",
            "/REST/2.0/transactions",
            "/REST/2.0/ticket/4",
            "/REST/2.0/tickets"
        ],
        "the session login (this server gives none), transactions, the changed ticket, the live count"
    );
    let mut floor = cached;
    let mut errors = Vec::new();
    ingest_bytes(&mut floor, "test", 1, &inc.bytes, &mut errors);
    assert_eq!(
        seen(&floor, "rt-4").and_then(|c| c.2),
        Some("agent1".to_owned())
    );
    // The cache now holds the change too.
    let again = cache.load(now()).expect("valid").expect("there");
    assert!(again.saved_at >= warm.saved_at);
    assert_eq!(
        seen(&floor_of(&again.records), "rt-4").and_then(|c| c.2),
        Some("agent1".to_owned())
    );
}

/// The cache file with its header's version set to `version`.
fn with_version(file: &[u8], version: u64) -> Vec<u8> {
    let nl = file.iter().position(|b| *b == b'\n').expect("header line");
    let mut head: serde_json::Value = serde_json::from_slice(&file[..nl]).expect("header");
    head["version"] = serde_json::json!(version);
    let mut out = serde_json::to_vec(&head).expect("json");
    out.extend_from_slice(&file[nl..]);
    out
}

#[tokio::test]
async fn an_older_truncated_or_wrongly_summed_cache_is_ignored_and_rebuilt() {
    let dir = tempfile::tempdir().expect("dir");
    let server = rt_server(rt_with(30), Duration::ZERO, Arc::default()).await;
    let (spec, settings) = (spec_of(&server), settings(dir.path(), 4));
    let mut cold = WarmPoller::cold(&spec, &settings).expect("poller");
    cold.poll_once().await.expect("full load");
    let cache: CrmCache = spec.cache(&settings).expect("cache");
    let good = std::fs::read(cache.path()).expect("file");
    assert!(matches!(cache.load(now()), Ok(Some(_))));

    let older = with_version(&good, u64::from(FORMAT_VERSION) - 1);
    let truncated = good[..good.len() - 100].to_vec();
    let mut flipped = good.clone();
    let at = flipped.len() - 40;
    flipped[at] = if flipped[at] == b'7' { b'8' } else { b'7' };
    type Why = fn(&Rejected) -> bool;
    let cases: [(&str, Vec<u8>, Why); 3] = [
        (
            "older format",
            older,
            |r| matches!(r, Rejected::OlderVersion { found } if *found == u64::from(FORMAT_VERSION) - 1),
        ),
        (
            "truncated",
            truncated,
            |r| matches!(r, Rejected::Truncated { expected, got } if *expected == *got + 100),
        ),
        ("wrong checksum", flipped, |r| *r == Rejected::Checksum),
    ];
    for (what, bytes, why) in cases {
        std::fs::write(cache.path(), &bytes).expect("write the damaged cache");
        let rejected = cache.load(now()).expect_err(what);
        assert!(why(&rejected), "{what}: {rejected}");
        let before = server.requests().len();
        let (mut p, warm) = WarmPoller::start(&spec, &settings, now()).expect("poller");
        assert!(warm.is_none(), "{what}: not trusted");
        let b = p.poll_once().await.expect("full load");
        assert!(b.reset, "{what}: the full state is loaded");
        assert_eq!(floor_of(&b.bytes).contacts().len(), 30, "{what}");
        assert!(
            server.requests()[before..]
                .iter()
                .any(|r| r.path() == "/REST/2.0/queues/all"),
            "{what}: a full load"
        );
        // Rebuilt: valid again, with the whole floor.
        let w = cache.load(now()).expect(what).expect(what);
        assert_eq!(floor_of(&w.records).contacts().len(), 30, "{what}");
    }
}

#[tokio::test]
async fn a_first_load_runs_at_most_the_configured_requests_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    // 200 tickets in pages of 10, each answer 25 ms late.
    let server = rt_server(rt_with(200), Duration::from_millis(25), Arc::default()).await;
    let spec = spec_of(&server);
    let mut floors = Vec::new();
    for workers in [3usize, 1] {
        server.max_in_flight.store(0, Ordering::SeqCst);
        let settings = settings(dir.path(), workers);
        let mut p = WarmPoller::cold(&spec, &settings).expect("poller");
        let b = p.poll_once().await.expect("full load");
        let most = server.most_at_once();
        assert!(
            most <= workers,
            "{most} requests at once, {workers} allowed"
        );
        if workers > 1 {
            assert!(most > 1, "the first load ran requests side by side");
        }
        floors.push(floor_of(&b.bytes));
    }
    // Side by side or one at a time, the same floor.
    assert_eq!(floors[0].contacts().len(), 200);
    for id in 1..=200 {
        let id = format!("rt-{id}");
        assert_eq!(seen(&floors[0], &id), seen(&floors[1], &id), "{id}");
    }
    let answered = seen(&floors[0], "rt-5").and_then(|c| c.1);
    assert_eq!(
        answered,
        Some(crate::ui_support::ts("2026-11-22T10:00:00Z"))
    );
}

#[tokio::test]
async fn a_429_holds_every_worker_for_its_retry_after() {
    let dir = tempfile::tempdir().expect("dir");
    let rt = rt_with(200);
    let count = Arc::new(AtomicUsize::new(0));
    let refused: Arc<Mutex<Option<(Instant, String)>>> = Arc::default();
    let (c, r) = (count.clone(), refused.clone());
    // The twelfth request, in the middle of the sweep, gets a 429 asking
    // for a second; every other answer takes 20 ms.
    let server = TestServer::start(move |req: &Request| {
        if c.fetch_add(1, Ordering::SeqCst) == 11 {
            *r.lock().expect("lock") = Some((req.at, req.target.clone()));
            return Reply::too_many(1);
        }
        Reply::Slow(Duration::from_millis(20), Box::new(handle(&rt, req)))
    })
    .await;
    let spec = spec_of(&server);
    let settings = settings(dir.path(), 4);
    let mut p = WarmPoller::cold(&spec, &settings).expect("poller");
    let b = p
        .poll_once()
        .await
        .expect("the load goes on after the wait");
    assert_eq!(floor_of(&b.bytes).contacts().len(), 200);
    let (at, target) = refused
        .lock()
        .expect("lock")
        .clone()
        .expect("a 429 was sent");
    let reqs = server.requests();
    // While the second runs, no worker starts a request: at most those
    // already on their way when the 429 came (three other workers).
    let during = reqs
        .iter()
        .filter(|q| q.at > at && q.at < at + Duration::from_millis(900))
        .count();
    assert!(during <= 3, "{during} requests during the Retry-After");
    // The refused request is asked again, after the wait.
    let retried = reqs
        .iter()
        .find(|q| q.target == target && q.at > at)
        .expect("asked again");
    assert!(retried.at >= at + Duration::from_millis(950));
    assert!(server.most_at_once() <= 4);
}

async fn next(rx: &mut tokio::sync::mpsc::Receiver<SourceEvent>) -> SourceEvent {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("an event")
        .expect("the source runs")
}

#[tokio::test]
async fn the_source_task_shows_the_cached_floor_before_its_first_poll_ends() {
    let dir = tempfile::tempdir().expect("dir");
    let hold = Arc::new(AtomicBool::new(false));
    let server = rt_server(rt_with(20), Duration::ZERO, hold.clone()).await;
    let (spec, settings) = (spec_of(&server), settings(dir.path(), 4));
    WarmPoller::cold(&spec, &settings)
        .expect("poller")
        .poll_once()
        .await
        .expect("full load");
    let saved_at = spec
        .cache(&settings)
        .expect("cache")
        .load(now())
        .expect("valid")
        .expect("there")
        .saved_at;

    // Every answer is now held: the cached floor comes before any.
    hold.store(true, Ordering::SeqCst);
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let task = spawn_restartable(spec, settings, tx, Restart::default());
    let SourceEvent::Batch {
        reset,
        bytes,
        origin,
        ..
    } = next(&mut rx).await
    else {
        panic!("the cached floor first");
    };
    assert!(reset && origin.ends_with("(cache)"), "{origin}");
    assert_eq!(floor_of(&bytes).contacts().len(), 20);
    let SourceEvent::Status { ok_at, note, .. } = next(&mut rx).await else {
        panic!("then its status");
    };
    assert_eq!(note, Some(PollNote::Cached { saved_at }));
    assert_eq!(ok_at, Some(saved_at));
    hold.store(false, Ordering::SeqCst);
    // Then the first poll: incremental, and the mark goes.
    let SourceEvent::Batch { reset, .. } = next(&mut rx).await else {
        panic!("the first poll's batch");
    };
    assert!(!reset);
    let SourceEvent::Status { note, error, .. } = next(&mut rx).await else {
        panic!("the first poll's status");
    };
    assert_eq!((note, error), (None, None));
    drop(rx);
    let _ = task.await;
}

#[tokio::test]
async fn a_zendesk_restart_goes_on_from_the_cached_cursor() {
    let dir = tempfile::tempdir().expect("dir");
    let zd = crate::source_zendesk::zendesk(true).await;
    let spec = SourceSpec::parse_crm(&format!(
        "zendesk+{}?email=lead@acme.test",
        zd.server.url("")
    ))
    .expect("spec");
    let settings = SourceSettings {
        token: Some(Secret::new(crate::source_zendesk::TOKEN)),
        cache_dir: Some(dir.path().to_path_buf()),
        ..SourceSettings::default()
    };
    let mut cold = WarmPoller::cold(&spec, &settings).expect("poller");
    let full = cold.poll_once().await.expect("full load");
    assert!(full.reset);
    let live = floor_of(&full.bytes);
    let (mut p, warm) = WarmPoller::start(&spec, &settings, now()).expect("poller");
    let warm = warm.expect("a valid cache");
    let cached = floor_of(&warm.records);
    for id in ["zd-101", "zd-102", "zd-103"] {
        assert_eq!(seen(&cached, id), seen(&live, id), "{id}");
    }
    assert!(cached.contact("zd-99").is_none(), "deleted stays out");
    let before = zd.server.requests().len();
    let inc = p.poll_once().await.expect("incremental");
    assert!(!inc.reset);
    let reqs = zd.server.requests();
    let export = reqs[before..]
        .iter()
        .find(|r| r.path().ends_with("cursor.json"))
        .expect("the export");
    assert_eq!(export.query("cursor").as_deref(), Some("MTAz"));
    assert!(
        !reqs[before..]
            .iter()
            .any(|r| r.path() == "/api/v2/groups.json"),
        "no full state"
    );
    let file = std::fs::read(spec.cache(&settings).expect("cache").path()).expect("file");
    assert!(!String::from_utf8_lossy(&file).contains(crate::source_zendesk::TOKEN));
}

#[test]
fn the_header_marks_a_cached_floor_with_its_age_in_both_languages() {
    let at = crate::ui_support::now();
    for (lang, want) in [
        (Lang::En, "cached 5 min ago, refreshing"),
        (Lang::Zh, "缓存于5 分钟前，正在刷新"),
    ] {
        let mut app = App::new(at, crate::ui_support::tz(), ThemeKind::Default, false);
        app.lang = lang;
        let saved_at = at.add_secs(-300);
        let status = SourceStatus {
            label: "RT http://127.0.0.1:8080".into(),
            data_at: Some(at),
            last_success: Some(saved_at),
            note: Some(PollNote::Cached { saved_at }),
            ..SourceStatus::default()
        };
        app.update(Action::Engine(EngineMsg::Status(Box::new(status))));
        let head = text(&draw(&app, 160, 40))
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        assert!(head.contains(want), "{head}");
        assert!(!head.contains("live") && !head.contains("实时"), "{head}");
    }
    let _ = load_str("");
}
