//! Request Tracker 5 over REST 2.0 (token auth): tickets become `contact`
//! records, queues `queue` records, owners `agent` records, and per-queue
//! searches give live `queue_stats`.
//!
//! Mapping (docs/connectors.md has the full table and the reasons):
//! - contact id `rt-<ticket id>`, channel `ticket`, queue = the queue's Name;
//! - customer = the first Requestor; arrived_at = Created;
//! - answered_at = the first Correspond by someone other than a requestor,
//!   else Started (RT sets it when work starts);
//! - ended_at = Resolved, only while the status is `resolved` or `rejected`
//!   (a rejected ticket is `resolved: false`);
//! - agent = Owner, except `Nobody`; talk_s = TimeWorked (minutes) × 60;
//! - priority = the SLA level (urgent/high/standard→medium/low), else the
//!   numeric Priority in bands (0 = none, 1–24 low, 25–49 medium, 50–74
//!   high, ≥ 75 urgent);
//! - transfers = the number of `Set Queue` transactions in the history.
//!
//! Polling: the first poll lists the queues, notes the newest transaction
//! id N, sweeps the tickets (keyset pages of `id > K`, 100 a page: RT caps
//! per_page) and bulk-reads the reply and queue-move transactions. Later
//! polls read transactions with `id > N`, then re-read only the tickets they
//! touched: one by one with `If-None-Match` (RT's per-ticket ETag) when few,
//! by an `id = … OR …` search when many. Every poll ends with one search per
//! queue (`Status = 'new'`, oldest first, per_page=1) for `queue_stats`.
//!
//! RT 5.0.3 quirks handled (see shared/rt5/start-rt5.sh): scalars come as
//! strings, unset dates are 1970-01-01T00:00:00Z, per_page is capped at 100,
//! and `If-Modified-Since` gives a 500, so it is never sent.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::Url;
use serde_json::{Map, Value, json};

use super::error::{CrmProblem, Service};
use super::http::{self, Auth, HttpClient, SessionLogin, SourceError};
use super::poll::{PollBatch, SourceSettings};
use super::wire::LineReason;
use crate::domain::Ts;
use crate::domain::time::parse_rfc3339;

/// What `rt+https://HOST[/PATH]?queues=A,B&days=N&sl_seconds=S` names.
#[derive(Clone, Debug, PartialEq)]
pub struct RtOptions {
    /// The RT web root (REST 2.0 lives at `{base}/REST/2.0/`).
    pub base: Url,
    /// Queue names to follow; empty = every queue the token can see.
    pub queues: Vec<String>,
    /// Closed tickets created or resolved in the last `days` days are loaded;
    /// active tickets always are.
    pub days: u32,
    /// Service-level threshold given to RT queues: tickets are not calls, so
    /// the ordinary first-response target (2 h, medium) stands in for 20 s.
    pub sl_seconds: f64,
    /// Items per page, at most 100 (RT's cap).
    pub per_page: u32,
}

pub const DEFAULT_DAYS: u32 = 14;
pub const DEFAULT_SL_SECONDS: f64 = 7200.0;
/// RT 5 refuses larger pages.
pub const MAX_PER_PAGE: u32 = 100;
/// Up to this many changed tickets are re-read one by one (with ETags);
/// more are re-read by id searches, 50 a request. RT 5 checks the token on
/// every request (≈ 0.5 s each on the test machine), so one search beats
/// two conditional GETs: the ETag path is kept for the single-ticket case.
const PER_TICKET_LIMIT: usize = 1;
const IDS_PER_SEARCH: usize = 50;
/// A first load's id ranges hold about this many pages each.
const PAGES_PER_RANGE: u64 = 4;

/// Splits the ticket ids `min..=max` of a first load into half-open ranges
/// that the workers sweep side by side (keyset pages inside each): about
/// [`PAGES_PER_RANGE`] pages a range, and at least one range per worker
/// while there are pages for them. One worker sweeps one range.
pub fn plan_ranges(
    min: u64,
    max: u64,
    total: u64,
    per_page: u32,
    workers: usize,
) -> Vec<(u64, u64)> {
    if max < min {
        return Vec::new();
    }
    let end = max.saturating_add(1);
    if workers <= 1 {
        return vec![(min, end)];
    }
    let pages = total.div_ceil(u64::from(per_page.max(1))).max(1);
    let n = pages
        .div_ceil(PAGES_PER_RANGE)
        .max(pages.min(workers as u64))
        .clamp(1, 10_000)
        .min(end - min);
    let width = (end - min).div_ceil(n);
    (0..n)
        .map(|i| (min + i * width, (min + (i + 1) * width).min(end)))
        .filter(|(lo, hi)| lo < hi)
        .collect()
}

impl RtOptions {
    pub fn new(base: Url) -> RtOptions {
        RtOptions {
            base,
            queues: Vec::new(),
            days: DEFAULT_DAYS,
            sl_seconds: DEFAULT_SL_SECONDS,
            per_page: MAX_PER_PAGE,
        }
    }

    pub fn from_url(url: &Url) -> Result<RtOptions, CrmProblem> {
        let mut base = url.clone();
        base.set_query(None);
        base.set_fragment(None);
        let mut o = RtOptions::new(base);
        for (k, v) in url.query_pairs() {
            match &*k {
                "queues" | "queue" => {
                    o.queues = v
                        .split(',')
                        .map(|q| q.trim().to_owned())
                        .filter(|q| !q.is_empty())
                        .collect()
                }
                "days" => {
                    o.days = v
                        .parse()
                        .map_err(|_| CrmProblem::DaysNotNumber(v.to_string()))?
                }
                "sl_seconds" => {
                    o.sl_seconds = v
                        .parse::<f64>()
                        .ok()
                        .filter(|s| *s >= 0.0)
                        .ok_or_else(|| CrmProblem::SlSecondsNotNumber(v.to_string()))?
                }
                "per_page" => {
                    o.per_page = v
                        .parse::<u32>()
                        .ok()
                        .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                        .ok_or_else(|| CrmProblem::PerPage {
                            max: MAX_PER_PAGE,
                            got: v.to_string(),
                        })?
                }
                other => {
                    return Err(CrmProblem::UnknownRtOption(other.to_owned()));
                }
            }
        }
        Ok(o)
    }

    /// Where the poller logs in for a web session: REST 1.0's root, the
    /// cheapest page that takes the auth token (`{base}/REST/1.0/`). RT
    /// checks the token with bcrypt on every request; REST 2.0 takes the
    /// web session's cookie instead (`login_from_cookie`), checked by a lookup.
    pub fn session_login(&self) -> Result<Url, SourceError> {
        http::as_dir(&self.base)
            .join("REST/1.0/")
            .map_err(|e| SourceError::url(Service::Rt, e))
    }

    /// The REST 2.0 root, `{base}/REST/2.0/`.
    pub fn rest_root(&self) -> Result<Url, SourceError> {
        http::as_dir(&self.base)
            .join("REST/2.0/")
            .map_err(|e| SourceError::url(Service::Rt, e))
    }
}

/// One ticket as far as the floor cares.
#[derive(Clone, Debug, PartialEq)]
pub struct RtTicket {
    pub id: u64,
    /// The queue's numeric id (RT's ticket answers carry only that).
    pub queue_id: String,
    pub status: String,
    /// `None` for `Nobody`.
    pub owner: Option<String>,
    pub requestors: Vec<String>,
    pub created: Option<Ts>,
    pub started: Option<Ts>,
    pub resolved: Option<Ts>,
    pub priority: Option<String>,
    pub sla: Option<String>,
    pub subject: Option<String>,
    pub time_worked_min: f64,
}

/// A scalar field: RT sends numbers as strings, sometimes as numbers.
fn scalar(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `id` of a linked object (`{"id": "agent1", "type": "user", …}`).
fn link_id(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An RT date; 1970-01-01T00:00:00Z (and anything before 1970-01-02) is RT's "unset".
pub fn rt_time(v: &Value, key: &str) -> Option<Ts> {
    let s = v.get(key)?.as_str()?;
    let ts = parse_rfc3339(s).ok()?;
    (ts.nanos() >= 86_400 * 1_000_000_000).then_some(ts)
}

/// A ticket from `GET /ticket/{id}` or a search item with `fields=`.
pub fn parse_ticket(v: &Value) -> Result<RtTicket, LineReason> {
    let id = scalar(v, "id")
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or(LineReason::TicketNoId)?;
    let queue_id = v
        .get("Queue")
        .and_then(link_id)
        .ok_or(LineReason::TicketNoQueue(id))?;
    let owner = v
        .get("Owner")
        .and_then(link_id)
        .filter(|o| !o.eq_ignore_ascii_case("nobody"));
    let requestors = v
        .get("Requestor")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(link_id).collect())
        .unwrap_or_default();
    Ok(RtTicket {
        id,
        queue_id,
        status: scalar(v, "Status").unwrap_or_default().to_ascii_lowercase(),
        owner,
        requestors,
        created: rt_time(v, "Created"),
        started: rt_time(v, "Started"),
        resolved: rt_time(v, "Resolved"),
        priority: scalar(v, "Priority"),
        sla: scalar(v, "SLA"),
        subject: scalar(v, "Subject"),
        time_worked_min: scalar(v, "TimeWorked")
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|m| *m >= 0.0)
            .unwrap_or(0.0),
    })
}

/// The transactions that shape a contact: replies and queue moves, keyed by
/// transaction id so that overlapping reads count each once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TicketHistory {
    /// Correspond transactions: id → (when, who).
    pub corresponds: BTreeMap<u64, (Ts, String)>,
    /// `Set Queue` transaction ids.
    pub queue_moves: BTreeSet<u64>,
}

/// One transaction as returned with `fields=ObjectId,Type,Field,Created,Creator`.
#[derive(Clone, Debug, PartialEq)]
pub struct RtTxn {
    pub id: u64,
    pub ticket: u64,
    pub kind: String,
    pub field: String,
    pub created: Option<Ts>,
    pub creator: String,
}

pub fn parse_txn(v: &Value) -> Option<RtTxn> {
    Some(RtTxn {
        id: scalar(v, "id")?.parse().ok()?,
        ticket: scalar(v, "ObjectId")?.parse().ok()?,
        kind: scalar(v, "Type").unwrap_or_default(),
        field: scalar(v, "Field").unwrap_or_default(),
        created: rt_time(v, "Created"),
        creator: v.get("Creator").and_then(link_id).unwrap_or_default(),
    })
}

impl TicketHistory {
    /// Notes a transaction; true when it changes the history.
    pub fn note(&mut self, t: &RtTxn) -> bool {
        match (t.kind.as_str(), t.field.as_str()) {
            ("Correspond", _) => match t.created {
                Some(at) => self
                    .corresponds
                    .insert(t.id, (at, t.creator.clone()))
                    .is_none(),
                None => false,
            },
            ("Set", "Queue") => self.queue_moves.insert(t.id),
            _ => false,
        }
    }

    /// The first reply to the customer: the earliest Correspond whose author
    /// is not a requestor (a customer's own follow-up mail is a Correspond too).
    pub fn first_reply(&self, requestors: &[String]) -> Option<Ts> {
        self.corresponds
            .values()
            .filter(|(_, who)| {
                !who.is_empty()
                    && !who.eq_ignore_ascii_case("RT_System")
                    && !requestors.iter().any(|r| r.eq_ignore_ascii_case(who))
            })
            .map(|(at, _)| *at)
            .min()
    }
}

/// SLA level first, else the numeric priority in bands; unknown labels are kept as given.
pub fn map_priority(sla: Option<&str>, priority: Option<&str>) -> Option<String> {
    let word = |s: &str| match s.to_ascii_lowercase().as_str() {
        "urgent" | "critical" => Some("urgent".to_owned()),
        "high" => Some("high".to_owned()),
        "standard" | "normal" | "medium" => Some("medium".to_owned()),
        "low" => Some("low".to_owned()),
        _ => None,
    };
    if let Some(s) = sla.map(str::trim).filter(|s| !s.is_empty()) {
        return Some(word(s).unwrap_or_else(|| s.to_owned()));
    }
    let p = priority.map(str::trim).filter(|s| !s.is_empty())?;
    match p.parse::<i64>() {
        Ok(n) if n <= 0 => None,
        Ok(n) if n >= 75 => Some("urgent".to_owned()),
        Ok(n) if n >= 50 => Some("high".to_owned()),
        Ok(n) if n >= 25 => Some("medium".to_owned()),
        Ok(_) => Some("low".to_owned()),
        // RT stores a label such as "High" verbatim (quirk): read it as a word.
        Err(_) => Some(word(p).unwrap_or_else(|| p.to_owned())),
    }
}

/// The floor-feed `contact` record of a ticket. `None` for deleted tickets.
pub fn contact_record(t: &RtTicket, h: &TicketHistory, queue: &str) -> Option<Value> {
    if t.status == "deleted" {
        return None;
    }
    let mut m = Map::new();
    m.insert("type".into(), json!("contact"));
    m.insert("id".into(), json!(format!("rt-{}", t.id)));
    m.insert("channel".into(), json!("ticket"));
    m.insert("queue".into(), json!(queue));
    let put_ts = |m: &mut Map<String, Value>, k: &str, v: Option<Ts>| {
        if let Some(v) = v {
            m.insert(k.into(), json!(v.to_rfc3339()));
        }
    };
    put_ts(&mut m, "arrived_at", t.created);
    put_ts(
        &mut m,
        "answered_at",
        h.first_reply(&t.requestors).or(t.started),
    );
    let closed = matches!(t.status.as_str(), "resolved" | "rejected");
    put_ts(&mut m, "ended_at", if closed { t.resolved } else { None });
    if let Some(c) = t.requestors.first() {
        m.insert("customer".into(), json!(c));
    }
    if let Some(a) = &t.owner {
        m.insert("agent".into(), json!(a));
    }
    if t.time_worked_min > 0.0 {
        m.insert("talk_s".into(), json!(t.time_worked_min * 60.0));
    }
    if !h.queue_moves.is_empty() {
        m.insert("transfers".into(), json!(h.queue_moves.len()));
    }
    if let Some(p) = map_priority(t.sla.as_deref(), t.priority.as_deref()) {
        m.insert("priority".into(), json!(p));
    }
    if t.status == "rejected" {
        m.insert("resolved".into(), json!(false));
    }
    if let Some(s) = &t.subject {
        m.insert("text".into(), json!(s));
    }
    Some(Value::Object(m))
}

#[derive(Clone, Debug)]
struct Tracked {
    ticket: RtTicket,
    etag: Option<String>,
    history: TicketHistory,
}

/// What the poller knows after its last complete poll.
#[derive(Clone, Debug, Default)]
struct RtState {
    /// Newest transaction id read.
    last_txn: u64,
    /// Queue id → name.
    queues: BTreeMap<String, String>,
    tickets: HashMap<u64, Tracked>,
    /// Owners already sent as `agent` records.
    agents: BTreeSet<String>,
    /// Tickets already sent as contacts: one that moves to a queue not
    /// followed is sent once more, so that it leaves its old queue.
    sent: BTreeSet<u64>,
}

/// What the RT poller keeps in the warm-start cache ([`super::cache`]):
/// where the transactions stand, the queues, and every ticket with its
/// replies and queue moves, so that the next poll after a restart is
/// incremental. Times are nanoseconds since the epoch.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct RtResume {
    last_txn: u64,
    queues: BTreeMap<String, String>,
    tickets: Vec<ResumeTicket>,
    agents: BTreeSet<String>,
    sent: BTreeSet<u64>,
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct ResumeTicket {
    id: u64,
    queue: String,
    status: String,
    owner: Option<String>,
    requestors: Vec<String>,
    created: Option<i64>,
    started: Option<i64>,
    resolved: Option<i64>,
    priority: Option<String>,
    sla: Option<String>,
    subject: Option<String>,
    worked_min: f64,
    etag: Option<String>,
    /// Correspond transactions: (id, when, who).
    replies: Vec<(u64, i64, String)>,
    moves: Vec<u64>,
}

impl RtResume {
    fn of(s: &RtState) -> RtResume {
        let mut tickets: Vec<ResumeTicket> = s
            .tickets
            .values()
            .map(|k| {
                let t = &k.ticket;
                ResumeTicket {
                    id: t.id,
                    queue: t.queue_id.clone(),
                    status: t.status.clone(),
                    owner: t.owner.clone(),
                    requestors: t.requestors.clone(),
                    created: t.created.map(Ts::nanos),
                    started: t.started.map(Ts::nanos),
                    resolved: t.resolved.map(Ts::nanos),
                    priority: t.priority.clone(),
                    sla: t.sla.clone(),
                    subject: t.subject.clone(),
                    worked_min: t.time_worked_min,
                    etag: k.etag.clone(),
                    replies: k
                        .history
                        .corresponds
                        .iter()
                        .map(|(id, (at, who))| (*id, at.nanos(), who.clone()))
                        .collect(),
                    moves: k.history.queue_moves.iter().copied().collect(),
                }
            })
            .collect();
        tickets.sort_unstable_by_key(|t| t.id);
        RtResume {
            last_txn: s.last_txn,
            queues: s.queues.clone(),
            tickets,
            agents: s.agents.clone(),
            sent: s.sent.clone(),
        }
    }

    fn into_state(self) -> RtState {
        let tickets = self
            .tickets
            .into_iter()
            .map(|t| {
                let history = TicketHistory {
                    corresponds: t
                        .replies
                        .into_iter()
                        .map(|(id, at, who)| (id, (Ts::from_nanos(at), who)))
                        .collect(),
                    queue_moves: t.moves.into_iter().collect(),
                };
                let ticket = RtTicket {
                    id: t.id,
                    queue_id: t.queue,
                    status: t.status,
                    owner: t.owner,
                    requestors: t.requestors,
                    created: t.created.map(Ts::from_nanos),
                    started: t.started.map(Ts::from_nanos),
                    resolved: t.resolved.map(Ts::from_nanos),
                    priority: t.priority,
                    sla: t.sla,
                    subject: t.subject,
                    time_worked_min: t.worked_min,
                };
                (
                    t.id,
                    Tracked {
                        ticket,
                        etag: t.etag,
                        history,
                    },
                )
            })
            .collect();
        RtState {
            last_txn: self.last_txn,
            queues: self.queues,
            tickets,
            agents: self.agents,
            sent: self.sent,
        }
    }
}

/// The RT poller. The first poll is a full load (a reset batch); later
/// polls are incremental.
#[derive(Debug)]
pub struct RtPoller {
    http: HttpClient,
    opts: RtOptions,
    rest: Url,
    state: Option<RtState>,
    /// Requests made by the current or last poll.
    requests: AtomicU32,
}

impl RtPoller {
    pub fn new(opts: RtOptions, settings: &SourceSettings) -> Result<RtPoller, SourceError> {
        let token = settings
            .token
            .as_ref()
            .ok_or(SourceError::NeedsToken(Service::Rt))?;
        let http = HttpClient::new(&opts.base, Auth::rt_token(token), &settings.http)?
            .with_session(SessionLogin {
                url: opts.session_login()?,
                accepted: rt_login_accepted,
            })?;
        Ok(RtPoller {
            rest: opts.rest_root()?,
            http,
            opts,
            state: None,
            requests: AtomicU32::new(0),
        })
    }

    /// Requests made by the last poll (benchmarks, logs).
    pub fn last_requests(&self) -> u32 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Session logins so far (each one token check on the server).
    pub fn session_logins(&self) -> u32 {
        self.http.session_logins()
    }

    /// Tickets known after the last complete poll.
    pub fn ticket_count(&self) -> usize {
        self.state.as_ref().map_or(0, |s| s.tickets.len())
    }

    /// Where polling stands, for the warm-start cache; `None` before the
    /// first complete poll.
    pub fn resume_state(&self) -> Option<Value> {
        let s = self.state.as_ref()?;
        serde_json::to_value(RtResume::of(s)).ok()
    }

    /// Continues from a cached state: the next poll is incremental (the
    /// transactions after the cached one).
    pub fn resume(&mut self, state: Value) -> Result<(), String> {
        let r: RtResume = serde_json::from_value(state).map_err(|e| e.to_string())?;
        self.state = Some(r.into_state());
        Ok(())
    }

    /// What of the options shapes the floor (the cache is kept per value).
    pub fn cache_options(opts: &RtOptions) -> String {
        let mut queues = opts.queues.clone();
        queues.sort();
        format!(
            "queues={};days={};sl_seconds={}",
            queues.join(","),
            opts.days,
            opts.sl_seconds
        )
    }

    pub async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        self.http.clear_pause();
        self.requests.store(0, Ordering::Relaxed);
        let now = Ts::from_datetime(&chrono::Utc::now());
        let (state, reset, mut out) = match self.state.clone() {
            None => self.full_load(now).await?,
            Some(s) => self.incremental(s).await?,
        };
        // Stamped after the ticket reads, so the figures are newer than the contacts just read.
        let stats_at = Ts::from_datetime(&chrono::Utc::now());
        self.queue_stats(&state, stats_at, &mut out).await?;
        self.state = Some(state);
        Ok(PollBatch {
            reset,
            bytes: out,
            origin: format!("RT {}", http::show_url(&self.opts.base)),
            first_line: 1,
            more: false,
            ..PollBatch::default()
        })
    }

    fn url(&self, path: &str, params: &[(&str, &str)]) -> Result<Url, SourceError> {
        let mut u = self
            .rest
            .join(path)
            .map_err(|e| SourceError::url(Service::Rt, e))?;
        if !params.is_empty() {
            let mut q = u.query_pairs_mut();
            for (k, v) in params {
                q.append_pair(k, v);
            }
        }
        Ok(u)
    }

    async fn get_json(
        &self,
        url: &Url,
        etag: Option<&str>,
    ) -> Result<(Option<Value>, Option<String>), SourceError> {
        let got = self
            .http
            .get_waiting_out(url, etag, || {
                self.requests.fetch_add(1, Ordering::Relaxed);
            })
            .await?;
        if got.not_modified {
            return Ok((None, got.etag));
        }
        let v: Value = serde_json::from_slice(&got.body).map_err(|e| SourceError::json(url, &e))?;
        Ok((Some(v), got.etag))
    }

    /// All items of a search, in keyset pages: `(query) AND id > K`, ordered
    /// by id, so that rows added during the read never shift a page.
    async fn search_all(
        &self,
        collection: &str,
        query: &str,
        fields: &str,
    ) -> Result<Vec<Value>, SourceError> {
        let mut items = Vec::new();
        let mut after: u64 = 0;
        let per_page = self.opts.per_page.to_string();
        loop {
            let q = format!("({query}) AND id > {after}");
            let url = self.url(
                collection,
                &[
                    ("query", &q),
                    ("orderby", "id"),
                    ("order", "ASC"),
                    ("per_page", &per_page),
                    ("fields", fields),
                ],
            )?;
            let (v, _) = self.get_json(&url, None).await?;
            let v = v.unwrap_or(Value::Null);
            let page = v
                .get("items")
                .and_then(Value::as_array)
                .ok_or_else(|| SourceError::no_list(&url, "items"))?;
            let last = page
                .iter()
                .filter_map(|i| scalar(i, "id").and_then(|s| s.parse::<u64>().ok()))
                .max();
            items.extend(page.iter().cloned());
            // Ticket searches say `next_page`; transaction searches have no
            // total (RT filters them by rights after the LIMIT), so there a
            // full page means "maybe more".
            let next_page = v.get("next_page").is_some_and(|n| !n.is_null());
            let total_unknown = v.get("total").is_none_or(Value::is_null);
            let full = page.len() as u32 >= self.opts.per_page;
            match last {
                Some(l) if l > after && (next_page || (total_unknown && full)) => after = l,
                _ => return Ok(items),
            }
        }
    }

    async fn fetch_queues(&self) -> Result<BTreeMap<String, String>, SourceError> {
        let mut queues = BTreeMap::new();
        let mut page = 1u32;
        loop {
            let p = page.to_string();
            let url = self.url(
                "queues/all",
                &[("per_page", "100"), ("page", &p), ("fields", "Name")],
            )?;
            let (v, _) = self.get_json(&url, None).await?;
            let v = v.unwrap_or(Value::Null);
            let items = v
                .get("items")
                .and_then(Value::as_array)
                .ok_or_else(|| SourceError::no_list(&url, "items"))?;
            for q in items {
                if let (Some(id), Some(name)) = (scalar(q, "id"), scalar(q, "Name")) {
                    queues.insert(id, name);
                }
            }
            if items.is_empty() || v.get("next_page").is_none_or(Value::is_null) {
                return Ok(queues);
            }
            page += 1;
        }
    }

    /// TicketSQL for the followed queues, `None` for all.
    fn queue_clause(&self) -> Option<String> {
        self.queue_clause_on("Queue")
    }

    /// `(FIELD = 'A' OR FIELD = 'B')` over the followed queues: `Queue` in
    /// TicketSQL, `TicketQueue` (the ticket's current queue) in TransactionSQL.
    fn queue_clause_on(&self, field: &str) -> Option<String> {
        if self.opts.queues.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .opts
            .queues
            .iter()
            .map(|q| format!("{field} = '{}'", sql_quote(q)))
            .collect();
        Some(format!("({})", parts.join(" OR ")))
    }

    /// `queue` records of the followed queues.
    fn queue_lines(&self, state: &RtState) -> Vec<u8> {
        let mut out = Vec::new();
        for name in state.queues.values().filter(|n| self.follows_queue(n)) {
            push_json(
                &mut out,
                &json!({"type": "queue", "id": name, "name": name, "channel": "ticket",
                        "sl_seconds": self.opts.sl_seconds}),
            );
        }
        out
    }

    fn follows_queue(&self, name: &str) -> bool {
        self.opts.queues.is_empty() || self.opts.queues.iter().any(|q| q == name)
    }

    const TICKET_FIELDS: &'static str =
        "Queue,Owner,Requestor,Status,Created,Started,Resolved,Priority,SLA,Subject,TimeWorked";
    const TXN_FIELDS: &'static str = "ObjectId,Type,Field,Created,Creator";

    async fn full_load(&self, now: Ts) -> Result<(RtState, bool, Vec<u8>), SourceError> {
        let since = (now.to_utc() - chrono::Duration::days(self.opts.days as i64))
            .format("%Y-%m-%d")
            .to_string();
        let recent =
            format!("Created >= '{since}' OR Resolved >= '{since}' OR Status = '__Active__'");
        let query = match self.queue_clause() {
            Some(q) => format!("{q} AND ({recent})"),
            None => recent,
        };
        // The newest transaction before the sweep (later ones are read next
        // poll), the queues, and the lowest and highest ticket ids with the
        // count, which split the sweep among the workers: side by side.
        let newest_txn = self.url(
            "transactions",
            &[
                ("query", "ObjectType = 'RT::Ticket'"),
                ("orderby", "id"),
                ("order", "DESC"),
                ("per_page", "1"),
                ("fields", "ObjectId"),
            ],
        )?;
        let end_of = |order: &'static str| {
            self.url(
                "tickets",
                &[
                    ("query", &query),
                    ("orderby", "id"),
                    ("order", order),
                    ("per_page", "1"),
                    ("fields", "id"),
                ],
            )
        };
        let (first, last) = (end_of("ASC")?, end_of("DESC")?);
        let (queues, (txn, _), (lowest, _), (highest, _)) = tokio::try_join!(
            self.fetch_queues(),
            self.get_json(&newest_txn, None),
            self.get_json(&first, None),
            self.get_json(&last, None),
        )?;
        let mut state = RtState {
            queues,
            last_txn: first_item_id(txn.as_ref()).unwrap_or(0),
            ..RtState::default()
        };
        let (Some(min_id), Some(max_id)) = (
            first_item_id(lowest.as_ref()),
            first_item_id(highest.as_ref()),
        ) else {
            let out = self.queue_lines(&state);
            return Ok((state, true, out));
        };
        let total = lowest
            .as_ref()
            .and_then(|v| v.get("total"))
            .and_then(Value::as_u64)
            .unwrap_or(max_id.saturating_sub(min_id) + 1);
        // Only the followed queues' transactions: less to read, and rows
        // the token may not see (they shrink pages) are left out.
        let in_queues = self
            .queue_clause_on("TicketQueue")
            .map(|c| format!("{c} AND "))
            .unwrap_or_default();
        let history = format!(
            "ObjectType = 'RT::Ticket' AND {in_queues}(Type = 'Correspond' OR (Type = 'Set' AND Field = 'Queue'))"
        );
        let workers = self.http.settings().max_in_flight.max(1);
        let ranges = plan_ranges(min_id, max_id, total, self.opts.per_page, workers);
        // Each range twice, tickets and their history, interleaved: every
        // worker sweeps one range at a time, at most `workers` at once.
        let mut sweeps = Vec::with_capacity(ranges.len() * 2);
        for (lo, hi) in &ranges {
            sweeps.push((true, format!("({query}) AND id >= {lo} AND id < {hi}")));
            sweeps.push((
                false,
                format!("{history} AND ObjectId >= {lo} AND ObjectId < {hi}"),
            ));
        }
        use futures_util::{StreamExt, TryStreamExt};
        let parts: Vec<(bool, Vec<Value>)> = futures_util::stream::iter(sweeps)
            .map(|(tickets, q)| async move {
                let (collection, fields) = if tickets {
                    ("tickets", Self::TICKET_FIELDS)
                } else {
                    ("transactions", Self::TXN_FIELDS)
                };
                self.search_all(collection, &q, fields)
                    .await
                    .map(|rows| (tickets, rows))
            })
            .buffer_unordered(workers)
            .try_collect()
            .await?;
        let mut hist: HashMap<u64, TicketHistory> = HashMap::new();
        for (_, txns) in parts.iter().filter(|(tickets, _)| !tickets) {
            for t in txns.iter().filter_map(parse_txn) {
                hist.entry(t.ticket).or_default().note(&t);
            }
        }
        for (_, rows) in parts.iter().filter(|(tickets, _)| *tickets) {
            for r in rows {
                match parse_ticket(r) {
                    Ok(t) => {
                        let history = hist.remove(&t.id).unwrap_or_default();
                        state.tickets.insert(
                            t.id,
                            Tracked {
                                ticket: t,
                                etag: None,
                                history,
                            },
                        );
                    }
                    Err(e) => tracing::warn!("RT: skipped a ticket: {e}"),
                }
            }
        }
        let mut out = self.queue_lines(&state);
        let mut ids: Vec<u64> = state.tickets.keys().copied().collect();
        ids.sort_unstable();
        self.emit(&mut state, &ids, &mut out).await?;
        Ok((state, true, out))
    }

    async fn incremental(
        &self,
        mut state: RtState,
    ) -> Result<(RtState, bool, Vec<u8>), SourceError> {
        let q = format!("ObjectType = 'RT::Ticket' AND id > {}", state.last_txn);
        let txns = self
            .search_all("transactions", &q, Self::TXN_FIELDS)
            .await?;
        let mut changed: BTreeSet<u64> = BTreeSet::new();
        let mut new_history: HashMap<u64, TicketHistory> = HashMap::new();
        for t in txns.iter().filter_map(parse_txn) {
            state.last_txn = state.last_txn.max(t.id);
            changed.insert(t.ticket);
            let h = new_history.entry(t.ticket).or_insert_with(|| {
                state
                    .tickets
                    .get(&t.ticket)
                    .map(|k| k.history.clone())
                    .unwrap_or_default()
            });
            h.note(&t);
        }
        let mut out = Vec::new();
        if changed.is_empty() {
            return Ok((state, false, out));
        }
        let fresh = self.reread(&state, &changed).await?;
        if fresh
            .values()
            .any(|(t, _)| !state.queues.contains_key(&t.queue_id))
        {
            state.queues = self.fetch_queues().await?;
            out.extend(self.queue_lines(&state));
        }
        let mut emit_ids = Vec::new();
        for id in changed {
            let history = new_history.remove(&id).unwrap_or_default();
            let entry = match (fresh.get(&id), state.tickets.get(&id)) {
                (Some((t, etag)), _) => Tracked {
                    ticket: t.clone(),
                    etag: etag.clone(),
                    history,
                },
                // 304, or out of sight (moved to a queue the token cannot see, deleted):
                // keep what we had, with the new history.
                (None, Some(old)) => {
                    if old.history == history {
                        continue;
                    }
                    Tracked {
                        history,
                        ..old.clone()
                    }
                }
                (None, None) => continue,
            };
            state.tickets.insert(id, entry);
            emit_ids.push(id);
        }
        self.emit(&mut state, &emit_ids, &mut out).await?;
        Ok((state, false, out))
    }

    /// Re-reads changed tickets: per ticket with its ETag when few, else by
    /// id searches. Returns the tickets that came back with content.
    async fn reread(
        &self,
        state: &RtState,
        ids: &BTreeSet<u64>,
    ) -> Result<HashMap<u64, (RtTicket, Option<String>)>, SourceError> {
        let mut fresh = HashMap::new();
        let known = ids.iter().all(|id| state.tickets.contains_key(id));
        if ids.len() <= PER_TICKET_LIMIT && known {
            for &id in ids {
                let url = self.url(&format!("ticket/{id}"), &[])?;
                let etag = state.tickets.get(&id).and_then(|t| t.etag.clone());
                match self.get_json(&url, etag.as_deref()).await {
                    Ok((Some(v), tag)) => match parse_ticket(&v) {
                        Ok(t) => {
                            fresh.insert(id, (t, tag));
                        }
                        Err(e) => tracing::warn!("RT: ticket {id}: {e}"),
                    },
                    Ok((None, _)) => {}
                    // Out of sight (no right in its new queue) or gone.
                    Err(SourceError::Auth { status: 403, .. })
                    | Err(SourceError::Status { status: 404, .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        } else {
            // Known tickets wherever they are now (one may have moved out);
            // new ones only in the followed queues (the transactions name
            // every ticket the token sees).
            let (old, new): (Vec<u64>, Vec<u64>) =
                ids.iter().partition(|id| state.tickets.contains_key(id));
            let mut searches = Vec::new();
            for (list, clause) in [(old, None), (new, self.queue_clause())] {
                for chunk in list.chunks(IDS_PER_SEARCH) {
                    let by_id = chunk
                        .iter()
                        .map(|id| format!("id = {id}"))
                        .collect::<Vec<_>>()
                        .join(" OR ");
                    searches.push(match &clause {
                        Some(c) => format!("({by_id}) AND {c}"),
                        None => by_id,
                    });
                }
            }
            for q in searches {
                for row in self.search_all("tickets", &q, Self::TICKET_FIELDS).await? {
                    match parse_ticket(&row) {
                        Ok(t) => {
                            fresh.insert(t.id, (t, None));
                        }
                        Err(e) => tracing::warn!("RT: skipped a ticket: {e}"),
                    }
                }
            }
        }
        Ok(fresh)
    }

    /// Contact lines for these tickets (in followed queues, or sent before),
    /// preceded by an `agent` line for each owner not seen before.
    async fn emit(
        &self,
        state: &mut RtState,
        ids: &[u64],
        out: &mut Vec<u8>,
    ) -> Result<(), SourceError> {
        let queue_of = |state: &RtState, id: &u64| -> Option<String> {
            let k = state.tickets.get(id)?;
            let queue = state.queues.get(&k.ticket.queue_id)?;
            (self.follows_queue(queue) || state.sent.contains(id)).then(|| queue.clone())
        };
        // The new owners' names first, side by side (the client bounds them).
        let mut owners: Vec<String> = ids
            .iter()
            .filter(|id| queue_of(state, id).is_some())
            .filter_map(|id| state.tickets.get(id)?.ticket.owner.clone())
            .filter(|o| !state.agents.contains(o))
            .collect();
        owners.sort_unstable();
        owners.dedup();
        let names: HashMap<String, String> =
            futures_util::future::join_all(owners.iter().map(|o| self.real_name(o)))
                .await
                .into_iter()
                .zip(owners.iter().cloned())
                .map(|(name, owner)| (owner, name))
                .collect();
        for id in ids {
            let Some(queue) = queue_of(state, id) else {
                continue;
            };
            let Some(k) = state.tickets.get(id) else {
                continue;
            };
            if let Some(owner) = k.ticket.owner.clone()
                && state.agents.insert(owner.clone())
            {
                let name = names.get(&owner).cloned().unwrap_or_else(|| owner.clone());
                push_json(out, &json!({"type": "agent", "id": owner, "name": name}));
            }
            if let Some(k) = state.tickets.get(id)
                && let Some(line) = contact_record(&k.ticket, &k.history, &queue)
            {
                push_json(out, &line);
                state.sent.insert(*id);
            }
        }
        Ok(())
    }

    /// The user's RealName; the login name when RT will not say.
    async fn real_name(&self, user: &str) -> String {
        let Ok(url) = self.url(&format!("user/{user}"), &[]) else {
            return user.to_owned();
        };
        match self.get_json(&url, None).await {
            Ok((Some(v), _)) => scalar(&v, "RealName").unwrap_or_else(|| user.to_owned()),
            _ => user.to_owned(),
        }
    }

    /// Live queue figures by search: tickets still `new` (nobody has replied
    /// or started), their count and the oldest one's age.
    async fn queue_stats(
        &self,
        state: &RtState,
        now: Ts,
        out: &mut Vec<u8>,
    ) -> Result<(), SourceError> {
        let names: Vec<String> = state
            .queues
            .values()
            .filter(|n| self.follows_queue(n))
            .cloned()
            .collect();
        let one = |name: String| async move {
            let q = format!("Queue = '{}' AND Status = 'new'", sql_quote(&name));
            let url = self.url(
                "tickets",
                &[
                    ("query", &q),
                    ("orderby", "Created"),
                    ("order", "ASC"),
                    ("per_page", "1"),
                    ("fields", "Created"),
                ],
            )?;
            let (v, _) = self.get_json(&url, None).await?;
            Ok::<_, SourceError>((name, v.unwrap_or(Value::Null)))
        };
        // One search per queue, side by side (the client bounds them).
        let answers = futures_util::future::join_all(names.into_iter().map(one)).await;
        for answer in answers {
            let (name, v) = answer?;
            let waiting = v
                .get("total")
                .and_then(Value::as_u64)
                .or_else(|| v.get("count").and_then(Value::as_u64))
                .unwrap_or(0);
            let oldest = v
                .get("items")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|t| rt_time(t, "Created"));
            let longest = match oldest {
                Some(t) if waiting > 0 => (now.secs_since(t)).max(0.0),
                _ => 0.0,
            };
            push_json(
                out,
                &json!({"type": "queue_stats", "queue": name, "at": now.to_rfc3339(),
                        "waiting": waiting, "longest_wait_s": longest.round()}),
            );
        }
        Ok(())
    }
}

/// Whether RT's REST 1.0 took the token: it answers 200 either way, with
/// `RT/5.0.3 200 Ok` or `RT/5.0.3 401 Credentials required` first.
pub fn rt_login_accepted(body: &[u8]) -> bool {
    let first = body.split(|b| *b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let mut words = first.split_whitespace();
    matches!(
        (words.next(), words.next()),
        (Some(rt), Some("200")) if rt.starts_with("RT/")
    )
}

/// The id of the first item of a search answer.
fn first_item_id(v: Option<&Value>) -> Option<u64> {
    v?.get("items")?
        .as_array()?
        .first()
        .and_then(|t| scalar(t, "id"))
        .and_then(|s| s.parse().ok())
}

/// Escapes a value for a single-quoted TicketSQL string.
fn sql_quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

fn push_json(out: &mut Vec<u8>, v: &Value) {
    // Serialising a Value cannot fail; the line ends with a newline.
    if serde_json::to_writer(&mut *out, v).is_ok() {
        out.push(b'\n');
    }
}

/// Timings of one RT poll cycle, for `bench_rt`.
#[derive(Clone, Debug, PartialEq)]
pub struct RtBench {
    pub tickets: usize,
    pub full_load: std::time::Duration,
    pub full_requests: u32,
    /// Session logins of the whole cycle.
    pub logins: u32,
    pub full_bytes: usize,
    pub idle_poll: std::time::Duration,
    pub idle_requests: u32,
    /// After `changes` tickets were changed: time of the incremental poll.
    pub changes: usize,
    pub incremental: std::time::Duration,
    pub incremental_requests: u32,
}

/// Measures one poll cycle against a live RT: the first full load, an idle
/// incremental poll, then an incremental poll after `change` is run (e.g.
/// a closure that updates some tickets through REST).
pub async fn bench_rt<F, Fut>(
    opts: RtOptions,
    settings: &SourceSettings,
    change: F,
) -> Result<RtBench, SourceError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<usize, SourceError>>,
{
    let mut p = RtPoller::new(opts, settings)?;
    let t0 = std::time::Instant::now();
    let full = p.poll_once().await?;
    let full_load = t0.elapsed();
    let full_requests = p.last_requests();
    let t1 = std::time::Instant::now();
    p.poll_once().await?;
    let idle_poll = t1.elapsed();
    let idle_requests = p.last_requests();
    let changes = change().await?;
    let t2 = std::time::Instant::now();
    p.poll_once().await?;
    Ok(RtBench {
        tickets: p.ticket_count(),
        full_load,
        full_requests,
        logins: p.session_logins(),
        full_bytes: full.bytes.len(),
        idle_poll,
        idle_requests,
        changes,
        incremental: t2.elapsed(),
        incremental_requests: p.last_requests(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Value {
        let path = format!(
            "{}/../shared/rt5/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("sample");
        serde_json::from_str(&text).expect("json")
    }

    fn ts(s: &str) -> Ts {
        parse_rfc3339(s).expect("ts")
    }

    #[test]
    fn ticket_1_strings_and_1970_dates() {
        let t = parse_ticket(&sample("ticket_get_1.json")).expect("ticket");
        assert_eq!(t.id, 1);
        assert_eq!(t.queue_id, "3");
        assert_eq!(t.status, "open");
        assert_eq!(t.owner.as_deref(), Some("agent1"));
        assert_eq!(t.requestors, vec!["cust1@test.local".to_owned()]);
        assert_eq!(t.created, Some(ts("2026-11-22T11:01:29Z")));
        assert_eq!(t.started, Some(ts("2026-11-22T11:01:31Z")));
        assert_eq!(t.resolved, None, "1970 means unset");
        assert_eq!(t.priority.as_deref(), Some("100"));
        assert_eq!(t.sla.as_deref(), Some("urgent"));
    }

    #[test]
    fn history_1_first_reply_is_the_correspond() {
        let v = sample("ticket_history_1.json");
        let mut h = TicketHistory::default();
        for item in v["items"].as_array().expect("items") {
            // History items lack ObjectId: it is ticket 1's history.
            let mut item = item.clone();
            item["ObjectId"] = json!("1");
            h.note(&parse_txn(&item).expect("txn"));
        }
        assert_eq!(h.corresponds.len(), 1);
        assert!(h.queue_moves.is_empty());
        let t = parse_ticket(&sample("ticket_get_1.json")).expect("ticket");
        let c = contact_record(&t, &h, "Support").expect("contact");
        // Created 11:01:29, first reply 11:01:32 (Started 11:01:31 is only the fallback).
        assert_eq!(
            c,
            json!({"type": "contact", "id": "rt-1", "channel": "ticket", "queue": "Support",
                   "arrived_at": "2026-11-22T11:01:29Z", "answered_at": "2026-11-22T11:01:32Z",
                   "customer": "cust1@test.local", "agent": "agent1", "priority": "urgent",
                   "text": "Cannot log in"})
        );
        // A requestor's own mail is not a reply.
        assert_eq!(h.first_reply(&["AGENT1".to_owned()]), None);
    }

    #[test]
    fn search_items_map_to_contacts() {
        let v = sample("tickets_search_active.json");
        let items = v["items"].as_array().expect("items");
        let tickets: Vec<RtTicket> = items
            .iter()
            .map(|i| parse_ticket(i).expect("ticket"))
            .collect();
        assert_eq!(tickets.iter().map(|t| t.id).collect::<Vec<_>>(), [4, 1, 3]);
        let h = TicketHistory::default();
        // Ticket 4: SLA standard wins over the verbatim label "High"; Started = Created.
        let c4 = contact_record(&tickets[0], &h, "Support").expect("contact");
        assert_eq!(c4["priority"], "medium");
        assert_eq!(c4["answered_at"], "2026-11-22T11:01:30Z");
        assert_eq!(c4.get("ended_at"), None);
        // Ticket 3: owner Nobody, never started: waiting, no agent, no answer.
        let c3 = contact_record(&tickets[2], &h, "Support").expect("contact");
        assert_eq!(c3.get("agent"), None);
        assert_eq!(c3.get("answered_at"), None);
        assert_eq!(c3["priority"], "medium");
    }

    #[test]
    fn queue_moves_count_as_transfers_once_each() {
        let v = sample("transactions_queue_moves.json");
        let mut h = TicketHistory::default();
        for item in v["items"].as_array().expect("items") {
            let t = parse_txn(item).expect("txn");
            assert_eq!(t.ticket, 3);
            h.note(&t);
        }
        // Reading the same transactions again (overlapping polls) adds nothing.
        for item in v["items"].as_array().expect("items") {
            assert!(!h.note(&parse_txn(item).expect("txn")));
        }
        assert_eq!(h.queue_moves.len(), 2);
        let t = parse_ticket(&sample("tickets_search_active.json")["items"][2]).expect("ticket");
        let c = contact_record(&t, &h, "Support").expect("contact");
        assert_eq!(c["transfers"], 2);
    }

    #[test]
    fn transaction_pages_parse() {
        let v = sample("transactions_cursor_page1.json");
        let t: Vec<RtTxn> = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(parse_txn)
            .collect();
        assert_eq!(
            t.iter().map(|t| t.id).collect::<Vec<_>>(),
            [39, 40, 41, 42, 47]
        );
        assert_eq!(t[4].ticket, 2);
        assert!(v.get("next_page").is_some());
    }

    #[test]
    fn priority_bands_and_labels() {
        assert_eq!(
            map_priority(Some("high"), Some("0")).as_deref(),
            Some("high")
        );
        assert_eq!(map_priority(Some("gold"), None).as_deref(), Some("gold"));
        assert_eq!(map_priority(None, Some("0")), None);
        assert_eq!(map_priority(None, Some("1")).as_deref(), Some("low"));
        assert_eq!(map_priority(None, Some("24")).as_deref(), Some("low"));
        assert_eq!(map_priority(None, Some("25")).as_deref(), Some("medium"));
        assert_eq!(map_priority(None, Some("50")).as_deref(), Some("high"));
        assert_eq!(map_priority(None, Some("74")).as_deref(), Some("high"));
        assert_eq!(map_priority(None, Some("75")).as_deref(), Some("urgent"));
        assert_eq!(map_priority(None, Some("High")).as_deref(), Some("high"));
        assert_eq!(
            map_priority(None, Some("Whenever")).as_deref(),
            Some("Whenever")
        );
    }

    #[test]
    fn resolved_and_rejected_tickets_end() {
        let mut t = parse_ticket(&sample("ticket_get_1.json")).expect("ticket");
        t.status = "resolved".into();
        t.resolved = Some(ts("2026-11-22T12:00:00Z"));
        t.time_worked_min = 4.5;
        let h = TicketHistory::default();
        let c = contact_record(&t, &h, "Support").expect("contact");
        assert_eq!(c["ended_at"], "2026-11-22T12:00:00Z");
        assert_eq!(c["talk_s"], 270.0);
        assert_eq!(c.get("resolved"), None);
        t.status = "rejected".into();
        assert_eq!(
            contact_record(&t, &h, "Support").expect("c")["resolved"],
            false
        );
        // Reopened: Resolved stays set in RT, but the ticket has not ended.
        t.status = "open".into();
        assert_eq!(
            contact_record(&t, &h, "Support")
                .expect("c")
                .get("ended_at"),
            None
        );
        t.status = "deleted".into();
        assert_eq!(contact_record(&t, &h, "Support"), None);
    }

    #[test]
    fn records_decode_on_the_floor() {
        let t = parse_ticket(&sample("ticket_get_1.json")).expect("ticket");
        let mut out = Vec::new();
        push_json(
            &mut out,
            &contact_record(&t, &TicketHistory::default(), "Support").expect("c"),
        );
        let text = String::from_utf8(out).expect("utf8");
        let (floor, errors) = crate::source::load_str(&text);
        assert!(errors.is_empty(), "{errors:?}");
        let c = floor.contact("rt-1").expect("contact");
        // No reply in the history: Started answers.
        assert_eq!(c.answered_at, Some(ts("2026-11-22T11:01:31Z")));
    }

    #[test]
    fn options_from_url() {
        let u =
            Url::parse("https://rt.example.com/rt?queues=Support,%20Billing&days=3&sl_seconds=600")
                .expect("url");
        let o = RtOptions::from_url(&u).expect("opts");
        assert_eq!(o.queues, ["Support", "Billing"]);
        assert_eq!((o.days, o.sl_seconds), (3, 600.0));
        assert_eq!(
            o.rest_root().expect("root").as_str(),
            "https://rt.example.com/rt/REST/2.0/"
        );
        assert!(RtOptions::from_url(&Url::parse("https://h/?per_page=500").expect("url")).is_err());
        assert!(RtOptions::from_url(&Url::parse("https://h/?colour=red").expect("url")).is_err());
        assert_eq!(sql_quote("O'Brien"), "O\\'Brien");
    }
}
