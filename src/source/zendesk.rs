//! Zendesk Support + Talk: tickets (cursor-based incremental export with
//! ticket metrics side-loaded) become `contact` records, groups `queue`
//! records, satisfaction ratings `survey` records, and Talk's live
//! `current_queue_activity` / `agents_activity` give `queue_stats` and
//! `agent_state` for a `talk` queue.
//!
//! Mapping (docs/connectors.md):
//! - contact id `zd-<ticket id>`; channel from `via.channel` (voice → phone,
//!   chat/messaging → chat, email, twitter/facebook/… → social, others → ticket);
//! - queue = the group id (the `queue` record carries the group's name); a
//!   ticket without a group goes to `[source.zendesk] ungrouped_queue`
//!   ("unassigned"), or to one queue per brand, form or channel (`ungrouped_by`);
//! - customer = requester_id; agent = assignee_id; arrived_at = created_at;
//! - answered_at = created_at + the first reply time (calendar) of the metrics;
//!   without it, a `pending` or `hold` ticket (an agent has acted on it) counts
//!   as answered at its updated_at;
//! - ended_at = the metrics' solved_at while the status is solved or closed;
//! - priority urgent/high/normal→medium/low, a null priority →
//!   `default_priority` ("medium"); transfers = group_stations − 1;
//! - SLA targets: the account's SLA policies where the API gives them (the
//!   shortest target per priority, [`sla_from_policies`]), else `[sla]`;
//! - CSAT: `good` → 5, `bad` → 1 (Zendesk's rating is binary; good counts as
//!   satisfied and bad raises the low-CSAT flag); offered/unoffered → no score.
//!
//! Auth: an API token as basic auth `EMAIL/token:TOKEN`. The token setting may
//! hold the whole `EMAIL/token:TOKEN` pair, or only the token with the email in
//! the URL (`?email=`). A 429's Retry-After holds every request of the
//! source; a short one (up to a minute) is waited out and the refused
//! request asked again, a longer one fails the poll and the task waits at
//! least that long. The incremental export is never called more than 10
//! times a minute.
//!
//! The first load runs its lists side by side, at most `[source]
//! concurrency` requests at once: the groups, the brand or form names, the
//! SLA policies, the ticket export, the satisfaction ratings (their 14 days
//! cut into one time slice per worker, each its own `start_time`/`end_time`
//! request chain) and Talk. The ticket export stays one cursor chain:
//! Zendesk allows 10 export calls a minute, so time slices of it side by
//! side would only wait for the same slots. The lines come out in the same
//! order however the requests interleave.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use reqwest::Url;
use serde_json::{Map, Value, json};

use super::error::{CrmProblem, Service};
use super::http::{self, Auth, HttpClient, Secret, SourceError};
use super::poll::{PollBatch, SourceSettings};
use crate::config::{UngroupedBy, ZendeskConfig};
use crate::domain::settings::{SlaTarget, SourceSla};
use crate::domain::time::parse_rfc3339;
use crate::domain::{Priority, Ts};

/// What `zendesk+https://SUB.zendesk.com?email=E&days=N` names.
#[derive(Clone, Debug, PartialEq)]
pub struct ZendeskOptions {
    pub base: Url,
    /// The API user's email (unless the token setting holds `EMAIL/token:TOKEN`).
    pub email: Option<String>,
    /// The first export starts this many days back.
    pub days: u32,
    /// Least time between two incremental-export calls (Zendesk allows 10 a minute).
    pub export_interval: Duration,
}

pub const DEFAULT_DAYS: u32 = 14;
pub const EXPORT_INTERVAL: Duration = Duration::from_secs(6);

impl ZendeskOptions {
    pub fn new(base: Url) -> ZendeskOptions {
        ZendeskOptions {
            base,
            email: None,
            days: DEFAULT_DAYS,
            export_interval: EXPORT_INTERVAL,
        }
    }

    pub fn from_url(url: &Url) -> Result<ZendeskOptions, CrmProblem> {
        let mut base = url.clone();
        base.set_query(None);
        base.set_fragment(None);
        let mut o = ZendeskOptions::new(base);
        for (k, v) in url.query_pairs() {
            match &*k {
                "email" => o.email = Some(v.into_owned()),
                "days" => {
                    o.days = v
                        .parse()
                        .map_err(|_| CrmProblem::DaysNotNumber(v.to_string()))?
                }
                other => return Err(CrmProblem::UnknownZendeskOption(other.to_owned())),
            }
        }
        Ok(o)
    }
}

/// Talk's live figures go to this queue.
pub const TALK_QUEUE: &str = "talk";

fn num_id(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn time(v: &Value, key: &str) -> Option<Ts> {
    parse_rfc3339(v.get(key)?.as_str()?).ok()
}

/// `via.channel` → floor channel.
pub fn map_channel(via: Option<&str>) -> &'static str {
    match via.unwrap_or("") {
        "voice" | "phone" => "phone",
        "chat" | "native_messaging" | "messaging" | "sms" | "whatsapp" => "chat",
        "email" => "email",
        "twitter" | "facebook" | "instagram_dm" | "line" | "wechat" | "any_channel" => "social",
        _ => "ticket",
    }
}

pub fn map_priority(p: Option<&str>) -> Option<&'static str> {
    match p? {
        "urgent" => Some("urgent"),
        "high" => Some("high"),
        "normal" => Some("medium"),
        "low" => Some("low"),
        _ => None,
    }
}

/// The longest SLA target taken from a policy (a year, in minutes): a
/// larger or non-positive one is a typo, not a promise, and is left out.
const SLA_TARGET_MAX_MIN: u64 = 366 * 24 * 60;

/// A policy metric's target in whole minutes (seconds rounded up, so the
/// console's timer never runs out after Zendesk's).
fn target_minutes(m: &Value) -> Option<u32> {
    let min = match m.get("target_in_seconds").and_then(Value::as_u64) {
        Some(s) => s.div_ceil(60),
        None => m.get("target").and_then(Value::as_u64)?,
    };
    (1..=SLA_TARGET_MAX_MIN)
        .contains(&min)
        .then(|| u32::try_from(min).ok())
        .flatten()
}

/// The SLA targets of the account's policies (`/api/v2/slas/policies`), by
/// priority (urgent, high, normal → medium, low): the shortest
/// `first_reply_time` target any policy sets for that priority, and the
/// shortest `total_resolution_time` target (none when no policy sets one).
/// The console has one target per priority while Zendesk picks a policy per
/// ticket by its conditions, so the shortest is taken: a timer never runs
/// out after Zendesk's. `None` when no policy sets a first-reply target.
pub fn sla_from_policies(policies: &[Value]) -> Option<SourceSla> {
    let mut first: [Option<u32>; 4] = [None; 4];
    let mut resolution: [Option<u32>; 4] = [None; 4];
    for m in policies
        .iter()
        .filter_map(|p| p.get("policy_metrics").and_then(Value::as_array))
        .flatten()
    {
        let Some(p) = map_priority(m.get("priority").and_then(Value::as_str)) else {
            continue;
        };
        let Some(i) = Priority::KNOWN
            .iter()
            .position(|k| k.known_str() == Some(p))
        else {
            continue;
        };
        let Some(min) = target_minutes(m) else {
            continue;
        };
        let slot = match m.get("metric").and_then(Value::as_str) {
            Some("first_reply_time") => &mut first[i],
            Some("total_resolution_time") => &mut resolution[i],
            _ => continue,
        };
        *slot = Some(slot.map_or(min, |old| old.min(min)));
    }
    let mut sla = SourceSla::default();
    for (i, p) in Priority::KNOWN.iter().enumerate() {
        if let Some(first_response_min) = first[i] {
            sla.set(
                *p,
                SlaTarget {
                    first_response_min,
                    resolution_min: resolution[i],
                },
            );
        }
    }
    (!sla.is_empty()).then_some(sla)
}

/// The first reply time in seconds (calendar), from a metric set.
fn reply_seconds(m: &Value) -> Option<f64> {
    if let Some(s) = m
        .get("reply_time_in_seconds")
        .and_then(|r| r.get("calendar"))
        .and_then(Value::as_f64)
    {
        return Some(s);
    }
    m.get("reply_time_in_minutes")
        .and_then(|r| r.get("calendar"))
        .and_then(Value::as_f64)
        .map(|min| min * 60.0)
}

/// The queue of a ticket: its group, else the queue `map` gives tickets
/// without a group.
pub fn queue_of(ticket: &Value, map: &ZendeskConfig) -> String {
    if let Some(g) = num_id(ticket, "group_id") {
        return g;
    }
    let by = match map.ungrouped_by {
        UngroupedBy::None => None,
        UngroupedBy::Brand => num_id(ticket, "brand_id").map(|b| format!("brand-{b}")),
        UngroupedBy::Form => num_id(ticket, "ticket_form_id").map(|f| format!("form-{f}")),
        UngroupedBy::Channel => {
            let via = ticket
                .get("via")
                .and_then(|v| v.get("channel"))
                .and_then(Value::as_str);
            Some(format!("{}-{}", map.ungrouped_queue, map_channel(via)))
        }
    };
    by.unwrap_or_else(|| map.ungrouped_queue.clone())
}

/// The `contact` record of an exported ticket and its metric set. `None`
/// for deleted tickets.
pub fn contact_record(
    ticket: &Value,
    metrics: Option<&Value>,
    map: &ZendeskConfig,
) -> Option<Value> {
    let id = num_id(ticket, "id")?;
    let status = ticket.get("status").and_then(Value::as_str).unwrap_or("");
    if status == "deleted" {
        return None;
    }
    let mut m = Map::new();
    m.insert("type".into(), json!("contact"));
    m.insert("id".into(), json!(format!("zd-{id}")));
    let via = ticket
        .get("via")
        .and_then(|v| v.get("channel"))
        .and_then(Value::as_str);
    m.insert("channel".into(), json!(map_channel(via)));
    m.insert("queue".into(), json!(queue_of(ticket, map)));
    if let Some(c) = num_id(ticket, "requester_id") {
        m.insert("customer".into(), json!(c));
    }
    if let Some(a) = num_id(ticket, "assignee_id") {
        m.insert("agent".into(), json!(a));
    }
    let created = time(ticket, "created_at");
    if let Some(c) = created {
        m.insert("arrived_at".into(), json!(c.to_rfc3339()));
    }
    if let Some(metrics) = metrics {
        if let (Some(c), Some(secs)) = (created, reply_seconds(metrics)) {
            let at = c.add_nanos((secs * 1e9).round() as i64);
            m.insert("answered_at".into(), json!(at.to_rfc3339()));
        }
        if matches!(status, "solved" | "closed")
            && let Some(s) = time(metrics, "solved_at")
        {
            m.insert("ended_at".into(), json!(s.to_rfc3339()));
        }
        if let Some(g) = metrics.get("group_stations").and_then(Value::as_u64)
            && g > 1
        {
            m.insert("transfers".into(), json!(g - 1));
        }
    }
    // Without metric sets (or before Zendesk computes the first reply time),
    // a ticket an agent has replied to or put on hold is answered: its last
    // update is the latest time the reply can have happened.
    if !m.contains_key("answered_at")
        && matches!(status, "pending" | "hold")
        && let Some(at) = time(ticket, "updated_at").or(created)
    {
        m.insert("answered_at".into(), json!(at.to_rfc3339()));
    }
    let priority = match ticket.get("priority") {
        None | Some(Value::Null) => map.default_priority.floor(),
        Some(p) => map_priority(p.as_str()),
    };
    if let Some(p) = priority {
        m.insert("priority".into(), json!(p));
    }
    if let Some(s) = ticket.get("subject").and_then(Value::as_str) {
        m.insert("text".into(), json!(s));
    }
    Some(Value::Object(m))
}

/// The `survey` record of a satisfaction rating.
pub fn survey_record(r: &Value) -> Option<Value> {
    let id = num_id(r, "id")?;
    let mut m = Map::new();
    m.insert("type".into(), json!("survey"));
    m.insert("id".into(), json!(format!("zd-csat-{id}")));
    if let Some(t) = num_id(r, "ticket_id") {
        m.insert("contact".into(), json!(format!("zd-{t}")));
    }
    if let Some(at) = time(r, "updated_at").or_else(|| time(r, "created_at")) {
        m.insert("at".into(), json!(at.to_rfc3339()));
    }
    match r.get("score").and_then(Value::as_str) {
        Some("good") => {
            m.insert("csat".into(), json!(5));
        }
        Some("bad") => {
            m.insert("csat".into(), json!(1));
        }
        _ => {}
    }
    if let Some(c) = r
        .get("comment")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
    {
        m.insert("comment".into(), json!(c));
    }
    Some(Value::Object(m))
}

/// Talk agent → floor state: on a call = busy, wrap-up = wrap, away = break,
/// offline = offline, online or transfers-only = available.
pub fn map_agent_state(a: &Value) -> &'static str {
    match a.get("call_status").and_then(Value::as_str) {
        Some("on_call") => return "busy",
        Some("wrap_up") => return "wrap",
        _ => {}
    }
    let state = a
        .get("agent_state")
        .or_else(|| a.get("status"))
        .and_then(Value::as_str)
        .unwrap_or("offline");
    match state {
        "online" | "transfers_only" => "available",
        "away" => "break",
        _ => "offline",
    }
}

#[derive(Clone, Debug, Default)]
struct ZdState {
    /// The incremental export's after_cursor.
    cursor: Option<String>,
    /// Agent → last state sent (agent_state is append-only: send changes only).
    agent_states: HashMap<String, &'static str>,
    groups: BTreeMap<String, String>,
    /// When the last complete poll started (ratings are read back to it).
    last_poll: Option<Ts>,
}

/// What the Zendesk poller keeps in the warm-start cache
/// ([`super::cache`]): the export's cursor, the agents' last Talk states,
/// the groups, and when it last polled (nanoseconds since the epoch).
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct ZdResume {
    cursor: Option<String>,
    agent_states: BTreeMap<String, String>,
    groups: BTreeMap<String, String>,
    last_poll: Option<i64>,
}

/// The floor's agent states, as `map_agent_state` gives them.
const AGENT_STATES: [&str; 5] = ["available", "busy", "wrap", "break", "offline"];

/// The Zendesk poller.
#[derive(Debug)]
pub struct ZendeskPoller {
    http: HttpClient,
    opts: ZendeskOptions,
    api: Url,
    state: Option<ZdState>,
    /// When the incremental export may next be called (its own rate limit).
    next_export: std::sync::Mutex<Option<Instant>>,
    /// Talk answered 403/404 once: the account has no Talk.
    talk_missing: bool,
    /// Queue and priority of tickets that leave them empty.
    map: ZendeskConfig,
}

impl ZendeskPoller {
    pub fn new(
        opts: ZendeskOptions,
        settings: &SourceSettings,
    ) -> Result<ZendeskPoller, SourceError> {
        let token = settings
            .token
            .as_ref()
            .ok_or(SourceError::NeedsToken(Service::Zendesk))?;
        let (user, password) = match token.expose().split_once("/token:") {
            Some((email, tok)) => (format!("{email}/token"), Secret::new(tok)),
            None => match &opts.email {
                Some(e) => (format!("{e}/token"), token.clone()),
                None => {
                    return Err(SourceError::ZendeskNeedsEmail);
                }
            },
        };
        let mut http = HttpClient::new(&opts.base, Auth::basic(&user, &password), &settings.http)?;
        http.redact_also(&password);
        let api = http::as_dir(&opts.base)
            .join("api/v2/")
            .map_err(|e| SourceError::url(Service::Zendesk, e))?;
        Ok(ZendeskPoller {
            http,
            opts,
            api,
            state: None,
            next_export: std::sync::Mutex::new(None),
            talk_missing: false,
            map: settings.zendesk.clone(),
        })
    }

    fn url(&self, path: &str, params: &[(&str, &str)]) -> Result<Url, SourceError> {
        let mut u = self
            .api
            .join(path)
            .map_err(|e| SourceError::url(Service::Zendesk, e))?;
        if !params.is_empty() {
            let mut q = u.query_pairs_mut();
            for (k, v) in params {
                q.append_pair(k, v);
            }
        }
        Ok(u)
    }

    /// Where polling stands, for the warm-start cache; `None` before the
    /// first complete poll.
    pub fn resume_state(&self) -> Option<Value> {
        let s = self.state.as_ref()?;
        let r = ZdResume {
            cursor: s.cursor.clone(),
            agent_states: s
                .agent_states
                .iter()
                .map(|(k, v)| (k.clone(), (*v).to_owned()))
                .collect(),
            groups: s.groups.clone(),
            last_poll: s.last_poll.map(Ts::nanos),
        };
        serde_json::to_value(r).ok()
    }

    /// Continues from a cached state: the next poll reads the export from
    /// the cached cursor (an unknown agent state is read as offline).
    pub fn resume(&mut self, state: Value) -> Result<(), String> {
        let r: ZdResume = serde_json::from_value(state).map_err(|e| e.to_string())?;
        if r.cursor.is_none() {
            return Err("no export cursor".into());
        }
        self.state = Some(ZdState {
            cursor: r.cursor,
            agent_states: r
                .agent_states
                .into_iter()
                .map(|(k, v)| {
                    let s = AGENT_STATES
                        .iter()
                        .find(|s| **s == v)
                        .copied()
                        .unwrap_or("offline");
                    (k, s)
                })
                .collect(),
            groups: r.groups,
            last_poll: r.last_poll.map(Ts::from_nanos),
        });
        Ok(())
    }

    /// What of the options and mapping shapes the floor (the cache is kept
    /// per value).
    pub fn cache_options(opts: &ZendeskOptions, map: &ZendeskConfig) -> String {
        format!(
            "days={};ungrouped_queue={};ungrouped_by={};default_priority={}",
            opts.days,
            map.ungrouped_queue,
            map.ungrouped_by.as_str(),
            map.default_priority.as_str()
        )
    }

    /// GET a JSON page, a 429 with a short Retry-After waited out
    /// ([`HttpClient::get_waiting_out`]).
    async fn get_json(&self, url: &Url) -> Result<Value, SourceError> {
        let got = self.http.get_waiting_out(url, None, || {}).await?;
        serde_json::from_slice(&got.body).map_err(|e| SourceError::json(url, &e))
    }

    /// One poll. The first reads the full state: the groups, the brand or
    /// form names, the SLA policies, the ticket export, the satisfaction
    /// ratings (in time slices, one per worker) and Talk, side by side, at
    /// most `[source] concurrency` requests at once (the client's gate).
    /// The ticket export stays one cursor chain: its pages follow each
    /// other, and Zendesk allows 10 export calls a minute, so slices of it
    /// side by side would wait for the same slots. The lines come out in
    /// the same order however the requests interleave, and nothing of a
    /// poll is kept when any request fails.
    pub async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        self.http.clear_pause();
        let now = Ts::from_datetime(&chrono::Utc::now());
        let first = self.state.is_none();
        let mut state = self.state.clone().unwrap_or_default();
        let this = &*self;
        let ((groups, names, sla), (tickets, cursor, gone), ratings, talk) = tokio::try_join!(
            this.full_state_lists(first),
            this.export_tickets(state.cursor.clone(), now),
            this.ratings(first, state.last_poll, now),
            this.talk(),
        )?;
        let mut out = Vec::new();
        if first {
            state.groups = groups;
            for (id, name) in &state.groups {
                push_json(
                    &mut out,
                    &json!({"type": "queue", "id": id, "name": name, "channel": "ticket"}),
                );
            }
            // Tickets without a group have a queue too, listed even while empty.
            push_json(
                &mut out,
                &json!({"type": "queue", "id": self.map.ungrouped_queue, "channel": "ticket"}),
            );
            for (id, name) in names {
                push_json(
                    &mut out,
                    &json!({"type": "queue", "id": id, "name": name, "channel": "ticket"}),
                );
            }
        }
        out.extend_from_slice(&tickets);
        if cursor.is_some() {
            state.cursor = cursor;
        }
        out.extend_from_slice(&ratings);
        match talk {
            Some((q, agents)) => self.talk_lines(&mut state, &q, &agents, now, first, &mut out),
            None if !self.talk_missing => {
                tracing::info!(
                    "Zendesk Talk is not available on this account; live queue figures come from tickets"
                );
                self.talk_missing = true;
            }
            None => {}
        }
        state.last_poll = Some(now);
        self.state = Some(state);
        Ok(PollBatch {
            reset: first,
            sla,
            bytes: out,
            origin: format!("Zendesk {}", self.opts.base.host_str().unwrap_or("")),
            first_line: 1,
            more: false,
            gone,
            ..PollBatch::default()
        })
    }

    /// What only the first poll reads, side by side: the groups, the names
    /// of the queues of tickets without a group, and the account's SLA
    /// targets (read with every full state).
    async fn full_state_lists(
        &self,
        first: bool,
    ) -> Result<
        (
            BTreeMap<String, String>,
            Vec<(String, String)>,
            Option<SourceSla>,
        ),
        SourceError,
    > {
        if !first {
            return Ok((BTreeMap::new(), Vec::new(), None));
        }
        tokio::try_join!(self.groups(), self.ungrouped_names(), self.sla_policies())
    }

    async fn groups(&self) -> Result<BTreeMap<String, String>, SourceError> {
        let mut groups = BTreeMap::new();
        self.pages("groups.json", &[], |v| {
            for g in v
                .get("groups")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(id), Some(name)) =
                    (num_id(g, "id"), g.get("name").and_then(Value::as_str))
                {
                    groups.insert(id, name.to_owned());
                }
            }
            true
        })
        .await?;
        Ok(groups)
    }

    /// The SLA targets of the account's SLA policies ([`sla_from_policies`]).
    /// An account whose plan has no SLAs, or a token that may not read them
    /// (403/404: the API gives them to admins only), keeps the console's
    /// `[sla]` targets.
    async fn sla_policies(&self) -> Result<Option<SourceSla>, SourceError> {
        let mut policies = Vec::new();
        let got = self
            .pages("slas/policies.json", &[], |v| {
                let list = v.get("sla_policies").and_then(Value::as_array);
                policies.extend(list.into_iter().flatten().cloned());
                list.is_some_and(|l| !l.is_empty())
            })
            .await;
        match got {
            Ok(_) => {
                let sla = sla_from_policies(&policies);
                tracing::info!(
                    policies = policies.len(),
                    used = sla.is_some(),
                    "Zendesk SLA policies read"
                );
                Ok(sla)
            }
            Err(SourceError::Auth { status: 403, .. })
            | Err(SourceError::Status { status: 404, .. }) => {
                tracing::info!("Zendesk SLA policies are not readable; the [sla] targets apply");
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The names of the brands or forms that split tickets without a group
    /// (`ungrouped_by`), as queue id → name. An account that does not let the
    /// token read them (403/404) keeps the bare ids.
    async fn ungrouped_names(&self) -> Result<Vec<(String, String)>, SourceError> {
        let (path, list, prefix) = match self.map.ungrouped_by {
            UngroupedBy::Brand => ("brands.json", "brands", "brand"),
            UngroupedBy::Form => ("ticket_forms.json", "ticket_forms", "form"),
            UngroupedBy::None | UngroupedBy::Channel => return Ok(Vec::new()),
        };
        let mut names = Vec::new();
        let got = self
            .pages(path, &[], |v| {
                for b in v.get(list).and_then(Value::as_array).into_iter().flatten() {
                    if let (Some(id), Some(name)) =
                        (num_id(b, "id"), b.get("name").and_then(Value::as_str))
                    {
                        names.push((format!("{prefix}-{id}"), name.to_owned()));
                    }
                }
                true
            })
            .await;
        match got {
            Ok(_) => Ok(names),
            Err(SourceError::Auth { status: 403, .. })
            | Err(SourceError::Status { status: 404, .. }) => {
                tracing::info!(
                    "Zendesk {list} are not readable with this token; queues keep their ids"
                );
                Ok(Vec::new())
            }
            Err(e) => Err(e),
        }
    }

    /// Reads every page of a list, in either of Zendesk's pagination styles:
    /// cursor (`meta.has_more` + `meta.after_cursor`, asked with `page[after]`)
    /// or offset (`next_page`, a full URL on the same origin). `each` gets every
    /// page and says whether the page held anything (an empty page ends the
    /// list). The URL of the last page read comes back.
    async fn pages(
        &self,
        path: &str,
        params: &[(&str, &str)],
        mut each: impl FnMut(&Value) -> bool,
    ) -> Result<Url, SourceError> {
        let mut first: Vec<(&str, &str)> = params.to_vec();
        first.push(("page[size]", "100"));
        let mut url = self.url(path, &first)?;
        for _ in 0..MAX_PAGES {
            let v = self.get_json(&url).await?;
            let any = each(&v);
            let next = match next_page(&v, &url) {
                Some(_) if !any => return Ok(url),
                Some(Next::Cursor(c)) => {
                    let mut p = first.clone();
                    p.push(("page[after]", c.as_str()));
                    self.url(path, &p)?
                }
                Some(Next::Url(u)) => u,
                None => return Ok(url),
            };
            url = next;
        }
        Err(SourceError::TooManyPages {
            url: http::show_url(&url),
            pages: MAX_PAGES,
        })
    }

    /// Waits until the incremental export may be called again, and takes
    /// that slot (slots are [`ZendeskOptions::export_interval`] apart).
    async fn export_slot(&self) {
        let wait = {
            let mut next = self
                .next_export
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let at = next.map_or(now, |t| t.max(now));
            *next = Some(at + self.opts.export_interval);
            at - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// The tickets changed since `cursor` (all of the last `days` without
    /// one), as contact lines, the cursor to go on from, and the contacts of
    /// the tickets deleted ([`ExportLines`]).
    async fn export_tickets(
        &self,
        mut cursor: Option<String>,
        now: Ts,
    ) -> Result<(Vec<u8>, Option<String>, Vec<String>), SourceError> {
        let start = (now.to_utc() - chrono::Duration::days(self.opts.days as i64))
            .timestamp()
            .to_string();
        let mut lines = ExportLines::default();
        loop {
            let mut params = vec![("include", "metric_sets".to_owned())];
            match &cursor {
                Some(c) => params.push(("cursor", c.clone())),
                None => params.push(("start_time", start.clone())),
            }
            let p: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let url = self.url("incremental/tickets/cursor.json", &p)?;
            self.export_slot().await;
            let v = self.get_json(&url).await?;
            let tickets = v
                .get("tickets")
                .and_then(Value::as_array)
                .ok_or_else(|| SourceError::no_list(&url, "tickets"))?;
            let metrics: HashMap<String, &Value> = v
                .get("metric_sets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| Some((num_id(m, "ticket_id")?, m)))
                .collect();
            for t in tickets {
                let Some(id) = num_id(t, "id") else {
                    continue;
                };
                let line = contact_record(t, metrics.get(&id).copied(), &self.map);
                lines.put(id, line);
            }
            if let Some(c) = v.get("after_cursor").and_then(Value::as_str) {
                cursor = Some(c.to_owned());
            }
            let end = v
                .get("end_of_stream")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            if end || tickets.is_empty() {
                let (out, gone) = lines.finish();
                return Ok((out, cursor, gone));
            }
        }
    }

    /// Ratings of the last `days` on the first poll, of the last 24 h after
    /// (a rating changes from offered to good/bad within days; upserts make
    /// the overlap harmless), or back to an hour before the last poll when
    /// that is longer ago (a warm start after a night off). A span longer
    /// than a day is read in time slices side by side, one per worker
    /// ([`rating_slices`]); the ratings come out by id, each once (its
    /// latest update), however the span was cut.
    async fn ratings(
        &self,
        first: bool,
        last_poll: Option<Ts>,
        now: Ts,
    ) -> Result<Vec<u8>, SourceError> {
        let all = chrono::Duration::days(self.opts.days as i64);
        let back = if first {
            all
        } else {
            let since_last = last_poll.map_or(all, |t| {
                chrono::Duration::seconds(now.secs_since(t).max(0.0) as i64 + 3600)
            });
            since_last.max(chrono::Duration::hours(24)).min(all)
        };
        let end = now.to_utc().timestamp();
        let start = (now.to_utc() - back).timestamp();
        let workers = if back > chrono::Duration::hours(24) {
            self.http.settings().max_in_flight.max(1)
        } else {
            1
        };
        let slices = rating_slices(start, end, workers);
        let lists = futures_util::future::try_join_all(
            slices.iter().map(|&(from, to)| self.rating_slice(from, to)),
        )
        .await?;
        let mut by_id: BTreeMap<(u64, String), Value> = BTreeMap::new();
        for r in lists.into_iter().flatten() {
            let Some(id) = num_id(&r, "id") else {
                continue;
            };
            let key = (id.parse::<u64>().unwrap_or(u64::MAX), id);
            let newer = by_id
                .get(&key)
                .is_none_or(|old| time(&r, "updated_at") >= time(old, "updated_at"));
            if newer {
                by_id.insert(key, r);
            }
        }
        let mut out = Vec::new();
        for r in by_id.values() {
            if let Some(line) = survey_record(r) {
                push_json(&mut out, &line);
            }
        }
        Ok(out)
    }

    /// The ratings from `from` (epoch seconds) to `to` (none: to now).
    async fn rating_slice(&self, from: i64, to: Option<i64>) -> Result<Vec<Value>, SourceError> {
        let from = from.to_string();
        let to = to.map(|t| t.to_string());
        let mut params = vec![("start_time", from.as_str())];
        if let Some(t) = &to {
            params.push(("end_time", t.as_str()));
        }
        let mut ratings = Vec::new();
        let mut missing = false;
        let last = self
            .pages("satisfaction_ratings.json", &params, |v| {
                let Some(list) = v.get("satisfaction_ratings").and_then(Value::as_array) else {
                    missing = true;
                    return false;
                };
                ratings.extend(list.iter().cloned());
                !list.is_empty()
            })
            .await?;
        if missing {
            return Err(SourceError::no_list(&last, "satisfaction_ratings"));
        }
        Ok(ratings)
    }

    /// Talk's live queue and its agents' activity, read side by side;
    /// `None` when the account has no Talk (403/404, remembered).
    async fn talk(&self) -> Result<Option<(Value, Vec<Value>)>, SourceError> {
        if self.talk_missing {
            return Ok(None);
        }
        let url = self.url("channels/voice/stats/current_queue_activity.json", &[])?;
        let (q, agents) = futures_util::future::join(self.get_json(&url), self.talk_agents()).await;
        let q = match q {
            Ok(v) => v,
            Err(SourceError::Auth { status: 403, .. })
            | Err(SourceError::Status { status: 404, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let q = q
            .get("current_queue_activity")
            .cloned()
            .unwrap_or(Value::Null);
        Ok(Some((q, agents?)))
    }

    /// Every page of Talk's agents activity.
    async fn talk_agents(&self) -> Result<Vec<Value>, SourceError> {
        let mut agents: Vec<Value> = Vec::new();
        let mut url = self.url(
            "channels/voice/stats/agents_activity.json",
            &[("per_page", "100")],
        )?;
        for _ in 0..100 {
            let v = self.get_json(&url).await?;
            agents.extend(
                v.get("agents_activity")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            // next_page is a full URL on the same host; anything else is not followed.
            match v
                .get("next_page")
                .and_then(Value::as_str)
                .and_then(|n| Url::parse(n).ok())
            {
                Some(next) if next.host_str() == url.host_str() && next.port() == url.port() => {
                    url = next
                }
                _ => break,
            }
        }
        Ok(agents)
    }

    /// The Talk queue's figures and the agents whose state changed.
    fn talk_lines(
        &self,
        state: &mut ZdState,
        q: &Value,
        agents: &[Value],
        now: Ts,
        first: bool,
        out: &mut Vec<u8>,
    ) {
        if first {
            push_json(
                out,
                &json!({"type": "queue", "id": TALK_QUEUE, "name": "Talk", "channel": "phone"}),
            );
        }
        let mut counts = [0u64; 5];
        let at = now.to_rfc3339();
        for a in agents {
            let Some(id) = num_id(a, "agent_id") else {
                continue;
            };
            let s = map_agent_state(a);
            let slot = ["available", "busy", "wrap", "break", "offline"]
                .iter()
                .position(|k| *k == s)
                .unwrap_or(4);
            counts[slot] += 1;
            if state.agent_states.get(&id) != Some(&s) {
                if !state.agent_states.contains_key(&id) {
                    let name = a
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or(&id)
                        .to_owned();
                    push_json(out, &json!({"type": "agent", "id": id, "name": name}));
                }
                push_json(
                    out,
                    &json!({"type": "agent_state", "agent": id, "state": s, "at": at, "queue": TALK_QUEUE}),
                );
                state.agent_states.insert(id, s);
            }
        }
        push_json(
            out,
            &json!({"type": "queue_stats", "queue": TALK_QUEUE, "at": at,
                    "waiting": q.get("calls_waiting").and_then(Value::as_u64).unwrap_or(0)
                        + q.get("callbacks_waiting").and_then(Value::as_u64).unwrap_or(0),
                    "longest_wait_s": q.get("longest_wait_time").and_then(Value::as_f64).unwrap_or(0.0),
                    "agents": {"available": counts[0], "busy": counts[1], "wrap": counts[2],
                               "break": counts[3], "offline": counts[4]}}),
        );
    }
}

/// Cuts the span `start..=end` (epoch seconds) into `n` slices of about
/// the same length, each asked with `start_time` and `end_time`, the last
/// open-ended (a rating given while the load runs is read, as by a single
/// request). Neighbours share their boundary second: whether Zendesk reads
/// `end_time` as inclusive or not, no second falls between two slices.
pub fn rating_slices(start: i64, end: i64, n: usize) -> Vec<(i64, Option<i64>)> {
    let n = n.max(1) as i64;
    let span = (end - start).max(0);
    let n = n.min(span.max(1));
    let cut = |i: i64| start + span * i / n;
    (0..n)
        .map(|i| (cut(i), (i + 1 < n).then(|| cut(i + 1))))
        .collect()
}

/// Most pages read of one list in one poll (100 000 items at 100 a page).
const MAX_PAGES: u32 = 1_000;

/// Where a list goes on.
#[derive(Debug, PartialEq)]
enum Next {
    /// Cursor pagination: ask again with `page[after]`.
    Cursor(String),
    /// Offset pagination: the `next_page` URL.
    Url(Url),
}

/// The next page of a Zendesk list: cursor pagination (`meta.has_more` and
/// `meta.after_cursor`) when the answer has `meta`, else offset pagination
/// (`next_page`, followed only on the origin of `current` and never to the
/// same URL again).
fn next_page(v: &Value, current: &Url) -> Option<Next> {
    if let Some(meta) = v.get("meta").filter(|m| m.is_object()) {
        if meta.get("has_more").and_then(Value::as_bool) != Some(true) {
            return None;
        }
        return meta
            .get("after_cursor")
            .and_then(Value::as_str)
            .map(|c| Next::Cursor(c.to_owned()));
    }
    let next = Url::parse(v.get("next_page")?.as_str()?).ok()?;
    let same_origin = next.scheme() == current.scheme()
        && next.host_str() == current.host_str()
        && next.port_or_known_default() == current.port_or_known_default();
    (same_origin && next != *current).then_some(Next::Url(next))
}

/// The tickets of one export, each once. A ticket changed while the export
/// runs comes twice: its line stays where it first came (the floor's
/// order) with its latest content; it is gone when its latest state is
/// deleted, and only then (a ticket deleted and restored meanwhile stays).
#[derive(Debug, Default)]
struct ExportLines {
    /// Ticket id and contact line (`None`: deleted), in first-seen order.
    lines: Vec<(String, Option<Value>)>,
    at: HashMap<String, usize>,
}

impl ExportLines {
    fn put(&mut self, id: String, line: Option<Value>) {
        match self.at.get(&id) {
            Some(&i) => self.lines[i].1 = line,
            None => {
                self.at.insert(id.clone(), self.lines.len());
                self.lines.push((id, line));
            }
        }
    }

    /// The contact lines, and the contacts whose latest state is deleted.
    fn finish(self) -> (Vec<u8>, Vec<String>) {
        let mut out = Vec::new();
        let mut gone = Vec::new();
        for (id, line) in self.lines {
            match line {
                Some(l) => push_json(&mut out, &l),
                None => gone.push(format!("zd-{id}")),
            }
        }
        (out, gone)
    }
}

fn push_json(out: &mut Vec<u8>, v: &Value) {
    if serde_json::to_writer(&mut *out, v).is_ok() {
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_with_metrics_is_a_contact() {
        let t = json!({"id": 35436, "via": {"channel": "voice"}, "created_at": "2026-11-22T09:00:00Z",
            "status": "solved", "priority": "normal", "requester_id": 20978392, "assignee_id": 235323,
            "group_id": 98738, "subject": "Help, my printer is on fire!"});
        let m = json!({"ticket_id": 35436, "reply_time_in_minutes": {"calendar": 3, "business": 1},
            "solved_at": "2026-11-22T09:20:00Z", "group_stations": 3});
        let c = contact_record(&t, Some(&m), &ZendeskConfig::default()).expect("contact");
        assert_eq!(
            c,
            json!({"type": "contact", "id": "zd-35436", "channel": "phone", "queue": "98738",
                   "customer": "20978392", "agent": "235323", "arrived_at": "2026-11-22T09:00:00Z",
                   "answered_at": "2026-11-22T09:03:00Z", "ended_at": "2026-11-22T09:20:00Z",
                   "transfers": 2, "priority": "medium", "text": "Help, my printer is on fire!"})
        );
        // Reopened: solved_at stays in the metrics but the ticket has not ended.
        let open = json!({"id": 1, "status": "open", "created_at": "2026-11-22T09:00:00Z"});
        assert_eq!(
            contact_record(&open, Some(&m), &ZendeskConfig::default())
                .expect("c")
                .get("ended_at"),
            None
        );
        assert_eq!(
            contact_record(
                &json!({"id": 2, "status": "deleted"}),
                None,
                &ZendeskConfig::default()
            ),
            None
        );
    }

    #[test]
    fn ratings_are_binary_csat() {
        let good = json!({"id": 7, "ticket_id": 9, "score": "good", "comment": "", "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:05:00Z"});
        assert_eq!(
            survey_record(&good).expect("survey"),
            json!({"type": "survey", "id": "zd-csat-7", "contact": "zd-9", "at": "2026-11-22T10:05:00Z", "csat": 5})
        );
        let bad = json!({"id": 8, "score": "bad", "comment": "slow"});
        assert_eq!(survey_record(&bad).expect("s")["csat"], 1);
        let offered = json!({"id": 9, "score": "offered"});
        assert_eq!(survey_record(&offered).expect("s").get("csat"), None);
    }

    #[test]
    fn talk_states() {
        assert_eq!(
            map_agent_state(&json!({"agent_state": "online", "call_status": "on_call"})),
            "busy"
        );
        assert_eq!(
            map_agent_state(&json!({"agent_state": "online", "call_status": "wrap_up"})),
            "wrap"
        );
        assert_eq!(
            map_agent_state(&json!({"agent_state": "online", "call_status": null})),
            "available"
        );
        assert_eq!(
            map_agent_state(&json!({"agent_state": "transfers_only"})),
            "available"
        );
        assert_eq!(map_agent_state(&json!({"agent_state": "away"})), "break");
        assert_eq!(
            map_agent_state(&json!({"agent_state": "offline"})),
            "offline"
        );
        assert_eq!(map_channel(Some("chat")), "chat");
        assert_eq!(map_channel(Some("web")), "ticket");
        assert_eq!(map_channel(Some("twitter")), "social");
    }

    #[test]
    fn sla_policies_give_the_shortest_target_per_priority() {
        let v: Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/zendesk/sla_policies.json"
        ))
        .expect("fixture");
        let policies = v["sla_policies"].as_array().expect("list");
        let sla = sla_from_policies(policies).expect("targets");
        let t = |first_response_min, resolution_min| {
            Some(SlaTarget {
                first_response_min,
                resolution_min,
            })
        };
        // urgent: 10 (VIP) < 30, resolution 120; high: 20 < 60 (business
        // hours taken as calendar minutes), no resolution; normal → medium:
        // 240 and 2 days; low has only a next-reply target: none.
        assert_eq!(sla.get(Priority::Urgent), t(10, Some(120)));
        assert_eq!(sla.get(Priority::High), t(20, None));
        assert_eq!(sla.get(Priority::Medium), t(240, Some(2880)));
        assert_eq!(sla.get(Priority::Low), None);
        // Seconds round up; zero, negative, absurd and missing targets and
        // unknown priorities are left out; no first reply at all: none.
        let odd = json!([{"policy_metrics": [
            {"priority": "low", "metric": "first_reply_time", "target": 1, "target_in_seconds": 61},
            {"priority": "high", "metric": "first_reply_time", "target": 0},
            {"priority": "high", "metric": "first_reply_time", "target": -5},
            {"priority": "urgent", "metric": "first_reply_time", "target": 99999999},
            {"priority": "normal", "metric": "first_reply_time"},
            {"priority": "critical", "metric": "first_reply_time", "target": 5}]}]);
        let sla = sla_from_policies(odd.as_array().expect("list")).expect("low");
        assert_eq!(sla.get(Priority::Low), t(2, None));
        assert_eq!(
            (
                sla.get(Priority::High),
                sla.get(Priority::Urgent),
                sla.get(Priority::Medium)
            ),
            (None, None, None)
        );
        assert_eq!(sla_from_policies(&[]), None);
        assert_eq!(sla_from_policies(&[json!({"policy_metrics": null})]), None);
    }

    #[test]
    fn an_export_keeps_each_ticket_once_and_gone_means_deleted_at_the_end() {
        let mut e = ExportLines::default();
        e.put("1".into(), Some(json!({"id": "zd-1", "v": 1})));
        e.put("2".into(), None);
        e.put("3".into(), Some(json!({"id": "zd-3"})));
        // 2 restored, 3 deleted, 1 changed again, 4 deleted twice.
        e.put("2".into(), Some(json!({"id": "zd-2"})));
        e.put("3".into(), None);
        e.put("4".into(), None);
        e.put("1".into(), Some(json!({"id": "zd-1", "v": 2})));
        e.put("4".into(), None);
        let (out, gone) = e.finish();
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "{\"id\":\"zd-1\",\"v\":2}\n{\"id\":\"zd-2\"}\n"
        );
        assert_eq!(gone, ["zd-3", "zd-4"]);
    }

    #[test]
    fn rating_slices_cover_the_span_once() {
        assert_eq!(
            rating_slices(1_000, 1_100, 4),
            [
                (1_000, Some(1_025)),
                (1_025, Some(1_050)),
                (1_050, Some(1_075)),
                (1_075, None)
            ]
        );
        // 10 s in 3: cut at 3 and 6 (whole seconds, rounded down).
        assert_eq!(
            rating_slices(0, 10, 3),
            [(0, Some(3)), (3, Some(6)), (6, None)]
        );
        assert_eq!(rating_slices(5, 500, 1), [(5, None)]);
        assert_eq!(rating_slices(5, 500, 0), [(5, None)], "no worker is one");
        // Never more slices than seconds; an empty or reversed span is one.
        assert_eq!(rating_slices(0, 2, 4), [(0, Some(1)), (1, None)]);
        assert_eq!(rating_slices(7, 7, 4), [(7, None)]);
        assert_eq!(rating_slices(9, 7, 4), [(9, None)]);
    }

    #[test]
    fn auth_needs_an_email() {
        let base = Url::parse("https://acme.zendesk.com").expect("url");
        let settings = SourceSettings {
            token: Some(Secret::new("abc123")),
            ..SourceSettings::default()
        };
        assert!(ZendeskPoller::new(ZendeskOptions::new(base.clone()), &settings).is_err());
        let mut o = ZendeskOptions::new(base.clone());
        o.email = Some("lead@acme.com".into());
        assert!(ZendeskPoller::new(o, &settings).is_ok());
        let pair = SourceSettings {
            token: Some(Secret::new("lead@acme.com/token:abc123")),
            ..SourceSettings::default()
        };
        assert!(ZendeskPoller::new(ZendeskOptions::new(base), &pair).is_ok());
    }
}
