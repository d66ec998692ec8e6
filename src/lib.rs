//! shiftdeck: a terminal console for customer-service shift leads.
//!
//! - `domain`: records, KPI math, SLA, sampling (pure, no I/O)
//! - `source`: turns files and feeds into records
//! - `config`: settings from TOML
//! - `sim`: the floor simulator (demo and benchmark data)
//! - `store`: the lead's own entries (SQLite in the data dir), durable
//!   before "saved"
//! - `app`, `ui`: console state and update (pure), drawing
//! - `runtime`: the console's I/O: terminal loop, effects, engine thread, write-back
//! - `i18n`: English and Simplified Chinese messages
//! - `cli`: the command line

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
#[cfg(test)]
mod import_graph;
pub mod runtime;
pub mod sanitize;
pub mod sim;
pub mod source;
pub mod store;
pub mod ui;

#[cfg(any(test, feature = "testkit"))]
pub mod english_words;
#[cfg(test)]
mod error_words;
