//! `shiftdeck watch --serve`: the team's hub. A console following the hub
//! (`--crm feed+http://…`, here through `snapshot`, which reads with the
//! console's feed client) sees exactly what the hub follows; off loopback
//! the hub refuses to start without a token and refuses requests without
//! it; 50 idle followers are held for a minute without errors, the hub's
//! memory and CPU measured (docs/alerts.md quotes the figures).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli_support::{shiftdeck_in, stdout_ok};
use crate::watch_cli::{Watch, answered_floor, append_abandons, next_line, quiet_rules};

/// The address the hub says it serves on (`--serve …:0` picks a port).
fn served_addr(w: &Watch) -> String {
    let line = next_line(&w.err, Duration::from_secs(30), |l| l.contains("/feed"))
        .expect("the hub says where it serves");
    let start = line.find("http://").expect("url") + 7;
    let rest = &line[start..];
    rest[..rest.find("/feed").expect("/feed")].to_owned()
}

fn snapshot(home: &Path, config: &Path, source: &[&str], now: &str) -> Value {
    let mut cmd = shiftdeck_in(home);
    cmd.arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(home.join("data"))
        .arg("snapshot")
        .args(source)
        .args(["--now", now]);
    serde_json::from_str(&stdout_ok(&mut cmd)).expect("snapshot json")
}

/// One raw GET; the status and body.
fn get(addr: &str, target: &str, auth: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut req = format!("GET {target} HTTP/1.1\r\nHost: hub\r\n");
    if let Some(a) = auth {
        req.push_str(&format!("Authorization: {a}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("send");
    let mut text = String::new();
    s.read_to_string(&mut text).expect("read");
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The feed's first answer with `auth`, asked again until it holds `want`
/// records (the hub journals the file's lines as its engine loads them);
/// fails after 30 s or on an answer other than 200.
fn served_all(addr: &str, auth: &str, want: usize) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = get(addr, "/feed", Some(auth));
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).expect("feed json");
        let n = v["records"].as_array().map_or(0, Vec::len);
        if n == want {
            return (status, body);
        }
        assert!(n < want, "{n} records, more than the file's {want}: {body}");
        assert!(
            Instant::now() < deadline,
            "the hub serves {n} of {want} records"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_console_following_the_hub_sees_what_the_hub_follows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("shiftdeck.toml");
    std::fs::write(&config, quiet_rules()).expect("config");
    let floor = dir.path().join("floor.ndjson");
    answered_floor(&floor);
    let floor_arg = floor.display().to_string();
    let hub_home = dir.path().join("hub");
    let w = Watch::start(
        &hub_home,
        &config,
        &["--file", &floor_arg, "--serve", "127.0.0.1:0"],
    );
    let addr = served_addr(&w);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let crm = format!("feed+http://{addr}");
    let (lead, direct) = (dir.path().join("lead"), dir.path().join("direct"));
    let wait_same = |now: &str| {
        // The hub applies new lines within its poll (250 ms) and journals them.
        let t0 = Instant::now();
        loop {
            // Everything but the name of the source itself.
            let mut via_hub = snapshot(&lead, &config, &["--crm", &crm], now);
            let mut from_file = snapshot(&direct, &config, &["--file", &floor_arg], now);
            for v in [&mut via_hub, &mut from_file] {
                if let Some(o) = v.as_object_mut() {
                    o.remove("source");
                }
            }
            if via_hub == from_file {
                return via_hub;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "the hub's floor differs:\n{via_hub}\n{from_file}"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    };
    let before = wait_same(&now);
    assert_eq!(before["kpis"]["abandon_rate"]["value"], 0.0);
    assert_eq!(before["queues"][0]["answered"], 10);
    append_abandons(&floor);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let after = wait_same(&now);
    assert_eq!(after["queues"][0]["abandoned"], 3);
    assert_eq!(after["alerts"][0]["id"], "kpi_alert:abandon_rate");
    // The file replaced (a new inode): the hub starts over, and so do its
    // followers (reset), ending on the new file's floor.
    let replaced = dir.path().join("floor.new");
    answered_floor(&replaced);
    std::fs::rename(&replaced, &floor).expect("replace");
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let again = wait_same(&now);
    assert_eq!(again["queues"][0]["abandoned"], 0);
}

#[test]
fn off_loopback_the_hub_needs_a_token_and_refuses_requests_without_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("shiftdeck.toml");
    std::fs::write(&config, quiet_rules()).expect("config");
    let floor = dir.path().join("floor.ndjson");
    answered_floor(&floor);
    let floor_arg = floor.display().to_string();
    // No token: refused at start, saying why.
    let out = shiftdeck_in(dir.path())
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["watch", "--file", &floor_arg, "--serve", "0.0.0.0:0"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a bearer token"), "{err}");

    let token = "hub-token-5e1f00d";
    let token_file = dir.path().join("hub-token");
    std::fs::write(&token_file, format!("{token}\n")).expect("token");
    let w = Watch::start(
        dir.path(),
        &config,
        &[
            "--file",
            &floor_arg,
            "--serve",
            "0.0.0.0:0",
            "--token-file",
            &token_file.display().to_string(),
        ],
    );
    let line = next_line(&w.err, Duration::from_secs(30), |l| l.contains("/feed"))
        .expect("the hub says it serves");
    assert!(line.contains("must carry the bearer token"), "{line}");
    let port = line
        .rsplit(':')
        .find_map(|p| p.split('/').next()?.parse::<u16>().ok())
        .expect("port");
    let addr = format!("127.0.0.1:{port}");
    // With the token: the floor. The hub says where it serves before its
    // first load of the file is journaled, so an early answer may hold
    // part of the floor: ask again until it holds all 11 records.
    let (status, body) = served_all(&addr, &format!("Bearer {token}"), 11);
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&addr, "/feed", None);
    assert_eq!(status, 401, "{body}");
    assert!(!body.contains(token));
    assert_eq!(get(&addr, "/feed", Some("Bearer hub-token-5e1f00e")).0, 401);
    assert_eq!(get(&addr, "/feed", Some(&format!("Basic {token}"))).0, 401);
    // A console with the token (config [source] token_file) follows it.
    let lead_config = dir.path().join("lead.toml");
    std::fs::write(
        &lead_config,
        format!(
            "{}\n[source]\ntoken_file = \"{}\"\n",
            quiet_rules(),
            token_file.display()
        ),
    )
    .expect("config");
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let snap = snapshot(
        &dir.path().join("lead"),
        &lead_config,
        &["--crm", &format!("feed+http://{addr}")],
        &now,
    );
    assert_eq!(snap["queues"][0]["answered"], 10);
}

/// Resident memory and CPU time (user + system) of a process, from /proc.
fn usage(pid: u32) -> (u64, Duration) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    // Fields after the command name (which may hold spaces): utime is the
    // 14th field of the whole line, stime the 15th.
    let after = &stat[stat.rfind(')').expect(")") + 2..];
    let f: Vec<&str> = after.split(' ').collect();
    let ticks: u64 = f[11].parse::<u64>().expect("utime") + f[12].parse::<u64>().expect("stime");
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    (rss_kb, Duration::from_millis(ticks * 1000 / hz))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_idle_followers_are_held_for_a_minute() {
    let secs: u64 = std::env::var("SHIFTDECK_FOLLOWERS_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("shiftdeck.toml");
    std::fs::write(&config, quiet_rules()).expect("config");
    let floor = dir.path().join("floor.ndjson");
    answered_floor(&floor);
    let floor_arg = floor.display().to_string();
    let w = Watch::start(
        dir.path(),
        &config,
        &["--file", &floor_arg, "--serve", "127.0.0.1:0"],
    );
    let addr = served_addr(&w);
    let pid = w.child.id();
    // Each follower polls every second as a console does: the first call
    // gets the floor, then `since` + If-None-Match get 304 while idle.
    let url = format!("http://{addr}/feed");
    shiftdeck::source::http::install_tls_provider();
    let client = reqwest::Client::new();
    let stop = Instant::now() + Duration::from_secs(secs + 5);
    let mut tasks = Vec::new();
    for i in 0..50u64 {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(i * 20)).await;
            let (mut ok, mut not_modified, mut failed) = (0u64, 0u64, 0u64);
            let mut cursor: Option<String> = None;
            let mut etag: Option<String> = None;
            while Instant::now() < stop {
                let mut req = client.get(match &cursor {
                    Some(c) => format!("{url}?since={c}"),
                    None => url.clone(),
                });
                if let Some(e) = &etag {
                    req = req.header("If-None-Match", e);
                }
                match req.send().await {
                    Ok(r) if r.status().as_u16() == 304 => not_modified += 1,
                    Ok(r) if r.status().is_success() => {
                        etag = r
                            .headers()
                            .get("etag")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let bytes = r.bytes().await.unwrap_or_default();
                        let v: Value = serde_json::from_slice(&bytes).unwrap_or_default();
                        cursor = v["cursor"].as_str().map(str::to_owned);
                        ok += 1;
                    }
                    _ => failed += 1,
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            (ok, not_modified, failed)
        }));
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (rss0, cpu0) = usage(pid);
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    let (rss1, cpu1) = usage(pid);
    let wall = t0.elapsed();
    let (mut ok, mut not_modified, mut failed) = (0, 0, 0);
    for t in tasks {
        let (a, b, c) = t.await.expect("follower");
        ok += a;
        not_modified += b;
        failed += c;
    }
    let cpu_pct = (cpu1 - cpu0).as_secs_f64() / wall.as_secs_f64() * 100.0;
    eprintln!(
        "hub with 50 idle followers for {:.0} s: RSS {rss0} kB → {rss1} kB, CPU {:.2} s ({cpu_pct:.1} % of a core); {ok} answers 200, {not_modified} 304, {failed} failed",
        wall.as_secs_f64(),
        (cpu1 - cpu0).as_secs_f64()
    );
    assert_eq!(failed, 0);
    // Every follower got the floor once, then only "nothing new".
    assert_eq!(ok, 50);
    assert!(not_modified >= 50 * (secs - 2), "{not_modified}");
    // Idle followers cost the hub no memory per poll: a minute of
    // polling adds less than 8 MB (the figure measured is in the docs).
    assert!(rss1 < rss0 + 8 * 1024, "RSS {rss0} kB → {rss1} kB");
}
