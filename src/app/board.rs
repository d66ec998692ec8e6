//! The feedback board's follow-up: the lead's events (owner, stage,
//! callback result, root cause, action, result) saved one at a time and
//! merged over the feed's items, so the board shows both.

use crate::domain::followup::{
    self, FeedWatch, FollowupAction, FollowupChange, FollowupEvent, FollowupField, FollowupRules,
};
use crate::domain::{CallbackResult, FeedbackReport, RootCause, Stage, Ts};
use crate::i18n::{Msg, t, tf};

use super::action::Effect;
use super::keymap::KeyAction;
use super::prompt::Prompt;
use super::state::App;
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

impl Board {
    /// Whether the merge is a minute old (stale flags follow the clock;
    /// once a minute is enough for 1 h limits).
    pub(super) fn due(&self, now: Ts) -> bool {
        self.merged_at.is_some_and(|m| now.secs_since(m) >= 60.0)
    }

    /// Takes the feed's items out of a new view, noting what changed.
    pub(super) fn receive(&mut self, view: &mut View, now: Ts) {
        self.watch.observe(&view.snapshot.feedback, now);
        self.feed = std::mem::take(&mut view.snapshot.feedback);
    }
}

impl App {
    /// A follow-up key on the board: one event for the selected item, or
    /// the owner / result prompt.
    pub(super) fn on_followup_key(&mut self, k: KeyAction, effects: &mut Vec<Effect>) {
        use FollowupChange as C;
        use KeyAction as K;
        use followup::{stage_step, step};
        let Some(f) = self.selected_feedback() else {
            self.say(t(self.lang, Msg::FuNoItem));
            return;
        };
        let item = f.id.clone();
        let change = match k {
            K::AssignOwner => {
                let text = f.owner.clone().unwrap_or_default();
                self.open_prompt(Prompt::Owner(item), text);
                return;
            }
            K::EditResult => {
                let text = f.result.clone().unwrap_or_default();
                self.open_prompt(Prompt::Result(item), text);
                return;
            }
            K::StageNext | K::StagePrev => {
                let current = f.stage.as_deref().and_then(Stage::from_known);
                match stage_step(current, k == K::StageNext) {
                    Some(s) => C::Stage(s),
                    None => return,
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
        effects.push(Effect::SaveFollowup(FollowupEvent {
            item,
            at: self.now,
            change,
        }));
    }

    /// The owner or result prompt's line, entered: a new value is saved; an
    /// emptied line clears a value the item had (saved as an empty value);
    /// an unchanged or still empty line saves nothing.
    pub(super) fn prompt_entered(
        &mut self,
        item: String,
        field: FollowupField,
        text: &str,
        effects: &mut Vec<Effect>,
    ) {
        let value = text.trim();
        let current = self
            .view
            .as_ref()
            .and_then(|v| v.snapshot.feedback.iter().find(|f| f.id == item))
            .and_then(|f| match field {
                FollowupField::Owner => f.owner.clone(),
                _ => f.result.clone(),
            })
            .unwrap_or_default();
        if value == current.trim() {
            return;
        }
        let change = match field {
            FollowupField::Owner => FollowupChange::Owner(value.to_string()),
            _ => FollowupChange::Result(value.to_string()),
        };
        effects.push(Effect::SaveFollowup(FollowupEvent {
            item,
            at: self.now,
            change,
        }));
    }

    /// "Saved" only after the store returned Ok; a failed write changes
    /// nothing on the board and says why.
    pub(super) fn on_followup_saved(
        &mut self,
        result: Result<FollowupEvent, (FollowupEvent, String)>,
    ) {
        match result {
            Ok(e) => {
                let value = e.change.value();
                let text = if value.is_empty() {
                    tf(self.lang, Msg::FuCleared, &[&e.item])
                } else {
                    tf(self.lang, Msg::FuSaved, &[&e.item, &value])
                };
                self.board.followups.push(e);
                self.remerge();
                self.say(text);
            }
            Err((e, why)) => {
                let text = tf(
                    self.lang,
                    Msg::FuNotSaved,
                    &[
                        &e.item,
                        &e.change.value(),
                        &crate::i18n::translate(self.lang, &why),
                    ],
                );
                self.note = Some((text, self.now.add_secs(10)));
            }
        }
    }

    /// Applies the local events over the feed's items into the view.
    pub(super) fn remerge(&mut self) {
        let anchor = self.selected_feedback().map(|f| f.id.clone());
        self.remerge_keeping(anchor);
    }

    /// Merges the board again (it re-sorts: a closed item sinks, a new due
    /// date moves an item) and keeps the cursor on the item `anchor`, so
    /// the next follow-up key acts on the item the lead was looking at, not
    /// on whatever moved into its row.
    pub(super) fn remerge_keeping(&mut self, anchor: Option<String>) {
        let Some(v) = &mut self.view else { return };
        let b = &mut self.board;
        v.snapshot.feedback = followup::merge(
            &b.feed,
            &b.followups,
            &b.watch.changed,
            &b.rules,
            self.tz,
            self.now,
        );
        b.merged_at = Some(self.now);
        self.refresh_rows();
        let Some(v) = &self.view else { return };
        if let Some(row) = anchor.and_then(|id| {
            self.rows
                .feedback
                .iter()
                .position(|&i| v.snapshot.feedback.get(i).is_some_and(|f| f.id == id))
        }) {
            self.select_feedback_row(row);
        }
    }
}
