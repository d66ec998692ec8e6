//! Alert delivery: posts the store's alert outbox to the webhooks of
//! `[[alerts.webhook]]`, on a thread of its own (`shiftdeck watch`, and the
//! console when webhooks are configured).
//!
//! Never lost, never doubled (issue 16, docs/alerts.md):
//! - a fire or clear and its outbox rows are written in one transaction by
//!   whoever records it (`store::alerts`); this module only sends;
//! - a row is claimed before its POST (a compare-and-set on its attempt
//!   count): of two processes on one data dir, only the one whose claim
//!   counted posts it; the claim also puts the row's next attempt past the
//!   POST's timeout ([`claim_until`]), so a sender killed mid-POST leaves a
//!   row that comes due again, and a restart resumes it;
//! - a row is marked sent only when the webhook took it (2xx; for the
//!   wecom and dingtalk robots `errcode` 0 in the answer);
//! - a failure waits the poller's backoff (doubling from
//!   [`BACKOFF_MIN`] up to [`BACKOFF_MAX`], equal jitter), or the server's
//!   Retry-After when it asks longer, capped at [`BACKOFF_MAX`].
//!
//! What cannot be promised: a webhook has no way to ask "did you get this
//! already?", so a process killed after the robot took a message and
//! before the row was marked sent posts it again after the claim runs out
//! (at least once, never lost). The window is the few milliseconds between
//! the answer and the store's write.

use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use tokio::sync::Notify;

use crate::domain::Ts;
use crate::i18n::{Lang, Localize};
use crate::source::poll::{Jitter, backoff_delay};
use crate::source::webhook::{PostError, Sender, Webhook};
use crate::store::alerts::AlertDelivery;
use crate::store::{Store, StoreError};

/// First wait after a failed post; doubled per failure.
pub const BACKOFF_MIN: Duration = Duration::from_secs(1);
/// Longest wait between two attempts, a server's Retry-After included.
pub const BACKOFF_MAX: Duration = Duration::from_secs(300);
/// Rows looked at per round.
pub const BATCH: usize = 50;
/// How often the outbox is looked at when nothing wakes the sender (rows
/// queued by another process, retries coming due).
pub const LOOK_EVERY: Duration = Duration::from_secs(1);

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundStats {
    pub sent: usize,
    pub failed: usize,
    /// Rows another sender claimed first.
    pub taken: usize,
    /// Rows for a webhook this process does not have (another config).
    pub unknown: usize,
}

/// What a sender needs besides the store.
pub struct Delivery {
    pub sender: Sender,
    pub hooks: Vec<Webhook>,
    /// The language of the messages and of the stored reasons.
    pub lang: Lang,
    /// The floor's zone, for the times in the messages.
    pub tz: Tz,
}

/// Until when a claim holds: past the POST's timeout and a margin.
pub fn claim_until(now: Ts, hook: &Webhook) -> Ts {
    now.add_nanos((hook.timeout + Duration::from_secs(5)).as_nanos() as i64)
}

/// When to try again after the `attempt`-th failure: the backoff, or the
/// server's Retry-After when longer, never more than [`BACKOFF_MAX`].
pub fn retry_at(now: Ts, attempt: u32, unit: f64, retry_after: Option<Duration>) -> Ts {
    let wait = backoff_delay(attempt, BACKOFF_MIN, BACKOFF_MAX, unit);
    let wait = match retry_after {
        Some(asked) => wait.max(asked).min(BACKOFF_MAX),
        None => wait,
    };
    now.add_nanos(wait.as_nanos() as i64)
}

impl Delivery {
    /// Posts every due row once. Network failures are kept in the rows;
    /// only a store error stops the round.
    pub async fn round(
        &self,
        store: &Store,
        jitter: &mut Jitter,
        now: impl Fn() -> Ts,
    ) -> Result<RoundStats, StoreError> {
        let mut stats = RoundStats::default();
        for row in store.due_alert_deliveries(now(), BATCH)? {
            let Some(hook) = self.hooks.iter().find(|h| h.target == row.target) else {
                stats.unknown += 1;
                continue;
            };
            let start = now();
            if !store.claim_alert_delivery(row.id, row.attempts, claim_until(start, hook))? {
                stats.taken += 1;
                continue;
            }
            match self.post(hook, &row).await {
                Ok(()) => {
                    store.alert_delivery_sent(row.id, now())?;
                    stats.sent += 1;
                    tracing::info!(key = %row.idempotency_key, webhook = %hook.label(), "alert delivered");
                }
                Err(e) => {
                    let next = retry_at(now(), row.attempts + 1, jitter.next_unit(), e.retry_after);
                    tracing::warn!(
                        key = %row.idempotency_key,
                        webhook = %hook.label(),
                        attempt = row.attempts + 1,
                        error = %e.failure,
                        "alert delivery failed; retrying later"
                    );
                    store.alert_delivery_failed(row.id, &e.failure.localize(self.lang), next)?;
                    stats.failed += 1;
                }
            }
        }
        Ok(stats)
    }

    async fn post(&self, hook: &Webhook, row: &AlertDelivery) -> Result<(), PostError> {
        let alert: serde_json::Value = serde_json::from_str(&row.body).unwrap_or_default();
        let event = row.event;
        let body = crate::source::webhook::body(
            hook.format,
            self.lang,
            self.tz,
            event,
            &alert,
            row.created_at,
        );
        self.sender.post(hook, &body).await
    }
}

/// Reads the webhooks of `loaded` and starts their sender on the store at
/// `store_path`; nothing to do without webhooks (`Ok(None)`).
pub fn start(
    store_path: std::path::PathBuf,
    loaded: &crate::config::Loaded,
    lang: Lang,
) -> Result<Option<Wake>, DeliveryStartError> {
    let hooks =
        Webhook::load_all(&loaded.extra.alerts.webhooks).map_err(DeliveryStartError::Webhook)?;
    if hooks.is_empty() {
        return Ok(None);
    }
    let delivery = Delivery {
        sender: Sender::new().map_err(DeliveryStartError::Client)?,
        hooks,
        lang,
        tz: loaded.settings.timezone,
    };
    let wake = Wake::default();
    spawn(store_path, delivery, wake.clone())
        .map_err(|e| DeliveryStartError::Thread(e.to_string()))?;
    Ok(Some(wake))
}

/// Why the sender did not start (logged by the console; `watch` stops).
#[derive(Debug, thiserror::Error)]
pub enum DeliveryStartError {
    #[error("{0}")]
    Webhook(crate::source::webhook::WebhookError),
    #[error("{0}")]
    Client(crate::source::http::SourceError),
    #[error("alert delivery thread: {0}")]
    Thread(String),
}

/// Wakes the sender at once (a fire or clear was just recorded).
#[derive(Clone, Debug, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    pub fn now(&self) {
        self.0.notify_one();
    }
}

/// Starts the sender on a thread of its own with its own store connection
/// at `store_path`: a round at once, then whenever woken and every
/// [`LOOK_EVERY`]. It lives as long as the process.
pub fn spawn(
    store_path: std::path::PathBuf,
    delivery: Delivery,
    wake: Wake,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("shiftdeck-alerts-out".into())
        .spawn(move || {
            let runtime = match crate::source::local_runtime() {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("alert delivery runtime: {e}");
                    return;
                }
            };
            let store = match Store::open(&store_path) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "alert delivery off: the store cannot be opened");
                    return;
                }
            };
            let mut jitter = Jitter::from_clock();
            let clock = || Ts::from_datetime(&chrono::Utc::now());
            runtime.block_on(async move {
                let mut unknown_said = false;
                loop {
                    match delivery.round(&store, &mut jitter, clock).await {
                        Ok(st) => {
                            if st.unknown > 0 && !unknown_said {
                                unknown_said = true;
                                tracing::warn!(
                                    rows = st.unknown,
                                    "alert rows for a webhook not in this config are left for the process that has it"
                                );
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "alert delivery: store error"),
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(LOOK_EVERY) => {}
                        _ = wake.0.notified() => {}
                    }
                }
            });
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_honour_retry_after_up_to_the_cap() {
        let now = Ts::from_nanos(0);
        let secs = |t: Ts| t.nanos() as f64 / 1e9;
        // unit 0: half the doubled delay; unit → 1: the whole of it.
        assert_eq!(secs(retry_at(now, 1, 0.0, None)), 0.5);
        assert_eq!(secs(retry_at(now, 3, 1.0, None)), 4.0);
        // A longer Retry-After wins; a shorter one does not shorten.
        assert_eq!(
            secs(retry_at(now, 1, 0.0, Some(Duration::from_secs(30)))),
            30.0
        );
        assert_eq!(
            secs(retry_at(now, 3, 1.0, Some(Duration::from_secs(1)))),
            4.0
        );
        // Capped at five minutes however long the server asks.
        assert_eq!(
            secs(retry_at(now, 1, 0.0, Some(Duration::from_secs(86_400)))),
            300.0
        );
        assert_eq!(secs(retry_at(now, 40, 1.0, None)), 300.0);
    }
}
