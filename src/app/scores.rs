//! Scorecards on the spot-check pane: the form (Enter on an item), the
//! day's stored scores, and "saved" said only after the store answered.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::ScorecardConfig;
use crate::domain::scorecard::SpotScore;
use crate::domain::{SpotCheckItem, Ts};
use crate::i18n::{Lang, Msg, t, tf};

use super::action::Effect;
use super::form::{FormKey, FormOutcome, ScoreForm};

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
    /// The spot-check lists show only the contacts not scored yet (`u`).
    pub unscored_only: bool,
    /// Forms closed after another lead took their claim, by day and
    /// contact: what was entered, given back when that contact's form
    /// opens again, with the stored score's save time when it was closed
    /// (a score saved since, by the lead who took it, is named then).
    pub drafts: HashMap<(NaiveDate, String), (ScoreForm, Option<Ts>)>,
}

impl Scores {
    /// Enter on a spot-check item of `day`: the scorecard, prefilled from
    /// its stored score when it has one (a new save adds a row; the newest
    /// counts).
    pub fn open_form(&mut self, day: NaiveDate, item: &SpotCheckItem, lang: Lang) {
        if let Some((mut draft, then)) = self.drafts.remove(&(day, item.contact.clone())) {
            draft.taken = None;
            draft.saving = false;
            // Saving the draft adds the newest score: one saved since it
            // was kept would be replaced, so the lead is told whose.
            let since = self
                .by_contact
                .get(&item.contact)
                .filter(|s| self.day == Some(day) && Some(s.saved_at) != then);
            draft.error = Some(match since {
                Some(s) => tf(lang, Msg::FormDraftOverScore, &[&s.author]),
                None => t(lang, Msg::FormDraftBack).to_owned(),
            });
            self.form = Some(draft.in_lang(lang));
            return;
        }
        let form = match self.by_contact.get(&item.contact) {
            Some(saved) if self.day == Some(day) => ScoreForm::from_saved(&self.card, saved),
            _ => ScoreForm::new(&self.card, day, &item.contact, &item.agent),
        };
        self.form = Some(form.in_lang(lang));
    }

    /// A key while the form is open.
    pub fn on_form_key(&mut self, k: FormKey, now: Ts, author: &str) -> Option<Effect> {
        let form = self.form.as_mut()?;
        match form.handle(k, now, author) {
            FormOutcome::Nothing => None,
            FormOutcome::Save(s) => Some(Effect::SaveScore(s)),
            // Only this form's unsaved input goes: stored scores are
            // untouched, and the claim is given up.
            FormOutcome::Cancel => {
                let f = self.form.take()?;
                if f.taken.is_some() {
                    // Another lead holds the claim: nothing to give up,
                    // and what was entered is kept.
                    let then = self
                        .by_contact
                        .get(&f.contact)
                        .filter(|_| self.day == Some(f.day))
                        .map(|s| s.saved_at);
                    self.drafts.insert((f.day, f.contact.clone()), (f, then));
                    return None;
                }
                Some(Effect::ReleaseScorecard(f.day, f.contact))
            }
        }
    }

    /// Another lead holds the claim on `contact` until `until` (local
    /// "HH:MM"). A form of that contact with nothing entered closes (true:
    /// the caller says why); one with entries turns read-only, saying so,
    /// and is kept when closed.
    pub fn claim_taken(&mut self, contact: &str, by: &str, until: &str) -> bool {
        let Some(f) = self.form.as_mut().filter(|f| f.contact == contact) else {
            return false;
        };
        if f.edited {
            f.taken = Some(tf(f.lang, Msg::FormTakenKept, &[&by, &until]));
            false
        } else {
            self.form = None;
            true
        }
    }

    /// The store's answer to a save; the footer note on success. "Saved" is
    /// said only here, after the store returned Ok; a failure stays in the
    /// form with everything entered.
    pub fn saved(&mut self, result: Result<Box<SpotScore>, String>, lang: Lang) -> Option<String> {
        match result {
            Ok(score) => {
                if self
                    .form
                    .as_ref()
                    .is_some_and(|f| f.contact == score.contact)
                {
                    self.form = None;
                }
                let text = tf(
                    lang,
                    Msg::NoteScoreSaved,
                    &[
                        &score.contact,
                        &crate::i18n::score_total(lang, &score.score_total(), false),
                    ],
                );
                if self.day == Some(score.day) {
                    self.by_contact.insert(score.contact.clone(), *score);
                }
                Some(text)
            }
            Err(why) => {
                if let Some(f) = &mut self.form {
                    f.failed(why);
                }
                None
            }
        }
    }

    /// The day's stored scores; whether they are for the day on show.
    pub fn receive(&mut self, day: NaiveDate, list: Vec<SpotScore>) -> bool {
        if self.day != Some(day) {
            return false;
        }
        self.by_contact = list.into_iter().map(|s| (s.contact.clone(), s)).collect();
        true
    }

    /// Asks for the scorecards of the view's day when the day changed.
    pub fn want(&mut self, day: NaiveDate) -> Option<Effect> {
        if self.day == Some(day) {
            return None;
        }
        self.day = Some(day);
        self.by_contact.clear();
        Some(Effect::LoadScores(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Effect;

    fn item(contact: &str) -> SpotCheckItem {
        SpotCheckItem {
            contact: contact.into(),
            agent: "a-li".into(),
            flags: Vec::new(),
            customer: None,
            ended_at: None,
        }
    }

    /// A draft kept when another lead took the contact, that lead saving a
    /// score meanwhile: the draft comes back saying whose score a save
    /// would replace; with no score saved since, the plain message.
    #[test]
    fn a_draft_back_over_a_score_saved_since_names_its_author() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        let t0 = Ts::from_secs(1_790_000_000);
        let mut scores = Scores {
            day: Some(day),
            ..Scores::default()
        };
        let keep_draft = |scores: &mut Scores| {
            scores.open_form(day, &item("c2"), Lang::En);
            let fk = FormKey::Digit(4);
            assert_eq!(scores.on_form_key(fk, t0, "lee"), None);
            assert!(!scores.claim_taken("c2", "kim", "10:45"), "kept open");
            assert_eq!(scores.on_form_key(FormKey::Cancel, t0, "lee"), None);
            assert!(scores.form.is_none() && scores.drafts.len() == 1);
        };
        keep_draft(&mut scores);
        scores.open_form(day, &item("c2"), Lang::En);
        let f = scores.form.take().expect("draft back");
        assert_eq!(f.scores[0], Some(4));
        assert_eq!(f.error.as_deref(), Some(t(Lang::En, Msg::FormDraftBack)));

        keep_draft(&mut scores);
        // Kim saves c2 while the draft waits; the store's reload brings it.
        let mut kims = ScoreForm::new(&scores.card, day, "c2", "a-li");
        kims.scores.iter_mut().for_each(|s| *s = Some(3));
        let saved = match kims.handle(FormKey::Save, t0.add_secs(60), "kim") {
            crate::app::form::FormOutcome::Save(s) => *s,
            other => panic!("{other:?}"),
        };
        assert!(scores.receive(day, vec![saved]));
        scores.open_form(day, &item("c2"), Lang::En);
        let f = scores.form.as_ref().expect("draft back");
        assert_eq!(f.scores[0], Some(4), "the draft, not Kim's score");
        let said = f.error.as_deref().unwrap_or_default();
        assert!(said.contains("kim") && said.contains("replace"), "{said}");
        // Saving it is still the lead's call; cancelling now releases the claim.
        let effects = scores.on_form_key(FormKey::Cancel, t0, "lee");
        assert_eq!(effects, Some(Effect::ReleaseScorecard(day, "c2".into())));
    }
}
