//! The lead's note on a KPI for one ISO week: what caused the figure and
//! what is being done about it (one per week and KPI; the weekly report
//! prints them).

use super::KpiKey;
use super::time::Ts;

/// The lead's cause and action for one KPI in one ISO week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiNoteEntry {
    /// ISO week of the local date, e.g. "2026-W47".
    pub week: String,
    pub kpi: KpiKey,
    pub cause: String,
    pub action: String,
}

/// A KPI note as stored: with who saved it and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiNote {
    /// ISO week, e.g. "2026-W47".
    pub week: String,
    /// The KPI's snapshot key, e.g. "aht_s".
    pub kpi: String,
    pub cause: String,
    pub action: String,
    pub author: String,
    pub saved_at: Ts,
}
