//! The scorecard in the console: Enter on a spot-check item opens the form,
//! keys go to it, a save is an effect the console runs against the store,
//! "saved" only after the write returned Ok, a failed or read-only write
//! keeps everything typed, and so does a claim lost to another lead while
//! typing (read-only, then a draft); the spot pane shows the score; the engine keeps
//! the day's sample in the store. Fixture: `ui_support` (random list c2 李雷,
//! c4 Sam Green, c5 王芳 on Sun 22 Nov 2026).

use crate::ui_support;

use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::filter::Filter;
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App, Effect};
use shiftdeck::app::view::EngineMsg;
use shiftdeck::domain::window::{Shifts, WindowKind};
use shiftdeck::runtime::effects::run_effects;
use shiftdeck::runtime::engine::{Clock, Engine, EngineOptions};
use shiftdeck::store::{SampleRow, SpotScore, Store, open_for_console};
use ui_support::*;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    match action_for(Event::Key(KeyEvent::new(code, mods)), app) {
        Some(a) => app.update(a),
        None => Vec::new(),
    }
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

/// Spot pane, Enter on the first random item (c2), scores 4 5 3 2, then
/// Ctrl-S: returns the save effect's score.
fn fill_and_save(app: &mut App) -> Box<SpotScore> {
    app.update(Action::Key(K::Focus(3)));
    key(app, KeyCode::Enter, KeyModifiers::NONE);
    let f = app.scores.form.as_ref().expect("Enter opens the form");
    assert_eq!(
        (f.contact.as_str(), f.agent.as_str(), f.day),
        ("c2", "a-li", day())
    );
    // A digit scores the dimension under the cursor; ↓ goes on.
    for c in "4532".chars() {
        chars(app, &c.to_string());
        key(app, KeyCode::Down, KeyModifiers::NONE);
    }
    // "q" on a critical check is not a quit while the form is open.
    chars(app, "q");
    assert!(!app.quit);
    let effects = key(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    match effects.as_slice() {
        [Effect::SaveScore(s)] => s.clone(),
        other => panic!("expected one save, got {other:?}"),
    }
}

#[test]
fn save_is_an_effect_and_saved_is_said_only_after_ok() {
    let mut app = app(80, 24);
    app.author = "王芳".into();
    let s = fill_and_save(&mut app);
    assert_eq!((s.total(), s.max_total()), (14, 20));
    assert_eq!((s.contact.as_str(), s.author.as_str()), ("c2", "王芳"));
    assert!(
        app.scores.form.as_ref().unwrap().saving,
        "waiting for the write"
    );
    assert!(app.note.is_none(), "nothing said before the write returns");

    // The write failed: the form stays with the error and the input.
    app.update(Action::ScoreSaved(Err("disk full".into())));
    let f = app.scores.form.as_ref().expect("still open");
    assert_eq!(f.error.as_deref(), Some("not saved: disk full"));
    assert_eq!((f.total().scored(), f.total().max), (14, 20));
    assert!(!f.saving);
    assert!(app.scores.by_contact.is_empty() && app.note.is_none());

    // Retry; this time the store answers Ok with the row id.
    let effects = key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let [Effect::SaveScore(s)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let mut stored = s.clone();
    stored.id = Some(7);
    app.update(Action::ScoreSaved(Ok(stored)));
    assert!(app.scores.form.is_none());
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("saved: c2 14/20")
    );
    assert_eq!(app.scores.by_contact["c2"].total(), 14);

    // Enter again: prefilled; change a score, Esc: the stored score stays.
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(app.scores.form.as_ref().unwrap().scores[0], Some(4));
    chars(&mut app, "1");
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(app.scores.form.is_none());
    assert_eq!(app.scores.by_contact["c2"].total(), 14);

    // The pane shows it: c2 (李雷) 4+5+3+2 = 14 of 4×5 = 20, before its flag.
    app.update(Action::Key(K::Zoom));
    let buf = draw(&app, 80, 24);
    insta::assert_snapshot!("spot_scored_80x24", text(&buf));
    let t = text(&buf);
    assert!(t.contains("14/20 · low CSAT"), "{t}");
    // Coverage: a-li needs 1 and has 1 checked; accuracy over 1 checked
    // contact without errors: 100 % each.
    app.update(Action::Key(K::Right));
    app.update(Action::Key(K::Right));
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("accuracy: cust 100% · bus 100% · compl 100%"),
        "{t}"
    );
    assert!(t.contains("1/1 ✓ met"), "{t}");
}

#[test]
fn the_form_is_drawn_over_the_panes() {
    let mut app = app(80, 24);
    app.update(Action::Key(K::Focus(3)));
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("Score c2 · 李雷"), "{t}");
    assert!(t.contains("total 0/20"), "{t}");
}

#[test]
fn the_console_writes_to_the_store_and_reads_it_back_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    let (store, msg) = open_for_console(&path, &shiftdeck::domain::SourceId::unrecorded());
    assert!(msg.is_none());
    let store = store.unwrap();
    let mut app = app(80, 24);
    let s = fill_and_save(&mut app);
    run_effects(&mut app, vec![Effect::SaveScore(s)], Some(&store), None);
    assert!(app.scores.form.is_none());
    let rows = store.scores(day(), day()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].contact.as_str(), rows[0].total()), ("c2", 14));
    assert_eq!(app.scores.by_contact["c2"].id, rows[0].id);

    // A restarted console asks for the day's scores when the first view comes.
    let mut fresh = app_with(&floor_ndjson(), 80, 24);
    fresh.scores = shiftdeck::app::scores::Scores::default();
    let view = view_of(&floor_ndjson(), WindowKind::Today, &Filter::default());
    let effects = fresh.update(Action::Engine(EngineMsg::View(Box::new(view))));
    assert_eq!(effects, vec![Effect::LoadScores(day())]);
    run_effects(&mut fresh, effects, Some(&store), None);
    assert_eq!(fresh.scores.by_contact["c2"].total(), 14);
}

#[test]
fn a_damaged_store_runs_read_only_and_a_save_keeps_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    std::fs::write(&path, "this is not a database, only some text ".repeat(40)).unwrap();
    let (store, msg) = open_for_console(&path, &shiftdeck::domain::SourceId::unrecorded());
    let msg = msg.expect("a message");
    assert!(msg.to_string().contains("damaged"), "{msg}");
    assert!(store.is_none());
    let mut app = app(80, 24);
    app.store_message = Some(msg.to_string());
    let header = text(&draw(&app, 80, 24));
    assert!(
        header.lines().next().unwrap().contains("⚠ read-only"),
        "{header}"
    );

    let s = fill_and_save(&mut app);
    run_effects(&mut app, vec![Effect::SaveScore(s)], None, None);
    let f = app.scores.form.as_ref().expect("the form stays open");
    let err = f.error.as_deref().unwrap();
    assert!(
        err.starts_with("not saved: read-only: the database"),
        "{err}"
    );
    assert_eq!((f.total().scored(), f.total().max), (14, 20));
    assert!(app.scores.by_contact.is_empty());

    // A store opened read-only refuses too, with the same kind of message.
    let ok_path = dir.path().join("ok.db");
    Store::open(&ok_path).unwrap();
    let ro = Store::open_read_only(&ok_path).unwrap().unwrap();
    let effects = key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    run_effects(&mut app, effects, Some(&ro), None);
    let err = app.scores.form.as_ref().unwrap().error.as_deref().unwrap();
    assert!(err.contains("read-only"), "{err}");
}

/// An engine following the fixture file `floor` on `clock`, keeping the
/// day's sample in `store`.
fn floor_engine(floor: &std::path::Path, clock: Clock, store: Store) -> Engine {
    Engine::new(EngineOptions {
        files: vec![floor.to_path_buf()],
        label: "floor.ndjson".into(),
        settings: settings(),
        reload_settings: None,
        shifts: Shifts::default(),
        clock,
    })
    .with_sample_store(store)
}

#[test]
fn the_engine_keeps_the_days_sample_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let floor = dir.path().join("floor.ndjson");
    std::fs::write(&floor, floor_ndjson()).unwrap();
    let db = dir.path().join("shiftdeck.db");
    let engine_on = |store: Store| floor_engine(&floor, Arc::new(now), store);
    // A list stored earlier that day (c9 drawn in a previous session) stays.
    let mut s = Store::open(&db).unwrap();
    let earlier = SampleRow {
        contact: "c9".into(),
        agent: "a-li".into(),
        list: "random".into(),
    };
    s.add_to_sample(day(), std::slice::from_ref(&earlier), now())
        .unwrap();
    let mut e = engine_on(Store::open(&db).unwrap());
    while e.poll_sources() {}
    let v = e.compute();
    let random: Vec<&str> = v
        .snapshot
        .spot_check
        .random
        .iter()
        .map(|i| i.contact.as_str())
        .collect();
    assert!(random.contains(&"c9"), "{random:?}");
    // Every random id is now stored, the earlier one first.
    let stored: Vec<String> = s
        .sample(day())
        .unwrap()
        .into_iter()
        .map(|r| r.contact)
        .collect();
    assert_eq!(stored[0], "c9");
    let mut want: Vec<String> = random.iter().map(|c| c.to_string()).collect();
    want.sort();
    let mut got = stored.clone();
    got.sort();
    assert_eq!(got, want);
    // A restart draws the same list.
    let mut again = engine_on(Store::open(&db).unwrap());
    while again.poll_sources() {}
    assert_eq!(
        again.compute().snapshot.spot_check.random,
        v.snapshot.spot_check.random
    );
}

#[test]
fn a_critical_error_voids_the_score_in_the_note_and_the_list() {
    let mut app = app(160, 48);
    app.update(Action::Key(K::Focus(3)));
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    for c in "4532".chars() {
        chars(&mut app, &c.to_string());
        key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    }
    // On "critical customer": Space marks the error.
    chars(&mut app, " ");
    let effects = key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let [Effect::SaveScore(s)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    // 4 + 5 + 3 + 2 = 14, voided by the customer error: 0 counts.
    assert_eq!((s.total(), s.raw_total(), s.max_total()), (0, 14, 20));
    let mut stored = s.clone();
    stored.id = Some(1);
    app.update(Action::ScoreSaved(Ok(stored)));
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("saved: c2 0/20 (void: 1 critical error, raw 14/20)")
    );
    let t = text(&draw(&app, 160, 48));
    let row = t.lines().find(|l| l.contains("c2 ")).expect("c2's row");
    assert!(row.contains("0/20 void (1✗ raw 14) · low CSAT"), "{row}");
    // Coverage's accuracy: the one checked contact has a customer error.
    app.update(Action::Key(K::Right));
    app.update(Action::Key(K::Right));
    let t = text(&draw(&app, 160, 48));
    assert!(
        t.contains("accuracy: cust 0% · bus 100% · compl 100%"),
        "{t}"
    );
}

/// Enter on the selected item, digits 4 5 3 2 down the dimensions, Ctrl-S,
/// and the store's Ok: the scorecard is saved by `app.author`.
fn score_selected(app: &mut App, id: i64) {
    key(app, KeyCode::Enter, KeyModifiers::NONE);
    for c in "4532".chars() {
        chars(app, &c.to_string());
        key(app, KeyCode::Down, KeyModifiers::NONE);
    }
    let effects = key(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let [Effect::SaveScore(s)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let mut stored = s.clone();
    stored.id = Some(id);
    app.update(Action::ScoreSaved(Ok(stored)));
    assert!(app.scores.form.is_none());
}

#[test]
fn the_unscored_only_view_progress_and_quota() {
    let mut app = app(80, 24);
    app.author = "lee".into();
    // `[spot_check] daily_quota = 2` as the engine passes it on.
    app.view.as_mut().unwrap().snapshot.spot_check.daily_quota = 2;
    app.update(Action::Key(K::Focus(3)));
    app.update(Action::Key(K::Zoom));
    // The random list is c2 (李雷), c4 (Sam Green), c5 (王芳); nothing scored.
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("done 0 of 3 · quota 0/2"), "{t}");
    score_selected(&mut app, 1);
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("done 1 of 3 · quota 1/2"), "{t}");

    // `u` (through the key table and the update): c2 leaves the list.
    key(&mut app, KeyCode::Char('u'), KeyModifiers::NONE);
    assert!(app.scores.unscored_only);
    assert_eq!(app.rows.random.len(), 2);
    let buf = draw(&app, 80, 24);
    insta::assert_snapshot!("spot_unscored_80x24", text(&buf));
    let t = text(&buf);
    assert!(t.contains("done 1 of 3 · quota 1/2 · unscored only"), "{t}");
    assert!(t.contains("Random 3"), "the tab counts the whole list: {t}");
    assert!(!t.contains("┃c2 "), "{t}");
    let wide = draw(&app, 160, 48);
    insta::assert_snapshot!("spot_unscored_160x48", text(&wide));

    // Scoring the first (c4) takes it out; the cursor stays, on c5.
    assert_eq!(app.selected_spot_item().unwrap().contact, "c4");
    score_selected(&mut app, 2);
    assert_eq!(app.rows.random.len(), 1);
    assert_eq!(app.selected_spot_item().unwrap().contact, "c5");
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("done 2 of 3 · quota 2/2"), "{t}");
    score_selected(&mut app, 3);
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("every listed contact is scored (u: show all)"),
        "{t}"
    );
    assert!(t.contains("done 3 of 3 · quota 3/2"), "{t}");

    // Another lead's score counts in done, not in this lead's quota.
    let mut kim = app.scores.by_contact["c5"].clone();
    kim.author = "kim".into();
    app.scores.by_contact.insert("c5".into(), kim);
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("done 3 of 3 · quota 2/2"), "{t}");

    // `u` again: every row is back.
    key(&mut app, KeyCode::Char('u'), KeyModifiers::NONE);
    assert!(!app.scores.unscored_only);
    assert_eq!(app.rows.random.len(), 3);
    // Per agent: random done of listed, targeted done of listed.
    app.update(Action::Key(K::Right));
    app.update(Action::Key(K::Right));
    let t = text(&draw(&app, 80, 24));
    let li = t.lines().find(|l| l.contains("李雷")).unwrap();
    // 李雷: c2 random scored 1/1; c9 targeted (IVR 150 s) not scored 0/1.
    assert!(li.contains("1/1       0/1     1/1 ✓ met"), "{li}");

    // `u` does nothing on another pane but say where it works.
    app.update(Action::Key(K::Focus(1)));
    assert!(matches!(
        action_for(
            Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::NONE)),
            &app
        ),
        Some(Action::NotHere(_))
    ));
}

#[test]
fn the_unscored_view_in_chinese() {
    let mut app = app(80, 24);
    app.lang = shiftdeck::i18n::Lang::Zh;
    app.view.as_mut().unwrap().snapshot.spot_check.daily_quota = 40;
    app.update(Action::Key(K::Focus(3)));
    app.update(Action::Key(K::Zoom));
    key(&mut app, KeyCode::Char('u'), KeyModifiers::NONE);
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("已完成 0 / 3 · 配额 0/40 · 仅未评分"), "{t}");
}

#[test]
fn yesterday_shows_the_sample_drawn_that_day() {
    use shiftdeck::app::state::EngineCmd;
    use shiftdeck::domain::time::parse_rfc3339;
    let dir = tempfile::tempdir().unwrap();
    let floor = dir.path().join("floor.ndjson");
    std::fs::write(&floor, floor_ndjson()).unwrap();
    let db = dir.path().join("shiftdeck.db");
    let engine_at = |at: &'static str| {
        let clock = move || parse_rfc3339(at).unwrap();
        floor_engine(&floor, Arc::new(clock), Store::open(&db).unwrap())
    };
    let yday = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    // On Sat 21 Nov at noon the console drew that day's list: y1 (王芳)
    // and y2 (李雷), one each (ceil(10 % of 1) = 1).
    let mut then = engine_at("2026-11-21T12:00:00+08:00");
    while then.poll_sources() {}
    let drawn = then.compute().snapshot.spot_check;
    assert_eq!(drawn.date, yday);
    let ids = |l: &[shiftdeck::domain::SpotCheckItem]| -> Vec<String> {
        l.iter()
            .map(|i| format!("{}:{}", i.contact, i.agent))
            .collect()
    };
    assert_eq!(ids(&drawn.random), ["y2:a-li", "y1:a-wang"]);
    // The next day, `w` to yesterday: the same list, from the same seed and
    // the ids stored that day.
    let mut next = engine_at("2026-11-22T10:30:00+08:00");
    while next.poll_sources() {}
    assert_eq!(next.compute().snapshot.spot_check.date, day());
    next.handle(EngineCmd::SetWindow(WindowKind::Yesterday));
    let past = next.compute().snapshot.spot_check;
    assert_eq!(past.date, yday);
    assert_eq!(ids(&past.random), ids(&drawn.random));
    assert_eq!(ids(&past.targeted), ids(&drawn.targeted));
    // Reviewing it adds nothing to that day's stored sample.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.sample(yday).unwrap().len(), 2);
    // Back to today: today's list again (c2, c4, c5), kept as it was.
    next.handle(EngineCmd::SetWindow(WindowKind::Today));
    let today = next.compute().snapshot.spot_check;
    assert_eq!(today.date, day());
    assert_eq!(ids(&today.random), ["c2:a-li", "c4:a-sam", "c5:a-wang"]);
}

/// Another lead took the claim while this lead was typing (renewals failed
/// for 15 minutes, the store down): nothing typed is lost. The form stays
/// open read-only saying who scores it; closed, it is kept as a draft that
/// comes back with everything when the contact is opened again. All
/// through the app's update function.
#[test]
fn a_claim_lost_mid_scorecard_keeps_everything_typed_as_a_draft() {
    use shiftdeck::app::action::ClaimAnswer;
    let mut app = app(160, 48);
    app.update(Action::Key(K::Focus(3)));
    let effects = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ClaimScorecard(d, c) if *d == day() && c == "c2")),
        "{effects:?}"
    );
    // 4 and 5 on the first two dimensions, then a comment.
    chars(&mut app, "4");
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    chars(&mut app, "5");
    let fields = app.scores.form.as_ref().expect("open").fields();
    let comment = fields
        .iter()
        .position(|f| *f == shiftdeck::app::form::Field::Comment)
        .expect("comment field");
    for _ in 1..comment {
        key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    }
    chars(&mut app, "late refund");
    let typed = app.scores.form.clone().expect("open");
    assert_eq!(typed.comment, "late refund");
    assert_eq!(&typed.scores[..2], &[Some(4), Some(5)]);

    let until = now().add_secs(15 * 60);
    app.update(Action::ScorecardClaim(
        "c2".into(),
        ClaimAnswer::Taken {
            by: "kim".into(),
            until,
        },
    ));
    // Still open, read-only, saying who has it and until when (10:45 local).
    let f = app.scores.form.as_ref().expect("kept open");
    assert_eq!((&f.scores, &f.comment), (&typed.scores, &typed.comment));
    let screen = text(&draw(&app, 160, 48));
    assert!(
        screen.contains("now scored by kim (until 10:45): read-only"),
        "{screen}"
    );
    assert!(screen.contains("Esc"), "{screen}");
    // Keys change nothing and save nothing; the claim is not renewed.
    chars(&mut app, "xyz");
    let effects = key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SaveScore(_))),
        "{effects:?}"
    );
    assert_eq!(
        app.scores.form.as_ref().map(|f| f.comment.as_str()),
        Some("late refund")
    );
    let effects = app.update(Action::Tick(now().add_secs(20 * 60)));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::ClaimScorecard(..))),
        "{effects:?}"
    );
    // Esc closes it; the claim is Kim's, so nothing is released.
    let effects = key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(app.scores.form.is_none());
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::ReleaseScorecard(..))),
        "{effects:?}"
    );
    // Opened again: everything typed is back, editable, and claimed anew.
    let effects = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ClaimScorecard(_, c) if c == "c2")),
        "{effects:?}"
    );
    let f = app.scores.form.as_ref().expect("reopened");
    assert_eq!((&f.scores, &f.comment), (&typed.scores, &typed.comment));
    assert_eq!(f.taken, None);
    assert!(
        f.error.as_deref().is_some_and(|e| e.contains("draft")),
        "{:?}",
        f.error
    );
    chars(&mut app, "!");
    assert_eq!(
        app.scores.form.as_ref().map(|f| f.comment.as_str()),
        Some("late refund!")
    );
}

/// A form opened on a contact another lead is scoring, before anything is
/// typed: refused and closed, as before; no draft is kept.
#[test]
fn a_claim_refused_before_anything_is_typed_closes_the_form() {
    use shiftdeck::app::action::ClaimAnswer;
    let mut app = app(160, 48);
    app.update(Action::Key(K::Focus(3)));
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    app.update(Action::ScorecardClaim(
        "c2".into(),
        ClaimAnswer::Taken {
            by: "kim".into(),
            until: now().add_secs(15 * 60),
        },
    ));
    assert!(app.scores.form.is_none());
    let note = app.note.as_ref().map(|n| n.0.clone()).unwrap_or_default();
    assert!(note.starts_with("c2 is being scored by kim"), "{note}");
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let f = app.scores.form.as_ref().expect("opens again");
    assert_eq!(f.error, None, "no draft to bring back");
}
