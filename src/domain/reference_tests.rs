//! The view's domain functions made cheaper (block skipping, prepared
//! searchers, sorting slots instead of reports, one pass per agent) give
//! exactly what the straightforward versions below give: these are the
//! functions as first written, reading every record, compared on generated
//! floors (several seeds, time zones with and without clock changes,
//! upserts, late and early records, texts with and without red lines).

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use hashbrown::{HashMap, HashSet};

use super::calendar::local_date;
use super::erlang;
use super::feedback::{feedback_reports, report, sort_board};
use super::floor::Floor;
use super::forecast::{
    AHT_PRIOR, Basis, FALLBACK_DAYS, ForecastInterval, HISTORY_WEEKS, LEVEL_HOURS, LEVEL_PRIOR,
    QueueBasis, QueueDay, SLOTS, boundaries, forecast, slot_of,
};
use super::intern::Sym;
use super::record::*;
use super::sampling::{
    FLAGS, LowCsat, bernoulli_threshold, flag_names, key53, local_day_range, required_checks,
    spot_check,
};
use super::settings::Settings;
use super::snapshot::{AgentCoverage, FeedbackReport, SpotCheckItem, SpotCheckReport};
use super::testkit::{Rng, contact, t};
use super::time::{NANOS_PER_SEC, Ts};

// ---- the flags as first written: one lookup and one search per contact ----

const REPEAT_WINDOW_NANOS: i64 = 48 * 3600 * NANOS_PER_SEC;

fn red_line_phrases(settings: &Settings) -> Vec<String> {
    settings
        .red_line
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.chars().flat_map(char::to_lowercase).collect())
        .collect()
}

struct RefFlagger<'a> {
    floor: &'a Floor,
    settings: &'a Settings,
    now: Ts,
    low_csat: &'a LowCsat<'a>,
    phrases: Vec<String>,
}

impl RefFlagger<'_> {
    fn mask(&mut self, c: &Contact) -> u8 {
        let repeat = match (c.customer, c.arrived_at) {
            (Some(customer), Some(at)) => {
                self.floor
                    .contacts_of_customer(customer)
                    .iter()
                    .any(|(t, _)| {
                        *t < at && t.nanos() >= at.nanos().saturating_sub(REPEAT_WINDOW_NANOS)
                    })
            }
            _ => false,
        };
        let late = match (c.promised_callback_at(), c.callback_at()) {
            (Some(promised), Some(done)) => done > promised,
            (Some(promised), None) => self.now > promised,
            (None, _) => false,
        };
        let red = c.text().is_some_and(|text| {
            let text: String = text.chars().flat_map(char::to_lowercase).collect();
            self.phrases.iter().any(|p| text.contains(p.as_str()))
        });
        let breached = match (c.priority, c.arrived_at, c.answered_at) {
            (Some(p), Some(arrived), Some(answered)) => self
                .floor
                .sla_target(self.settings, p)
                .is_some_and(|target| {
                    answered.since(arrived)
                        > i64::from(target.first_response_min) * 60 * NANOS_PER_SEC
                }),
            _ => false,
        };
        let checks = [
            repeat,
            c.ivr_s > 120.0,
            c.transfers >= 2,
            late,
            red,
            self.low_csat.contains(&c.id),
            breached,
        ];
        assert_eq!(checks.len(), FLAGS.len());
        checks
            .iter()
            .enumerate()
            .fold(0, |m, (i, &hit)| m | (u8::from(hit) << i))
    }
}

/// One contact of the day in an agent's draw.
struct Candidate<'a> {
    key: u64,
    contact: &'a Contact,
    listed: bool,
    in_population: bool,
    flags: u8,
}

fn spot_check_reference(
    floor: &Floor,
    settings: &Settings,
    day: NaiveDate,
    now: Ts,
    already_listed: &[String],
) -> SpotCheckReport {
    let seed = settings.spot_check.seed;
    let rate = settings.spot_check.rate;
    let (start, end) = local_day_range(&settings.timezone, day);
    let listed: HashSet<&str> = already_listed.iter().map(String::as_str).collect();

    let low_csat = LowCsat::from_floor(floor);
    let mut flagger = RefFlagger {
        floor,
        settings,
        now,
        low_csat: &low_csat,
        phrases: red_line_phrases(settings),
    };

    // One pass, in storage order (contacts are large; visiting them in key
    // order would miss the cache on every one): the day's handled contacts
    // with their keys and flags, grouped by agent.
    let mut groups: HashMap<Option<Sym>, Vec<Candidate>> = HashMap::new();
    // A contact that ended in the day is in a block whose latest instant is
    // at or after the day's start: the blocks of earlier days are skipped.
    for c in floor.contacts() {
        let Some(ended) = c.ended_at else { continue };
        if ended < start || ended >= end || c.answered_at.is_none() {
            continue;
        }
        groups.entry(c.agent).or_default().push(Candidate {
            key: key53(seed, day, &c.id),
            contact: c,
            listed: !listed.is_empty() && listed.contains(&*c.id),
            in_population: true,
            flags: flagger.mask(c),
        });
    }
    // Earlier picks that left the population stay on the list.
    let mut kept: Vec<&str> = listed.iter().copied().collect();
    kept.sort_unstable();
    for id in kept {
        let Some(c) = floor.contact(id) else { continue };
        let in_population =
            c.answered_at.is_some() && c.ended_at.is_some_and(|t| start <= t && t < end);
        if !in_population {
            groups.entry(c.agent).or_default().push(Candidate {
                key: key53(seed, day, &c.id),
                contact: c,
                listed: true,
                in_population: false,
                flags: flagger.mask(c),
            });
        }
    }

    let agent_name = |a: Option<Sym>| a.map_or("", |s| floor.names.resolve(s)).to_string();
    let item = |c: &Contact, flags: u8| SpotCheckItem {
        contact: c.id.to_string(),
        agent: agent_name(c.agent),
        flags: flag_names(flags),
        customer: c.customer.map(|s| floor.names.resolve(s).to_string()),
        ended_at: c.ended_at,
    };

    let mut random = Vec::new();
    let mut targeted = Vec::new();
    let mut coverage = Vec::with_capacity(groups.len());
    for (agent, mut group) in groups {
        let handled = group.iter().filter(|g| g.in_population).count() as u64;
        let required = required_checks(rate, handled);
        // Smallest keys first; the id breaks (astronomically rare) ties.
        group.sort_unstable_by(|a, b| {
            a.key
                .cmp(&b.key)
                .then_with(|| a.contact.id.cmp(&b.contact.id))
        });
        let threshold = bernoulli_threshold(rate);
        let mut chosen = vec![false; group.len()];
        let mut sampled = 0u64;
        for (i, g) in group.iter().enumerate() {
            if g.listed || g.key < threshold {
                chosen[i] = true;
                sampled += 1;
            }
        }
        for (i, g) in group.iter().enumerate() {
            if sampled >= required {
                break;
            }
            if !chosen[i] && g.in_population {
                chosen[i] = true;
                sampled += 1;
            }
        }
        for (g, picked) in group.iter().zip(chosen) {
            if picked {
                random.push(item(g.contact, g.flags));
            } else if g.flags != 0 {
                targeted.push(item(g.contact, g.flags));
            }
        }
        coverage.push(AgentCoverage {
            agent: agent_name(agent),
            handled,
            required,
            sampled,
        });
    }

    let order = |a: &SpotCheckItem, b: &SpotCheckItem| {
        (&a.agent, a.ended_at, &a.contact).cmp(&(&b.agent, b.ended_at, &b.contact))
    };
    random.sort_unstable_by(order);
    targeted.sort_unstable_by(order);
    coverage.sort_unstable_by(|a, b| a.agent.cmp(&b.agent));
    SpotCheckReport {
        date: day,
        seed,
        random,
        targeted,
        coverage,
        daily_quota: settings.spot_check.daily_quota,
    }
}

/// Per queue and day: arrivals, handled contacts and their handle seconds by slot.
struct Tally {
    arrivals: Vec<[u32; SLOTS]>,
    handled: Vec<[u32; SLOTS]>,
    handle_s: Vec<[f64; SLOTS]>,
    recent: Vec<u32>,
}

fn forecast_reference(
    floor: &Floor,
    tz: Tz,
    now: Ts,
    target_sl: f64,
    queues: &[QueueBasis],
) -> Vec<QueueDay> {
    let today = local_date(now, tz);
    // Day 0 is today; then the same weekday 1…HISTORY_WEEKS weeks back; then
    // the last FALLBACK_DAYS days.
    let mut days: Vec<NaiveDate> = vec![today];
    days.extend((1..=HISTORY_WEEKS).map(|w| today - Duration::weeks(w as i64)));
    days.extend((1..=FALLBACK_DAYS).map(|d| today - Duration::days(d as i64)));
    let bounds: Vec<[Ts; SLOTS + 1]> = days.iter().map(|d| boundaries(*d, tz)).collect();
    // Days in time order for the lookup (a date may appear twice: a week ago
    // is also one of the last seven days; the first listing is used).
    let mut order: Vec<usize> = (0..days.len()).collect();
    order.sort_by_key(|&i| (bounds[i][0], i));
    order.dedup_by_key(|i| days[*i]);
    let starts: Vec<Ts> = order.iter().map(|&i| bounds[i][0]).collect();
    let earliest = starts[0];

    let slot: HashMap<Sym, usize> = queues.iter().enumerate().map(|(i, q)| (q.id, i)).collect();
    let n_days = days.len();
    let mut t = Tally {
        arrivals: vec![[0; SLOTS]; queues.len() * n_days],
        handled: vec![[0; SLOTS]; queues.len() * n_days],
        handle_s: vec![[0.0; SLOTS]; queues.len() * n_days],
        recent: vec![0; queues.len()],
    };
    let level_from = now
        .add_nanos(-LEVEL_HOURS * 3600 * NANOS_PER_SEC)
        .max(bounds[0][0]);
    let mut covered = vec![false; n_days];

    for (_, c) in floor.contacts_arriving(earliest, now.add_nanos(1)) {
        let Some(arrived) = c.arrived_at else {
            continue;
        };
        if arrived > now || arrived < earliest {
            continue;
        }
        let pos = starts.partition_point(|s| *s <= arrived) - 1;
        let d = order[pos];
        if arrived >= bounds[d][SLOTS] {
            continue; // between the days we look at
        }
        covered[d] = true;
        let Some(&q) = c.queue.and_then(|q| slot.get(&q)) else {
            continue;
        };
        if arrived >= level_from {
            t.recent[q] += 1;
        }
        let k = slot_of(&bounds[d], arrived);
        let row = q * n_days + d;
        t.arrivals[row][k] += 1;
        if c.answered_at.is_some() && c.ended_at.is_some_and(|e| e <= now) {
            t.handled[row][k] += 1;
            t.handle_s[row][k] += c.handle_s();
        }
    }
    // A date listed twice shares the first listing's counts.
    for i in 0..n_days {
        if let Some(j) = (0..i).find(|&j| days[j] == days[i]) {
            covered[i] = covered[j];
            for q in 0..queues.len() {
                t.arrivals[q * n_days + i] = t.arrivals[q * n_days + j];
                t.handled[q * n_days + i] = t.handled[q * n_days + j];
                t.handle_s[q * n_days + i] = t.handle_s[q * n_days + j];
            }
        }
    }

    // The weights of the history days (index into `days`), by basis.
    let weekly: Vec<(usize, f64)> = (1..=HISTORY_WEEKS)
        .filter(|&w| covered[w])
        .map(|w| (w, (HISTORY_WEEKS + 1 - w) as f64))
        .collect();
    let recent: Vec<(usize, f64)> = (HISTORY_WEEKS + 1..n_days)
        .filter(|&d| covered[d])
        .map(|d| (d, 1.0))
        .collect();
    let (history, basis) = if !weekly.is_empty() {
        (weekly, Basis::Weeks(0))
    } else if !recent.is_empty() {
        (recent, Basis::RecentDays(0))
    } else {
        (Vec::new(), Basis::LastHour)
    };
    let basis = match basis {
        Basis::Weeks(_) => Basis::Weeks(history.len() as u8),
        Basis::RecentDays(_) => Basis::RecentDays(history.len() as u8),
        Basis::LastHour => Basis::LastHour,
    };

    let b = &bounds[0];
    let cur = slot_of(b, now);
    queues
        .iter()
        .enumerate()
        .map(|(q, qb)| {
            let row = |d: usize| q * n_days + d;
            let today_counts = &t.arrivals[row(0)];
            let len_s = |k: usize| b[k + 1].secs_since(b[k]);
            let frac = if len_s(cur) > 0.0 {
                (now.secs_since(b[cur]) / len_s(cur)).clamp(0.0, 1.0)
            } else {
                1.0
            };

            // Profile, AHT by slot.
            let wsum: f64 = history.iter().map(|(_, w)| w).sum();
            let mut profile = [0.0f64; SLOTS];
            let mut hn = [0.0f64; SLOTS];
            let mut hs = [0.0f64; SLOTS];
            for &(d, w) in &history {
                for k in 0..SLOTS {
                    profile[k] += w * f64::from(t.arrivals[row(d)][k]);
                    hn[k] += w * f64::from(t.handled[row(d)][k]);
                    hs[k] += w * t.handle_s[row(d)][k];
                }
            }
            if wsum > 0.0 {
                for p in &mut profile {
                    *p /= wsum;
                }
            }
            let (hn_all, hs_all): (f64, f64) = (hn.iter().sum(), hs.iter().sum());
            let aht = |k: usize| -> Option<f64> {
                if hn_all > 0.0 {
                    let day_mean = hs_all / hn_all;
                    Some((hs[k] + AHT_PRIOR * day_mean) / (hn[k] + AHT_PRIOR))
                } else {
                    qb.aht_basis_s
                }
            };

            // Today's level over the last LEVEL_HOURS hours before now: the
            // arrivals counted there against the profile's share of it.
            let mut expected = 0.0;
            for k in 0..=cur {
                let from = b[k].max(level_from);
                let to = b[k + 1].min(now);
                if to > from && len_s(k) > 0.0 {
                    expected += profile[k] * to.secs_since(from) / len_s(k);
                }
            }
            let actual = f64::from(t.recent[q]);
            let level = match basis {
                Basis::LastHour => 1.0,
                _ => (actual + LEVEL_PRIOR) / (expected + LEVEL_PRIOR),
            };
            let naive_per_s = qb.arrivals_last_hour as f64 / 3600.0;

            let earlier = (0..cur)
                .filter(|&k| b[k + 1] > b[k])
                .map(|k| (b[k], b[k + 1], u64::from(today_counts[k])))
                .collect();
            let ahead = (cur..SLOTS)
                .filter(|&k| b[k + 1] > b[k])
                .map(|k| {
                    let arrived = if k == cur { today_counts[k] } else { 0 };
                    let rest = if k == cur { 1.0 - frac } else { 1.0 };
                    let to_come = match basis {
                        Basis::LastHour => naive_per_s * len_s(k) * rest,
                        _ => level * profile[k] * rest,
                    };
                    let offered = f64::from(arrived) + to_come;
                    let aht_s = aht(k);
                    let agents_needed = aht_s.and_then(|aht| {
                        erlang::agents_needed(
                            offered * 3600.0 / len_s(k),
                            aht,
                            qb.threshold_s,
                            target_sl,
                        )
                    });
                    ForecastInterval {
                        from: b[k],
                        offered,
                        aht_s,
                        agents_needed,
                        agents_scheduled: None,
                        to: b[k + 1],
                        arrived: u64::from(arrived),
                        staffed: 0,
                    }
                })
                .collect();
            QueueDay {
                earlier,
                ahead,
                basis,
                level,
            }
        })
        .collect()
}

/// The board as first written: a row per item in the floor's order, the
/// rows sorted.
fn feedback_reference(floor: &Floor, now: Ts) -> Vec<FeedbackReport> {
    let mut out: Vec<FeedbackReport> = (floor.feedback().iter())
        .map(|f| report(f, &floor.names, now))
        .collect();
    sort_board(&mut out);
    out
}

// ---- generated floors ----

const DAY: i64 = 86_400;

const NOTES: [&str; 6] = [
    "Customer asked about the refund; Agent explained the policy.",
    "客户询问退款进度，坐席解释了政策。",
    "The customer said: I will SUE you and call the Press",
    "客户表示要投诉到消费者协会",
    "",
    "ÉLAN vital, Straße",
];

/// A floor of `days` days up to `end` (contacts mostly in time order, some
/// late, some ahead, upserts of earlier contacts), with surveys, feedback,
/// agent states and two recorded queues of four.
fn floor_of(seed: u64, end: Ts, days: i64) -> Floor {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
    let mut floor = Floor::new();
    for (q, sl) in [("q0", 20.0), ("q1", 30.0)] {
        let id = floor.names.intern(q);
        floor.apply(Record::Queue(Queue {
            id,
            name: None,
            channel: None,
            sl_seconds: sl,
        }));
    }
    let start = end.add_secs(-days * DAY);
    let n = 4000 + rng.below(2000);
    let step = days * DAY / n as i64;
    let mut clock = start;
    let mut next_id = 0u64;
    let mut b = floor.batch();
    for _ in 0..n {
        clock = clock.add_secs(rng.below(2 * step as u64) as i64);
        let id = if next_id > 0 && rng.chance(10) {
            format!("k{}", rng.below(next_id))
        } else {
            next_id += 1;
            format!("k{}", next_id - 1)
        };
        let at = if rng.chance(4) {
            clock.add_secs(rng.below(6 * DAY as u64) as i64 - 5 * DAY)
        } else {
            clock
        };
        let mut c = contact(&id);
        c.arrived_at = (!rng.chance(2)).then_some(at);
        c.queue = (!rng.chance(3)).then(|| b.names().intern(&format!("q{}", rng.below(4))));
        c.customer = (!rng.chance(5)).then(|| b.names().intern(&format!("cust{}", rng.below(400))));
        c.agent = (!rng.chance(4)).then(|| b.names().intern(&format!("a{}", rng.below(7))));
        c.priority = match rng.below(6) {
            0 => None,
            1 => Some(Priority::Urgent),
            2 => Some(Priority::High),
            3 => Some(Priority::Medium),
            4 => Some(Priority::Low),
            _ => Some(Priority::Other(b.names().intern("p9"))),
        };
        let text: Option<Box<str>> = rng
            .chance(40)
            .then(|| NOTES[rng.below(NOTES.len() as u64) as usize].into());
        c.set_extra(|e| e.text = text);
        c.ivr_s = rng.below(200) as f64;
        c.talk_s = rng.below(600) as f64;
        c.hold_s = rng.below(60) as f64 / 4.0;
        c.wrap_s = rng.below(90) as f64;
        c.transfers = rng.below(3) as u16;
        c.resolved = !rng.chance(20);
        if rng.chance(10) {
            let promised = Some(at.add_secs(rng.below(2 * DAY as u64) as i64));
            let callback = rng
                .chance(50)
                .then(|| at.add_secs(rng.below(2 * DAY as u64) as i64));
            c.set_extra(|e| {
                e.promised_callback_at = promised;
                e.callback_at = callback;
            });
        }
        match rng.below(10) {
            0 | 1 => {}
            2 => c.abandoned_at = Some(at.add_secs(rng.below(300) as i64)),
            3 => c.answered_at = Some(at.add_secs(rng.below(3600) as i64)),
            _ => {
                let answered = at.add_secs(rng.below(3600) as i64);
                c.answered_at = Some(answered);
                let longest = if rng.chance(10) { 2 * DAY as u64 } else { 900 };
                c.ended_at = Some(answered.add_secs(rng.below(longest) as i64));
            }
        }
        b.apply(Record::Contact(c));
        if rng.chance(30) {
            b.apply(Record::Survey(Survey {
                id: format!("s{}", rng.below(3 * n)).as_str().into(),
                contact: (!rng.chance(5))
                    .then(|| format!("k{}", rng.below(next_id + 20)).as_str().into()),
                at: (!rng.chance(10)).then(|| clock.add_secs(rng.below(7200) as i64)),
                csat: (!rng.chance(20)).then(|| (1 + rng.below(5)) as f64),
                nps: (!rng.chance(50)).then(|| rng.below(11) as f64),
                comment: None,
            }));
        }
        if rng.chance(8) {
            let stage = match rng.below(6) {
                0 => None,
                1 => Some(Stage::New),
                2 => Some(Stage::Handling),
                3 => Some(Stage::Closed),
                4 => Some(Stage::Callback),
                _ => Some(Stage::Other(b.names().intern("parked"))),
            };
            let received = (!rng.chance(10)).then(|| clock.add_secs(-(rng.below(3600) as i64)));
            let customer = rng
                .chance(70)
                .then(|| b.names().intern(&format!("cust{}", rng.below(400))));
            let owner = rng.chance(50).then(|| b.names().intern("lead"));
            b.apply(Record::Feedback(Feedback {
                id: format!("f{}", rng.below(n / 4)).into(),
                source: rng.chance(50).then_some(FeedbackSource::Chat),
                summary: rng.chance(50).then(|| "slow refund".into()),
                customer,
                // Coarse times, so that due and received dates tie often.
                received_at: received
                    .map(|r| Ts::from_secs(r.nanos() / NANOS_PER_SEC / 3600 * 3600)),
                category: rng.chance(50).then_some(FeedbackCategory::Process),
                owner,
                stage,
                due_at: (!rng.chance(15)).then(|| {
                    Ts::from_secs(
                        (clock.nanos() / NANOS_PER_SEC + rng.below(3 * DAY as u64) as i64 - DAY)
                            / 7200
                            * 7200,
                    )
                }),
                result: None,
                callback_result: rng.chance(20).then_some(CallbackResult::Satisfied),
                root_cause: None,
            }));
        }
        if rng.chance(20) {
            let agent = b.names().intern(&format!("a{}", rng.below(7)));
            let state = AgentStateKind::KNOWN[rng.below(5) as usize];
            let queue = (!rng.chance(20)).then(|| b.names().intern(&format!("q{}", rng.below(4))));
            b.apply(Record::AgentState(AgentStateEvent {
                agent,
                state,
                at: clock.add_secs(rng.below(600) as i64 - 300),
                queue,
            }));
        }
    }
    drop(b);
    floor
}

fn settings_in(tz: Tz) -> Settings {
    let mut s = Settings::defaults_in(tz);
    s.red_line = vec![
        "Sue".into(),
        "消费者协会".into(),
        "".into(),
        "straße".into(),
    ];
    s.spot_check.rate = 0.07;
    s.spot_check.seed = 11;
    s
}

#[test]
fn spot_check_equals_the_straightforward_draw() {
    for (seed, tz) in [
        (1, chrono_tz::UTC),
        (2, chrono_tz::Asia::Shanghai),
        (3, chrono_tz::Europe::Berlin),
        (4, chrono_tz::America::New_York),
    ] {
        let end = t("2026-11-22T20:00:00Z");
        let floor = floor_of(seed, end, 9);
        assert!(floor.contacts().len() > 3 * super::floor::ARRIVAL_BLOCK);
        let mut settings = settings_in(tz);
        for (rate, now) in [
            (0.07, end),
            (0.5, end.add_secs(-DAY / 3)),
            (1.0, end.add_secs(-3 * DAY)),
            (0.0, end.add_secs(2 * DAY)),
        ] {
            settings.spot_check.rate = rate;
            let day = local_date(now, tz);
            for listed in [vec![], vec!["k3".to_string(), "k40".into(), "nope".into()]] {
                let got = spot_check(&floor, &settings, day, now, &listed);
                let want = spot_check_reference(&floor, &settings, day, now, &listed);
                assert_eq!(got, want, "seed {seed} at {now} rate {rate}");
                assert!(!want.random.is_empty() || rate == 0.0, "something is drawn");
            }
        }
    }
}

#[test]
fn forecast_equals_the_straightforward_tally() {
    for (seed, tz, end) in [
        (5, chrono_tz::UTC, "2026-11-22T13:17:00Z"),
        (6, chrono_tz::Asia::Shanghai, "2026-11-22T23:59:00Z"),
        // Around the clocks going forward and back, and on the day itself.
        (7, chrono_tz::Europe::Berlin, "2026-03-29T09:00:00Z"),
        (8, chrono_tz::Europe::Berlin, "2026-11-01T18:30:00Z"),
        (9, chrono_tz::America::New_York, "2026-03-08T20:00:00Z"),
    ] {
        let end = t(end);
        let floor = floor_of(seed, end, 40);
        let ids = floor.queue_ids();
        let bases: Vec<QueueBasis> = ids
            .iter()
            .enumerate()
            .map(|(i, &id)| QueueBasis {
                id,
                threshold_s: 20.0 + i as f64,
                aht_basis_s: (i % 2 == 0).then_some(240.0),
                arrivals_last_hour: i as u64 * 3,
            })
            .collect();
        assert!(bases.len() >= 4);
        for now in [
            end,
            end.add_secs(-7 * 3600),
            end.add_secs(-9 * DAY),
            end.add_secs(DAY),
        ] {
            let got = forecast(&floor, tz, now, 0.8, &bases);
            let want = forecast_reference(&floor, tz, now, 0.8, &bases);
            assert_eq!(got, want, "seed {seed} at {now}");
            assert!(want.iter().any(|d| d.ahead.iter().any(|f| f.offered > 0.0)));
        }
        // A queue listed twice, and one never seen.
        let mut twice = bases.clone();
        twice.push(bases[0]);
        twice.push(QueueBasis {
            id: Sym::from_index(floor.names.len() + 5),
            ..bases[1]
        });
        assert_eq!(
            forecast(&floor, tz, end, 0.9, &twice),
            forecast_reference(&floor, tz, end, 0.9, &twice)
        );
    }
}

#[test]
fn feedback_board_equals_the_straightforward_sort() {
    for seed in 1..=4 {
        let end = t("2026-11-22T20:00:00Z");
        let floor = floor_of(seed, end, 5);
        assert!(floor.feedback().len() > 100);
        for now in [end, end.add_secs(-DAY), end.add_secs(3 * DAY)] {
            assert_eq!(
                feedback_reports(&floor, now),
                feedback_reference(&floor, now),
                "seed {seed} at {now}"
            );
        }
    }
}

/// Occupancy of each hour (and of a whole window) as one walk over each
/// agent's events cut at the hours equals each hour's own
/// `occupancy_nanos` added up over the agents, with and without filters.
#[test]
fn occupancy_by_hour_equals_each_hour_alone() {
    use super::kpi::{KpiFilter, compute_filtered, hourly_filtered, occupancy_nanos};
    use super::settings::KpiKey;
    use super::snapshot::{KpiValue, Window};
    for seed in 1..=3 {
        let end = t("2026-11-22T20:00:00Z");
        let mut floor = floor_of(seed, end, 3);
        let settings = settings_in(chrono_tz::UTC);
        let a1 = floor.names.intern("a1");
        let q2 = floor.names.intern("q2");
        // One agent with many events at the same instants and across hours.
        let a9 = floor.names.intern("a9");
        for k in 0..200i64 {
            let at = end.add_secs(-DAY + k * 431 / 3 * 3);
            for state in [
                AgentStateKind::Busy,
                AgentStateKind::KNOWN[(k % 5) as usize],
            ] {
                floor.apply(Record::AgentState(AgentStateEvent {
                    agent: a9,
                    state,
                    at,
                    queue: Some(q2),
                }));
            }
        }
        let expect = |w: Window, now: Ts, f: &KpiFilter| -> KpiValue {
            let (mut staffed, mut occupied) = (0i128, 0i128);
            for (agent, events) in floor.agent_states() {
                if f.agent.is_some_and(|a| a != agent) {
                    continue;
                }
                let (s, o) = occupancy_nanos(events, w, now, f.queue);
                staffed += s;
                occupied += o;
            }
            KpiValue {
                value: (staffed > 0).then(|| occupied as f64 / staffed as f64),
                n: staffed as f64 / NANOS_PER_SEC as f64,
            }
        };
        let filters = [
            KpiFilter::default(),
            KpiFilter {
                queue: Some(q2),
                agent: None,
            },
            KpiFilter {
                queue: None,
                agent: Some(a1),
            },
            KpiFilter {
                queue: Some(q2),
                agent: Some(a9),
            },
        ];
        let day = Window {
            from: t("2026-11-22T00:00:00Z"),
            to: t("2026-11-23T00:00:00Z"),
        };
        // A day of 23.5 hours: the last bucket is cut short.
        let short = Window {
            from: t("2026-11-21T23:30:00Z"),
            to: t("2026-11-22T23:00:00Z"),
        };
        for f in &filters {
            for now in [end, end.add_secs(-3 * 3600 - 17), end.add_secs(DAY)] {
                for w in [day, short] {
                    let sets = hourly_filtered(&floor, &settings, w, now, f);
                    assert_eq!(sets.len(), 24);
                    for (i, set) in sets.iter().enumerate() {
                        let hour = Window {
                            from: w.from.add_secs(i as i64 * 3600),
                            to: w.from.add_secs((i as i64 + 1) * 3600).min(w.to),
                        };
                        assert_eq!(
                            set.get(KpiKey::Occupancy),
                            expect(hour, now, f),
                            "seed {seed} hour {i} at {now} {f:?}"
                        );
                    }
                    let whole = compute_filtered(&floor, &settings, w, now, f);
                    assert_eq!(whole.get(KpiKey::Occupancy), expect(w, now, f));
                }
            }
        }
        let busy = hourly_filtered(&floor, &settings, day, end, &filters[0]);
        assert!(
            busy.iter()
                .any(|s| s.get(KpiKey::Occupancy).value.is_some())
        );
    }
}

fn agent_series_reference(
    floor: &Floor,
    settings: &Settings,
    agent: Sym,
    windows: &[super::snapshot::Window],
    now: Ts,
    index: Option<&super::kpi::RepeatIndex>,
) -> Vec<super::snapshot::AgentFigures> {
    let built;
    let customers = match index {
        Some(i) if i.is_current(floor, settings) => i,
        _ => {
            built = super::kpi::RepeatIndex::new(floor, settings);
            &built
        }
    };
    let bucket = |t: Ts| -> Option<usize> {
        let i = windows.partition_point(|w| w.from <= t).checked_sub(1)?;
        windows[i].contains(t).then_some(i)
    };
    let mut tallies = vec![super::snapshot::AgentTally::default(); windows.len()];
    for (slot, c) in floor.contacts().iter().enumerate() {
        if c.agent != Some(agent) {
            continue;
        }
        let Some(i) = c.arrived_at.and_then(bucket) else {
            continue;
        };
        super::agents::tally_one(c, slot, customers, &mut tallies[i]);
    }
    for s in floor.surveys() {
        let Some(i) = s.at.and_then(bucket) else {
            continue;
        };
        let of_agent = s
            .contact
            .as_deref()
            .and_then(|id| floor.contact(id))
            .is_some_and(|c| c.agent == Some(agent));
        if of_agent {
            super::agents::add_survey(&mut tallies[i], s.csat, s.nps);
        }
    }
    for (t, w) in tallies.iter_mut().zip(windows) {
        let (staffed, occupied) =
            super::kpi::occupancy_nanos(floor.states_of(agent), *w, now, None);
        t.staffed_nanos = staffed;
        t.occupied_nanos = occupied;
    }
    tallies
        .iter()
        .map(super::snapshot::AgentTally::figures)
        .collect()
}

/// An agent's figures by hour and by day, reading only the blocks of the
/// windows' span, equal the figures read from every contact and survey.
#[test]
fn agent_series_equals_reading_everything() {
    use super::agents::agent_series;
    use super::snapshot::Window;
    for seed in 1..=3 {
        let end = t("2026-11-22T20:00:00Z");
        let floor = floor_of(seed, end, 12);
        let settings = settings_in(chrono_tz::UTC);
        let index = super::kpi::RepeatIndex::new(&floor, &settings);
        let day = t("2026-11-22T00:00:00Z");
        let hours: Vec<Window> = (0..24)
            .map(|i| Window {
                from: day.add_secs(i * 3600),
                to: day.add_secs((i + 1) * 3600),
            })
            .collect();
        let days: Vec<Window> = (0..14)
            .rev()
            .map(|back| Window {
                from: day.add_secs(-back * DAY),
                to: day.add_secs((1 - back) * DAY),
            })
            .collect();
        for name in ["a0", "a3", "a6"] {
            let agent = floor.names.lookup(name).expect("agent on the floor");
            for windows in [&hours[..], &days[..], &days[3..5], &[]] {
                let got = agent_series(&floor, &settings, agent, windows, end, Some(&index));
                let want = agent_series_reference(&floor, &settings, agent, windows, end, None);
                assert_eq!(got, want, "seed {seed} {name}");
            }
        }
    }
}

/// Looking contacts up a batch at a time finds what one lookup each finds:
/// known ids, unknown ids, no id, the same id twice.
#[test]
fn contacts_batch_equals_one_lookup_each() {
    let floor = floor_of(3, t("2026-11-22T20:00:00Z"), 4);
    let ids: Vec<String> = (0..floor.contacts().len() + 40)
        .step_by(3)
        .map(|i| format!("k{i}"))
        .collect();
    let mut found = 0;
    for chunk in ids.chunks(7) {
        let mut batch: [Option<&str>; 8] = [None; 8];
        for (b, id) in batch.iter_mut().zip(chunk) {
            *b = Some(id.as_str());
        }
        // The last of a full chunk asks for the first again.
        if chunk.len() == 7 {
            batch[7] = batch[0];
        }
        let got = floor.contacts_batch(batch);
        for (id, c) in batch.iter().zip(got) {
            let want = id.and_then(|id| floor.contact(id));
            assert_eq!(
                c.map(|c| c as *const Contact),
                want.map(|c| c as *const Contact)
            );
            found += usize::from(c.is_some());
        }
    }
    assert!(found > 1000, "most ids are known");
    assert_eq!(
        floor.contacts_batch::<2>([None, Some("nope")]),
        [None, None]
    );
}
