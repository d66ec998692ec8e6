//! `shiftdeck export spot-checks|feedback --from D --to D --format csv|json`:
//! the lead's stored entries for days `from..=to` (local dates), read-only,
//! of every source, each row saying its source.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::SourceId;
use crate::domain::sampling::local_day_range;
use crate::i18n::{Lang, Msg, t};
use crate::store::{FeedbackChange, FeedbackEvent, SpotScore, Store};

/// A UTF-8 byte-order mark: spreadsheet programs read a CSV without one in
/// the system code page, which garbles Chinese. Written for Chinese CSV only,
/// so the English form stays plain for scripts.
pub const CSV_BOM: &str = "\u{feff}";

/// The CSV preamble for a language.
pub fn csv_start(lang: Lang) -> String {
    match lang {
        Lang::En => String::new(),
        Lang::Zh => CSV_BOM.to_string(),
    }
}

/// RFC 4180 field: quoted when it holds a comma, quote or line break.
///
/// A cell a spreadsheet would read as a formula (it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return: `=HYPERLINK(…)`, `+agent`) gets a
/// leading `'`, as OWASP recommends against CSV injection, and is quoted;
/// a plain number (`-0.02`, `+6`) is left as it is, since it cannot run.
pub fn csv_field(s: &str) -> String {
    let s = neutralise_formula(s);
    if s.contains([',', '"', '\n', '\r']) || s.starts_with('\'') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// `s` with a `'` in front when a spreadsheet would take it for a formula.
fn neutralise_formula(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// An optional sign, digits, and at most one decimal point among them.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut digits = 0;
    let mut points = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' => points += 1,
            _ => return false,
        }
    }
    digits > 0 && points <= 1
}

/// One RFC 4180 record, CRLF-terminated.
pub fn csv_line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Scorecards as CSV: one row per source and contact (its newest score),
/// one column per dimension, the source last (empty: saved before sources
/// were recorded). Headers and yes/no in the language; data as entered.
pub fn spot_checks_csv(scores: &[(SourceId, SpotScore)], tz: Tz, lang: Lang) -> String {
    let mut dims: Vec<String> = Vec::new();
    for (_, s) in scores {
        for (d, _) in &s.dimensions {
            if !dims.contains(d) {
                dims.push(d.clone());
            }
        }
    }
    let word = |m: Msg| t(lang, m).to_string();
    let mut head: Vec<String> = [Msg::CsvDay, Msg::CsvContact, Msg::CsvAgent]
        .map(word)
        .to_vec();
    head.extend(
        dims.iter()
            .map(|d| crate::i18n::dimension(lang, d).to_string()),
    );
    head.extend(
        [
            Msg::CsvTotal,
            Msg::CsvMax,
            Msg::CsvCriticalCustomer,
            Msg::CsvCriticalBusiness,
            Msg::CsvCriticalCompliance,
            Msg::CsvRootCause,
            Msg::CsvComment,
            Msg::CsvAuthor,
            Msg::CsvSavedAt,
            Msg::CsvSource,
        ]
        .map(word),
    );
    let mut out = csv_start(lang);
    out.push_str(&csv_line(&head));
    for (source, s) in scores {
        let mut row = vec![s.day.to_string(), s.contact.clone(), s.agent.clone()];
        for d in &dims {
            row.push(
                s.dimensions
                    .iter()
                    .find(|(n, _)| n == d)
                    .map_or(String::new(), |(_, v)| v.to_string()),
            );
        }
        let yes = |b: bool| word(if b { Msg::CsvYes } else { Msg::CsvNo });
        row.extend([
            s.total().to_string(),
            s.max_total().to_string(),
            yes(s.critical_customer),
            yes(s.critical_business),
            yes(s.critical_compliance),
            crate::i18n::feed_value(lang, s.root_cause_word().unwrap_or_default()).to_string(),
            s.comment.clone(),
            s.author.clone(),
            s.saved_at.to_rfc3339_in(&tz),
            source.to_string(),
        ]);
        out.push_str(&csv_line(&row));
    }
    out
}

pub fn spot_checks_json(scores: &[(SourceId, SpotScore)], tz: Tz) -> serde_json::Value {
    serde_json::Value::Array(
        scores
            .iter()
            .map(|(source, s)| {
                serde_json::json!({
                    "day": s.day.to_string(),
                    "contact": s.contact,
                    "agent": s.agent,
                    "dimensions": s.dimensions.iter().map(|(n, v)| (n.clone(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
                    "total": s.total(),
                    "max": s.max_total(),
                    "critical": {"customer": s.critical_customer, "business": s.critical_business, "compliance": s.critical_compliance},
                    "root_cause": s.root_cause_word(),
                    "comment": s.comment,
                    "author": s.author,
                    "saved_at": s.saved_at.to_rfc3339_in(&tz),
                    "source": source.as_str(),
                })
            })
            .collect(),
    )
}

/// Follow-up events as CSV; headers, the kind of change and stage names in
/// the language, what the lead typed as typed.
pub fn feedback_csv(events: &[FeedbackEvent], tz: Tz, lang: Lang) -> String {
    let head = [
        Msg::CsvAt,
        Msg::CsvItem,
        Msg::CsvAuthor,
        Msg::CsvChange,
        Msg::CsvValue,
        Msg::CsvSource,
    ]
    .map(|m| t(lang, m).to_string());
    let mut out = csv_start(lang);
    out.push_str(&csv_line(&head));
    for e in events {
        let kind = match &e.change {
            FeedbackChange::Owner(_) => Msg::CsvChangeOwner,
            FeedbackChange::Stage(_) => Msg::CsvChangeStage,
            FeedbackChange::Result(_) => Msg::CsvChangeResult,
            FeedbackChange::CallbackResult(_) => Msg::CsvChangeCallback,
            FeedbackChange::RootCause(_) => Msg::CsvRootCause,
            FeedbackChange::Action(_) => Msg::CsvChangeAction,
        };
        // The known words in the language; what the lead typed as typed.
        let value = match &e.change {
            FeedbackChange::Stage(s) => crate::i18n::stage(lang, s, false),
            FeedbackChange::Owner(v) | FeedbackChange::Result(v) => v,
            other => crate::i18n::feed_value(lang, other.value()),
        };
        out.push_str(&csv_line(&[
            e.at.to_rfc3339_in(&tz),
            e.item.clone(),
            e.author.clone(),
            t(lang, kind).to_string(),
            value.to_string(),
            e.source.to_string(),
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
                    "source": e.source.as_str(),
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
/// JSON is the same in every language: its keys and values are for programs.
pub fn export(
    store: Option<&Store>,
    what: What,
    from: NaiveDate,
    to: NaiveDate,
    csv: bool,
    tz: Tz,
    lang: Lang,
) -> Result<String, super::CliError> {
    let pretty = |v: serde_json::Value| -> Result<String, super::CliError> {
        serde_json::to_string_pretty(&v)
            .map(|s| s + "\n")
            .map_err(|e| super::CliError::Encode((&e).into()))
    };
    match what {
        What::SpotChecks => {
            let scores = match store {
                Some(s) => s.scores_every_source(from, to)?,
                None => Vec::new(),
            };
            if csv {
                Ok(spot_checks_csv(&scores, tz, lang))
            } else {
                pretty(spot_checks_json(&scores, tz))
            }
        }
        What::Feedback => {
            let (start, _) = local_day_range(&tz, from);
            let (_, end) = local_day_range(&tz, to);
            let events = match store {
                Some(s) => s.feedback_events_every_source(start, end)?,
                None => Vec::new(),
            };
            if csv {
                Ok(feedback_csv(&events, tz, lang))
            } else {
                pretty(feedback_json(&events, tz))
            }
        }
    }
}
