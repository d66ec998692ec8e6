//! Spot-check sampling (spec section 5): reproducibility, per-agent minimums,
//! stability through the day, uniformity, and independence from the flags.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use shiftdeck::domain::sampling::{required_checks, sample_key, spot_check};
use shiftdeck::domain::testkit::handled;
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::domain::{Contact, Floor, Record, Settings, SpotCheckReport, Survey, Ts};

fn ts(s: &str) -> Ts {
    parse_rfc3339(s).expect("test timestamp")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn now() -> Ts {
    ts("2026-11-22T20:00:00+08:00")
}

fn settings(seed: u64) -> Settings {
    let mut s = Settings::defaults_in(chrono_tz::Asia::Shanghai);
    s.spot_check.seed = seed;
    s
}

/// Builds a floor of the day's contacts through `Floor::apply`, as a feed would.
#[derive(Default)]
struct Day {
    floor: Floor,
    count: u32,
}

impl Day {
    /// A plain handled contact of `agent` (None = no agent), ended at 08:00
    /// local plus `count` minutes, so that ids and end times rise together.
    fn handled(&mut self, id: &str, agent: Option<&str>) -> Contact {
        let end = ts("2026-11-22T08:00:00+08:00").add_secs(60 * i64::from(self.count));
        self.count += 1;
        Contact {
            agent: agent.map(|a| self.floor.names.intern(a)),
            ..handled(id, end)
        }
    }

    fn add(&mut self, c: Contact) {
        self.floor.apply(Record::Contact(c));
    }

    /// `n` plain contacts of `agent`, ids `{agent}-{i}` from `from`.
    fn add_many(&mut self, agent: &str, from: usize, n: usize) {
        for i in from..from + n {
            let c = self.handled(&format!("{agent}-{i}"), Some(agent));
            self.add(c);
        }
    }
}

fn random_ids(r: &SpotCheckReport) -> BTreeSet<String> {
    r.random.iter().map(|i| i.contact.clone()).collect()
}

fn per_agent(r: &SpotCheckReport) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for i in &r.random {
        *m.entry(i.agent.clone()).or_default() += 1;
    }
    m
}

#[test]
fn same_seed_and_day_give_the_same_list_and_another_seed_another() {
    let mut d = Day::default();
    for a in ["ana", "bo", "chen"] {
        d.add_many(a, 0, 40);
    }
    let a = spot_check(&d.floor, &settings(7), day(), now(), &[]);
    let b = spot_check(&d.floor, &settings(7), day(), now(), &[]);
    assert_eq!(a, b);
    assert_eq!(a.seed, 7);
    assert_eq!(a.date, day());
    let other = spot_check(&d.floor, &settings(8), day(), now(), &[]);
    assert_ne!(random_ids(&a), random_ids(&other));
    // The day is part of the key too.
    let next = day().succ_opt().expect("date");
    let moved = (0..40)
        .filter(|i| {
            let id = format!("ana-{i}");
            sample_key(7, day(), &id) != sample_key(7, next, &id)
        })
        .count();
    assert_eq!(moved, 40);
}

#[test]
fn every_agent_gets_at_least_ceil_rate_n() {
    let sizes = [("a1", 1), ("a9", 9), ("a10", 10), ("a11", 11), ("a95", 95)];
    // ceil(0.1 · n) by hand.
    let want = [("a1", 1), ("a9", 1), ("a10", 1), ("a11", 2), ("a95", 10)];
    let mut d = Day::default();
    for (agent, n) in sizes {
        d.add_many(agent, 0, n);
    }
    for seed in 0..200 {
        let r = spot_check(&d.floor, &settings(seed), day(), now(), &[]);
        let counts = per_agent(&r);
        for ((agent, n), (_, required)) in sizes.iter().zip(want) {
            let cov = r
                .coverage
                .iter()
                .find(|c| c.agent == *agent)
                .expect("coverage row");
            assert_eq!(cov.handled, *n as u64);
            assert_eq!(cov.required, required);
            assert_eq!(required_checks(0.10, *n as u64), required);
            let listed = counts.get(*agent).copied().unwrap_or(0);
            assert_eq!(cov.sampled, listed as u64);
            assert!(
                listed >= required as usize,
                "seed {seed}: {agent} has {listed}"
            );

            // The sample is exactly the K smallest keys, K = max(#{u < rate}, required).
            let mut keyed: Vec<(f64, String)> = (0..*n)
                .map(|i| {
                    let id = format!("{agent}-{i}");
                    (sample_key(seed, day(), &id), id)
                })
                .collect();
            keyed.sort_by(|x, y| x.partial_cmp(y).expect("keys are numbers"));
            let bernoulli = keyed.iter().filter(|(u, _)| *u < 0.10).count();
            let k = bernoulli.max(required as usize);
            let expected: BTreeSet<String> = keyed.into_iter().take(k).map(|(_, id)| id).collect();
            let got: BTreeSet<String> = r
                .random
                .iter()
                .filter(|i| i.agent == *agent)
                .map(|i| i.contact.clone())
                .collect();
            assert_eq!(got, expected, "seed {seed}, agent {agent}");
        }
    }
}

#[test]
fn items_stay_listed_as_the_day_goes_on() {
    let mut lost_without_memory = 0;
    for seed in 0..300 {
        let mut d = Day::default();
        d.add_many("ana", 0, 12);
        d.add_many("bo", 0, 5);
        let morning = spot_check(&d.floor, &settings(seed), day(), now(), &[]);
        let morning_ids: Vec<String> = morning.random.iter().map(|i| i.contact.clone()).collect();

        d.add_many("ana", 12, 30);
        d.add_many("bo", 5, 9);
        let kept = spot_check(&d.floor, &settings(seed), day(), now(), &morning_ids);
        let kept_ids = random_ids(&kept);
        for id in &morning_ids {
            assert!(kept_ids.contains(id), "seed {seed}: {id} dropped");
        }
        for cov in &kept.coverage {
            assert!(cov.sampled >= cov.required);
        }

        // Without the caller's memory the Bernoulli part (u < rate) survives anyway.
        let fresh = random_ids(&spot_check(&d.floor, &settings(seed), day(), now(), &[]));
        for id in &morning_ids {
            if sample_key(seed, day(), id) < 0.10 {
                assert!(
                    fresh.contains(id),
                    "seed {seed}: Bernoulli pick {id} dropped"
                );
            } else if !fresh.contains(id) {
                lost_without_memory += 1;
            }
        }
    }
    // Top-up picks can be displaced by newcomers: that is why `already_listed` exists.
    assert!(lost_without_memory > 0);
}

#[test]
fn each_contact_is_equally_likely() {
    // One agent with 20 contacts, 2 000 seeds. The statistic below is the
    // Pearson chi-square against "each contact equally often"; selections
    // within a seed are negatively correlated, which only makes it smaller.
    let mut d = Day::default();
    d.add_many("ana", 0, 20);
    let mut counts: BTreeMap<String, f64> = (0..20).map(|i| (format!("ana-{i}"), 0.0)).collect();
    for seed in 0..2000 {
        for item in spot_check(&d.floor, &settings(seed), day(), now(), &[]).random {
            *counts.get_mut(&item.contact).expect("known id") += 1.0;
        }
    }
    let total: f64 = counts.values().sum();
    assert!(
        total >= 2.0 * 2000.0,
        "at least ceil(0.1 · 20) = 2 per seed"
    );
    let expected = total / 20.0;
    let chi2: f64 = counts
        .values()
        .map(|c| (c - expected).powi(2) / expected)
        .sum();
    // Textbook χ² table, 19 degrees of freedom, upper 0.1 %: 43.820.
    assert!(chi2 < 43.820, "chi-square {chi2:.2}, counts {counts:?}");
    // And the test has teeth: always taking the first two ids would fail it.
    let biased_total = total;
    let biased: f64 = (0..20)
        .map(|i| {
            let c = if i < 2 { biased_total / 2.0 } else { 0.0 };
            (c - expected).powi(2) / expected
        })
        .sum();
    assert!(biased > 43.820);
}

#[test]
fn flags_never_change_the_random_sample() {
    let build = |with_flags: bool| {
        let mut d = Day::default();
        let cust = d.floor.names.intern("cust-1");
        for agent in ["ana", "bo"] {
            for i in 0..37 {
                let mut c = d.handled(&format!("{agent}-{i}"), Some(agent));
                if with_flags && i % 3 == 0 {
                    c.ivr_s = 300.0;
                    c.transfers = 4;
                    c.set_extra(|e| e.text = Some("SHUT UP".into()));
                    c.customer = Some(cust);
                    let at = c.arrived_at;
                    c.set_extra(|e| e.promised_callback_at = at);
                }
                d.add(c);
                if with_flags && i % 5 == 0 {
                    d.floor.apply(Record::Survey(Survey {
                        id: format!("s-{agent}-{i}").into(),
                        contact: Some(format!("{agent}-{i}").into()),
                        at: None,
                        csat: Some(1.0),
                        nps: None,
                        comment: None,
                    }));
                }
            }
        }
        d.floor
    };
    let plain = build(false);
    let flagged = build(true);
    for seed in 0..50 {
        let a = spot_check(&plain, &settings(seed), day(), now(), &[]);
        let b = spot_check(&flagged, &settings(seed), day(), now(), &[]);
        assert_eq!(random_ids(&a), random_ids(&b), "seed {seed}");
        assert!(a.targeted.is_empty());
        assert!(!b.targeted.is_empty());
    }
}

#[test]
fn population_lists_and_order() {
    let mut d = Day::default();
    let mut s = settings(3);
    s.spot_check.rate = 1.0; // everything random: checks the population exactly
    // In: ends at 23:59:59.999999999 local (15:59:59.999999999Z).
    let mut late = d.handled("late", Some("bo"));
    late.ended_at = Some(ts("2026-11-22T23:59:59.999999999+08:00"));
    d.add(late);
    // In: ends 00:00 local, which is the previous day in UTC.
    let mut early = d.handled("early", Some("bo"));
    early.ended_at = Some(ts("2026-11-22T00:00:00+08:00"));
    d.add(early);
    // Out: the next local day, the previous local day, not ended, not answered.
    let mut next = d.handled("next", Some("bo"));
    next.ended_at = Some(ts("2026-11-23T00:00:00+08:00"));
    d.add(next);
    let mut prev = d.handled("prev", Some("bo"));
    prev.ended_at = Some(ts("2026-11-21T23:59:59+08:00"));
    d.add(prev);
    let mut open = d.handled("open", Some("bo"));
    open.ended_at = None;
    d.add(open);
    let mut abandoned = d.handled("abandoned", Some("bo"));
    abandoned.answered_at = None;
    abandoned.abandoned_at = abandoned.arrived_at;
    d.add(abandoned);
    // No agent: grouped under "".
    let c = d.handled("nobody", None);
    d.add(c);
    let c = d.handled("ana-1", Some("ana"));
    d.add(c);

    let r = spot_check(&d.floor, &s, day(), now(), &[]);
    let order: Vec<(&str, &str)> = r
        .random
        .iter()
        .map(|i| (i.agent.as_str(), i.contact.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("", "nobody"),
            ("ana", "ana-1"),
            ("bo", "early"),
            ("bo", "late")
        ]
    );
    let cov: Vec<(&str, u64, u64, u64)> = r
        .coverage
        .iter()
        .map(|c| (c.agent.as_str(), c.handled, c.required, c.sampled))
        .collect();
    assert_eq!(cov, [("", 1, 1, 1), ("ana", 1, 1, 1), ("bo", 2, 2, 2)]);
    assert_eq!(
        r.random[3].ended_at,
        Some(ts("2026-11-22T15:59:59.999999999Z"))
    );
}

#[test]
fn targeted_holds_flagged_contacts_not_already_random() {
    let mut d = Day::default();
    let cust = d.floor.names.intern("cust-9");
    for i in 0..30 {
        let mut c = d.handled(&format!("ana-{i}"), Some("ana"));
        c.transfers = 2;
        c.customer = Some(cust);
        d.add(c);
    }
    let r = spot_check(&d.floor, &settings(11), day(), now(), &[]);
    assert_eq!(r.random.len() + r.targeted.len(), 30);
    let random = random_ids(&r);
    for t in &r.targeted {
        assert!(!random.contains(&t.contact));
        assert_eq!(t.customer.as_deref(), Some("cust-9"));
    }
    // Contacts arrive 1 min apart for the same customer: all but the first are repeats.
    for item in r.random.iter().chain(&r.targeted) {
        let want: &[&str] = if item.contact == "ana-0" {
            &["transfers_2plus"]
        } else {
            &["repeat_48h", "transfers_2plus"]
        };
        assert_eq!(item.flags, want, "{}", item.contact);
    }
    // Sorted by end time within the agent.
    assert!(
        r.targeted
            .windows(2)
            .all(|w| w[0].ended_at <= w[1].ended_at)
    );
}

#[test]
fn an_earlier_pick_that_left_the_day_stays_listed() {
    let mut d = Day::default();
    d.add_many("ana", 0, 10);
    let mut moved = d.handled("ana-3", Some("ana"));
    moved.ended_at = Some(ts("2026-11-23T09:00:00+08:00"));
    d.add(moved);
    let listed = vec!["ana-3".to_string(), "ghost".to_string()];
    let r = spot_check(&d.floor, &settings(5), day(), now(), &listed);
    let ids = random_ids(&r);
    assert!(ids.contains("ana-3"));
    assert!(
        !ids.contains("ghost"),
        "ids the floor never saw are dropped"
    );
    let cov = &r.coverage[0];
    assert_eq!((cov.handled, cov.required), (9, 1));
    assert_eq!(cov.sampled as usize, r.random.len());
}

#[test]
fn zero_rate_samples_nothing_but_still_targets() {
    let mut d = Day::default();
    d.add_many("ana", 0, 20);
    let mut c = d.handled("ana-x", Some("ana"));
    c.ivr_s = 121.0;
    d.add(c);
    let mut s = settings(0);
    s.spot_check.rate = 0.0;
    let r = spot_check(&d.floor, &s, day(), now(), &[]);
    assert!(r.random.is_empty());
    assert_eq!(r.targeted.len(), 1);
    assert_eq!(r.targeted[0].flags, ["ivr_over_120s"]);
    assert_eq!(r.coverage[0].required, 0);
}
