//! Live mode for `shiftdeck demo`: history up to now, then the floor keeps
//! running and appending lines as simulated time passes.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::domain::Ts;
use crate::domain::time::NANOS_PER_SEC;

use super::SimOptions;
use super::engine::{Engine, Mode};

/// How often the live loop wakes to write what happened meanwhile.
const TICK: Duration = Duration::from_millis(100);

/// Simulated time: `origin` at the moment of creation, then running at
/// `speed` × real time. Share one clock between the simulator and the
/// console so both agree on "now" when `speed` ≠ 1.
#[derive(Clone, Copy, Debug)]
pub struct LiveClock {
    real_origin: Instant,
    origin: Ts,
    speed: f64,
}

impl LiveClock {
    pub fn new(origin: Ts, speed: f64) -> LiveClock {
        LiveClock {
            real_origin: Instant::now(),
            origin,
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                1.0
            },
        }
    }

    /// A clock that reads the wall clock now and runs `speed` times faster.
    pub fn starting_now(speed: f64) -> LiveClock {
        LiveClock::new(Ts::from_datetime(&chrono::Utc::now()), speed)
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// The simulated "now".
    pub fn now(&self) -> Ts {
        let elapsed = self.real_origin.elapsed().as_secs_f64() * self.speed;
        self.origin
            .add_nanos((elapsed * NANOS_PER_SEC as f64).min(i64::MAX as f64 / 2.0) as i64)
    }
}

/// [`run_live_with_clock`] on a clock that starts at the wall-clock now.
pub fn run_live(opts: &SimOptions, path: &Path, speed: f64, stop: &AtomicBool) -> io::Result<()> {
    run_live_with_clock(opts, path, &LiveClock::starting_now(speed), stop)
}

/// Creates (truncates) `path`, writes the floor's history from `opts.start`
/// up to the clock's now (past contacts in their final state, open ones as
/// they stand), then keeps appending every change, contacts upserted at
/// arrival, answer, end of talk and end of wrap-up, about ten times a
/// second, each batch whole lines in one write. `opts.days` and
/// `opts.until` are ignored: the floor runs on, day after day, until `stop`
/// is set.
pub fn run_live_with_clock(
    opts: &SimOptions,
    path: &Path,
    clock: &LiveClock,
    stop: &AtomicBool,
) -> io::Result<()> {
    let mut file = File::create(path)?;
    let mut eng = Engine::new(opts, Mode::FinalOnly, None);
    eng.run_until(secs(clock.now()), &mut file)?;
    eng.write_in_progress();
    eng.drain(&mut file)?;
    file.flush()?;
    eng.set_mode(Mode::Upserts);
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        eng.run_until(secs(clock.now()), &mut file)?;
        eng.drain(&mut file)?;
        file.flush()?;
    }
    Ok(())
}

fn secs(t: Ts) -> i64 {
    t.nanos().div_euclid(NANOS_PER_SEC)
}
