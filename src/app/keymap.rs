//! The one key table. Dispatch, the footer hints and the `?` overlay all
//! read [`BINDINGS`], so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAction {
    FocusNext,
    FocusPrev,
    Focus(usize),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Zoom,
    StartFilter,
    CycleWindow,
    Freeze,
    Reload,
    Theme,
    Huddle,
    Help,
    Quit,
    FilterApply,
    FilterCancel,
    FilterBackspace,
    FilterClear,
    /// Feedback board follow-up.
    AssignOwner,
    StageNext,
    StagePrev,
    CycleCallback,
    CycleRootCause,
    CycleFollowupAction,
    EditResult,
    /// KPI pane: the week's cause and action note.
    EditKpiNote,
}

/// Where a binding applies. Several contexts are active at once (see
/// [`active_contexts`]); the first match in table order wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Typing a filter: only these keys act, everything else is typed.
    Filter,
    /// An item detail or KPI definition is open.
    Detail,
    /// The `?` overlay is open.
    Help,
    /// Huddle (projector) mode.
    Huddle,
    /// The feedback board has focus (checked before `Panes`).
    Feedback,
    /// The KPI pane has focus (checked before `Panes`).
    Kpis,
    /// The four panes.
    Panes,
    /// Everywhere except while typing a filter.
    Global,
}

/// A key with the modifiers that matter (Shift is implied by the char).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ev_ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ev_ctrl != self.ctrl {
            return false;
        }
        match (self.code, ev.code) {
            // Shift is already in the char ('H' vs 'h').
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b,
            (a, b) => a == b,
        }
    }

    /// How the key is written in the footer and the help.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: KeyAction,
    pub context: Context,
    /// Short label for the footer; empty = not in the footer.
    pub hint: &'static str,
    /// Sentence for the `?` overlay.
    pub help: &'static str,
}

const fn b(
    keys: &'static [Key],
    action: KeyAction,
    context: Context,
    hint: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        context,
        hint,
        help,
    }
}

use Context as C;
use KeyAction as A;

pub static BINDINGS: &[Binding] = &[
    // Typing a filter.
    b(
        &[code(KeyCode::Enter)],
        A::FilterApply,
        C::Filter,
        "apply",
        "apply the filter",
    ),
    b(
        &[code(KeyCode::Esc)],
        A::FilterCancel,
        C::Filter,
        "cancel",
        "leave the filter unchanged",
    ),
    b(
        &[code(KeyCode::Backspace)],
        A::FilterBackspace,
        C::Filter,
        "",
        "delete a character",
    ),
    b(
        &[ctrl('u')],
        A::FilterClear,
        C::Filter,
        "clear",
        "clear the input",
    ),
    b(&[ctrl('c')], A::Quit, C::Filter, "", "quit"),
    // Help overlay.
    b(
        &[code(KeyCode::Esc), k('?')],
        A::Back,
        C::Help,
        "close",
        "close this help",
    ),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Help,
        "",
        "scroll up",
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Help,
        "",
        "scroll down",
    ),
    // Detail overlay.
    b(
        &[code(KeyCode::Esc), code(KeyCode::Enter)],
        A::Back,
        C::Detail,
        "close",
        "close the detail",
    ),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Detail,
        "",
        "scroll up",
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Detail,
        "",
        "scroll down",
    ),
    // Huddle.
    b(
        &[k('H'), code(KeyCode::Esc)],
        A::Huddle,
        C::Huddle,
        "leave huddle",
        "leave huddle mode",
    ),
    b(
        &[code(KeyCode::Right), k('l'), k('n')],
        A::Right,
        C::Huddle,
        "next pane",
        "show the next pane now",
    ),
    b(
        &[code(KeyCode::Left), k('h'), k('p')],
        A::Left,
        C::Huddle,
        "",
        "show the previous pane",
    ),
    // Panes.
    b(
        &[code(KeyCode::Tab)],
        A::FocusNext,
        C::Panes,
        "pane",
        "next pane",
    ),
    b(
        &[code(KeyCode::BackTab)],
        A::FocusPrev,
        C::Panes,
        "",
        "previous pane",
    ),
    b(&[k('1')], A::Focus(0), C::Panes, "", "Queues pane"),
    b(&[k('2')], A::Focus(1), C::Panes, "", "KPIs pane"),
    b(&[k('3')], A::Focus(2), C::Panes, "", "Feedback pane"),
    b(&[k('4')], A::Focus(3), C::Panes, "", "Spot-checks pane"),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Panes,
        "move",
        "previous row",
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Panes,
        "",
        "next row",
    ),
    b(
        &[code(KeyCode::Left), k('h')],
        A::Left,
        C::Panes,
        "",
        "previous section (stage, list)",
    ),
    b(
        &[code(KeyCode::Right), k('l')],
        A::Right,
        C::Panes,
        "",
        "next section (stage, list)",
    ),
    b(&[code(KeyCode::PageUp)], A::PageUp, C::Panes, "", "page up"),
    b(
        &[code(KeyCode::PageDown)],
        A::PageDown,
        C::Panes,
        "",
        "page down",
    ),
    b(
        &[k('g'), code(KeyCode::Home)],
        A::Top,
        C::Panes,
        "",
        "first row",
    ),
    b(
        &[k('G'), code(KeyCode::End)],
        A::Bottom,
        C::Panes,
        "",
        "last row",
    ),
    b(
        &[code(KeyCode::Enter)],
        A::Open,
        C::Panes,
        "open",
        "open the item / the KPI's definition",
    ),
    b(
        &[code(KeyCode::Esc)],
        A::Back,
        C::Panes,
        "",
        "back: unzoom, then clear the filter",
    ),
    b(
        &[k('z')],
        A::Zoom,
        C::Panes,
        "zoom",
        "zoom the pane / back to four",
    ),
    b(
        &[k('/')],
        A::StartFilter,
        C::Panes,
        "filter",
        "filter: q:QUEUE a:AGENT or words",
    ),
    // Feedback board follow-up: each press saves one event.
    b(
        &[k('o')],
        A::AssignOwner,
        C::Feedback,
        "",
        "assign an owner",
    ),
    b(
        &[k(']')],
        A::StageNext,
        C::Feedback,
        "stage",
        "move the item to the next stage",
    ),
    b(
        &[k('[')],
        A::StagePrev,
        C::Feedback,
        "",
        "move the item back a stage",
    ),
    b(
        &[k('c')],
        A::CycleCallback,
        C::Feedback,
        "",
        "callback result: satisfied/unsatisfied/unreached",
    ),
    b(
        &[k('R')],
        A::CycleRootCause,
        C::Feedback,
        "",
        "root cause: agent/process/system/product",
    ),
    b(
        &[k('a')],
        A::CycleFollowupAction,
        C::Feedback,
        "",
        "action: coaching/process change/tool fix/product",
    ),
    b(
        &[k('e')],
        A::EditResult,
        C::Feedback,
        "",
        "record the result",
    ),
    // KPI pane: the lead's note for the week (read by `report weekly`).
    b(
        &[k('n')],
        A::EditKpiNote,
        C::Kpis,
        "note",
        "note this week's cause and action",
    ),
    // Everywhere.
    b(
        &[k('w')],
        A::CycleWindow,
        C::Global,
        "window",
        "cycle today/shift/yesterday/24 h/week",
    ),
    b(
        &[k('f')],
        A::Freeze,
        C::Global,
        "freeze",
        "freeze / unfreeze the data",
    ),
    b(
        &[k('r')],
        A::Reload,
        C::Global,
        "reload",
        "re-read the source and config now",
    ),
    b(
        &[k('t')],
        A::Theme,
        C::Global,
        "theme",
        "cycle default/high-contrast/mono",
    ),
    b(
        &[k('H')],
        A::Huddle,
        C::Global,
        "huddle",
        "huddle mode (projector, masked)",
    ),
    b(&[k('?')], A::Help, C::Global, "help", "this help"),
    b(&[k('q'), ctrl('c')], A::Quit, C::Global, "quit", "quit"),
];

/// The contexts active in a mode, most specific first.
pub fn active_contexts(
    typing: bool,
    overlay_help: bool,
    overlay_detail: bool,
    huddle: bool,
) -> Vec<Context> {
    if typing {
        return vec![C::Filter];
    }
    let mut v = Vec::with_capacity(3);
    if overlay_help {
        v.push(C::Help);
    } else if overlay_detail {
        v.push(C::Detail);
    } else if huddle {
        v.push(C::Huddle);
    } else {
        v.push(C::Panes);
    }
    v.push(C::Global);
    v
}

/// The action of a key in the given contexts (first match in table order,
/// contexts in the order given).
pub fn lookup(ev: &KeyEvent, contexts: &[Context]) -> Option<KeyAction> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    contexts.iter().find_map(|ctx| {
        BINDINGS
            .iter()
            .filter(|b| b.context == *ctx)
            .find(|b| b.keys.iter().any(|key| key.matches(ev)))
            .map(|b| b.action)
    })
}

/// Footer hints for the contexts: `(keys, label)` in table order.
pub fn hints(contexts: &[Context]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    // Keys bound in a more specific context shadow the same keys further on.
    let mut taken: Vec<Key> = Vec::new();
    for ctx in contexts {
        let bindings: Vec<&Binding> = BINDINGS.iter().filter(|b| b.context == *ctx).collect();
        for b in &bindings {
            let key = b.keys[0];
            if !b.hint.is_empty() && !taken.contains(&key) {
                out.push((key.name(), b.hint));
            }
        }
        taken.extend(bindings.iter().flat_map(|b| b.keys.iter().copied()));
    }
    out
}

/// All keys of a binding joined for the help: `↑/k`.
pub fn keys_label(b: &Binding) -> String {
    b.keys.iter().map(Key::name).collect::<Vec<_>>().join("/")
}

/// Help overlay sections: context title and its bindings.
pub fn help_sections() -> Vec<(Context, Vec<&'static Binding>)> {
    [
        C::Panes,
        C::Feedback,
        C::Kpis,
        C::Global,
        C::Filter,
        C::Detail,
        C::Huddle,
        C::Help,
    ]
    .into_iter()
    .map(|ctx| (ctx, BINDINGS.iter().filter(|b| b.context == ctx).collect()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn same_key_means_different_things_by_context() {
        let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            lookup(&esc, &active_contexts(true, false, false, false)),
            Some(A::FilterCancel)
        );
        assert_eq!(
            lookup(&esc, &active_contexts(false, true, false, false)),
            Some(A::Back)
        );
        assert_eq!(
            lookup(&esc, &active_contexts(false, false, false, true)),
            Some(A::Huddle)
        );
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&q, &active_contexts(true, false, false, false)),
            None
        );
        assert_eq!(
            lookup(&q, &active_contexts(false, false, false, false)),
            Some(A::Quit)
        );
        let cc = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            lookup(&cc, &active_contexts(true, false, false, false)),
            Some(A::Quit)
        );
        assert_eq!(
            lookup(&cc, &active_contexts(false, false, true, false)),
            Some(A::Quit)
        );
        let big_h = ev(KeyCode::Char('H'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&big_h, &active_contexts(false, false, false, false)),
            Some(A::Huddle)
        );
        let h = ev(KeyCode::Char('h'), KeyModifiers::NONE);
        assert_eq!(
            lookup(&h, &active_contexts(false, false, false, false)),
            Some(A::Left)
        );
    }

    #[test]
    fn footer_hints_follow_the_context() {
        let help = hints(&active_contexts(false, true, false, false));
        assert!(help.contains(&("Esc".to_string(), "close")));
        // `?` closes the help here, so the global "? help" is not offered.
        assert!(!help.iter().any(|(k, _)| k == "?"));
        let panes = hints(&active_contexts(false, false, false, false));
        assert!(panes.contains(&("?".to_string(), "help")));
        assert!(panes.contains(&("z".to_string(), "zoom")));
        let typing = hints(&active_contexts(true, false, false, false));
        assert_eq!(typing[0], ("Enter".to_string(), "apply"));
        assert!(!typing.iter().any(|(k, _)| k == "q"));
    }

    #[test]
    fn every_binding_is_reachable_in_its_context() {
        for b in BINDINGS {
            let ctxs = match b.context {
                C::Filter => active_contexts(true, false, false, false),
                C::Help => active_contexts(false, true, false, false),
                C::Detail => active_contexts(false, false, true, false),
                C::Huddle => active_contexts(false, false, false, true),
                C::Panes | C::Global => active_contexts(false, false, false, false),
                C::Feedback | C::Kpis => {
                    let mut v = active_contexts(false, false, false, false);
                    v.insert(0, b.context);
                    v
                }
            };
            let first = &b.keys[0];
            let mods = if first.ctrl {
                KeyModifiers::CONTROL
            } else {
                KeyModifiers::NONE
            };
            let got = lookup(&ev(first.code, mods), &ctxs);
            // Global keys shadowed by a more specific context are allowed only in huddle/help.
            assert_eq!(got, Some(b.action), "{} in {:?}", first.name(), b.context);
        }
    }
}
