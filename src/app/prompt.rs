//! The one-line prompt in the footer. The same input serves the `/` filter,
//! the owner and result prompts of the feedback board and the two-step KPI
//! note; [`Prompt`] says which, so Enter knows where the line goes.

use super::notes::KpiNotePrompt;

/// What the open prompt is asking for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// The `/` filter.
    Filter,
    /// The owner of this feedback item.
    Owner(String),
    /// The result of this feedback item.
    Result(String),
    /// A KPI note's cause, then its action.
    KpiNote(KpiNotePrompt),
}

/// The open prompt and the line typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub prompt: Prompt,
    pub text: String,
}

impl Input {
    pub fn new(prompt: Prompt, text: String) -> Input {
        Input { prompt, text }
    }
}
