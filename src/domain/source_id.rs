//! Which source the lead's entries belong to. A scorecard, a sample, a
//! follow-up event or a KPI note is about one floor: the floor of the file
//! or CRM it was entered against. The store keys every entry by this id, so
//! the entries of one source never count for another (a snapshot of an
//! unrelated file does not report the demo's scorecards).
//!
//! The id is text a person can read: `file:/canonical/path.ndjson`,
//! `feed:https://host/path`, `rt:https://host/path`,
//! `zendesk:https://sub.zendesk.com`. It is made where the source is named
//! (`source::spec::SourceSpec::identity`); this type only carries it.

use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(String);

impl SourceId {
    pub fn new(id: impl Into<String>) -> SourceId {
        SourceId(id.into())
    }

    /// Entries saved before the store recorded sources (schema v3 and
    /// older): no source can claim them, so none counts them; `export`
    /// still lists them.
    pub fn unrecorded() -> SourceId {
        SourceId(String::new())
    }

    pub fn is_unrecorded(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
