//! The console's brain: one [`state::App`] changed only by `update`, the key
//! table, the view model the engine computes, and the engine itself (the data
//! task that owns the floor and follows the sources).

pub mod engine;
pub mod filter;
pub mod form;
pub mod keymap;
pub mod state;
pub mod view;
pub mod window;

pub use state::{Action, App, Effect, EngineCmd, Overlay, Pane};
pub use view::{EngineMsg, SourceStatus, View};
