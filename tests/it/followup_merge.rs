//! Follow-up merge rules with hand-computed times.

use std::collections::HashMap;

use chrono_tz::Tz;
use shiftdeck::domain::FeedbackReport;
use shiftdeck::domain::Ts;
use shiftdeck::domain::followup::{
    FeedWatch, FollowupAction, FollowupChange, FollowupEvent, FollowupField, FollowupRules,
    add_business_days, merge, stage_step, step,
};
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::domain::{CallbackResult, RootCause, Stage};

fn t(s: &str) -> Ts {
    parse_rfc3339(s).unwrap()
}

fn berlin() -> Tz {
    "Europe/Berlin".parse().unwrap()
}

fn item(id: &str, stage: &str, received: &str) -> FeedbackReport {
    FeedbackReport {
        id: id.into(),
        stage: Some(stage.into()),
        received_at: Some(t(received)),
        source: Some("chat".into()),
        ..FeedbackReport::default()
    }
}

fn ev(item: &str, at: &str, field: FollowupField, value: &str) -> FollowupEvent {
    FollowupEvent {
        item: item.into(),
        at: t(at),
        change: FollowupChange::parse(field, value).expect("a known value"),
    }
}

fn run(
    feed: &[FeedbackReport],
    events: &[FollowupEvent],
    changed: &HashMap<String, Ts>,
    now: &str,
) -> Vec<FeedbackReport> {
    merge(
        feed,
        events,
        changed,
        &FollowupRules::default(),
        berlin(),
        t(now),
    )
}

#[test]
fn local_event_wins_over_the_feed_field() {
    let feed = [item("F1", "new", "2026-11-20T09:00:00Z")];
    let events = [
        ev(
            "F1",
            "2026-11-20T10:00:00Z",
            FollowupField::Stage,
            "handling",
        ),
        ev("F1", "2026-11-20T10:05:00Z", FollowupField::Owner, "ann"),
        ev(
            "F1",
            "2026-11-20T10:06:00Z",
            FollowupField::Action,
            "coaching",
        ),
    ];
    let out = run(&feed, &events, &HashMap::new(), "2026-11-20T10:30:00Z");
    assert_eq!(out[0].stage.as_deref(), Some("handling"));
    assert_eq!(out[0].owner.as_deref(), Some("ann"));
    assert_eq!(out[0].action.as_deref(), Some("coaching"));
    assert!(out[0].local);
    assert_eq!(out[0].stage_since, Some(t("2026-11-20T10:00:00Z")));
    // Last change 10:06, now 10:30: 24 min < 1 h, not stale.
    assert!(!out[0].stale);
    // Another item's events never touch it.
    let other = run(
        &[item("F2", "new", "2026-11-20T09:00:00Z")],
        &events,
        &HashMap::new(),
        "2026-11-20T10:30:00Z",
    );
    assert!(!other[0].local);
    assert_eq!(other[0].stage.as_deref(), Some("new"));
    assert_eq!(other[0].stage_since, Some(t("2026-11-20T09:00:00Z")));
}

#[test]
fn a_newer_feed_change_wins_until_a_later_event() {
    let feed = [item("F1", "resolved", "2026-11-20T09:00:00Z")];
    let mut changed = HashMap::new();
    changed.insert("F1".to_string(), t("2026-11-20T10:30:00Z"));
    let old = [ev(
        "F1",
        "2026-11-20T10:00:00Z",
        FollowupField::Stage,
        "handling",
    )];
    let out = run(&feed, &old, &changed, "2026-11-20T11:00:00Z");
    assert_eq!(out[0].stage.as_deref(), Some("resolved"));
    assert!(!out[0].local);
    let mut both = old.to_vec();
    both.push(ev(
        "F1",
        "2026-11-20T10:45:00Z",
        FollowupField::Stage,
        "callback",
    ));
    let out = run(&feed, &both, &changed, "2026-11-20T11:00:00Z");
    assert_eq!(out[0].stage.as_deref(), Some("callback"));
    assert!(out[0].local);
}

#[test]
fn feed_watch_times_a_change_not_a_repeat() {
    let mut w = FeedWatch::default();
    let a = item("F1", "new", "2026-11-20T09:00:00Z");
    w.observe(std::slice::from_ref(&a), t("2026-11-20T10:00:00Z"));
    assert!(w.changed.is_empty(), "first sight is not a change");
    w.observe(std::slice::from_ref(&a), t("2026-11-20T10:10:00Z"));
    assert!(w.changed.is_empty());
    let b = item("F1", "handling", "2026-11-20T09:00:00Z");
    w.observe(std::slice::from_ref(&b), t("2026-11-20T10:20:00Z"));
    assert_eq!(w.changed.get("F1"), Some(&t("2026-11-20T10:20:00Z")));
}

#[test]
fn events_apply_in_time_order() {
    let feed = [item("F1", "new", "2026-11-20T09:00:00Z")];
    // Given out of order: the 11:00 event is the later one and wins.
    let events = [
        ev(
            "F1",
            "2026-11-20T11:00:00Z",
            FollowupField::Stage,
            "resolved",
        ),
        ev(
            "F1",
            "2026-11-20T10:00:00Z",
            FollowupField::Stage,
            "handling",
        ),
    ];
    let out = run(&feed, &events, &HashMap::new(), "2026-11-20T12:00:00Z");
    assert_eq!(out[0].stage.as_deref(), Some("resolved"));
    assert_eq!(out[0].stage_since, Some(t("2026-11-20T11:00:00Z")));
}

#[test]
fn unsatisfied_callback_reopens_due_in_24_hours() {
    let mut f = item("F1", "callback", "2026-11-18T09:00:00Z");
    f.due_at = Some(t("2026-11-19T09:00:00Z"));
    let events = [ev(
        "F1",
        "2026-11-20T14:00:00Z",
        FollowupField::CallbackResult,
        "unsatisfied",
    )];
    let out = run(
        &[f.clone()],
        &events,
        &HashMap::new(),
        "2026-11-21T13:59:00Z",
    );
    assert_eq!(out[0].stage.as_deref(), Some("handling"));
    assert_eq!(out[0].due_at, Some(t("2026-11-21T14:00:00Z")));
    assert_eq!(out[0].callback_result.as_deref(), Some("unsatisfied"));
    assert!(!out[0].overdue);
    assert_eq!(out[0].stage_since, Some(t("2026-11-20T14:00:00Z")));
    let late = run(
        &[f.clone()],
        &events,
        &HashMap::new(),
        "2026-11-21T14:01:00Z",
    );
    assert!(late[0].overdue);
    // Satisfied keeps the stage and the due.
    let ok = [ev(
        "F1",
        "2026-11-20T14:00:00Z",
        FollowupField::CallbackResult,
        "satisfied",
    )];
    let out = run(&[f], &ok, &HashMap::new(), "2026-11-20T15:00:00Z");
    assert_eq!(out[0].stage.as_deref(), Some("callback"));
    assert_eq!(out[0].due_at, Some(t("2026-11-19T09:00:00Z")));
}

#[test]
fn complaint_due_skips_the_weekend() {
    // Friday 2026-11-20 16:30 in Berlin (UTC+1) = 15:30Z; one business day
    // later is Monday 2026-11-23 16:30 local = 15:30Z.
    assert_eq!(
        add_business_days(t("2026-11-20T15:30:00Z"), 1, berlin()),
        t("2026-11-23T15:30:00Z")
    );
    // Saturday 10:00 local: Sunday skipped, Monday counts.
    assert_eq!(
        add_business_days(t("2026-11-21T09:00:00Z"), 1, berlin()),
        t("2026-11-23T09:00:00Z")
    );
    let mut c = item("C1", "new", "2026-11-20T15:30:00Z");
    c.source = Some("phone_complaint".into());
    let out = run(&[c.clone()], &[], &HashMap::new(), "2026-11-23T15:31:00Z");
    assert_eq!(out[0].due_at, Some(t("2026-11-23T15:30:00Z")));
    assert!(out[0].overdue);
    // Investigated (handling): resolve within 5 days of receipt.
    c.stage = Some("handling".into());
    let out = run(&[c], &[], &HashMap::new(), "2026-11-21T15:30:00Z");
    assert_eq!(out[0].due_at, Some(t("2026-11-25T15:30:00Z")));
    assert!(!out[0].overdue);
}

#[test]
fn handling_without_progress_for_an_hour_is_stale() {
    let feed = [item("F1", "handling", "2026-11-20T09:00:00Z")];
    let out = run(&feed, &[], &HashMap::new(), "2026-11-20T10:00:01Z");
    assert!(out[0].stale);
    let out = run(&feed, &[], &HashMap::new(), "2026-11-20T09:59:00Z");
    assert!(!out[0].stale);
    let owner = [ev("F1", "2026-11-20T09:30:00Z", FollowupField::Owner, "bo")];
    let out = run(&feed, &owner, &HashMap::new(), "2026-11-20T10:00:01Z");
    assert!(!out[0].stale, "the 09:30 change is 30 min old");
}

#[test]
fn cycles_and_stage_steps() {
    assert_eq!(stage_step(Some(Stage::New), true), Some(Stage::Handling));
    assert_eq!(stage_step(Some(Stage::Callback), true), Some(Stage::Closed));
    assert_eq!(stage_step(Some(Stage::Closed), true), None);
    assert_eq!(stage_step(Some(Stage::New), false), None);
    assert_eq!(
        stage_step(Some(Stage::Resolved), false),
        Some(Stage::Handling)
    );
    // No known stage: forward starts the loop, backward goes nowhere.
    assert_eq!(stage_step(None, true), Some(Stage::New));
    assert_eq!(stage_step(None, false), None);
    assert_eq!(step(RootCause::KNOWN, None, true), RootCause::Agent);
    assert_eq!(
        step(RootCause::KNOWN, Some(RootCause::Product), true),
        RootCause::Agent
    );
    assert_eq!(
        step(RootCause::KNOWN, Some(RootCause::Agent), false),
        RootCause::Product
    );
}

#[test]
fn feedback_table_in_the_config() {
    let path = std::path::Path::new("shiftdeck.toml");
    let (_, extra) = shiftdeck::config::parse_with_extra(
        "[feedback]\nescalation_stale_h = 2\nresolve_within_days = 7\n",
        path,
    )
    .unwrap();
    assert_eq!(
        extra.feedback,
        FollowupRules {
            investigate_within_business_days: 1,
            resolve_within_days: 7,
            callback_unsatisfied_reopens_h: 24,
            escalation_stale_h: 2,
        }
    );
    let (_, none) = shiftdeck::config::parse_with_extra("", path).unwrap();
    assert_eq!(none.feedback, FollowupRules::default());
    let zero = shiftdeck::config::parse_with_extra("[feedback]\nescalation_stale_h = 0\n", path)
        .unwrap_err()
        .to_string();
    assert!(zero.contains("feedback.escalation_stale_h"), "{zero}");
    let unknown =
        shiftdeck::config::parse_with_extra("[feedback]\nstale_after = 3\n", path).unwrap_err();
    assert!(unknown.to_string().contains("stale_after"), "{unknown}");
}

#[test]
fn stored_values_parse_to_typed_changes_and_unknown_words_do_not() {
    use FollowupField as F;
    assert_eq!(
        FollowupChange::parse(F::Stage, "callback"),
        Some(FollowupChange::Stage(Stage::Callback))
    );
    assert_eq!(
        FollowupChange::parse(F::CallbackResult, "unreached"),
        Some(FollowupChange::CallbackResult(CallbackResult::Unreached))
    );
    assert_eq!(
        FollowupChange::parse(F::Action, "tool_fix"),
        Some(FollowupChange::Action(FollowupAction::ToolFix))
    );
    // Free text stays as typed, empty included (a cleared owner).
    assert_eq!(
        FollowupChange::parse(F::Owner, ""),
        Some(FollowupChange::Owner(String::new()))
    );
    // A word this build does not know is not turned into a change.
    assert_eq!(FollowupChange::parse(F::Stage, "archived"), None);
    assert_eq!(FollowupChange::parse(F::RootCause, "Agent"), None);
    assert_eq!(FollowupChange::parse(F::Action, ""), None);
    // Each typed value goes back to the word it was read from.
    for (field, word) in [
        (F::Stage, "handling"),
        (F::CallbackResult, "unsatisfied"),
        (F::RootCause, "system"),
        (F::Action, "process_change"),
        (F::Result, "refund 30"),
    ] {
        let change = FollowupChange::parse(field, word).expect("known");
        assert_eq!((change.field(), change.value()), (field, word));
    }
}
