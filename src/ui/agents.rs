//! Pane 5: the agents (spec section 8), one row each in the order of
//! `app::agents` (flagged first unless `!`, then the sort column `s`):
//! name, team, state and time in state (counting up at the UI clock),
//! queue, handled, AHT, FCR, transfer rate, CSAT, QA average, today's spot
//! checks left, and the flags as symbols in colour. Narrow panes keep name,
//! state, time in state and flags; the other columns join as room allows.
//!
//! ```text
//! Agent      team  state     in state▾ queue  hdl   AHT   FCR  xfer  CSAT   QA spot flags
//! Sam Green  B     break        25:00 q-chat    1 7m00s     —     —     —    —    0 ◷
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::agents::SortCol;
use crate::app::state::{App, List, Pane};
use crate::domain::KpiKey;
use crate::domain::agents::{AgentFlag, AgentReport};
use crate::i18n::{self, Msg, t, tf};

use super::draw::{self, Col};
use super::fmt;
use super::theme::Theme;

/// Each flag's symbol: one column wide in every terminal (none is of
/// ambiguous East Asian width) and none used elsewhere on the screen
/// (`!` is the spot checks' "critical error found" too, the same meaning).
pub fn flag_symbol(f: AgentFlag) -> &'static str {
    match f {
        AgentFlag::BreakOver => "◷",
        AgentFlag::AhtOver => "⧗",
        AgentFlag::FcrUnder => "↺",
        AgentFlag::CsatUnder => "✗",
        AgentFlag::CriticalError => "!",
        AgentFlag::QaLow => "⊖",
    }
}

/// A critical error or a low QA average is red; the rest are warnings.
pub fn flag_style(f: AgentFlag, theme: &Theme) -> Style {
    match f {
        AgentFlag::CriticalError | AgentFlag::QaLow => theme.alert,
        _ => theme.warn,
    }
}

/// The flags of an agent as symbols, and the cell's colour (the loudest).
pub fn flags_cell(a: &AgentReport, theme: &Theme) -> (String, Style) {
    let text: String = a.flags.iter().map(|f| flag_symbol(*f)).collect();
    let style = if a.flags.iter().any(|f| flag_style(*f, theme) == theme.alert) {
        theme.alert
    } else if a.flags.is_empty() {
        theme.dim
    } else {
        theme.warn
    };
    (text, style)
}

/// The columns in display order: (sort column, width, priority); the
/// name takes what is left. Priority 0 stays at every width.
const COLUMNS: [(Option<SortCol>, u16, u8); 13] = [
    (Some(SortCol::Name), 10, 0),
    (Some(SortCol::Team), 6, 9),
    (Some(SortCol::State), 9, 0),
    (Some(SortCol::InState), 9, 0),
    (Some(SortCol::Queue), 8, 8),
    (Some(SortCol::Handled), 4, 1),
    (Some(SortCol::Aht), 6, 2),
    (Some(SortCol::Fcr), 6, 3),
    (Some(SortCol::Transfer), 6, 5),
    (Some(SortCol::Csat), 6, 4),
    (Some(SortCol::QaAvg), 5, 6),
    (Some(SortCol::SpotLeft), 4, 7),
    (None, 6, 0),
];

/// Live time in state at the UI clock: `25:03`, `1:02:03`; `—` without a state.
pub fn in_state(a: &AgentReport, app: &App) -> String {
    a.since.map_or("—".to_string(), |s| {
        fmt::dur(app.now.secs_since(s).max(0.0))
    })
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Pane::Agents && app.huddle.is_none();
    let buf = frame.buffer_mut();
    let lang = app.lang;
    let sort = &app.agents;
    let arrow = if sort.descending() { "▾" } else { "▴" };
    let title = match &app.view {
        Some(v) => {
            let flagged = app
                .rows
                .agents
                .iter()
                .filter(|&&i| {
                    v.snapshot
                        .agents
                        .get(i)
                        .is_some_and(|a| !a.flags.is_empty())
                })
                .count();
            tf(
                lang,
                Msg::AgPaneTitle,
                &[
                    &flagged,
                    &format!("{}{arrow}", t(lang, sort.sort.heading())),
                ],
            )
        }
        None => format!(" 5 {} ", t(lang, Msg::PaneAgents)),
    };
    let Some((inner, view)) = draw::pane(buf, area, &title, focused, app, theme) else {
        return;
    };
    let rows = &app.rows.agents;
    if rows.is_empty() {
        let msg = if app.filter_text.is_empty() {
            t(lang, Msg::AgPaneNone).to_string()
        } else {
            tf(lang, Msg::AgPaneNoneFiltered, &[&app.filter_text])
        };
        draw::note(buf, inner, &msg, theme.dim);
        return;
    }
    let spec: Vec<(u16, u8)> = COLUMNS.iter().map(|(_, w, p)| (*w, *p)).collect();
    let (keep, left) = draw::choose_columns(inner.width, &spec);
    let right = |i: usize| (3..=11).contains(&i);
    let cols = draw::kept_cols(&spec, &keep, |i, w| {
        let w = if i == 0 { w + left } else { w };
        if right(i) {
            Col::right(w)
        } else {
            Col::left(w)
        }
    });
    let heads = COLUMNS.iter().map(|(col, _, _)| {
        let text = match col {
            Some(c) if *c == sort.sort => format!("{}{arrow}", t(lang, c.heading())),
            Some(c) => t(lang, c.heading()).to_string(),
            None => t(lang, Msg::AgPaneFlags).to_string(),
        };
        (text, theme.title)
    });
    draw::kept_row(buf, inner, inner.y, &cols, &keep, heads, None);
    let body = draw::below(inner, 1);
    let sel = app.selected(List::Agents);
    for (line, y) in draw::visible(sel, rows.len(), body) {
        let Some(a) = view.snapshot.agents.get(rows[line]) else {
            continue;
        };
        let f = &a.figures;
        let (flags, flags_style) = flags_cell(a, theme);
        let has = |flag| a.has(flag);
        let mark = |flag, base: Style| {
            if has(flag) {
                flag_style(flag, theme)
            } else {
                base
            }
        };
        let state_style = if has(AgentFlag::BreakOver) {
            flag_style(AgentFlag::BreakOver, theme)
        } else if a.state == "offline" {
            theme.dim
        } else {
            theme.base
        };
        let kpi = |k: KpiKey, v: Option<f64>| match (k, v) {
            // Whole percentages fit the narrow cells.
            (KpiKey::AhtS, _) => fmt::kpi_value(k, v),
            (_, Some(v)) => format!("{:.0}%", v * 100.0),
            (_, None) => "—".to_string(),
        };
        let cells = [
            (a.display_name().to_string(), theme.base),
            (a.team.clone().unwrap_or_default(), theme.dim),
            (i18n::agent_state(lang, &a.state).to_string(), state_style),
            (in_state(a, app), state_style),
            (a.queue.clone().unwrap_or_default(), theme.dim),
            (f.handled.to_string(), theme.base),
            (
                kpi(KpiKey::AhtS, f.aht_s.value),
                mark(AgentFlag::AhtOver, theme.base),
            ),
            (
                kpi(KpiKey::Fcr, f.fcr.value),
                mark(AgentFlag::FcrUnder, theme.base),
            ),
            (kpi(KpiKey::TransferRate, f.transfer_rate.value), theme.base),
            (
                kpi(KpiKey::Csat, f.csat.value),
                mark(AgentFlag::CsatUnder, theme.base),
            ),
            (
                a.qa.avg.map_or("—".to_string(), |v| format!("{v:.1}")),
                mark(AgentFlag::QaLow, theme.base),
            ),
            (a.qa.spot_left_today.to_string(), theme.base),
            (flags, flags_style),
        ];
        let selected = (focused && line == sel).then_some(theme.selected);
        draw::kept_row(buf, body, y, &cols, &keep, cells, selected);
    }
}

/// The Agents page of the huddle (`[huddle] show_agents`): agents with
/// figures on target, A to Z, each with those figures only; the flagged and
/// the rest are not named (`app::agents::huddle_praise`).
pub fn render_huddle(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let buf = frame.buffer_mut();
    let title = t(app.lang, Msg::HuddleAgTitle);
    let Some((inner, view)) = draw::pane(buf, area, title, false, app, theme) else {
        return;
    };
    let praise = crate::app::agents::huddle_praise(view, &app.agents.rules);
    if praise.is_empty() {
        draw::note(buf, inner, t(app.lang, Msg::HuddleAgNone), theme.dim);
        return;
    }
    draw::note(buf, inner, t(app.lang, Msg::HuddleAgNote), theme.dim);
    let body = draw::below(inner, 1);
    for (i, (a, good)) in praise.iter().enumerate() {
        let y = body.y + i as u16;
        if y >= body.bottom() {
            break;
        }
        let figures: Vec<String> = good
            .iter()
            .map(|(k, v)| {
                format!(
                    "{} {}",
                    i18n::kpi_short(app.lang, *k),
                    fmt::kpi_value(*k, Some(*v))
                )
            })
            .collect();
        draw::segments(
            buf,
            body,
            y,
            &[
                (&super::text::pad(a.display_name(), 16), theme.base),
                (" ", theme.base),
                (&figures.join(" · "), theme.ok),
            ],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_symbols_are_one_column_everywhere_and_distinct() {
        use unicode_width::UnicodeWidthStr;
        let all: Vec<&str> = AgentFlag::ALL.iter().map(|f| flag_symbol(*f)).collect();
        for s in &all {
            assert_eq!(s.width(), 1, "{s}");
            assert_eq!(s.width_cjk(), 1, "{s} is ambiguous in East Asian terminals");
            // Not the KPI pane's and header's symbols.
            assert!(!["▲", "▼", "●", "○", "✓", "‼", "⚠", "✎", "↑", "↓"].contains(s));
        }
        let mut uniq = all.clone();
        uniq.sort_unstable();
        uniq.dedup();
        assert_eq!(uniq.len(), all.len());
    }
}
