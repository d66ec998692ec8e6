//! The one key table. Dispatch, the footer hints and the `?` overlay all
//! read [`BINDINGS`], so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::i18n::Msg;

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
    /// Agents pane: the next sort column, the order reversed, flagged first.
    SortNext,
    SortReverse,
    FlaggedFirst,
    /// Spot-checks pane: only the contacts not scored yet, on or off.
    UnscoredOnly,
    /// The alerts overlay, on or off.
    Alerts,
    /// Alerts overlay: acknowledge the selected alert.
    AckAlert,
    /// The handover view, on or off.
    Handover,
    /// Handover view: acknowledge the handover.
    AckHandover,
    /// The board's picker (`c`, `R`, `a`): the cursor up or down, save the
    /// value under it, close with nothing saved.
    PickUp,
    PickDown,
    PickSave,
    PickCancel,
    /// The board's yes/no question (clearing an overdue item's owner).
    ConfirmYes,
    ConfirmNo,
}

/// Where a binding applies. Several contexts are active at once (see
/// [`active_contexts`]); the first match in table order wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Context {
    /// Typing a filter: only these keys act, everything else is typed.
    Filter,
    /// An item detail or KPI definition is open.
    Detail,
    /// The alerts overlay is open (checked before `Detail`).
    Alerts,
    /// The handover view is open (checked before `Detail`).
    Handover,
    /// The `?` overlay is open.
    Help,
    /// Huddle (projector) mode.
    Huddle,
    /// The feedback board has focus (checked before `Panes`).
    Feedback,
    /// The KPI pane has focus (checked before `Panes`).
    Kpis,
    /// The Agents pane has focus (checked before `Panes`).
    Agents,
    /// The Spot-checks pane has focus (checked before `Panes`).
    Spot,
    /// An agent's coaching view is open (in place of `Panes`).
    Coach,
    /// The board's value picker is open: only these keys act; a letter or
    /// digit moves the cursor (see `board::Picker::jump`).
    Picker,
    /// The board asks yes or no before a save: only these keys act.
    Confirm,
    /// The five panes.
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
    /// Short label for the footer; `None` = not in the footer.
    pub hint: Option<Msg>,
    /// Sentence for the `?` overlay.
    pub help: Msg,
}

const fn b(
    keys: &'static [Key],
    action: KeyAction,
    context: Context,
    hint: Option<Msg>,
    help: Msg,
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
        Some(Msg::KeyApply),
        Msg::KeyApplyFilter,
    ),
    b(
        &[code(KeyCode::Esc)],
        A::FilterCancel,
        C::Filter,
        Some(Msg::KeyCancel),
        Msg::KeyLeaveFilter,
    ),
    b(
        &[code(KeyCode::Backspace)],
        A::FilterBackspace,
        C::Filter,
        None,
        Msg::KeyDeleteChar,
    ),
    b(
        &[ctrl('u')],
        A::FilterClear,
        C::Filter,
        Some(Msg::KeyClear),
        Msg::KeyClearInput,
    ),
    b(&[ctrl('c')], A::Quit, C::Filter, None, Msg::KeyQuit),
    // The board's value picker: choose, then Enter saves once.
    b(
        &[code(KeyCode::Up)],
        A::PickUp,
        C::Picker,
        Some(Msg::KeyMove),
        Msg::KeyPickUp,
    ),
    b(
        &[code(KeyCode::Down)],
        A::PickDown,
        C::Picker,
        None,
        Msg::KeyPickDown,
    ),
    b(
        &[code(KeyCode::Enter)],
        A::PickSave,
        C::Picker,
        Some(Msg::KeySave),
        Msg::KeyPickSave,
    ),
    b(
        &[code(KeyCode::Esc)],
        A::PickCancel,
        C::Picker,
        Some(Msg::KeyCancel),
        Msg::KeyPickCancel,
    ),
    b(&[ctrl('c')], A::Quit, C::Picker, None, Msg::KeyQuit),
    // The board's yes/no question.
    b(
        &[k('y'), code(KeyCode::Enter)],
        A::ConfirmYes,
        C::Confirm,
        Some(Msg::KeyYes),
        Msg::KeyConfirmYes,
    ),
    b(
        &[k('n'), code(KeyCode::Esc)],
        A::ConfirmNo,
        C::Confirm,
        Some(Msg::KeyNo),
        Msg::KeyConfirmNo,
    ),
    b(&[ctrl('c')], A::Quit, C::Confirm, None, Msg::KeyQuit),
    // Help overlay.
    b(
        &[code(KeyCode::Esc), k('?')],
        A::Back,
        C::Help,
        Some(Msg::KeyClose),
        Msg::KeyCloseHelp,
    ),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Help,
        None,
        Msg::KeyScrollUp,
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Help,
        None,
        Msg::KeyScrollDown,
    ),
    // Alerts overlay.
    b(
        &[code(KeyCode::Esc), k('A')],
        A::Back,
        C::Alerts,
        Some(Msg::KeyClose),
        Msg::KeyCloseAlerts,
    ),
    b(
        &[code(KeyCode::Enter)],
        A::AckAlert,
        C::Alerts,
        Some(Msg::KeyAck),
        Msg::KeyAckHelp,
    ),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Alerts,
        None,
        Msg::KeyPrevRow,
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Alerts,
        None,
        Msg::KeyNextRow,
    ),
    // Handover view.
    b(
        &[code(KeyCode::Esc), k('O')],
        A::Back,
        C::Handover,
        Some(Msg::KeyClose),
        Msg::KeyCloseHandover,
    ),
    b(
        &[code(KeyCode::Enter)],
        A::AckHandover,
        C::Handover,
        Some(Msg::KeyAck),
        Msg::KeyAckHandoverHelp,
    ),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Handover,
        None,
        Msg::KeyScrollUp,
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Handover,
        None,
        Msg::KeyScrollDown,
    ),
    // Detail overlay.
    b(
        &[code(KeyCode::Esc), code(KeyCode::Enter)],
        A::Back,
        C::Detail,
        Some(Msg::KeyClose),
        Msg::KeyCloseDetail,
    ),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Detail,
        None,
        Msg::KeyScrollUp,
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Detail,
        None,
        Msg::KeyScrollDown,
    ),
    // An agent's coaching view.
    b(
        &[code(KeyCode::Esc)],
        A::Back,
        C::Coach,
        Some(Msg::KeyClose),
        Msg::KeyCloseCoach,
    ),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Coach,
        Some(Msg::KeyMove),
        Msg::KeyCoachPrev,
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Coach,
        None,
        Msg::KeyCoachNext,
    ),
    b(
        &[code(KeyCode::Enter)],
        A::Open,
        C::Coach,
        Some(Msg::KeyScore),
        Msg::KeyCoachScore,
    ),
    b(
        &[code(KeyCode::PageUp)],
        A::PageUp,
        C::Coach,
        None,
        Msg::KeyScrollUp,
    ),
    b(
        &[code(KeyCode::PageDown)],
        A::PageDown,
        C::Coach,
        Some(Msg::KeyScroll),
        Msg::KeyScrollDown,
    ),
    // Huddle.
    b(
        &[k('H'), code(KeyCode::Esc)],
        A::Huddle,
        C::Huddle,
        Some(Msg::KeyLeaveHuddle),
        Msg::KeyLeaveHuddleMode,
    ),
    b(
        &[code(KeyCode::Right), k('l'), k('n')],
        A::Right,
        C::Huddle,
        Some(Msg::KeyNextPaneHint),
        Msg::KeyNextPaneNow,
    ),
    b(
        &[code(KeyCode::Left), k('h'), k('p')],
        A::Left,
        C::Huddle,
        None,
        Msg::KeyPrevPaneShow,
    ),
    // Panes.
    b(
        &[code(KeyCode::Tab)],
        A::FocusNext,
        C::Panes,
        Some(Msg::KeyPane),
        Msg::KeyNextPaneHint,
    ),
    b(
        &[code(KeyCode::BackTab)],
        A::FocusPrev,
        C::Panes,
        None,
        Msg::KeyPrevPane,
    ),
    b(&[k('1')], A::Focus(0), C::Panes, None, Msg::KeyQueuesPane),
    b(&[k('2')], A::Focus(1), C::Panes, None, Msg::KeyKpisPane),
    b(&[k('3')], A::Focus(2), C::Panes, None, Msg::KeyFeedbackPane),
    b(&[k('4')], A::Focus(3), C::Panes, None, Msg::KeySpotPane),
    b(&[k('5')], A::Focus(4), C::Panes, None, Msg::KeyAgentsPane),
    b(
        &[code(KeyCode::Up), k('k')],
        A::Up,
        C::Panes,
        Some(Msg::KeyMove),
        Msg::KeyPrevRow,
    ),
    b(
        &[code(KeyCode::Down), k('j')],
        A::Down,
        C::Panes,
        None,
        Msg::KeyNextRow,
    ),
    b(
        &[code(KeyCode::Left), k('h')],
        A::Left,
        C::Panes,
        None,
        Msg::KeyPrevSection,
    ),
    b(
        &[code(KeyCode::Right), k('l')],
        A::Right,
        C::Panes,
        None,
        Msg::KeyNextSection,
    ),
    b(
        &[code(KeyCode::PageUp)],
        A::PageUp,
        C::Panes,
        None,
        Msg::KeyPageUp,
    ),
    b(
        &[code(KeyCode::PageDown)],
        A::PageDown,
        C::Panes,
        None,
        Msg::KeyPageDown,
    ),
    b(
        &[k('g'), code(KeyCode::Home)],
        A::Top,
        C::Panes,
        None,
        Msg::KeyFirstRow,
    ),
    b(
        &[k('G'), code(KeyCode::End)],
        A::Bottom,
        C::Panes,
        None,
        Msg::KeyLastRow,
    ),
    b(
        &[code(KeyCode::Enter)],
        A::Open,
        C::Panes,
        Some(Msg::KeyOpen),
        Msg::KeyOpenItem,
    ),
    b(&[code(KeyCode::Esc)], A::Back, C::Panes, None, Msg::KeyBack),
    b(
        &[k('z')],
        A::Zoom,
        C::Panes,
        Some(Msg::KeyZoom),
        Msg::KeyZoomPane,
    ),
    b(
        &[k('/')],
        A::StartFilter,
        C::Panes,
        Some(Msg::KeyFilter),
        Msg::KeyFilterHelp,
    ),
    // Feedback board follow-up: `]`/`[` save one stage step; `c`, `R`, `a`
    // open a picker that saves once on Enter; `o`, `e` open a prompt.
    b(
        &[k('o')],
        A::AssignOwner,
        C::Feedback,
        None,
        Msg::KeyAssignOwner,
    ),
    b(
        &[k(']')],
        A::StageNext,
        C::Feedback,
        Some(Msg::LblStage),
        Msg::KeyStageNext,
    ),
    b(
        &[k('[')],
        A::StagePrev,
        C::Feedback,
        None,
        Msg::KeyStagePrev,
    ),
    b(
        &[k('c')],
        A::CycleCallback,
        C::Feedback,
        None,
        Msg::KeyCycleCallback,
    ),
    b(
        &[k('R')],
        A::CycleRootCause,
        C::Feedback,
        None,
        Msg::KeyCycleRootCause,
    ),
    b(
        &[k('a')],
        A::CycleFollowupAction,
        C::Feedback,
        None,
        Msg::KeyCycleAction,
    ),
    b(
        &[k('e')],
        A::EditResult,
        C::Feedback,
        None,
        Msg::KeyEditResult,
    ),
    // KPI pane: the lead's note for the week (read by `report weekly`).
    b(
        &[k('n')],
        A::EditKpiNote,
        C::Kpis,
        Some(Msg::KeyNote),
        Msg::KeyKpiNote,
    ),
    // Agents pane: the order of the rows.
    b(
        &[k('s')],
        A::SortNext,
        C::Agents,
        Some(Msg::KeySort),
        Msg::KeySortHelp,
    ),
    b(
        &[k('S')],
        A::SortReverse,
        C::Agents,
        None,
        Msg::KeySortReverse,
    ),
    b(
        &[k('!')],
        A::FlaggedFirst,
        C::Agents,
        Some(Msg::KeyFlaggedFirst),
        Msg::KeyFlaggedFirstHelp,
    ),
    // Spot-checks pane: the lists' unscored contacts only.
    b(
        &[k('u')],
        A::UnscoredOnly,
        C::Spot,
        Some(Msg::KeyUnscored),
        Msg::KeyUnscoredHelp,
    ),
    // Everywhere.
    b(
        &[k('w')],
        A::CycleWindow,
        C::Global,
        Some(Msg::KeyWindow),
        Msg::KeyWindowHelp,
    ),
    b(
        &[k('f')],
        A::Freeze,
        C::Global,
        Some(Msg::KeyFreeze),
        Msg::KeyFreezeHelp,
    ),
    b(
        &[k('r')],
        A::Reload,
        C::Global,
        Some(Msg::KeyReload),
        Msg::KeyReloadHelp,
    ),
    b(
        &[k('t')],
        A::Theme,
        C::Global,
        Some(Msg::KeyTheme),
        Msg::KeyThemeHelp,
    ),
    b(
        &[k('H')],
        A::Huddle,
        C::Global,
        Some(Msg::KeyHuddle),
        Msg::KeyHuddleHelp,
    ),
    b(&[k('A')], A::Alerts, C::Global, None, Msg::HelpAlerts),
    b(&[k('O')], A::Handover, C::Global, None, Msg::HelpHandover),
    b(
        &[k('?')],
        A::Help,
        C::Global,
        Some(Msg::KeyHelp),
        Msg::KeyThisHelp,
    ),
    b(
        &[k('q'), ctrl('c')],
        A::Quit,
        C::Global,
        Some(Msg::KeyQuit),
        Msg::KeyQuit,
    ),
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

/// A key that does nothing where it was pressed: the status line says why
/// ([`crate::app::why`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unbound {
    /// The key as the footer and the help write it (`s`, `Ctrl-U`, `Enter`).
    pub key: String,
    /// Where the key does act: the context of its first binding in table
    /// order and what it does there; `None` for a key the table never binds.
    pub elsewhere: Option<(Context, Msg)>,
}

/// The key of an event as the table writes keys, for the keys a lead
/// presses on purpose (characters and the named keys); `None` for the rest
/// (modifiers alone, media keys, Alt chords).
fn event_key(ev: &KeyEvent) -> Option<Key> {
    if ev.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    let named = matches!(
        ev.code,
        KeyCode::Char(_)
            | KeyCode::Enter
            | KeyCode::Esc
            | KeyCode::Tab
            | KeyCode::BackTab
            | KeyCode::Backspace
            | KeyCode::Up
            | KeyCode::Down
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::PageUp
            | KeyCode::PageDown
            | KeyCode::Home
            | KeyCode::End
            | KeyCode::Delete
            | KeyCode::Insert
    );
    named.then_some(Key {
        code: ev.code,
        ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
    })
}

/// A key with no action in `contexts`: where in the table it acts instead
/// (the panes before the views over them), or that it is no key at all. `None` when the key acts here, or is not
/// one a lead presses on purpose.
pub fn unbound(ev: &KeyEvent, contexts: &[Context]) -> Option<Unbound> {
    if ev.kind == KeyEventKind::Release || lookup(ev, contexts).is_some() {
        return None;
    }
    let key = event_key(ev)?;
    // The panes first (where a lead works), then the views over them.
    let elsewhere = [
        C::Feedback,
        C::Kpis,
        C::Agents,
        C::Spot,
        C::Panes,
        C::Coach,
        C::Detail,
        C::Alerts,
        C::Handover,
        C::Huddle,
        C::Help,
        C::Filter,
        C::Picker,
        C::Confirm,
        C::Global,
    ]
    .into_iter()
    .filter(|ctx| !contexts.contains(ctx))
    .find_map(|ctx| {
        BINDINGS
            .iter()
            .filter(|b| b.context == ctx)
            .find(|b| b.keys.iter().any(|k| k.matches(ev)))
    })
    .map(|b| (b.context, b.help));
    Some(Unbound {
        key: key.name(),
        elsewhere,
    })
}

/// Footer hints for the contexts: `(keys, label)` in table order.
pub fn hints(contexts: &[Context]) -> Vec<(String, Msg)> {
    let mut out: Vec<(String, Msg)> = Vec::new();
    // Keys bound in a more specific context shadow the same keys further on.
    let mut taken: Vec<Key> = Vec::new();
    for ctx in contexts {
        let bindings: Vec<&Binding> = BINDINGS.iter().filter(|b| b.context == *ctx).collect();
        for b in &bindings {
            let key = b.keys[0];
            if let Some(hint) = b.hint
                && !taken.contains(&key)
            {
                out.push((key.name(), hint));
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
        C::Agents,
        C::Spot,
        C::Coach,
        C::Global,
        C::Filter,
        C::Picker,
        C::Confirm,
        C::Alerts,
        C::Handover,
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
        assert!(help.contains(&("Esc".to_string(), Msg::KeyClose)));
        // `?` closes the help here, so the global "? help" is not offered.
        assert!(!help.iter().any(|(k, _)| k == "?"));
        let panes = hints(&active_contexts(false, false, false, false));
        assert!(panes.contains(&("?".to_string(), Msg::KeyHelp)));
        assert!(panes.contains(&("z".to_string(), Msg::KeyZoom)));
        let typing = hints(&active_contexts(true, false, false, false));
        assert_eq!(typing[0], ("Enter".to_string(), Msg::KeyApply));
        assert!(!typing.iter().any(|(k, _)| k == "q"));
    }

    #[test]
    fn every_pane_with_keys_of_its_own_names_one_in_the_footer() {
        // A pane's own keys are found in the footer, not only under `?`.
        for pane in [C::Feedback, C::Kpis, C::Agents, C::Spot] {
            let own: Vec<(String, Msg)> = hints(&[pane]);
            assert!(!own.is_empty(), "{pane:?} has no footer hint");
        }
        let mut spot = active_contexts(false, false, false, false);
        spot.insert(0, C::Spot);
        assert_eq!(hints(&spot)[0], ("u".to_string(), Msg::KeyUnscored));
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
                C::Alerts | C::Handover => {
                    let mut v = active_contexts(false, false, true, false);
                    v.insert(0, b.context);
                    v
                }
                C::Coach => vec![C::Coach, C::Global],
                C::Picker | C::Confirm => vec![b.context],
                C::Feedback | C::Kpis | C::Agents | C::Spot => {
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
