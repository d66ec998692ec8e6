//! The lead's cause and action notes per KPI and ISO week, entered on the
//! KPI pane and printed in the weekly report. One note per (week, KPI): a
//! later save replaces the earlier one. Notes belong
//! to the handle's source (schema v4).

use rusqlite::params;

use super::StoreError;
use super::sqlite::Sqlite;
use crate::domain::{SourceId, Ts};

pub use crate::domain::notes::KpiNote;

impl Sqlite {
    pub fn save_kpi_note(&self, source: &SourceId, n: &KpiNote) -> Result<(), StoreError> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT INTO kpi_note (week, kpi, cause, action, author, saved_at, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (source, week, kpi) DO UPDATE SET cause = excluded.cause,
                 action = excluded.action, author = excluded.author, saved_at = excluded.saved_at",
        )
        .and_then(|mut st| {
            st.execute(params![
                n.week,
                n.kpi,
                n.cause,
                n.action,
                n.author,
                n.saved_at.nanos(),
                source.as_str()
            ])
        })
        .map_err(|e| self.map(e))?;
        Ok(())
    }

    /// This handle's source's notes of one ISO week, by KPI key.
    pub fn kpi_notes(&self, source: &SourceId, week: &str) -> Result<Vec<KpiNote>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT week, kpi, cause, action, author, saved_at FROM kpi_note
                 WHERE source = ?1 AND week = ?2 ORDER BY kpi",
            )
            .map_err(|e| self.map(e))?;
        let rows = st
            .query_map([source.as_str(), week], |r| {
                Ok(KpiNote {
                    week: r.get(0)?,
                    kpi: r.get(1)?,
                    cause: r.get(2)?,
                    action: r.get(3)?,
                    author: r.get(4)?,
                    saved_at: Ts::from_nanos(r.get(5)?),
                })
            })
            .map_err(|e| self.map(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.map(e))
    }
}
