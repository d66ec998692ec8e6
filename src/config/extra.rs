//! Config tables that are not business rules and so live outside
//! `domain::settings::Settings`: where data comes from, how the screen looks,
//! and who the lead is.

use std::path::PathBuf;

/// The `[source]`, `[display]` and `[user]` tables.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Extra {
    pub source: SourceConfig,
    pub display: DisplayConfig,
    pub user: UserConfig,
    pub scorecard: super::scorecard::ScorecardConfig,
    /// `[feedback]`: follow-up overdue rules for the board.
    pub feedback: crate::domain::followup::FollowupRules,
    /// `[huddle]`: what the shared screen may show.
    pub huddle: HuddleConfig,
    /// `[store]`: the SQLite file (default) or a PostgreSQL server.
    pub store: super::store::StoreConfig,
    /// `[alerts]` beyond the rules (which are business rules, in
    /// `Settings::alerts`): how the console calls for attention.
    pub alerts: AlertsConfig,
}

/// `[alerts]`: the console's side of alerts (docs/alerts.md).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct AlertsConfig {
    /// Ring the terminal bell when an alert fires.
    pub bell: bool,
    /// `[[alerts.webhook]]`: where alerts are posted.
    pub webhooks: Vec<super::webhook::WebhookConfig>,
}

/// `[huddle]`. Huddle mode never ranks named agents by poor figures;
/// `show_agents` lets it name agents with positive figures (default off).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct HuddleConfig {
    pub show_agents: bool,
}

/// `[source]`: where records come from. Reserved for the connectors; parsed
/// and validated now so a file written today keeps working.
#[derive(Clone, PartialEq, Debug)]
pub struct SourceConfig {
    /// NDJSON files to read, in order (a later file's upsert wins, spec section 1).
    /// Relative paths are resolved against the config file's folder, `~/` against home.
    pub file: Vec<PathBuf>,
    /// Base URL of the generic HTTP feed or CRM connector (http:// or https://).
    /// Never carries credentials: those go through `token_env` / `token_file`.
    pub crm: Option<String>,
    /// Seconds between polls of the source.
    pub poll_s: u64,
    /// NAME of the environment variable that holds the CRM token (not the token).
    pub token_env: Option<String>,
    /// PATH of a file that holds the CRM token (not the token).
    pub token_file: Option<PathBuf>,
    /// `[source.zendesk]`: how the Zendesk connector maps what tickets leave empty.
    pub zendesk: ZendeskConfig,
    /// Requests a CRM connector runs at once (a first load's pages side by side).
    pub concurrency: usize,
    /// Keep the floor of an RT or Zendesk source in the data dir for a warm start.
    pub cache: bool,
}

/// `[source.zendesk]`: the queue of a ticket without a group and the
/// priority of a ticket without one (docs/connectors.md).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ZendeskConfig {
    /// The queue of a ticket without a group (`group_id` null).
    pub ungrouped_queue: String,
    /// Split tickets without a group by brand, form or channel instead.
    pub ungrouped_by: UngroupedBy,
    /// The priority of a ticket whose `priority` is null (`none`: no SLA timer).
    pub default_priority: DefaultPriority,
}

pub const DEFAULT_UNGROUPED_QUEUE: &str = "unassigned";

impl Default for ZendeskConfig {
    fn default() -> Self {
        ZendeskConfig {
            ungrouped_queue: DEFAULT_UNGROUPED_QUEUE.to_string(),
            ungrouped_by: UngroupedBy::None,
            default_priority: DefaultPriority::Medium,
        }
    }
}

/// What splits the tickets without a group into queues.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum UngroupedBy {
    /// All in `ungrouped_queue`.
    #[default]
    None,
    /// `brand-<brand_id>`.
    Brand,
    /// `form-<ticket_form_id>`.
    Form,
    /// `<ungrouped_queue>-<channel>` (the floor channel: email, chat, …).
    Channel,
}

impl UngroupedBy {
    pub const ALL: [UngroupedBy; 4] = [
        UngroupedBy::None,
        UngroupedBy::Brand,
        UngroupedBy::Form,
        UngroupedBy::Channel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UngroupedBy::None => "none",
            UngroupedBy::Brand => "brand",
            UngroupedBy::Form => "form",
            UngroupedBy::Channel => "channel",
        }
    }
}

/// The priority given to a ticket without one.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum DefaultPriority {
    None,
    Urgent,
    High,
    /// Zendesk's own default, "Normal".
    #[default]
    Medium,
    Low,
}

impl DefaultPriority {
    pub const ALL: [DefaultPriority; 5] = [
        DefaultPriority::None,
        DefaultPriority::Urgent,
        DefaultPriority::High,
        DefaultPriority::Medium,
        DefaultPriority::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DefaultPriority::None => "none",
            DefaultPriority::Urgent => "urgent",
            DefaultPriority::High => "high",
            DefaultPriority::Medium => "medium",
            DefaultPriority::Low => "low",
        }
    }

    /// The floor priority, `None` for none.
    pub fn floor(self) -> Option<&'static str> {
        match self {
            DefaultPriority::None => None,
            p => Some(p.as_str()),
        }
    }
}

pub const DEFAULT_POLL_S: u64 = 5;
/// `[source] concurrency` unless set.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The most `[source] concurrency` may be.
pub const MAX_CONCURRENCY: usize = 32;

impl Default for SourceConfig {
    fn default() -> Self {
        SourceConfig {
            file: Vec::new(),
            crm: None,
            poll_s: DEFAULT_POLL_S,
            token_env: None,
            token_file: None,
            zendesk: ZendeskConfig::default(),
            concurrency: DEFAULT_CONCURRENCY,
            cache: true,
        }
    }
}

/// `[display]`: look and feel.
#[derive(Clone, PartialEq, Debug)]
pub struct DisplayConfig {
    pub theme: Theme,
    /// Seconds each pane stays up in huddle (wall-screen) mode.
    pub huddle_rotate_s: u64,
    pub lang: Lang,
}

pub const DEFAULT_HUDDLE_ROTATE_S: u64 = 15;

impl Default for DisplayConfig {
    fn default() -> Self {
        DisplayConfig {
            theme: Theme::Default,
            huddle_rotate_s: DEFAULT_HUDDLE_ROTATE_S,
            lang: Lang::Auto,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Theme {
    #[default]
    Default,
    HighContrast,
}

impl Theme {
    pub const ALL: [Theme; 2] = [Theme::Default, Theme::HighContrast];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Default => "default",
            Theme::HighContrast => "high-contrast",
        }
    }

    pub fn from_name(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Language of the screen's labels. `Auto` follows the environment
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Lang {
    #[default]
    Auto,
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Auto, Lang::En, Lang::Zh];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Auto => "auto",
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn from_name(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// `Auto` resolved against the environment: a locale starting with `zh` means Chinese.
    pub fn resolve(self) -> Lang {
        match self {
            Lang::Auto => {
                let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .filter_map(|v| std::env::var(v).ok())
                    .find(|v| !v.is_empty())
                    .unwrap_or_default();
                Lang::from_locale(&locale)
            }
            fixed => fixed,
        }
    }

    /// `zh_CN.UTF-8`, `zh_TW`, `zh` → Chinese; anything else → English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

impl crate::i18n::Lang {
    /// `--lang` first, then the config's `[display] lang`; `auto` (either
    /// place) follows `LC_ALL` / `LC_MESSAGES` / `LANG`; English otherwise.
    pub fn choose(flag: Option<Lang>, config: Lang) -> crate::i18n::Lang {
        let wanted = match flag {
            Some(l) if l != Lang::Auto => l,
            _ => config,
        };
        crate::i18n::Lang::from(wanted)
    }
}

impl From<Lang> for crate::i18n::Lang {
    /// `Auto` is resolved against the environment.
    fn from(l: Lang) -> crate::i18n::Lang {
        match l.resolve() {
            Lang::Zh => crate::i18n::Lang::Zh,
            _ => crate::i18n::Lang::En,
        }
    }
}

/// `[user]`: the lead using this console.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct UserConfig {
    /// Author name put on the lead's entries (feedback notes, spot-check scores).
    pub name: Option<String>,
}

impl UserConfig {
    /// The configured name, else the login name (`USER`, `USERNAME`, else
    /// the system's account name for this process), else "lead".
    pub fn author(&self) -> String {
        self.author_from(|v| std::env::var(v).ok(), system_login_name)
    }

    /// [`UserConfig::author`] with the environment and the system look-up
    /// given, so that each step can be tested.
    pub fn author_from(
        &self,
        env: impl Fn(&str) -> Option<String>,
        system: impl FnOnce() -> Option<String>,
    ) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let clean = |v: String| {
            let v = v.trim().to_string();
            (!v.is_empty()).then_some(v)
        };
        ["USER", "USERNAME"]
            .iter()
            .filter_map(|v| env(v).and_then(clean))
            .next()
            .or_else(|| system().and_then(clean))
            .unwrap_or_else(|| "lead".to_string())
    }
}

/// The account name of this process's user from the system's user database
/// (`getpwuid` on Unix), when it has one.
pub fn system_login_name() -> Option<String> {
    whoami::username().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in Theme::ALL {
            assert_eq!(Theme::from_name(t.as_str()), Some(t));
        }
        for l in Lang::ALL {
            assert_eq!(Lang::from_name(l.as_str()), Some(l));
        }
        assert_eq!(Theme::from_name("dark"), None);
    }

    #[test]
    fn locale_picks_language() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::Zh.resolve(), Lang::Zh);
    }

    #[test]
    fn configured_author_wins() {
        let u = UserConfig {
            name: Some("王芳".into()),
        };
        assert_eq!(u.author(), "王芳");
    }

    #[test]
    fn login_name_from_the_system_when_user_is_unset() {
        let u = UserConfig::default();
        let none = |_: &str| None;
        assert_eq!(u.author_from(none, || Some("mlin".into())), "mlin");
        // USER wins over the system; a blank USER falls through to USERNAME.
        let env = |v: &str| match v {
            "USER" => Some("  ".to_string()),
            "USERNAME" => Some("wfang".to_string()),
            _ => None,
        };
        assert_eq!(u.author_from(env, || Some("mlin".into())), "wfang");
        // Nothing anywhere, or a blank system record: "lead".
        assert_eq!(u.author_from(none, || None), "lead");
        assert_eq!(u.author_from(none, || Some(" ".into())), "lead");
        // The configured name wins over everything.
        let named = UserConfig {
            name: Some("王芳".into()),
        };
        assert_eq!(named.author_from(env, || Some("mlin".into())), "王芳");
    }

    #[test]
    fn system_login_name_is_the_account_of_this_process() {
        // `id -un` reads the same user database; where it is missing the
        // check has nothing to compare with.
        let Ok(out) = std::process::Command::new("id").arg("-un").output() else {
            return;
        };
        let expected = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if out.status.success() && !expected.is_empty() {
            assert_eq!(system_login_name().as_deref(), Some(expected.as_str()));
        }
    }
}
