//! `shiftdeck bench`'s line → webhook figure: how long an alert takes from
//! the line that causes it to its POST, through the pieces `watch` runs
//! (the engine following the files, the rules, the store's outbox, the
//! webhook sender), in this process, to a receiver on 127.0.0.1.
//!
//! The engine follows the bench files plus a file of its own, its clock at
//! `now` (the end of the data). Each round appends four waiting contacts
//! to a queue of its own; with `queue_waiting` at 3 for the bench, that
//! queue's alert fires, and the time is taken from the write to the
//! receiver reading the POST of that alert. The alerts the floor itself
//! holds are posted at start and waited out first.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::app::view::EngineMsg;
use crate::config::WebhookFormat;
use crate::domain::{Settings, Ts};
use crate::i18n::Lang;
use crate::runtime::alert_delivery::{self, Delivery, Wake};
use crate::runtime::engine::{self, Engine, EngineOptions};
use crate::source::webhook::{Sender, Webhook};
use crate::store::Store;

/// What the rounds came to.
pub struct AlertLatency {
    pub times: Vec<Duration>,
    /// Alerts of the floor itself, posted before the rounds.
    pub at_start: usize,
}

/// A POST the receiver read: when, and the alert's subject and event.
struct Posted {
    at: Instant,
    subject: String,
    event: String,
}

/// A webhook receiver on 127.0.0.1 answering `200 {}` to every POST.
fn receiver() -> std::io::Result<(String, Receiver<Posted>)> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let (tx, rx) = channel();
    std::thread::Builder::new()
        .name("bench-receiver".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let mut r = BufReader::new(match s.try_clone() {
                    Ok(c) => c,
                    Err(_) => continue,
                });
                let mut len = 0usize;
                let mut line = String::new();
                while r.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':')
                        && k.eq_ignore_ascii_case("content-length")
                    {
                        len = v.trim().parse().unwrap_or(0);
                    }
                    line.clear();
                }
                let mut body = vec![0u8; len];
                if r.read_exact(&mut body).is_err() {
                    continue;
                }
                let at = Instant::now();
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                );
                let text = |k: &str| v[k].as_str().unwrap_or("").to_owned();
                if tx
                    .send(Posted {
                        at,
                        subject: text("subject"),
                        event: text("event"),
                    })
                    .is_err()
                {
                    return;
                }
            }
        })?;
    Ok((url, rx))
}

/// Four contacts waiting in queue `queue` since a minute before `now`.
fn waiting_lines(queue: &str, now: Ts) -> String {
    let at = Ts::from_nanos(now.nanos() - 60_000_000_000);
    let mut s = format!("{{\"type\":\"queue\",\"id\":\"{queue}\",\"channel\":\"phone\"}}\n");
    for i in 0..4 {
        s.push_str(&format!(
            "{{\"type\":\"contact\",\"id\":\"{queue}-{i}\",\"queue\":\"{queue}\",\"channel\":\"phone\",\"arrived_at\":\"{at}\"}}\n"
        ));
    }
    s
}

/// Runs `rounds` rounds (see the module's doc).
pub fn alert_latency(
    files: &[PathBuf],
    settings: &Settings,
    now: Ts,
    rounds: u32,
) -> std::io::Result<AlertLatency> {
    let dir = std::env::temp_dir().join(format!("shiftdeck-alert-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(&dir, files, settings, now, rounds);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(
    dir: &std::path::Path,
    files: &[PathBuf],
    settings: &Settings,
    now: Ts,
    rounds: u32,
) -> std::io::Result<AlertLatency> {
    let extra = dir.join("appended.ndjson");
    std::fs::write(&extra, b"")?;
    let mut followed = files.to_vec();
    followed.push(extra.clone());
    let mut settings = settings.clone();
    settings.alerts.queue_waiting = Some(3);
    let store_path = dir.join("bench.db");
    let store = Store::open(&store_path).map_err(std::io::Error::other)?;
    let (url, posted) = receiver()?;
    let mut hook = Webhook::at(
        WebhookFormat::Json,
        reqwest::Url::parse(&url).map_err(std::io::Error::other)?,
        None,
    );
    hook.target = "bench".into();
    let delivery = Delivery {
        sender: Sender::new().map_err(std::io::Error::other)?,
        hooks: vec![hook],
        lang: Lang::En,
        tz: settings.timezone,
    };
    let wake = Wake::default();
    alert_delivery::spawn(store_path, delivery, wake.clone())?;
    let engine = Engine::new(EngineOptions {
        files: followed,
        label: "bench".into(),
        settings,
        reload_settings: None,
        shifts: crate::domain::window::Shifts::default(),
        clock: std::sync::Arc::new(move || now),
    })
    .with_sample_store(store)
    .with_alert_targets(vec!["bench".into()]);
    // As `watch` does: a view with changes wakes the sender.
    let (tx, views) = channel();
    let handle = engine::spawn(engine, move |m| {
        if let EngineMsg::View(v) = &m
            && !v.alerts.changes.is_empty()
        {
            wake.now();
        }
        tx.send(matches!(m, EngineMsg::View(_))).is_ok()
    })?;
    let none = || std::io::Error::other("the engine sent no view");
    // The first view, not the first message: the status says "loading"
    // long before the floor is read, and rounds started then would queue
    // their alerts behind every alert of the floor itself.
    while !views
        .recv_timeout(Duration::from_secs(600))
        .map_err(|_| none())?
    {}
    // The floor's own alerts go out first: wait until the receiver is quiet.
    let mut at_start = 0;
    while posted.recv_timeout(Duration::from_millis(1500)).is_ok() {
        at_start += 1;
    }
    let mut times = Vec::new();
    for i in 0..rounds {
        let queue = format!("bench-alert-{i}");
        std::thread::sleep(Duration::from_millis(300));
        let mut f = std::fs::OpenOptions::new().append(true).open(&extra)?;
        let t0 = Instant::now();
        f.write_all(waiting_lines(&queue, now).as_bytes())?;
        drop(f);
        loop {
            let p = posted
                .recv_timeout(Duration::from_secs(120))
                .map_err(|_| std::io::Error::other("no POST for the alert"))?;
            if p.subject == queue && p.event == "fired" {
                times.push(p.at.duration_since(t0));
                break;
            }
        }
    }
    handle.stop();
    Ok(AlertLatency { times, at_start })
}
