//! Feedback follow-up: the lead's local events (owner, stage, results, root
//! cause, action) merged over the feed's state of each item, plus the
//! overdue rules from config.
//!
//! Merge rule (also in docs/store.md):
//! - Events apply in time order (ties in the order given, i.e. saving order).
//! - A local event wins over the feed's field until the feed shows a change
//!   to that item newer than the event. "A change" is exact and simple: the
//!   console remembers, per item, the follow-up fields the feed last sent
//!   (stage, owner, due, result, callback result, root cause) and the clock
//!   time at which a view arrived with different values ([`FeedWatch`]).
//!   Events older than that time are dropped for that item; later events
//!   apply again. An item first seen (e.g. after a restart) has no change
//!   time, so every event applies.
//! - An unsatisfied callback result reopens the item: stage `handling`, due
//!   `callback_unsatisfied_reopens_h` after the event.
//! - A complaint (`source = phone_complaint`) without `due_at` is due
//!   `investigate_within_business_days` business days (Saturday and Sunday
//!   skipped, in the configured zone, same local time) after `received_at`
//!   while `new`, else `resolve_within_days` calendar days after it.
//! - An item in `handling` whose last change (local event, feed change, else
//!   `received_at`) is older than `escalation_stale_h` is stale.
//! - Time in stage counts from the last local stage change (a reopen counts),
//!   else from `received_at`.

use std::collections::HashMap;

use chrono::{Datelike, Duration, TimeZone, Weekday};
use chrono_tz::Tz;

use super::record::{CallbackResult, FeedbackSource, RootCause, Stage};
use super::snapshot::FeedbackReport;
use super::time::Ts;

/// What the lead decided to do about an item's root cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FollowupAction {
    Coaching,
    ProcessChange,
    ToolFix,
    Product,
}

impl FollowupAction {
    /// In the order `c` cycles through them.
    pub const ALL: [FollowupAction; 4] = [
        FollowupAction::Coaching,
        FollowupAction::ProcessChange,
        FollowupAction::ToolFix,
        FollowupAction::Product,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowupAction::Coaching => "coaching",
            FollowupAction::ProcessChange => "process_change",
            FollowupAction::ToolFix => "tool_fix",
            FollowupAction::Product => "product",
        }
    }

    pub fn from_known(s: &str) -> Option<FollowupAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Which field an event sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowupField {
    Owner,
    Stage,
    Result,
    CallbackResult,
    RootCause,
    Action,
}

/// What one event sets: free text for the owner and the result (empty =
/// cleared), a known value for the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FollowupChange {
    Owner(String),
    Stage(Stage),
    Result(String),
    CallbackResult(CallbackResult),
    RootCause(RootCause),
    Action(FollowupAction),
}

impl FollowupChange {
    pub fn field(&self) -> FollowupField {
        match self {
            FollowupChange::Owner(_) => FollowupField::Owner,
            FollowupChange::Stage(_) => FollowupField::Stage,
            FollowupChange::Result(_) => FollowupField::Result,
            FollowupChange::CallbackResult(_) => FollowupField::CallbackResult,
            FollowupChange::RootCause(_) => FollowupField::RootCause,
            FollowupChange::Action(_) => FollowupField::Action,
        }
    }

    /// The value as stored and as the board shows it: the text, or the
    /// wire word of a known value.
    pub fn value(&self) -> &str {
        match self {
            FollowupChange::Owner(v) | FollowupChange::Result(v) => v,
            FollowupChange::Stage(s) => s.known_str().unwrap_or(""),
            FollowupChange::CallbackResult(c) => c.known_str().unwrap_or(""),
            FollowupChange::RootCause(r) => r.known_str().unwrap_or(""),
            FollowupChange::Action(a) => a.as_str(),
        }
    }

    /// A stored field and value; `None` for a value this build does not know.
    pub fn parse(field: FollowupField, value: &str) -> Option<FollowupChange> {
        Some(match field {
            FollowupField::Owner => FollowupChange::Owner(value.to_string()),
            FollowupField::Result => FollowupChange::Result(value.to_string()),
            FollowupField::Stage => FollowupChange::Stage(Stage::from_known(value)?),
            FollowupField::CallbackResult => {
                FollowupChange::CallbackResult(CallbackResult::from_known(value)?)
            }
            FollowupField::RootCause => FollowupChange::RootCause(RootCause::from_known(value)?),
            FollowupField::Action => FollowupChange::Action(FollowupAction::from_known(value)?),
        })
    }
}

/// One local follow-up event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowupEvent {
    pub item: String,
    pub at: Ts,
    pub change: FollowupChange,
}

/// Overdue rules (config `[feedback]`), with the guides' defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowupRules {
    pub investigate_within_business_days: u32,
    pub resolve_within_days: u32,
    pub callback_unsatisfied_reopens_h: u32,
    pub escalation_stale_h: u32,
}

impl Default for FollowupRules {
    fn default() -> Self {
        FollowupRules {
            investigate_within_business_days: 1,
            resolve_within_days: 5,
            callback_unsatisfied_reopens_h: 24,
            escalation_stale_h: 1,
        }
    }
}

/// The next (`forward`) or previous value in a cycle list; no current
/// value (or one not in the list) starts at the first value.
pub fn step<T: Copy + PartialEq>(list: &[T], current: Option<T>, forward: bool) -> T {
    let n = list.len();
    match current.and_then(|c| list.iter().position(|v| *v == c)) {
        None => list[0],
        Some(i) if forward => list[(i + 1) % n],
        Some(i) => list[(i + n - 1) % n],
    }
}

/// The next or previous stage in loop order (`Stage::KNOWN`), `None` at
/// either end; an item without a known stage moves forward to `new`.
pub fn stage_step(current: Option<Stage>, forward: bool) -> Option<Stage> {
    let order = Stage::KNOWN;
    let Some(i) = current.and_then(|c| order.iter().position(|s| *s == c)) else {
        return forward.then_some(order[0]);
    };
    if forward {
        order.get(i + 1).copied()
    } else {
        i.checked_sub(1).map(|j| order[j])
    }
}

/// Whether a report's stage (a wire word) is `stage`.
fn is_stage(f: &FeedbackReport, stage: Stage) -> bool {
    f.stage.is_some() && f.stage.as_deref() == stage.known_str()
}

type Fingerprint = (
    Option<String>,
    Option<String>,
    Option<Ts>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn fingerprint(f: &FeedbackReport) -> Fingerprint {
    (
        f.stage.clone(),
        f.owner.clone(),
        f.due_at,
        f.result.clone(),
        f.callback_result.clone(),
        f.root_cause.clone(),
    )
}

/// Remembers what the feed last said per item and when it last changed.
#[derive(Clone, Debug, Default)]
pub struct FeedWatch {
    last: HashMap<String, Fingerprint>,
    /// Item id → clock time of the view that showed the feed's latest change.
    pub changed: HashMap<String, Ts>,
}

impl FeedWatch {
    /// Notes the feed's items as seen at `at`.
    pub fn observe(&mut self, feed: &[FeedbackReport], at: Ts) {
        for f in feed {
            let fp = fingerprint(f);
            match self.last.get(&f.id) {
                Some(prev) if *prev == fp => {}
                Some(_) => {
                    self.changed.insert(f.id.clone(), at);
                    self.last.insert(f.id.clone(), fp);
                }
                None => {
                    self.last.insert(f.id.clone(), fp);
                }
            }
        }
    }
}

/// `n` business days after `from` (Saturday and Sunday skipped) at the same
/// local time in `tz`.
pub fn add_business_days(from: Ts, n: u32, tz: Tz) -> Ts {
    let mut local = from.to_utc().with_timezone(&tz).naive_local();
    let mut left = n;
    while left > 0 {
        local += Duration::days(1);
        if !matches!(local.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    match tz.from_local_datetime(&local).earliest() {
        Some(dt) => Ts::from_datetime(&dt),
        // A local time skipped by a clock change: count whole days instead.
        None => from.add_secs(i64::from(n) * 86_400),
    }
}

/// The board's items: the feed with the local events applied (see the
/// module doc), most urgent first (due ascending, then received, then id).
pub fn merge(
    feed: &[FeedbackReport],
    events: &[FollowupEvent],
    feed_changed: &HashMap<String, Ts>,
    rules: &FollowupRules,
    tz: Tz,
    now: Ts,
) -> Vec<FeedbackReport> {
    let mut by_item: HashMap<&str, Vec<&FollowupEvent>> = HashMap::new();
    for e in events {
        by_item.entry(e.item.as_str()).or_default().push(e);
    }
    for list in by_item.values_mut() {
        // Stable: equal times keep the saving order.
        list.sort_by_key(|e| e.at);
    }
    let mut out: Vec<FeedbackReport> = feed
        .iter()
        .map(|f| {
            let mut m = f.clone();
            m.stage_since = f.received_at;
            let feed_change = feed_changed.get(&f.id).copied();
            let mut last_change = match (f.received_at, feed_change) {
                (Some(r), Some(c)) => Some(r.max(c)),
                (r, c) => r.or(c),
            };
            let mut reopened_due = None;
            for e in by_item.get(f.id.as_str()).into_iter().flatten() {
                if feed_change.is_some_and(|c| c > e.at) {
                    continue;
                }
                m.local = true;
                last_change = Some(last_change.map_or(e.at, |l| l.max(e.at)));
                // An empty value clears the field (an owner unassigned).
                let v = (!e.change.value().is_empty()).then(|| e.change.value().to_string());
                match &e.change {
                    FollowupChange::Owner(_) => m.owner = v,
                    FollowupChange::Stage(_) => {
                        m.stage = v;
                        m.stage_since = Some(e.at);
                    }
                    FollowupChange::Result(_) => m.result = v,
                    FollowupChange::CallbackResult(c) => {
                        if *c == CallbackResult::Unsatisfied {
                            m.stage = Stage::Handling.known_str().map(String::from);
                            m.stage_since = Some(e.at);
                            let h = i64::from(rules.callback_unsatisfied_reopens_h);
                            reopened_due = Some(e.at.add_secs(h * 3600));
                        }
                        m.callback_result = v;
                    }
                    FollowupChange::RootCause(_) => m.root_cause = v,
                    FollowupChange::Action(_) => m.action = v,
                }
            }
            if let Some(due) = reopened_due {
                m.due_at = Some(due);
            } else if m.due_at.is_none()
                && m.source.is_some()
                && m.source.as_deref() == FeedbackSource::PhoneComplaint.known_str()
                && let Some(r) = m.received_at
            {
                m.due_at = Some(if m.stage.is_none() || is_stage(&m, Stage::New) {
                    add_business_days(r, rules.investigate_within_business_days, tz)
                } else {
                    r.add_secs(i64::from(rules.resolve_within_days) * 86_400)
                });
            }
            let closed = is_stage(&m, Stage::Closed);
            m.overdue = !closed && m.due_at.is_some_and(|d| now > d);
            let stale_s = f64::from(rules.escalation_stale_h) * 3600.0;
            m.stale = is_stage(&m, Stage::Handling)
                && last_change.is_some_and(|l| now.secs_since(l) > stale_s);
            m
        })
        .collect();
    super::feedback::sort_board(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_result_wins_until_a_newer_feed_change() {
        let feed = vec![FeedbackReport {
            id: "f9".into(),
            result: Some("apologised".into()),
            ..Default::default()
        }];
        let saved = FollowupEvent {
            item: "f9".into(),
            at: Ts::from_secs(1_000),
            change: FollowupChange::Result("refund 30".into()),
        };
        let rules = FollowupRules::default();
        let tz = chrono_tz::Asia::Shanghai;
        let now = Ts::from_secs(2_000);
        let events = [saved];
        let result = |changed: &HashMap<String, Ts>| {
            merge(&feed, &events, changed, &rules, tz, now)[0]
                .result
                .clone()
        };
        // No feed change, or one before the save: the lead's result shows.
        let mut changed = HashMap::new();
        assert_eq!(result(&changed).as_deref(), Some("refund 30"));
        changed.insert("f9".to_string(), Ts::from_secs(999));
        assert_eq!(result(&changed).as_deref(), Some("refund 30"));
        // The feed changed the item after the save: the feed's value is back.
        changed.insert("f9".to_string(), Ts::from_secs(1_001));
        assert_eq!(result(&changed).as_deref(), Some("apologised"));
    }
}
