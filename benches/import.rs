//! Importing 10 000 scorecards from a CSV file as `export` writes it
//! (`shiftdeck import spot-checks`): into a fresh SQLite store in a temp
//! dir, and into a fresh schema of the PostgreSQL server `SHIFTDECK_PG_URL`
//! names (over loopback; `eval "$(.ci/pg start)"`), then the same file
//! again (every row already there). Each run is timed from opening the
//! file to the last batch committed; the target is 10 000 within 5 s.
//!
//! `cargo bench --bench import` (add `SHIFTDECK_PG_URL=…` for PostgreSQL)

use std::sync::Arc;
use std::time::{Duration, Instant};

use shiftdeck::cli::export::spot_checks_csv;
use shiftdeck::cli::import::{Options, What, import_file};
use shiftdeck::domain::{SourceId, Ts};
use shiftdeck::i18n::Lang;
use shiftdeck::store::pg::PgSettings;
use shiftdeck::store::{SpotScore, Store, StoreLocation, torture};

const ROWS: u64 = 10_000;

fn main() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => fail(&format!("temp dir: {e}")),
    };
    let rows: Vec<(SourceId, SpotScore)> = (0..ROWS)
        .map(|n| (SourceId::new("file:/srv/floor.ndjson"), torture::entry(n)))
        .collect();
    let file = dir.path().join("scores.csv");
    let csv = spot_checks_csv(&rows, chrono_tz::UTC, Lang::En);
    if let Err(e) = std::fs::write(&file, &csv) {
        fail(&format!("write {}: {e}", file.display()));
    }
    let opts = Options {
        dimensions: ["responsiveness", "attitude", "expertise", "resolution"]
            .map(String::from)
            .to_vec(),
        scale_max: 5,
        tz: chrono_tz::UTC,
        now: Ts::from_secs(1_796_083_200),
    };
    println!(
        "import: {ROWS} scorecards, {:.1} MB of CSV, batches of {} rows (target: 10 000 within 5 s)",
        csv.len() as f64 / 1e6,
        shiftdeck::cli::import::BATCH
    );

    let sqlite = StoreLocation::Sqlite(dir.path().join("data").join("shiftdeck.db"));
    run("sqlite", &sqlite, &file, &opts);

    let Some(url) = std::env::var("SHIFTDECK_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        println!(
            "import postgres: SKIPPED (set SHIFTDECK_PG_URL; `eval \"$(.ci/pg start)\"` prints one)"
        );
        return;
    };
    let schema = format!("bench_import_{}", std::process::id());
    let Some(settings) = PgSettings::from_url(&url, Some(&schema)) else {
        fail("SHIFTDECK_PG_URL is not a postgres:// URL");
    };
    run(
        "postgres",
        &StoreLocation::Postgres(Arc::new(settings)),
        &file,
        &opts,
    );
    if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls) {
        let _ = c.batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"));
    }
}

fn run(name: &str, loc: &StoreLocation, file: &std::path::Path, opts: &Options) {
    let mut store = match Store::open_at(loc) {
        Ok(s) => s,
        Err(e) => fail(&format!("{name}: {e}")),
    };
    store.set_author("bench");
    let once = |label: &str| -> Duration {
        let t = Instant::now();
        let r = match import_file(&store, What::SpotChecks, file, opts, |_| {}) {
            Ok(r) => r,
            Err(e) => fail(&format!("{name}: {e}")),
        };
        let took = t.elapsed();
        println!(
            "import {name} ({label}): {} added, {} already there, {} bad in {:.2} s ({:.0} rows/s)",
            r.added,
            r.present,
            r.bad.len(),
            took.as_secs_f64(),
            ROWS as f64 / took.as_secs_f64()
        );
        took
    };
    once("fresh store");
    once("same file again");
}

fn fail(why: &str) -> ! {
    eprintln!("import bench: {why}");
    std::process::exit(1);
}
