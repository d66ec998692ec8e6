//! Frame render time. The view is computed once (by the engine, off the UI
//! thread); a frame only draws it, so its cost must not grow with the data.
//!
//! `big_lists_render_quickly`: a view with 50 000 feedback items, 20 000 SLA
//! timers, 5 000 spot-check items and 450 agents (the Agents pane last,
//! so it is in the shared slot). The timing on a real simulator file is
//! the `frame_time` benchmark (benches/frame_time.rs).

use crate::ui_support;

use std::time::Duration;

use shiftdeck::app::filter::Filter;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::Action;
use shiftdeck::app::view::View;
use shiftdeck::domain::window::WindowKind;
use shiftdeck::domain::{FeedbackReport, SlaTimer, SpotCheckItem};
use ui_support::*;

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

#[test]
fn big_lists_render_quickly() {
    let mut app = app_on(big_view(), 200, 60);
    // Scrolled to the bottom of the long lists, so offsets are exercised too.
    for pane in 0..5 {
        app.update(Action::Key(K::Focus(pane)));
        app.update(Action::Key(K::Bottom));
    }
    let (mean, _) = time_frames(&app, 200, 60, 20);
    // Generous for debug builds on a loaded 2-core box; the release figure is far lower.
    assert!(mean < Duration::from_millis(100), "mean frame {mean:?}");
}
