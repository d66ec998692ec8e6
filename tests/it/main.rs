//! The integration tests: one test crate with a module per area, so the
//! library is linked into one test binary instead of one per file.
//!
//! Support modules shared by several areas: `common` (a scripted HTTP
//! server), `cli_support` (running the binary), `ui_support` (building an
//! `App` and drawing it).

mod cli_support;
mod common;
mod store_support;
mod ui_support;

mod alert_webhooks;
mod app_engine;
mod app_keys;
mod cli_agents;
mod cli_completions;
mod cli_crm;
mod cli_snapshot;
mod cli_snapshot_cache;
mod cli_table_zh;
mod config_file;
mod console_follow;
mod console_followup;
mod console_kpi_notes;
mod console_scorecard;
mod console_shared;
mod console_slow_terminal;
mod console_writeback;
mod e2e_tmux;
mod engine_alerts;
mod export_store;
mod followup_merge;
mod forecast_no_peek;
mod form_scorecard;
mod hardening;
mod i18n_catalogue;
mod i18n_cli;
mod i18n_errors;
mod import_store;
mod kpi_spec;
mod loader_bad_input;
mod report_handover;
mod report_weekly;
mod report_zh;
mod rt5_integration;
mod sampling_stats;
mod sim_output;
mod source_bounds;
mod source_crm_cache;
mod source_faults;
mod source_feed_serve;
mod source_rt;
mod source_security;
mod source_tls;
mod source_writeback;
mod source_zendesk;
mod source_zendesk_load;
// Kills the `store-torture` command (the `torture` feature, which the
// dev-dependency on this crate turns on for its tests).
mod store_alerts;
mod store_backends;
#[cfg(feature = "torture")]
mod store_durability;
mod store_migrations;
mod store_outbox;
mod store_shared;
mod store_sources;
mod store_tls;
mod ui_agents;
mod ui_alerts;
mod ui_board;
mod ui_glance;
mod ui_handover;
mod ui_hostile;
mod ui_panes;
mod ui_perf;
mod ui_prompts;
mod ui_queue_chart;
mod watch_cli;
mod watch_hub;
