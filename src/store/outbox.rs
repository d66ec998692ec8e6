//! The write-back outbox: entries the lead made (a spot-check result, a
//! feedback stage change) waiting to be posted to the CRM.
//!
//! Never lost: a row is queued in the same transaction as the entry it
//! mirrors ([`super::Store::save_score_with_outbox`],
//! [`super::Store::add_feedback_event_with_outbox`]), so an acknowledged entry
//! always has its row. Never twice: the idempotency key is derived from the
//! entry (`spot:{contact}:{score id}`, `fb:{item}:{event id}`) and UNIQUE,
//! so queueing the same entry again is a no-op; a row is marked sent only
//! after the CRM answered 2xx (the flusher in `runtime::writeback` also
//! guards the crash window between the POST and `mark_sent`).

use rusqlite::{OptionalExtension, params};

use super::sqlite::Sqlite;
use super::{FeedbackChange, NewFeedbackEvent, SpotScore, StoreError};
use crate::domain::{SourceId, Ts};

/// The outbox kinds.
pub const KIND_SPOT_CHECK: &str = "spot_check";
pub const KIND_FEEDBACK_STAGE: &str = "feedback_stage";

/// A row to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOutboxEntry {
    pub idempotency_key: String,
    /// The CRM it goes to, e.g. "rt".
    pub target: String,
    /// The ticket or contact id in that CRM (for RT the bare number).
    pub ticket: String,
    /// [`KIND_SPOT_CHECK`] or [`KIND_FEEDBACK_STAGE`].
    pub kind: String,
    /// The comment text (without the idempotency key line).
    pub body: String,
    pub created_at: Ts,
}

/// A queued row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: i64,
    pub idempotency_key: String,
    pub target: String,
    pub ticket: String,
    pub kind: String,
    pub body: String,
    pub created_at: Ts,
    /// Attempts started (0: never tried; more: tried and maybe posted).
    pub attempts: u32,
    pub next_attempt_at: Ts,
    pub sent_at: Option<Ts>,
    pub last_error: Option<String>,
    /// Who started the last attempt (`[user] name` or the login name of
    /// the console that claimed it).
    pub claimed_by: Option<String>,
}

pub use crate::domain::status::OutboxSummary;

/// The RT ticket number of a floor id `rt-N` (contacts and feedback items
/// read from RT); `None` for ids from other sources.
pub fn rt_ticket_of(id: &str) -> Option<u64> {
    id.strip_prefix("rt-")?.parse().ok().filter(|n| *n > 0)
}

/// The key of a saved scorecard.
pub fn spot_key(contact: &str, score_id: i64) -> String {
    format!("spot:{contact}:{score_id}")
}

/// The key of a saved feedback event.
pub fn feedback_key(item: &str, event_id: i64) -> String {
    format!("fb:{item}:{event_id}")
}

/// The comment text for a scorecard.
pub fn spot_comment(s: &SpotScore) -> String {
    let dims: Vec<String> = s
        .dimensions
        .iter()
        .map(|(name, v)| format!("{name} {v}/{}", s.scale_max))
        .collect();
    let mut critical = Vec::new();
    for (found, name) in [
        (s.critical_customer, "customer"),
        (s.critical_business, "business"),
        (s.critical_compliance, "compliance"),
    ] {
        if found {
            critical.push(name);
        }
    }
    let mut text = format!(
        "Spot check by {} ({}): {} ({})\nCritical errors: {}",
        s.author,
        s.day.format("%Y-%m-%d"),
        crate::i18n::score_total(crate::i18n::Lang::En, &s.score_total(), false),
        dims.join(", "),
        if critical.is_empty() {
            "none".to_owned()
        } else {
            critical.join(", ")
        }
    );
    if let Some(rc) = s.root_cause_word() {
        text.push_str(&format!("\nRoot cause: {rc}"));
    }
    if !s.comment.trim().is_empty() {
        text.push_str(&format!("\nComment: {}", s.comment.trim()));
    }
    text
}

/// The comment text for a stage change.
pub fn stage_comment(e: &NewFeedbackEvent, stage: &str) -> String {
    format!(
        "Feedback {} moved to stage {stage} by {} at {}",
        e.item,
        e.author,
        e.at.to_rfc3339()
    )
}

fn row_to_entry(r: &rusqlite::Row) -> rusqlite::Result<OutboxEntry> {
    Ok(OutboxEntry {
        id: r.get(0)?,
        idempotency_key: r.get(1)?,
        target: r.get(2)?,
        ticket: r.get(3)?,
        kind: r.get(4)?,
        body: r.get(5)?,
        created_at: Ts::from_nanos(r.get(6)?),
        attempts: r.get(7)?,
        next_attempt_at: Ts::from_nanos(r.get(8)?),
        sent_at: r.get::<_, Option<i64>>(9)?.map(Ts::from_nanos),
        last_error: r.get(10)?,
        claimed_by: r.get(11)?,
    })
}

const COLUMNS: &str = "id, idempotency_key, target, ticket, kind, body, created_at, attempts,
     next_attempt_at, sent_at, last_error, claimed_by";

impl Sqlite {
    /// Queues a row, due at once. `false` when its key is already queued
    /// (sent or not): an entry is never queued twice.
    pub fn enqueue_outbox(&self, e: &NewOutboxEntry) -> Result<bool, StoreError> {
        let conn = &self.conn;
        let n = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO outbox (idempotency_key, target, ticket, kind, body,
                     created_at, next_attempt_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    e.idempotency_key,
                    e.target,
                    e.ticket,
                    e.kind,
                    e.body,
                    e.created_at.nanos()
                ])
            })
            .map_err(|err| self.map(err))?;
        Ok(n == 1)
    }

    /// Unsent rows due at `now` (next_attempt_at ≤ now), oldest due first.
    pub fn due_outbox(&self, now: Ts, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM outbox
                 WHERE sent_at IS NULL AND next_attempt_at <= ?1
                 ORDER BY next_attempt_at, id LIMIT ?2"
            ))
            .map_err(|e| self.map(e))?;
        let rows = st
            .query_map(
                params![now.nanos(), limit.min(i64::MAX as usize) as i64],
                row_to_entry,
            )
            .map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }

    /// The unsent rows at a glance, for the console's header.
    pub fn outbox_summary(&self) -> Result<OutboxSummary, StoreError> {
        let (unsent, failing, oldest): (i64, i64, Option<i64>) = self
            .conn
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(last_error IS NOT NULL), 0), MIN(created_at)
                 FROM outbox WHERE sent_at IS NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.map(e))?;
        let last_error: Option<String> = if failing > 0 {
            self.conn
                .query_row(
                    "SELECT last_error FROM outbox
                     WHERE sent_at IS NULL AND last_error IS NOT NULL
                     ORDER BY attempts DESC, id DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.map(e))?
        } else {
            None
        };
        Ok(OutboxSummary {
            unsent: unsent.max(0) as u64,
            failing: failing.max(0) as u64,
            oldest_unsent: oldest.map(Ts::from_nanos),
            last_error,
        })
    }

    /// One row by its key (tests and the console's status).
    pub fn outbox_by_key(&self, key: &str) -> Result<Option<OutboxEntry>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM outbox WHERE idempotency_key = ?1"),
                [key],
                row_to_entry,
            )
            .optional()
            .map_err(|e| self.map(e))
    }

    /// Every row, in queueing order.
    pub fn all_outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id"))
            .map_err(|e| self.map(e))?;
        let rows = st.query_map([], row_to_entry).map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }

    /// The CRM acknowledged the row. Only an unsent row is marked, so the
    /// first acknowledgement's time stays.
    pub fn mark_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        let conn = &self.conn;
        conn.execute(
            "UPDATE outbox SET sent_at = ?2, last_error = NULL WHERE id = ?1 AND sent_at IS NULL",
            params![id, at.nanos()],
        )
        .map_err(|e| self.map(e))?;
        Ok(())
    }

    /// Records, before the POST, that an attempt starts: `attempts` counts
    /// attempts started, and the row is not due again before `retry_at`.
    /// After a crash between a POST and [`super::Store::mark_sent`] the row has
    /// `attempts > 0`, which makes the sender look for it on the ticket
    /// before posting again.
    ///
    /// A claim: it counts only if the row still has the `seen` attempts it
    /// was read with, so of two flushers on one store (a desk console and
    /// the huddle screen) only one posts it. `false`: another took it.
    pub fn begin_attempt(
        &self,
        id: i64,
        seen: u32,
        retry_at: Ts,
        by: &str,
    ) -> Result<bool, StoreError> {
        let conn = &self.conn;
        let n = conn
            .execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, claimed_by = ?4
                 WHERE id = ?1 AND sent_at IS NULL AND attempts = ?3",
                params![id, retry_at.nanos(), seen, by],
            )
            .map_err(|e| self.map(e))?;
        Ok(n == 1)
    }

    /// An attempt failed: keep the (credential-free) error and wait until
    /// `next_attempt_at`. A row never begun (`attempts` 0) counts one.
    pub fn mark_failed(&self, id: i64, error: &str, next_attempt_at: Ts) -> Result<(), StoreError> {
        let conn = &self.conn;
        conn.execute(
            "UPDATE outbox SET attempts = MAX(attempts, 1), last_error = ?2, next_attempt_at = ?3
             WHERE id = ?1 AND sent_at IS NULL",
            params![id, error, next_attempt_at.nanos()],
        )
        .map_err(|e| self.map(e))?;
        Ok(())
    }

    /// Saves a scorecard and, for an RT contact (`rt-N`), queues its comment,
    /// in one transaction. Returns the score's row id and whether a row was
    /// queued.
    pub fn save_score_with_outbox(
        &self,
        source: &SourceId,
        s: &SpotScore,
    ) -> Result<(i64, bool), StoreError> {
        let conn = &self.conn;
        let tx = conn.unchecked_transaction().map_err(|e| self.map(e))?;
        let id = self.save_score(source, s)?;
        let queued = match rt_ticket_of(&s.contact) {
            Some(ticket) => self.enqueue_outbox(&NewOutboxEntry {
                idempotency_key: spot_key(&s.contact, id),
                target: "rt".into(),
                ticket: ticket.to_string(),
                kind: KIND_SPOT_CHECK.into(),
                body: spot_comment(s),
                created_at: s.saved_at,
            })?,
            None => false,
        };
        tx.commit().map_err(|e| self.map(e))?;
        Ok((id, queued))
    }

    /// Appends a feedback event and, for a stage change of an RT item
    /// (`rt-N`), queues its comment, in one transaction. Returns the event
    /// id and whether a row was queued. Other changes are not written back.
    pub fn add_feedback_event_with_outbox(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<(i64, bool), StoreError> {
        let conn = &self.conn;
        let tx = conn.unchecked_transaction().map_err(|e| self.map(e))?;
        let id = self.add_feedback_event(source, e)?;
        let queued = match (&e.change, rt_ticket_of(&e.item)) {
            (FeedbackChange::Stage(stage), Some(ticket)) => {
                self.enqueue_outbox(&NewOutboxEntry {
                    idempotency_key: feedback_key(&e.item, id),
                    target: "rt".into(),
                    ticket: ticket.to_string(),
                    kind: KIND_FEEDBACK_STAGE.into(),
                    body: stage_comment(e, stage),
                    created_at: e.at,
                })?
            }
            _ => false,
        };
        tx.commit().map_err(|e| self.map(e))?;
        Ok((id, queued))
    }
}
