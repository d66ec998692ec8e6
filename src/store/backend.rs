//! The one store interface: everything the console and the commands keep
//! (spot-check samples and scorecards, feedback follow-up events, KPI
//! notes, the CRM write-back outbox and its claims, scorecard claims), as
//! one trait with two implementations: [`super::sqlite::Sqlite`] (one file
//! in the data dir, the default) and [`super::pg::Pg`] (a PostgreSQL server
//! shared by a team). [`super::Store`] wraps either and adds what both need
//! alike (refusing writes when read-only, the author of its own entries).
//!
//! Every write is one transaction and is durable when the call returns;
//! the tests in `tests/it/store_backends.rs` run the same checks on both.

use chrono::NaiveDate;

use super::alerts::{AlertAck, AlertDelivery, AlertRecord};
use super::import::{Imported, ImportedEvent, ImportedScore};
use super::{
    FeedbackEvent, KpiNote, NewFeedbackEvent, NewOutboxEntry, OutboxEntry, OutboxSummary,
    SampleRow, SpotScore, StoreError,
};
use crate::domain::alerts::AlertObject;
use crate::domain::handover::HandoverAck;
use crate::domain::{SourceId, Ts, Window};

/// Which kind of store a [`super::Store`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

/// What a scorecard claim gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This lead holds it until `until` (new, renewed, or taken over after
    /// the other lead's claim expired).
    Mine { until: Ts },
    /// Another lead is scoring this contact; their claim ends at `until`.
    Taken { by: String, until: Ts },
}

/// A cheap summary of what the store holds, compared between two reads to
/// see whether another console wrote something (the console reads it once
/// a second and reloads only when it changed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChangeStamp {
    /// The newest scorecard row id and the number of rows.
    pub scores: (i64, i64),
    /// The newest feedback event id and the number of events.
    pub feedback: (i64, i64),
    /// The newest KPI note save and the number of notes.
    pub notes: (i64, i64),
    /// The newest outbox row id, rows sent and attempts started.
    pub outbox: (i64, i64, i64),
    /// The newest alert episode, episodes cleared, acknowledgements.
    pub alerts: (i64, i64, i64),
    /// Handover acknowledgements.
    pub handovers: i64,
}

/// The operations every backend provides. Writes are refused by
/// [`super::Store`] before they get here when the store is read-only.
pub trait Backend: Send {
    fn kind(&self) -> BackendKind;
    /// Where it is, for messages and `store check`: the file path, or
    /// `host:port/db` (never a password).
    fn place(&self) -> String;
    fn schema_version(&self) -> Result<i64, StoreError>;
    /// The version this build writes.
    fn current_version(&self) -> i64;
    /// "ok" for a sound store, else what is wrong.
    fn integrity_check(&self) -> Result<String, StoreError>;

    // Spot checks.
    fn sample(&self, source: &SourceId, day: NaiveDate) -> Result<Vec<SampleRow>, StoreError>;
    fn add_to_sample(
        &self,
        source: &SourceId,
        day: NaiveDate,
        rows: &[SampleRow],
        at: Ts,
        by: &str,
    ) -> Result<usize, StoreError>;
    fn save_score(&self, source: &SourceId, s: &SpotScore) -> Result<i64, StoreError>;
    /// The newest score per contact and day in `from..=to`, with its
    /// source, ordered by source, day, agent, contact (as bytes): `source`'s
    /// only, or every source's when `None`.
    fn scores(
        &self,
        source: Option<&SourceId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(SourceId, SpotScore)>, StoreError>;
    fn score_by_id(&self, id: i64) -> Result<Option<SpotScore>, StoreError>;

    // Scorecard claims.
    fn claim_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
        now: Ts,
        until: Ts,
    ) -> Result<Claim, StoreError>;
    fn release_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
    ) -> Result<(), StoreError>;

    // Feedback follow-up.
    fn add_feedback_event(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<i64, StoreError>;
    /// Events with `from <= at < to`, oldest first (ties in saving
    /// order): `source`'s only, or every source's when `None`.
    fn feedback_events(
        &self,
        source: Option<&SourceId>,
        from: Ts,
        to: Ts,
    ) -> Result<Vec<FeedbackEvent>, StoreError>;

    // KPI notes.
    fn save_kpi_note(&self, source: &SourceId, n: &KpiNote) -> Result<(), StoreError>;
    fn kpi_notes(&self, source: &SourceId, week: &str) -> Result<Vec<KpiNote>, StoreError>;

    // The write-back outbox.
    fn enqueue_outbox(&self, e: &NewOutboxEntry) -> Result<bool, StoreError>;
    fn due_outbox(&self, now: Ts, limit: usize) -> Result<Vec<OutboxEntry>, StoreError>;
    fn outbox_summary(&self) -> Result<OutboxSummary, StoreError>;
    fn outbox_by_key(&self, key: &str) -> Result<Option<OutboxEntry>, StoreError>;
    fn all_outbox(&self) -> Result<Vec<OutboxEntry>, StoreError>;
    fn mark_sent(&self, id: i64, at: Ts) -> Result<(), StoreError>;
    fn begin_attempt(&self, id: i64, seen: u32, retry_at: Ts, by: &str)
    -> Result<bool, StoreError>;
    fn mark_failed(&self, id: i64, error: &str, next_attempt_at: Ts) -> Result<(), StoreError>;
    fn save_score_with_outbox(
        &self,
        source: &SourceId,
        s: &SpotScore,
    ) -> Result<(i64, bool), StoreError>;
    fn add_feedback_event_with_outbox(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<(i64, bool), StoreError>;

    // Alerts (see `alerts.rs` for the contract).
    fn record_alert_fired(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError>;
    fn record_alert_cleared(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError>;
    fn open_alerts(&self, source: &SourceId) -> Result<Vec<AlertRecord>, StoreError>;
    fn recent_alerts(
        &self,
        source: &SourceId,
        since: Ts,
        limit: usize,
    ) -> Result<Vec<AlertRecord>, StoreError>;
    fn ack_alert(&self, episode: i64, who: &str, at: Ts) -> Result<Option<AlertAck>, StoreError>;
    fn due_alert_deliveries(&self, now: Ts, limit: usize)
    -> Result<Vec<AlertDelivery>, StoreError>;
    fn all_alert_deliveries(&self) -> Result<Vec<AlertDelivery>, StoreError>;
    fn claim_alert_delivery(&self, id: i64, seen: u32, retry_at: Ts) -> Result<bool, StoreError>;
    fn alert_delivery_sent(&self, id: i64, at: Ts) -> Result<(), StoreError>;
    fn alert_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Ts,
    ) -> Result<(), StoreError>;

    // Imports (see `import.rs` for the contract): one transaction per call.
    fn import_scores(&self, rows: &[ImportedScore], by: &str) -> Result<Vec<Imported>, StoreError>;
    fn import_feedback(
        &self,
        rows: &[ImportedEvent],
        by: &str,
    ) -> Result<Vec<Imported>, StoreError>;
    /// Who imported the scorecard `id`; `None` when entered in the console.
    fn score_imported_by(&self, id: i64) -> Result<Option<String>, StoreError>;

    // Handover acknowledgements (see `handover.rs`).
    fn ack_handover(
        &self,
        source: &SourceId,
        shift: Window,
        who: &str,
        at: Ts,
    ) -> Result<Option<HandoverAck>, StoreError>;
    fn handover_ack(
        &self,
        source: &SourceId,
        shift: Window,
    ) -> Result<Option<HandoverAck>, StoreError>;

    /// See [`ChangeStamp`].
    fn change_stamp(&self) -> Result<ChangeStamp, StoreError>;
}
