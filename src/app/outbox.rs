//! Write-back as the header shows it: whether entries go back to the CRM
//! this session, and the outbox's unsent entries and failures, re-read every
//! [`OUTBOX_CHECK_S`] and at once after a save.

use crate::domain::Ts;
use crate::domain::status::OutboxSummary;

use super::action::Effect;

/// Seconds between reads of the write-back outbox (the flusher runs every 15 s).
pub const OUTBOX_CHECK_S: f64 = 15.0;

#[derive(Clone, Debug, Default)]
pub struct Outbox {
    /// Entries are written back to the CRM this session (an RT source).
    pub write_back: bool,
    /// The outbox as last read: unsent entries and failures, for the header.
    pub summary: OutboxSummary,
    checked: Option<Ts>,
}

impl Outbox {
    /// Asks for the outbox every [`OUTBOX_CHECK_S`] while entries are
    /// written back, and at once after a save (`recheck`).
    pub fn want(&mut self, now: Ts, recheck: bool) -> Option<Effect> {
        if recheck {
            self.checked = None;
        }
        if !self.write_back
            || self
                .checked
                .is_some_and(|at| now.secs_since(at) < OUTBOX_CHECK_S)
        {
            return None;
        }
        self.checked = Some(now);
        Some(Effect::CheckOutbox)
    }

    /// The outbox as read; whether the header changes.
    pub fn receive(&mut self, summary: OutboxSummary) -> bool {
        let changed = summary != self.summary;
        self.summary = summary;
        changed
    }
}
