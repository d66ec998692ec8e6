//! What the engine sends the UI: an owned, fully computed view of the floor
//! (the UI never holds the `Floor`), and the state of the source.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono_tz::Tz;

use crate::domain::alerts::{AlertObject, Rule, Severity};
use crate::domain::glance::QueueJudge;
use crate::domain::snapshot::{KpiReport, KpiSet, Snapshot, Window};
use crate::domain::status::{FileReset, IngestStats, PollNote};
use crate::domain::{KpiKey, Ts};

use super::filter::Scope;
use crate::domain::window::WindowKind;

/// One computed view: the snapshot of the selected window plus the extras
/// the panes and the huddle screen draw.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub snapshot: Snapshot,
    pub kind: WindowKind,
    /// The queue / agent the KPIs are restricted to, as resolved by the engine.
    pub scope: Scope,
    /// Hourly KPI buckets for the sparklines, bucket 0 starting at `hourly_from`.
    pub hourly: Vec<KpiSet>,
    pub hourly_from: Ts,
    /// Per KPI (`KpiKey::index()`): the value over the comparison window one
    /// week earlier, and the change (comparable part of the window − that).
    pub last_week: KpiSet,
    pub trend: [Option<f64>; 11],
    /// The comparison window, one week earlier.
    pub last_week_window: Window,
    /// Today so far (`[local midnight, now)`) and yesterday, against target.
    pub today: Vec<KpiReport>,
    pub yesterday: Vec<KpiReport>,
    /// Erlang C agents needed per queue, aligned with `snapshot.queues`.
    pub agents_needed: Vec<Option<u32>>,
    /// How each queue stands against its thresholds, aligned with
    /// `snapshot.queues` (`domain::glance`).
    pub queue_judge: Vec<QueueJudge>,
    /// ART and service level per channel against the channels' targets
    /// (`domain::channels`), for the KPI pane and detail.
    pub channels: Vec<crate::domain::channels::ChannelFigures>,
    /// Display names of the agents named in the lists, by id.
    pub agent_names: HashMap<String, String>,
    /// The configured time zone the windows were resolved in.
    pub tz: Tz,
    /// How long the computation took, milliseconds.
    pub compute_ms: f64,
    /// Where that time went: each step of the computation in order, with
    /// its milliseconds (they add up to about `compute_ms`; the engine's
    /// steps after the view's own are added to the list).
    pub steps: Vec<(&'static str, f64)>,
    /// The coaching figures of the agent the console asked for
    /// (`EngineCmd::Coach`), when it did.
    pub coaching: Option<Box<crate::domain::agents::Coaching>>,
    /// The alerts (spec section 10) as of this view; empty until the
    /// engine evaluated the rules.
    pub alerts: AlertsView,
    /// The shift handover, while the console asked for it
    /// (`EngineCmd::Handover`).
    pub handover: Option<Box<crate::domain::handover::HandoverReport>>,
}

/// The alerts the console shows, as the engine found them.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AlertsView {
    /// Open episodes (those in their hold-down too), most severe first,
    /// then the oldest.
    pub active: Vec<AlertLine>,
    /// Episodes cleared in the last [`RECENT_H`] hours, newest first.
    pub recent: Vec<AlertLine>,
    /// What fired or cleared in this computation, in order (the bell,
    /// and `watch`'s output).
    pub changes: Vec<AlertChange>,
    /// How long evaluating the rules took, milliseconds.
    pub eval_ms: f64,
}

/// How far back the overlay lists cleared alerts.
pub const RECENT_H: i64 = 12;

impl AlertsView {
    /// Active alerts by severity, in `Severity::ALL` order (critical, warn, info).
    pub fn counts(&self) -> [usize; 3] {
        let mut n = [0; 3];
        for a in &self.active {
            if let Some(i) = Severity::ALL.iter().position(|s| *s == a.severity) {
                n[i] += 1;
            }
        }
        n
    }

    pub fn fired(&self) -> usize {
        self.changes.iter().filter(|c| c.event == "fired").count()
    }
}

/// One alert episode as a line of the overlay.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertLine {
    /// The episode's row in the store; `None` when it is not stored (no
    /// writable store), and then it cannot be acknowledged.
    pub episode: Option<i64>,
    pub id: String,
    pub rule: Rule,
    pub subject: String,
    pub severity: Severity,
    pub since: Ts,
    pub fired_at: Ts,
    pub cleared_at: Option<Ts>,
    /// In the lead's language.
    pub message: String,
    /// Who acknowledged it and when.
    pub ack: Option<(String, Ts)>,
}

/// A fire or a clear, as `watch` prints it: `{"event", "at", "alert"}`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AlertChange {
    /// `fired` or `cleared`.
    pub event: &'static str,
    pub at: Ts,
    pub alert: AlertObject,
}

impl View {
    pub fn kpi(&self, k: KpiKey) -> Option<&KpiReport> {
        self.snapshot.kpis.iter().find(|r| r.key == k)
    }

    /// How queue `i` of the snapshot stands (all `None` when unknown).
    pub fn judge(&self, i: usize) -> QueueJudge {
        self.queue_judge.get(i).copied().unwrap_or_default()
    }

    pub fn now(&self) -> Ts {
        self.snapshot.now
    }

    /// An agent's display name, else the id itself.
    pub fn agent_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.agent_names.get(id).map_or(id, String::as_str)
    }
}

/// Where the data comes from and how fresh it is.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SourceStatus {
    /// What the header shows, e.g. the file name or "demo".
    pub label: String,
    pub files: Vec<PathBuf>,
    /// The first full read is still under way.
    pub loading: bool,
    /// The last poll that succeeded.
    pub last_success: Option<Ts>,
    /// When the data last changed: the newest modification time of the files.
    pub data_at: Option<Ts>,
    /// The last poll error (e.g. the file disappeared); cleared by a success.
    pub last_error: Option<String>,
    /// Lines read since the floor was last (re)built.
    pub stats: IngestStats,
    /// The most recent malformed-line report, `file:line: reason`.
    pub last_malformed: Option<String>,
    /// How the polled source is being read, when not the plain way (a
    /// server's wait capped, a feed read in batches); cleared by a plain poll.
    pub note: Option<PollNote>,
    /// The last time a file was read again from the start, and why: the
    /// header says it for `domain::status::RESET_NOTICE_S`.
    pub reset: Option<FileReset>,
}

/// How far the last successful poll may move on before the UI hears of it:
/// it tells a quiet source ("no new data") from a silent one (STALE, after
/// two minutes), so half a minute is precise enough.
pub const SUCCESS_REPORT_S: f64 = 30.0;

impl SourceStatus {
    /// Whether the UI would show something different (`self` as last sent):
    /// everything but the time of the last successful poll, which moves on
    /// every poll; that counts next to an error (where it is shown) and
    /// every [`SUCCESS_REPORT_S`] otherwise.
    pub fn differs_for_display(&self, other: &SourceStatus) -> bool {
        let strip = |s: &SourceStatus| SourceStatus {
            last_success: None,
            ..s.clone()
        };
        let success_moved = match (self.last_success, other.last_success) {
            (Some(sent), Some(now)) => now.secs_since(sent) >= SUCCESS_REPORT_S,
            (None, Some(_)) => true,
            _ => false,
        };
        strip(self) != strip(other)
            || success_moved
            || (self.last_error.is_some() && self.last_success != other.last_success)
    }
}

/// A message from the engine to the UI.
#[derive(Debug)]
pub enum EngineMsg {
    View(Box<View>),
    Status(Box<SourceStatus>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_that_only_succeeded_again_is_not_news() {
        let a = SourceStatus {
            label: "floor.ndjson".into(),
            last_success: Some(Ts::from_secs(10)),
            ..SourceStatus::default()
        };
        let mut b = a.clone();
        b.last_success = Some(Ts::from_secs(11));
        assert!(!a.differs_for_display(&b));
        // Half a minute on, it is worth saying: the source still answers.
        b.last_success = Some(Ts::from_secs(40));
        assert!(a.differs_for_display(&b));
        b.last_success = Some(Ts::from_secs(11));
        b.data_at = Some(Ts::from_secs(11));
        assert!(a.differs_for_display(&b));
        // Next to an error the last good read is shown, so it counts.
        let mut c = a.clone();
        c.last_error = Some("gone".into());
        let mut d = c.clone();
        d.last_success = Some(Ts::from_secs(12));
        assert!(c.differs_for_display(&d));
    }
}
