//! The coaching view of one agent (Enter on the Agents pane), over the
//! whole body: who and where now, the flags, the window's KPIs against the
//! team's and the target with the agent's hour-by-hour sparkline, today's
//! spot-check sample of the agent (Up/Down, Enter scores), the last days'
//! AHT / FCR / CSAT, the scored spot checks and the feedback items of the
//! agent's customers. PgUp/PgDn scroll what does not fit.
//!
//! ```text
//! ┏ Sam Green · coaching · Esc to close ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
//! ┃Sam Green · team B · break 20:00 · queue q-chat                       ┃
//! ┃Flags: ◷ long break                                                   ┃
//! ┃KPI          agent     n      team   target  by hour                  ┃
//! ┃AHT          7m00s     1     4m50s    4m12s  ······█                  ┃
//! ┃Today's spot-check sample: 1 contact(s), Enter scores                 ┃
//! ┃▶ c4      10:10  red line                                             ┃
//! ┃Last 14 days, oldest to today …                                       ┃
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::agents::{Coach, sample_items};
use crate::app::state::App;
use crate::app::view::View;
use crate::domain::KpiKey;
use crate::domain::agents::{AgentFigures, AgentReport, COACH_DAYS, group_figures};
use crate::i18n::{self, Msg, t, tf};

use super::draw;
use super::fmt;
use super::text::{pad, pad_left};
use super::theme::Theme;

/// A line of the view: its segments, and whether it is the selected row.
type Line = (Vec<(String, Style)>, bool);

/// The KPIs the agent view has, in the table's order.
const KPIS: [KpiKey; 7] = [
    KpiKey::AhtS,
    KpiKey::ArtS,
    KpiKey::Fcr,
    KpiKey::TransferRate,
    KpiKey::Csat,
    KpiKey::Nps,
    KpiKey::Occupancy,
];

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (Some(view), Some(coach)) = (app.view.as_deref(), app.agents.coach.as_ref()) else {
        return;
    };
    let agent = view.snapshot.agents.iter().find(|a| a.id == coach.agent);
    let name = agent.map_or(coach.agent.as_str(), AgentReport::display_name);
    let buf = frame.buffer_mut();
    draw::clear(buf, area);
    let title = tf(app.lang, Msg::CoTitle, &[&name]);
    let inner = draw::framed(buf, area, draw::pane_block(&title, true, theme));
    let lines = lines(app, view, coach, agent, theme, inner.width);
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = coach.scroll.min(max_scroll) as usize;
    for (i, (segs, selected)) in lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + i as u16;
        let segs: Vec<(&str, Style)> = segs.iter().map(|(s, st)| (s.as_str(), *st)).collect();
        draw::segments(buf, inner, y, &segs);
        if *selected {
            draw::fill_row(buf, inner, y, theme.selected);
        }
    }
    if scroll < max_scroll as usize {
        let more = t(app.lang, Msg::CoMore);
        let x = area
            .right()
            .saturating_sub(super::text::width(more) as u16 + 2);
        draw::put(buf, x, area.bottom() - 1, area.width, more, theme.key);
    }
}

fn one(s: impl Into<String>, style: Style) -> Line {
    (vec![(s.into(), style)], false)
}

fn value(k: KpiKey, v: Option<f64>) -> String {
    fmt::kpi_value(k, v)
}

/// Every line of the view, top to bottom.
fn lines(
    app: &App,
    view: &View,
    coach: &Coach,
    agent: Option<&AgentReport>,
    theme: &Theme,
    width: u16,
) -> Vec<Line> {
    let lang = app.lang;
    let mut out: Vec<Line> = Vec::new();
    let Some(a) = agent else {
        out.push(one(
            tf(lang, Msg::AgPaneNoneFiltered, &[&coach.agent]),
            theme.dim,
        ));
        return out;
    };
    let coaching = view.coaching.as_deref().filter(|c| c.agent == a.id);
    // Who and where now.
    out.push(one(
        tf(
            lang,
            Msg::CoHead,
            &[
                &a.display_name(),
                &a.team.as_deref().unwrap_or(t(lang, Msg::CoNoTeam)),
                &i18n::agent_state(lang, &a.state),
                &super::agents::in_state(a, app),
                &a.queue.as_deref().unwrap_or("—"),
            ],
        ),
        theme.title_focus,
    ));
    if a.flags.is_empty() {
        out.push(one(t(lang, Msg::CoNoFlags), theme.dim));
    } else {
        let mut segs = vec![(tf(lang, Msg::CoFlags, &[&""]), theme.base)];
        for (i, f) in a.flags.iter().enumerate() {
            let sep = if i > 0 { " · " } else { "" };
            segs.push((
                format!(
                    "{sep}{} {}",
                    super::agents::flag_symbol(*f),
                    i18n::agent_flag(lang, *f)
                ),
                super::agents::flag_style(*f, theme),
            ));
        }
        out.push((segs, false));
    }
    out.push(one("", theme.base));

    // The window's KPIs: the agent, n, the team, the target, by hour.
    let team: Option<AgentFigures> = a.team.as_ref().map(|team| {
        group_figures(
            view.snapshot
                .agents
                .iter()
                .filter(|m| m.team.as_ref() == Some(team)),
        )
    });
    let spark_w = (width as usize).saturating_sub(48).clamp(0, 24);
    out.push(one(
        format!(
            "{} {} {} {} {}  {}",
            pad(t(lang, Msg::CoKpiHead), 12),
            pad_left(t(lang, Msg::CoAgent), 8),
            pad_left("n", 5),
            pad_left(t(lang, Msg::CoTeam), 8),
            pad_left(t(lang, Msg::CoTarget), 8),
            if spark_w > 0 {
                t(lang, Msg::CoByHour)
            } else {
                ""
            },
        ),
        theme.title,
    ));
    let elapsed_h = (app.now.since(view.hourly_from) as f64 / 3600e9).floor() as i64 + 1;
    for k in KPIS {
        let Some(v) = a.figures.get(k) else { continue };
        let team_v = team.as_ref().and_then(|f| f.get(k)).and_then(|v| v.value);
        let report = view.kpi(k);
        let target = report.and_then(|r| r.target);
        let flagged = match k {
            KpiKey::AhtS => a.has(crate::domain::agents::AgentFlag::AhtOver),
            KpiKey::Fcr => a.has(crate::domain::agents::AgentFlag::FcrUnder),
            KpiKey::Csat => a.has(crate::domain::agents::AgentFlag::CsatUnder),
            _ => false,
        };
        let spark = match coaching {
            Some(c) if spark_w > 0 => {
                let n = (elapsed_h.max(0) as usize).min(c.hourly.len());
                let values: Vec<Option<f64>> = c.hourly[..n]
                    .iter()
                    .map(|f| f.get(k).and_then(|v| v.value))
                    .collect();
                super::kpis::sparkline(&values, spark_w)
            }
            _ => String::new(),
        };
        let n = if k == KpiKey::Occupancy {
            fmt::age_short(v.n)
        } else {
            format!("{:.0}", v.n)
        };
        out.push((
            vec![
                (pad(i18n::kpi_short(lang, k), 12), theme.base),
                (" ".into(), theme.base),
                (
                    pad_left(&value(k, v.value), 8),
                    if flagged { theme.warn } else { theme.base },
                ),
                (
                    format!(
                        " {} {} {}  ",
                        pad_left(&n, 5),
                        pad_left(&value(k, team_v), 8),
                        pad_left(&value(k, target), 8)
                    ),
                    theme.dim,
                ),
                (spark, theme.accent),
            ],
            false,
        ));
    }
    out.push(one("", theme.base));

    // Today's sample: Enter scores the selected contact.
    let items = sample_items(view, &a.id);
    out.push(one(
        tf(lang, Msg::CoSampleHead, &[&items.len()]),
        theme.title_focus,
    ));
    if items.is_empty() {
        out.push(one(t(lang, Msg::CoSampleNone), theme.dim));
    }
    for (i, item) in items.iter().enumerate() {
        let selected = i == coach.row;
        let ended = item
            .ended_at
            .map_or("—".into(), |t| fmt::clock(t, app.tz)[..5].to_string());
        let flags: Vec<&str> = item.flags.iter().map(|f| i18n::flag(lang, f)).collect();
        let score = super::spot::score_label(app, &item.contact).unwrap_or_else(|| "—".into());
        out.push((
            vec![
                (if selected { "▶ " } else { "  " }.to_string(), theme.key),
                (pad(&item.contact, 10), theme.base),
                (format!(" {ended}  "), theme.dim),
                (pad(&score, 7), theme.base),
                (flags.join(", "), theme.warn),
            ],
            selected,
        ));
    }
    out.push(one("", theme.base));

    // The last days: AHT, FCR, CSAT day by day.
    out.push(one(
        tf(lang, Msg::CoTrendHead, &[&COACH_DAYS]),
        theme.title_focus,
    ));
    match coaching {
        Some(c) => {
            for k in [KpiKey::AhtS, KpiKey::Fcr, KpiKey::Csat] {
                let values: Vec<Option<f64>> = c
                    .days
                    .iter()
                    .map(|(_, f)| f.get(k).and_then(|v| v.value))
                    .collect();
                let last = values.iter().rev().flatten().next().copied();
                let first = values.iter().flatten().next().copied();
                out.push((
                    vec![
                        (pad(i18n::kpi_short(lang, k), 12), theme.base),
                        (" ".into(), theme.base),
                        (super::kpis::sparkline(&values, values.len()), theme.accent),
                        (
                            format!("  {} → {}", value(k, first), value(k, last)),
                            theme.dim,
                        ),
                    ],
                    false,
                ));
            }
        }
        None => out.push(one(t(lang, Msg::CoWaiting), theme.dim)),
    }
    out.push(one("", theme.base));

    // The lead's scored spot checks of the agent.
    out.push(one(
        tf(lang, Msg::CoScoresHead, &[&COACH_DAYS, &coach.scores.len()]),
        theme.title_focus,
    ));
    if coach.scores.is_empty() {
        out.push(one(t(lang, Msg::CoScoresNone), theme.dim));
    }
    for s in &coach.scores {
        let crit: Vec<&str> = [
            (s.critical_customer, Msg::CoCritCustomer),
            (s.critical_business, Msg::CoCritBusiness),
            (s.critical_compliance, Msg::CoCritCompliance),
        ]
        .into_iter()
        .filter(|(found, _)| *found)
        .map(|(_, m)| t(lang, m))
        .collect();
        let dims: Vec<String> = s
            .dimensions
            .iter()
            .map(|(name, v)| format!("{name} {v}"))
            .collect();
        let mut segs = vec![
            (format!("{} {} ", s.day, pad(&s.contact, 10)), theme.base),
            (
                crate::i18n::score_total(lang, &s.score_total(), false),
                if s.any_critical() {
                    theme.alert
                } else {
                    theme.ok
                },
            ),
        ];
        if !crit.is_empty() {
            segs.push((
                format!(" {}", tf(lang, Msg::CoCritical, &[&crit.join(", ")])),
                theme.alert,
            ));
        }
        segs.push((format!("  {}", dims.join(" · ")), theme.dim));
        out.push((segs, false));
        if !s.comment.trim().is_empty() {
            out.push(one(format!("    “{}”", s.comment.trim()), theme.base));
        }
    }
    out.push(one("", theme.base));

    // Feedback items of the agent's customers.
    let ids = coaching.map(|c| c.feedback.as_slice()).unwrap_or(&[]);
    out.push(one(
        tf(lang, Msg::CoFeedbackHead, &[&ids.len()]),
        theme.title_focus,
    ));
    if ids.is_empty() {
        out.push(one(t(lang, Msg::CoFeedbackNone), theme.dim));
    }
    for id in ids {
        let Some(f) = view.snapshot.feedback.iter().find(|f| &f.id == id) else {
            continue;
        };
        let stage = f
            .stage
            .as_deref()
            .map_or("—", |s| i18n::stage(lang, s, false));
        out.push((
            vec![
                (pad(&f.id, 8), theme.base),
                (format!(" {} ", pad(stage, 8)), theme.dim),
                (
                    super::text::shown(f.summary.as_deref().unwrap_or(""), 2000, app.masked()),
                    theme.base,
                ),
            ],
            false,
        ));
    }
    out
}
