//! Frame time: first on a synthetic view with long lists (50 000 feedback
//! items, 20 000 SLA timers, 5 000 spot-check items, 450 agents; no file
//! needed), scrolled to the bottom of every list; then, with a simulator
//! file, loading, the view computed once (as the engine does, off the UI
//! thread) and frames drawn from it.
//!
//! ```sh
//! cargo bench --bench frame_time                                          # long lists only
//! cargo run --release -- sim --out /tmp/big.ndjson --days 13 --agents 1000   # ≈1 M contacts
//! SHIFTDECK_BENCH_FILE=/tmp/big.ndjson cargo bench --bench frame_time
//! ```

#[path = "../tests/it/ui_support/mod.rs"]
mod ui_support;

use std::time::Instant;

use shiftdeck::app::filter::Filter;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::Action;
use shiftdeck::domain::Ts;
use shiftdeck::domain::window::{Shifts, WindowKind};
use shiftdeck::runtime::engine::{SpotMemory, compute_view};
use ui_support::{app_on, big_view, time_frames, tz};

fn main() {
    // The long lists, scrolled to the bottom of each pane: a frame draws
    // only the rows that fit, so this stays near the small floor's time.
    let mut app = app_on(big_view(), 200, 60);
    for pane in 0..5 {
        app.update(Action::Key(K::Focus(pane)));
        app.update(Action::Key(K::Bottom));
    }
    let (mean, worst) = time_frames(&app, 200, 60, 200);
    println!("long lists 200×60, scrolled to the bottom: mean {mean:?}, worst {worst:?}");
    let Ok(path) = std::env::var("SHIFTDECK_BENCH_FILE") else {
        println!(
            "frame_time: set SHIFTDECK_BENCH_FILE to a simulator file (see benches/frame_time.rs)"
        );
        return;
    };
    let started = Instant::now();
    let mut floor = shiftdeck::domain::Floor::new();
    let mut errors = Vec::new();
    if let Err(e) =
        shiftdeck::source::load_files(&[path.clone().into()], &mut floor, &mut errors, &mut |_| {})
    {
        eprintln!("frame_time: cannot load {path}: {e}");
        std::process::exit(1);
    }
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
