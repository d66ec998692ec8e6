//! `--crm` end to end: `sim --serve` publishes a live floor over the HTTP
//! feed, and `snapshot --crm` reads it through the feed client.

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Killed(std::process::Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn snapshot_reads_the_served_feed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let bin = env!("CARGO_BIN_EXE_shiftdeck");
    let _server = Killed(
        Command::new(bin)
            .args(["sim", "--out"])
            .arg(dir.path().join("floor.ndjson"))
            .args([
                "--serve", &addr, "--days", "1", "--agents", "8", "--speed", "60",
            ])
            .env("HOME", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sim --serve"),
    );
    let url = format!("feed+http://{addr}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let json = loop {
        let out = Command::new(bin)
            .args(["snapshot", "--crm", &url, "--format", "json"])
            .env("HOME", dir.path())
            .output()
            .expect("run snapshot");
        if out.status.success() {
            break serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON");
        }
        assert!(
            Instant::now() < deadline,
            "snapshot --crm never succeeded: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    let queues = json["queues"].as_array().expect("queues");
    assert!(!queues.is_empty(), "the simulated queues came over HTTP");
    assert!(json["kpis"]["aht_s"]["n"].as_f64().is_some());
}
