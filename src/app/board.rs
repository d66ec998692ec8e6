//! The feedback board's follow-up: the lead's events (owner, stage,
//! callback result, root cause, action, result) saved one at a time and
//! merged over the feed's items, so the board shows both.
//!
//! A value from a short list (callback result, root cause, action) is
//! chosen, then confirmed: the key opens a [`Picker`] on the item's current
//! value, ↑/↓ or an option's first letter or digit move in it, Enter saves
//! the one value chosen (nothing when it is the current one), Esc saves
//! nothing. Clearing the owner of an overdue item asks first ([`Choice::Confirm`]).

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
    /// The open picker or confirmation, which takes every key.
    pub choice: Option<Choice>,
}

/// What a follow-up key on an item leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoardStep {
    /// Open this prompt, prefilled with the item's current value.
    Ask(Prompt, String),
    /// Open this picker.
    Pick(Picker),
    /// Save this event.
    Save(FollowupEvent),
    /// Nothing to save; say why (a stage step past either end).
    Say(String),
}

/// A choice the board waits for before it saves anything; while one is
/// open it takes every key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// A value from a short list.
    Pick(Picker),
    /// Saved only on yes: clearing the owner of an overdue item.
    Confirm(FollowupEvent),
}

/// The open picker: the item, the values it offers and the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    pub item: String,
    pub field: FollowupField,
    /// Every value of the field, in the order of the key's help.
    pub options: Vec<FollowupChange>,
    /// The option under the cursor.
    pub cursor: usize,
    /// The item's current value, if it is one of the options.
    pub current: Option<usize>,
}

impl Picker {
    /// The picker of a list field on item `f`, its cursor on the current
    /// value (else on the first).
    pub fn open(field: FollowupField, f: &FeedbackReport) -> Picker {
        use FollowupChange as C;
        let (options, current): (Vec<FollowupChange>, Option<&str>) = match field {
            FollowupField::CallbackResult => (
                CallbackResult::KNOWN
                    .iter()
                    .map(|c| C::CallbackResult(*c))
                    .collect(),
                f.callback_result.as_deref(),
            ),
            FollowupField::RootCause => (
                RootCause::KNOWN.iter().map(|r| C::RootCause(*r)).collect(),
                f.root_cause.as_deref(),
            ),
            _ => (
                FollowupAction::ALL.iter().map(|a| C::Action(*a)).collect(),
                f.action.as_deref(),
            ),
        };
        let current = current.and_then(|v| options.iter().position(|o| o.value() == v));
        Picker {
            item: f.id.clone(),
            field,
            options,
            cursor: current.unwrap_or(0),
            current,
        }
    }

    pub fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn down(&mut self) {
        self.cursor = (self.cursor + 1).min(self.options.len().saturating_sub(1));
    }

    /// A typed character: a digit `1`… moves to that option; a letter moves
    /// to the next option (after the cursor, wrapping) whose stored word or
    /// label in `lang` starts with it, so `u` goes to "unsatisfied", then
    /// "unreached". Returns whether the cursor moved.
    pub fn jump(&mut self, c: char, lang: Lang) -> bool {
        if let Some(d) = c.to_digit(10) {
            let i = d as usize;
            if (1..=self.options.len()).contains(&i) {
                self.cursor = i - 1;
                return true;
            }
            return false;
        }
        let lower: String = c.to_lowercase().collect();
        let starts = |o: &FollowupChange| {
            o.value().starts_with(&lower)
                || option_label(lang, o).to_lowercase().starts_with(&lower)
        };
        let n = self.options.len();
        let found = (1..=n)
            .map(|k| (self.cursor + k) % n)
            .find(|&i| starts(&self.options[i]));
        match found {
            Some(i) => {
                self.cursor = i;
                true
            }
            None => false,
        }
    }

    /// Enter: the event that saves the chosen value, or `None` when it is
    /// the item's current value (nothing changes).
    pub fn chosen(&self, now: Ts) -> Option<FollowupEvent> {
        if self.current == Some(self.cursor) {
            return None;
        }
        Some(FollowupEvent {
            item: self.item.clone(),
            at: now,
            change: self.options.get(self.cursor)?.clone(),
        })
    }
}

/// A saved value as the footer says it: a stage or a picker's value in
/// the language, typed text as typed.
fn shown_value(lang: Lang, change: &FollowupChange) -> &str {
    match change {
        FollowupChange::Stage(_) => crate::i18n::stage(lang, change.value(), false),
        FollowupChange::Owner(v) | FollowupChange::Result(v) => v,
        other => option_label(lang, other),
    }
}

/// An item's stored action as the picker and the footer write it
/// ("process change", 产品改进); a value the list does not hold as written.
pub fn action_label(lang: Lang, value: &str) -> &str {
    match FollowupAction::from_known(value) {
        Some(a) => option_label(lang, &FollowupChange::Action(a)),
        None => value,
    }
}

/// A list value as the picker shows it, in the language.
pub fn option_label(lang: Lang, o: &FollowupChange) -> &'static str {
    use crate::i18n::t;
    match o {
        FollowupChange::CallbackResult(c) => t(
            lang,
            match c {
                CallbackResult::Satisfied => Msg::ValSatisfied,
                CallbackResult::Unsatisfied => Msg::ValUnsatisfied,
                _ => Msg::ValUnreached,
            },
        ),
        FollowupChange::RootCause(r) => t(
            lang,
            match r {
                RootCause::Agent => Msg::ValAgent,
                RootCause::Process => Msg::ValProcess,
                RootCause::System => Msg::ValSystem,
                _ => Msg::ValProduct,
            },
        ),
        FollowupChange::Action(a) => t(
            lang,
            match a {
                FollowupAction::Coaching => Msg::PickActCoaching,
                FollowupAction::ProcessChange => Msg::PickActProcessChange,
                FollowupAction::ToolFix => Msg::PickActToolFix,
                FollowupAction::Product => Msg::PickActProduct,
            },
        ),
        // Not offered by a picker.
        _ => "",
    }
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

    /// A follow-up key on item `f`: a stage step (one event), a picker,
    /// or the owner / result prompt.
    pub fn key(k: KeyAction, f: &FeedbackReport, now: Ts, lang: Lang) -> BoardStep {
        use KeyAction as K;
        use followup::stage_step;
        let item = f.id.clone();
        match k {
            K::AssignOwner => {
                let text = f.owner.clone().unwrap_or_default();
                BoardStep::Ask(Prompt::Owner(item), text)
            }
            K::EditResult => {
                let text = f.result.clone().unwrap_or_default();
                BoardStep::Ask(Prompt::Result(item), text)
            }
            K::StageNext | K::StagePrev => {
                let current = f.stage.as_deref().and_then(Stage::from_known);
                match stage_step(current, k == K::StageNext) {
                    Some(s) => BoardStep::Save(FollowupEvent {
                        item,
                        at: now,
                        change: FollowupChange::Stage(s),
                    }),
                    // Past either end: nothing is saved, and the lead is told why.
                    None => {
                        let stage = f.stage.as_deref().unwrap_or("—");
                        let m = if k == K::StageNext {
                            Msg::FuAlreadyLast
                        } else {
                            Msg::FuAlreadyFirst
                        };
                        BoardStep::Say(tf(
                            lang,
                            m,
                            &[&item, &crate::i18n::stage(lang, stage, false)],
                        ))
                    }
                }
            }
            K::CycleCallback => BoardStep::Pick(Picker::open(FollowupField::CallbackResult, f)),
            K::CycleRootCause => BoardStep::Pick(Picker::open(FollowupField::RootCause, f)),
            _ => BoardStep::Pick(Picker::open(FollowupField::Action, f)),
        }
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

    /// Whether saving `e` must be confirmed first: it clears the owner of
    /// an item that is overdue (`current`, the merged item), which would
    /// leave late work with no one on it.
    pub fn needs_confirm(e: &FollowupEvent, current: Option<&FeedbackReport>) -> bool {
        matches!(&e.change, FollowupChange::Owner(o) if o.is_empty())
            && current.is_some_and(|f| f.overdue)
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
                let value = shown_value(lang, &e.change);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The detail writes an item's action as the picker that set it did:
    /// "product" is the action 产品改进, not the root cause 产品.
    #[test]
    fn an_action_reads_as_its_picker_label() {
        assert_eq!(action_label(Lang::Zh, "product"), "产品改进");
        assert_ne!(
            action_label(Lang::Zh, "product"),
            crate::i18n::feed_value(Lang::Zh, "product")
        );
        assert_eq!(action_label(Lang::En, "process_change"), "process change");
        assert_eq!(action_label(Lang::Zh, "tool_fix"), "工具修复");
        assert_eq!(
            action_label(Lang::En, "reorg"),
            "reorg",
            "unknown as written"
        );
    }
}
