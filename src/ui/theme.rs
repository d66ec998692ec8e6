//! Colours and emphasis. Colour never carries meaning alone: every status
//! also has a symbol or a word (see `i18n::status`), so the mono theme
//! (`NO_COLOR`) and colour-blind leads read the same screen.
//!
//! The default palette uses the 256-colour indexes, which survive SSH and
//! tmux; truecolor is never used. A terminal that says it has only the 16
//! basic colours (`TERM=linux`, `vt100`, plain `xterm`, …) gets the same
//! palette in those 16 (see [`color_depth_from`]).

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Status;

pub use crate::app::theme::{ColorDepth, ThemeKind};

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
    /// The palette `kind` in the colours the terminal has.
    pub fn for_terminal(kind: ThemeKind, depth: ColorDepth) -> Theme {
        match (kind, depth) {
            (ThemeKind::Default, ColorDepth::Basic16) => Theme::default_16(),
            // High contrast and mono use only the 16 basic colours already.
            _ => Theme::new(kind),
        }
    }

    /// The default palette in the 16 basic colours: the Linux console,
    /// a vt100, an `xterm` without `-256color`.
    fn default_16() -> Theme {
        Theme {
            kind: ThemeKind::Default,
            base: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Gray).add_modifier(Modifier::BOLD),
            title_focus: Style::new()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            border_focus: Style::new().fg(Color::LightCyan),
            selected: Style::new()
                .fg(Color::Black)
                .bg(Color::Gray)
                .add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::White).bg(Color::Blue),
            ok: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            alert: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            loud: Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            accent: Style::new().fg(Color::Cyan),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        }
    }

    /// The palette `kind` with 256 colours.
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

/// [`color_depth_from`] on this process's `TERM` and `COLORTERM`.
pub fn color_depth_from_env() -> ColorDepth {
    let var = |k| std::env::var(k).unwrap_or_default();
    color_depth_from(&var("TERM"), &var("COLORTERM"))
}

/// Terminal types known to show 256 colours without saying so in `TERM`.
const TERMS_256: [&str; 9] = [
    "alacritty",
    "foot",
    "kitty",
    "xterm-kitty",
    "wezterm",
    "xterm-ghostty",
    "contour",
    "iterm2",
    "rio",
];

/// How many colours the terminal shows, from what it says of itself:
/// `COLORTERM=truecolor`/`24bit`, a `TERM` with `256color` or `direct`, or a
/// terminal type known for it give 256; everything else (`linux`, `vt100`,
/// `xterm`, `screen`, `ansi`, unset) only the 16 basic colours, which every
/// colour terminal shows.
pub fn color_depth_from(term: &str, colorterm: &str) -> ColorDepth {
    let term = term.trim().to_ascii_lowercase();
    let colorterm = colorterm.trim().to_ascii_lowercase();
    // The Linux console says COLORTERM nowhere, but some users set it
    // globally: TERM=linux is believed first.
    if term == "linux" || term.starts_with("vt") {
        return ColorDepth::Basic16;
    }
    if matches!(colorterm.as_str(), "truecolor" | "24bit")
        || term.contains("256color")
        || term.contains("direct")
        || TERMS_256.contains(&term.as_str())
    {
        ColorDepth::Indexed256
    } else {
        ColorDepth::Basic16
    }
}

/// `bytes` with every colour of the 16 basic ones written the classic way:
/// crossterm writes even white as the 256-colour form `38;5;15`, which the
/// Linux console of older kernels and a vt100 cannot read. In every SGR
/// sequence (`ESC [ … m`), `38;5;N` becomes `30+N` (`90+N−8` for the bright
/// half) and `48;5;N` becomes `40+N` (`100+N−8`) for N below 16; anything
/// else is left as it is.
pub fn basic_sgr(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.windows(3).any(|w| w == b";5;") {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // A CSI whose parameters are digits and `;` and which ends in `m`.
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            let start = i + 2;
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b';') {
                end += 1;
            }
            if bytes.get(end) == Some(&b'm') {
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(&basic_params(&bytes[start..end]));
                out.push(b'm');
                i = end + 1;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// SGR parameters with `38;5;N` / `48;5;N` (N < 16) in the classic codes.
fn basic_params(params: &[u8]) -> Vec<u8> {
    let parts: Vec<&[u8]> = params.split(|b| *b == b';').collect();
    let num = |p: &[u8]| {
        std::str::from_utf8(p)
            .ok()
            .and_then(|s| s.parse::<u16>().ok())
    };
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut k = 0;
    while k < parts.len() {
        let code = num(parts[k]);
        let index = (parts.get(k + 1).copied().and_then(num) == Some(5))
            .then(|| parts.get(k + 2).copied().and_then(num))
            .flatten()
            .filter(|n| *n < 16);
        match (code, index) {
            (Some(base @ (38 | 48)), Some(n)) => {
                let first = if base == 38 { 30 } else { 40 };
                let code = if n < 8 { first + n } else { first + 60 + n - 8 };
                out.push(code.to_string());
                k += 3;
            }
            _ => {
                out.push(String::from_utf8_lossy(parts[k]).into_owned());
                k += 1;
            }
        }
    }
    out.join(";").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_that_say_16_colours_get_16() {
        for (term, colorterm) in [
            ("linux", ""),
            ("linux", "truecolor"),
            ("vt100", ""),
            ("vt220", ""),
            ("xterm", ""),
            ("xterm-color", ""),
            ("screen", ""),
            ("tmux", ""),
            ("ansi", ""),
            ("", ""),
            ("dumb", ""),
        ] {
            assert_eq!(
                color_depth_from(term, colorterm),
                ColorDepth::Basic16,
                "TERM={term} COLORTERM={colorterm}"
            );
        }
    }

    #[test]
    fn terminals_that_say_256_colours_get_256() {
        for (term, colorterm) in [
            ("xterm-256color", ""),
            ("screen-256color", ""),
            ("tmux-256color", ""),
            ("XTERM-256COLOR", ""),
            ("xterm-direct", ""),
            ("xterm", "truecolor"),
            ("screen", "24bit"),
            ("alacritty", ""),
            ("xterm-kitty", ""),
        ] {
            assert_eq!(
                color_depth_from(term, colorterm),
                ColorDepth::Indexed256,
                "TERM={term} COLORTERM={colorterm}"
            );
        }
    }

    fn colours(t: &Theme) -> Vec<Color> {
        [
            t.base,
            t.dim,
            t.title,
            t.title_focus,
            t.border,
            t.border_focus,
            t.selected,
            t.header,
            t.ok,
            t.warn,
            t.alert,
            t.loud,
            t.accent,
            t.key,
        ]
        .iter()
        .flat_map(|s| [s.fg, s.bg])
        .flatten()
        .collect()
    }

    #[test]
    fn every_16_colour_palette_uses_only_the_16_basic_colours() {
        for kind in [ThemeKind::Default, ThemeKind::HighContrast, ThemeKind::Mono] {
            let t = Theme::for_terminal(kind, ColorDepth::Basic16);
            assert_eq!(t.kind, kind);
            for c in colours(&t) {
                assert!(
                    !matches!(c, Color::Indexed(_) | Color::Rgb(..)),
                    "{kind:?} uses {c:?} on a 16-colour terminal"
                );
            }
        }
        // The default palette really changes (it is 256-colour otherwise),
        // and keeps its loud line visible.
        let d16 = Theme::for_terminal(ThemeKind::Default, ColorDepth::Basic16);
        assert!(
            colours(&Theme::new(ThemeKind::Default))
                .iter()
                .any(|c| matches!(c, Color::Indexed(_)))
        );
        assert_eq!(d16.loud.bg, Some(Color::Red));
        assert_eq!(
            Theme::for_terminal(ThemeKind::Default, ColorDepth::Indexed256),
            Theme::new(ThemeKind::Default)
        );
    }

    #[test]
    fn basic_colours_are_written_the_classic_way() {
        let got = |b: &[u8]| String::from_utf8(basic_sgr(b).into_owned()).unwrap();
        // White on blue, as crossterm writes it; then bold; bright cyan.
        assert_eq!(
            got(b"\x1b[38;5;15;48;5;4m shiftdeck \x1b[1m\x1b[38;5;14;49mx"),
            "\x1b[97;44m shiftdeck \x1b[1m\x1b[96;49mx"
        );
        assert_eq!(got(b"\x1b[38;5;0m\x1b[48;5;8m"), "\x1b[30m\x1b[100m");
        // 256-colour indexes, true colour, cursor moves and text stay.
        for same in [
            &b"\x1b[38;5;245m"[..],
            b"\x1b[38;2;1;2;3m",
            b"\x1b[2;1H",
            b"a;5;b",
            b"\x1b[38;5;",
        ] {
            assert_eq!(basic_sgr(same), same, "{}", String::from_utf8_lossy(same));
        }
    }

    #[test]
    fn mono_has_no_colour_at_all() {
        for depth in [ColorDepth::Basic16, ColorDepth::Indexed256] {
            let t = Theme::for_terminal(ThemeKind::Mono, depth);
            assert!(colours(&t).is_empty(), "{:?}", colours(&t));
        }
    }
}
