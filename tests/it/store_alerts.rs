//! Alerts in the store: an episode and its delivery rows in one
//! transaction, one open episode per alert id across two connections,
//! acknowledgements, delivery claims, the migration from version 4, and one source's episodes apart
//! from another's. The backend-neutral tests run on SQLite and PostgreSQL (`store_support`).

use rusqlite::Connection;
use shiftdeck::domain::Ts;
use shiftdeck::domain::alerts::{AlertObject, Rule, Severity};
use shiftdeck::store::alerts::delivery_key;
use shiftdeck::store::{self, AlertEvent, Store};

use crate::store_support::on_both;

fn object(id_subject: &str, message: &str) -> AlertObject {
    AlertObject {
        id: format!("kpi_alert:{id_subject}"),
        rule: Rule::KpiAlert,
        subject: id_subject.into(),
        severity: Severity::Critical,
        since: Ts::from_secs(1_000),
        message: message.into(),
    }
}

fn targets() -> Vec<String> {
    vec!["team-wecom".into(), "ops-slack".into()]
}

on_both!(a_fire_and_its_rows_are_written_together_and_once, |env| {
    let s = env.open("lee");
    let a = object("abandon_rate", "放弃率 12.0%，已进入告警（阈值 10.0%）");
    let ep = s
        .record_alert_fired(&a, Ts::from_secs(1_010), &targets())
        .unwrap()
        .expect("a new episode");
    // The same alert again while open: nothing new.
    assert_eq!(
        s.record_alert_fired(&a, Ts::from_secs(1_020), &targets())
            .unwrap(),
        None
    );
    let rows = s.all_alert_deliveries().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].target, "team-wecom");
    assert_eq!(rows[0].event, AlertEvent::Fired);
    assert_eq!(rows[0].episode, ep);
    assert_eq!(
        rows[0].idempotency_key,
        delivery_key(ep, AlertEvent::Fired, "team-wecom")
    );
    assert_eq!(rows[0].attempts, 0);
    assert_eq!(rows[0].next_attempt_at, Ts::from_secs(1_010));
    let body: serde_json::Value = serde_json::from_str(&rows[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"id": "kpi_alert:abandon_rate", "rule": "kpi_alert",
            "subject": "abandon_rate", "severity": "critical",
            "since": "1970-01-01T00:16:40Z",
            "message": "放弃率 12.0%，已进入告警（阈值 10.0%）"})
    );
    let open = s.open_alerts().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].fired_at, Ts::from_secs(1_010));
    assert_eq!(open[0].cleared_at, None);

    // The clear closes it and queues its own rows.
    let cleared = object("abandon_rate", "已解除：放弃率");
    assert_eq!(
        s.record_alert_cleared(&cleared, Ts::from_secs(1_200), &targets())
            .unwrap(),
        Some(ep)
    );
    assert_eq!(
        s.record_alert_cleared(&cleared, Ts::from_secs(1_300), &targets())
            .unwrap(),
        None,
        "nothing open: nothing written"
    );
    let rows = s.all_alert_deliveries().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3].event, AlertEvent::Cleared);
    assert!(s.open_alerts().unwrap().is_empty());
    // A second episode of the same alert is a new row.
    let ep2 = s
        .record_alert_fired(&a, Ts::from_secs(2_000), &[])
        .unwrap()
        .expect("a second episode");
    assert_ne!(ep, ep2);
    let recent = s.recent_alerts(Ts::from_secs(1_100), 10).unwrap();
    assert_eq!(
        recent.iter().map(|r| r.episode).collect::<Vec<_>>(),
        [ep2, ep],
        "newest first; the cleared one is recent enough"
    );
    assert_eq!(recent[1].cleared_at, Some(Ts::from_secs(1_200)));
    assert_eq!(
        s.recent_alerts(Ts::from_secs(1_201), 10).unwrap().len(),
        1,
        "cleared before the cut: left out"
    );
});

#[test]
fn a_failed_write_leaves_neither_the_episode_nor_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let s = Store::open(&path).unwrap();
    // Break the outbox insert: the episode must roll back with it.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER no_rows BEFORE INSERT ON alert_outbox
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    let a = object("csat", "m");
    assert!(
        s.record_alert_fired(&a, Ts::from_secs(10), &targets())
            .is_err()
    );
    assert!(s.open_alerts().unwrap().is_empty());
    assert!(s.all_alert_deliveries().unwrap().is_empty());
    // Without targets nothing is inserted there: the fire is recorded alone.
    assert!(
        s.record_alert_fired(&a, Ts::from_secs(10), &[])
            .unwrap()
            .is_some()
    );
}

on_both!(two_processes_record_one_episode, |env| {
    let (s1, s2) = (env.open("lee"), env.open("kim"));
    let a = object("fcr", "m");
    let first = s1
        .record_alert_fired(&a, Ts::from_secs(10), &targets())
        .unwrap();
    let second = s2
        .record_alert_fired(&a, Ts::from_secs(11), &targets())
        .unwrap();
    assert!(first.is_some());
    assert_eq!(second, None);
    assert_eq!(s1.all_alert_deliveries().unwrap().len(), 2);
    // One clear, whoever sees it first.
    assert!(
        s2.record_alert_cleared(&a, Ts::from_secs(20), &targets())
            .unwrap()
            .is_some()
    );
    assert!(
        s1.record_alert_cleared(&a, Ts::from_secs(21), &targets())
            .unwrap()
            .is_none()
    );
    assert_eq!(s1.all_alert_deliveries().unwrap().len(), 4);
});

on_both!(claims_sent_and_failed, |env| {
    let (s1, s2) = (env.open("lee"), env.open("kim"));
    s1.record_alert_fired(&object("aht_s", "m"), Ts::from_secs(100), &targets())
        .unwrap();
    let due = s1.due_alert_deliveries(Ts::from_secs(100), 10).unwrap();
    assert_eq!(due.len(), 2);
    assert!(
        s1.due_alert_deliveries(Ts::from_secs(99), 10)
            .unwrap()
            .is_empty(),
        "not due before it was queued"
    );
    let row = &due[0];
    // Two senders read the same row; one claim wins.
    assert!(
        s1.claim_alert_delivery(row.id, row.attempts, Ts::from_secs(130))
            .unwrap()
    );
    assert!(
        !s2.claim_alert_delivery(row.id, row.attempts, Ts::from_secs(130))
            .unwrap()
    );
    // Claimed: not due again before its retry time.
    let due = s2.due_alert_deliveries(Ts::from_secs(120), 10).unwrap();
    assert_eq!(due.len(), 1);
    assert_ne!(due[0].id, row.id);
    // It failed: the reason is kept, due again later.
    s1.alert_delivery_failed(row.id, "HTTP 503", Ts::from_secs(160))
        .unwrap();
    let again = s2.due_alert_deliveries(Ts::from_secs(160), 10).unwrap();
    let failed = again.iter().find(|r| r.id == row.id).unwrap();
    assert_eq!(failed.attempts, 1);
    assert_eq!(failed.last_error.as_deref(), Some("HTTP 503"));
    assert!(
        s2.claim_alert_delivery(row.id, 1, Ts::from_secs(190))
            .unwrap()
    );
    s2.alert_delivery_sent(row.id, Ts::from_secs(170)).unwrap();
    s1.alert_delivery_sent(row.id, Ts::from_secs(175)).unwrap();
    let all = s1.all_alert_deliveries().unwrap();
    let sent = all.iter().find(|r| r.id == row.id).unwrap();
    assert_eq!(
        sent.sent_at,
        Some(Ts::from_secs(170)),
        "the first mark stays"
    );
    assert_eq!(sent.last_error, None);
    assert!(
        !s1.claim_alert_delivery(row.id, 2, Ts::from_secs(300))
            .unwrap(),
        "a sent row is never claimed"
    );
    assert!(
        s1.due_alert_deliveries(Ts::from_secs(10_000), 10)
            .unwrap()
            .iter()
            .all(|r| r.id != row.id)
    );
});

#[test]
fn acknowledgements_are_kept_once_with_who_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let s = Store::open(&path).unwrap();
    let ep = s
        .record_alert_fired(&object("nps", "m"), Ts::from_secs(100), &[])
        .unwrap()
        .unwrap();
    assert_eq!(s.ack_alert(ep, "王芳", Ts::from_secs(130)).unwrap(), None);
    let earlier = s.ack_alert(ep, "lee", Ts::from_secs(140)).unwrap().unwrap();
    assert_eq!(earlier.who, "王芳");
    assert_eq!(earlier.at, Ts::from_secs(130));
    // Durable: a new connection reads it.
    drop(s);
    let s = Store::open(&path).unwrap();
    let open = s.open_alerts().unwrap();
    assert_eq!(open[0].ack.as_ref().map(|a| a.who.as_str()), Some("王芳"));
    // An episode that does not exist cannot be acknowledged.
    assert!(s.ack_alert(999, "lee", Ts::from_secs(150)).is_err());
    // A read-only store refuses.
    let ro = Store::open_read_only(&path).unwrap().unwrap();
    assert!(ro.ack_alert(ep, "lee", Ts::from_secs(160)).is_err());
    assert!(
        ro.record_alert_fired(&object("x", "m"), Ts::from_secs(1), &[])
            .is_err()
    );
}

#[test]
fn a_version_4_file_gets_the_alert_tables_and_keeps_its_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    {
        let c = Connection::open(&path).unwrap();
        for step in &store::schema::STEPS[..4] {
            c.execute_batch(step).unwrap();
        }
        c.execute_batch(
            "INSERT INTO outbox (idempotency_key, target, ticket, kind, body, created_at,
                 next_attempt_at) VALUES ('fb:rt-3:1', 'rt', '3', 'feedback_stage', 'x', 1, 1);
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), store::schema::CURRENT);
    assert_eq!(s.all_outbox().unwrap().len(), 1);
    assert!(s.open_alerts().unwrap().is_empty());
    assert!(
        s.record_alert_fired(&object("csat", "m"), Ts::from_secs(5), &targets())
            .unwrap()
            .is_some()
    );
    assert_eq!(
        s.all_outbox().unwrap().len(),
        1,
        "alert rows are not CRM write-back rows"
    );
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

on_both!(each_source_has_its_own_episodes, |env| {
    use shiftdeck::domain::SourceId;
    let a = env.open("lee").for_source(SourceId::new("file:/a.ndjson"));
    let b = env
        .open("kim")
        .for_source(SourceId::new("rt:https://rt.example"));
    let alert = object("csat", "m");
    assert!(
        a.record_alert_fired(&alert, Ts::from_secs(1), &targets())
            .unwrap()
            .is_some()
    );
    assert!(
        b.record_alert_fired(&alert, Ts::from_secs(2), &targets())
            .unwrap()
            .is_some(),
        "another floor's alert is another episode"
    );
    assert_eq!(a.open_alerts().unwrap().len(), 1);
    assert_eq!(b.open_alerts().unwrap()[0].fired_at, Ts::from_secs(2));
    assert!(
        a.record_alert_cleared(&alert, Ts::from_secs(3), &[])
            .unwrap()
            .is_some()
    );
    assert_eq!(b.open_alerts().unwrap().len(), 1, "b's stays open");
    // Every source's rows are due to the sender.
    assert_eq!(
        a.due_alert_deliveries(Ts::from_secs(9), 10).unwrap().len(),
        4
    );
});
