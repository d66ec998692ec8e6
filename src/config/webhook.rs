//! `[[alerts.webhook]]`: where alerts are posted (docs/alerts.md).
//!
//! ```toml
//! [[alerts.webhook]]
//! format = "wecom"                  # wecom | dingtalk | slack | json
//! url_env = "SHIFTDECK_WECOM_URL"   # or url_file = "…"; url = "…" only when it holds no secret
//!
//! [[alerts.webhook]]
//! format = "dingtalk"
//! url_file = "~/.config/shiftdeck/dingtalk-url"
//! secret_env = "SHIFTDECK_DINGTALK_SECRET"   # the robot's signing secret ("加签"), optional
//! ```
//!
//! A robot's URL is its credential (WeCom's `key=`, DingTalk's
//! `access_token=`, Slack's whole path), so the URL comes from an
//! environment variable or a file, as the CRM token does: the config holds
//! only the variable's NAME or the file's PATH, and that is all `config
//! show` prints. `url` in the file itself is accepted only where it cannot
//! be a secret (a `json` receiver whose URL carries no key); a URL with a
//! secret-looking query, or any `slack` URL, is refused there.

use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

/// The body a webhook is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WebhookFormat {
    /// 企业微信 group robot: `{"msgtype":"markdown","markdown":{"content":…}}`.
    Wecom,
    /// 钉钉 robot: `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`,
    /// signed when a secret is given.
    Dingtalk,
    /// Slack incoming webhook `{"text":…}` (also Mattermost, Rocket.Chat).
    Slack,
    /// The section-10 alert object as is, with `event` and `at`.
    Json,
}

impl WebhookFormat {
    pub const ALL: [WebhookFormat; 4] = [
        WebhookFormat::Wecom,
        WebhookFormat::Dingtalk,
        WebhookFormat::Slack,
        WebhookFormat::Json,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Wecom => "wecom",
            WebhookFormat::Dingtalk => "dingtalk",
            WebhookFormat::Slack => "slack",
            WebhookFormat::Json => "json",
        }
    }

    /// The robot answers `200` with `{"errcode": 0}` when it took the
    /// message, and `200` with another errcode when it did not.
    pub fn has_errcode(self) -> bool {
        matches!(self, WebhookFormat::Wecom | WebhookFormat::Dingtalk)
    }
}

/// Where a secret (a URL, a signing secret) is read from at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretRef {
    /// Written in the config itself (only a URL that holds no secret).
    Inline(String),
    /// The NAME of an environment variable.
    Env(String),
    /// The PATH of a file (first line).
    File(PathBuf),
}

/// One `[[alerts.webhook]]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookConfig {
    pub format: WebhookFormat,
    pub url: SecretRef,
    /// DingTalk's signing secret; never [`SecretRef::Inline`].
    pub secret: Option<SecretRef>,
    /// Seconds a POST may take, connect to answer.
    pub timeout_s: u64,
}

/// `timeout_s` when not given.
pub const DEFAULT_WEBHOOK_TIMEOUT_S: u64 = 10;

impl WebhookConfig {
    /// The name of this webhook's outbox rows: `webhook:<12 hex>`, the first
    /// 48 bits of SHA-256 of its format and its URL's reference (the
    /// variable's name, the file's path, or the URL itself when written in
    /// the config). The same in every process that reads the same config,
    /// without reading the secret, and saying nothing of it.
    pub fn target(&self) -> String {
        let reference = match &self.url {
            SecretRef::Inline(u) => format!("url={u}"),
            SecretRef::Env(n) => format!("env={n}"),
            SecretRef::File(p) => format!("file={}", p.display()),
        };
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(self.format.as_str().as_bytes());
        ctx.update(b"\n");
        ctx.update(reference.as_bytes());
        let d = ctx.finish();
        let hex: String = d.as_ref()[..6].iter().map(|b| format!("{b:02x}")).collect();
        format!("webhook:{hex}")
    }
}

/// The schema of one `[[alerts.webhook]]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWebhook {
    pub(super) format: Option<Spanned<String>>,
    pub(super) url: Option<Spanned<String>>,
    pub(super) url_env: Option<Spanned<String>>,
    pub(super) url_file: Option<Spanned<String>>,
    pub(super) secret_env: Option<Spanned<String>>,
    pub(super) secret_file: Option<Spanned<String>>,
    pub(super) timeout_s: Option<Spanned<i128>>,
}

/// The `[[alerts.webhook]]` tables for `config show`: references only (a
/// variable's name, a file's path, a URL without a secret).
pub(super) fn dump(out: &mut dyn FnMut(String), hooks: &[WebhookConfig]) {
    fn quote(s: &str) -> String {
        toml::Value::String(s.to_string()).to_string()
    }
    let reference = |prefix: &str, r: &SecretRef| match r {
        SecretRef::Inline(u) => format!("{prefix} = {}", quote(u)),
        SecretRef::Env(n) => format!("{prefix}_env = {}", quote(n)),
        SecretRef::File(p) => format!("{prefix}_file = {}", quote(&p.to_string_lossy())),
    };
    for h in hooks {
        out(String::new());
        out("[[alerts.webhook]]".into());
        out(format!("format = {}", quote(h.format.as_str())));
        out(reference("url", &h.url));
        if let Some(s) = &h.secret {
            out(reference("secret", s));
        }
        out(format!("timeout_s = {}", h.timeout_s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigError, Loaded, Problem, parse_with_extra};
    use std::path::Path;

    const FILE: &str = "/etc/shiftdeck/shiftdeck.toml";

    fn hooks(text: &str) -> Vec<WebhookConfig> {
        match parse_with_extra(text, Path::new(FILE)) {
            Ok((_, x)) => x.alerts.webhooks,
            Err(e) => panic!("{e}"),
        }
    }

    fn err(text: &str) -> ConfigError {
        match parse_with_extra(text, Path::new(FILE)) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn each_format_reads_its_references() {
        let got = hooks(
            "[[alerts.webhook]]\nformat = \"wecom\"\nurl_env = \"WECOM_URL\"\n\
             [[alerts.webhook]]\nformat = \"dingtalk\"\nurl_file = \"ding-url\"\nsecret_env = \"DING_SECRET\"\n\
             [[alerts.webhook]]\nformat = \"slack\"\nurl_file = \"/run/slack\"\n\
             [[alerts.webhook]]\nformat = \"json\"\nurl = \"http://127.0.0.1:9000/alerts\"\n",
        );
        assert_eq!(
            got,
            vec![
                WebhookConfig {
                    format: WebhookFormat::Wecom,
                    url: SecretRef::Env("WECOM_URL".into()),
                    secret: None,
                    timeout_s: 10,
                },
                WebhookConfig {
                    format: WebhookFormat::Dingtalk,
                    // Relative to the config file's folder.
                    url: SecretRef::File(PathBuf::from("/etc/shiftdeck/ding-url")),
                    secret: Some(SecretRef::Env("DING_SECRET".into())),
                    timeout_s: 10,
                },
                WebhookConfig {
                    format: WebhookFormat::Slack,
                    url: SecretRef::File(PathBuf::from("/run/slack")),
                    secret: None,
                    timeout_s: 10,
                },
                WebhookConfig {
                    format: WebhookFormat::Json,
                    url: SecretRef::Inline("http://127.0.0.1:9000/alerts".into()),
                    secret: None,
                    timeout_s: 10,
                },
            ]
        );
        assert!(hooks("").is_empty());
        let t = hooks("[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"U\"\ntimeout_s = 3\n");
        assert_eq!(t[0].timeout_s, 3);
        // The target follows the format and the reference, not the order.
        let ab = hooks(
            "[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"A\"\n[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"B\"\n",
        );
        let ba = hooks(
            "[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"B\"\n[[alerts.webhook]]\nformat = \"slack\"\nurl_env = \"A\"\n",
        );
        assert_eq!(ab[1].target(), ba[0].target());
        assert_ne!(ab[0].target(), ab[1].target());
        assert_ne!(ab[0].target(), ba[1].target());
        assert!(got.iter().all(|h| h.target().len() == 20));
    }

    #[test]
    fn bad_tables_name_their_key_and_line() {
        let cases: [(&str, &str, usize, Problem); 10] = [
            (
                "[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"U\"\ntimeout_s = 0\n",
                "alerts.webhook[0].timeout_s",
                4,
                Problem::Between {
                    min: 1,
                    max: 120,
                    got: 0,
                },
            ),
            (
                "[[alerts.webhook]]\nurl_env = \"U\"\n",
                "alerts.webhook[0]",
                1,
                Problem::MissingKey { key: "format" },
            ),
            (
                "[[alerts.webhook]]\nformat = \"teams\"\nurl_env = \"U\"\n",
                "alerts.webhook[0].format",
                2,
                Problem::UnknownValue {
                    found: "teams".into(),
                    expected: vec!["wecom", "dingtalk", "slack", "json"],
                },
            ),
            (
                "[[alerts.webhook]]\nformat = \"json\"\n",
                "alerts.webhook[0]",
                1,
                Problem::WebhookUrlSources,
            ),
            (
                "[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"U\"\n\n[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"U\"\nurl_file = \"f\"\n",
                "alerts.webhook[1].url_file",
                8,
                Problem::WebhookUrlSources,
            ),
            (
                "[[alerts.webhook]]\nformat = \"wecom\"\nurl = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123\"\n",
                "alerts.webhook[0].url",
                3,
                Problem::WebhookUrlSecret,
            ),
            (
                "[[alerts.webhook]]\nformat = \"slack\"\nurl = \"https://hooks.slack.com/services/T0/B0/XYZ\"\n",
                "alerts.webhook[0].url",
                3,
                Problem::WebhookUrlSecret,
            ),
            (
                "[[alerts.webhook]]\nformat = \"wecom\"\nurl_env = \"U\"\nsecret_env = \"S\"\n",
                "alerts.webhook[0].secret_env",
                4,
                Problem::WebhookSecretNotDingtalk,
            ),
            (
                "[[alerts.webhook]]\nformat = \"dingtalk\"\nurl_env = \"U\"\nsecret_env = \"S\"\nsecret_file = \"s\"\n",
                "alerts.webhook[0].secret_file",
                5,
                Problem::WebhookSecretSources,
            ),
            (
                "[[alerts.webhook]]\nformat = \"dingtalk\"\nurl_env = \"SEC1234567890abcdef-xyz\"\n",
                "alerts.webhook[0].url_env",
                3,
                Problem::TokenEnvNotAName,
            ),
        ];
        for (text, key, line, problem) in cases {
            let e = err(text);
            assert_eq!(e.file, PathBuf::from(FILE), "{text}");
            assert_eq!(e.key.as_deref(), Some(key), "{text}");
            assert_eq!(e.line, Some(line), "{text}");
            assert_eq!(*e.problem, problem, "{text}");
        }
        // An unknown key lists the keys there are.
        let e = err("[[alerts.webhook]]\nformat = \"json\"\nurl_env = \"U\"\ntoken = \"x\"\n");
        assert_eq!(e.key.as_deref(), Some("alerts.webhook[0].token"), "{e}");
        // The refused URL's secret is never quoted back.
        let e = err(
            "[[alerts.webhook]]\nformat = \"dingtalk\"\nurl = \"https://oapi.dingtalk.com/robot/send?access_token=deadbeef77\"\n",
        );
        assert!(!e.to_string().contains("deadbeef77"), "{e}");
    }

    #[test]
    fn config_show_prints_references_and_reads_back() {
        let text = "[[alerts.webhook]]\nformat = \"dingtalk\"\nurl_env = \"DING_URL\"\nsecret_file = \"/run/ding-secret\"\n\
                    [[alerts.webhook]]\nformat = \"json\"\nurl = \"https://hooks.example.com/alerts\"\n";
        let (settings, extra) = parse_with_extra(text, Path::new(FILE)).expect("parse");
        let loaded = Loaded {
            settings,
            extra,
            file: None,
        };
        let shown = crate::config::dump(&loaded);
        assert!(
            shown.contains(
                "[[alerts.webhook]]\nformat = \"dingtalk\"\nurl_env = \"DING_URL\"\nsecret_file = \"/run/ding-secret\"\n"
            ),
            "{shown}"
        );
        let (_, again) = parse_with_extra(&shown, Path::new(FILE)).expect("reads back");
        assert_eq!(again.alerts.webhooks, loaded.extra.alerts.webhooks);
    }
}
