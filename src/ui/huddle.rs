//! Huddle mode, for the projector at the morning huddle: big figures for the
//! key KPIs (today so far, and yesterday's result, against target), then the
//! panes in turn, every `huddle_rotate_s` seconds. Customer identifiers are
//! always masked here; there is no key to unmask.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::{App, Pane};
use crate::domain::{KpiKey, KpiReport};

use super::draw;
use super::fmt;
use super::theme::Theme;
use crate::i18n::{self, Lang, Msg, t, tf};

/// The KPIs on the big tiles.
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

/// A KPI value written for the big font: AHT/ART as m:ss, rates as %.
pub fn big_value(k: KpiKey, v: Option<f64>) -> String {
    let Some(v) = v else { return "--".into() };
    match k {
        KpiKey::AhtS | KpiKey::ArtS => {
            let s = v.round() as i64;
            format!("{}:{:02}", s / 60, s % 60)
        }
        KpiKey::Nps => format!("{v:+.0}"),
        KpiKey::ContactsPerAgentDay => format!("{v:.0}"),
        _ => format!("{:.1}%", v * 100.0),
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(h) = app.huddle else { return };
    if area.height < 4 {
        return;
    }
    let tile_h = tile_height(area.height);
    let tiles = Rect::new(area.x, area.y, area.width, tile_h);
    {
        let buf = frame.buffer_mut();
        if let Some(view) = app.view.as_deref() {
            let w = area.width / KEY_KPIS.len() as u16;
            for (i, k) in KEY_KPIS.iter().enumerate() {
                let x = area.x + w * i as u16;
                let width = if i + 1 == KEY_KPIS.len() {
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
        } else {
            let title = t(app.lang, Msg::HuddleTitle);
            let inner = draw::framed(buf, tiles, draw::pane_block(title, false, theme));
            super::no_data(buf, inner, app, theme);
        }
    }
    // The rotating pane below.
    let rest = draw::below(area, tile_h);
    if rest.height < 3 {
        return;
    }
    let pane = h.pane;
    let next_in = (app.huddle_rotate_s as f64 - app.now.secs_since(h.since)).max(0.0);
    let caption = tf(
        app.lang,
        Msg::HuddleCaption,
        &[
            &(h.pane.index() + 1),
            // The Agents rotate onto the shared screen only when configured.
            &(Pane::ALL.len() - usize::from(!app.agents.huddle_names)),
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
    let target = today
        .and_then(|r| r.target)
        .map_or(t(lang, Msg::HuddleNoTarget).to_string(), |v| {
            tf(lang, Msg::HuddleTarget, &[&fmt::kpi_value(k, Some(v))])
        });
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
    figure(buf, &mut y, yesterday_label, yesterday, both_big);
    line(buf, &mut y, &target, theme.dim);
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
        assert_eq!(big_value(KpiKey::AhtS, Some(258.0)), "4:18");
        assert_eq!(big_value(KpiKey::Csat, None), "--");
    }
}
