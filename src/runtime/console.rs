//! The console: terminal setup and restore, logging to a file, starting the
//! engine, the sources and the write-back flusher, and the UI event loop.
//!
//! The loop blocks on the next event (a key, a resize, a new view or status
//! from the engine, the 1 Hz clock) and draws only when the state says it
//! changed, each frame wrapped in the synchronized-update sequences
//! (`CSI ?2026h` … `CSI ?2026l`) so tmux and SSH users see no tearing.
//! The terminal is restored on every way out: quit, error, every signal
//! that would end the process and can be caught (see [`Signals`]), and
//! panic (a hook restores it before the message prints).

use std::io::{self, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use super::error::{ConsoleError, Step};
use crossterm::event::EventStream;
use crossterm::terminal::{
    BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use crossterm::{cursor, execute, queue};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::input::action_for;
use crate::app::state::{Action, App, Effect, EngineCmd};
use crate::config;
use crate::domain::Ts;
use crate::domain::window::Shifts;
use crate::i18n::Localize;
use crate::store::Store;
use crate::ui;
use crate::ui::theme::{ThemeKind, color_depth_from_env, no_color_from_env};

use super::effects::{load_entries, reload_after_change, run_effects};
use super::engine::{self, Engine, EngineOptions};
use super::sources::spawn_polled_source;
use super::store_watch::{StoreEvent, WATCH_EVERY, spawn_watch};

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
    /// The data is the simulator's (`demo`): the header says SIMULATED.
    pub simulated: bool,
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
            .field("simulated", &self.simulated)
            .field("log_dir", &self.log_dir)
            .field("crm", &self.crm)
            .field("clock", &self.clock.as_ref().map(|_| "custom"))
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

type Term = Terminal<CrosstermBackend<Screen>>;

/// Runs the console until the lead quits.
pub fn run(opts: ConsoleOptions) -> Result<(), ConsoleError> {
    // Config errors are reported before the screen is taken over.
    let location = config::config_location(opts.config.as_deref()).map_err(ConsoleError::Paths)?;
    let loaded = config::load_at(&location).map_err(ConsoleError::Config)?;
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
    // The lead's entries belong to this source (store schema v4).
    let source_id = spec
        .as_ref()
        .map_or_else(crate::domain::SourceId::unrecorded, |s| s.identity());
    let (files, remote) = match spec {
        None => (Vec::new(), None),
        Some(crate::source::spec::SourceSpec::Files(f)) => (f, None),
        Some(other) => (Vec::new(), Some(other)),
    };
    // A FIFO, a device or a folder cannot be followed: said before the
    // screen is taken (a missing file may still appear, and is waited for).
    for f in &files {
        if let Err(crate::source::file::FileError::NotRegular { path, kind }) =
            crate::source::file::check_regular(f)
        {
            return Err(ConsoleError::NotFollowable { path, kind });
        }
    }
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
    app.color_depth = color_depth_from_env();
    app.huddle_rotate_s = loaded.extra.display.huddle_rotate_s.max(1);
    app.lang = crate::i18n::Lang::choose(opts.lang, loaded.extra.display.lang);
    app.has_source = !files.is_empty() || remote.is_some();
    app.status.label = label.clone();
    app.simulated = opts.simulated;
    // No home folder: the start screen says there is no config location.
    app.config_file = paths.as_ref().map(|p| p.config_file.display().to_string());
    app.config_path = opts.config.clone();
    if opts.huddle {
        app.start_huddle();
    }
    app.scores.card = loaded.extra.scorecard.clone();
    app.author = loaded.extra.user.author();
    app.alerts.bell = loaded.extra.alerts.bell;
    app.board.rules = loaded.extra.feedback;
    app.agents.huddle_names = loaded.extra.huddle.show_agents;
    app.agents.rules = loaded.settings.agents;
    // The lead's store: the SQLite file in the data dir, or `[store] url`.
    // Locked, damaged or unreachable: the console still runs, read-only.
    let location = paths
        .as_ref()
        .map(|p| crate::store::StoreLocation::resolve(&loaded.extra.store, &p.data_dir));
    let (mut store, store_message) = match &location {
        Some(Ok(loc)) => crate::store::open_for_console_at(loc, &source_id),
        Some(Err(e)) => (None, Some(crate::store::StoreNotice::NoSaving(e.clone()))),
        None => (None, Some(crate::store::StoreNotice::NoHome)),
    };
    if let Some(s) = &mut store {
        s.set_author(&app.author);
    }
    app.store_down = matches!(store_message, Some(crate::store::StoreNotice::Down(_)));
    if let Some(m) = &store_message {
        tracing::warn!(message = %m, "store");
    }
    app.store_message = store_message.map(|m| m.localize(app.lang));
    // The lead's follow-up events and this week's KPI notes.
    if let Some(s) = &store {
        load_entries(&mut app, s);
    }
    // The engine keeps the day's sample in the store through a connection of
    // its own (WAL: the UI's writes and the engine's do not block each other
    // for long; each is one short transaction).
    let location = location.and_then(Result::ok);
    let sample_store = match (&store, &location) {
        (Some(s), Some(loc)) if s.read_only_reason().is_none() => {
            crate::store::open_for_console_at(loc, &source_id)
                .0
                .map(|mut s| {
                    s.set_author(&app.author);
                    s
                })
        }
        (Some(_), Some(loc)) => Store::open_read_only_at(loc)
            .unwrap_or(None)
            .map(|s| s.for_source(source_id.clone())),
        _ => None,
    };

    // Other consoles' entries (a shared PostgreSQL, or another console on
    // this file) and the store going down or coming back: a watcher with a
    // connection of its own reads the change stamp once a second.
    let (watch_tx, watch_rx) = tokio::sync::mpsc::unbounded_channel();
    let watching = match (&store, &location) {
        (Some(_), Some(loc)) => {
            let (watched, _) = crate::store::open_for_console_at(loc, &source_id);
            watched.and_then(|w| {
                spawn_watch(w, WATCH_EVERY, app.store_down, move |e| {
                    watch_tx.send(e).is_ok()
                })
                .map_err(|e| tracing::warn!(error = %e, "store watcher not started"))
                .ok()
            })
        }
        _ => None,
    };
    let watch_rx = watching.map(|_| watch_rx);

    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let clock = opts.clock.clone().unwrap_or_else(engine::system_clock);
    let engine = if app.has_source {
        let config_path = opts.config.clone();
        let reload: engine::SettingsLoader = std::sync::Arc::new(move || {
            let location = config::config_location(config_path.as_deref())
                .map_err(|e| Box::new(e) as Box<dyn Localize + Send + Sync>)?;
            config::load_at(&location)
                .map(|l| l.settings)
                .map_err(|e| Box::new(e) as Box<dyn Localize + Send + Sync>)
        });
        let e = Engine::new(EngineOptions {
            files,
            label,
            settings: loaded.settings.clone(),
            reload_settings: Some(reload),
            shifts: Shifts::default(),
            clock: clock.clone(),
        });
        let e = e.with_lang(app.lang);
        let e = match sample_store {
            Some(s) => e.with_sample_store(s),
            None => e,
        };
        // Alerts queue one delivery row per webhook; this console posts
        // them too (claims keep two processes from posting one row twice).
        let e = e.with_alert_targets(
            loaded
                .extra
                .alerts
                .webhooks
                .iter()
                .map(config::WebhookConfig::target)
                .collect(),
        );
        if let Some(p) = &paths
            && store
                .as_ref()
                .is_some_and(|s| s.read_only_reason().is_none())
            && let Err(err) =
                super::alert_delivery::start(crate::store::path_in(&p.data_dir), &loaded, app.lang)
        {
            tracing::warn!(error = %err, "alert webhooks off in this console");
        }
        let e = match remote {
            Some(spec) => {
                let settings =
                    crate::source::poll::SourceSettings::from_config(&loaded.extra.source)?
                        .with_cache(
                            &loaded.extra.source,
                            paths.as_ref().map(|p| p.data_dir.as_path()),
                        );
                // RT: entries queued in the outbox are posted back as comments.
                if let (crate::source::spec::SourceSpec::Rt(rt), Some(loc)) = (&spec, &location)
                    && store
                        .as_ref()
                        .is_some_and(|s| s.read_only_reason().is_none())
                {
                    match super::writeback::spawn_flusher(
                        loc.clone(),
                        app.author.clone(),
                        rt.clone(),
                        settings.clone(),
                        super::writeback::FLUSH_EVERY,
                        app.lang,
                    ) {
                        Ok(_) => app.outbox.write_back = true,
                        Err(err) => tracing::warn!(error = %err, "write-back off"),
                    }
                }
                let (events, restart) = spawn_polled_source(spec, settings)?;
                e.with_remote(events).with_remote_restart(restart)
            }
            None => e,
        };
        Some(engine::spawn(e, move |m| tx.send(m).is_ok()).map_err(Step::Engine.failed())?)
    } else {
        drop(tx);
        None
    };
    let commands = engine.as_ref().map(|e| e.commands.clone());

    let result = {
        let basic16 = app.color_depth == crate::app::theme::ColorDepth::Basic16;
        let mut guard = TerminalGuard::enter(basic16).map_err(Step::Terminal.failed())?;
        let size = guard.terminal.size().map_err(Step::Terminal.failed())?;
        app.update(Action::Resize(size.width, size.height));
        let rt = crate::source::local_runtime().map_err(Step::EventLoop.failed())?;
        rt.block_on(event_loop(
            &mut guard.terminal,
            &mut app,
            rx,
            commands,
            clock,
            store.as_ref(),
            watch_rx,
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
pub(crate) fn init_logging(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
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
///
/// Setup never asks the terminal anything (no cursor-position query, which
/// a slow SSH link may not answer in time): the full-screen viewport takes
/// its size from the kernel and the screen is cleared with a plain escape
/// sequence. Any failure once raw mode is on restores the terminal.
struct TerminalGuard {
    terminal: Term,
    _restore: RestoreOnDrop,
}

/// Restores the terminal when dropped: armed as soon as raw mode is on, so
/// a failure later in setup gives the terminal back too.
struct RestoreOnDrop;

impl Drop for RestoreOnDrop {
    fn drop(&mut self) {
        restore_terminal();
    }
}

impl TerminalGuard {
    fn enter(basic16: bool) -> io::Result<TerminalGuard> {
        install_panic_hook();
        crossterm::terminal::enable_raw_mode()?;
        let restore = RestoreOnDrop;
        let mut out = io::stdout();
        execute!(
            out,
            EnterAlternateScreen,
            cursor::Hide,
            Clear(ClearType::All),
            cursor::MoveTo(0, 0)
        )?;
        injected_fault("terminal-setup")?;
        let terminal = fullscreen(CrosstermBackend::new(Screen::new(out, basic16)))?;
        Ok(TerminalGuard {
            terminal,
            _restore: restore,
        })
    }
}

/// Test builds (the `torture` feature) only: `SHIFTDECK_FAULT=POINT` makes
/// setup fail at `point`, so a test proves the terminal comes back from a
/// failure after the first escape sequence. The program has no such hook.
fn injected_fault(point: &str) -> io::Result<()> {
    if cfg!(feature = "torture") && std::env::var_os("SHIFTDECK_FAULT").is_some_and(|v| v == point)
    {
        return Err(io::Error::other(format!("fault injected at {point}")));
    }
    Ok(())
}

/// The console's output: what a frame writes is kept until it is flushed
/// and then written at once; on a terminal that shows only the 16 basic
/// colours their sequences are rewritten the classic way first
/// ([`crate::ui::theme::basic_sgr`]: no `38;5;N` reaches the Linux console).
struct Screen {
    out: Stdout,
    buf: Vec<u8>,
    basic16: bool,
}

impl Screen {
    fn new(out: Stdout, basic16: bool) -> Screen {
        Screen {
            out,
            buf: Vec::with_capacity(64 << 10),
            basic16,
        }
    }
}

impl Write for Screen {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = if self.basic16 {
            self.out.write_all(&crate::ui::theme::basic_sgr(&self.buf))
        } else {
            self.out.write_all(&self.buf)
        };
        self.buf.clear();
        result?;
        self.out.flush()
    }
}

/// A full-screen terminal on `backend`, built without querying the cursor
/// (ratatui's `Terminal::clear` would; the screen is cleared by the caller).
fn fullscreen<B: ratatui::backend::Backend>(backend: B) -> Result<Terminal<B>, B::Error> {
    Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fullscreen,
        },
    )
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

async fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    mut views: tokio::sync::mpsc::UnboundedReceiver<crate::app::EngineMsg>,
    commands: Option<Sender<EngineCmd>>,
    clock: engine::Clock,
    store: Option<&Store>,
    mut watch: Option<tokio::sync::mpsc::UnboundedReceiver<StoreEvent>>,
) -> Result<(), ConsoleError> {
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
            draw(terminal, app).map_err(Step::Draw.failed())?;
            app.dirty = false;
        }
        if app.quit {
            return Ok(());
        }
        let action = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => action_for(ev, app),
                Some(Err(e)) => return Err(Step::Events.failed()(e)),
                None => return Ok(()),
            },
            msg = views.recv(), if engine_alive => match msg {
                Some(m) => Some(Action::Engine(m)),
                None => {
                    engine_alive = false;
                    tracing::error!("the data engine stopped");
                    Some(Action::EngineStopped)
                }
            },
            _ = tick.tick() => Some(Action::Tick(clock())),
            event = async { watch.as_mut()?.recv().await }, if watch.is_some() => {
                match (event, store) {
                    (Some(StoreEvent::Changed { engine }), Some(s)) => {
                        reload_after_change(app, s, engine, commands.as_ref());
                    }
                    (Some(StoreEvent::Down(e)), _) => {
                        let notice = crate::store::StoreNotice::Down(e);
                        app.update(Action::StoreDown(notice.localize(app.lang)));
                    }
                    (Some(StoreEvent::Up), Some(s)) => {
                        // This handle's own connection may have died with
                        // the server: a failed round trip drops it, the
                        // next one reconnects.
                        if s.ping().is_err() {
                            let _ = s.ping();
                        }
                        app.update(Action::StoreUp);
                        reload_after_change(app, s, true, commands.as_ref());
                    }
                    (None, _) => watch = None,
                    _ => {}
                }
                None
            }
            _ = signals.recv() => {
                tracing::info!("signal received: quitting");
                return Ok(());
            }
        };
        let Some(action) = action else { continue };
        let effects = app.update(action);
        if effects.contains(&Effect::Bell) {
            // BEL: the terminal's own bell (or its visual bell).
            let _ = execute!(terminal.backend_mut(), crossterm::style::Print('\u{7}'));
        }
        run_effects(app, effects, store, commands.as_ref());
    }
}

/// Every signal that would end the process and can be caught ends the loop
/// instead, so the terminal is restored: SIGINT, SIGTERM, SIGHUP (an SSH
/// session dropping), SIGQUIT, SIGUSR1/2, SIGALRM, the resource limits and
/// timers, and the real-time signals. Left out: SIGPIPE (ignored by Rust
/// programs: a closed pipe is an error on write), SIGKILL and SIGSTOP
/// (cannot be caught), and the faults raised by the program itself
/// (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS), after which returning
/// from a handler is not safe.
struct Signals {
    #[cfg(unix)]
    unix: Vec<tokio::signal::unix::Signal>,
}

/// The signals [`Signals`] catches (see there).
#[cfg(unix)]
pub fn ending_signals() -> Vec<libc::c_int> {
    let mut v = vec![
        libc::SIGHUP,
        libc::SIGINT,
        libc::SIGQUIT,
        libc::SIGABRT,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGALRM,
        libc::SIGTERM,
        libc::SIGXCPU,
        libc::SIGXFSZ,
        libc::SIGVTALRM,
        libc::SIGPROF,
    ];
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        v.extend([libc::SIGSTKFLT, libc::SIGIO, libc::SIGPWR]);
        v.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    }
    v
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let unix = ending_signals()
                .into_iter()
                .filter_map(|n| match signal(SignalKind::from_raw(n)) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        // Some real-time signals are the C library's own.
                        tracing::debug!(signal = n, error = %e, "signal not caught");
                        None
                    }
                })
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
