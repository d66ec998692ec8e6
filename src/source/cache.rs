//! Warm start for the CRM sources (RT, Zendesk): the floor a connector built
//! and where its polling stands, kept in one file in the data dir, so that a
//! restart shows the last floor at once and then polls only what changed.
//!
//! The file (`<data dir>/crm-cache/<kind>-<16 hex>.cache`, mode 0600):
//!
//! ```text
//! {"magic":"shiftdeck-crm-cache","version":1,"source":"rt:https://rt.example.com",
//!  "options":"queues=Support;days=14;sl_seconds=7200","saved_at":"…",
//!  "body_bytes":N,"sha256":"…"}\n          ← the header, one JSON line
//! {"state":{…},"sla":…}\n                 ← the body: the connector's resume state,
//! {"type":"queue",…}\n                     ← then the floor's records (NDJSON),
//! {"type":"contact",…}\n                     one per key, the latest
//! ```
//!
//! `body_bytes` and `sha256` cover everything after the header line. The
//! file is written to a temporary file in the same folder, synced, and
//! renamed over the old one (then the folder is synced), so a reader sees
//! the old file or the new one, never half of one.
//!
//! A cache is never trusted: one that is not a cache, of an older or newer
//! format, of another source or other options (queues, days, mapping), older
//! than [`MAX_AGE`], truncated, longer than its header says, with a wrong
//! checksum, or whose state the connector cannot read, is ignored (the log
//! says why) and the full state is loaded from the CRM, which writes a new
//! one. No token is in the file: the state holds ids, times, cursors and
//! ETags, and the records are what the floor shows.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Ts;
use crate::domain::settings::{SlaTarget, SourceSla};
use crate::domain::time::parse_rfc3339;

/// The cache format written by this version. A file of any other version
/// is ignored and rebuilt.
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &str = "shiftdeck-crm-cache";
/// A bigger file is not read (10 000 RT tickets make about 6 MB).
pub const MAX_CACHE_BYTES: u64 = 512 << 20;
/// An older cache is not used: a CRM's cursors and transaction ids may no
/// longer lead anywhere useful, and a full load is cheaper than the catch-up.
pub const MAX_AGE: Duration = Duration::from_secs(7 * 86_400);
/// Without changes the file is rewritten this often (queue figures, age).
pub const QUIET_REWRITE: Duration = Duration::from_secs(300);
/// `agent_state` events older than this (before the newest write) are dropped.
const AGENT_STATE_KEEP_S: i64 = 48 * 3600;

/// What a cache file belongs to: the source (kind and base URL, as the
/// store keys it) and the connector's options that shape the floor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheKey {
    pub source: String,
    pub options: String,
}

impl CacheKey {
    /// `<kind>-<16 hex of SHA-256(source, options)>.cache`.
    pub fn file_name(&self) -> String {
        let kind: String = self
            .source
            .split(':')
            .next()
            .unwrap_or("crm")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let digest = sha256_hex(format!("{}\n{}", self.source, self.options).as_bytes());
        format!("{kind}-{}.cache", &digest[..16])
    }
}

/// Why a cache file was not used. Logged; the full state is loaded instead.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Rejected {
    #[error("cannot be read: {0}")]
    Unreadable(String),
    #[error("is {0} bytes, more than the {MAX_CACHE_BYTES} read")]
    TooLarge(u64),
    #[error("is not a shiftdeck CRM cache (no header)")]
    NotACache,
    #[error("is of format {found}, older than this version's {FORMAT_VERSION}")]
    OlderVersion { found: u64 },
    #[error("is of format {found}, newer than this version's {FORMAT_VERSION}")]
    NewerVersion { found: u64 },
    #[error("has a damaged header: {0}")]
    BadHeader(String),
    #[error("belongs to another source ({found})")]
    OtherSource { found: String },
    #[error("was written with other options ({found})")]
    OtherOptions { found: String },
    #[error("is {age_h} h old, older than the {} h kept", MAX_AGE.as_secs() / 3600)]
    TooOld { age_h: u64 },
    #[error("is truncated: {got} of {expected} body bytes")]
    Truncated { expected: u64, got: u64 },
    #[error("is longer than its header says: {got} body bytes, {expected} expected")]
    Overlong { expected: u64, got: u64 },
    #[error("has a wrong checksum")]
    Checksum,
    #[error("has a body that cannot be read: {0}")]
    BadBody(String),
}

/// A cache that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct Warm {
    pub saved_at: Ts,
    /// The connector's resume state.
    pub state: Value,
    /// The source's own SLA targets with the floor (a Zendesk account's).
    pub sla: Option<SourceSla>,
    /// The floor's records, NDJSON.
    pub records: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    magic: String,
    version: u32,
    source: String,
    options: String,
    saved_at: String,
    body_bytes: u64,
    sha256: String,
}

/// One priority's SLA target in the file: (first response, resolution) minutes.
type SlaCell = Option<(u32, Option<u32>)>;

#[derive(Serialize, Deserialize)]
struct BodyHead {
    state: Value,
    /// Per priority in `Priority::KNOWN` order: (first response, resolution) minutes.
    sla: Option<[SlaCell; 4]>,
}

fn sla_out(s: &SourceSla) -> [SlaCell; 4] {
    s.0.map(|t| t.map(|t| (t.first_response_min, t.resolution_min)))
}

fn sla_in(a: [SlaCell; 4]) -> SourceSla {
    SourceSla(a.map(|t| {
        t.map(|(first_response_min, resolution_min)| SlaTarget {
            first_response_min,
            resolution_min,
        })
    }))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, bytes);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// One source's cache file.
#[derive(Clone, Debug)]
pub struct CrmCache {
    path: PathBuf,
    key: CacheKey,
}

impl CrmCache {
    /// The cache of `key` in `data_dir/crm-cache/`.
    pub fn in_data_dir(data_dir: &Path, key: CacheKey) -> CrmCache {
        CrmCache {
            path: data_dir.join("crm-cache").join(key.file_name()),
            key,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn key(&self) -> &CacheKey {
        &self.key
    }

    /// The cache, checked: `Ok(None)` when there is none.
    pub fn load(&self, now: Ts) -> Result<Option<Warm>, Rejected> {
        use std::io::Read;
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Rejected::Unreadable(e.kind().to_string())),
        };
        let len = file
            .metadata()
            .map_err(|e| Rejected::Unreadable(e.kind().to_string()))?
            .len();
        if len > MAX_CACHE_BYTES {
            return Err(Rejected::TooLarge(len));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        file.take(MAX_CACHE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Rejected::Unreadable(e.kind().to_string()))?;
        self.check(&bytes, now).map(Some)
    }

    /// Every check of the module docs, on the file's bytes.
    pub fn check(&self, bytes: &[u8], now: Ts) -> Result<Warm, Rejected> {
        let nl = memchr::memchr(b'\n', bytes).ok_or(Rejected::NotACache)?;
        let (head, body) = (&bytes[..nl], &bytes[nl + 1..]);
        let v: Value = serde_json::from_slice(head).map_err(|_| Rejected::NotACache)?;
        if v.get("magic").and_then(Value::as_str) != Some(MAGIC) {
            return Err(Rejected::NotACache);
        }
        match v.get("version").and_then(Value::as_u64) {
            Some(n) if n == u64::from(FORMAT_VERSION) => {}
            Some(n) if n < u64::from(FORMAT_VERSION) => {
                return Err(Rejected::OlderVersion { found: n });
            }
            Some(n) => return Err(Rejected::NewerVersion { found: n }),
            None => return Err(Rejected::BadHeader("no version".into())),
        }
        let h: Header =
            serde_json::from_value(v).map_err(|e| Rejected::BadHeader(e.to_string()))?;
        if h.source != self.key.source {
            return Err(Rejected::OtherSource { found: h.source });
        }
        if h.options != self.key.options {
            return Err(Rejected::OtherOptions { found: h.options });
        }
        let saved_at =
            parse_rfc3339(&h.saved_at).map_err(|e| Rejected::BadHeader(e.to_string()))?;
        let age = now.secs_since(saved_at);
        if age > MAX_AGE.as_secs_f64() {
            return Err(Rejected::TooOld {
                age_h: (age / 3600.0) as u64,
            });
        }
        let got = body.len() as u64;
        if got < h.body_bytes {
            return Err(Rejected::Truncated {
                expected: h.body_bytes,
                got,
            });
        }
        if got > h.body_bytes {
            return Err(Rejected::Overlong {
                expected: h.body_bytes,
                got,
            });
        }
        if sha256_hex(body) != h.sha256 {
            return Err(Rejected::Checksum);
        }
        let nl =
            memchr::memchr(b'\n', body).ok_or_else(|| Rejected::BadBody("no state line".into()))?;
        let bh: BodyHead =
            serde_json::from_slice(&body[..nl]).map_err(|e| Rejected::BadBody(e.to_string()))?;
        Ok(Warm {
            saved_at,
            state: bh.state,
            sla: bh.sla.map(sla_in),
            records: body[nl + 1..].to_vec(),
        })
    }

    /// The file's bytes for this state and these records.
    pub fn encode(
        &self,
        saved_at: Ts,
        state: &Value,
        sla: Option<&SourceSla>,
        records: &[u8],
    ) -> Vec<u8> {
        let head = BodyHead {
            state: state.clone(),
            sla: sla.map(sla_out),
        };
        let mut body = serde_json::to_vec(&head).unwrap_or_else(|_| b"{}".to_vec());
        body.push(b'\n');
        body.extend_from_slice(records);
        let header = Header {
            magic: MAGIC.into(),
            version: FORMAT_VERSION,
            source: self.key.source.clone(),
            options: self.key.options.clone(),
            saved_at: saved_at.to_rfc3339(),
            body_bytes: body.len() as u64,
            sha256: sha256_hex(&body),
        };
        let mut out = serde_json::to_vec(&header).unwrap_or_default();
        out.push(b'\n');
        out.extend_from_slice(&body);
        out
    }

    /// Writes the file whole: a temporary file in the same folder, synced,
    /// renamed over the old one, the folder synced. Mode 0600, folder 0700.
    pub fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let tmp = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let result = (|| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)?;
            std::fs::File::open(dir)?.sync_all()
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

/// The floor a connector built, one line per record key (the latest line
/// wins, as the floor applies them): what the cache keeps instead of every
/// batch ever sent.
#[derive(Clone, Debug, Default)]
pub struct RecordBook {
    lines: BTreeMap<(u8, String), Box<[u8]>>,
    /// Lines without a key of their own, in order.
    seq: u64,
}

#[derive(Deserialize)]
struct Head {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    queue: Option<String>,
    agent: Option<String>,
    at: Option<String>,
}

/// Queue figures change on every poll and are not worth a write alone.
const RANK_QUEUE_STATS: u8 = 5;

impl RecordBook {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Applies a batch (a reset clears the book first). True when a record
    /// other than queue figures changed.
    pub fn apply(&mut self, reset: bool, bytes: &[u8]) -> bool {
        let mut changed = reset;
        if reset {
            self.lines.clear();
        }
        for line in bytes.split(|b| *b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let key = self.key_of(line);
            let stats = key.0 == RANK_QUEUE_STATS;
            let old = self.lines.insert(key, line.into());
            if !stats && old.as_deref() != Some(line) {
                changed = true;
            }
        }
        changed
    }

    fn key_of(&mut self, line: &[u8]) -> (u8, String) {
        let head: Option<Head> = serde_json::from_slice(line).ok();
        let keyed = head.and_then(|h| {
            Some(match h.kind.as_str() {
                "queue" => (0, h.id?),
                "agent" => (1, h.id?),
                "contact" => (2, h.id?),
                "survey" => (3, h.id?),
                "feedback" => (4, h.id?),
                "agent_state" => (6, format!("{}\u{0}{}", h.agent?, h.at.unwrap_or_default())),
                "queue_stats" => (RANK_QUEUE_STATS, h.queue?),
                _ => return None,
            })
        });
        keyed.unwrap_or_else(|| {
            self.seq += 1;
            (7, format!("{:020}", self.seq))
        })
    }

    /// Drops the contacts `ids` (deleted in the CRM). True when the book
    /// held one of them.
    pub fn forget_contacts(&mut self, ids: &[String]) -> bool {
        let mut changed = false;
        for id in ids {
            changed |= self.lines.remove(&(2, id.clone())).is_some();
        }
        changed
    }

    /// Drops `agent_state` events older than two days before `now`.
    pub fn prune(&mut self, now: Ts) {
        let cut = now.add_secs(-AGENT_STATE_KEEP_S);
        self.lines.retain(|(rank, key), _| {
            *rank != 6
                || key
                    .split_once('\u{0}')
                    .and_then(|(_, at)| parse_rfc3339(at).ok())
                    .is_none_or(|at| at >= cut)
        });
    }

    /// The records as NDJSON: queues, agents, contacts, surveys, feedback,
    /// queue figures, agent states (by agent, then time).
    pub fn ndjson(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.values().map(|l| l.len() + 1).sum());
        for line in self.lines.values() {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> CacheKey {
        CacheKey {
            source: "rt:http://127.0.0.1:8080".into(),
            options: "queues=Support;days=14;sl_seconds=7200".into(),
        }
    }

    fn ts(s: &str) -> Ts {
        parse_rfc3339(s).expect("ts")
    }

    #[test]
    fn a_round_trip_keeps_state_sla_and_records() {
        let dir = tempfile::tempdir().expect("dir");
        let c = CrmCache::in_data_dir(dir.path(), key());
        let mut sla = SourceSla::default();
        sla.set(
            crate::domain::Priority::High,
            SlaTarget {
                first_response_min: 20,
                resolution_min: Some(240),
            },
        );
        let at = ts("2026-12-04T10:00:00Z");
        let state = serde_json::json!({"last_txn": 42});
        let records = b"{\"type\":\"queue\",\"id\":\"Support\"}\n".to_vec();
        c.write(&c.encode(at, &state, Some(&sla), &records))
            .expect("write");
        let w = c
            .load(ts("2026-12-04T10:05:00Z"))
            .expect("valid")
            .expect("there");
        assert_eq!(w.saved_at, at);
        assert_eq!(w.state, state);
        assert_eq!(w.sla, Some(sla));
        assert_eq!(w.records, records);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(c.path())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(
            c.path()
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("rt-") && n.ends_with(".cache")),
            "{}",
            c.path().display()
        );
    }

    #[test]
    fn no_file_is_no_cache() {
        let dir = tempfile::tempdir().expect("dir");
        let c = CrmCache::in_data_dir(dir.path(), key());
        assert_eq!(c.load(Ts::from_secs(0)), Ok(None));
    }

    #[test]
    fn every_damage_is_named() {
        let c = CrmCache::in_data_dir(Path::new("/nonexistent"), key());
        let at = ts("2026-12-04T10:00:00Z");
        let now = ts("2026-12-04T11:00:00Z");
        let good = c.encode(
            at,
            &serde_json::json!({"a": 1}),
            None,
            b"{\"type\":\"x\"}\n",
        );
        assert!(c.check(&good, now).is_ok());
        // Truncated anywhere in the body.
        let cut = &good[..good.len() - 3];
        assert!(matches!(
            c.check(cut, now),
            Err(Rejected::Truncated { got, expected }) if expected == got + 3
        ));
        // Cut inside the header line: not a cache at all.
        assert_eq!(c.check(&good[..20], now), Err(Rejected::NotACache));
        // One byte of the body changed: the checksum.
        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 0x01;
        assert_eq!(c.check(&flipped, now), Err(Rejected::Checksum));
        // Bytes appended.
        let mut longer = good.clone();
        longer.extend_from_slice(b"{}\n");
        assert!(matches!(
            c.check(&longer, now),
            Err(Rejected::Overlong { .. })
        ));
        // Another source, other options.
        let other = CrmCache::in_data_dir(
            Path::new("/nonexistent"),
            CacheKey {
                source: "rt:http://127.0.0.1:9090".into(),
                ..key()
            },
        );
        assert_eq!(
            other.check(&good, now),
            Err(Rejected::OtherSource {
                found: "rt:http://127.0.0.1:8080".into()
            })
        );
        let opts = CrmCache::in_data_dir(
            Path::new("/nonexistent"),
            CacheKey {
                options: "queues=Billing;days=14;sl_seconds=7200".into(),
                ..key()
            },
        );
        assert!(matches!(
            opts.check(&good, now),
            Err(Rejected::OtherOptions { .. })
        ));
        // Eight days old.
        assert_eq!(
            c.check(&good, at.add_secs(8 * 86_400)),
            Err(Rejected::TooOld { age_h: 192 })
        );
        // Not JSON, no newline.
        assert_eq!(c.check(b"hello", now), Err(Rejected::NotACache));
        assert_eq!(c.check(b"{\"magic\":1}\n", now), Err(Rejected::NotACache));
    }

    #[test]
    fn an_older_or_newer_format_is_refused_whatever_its_fields() {
        let c = CrmCache::in_data_dir(Path::new("/nonexistent"), key());
        let now = ts("2026-12-04T11:00:00Z");
        // Version 0 had other fields: refused on its version alone.
        let old = b"{\"magic\":\"shiftdeck-crm-cache\",\"version\":0,\"floor\":\"x\"}\n{}\n";
        assert_eq!(c.check(old, now), Err(Rejected::OlderVersion { found: 0 }));
        let new = b"{\"magic\":\"shiftdeck-crm-cache\",\"version\":9}\n{}\n";
        assert_eq!(c.check(new, now), Err(Rejected::NewerVersion { found: 9 }));
    }

    #[test]
    fn the_book_keeps_the_latest_line_per_key() {
        let mut b = RecordBook::default();
        let first = b"{\"type\":\"queue\",\"id\":\"q\",\"name\":\"Q\"}\n\
{\"type\":\"contact\",\"id\":\"c1\",\"queue\":\"q\"}\n\
{\"type\":\"queue_stats\",\"queue\":\"q\",\"waiting\":1}\n";
        assert!(b.apply(true, first));
        // Only the queue figures move: not a change worth a write.
        assert!(!b.apply(
            false,
            b"{\"type\":\"queue_stats\",\"queue\":\"q\",\"waiting\":2}\n"
        ));
        // The same contact again: no change; another one: a change.
        assert!(!b.apply(
            false,
            b"{\"type\":\"contact\",\"id\":\"c1\",\"queue\":\"q\"}\n"
        ));
        assert!(b.apply(
            false,
            b"{\"type\":\"contact\",\"id\":\"c1\",\"queue\":\"q\",\"agent\":\"a\"}\r\n\n"
        ));
        assert_eq!(b.len(), 3);
        assert_eq!(
            String::from_utf8(b.ndjson()).expect("utf8"),
            "{\"type\":\"queue\",\"id\":\"q\",\"name\":\"Q\"}\n\
{\"type\":\"contact\",\"id\":\"c1\",\"queue\":\"q\",\"agent\":\"a\"}\n\
{\"type\":\"queue_stats\",\"queue\":\"q\",\"waiting\":2}\n"
        );
        // A reset starts again.
        b.apply(true, b"{\"type\":\"agent\",\"id\":\"a\"}\n");
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn agent_states_are_events_kept_two_days() {
        let mut b = RecordBook::default();
        b.apply(
            true,
            b"{\"type\":\"agent_state\",\"agent\":\"7\",\"state\":\"busy\",\"at\":\"2026-12-01T09:00:00Z\"}\n\
{\"type\":\"agent_state\",\"agent\":\"7\",\"state\":\"wrap\",\"at\":\"2026-12-04T09:00:00Z\"}\n\
{\"type\":\"agent_state\",\"agent\":\"7\",\"state\":\"available\",\"at\":\"2026-12-04T09:05:00Z\"}\n",
        );
        assert_eq!(b.len(), 3, "every event is kept");
        b.prune(ts("2026-12-04T10:00:00Z"));
        let text = String::from_utf8(b.ndjson()).expect("utf8");
        assert_eq!(text.lines().count(), 2);
        assert!(
            text.lines().next().is_some_and(|l| l.contains("wrap")),
            "{text}"
        );
    }

    #[test]
    fn the_same_floor_from_the_book_as_from_every_batch() {
        let batches: [&[u8]; 3] = [
            b"{\"type\":\"queue\",\"id\":\"q\",\"name\":\"Q\"}\n{\"type\":\"contact\",\"id\":\"c1\",\"queue\":\"q\",\"arrived_at\":\"2026-12-04T09:00:00Z\"}\n",
            b"{\"type\":\"contact\",\"id\":\"c2\",\"queue\":\"q\",\"arrived_at\":\"2026-12-04T09:01:00Z\"}\n",
            b"{\"type\":\"contact\",\"id\":\"c1\",\"queue\":\"q\",\"arrived_at\":\"2026-12-04T09:00:00Z\",\"ended_at\":\"2026-12-04T09:10:00Z\"}\n",
        ];
        let mut all = Vec::new();
        let mut b = RecordBook::default();
        for (i, x) in batches.iter().enumerate() {
            all.extend_from_slice(x);
            b.apply(i == 0, x);
        }
        let (live, _) = crate::source::load_str(std::str::from_utf8(&all).expect("utf8"));
        let (cached, _) = crate::source::load_str(std::str::from_utf8(&b.ndjson()).expect("utf8"));
        for id in ["c1", "c2"] {
            assert_eq!(live.contact(id), cached.contact(id), "{id}");
        }
        assert!(cached.contact("c1").is_some_and(|c| c.ended_at.is_some()));
    }
}
