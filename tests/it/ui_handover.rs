//! The console's handover view (`O`): the same report `report handover`
//! builds (`domain::handover::build`, through the engine), for the current
//! shift (the local day of the fixture's 10:30, Sun 22 Nov 2026,
//! Asia/Shanghai); Enter saves the incoming lead's acknowledgement in the
//! store (who, when) before the footer says so; the view then says who
//! acknowledged it and when. Keys go through the key table and `update`.
//! On a huddle screen no customer identifier shows.

use crate::ui_support;

use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::input::action_for;
use shiftdeck::app::state::{App, Effect, EngineCmd, Overlay};
use shiftdeck::app::view::{EngineMsg, View};
use shiftdeck::domain::alerts::{AlertObject, Rule, Severity};
use shiftdeck::domain::followup::FollowupRules;
use shiftdeck::domain::window::{Shifts, WindowKind};
use shiftdeck::domain::{SourceId, Window};
use shiftdeck::i18n::Lang;
use shiftdeck::runtime::effects::run_effects;
use shiftdeck::runtime::engine::{Engine, EngineOptions, handover_for};
use shiftdeck::store::{KpiNote, Store};
use ui_support::*;

/// The console's shift at 10:30: the local day.
fn today() -> Window {
    Window {
        from: ts("2026-11-22T00:00:00+08:00"),
        to: ts("2026-11-23T00:00:00+08:00"),
    }
}

/// A store with an alert fired at 09:30 (acknowledged by 王芳 at 09:35),
/// and a KPI note whose text carries a customer's phone number.
fn filled_store(dir: &std::path::Path) -> Store {
    let mut s = Store::open(&dir.join("shiftdeck.db"))
        .unwrap()
        .for_source(SourceId::new("file:/floor.ndjson"));
    s.set_author("lee");
    let a = AlertObject {
        id: "kpi_alert:service_level".into(),
        rule: Rule::KpiAlert,
        subject: "service_level".into(),
        severity: Severity::Critical,
        since: ts("2026-11-22T09:20:00+08:00"),
        message: "SL 61.0% (target 80.0%)".into(),
    };
    let ep = s
        .record_alert_fired(&a, ts("2026-11-22T09:30:00+08:00"), &[])
        .unwrap()
        .unwrap();
    s.ack_alert(ep, "王芳", ts("2026-11-22T09:35:00+08:00"))
        .unwrap();
    s.save_kpi_note(&KpiNote {
        week: "2026-W47".into(),
        kpi: "fcr".into(),
        cause: "callbacks to 13812345678 missed".into(),
        action: "coach a-li".into(),
        author: "王芳".into(),
        saved_at: ts("2026-11-22T10:00:00+08:00"),
    })
    .unwrap();
    s
}

/// The fixture's view with the handover the engine builds (from `store`).
fn view_with_handover(store: Option<&Store>) -> View {
    let (floor, _) = shiftdeck::source::load_str(&floor_ndjson());
    let mut view = view_of(&floor_ndjson(), WindowKind::Today, &Default::default());
    view.handover = Some(Box::new(handover_for(
        &floor,
        &settings(),
        &FollowupRules::default(),
        store,
        now(),
    )));
    view
}

fn console(lang: Lang, store: Option<&Store>, w: u16, h: u16) -> App {
    let mut app = app_on(view_with_handover(store), w, h);
    app.lang = lang;
    app.author = "lee".into();
    app
}

/// One key through the key table and `update`; its effects.
fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let action = action_for(ev, app).unwrap_or_else(|| panic!("{code:?} does nothing here"));
    app.update(action)
}

#[test]
fn handover_snapshots_80x24_and_wide_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path());
    for (lang, tag) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(80u16, 24u16), (140, 40)] {
            let mut app = console(lang, Some(&store), w, h);
            press(&mut app, KeyCode::Char('O'));
            let name = format!("handover_{tag}_{w}x{h}");
            insta::assert_snapshot!(name, text(&draw(&app, w, h)));
        }
    }
    // Acknowledged: the line at the top says by whom and when.
    let mut app = console(Lang::En, Some(&store), 80, 24);
    press(&mut app, KeyCode::Char('O'));
    let effects = press(&mut app, KeyCode::Enter);
    run_effects(&mut app, effects, Some(&store), None);
    insta::assert_snapshot!("handover_en_80x24_acknowledged", text(&draw(&app, 80, 24)));
}

#[test]
fn the_view_shows_the_reports_content() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path());
    let app = {
        let mut a = console(Lang::En, Some(&store), 140, 60);
        press(&mut a, KeyCode::Char('O'));
        a
    };
    let screen = text(&draw(&app, 140, 60));
    // The title names the shift; every section of the report is there.
    assert!(
        screen.contains("Handover 11-22 00:00 – 11-23 00:00"),
        "{screen}"
    );
    for section in [
        "KPIs against target",
        "Alerts that fired",
        "Open feedback (3 open, 1 overdue)",
        "Spot checks",
        "Staffing ahead",
        "The lead's notes (2026-W47)",
    ] {
        assert!(screen.contains(section), "{section} in\n{screen}");
    }
    // The stored alert with who acknowledged it; the note with its author.
    assert!(screen.contains("SL 61.0% (target 80.0%)"), "{screen}");
    assert!(screen.contains("✓ 王芳 09:35"), "{screen}");
    assert!(
        screen.contains(
            "FCR cause: callbacks to 13812345678 missed; action: coach a-li (王芳, 11-22 10:00)"
        ),
        "{screen}"
    );
    // Open feedback: f1 (due 09:00) overdue, f2 and f4 open, f3 closed absent.
    assert!(!screen.contains(" f3 "), "{screen}");
    assert!(
        screen.contains("not acknowledged yet: Enter acknowledges it as lee"),
        "{screen}"
    );
}

#[test]
fn o_opens_enter_acknowledges_in_the_store_then_the_view_says_who_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path());
    let mut app = console(Lang::En, Some(&store), 100, 30);
    let effects = press(&mut app, KeyCode::Char('O'));
    assert_eq!(app.overlay, Some(Overlay::Handover));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Engine(EngineCmd::Handover(Some(_)))]
        ),
        "the engine is asked for the handover: {effects:?}"
    );
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::AckHandover {
            shift: today(),
            at: now()
        }]
    );
    // Nothing is said before the store answered.
    assert!(app.note.is_none());
    run_effects(&mut app, effects, Some(&store), None);
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("handover acknowledged (saved)")
    );
    // Durable: another handle on the file reads it.
    let other = Store::open(&dir.path().join("shiftdeck.db"))
        .unwrap()
        .for_source(SourceId::new("file:/floor.ndjson"));
    let ack = other.handover_ack(today()).unwrap().expect("stored");
    assert_eq!((ack.who.as_str(), ack.at), ("lee", now()));
    let screen = text(&draw(&app, 100, 30));
    assert!(
        screen.contains("✓ acknowledged by lee at 11-22 10:30"),
        "{screen}"
    );
    // Pressing it again says it is done, and saves nothing.
    let effects = press(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("handover already acknowledged by lee at 10:30")
    );
    // The engine's next handover reads the stored acknowledgement.
    let next = view_with_handover(Some(&other));
    assert_eq!(next.handover.as_ref().unwrap().ack, Some(ack));
    app.update(shiftdeck::app::state::Action::Engine(EngineMsg::View(
        Box::new(next),
    )));
    let screen = text(&draw(&app, 100, 30));
    assert!(
        screen.contains("✓ acknowledged by lee at 11-22 10:30"),
        "{screen}"
    );
    // Esc closes and the engine stops building it.
    let effects = press(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, None);
    assert_eq!(effects, vec![Effect::Engine(EngineCmd::Handover(None))]);
}

#[test]
fn another_leads_earlier_acknowledgement_stays_and_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path());
    // Kim acknowledged it from another console after this view was built.
    let mut kim = Store::open(&dir.path().join("shiftdeck.db"))
        .unwrap()
        .for_source(SourceId::new("file:/floor.ndjson"));
    kim.set_author("kim");
    let mut app = console(Lang::En, Some(&store), 100, 30);
    kim.ack_handover(today(), "kim", ts("2026-11-22T10:20:00+08:00"))
        .unwrap();
    press(&mut app, KeyCode::Char('O'));
    let effects = press(&mut app, KeyCode::Enter);
    run_effects(&mut app, effects, Some(&store), None);
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("handover already acknowledged by kim at 10:20")
    );
    let screen = text(&draw(&app, 100, 30));
    assert!(
        screen.contains("✓ acknowledged by kim at 11-22 10:20"),
        "{screen}"
    );
    assert_eq!(store.handover_ack(today()).unwrap().unwrap().who, "kim");
}

#[test]
fn without_a_writable_store_the_acknowledgement_is_not_saved_and_says_why() {
    let mut app = console(Lang::Zh, None, 100, 30);
    press(&mut app, KeyCode::Char('O'));
    let effects = press(&mut app, KeyCode::Enter);
    run_effects(&mut app, effects, None, None);
    let note = app.note.as_ref().map(|n| n.0.clone()).unwrap_or_default();
    assert!(note.starts_with("接班确认未保存："), "{note}");
    let screen = text(&draw(&app, 100, 30));
    assert!(
        screen.contains("尚未确认：按 Enter 以 lee 的名义确认接班"),
        "{screen}"
    );
    // Before the engine built it, Enter says it is not ready.
    let mut bare = app_on(
        view_of(&floor_ndjson(), WindowKind::Today, &Default::default()),
        80,
        24,
    );
    press(&mut bare, KeyCode::Char('O'));
    assert!(text(&draw(&bare, 80, 24)).contains("Putting the handover together…"));
    assert!(press(&mut bare, KeyCode::Enter).is_empty());
    assert_eq!(
        bare.note.as_ref().map(|n| n.0.as_str()),
        Some("the handover is not ready yet")
    );
}

#[test]
fn a_huddle_screen_shows_no_customer_ids() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled_store(dir.path());
    let mut app = console(Lang::En, Some(&store), 140, 60);
    app.start_huddle();
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(app.overlay, Some(Overlay::Handover));
    let screen = text(&draw(&app, 140, 60));
    assert!(screen.contains("The lead's notes"), "{screen}");
    assert!(!screen.contains("13812345678"), "{screen}");
    assert!(
        screen.contains("5678"),
        "the masked number keeps its end: {screen}"
    );
    for id in ["u-10021", "u-10022", "u-10023", "u-10024", "u-10026"] {
        assert!(!screen.contains(id), "{id} in\n{screen}");
    }
}

#[test]
fn the_help_and_the_footer_list_the_handover_keys() {
    let mut app = console(Lang::En, None, 120, 120);
    press(&mut app, KeyCode::Char('?'));
    let help = text(&draw(&app, 120, 120));
    assert!(help.contains("Handover"), "{help}");
    assert!(help.contains("the shift handover (today)"), "{help}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('O'));
    let screen = text(&draw(&app, 120, 50));
    assert!(screen.contains("Enter acknowledge"), "{screen}");
    // O again closes it.
    press(&mut app, KeyCode::Char('O'));
    assert_eq!(app.overlay, None);
}

#[test]
fn the_engine_builds_the_handover_while_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, floor_ndjson()).unwrap();
    let mut e = Engine::new(EngineOptions {
        files: vec![path],
        label: "floor.ndjson".into(),
        settings: settings(),
        reload_settings: None,
        shifts: Shifts::default(),
        clock: Arc::new(now),
    });
    e.poll_sources();
    assert!(e.compute().handover.is_none(), "not unless asked");
    e.handle(EngineCmd::Handover(Some(FollowupRules::default())));
    assert!(e.due(Instant::now()));
    let v = e.compute();
    let r = v.handover.expect("built");
    assert_eq!(r.window, today());
    // The same report `report handover` builds for that window and clock.
    let (floor, _) = shiftdeck::source::load_str(&floor_ndjson());
    let same = shiftdeck::cli::handover::build(
        &floor,
        &settings(),
        &FollowupRules::default(),
        today(),
        now(),
        Default::default(),
    );
    assert_eq!(*r, same);
    e.handle(EngineCmd::Handover(None));
    assert!(e.compute().handover.is_none());
}
