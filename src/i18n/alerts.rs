//! Alerts in the lead's language: an alert's message from its typed facts
//! (`domain::alerts::Facts`), severities, and the words of a clear.

use std::time::Duration;

use super::status::wait_text;
use super::{Lang, Localize, Msg, feed_value, kpi_long, t, tf};
use crate::domain::KpiKey;
use crate::domain::alerts::{Alert, AlertObject, Facts, Rule, Severity};
use crate::domain::snapshot::AgentFlag;

/// A KPI value in its unit: rates as percentages, seconds with `s`, NPS
/// and counts as numbers.
pub fn kpi_value(lang: Lang, key: KpiKey, v: f64) -> String {
    if key.is_rate() {
        format!("{:.1}%", v * 100.0)
    } else if matches!(key, KpiKey::AhtS | KpiKey::ArtS) {
        tf(lang, Msg::UnitSeconds, &[&format!("{v:.0}")])
    } else {
        format!("{v:.1}")
    }
}

fn wait(lang: Lang, secs: f64) -> String {
    wait_text(lang, Duration::from_secs_f64(secs.max(0.0)))
}

/// An agent flag as the lead reads it.
pub fn agent_flag(lang: Lang, f: AgentFlag) -> &'static str {
    t(
        lang,
        match f {
            AgentFlag::BreakOver => Msg::AgFlagBreakOver,
            AgentFlag::AhtOver => Msg::AgFlagAhtOver,
            AgentFlag::FcrUnder => Msg::AgFlagFcrUnder,
            AgentFlag::CsatUnder => Msg::AgFlagCsatUnder,
            AgentFlag::CriticalError => Msg::AgFlagCriticalError,
            AgentFlag::QaLow => Msg::AgFlagQaLow,
        },
    )
}

/// A severity's word.
pub fn severity(lang: Lang, s: Severity) -> &'static str {
    t(
        lang,
        match s {
            Severity::Critical => Msg::SevCritical,
            Severity::Warn => Msg::SevWarn,
            Severity::Info => Msg::SevInfo,
        },
    )
}

impl Localize for Facts {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Facts::Kpi {
                key,
                value,
                threshold,
                ..
            } => tf(
                lang,
                Msg::AlertKpiAlert,
                &[
                    &kpi_long(lang, *key),
                    &kpi_value(lang, *key, *value),
                    &kpi_value(lang, *key, *threshold),
                ],
            ),
            Facts::QueueWaiting {
                queue,
                waiting,
                limit,
            } => tf(lang, Msg::AlertQueueWaiting, &[queue, waiting, limit]),
            Facts::QueueLongestWait {
                queue,
                wait_s,
                limit_s,
            } => tf(
                lang,
                Msg::AlertQueueLongestWait,
                &[
                    queue,
                    &wait(lang, *wait_s),
                    &wait(lang, f64::from(*limit_s)),
                ],
            ),
            Facts::SlaDueSoon {
                contact,
                priority,
                remaining_s,
            } => tf(
                lang,
                Msg::AlertSlaDueSoon,
                &[
                    &feed_value(lang, priority),
                    contact,
                    &wait(lang, *remaining_s),
                ],
            ),
            Facts::SlaBreached {
                contact,
                priority,
                late_s,
            } => tf(
                lang,
                Msg::AlertSlaBreached,
                &[&feed_value(lang, priority), contact, &wait(lang, *late_s)],
            ),
            Facts::FeedbackOverdue { item, owner, .. } => match owner {
                Some(o) => tf(lang, Msg::AlertFeedbackOverdue, &[item, o]),
                None => tf(lang, Msg::AlertFeedbackOverdueNoOwner, &[item]),
            },
            Facts::StaffingGap {
                queue,
                needed,
                staffed,
                minutes,
            } => tf(
                lang,
                Msg::AlertStaffingGap,
                &[queue, needed, staffed, minutes],
            ),
            Facts::StaffingAhead {
                queue,
                needed,
                staffed,
                in_min,
            } => tf(
                lang,
                Msg::AlertStaffingAhead,
                &[queue, &(needed - staffed), in_min, needed, staffed],
            ),
            Facts::Agent { agent, flag } => {
                tf(lang, Msg::AlertAgent, &[agent, &agent_flag(lang, *flag)])
            }
            Facts::Recorded { message } => message.clone(),
        }
    }
}

impl Localize for Alert {
    fn localize(&self, lang: Lang) -> String {
        match (&self.facts, self.rule) {
            // The same figures, warn's words.
            (
                Facts::Kpi {
                    key,
                    value,
                    threshold,
                    ..
                },
                Rule::KpiWarn,
            ) => tf(
                lang,
                Msg::AlertKpiWarn,
                &[
                    &kpi_long(lang, *key),
                    &kpi_value(lang, *key, *value),
                    &kpi_value(lang, *key, *threshold),
                ],
            ),
            (facts, _) => facts.localize(lang),
        }
    }
}

/// The alert object (spec section 10) with its message in `lang`.
pub fn object(alert: &Alert, lang: Lang) -> AlertObject {
    alert.object(alert.localize(lang))
}

/// The object a clear is delivered as: the message says the clear.
pub fn cleared_object(alert: &Alert, lang: Lang) -> AlertObject {
    alert.object(tf(lang, Msg::AlertCleared, &[&alert.localize(lang)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Direction;
    use crate::domain::testkit::t as at;

    fn alert(rule: Rule, facts: Facts) -> Alert {
        Alert {
            rule,
            subject: "s".into(),
            severity: rule.severity(),
            since: at("09:00:00"),
            facts,
        }
    }

    #[test]
    fn messages_in_both_languages() {
        let kpi = alert(
            Rule::KpiAlert,
            Facts::Kpi {
                key: KpiKey::AbandonRate,
                value: 0.125,
                threshold: 0.1,
                direction: Direction::Lower,
            },
        );
        assert_eq!(
            kpi.localize(Lang::En),
            "Abandon rate 12.5% in alert (threshold 10.0%)"
        );
        assert_eq!(
            kpi.localize(Lang::Zh),
            "放弃率 12.5%，已进入告警（阈值 10.0%）"
        );
        let warn = Alert {
            rule: Rule::KpiWarn,
            ..kpi.clone()
        };
        assert_eq!(
            warn.localize(Lang::Zh),
            "放弃率 12.5%，已进入预警（阈值 10.0%）"
        );
        let sla = alert(
            Rule::SlaDueSoon,
            Facts::SlaDueSoon {
                contact: "c-9".into(),
                priority: "urgent".into(),
                remaining_s: 240.0,
            },
        );
        assert_eq!(
            sla.localize(Lang::En),
            "urgent contact c-9: SLA due in 4 min"
        );
        assert_eq!(sla.localize(Lang::Zh), "紧急会话 c-9：SLA 剩余 4 分钟");
        let wait = alert(
            Rule::QueueLongestWait,
            Facts::QueueLongestWait {
                queue: "售后热线".into(),
                wait_s: 200.0,
                limit_s: 180,
            },
        );
        assert_eq!(
            wait.localize(Lang::Zh),
            "队列 售后热线：最长等待 3 分钟（上限 3 分钟）"
        );
        let gap = alert(
            Rule::StaffingGap,
            Facts::StaffingGap {
                queue: "q".into(),
                needed: 7,
                staffed: 5,
                minutes: 15,
            },
        );
        assert_eq!(
            gap.localize(Lang::En),
            "queue q: 7 agents needed, 5 staffed, for 15 min or more"
        );
        let ahead = alert(
            Rule::StaffingAhead,
            Facts::StaffingAhead {
                queue: "Billing".into(),
                needed: 7,
                staffed: 5,
                in_min: 20,
            },
        );
        assert_eq!(
            ahead.localize(Lang::En),
            "queue Billing: 2 agents short in 20 min (forecast needs 7, counts on 5)"
        );
        assert_eq!(
            ahead.localize(Lang::Zh),
            "队列 Billing：将缺 2 名坐席，20 分钟后开始（预测需要 7 名，可用 5 名）"
        );
        let agent = alert(
            Rule::Agent(AgentFlag::BreakOver),
            Facts::Agent {
                agent: "王芳".into(),
                flag: AgentFlag::BreakOver,
            },
        );
        assert_eq!(agent.localize(Lang::Zh), "坐席 王芳：休息超时");
        let fb = alert(
            Rule::FeedbackOverdue,
            Facts::FeedbackOverdue {
                item: "fb-1".into(),
                owner: None,
                due_at: at("08:00:00"),
            },
        );
        assert_eq!(fb.localize(Lang::En), "feedback fb-1 overdue (no owner)");
        assert_eq!(
            cleared_object(&fb, Lang::Zh).message,
            "已解除：客诉反馈 fb-1 已逾期（无负责人）"
        );
        assert_eq!(object(&fb, Lang::En).id, "feedback_overdue:s");
    }
}
