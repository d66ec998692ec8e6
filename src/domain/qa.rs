//! Spot-check quality KPIs from the lead's stored scorecards (pure: the
//! caller reads the store and passes the scores in).
//!
//! Decisions where the guides are silent (also in docs/store.md):
//! - `qa_coverage` = Σ over agents of min(checked, required) ÷ Σ required,
//!   so extra checks of one agent never hide another left unchecked;
//!   n = Σ required. No value when nothing is required.
//! - `critical_accuracy_<kind>` = checked contacts without that error ÷
//!   checked contacts of the day, random and targeted alike (every scored
//!   contact counts once, its newest score); n = checked.
//! - No targets are configured for these yet, so they carry none.
//!
//! # The critical-error rule (one place: [`ScoreTotal`])
//! A scorecard with any critical error (customer, business or compliance)
//! scores zero, whatever its dimensions add up to: COPC practice, so that a
//! `14/20` with two critical errors never reads as a decent contact. The
//! raw sum is kept beside it (`0/20 (void: 2 critical errors, raw 14/20)`).
//! The spec (section 5) defines the scorecard and the critical-error
//! accuracy, not how an error weighs on the total; section 8's `qa_avg`
//! ("mean scorecard total out of 20") averages these voided totals.
//! Every place that shows, averages or exports a total reads it from
//! [`ScoreTotal::scored`]: the spot-check list, the form, the coaching
//! view, the agents' `qa_avg` (and so the `qa_low` flag and its alert),
//! `export spot-checks` and the CRM write-back.

use std::collections::HashMap;

use serde::Serialize;

use super::snapshot::{AgentCoverage, SpotCheckItem};

/// What the KPIs need of one scored contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QaScore {
    pub contact: String,
    pub agent: String,
    /// customer, business, compliance: `true` = the error was found.
    pub critical: [bool; 3],
}

/// A scorecard's total under the critical-error rule: the raw sum of the
/// dimension scores, the best possible total and how many critical errors
/// were found. [`ScoreTotal::scored`] is the total that counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScoreTotal {
    /// The dimension scores added up.
    pub raw: u32,
    /// `dimensions × scale_max` (4 dimensions on 1–5: 20).
    pub max: u32,
    /// Critical errors found (0 to 3).
    pub critical: u32,
}

impl ScoreTotal {
    pub fn new(
        scores: impl IntoIterator<Item = u8>,
        dimensions: usize,
        scale_max: u8,
        critical: [bool; 3],
    ) -> ScoreTotal {
        let (raw, max) = scorecard_total(scores, dimensions, scale_max);
        ScoreTotal {
            raw,
            max,
            critical: critical.iter().map(|&c| u32::from(c)).sum(),
        }
    }

    /// A critical error voids the item (COPC): it scores zero.
    pub fn voided(&self) -> bool {
        self.critical > 0
    }

    /// The total that counts: 0 when voided, else the raw sum.
    pub fn scored(&self) -> u32 {
        if self.voided() { 0 } else { self.raw }
    }

    /// The counted total on a 20-point scale (for averages across
    /// scorecards of other scales); `None` when the best total is 0.
    pub fn out_of_20(&self) -> Option<f64> {
        (self.max > 0).then(|| f64::from(self.scored()) * 20.0 / f64::from(self.max))
    }
}

/// A scorecard's raw sum and the best possible total: the dimension scores
/// added up, out of `dimensions × scale_max` (4 dimensions on 1–5: 20).
/// The total that counts is [`ScoreTotal::scored`].
pub fn scorecard_total(
    scores: impl IntoIterator<Item = u8>,
    dimensions: usize,
    scale_max: u8,
) -> (u32, u32) {
    let sum = scores.into_iter().map(u32::from).sum();
    let best = u32::try_from(dimensions).unwrap_or(u32::MAX) * u32::from(scale_max);
    (sum, best)
}

/// How far a list is scored: `done` of `of`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub of: u64,
}

impl Progress {
    fn count(&mut self, scored: bool) {
        self.of += 1;
        self.done += u64::from(scored);
    }
}

/// The spot-check lists' progress: per list and per agent (random,
/// targeted), "done X of Y" where done = listed contacts with a stored
/// scorecard. Pure: `scored` says whether a contact has one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpotProgress {
    pub random: Progress,
    pub targeted: Progress,
    /// Per agent id: `[random, targeted]`.
    pub by_agent: HashMap<String, [Progress; 2]>,
}

pub fn spot_progress<'a>(
    random: impl IntoIterator<Item = &'a SpotCheckItem>,
    targeted: impl IntoIterator<Item = &'a SpotCheckItem>,
    scored: impl Fn(&str) -> bool,
) -> SpotProgress {
    let mut out = SpotProgress::default();
    for (k, list) in [
        random.into_iter().collect::<Vec<_>>(),
        targeted.into_iter().collect(),
    ]
    .into_iter()
    .enumerate()
    {
        for item in list {
            let done = scored(&item.contact);
            if k == 0 {
                out.random.count(done);
            } else {
                out.targeted.count(done);
            }
            out.by_agent.entry(item.agent.clone()).or_default()[k].count(done);
        }
    }
    out
}

/// The lead's progress against `[spot_check] daily_quota`: of the day's
/// scorecards (newest per contact, given by their authors), those this
/// lead (`author`) saved, of the quota; `None` without a quota (0).
pub fn quota_progress<'a>(
    authors: impl IntoIterator<Item = &'a str>,
    author: &str,
    quota: u32,
) -> Option<Progress> {
    (quota > 0).then(|| Progress {
        done: authors.into_iter().filter(|a| *a == author).count() as u64,
        of: u64::from(quota),
    })
}

/// The three critical-error kinds, in `QaScore::critical` order.
pub const CRITICAL_KINDS: [&str; 3] = ["customer", "business", "compliance"];

/// A QA KPI as printed in the snapshot's `kpis` map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QaKpi {
    #[serde(skip)]
    pub key: &'static str,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub gap: Option<f64>,
    pub status: Option<&'static str>,
    pub n: f64,
}

/// Checked contacts per agent (each contact once).
pub fn checked_per_agent(scores: &[QaScore]) -> HashMap<&str, u64> {
    let mut seen = std::collections::HashSet::new();
    let mut out: HashMap<&str, u64> = HashMap::new();
    for s in scores {
        if seen.insert(s.contact.as_str()) {
            *out.entry(s.agent.as_str()).or_default() += 1;
        }
    }
    out
}

/// `qa_coverage`, then `critical_accuracy_customer|business|compliance`.
pub fn qa_kpis(coverage: &[AgentCoverage], scores: &[QaScore]) -> Vec<QaKpi> {
    let checked = checked_per_agent(scores);
    let required: u64 = coverage.iter().map(|c| c.required).sum();
    let covered: u64 = coverage
        .iter()
        .map(|c| {
            checked
                .get(c.agent.as_str())
                .copied()
                .unwrap_or(0)
                .min(c.required)
        })
        .sum();
    let ratio = |num: u64, den: u64| (den > 0).then(|| num as f64 / den as f64);
    let mut out = vec![QaKpi {
        key: "qa_coverage",
        value: ratio(covered, required),
        target: None,
        gap: None,
        status: None,
        n: required as f64,
    }];
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<&QaScore> = scores
        .iter()
        .filter(|s| seen.insert(s.contact.as_str()))
        .collect();
    let total = unique.len() as u64;
    for (i, key) in [
        "critical_accuracy_customer",
        "critical_accuracy_business",
        "critical_accuracy_compliance",
    ]
    .into_iter()
    .enumerate()
    {
        let clean = unique.iter().filter(|s| !s.critical[i]).count() as u64;
        out.push(QaKpi {
            key,
            value: ratio(clean, total),
            target: None,
            gap: None,
            status: None,
            n: total as f64,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::pick;

    fn cov(agent: &str, required: u64) -> AgentCoverage {
        AgentCoverage {
            agent: agent.into(),
            handled: required * 10,
            required,
            sampled: required,
        }
    }

    fn score(contact: &str, agent: &str, critical: [bool; 3]) -> QaScore {
        QaScore {
            contact: contact.into(),
            agent: agent.into(),
            critical,
        }
    }

    #[test]
    fn coverage_caps_each_agent_and_accuracy_counts_clean_contacts() {
        // a needs 2, has 3 checked (capped at 2); b needs 2, has 1: 3 / 4.
        let scores = [
            score("c1", "a", [false; 3]),
            score("c2", "a", [true, false, false]),
            score("c3", "a", [false, false, true]),
            score("c4", "b", [true, false, false]),
        ];
        let k = qa_kpis(&[cov("a", 2), cov("b", 2)], &scores);
        assert_eq!(k[0].key, "qa_coverage");
        assert_eq!((k[0].value, k[0].n), (Some(0.75), 4.0));
        // 4 checked: customer errors on 2 → 2/4; business none → 4/4; compliance 1 → 3/4.
        assert_eq!((k[1].value, k[1].n), (Some(0.5), 4.0));
        assert_eq!(k[2].value, Some(1.0));
        assert_eq!(k[3].value, Some(0.75));
    }

    #[test]
    fn nothing_checked_or_required_has_no_value() {
        let k = qa_kpis(&[], &[]);
        assert!(k.iter().all(|k| k.value.is_none() && k.n == 0.0));
    }

    #[test]
    fn the_guides_scorecard_example_is_17_of_20() {
        // responsiveness 5, attitude 3, expertise 5, resolution 4
        assert_eq!(scorecard_total([5, 3, 5, 4], 4, 5), (17, 20));
        assert_eq!(scorecard_total([], 4, 5), (0, 20));
    }

    #[test]
    fn progress_counts_scored_contacts_per_list_and_per_agent() {
        // Random: r1 a, r2 a, r3 b; targeted: t1 a, t2 b, t3 b.
        // Scored: r1, r3, t2, and x (not listed, ignored).
        let random = [pick("r1", "a"), pick("r2", "a"), pick("r3", "b")];
        let targeted = [pick("t1", "a"), pick("t2", "b"), pick("t3", "b")];
        let scored = ["r1", "r3", "t2", "x"];
        let p = spot_progress(&random, &targeted, |c| scored.contains(&c));
        assert_eq!(p.random, Progress { done: 2, of: 3 });
        assert_eq!(p.targeted, Progress { done: 1, of: 3 });
        // a: random r1 of r1, r2 → 1/2; targeted t1 → 0/1.
        assert_eq!(
            p.by_agent["a"],
            [Progress { done: 1, of: 2 }, Progress { done: 0, of: 1 }]
        );
        // b: random r3 → 1/1; targeted t2 of t2, t3 → 1/2.
        assert_eq!(
            p.by_agent["b"],
            [Progress { done: 1, of: 1 }, Progress { done: 1, of: 2 }]
        );
        let none = spot_progress(&[], &[], |_| true);
        assert_eq!((none.random, none.by_agent.len()), (Progress::default(), 0));
    }

    #[test]
    fn the_quota_counts_this_leads_scores_only() {
        // The day's scorecards c1, c2, c3 by lee, kim, lee.
        let scores = ["lee", "kim", "lee"];
        // lee saved 2 of a quota of 40; kim 1; nobody else 0.
        assert_eq!(
            quota_progress(scores, "lee", 40),
            Some(Progress { done: 2, of: 40 })
        );
        assert_eq!(
            quota_progress(scores, "kim", 40),
            Some(Progress { done: 1, of: 40 })
        );
        assert_eq!(
            quota_progress(scores, "wang", 5),
            Some(Progress { done: 0, of: 5 })
        );
        // No quota configured: nothing to show.
        assert_eq!(quota_progress(scores, "lee", 0), None);
    }

    #[test]
    fn a_critical_error_voids_the_total_and_keeps_the_raw_sum() {
        // 4 + 5 + 3 + 2 = 14 of 20; no error: 14 counts, 14 × 20 / 20 = 14.0.
        let clean = ScoreTotal::new([4, 5, 3, 2], 4, 5, [false; 3]);
        assert_eq!((clean.raw, clean.max, clean.critical), (14, 20, 0));
        assert_eq!((clean.voided(), clean.scored()), (false, 14));
        assert_eq!(clean.out_of_20(), Some(14.0));
        // Two errors (customer, compliance): the item scores 0, raw 14 kept.
        let void = ScoreTotal::new([4, 5, 3, 2], 4, 5, [true, false, true]);
        assert_eq!((void.raw, void.critical), (14, 2));
        assert_eq!((void.voided(), void.scored()), (true, 0));
        assert_eq!(void.out_of_20(), Some(0.0));
        // A perfect card with one business error is still void.
        let one = ScoreTotal::new([5, 5, 5, 5], 4, 5, [false, true, false]);
        assert_eq!((one.scored(), one.raw, one.critical), (0, 20, 1));
        // On a 1–10 scale of 3 dimensions: 7 + 8 + 9 = 24 of 30 → 16.0 of 20.
        let ten = ScoreTotal::new([7, 8, 9], 3, 10, [false; 3]);
        assert_eq!((ten.scored(), ten.max), (24, 30));
        assert_eq!(ten.out_of_20(), Some(16.0));
        // No dimensions: no best total, no figure out of 20.
        assert_eq!(ScoreTotal::new([], 0, 5, [false; 3]).out_of_20(), None);
    }
}
