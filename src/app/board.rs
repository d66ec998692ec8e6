//! The feedback board's follow-up: the lead's events (owner, stage,
//! callback result, root cause, action, result) saved one at a time and
//! merged over the feed's items, so the board shows both.

use chrono_tz::Tz;

use crate::domain::followup::{
    self, FeedWatch, FollowupAction, FollowupChange, FollowupEvent, FollowupField, FollowupRules,
};
use crate::domain::{CallbackResult, FeedbackReport, RootCause, Stage, Ts};
use crate::i18n::{Lang, Msg, tf};

use super::keymap::KeyAction;
use super::prompt::Prompt;
use super::view::View;

/// The board's own state: the feed's items as received and the lead's
/// events merged over them.
#[derive(Clone, Debug, Default)]
pub struct Board {
    /// The feed's feedback items as last received, before the merge.
    pub feed: Vec<FeedbackReport>,
    pub watch: FeedWatch,
    /// The lead's saved follow-up events, merged over the feed.
    pub followups: Vec<FollowupEvent>,
    pub rules: FollowupRules,
    /// When the board was last merged (stale flags follow the clock).
    merged_at: Option<Ts>,
}

/// What a follow-up key on an item leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoardStep {
    /// Open this prompt, prefilled with the item's current value.
    Ask(Prompt, String),
    /// Save this event.
    Save(FollowupEvent),
    /// Nothing to do (a stage step past either end).
    Nothing,
}

impl Board {
    /// Whether the merge is a minute old (stale flags follow the clock;
    /// once a minute is enough for 1 h limits).
    pub fn due(&self, now: Ts) -> bool {
        self.merged_at.is_some_and(|m| now.secs_since(m) >= 60.0)
    }

    /// Takes the feed's items out of a new view, noting what changed.
    pub fn receive(&mut self, view: &mut View, now: Ts) {
        self.watch.observe(&view.snapshot.feedback, now);
        self.feed = std::mem::take(&mut view.snapshot.feedback);
    }

    /// The board's items: the feed with the lead's events applied.
    pub fn merge(&mut self, tz: Tz, now: Ts) -> Vec<FeedbackReport> {
        self.merged_at = Some(now);
        followup::merge(
            &self.feed,
            &self.followups,
            &self.watch.changed,
            &self.rules,
            tz,
            now,
        )
    }

    /// A follow-up key on item `f`: one event, or the owner / result prompt.
    pub fn key(k: KeyAction, f: &FeedbackReport, now: Ts) -> BoardStep {
        use FollowupChange as C;
        use KeyAction as K;
        use followup::{stage_step, step};
        let item = f.id.clone();
        let change = match k {
            K::AssignOwner => {
                let text = f.owner.clone().unwrap_or_default();
                return BoardStep::Ask(Prompt::Owner(item), text);
            }
            K::EditResult => {
                let text = f.result.clone().unwrap_or_default();
                return BoardStep::Ask(Prompt::Result(item), text);
            }
            K::StageNext | K::StagePrev => {
                let current = f.stage.as_deref().and_then(Stage::from_known);
                match stage_step(current, k == K::StageNext) {
                    Some(s) => C::Stage(s),
                    None => return BoardStep::Nothing,
                }
            }
            K::CycleCallback => {
                let current = f.callback_result.as_deref();
                C::CallbackResult(step(
                    CallbackResult::KNOWN,
                    current.and_then(CallbackResult::from_known),
                    true,
                ))
            }
            K::CycleRootCause => {
                let current = f.root_cause.as_deref();
                C::RootCause(step(
                    RootCause::KNOWN,
                    current.and_then(RootCause::from_known),
                    true,
                ))
            }
            _ => {
                let current = f.action.as_deref();
                C::Action(step(
                    &FollowupAction::ALL,
                    current.and_then(FollowupAction::from_known),
                    true,
                ))
            }
        };
        BoardStep::Save(FollowupEvent {
            item,
            at: now,
            change,
        })
    }

    /// The owner or result prompt's line, entered for `item` (whose merged
    /// state is `current`): a new value is saved; an emptied line clears a
    /// value the item had (saved as an empty value); an unchanged or still
    /// empty line saves nothing.
    pub fn entered(
        item: String,
        field: FollowupField,
        text: &str,
        current: Option<&FeedbackReport>,
        now: Ts,
    ) -> Option<FollowupEvent> {
        let value = text.trim();
        let had = current
            .and_then(|f| match field {
                FollowupField::Owner => f.owner.clone(),
                _ => f.result.clone(),
            })
            .unwrap_or_default();
        if value == had.trim() {
            return None;
        }
        let change = match field {
            FollowupField::Owner => FollowupChange::Owner(value.to_string()),
            _ => FollowupChange::Result(value.to_string()),
        };
        Some(FollowupEvent {
            item,
            at: now,
            change,
        })
    }

    /// The store's answer to a save: `Ok(note)` once the event is kept (the
    /// board must be merged again), `Err(note)` when the write failed (the
    /// board is unchanged; the note names the item and keeps the value).
    pub fn saved(
        &mut self,
        result: Result<FollowupEvent, (FollowupEvent, String)>,
        lang: Lang,
    ) -> Result<String, String> {
        match result {
            Ok(e) => {
                // The known words in the language (a stage, a callback
                // result, …); an owner or result as typed.
                let value = match &e.change {
                    FollowupChange::Stage(s) => {
                        crate::i18n::stage(lang, s.known_str().unwrap_or(""), false)
                    }
                    FollowupChange::Owner(v) | FollowupChange::Result(v) => v.as_str(),
                    other => crate::i18n::feed_value(lang, other.value()),
                };
                let text = if value.is_empty() {
                    tf(lang, Msg::FuCleared, &[&e.item])
                } else {
                    tf(lang, Msg::FuSaved, &[&e.item, &value])
                };
                self.followups.push(e);
                Ok(text)
            }
            Err((e, why)) => Err(tf(
                lang,
                Msg::FuNotSaved,
                &[&e.item, &e.change.value(), &why],
            )),
        }
    }
}
