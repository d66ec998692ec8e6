//! The warm start of an RT or Zendesk source, around its poller: at start
//! the cache ([`super::cache`]) gives the last floor and where polling
//! stood, so the first poll is incremental; after every successful poll the
//! floor (one line per record) and the position are written back, when
//! something changed or every [`QUIET_REWRITE`].
//!
//! A cache that fails a check is ignored (the log says why) and the full
//! state is loaded. A server that refuses the cached position on the first
//! poll (a 4xx, an answer without its list) gets a full load at once too.

use std::time::Instant;

use serde_json::Value;

use super::cache::{CacheKey, CrmCache, QUIET_REWRITE, RecordBook, Warm};
use super::http::SourceError;
use super::poll::{Poll, PollBatch, SourceSettings};
use super::rt::RtPoller;
use super::spec::{Poller, SourceSpec};
use super::zendesk::ZendeskPoller;
use crate::domain::Ts;
use crate::domain::settings::SourceSla;

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

    /// Records in the floor the cache keeps.
    pub fn records(&self) -> usize {
        self.book.len()
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
        let changed = self.book.apply(batch.reset, &batch.bytes);
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
