//! The store's entries on both backends (SQLite, and PostgreSQL when
//! `SHIFTDECK_PG_URL` is set): what is saved reads back identical, in the
//! same order, with who made it; claims; the change stamp; read-only
//! refusal; schema version and integrity.

use chrono::NaiveDate;
use shiftdeck::domain::{RootCause, Ts};
use shiftdeck::store::torture::{entry, event};
use shiftdeck::store::{
    BackendKind, Claim, FeedbackChange, KpiNote, NewFeedbackEvent, SampleRow, Store, StoreError,
};

use crate::store_support::on_both;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn row(contact: &str, agent: &str, list: &str) -> SampleRow {
    SampleRow {
        contact: contact.into(),
        agent: agent.into(),
        list: list.into(),
    }
}

on_both!(a_new_store_is_at_the_current_version_and_sound, |env| {
    let s = env.open("lee");
    let kind = if env.is_pg() {
        BackendKind::Postgres
    } else {
        BackendKind::Sqlite
    };
    assert_eq!(s.kind(), kind);
    assert_eq!(s.schema_version().unwrap(), s.backend().current_version());
    assert_eq!(s.integrity_check().unwrap(), "ok");
    s.ping().unwrap();
    // Opening again (a second console) migrates nothing and loses nothing.
    s.save_score(&entry(1)).unwrap();
    let again = env.open("kim");
    assert_eq!(again.scores(day(), day()).unwrap().len(), 1);
});

on_both!(
    scores_read_back_identical_newest_per_contact_in_order,
    |env| {
        let s = env.open("lee");
        // entry(n): contact c-n, agent a-(n % 7), all fields varying with n.
        let mut saved = Vec::new();
        for n in [3, 10, 4, 17] {
            let id = s.save_score(&entry(n)).unwrap();
            let mut e = entry(n);
            e.id = Some(id);
            assert_eq!(s.score_by_id(id).unwrap().as_ref(), Some(&e), "entry {n}");
            saved.push(e);
        }
        // c-10 scored again: the newest row counts, the old one stays.
        let mut again = entry(10);
        again.comment = "second look".into();
        again.author = "kim".into();
        let id2 = s.save_score(&again).unwrap();
        let list = s.scores(day(), day()).unwrap();
        let order: Vec<(&str, &str)> = list
            .iter()
            .map(|x| (x.agent.as_str(), x.contact.as_str()))
            .collect();
        // By agent (a-3: c-10, c-17 and c-3; a-4: c-4), then contact as bytes.
        assert_eq!(
            order,
            [
                ("a-3", "c-10"),
                ("a-3", "c-17"),
                ("a-3", "c-3"),
                ("a-4", "c-4")
            ]
        );
        let c10 = &list[0];
        assert_eq!((c10.id, c10.author.as_str()), (Some(id2), "kim"));
        assert_eq!(c10.comment, "second look");
        assert!(s.score_by_id(saved[1].id.unwrap()).unwrap().is_some());
        // Another day is empty; an unknown id is none.
        let next = day().succ_opt().unwrap();
        assert!(s.scores(next, next).unwrap().is_empty());
        assert_eq!(s.score_by_id(999_999).unwrap(), None);
    }
);

on_both!(every_field_of_a_score_survives, |env| {
    let s = env.open("lee");
    let mut odd = entry(33);
    odd.contact = "c-'; DROP TABLE spot_score; --".into();
    odd.comment = "王芳: \"quoted\"\nsecond line, 100% ✓".into();
    odd.root_cause = Some(RootCause::Product);
    odd.scale_max = 10;
    odd.dimensions = vec![("速度".into(), 10), ("attitude".into(), 1)];
    let id = s.save_score(&odd).unwrap();
    odd.id = Some(id);
    assert_eq!(s.score_by_id(id).unwrap(), Some(odd.clone()));
    assert_eq!(s.scores(day(), day()).unwrap(), vec![odd]);
});

on_both!(the_sample_keeps_its_first_listing_and_who_drew_it, |env| {
    let mut s = env.open("lee");
    let t = Ts::from_secs(1_790_000_000);
    let added = s
        .add_to_sample(
            day(),
            &[row("c-1", "a-1", "random"), row("c-2", "a-2", "targeted")],
            t,
        )
        .unwrap();
    assert_eq!(added, 2);
    // Another console lists c-2 again (kept as first listed) and c-3.
    let mut other = env.open("kim");
    let added = other
        .add_to_sample(
            day(),
            &[row("c-2", "a-9", "random"), row("c-3", "a-3", "random")],
            t,
        )
        .unwrap();
    assert_eq!(added, 1);
    assert_eq!(
        s.sample(day()).unwrap(),
        vec![
            row("c-1", "a-1", "random"),
            row("c-2", "a-2", "targeted"),
            row("c-3", "a-3", "random")
        ]
    );
    assert!(s.sample(day().succ_opt().unwrap()).unwrap().is_empty());
});

on_both!(feedback_events_in_time_order_with_their_authors, |env| {
    let s = env.open("lee");
    let at = |secs: i64| Ts::from_secs(1_790_000_000 + secs);
    let ev = |item: &str, secs, author: &str, change| NewFeedbackEvent {
        item: item.into(),
        at: at(secs),
        author: author.into(),
        change,
    };
    let a = s
        .add_feedback_event(&ev(
            "fb-1",
            20,
            "lee",
            FeedbackChange::Stage("handling".into()),
        ))
        .unwrap();
    let b = s
        .add_feedback_event(&ev("fb-2", 10, "kim", FeedbackChange::Owner("王芳".into())))
        .unwrap();
    // Same time as a: after it (saving order).
    let c = s
        .add_feedback_event(&ev("fb-1", 20, "kim", FeedbackChange::Owner(String::new())))
        .unwrap();
    let all = s.all_feedback_events().unwrap();
    let seen: Vec<(i64, &str, &str)> = all
        .iter()
        .map(|e| (e.id, e.item.as_str(), e.author.as_str()))
        .collect();
    assert_eq!(
        seen,
        [(b, "fb-2", "kim"), (a, "fb-1", "lee"), (c, "fb-1", "kim")]
    );
    assert_eq!(all[2].change, FeedbackChange::Owner(String::new()));
    // Half-open window: at(20) is outside [at(10), at(20)).
    let window = s.feedback_events(at(10), at(20)).unwrap();
    assert_eq!(window.len(), 1);
    assert_eq!(window[0].id, b);
    // A kind this build does not know stays stored and is skipped.
    env.raw_sql(
        "INSERT INTO feedback_event (item, at, author, kind, value)
         VALUES ('fb-9', 0, 'x', 'colour', 'blue')",
        "INSERT INTO feedback_event (item, at, author, kind, value)
         VALUES ('fb-9', 0, 'x', 'colour', 'blue')",
    );
    assert_eq!(s.all_feedback_events().unwrap().len(), 3);
    assert_eq!(s.change_stamp().unwrap().feedback.1, 4);
});

on_both!(a_kpi_note_is_replaced_by_the_later_save, |env| {
    let s = env.open("lee");
    let note = |kpi: &str, cause: &str, author: &str, secs| KpiNote {
        week: "2026-W47".into(),
        kpi: kpi.into(),
        cause: cause.into(),
        action: format!("act on {cause}"),
        author: author.into(),
        saved_at: Ts::from_secs(secs),
    };
    s.save_kpi_note(&note("fcr", "repeat calls", "lee", 100))
        .unwrap();
    s.save_kpi_note(&note("Aht_s", "new hires", "lee", 110))
        .unwrap();
    s.save_kpi_note(&note("fcr", "billing bug", "kim", 120))
        .unwrap();
    let notes = s.kpi_notes("2026-W47").unwrap();
    // By key as bytes: "Aht_s" < "fcr".
    assert_eq!(
        notes,
        vec![
            note("Aht_s", "new hires", "lee", 110),
            note("fcr", "billing bug", "kim", 120)
        ]
    );
    assert!(s.kpi_notes("2026-W48").unwrap().is_empty());
});

on_both!(a_claimed_scorecard_is_refused_to_the_second_lead, |env| {
    let lee = env.open("lee");
    let kim = env.open("kim");
    let t = |secs: i64| Ts::from_secs(1_790_000_000 + secs);
    assert_eq!(
        lee.claim_scorecard(day(), "c-7", t(0), t(600)).unwrap(),
        Claim::Mine { until: t(600) }
    );
    // Kim is told who scores it and until when.
    assert_eq!(
        kim.claim_scorecard(day(), "c-7", t(10), t(610)).unwrap(),
        Claim::Taken {
            by: "lee".into(),
            until: t(600)
        }
    );
    // Another contact, or another day, is free.
    assert!(matches!(
        kim.claim_scorecard(day(), "c-8", t(10), t(610)).unwrap(),
        Claim::Mine { .. }
    ));
    let next = day().succ_opt().unwrap();
    assert!(matches!(
        kim.claim_scorecard(next, "c-7", t(10), t(610)).unwrap(),
        Claim::Mine { .. }
    ));
    // Lee opening it again renews it.
    assert_eq!(
        lee.claim_scorecard(day(), "c-7", t(300), t(900)).unwrap(),
        Claim::Mine { until: t(900) }
    );
    // Kim releasing does not free Lee's claim.
    kim.release_scorecard(day(), "c-7").unwrap();
    assert!(matches!(
        kim.claim_scorecard(day(), "c-7", t(400), t(1000)).unwrap(),
        Claim::Taken { .. }
    ));
    // Expired: Kim takes it over.
    assert_eq!(
        kim.claim_scorecard(day(), "c-7", t(900), t(1500)).unwrap(),
        Claim::Mine { until: t(1500) }
    );
    // Released by its holder: free at once.
    kim.release_scorecard(day(), "c-7").unwrap();
    assert_eq!(
        lee.claim_scorecard(day(), "c-7", t(901), t(1501)).unwrap(),
        Claim::Mine { until: t(1501) }
    );
});

on_both!(
    concurrent_claims_of_one_scorecard_give_it_to_one_lead,
    |env| {
        let leads: Vec<Store> = (0..6).map(|i| env.open(&format!("lead-{i}"))).collect();
        let barrier = std::sync::Barrier::new(leads.len());
        let t = Ts::from_secs(1_790_000_000);
        let until = Ts::from_secs(1_790_000_600);
        let got: Vec<Claim> = std::thread::scope(|scope| {
            let handles: Vec<_> = leads
                .into_iter()
                .map(|s| {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        barrier.wait();
                        s.claim_scorecard(day(), "c-1", t, until)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread").expect("claim"))
                .collect()
        });
        let mine = got
            .iter()
            .filter(|c| matches!(c, Claim::Mine { .. }))
            .count();
        assert_eq!(mine, 1, "{got:?}");
        let holders: std::collections::BTreeSet<&str> = got
            .iter()
            .filter_map(|c| match c {
                Claim::Taken { by, .. } => Some(by.as_str()),
                Claim::Mine { .. } => None,
            })
            .collect();
        assert_eq!(
            holders.len(),
            1,
            "every refusal names the one holder: {got:?}"
        );
    }
);

on_both!(the_change_stamp_moves_with_every_kind_of_entry, |env| {
    let s = env.open("lee");
    let mut last = s.change_stamp().unwrap();
    let mut moved = |what: &str| {
        let now = s.change_stamp().unwrap();
        assert_ne!(now, last, "{what} did not move the stamp");
        last = now;
    };
    s.save_score(&entry(1)).unwrap();
    moved("a score");
    s.add_feedback_event(&event(1)).unwrap();
    moved("a feedback event");
    s.save_kpi_note(&KpiNote {
        week: "2026-W47".into(),
        kpi: "fcr".into(),
        cause: "c".into(),
        action: "a".into(),
        author: "lee".into(),
        saved_at: Ts::from_secs(5),
    })
    .unwrap();
    moved("a KPI note");
    let (_, queued) = s
        .save_score_with_outbox(&shiftdeck::store::SpotScore {
            contact: "rt-9".into(),
            ..entry(2)
        })
        .unwrap();
    assert!(queued);
    moved("a queued row");
    let row = s.all_outbox().unwrap().remove(0);
    assert!(s.begin_attempt(row.id, 0, Ts::from_secs(9)).unwrap());
    moved("an attempt");
    assert_eq!(
        s.outbox_by_key(&row.idempotency_key)
            .unwrap()
            .unwrap()
            .claimed_by
            .as_deref(),
        Some("lee")
    );
    s.mark_sent(row.id, Ts::from_secs(10)).unwrap();
    moved("a sent mark");
});

on_both!(a_read_only_store_refuses_every_write_and_reads, |env| {
    let s = env.open("lee");
    s.save_score(&entry(1)).unwrap();
    let mut ro = Store::open_read_only_at(&env.loc).unwrap().unwrap();
    let refused = |r: Result<(), StoreError>| {
        assert!(matches!(r, Err(StoreError::ReadOnly(_))), "{r:?}");
    };
    refused(ro.save_score(&entry(2)).map(|_| ()));
    refused(ro.add_feedback_event(&event(2)).map(|_| ()));
    refused(
        ro.add_to_sample(day(), &[row("c-1", "a", "random")], Ts::from_secs(1))
            .map(|_| ()),
    );
    refused(
        ro.claim_scorecard(day(), "c-1", Ts::from_secs(1), Ts::from_secs(2))
            .map(|_| ()),
    );
    refused(ro.mark_sent(1, Ts::from_secs(1)));
    assert_eq!(ro.scores(day(), day()).unwrap().len(), 1);
});

on_both!(each_source_sees_only_its_own_entries, |env| {
    use shiftdeck::domain::SourceId;
    let a = env
        .open("lee")
        .for_source(SourceId::new("file:/floor/a.ndjson"));
    let mut b = env
        .open("kim")
        .for_source(SourceId::new("rt:https://rt.example.com"));
    a.save_score(&entry(1)).unwrap();
    b.save_score(&entry(2)).unwrap();
    b.add_to_sample(day(), &[row("c-2", "a-2", "random")], Ts::from_secs(1))
        .unwrap();
    a.add_feedback_event(&event(1)).unwrap();
    let t = Ts::from_secs(1_790_000_000);
    let until = Ts::from_secs(1_790_000_600);
    // The same contact on two floors is two claims.
    assert!(matches!(
        a.claim_scorecard(day(), "c-9", t, until).unwrap(),
        Claim::Mine { .. }
    ));
    assert!(matches!(
        b.claim_scorecard(day(), "c-9", t, until).unwrap(),
        Claim::Mine { .. }
    ));
    let contacts = |s: &Store| -> Vec<String> {
        s.scores(day(), day())
            .unwrap()
            .into_iter()
            .map(|x| x.contact)
            .collect()
    };
    assert_eq!(contacts(&a), ["c-1"]);
    assert_eq!(contacts(&b), ["c-2"]);
    assert!(a.sample(day()).unwrap().is_empty());
    assert_eq!(b.sample(day()).unwrap().len(), 1);
    assert_eq!(a.all_feedback_events().unwrap().len(), 1);
    assert!(b.all_feedback_events().unwrap().is_empty());
    // Export reads every source's, ordered by source (as bytes).
    let all = a.scores_every_source(day(), day()).unwrap();
    let by: Vec<(&str, &str)> = all
        .iter()
        .map(|(src, s)| (src.as_str(), s.contact.as_str()))
        .collect();
    assert_eq!(
        by,
        [
            ("file:/floor/a.ndjson", "c-1"),
            ("rt:https://rt.example.com", "c-2")
        ]
    );
    let events = b
        .feedback_events_every_source(Ts::from_nanos(i64::MIN + 1), Ts::from_nanos(i64::MAX))
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].source.as_str(), "file:/floor/a.ndjson");
});

on_both!(
    a_handover_is_acknowledged_once_per_shift_and_source,
    |env| {
        let shift = shiftdeck::domain::Window {
            from: Ts::from_secs(1_000),
            to: Ts::from_secs(29_800),
        };
        let (kim, lee) = (env.open("kim"), env.open("lee"));
        let mut stamp = kim.change_stamp().unwrap();
        assert_eq!(kim.handover_ack(shift).unwrap(), None);
        assert_eq!(
            kim.ack_handover(shift, "kim", Ts::from_secs(30_000))
                .unwrap(),
            None
        );
        assert_ne!(kim.change_stamp().unwrap(), stamp, "the stamp moves");
        stamp = kim.change_stamp().unwrap();
        let first = shiftdeck::store::HandoverAck {
            who: "kim".into(),
            at: Ts::from_secs(30_000),
        };
        // Another console sees it; its own acknowledgement is told the first.
        assert_eq!(lee.handover_ack(shift).unwrap(), Some(first.clone()));
        assert_eq!(
            lee.ack_handover(shift, "lee", Ts::from_secs(30_100))
                .unwrap(),
            Some(first.clone())
        );
        assert_eq!(kim.change_stamp().unwrap(), stamp, "nothing written");
        // Another shift, and another source's same shift, are their own.
        let next = shiftdeck::domain::Window {
            from: shift.to,
            to: Ts::from_secs(58_600),
        };
        assert_eq!(lee.handover_ack(next).unwrap(), None);
        let other = env
            .open("lee")
            .for_source(shiftdeck::domain::SourceId::new("file:/other.ndjson"));
        assert_eq!(other.handover_ack(shift).unwrap(), None);
        // A read-only store reads it and refuses to write one.
        let ro = Store::open_read_only_at(&env.loc).unwrap().unwrap();
        assert_eq!(ro.handover_ack(shift).unwrap(), Some(first));
        assert!(matches!(
            ro.ack_handover(next, "lee", Ts::from_secs(1)),
            Err(StoreError::ReadOnly(_))
        ));
    }
);
