//! Alerts in the console: the header's strip counts the active alerts by
//! severity, `A` opens the overlay (active, then recently cleared), Enter
//! acknowledges the selected one in the store before the footer says so,
//! and the bell rings when an alert fires and the lead asked for it. On
//! the fixture of `ui_support` at 10:30: c8 (urgent) is 5 min past its SLA,
//! c6 (urgent) is due in 3 min, q-phone's oldest contact (c8, 10:20) has
//! waited 10 min (past 3 min since 10:23), f1 has been overdue since 09:00; a-sam's break
//! (since 10:20) is not yet over the 15 minutes.

use crate::ui_support;

use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App, Effect, Overlay};
use shiftdeck::app::view::{AlertLine, EngineMsg, View};
use shiftdeck::domain::alerts::{Rule, Severity};
use shiftdeck::domain::window::WindowKind;
use shiftdeck::i18n::Lang;
use shiftdeck::runtime::alerting::Alerting;
use shiftdeck::runtime::effects::run_effects;
use shiftdeck::store::Store;
use ui_support::*;

/// The fixture's view with its alerts evaluated in `lang` (recorded in
/// `store` when given), plus one alert cleared at 09:40.
fn alert_view(lang: Lang, store: Option<&Store>) -> View {
    let (floor, _) = shiftdeck::source::load_str(&floor_ndjson());
    let mut view = view_of(
        &floor_ndjson(),
        WindowKind::Today,
        &shiftdeck::app::filter::Filter::default(),
    );
    Alerting::new(Vec::new()).step(&mut view, &floor, &settings(), store, lang, now());
    view.alerts.recent.push(AlertLine {
        episode: None,
        id: "queue_waiting:q-chat".into(),
        rule: Rule::QueueWaiting,
        subject: "q-chat".into(),
        severity: Severity::Warn,
        since: ts("2026-11-22T09:30:00+08:00"),
        fired_at: ts("2026-11-22T09:30:00+08:00"),
        cleared_at: Some(ts("2026-11-22T09:40:00+08:00")),
        message: match lang {
            Lang::En => "queue Chat: 12 waiting (limit 10)".into(),
            Lang::Zh => "队列 在线客服：12 人排队（上限 10）".into(),
        },
        ack: Some(("王芳".into(), ts("2026-11-22T09:35:00+08:00"))),
    });
    view
}

fn app_in(lang: Lang, store: Option<&Store>, w: u16, h: u16) -> App {
    let mut app = app_on(alert_view(lang, store), w, h);
    app.lang = lang;
    app
}

#[test]
fn the_rules_find_the_fixtures_alerts() {
    let v = alert_view(Lang::En, None);
    let got: Vec<(&str, Severity)> = v
        .alerts
        .active
        .iter()
        .map(|a| (a.id.as_str(), a.severity))
        .collect();
    // Critical first, then warn, then info; the oldest first within each.
    assert_eq!(
        got,
        [
            ("queue_longest_wait:q-phone", Severity::Critical),
            ("sla_breached:c8", Severity::Critical),
            ("feedback_overdue:f1", Severity::Warn),
            ("sla_due_soon:c6", Severity::Warn),
        ]
    );
    assert_eq!(v.alerts.counts(), [2, 2, 0]);
    assert_eq!(v.snapshot.alerts.len(), 4);
}

#[test]
fn strip_and_overlay_snapshots() {
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (160, 48)] {
            let mut app = app_in(lang, None, w, h);
            keys(&mut app, "A");
            assert_eq!(app.overlay, Some(Overlay::Alerts));
            let buf = draw(&app, w, h);
            let name = format!("alerts_{}_{w}x{h}", lang.as_str());
            insta::assert_snapshot!(name, text(&buf));
        }
    }
}

#[test]
fn the_strip_counts_by_severity_in_colour_and_words() {
    let app = app_in(Lang::En, None, 160, 48);
    let buf = draw(&app, 160, 48);
    let (x, y) = find(&buf, "▲2 crit").expect("critical count in the header");
    assert_eq!(y, 0);
    let theme = shiftdeck::ui::theme::Theme::for_terminal(app.theme, app.color_depth);
    assert_eq!(buf[(x, y)].style().fg, theme.loud.fg, "critical is loud");
    assert!(find(&buf, "!2 warn").is_some());
    assert!(find(&buf, "info").is_none(), "no info alert: no info count");
    // No alerts, no strip.
    let mut quiet = app_on(
        view_of(
            &floor_ndjson(),
            WindowKind::Today,
            &shiftdeck::app::filter::Filter::default(),
        ),
        160,
        48,
    );
    quiet.lang = Lang::En;
    let buf = draw(&quiet, 160, 48);
    assert!(find(&buf, "crit").is_none());
    // In Chinese.
    let zh = app_in(Lang::Zh, None, 160, 48);
    assert!(find(&draw(&zh, 160, 48), "▲严重 2").is_some());
}

#[test]
fn keys_open_move_acknowledge_and_close() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("shiftdeck.db")).unwrap();
    let mut app = app_in(Lang::En, Some(&store), 160, 48);
    app.author = "王芳".into();
    keys(&mut app, "A Down");
    assert_eq!(app.alerts.cursor, 1);
    // Enter asks the store to save the acknowledgement of the second line.
    let episode = app.view.as_ref().unwrap().alerts.active[1].episode.unwrap();
    let effects = app.update(Action::Key(K::AckAlert));
    assert_eq!(effects, [Effect::AckAlert { episode, at: now() }]);
    // Nothing is said before the store answered.
    assert!(app.note.is_none());
    run_effects(&mut app, effects, Some(&store), None);
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("alert acknowledged (saved)")
    );
    // Durable: in the store, with who and when.
    let open = store.open_alerts().unwrap();
    let row = open.iter().find(|r| r.episode == episode).unwrap();
    let ack = row.ack.as_ref().unwrap();
    assert_eq!((ack.who.as_str(), ack.at), ("王芳", now()));
    // The overlay says it at once.
    let buf = draw(&app, 160, 48);
    assert!(find(&buf, "✓ 王芳 10:30").is_some(), "{}", text(&buf));
    // Again: it was acknowledged already.
    let effects = app.update(Action::Key(K::AckAlert));
    assert!(effects.is_empty());
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("already acknowledged by 王芳")
    );
    // Up stops at the top; Esc closes; A opens and closes.
    keys(&mut app, "Up Up");
    assert_eq!(app.alerts.cursor, 0);
    keys(&mut app, "Esc");
    assert_eq!(app.overlay, None);
    keys(&mut app, "A A");
    assert_eq!(app.overlay, None);
}

#[test]
fn without_a_store_an_alert_cannot_be_acknowledged() {
    let mut app = app_in(Lang::Zh, None, 80, 24);
    keys(&mut app, "A Enter");
    assert_eq!(
        app.note.as_ref().map(|n| n.0.as_str()),
        Some("确认未保存：存储不可用")
    );
    // A failed write says why.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    let store = Store::open(&path).unwrap();
    let mut app = app_in(Lang::En, Some(&store), 80, 24);
    let ro = Store::open_read_only(&path).unwrap().unwrap();
    keys(&mut app, "A");
    let effects = app.update(Action::Key(K::AckAlert));
    run_effects(&mut app, effects, Some(&ro), None);
    let note = app.note.as_ref().unwrap().0.clone();
    assert!(note.starts_with("acknowledgement not saved: "), "{note}");
    assert!(store.open_alerts().unwrap().iter().all(|r| r.ack.is_none()));
}

#[test]
fn the_bell_rings_when_an_alert_fires_and_the_lead_asked() {
    let mut app = app_in(Lang::En, None, 80, 24);
    let view = alert_view(Lang::En, None);
    assert_eq!(view.alerts.fired(), 4);
    let effects = app.update(Action::Engine(EngineMsg::View(Box::new(view.clone()))));
    assert!(!effects.contains(&Effect::Bell), "bell off by default");
    app.alerts.bell = true;
    let effects = app.update(Action::Engine(EngineMsg::View(Box::new(view.clone()))));
    assert!(effects.contains(&Effect::Bell));
    // Nothing fired: no bell.
    let mut calm = view;
    calm.alerts.changes.clear();
    let effects = app.update(Action::Engine(EngineMsg::View(Box::new(calm))));
    assert!(!effects.contains(&Effect::Bell));
}

#[test]
fn the_help_lists_the_alerts_keys() {
    let en = shiftdeck::ui::help::lines_in(Lang::En);
    assert!(
        en.iter()
            .any(|(l, _)| l.contains("A ") && l.contains("alerts"))
    );
    assert!(en.iter().any(|(l, h)| *h && l == "Alerts"));
    let zh = shiftdeck::ui::help::lines_in(Lang::Zh);
    assert!(zh.iter().any(|(l, _)| l.contains("确认所选告警")));
}
