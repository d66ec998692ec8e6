//! Saving a scorecard on PostgreSQL over loopback: 1 000 saves (each one
//! transaction with its write-back row, as the console saves an RT
//! contact's score), one at a time as a lead saves them, each timed from
//! the call to the durable answer. Prints p50, p99 and the slowest; the
//! target is p99 ≤ 20 ms. A fresh schema on the server `SHIFTDECK_PG_URL`
//! names (`eval "$(.ci/pg start)"`), dropped afterwards.
//!
//! `SHIFTDECK_PG_URL=… cargo bench --bench pg_save`

use std::sync::Arc;
use std::time::{Duration, Instant};

use shiftdeck::domain::SourceId;
use shiftdeck::store::pg::PgSettings;
use shiftdeck::store::torture::entry;
use shiftdeck::store::{SpotScore, Store, StoreLocation};

const SAVES: usize = 1_000;

fn main() {
    let Some(url) = std::env::var("SHIFTDECK_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        println!("pg_save: SKIPPED (set SHIFTDECK_PG_URL; `eval \"$(.ci/pg start)\"` prints one)");
        return;
    };
    let schema = format!("bench_{}", std::process::id());
    let Some(settings) = PgSettings::from_url(&url, Some(&schema)) else {
        eprintln!("pg_save: SHIFTDECK_PG_URL is not a postgres:// URL");
        std::process::exit(2);
    };
    let loc = StoreLocation::Postgres(Arc::new(settings));
    let store = match Store::open_at(&loc) {
        Ok(s) => s.for_source(SourceId::new("rt:https://rt.example.com")),
        Err(e) => {
            eprintln!("pg_save: {e}");
            std::process::exit(1);
        }
    };
    // Warm up: the connection, the statements' plans.
    for n in 0..20 {
        save(&store, 1_000_000 + n);
    }
    let mut took: Vec<Duration> = (0..SAVES as u64)
        .map(|n| {
            let t = Instant::now();
            save(&store, n);
            t.elapsed()
        })
        .collect();
    took.sort_unstable();
    let at = |q: f64| took[((took.len() as f64 * q).ceil() as usize).clamp(1, took.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "pg_save: {SAVES} saves (score + outbox row, one transaction each) over loopback: \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target: p99 <= 20 ms)",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(took[took.len() - 1])
    );
    drop(store);
    if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls) {
        let _ = c.batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"));
    }
}

fn save(store: &Store, n: u64) {
    let score = SpotScore {
        contact: format!("rt-{}", n + 1),
        ..entry(n)
    };
    if let Err(e) = store.save_score_with_outbox(&score) {
        eprintln!("pg_save: save {n}: {e}");
        std::process::exit(1);
    }
}
