//! The computed view of the floor (spec section 6): what `snapshot` prints
//! and what every pane draws. Fields marked `serde(skip)` are for the panes
//! only and never reach the JSON.

use serde::Serialize;

use super::intern::Sym;
use super::settings::{Direction, KpiKey, Status};
use super::time::Ts;

/// A half-open window `[from, to)`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub struct Window {
    pub from: Ts,
    pub to: Ts,
}

impl Window {
    pub fn contains(&self, t: Ts) -> bool {
        self.from <= t && t < self.to
    }

    pub fn days(&self) -> f64 {
        self.to.since(self.from) as f64 / 86_400e9
    }
}

/// A KPI value with its denominator (`{"value": …, "n": …}` in the JSON).
#[derive(Clone, Copy, PartialEq, Debug, Default, Serialize)]
pub struct KpiValue {
    /// `None` when the denominator is 0.
    pub value: Option<f64>,
    /// The denominator (seconds for occupancy, counts otherwise).
    pub n: f64,
}

/// All KPIs of section 2, indexed by `KpiKey::index()`.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct KpiSet(pub [KpiValue; 11]);

impl KpiSet {
    pub fn get(&self, k: KpiKey) -> KpiValue {
        self.0[k.index()]
    }
}

/// One KPI as shown: value, target, gap and status.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct KpiReport {
    #[serde(skip)]
    pub key: KpiKey,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub gap: Option<f64>,
    pub status: Option<Status>,
    pub n: f64,
    #[serde(skip)]
    pub direction: Option<Direction>,
    #[serde(skip)]
    pub alert: Option<f64>,
    /// The warn threshold (the target unless configured).
    #[serde(skip)]
    pub warn: Option<f64>,
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Agent counts by state, in `AgentStateKind::KNOWN` order.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct AgentCounts(pub [u32; 5]);

impl Serialize for AgentCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(5))?;
        for (name, v) in ["available", "busy", "wrap", "break", "offline"]
            .iter()
            .zip(self.0)
        {
            m.serialize_entry(name, &v)?;
        }
        m.end()
    }
}

/// A queue's live figures at "now" and its window figures.
#[derive(Clone, PartialEq, Debug, Default, Serialize)]
pub struct QueueReport {
    pub id: String,
    #[serde(skip)]
    pub name: Option<String>,
    #[serde(skip)]
    pub channel: Option<String>,
    pub waiting: u32,
    pub longest_wait_s: f64,
    pub agents: AgentCounts,
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub art_s: Option<f64>,
    pub aht_s: Option<f64>,
    /// Service-level threshold of the queue, seconds.
    #[serde(skip)]
    pub sl_seconds: f64,
    /// Arrivals in the hour before now (for Erlang C).
    #[serde(skip)]
    pub arrivals_last_hour: u64,
    /// AHT of contacts handled in the hour before now, seconds.
    #[serde(skip)]
    pub aht_last_hour_s: Option<f64>,
    /// True when the live figures come from a newer `queue_stats` record.
    #[serde(skip)]
    pub from_queue_stats: bool,
    /// Staffing at now (spec section 9).
    pub staffing: Staffing,
    /// The rest of the local day, from the interval holding now (spec section 9).
    pub forecast: Vec<ForecastInterval>,
    /// Earlier intervals of today: (from, to, arrivals).
    #[serde(skip)]
    pub today: Vec<(Ts, Ts, u64)>,
    /// What the forecast's profile was built from.
    #[serde(skip)]
    pub forecast_basis: Basis,
}

/// A queue's staffing at now (spec section 9; computed by `domain::staffing`).
#[derive(Clone, PartialEq, Debug, Default, Serialize)]
pub struct Staffing {
    pub arrivals_last_hour: u64,
    pub aht_basis_s: Option<f64>,
    pub threshold_s: f64,
    pub target_sl: f64,
    pub agents_needed: Option<u32>,
    pub agents_staffed: u32,
    /// Agents on a planned shift for the queue at now; only when the feed
    /// plans shifts (`shift` records), absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_scheduled: Option<u32>,
}

/// One interval of the rest of the day (spec section 9; computed by
/// `domain::forecast`).
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct ForecastInterval {
    pub from: Ts,
    /// Expected arrivals in the whole interval.
    pub offered: f64,
    pub aht_s: Option<f64>,
    pub agents_needed: Option<u32>,
    /// Agents on a planned shift for the queue in the interval; only when
    /// the feed plans shifts, absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents_scheduled: Option<u32>,
    #[serde(skip)]
    pub to: Ts,
    /// Arrivals so far (at or before now) in this interval.
    #[serde(skip)]
    pub arrived: u64,
    /// Agents the gap counts on in this interval: those staffed now for
    /// the interval holding now; for later ones the scheduled agents when
    /// the feed plans shifts, else those staffed now (`domain::staffing`).
    #[serde(skip)]
    pub staffed: u32,
}

/// What the profile was built from.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Basis {
    /// Same weekday, this many covered weeks.
    Weeks(u8),
    /// The last covered days of any weekday, this many.
    RecentDays(u8),
    /// No history: the last hour's rate.
    #[default]
    LastHour,
}

/// A contact that still owes a first response or a resolution.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct SlaTimer {
    pub contact: String,
    pub priority: String,
    pub due_at: Ts,
    pub remaining_s: f64,
    pub breached: bool,
    /// "first_response" or "resolution".
    #[serde(skip)]
    pub owes: &'static str,
    #[serde(skip)]
    pub queue: Option<String>,
    #[serde(skip)]
    pub customer: Option<String>,
    #[serde(skip)]
    pub agent: Option<String>,
}

/// A feedback item on the closure board.
#[derive(Clone, PartialEq, Debug, Default, Serialize)]
pub struct FeedbackReport {
    pub id: String,
    pub stage: Option<String>,
    pub owner: Option<String>,
    pub due_at: Option<Ts>,
    pub overdue: bool,
    #[serde(skip)]
    pub source: Option<String>,
    #[serde(skip)]
    pub category: Option<String>,
    #[serde(skip)]
    pub summary: Option<String>,
    #[serde(skip)]
    pub customer: Option<String>,
    #[serde(skip)]
    pub received_at: Option<Ts>,
    #[serde(skip)]
    pub result: Option<String>,
    #[serde(skip)]
    pub callback_result: Option<String>,
    #[serde(skip)]
    pub root_cause: Option<String>,
    /// Set by the console's follow-up merge (`domain::followup`); the feed
    /// leaves them at their defaults.
    #[serde(skip)]
    pub action: Option<String>,
    /// A local follow-up event changed this item.
    #[serde(skip)]
    pub local: bool,
    /// When the item entered its current stage (last local stage change,
    /// else `received_at`).
    #[serde(skip)]
    pub stage_since: Option<Ts>,
    /// In handling with no change for longer than the escalation limit.
    #[serde(skip)]
    pub stale: bool,
}

/// A contact on a spot-check list.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct SpotCheckItem {
    pub contact: String,
    pub agent: String,
    pub flags: Vec<&'static str>,
    #[serde(skip)]
    pub customer: Option<String>,
    #[serde(skip)]
    pub ended_at: Option<Ts>,
}

/// Checked / required per agent for the day.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct AgentCoverage {
    pub agent: String,
    pub handled: u64,
    pub required: u64,
    pub sampled: u64,
}

#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct SpotCheckReport {
    pub date: chrono::NaiveDate,
    pub seed: u64,
    pub random: Vec<SpotCheckItem>,
    pub targeted: Vec<SpotCheckItem>,
    #[serde(skip)]
    pub coverage: Vec<AgentCoverage>,
}

/// The whole computed view.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct Snapshot {
    pub window: Window,
    pub now: Ts,
    #[serde(serialize_with = "kpis_as_map")]
    pub kpis: Vec<KpiReport>,
    pub queues: Vec<QueueReport>,
    pub sla: Vec<SlaTimer>,
    pub feedback: Vec<FeedbackReport>,
    pub spot_check: SpotCheckReport,
    /// The people on the floor (spec section 8), sorted by id.
    pub agents: Vec<AgentReport>,
    /// The alerts active at now (spec section 10), most severe first.
    pub alerts: Vec<AlertObject>,
}

fn kpis_as_map<S: serde::Serializer>(kpis: &[KpiReport], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(kpis.len()))?;
    for k in kpis {
        m.serialize_entry(k.key.key(), k)?;
    }
    m.end()
}

// The people on the floor (spec section 8); computed and explained in
// `domain::agents`.

/// A flag of section 8 (defined with its thresholds, `settings::AgentRules`).
pub use super::settings::AgentFlag;

/// Critical errors by kind.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize)]
pub struct CriticalCounts {
    pub customer: u64,
    pub business: u64,
    pub compliance: u64,
}

/// The lead's QA of one agent.
#[derive(Clone, PartialEq, Debug, Default, Serialize)]
pub struct AgentQa {
    pub checked: u64,
    /// Mean scorecard total out of 20; null when nothing was checked.
    pub avg: Option<f64>,
    pub critical_errors: CriticalCounts,
    pub spot_left_today: u64,
}

/// Raw sums of one agent (or a team) over a window: every figure is a
/// ratio of these, so a team's figures are its members' sums added up.
#[derive(Clone, Copy, PartialEq, Debug, Default)]
pub struct AgentTally {
    pub answered: u64,
    pub answer_nanos: i128,
    pub handled: u64,
    pub handle_s: f64,
    pub transferred: u64,
    pub resolved_first: u64,
    pub csat_n: u64,
    pub csat_satisfied: u64,
    pub nps_n: u64,
    pub promoters: u64,
    pub detractors: u64,
    pub staffed_nanos: i128,
    pub occupied_nanos: i128,
}

/// The window figures of one agent (or team), each with its `n`.
#[derive(Clone, Copy, PartialEq, Debug, Default, Serialize)]
pub struct AgentFigures {
    pub handled: u64,
    pub aht_s: KpiValue,
    pub art_s: KpiValue,
    pub fcr: KpiValue,
    pub transfer_rate: KpiValue,
    pub csat: KpiValue,
    pub nps: KpiValue,
    pub occupancy: KpiValue,
}

/// One agent as the snapshot's `agents` list carries it.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct AgentReport {
    pub id: String,
    pub name: Option<String>,
    pub team: Option<String>,
    pub state: String,
    pub queue: Option<String>,
    pub since: Option<Ts>,
    pub in_state_s: Option<f64>,
    #[serde(flatten)]
    pub figures: AgentFigures,
    pub qa: AgentQa,
    pub flags: Vec<AgentFlag>,
    /// The agent's symbol on the floor it was computed from.
    #[serde(skip)]
    pub sym: Sym,
    /// The sums behind `figures` (team comparisons add these up).
    #[serde(skip)]
    pub tally: AgentTally,
}

// Alerts (spec section 10); evaluated in `domain::alerts`.

/// How much an alert matters; the console's strip counts by it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warn,
    Critical,
}

impl Severity {
    /// Most severe first, as the strip and the overlay list them.
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Warn, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Critical => "critical",
        }
    }

    pub fn from_name(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The rules of section 10.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum Rule {
    KpiAlert,
    KpiWarn,
    QueueWaiting,
    QueueLongestWait,
    SlaDueSoon,
    SlaBreached,
    FeedbackOverdue,
    StaffingGap,
    StaffingAhead,
    Agent(AgentFlag),
}

impl Rule {
    /// Every rule, for parsing stored names back.
    pub fn all() -> Vec<Rule> {
        let mut v = vec![
            Rule::KpiAlert,
            Rule::KpiWarn,
            Rule::QueueWaiting,
            Rule::QueueLongestWait,
            Rule::SlaDueSoon,
            Rule::SlaBreached,
            Rule::FeedbackOverdue,
            Rule::StaffingGap,
            Rule::StaffingAhead,
        ];
        v.extend(AgentFlag::ALL.map(Rule::Agent));
        v
    }

    /// The rule's name in ids, the snapshot and the store.
    pub fn name(self) -> &'static str {
        match self {
            Rule::KpiAlert => "kpi_alert",
            Rule::KpiWarn => "kpi_warn",
            Rule::QueueWaiting => "queue_waiting",
            Rule::QueueLongestWait => "queue_longest_wait",
            Rule::SlaDueSoon => "sla_due_soon",
            Rule::SlaBreached => "sla_breached",
            Rule::FeedbackOverdue => "feedback_overdue",
            Rule::StaffingGap => "staffing_gap",
            Rule::StaffingAhead => "staffing_ahead",
            Rule::Agent(AgentFlag::BreakOver) => "agent_break_over",
            Rule::Agent(AgentFlag::AhtOver) => "agent_aht_over",
            Rule::Agent(AgentFlag::FcrUnder) => "agent_fcr_under",
            Rule::Agent(AgentFlag::CsatUnder) => "agent_csat_under",
            Rule::Agent(AgentFlag::CriticalError) => "agent_critical_error",
            Rule::Agent(AgentFlag::QaLow) => "agent_qa_low",
        }
    }

    pub fn from_name(s: &str) -> Option<Rule> {
        Rule::all().into_iter().find(|r| r.name() == s)
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::KpiAlert | Rule::QueueLongestWait | Rule::SlaBreached => Severity::Critical,
            Rule::KpiWarn
            | Rule::QueueWaiting
            | Rule::SlaDueSoon
            | Rule::FeedbackOverdue
            | Rule::StaffingGap
            | Rule::StaffingAhead => Severity::Warn,
            Rule::Agent(_) => Severity::Info,
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// What happened to an episode, as outbox rows and logs name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertEvent {
    Fired,
    Cleared,
}

impl AlertEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertEvent::Fired => "fired",
            AlertEvent::Cleared => "cleared",
        }
    }

    pub fn from_name(s: &str) -> Option<AlertEvent> {
        match s {
            "fired" => Some(AlertEvent::Fired),
            "cleared" => Some(AlertEvent::Cleared),
            _ => None,
        }
    }
}

/// The alert object as the snapshot's `alerts` and the webhooks' `json`
/// format carry it: `{"id", "rule", "subject", "severity", "since", "message"}`.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct AlertObject {
    pub id: String,
    pub rule: Rule,
    pub subject: String,
    pub severity: Severity,
    pub since: Ts,
    pub message: String,
}
