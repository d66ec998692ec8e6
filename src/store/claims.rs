//! Scorecard claims: a lead who opens a contact's scorecard holds it for a
//! while, so a second lead opening it is told who is scoring it instead of
//! scoring it twice. A claim expires by itself (a console that crashed or
//! a lead who walked away does not hold a contact for ever); the holder's
//! own claim is renewed when they open it again, released when they save
//! or cancel.

use chrono::NaiveDate;
use rusqlite::params;

use super::StoreError;
use super::backend::Claim;
use super::spot_checks::day_key;
use super::sqlite::Sqlite;
use crate::domain::{SourceId, Ts};

impl Sqlite {
    /// Takes the claim of `contact` on `day` for `lead` until `until`,
    /// unless another lead holds one that has not expired at `now`.
    pub fn claim_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
        now: Ts,
        until: Ts,
    ) -> Result<Claim, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.map(e))?;
        // One statement: taken when free, expired or already this lead's.
        let n = tx
            .execute(
                "INSERT INTO scorecard_claim (day, contact, lead, claimed_at, expires_at, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (source, day, contact) DO UPDATE SET lead = excluded.lead,
                     claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
                 WHERE scorecard_claim.lead = excluded.lead
                    OR scorecard_claim.expires_at <= excluded.claimed_at",
                params![
                    day_key(day),
                    contact,
                    lead,
                    now.nanos(),
                    until.nanos(),
                    source.as_str()
                ],
            )
            .map_err(|e| self.map(e))?;
        let claim = if n == 1 {
            Claim::Mine { until }
        } else {
            let (by, until): (String, i64) = tx
                .query_row(
                    "SELECT lead, expires_at FROM scorecard_claim
                     WHERE day = ?1 AND contact = ?2 AND source = ?3",
                    params![day_key(day), contact, source.as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(|e| self.map(e))?;
            Claim::Taken {
                by,
                until: Ts::from_nanos(until),
            }
        };
        tx.commit().map_err(|e| self.map(e))?;
        Ok(claim)
    }

    /// Gives up `lead`'s claim (saved or cancelled); another lead's claim
    /// is left alone.
    pub fn release_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM scorecard_claim
                 WHERE day = ?1 AND contact = ?2 AND lead = ?3 AND source = ?4",
                params![day_key(day), contact, lead, source.as_str()],
            )
            .map_err(|e| self.map(e))?;
        Ok(())
    }
}
