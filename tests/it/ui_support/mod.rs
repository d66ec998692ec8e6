//! Shared fixture for the console tests: a small, hand-checkable floor on
//! Sunday 2026-11-22 in Asia/Shanghai, seen at 10:30.
//!
//! Hand-computed figures for "today" (00:00–24:00) at 10:30:
//! - handled c1 290 s, c2 240 s, c4 420 s, c5 170 s, c9 400 s → AHT
//!   1520 / 5 = 304 s (5m04s): above the 270 s alert → ▲ ALERT; gap +52 s;
//! - answered c1 10 s, c2 30 s, c4 20 s, c5 5 s, c7 600 s, c9 5 s → ART
//!   670 / 6 = 111.7 s (1m52s); abandoned c3; SL = (c1, c4, c5, c9) 4 / 7 =
//!   57.1 %, abandon 1 / 7 = 14.3 %;
//! - CSAT: surveys 5, 2, 4 → 2 / 3 = 66.7 %; NPS (10, 3, 8) → 0;
//! - FCR: c1 has a repeat (c5) → 4 / 5 = 80.0 %; repeat rate 1 / 9 = 11.1 %;
//! - transfer rate 1 / 5 = 20.0 %; contacts per agent-day 5 / 3 = 1.7;
//! - occupancy: busy 1800 + 300 s of 26 400 staffed s = 8.0 %;
//! - q-phone: SL (c1, c5, c9) 3 / 5 = 60.0 %, abandon 20.0 %, ART 12.5 s,
//!   AHT (290 + 240 + 170 + 400) / 4 = 275 s (4m35s); agents 0/2/0/0;
//!   waiting c8 (since 10:20) and c6 (since 10:28): 2, longest 10:00;
//! - q-chat: SL (c4) 1 / 2 = 50.0 %, ART 310 s, AHT 420 s; a-sam on break;
//! - SLA: c8 urgent, due 10:25 → breached 5:00; c6 urgent due 10:33 → 3:00;
//!   c7 high, answered, resolution due 12:00 → 1:30:00;
//! - spot checks: a-li handled c2 (low CSAT) and c9 (IVR > 120 s), needs 1:
//!   one is random, the other targeted.
//!
//! Yesterday: AHT (240 + 250) / 2 = 245 s; last week (Sun 15 Nov): AHT 300 s,
//! so AHT's change vs last week is 304 − 300 = +4 s.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use chrono_tz::Tz;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use shiftdeck::app::filter::Filter;
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::KeyAction;
use shiftdeck::app::state::{Action, App};
use shiftdeck::app::view::{EngineMsg, SourceStatus, View};
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::domain::window::{Shifts, WindowKind};
use shiftdeck::domain::{Settings, Ts};
use shiftdeck::runtime::engine::{SpotMemory, compute_view};
use shiftdeck::ui::theme::ThemeKind;

pub const NOW: &str = "2026-11-22T10:30:00+08:00";

pub fn tz() -> Tz {
    "Asia/Shanghai".parse().expect("zone")
}

pub fn ts(s: &str) -> Ts {
    parse_rfc3339(s).expect("timestamp")
}

pub fn now() -> Ts {
    ts(NOW)
}

/// The floor as NDJSON; `day` is today's date, `yday` yesterday's and
/// `week` the same weekday one week before (all `YYYY-MM-DD`).
pub fn floor_ndjson_on(day: &str, yday: &str, week: &str) -> String {
    let t = |d: &str, hm: &str| format!("{d}T{hm}+08:00");
    let d = |hm: &str| t(day, hm);
    let mut l: Vec<String> = vec![
        r#"{"type":"queue","id":"q-phone","name":"电话热线","channel":"phone","sl_seconds":20}"#
            .into(),
        r#"{"type":"queue","id":"q-chat","name":"Chat","channel":"chat","sl_seconds":30}"#.into(),
        r#"{"type":"agent","id":"a-wang","name":"王芳","team":"A"}"#.into(),
        r#"{"type":"agent","id":"a-li","name":"李雷","team":"A"}"#.into(),
        r#"{"type":"agent","id":"a-sam","name":"Sam Green","team":"B"}"#.into(),
    ];
    for (agent, state, at, queue) in [
        ("a-wang", "available", "08:00:00", "q-phone"),
        ("a-li", "available", "08:00:00", "q-phone"),
        ("a-sam", "available", "08:00:00", "q-chat"),
        ("a-wang", "busy", "10:00:00", "q-phone"),
        ("a-sam", "break", "10:20:00", "q-chat"),
        ("a-li", "busy", "10:25:00", "q-phone"),
    ] {
        l.push(format!(
            r#"{{"type":"agent_state","agent":"{agent}","state":"{state}","at":"{}","queue":"{queue}"}}"#,
            d(at)
        ));
    }
    l.push(format!(r#"{{"type":"contact","id":"c1","channel":"phone","queue":"q-phone","customer":"u-10021","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-wang","talk_s":240,"hold_s":20,"wrap_s":30,"priority":"medium"}}"#, d("09:00:00"), d("09:00:10"), d("09:05:00")));
    l.push(format!(r#"{{"type":"contact","id":"c2","channel":"phone","queue":"q-phone","customer":"13812345678","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-li","talk_s":200,"wrap_s":40,"transfers":1}}"#, d("09:10:00"), d("09:10:30"), d("09:15:00")));
    l.push(format!(r#"{{"type":"contact","id":"c3","channel":"phone","queue":"q-phone","customer":"u-10022","arrived_at":"{}","abandoned_at":"{}"}}"#, d("09:20:00"), d("09:21:00")));
    l.push(format!(r#"{{"type":"contact","id":"c4","channel":"chat","queue":"q-chat","customer":"u-10023","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-sam","talk_s":420,"text":"you are stupid"}}"#, d("10:00:00"), d("10:00:20"), d("10:10:00")));
    l.push(format!(r#"{{"type":"contact","id":"c5","channel":"phone","queue":"q-phone","customer":"u-10021","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-wang","talk_s":150,"wrap_s":20}}"#, d("10:05:00"), d("10:05:05"), d("10:08:00")));
    l.push(format!(r#"{{"type":"contact","id":"c6","channel":"phone","queue":"q-phone","customer":"u-10024","arrived_at":"{}","priority":"urgent"}}"#, d("10:28:00")));
    l.push(format!(r#"{{"type":"contact","id":"c7","channel":"chat","queue":"q-chat","customer":"u-10025","arrived_at":"{}","answered_at":"{}","agent":"a-sam","priority":"high"}}"#, d("08:00:00"), d("08:10:00")));
    l.push(format!(r#"{{"type":"contact","id":"c9","channel":"phone","queue":"q-phone","customer":"u-10027","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-li","talk_s":380,"wrap_s":20,"ivr_s":150}}"#, d("09:40:00"), d("09:40:05"), d("09:45:00")));
    l.push(format!(r#"{{"type":"contact","id":"c8","channel":"phone","queue":"q-phone","customer":"u-10026","arrived_at":"{}","priority":"urgent"}}"#, d("10:20:00")));
    for (id, contact, at, csat, nps) in [
        ("s1", "c1", "09:06:00", 5, 10),
        ("s2", "c2", "09:16:00", 2, 3),
        ("s3", "c4", "10:11:00", 4, 8),
    ] {
        l.push(format!(
            r#"{{"type":"survey","id":"{id}","contact":"{contact}","at":"{}","csat":{csat},"nps":{nps}}}"#,
            d(at)
        ));
    }
    // Yesterday and last week.
    let y = |hm: &str| t(yday, hm);
    l.push(format!(r#"{{"type":"contact","id":"y1","channel":"phone","queue":"q-phone","customer":"u-20001","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-wang","talk_s":200,"wrap_s":40}}"#, y("09:00:00"), y("09:00:05"), y("09:04:05")));
    l.push(format!(r#"{{"type":"contact","id":"y2","channel":"phone","queue":"q-phone","customer":"u-20002","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-li","talk_s":230,"wrap_s":20}}"#, y("09:30:00"), y("09:30:15"), y("09:34:15")));
    l.push(format!(
        r#"{{"type":"survey","id":"ys1","contact":"y1","at":"{}","csat":5}}"#,
        y("09:05:00")
    ));
    let w = |hm: &str| t(week, hm);
    l.push(format!(r#"{{"type":"contact","id":"w1","channel":"phone","queue":"q-phone","customer":"u-30001","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"a-wang","talk_s":250,"wrap_s":50}}"#, w("09:00:00"), w("09:00:08"), w("09:05:00")));
    // Feedback board.
    l.push(format!(r#"{{"type":"feedback","id":"f1","source":"phone_complaint","summary":"客户投诉退款慢 call back 138-1234-5678","customer":"13812345678","received_at":"{}","category":"process","owner":"a-wang","stage":"handling","due_at":"{}"}}"#, y("15:00:00"), d("09:00:00")));
    l.push(format!(r#"{{"type":"feedback","id":"f2","source":"survey","summary":"Agent was rude","customer":"u-10022","received_at":"{}","category":"attitude","owner":"a-li","stage":"new","due_at":"{}"}}"#, d("09:30:00"), t(&next_day(day), "09:30:00")));
    l.push(format!(r#"{{"type":"feedback","id":"f3","source":"chat","summary":"\u001b]52;c;ZXZpbA==\u0007evil \u001b[2J wipe","customer":"u-10023","received_at":"{}","category":"expertise","owner":"a-sam","stage":"closed","due_at":"{}","result":"refunded","callback_result":"satisfied","root_cause":"process"}}"#, y("10:00:00"), d("10:00:00")));
    l.push(format!(r#"{{"type":"feedback","id":"f4","source":"email","summary":"Suggest Sunday hours","received_at":"{}","stage":"callback","due_at":"{}"}}"#, d("08:00:00"), d("12:00:00")));
    let mut text = l.join("\n");
    text.push('\n');
    text
}

fn next_day(day: &str) -> String {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("date");
    (d + chrono::Duration::days(1)).to_string()
}

pub fn floor_ndjson() -> String {
    floor_ndjson_on("2026-11-22", "2026-11-21", "2026-11-15")
}

pub fn settings() -> Settings {
    Settings::defaults_in(tz())
}

/// The view of the fixture at 10:30 for a window and filter.
pub fn view_of(ndjson: &str, kind: WindowKind, filter: &Filter) -> View {
    let (floor, errors) = shiftdeck::source::load_str(ndjson);
    assert!(errors.is_empty(), "fixture lines must all load: {errors:?}");
    let mut day = None;
    let mut listed = Vec::new();
    compute_view(
        &floor,
        &settings(),
        &Shifts::default(),
        kind,
        filter,
        now(),
        &mut SpotMemory {
            day: &mut day,
            listed: &mut listed,
        },
        Instant::now(),
    )
}

/// An app showing the fixture, data written 3 s before the clock ("live").
pub fn app_with(ndjson: &str, w: u16, h: u16) -> App {
    let mut app = App::new(now(), tz(), ThemeKind::Default, false);
    app.size = (w, h);
    let status = SourceStatus {
        label: "floor.ndjson".into(),
        data_at: Some(now().add_secs(-3)),
        last_success: Some(now()),
        ..SourceStatus::default()
    };
    app.update(Action::Engine(EngineMsg::Status(Box::new(status))));
    let view = view_of(ndjson, WindowKind::Today, &Filter::default());
    app.update(Action::Engine(EngineMsg::View(Box::new(view))));
    app
}

pub fn app(w: u16, h: u16) -> App {
    app_with(&floor_ndjson(), w, h)
}

/// An app showing `view`, its data as of the view's clock.
pub fn app_on(view: View, w: u16, h: u16) -> App {
    let mut app = App::new(view.now(), view.tz, ThemeKind::Default, false);
    app.size = (w, h);
    let status = SourceStatus {
        label: "big.ndjson".into(),
        data_at: Some(view.now()),
        ..SourceStatus::default()
    };
    app.update(Action::Engine(EngineMsg::Status(Box::new(status))));
    app.update(Action::Engine(EngineMsg::View(Box::new(view))));
    app
}

/// Mean and worst time of `frames` draws of the app at w×h.
pub fn time_frames(app: &App, w: u16, h: u16, frames: u32) -> (Duration, Duration) {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut worst = Duration::ZERO;
    let started = Instant::now();
    for _ in 0..frames {
        let t = Instant::now();
        term.draw(|f| shiftdeck::ui::render(f, app)).expect("draw");
        worst = worst.max(t.elapsed());
    }
    (started.elapsed() / frames, worst)
}

pub fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| shiftdeck::ui::render(f, app)).expect("draw");
    term.backend().buffer().clone()
}

/// The buffer as text, one line per row (wide chars once).
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            out.push_str(s);
            skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// Position of the first cell row/col holding `needle` in the rendered text.
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut xs = Vec::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            for _ in s.chars() {
                xs.push(x);
            }
            line.push_str(s);
            skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
        }
        if let Some(byte) = line.find(needle) {
            let idx = line[..byte].chars().count();
            return Some((xs[idx], y));
        }
    }
    None
}

/// Replaces the open prompt's line with `text`, as the lead would: clear
/// it (Ctrl-U), then type.
pub fn retype(app: &mut App, text: &str) {
    app.update(Action::Key(KeyAction::FilterClear));
    for c in text.chars() {
        app.update(Action::Type(c));
    }
}

/// Presses keys as the lead would, through the key table (`action_for`, the
/// console's own dispatch) into `update`. `keys` is a list of single
/// characters and key names (Enter, Esc, Tab, Up, Down, Left, Right)
/// separated by spaces; a key that does nothing where it is pressed fails.
pub fn keys(app: &mut App, keys: &str) {
    for word in keys.split_whitespace() {
        let code = match word {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" => KeyCode::Tab,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            _ => {
                let mut chars = word.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => panic!("unknown key name {word:?}"),
                }
            }
        };
        let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        let action = match action_for(ev, app) {
            None | Some(Action::NotHere(_)) => panic!("key {word:?} does nothing here"),
            Some(a) => a,
        };
        app.update(action);
    }
}

/// A view with 50 000 feedback items, 20 000 SLA timers, 5 000 random
/// spot-check items and 450 agents, built on the shared floor (the
/// `big_lists` tests and the `frame_time` benchmark).
pub fn big_view() -> View {
    let mut v = view_of(&floor_ndjson(), WindowKind::Today, &Filter::default());
    let template_f = v.snapshot.feedback[0].clone();
    v.snapshot.feedback = (0..50_000)
        .map(|i| shiftdeck::domain::FeedbackReport {
            id: format!("f{i}"),
            summary: Some(format!("item {i} {}", "很长的投诉内容 ".repeat(40))),
            ..template_f.clone()
        })
        .collect();
    let template_t = v.snapshot.sla[0].clone();
    v.snapshot.sla = (0..20_000)
        .map(|i| shiftdeck::domain::SlaTimer {
            contact: format!("c{i}"),
            due_at: now().add_secs(i - 10_000),
            ..template_t.clone()
        })
        .collect();
    let template_s: shiftdeck::domain::SpotCheckItem = v.snapshot.spot_check.random[0].clone();
    v.snapshot.spot_check.random = (0..5_000)
        .map(|i| shiftdeck::domain::SpotCheckItem {
            contact: format!("s{i}"),
            ..template_s.clone()
        })
        .collect();
    // 450 agents, as on the benchmark floor.
    let template_a = v.snapshot.agents[0].clone();
    v.snapshot.agents = (0..450)
        .map(|i| shiftdeck::domain::agents::AgentReport {
            id: format!("a{i}"),
            name: Some(format!("坐席 {i}")),
            ..template_a.clone()
        })
        .collect();
    v
}
