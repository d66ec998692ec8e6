//! The scorecard form, drawn as a centred box over the panes.
//!
//! ```text
//! ┌ Score c-1042 · agent 王芳 ───────────────┐
//! │ ▶ responsiveness  [4] ●●●●○               │
//! │   attitude        [ ] ○○○○○               │
//! │   …                                        │
//! │   critical: customer    [x]               │
//! │   root cause      < process >             │
//! │   comment         late refund, apologised │
//! │   [ Save ]   total 0/20 (void: 1 critical…  │
//! │ not saved: disk full                       │
//! │ ↑↓ field  1-5 ←→ score  Space toggle  …   │
//! └────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::text::{fit, pad, sanitize};
use super::theme::Theme;
use crate::app::form::{CRITICAL_NAMES, Field, ROOT_CAUSE_NAMES, ScoreForm, form_hints};
use crate::i18n::{self, Msg, t, tf};

/// The box: up to 64 columns wide, as tall as the fields need.
pub fn area(screen: Rect, form: &ScoreForm) -> Rect {
    let w = screen.width.min(64);
    let h = (form.dimensions.len() as u16 + 10).min(screen.height);
    Rect {
        x: screen.x + (screen.width - w) / 2,
        y: screen.y + (screen.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn render(frame: &mut Frame, screen: Rect, form: &ScoreForm, theme: &Theme, agent_name: &str) {
    let area = area(screen, form);
    let lang = form.lang;
    let inner_w = area.width.saturating_sub(2) as usize;
    let label_w = form
        .dimensions
        .iter()
        .map(|d| super::text::width(i18n::dimension(lang, d)))
        .max()
        .unwrap_or(0)
        // "critical compliance" fits; a long dimension name is cut.
        .clamp(19, 24);
    let cur = form.field();
    let mark = |f: Field| if cur == f { "▶ " } else { "  " };
    let style = |f: Field| {
        if cur == f { theme.selected } else { theme.base }
    };
    // A field's line: the cursor mark, the padded label, then its value.
    let field_line = |f: Field, label: &str, value: &str| {
        Line::styled(
            format!("{}{} {value}", mark(f), pad(label, label_w)),
            style(f),
        )
    };
    let mut lines: Vec<Line> = Vec::new();
    for (i, name) in form.dimensions.iter().enumerate() {
        let f = Field::Dimension(i);
        let v = form.scores[i];
        let dots: String = (1..=form.scale_max)
            .map(|k| {
                if v.is_some_and(|v| k <= v) {
                    '●'
                } else {
                    '○'
                }
            })
            .collect();
        let val = v.map_or(" ".to_string(), |v| v.to_string());
        let label = fit(&sanitize(i18n::dimension(lang, name)), label_w);
        lines.push(field_line(f, &label, &format!("[{val}] {dots}")));
    }
    for (i, label) in CRITICAL_NAMES.iter().enumerate() {
        let f = Field::Critical(i);
        let on = form.critical[i];
        let line = Line::from(vec![
            Span::styled(
                format!(
                    "{}{} ",
                    mark(f),
                    pad(&tf(lang, Msg::FormCritical, &[&t(lang, *label)]), label_w)
                ),
                style(f),
            ),
            Span::styled(
                t(
                    lang,
                    if on {
                        Msg::FormErrorFound
                    } else {
                        Msg::FormNoError
                    },
                ),
                if on { theme.alert } else { style(f) },
            ),
        ]);
        lines.push(line);
    }
    let cause = form
        .root_cause
        .map_or("—", |i| t(lang, ROOT_CAUSE_NAMES[i]));
    lines.push(field_line(
        Field::RootCause,
        t(lang, Msg::FormRootCause),
        &format!("< {cause} >"),
    ));
    // The comment reads from its start; its tail stays visible while typing.
    let room = inner_w.saturating_sub(label_w + 4);
    let comment = sanitize(&form.comment);
    let shown = if cur == Field::Comment {
        let mut tail = String::new();
        for c in comment.chars().rev() {
            if super::text::width(&tail) + super::text::char_width(c) >= room {
                break;
            }
            tail.insert(0, c);
        }
        format!("{tail}▏")
    } else {
        fit(&comment, room)
    };
    lines.push(field_line(
        Field::Comment,
        t(lang, Msg::FormComment),
        &shown,
    ));
    let total = form.total();
    let save = t(
        lang,
        if form.saving {
            Msg::FormSaving
        } else {
            Msg::FormSave
        },
    );
    lines.push(Line::from(vec![
        Span::styled(format!("{}{save}", mark(Field::Save)), style(Field::Save)),
        Span::styled(
            tf(
                lang,
                Msg::FormTotal,
                &[&i18n::score_total(lang, &total, false)],
            ),
            if total.voided() {
                theme.alert
            } else {
                theme.accent
            },
        ),
    ]));
    match form.taken.as_ref().or(form.error.as_ref()) {
        Some(e) => lines.push(Line::styled(fit(&sanitize(e), inner_w), theme.alert)),
        None => lines.push(Line::raw("")),
    }
    let mut hints = Vec::new();
    if form.taken.is_some() {
        // Read-only: closing is the one key, and what it does.
        let close = form_hints(lang, form.scale_max)
            .into_iter()
            .find(|(_, what)| *what == Msg::FormHintCancel);
        if let Some((k, _)) = close {
            hints.push(Span::styled(format!("{k} "), theme.key));
        }
        hints.push(Span::styled(t(lang, Msg::FormHintDraft), theme.dim));
    } else {
        for (k, what) in form_hints(lang, form.scale_max) {
            hints.push(Span::styled(format!("{k} "), theme.key));
            hints.push(Span::styled(format!("{}  ", t(lang, what)), theme.dim));
        }
    }
    lines.push(Line::from(hints));
    let title = fit(
        &tf(
            lang,
            Msg::FormTitle,
            &[
                &sanitize(&form.contact),
                &sanitize(if agent_name.is_empty() {
                    &form.agent
                } else {
                    agent_name
                }),
            ],
        ),
        inner_w,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(title, theme.title_focus));
    super::draw::clear(frame.buffer_mut(), area);
    frame.render_widget(Paragraph::new(lines).block(block).style(theme.base), area);
}
