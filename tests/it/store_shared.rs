//! Shared work on one PostgreSQL: consoles with different data dirs see
//! each other's entries; one outbox row claimed by several consoles at once
//! is posted once; the server down at start or going down mid-shift gives
//! a clear error, saves nothing aside, and recovers. The SQLite variants run
//! the same checks on two consoles of one data dir (where they apply).

use std::sync::{Arc, Barrier};
use std::time::Duration;

use chrono::NaiveDate;
use shiftdeck::config::StoreConfig;
use shiftdeck::domain::Ts;
use shiftdeck::runtime::writeback::{FlushStats, flush_outbox};
use shiftdeck::store::torture::entry;
use shiftdeck::store::{
    SpotScore, Store, StoreError, StoreLocation, StoreNotice, open_for_console_at,
};

use crate::source_writeback::{Comments, client, fake_rt};
use crate::store_support::{Env, Relay, on_both, skipped};

fn floor() -> shiftdeck::domain::SourceId {
    shiftdeck::domain::SourceId::new("rt:https://rt.example.com")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// The location a console with data dir `dir` and `env`'s `[store]` uses.
fn console_location(env: &Env, dir: &std::path::Path) -> StoreLocation {
    match env.pg() {
        Some(s) => {
            let cfg = StoreConfig {
                url: Some(s.url.clone()),
                schema: s.schema.clone(),
                ..StoreConfig::default()
            };
            StoreLocation::resolve(&cfg, dir).unwrap()
        }
        // SQLite is one machine's: both consoles use the one data dir.
        None => env.loc.clone(),
    }
}

on_both!(
    a_score_made_through_one_console_is_seen_through_the_other,
    |env| {
        let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut lee = Store::open_at(&console_location(env, dir_a.path())).unwrap();
        lee.set_author("lee");
        let mut kim = Store::open_at(&console_location(env, dir_b.path())).unwrap();
        kim.set_author("kim");
        let before = kim.change_stamp().unwrap();
        let mut score = entry(5);
        score.author = lee.author().to_owned();
        let id = lee.save_score(&score).unwrap();
        // Kim's console notices (its poll compares stamps) and reads it, by Lee.
        assert_ne!(kim.change_stamp().unwrap(), before);
        let seen = kim.scores(day(), day()).unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!((seen[0].id, seen[0].author.as_str()), (Some(id), "lee"));
        // And the other way round, a follow-up event.
        let ev = shiftdeck::store::NewFeedbackEvent {
            item: "fb-1".into(),
            at: Ts::from_secs(1_790_000_000),
            author: "kim".into(),
            change: shiftdeck::store::FeedbackChange::Owner("kim".into()),
        };
        kim.add_feedback_event(&ev).unwrap();
        let events = lee.all_feedback_events().unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].author, "kim");
        if env.is_pg() {
            // Nothing of it went to a file in either data dir.
            for d in [dir_a.path(), dir_b.path()] {
                assert!(!shiftdeck::store::path_in(d).exists());
            }
        }
    }
);

on_both!(
    two_consoles_claiming_one_outbox_row_let_one_post_it,
    |env| {
        let a = env.open("lee");
        let b = env.open("kim");
        let (id, queued) = a
            .save_score_with_outbox(&SpotScore {
                contact: "rt-4".into(),
                ..entry(4)
            })
            .unwrap();
        assert!(queued);
        // Both read the row as due before either claims it.
        let now = Ts::from_secs(1_800_000_000);
        let ra = a.due_outbox(now, 10).unwrap();
        let rb = b.due_outbox(now, 10).unwrap();
        assert_eq!((ra.len(), rb.len()), (1, 1));
        let later = Ts::from_secs(1_800_000_060);
        let got_a = a.begin_attempt(ra[0].id, ra[0].attempts, later).unwrap();
        let got_b = b.begin_attempt(rb[0].id, rb[0].attempts, later).unwrap();
        assert_eq!((got_a, got_b), (true, false));
        let row = a
            .outbox_by_key(&format!("spot:rt-4:{id}"))
            .unwrap()
            .unwrap();
        assert_eq!((row.attempts, row.claimed_by.as_deref()), (1, Some("lee")));
    }
);

/// Four consoles flush the same 12 rows at the same moment against one
/// fake RT: every comment is posted exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_flushers_post_each_row_once() {
    for env in [Some(Env::sqlite()), Env::postgres()] {
        let Some(env) = env else {
            skipped("store_shared::concurrent_flushers_post_each_row_once");
            continue;
        };
        let comments = Comments::default();
        let server = fake_rt(comments.clone(), Arc::default()).await;
        let (http, base) = client(&server, Duration::from_secs(5));
        let first = env.open("lee");
        for n in 0..12u64 {
            let (_, queued) = first
                .save_score_with_outbox(&SpotScore {
                    contact: format!("rt-{}", 100 + n),
                    ..entry(n)
                })
                .unwrap();
            assert!(queued);
        }
        let consoles: Vec<Store> = (0..4).map(|i| env.open(&format!("lead-{i}"))).collect();
        let barrier = Arc::new(Barrier::new(consoles.len()));
        let now = Ts::from_secs(1_800_000_000);
        let stats: Vec<FlushStats> = std::thread::scope(|scope| {
            let handles: Vec<_> = consoles
                .into_iter()
                .map(|store| {
                    let (barrier, http, base) = (barrier.clone(), http.clone(), base.clone());
                    scope.spawn(move || {
                        let rt = tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                            .unwrap();
                        barrier.wait();
                        rt.block_on(flush_outbox(&store, &http, &base, now))
                            .unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let sent: usize = stats.iter().map(|s| s.sent).sum();
        assert_eq!(sent, 12, "{stats:?}");
        let posted = comments.lock().unwrap().clone();
        assert_eq!(posted.len(), 12, "each row once: {posted:?}");
        let mut tickets: Vec<&str> = posted.iter().map(|(t, _)| t.as_str()).collect();
        tickets.sort_unstable();
        tickets.dedup();
        assert_eq!(tickets.len(), 12);
        assert!(
            first
                .all_outbox()
                .unwrap()
                .iter()
                .all(|r| r.sent_at.is_some())
        );
    }
}

#[test]
fn postgres_down_at_start_says_why_saves_nothing_and_recovers() {
    let Some(env) = Env::postgres() else {
        return skipped("store_shared::postgres_down_at_start");
    };
    env.open("setup");
    let relay = Relay::to(&env);
    relay.cut();
    let (store, notice) = open_for_console_at(&relay.location(&env), &floor());
    let store = store.expect("a store that reconnects");
    let Some(StoreNotice::Down(StoreError::Unreachable { place, .. })) = &notice else {
        panic!("expected the server down: {notice:?}");
    };
    assert!(place.starts_with("127.0.0.1:"), "{place}");
    let shown = notice.as_ref().unwrap().to_string();
    assert!(
        shown.contains("read-only until the store answers again"),
        "{shown}"
    );
    // A save while down fails with the reason, and is not kept aside.
    let e = store.save_score(&entry(1)).unwrap_err();
    assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    assert!(store.ping().is_err());
    relay.restore();
    store.ping().expect("back");
    assert!(
        store.scores(day(), day()).unwrap().is_empty(),
        "nothing queued"
    );
    store.save_score(&entry(2)).unwrap();
    let other = env.open("x").for_source(floor());
    assert_eq!(other.scores(day(), day()).unwrap().len(), 1);
}

#[test]
fn postgres_going_down_mid_shift_fails_clearly_and_recovers() {
    let Some(env) = Env::postgres() else {
        return skipped("store_shared::postgres_going_down_mid_shift");
    };
    let relay = Relay::to(&env);
    let (store, notice) = open_for_console_at(&relay.location(&env), &floor());
    assert_eq!(notice, None);
    let store = store.unwrap();
    store.save_score(&entry(1)).unwrap();
    relay.cut();
    let e = store.save_score(&entry(2)).unwrap_err();
    assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    assert!(matches!(
        store.scores(day(), day()),
        Err(StoreError::Unreachable { .. })
    ));
    relay.restore();
    // The next call reconnects; the failed save is not there.
    let list = store.scores(day(), day()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].contact, "c-1");
    store.save_score(&entry(3)).unwrap();
    assert_eq!(store.scores(day(), day()).unwrap().len(), 2);
}
