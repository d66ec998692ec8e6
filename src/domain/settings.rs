//! The business rules a floor is judged by: targets, SLA minutes, the FCR
//! window, spot-check rate and seed, red-line phrases. Plain data; the
//! `config` module reads them from TOML.

use chrono_tz::Tz;

use super::record::Priority;

/// The KPIs of spec section 2, in display order. `key()` is the snapshot key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum KpiKey {
    Csat,
    Nps,
    Fcr,
    AhtS,
    ArtS,
    ServiceLevel,
    AbandonRate,
    TransferRate,
    RepeatRate,
    ContactsPerAgentDay,
    Occupancy,
}

impl KpiKey {
    pub const ALL: [KpiKey; 11] = [
        KpiKey::Csat,
        KpiKey::Nps,
        KpiKey::Fcr,
        KpiKey::AhtS,
        KpiKey::ArtS,
        KpiKey::ServiceLevel,
        KpiKey::AbandonRate,
        KpiKey::TransferRate,
        KpiKey::RepeatRate,
        KpiKey::ContactsPerAgentDay,
        KpiKey::Occupancy,
    ];

    /// The snapshot / config key.
    pub fn key(self) -> &'static str {
        match self {
            KpiKey::Csat => "csat",
            KpiKey::Nps => "nps",
            KpiKey::Fcr => "fcr",
            KpiKey::AhtS => "aht_s",
            KpiKey::ArtS => "art_s",
            KpiKey::ServiceLevel => "service_level",
            KpiKey::AbandonRate => "abandon_rate",
            KpiKey::TransferRate => "transfer_rate",
            KpiKey::RepeatRate => "repeat_rate",
            KpiKey::ContactsPerAgentDay => "contacts_per_agent_day",
            KpiKey::Occupancy => "occupancy",
        }
    }

    pub fn from_key(s: &str) -> Option<KpiKey> {
        KpiKey::ALL.into_iter().find(|k| k.key() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Rates are fractions 0…1 (shown as %); NPS is −100…100; the rest are seconds or counts.
    pub fn is_rate(self) -> bool {
        !matches!(
            self,
            KpiKey::Nps | KpiKey::AhtS | KpiKey::ArtS | KpiKey::ContactsPerAgentDay
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum Status {
    Ok,
    Warn,
    Alert,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Alert => "alert",
        }
    }
}

/// A KPI's target and thresholds (absolute values, spec section 3).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Target {
    pub target: f64,
    /// Defaults to `target`.
    pub warn: Option<f64>,
    pub alert: Option<f64>,
    pub direction: Direction,
}

impl Target {
    pub fn warn_threshold(&self) -> f64 {
        self.warn.unwrap_or(self.target)
    }

    /// Status of a value: beyond `alert` → alert, beyond `warn` → warn, else ok.
    /// Meeting a threshold exactly is not beyond it.
    pub fn status(&self, value: f64) -> Status {
        let beyond = |limit: f64| match self.direction {
            Direction::Lower => value > limit,
            Direction::Higher => value < limit,
        };
        if self.alert.is_some_and(beyond) {
            Status::Alert
        } else if beyond(self.warn_threshold()) {
            Status::Warn
        } else {
            Status::Ok
        }
    }

    /// actual − target, in the KPI's own unit.
    pub fn gap(&self, value: f64) -> f64 {
        value - self.target
    }
}

/// First-response and resolution targets of one priority.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SlaTarget {
    pub first_response_min: u32,
    pub resolution_min: Option<u32>,
}

/// SLA targets a source gives itself (a Zendesk account's SLA policies),
/// by priority in [`Priority::KNOWN`] order. A priority without one keeps
/// the `[sla]` target of the config.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SourceSla(pub [Option<SlaTarget>; 4]);

impl SourceSla {
    fn slot(p: Priority) -> Option<usize> {
        Priority::KNOWN.iter().position(|k| *k == p)
    }

    pub fn get(&self, p: Priority) -> Option<SlaTarget> {
        Self::slot(p).and_then(|i| self.0.get(i).copied().flatten())
    }

    pub fn set(&mut self, p: Priority, t: SlaTarget) {
        if let Some(slot) = Self::slot(p).and_then(|i| self.0.get_mut(i)) {
            *slot = Some(t);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct SlaPolicy {
    pub urgent: SlaTarget,
    pub high: SlaTarget,
    pub medium: SlaTarget,
    pub low: SlaTarget,
}

impl SlaPolicy {
    /// The target of a known priority; unknown priorities have no SLA.
    pub fn for_priority(&self, p: Priority) -> Option<&SlaTarget> {
        match p {
            Priority::Urgent => Some(&self.urgent),
            Priority::High => Some(&self.high),
            Priority::Medium => Some(&self.medium),
            Priority::Low => Some(&self.low),
            Priority::Other(_) => None,
        }
    }
}

impl Default for SlaPolicy {
    /// Spec section 4: urgent 5 min; high 30 min + 4 h; medium 2 h; low 24 h.
    fn default() -> Self {
        let first = |m| SlaTarget {
            first_response_min: m,
            resolution_min: None,
        };
        SlaPolicy {
            urgent: first(5),
            high: SlaTarget {
                first_response_min: 30,
                resolution_min: Some(240),
            },
            medium: first(120),
            low: first(24 * 60),
        }
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct SpotCheckSettings {
    /// Fraction of each agent's handled contacts in the random sample.
    pub rate: f64,
    pub seed: u64,
}

impl Default for SpotCheckSettings {
    fn default() -> Self {
        SpotCheckSettings {
            rate: 0.10,
            seed: 0,
        }
    }
}

/// The starter red-line list: abuse, mockery and refusal, in Chinese and English.
pub const DEFAULT_RED_LINE: &[&str] = &[
    "stupid",
    "idiot",
    "shut up",
    "not my problem",
    "not my job",
    "can't help you",
    "deal with it",
    "whatever",
    "滚",
    "闭嘴",
    "笨蛋",
    "白痴",
    "有病",
    "爱买不买",
    "不归我管",
    "不关我的事",
    "你自己看着办",
    "没办法",
];

/// A flag of section 8, in display order.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum AgentFlag {
    BreakOver,
    AhtOver,
    FcrUnder,
    CsatUnder,
    CriticalError,
    QaLow,
}

/// The thresholds of the agent flags (`[agents]` in the config).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct AgentRules {
    /// `break_over`: minutes in `break` before an agent is flagged.
    pub break_max_min: u32,
    /// `aht_over` / `fcr_under` / `csat_under` need at least this `n`.
    pub min_n: u64,
    /// `qa_low`: a QA average (out of 20) below this.
    pub qa_min: f64,
}

impl Default for AgentRules {
    fn default() -> Self {
        AgentRules {
            break_max_min: 15,
            min_n: 10,
            qa_min: 14.0,
        }
    }
}

/// The rules' thresholds (`[alerts]` in the config; docs/alerts.md). A
/// threshold of `None` turns its rule off.
#[derive(Clone, PartialEq, Debug)]
pub struct AlertRules {
    /// All rules on or off.
    pub enabled: bool,
    /// Seconds a rule must stay false before its alert clears.
    pub hold_down_s: u32,
    /// Also alert on a KPI in `warn` status.
    pub kpi_warn: bool,
    /// A KPI alerts only with at least this denominator (not occupancy,
    /// whose `n` is seconds).
    pub kpi_min_n: u64,
    /// `queue_waiting`: more contacts waiting than this.
    pub queue_waiting: Option<u32>,
    /// `queue_longest_wait`: a longest wait above this many seconds.
    pub queue_longest_wait_s: Option<u32>,
    /// `sla_due_soon`: due within this many minutes.
    pub sla_due_within_min: Option<u32>,
    /// `sla_breached` on or off.
    pub sla_breached: bool,
    /// The priorities whose SLA timers alert.
    pub sla_priorities: Vec<String>,
    /// `feedback_overdue` on or off.
    pub feedback_overdue: bool,
    /// `staffing_gap`: a gap lasting this many minutes.
    pub staffing_gap_min: Option<u32>,
    /// `staffing_ahead`: a forecast interval starting within this many
    /// minutes will be short of agents.
    pub staffing_ahead_min: Option<u32>,
    /// The agent flags (section 8) that alert.
    pub agent_flags: Vec<AgentFlag>,
}

impl Default for AlertRules {
    fn default() -> Self {
        AlertRules {
            enabled: true,
            hold_down_s: 120,
            kpi_warn: false,
            kpi_min_n: 20,
            queue_waiting: Some(10),
            queue_longest_wait_s: Some(180),
            sla_due_within_min: Some(5),
            sla_breached: true,
            sla_priorities: vec!["urgent".into(), "high".into()],
            feedback_overdue: true,
            staffing_gap_min: Some(15),
            staffing_ahead_min: Some(30),
            agent_flags: vec![AgentFlag::BreakOver, AgentFlag::CriticalError],
        }
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct Settings {
    pub timezone: Tz,
    /// Window for repeat and FCR, hours.
    pub fcr_window_h: f64,
    pub spot_check: SpotCheckSettings,
    pub red_line: Vec<String>,
    /// One optional target per KPI, indexed by `KpiKey::index()`.
    pub targets: [Option<Target>; 11],
    pub sla: SlaPolicy,
    /// Thresholds of the agent flags (spec section 8).
    pub agents: AgentRules,
    /// The alert rules (spec section 10).
    pub alerts: AlertRules,
    /// `[targets.<kpi>.channel.<channel>]`: a queue of that channel is
    /// judged against these instead of the floor's (queue-level KPIs only:
    /// [`CHANNEL_KPIS`]). The snapshot's `kpis` keep the floor's targets.
    pub channel_targets: Vec<ChannelTarget>,
}

/// KPIs that take a per-channel target: the figures a queue row shows.
pub const CHANNEL_KPIS: [KpiKey; 4] = [
    KpiKey::ServiceLevel,
    KpiKey::ArtS,
    KpiKey::AhtS,
    KpiKey::AbandonRate,
];

/// One KPI's target for the queues of one channel.
#[derive(Clone, PartialEq, Debug)]
pub struct ChannelTarget {
    pub key: KpiKey,
    pub channel: String,
    pub target: Target,
}

impl Settings {
    pub fn target(&self, k: KpiKey) -> Option<&Target> {
        self.targets[k.index()].as_ref()
    }

    /// The target of `k` for queues of `channel`, when one is configured.
    pub fn channel_target(&self, k: KpiKey, channel: &str) -> Option<&Target> {
        self.channel_targets
            .iter()
            .find(|c| c.key == k && c.channel == channel)
            .map(|c| &c.target)
    }

    pub fn fcr_window_nanos(&self) -> i64 {
        (self.fcr_window_h * 3600.0 * 1e9).round() as i64
    }

    /// The spec's defaults in the given zone.
    pub fn defaults_in(timezone: Tz) -> Settings {
        Settings {
            timezone,
            fcr_window_h: 48.0,
            spot_check: SpotCheckSettings::default(),
            red_line: DEFAULT_RED_LINE.iter().map(|s| s.to_string()).collect(),
            targets: default_targets(),
            sla: SlaPolicy::default(),
            agents: AgentRules::default(),
            alerts: AlertRules::default(),
            channel_targets: Vec::new(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::defaults_in(Tz::UTC)
    }
}

/// Spec section 3's defaults, plus analyst choices (documented in docs/) for
/// the KPIs the spec gives no target for.
pub fn default_targets() -> [Option<Target>; 11] {
    let t = |target, direction| {
        Some(Target {
            target,
            warn: None,
            alert: None,
            direction,
        })
    };
    use Direction::*;
    let mut out = [None; 11];
    let with_alert = |target, alert, direction| {
        Some(Target {
            target,
            warn: None,
            alert: Some(alert),
            direction,
        })
    };
    out[KpiKey::Csat.index()] = with_alert(0.88, 0.82, Higher);
    out[KpiKey::Nps.index()] = t(30.0, Higher);
    out[KpiKey::Fcr.index()] = with_alert(0.85, 0.75, Higher);
    out[KpiKey::AhtS.index()] = with_alert(252.0, 270.0, Lower);
    out[KpiKey::ArtS.index()] = t(15.0, Lower);
    out[KpiKey::ServiceLevel.index()] = t(0.80, Higher);
    out[KpiKey::AbandonRate.index()] = t(0.05, Lower);
    out[KpiKey::TransferRate.index()] = t(0.10, Lower);
    out[KpiKey::RepeatRate.index()] = t(0.15, Lower);
    out[KpiKey::ContactsPerAgentDay.index()] = t(90.0, Higher);
    out[KpiKey::Occupancy.index()] = t(0.80, Higher);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(k: KpiKey) -> Target {
        default_targets()[k.index()].expect("default target")
    }

    #[test]
    fn weekly_report_example_of_the_guide() {
        // AHT 4.3 min vs 4.2 min: +0.1 min (+6 s), not ok.
        let aht = target(KpiKey::AhtS);
        assert!((aht.gap(4.3 * 60.0) - 6.0).abs() < 1e-9);
        assert_eq!(aht.status(258.0), Status::Warn);
        // FCR 83 % vs 85 %: −2 points.
        let fcr = target(KpiKey::Fcr);
        assert!((fcr.gap(0.83) - -0.02).abs() < 1e-12);
        assert_eq!(fcr.status(0.83), Status::Warn);
        // Spec section 3: FCR alerts below 0.75, CSAT below 0.82; the
        // threshold itself is not beyond it.
        assert_eq!(fcr.status(0.75), Status::Warn);
        assert_eq!(fcr.status(0.749), Status::Alert);
        let csat = target(KpiKey::Csat);
        assert_eq!(csat.status(0.82), Status::Warn);
        assert_eq!(csat.status(0.8199), Status::Alert);
        assert_eq!(csat.status(0.88), Status::Ok);
        // ART 12 s vs 15 s, lower is better: ok.
        assert_eq!(target(KpiKey::ArtS).status(12.0), Status::Ok);
        // 85 contacts per agent per day vs 90: −5.
        let cpad = target(KpiKey::ContactsPerAgentDay);
        assert_eq!(cpad.gap(85.0), -5.0);
        assert_eq!(cpad.status(85.0), Status::Warn);
    }

    #[test]
    fn thresholds_are_exclusive_and_aht_alerts_above_270() {
        let aht = target(KpiKey::AhtS);
        assert_eq!(aht.status(252.0), Status::Ok);
        assert_eq!(aht.status(270.0), Status::Warn);
        assert_eq!(aht.status(270.5), Status::Alert);
        let csat = Target {
            target: 0.88,
            warn: Some(0.85),
            alert: Some(0.80),
            direction: Direction::Higher,
        };
        assert_eq!(csat.status(0.86), Status::Ok);
        assert_eq!(csat.status(0.85), Status::Ok);
        assert_eq!(csat.status(0.84), Status::Warn);
        assert_eq!(csat.status(0.79), Status::Alert);
    }

    #[test]
    fn keys_round_trip() {
        for k in KpiKey::ALL {
            assert_eq!(KpiKey::from_key(k.key()), Some(k));
        }
    }
}
