//! The PostgreSQL backend, for a team of leads sharing one store.
//!
//! The client is the `postgres` crate (the synchronous face of
//! `tokio-postgres`, both from the rust-postgres project), with TLS by
//! rustls (`tokio-postgres-rustls`, the platform's roots through
//! `rustls-platform-verifier`): no OpenSSL. See docs/store.md for why.
//!
//! The `postgres` client runs its own small tokio runtime and must not be
//! called from inside another one (the console's event loop is one), so the
//! connection lives on a thread of its own ([`Pg::start`]): each operation
//! is sent there as a job and its answer waited for. The thread reconnects
//! when the connection was lost; a server that does not answer gives
//! [`StoreError::Unreachable`] at once (a 3 s connect timeout), never a
//! write kept aside.

pub mod schema;

use std::sync::{Arc, mpsc};
use std::time::Duration;

use chrono::NaiveDate;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row};

use super::alerts::{AlertAck, AlertDelivery, AlertEvent, AlertRecord, body_of, delivery_key};
use super::backend::{Backend, BackendKind, ChangeStamp, Claim};
use super::import::{
    Imported, ImportedEvent, ImportedScore, PG_IMPORT_LOCK, PG_INSERT_EVENT, PG_INSERT_SCORE,
};
use super::outbox::{
    KIND_FEEDBACK_STAGE, KIND_SPOT_CHECK, feedback_key, rt_ticket_of, spot_comment, spot_key,
    stage_comment,
};
use super::spot_checks::{day_key, dimensions_json};
use super::{
    FeedbackChange, FeedbackEvent, KpiNote, NewFeedbackEvent, NewOutboxEntry, OutboxEntry,
    OutboxSummary, PgError, SampleRow, SpotScore, StoreError,
};
use crate::config::{PgUrl, SslMode};
use crate::domain::alerts::AlertObject;
use crate::domain::handover::HandoverAck;
use crate::domain::{SourceId, Ts, Window};

/// A password, kept out of `Debug` and every message.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: &str) -> Secret {
        Secret(s.to_owned())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// How to reach the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgSettings {
    pub url: PgUrl,
    pub password: Option<Secret>,
    /// The schema the tables live in; `None`: the server's search path.
    pub schema: Option<String>,
}

impl PgSettings {
    /// From a URL as `[store] url` takes it (tests and benchmarks read
    /// `SHIFTDECK_PG_URL` this way), no password.
    pub fn from_url(url: &str, schema: Option<&str>) -> Option<PgSettings> {
        Some(PgSettings {
            url: PgUrl::parse(url).ok()?,
            password: None,
            schema: schema.map(str::to_owned),
        })
    }
}

/// What a session does once connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Migrates to the current schema; reads and writes.
    ReadWrite,
    /// Read-only transactions; refuses a schema older or newer than this
    /// build's.
    ReadOnly,
    /// Neither migrates nor checks the version (`store check`, `store migrate`).
    Inspect,
}

/// A failure inside a job: the server's, or one of ours.
enum Failure {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Failure {
    fn from(e: postgres::Error) -> Self {
        Failure::Pg(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// The connection thread's state.
struct Session {
    settings: Arc<PgSettings>,
    mode: Mode,
    client: Option<Client>,
}

impl Session {
    fn place(&self) -> String {
        self.settings.url.place()
    }

    /// The connection, opened (again) when there is none or it was lost.
    fn client(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_some_and(Client::is_closed) {
            self.client = None;
        }
        let client = match self.client.take() {
            Some(c) => c,
            None => connect(&self.settings, self.mode)?,
        };
        Ok(self.client.insert(client))
    }

    /// Says a failure as a store error; a lost connection is dropped so the
    /// next job reconnects.
    fn classify(&mut self, f: Failure) -> StoreError {
        match f {
            Failure::Store(e) => e,
            Failure::Pg(e) => {
                let lost = e.is_closed()
                    || self.client.as_ref().is_some_and(Client::is_closed)
                    || e.code().is_some_and(|c| {
                        let c = c.code();
                        c.starts_with("08") || c.starts_with("57P")
                    })
                    || (e.as_db_error().is_none() && io_cause(&e));
                if lost {
                    self.client = None;
                    StoreError::Unreachable {
                        place: self.place(),
                        detail: error_text(&e),
                    }
                } else {
                    StoreError::Pg(pg_error(&e))
                }
            }
        }
    }
}

/// Whether an error came from the socket.
fn io_cause(e: &postgres::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        if c.is::<std::io::Error>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// The client's words with their cause (`db error: ERROR: …`, `error
/// connecting to server: Connection refused`). The password is never in
/// them: it is sent only inside the authentication exchange.
fn error_text(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    if let Some(db) = e.as_db_error() {
        text = format!("{}: {}", db.severity(), db.message());
    } else if let Some(cause) = std::error::Error::source(e) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text = format!("{text}: {c}");
        }
    }
    text
}

fn pg_error(e: &postgres::Error) -> PgError {
    PgError {
        sqlstate: e.code().map(|c| c.code().to_owned()),
        text: error_text(e),
    }
}

/// Opens a session: TLS per `sslmode` (verified by rustls whenever used),
/// the schema on the search path, then the mode's schema work.
fn connect(settings: &PgSettings, mode: Mode) -> Result<Client, StoreError> {
    let url = &settings.url;
    let unreachable = |e: &postgres::Error| match e.as_db_error() {
        // The server answered and refused (bad password, no such database).
        Some(_) => StoreError::Pg(pg_error(e)),
        None => StoreError::Unreachable {
            place: url.place(),
            detail: error_text(e),
        },
    };
    let mut cfg = postgres::Config::new();
    let user = url
        .user
        .clone()
        .unwrap_or_else(|| crate::config::UserConfig::default().author());
    cfg.host(&url.host)
        .port(url.port)
        .dbname(url.dbname.as_deref().unwrap_or(&user))
        .user(&user)
        .application_name("shiftdeck")
        .connect_timeout(Duration::from_secs(3))
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(30));
    if let Some(p) = &settings.password {
        cfg.password(p.expose());
    }
    cfg.ssl_mode(match url.sslmode {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            postgres::config::SslMode::Require
        }
    });
    let mut client = if url.sslmode == SslMode::Disable {
        cfg.connect(NoTls)
    } else {
        cfg.connect(tls()?)
    }
    .map_err(|e| unreachable(&e))?;
    let mut setup = String::new();
    if let Some(s) = &settings.schema {
        setup.push_str(&format!("SET search_path TO {};", schema::quote_ident(s)));
    }
    if mode == Mode::ReadOnly {
        setup.push_str("SET default_transaction_read_only = on;");
    }
    if !setup.is_empty() {
        client.batch_execute(&setup).map_err(|e| unreachable(&e))?;
    }
    match mode {
        Mode::ReadWrite => {
            schema::migrate(&mut client, settings.schema.as_deref()).map_err(|e| match e {
                schema::MigrateError::Store(e) => e,
                schema::MigrateError::Pg(e) => unreachable(&e),
            })?;
        }
        Mode::ReadOnly => {
            let found = schema::version(&mut client).map_err(|e| unreachable(&e))?;
            if found > schema::CURRENT {
                return Err(StoreError::TooNew {
                    found,
                    known: schema::CURRENT,
                });
            }
            if found < schema::CURRENT {
                return Err(StoreError::NeedsMigrate {
                    found,
                    known: schema::CURRENT,
                });
            }
        }
        Mode::Inspect => {}
    }
    Ok(client)
}

/// rustls with the platform's certificate roots (on Linux the system's CA
/// bundle; `SSL_CERT_FILE` adds a private CA): the server's certificate and
/// name are always verified when TLS is used.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
    use rustls_platform_verifier::ConfigVerifierExt;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = rustls::ClientConfig::with_platform_verifier().map_err(|e| {
        StoreError::Pg(PgError {
            sqlstate: None,
            text: format!("TLS setup: {e}"),
        })
    })?;
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The PostgreSQL backend: a handle on the connection thread.
pub struct Pg {
    jobs: mpsc::Sender<Job>,
    place: String,
}

impl Pg {
    /// Starts the connection thread. It connects on the first job; see
    /// [`Pg::ping`].
    pub fn start(settings: Arc<PgSettings>, mode: Mode) -> Pg {
        let (tx, rx) = mpsc::channel::<Job>();
        let place = settings.url.place();
        let spawned = std::thread::Builder::new()
            .name("shiftdeck-pg".into())
            .spawn(move || {
                let mut session = Session {
                    settings,
                    mode,
                    client: None,
                };
                // Ends when the last handle is dropped.
                while let Ok(job) = rx.recv() {
                    job(&mut session);
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "store: no connection thread");
        }
        Pg { jobs: tx, place }
    }

    /// Runs `f` on the connection thread and waits for its answer.
    fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<R, Failure> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |s: &mut Session| {
            let result = match s.client() {
                Ok(c) => f(c).map_err(|e| s.classify(e)),
                Err(e) => Err(e),
            };
            let _ = tx.send(result);
        });
        let gone = || StoreError::Unreachable {
            place: self.place.clone(),
            detail: "the connection thread ended".into(),
        };
        self.jobs.send(job).map_err(|_| gone())?;
        rx.recv().map_err(|_| gone())?
    }

    /// Runs the insert-if-absent `sql` once per row with the values
    /// `params` gives, all in one transaction that takes turns with any
    /// other import (an advisory lock).
    fn import_rows<R: Clone + Send + 'static>(
        &self,
        sql: &'static str,
        rows: &[R],
        params: impl Fn(&R) -> Result<Vec<Box<dyn ToSql + Sync + Send>>, StoreError> + Send + 'static,
    ) -> Result<Vec<Imported>, StoreError> {
        let rows = rows.to_vec();
        self.call(move |c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PG_IMPORT_LOCK])?;
            let st = tx.prepare(sql)?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let values = params(r)?;
                let refs: Vec<&(dyn ToSql + Sync)> = values
                    .iter()
                    .map(|v| v.as_ref() as &(dyn ToSql + Sync))
                    .collect();
                out.push(Imported::from_changed(tx.execute(&st, &refs)?));
            }
            tx.commit()?;
            Ok(out)
        })
    }

    /// Connects (when not connected) and does a round trip.
    pub fn ping(&self) -> Result<(), StoreError> {
        self.call(|c| {
            c.simple_query("SELECT 1")?;
            Ok(())
        })
    }

    /// Brings the schema to this build's version; (from, to).
    pub fn migrate(&self, schema_name: Option<String>) -> Result<(i64, i64), StoreError> {
        self.call(move |c| match schema::migrate(c, schema_name.as_deref()) {
            Ok(from) => Ok((from, schema::CURRENT)),
            Err(schema::MigrateError::Pg(e)) => Err(Failure::Pg(e)),
            Err(schema::MigrateError::Store(e)) => Err(Failure::Store(e)),
        })
    }
}

fn handover_ack_row(
    c: &mut Client,
    source: &str,
    shift: Window,
) -> Result<Option<HandoverAck>, Failure> {
    c.query_opt(
        "SELECT who, at FROM handover_ack
         WHERE source = $1 AND shift_from = $2 AND shift_to = $3",
        &[&source, &shift.from.nanos(), &shift.to.nanos()],
    )?
    .map(|r| {
        Ok(HandoverAck {
            who: r.try_get(0)?,
            at: Ts::from_nanos(r.try_get(1)?),
        })
    })
    .transpose()
}

fn bad_value(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::Store(StoreError::Pg(PgError {
        sqlstate: None,
        text: format!("{what}: {e}"),
    }))
}

const SCORE_COLUMNS: &str = "id, day, contact, agent, dimensions, critical_customer,
    critical_business, critical_compliance, root_cause, comment, author, saved_at, scale_max";

fn row_to_score(r: &Row) -> Result<SpotScore, Failure> {
    let dims: String = r.try_get(4)?;
    let dimensions: Vec<(String, u8)> =
        serde_json::from_str(&dims).map_err(|e| bad_value("spot_score.dimensions", e))?;
    let day: String = r.try_get(1)?;
    let scale: i32 = r.try_get(12)?;
    Ok(SpotScore {
        id: Some(r.try_get(0)?),
        day: NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| bad_value("spot_score.day", e))?,
        contact: r.try_get(2)?,
        agent: r.try_get(3)?,
        dimensions,
        critical_customer: r.try_get(5)?,
        critical_business: r.try_get(6)?,
        critical_compliance: r.try_get(7)?,
        root_cause: r
            .try_get::<_, Option<String>>(8)?
            .as_deref()
            .and_then(crate::domain::RootCause::from_known),
        comment: r.try_get(9)?,
        author: r.try_get(10)?,
        saved_at: Ts::from_nanos(r.try_get(11)?),
        scale_max: u8::try_from(scale).map_err(|e| bad_value("spot_score.scale_max", e))?,
    })
}

const OUTBOX_COLUMNS: &str = "id, idempotency_key, target, ticket, kind, body, created_at,
    attempts, next_attempt_at, sent_at, last_error, claimed_by";

fn row_to_entry(r: &Row) -> Result<OutboxEntry, Failure> {
    let attempts: i64 = r.try_get(7)?;
    Ok(OutboxEntry {
        id: r.try_get(0)?,
        idempotency_key: r.try_get(1)?,
        target: r.try_get(2)?,
        ticket: r.try_get(3)?,
        kind: r.try_get(4)?,
        body: r.try_get(5)?,
        created_at: Ts::from_nanos(r.try_get(6)?),
        attempts: u32::try_from(attempts.max(0)).unwrap_or(u32::MAX),
        next_attempt_at: Ts::from_nanos(r.try_get(8)?),
        sent_at: r.try_get::<_, Option<i64>>(9)?.map(Ts::from_nanos),
        last_error: r.try_get(10)?,
        claimed_by: r.try_get(11)?,
    })
}

/// The INSERT of a scorecard, in any transaction or session.
fn insert_score(
    c: &mut impl postgres::GenericClient,
    source: &str,
    s: &SpotScore,
) -> Result<i64, Failure> {
    let dims = serde_json::to_string(&s.dimensions).map_err(|e| bad_value("dimensions", e))?;
    let row = c.query_one(
        "INSERT INTO spot_score (day, contact, agent, dimensions, critical_customer,
             critical_business, critical_compliance, root_cause, comment, author, saved_at,
             scale_max, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        &[
            &day_key(s.day),
            &s.contact,
            &s.agent,
            &dims,
            &s.critical_customer,
            &s.critical_business,
            &s.critical_compliance,
            &s.root_cause_word(),
            &s.comment,
            &s.author,
            &s.saved_at.nanos(),
            &i32::from(s.scale_max),
            &source,
        ],
    )?;
    Ok(row.try_get(0)?)
}

fn insert_event(
    c: &mut impl postgres::GenericClient,
    source: &str,
    e: &NewFeedbackEvent,
) -> Result<i64, Failure> {
    let row = c.query_one(
        "INSERT INTO feedback_event (item, at, author, kind, value, source)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            &e.item,
            &e.at.nanos(),
            &e.author,
            &e.change.kind(),
            &e.change.value(),
            &source,
        ],
    )?;
    Ok(row.try_get(0)?)
}

fn insert_outbox(
    c: &mut impl postgres::GenericClient,
    e: &NewOutboxEntry,
) -> Result<bool, Failure> {
    let n = c.execute(
        "INSERT INTO outbox (idempotency_key, target, ticket, kind, body, created_at,
             next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (idempotency_key) DO NOTHING",
        &[
            &e.idempotency_key,
            &e.target,
            &e.ticket,
            &e.kind,
            &e.body,
            &e.created_at.nanos(),
        ],
    )?;
    Ok(n == 1)
}

const ALERT_RECORD: &str = "a.id, a.alert_id, a.rule, a.subject, a.severity, a.since,
    a.fired_at, a.cleared_at, a.message, k.who, k.at";

fn row_to_alert(r: &Row) -> Result<AlertRecord, Failure> {
    let who: Option<String> = r.try_get(9)?;
    let at: Option<i64> = r.try_get(10)?;
    Ok(AlertRecord {
        episode: r.try_get(0)?,
        alert_id: r.try_get(1)?,
        rule: r.try_get(2)?,
        subject: r.try_get(3)?,
        severity: r.try_get(4)?,
        since: Ts::from_nanos(r.try_get(5)?),
        fired_at: Ts::from_nanos(r.try_get(6)?),
        cleared_at: r.try_get::<_, Option<i64>>(7)?.map(Ts::from_nanos),
        message: r.try_get(8)?,
        ack: who.zip(at).map(|(who, at)| AlertAck {
            who,
            at: Ts::from_nanos(at),
        }),
    })
}

const DELIVERY_COLUMNS: &str = "id, idempotency_key, episode, event, target, body, created_at,
    attempts, next_attempt_at, sent_at, last_error";

fn row_to_delivery(r: &Row) -> Result<AlertDelivery, Failure> {
    let event: String = r.try_get(3)?;
    let attempts: i64 = r.try_get(7)?;
    Ok(AlertDelivery {
        id: r.try_get(0)?,
        idempotency_key: r.try_get(1)?,
        episode: r.try_get(2)?,
        event: AlertEvent::from_name(&event)
            .ok_or_else(|| bad_value("alert_outbox.event", format!("unknown {event:?}")))?,
        target: r.try_get(4)?,
        body: r.try_get(5)?,
        created_at: Ts::from_nanos(r.try_get(6)?),
        attempts: u32::try_from(attempts.max(0)).unwrap_or(u32::MAX),
        next_attempt_at: Ts::from_nanos(r.try_get(8)?),
        sent_at: r.try_get::<_, Option<i64>>(9)?.map(Ts::from_nanos),
        last_error: r.try_get(10)?,
    })
}

/// The end of recording a fire or a clear: the episode `row` names gets
/// its deliveries queued in the same transaction, which then commits.
fn queue_episode(
    mut tx: postgres::Transaction<'_>,
    row: &Row,
    event: AlertEvent,
    alert: &AlertObject,
    at: Ts,
    targets: &[String],
) -> Result<Option<i64>, Failure> {
    let episode: i64 = row.try_get(0)?;
    queue_deliveries(&mut tx, episode, event, &body_of(alert), at, targets)?;
    tx.commit()?;
    Ok(Some(episode))
}

/// One delivery row per target for an episode change, in its transaction.
fn queue_deliveries(
    tx: &mut postgres::Transaction<'_>,
    episode: i64,
    event: AlertEvent,
    body: &str,
    at: Ts,
    targets: &[String],
) -> Result<(), Failure> {
    let st = tx.prepare(
        "INSERT INTO alert_outbox (idempotency_key, episode, event, target, body, created_at,
             next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (idempotency_key) DO NOTHING",
    )?;
    for target in targets {
        tx.execute(
            &st,
            &[
                &delivery_key(episode, event, target),
                &episode,
                &event.as_str(),
                target,
                &body,
                &at.nanos(),
            ],
        )?;
    }
    Ok(())
}

impl Backend for Pg {
    fn kind(&self) -> BackendKind {
        BackendKind::Postgres
    }

    fn place(&self) -> String {
        self.place.clone()
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        self.call(|c| Ok(schema::version(c)?))
    }

    fn current_version(&self) -> i64 {
        schema::CURRENT
    }

    /// Every table and column of the current schema is there.
    fn integrity_check(&self) -> Result<String, StoreError> {
        self.call(|c| {
            let mut missing = Vec::new();
            for (table, columns) in schema::TABLES {
                let found: Vec<String> = c
                    .query(
                        "SELECT column_name::text FROM information_schema.columns
                         WHERE table_schema = current_schema() AND table_name = $1",
                        &[table],
                    )?
                    .iter()
                    .map(|r| r.try_get(0))
                    .collect::<Result<_, _>>()?;
                if found.is_empty() {
                    missing.push((*table).to_owned());
                    continue;
                }
                for col in *columns {
                    if !found.iter().any(|f| f == col) {
                        missing.push(format!("{table}.{col}"));
                    }
                }
            }
            Ok(if missing.is_empty() {
                "ok".to_owned()
            } else {
                format!("missing: {}", missing.join(", "))
            })
        })
    }

    fn sample(&self, source: &SourceId, day: NaiveDate) -> Result<Vec<SampleRow>, StoreError> {
        let key = day_key(day);
        let source = source.as_str().to_owned();
        self.call(move |c| {
            c.query(
                "SELECT contact, agent, list FROM spot_sample WHERE source = $1 AND day = $2
                 ORDER BY position, drawn_at, contact COLLATE \"C\"",
                &[&source, &key],
            )?
            .iter()
            .map(|r| {
                Ok(SampleRow {
                    contact: r.try_get(0)?,
                    agent: r.try_get(1)?,
                    list: r.try_get(2)?,
                })
            })
            .collect()
        })
    }

    fn add_to_sample(
        &self,
        source: &SourceId,
        day: NaiveDate,
        rows: &[SampleRow],
        at: Ts,
        by: &str,
    ) -> Result<usize, StoreError> {
        let key = day_key(day);
        let source = source.as_str().to_owned();
        let rows = rows.to_vec();
        let by = by.to_owned();
        self.call(move |c| {
            let mut tx = c.transaction()?;
            // Two consoles listing the same day take turns.
            tx.execute(
                "SELECT pg_advisory_xact_lock(hashtext('spot_sample:' || $1 || ':' || $2))",
                &[&source, &key],
            )?;
            let next: i64 = tx
                .query_one(
                    "SELECT COALESCE(MAX(position) + 1, 0) FROM spot_sample
                     WHERE source = $1 AND day = $2",
                    &[&source, &key],
                )?
                .try_get(0)?;
            let st = tx.prepare(
                "INSERT INTO spot_sample
                     (day, contact, agent, list, position, drawn_at, drawn_by, source)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            )?;
            let mut added = 0usize;
            for r in &rows {
                let position = next + added as i64;
                added += tx.execute(
                    &st,
                    &[
                        &key,
                        &r.contact,
                        &r.agent,
                        &r.list,
                        &position,
                        &at.nanos(),
                        &by,
                        &source,
                    ],
                )? as usize;
            }
            tx.commit()?;
            Ok(added)
        })
    }

    fn save_score(&self, source: &SourceId, s: &SpotScore) -> Result<i64, StoreError> {
        let (source, s) = (source.as_str().to_owned(), s.clone());
        self.call(move |c| insert_score(c, &source, &s))
    }

    fn scores(
        &self,
        source: Option<&SourceId>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(SourceId, SpotScore)>, StoreError> {
        let (from, to) = (day_key(from), day_key(to));
        let source = source.map(|s| s.as_str().to_owned());
        let mut list = self.call(move |c| {
            c.query(
                &format!(
                    "SELECT DISTINCT ON (source, day, contact) {SCORE_COLUMNS}, source
                     FROM spot_score
                     WHERE day BETWEEN $1 AND $2 AND ($3::TEXT IS NULL OR source = $3)
                     ORDER BY source, day, contact, id DESC"
                ),
                &[&from, &to, &source],
            )?
            .iter()
            .map(|r| Ok((SourceId::new(r.try_get::<_, String>(13)?), row_to_score(r)?)))
            .collect::<Result<Vec<_>, Failure>>()
        })?;
        // Byte order, as SQLite sorts, whatever the server's collation.
        list.sort_by(|(sa, a), (sb, b)| {
            (
                sa.as_str().as_bytes(),
                a.day,
                a.agent.as_bytes(),
                a.contact.as_bytes(),
            )
                .cmp(&(
                    sb.as_str().as_bytes(),
                    b.day,
                    b.agent.as_bytes(),
                    b.contact.as_bytes(),
                ))
        });
        Ok(list)
    }

    fn score_by_id(&self, id: i64) -> Result<Option<SpotScore>, StoreError> {
        self.call(move |c| {
            c.query_opt(
                &format!("SELECT {SCORE_COLUMNS} FROM spot_score WHERE id = $1"),
                &[&id],
            )?
            .as_ref()
            .map(row_to_score)
            .transpose()
        })
    }

    fn claim_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
        now: Ts,
        until: Ts,
    ) -> Result<Claim, StoreError> {
        let (key, contact, lead) = (day_key(day), contact.to_owned(), lead.to_owned());
        let source = source.as_str().to_owned();
        self.call(move |c| {
            let mut tx = c.transaction()?;
            // Atomic: of two leads claiming at once, one inserts and the
            // other's update finds the first's claim and is refused.
            let n = tx.execute(
                "INSERT INTO scorecard_claim (day, contact, lead, claimed_at, expires_at, source)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (source, day, contact) DO UPDATE SET lead = EXCLUDED.lead,
                     claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
                 WHERE scorecard_claim.lead = EXCLUDED.lead
                    OR scorecard_claim.expires_at <= EXCLUDED.claimed_at",
                &[&key, &contact, &lead, &now.nanos(), &until.nanos(), &source],
            )?;
            let claim = if n == 1 {
                Claim::Mine { until }
            } else {
                let r = tx.query_one(
                    "SELECT lead, expires_at FROM scorecard_claim
                     WHERE day = $1 AND contact = $2 AND source = $3",
                    &[&key, &contact, &source],
                )?;
                Claim::Taken {
                    by: r.try_get(0)?,
                    until: Ts::from_nanos(r.try_get(1)?),
                }
            };
            tx.commit()?;
            Ok(claim)
        })
    }

    fn release_scorecard(
        &self,
        source: &SourceId,
        day: NaiveDate,
        contact: &str,
        lead: &str,
    ) -> Result<(), StoreError> {
        let (key, contact, lead) = (day_key(day), contact.to_owned(), lead.to_owned());
        let source = source.as_str().to_owned();
        self.call(move |c| {
            c.execute(
                "DELETE FROM scorecard_claim
                 WHERE day = $1 AND contact = $2 AND lead = $3 AND source = $4",
                &[&key, &contact, &lead, &source],
            )?;
            Ok(())
        })
    }

    fn add_feedback_event(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<i64, StoreError> {
        let (source, e) = (source.as_str().to_owned(), e.clone());
        self.call(move |c| insert_event(c, &source, &e))
    }

    fn feedback_events(
        &self,
        source: Option<&SourceId>,
        from: Ts,
        to: Ts,
    ) -> Result<Vec<FeedbackEvent>, StoreError> {
        let source = source.map(|s| s.as_str().to_owned());
        self.call(move |c| {
            let rows = c.query(
                "SELECT id, item, at, author, kind, value, source FROM feedback_event
                 WHERE at >= $1 AND at < $2 AND ($3::TEXT IS NULL OR source = $3)
                 ORDER BY at, id",
                &[&from.nanos(), &to.nanos(), &source],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let kind: String = r.try_get(4)?;
                if let Some(change) = FeedbackChange::from_parts(&kind, r.try_get(5)?) {
                    out.push(FeedbackEvent {
                        id: r.try_get(0)?,
                        item: r.try_get(1)?,
                        at: Ts::from_nanos(r.try_get(2)?),
                        author: r.try_get(3)?,
                        change,
                        source: SourceId::new(r.try_get::<_, String>(6)?),
                    });
                }
            }
            Ok(out)
        })
    }

    fn save_kpi_note(&self, source: &SourceId, n: &KpiNote) -> Result<(), StoreError> {
        let (source, n) = (source.as_str().to_owned(), n.clone());
        self.call(move |c| {
            c.execute(
                "INSERT INTO kpi_note (week, kpi, cause, action, author, saved_at, source)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (source, week, kpi) DO UPDATE SET cause = EXCLUDED.cause,
                     action = EXCLUDED.action, author = EXCLUDED.author,
                     saved_at = EXCLUDED.saved_at",
                &[
                    &n.week,
                    &n.kpi,
                    &n.cause,
                    &n.action,
                    &n.author,
                    &n.saved_at.nanos(),
                    &source,
                ],
            )?;
            Ok(())
        })
    }

    fn kpi_notes(&self, source: &SourceId, week: &str) -> Result<Vec<KpiNote>, StoreError> {
        let (source, week) = (source.as_str().to_owned(), week.to_owned());
        self.call(move |c| {
            c.query(
                "SELECT week, kpi, cause, action, author, saved_at FROM kpi_note
                 WHERE source = $1 AND week = $2 ORDER BY kpi COLLATE \"C\"",
                &[&source, &week],
            )?
            .iter()
            .map(|r| {
                Ok(KpiNote {
                    week: r.try_get(0)?,
                    kpi: r.try_get(1)?,
                    cause: r.try_get(2)?,
                    action: r.try_get(3)?,
                    author: r.try_get(4)?,
                    saved_at: Ts::from_nanos(r.try_get(5)?),
                })
            })
            .collect()
        })
    }

    fn enqueue_outbox(&self, e: &NewOutboxEntry) -> Result<bool, StoreError> {
        let e = e.clone();
        self.call(move |c| insert_outbox(c, &e))
    }

    fn due_outbox(&self, now: Ts, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        let limit = limit.min(i64::MAX as usize) as i64;
        self.call(move |c| {
            c.query(
                &format!(
                    "SELECT {OUTBOX_COLUMNS} FROM outbox
                     WHERE sent_at IS NULL AND next_attempt_at <= $1
                     ORDER BY next_attempt_at, id LIMIT $2"
                ),
                &[&now.nanos(), &limit],
            )?
            .iter()
            .map(row_to_entry)
            .collect()
        })
    }

    fn outbox_summary(&self) -> Result<OutboxSummary, StoreError> {
        self.call(|c| {
            let r = c.query_one(
                "SELECT COUNT(*), COUNT(last_error), MIN(created_at)
                 FROM outbox WHERE sent_at IS NULL",
                &[],
            )?;
            let (unsent, failing, oldest): (i64, i64, Option<i64>) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let last_error: Option<String> = if failing > 0 {
                c.query_opt(
                    "SELECT last_error FROM outbox
                     WHERE sent_at IS NULL AND last_error IS NOT NULL
                     ORDER BY attempts DESC, id DESC LIMIT 1",
                    &[],
                )?
                .map(|r| r.try_get(0))
                .transpose()?
            } else {
                None
            };
            Ok(OutboxSummary {
                unsent: unsent.max(0) as u64,
                failing: failing.max(0) as u64,
                oldest_unsent: oldest.map(Ts::from_nanos),
                last_error,
            })
        })
    }

    fn outbox_by_key(&self, key: &str) -> Result<Option<OutboxEntry>, StoreError> {
        let key = key.to_owned();
        self.call(move |c| {
            c.query_opt(
                &format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE idempotency_key = $1"),
                &[&key],
            )?
            .as_ref()
            .map(row_to_entry)
            .transpose()
        })
    }

    fn all_outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        self.call(|c| {
            c.query(
                &format!("SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id"),
                &[],
            )?
            .iter()
            .map(row_to_entry)
            .collect()
        })
    }

    fn mark_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        self.call(move |c| {
            c.execute(
                "UPDATE outbox SET sent_at = $2, last_error = NULL
                 WHERE id = $1 AND sent_at IS NULL",
                &[&id, &at.nanos()],
            )?;
            Ok(())
        })
    }

    fn begin_attempt(
        &self,
        id: i64,
        seen: u32,
        retry_at: Ts,
        by: &str,
    ) -> Result<bool, StoreError> {
        let by = by.to_owned();
        self.call(move |c| {
            // Under READ COMMITTED a second UPDATE waits for the first and
            // re-checks `attempts` on the row it committed: one wins.
            let n = c.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, claimed_by = $4
                 WHERE id = $1 AND sent_at IS NULL AND attempts = $3",
                &[&id, &retry_at.nanos(), &i64::from(seen), &by],
            )?;
            Ok(n == 1)
        })
    }

    fn mark_failed(&self, id: i64, error: &str, next_attempt_at: Ts) -> Result<(), StoreError> {
        let error = error.to_owned();
        self.call(move |c| {
            c.execute(
                "UPDATE outbox SET attempts = GREATEST(attempts, 1), last_error = $2,
                     next_attempt_at = $3
                 WHERE id = $1 AND sent_at IS NULL",
                &[&id, &error, &next_attempt_at.nanos()],
            )?;
            Ok(())
        })
    }

    fn save_score_with_outbox(
        &self,
        source: &SourceId,
        s: &SpotScore,
    ) -> Result<(i64, bool), StoreError> {
        let (source, s) = (source.as_str().to_owned(), s.clone());
        self.call(move |c| {
            let mut tx = c.transaction()?;
            let id = insert_score(&mut tx, &source, &s)?;
            let queued = match rt_ticket_of(&s.contact) {
                Some(ticket) => insert_outbox(
                    &mut tx,
                    &NewOutboxEntry {
                        idempotency_key: spot_key(&s.contact, id),
                        target: "rt".into(),
                        ticket: ticket.to_string(),
                        kind: KIND_SPOT_CHECK.into(),
                        body: spot_comment(&s),
                        created_at: s.saved_at,
                    },
                )?,
                None => false,
            };
            tx.commit()?;
            Ok((id, queued))
        })
    }

    fn add_feedback_event_with_outbox(
        &self,
        source: &SourceId,
        e: &NewFeedbackEvent,
    ) -> Result<(i64, bool), StoreError> {
        let (source, e) = (source.as_str().to_owned(), e.clone());
        self.call(move |c| {
            let mut tx = c.transaction()?;
            let id = insert_event(&mut tx, &source, &e)?;
            let queued = match (&e.change, rt_ticket_of(&e.item)) {
                (FeedbackChange::Stage(stage), Some(ticket)) => insert_outbox(
                    &mut tx,
                    &NewOutboxEntry {
                        idempotency_key: feedback_key(&e.item, id),
                        target: "rt".into(),
                        ticket: ticket.to_string(),
                        kind: KIND_FEEDBACK_STAGE.into(),
                        body: stage_comment(&e, stage),
                        created_at: e.at,
                    },
                )?,
                _ => false,
            };
            tx.commit()?;
            Ok((id, queued))
        })
    }

    fn record_alert_fired(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        let (source, alert, targets) =
            (source.as_str().to_owned(), alert.clone(), targets.to_vec());
        self.call(move |c| {
            let mut tx = c.transaction()?;
            // Of two consoles seeing the rule turn true, the partial unique
            // index lets one open the episode; the other writes nothing.
            let Some(row) = tx.query_opt(
                "INSERT INTO alert (source, alert_id, rule, subject, severity, since, fired_at,
                     message)
                 VALUES ($8, $1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (source, alert_id) WHERE cleared_at IS NULL DO NOTHING
                 RETURNING id",
                &[
                    &alert.id,
                    &alert.rule.name(),
                    &alert.subject,
                    &alert.severity.as_str(),
                    &alert.since.nanos(),
                    &at.nanos(),
                    &alert.message,
                    &source,
                ],
            )?
            else {
                return Ok(None);
            };
            queue_episode(tx, &row, AlertEvent::Fired, &alert, at, &targets)
        })
    }

    fn record_alert_cleared(
        &self,
        source: &SourceId,
        alert: &AlertObject,
        at: Ts,
        targets: &[String],
    ) -> Result<Option<i64>, StoreError> {
        let (source, alert, targets) =
            (source.as_str().to_owned(), alert.clone(), targets.to_vec());
        self.call(move |c| {
            let mut tx = c.transaction()?;
            let Some(row) = tx.query_opt(
                "UPDATE alert SET cleared_at = $2
                 WHERE source = $3 AND alert_id = $1 AND cleared_at IS NULL
                 RETURNING id",
                &[&alert.id, &at.nanos(), &source],
            )?
            else {
                return Ok(None);
            };
            queue_episode(tx, &row, AlertEvent::Cleared, &alert, at, &targets)
        })
    }

    fn open_alerts(&self, source: &SourceId) -> Result<Vec<AlertRecord>, StoreError> {
        let source = source.as_str().to_owned();
        self.call(move |c| {
            c.query(
                &format!(
                    "SELECT {ALERT_RECORD} FROM alert a LEFT JOIN alert_ack k ON k.alert = a.id
                     WHERE a.source = $1 AND a.cleared_at IS NULL ORDER BY a.fired_at, a.id"
                ),
                &[&source],
            )?
            .iter()
            .map(row_to_alert)
            .collect()
        })
    }

    fn recent_alerts(
        &self,
        source: &SourceId,
        since: Ts,
        limit: usize,
    ) -> Result<Vec<AlertRecord>, StoreError> {
        let source = source.as_str().to_owned();
        let limit = limit.min(i64::MAX as usize) as i64;
        self.call(move |c| {
            c.query(
                &format!(
                    "SELECT {ALERT_RECORD} FROM alert a LEFT JOIN alert_ack k ON k.alert = a.id
                     WHERE a.source = $3 AND (a.cleared_at IS NULL OR a.cleared_at >= $1)
                     ORDER BY a.fired_at DESC, a.id DESC LIMIT $2"
                ),
                &[&since.nanos(), &limit, &source],
            )?
            .iter()
            .map(row_to_alert)
            .collect()
        })
    }

    fn ack_alert(&self, episode: i64, who: &str, at: Ts) -> Result<Option<AlertAck>, StoreError> {
        let who = who.to_owned();
        self.call(move |c| {
            let n = c.execute(
                "INSERT INTO alert_ack (alert, who, at) VALUES ($1, $2, $3)
                 ON CONFLICT (alert) DO NOTHING",
                &[&episode, &who, &at.nanos()],
            )?;
            if n == 1 {
                return Ok(None);
            }
            c.query_opt(
                "SELECT who, at FROM alert_ack WHERE alert = $1",
                &[&episode],
            )?
            .map(|r| {
                Ok(AlertAck {
                    who: r.try_get(0)?,
                    at: Ts::from_nanos(r.try_get(1)?),
                })
            })
            .transpose()
        })
    }

    fn due_alert_deliveries(
        &self,
        now: Ts,
        limit: usize,
    ) -> Result<Vec<AlertDelivery>, StoreError> {
        let limit = limit.min(i64::MAX as usize) as i64;
        self.call(move |c| {
            c.query(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM alert_outbox
                     WHERE sent_at IS NULL AND next_attempt_at <= $1
                     ORDER BY next_attempt_at, id LIMIT $2"
                ),
                &[&now.nanos(), &limit],
            )?
            .iter()
            .map(row_to_delivery)
            .collect()
        })
    }

    fn all_alert_deliveries(&self) -> Result<Vec<AlertDelivery>, StoreError> {
        self.call(|c| {
            c.query(
                &format!("SELECT {DELIVERY_COLUMNS} FROM alert_outbox ORDER BY id"),
                &[],
            )?
            .iter()
            .map(row_to_delivery)
            .collect()
        })
    }

    fn claim_alert_delivery(&self, id: i64, seen: u32, retry_at: Ts) -> Result<bool, StoreError> {
        self.call(move |c| {
            let n = c.execute(
                "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = $2
                 WHERE id = $1 AND sent_at IS NULL AND attempts = $3",
                &[&id, &retry_at.nanos(), &i64::from(seen)],
            )?;
            Ok(n == 1)
        })
    }

    fn alert_delivery_sent(&self, id: i64, at: Ts) -> Result<(), StoreError> {
        self.call(move |c| {
            c.execute(
                "UPDATE alert_outbox SET sent_at = $2, last_error = NULL
                 WHERE id = $1 AND sent_at IS NULL",
                &[&id, &at.nanos()],
            )?;
            Ok(())
        })
    }

    fn alert_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Ts,
    ) -> Result<(), StoreError> {
        let error = error.to_owned();
        self.call(move |c| {
            c.execute(
                "UPDATE alert_outbox SET attempts = GREATEST(attempts, 1), last_error = $2,
                     next_attempt_at = $3
                 WHERE id = $1 AND sent_at IS NULL",
                &[&id, &error, &next_attempt_at.nanos()],
            )?;
            Ok(())
        })
    }

    fn import_scores(&self, rows: &[ImportedScore], by: &str) -> Result<Vec<Imported>, StoreError> {
        let by = by.to_owned();
        self.import_rows(PG_INSERT_SCORE, rows, move |r| {
            let s = &r.score;
            Ok(vec![
                Box::new(day_key(s.day)),
                Box::new(s.contact.clone()),
                Box::new(s.agent.clone()),
                Box::new(dimensions_json(s)?),
                Box::new(s.critical_customer),
                Box::new(s.critical_business),
                Box::new(s.critical_compliance),
                Box::new(s.root_cause_word()),
                Box::new(s.comment.clone()),
                Box::new(s.author.clone()),
                Box::new(s.saved_at.nanos()),
                Box::new(i32::from(s.scale_max)),
                Box::new(r.source.as_str().to_owned()),
                Box::new(by.clone()),
                Box::new(r.saved_at_given),
            ])
        })
    }

    fn import_feedback(
        &self,
        rows: &[ImportedEvent],
        by: &str,
    ) -> Result<Vec<Imported>, StoreError> {
        let by = by.to_owned();
        self.import_rows(PG_INSERT_EVENT, rows, move |r| {
            let e = &r.event;
            Ok(vec![
                Box::new(e.item.clone()),
                Box::new(e.at.nanos()),
                Box::new(e.author.clone()),
                Box::new(e.change.kind()),
                Box::new(e.change.value().to_owned()),
                Box::new(r.source.as_str().to_owned()),
                Box::new(by.clone()),
            ])
        })
    }

    fn score_imported_by(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.call(move |c| {
            Ok(
                c.query_opt("SELECT imported_by FROM spot_score WHERE id = $1", &[&id])?
                    .map(|r| r.try_get::<_, Option<String>>(0))
                    .transpose()?
                    .flatten(),
            )
        })
    }

    fn ack_handover(
        &self,
        source: &SourceId,
        shift: Window,
        who: &str,
        at: Ts,
    ) -> Result<Option<HandoverAck>, StoreError> {
        let (source, who) = (source.as_str().to_owned(), who.to_owned());
        self.call(move |c| {
            let n = c.execute(
                "INSERT INTO handover_ack (source, shift_from, shift_to, who, at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (source, shift_from, shift_to) DO NOTHING",
                &[
                    &source,
                    &shift.from.nanos(),
                    &shift.to.nanos(),
                    &who,
                    &at.nanos(),
                ],
            )?;
            if n == 1 {
                return Ok(None);
            }
            handover_ack_row(c, &source, shift)
        })
    }

    fn handover_ack(
        &self,
        source: &SourceId,
        shift: Window,
    ) -> Result<Option<HandoverAck>, StoreError> {
        let source = source.as_str().to_owned();
        self.call(move |c| handover_ack_row(c, &source, shift))
    }

    fn change_stamp(&self) -> Result<ChangeStamp, StoreError> {
        self.call(|c| {
            let r = c.query_one(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM spot_score),
                        (SELECT COUNT(*) FROM spot_score),
                        (SELECT COALESCE(MAX(id), 0) FROM feedback_event),
                        (SELECT COUNT(*) FROM feedback_event),
                        (SELECT COALESCE(MAX(saved_at), 0) FROM kpi_note),
                        (SELECT COUNT(*) FROM kpi_note),
                        (SELECT COALESCE(MAX(id), 0) FROM outbox),
                        (SELECT COUNT(sent_at) FROM outbox),
                        (SELECT COALESCE(SUM(attempts), 0)::BIGINT FROM outbox),
                        (SELECT COALESCE(MAX(id), 0) FROM alert),
                        (SELECT COUNT(cleared_at) FROM alert),
                        (SELECT COUNT(*) FROM alert_ack),
                        (SELECT COUNT(*) FROM handover_ack)",
                &[],
            )?;
            Ok(ChangeStamp {
                scores: (r.try_get(0)?, r.try_get(1)?),
                feedback: (r.try_get(2)?, r.try_get(3)?),
                notes: (r.try_get(4)?, r.try_get(5)?),
                outbox: (r.try_get(6)?, r.try_get(7)?, r.try_get(8)?),
                alerts: (r.try_get(9)?, r.try_get(10)?, r.try_get(11)?),
                handovers: r.try_get(12)?,
            })
        })
    }
}
