//! Staffing now (spec section 9, `staffing`): the agents Erlang C asks for
//! at the last hour's pace against the agents on the queue, and the queue's
//! forecast for the rest of the day (`domain::forecast`). `snapshot` and the
//! console both take the queues from [`queue_plans`].
//!
//! Decisions where the spec is silent (also in docs/forecast.md):
//! - `target_sl` is the configured `service_level` target; when the config
//!   removes that target, the shipped default 0.80 is used, so the floor
//!   still gets a staffing figure.
//! - `agents_staffed` counts the same agents as the queue's `agents` object:
//!   from the agents' own states, or from a newer `queue_stats` record when
//!   the live figures come from one (a telephony source that only reports
//!   counts still gets a staffed figure).
//! - An AHT basis of 0 s with contacts arriving gives a null `agents_needed`
//!   (a feed without handle times says nothing about the load); no arrivals
//!   give 0 whatever the AHT, as long as there is one.

use serde::Serialize;

use super::erlang;
use super::floor::Floor;
use super::forecast::{self, QueueBasis};
use super::live::queue_reports;
use super::settings::{KpiKey, Settings};
use super::snapshot::{QueueReport, Window};
use super::time::Ts;

/// The service-level target when the config has none.
pub const DEFAULT_TARGET_SL: f64 = 0.80;

/// A queue's staffing at now.
#[derive(Clone, PartialEq, Debug, Default, Serialize)]
pub struct Staffing {
    pub arrivals_last_hour: u64,
    pub aht_basis_s: Option<f64>,
    pub threshold_s: f64,
    pub target_sl: f64,
    pub agents_needed: Option<u32>,
    pub agents_staffed: u32,
}

/// The service-level target staffing aims at.
pub fn target_sl(settings: &Settings) -> f64 {
    settings
        .target(KpiKey::ServiceLevel)
        .map_or(DEFAULT_TARGET_SL, |t| t.target)
}

/// Staffing of one queue from its live figures.
pub fn staffing(q: &QueueReport, target_sl: f64) -> Staffing {
    let aht = q.aht_last_hour_s;
    Staffing {
        arrivals_last_hour: q.arrivals_last_hour,
        aht_basis_s: aht,
        threshold_s: q.sl_seconds,
        target_sl,
        agents_needed: aht.and_then(|aht| {
            erlang::agents_needed(q.arrivals_last_hour as f64, aht, q.sl_seconds, target_sl)
        }),
        // available, busy, wrap
        agents_staffed: q.agents.0[..3].iter().sum(),
    }
}

/// The first interval ahead whose agents needed exceed `staffed`: (from,
/// agents short). Intervals without a figure are skipped.
pub fn next_short(q: &QueueReport) -> Option<(Ts, u32)> {
    let staffed = q.staffing.agents_staffed;
    q.forecast.iter().find_map(|f| {
        let need = f.agents_needed?;
        (need > staffed).then(|| (f.from, need - staffed))
    })
}

/// Every queue with its live and window figures (`live::queue_reports`),
/// its staffing now and its forecast for the rest of the local day.
pub fn queue_plans(floor: &Floor, settings: &Settings, window: Window, now: Ts) -> Vec<QueueReport> {
    let mut queues = queue_reports(floor, window, now);
    let target = target_sl(settings);
    let basis: Vec<QueueBasis> = floor
        .queue_ids()
        .into_iter()
        .zip(&queues)
        .map(|(id, q)| QueueBasis {
            id,
            threshold_s: q.sl_seconds,
            aht_basis_s: q.aht_last_hour_s,
            arrivals_last_hour: q.arrivals_last_hour,
        })
        .collect();
    let days = forecast::forecast(floor, settings.timezone, now, target, &basis);
    for (q, day) in queues.iter_mut().zip(days) {
        q.staffing = staffing(q, target);
        q.forecast = day.ahead;
        q.today = day.earlier;
        q.forecast_basis = day.basis;
    }
    queues
}
