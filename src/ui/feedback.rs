//! Pane 3: the feedback-closure board: counts per stage (new → handling →
//! resolved → callback → closed), then the items, most urgent first, with
//! owner, time in stage and due; overdue items are loud. Left/Right pick a
//! stage. The items are the feed merged with the lead's follow-up events
//! (done in `App`, before drawing): a locally changed item's id carries
//! `✎`, a stale escalation shows STALE in place of its stage.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::board::{Choice, option_label};
use crate::app::state::{App, List, Pane, STAGES};
use crate::domain::followup::FollowupField;
use crate::i18n::{self, Msg, t, tf};

use super::draw::{self, Col};
use super::fmt;
use super::text;
use super::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Pane::Feedback && app.huddle.is_none();
    let buf = frame.buffer_mut();
    let lang = app.lang;
    // Items have an owner, not a queue: `q:` does not apply here.
    let title = format!(
        " 3 {} {}",
        t(lang, Msg::PaneFeedback),
        draw::unfiltered_tag(app, false, true)
    );
    let Some((inner, view)) = draw::pane(buf, area, &title, focused, app, theme) else {
        return;
    };
    // Stage tabs with their counts; the selected stage is highlighted.
    let narrow = inner.width < 60;
    stage_tabs(buf, inner, app, theme);
    let overdue = app.rows.overdue_at(app.now);
    let mut top = inner.y + 1;
    if overdue > 0 && inner.height > 3 {
        let line = tf(lang, Msg::Overdue, &[&overdue]);
        draw::put(buf, inner.x, top, inner.width, &line, theme.loud);
        top += 1;
    }
    let body = Rect::new(
        inner.x,
        top,
        inner.width,
        inner.bottom().saturating_sub(top),
    );
    if body.height == 0 {
        return;
    }
    let rows = &app.rows.feedback;
    if rows.is_empty() {
        let total = view.snapshot.feedback.len();
        let msg = if total == 0 {
            t(lang, Msg::NoFeedback).to_string()
        } else if app.rows.stage_counts.iter().sum::<usize>() == 0 {
            // Nothing in any stage: the filter hides them all.
            draw::empty_note(app, total, t(lang, Msg::NoFeedbackMatch))
        } else {
            t(lang, Msg::NoFeedbackMatch).to_string()
        };
        draw::note(buf, body, &msg, theme.dim);
        return;
    }
    // The rows that fit under the headings (the last one says how many
    // more when they do not), then their cells: the columns are as wide as
    // what the shown rows hold (ids are never cut), the summary takes what
    // is left.
    let list = draw::below(body, 1);
    if list.height == 0 {
        return;
    }
    let sel = app.selected(List::Feedback);
    let shown: Vec<(usize, u16, &crate::domain::FeedbackReport)> =
        draw::visible_more(buf, list, sel, rows.len(), app.lang, theme)
            .into_iter()
            .filter_map(|(line, y)| {
                let f = rows
                    .get(line)
                    .and_then(|&i| view.snapshot.feedback.get(i))?;
                Some((line, y, f))
            })
            .collect();
    let cells: Vec<[String; 5]> = shown
        .iter()
        .map(|(_, _, f)| row_cells(app, view, f, narrow))
        .collect();
    let heads = [
        t(lang, Msg::ColDue),
        t(lang, Msg::ColItem),
        t(
            lang,
            if narrow {
                Msg::ColStageShort
            } else {
                Msg::ColStage
            },
        ),
        t(lang, Msg::ColOwner),
        t(lang, Msg::ColInStage),
    ];
    let widest = |i: usize, cap: usize| -> u16 {
        let w = cells
            .iter()
            .map(|c| text::width(&c[i]))
            .max()
            .unwrap_or(0)
            .min(cap)
            .max(text::width(heads[i]));
        w as u16
    };
    let owner_cap = if narrow { 8 } else { 14 };
    let mut widths = [
        widest(0, 12),
        widest(1, usize::MAX),
        widest(2, 12),
        widest(3, owner_cap),
        widest(4, 4),
    ];
    // The time in stage only when the summary keeps room to be read.
    let used = |w: &[u16]| -> u16 { w.iter().map(|w| w + 1).sum() };
    let keep_age = body.width.saturating_sub(used(&widths)) >= MIN_SUMMARY_WITH_AGE;
    if !keep_age {
        widths[4] = 0;
    }
    let fixed: Vec<usize> = (0..5).filter(|&i| widths[i] > 0).collect();
    let summary_w = body
        .width
        .saturating_sub(used(&widths[..4]) + u16::from(keep_age) * (widths[4] + 1));
    let mut cols: Vec<Col> = fixed
        .iter()
        .map(|&i| {
            if i == 4 {
                Col::right(widths[i])
            } else {
                Col::left(widths[i])
            }
        })
        .collect();
    cols.push(Col::left(summary_w));
    // Column headings.
    let mut head_cells: Vec<(&str, ratatui::style::Style)> =
        fixed.iter().map(|&i| (heads[i], theme.dim)).collect();
    head_cells.push((t(lang, Msg::ColSummary), theme.dim));
    draw::row(buf, body, body.y, &cols, &head_cells);
    for ((line, y, f), values) in shown.iter().zip(&cells) {
        let (line, y, f) = (*line, *y, *f);
        let closed = f.stage.as_deref() == Some("closed");
        let overdue_now = !closed && f.due_at.is_some_and(|d| app.now > d);
        let summary = f.summary.as_deref().unwrap_or("");
        let summary = text::shown(summary, summary_w as usize, app.masked());
        let styles = [
            if overdue_now {
                theme.loud
            } else if closed {
                theme.dim
            } else {
                theme.base
            },
            theme.base,
            if f.stale { theme.warn } else { theme.accent },
            if f.owner.is_none() {
                theme.warn
            } else {
                theme.base
            },
            theme.dim,
        ];
        let mut row: Vec<(&str, ratatui::style::Style)> = fixed
            .iter()
            .map(|&i| (values[i].as_str(), styles[i]))
            .collect();
        row.push((
            summary.as_str(),
            if closed { theme.dim } else { theme.base },
        ));
        draw::row(buf, list, y, &cols, &row);
        if focused && line == sel {
            draw::fill_row(buf, list, y, theme.selected);
        }
    }
}

/// Below this many columns left for the summary, the time in stage is left
/// out so the summary can be read.
const MIN_SUMMARY_WITH_AGE: u16 = 16;

/// An item's due, id, stage, owner and time in stage as the board writes
/// them; `narrow`: the due without words (`‼1h` over, `1h` left) and the
/// stage abbreviated, as the column headings and the `?` legend say.
fn row_cells(
    app: &App,
    view: &crate::app::view::View,
    f: &crate::domain::FeedbackReport,
    narrow: bool,
) -> [String; 5] {
    let lang = app.lang;
    let closed = f.stage.as_deref() == Some("closed");
    let overdue_now = !closed && f.due_at.is_some_and(|d| app.now > d);
    let due = match f.due_at {
        _ if closed && narrow => "—".to_string(),
        _ if closed => t(lang, Msg::DueClosed).to_string(),
        Some(d) if overdue_now && narrow => {
            format!("‼{}", fmt::age_short(app.now.secs_since(d)))
        }
        Some(d) if overdue_now => tf(
            lang,
            Msg::DueOver,
            &[&fmt::age_short(app.now.secs_since(d))],
        ),
        Some(d) if narrow => fmt::age_short(d.secs_since(app.now)),
        Some(d) => tf(lang, Msg::DueIn, &[&fmt::age_short(d.secs_since(app.now))]),
        None if narrow => "—".to_string(),
        None => t(lang, Msg::DueNone).to_string(),
    };
    // Time in stage: from the last local stage change, else received_at.
    let age = f
        .stage_since
        .map_or("—".to_string(), |r| fmt::age_short(app.now.secs_since(r)));
    let id = if f.local {
        format!("{LOCAL_MARK}{}", f.id)
    } else {
        f.id.clone()
    };
    let stage = match f.stage.as_deref() {
        _ if f.stale => t(lang, Msg::FuStale).to_string(),
        Some(s) => i18n::stage(lang, s, narrow).to_string(),
        None => "—".into(),
    };
    let owner = match f.owner.as_deref() {
        None if narrow => t(lang, Msg::UnassignedShort).to_string(),
        None => t(lang, Msg::Unassigned).to_string(),
        // The shared screen names no one beside an overdue item.
        Some(_) if app.huddle.is_some() => t(lang, Msg::HuddleAssigned).to_string(),
        Some(o) => view.agent_name(o).to_string(),
    };
    [due, id, stage, owner, age]
}

/// The stage tabs (`all 12 │ new 3 │ handling 4 …`), made to fit: long
/// names, then the short ones, then without the space before the count,
/// then without the stages that hold nothing (the selected one stays).
fn stage_tabs(buf: &mut ratatui::buffer::Buffer, inner: Rect, app: &App, theme: &Theme) {
    let lang = app.lang;
    let counts = &app.rows.stage_counts;
    let total: usize = counts.iter().sum();
    let all_style = if app.select.stage.is_none() {
        theme.selected
    } else {
        theme.dim
    };
    // (short names, space before the count, empty stages shown)
    let ladder = [
        (false, true, true),
        (true, true, true),
        (true, false, true),
        (true, false, false),
    ];
    let make = |short: bool, spaced: bool, empty: bool| {
        let all = if spaced {
            tf(lang, Msg::StageAll, &[&total])
        } else {
            tf(lang, Msg::StageAllTight, &[&total])
        };
        let mut segs: Vec<(String, ratatui::style::Style)> = vec![(all, all_style)];
        for (i, stage) in STAGES.iter().enumerate() {
            let selected = app.select.stage == Some(*stage);
            if !empty && counts[i] == 0 && !selected {
                continue;
            }
            let name = stage.known_str().unwrap_or("?");
            let label = i18n::stage(lang, name, short);
            let style = if selected {
                theme.selected
            } else if counts[i] > 0 {
                theme.base
            } else {
                theme.dim
            };
            let seg = if spaced {
                format!("{label} {}", counts[i])
            } else {
                format!("{label}{}", counts[i])
            };
            segs.push((seg, style));
        }
        let sep = if short { " " } else { " │ " };
        let w: usize = segs.iter().map(|(s, _)| text::width(s)).sum::<usize>()
            + text::width(sep) * segs.len().saturating_sub(1);
        (segs, sep, w)
    };
    let mut chosen = None;
    for (short, spaced, empty) in ladder {
        let made = make(short, spaced, empty);
        if made.2 <= inner.width as usize {
            chosen = Some(made);
            break;
        }
    }
    let (segs, sep, _) = chosen.unwrap_or_else(|| make(true, false, false));
    draw::separated(buf, inner, inner.y, segs, sep, theme.dim);
}

/// The board's open picker or yes/no question, a small box in the middle
/// of `area`: the values with their digit, the item's current one marked,
/// the cursor highlighted. The keys are in the footer.
pub fn render_choice(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(choice) = &app.board.choice else {
        return;
    };
    let lang = app.lang;
    let buf = frame.buffer_mut();
    let (title, lines): (String, Vec<(String, ratatui::style::Style)>) = match choice {
        Choice::Pick(p) => {
            let title = match p.field {
                FollowupField::CallbackResult => Msg::PickCallbackTitle,
                FollowupField::RootCause => Msg::PickRootCauseTitle,
                _ => Msg::PickActionTitle,
            };
            let lines = p
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let now = if p.current == Some(i) {
                        format!(" · {}", t(lang, Msg::PickNow))
                    } else {
                        String::new()
                    };
                    let mark = if p.cursor == i { "▶" } else { " " };
                    let style = if p.cursor == i {
                        theme.selected
                    } else {
                        theme.base
                    };
                    (
                        format!("{mark}{} {}{now}", i + 1, option_label(lang, o)),
                        style,
                    )
                })
                .collect();
            (tf(lang, title, &[&p.item]), lines)
        }
        Choice::Confirm(e) => {
            let owner = app
                .selected_feedback()
                .filter(|f| f.id == e.item)
                .and_then(|f| f.owner.as_deref())
                .map(|o| app.view.as_deref().map_or(o, |v| v.agent_name(o)))
                .unwrap_or_default()
                .to_string();
            (
                tf(lang, Msg::ConfirmClearOwnerTitle, &[&e.item]),
                vec![
                    (tf(lang, Msg::ConfirmClearOwner, &[&owner]), theme.base),
                    (t(lang, Msg::ConfirmKeys).to_string(), theme.dim),
                ],
            )
        }
    };
    let inner_w = lines
        .iter()
        .map(|(l, _)| text::width(l))
        .chain(std::iter::once(text::width(&title)))
        .max()
        .unwrap_or(0)
        + 2;
    let w = (inner_w as u16 + 2).min(area.width);
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = draw::centered(area, w, h);
    draw::clear(buf, rect);
    let inner = draw::framed(buf, rect, draw::pane_block(&title, true, theme));
    for (i, (line, style)) in lines.iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        draw::fill_row(buf, inner, y, *style);
        draw::put(buf, inner.x, y, inner.width, line, *style);
    }
}

/// Marks an item the lead changed locally (a symbol, the same in every language).
pub const LOCAL_MARK: &str = "✎";
