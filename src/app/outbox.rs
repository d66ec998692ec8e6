//! Write-back as the header shows it: whether entries go back to the CRM
//! this session, and the outbox's unsent entries and failures, re-read every
//! [`OUTBOX_CHECK_S`] and at once after a save.

use crate::domain::Ts;
use crate::domain::status::OutboxSummary;

use super::action::Effect;
use super::state::App;

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

impl App {
    /// Asks for the outbox every [`OUTBOX_CHECK_S`] while entries are
    /// written back, and at once after a save (`recheck`).
    pub(super) fn want_outbox(&mut self, recheck: bool, effects: &mut Vec<Effect>) {
        let o = &mut self.outbox;
        if recheck {
            o.checked = None;
        }
        if !o.write_back {
            return;
        }
        if o.checked
            .is_some_and(|at| self.now.secs_since(at) < OUTBOX_CHECK_S)
        {
            return;
        }
        o.checked = Some(self.now);
        effects.push(Effect::CheckOutbox);
    }

    pub(super) fn on_outbox(&mut self, summary: OutboxSummary) {
        if summary != self.outbox.summary {
            self.outbox.summary = summary;
            self.dirty = true;
        }
    }
}
