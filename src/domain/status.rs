//! How the console's inputs and outputs are doing, as plain counts: the
//! lines read from the sources, and the lead's entries still waiting to go
//! back to the CRM. The sources and the store fill them in; the app shows them.

use super::Ts;

/// Lines read from the sources and what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Lines seen, blank ones included.
    pub lines: u64,
    /// Records applied to the floor (unknown types excluded).
    pub applied: u64,
    pub malformed: u64,
    /// Lines with a `type` this version does not know.
    pub unknown: u64,
}

impl IngestStats {
    pub fn add(&mut self, o: IngestStats) {
        self.lines += o.lines;
        self.applied += o.applied;
        self.malformed += o.malformed;
        self.unknown += o.unknown;
    }
}

/// What the lead should know about write-back: entries not yet on the CRM,
/// how many of them failed at least once, and the reason of the one tried
/// most often.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboxSummary {
    pub unsent: u64,
    /// Unsent rows whose last attempt failed.
    pub failing: u64,
    /// When the oldest unsent row was queued.
    pub oldest_unsent: Option<Ts>,
    /// The error of the row tried most often: the most persistent problem
    /// (credential-free).
    pub last_error: Option<String>,
}
