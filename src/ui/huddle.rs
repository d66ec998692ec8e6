//! Huddle mode, for the projector at the morning huddle: big figures for the
//! key KPIs (today so far, and yesterday's result, against target), then the
//! panes in turn, every `huddle_rotate_s` seconds. Customer identifiers are
//! always masked here; there is no key to unmask.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::{App, Pane, huddle_panes};
use crate::domain::{KpiKey, KpiReport, Status};

use super::draw;
use super::fmt;
use super::theme::Theme;
use crate::i18n::{self, Lang, Msg, t, tf};

/// The KPIs on the big tiles when every KPI is on target.
pub const KEY_KPIS: [KpiKey; 4] = [
    KpiKey::Csat,
    KpiKey::Fcr,
    KpiKey::AhtS,
    KpiKey::ServiceLevel,
];

/// Glyph rows of the 5-row block font.
fn glyph(c: char) -> Option<[&'static str; 5]> {
    Some(match c {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => [" █ ", "██ ", " █ ", " █ ", "███"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", "███", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", "  █", "  █"],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        '.' => [" ", " ", " ", " ", "█"],
        ':' => [" ", "█", " ", "█", " "],
        '%' => ["█ █", "  █", " █ ", "█  ", "█ █"],
        '+' => ["   ", " █ ", "███", " █ ", "   "],
        '-' | '−' | '—' => ["   ", "   ", "███", "   ", "   "],
        ' ' => [" ", " ", " ", " ", " "],
        // The duration units, so the tiles write durations as the console does.
        's' => ["   ", " ██", "█  ", "  █", "██ "],
        'm' => ["     ", "██ ██", "█ █ █", "█   █", "█   █"],
        'h' => ["█  ", "█  ", "███", "█ █", "█ █"],
        'd' => ["  █", "  █", "███", "█ █", "███"],
        _ => return None,
    })
}

/// The big-font rows of `s` (unknown chars are skipped).
pub fn big_text(s: &str) -> [String; 5] {
    let mut rows: [String; 5] = Default::default();
    let mut first = true;
    for c in s.chars() {
        let Some(g) = glyph(c) else { continue };
        for (row, part) in rows.iter_mut().zip(g) {
            if !first {
                row.push(' ');
            }
            row.push_str(part);
        }
        first = false;
    }
    rows
}

/// A KPI value written for the big font: durations as everywhere
/// (`4m18s`), rates as %.
pub fn big_value(k: KpiKey, v: Option<f64>) -> String {
    let Some(v) = v else { return "--".into() };
    match k {
        KpiKey::AhtS | KpiKey::ArtS => fmt::dur(v),
        KpiKey::Nps => format!("{v:+.0}"),
        KpiKey::ContactsPerAgentDay => format!("{v:.0}"),
        _ => format!("{:.1}%", v * 100.0),
    }
}

/// The KPIs the tiles show: every KPI off target today, alerts first
/// (then warnings, each in the KPI table's order); the four key KPIs when
/// none is off target.
pub fn tile_kpis(today: &[KpiReport]) -> Vec<KpiKey> {
    let off = |want: Status| {
        KpiKey::ALL
            .into_iter()
            .filter(move |k| today.iter().any(|r| r.key == *k && r.status == Some(want)))
    };
    // Today so far is always a day in progress: contacts per agent-day is
    // not judged against a full day's target on the shared screen.
    let keys: Vec<KpiKey> = off(Status::Alert)
        .chain(off(Status::Warn))
        .filter(|k| *k != KpiKey::ContactsPerAgentDay)
        .collect();
    if keys.is_empty() {
        KEY_KPIS.to_vec()
    } else {
        keys
    }
}

/// Narrowest tile: the big figure `66.7%` (17 columns) with its border.
const TILE_MIN_W: u16 = 24;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(h) = app.huddle else { return };
    if area.height < 4 {
        return;
    }
    let tile_h = tile_height(area.height);
    let tiles = Rect::new(area.x, area.y, area.width, tile_h);
    let mut below_tiles = tile_h;
    {
        let buf = frame.buffer_mut();
        if let Some(view) = app.view.as_deref() {
            let keys = tile_kpis(&view.today);
            // As many tiles as the width holds; the rest on a line below.
            let fit = ((area.width / TILE_MIN_W).max(1) as usize).min(keys.len());
            let (shown, rest) = keys.split_at(fit);
            let w = area.width / shown.len() as u16;
            for (i, k) in shown.iter().enumerate() {
                let x = area.x + w * i as u16;
                let width = if i + 1 == shown.len() {
                    area.right() - x
                } else {
                    w
                };
                let today = view.today.iter().find(|r| r.key == *k);
                let yesterday = view.yesterday.iter().find(|r| r.key == *k);
                tile(
                    buf,
                    Rect::new(x, tiles.y, width, tile_h),
                    *k,
                    today,
                    yesterday,
                    theme,
                    app.lang,
                );
            }
            let off_rest: Vec<String> = rest
                .iter()
                .filter_map(|k| view.today.iter().find(|r| r.key == *k))
                .map(|r| {
                    format!(
                        "{} {} ({})",
                        i18n::kpi_short(app.lang, r.key),
                        fmt::kpi_value(r.key, r.value),
                        fmt::kpi_gap(r.key, r.gap)
                    )
                })
                .collect();
            if !off_rest.is_empty() && area.height > tile_h + 4 {
                let line = tf(
                    app.lang,
                    Msg::HuddleAlsoOff,
                    &[&off_rest.len(), &off_rest.join(" · ")],
                );
                draw::put(buf, area.x, area.y + tile_h, area.width, &line, theme.warn);
                below_tiles += 1;
            }
        } else {
            let title = t(app.lang, Msg::HuddleTitle);
            let inner = draw::framed(buf, tiles, draw::pane_block(title, false, theme));
            super::no_data(buf, inner, app, theme);
        }
    }
    // The rotating pane below.
    let rest = draw::below(area, below_tiles);
    if rest.height < 3 {
        return;
    }
    let pane = h.pane;
    let next_in = (app.huddle_rotate_s as f64 - app.now.secs_since(h.since)).max(0.0);
    let panes = huddle_panes(app.agents.huddle_names);
    let position = panes.iter().position(|p| *p == pane).unwrap_or(0);
    let caption = tf(
        app.lang,
        Msg::HuddleCaption,
        &[
            &(position + 1),
            &panes.len(),
            &pane_title(app.lang, pane),
            &(next_in.ceil() as i64),
        ],
    );
    let pane_area = draw::below(rest, 1);
    draw::put(
        frame.buffer_mut(),
        rest.x,
        rest.y,
        rest.width,
        &caption,
        theme.dim,
    );
    if pane == Pane::Agents {
        // Never the ranked pane: names with positive figures only.
        super::agents::render_huddle(frame, pane_area, app, theme);
    } else {
        super::render_pane(frame, pane_area, app, theme, pane);
    }
}

/// Tiles take about 40 % of the height: room for one or two big figures.
fn tile_height(h: u16) -> u16 {
    if h >= 40 {
        16
    } else if h >= 20 {
        10
    } else {
        (h / 2).max(3)
    }
}

fn tile(
    buf: &mut Buffer,
    area: Rect,
    k: KpiKey,
    today: Option<&KpiReport>,
    yesterday: Option<&KpiReport>,
    theme: &Theme,
    lang: Lang,
) {
    let inner = draw::framed(
        buf,
        area,
        draw::pane_block(&format!(" {} ", i18n::kpi_short(lang, k)), false, theme),
    );
    if inner.height == 0 {
        return;
    }
    let target = match today.and_then(|r| r.target.map(|v| (v, r.gap))) {
        None => t(lang, Msg::HuddleNoTarget).to_string(),
        Some((v, gap)) => {
            let gap = fmt::kpi_gap(k, gap);
            let full = tf(lang, Msg::HuddleGap, &[&gap, &fmt::kpi_value(k, Some(v))]);
            if super::text::width(&full) <= inner.width as usize {
                full
            } else {
                tf(lang, Msg::HuddleGapOnly, &[&gap])
            }
        }
    };
    let target_style = theme.status(today.and_then(|r| r.status));
    let big_fits = |s: &str| super::text::width(&big_text(s)[0]) as u16 <= inner.width;
    let mut y = inner.y;
    let line = |buf: &mut Buffer, y: &mut u16, s: &str, st: Style| {
        if *y < inner.bottom() {
            draw::put(buf, inner.x, *y, inner.width, s, st);
            *y += 1;
        }
    };
    let figure = |buf: &mut Buffer, y: &mut u16, label: &str, r: Option<&KpiReport>, big: bool| {
        let value = big_value(k, r.and_then(|r| r.value));
        let status = r.and_then(|r| r.status);
        let st = theme.status(status);
        if big && big_fits(&value) && *y + 6 <= inner.bottom() {
            draw::put(
                buf,
                inner.x,
                *y,
                inner.width,
                &format!("{label}  {}", i18n::status(lang, status)),
                st,
            );
            for row in big_text(&value) {
                *y += 1;
                draw::put(buf, inner.x, *y, inner.width, &row, st);
            }
            *y += 1;
        } else if *y < inner.bottom() {
            let s = format!(
                "{label} {} {}",
                fmt::kpi_value(k, r.and_then(|r| r.value)),
                i18n::status(lang, status)
            );
            draw::put(buf, inner.x, *y, inner.width, &s, st);
            *y += 1;
        }
    };
    let both_big = inner.height >= 13;
    let (today_label, yesterday_label) = if inner.width >= 24 {
        (
            t(lang, Msg::HuddleTodaySoFar),
            t(lang, Msg::HuddleYesterday),
        )
    } else {
        (t(lang, Msg::HuddleToday), t(lang, Msg::HuddleYday))
    };
    figure(buf, &mut y, today_label, today, true);
    // The gap right under today's figure: how far off, in the KPI's unit.
    line(buf, &mut y, &target, target_style);
    figure(buf, &mut y, yesterday_label, yesterday, both_big);
}

/// A pane's name in the language.
pub fn pane_title(lang: Lang, pane: Pane) -> &'static str {
    let m = match pane {
        Pane::Queues => Msg::PaneQueues,
        Pane::Kpis => Msg::PaneKpis,
        Pane::Feedback => Msg::PaneFeedback,
        Pane::Spot => Msg::PaneSpot,
        Pane::Agents => Msg::PaneAgents,
    };
    t(lang, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_font_rows_line_up() {
        let rows = big_text("86.1%");
        // 3 + 1 + 3 + 1 + 1 + 1 + 3 + 1 + 3 columns.
        assert!(rows.iter().all(|r| r.chars().count() == 17));
        assert_eq!(rows[0], "███ ███    █  █ █");
        assert_eq!(big_value(KpiKey::AhtS, Some(258.0)), "4m18s");
        // 3 + 5 + 3 + 3 + 3 columns and four gaps.
        assert!(big_text("4m18s").iter().all(|r| r.chars().count() == 21));
        assert_eq!(big_value(KpiKey::Csat, None), "--");
    }
}
