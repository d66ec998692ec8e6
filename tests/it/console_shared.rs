//! Shared work in the console, on both backends (`store_support`): a score
//! saved on one console shows on another, with who scored it, after the
//! watcher noticed (within 2 s); opening the scorecard of a contact
//! another lead is scoring is refused with who and until when; the
//! PostgreSQL server down mid-shift: the header says why, a save fails with
//! the reason and nothing is queued, and the console recovers. Fixture:
//! `ui_support` (random list c2 李雷, c4, c5 on Sun 22 Nov 2026).

use crate::store_support::{Env, Relay, on_both, skipped};
use crate::ui_support;

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App, Effect};
use shiftdeck::runtime::effects::{reload_shared, run_effects};
use shiftdeck::runtime::store_watch::{StoreEvent, Watch, spawn_watch};
use shiftdeck::store::{Store, StoreNotice, open_for_console_at};
use ui_support::*;

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    match action_for(Event::Key(KeyEvent::new(code, mods)), app) {
        Some(a) => app.update(a),
        None => Vec::new(),
    }
}

/// A console of `author` on the spot pane, its store beside it.
fn console(author: &str) -> App {
    let mut app = app(100, 30);
    app.author = author.into();
    app.update(Action::Key(K::Focus(3)));
    app
}

/// Enter on c2 (the first random item), running the claim against `store`.
fn open_c2(app: &mut App, store: &Store) {
    let effects = key(app, KeyCode::Enter, KeyModifiers::NONE);
    run_effects(app, effects, Some(store), None);
}

/// Scores 4 5 3 2 in the open form and saves through `store`.
fn score_and_save(app: &mut App, store: &Store) {
    // A digit scores the dimension under the cursor; ↓ goes on.
    for c in "4532".chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
        key(app, KeyCode::Down, KeyModifiers::NONE);
    }
    let effects = key(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(
        matches!(effects.as_slice(), [Effect::SaveScore(_)]),
        "{effects:?}"
    );
    run_effects(app, effects, Some(store), None);
}

on_both!(
    a_score_on_one_console_shows_on_the_other_with_who_scored_it,
    |env| {
        let (store_a, store_b) = (env.open("lee"), env.open("kim"));
        let (mut lee, mut kim) = (console("lee"), console("kim"));
        // Kim's watcher, on a connection of its own. Started as if the
        // store were down, its first read says `Up`: then it holds the
        // stamp from before Lee's save (a fixed sleep would not know).
        let (tx, rx) = std::sync::mpsc::channel();
        spawn_watch(
            env.open("kim"),
            Duration::from_millis(100),
            true,
            move |e| tx.send(e).is_ok(),
        )
        .unwrap();
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(StoreEvent::Up) => {}
            other => panic!("the watcher's first read: {other:?}"),
        }
        open_c2(&mut lee, &store_a);
        score_and_save(&mut lee, &store_a);
        assert_eq!(
            lee.note.as_ref().map(|n| n.0.as_str()),
            Some("saved: c2 14/20")
        );
        // Kim's console hears of it (the watcher looks every 100 ms; the
        // generous wait only bounds a hung test) and reloads.
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(StoreEvent::Changed { engine: true }) => {}
            Ok(other) => panic!("{other:?}"),
            Err(e) => panic!("no change seen: {e}"),
        }
        reload_shared(&mut kim, &store_b);
        let seen = &kim.scores.by_contact["c2"];
        assert_eq!((seen.total(), seen.author.as_str()), (14, "lee"));
        let screen = text(&draw(&kim, 100, 30));
        assert!(screen.contains("14/20 · lee"), "{screen}");
        // Lee's own score shows without a name.
        let own = text(&draw(&lee, 100, 30));
        assert!(
            own.contains("14/20") && !own.contains("14/20 · lee"),
            "{own}"
        );
    }
);

on_both!(
    a_scorecard_another_lead_is_scoring_is_refused_with_who,
    |env| {
        let (store_a, store_b) = (env.open("lee"), env.open("kim"));
        let (mut lee, mut kim) = (console("lee"), console("kim"));
        open_c2(&mut lee, &store_a);
        assert!(lee.scores.form.is_some());
        open_c2(&mut kim, &store_b);
        assert!(kim.scores.form.is_none(), "refused to the second lead");
        let note = kim.note.as_ref().map(|n| n.0.clone()).unwrap_or_default();
        // Claimed for 15 minutes from the fixture's clock.
        assert!(
            note.starts_with("c2 is being scored by lee (claimed until "),
            "{note}"
        );
        // Lee cancels: the claim goes, Kim may score it now.
        let effects = key(&mut lee, KeyCode::Esc, KeyModifiers::NONE);
        assert!(matches!(effects.as_slice(), [Effect::ReleaseScorecard(_, c)] if c == "c2"));
        run_effects(&mut lee, effects, Some(&store_a), None);
        open_c2(&mut kim, &store_b);
        assert!(kim.scores.form.is_some());
        // Kim saves: released again, so Lee can open it (to rescore).
        score_and_save(&mut kim, &store_b);
        assert!(kim.scores.form.is_none());
        open_c2(&mut lee, &store_a);
        assert!(lee.scores.form.is_some());
    }
);

#[test]
fn postgres_down_mid_shift_read_only_with_the_reason_then_recovers() {
    let Some(env) = Env::postgres() else {
        return skipped("console_shared::postgres_down_mid_shift");
    };
    let relay = Relay::to(&env);
    let (store, notice) = open_for_console_at(&relay.location(&env), &Default::default());
    assert_eq!(notice, None);
    let mut store = store.unwrap();
    store.set_author("lee");
    let mut lee = console("lee");
    let mut watch = Watch::default();
    assert!(watch.see(store.change_stamp()).is_none());

    relay.cut();
    // The watcher notices; the console says why in the header.
    let Some(StoreEvent::Down(e)) = watch.see(store.change_stamp()) else {
        panic!("the watcher did not see the server go");
    };
    lee.update(Action::StoreDown(StoreNotice::Down(e).to_string()));
    let head = text(&draw(&lee, 100, 30));
    let first = head.lines().next().unwrap_or_default().to_owned();
    assert!(
        first.contains("⚠ read-only: the PostgreSQL store 127.0.0.1:"),
        "{first}"
    );
    let why = lee.store_message.clone().unwrap_or_default();
    assert!(why.contains("cannot be reached"), "{why}");
    // A save fails with the reason; the form keeps the scores.
    open_c2(&mut lee, &store);
    score_and_save(&mut lee, &store);
    let f = lee.scores.form.as_ref().expect("kept open");
    assert!(
        f.error
            .as_deref()
            .unwrap_or_default()
            .contains("cannot be reached"),
        "{:?}",
        f.error
    );
    assert_eq!((f.total().scored(), f.total().max), (14, 20));

    relay.restore();
    assert!(matches!(
        watch.see(store.change_stamp()),
        Some(StoreEvent::Up)
    ));
    lee.update(Action::StoreUp);
    assert!(lee.store_message.is_none());
    // Nothing was queued aside while it was down.
    assert!(store.scores(ui_day(), ui_day()).unwrap().is_empty());
    assert!(store.all_outbox().unwrap().is_empty());
    // The same form saves now.
    let effects = key(&mut lee, KeyCode::Char('s'), KeyModifiers::CONTROL);
    run_effects(&mut lee, effects, Some(&store), None);
    assert!(lee.scores.form.is_none(), "{:?}", lee.scores.form);
    assert_eq!(store.scores(ui_day(), ui_day()).unwrap().len(), 1);
}

fn ui_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

on_both!(
    an_open_scorecard_keeps_its_claim_past_the_fifteen_minutes,
    |env| {
        let (store_a, store_b) = (env.open("lee"), env.open("kim"));
        let (mut lee, mut kim) = (console("lee"), console("kim"));
        // Claimed at 10:30 until 10:45.
        open_c2(&mut lee, &store_a);
        assert!(lee.scores.form.is_some());
        let t0 = lee.now;
        // Lee keeps the form open for 16 minutes: the 1 Hz tick renews the
        // claim every 5 minutes through the store.
        let mut renewals = 0;
        for s in 1..=16 * 60 {
            let effects = lee.update(Action::Tick(t0.add_secs(s)));
            renewals += effects
                .iter()
                .filter(|e| matches!(e, Effect::ClaimScorecard(_, c) if c == "c2"))
                .count();
            run_effects(&mut lee, effects, Some(&store_a), None);
        }
        assert_eq!(renewals, 3, "at 10:35, 10:40 and 10:45");
        assert!(lee.scores.form.is_some(), "the form stays open");
        // At 10:46 Kim is still refused: the claim runs to 11:00 now.
        kim.update(Action::Tick(t0.add_secs(16 * 60)));
        open_c2(&mut kim, &store_b);
        assert!(kim.scores.form.is_none(), "refused to the second lead");
        let note = kim.note.as_ref().map(|n| n.0.clone()).unwrap_or_default();
        assert_eq!(
            note,
            "c2 is being scored by lee (claimed until 11:00): not opened"
        );
        // Lee saves: the claim goes, no more renewals.
        score_and_save(&mut lee, &store_a);
        assert!(lee.scores.form.is_none());
        let effects = lee.update(Action::Tick(t0.add_secs(30 * 60)));
        assert!(
            !effects
                .iter()
                .any(|e| matches!(e, Effect::ClaimScorecard(..))),
            "{effects:?}"
        );
    }
);

on_both!(
    an_alert_acknowledged_on_one_console_shows_acknowledged_on_the_other,
    |env| {
        use shiftdeck::app::state::EngineCmd;
        use shiftdeck::app::view::EngineMsg;
        use shiftdeck::runtime::effects::reload_after_change;
        use shiftdeck::runtime::engine::{Engine, EngineOptions};
        // Kim's console: its engine follows the fixture and records the
        // alerts it fires in the shared store through Kim's own handle.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("floor.ndjson");
        std::fs::write(&path, floor_ndjson()).unwrap();
        let mut engine = Engine::new(EngineOptions {
            files: vec![path],
            label: "floor.ndjson".into(),
            settings: settings(),
            reload_settings: None,
            shifts: shiftdeck::domain::window::Shifts::default(),
            clock: std::sync::Arc::new(now),
        })
        .with_sample_store(env.open("kim"));
        engine.poll_sources();
        let first = engine.compute();
        let line = |v: &shiftdeck::app::view::View| {
            v.alerts
                .active
                .iter()
                .find(|l| l.id == "sla_breached:c8")
                .cloned()
                .expect("c8's SLA alert is active")
        };
        assert_eq!(line(&first).ack, None);
        let mut kim = app_on(first, 100, 30);
        kim.author = "kim".into();
        let store_b = env.open("kim");
        let mut watch = Watch::default();
        assert!(watch.see(store_b.change_stamp()).is_none());

        // Lee acknowledges it on another console (another handle).
        let store_a = env.open("lee");
        let episode = store_a
            .open_alerts()
            .unwrap()
            .into_iter()
            .find(|r| r.alert_id == "sla_breached:c8")
            .expect("recorded by Kim's engine")
            .episode;
        let at = now().add_secs(20);
        assert_eq!(store_a.ack_alert(episode, "lee", at).unwrap(), None);

        // Kim's watcher sees the stamp move; the engine is told to compute
        // now (not at its next refresh) and reads the acknowledgement.
        let Some(StoreEvent::Changed { engine: true }) = watch.see(store_b.change_stamp()) else {
            panic!("the watcher did not see the acknowledgement");
        };
        assert!(!engine.due(std::time::Instant::now()), "no view due yet");
        let (tx, rx) = std::sync::mpsc::channel();
        reload_after_change(&mut kim, &store_b, true, Some(&tx));
        let cmd = rx.try_recv().expect("a command for the engine");
        assert_eq!(cmd, EngineCmd::StoreChanged);
        engine.handle(cmd);
        assert!(engine.due(std::time::Instant::now()), "a view is due now");
        let next = engine.compute();
        assert_eq!(line(&next).ack, Some(("lee".to_owned(), at)));
        kim.update(Action::Engine(EngineMsg::View(Box::new(next))));
        key(&mut kim, KeyCode::Char('A'), KeyModifiers::NONE);
        let screen = text(&draw(&kim, 100, 30));
        assert!(screen.contains("✓ lee 10:30"), "{screen}");
    }
);
