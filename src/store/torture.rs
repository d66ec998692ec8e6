//! The hidden `store-torture` command used by the durability test: it saves
//! entries as fast as it can and prints `ack <kind> <id> <contact>` only
//! after each save returned, so a test that kills it at a random moment
//! knows exactly which entries were acknowledged. The command is built
//! only with the `torture` feature; the entries it saves ([`entry`],
//! [`event`]) are fixtures other tests use too.

use chrono::NaiveDate;

use super::{FeedbackChange, NewFeedbackEvent, SpotScore};
use crate::domain::Ts;

/// The score the torture run saves as entry `n` (the test rebuilds it to compare).
pub fn entry(n: u64) -> SpotScore {
    let v = |k: u64| (((n + k) % 5) + 1) as u8;
    SpotScore {
        id: None,
        day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
        contact: format!("c-{n}"),
        agent: format!("a-{}", n % 7),
        dimensions: vec![
            ("responsiveness".into(), v(0)),
            ("attitude".into(), v(1)),
            ("expertise".into(), v(2)),
            ("resolution".into(), v(3)),
        ],
        scale_max: 5,
        critical_customer: n.is_multiple_of(3),
        critical_business: n.is_multiple_of(5),
        critical_compliance: n.is_multiple_of(11),
        root_cause: Some(crate::domain::RootCause::KNOWN[(n % 4) as usize]),
        comment: format!("entry {n} {}", "x".repeat((n % 200) as usize)),
        author: "torture".into(),
        saved_at: Ts::from_secs(1_790_000_000 + n as i64),
    }
}

/// The event the torture run saves as entry `n`.
pub fn event(n: u64) -> NewFeedbackEvent {
    NewFeedbackEvent {
        item: format!("fb-{n}"),
        at: Ts::from_secs(1_790_000_000 + n as i64),
        author: "torture".into(),
        change: FeedbackChange::Owner(format!("owner-{n}")),
    }
}

/// Saves entries `start..start + count` (a score, and every third also a
/// feedback event), acknowledging each on stdout.
#[cfg(feature = "torture")]
pub fn run(db: &std::path::Path, start: u64, count: u64) -> anyhow::Result<()> {
    use std::io::Write;
    let store = super::Store::open(db)?;
    let mut out = std::io::stdout().lock();
    for n in start..start.saturating_add(count) {
        let id = store.save_score(&entry(n))?;
        writeln!(out, "ack score {id} {n}")?;
        if n.is_multiple_of(3) {
            let id = store.add_feedback_event(&event(n))?;
            writeln!(out, "ack event {id} {n}")?;
        }
        out.flush()?;
    }
    Ok(())
}
