//! `shiftdeck bench`: load, KPI and snapshot speed and memory on a data file,
//! measured in-process with wall-clock timers and /proc's resident set size.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::domain::Floor;
use crate::domain::snapshot::Window;
use crate::domain::time::Ts;
use crate::source;

/// Resident set size in bytes (Linux), 0 where unknown.
pub fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// CPU time (user + system) of this process in seconds, from /proc (Linux);
/// unlike wall time it does not grow when other work shares the cores.
pub fn cpu_seconds() -> f64 {
    let ticks_per_s = 100.0; // USER_HZ, 100 on every Linux platform in use
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / ticks_per_s)
        })
        .unwrap_or(0.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(repeat: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let out = f();
        times.push(t0.elapsed());
        last = Some(out);
    }
    match last {
        Some(out) => (median(times), out),
        None => unreachable!("repeat is at least 1"),
    }
}

/// Each step of `views` (`View::steps`, the same steps in the same order)
/// with its median milliseconds.
fn median_steps(views: &[crate::app::view::View]) -> Vec<(&'static str, f64)> {
    let Some(first) = views.first() else {
        return Vec::new();
    };
    first
        .steps
        .iter()
        .enumerate()
        .map(|(i, (what, _))| {
            let mut t: Vec<f64> = views
                .iter()
                .filter_map(|v| v.steps.get(i).map(|s| s.1))
                .collect();
            t.sort_by(f64::total_cmp);
            (*what, t.get(t.len() / 2).copied().unwrap_or(0.0))
        })
        .collect()
}

/// What [`view_after_appends`] measured.
struct Appended {
    wall: Duration,
    /// CPU seconds per view.
    cpu: f64,
    steps: Vec<(&'static str, f64)>,
}

/// Today's view as the engine computes it after each of `repeat` appended
/// lines (a contact arriving a minute before the clock): the repeat index
/// brought up to date with the change, the pieces of the last view that
/// the change cannot touch taken again (`runtime::view_cache`), the clock a
/// second later each time. `floor` keeps the lines.
fn view_after_appends(
    floor: &mut Floor,
    settings: &crate::domain::Settings,
    now: Ts,
    repeat: u32,
) -> Appended {
    use crate::runtime::engine::{SpotMemory, compute_view_cached};
    use crate::runtime::view_cache::{Dirt, ViewCache};
    let (mut day, mut listed) = (None, Vec::new());
    let mut cache = ViewCache::default();
    floor.keep_contact_changes();
    let mut index = crate::domain::kpi::RepeatIndex::new(floor, settings);
    let mut compute = |floor: &Floor,
                       index: &crate::domain::kpi::RepeatIndex,
                       dirt: &Dirt,
                       at: Ts,
                       started: Instant,
                       cache: &mut ViewCache| {
        compute_view_cached(
            floor,
            settings,
            &crate::domain::window::Shifts::default(),
            crate::domain::window::WindowKind::Today,
            &crate::app::filter::Filter::default(),
            at,
            &mut SpotMemory {
                day: &mut day,
                listed: &mut listed,
            },
            started,
            Some(index),
            cache,
            dirt,
        )
    };
    compute(
        floor,
        &index,
        &Dirt::everything(),
        now,
        Instant::now(),
        &mut cache,
    );
    let mut times = Vec::new();
    let mut views = Vec::new();
    let cpu0 = cpu_seconds();
    for i in 0..repeat.max(1) {
        let at = now.add_secs(i64::from(i) + 1);
        let line = contact_line(1_000_000 + i, at);
        let mut errors = Vec::new();
        source::ingest_bytes(floor, "bench", 1, line.as_bytes(), &mut errors);
        // From the change on, as the engine's view: the index and the view.
        let t0 = Instant::now();
        let dirt = match floor.take_contact_changes() {
            Some(changes) => {
                let before = Dirt::flags_before(floor, &changes, &index);
                index.update(floor, settings, &changes);
                Dirt::of(floor, &changes, &before, &index)
            }
            None => Dirt::everything(),
        };
        views.push(compute(floor, &index, &dirt, at, t0, &mut cache));
        times.push(t0.elapsed());
    }
    let cpu = (cpu_seconds() - cpu0) / f64::from(repeat.max(1));
    Appended {
        wall: median(times),
        cpu,
        steps: median_steps(&views),
    }
}

/// The span of the data: first to last arrival.
pub(super) fn data_span(floor: &Floor) -> Option<Window> {
    let mut lo: Option<Ts> = None;
    let mut hi: Option<Ts> = None;
    for c in floor.contacts() {
        if let Some(a) = c.arrived_at {
            lo = Some(lo.map_or(a, |l| l.min(a)));
            hi = Some(hi.map_or(a, |h| h.max(a)));
        }
    }
    Some(Window {
        from: lo?,
        to: hi?.add_nanos(1),
    })
}

/// Alerts timed from line to webhook.
const ALERT_ROUNDS: u32 = 5;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// What the follower's event-to-screen times came to.
struct Follow {
    /// Append → line read, applied, view computed and a 200×60 frame drawn.
    times: Vec<Duration>,
    /// Time from start to the first view (the engine's own load).
    first_view: Duration,
    /// The engine's own time for each of those views, ms (`View::compute_ms`).
    computes: Vec<f64>,
}

/// A contact line arriving a minute before `now`, to append.
fn contact_line(i: u32, now: Ts) -> String {
    let at = Ts::from_nanos(now.nanos() - 60_000_000_000);
    format!(
        "{{\"type\":\"contact\",\"id\":\"bench-append-{i}\",\"queue\":\"bench\",\"customer\":\"bench-{i}\",\"arrived_at\":\"{at}\"}}\n"
    )
}

/// The follower's event-to-screen time: the console's engine follows the
/// files plus an empty file of its own; each of `appends` lines appended to
/// that file (a quiet spell apart) is timed from the write until the view
/// with it has been computed and drawn (the dashboard at 200×60, off
/// screen). The engine's clock starts at `now` and runs on, as a console's
/// does (a clock standing still would let every view reuse the last one's
/// windows, which a lead's console cannot).
fn follow_latency(
    files: &[PathBuf],
    settings: &crate::domain::Settings,
    now: Ts,
    appends: u32,
) -> std::io::Result<Follow> {
    use crate::app::state::{Action, App};
    use crate::app::theme::ThemeKind;
    use crate::app::view::EngineMsg;
    use crate::runtime::engine::{self, Engine, EngineOptions};

    let dir = std::env::temp_dir().join(format!("shiftdeck-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let extra = dir.join("appended.ndjson");
    std::fs::write(&extra, b"")?;
    let mut followed = files.to_vec();
    followed.push(extra.clone());
    let started = Instant::now();
    let engine = Engine::new(EngineOptions {
        files: followed,
        label: "bench".into(),
        settings: settings.clone(),
        reload_settings: None,
        shifts: crate::domain::window::Shifts::default(),
        clock: std::sync::Arc::new(move || {
            now.add_nanos(i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX))
        }),
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = engine::spawn(engine, move |m| tx.send(m).is_ok())?;
    let next_view = || -> std::io::Result<Box<crate::app::view::View>> {
        loop {
            match rx.recv_timeout(Duration::from_secs(600)) {
                Ok(EngineMsg::View(v)) => return Ok(v),
                Ok(EngineMsg::Status(_)) => {}
                Err(_) => return Err(std::io::Error::other("the engine sent no view")),
            }
        }
    };
    let first = next_view()?;
    let first_view = started.elapsed();
    let mut app = App::new(now, settings.timezone, ThemeKind::Default, false);
    app.size = (200, 60);
    app.update(Action::Engine(EngineMsg::View(first)));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60))
        .map_err(|e| -> std::io::Error { match e {} })?;
    term.draw(|f| crate::ui::render(f, &app))
        .map_err(|e| -> std::io::Error { match e {} })?;
    let mut times = Vec::new();
    let mut computes = Vec::new();
    for i in 0..appends {
        // A quiet spell, so each append meets an idle engine.
        std::thread::sleep(Duration::from_millis(150 + u64::from(i % 7) * 20));
        while rx.try_recv().is_ok() {}
        let mut f = std::fs::OpenOptions::new().append(true).open(&extra)?;
        let t0 = Instant::now();
        f.write_all(contact_line(i, now).as_bytes())?;
        drop(f);
        let v = next_view()?;
        computes.push(v.compute_ms);
        app.update(Action::Engine(EngineMsg::View(v)));
        term.draw(|f| crate::ui::render(f, &app))
            .map_err(|e| -> std::io::Error { match e {} })?;
        times.push(t0.elapsed());
    }
    handle.stop();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Follow {
        times,
        first_view,
        computes,
    })
}

pub fn run(
    config: Option<&Path>,
    files: &[PathBuf],
    repeat: u32,
    appends: u32,
) -> Result<(), super::CliError> {
    let settings = super::CliError::load_config(config)?.settings;
    let bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let rss0 = rss_bytes();
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    let t0 = Instant::now();
    let cpu0 = cpu_seconds();
    let stats = source::load_files(files, &mut floor, &mut errors, &mut |_| {})?;
    let load = t0.elapsed();
    let load_cpu = cpu_seconds() - cpu0;
    let rss1 = rss_bytes();
    let footprint = floor.footprint();
    let contacts = floor.contacts().len() as u64;
    let Some(span) = data_span(&floor) else {
        return Err(super::CliError::NothingToMeasure);
    };
    let now = span.to;
    let (kpi_all, set) = time(repeat, || {
        crate::domain::kpi::compute(&floor, &settings, span, now)
    });
    let day = super::window::today(
        span.from.add_nanos(span.to.since(span.from)),
        settings.timezone,
    );
    let (kpi_day, _) = time(repeat, || {
        crate::domain::kpi::compute(&floor, &settings, day, now)
    });
    let (snap_t, snap) = time(repeat, || super::snapshot_at(&floor, &settings, day, now));
    // Every alert rule over the snapshot (section 10), as the engine runs
    // them after each view: steady state, the book already holding what is
    // true (nothing fires), so the time is the rules' own.
    let alert_input = crate::domain::alerts::AlertInput::of(&snap);
    let mut book = crate::domain::alerts::AlertBook::new();
    let fired = book.evaluate(&alert_input, &settings.alerts, now).len();
    let (alerts_t, _) = time(repeat.max(5), || {
        book.evaluate(&alert_input, &settings.alerts, now).len()
    });
    // The forecast of every queue for the rest of the day at `now` (part of
    // the snapshot above, timed on its own).
    let reports = crate::domain::live::queue_reports(&floor, day, now);
    let bases = crate::domain::staffing::bases(&floor, &reports);
    let target = crate::domain::staffing::target_sl(&settings);
    let forecast_cpu0 = cpu_seconds();
    let (forecast_t, forecast) = time(repeat, || {
        crate::domain::forecast::forecast(&floor, settings.timezone, now, target, &bases)
    });
    let forecast_cpu = (cpu_seconds() - forecast_cpu0) / f64::from(repeat.max(1));
    // Every agent's section 8 figures: with the repeat/FCR index the console
    // builds once per data change, and with that index built in the timing.
    let index = crate::domain::kpi::RepeatIndex::new(&floor, &settings);
    let agents_cpu0 = cpu_seconds();
    let (agents_t, agents) = time(repeat, || {
        crate::domain::agents::agent_board(&floor, &settings, day, now, Some(&index))
    });
    // CPU time per run: unlike the wall clock it does not grow when other
    // work shares the cores (10 ms ticks, spread over the repetitions).
    let agents_cpu = (cpu_seconds() - agents_cpu0) / f64::from(repeat.max(1));
    let (agents_cold_t, _) = time(repeat, || {
        crate::domain::agents::agent_board(&floor, &settings, day, now, None)
    });
    // The coaching view of the busiest agent: 24 hours and 14 days of its
    // figures and the feedback of its customers (the repeat index built in,
    // as the engine does while the view is open).
    let tz = settings.timezone;
    let hours: Vec<Window> = (0..24)
        .map(|i| Window {
            from: day.from.add_secs(i * 3600),
            to: day.from.add_secs((i + 1) * 3600),
        })
        .collect();
    let today = crate::domain::window::local_date(now, tz);
    let days: Vec<_> = (0..crate::domain::agents::COACH_DAYS)
        .rev()
        .map(|back| {
            let d = today - chrono::Duration::days(back);
            (d, crate::domain::window::day_window(d, tz))
        })
        .collect();
    let busiest = agents
        .iter()
        .max_by_key(|a| a.figures.handled)
        .map(|a| a.id.clone())
        .unwrap_or_default();
    let (coach_t, _) = time(repeat, || {
        crate::domain::agents::coaching(&floor, &settings, &busiest, &hours, &days, now)
    });
    let (agents_all_t, _) = time(repeat, || {
        crate::domain::agents::agent_board(&floor, &settings, span, now, Some(&index))
    });
    // What the console's engine computes after a data change: the whole
    // view of today at `now` (every pane's figures, the huddle's and the
    // trend's windows), with the repeat index kept up to date as the engine
    // keeps it, and with it built again.
    let view = |kept: Option<&crate::domain::kpi::RepeatIndex>| {
        let (mut day, mut listed) = (None, Vec::new());
        crate::runtime::engine::compute_view_with(
            &floor,
            &settings,
            &crate::domain::window::Shifts::default(),
            crate::domain::window::WindowKind::Today,
            &crate::app::filter::Filter::default(),
            now,
            &mut crate::runtime::engine::SpotMemory {
                day: &mut day,
                listed: &mut listed,
            },
            Instant::now(),
            kept,
        )
    };
    let view_cpu0 = cpu_seconds();
    let mut views = Vec::new();
    let (view_t, _) = time(repeat, || views.push(view(Some(&index))));
    let view_cpu = (cpu_seconds() - view_cpu0) / f64::from(repeat.max(1));
    let view_steps = median_steps(&views);
    drop(views);
    let (view_built_t, _) = time(repeat, || view(None));
    // The same view as the engine computes it after each appended line:
    // the index brought up to date and the pieces the last view kept
    // taken again, the clock a second later each time.
    let appended = view_after_appends(&mut floor, &settings, now, repeat);

    // Written at once: a closed pipe is an error for `main`, never a panic.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "shiftdeck bench on {} core(s)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let _ = writeln!(
        out,
        "data: {} file(s), {:.1} MB, {} lines, {} records ({} contacts), {} malformed",
        files.len(),
        bytes as f64 / 1e6,
        stats.lines,
        stats.applied,
        contacts,
        stats.malformed
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    // The CPU clock ticks every 10 ms: under ten ticks a rate is noise.
    let per_cpu = if load_cpu >= 0.1 {
        format!(
            "{:.2} M records per CPU-second",
            stats.applied as f64 / load_cpu / 1e6
        )
    } else {
        "too short for the 10 ms CPU clock to give a rate".to_string()
    };
    let _ = writeln!(
        out,
        "load:            {} = {:.2} M records/s, {:.0} MB/s; per core {:.2} M records/s, {:.0} MB/s (CPU {:.0} ms = {})",
        ms(load),
        stats.applied as f64 / load.as_secs_f64() / 1e6,
        bytes as f64 / load.as_secs_f64() / 1e6,
        stats.applied as f64 / load.as_secs_f64() / 1e6 / cores,
        bytes as f64 / load.as_secs_f64() / 1e6 / cores,
        load_cpu * 1e3,
        per_cpu
    );
    let _ = writeln!(
        out,
        "memory:          {:.1} MB resident for the floor = {:.0} bytes/contact (RSS {:.1} → {:.1} MB)",
        rss1.saturating_sub(rss0) as f64 / 1e6,
        rss1.saturating_sub(rss0) as f64 / contacts.max(1) as f64,
        rss0 as f64 / 1e6,
        rss1 as f64 / 1e6
    );
    let counted: usize = footprint.iter().map(|(_, b)| b).sum();
    for (what, b) in &footprint {
        let _ = writeln!(
            out,
            "  {what:<30} {:>7.1} MB = {:>5.1} bytes/contact",
            *b as f64 / 1e6,
            *b as f64 / contacts.max(1) as f64
        );
    }
    let _ = writeln!(
        out,
        "  {:<30} {:>7.1} MB (estimated; the rest of the resident growth is the allocator's)",
        "counted",
        counted as f64 / 1e6
    );
    let _ = writeln!(
        out,
        "kpis, all data:  {} (median of {repeat}; window {} days, n handled = {})",
        ms(kpi_all),
        span.days().ceil(),
        set.get(crate::domain::KpiKey::AhtS).n
    );
    let _ = writeln!(out, "kpis, last day:  {} (median of {repeat})", ms(kpi_day));
    let _ = writeln!(
        out,
        "alert rules:     {:.3} ms (median of {}; every rule over the last day's snapshot, {} active; target ≤ 5 ms)",
        alerts_t.as_secs_f64() * 1e3,
        repeat.max(5),
        fired
    );
    let _ = writeln!(
        out,
        "full snapshot:   {} (median of {repeat}; {} queues, {} SLA timers, {} feedback, {} spot checks)",
        ms(snap_t),
        snap.queues.len(),
        snap.sla.len(),
        snap.feedback.len(),
        snap.spot_check.random.len() + snap.spot_check.targeted.len()
    );
    let _ = writeln!(
        out,
        "forecast:        {} (median of {repeat}; CPU {:.1} ms per run; budget 100 ms; {} queues, {} intervals to the end of the day at {})",
        ms(forecast_t),
        forecast_cpu * 1e3,
        forecast.len(),
        forecast.iter().map(|d| d.ahead.len()).sum::<usize>(),
        now
    );
    let _ = writeln!(
        out,
        "agents, last day: {} (median of {repeat}; CPU {:.1} ms per run; {} agents, figures of section 8; {} with the repeat index built too)",
        ms(agents_t),
        agents_cpu * 1e3,
        agents.len(),
        ms(agents_cold_t)
    );
    let _ = writeln!(
        out,
        "agents, all data: {} (median of {repeat})",
        ms(agents_all_t)
    );
    let _ = writeln!(
        out,
        "coaching view:   {} (median of {repeat}; one agent, 24 hours and {} days, repeat index built too)",
        ms(coach_t),
        crate::domain::agents::COACH_DAYS
    );
    let _ = writeln!(
        out,
        "console view:    {} (median of {repeat}; CPU {:.1} ms per run; today's view as the engine computes it after a change, repeat index kept; {} with it built again)",
        ms(view_t),
        view_cpu * 1e3,
        ms(view_built_t)
    );
    let _ = writeln!(
        out,
        "console view after an appended line: {} (median of {repeat}; CPU {:.1} ms per run; the engine's view with the pieces the last one kept, the clock a second on)",
        ms(appended.wall),
        appended.cpu * 1e3
    );
    let _ = writeln!(
        out,
        "  where it goes (each step of those views, median of {repeat}):   from scratch   after a line"
    );
    let (mut sum, mut sum_after) = (0.0, 0.0);
    for (what, t) in &view_steps {
        let after = appended
            .steps
            .iter()
            .find(|(w, _)| w == what)
            .map_or(0.0, |s| s.1);
        sum += t;
        sum_after += after;
        let _ = writeln!(out, "    {what:<28} {t:>12.1} ms {after:>12.1} ms");
    }
    let _ = writeln!(
        out,
        "    {:<28} {sum:>12.1} ms {sum_after:>12.1} ms",
        "= steps together"
    );
    // The loaded floor is freed first: the engines below build their own.
    drop(floor);
    if appends > 0 {
        match follow_latency(files, &settings, now, appends) {
            Ok(f) => {
                let mut t = f.times.clone();
                t.sort();
                let at = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
                let mut c = f.computes.clone();
                c.sort_by(f64::total_cmp);
                if !t.is_empty() {
                    let _ = writeln!(
                        out,
                        "follow:          append → applied + frame drawn: median {}, p90 {}, worst {} ({} appends; the engine's view after each took median {:.1} ms, worst {:.1} ms; engine's first view after {})",
                        ms(at(0.5)),
                        ms(at(0.9)),
                        ms(at(1.0)),
                        t.len(),
                        c[c.len() / 2],
                        c[c.len() - 1],
                        ms(f.first_view)
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(out, "follow:          not measured: {e}");
            }
        }
    }
    // The path of `watch`: line → engine → rules → outbox → webhook POST.
    match super::alert_bench::alert_latency(files, &settings, now, ALERT_ROUNDS) {
        Ok(a) if !a.times.is_empty() => {
            let mut t = a.times.clone();
            t.sort();
            let _ = writeln!(
                out,
                "alert:           line → webhook POST received: median {}, worst {} ({} rounds, queue_waiting over 3; {} alerts of the floor itself posted first)",
                ms(t[t.len() / 2]),
                ms(t[t.len() - 1]),
                t.len(),
                a.at_start
            );
        }
        Ok(_) => {}
        Err(e) => {
            let _ = writeln!(out, "alert:           not measured: {e}");
        }
    }
    // A restart of an RT or Zendesk source: its cached floor (the first
    // 16 MB of these records, one line per record) written, then read,
    // checked and applied before the first poll.
    match super::cache_bench::warm_start(files, 16 << 20) {
        Ok(w) => {
            let _ = writeln!(
                out,
                "warm start:      CRM cache of {} records ({:.1} MB): read + checked {}, applied {} = cached floor in {} (written in {})",
                w.records,
                w.bytes as f64 / 1e6,
                ms(w.read_check),
                ms(w.apply),
                ms(w.read_check + w.apply),
                ms(w.write)
            );
        }
        Err(e) => {
            let _ = writeln!(out, "warm start:      not measured: {e}");
        }
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(super::CliError::write(super::error::Output::Stdout))
}
