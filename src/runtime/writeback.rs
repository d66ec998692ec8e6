//! The write-back flusher: walks the store's outbox and posts each due
//! entry to the CRM through the RT client of `source::writeback`, on a
//! thread of its own. Used by the console and by any other long-running
//! command that writes back.
//!
//! The rules that make it never lose an entry and never post one twice
//! (attempt recorded before the POST, sent marked after a 2xx, the key line
//! looked for on the ticket before a retry) are documented with the RT calls
//! in `source::writeback`.

use std::time::Duration;

use reqwest::Url;

use crate::domain::Ts;
use crate::i18n::Lang;
use crate::source::http::{Auth, HttpClient, SourceError};
use crate::source::poll::Jitter;
use crate::source::poll::SourceSettings;
use crate::source::rt::RtOptions;
use crate::source::writeback::{post_comment, retry_at, ticket_has_key};
use crate::store::{OutboxEntry, Store, StoreError};

/// Rows handled per flush.
pub const BATCH: usize = 50;

/// What one flush did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlushStats {
    /// Posted and acknowledged.
    pub sent: usize,
    /// Found already on the ticket (an earlier POST went through): marked
    /// sent without posting.
    pub already_there: usize,
    /// Failed; retried later.
    pub failed: usize,
    /// Rows for a CRM this sender does not write to.
    pub skipped: usize,
    /// Rows another flusher on the same store claimed first.
    pub taken: usize,
}

/// Posts every due outbox row for RT at `rt_base` (the RT web root, as in
/// the `rt+https://…` source URL) through `client` (RT token auth). Network
/// failures are kept in the rows; only a store error stops the flush.
pub async fn flush_outbox(
    store: &Store,
    client: &HttpClient,
    rt_base: &Url,
    now: Ts,
) -> Result<FlushStats, StoreError> {
    flush_outbox_in(store, client, rt_base, now, Lang::En).await
}

/// [`flush_outbox`], a failed row's reason kept in `lang` (the lead's
/// language: the console's header shows it as stored).
pub async fn flush_outbox_in(
    store: &Store,
    client: &HttpClient,
    rt_base: &Url,
    now: Ts,
    lang: Lang,
) -> Result<FlushStats, StoreError> {
    let mut stats = FlushStats::default();
    let root = match RtOptions::new(rt_base.clone()).rest_root() {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "write-back: bad RT URL");
            return Ok(stats);
        }
    };
    let mut jitter = Jitter::from_clock();
    for row in store.due_outbox(now, BATCH)? {
        if row.target != "rt" {
            stats.skipped += 1;
            continue;
        }
        let attempt = row.attempts + 1;
        let unit = jitter.next_unit();
        let next = |e: &SourceError| retry_at(now, attempt, unit, e.retry_after());
        // Recorded before anything is sent: a crash from here on leaves a
        // row with attempts > 0, checked on the ticket before the next POST.
        let crash_retry = retry_at(now, attempt, unit, None);
        if !store.begin_attempt(row.id, row.attempts, crash_retry)? {
            stats.taken += 1;
            continue;
        }
        if row.attempts > 0 {
            match ticket_has_key(client, &root, &row.ticket, &row.idempotency_key).await {
                Ok(true) => {
                    store.mark_sent(row.id, now)?;
                    stats.already_there += 1;
                    continue;
                }
                Ok(false) => {}
                Err(e) => {
                    fail(store, client, &row, &e, next(&e), lang)?;
                    stats.failed += 1;
                    continue;
                }
            }
        }
        match post_comment(client, &root, &row.ticket, &row.body, &row.idempotency_key).await {
            Ok(()) => {
                store.mark_sent(row.id, now)?;
                stats.sent += 1;
            }
            Err(e) => {
                fail(store, client, &row, &e, next(&e), lang)?;
                stats.failed += 1;
            }
        }
    }
    Ok(stats)
}

fn fail(
    store: &Store,
    client: &HttpClient,
    row: &OutboxEntry,
    e: &SourceError,
    retry: Ts,
    lang: Lang,
) -> Result<(), StoreError> {
    let logged = client.scrub(&e.to_string());
    tracing::warn!(key = %row.idempotency_key, error = %logged, "write-back failed; retrying later");
    // The header is narrow: the reason without the request's URL.
    let msg = client.scrub(&e.without_url(lang));
    store.mark_failed(row.id, &msg, retry)
}

/// How often the console's flusher looks for due rows.
pub const FLUSH_EVERY: Duration = Duration::from_secs(15);

/// Starts the console's write-back flusher for an RT source: a thread of its
/// own with its own store connection (WAL: its short writes do not block the
/// UI's), flushing the outbox every `every`. It lives as long as the process.
pub fn spawn_flusher(
    store_at: crate::store::StoreLocation,
    author: String,
    rt: RtOptions,
    settings: SourceSettings,
    every: Duration,
    lang: Lang,
) -> Result<std::thread::JoinHandle<()>, SourceError> {
    let token = settings
        .token
        .as_ref()
        .ok_or(SourceError::WriteBackNeedsToken)?;
    let client = HttpClient::new(&rt.base, Auth::rt_token(token), &settings.http)?;
    std::thread::Builder::new()
        .name("shiftdeck-writeback".into())
        .spawn(move || {
            let runtime = match crate::source::local_runtime() {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("write-back runtime: {e}");
                    return;
                }
            };
            // A PostgreSQL server down now is waited for (its store
            // reconnects); a SQLite file that cannot be written is not.
            let store = match crate::store::open_for_console_at(
                &store_at,
                &crate::domain::SourceId::unrecorded(),
            ) {
                (Some(mut s), _) if s.read_only_reason().is_none() => {
                    s.set_author(&author);
                    s
                }
                (_, notice) => {
                    let why = notice.map(|n| n.to_string()).unwrap_or_default();
                    tracing::warn!(error = %why, "write-back off: the store cannot be opened");
                    return;
                }
            };
            runtime.block_on(async move {
                loop {
                    let now = Ts::from_datetime(&chrono::Utc::now());
                    match flush_outbox_in(&store, &client, &rt.base, now, lang).await {
                        Ok(st) if st != FlushStats::default() => {
                            tracing::info!(?st, "write-back flush")
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "write-back: store error"),
                    }
                    tokio::time::sleep(every).await;
                }
            });
        })
        .map_err(|e| SourceError::Thread((&e).into()))
}
