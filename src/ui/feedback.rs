//! Pane 3: the feedback-closure board: counts per stage (new → handling →
//! resolved → callback → closed), then the items, most urgent first, with
//! owner, time in stage and due; overdue items are loud. Left/Right pick a
//! stage. The items are the feed merged with the lead's follow-up events
//! (done in `App`, before drawing): a locally changed item's id carries
//! `✎`, a stale escalation shows STALE in place of its stage.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::state::{App, List, Pane, STAGES};
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
    // Stage counts; the selected stage is highlighted.
    let counts = &app.rows.stage_counts;
    let total: usize = counts.iter().sum();
    let narrow = inner.width < 60;
    let mut segs: Vec<(String, ratatui::style::Style)> = Vec::new();
    let all_style = if app.select.stage.is_none() {
        theme.selected
    } else {
        theme.dim
    };
    segs.push((tf(lang, Msg::StageAll, &[&total]), all_style));
    for (i, stage) in STAGES.iter().enumerate() {
        let name = stage.known_str().unwrap_or("?");
        let label = i18n::stage(lang, name, narrow);
        let style = if app.select.stage == Some(*stage) {
            theme.selected
        } else if counts[i] > 0 {
            theme.base
        } else {
            theme.dim
        };
        // Narrow Chinese drops the space: six stages fit a half-width pane at 80 columns.
        let seg = if narrow && lang == i18n::Lang::Zh {
            format!("{label}{}", counts[i])
        } else {
            format!("{label} {}", counts[i])
        };
        segs.push((seg, style));
    }
    let sep = if narrow { " " } else { " │ " };
    draw::separated(buf, inner, inner.y, segs, sep, theme.dim);
    let overdue = app.rows.overdue_at(app.now);
    let mut top = inner.y + 1;
    if overdue > 0 && inner.height > 2 {
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
    // Due, id, owner, age and the summary always; the stage when there is room.
    let spec: [(u16, u8); 6] = [
        (10, 0), // due / OVERDUE
        (6, 0),  // id
        (8, 1),  // stage
        (6, 0),  // owner
        (4, 0),  // age
        (8, 0),  // summary (flex)
    ];
    let (keep, left) = draw::choose_columns(body.width, &spec);
    // Leftover width goes to the id (up to 10), the owner (up to 12), then the summary.
    let id_extra = left.min(4);
    let owner_extra = (left - id_extra).min(6);
    let cols = draw::kept_cols(&spec, &keep, |i, w| match i {
        1 => Col::left(w + id_extra),
        3 => Col::left(w + owner_extra),
        4 => Col::right(w),
        5 => Col::left(w + left - id_extra - owner_extra),
        _ => Col::left(w),
    });
    let sel = app.selected(List::Feedback);
    for (line, y) in draw::visible_more(buf, body, sel, rows.len(), app.lang, theme) {
        let Some(f) = view.snapshot.feedback.get(rows[line]) else {
            continue;
        };
        let closed = f.stage.as_deref() == Some("closed");
        let overdue_now = !closed && f.due_at.is_some_and(|d| app.now > d);
        let due = match f.due_at {
            _ if closed => t(lang, Msg::DueClosed).to_string(),
            Some(d) if overdue_now => tf(
                lang,
                Msg::DueOver,
                &[&fmt::age_short(app.now.secs_since(d))],
            ),
            Some(d) => tf(lang, Msg::DueIn, &[&fmt::age_short(d.secs_since(app.now))]),
            None => t(lang, Msg::DueNone).to_string(),
        };
        // Time in stage: from the last local stage change, else received_at.
        let age = f
            .stage_since
            .map_or("—".to_string(), |r| fmt::age_short(app.now.secs_since(r)));
        let summary = f.summary.as_deref().unwrap_or("");
        let summary = text::shown(summary, body.width as usize, app.masked());
        let values = [
            due,
            if f.local {
                format!("{LOCAL_MARK}{}", f.id)
            } else {
                f.id.clone()
            },
            match f.stage.as_deref() {
                _ if f.stale => t(lang, Msg::FuStale).to_string(),
                Some(s) => i18n::stage(lang, s, false).to_string(),
                None => "—".into(),
            },
            match f.owner.as_deref() {
                None => t(lang, Msg::Unassigned).to_string(),
                // The shared screen names no one beside an overdue item.
                Some(_) if app.huddle.is_some() => t(lang, Msg::HuddleAssigned).to_string(),
                Some(o) => view.agent_name(o).to_string(),
            },
            age,
            summary,
        ];
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
            if closed { theme.dim } else { theme.base },
        ];
        let selected = (focused && line == sel).then_some(theme.selected);
        let cells = values.iter().zip(styles);
        draw::kept_row(buf, body, y, &cols, &keep, cells, selected);
    }
}

/// Marks an item the lead changed locally (a symbol, the same in every language).
pub const LOCAL_MARK: &str = "✎";
