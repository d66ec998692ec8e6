//! The one-line prompt in the footer. The same input serves the `/` filter,
//! the owner and result prompts of the feedback board and the two-step KPI
//! note; [`Prompt`] says which, so Enter knows where the line goes.

use crate::domain::followup::FollowupField;

use super::action::{Effect, EngineCmd};
use super::filter::Filter;
use super::keymap::KeyAction;
use super::notes::KpiNotePrompt;
use super::state::App;

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

impl App {
    /// The line being typed, while a prompt is open.
    pub fn input_text(&self) -> Option<&str> {
        self.input.as_ref().map(|i| i.text.as_str())
    }

    /// The open prompt, if any.
    pub fn prompt(&self) -> Option<&Prompt> {
        self.input.as_ref().map(|i| &i.prompt)
    }

    pub(super) fn open_prompt(&mut self, prompt: Prompt, text: String) {
        self.input = Some(Input { prompt, text });
    }

    pub(super) fn type_char(&mut self, c: char) {
        if let Some(input) = &mut self.input {
            input.text.push(c);
            self.dirty = true;
        }
    }

    /// The prompt's keys: open the filter, edit, cancel, Enter.
    pub(super) fn on_prompt_key(&mut self, k: KeyAction, effects: &mut Vec<Effect>) {
        use KeyAction as K;
        match k {
            K::StartFilter => self.open_prompt(Prompt::Filter, self.filter_text.clone()),
            K::FilterApply => {
                let (prompt, text) = match self.input.take() {
                    Some(Input { prompt, text }) => (prompt, text),
                    None => (Prompt::Filter, String::new()),
                };
                match prompt {
                    Prompt::Filter => self.apply_filter(text, effects),
                    Prompt::Owner(item) => {
                        self.prompt_entered(item, FollowupField::Owner, &text, effects)
                    }
                    Prompt::Result(item) => {
                        self.prompt_entered(item, FollowupField::Result, &text, effects)
                    }
                    Prompt::KpiNote(p) => self.kpi_note_enter(p, text, effects),
                }
            }
            K::FilterCancel => self.input = None,
            K::FilterBackspace => {
                if let Some(i) = &mut self.input {
                    i.text.pop();
                }
            }
            K::FilterClear => {
                if let Some(i) = &mut self.input {
                    i.text.clear();
                }
            }
            _ => {}
        }
    }

    pub(super) fn apply_filter(&mut self, text: String, effects: &mut Vec<Effect>) {
        let filter = Filter::parse(&text);
        let scope_changed = filter.queue != self.filter.queue || filter.agent != self.filter.agent;
        self.filter_text = text.trim().to_string();
        self.filter = filter;
        self.select.reset_rows();
        if scope_changed {
            effects.push(Effect::Engine(EngineCmd::SetFilter(self.filter.clone())));
        }
        self.refresh_rows();
    }
}
