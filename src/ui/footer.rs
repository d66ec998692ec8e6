//! The footer: the filter input while typing, else a note and the key hints
//! of the active contexts, straight from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::keymap::{self, Context};
use crate::app::prompt::{Input, Prompt};
use crate::app::state::App;
use crate::i18n::{self, Lang, Msg, t, tf};

use super::draw;
use super::text;
use super::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let buf = frame.buffer_mut();
    buf.set_style(area, theme.base);
    let mut x = area.x;
    let y = area.y;
    if let Some(Input {
        prompt,
        text: input,
    }) = &app.input
    {
        // The same one-line input serves the filter, the owner, the result
        // and the KPI note prompts: each says what it asks and its own keys.
        let (label, hints) = prompt_line(app.lang, prompt);
        let label = label.as_str();
        x += draw::put(buf, x, y, area.width, label, theme.key);
        // Show the end of a long input, measured by display width.
        let room = (area.right().saturating_sub(x) as usize)
            .saturating_sub(text::width(&hints).min(30) + 1);
        let shown = tail(input, room);
        x += draw::put(
            buf,
            x,
            y,
            area.right().saturating_sub(x),
            &shown,
            theme.base,
        );
        x += draw::put(buf, x, y, area.right().saturating_sub(x), "▏", theme.key);
        draw::put(buf, x, y, area.right().saturating_sub(x), &hints, theme.dim);
        return;
    }
    if let Some((note, _)) = &app.note {
        x += draw::put(buf, x, y, area.width, &format!(" {note} "), theme.loud);
        x += 1;
    }
    let hints: Vec<(String, &str)> = keymap::hints(&app.contexts())
        .into_iter()
        .map(|(k, label)| (k, i18n::t(app.lang, label)))
        .collect();
    // "? help" and "q quit" are always kept: place them last, drop others first.
    let (tail_hints, main): (Vec<_>, Vec<_>) =
        hints.into_iter().partition(|(k, _)| k == "?" || k == "q");
    let fmt = |(k, label): &(String, &str)| format!("{k} {label}");
    let tail_text: Vec<String> = tail_hints.iter().map(fmt).collect();
    let tail_w: usize = tail_text.iter().map(|t| text::width(t) + 2).sum();
    let mut room = (area.right().saturating_sub(x) as usize).saturating_sub(tail_w);
    for h in main.iter().chain(tail_hints.iter()) {
        let is_tail = tail_hints.contains(h);
        let (k, label) = h;
        let w = text::width(k) + text::width(label) + 3;
        if !is_tail {
            if w > room {
                continue;
            }
            room -= w;
        }
        let left = area.right().saturating_sub(x);
        x += draw::put(buf, x, y, left, &format!(" {k}"), theme.key);
        let left = area.right().saturating_sub(x);
        x += draw::put(buf, x, y, left, &format!(" {label} "), theme.dim);
    }
}

/// The open prompt's label and its hint line. The label names what the
/// line is written to (the filter, the item's owner or result, the KPI's
/// note); the hints are the prompt keys of the key table, with what Enter
/// does for this prompt, and what an empty line means.
pub fn prompt_line(lang: Lang, prompt: &Prompt) -> (String, String) {
    let (label, enter, extra) = match prompt {
        Prompt::Filter => (" / ".to_string(), Msg::KeyApply, Msg::PromptFilterWords),
        Prompt::Owner(item) => (
            tf(lang, Msg::FuOwnerPrompt, &[item]),
            Msg::KeySave,
            Msg::PromptOwnerEmpty,
        ),
        Prompt::Result(item) => (
            tf(lang, Msg::FuResultPrompt, &[item]),
            Msg::KeySave,
            Msg::PromptResultEmpty,
        ),
        Prompt::KpiNote(p) => {
            let kpi = i18n::kpi_short(lang, p.kpi);
            match p.cause {
                None => (
                    tf(lang, Msg::KnCausePrompt, &[&kpi]),
                    Msg::KeyNextAction,
                    Msg::PromptNoteReport,
                ),
                Some(_) => (
                    tf(lang, Msg::KnActionPrompt, &[&kpi]),
                    Msg::KeySaveNote,
                    Msg::PromptNoteReport,
                ),
            }
        }
    };
    let mut parts: Vec<String> = keymap::hints(&[Context::Filter])
        .into_iter()
        .map(|(k, m)| {
            let m = if m == Msg::KeyApply { enter } else { m };
            format!("{k} {}", t(lang, m))
        })
        .collect();
    parts.push(t(lang, extra).to_string());
    (label, format!("  {}", parts.join(" · ")))
}

/// The last `width` columns of `s`.
fn tail(s: &str, width: usize) -> String {
    let clean = text::sanitize(s);
    let mut used = 0;
    let mut start = clean.len();
    for (i, c) in clean.char_indices().rev() {
        let w = text::char_width(c);
        if used + w > width {
            break;
        }
        used += w;
        start = i;
    }
    clean[start..].to_string()
}
