//! Alerts evaluated by the data engine after each change: fired into the
//! store with their delivery rows, shown in the view, cleared after the
//! hold-down, and resumed (not fired again) by the next engine on the
//! same store.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use shiftdeck::app::view::View;
use shiftdeck::domain::Settings;
use shiftdeck::domain::Ts;
use shiftdeck::domain::alerts::Severity;
use shiftdeck::domain::window::Shifts;
use shiftdeck::runtime::engine::{Engine, EngineOptions};
use shiftdeck::store::{AlertEvent, Store};

fn at(hms: &str) -> Ts {
    shiftdeck::domain::time::parse_rfc3339(&format!("2026-11-22T{hms}Z")).unwrap()
}

fn waiting(id: &str) -> String {
    format!(
        r#"{{"type":"contact","id":"{id}","channel":"phone","queue":"q1","arrived_at":"2026-11-22T09:00:00Z"}}"#
    ) + "\n"
}

fn answered(id: &str) -> String {
    format!(
        r#"{{"type":"contact","id":"{id}","channel":"phone","queue":"q1","arrived_at":"2026-11-22T09:00:00Z","answered_at":"2026-11-22T09:01:30Z"}}"#
    ) + "\n"
}

struct Rig {
    clock: Arc<AtomicI64>,
}

impl Rig {
    fn set(&self, t: Ts) {
        self.clock.store(t.nanos(), Ordering::SeqCst);
    }

    fn engine(&self, path: &Path, store: Store) -> Engine {
        let mut settings = Settings::default();
        settings.alerts.queue_waiting = Some(2);
        // w3 waits on: only the count is under test.
        settings.alerts.queue_longest_wait_s = None;
        let clock = self.clock.clone();
        Engine::new(EngineOptions {
            files: vec![path.to_path_buf()],
            label: "floor.ndjson".into(),
            settings,
            reload_settings: None,
            shifts: Shifts::default(),
            clock: Arc::new(move || Ts::from_nanos(clock.load(Ordering::SeqCst))),
        })
        .with_sample_store(store)
        .with_alert_targets(vec!["hook-1".into()])
    }
}

fn compute(e: &mut Engine) -> View {
    e.poll_sources();
    e.compute()
}

fn active_ids(v: &View) -> Vec<String> {
    v.alerts.active.iter().map(|a| a.id.clone()).collect()
}

#[test]
fn fired_recorded_cleared_and_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("floor.ndjson");
    let db = dir.path().join("shiftdeck.db");
    let queue = r#"{"type":"queue","id":"q1","name":"售后","channel":"phone"}"#;
    std::fs::write(
        &path,
        format!(
            "{queue}\n{}{}{}",
            waiting("w1"),
            waiting("w2"),
            waiting("w3")
        ),
    )
    .unwrap();
    let rig = Rig {
        clock: Arc::new(AtomicI64::new(0)),
    };
    rig.set(at("09:01:00"));
    let mut e = rig.engine(&path, Store::open(&db).unwrap());
    // Three waiting, more than 2: fired once, recorded with one row.
    let v = compute(&mut e);
    assert_eq!(active_ids(&v), ["queue_waiting:q1"]);
    assert_eq!(v.alerts.fired(), 1);
    assert_eq!(v.alerts.counts(), [0, 1, 0]);
    assert_eq!(v.alerts.active[0].severity, Severity::Warn);
    assert_eq!(
        v.alerts.active[0].message,
        "queue 售后: 3 waiting (limit 2)"
    );
    assert!(v.alerts.active[0].episode.is_some());
    assert_eq!(v.snapshot.alerts.len(), 1);
    let store = Store::open(&db).unwrap();
    let rows = store.all_alert_deliveries().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].event, rows[0].target.as_str()),
        (AlertEvent::Fired, "hook-1")
    );
    // Again, nothing new: no second fire, no second row.
    rig.set(at("09:01:10"));
    let v = compute(&mut e);
    assert_eq!(v.alerts.fired(), 0);
    assert_eq!(store.all_alert_deliveries().unwrap().len(), 1);

    // Two answered: 1 waiting. Still open during the 120 s hold-down.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    f.write_all((answered("w1") + &answered("w2")).as_bytes())
        .unwrap();
    rig.set(at("09:02:00"));
    let v = compute(&mut e);
    assert_eq!(active_ids(&v), ["queue_waiting:q1"]);
    rig.set(at("09:04:00"));
    let v = compute(&mut e);
    assert!(v.alerts.active.is_empty(), "{:?}", v.alerts);
    assert_eq!(v.alerts.changes.len(), 1);
    assert_eq!(v.alerts.changes[0].event, "cleared");
    assert_eq!(
        v.alerts.changes[0].alert.message,
        "cleared: queue 售后: 3 waiting (limit 2)"
    );
    assert_eq!(v.alerts.recent.len(), 1, "the cleared one is recent");
    assert_eq!(v.alerts.recent[0].cleared_at, Some(at("09:04:00")));
    assert!(store.open_alerts().unwrap().is_empty());
    assert_eq!(store.all_alert_deliveries().unwrap().len(), 2);

    // Waiting again: a new episode; then a restart finds it open and does
    // not fire it again.
    f.write_all((waiting("w1") + &waiting("w2")).as_bytes())
        .unwrap();
    rig.set(at("09:10:00"));
    let v = compute(&mut e);
    assert_eq!(v.alerts.fired(), 1);
    drop(e);
    let mut e2 = rig.engine(&path, Store::open(&db).unwrap());
    rig.set(at("09:10:30"));
    let v = compute(&mut e2);
    assert_eq!(active_ids(&v), ["queue_waiting:q1"]);
    assert_eq!(v.alerts.fired(), 0, "resumed, not fired again");
    assert_eq!(store.all_alert_deliveries().unwrap().len(), 3);
    // The resumed episode can be acknowledged, and the next view says who.
    let ep = v.alerts.active[0].episode.unwrap();
    assert_eq!(store.ack_alert(ep, "王芳", at("09:11:00")).unwrap(), None);
    rig.set(at("09:11:05"));
    let v = compute(&mut e2);
    assert_eq!(
        v.alerts.active[0].ack,
        Some(("王芳".to_string(), at("09:11:00")))
    );
}
