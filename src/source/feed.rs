//! The source abstraction: where floor records come from (`--crm URL` or the
//! config's `[source]` table), one poller per source on its own tokio task,
//! and the generic HTTP feed client (protocol: docs/http-feed.md).
//!
//! Every source ends the same way: whole floor-feed NDJSON lines, in feed
//! order, handed to the app in an owned [`SourceEvent::Batch`] that the app
//! applies with [`super::ingest_bytes`]. A batch is sent only once it is
//! complete, so a failing poll never leaves half an update on the floor.
//!
//! `--crm` URL schemes (docs/connectors.md):
//! - `http(s)://HOST/PATH` or `feed+http(s)://…`: the generic HTTP feed;
//! - `rt+http(s)://HOST[/PATH][?queues=A,B&days=N&sl_seconds=S]`: Request Tracker 5;
//! - `zendesk+https://SUB.zendesk.com[?email=E&days=N]`: Zendesk Support + Talk;
//! - `file:///path` or a plain path: an NDJSON file, followed as it grows.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::file::FileFollower;
use super::http::{self, Auth, HttpClient, HttpSettings, Secret, SourceError};
use super::{IngestStats, LineError};
use crate::config::SourceConfig;
use crate::domain::{Floor, Ts};

/// Where records come from.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceSpec {
    /// NDJSON files, in order (a later file's upsert wins), followed as they grow.
    Files(Vec<PathBuf>),
    /// The generic HTTP feed at `base` (`GET {base}/feed?since=…`).
    Feed { base: Url },
    /// Request Tracker 5 over REST 2.0.
    Rt(super::rt::RtOptions),
    /// Zendesk Support + Talk.
    Zendesk(super::zendesk::ZendeskOptions),
}

impl SourceSpec {
    /// Parses a `--crm` value (see the module docs for the schemes).
    pub fn parse_crm(text: &str) -> Result<SourceSpec, SourceError> {
        let text = text.trim();
        // Messages quote the value without any `user:password@` in it.
        let shown = without_userinfo(text);
        let bad = |why: &str| SourceError::Config(format!("--crm `{shown}`: {why}"));
        if !text.contains("://") {
            return Ok(SourceSpec::Files(vec![PathBuf::from(text)]));
        }
        let (kind, rest) = match text.split_once('+') {
            Some((k, r)) if !k.contains(':') && r.contains("://") => (k.to_ascii_lowercase(), r),
            _ => (String::new(), text),
        };
        let url = Url::parse(rest).map_err(|e| bad(&e.to_string()))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "credentials do not belong in the URL; use token_env or token_file",
            ));
        }
        if url.scheme() == "file" {
            let path = url
                .to_file_path()
                .map_err(|_| bad("not a local file path"))?;
            return Ok(SourceSpec::Files(vec![path]));
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the URL must be http:// or https://"));
        }
        match kind.as_str() {
            "" | "feed" => {
                let mut base = url;
                base.set_query(None);
                Ok(SourceSpec::Feed { base })
            }
            "rt" => super::rt::RtOptions::from_url(&url)
                .map(SourceSpec::Rt)
                .map_err(|e| bad(&e)),
            "zendesk" => super::zendesk::ZendeskOptions::from_url(&url)
                .map(SourceSpec::Zendesk)
                .map_err(|e| bad(&e)),
            other => Err(bad(&format!(
                "unknown source kind `{other}` (feed, rt, zendesk)"
            ))),
        }
    }

    /// The source to use: `--crm` first, then `--file`, then the config's
    /// `crm`, then its `file` list. `None` when nothing names a source.
    pub fn resolve(
        cli_crm: Option<&str>,
        cli_files: &[PathBuf],
        config: &SourceConfig,
    ) -> Result<Option<SourceSpec>, SourceError> {
        if let Some(c) = cli_crm {
            return SourceSpec::parse_crm(c).map(Some);
        }
        if !cli_files.is_empty() {
            return Ok(Some(SourceSpec::Files(cli_files.to_vec())));
        }
        if let Some(c) = &config.crm {
            return SourceSpec::parse_crm(c).map(Some);
        }
        if !config.file.is_empty() {
            return Ok(Some(SourceSpec::Files(config.file.clone())));
        }
        Ok(None)
    }

    /// A short name for the header: the kind and the host or file.
    pub fn label(&self) -> String {
        match self {
            SourceSpec::Files(p) => match p.as_slice() {
                [one] => format!("file {}", one.display()),
                many => format!("{} files", many.len()),
            },
            SourceSpec::Feed { base } => format!("feed {}", http::show_url(base)),
            SourceSpec::Rt(o) => format!("RT {}", http::show_url(&o.base)),
            SourceSpec::Zendesk(o) => format!("Zendesk {}", o.base.host_str().unwrap_or("")),
        }
    }
}

/// `text` with the user and password of a URL (`scheme://user:pw@host…`)
/// replaced by `***`, for messages: a refusal must not repeat a password.
fn without_userinfo(text: &str) -> std::borrow::Cow<'_, str> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.into();
    };
    // The last `@` anywhere: a password may hold `/`, `?` or `#` unescaped,
    // and hiding too much of a message costs less than showing a password.
    match rest.rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]).into(),
        None => text.into(),
    }
}

/// How a source is polled.
#[derive(Clone, Debug)]
pub struct SourceSettings {
    /// Between successful polls.
    pub poll: Duration,
    /// First wait after a failure; doubled per failure up to `backoff_max`.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    pub http: HttpSettings,
    pub token: Option<Secret>,
}

impl Default for SourceSettings {
    fn default() -> Self {
        SourceSettings {
            poll: Duration::from_secs(crate::config::DEFAULT_POLL_S),
            backoff_min: Duration::from_secs(2),
            backoff_max: Duration::from_secs(300),
            http: HttpSettings::default(),
            token: None,
        }
    }
}

impl SourceSettings {
    /// From the config's `[source]` table: the poll interval and the token
    /// (read now from `token_env` or `token_file`).
    pub fn from_config(config: &SourceConfig) -> Result<SourceSettings, SourceError> {
        Ok(SourceSettings {
            poll: Duration::from_secs(config.poll_s.max(1)),
            token: http::load_token(config.token_env.as_deref(), config.token_file.as_deref())?,
            ..SourceSettings::default()
        })
    }
}

/// What a source task tells the app. Owned data: the app applies it on its
/// own thread, no shared state.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceEvent {
    /// Whole NDJSON lines in feed order. `reset`: drop every record this
    /// source gave before, then apply `bytes` (a full state follows).
    /// `origin` and `first_line` name the lines in malformed-line reports.
    Batch {
        origin: String,
        first_line: u64,
        reset: bool,
        bytes: Vec<u8>,
    },
    /// After every poll: the last success (staleness = now − `ok_at`), the
    /// last error (`None` once a poll succeeds) and when the next try is.
    Status {
        source: String,
        ok_at: Option<Ts>,
        error: Option<String>,
        next_poll_in: Duration,
    },
}

impl SourceEvent {
    /// Applies a batch to the floor (a reset starts a new floor first);
    /// `None` for a status update, which the header shows instead.
    pub fn apply_to(&self, floor: &mut Floor, errors: &mut Vec<LineError>) -> Option<IngestStats> {
        match self {
            SourceEvent::Batch {
                origin,
                first_line,
                reset,
                bytes,
            } => {
                if *reset {
                    *floor = Floor::new();
                }
                Some(super::ingest_bytes(
                    floor,
                    origin,
                    *first_line,
                    bytes,
                    errors,
                ))
            }
            SourceEvent::Status { .. } => None,
        }
    }
}

/// The result of one successful poll: complete, ready to apply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PollBatch {
    pub reset: bool,
    /// Whole NDJSON lines.
    pub bytes: Vec<u8>,
    pub origin: String,
    pub first_line: u64,
    /// More is waiting: poll again at once (a big file read in steps).
    pub more: bool,
}

/// One source's poller, whatever its kind.
#[derive(Debug)]
pub enum Poller {
    Files(FilesPoller),
    Feed(Box<FeedPoller>),
    Rt(Box<super::rt::RtPoller>),
    Zendesk(Box<super::zendesk::ZendeskPoller>),
}

impl Poller {
    pub fn new(spec: &SourceSpec, settings: &SourceSettings) -> Result<Poller, SourceError> {
        Ok(match spec {
            SourceSpec::Files(paths) => Poller::Files(FilesPoller::new(paths.clone())),
            SourceSpec::Feed { base } => Poller::Feed(Box::new(FeedPoller::new(base, settings)?)),
            SourceSpec::Rt(o) => {
                Poller::Rt(Box::new(super::rt::RtPoller::new(o.clone(), settings)?))
            }
            SourceSpec::Zendesk(o) => Poller::Zendesk(Box::new(
                super::zendesk::ZendeskPoller::new(o.clone(), settings)?,
            )),
        })
    }

    /// Fetch what changed since the last successful poll. On error nothing
    /// of this poll is kept: the next poll starts from the same point.
    pub async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        match self {
            Poller::Files(p) => p.poll_once(),
            Poller::Feed(p) => p.poll_once().await,
            Poller::Rt(p) => p.poll_once().await,
            Poller::Zendesk(p) => p.poll_once().await,
        }
    }
}

/// Runs the source on its own task: polls every `settings.poll`, backs off
/// with jitter after failures, and sends batches and status updates on `tx`.
/// The task ends when the receiver is dropped.
pub fn spawn_source(
    spec: SourceSpec,
    settings: SourceSettings,
    tx: mpsc::Sender<SourceEvent>,
) -> JoinHandle<()> {
    tokio::spawn(run_source(spec, settings, tx))
}

async fn run_source(spec: SourceSpec, settings: SourceSettings, tx: mpsc::Sender<SourceEvent>) {
    let source = spec.label();
    let mut jitter = Jitter::from_clock();
    let mut poller = match Poller::new(&spec, &settings) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(source = %source, "source not started: {e}");
            let _ = tx
                .send(SourceEvent::Status {
                    source,
                    ok_at: None,
                    error: Some(e.to_string()),
                    next_poll_in: Duration::MAX,
                })
                .await;
            return;
        }
    };
    let mut ok_at: Option<Ts> = None;
    let mut failures: u32 = 0;
    loop {
        let delay = match poller.poll_once().await {
            Ok(batch) => {
                failures = 0;
                ok_at = Some(Ts::from_datetime(&chrono::Utc::now()));
                let more = batch.more;
                if (batch.reset || !batch.bytes.is_empty())
                    && tx
                        .send(SourceEvent::Batch {
                            origin: batch.origin,
                            first_line: batch.first_line,
                            reset: batch.reset,
                            bytes: batch.bytes,
                        })
                        .await
                        .is_err()
                {
                    return;
                }
                let delay = if more { Duration::ZERO } else { settings.poll };
                if !more
                    && tx
                        .send(SourceEvent::Status {
                            source: source.clone(),
                            ok_at,
                            error: None,
                            next_poll_in: delay,
                        })
                        .await
                        .is_err()
                {
                    return;
                }
                delay
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = backoff_delay(
                    failures,
                    settings.backoff_min,
                    settings.backoff_max,
                    jitter.next_unit(),
                );
                let delay = wait.max(e.retry_after().unwrap_or(Duration::ZERO));
                tracing::warn!(source = %source, failures, retry_in_s = delay.as_secs_f64(), "poll failed: {e}");
                if tx
                    .send(SourceEvent::Status {
                        source: source.clone(),
                        ok_at,
                        error: Some(e.to_string()),
                        next_poll_in: delay,
                    })
                    .await
                    .is_err()
                {
                    return;
                }
                delay
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = tx.closed() => return,
        }
    }
}

/// Wait after the `failures`-th failure in a row: `min · 2^(failures−1)`,
/// capped at `max`, then "equal jitter": half of it fixed, half random
/// (`unit` in [0, 1)), so that many consoles do not retry in step.
pub fn backoff_delay(failures: u32, min: Duration, max: Duration, unit: f64) -> Duration {
    let exp = failures.saturating_sub(1).min(30);
    let full = min.saturating_mul(1u32 << exp).min(max);
    let half = full / 2;
    half + half.mul_f64(unit.clamp(0.0, 1.0))
}

/// A small xorshift generator for jitter (no cryptographic use).
struct Jitter(u64);

impl Jitter {
    fn from_clock() -> Jitter {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Jitter(nanos ^ (std::process::id() as u64) << 32 | 1)
    }

    fn next_unit(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Everything the source holds now, as NDJSON (one-shot `snapshot`). Files
/// are better loaded with [`super::load_files`], which streams.
pub async fn fetch_all(
    spec: &SourceSpec,
    settings: &SourceSettings,
) -> Result<Vec<u8>, SourceError> {
    let mut poller = Poller::new(spec, settings)?;
    let mut out = Vec::new();
    loop {
        let batch = poller.poll_once().await?;
        if batch.reset {
            out.clear();
        }
        out.extend_from_slice(&batch.bytes);
        if !batch.more {
            return Ok(out);
        }
    }
}

/// Loads everything the source holds into `floor` (one-shot `snapshot`),
/// with malformed-line reports in `errors`.
pub async fn fetch_into(
    spec: &SourceSpec,
    settings: &SourceSettings,
    floor: &mut Floor,
    errors: &mut Vec<LineError>,
) -> Result<IngestStats, SourceError> {
    let mut poller = Poller::new(spec, settings)?;
    let mut stats = IngestStats::default();
    loop {
        let batch = poller.poll_once().await?;
        if batch.reset {
            *floor = Floor::new();
            stats = IngestStats::default();
        }
        stats.add(super::ingest_bytes(
            floor,
            &batch.origin,
            batch.first_line,
            &batch.bytes,
            errors,
        ));
        if !batch.more {
            return Ok(stats);
        }
    }
}

/// [`fetch_into`] for synchronous callers (the `snapshot` command): runs
/// its own single-threaded runtime.
pub fn fetch_into_blocking(
    spec: &SourceSpec,
    settings: &SourceSettings,
    floor: &mut Floor,
    errors: &mut Vec<LineError>,
) -> anyhow::Result<IngestStats> {
    let rt = super::local_runtime()?;
    Ok(rt.block_on(fetch_into(spec, settings, floor, errors))?)
}

/// Files followed as they grow, read in order.
#[derive(Debug)]
pub struct FilesPoller {
    followers: Vec<FileFollower>,
    started: bool,
}

impl FilesPoller {
    pub fn new(paths: Vec<PathBuf>) -> FilesPoller {
        FilesPoller {
            followers: paths.into_iter().map(FileFollower::new).collect(),
            started: false,
        }
    }

    /// The first file with new lines gives this poll's batch (so files are
    /// read in order); `more` asks for another poll at once.
    fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        let mut reset = !self.started;
        for i in 0..self.followers.len() {
            let chunk = self.followers[i].poll().map_err(|e| {
                SourceError::Io(format!("{}: {e}", self.followers[i].path().display()))
            })?;
            if chunk.reset && self.started {
                // A file was replaced: rebuild from every file, in order.
                for f in &mut self.followers {
                    *f = FileFollower::new(f.path().to_path_buf());
                }
                reset = true;
                return Ok(PollBatch {
                    reset,
                    more: true,
                    ..PollBatch::default()
                });
            }
            if !chunk.bytes.is_empty() || chunk.more {
                self.started = true;
                return Ok(PollBatch {
                    reset,
                    origin: self.followers[i].path().display().to_string(),
                    first_line: chunk.first_line,
                    bytes: chunk.bytes,
                    more: true,
                });
            }
        }
        self.started = true;
        Ok(PollBatch {
            reset,
            first_line: 1,
            ..PollBatch::default()
        })
    }
}

/// One page of the generic feed (docs/http-feed.md).
#[derive(Deserialize)]
struct FeedPage<'a> {
    cursor: String,
    #[serde(borrow)]
    records: Vec<&'a RawValue>,
    #[serde(default)]
    reset: bool,
    #[serde(default)]
    more: bool,
}

/// At most this many pages in one poll (a feed that never says `more: false`).
const MAX_FEED_PAGES: usize = 100_000;

/// Client of the generic HTTP feed.
#[derive(Debug)]
pub struct FeedPoller {
    http: HttpClient,
    feed_url: Url,
    cursor: Option<String>,
    etag: Option<String>,
}

impl FeedPoller {
    pub fn new(base: &Url, settings: &SourceSettings) -> Result<FeedPoller, SourceError> {
        let auth = match &settings.token {
            Some(t) => Auth::bearer(t),
            None => Auth::None,
        };
        let http = HttpClient::new(base, auth, &settings.http)?;
        let feed_url = http::as_dir(base)
            .join("feed")
            .map_err(|e| SourceError::Config(format!("feed URL: {e}")))?;
        Ok(FeedPoller {
            http,
            feed_url,
            cursor: None,
            etag: None,
        })
    }

    /// The cursor of the last complete poll.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        let mut cursor = self.cursor.clone();
        let mut etag = self.etag.clone();
        let mut reset = cursor.is_none();
        let mut out: Vec<u8> = Vec::new();
        let mut restarted = false;
        let mut pages = 0;
        loop {
            pages += 1;
            if pages > MAX_FEED_PAGES {
                return Err(SourceError::Config(format!(
                    "{}: more than {MAX_FEED_PAGES} pages in one poll",
                    http::show_url(&self.feed_url)
                )));
            }
            let mut url = self.feed_url.clone();
            if let Some(c) = &cursor {
                url.query_pairs_mut().append_pair("since", c);
            }
            // The ETag stands for the answer to this cursor: only the first page may be cached.
            let tag = if pages == 1 { etag.as_deref() } else { None };
            let got = match self.http.get(&url, tag).await {
                Err(SourceError::Status { status: 410, .. }) if !restarted && cursor.is_some() => {
                    // The server forgot this cursor: start over from the full state.
                    restarted = true;
                    cursor = None;
                    etag = None;
                    reset = true;
                    out.clear();
                    continue;
                }
                other => other?,
            };
            if got.not_modified {
                break;
            }
            let page: FeedPage =
                serde_json::from_slice(&got.body).map_err(|e| SourceError::json(&url, e))?;
            if page.reset {
                reset = true;
                out.clear();
            }
            for r in &page.records {
                push_line(&mut out, r.get().as_bytes());
            }
            cursor = Some(page.cursor);
            etag = got.etag;
            if !page.more {
                break;
            }
        }
        self.cursor = cursor;
        self.etag = etag;
        Ok(PollBatch {
            reset,
            origin: http::show_url(&self.feed_url),
            first_line: 1,
            bytes: out,
            more: false,
        })
    }
}

/// Appends one JSON value as an NDJSON line. Raw newlines can only be
/// whitespace between tokens (JSON strings escape them), so they become spaces.
pub fn push_line(out: &mut Vec<u8>, json: &[u8]) {
    let start = out.len();
    out.extend_from_slice(json);
    for b in &mut out[start..] {
        if *b == b'\n' || *b == b'\r' {
            *b = b' ';
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crm_urls_pick_the_source() {
        let f = SourceSpec::parse_crm("http://127.0.0.1:8080").expect("feed");
        assert_eq!(
            f,
            SourceSpec::Feed {
                base: Url::parse("http://127.0.0.1:8080/").expect("url")
            }
        );
        let f = SourceSpec::parse_crm("feed+https://crm.example.com/floor").expect("feed");
        assert!(
            matches!(f, SourceSpec::Feed { base } if base.as_str() == "https://crm.example.com/floor")
        );
        assert!(matches!(
            SourceSpec::parse_crm("rt+https://rt.example.com").expect("rt"),
            SourceSpec::Rt(_)
        ));
        assert!(matches!(
            SourceSpec::parse_crm("zendesk+https://acme.zendesk.com").expect("zd"),
            SourceSpec::Zendesk(_)
        ));
        assert_eq!(
            SourceSpec::parse_crm("/tmp/floor.ndjson").expect("file"),
            SourceSpec::Files(vec![PathBuf::from("/tmp/floor.ndjson")])
        );
        assert_eq!(
            SourceSpec::parse_crm("file:///tmp/a.ndjson").expect("file"),
            SourceSpec::Files(vec![PathBuf::from("/tmp/a.ndjson")])
        );
        for bad in [
            "gopher+http://x",
            "ftp://x/y",
            "rt+https://user:pw@rt.example.com",
        ] {
            assert!(SourceSpec::parse_crm(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resolve_order() {
        let cfg = SourceConfig {
            crm: Some("http://cfg.example.com".into()),
            file: vec![PathBuf::from("cfg.ndjson")],
            ..SourceConfig::default()
        };
        let files = [PathBuf::from("cli.ndjson")];
        let r = |crm, files: &[PathBuf], cfg| SourceSpec::resolve(crm, files, cfg).expect("ok");
        assert!(matches!(
            r(Some("rt+http://127.0.0.1"), &files, &cfg),
            Some(SourceSpec::Rt(_))
        ));
        assert_eq!(
            r(None, &files, &cfg),
            Some(SourceSpec::Files(files.to_vec()))
        );
        assert!(matches!(r(None, &[], &cfg), Some(SourceSpec::Feed { .. })));
        let only_file = SourceConfig {
            crm: None,
            ..cfg.clone()
        };
        assert_eq!(
            r(None, &[], &only_file),
            Some(SourceSpec::Files(vec![PathBuf::from("cfg.ndjson")]))
        );
        assert_eq!(r(None, &[], &SourceConfig::default()), None);
    }

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let s = Duration::from_secs;
        // unit 0 → exactly half, unit → 1 approaches the full delay.
        assert_eq!(backoff_delay(1, s(2), s(300), 0.0), s(1));
        assert_eq!(backoff_delay(1, s(2), s(300), 1.0), s(2));
        assert_eq!(backoff_delay(3, s(2), s(300), 1.0), s(8));
        assert_eq!(backoff_delay(3, s(2), s(300), 0.5), s(6));
        assert_eq!(backoff_delay(20, s(2), s(300), 1.0), s(300));
        assert_eq!(backoff_delay(u32::MAX, s(2), s(300), 0.0), s(150));
        let mut j = Jitter::from_clock();
        for _ in 0..1000 {
            let u = j.next_unit();
            assert!((0.0..1.0).contains(&u));
        }
    }

    #[test]
    fn push_line_flattens_pretty_json() {
        let mut out = Vec::new();
        push_line(
            &mut out,
            b"{\n  \"type\": \"queue\",\r\n  \"id\": \"a\\nb\"\n}",
        );
        assert_eq!(out, b"{   \"type\": \"queue\",    \"id\": \"a\\nb\" }\n");
    }

    #[test]
    fn files_poller_reads_in_order_and_resets_on_rotation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.ndjson");
        let b = dir.path().join("b.ndjson");
        std::fs::write(&a, "11\n").expect("write");
        std::fs::write(&b, "2\n").expect("write");
        let mut p = FilesPoller::new(vec![a.clone(), b.clone()]);
        let first = p.poll_once().expect("poll");
        assert_eq!(
            (first.reset, &first.bytes[..], first.more),
            (true, &b"11\n"[..], true)
        );
        let second = p.poll_once().expect("poll");
        assert_eq!((second.reset, &second.bytes[..]), (false, &b"2\n"[..]));
        let idle = p.poll_once().expect("poll");
        assert_eq!((idle.reset, idle.bytes.len(), idle.more), (false, 0, false));
        std::fs::write(&a, "x\n").expect("shrink");
        let reset = p.poll_once().expect("poll");
        assert!(reset.reset && reset.more && reset.bytes.is_empty());
        let again = p.poll_once().expect("poll");
        assert_eq!((again.reset, &again.bytes[..]), (false, &b"x\n"[..]));
        assert_eq!(p.poll_once().expect("poll").bytes, b"2\n");
    }
}
