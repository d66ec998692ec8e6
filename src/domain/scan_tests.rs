//! The passes that skip settled blocks of contacts ([`Floor::contacts_scan`])
//! give exactly what reading every contact gives, on generated floors that
//! grow by appends, upserts of earlier contacts (late answers, moved
//! arrivals, reopened contacts) and records timestamped ahead of "now",
//! checked after every batch at several instants.

use super::floor::{BlockSpan, Floor, is_open};
use super::live::queue_reports_reading;
use super::record::{Contact, Priority, QueueStats, Record};
use super::sampling::spot_check_reading;
use super::settings::Settings;
use super::sla::sla_timers_reading;
use super::snapshot::Window;
use super::testkit::{Rng, contact, t};
use super::time::Ts;

const DAY: i64 = 86_400;

/// A contact of queue q0…q3 arriving `at`, in any state of its life.
fn random_contact(rng: &mut Rng, floor: &mut Floor, id: &str, at: Ts) -> Contact {
    let mut c = contact(id);
    c.arrived_at = Some(at);
    c.queue = Some(floor.names.intern(&format!("q{}", rng.below(4))));
    c.customer = Some(floor.names.intern(&format!("cust{}", rng.below(300))));
    c.agent = Some(floor.names.intern(&format!("a{}", rng.below(6))));
    c.priority = match rng.below(5) {
        0 => None,
        1 => Some(Priority::Urgent),
        2 => Some(Priority::High),
        3 => Some(Priority::Medium),
        _ => Some(Priority::Low),
    };
    c.talk_s = rng.below(600) as f64;
    c.transfers = rng.below(3) as u16;
    match rng.below(10) {
        // Still waiting.
        0 | 1 => {}
        // Abandoned.
        2 => c.abandoned_at = Some(at.add_secs(rng.below(300) as i64)),
        // Answered, not ended (owes a resolution).
        3 => c.answered_at = Some(at.add_secs(rng.below(300) as i64)),
        // Handled, sometimes hours later.
        _ => {
            let answered = at.add_secs(rng.below(300) as i64);
            c.answered_at = Some(answered);
            let longest = if rng.chance(10) { DAY as u64 } else { 900 };
            c.ended_at = Some(answered.add_secs(rng.below(longest) as i64));
        }
    }
    c
}

fn check(floor: &Floor, settings: &Settings, now: Ts, window: Window) {
    assert_eq!(
        sla_timers_reading(floor, settings, now, false),
        sla_timers_reading(floor, settings, now, true),
        "SLA timers at {now}"
    );
    assert_eq!(
        queue_reports_reading(floor, window, now, false),
        queue_reports_reading(floor, window, now, true),
        "queue reports at {now} over {window:?}"
    );
    let day = super::window::local_date(now, settings.timezone);
    let listed = ["k3".to_string(), "k400".to_string()];
    assert_eq!(
        spot_check_reading(floor, settings, day, now, &listed, false),
        spot_check_reading(floor, settings, day, now, &listed, true),
        "spot checks at {now}"
    );
}

#[test]
fn skipping_settled_blocks_equals_reading_every_contact() {
    let settings = Settings::default();
    let start = t("2026-11-16T00:00:00Z");
    for seed in 1..=4u64 {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
        let mut floor = Floor::new();
        let mut next_id = 0u64;
        // Six days of contacts, appended in batches in rough time order.
        let mut clock = start;
        for batch in 0..12 {
            let n = 200 + rng.below(900);
            let mut records = Vec::new();
            for _ in 0..n {
                clock = clock.add_secs(rng.below(60) as i64);
                let id = if next_id > 0 && rng.chance(15) {
                    // An upsert of an earlier contact: a late answer, a
                    // moved arrival, or a contact opened again.
                    format!("k{}", rng.below(next_id))
                } else {
                    next_id += 1;
                    format!("k{}", next_id - 1)
                };
                let at = if rng.chance(5) {
                    // Late: days before the rest, or timestamped ahead.
                    clock.add_secs(rng.below(4 * DAY as u64) as i64 - 3 * DAY)
                } else {
                    clock
                };
                records.push(Record::Contact(random_contact(
                    &mut rng, &mut floor, &id, at,
                )));
                if rng.chance(1) {
                    let queue = floor.names.intern(&format!("q{}", rng.below(4)));
                    let at = match rng.below(4) {
                        0 => None,
                        _ => Some(clock.add_secs(rng.below(7200) as i64 - 3600)),
                    };
                    records.push(Record::QueueStats(QueueStats {
                        queue,
                        at,
                        waiting: rng.below(9) as u32,
                        longest_wait_s: 12.5,
                        agents: [1, 2, 3, 4, 5],
                    }));
                }
            }
            let mut b = floor.batch();
            for r in records {
                b.apply(r);
            }
            drop(b);
            // Several instants: just after the data, an hour and a day
            // later, and back inside it.
            for now in [
                clock,
                clock.add_secs(1),
                clock.add_secs(3600),
                clock.add_secs(DAY),
                clock.add_secs(-2 * 3600),
                clock.add_secs(-DAY),
            ] {
                let day = super::window::day_window(
                    super::window::local_date(now, settings.timezone),
                    settings.timezone,
                );
                check(&floor, &settings, now, day);
                let longer = Window {
                    from: start,
                    to: now,
                };
                if batch % 4 == 0 {
                    check(&floor, &settings, now, longer);
                }
            }
        }
        assert!(floor.contacts().len() > 3 * super::floor::ARRIVAL_BLOCK);
    }
}

/// `contacts_scan` gives the whole blocks its predicate takes, the open
/// contacts of the others, in slot order, nothing twice.
#[test]
fn contacts_scan_gives_whole_blocks_and_open_contacts() {
    let mut rng = Rng(42);
    let mut floor = Floor::new();
    let base = t("2026-11-20T00:00:00Z");
    for i in 0..5000u64 {
        let id = if i > 10 && rng.chance(20) {
            // An upsert of a contact a few slots back.
            format!("k{}", i - 1 - rng.below(10))
        } else {
            format!("k{i}")
        };
        let at = base.add_secs(i as i64 * 30);
        let c = random_contact(&mut rng, &mut floor, &id, at);
        floor.apply(Record::Contact(c));
    }
    // After the last arrival: only the blocks with contacts ended a day later are whole.
    let cut = base.add_secs(5000 * 30 + 3600);
    let whole = |b: BlockSpan| b.touches_from(cut);
    let got: Vec<usize> = floor.contacts_scan(whole, true).map(|(s, _)| s).collect();
    let block_latest = |slot: usize| {
        let b = slot / super::floor::ARRIVAL_BLOCK;
        floor.contacts()[b * super::floor::ARRIVAL_BLOCK..]
            .iter()
            .take(super::floor::ARRIVAL_BLOCK)
            .filter_map(|c| {
                [c.arrived_at, c.answered_at, c.abandoned_at, c.ended_at]
                    .into_iter()
                    .flatten()
                    .max()
            })
            .max()
    };
    let want: Vec<usize> = (0..floor.contacts().len())
        .filter(|&s| is_open(&floor.contacts()[s]) || block_latest(s).is_some_and(|l| l >= cut))
        .collect();
    // Upserts only widen a block's latest instant, so the scan may take a
    // block that no longer reaches `cut`: it gives at least what is wanted,
    // and all of it open or in a block it takes whole.
    assert!(want.iter().all(|s| got.contains(s)));
    assert!(got.windows(2).all(|w| w[0] < w[1]));
    let opens = got
        .iter()
        .filter(|&&s| is_open(&floor.contacts()[s]))
        .count();
    assert!(opens < got.len(), "some blocks are taken whole");
    assert!(
        got.len() < floor.contacts().len(),
        "some contacts are skipped"
    );
    let without_open: Vec<usize> = floor.contacts_scan(whole, false).map(|(s, _)| s).collect();
    assert!(without_open.iter().all(|s| got.contains(s)));
    assert!(without_open.len() < got.len());
    let none: Vec<usize> = floor
        .contacts_scan(|_| false, false)
        .map(|(s, _)| s)
        .collect();
    assert!(none.is_empty());
}

/// The repeat/FCR index brought up to date with the listed contact changes
/// equals the index built again from the whole floor, batch after batch of
/// appends, upserts that move a contact to another customer or another
/// time, contacts that lose their arrival, and late records.
#[test]
fn repeat_index_updated_equals_rebuilt() {
    use super::kpi::RepeatIndex;
    let mut settings = Settings::default();
    for seed in 1..=4u64 {
        let mut rng = Rng(0x5851_f42d_4c95_7f2d ^ seed);
        let mut floor = Floor::new();
        floor.keep_contact_changes();
        let mut index = RepeatIndex::new(&floor, &settings);
        let start = t("2026-11-16T00:00:00Z");
        let mut clock = start;
        let mut next_id = 0u64;
        for batch in 0..15 {
            let mut b = floor.batch();
            for _ in 0..rng.below(400) {
                clock = clock.add_secs(rng.below(900) as i64);
                let id = if next_id > 0 && rng.chance(25) {
                    format!("k{}", rng.below(next_id))
                } else {
                    next_id += 1;
                    format!("k{}", next_id - 1)
                };
                let mut c = contact(&id);
                if !rng.chance(5) {
                    c.arrived_at = Some(if rng.chance(10) {
                        clock.add_secs(-(rng.below(5 * DAY as u64) as i64))
                    } else {
                        clock
                    });
                }
                if !rng.chance(5) {
                    // Few customers, so most have several contacts.
                    c.customer = Some(b.names().intern(&format!("cust{}", rng.below(60))));
                }
                b.apply(Record::Contact(c));
            }
            drop(b);
            if batch == 7 {
                // Another FCR window: the index is built again.
                settings.fcr_window_h = 24.0;
            }
            let changes = floor
                .take_contact_changes()
                .expect("the floor lists its changes");
            index.update(&floor, &settings, &changes);
            assert_eq!(
                index,
                RepeatIndex::new(&floor, &settings),
                "seed {seed} batch {batch}"
            );
            assert!(index.is_current(&floor, &settings));
        }
        settings = Settings::default();
    }
}

/// More changes than are listed: the list says so and the index is built
/// whole.
#[test]
fn too_many_contact_changes_overflow_and_rebuild_the_index() {
    use super::kpi::RepeatIndex;
    let settings = Settings::default();
    let mut floor = Floor::new();
    assert_eq!(floor.take_contact_changes(), None);
    floor.keep_contact_changes();
    let mut index = RepeatIndex::new(&floor, &settings);
    let at = t("2026-11-20T00:00:00Z");
    let mut b = floor.batch();
    for i in 0..70_000u32 {
        let mut c = contact(&format!("k{i}"));
        c.arrived_at = Some(at.add_secs(i64::from(i)));
        c.customer = Some(b.names().intern(&format!("cust{}", i % 9)));
        b.apply(Record::Contact(c));
    }
    drop(b);
    let changes = floor.take_contact_changes().expect("kept");
    assert!(changes.overflowed && changes.slots.is_empty());
    index.update(&floor, &settings, &changes);
    assert_eq!(index, RepeatIndex::new(&floor, &settings));
    // Taken: the list starts again empty.
    assert_eq!(
        floor.take_contact_changes(),
        Some(super::floor::ContactChanges::default())
    );
}

/// `surveys_at` gives every survey dated in the window, in slot order,
/// however often a survey moves in time, and skips blocks far from it.
#[test]
fn surveys_at_finds_every_survey_of_a_window() {
    use super::record::Survey;
    let mut rng = Rng(7);
    let mut floor = Floor::new();
    let base = t("2026-11-20T00:00:00Z");
    let survey = |id: String, at: Option<Ts>| Survey {
        id: id.as_str().into(),
        contact: None,
        at,
        csat: Some(4.0),
        nps: None,
        comment: None,
    };
    let mut made: Vec<i64> = Vec::new();
    for i in 0..6000i64 {
        let (id, at) = if !made.is_empty() && rng.chance(10) {
            // Moved: an earlier survey dated again, hours either way.
            let back = made[rng.below(made.len() as u64) as usize];
            let shift = rng.below(4 * 3600) as i64 - 2 * 3600;
            (format!("s{back}"), base.add_secs(back * 60 + shift))
        } else {
            made.push(i);
            (format!("s{i}"), base.add_secs(i * 60))
        };
        let at = (!rng.chance(3)).then_some(at);
        floor.apply(Record::Survey(survey(id, at)));
    }
    for (from, to) in [(0, 3600), (50_000, 90_000), (-DAY, 1), (300_000, 400_000)] {
        let (from, to) = (base.add_secs(from), base.add_secs(to));
        let want: Vec<usize> = floor
            .surveys()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.at.is_some_and(|a| a >= from && a < to))
            .map(|(i, _)| i)
            .collect();
        let got: Vec<usize> = floor
            .surveys_at(from, to)
            .filter(|(_, s)| s.at.is_some_and(|a| a >= from && a < to))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(got, want);
        assert!(floor.surveys_at(from, to).count() < floor.surveys().len());
    }
}
