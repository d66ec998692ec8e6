//! The feedback-closure board (spec section 4): every feedback item in every
//! stage, overdue flags at "now", sorted by due date.
//!
//! Decisions where the spec is silent (also in the lead's report):
//! - An item without a `stage` is not closed, so it can be overdue.
//! - Order: `due_at` ascending (earliest due is the most urgent), items
//!   without `due_at` last; ties by `received_at` (missing last), then id.
//!   Closed items are not moved: the pane may group by stage itself.
//! - `owner` and `customer` are the ids as given (not display names), so the
//!   JSON matches the feed.

use std::cmp::Ordering;

use super::floor::Floor;
use super::intern::Interner;
use super::record::{Feedback, Stage};
use super::snapshot::FeedbackReport;
use super::time::Ts;

/// Every feedback item, most urgent first.
pub fn feedback_reports(floor: &Floor, now: Ts) -> Vec<FeedbackReport> {
    let items = floor.feedback();
    // The board's order on the stored items, then one report each in that
    // order: sorting the small slot numbers instead of the large reports.
    // Ids are unique, so the order is total and an unstable sort is exact.
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&items[a as usize], &items[b as usize]);
        missing_last(a.due_at, b.due_at)
            .then_with(|| missing_last(a.received_at, b.received_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    order
        .into_iter()
        .map(|i| report(&items[i as usize], &floor.names, now))
        .collect()
}

/// The board's row for one feedback item at `now`.
pub fn report(f: &Feedback, names: &Interner, now: Ts) -> FeedbackReport {
    let text = |s: &Option<Box<str>>| s.as_deref().map(str::to_string);
    FeedbackReport {
        // `to_owned` on the text: `to_string` on a `Box<str>` formats it.
        id: f.id.as_ref().to_owned(),
        stage: f.stage.map(|s| s.as_str(names).to_string()),
        owner: f.owner.map(|o| names.resolve(o).to_string()),
        due_at: f.due_at,
        overdue: overdue(f.stage == Some(Stage::Closed), f.due_at, now),
        source: f.source.map(|s| s.as_str(names).to_string()),
        category: f.category.map(|c| c.as_str(names).to_string()),
        summary: text(&f.summary),
        customer: f.customer.map(|c| names.resolve(c).to_string()),
        received_at: f.received_at,
        result: text(&f.result),
        callback_result: f.callback_result.map(|r| r.as_str(names).to_string()),
        root_cause: f.root_cause.map(|r| r.as_str(names).to_string()),
        ..FeedbackReport::default()
    }
}

/// Whether an item (closed or not) due at `due_at` is overdue at `now`: a
/// closed item never is, nor one without a due date.
pub fn overdue(closed: bool, due_at: Option<Ts>, now: Ts) -> bool {
    !closed && due_at.is_some_and(|due| now > due)
}

/// The board's order: by `due_at` (most urgent first, undated last), then
/// `received_at`, then id.
pub fn sort_board(items: &mut [FeedbackReport]) {
    items.sort_by(|a, b| {
        missing_last(a.due_at, b.due_at)
            .then_with(|| missing_last(a.received_at, b.received_at))
            .then_with(|| a.id.cmp(&b.id))
    });
}

fn missing_last(a: Option<Ts>, b: Option<Ts>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::Record;
    use crate::domain::testkit::*;

    fn item(id: &str, stage: Stage, due: Option<&str>, received: Option<&str>) -> Record {
        Record::Feedback(Feedback {
            id: id.into(),
            source: None,
            summary: None,
            customer: None,
            received_at: received.map(t),
            category: None,
            owner: None,
            stage: Some(stage),
            due_at: due.map(t),
            result: None,
            callback_result: None,
            root_cause: None,
        })
    }

    #[test]
    fn overdue_and_order() {
        let mut b = Builder::new();
        for r in [
            item("nodue-b", Stage::New, None, Some("08:00:00")),
            item("nodue-a", Stage::New, None, Some("08:00:00")),
            item("late", Stage::Handling, Some("09:00:00"), None),
            item("closed-late", Stage::Closed, Some("08:00:00"), None),
            item("due-now", Stage::Callback, Some("10:00:00"), None),
            item("nodue-early", Stage::New, None, Some("07:00:00")),
        ] {
            b.floor.apply(r);
        }
        let list = feedback_reports(&b.floor, t("10:00:00"));
        let ids: Vec<&str> = list.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "closed-late",
                "late",
                "due-now",
                "nodue-early",
                "nodue-a",
                "nodue-b"
            ]
        );
        let overdue: Vec<bool> = list.iter().map(|f| f.overdue).collect();
        // Closed is never overdue; due exactly now is not yet overdue.
        assert_eq!(overdue, [false, true, false, false, false, false]);
        assert_eq!(list[1].stage.as_deref(), Some("handling"));
    }
}
