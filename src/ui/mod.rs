//! Drawing: pure functions of the state, `render(frame, area, &app, &theme)`,
//! one file per pane. Nothing here changes the state or touches the floor.
//!
//! ```text
//! ┌─ header: shiftdeck · source · ● live | updated 12 s ago | STALE · ⚠ error · window · clock ─┐
//! ├──────────────────────────────────────┬───────────────────────────────────────────────────────┤
//! │ 1 Queues                             │ 2 KPIs                                                │
//! │   queue rows (wait, SL, Erlang need) │   ▲ ALERT line (when a KPI is in alert)               │
//! │   SLA timers, most urgent first      │   KPI  value  gauge  status  gap  target  trend  ▁▃▅  │
//! ├──────────────────────────────────────┼───────────────────────────────────────────────────────┤
//! │ 3 Feedback                           │ 4 Spot checks                                         │
//! │   all │ new │ handling │ … counts    │   Random │ Targeted │ Coverage                        │
//! │   items: due/OVERDUE id owner age    │   contact agent ended flags                           │
//! ├──────────────────────────────────────┴───────────────────────────────────────────────────────┤
//! │ footer: key hints from the key table | "/ filter input" | a short note                       │
//! └───────────────────────────────────────────────────────────────────────────────────────────────┘
//! ```
//! `z` gives the focused pane the whole body. Huddle mode replaces the body
//! with big KPI tiles over one rotating pane. Help and detail overlays sit
//! centred on top. Below [`MIN_WIDTH`]×[`MIN_HEIGHT`] a "terminal too small"
//! screen is drawn instead; without a source, a start screen.

pub mod detail;
pub mod draw;
pub mod feedback;
pub mod fmt;
pub mod footer;
pub mod form;
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
use theme::Theme;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let theme = &app.theme;
    let area = frame.area();
    frame.buffer_mut().set_style(area, theme.base);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame.buffer_mut(), area, theme);
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
        render_pane(frame, s, app, theme, Pane::Spot);
    }
    match &app.overlay {
        Some(Overlay::Help) => help::render(frame, body, app, theme),
        Some(_) => detail::render(frame, body, app, theme),
        None => {}
    }
}

pub fn render_pane(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, pane: Pane) {
    match pane {
        Pane::Queues => queues::render(frame, area, app, theme),
        Pane::Kpis => kpis::render(frame, area, app, theme),
        Pane::Feedback => feedback::render(frame, area, app, theme),
        Pane::Spot => spot::render(frame, area, app, theme),
    }
}

/// What a pane shows before the first view: loading progress or the error.
pub fn no_data(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let st = &app.status;
    let msg = if let Some(e) = &st.last_error {
        format!("⚠ {e}")
    } else if st.loading {
        format!("loading {} … {} lines read", st.label, st.stats.lines)
    } else {
        "waiting for data…".to_string()
    };
    let style = if st.last_error.is_some() {
        theme.alert
    } else {
        theme.dim
    };
    draw::put(buf, area.x, area.y, area.width, &msg, style);
}

fn too_small(buf: &mut Buffer, area: Rect, theme: &Theme) {
    let lines = [
        "terminal too small".to_string(),
        format!(
            "{}×{} here, {}×{} needed",
            area.width, area.height, MIN_WIDTH, MIN_HEIGHT
        ),
        "enlarge the window, or q to quit".to_string(),
    ];
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, l) in lines.iter().enumerate() {
        let w = text::width(l) as u16;
        let x = area.x + area.width.saturating_sub(w) / 2;
        let style = if i == 0 { theme.alert } else { theme.base };
        draw::put(buf, x, top + i as u16, area.width, l, style);
    }
}

/// Lines of the start screen shown when no source is given or configured.
pub fn start_lines(config_file: &str) -> Vec<(String, bool)> {
    vec![
        ("shiftdeck · the shift lead's console".into(), true),
        (String::new(), false),
        (
            "No data source yet. Start it one of these ways:".into(),
            false,
        ),
        (String::new(), false),
        ("  shiftdeck demo".into(), true),
        (
            "      a simulated floor that keeps running live (faster: --speed 10)".into(),
            false,
        ),
        ("  shiftdeck --file PATH".into(), true),
        (
            "      follow an NDJSON floor file as it grows (format: docs/)".into(),
            false,
        ),
        ("  shiftdeck --crm URL".into(), true),
        (
            "      a CRM or HTTP feed: coming in a later release".into(),
            false,
        ),
        (String::new(), false),
        (
            "Or name the file once in the config, [source] file = \"PATH\":".into(),
            false,
        ),
        (format!("  {config_file}"), false),
        (String::new(), false),
        ("q quit".into(), false),
    ]
}

fn start_screen(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let lines = start_lines(
        app.config_file
            .as_deref()
            .unwrap_or("(no config file location)"),
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
        draw::put(
            buf,
            inner.x + 1,
            inner.y + i as u16,
            inner.width.saturating_sub(1),
            l,
            style,
        );
    }
}
