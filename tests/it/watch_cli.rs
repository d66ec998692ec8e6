//! `shiftdeck watch`, the real binary: a file whose appended lines push the
//! abandon rate over its alert threshold gives one JSON line on stdout and
//! one POST; SIGKILL between the alert and its delivery, then a restart,
//! still delivers exactly once; SIGTERM ends it with status 0; a bad
//! config or an unreadable webhook secret ends it at start with status 1.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli_support::shiftdeck_in;
use crate::common::{Reply, TestServer};

/// A running `watch` and its stdout and stderr lines.
pub struct Watch {
    pub child: Child,
    pub out: Receiver<String>,
    pub err: Receiver<String>,
}

impl Watch {
    pub fn start(home: &Path, config: &Path, args: &[&str]) -> Watch {
        let mut cmd = shiftdeck_in(home);
        cmd.arg("--config")
            .arg(config)
            .arg("--data-dir")
            .arg(home.join("data"))
            .arg("watch")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start shiftdeck watch");
        let out = lines(child.stdout.take().expect("stdout"));
        let err = lines(child.stderr.take().expect("stderr"));
        Watch { child, out, err }
    }

    /// The next stdout line that `want` accepts, within `within`.
    pub fn line(&self, within: Duration, want: impl Fn(&str) -> bool) -> Option<String> {
        next_line(&self.out, within, want)
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: kill(2) on our own child's pid.
        let r = unsafe { libc::kill(self.child.id() as i32, sig) };
        assert_eq!(r, 0, "kill");
    }

    /// Waits for the exit; its status code (None: killed by a signal).
    pub fn wait(&mut self, within: Duration) -> Option<i32> {
        let t0 = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                return st.code();
            }
            assert!(t0.elapsed() < within, "watch did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines(r: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(r).lines() {
            let Ok(l) = l else { return };
            if tx.send(l).is_err() {
                return;
            }
        }
    });
    rx
}

pub fn next_line(
    rx: &Receiver<String>,
    within: Duration,
    want: impl Fn(&str) -> bool,
) -> Option<String> {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) if want(&l) => return Some(l),
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        }
    }
}

/// Rules off except the KPI alerts, so each test sees only what it
/// provokes; in a zone where it is about noon now, so the floors these tests
/// write (the last half hour, on the system clock `watch` follows) are in
/// today's window at any hour, also just after midnight UTC.
pub fn quiet_rules() -> String {
    use chrono::Timelike as _;
    // Etc/GMT-N is UTC+N (POSIX signs); 12 − hour is −11 … +12.
    let offset = 12 - i64::from(chrono::Utc::now().hour());
    let zone = match offset {
        0 => "UTC".to_owned(),
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    };
    format!(
        "timezone = \"{zone}\"\n\
[targets.abandon_rate]\ntarget = 0.05\nalert = 0.10\n\
[alerts]\nkpi_min_n = 1\nqueue_waiting = 0\nqueue_longest_wait_s = 0\n\
sla_due_within_min = 0\nsla_breached = false\nfeedback_overdue = false\n\
staffing_gap_min = 0\nstaffing_ahead_min = 0\nagent_flags = []\n"
    )
}

fn rfc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Ten answered calls in the last half hour: abandon rate 0.
pub fn answered_floor(path: &Path) {
    let now = chrono::Utc::now();
    let mut text = String::from(
        "{\"type\":\"queue\",\"id\":\"hotline\",\"name\":\"Hotline\",\"channel\":\"phone\"}\n",
    );
    for i in 0..10 {
        let a = now - chrono::Duration::minutes(30 - i);
        text.push_str(&format!(
            "{{\"type\":\"contact\",\"id\":\"c{i}\",\"queue\":\"hotline\",\"channel\":\"phone\",\"arrived_at\":\"{}\",\"answered_at\":\"{}\",\"ended_at\":\"{}\",\"talk_s\":180,\"wrap_s\":15,\"agent\":\"a1\"}}\n",
            rfc(a),
            rfc(a + chrono::Duration::seconds(5)),
            rfc(a + chrono::Duration::seconds(200)),
        ));
    }
    std::fs::write(path, text).expect("write floor");
}

/// Three abandoned calls: 3 of 13, 23.1 %, over the 10 % alert threshold.
pub fn append_abandons(path: &Path) {
    use std::io::Write;
    let now = chrono::Utc::now();
    let mut text = String::new();
    for i in 0..3 {
        let a = now - chrono::Duration::minutes(5 - i);
        text.push_str(&format!(
            "{{\"type\":\"contact\",\"id\":\"x{i}\",\"queue\":\"hotline\",\"channel\":\"phone\",\"arrived_at\":\"{}\",\"abandoned_at\":\"{}\"}}\n",
            rfc(a),
            rfc(a + chrono::Duration::seconds(40)),
        ));
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open");
    f.write_all(text.as_bytes()).expect("append");
}

fn setup(hook_url: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("shiftdeck.toml");
    std::fs::write(
        &config,
        format!(
            "{}\n[[alerts.webhook]]\nformat = \"json\"\nurl = \"{hook_url}\"\ntimeout_s = 1\n",
            quiet_rules()
        ),
    )
    .expect("config");
    let floor = dir.path().join("floor.ndjson");
    answered_floor(&floor);
    (dir, config, floor)
}

fn is_abandon_fire(l: &str) -> bool {
    serde_json::from_str::<Value>(l)
        .is_ok_and(|v| v["event"] == "fired" && v["alert"]["id"] == "kpi_alert:abandon_rate")
}

/// Waits until the receiver has `n` requests.
async fn requests(server: &TestServer, n: usize, within: Duration) -> Vec<crate::common::Request> {
    let t0 = Instant::now();
    while server.requests().len() < n && t0.elapsed() < within {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.requests()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appended_abandons_give_one_json_line_and_one_post() {
    let server = TestServer::start(|_| Reply::json("{}")).await;
    let (dir, config, floor) = setup(&server.url("/hook"));
    let floor_arg = floor.display().to_string();
    let w = Watch::start(dir.path(), &config, &["--file", &floor_arg]);
    // Loaded and quiet: nothing fires on ten answered calls.
    std::thread::sleep(Duration::from_secs(2));
    assert!(w.out.try_recv().is_err(), "a line before any abandon");
    append_abandons(&floor);
    let line = w
        .line(Duration::from_secs(30), is_abandon_fire)
        .expect("the abandon alert's JSON line");
    let v: Value = serde_json::from_str(&line).expect("json");
    assert_eq!(v["alert"]["rule"], "kpi_alert");
    assert_eq!(v["alert"]["severity"], "critical");
    assert_eq!(
        v["alert"]["message"],
        "Abandon rate 23.1% in alert (threshold 10.0%)"
    );
    let got = requests(&server, 1, Duration::from_secs(20)).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let body: Value = serde_json::from_slice(&got[0].body).expect("json body");
    assert_eq!(body["id"], "kpi_alert:abandon_rate");
    assert_eq!(body["event"], "fired");
    assert_eq!(body["message"], v["alert"]["message"]);
    // Still one: the alert holds, nothing fires again.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_between_the_alert_and_its_delivery_still_delivers_once() {
    // The first POST is never answered (the process dies waiting for it).
    let server = TestServer::start(|_| Reply::json("{}")).await;
    server.push(Reply::Slow(
        Duration::from_secs(120),
        Box::new(Reply::json("{}")),
    ));
    let (dir, config, floor) = setup(&server.url("/hook"));
    let floor_arg = floor.display().to_string();
    append_abandons(&floor);
    let mut w = Watch::start(dir.path(), &config, &["--file", &floor_arg]);
    w.line(Duration::from_secs(30), is_abandon_fire)
        .expect("the alert's line");
    assert_eq!(requests(&server, 1, Duration::from_secs(20)).await.len(), 1);
    w.signal(libc::SIGKILL);
    assert_eq!(w.wait(Duration::from_secs(10)), None, "killed");
    drop(w);

    // Restarted: the open episode is resumed (no second fire, no second
    // row); its row comes due once the dead process's claim has run out.
    let w = Watch::start(dir.path(), &config, &["--file", &floor_arg]);
    let got = requests(&server, 2, Duration::from_secs(30)).await;
    assert_eq!(got.len(), 2, "the row was posted again after the restart");
    assert_eq!(got[0].body, got[1].body, "the same alert, once answered");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(server.requests().len(), 2, "delivered once, not again");
    assert!(
        w.line(Duration::from_millis(500), is_abandon_fire)
            .is_none(),
        "no second fire after the restart"
    );
    drop(w);
    let store = shiftdeck::store::Store::open(&shiftdeck::store::path_in(&dir.path().join("data")))
        .expect("store");
    let rows = store.all_alert_deliveries().expect("rows");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].sent_at.is_some());
    assert_eq!(rows[0].attempts, 2);
}

#[test]
fn sigterm_stops_it_with_status_zero() {
    let (dir, config, floor) = setup("http://127.0.0.1:9/hook");
    let floor_arg = floor.display().to_string();
    let mut w = Watch::start(dir.path(), &config, &["--file", &floor_arg]);
    std::thread::sleep(Duration::from_secs(2));
    w.signal(libc::SIGTERM);
    assert_eq!(w.wait(Duration::from_secs(10)), Some(0));
}

#[test]
fn a_bad_config_or_an_unreadable_secret_stops_it_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let floor = dir.path().join("floor.ndjson");
    answered_floor(&floor);
    let floor_arg = floor.display().to_string();
    let run = |config_text: &str, env: &[(&str, &str)]| {
        let config = dir.path().join("bad.toml");
        std::fs::write(&config, config_text).expect("config");
        let mut cmd = shiftdeck_in(dir.path());
        cmd.arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(["watch", "--file", &floor_arg]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(
        "[[alerts.webhook]]\nformat = \"teams\"\nurl_env = \"U\"\n",
        &[],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("bad.toml:2: alerts.webhook[0].format: unknown value \"teams\""),
        "{err}"
    );
    let (code, err) = run(
        "[[alerts.webhook]]\nformat = \"wecom\"\nurl_env = \"SHIFTDECK_TEST_WECOM_URL\"\n",
        &[],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("alerts.webhook[0].url_env"), "{err}");
    assert!(err.contains("SHIFTDECK_TEST_WECOM_URL"), "{err}");
    // A robot URL over plain http off loopback: refused without quoting it.
    let (code, err) = run(
        "[[alerts.webhook]]\nformat = \"wecom\"\nurl_env = \"SHIFTDECK_TEST_WECOM_URL\"\n",
        &[(
            "SHIFTDECK_TEST_WECOM_URL",
            "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=very-secret-key-1",
        )],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("qyapi.weixin.qq.com"), "{err}");
    assert!(!err.contains("very-secret-key-1"), "{err}");
    // No source at all.
    let config = dir.path().join("empty.toml");
    std::fs::write(&config, "").expect("config");
    let out = shiftdeck_in(dir.path())
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("watch")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("needs a source"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
