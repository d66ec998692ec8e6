//! `shiftdeck watch`: the console's sources, engine and alert rules with no
//! terminal, for a jump box under systemd or tmux.
//!
//! - Each alert fired or cleared is printed on stdout as one JSON line, the
//!   alert object of spec section 10 with `event` (`fired`, `cleared`) and
//!   `at`; nothing else goes to stdout (start-up words go to stderr, the
//!   rest to the log file in the state folder).
//! - Webhooks (`[[alerts.webhook]]`) are posted from the store's outbox by
//!   [`super::alert_delivery`].
//! - `--serve ADDR` also serves the floor it follows as the HTTP feed
//!   (docs/http-feed.md) from a journal of every line its engine applies
//!   (`source::hub`), so consoles follow the hub with
//!   `--crm feed+http://hub:PORT`. Off loopback a bearer token is required.
//! - SIGTERM, SIGINT and SIGHUP stop it cleanly (exit 0); a bad config, a
//!   webhook whose secret cannot be read, or an address off loopback
//!   without a token stop it at start with a message and exit 1.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use super::engine::{self, Engine, EngineOptions};
use super::error::{ConsoleError, Step};
use crate::app::view::EngineMsg;
use crate::config;
use crate::domain::window::Shifts;
use crate::i18n::detail::OsError;
use crate::i18n::{Lang, Localize, Msg, t, tf};
use crate::source::http::{Secret, SourceError};
use crate::source::webhook::{Webhook, WebhookError};
use crate::store::{Store, StoreError};

/// How `main` starts the watch.
#[derive(Clone, Default)]
pub struct WatchOptions {
    pub files: Vec<PathBuf>,
    pub crm: Option<String>,
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub lang: Option<config::Lang>,
    /// `--serve ADDR`.
    pub serve: Option<SocketAddr>,
    /// `--token-env NAME` / `--token-file PATH`: the bearer token followers
    /// must send.
    pub token_env: Option<String>,
    pub token_file: Option<PathBuf>,
    /// The clock for "now"; `None` = the system clock.
    pub clock: Option<engine::Clock>,
}

/// Why `watch` could not start.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WatchError {
    /// What the console would say too (config, paths, source, threads).
    Console(ConsoleError),
    /// Neither `--file`, `--crm` nor `[source]` names a source.
    NoSource,
    Webhook(WebhookError),
    Store(StoreError),
    /// `--serve` off loopback without a token.
    ServeNeedsToken(SocketAddr),
    /// The token's variable or file could not give it.
    Token(SourceError),
    Bind {
        addr: SocketAddr,
        err: OsError,
    },
    /// The hub's journal could not be created.
    Journal {
        path: PathBuf,
        err: OsError,
    },
}

impl From<ConsoleError> for WatchError {
    fn from(e: ConsoleError) -> WatchError {
        WatchError::Console(e)
    }
}

impl From<SourceError> for WatchError {
    fn from(e: SourceError) -> WatchError {
        WatchError::Console(ConsoleError::Source(e))
    }
}

impl Localize for WatchError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            WatchError::Console(e) => e.localize(lang),
            WatchError::NoSource => t(lang, Msg::WatchNoSource).to_owned(),
            WatchError::Webhook(e) => e.localize(lang),
            WatchError::Store(e) => e.localize(lang),
            WatchError::ServeNeedsToken(addr) => tf(lang, Msg::WatchServeNeedsToken, &[addr]),
            WatchError::Token(e) => tf(lang, Msg::WatchToken, &[&e.localize(lang)]),
            WatchError::Bind { addr, err } => {
                tf(lang, Msg::WatchBind, &[addr, &err.localize(lang)])
            }
            WatchError::Journal { path, err } => tf(
                lang,
                Msg::WatchJournal,
                &[&path.display(), &err.localize(lang)],
            ),
        }
    }
}

crate::english_display!(WatchError);

impl WatchError {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<WatchError> {
        let os = OsError::new(&std::io::Error::from_raw_os_error(98));
        let addr: SocketAddr = ([0, 0, 0, 0], 8080).into();
        vec![
            WatchError::Console(ConsoleError::Paths(config::PathsError::NoHomeForData)),
            WatchError::NoSource,
            WatchError::Webhook(WebhookError::UrlInvalid {
                key: "alerts.webhook[0].url_env".into(),
            }),
            WatchError::Store(StoreError::Locked("/d/shiftdeck.db".into())),
            WatchError::ServeNeedsToken(addr),
            WatchError::Token(SourceError::TokenEnvUnset("HUB_TOKEN".into())),
            WatchError::Bind {
                addr,
                err: os.clone(),
            },
            WatchError::Journal {
                path: "/d/hub/feed-8080.ndjson".into(),
                err: os,
            },
        ]
    }
}

/// The feed server's part of a watch: bound at start, so a taken port is
/// an error before anything runs.
struct Hub {
    listener: std::net::TcpListener,
    journal: PathBuf,
    token: Option<Secret>,
    addr: SocketAddr,
}

/// Reads the token and binds the address; off loopback, a token is a must.
fn prepare_hub(
    addr: SocketAddr,
    opts: &WatchOptions,
    data_dir: &std::path::Path,
) -> Result<(Hub, crate::source::hub::Journal), WatchError> {
    let token =
        crate::source::http::load_token(opts.token_env.as_deref(), opts.token_file.as_deref())
            .map_err(WatchError::Token)?;
    if token.is_none() && !addr.ip().is_loopback() {
        return Err(WatchError::ServeNeedsToken(addr));
    }
    let listener = std::net::TcpListener::bind(addr)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| WatchError::Bind {
            addr,
            err: OsError::new(&e),
        })?;
    let bound = listener.local_addr().unwrap_or(addr);
    let path = data_dir
        .join("hub")
        .join(format!("feed-{}.ndjson", bound.port()));
    let journal = crate::source::hub::Journal::create(&path).map_err(|e| WatchError::Journal {
        path: path.clone(),
        err: OsError::new(&e),
    })?;
    Ok((
        Hub {
            listener,
            journal: path,
            token,
            addr: bound,
        },
        journal,
    ))
}

/// Runs until SIGTERM, SIGINT or SIGHUP.
pub fn run(opts: WatchOptions) -> Result<(), WatchError> {
    let location = config::config_location(opts.config.as_deref()).map_err(ConsoleError::Paths)?;
    let loaded = config::load_at(&location).map_err(ConsoleError::Config)?;
    let lang = Lang::choose(opts.lang, loaded.extra.display.lang);
    let paths = config::paths(opts.config.as_deref(), opts.data_dir.as_deref())
        .map_err(ConsoleError::Paths)?;
    let _log_guard = super::console::init_logging(&paths.state_dir);

    let spec = crate::source::spec::SourceSpec::resolve(
        opts.crm.as_deref(),
        &opts.files,
        &loaded.extra.source,
    )?
    .ok_or(WatchError::NoSource)?;
    let (files, remote) = match spec {
        crate::source::spec::SourceSpec::Files(f) => (f, None),
        other => (Vec::new(), Some(other)),
    };
    for f in &files {
        if let Err(crate::source::file::FileError::NotRegular { path, kind }) =
            crate::source::file::check_regular(f)
        {
            return Err(ConsoleError::NotFollowable { path, kind }.into());
        }
    }
    let label = match &remote {
        Some(spec) => spec.label(),
        None => files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
    };
    // Every webhook's secret is read now: a wrong one stops the start.
    let hooks = Webhook::load_all(&loaded.extra.alerts.webhooks).map_err(WatchError::Webhook)?;
    let targets: Vec<String> = loaded
        .extra
        .alerts
        .webhooks
        .iter()
        .map(config::WebhookConfig::target)
        .collect();
    let store_path = crate::store::path_in(&paths.data_dir);
    let store = Store::open(&store_path).map_err(WatchError::Store)?;
    let hub = match opts.serve {
        Some(addr) => Some(prepare_hub(addr, &opts, &paths.data_dir)?),
        None => None,
    };
    tracing::info!(source = %label, webhooks = hooks.len(), serve = ?opts.serve, "watch starting");

    let clock = opts.clock.clone().unwrap_or_else(engine::system_clock);
    let mut e = Engine::new(EngineOptions {
        files,
        label,
        settings: loaded.settings.clone(),
        reload_settings: None,
        shifts: Shifts::default(),
        clock: clock.clone(),
    })
    .with_lang(lang)
    // The alerts are recorded, with one delivery row per webhook, in the store.
    .with_sample_store(store)
    .with_alert_targets(targets);
    if let Some(spec) = remote {
        let settings = crate::source::poll::SourceSettings::from_config(&loaded.extra.source)?
            .with_cache(&loaded.extra.source, Some(&paths.data_dir));
        let (events, restart) = super::sources::spawn_polled_source(spec, settings)?;
        e = e.with_remote(events).with_remote_restart(restart);
    }
    let hub = match hub {
        Some((hub, mut journal)) => {
            e = e.with_tee(move |what| journal.tee(what));
            Some(hub)
        }
        None => None,
    };

    let wake = super::alert_delivery::Wake::default();
    let webhooks_on = !hooks.is_empty();
    if webhooks_on {
        let sender = crate::source::webhook::Sender::new()?;
        let delivery = super::alert_delivery::Delivery {
            sender,
            hooks,
            lang,
            tz: loaded.settings.timezone,
        };
        super::alert_delivery::spawn(store_path.clone(), delivery, wake.clone())
            .map_err(Step::SourceThread.failed())?;
    }

    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let engine = engine::spawn(e, move |m| tx.send(m).is_ok()).map_err(Step::Engine.failed())?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Step::EventLoop.failed())?;
    let result = rt.block_on(async {
        if let Some(hub) = hub {
            let listener = tokio::net::TcpListener::from_std(hub.listener)
                .map_err(Step::EventLoop.failed())?;
            let msg = if hub.token.is_some() {
                Msg::WatchServingToken
            } else {
                Msg::WatchServing
            };
            eprintln!("{}", tf(lang, msg, &[&hub.addr]));
            tokio::spawn(crate::source::serve::serve_feed_with(
                listener,
                hub.journal,
                hub.token,
            ));
        }
        watch_loop(rx, &wake, webhooks_on).await
    });
    engine.stop();
    tracing::info!("watch stopped");
    result
}

/// Waits for views and signals; each view's alert changes are recorded,
/// printed and handed to the webhook sender.
async fn watch_loop(
    mut rx: tokio::sync::mpsc::UnboundedReceiver<EngineMsg>,
    wake: &super::alert_delivery::Wake,
    webhooks_on: bool,
) -> Result<(), WatchError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).map_err(Step::Events.failed())?;
    let mut int = signal(SignalKind::interrupt()).map_err(Step::Events.failed())?;
    let mut hup = signal(SignalKind::hangup()).map_err(Step::Events.failed())?;
    let mut last_error: Option<String> = None;
    loop {
        tokio::select! {
            m = rx.recv() => match m {
                Some(EngineMsg::View(view)) => {
                    let lines = alert_lines(&view);
                    if !lines.is_empty() {
                        if webhooks_on {
                            wake.now();
                        }
                        let mut out = std::io::stdout().lock();
                        for l in lines {
                            // A closed stdout (the reader went away) stops nothing:
                            // the webhooks and the hub go on.
                            let _ = writeln!(out, "{l}");
                        }
                        let _ = out.flush();
                    }
                }
                Some(EngineMsg::Status(s)) => {
                    if s.last_error != last_error {
                        if let Some(e) = &s.last_error {
                            tracing::warn!(error = %e, "source");
                        }
                        last_error.clone_from(&s.last_error);
                    }
                }
                None => return Ok(()),
            },
            _ = term.recv() => return Ok(()),
            _ = int.recv() => return Ok(()),
            _ = hup.recv() => return Ok(()),
        }
    }
}

/// The JSON lines of the alerts a view fired or cleared:
/// `{"event": "fired"|"cleared", "at": …, "alert": {section-10 object}}`.
pub fn alert_lines(view: &crate::app::view::View) -> Vec<String> {
    view.alerts
        .changes
        .iter()
        .filter_map(|c| serde_json::to_string(c).ok())
        .collect()
}
