//! The SQLite backend's answer to the [`Backend`] trait: each operation is
//! the [`Sqlite`] method of the same name (in the file of its kind of entry).

use chrono::NaiveDate;

use super::alerts::{AlertAck, AlertDelivery, AlertRecord};
use super::backend::{Backend, BackendKind, ChangeStamp, Claim};
use super::import::{Imported, ImportedEvent, ImportedScore};
use super::sqlite::Sqlite;
use super::{
    FeedbackEvent, KpiNote, NewFeedbackEvent, NewOutboxEntry, OutboxEntry, OutboxSummary,
    SampleRow, SpotScore, StoreError, schema,
};
use crate::domain::alerts::AlertObject;
use crate::domain::handover::HandoverAck;
use crate::domain::{SourceId, Ts, Window};

impl Sqlite {
    fn change_stamp_sql(&self) -> Result<ChangeStamp, StoreError> {
        self.conn
            .query_row(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM spot_score),
                        (SELECT COUNT(*) FROM spot_score),
                        (SELECT COALESCE(MAX(id), 0) FROM feedback_event),
                        (SELECT COUNT(*) FROM feedback_event),
                        (SELECT COALESCE(MAX(saved_at), 0) FROM kpi_note),
                        (SELECT COUNT(*) FROM kpi_note),
                        (SELECT COALESCE(MAX(id), 0) FROM outbox),
                        (SELECT COUNT(sent_at) FROM outbox),
                        (SELECT COALESCE(SUM(attempts), 0) FROM outbox),
                        (SELECT COALESCE(MAX(id), 0) FROM alert),
                        (SELECT COUNT(cleared_at) FROM alert),
                        (SELECT COUNT(*) FROM alert_ack),
                        (SELECT COUNT(*) FROM handover_ack)",
                [],
                |r| {
                    Ok(ChangeStamp {
                        scores: (r.get(0)?, r.get(1)?),
                        feedback: (r.get(2)?, r.get(3)?),
                        notes: (r.get(4)?, r.get(5)?),
                        outbox: (r.get(6)?, r.get(7)?, r.get(8)?),
                        alerts: (r.get(9)?, r.get(10)?, r.get(11)?),
                        handovers: r.get(12)?,
                    })
                },
            )
            .map_err(|e| self.map(e))
    }
}

impl Backend for Sqlite {
    fn kind(&self) -> BackendKind {
        BackendKind::Sqlite
    }
    fn place(&self) -> String {
        self.path.display().to_string()
    }
    fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(schema::version(&self.conn)?)
    }
    fn current_version(&self) -> i64 {
        schema::CURRENT
    }
    fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
    fn sample(&self, source: &SourceId, day: NaiveDate) -> Result<Vec<SampleRow>, StoreError> {
        Sqlite::sample(self, source, day)
    }
    fn add_to_sample(
        &self,
        source: &SourceId,
        day: NaiveDate,
        rows: &[SampleRow],
        at: Ts,
        by: &str,
    ) -> Result<usize, StoreError> {
        Sqlite::add_to_sample(self, source, day, rows, at, by)
    }
    fn save_score(&self, source: &SourceId, s: &SpotScore) -> Result<i64, StoreError> {
        Sqlite::save_score(self, source, s)
    }
    fn scores(
        &self,
        source: Option<&SourceId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(SourceId, SpotScore)>, StoreError> {
        Sqlite::scores_of(self, source, from, to)
    }
    fn score_by_id(&self, id: i64) -> Result<Option<SpotScore>, StoreError> {
        Sqlite::score_by_id(self, id)
    }
    fn claim_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
        now: Ts,
        until: Ts,
    ) -> Result<Claim, StoreError> {
        Sqlite::claim_scorecard(self, source, day, contact, lead, now, until)
    }
    fn release_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
    ) -> Result<(), StoreError> {
        Sqlite::release_scorecard(self, source, day, contact, lead)
    }
    fn add_feedback_event(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<i64, StoreError> {
        Sqlite::add_feedback_event(self, source, e)
    }
    fn feedback_events(
        &self,
        source: Option<&SourceId>,
        from: Ts,
        to: Ts,
    ) -> Result<Vec<FeedbackEvent>, StoreError> {
        Sqlite::feedback_events_of(self, source, from, to)
    }
    fn save_kpi_note(&self, source: &SourceId, n: &KpiNote) -> Result<(), StoreError> {
        Sqlite::save_kpi_note(self, source, n)
    }
    fn kpi_notes(&self, source: &SourceId, week: &str) -> Result<Vec<KpiNote>, StoreError> {
        Sqlite::kpi_notes(self, source, week)
    }
    fn enqueue_outbox(&self, e: &NewOutboxEntry) -> Result<bool, StoreError> {
        Sqlite::enqueue_outbox(self, e)
    }
    fn due_outbox(&self, now: Ts, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        Sqlite::due_outbox(self, now, limit)
    }
    fn outbox_summary(&self) -> Result<OutboxSummary, StoreError> {
        Sqlite::outbox_summary(self)
    }
    fn outbox_by_key(&self, key: &str) -> Result<Option<OutboxEntry>, StoreError> {
        Sqlite::outbox_by_key(self, key)
    }
    fn all_outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        Sqlite::all_outbox(self)
    }
    fn mark_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        Sqlite::mark_sent(self, id, at)
    }
    fn begin_attempt(
        &self,
        id: i64,
        seen: u32,
        retry_at: Ts,
        by: &str,
    ) -> Result<bool, StoreError> {
        Sqlite::begin_attempt(self, id, seen, retry_at, by)
    }
    fn mark_failed(&self, id: i64, error: &str, next_attempt_at: Ts) -> Result<(), StoreError> {
        Sqlite::mark_failed(self, id, error, next_attempt_at)
    }
    fn save_score_with_outbox(
        &self,
        source: &SourceId,
        s: &SpotScore,
    ) -> Result<(i64, bool), StoreError> {
        Sqlite::save_score_with_outbox(self, source, s)
    }
    fn add_feedback_event_with_outbox(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<(i64, bool), StoreError> {
        Sqlite::add_feedback_event_with_outbox(self, source, e)
    }
    fn record_alert_fired(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        Sqlite::record_alert_fired(self, source, alert, at, targets)
    }
    fn record_alert_cleared(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        Sqlite::record_alert_cleared(self, source, alert, at, targets)
    }
    fn open_alerts(&self, source: &SourceId) -> Result<Vec<AlertRecord>, StoreError> {
        Sqlite::open_alerts(self, source)
    }
    fn recent_alerts(
        &self,
        source: &SourceId,
        since: Ts,
        limit: usize,
    ) -> Result<Vec<AlertRecord>, StoreError> {
        Sqlite::recent_alerts(self, source, since, limit)
    }
    fn ack_alert(&self, episode: i64, who: &str, at: Ts) -> Result<Option<AlertAck>, StoreError> {
        Sqlite::ack_alert(self, episode, who, at)
    }
    fn due_alert_deliveries(
        &self,
        now: Ts,
        limit: usize,
    ) -> Result<Vec<AlertDelivery>, StoreError> {
        Sqlite::due_alert_deliveries(self, now, limit)
    }
    fn all_alert_deliveries(&self) -> Result<Vec<AlertDelivery>, StoreError> {
        Sqlite::all_alert_deliveries(self)
    }
    fn claim_alert_delivery(&self, id: i64, seen: u32, retry_at: Ts) -> Result<bool, StoreError> {
        Sqlite::claim_alert_delivery(self, id, seen, retry_at)
    }
    fn alert_delivery_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        Sqlite::alert_delivery_sent(self, id, at)
    }
    fn alert_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Ts,
    ) -> Result<(), StoreError> {
        Sqlite::alert_delivery_failed(self, id, error, next_attempt_at)
    }
    fn import_scores(&self, rows: &[ImportedScore], by: &str) -> Result<Vec<Imported>, StoreError> {
        Sqlite::import_scores(self, rows, by)
    }
    fn import_feedback(
        &self,
        rows: &[ImportedEvent],
        by: &str,
    ) -> Result<Vec<Imported>, StoreError> {
        Sqlite::import_feedback(self, rows, by)
    }
    fn score_imported_by(&self, id: i64) -> Result<Option<String>, StoreError> {
        Sqlite::score_imported_by(self, id)
    }
    fn ack_handover(
        &self,
        source: &SourceId,
        shift: Window,
        who: &str,
        at: Ts,
    ) -> Result<Option<HandoverAck>, StoreError> {
        Sqlite::ack_handover(self, source, shift, who, at)
    }
    fn handover_ack(
        &self,
        source: &SourceId,
        shift: Window,
    ) -> Result<Option<HandoverAck>, StoreError> {
        Sqlite::handover_ack(self, source, shift)
    }
    fn change_stamp(&self) -> Result<ChangeStamp, StoreError> {
        self.change_stamp_sql()
    }
}
