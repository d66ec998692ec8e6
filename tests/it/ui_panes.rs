//! Every pane, the KPI detail, the help overlay, the huddle screen and the
//! start screen on a TestBackend at 80×24 and 160×48, snapshot-tested with
//! the fixture of `ui_support` (hand-computed figures listed there) and a
//! fixed clock (Sun 22 Nov 2026 10:30 Asia/Shanghai). Where colour carries
//! meaning, cell styles are asserted too.

use crate::ui_support;

use ratatui::style::{Color, Modifier};
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App};
use shiftdeck::ui::theme::ThemeKind;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn press(app: &mut App, keys: &[K]) {
    for k in keys {
        app.update(Action::Key(*k));
    }
}

fn snap(name: &str, app: &App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    let buf = draw(app, w, h);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&buf));
    buf
}

#[test]
fn dashboard() {
    for (w, h) in SIZES {
        let app = app(w, h);
        let buf = snap("dashboard", &app, w, h);
        let t = text(&buf);
        // Hand-computed figures (see ui_support): AHT 5m04s in alert, SL 57.1 %.
        assert!(t.contains("▲ ALERT  AHT 5m04s above 4m30s"), "{t}");
        assert!(t.contains("57.1%"));
        assert!(t.contains("● live"));
        assert!(t.contains("10:30:00"));
        // Chinese names keep their columns: the row after 电话热线 is aligned with Chat's.
        let (x_cn, _) = find(&buf, "电话热线").expect("queue name");
        let (x_en, _) = find(&buf, "Chat ").expect("queue name");
        assert_eq!(x_cn, x_en);
    }
}

#[test]
fn every_pane_zoomed() {
    for (w, h) in SIZES {
        for (pane, name) in [(0, "queues"), (1, "kpis"), (2, "feedback"), (3, "spot")] {
            let mut app = app(w, h);
            press(&mut app, &[K::Focus(pane), K::Zoom]);
            snap(&format!("zoom_{name}"), &app, w, h);
        }
    }
}

#[test]
fn spot_check_lists_and_coverage() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[K::Focus(3), K::Zoom, K::Right]);
        let buf = snap("spot_targeted", &app, w, h);
        // a-li handled c2 (low CSAT) and c9 (IVR > 120 s) and needs one check:
        // whichever is not in the random sample is on the targeted list.
        assert!(text(&buf).contains("Targeted 1"));
        press(&mut app, &[K::Right]);
        let buf = snap("spot_coverage", &app, w, h);
        let t = text(&buf);
        // Nothing scored yet: each agent needs 1 check and has 0.
        assert!(t.contains("0/1 ! short"), "{t}");
        assert!(t.contains("accuracy: cust — · bus — · compl —"), "{t}");
        assert!(t.contains("李雷"));
    }
}

#[test]
fn kpi_detail_shows_formula_n_and_window() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        // AHT is the 4th KPI.
        press(&mut app, &[K::Focus(1), K::Down, K::Down, K::Down, K::Open]);
        let buf = snap("kpi_detail_aht", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("AHT · definition"));
        assert!(t.contains("mean of talk + hold + wrap seconds over handled"));
        assert!(t.contains("5  (handled contacts"), "{t}");
        assert!(t.contains("Sun 22 Nov 00:00 → Mon 23 Nov 00:00"));
        // 304 − 300 s last week.
        assert!(t.contains("▲+4 s"));
    }
}

#[test]
fn feedback_detail_and_help_overlay() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        press(&mut app, &[K::Focus(2), K::Open]);
        let buf = snap("feedback_detail", &app, w, h);
        assert!(text(&buf).contains("OVERDUE since Sun 22 Nov 09:00"));
        let mut app = ui_support::app(w, h);
        press(&mut app, &[K::Help]);
        let buf = snap("help", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("next pane"));
        if h < 40 {
            assert!(t.contains("↓ more"));
            press(&mut app, &[K::Down; 15]);
        }
        let t = text(&draw(&app, w, h));
        assert!(t.contains("cycle today/shift/yesterday/24 h/week"), "{t}");
    }
}

#[test]
fn huddle_screen_is_big_and_masked() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        app.start_huddle();
        // The SLA timers (with customer ids) are on the first rotating pane.
        let buf = snap("huddle", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("HUDDLE"));
        assert!(t.contains("today"));
        assert!(!t.contains("u-10026"), "customer ids must be masked");
        if w >= 160 {
            assert!(t.contains("u-***26"));
        }
        // Big digits: the block font's full rows appear.
        assert!(t.contains("███"));
    }
}

#[test]
fn start_screen_and_too_small() {
    for (w, h) in SIZES {
        let mut app = app(w, h);
        app.has_source = false;
        app.config_file = Some("/home/lead/.config/shiftdeck/shiftdeck.toml".into());
        let buf = snap("start", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("shiftdeck demo"));
        assert!(t.contains("shiftdeck --file PATH"));
        assert!(t.contains("--crm URL"));
    }
    let app = app(50, 12);
    let buf = snap("too_small", &app, 50, 12);
    assert!(text(&buf).contains("terminal too small"));
    // Even absurd sizes never panic.
    for (w, h) in [(1, 1), (0, 0), (59, 40), (200, 15), (60, 16), (300, 100)] {
        let _ = draw(&app, w, h);
    }
}

#[test]
fn colour_carries_meaning_and_is_never_alone() {
    let app = app(160, 48);
    let buf = draw(&app, 160, 48);
    // The AHT value is red (256-colour 196) and marked with the ALERT word.
    let (x, y) = find(&buf, "5m04s ███").expect("AHT value");
    assert_eq!(buf[(x, y)].fg, Color::Indexed(196));
    let (xs, ys) = find(&buf, "▲ ALERT    +52 s").expect("AHT status word");
    assert_eq!(ys, y);
    assert_eq!(buf[(xs, ys)].fg, Color::Indexed(196));
    // The alert line is loud: white on red, bold.
    let (x, y) = find(&buf, "▲ ALERT  AHT").expect("alert line");
    assert_eq!(buf[(x, y)].bg, Color::Indexed(160));
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    // CSAT below target is a warning (amber), written "! warn".
    let (x, y) = find(&buf, "66.7%").expect("CSAT");
    assert_eq!(buf[(x, y)].fg, Color::Indexed(178));
    // The overdue feedback item and the breached SLA timer are loud.
    let (x, y) = find(&buf, "‼1h over").expect("overdue item");
    assert_eq!(buf[(x, y)].bg, Color::Indexed(160));
    let (x, y) = find(&buf, "▲ -5:00").expect("breached timer");
    assert_eq!(buf[(x, y)].bg, Color::Indexed(160));
}

#[test]
fn no_color_and_high_contrast() {
    let mut app = app(160, 48);
    app.theme = ThemeKind::Mono;
    let buf = draw(&app, 160, 48);
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    // Still readable: the alert is reversed and the word is there.
    let (x, y) = find(&buf, "▲ ALERT  AHT").expect("alert line");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));

    let mut app = ui_support::app(160, 48);
    app.theme = ThemeKind::HighContrast;
    let buf = draw(&app, 160, 48);
    let (x, y) = find(&buf, "5m04s ███").expect("AHT value");
    assert_eq!(buf[(x, y)].fg, Color::LightRed);
    // NO_COLOR pins the theme: `t` does not bring colour back.
    let mut app = App::new(now(), tz(), ThemeKind::Default, true);
    assert_eq!(app.theme, ThemeKind::Mono);
    app.update(Action::Key(K::Theme));
    assert_eq!(app.theme, ThemeKind::Mono);
}

#[test]
fn freshness_labels() {
    let mut app = app(160, 48);
    let t = |app: &App| text(&draw(app, 160, 48));
    app.status.data_at = Some(now().add_secs(-12));
    assert!(t(&app).contains("updated 12 s ago"));
    app.status.data_at = Some(now().add_secs(-185));
    // The source answers (read 2 s ago) but nothing new: a quiet floor.
    app.status.last_success = Some(now().add_secs(-2));
    let header = |app: &App| t(app).lines().next().unwrap_or("").to_string();
    assert!(
        header(&app).contains("no new data for 3 min"),
        "{}",
        header(&app)
    );
    assert!(!header(&app).contains("STALE"));
    // The source itself silent as long: STALE, loud.
    app.status.last_success = Some(now().add_secs(-185));
    assert!(t(&app).contains("STALE 3 min"));
    let buf = draw(&app, 160, 48);
    let (x, y) = find(&buf, "STALE").expect("stale");
    assert_eq!(buf[(x, y)].bg, Color::Indexed(160));
    app.status.last_error = Some("floor.ndjson: file not found (keeping the last data)".into());
    let t2 = t(&app);
    assert!(t2.contains("⚠ floor.ndjson: file not found"));
    // The last data stays on screen.
    assert!(t2.contains("5m04s"));
}
