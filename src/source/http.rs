//! The HTTP client every network source shares: request timeouts, a cap on
//! response size, JSON-only answers, token handling and a redirect policy
//! that never carries credentials to another host.
//!
//! Security rules (issue 5, item 6), enforced here and nowhere else:
//! - TLS is always verified (rustls with the platform's roots). The only
//!   relaxation, [`HttpSettings::tls_insecure_loopback`], is refused for any
//!   host that is not a loopback address.
//! - Credentials are sent only over https, or plain http to a loopback host.
//! - A token lives in a [`Secret`]: its `Debug` and `Display` print `***`,
//!   the header carrying it is marked sensitive, and any response text quoted
//!   in an error has the token blanked out.
//! - Requests go only to the configured origin (scheme, host, port), and
//!   redirects are followed only within it: a redirect to another host stops
//!   with an error instead of following with the `Authorization` header.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};

/// A credential. Printing it in any form shows `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Arc::from(value.into()))
    }

    /// The credential itself: only for building a request header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Reads the token from the environment variable named `env_name`, else from
/// `file` (first line, trimmed). Both unset: no token. A token file that group
/// or others may read is used, with a warning in the log.
pub fn load_token(
    env_name: Option<&str>,
    file: Option<&Path>,
) -> Result<Option<Secret>, SourceError> {
    if let Some(name) = env_name {
        return match std::env::var(name) {
            Ok(v) if !v.trim().is_empty() => Ok(Some(Secret::new(v.trim()))),
            Ok(_) => Err(SourceError::TokenEnvEmpty(name.to_owned())),
            Err(_) => Err(SourceError::TokenEnvUnset(name.to_owned())),
        };
    }
    let Some(path) = file else {
        return Ok(None);
    };
    let text = read_token_file(path)?;
    if token_file_is_shared(path) {
        tracing::warn!(
            path = %path.display(),
            "the token file can be read by group or others; `chmod 600` it"
        );
    }
    let token = text.lines().next().unwrap_or("").trim();
    if token.is_empty() {
        return Err(SourceError::TokenFileEmpty(path.to_path_buf()));
    }
    Ok(Some(Secret::new(token)))
}

/// A token file is read up to this size; a larger one is refused.
pub const MAX_TOKEN_FILE_BYTES: u64 = 16 << 10;

/// The token file's text: a regular file of at most
/// [`MAX_TOKEN_FILE_BYTES`] (a device such as `/dev/zero` or a FIFO is
/// refused before it is opened, a bigger file before it is read whole).
/// No error quotes the file's content.
fn read_token_file(path: &Path) -> Result<String, SourceError> {
    use std::io::Read;
    let too_large = || SourceError::TokenFileTooLarge {
        path: path.to_path_buf(),
        max_kb: MAX_TOKEN_FILE_BYTES >> 10,
    };
    let unreadable = |e: &std::io::Error| SourceError::TokenFileUnreadable {
        path: path.to_path_buf(),
        err: e.into(),
    };
    let (file, meta) = match super::regular::open_regular(path) {
        Ok(f) => f,
        Err(super::regular::FileError::NotRegular { .. }) => {
            return Err(SourceError::TokenFileNotRegular(path.to_path_buf()));
        }
        Err(super::regular::FileError::Io { source, .. }) => return Err(unreadable(&source)),
    };
    if meta.len() > MAX_TOKEN_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_TOKEN_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(&e))?;
    if bytes.len() as u64 > MAX_TOKEN_FILE_BYTES {
        // It grew while being read.
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| SourceError::TokenFileNotText(path.to_path_buf()))
}

/// Whether group or others have any permission on the file.
pub fn token_file_is_shared(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

/// How a source talks HTTP.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpSettings {
    /// Whole request, connect to last body byte.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Responses larger than this are refused, not buffered.
    pub max_body_bytes: u64,
    /// Accept an unverifiable certificate, for loopback hosts only (a local
    /// test server with a self-signed certificate). Refused for any other host.
    pub tls_insecure_loopback: bool,
    /// At most this many requests of one source at once (`[source]
    /// concurrency`): a CRM's first load runs several side by side.
    pub max_in_flight: usize,
}

pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 << 20;
/// Requests of one source at once, unless `[source] concurrency` says otherwise.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 4;
/// The longest a 429's Retry-After holds every request of a source; a
/// longer wait fails the poll instead, which then waits as `poll::run` says.
pub const GATE_PAUSE_MAX: Duration = Duration::from_secs(60);
/// A request refused with a short Retry-After is asked again this many
/// times ([`HttpClient::get_waiting_out`]); then the poll fails and waits
/// as the poll loop says.
pub const RATE_LIMIT_RETRIES: u32 = 5;

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            tls_insecure_loopback: false,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }
}

/// What every request of one source passes: at most `max_in_flight` at
/// once, and none while a server's Retry-After runs (one 429 holds every
/// worker, not only the one that got it).
#[derive(Debug)]
struct Gate {
    permits: tokio::sync::Semaphore,
    paused_until: std::sync::Mutex<Option<tokio::time::Instant>>,
}

impl Gate {
    fn new(max_in_flight: usize) -> Gate {
        Gate {
            permits: tokio::sync::Semaphore::new(max_in_flight.max(1)),
            paused_until: std::sync::Mutex::new(None),
        }
    }

    /// A place among the requests in flight, once no pause runs.
    async fn enter(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        // The semaphore is never closed: `ok()` only drops an impossible error.
        let permit = self.permits.acquire().await.ok();
        loop {
            let until = *self
                .paused_until
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match until {
                Some(t) if t > tokio::time::Instant::now() => tokio::time::sleep_until(t).await,
                _ => return permit,
            }
        }
    }

    /// Holds every request for `wait` (at most [`GATE_PAUSE_MAX`]).
    fn pause(&self, wait: Duration) {
        let until = tokio::time::Instant::now() + wait.min(GATE_PAUSE_MAX);
        let mut p = self
            .paused_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *p = Some(p.map_or(until, |old| old.max(until)));
    }
}

/// How requests authenticate.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    /// The whole `Authorization` header value, e.g. `token 1-31-…` (RT) or
    /// `Basic …` (Zendesk).
    Header(Secret),
}

impl Auth {
    /// RT's auth-token scheme: `Authorization: token TOKEN`.
    pub fn rt_token(token: &Secret) -> Auth {
        Auth::Header(Secret::new(format!("token {}", token.expose())))
    }

    pub fn bearer(token: &Secret) -> Auth {
        Auth::Header(Secret::new(format!("Bearer {}", token.expose())))
    }

    /// HTTP basic auth of `user:password`.
    pub fn basic(user: &str, password: &Secret) -> Auth {
        let raw = format!("{user}:{}", password.expose());
        Auth::Header(Secret::new(format!("Basic {}", base64(raw.as_bytes()))))
    }
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub use super::error::{NetCause, OriginChange, PageKind, Service, SourceError};

impl SourceError {
    /// The answer from `url` is not JSON.
    pub fn json(url: &Url, e: &serde_json::Error) -> SourceError {
        SourceError::Json {
            url: show_url(url),
            err: e.into(),
        }
    }

    /// The answer from `url` lacks the list it must hold.
    pub fn no_list(url: &Url, list: &'static str) -> SourceError {
        SourceError::NoList {
            url: show_url(url),
            list,
        }
    }
}

/// A successful answer.
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    /// 304 Not Modified: `body` is empty.
    pub not_modified: bool,
    pub etag: Option<String>,
    pub body: Vec<u8>,
}

/// Scheme, host and port of a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    fn of(url: &Url) -> Origin {
        Origin {
            scheme: url.scheme().to_owned(),
            host: url.host_str().unwrap_or("").to_ascii_lowercase(),
            port: url.port_or_known_default(),
        }
    }

    /// `scheme://host:port`, the port always written (it may be what differs).
    fn show(&self) -> String {
        match self.port {
            Some(p) => format!("{}://{}:{p}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// What differs from `self` in `other`, the most telling first: the
    /// host, else the scheme, else the port (`to` shows the whole origin).
    fn changes_to(&self, other: &Origin) -> OriginChange {
        if self.host != other.host {
            OriginChange::Host {
                from: self.host.clone(),
                to: other.host.clone(),
            }
        } else if self.scheme != other.scheme {
            OriginChange::Scheme {
                from: self.scheme.clone(),
                to: other.scheme.clone(),
            }
        } else {
            OriginChange::Port {
                from: self.port,
                to: other.port,
            }
        }
    }
}

/// Whether the URL's host is a loopback address (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A URL for messages: scheme, host, path and query, at most 160 characters.
pub fn show_url(url: &Url) -> String {
    let mut s = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(p) = url.port() {
        s.push_str(&format!(":{p}"));
    }
    s.push_str(url.path());
    if let Some(q) = url.query() {
        s.push('?');
        s.push_str(q);
    }
    if s.chars().count() > 160 {
        s = s.chars().take(159).collect();
        s.push('…');
    }
    s
}

/// The shared client of one source: one origin, one credential.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    origin: Origin,
    auth: Option<HeaderValue>,
    /// Strings blanked out of any response text quoted in an error.
    redact: Vec<Secret>,
    settings: HttpSettings,
    /// Shared by every clone: the source's bound on requests in flight.
    gate: Arc<Gate>,
    /// A web session standing in for the credential on reads, when the
    /// source asked for one ([`HttpClient::with_session`]).
    session: Option<Arc<Session>>,
}

/// How a source gets a web session for its credential: one GET of `url`
/// with the credential; the cookie the answer sets is the session. RT 5
/// checks an auth token with bcrypt on every request (half a second of the
/// server's CPU on a small machine), a session cookie only by a lookup.
#[derive(Clone, Debug)]
pub struct SessionLogin {
    pub url: Url,
    /// Whether the login answer's body says the credential was accepted
    /// (RT's REST 1.0 answers 200 either way and says it in the body).
    pub accepted: fn(&[u8]) -> bool,
}

/// Where the session of one client stands.
#[derive(Clone, Debug)]
enum SessionNow {
    /// No login tried yet.
    NotYet,
    /// The `Cookie` header to send; `generation` counts logins.
    Cookie { generation: u32, value: Secret },
    /// No session: the credential on every request (the server gave no
    /// cookie, or refused a fresh one).
    Off,
}

#[derive(Debug)]
struct Session {
    login: SessionLogin,
    /// Never follows a redirect: a session the server no longer knows is
    /// answered with a redirect to its login page.
    client: reqwest::Client,
    now: std::sync::Mutex<SessionNow>,
    /// One login at a time; the others wait for its cookie.
    renewing: tokio::sync::Mutex<()>,
    logins: std::sync::atomic::AtomicU32,
}

impl Session {
    fn now(&self) -> SessionNow {
        self.now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn set(&self, to: SessionNow) {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = to;
    }
}

/// What one request came to.
enum Sent {
    Done(Fetched),
    /// The session cookie was refused (a redirect to the login page, or 401).
    SessionRefused,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("origin", &self.origin)
            .field("auth", &self.auth.as_ref().map(|_| "***"))
            .field("settings", &self.settings)
            .finish()
    }
}

impl HttpClient {
    /// A client for requests to `base`'s origin.
    pub fn new(base: &Url, auth: Auth, settings: &HttpSettings) -> Result<HttpClient, SourceError> {
        let origin = Origin::of(base);
        let loopback = is_loopback(base);
        match origin.scheme.as_str() {
            "https" => {}
            "http" => {
                if matches!(auth, Auth::Header(_)) && !loopback {
                    return Err(SourceError::PlainHttp {
                        host: origin.host.clone(),
                    });
                }
            }
            other => {
                return Err(SourceError::Scheme(other.to_owned()));
            }
        }
        if settings.tls_insecure_loopback && !loopback {
            return Err(SourceError::TlsNotLoopback(origin.host.clone()));
        }
        install_tls_provider();
        let policy_origin = origin.clone();
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if Origin::of(attempt.url()) == policy_origin {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .redirect(redirect)
            .tls_danger_accept_invalid_certs(settings.tls_insecure_loopback && loopback)
            .user_agent(concat!("shiftdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SourceError::Client(error_chain(&e)))?;
        let (auth, redact) = match auth {
            Auth::None => (None, Vec::new()),
            Auth::Header(secret) => {
                let mut v = HeaderValue::from_str(secret.expose())
                    .map_err(|_| SourceError::TokenNotHeader)?;
                v.set_sensitive(true);
                // Blank out the whole header value and its last word (the bare token).
                let mut redact = vec![secret.clone()];
                if let Some((_, bare)) = secret.expose().rsplit_once(' ')
                    && bare.len() >= 6
                {
                    redact.push(Secret::new(bare));
                }
                (Some(v), redact)
            }
        };
        Ok(HttpClient {
            client,
            origin,
            auth,
            redact,
            settings: settings.clone(),
            gate: Arc::new(Gate::new(settings.max_in_flight)),
            session: None,
        })
    }

    /// Reads (GET) go with a session cookie instead of the credential: one
    /// login, then the cookie. A refused cookie is renewed once per request;
    /// a fresh one refused too, or a login that gives none, turns sessions
    /// off for this client (the credential on every request, as without
    /// this). Writes always carry the credential.
    pub fn with_session(mut self, login: SessionLogin) -> Result<HttpClient, SourceError> {
        if self.auth.is_none() || Origin::of(&login.url) != self.origin {
            return Ok(self);
        }
        let client = reqwest::Client::builder()
            .timeout(self.settings.timeout)
            .connect_timeout(self.settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .tls_danger_accept_invalid_certs(
                self.settings.tls_insecure_loopback && is_loopback(&login.url),
            )
            .user_agent(concat!("shiftdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SourceError::Client(error_chain(&e)))?;
        self.session = Some(Arc::new(Session {
            login,
            client,
            now: std::sync::Mutex::new(SessionNow::NotYet),
            renewing: tokio::sync::Mutex::new(()),
            logins: std::sync::atomic::AtomicU32::new(0),
        }));
        Ok(self)
    }

    /// Logins made so far (each costs the server one credential check).
    pub fn session_logins(&self) -> u32 {
        self.session
            .as_ref()
            .map_or(0, |s| s.logins.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Whether reads go with a session cookie now.
    pub fn in_session(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| matches!(s.now(), SessionNow::Cookie { .. }))
    }

    /// Logs in for a session, unless another request did since `seen` (the
    /// generation whose cookie was refused; 0 before any). Errors only when
    /// the server could not answer (network, 5xx, 429): then the next
    /// request tries again. A login that gives no session turns sessions off.
    async fn log_in(&self, s: &Session, seen: u32) -> Result<(), SourceError> {
        let _one = s.renewing.lock().await;
        match s.now() {
            SessionNow::Cookie { generation, .. } if generation != seen => return Ok(()),
            SessionNow::Off => return Ok(()),
            _ => {}
        }
        let Some(auth) = &self.auth else {
            s.set(SessionNow::Off);
            return Ok(());
        };
        let url = &s.login.url;
        let shown = show_url(url);
        let _place = self.gate.enter().await;
        s.logins.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut resp = s
            .client
            .get(url.clone())
            .header(header::AUTHORIZATION, auth.clone())
            .send()
            .await
            .map_err(|e| self.map_error(&shown, e))?;
        let status = resp.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(self.rate_limited(&resp, shown));
        }
        if status.is_server_error() {
            let detail = self.excerpt(&mut resp).await;
            return Err(SourceError::Status {
                url: shown,
                status: status.as_u16(),
                detail,
            });
        }
        let cookie = resp
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .map(str::trim)
            .find(|pair| {
                pair.split_once('=')
                    .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty())
            })
            .map(str::to_owned);
        let mut body = Vec::new();
        while body.len() < EXCERPT_READ_BYTES {
            match resp.chunk().await {
                Ok(Some(c)) => body.extend_from_slice(&c),
                _ => break,
            }
        }
        match cookie {
            Some(c) if status.is_success() && (s.login.accepted)(&body) => {
                let generation = seen.max(match s.now() {
                    SessionNow::Cookie { generation, .. } => generation,
                    _ => 0,
                }) + 1;
                tracing::debug!(generation, "session: logged in");
                s.set(SessionNow::Cookie {
                    generation,
                    value: Secret::new(c),
                });
            }
            _ => {
                tracing::info!(
                    status = status.as_u16(),
                    "session: none given; the credential goes with every request"
                );
                s.set(SessionNow::Off);
            }
        }
        Ok(())
    }

    /// Also blank this string out of quoted response text (e.g. the bare
    /// token inside a basic-auth pair).
    pub fn redact_also(&mut self, s: &Secret) {
        if !s.expose().is_empty() {
            self.redact.push(s.clone());
        }
    }

    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// Ends a Retry-After pause: a poll starts after the poll loop has
    /// already waited it out (or a caller chose to ask again).
    pub fn clear_pause(&self) {
        *self
            .gate
            .paused_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// GET a JSON document. `if_none_match` sends a conditional request; a
    /// 304 comes back as `not_modified`.
    pub async fn get(
        &self,
        url: &Url,
        if_none_match: Option<&str>,
    ) -> Result<Fetched, SourceError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(tag) = if_none_match
            && let Ok(v) = HeaderValue::from_str(tag)
        {
            headers.insert(header::IF_NONE_MATCH, v);
        }
        let Some(s) = &self.session else {
            return self.send(reqwest::Method::GET, url, headers, None).await;
        };
        let mut renewed = false;
        loop {
            let (generation, value) = match s.now() {
                SessionNow::Off => {
                    return self.send(reqwest::Method::GET, url, headers, None).await;
                }
                SessionNow::NotYet => {
                    self.log_in(s, 0).await?;
                    continue;
                }
                SessionNow::Cookie { generation, value } => (generation, value),
            };
            let mut cookie =
                HeaderValue::from_str(value.expose()).map_err(|_| SourceError::TokenNotHeader)?;
            cookie.set_sensitive(true);
            match self
                .send_once(
                    &s.client,
                    reqwest::Method::GET,
                    url,
                    headers.clone(),
                    None,
                    Some(cookie),
                )
                .await?
            {
                Sent::Done(f) => return Ok(f),
                Sent::SessionRefused if !renewed => {
                    renewed = true;
                    tracing::debug!(generation, "session: refused, logging in again");
                    self.log_in(s, generation).await?;
                }
                Sent::SessionRefused => {
                    tracing::info!(
                        "session: a fresh one was refused; the credential goes with every request"
                    );
                    s.set(SessionNow::Off);
                }
            }
        }
    }

    /// [`HttpClient::get`], where a 429 with a short Retry-After (at most
    /// [`GATE_PAUSE_MAX`]) holds every request of this client (the gate)
    /// and this one is asked again after it, up to [`RATE_LIMIT_RETRIES`]
    /// times, so that the rest of a first load is not thrown away; a longer
    /// one fails, and the poll waits as the poll loop says. `each_try` runs
    /// before every request (a count of requests made).
    pub async fn get_waiting_out(
        &self,
        url: &Url,
        if_none_match: Option<&str>,
        mut each_try: impl FnMut(),
    ) -> Result<Fetched, SourceError> {
        let mut refused = 0;
        loop {
            each_try();
            match self.get(url, if_none_match).await {
                Err(SourceError::RateLimited {
                    retry_after: Some(wait),
                    ..
                }) if wait <= GATE_PAUSE_MAX && refused < RATE_LIMIT_RETRIES => {
                    refused += 1;
                    tracing::info!(
                        host = %self.origin.host,
                        retry_after_s = wait.as_secs_f64(),
                        refused,
                        "429: every request waits, then this one is asked again"
                    );
                }
                other => return other,
            }
        }
    }

    /// POST or PUT a JSON body, for writes (tests, and later the outbox).
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        url: &Url,
        body: &serde_json::Value,
    ) -> Result<Fetched, SourceError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let bytes = serde_json::to_vec(body).map_err(|e| SourceError::Encode((&e).into()))?;
        self.send(method, url, headers, Some(bytes)).await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        url: &Url,
        headers: HeaderMap,
        body: Option<Vec<u8>>,
    ) -> Result<Fetched, SourceError> {
        match self
            .send_once(&self.client, method, url, headers, body, None)
            .await?
        {
            Sent::Done(f) => Ok(f),
            // Only a request with a session cookie is refused as a session.
            Sent::SessionRefused => Err(SourceError::Auth {
                url: show_url(url),
                status: 401,
            }),
        }
    }

    /// One request: with the credential, or with `session` (a `Cookie`
    /// header) instead of it, where a redirect or a 401 means the session
    /// was refused.
    async fn send_once(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        url: &Url,
        mut headers: HeaderMap,
        body: Option<Vec<u8>>,
        session: Option<HeaderValue>,
    ) -> Result<Sent, SourceError> {
        let shown = show_url(url);
        if Origin::of(url) != self.origin {
            return Err(SourceError::OtherHost {
                url: shown,
                host: self.origin.host.clone(),
            });
        }
        let in_session = session.is_some();
        match session {
            Some(cookie) => {
                headers.insert(header::COOKIE, cookie);
            }
            None => {
                if let Some(v) = &self.auth {
                    headers.insert(header::AUTHORIZATION, v.clone());
                }
            }
        }
        let mut req = client.request(method, url.clone()).headers(headers);
        if let Some(b) = body {
            req = req.body(b);
        }
        let _place = self.gate.enter().await;
        let mut resp = req.send().await.map_err(|e| self.map_error(&shown, e))?;
        let status = resp.status();
        if in_session && (status.is_redirection() || status == StatusCode::UNAUTHORIZED) {
            return Ok(Sent::SessionRefused);
        }
        let etag = resp
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Sent::Done(Fetched {
                status: 304,
                not_modified: true,
                etag,
                body: Vec::new(),
            }));
        }
        if status.is_redirection() {
            let target = resp
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok());
            let (to, changed) = match target {
                Some(u) => {
                    let there = Origin::of(&u);
                    (there.show(), self.origin.changes_to(&there))
                }
                None => ("?".to_owned(), OriginChange::Unknown),
            };
            return Err(SourceError::Redirect {
                url: shown,
                to,
                changed: Box::new(changed),
            });
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(self.rate_limited(&resp, shown));
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(SourceError::Auth {
                url: shown,
                status: status.as_u16(),
            });
        }
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !status.is_success() {
            let excerpt = self.excerpt(&mut resp).await;
            return Err(SourceError::Status {
                url: shown,
                status: status.as_u16(),
                detail: excerpt,
            });
        }
        let is_json = content_type.is_empty()
            || content_type.starts_with("application/json")
            || content_type.starts_with("application/x-ndjson")
            || content_type.contains("+json");
        if !is_json {
            let page = if content_type.starts_with("text/html") {
                let page = self.excerpt(&mut resp).await.to_ascii_lowercase();
                if page.contains("login") || page.contains("password") || page.contains("sign in") {
                    PageKind::Login
                } else {
                    PageKind::Html
                }
            } else {
                PageKind::NotHtml
            };
            return Err(SourceError::ContentType {
                url: shown,
                content_type,
                page,
            });
        }
        let limit = self.settings.max_body_bytes;
        let too_large = || SourceError::TooLarge {
            url: shown.clone(),
            limit_mb: limit >> 20,
        };
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0).min(1 << 20) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.map_error(&shown, e))? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Sent::Done(Fetched {
            status: status.as_u16(),
            not_modified: false,
            etag,
            body,
        }))
    }

    /// A 429 answer as an error; its Retry-After holds every request of
    /// this client (the gate) for that long.
    fn rate_limited(&self, resp: &reqwest::Response, shown: String) -> SourceError {
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        if let Some(wait) = retry_after {
            self.gate.pause(wait);
        }
        SourceError::RateLimited {
            url: shown,
            retry_after,
        }
    }

    /// Up to 200 characters of an error body, one line, credentials blanked
    /// (whole, a long enough piece of one anywhere, and any beginning of one
    /// where the text is cut), and sanitised.
    async fn excerpt(&self, resp: &mut reqwest::Response) -> String {
        let mut bytes = Vec::new();
        let mut cut = false;
        loop {
            if bytes.len() >= EXCERPT_READ_BYTES {
                cut = true;
                break;
            }
            match resp.chunk().await {
                Ok(Some(c)) => bytes.extend_from_slice(&c),
                _ => break,
            }
        }
        if bytes.len() > EXCERPT_READ_BYTES {
            bytes.truncate(EXCERPT_READ_BYTES);
            cut = true;
        }
        if cut {
            // A character split by the cut would hide a secret's beginning
            // behind a replacement character: drop it.
            if let Err(e) = std::str::from_utf8(&bytes)
                && e.error_len().is_none()
            {
                bytes.truncate(e.valid_up_to());
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        // A JSON error body ({"message": "..."}, RT and many others) says it best.
        let text = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| {
                ["message", "error", "description"]
                    .iter()
                    .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_owned))
            })
            .unwrap_or_else(|| text.into_owned());
        let mut one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        one_line = self.scrub(&one_line);
        if cut {
            one_line = blank_cut_secret(&one_line, &self.redact);
        }
        if one_line.chars().count() > EXCERPT_CHARS {
            one_line = one_line.chars().take(EXCERPT_CHARS - 1).collect();
            one_line = blank_cut_secret(&one_line, &self.redact);
            one_line.push('…');
        }
        crate::sanitize::sanitize(&one_line)
    }

    /// Blank the credentials out of text that came from the server: every
    /// whole one, and any run of [`SECRET_PIECE_CHARS`] or more characters
    /// that begins a bare credential (a server that quotes a token in part).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        if let Some(s) = &self.session
            && let SessionNow::Cookie { value, .. } = s.now()
            && let Some((_, id)) = value.expose().split_once('=')
            && !id.is_empty()
        {
            out = out.replace(id, "***");
        }
        for s in &self.redact {
            if !s.expose().is_empty() {
                out = out.replace(s.expose(), "***");
            }
        }
        for s in &self.redact {
            // `Bearer …`, `token …`, `Basic …`: their bare word is in the list too.
            if !s.expose().contains(' ') {
                out = blank_secret_pieces(&out, s.expose());
            }
        }
        out
    }

    fn map_error(&self, shown: &str, e: reqwest::Error) -> SourceError {
        let url = shown.to_owned();
        if e.is_timeout() {
            return SourceError::Timeout {
                url,
                secs: self.settings.timeout.as_secs().max(1),
            };
        }
        let (connect, body) = (
            e.is_connect(),
            e.is_body() || e.is_decode() || e.is_request(),
        );
        let cause = self.cause(&e.without_url());
        if connect {
            SourceError::Connect { url, cause }
        } else if body {
            SourceError::Body { url, cause }
        } else {
            SourceError::Transport { url, cause }
        }
    }

    /// Why the HTTP stack failed, by the type of its innermost known cause:
    /// an OS error by its kind, a refused certificate; else its own words.
    fn cause(&self, e: &(dyn std::error::Error + 'static)) -> NetCause {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        let mut found = None;
        while let Some(c) = cur {
            if let Some(io) = c.downcast_ref::<std::io::Error>() {
                // An io::Error may only wrap the real cause (rustls inside).
                if io.get_ref().is_none() || io.raw_os_error().is_some() {
                    found = Some(NetCause::Os(io.into()));
                }
            } else if let Some(tls) = c.downcast_ref::<rustls::Error>() {
                found = Some(NetCause::Tls(self.scrub(&tls.to_string())));
            }
            cur = c.source();
        }
        found.unwrap_or_else(|| NetCause::Other(self.scrub(&error_chain(e))))
    }
}

/// Bytes of an error body read for its excerpt.
const EXCERPT_READ_BYTES: usize = 4096;
/// Characters of an error body quoted in a message.
const EXCERPT_CHARS: usize = 200;
/// A run this long that begins a credential is blanked wherever it stands.
pub const SECRET_PIECE_CHARS: usize = 6;

/// `text` with every run of at least [`SECRET_PIECE_CHARS`] characters that
/// is the beginning of `secret` replaced by `***`.
fn blank_secret_pieces(text: &str, secret: &str) -> String {
    let min_len = secret
        .char_indices()
        .nth(SECRET_PIECE_CHARS)
        .map_or(secret.len(), |(i, _)| i);
    if min_len == 0 || text.len() < min_len {
        return text.to_owned();
    }
    let (tb, sb) = (text.as_bytes(), secret.as_bytes());
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < tb.len() {
        if text.is_char_boundary(i) {
            let mut n = tb[i..].iter().zip(sb).take_while(|(a, b)| a == b).count();
            while !secret.is_char_boundary(n) {
                n -= 1;
            }
            if n >= min_len {
                out.push_str(&text[copied..i]);
                out.push_str("***");
                i += n;
                copied = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// `text`, which was cut, with its end blanked when that end is the
/// beginning of a credential (however short): the cut may have fallen
/// inside one.
fn blank_cut_secret(text: &str, secrets: &[Secret]) -> String {
    let longest = secrets
        .iter()
        .map(|s| {
            let s = s.expose();
            (1..s.len())
                .rev()
                .find(|&n| s.is_char_boundary(n) && text.ends_with(&s[..n]))
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    if longest == 0 {
        return text.to_owned();
    }
    format!("{}***", &text[..text.len() - longest])
}

/// An error and its causes, "a: b: c".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// Makes ring rustls' process-wide crypto provider. reqwest is built without
/// one of its own (no C toolchain beyond cc needed), so any other
/// `reqwest::Client` in the process must be built after this call.
pub fn install_tls_provider() {
    // A second install returns an error and changes nothing.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// `Retry-After`: delta seconds, or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

/// `base` with a trailing slash, so that `join` appends instead of replacing
/// the last path segment.
pub fn as_dir(base: &Url) -> Url {
    let mut u = base.clone();
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u.set_query(None);
    u.set_fragment(None);
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("tok-12345");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
        let auth = Auth::rt_token(&s);
        assert!(!format!("{auth:?}").contains("tok-12345"));
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn credentials_need_https_or_loopback() {
        let auth = || Auth::rt_token(&Secret::new("abcdefgh"));
        let s = HttpSettings::default();
        let remote = Url::parse("http://rt.example.com/").expect("url");
        assert!(matches!(
            HttpClient::new(&remote, auth(), &s),
            Err(SourceError::PlainHttp { .. })
        ));
        let local = Url::parse("http://127.0.0.1:8080/").expect("url");
        assert!(HttpClient::new(&local, auth(), &s).is_ok());
        let tls = Url::parse("https://rt.example.com/").expect("url");
        assert!(HttpClient::new(&tls, auth(), &s).is_ok());
        // Without credentials plain http is fine (a public feed).
        assert!(HttpClient::new(&remote, Auth::None, &s).is_ok());
    }

    #[test]
    fn insecure_tls_only_for_loopback() {
        let s = HttpSettings {
            tls_insecure_loopback: true,
            ..HttpSettings::default()
        };
        let remote = Url::parse("https://rt.example.com/").expect("url");
        let err = HttpClient::new(&remote, Auth::None, &s).expect_err("refused");
        assert!(err.to_string().contains("loopback"), "{err}");
        for local in [
            "https://127.0.0.1:9/",
            "https://localhost:9/",
            "https://[::1]:9/",
        ] {
            let u = Url::parse(local).expect("url");
            assert!(HttpClient::new(&u, Auth::None, &s).is_ok(), "{local}");
        }
    }

    #[test]
    fn scrub_blanks_header_and_bare_token() {
        let url = Url::parse("http://127.0.0.1/").expect("url");
        let c = HttpClient::new(
            &url,
            Auth::rt_token(&Secret::new("1-31-abcdef")),
            &HttpSettings::default(),
        )
        .expect("client");
        assert_eq!(
            c.scrub("got token 1-31-abcdef and 1-31-abcdef"),
            "got *** and ***"
        );
    }

    #[test]
    fn a_cut_or_a_long_piece_of_a_token_is_blanked() {
        let secrets = [Secret::new("token 1-31-abcdef"), Secret::new("1-31-abcdef")];
        // At a cut, any beginning of any credential, however short.
        assert_eq!(blank_cut_secret("err: 1-3", &secrets), "err: ***");
        assert_eq!(blank_cut_secret("err: tok", &secrets), "err: ***");
        assert_eq!(blank_cut_secret("err: xyz", &secrets), "err: xyz");
        // Anywhere, six characters or more of a bare credential.
        assert_eq!(blank_secret_pieces("a 1-31-a b", "1-31-abcdef"), "a *** b");
        assert_eq!(blank_secret_pieces("a 1-31- b", "1-31-abcdef"), "a 1-31- b");
        assert_eq!(
            blank_secret_pieces("1-31-ab1-31-ab", "1-31-abcdef"),
            "******"
        );
        assert_eq!(
            blank_secret_pieces("密钥1-31-abc", "1-31-abcdef"),
            "密钥***"
        );
    }

    #[test]
    fn as_dir_appends_slash() {
        let u = Url::parse("http://h/rt?x=1").expect("url");
        assert_eq!(as_dir(&u).as_str(), "http://h/rt/");
        assert_eq!(as_dir(&as_dir(&u)).as_str(), "http://h/rt/");
    }
}
