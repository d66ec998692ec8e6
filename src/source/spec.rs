//! Where floor records come from: a source named by `--crm URL`, `--file`
//! or the config's `[source]` table, the poller of each kind, and running
//! it (on its own tokio task, or once for a one-shot load).
//!
//! `--crm` URL schemes (docs/connectors.md):
//! - `http(s)://HOST/PATH` or `feed+http(s)://…`: the generic HTTP feed;
//! - `rt+http(s)://HOST[/PATH][?queues=A,B&days=N&sl_seconds=S]`: Request Tracker 5;
//! - `zendesk+https://SUB.zendesk.com[?email=E&days=N]`: Zendesk Support + Talk;
//! - `file:///path` or a plain path: an NDJSON file, followed as it grows.
//!
//! An RT or Zendesk source keeps its floor for a warm start
//! ([`WarmPoller`], [`super::cache`]).

use std::path::PathBuf;

use std::time::Instant;

use reqwest::Url;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::cache::{CacheKey, CrmCache, QUIET_REWRITE, RecordBook, Warm};
use super::error::CrmProblem;
use super::feed::FeedPoller;
use super::file::FilesPoller;
use super::http::{self, SourceError};
use super::poll::{self, Poll, PollBatch, Restart, SourceEvent, SourceSettings};
use super::rt::{RtOptions, RtPoller};
use super::zendesk::{ZendeskOptions, ZendeskPoller};
use super::{IngestStats, LineError};
use crate::config::SourceConfig;
use crate::domain::settings::SourceSla;
use crate::domain::{Floor, SourceId, Ts};

/// Where records come from.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceSpec {
    /// NDJSON files, in order (a later file's upsert wins), followed as they grow.
    Files(Vec<PathBuf>),
    /// The generic HTTP feed at `base` (`GET {base}/feed?since=…`).
    Feed { base: Url },
    /// Request Tracker 5 over REST 2.0.
    Rt(RtOptions),
    /// Zendesk Support + Talk.
    Zendesk(ZendeskOptions),
}

impl SourceSpec {
    /// Parses a `--crm` value (see the module docs for the schemes).
    pub fn parse_crm(text: &str) -> Result<SourceSpec, SourceError> {
        let text = text.trim();
        // Messages quote the value without any `user:password@` in it.
        let shown = without_userinfo(text).into_owned();
        let bad = |why: CrmProblem| SourceError::Crm {
            text: shown.clone(),
            why,
        };
        if !text.contains("://") {
            return Ok(SourceSpec::Files(vec![PathBuf::from(text)]));
        }
        let (kind, rest) = match text.split_once('+') {
            Some((k, r)) if !k.contains(':') && r.contains("://") => (k.to_ascii_lowercase(), r),
            _ => (String::new(), text),
        };
        let url = Url::parse(rest).map_err(|e| bad(CrmProblem::Url(e.into())))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(CrmProblem::Credentials));
        }
        if url.scheme() == "file" {
            let path = url
                .to_file_path()
                .map_err(|_| bad(CrmProblem::NotLocalPath))?;
            return Ok(SourceSpec::Files(vec![path]));
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad(CrmProblem::NotHttp));
        }
        match kind.as_str() {
            "" | "feed" => {
                let mut base = url;
                base.set_query(None);
                Ok(SourceSpec::Feed { base })
            }
            "rt" => RtOptions::from_url(&url).map(SourceSpec::Rt).map_err(bad),
            "zendesk" => ZendeskOptions::from_url(&url)
                .map(SourceSpec::Zendesk)
                .map_err(bad),
            other => Err(bad(CrmProblem::UnknownKind(other.to_owned()))),
        }
    }

    /// The source to use: `--crm` first, then `--file`, then the config's
    /// `crm`, then its `file` list. `None` when nothing names a source.
    pub fn resolve(
        cli_crm: Option<&str>,
        cli_files: &[PathBuf],
        config: &SourceConfig,
    ) -> Result<Option<SourceSpec>, SourceError> {
        if let Some(c) = cli_crm {
            return SourceSpec::parse_crm(c).map(Some);
        }
        if !cli_files.is_empty() {
            return Ok(Some(SourceSpec::Files(cli_files.to_vec())));
        }
        if let Some(c) = &config.crm {
            return SourceSpec::parse_crm(c).map(Some);
        }
        if !config.file.is_empty() {
            return Ok(Some(SourceSpec::Files(config.file.clone())));
        }
        Ok(None)
    }

    /// The source's stable identity, which keys the lead's entries in the
    /// store: the canonical path of each file (sorted, so the same files in
    /// another order are the same floor), or the kind and base URL of a
    /// feed or CRM without its query, user or password. A path that cannot
    /// be resolved (the file is not there yet) is made absolute as given.
    pub fn identity(&self) -> SourceId {
        let url = |u: &Url| {
            let mut s = format!("{}://{}", u.scheme(), u.host_str().unwrap_or(""));
            if let Some(p) = u.port() {
                s.push_str(&format!(":{p}"));
            }
            s.push_str(u.path().trim_end_matches('/'));
            s
        };
        match self {
            SourceSpec::Files(paths) => {
                let mut canon: Vec<String> = paths
                    .iter()
                    .map(|p| canonical(p).display().to_string())
                    .collect();
                canon.sort();
                canon.dedup();
                SourceId::new(format!("file:{}", canon.join(" + ")))
            }
            SourceSpec::Feed { base } => SourceId::new(format!("feed:{}", url(base))),
            SourceSpec::Rt(o) => SourceId::new(format!("rt:{}", url(&o.base))),
            SourceSpec::Zendesk(o) => SourceId::new(format!("zendesk:{}", url(&o.base))),
        }
    }

    /// A short name for the header: the kind and the host or file.
    pub fn label(&self) -> String {
        match self {
            SourceSpec::Files(p) => match p.as_slice() {
                [one] => format!("file {}", one.display()),
                many => format!("{} files", many.len()),
            },
            SourceSpec::Feed { base } => format!("feed {}", http::show_url(base)),
            SourceSpec::Rt(o) => format!("RT {}", http::show_url(&o.base)),
            SourceSpec::Zendesk(o) => format!("Zendesk {}", o.base.host_str().unwrap_or("")),
        }
    }
}

/// One source's poller, whatever its kind.
#[derive(Debug)]
pub enum Poller {
    Files(FilesPoller),
    Feed(Box<FeedPoller>),
    Rt(Box<RtPoller>),
    Zendesk(Box<ZendeskPoller>),
}

impl Poller {
    pub fn new(spec: &SourceSpec, settings: &SourceSettings) -> Result<Poller, SourceError> {
        Ok(match spec {
            SourceSpec::Files(paths) => Poller::Files(FilesPoller::new(paths.clone())),
            SourceSpec::Feed { base } => Poller::Feed(Box::new(FeedPoller::new(base, settings)?)),
            SourceSpec::Rt(o) => Poller::Rt(Box::new(RtPoller::new(o.clone(), settings)?)),
            SourceSpec::Zendesk(o) => {
                Poller::Zendesk(Box::new(ZendeskPoller::new(o.clone(), settings)?))
            }
        })
    }

    /// Fetch what changed since the last successful poll. On error nothing
    /// of this poll is kept: the next poll starts from the same point.
    pub async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        match self {
            Poller::Files(p) => p.poll_once(),
            Poller::Feed(p) => p.poll_once().await,
            Poller::Rt(p) => p.poll_once().await,
            Poller::Zendesk(p) => p.poll_once().await,
        }
    }
}

impl Poller {
    /// Requests made by the last poll, and session logins so far (RT, for
    /// benchmarks; zero for the other sources).
    pub fn request_counts(&self) -> (u32, u32) {
        match self {
            Poller::Rt(p) => (p.last_requests(), p.session_logins()),
            Poller::Files(_) | Poller::Feed(_) | Poller::Zendesk(_) => (0, 0),
        }
    }
}

impl Poll for Poller {
    async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        Poller::poll_once(self).await
    }
}

// ── The warm start of an RT or Zendesk source, around its poller: at start
// the cache (`super::cache`) gives the last floor and where polling stood,
// so the first poll is incremental; after every successful poll the floor
// (one line per record) and the position are written back, when something
// changed or every `QUIET_REWRITE`. A cache that fails a check is ignored
// (the log says why) and the full state is loaded. A server that refuses
// the cached position on the first poll (a 4xx, an answer without its
// list) gets a full load at once too.

impl SourceSpec {
    /// The warm-start cache's key: the source's identity and the options
    /// that shape its floor. `None` for files and feeds (no cache).
    pub fn cache_key(&self, settings: &SourceSettings) -> Option<CacheKey> {
        let options = match self {
            SourceSpec::Rt(o) => RtPoller::cache_options(o),
            SourceSpec::Zendesk(o) => ZendeskPoller::cache_options(o, &settings.zendesk),
            SourceSpec::Files(_) | SourceSpec::Feed { .. } => return None,
        };
        Some(CacheKey {
            source: self.identity().as_str().to_owned(),
            options,
        })
    }

    /// The cache file this source would use with these settings.
    pub fn cache(&self, settings: &SourceSettings) -> Option<CrmCache> {
        let dir = settings.cache_dir.as_deref()?;
        Some(CrmCache::in_data_dir(dir, self.cache_key(settings)?))
    }
}

impl Poller {
    /// Where polling stands, for the cache (RT and Zendesk only).
    pub fn resume_state(&self) -> Option<Value> {
        match self {
            Poller::Rt(p) => p.resume_state(),
            Poller::Zendesk(p) => p.resume_state(),
            Poller::Files(_) | Poller::Feed(_) => None,
        }
    }

    /// Continues from a cached position (RT and Zendesk only).
    pub fn resume(&mut self, state: Value) -> Result<(), String> {
        match self {
            Poller::Rt(p) => p.resume(state),
            Poller::Zendesk(p) => p.resume(state),
            Poller::Files(_) | Poller::Feed(_) => Err("this source keeps no cache".into()),
        }
    }
}

/// A poller that keeps its floor in the cache (when the source has one).
#[derive(Debug)]
pub struct WarmPoller {
    inner: Poller,
    spec: SourceSpec,
    settings: SourceSettings,
    cache: Option<CrmCache>,
    book: RecordBook,
    sla: Option<SourceSla>,
    /// The position last written (serialised), to skip writes that change nothing.
    written_state: Option<Vec<u8>>,
    last_write: Option<Instant>,
    /// Started from the cache, and no poll has succeeded since.
    resumed: bool,
    /// A failed write is logged once.
    write_failed: bool,
}

impl WarmPoller {
    /// A poller that loads the full state first (and writes the cache).
    pub fn cold(spec: &SourceSpec, settings: &SourceSettings) -> Result<WarmPoller, SourceError> {
        Ok(WarmPoller {
            inner: Poller::new(spec, settings)?,
            spec: spec.clone(),
            settings: settings.clone(),
            cache: spec.cache(settings),
            book: RecordBook::default(),
            sla: None,
            written_state: None,
            last_write: None,
            resumed: false,
            write_failed: false,
        })
    }

    /// A poller that continues from the cache when a valid one is there:
    /// then the cached floor comes back to be shown at once, and the first
    /// poll reads only what changed since. Otherwise as [`WarmPoller::cold`].
    pub fn start(
        spec: &SourceSpec,
        settings: &SourceSettings,
        now: Ts,
    ) -> Result<(WarmPoller, Option<Warm>), SourceError> {
        let mut p = WarmPoller::cold(spec, settings)?;
        let Some(cache) = p.cache.clone() else {
            return Ok((p, None));
        };
        let t0 = Instant::now();
        let warm = match cache.load(now) {
            Ok(Some(w)) => w,
            Ok(None) => {
                tracing::info!(path = %cache.path().display(), "no CRM cache yet: loading the full state");
                return Ok((p, None));
            }
            Err(why) => {
                tracing::warn!(path = %cache.path().display(), "CRM cache ignored, it {why}: loading the full state");
                return Ok((p, None));
            }
        };
        let state_bytes = serde_json::to_vec(&warm.state).unwrap_or_default();
        if let Err(e) = p.inner.resume(warm.state.clone()) {
            tracing::warn!(path = %cache.path().display(), "CRM cache ignored, its position cannot be read ({e}): loading the full state");
            p.inner = Poller::new(spec, settings)?;
            return Ok((p, None));
        }
        p.book.apply(true, &warm.records);
        p.sla = warm.sla;
        p.written_state = Some(state_bytes);
        p.resumed = true;
        tracing::info!(
            path = %cache.path().display(),
            records = p.book.len(),
            age_s = now.secs_since(warm.saved_at).round(),
            read_ms = t0.elapsed().as_millis() as u64,
            "warm start from the CRM cache"
        );
        Ok((p, Some(warm)))
    }

    /// Requests made by the last poll, and session logins so far.
    pub fn request_counts(&self) -> (u32, u32) {
        self.inner.request_counts()
    }

    /// Records in the floor the cache keeps.
    pub fn records(&self) -> usize {
        self.book.len()
    }

    /// The floor the cache keeps (the cached one and every poll since, less
    /// the contacts a poll found deleted), as NDJSON, and the source's SLA
    /// targets. Empty without a cache.
    pub fn kept_floor(&self) -> (Vec<u8>, Option<SourceSla>) {
        (self.book.ndjson(), self.sla)
    }

    pub async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        let batch = match self.inner.poll_once().await {
            Ok(b) => b,
            Err(e) if self.resumed && refuses_position(&e) => {
                tracing::warn!("the CRM refused the cached position ({e}): loading the full state");
                self.inner = Poller::new(&self.spec, &self.settings)?;
                self.resumed = false;
                self.inner.poll_once().await?
            }
            Err(e) => return Err(e),
        };
        self.resumed = false;
        self.remember(&batch).await;
        Ok(batch)
    }

    /// Applies the batch to the kept floor and writes the cache when
    /// something changed (or it was last written [`QUIET_REWRITE`] ago).
    async fn remember(&mut self, batch: &PollBatch) {
        let Some(cache) = self.cache.clone() else {
            return;
        };
        let applied = self.book.apply(batch.reset, &batch.bytes);
        let changed = self.book.forget_contacts(&batch.gone) || applied;
        if batch.reset || batch.sla.is_some() {
            self.sla = batch.sla;
        }
        if batch.more {
            return; // not a whole state yet
        }
        let Some(state) = self.inner.resume_state() else {
            return;
        };
        let state_bytes = serde_json::to_vec(&state).unwrap_or_default();
        let quiet_long = self.last_write.is_none_or(|t| t.elapsed() >= QUIET_REWRITE);
        if !changed && !quiet_long && self.written_state.as_deref() == Some(&state_bytes[..]) {
            return;
        }
        let now = Ts::from_datetime(&chrono::Utc::now());
        self.book.prune(now);
        let t0 = Instant::now();
        let bytes = cache.encode(now, &state, self.sla.as_ref(), &self.book.ndjson());
        let size = bytes.len();
        let written = tokio::task::spawn_blocking(move || cache.write(&bytes)).await;
        match written {
            Ok(Ok(())) => {
                self.written_state = Some(state_bytes);
                self.last_write = Some(Instant::now());
                self.write_failed = false;
                tracing::debug!(
                    bytes = size,
                    records = self.book.len(),
                    ms = t0.elapsed().as_millis() as u64,
                    "CRM cache written"
                );
            }
            Ok(Err(e)) if !self.write_failed => {
                self.write_failed = true;
                let path = self.cache.as_ref().map(|c| c.path().display().to_string());
                tracing::warn!(path = ?path, "the CRM cache could not be written: {e}");
            }
            Ok(Err(_)) => {}
            Err(e) => tracing::warn!("the CRM cache writer stopped: {e}"),
        }
    }
}

/// An answer that says the cached position leads nowhere: a client error
/// other than auth and rate limits, or an answer without its list.
fn refuses_position(e: &SourceError) -> bool {
    match e {
        SourceError::Status { status, .. } => {
            (400..500).contains(status) && !matches!(status, 408 | 429)
        }
        SourceError::NoList { .. } | SourceError::Json { .. } => true,
        _ => false,
    }
}

impl Poll for WarmPoller {
    async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        WarmPoller::poll_once(self).await
    }
}

/// Timings of a warm start, for the RT benchmark.
#[derive(Clone, Debug, PartialEq)]
pub struct WarmBench {
    /// The first run: the full state from the CRM, the cache written.
    pub cold_load: std::time::Duration,
    /// Requests of the first load (RT), and session logins (each one
    /// credential check on the server).
    pub cold_requests: u32,
    pub cold_logins: u32,
    pub records: usize,
    pub cache_bytes: u64,
    /// The restart: the cache read and checked, the floor ready to show.
    pub cached_floor: std::time::Duration,
    /// The restart to the end of its first (incremental) poll.
    pub fresh_floor: std::time::Duration,
    pub fresh_requests: u32,
    pub fresh_logins: u32,
}

/// A cold start that writes the cache, then a restart from it: how long the
/// cached floor and the fresh one take (`settings.cache_dir` must be set).
pub async fn bench_warm(
    spec: &SourceSpec,
    settings: &SourceSettings,
) -> Result<WarmBench, SourceError> {
    let t0 = Instant::now();
    let mut cold = WarmPoller::cold(spec, settings)?;
    cold.poll_once().await?;
    let cold_load = t0.elapsed();
    let (cold_requests, cold_logins) = cold.request_counts();
    let records = cold.records();
    drop(cold);
    let cache_bytes = spec
        .cache(settings)
        .and_then(|c| std::fs::metadata(c.path()).ok())
        .map_or(0, |m| m.len());
    let t1 = Instant::now();
    let (mut warm, cached) =
        WarmPoller::start(spec, settings, Ts::from_datetime(&chrono::Utc::now()))?;
    let cached_floor = t1.elapsed();
    if cached.is_none() {
        tracing::warn!("bench: no valid cache after the cold load");
    }
    warm.poll_once().await?;
    let fresh_floor = t1.elapsed();
    let (fresh_requests, fresh_logins) = warm.request_counts();
    Ok(WarmBench {
        cold_load,
        cold_requests,
        cold_logins,
        records,
        cache_bytes,
        cached_floor,
        fresh_floor,
        fresh_requests,
        fresh_logins,
    })
}

/// `p` resolved (symbolic links, `..`), else absolute as given.
fn canonical(p: &std::path::Path) -> PathBuf {
    std::fs::canonicalize(p)
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

/// `text` with the user and password of a URL (`scheme://user:pw@host…`)
/// replaced by `***`, for messages: a refusal must not repeat a password.
fn without_userinfo(text: &str) -> std::borrow::Cow<'_, str> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.into();
    };
    // The last `@` anywhere: a password may hold `/`, `?` or `#` unescaped,
    // and hiding too much of a message costs less than showing a password.
    match rest.rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]).into(),
        None => text.into(),
    }
}

/// Runs the source on its own task: polls every `settings.poll`, backs off
/// with jitter after failures, and sends batches and status updates on `tx`
/// ([`poll::run`]). The task ends when the receiver is dropped.
pub fn spawn_source(
    spec: SourceSpec,
    settings: SourceSettings,
    tx: mpsc::Sender<SourceEvent>,
) -> JoinHandle<()> {
    spawn_restartable(spec, settings, tx, Restart::default())
}

/// [`spawn_source`] that starts again from the full state, polling at once,
/// whenever `restart` is requested (the lead's `r`).
pub fn spawn_restartable(
    spec: SourceSpec,
    settings: SourceSettings,
    tx: mpsc::Sender<SourceEvent>,
    restart: Restart,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let source = spec.label();
        let now = Ts::from_datetime(&chrono::Utc::now());
        match WarmPoller::start(&spec, &settings, now) {
            Ok((poller, warm)) => {
                if let Some(w) = warm
                    && !show_cached(&source, w, &tx).await
                {
                    return;
                }
                // The lead's `r` starts from the CRM's full state, not the cache.
                let fresh = || WarmPoller::cold(&spec, &settings);
                poll::run(poller, fresh, restart, source, settings.clone(), tx).await;
            }
            Err(e) => poll::not_started(source, &e, &tx).await,
        }
    })
}

/// Sends the cached floor as a full state, then a status that marks it as
/// cached at `saved_at` (the header shows its age until the first poll).
/// False when the receiver is gone.
async fn show_cached(
    source: &str,
    warm: super::cache::Warm,
    tx: &mpsc::Sender<SourceEvent>,
) -> bool {
    let batch = SourceEvent::Batch {
        origin: format!("{source} (cache)"),
        first_line: 1,
        reset: true,
        bytes: warm.records,
        skipped: Vec::new(),
        sla: warm.sla,
    };
    let status = SourceEvent::Status {
        source: source.to_owned(),
        ok_at: Some(warm.saved_at),
        error: None,
        next_poll_in: std::time::Duration::ZERO,
        note: Some(poll::PollNote::Cached {
            saved_at: warm.saved_at,
        }),
    };
    tx.send(batch).await.is_ok() && tx.send(status).await.is_ok()
}

/// Everything the source holds now, as NDJSON (one-shot `snapshot`). Files
/// are better loaded with [`super::load_files`], which streams.
pub async fn fetch_all(
    spec: &SourceSpec,
    settings: &SourceSettings,
) -> Result<Vec<u8>, SourceError> {
    let mut poller = Poller::new(spec, settings)?;
    let mut out = Vec::new();
    loop {
        let batch = poller.poll_once().await?;
        if batch.reset {
            out.clear();
        }
        out.extend_from_slice(&batch.bytes);
        if !batch.more {
            return Ok(out);
        }
    }
}

/// Loads everything the source holds into `floor` (one-shot `snapshot`),
/// with malformed-line reports in `errors`. An RT or Zendesk source with
/// `settings.cache_dir` set goes through the warm-start cache as the
/// console does: from a valid cache, the cached floor and then one poll of
/// what changed since (as fresh as a full load, and faster); without one,
/// the full state, which is then cached for the next time. A damaged or
/// old cache is ignored ([`WarmPoller::start`]).
pub async fn fetch_into(
    spec: &SourceSpec,
    settings: &SourceSettings,
    floor: &mut Floor,
    errors: &mut Vec<LineError>,
) -> Result<IngestStats, SourceError> {
    let now = Ts::from_datetime(&chrono::Utc::now());
    let (mut poller, warm) = WarmPoller::start(spec, settings, now)?;
    if warm.is_some() {
        // The kept floor after the polls: the cached records, what changed
        // since, and no contact the CRM deleted meanwhile.
        loop {
            if !poller.poll_once().await?.more {
                break;
            }
        }
        let (records, sla) = poller.kept_floor();
        *floor = Floor::new();
        floor.source_sla = sla;
        let origin = format!("{} (cache)", spec.label());
        return Ok(super::ingest_bytes(floor, &origin, 1, &records, errors));
    }
    let mut stats = IngestStats::default();
    loop {
        let batch = poller.poll_once().await?;
        if batch.reset {
            *floor = Floor::new();
            stats = IngestStats::default();
        }
        if batch.sla.is_some() {
            floor.source_sla = batch.sla;
        }
        stats.add(super::ingest_bytes(
            floor,
            &batch.origin,
            batch.first_line,
            &batch.bytes,
            errors,
        ));
        if !batch.more {
            return Ok(stats);
        }
    }
}

/// [`fetch_into`] for synchronous callers (the `snapshot` command): runs
/// its own single-threaded runtime.
pub fn fetch_into_blocking(
    spec: &SourceSpec,
    settings: &SourceSettings,
    floor: &mut Floor,
    errors: &mut Vec<LineError>,
) -> Result<IngestStats, SourceError> {
    let rt = super::local_runtime().map_err(|e| SourceError::Thread((&e).into()))?;
    rt.block_on(fetch_into(spec, settings, floor, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crm_urls_pick_the_source() {
        let f = SourceSpec::parse_crm("http://127.0.0.1:8080").expect("feed");
        assert_eq!(
            f,
            SourceSpec::Feed {
                base: Url::parse("http://127.0.0.1:8080/").expect("url")
            }
        );
        let f = SourceSpec::parse_crm("feed+https://crm.example.com/floor").expect("feed");
        assert!(
            matches!(f, SourceSpec::Feed { base } if base.as_str() == "https://crm.example.com/floor")
        );
        assert!(matches!(
            SourceSpec::parse_crm("rt+https://rt.example.com").expect("rt"),
            SourceSpec::Rt(_)
        ));
        assert!(matches!(
            SourceSpec::parse_crm("zendesk+https://acme.zendesk.com").expect("zd"),
            SourceSpec::Zendesk(_)
        ));
        assert_eq!(
            SourceSpec::parse_crm("/tmp/floor.ndjson").expect("file"),
            SourceSpec::Files(vec![PathBuf::from("/tmp/floor.ndjson")])
        );
        assert_eq!(
            SourceSpec::parse_crm("file:///tmp/a.ndjson").expect("file"),
            SourceSpec::Files(vec![PathBuf::from("/tmp/a.ndjson")])
        );
        for bad in [
            "gopher+http://x",
            "ftp://x/y",
            "rt+https://user:pw@rt.example.com",
        ] {
            assert!(SourceSpec::parse_crm(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resolve_order() {
        let cfg = SourceConfig {
            crm: Some("http://cfg.example.com".into()),
            file: vec![PathBuf::from("cfg.ndjson")],
            ..SourceConfig::default()
        };
        let files = [PathBuf::from("cli.ndjson")];
        let r = |crm, files: &[PathBuf], cfg| SourceSpec::resolve(crm, files, cfg).expect("ok");
        assert!(matches!(
            r(Some("rt+http://127.0.0.1"), &files, &cfg),
            Some(SourceSpec::Rt(_))
        ));
        assert_eq!(
            r(None, &files, &cfg),
            Some(SourceSpec::Files(files.to_vec()))
        );
        assert!(matches!(r(None, &[], &cfg), Some(SourceSpec::Feed { .. })));
        let only_file = SourceConfig {
            crm: None,
            ..cfg.clone()
        };
        assert_eq!(
            r(None, &[], &only_file),
            Some(SourceSpec::Files(vec![PathBuf::from("cfg.ndjson")]))
        );
        assert_eq!(r(None, &[], &SourceConfig::default()), None);
    }
}
