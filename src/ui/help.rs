//! The `?` overlay: every binding of the key table, by context, then how the
//! filter, the windows and the freshness labels work.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::keymap;
use crate::app::state::App;

use super::draw;
use super::header::{LIVE_S, STALE_S};
use super::theme::Theme;

/// The lines of the overlay: (text, is a heading).
pub fn lines() -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (ctx, bindings) in keymap::help_sections() {
        out.push((ctx.title().to_string(), true));
        for b in bindings {
            out.push((format!("  {:<16} {}", keymap::keys_label(b), b.help), false));
        }
    }
    out.push(("Filter (/)".into(), true));
    for l in [
        "  q:NAME   one queue (id or name): KPIs are recomputed for it",
        "  a:NAME   one agent (id or name): KPIs are recomputed for them",
        "  words    rows holding every word (id, name, summary, flags)",
    ] {
        out.push((l.into(), false));
    }
    out.push(("Windows (w)".into(), true));
    for l in [
        "  today, current shift (starts 00:00, 08:00, 16:00 local),",
        "  yesterday, last 24 h, this week (from Monday 00:00)",
        "  vs last wk: same part of the window 7 days earlier",
    ] {
        out.push((l.into(), false));
    }
    out.push(("Freshness".into(), true));
    out.push((
        format!(
            "  live: data written ≤ {LIVE_S:.0} s ago · STALE: more than {:.0} min",
            STALE_S / 60.0
        ),
        false,
    ));
    out
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lines = lines();
    let w = lines
        .iter()
        .map(|(l, _)| super::text::width(l) as u16)
        .max()
        .unwrap_or(40)
        + 4;
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = draw::centered(area, w, h);
    let buf = frame.buffer_mut();
    draw::clear(buf, rect);
    let block = draw::pane_block(" Keys · Esc or ? to close ", true, theme);
    let inner = draw::framed(buf, rect, block);
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = app.overlay_scroll.min(max_scroll) as usize;
    if scroll < max_scroll as usize {
        let more = " ↓ more (j) ";
        let x = rect
            .right()
            .saturating_sub(super::text::width(more) as u16 + 2);
        draw::put(buf, x, rect.bottom() - 1, rect.width, more, theme.key);
    }
    for (i, (line, heading)) in lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let style = if *heading {
            theme.title_focus
        } else {
            theme.base
        };
        draw::put(
            buf,
            inner.x + 1,
            inner.y + i as u16,
            inner.width.saturating_sub(1),
            line,
            style,
        );
    }
}
