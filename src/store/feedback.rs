//! Feedback follow-up events: every change the lead makes to an item is one
//! row (time, author, what changed), never an update in place, so the
//! history is the audit trail and nothing entered is overwritten.

use rusqlite::params;

use super::StoreError;
use super::sqlite::Sqlite;
use crate::domain::{SourceId, Ts};

/// What a follow-up event changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedbackChange {
    Owner(String),
    /// The stage the item moved to (new, handling, resolved, callback, closed).
    Stage(String),
    Result(String),
    /// satisfied / unsatisfied / unreached.
    CallbackResult(String),
    /// agent, process, system, product.
    RootCause(String),
    /// coaching, process_change, tool_fix, product.
    Action(String),
}

impl FeedbackChange {
    pub fn kind(&self) -> &'static str {
        match self {
            FeedbackChange::Owner(_) => "owner",
            FeedbackChange::Stage(_) => "stage",
            FeedbackChange::Result(_) => "result",
            FeedbackChange::CallbackResult(_) => "callback_result",
            FeedbackChange::RootCause(_) => "root_cause",
            FeedbackChange::Action(_) => "action",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            FeedbackChange::Owner(v)
            | FeedbackChange::Stage(v)
            | FeedbackChange::Result(v)
            | FeedbackChange::CallbackResult(v)
            | FeedbackChange::RootCause(v)
            | FeedbackChange::Action(v) => v,
        }
    }

    pub fn from_parts(kind: &str, value: String) -> Option<FeedbackChange> {
        Some(match kind {
            "owner" => FeedbackChange::Owner(value),
            "stage" => FeedbackChange::Stage(value),
            "result" => FeedbackChange::Result(value),
            "callback_result" => FeedbackChange::CallbackResult(value),
            "root_cause" => FeedbackChange::RootCause(value),
            "action" => FeedbackChange::Action(value),
            _ => return None,
        })
    }
}

/// An event to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFeedbackEvent {
    pub item: String,
    pub at: Ts,
    pub author: String,
    pub change: FeedbackChange,
}

/// A saved event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackEvent {
    pub id: i64,
    /// The source it was entered against (schema v4).
    pub source: SourceId,
    pub item: String,
    pub at: Ts,
    pub author: String,
    pub change: FeedbackChange,
}

impl Sqlite {
    /// Appends one event; returns its id once it is durable.
    pub fn add_feedback_event(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<i64, StoreError> {
        let conn = &self.conn;
        conn.prepare_cached(
            "INSERT INTO feedback_event (item, at, author, kind, value, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut st| {
            st.execute(params![
                e.item,
                e.at.nanos(),
                e.author,
                e.change.kind(),
                e.change.value(),
                source.as_str()
            ])
        })
        .map_err(|err| self.map(err))?;
        Ok(conn.last_insert_rowid())
    }

    /// `source`'s events (every source's when `None`) with `from <= at <
    /// to`, oldest first (ties in saving order). Rows of a kind this build
    /// does not know are skipped.
    pub fn feedback_events_of(
        &self,
        source: Option<&SourceId>,
        from: Ts,
        to: Ts,
    ) -> Result<Vec<FeedbackEvent>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, item, at, author, kind, value, source FROM feedback_event
                 WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR source = ?3) ORDER BY at, id",
            )
            .map_err(|e| self.map(e))?;
        let source = source.map(SourceId::as_str);
        let rows = st
            .query_map(params![from.nanos(), to.nanos(), source], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| self.map(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, item, at, author, kind, value, source) = row.map_err(|e| self.map(e))?;
            if let Some(change) = FeedbackChange::from_parts(&kind, value) {
                out.push(FeedbackEvent {
                    id,
                    source: SourceId::new(source),
                    item,
                    at: Ts::from_nanos(at),
                    author,
                    change,
                });
            }
        }
        Ok(out)
    }
}

impl FeedbackChange {
    /// As a follow-up event field and value for the board's merge.
    fn to_field(&self) -> (crate::domain::followup::FollowupField, &str) {
        use crate::domain::followup::FollowupField as F;
        let field = match self {
            FeedbackChange::Owner(_) => F::Owner,
            FeedbackChange::Stage(_) => F::Stage,
            FeedbackChange::Result(_) => F::Result,
            FeedbackChange::CallbackResult(_) => F::CallbackResult,
            FeedbackChange::RootCause(_) => F::RootCause,
            FeedbackChange::Action(_) => F::Action,
        };
        (field, self.value())
    }

    /// A follow-up event's change as stored.
    pub fn from_change(change: &crate::domain::followup::FollowupChange) -> Self {
        use crate::domain::followup::FollowupField as F;
        let value = change.value().to_string();
        match change.field() {
            F::Owner => FeedbackChange::Owner(value),
            F::Stage => FeedbackChange::Stage(value),
            F::Result => FeedbackChange::Result(value),
            F::CallbackResult => FeedbackChange::CallbackResult(value),
            F::RootCause => FeedbackChange::RootCause(value),
            F::Action => FeedbackChange::Action(value),
        }
    }
}

impl FeedbackEvent {
    /// As a follow-up event for the board's merge; `None` for a value this
    /// build does not know (the row stays in the store).
    pub fn to_followup(&self) -> Option<crate::domain::followup::FollowupEvent> {
        let (field, value) = self.change.to_field();
        Some(crate::domain::followup::FollowupEvent {
            item: self.item.clone(),
            at: self.at,
            change: crate::domain::followup::FollowupChange::parse(field, value)?,
        })
    }
}
