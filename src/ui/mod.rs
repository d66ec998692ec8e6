//! Drawing: pure functions of the state. [`render`]`(frame, &app)` draws
//! the whole screen in the app's theme; each pane, bar and overlay has its
//! own file with `render(frame, area, &app, &theme)` (the scorecard form
//! draws from the form alone), and `draw` holds what they share: the
//! frame, the scrolled rows, tables. Nothing here changes the state or
//! touches the floor.
//!
//! ```text
//! ┌─ header: shiftdeck · source · ● live | updated 12 s ago | STALE · ⚠ error · window · clock ─┐
//! ├──────────────────────────────────────┬───────────────────────────────────────────────────────┤
//! │ 1 Queues                             │ 2 KPIs                                                │
//! │   queue rows (wait, SL, Erlang need) │   ▲ ALERT line (when a KPI is in alert)               │
//! │   SLA timers, most urgent first      │   KPI  value  gauge  status  gap  target  trend  ▁▃▅  │
//! ├──────────────────────────────────────┼───────────────────────────────────────────────────────┤
//! │ 3 Feedback                           │ 4 Spot checks  (or 5 Agents: the slot is shared)      │
//! │   all │ new │ handling │ … counts    │   Random │ Targeted │ Coverage                        │
//! │   items: due/OVERDUE id owner age    │   contact agent ended flags | agent state time flags  │
//! ├──────────────────────────────────────┴───────────────────────────────────────────────────────┤
//! │ footer: key hints from the key table | "/ filter input" | a short note                       │
//! └───────────────────────────────────────────────────────────────────────────────────────────────┘
//! ```
//! Enter on a spot-check item opens the scorecard form over the panes.
//! `z` gives the focused pane the whole body. Huddle mode replaces the body
//! with big KPI tiles over one rotating pane. Help and detail overlays sit
//! centred on top, and so does the alerts overlay (`A`); the header
//! counts the active alerts by severity. Below [`MIN_WIDTH`]×[`MIN_HEIGHT`] a "terminal too small"
//! screen is drawn instead; without a source, a start screen.

pub mod agents;
pub mod alerts;
pub mod coach;
pub mod daychart;
pub mod detail;
pub mod draw;
pub mod feedback;
pub mod fmt;
pub mod footer;
pub mod form;
pub mod handover;
pub mod header;
pub mod help;
pub mod huddle;
pub mod kpis;
pub mod queues;
pub mod spot;
pub mod text;
pub mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::state::{App, Overlay, Pane};
use crate::i18n::{Lang, Msg, t, tf};
use theme::Theme;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let theme = &Theme::for_terminal(app.theme, app.color_depth);
    let area = frame.area();
    frame.buffer_mut().set_style(area, theme.base);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame.buffer_mut(), area, theme, app.lang);
        return;
    }
    if !app.has_source {
        start_screen(frame.buffer_mut(), area, app, theme);
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(frame, top, app, theme);
    footer::render(frame, bottom, app, theme);
    if app.huddle.is_some() {
        huddle::render(frame, body, app, theme);
    } else if app.zoom {
        render_pane(frame, body, app, theme, app.focus);
    } else {
        let [upper, lower] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
        // Wide screens give the KPIs more room; narrow ones split evenly.
        let split = if body.width >= 160 {
            [45, 55]
        } else {
            [50, 50]
        };
        let cols = |r: Rect| -> [Rect; 2] {
            Layout::horizontal([
                Constraint::Percentage(split[0]),
                Constraint::Percentage(split[1]),
            ])
            .areas(r)
        };
        let [q, k] = cols(upper);
        let [f, s] = cols(lower);
        render_pane(frame, q, app, theme, Pane::Queues);
        render_pane(frame, k, app, theme, Pane::Kpis);
        render_pane(frame, f, app, theme, Pane::Feedback);
        // The lower right is shared: Spot checks or Agents, whichever last
        // had the focus (`app::agents`).
        render_pane(frame, s, app, theme, app.agents.slot);
    }
    // An agent's coaching view covers the panes (not the huddle screen).
    if app.huddle.is_none() && app.agents.coach.is_some() {
        coach::render(frame, body, app, theme);
    }
    match &app.overlay {
        Some(Overlay::Help) => help::render(frame, body, app, theme),
        Some(Overlay::Alerts) => alerts::render(frame, body, app, theme),
        Some(Overlay::Handover) => handover::render(frame, body, app, theme),
        Some(_) => detail::render(frame, body, app, theme),
        None => {}
    }
    // The board's picker or yes/no question, over everything but the form.
    feedback::render_choice(frame, body, app, theme);
    // The scorecard form sits over everything while it is open.
    if let Some(f) = &app.scores.form {
        let name = app
            .view
            .as_deref()
            .map_or(f.agent.as_str(), |v| v.agent_name(&f.agent));
        form::render(frame, body, f, theme, name);
    }
}

pub fn render_pane(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, pane: Pane) {
    match pane {
        Pane::Queues => queues::render(frame, area, app, theme),
        Pane::Kpis => kpis::render(frame, area, app, theme),
        Pane::Feedback => feedback::render(frame, area, app, theme),
        Pane::Spot => spot::render(frame, area, app, theme),
        Pane::Agents => agents::render(frame, area, app, theme),
    }
}

/// What a pane shows before the first view: loading progress or the error.
pub fn no_data(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let st = &app.status;
    let msg = if let Some(e) = &st.last_error {
        format!("⚠ {}", header::source_error(e))
    } else if st.loading {
        tf(app.lang, Msg::Loading, &[&st.label, &st.stats.lines])
    } else {
        t(app.lang, Msg::WaitingForData).to_string()
    };
    let style = if st.last_error.is_some() {
        theme.alert
    } else {
        theme.dim
    };
    draw::put(buf, area.x, area.y, area.width, &msg, style);
}

fn too_small(buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    let lines = [
        t(lang, Msg::TooSmall).to_string(),
        tf(
            lang,
            Msg::TooSmallSize,
            &[&area.width, &area.height, &MIN_WIDTH, &MIN_HEIGHT],
        ),
        t(lang, Msg::TooSmallHint).to_string(),
    ];
    // Each line wrapped to the width; what does not fit the height is
    // left out from the end (the hint first, the title last).
    let mut rows: Vec<(String, bool)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        rows.extend(
            text::wrap_words(l, area.width as usize)
                .into_iter()
                .map(|r| (r, i == 0)),
        );
    }
    rows.truncate(area.height as usize);
    let top = area.y + area.height.saturating_sub(rows.len() as u16) / 2;
    for (i, (l, title)) in rows.iter().enumerate() {
        let w = text::width(l) as u16;
        let x = area.x + area.width.saturating_sub(w) / 2;
        let style = if *title { theme.alert } else { theme.base };
        draw::put(buf, x, top + i as u16, area.width, l, style);
    }
}

/// Lines of the start screen shown when no source is given or configured.
pub fn start_lines_in(lang: Lang, config_file: &str) -> Vec<(String, bool)> {
    vec![
        (t(lang, Msg::StartTitle).into(), true),
        (String::new(), false),
        (t(lang, Msg::StartNoSource).into(), false),
        (String::new(), false),
        ("  shiftdeck demo".into(), true),
        (t(lang, Msg::StartDemoHelp).into(), false),
        ("  shiftdeck --file PATH".into(), true),
        (t(lang, Msg::StartFileHelp).into(), false),
        ("  shiftdeck --crm URL".into(), true),
        (t(lang, Msg::StartCrmHelp).into(), false),
        (String::new(), false),
        (t(lang, Msg::StartConfigHint).into(), false),
        (format!("  {config_file}"), false),
        (String::new(), false),
        (t(lang, Msg::StartQuit).into(), false),
    ]
}

fn start_screen(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let lines = start_lines_in(
        app.lang,
        app.config_file
            .as_deref()
            .unwrap_or(t(app.lang, Msg::StartNoConfig)),
    );
    let w = lines
        .iter()
        .map(|(l, _)| text::width(l) as u16)
        .max()
        .unwrap_or(0);
    let rect = draw::centered(area, w + 4, lines.len() as u16 + 2);
    let inner = draw::framed(buf, rect, draw::pane_block(" shiftdeck ", true, theme));
    for (i, (l, strong)) in lines.iter().enumerate() {
        let style = if *strong { theme.key } else { theme.base };
        draw::indented(buf, inner, i as u16, l, style);
    }
}
