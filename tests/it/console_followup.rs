//! Feedback follow-up in the console: board keys are effects the console
//! writes as store events, "saved" only after Ok, the board shows the merged
//! state (✎ on a locally changed item), a failed or read-only write changes
//! nothing. Fixture `ui_support`: the board's first row is f1 (handling,
//! owner a-wang, received yesterday 15:00, due today 09:00; now 10:30 +08).

use crate::ui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::board::{Choice, Picker};
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::KeyAction;
use shiftdeck::app::prompt::Prompt;
use shiftdeck::app::state::{Action, App, Effect, List, Pane};
use shiftdeck::domain::followup::{FollowupChange, FollowupEvent, FollowupField};
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
fn stage_keys_save_pickers_open_and_the_owner_prompt_saves_an_owner() {
    let mut app = board_app();
    let value = |e: &[Effect]| match e {
        [Effect::SaveFollowup(ev)] => ev.change.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        value(&key(&mut app, '[')),
        FollowupChange::Stage(Stage::New)
    );
    // `c`, `R`, `a` open a picker and save nothing by themselves.
    for (c, field) in [
        ('c', FollowupField::CallbackResult),
        ('R', FollowupField::RootCause),
        ('a', FollowupField::Action),
    ] {
        assert!(key(&mut app, c).is_empty(), "{c} saves nothing");
        assert_eq!(picker(&app).field, field, "{c}");
        assert!(press(&mut app, KeyCode::Esc).is_empty());
        assert!(app.board.choice.is_none());
    }
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

/// The picker the board has open (fails when none is).
fn picker(app: &App) -> &Picker {
    match &app.board.choice {
        Some(Choice::Pick(p)) => p,
        other => panic!("no picker open: {other:?}"),
    }
}

/// The board with the cursor on f3: closed, callback satisfied, root cause
/// process, no action.
fn on_f3(app: &mut App) {
    press(app, KeyCode::End);
    assert_eq!(f1(app).id, "f3");
}

#[test]
fn c_on_a_satisfied_item_saves_nothing_until_a_value_is_chosen() {
    let mut app = board_app();
    on_f3(&mut app);
    assert_eq!(f1(&app).callback_result.as_deref(), Some("satisfied"));
    // The picker opens on the current value: Enter there changes nothing,
    // so nothing is saved and nothing reopens.
    assert!(key(&mut app, 'c').is_empty());
    let p = picker(&app);
    assert_eq!((p.cursor, p.current), (0, Some(0)));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(app.board.choice.is_none());
    assert_eq!(
        app.note.as_ref().unwrap().0,
        "f3: satisfied unchanged, nothing saved"
    );
    // ↓ then Esc: nothing saved.
    key(&mut app, 'c');
    press(&mut app, KeyCode::Down);
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.note.as_ref().unwrap().0, "nothing saved");
    // Letters move to the next value starting with them, digits to that
    // value; only Enter saves, once.
    key(&mut app, 'c');
    let cursor = |app: &App| picker(app).cursor;
    assert!(key(&mut app, 'u').is_empty());
    assert_eq!(cursor(&app), 1, "unsatisfied");
    assert!(key(&mut app, 'u').is_empty());
    assert_eq!(cursor(&app), 2, "unreached");
    assert!(key(&mut app, '1').is_empty());
    assert_eq!(cursor(&app), 0, "satisfied");
    assert!(key(&mut app, 'x').is_empty());
    assert_eq!(cursor(&app), 0, "no value starts with x");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    assert_eq!(cursor(&app), 2, "the cursor stops at the last value");
    press(&mut app, KeyCode::Up);
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::SaveFollowup(FollowupEvent {
            item: "f3".into(),
            at: now(),
            change: FollowupChange::CallbackResult(CallbackResult::Unsatisfied),
        })]
    );
    assert!(app.board.choice.is_none());
    // While the picker is open no other key acts: `q` does not quit.
    key(&mut app, 'R');
    assert!(key(&mut app, 'q').is_empty());
    assert!(!app.quit);
    assert!(app.board.choice.is_some());
}

#[test]
fn chinese_letters_and_digits_move_the_picker_too() {
    let mut app = board_app();
    app.lang = shiftdeck::i18n::Lang::Zh;
    // f1 has no root cause: the cursor starts on the first value.
    key(&mut app, 'R');
    let p = picker(&app);
    assert_eq!((p.cursor, p.current), (0, None));
    key(&mut app, 's');
    assert_eq!(picker(&app).cursor, 2, "system");
    key(&mut app, '流');
    assert_eq!(
        picker(&app).cursor,
        1,
        "流程 (process) by its Chinese label"
    );
    key(&mut app, '4');
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::SaveFollowup(FollowupEvent {
            item: "f1".into(),
            at: now(),
            change: FollowupChange::RootCause(RootCause::Product),
        })]
    );
}

#[test]
fn next_stage_on_a_closed_item_says_it_is_closed_and_saves_nothing() {
    let mut app = board_app();
    on_f3(&mut app);
    assert!(key(&mut app, ']').is_empty());
    assert_eq!(
        app.note.as_ref().unwrap().0,
        "f3 is closed, the last stage: nothing saved"
    );
    app.lang = shiftdeck::i18n::Lang::Zh;
    assert!(key(&mut app, ']').is_empty());
    assert_eq!(
        app.note.as_ref().unwrap().0,
        "f3 已是已关闭（最后阶段），未保存"
    );
    // `[` still moves it back one stage, one event.
    let effects = key(&mut app, '[');
    assert!(
        matches!(&effects[..], [Effect::SaveFollowup(e)] if e.change == FollowupChange::Stage(Stage::Callback)),
        "{effects:?}"
    );
}

#[test]
fn clearing_the_owner_of_an_overdue_item_asks_first() {
    let mut app = board_app();
    // f1 is overdue (due 09:00, now 10:30).
    assert!(f1(&app).overdue);
    let clear = |app: &mut App| {
        key(app, 'o');
        retype(app, "");
        press(app, KeyCode::Enter)
    };
    assert!(clear(&mut app).is_empty(), "asked, not saved");
    assert!(matches!(app.board.choice, Some(Choice::Confirm(_))));
    // n (or Esc) keeps the owner: nothing saved.
    assert!(key(&mut app, 'n').is_empty());
    assert!(app.board.choice.is_none());
    assert_eq!(f1(&app).owner.as_deref(), Some("a-wang"));
    assert!(clear(&mut app).is_empty());
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.board.choice.is_none());
    // y saves the one event.
    assert!(clear(&mut app).is_empty());
    let effects = key(&mut app, 'y');
    let cleared = FollowupEvent {
        item: "f1".into(),
        at: now(),
        change: FollowupChange::Owner(String::new()),
    };
    assert_eq!(effects, vec![Effect::SaveFollowup(cleared)]);
    assert!(app.board.choice.is_none());
    // Enter confirms too.
    assert!(clear(&mut app).is_empty());
    assert_eq!(press(&mut app, KeyCode::Enter).len(), 1);
    // An item that is not overdue (f2, due tomorrow) is cleared at once.
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Up);
    assert_eq!(f1(&app).id, "f2");
    assert!(!f1(&app).overdue);
    let effects = clear(&mut app);
    assert!(
        matches!(&effects[..], [Effect::SaveFollowup(e)] if e.change == FollowupChange::Owner(String::new())),
        "{effects:?}"
    );
}

#[test]
fn picker_and_question_at_80x24() {
    let mut app = board_app();
    on_f3(&mut app);
    key(&mut app, 'c');
    key(&mut app, 'u');
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("▶2 unsatisfied"), "{t}");
    assert!(t.contains("1 satisfied · now"), "{t}");
    insta::assert_snapshot!("feedback_picker_80x24", t);
    // The question on a fresh board in each language (no note left over
    // from an earlier key, which would stay in the language it was said in).
    for (lang, name, asks) in [
        (
            shiftdeck::i18n::Lang::En,
            "feedback_confirm_clear_owner_80x24",
            "f1 is overdue",
        ),
        (
            shiftdeck::i18n::Lang::Zh,
            "feedback_confirm_clear_owner_80x24_zh",
            "f1 已超期",
        ),
    ] {
        let mut app = board_app();
        app.lang = lang;
        key(&mut app, 'o');
        retype(&mut app, "");
        press(&mut app, KeyCode::Enter);
        let t = text(&draw(&app, 80, 24));
        assert!(t.contains(asks), "{t}");
        assert!(!t.contains("nothing saved"), "{t}");
        insta::assert_snapshot!(name, t);
    }
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
    assert!(key(&mut app, 'R').is_empty(), "the picker opens");
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(effects.len(), 1, "Enter saves the chosen root cause");
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
    // f1 is overdue: clearing its owner is asked first, then `y` saves.
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let effects = key(&mut app, 'y');
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
