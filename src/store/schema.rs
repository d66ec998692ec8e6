//! The SQLite schema migrations (PostgreSQL has its own, `pg::schema`).
//! `PRAGMA user_version` holds the version a file is at;
//! each step runs in one transaction with the version bump, so a crash
//! mid-migration leaves the file at the previous version, never half-way.

use rusqlite::{Connection, Transaction};

/// Version 1: the day's spot-check sample and the scorecards.
pub const V1: &str = "
CREATE TABLE spot_sample (
    day       TEXT    NOT NULL,
    contact   TEXT    NOT NULL,
    agent     TEXT    NOT NULL,
    list      TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    drawn_at  INTEGER NOT NULL,
    PRIMARY KEY (day, contact)
);
CREATE TABLE spot_score (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    day                 TEXT    NOT NULL,
    contact             TEXT    NOT NULL,
    agent               TEXT    NOT NULL,
    dimensions          TEXT    NOT NULL,
    critical_customer   INTEGER NOT NULL,
    critical_business   INTEGER NOT NULL,
    critical_compliance INTEGER NOT NULL,
    root_cause          TEXT,
    comment             TEXT    NOT NULL DEFAULT '',
    author              TEXT    NOT NULL,
    saved_at            INTEGER NOT NULL
);
CREATE INDEX spot_score_day ON spot_score (day, contact);
";

/// Version 2: the scale a score was given on (old rows: 1–5), feedback
/// follow-up events and the lead's KPI notes for the weekly report.
pub const V2: &str = "
ALTER TABLE spot_score ADD COLUMN scale_max INTEGER NOT NULL DEFAULT 5;
CREATE TABLE feedback_event (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    item    TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    author  TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    value   TEXT    NOT NULL
);
CREATE INDEX feedback_event_item ON feedback_event (item, at);
CREATE TABLE kpi_note (
    week     TEXT    NOT NULL,
    kpi      TEXT    NOT NULL,
    cause    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    author   TEXT    NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (week, kpi)
);
";

/// Version 3: the write-back outbox. One row per entry to post to the CRM;
/// `idempotency_key` is derived from the entry, so it is queued once and
/// never twice. `sent_at` stays NULL until the CRM acknowledged it.
pub const V3: &str = "
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT    NOT NULL UNIQUE,
    target          TEXT    NOT NULL,
    ticket          TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
";

/// Version 4: every entry belongs to the source it was entered against
/// (`SourceId`: `file:/path`, `rt:https://host`, …), so one floor's
/// samples, scores, follow-up events and notes never count for another.
/// Rows from before have the empty source: no source claims them (nothing
/// says which floor they were about), `export` still lists them. The
/// sample's and the notes' keys gain the source, which SQLite can only do
/// by copying the table.
pub const V4: &str = "
ALTER TABLE spot_score ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX spot_score_source_day ON spot_score (source, day, contact);
ALTER TABLE feedback_event ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX feedback_event_source_at ON feedback_event (source, at);
CREATE TABLE spot_sample_v4 (
    source    TEXT    NOT NULL,
    day       TEXT    NOT NULL,
    contact   TEXT    NOT NULL,
    agent     TEXT    NOT NULL,
    list      TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    drawn_at  INTEGER NOT NULL,
    PRIMARY KEY (source, day, contact)
);
INSERT INTO spot_sample_v4 (source, day, contact, agent, list, position, drawn_at)
    SELECT '', day, contact, agent, list, position, drawn_at FROM spot_sample;
DROP TABLE spot_sample;
ALTER TABLE spot_sample_v4 RENAME TO spot_sample;
CREATE TABLE kpi_note_v4 (
    source   TEXT    NOT NULL,
    week     TEXT    NOT NULL,
    kpi      TEXT    NOT NULL,
    cause    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    author   TEXT    NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (source, week, kpi)
);
INSERT INTO kpi_note_v4 (source, week, kpi, cause, action, author, saved_at)
    SELECT '', week, kpi, cause, action, author, saved_at FROM kpi_note;
DROP TABLE kpi_note;
ALTER TABLE kpi_note_v4 RENAME TO kpi_note;
";

/// Version 5: alerts (spec section 10), each of the source it was
/// evaluated on (as the entries of v4). `alert` is the log of episodes
/// (one row per fire, `cleared_at` set by its clear; at most one open row
/// per alert id), `alert_ack` the lead's acknowledgements (the first per
/// episode), `alert_outbox` one delivery row per episode change and target,
/// written in the same transaction as the change (`store::alerts`).
pub const V5: &str = "
CREATE TABLE alert (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    source     TEXT    NOT NULL,
    alert_id   TEXT    NOT NULL,
    rule       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    severity   TEXT    NOT NULL,
    since      INTEGER NOT NULL,
    fired_at   INTEGER NOT NULL,
    cleared_at INTEGER,
    message    TEXT    NOT NULL
);
CREATE UNIQUE INDEX alert_open ON alert (source, alert_id) WHERE cleared_at IS NULL;
CREATE INDEX alert_cleared ON alert (source, cleared_at);
CREATE TABLE alert_ack (
    alert INTEGER NOT NULL PRIMARY KEY REFERENCES alert (id),
    who   TEXT    NOT NULL,
    at    INTEGER NOT NULL
);
CREATE TABLE alert_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT    NOT NULL UNIQUE,
    episode         INTEGER NOT NULL REFERENCES alert (id),
    event           TEXT    NOT NULL,
    target          TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX alert_outbox_due ON alert_outbox (sent_at, next_attempt_at);
";

/// Version 6: shared work. Scorecard claims (a lead opening a contact's
/// scorecard holds it until `expires_at`, so another lead is told), who drew
/// a sample row, and who claimed an outbox row's last attempt.
pub const V6: &str = "
CREATE TABLE scorecard_claim (
    source     TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    contact    TEXT    NOT NULL,
    lead       TEXT    NOT NULL,
    claimed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (source, day, contact)
);
ALTER TABLE spot_sample ADD COLUMN drawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
";

/// Version 7: the incoming lead's acknowledgement of a shift's handover
/// (`store::handover`): one per source and shift (the handover's window,
/// nanoseconds), the first one kept.
pub const V7: &str = "
CREATE TABLE handover_ack (
    source     TEXT    NOT NULL,
    shift_from INTEGER NOT NULL,
    shift_to   INTEGER NOT NULL,
    who        TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (source, shift_from, shift_to)
);
";

/// Version 8: imports (`shiftdeck import`, `store::import`). Who imported
/// a scorecard or follow-up event; NULL for one entered in the console.
/// The author stays the scorer the file names.
pub const V8: &str = "
ALTER TABLE spot_score ADD COLUMN imported_by TEXT;
ALTER TABLE feedback_event ADD COLUMN imported_by TEXT;
";

/// The migrations in order: index i takes a file from version i to i + 1.
pub const STEPS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8];

/// The version this build writes.
pub const CURRENT: i64 = STEPS.len() as i64;

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the file to `CURRENT`. A file from a newer build is refused
/// rather than written with a schema this build does not know.
pub fn migrate(conn: &mut Connection) -> Result<i64, super::StoreError> {
    let from = version(conn)?;
    if from > CURRENT {
        return Err(super::StoreError::TooNew {
            found: from,
            known: CURRENT,
        });
    }
    for (i, step) in STEPS.iter().enumerate().skip(from.max(0) as usize) {
        let tx: Transaction = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(from)
}
