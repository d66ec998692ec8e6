//! The write-back outbox in the store: queued once per entry, in the same
//! transaction as the entry, due rows in order, sent and failed marks. Each
//! test runs on SQLite and on PostgreSQL (`store_support`).

use chrono::NaiveDate;
use shiftdeck::domain::Ts;
use shiftdeck::store::outbox::{self, KIND_FEEDBACK_STAGE, KIND_SPOT_CHECK};
use shiftdeck::store::{FeedbackChange, NewFeedbackEvent, NewOutboxEntry, SpotScore, Store};

use crate::store_support::on_both;

fn entry(key: &str, at: i64) -> NewOutboxEntry {
    NewOutboxEntry {
        idempotency_key: key.into(),
        target: "rt".into(),
        ticket: "7".into(),
        kind: KIND_SPOT_CHECK.into(),
        body: "text".into(),
        created_at: Ts::from_secs(at),
    }
}

fn score(contact: &str) -> SpotScore {
    SpotScore {
        id: None,
        day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        contact: contact.into(),
        agent: "a-1".into(),
        dimensions: vec![
            ("responsiveness".into(), 4),
            ("attitude".into(), 5),
            ("expertise".into(), 3),
            ("resolution".into(), 2),
        ],
        scale_max: 5,
        critical_customer: false,
        critical_business: true,
        critical_compliance: false,
        root_cause: Some(shiftdeck::domain::RootCause::Process),
        comment: "missed the refund rule".into(),
        author: "lee".into(),
        saved_at: Ts::from_secs(1_790_000_000),
    }
}

on_both!(the_same_key_is_queued_once, |env| {
    let s = env.open("lee");
    assert!(s.enqueue_outbox(&entry("spot:rt-7:1", 100)).unwrap());
    assert!(!s.enqueue_outbox(&entry("spot:rt-7:1", 200)).unwrap());
    let all = s.all_outbox().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].created_at, Ts::from_secs(100), "the first row stays");
    // Still never twice once it is sent.
    s.mark_sent(all[0].id, Ts::from_secs(150)).unwrap();
    assert!(!s.enqueue_outbox(&entry("spot:rt-7:1", 300)).unwrap());
    assert_eq!(s.all_outbox().unwrap().len(), 1);
});

on_both!(due_rows_in_order_and_marks, |env| {
    let s = env.open("lee");
    s.enqueue_outbox(&entry("a", 100)).unwrap();
    s.enqueue_outbox(&entry("b", 50)).unwrap();
    s.enqueue_outbox(&entry("c", 500)).unwrap();
    let keys = |v: Vec<shiftdeck::store::OutboxEntry>| {
        v.into_iter().map(|e| e.idempotency_key).collect::<Vec<_>>()
    };
    // At 100: b (due 50) then a (due 100); c is not due until 500.
    assert_eq!(
        keys(s.due_outbox(Ts::from_secs(100), 10).unwrap()),
        ["b", "a"]
    );
    assert_eq!(keys(s.due_outbox(Ts::from_secs(100), 1).unwrap()), ["b"]);
    let b = s.outbox_by_key("b").unwrap().unwrap();
    s.mark_failed(b.id, "HTTP 500", Ts::from_secs(400)).unwrap();
    let b = s.outbox_by_key("b").unwrap().unwrap();
    assert_eq!(b.attempts, 1);
    assert_eq!(b.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(keys(s.due_outbox(Ts::from_secs(100), 10).unwrap()), ["a"]);
    let a = s.outbox_by_key("a").unwrap().unwrap();
    s.mark_sent(a.id, Ts::from_secs(101)).unwrap();
    // At 450: b is due again; a is sent; c not yet.
    assert_eq!(keys(s.due_outbox(Ts::from_secs(450), 10).unwrap()), ["b"]);
    assert_eq!(
        keys(s.due_outbox(Ts::from_secs(500), 10).unwrap()),
        ["b", "c"]
    );
    let a = s.outbox_by_key("a").unwrap().unwrap();
    assert_eq!(a.sent_at, Some(Ts::from_secs(101)));
    // A later mark does not move the first acknowledgement.
    s.mark_sent(a.id, Ts::from_secs(999)).unwrap();
    assert_eq!(
        s.outbox_by_key("a").unwrap().unwrap().sent_at,
        Some(Ts::from_secs(101))
    );
});

on_both!(a_score_of_an_rt_contact_queues_its_comment_with_it, |env| {
    let s = env.open("lee");
    let (id, queued) = s.save_score_with_outbox(&score("rt-42")).unwrap();
    assert!(queued);
    let row = s
        .outbox_by_key(&format!("spot:rt-42:{id}"))
        .unwrap()
        .unwrap();
    assert_eq!((row.target.as_str(), row.ticket.as_str()), ("rt", "42"));
    assert_eq!(row.kind, KIND_SPOT_CHECK);
    // 4 + 5 + 3 + 2 = 14 of 20.
    assert!(row.body.contains("14/20"), "{}", row.body);
    assert!(
        row.body.contains("Critical errors: business"),
        "{}",
        row.body
    );
    assert!(row.body.contains("missed the refund rule"));
    // A contact from another source is saved without a row.
    let (_, queued) = s.save_score_with_outbox(&score("c-9")).unwrap();
    assert!(!queued);
    assert_eq!(s.all_outbox().unwrap().len(), 1);
    assert_eq!(outbox::rt_ticket_of("rt-42"), Some(42));
    assert_eq!(outbox::rt_ticket_of("rt-x"), None);
    assert_eq!(outbox::rt_ticket_of("zd-42"), None);
});

on_both!(
    a_stage_change_queues_a_comment_other_changes_do_not,
    |env| {
        let s = env.open("lee");
        let ev = |change| NewFeedbackEvent {
            item: "rt-5".into(),
            at: Ts::from_secs(1_790_000_100),
            author: "lee".into(),
            change,
        };
        let (id, queued) = s
            .add_feedback_event_with_outbox(&ev(FeedbackChange::Stage("callback".into())))
            .unwrap();
        assert!(queued);
        let row = s.outbox_by_key(&format!("fb:rt-5:{id}")).unwrap().unwrap();
        assert_eq!(row.kind, KIND_FEEDBACK_STAGE);
        assert_eq!(row.ticket, "5");
        assert!(row.body.contains("stage callback"), "{}", row.body);
        let (_, queued) = s
            .add_feedback_event_with_outbox(&ev(FeedbackChange::Owner("kim".into())))
            .unwrap();
        assert!(!queued);
        assert_eq!(s.all_outbox().unwrap().len(), 1);
        assert_eq!(s.all_feedback_events().unwrap().len(), 2);
    }
);

on_both!(the_entry_and_its_row_commit_together, |env| {
    env.open("lee");
    // A read-only store saves neither.
    let ro = Store::open_read_only_at(&env.loc).unwrap().unwrap();
    assert!(ro.save_score_with_outbox(&score("rt-1")).is_err());
    // Queueing fails after the score was inserted: the score is rolled back.
    env.raw_sql(
        "CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'full'); END;",
        "CREATE FUNCTION no_outbox() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'full'; END $$
             LANGUAGE plpgsql;
         CREATE TRIGGER no_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION no_outbox();",
    );
    let s = env.open("lee");
    assert!(s.save_score_with_outbox(&score("rt-1")).is_err());
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    assert!(s.scores(day, day).unwrap().is_empty());
    env.raw_sql(
        "DROP TRIGGER no_outbox;",
        "DROP TRIGGER no_outbox ON outbox;",
    );
    let (id, queued) = s.save_score_with_outbox(&score("rt-1")).unwrap();
    assert!(queued && s.score_by_id(id).unwrap().is_some());
    assert_eq!(s.all_outbox().unwrap().len(), 1);
});

on_both!(the_summary_counts_unsent_and_failing_rows, |env| {
    use shiftdeck::store::OutboxSummary;
    let s = env.open("lee");
    assert_eq!(s.outbox_summary().unwrap(), OutboxSummary::default());
    s.enqueue_outbox(&entry("a", 100)).unwrap();
    s.enqueue_outbox(&entry("b", 50)).unwrap();
    s.enqueue_outbox(&entry("c", 500)).unwrap();
    let id = |k: &str| s.outbox_by_key(k).unwrap().unwrap().id;
    // b failed twice (a 404: the ticket is gone), c once (a timeout); a sent.
    s.mark_failed(id("c"), "timeout", Ts::from_secs(600))
        .unwrap();
    assert!(s.begin_attempt(id("b"), 0, Ts::from_secs(200)).unwrap());
    // A second flusher that read the row before this claim gets nothing.
    assert!(!s.begin_attempt(id("b"), 0, Ts::from_secs(200)).unwrap());
    s.mark_failed(id("b"), "HTTP 404", Ts::from_secs(200))
        .unwrap();
    assert!(s.begin_attempt(id("b"), 1, Ts::from_secs(300)).unwrap());
    s.mark_failed(id("b"), "HTTP 404", Ts::from_secs(300))
        .unwrap();
    s.mark_sent(id("a"), Ts::from_secs(101)).unwrap();
    assert_eq!(
        s.outbox_summary().unwrap(),
        OutboxSummary {
            unsent: 2,
            failing: 2,
            oldest_unsent: Some(Ts::from_secs(50)),
            last_error: Some("HTTP 404".into()),
        }
    );
    // Once through, the row no longer counts.
    s.mark_sent(id("b"), Ts::from_secs(700)).unwrap();
    s.mark_sent(id("c"), Ts::from_secs(700)).unwrap();
    let done = s.outbox_summary().unwrap();
    assert_eq!((done.unsent, done.failing, done.last_error), (0, 0, None));
});
