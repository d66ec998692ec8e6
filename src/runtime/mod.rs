//! Everything that does I/O for the console, in one room: the terminal loop,
//! the effects it runs for `App::update` (store reads and writes, config
//! re-reads), the data engine's thread that follows the sources, the polled
//! sources' threads, and the write-back flusher. The console uses them, and
//! so can any other long-running command (`snapshot`, `watch`).
//!
//! `app` is pure state over `domain`; this module is where it meets files,
//! sockets, threads and the store.

pub mod alert_delivery;
pub mod alerting;
pub mod console;
pub mod effects;
pub mod engine;
pub mod error;
pub mod sources;
pub mod store_watch;
pub mod view_cache;
pub mod watch;
pub mod writeback;
