//! KPI notes in the console: `n` on the KPI pane asks for the cause, then the
//! action, prefilled with this week's stored note; the note is an effect the
//! console writes to the store, "saved" only after Ok. Fixture `ui_support`:
//! now is Sunday 2026-11-22 10:30 in Asia/Shanghai, ISO week 2026-W47
//! (week 1 of 2026 starts Monday 2025-12-29; 22 Nov is day 328 after it,
//! 328 / 7 = 46 full weeks, so week 47, Monday 16 Nov to Sunday 22 Nov).

use crate::ui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::Context;
use shiftdeck::app::prompt::Prompt;
use shiftdeck::app::state::{Action, App, Effect, KpiNotePrompt, List, Pane};
use shiftdeck::domain::KpiKey;
use shiftdeck::domain::testkit::aht_note;
use shiftdeck::runtime::effects::run_effects;
use shiftdeck::store::{Store, open_for_console};
use ui_support::*;

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    match action_for(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)), app) {
        Some(a) => app.update(a),
        None => Vec::new(),
    }
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The KPI pane with AHT (fourth KPI: CSAT, NPS, FCR, AHT) selected.
fn kpi_app() -> App {
    let mut app = app(100, 30);
    app.focus = Pane::Kpis;
    app.author = "王芳".into();
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.selected(List::Kpis), 3);
    app
}

fn note_prompt(app: &App) -> Option<KpiNotePrompt> {
    match app.prompt() {
        Some(Prompt::KpiNote(p)) => Some(p.clone()),
        _ => None,
    }
}

#[test]
fn n_asks_cause_then_action_and_enter_saves_the_note() {
    let mut app = kpi_app();
    assert_eq!(KpiKey::ALL[3], KpiKey::AhtS);
    assert_eq!(app.contexts()[0], Context::Kpis);
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.input_text(), Some(""));
    assert!(note_prompt(&app).unwrap().cause.is_none());
    type_text(&mut app, "new billing system");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    // Now in the action step: the cause is kept, the input is empty.
    let p = note_prompt(&app).unwrap();
    assert_eq!(p.cause.as_deref(), Some("new billing system"));
    assert_eq!(app.input_text(), Some(""));
    type_text(&mut app, "coach on refunds");
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::SaveKpiNote(aht_note(
            "new billing system",
            "coach on refunds"
        ))]
    );
    assert!(app.input.is_none());
    assert!(app.filter_text.is_empty(), "the note is not a filter");
    assert!(app.note.is_none(), "nothing said before the write");
    // `n` elsewhere still moves right: only the KPI pane has the note key.
    app.focus = Pane::Feedback;
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert!(note_prompt(&app).is_none());
}

#[test]
fn esc_cancels_at_either_step_without_saving() {
    let mut app = kpi_app();
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "cause");
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.input.is_none());

    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "cause");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "action");
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.input.is_none());
    assert!(app.kpi_notes.list.is_empty());
}

#[test]
fn the_prompt_prefills_this_weeks_note_and_the_detail_shows_it() {
    let mut app = kpi_app();
    let mut last_week = aht_note("old cause", "old action");
    last_week.week = "2026-W46".into();
    app.update(Action::KpiNotes(vec![
        last_week,
        aht_note("queue spike", "add overflow"),
    ]));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.input_text(), Some("queue spike"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.input_text(), Some("add overflow"));
    press(&mut app, KeyCode::Esc);

    press(&mut app, KeyCode::Enter);
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("queue spike"), "{t}");
    assert!(t.contains("add overflow"), "{t}");
    assert!(!t.contains("old cause"), "{t}");
}

#[test]
fn saved_only_after_ok_and_an_error_keeps_the_texts() {
    let mut app = kpi_app();
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "long calls");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "side-by-side");
    let effects = press(&mut app, KeyCode::Enter);
    let [Effect::SaveKpiNote(entry)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    app.update(Action::KpiNoteSaved(Err("disk full".into())));
    assert_eq!(
        app.note.as_ref().unwrap().0,
        "AHT: note not saved: disk full (cause: long calls · action: side-by-side)"
    );
    assert!(app.kpi_notes.list.is_empty());

    app.update(Action::KpiNoteSaved(Ok(entry.clone())));
    assert_eq!(app.note.as_ref().unwrap().0, "AHT: note saved");
    assert_eq!(app.kpi_notes.list, vec![entry.clone()]);
}

#[test]
fn the_console_writes_the_note_and_the_store_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (store, msg) = open_for_console(
        &dir.path().join("shiftdeck.db"),
        &shiftdeck::domain::SourceId::unrecorded(),
    );
    assert!(msg.is_none());
    let store = store.unwrap();
    let mut app = kpi_app();
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "new hires");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "buddy shifts");
    let effects = press(&mut app, KeyCode::Enter);
    run_effects(&mut app, effects, Some(&store), None);
    let rows = store.kpi_notes("2026-W47").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kpi, "aht_s");
    assert_eq!(rows[0].cause, "new hires");
    assert_eq!(rows[0].action, "buddy shifts");
    assert_eq!(rows[0].author, "王芳");
    assert_eq!(rows[0].saved_at, now());
    assert_eq!(app.note.as_ref().unwrap().0, "AHT: note saved");
    assert!(store.kpi_notes("2026-W46").unwrap().is_empty());

    // Read-only store: the error says so and the typed texts are shown.
    Store::open(&dir.path().join("ok.db")).unwrap();
    let ro = Store::open_read_only(&dir.path().join("ok.db"))
        .unwrap()
        .unwrap();
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.input_text(), Some("new hires"));
    press(&mut app, KeyCode::Enter);
    retype(&mut app, "pair with seniors");
    let effects = press(&mut app, KeyCode::Enter);
    run_effects(&mut app, effects, Some(&ro), None);
    let note = app.note.as_ref().unwrap().0.clone();
    assert!(note.contains("read-only"), "{note}");
    assert!(note.contains("pair with seniors"), "{note}");
    assert_eq!(app.kpi_note(KpiKey::AhtS).unwrap().action, "buddy shifts");
}
