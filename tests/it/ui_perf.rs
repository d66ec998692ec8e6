//! Frame render time. The view is computed once (by the engine, off the UI
//! thread); a frame only draws it, so its cost must not grow with the data.
//!
//! - `big_lists_render_quickly` always runs: a view with 50 000 feedback
//!   items, 20 000 SLA timers and 5 000 spot-check items.
//! - `frame_time_on_a_sim_file` is the benchmark on a real simulator file:
//!   `shiftdeck sim --out /tmp/big.ndjson --days 13 --agents 1000` (≈1 M
//!   contacts), then
//!   `SHIFTDECK_BENCH_FILE=/tmp/big.ndjson cargo test --release --test it ui_perf -- --ignored --nocapture`.

use crate::ui_support;

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shiftdeck::app::filter::Filter;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App};
use shiftdeck::app::view::{EngineMsg, SourceStatus, View};
use shiftdeck::domain::window::{Shifts, WindowKind};
use shiftdeck::domain::{FeedbackReport, SlaTimer, SpotCheckItem, Ts};
use shiftdeck::runtime::engine::{SpotMemory, compute_view};
use shiftdeck::ui::theme::ThemeKind;
use ui_support::*;

/// Mean and worst time of `frames` draws of the app at w×h.
fn time_frames(app: &App, w: u16, h: u16, frames: u32) -> (Duration, Duration) {
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

fn big_view() -> View {
    let mut v = view_of(&floor_ndjson(), WindowKind::Today, &Filter::default());
    let template_f = v.snapshot.feedback[0].clone();
    v.snapshot.feedback = (0..50_000)
        .map(|i| FeedbackReport {
            id: format!("f{i}"),
            summary: Some(format!("item {i} {}", "很长的投诉内容 ".repeat(40))),
            ..template_f.clone()
        })
        .collect();
    let template_t = v.snapshot.sla[0].clone();
    v.snapshot.sla = (0..20_000)
        .map(|i| SlaTimer {
            contact: format!("c{i}"),
            due_at: now().add_secs(i - 10_000),
            ..template_t.clone()
        })
        .collect();
    let template_s: SpotCheckItem = v.snapshot.spot_check.random[0].clone();
    v.snapshot.spot_check.random = (0..5_000)
        .map(|i| SpotCheckItem {
            contact: format!("s{i}"),
            ..template_s.clone()
        })
        .collect();
    v
}

fn app_on(view: View, w: u16, h: u16) -> App {
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

#[test]
fn big_lists_render_quickly() {
    let mut app = app_on(big_view(), 200, 60);
    // Scrolled to the bottom of the long lists, so offsets are exercised too.
    for pane in 0..4 {
        app.update(Action::Key(K::Focus(pane)));
        app.update(Action::Key(K::Bottom));
    }
    let (mean, _) = time_frames(&app, 200, 60, 20);
    // Generous for debug builds on a loaded 2-core box; the release figure is far lower.
    assert!(mean < Duration::from_millis(100), "mean frame {mean:?}");
}

#[test]
#[ignore = "benchmark: needs SHIFTDECK_BENCH_FILE (see the module docs)"]
fn frame_time_on_a_sim_file() {
    let Ok(path) = std::env::var("SHIFTDECK_BENCH_FILE") else {
        println!("set SHIFTDECK_BENCH_FILE to a simulator file");
        return;
    };
    let started = Instant::now();
    let mut floor = shiftdeck::domain::Floor::new();
    let mut errors = Vec::new();
    shiftdeck::source::load_files(&[path.into()], &mut floor, &mut errors, &mut |_| {})
        .expect("load");
    println!(
        "loaded {} contacts in {:?}",
        floor.contacts().len(),
        started.elapsed()
    );
    let settings = shiftdeck::domain::Settings::defaults_in(tz());
    let now = Ts::from_datetime(&chrono::Utc::now());
    let (mut day, mut listed) = (None, Vec::new());
    let t = Instant::now();
    let view = compute_view(
        &floor,
        &settings,
        &Shifts::default(),
        WindowKind::Today,
        &Filter::default(),
        now,
        &mut SpotMemory {
            day: &mut day,
            listed: &mut listed,
        },
        Instant::now(),
    );
    println!(
        "view computed in {:?} ({} queues, {} SLA timers, {} feedback, {} random + {} targeted)",
        t.elapsed(),
        view.snapshot.queues.len(),
        view.snapshot.sla.len(),
        view.snapshot.feedback.len(),
        view.snapshot.spot_check.random.len(),
        view.snapshot.spot_check.targeted.len()
    );
    let mut app = app_on(view, 200, 60);
    let (mean, worst) = time_frames(&app, 200, 60, 200);
    println!("dashboard 200×60: mean {mean:?}, worst {worst:?}");
    for (pane, name) in [(0, "queues"), (1, "kpis"), (2, "feedback"), (3, "spot")] {
        app.update(Action::Key(K::Focus(pane)));
        app.update(Action::Key(K::Zoom));
        let (mean, worst) = time_frames(&app, 200, 60, 100);
        println!("{name} zoomed 200×60: mean {mean:?}, worst {worst:?}");
        app.update(Action::Key(K::Zoom));
    }
    app.update(Action::Key(K::Huddle));
    let (mean, worst) = time_frames(&app, 200, 60, 100);
    println!("huddle 200×60: mean {mean:?}, worst {worst:?}");
}
