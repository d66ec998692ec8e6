//! Alerts (spec section 10): rules that became true for a subject, each
//! firing once per episode, held down against flicker, and cleared.
//!
//! Pure and deterministic: [`conditions`] says which rules hold in a
//! computed view at `now`; an [`AlertBook`] turns the successive answers
//! into episodes ([`Change::Fired`], [`Change::Cleared`]). Time is always
//! passed in. The words of an alert are not here: `i18n::alerts` says an
//! alert's [`Facts`] in the lead's language.
//!
//! The rules (config `[alerts]`, docs/alerts.md), with their subjects:
//!
//! | rule | subject | true when | severity |
//! |---|---|---|---|
//! | `kpi_alert` | KPI key | the KPI's status is `alert` (n ≥ `kpi_min_n`) | critical |
//! | `kpi_warn` | KPI key | status `warn`, only with `kpi_warn = true` | warn |
//! | `queue_waiting` | queue id | `waiting` > `queue_waiting` | warn |
//! | `queue_longest_wait` | queue id | `longest_wait_s` > `queue_longest_wait_s` | critical |
//! | `sla_due_soon` | contact id | an SLA timer due within `sla_due_within_min`, not breached | warn |
//! | `sla_breached` | contact id | an SLA timer breached | critical |
//! | `feedback_overdue` | feedback id | the item is overdue | warn |
//! | `staffing_gap` | queue id | `agents_needed` > `agents_staffed` for `staffing_gap_min` minutes | warn |
//! | `staffing_ahead` | queue id | a forecast interval starting within `staffing_ahead_min` minutes needs more agents than it counts on | warn |
//! | `agent_<flag>` | agent id | the agent carries that flag of section 8 | info |
//!
//! Episodes: an alert fires the first time its rule holds. It clears only
//! once the rule has been false for `hold_down_s` without a break; if the
//! rule holds again within that time the episode goes on (no second fire).
//! So a figure that flickers around its threshold fires once, and true →
//! false (longer than the hold-down) → true is two episodes.

use std::collections::{BTreeMap, HashMap};

pub use super::settings::AlertRules;
use super::settings::{Direction, KpiKey, Status};
use super::snapshot::{
    AgentFlag, AgentReport, FeedbackReport, KpiReport, QueueReport, SlaTimer, Snapshot,
};
pub use super::snapshot::{AlertEvent, AlertObject, Rule, Severity};
use super::time::{NANOS_PER_SEC, Ts};

/// The figures an alert's message says, per rule (`i18n::alerts` words them).
#[derive(Clone, PartialEq, Debug)]
pub enum Facts {
    /// `kpi_alert` / `kpi_warn`: the value and the threshold it crossed.
    Kpi {
        key: KpiKey,
        value: f64,
        threshold: f64,
        direction: Direction,
    },
    QueueWaiting {
        queue: String,
        waiting: u32,
        limit: u32,
    },
    QueueLongestWait {
        queue: String,
        wait_s: f64,
        limit_s: u32,
    },
    SlaDueSoon {
        contact: String,
        priority: String,
        remaining_s: f64,
    },
    SlaBreached {
        contact: String,
        priority: String,
        late_s: f64,
    },
    FeedbackOverdue {
        item: String,
        owner: Option<String>,
        due_at: Ts,
    },
    StaffingGap {
        queue: String,
        needed: u32,
        staffed: u32,
        minutes: u32,
    },
    /// The first short interval ahead: the agents it needs, those it
    /// counts on, and the whole minutes until it starts (rounded up).
    StaffingAhead {
        queue: String,
        needed: u32,
        staffed: u32,
        in_min: u32,
    },
    Agent {
        agent: String,
        flag: AgentFlag,
    },
    /// An episode read back from the store after a restart: its words as
    /// they were recorded, until the rule is evaluated again.
    Recorded {
        message: String,
    },
}

/// One alert: a rule true for a subject.
#[derive(Clone, PartialEq, Debug)]
pub struct Alert {
    pub rule: Rule,
    /// The KPI key, queue, contact, feedback item or agent id.
    pub subject: String,
    pub severity: Severity,
    /// When the rule became true: from the data where it says (an SLA's due
    /// time, a feedback item's due time, the wait that passed its limit),
    /// else the first evaluation that found it true.
    pub since: Ts,
    pub facts: Facts,
}

impl Alert {
    /// `rule:subject`, unique among the active alerts.
    pub fn id(&self) -> String {
        alert_id(self.rule, &self.subject)
    }

    /// The alert object of section 10, with its message in the lead's
    /// language (said by the caller).
    pub fn object(&self, message: String) -> AlertObject {
        AlertObject {
            id: self.id(),
            rule: self.rule,
            subject: self.subject.clone(),
            severity: self.severity,
            since: self.since,
            message,
        }
    }
}

/// The id of the alert of `rule` for `subject`.
pub fn alert_id(rule: Rule, subject: &str) -> String {
    format!("{}:{subject}", rule.name())
}

/// What the rules read: the parts of a computed view. The KPIs are the
/// ones alerts watch (the console gives today's, unfiltered).
#[derive(Clone, Copy, Debug)]
pub struct AlertInput<'a> {
    pub kpis: &'a [KpiReport],
    pub queues: &'a [QueueReport],
    pub sla: &'a [SlaTimer],
    pub feedback: &'a [FeedbackReport],
    pub agents: &'a [AgentReport],
}

impl<'a> AlertInput<'a> {
    /// Everything from one snapshot.
    pub fn of(s: &'a Snapshot) -> AlertInput<'a> {
        AlertInput {
            kpis: &s.kpis,
            queues: &s.queues,
            sla: &s.sla,
            feedback: &s.feedback,
            agents: &s.agents,
        }
    }
}

fn secs(s: f64) -> i64 {
    (s * NANOS_PER_SEC as f64) as i64
}

/// Every rule that holds at `now`, in a fixed order (rule, then input
/// order). A staffing gap is listed as soon as it exists, with `since` =
/// `now`: its duration is the [`AlertBook`]'s to track.
pub fn conditions(input: &AlertInput<'_>, rules: &AlertRules, now: Ts) -> Vec<Alert> {
    let mut out = Vec::new();
    if !rules.enabled {
        return out;
    }
    let mut push = |rule: Rule, subject: &str, since: Ts, facts: Facts| {
        out.push(Alert {
            rule,
            subject: subject.to_string(),
            severity: rule.severity(),
            since,
            facts,
        });
    };
    for k in input.kpis {
        let (Some(value), Some(status), Some(dir)) = (k.value, k.status, k.direction) else {
            continue;
        };
        if k.key != KpiKey::Occupancy && k.n < rules.kpi_min_n as f64 {
            continue;
        }
        let (rule, threshold) = match status {
            Status::Alert => (Rule::KpiAlert, k.alert),
            Status::Warn if rules.kpi_warn => (Rule::KpiWarn, k.warn),
            _ => continue,
        };
        let Some(threshold) = threshold else { continue };
        let facts = Facts::Kpi {
            key: k.key,
            value,
            threshold,
            direction: dir,
        };
        push(rule, k.key.key(), now, facts);
    }
    for q in input.queues {
        let name = q.name.as_deref().unwrap_or(&q.id);
        if let Some(limit) = rules.queue_waiting
            && q.waiting > limit
        {
            let facts = Facts::QueueWaiting {
                queue: name.to_string(),
                waiting: q.waiting,
                limit,
            };
            push(Rule::QueueWaiting, &q.id, now, facts);
        }
        if let Some(limit) = rules.queue_longest_wait_s
            && q.longest_wait_s > f64::from(limit)
        {
            // The oldest contact passed the limit this long ago.
            let since = now.add_nanos(-secs(q.longest_wait_s - f64::from(limit)));
            let facts = Facts::QueueLongestWait {
                queue: name.to_string(),
                wait_s: q.longest_wait_s,
                limit_s: limit,
            };
            push(Rule::QueueLongestWait, &q.id, since, facts);
        }
    }
    let watched = |p: &str| rules.sla_priorities.iter().any(|w| w == p);
    for s in input.sla.iter().filter(|s| watched(&s.priority)) {
        if s.breached {
            if rules.sla_breached {
                let facts = Facts::SlaBreached {
                    contact: s.contact.clone(),
                    priority: s.priority.clone(),
                    late_s: -s.remaining_s,
                };
                push(Rule::SlaBreached, &s.contact, s.due_at, facts);
            }
        } else if let Some(min) = rules.sla_due_within_min
            && s.remaining_s <= f64::from(min) * 60.0
        {
            let since = s.due_at.add_secs(-i64::from(min) * 60);
            let facts = Facts::SlaDueSoon {
                contact: s.contact.clone(),
                priority: s.priority.clone(),
                remaining_s: s.remaining_s,
            };
            push(Rule::SlaDueSoon, &s.contact, since.min(now), facts);
        }
    }
    if rules.feedback_overdue {
        for f in input.feedback.iter().filter(|f| f.overdue) {
            let due = f.due_at.unwrap_or(now);
            let facts = Facts::FeedbackOverdue {
                item: f.id.clone(),
                owner: f.owner.clone(),
                due_at: due,
            };
            push(Rule::FeedbackOverdue, &f.id, due, facts);
        }
    }
    if let Some(min) = rules.staffing_gap_min {
        for q in input.queues {
            let st = &q.staffing;
            if let Some(needed) = st.agents_needed
                && needed > st.agents_staffed
            {
                let facts = Facts::StaffingGap {
                    queue: q.name.as_deref().unwrap_or(&q.id).to_string(),
                    needed,
                    staffed: st.agents_staffed,
                    minutes: min,
                };
                push(Rule::StaffingGap, &q.id, now, facts);
            }
        }
    }
    if let Some(min) = rules.staffing_ahead_min {
        // Intervals that start after now: the one holding now is the live
        // gap's (`staffing_gap`), measured rather than forecast.
        let horizon = now.add_nanos(i64::from(min) * 60 * NANOS_PER_SEC);
        for q in input.queues {
            let short = q
                .forecast
                .iter()
                .filter(|f| f.from > now && f.from <= horizon)
                .find_map(|f| {
                    let needed = f.agents_needed?;
                    (needed > f.staffed).then_some((f, needed))
                });
            if let Some((f, needed)) = short {
                let nanos = f.from.since(now);
                let per_min = 60 * NANOS_PER_SEC;
                let facts = Facts::StaffingAhead {
                    queue: q.name.as_deref().unwrap_or(&q.id).to_string(),
                    needed,
                    staffed: f.staffed,
                    in_min: ((nanos + per_min - 1) / per_min) as u32,
                };
                push(Rule::StaffingAhead, &q.id, now, facts);
            }
        }
    }
    for a in input.agents {
        for &flag in &a.flags {
            if rules.agent_flags.contains(&flag) {
                let facts = Facts::Agent {
                    agent: a.display_name().to_string(),
                    flag,
                };
                push(Rule::Agent(flag), &a.id, now, facts);
            }
        }
    }
    out
}

/// An alert in its episode.
#[derive(Clone, PartialEq, Debug)]
pub struct Open {
    /// As last found true (its facts follow the figures).
    pub alert: Alert,
    /// When the episode fired.
    pub fired_at: Ts,
    /// Since when the rule has been false (in the hold-down), if it is.
    pub false_since: Option<Ts>,
}

/// What an evaluation changed.
#[derive(Clone, PartialEq, Debug)]
pub enum Change {
    /// A new episode, at `at`.
    Fired { alert: Alert, at: Ts },
    /// The episode ended at `at` (the rule false for the whole hold-down).
    Cleared { alert: Alert, at: Ts },
}

impl Change {
    pub fn alert(&self) -> &Alert {
        match self {
            Change::Fired { alert, .. } | Change::Cleared { alert, .. } => alert,
        }
    }

    pub fn at(&self) -> Ts {
        match self {
            Change::Fired { at, .. } | Change::Cleared { at, .. } => *at,
        }
    }
}

/// The alerts in their episodes, from one evaluation to the next.
#[derive(Clone, Default, Debug)]
pub struct AlertBook {
    open: BTreeMap<String, Open>,
    /// Staffing gaps seen but not yet lasting long enough: queue id → since.
    gaps: HashMap<String, Ts>,
}

impl AlertBook {
    pub fn new() -> AlertBook {
        AlertBook::default()
    }

    /// Goes on from episodes recorded earlier (a restart): they are open and
    /// fire no second time while their rule holds.
    pub fn resume(open: impl IntoIterator<Item = (Alert, Ts)>) -> AlertBook {
        let mut book = AlertBook::new();
        for (alert, fired_at) in open {
            book.open.insert(
                alert.id(),
                Open {
                    alert,
                    fired_at,
                    false_since: None,
                },
            );
        }
        book
    }

    /// Evaluates the rules at `now` and returns what fired and what cleared
    /// (fires first, each list in id order).
    pub fn evaluate(&mut self, input: &AlertInput<'_>, rules: &AlertRules, now: Ts) -> Vec<Change> {
        let found = conditions(input, rules, now);
        self.apply(found, rules, now)
    }

    /// [`AlertBook::evaluate`] with the conditions already found.
    pub fn apply(&mut self, found: Vec<Alert>, rules: &AlertRules, now: Ts) -> Vec<Change> {
        let mut fired = Vec::new();
        let mut true_now: BTreeMap<String, Alert> = BTreeMap::new();
        let mut gaps_now: HashMap<String, Ts> = HashMap::new();
        let gap_nanos = i64::from(rules.staffing_gap_min.unwrap_or(0)) * 60 * NANOS_PER_SEC;
        for mut a in found {
            if a.rule == Rule::StaffingGap {
                let since = *self.gaps.get(&a.subject).unwrap_or(&now);
                gaps_now.insert(a.subject.clone(), since);
                a.since = since;
                if now.since(since) < gap_nanos {
                    continue;
                }
            }
            true_now.insert(a.id(), a);
        }
        self.gaps = gaps_now;
        for (id, a) in true_now.iter() {
            match self.open.get_mut(id) {
                Some(open) => {
                    // The episode goes on: the newest figures, the first since.
                    let since = open.alert.since.min(a.since);
                    open.alert = Alert { since, ..a.clone() };
                    open.false_since = None;
                }
                None => {
                    let since = a.since.min(now);
                    let alert = Alert { since, ..a.clone() };
                    self.open.insert(
                        id.clone(),
                        Open {
                            alert: alert.clone(),
                            fired_at: now,
                            false_since: None,
                        },
                    );
                    fired.push(Change::Fired { alert, at: now });
                }
            }
        }
        let hold = i64::from(rules.hold_down_s) * NANOS_PER_SEC;
        let mut cleared = Vec::new();
        self.open.retain(|id, open| {
            if true_now.contains_key(id) {
                return true;
            }
            let since = *open.false_since.get_or_insert(now);
            if now.since(since) >= hold {
                cleared.push(Change::Cleared {
                    alert: open.alert.clone(),
                    at: now,
                });
                false
            } else {
                true
            }
        });
        fired.extend(cleared);
        fired
    }

    /// The open episodes (those in their hold-down included), by id.
    pub fn open(&self) -> impl Iterator<Item = &Open> {
        self.open.values()
    }

    pub fn len(&self) -> usize {
        self.open.len()
    }

    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }
}

/// Open alerts, most severe first, then the oldest first.
pub fn sort_for_display(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.since.cmp(&b.since))
            .then_with(|| a.id().cmp(&b.id()))
    });
}

/// Counts by severity, in [`Severity::ALL`] order (critical, warn, info).
pub fn count_by_severity<'a>(alerts: impl IntoIterator<Item = &'a Alert>) -> [usize; 3] {
    let mut n = [0; 3];
    for a in alerts {
        let i = Severity::ALL
            .iter()
            .position(|s| *s == a.severity)
            .unwrap_or(0);
        n[i] += 1;
    }
    n
}

/// Who acknowledged an episode, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertAck {
    pub who: String,
    pub at: Ts,
}

/// One episode as the store keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertRecord {
    /// The episode's row id (what an acknowledgement names).
    pub episode: i64,
    /// `rule:subject`.
    pub alert_id: String,
    pub rule: String,
    pub subject: String,
    pub severity: String,
    pub since: Ts,
    pub fired_at: Ts,
    pub cleared_at: Option<Ts>,
    /// The message recorded with the fire, in the lead's language then.
    pub message: String,
    pub ack: Option<AlertAck>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Target;
    use crate::domain::snapshot::{AgentCounts, Basis, ForecastInterval, Staffing};
    use crate::domain::testkit::t;

    fn kpi(key: KpiKey, value: f64, n: f64, target: Target) -> KpiReport {
        KpiReport {
            key,
            value: Some(value),
            target: Some(target.target),
            gap: Some(target.gap(value)),
            status: Some(target.status(value)),
            n,
            direction: Some(target.direction),
            alert: target.alert,
            warn: Some(target.warn_threshold()),
        }
    }

    fn abandon(value: f64) -> KpiReport {
        let target = Target {
            target: 0.05,
            warn: None,
            alert: Some(0.10),
            direction: Direction::Lower,
        };
        kpi(KpiKey::AbandonRate, value, 100.0, target)
    }

    fn queue(id: &str, waiting: u32, longest: f64) -> QueueReport {
        QueueReport {
            id: id.into(),
            name: Some(format!("{id} name")),
            channel: None,
            waiting,
            longest_wait_s: longest,
            agents: AgentCounts::default(),
            offered: 0,
            answered: 0,
            abandoned: 0,
            service_level: None,
            abandon_rate: None,
            art_s: None,
            aht_s: None,
            sl_seconds: 20.0,
            arrivals_last_hour: 0,
            aht_last_hour_s: None,
            from_queue_stats: false,
            staffing: Staffing::default(),
            forecast: Vec::new(),
            today: Vec::new(),
            forecast_basis: Basis::LastHour,
        }
    }

    fn run(book: &mut AlertBook, kpis: &[KpiReport], rules: &AlertRules, now: Ts) -> Vec<String> {
        let input = AlertInput {
            kpis,
            queues: &[],
            sla: &[],
            feedback: &[],
            agents: &[],
        };
        book.evaluate(&input, rules, now)
            .iter()
            .map(|c| match c {
                Change::Fired { alert, .. } => format!("fire {}", alert.id()),
                Change::Cleared { alert, .. } => format!("clear {}", alert.id()),
            })
            .collect()
    }

    #[test]
    fn a_kpi_entering_alert_fires_once_and_clears_after_the_hold_down() {
        let rules = AlertRules::default(); // hold-down 120 s
        let mut book = AlertBook::new();
        // 0.08 is warn (above the 0.05 target), not alert: nothing.
        assert!(run(&mut book, &[abandon(0.08)], &rules, t("09:00:00")).is_empty());
        assert_eq!(
            run(&mut book, &[abandon(0.12)], &rules, t("09:00:10")),
            ["fire kpi_alert:abandon_rate"]
        );
        // Still in alert: no second fire.
        assert!(run(&mut book, &[abandon(0.15)], &rules, t("09:00:20")).is_empty());
        // Back below: held down for 120 s, still open.
        assert!(run(&mut book, &[abandon(0.09)], &rules, t("09:01:00")).is_empty());
        assert_eq!(book.len(), 1);
        assert!(run(&mut book, &[abandon(0.09)], &rules, t("09:02:59")).is_empty());
        // 120 s after it went false: cleared.
        assert_eq!(
            run(&mut book, &[abandon(0.09)], &rules, t("09:03:00")),
            ["clear kpi_alert:abandon_rate"]
        );
        assert!(book.is_empty());
        // True again after the clear: a second episode.
        assert_eq!(
            run(&mut book, &[abandon(0.11)], &rules, t("09:10:00")),
            ["fire kpi_alert:abandon_rate"]
        );
    }

    #[test]
    fn a_figure_flickering_around_its_threshold_fires_once() {
        let rules = AlertRules::default();
        let mut book = AlertBook::new();
        let mut fires = 0;
        let mut clears = 0;
        // Every 30 s the rate crosses 0.10 one way or the other for 10 minutes.
        for i in 0..20 {
            let v = if i % 2 == 0 { 0.101 } else { 0.099 };
            let now = t("09:00:00").add_secs(30 * i);
            for c in run(&mut book, &[abandon(v)], &rules, now) {
                if c.starts_with("fire") {
                    fires += 1;
                } else {
                    clears += 1;
                }
            }
        }
        assert_eq!((fires, clears), (1, 0));
        // With no hold-down every crossing is an episode: 10 fires, 10 clears
        // (the last value, 0.099 at i = 19, cleared the tenth).
        let rules = AlertRules {
            hold_down_s: 0,
            ..AlertRules::default()
        };
        let mut book = AlertBook::new();
        let mut all = Vec::new();
        for i in 0..20 {
            let v = if i % 2 == 0 { 0.101 } else { 0.099 };
            all.extend(run(
                &mut book,
                &[abandon(v)],
                &rules,
                t("09:00:00").add_secs(30 * i),
            ));
        }
        assert_eq!(all.iter().filter(|c| c.starts_with("fire")).count(), 10);
        assert_eq!(all.iter().filter(|c| c.starts_with("clear")).count(), 10);
    }

    #[test]
    fn warn_alerts_only_when_asked_and_small_samples_are_quiet() {
        let mut book = AlertBook::new();
        let warn_on = AlertRules {
            kpi_warn: true,
            ..AlertRules::default()
        };
        assert_eq!(
            run(&mut book, &[abandon(0.08)], &warn_on, t("09:00:00")),
            ["fire kpi_warn:abandon_rate"]
        );
        // Into alert: the alert fires; the warn episode is held down, then clears.
        assert_eq!(
            run(&mut book, &[abandon(0.2)], &warn_on, t("09:00:10")),
            ["fire kpi_alert:abandon_rate"]
        );
        assert_eq!(
            run(&mut book, &[abandon(0.2)], &warn_on, t("09:02:10")),
            ["clear kpi_warn:abandon_rate"]
        );
        // n below kpi_min_n (20): no alert however bad.
        let mut few = abandon(0.5);
        few.n = 19.0;
        let mut book = AlertBook::new();
        assert!(run(&mut book, &[few], &AlertRules::default(), t("09:00:00")).is_empty());
    }

    #[test]
    fn queues_sla_feedback_and_agents() {
        let now = t("10:00:00");
        let queues = [queue("q1", 11, 200.0), queue("q2", 10, 180.0)];
        let sla = [
            SlaTimer {
                contact: "c1".into(),
                priority: "urgent".into(),
                due_at: t("10:04:00"),
                remaining_s: 240.0,
                breached: false,
                owes: "first_response",
                queue: None,
                customer: None,
                agent: None,
            },
            SlaTimer {
                contact: "c2".into(),
                priority: "high".into(),
                due_at: t("09:58:00"),
                remaining_s: -120.0,
                breached: true,
                owes: "first_response",
                queue: None,
                customer: None,
                agent: None,
            },
            // Not watched by default.
            SlaTimer {
                contact: "c3".into(),
                priority: "low".into(),
                due_at: t("09:00:00"),
                remaining_s: -3600.0,
                breached: true,
                owes: "first_response",
                queue: None,
                customer: None,
                agent: None,
            },
            // Due in 6 minutes: not yet.
            SlaTimer {
                contact: "c4".into(),
                priority: "urgent".into(),
                due_at: t("10:06:00"),
                remaining_s: 360.0,
                breached: false,
                owes: "first_response",
                queue: None,
                customer: None,
                agent: None,
            },
        ];
        let feedback = [
            FeedbackReport {
                id: "f1".into(),
                due_at: Some(t("08:00:00")),
                overdue: true,
                ..FeedbackReport::default()
            },
            FeedbackReport {
                id: "f2".into(),
                due_at: Some(t("18:00:00")),
                overdue: false,
                ..FeedbackReport::default()
            },
        ];
        let input = AlertInput {
            kpis: &[],
            queues: &queues,
            sla: &sla,
            feedback: &feedback,
            agents: &[],
        };
        let found = conditions(&input, &AlertRules::default(), now);
        let ids: Vec<(String, Severity, Ts)> = found
            .iter()
            .map(|a| (a.id(), a.severity, a.since))
            .collect();
        assert_eq!(
            ids,
            [
                ("queue_waiting:q1".to_string(), Severity::Warn, now),
                // 200 s waited, limit 180 s: passed it 20 s ago.
                (
                    "queue_longest_wait:q1".to_string(),
                    Severity::Critical,
                    t("09:59:40")
                ),
                // Due 10:04, 5 minutes ahead: true since 09:59.
                ("sla_due_soon:c1".to_string(), Severity::Warn, t("09:59:00")),
                (
                    "sla_breached:c2".to_string(),
                    Severity::Critical,
                    t("09:58:00")
                ),
                (
                    "feedback_overdue:f1".to_string(),
                    Severity::Warn,
                    t("08:00:00")
                ),
            ]
        );
        // Turned off: nothing at all.
        let off = AlertRules {
            enabled: false,
            ..AlertRules::default()
        };
        assert!(conditions(&input, &off, now).is_empty());
    }

    #[test]
    fn a_staffing_gap_fires_only_after_lasting_its_minutes() {
        let rules = AlertRules {
            staffing_gap_min: Some(15),
            ..AlertRules::default()
        };
        let mut short = queue("q1", 0, 0.0);
        short.staffing.agents_needed = Some(5);
        short.staffing.agents_staffed = 3;
        let mut ok = short.clone();
        ok.staffing.agents_staffed = 5;
        let eval = |book: &mut AlertBook, q: &QueueReport, now: Ts| {
            let qs = [q.clone()];
            let input = AlertInput {
                kpis: &[],
                queues: &qs,
                sla: &[],
                feedback: &[],
                agents: &[],
            };
            book.evaluate(&input, &rules, now)
        };
        let mut book = AlertBook::new();
        assert!(eval(&mut book, &short, t("09:00:00")).is_empty());
        assert!(eval(&mut book, &short, t("09:14:59")).is_empty());
        let c = eval(&mut book, &short, t("09:15:00"));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].alert().id(), "staffing_gap:q1");
        assert_eq!(c[0].alert().since, t("09:00:00"));
        // A gap that closes resets the count.
        let mut book = AlertBook::new();
        eval(&mut book, &short, t("09:00:00"));
        eval(&mut book, &ok, t("09:10:00"));
        assert!(eval(&mut book, &short, t("09:20:00")).is_empty());
        assert!(eval(&mut book, &short, t("09:34:59")).is_empty());
        assert_eq!(eval(&mut book, &short, t("09:35:00")).len(), 1);
    }

    fn interval(from: &str, needed: Option<u32>, staffed: u32) -> ForecastInterval {
        ForecastInterval {
            from: t(from),
            offered: 10.0,
            aht_s: Some(300.0),
            agents_needed: needed,
            agents_scheduled: None,
            to: t(from).add_nanos(30 * 60 * NANOS_PER_SEC),
            arrived: 0,
            staffed,
        }
    }

    #[test]
    fn a_short_interval_ahead_warns_within_its_minutes() {
        let rules = AlertRules {
            staffing_ahead_min: Some(30),
            staffing_gap_min: None,
            ..AlertRules::default()
        };
        let mut q = queue("q1", 0, 0.0);
        // The interval holding now (09:00) is short but is the live gap's;
        // 09:30 is fine; 10:00 is 2 short.
        q.forecast = vec![
            interval("09:00:00", Some(9), 3),
            interval("09:30:00", Some(4), 4),
            interval("10:00:00", Some(7), 5),
            interval("10:30:00", None, 5),
        ];
        let found = |now: &str, q: &QueueReport| {
            let qs = [q.clone()];
            let input = AlertInput {
                kpis: &[],
                queues: &qs,
                sla: &[],
                feedback: &[],
                agents: &[],
            };
            conditions(&input, &rules, t(now))
        };
        // 10:00 is 31 minutes after 09:29: not yet.
        assert!(found("09:29:00", &q).is_empty());
        let a = found("09:30:00", &q);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].id(), "staffing_ahead:q1");
        assert_eq!(a[0].severity, Severity::Warn);
        assert_eq!(
            a[0].facts,
            Facts::StaffingAhead {
                queue: "q1 name".into(),
                needed: 7,
                staffed: 5,
                in_min: 30,
            }
        );
        let a = found("09:40:30", &q);
        let Facts::StaffingAhead { in_min, .. } = a[0].facts else {
            panic!("{a:?}");
        };
        assert_eq!(in_min, 20, "19.5 min left reads as 20");
        // Once 10:00 holds now, the forecast rule no longer speaks of it.
        assert!(found("10:05:00", &q).is_empty());
        // Enough agents counted on: nothing.
        q.forecast[2].staffed = 7;
        assert!(found("09:45:00", &q).is_empty());
        // Turned off.
        q.forecast[2].staffed = 5;
        let off = AlertRules {
            staffing_ahead_min: None,
            ..rules.clone()
        };
        let qs = [q.clone()];
        let input = AlertInput {
            kpis: &[],
            queues: &qs,
            sla: &[],
            feedback: &[],
            agents: &[],
        };
        assert!(conditions(&input, &off, t("09:45:00")).is_empty());
    }

    #[test]
    fn resumed_episodes_do_not_fire_again() {
        let rules = AlertRules::default();
        let first = AlertBook::new()
            .evaluate(
                &AlertInput {
                    kpis: &[abandon(0.2)],
                    queues: &[],
                    sla: &[],
                    feedback: &[],
                    agents: &[],
                },
                &rules,
                t("09:00:00"),
            )
            .remove(0);
        let mut book = AlertBook::resume([(first.alert().clone(), t("09:00:00"))]);
        assert!(run(&mut book, &[abandon(0.2)], &rules, t("09:05:00")).is_empty());
        assert_eq!(
            run(&mut book, &[], &rules, t("09:07:00")),
            Vec::<String>::new()
        );
        assert_eq!(
            run(&mut book, &[], &rules, t("09:09:00")),
            ["clear kpi_alert:abandon_rate"]
        );
    }

    #[test]
    fn names_read_back_and_counts_by_severity() {
        for r in Rule::all() {
            assert_eq!(Rule::from_name(r.name()), Some(r));
        }
        assert_eq!(Rule::from_name("nope"), None);
        for s in Severity::ALL {
            assert_eq!(Severity::from_name(s.as_str()), Some(s));
        }
        let a = |rule: Rule| Alert {
            rule,
            subject: "x".into(),
            severity: rule.severity(),
            since: t("09:00:00"),
            facts: Facts::Recorded {
                message: String::new(),
            },
        };
        let list = [
            a(Rule::SlaBreached),
            a(Rule::KpiAlert),
            a(Rule::QueueWaiting),
            a(Rule::Agent(AgentFlag::BreakOver)),
        ];
        assert_eq!(count_by_severity(&list), [2, 1, 1]);
        let obj = serde_json::to_value(list[0].object("m".into())).unwrap();
        assert_eq!(
            obj,
            serde_json::json!({"id": "sla_breached:x", "rule": "sla_breached", "subject": "x",
                "severity": "critical", "since": "2026-11-22T09:00:00Z", "message": "m"})
        );
    }
}
