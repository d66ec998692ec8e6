//! `shiftdeck export spot-checks|feedback --from D --to D --format csv|json`:
//! the lead's stored entries for days `from..=to` (local dates), read-only.

use std::fmt::Write as _;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::sampling::local_day_range;
use crate::store::{FeedbackEvent, SpotScore, Store};

/// RFC 4180 field: quoted when it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Scorecards as CSV: one row per contact (its newest score), one column per dimension.
pub fn spot_checks_csv(scores: &[SpotScore], tz: Tz) -> String {
    let mut dims: Vec<String> = Vec::new();
    for s in scores {
        for (d, _) in &s.dimensions {
            if !dims.contains(d) {
                dims.push(d.clone());
            }
        }
    }
    let mut head: Vec<String> = ["day", "contact", "agent"].map(String::from).to_vec();
    head.extend(dims.iter().cloned());
    head.extend(
        [
            "total",
            "max",
            "critical_customer",
            "critical_business",
            "critical_compliance",
            "root_cause",
            "comment",
            "author",
            "saved_at",
        ]
        .map(String::from),
    );
    let mut out = csv_line(&head);
    for s in scores {
        let mut row = vec![s.day.to_string(), s.contact.clone(), s.agent.clone()];
        for d in &dims {
            row.push(
                s.dimensions
                    .iter()
                    .find(|(n, _)| n == d)
                    .map_or(String::new(), |(_, v)| v.to_string()),
            );
        }
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        row.extend([
            s.total().to_string(),
            s.max_total().to_string(),
            yes(s.critical_customer),
            yes(s.critical_business),
            yes(s.critical_compliance),
            s.root_cause.clone().unwrap_or_default(),
            s.comment.clone(),
            s.author.clone(),
            s.saved_at.to_rfc3339_in(&tz),
        ]);
        out.push_str(&csv_line(&row));
    }
    out
}

pub fn spot_checks_json(scores: &[SpotScore], tz: Tz) -> serde_json::Value {
    serde_json::Value::Array(
        scores
            .iter()
            .map(|s| {
                serde_json::json!({
                    "day": s.day.to_string(),
                    "contact": s.contact,
                    "agent": s.agent,
                    "dimensions": s.dimensions.iter().map(|(n, v)| (n.clone(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
                    "total": s.total(),
                    "max": s.max_total(),
                    "critical": {"customer": s.critical_customer, "business": s.critical_business, "compliance": s.critical_compliance},
                    "root_cause": s.root_cause,
                    "comment": s.comment,
                    "author": s.author,
                    "saved_at": s.saved_at.to_rfc3339_in(&tz),
                })
            })
            .collect(),
    )
}

pub fn feedback_csv(events: &[FeedbackEvent], tz: Tz) -> String {
    let mut out = csv_line(&["at", "item", "author", "change", "value"].map(String::from));
    for e in events {
        out.push_str(&csv_line(&[
            e.at.to_rfc3339_in(&tz),
            e.item.clone(),
            e.author.clone(),
            e.change.kind().to_string(),
            e.change.value().to_string(),
        ]));
    }
    out
}

pub fn feedback_json(events: &[FeedbackEvent], tz: Tz) -> serde_json::Value {
    serde_json::Value::Array(
        events
            .iter()
            .map(|e| {
                serde_json::json!({
                    "at": e.at.to_rfc3339_in(&tz),
                    "item": e.item,
                    "author": e.author,
                    "change": e.change.kind(),
                    "value": e.change.value(),
                })
            })
            .collect(),
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    SpotChecks,
    Feedback,
}

/// The export text; `None` store (nothing entered yet) gives an empty export.
pub fn export(
    store: Option<&Store>,
    what: What,
    from: NaiveDate,
    to: NaiveDate,
    csv: bool,
    tz: Tz,
) -> anyhow::Result<String> {
    let mut out = String::new();
    match what {
        What::SpotChecks => {
            let scores = match store {
                Some(s) => s.scores(from, to)?,
                None => Vec::new(),
            };
            if csv {
                out = spot_checks_csv(&scores, tz);
            } else {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&spot_checks_json(&scores, tz))?
                )?;
            }
        }
        What::Feedback => {
            let (start, _) = local_day_range(&tz, from);
            let (_, end) = local_day_range(&tz, to);
            let events = match store {
                Some(s) => s.feedback_events(start, end)?,
                None => Vec::new(),
            };
            if csv {
                out = feedback_csv(&events, tz);
            } else {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&feedback_json(&events, tz))?
                )?;
            }
        }
    }
    Ok(out)
}
