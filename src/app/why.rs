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

/// What is over the panes when a key is pressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Over {
    /// Huddle mode.
    pub huddle: bool,
    /// An overlay (detail, help, alerts) or the coaching view.
    pub view: bool,
}

/// The status line for a key that does nothing where it was pressed.
pub fn not_here(lang: Lang, over: Over, u: &Unbound) -> String {
    let Some((context, help)) = u.elsewhere else {
        return tf(lang, Msg::WhyNoSuchKey, &[&u.key]);
    };
    let pane_context = matches!(
        context,
        Context::Panes | Context::Feedback | Context::Kpis | Context::Agents | Context::Global
    );
    let place = if pane_context && over.huddle {
        Msg::WhereLeaveHuddle
    } else if pane_context && over.view {
        Msg::WhereCloseFirst
    } else {
        match context {
            Context::Filter => Msg::WhereFilter,
            Context::Detail => Msg::WhereDetail,
            Context::Alerts => Msg::WhereAlerts,
            Context::Handover => Msg::WhereHandover,
            Context::Help => Msg::WhereHelp,
            Context::Huddle => Msg::WhereHuddle,
            Context::Feedback => Msg::WhereFeedback,
            Context::Kpis => Msg::WhereKpis,
            Context::Agents => Msg::WhereAgents,
            Context::Coach => Msg::WhereCoach,
            Context::Spot => Msg::WhereSpot,
            Context::Picker => Msg::WherePicker,
            Context::Confirm => Msg::WhereConfirm,
            Context::Panes | Context::Global => Msg::WhereCloseFirst,
        }
    };
    tf(
        lang,
        Msg::WhyElsewhere,
        &[&u.key, &t(lang, help), &t(lang, place)],
    )
}

/// What Enter had to open: the active list, whether data has come, the
/// coaching view is open and a filter is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenState {
    pub list: List,
    pub has_view: bool,
    pub coach: bool,
    pub filtered: bool,
}

/// Enter with nothing to open.
pub fn nothing_to_open(lang: Lang, s: OpenState) -> String {
    if !s.has_view {
        return t(lang, Msg::WhyNoDataYet).to_string();
    }
    if s.list == List::Coverage {
        return t(lang, Msg::WhyCoverageNoDetail).to_string();
    }
    if s.coach {
        return t(lang, Msg::WhyCoachNoContact).to_string();
    }
    empty_list(lang, s.filtered)
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

/// A change the frozen screen does not show yet.
pub fn frozen(lang: Lang, what: &str) -> String {
    tf(lang, Msg::WhyFrozen, &[&what])
}
