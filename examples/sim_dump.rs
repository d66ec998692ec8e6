//! Writes simulator output to a file for inspection and times the
//! generation (a development aid; `shiftdeck sim` is the user's command).
//!
//! ```sh
//! # history: SIM_DAYS (7), SIM_AGENTS (60), SIM_SEED (1) days from Mon 2026-11-16
//! SIM_DAYS=28 SIM_AGENTS=450 cargo run --release --example sim_dump -- /tmp/f.ndjson
//! # live mode: three seconds at 60× from 2026-11-17 10:00 (Asia/Shanghai)
//! cargo run --release --example sim_dump -- --live /tmp/live.ndjson
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone};
use shiftdeck::domain::Ts;
use shiftdeck::sim::{LiveClock, SimOptions, generate, run_live_with_clock};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn env(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let live = args.first().is_some_and(|a| a == "--live");
    if live {
        args.remove(0);
    }
    let default_out = if live {
        "/tmp/live.ndjson"
    } else {
        "/tmp/sim.ndjson"
    };
    let path = PathBuf::from(args.first().map_or(default_out, String::as_str));
    let monday = NaiveDate::from_ymd_opt(2026, 11, 16).ok_or("start date")?;
    let mut opts = SimOptions::new(monday, TZ);
    if live {
        opts.days = 1;
        opts.agents = 40;
        let start = TZ
            .with_ymd_and_hms(2026, 11, 17, 10, 0, 0)
            .single()
            .ok_or("start time")?;
        let clock = LiveClock::new(Ts::from_datetime(&start), 60.0);
        let stop = AtomicBool::new(false);
        let run = std::thread::scope(|scope| {
            let worker = scope.spawn(|| run_live_with_clock(&opts, &path, &clock, &stop));
            std::thread::sleep(Duration::from_secs(3));
            stop.store(true, Ordering::Relaxed);
            worker.join()
        });
        run.map_err(|_| "live run panicked")?
            .map_err(|e| format!("{}: {e}", path.display()))?;
        println!("three seconds of live mode in {}", path.display());
        return Ok(());
    }
    opts.days = env("SIM_DAYS", 7) as u32;
    opts.agents = env("SIM_AGENTS", 60) as u32;
    opts.seed = env("SIM_SEED", 1);
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let started = Instant::now();
    let stats = generate(&opts, &mut out).map_err(|e| format!("{}: {e}", path.display()))?;
    out.flush()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{stats:?} in {secs:.2} s: {:.0} contacts/s, {:.0} lines/s, into {}",
        stats.contacts as f64 / secs,
        stats.lines as f64 / secs,
        path.display()
    );
    Ok(())
}
