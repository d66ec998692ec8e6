//! Alert webhooks, the sending side: the robot's URL and signing secret read
//! at start ([`Webhook::load`]), the body of each format ([`body`]), and one
//! POST ([`Sender::post`]) that says whether the robot took the message.
//!
//! The shapes (docs/alerts.md):
//! - `wecom` (企业微信 group robot):
//!   `{"msgtype":"markdown","markdown":{"content":"…"}}`; taken when the
//!   answer is `{"errcode":0,…}`.
//! - `dingtalk` (钉钉 robot): `{"msgtype":"markdown","markdown":{"title":"…","text":"…"}}`;
//!   with a signing secret the URL gets `timestamp` (ms) and `sign` =
//!   base64(HMAC-SHA256(secret, "{timestamp}\n{secret}")), URL-encoded, as
//!   DingTalk documents; taken on `{"errcode":0,…}`.
//! - `slack` (incoming webhook; Mattermost and Rocket.Chat take it too):
//!   `{"text":"…"}`; taken on any 2xx.
//! - `json`: the section-10 alert object as is, plus `event` (`fired` or
//!   `cleared`) and `at`; taken on any 2xx.
//!
//! The URL is a credential (a robot key in its query or path): it is held in
//! a [`Secret`], never printed, and blanked out of any text quoted from an
//! error. A webhook is named in logs and messages by its format and host
//! only ([`Webhook::label`]).

use std::fmt;
use std::time::Duration;

use chrono_tz::Tz;
use reqwest::Url;
use serde_json::{Value, json};

use super::http::{NetCause, Secret, SourceError, is_loopback, load_token, parse_retry_after};
use crate::config::{SecretRef, WebhookConfig, WebhookFormat};
use crate::domain::Ts;
pub use crate::domain::alerts::AlertEvent as Event;
use crate::i18n::{Lang, Localize, Msg, t, tf};

/// A webhook ready to post to: its secrets read.
#[derive(Clone)]
pub struct Webhook {
    pub format: WebhookFormat,
    url: Url,
    /// The whole URL as a secret, for blanking it out of error text.
    url_secret: Secret,
    signing: Option<Secret>,
    /// Its outbox rows' name ([`WebhookConfig::target`]).
    pub target: String,
    /// How long a POST may take.
    pub timeout: Duration,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Webhook {
    /// Every `[[alerts.webhook]]` table read, in order; the first that
    /// cannot be read stops it.
    pub fn load_all(cfgs: &[WebhookConfig]) -> Result<Vec<Webhook>, WebhookError> {
        cfgs.iter()
            .enumerate()
            .map(|(i, c)| Webhook::load(c, i))
            .collect()
    }

    /// Reads the URL (and DingTalk's signing secret) of the `index`-th
    /// `[[alerts.webhook]]` table from its variable or file.
    pub fn load(cfg: &WebhookConfig, index: usize) -> Result<Webhook, WebhookError> {
        let key = |field: &str| format!("alerts.webhook[{index}].{field}");
        let read = |field: &str, r: &SecretRef| -> Result<Secret, WebhookError> {
            let found = match r {
                SecretRef::Inline(v) => Ok(Some(Secret::new(v.clone()))),
                SecretRef::Env(name) => load_token(Some(name), None),
                SecretRef::File(path) => load_token(None, Some(path)),
            };
            match found {
                Ok(Some(s)) => Ok(s),
                // `load_token` gives None only without a reference: not here.
                Ok(None) => Err(WebhookError::UrlInvalid { key: key(field) }),
                Err(err) => Err(WebhookError::Secret {
                    key: key(field),
                    err,
                }),
            }
        };
        let url_field = match &cfg.url {
            SecretRef::Inline(_) => "url",
            SecretRef::Env(_) => "url_env",
            SecretRef::File(_) => "url_file",
        };
        let url_secret = read(url_field, &cfg.url)?;
        let url = Url::parse(url_secret.expose().trim()).map_err(|_| WebhookError::UrlInvalid {
            key: key(url_field),
        })?;
        match url.scheme() {
            "https" => {}
            // The URL carries the robot's key: never in clear over a network.
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(WebhookError::PlainHttp {
                    key: key(url_field),
                    host: url.host_str().unwrap_or("").to_owned(),
                });
            }
            _ => {
                return Err(WebhookError::UrlInvalid {
                    key: key(url_field),
                });
            }
        }
        if url.host_str().is_none_or(str::is_empty) || !url.username().is_empty() {
            return Err(WebhookError::UrlInvalid {
                key: key(url_field),
            });
        }
        let signing = match &cfg.secret {
            None => None,
            Some(r) => {
                let field = match r {
                    SecretRef::File(_) => "secret_file",
                    _ => "secret_env",
                };
                Some(read(field, r)?)
            }
        };
        Ok(Webhook {
            format: cfg.format,
            url,
            url_secret,
            signing,
            target: cfg.target(),
            timeout: Duration::from_secs(cfg.timeout_s.max(1)),
        })
    }

    /// A webhook at `url` (tests, and callers that already hold the URL).
    pub fn at(format: WebhookFormat, url: Url, signing: Option<Secret>) -> Webhook {
        Webhook {
            format,
            url_secret: Secret::new(url.as_str()),
            url,
            signing,
            target: "webhook:test".into(),
            timeout: Duration::from_secs(10),
        }
    }

    /// `wecom webhook qyapi.weixin.qq.com`: never the path or the query.
    pub fn label(&self) -> String {
        format!(
            "{} webhook {}",
            self.format.as_str(),
            self.url.host_str().unwrap_or("?")
        )
    }

    /// The URL to post to at `now_ms` (DingTalk's signature is for a moment).
    fn post_url(&self, now_ms: i64) -> Url {
        match (&self.signing, self.format) {
            (Some(secret), WebhookFormat::Dingtalk) => dingtalk_signed(&self.url, secret, now_ms),
            _ => self.url.clone(),
        }
    }

    /// `text` with the URL, its query and the signing secret blanked out.
    fn scrub(&self, text: &str) -> String {
        let mut out = text.replace(self.url_secret.expose(), "***");
        if let Some(q) = self.url.query().filter(|q| q.len() >= 6) {
            out = out.replace(q, "***");
        }
        if self.url.path().len() > 12 {
            out = out.replace(self.url.path(), "/***");
        }
        if let Some(s) = &self.signing
            && !s.expose().is_empty()
        {
            out = out.replace(s.expose(), "***");
        }
        out
    }
}

/// DingTalk's signed URL: `&timestamp=T&sign=S`, S = URL-encoded
/// base64(HMAC-SHA256(key = secret, "T\nsecret")).
pub fn dingtalk_signed(url: &Url, secret: &Secret, now_ms: i64) -> Url {
    use base64::Engine;
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.expose().as_bytes());
    let to_sign = format!("{now_ms}\n{}", secret.expose());
    let tag = ring::hmac::sign(&key, to_sign.as_bytes());
    let sign = base64::engine::general_purpose::STANDARD.encode(tag.as_ref());
    let mut u = url.clone();
    u.query_pairs_mut()
        .append_pair("timestamp", &now_ms.to_string())
        .append_pair("sign", &sign);
    u
}

/// The words of a delivery, in the lead's language.
fn title(lang: Lang, event: Event, severity: &str) -> String {
    let sev = crate::domain::alerts::Severity::from_name(severity)
        .map_or(severity, |s| crate::i18n::alerts::severity(lang, s));
    match event {
        Event::Fired => tf(lang, Msg::WhFired, &[&sev]),
        Event::Cleared => tf(lang, Msg::WhCleared, &[&sev]),
    }
}

/// `HH:MM` of an RFC 3339 time in the floor's zone (the text itself when
/// it does not parse).
fn clock(rfc3339: &str, tz: Tz) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(&tz).format("%H:%M").to_string(),
        Err(_) => rfc3339.to_owned(),
    }
}

/// At most `max` bytes of `s`, cut at a character boundary with `…`.
fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max.saturating_sub(3);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Robot messages are short; the robots refuse long ones (WeCom: 4 096 bytes).
const MAX_MESSAGE_BYTES: usize = 1_500;

/// The body to post for `event` of `alert` (the section-10 object) at `at`,
/// in `format`, its words in `lang`, its times in `tz`.
pub fn body(
    format: WebhookFormat,
    lang: Lang,
    tz: Tz,
    event: Event,
    alert: &Value,
    at: Ts,
) -> Value {
    let s = |k: &str| alert.get(k).and_then(Value::as_str).unwrap_or("");
    // Names in a message come from the data: no control characters.
    let message = clip(&crate::sanitize::sanitize(s("message")), MAX_MESSAGE_BYTES);
    let subject = clip(&crate::sanitize::sanitize(s("subject")), 200);
    let head = title(lang, event, s("severity"));
    let when = match event {
        Event::Fired => tf(lang, Msg::WhSince, &[&clock(s("since"), tz)]),
        Event::Cleared => tf(
            lang,
            Msg::WhClearedAt,
            &[&clock(&at.to_rfc3339(), tz), &clock(s("since"), tz)],
        ),
    };
    let rule = s("rule");
    match format {
        WebhookFormat::Wecom => {
            let color = match (event, s("severity")) {
                (Event::Cleared, _) => "info",
                (_, "critical") => "warning",
                _ => "comment",
            };
            json!({
                "msgtype": "markdown",
                "markdown": {
                    "content": format!(
                        "<font color=\"{color}\">**{head}**</font> {message}\n> {rule} · {subject}\n> {when}"
                    )
                }
            })
        }
        WebhookFormat::Dingtalk => json!({
            "msgtype": "markdown",
            "markdown": {
                "title": clip(&format!("{head} {message}"), 120),
                "text": format!("**{head}** {message}\n\n> {rule} · {subject}\n\n> {when}")
            }
        }),
        WebhookFormat::Slack => json!({
            "text": format!("*{head}* {message}\n{rule} · {subject} · {when}")
        }),
        WebhookFormat::Json => {
            let mut obj = match alert {
                Value::Object(m) => m.clone(),
                _ => serde_json::Map::new(),
            };
            obj.insert("event".into(), Value::from(event.as_str()));
            obj.insert("at".into(), Value::from(at.to_rfc3339()));
            Value::Object(obj)
        }
    }
}

/// Why a webhook could not be set up at start.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookError {
    /// The variable or file of `key` could not give the secret.
    Secret { key: String, err: SourceError },
    /// Not an http(s) URL with a host (not quoted: it holds the key).
    UrlInvalid { key: String },
    /// http:// to a host that is not loopback.
    PlainHttp { key: String, host: String },
}

impl Localize for WebhookError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            WebhookError::Secret { key, err } => format!("{key}: {}", err.localize(lang)),
            WebhookError::UrlInvalid { key } => tf(lang, Msg::WhErrUrlInvalid, &[key]),
            WebhookError::PlainHttp { key, host } => tf(lang, Msg::WhErrPlainHttp, &[key, host]),
        }
    }
}

impl WebhookError {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<WebhookError> {
        let key = "alerts.webhook[0].url_env".to_owned();
        vec![
            WebhookError::Secret {
                key: key.clone(),
                err: SourceError::TokenEnvUnset("SHIFTDECK_WECOM_URL".into()),
            },
            WebhookError::UrlInvalid { key: key.clone() },
            WebhookError::PlainHttp {
                key,
                host: "hooks.example.com".into(),
            },
        ]
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

impl std::error::Error for WebhookError {}

/// Why a POST did not deliver; kept (in the lead's language) on the
/// outbox row, logged in English. Never holds the URL.
#[derive(Debug, Clone, PartialEq)]
pub enum PostFailure {
    /// A status other than 2xx (429 is [`PostFailure::RateLimited`]).
    Status(u16),
    /// 429, or the robot's own "too fast" errcode.
    RateLimited,
    /// The robot answered with an errcode other than 0 (and its errmsg).
    Errcode {
        code: i64,
        msg: String,
    },
    /// 2xx without the robot's `{"errcode": …}`.
    NoErrcode,
    Timeout {
        secs: u64,
    },
    Network(NetCause),
}

impl Localize for PostFailure {
    fn localize(&self, lang: Lang) -> String {
        match self {
            PostFailure::Status(s) => tf(lang, Msg::WhErrStatus, &[s]),
            PostFailure::RateLimited => t(lang, Msg::WhErrRateLimited).to_owned(),
            PostFailure::Errcode { code, msg } => tf(lang, Msg::WhErrErrcode, &[code, msg]),
            PostFailure::NoErrcode => t(lang, Msg::WhErrNoErrcode).to_owned(),
            PostFailure::Timeout { secs } => tf(lang, Msg::WhErrTimeout, &[secs]),
            PostFailure::Network(cause) => tf(lang, Msg::WhErrNetwork, &[&cause.localize(lang)]),
        }
    }
}

impl PostFailure {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<PostFailure> {
        vec![
            PostFailure::Status(502),
            PostFailure::RateLimited,
            PostFailure::Errcode {
                code: 93000,
                msg: "invalid webhook url".into(),
            },
            PostFailure::NoErrcode,
            PostFailure::Timeout { secs: 10 },
            PostFailure::Network(NetCause::Os(crate::i18n::detail::OsError::of_kind(
                std::io::ErrorKind::ConnectionRefused,
            ))),
        ]
    }
}

impl fmt::Display for PostFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localize(Lang::En))
    }
}

/// A failed POST and how long the server asked to wait.
#[derive(Debug, Clone, PartialEq)]
pub struct PostError {
    pub failure: PostFailure,
    pub retry_after: Option<Duration>,
}

/// WeCom's "api freq out of limit" and DingTalk's "send too fast": wait a
/// minute (both robots allow 20 messages a minute).
const ROBOT_RATE_ERRCODES: [i64; 2] = [45009, 130101];

/// Posts webhook bodies: one HTTP client (rustls, no redirects: a robot
/// that redirects is misconfigured, and the key would follow).
#[derive(Clone, Debug)]
pub struct Sender {
    client: reqwest::Client,
}

/// A robot's answer is read up to this size.
const MAX_ANSWER_BYTES: usize = 64 << 10;

impl Sender {
    pub fn new() -> Result<Sender, SourceError> {
        super::http::install_tls_provider();
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("shiftdeck/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SourceError::Client(e.without_url().to_string()))?;
        Ok(Sender { client })
    }

    /// Posts `body` to `hook`. `Ok` only when the robot took it: a 2xx, and
    /// for wecom and dingtalk `errcode` 0 in the answer.
    pub async fn post(&self, hook: &Webhook, body: &Value) -> Result<(), PostError> {
        let fail = |failure| PostError {
            failure,
            retry_after: None,
        };
        let now_ms = chrono::Utc::now().timestamp_millis();
        let resp = self
            .client
            .post(hook.post_url(now_ms))
            .timeout(hook.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).unwrap_or_default())
            .send()
            .await
            .map_err(|e| fail(self.network(hook, e)))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        if status.as_u16() == 429 {
            return Err(PostError {
                failure: PostFailure::RateLimited,
                retry_after,
            });
        }
        if !status.is_success() {
            return Err(PostError {
                failure: PostFailure::Status(status.as_u16()),
                retry_after,
            });
        }
        if !hook.format.has_errcode() {
            return Ok(());
        }
        let mut resp = resp;
        let mut bytes = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| fail(self.network(hook, e)))?
        {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_ANSWER_BYTES {
                break;
            }
        }
        let answer: Option<Value> = serde_json::from_slice(&bytes).ok();
        match answer.as_ref().and_then(|v| v.get("errcode")?.as_i64()) {
            Some(0) => Ok(()),
            Some(code) if ROBOT_RATE_ERRCODES.contains(&code) => Err(PostError {
                failure: PostFailure::RateLimited,
                retry_after: Some(retry_after.unwrap_or(Duration::from_secs(60))),
            }),
            Some(code) => {
                let msg = answer
                    .as_ref()
                    .and_then(|v| v.get("errmsg")?.as_str())
                    .unwrap_or("");
                let msg = clip(&crate::sanitize::sanitize(&hook.scrub(msg)), 200);
                Err(fail(PostFailure::Errcode { code, msg }))
            }
            None => Err(fail(PostFailure::NoErrcode)),
        }
    }

    fn network(&self, hook: &Webhook, e: reqwest::Error) -> PostFailure {
        if e.is_timeout() {
            return PostFailure::Timeout {
                secs: hook.timeout.as_secs().max(1),
            };
        }
        let e = e.without_url();
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(c) = cur {
            if let Some(io) = c.downcast_ref::<std::io::Error>()
                && io.raw_os_error().is_some()
            {
                return PostFailure::Network(NetCause::Os(io.into()));
            }
            cur = c.source();
        }
        PostFailure::Network(NetCause::Other(hook.scrub(&e.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert() -> Value {
        json!({
            "id": "queue_longest_wait:hotline",
            "rule": "queue_longest_wait",
            "subject": "hotline",
            "severity": "critical",
            "since": "2026-12-04T02:42:00Z",
            "message": "Hotline: longest wait 4 min 10 s (limit 3 min)"
        })
    }

    fn at() -> Ts {
        crate::domain::time::parse_rfc3339("2026-12-04T03:05:00Z").expect("ts")
    }

    #[test]
    fn each_format_has_its_documented_shape() {
        let tz: Tz = "Asia/Shanghai".parse().expect("tz");
        let a = alert();
        let w = body(WebhookFormat::Wecom, Lang::En, tz, Event::Fired, &a, at());
        assert_eq!(w["msgtype"], "markdown");
        assert_eq!(
            w["markdown"]["content"],
            "<font color=\"warning\">**ALERT · critical**</font> Hotline: longest wait 4 min 10 s (limit 3 min)\n> queue_longest_wait · hotline\n> since 10:42"
        );
        let d = body(
            WebhookFormat::Dingtalk,
            Lang::Zh,
            tz,
            Event::Cleared,
            &a,
            at(),
        );
        assert_eq!(d["msgtype"], "markdown");
        assert_eq!(
            d["markdown"]["text"],
            "**已恢复 · 严重** Hotline: longest wait 4 min 10 s (limit 3 min)\n\n> queue_longest_wait · hotline\n\n> 11:05 恢复（始于 10:42）"
        );
        assert!(
            d["markdown"]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("已恢复"))
        );
        let s = body(WebhookFormat::Slack, Lang::En, tz, Event::Fired, &a, at());
        assert_eq!(
            s,
            json!({"text": "*ALERT · critical* Hotline: longest wait 4 min 10 s (limit 3 min)\nqueue_longest_wait · hotline · since 10:42"})
        );
        let j = body(WebhookFormat::Json, Lang::En, tz, Event::Cleared, &a, at());
        let mut want = a.clone();
        want["event"] = json!("cleared");
        want["at"] = json!("2026-12-04T03:05:00Z");
        assert_eq!(j, want);
    }

    #[test]
    fn dingtalk_signature_is_the_documented_hmac() {
        // HMAC-SHA256(key "SEC123", "1700000000000\nSEC123"), base64; checked
        // against `printf '1700000000000\nSEC123' | openssl dgst -sha256 -hmac SEC123 -binary | base64`.
        let url = Url::parse("https://oapi.dingtalk.com/robot/send?access_token=abc").expect("url");
        let signed = dingtalk_signed(&url, &Secret::new("SEC123"), 1_700_000_000_000);
        let pairs: Vec<(String, String)> = signed.query_pairs().into_owned().collect();
        assert_eq!(pairs[0], ("access_token".into(), "abc".into()));
        assert_eq!(pairs[1], ("timestamp".into(), "1700000000000".into()));
        assert_eq!(pairs[2].0, "sign");
        assert_eq!(pairs[2].1, EXPECTED_SIGN);
        // URL-encoded in the query: base64's + / = never appear raw.
        let q = signed.query().unwrap_or("");
        let raw_sign = q.rsplit("sign=").next().unwrap_or("");
        assert!(!raw_sign.contains(['+', '/', '=']), "{q}");
    }

    const EXPECTED_SIGN: &str = "lkcPI1uoxBY1gUnCnnPH1Kkru0Hqjo7rFpA3haIVhEQ=";

    #[test]
    fn a_label_and_a_target_never_show_the_url() {
        let url = Url::parse("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123456789")
            .expect("url");
        let h = Webhook::at(WebhookFormat::Wecom, url.clone(), None);
        assert_eq!(h.label(), "wecom webhook qyapi.weixin.qq.com");
        assert!(!format!("{h:?}").contains("k-123456789"));
        let text = "error sending request for url (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123456789)";
        assert!(!h.scrub(text).contains("k-123456789"), "{}", h.scrub(text));
    }
}
