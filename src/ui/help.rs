//! The `?` overlay: every binding of the key table, by context, then how the
//! filter, the windows and the freshness labels work.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::keymap;
use crate::app::state::App;
use crate::domain::agents::AgentFlag;
use crate::i18n::{Lang, Msg, t, tf};

use super::draw;
use super::header::{LIVE_S, STALE_S};
use super::theme::Theme;

/// The legend: every symbol and abbreviation the panes use, with what it
/// means (one meaning a symbol). A symbol is either literal text or the
/// column headings it explains, in the screen's language.
pub const LEGEND: &[(&str, &[Msg], Msg)] = &[
    ("✓ ! ▲", &[], Msg::LegendStatus),
    ("‼", &[], Msg::LegendPastDue),
    ("↑ ↓", &[], Msg::LegendTrend),
    ("◔ 44%", &[], Msg::LegendInProgress),
    ("", &[Msg::MoreRowsSym], Msg::LegendMore),
    ("", &[Msg::ColWait, Msg::ColLongest], Msg::LegendWait),
    ("", &[Msg::ColSl], Msg::LegendSl),
    ("", &[Msg::ColLate], Msg::LegendLate),
    ("", &[Msg::ColNeed], Msg::LegendNeed),
    ("14!", &[], Msg::LegendNeedShort),
    ("", &[Msg::ColAgents], Msg::LegendAgents),
    (
        "",
        &[Msg::ColAband, Msg::ColArt, Msg::ColAht],
        Msg::LegendRates,
    ),
    (
        "",
        &[
            Msg::StageHandlingShort,
            Msg::StageResolvedShort,
            Msg::StageCallbackShort,
            Msg::StageClosedShort,
        ],
        Msg::LegendStages,
    ),
    ("", &[Msg::OwesFirst, Msg::OwesResolution], Msg::LegendOwes),
    ("", &[Msg::CoverageWord], Msg::LegendCoverage),
    ("seed", &[], Msg::LegendSeed),
    ("pt", &[], Msg::LegendPt),
    ("┈ ·", &[], Msg::LegendChart),
    ("━ ┄ ◆", &[], Msg::LegendDayChart),
    ("4m12s", &[], Msg::LegendDur),
];

/// A legend entry's symbol in a language.
pub fn legend_symbol(lang: Lang, text: &str, cols: &[Msg]) -> String {
    if cols.is_empty() {
        text.to_string()
    } else {
        cols.iter()
            .map(|m| t(lang, *m))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The lines of the overlay in a language: (text, is a heading).
pub fn lines_in(lang: Lang) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (ctx, bindings) in keymap::help_sections() {
        out.push((context_name(lang, ctx).to_string(), true));
        for b in bindings {
            // Pad by display width: `{:<16}` would count characters.
            let keys = super::text::pad(&keymap::keys_label(b), 16);
            out.push((format!("  {keys} {}", t(lang, b.help)), false));
        }
    }
    out.push((t(lang, Msg::HelpFilterHead).into(), true));
    for m in [
        Msg::HelpFilterQueue,
        Msg::HelpFilterAgent,
        Msg::HelpFilterWords,
    ] {
        out.push((t(lang, m).into(), false));
    }
    // The Agents pane's flags: each symbol once, with its meaning.
    out.push((t(lang, Msg::HelpAgentsHead).into(), true));
    for (flag, m) in [
        (AgentFlag::BreakOver, Msg::HelpAgBreakOver),
        (AgentFlag::AhtOver, Msg::HelpAgAhtOver),
        (AgentFlag::FcrUnder, Msg::HelpAgFcrUnder),
        (AgentFlag::CsatUnder, Msg::HelpAgCsatUnder),
        (AgentFlag::CriticalError, Msg::HelpAgCritical),
        (AgentFlag::QaLow, Msg::HelpAgQaLow),
    ] {
        out.push((tf(lang, m, &[&super::agents::flag_symbol(flag)]), false));
    }
    out.push((t(lang, Msg::HelpAgColumns).into(), false));
    out.push((t(lang, Msg::HelpWindowsHead).into(), true));
    for m in [Msg::HelpWindows1, Msg::HelpWindows2, Msg::HelpWindows3] {
        out.push((t(lang, m).into(), false));
    }
    out.push((t(lang, Msg::LegendHead).into(), true));
    for (text, cols, what) in LEGEND {
        let sym = super::text::pad(&legend_symbol(lang, text, cols), 16);
        out.push((format!("  {sym} {}", t(lang, *what)), false));
    }
    out.push((t(lang, Msg::HelpFreshHead).into(), true));
    let live = format!("{LIVE_S:.0}");
    let stale = format!("{:.0}", STALE_S / 60.0);
    out.push((tf(lang, Msg::HelpFresh, &[&live, &stale]), false));
    out.push((tf(lang, Msg::HelpQuiet, &[&stale]), false));
    // The scorecard form reads its own key table (`app::form::FORM_KEYS`),
    // which this section is written from.
    out.push((t(lang, Msg::FormHelpHead).into(), true));
    for b in crate::app::form::FORM_KEYS {
        let keys = super::text::pad(&crate::app::form::keys_label(b, lang), 16);
        out.push((format!("  {keys} {}", t(lang, b.help)), false));
    }
    out
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lines = lines_in(app.lang);
    let w = lines
        .iter()
        .map(|(l, _)| super::text::width(l) as u16)
        .max()
        .unwrap_or(40)
        + 4;
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = draw::centered(area, w, h);
    let buf = frame.buffer_mut();
    draw::clear(buf, rect);
    let block = draw::pane_block(t(app.lang, Msg::HelpTitle), true, theme);
    let inner = draw::framed(buf, rect, block);
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = app.overlay_scroll.min(max_scroll) as usize;
    if scroll < max_scroll as usize {
        let more = t(app.lang, Msg::HelpMore);
        let x = rect
            .right()
            .saturating_sub(super::text::width(more) as u16 + 2);
        draw::put(buf, x, rect.bottom() - 1, rect.width, more, theme.key);
    }
    for (i, (line, heading)) in lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let style = if *heading {
            theme.title_focus
        } else {
            theme.base
        };
        draw::indented(buf, inner, i as u16, line, style);
    }
}

/// A key-table context's heading in the help.
fn context_name(lang: Lang, c: keymap::Context) -> &'static str {
    let m = match c {
        keymap::Context::Filter => Msg::CtxFilter,
        keymap::Context::Detail => Msg::CtxDetail,
        keymap::Context::Alerts => Msg::CtxAlerts,
        keymap::Context::Handover => Msg::CtxHandover,
        keymap::Context::Help => Msg::CtxHelp,
        keymap::Context::Huddle => Msg::CtxHuddle,
        keymap::Context::Feedback => Msg::CtxFeedback,
        keymap::Context::Picker => Msg::CtxPicker,
        keymap::Context::Confirm => Msg::CtxConfirm,
        keymap::Context::Kpis => Msg::CtxKpis,
        keymap::Context::Agents => Msg::CtxAgents,
        keymap::Context::Spot => Msg::CtxSpot,
        keymap::Context::Coach => Msg::CtxCoach,
        keymap::Context::Panes => Msg::CtxPanes,
        keymap::Context::Global => Msg::CtxGlobal,
    };
    t(lang, m)
}
