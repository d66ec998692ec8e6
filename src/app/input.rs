//! Terminal events as app actions: the key table for the panes, the
//! form's own keys while the scorecard is open, typed characters while a
//! prompt is open, and a key that does nothing where it is pressed as
//! [`Action::NotHere`] (the status line says why). Pure: the console's loop and the tests call it alike.

use crossterm::event::{Event, KeyEventKind, KeyModifiers};

use super::form::form_key;
use super::keymap;
use super::state::{Action, App};

/// A terminal event as an app action (`None` = nothing to do).
pub fn action_for(ev: Event, app: &App) -> Option<Action> {
    match ev {
        // The open scorecard form takes every key.
        Event::Key(key) if key.kind != KeyEventKind::Release && app.scores.form.is_some() => {
            let on_comment = app.scores.form.as_ref().is_some_and(|f| f.on_comment());
            form_key(&key, on_comment).map(Action::Form)
        }
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(a) = keymap::lookup(&key, &app.contexts()) {
                return Some(Action::Key(a));
            }
            match key.code {
                crossterm::event::KeyCode::Char(c)
                    if (app.input.is_some() || app.board.choice.is_some())
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::Type(c))
                }
                // Outside a prompt a key that does nothing here says why.
                _ if app.input.is_none() => {
                    keymap::unbound(&key, &app.contexts()).map(Action::NotHere)
                }
                _ => None,
            }
        }
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}
