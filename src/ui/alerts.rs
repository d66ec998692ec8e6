//! The alerts: the header's strip (active alerts counted by severity) and
//! the overlay (`A`) listing the active alerts, then those cleared in the
//! last hours, each with the time it became true, its severity, subject
//! (on a wide overlay) and message, when it cleared, and who acknowledged
//! it.
//!
//! ```text
//! ┌ Alerts ───────────────────────────────────────────────────────────┐
//! │ Active (2)                                                        │
//! │▸09:14 ▲ critical queue q2: longest wait 4 min (limit 3 min) ✓ … │
//! │ 09:20 ! warn     feedback f1 overdue (owner a2)                  │
//! │ Cleared recently                                                  │
//! │ 08:02 ! warn     queue q1: 11 waiting (limit 10)  → 08:10        │
//! │ ↑↓ select · Enter acknowledge · Esc close                         │
//! └───────────────────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::App;
use crate::app::view::{AlertLine, AlertsView};
use crate::domain::alerts::Severity;
use crate::i18n::{Lang, Msg, t, tf};

use super::draw;
use super::fmt;
use super::text;
use super::theme::Theme;

/// A severity's symbol: colour is never the only signal.
pub fn symbol(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "▲",
        Severity::Warn => "!",
        Severity::Info => "·",
    }
}

pub fn severity_style(s: Severity, theme: &Theme) -> Style {
    match s {
        Severity::Critical => theme.loud,
        Severity::Warn => theme.warn,
        Severity::Info => theme.accent,
    }
}

/// The header's strip: one segment per severity with active alerts, most
/// severe first (`▲2 crit`, `!1 warn`, `·3 info`); none without alerts.
pub fn strip(lang: Lang, alerts: &AlertsView, theme: &Theme) -> Vec<(String, Style)> {
    let msgs = [Msg::StripCritical, Msg::StripWarn, Msg::StripInfo];
    Severity::ALL
        .iter()
        .zip(alerts.counts())
        .zip(msgs)
        .filter(|((_, n), _)| *n > 0)
        .map(|((s, n), m)| {
            (
                format!(" {} ", tf(lang, m, &[&n])),
                severity_style(*s, theme),
            )
        })
        .collect()
}

/// Columns for the subject, on an overlay wide enough for it.
const SUBJECT_W: usize = 14;

/// One line of the overlay: since when, severity, subject (when wide),
/// message, when it cleared, who acknowledged it.
fn line_text(app: &App, l: &AlertLine, width: usize) -> String {
    let lang = app.lang;
    let time = fmt::clock(l.since, app.tz);
    let sev = text::pad(crate::i18n::alerts::severity(lang, l.severity), 8);
    let subject = if width >= 96 {
        let s = text::fit(&text::sanitize(&l.subject), SUBJECT_W);
        format!("{} ", text::pad(&s, SUBJECT_W))
    } else {
        String::new()
    };
    let mut tail = String::new();
    if let Some(c) = l.cleared_at {
        tail.push_str(&format!("  → {}", &fmt::clock(c, app.tz)[..5]));
    }
    if let Some((who, at)) = app.alerts.ack_of(l) {
        tail.push_str("  ");
        tail.push_str(&tf(
            lang,
            Msg::AlertsAckedBy,
            &[&who, &&fmt::clock(at, app.tz)[..5]],
        ));
    }
    let head = format!("{} {} {sev} {subject}", &time[..5], symbol(l.severity));
    let room = width
        .saturating_sub(text::width(&head))
        .saturating_sub(text::width(&tail));
    let msg = text::fit(&text::sanitize(&l.message), room);
    format!("{head}{}{tail}", text::pad(&msg, room))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lang = app.lang;
    let empty = AlertsView::default();
    let view = app.view.as_deref().map_or(&empty, |v| &v.alerts);
    let w = area.width.saturating_sub(4).clamp(20, 110);
    let lines = app.alerts.lines(view);
    // Frame, headings (active; cleared when there are any), lines, hint.
    let headings = 1 + u16::from(!view.recent.is_empty());
    let wanted = lines.len() as u16 + headings + 3;
    let h = wanted.clamp(5, area.height);
    let rect = draw::centered(area, w, h);
    let buf = frame.buffer_mut();
    draw::clear(buf, rect);
    let block = draw::pane_block(t(lang, Msg::AlertsTitle), true, theme);
    let inner = draw::framed(buf, rect, block);
    if inner.height == 0 {
        return;
    }
    let hint_y = inner.bottom() - 1;
    draw::put(
        buf,
        inner.x,
        hint_y,
        inner.width,
        t(lang, Msg::AlertsHint),
        theme.key,
    );
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(1),
    );
    if lines.is_empty() {
        draw::put(
            buf,
            body.x,
            body.y,
            body.width,
            t(lang, Msg::AlertsNone),
            theme.dim,
        );
        return;
    }
    // The rows: a heading before the active ones and before the cleared ones.
    let active = view.active.len();
    let mut rows: Vec<(String, Style, Option<usize>)> = Vec::new();
    rows.push((
        tf(lang, Msg::AlertsActive, &[&active]),
        theme.title_focus,
        None,
    ));
    for (i, l) in lines.iter().enumerate() {
        if i == active {
            rows.push((t(lang, Msg::AlertsRecent).into(), theme.title_focus, None));
        }
        let style = if l.cleared_at.is_some() {
            theme.dim
        } else {
            severity_style(l.severity, theme)
        };
        rows.push((line_text(app, l, body.width as usize - 1), style, Some(i)));
    }
    let cursor_row = rows
        .iter()
        .position(|r| r.2 == Some(app.alerts.cursor))
        .unwrap_or(0);
    for (i, y) in draw::visible(cursor_row, rows.len(), body) {
        let (s, style, item) = &rows[i];
        let selected = item.is_some() && *item == Some(app.alerts.cursor);
        let (mark, style) = if selected {
            ("▸", style.patch(theme.selected))
        } else {
            (" ", *style)
        };
        let line = if item.is_some() {
            format!("{mark}{s}")
        } else {
            s.clone()
        };
        draw::put(buf, body.x, y, body.width, &line, style);
    }
}
