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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outbox_is_read_every_15_s_and_at_once_after_a_save() {
        let t0 = Ts::from_secs(1_000);
        let mut o = Outbox::default();
        // Not writing back: never read.
        assert_eq!(o.want(t0, false), None);
        assert_eq!(o.want(t0, true), None);
        o.write_back = true;
        assert_eq!(o.want(t0, false), Some(Effect::CheckOutbox));
        assert_eq!(o.want(t0.add_secs(14), false), None);
        assert_eq!(o.want(t0.add_secs(15), false), Some(Effect::CheckOutbox));
        // A save asks again at once, and the 15 s count restarts there.
        assert_eq!(o.want(t0.add_secs(16), true), Some(Effect::CheckOutbox));
        assert_eq!(o.want(t0.add_secs(30), false), None);
        assert_eq!(o.want(t0.add_secs(31), false), Some(Effect::CheckOutbox));
    }

    #[test]
    fn only_a_different_summary_redraws() {
        let mut o = Outbox::default();
        assert!(!o.receive(OutboxSummary::default()));
        let one = OutboxSummary {
            unsent: 1,
            ..OutboxSummary::default()
        };
        assert!(o.receive(one.clone()));
        assert!(!o.receive(one));
        assert_eq!(o.summary.unsent, 1);
    }
}
