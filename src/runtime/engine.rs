//! The data task. It owns the `Floor` and the `Settings`, follows the files,
//! applies new lines, and when something changed recomputes a [`View`] and
//! sends it, owned, to the UI. The UI never holds the floor.
//!
//! Timing:
//! - files are read when the file system says they changed (inotify, see
//!   [`crate::source::filewatch`]), and polled every [`FALLBACK_POLL`] as
//!   well (network file systems, a watcher that could not start; then every
//!   [`POLL`]);
//! - a changed floor is recomputed at once while the engine has computing
//!   time saved up (a quiet engine saves up to [`BURST`]), and in a stream
//!   of changes [`COST_FACTOR`] times the last computation's time after it
//!   (at most [`MIN_RECOMPUTE`]): at once, in effect, on a day's floor (a
//!   few ms), and throttled by its cost on a big one, so recomputing takes
//!   at most about a quarter of a core however fast lines come, and an
//!   appended line after a quiet spell is on screen after one read and one
//!   computation;
//! - an unchanged floor is still recomputed now and then, because "now"
//!   moves some figures (occupancy, agent states, contacts timestamped
//!   ahead): every `max(60 s, 400 × the last computation's time)`, which
//!   keeps an idle console on a million contacts near 0.25 % of a core.
//!   Countdowns, waits, overdue and ages run on the UI's 1 Hz clock from the
//!   view's timestamps, so they stay live in between;
//! - when the window itself moves (midnight, a new shift), at once;
//! - a command (window, filter, reload) recomputes at once.
//!
//! The day's random sample is kept in the lead's store when the engine is
//! given one ([`Engine::with_sample_store`], its own connection): on start
//! and on a new day the stored ids are passed to the sampler as already
//! listed, and newly drawn ids are added after each computation. The engine
//! writes them itself because it is the one that draws them; the UI thread
//! writes only scorecards. A failed sample write is logged and not retried
//! that day (the list still stays stable for the session, in memory).
//!
//! A truncated, replaced or rotated file makes the engine rebuild the floor
//! from all files. A file that disappears keeps the last view on screen and
//! reports the error in the status (the header shows it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::domain::kpi::{self, KpiFilter};
use crate::domain::report::kpi_reports;
use crate::domain::snapshot::{KpiSet, Snapshot, Window};
use crate::domain::{Floor, KpiKey, Settings, Ts, feedback, sampling, sla, staffing};
use crate::source::file::{FileChunk, FileError, FileFollower, too_long_errors};
use crate::source::hub::Tee;
use crate::source::poll::{Restart, SourceEvent};
use crate::source::{self, IngestStats, LineError};
use crate::store::{SampleRow, Store};

use crate::app::filter::{Filter, Scope};
use crate::app::state::EngineCmd;
use crate::app::view::{EngineMsg, SourceStatus, View};
use crate::domain::status::FileReset;
use crate::domain::window::{self, Shifts, WindowKind};
use crate::i18n::{Lang, Localize, Msg, t, tf};
use crate::runtime::view_cache::{Dirt, ViewCache};

/// The poll interval when the files cannot be watched.
pub const POLL: Duration = Duration::from_millis(250);
/// The poll interval besides the file system's notifications.
pub const FALLBACK_POLL: Duration = Duration::from_secs(2);
/// The longest wait between a data change and its recomputation.
pub const MIN_RECOMPUTE: Duration = Duration::from_secs(1);
/// After a computation that took `t`, a changed floor waits `COST_FACTOR × t`.
pub const COST_FACTOR: u32 = 3;
/// How much computing time a quiet engine saves up: the first changes after
/// a quiet spell are computed at once, until this much has been spent, and
/// only then does a stream of changes wait `COST_FACTOR` times each
/// computation's time.
pub const BURST: Duration = Duration::from_secs(1);
/// After a notification, the files are read this much later: a writer's
/// burst (`cat v2 > F` truncates, then writes in pieces) is read as one.
pub const SETTLE: Duration = Duration::from_millis(15);
pub const MIN_REFRESH: Duration = Duration::from_secs(60);

/// What the engine tells of every line it applies (see [`Engine::with_tee`]).
pub type TeeFn = Box<dyn FnMut(Tee<'_>) + Send>;

/// The clock the engine reads "now" from (fixed in tests).
pub type Clock = Arc<dyn Fn() -> Ts + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| Ts::from_datetime(&chrono::Utc::now()))
}

/// Re-reads the settings on `r` (the console passes the config loader).
pub type SettingsLoader =
    Arc<dyn Fn() -> Result<Settings, Box<dyn Localize + Send + Sync>> + Send + Sync>;

pub struct EngineOptions {
    pub files: Vec<PathBuf>,
    /// What the header calls the source (e.g. the file name, or "demo").
    pub label: String,
    pub settings: Settings,
    pub reload_settings: Option<SettingsLoader>,
    pub shifts: Shifts,
    pub clock: Clock,
}

/// The engine's state; driven by [`spawn`], or step by step in tests.
pub struct Engine {
    files: Vec<PathBuf>,
    followers: Vec<FileFollower>,
    floor: Floor,
    settings: Settings,
    reload_settings: Option<SettingsLoader>,
    shifts: Shifts,
    clock: Clock,
    status: SourceStatus,
    window: WindowKind,
    filter: Filter,
    /// The day's random spot-check list: items once listed stay listed.
    spot_day: Option<NaiveDate>,
    spot_listed: Vec<String>,
    /// Floor generation of the last view sent.
    computed_generation: Option<u64>,
    last_compute: Option<Instant>,
    last_compute_time: Duration,
    /// Computing time saved up when the last computation ended (see
    /// [`BURST`]), seconds; below zero, owed.
    credit: f64,
    /// A command asked for a view now.
    forced: bool,
    /// The window of the last view, to notice midnight and shift changes.
    last_window: Option<Window>,
    /// Batches and status from a polled source (HTTP feed, CRM) running on
    /// its own task; `None` when the engine follows files itself.
    remote: Option<Receiver<SourceEvent>>,
    /// The lead's language: errors shown in the header are said in it.
    lang: Lang,
    /// Asks the polled source to start again from the full state now (`r`).
    remote_restart: Option<Restart>,
    /// Where the day's sample is kept; `None` = in memory only.
    sample_store: Option<Store>,
    /// The agent whose coaching figures go with every view.
    coach: Option<String>,
    /// The follow-up rules of the handover that goes with every view, while
    /// the console shows it.
    handover: Option<crate::domain::followup::FollowupRules>,
    /// Random-list ids of `spot_day` already in the store (or given up on).
    spot_stored: std::collections::HashSet<String>,
    /// The earlier day whose list the `yesterday` window shows, and the ids
    /// stored for it: that day's sample as it was drawn then.
    past_day: Option<NaiveDate>,
    past_listed: Vec<String>,
    /// Told every line applied and every restart of the floor (the hub's
    /// journal, `watch --serve`).
    tee: Option<TeeFn>,
    /// The alert rules' episodes (recorded in `sample_store` when it is
    /// writable); see `runtime::alerting`.
    alerting: super::alerting::Alerting,
    /// The poll interval while the files are watched.
    fallback_poll: Duration,
    /// The repeat/FCR index of the last view, brought up to date with the
    /// contacts changed since instead of being built again from the whole
    /// floor (`kpi::RepeatIndex::update`).
    repeat_index: Option<kpi::RepeatIndex>,
    /// What the last view keeps for the next (`runtime::view_cache`).
    cache: ViewCache,
}

impl Engine {
    pub fn new(opts: EngineOptions) -> Engine {
        let status = SourceStatus {
            label: opts.label,
            files: opts.files.clone(),
            loading: true,
            ..SourceStatus::default()
        };
        Engine {
            followers: opts.files.iter().cloned().map(FileFollower::new).collect(),
            files: opts.files,
            floor: Floor::new(),
            settings: opts.settings,
            reload_settings: opts.reload_settings,
            shifts: opts.shifts,
            clock: opts.clock,
            status,
            window: WindowKind::Today,
            filter: Filter::default(),
            spot_day: None,
            spot_listed: Vec::new(),
            computed_generation: None,
            last_compute: None,
            last_compute_time: Duration::ZERO,
            credit: BURST.as_secs_f64(),
            forced: true,
            last_window: None,
            remote: None,
            lang: Lang::En,
            remote_restart: None,
            sample_store: None,
            coach: None,
            handover: None,
            spot_stored: std::collections::HashSet::new(),
            past_day: None,
            past_listed: Vec::new(),
            tee: None,
            alerting: super::alerting::Alerting::default(),
            fallback_poll: FALLBACK_POLL,
            repeat_index: None,
            cache: ViewCache::default(),
        }
    }

    /// Poll the watched files every `every` besides the notifications
    /// (default [`FALLBACK_POLL`]; a test sets an hour to show that the
    /// notification alone brings a line in).
    pub fn with_fallback_poll(mut self, every: Duration) -> Engine {
        self.fallback_poll = every;
        self
    }

    /// Tell `tee` every line applied, in order, and every restart of the
    /// floor (`watch --serve` keeps its journal so).
    pub fn with_tee(mut self, tee: impl FnMut(Tee<'_>) + Send + 'static) -> Engine {
        self.tee = Some(Box::new(tee));
        self
    }

    fn tee(&mut self, what: Tee<'_>) {
        if let Some(tee) = &mut self.tee {
            tee(what);
        }
    }

    /// Queue one alert delivery row per target for each fire and clear
    /// (`store::alerts`; e.g. one target per configured webhook). Without
    /// targets, alerts are recorded and shown but nothing is queued.
    pub fn with_alert_targets(mut self, targets: Vec<String>) -> Engine {
        self.alerting.set_targets(targets);
        self
    }

    /// Keep the day's sample in `store` (read-only stores are only read),
    /// and record the alert episodes there.
    pub fn with_sample_store(mut self, store: Store) -> Engine {
        self.sample_store = Some(store);
        self
    }

    /// On a new day (and at start): the ids stored for it become the list.
    fn load_sample(&mut self, day: NaiveDate) {
        if self.spot_day == Some(day) {
            return;
        }
        self.spot_day = Some(day);
        self.spot_listed.clear();
        self.spot_stored.clear();
        let Some(store) = &self.sample_store else {
            return;
        };
        match store.sample(day) {
            Ok(rows) => {
                for r in rows.into_iter().filter(|r| r.list == "random") {
                    self.spot_stored.insert(r.contact.clone());
                    self.spot_listed.push(r.contact);
                }
            }
            Err(e) => tracing::warn!(error = %e, "reading the stored sample"),
        }
    }

    /// An earlier day's list (the `yesterday` window): the ids stored for
    /// it stay on it, so it is the sample drawn that day. Read once per day.
    fn load_past_sample(&mut self, day: NaiveDate) {
        if self.past_day == Some(day) {
            return;
        }
        self.past_day = Some(day);
        self.past_listed.clear();
        let Some(store) = &self.sample_store else {
            return;
        };
        match store.sample(day) {
            Ok(rows) => self.past_listed.extend(
                rows.into_iter()
                    .filter(|r| r.list == "random")
                    .map(|r| r.contact),
            ),
            Err(e) => tracing::warn!(error = %e, "reading an earlier day's sample"),
        }
    }

    /// Adds the newly drawn random ids to the store (today's list only: an
    /// earlier day's list is read, never added to).
    fn store_sample(&mut self, view: &View, now: Ts) {
        let Some(store) = &mut self.sample_store else {
            return;
        };
        let spot = &view.snapshot.spot_check;
        if Some(spot.date) != self.spot_day {
            return;
        }
        let new: Vec<SampleRow> = spot
            .random
            .iter()
            .filter(|i| !self.spot_stored.contains(&i.contact))
            .map(|i| SampleRow {
                contact: i.contact.clone(),
                agent: i.agent.clone(),
                list: "random".into(),
            })
            .collect();
        if new.is_empty() {
            return;
        }
        if store.read_only_reason().is_none()
            && let Err(e) = store.add_to_sample(spot.date, &new, now)
        {
            tracing::warn!(error = %e, "storing the day's sample");
        }
        self.spot_stored.extend(new.into_iter().map(|r| r.contact));
    }

    /// Take records from a polled source instead of (or besides) files.
    /// Say the errors the header shows in `lang`.
    pub fn with_lang(mut self, lang: Lang) -> Engine {
        self.lang = lang;
        self
    }

    pub fn with_remote(mut self, events: Receiver<SourceEvent>) -> Engine {
        self.remote = Some(events);
        self
    }

    /// How to ask the polled source to start again at once: on `r`, the
    /// floor is kept until the source's full state arrives (a source in a
    /// long wait, such as a server's Retry-After, polls at once).
    pub fn with_remote_restart(mut self, restart: Restart) -> Engine {
        self.remote_restart = Some(restart);
        self
    }

    /// Applies what the polled source sent since the last call.
    fn poll_remote(&mut self, line_errors: &mut Vec<LineError>) {
        let Some(rx) = &self.remote else { return };
        let events: Vec<SourceEvent> = rx.try_iter().collect();
        for ev in events {
            match &ev {
                SourceEvent::Batch { reset, bytes, .. } => {
                    if *reset {
                        self.tee(Tee::Reset);
                    }
                    self.tee(Tee::Lines(bytes));
                    if *reset {
                        self.status.stats = IngestStats::default();
                        self.computed_generation = None;
                        self.forced = true;
                    }
                    if let Some(stats) = ev.apply_to(&mut self.floor, line_errors) {
                        self.status.stats.add(stats);
                    }
                    self.status.data_at = Some((self.clock)());
                    self.status.loading = false;
                }
                SourceEvent::Status {
                    ok_at, error, note, ..
                } => {
                    if let Some(t) = ok_at {
                        self.status.last_success = Some(*t);
                        self.status.loading = false;
                    }
                    self.status.last_error = error.as_ref().map(|e| e.localize(self.lang));
                    self.status.note.clone_from(note);
                }
            }
        }
    }

    pub fn status(&self) -> &SourceStatus {
        &self.status
    }

    pub fn floor(&self) -> &Floor {
        &self.floor
    }

    /// Start again from empty and re-read every file from line 1.
    fn rebuild(&mut self) {
        self.tee(Tee::Reset);
        self.floor = Floor::new();
        self.followers = self.files.iter().cloned().map(FileFollower::new).collect();
        self.status.stats = IngestStats::default();
        self.status.last_malformed = None;
        self.status.loading = true;
        self.computed_generation = None;
        self.forced = true;
    }

    /// Reads what the files gained since the last poll. Returns whether more
    /// data is waiting (a big file loads in steps; poll again at once).
    pub fn poll_sources(&mut self) -> bool {
        let mut more = false;
        let mut errors: Vec<String> = Vec::new();
        let mut line_errors: Vec<LineError> = Vec::new();
        let mut i = 0;
        while i < self.followers.len() {
            let follower = &mut self.followers[i];
            let origin = display_name(follower.path());
            match follower.poll() {
                Ok(FileChunk {
                    reset: Some(kind), ..
                }) => {
                    tracing::info!(file = %origin, ?kind, "file read again from the start: rebuilding");
                    let file = follower
                        .path()
                        .file_name()
                        .map_or_else(|| origin.clone(), |n| n.to_string_lossy().into_owned());
                    self.status.reset = Some(FileReset {
                        file,
                        kind,
                        at: (self.clock)(),
                    });
                    self.rebuild();
                    return true;
                }
                Ok(chunk) => {
                    self.tee(Tee::Lines(&chunk.bytes));
                    let mut stats = source::ingest_bytes(
                        &mut self.floor,
                        &origin,
                        chunk.first_line,
                        &chunk.bytes,
                        &mut line_errors,
                    );
                    let long = too_long_errors(&origin, &chunk.too_long);
                    stats.malformed += long.len() as u64;
                    line_errors.extend(long);
                    self.status.stats.add(stats);
                    more |= chunk.more;
                }
                Err(e) => errors.push(file_error_text(
                    self.lang,
                    &origin,
                    &e,
                    self.status.last_success.is_some(),
                )),
            }
            i += 1;
        }
        if !more {
            source::release_ingest_buffers();
        }
        if self.remote.is_some() {
            self.poll_remote(&mut line_errors);
            if let Some(e) = line_errors.last() {
                self.status.last_malformed = Some(e.to_string());
            }
            return false;
        }
        if let Some(e) = line_errors.last() {
            tracing::warn!(error = %e, count = line_errors.len(), "malformed lines skipped");
            self.status.last_malformed = Some(e.to_string());
        }
        let now = (self.clock)();
        if errors.is_empty() {
            self.status.last_error = None;
            self.status.last_success = Some(now);
        } else {
            if self.status.last_error.as_deref() != Some(errors.join("; ").as_str()) {
                tracing::warn!(errors = %errors.join("; "), "source poll failed");
            }
            self.status.last_error = Some(errors.join("; "));
        }
        self.status.data_at = newest_mtime(&self.files).or(self.status.data_at);
        if !more {
            self.status.loading = false;
        }
        more
    }

    pub fn handle(&mut self, cmd: EngineCmd) {
        match cmd {
            EngineCmd::SetWindow(w) => self.window = w,
            EngineCmd::SetFilter(f) => self.filter = f,
            EngineCmd::Coach(agent) => self.coach = agent,
            // The view computed next reads the store's scores again.
            EngineCmd::ScoresChanged => {}
            EngineCmd::Handover(rules) => self.handover = rules,
            // The view computed next reads the alerts, their
            // acknowledgements and the handover's again.
            EngineCmd::StoreChanged => {}
            EngineCmd::Reload => {
                if let Some(load) = &self.reload_settings {
                    match load() {
                        Ok(s) => {
                            self.settings = s;
                            self.cache = ViewCache::default();
                        }
                        Err(e) => {
                            tracing::warn!(error = %e.localize(Lang::En), "config reload failed");
                        }
                    }
                }
                match &self.remote_restart {
                    // The source sends its full state at once, which
                    // replaces the floor; until then the floor stays.
                    Some(restart) => restart.request(),
                    None => self.rebuild(),
                }
            }
        }
        self.forced = true;
    }

    /// Whether a view should be computed now.
    pub fn due(&self, now: Instant) -> bool {
        if self.status.loading {
            return false;
        }
        if self.forced || self.window_moved() {
            return true;
        }
        let since = self.last_compute.map(|t| now.saturating_duration_since(t));
        let changed = self.computed_generation != Some(self.floor.generation);
        match since {
            None => true,
            Some(s) if changed => s >= self.change_wait(),
            Some(s) => s >= self.refresh_interval(),
        }
    }

    /// How long a stream of changes waits after each computation:
    /// [`COST_FACTOR`] times its time, at most [`MIN_RECOMPUTE`] (nothing
    /// when it was cheap). A change after a quiet spell waits less, see
    /// [`Engine::change_wait`].
    pub fn recompute_gap(&self) -> Duration {
        recompute_gap(self.last_compute_time)
    }

    /// How long a changed floor waits after the last computation: as long
    /// as it takes to pay back what the computations owe (each owes its
    /// time, and every `COST_FACTOR` of waiting pays back one), so nothing
    /// after a quiet spell, and [`Engine::recompute_gap`] in a stream of
    /// changes; never more than [`MIN_RECOMPUTE`].
    pub fn change_wait(&self) -> Duration {
        if self.credit >= 0.0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(-self.credit * f64::from(COST_FACTOR)).min(self.recompute_gap())
    }

    /// The credit at `now`: what was left at the end of the last
    /// computation, plus what the wait since has paid back.
    fn credit_at(&self, now: Instant) -> f64 {
        match self.last_compute {
            None => self.credit,
            Some(t) => {
                let waited = now.saturating_duration_since(t).as_secs_f64();
                (self.credit + waited / f64::from(COST_FACTOR)).min(BURST.as_secs_f64())
            }
        }
    }

    /// How long the last computation took.
    pub fn last_compute_time(&self) -> Duration {
        self.last_compute_time
    }

    /// Whether the selected calendar window is no longer the one last shown.
    fn window_moved(&self) -> bool {
        if self.window == WindowKind::Rolling24h {
            return false;
        }
        let now = (self.clock)();
        self.last_window.is_some_and(|w| {
            w != window::resolve(self.window, now, self.settings.timezone, &self.shifts)
        })
    }

    fn refresh_interval(&self) -> Duration {
        MIN_REFRESH.max(self.last_compute_time * 400)
    }

    /// When the next view might be due (for the loop's wait).
    fn next_due(&self, now: Instant) -> Duration {
        match self.last_compute {
            None => POLL,
            Some(t) => {
                let changed = self.computed_generation != Some(self.floor.generation);
                let wait = if changed {
                    self.change_wait()
                } else {
                    self.refresh_interval()
                };
                (t + wait).saturating_duration_since(now)
            }
        }
    }

    /// Computes the view at the engine's clock.
    pub fn compute(&mut self) -> View {
        let started = Instant::now();
        let now = (self.clock)();
        let today = window::local_date(now, self.settings.timezone);
        self.load_sample(today);
        let past = self.window == WindowKind::Yesterday;
        if past {
            self.load_past_sample(today - chrono::Duration::days(1));
        }
        // A floor started again (a rebuild, a source's full state) lists no
        // changes yet: its index is built whole, and its changes listed from
        // now on.
        let changes = self.floor.take_contact_changes();
        let dirt = match (&mut self.repeat_index, changes) {
            (Some(index), Some(changes)) => {
                let before = Dirt::flags_before(&self.floor, &changes, index);
                index.update(&self.floor, &self.settings, &changes);
                Dirt::of(&self.floor, &changes, &before, index)
            }
            _ => {
                self.floor.keep_contact_changes();
                self.repeat_index = Some(kpi::RepeatIndex::new(&self.floor, &self.settings));
                Dirt::everything()
            }
        };
        let mut spot = if past {
            SpotMemory {
                day: &mut self.past_day,
                listed: &mut self.past_listed,
            }
        } else {
            SpotMemory {
                day: &mut self.spot_day,
                listed: &mut self.spot_listed,
            }
        };
        let mut view = compute_view_cached(
            &self.floor,
            &self.settings,
            &self.shifts,
            self.window,
            &self.filter,
            now,
            &mut spot,
            started,
            self.repeat_index.as_ref(),
            &mut self.cache,
            &dirt,
        );
        let mut steps = Steps::since(Instant::now());
        self.add_store_qa(&mut view, now);
        steps.mark("store: lead's QA");
        if let Some(agent) = &self.coach {
            view.coaching = coaching_for(&self.floor, &self.settings, &view, agent).map(Box::new);
            steps.mark("coaching");
        }
        self.alerting.step(
            &mut view,
            &self.floor,
            &self.settings,
            self.sample_store.as_ref(),
            self.lang,
            now,
        );
        steps.mark("alerts");
        if let Some(rules) = &self.handover {
            view.handover = Some(Box::new(handover_for(
                &self.floor,
                &self.settings,
                rules,
                self.sample_store.as_ref(),
                now,
            )));
            steps.mark("handover");
        }
        self.store_sample(&view, now);
        steps.mark("store: sample");
        view.steps.extend(steps.list);
        let ended = Instant::now();
        // What was owed before (a command's view, a wait cut at
        // MIN_RECOMPUTE) is forgiven: at most this computation is owed.
        self.credit =
            self.credit_at(started).max(0.0) - ended.duration_since(started).as_secs_f64();
        self.last_compute = Some(ended);
        self.last_compute_time = ended.duration_since(started);
        view.compute_ms = self.last_compute_time.as_secs_f64() * 1000.0;
        self.computed_generation = Some(self.floor.generation);
        self.forced = false;
        self.last_window = Some(view.snapshot.window);
        tracing::debug!(ms = view.compute_ms, "view computed");
        view
    }
}

/// The console's handover at `now`: the current shift's
/// (`domain::handover::console_shift`), built as `report handover` builds
/// it, with the store's entries (none when there is no store or the read
/// fails, logged).
pub fn handover_for(
    floor: &Floor,
    settings: &Settings,
    rules: &crate::domain::followup::FollowupRules,
    store: Option<&Store>,
    now: Ts,
) -> crate::domain::handover::HandoverReport {
    let tz = settings.timezone;
    let shift = crate::domain::handover::console_shift(now, tz);
    let entries = match store {
        Some(s) => {
            crate::store::handover::read_entries(s, shift, now, tz).unwrap_or_else(|(part, e)| {
                tracing::warn!(error = %e, part = ?part, "reading the handover's entries");
                Default::default()
            })
        }
        None => Default::default(),
    };
    crate::domain::handover::build(floor, settings, rules, shift, now, entries)
}

/// How long a changed floor waits after a computation that took `cost`.
pub fn recompute_gap(cost: Duration) -> Duration {
    (cost * COST_FACTOR).min(MIN_RECOMPUTE)
}

impl Engine {
    /// The lead's QA of the agents (spec section 8) from the store the
    /// engine keeps the sample in: the scores of the window's days and of
    /// today. Without a writable store (or when the read fails, logged) the
    /// figures stay as without scores.
    fn add_store_qa(&self, view: &mut View, now: Ts) {
        let Some(store) = &self.sample_store else {
            return;
        };
        let tz = self.settings.timezone;
        let win = view.snapshot.window;
        let today = window::local_date(now, tz);
        let first = window::local_date(win.from, tz).min(today);
        let last = window::local_date(win.to.add_nanos(-1).max(win.from), tz).max(today);
        match store.scores(first, last) {
            Ok(list) => {
                let entries: Vec<crate::domain::agents::QaEntry> = list
                    .iter()
                    .map(crate::domain::agents::QaEntry::of)
                    .collect();
                crate::domain::agents::apply_qa(
                    &self.floor,
                    &self.settings,
                    win,
                    &mut view.snapshot.agents,
                    &entries,
                    &view.snapshot.spot_check.random,
                );
            }
            Err(e) => tracing::warn!(error = %e, "reading the scores for the agents"),
        }
    }
}

/// What the header says of a file that could not be read. A file never
/// read (a wrong `--file`) has no last data to keep: that says what to do.
fn file_error_text(lang: Lang, origin: &str, e: &FileError, ever_read: bool) -> String {
    match e {
        // Says the path itself.
        FileError::NotRegular { .. } => e.localize(lang),
        FileError::Io { source, .. } => {
            let reason = match source.kind() {
                std::io::ErrorKind::NotFound if ever_read => {
                    t(lang, Msg::FileGoneKeeping).to_owned()
                }
                std::io::ErrorKind::NotFound => t(lang, Msg::FileNeverFound).to_owned(),
                _ => crate::i18n::detail::OsError::new(source).localize(lang),
            };
            tf(lang, Msg::AtPlace, &[&origin, &reason])
        }
    }
}

fn display_name(p: &Path) -> String {
    p.display().to_string()
}

fn newest_mtime(files: &[PathBuf]) -> Option<Ts> {
    files
        .iter()
        .filter_map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .max()
        .map(|t| Ts::from_datetime(&chrono::DateTime::<chrono::Utc>::from(t)))
}

/// The day's spot-check list, kept across recomputes.
pub struct SpotMemory<'a> {
    pub day: &'a mut Option<NaiveDate>,
    pub listed: &'a mut Vec<String>,
}

/// Resolves the filter's queue and agent terms against the floor.
pub fn resolve_scope(floor: &Floor, filter: &Filter) -> (KpiFilter, Scope) {
    let mut kf = KpiFilter::default();
    let mut scope = Scope::default();
    let names = &floor.names;
    let fold = |s: &str| s.to_lowercase();
    if let Some(want) = &filter.queue {
        let ids = floor.queue_ids();
        let label = |q| {
            let id = names.resolve(q);
            let name = floor.queue(q).and_then(|r| r.name.as_deref()).unwrap_or(id);
            (id, name)
        };
        let exact = ids.iter().copied().find(|q| {
            let (id, name) = label(*q);
            id == want || name == want
        });
        let w = fold(want);
        let found = exact.or_else(|| {
            ids.iter().copied().find(|q| {
                let (id, name) = label(*q);
                fold(id).contains(&w) || fold(name).contains(&w)
            })
        });
        match found {
            Some(q) => {
                kf.queue = Some(q);
                scope.queue = Some(names.resolve(q).to_string());
            }
            None => scope.unmatched.push(format!("q:{want}")),
        }
    }
    if let Some(want) = &filter.agent {
        let mut agents: Vec<(crate::domain::Sym, &str, &str)> = floor
            .agents()
            .map(|a| (a.id, names.resolve(a.id), a.name.as_deref().unwrap_or("")))
            .collect();
        agents.sort_by(|a, b| a.1.cmp(b.1));
        let exact = agents
            .iter()
            .find(|(_, id, name)| *id == want || *name == want)
            .map(|a| a.0)
            .or_else(|| names.lookup(want));
        let w = fold(want);
        let found = exact.or_else(|| {
            agents
                .iter()
                .find(|(_, id, name)| fold(id).contains(&w) || fold(name).contains(&w))
                .map(|a| a.0)
        });
        match found {
            Some(a) => {
                kf.agent = Some(a);
                scope.agent = Some(names.resolve(a).to_string());
                scope.agent_name = Some(floor.agent_name(a).to_string());
            }
            None => scope.unmatched.push(format!("a:{want}")),
        }
    }
    (kf, scope)
}

/// How long each step of a view took, in order (`View::steps`).
struct Steps {
    last: Instant,
    list: Vec<(&'static str, f64)>,
}

impl Steps {
    fn since(started: Instant) -> Steps {
        Steps {
            last: started,
            list: Vec::with_capacity(24),
        }
    }

    /// The step `what` ended now.
    fn mark(&mut self, what: &'static str) {
        let t = Instant::now();
        self.list
            .push((what, t.duration_since(self.last).as_secs_f64() * 1000.0));
        self.last = t;
    }
}

/// The hours of `w` from its start, the last one cut at its end: the
/// buckets of `kpi::hourly` (bucket `i` equals `kpi::compute` over hour `i`).
fn hour_windows(w: Window) -> Vec<Window> {
    const HOUR: i64 = 3600 * crate::domain::time::NANOS_PER_SEC;
    let span = w.to.since(w.from).max(0);
    let len = (span as u64).div_ceil(HOUR as u64) as i64;
    (0..len)
        .map(|i| {
            let from = w.from.add_nanos(HOUR.saturating_mul(i));
            Window {
                from,
                to: from.add_nanos(HOUR).min(w.to),
            }
        })
        .collect()
}

/// Whether no contact arrives and no survey is dated in `[now, to)`.
fn nothing_after(floor: &Floor, now: Ts, to: Ts) -> bool {
    let inside = |t: Option<Ts>| t.is_some_and(|t| t >= now && t < to);
    !floor
        .contacts_arriving(now, to)
        .any(|(_, c)| inside(c.arrived_at))
        && !floor.surveys_at(now, to).any(|(_, s)| inside(s.at))
}

/// The KPI set over `window` from the set over its part so far, when
/// nothing happened in the rest: every figure is the same but contacts per
/// agent-day, which divides by the window's days (handled = AHT's `n`,
/// agents = its own `n`, as `kpi::compute` counts them).
fn over_window(so_far: &KpiSet, window: Window) -> KpiSet {
    let mut set = so_far.clone();
    let handled = so_far.get(KpiKey::AhtS).n;
    let agents = so_far.get(KpiKey::ContactsPerAgentDay).n;
    let days = window.days();
    set.0[KpiKey::ContactsPerAgentDay.index()] = crate::domain::snapshot::KpiValue {
        value: (agents > 0.0 && days > 0.0)
            .then(|| handled / agents / days)
            .filter(|v| v.is_finite()),
        n: agents,
    };
    set
}

/// A window that matches nothing, for filters whose terms matched nothing.
fn nothing(w: Window) -> Window {
    Window {
        from: w.from,
        to: w.from,
    }
}

/// Everything the panes and the huddle draw, at `now`.
#[allow(clippy::too_many_arguments)]
pub fn compute_view(
    floor: &Floor,
    settings: &Settings,
    shifts: &Shifts,
    kind: WindowKind,
    filter: &Filter,
    now: Ts,
    spot: &mut SpotMemory<'_>,
    started: Instant,
) -> View {
    compute_view_with(
        floor, settings, shifts, kind, filter, now, spot, started, None,
    )
}

/// [`compute_view`] with the repeat/FCR index the caller keeps (built here
/// when it is `None` or does not describe `floor`).
#[allow(clippy::too_many_arguments)]
pub fn compute_view_with(
    floor: &Floor,
    settings: &Settings,
    shifts: &Shifts,
    kind: WindowKind,
    filter: &Filter,
    now: Ts,
    spot: &mut SpotMemory<'_>,
    started: Instant,
    index: Option<&kpi::RepeatIndex>,
) -> View {
    compute_view_cached(
        floor,
        settings,
        shifts,
        kind,
        filter,
        now,
        spot,
        started,
        index,
        &mut ViewCache::default(),
        &Dirt::everything(),
    )
}

/// [`compute_view_with`] taking from `cache` what the last view computed
/// and `dirt` (what changed in the floor since) cannot have changed, and
/// leaving there what the next view may take (`runtime::view_cache`). The
/// view is the one [`compute_view_with`] computes from scratch.
#[allow(clippy::too_many_arguments)]
pub fn compute_view_cached(
    floor: &Floor,
    settings: &Settings,
    shifts: &Shifts,
    kind: WindowKind,
    filter: &Filter,
    now: Ts,
    spot: &mut SpotMemory<'_>,
    started: Instant,
    index: Option<&kpi::RepeatIndex>,
    cache: &mut ViewCache,
    dirt: &Dirt,
) -> View {
    let mut steps = Steps::since(started);
    let tz = settings.timezone;
    let window = window::resolve(kind, now, tz, shifts);
    let (kf, scope) = resolve_scope(floor, filter);
    let empty = !scope.unmatched.is_empty();
    cache.begin(dirt, floor.stamps(), kf);
    // Repeat and FCR neighbours, built once for every window below.
    let built;
    let index = match index {
        Some(i) if i.is_current(floor, settings) => i,
        _ => {
            built = kpi::RepeatIndex::new(floor, settings);
            &built
        }
    };
    steps.mark("repeat index");
    let compute_over = |w: Window| -> KpiSet {
        let w = if empty { nothing(w) } else { w };
        kpi::compute_with(floor, settings, w, now, &kf, Some(index))
    };
    // A window that has ended is kept for the next view.
    let kpis_over = |cache: &mut ViewCache, w: Window| -> KpiSet {
        if empty {
            compute_over(w)
        } else {
            cache.closed_kpis(w, now, || compute_over(w))
        }
    };

    // Spot checks of today (of yesterday in that window): earlier picks
    // are passed back so they stay. An earlier day's flags are judged at
    // its end, so its list is the one drawn by the end of that day.
    let day = window::local_date(now, tz);
    let (spot_day, spot_now) = if kind == WindowKind::Yesterday {
        let d = window::local_date(window.from, tz);
        (d, now.min(window::day_window(d, tz).to))
    } else {
        (day, now)
    };
    if *spot.day != Some(spot_day) {
        *spot.day = Some(spot_day);
        spot.listed.clear();
    }
    let spot_check = sampling::spot_check(floor, settings, spot_day, spot_now, spot.listed);
    // A set, not `listed.contains`: a day's list holds tens of thousands
    // of picks on a big floor, and a scan per pick took most of the view.
    let mut known: std::collections::HashSet<&str> =
        spot.listed.iter().map(String::as_str).collect();
    let new: Vec<String> = spot_check
        .random
        .iter()
        .filter(|i| known.insert(i.contact.as_str()))
        .map(|i| i.contact.clone())
        .collect();
    spot.listed.extend(new);

    steps.mark("spot check");

    // Trend: the part of the window up to now against the same part of the
    // same weekday one week earlier (so a half-day is not compared with a day).
    let cut = if now > window.from && now < window.to {
        now
    } else {
        window.to
    };
    let current = Window {
        from: window.from,
        to: cut,
    };
    let current_set = if cut == window.to {
        None
    } else {
        Some(kpis_over(cache, current))
    };
    steps.mark("kpis of the window so far");
    // The whole window differs from its part so far only by what is
    // timestamped after now (occupancy stops at now in both) and by its
    // length: with nothing after now, it is that part's set over its days.
    let kpis = match &current_set {
        Some(so_far) if !empty && nothing_after(floor, now, window.to) => {
            over_window(so_far, window)
        }
        _ => kpis_over(cache, window),
    };
    steps.mark("kpis of the window");
    let queues = staffing::queue_plans(floor, settings, window, now);
    steps.mark("queues + forecast");
    let sla = sla::sla_timers(floor, settings, now);
    steps.mark("sla timers");
    let feedback = cache.feedback(floor, now, || feedback::feedback_reports(floor, now));
    steps.mark("feedback");
    let mut agents = crate::domain::agents::agent_board(floor, settings, window, now, Some(index));
    steps.mark("agent board");
    if kf.is_everything() && !empty {
        // As `build_snapshot_with`: the day's random picks are flagged.
        crate::domain::agents::apply_qa(
            floor,
            settings,
            window,
            &mut agents,
            &[],
            &spot_check.random,
        );
        steps.mark("agents' spot picks");
    }
    let snapshot = Snapshot {
        window,
        now,
        kpis: kpi_reports(&kpis, settings),
        queues,
        sla,
        feedback,
        spot_check,
        agents,
        alerts: Vec::new(),
    };

    // Sparklines: the window's hours; for the week, today's.
    let today = window::day_window(day, tz);
    let spark = if kind == WindowKind::ThisWeek {
        today
    } else {
        window
    };
    let hourly = if empty {
        Vec::new()
    } else {
        // The hours before this one are kept; with none kept, one pass
        // over the whole day is cheaper than one per hour.
        let hours = hour_windows(spark);
        if hours.iter().any(|w| cache.has_closed(*w, now)) {
            hours
                .iter()
                .map(|w| {
                    cache.closed_kpis(*w, now, || {
                        kpi::compute_with(floor, settings, *w, now, &kf, Some(index))
                    })
                })
                .collect()
        } else {
            let sets = kpi::hourly_with(floor, settings, spark, now, &kf, Some(index));
            for (w, set) in hours.iter().zip(&sets) {
                cache.keep_closed(*w, now, set);
            }
            sets
        }
    };
    steps.mark("hourly kpis");

    let last_week_window = Window {
        from: window::week_earlier(window.from, tz),
        to: window::week_earlier(cut, tz),
    };
    let last_week = kpis_over(cache, last_week_window);
    steps.mark("kpis a week earlier");
    let mut trend = [None; 11];
    for k in KpiKey::ALL {
        let cur = match &current_set {
            Some(s) => s.get(k).value,
            None => snapshot
                .kpis
                .iter()
                .find(|r| r.key == k)
                .and_then(|r| r.value),
        };
        trend[k.index()] = cur.zip(last_week.get(k).value).map(|(a, b)| a - b);
    }

    // Huddle: today so far and yesterday.
    let so_far = Window {
        from: today.from,
        to: now.max(today.from.add_nanos(1)),
    };
    let today_reports = match (&current_set, kind) {
        (Some(s), WindowKind::Today) => kpi_reports(s, settings),
        _ => kpi_reports(&kpis_over(cache, so_far), settings),
    };
    steps.mark("kpis of today so far");
    let yesterday_window = window::day_window(day - chrono::Duration::days(1), tz);
    let yesterday = if kind == WindowKind::Yesterday {
        snapshot.kpis.clone()
    } else {
        kpi_reports(&kpis_over(cache, yesterday_window), settings)
    };
    steps.mark("kpis of yesterday");

    // Erlang C per queue, as the snapshot's `staffing` says (domain::staffing).
    let agents_needed = snapshot
        .queues
        .iter()
        .map(|q| q.staffing.agents_needed)
        .collect();

    let queue_judge =
        crate::domain::glance::judge_queues(&snapshot.queues, &snapshot.sla, settings, now);
    let channels = crate::domain::channels::by_channel(&snapshot.queues, settings);
    steps.mark("queue judges + channels");

    let agent_names: HashMap<String, String> = cache.agent_names(|| {
        floor
            .agents()
            .filter_map(|a| {
                a.name
                    .as_deref()
                    .map(|n| (floor.names.resolve(a.id).to_string(), n.to_string()))
            })
            .collect()
    });
    cache.end();
    steps.mark("agent names");

    View {
        hourly_from: spark.from,
        hourly,
        kind,
        scope,
        last_week,
        trend,
        last_week_window,
        today: today_reports,
        yesterday,
        agents_needed,
        queue_judge,
        channels,
        agent_names,
        tz,
        compute_ms: started.elapsed().as_secs_f64() * 1000.0,
        steps: steps.list,
        snapshot,
        coaching: None,
        alerts: crate::app::view::AlertsView::default(),
        handover: None,
    }
}

/// The coaching figures of `agent` for `view`: the hours of the view's
/// sparklines and the last `COACH_DAYS` local days (`None`: not on the floor).
pub fn coaching_for(
    floor: &Floor,
    settings: &Settings,
    view: &View,
    agent: &str,
) -> Option<crate::domain::agents::Coaching> {
    let tz = settings.timezone;
    let now = view.now();
    let hours: Vec<Window> = (0..view.hourly.len().max(1) as i64)
        .map(|i| Window {
            from: view.hourly_from.add_secs(i * 3600),
            to: view.hourly_from.add_secs((i + 1) * 3600),
        })
        .collect();
    let today = window::local_date(now, tz);
    let days: Vec<_> = (0..crate::domain::agents::COACH_DAYS)
        .rev()
        .map(|back| {
            let d = today - chrono::Duration::days(back);
            (d, window::day_window(d, tz))
        })
        .collect();
    crate::domain::agents::coaching(floor, settings, agent, &hours, &days, now)
}

/// A running engine: send it commands; dropping the handle stops it.
pub struct EngineHandle {
    pub commands: Sender<EngineCmd>,
    thread: Option<JoinHandle<()>>,
}

impl EngineHandle {
    /// Stops the engine: it ends at its next wake-up (at most one poll
    /// interval, or the computation under way). Waits briefly for it; a
    /// thread still busy is left to the process exit, so quitting never
    /// waits for a big floor to be freed.
    pub fn stop(mut self) {
        let (dead, _) = std::sync::mpsc::channel();
        self.commands = dead;
        if let Some(t) = self.thread.take() {
            let deadline = Instant::now() + Duration::from_millis(300);
            while !t.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if t.is_finished() {
                let _ = t.join();
            }
        }
    }
}

/// What wakes the engine's thread.
enum Wake {
    Cmd(EngineCmd),
    /// The file system says a followed file changed.
    Files,
    /// Every command sender is gone: stop.
    Stop,
}

/// Runs the engine on its own thread. `send` delivers a message to the UI
/// and returns false once the UI is gone, which ends the thread.
pub fn spawn(
    mut engine: Engine,
    send: impl Fn(EngineMsg) -> bool + Send + 'static,
) -> std::io::Result<EngineHandle> {
    let (tx, rx) = std::sync::mpsc::channel::<EngineCmd>();
    let (wake_tx, wake_rx) = std::sync::mpsc::channel::<Wake>();
    // Commands and file notifications wake the engine through one channel.
    let forward = wake_tx.clone();
    std::thread::Builder::new()
        .name("shiftdeck-commands".into())
        .spawn(move || {
            for cmd in rx {
                if forward.send(Wake::Cmd(cmd)).is_err() {
                    return;
                }
            }
            let _ = forward.send(Wake::Stop);
        })?;
    let thread = std::thread::Builder::new()
        .name("shiftdeck-engine".into())
        .spawn(move || {
            let pending = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let watch = if engine.files.is_empty() {
                None
            } else {
                let pending = pending.clone();
                crate::source::filewatch::FileWatch::new(&engine.files, move || {
                    // One wake-up until the engine has read the files again.
                    if !pending.swap(true, std::sync::atomic::Ordering::AcqRel) {
                        let _ = wake_tx.send(Wake::Files);
                    }
                })
                .map_err(|e| tracing::warn!(error = %e, "no file notifications: polling"))
                .ok()
            };
            let every = if watch.is_some() {
                engine.fallback_poll
            } else {
                POLL
            };
            run(&mut engine, &wake_rx, &pending, every, &send);
            drop(watch);
        })?;
    Ok(EngineHandle {
        commands: tx,
        thread: Some(thread),
    })
}

fn run(
    engine: &mut Engine,
    rx: &Receiver<Wake>,
    pending: &std::sync::atomic::AtomicBool,
    every: Duration,
    send: &dyn Fn(EngineMsg) -> bool,
) {
    // A polled source (HTTP feed, CRM) hands over its batches on a channel
    // that is looked at on each poll.
    let every = if engine.remote.is_some() {
        every.min(POLL)
    } else {
        every
    };
    let mut more = false;
    // Never polled yet: poll at once.
    let mut last_poll: Option<Instant> = None;
    let mut last_status: Option<SourceStatus> = None;
    loop {
        let now = Instant::now();
        let until_poll = match last_poll {
            Some(t) if !more => (t + every).saturating_duration_since(now),
            _ => Duration::ZERO,
        };
        let wait = until_poll.min(engine.next_due(now).max(Duration::from_millis(5)));
        let mut files_changed = false;
        let mut take = |w: Wake, engine: &mut Engine| match w {
            Wake::Cmd(cmd) => {
                engine.handle(cmd);
                true
            }
            Wake::Files => {
                files_changed = true;
                true
            }
            Wake::Stop => false,
        };
        match rx.recv_timeout(wait) {
            Ok(w) => {
                if !take(w, engine) {
                    return;
                }
                // Take any other queued wake-ups before computing.
                while let Ok(w) = rx.try_recv() {
                    if !take(w, engine) {
                        return;
                    }
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if files_changed && !more {
            std::thread::sleep(SETTLE);
        }
        if more || files_changed || last_poll.is_none_or(|t| t.elapsed() >= every) {
            pending.store(false, std::sync::atomic::Ordering::Release);
            more = engine.poll_sources();
            last_poll = Some(Instant::now());
        }
        // Only what the screen shows: a poll that merely succeeded again
        // must not wake the UI (that would redraw four times a second).
        let changed = last_status
            .as_ref()
            .is_none_or(|last| last.differs_for_display(engine.status()));
        if changed {
            if !send(EngineMsg::Status(Box::new(engine.status().clone()))) {
                return;
            }
            last_status = Some(engine.status().clone());
        }
        if engine.due(Instant::now()) && !send(EngineMsg::View(Box::new(engine.compute()))) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Record;
    use crate::domain::window::WindowKind;

    fn idle_engine() -> Engine {
        let mut e = Engine::new(EngineOptions {
            files: Vec::new(),
            label: "test".into(),
            settings: Settings::default(),
            reload_settings: None,
            shifts: Shifts::default(),
            clock: Arc::new(|| Ts::from_secs(1_800_000_000)),
        });
        e.status.loading = false;
        e
    }

    /// The engine as after a computation of `cost` that ended at `at` and
    /// left `credit` seconds saved up, the floor then changed.
    fn computed_then_changed(e: &mut Engine, at: Instant, cost: Duration, credit: f64) {
        e.last_compute = Some(at);
        e.last_compute_time = cost;
        e.credit = credit;
        e.forced = false;
        e.computed_generation = Some(e.floor.generation);
        e.floor.apply(Record::Unknown("x".into()));
    }

    #[test]
    fn a_change_after_a_quiet_spell_is_computed_at_once_and_a_stream_waits() {
        let ms = Duration::from_millis;
        let mut e = idle_engine();
        let t0 = Instant::now();
        // Saved up (a quiet engine): a change is computed at once, even
        // after an expensive computation.
        computed_then_changed(&mut e, t0, ms(300), 0.7);
        assert!(e.due(t0));
        // Owing 300 ms (a computation in a stream of changes): three times
        // that, as `recompute_gap` says.
        computed_then_changed(&mut e, t0, ms(300), -0.3);
        assert_eq!(e.recompute_gap(), ms(900));
        assert!(!e.due(t0 + ms(899)));
        assert!(e.due(t0 + ms(900)));
        // Never more than MIN_RECOMPUTE.
        computed_then_changed(&mut e, t0, ms(600), -0.6);
        assert!(!e.due(t0 + ms(999)));
        assert!(e.due(t0 + MIN_RECOMPUTE));
        // An unchanged floor stays idle until the refresh interval.
        e.computed_generation = Some(e.floor.generation);
        assert!(!e.due(t0 + Duration::from_secs(59)));
        assert!(e.due(t0 + MIN_REFRESH.max(ms(600) * 400)));
    }

    #[test]
    fn waiting_saves_up_computing_time_to_the_burst_and_a_view_spends_it() {
        let ms = Duration::from_millis;
        let mut e = idle_engine();
        let t0 = Instant::now();
        computed_then_changed(&mut e, t0, ms(300), -0.3);
        // Every COST_FACTOR of waiting pays back one.
        assert!((e.credit_at(t0 + ms(600)) - (-0.1)).abs() < 1e-9);
        assert!((e.credit_at(t0 + ms(2400)) - 0.5).abs() < 1e-9);
        // An hour saves up no more than the burst.
        assert_eq!(
            e.credit_at(t0 + Duration::from_secs(3600)),
            BURST.as_secs_f64()
        );
        // A view spends what it took; what was owed before it is not
        // carried on (at most the last computation is owed).
        e.forced = true;
        e.last_compute = Some(Instant::now() - ms(100));
        e.credit = -5.0;
        e.compute();
        assert!(e.credit <= 0.0 && e.credit >= -e.last_compute_time().as_secs_f64());
        assert_eq!(e.change_wait(), e.recompute_gap());
    }
    use crate::domain::testkit::Rng;

    /// One random line: a contact (new, or replacing one of the first
    /// `ids`, also moved to another day or customer), a survey, an agent's
    /// state, a feedback item, an agent or a queue, at an instant up to
    /// eight days before `now` (or a little after it).
    fn random_line(rng: &mut Rng, now: Ts, ids: &mut u64) -> String {
        let back = match rng.below(4) {
            0 => rng.below(3 * 3600),
            1 => rng.below(30 * 3600),
            2 => 7 * 86_400 + rng.below(3 * 3600) - 3600,
            _ => rng.below(8 * 86_400),
        } as i64;
        let at = now.add_secs(-back + if rng.below(20) == 0 { 600 } else { 0 });
        let later = |s: u64| at.add_secs(s as i64);
        match rng.below(10) {
            0..=4 => {
                let id = if *ids > 0 && rng.below(3) == 0 {
                    rng.below(*ids)
                } else {
                    *ids += 1;
                    *ids - 1
                };
                let mut l = format!(
                    r#"{{"type":"contact","id":"k{id}","queue":"q{}","channel":"phone","customer":"u{}","arrived_at":"{at}""#,
                    rng.below(3),
                    rng.below(12)
                );
                match rng.below(4) {
                    0 => l += &format!(r#","abandoned_at":"{}""#, later(rng.below(90))),
                    1 => {}
                    _ => {
                        l += &format!(
                            r#","answered_at":"{}","agent":"a{}","talk_s":{},"transfers":{}"#,
                            later(rng.below(60)),
                            rng.below(4),
                            rng.below(600),
                            rng.below(2)
                        );
                        if rng.below(3) > 0 {
                            l += &format!(
                                r#","ended_at":"{}","resolved":{}"#,
                                later(60 + rng.below(600)),
                                rng.below(2) == 0
                            );
                        }
                    }
                }
                l + "}"
            }
            5 => format!(
                r#"{{"type":"survey","id":"s{}","contact":"k{}","at":"{at}","csat":{},"nps":{}}}"#,
                rng.below(15),
                rng.below((*ids).max(1)),
                1 + rng.below(5),
                rng.below(11)
            ),
            6 => format!(
                r#"{{"type":"agent_state","agent":"a{}","state":"{}","at":"{at}","queue":"q{}"}}"#,
                rng.below(4),
                ["available", "busy", "wrap", "break"][rng.below(4) as usize],
                rng.below(3)
            ),
            7 => format!(
                r#"{{"type":"feedback","id":"f{}","stage":"{}","due_at":"{}","received_at":"{at}"}}"#,
                rng.below(6),
                ["new", "handling", "closed"][rng.below(3) as usize],
                later(rng.below(2 * 86_400))
            ),
            8 => format!(
                r#"{{"type":"agent","id":"a{}","name":"Agent {}"}}"#,
                rng.below(5),
                rng.below(100)
            ),
            _ => {
                if rng.below(4) == 0 {
                    format!(
                        r#"{{"type":"queue","id":"q{}","channel":"phone","sl_seconds":{}}}"#,
                        rng.below(3),
                        10 + rng.below(40)
                    )
                } else {
                    format!(
                        r#"{{"type":"agent_state","agent":"a{}","state":"available","at":"{at}"}}"#,
                        rng.below(4)
                    )
                }
            }
        }
    }

    /// `view` without what may differ between two computations of the
    /// same view: the timings, and what the engine adds after the view
    /// (the alerts).
    fn comparable(mut view: View) -> View {
        view.compute_ms = 0.0;
        view.steps.clear();
        view.alerts = crate::app::view::AlertsView::default();
        view.snapshot.alerts.clear();
        view
    }

    #[test]
    fn a_view_from_kept_pieces_equals_the_view_from_scratch_after_random_changes() {
        use std::sync::atomic::{AtomicI64, Ordering};
        let mut hits = 0;
        for seed in 1..=12u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let start = Ts::from_secs(1_795_000_000 + seed as i64 * 7919);
            let clock = Arc::new(AtomicI64::new(start.nanos()));
            let c = clock.clone();
            let mut e = Engine::new(EngineOptions {
                files: Vec::new(),
                label: "test".into(),
                settings: Settings::default(),
                reload_settings: None,
                shifts: Shifts::default(),
                clock: Arc::new(move || Ts::from_nanos(c.load(Ordering::SeqCst))),
            });
            e.status.loading = false;
            let mut ids = 0;
            let mut errors = Vec::new();
            let mut line_no = 1;
            let mut feed = |e: &mut Engine, rng: &mut Rng, ids: &mut u64, n: u64| {
                let now = (e.clock)();
                let text: String = (0..n).map(|_| random_line(rng, now, ids) + "\n").collect();
                source::ingest_bytes(&mut e.floor, "t", line_no, text.as_bytes(), &mut errors);
                line_no += n;
            };
            feed(&mut e, &mut rng, &mut ids, 300);
            for round in 0..40 {
                if rng.below(3) > 0 {
                    let n = 1 + rng.below(4);
                    feed(&mut e, &mut rng, &mut ids, n);
                }
                // The clock moves on: within the hour, or past hours.
                let step = if rng.below(4) == 0 {
                    3600 + rng.below(5000)
                } else {
                    rng.below(900)
                };
                clock.fetch_add(step as i64 * 1_000_000_000, Ordering::SeqCst);
                if rng.below(8) == 0 {
                    let kinds = [
                        WindowKind::Today,
                        WindowKind::Yesterday,
                        WindowKind::ThisWeek,
                    ];
                    e.handle(EngineCmd::SetWindow(kinds[rng.below(3) as usize]));
                }
                if rng.below(10) == 0 {
                    let filters = ["", "q:q1", "a:a2"];
                    e.handle(EngineCmd::SetFilter(Filter::parse(
                        filters[rng.below(3) as usize],
                    )));
                }
                // From scratch first, with the spot list the engine holds.
                let now = (e.clock)();
                let past = e.window == WindowKind::Yesterday;
                let (mut day, mut listed) = if past {
                    (e.past_day, e.past_listed.clone())
                } else {
                    (e.spot_day, e.spot_listed.clone())
                };
                let scratch = compute_view(
                    &e.floor,
                    &e.settings,
                    &e.shifts,
                    e.window,
                    &e.filter,
                    now,
                    &mut SpotMemory {
                        day: &mut day,
                        listed: &mut listed,
                    },
                    Instant::now(),
                );
                let kept = e.compute();
                hits += e.cache.hits;
                assert_eq!(
                    comparable(kept),
                    comparable(scratch),
                    "seed {seed}, round {round}"
                );
            }
            assert!(errors.is_empty(), "{:?}", errors.first());
        }
        // The views did take kept pieces (closed hours, yesterday, the
        // feedback board, the names), not only compute them again.
        assert!(hits > 12 * 40, "{hits}");
    }
    #[test]
    fn a_window_with_nothing_after_now_is_its_part_so_far_over_its_days() {
        let settings = Settings::default();
        let (mut equal, mut ahead) = (0, 0);
        for seed in 1..=8u64 {
            let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
            let now = Ts::from_secs(1_795_000_000 + seed as i64 * 4001);
            let mut ids = 0;
            let text: String = (0..400)
                .map(|_| random_line(&mut rng, now, &mut ids) + "\n")
                .collect();
            let mut floor = Floor::new();
            let mut errors = Vec::new();
            source::ingest_bytes(&mut floor, "t", 1, text.as_bytes(), &mut errors);
            for back in [0, 60, 600, 3600, 5 * 3600] {
                let at = now.add_secs(-back);
                let window = window::day_window(
                    window::local_date(at, settings.timezone),
                    settings.timezone,
                );
                let so_far = Window {
                    from: window.from,
                    to: at,
                };
                let whole = kpi::compute(&floor, &settings, window, at);
                if nothing_after(&floor, at, window.to) {
                    equal += 1;
                    let part = kpi::compute(&floor, &settings, so_far, at);
                    assert_eq!(
                        over_window(&part, window),
                        whole,
                        "seed {seed}, {back} s back"
                    );
                } else {
                    ahead += 1;
                    // Something after now: the shortcut would be wrong here.
                    assert_ne!(kpi::compute(&floor, &settings, so_far, at), whole);
                }
            }
        }
        assert!(equal > 10 && ahead > 10, "{equal} {ahead}");
    }
}
