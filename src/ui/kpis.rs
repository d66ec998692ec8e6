//! Pane 2: a gauge per KPI with value, target, gap and status (colour AND a
//! word), the day's sparkline by hour, the change against the same part of
//! the same weekday last week, and a loud line for KPIs in alert.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::state::{App, List, Pane};
use crate::app::view::View;
use crate::domain::{Direction, KpiKey, KpiReport, Status};

use super::draw::{self, Col};
use super::fmt;
use super::theme::{Theme, status_mark};

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Pane::Kpis && app.huddle.is_none();
    let buf = frame.buffer_mut();
    let title = match &app.view {
        Some(v) if !v.scope.is_everything() => {
            format!(" 2 KPIs · {} · {} ", v.kind.label(), v.scope.describe())
        }
        Some(v) => format!(" 2 KPIs · {} ", v.kind.label()),
        None => " 2 KPIs ".to_string(),
    };
    let inner = draw::framed(buf, area, draw::pane_block(&title, focused, theme));
    let Some(view) = app.view.as_deref() else {
        super::no_data(buf, inner, app, theme);
        return;
    };
    if inner.height == 0 {
        return;
    }
    let mut body = inner;
    if let Some(line) = alert_line(&view.snapshot.kpis) {
        draw::fill_row(buf, inner, inner.y, theme.loud);
        draw::put(buf, inner.x, inner.y, inner.width, &line, theme.loud);
        body = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    }
    kpi_rows(buf, body, app, view, theme, focused);
}

/// `▲ ALERT AHT 4m36s above 4m30s` for every KPI in alert, joined.
pub fn alert_line(kpis: &[KpiReport]) -> Option<String> {
    let parts: Vec<String> = kpis
        .iter()
        .filter(|k| k.status == Some(Status::Alert))
        .map(|k| {
            let side = match k.direction {
                Some(Direction::Lower) => "above",
                _ => "below",
            };
            match k.alert {
                Some(a) => format!(
                    "{} {} {side} {}",
                    fmt::kpi_name(k.key),
                    fmt::kpi_value(k.key, k.value),
                    fmt::kpi_value(k.key, Some(a))
                ),
                None => format!(
                    "{} {}",
                    fmt::kpi_name(k.key),
                    fmt::kpi_value(k.key, k.value)
                ),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| format!("▲ ALERT  {}", parts.join(" · ")))
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

/// `▲+1.2 pt` / `▼−6 s`, `—` without a comparison.
pub fn trend_text(key: KpiKey, delta: Option<f64>) -> String {
    match delta {
        None => "—".to_string(),
        Some(d) if d > 0.0 => format!("▲{}", fmt::kpi_gap(key, Some(d))),
        Some(d) if d < 0.0 => format!("▼{}", fmt::kpi_gap(key, Some(d))),
        Some(_) => "= same".to_string(),
    }
}

fn kpi_rows(buf: &mut Buffer, area: Rect, app: &App, view: &View, theme: &Theme, focused: bool) {
    if area.height == 0 {
        return;
    }
    // Fixed columns by priority; sparkline and gauge share what is left.
    let spec: [(u16, u8); 7] = [
        (12, 0), // name
        (7, 0),  // value
        (7, 0),  // status word
        (8, 1),  // gap
        (11, 2), // target
        (12, 3), // trend vs last week
        (6, 4),  // n
    ];
    let (keep, mut left) = draw::choose_columns(area.width, &spec);
    let hours = view.hourly.len().min(24) as u16;
    let spark_w = if left > 4 {
        (left - 1).min(hours.max(1))
    } else {
        0
    };
    left = left.saturating_sub(if spark_w > 0 { spark_w + 1 } else { 0 });
    let gauge_w = if left > 5 { (left - 1).min(16) } else { 0 };

    // Header.
    let header_y = area.y;
    let mut cols: Vec<Col> = Vec::new();
    let mut heads: Vec<&str> = Vec::new();
    let names = ["KPI", "Value", "Status", "Gap", "Target", "vs last wk", "n"];
    for (i, (w, _)) in spec.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if i == 2 && gauge_w > 0 {
            cols.push(Col::left(gauge_w));
            heads.push("");
        }
        cols.push(if i == 0 || i == 2 {
            Col::left(*w)
        } else {
            Col::right(*w)
        });
        heads.push(names[i]);
    }
    if spark_w > 0 {
        cols.push(Col::left(spark_w));
        heads.push("by hour");
    }
    let head_cells: Vec<(&str, _)> = heads.iter().map(|h| (*h, theme.title)).collect();
    draw::row(buf, area, header_y, &cols, &head_cells);

    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    let sel = app.selected(List::Kpis);
    let offset = draw::scroll_offset(sel, KpiKey::ALL.len(), body.height as usize);
    for (line, key) in KpiKey::ALL
        .iter()
        .enumerate()
        .skip(offset)
        .take(body.height as usize)
    {
        let Some(r) = view.kpi(*key) else { continue };
        let y = body.y + (line - offset) as u16;
        let st = theme.status(r.status);
        let delta = view.trend[key.index()];
        let trend_style = match better(r, delta.unwrap_or(0.0)) {
            Some(true) => theme.ok,
            Some(false) => theme.warn,
            None => theme.dim,
        };
        let target = r.target.map_or("no target".to_string(), |t| {
            format!("tgt {}", fmt::kpi_value(*key, Some(t)))
        });
        let n = if *key == KpiKey::Occupancy {
            fmt::secs(r.n)
        } else {
            format!("{}", r.n)
        };
        let values = [
            fmt::kpi_name(*key).to_string(),
            fmt::kpi_value(*key, r.value),
            status_mark(r.status).to_string(),
            fmt::kpi_gap(*key, r.gap),
            target,
            trend_text(*key, delta),
            format!("n={n}"),
        ];
        let styles = [theme.base, st, st, st, theme.dim, trend_style, theme.dim];
        let gauge_str =
            attainment(r).map_or(" ".repeat(gauge_w as usize), |a| gauge(a, gauge_w as usize));
        let spark = if spark_w > 0 {
            sparkline(
                &hourly_values(view, *key, app.now.min(view.snapshot.window.to)),
                spark_w as usize,
            )
        } else {
            String::new()
        };
        let mut cells: Vec<(&str, _)> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if !keep[i] {
                continue;
            }
            if i == 2 && gauge_w > 0 {
                cells.push((gauge_str.as_str(), st));
            }
            cells.push((v.as_str(), styles[i]));
        }
        if spark_w > 0 {
            cells.push((spark.as_str(), theme.accent));
        }
        draw::row(buf, body, y, &cols, &cells);
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
}
