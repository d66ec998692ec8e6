//! The poller contract every kind of source implements: how a source is
//! polled ([`SourceSettings`]), what one poll yields ([`PollBatch`]), what
//! the app receives ([`SourceEvent`]), the loop that polls and backs off
//! after failures ([`run`]), and the backoff with its jitter
//! ([`backoff_delay`], [`Jitter`]), which the write-back flusher shares.
//!
//! Every source ends the same way: whole floor-feed NDJSON lines, in feed
//! order, handed to the app in an owned [`SourceEvent::Batch`] that the app
//! applies with [`super::ingest_bytes`]. A batch is sent only once it is
//! complete, so a failing poll never leaves half an update on the floor.
//!
//! Which source a `--crm` value names, and the poller of each kind, are in
//! [`super::spec`]; this module knows none of them.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

use super::http::{HttpSettings, Secret, SourceError};
use super::{IngestStats, LineError};
use crate::config::SourceConfig;
use crate::domain::settings::SourceSla;
pub use crate::domain::status::PollNote;
use crate::domain::{Floor, Ts};

/// How a source is polled.
#[derive(Clone, Debug)]
pub struct SourceSettings {
    /// Between successful polls.
    pub poll: Duration,
    /// First wait after a failure; doubled per failure up to `backoff_max`.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    pub http: HttpSettings,
    pub token: Option<Secret>,
    /// How the Zendesk connector maps tickets without a group or a priority.
    pub zendesk: crate::config::ZendeskConfig,
    /// The data dir whose `crm-cache/` keeps an RT or Zendesk source's floor
    /// for a warm start ([`super::cache`]); `None`: no cache.
    pub cache_dir: Option<std::path::PathBuf>,
}

impl Default for SourceSettings {
    fn default() -> Self {
        SourceSettings {
            poll: Duration::from_secs(crate::config::DEFAULT_POLL_S),
            backoff_min: Duration::from_secs(2),
            backoff_max: Duration::from_secs(300),
            http: HttpSettings::default(),
            token: None,
            zendesk: crate::config::ZendeskConfig::default(),
            cache_dir: None,
        }
    }
}

impl SourceSettings {
    /// From the config's `[source]` table: the poll interval and the token
    /// (read now from `token_env` or `token_file`).
    pub fn from_config(config: &SourceConfig) -> Result<SourceSettings, SourceError> {
        Ok(SourceSettings {
            poll: Duration::from_secs(config.poll_s.max(1)),
            token: super::http::load_token(
                config.token_env.as_deref(),
                config.token_file.as_deref(),
            )?,
            zendesk: config.zendesk.clone(),
            http: HttpSettings {
                max_in_flight: config.concurrency.max(1),
                ..HttpSettings::default()
            },
            ..SourceSettings::default()
        })
    }

    /// Keeps the floor of an RT or Zendesk source in `data_dir/crm-cache/`
    /// when the config's `[source] cache` allows it.
    pub fn with_cache(mut self, config: &SourceConfig, data_dir: Option<&std::path::Path>) -> Self {
        self.cache_dir = data_dir
            .filter(|_| config.cache)
            .map(std::path::Path::to_path_buf);
        self
    }
}

/// What a source task tells the app. Owned data: the app applies it on its
/// own thread, no shared state.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceEvent {
    /// Whole NDJSON lines in feed order. `reset`: drop every record this
    /// source gave before, then apply `bytes` (a full state follows).
    /// `origin` and `first_line` name the lines in malformed-line reports;
    /// `skipped` are lines the source could not hand over (too long).
    Batch {
        origin: String,
        first_line: u64,
        reset: bool,
        bytes: Vec<u8>,
        skipped: Vec<LineError>,
        /// The source's own SLA targets, when it gives them.
        sla: Option<SourceSla>,
    },
    /// After every poll: the last success (staleness = now − `ok_at`), the
    /// last error (`None` once a poll succeeds) and when the next try is.
    Status {
        source: String,
        ok_at: Option<Ts>,
        error: Option<SourceError>,
        next_poll_in: Duration,
        /// Something the lead should know about how the source is read.
        note: Option<PollNote>,
    },
}

impl SourceEvent {
    /// Applies a batch to the floor (a reset starts a new floor first);
    /// `None` for a status update, which the header shows instead.
    pub fn apply_to(&self, floor: &mut Floor, errors: &mut Vec<LineError>) -> Option<IngestStats> {
        match self {
            SourceEvent::Batch {
                origin,
                first_line,
                reset,
                bytes,
                skipped,
                sla,
            } => {
                if *reset {
                    *floor = Floor::new();
                }
                if sla.is_some() {
                    floor.source_sla = *sla;
                }
                let mut stats = super::ingest_bytes(floor, origin, *first_line, bytes, errors);
                stats.malformed += skipped.len() as u64;
                errors.extend(skipped.iter().cloned());
                Some(stats)
            }
            SourceEvent::Status { .. } => None,
        }
    }
}

/// The result of one successful poll: complete, ready to apply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PollBatch {
    pub reset: bool,
    /// Whole NDJSON lines.
    pub bytes: Vec<u8>,
    pub origin: String,
    pub first_line: u64,
    /// More is waiting: poll again at once (a big file read in steps).
    pub more: bool,
    /// Lines that could not be handed over (longer than the line limit).
    pub skipped: Vec<LineError>,
    /// Why this poll stopped short, if it did.
    pub note: Option<PollNote>,
    /// SLA targets the source gives itself (a Zendesk account's SLA
    /// policies), sent with a full state; they replace `[sla]`'s.
    pub sla: Option<SourceSla>,
    /// Contacts this poll learned are gone (deleted in the CRM), by id: the
    /// warm-start cache drops them, so that a restart or a `snapshot` from
    /// the cache does not bring them back. A live floor keeps them until
    /// the next full state (the floor feed has no removal).
    pub gone: Vec<String>,
}

/// A source that can be polled.
pub trait Poll {
    /// Fetch what changed since the last successful poll. On error nothing
    /// of this poll is kept: the next poll starts from the same point.
    fn poll_once(&mut self) -> impl Future<Output = Result<PollBatch, SourceError>> + Send;
}

/// Tells the app that the source `source` could not start (bad options,
/// no token): one status with the error and no next poll.
pub async fn not_started(source: String, error: &SourceError, tx: &mpsc::Sender<SourceEvent>) {
    tracing::warn!(source = %source, "source not started: {error}");
    let _ = tx
        .send(SourceEvent::Status {
            source,
            ok_at: None,
            error: Some(error.clone()),
            next_poll_in: Duration::MAX,
            note: None,
        })
        .await;
}

/// Asks a running source to start again from the full state and to poll
/// at once, even in the middle of a wait (the lead's `r`).
#[derive(Clone, Debug, Default)]
pub struct Restart(Arc<Notify>);

impl Restart {
    pub fn request(&self) {
        self.0.notify_one();
    }
}

/// Polls every `settings.poll`, backs off with jitter after failures, and
/// sends batches and status updates on `tx`. Returns when the receiver is
/// dropped. A server's Retry-After is honoured up to `settings.backoff_max`,
/// never longer (the status says so). On `restart`, `fresh` makes a new
/// poller, which is polled at once.
pub async fn run<P: Poll>(
    mut poller: P,
    fresh: impl Fn() -> Result<P, SourceError>,
    restart: Restart,
    source: String,
    settings: SourceSettings,
    tx: mpsc::Sender<SourceEvent>,
) {
    let mut jitter = Jitter::from_clock();
    let mut ok_at: Option<Ts> = None;
    let mut failures: u32 = 0;
    loop {
        let delay = match poller.poll_once().await {
            Ok(batch) => {
                failures = 0;
                ok_at = Some(Ts::from_datetime(&chrono::Utc::now()));
                let more = batch.more;
                if (batch.reset || !batch.bytes.is_empty() || !batch.skipped.is_empty())
                    && tx
                        .send(SourceEvent::Batch {
                            origin: batch.origin,
                            first_line: batch.first_line,
                            reset: batch.reset,
                            bytes: batch.bytes,
                            skipped: batch.skipped,
                            sla: batch.sla,
                        })
                        .await
                        .is_err()
                {
                    return;
                }
                let delay = if more { Duration::ZERO } else { settings.poll };
                if (!more || batch.note.is_some())
                    && tx
                        .send(SourceEvent::Status {
                            source: source.clone(),
                            ok_at,
                            error: None,
                            next_poll_in: delay,
                            note: batch.note,
                        })
                        .await
                        .is_err()
                {
                    return;
                }
                delay
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = backoff_delay(
                    failures,
                    settings.backoff_min,
                    settings.backoff_max,
                    jitter.next_unit(),
                );
                let (delay, note) = match e.retry_after() {
                    Some(asked) if asked > settings.backoff_max => (
                        settings.backoff_max,
                        Some(PollNote::RetryCapped {
                            asked,
                            waiting: settings.backoff_max,
                        }),
                    ),
                    Some(asked) => (wait.max(asked), None),
                    None => (wait, None),
                };
                tracing::warn!(source = %source, failures, retry_in_s = delay.as_secs_f64(), "poll failed: {e}");
                if tx
                    .send(SourceEvent::Status {
                        source: source.clone(),
                        ok_at,
                        error: Some(e.clone()),
                        next_poll_in: delay,
                        note,
                    })
                    .await
                    .is_err()
                {
                    return;
                }
                delay
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = restart.0.notified() => {
                tracing::info!(source = %source, "restart asked: polling the full state now");
                match fresh() {
                    Ok(p) => {
                        poller = p;
                        failures = 0;
                    }
                    Err(e) => tracing::warn!(source = %source, "restart failed: {e}"),
                }
            }
            _ = tx.closed() => return,
        }
    }
}

/// Wait after the `failures`-th failure in a row: `min · 2^(failures−1)`,
/// capped at `max`, then "equal jitter": half of it fixed, half random
/// (`unit` in [0, 1)), so that many consoles do not retry in step.
pub fn backoff_delay(failures: u32, min: Duration, max: Duration, unit: f64) -> Duration {
    let exp = failures.saturating_sub(1).min(30);
    let full = min.saturating_mul(1u32 << exp).min(max);
    let half = full / 2;
    half + half.mul_f64(unit.clamp(0.0, 1.0))
}

/// A small xorshift generator for jitter (no cryptographic use).
pub struct Jitter(u64);

impl Jitter {
    pub fn from_clock() -> Jitter {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Jitter(nanos ^ (std::process::id() as u64) << 32 | 1)
    }

    /// The next number in [0, 1).
    pub fn next_unit(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The console's path: a source's SLA targets come with its full state
    /// and stay until the next full state, which may take them back.
    #[test]
    fn a_sources_sla_targets_follow_its_full_state() {
        use crate::domain::Priority;
        use crate::domain::settings::{Settings, SlaTarget};
        let mut sla = SourceSla::default();
        let target = SlaTarget {
            first_response_min: 240,
            resolution_min: None,
        };
        sla.set(Priority::Medium, target);
        let batch = |reset: bool, sla: Option<SourceSla>| SourceEvent::Batch {
            origin: "Zendesk acme".into(),
            first_line: 1,
            reset,
            bytes: Vec::new(),
            skipped: Vec::new(),
            sla,
        };
        let settings = Settings::default();
        let mut floor = Floor::new();
        let mut errors = Vec::new();
        batch(true, Some(sla)).apply_to(&mut floor, &mut errors);
        assert_eq!(floor.sla_target(&settings, Priority::Medium), Some(target));
        // Other priorities keep the config's (urgent: 5 min).
        assert_eq!(
            floor
                .sla_target(&settings, Priority::Urgent)
                .map(|t| t.first_response_min),
            Some(5)
        );
        batch(false, None).apply_to(&mut floor, &mut errors);
        assert_eq!(floor.source_sla, Some(sla), "an increment keeps them");
        batch(true, None).apply_to(&mut floor, &mut errors);
        assert_eq!(
            floor.source_sla, None,
            "a full state without them drops them"
        );
        assert_eq!(
            floor
                .sla_target(&settings, Priority::Medium)
                .map(|t| t.first_response_min),
            Some(120)
        );
    }

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let s = Duration::from_secs;
        // unit 0 → exactly half, unit → 1 approaches the full delay.
        assert_eq!(backoff_delay(1, s(2), s(300), 0.0), s(1));
        assert_eq!(backoff_delay(1, s(2), s(300), 1.0), s(2));
        assert_eq!(backoff_delay(3, s(2), s(300), 1.0), s(8));
        assert_eq!(backoff_delay(3, s(2), s(300), 0.5), s(6));
        assert_eq!(backoff_delay(20, s(2), s(300), 1.0), s(300));
        assert_eq!(backoff_delay(u32::MAX, s(2), s(300), 0.0), s(150));
        let mut j = Jitter::from_clock();
        for _ in 0..1000 {
            let u = j.next_unit();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
