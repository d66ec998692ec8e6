//! The handover view (`O`): the shift handover the engine builds with the
//! same builder as `shiftdeck report handover` (`domain::handover`), for
//! the current shift (the local day), and the incoming lead's
//! acknowledgement, saved in the store (who, when) before the view says so.

use crate::domain::handover::{HandoverAck, HandoverReport};
use crate::domain::{Ts, Window};
use crate::i18n::{Lang, Msg, t, tf};

use super::action::Effect;
pub use super::action::HandoverAckResult;

#[derive(Clone, Debug, Default)]
pub struct HandoverDesk {
    /// The acknowledgement saved this session, until the engine's next
    /// handover says it itself.
    acked: Option<(Window, HandoverAck)>,
    /// An acknowledgement is being written.
    pub saving: bool,
}

/// `HH:MM` of `at` in `tz` (for the notes).
fn clock(at: Ts, tz: chrono_tz::Tz) -> String {
    at.to_utc().with_timezone(&tz).format("%H:%M").to_string()
}

impl HandoverDesk {
    /// Who acknowledged the handover shown, and when: the store's word,
    /// else this session's save.
    pub fn ack_of(&self, r: &HandoverReport) -> Option<HandoverAck> {
        r.ack.clone().or_else(|| {
            self.acked
                .as_ref()
                .filter(|(w, _)| *w == r.window)
                .map(|(_, a)| a.clone())
        })
    }

    /// A new handover arrived: once it carries the acknowledgement, this
    /// session's copy goes.
    pub fn on_view(&mut self, r: Option<&HandoverReport>) {
        if let Some(r) = r
            && r.ack.is_some()
            && self.acked.as_ref().is_some_and(|(w, _)| *w == r.window)
        {
            self.acked = None;
        }
    }

    /// Enter in the view: the effect that saves the acknowledgement, or
    /// the note that says why there is none.
    pub fn ack(
        &mut self,
        r: Option<&HandoverReport>,
        now: Ts,
        lang: Lang,
        tz: chrono_tz::Tz,
    ) -> Result<Effect, String> {
        let Some(r) = r else {
            return Err(t(lang, Msg::HoAckNotReady).to_owned());
        };
        if let Some(a) = self.ack_of(r) {
            return Err(tf(lang, Msg::HoAckEarlier, &[&a.who, &clock(a.at, tz)]));
        }
        if self.saving {
            return Err(t(lang, Msg::HoAckSaving).to_owned());
        }
        self.saving = true;
        Ok(Effect::AckHandover {
            shift: r.window,
            at: now,
        })
    }

    /// The store's answer: the note to show.
    pub fn saved(
        &mut self,
        result: Result<HandoverAckResult, String>,
        lang: Lang,
        tz: chrono_tz::Tz,
    ) -> String {
        self.saving = false;
        match result {
            Ok(HandoverAckResult {
                shift,
                ack,
                earlier,
            }) => {
                let said = match &earlier {
                    Some(a) => tf(lang, Msg::HoAckEarlier, &[&a.who, &clock(a.at, tz)]),
                    None => t(lang, Msg::HoAckSaved).to_owned(),
                };
                self.acked = Some((shift, earlier.unwrap_or(ack)));
                said
            }
            Err(why) => tf(lang, Msg::HoAckFailed, &[&why]),
        }
    }
}
