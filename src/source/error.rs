//! Why a source failed, as typed values that say themselves in the lead's
//! language ([`Localize`]); `Display` is the English, for the log. Every
//! message is safe to show and log: it names the request (no credentials
//! are ever part of a URL) and never holds a token.
//!
//! The HTTP stack's and the OS's failures are kept by kind (an
//! [`OsError`], an HTTP status, a JSON category); what a server or another
//! crate says in its own words is only quoted as a detail.

use std::path::PathBuf;
use std::time::Duration;

use super::regular::FileKind;
use crate::english_display;
use crate::i18n::detail::{JsonError, OsError};
use crate::i18n::{Lang, Localize, Msg, t, tf};

/// The connector a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Feed,
    Rt,
    Zendesk,
}

impl Service {
    fn name(self) -> &'static str {
        match self {
            Service::Feed => "feed",
            Service::Rt => "RT",
            Service::Zendesk => "Zendesk",
        }
    }
}

/// Why a poll, a request or a source's setup failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SourceError {
    Timeout {
        url: String,
        secs: u64,
    },
    Connect {
        url: String,
        cause: NetCause,
    },
    Auth {
        url: String,
        status: u16,
    },
    RateLimited {
        url: String,
        retry_after: Option<Duration>,
    },
    /// Any other non-success status; `detail` is the server's own words
    /// (credentials blanked), possibly empty.
    Status {
        url: String,
        status: u16,
        detail: String,
    },
    TooLarge {
        url: String,
        limit_mb: u64,
    },
    ContentType {
        url: String,
        content_type: String,
        page: PageKind,
    },
    /// The connection broke while the answer was read.
    Body {
        url: String,
        cause: NetCause,
    },
    /// Some other failure of the HTTP stack.
    Transport {
        url: String,
        cause: NetCause,
    },
    /// The answer is not JSON.
    Json {
        url: String,
        err: JsonError,
    },
    /// The answer is JSON but lacks the list it must hold.
    NoList {
        url: String,
        list: &'static str,
    },
    /// `to` is the other origin (`scheme://host:port`); `changed` what differs.
    Redirect {
        url: String,
        to: String,
        changed: Box<OriginChange>,
    },
    TooManyPages {
        url: String,
        pages: u32,
    },
    /// A request to another origin than the configured one.
    OtherHost {
        url: String,
        host: String,
    },
    TokenEnvEmpty(String),
    TokenEnvUnset(String),
    TokenFileUnreadable {
        path: PathBuf,
        err: OsError,
    },
    TokenFileEmpty(PathBuf),
    /// A device, a FIFO or a folder given as the token file: refused
    /// before it is opened.
    TokenFileNotRegular(PathBuf),
    /// Larger than `max_kb` KB: refused without being read whole.
    TokenFileTooLarge {
        path: PathBuf,
        max_kb: u64,
    },
    TokenFileNotText(PathBuf),
    /// The token cannot be sent as a header value.
    TokenNotHeader,
    PlainHttp {
        host: String,
    },
    Scheme(String),
    TlsNotLoopback(String),
    /// The HTTP client could not be built (reqwest's words).
    Client(String),
    /// A request body could not be encoded.
    Encode(JsonError),
    /// A URL made from the base does not parse.
    Url {
        service: Service,
        err: UrlProblem,
    },
    NeedsToken(Service),
    ZendeskNeedsEmail,
    /// A `--crm` (or `[source] crm`) value that cannot be used.
    Crm {
        text: String,
        why: CrmProblem,
    },
    WriteBackNotTicket(String),
    WriteBackNeedsToken,
    /// A followed file could not be read.
    File {
        path: PathBuf,
        err: OsError,
    },
    /// A FIFO, a device or a folder given as a data file.
    FileNotRegular {
        path: PathBuf,
        kind: FileKind,
    },
    Thread(OsError),
}

/// What an HTML answer looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    NotHtml,
    /// A login page: the token was not accepted, or a proxy wants a login.
    Login,
    Html,
}

/// Why a connection failed or broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetCause {
    Os(OsError),
    /// The secure connection failed, a refused certificate most often
    /// (rustls's words).
    Tls(String),
    /// The HTTP stack's own words.
    Other(String),
}

/// A URL that does not parse, by the url crate's kind of failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    EmptyHost,
    InvalidPort,
    InvalidHost,
    RelativeWithoutBase,
    Other(String),
}

impl From<url::ParseError> for UrlProblem {
    fn from(e: url::ParseError) -> UrlProblem {
        use url::ParseError as P;
        match e {
            P::EmptyHost => UrlProblem::EmptyHost,
            P::InvalidPort => UrlProblem::InvalidPort,
            P::InvalidIpv4Address | P::InvalidIpv6Address | P::IdnaError => UrlProblem::InvalidHost,
            P::RelativeUrlWithoutBase => UrlProblem::RelativeWithoutBase,
            other => UrlProblem::Other(other.to_string()),
        }
    }
}

/// What a redirect changes of the configured origin, the most telling
/// part: the host, else the scheme, else the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginChange {
    Host {
        from: String,
        to: String,
    },
    Scheme {
        from: String,
        to: String,
    },
    Port {
        from: Option<u16>,
        to: Option<u16>,
    },
    /// The `Location` could not be read (`to` is then `?`).
    Unknown,
}

impl Localize for OriginChange {
    fn localize(&self, lang: Lang) -> String {
        let port = |p: &Option<u16>| p.map_or_else(|| "?".to_owned(), |p| p.to_string());
        match self {
            OriginChange::Host { from, to } => tf(lang, Msg::SrcRedirectHost, &[from, to]),
            OriginChange::Scheme { from, to } => tf(lang, Msg::SrcRedirectScheme, &[from, to]),
            OriginChange::Port { from, to } => {
                tf(lang, Msg::SrcRedirectPort, &[&port(from), &port(to)])
            }
            OriginChange::Unknown => t(lang, Msg::SrcRedirectUnknown).to_owned(),
        }
    }
}

/// What is wrong with a `--crm` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrmProblem {
    Url(UrlProblem),
    Credentials,
    NotLocalPath,
    NotHttp,
    UnknownKind(String),
    DaysNotNumber(String),
    SlSecondsNotNumber(String),
    PerPage { max: u32, got: String },
    UnknownRtOption(String),
    UnknownZendeskOption(String),
}

impl SourceError {
    /// The wait the server asked for (429 Retry-After), if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SourceError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub fn url(service: Service, e: url::ParseError) -> SourceError {
        SourceError::Url {
            service,
            err: e.into(),
        }
    }
}

/// The words for a status the lead may meet, by its code.
pub fn status_msg(status: u16) -> Msg {
    match status {
        400 => Msg::HttpBadRequest,
        401 => Msg::HttpUnauthorized,
        403 => Msg::HttpForbidden,
        404 => Msg::HttpNotFound,
        405 => Msg::HttpMethodNotAllowed,
        408 => Msg::HttpRequestTimeout,
        409 => Msg::HttpConflict,
        410 => Msg::HttpGone,
        413 => Msg::HttpTooLarge,
        422 => Msg::HttpUnprocessable,
        429 => Msg::HttpTooManyRequests,
        500 => Msg::HttpServerError,
        502 => Msg::HttpBadGateway,
        503 => Msg::HttpUnavailable,
        504 => Msg::HttpGatewayTimeout,
        s if (300..400).contains(&s) => Msg::HttpRedirection,
        s if (400..500).contains(&s) => Msg::HttpClientError,
        s if (500..600).contains(&s) => Msg::HttpServerSide,
        _ => Msg::HttpUnexpected,
    }
}

impl Localize for NetCause {
    fn localize(&self, lang: Lang) -> String {
        match self {
            NetCause::Os(e) => e.localize(lang),
            NetCause::Tls(d) => tf(lang, Msg::NetTls, &[d]),
            NetCause::Other(d) => tf(lang, Msg::NetOther, &[d]),
        }
    }
}

impl Localize for UrlProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            UrlProblem::EmptyHost => t(lang, Msg::UrlEmptyHost).to_owned(),
            UrlProblem::InvalidPort => t(lang, Msg::UrlInvalidPort).to_owned(),
            UrlProblem::InvalidHost => t(lang, Msg::UrlInvalidHost).to_owned(),
            UrlProblem::RelativeWithoutBase => t(lang, Msg::UrlRelative).to_owned(),
            UrlProblem::Other(d) => tf(lang, Msg::UrlOther, &[d]),
        }
    }
}

impl Localize for CrmProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            CrmProblem::Url(u) => u.localize(lang),
            CrmProblem::Credentials => t(lang, Msg::CrmCredentials).to_owned(),
            CrmProblem::NotLocalPath => t(lang, Msg::CrmNotLocalPath).to_owned(),
            CrmProblem::NotHttp => t(lang, Msg::CrmNotHttp).to_owned(),
            CrmProblem::UnknownKind(k) => tf(lang, Msg::CrmUnknownKind, &[k]),
            CrmProblem::DaysNotNumber(v) => tf(lang, Msg::CrmDays, &[v]),
            CrmProblem::SlSecondsNotNumber(v) => tf(lang, Msg::CrmSlSeconds, &[v]),
            CrmProblem::PerPage { max, got } => tf(lang, Msg::CrmPerPage, &[max, got]),
            CrmProblem::UnknownRtOption(o) => tf(lang, Msg::CrmRtOption, &[o]),
            CrmProblem::UnknownZendeskOption(o) => tf(lang, Msg::CrmZendeskOption, &[o]),
        }
    }
}

impl Localize for SourceError {
    fn localize(&self, lang: Lang) -> String {
        use SourceError as E;
        match self {
            E::Timeout { url, .. }
            | E::Connect { url, .. }
            | E::Auth { url, .. }
            | E::RateLimited { url, .. }
            | E::Status { url, .. }
            | E::TooLarge { url, .. }
            | E::ContentType { url, .. }
            | E::Body { url, .. }
            | E::Transport { url, .. }
            | E::Json { url, .. }
            | E::NoList { url, .. }
            | E::Redirect { url, .. }
            | E::TooManyPages { url, .. } => {
                tf(lang, Msg::AtPlace, &[url, &self.request_words(lang)])
            }
            E::OtherHost { url, host } => tf(lang, Msg::SrcOtherHost, &[url, host]),
            E::TokenEnvEmpty(name) => tf(lang, Msg::SrcTokenEnvEmpty, &[name]),
            E::TokenEnvUnset(name) => tf(lang, Msg::SrcTokenEnvUnset, &[name]),
            E::TokenFileUnreadable { path, err } => tf(
                lang,
                Msg::SrcTokenFileUnreadable,
                &[&path.display(), &err.localize(lang)],
            ),
            E::TokenFileEmpty(path) => tf(lang, Msg::SrcTokenFileEmpty, &[&path.display()]),
            E::TokenFileNotRegular(path) => {
                tf(lang, Msg::ErrTokenFileNotRegular, &[&path.display()])
            }
            E::TokenFileTooLarge { path, max_kb } => {
                tf(lang, Msg::ErrTokenFileTooLarge, &[&path.display(), max_kb])
            }
            E::TokenFileNotText(path) => tf(lang, Msg::ErrTokenFileNotText, &[&path.display()]),
            E::TokenNotHeader => t(lang, Msg::SrcTokenNotHeader).to_owned(),
            E::PlainHttp { host } => tf(lang, Msg::SrcPlainHttp, &[host]),
            E::Scheme(s) => tf(lang, Msg::SrcScheme, &[s]),
            E::TlsNotLoopback(host) => tf(lang, Msg::SrcTlsNotLoopback, &[host]),
            E::Client(d) => tf(lang, Msg::SrcClient, &[d]),
            E::Encode(e) => tf(lang, Msg::SrcEncode, &[&e.localize(lang)]),
            E::Url { service, err } => {
                tf(lang, Msg::SrcUrl, &[&service.name(), &err.localize(lang)])
            }
            E::NeedsToken(Service::Zendesk) => t(lang, Msg::SrcZendeskNeedsToken).to_owned(),
            E::NeedsToken(Service::Rt | Service::Feed) => t(lang, Msg::SrcRtNeedsToken).to_owned(),
            E::ZendeskNeedsEmail => t(lang, Msg::SrcZendeskNeedsEmail).to_owned(),
            E::Crm { text, why } => tf(lang, Msg::SrcCrm, &[text, &why.localize(lang)]),
            E::WriteBackNotTicket(id) => tf(lang, Msg::SrcWriteBackNotTicket, &[id]),
            E::WriteBackNeedsToken => t(lang, Msg::SrcWriteBackNeedsToken).to_owned(),
            E::File { path, err } => {
                tf(lang, Msg::AtPlace, &[&path.display(), &err.localize(lang)])
            }
            E::FileNotRegular { path, kind } => tf(lang, kind.refusal(), &[&path.display()]),
            E::Thread(err) => tf(lang, Msg::SrcThread, &[&err.localize(lang)]),
        }
    }
}

impl SourceError {
    /// The URL of the request this error is about, if it is about one.
    pub fn request_url(&self) -> Option<&str> {
        use SourceError as E;
        match self {
            E::Timeout { url, .. }
            | E::Connect { url, .. }
            | E::Auth { url, .. }
            | E::RateLimited { url, .. }
            | E::Status { url, .. }
            | E::TooLarge { url, .. }
            | E::ContentType { url, .. }
            | E::Body { url, .. }
            | E::Transport { url, .. }
            | E::Json { url, .. }
            | E::NoList { url, .. }
            | E::Redirect { url, .. }
            | E::TooManyPages { url, .. } => Some(url),
            _ => None,
        }
    }

    /// What went wrong with a request, without its URL (the header is
    /// narrow); the whole message for other errors.
    pub fn without_url(&self, lang: Lang) -> String {
        match self.request_url() {
            Some(_) => self.request_words(lang),
            None => self.localize(lang),
        }
    }

    fn request_words(&self, lang: Lang) -> String {
        use SourceError as E;
        match self {
            E::Timeout { secs, .. } => tf(lang, Msg::SrcTimeout, &[secs]),
            E::Connect { cause, .. } => tf(lang, Msg::SrcConnect, &[&cause.localize(lang)]),
            E::Auth { status, .. } => tf(lang, Msg::SrcAuth, &[status]),
            E::RateLimited {
                retry_after: Some(d),
                ..
            } => tf(lang, Msg::SrcRateLimitedRetry, &[&d.as_secs()]),
            E::RateLimited {
                retry_after: None, ..
            } => t(lang, Msg::SrcRateLimited).to_owned(),
            E::Status { status, detail, .. } => {
                let words = t(lang, status_msg(*status));
                if detail.is_empty() {
                    tf(lang, Msg::SrcStatus, &[status, &words])
                } else {
                    tf(lang, Msg::SrcStatusSays, &[status, &words, detail])
                }
            }
            E::TooLarge { limit_mb, .. } => tf(lang, Msg::SrcTooLarge, &[limit_mb]),
            E::ContentType {
                content_type, page, ..
            } => {
                let m = match page {
                    PageKind::NotHtml => Msg::SrcContentType,
                    PageKind::Login => Msg::SrcContentTypeLogin,
                    PageKind::Html => Msg::SrcContentTypeHtml,
                };
                tf(lang, m, &[content_type])
            }
            E::Body { cause, .. } => tf(lang, Msg::SrcBody, &[&cause.localize(lang)]),
            E::Transport { cause, .. } => cause.localize(lang),
            E::Json { err, .. } => tf(lang, Msg::SrcJson, &[&err.localize(lang)]),
            E::NoList { list, .. } => tf(lang, Msg::SrcNoList, &[list]),
            E::Redirect { to, changed, .. } => {
                tf(lang, Msg::SrcRedirect, &[to, &changed.localize(lang)])
            }
            E::TooManyPages { pages, .. } => tf(lang, Msg::SrcTooManyPages, &[pages]),
            _ => self.localize(lang),
        }
    }

    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<SourceError> {
        use std::io::ErrorKind;
        let url = "https://rt.example.com/REST/2.0/tickets".to_string();
        let json = serde_json::from_str::<serde_json::Value>("{\"a\":").expect_err("eof");
        vec![
            SourceError::Timeout {
                url: url.clone(),
                secs: 10,
            },
            SourceError::Connect {
                url: url.clone(),
                cause: NetCause::Os(OsError::new(&std::io::Error::from_raw_os_error(111))),
            },
            SourceError::Connect {
                url: url.clone(),
                cause: NetCause::Tls("invalid peer certificate: UnknownIssuer".into()),
            },
            SourceError::Connect {
                url: url.clone(),
                cause: NetCause::Other("dns error".into()),
            },
            SourceError::Auth {
                url: url.clone(),
                status: 401,
            },
            SourceError::RateLimited {
                url: url.clone(),
                retry_after: Some(Duration::from_secs(30)),
            },
            SourceError::RateLimited {
                url: url.clone(),
                retry_after: None,
            },
            SourceError::Status {
                url: url.clone(),
                status: 503,
                detail: "Service Unavailable".into(),
            },
            SourceError::Status {
                url: url.clone(),
                status: 418,
                detail: String::new(),
            },
            SourceError::TooLarge {
                url: url.clone(),
                limit_mb: 64,
            },
            SourceError::ContentType {
                url: url.clone(),
                content_type: "text/html".into(),
                page: PageKind::Login,
            },
            SourceError::ContentType {
                url: url.clone(),
                content_type: "text/html".into(),
                page: PageKind::Html,
            },
            SourceError::ContentType {
                url: url.clone(),
                content_type: "text/plain".into(),
                page: PageKind::NotHtml,
            },
            SourceError::Body {
                url: url.clone(),
                cause: NetCause::Os(OsError::of_kind(ErrorKind::ConnectionReset)),
            },
            SourceError::Transport {
                url: url.clone(),
                cause: NetCause::Other("builder error".into()),
            },
            SourceError::Json {
                url: url.clone(),
                err: JsonError::new(&json),
            },
            SourceError::Json {
                url: url.clone(),
                err: JsonError::new(
                    &serde_json::from_str::<serde_json::Value>("{\n x}").expect_err("syntax"),
                ),
            },
            SourceError::Json {
                url: url.clone(),
                err: JsonError::new(&serde_json::from_str::<Vec<u8>>("{}").expect_err("data")),
            },
            SourceError::NoList {
                url: url.clone(),
                list: "items",
            },
            SourceError::Redirect {
                url: url.clone(),
                to: "https://login.example.com:443".into(),
                changed: Box::new(OriginChange::Host {
                    from: "rt.example.com".into(),
                    to: "login.example.com".into(),
                }),
            },
            SourceError::Redirect {
                url: url.clone(),
                to: "http://127.0.0.1:9090".into(),
                changed: Box::new(OriginChange::Port {
                    from: Some(8080),
                    to: Some(9090),
                }),
            },
            SourceError::Redirect {
                url: url.clone(),
                to: "http://127.0.0.1".into(),
                changed: Box::new(OriginChange::Scheme {
                    from: "https".into(),
                    to: "http".into(),
                }),
            },
            SourceError::Redirect {
                url: url.clone(),
                to: "?".into(),
                changed: Box::new(OriginChange::Unknown),
            },
            SourceError::TooManyPages {
                url: url.clone(),
                pages: 1000,
            },
            SourceError::OtherHost {
                url: "https://evil.example.com/x".into(),
                host: "rt.example.com".into(),
            },
            SourceError::TokenEnvEmpty("SHIFTDECK_TOKEN".into()),
            SourceError::TokenEnvUnset("SHIFTDECK_TOKEN".into()),
            SourceError::TokenFileUnreadable {
                path: "/etc/shiftdeck/token".into(),
                err: OsError::new(&std::io::Error::from_raw_os_error(13)),
            },
            SourceError::TokenFileEmpty("/etc/shiftdeck/token".into()),
            SourceError::TokenFileNotRegular("/dev/zero".into()),
            SourceError::TokenFileTooLarge {
                path: "/etc/shiftdeck/token".into(),
                max_kb: 16,
            },
            SourceError::TokenFileNotText("/etc/shiftdeck/token".into()),
            SourceError::TokenNotHeader,
            SourceError::PlainHttp {
                host: "crm.example.com".into(),
            },
            SourceError::Scheme("ftp".into()),
            SourceError::TlsNotLoopback("crm.example.com".into()),
            SourceError::Client("no TLS backend".into()),
            SourceError::Encode(JsonError::new(&json)),
            SourceError::Url {
                service: Service::Rt,
                err: UrlProblem::EmptyHost,
            },
            SourceError::Url {
                service: Service::Zendesk,
                err: UrlProblem::InvalidPort,
            },
            SourceError::Url {
                service: Service::Feed,
                err: UrlProblem::InvalidHost,
            },
            SourceError::Url {
                service: Service::Feed,
                err: UrlProblem::RelativeWithoutBase,
            },
            SourceError::Url {
                service: Service::Feed,
                err: UrlProblem::Other("invalid domain character".into()),
            },
            SourceError::NeedsToken(Service::Rt),
            SourceError::NeedsToken(Service::Zendesk),
            SourceError::ZendeskNeedsEmail,
            SourceError::WriteBackNotTicket("abc".into()),
            SourceError::WriteBackNeedsToken,
            SourceError::File {
                path: "/srv/floor.ndjson".into(),
                err: OsError::of_kind(ErrorKind::NotFound),
            },
            SourceError::Thread(OsError::of_kind(ErrorKind::OutOfMemory)),
        ]
        .into_iter()
        .chain(
            [
                400, 401, 403, 404, 405, 408, 409, 410, 413, 422, 429, 500, 502, 503, 504, 302,
                507, 600,
            ]
            .map(|status| SourceError::Status {
                url: url.clone(),
                status,
                detail: String::new(),
            }),
        )
        .chain(
            [
                ("/tmp/floor.fifo", FileKind::Fifo),
                ("/dev/zero", FileKind::CharDevice),
                ("/srv/data", FileKind::Directory),
                ("/run/feed.sock", FileKind::Socket),
                ("/srv/odd", FileKind::Other),
            ]
            .map(|(path, kind)| SourceError::FileNotRegular {
                path: path.into(),
                kind,
            }),
        )
        .chain(
            CrmProblem::examples()
                .into_iter()
                .map(|why| SourceError::Crm {
                    text: "rt+https://rt.example.com?x=1".into(),
                    why,
                }),
        )
        .collect()
    }
}

impl CrmProblem {
    fn examples() -> Vec<CrmProblem> {
        vec![
            CrmProblem::Url(UrlProblem::EmptyHost),
            CrmProblem::Credentials,
            CrmProblem::NotLocalPath,
            CrmProblem::NotHttp,
            CrmProblem::UnknownKind("gopher".into()),
            CrmProblem::DaysNotNumber("many".into()),
            CrmProblem::SlSecondsNotNumber("-1".into()),
            CrmProblem::PerPage {
                max: 100,
                got: "0".into(),
            },
            CrmProblem::UnknownRtOption("colour".into()),
            CrmProblem::UnknownZendeskOption("colour".into()),
        ]
    }
}

english_display!(SourceError, NetCause, UrlProblem, CrmProblem);
