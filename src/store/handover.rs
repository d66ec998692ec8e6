//! The incoming lead's acknowledgement of a shift's handover (schema v7):
//! one row per source and shift (the handover's window), with who
//! acknowledged it and when. The first acknowledgement stays, as for
//! alerts: a second lead acknowledging the same handover is told who did
//! first. Durable when the call returns.

use chrono_tz::Tz;
use rusqlite::{OptionalExtension, params};

use super::sqlite::Sqlite;
use super::{Store, StoreError};
use crate::domain::calendar::{iso_week_label, local_date};
use crate::domain::handover::StoreEntries;
use crate::domain::{SourceId, Ts, Window};

pub use crate::domain::handover::HandoverAck;

/// Which of the handover's entries a read failed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntriesPart {
    Alerts,
    Followups,
    Scores,
    /// The notes of this ISO week.
    Notes(String),
    Ack,
}

/// What the store holds for the handover of `shift` at `now` (the
/// handle's source): the alerts since the shift's start, every follow-up
/// event up to `now`, the contacts scored on the local day of `now`, the
/// KPI notes of the shift's ISO week and the acknowledgement. The report
/// and the console's view read the same.
pub fn read_entries(
    store: &Store,
    shift: Window,
    now: Ts,
    tz: Tz,
) -> Result<StoreEntries, (EntriesPart, StoreError)> {
    let day = local_date(now, tz);
    let alerts = store
        .recent_alerts(shift.from, 10_000)
        .map_err(|e| (EntriesPart::Alerts, e))?;
    let followups = store
        .feedback_events(Ts::from_secs(0), now.add_secs(1))
        .map_err(|e| (EntriesPart::Followups, e))?
        .iter()
        .filter_map(|e| e.to_followup())
        .collect();
    let scored = store
        .scores(day, day)
        .map_err(|e| (EntriesPart::Scores, e))?
        .into_iter()
        .map(|s| s.contact)
        .collect();
    let week = iso_week_label(local_date(shift.from, tz));
    let notes = store
        .kpi_notes(&week)
        .map_err(|e| (EntriesPart::Notes(week.clone()), e))?;
    let ack = store
        .handover_ack(shift)
        .map_err(|e| (EntriesPart::Ack, e))?;
    Ok(StoreEntries {
        alerts,
        followups,
        scored,
        notes,
        ack,
    })
}

impl Sqlite {
    /// Saves `who`'s acknowledgement of the handover of `shift` at `at`.
    /// `Ok(None)`: saved; `Ok(Some(earlier))`: the shift's handover was
    /// acknowledged before (kept, nothing written).
    pub fn ack_handover(
        &self,
        source: &SourceId,
        shift: Window,
        who: &str,
        at: Ts,
    ) -> Result<Option<HandoverAck>, StoreError> {
        let n = self
            .conn
            .execute(
                "INSERT INTO handover_ack (source, shift_from, shift_to, who, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (source, shift_from, shift_to) DO NOTHING",
                params![
                    source.as_str(),
                    shift.from.nanos(),
                    shift.to.nanos(),
                    who,
                    at.nanos()
                ],
            )
            .map_err(|e| self.map(e))?;
        if n == 1 {
            return Ok(None);
        }
        self.handover_ack(source, shift)
    }

    /// Who acknowledged the handover of `shift`, if anyone.
    pub fn handover_ack(
        &self,
        source: &SourceId,
        shift: Window,
    ) -> Result<Option<HandoverAck>, StoreError> {
        self.conn
            .query_row(
                "SELECT who, at FROM handover_ack
                 WHERE source = ?1 AND shift_from = ?2 AND shift_to = ?3",
                params![source.as_str(), shift.from.nanos(), shift.to.nanos()],
                |r| {
                    Ok(HandoverAck {
                        who: r.get(0)?,
                        at: Ts::from_nanos(r.get(1)?),
                    })
                },
            )
            .optional()
            .map_err(|e| self.map(e))
    }
}
