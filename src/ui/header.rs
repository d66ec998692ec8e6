//! The header line: product, source, data freshness ("live", "updated 12 s
//! ago", a loud "STALE 3 min"), the window, the filter, FROZEN, the last
//! source error, and the clock in the configured zone.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::App;

use super::draw;
use super::fmt;
use super::theme::Theme;

/// Data younger than this is "live".
pub const LIVE_S: f64 = 5.0;
/// Data older than this is STALE (loud).
pub const STALE_S: f64 = 120.0;

/// The freshness label and how loud it is.
pub fn freshness(app: &App, theme: &Theme) -> (String, Style) {
    let st = &app.status;
    if st.loading {
        return (format!("loading… {} lines", st.stats.lines), theme.accent);
    }
    match app.data_age_s() {
        None => ("no data yet".into(), theme.warn),
        Some(a) if a <= LIVE_S => ("● live".into(), theme.ok),
        Some(a) if a < STALE_S => (format!("updated {} ago", fmt::age(a)), theme.base),
        Some(a) => (format!("STALE {}", fmt::age(a)), theme.loud),
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let buf = frame.buffer_mut();
    buf.set_style(area, theme.header);
    let clock = format!(" {} {} ", fmt::clock(app.now, app.tz), app.tz.name());
    let clock_w = super::text::width(&clock) as u16;
    let clock_x = area.right().saturating_sub(clock_w);
    draw::put(buf, clock_x, area.y, clock_w, &clock, theme.header);
    let room = Rect::new(area.x, area.y, clock_x.saturating_sub(area.x), 1);

    let (fresh, fresh_style) = freshness(app, theme);
    let window = match &app.view {
        Some(v) => {
            let w = v.snapshot.window;
            format!(
                "{} {}–{}",
                v.kind.label(),
                fmt::local(w.from, app.tz),
                fmt::local(w.to, app.tz)
            )
        }
        None => app.window.label().to_string(),
    };
    let mut segs: Vec<(String, Style, u8)> = vec![(" shiftdeck ".into(), theme.header, 0)];
    if app.huddle.is_some() {
        segs.push((" HUDDLE ".into(), theme.loud, 0));
    }
    if !app.status.label.is_empty() {
        segs.push((format!(" {} ", app.status.label), theme.header, 2));
    }
    segs.push((format!(" {fresh} "), fresh_style.patch(bold()), 0));
    if let Some(err) = &app.status.last_error {
        segs.push((format!(" ⚠ {err} "), theme.loud, 0));
    }
    if app.frozen {
        let pending = if app.pending.is_some() {
            " (new data waiting)"
        } else {
            ""
        };
        segs.push((format!(" ❄ FROZEN{pending} "), theme.loud, 0));
    }
    segs.push((format!(" {window} "), theme.header, 1));
    if !app.filter_text.is_empty() {
        segs.push((format!(" /{} ", app.filter_text), theme.header, 1));
    }
    if app.status.stats.malformed > 0 {
        segs.push((
            format!(" {} bad lines ", app.status.stats.malformed),
            theme.header,
            3,
        ));
    }
    // Drop the least important segments until the rest fits.
    let width = |segs: &[(String, Style, u8)]| -> u16 {
        segs.iter()
            .map(|(s, _, _)| super::text::width(s) as u16)
            .sum()
    };
    for p in (1..=3).rev() {
        if width(&segs) <= room.width {
            break;
        }
        segs.retain(|(_, _, q)| *q < p);
    }
    let refs: Vec<(&str, Style)> = segs.iter().map(|(s, st, _)| (s.as_str(), *st)).collect();
    draw::segments(buf, room, area.y, &refs);
}

fn bold() -> Style {
    Style::new().add_modifier(ratatui::style::Modifier::BOLD)
}
