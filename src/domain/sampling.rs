//! Spot checks (spec section 5): the day's QA list, a uniform random sample
//! per agent plus a separate, labelled list of contacts the data pre-flags.
//!
//! # Population
//! Handled contacts (answered and ended) whose `ended_at`, as a local date in
//! `settings.timezone`, is the day D. The local day is turned into one
//! half-open instant range `[first instant of D, first instant of D+1)` once,
//! so picking the population is a single integer comparison per contact
//! (DST gaps and repeated hours at midnight are handled by searching for the
//! first instant whose local time is on or after midnight).
//!
//! # Random sample
//! Every contact of the day gets a key `u = H(seed, D, contact id)`, uniform
//! in [0, 1), from [`sample_key`]: a SplitMix64-style mix over the id's bytes
//! written out here, so keys never change between versions or platforms
//! (std's `DefaultHasher` and `rand`'s generators make no such promise).
//! Per agent with n contacts that day, the sample is the K contacts with the
//! smallest keys, `K = max(#{u < rate}, ceil(rate · n))`:
//! - the Bernoulli part `u < rate` depends only on the contact itself, so it
//!   never shrinks as more of the day's contacts arrive;
//! - the top-up to `ceil(rate · n)` takes the smallest remaining keys.
//!
//! Given K, the K smallest of i.i.d. uniform keys are a uniformly random
//! K-subset, so every contact of an agent is equally likely to be checked.
//! Keys tie only on a 53-bit collision; the contact id breaks ties.
//!
//! The top-up part can change as contacts arrive (a newcomer may have a
//! smaller key). To keep the promise "an item once on the list stays on it",
//! the caller passes the ids it listed earlier that day (`already_listed`);
//! they stay listed and count towards their agent's minimum. Flags never
//! enter the random draw.
//!
//! # Targeted list
//! Population contacts with at least one pre-flag that are NOT on the random
//! list, so the lead never scores one contact twice. Random items carry
//! their flags too.
//!
//! # Decisions where the spec is silent
//! - Handled contacts without an agent are grouped under agent `""`: they are
//!   still sampled and can be targeted (a red-line phrase matters whoever
//!   said it), and their coverage row makes the data gap visible.
//! - `ceil(rate · n)` treats a product within 1e-9 of an integer as that
//!   integer (7 % of 100 is 7, not the float 7.000000000000001 → 8). The rate
//!   is clamped to 0…1; a NaN rate samples nothing.
//! - An already-listed id whose contact is no longer in the day's population
//!   (a later upsert moved its `ended_at` or dropped its end) stays on the
//!   random list under its current agent (the lead may have scored it);
//!   it counts as sampled but not as handled. Ids the floor does not know
//!   are dropped.
//! - Both lists are sorted by agent id, then `ended_at`, then contact id.

use std::borrow::Cow;

use chrono::NaiveDate;
use chrono_tz::Tz;
use hashbrown::{HashMap, HashSet};

use super::floor::Floor;
use super::intern::Sym;
use super::record::{Contact, Priority};
use super::settings::{Settings, SlaTarget};
use super::snapshot::{AgentCoverage, SpotCheckItem, SpotCheckReport};
use super::time::{NANOS_PER_SEC, Ts};

/// The pre-flags of spec section 5, in the table's order.
pub const FLAGS: [&str; 7] = [
    "repeat_48h",
    "ivr_over_120s",
    "transfers_2plus",
    "callback_late",
    "red_line",
    "low_csat",
    "sla_breached",
];

const REPEAT_WINDOW_NANOS: i64 = 48 * 3600 * NANOS_PER_SEC;

/// Contacts with a survey scoring `csat ≤ 2`, by contact id. Build it once
/// per pass over many contacts, not per contact.
#[derive(Debug, Default, Clone)]
pub struct LowCsat<'a> {
    ids: HashSet<&'a str>,
}

impl<'a> LowCsat<'a> {
    pub fn from_floor(floor: &'a Floor) -> LowCsat<'a> {
        let ids = floor
            .surveys()
            .iter()
            .filter(|s| s.csat.is_some_and(|c| c <= 2.0))
            .filter_map(|s| s.contact.as_deref())
            .collect();
        LowCsat { ids }
    }

    pub fn contains(&self, contact_id: &str) -> bool {
        self.ids.contains(contact_id)
    }
}

/// Whether lowercasing changes `text`. Chinese has no case, and most notes
/// are already lowercase, so the common answer is "no" without allocating.
fn has_upper(text: &str) -> bool {
    if text.is_ascii() {
        return text.bytes().any(|b| b.is_ascii_uppercase());
    }
    text.chars()
        .any(|c| !is_caseless_cjk(c) && lowercase_differs(c))
}

fn lowercase_differs(c: char) -> bool {
    let mut l = c.to_lowercase();
    l.next() != Some(c) || l.next().is_some()
}

/// Han, kana, Hangul, Yi, CJK and full-width punctuation: blocks without
/// case, checked by range because `char::to_lowercase` is a table search and
/// Chinese notes are the common case.
fn is_caseless_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3134F}')
}

/// `text` lowercased into `buf` when needed. Char-wise, so that phrases and
/// texts go through the very same mapping.
fn lowercase<'t>(text: &'t str, buf: &'t mut String) -> &'t str {
    if !has_upper(text) {
        return text;
    }
    buf.clear();
    if text.is_ascii() {
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(text.chars().flat_map(char::to_lowercase));
    }
    buf
}

/// Red-line phrases lowercased once; empty phrases are dropped (they would
/// match every text).
fn red_line_phrases(settings: &Settings) -> Vec<Cow<'_, str>> {
    settings
        .red_line
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| {
            if has_upper(p) {
                let mut buf = String::new();
                Cow::Owned(lowercase(p, &mut buf).to_string())
            } else {
                Cow::Borrowed(p.as_str())
            }
        })
        .collect()
}

/// Everything the flags need that is worth preparing once per pass.
struct Flagger<'a> {
    floor: &'a Floor,
    settings: &'a Settings,
    now: Ts,
    low_csat: &'a LowCsat<'a>,
    /// The red-line phrases, each with its searcher built once.
    phrases: Vec<memchr::memmem::Finder<'static>>,
    /// First-response limits in nanoseconds of the known priorities, in
    /// `Priority::KNOWN` order (`None`: no SLA target).
    first_response: [Option<i64>; 4],
    scratch: String,
}

/// The first-response limit of a target, in nanoseconds.
fn first_response_nanos(target: SlaTarget) -> i64 {
    i64::from(target.first_response_min) * 60 * NANOS_PER_SEC
}

impl<'a> Flagger<'a> {
    fn new(floor: &'a Floor, settings: &'a Settings, now: Ts, low_csat: &'a LowCsat<'a>) -> Self {
        let limit = |p: Priority| floor.sla_target(settings, p).map(first_response_nanos);
        Flagger {
            floor,
            settings,
            now,
            low_csat,
            phrases: red_line_phrases(settings)
                .iter()
                .map(|p| memchr::memmem::Finder::new(p.as_bytes()).into_owned())
                .collect(),
            first_response: [
                limit(Priority::Urgent),
                limit(Priority::High),
                limit(Priority::Medium),
                limit(Priority::Low),
            ],
            scratch: String::new(),
        }
    }

    /// The flags as bits, bit i for `FLAGS[i]`.
    fn mask(&mut self, c: &Contact) -> u8 {
        let list = c.customer.map_or(&[][..], |customer| {
            self.floor.contacts_of_customer(customer)
        });
        self.mask_with(c, list)
    }

    /// [`Flagger::mask`] with the contact's customer's contacts looked up
    /// already (empty without a customer).
    fn mask_with(&mut self, c: &Contact, customer_contacts: &[(Ts, u32)]) -> u8 {
        let checks = [
            is_repeat_48h(customer_contacts, c),
            c.ivr_s > 120.0,
            c.transfers >= 2,
            is_callback_late(c, self.now),
            self.is_red_line(c),
            self.low_csat.contains(&c.id),
            self.is_sla_breached(c),
        ];
        checks
            .iter()
            .enumerate()
            .fold(0, |m, (i, &hit)| m | (u8::from(hit) << i))
    }

    fn is_red_line(&mut self, c: &Contact) -> bool {
        let Some(text) = c.text() else {
            return false;
        };
        if self.phrases.is_empty() {
            return false;
        }
        let text = lowercase(text, &mut self.scratch).as_bytes();
        // Byte search: a UTF-8 phrase found in UTF-8 text is found at
        // character boundaries, as `str::contains` finds it.
        self.phrases.iter().any(|p| p.find(text).is_some())
    }

    /// Speed of answer beyond the priority's first-response target. An
    /// unanswered contact has no speed of answer, so it is never flagged here.
    fn is_sla_breached(&self, c: &Contact) -> bool {
        let (Some(priority), Some(arrived), Some(answered)) =
            (c.priority, c.arrived_at, c.answered_at)
        else {
            return false;
        };
        let limit = match priority {
            Priority::Urgent => self.first_response[0],
            Priority::High => self.first_response[1],
            Priority::Medium => self.first_response[2],
            Priority::Low => self.first_response[3],
            Priority::Other(_) => self
                .floor
                .sla_target(self.settings, priority)
                .map(first_response_nanos),
        };
        limit.is_some_and(|limit| answered.since(arrived) > limit)
    }
}

/// The customer has another contact that arrived 0 < Δ ≤ 48 h before this
/// one; `earlier` is the customer's contacts (`Floor::contacts_of_customer`).
fn is_repeat_48h(earlier: &[(Ts, u32)], c: &Contact) -> bool {
    let (Some(_), Some(at)) = (c.customer, c.arrived_at) else {
        return false;
    };
    let from = at.nanos().saturating_sub(REPEAT_WINDOW_NANOS);
    let i = earlier.partition_point(|(t, _)| t.nanos() < from);
    earlier.get(i).is_some_and(|(t, _)| *t < at)
}

/// Called back after the promised time, or not yet called back and the
/// promise has passed. On time to the nanosecond is not late.
fn is_callback_late(c: &Contact, now: Ts) -> bool {
    match (c.promised_callback_at(), c.callback_at()) {
        (Some(promised), Some(done)) => done > promised,
        (Some(promised), None) => now > promised,
        (None, _) => false,
    }
}

pub(crate) fn flag_names(mask: u8) -> Vec<&'static str> {
    FLAGS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, f)| *f)
        .collect()
}

/// The pre-flags of `contact`, in the order of [`FLAGS`].
///
/// For many contacts prefer [`spot_check`], which prepares the red-line
/// phrases once; `low_csat` should come from [`LowCsat::from_floor`].
pub fn flags(
    floor: &Floor,
    contact: &Contact,
    settings: &Settings,
    now: Ts,
    low_csat: &LowCsat,
) -> Vec<&'static str> {
    flag_names(Flagger::new(floor, settings, now, low_csat).mask(contact))
}

/// The stable 64-bit hash behind a contact's sample key. Part of the
/// product's contract: changing it reshuffles every past list.
pub fn sample_hash(seed: u64, day: NaiveDate, contact_id: &str) -> u64 {
    const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let days = i64::from(chrono::Datelike::num_days_from_ce(&day)) as u64;
    let mut h = mix(seed.wrapping_add(GAMMA));
    h = mix(h ^ days.wrapping_add(GAMMA.wrapping_mul(2)));
    let bytes = contact_id.as_bytes();
    for chunk in bytes.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = mix(h.wrapping_add(GAMMA) ^ u64::from_le_bytes(word));
    }
    // The length tells "a" from "a\0".
    mix(h ^ (bytes.len() as u64).wrapping_mul(GAMMA))
}

/// A contact's sample key as 53 bits: `u = key / 2^53` is uniform in [0, 1).
pub(crate) fn key53(seed: u64, day: NaiveDate, contact_id: &str) -> u64 {
    sample_hash(seed, day, contact_id) >> 11
}

/// The sample key `u` in [0, 1) of a contact on a day.
pub fn sample_key(seed: u64, day: NaiveDate, contact_id: &str) -> f64 {
    key53(seed, day, contact_id) as f64 / (1u64 << 53) as f64
}

/// `ceil(rate · n)`, with a product within 1e-9 of an integer taken as it.
pub fn required_checks(rate: f64, n: u64) -> u64 {
    let rate = if rate.is_nan() {
        0.0
    } else {
        rate.clamp(0.0, 1.0)
    };
    let x = rate * n as f64;
    let r = x.round();
    let k = if (x - r).abs() <= 1e-9 * r.max(1.0) {
        r
    } else {
        x.ceil()
    };
    (k as u64).min(n)
}

/// `[start, end)` of the local day as instants.
pub fn local_day_range(tz: &Tz, day: NaiveDate) -> (Ts, Ts) {
    let w = super::calendar::day_window(day, *tz);
    (w.from, w.to)
}

/// One contact of the day in an agent's draw.
struct Candidate<'a> {
    key: u64,
    contact: &'a Contact,
    listed: bool,
    in_population: bool,
    flags: u8,
}

/// The spot-check lists of `day` (spec section 5). `already_listed` holds the
/// random-list ids drawn earlier that day (kept by the caller), which stay on
/// the list.
pub fn spot_check(
    floor: &Floor,
    settings: &Settings,
    day: NaiveDate,
    now: Ts,
    already_listed: &[String],
) -> SpotCheckReport {
    spot_check_reading(floor, settings, day, now, already_listed, false)
}

/// [`spot_check`], reading every contact when `all` (the reference the
/// block skipping is tested against).
pub(crate) fn spot_check_reading(
    floor: &Floor,
    settings: &Settings,
    day: NaiveDate,
    now: Ts,
    already_listed: &[String],
    all: bool,
) -> SpotCheckReport {
    let seed = settings.spot_check.seed;
    let rate = settings.spot_check.rate;
    let (start, end) = local_day_range(&settings.timezone, day);
    let listed: HashSet<&str> = already_listed.iter().map(String::as_str).collect();

    let low_csat = LowCsat::from_floor(floor);
    let mut flagger = Flagger::new(floor, settings, now, &low_csat);

    // One pass, in storage order (contacts are large; visiting them in key
    // order would miss the cache on every one): the day's handled contacts
    // with their keys and flags, grouped by agent.
    let mut groups: HashMap<Option<Sym>, Vec<Candidate>> = HashMap::new();
    // A contact that ended in the day is in a block whose latest instant is
    // at or after the day's start: the blocks of earlier days are skipped.
    let recent = |b: crate::domain::floor::BlockSpan| all || b.touches_from(start);
    let population: Vec<&Contact> = floor
        .contacts_scan(recent, false)
        .map(|(_, c)| c)
        .filter(|c| c.answered_at.is_some() && c.ended_at.is_some_and(|t| start <= t && t < end))
        .collect();
    // The repeat flag reads each customer's list, a cache miss or two per
    // contact: the lists of a batch are looked up and touched first, so
    // that their misses overlap instead of queueing one after another.
    const BATCH: usize = 16;
    for batch in population.chunks(BATCH) {
        let mut lists: [&[(Ts, u32)]; BATCH] = [&[]; BATCH];
        for (list, c) in lists.iter_mut().zip(batch) {
            if let Some(customer) = c.customer {
                *list = floor.contacts_of_customer(customer);
            }
        }
        let touched = lists.iter().fold(0i64, |acc, list| {
            acc ^ list.first().map_or(0, |e| e.0.nanos())
        });
        std::hint::black_box(touched);
        for (&c, list) in batch.iter().zip(lists) {
            groups.entry(c.agent).or_default().push(Candidate {
                key: key53(seed, day, &c.id),
                contact: c,
                listed: !listed.is_empty() && listed.contains(&*c.id),
                in_population: true,
                flags: flagger.mask_with(c, list),
            });
        }
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

    let agent_name = |a: Option<Sym>| a.map_or("", |s| floor.names.resolve(s));
    // `to_owned` on the id's text: `to_string` would go through `Display`.
    let item = |c: &Contact, agent: &str, flags: u8| SpotCheckItem {
        contact: c.id.as_str().to_owned(),
        agent: agent.to_owned(),
        flags: flag_names(flags),
        customer: c.customer.map(|s| floor.names.resolve(s).to_owned()),
        ended_at: c.ended_at,
    };

    // Groups in agent order and each group's items in (ended_at, id)
    // order, so the lists come out already in their final order (the sorts
    // at the end then only confirm it, in one pass each).
    let mut groups: Vec<(Option<Sym>, Vec<Candidate>)> = groups.into_iter().collect();
    groups.sort_unstable_by(|a, b| agent_name(a.0).cmp(agent_name(b.0)));
    let threshold = bernoulli_threshold(rate);
    let mut random = Vec::new();
    let mut targeted = Vec::new();
    let mut coverage = Vec::with_capacity(groups.len());
    let mut chosen = Vec::new();
    for (agent, mut group) in groups {
        let name = agent_name(agent);
        let handled = group.iter().filter(|g| g.in_population).count() as u64;
        let required = required_checks(rate, handled);
        // Smallest keys first; the id breaks (astronomically rare) ties.
        group.sort_unstable_by(|a, b| {
            a.key
                .cmp(&b.key)
                .then_with(|| a.contact.id.cmp(&b.contact.id))
        });
        chosen.clear();
        chosen.resize(group.len(), false);
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
        let mut listed: Vec<(&Contact, bool, u8)> = group
            .iter()
            .zip(&chosen)
            .filter(|(g, picked)| **picked || g.flags != 0)
            .map(|(g, picked)| (g.contact, *picked, g.flags))
            .collect();
        listed.sort_unstable_by(|a, b| {
            (a.0.ended_at, a.0.id.as_str()).cmp(&(b.0.ended_at, b.0.id.as_str()))
        });
        for (c, picked, flags) in listed {
            if picked {
                random.push(item(c, name, flags));
            } else {
                targeted.push(item(c, name, flags));
            }
        }
        coverage.push(AgentCoverage {
            agent: name.to_owned(),
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

/// Keys (53-bit) below this have `u < rate`.
pub(crate) fn bernoulli_threshold(rate: f64) -> u64 {
    if rate.is_nan() || rate <= 0.0 {
        return 0;
    }
    if rate >= 1.0 {
        return u64::MAX;
    }
    // u = key / 2^53 < rate  ⇔  key < rate · 2^53 (exact: both sides are
    // representable and the product is only a power-of-two scaling).
    (rate * (1u64 << 53) as f64).ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::record::{Priority, Record, Survey};
    use crate::domain::testkit;
    use crate::domain::time::parse_rfc3339;

    fn ts(s: &str) -> Ts {
        parse_rfc3339(s).expect("test timestamp")
    }

    /// A handled contact with no flags: answered after 10 s, 250 s talk, 20 s wrap.
    fn contact(id: &str) -> Contact {
        Contact {
            arrived_at: Some(ts("2026-11-22T09:00:00+08:00")),
            answered_at: Some(ts("2026-11-22T09:00:10+08:00")),
            ended_at: Some(ts("2026-11-22T09:05:00+08:00")),
            talk_s: 250.0,
            wrap_s: 20.0,
            ..testkit::contact(id)
        }
    }

    fn flags_of(floor: &Floor, c: &Contact, settings: &Settings, now: Ts) -> Vec<&'static str> {
        flags(floor, c, settings, now, &LowCsat::from_floor(floor))
    }

    fn now() -> Ts {
        ts("2026-11-22T18:00:00+08:00")
    }

    #[test]
    fn plain_contact_has_no_flags() {
        let floor = Floor::new();
        assert!(flags_of(&floor, &contact("c1"), &Settings::default(), now()).is_empty());
    }

    #[test]
    fn ivr_and_transfer_edges() {
        let floor = Floor::new();
        let s = Settings::default();
        let mut c = contact("c1");
        c.ivr_s = 120.0;
        c.transfers = 1;
        assert!(
            flags_of(&floor, &c, &s, now()).is_empty(),
            "120 s and 1 transfer are fine"
        );
        c.ivr_s = 120.001;
        c.transfers = 2;
        assert_eq!(
            flags_of(&floor, &c, &s, now()),
            ["ivr_over_120s", "transfers_2plus"]
        );
    }

    #[test]
    fn callback_edges() {
        let floor = Floor::new();
        let s = Settings::default();
        let promised = ts("2026-11-22T12:00:00+08:00");
        let mut c = contact("c1");
        c.set_extra(|e| e.promised_callback_at = Some(promised));
        c.set_extra(|e| e.callback_at = Some(promised));
        assert!(
            flags_of(&floor, &c, &s, now()).is_empty(),
            "exactly on time"
        );
        c.set_extra(|e| e.callback_at = Some(promised.add_nanos(1)));
        assert_eq!(flags_of(&floor, &c, &s, now()), ["callback_late"]);
        c.set_extra(|e| e.callback_at = None);
        assert_eq!(
            flags_of(&floor, &c, &s, now()),
            ["callback_late"],
            "now is past the promise"
        );
        assert!(
            flags_of(&floor, &c, &s, promised).is_empty(),
            "now equals the promise"
        );
        c.set_extra(|e| e.promised_callback_at = None);
        c.set_extra(|e| e.callback_at = Some(promised));
        assert!(
            flags_of(&floor, &c, &s, now()).is_empty(),
            "nothing was promised"
        );
    }

    #[test]
    fn repeat_within_48h_exactly() {
        let mut floor = Floor::new();
        let cust = floor.names.intern("cust-1");
        let other = floor.names.intern("cust-2");
        let at = ts("2026-11-22T09:00:00+08:00");
        let mut earlier = contact("p");
        earlier.customer = Some(cust);
        earlier.arrived_at = Some(at.add_secs(-48 * 3600));
        floor.apply(Record::Contact(earlier));
        let mut c = contact("c");
        c.customer = Some(cust);
        c.arrived_at = Some(at);
        floor.apply(Record::Contact(c.clone()));
        let s = Settings::default();
        assert_eq!(
            flags_of(&floor, &c, &s, now()),
            ["repeat_48h"],
            "48 h exactly"
        );
        // The earlier contact is not itself a repeat (its Δ to c is negative).
        let p = floor.contact("p").expect("applied").clone();
        assert!(flags_of(&floor, &p, &s, now()).is_empty());
        // One nanosecond more than 48 h is outside.
        let mut moved = floor.contact("p").expect("applied").clone();
        moved.arrived_at = Some(at.add_nanos(-48 * 3600 * NANOS_PER_SEC - 1));
        floor.apply(Record::Contact(moved));
        assert!(flags_of(&floor, &c, &s, now()).is_empty());
        // Same instant (Δ = 0) is not a repeat either.
        let mut twin = contact("twin");
        twin.customer = Some(cust);
        twin.arrived_at = Some(at);
        floor.apply(Record::Contact(twin));
        assert!(flags_of(&floor, &c, &s, now()).is_empty());
        // Another customer's contact never counts, nor does a missing customer.
        let mut stranger = contact("s");
        stranger.customer = Some(other);
        stranger.arrived_at = Some(at.add_secs(-3600));
        floor.apply(Record::Contact(stranger));
        let mut anonymous = c.clone();
        anonymous.customer = None;
        assert!(flags_of(&floor, &c, &s, now()).is_empty());
        assert!(flags_of(&floor, &anonymous, &s, now()).is_empty());
    }

    #[test]
    fn red_line_is_case_insensitive_in_english_and_chinese() {
        let floor = Floor::new();
        let s = Settings {
            red_line: vec!["Shut Up".into(), "闭嘴".into(), "".into()],
            ..Settings::default()
        };
        let mut c = contact("c1");
        c.set_extra(|e| e.text = Some("Customer said: please SHUT UP already".into()));
        assert_eq!(flags_of(&floor, &c, &s, now()), ["red_line"]);
        c.set_extra(|e| e.text = Some("客户：你给我闭嘴！".into()));
        assert_eq!(flags_of(&floor, &c, &s, now()), ["red_line"]);
        c.set_extra(|e| e.text = Some("坐席说 Shut up 了".into()));
        assert_eq!(flags_of(&floor, &c, &s, now()), ["red_line"]);
        c.set_extra(|e| e.text = Some("shut the door, up to you; 闭 嘴".into()));
        assert!(
            flags_of(&floor, &c, &s, now()).is_empty(),
            "no substring, and empty phrases match nothing"
        );
        c.set_extra(|e| e.text = None);
        assert!(flags_of(&floor, &c, &s, now()).is_empty());
    }

    #[test]
    fn low_csat_from_any_survey_of_the_contact() {
        let mut floor = Floor::new();
        let survey = |id: &str, contact: &str, csat: Option<f64>| {
            Record::Survey(Survey {
                id: id.into(),
                contact: Some(contact.into()),
                at: None,
                csat,
                nps: None,
                comment: None,
            })
        };
        floor.apply(survey("s1", "c1", Some(5.0)));
        floor.apply(survey("s2", "c1", Some(2.0)));
        floor.apply(survey("s3", "c2", Some(3.0)));
        floor.apply(survey("s4", "c3", None));
        let s = Settings::default();
        assert_eq!(flags_of(&floor, &contact("c1"), &s, now()), ["low_csat"]);
        assert!(flags_of(&floor, &contact("c2"), &s, now()).is_empty());
        assert!(flags_of(&floor, &contact("c3"), &s, now()).is_empty());
    }

    #[test]
    fn sla_breach_by_priority() {
        let floor = Floor::new();
        let mut names = crate::domain::Interner::default();
        let s = Settings::default();
        let at = ts("2026-11-22T09:00:00+08:00");
        let mut c = contact("c1");
        c.arrived_at = Some(at);
        c.priority = Some(Priority::Urgent);
        c.answered_at = Some(at.add_secs(5 * 60));
        assert!(
            flags_of(&floor, &c, &s, now()).is_empty(),
            "5 min exactly is within"
        );
        c.answered_at = Some(at.add_nanos(5 * 60 * NANOS_PER_SEC + 1));
        assert_eq!(flags_of(&floor, &c, &s, now()), ["sla_breached"]);
        c.priority = Some(Priority::Medium);
        assert!(
            flags_of(&floor, &c, &s, now()).is_empty(),
            "medium allows 2 h"
        );
        c.priority = Some(Priority::Other(names.intern("vip")));
        c.answered_at = Some(at.add_secs(30 * 24 * 3600));
        assert!(
            flags_of(&floor, &c, &s, now()).is_empty(),
            "unknown priority never breaches"
        );
        c.priority = None;
        assert!(flags_of(&floor, &c, &s, now()).is_empty());
    }

    #[test]
    fn flags_come_in_table_order() {
        let mut floor = Floor::new();
        floor.apply(Record::Survey(Survey {
            id: "s".into(),
            contact: Some("c1".into()),
            at: None,
            csat: Some(1.0),
            nps: None,
            comment: None,
        }));
        let mut c = contact("c1");
        c.priority = Some(Priority::Urgent);
        c.answered_at = c.arrived_at.map(|t| t.add_secs(3600));
        c.set_extra(|e| e.text = Some("you IDIOT".into()));
        c.transfers = 3;
        c.ivr_s = 200.0;
        c.set_extra(|e| e.promised_callback_at = Some(ts("2026-11-22T10:00:00+08:00")));
        assert_eq!(
            flags_of(&floor, &c, &Settings::default(), now()),
            [
                "ivr_over_120s",
                "transfers_2plus",
                "callback_late",
                "red_line",
                "low_csat",
                "sla_breached"
            ]
        );
    }

    #[test]
    fn caseless_ranges_really_have_no_case() {
        let all = (0..=0x10FFFFu32).filter_map(char::from_u32);
        for c in all.filter(|&c| is_caseless_cjk(c)) {
            assert!(!lowercase_differs(c), "{c:?} U+{:04X}", c as u32);
        }
        assert!(lowercase_differs('Ａ'), "full-width A–Z do have case");
    }

    #[test]
    fn required_checks_are_exact_ceilings() {
        for (n, want) in [
            (0, 0),
            (1, 1),
            (9, 1),
            (10, 1),
            (11, 2),
            (30, 3),
            (95, 10),
            (100, 10),
        ] {
            assert_eq!(required_checks(0.10, n), want, "n = {n}");
        }
        assert_eq!(
            required_checks(0.07, 100),
            7,
            "0.07 × 100 = 7.000000000000001 in floats"
        );
        assert_eq!(required_checks(0.0, 50), 0);
        assert_eq!(required_checks(f64::NAN, 50), 0);
        assert_eq!(required_checks(1.5, 7), 7);
    }

    #[test]
    fn bernoulli_threshold_is_exact() {
        let t = bernoulli_threshold(0.5);
        assert_eq!(t, 1u64 << 52);
        assert!(((t - 1) as f64 / (1u64 << 53) as f64) < 0.5);
        assert_eq!(bernoulli_threshold(0.0), 0);
        assert_eq!(bernoulli_threshold(1.0), u64::MAX);
    }

    #[test]
    fn sample_hash_is_pinned() {
        // Values from an independent Python implementation of the same mix
        // (SplitMix64 finaliser over seed, days from CE, 8-byte LE words, length).
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert_eq!(sample_hash(0, day, "c-1"), PINNED_C1);
        assert_eq!(sample_hash(42, day, "联系-123456789"), PINNED_CN);
        assert_ne!(sample_hash(0, day, "a"), sample_hash(0, day, "a\0"));
    }

    const PINNED_C1: u64 = 18_113_724_815_806_130_899;
    const PINNED_CN: u64 = 6_879_458_566_417_693_194;

    #[test]
    fn local_day_in_shanghai() {
        let tz: Tz = "Asia/Shanghai".parse().expect("zone");
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let (start, end) = local_day_range(&tz, day);
        assert_eq!(start, ts("2026-11-21T16:00:00Z"));
        assert_eq!(end, ts("2026-11-22T16:00:00Z"));
    }

    #[test]
    fn local_day_across_dst_at_midnight() {
        // São Paulo, 2018: DST began at 00:00 on 4 Nov (clocks to 01:00), and
        // ended at 00:00 on 17 Feb 2019 (clocks back to 23:00 on the 16th).
        let tz: Tz = "America/Sao_Paulo".parse().expect("zone");
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        let (start, end) = local_day_range(&tz, d(2018, 11, 4));
        assert_eq!(
            start,
            ts("2018-11-04T03:00:00Z"),
            "first instant is 01:00 −02"
        );
        assert_eq!(end, ts("2018-11-05T02:00:00Z"), "a 23-hour day");
        let (start, end) = local_day_range(&tz, d(2019, 2, 16));
        assert_eq!(start, ts("2019-02-16T02:00:00Z"));
        assert_eq!(end, ts("2019-02-17T03:00:00Z"), "a 25-hour day");
        // Havana repeats midnight (01:00 CDT back to 00:00 CST): the day
        // starts at the first midnight.
        let tz: Tz = "America/Havana".parse().expect("zone");
        let (start, _) = local_day_range(&tz, d(2018, 11, 4));
        assert_eq!(start, ts("2018-11-04T04:00:00Z"));
    }
}
