//! A spot-check scorecard as the lead filled it in: each dimension's score,
//! the three critical errors, the root cause and a comment. The store keeps
//! them; the QA KPIs and the form read them.

use chrono::NaiveDate;

use super::Ts;
use super::record::RootCause;

/// A scorecard as saved.
#[derive(Clone, Debug, PartialEq)]
pub struct SpotScore {
    /// The row id; `None` before it is saved.
    pub id: Option<i64>,
    /// The local day the contact was sampled on.
    pub day: NaiveDate,
    pub contact: String,
    pub agent: String,
    /// Each dimension's name and score, `1..=scale_max`.
    pub dimensions: Vec<(String, u8)>,
    pub scale_max: u8,
    /// `true` = the critical error was found on this contact.
    pub critical_customer: bool,
    pub critical_business: bool,
    pub critical_compliance: bool,
    /// `None` when nothing went wrong.
    pub root_cause: Option<RootCause>,
    pub comment: String,
    pub author: String,
    pub saved_at: Ts,
}

impl SpotScore {
    /// The total that counts: 0 when a critical error was found (the rule
    /// is in [`super::qa::ScoreTotal`]), else the dimension scores' sum.
    pub fn total(&self) -> u32 {
        self.score_total().scored()
    }

    /// The dimension scores added up, whatever the critical errors.
    pub fn raw_total(&self) -> u32 {
        self.score_total().raw
    }

    /// The best possible total (4 dimensions on 1–5: 20).
    pub fn max_total(&self) -> u32 {
        self.score_total().max
    }

    /// The total under the critical-error rule, with the raw sum beside it.
    pub fn score_total(&self) -> super::qa::ScoreTotal {
        super::qa::ScoreTotal::new(
            self.dimensions.iter().map(|(_, v)| *v),
            self.dimensions.len(),
            self.scale_max,
            [
                self.critical_customer,
                self.critical_business,
                self.critical_compliance,
            ],
        )
    }

    /// What the QA KPIs need of this score.
    pub fn qa_score(&self) -> super::qa::QaScore {
        super::qa::QaScore {
            contact: self.contact.clone(),
            agent: self.agent.clone(),
            critical: [
                self.critical_customer,
                self.critical_business,
                self.critical_compliance,
            ],
        }
    }

    /// The root cause's stored word (agent, process, system, product).
    pub fn root_cause_word(&self) -> Option<&'static str> {
        self.root_cause.and_then(|r| r.known_str())
    }

    pub fn any_critical(&self) -> bool {
        self.critical_customer || self.critical_business || self.critical_compliance
    }
}
