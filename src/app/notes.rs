//! KPI notes: the lead's cause and action for one KPI in one ISO week,
//! typed in a two-step prompt on the KPI pane (`n`) and kept one per week
//! and KPI.

use crate::domain::KpiKey;
pub use crate::domain::notes::KpiNoteEntry;
use crate::i18n::{Lang, Msg, kpi_short, tf};

use super::action::Effect;

/// The two-step note prompt on the KPI pane: the cause, then the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiNotePrompt {
    pub week: String,
    pub kpi: KpiKey,
    /// `None` while the cause is typed; the typed cause while the action is.
    pub cause: Option<String>,
}

/// What Enter in the note prompt leads to.
#[derive(Clone, Debug, PartialEq)]
pub enum NoteStep {
    /// Ask for the action next, prefilled with this text.
    Ask(KpiNotePrompt, String),
    /// Write the note.
    Save(Effect),
    /// Nothing typed and nothing stored.
    Nothing,
}

/// The KPI notes known this session.
#[derive(Clone, Debug, Default)]
pub struct KpiNotes {
    /// Any week; one per week and KPI.
    pub list: Vec<KpiNoteEntry>,
    /// The note sent to the store, until its answer (so a failure can show it).
    pending: Option<KpiNoteEntry>,
}

impl KpiNotes {
    /// Keeps one note per (week, KPI): a later one replaces the earlier.
    pub fn remember(&mut self, n: KpiNoteEntry) {
        self.list.retain(|o| !(o.week == n.week && o.kpi == n.kpi));
        self.list.push(n);
    }

    /// The stored note of a KPI for a week.
    pub fn find(&self, week: &str, kpi: KpiKey) -> Option<&KpiNoteEntry> {
        self.list.iter().find(|n| n.kpi == kpi && n.week == week)
    }

    /// `n` on the KPI pane: the cause prompt, prefilled with the stored cause.
    pub fn start(&self, week: String, kpi: KpiKey) -> (KpiNotePrompt, String) {
        let text = self
            .find(&week, kpi)
            .map(|n| n.cause.clone())
            .unwrap_or_default();
        let prompt = KpiNotePrompt {
            week,
            kpi,
            cause: None,
        };
        (prompt, text)
    }

    /// Enter in the note prompt: cause → action prompt; action → save.
    pub fn enter(&mut self, p: KpiNotePrompt, text: &str) -> NoteStep {
        let stored = self.find(&p.week, p.kpi).cloned();
        match p.cause {
            None => {
                let action = stored.map(|n| n.action).unwrap_or_default();
                let next = KpiNotePrompt {
                    cause: Some(text.trim().to_string()),
                    ..p
                };
                NoteStep::Ask(next, action)
            }
            Some(cause) => {
                let action = text.trim().to_string();
                // Nothing typed and nothing stored: no empty note in the report.
                if cause.is_empty() && action.is_empty() && stored.is_none() {
                    return NoteStep::Nothing;
                }
                let entry = KpiNoteEntry {
                    week: p.week,
                    kpi: p.kpi,
                    cause,
                    action,
                };
                self.pending = Some(entry.clone());
                NoteStep::Save(Effect::SaveKpiNote(entry))
            }
        }
    }

    /// The store's answer: the footer note and how many seconds it stays.
    /// "Saved" only after Ok; on a failed write the typed texts stay in the
    /// message so nothing the lead wrote is lost.
    pub fn saved(&mut self, result: Result<KpiNoteEntry, String>, lang: Lang) -> (String, i64) {
        match result {
            Ok(n) => {
                self.pending = None;
                let text = tf(lang, Msg::KnSaved, &[&kpi_short(lang, n.kpi)]);
                self.remember(n);
                (text, 3)
            }
            Err(why) => {
                let (kpi, cause, action) = self
                    .pending
                    .take()
                    .map(|n| (kpi_short(lang, n.kpi), n.cause, n.action))
                    .unwrap_or_default();
                let why = crate::i18n::translate(lang, &why);
                let text = tf(lang, Msg::KnNotSaved, &[&kpi, &why, &cause, &action]);
                (text, 60)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::aht_note as note;

    #[test]
    fn the_prompt_asks_the_cause_then_the_action_prefilled_from_the_stored_note() {
        let mut notes = KpiNotes::default();
        notes.remember(note("old cause", "old action"));
        let (p, text) = notes.start("2026-W47".into(), KpiKey::AhtS);
        assert_eq!((p.cause.clone(), text.as_str()), (None, "old cause"));
        let NoteStep::Ask(p, prefill) = notes.enter(p, "  new cause ") else {
            panic!("the action comes next");
        };
        assert_eq!(
            (p.cause.as_deref(), prefill.as_str()),
            (Some("new cause"), "old action")
        );
        // Both emptied: saved, so the stored note is cleared.
        let p = KpiNotePrompt {
            cause: Some(String::new()),
            ..p
        };
        assert_eq!(
            notes.enter(p, " "),
            NoteStep::Save(Effect::SaveKpiNote(note("", "")))
        );
    }

    #[test]
    fn nothing_typed_and_nothing_stored_saves_nothing() {
        let mut notes = KpiNotes::default();
        let p = KpiNotePrompt {
            week: "2026-W47".into(),
            kpi: KpiKey::AhtS,
            cause: Some(String::new()),
        };
        assert_eq!(notes.enter(p, ""), NoteStep::Nothing);
        // A later note for the same week and KPI replaces the earlier one.
        notes.remember(note("a", "b"));
        notes.remember(note("c", "d"));
        assert_eq!(notes.list, vec![note("c", "d")]);
        assert_eq!(notes.find("2026-W46", KpiKey::AhtS), None);
    }
}
