//! `shiftdeck export spot-checks|feedback --from D --to D --format csv|json`:
//! the lead's stored entries for days `from..=to` (local dates), read-only,
//! of every source, each row saying its source.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::followup::{self, FollowupEvent, FollowupRules};
use crate::domain::sampling::local_day_range;
use crate::domain::snapshot::FeedbackReport;
use crate::domain::{SourceId, Ts};
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
    let s = super::csv_read::neutralise_formula(s);
    if s.contains([',', '"', '\n', '\r']) || s.starts_with('\'') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
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
/// Everything a scorecard holds is there (the scale each dimension was
/// scored on, who scored and when to the nanosecond), so `import
/// spot-checks` gives back the same scorecards; total and max are derived.
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
            Msg::CsvScale,
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
            s.scale_max.to_string(),
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
                    "scale": s.scale_max,
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

/// One item's current state, as the board would show it from the lead's
/// stored changes: the change log replayed under the board's merge rules
/// (`domain::followup`), so the automatic reopen after an unsatisfied
/// callback (stage `handling`, a new due) is in it although no change row
/// says so. The store holds no copy of the feed, so a field only the feed
/// set (e.g. a complaint's original due) is empty here.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemState {
    pub source: SourceId,
    /// The merged item: stage, owner, due, result, callback result, root
    /// cause and action as wire words or text.
    pub item: FeedbackReport,
    /// The newest stored change of the item.
    pub last_change: Ts,
}

/// The state of every item with a change in `events` at or after `from`,
/// from all of `events` (pass the whole history up to the end of the range
/// so the state is the one at that end). Sorted by source, then item id.
pub fn current_state(
    events: &[FeedbackEvent],
    from: Ts,
    rules: &FollowupRules,
    tz: Tz,
) -> Vec<ItemState> {
    // Source → item → newest change.
    let mut items: BTreeMap<&SourceId, BTreeMap<&str, Ts>> = BTreeMap::new();
    for e in events.iter().filter(|e| e.at >= from) {
        let last = items.entry(&e.source).or_default();
        let t = last.entry(e.item.as_str()).or_insert(e.at);
        *t = (*t).max(e.at);
    }
    let mut out = Vec::new();
    for (source, last) in items {
        let followups: Vec<FollowupEvent> = events
            .iter()
            .filter(|e| &e.source == source && last.contains_key(e.item.as_str()))
            .filter_map(FeedbackEvent::to_followup)
            .collect();
        let feed: Vec<FeedbackReport> = last
            .keys()
            .map(|id| FeedbackReport {
                id: (*id).to_string(),
                ..Default::default()
            })
            .collect();
        let now = last.values().copied().max().unwrap_or(from);
        let mut merged = followup::merge(&feed, &followups, &HashMap::new(), rules, tz, now);
        merged.sort_by(|a, b| a.id.cmp(&b.id));
        for item in merged {
            let last_change = last.get(item.id.as_str()).copied().unwrap_or(from);
            out.push(ItemState {
                source: source.clone(),
                item,
                last_change,
            });
        }
    }
    out
}

/// A stage as the feedback CSV writes it: in the language (both sections).
fn stage_cell(lang: Lang, stage: &str) -> String {
    crate::i18n::stage(lang, stage, false).to_string()
}

/// A known word of the data (callback result, root cause, action) in the
/// language; an unknown one as written.
fn word_cell(lang: Lang, v: &Option<String>) -> String {
    v.as_deref().map_or(String::new(), |v| {
        crate::i18n::feed_value(lang, v).to_string()
    })
}

/// Feedback as CSV, two tables one after the other, each with its header
/// row, separated by one empty line:
/// 1. the change log: one row per stored change, oldest first
///    (`at,item,author,change,value,source`);
/// 2. the current state: one row per item changed in the range
///    (`item,stage,owner,due,result,callback_result,root_cause,action,
///    last_change,source`), see [`current_state`].
///
/// Headers, the kind of change and stage names in the language, what the
/// lead typed as typed, times RFC 3339 in the configured zone.
pub fn feedback_csv(events: &[FeedbackEvent], state: &[ItemState], tz: Tz, lang: Lang) -> String {
    let word = |m: Msg| t(lang, m).to_string();
    let head = [
        Msg::CsvAt,
        Msg::CsvItem,
        Msg::CsvAuthor,
        Msg::CsvChange,
        Msg::CsvValue,
        Msg::CsvSource,
    ]
    .map(word);
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
            FeedbackChange::Stage(s) => stage_cell(lang, s),
            FeedbackChange::Owner(v) | FeedbackChange::Result(v) => v.clone(),
            other => crate::i18n::feed_value(lang, other.value()).to_string(),
        };
        out.push_str(&csv_line(&[
            e.at.to_rfc3339_in(&tz),
            e.item.clone(),
            e.author.clone(),
            t(lang, kind).to_string(),
            value,
            e.source.to_string(),
        ]));
    }
    out.push_str("\r\n");
    let head = [
        Msg::CsvItem,
        Msg::CsvChangeStage,
        Msg::CsvChangeOwner,
        Msg::CsvDue,
        Msg::CsvChangeResult,
        Msg::CsvChangeCallback,
        Msg::CsvRootCause,
        Msg::CsvChangeAction,
        Msg::CsvLastChange,
        Msg::CsvSource,
    ]
    .map(word);
    out.push_str(&csv_line(&head));
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    for s in state {
        let f = &s.item;
        out.push_str(&csv_line(&[
            f.id.clone(),
            f.stage
                .as_deref()
                .map_or(String::new(), |v| stage_cell(lang, v)),
            text(&f.owner),
            f.due_at.map_or(String::new(), |d| d.to_rfc3339_in(&tz)),
            text(&f.result),
            word_cell(lang, &f.callback_result),
            word_cell(lang, &f.root_cause),
            word_cell(lang, &f.action),
            s.last_change.to_rfc3339_in(&tz),
            s.source.to_string(),
        ]));
    }
    out
}

/// Feedback as JSON: `{"changes": [...], "state": [...]}`, the same two
/// tables as the CSV with wire words (`null` for an empty field).
pub fn feedback_json(events: &[FeedbackEvent], state: &[ItemState], tz: Tz) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = events
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
        .collect();
    let state: Vec<serde_json::Value> = state
        .iter()
        .map(|s| {
            let f = &s.item;
            serde_json::json!({
                "item": f.id,
                "stage": f.stage,
                "owner": f.owner,
                "due": f.due_at.map(|d| d.to_rfc3339_in(&tz)),
                "result": f.result,
                "callback_result": f.callback_result,
                "root_cause": f.root_cause,
                "action": f.action,
                "last_change": s.last_change.to_rfc3339_in(&tz),
                "source": s.source.as_str(),
            })
        })
        .collect();
    serde_json::json!({ "changes": changes, "state": state })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    SpotChecks,
    Feedback,
}

/// The export text; `None` store (nothing entered yet) gives an empty export.
/// JSON is the same in every language: its keys and values are for programs.
/// `rules` are the board's follow-up rules (`[feedback]`), for the state.
#[allow(clippy::too_many_arguments)]
pub fn export(
    store: Option<&Store>,
    what: What,
    from: NaiveDate,
    to: NaiveDate,
    csv: bool,
    tz: Tz,
    lang: Lang,
    rules: &FollowupRules,
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
            // The whole history up to the end: the state at the end of the
            // range; the change log shows the range only.
            let history = match store {
                Some(s) => s.feedback_events_every_source(Ts::from_nanos(i64::MIN + 1), end)?,
                None => Vec::new(),
            };
            let state = current_state(&history, start, rules, tz);
            let events: Vec<FeedbackEvent> =
                history.into_iter().filter(|e| e.at >= start).collect();
            if csv {
                Ok(feedback_csv(&events, &state, tz, lang))
            } else {
                pretty(feedback_json(&events, &state, tz))
            }
        }
    }
}
