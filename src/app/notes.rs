//! KPI notes: the lead's cause and action for one KPI in one ISO week,
//! typed in a two-step prompt on the KPI pane (`n`) and kept one per week
//! and KPI.

use crate::domain::KpiKey;
use crate::i18n::{Msg, kpi_short, tf};

use super::action::Effect;
use super::prompt::Prompt;
use super::select::List;
use super::state::App;

/// The lead's cause and action for one KPI in one ISO week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiNoteEntry {
    /// ISO week of the local date, e.g. "2026-W47".
    pub week: String,
    pub kpi: KpiKey,
    pub cause: String,
    pub action: String,
}

/// The two-step note prompt on the KPI pane: the cause, then the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiNotePrompt {
    pub week: String,
    pub kpi: KpiKey,
    /// `None` while the cause is typed; the typed cause while the action is.
    pub cause: Option<String>,
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
}

impl App {
    /// The ISO week of the UI clock's local date.
    pub fn current_week(&self) -> String {
        use crate::domain::calendar::{iso_week_label, local_date};
        iso_week_label(local_date(self.now, self.tz))
    }

    /// The stored note of a KPI for the current week.
    pub fn kpi_note(&self, kpi: KpiKey) -> Option<&KpiNoteEntry> {
        self.kpi_notes.find(&self.current_week(), kpi)
    }

    /// `n` on the KPI pane: the cause prompt, prefilled with the stored one.
    pub(super) fn start_kpi_note(&mut self) {
        let Some(&kpi) = KpiKey::ALL.get(self.selected(List::Kpis)) else {
            return;
        };
        let text = self
            .kpi_note(kpi)
            .map(|n| n.cause.clone())
            .unwrap_or_default();
        let prompt = KpiNotePrompt {
            week: self.current_week(),
            kpi,
            cause: None,
        };
        self.open_prompt(Prompt::KpiNote(prompt), text);
    }

    /// Enter in the note prompt: cause → action prompt; action → save.
    pub(super) fn kpi_note_enter(
        &mut self,
        p: KpiNotePrompt,
        text: String,
        effects: &mut Vec<Effect>,
    ) {
        let stored = self.kpi_notes.find(&p.week, p.kpi).cloned();
        match p.cause {
            None => {
                let next = KpiNotePrompt {
                    cause: Some(text.trim().to_string()),
                    ..p
                };
                let action = stored.map(|n| n.action).unwrap_or_default();
                self.open_prompt(Prompt::KpiNote(next), action);
            }
            Some(cause) => {
                let action = text.trim().to_string();
                // Nothing typed and nothing stored: no empty note in the report.
                if cause.is_empty() && action.is_empty() && stored.is_none() {
                    return;
                }
                let entry = KpiNoteEntry {
                    week: p.week,
                    kpi: p.kpi,
                    cause,
                    action,
                };
                self.kpi_notes.pending = Some(entry.clone());
                effects.push(Effect::SaveKpiNote(entry));
            }
        }
    }

    /// "Saved" only after the store returned Ok; on a failed write the typed
    /// texts stay in the message so nothing the lead wrote is lost.
    pub(super) fn on_kpi_note_saved(&mut self, result: Result<KpiNoteEntry, String>) {
        match result {
            Ok(n) => {
                self.kpi_notes.pending = None;
                let text = tf(self.lang, Msg::KnSaved, &[&kpi_short(self.lang, n.kpi)]);
                self.kpi_notes.remember(n);
                self.say(text);
            }
            Err(why) => {
                let (kpi, cause, action) = self
                    .kpi_notes
                    .pending
                    .take()
                    .map(|n| (kpi_short(self.lang, n.kpi), n.cause, n.action))
                    .unwrap_or_default();
                let why = crate::i18n::translate(self.lang, &why);
                let text = tf(self.lang, Msg::KnNotSaved, &[&kpi, &why, &cause, &action]);
                self.note = Some((text, self.now.add_secs(60)));
            }
        }
    }
}
