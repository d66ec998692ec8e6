//! The effective configuration as TOML, every key written out, for
//! `shiftdeck config show`. Reading the output back gives the same settings.
//! Keys with no value are written as comments, since TOML has no null.
//! No header: the caller says where the configuration came from (`Loaded::file`).

use std::path::Path;

use super::Loaded;
use crate::domain::settings::{KpiKey, SlaTarget};
use crate::i18n::{self, Lang, Msg, tf};

/// A TOML string literal, escaped.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn quote_path(p: &Path) -> String {
    quote(&p.to_string_lossy())
}

/// A TOML float that reads back to the same `f64`.
fn float(x: f64) -> String {
    toml::Value::Float(x).to_string()
}

/// The effective configuration with its comments in English.
pub fn dump(loaded: &Loaded) -> String {
    dump_in(loaded, Lang::En)
}

/// The effective configuration; the comments (keys with no value) are in
/// `lang`, the TOML itself is the same in every language.
pub fn dump_in(loaded: &Loaded, lang: Lang) -> String {
    let s = &loaded.settings;
    let x = &loaded.extra;
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };

    line(format!("timezone = {}", quote(s.timezone.name())));
    line(format!("fcr_window_h = {}", float(s.fcr_window_h)));

    line(String::new());
    line("[spot_check]".into());
    line(format!("rate = {}", float(s.spot_check.rate)));
    line(format!("seed = {}", s.spot_check.seed));

    line(String::new());
    line("[red_line]".into());
    if s.red_line.is_empty() {
        line("phrases = []".into());
    } else {
        line("phrases = [".into());
        for p in &s.red_line {
            line(format!("    {},", quote(p)));
        }
        line("]".into());
    }

    for k in KpiKey::ALL {
        line(String::new());
        let Some(t) = s.target(k) else {
            line(tf(lang, Msg::CfgShowNoTarget, &[&k.key()]));
            continue;
        };
        line(format!("[targets.{}]", k.key()));
        line(format!("target = {}", float(t.target)));
        line(match t.warn {
            Some(w) => format!("warn = {}", float(w)),
            None => i18n::t(lang, Msg::CfgShowNoWarn).into(),
        });
        line(match t.alert {
            Some(a) => format!("alert = {}", float(a)),
            None => i18n::t(lang, Msg::CfgShowNoAlert).into(),
        });
        line(format!("direction = {}", quote(t.direction.as_str())));
        for c in s.channel_targets.iter().filter(|c| c.key == k) {
            let t = &c.target;
            line(String::new());
            line(format!(
                "[targets.{}.channel.{}]",
                k.key(),
                table_key(&c.channel)
            ));
            line(format!("target = {}", float(t.target)));
            line(match t.warn {
                Some(w) => format!("warn = {}", float(w)),
                None => i18n::t(lang, Msg::CfgShowNoWarn).into(),
            });
            line(match t.alert {
                Some(a) => format!("alert = {}", float(a)),
                None => i18n::t(lang, Msg::CfgShowNoAlert).into(),
            });
            line(format!("direction = {}", quote(t.direction.as_str())));
        }
    }

    let sla: [(&str, &SlaTarget); 4] = [
        ("urgent", &s.sla.urgent),
        ("high", &s.sla.high),
        ("medium", &s.sla.medium),
        ("low", &s.sla.low),
    ];
    for (name, t) in sla {
        line(String::new());
        line(format!("[sla.{name}]"));
        line(format!("first_response_min = {}", t.first_response_min));
        line(match t.resolution_min {
            Some(r) => format!("resolution_min = {r}"),
            None => i18n::t(lang, Msg::CfgShowNoResolution).into(),
        });
    }

    // token_env and token_file are references (a variable NAME, a file PATH),
    // never the token, so they are printed as they are. The parser refuses
    // credentials inside `crm`, so nothing secret reaches this point.
    let src = &x.source;
    line(String::new());
    line("[source]".into());
    let files: Vec<String> = src.file.iter().map(|f| quote_path(f)).collect();
    line(format!("file = [{}]", files.join(", ")));
    line(match &src.crm {
        Some(u) => format!("crm = {}", quote(u)),
        None => i18n::t(lang, Msg::CfgShowNoCrm).into(),
    });
    line(format!("poll_s = {}", src.poll_s));
    line(format!("concurrency = {}", src.concurrency));
    line(format!("cache = {}", src.cache));
    line(match &src.token_env {
        Some(n) => format!("token_env = {}", quote(n)),
        None => i18n::t(lang, Msg::CfgShowNoTokenEnv).into(),
    });
    line(match &src.token_file {
        Some(p) => format!("token_file = {}", quote_path(p)),
        None => i18n::t(lang, Msg::CfgShowNoTokenFile).into(),
    });
    let zd = &src.zendesk;
    line(String::new());
    line("[source.zendesk]".into());
    line(format!("ungrouped_queue = {}", quote(&zd.ungrouped_queue)));
    line(format!(
        "ungrouped_by = {}",
        quote(zd.ungrouped_by.as_str())
    ));
    line(format!(
        "default_priority = {}",
        quote(zd.default_priority.as_str())
    ));

    let d = &x.display;
    line(String::new());
    line("[display]".into());
    line(format!("theme = {}", quote(d.theme.as_str())));
    line(format!("huddle_rotate_s = {}", d.huddle_rotate_s));
    line(format!("lang = {}", quote(d.lang.as_str())));

    line(String::new());
    line("[user]".into());
    line(match &x.user.name {
        Some(n) => format!("name = {}", quote(n)),
        None => i18n::t(lang, Msg::CfgShowNoName).into(),
    });

    // Only a store that is not the default is shown; the URL never holds a
    // password (the parser refuses one), password_env and password_file
    // are a NAME and a PATH.
    if let Some(url) = &x.store.url {
        line(String::new());
        line("[store]".into());
        line(format!("url = {}", quote(&url.to_string())));
        if let Some(n) = &x.store.password_env {
            line(format!("password_env = {}", quote(n)));
        }
        if let Some(p) = &x.store.password_file {
            line(format!("password_file = {}", quote_path(p)));
        }
        if let Some(s) = &x.store.schema {
            line(format!("schema = {}", quote(s)));
        }
    }

    let sc = &x.scorecard;
    line(String::new());
    line("[scorecard]".into());
    let dims: Vec<String> = sc.dimensions.iter().map(|d| quote(d)).collect();
    line(format!("dimensions = [{}]", dims.join(", ")));
    line(format!("scale_max = {}", sc.scale_max));

    let fb = &x.feedback;
    line(String::new());
    line("[feedback]".into());
    line(format!(
        "investigate_within_business_days = {}",
        fb.investigate_within_business_days
    ));
    line(format!("resolve_within_days = {}", fb.resolve_within_days));
    line(format!(
        "callback_unsatisfied_reopens_h = {}",
        fb.callback_unsatisfied_reopens_h
    ));
    line(format!("escalation_stale_h = {}", fb.escalation_stale_h));

    let ag = &s.agents;
    line(String::new());
    line("[agents]".into());
    line(format!("break_max_min = {}", ag.break_max_min));
    line(format!("min_n = {}", ag.min_n));
    // Only whole numbers are accepted, so this reads back.
    line(format!("qa_min = {}", ag.qa_min.round() as i64));

    line(String::new());
    line("[huddle]".into());
    line(format!("show_agents = {}", x.huddle.show_agents));

    // 0 turns a threshold's rule off (it has no value then).
    let al = &s.alerts;
    let off = |v: Option<u32>| v.unwrap_or(0);
    let names = |v: &mut dyn Iterator<Item = &str>| {
        let v: Vec<String> = v.map(quote).collect();
        format!("[{}]", v.join(", "))
    };
    line(String::new());
    line("[alerts]".into());
    line(format!("enabled = {}", al.enabled));
    line(format!("hold_down_s = {}", al.hold_down_s));
    line(format!("kpi_warn = {}", al.kpi_warn));
    line(format!("kpi_min_n = {}", al.kpi_min_n));
    line(format!("queue_waiting = {}", off(al.queue_waiting)));
    line(format!(
        "queue_longest_wait_s = {}",
        off(al.queue_longest_wait_s)
    ));
    line(format!(
        "sla_due_within_min = {}",
        off(al.sla_due_within_min)
    ));
    line(format!("sla_breached = {}", al.sla_breached));
    line(format!(
        "sla_priorities = {}",
        names(&mut al.sla_priorities.iter().map(String::as_str))
    ));
    line(format!("feedback_overdue = {}", al.feedback_overdue));
    line(format!("staffing_gap_min = {}", off(al.staffing_gap_min)));
    line(format!(
        "staffing_ahead_min = {}",
        off(al.staffing_ahead_min)
    ));
    line(format!(
        "agent_flags = {}",
        names(&mut al.agent_flags.iter().map(|f| f.key()))
    ));
    line(format!("bell = {}", x.alerts.bell));
    super::webhook::dump(&mut line, &x.alerts.webhooks);
    out
}

/// A table-name segment: bare when TOML allows it, else quoted.
fn table_key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { k.to_string() } else { quote(k) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::extra::Extra;
    use crate::domain::settings::Settings;

    #[test]
    fn scalars_render_as_toml() {
        assert_eq!(quote("滚"), "\"滚\"");
        // Any string, quotes and line breaks included, reads back unchanged.
        for text in ["say \"hi\"", "can't", "a'b\"c\nd\\e", "tab\there"] {
            let doc: toml::Table = toml::from_str(&format!("k = {}", quote(text))).unwrap();
            assert_eq!(doc["k"].as_str(), Some(text));
        }
        assert_eq!(float(48.0), "48.0");
        assert_eq!(float(0.1), "0.1");
    }

    #[test]
    fn defaults_dump_lists_every_section() {
        let loaded = Loaded {
            settings: Settings::default(),
            extra: Extra::default(),
            file: None,
        };
        let text = dump(&loaded);
        for needle in [
            "timezone = \"UTC\"",
            "fcr_window_h = 48.0",
            "rate = 0.1",
            "seed = 0",
            "[targets.aht_s]\ntarget = 252.0\n# warn: not set (the target itself)\nalert = 270.0\ndirection = \"lower\"",
            // Spec section 3's alert thresholds for CSAT and FCR.
            "[targets.csat]\ntarget = 0.88\n# warn: not set (the target itself)\nalert = 0.82\ndirection = \"higher\"",
            "[targets.fcr]\ntarget = 0.85\n# warn: not set (the target itself)\nalert = 0.75\ndirection = \"higher\"",
            "[sla.high]\nfirst_response_min = 30\nresolution_min = 240",
            "[sla.low]\nfirst_response_min = 1440",
            "file = []",
            "poll_s = 5\nconcurrency = 4\ncache = true",
            "[source.zendesk]\nungrouped_queue = \"unassigned\"\nungrouped_by = \"none\"\ndefault_priority = \"medium\"\n",
            "theme = \"default\"",
            "huddle_rotate_s = 15",
            "lang = \"auto\"",
            "\"闭嘴\",",
            "[scorecard]\ndimensions = [\"responsiveness\", \"attitude\", \"expertise\", \"resolution\"]\nscale_max = 5",
            "[feedback]\ninvestigate_within_business_days = 1\nresolve_within_days = 5\ncallback_unsatisfied_reopens_h = 24\nescalation_stale_h = 1",
            "[agents]\nbreak_max_min = 15\nmin_n = 10\nqa_min = 14",
            "[huddle]\nshow_agents = false",
            "[alerts]\nenabled = true\nhold_down_s = 120\nkpi_warn = false\nkpi_min_n = 20\nqueue_waiting = 10\nqueue_longest_wait_s = 180\nsla_due_within_min = 5\nsla_breached = true\nsla_priorities = [\"urgent\", \"high\"]\nfeedback_overdue = true\nstaffing_gap_min = 15\nstaffing_ahead_min = 30\nagent_flags = [\"break_over\", \"critical_error\"]\nbell = false\n",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
    }

    #[test]
    fn scorecard_reads_back() {
        let mut extra = Extra::default();
        extra.scorecard.dimensions = vec!["礼貌".into(), "say \"why\"".into(), "accuracy".into()];
        extra.scorecard.scale_max = 10;
        extra.feedback.escalation_stale_h = 2;
        extra.feedback.investigate_within_business_days = 3;
        extra.huddle.show_agents = true;
        let mut settings = Settings::default();
        settings.agents.break_max_min = 25;
        settings.agents.min_n = 30;
        settings.agents.qa_min = 12.0;
        settings.alerts.queue_waiting = None;
        settings.alerts.kpi_warn = true;
        settings.alerts.sla_priorities = vec!["low".into()];
        settings.alerts.agent_flags = Vec::new();
        settings.alerts.staffing_gap_min = Some(30);
        extra.alerts.bell = true;
        settings
            .channel_targets
            .push(crate::domain::settings::ChannelTarget {
                key: KpiKey::ArtS,
                channel: "e-mail 邮件".into(),
                target: crate::domain::Target {
                    target: 14_400.0,
                    warn: None,
                    alert: Some(86_400.0),
                    direction: crate::domain::Direction::Lower,
                },
            });
        let loaded = Loaded {
            settings,
            extra,
            file: None,
        };
        let text = dump(&loaded);
        assert!(
            text.contains("[scorecard]\ndimensions = [\"礼貌\", 'say \"why\"', \"accuracy\"]\nscale_max = 10\n"),
            "{text}"
        );
        assert!(
            text.contains("[targets.art_s.channel.\"e-mail 邮件\"]\ntarget = 14400.0\n"),
            "{text}"
        );
        let (settings, extra) =
            crate::config::parse_with_extra(&text, std::path::Path::new("dump.toml"))
                .expect("dump reads back");
        assert_eq!((settings, extra), (loaded.settings, loaded.extra));
    }

    #[test]
    fn comments_follow_the_language_and_the_toml_does_not() {
        let mut settings = Settings::default();
        settings.targets[KpiKey::Nps.index()] = None;
        let loaded = Loaded {
            settings,
            extra: Extra::default(),
            file: None,
        };
        let (en, zh) = (dump(&loaded), dump_in(&loaded, Lang::Zh));
        assert!(en.contains("# [targets.nps]: no target\n"), "{en}");
        assert!(zh.contains("# [targets.nps]：无目标\n"), "{zh}");
        assert!(zh.contains("# crm：未设置\n"), "{zh}");
        let (en_lines, zh_lines): (Vec<_>, Vec<_>) = (en.lines().collect(), zh.lines().collect());
        assert_eq!(en_lines.len(), zh_lines.len());
        for (e, z) in en_lines.iter().zip(&zh_lines) {
            if e.starts_with('#') {
                assert!(
                    z.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{z}"
                );
            } else {
                assert_eq!(e, z);
            }
        }
        // A missing target has no TOML (it reads back as the default), so the
        // round trip is checked on the defaults.
        let defaults = Loaded {
            settings: Settings::default(),
            extra: Extra::default(),
            file: None,
        };
        let zh = dump_in(&defaults, Lang::Zh);
        let back = crate::config::parse_with_extra(&zh, std::path::Path::new("dump.toml"))
            .expect("the Chinese dump reads back");
        assert_eq!(back, (defaults.settings, defaults.extra));
    }
}
