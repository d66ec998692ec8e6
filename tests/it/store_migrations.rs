//! Schema migrations from an empty file and from version 1, and the bad
//! conditions at open: a newer file, a corrupt file, a locked file.

use chrono::NaiveDate;
use rusqlite::Connection;
use shiftdeck::domain::{RootCause, Ts};
use shiftdeck::store::{self, FeedbackChange, NewFeedbackEvent, Store, StoreError};

/// The schema as version 1 shipped it, kept verbatim: the migration must
/// take files written by that build.
const V1_FIXTURE: &str = "
CREATE TABLE spot_sample (
    day TEXT NOT NULL, contact TEXT NOT NULL, agent TEXT NOT NULL, list TEXT NOT NULL,
    position INTEGER NOT NULL, drawn_at INTEGER NOT NULL, PRIMARY KEY (day, contact));
CREATE TABLE spot_score (
    id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, contact TEXT NOT NULL,
    agent TEXT NOT NULL, dimensions TEXT NOT NULL, critical_customer INTEGER NOT NULL,
    critical_business INTEGER NOT NULL, critical_compliance INTEGER NOT NULL, root_cause TEXT,
    comment TEXT NOT NULL DEFAULT '', author TEXT NOT NULL, saved_at INTEGER NOT NULL);
CREATE INDEX spot_score_day ON spot_score (day, contact);
INSERT INTO spot_sample VALUES ('2026-11-20', 'c-1', 'a-1', 'random', 0, 1790000000000000000);
INSERT INTO spot_score (day, contact, agent, dimensions, critical_customer, critical_business,
    critical_compliance, root_cause, comment, author, saved_at)
VALUES ('2026-11-20', 'c-1', 'a-1', '[[\"responsiveness\",4],[\"attitude\",5],[\"expertise\",3],[\"resolution\",4]]',
    0, 1, 0, 'process', 'old build', 'lee', 1790000000000000000);
PRAGMA user_version = 1;
";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

#[test]
fn an_empty_file_is_brought_to_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    std::fs::write(&path, b"").unwrap();
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), store::schema::CURRENT);
    assert_eq!(store::schema::CURRENT, 8);
    assert!(s.sample(day()).unwrap().is_empty());
    assert!(s.all_feedback_events().unwrap().is_empty());
    assert_eq!(s.integrity_check().unwrap(), "ok");
    // WAL is on and survives reopening.
    drop(s);
    let c = Connection::open(&path).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_missing_data_dir_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = store::path_in(&dir.path().join("deep").join("data"));
    Store::open(&path).unwrap();
    assert!(path.exists());
}

#[test]
fn a_version_1_file_keeps_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch(V1_FIXTURE)
        .unwrap();
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 8);
    let scores = s.scores(day(), day()).unwrap();
    assert_eq!(scores.len(), 1);
    let old = &scores[0];
    assert_eq!(old.contact, "c-1");
    assert_eq!(old.scale_max, 5, "v1 scores were on 1–5");
    // 16 of 20 raw; its business error voids it: 0 counts.
    assert_eq!((old.total(), old.raw_total(), old.max_total()), (0, 16, 20));
    assert!(old.critical_business && !old.critical_customer);
    assert_eq!(old.root_cause, Some(RootCause::Process));
    assert_eq!(s.sample(day()).unwrap()[0].contact, "c-1");
    // The version 2 tables work on the migrated file.
    let id = s
        .add_feedback_event(&NewFeedbackEvent {
            item: "fb-1".into(),
            at: Ts::from_secs(1_790_000_100),
            author: "lee".into(),
            change: FeedbackChange::Stage("handling".into()),
        })
        .unwrap();
    assert!(id > 0);
    drop(s);
    // Opening again is a no-op.
    let s = Store::open(&path).unwrap();
    assert_eq!(s.all_feedback_events().unwrap().len(), 1);
}

/// A version 2 file as that build left it: v1 plus the v2 step.
#[test]
fn a_version_2_file_gets_the_outbox_and_keeps_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(V1_FIXTURE).unwrap();
        c.execute_batch(store::schema::V2).unwrap();
        c.execute_batch(
            "INSERT INTO feedback_event (item, at, author, kind, value)
             VALUES ('fb-1', 1790000100000000000, 'lee', 'stage', 'handling');
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 8);
    assert_eq!(s.scores(day(), day()).unwrap().len(), 1);
    let events = s.all_feedback_events().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].change, FeedbackChange::Stage("handling".into()));
    // The outbox starts empty and works.
    assert!(s.all_outbox().unwrap().is_empty());
    let e = store::NewOutboxEntry {
        idempotency_key: "fb:rt-3:1".into(),
        target: "rt".into(),
        ticket: "3".into(),
        kind: store::outbox::KIND_FEEDBACK_STAGE.into(),
        body: "moved".into(),
        created_at: Ts::from_secs(1_790_000_200),
    };
    assert!(s.enqueue_outbox(&e).unwrap());
    assert!(!s.enqueue_outbox(&e).unwrap());
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.all_outbox().unwrap().len(), 1);
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn a_file_from_a_newer_build_is_refused_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::TooNew {
            found: 99,
            known: 8
        })
    ));
    let (store, msg) = store::open_for_console(&path, &shiftdeck::domain::SourceId::unrecorded());
    assert!(store.is_none());
    assert!(msg.unwrap().to_string().contains("newer"));
}

#[test]
fn a_corrupt_file_gives_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    std::fs::write(&path, vec![0x42u8; 8192]).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::Corrupt(..)), "{err:?}");
    assert!(err.to_string().contains("damaged"));
    let (store, msg) = store::open_for_console(&path, &shiftdeck::domain::SourceId::unrecorded());
    assert!(store.is_none());
    assert!(msg.unwrap().to_string().contains("damaged"));
}

#[test]
fn a_locked_file_opens_read_only_or_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    let writer = Store::open(&path).unwrap();
    writer
        .save_score(&shiftdeck::store::torture::entry(1))
        .unwrap();
    drop(writer);
    // Another program holds the file exclusively.
    let other = Connection::open(&path).unwrap();
    other
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE t(x); COMMIT;",
        )
        .unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::Locked(_)), "{err:?}");
    let (_store, msg) = store::open_for_console(&path, &shiftdeck::domain::SourceId::unrecorded());
    assert!(msg.unwrap().to_string().contains("locked"));
    drop(other);
    // Once released, the entry is still there.
    let s = Store::open(&path).unwrap();
    assert_eq!(s.scores(day(), day()).unwrap().len(), 1);
}

#[test]
fn a_read_only_store_refuses_writes_and_keeps_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    Store::open(&path)
        .unwrap()
        .save_score(&shiftdeck::store::torture::entry(2))
        .unwrap();
    let ro = Store::open_read_only(&path).unwrap().unwrap();
    assert!(ro.read_only_reason().is_some());
    assert_eq!(ro.scores(day(), day()).unwrap().len(), 1);
    let err = ro
        .save_score(&shiftdeck::store::torture::entry(3))
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::ReadOnly(_)));
    assert!(
        Store::open_read_only(&dir.path().join("none.db"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn the_sample_keeps_its_first_listing_and_rescoring_keeps_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    let row = |c: &str, list: &str| store::SampleRow {
        contact: c.into(),
        agent: "a-1".into(),
        list: list.into(),
    };
    let t = Ts::from_secs(1_790_000_000);
    assert_eq!(
        s.add_to_sample(day(), &[row("c-1", "random"), row("c-2", "targeted")], t)
            .unwrap(),
        2
    );
    // Drawn again later: c-2 now random, c-3 new. c-2 keeps its first list.
    assert_eq!(
        s.add_to_sample(day(), &[row("c-2", "random"), row("c-3", "random")], t)
            .unwrap(),
        1
    );
    let got = s.sample(day()).unwrap();
    assert_eq!(
        got,
        vec![
            row("c-1", "random"),
            row("c-2", "targeted"),
            row("c-3", "random")
        ]
    );
    let mut a = shiftdeck::store::torture::entry(5);
    a.contact = "c-1".into();
    s.save_score(&a).unwrap();
    a.dimensions[0].1 = 1;
    a.comment = "rescored".into();
    let id2 = s.save_score(&a).unwrap();
    let scores = s.scores(day(), day()).unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].id, Some(id2));
    assert_eq!(scores[0].comment, "rescored");
}

/// Read-only commands (`export`, `snapshot`) on a store an older build left
/// (schema version 1) and on a 0-byte file, through the real binary: they
/// read the entries as today's schema has them and leave the file as it is.
#[test]
fn read_only_commands_read_old_and_empty_stores_without_migrating() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = store::path_in(&data);
    Connection::open(&db)
        .unwrap()
        .execute_batch(V1_FIXTURE)
        .unwrap();
    let cfg = std::path::Path::new(crate::cli_support::UTC_CONFIG);
    let csv =
        crate::cli_support::stdout_ok(crate::cli_support::shiftdeck_with(home.path(), cfg).args([
            "export",
            "spot-checks",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-20",
        ]));
    let row = csv.split("\r\n").nth(1).unwrap_or("");
    // responsiveness 4, attitude 5, expertise 3, resolution 4: 16 of 20 raw
    // (v1: 1–5); the business error voids it, so the total is 0.
    assert!(
        row.starts_with("2026-11-20,c-1,a-1,4,5,3,4,0,20,5,no,yes,no,process,old build,lee,"),
        "{csv}"
    );
    let version: i64 = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "a read-only command does not migrate the file");

    let floor = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/small-floor.ndjson"
    );
    let snapshot = |home: &std::path::Path| {
        crate::cli_support::stdout_ok(crate::cli_support::shiftdeck_with(home, cfg).args([
            "snapshot",
            "--file",
            floor,
            "--now",
            "2026-11-22T12:00:00Z",
        ]))
    };
    let json: serde_json::Value = serde_json::from_str(&snapshot(home.path())).unwrap();
    assert!(json.get("kpis").is_some(), "{json}");
    // `report weekly` reads the notes table a version 1 file does not have.
    let report = |home: &std::path::Path| {
        crate::cli_support::stdout_ok(
            crate::cli_support::shiftdeck_with(home, cfg)
                .args(["report", "weekly", "--file", floor, "--week", "2026-W47"]),
        )
    };
    assert!(report(home.path()).contains("2026-W47"));
    let version: i64 = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "still not migrated");

    // A 0-byte store (a crash before the first write): nothing entered.
    std::fs::write(&db, b"").unwrap();
    let json: serde_json::Value = serde_json::from_str(&snapshot(home.path())).unwrap();
    assert!(json.get("kpis").is_some(), "{json}");
    assert!(report(home.path()).contains("2026-W47"));
    let csv = crate::cli_support::stdout_ok(
        crate::cli_support::shiftdeck_with(home.path(), cfg).args(["export", "feedback"]),
    );
    assert_eq!(
        csv,
        "at,item,author,change,value,source\r\n\
         \r\n\
         item,stage,owner,due,result,callback_result,root_cause,action,last_change,source\r\n"
    );
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "left as it was");
}

/// `export` run by someone who may only read the data dir (a supervisor, a
/// read-only mount) on a WAL store: SQLite cannot create the `-shm` file
/// beside it, so the store is read through a private copy. Two cases: a
/// store closed cleanly (everything in the file), and one whose last
/// entries are still in its `-wal` (the console still running, or killed).
/// As root the command runs as `nobody` (root may write anywhere).
#[cfg(unix)]
#[test]
fn a_read_only_data_dir_with_a_wal_store_reads_every_entry() {
    use std::os::unix::fs::PermissionsExt;
    let root = running_as_root();
    if root
        && !std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        println!("SKIPPED: running as root without setpriv to drop to another user");
        return;
    }
    for unclean in [false, true] {
        let home = tempfile::tempdir().unwrap();
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let data = home.path().join("data");
        let db = store::path_in(&data);
        let s = Store::open(&db).unwrap();
        s.save_score(&store::torture::entry(1)).unwrap();
        s.save_score(&store::torture::entry(2)).unwrap();
        if unclean {
            // Never closed: the entries stay in the WAL, not yet in the file.
            let raw = Connection::open(&db).unwrap();
            raw.execute_batch("PRAGMA wal_autocheckpoint = 0").unwrap();
            s.save_score(&store::torture::entry(3)).unwrap();
            std::mem::forget(raw);
            std::mem::forget(s);
            let wal = data.join(format!("{}-wal", store::FILE_NAME));
            assert!(
                std::fs::metadata(&wal).unwrap().len() > 0,
                "entries in the WAL"
            );
        } else {
            drop(s);
        }
        let mut files: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in &files {
            std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o444)).unwrap();
        }
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
        let cfg = home.path().join("shiftdeck.toml");
        std::fs::write(&cfg, "timezone = \"UTC\"\n").unwrap();
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();

        let mut cmd = if root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_shiftdeck"));
            c
        } else {
            std::process::Command::new(env!("CARGO_BIN_EXE_shiftdeck"))
        };
        let out = cmd
            .env("HOME", home.path())
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env_remove("SHIFTDECK_CONFIG")
            .arg("--config")
            .arg(&cfg)
            .arg("--data-dir")
            .arg(&data)
            .args(["export", "spot-checks", "--from", "2026-11-20"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "unclean={unclean}: {stderr}");
        let contacts: Vec<&str> = stdout
            .split("\r\n")
            .skip(1)
            .filter_map(|l| l.split(',').nth(1))
            .collect();
        let want: &[&str] = if unclean {
            &["c-1", "c-2", "c-3"]
        } else {
            &["c-1", "c-2"]
        };
        assert_eq!(contacts, want, "unclean={unclean}: {stdout}{stderr}");
        // The data dir is as it was.
        let mut after: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        after.sort();
        assert_eq!(after, files);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Whether this process runs as root (who may write into a 0555 folder).
#[cfg(unix)]
fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The shift that the migration tests acknowledge.
fn shift() -> shiftdeck::domain::Window {
    shiftdeck::domain::Window {
        from: Ts::from_secs(1_790_000_000),
        to: Ts::from_secs(1_790_028_800),
    }
}

/// A version 6 file as that build left it (every step up to v6, a score
/// and an acknowledged alert): v7 adds the handover acknowledgements and
/// keeps the rest.
#[test]
fn a_version_6_file_gets_handover_acks_and_keeps_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(V1_FIXTURE).unwrap();
        for step in &store::schema::STEPS[1..6] {
            c.execute_batch(step).unwrap();
        }
        c.execute_batch(
            "INSERT INTO alert (source, alert_id, rule, subject, severity, since, fired_at, message)
             VALUES ('', 'kpi_alert:fcr', 'kpi_alert', 'fcr', 'warn', 1, 2, 'FCR low');
             INSERT INTO alert_ack (alert, who, at) VALUES (1, 'lee', 3);
             PRAGMA user_version = 6;",
        )
        .unwrap();
        let t: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'handover_ack'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(t, 0, "a v6 file has no handover_ack");
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 8);
    assert_eq!(s.scores(day(), day()).unwrap().len(), 1);
    let alerts = s.recent_alerts(Ts::from_secs(0), 10).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].ack.as_ref().map(|a| a.who.as_str()), Some("lee"));
    assert_eq!(s.handover_ack(shift()).unwrap(), None);
    assert_eq!(
        s.ack_handover(shift(), "kim", Ts::from_secs(1_790_029_000))
            .unwrap(),
        None
    );
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(
        s.handover_ack(shift()).unwrap(),
        Some(store::HandoverAck {
            who: "kim".into(),
            at: Ts::from_secs(1_790_029_000)
        })
    );
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

/// A PostgreSQL database at version 1 (as that build created it, with a
/// score in it) is brought to the current version (2: the handover
/// acknowledgements; 3: who imported an entry),
/// the score kept; `store check` finds it sound. Skipped without
/// `SHIFTDECK_PG_URL`.
#[test]
fn a_postgres_version_1_database_gets_handover_acks_and_keeps_its_entries() {
    use crate::store_support::{Env, pg_client, skipped};
    let Some(env) = Env::postgres() else {
        return skipped("store_migrations::a_postgres_version_1_database");
    };
    let settings = env.pg().unwrap();
    let schema = settings.schema.clone().unwrap();
    {
        let url = std::env::var(crate::store_support::PG_URL_ENV).unwrap();
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(&format!("CREATE SCHEMA \"{schema}\""))
            .unwrap();
        let mut c = pg_client(&settings);
        c.batch_execute(store::pg::schema::V1).unwrap();
        c.batch_execute(
            "CREATE TABLE shiftdeck_schema (version BIGINT NOT NULL);
             INSERT INTO shiftdeck_schema (version) VALUES (1);
             INSERT INTO spot_score (day, contact, agent, dimensions, critical_customer,
                 critical_business, critical_compliance, comment, author, saved_at)
             VALUES ('2026-11-20', 'c-1', 'a-1',
                 '[[\"responsiveness\",4],[\"attitude\",5],[\"expertise\",3],[\"resolution\",4]]',
                 false, true, false, '', 'lee', 1790000000000000000);",
        )
        .unwrap();
    }
    let s = env.open("kim");
    assert_eq!(s.schema_version().unwrap(), 3);
    assert_eq!(store::pg::schema::CURRENT, 3);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    assert_eq!(s.scores(day(), day()).unwrap().len(), 1);
    assert_eq!(
        s.ack_handover(shift(), "kim", Ts::from_secs(1_790_029_000))
            .unwrap(),
        None
    );
    // A second console migrates nothing and reads the acknowledgement.
    let again = env.open("lee");
    assert_eq!(again.schema_version().unwrap(), 3);
    assert_eq!(
        again
            .ack_handover(shift(), "lee", Ts::from_secs(1_790_030_000))
            .unwrap()
            .map(|a| a.who),
        Some("kim".to_owned())
    );
}
