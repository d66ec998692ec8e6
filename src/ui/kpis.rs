//! Pane 2: a gauge per KPI with value, target, gap and status (colour AND a
//! word), the day's sparkline by hour, the change against the same part of
//! the same weekday last week, and a loud line for KPIs in alert.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::state::{App, List, Pane};
use crate::app::view::View;
use crate::domain::channels::{ChannelFigures, PER_CHANNEL};
use crate::domain::{Direction, KpiKey, KpiReport, Status};

use super::draw::{self, Col};
use super::fmt;
use super::theme::Theme;
use crate::i18n::{self, Lang, Msg, t, tf};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Pane::Kpis && app.huddle.is_none();
    let lang = app.lang;
    let buf = frame.buffer_mut();
    let title = match &app.view {
        Some(v) if !v.scope.is_everything() => format!(
            " 2 {} · {} · {} ",
            t(lang, Msg::PaneKpis),
            i18n::window(lang, v.kind),
            v.scope.describe_in(lang)
        ),
        Some(v) => format!(
            " 2 {} · {} ",
            t(lang, Msg::PaneKpis),
            i18n::window(lang, v.kind)
        ),
        None => format!(" 2 {} ", t(lang, Msg::PaneKpis)),
    };
    let Some((inner, view)) = draw::pane(buf, area, &title, focused, app, theme) else {
        return;
    };
    let mut body = inner;
    if let Some(line) = alert_line_fit(lang, &view.snapshot.kpis, inner.width as usize) {
        draw::fill_row(buf, inner, inner.y, theme.loud);
        draw::put(buf, inner.x, inner.y, inner.width, &line, theme.loud);
        body = draw::below(inner, 1);
    }
    // With room to spare, ART and service level per channel under the
    // table, then the selected KPI by hour as a chart. Without the room
    // the KPI detail (Enter on ART or SL) carries the channels.
    let table_h = KpiKey::ALL.len() as u16 + 1;
    let channel_h = if channels_shown(view) && body.height >= table_h + 2 && body.width >= 30 {
        PER_CHANNEL.len() as u16
    } else {
        0
    };
    // The chart keeps a blank row above it, or the channel lines there.
    let above_chart = table_h + channel_h.max(1);
    let chart_min = if channel_h > 0 { 6 } else { 7 };
    let table = Rect::new(body.x, body.y, body.width, table_h);
    let channels = Rect::new(body.x, body.y + table_h, body.width, channel_h);
    if body.height >= above_chart + chart_min && body.width >= 30 {
        let chart = Rect::new(
            body.x,
            body.y + above_chart,
            body.width,
            body.height - above_chart,
        );
        kpi_rows(buf, table, app, view, theme, focused);
        channel_lines(buf, channels, app.lang, view, theme);
        let key = KpiKey::ALL[app.selected(List::Kpis).min(KpiKey::ALL.len() - 1)];
        hour_chart(buf, chart, app, view, key, theme);
    } else if channel_h > 0 {
        kpi_rows(buf, table, app, view, theme, focused);
        channel_lines(buf, channels, app.lang, view, theme);
    } else {
        kpi_rows(buf, body, app, view, theme, focused);
    }
}

/// Whether the view's per-channel figures apply to what the pane shows:
/// they are the whole floor's, so not under a queue or agent filter.
pub fn channels_shown(view: &View) -> bool {
    view.scope.is_everything() && !view.channels.is_empty()
}

/// `phone 12s/15s ✓`: one channel's figure of `key` over its target, and
/// the status symbol (colour and symbol, as the table).
pub fn channel_cell(
    lang: Lang,
    key: KpiKey,
    c: &ChannelFigures,
) -> Option<(String, Option<Status>)> {
    let crate::domain::channels::ChannelKpi {
        value,
        target,
        status,
        ..
    } = c.of(key)?;
    let symbol: String = i18n::status(lang, status).chars().take(1).collect();
    Some((
        format!(
            "{} {}/{} {symbol}",
            i18n::feed_value(lang, &c.channel),
            fmt::kpi_value(key, value),
            fmt::kpi_value(key, target.map(|t| t.target)),
        ),
        status,
    ))
}

/// One line per KPI of [`PER_CHANNEL`]: `ART by channel: phone 12s/15s ✓ ·
/// chat 5m10s/15s !`, cut at the pane's edge.
fn channel_lines(buf: &mut Buffer, area: Rect, lang: Lang, view: &View, theme: &Theme) {
    for (i, key) in PER_CHANNEL.iter().enumerate().take(area.height as usize) {
        let y = area.y + i as u16;
        let mut x = area.x;
        let left = |x: u16| area.right().saturating_sub(x);
        let label = tf(lang, Msg::ByChannelLine, &[&i18n::kpi_short(lang, *key)]);
        x += draw::put(buf, x, y, left(x), &label, theme.title);
        for (j, c) in view.channels.iter().enumerate() {
            let Some((cell, status)) = channel_cell(lang, *key, c) else {
                continue;
            };
            // A full-width colon carries its own space.
            let sep = match (j, label.ends_with('：')) {
                (0, true) => "",
                (0, false) => " ",
                _ => " · ",
            };
            x += draw::put(buf, x, y, left(x), sep, theme.dim);
            x += draw::put(buf, x, y, left(x), &cell, theme.status(status));
        }
    }
}

/// Bars of one KPI per hour of the window, from 0 to the larger of the
/// maximum and the target; the target is a dotted line.
fn hour_chart(buf: &mut Buffer, area: Rect, app: &App, view: &View, key: KpiKey, theme: &Theme) {
    const EIGHTHS: [char; 8] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇'];
    let values = hourly_values(view, key, app.now.min(view.snapshot.window.to));
    let target = view.kpi(key).and_then(|r| r.target);
    let top = values
        .iter()
        .flatten()
        .copied()
        .chain(target)
        .fold(0.0_f64, f64::max);
    let title = tf(
        app.lang,
        Msg::HourChart,
        &[
            &i18n::kpi_short(app.lang, key),
            &&fmt::clock(view.hourly_from, app.tz)[..5],
            &fmt::kpi_value(key, Some(top)),
        ],
    );
    draw::put(buf, area.x, area.y, area.width, &title, theme.title);
    let rows = area.height.saturating_sub(2);
    if rows == 0 || values.is_empty() || top <= 0.0 {
        return;
    }
    let n = view.hourly.len().max(1) as u16;
    let bar_w = (area.width / n).clamp(1, 4);
    let base_y = area.y + 1 + rows; // the label row
    let target_row = target.map(|t| ((t / top) * rows as f64).round() as u16);
    for (i, v) in values.iter().enumerate() {
        let x = area.x + i as u16 * bar_w;
        if x + bar_w > area.right() {
            break;
        }
        let eighths = v.map_or(0, |v| {
            ((v.max(0.0) / top) * rows as f64 * 8.0).round() as u16
        });
        for r in 0..rows {
            let y = base_y - 1 - r;
            let fill = eighths.saturating_sub(r * 8).min(8);
            let on_target = target_row.is_some_and(|t| t > 0 && t - 1 == r);
            let (ch, style) = if fill == 8 {
                ('█', theme.accent)
            } else if fill > 0 {
                (EIGHTHS[fill as usize], theme.accent)
            } else if on_target {
                ('┈', theme.dim)
            } else {
                (' ', theme.base)
            };
            let cell: String =
                std::iter::repeat_n(ch, (bar_w - u16::from(bar_w > 1)) as usize).collect();
            draw::put(buf, x, y, bar_w, &cell, style);
        }
        if v.is_none() {
            draw::put(buf, x, base_y - 1, bar_w, "·", theme.dim);
        }
        let hour = &fmt::clock(view.hourly_from.add_secs(i as i64 * 3600), app.tz)[..2];
        if i % 3 == 0 || bar_w >= 3 {
            draw::put(buf, x, base_y, bar_w.max(2), hour, theme.dim);
        }
    }
}

/// `▲ ALERT AHT 4m36s above 4m30s` for every KPI in alert, joined, in a
/// language.
pub fn alert_line_in(lang: Lang, kpis: &[KpiReport]) -> Option<String> {
    let parts: Vec<String> = kpis
        .iter()
        .filter(|k| k.status == Some(Status::Alert))
        .map(|k| {
            let side = match k.direction {
                Some(Direction::Lower) => t(lang, Msg::AlertAbove),
                _ => t(lang, Msg::AlertBelow),
            };
            match k.alert {
                Some(a) => format!(
                    "{} {} {side} {}",
                    i18n::kpi_short(lang, k.key),
                    fmt::kpi_value(k.key, k.value),
                    fmt::kpi_value(k.key, Some(a))
                ),
                None => format!(
                    "{} {}",
                    i18n::kpi_short(lang, k.key),
                    fmt::kpi_value(k.key, k.value)
                ),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| tf(lang, Msg::AlertLine, &[&parts.join(" · ")]))
}

/// [`alert_line_in`] when it fits `width`, else the KPIs in alert with
/// their values (`▲ ALERT  CSAT 66.7% · AHT 5m04s`), else their names only.
pub fn alert_line_fit(lang: Lang, kpis: &[KpiReport], width: usize) -> Option<String> {
    let full = alert_line_in(lang, kpis)?;
    if super::text::width(&full) <= width {
        return Some(full);
    }
    let alerting: Vec<&KpiReport> = kpis
        .iter()
        .filter(|k| k.status == Some(Status::Alert))
        .collect();
    let with_values: Vec<String> = alerting
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                i18n::kpi_short(lang, k.key),
                fmt::kpi_value(k.key, k.value)
            )
        })
        .collect();
    let short = tf(lang, Msg::AlertLine, &[&with_values.join(" · ")]);
    if super::text::width(&short) <= width {
        return Some(short);
    }
    let names: Vec<&str> = alerting
        .iter()
        .map(|k| i18n::kpi_short(lang, k.key))
        .collect();
    Some(tf(lang, Msg::AlertLine, &[&names.join(" · ")]))
}

/// For contacts per agent-day over a window that has begun and is not
/// over at `now`: the share of the window's time gone by (0…1). The spec's
/// figure divides by the whole window's days, so before the window ends it
/// reads low against a full day's target; the panes say "in progress" and
/// this share instead of a warning. `None` for every other KPI and for a
/// finished window.
pub fn in_progress(view: &View, key: KpiKey, now: crate::domain::Ts) -> Option<f64> {
    let w = view.snapshot.window;
    if key != KpiKey::ContactsPerAgentDay || now <= w.from || now >= w.to {
        return None;
    }
    Some((now.since(w.from) as f64 / w.to.since(w.from) as f64).clamp(0.0, 1.0))
}

/// Share of the target reached: 1.0 = on target (full gauge).
pub fn attainment(r: &KpiReport) -> Option<f64> {
    let (v, t) = (r.value?, r.target?);
    let ratio = match r.direction? {
        Direction::Higher if t > 0.0 => v / t,
        Direction::Lower if v > 0.0 => t / v,
        Direction::Lower => 1.0,
        Direction::Higher => {
            if v >= t {
                1.0
            } else {
                0.0
            }
        }
    };
    Some(ratio.clamp(0.0, 1.0))
}

/// A horizontal bar of `width` cells with eighth-cell resolution.
pub fn gauge(fill: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (fill.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let mut s = String::with_capacity(width * 3);
    for i in 0..width {
        let cell = eighths.saturating_sub(i * 8).min(8);
        s.push(if cell == 8 { '█' } else { PARTS[cell] });
    }
    s
}

/// Sparkline of values (`None` = no data that hour, drawn `·`), scaled to min…max.
pub fn sparkline(values: &[Option<f64>], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let start = values.len().saturating_sub(width);
    let shown = &values[start..];
    let (lo, hi) = shown
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    shown
        .iter()
        .map(|v| match v {
            None => '·',
            Some(v) if hi > lo => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
            Some(_) => BARS[3],
        })
        .collect()
}

/// The hourly values of a KPI up to the hour holding now.
pub fn hourly_values(view: &View, key: KpiKey, now: crate::domain::Ts) -> Vec<Option<f64>> {
    let elapsed_h = (now.since(view.hourly_from) as f64 / 3600e9).floor() as i64 + 1;
    let n = (elapsed_h.max(0) as usize).min(view.hourly.len());
    view.hourly[..n].iter().map(|s| s.get(key).value).collect()
}

/// Whether a change is an improvement for this KPI.
fn better(r: &KpiReport, delta: f64) -> Option<bool> {
    if delta == 0.0 {
        return None;
    }
    match r.direction? {
        Direction::Higher => Some(delta > 0.0),
        Direction::Lower => Some(delta < 0.0),
    }
}

/// `↑+1.2 pt` / `↓−6s` in a language, `—` without a comparison. The
/// arrow says which way the figure moved; its colour whether that is
/// better (`▲` is kept for alerts).
pub fn trend_text_in(lang: Lang, key: KpiKey, delta: Option<f64>) -> String {
    match delta {
        None => "—".to_string(),
        Some(d) if d > 0.0 => format!("↑{}", fmt::kpi_gap(key, Some(d))),
        Some(d) if d < 0.0 => format!("↓{}", fmt::kpi_gap(key, Some(d))),
        Some(_) => t(lang, Msg::TrendSame).to_string(),
    }
}

/// Column widths of the KPI table for an inner width (0 = not shown).
/// Always: name, value, status symbol, gap, target. Then, as room allows:
/// the status word, the gauge, the trend, the sparkline, n, a wider gauge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KpiColumns {
    pub name: u16,
    pub value: u16,
    pub gauge: u16,
    pub status: u16,
    pub gap: u16,
    pub target: u16,
    pub trend: u16,
    pub spark: u16,
    pub n: u16,
}

impl KpiColumns {
    pub fn fit(width: u16, hours: u16) -> KpiColumns {
        let mut c = KpiColumns {
            name: 11,
            value: 7,
            gauge: 0,
            status: 1,
            gap: 8,
            target: 7,
            trend: 0,
            spark: 0,
            n: 0,
        };
        let mut left = width.saturating_sub(11 + 7 + 1 + 8 + 7 + 4);
        let take = |want: u16, left: &mut u16| -> bool {
            if *left > want {
                *left -= want + 1;
                true
            } else {
                false
            }
        };
        if left >= 6 {
            c.status = 7;
            left -= 6;
        }
        if take(8, &mut left) {
            c.gauge = 8;
        }
        if take(11, &mut left) {
            c.trend = 11;
        }
        let spark = hours.clamp(1, 24);
        if left > 6 {
            c.spark = spark.min(left - 1);
            left -= c.spark + 1;
        }
        if take(8, &mut left) {
            c.n = 8;
        }
        if c.gauge > 0 {
            let extra = left.min(8);
            c.gauge += extra;
        }
        c
    }
}

fn kpi_rows(buf: &mut Buffer, area: Rect, app: &App, view: &View, theme: &Theme, focused: bool) {
    if area.height == 0 {
        return;
    }
    let c = KpiColumns::fit(area.width, view.hourly.len() as u16);
    let mut cols: Vec<Col> = vec![Col::left(c.name), Col::right(c.value)];
    let lang = app.lang;
    let mut heads: Vec<&str> = vec![t(lang, Msg::ColKpi), t(lang, Msg::ColValue)];
    if c.gauge > 0 {
        cols.push(Col::left(c.gauge));
        heads.push(t(lang, Msg::ColOfTarget));
    }
    cols.push(Col::left(c.status));
    heads.push(if c.status > 1 {
        t(lang, Msg::ColStatus)
    } else {
        ""
    });
    cols.extend([Col::right(c.gap), Col::right(c.target)]);
    heads.extend([t(lang, Msg::ColGap), t(lang, Msg::ColTarget)]);
    if c.trend > 0 {
        cols.push(Col::right(c.trend));
        heads.push(t(lang, Msg::ColVsLastWeek));
    }
    if c.spark > 0 {
        cols.push(Col::left(c.spark));
        heads.push(t(lang, Msg::ColByHour));
    }
    if c.n > 0 {
        cols.push(Col::right(c.n));
        heads.push("n");
    }
    let head_cells: Vec<(&str, _)> = heads.iter().map(|h| (*h, theme.title)).collect();
    draw::row(buf, area, area.y, &cols, &head_cells);

    let body = draw::below(area, 1);
    let sel = app.selected(List::Kpis);
    let all = KpiKey::ALL.len();
    let shown = if all > body.height as usize && body.height >= 2 {
        // Cut: the last row says how many KPIs are hidden and how many of
        // those are off target.
        let rows = Rect::new(body.x, body.y, body.width, body.height - 1);
        let shown: Vec<(usize, u16)> = draw::visible(sel, all, rows).collect();
        let hidden: Vec<KpiKey> = KpiKey::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| !shown.iter().any(|(s, _)| s == i))
            .map(|(_, k)| *k)
            .collect();
        let off = hidden
            .iter()
            .filter(|k| in_progress(view, **k, app.now).is_none())
            .filter(|k| {
                view.kpi(**k)
                    .is_some_and(|r| matches!(r.status, Some(Status::Warn | Status::Alert)))
            })
            .count();
        let mut text = tf(lang, Msg::MoreRows, &[&hidden.len()]);
        let mut style = theme.dim;
        if off > 0 {
            text = format!("{text} · {}", tf(lang, Msg::MoreOffTarget, &[&off]));
            style = theme.warn;
        }
        draw::put(buf, body.x, body.bottom() - 1, body.width, &text, style);
        shown
    } else {
        draw::visible(sel, all, body).collect()
    };
    for (line, y) in shown {
        let key = &KpiKey::ALL[line];
        let Some(r) = view.kpi(*key) else { continue };
        let st = theme.status(r.status);
        let delta = view.trend[key.index()];
        let trend_style = match better(r, delta.unwrap_or(0.0)) {
            Some(true) => theme.ok,
            Some(false) => theme.warn,
            None => theme.dim,
        };
        // Contacts per agent-day of a window not over yet is judged against
        // a full day's target: shown as in progress with the share of the
        // window's time gone by, not as a warning.
        let progress = in_progress(view, *key, app.now);
        let st = if progress.is_some() { theme.dim } else { st };
        let mark = match progress {
            Some(share) => tf(lang, Msg::InProgress, &[&format!("{:.0}", share * 100.0)]),
            None => i18n::status(lang, r.status).to_string(),
        };
        let status = if c.status > 1 {
            mark
        } else {
            mark.chars().take(1).collect()
        };
        let target = r
            .target
            .map_or("—".to_string(), |t| fmt::kpi_value(*key, Some(t)));
        let mut cells: Vec<(String, _)> = vec![
            (i18n::kpi_short(lang, *key).to_string(), theme.base),
            (fmt::kpi_value(*key, r.value), st),
        ];
        if c.gauge > 0 {
            let g = attainment(r).map_or(String::new(), |a| gauge(a, c.gauge as usize));
            cells.push((g, st));
        }
        cells.push((status, st));
        cells.push((fmt::kpi_gap(*key, r.gap), st));
        cells.push((target, theme.dim));
        if c.trend > 0 {
            cells.push((trend_text_in(lang, *key, delta), trend_style));
        }
        if c.spark > 0 {
            let values = hourly_values(view, *key, app.now.min(view.snapshot.window.to));
            cells.push((sparkline(&values, c.spark as usize), theme.accent));
        }
        if c.n > 0 {
            let n = if *key == KpiKey::Occupancy {
                fmt::dur(r.n)
            } else {
                format!("{}", r.n)
            };
            cells.push((n, theme.dim));
        }
        let refs: Vec<(&str, _)> = cells.iter().map(|(s, st)| (s.as_str(), *st)).collect();
        draw::row(buf, body, y, &cols, &refs);
        if focused && line == sel {
            draw::fill_row(buf, body, y, theme.selected);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_and_sparkline_shapes() {
        assert_eq!(gauge(1.0, 4), "████");
        assert_eq!(gauge(0.0, 3), "   ");
        assert_eq!(gauge(0.5, 4), "██  ");
        assert_eq!(gauge(0.5625, 2), "█▏");
        assert_eq!(
            sparkline(&[Some(0.0), None, Some(7.0), Some(3.5)], 10),
            "▁·█▅"
        );
        assert_eq!(sparkline(&[Some(1.0), Some(1.0)], 1), "▄");
    }

    #[test]
    fn kpi_columns_condense_then_grow() {
        let narrow = KpiColumns::fit(38, 24);
        assert_eq!(
            (narrow.status, narrow.gauge, narrow.trend, narrow.spark),
            (1, 0, 0, 0)
        );
        let wide = KpiColumns::fit(86, 24);
        assert_eq!((wide.status, wide.gauge, wide.trend), (7, 8, 11));
        assert!(wide.spark >= 12);
        let huge = KpiColumns::fit(120, 24);
        assert_eq!((huge.spark, huge.n), (24, 8));
        assert!(huge.gauge > 8);
    }
}
