//! The day's spot-check sample (stored when first drawn, so the list stays
//! stable across restarts) and the scorecards. A contact scored again gets
//! a new row; the newest row is its score, older rows stay as history.
//! Both belong to the handle's source (schema v4).

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::StoreError;
use super::sqlite::Sqlite;
pub use crate::domain::scorecard::SpotScore;
use crate::domain::{SourceId, Ts};

/// One contact of a day's sample as first listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleRow {
    pub contact: String,
    pub agent: String,
    /// "random" or "targeted".
    pub list: String,
}

pub(super) fn day_key(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The dimensions as stored (a JSON list of `[name, score]`).
pub(super) fn dimensions_json(s: &SpotScore) -> Result<String, StoreError> {
    serde_json::to_string(&s.dimensions)
        .map_err(|e| StoreError::from(rusqlite::Error::ToSqlConversionFailure(Box::new(e))))
}

pub(super) fn parse_day(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Sqlite {
    /// The sample stored for `day`, in listing order; empty if none yet.
    pub fn sample(&self, source: &SourceId, day: NaiveDate) -> Result<Vec<SampleRow>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT contact, agent, list FROM spot_sample
                 WHERE source = ?1 AND day = ?2 ORDER BY position",
            )
            .map_err(|e| self.map(e))?;
        let rows = st
            .query_map([source.as_str(), &day_key(day)], |r| {
                Ok(SampleRow {
                    contact: r.get(0)?,
                    agent: r.get(1)?,
                    list: r.get(2)?,
                })
            })
            .map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }

    /// Adds the contacts of `rows` not yet in `day`'s sample (one
    /// transaction); the ones already there keep their first listing.
    /// Returns how many were added.
    pub fn add_to_sample(
        &self,
        source: &SourceId,
        day: NaiveDate,
        rows: &[SampleRow],
        at: Ts,
        by: &str,
    ) -> Result<usize, StoreError> {
        let key = day_key(day);
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(|e| StoreError::at(&self.path, e))?;
        let mut added = 0;
        {
            let next: i64 = tx
                .query_row(
                    "SELECT COALESCE(MAX(position) + 1, 0) FROM spot_sample
                     WHERE source = ?1 AND day = ?2",
                    [source.as_str(), &key],
                    |r| r.get(0),
                )
                .map_err(|e| StoreError::at(&self.path, e))?;
            let mut st = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO spot_sample
                         (day, contact, agent, list, position, drawn_at, source, drawn_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(|e| StoreError::at(&self.path, e))?;
            for r in rows {
                added += st
                    .execute(params![
                        key,
                        r.contact,
                        r.agent,
                        r.list,
                        next + added as i64,
                        at.nanos(),
                        source.as_str(),
                        by
                    ])
                    .map_err(|e| StoreError::at(&self.path, e))?;
            }
        }
        tx.commit().map_err(|e| StoreError::at(&self.path, e))?;
        Ok(added)
    }

    /// Saves a scorecard; returns its row id once it is durable.
    pub fn save_score(&self, source: &SourceId, s: &SpotScore) -> Result<i64, StoreError> {
        let conn = &self.conn;
        let dims = dimensions_json(s)?;
        conn.prepare_cached(
            "INSERT INTO spot_score (day, contact, agent, dimensions, critical_customer,
                 critical_business, critical_compliance, root_cause, comment, author, saved_at, scale_max,
                 source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .and_then(|mut st| {
            st.execute(params![
                day_key(s.day),
                s.contact,
                s.agent,
                dims,
                s.critical_customer,
                s.critical_business,
                s.critical_compliance,
                s.root_cause_word(),
                s.comment,
                s.author,
                s.saved_at.nanos(),
                s.scale_max,
                source.as_str()
            ])
        })
        .map_err(|e| self.map(e))?;
        Ok(conn.last_insert_rowid())
    }

    /// The current score of each contact sampled on a day in `from..=to`,
    /// with its source, ordered by source, day, agent, contact: `source`'s
    /// only, or every source's.
    pub fn scores_of(
        &self,
        source: Option<&SourceId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(SourceId, SpotScore)>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, day, contact, agent, dimensions, critical_customer, critical_business,
                        critical_compliance, root_cause, comment, author, saved_at, scale_max, source
                 FROM spot_score s
                 WHERE day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR source = ?3)
                   AND id = (SELECT MAX(id) FROM spot_score t
                             WHERE t.source = s.source AND t.day = s.day AND t.contact = s.contact)
                 ORDER BY source, day, agent, contact",
            )
            .map_err(|e| self.map(e))?;
        let rows = st
            .query_map(
                params![day_key(from), day_key(to), source.map(SourceId::as_str)],
                |r| Ok((SourceId::new(r.get::<_, String>(13)?), row_to_score(r)?)),
            )
            .map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }

    /// One score by row id (the durability check reads entries back this way).
    pub fn score_by_id(&self, id: i64) -> Result<Option<SpotScore>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, day, contact, agent, dimensions, critical_customer, critical_business,
                        critical_compliance, root_cause, comment, author, saved_at, scale_max
                 FROM spot_score WHERE id = ?1",
                [id],
                row_to_score,
            )
            .optional()
            .map_err(|e| self.map(e))
    }
}

fn row_to_score(r: &rusqlite::Row) -> rusqlite::Result<SpotScore> {
    let dims: String = r.get(4)?;
    let dimensions: Vec<(String, u8)> = serde_json::from_str(&dims).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(SpotScore {
        id: Some(r.get(0)?),
        day: parse_day(&r.get::<_, String>(1)?)?,
        contact: r.get(2)?,
        agent: r.get(3)?,
        dimensions,
        critical_customer: r.get(5)?,
        critical_business: r.get(6)?,
        critical_compliance: r.get(7)?,
        root_cause: r
            .get::<_, Option<String>>(8)?
            .as_deref()
            .and_then(crate::domain::RootCause::from_known),
        comment: r.get(9)?,
        author: r.get(10)?,
        saved_at: Ts::from_nanos(r.get(11)?),
        scale_max: r.get(12)?,
    })
}
