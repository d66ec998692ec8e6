//! Kill the writer with SIGKILL at random moments while it saves; every
//! entry it acknowledged must be intact afterwards and the file consistent.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use shiftdeck::store::{Store, torture};

/// xorshift64*: a fixed-seed source of kill delays, so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// What the killed writers acknowledged: (row id, entry number).
#[derive(Default)]
struct Acked {
    scores: Vec<(i64, u64)>,
    events: Vec<(i64, u64)>,
}

/// Runs the `store-torture` writer `iterations` times with `args`, killing
/// it (SIGKILL) after a random delay up to `max_ms`; returns what it
/// acknowledged, after checking that at least half the runs were killed
/// mid-run and more than 50 scores were acknowledged (else the test would
/// prove little).
fn kill_writers(args: &[String], iterations: u64, max_ms: u64, seed: u64) -> Acked {
    let mut rng = Rng(seed);
    let mut acked = Acked::default();
    let mut killed_mid_run = 0;
    for iteration in 0..iterations {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shiftdeck"))
            .arg("store-torture")
            .args(args)
            .args(["--start", &(iteration * 1_000_000).to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        // From "still opening / migrating" to "hundreds of entries in".
        std::thread::sleep(Duration::from_millis(rng.next() % max_ms));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed_mid_run += 1;
        }
        for line in reader.join().unwrap() {
            let parts: Vec<&str> = line.split(' ').collect();
            // A line cut by the kill is not an acknowledgement.
            let [_, kind, id, n] = parts[..] else {
                continue;
            };
            let (Ok(id), Ok(n)) = (id.parse::<i64>(), n.parse::<u64>()) else {
                continue;
            };
            match kind {
                "score" => acked.scores.push((id, n)),
                "event" => acked.events.push((id, n)),
                _ => panic!("unexpected line {line}"),
            }
        }
    }
    assert!(
        killed_mid_run >= iterations / 2,
        "the writer was rarely killed mid-run ({killed_mid_run} of {iterations})"
    );
    assert!(
        acked.scores.len() > 50,
        "too few entries acknowledged: {}",
        acked.scores.len()
    );
    acked
}

/// Every acknowledged entry is in `store` as it was saved, and exactly
/// once: `rows_of(contact)` counts the score rows of a contact, and each
/// acknowledged event id is one event.
fn check_exactly_once(store: &Store, acked: &Acked, rows_of: impl Fn(&str) -> i64) {
    for (id, n) in &acked.scores {
        let mut want = torture::entry(*n);
        want.id = Some(*id);
        assert_eq!(
            store.score_by_id(*id).unwrap().as_ref(),
            Some(&want),
            "entry {n}"
        );
        assert_eq!(rows_of(&want.contact), 1, "entry {n} stored once");
    }
    let events = store.all_feedback_events().unwrap();
    for (id, n) in &acked.events {
        let want = torture::event(*n);
        let got: Vec<_> = events.iter().filter(|e| e.item == want.item).collect();
        assert_eq!(got.len(), 1, "event {n} stored once");
        assert_eq!(got[0].id, *id, "event {n}");
        assert_eq!(
            (&got[0].item, got[0].at, &got[0].author, &got[0].change),
            (&want.item, want.at, &want.author, &want.change)
        );
    }
}

#[test]
fn every_acknowledged_entry_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("shiftdeck.db");
    const ITERATIONS: u64 = 40;
    let args = vec!["--db".to_owned(), db.display().to_string()];
    let acked = kill_writers(&args, ITERATIONS, 120, 0x5eed_1234_abcd_0001);

    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let conn = rusqlite::Connection::open(&db).unwrap();
    check_exactly_once(&store, &acked, |contact| {
        conn.query_row(
            "SELECT COUNT(*) FROM spot_score WHERE contact = ?1",
            [contact],
            |r| r.get(0),
        )
        .unwrap()
    });
}

/// The same on PostgreSQL (skipped without `SHIFTDECK_PG_URL`): each
/// writer connects, migrates the first time, and is killed while it
/// saves; the server keeps every acknowledged entry, once.
#[test]
fn every_acknowledged_entry_survives_sigkill_on_postgres() {
    use crate::store_support::{Env, PG_URL_ENV, pg_client, skipped};
    let Some(env) = Env::postgres() else {
        return skipped("store_durability::every_acknowledged_entry_survives_sigkill_on_postgres");
    };
    let settings = env.pg().unwrap();
    let schema = settings.schema.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let args = vec![
        "--db".to_owned(),
        dir.path().join("shiftdeck.db").display().to_string(),
        "--pg-url".to_owned(),
        std::env::var(PG_URL_ENV).unwrap(),
        "--pg-schema".to_owned(),
        schema,
    ];
    const ITERATIONS: u64 = 25;
    let acked = kill_writers(&args, ITERATIONS, 400, 0x5eed_1234_abcd_0002);
    let store = env.open("check");
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let mut c = pg_client(&settings);
    let counts: std::collections::HashMap<String, i64> = c
        .query(
            "SELECT contact, COUNT(*) FROM spot_score GROUP BY contact",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    check_exactly_once(&store, &acked, |contact| {
        counts.get(contact).copied().unwrap_or(0)
    });
}
