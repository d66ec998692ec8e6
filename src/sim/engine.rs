//! The floor as a discrete-event simulation: contacts arrive per queue,
//! wait, are answered by the longest-idle agent of the queue's pool (or
//! abandon), talk, wrap up and end; agents log in for rostered shifts, take
//! breaks and lunch (each shift is written as a `shift` line, the plan, when
//! the day is rostered); surveys, promised callbacks, repeat contacts and
//! feedback items follow from what happened. Every change is written as a
//! feed line at the simulated instant it happens, so the output is in time
//! order.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;

use super::emit::{Emitter, Secs, local_midnight};
use super::model::*;
use super::names;
use super::rng::Rng;
use super::{SimOptions, SimStats};

const NONE: u32 = u32::MAX;
const NO_TIME: Secs = i64::MIN;
const HOUR: Secs = 3600;
const SLOTS_PER_DAY: usize = 96; // quarter hours
const FLUSH_AT: usize = 1 << 18;
/// β of the square-root staffing rule (≈ 80 % answered within 20 s).
const SQRT_STAFFING_BETA: f64 = 0.6;
const SHORT_BREAK_S: i64 = 900;
/// Share of on-floor time really available for contacts.
const AWAY_FACTOR: f64 = 0.97;

/// How contacts are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// History: one line per contact when it is final (plus one more when a
    /// promised callback is made). Keeps big files small.
    FinalOnly,
    /// Live: a line at arrival, answer, end of talk and end of wrap-up, as a
    /// real feed upserts a contact while it progresses.
    Upserts,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Free,
    Waiting,
    Talking,
    Wrapping,
    /// Finished, kept only until its promised callback is made.
    Done,
}

struct ContactRt {
    num: u32,
    phase: Phase,
    queue: u8,
    category: u8,
    priority: u8,
    transfers: u8,
    resolved: bool,
    written: bool,
    /// The promised callback will be late or never happen.
    callback_missed: bool,
    customer: u32,
    agent: u32,
    arrived: Secs,
    answered: Secs,
    abandoned: Secs,
    ended: Secs,
    promised_cb: Secs,
    callback: Secs,
    talk: u32,
    hold: u32,
    wrap: u32,
    ivr: u32,
    text: Option<&'static str>,
}

impl ContactRt {
    fn empty() -> ContactRt {
        ContactRt {
            num: NONE,
            phase: Phase::Free,
            queue: 0,
            category: 0,
            priority: 2,
            transfers: 0,
            resolved: true,
            written: false,
            callback_missed: false,
            customer: NONE,
            agent: NONE,
            arrived: NO_TIME,
            answered: NO_TIME,
            abandoned: NO_TIME,
            ended: NO_TIME,
            promised_cb: NO_TIME,
            callback: NO_TIME,
            talk: 0,
            hold: 0,
            wrap: 0,
            ivr: 0,
            text: None,
        }
    }
}

struct AgentRt {
    pool: usize,
    /// Queues in the order this agent takes work from them.
    prefs: [u8; 2],
    team: u32,
    /// Handle-time factor (some agents are quicker than others).
    eff: f64,
    /// Survey tilt: positive agents get better scores.
    quality: f64,
    /// Chance that a handled contact shows a red-line phrase.
    red_line: f64,
    /// Break length factor: a few agents overstay their breaks.
    overstay: f64,
    /// Chance of one more transfer on a contact (a few agents pass work on).
    extra_transfer: f64,
    /// First of two consecutive days off (0 = Monday).
    off_start: u32,
    last_shift_end: Secs,
    planned_shifts: u32,
    shift_no: u32,
    on_shift: bool,
    on_break: bool,
    /// The break under way is the lunch hour (logged out, not `break`).
    at_lunch: bool,
    pending_break: u32,
    pending_off: bool,
    sessions: [u32; 2],
    talking: u8,
    wrapping: u8,
    /// Bumped on every change of availability; stale idle entries are skipped.
    ticket: u32,
    last_state: u8,
    last_queue: u8,
}

#[derive(Clone, Copy)]
struct Shift {
    start: Secs,
    end: Secs,
    lunch_start: Secs,
    lunch_end: Secs,
    /// Starts of the two 15-minute breaks.
    breaks: [Secs; 2],
}

impl Shift {
    /// Seconds of [a, b) this shift is on the floor (not at lunch or on break).
    fn worked(&self, a: Secs, b: Secs) -> i64 {
        let mut s =
            overlap(self.start, self.lunch_start, a, b) + overlap(self.lunch_end, self.end, a, b);
        for br in self.breaks {
            s -= overlap(br, br + SHORT_BREAK_S, a, b);
        }
        s.max(0)
    }
}

struct PoolRt {
    agents: Vec<u32>,
    /// Agents able to take a contact, longest idle first: (agent, ticket).
    idle: VecDeque<(u32, u32)>,
    prev_shifts: Vec<Shift>,
    shifts: Vec<Shift>,
    /// Contacts one staffed agent completes per second.
    rate_per_agent: f64,
    /// Mean handle seconds of the pool's contact mix.
    mean_handle: f64,
}

struct FeedbackRt {
    num: u32,
    source: u8,
    summary: &'static str,
    customer: u32,
    contact: u32,
    received: Secs,
    category: u8,
    owner: u32,
    stage: u8,
    due: Secs,
    result: Option<&'static str>,
    callback_result: u8,
    root_cause: u8,
    reopened: bool,
    pace: f64,
}

#[derive(Clone, Copy)]
struct SurveyEv {
    contact: u32,
    customer: u32,
    csat: u8,
    nps: u8,
    comment: u8,
}

#[derive(Clone, Copy)]
enum Ev {
    /// The first instant: every agent's initial state.
    Open,
    DayStart,
    /// A customer contacting again (redial, follow-up, chasing a callback).
    Arrive {
        queue: u8,
        customer: u32,
    },
    Abandon {
        slot: u32,
        num: u32,
    },
    TalkEnd {
        slot: u32,
        num: u32,
    },
    WrapEnd {
        slot: u32,
        num: u32,
    },
    Callback {
        slot: u32,
        num: u32,
    },
    ShiftStart {
        agent: u32,
        shift_no: u32,
    },
    BreakDue {
        agent: u32,
        shift_no: u32,
        secs: u32,
    },
    BreakEnd {
        agent: u32,
        shift_no: u32,
    },
    ShiftEnd {
        agent: u32,
        shift_no: u32,
    },
    Survey(SurveyEv),
    FeedbackStep {
        item: u32,
    },
}

struct Entry {
    t: Secs,
    seq: u64,
    ev: Ev,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.t == o.t && self.seq == o.seq
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    /// Reversed: the earliest (then first scheduled) entry is the heap's top.
    fn cmp(&self, o: &Self) -> Ordering {
        o.t.cmp(&self.t).then(o.seq.cmp(&self.seq))
    }
}

#[derive(Clone, Copy)]
struct Arrival {
    t: Secs,
    queue: u8,
    incident: bool,
}

pub struct Engine {
    rng: Rng,
    tz: Tz,
    pub em: Emitter,
    mode: Mode,
    now: Secs,
    first_day: NaiveDate,
    /// Days with arrivals; `None` runs on for ever (live mode).
    days: Option<u32>,
    next_day: i64,
    heap: BinaryHeap<Entry>,
    seq: u64,
    arrivals: Vec<Arrival>,
    arr_pos: usize,
    /// Per queue, per priority: waiting (slot, num), oldest first.
    waiting: Vec<[VecDeque<(u32, u32)>; 4]>,
    agents: Vec<AgentRt>,
    pools: Vec<PoolRt>,
    contacts: Vec<ContactRt>,
    free_slots: Vec<u32>,
    feedback: Vec<FeedbackRt>,
    owners: Vec<String>,
    next_contact: u32,
    next_survey: u32,
    customers: u64,
    /// Today's handle-time noise (some days are simply slower).
    day_handle: f64,
    /// Incident window of today: [start, end) and whether there is one.
    incident: (Secs, Secs),
    stats: SimStats,
    scratch: Vec<u32>,
}

impl Engine {
    /// A floor starting at local midnight of `opts.start`, with its queue and
    /// agent records and every agent's initial `offline` state already written.
    pub fn new(opts: &SimOptions, mode: Mode, days: Option<u32>) -> Engine {
        let tz = opts.tz;
        let t0 = local_midnight(&tz, opts.start);
        let mut rng = Rng::new(opts.seed, 1);
        let mut name_rng = Rng::new(opts.seed, 2);
        // The outliers a lead looks for on the Agents pane, from a stream of
        // their own: about one agent in ten overstays breaks, one in twenty
        // handles slowly, one in sixteen transfers much more than the rest.
        let mut odd_rng = Rng::new(opts.seed, 3);
        let mut taken = HashSet::new();
        let n = opts.agents as usize;
        let agent_names = names::distinct_names(&mut name_rng, n, &mut taken);
        let owners = names::distinct_names(&mut name_rng, (n / 40).clamp(3, 12), &mut taken);

        // Pool sizes: phone, chat, back office (rounded; the rest to the back office).
        let mut sizes = [0usize; 3];
        sizes[POOL_PHONE] = ((n as f64) * POOLS[POOL_PHONE].share).round() as usize;
        sizes[POOL_CHAT] =
            (((n as f64) * POOLS[POOL_CHAT].share).round() as usize).min(n - sizes[POOL_PHONE]);
        sizes[POOL_BACK] = n - sizes[POOL_PHONE] - sizes[POOL_CHAT];

        let mut agents = Vec::with_capacity(n);
        let mut pools = Vec::with_capacity(3);
        for (p, def) in POOLS.iter().enumerate() {
            let mean_handle: f64 = QUEUES
                .iter()
                .filter(|q| q.pool == p)
                .map(|q| q.share * mean_handle_s(q))
                .sum();
            let mut members = Vec::with_capacity(sizes[p]);
            for k in 0..sizes[p] {
                let second_first = rng.chance(def.second_first);
                let prefs = if second_first {
                    [def.queues[1] as u8, def.queues[0] as u8]
                } else {
                    [def.queues[0] as u8, def.queues[1] as u8]
                };
                let off_start = if rng.chance(0.35) {
                    5
                } else {
                    rng.below(7) as u32
                };
                let careless = rng.chance(0.08);
                members.push(agents.len() as u32);
                agents.push(AgentRt {
                    pool: p,
                    prefs,
                    team: (k / TEAM_SIZE) as u32 + 1,
                    eff: rng.lognormal(1.0, 0.11).clamp(0.75, 1.4)
                        * if odd_rng.chance(0.05) {
                            odd_rng.range_f64(1.25, 1.45)
                        } else {
                            1.0
                        },
                    overstay: if odd_rng.chance(0.10) {
                        odd_rng.range_f64(1.5, 2.3)
                    } else {
                        1.0
                    },
                    extra_transfer: if odd_rng.chance(0.06) {
                        odd_rng.range_f64(0.15, 0.3)
                    } else {
                        0.0
                    },
                    quality: rng.normal() * 0.5,
                    red_line: if careless {
                        rng.range_f64(0.01, 0.05)
                    } else {
                        0.0
                    },
                    off_start,
                    last_shift_end: NO_TIME,
                    planned_shifts: 0,
                    shift_no: 0,
                    on_shift: false,
                    on_break: false,
                    at_lunch: false,
                    pending_break: 0,
                    pending_off: false,
                    sessions: [NONE; 2],
                    talking: 0,
                    wrapping: 0,
                    ticket: 0,
                    last_state: u8::MAX,
                    last_queue: u8::MAX,
                });
            }
            pools.push(PoolRt {
                agents: members,
                idle: VecDeque::new(),
                prev_shifts: Vec::new(),
                shifts: Vec::new(),
                rate_per_agent: def.concurrency_gain / mean_handle,
                mean_handle,
            });
        }

        let mut eng = Engine {
            rng,
            tz,
            em: Emitter::new(tz),
            mode,
            now: t0,
            first_day: opts.start,
            days,
            next_day: 0,
            heap: BinaryHeap::new(),
            seq: 0,
            arrivals: Vec::new(),
            arr_pos: 0,
            waiting: (0..QUEUES.len()).map(|_| Default::default()).collect(),
            agents,
            pools,
            contacts: Vec::new(),
            free_slots: Vec::new(),
            feedback: Vec::new(),
            owners,
            next_contact: 1,
            next_survey: 1,
            // Large enough that chance repeats stay a few per cent; explicit
            // follow-ups (unresolved, abandoned, late callbacks) add the rest.
            customers: (n as u64 * 3000).max(2000),
            day_handle: 1.0,
            incident: (NO_TIME, NO_TIME),
            stats: SimStats::default(),
            scratch: Vec::new(),
        };
        eng.write_header(&agent_names);
        // Everyone starts offline (an event, so nothing is written when
        // the run stops before t0); yesterday's night shift may still be on
        // the floor at t0.
        eng.push(t0, Ev::Open);
        eng.plan_day(-1, t0);
        if days.is_none_or(|d| d > 0) {
            eng.push(t0, Ev::DayStart);
        }
        eng
    }

    pub fn stats(&self) -> SimStats {
        SimStats {
            lines: self.em.lines,
            ..self.stats
        }
    }

    pub fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    /// Local midnight that ends the last day with arrivals.
    pub fn end_of_days(&self) -> Secs {
        let days = self.days.unwrap_or(0) as i64;
        local_midnight(&self.tz, self.first_day + Duration::days(days))
    }

    /// Writes the buffered lines to `out`.
    pub fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.em.buf.is_empty() {
            out.write_all(&self.em.buf)?;
            self.em.buf.clear();
        }
        Ok(())
    }

    fn push(&mut self, t: Secs, ev: Ev) {
        self.seq += 1;
        self.heap.push(Entry {
            t,
            seq: self.seq,
            ev,
        });
    }

    /// Processes every event at or before `horizon`, in time order.
    pub fn run_until(&mut self, horizon: Secs, out: &mut dyn Write) -> io::Result<()> {
        loop {
            let heap_t = self.heap.peek().map(|e| e.t);
            let arr_t = self.arrivals.get(self.arr_pos).map(|a| a.t);
            let from_heap = match (heap_t, arr_t) {
                (Some(h), Some(a)) => h <= a,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let t = if from_heap { heap_t } else { arr_t }.unwrap_or(horizon);
            if t > horizon {
                break;
            }
            self.now = t;
            if from_heap {
                if let Some(entry) = self.heap.pop() {
                    self.handle(entry.ev);
                }
            } else {
                let a = self.arrivals[self.arr_pos];
                self.arr_pos += 1;
                self.arrive(a.queue as usize, None, a.incident);
            }
            if self.em.buf.len() >= FLUSH_AT {
                self.drain(out)?;
            }
        }
        self.now = self.now.max(horizon);
        Ok(())
    }

    /// Writes every contact still in progress (waiting, talking or wrapping
    /// up) in its current state, as a feed shows it at that instant.
    pub fn write_in_progress(&mut self) {
        let mut open: Vec<(u32, u32)> = self
            .contacts
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.phase, Phase::Waiting | Phase::Talking | Phase::Wrapping))
            .map(|(i, c)| (c.num, i as u32))
            .collect();
        open.sort_unstable();
        for (_, slot) in open {
            self.write_contact(slot);
        }
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Open => {
                for i in 0..self.agents.len() {
                    self.sync_state(i as u32);
                }
            }
            Ev::DayStart => self.day_start(),
            Ev::Arrive { queue, customer } => self.arrive(queue as usize, Some(customer), false),
            Ev::Abandon { slot, num } => self.abandon(slot, num),
            Ev::TalkEnd { slot, num } => self.talk_end(slot, num),
            Ev::WrapEnd { slot, num } => self.wrap_end(slot, num),
            Ev::Callback { slot, num } => self.callback(slot, num),
            Ev::ShiftStart { agent, shift_no } => {
                let a = &mut self.agents[agent as usize];
                a.shift_no = shift_no;
                a.on_shift = true;
                a.on_break = false;
                a.pending_break = 0;
                a.pending_off = false;
                self.agent_free(agent);
            }
            Ev::BreakDue {
                agent,
                shift_no,
                secs,
            } => {
                let a = &mut self.agents[agent as usize];
                if a.shift_no != shift_no || !a.on_shift || a.on_break || a.pending_off {
                    return;
                }
                a.pending_break = a.pending_break.max(secs);
                if a.talking + a.wrapping == 0 {
                    self.agent_free(agent);
                }
            }
            Ev::BreakEnd { agent, shift_no } => {
                let a = &mut self.agents[agent as usize];
                if a.shift_no == shift_no && a.on_break {
                    a.on_break = false;
                    self.agent_free(agent);
                }
            }
            Ev::ShiftEnd { agent, shift_no } => {
                let a = &mut self.agents[agent as usize];
                if a.shift_no != shift_no || !a.on_shift {
                    return;
                }
                a.pending_off = true;
                a.pending_break = 0;
                if a.talking + a.wrapping == 0 {
                    self.agent_free(agent);
                } else {
                    // Stop offering work; log out after the last contact.
                    a.ticket += 1;
                }
            }
            Ev::Survey(s) => self.survey(s),
            Ev::FeedbackStep { item } => self.feedback_step(item),
        }
    }

    // ----- roster and arrivals -------------------------------------------------

    fn day_start(&mut self) {
        let day = self.next_day;
        self.next_day += 1;
        let date = self.first_day + Duration::days(day);
        let start = local_midnight(&self.tz, date);
        let end = local_midnight(&self.tz, date + Duration::days(1));
        self.plan_day(day, start);
        self.day_handle = (1.0 + 0.03 * self.rng.normal()).clamp(0.92, 1.08);
        self.make_arrivals(date, start, end);
        if self.days.is_none_or(|d| day + 1 < d as i64) {
            self.push(end, Ev::DayStart);
        }
    }

    /// Rosters the agents working on day `day` (relative to the first day):
    /// greedy shift choice so that staffing follows the pool's arrival curve,
    /// at least 10 h rest between shifts, two days off a week (weekends
    /// lighter). Events before `not_before` are dropped (the sim starts then).
    fn plan_day(&mut self, day: i64, not_before: Secs) {
        let date = self.first_day + Duration::days(day);
        let weekday = date.weekday().num_days_from_monday();
        let day_start = local_midnight(&self.tz, date);
        for (p, def) in POOLS.iter().enumerate() {
            let mut working = std::mem::take(&mut self.scratch);
            working.clear();
            for &a in &self.pools[p].agents {
                let off = self.agents[a as usize].off_start;
                if weekday != off && weekday != (off + 1) % 7 {
                    working.push(a);
                }
            }
            // Shuffle so nobody is always first to pick a shift.
            for i in (1..working.len()).rev() {
                let j = self.rng.below(i as u64 + 1) as usize;
                working.swap(i, j);
            }
            let total: f64 = def.curve.iter().sum();
            let work_slots = (SHIFT_HALF_HOURS - 2) as f64;
            let mut need = [0f64; 96];
            for (s, n) in need.iter_mut().enumerate() {
                *n = def.curve[(s / 2) % 24] / (total * 2.0) * working.len() as f64 * work_slots;
            }
            // Half hours already covered by last night's shifts.
            let mut cover = [0f64; 96];
            for sh in &self.pools[p].shifts {
                for (s, c) in cover.iter_mut().enumerate().take(48) {
                    let from = day_start + s as i64 * 1800;
                    if sh.start <= from && from + 1800 <= sh.end {
                        *c += 1.0;
                    }
                }
            }
            let prev = std::mem::take(&mut self.pools[p].shifts);
            self.pools[p].prev_shifts = prev;
            let mut shifts = Vec::with_capacity(working.len());
            let span = def.last_start - def.first_start + 1;
            for &a in &working {
                let rot = self.rng.below(span as u64) as usize;
                let mut best: Option<(usize, f64)> = None;
                for k in 0..span {
                    let st = def.first_start + (rot + k) % span;
                    let start = day_start + st as i64 * 1800;
                    let last_end = self.agents[a as usize].last_shift_end;
                    if last_end != NO_TIME && start < last_end + 10 * HOUR {
                        continue;
                    }
                    let mut gain = 0.0;
                    for h in 0..SHIFT_HALF_HOURS {
                        if h == LUNCH_AT_HALF_HOUR || h == LUNCH_AT_HALF_HOUR + 1 {
                            continue;
                        }
                        let s = st + h;
                        gain += (need[s] - cover[s]).clamp(0.0, 1.0);
                    }
                    if best.is_none_or(|(_, g)| gain > g) {
                        best = Some((st, gain));
                    }
                }
                let Some((st, _)) = best else { continue };
                for h in 0..SHIFT_HALF_HOURS {
                    if h != LUNCH_AT_HALF_HOUR && h != LUNCH_AT_HALF_HOUR + 1 {
                        cover[st + h] += 1.0;
                    }
                }
                let shift = self.schedule_shift(a, day_start + st as i64 * 1800, not_before);
                shifts.push(shift);
            }
            self.pools[p].shifts = shifts;
            self.scratch = working;
        }
    }

    fn schedule_shift(&mut self, agent: u32, planned: Secs, not_before: Secs) -> Shift {
        let r = &mut self.rng;
        // Most log in a few minutes early; a few are late.
        let start = planned + (r.normal() * 150.0 - 120.0).clamp(-600.0, 900.0) as i64;
        let end = planned + (SHIFT_HALF_HOURS as i64) * 1800 + r.below(300) as i64;
        let lunch_start = planned + 3 * HOUR + 1800 * (1 + r.below(3) as i64);
        let lunch_end = lunch_start + HOUR;
        let break1 = planned + 2 * HOUR + r.below(1500) as i64 - 600;
        let break2 = planned + 6 * HOUR + 1800 + r.below(1500) as i64 - 600;
        let a = &mut self.agents[agent as usize];
        a.planned_shifts += 1;
        a.last_shift_end = end;
        let n = a.planned_shifts;
        if end > not_before {
            // The plan, written when the day is rostered: the rostered start
            // and length, no queue (the agent's pool is placed by its states).
            let e = &mut self.em;
            e.begin("shift");
            e.id("agent", "a-", agent as u64 + 1, 4);
            e.ts("start", planned);
            e.ts("end", planned + SHIFT_HALF_HOURS as i64 * 1800);
            e.end();
            self.push(start.max(not_before), Ev::ShiftStart { agent, shift_no: n });
            for (at, secs) in [
                (break1, SHORT_BREAK_S as u32),
                (lunch_start, 3600),
                (break2, SHORT_BREAK_S as u32),
            ] {
                if at >= not_before {
                    self.push(
                        at,
                        Ev::BreakDue {
                            agent,
                            shift_no: n,
                            secs,
                        },
                    );
                }
            }
            self.push(end, Ev::ShiftEnd { agent, shift_no: n });
        }
        Shift {
            start,
            end,
            lunch_start,
            lunch_end,
            breaks: [break1, break2],
        }
    }

    /// Arrivals of one day, per quarter hour. Live channels follow the staffed
    /// capacity times a load factor with systematic and random deviations (a
    /// morning rush that outpaces the roster, lunch, noise, now and then an
    /// incident); the back office gets its day's volume along its own curve.
    fn make_arrivals(&mut self, date: NaiveDate, start: Secs, end: Secs) {
        debug_assert_eq!(self.arr_pos, self.arrivals.len());
        self.arrivals.clear();
        self.arr_pos = 0;
        let weekday = date.weekday().num_days_from_monday() as usize;
        const WEEKDAY_FACTOR: [f64; 7] = [1.05, 1.0, 1.0, 1.0, 0.97, 0.98, 1.0];
        let day_factor = WEEKDAY_FACTOR[weekday] * (1.0 + 0.04 * self.rng.normal());
        // One incident on roughly one day in six: an outage or a botched release.
        let incident = if self.rng.chance(0.17) {
            let s = 36 + self.rng.below(44) as usize;
            let len = 4 + self.rng.below(5) as usize;
            (s, s + len, self.rng.range_f64(1.25, 1.5))
        } else {
            (usize::MAX, usize::MAX, 1.0)
        };
        self.incident = if incident.0 == usize::MAX {
            (NO_TIME, NO_TIME)
        } else {
            (
                start + incident.0 as i64 * 900,
                start + incident.1 as i64 * 900,
            )
        };
        for (p, def) in POOLS.iter().enumerate() {
            let pool = &self.pools[p];
            let mean_handle = pool.mean_handle;
            let mut cov = [0f64; SLOTS_PER_DAY];
            for sh in pool.prev_shifts.iter().chain(pool.shifts.iter()) {
                for (j, c) in cov.iter_mut().enumerate() {
                    let a = start + j as i64 * 900;
                    let b = a + 900;
                    *c += sh.worked(a, b) as f64 / 900.0;
                }
            }
            // Time away beyond the rostered breaks (late logins, toilet, coaching).
            let per_agent = pool.rate_per_agent * AWAY_FACTOR;
            let curve_total: f64 = def.curve.iter().sum();
            let day_capacity: f64 = cov.iter().sum::<f64>() * 900.0 * per_agent;
            let queues: Vec<usize> = (0..QUEUES.len()).filter(|&q| QUEUES[q].pool == p).collect();
            let weights: Vec<u32> = queues
                .iter()
                .map(|&q| (QUEUES[q].share * 1000.0) as u32)
                .collect();
            let mut noise = 0.0;
            for (j, &c) in cov.iter().enumerate() {
                noise = 0.85 * noise + 0.035 * self.rng.normal();
                let rush = match j {
                    36..=41 => 0.06, // 09:00–10:30
                    48..=53 => 0.05, // 12:00–13:30
                    _ => 0.0,
                };
                let in_incident = j >= incident.0 && j < incident.1;
                let surge = if in_incident { incident.2 } else { 1.0 };
                let base = if def.follows_staffing {
                    // Square-root staffing: n servers carry a = n − β√a Erlangs
                    // at a steady service level, so small night crews run at
                    // lower occupancy than the big day shift.
                    let servers = c * def.concurrency_gain * AWAY_FACTOR;
                    let root = (SQRT_STAFFING_BETA * SQRT_STAFFING_BETA / 4.0 + servers).sqrt()
                        - SQRT_STAFFING_BETA / 2.0;
                    def.load * root * root / mean_handle
                } else {
                    def.load * day_capacity * def.curve[j / 4] / (curve_total * 4.0 * 900.0)
                };
                let lambda = base * day_factor * (1.0 + rush + noise).max(0.3) * surge;
                let count = self.rng.poisson(lambda * 900.0);
                let slot_start = start + j as i64 * 900;
                for _ in 0..count {
                    let t = slot_start + self.rng.below(900) as i64;
                    if t >= end {
                        continue;
                    }
                    let q = queues[self.rng.weighted(&weights)];
                    self.arrivals.push(Arrival {
                        t,
                        queue: q as u8,
                        incident: in_incident,
                    });
                }
            }
        }
        self.arrivals.sort_by_key(|a| a.t);
    }

    // ----- contacts ------------------------------------------------------------

    fn alloc(&mut self) -> u32 {
        if let Some(s) = self.free_slots.pop() {
            return s;
        }
        self.contacts.push(ContactRt::empty());
        (self.contacts.len() - 1) as u32
    }

    fn release(&mut self, slot: u32) {
        let c = &mut self.contacts[slot as usize];
        c.phase = Phase::Free;
        c.num = NONE;
        self.free_slots.push(slot);
    }

    fn arrive(&mut self, q: usize, customer: Option<u32>, incident: bool) {
        let def = &QUEUES[q];
        let slot = self.alloc();
        let num = self.next_contact;
        self.next_contact += 1;
        let r = &mut self.rng;
        let customer = match customer {
            Some(c) => c,
            None if r.chance(def.anonymous) => NONE,
            None => r.below(self.customers) as u32,
        };
        let cat_weights = if incident {
            &INCIDENT_CATEGORY_WEIGHTS
        } else {
            &CATEGORY_WEIGHTS[def.channel as usize]
        };
        let category = r.weighted(cat_weights) as u8;
        let mut priority = r.weighted(&PRIORITY_WEIGHTS[category as usize]) as u8;
        if q == Q_VIP && priority > 0 && r.chance(0.4) {
            priority -= 1;
        }
        let ivr = def
            .ivr
            .map_or(0, |d| r.lognormal(d.median, d.sigma).max(3.0) as u32);
        let patience = def
            .patience
            .map(|d| r.lognormal(d.median, d.sigma).max(1.0) as i64);
        let c = &mut self.contacts[slot as usize];
        *c = ContactRt::empty();
        c.num = num;
        c.phase = Phase::Waiting;
        c.queue = q as u8;
        c.category = category;
        c.priority = priority;
        c.customer = customer;
        c.arrived = self.now;
        c.ivr = ivr;
        // The longest-idle agent of the pool takes it at once, if any.
        let pool = def.pool;
        while let Some((agent, ticket)) = self.pools[pool].idle.pop_front() {
            if self.agents[agent as usize].ticket == ticket && self.can_take(agent) {
                self.answer(slot, agent);
                if self.can_take(agent) {
                    let t = self.agents[agent as usize].ticket;
                    self.pools[pool].idle.push_back((agent, t));
                }
                self.sync_state(agent);
                return;
            }
        }
        if self.mode == Mode::Upserts {
            self.write_contact(slot);
        }
        self.waiting[q][priority as usize].push_back((slot, num));
        if let Some(p) = patience {
            self.push(self.now + p, Ev::Abandon { slot, num });
        }
    }

    fn can_take(&self, agent: u32) -> bool {
        let a = &self.agents[agent as usize];
        a.on_shift
            && !a.on_break
            && a.pending_break == 0
            && !a.pending_off
            && a.talking + a.wrapping < POOLS[a.pool].concurrency
    }

    /// The next contact for this agent: preferred queue first, most urgent
    /// priority first, oldest first. Stale entries (abandoned) are dropped.
    fn next_waiting(&mut self, agent: u32) -> Option<u32> {
        let prefs = self.agents[agent as usize].prefs;
        for q in prefs {
            for pr in 0..4 {
                while let Some(&(slot, num)) = self.waiting[q as usize][pr].front() {
                    self.waiting[q as usize][pr].pop_front();
                    let c = &self.contacts[slot as usize];
                    if c.num == num && c.phase == Phase::Waiting {
                        return Some(slot);
                    }
                }
            }
        }
        None
    }

    fn answer(&mut self, slot: u32, agent: u32) {
        let hour = (self.em.local_second_of_day(self.now) / 3600) as usize;
        let now = self.now;
        let day_handle = self.day_handle;
        let in_incident = now >= self.incident.0 && now < self.incident.1;
        let r = &mut self.rng;
        let a = &mut self.agents[agent as usize];
        let c = &mut self.contacts[slot as usize];
        let def = &QUEUES[c.queue as usize];
        let hard = c.category == CAT_TECH || c.category == CAT_COMPLAINT;
        let mut transfers = if hard {
            r.weighted(&HARD_TRANSFER_WEIGHTS)
        } else {
            r.weighted(&TRANSFER_WEIGHTS)
        };
        if a.extra_transfer > 0.0 && r.chance(a.extra_transfer) {
            transfers += 1;
        }
        let mut talk = r.lognormal(def.talk.median, def.talk.sigma)
            * a.eff
            * HOUR_HANDLE_FACTOR[hour % 24]
            * day_handle;
        if in_incident && c.category == CAT_TECH {
            talk *= 1.12;
        }
        talk += transfers as f64 * TRANSFER_TALK_S * r.lognormal(1.0, 0.3);
        let hold = if def.hold_p > 0.0 && r.chance(def.hold_p) {
            r.lognormal(def.hold.median, def.hold.sigma) * a.eff
        } else {
            0.0
        };
        c.talk = talk.max(8.0).round() as u32;
        c.hold = hold.round() as u32;
        c.transfers = transfers as u8;
        c.answered = now;
        c.agent = agent;
        c.phase = Phase::Talking;
        c.ended = now + c.talk as i64 + c.hold as i64;
        let num = c.num;
        let ends = c.ended;
        let free = if a.sessions[0] == NONE { 0 } else { 1 };
        a.sessions[free] = slot;
        a.talking += 1;
        a.ticket += 1;
        self.push(ends, Ev::TalkEnd { slot, num });
        if self.mode == Mode::Upserts {
            self.write_contact(slot);
        }
    }

    fn abandon(&mut self, slot: u32, num: u32) {
        let c = &mut self.contacts[slot as usize];
        if c.num != num || c.phase != Phase::Waiting {
            return;
        }
        c.abandoned = self.now;
        c.phase = Phase::Done;
        let customer = c.customer;
        let queue = c.queue;
        self.write_contact(slot);
        self.release(slot);
        // Many callers who hang up try again within minutes.
        if customer != NONE && self.rng.chance(0.45) {
            let delay = self.rng.lognormal(300.0, 0.8).max(30.0) as i64;
            self.push(self.now + delay, Ev::Arrive { queue, customer });
        }
    }

    fn talk_end(&mut self, slot: u32, num: u32) {
        let c = &self.contacts[slot as usize];
        if c.num != num || c.phase != Phase::Talking {
            return;
        }
        let agent = c.agent;
        let r = &mut self.rng;
        let a = &mut self.agents[agent as usize];
        let c = &mut self.contacts[slot as usize];
        let def = &QUEUES[c.queue as usize];
        let cat = c.category as usize;
        let unresolved = UNRESOLVED[cat] + if c.transfers >= 2 { 0.1 } else { 0.0 };
        c.resolved = !r.chance(unresolved);
        c.wrap = (r.lognormal(def.wrap.median, def.wrap.sigma) * a.eff)
            .max(2.0)
            .round() as u32;
        c.text = if a.red_line > 0.0 && r.chance(a.red_line) {
            Some(names::RED_LINE_NOTES[r.below(names::RED_LINE_NOTES.len() as u64) as usize])
        } else if r.chance(def.text_rate) {
            let notes = names::NOTES[cat];
            Some(notes[r.below(notes.len() as u64) as usize])
        } else {
            None
        };
        c.phase = Phase::Wrapping;
        let wrap_end = c.ended + c.wrap as i64;
        a.talking -= 1;
        a.wrapping += 1;
        self.push(wrap_end, Ev::WrapEnd { slot, num });
        if self.mode == Mode::Upserts {
            self.write_contact(slot);
        }
        self.sync_state(agent);
    }

    fn wrap_end(&mut self, slot: u32, num: u32) {
        let c = &self.contacts[slot as usize];
        if c.num != num || c.phase != Phase::Wrapping {
            return;
        }
        let agent = c.agent;
        self.contacts[slot as usize].phase = Phase::Done;
        let callback_pending = self.promise_callback(slot);
        self.write_contact(slot);
        self.after_contact(slot, agent);
        let a = &mut self.agents[agent as usize];
        a.wrapping -= 1;
        if let Some(s) = a.sessions.iter_mut().find(|s| **s == slot) {
            *s = NONE;
        }
        if !callback_pending {
            self.release(slot);
        }
        self.agent_free(agent);
    }

    /// An unresolved case often ends with "we will call you back by …";
    /// most callbacks are on time, some late, a few forgotten. Returns whether
    /// a callback event is pending (the contact is rewritten then).
    fn promise_callback(&mut self, slot: u32) -> bool {
        let r = &mut self.rng;
        let c = &self.contacts[slot as usize];
        let wants = if !c.resolved {
            r.chance(0.5)
        } else {
            c.category == CAT_COMPLAINT && r.chance(0.1)
        };
        if !wants {
            return false;
        }
        let done = c.ended + c.wrap as i64;
        let promised = match r.weighted(&[40, 30, 30]) {
            0 => done + 2 * HOUR,
            1 => done + 4 * HOUR,
            _ => {
                // Tomorrow 10:00 local.
                let day = self.em.local_day(done) + 1;
                let off = self.em.offset(done) as i64;
                day * 86_400 + 10 * HOUR - off
            }
        };
        let r = &mut self.rng;
        let outcome = r.weighted(&[74, 18, 8]);
        let callback = match outcome {
            0 => done + ((promised - done) as f64 * r.range_f64(0.25, 1.0)) as i64,
            1 => promised + r.lognormal(2700.0, 0.9).max(60.0) as i64,
            _ => NO_TIME,
        };
        let c = &mut self.contacts[slot as usize];
        c.promised_cb = promised;
        c.callback_missed = outcome != 0;
        if callback == NO_TIME {
            return false;
        }
        let num = c.num;
        self.push(callback, Ev::Callback { slot, num });
        true
    }

    fn callback(&mut self, slot: u32, num: u32) {
        let c = &mut self.contacts[slot as usize];
        if c.num != num || c.phase != Phase::Done {
            return;
        }
        c.callback = self.now;
        self.write_contact(slot);
        self.release(slot);
    }

    /// Survey, feedback item and follow-up contact of a finished contact.
    fn after_contact(&mut self, slot: u32, agent: u32) {
        let now = self.now;
        let quality = self.agents[agent as usize].quality;
        let c = &self.contacts[slot as usize];
        let def = &QUEUES[c.queue as usize];
        let (num, customer, queue, category, resolved, text) =
            (c.num, c.customer, c.queue, c.category, c.resolved, c.text);
        let waited = c.answered - c.arrived;
        let missed_cb = c.callback_missed;
        let red_line = text.is_some_and(|t| names::RED_LINE_NOTES.contains(&t));
        let r = &mut self.rng;

        let rate = def.survey_rate * if resolved { 1.0 } else { 1.3 };
        if r.chance(rate) {
            let csat_w: [u32; 5] = if red_line {
                [70, 20, 8, 2, 0]
            } else if resolved {
                [8, 15, 45, 240, 690]
            } else {
                [110, 120, 200, 300, 270]
            };
            let mut csat = r.weighted(&csat_w) as i32 + 1;
            if waited > def.sl_seconds as i64 * 6 && r.chance(0.3) {
                csat -= 1;
            }
            if r.chance(quality.abs().min(0.25)) {
                csat += quality.signum() as i32;
            }
            let csat = csat.clamp(1, 5) as u8;
            let nps_w: &[u32; 11] = match csat {
                5 => &[0, 0, 0, 0, 0, 0, 0, 5, 15, 35, 45],
                4 => &[0, 0, 0, 0, 0, 2, 8, 25, 45, 15, 5],
                3 => &[2, 2, 3, 5, 8, 20, 25, 20, 12, 3, 0],
                _ => &[20, 15, 15, 12, 12, 12, 8, 4, 2, 0, 0],
            };
            let nps = if r.chance(0.15) {
                u8::MAX
            } else {
                r.weighted(nps_w) as u8
            };
            let comment = if r.chance(0.3) {
                let good = csat >= 4;
                let fits: Vec<usize> = (0..names::SURVEY_COMMENTS.len())
                    .filter(|&i| names::SURVEY_COMMENTS[i].1 == good)
                    .collect();
                fits[r.below(fits.len() as u64) as usize] as u8
            } else {
                u8::MAX
            };
            let at = now + r.lognormal(600.0, 1.0).clamp(30.0, 86_400.0) as i64;
            self.push(
                at,
                Ev::Survey(SurveyEv {
                    contact: num,
                    customer,
                    csat,
                    nps,
                    comment,
                }),
            );
        }

        let r = &mut self.rng;
        let channel = def.channel;
        let feedback = if red_line && r.chance(0.5) {
            Some(0)
        } else if category == CAT_COMPLAINT && r.chance(if resolved { 0.03 } else { 0.2 }) {
            Some(r.weighted(&[30, 25, 30, 15]) as u8)
        } else if category == CAT_SUGGESTION && r.chance(0.05) {
            Some(2 + r.weighted(&[60, 40]) as u8)
        } else {
            None
        };
        if let Some(fb_cat) = feedback {
            let source = match channel {
                CH_PHONE => 1,
                CH_CHAT => 0,
                CH_SOCIAL => 3,
                _ => 4,
            };
            let pace = if category == CAT_SUGGESTION { 2.5 } else { 1.0 };
            self.new_feedback(source, fb_cat, customer, num, pace);
        }

        // Follow-up contacts: unresolved cases and missed callbacks bring the
        // customer back, mostly within 48 h; some resolved ones chase anyway.
        if customer != NONE {
            let r = &mut self.rng;
            let p = if resolved { 0.035 } else { 0.5 } + if missed_cb { 0.2 } else { 0.0 };
            if r.chance(p) {
                let delay = if resolved {
                    r.range_f64(2.0 * 3600.0, 47.0 * 3600.0)
                } else {
                    r.lognormal(5.0 * 3600.0, 1.0).clamp(600.0, 70.0 * 3600.0)
                } as i64;
                let q = if r.chance(0.75) {
                    queue
                } else if r.chance(0.6) {
                    Q_HOTLINE as u8
                } else {
                    Q_CHAT as u8
                };
                let at = self.business_hours(now + delay);
                self.push(at, Ev::Arrive { queue: q, customer });
            }
        }
    }

    /// Moves `t` into 08:30–21:00 local (callers and back-office staff
    /// rarely act at night): a night-time instant becomes a random time of
    /// the next open day, so follow-ups do not pile up at opening time.
    fn business_hours(&mut self, t: Secs) -> Secs {
        let sod = self.em.local_second_of_day(t);
        let open = 8 * HOUR + 1800;
        let close = 21 * HOUR;
        if (open..close).contains(&sod) {
            return t;
        }
        let next_open = if sod < open {
            t - sod + open
        } else {
            t - sod + 86_400 + open
        };
        next_open + self.rng.below((close - open) as u64) as i64
    }

    // ----- agents --------------------------------------------------------------

    /// After any change that may free an agent: log out or go on break when
    /// due and idle, else take waiting work, else wait in the idle line.
    fn agent_free(&mut self, agent: u32) {
        let a = &mut self.agents[agent as usize];
        let busy = a.talking + a.wrapping > 0;
        if a.on_shift && !busy && a.pending_off {
            a.on_shift = false;
            a.on_break = false;
            a.pending_off = false;
            a.ticket += 1;
        } else if a.on_shift && !busy && a.pending_break > 0 && !a.on_break {
            a.at_lunch = i64::from(a.pending_break) > SHORT_BREAK_S;
            let overstay = if a.at_lunch { 1.0 } else { a.overstay };
            let secs = a.pending_break as f64 * self.rng.lognormal(1.03, 0.08) * overstay;
            a.pending_break = 0;
            a.on_break = true;
            a.ticket += 1;
            let shift_no = a.shift_no;
            self.push(self.now + secs as i64, Ev::BreakEnd { agent, shift_no });
        } else if self.can_take(agent) {
            while self.can_take(agent) {
                match self.next_waiting(agent) {
                    Some(slot) => self.answer(slot, agent),
                    None => break,
                }
            }
            if self.can_take(agent) {
                let a = &mut self.agents[agent as usize];
                a.ticket += 1;
                let entry = (agent, a.ticket);
                self.pools[a.pool].idle.push_back(entry);
            }
        }
        self.sync_state(agent);
    }

    /// Writes an `agent_state` line when the agent's state or queue changed.
    fn sync_state(&mut self, agent: u32) {
        let a = &mut self.agents[agent as usize];
        let state = if !a.on_shift {
            ST_OFFLINE
        } else if a.on_break && a.at_lunch {
            // Agents log out for lunch; `break` is the short breaks.
            ST_OFFLINE
        } else if a.on_break {
            ST_BREAK
        } else if a.talking > 0 {
            ST_BUSY
        } else if a.wrapping > 0 {
            ST_WRAP
        } else {
            ST_AVAILABLE
        };
        // Busy or wrapping: the queue of that contact (the latest answered
        // one when a chat agent has two); otherwise the agent's home queue.
        let queue = if state == ST_BUSY || state == ST_WRAP {
            let phase = if state == ST_BUSY {
                Phase::Talking
            } else {
                Phase::Wrapping
            };
            a.sessions
                .iter()
                .filter(|&&slot| slot != NONE)
                .map(|&slot| &self.contacts[slot as usize])
                .filter(|c| c.phase == phase)
                .max_by_key(|c| (c.answered, c.num))
                .map_or(a.prefs[0], |c| c.queue)
        } else {
            a.prefs[0]
        };
        if state == a.last_state && queue == a.last_queue {
            return;
        }
        a.last_state = state;
        a.last_queue = queue;
        let e = &mut self.em;
        e.begin("agent_state");
        e.id("agent", "a-", agent as u64 + 1, 4);
        e.str("state", STATE[state as usize]);
        e.ts("at", self.now);
        e.str("queue", QUEUES[queue as usize].id);
        e.end();
        self.stats.agent_states += 1;
    }

    // ----- surveys and feedback ------------------------------------------------

    fn survey(&mut self, s: SurveyEv) {
        let id = self.next_survey;
        self.next_survey += 1;
        let e = &mut self.em;
        e.begin("survey");
        e.id("id", "s-", id as u64, 7);
        e.id("contact", "k-", s.contact as u64, 8);
        e.ts("at", self.now);
        e.uint("csat", s.csat as u64);
        if s.nps != u8::MAX {
            e.uint("nps", s.nps as u64);
        }
        if s.comment != u8::MAX {
            e.str("comment", names::SURVEY_COMMENTS[s.comment as usize].0);
        }
        e.end();
        self.stats.surveys += 1;
        // Detractors get a callback from the complaints desk.
        if s.csat <= 2 && self.rng.chance(0.3) {
            let cat = self.rng.weighted(&[40, 30, 20, 10]) as u8;
            self.new_feedback(2, cat, s.customer, s.contact, 1.0);
        }
    }

    fn new_feedback(&mut self, source: u8, category: u8, customer: u32, contact: u32, pace: f64) {
        let r = &mut self.rng;
        let summaries = names::FEEDBACK_SUMMARIES[category as usize];
        let summary = summaries[r.below(summaries.len() as u64) as usize];
        let due_h = match (source, category) {
            (_, 0) => 24,
            (2, _) => 72,
            _ if pace > 1.0 => 7 * 24,
            _ => 48,
        };
        // A few items get stuck (owner away, waiting on another team).
        let pace = if r.chance(0.03) { pace * 4.0 } else { pace };
        let owner = r.below(self.owners.len() as u64) as u32;
        let item = self.feedback.len() as u32;
        self.feedback.push(FeedbackRt {
            num: item + 1,
            source,
            summary,
            customer,
            contact,
            received: self.now,
            category,
            owner,
            stage: 0,
            due: self.now + due_h * HOUR,
            result: None,
            callback_result: u8::MAX,
            root_cause: u8::MAX,
            reopened: false,
            pace,
        });
        self.stats.feedback += 1;
        self.write_feedback(item);
        self.schedule_feedback(item);
    }

    fn schedule_feedback(&mut self, item: u32) {
        let f = &self.feedback[item as usize];
        let (median_h, sigma) = match f.stage {
            0 => (1.5, 0.8),
            1 => (14.0, 0.8),
            2 => (2.5, 0.7),
            3 => (3.0, 0.8),
            _ => return,
        };
        let pace = f.pace;
        let delay = self.rng.lognormal(median_h * 3600.0 * pace, sigma) as i64;
        let at = self.business_hours(self.now + delay.max(300));
        self.push(at, Ev::FeedbackStep { item });
    }

    fn feedback_step(&mut self, item: u32) {
        let r = &mut self.rng;
        let f = &mut self.feedback[item as usize];
        match f.stage {
            0 => f.stage = 1,
            1 => {
                f.stage = 2;
                let results = names::FEEDBACK_RESULTS[f.category as usize];
                f.result = Some(results[r.below(results.len() as u64) as usize]);
                let w: [u32; 4] = match f.category {
                    0 => [85, 15, 0, 0],
                    1 => [60, 30, 0, 10],
                    2 => [0, 70, 0, 30],
                    _ => [0, 0, 80, 20],
                };
                f.root_cause = r.weighted(&w) as u8;
            }
            2 => {
                f.stage = 3;
                f.callback_result = r.weighted(&[68, 14, 18]) as u8;
            }
            3 => {
                // An unhappy customer reopens the case once, about half the time.
                if f.callback_result == 1 && !f.reopened && r.chance(0.5) {
                    f.reopened = true;
                    f.stage = 1;
                } else {
                    f.stage = 4;
                }
            }
            _ => return,
        }
        self.write_feedback(item);
        self.schedule_feedback(item);
    }

    // ----- output --------------------------------------------------------------

    fn write_header(&mut self, agent_names: &[String]) {
        let e = &mut self.em;
        for q in &QUEUES {
            e.begin("queue");
            e.str("id", q.id);
            e.str("name", q.name);
            e.str("channel", CHANNEL[q.channel as usize]);
            e.uint("sl_seconds", q.sl_seconds as u64);
            e.end();
        }
        for (i, a) in self.agents.iter().enumerate() {
            let (cn, en) = POOLS[a.pool].team;
            let team = format!("{cn}{}组 {en} {}", names::chinese_number(a.team), a.team);
            e.begin("agent");
            e.id("id", "a-", i as u64 + 1, 4);
            e.str("name", &agent_names[i]);
            e.str("team", &team);
            e.end();
        }
    }

    fn write_contact(&mut self, slot: u32) {
        let c = &mut self.contacts[slot as usize];
        if !c.written {
            c.written = true;
            self.stats.contacts += 1;
        }
        let def = &QUEUES[c.queue as usize];
        let e = &mut self.em;
        e.begin("contact");
        e.id("id", "k-", c.num as u64, 8);
        e.str("channel", CHANNEL[def.channel as usize]);
        e.str("queue", def.id);
        if c.customer != NONE {
            e.id("customer", "c-", c.customer as u64, 6);
        }
        e.ts("arrived_at", c.arrived);
        if def.ivr.is_some() {
            e.uint("ivr_s", c.ivr as u64);
        }
        e.str("category", CATEGORY[c.category as usize]);
        e.str("priority", PRIORITY[c.priority as usize]);
        if c.answered != NO_TIME {
            e.ts("answered_at", c.answered);
            e.id("agent", "a-", c.agent as u64 + 1, 4);
            if matches!(c.phase, Phase::Wrapping | Phase::Done) {
                e.ts("ended_at", c.ended);
                e.uint("talk_s", c.talk as u64);
                e.uint("hold_s", c.hold as u64);
                e.uint("transfers", c.transfers as u64);
                if c.phase == Phase::Done {
                    e.uint("wrap_s", c.wrap as u64);
                }
                // Omitted when true: the spec reads a missing `resolved` as true.
                if !c.resolved {
                    e.bool("resolved", false);
                }
                if let Some(t) = c.text {
                    e.str("text", t);
                }
            }
        }
        if c.abandoned != NO_TIME {
            e.ts("abandoned_at", c.abandoned);
        }
        if c.promised_cb != NO_TIME {
            e.ts("promised_callback_at", c.promised_cb);
        }
        if c.callback != NO_TIME {
            e.ts("callback_at", c.callback);
        }
        e.end();
    }

    fn write_feedback(&mut self, item: u32) {
        let f = &self.feedback[item as usize];
        let e = &mut self.em;
        e.begin("feedback");
        e.id("id", "f-", f.num as u64, 6);
        e.str("source", FB_SOURCE[f.source as usize]);
        e.str("summary", f.summary);
        if f.customer != NONE {
            e.id("customer", "c-", f.customer as u64, 6);
        }
        // Not in the spec's field list (unknown fields are ignored); lets a
        // reader trace the item back to its contact.
        e.id("contact", "k-", f.contact as u64, 8);
        e.ts("received_at", f.received);
        e.str("category", FB_CATEGORY[f.category as usize]);
        e.str("owner", &self.owners[f.owner as usize]);
        e.str("stage", FB_STAGE[f.stage as usize]);
        e.ts("due_at", f.due);
        if let Some(r) = f.result {
            e.str("result", r);
        }
        if f.callback_result != u8::MAX {
            e.str(
                "callback_result",
                CALLBACK_RESULT[f.callback_result as usize],
            );
        }
        if f.root_cause != u8::MAX {
            e.str("root_cause", ROOT_CAUSE[f.root_cause as usize]);
        }
        e.end();
    }
}

/// Seconds of overlap of [a0, a1) and [b0, b1).
fn overlap(a0: Secs, a1: Secs, b0: Secs, b1: Secs) -> i64 {
    (a1.min(b1) - a0.max(b0)).max(0)
}
