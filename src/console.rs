//! The console's runtime: terminal setup and restore, logging to a file, the
//! engine thread, and the UI event loop.
//!
//! The loop blocks on the next event (a key, a resize, a new view or status
//! from the engine, the 1 Hz clock) and draws only when the state says it
//! changed, each frame wrapped in the synchronized-update sequences
//! (`CSI ?2026h` … `CSI ?2026l`) so tmux and SSH users see no tearing.
//! The terminal is restored on every way out: quit, error, SIGINT/SIGTERM/
//! SIGHUP, and panic (a hook restores it before the message prints).

use std::io::{self, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use anyhow::Context;
use crossterm::event::{Event, EventStream, KeyEventKind, KeyModifiers};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute, queue};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::engine::{self, Engine, EngineOptions};
use crate::app::form::form_key;
use crate::app::keymap;
use crate::app::state::{Action, App, Effect, EngineCmd, KpiNoteEntry};
use crate::app::window::Shifts;
use crate::config;
use crate::domain::{KpiKey, Ts};
use crate::store::Store;
use crate::ui;
use crate::ui::theme::{ThemeKind, no_color_from_env};

/// How the lead's `main` starts the console.
#[derive(Clone, Default)]
pub struct ConsoleOptions {
    /// NDJSON files to follow, in order; empty = `[source] file` of the
    /// config, and if that is empty too, the start screen.
    pub files: Vec<PathBuf>,
    /// `--config PATH`.
    pub config: Option<PathBuf>,
    /// Start in huddle mode (masked for the whole session).
    pub huddle: bool,
    /// What the header calls the source; empty = the file name(s).
    pub source_label: String,
    /// Where the log file goes; `None` = the state folder.
    pub log_dir: Option<PathBuf>,
    /// `--crm URL`: poll an HTTP feed or a CRM instead of following files.
    pub crm: Option<String>,
    /// The clock for "now"; `None` = the system clock. `demo --speed N`
    /// passes the simulator's clock so timers run at the simulated pace.
    pub clock: Option<engine::Clock>,
    /// `--lang`; `None` = the config's `[display] lang`, then the locale.
    pub lang: Option<config::Lang>,
    /// `--data-dir`: where the lead's store lives; `None` = the platform's.
    pub data_dir: Option<PathBuf>,
}

impl std::fmt::Debug for ConsoleOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleOptions")
            .field("files", &self.files)
            .field("config", &self.config)
            .field("huddle", &self.huddle)
            .field("source_label", &self.source_label)
            .field("log_dir", &self.log_dir)
            .field("crm", &self.crm)
            .field("clock", &self.clock.as_ref().map(|_| "custom"))
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

type Term = Terminal<CrosstermBackend<Stdout>>;

/// Runs a polled source (HTTP feed, CRM) on its own thread and runtime and
/// hands its owned batches to the engine over a channel.
fn spawn_polled_source(
    spec: crate::source::spec::SourceSpec,
    settings: crate::source::poll::SourceSettings,
) -> anyhow::Result<std::sync::mpsc::Receiver<crate::source::poll::SourceEvent>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("shiftdeck-source".into())
        .spawn(move || {
            let rt = match crate::source::local_runtime() {
                Ok(rt) => rt,
                Err(e) => {
                    tracing::error!("source runtime: {e}");
                    return;
                }
            };
            rt.block_on(async move {
                let (atx, mut arx) = tokio::sync::mpsc::channel(16);
                let _task = crate::source::spec::spawn_source(spec, settings, atx);
                while let Some(ev) = arx.recv().await {
                    if tx.send(ev).is_err() {
                        break; // the engine is gone
                    }
                }
            });
        })
        .context("starting the source thread")?;
    Ok(rx)
}

/// Runs the console until the lead quits.
pub fn run(opts: ConsoleOptions) -> anyhow::Result<()> {
    // Config errors are reported before the screen is taken over.
    let loaded = config::load(opts.config.as_deref())?;
    let paths = config::paths(opts.config.as_deref(), opts.data_dir.as_deref()).ok();
    let log_dir = opts
        .log_dir
        .clone()
        .or_else(|| paths.as_ref().map(|p| p.state_dir.clone()));
    let _log_guard = log_dir.as_deref().and_then(init_logging);

    // --crm, then --file, then the config's [source] crm and file.
    let spec = crate::source::spec::SourceSpec::resolve(
        opts.crm.as_deref(),
        &opts.files,
        &loaded.extra.source,
    )?;
    let (files, remote) = match spec {
        None => (Vec::new(), None),
        Some(crate::source::spec::SourceSpec::Files(f)) => (f, None),
        Some(other) => (Vec::new(), Some(other)),
    };
    let label = if let Some(spec) = &remote {
        spec.label()
    } else if !opts.source_label.is_empty() {
        opts.source_label.clone()
    } else {
        files
            .iter()
            .map(|f| {
                f.file_name().map_or_else(
                    || f.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    tracing::info!(files = ?files, "console starting");

    let no_color = no_color_from_env();
    let theme = match loaded.extra.display.theme {
        config::Theme::Default => ThemeKind::Default,
        config::Theme::HighContrast => ThemeKind::HighContrast,
    };
    let now = Ts::from_datetime(&chrono::Utc::now());
    let mut app = App::new(now, loaded.settings.timezone, theme, no_color);
    app.huddle_rotate_s = loaded.extra.display.huddle_rotate_s.max(1);
    app.lang = crate::i18n::Lang::choose(opts.lang, loaded.extra.display.lang);
    app.has_source = !files.is_empty() || remote.is_some();
    app.status.label = label.clone();
    // No home folder: the start screen says there is no config location.
    app.config_file = paths.as_ref().map(|p| p.config_file.display().to_string());
    app.config_path = opts.config.clone();
    if opts.huddle {
        app.start_huddle();
    }
    app.scorecard = loaded.extra.scorecard.clone();
    app.author = loaded.extra.user.author();
    app.followup_rules = loaded.extra.feedback;
    // The lead's store. Locked or damaged: the console still runs, read-only.
    let (store, store_message) = match &paths {
        Some(p) => crate::store::open_for_console(&crate::store::path_in(&p.data_dir)),
        None => (None, Some("no home folder: entries cannot be saved".into())),
    };
    if let Some(m) = &store_message {
        tracing::warn!(message = %m, "store");
    }
    app.store_message = store_message;
    // The lead's follow-up events, merged over the feed on the board.
    if let Some(s) = &store {
        match s.all_feedback_events() {
            Ok(list) => {
                app.update(Action::Followups(
                    list.into_iter().map(Into::into).collect(),
                ));
            }
            Err(e) => tracing::warn!(error = %e, "reading follow-up events"),
        }
    }
    // This week's KPI notes, so the note prompt can prefill them.
    if let Some(s) = &store {
        let week = app.current_week();
        match s.kpi_notes(&week) {
            Ok(list) => {
                app.update(Action::KpiNotes(
                    list.into_iter().filter_map(kpi_note_entry).collect(),
                ));
            }
            Err(e) => tracing::warn!(error = %e, "reading KPI notes"),
        }
    }
    // The engine keeps the day's sample in the store through a connection of
    // its own (WAL: the UI's writes and the engine's do not block each other
    // for long; each is one short transaction).
    let sample_store = match (&store, &paths) {
        (Some(s), Some(p)) if s.read_only_reason().is_none() => {
            crate::store::open_for_console(&crate::store::path_in(&p.data_dir)).0
        }
        (Some(_), Some(p)) => {
            Store::open_read_only(&crate::store::path_in(&p.data_dir)).unwrap_or(None)
        }
        _ => None,
    };

    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let clock = opts.clock.clone().unwrap_or_else(engine::system_clock);
    let engine = if app.has_source {
        let config_path = opts.config.clone();
        let reload: engine::SettingsLoader =
            std::sync::Arc::new(move || Ok(config::load(config_path.as_deref())?.settings));
        let e = Engine::new(EngineOptions {
            files,
            label,
            settings: loaded.settings.clone(),
            reload_settings: Some(reload),
            shifts: Shifts::default(),
            clock: clock.clone(),
        });
        let e = match sample_store {
            Some(s) => e.with_sample_store(s),
            None => e,
        };
        let e = match remote {
            Some(spec) => {
                let settings =
                    crate::source::poll::SourceSettings::from_config(&loaded.extra.source)?;
                // RT: entries queued in the outbox are posted back as comments.
                if let (crate::source::spec::SourceSpec::Rt(rt), Some(p)) = (&spec, &paths)
                    && store
                        .as_ref()
                        .is_some_and(|s| s.read_only_reason().is_none())
                {
                    match crate::source::writeback::spawn_flusher(
                        crate::store::path_in(&p.data_dir),
                        rt.clone(),
                        settings.clone(),
                        crate::source::writeback::FLUSH_EVERY,
                    ) {
                        Ok(_) => app.write_back = true,
                        Err(err) => tracing::warn!(error = %err, "write-back off"),
                    }
                }
                e.with_remote(spawn_polled_source(spec, settings)?)
            }
            None => e,
        };
        Some(engine::spawn(e, move |m| tx.send(m).is_ok()).context("starting the data engine")?)
    } else {
        drop(tx);
        None
    };
    let commands = engine.as_ref().map(|e| e.commands.clone());

    let result = {
        let mut guard = TerminalGuard::enter().context("setting up the terminal")?;
        let size = guard.terminal.size()?;
        app.size = (size.width, size.height);
        let rt = crate::source::local_runtime().context("starting the event loop")?;
        rt.block_on(event_loop(
            &mut guard.terminal,
            &mut app,
            rx,
            commands,
            clock,
            store.as_ref(),
        ))
    };
    if let Some(e) = engine {
        e.stop();
    }
    tracing::info!("console stopped");
    result
}

/// Logs to `<dir>/shiftdeck.log`, never to the screen. Failure to open the
/// file only means no log.
fn init_logging(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(dir).ok()?;
    let appender = tracing_appender::rolling::RollingFileAppender::builder()
        .rotation(tracing_appender::rolling::Rotation::NEVER)
        .filename_prefix("shiftdeck.log")
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let level = match std::env::var("SHIFTDECK_LOG").as_deref() {
        Ok("trace") => tracing::Level::TRACE,
        Ok("debug") => tracing::Level::DEBUG,
        Ok("warn") => tracing::Level::WARN,
        Ok("error") => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(level)
        .finish();
    // If the caller already installed a subscriber, keep theirs.
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(guard)
}

/// Raw mode + alternate screen for as long as it lives; restores on drop,
/// and a panic hook restores before the panic message is printed.
struct TerminalGuard {
    terminal: Term,
}

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        crossterm::terminal::enable_raw_mode()?;
        let mut out = io::stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, cursor::Hide) {
            restore_terminal();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(mut terminal) => {
                terminal.clear()?;
                Ok(TerminalGuard { terminal })
            }
            Err(e) => {
                restore_terminal();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Undo everything `enter` did; safe to call more than once.
fn restore_terminal() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            tracing::error!(panic = %info, "panic");
            previous(info);
        }));
    });
}

fn draw(terminal: &mut Term, app: &App) -> io::Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| ui::render(frame, app))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// A terminal event as an app action (`None` = nothing to do).
pub fn action_for(ev: Event, app: &App) -> Option<Action> {
    match ev {
        // The open scorecard form takes every key.
        Event::Key(key) if key.kind != KeyEventKind::Release && app.form.is_some() => {
            let on_comment = app.form.as_ref().is_some_and(|f| f.on_comment());
            form_key(&key, on_comment).map(Action::Form)
        }
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(a) = keymap::lookup(&key, &app.contexts()) {
                return Some(Action::Key(a));
            }
            match key.code {
                crossterm::event::KeyCode::Char(c)
                    if app.input.is_some()
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::Type(c))
                }
                _ => None,
            }
        }
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

async fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    mut views: tokio::sync::mpsc::UnboundedReceiver<crate::app::EngineMsg>,
    commands: Option<Sender<EngineCmd>>,
    clock: engine::Clock,
    store: Option<&Store>,
) -> anyhow::Result<()> {
    let mut events = EventStream::new();
    // Tick on whole seconds so the clock changes when the second does.
    let sub = chrono::Utc::now().timestamp_subsec_nanos() as u64;
    let first = tokio::time::Instant::now()
        + std::time::Duration::from_nanos(1_000_000_000 - sub % 1_000_000_000);
    let mut tick = tokio::time::interval_at(first, std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut engine_alive = commands.is_some();
    let mut signals = Signals::new();
    loop {
        if app.dirty {
            draw(terminal, app)?;
            app.dirty = false;
        }
        if app.quit {
            return Ok(());
        }
        let action = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => action_for(ev, app),
                Some(Err(e)) => return Err(e).context("reading terminal events"),
                None => return Ok(()),
            },
            msg = views.recv(), if engine_alive => match msg {
                Some(m) => Some(Action::Engine(m)),
                None => {
                    engine_alive = false;
                    tracing::error!("the data engine stopped");
                    app.status.last_error = Some("the data engine stopped (see the log)".into());
                    app.dirty = true;
                    None
                }
            },
            _ = tick.tick() => Some(Action::Tick(clock())),
            _ = signals.recv() => {
                tracing::info!("signal received: quitting");
                return Ok(());
            }
        };
        let Some(action) = action else { continue };
        let effects = app.update(action);
        run_effects(app, effects, store, commands.as_ref());
    }
}

/// Runs what `update` asked for: engine commands, and the store's reads and
/// writes, whose results go back into the app as actions. A scorecard is
/// reported saved only after `save_score` returned Ok (the row is durable);
/// without a writable store the form keeps the input and says why.
pub fn run_effects(
    app: &mut App,
    effects: Vec<Effect>,
    store: Option<&Store>,
    commands: Option<&Sender<EngineCmd>>,
) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let follow = match effect {
            Effect::Quit => {
                app.quit = true;
                Vec::new()
            }
            Effect::Engine(cmd) => {
                if let Some(c) = commands {
                    let _ = c.send(cmd);
                }
                Vec::new()
            }
            Effect::SaveScore(score) => {
                let result = writable_store(store, app).and_then(|s| {
                    match s.save_score_with_outbox(&score).map(|(id, _)| id) {
                        Ok(id) => {
                            let mut saved = score;
                            saved.id = Some(id);
                            Ok(saved)
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, contact = %score.contact, "score not saved");
                            Err(e.to_string())
                        }
                    }
                });
                app.update(Action::ScoreSaved(result))
            }
            Effect::LoadScores(day) => {
                let list = match store.map(|s| s.scores(day, day)) {
                    Some(Ok(list)) => list,
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "reading the day's scorecards");
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                app.update(Action::Scores(day, list))
            }
            Effect::SaveFollowup(event) => {
                let row = crate::store::NewFeedbackEvent {
                    item: event.item.clone(),
                    at: event.at,
                    author: app.author.clone(),
                    change: crate::store::FeedbackChange::from_field(
                        event.field,
                        event.value.clone(),
                    ),
                };
                let result = match writable_store(store, app).and_then(|s| {
                    s.add_feedback_event_with_outbox(&row)
                        .map_err(|e| e.to_string())
                }) {
                    Ok(_) => Ok(event),
                    Err(why) => {
                        tracing::warn!(error = %why, item = %row.item, "follow-up not saved");
                        Err((event, why))
                    }
                };
                app.update(Action::FollowupSaved(result))
            }
            Effect::SaveKpiNote(entry) => {
                let row = crate::store::KpiNote {
                    week: entry.week.clone(),
                    kpi: entry.kpi.key().to_string(),
                    cause: entry.cause.clone(),
                    action: entry.action.clone(),
                    author: app.author.clone(),
                    saved_at: app.now,
                };
                let result = writable_store(store, app).and_then(|s| match s.save_kpi_note(&row) {
                    Ok(()) => Ok(entry),
                    Err(e) => {
                        tracing::warn!(error = %e, kpi = %row.kpi, "KPI note not saved");
                        Err(e.to_string())
                    }
                });
                app.update(Action::KpiNoteSaved(result))
            }
            Effect::ReloadConfig => match config::load(app.config_path.as_deref()) {
                Ok(l) => app.update(Action::LeadConfig(
                    l.extra.feedback,
                    Box::new(l.extra.scorecard),
                )),
                // The engine re-reads the same file and shows the error.
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "config reload (feedback, scorecard)");
                    Vec::new()
                }
            },
            Effect::CheckOutbox => match store.map(Store::outbox_summary) {
                Some(Ok(summary)) => app.update(Action::Outbox(summary)),
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "reading the write-back outbox");
                    Vec::new()
                }
                None => Vec::new(),
            },
        };
        queue.extend(follow);
    }
}

/// The store a save goes to, or the message the form shows when this
/// session has none (the i18n catalogue matches these English texts).
fn writable_store<'a>(store: Option<&'a Store>, app: &App) -> Result<&'a Store, String> {
    store.ok_or_else(|| {
        format!(
            "read-only: {}",
            app.store_message
                .as_deref()
                .unwrap_or("no store this session")
        )
    })
}

/// A stored note as the app holds it; a KPI key this build does not know is skipped.
fn kpi_note_entry(n: crate::store::KpiNote) -> Option<KpiNoteEntry> {
    let kpi = KpiKey::ALL.into_iter().find(|k| k.key() == n.kpi)?;
    Some(KpiNoteEntry {
        week: n.week,
        kpi,
        cause: n.cause,
        action: n.action,
    })
}

/// SIGINT, SIGTERM and SIGHUP (an SSH session dropping) all end the loop,
/// so the terminal is restored.
struct Signals {
    #[cfg(unix)]
    unix: Vec<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let unix = [
                SignalKind::interrupt(),
                SignalKind::terminate(),
                SignalKind::hangup(),
            ]
            .into_iter()
            .filter_map(|k| signal(k).ok())
            .collect();
            Signals { unix }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            if self.unix.is_empty() {
                std::future::pending::<()>().await;
            }
            let futures = self.unix.iter_mut().map(|s| Box::pin(s.recv()));
            futures_util::future::select_all(futures).await;
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
