//! The chart of a queue's day in the queue detail (Enter on a queue):
//! arrivals per 30-minute interval, counted so far and forecast for the
//! rest, and below them the agents Erlang C needs against the agents the
//! interval counts on, with the model's assumptions under the figure.
//!
//! ```text
//!   arrivals / 30 min  ━ so far  ┄ forecast  ◆ now        <- legend
//!  12     ▂▅█▇▅▃                                          <- bars (ha rows)
//!           ▄▆███████▇▆▅▄▃▂
//!   0 ━━━━━━━━━━━━━━━◆┄┄┄┄┄┄┄┄┄┄┄┄┄┄                       <- axis, now
//!   agents needed ▇ against staffed ─  ! short            <- legend
//!   5                ─▂▄▆▆▄──────
//!                    ████████▆▄▂
//!   0 ───────────────!!!──────────                        <- short marks
//!     00    03    06    09    12    15    18    21        <- local hours
//!   Erlang C: … no abandons; 80% within 20 s              <- the model
//! ```
//!
//! Colour is never the only signal: forecast intervals sit right of `◆`
//! over a dotted axis, short intervals carry `!`.

use chrono::Timelike;
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::domain::snapshot::QueueReport;
use crate::domain::{Ts, staffing};
use crate::i18n::{Lang, Msg, t, tf};

use super::draw;
use super::fmt;
use super::theme::Theme;

/// One interval of the day as drawn.
struct Slot {
    from: Ts,
    /// Arrivals counted (at or before now).
    arrived: f64,
    /// Arrivals still expected (0 for earlier intervals).
    expected: f64,
    /// Agents needed and counted on (intervals from the one holding now).
    need: Option<u32>,
    staffed: Option<u32>,
    current: bool,
}

fn slots(q: &QueueReport) -> Vec<Slot> {
    let mut out: Vec<Slot> = q
        .today
        .iter()
        .map(|&(from, _, n)| Slot {
            from,
            arrived: n as f64,
            expected: 0.0,
            need: None,
            staffed: None,
            current: false,
        })
        .collect();
    out.extend(q.forecast.iter().enumerate().map(|(i, f)| {
        let arrived = f.arrived as f64;
        Slot {
            from: f.from,
            arrived,
            expected: (f.offered - arrived).max(0.0),
            need: f.agents_needed,
            staffed: Some(f.staffed),
            current: i == 0,
        }
    }));
    out
}

/// Rows of bars for the arrivals and the agents, for `avail` rows of
/// overlay; `None` when the chart does not fit.
pub fn rows_for(avail: u16) -> Option<(u16, u16)> {
    match avail {
        0..=13 => None,
        14..=23 => Some((3, 3)),
        24..=35 => Some((5, 4)),
        _ => Some((8, 6)),
    }
}

/// The chart's height with `ha` and `hb` rows of bars (legends, axes,
/// hours and the model line included).
pub fn height(ha: u16, hb: u16) -> u16 {
    ha + hb + 6
}

const EIGHTHS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// The glyph for row `r` (0 = bottom) of a bar of `v` on a scale where the
/// `rows` rows hold `max`.
fn bar_cell(v: f64, max: f64, rows: u16, r: u16) -> &'static str {
    let fill = (v / max * f64::from(rows) - f64::from(r)).clamp(0.0, 1.0);
    EIGHTHS[(fill * 8.0).round() as usize]
}

/// A scale's top: the largest value, at least 1, as a whole number.
fn top(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(1.0f64, f64::max).ceil()
}

/// Draws `s` repeated in each of the `cw` columns of a slot.
fn cells(buf: &mut Buffer, x: u16, y: u16, cw: u16, s: &str, style: Style) {
    for i in 0..cw {
        draw::put(buf, x + i, y, 1, s, style);
    }
}

/// "short 3 at 14:00": the next interval where the queue is short, if any.
pub fn short_text(lang: Lang, q: &QueueReport, tz: Tz) -> Option<String> {
    let (from, n) = staffing::next_short(q)?;
    Some(tf(lang, Msg::QueueShortAt, &[&n, &hh_mm(from, tz)]))
}

/// `14:00` in the zone.
fn hh_mm(t: Ts, tz: Tz) -> String {
    t.to_utc().with_timezone(&tz).format("%H:%M").to_string()
}

/// Draws the chart of `q`'s day into `area` (as tall as [`height`]).
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    q: &QueueReport,
    (ha, hb): (u16, u16),
    tz: Tz,
    lang: Lang,
    theme: &Theme,
) {
    let slots = slots(q);
    if slots.is_empty() || area.width < 12 {
        return;
    }
    const LABEL: u16 = 5;
    let cw = ((area.width - LABEL) / slots.len() as u16).clamp(1, 3);
    let x0 = area.x + LABEL;
    let xs = |i: usize| x0 + i as u16 * cw;
    let fits = |i: usize| xs(i) + cw <= area.right();
    let label = |buf: &mut Buffer, y: u16, s: &str| {
        draw::put(buf, area.x, y, LABEL - 1, &format!("{s:>4}"), theme.dim);
    };
    let mut y = area.y;

    // Arrivals: counted so far in the accent, still expected dimmed.
    draw::put(
        buf,
        area.x + 1,
        y,
        area.width - 1,
        t(lang, Msg::ChartArrivals),
        theme.title,
    );
    y += 1;
    let max = top(slots.iter().map(|s| s.arrived + s.expected));
    label(buf, y, &format!("{max:.0}"));
    for r in (0..ha).rev() {
        for (i, s) in slots.iter().enumerate().filter(|(i, _)| fits(*i)) {
            let total = s.arrived + s.expected;
            let glyph = bar_cell(total, max, ha, r);
            // The part of the bar at or below the counted arrivals is counted.
            let counted = f64::from(r) * max / f64::from(ha) < s.arrived;
            let style = if counted { theme.accent } else { theme.dim };
            cells(buf, xs(i), y, cw, glyph, style);
        }
        y += 1;
    }
    label(buf, y, "0");
    for (i, s) in slots.iter().enumerate().filter(|(i, _)| fits(*i)) {
        let (glyph, style) = if s.staffed.is_none() {
            ("━", theme.accent)
        } else {
            ("┄", theme.dim)
        };
        cells(buf, xs(i), y, cw, glyph, style);
        if s.current {
            draw::put(buf, xs(i), y, 1, "◆", theme.title_focus);
        }
    }
    y += 1;

    // Agents: needed as bars, short ones loud; the staff counted on as a line.
    let scheduled = q.staffing.agents_scheduled.is_some();
    draw::put(
        buf,
        area.x + 1,
        y,
        area.width - 1,
        t(
            lang,
            if scheduled {
                Msg::ChartAgentsScheduled
            } else {
                Msg::ChartAgents
            },
        ),
        theme.title,
    );
    y += 1;
    let amax = top(slots.iter().flat_map(|s| {
        [
            s.need.map_or(0.0, f64::from),
            s.staffed.map_or(0.0, f64::from),
        ]
    }));
    label(buf, y, &format!("{amax:.0}"));
    for r in (0..hb).rev() {
        for (i, s) in slots.iter().enumerate().filter(|(i, _)| fits(*i)) {
            let (Some(staffed), need) = (s.staffed, s.need) else {
                continue;
            };
            let need_v = need.map_or(0.0, f64::from);
            let short = need.is_some_and(|n| n > staffed);
            let glyph = bar_cell(need_v, amax, hb, r);
            // The staff line sits in the row holding its level.
            let level = f64::from(staffed) / amax * f64::from(hb);
            let line_row = staffed > 0 && (level.ceil() as u16).saturating_sub(1) == r;
            let (glyph, style) = if glyph == " " && line_row {
                ("─", theme.base)
            } else if short {
                (glyph, theme.warn)
            } else {
                (glyph, theme.accent)
            };
            cells(buf, xs(i), y, cw, glyph, style);
        }
        y += 1;
    }
    label(buf, y, "0");
    for (i, s) in slots.iter().enumerate().filter(|(i, _)| fits(*i)) {
        let short = matches!((s.need, s.staffed), (Some(n), Some(st)) if n > st);
        let (glyph, style) = if short {
            ("!", theme.loud)
        } else {
            ("─", theme.dim)
        };
        cells(buf, xs(i), y, cw, glyph, style);
    }
    y += 1;

    // Local hours under the intervals that start them.
    let every = if cw == 1 { 3 } else { 2 };
    for (i, s) in slots.iter().enumerate() {
        let local = s.from.to_utc().with_timezone(&tz);
        if local.minute() == 0 && local.hour() % every == 0 && xs(i) + 2 <= area.right() {
            let hh = format!("{:02}", local.hour());
            draw::put(buf, xs(i), y, 2, &hh, theme.dim);
        }
    }
    y += 1;

    // The model's assumptions, next to the figure.
    let model = tf(
        lang,
        Msg::ChartModel,
        &[
            &fmt::pct(Some(q.staffing.target_sl)),
            &q.staffing.threshold_s,
        ],
    );
    draw::put(buf, area.x + 1, y, area.width - 1, &model, theme.dim);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_cells_fill_by_eighths_from_the_bottom() {
        // 3 of 4 on 2 rows: the bottom row full, the top one half.
        assert_eq!(bar_cell(3.0, 4.0, 2, 0), "█");
        assert_eq!(bar_cell(3.0, 4.0, 2, 1), "▄");
        assert_eq!(bar_cell(0.0, 4.0, 2, 0), " ");
        assert_eq!(bar_cell(4.0, 4.0, 2, 1), "█");
        // 1 of 8 on one row is an eighth.
        assert_eq!(bar_cell(1.0, 8.0, 1, 0), "▁");
        assert_eq!(top([0.2, 2.4].into_iter()), 3.0);
        assert_eq!(top(std::iter::empty()), 1.0);
    }

    #[test]
    fn rows_shrink_with_the_room() {
        assert_eq!(rows_for(13), None);
        assert_eq!(rows_for(20), Some((3, 3)));
        assert_eq!(height(3, 3), 12);
        assert_eq!(rows_for(44), Some((8, 6)));
    }
}
