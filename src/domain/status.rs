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

/// How a polled source is being read, when it is not the plain way: the
/// header says it next to the freshness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollNote {
    /// The server asked to wait longer than the backoff's maximum: the next
    /// try is at that maximum instead (`r` tries at once).
    RetryCapped {
        asked: std::time::Duration,
        waiting: std::time::Duration,
    },
    /// The feed still said `more` after `pages` pages in one poll: what
    /// came is applied, and the rest is read in batches of at most that
    /// many pages or `mb` MB.
    Paged { pages: usize, mb: usize },
    /// The floor on screen is the one cached at `saved_at` (a warm start):
    /// the source is being read for what changed since; the first poll
    /// that succeeds clears it.
    Cached { saved_at: super::Ts },
}

/// Why a followed file is read again from the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetKind {
    /// Another file now has the name (log rotation, `mv new F`).
    Rotated,
    /// The same file is shorter than what was read.
    Truncated,
    /// The same file holds other bytes where it was read (`cat v2 > F`,
    /// or truncated and written again past the old offset).
    Rewritten,
}

/// A followed file read again from the start: which, why and when.
#[derive(Clone, Debug, PartialEq)]
pub struct FileReset {
    pub file: String,
    pub kind: ResetKind,
    pub at: Ts,
}

/// How long the header says that a file was read again from the start.
pub const RESET_NOTICE_S: f64 = 10.0;
