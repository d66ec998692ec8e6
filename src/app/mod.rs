//! The console's brain: one [`state::App`] changed only by `update`, the key
//! table, and the view model the engine computes. Pure state over `domain`:
//! no I/O, no threads; `runtime` runs what `update` asks for.

pub mod action;
pub mod agents;
pub mod alerts;
pub mod board;
pub mod claims;
pub mod filter;
pub mod form;
pub mod handover;
pub mod input;
pub mod keymap;
pub mod notes;
pub mod outbox;
pub mod prompt;
pub mod scores;
pub mod select;
pub mod state;
pub mod theme;
pub mod view;
pub mod why;

pub use state::{Action, App, Effect, EngineCmd, Overlay, Pane};
pub use view::{EngineMsg, SourceStatus, View};
