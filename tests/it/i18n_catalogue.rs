//! The message catalogue: every message in both languages, Chinese really
//! translated, placeholders consistent, the key table fully covered, and the
//! language chosen from the flag, the config and the locale.

use shiftdeck::app::keymap::BINDINGS;
use shiftdeck::config::Lang as ConfigLang;
use shiftdeck::domain::KpiKey;
use shiftdeck::i18n::{self, Lang, Msg, SAME_IN_BOTH, fill, placeholders, t, tf};

#[test]
fn every_message_has_both_languages() {
    assert!(Msg::ALL.len() > 150, "catalogue suspiciously small");
    for &m in Msg::ALL {
        let (en, zh) = (t(Lang::En, m), t(Lang::Zh, m));
        assert!(!en.trim().is_empty(), "{m:?}: English empty");
        assert!(!zh.trim().is_empty(), "{m:?}: Chinese empty");
        if SAME_IN_BOTH.contains(&m) {
            assert_eq!(en, zh, "{m:?} is listed as the same in both");
        } else {
            assert_ne!(en, zh, "{m:?}: Chinese text is the English one");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{m:?}: no Chinese character in {zh:?}"
            );
        }
        assert_eq!(
            placeholders(en),
            placeholders(zh),
            "{m:?}: placeholder counts differ"
        );
    }
}

#[test]
fn every_key_has_its_words_in_both_languages() {
    // The key table holds messages, not English to look up: each says
    // itself in Chinese, and a footer hint is short.
    for b in BINDINGS {
        for m in b.hint.into_iter().chain([b.help]) {
            assert_ne!(t(Lang::Zh, m), t(Lang::En, m), "{m:?} untranslated");
        }
        if let Some(h) = b.hint {
            assert!(
                unicode_width::UnicodeWidthStr::width(t(Lang::Zh, h)) <= 12,
                "{h:?}"
            );
        }
    }
}

#[test]
fn placeholders_fill_in_order() {
    assert_eq!(fill("{}×{} here", &[&80, &24]), "80×24 here");
    assert_eq!(fill("no values", &[&1]), "no values");
    assert_eq!(fill("{} and {}", &[&"a"]), "a and {}");
    assert_eq!(
        tf(Lang::Zh, Msg::TooSmallSize, &[&50, &12, &60, &16]),
        "当前 50×12，需 60×16"
    );
    assert_eq!(tf(Lang::En, Msg::SlaBreached, &[&3]), "‼ 3 BREACHED");
    assert_eq!(tf(Lang::Zh, Msg::HeaderUpdated, &[&"12 s"]), "12 s前更新");
}

#[test]
fn kpi_names_as_service_centres_say_them() {
    let want = [
        (KpiKey::Csat, "客户满意度 CSAT"),
        (KpiKey::Nps, "净推荐值 NPS"),
        (KpiKey::Fcr, "一次解决率 FCR"),
        (KpiKey::AhtS, "平均处理时长 AHT"),
        (KpiKey::ArtS, "平均响应时长 ART"),
        (KpiKey::TransferRate, "转接率"),
        (KpiKey::RepeatRate, "重复咨询率"),
        (KpiKey::ContactsPerAgentDay, "人均日有效服务量"),
        (KpiKey::ServiceLevel, "服务水平"),
        (KpiKey::AbandonRate, "放弃率"),
        (KpiKey::Occupancy, "占用率"),
    ];
    for (k, name) in want {
        assert_eq!(i18n::kpi_long(Lang::Zh, k), name);
        // The short form fits the KPI table's 11-column name cell.
        assert!(unicode_width::UnicodeWidthStr::width(i18n::kpi_short(Lang::Zh, k)) <= 11);
    }
    assert_eq!(i18n::kpi_short(Lang::En, KpiKey::AhtS), "AHT");
    assert_eq!(
        i18n::kpi_short(Lang::En, KpiKey::ServiceLevel),
        "Service lvl"
    );
}

#[test]
fn stages_flags_and_dimensions() {
    let stages: Vec<&str> = ["new", "handling", "resolved", "callback", "closed"]
        .iter()
        .map(|s| i18n::stage(Lang::Zh, s, false))
        .collect();
    assert_eq!(stages, ["新建", "处理中", "已解决", "回访", "已关闭"]);
    assert_eq!(i18n::stage(Lang::En, "handling", true), "hdl");
    assert_eq!(i18n::stage(Lang::Zh, "escalated", false), "escalated");
    assert_eq!(i18n::flag(Lang::Zh, "red_line"), "红线");
    assert_eq!(i18n::flag(Lang::En, "low_csat"), "low CSAT");
    let dims: Vec<&str> = [
        Msg::DimTimeliness,
        Msg::DimAttitude,
        Msg::DimExpertise,
        Msg::DimResolution,
    ]
    .iter()
    .map(|m| t(Lang::Zh, *m))
    .collect();
    assert_eq!(dims, ["响应及时性", "服务态度", "专业能力", "问题解决"]);
}

#[test]
fn language_choice_flag_then_config_then_locale() {
    assert_eq!(Lang::choose(Some(ConfigLang::Zh), ConfigLang::En), Lang::Zh);
    assert_eq!(Lang::choose(Some(ConfigLang::En), ConfigLang::Zh), Lang::En);
    assert_eq!(Lang::choose(None, ConfigLang::Zh), Lang::Zh);
    assert_eq!(
        Lang::choose(Some(ConfigLang::Auto), ConfigLang::Zh),
        Lang::Zh
    );
    assert_eq!(Lang::from(ConfigLang::En), Lang::En);
}

#[test]
fn help_language_from_argv() {
    use std::ffi::OsString;
    let argv = |v: &[&str]| -> Vec<OsString> { v.iter().map(OsString::from).collect() };
    use shiftdeck::cli::lang::argv_lang;
    use shiftdeck::cli::{command, parse};
    assert_eq!(
        argv_lang(&argv(&["shiftdeck", "--lang", "zh", "--help"])),
        Some(ConfigLang::Zh)
    );
    assert_eq!(
        argv_lang(&argv(&["shiftdeck", "demo", "--lang=en"])),
        Some(ConfigLang::En)
    );
    assert_eq!(argv_lang(&argv(&["shiftdeck", "--", "--lang", "zh"])), None);
    assert_eq!(argv_lang(&argv(&["shiftdeck", "--file", "x"])), None);
    let help = command(Lang::Zh).render_long_help().to_string();
    assert!(help.contains("客服班组长终端控制台"), "{help}");
    assert!(help.contains("基于模拟数据的实时控制台"));
    let help = command(Lang::En).render_long_help().to_string();
    assert!(help.contains("A terminal console for customer-service shift leads"));
    let cli = parse(argv(&["shiftdeck", "--lang", "zh", "--file", "a.ndjson"]));
    assert_eq!(cli.lang, Some(ConfigLang::Zh));
}

#[test]
fn the_feed_s_own_words_in_chinese_other_values_as_written() {
    let cases = [
        ("urgent", "紧急"),
        ("high", "高"),
        ("phone", "电话"),
        ("phone_complaint", "电话投诉"),
        ("process", "流程"),
        ("unreached", "未联系上"),
    ];
    for (en, zh) in cases {
        assert_eq!(i18n::feed_value(Lang::Zh, en), zh);
        assert_eq!(i18n::feed_value(Lang::En, en), en);
    }
    // Not a word of the spec: data, shown as written.
    assert_eq!(i18n::feed_value(Lang::Zh, "vip"), "vip");
    assert_eq!(i18n::feed_value(Lang::Zh, "热线"), "热线");
}
