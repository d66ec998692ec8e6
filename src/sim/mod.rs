//! The floor simulator: realistic floor-feed NDJSON for the demo and the
//! benchmarks (spec section 1 records only).
//!
//! A discrete-event model of a contact centre: six queues over five channels,
//! agents in three pools (phone, chat + social, back office: e-mail +
//! tickets) rostered in shifts that follow each pool's intraday curve,
//! longest-idle routing, lognormal talk/hold/wrap, abandons from lognormal
//! patience, transfers, surveys, promised callbacks, repeat callers and
//! feedback items moving through their stages. See `engine` for the rules.
//!
//! Deterministic: the same options give byte-identical output (own PRNG in
//! `rng`, no dependency on `rand`; floating point is IEEE, so the bytes are
//! the same on any machine whose `ln`/`sin`/`cos`/`exp` round alike).
//!
//! Size: each agent works about 5 days in 7 and the floor offers roughly
//! 90 contacts per agent per calendar day, so `--days 28 --agents 420`
//! (seed 1, from 2026-11-16, Asia/Shanghai) gives 1,047,890 contacts in
//! 3.2 M lines (631 MB): the benchmark file. About 2 s of CPU in release.
//!
//! Analyst choices where the spec is silent:
//! - `arrived_at` is when the contact enters the queue, after `ivr_s` in the IVR.
//! - `ended_at` is the end of the conversation (talk + hold); `wrap_s` follows it.
//! - E-mails and tickets: `answered_at` is when an agent opens the item,
//!   `talk_s` the time spent on the reply; they never abandon.
//! - `resolved` is written only when false (missing = true per spec).
//! - Feedback owners are complaints-desk staff (names, not agent ids), and
//!   feedback lines carry an extra `contact` field (ignored by readers).
//! - Agent states always name a `queue`: the contact's queue while busy or
//!   wrapping, else the agent's home queue, so each queue shows its staff.
//! - About 2.5 % of hotline callers withhold their number: no `customer`.
//! - About 15 % of surveys answer only the CSAT question (no `nps`).
//! - No `queue_stats` lines: every figure can be derived from the contacts.
//! - Agents log out for the lunch hour (`offline`); `break` is the two
//!   15-minute breaks, so `break_over` means a short break overstayed.
//! - Outliers for the Agents pane, from a random stream of their own: about
//!   one agent in ten overstays breaks (1.5–2.3 × 15 min), one in twenty
//!   handles 25–45 % slower, one in sixteen adds a transfer to 15–30 % of
//!   contacts; about 8 % are careless (red-line phrases, spot-check worthy).
//!
//! Live mode (`run_live*`): simulated time runs at `speed` × real time from
//! the wall-clock now, so at `speed` > 1 the feed runs ahead of the wall
//! clock; a console showing it should take "now" from the same [`LiveClock`].

mod emit;
mod engine;
mod live;
mod model;
mod names;
mod rng;

use std::io::{self, Write};

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::Ts;
use engine::{Engine, Mode};

pub use live::{LiveClock, run_live, run_live_with_clock};

/// What to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct SimOptions {
    /// Days with arrivals, starting at `start` (ignored in live mode, which
    /// runs until stopped).
    pub days: u32,
    /// Agents on the roster (each works about 5 days in 7).
    pub agents: u32,
    pub seed: u64,
    /// The first simulated day (from local midnight in `tz`).
    pub start: NaiveDate,
    /// The floor's zone: shifts, curves and timestamps are local to it.
    pub tz: Tz,
    /// Stop emitting after this instant (normally "now"); contacts still in
    /// progress then are written in their in-progress state. `None` = up to
    /// the local midnight that ends the last day.
    pub until: Option<Ts>,
}

impl SimOptions {
    /// A week of a 60-agent floor from `start`, seed 1.
    pub fn new(start: NaiveDate, tz: Tz) -> SimOptions {
        SimOptions {
            days: 7,
            agents: 60,
            seed: 1,
            start,
            tz,
            until: None,
        }
    }
}

/// Counts of what was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// All lines.
    pub lines: u64,
    /// Distinct contacts (a contact written several times counts once).
    pub contacts: u64,
    pub surveys: u64,
    /// Distinct feedback items (each stage change is another line).
    pub feedback: u64,
    /// `agent_state` lines.
    pub agent_states: u64,
}

/// Writes the whole floor, in time order, to `out`: queue and agent records
/// first, then every event as it happens. Past contacts appear once, in
/// their final state (once more when a promised callback is made); contacts
/// in progress at the end are written as they stand.
pub fn generate<W: Write>(opts: &SimOptions, out: &mut W) -> io::Result<SimStats> {
    let mut eng = Engine::new(opts, Mode::FinalOnly, Some(opts.days));
    let horizon = match opts.until {
        Some(t) => t.nanos().div_euclid(crate::domain::time::NANOS_PER_SEC),
        None => eng.end_of_days(),
    };
    eng.run_until(horizon, out)?;
    eng.write_in_progress();
    eng.drain(out)?;
    out.flush()?;
    Ok(eng.stats())
}
