//! Which palette the lead chose. The app keeps only the kind; `ui::theme`
//! builds the styles from it.

/// How many colours the terminal shows (from `TERM`/`COLORTERM`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum ColorDepth {
    /// The 16 basic colours only: the Linux console, a vt100, plain xterm.
    Basic16,
    /// The 256-colour indexes.
    #[default]
    Indexed256,
}

/// A palette: the configured one, high contrast, or no colour at all.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ThemeKind {
    Default,
    HighContrast,
    /// No colour at all (`NO_COLOR`): bold, reverse and underline only.
    Mono,
}

impl ThemeKind {
    pub fn name(self) -> &'static str {
        match self {
            ThemeKind::Default => "default",
            ThemeKind::HighContrast => "high-contrast",
            ThemeKind::Mono => "mono",
        }
    }

    pub fn from_name(s: &str) -> Option<ThemeKind> {
        [ThemeKind::Default, ThemeKind::HighContrast, ThemeKind::Mono]
            .into_iter()
            .find(|k| k.name() == s)
    }

    /// The next theme for `t`; with `NO_COLOR` set, mono is the only choice.
    pub fn next(self, no_color: bool) -> ThemeKind {
        if no_color {
            return ThemeKind::Mono;
        }
        match self {
            ThemeKind::Default => ThemeKind::HighContrast,
            ThemeKind::HighContrast => ThemeKind::Mono,
            ThemeKind::Mono => ThemeKind::Default,
        }
    }
}
