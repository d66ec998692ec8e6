//! The console in Chinese: every pane, the KPI detail, the help overlay, the
//! huddle screen and the start screen on a TestBackend at 80×24 and 160×48,
//! with the fixture and fixed clock of `ui_support`. Besides the snapshots,
//! layout checks: no row is wider than the screen (a double-width character
//! never hangs over the edge) and the pane borders sit exactly where they sit
//! in English.

use crate::ui_support;

use ratatui::buffer::Buffer;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App};
use shiftdeck::i18n::Lang;
use ui_support::*;
use unicode_width::UnicodeWidthStr;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn press(app: &mut App, keys: &[K]) {
    for k in keys {
        app.update(Action::Key(*k));
    }
}

fn zh(w: u16, h: u16) -> App {
    let mut app = app(w, h);
    app.lang = Lang::Zh;
    app
}

/// Every row's display width equals the screen width, and a wide
/// character's second cell is never the start of another symbol.
fn assert_fits(buf: &Buffer) {
    for (y, line) in text(buf).lines().enumerate() {
        assert_eq!(
            UnicodeWidthStr::width(line),
            buf.area.width as usize,
            "row {y} overflows: {line}"
        );
    }
}

/// Columns holding a vertical border in most rows of the English screen
/// hold it on the same rows of the Chinese one.
fn assert_same_borders(en: &Buffer, zh: &Buffer) {
    let (w, h) = (en.area.width, en.area.height);
    for x in 0..w {
        let rows: Vec<u16> = (0..h).filter(|&y| en[(x, y)].symbol() == "│").collect();
        if rows.len() * 2 < h as usize {
            continue;
        }
        for y in rows {
            assert_eq!(zh[(x, y)].symbol(), "│", "border at {x},{y} moved");
        }
    }
}

fn snap(name: &str, app: &App, w: u16, h: u16) -> Buffer {
    let buf = draw(app, w, h);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&buf));
    assert_fits(&buf);
    buf
}

#[test]
fn dashboard_in_chinese() {
    for (w, h) in SIZES {
        let app = zh(w, h);
        let buf = snap("zh_dashboard", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("● 实时"), "{t}");
        assert!(t.contains("队列"));
        assert!(t.contains("指标"));
        assert!(t.contains("客诉反馈"));
        assert!(t.contains("抽检"));
        // The AHT alert (hand-computed in ui_support: 5m04s against 4m30s).
        assert!(t.contains("▲ 告警  处理时长 5m04s 高于 4m30s"), "{t}");
        assert!(t.contains("10:30:00"));
        assert!(!t.contains("Queues") && !t.contains("Spot checks"));
        assert_same_borders(&draw(&ui_support::app(w, h), w, h), &buf);
    }
}

#[test]
fn every_pane_zoomed_in_chinese() {
    for (w, h) in SIZES {
        for (pane, name) in [(0, "queues"), (1, "kpis"), (2, "feedback"), (3, "spot")] {
            let mut app = zh(w, h);
            press(&mut app, &[K::Focus(pane), K::Zoom]);
            let buf = snap(&format!("zh_zoom_{name}"), &app, w, h);
            let t = text(&buf);
            match pane {
                0 => assert!(t.contains("SLA 计时"), "{t}"),
                1 => {
                    for name in ["客户满意度", "净推荐值", "一次解决率", "服务水平", "放弃率"]
                    {
                        assert!(t.contains(name), "{name} missing: {t}");
                    }
                }
                2 => assert!(t.contains("全部") && t.contains("新建"), "{t}"),
                _ => assert!(t.contains("随机") && t.contains("定向"), "{t}"),
            }
        }
    }
}

#[test]
fn spot_lists_in_chinese() {
    for (w, h) in SIZES {
        let mut app = zh(w, h);
        press(&mut app, &[K::Focus(3), K::Zoom, K::Right]);
        let buf = snap("zh_spot_targeted", &app, w, h);
        assert!(text(&buf).contains("定向 1"));
        press(&mut app, &[K::Right]);
        let buf = snap("zh_spot_coverage", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("坐席"), "{t}");
        assert!(t.contains("李雷"));
    }
}

#[test]
fn kpi_detail_in_chinese() {
    for (w, h) in SIZES {
        let mut app = zh(w, h);
        press(&mut app, &[K::Focus(1), K::Down, K::Down, K::Down, K::Open]);
        let buf = snap("zh_kpi_detail_aht", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("平均处理时长 AHT · 定义"), "{t}");
        assert!(t.contains("公式"));
        assert!(t.contains("越低越好"));
        assert!(t.contains("▲+4 s"));
    }
}

#[test]
fn help_and_feedback_detail_in_chinese() {
    for (w, h) in SIZES {
        let mut app = zh(w, h);
        press(&mut app, &[K::Help]);
        let buf = snap("zh_help", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("按键 · Esc 或 ? 关闭"), "{t}");
        assert!(t.contains("下一面板"));
        let mut app = zh(w, h);
        press(&mut app, &[K::Focus(2), K::Open]);
        snap("zh_feedback_detail", &app, w, h);
    }
}

#[test]
fn queue_detail_in_chinese() {
    let (w, h) = (80, 24);
    let mut app = zh(w, h);
    press(&mut app, &[K::Focus(0), K::Open]);
    let buf = snap("zh_queue_detail", &app, w, h);
    let t = text(&buf);
    for zh in ["渠道", "坐席", "空闲", "服务水平", "需要坐席"] {
        assert!(t.contains(zh), "{zh} missing: {t}");
    }
    for en in ["channel", "agents", "available", "offered", "live source"] {
        assert!(!t.contains(en), "{en:?} left in English: {t}");
    }
}

#[test]
fn huddle_in_chinese() {
    for (w, h) in SIZES {
        let mut app = zh(w, h);
        app.start_huddle();
        let buf = snap("zh_huddle", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("晨会"));
        assert!(t.contains("今日"), "{t}");
        assert!(t.contains("客户标识已隐藏") || w < 100, "{t}");
        assert!(!t.contains("u-10026"), "customer ids must be masked");
        assert!(t.contains("███"));
    }
}

#[test]
fn start_and_too_small_in_chinese() {
    for (w, h) in SIZES {
        let mut app = zh(w, h);
        app.has_source = false;
        app.config_file = Some("/home/lead/.config/shiftdeck/shiftdeck.toml".into());
        let buf = snap("zh_start", &app, w, h);
        let t = text(&buf);
        assert!(t.contains("还没有数据源"), "{t}");
        assert!(t.contains("shiftdeck demo"));
    }
    let app = zh(50, 12);
    let buf = snap("zh_too_small", &app, 50, 12);
    assert!(text(&buf).contains("终端窗口太小"));
}

#[test]
fn english_is_the_default() {
    let app = ui_support::app(80, 24);
    assert_eq!(app.lang, Lang::En);
    assert!(text(&draw(&app, 80, 24)).contains("● live"));
}
