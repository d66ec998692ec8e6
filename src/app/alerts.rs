//! Alerts as the lead handles them: the overlay's cursor, acknowledging
//! the selected episode (saved in the store before the overlay says so),
//! and the terminal bell when an alert fires (`[alerts] bell`).

use std::collections::HashMap;

use crate::domain::Ts;
use crate::i18n::{Lang, Msg, t, tf};

pub use super::action::AckResult;
use super::action::Effect;
use super::view::{AlertLine, AlertsView};

#[derive(Clone, Debug, Default)]
pub struct AlertDesk {
    /// Ring the terminal bell when an alert fires.
    pub bell: bool,
    /// The selected line of the overlay: the active alerts, then the
    /// recently cleared ones.
    pub cursor: usize,
    /// Acknowledgements saved this session, by episode, until the engine's
    /// next view says them itself.
    acked: HashMap<i64, (String, Ts)>,
    /// The episode whose acknowledgement is being written.
    pub saving: Option<i64>,
}

impl AlertDesk {
    /// The overlay's lines: active first, then recently cleared.
    pub fn lines<'a>(&self, view: &'a AlertsView) -> Vec<&'a AlertLine> {
        view.active.iter().chain(&view.recent).collect()
    }

    /// Who acknowledged a line and when: the view's word, else this
    /// session's save.
    pub fn ack_of(&self, line: &AlertLine) -> Option<(String, Ts)> {
        line.ack
            .clone()
            .or_else(|| line.episode.and_then(|e| self.acked.get(&e).cloned()))
    }

    /// A new view arrived: the cursor stays in range; the bell when
    /// something fired and the lead asked for it.
    pub fn on_view(&mut self, view: &AlertsView) -> Option<Effect> {
        let n = view.active.len() + view.recent.len();
        self.cursor = self.cursor.min(n.saturating_sub(1));
        // The store now says what this session saved.
        self.acked.retain(|e, _| {
            !view
                .active
                .iter()
                .chain(&view.recent)
                .any(|l| l.episode == Some(*e) && l.ack.is_some())
        });
        (self.bell && view.fired() > 0).then_some(Effect::Bell)
    }

    pub fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn down(&mut self, view: &AlertsView) {
        let n = view.active.len() + view.recent.len();
        if self.cursor + 1 < n {
            self.cursor += 1;
        }
    }

    /// Enter on the selected line: the effect that saves the
    /// acknowledgement, or the note that says why there is none.
    pub fn ack(&mut self, view: &AlertsView, now: Ts, lang: Lang) -> Result<Effect, String> {
        let lines = self.lines(view);
        let Some(line) = lines.get(self.cursor) else {
            return Err(t(lang, Msg::AlertsNone).to_owned());
        };
        if let Some((who, _)) = self.ack_of(line) {
            return Err(tf(lang, Msg::AlertAckEarlier, &[&who]));
        }
        let Some(episode) = line.episode else {
            return Err(t(lang, Msg::AlertAckNoStore).to_owned());
        };
        self.saving = Some(episode);
        Ok(Effect::AckAlert { episode, at: now })
    }

    /// The store's answer: the note to show.
    pub fn saved(&mut self, result: Result<AckResult, String>, lang: Lang) -> String {
        self.saving = None;
        match result {
            Ok(AckResult {
                episode,
                who,
                at,
                earlier,
            }) => {
                let said = match &earlier {
                    Some((w, _)) => tf(lang, Msg::AlertAckEarlier, &[w]),
                    None => t(lang, Msg::AlertAckSaved).to_owned(),
                };
                self.acked.insert(episode, earlier.unwrap_or((who, at)));
                said
            }
            Err(why) => tf(lang, Msg::AlertAckFailed, &[&why]),
        }
    }
}
