//! Feedback follow-up in the console: board keys are effects the console
//! writes as store events, "saved" only after Ok, the board shows the merged
//! state (✎ on a locally changed item), a failed or read-only write changes
//! nothing. Fixture `ui_support`: the board's first row is f1 (handling,
//! owner a-wang, received yesterday 15:00, due today 09:00; now 10:30 +08).

use crate::ui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::KeyAction;
use shiftdeck::app::prompt::Prompt;
use shiftdeck::app::state::{Action, App, Effect, List, Pane};
use shiftdeck::domain::followup::{FollowupAction, FollowupChange, FollowupEvent};
use shiftdeck::domain::{CallbackResult, RootCause, Stage};
use shiftdeck::runtime::effects::run_effects;
use shiftdeck::store::{FeedbackChange, Store, open_for_console};
use ui_support::*;

fn key(app: &mut App, c: char) -> Vec<Effect> {
    match action_for(
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        app,
    ) {
        Some(a) => app.update(a),
        None => Vec::new(),
    }
}

fn board_app() -> App {
    let mut app = app(80, 24);
    app.focus = Pane::Feedback;
    app.author = "王芳".into();
    app
}

fn f1(app: &App) -> shiftdeck::domain::FeedbackReport {
    app.selected_feedback().cloned().expect("f1 selected")
}

#[test]
fn next_stage_is_an_effect_and_the_board_moves_only_after_ok() {
    let mut app = board_app();
    assert_eq!(f1(&app).id, "f1");
    assert_eq!(f1(&app).stage.as_deref(), Some("handling"));
    // Received yesterday 15:00, no change since: over an hour in handling.
    assert!(f1(&app).stale);
    let effects = key(&mut app, ']');
    let event = FollowupEvent {
        item: "f1".into(),
        at: now(),
        change: FollowupChange::Stage(Stage::Resolved),
    };
    assert_eq!(effects, vec![Effect::SaveFollowup(event.clone())]);
    assert_eq!(
        f1(&app).stage.as_deref(),
        Some("handling"),
        "not before the write"
    );
    assert!(app.note.is_none());

    app.update(Action::FollowupSaved(Err((
        event.clone(),
        "disk full".into(),
    ))));
    assert_eq!(f1(&app).stage.as_deref(), Some("handling"));
    let note = app.note.as_ref().unwrap().0.clone();
    assert_eq!(note, "f1: 'resolved' not saved: disk full");

    app.update(Action::FollowupSaved(Ok(event)));
    let f = app
        .view
        .as_ref()
        .unwrap()
        .snapshot
        .feedback
        .iter()
        .find(|f| f.id == "f1")
        .unwrap()
        .clone();
    assert_eq!(f.stage.as_deref(), Some("resolved"));
    assert!(f.local && !f.stale);
    assert_eq!(f.stage_since, Some(now()));
    assert_eq!(app.note.as_ref().unwrap().0, "f1: resolved saved");
}

#[test]
fn keys_cycle_values_and_the_owner_prompt_saves_an_owner() {
    let mut app = board_app();
    let value = |e: &[Effect]| match e {
        [Effect::SaveFollowup(ev)] => ev.change.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        value(&key(&mut app, '[')),
        FollowupChange::Stage(Stage::New)
    );
    assert_eq!(
        value(&key(&mut app, 'c')),
        FollowupChange::CallbackResult(CallbackResult::Satisfied)
    );
    assert_eq!(
        value(&key(&mut app, 'R')),
        FollowupChange::RootCause(RootCause::Agent)
    );
    assert_eq!(
        value(&key(&mut app, 'a')),
        FollowupChange::Action(FollowupAction::Coaching)
    );
    // `o` opens the prompt prefilled with the owner; typing replaces it.
    assert!(key(&mut app, 'o').is_empty());
    assert_eq!(app.input_text(), Some("a-wang"));
    retype(&mut app, "");
    for c in "a-sam".chars() {
        key(&mut app, c);
    }
    let effects = match action_for(
        Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        &app,
    ) {
        Some(a) => app.update(a),
        None => Vec::new(),
    };
    assert_eq!(value(&effects), FollowupChange::Owner("a-sam".into()));
    assert!(app.input.is_none());
    assert!(app.filter_text.is_empty(), "the owner is not a filter");
}

#[test]
fn the_console_writes_events_with_the_author_and_read_only_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    let (store, msg) = open_for_console(&path, &shiftdeck::domain::SourceId::unrecorded());
    assert!(msg.is_none());
    let store = store.unwrap();
    let mut app = board_app();
    let effects = key(&mut app, ']');
    run_effects(&mut app, effects, Some(&store), None);
    let rows = store.all_feedback_events().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].item, "f1");
    assert_eq!(rows[0].author, "王芳");
    assert_eq!(rows[0].at, now());
    assert_eq!(rows[0].change, FeedbackChange::Stage("resolved".into()));
    assert_eq!(app.board.followups.len(), 1);

    // Read-only store: the error says so; the saved event stays merged.
    Store::open(&dir.path().join("ok.db")).unwrap();
    let ro = Store::open_read_only(&dir.path().join("ok.db"))
        .unwrap()
        .unwrap();
    app.update(Action::Key(KeyAction::Top));
    let effects = key(&mut app, 'R');
    run_effects(&mut app, effects, Some(&ro), None);
    let note = app.note.as_ref().unwrap().0.clone();
    assert!(note.contains("read-only"), "{note}");
    assert_eq!(app.board.followups.len(), 1);
    let f = app
        .view
        .as_ref()
        .unwrap()
        .snapshot
        .feedback
        .iter()
        .find(|f| f.id == "f1")
        .unwrap();
    assert_eq!(f.stage.as_deref(), Some("resolved"));
}

#[test]
fn board_with_a_locally_changed_item_80x24() {
    let mut app = board_app();
    let event = FollowupEvent {
        item: "f1".into(),
        at: now().add_secs(-600),
        change: FollowupChange::Owner("a-sam".into()),
    };
    app.update(Action::Followups(vec![event]));
    let buf = draw(&app, 80, 24);
    let t = text(&buf);
    assert!(t.contains("✎f1"), "{t}");
    insta::assert_snapshot!("feedback_followup_80x24", t);
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    match action_for(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)), app) {
        Some(a) => app.update(a),
        None => Vec::new(),
    }
}

#[test]
fn e_records_the_result_and_the_board_shows_it_after_the_save() {
    let mut app = board_app();
    assert_eq!(f1(&app).id, "f1");
    assert_eq!(f1(&app).result, None);
    // Esc leaves the prompt with nothing saved.
    assert!(key(&mut app, 'e').is_empty());
    assert_eq!(app.input_text(), Some(""));
    assert_eq!(app.prompt(), Some(&Prompt::Result("f1".into())));
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.input.is_none());
    assert_eq!(f1(&app).result, None);

    assert!(key(&mut app, 'e').is_empty());
    for c in "refund 30".chars() {
        key(&mut app, c);
    }
    let effects = press(&mut app, KeyCode::Enter);
    let event = FollowupEvent {
        item: "f1".into(),
        at: now(),
        change: FollowupChange::Result("refund 30".into()),
    };
    assert_eq!(effects, vec![Effect::SaveFollowup(event.clone())]);
    assert!(app.input.is_none());
    assert!(app.filter_text.is_empty(), "the result is not a filter");
    assert_eq!(f1(&app).result, None, "not before the write");

    app.update(Action::FollowupSaved(Ok(event)));
    assert_eq!(f1(&app).result.as_deref(), Some("refund 30"));
    assert!(f1(&app).local);
    // The prompt opens prefilled with the merged result.
    key(&mut app, 'e');
    assert_eq!(app.input_text(), Some("refund 30"));
    // The same line again saves nothing.
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    // An emptied line clears the result: saved as an empty value.
    key(&mut app, 'e');
    retype(&mut app, "  ");
    let effects = press(&mut app, KeyCode::Enter);
    let cleared = FollowupEvent {
        item: "f1".into(),
        at: now(),
        change: FollowupChange::Result(String::new()),
    };
    assert_eq!(effects, vec![Effect::SaveFollowup(cleared.clone())]);
    app.update(Action::FollowupSaved(Ok(cleared)));
    assert_eq!(f1(&app).result, None);
    assert_eq!(app.note.as_ref().unwrap().0, "f1: cleared");
    // With nothing to clear, an empty line saves nothing.
    key(&mut app, 'e');
    assert!(press(&mut app, KeyCode::Enter).is_empty());
}

#[test]
fn an_owner_can_be_unassigned() {
    let mut app = board_app();
    assert_eq!(f1(&app).owner.as_deref(), Some("a-wang"));
    key(&mut app, 'o');
    retype(&mut app, "");
    let effects = press(&mut app, KeyCode::Enter);
    let Some(Effect::SaveFollowup(e)) = effects.first().cloned() else {
        panic!("{effects:?}");
    };
    assert_eq!(e.change, FollowupChange::Owner(String::new()));
    app.update(Action::FollowupSaved(Ok(e)));
    assert_eq!(f1(&app).owner, None, "the feed's owner is overridden");
    assert!(f1(&app).local);
}

#[test]
fn r_re_reads_the_feedback_rules_and_the_scorecard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("shiftdeck.toml");
    // f1 has been in handling for 19.5 h: stale under the 1 h default.
    let mut app = board_app();
    assert!(f1(&app).stale);
    std::fs::write(
        &cfg,
        "[feedback]\nescalation_stale_h = 24\n\n[scorecard]\nscale_max = 4\n",
    )
    .expect("write config");
    app.config_path = Some(cfg.clone());
    let effects = key(&mut app, 'r');
    assert!(effects.contains(&Effect::ReloadConfig), "{effects:?}");
    run_effects(&mut app, effects, None, None);
    assert_eq!(app.board.rules.escalation_stale_h, 24);
    assert!(!f1(&app).stale, "19.5 h is within 24 h");
    assert_eq!(app.scores.card.scale_max, 4);
    // A broken config changes nothing here (the engine shows the error).
    std::fs::write(&cfg, "[feedback]\nescalation_stale_h = \"soon\"\n").expect("write");
    let effects = key(&mut app, 'r');
    run_effects(&mut app, effects, None, None);
    assert_eq!(app.board.rules.escalation_stale_h, 24);
}

#[test]
fn the_cursor_stays_on_the_item_when_the_board_re_sorts() {
    let mut app = board_app();
    assert_eq!(f1(&app).id, "f1");
    let closed = FollowupEvent {
        item: "f1".into(),
        at: now(),
        change: FollowupChange::Stage(Stage::Closed),
    };
    app.update(Action::FollowupSaved(Ok(closed)));
    // A closed item sinks below the open ones; the cursor follows it, so
    // the next key does not act on the item that moved into its row.
    let view = app.view.as_ref().unwrap();
    let row = app
        .rows
        .feedback
        .iter()
        .position(|&i| view.snapshot.feedback[i].id == "f1")
        .unwrap();
    assert!(row > 0, "f1 moved down");
    assert_eq!(app.selected(List::Feedback), row);
    assert_eq!(f1(&app).id, "f1");
    assert_eq!(f1(&app).stage.as_deref(), Some("closed"));
}

#[test]
fn a_failed_owner_save_keeps_what_was_typed_and_names_its_item() {
    let mut app = board_app();
    key(&mut app, 'o');
    retype(&mut app, "a-sam");
    let effects = press(&mut app, KeyCode::Enter);
    let Some(Effect::SaveFollowup(e)) = effects.first().cloned() else {
        panic!("{effects:?}");
    };
    // The cursor moves on before the answer comes back.
    key(&mut app, 'j');
    app.update(Action::FollowupSaved(Err((e, "disk full".into()))));
    assert_eq!(
        app.note.as_ref().unwrap().0,
        "f1: 'a-sam' not saved: disk full"
    );
    assert_ne!(f1(&app).id, "f1", "the cursor is where the lead put it");
}
