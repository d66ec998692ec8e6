//! Alerts in the store: the log of episodes (fired, cleared), the lead's
//! acknowledgements, and the alert delivery outbox that the webhook sender
//! (`shiftdeck watch`, the console) posts from. Schema: `schema::V5`.
//!
//! # The contract for senders
//!
//! Recording ([`super::Store::record_alert_fired`], [`super::Store::record_alert_cleared`])
//! is done by the engine that evaluates the rules; each call is one
//! `BEGIN IMMEDIATE` transaction that writes the episode change AND one
//! outbox row per delivery target, so a recorded fire or clear always has
//! its rows (never lost), and no row exists for a change that was not
//! recorded. At most one episode of an alert id is open at a time (a
//! partial UNIQUE index): of two processes on one data dir that see the
//! same rule become true, only the first records a fire and queues rows;
//! the other gets `None` and queues nothing (never doubled).
//!
//! A sender then loops:
//! 1. [`super::Store::due_alert_deliveries`]`(now, limit)`: unsent rows due at `now`.
//! 2. [`super::Store::claim_alert_delivery`]`(row.id, row.attempts, retry_at)`
//!    before posting: `true` = this sender owns this attempt until
//!    `retry_at`; `false` = another sender claimed it first (skip it). The
//!    claim is a compare-and-set on `attempts`, as for the CRM outbox
//!    (`store::outbox`). After a crash between the POST and step 3, the row
//!    comes due again at `retry_at` with `attempts > 0`.
//! 3. On success (2xx; for wecom/dingtalk errcode 0):
//!    [`super::Store::alert_delivery_sent`]. On failure:
//!    [`super::Store::alert_delivery_failed`] with a credential-free reason and the
//!    next attempt's time (backoff with jitter, Retry-After, are the
//!    sender's).
//!
//! A row's `target` is the name the caller gave when recording (the
//! engine's list of delivery targets, e.g. one per `[[alerts.webhook]]`);
//! `body` is the alert object of spec section 10 as JSON, its `message` in
//! the lead's language (for a clear, the "cleared: …" words); `event` is
//! `fired` or `cleared`.
//!
//! Sources: an episode belongs to the source its floor came from (the
//! handle's [`super::Store::source`], as the lead's entries do), so two floors'
//! alerts of the same id are two episodes and an engine resumes only its
//! own. Delivery rows are not per source: a sender posts every row due.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::StoreError;
use super::sqlite::Sqlite;
use crate::domain::alerts::AlertObject;
use crate::domain::{SourceId, Ts};

pub use crate::domain::alerts::{AlertAck, AlertEvent, AlertRecord};

/// One delivery row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertDelivery {
    pub id: i64,
    /// `alert:{episode}:{event}:{target}`, UNIQUE.
    pub idempotency_key: String,
    pub episode: i64,
    pub event: AlertEvent,
    pub target: String,
    /// The alert object (spec section 10) as JSON.
    pub body: String,
    pub created_at: Ts,
    /// Attempts claimed (0: never tried).
    pub attempts: u32,
    pub next_attempt_at: Ts,
    pub sent_at: Option<Ts>,
    pub last_error: Option<String>,
}

/// The key of an episode's delivery row for one target.
pub fn delivery_key(episode: i64, event: AlertEvent, target: &str) -> String {
    format!("alert:{episode}:{}:{target}", event.as_str())
}

const RECORD: &str = "a.id, a.alert_id, a.rule, a.subject, a.severity, a.since, a.fired_at,
     a.cleared_at, a.message, k.who, k.at";

fn row_to_record(r: &rusqlite::Row) -> rusqlite::Result<AlertRecord> {
    let who: Option<String> = r.get(9)?;
    let at: Option<i64> = r.get(10)?;
    Ok(AlertRecord {
        episode: r.get(0)?,
        alert_id: r.get(1)?,
        rule: r.get(2)?,
        subject: r.get(3)?,
        severity: r.get(4)?,
        since: Ts::from_nanos(r.get(5)?),
        fired_at: Ts::from_nanos(r.get(6)?),
        cleared_at: r.get::<_, Option<i64>>(7)?.map(Ts::from_nanos),
        message: r.get(8)?,
        ack: who.zip(at).map(|(who, at)| AlertAck {
            who,
            at: Ts::from_nanos(at),
        }),
    })
}

const DELIVERY: &str = "id, idempotency_key, episode, event, target, body, created_at, attempts,
     next_attempt_at, sent_at, last_error";

fn row_to_delivery(r: &rusqlite::Row) -> rusqlite::Result<AlertDelivery> {
    let event: String = r.get(3)?;
    Ok(AlertDelivery {
        id: r.get(0)?,
        idempotency_key: r.get(1)?,
        episode: r.get(2)?,
        event: AlertEvent::from_name(&event).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Text,
                format!("unknown alert event {event:?}").into(),
            )
        })?,
        target: r.get(4)?,
        body: r.get(5)?,
        created_at: Ts::from_nanos(r.get(6)?),
        attempts: r.get(7)?,
        next_attempt_at: Ts::from_nanos(r.get(8)?),
        sent_at: r.get::<_, Option<i64>>(9)?.map(Ts::from_nanos),
        last_error: r.get(10)?,
    })
}

pub(super) fn body_of(alert: &AlertObject) -> String {
    // A struct of strings and a timestamp: serialising it cannot fail.
    serde_json::to_string(alert).unwrap_or_default()
}

impl Sqlite {
    /// Records that `alert` fired at `at` and queues one delivery row per
    /// target, in one transaction. `Some(episode)`: a new episode;
    /// `None`: an episode of this alert id is already open (recorded by
    /// this or another process), and nothing was written.
    pub fn record_alert_fired(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        let conn = &self.conn;
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .map_err(|e| self.map(e))?;
        let n = tx
            .execute(
                "INSERT INTO alert (source, alert_id, rule, subject, severity, since, fired_at,
                     message)
                 VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (source, alert_id) WHERE cleared_at IS NULL DO NOTHING",
                params![
                    alert.id,
                    alert.rule.name(),
                    alert.subject,
                    alert.severity.as_str(),
                    alert.since.nanos(),
                    at.nanos(),
                    alert.message,
                    source.as_str()
                ],
            )
            .map_err(|e| self.map(e))?;
        if n == 0 {
            return Ok(None);
        }
        let episode = tx.last_insert_rowid();
        self.queue_deliveries(
            &tx,
            episode,
            AlertEvent::Fired,
            &body_of(alert),
            at,
            targets,
        )?;
        tx.commit().map_err(|e| self.map(e))?;
        Ok(Some(episode))
    }

    /// Records that the open episode of `alert.id` cleared at `at` and
    /// queues one delivery row per target, in one transaction. `alert` is
    /// the object the rows carry (its message saying the clear).
    /// `Some(episode)`: the episode closed; `None`: none was open (another
    /// process closed it), nothing written.
    pub fn record_alert_cleared(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        let conn = &self.conn;
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .map_err(|e| self.map(e))?;
        let episode: Option<i64> = tx
            .query_row(
                "UPDATE alert SET cleared_at = ?2
                 WHERE source = ?3 AND alert_id = ?1 AND cleared_at IS NULL
                 RETURNING id",
                params![alert.id, at.nanos(), source.as_str()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.map(e))?;
        let Some(episode) = episode else {
            return Ok(None);
        };
        self.queue_deliveries(
            &tx,
            episode,
            AlertEvent::Cleared,
            &body_of(alert),
            at,
            targets,
        )?;
        tx.commit().map_err(|e| self.map(e))?;
        Ok(Some(episode))
    }

    fn queue_deliveries(
        &self,
        tx: &rusqlite::Transaction<'_>,
        episode: i64,
        event: AlertEvent,
        body: &str,
        at: Ts,
        targets: &[String],
    ) -> Result<(), StoreError> {
        let mut st = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO alert_outbox (idempotency_key, episode, event, target,
                     body, created_at, next_attempt_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )
            .map_err(|e| self.map(e))?;
        for target in targets {
            st.execute(params![
                delivery_key(episode, event, target),
                episode,
                event.as_str(),
                target,
                body,
                at.nanos()
            ])
            .map_err(|e| self.map(e))?;
        }
        Ok(())
    }

    /// The open episodes, oldest first (to resume after a restart).
    pub fn open_alerts(&self, source: &SourceId) -> Result<Vec<AlertRecord>, StoreError> {
        self.alert_query(
            &format!(
                "SELECT {RECORD} FROM alert a LEFT JOIN alert_ack k ON k.alert = a.id
                 WHERE a.source = ?1 AND a.cleared_at IS NULL ORDER BY a.fired_at, a.id"
            ),
            params![source.as_str()],
        )
    }

    /// Episodes open now or cleared at or after `since`, newest fire first,
    /// at most `limit` (the console's overlay).
    pub fn recent_alerts(
        &self,
        source: &SourceId,
        since: Ts,
        limit: usize,
    ) -> Result<Vec<AlertRecord>, StoreError> {
        self.alert_query(
            &format!(
                "SELECT {RECORD} FROM alert a LEFT JOIN alert_ack k ON k.alert = a.id
                 WHERE a.source = ?3 AND (a.cleared_at IS NULL OR a.cleared_at >= ?1)
                 ORDER BY a.fired_at DESC, a.id DESC LIMIT ?2"
            ),
            params![
                since.nanos(),
                limit.min(i64::MAX as usize) as i64,
                source.as_str()
            ],
        )
    }

    fn alert_query(
        &self,
        sql: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<AlertRecord>, StoreError> {
        let mut st = self.conn.prepare_cached(sql).map_err(|e| self.map(e))?;
        let rows = st.query_map(args, row_to_record).map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }

    /// The lead acknowledges an episode: durable when this returns. The
    /// first acknowledgement stays: `Ok(Some(ack))` with the earlier one
    /// when the episode was already acknowledged, `Ok(None)` when this one
    /// was saved. An unknown episode is a constraint error.
    pub fn ack_alert(
        &self,
        episode: i64,
        who: &str,
        at: Ts,
    ) -> Result<Option<AlertAck>, StoreError> {
        let conn = &self.conn;
        let n = conn
            .execute(
                "INSERT INTO alert_ack (alert, who, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (alert) DO NOTHING",
                params![episode, who, at.nanos()],
            )
            .map_err(|e| self.map(e))?;
        if n == 1 {
            return Ok(None);
        }
        conn.query_row(
            "SELECT who, at FROM alert_ack WHERE alert = ?1",
            [episode],
            |r| {
                Ok(AlertAck {
                    who: r.get(0)?,
                    at: Ts::from_nanos(r.get(1)?),
                })
            },
        )
        .optional()
        .map_err(|e| self.map(e))
    }

    /// Unsent delivery rows due at `now`, oldest due first.
    pub fn due_alert_deliveries(
        &self,
        now: Ts,
        limit: usize,
    ) -> Result<Vec<AlertDelivery>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {DELIVERY} FROM alert_outbox
                 WHERE sent_at IS NULL AND next_attempt_at <= ?1
                 ORDER BY next_attempt_at, id LIMIT ?2"
            ))
            .map_err(|e| self.map(e))?;
        let rows = st
            .query_map(
                params![now.nanos(), limit.min(i64::MAX as usize) as i64],
                row_to_delivery,
            )
            .map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }

    /// Every delivery row, in queueing order (tests, status).
    pub fn all_alert_deliveries(&self) -> Result<Vec<AlertDelivery>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(&format!("SELECT {DELIVERY} FROM alert_outbox ORDER BY id"))
            .map_err(|e| self.map(e))?;
        let rows = st.query_map([], row_to_delivery).map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }

    /// Claims the next attempt of a row before posting it: counts only if
    /// the row is unsent and still has the `seen` attempts it was read
    /// with; the row is then not due again before `retry_at`. `false`:
    /// another sender claimed it first.
    pub fn claim_alert_delivery(
        &self,
        id: i64,
        seen: u32,
        retry_at: Ts,
    ) -> Result<bool, StoreError> {
        let conn = &self.conn;
        let n = conn
            .execute(
                "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?2
                 WHERE id = ?1 AND sent_at IS NULL AND attempts = ?3",
                params![id, retry_at.nanos(), seen],
            )
            .map_err(|e| self.map(e))?;
        Ok(n == 1)
    }

    /// The target acknowledged the row; the first time stays.
    pub fn alert_delivery_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        let conn = &self.conn;
        conn.execute(
            "UPDATE alert_outbox SET sent_at = ?2, last_error = NULL
             WHERE id = ?1 AND sent_at IS NULL",
            params![id, at.nanos()],
        )
        .map_err(|e| self.map(e))?;
        Ok(())
    }

    /// An attempt failed: keep the (credential-free) reason and wait until
    /// `next_attempt_at`. A row never claimed counts one attempt.
    pub fn alert_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Ts,
    ) -> Result<(), StoreError> {
        let conn = &self.conn;
        conn.execute(
            "UPDATE alert_outbox SET attempts = MAX(attempts, 1), last_error = ?2,
                 next_attempt_at = ?3
             WHERE id = ?1 AND sent_at IS NULL",
            params![id, error, next_attempt_at.nanos()],
        )
        .map_err(|e| self.map(e))?;
        Ok(())
    }
}
