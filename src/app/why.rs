//! Keys that do nothing say why. A key the table binds only elsewhere
//! names what it does and where ([`not_here`]); a key that is bound here
//! but has nothing to act on (Enter on an empty list, ← on a pane without
//! sections, `]` on the last stage, `w` while frozen) says what is missing.
//!
//! Left silent on purpose: ↑/↓/PgUp/PgDn at the end of a list (the cursor
//! standing still says it) and Esc with nothing to close (pressed to be
//! sure, not to act).

use crate::i18n::{Lang, Msg, t, tf};

use super::keymap::{Context, Unbound};
use super::select::List;
use super::state::App;

/// The status line for a key that does nothing where it was pressed.
pub fn not_here(app: &App, u: &Unbound) -> String {
    let lang = app.lang;
    let Some((context, help)) = u.elsewhere else {
        return tf(lang, Msg::WhyNoSuchKey, &[&u.key]);
    };
    let pane_context = matches!(
        context,
        Context::Panes | Context::Feedback | Context::Kpis | Context::Agents | Context::Global
    );
    let place = if pane_context && app.huddle.is_some() {
        Msg::WhereLeaveHuddle
    } else if pane_context && (app.overlay.is_some() || app.agents.coach.is_some()) {
        Msg::WhereCloseFirst
    } else {
        match context {
            Context::Filter => Msg::WhereFilter,
            Context::Detail => Msg::WhereDetail,
            Context::Alerts => Msg::WhereAlerts,
            Context::Help => Msg::WhereHelp,
            Context::Huddle => Msg::WhereHuddle,
            Context::Feedback => Msg::WhereFeedback,
            Context::Kpis => Msg::WhereKpis,
            Context::Agents => Msg::WhereAgents,
            Context::Coach => Msg::WhereCoach,
            Context::Panes | Context::Global => Msg::WhereCloseFirst,
        }
    };
    tf(
        lang,
        Msg::WhyElsewhere,
        &[&u.key, &t(lang, help), &t(lang, place)],
    )
}

/// Enter with nothing to open in `list`.
pub fn nothing_to_open(app: &App, list: List) -> String {
    let lang = app.lang;
    if app.view.is_none() {
        return t(lang, Msg::WhyNoDataYet).to_string();
    }
    if list == List::Coverage {
        return t(lang, Msg::WhyCoverageNoDetail).to_string();
    }
    if app.agents.coach.is_some() {
        return t(lang, Msg::WhyCoachNoContact).to_string();
    }
    empty_list(lang, !app.filter_text.is_empty())
}

/// Nothing selected because the list is empty (or the filter hides it all).
pub fn empty_list(lang: Lang, filtered: bool) -> String {
    if filtered {
        t(lang, Msg::WhyFilterHidesAll).to_string()
    } else {
        t(lang, Msg::WhyListEmpty).to_string()
    }
}

/// ←/→ that changed nothing: the pane has no sections, or the cursor is
/// already on the first / last one.
pub fn no_section(lang: Lang, has_sections: bool, right: bool) -> String {
    let m = match (has_sections, right) {
        (false, _) => Msg::WhyNoSections,
        (true, true) => Msg::WhyLastSection,
        (true, false) => Msg::WhyFirstSection,
    };
    t(lang, m).to_string()
}

/// `[` on the first stage or `]` on the last: the item stays where it is.
pub fn stage_end(lang: Lang, item: &str, forward: bool) -> String {
    let m = if forward {
        Msg::WhyStageLast
    } else {
        Msg::WhyStageFirst
    };
    tf(lang, m, &[&item])
}

/// A change the frozen screen does not show yet.
pub fn frozen(lang: Lang, what: &str) -> String {
    tf(lang, Msg::WhyFrozen, &[&what])
}
