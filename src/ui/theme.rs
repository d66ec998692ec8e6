//! Colours and emphasis. Colour never carries meaning alone: every status
//! also has a symbol or a word (see `i18n::status`), so the mono theme
//! (`NO_COLOR`) and colour-blind leads read the same screen.
//!
//! The default palette uses the 256-colour indexes, which survive SSH and
//! tmux; truecolor is never used.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Status;

pub use crate::app::theme::ThemeKind;

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub kind: ThemeKind,
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub title_focus: Style,
    pub border: Style,
    pub border_focus: Style,
    pub selected: Style,
    pub header: Style,
    pub ok: Style,
    pub warn: Style,
    pub alert: Style,
    /// The loud line: KPI alert, overdue, breached, STALE.
    pub loud: Style,
    pub accent: Style,
    pub key: Style,
}

impl Theme {
    pub fn new(kind: ThemeKind) -> Theme {
        match kind {
            ThemeKind::Default => Theme {
                kind,
                base: Style::new(),
                dim: Style::new().fg(Color::Indexed(245)),
                title: Style::new()
                    .fg(Color::Indexed(250))
                    .add_modifier(Modifier::BOLD),
                title_focus: Style::new()
                    .fg(Color::Indexed(81))
                    .add_modifier(Modifier::BOLD),
                border: Style::new().fg(Color::Indexed(240)),
                border_focus: Style::new().fg(Color::Indexed(81)),
                selected: Style::new()
                    .bg(Color::Indexed(237))
                    .add_modifier(Modifier::BOLD),
                header: Style::new().fg(Color::Indexed(255)).bg(Color::Indexed(236)),
                ok: Style::new().fg(Color::Indexed(71)),
                warn: Style::new().fg(Color::Indexed(178)),
                alert: Style::new()
                    .fg(Color::Indexed(196))
                    .add_modifier(Modifier::BOLD),
                loud: Style::new()
                    .fg(Color::Indexed(231))
                    .bg(Color::Indexed(160))
                    .add_modifier(Modifier::BOLD),
                accent: Style::new().fg(Color::Indexed(81)),
                key: Style::new()
                    .fg(Color::Indexed(81))
                    .add_modifier(Modifier::BOLD),
            },
            ThemeKind::HighContrast => Theme {
                kind,
                base: Style::new().fg(Color::White).bg(Color::Black),
                dim: Style::new().fg(Color::White).bg(Color::Black),
                title: Style::new()
                    .fg(Color::White)
                    .bg(Color::Black)
                    .add_modifier(Modifier::BOLD),
                title_focus: Style::new()
                    .fg(Color::Black)
                    .bg(Color::LightYellow)
                    .add_modifier(Modifier::BOLD),
                border: Style::new().fg(Color::White).bg(Color::Black),
                border_focus: Style::new()
                    .fg(Color::LightYellow)
                    .bg(Color::Black)
                    .add_modifier(Modifier::BOLD),
                selected: Style::new()
                    .fg(Color::Black)
                    .bg(Color::White)
                    .add_modifier(Modifier::BOLD),
                header: Style::new()
                    .fg(Color::Black)
                    .bg(Color::White)
                    .add_modifier(Modifier::BOLD),
                ok: Style::new()
                    .fg(Color::LightGreen)
                    .bg(Color::Black)
                    .add_modifier(Modifier::BOLD),
                warn: Style::new()
                    .fg(Color::LightYellow)
                    .bg(Color::Black)
                    .add_modifier(Modifier::BOLD),
                alert: Style::new()
                    .fg(Color::LightRed)
                    .bg(Color::Black)
                    .add_modifier(Modifier::BOLD),
                loud: Style::new()
                    .fg(Color::White)
                    .bg(Color::Red)
                    .add_modifier(Modifier::BOLD),
                accent: Style::new()
                    .fg(Color::LightCyan)
                    .bg(Color::Black)
                    .add_modifier(Modifier::BOLD),
                key: Style::new()
                    .fg(Color::LightCyan)
                    .bg(Color::Black)
                    .add_modifier(Modifier::BOLD),
            },
            ThemeKind::Mono => {
                let bold = Style::new().add_modifier(Modifier::BOLD);
                Theme {
                    kind,
                    base: Style::new(),
                    dim: Style::new(),
                    title: bold,
                    title_focus: bold.add_modifier(Modifier::REVERSED),
                    border: Style::new(),
                    border_focus: bold,
                    selected: Style::new().add_modifier(Modifier::REVERSED),
                    header: Style::new().add_modifier(Modifier::REVERSED),
                    ok: Style::new(),
                    warn: Style::new().add_modifier(Modifier::UNDERLINED),
                    alert: bold.add_modifier(Modifier::UNDERLINED),
                    loud: bold.add_modifier(Modifier::REVERSED),
                    accent: bold,
                    key: bold,
                }
            }
        }
    }

    pub fn status(&self, s: Option<Status>) -> Style {
        match s {
            Some(Status::Ok) => self.ok,
            Some(Status::Warn) => self.warn,
            Some(Status::Alert) => self.alert,
            None => self.dim,
        }
    }
}

/// `NO_COLOR` set to any non-empty value disables colour (no-color.org).
pub fn no_color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
