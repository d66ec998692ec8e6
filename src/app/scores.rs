//! Scorecards on the spot-check pane: the form (Enter on an item), the
//! day's stored scores, and "saved" said only after the store answered.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::ScorecardConfig;
use crate::domain::scorecard::SpotScore;
use crate::i18n::{Msg, tf};

use super::action::Effect;
use super::form::{FormKey, FormOutcome, ScoreForm};
use super::state::App;

/// The scorecard room: its rules, the open form, the day's stored scores.
#[derive(Clone, Debug, Default)]
pub struct Scores {
    /// The scorecard's items and scale, as configured.
    pub card: ScorecardConfig,
    /// The scorecard form, while open: it gets every key.
    pub form: Option<ScoreForm>,
    /// The newest stored score per contact of `day`.
    pub by_contact: HashMap<String, SpotScore>,
    pub day: Option<NaiveDate>,
}

impl App {
    /// Enter on a spot-check item: the scorecard, prefilled from its
    /// stored score when it has one (a new save adds a row; the newest counts).
    pub(super) fn open_form(&mut self) {
        let Some(day) = self.view.as_ref().map(|v| v.snapshot.spot_check.date) else {
            return;
        };
        let Some(item) = self.selected_spot_item() else {
            return;
        };
        let s = &self.scores;
        let form = match s.by_contact.get(&item.contact) {
            Some(saved) if s.day == Some(day) => ScoreForm::from_saved(&s.card, saved),
            _ => ScoreForm::new(&s.card, day, &item.contact, &item.agent),
        };
        self.scores.form = Some(form.in_lang(self.lang));
    }

    pub(super) fn on_form_key(&mut self, k: FormKey, effects: &mut Vec<Effect>) {
        let Some(form) = &mut self.scores.form else {
            return;
        };
        match form.handle(k, self.now, &self.author) {
            FormOutcome::Nothing => {}
            FormOutcome::Save(s) => effects.push(Effect::SaveScore(s)),
            // Only this form's unsaved input goes: stored scores are untouched.
            FormOutcome::Cancel => self.scores.form = None,
        }
    }

    /// "Saved" is said only here, after the store returned Ok.
    pub(super) fn on_saved(&mut self, result: Result<Box<SpotScore>, String>) {
        match result {
            Ok(score) => {
                let s = &mut self.scores;
                if s.form.as_ref().is_some_and(|f| f.contact == score.contact) {
                    s.form = None;
                }
                let text = tf(
                    self.lang,
                    Msg::NoteScoreSaved,
                    &[&score.contact, &score.total(), &score.max_total()],
                );
                if s.day == Some(score.day) {
                    s.by_contact.insert(score.contact.clone(), *score);
                }
                self.say(text);
            }
            Err(why) => {
                if let Some(f) = &mut self.scores.form {
                    f.failed(why);
                }
            }
        }
    }

    /// The day's stored scores, when they are for the day on show.
    pub(super) fn on_scores(&mut self, day: NaiveDate, list: Vec<SpotScore>) {
        if self.scores.day == Some(day) {
            self.scores.by_contact = list.into_iter().map(|s| (s.contact.clone(), s)).collect();
            self.dirty = true;
        }
    }

    /// Asks for the scorecards of the view's day when the day changed.
    pub(super) fn want_scores(&mut self, effects: &mut Vec<Effect>) {
        let Some(day) = self.view.as_ref().map(|v| v.snapshot.spot_check.date) else {
            return;
        };
        if self.scores.day != Some(day) {
            self.scores.day = Some(day);
            self.scores.by_contact.clear();
            effects.push(Effect::LoadScores(day));
        }
    }
}
