//! Entries loaded from a CSV file (`shiftdeck import spot-checks|feedback`,
//! see docs/store.md "Importing").
//!
//! Idempotent by content, with no marker to keep: an imported scorecard is
//! left out when the store already holds one of the same source, day and
//! contact with the same agent, scores, scale, critical errors, root cause,
//! comment, scorer and save time (the save time only when the file gave
//! one); an imported follow-up event when one of the same source, item,
//! time, author, kind and value is there. So the same file imported twice,
//! or again after an import was killed, or an export imported into the
//! store it came from, leaves each entry once, while a row edited in the
//! spreadsheet comes in as a new scorecard (the newest counts, the old one
//! stays as history, as when a lead scores a contact again).
//!
//! Each call is one transaction: a batch is all in or all out, and a row is
//! never half-written. Concurrent imports on PostgreSQL take turns (an
//! advisory lock), so two of the same file still leave each entry once.
//! Every imported row records who imported it (`imported_by`, schema v8 on
//! SQLite, v3 on PostgreSQL); its `author` stays the scorer or author the
//! file names.

use rusqlite::{OptionalExtension, params};

use super::spot_checks::{day_key, dimensions_json};
use super::sqlite::Sqlite;
use super::{NewFeedbackEvent, SpotScore, StoreError};
use crate::domain::SourceId;

/// A scorecard read from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedScore {
    pub source: SourceId,
    pub score: SpotScore,
    /// The file gave the save time (`score.saved_at`); otherwise it is the
    /// time of the import and the duplicate check leaves it out.
    pub saved_at_given: bool,
}

/// A follow-up event read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedEvent {
    pub source: SourceId,
    pub event: NewFeedbackEvent,
}

/// What one imported row became.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    /// Saved now.
    Added,
    /// The store already held it; nothing written.
    Present,
}

impl Imported {
    /// From the rows an insert-if-absent changed: one saved it, none found
    /// it already there.
    pub fn from_changed(rows: u64) -> Imported {
        if rows == 1 {
            Imported::Added
        } else {
            Imported::Present
        }
    }
}

/// The SQL both backends use, in SQLite's placeholders; PostgreSQL's
/// differ only in `$n` and `IS NOT DISTINCT FROM`.
const SQLITE_INSERT_SCORE: &str = "
INSERT INTO spot_score (day, contact, agent, dimensions, critical_customer, critical_business,
    critical_compliance, root_cause, comment, author, saved_at, scale_max, source, imported_by)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14
WHERE NOT EXISTS (
    SELECT 1 FROM spot_score
    WHERE source = ?13 AND day = ?1 AND contact = ?2 AND agent = ?3 AND dimensions = ?4
      AND critical_customer = ?5 AND critical_business = ?6 AND critical_compliance = ?7
      AND root_cause IS ?8 AND comment = ?9 AND author = ?10 AND scale_max = ?12
      AND (?15 = 0 OR saved_at = ?11))";

const SQLITE_INSERT_EVENT: &str = "
INSERT INTO feedback_event (item, at, author, kind, value, source, imported_by)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
WHERE NOT EXISTS (
    SELECT 1 FROM feedback_event
    WHERE source = ?6 AND at = ?2 AND item = ?1 AND author = ?3 AND kind = ?4 AND value = ?5)";

impl Sqlite {
    /// Saves the scorecards of `rows` the store does not hold yet, in one
    /// transaction, each as imported by `by`; says per row what it became.
    pub fn import_scores(
        &self,
        rows: &[ImportedScore],
        by: &str,
    ) -> Result<Vec<Imported>, StoreError> {
        self.import_rows(SQLITE_INSERT_SCORE, rows, |st, r| {
            let s = &r.score;
            st.execute(params![
                day_key(s.day),
                s.contact,
                s.agent,
                dimensions_json(s)?,
                s.critical_customer,
                s.critical_business,
                s.critical_compliance,
                s.root_cause_word(),
                s.comment,
                s.author,
                s.saved_at.nanos(),
                s.scale_max,
                r.source.as_str(),
                by,
                r.saved_at_given,
            ])
            .map_err(|e| self.map(e))
        })
    }

    /// Saves the follow-up events of `rows` the store does not hold yet, in
    /// one transaction, each as imported by `by`.
    pub fn import_feedback(
        &self,
        rows: &[ImportedEvent],
        by: &str,
    ) -> Result<Vec<Imported>, StoreError> {
        self.import_rows(SQLITE_INSERT_EVENT, rows, |st, r| {
            let e = &r.event;
            st.execute(params![
                e.item,
                e.at.nanos(),
                e.author,
                e.change.kind(),
                e.change.value(),
                r.source.as_str(),
                by,
            ])
            .map_err(|e| self.map(e))
        })
    }

    /// Runs the insert-if-absent `sql` once per row (`insert` binds the
    /// row and says how many rows it changed), all in one transaction.
    fn import_rows<R>(
        &self,
        sql: &str,
        rows: &[R],
        mut insert: impl FnMut(&mut rusqlite::CachedStatement<'_>, &R) -> Result<usize, StoreError>,
    ) -> Result<Vec<Imported>, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.map(e))?;
        let mut out = Vec::with_capacity(rows.len());
        {
            let mut st = tx.prepare_cached(sql).map_err(|e| self.map(e))?;
            for r in rows {
                out.push(Imported::from_changed(insert(&mut st, r)? as u64));
            }
        }
        tx.commit().map_err(|e| self.map(e))?;
        Ok(out)
    }

    /// Who imported the scorecard `id` (`None`: entered in the console).
    pub fn score_imported_by(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT imported_by FROM spot_score WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.map(e))
    }
}

/// PostgreSQL's form of the same statements.
pub(super) const PG_INSERT_SCORE: &str = "
INSERT INTO spot_score (day, contact, agent, dimensions, critical_customer, critical_business,
    critical_compliance, root_cause, comment, author, saved_at, scale_max, source, imported_by)
SELECT $1::TEXT, $2::TEXT, $3::TEXT, $4::TEXT, $5::BOOLEAN, $6::BOOLEAN, $7::BOOLEAN, $8::TEXT,
    $9::TEXT, $10::TEXT, $11::BIGINT, $12::INTEGER, $13::TEXT, $14::TEXT
WHERE NOT EXISTS (
    SELECT 1 FROM spot_score
    WHERE source = $13 AND day = $1 AND contact = $2 AND agent = $3 AND dimensions = $4
      AND critical_customer = $5 AND critical_business = $6 AND critical_compliance = $7
      AND root_cause IS NOT DISTINCT FROM $8::TEXT AND comment = $9 AND author = $10
      AND scale_max = $12 AND (NOT $15::BOOLEAN OR saved_at = $11))";

pub(super) const PG_INSERT_EVENT: &str = "
INSERT INTO feedback_event (item, at, author, kind, value, source, imported_by)
SELECT $1::TEXT, $2::BIGINT, $3::TEXT, $4::TEXT, $5::TEXT, $6::TEXT, $7::TEXT
WHERE NOT EXISTS (
    SELECT 1 FROM feedback_event
    WHERE source = $6 AND at = $2 AND item = $1 AND author = $3 AND kind = $4 AND value = $5)";

/// Imports on one PostgreSQL database take turns (any value; fixed).
pub(super) const PG_IMPORT_LOCK: i64 = 0x5348_4946_5449_4d50;
