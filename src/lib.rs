//! shiftdeck: a terminal console for customer-service shift leads.
//!
//! - `domain`: records, KPI math, SLA, sampling (pure, no I/O)
//! - `source`: turns files and feeds into records
//! - `config`: settings from TOML
//! - `sim`: the floor simulator (demo and benchmark data)

pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod domain;
pub mod sim;
pub mod source;
pub mod ui;
