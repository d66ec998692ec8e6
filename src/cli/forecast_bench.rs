//! `shiftdeck bench forecast`: replays a history day by day and scores the
//! forecast (`domain::forecast`) against what then happened, side by side
//! with the naive forecast "each interval = the last hour's rate" (spec
//! section 9).
//!
//! Replay: every local day that has at least a week of data before it and
//! whose data runs to its end; on each, "now" is every full hour from
//! 08:00 to 20:00 local. At each such now the snapshot's queues are computed
//! exactly as `snapshot --now` does (the same `staffing::queue_plans`), and
//! each forecast interval, from the one holding now to the end of the day,
//! is compared with the arrivals the data holds for it. The naive forecast
//! of an interval is the last hour's arrivals per second × the interval's
//! length still to come (plus the arrivals so far in the current interval,
//! as the model has them). WAPE = Σ|forecast − actual| ÷ Σ actual over the
//! same intervals, so both are scored on exactly the same ground.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Duration, NaiveTime};
use hashbrown::HashMap;

use crate::domain::calendar::{day_window, local_date, local_ts};
use crate::domain::forecast::{self, SLOTS};
use crate::domain::staffing::queue_plans;
use crate::domain::{Floor, Sym};
use crate::source;

/// First and last "now" of each replayed day, local hours.
const FIRST_CUT_H: u32 = 8;
const LAST_CUT_H: u32 = 20;
/// Intervals this close to now form the "next 2 h" line.
const NEAR_H: i64 = 2;

#[derive(Default, Clone, Copy)]
struct Score {
    intervals: u64,
    actual: f64,
    err_model: f64,
    err_naive: f64,
}

impl Score {
    fn add(&mut self, model: f64, naive: f64, actual: f64) {
        self.intervals += 1;
        self.actual += actual;
        self.err_model += (model - actual).abs();
        self.err_naive += (naive - actual).abs();
    }

    fn line(&self, label: &str) -> String {
        let wape = |e: f64| {
            if self.actual > 0.0 {
                format!("{:>6.1} %", 100.0 * e / self.actual)
            } else {
                "     —".to_string()
            }
        };
        format!(
            "  {label:<18} {:>9} {:>10.0} {:>16} {:>12}",
            self.intervals,
            self.actual,
            wape(self.err_model),
            wape(self.err_naive)
        )
    }
}

pub fn run(config: Option<&Path>, files: &[PathBuf]) -> Result<(), super::CliError> {
    let settings = super::CliError::load_config(config)?.settings;
    let tz = settings.timezone;
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    source::load_files(files, &mut floor, &mut errors, &mut |_| {})?;
    let Some(span) = super::bench::data_span(&floor) else {
        return Err(super::CliError::NothingToMeasure);
    };
    let first = local_date(span.from, tz) + Duration::days(7);
    let last = local_date(span.to, tz);
    let days: Vec<_> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| day_window(*d, tz).to <= span.to.add_secs(3600))
        .collect();
    if days.is_empty() {
        // A replay needs a week of history and a whole day after it.
        return Err(super::CliError::NothingToMeasure);
    }

    // What happened: arrivals per queue, replayed day and interval.
    let ids: Vec<Sym> = floor.queue_ids();
    let slot: HashMap<Sym, usize> = ids.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let bounds: Vec<_> = days.iter().map(|d| forecast::boundaries(*d, tz)).collect();
    let day_of: HashMap<_, usize> = days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut actual = vec![[0u32; SLOTS]; ids.len() * days.len()];
    for c in floor.contacts() {
        let (Some(t), Some(q)) = (c.arrived_at, c.queue.and_then(|q| slot.get(&q))) else {
            continue;
        };
        if let Some(&d) = day_of.get(&local_date(t, tz)) {
            actual[q * days.len() + d][forecast::slot_of(&bounds[d], t)] += 1;
        }
    }

    let mut by_queue = vec![Score::default(); ids.len()];
    let (mut near, mut later) = (Score::default(), Score::default());
    let started = Instant::now();
    let mut cuts = 0u64;
    for (d, day) in days.iter().enumerate() {
        let window = day_window(*day, tz);
        for h in FIRST_CUT_H..=LAST_CUT_H {
            let Some(at) = NaiveTime::from_hms_opt(h, 0, 0) else {
                continue;
            };
            let now = local_ts(day.and_time(at), tz);
            cuts += 1;
            let queues = queue_plans(&floor, &settings, window, now);
            for (q, report) in queues.iter().enumerate() {
                let per_s = report.arrivals_last_hour as f64 / 3600.0;
                for f in &report.forecast {
                    let k = forecast::slot_of(&bounds[d], f.from);
                    let truth = f64::from(actual[q * days.len() + d][k]);
                    let naive = f.arrived as f64 + per_s * f.to.secs_since(f.from.max(now));
                    by_queue[q].add(f.offered, naive, truth);
                    let horizon = if f.from < now.add_secs(NEAR_H * 3600) {
                        &mut near
                    } else {
                        &mut later
                    };
                    horizon.add(f.offered, naive, truth);
                }
            }
        }
    }
    let elapsed = started.elapsed();

    println!(
        "forecast replay: {} day(s) {} … {}, now at every full hour {FIRST_CUT_H:02}:00–{LAST_CUT_H:02}:00 local ({cuts} replays, {:.1} s); \
         each forecast interval to the end of the day against the arrivals that came",
        days.len(),
        days[0],
        days[days.len() - 1],
        elapsed.as_secs_f64()
    );
    println!(
        "method: same weekday over {} weeks weighted {}…1, scaled by the last {} h of today (prior {} contacts); naive: the last hour's rate",
        forecast::HISTORY_WEEKS,
        forecast::HISTORY_WEEKS,
        forecast::LEVEL_HOURS,
        forecast::LEVEL_PRIOR
    );
    println!(
        "  {:<18} {:>9} {:>10} {:>16} {:>12}",
        "queue", "intervals", "arrivals", "WAPE forecast", "WAPE naive"
    );
    let mut all = Score::default();
    for (q, s) in by_queue.iter().enumerate() {
        println!("{}", s.line(floor.names.resolve(ids[q])));
        all.intervals += s.intervals;
        all.actual += s.actual;
        all.err_model += s.err_model;
        all.err_naive += s.err_naive;
    }
    println!("{}", all.line("all queues"));
    println!("{}", near.line(&format!("next {NEAR_H} h")));
    println!("{}", later.line(&format!("after {NEAR_H} h")));
    Ok(())
}
