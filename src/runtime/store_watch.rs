//! The shared store's watcher: a thread with a store connection of its own
//! that reads the change stamp once a second (a cheap poll, not
//! LISTEN/NOTIFY: see docs/store.md) and tells the console when another
//! console wrote something, when the store stopped answering, and when it
//! answers again. The console then reloads through its own store handle;
//! the watcher never touches the app.

use std::time::Duration;

use crate::store::{ChangeStamp, Store, StoreError};

/// How often the watcher reads the stamp: entries of other consoles show
/// within this plus one reload (the brief: within 2 s).
pub const WATCH_EVERY: Duration = Duration::from_secs(1);

/// What the watcher saw.
#[derive(Debug)]
pub enum StoreEvent {
    /// Another console (or this one) wrote something: reload. `engine`:
    /// what moved is read by the engine too (scores for the agents' QA,
    /// alerts and their acknowledgements, handover acknowledgements), so
    /// it must compute a view now.
    Changed { engine: bool },
    /// The store does not answer (why).
    Down(StoreError),
    /// It answers again: reload everything.
    Up,
}

/// The watcher's memory between reads: what one read means.
#[derive(Debug, Default)]
pub struct Watch {
    last: Option<ChangeStamp>,
    down: bool,
}

impl Watch {
    /// A watch that starts knowing the store is down (the console opened
    /// it while the server did not answer), so its first answer is `Up`.
    pub fn starting_down(down: bool) -> Watch {
        Watch { last: None, down }
    }

    /// The event one read gives, if any.
    pub fn see(&mut self, read: Result<ChangeStamp, StoreError>) -> Option<StoreEvent> {
        match read {
            Ok(stamp) => {
                let was_down = std::mem::replace(&mut self.down, false);
                let before = self.last.replace(stamp);
                if was_down {
                    Some(StoreEvent::Up)
                } else {
                    let b = before.filter(|b| *b != stamp)?;
                    let engine = b.scores != stamp.scores
                        || b.alerts != stamp.alerts
                        || b.handovers != stamp.handovers;
                    Some(StoreEvent::Changed { engine })
                }
            }
            Err(e) if !self.down => {
                self.down = true;
                Some(StoreEvent::Down(e))
            }
            Err(_) => None,
        }
    }
}

/// Starts the watcher on `store`; it ends when `send` returns `false`
/// (the console is gone).
pub fn spawn_watch(
    store: Store,
    every: Duration,
    starting_down: bool,
    send: impl Fn(StoreEvent) -> bool + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("shiftdeck-store-watch".into())
        .spawn(move || {
            let mut watch = Watch::starting_down(starting_down);
            loop {
                if let Some(event) = watch.see(store.change_stamp()) {
                    if let StoreEvent::Down(e) = &event {
                        tracing::warn!(error = %e, "store: not answering");
                    }
                    if !send(event) {
                        return;
                    }
                }
                std::thread::sleep(every);
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: i64) -> ChangeStamp {
        ChangeStamp {
            scores: (n, n),
            ..ChangeStamp::default()
        }
    }

    fn down() -> StoreError {
        StoreError::Unreachable {
            place: "127.0.0.1:5432/x".into(),
            detail: "connection refused".into(),
        }
    }

    #[test]
    fn a_moved_stamp_is_a_change_a_failure_is_said_once_and_recovery_reloads() {
        let mut w = Watch::default();
        // The first read only learns the stamp.
        assert!(w.see(Ok(stamp(1))).is_none());
        assert!(w.see(Ok(stamp(1))).is_none());
        assert!(matches!(
            w.see(Ok(stamp(2))),
            Some(StoreEvent::Changed { engine: true })
        ));
        assert!(matches!(w.see(Err(down())), Some(StoreEvent::Down(_))));
        assert!(w.see(Err(down())).is_none(), "said once");
        assert!(matches!(w.see(Ok(stamp(2))), Some(StoreEvent::Up)));
        assert!(w.see(Ok(stamp(2))).is_none());
    }

    #[test]
    fn the_engine_is_told_when_what_it_reads_moved() {
        let mut w = Watch::default();
        let base = ChangeStamp::default();
        assert!(w.see(Ok(base)).is_none());
        let notes = ChangeStamp {
            notes: (1, 1),
            ..base
        };
        assert!(matches!(
            w.see(Ok(notes)),
            Some(StoreEvent::Changed { engine: false })
        ));
        let acked = ChangeStamp {
            alerts: (0, 0, 1),
            ..notes
        };
        assert!(matches!(
            w.see(Ok(acked)),
            Some(StoreEvent::Changed { engine: true })
        ));
        let handover = ChangeStamp {
            handovers: 1,
            ..acked
        };
        assert!(matches!(
            w.see(Ok(handover)),
            Some(StoreEvent::Changed { engine: true })
        ));
    }

    #[test]
    fn a_store_down_at_start_says_up_on_its_first_answer() {
        let mut w = Watch::starting_down(true);
        assert!(w.see(Err(down())).is_none(), "already said at start");
        assert!(matches!(w.see(Ok(stamp(0))), Some(StoreEvent::Up)));
    }
}
