//! Key handling through the app's `update`, and key events through the one
//! key table (`app::input::action_for`), on the fixture of `ui_support`.

use crate::ui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::filter::Filter;
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App, Effect, EngineCmd, List, Overlay, Pane};
use shiftdeck::app::view::EngineMsg;
use shiftdeck::domain::window::WindowKind;
use shiftdeck::domain::{KpiKey, Stage};
use ui_support::*;

fn press(app: &mut App, k: K) -> Vec<Effect> {
    app.update(Action::Key(k))
}

/// A real key event, dispatched through the key table like the console does.
fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    match action_for(Event::Key(KeyEvent::new(code, mods)), app) {
        Some(a) => app.update(a),
        None => Vec::new(),
    }
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

#[test]
fn focus_cycles_with_tab_and_numbers() {
    let mut app = app(160, 48);
    assert_eq!(app.focus, Pane::Queues);
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.focus, Pane::Kpis);
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.focus, Pane::Agents, "the fifth pane is in Tab order");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(app.focus, Pane::Queues);
    key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(app.focus, Pane::Agents);
    key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(app.focus, Pane::Spot);
    key(&mut app, KeyCode::Char('5'), KeyModifiers::NONE);
    assert_eq!(app.focus, Pane::Agents);
    key(&mut app, KeyCode::Char('3'), KeyModifiers::NONE);
    assert_eq!(app.focus, Pane::Feedback);
    key(&mut app, KeyCode::Char('2'), KeyModifiers::NONE);
    assert_eq!(app.focus, Pane::Kpis);
}

#[test]
fn arrows_and_vim_keys_move_and_clamp() {
    let mut app = app(160, 48);
    key(&mut app, KeyCode::Char('2'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('j'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(app.selected(List::Kpis), 2);
    key(&mut app, KeyCode::Char('k'), KeyModifiers::NONE);
    assert_eq!(app.selected(List::Kpis), 1);
    key(&mut app, KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(app.selected(List::Kpis), KpiKey::ALL.len() - 1);
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(app.selected(List::Kpis), KpiKey::ALL.len() - 1);
    key(&mut app, KeyCode::Char('g'), KeyModifiers::NONE);
    assert_eq!(app.selected(List::Kpis), 0);
    // Left/right switch the queue pane between queues and SLA timers.
    key(&mut app, KeyCode::Char('1'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('l'), KeyModifiers::NONE);
    assert_eq!(app.active_list(), List::Sla);
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    // Timers are most urgent first: c8 (breached), c6, c7.
    assert_eq!(app.overlay, Some(Overlay::Sla("c6".into())));
}

#[test]
fn enter_on_a_kpi_opens_its_definition_and_esc_closes() {
    let mut app = app(160, 48);
    press(&mut app, K::Focus(1));
    for _ in 0..3 {
        press(&mut app, K::Down);
    }
    press(&mut app, K::Open);
    assert_eq!(app.overlay, Some(Overlay::Kpi(KpiKey::AhtS)));
    // Up/down now scroll the overlay, not the list.
    press(&mut app, K::Down);
    assert_eq!(app.selected(List::Kpis), 3);
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.overlay, None);
}

#[test]
fn feedback_stage_selector_and_item_detail() {
    let mut app = app(160, 48);
    press(&mut app, K::Focus(2));
    // All four items, most urgent first: f1 (overdue), f3, f4, f2.
    assert_eq!(app.rows.feedback.len(), 4);
    assert_eq!(app.rows.stage_counts[..5], [1, 1, 0, 1, 1]);
    press(&mut app, K::Right); // "new"
    assert_eq!(app.select.stage, Some(Stage::New));
    let view = app.view.as_ref().expect("view");
    let ids: Vec<&str> = app
        .rows
        .feedback
        .iter()
        .map(|&i| view.snapshot.feedback[i].id.as_str())
        .collect();
    assert_eq!(ids, ["f2"]);
    press(&mut app, K::Open);
    assert_eq!(app.overlay, Some(Overlay::Feedback("f2".into())));
    press(&mut app, K::Back);
    press(&mut app, K::Left); // back to all
    assert_eq!(app.select.stage, None);
    press(&mut app, K::Left); // wraps to "closed"
    assert_eq!(app.select.stage, Some(Stage::Closed));
}

#[test]
fn filter_by_text_and_by_scope() {
    let mut app = app(160, 48);
    key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
    assert_eq!(app.input_text(), Some(""));
    // While typing, q and w are text, not quit and window.
    typed(&mut app, "rude");
    assert!(!app.quit);
    let effects = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(effects.is_empty(), "a text filter needs no recompute");
    assert_eq!(app.filter_text, "rude");
    assert_eq!(app.rows.feedback.len(), 1);
    assert!(app.rows.queues.is_empty());

    // Esc while typing leaves the applied filter alone.
    key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
    typed(&mut app, "xyz");
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.filter_text, "rude");
    assert_eq!(app.input, None);

    // A queue term asks the engine for KPIs of that queue.
    key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typed(&mut app, "q:chat");
    let effects = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let want = Filter {
        queue: Some("chat".into()),
        ..Filter::default()
    };
    assert_eq!(effects, vec![Effect::Engine(EngineCmd::SetFilter(want))]);

    // Esc in the panes clears the filter (and the scope).
    let effects = key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.filter_text, "");
    assert_eq!(
        effects,
        vec![Effect::Engine(EngineCmd::SetFilter(Filter::default()))]
    );
    assert_eq!(app.rows.feedback.len(), 4);
}

#[test]
fn the_filter_finds_the_feed_s_words_as_the_chinese_screen_shows_them() {
    let mut app = app(160, 48);
    let apply = |app: &mut App, text: &str| {
        key(app, KeyCode::Char('/'), KeyModifiers::NONE);
        key(app, KeyCode::Char('u'), KeyModifiers::CONTROL);
        typed(app, text);
        key(app, KeyCode::Enter, KeyModifiers::NONE);
    };
    // Two urgent timers (c8, c6) and one high (c7).
    apply(&mut app, "紧急");
    assert_eq!(app.rows.sla.len(), 2);
    apply(&mut app, "urgent");
    assert_eq!(app.rows.sla.len(), 2);
    // The chat queue, by its channel's Chinese name.
    apply(&mut app, "在线");
    assert_eq!(app.rows.queues.len(), 1);
}

#[test]
fn scoped_view_filters_rows_by_agent() {
    let mut app = app(160, 48);
    let f = Filter::parse("a:李雷");
    let view = view_of(&floor_ndjson(), WindowKind::Today, &f);
    assert_eq!(view.scope.agent.as_deref(), Some("a-li"));
    // a-li handled c2 (240 s) and c9 (400 s): AHT 320 s.
    assert_eq!(view.kpi(KpiKey::AhtS).and_then(|r| r.value), Some(320.0));
    app.filter = f;
    app.update(Action::Engine(EngineMsg::View(Box::new(view))));
    let v = app.view.as_ref().expect("view");
    // Only f2 is owned by a-li; no SLA timer is on a-li.
    let owners: Vec<_> = app
        .rows
        .feedback
        .iter()
        .map(|&i| v.snapshot.feedback[i].owner.clone())
        .collect();
    assert_eq!(owners, vec![Some("a-li".to_string())]);
    assert!(app.rows.sla.is_empty());
}

#[test]
fn zoom_toggles_and_esc_unzooms() {
    let mut app = app(160, 48);
    key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    assert!(app.zoom);
    key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    assert!(!app.zoom);
    key(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!app.zoom);
}

#[test]
fn w_cycles_the_five_windows() {
    let mut app = app(160, 48);
    let mut seen = Vec::new();
    for _ in 0..5 {
        for e in key(&mut app, KeyCode::Char('w'), KeyModifiers::NONE) {
            if let Effect::Engine(EngineCmd::SetWindow(w)) = e {
                seen.push(w);
            }
        }
    }
    assert_eq!(
        seen,
        [
            WindowKind::Shift,
            WindowKind::Yesterday,
            WindowKind::Rolling24h,
            WindowKind::ThisWeek,
            WindowKind::Today
        ]
    );
}

#[test]
fn freeze_holds_new_data_until_unfrozen() {
    let mut app = app(160, 48);
    key(&mut app, KeyCode::Char('f'), KeyModifiers::NONE);
    assert!(app.frozen);
    let yesterday = view_of(&floor_ndjson(), WindowKind::Yesterday, &Filter::default());
    app.update(Action::Engine(EngineMsg::View(Box::new(yesterday))));
    assert_eq!(app.view.as_ref().map(|v| v.kind), Some(WindowKind::Today));
    assert!(app.pending.is_some());
    // The clock still runs while frozen.
    app.update(Action::Tick(now().add_secs(5)));
    assert_eq!(app.now, now().add_secs(5));
    key(&mut app, KeyCode::Char('f'), KeyModifiers::NONE);
    assert!(!app.frozen);
    assert_eq!(
        app.view.as_ref().map(|v| v.kind),
        Some(WindowKind::Yesterday)
    );
    assert!(app.pending.is_none());
}

#[test]
fn help_opens_and_closes_and_q_still_quits() {
    let mut app = app(160, 48);
    key(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    assert_eq!(app.overlay, Some(Overlay::Help));
    key(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    assert_eq!(app.overlay, None);
    key(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.overlay, None);
    key(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    let effects = key(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(effects, vec![Effect::Quit]);
}

#[test]
fn ctrl_c_quits_even_while_typing() {
    let mut app = app(160, 48);
    key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
    let effects = key(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(effects, vec![Effect::Quit]);
}

#[test]
fn reload_and_theme() {
    let mut app = app(160, 48);
    let effects = key(&mut app, KeyCode::Char('r'), KeyModifiers::NONE);
    assert_eq!(
        effects,
        vec![Effect::Engine(EngineCmd::Reload), Effect::ReloadConfig]
    );
    let before = app.theme;
    key(&mut app, KeyCode::Char('t'), KeyModifiers::NONE);
    assert_ne!(app.theme, before);
}

#[test]
fn huddle_rotates_and_masks() {
    let mut app = app(160, 48);
    app.huddle_rotate_s = 10;
    assert!(!app.masked());
    key(&mut app, KeyCode::Char('H'), KeyModifiers::SHIFT);
    assert!(app.masked());
    let pane = |app: &App| app.huddle.map(|h| h.pane);
    assert_eq!(pane(&app), Some(Pane::Queues));
    app.update(Action::Tick(now().add_secs(9)));
    assert_eq!(pane(&app), Some(Pane::Queues));
    app.update(Action::Tick(now().add_secs(10)));
    assert_eq!(pane(&app), Some(Pane::Kpis));
    key(&mut app, KeyCode::Right, KeyModifiers::NONE);
    assert_eq!(pane(&app), Some(Pane::Feedback));
    // Left from the first pane wraps to the last shared one: the spot
    // checks (agents beside their flags) never go on the shared screen.
    key(&mut app, KeyCode::Left, KeyModifiers::NONE);
    key(&mut app, KeyCode::Left, KeyModifiers::NONE);
    key(&mut app, KeyCode::Left, KeyModifiers::NONE);
    assert_eq!(pane(&app), Some(Pane::Feedback));
    key(&mut app, KeyCode::Right, KeyModifiers::NONE);
    assert_eq!(pane(&app), Some(Pane::Queues));
    // Leaving huddle mode started with H unmasks the normal panes.
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.huddle, None);
    assert!(!app.masked());
    // A session started as a huddle stays masked, whatever is pressed.
    let mut app = ui_support::app(160, 48);
    app.start_huddle();
    key(&mut app, KeyCode::Char('H'), KeyModifiers::SHIFT);
    assert_eq!(app.huddle, None);
    assert!(app.masked());
    let buf = draw(&app, 160, 48);
    let t = text(&buf);
    assert!(!t.contains("u-10026") && t.contains("u-***26"));
    press(&mut app, K::Focus(2));
    press(&mut app, K::Open);
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("***5678"), "{t}");
    assert!(!t.contains("13812345678") && !t.contains("138-1234-5678"));
}

#[test]
fn redraw_only_when_something_changed() {
    let mut app = app(160, 48);
    app.dirty = false;
    // Same status again: nothing to draw.
    let same = app.status.clone();
    app.update(Action::Engine(EngineMsg::Status(Box::new(same))));
    assert!(!app.dirty);
    // A key that does nothing visible still redraws (cheap), a resize too.
    app.update(Action::Resize(100, 30));
    assert!(app.dirty);
    assert_eq!(app.size, (100, 30));
}

/// The header says one data state at a time: never "● live" beside
/// "❄ FROZEN" (the lead's `f`) nor beside a failing source.
#[test]
fn the_header_never_says_live_beside_frozen_or_an_error() {
    use shiftdeck::app::keymap::KeyAction as K;
    use shiftdeck::app::state::Action;
    use shiftdeck::app::view::EngineMsg;
    let (w, h) = (200, 40);
    let mut app = crate::ui_support::app_with(&crate::ui_support::floor_ndjson(), w, h);
    let header = |app: &shiftdeck::app::state::App| {
        crate::ui_support::text(&crate::ui_support::draw(app, w, h))
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    };
    let top = header(&app);
    assert!(top.contains("● live"), "fresh data reads live: {top}");

    app.update(Action::Key(K::Freeze));
    let top = header(&app);
    assert!(top.contains("FROZEN"), "{top}");
    assert!(!top.contains("live"), "{top}");
    app.update(Action::Key(K::Freeze));
    assert!(header(&app).contains("● live"));

    // A poll fails right after a good one: the error, not "live".
    let mut status = app.status.clone();
    status.last_error = Some("file not found".into());
    app.update(Action::Engine(EngineMsg::Status(Box::new(status))));
    let top = header(&app);
    assert!(top.contains("⚠ file not found"), "{top}");
    assert!(!top.contains("live"), "{top}");
}

/// The header's one data state, in its precedence: FROZEN, then a failing
/// source, then the freshness word. Frozen while the source fails, the
/// header says FROZEN only (not the error, not "live", not the source's
/// notes); unfrozen, the error; the source back, "live". Drawn on ratatui's
/// TestBackend, in English and in Chinese.
#[test]
fn the_header_says_frozen_before_a_failing_source_before_live() {
    use shiftdeck::app::keymap::KeyAction as K;
    use shiftdeck::app::state::{Action, App};
    use shiftdeck::app::view::EngineMsg;
    use shiftdeck::domain::status::{FileReset, PollNote, ResetKind};
    let (w, h) = (220, 40);
    let header = |app: &App| {
        crate::ui_support::text(&crate::ui_support::draw(app, w, h))
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    };
    for (lang, frozen_word, live_word) in [
        (shiftdeck::i18n::Lang::En, "FROZEN", "live"),
        (shiftdeck::i18n::Lang::Zh, "已冻结", "实时"),
    ] {
        let mut app = crate::ui_support::app_with(&crate::ui_support::floor_ndjson(), w, h);
        app.lang = lang;
        let top = header(&app);
        assert!(top.contains(live_word), "{top}");
        // The source fails and notes a capped wait, and a file was read again.
        let mut failing = app.status.clone();
        failing.last_error = Some("file not found".into());
        failing.note = Some(PollNote::RetryCapped {
            asked: std::time::Duration::from_secs(999_999),
            waiting: std::time::Duration::from_secs(300),
        });
        failing.reset = Some(FileReset {
            file: "floor.ndjson".into(),
            kind: ResetKind::Truncated,
            at: app.now,
        });
        app.update(Action::Key(K::Freeze));
        app.update(Action::Engine(EngineMsg::Status(Box::new(failing.clone()))));
        let top = header(&app);
        assert!(top.contains(frozen_word), "{top}");
        assert!(
            !top.contains("file not found"),
            "frozen hides the error: {top}"
        );
        assert!(!top.contains('⚠') && !top.contains('↻'), "{top}");
        assert!(!top.contains(live_word), "{top}");

        // Unfrozen: the failing source, not "live", not FROZEN.
        app.update(Action::Key(K::Freeze));
        let top = header(&app);
        assert!(top.contains("⚠ file not found"), "{top}");
        assert!(
            !top.contains(frozen_word) && !top.contains(live_word),
            "{top}"
        );

        // The source answers again: live, and nothing else about the data.
        let mut ok = failing;
        ok.last_error = None;
        ok.note = None;
        ok.reset = None;
        ok.last_success = Some(app.now);
        app.update(Action::Engine(EngineMsg::Status(Box::new(ok))));
        let top = header(&app);
        assert!(top.contains(live_word), "{top}");
        assert!(!top.contains('⚠') && !top.contains(frozen_word), "{top}");
    }
}
