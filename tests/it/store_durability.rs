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

#[test]
fn every_acknowledged_entry_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("shiftdeck.db");
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut acked_scores: Vec<(i64, u64)> = Vec::new();
    let mut acked_events: Vec<(i64, u64)> = Vec::new();
    let mut killed_mid_run = 0;
    const ITERATIONS: u64 = 40;
    for iteration in 0..ITERATIONS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shiftdeck"))
            .args(["store-torture", "--db"])
            .arg(&db)
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
        std::thread::sleep(Duration::from_millis(rng.next() % 120));
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
                "score" => acked_scores.push((id, n)),
                "event" => acked_events.push((id, n)),
                _ => panic!("unexpected line {line}"),
            }
        }
    }
    assert!(
        killed_mid_run >= ITERATIONS / 2,
        "the writer was rarely killed mid-run"
    );
    assert!(
        acked_scores.len() > 50,
        "too few entries acknowledged: {}",
        acked_scores.len()
    );

    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    for (id, n) in &acked_scores {
        let mut want = torture::entry(*n);
        want.id = Some(*id);
        assert_eq!(
            store.score_by_id(*id).unwrap().as_ref(),
            Some(&want),
            "entry {n}"
        );
    }
    let events = store.all_feedback_events().unwrap();
    for (id, n) in &acked_events {
        let want = torture::event(*n);
        let got = events
            .iter()
            .find(|e| e.id == *id)
            .expect("acknowledged event lost");
        assert_eq!(
            (&got.item, got.at, &got.author, &got.change),
            (&want.item, want.at, &want.author, &want.change)
        );
    }
}
