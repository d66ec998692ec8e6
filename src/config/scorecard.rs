//! `[scorecard]`: the spot-check scorecard's dimensions and scale.

/// The dimensions scored on each checked contact, and the top of the scale
/// (every dimension is scored `1..=scale_max`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ScorecardConfig {
    pub dimensions: Vec<String>,
    pub scale_max: u8,
}

/// The QA guide's scorecard: four dimensions on 1–5 (20 points in all).
pub const DEFAULT_DIMENSIONS: &[&str] = &["responsiveness", "attitude", "expertise", "resolution"];
pub const DEFAULT_SCALE_MAX: u8 = 5;

impl Default for ScorecardConfig {
    fn default() -> Self {
        ScorecardConfig {
            dimensions: DEFAULT_DIMENSIONS.iter().map(|s| s.to_string()).collect(),
            scale_max: DEFAULT_SCALE_MAX,
        }
    }
}
