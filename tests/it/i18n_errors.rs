//! Error texts in Chinese: the catalogue of error texts is well formed, known
//! chains come out as a Chinese reader expects, and the errors the program
//! really makes (config, loader, store, sources) leave no English sentence
//! behind once translated.

use std::path::Path;

use shiftdeck::domain::time::TsError;
use shiftdeck::i18n::errors::{ERROR_TEXTS, chain};
use shiftdeck::i18n::{Lang, Localize, Msg, placeholders, translate};
use shiftdeck::source::http::SourceError;

fn zh(s: &str) -> String {
    translate(Lang::Zh, s).into_owned()
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// English words left in a translated text, leaving out what is data or a
/// name: quoted and backticked parts, paths, URLs, keys and flags, and the
/// abbreviations a Chinese floor uses as they are.
fn english_left(s: &str) -> Vec<String> {
    const KEPT: &[&str] = &[
        "HTTP",
        "JSON",
        "TOML",
        "RFC",
        "URL",
        "IANA",
        "KPI",
        "NPS",
        "RT",
        "Zendesk",
        "SQLite",
        "UTF",
        "TLS",
        "API",
        "ISO",
        "TCP",
        "DNS",
        "CSV",
        "NDJSON",
        "Unicode",
        "shiftdeck",
        "https",
        "http",
        "Ctrl",
        "EMAIL",
        "TOKEN",
        "YYYY",
        "MM",
        "DD",
        "rt",
        "zendesk",
        "email",
        "days",
        "queues",
        "sl_seconds",
        "per_page",
        "higher",
        "lower",
        "alert",
        "warn",
        "token_env",
        "token_file",
        "source",
        "agent_state",
        "first_response_min",
        "resolution_min",
        "zh",
        "en",
        "auto",
        "theme",
        "lang",
        "Asia",
        "Shanghai",
        "HTML",
        "feed",
        "id",
        "MB",
        "timezone",
        "scorecard",
        "dimensions",
        "csat",
        "nps",
        "fcr",
        "occupancy",
    ];
    // "（可用：a, b）" lists the names a value may take: data.
    let mut s = s.to_string();
    while let Some(i) = s.find("可用：") {
        let end = s[i..].find('）').map_or(s.len(), |j| i + j);
        s.replace_range(i..end, "");
    }
    let mut cleaned = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '`' | '\'' | '"') => quote = Some(c),
            None => cleaned.push(c),
        }
    }
    cleaned
        .split(|c: char| c.is_whitespace() || "（），：；、。()[],;:？?".contains(c))
        .filter(|w| !w.is_empty())
        // Flags, paths, URLs and keys are names; "read-only" is two words.
        .filter(|w| !w.starts_with('-'))
        .filter(|w| !w.contains(['/', '.', '_', '=', '@', '$', '~', '*']))
        .flat_map(|w| w.split('-'))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() >= 2)
        .filter(|w| !KEPT.contains(w))
        .map(str::to_string)
        .collect()
}

fn assert_all_chinese(what: &str, english: &str) {
    let t = zh(english);
    let left = english_left(&t);
    assert!(
        left.is_empty() && has_cjk(&t),
        "{what}: {english:?}\n  became {t:?}\n  English left: {left:?}"
    );
}

#[test]
fn error_texts_are_well_formed() {
    assert!(
        ERROR_TEXTS.len() > 150,
        "error catalogue suspiciously small"
    );
    let mut seen = std::collections::HashSet::new();
    let err_msgs = Msg::ALL
        .iter()
        .filter(|m| format!("{m:?}").starts_with("Err"))
        .map(|m| (m.en(), m.zh()));
    for (en, zh) in ERROR_TEXTS.iter().copied().chain(err_msgs) {
        assert!(seen.insert(en), "{en:?} is in the catalogue twice");
        assert_eq!(placeholders(en), placeholders(zh), "{en:?}: holes differ");
        assert!(has_cjk(zh), "{en:?}: no Chinese in {zh:?}");
        assert!(!en.contains("{}{}"), "{en:?}: two holes side by side");
        let fixed: usize = en.split("{}").map(str::len).sum();
        assert!(
            !en.contains("{}") || fixed >= 4,
            "{en:?}: too little fixed text to recognise"
        );
    }
}

#[test]
fn chains_read_as_a_chinese_reader_expects() {
    let cases = [
        (
            "cannot open /srv/f.ndjson: No such file or directory (os error 2)",
            "无法打开 /srv/f.ndjson: 文件或目录不存在（系统错误 2）",
        ),
        (
            "/srv/f.ndjson:3: not valid JSON: expected value (column 1)",
            "/srv/f.ndjson:3: 不是有效的 JSON：此处应为一个值（第 1 列）",
        ),
        (
            "/srv/f.ndjson:9: truncated JSON: EOF while parsing an object (column 40)",
            "/srv/f.ndjson:9: JSON 不完整（行被截断？）：对象未结束，内容提前结束（第 40 列）",
        ),
        (
            "/etc/s.toml:4: targets.aht_s.alert: expected a number, found string \"high\"",
            "/etc/s.toml:4: targets.aht_s.alert: 应为数字，实为字符串 \"high\"",
        ),
        (
            "http://127.0.0.1:9/feed: cannot connect: tcp connect error: Connection refused (os error 111)",
            "http://127.0.0.1:9/feed: 无法连接：TCP 连接错误: 连接被拒绝（系统错误 111）",
        ),
        (
            "the database /d/shiftdeck.db is locked by another program (another shiftdeck?); entries are read-only this session",
            "数据库 /d/shiftdeck.db 被其他程序锁定（另一个 shiftdeck？）；本次运行只能查看，不能录入",
        ),
        (
            "read-only: no store this session",
            "只读：本次运行没有本地数据库，录入无法保存",
        ),
        (
            "--start '2026-13-01': expected a date like 2026-11-16: input is out of range",
            "--start '2026-13-01'：应为日期，如 2026-11-16: 数值超出范围",
        ),
    ];
    for (en, want) in cases {
        assert_eq!(zh(en), want, "from {en:?}");
    }
    // A chain never ends up inside a sentence's hole.
    let more = [
        (
            "config: reading config file /etc/x.toml (from --config): Permission denied (os error 13)",
            "配置: 读取配置文件 /etc/x.toml（来自 --config）: 没有权限（系统错误 13）",
        ),
        (
            "/a: Is a directory (os error 21); /b: Is a directory (os error 21)",
            "/a: 这是一个目录（系统错误 21）；/b: 这是一个目录（系统错误 21）",
        ),
        (
            "writing /x.csv: No space left on device (os error 28)",
            "写入 /x.csv 失败: 磁盘空间不足（系统错误 28）",
        ),
        (
            "https://rt.example.com/REST/2.0/ticket/9/comment: HTTP 404: Not Found",
            "https://rt.example.com/REST/2.0/ticket/9/comment: HTTP 404（不存在）: Not Found",
        ),
    ];
    for (en, want) in more {
        assert_eq!(zh(en), want, "from {en:?}");
    }
    // Data that happens to be a catalogue word stays data.
    assert_eq!(zh("cannot read the token file key"), "无法读取令牌文件 key");
    // Long texts are shown as written (the header translates every frame).
    let long = format!("{}: Permission denied (os error 13)", "x: ".repeat(2000));
    assert_eq!(zh(&long), long);
    // A server's own words are data: kept as they are.
    assert_eq!(
        zh("https://crm.example.com/feed: HTTP 503: Service Unavailable"),
        "https://crm.example.com/feed: HTTP 503（服务暂不可用）: Service Unavailable"
    );
    assert_eq!(
        translate(Lang::En, "database is locked"),
        "database is locked"
    );
}

#[test]
fn an_anyhow_chain_is_said_in_chinese_part_by_part() {
    let io = std::io::Error::from_raw_os_error(13);
    let e = anyhow::Error::new(io).context("cannot create /var/x.ndjson");
    assert_eq!(
        chain(Lang::Zh, &e),
        "无法创建 /var/x.ndjson: 没有权限（系统错误 13）"
    );
    assert_eq!(
        chain(Lang::En, &e),
        "cannot create /var/x.ndjson: Permission denied (os error 13)"
    );
}

#[test]
fn config_errors_come_out_in_chinese() {
    let bad = [
        "timezone = \"Mars/Base\"\n",
        "[targets.aht_s]\nalert = \"high\"\n",
        "[targets.csat]\ntarget = 1.5\n",
        "[targets.nps]\ntarget = 120\n",
        "[targets.aht_s]\ntarget = -1\n",
        "[targets.aht_s]\ntarget = 250\nwarn = 270\nalert = 260\n",
        "[targets.fcr]\ntarget = 0.8\nwarn = 0.75\nalert = 0.78\n",
        "[targets.nonsense]\ntarget = 1\n",
        "[targets.fcr]\ndirection = \"up\"\n",
        "[display]\ncolour = 1\n",
        "[display]\ntheme = \"neon\"\n",
        "[display]\nlang = \"fr\"\n",
        "[spot_check]\nrate = 2\n",
        "fcr_window_h = 0\n",
        "[sla.urgent]\nfirst_response_min = 0\n",
        "[sla.urgent]\nfirst_response_min = 10\nresolution_min = 5\n",
        "[sla.critical]\nfirst_response_min = 10\n",
        "[source]\ntoken_env = \"abc def\"\n",
        "[source]\ntoken_env = \"X\"\ntoken_file = \"t\"\n",
        "[source]\ncrm = \"ftp://x\"\n",
        "[source]\ncrm = \"https://u:p@x\"\n",
        "[source]\ncrm = \"https://x/?token=1\"\n",
        "[source]\nfile = 5\n",
        "[scorecard]\ndimensions = []\n",
        "[scorecard]\nscale_max = 40\n",
        "[user]\nname = \"\"\n",
        "[red_line]\nphrases = 3\n",
        "[red_line]\nphrases = [\"a\", 3]\n",
    ];
    let origin = Path::new("/etc/shiftdeck.toml");
    let mut checked = 0;
    for text in bad {
        let Err(e) = shiftdeck::config::parse_with_extra(text, origin) else {
            panic!("{text:?} should be refused");
        };
        let (en, zh) = (e.to_string(), e.localize(Lang::Zh));
        assert!(en.starts_with("/etc/shiftdeck.toml:"), "{en}");
        assert!(
            zh.starts_with("/etc/shiftdeck.toml:"),
            "file:line kept: {zh}"
        );
        let left = english_left(&zh);
        assert!(
            left.is_empty() && has_cjk(&zh),
            "config {text:?}: {en:?}\n  became {zh:?}\n  English left: {left:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, bad.len());
    // Not TOML: the sentence is Chinese, the TOML parser's own words are
    // quoted as they are.
    for text in ["[targets\n", "x = = 1\n", "a = \"unclosed\n"] {
        let Err(e) = shiftdeck::config::parse_with_extra(text, origin) else {
            panic!("{text:?} should be refused");
        };
        let zh = e.localize(Lang::Zh);
        assert!(
            zh.starts_with("/etc/shiftdeck.toml:1: TOML 格式错误："),
            "{zh}"
        );
    }
}

#[test]
fn every_reason_the_loader_gives_comes_out_in_chinese() {
    let lines = [
        r#"{"type":"contact","id":"a","queue":"q","arrived_at":"2026-11-22T09:00:00"}"#,
        r#"{"type":"contact","id":"a","queue":"q","arrived_at":"yesterday"}"#,
        r#"{"type":"contact","id":"a","queue":"q","arrived_at":"9999-99-99T00:00:00Z"}"#,
        r#"{"type":"contact","id":"#,
        r#"{"type":"survey","id":"s","contact":"a","csat":9}"#,
        r#"{"type":"contact","id":"a","transfers":-1}"#,
        r#"{"type":"contact","id":"a","transfers":1.5}"#,
        r#"{"type":"contact","id":"a","talk_s":-3}"#,
        r#"{"type":"contact","id":""}"#,
        r#"{"type":"contact"}"#,
        r#"{"type":"contact","id":true}"#,
        r#"{"type":"contact","id":"a","talk_s":"long"}"#,
        r#"{"type":"agent_state","agent":"a1","state":"busy"}"#,
        r#"{"type":"agent_state","agent":"a1","at":"2026-11-22T09:00:00Z"}"#,
        r#"{"id":"a"}"#,
        r#"{"type":"queue_stats","queue":"q","at":"2026-11-22T09:00:00Z","waiting":-2}"#,
        r#"{"type":"contact","id":"a",}"#,
        r#"{"type":"contact","id":"a"} trailing"#,
        r#"{"type":"contact","id":"a\q"}"#,
        r#"{"type":"contact","id":"a","x":[1,2}"#,
        r#"{"type":"contact","id":"a","x":"#,
        "{\"type\":\"contact\",\"id\":\"a\u{1}\"}",
        r#"{"type":"contact" "id":"a"}"#,
        r#"{1:2}"#,
        "not json",
        "[1,2]",
        "\"just a string\"",
        r#"{"type":"contact","id":"a","arrived_at":"#,
    ];
    let text = lines.join("\n") + "\n";
    let (_, errors) = shiftdeck::source::load_str(&text);
    assert!(
        errors.len() >= lines.len() - 1,
        "expected nearly every line refused, got {} of {}",
        errors.len(),
        lines.len()
    );
    for e in &errors {
        assert_all_chinese(&format!("line {}", e.line), &e.reason);
    }
}

#[test]
fn source_and_store_errors_come_out_in_chinese() {
    let url = "https://rt.example.com/REST/2.0/tickets".to_string();
    let errors = [
        SourceError::Timeout {
            url: url.clone(),
            secs: 10,
        },
        SourceError::Connect {
            url: url.clone(),
            reason: "error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)".into(),
        },
        SourceError::Auth {
            url: url.clone(),
            status: 401,
        },
        SourceError::RateLimited {
            url: url.clone(),
            retry_after: Some(std::time::Duration::from_secs(30)),
        },
        SourceError::RateLimited {
            url: url.clone(),
            retry_after: None,
        },
        SourceError::TooLarge {
            url: url.clone(),
            limit_mb: 64,
        },
        SourceError::ContentType {
            url: url.clone(),
            content_type: "text/html".into(),
            hint: " (an HTML login page: the token was not accepted, or a proxy wants a login)"
                .into(),
        },
        SourceError::ContentType {
            url: url.clone(),
            content_type: "text/html".into(),
            hint: " (an HTML page: a proxy or the wrong URL?)".into(),
        },
        SourceError::Body {
            url: url.clone(),
            reason: "error reading a body from connection: connection closed before message completed".into(),
        },
        SourceError::Json {
            url: url.clone(),
            reason: "EOF while parsing an object at line 1 column 7".into(),
        },
        SourceError::Redirect {
            url: url.clone(),
            to: "https://login.example.com/".into(),
        },
    ];
    for e in &errors {
        assert_all_chinese("source", &e.to_string());
    }
    for t in [TsError::Syntax, TsError::NoOffset, TsError::OutOfRange] {
        assert_all_chinese("timestamp", &t.to_string());
    }
    for s in [
        "RT needs a token: set [source] token_env or token_file (an RT auth token)",
        "the token environment variable SHIFTDECK_TOKEN is not set",
        "write-back: `abc` is not an RT ticket number",
        "refusing to send credentials over plain http to crm.example.com; use https",
    ] {
        assert_all_chinese("source", s);
    }
    // A store file that is not a database: the console's message.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shiftdeck.db");
    std::fs::write(&path, vec![b'x'; 8192]).expect("write");
    let (_, message) = shiftdeck::store::open_for_console(&path);
    let message = message.expect("a damaged store is reported");
    assert_all_chinese("store", &message);
}

#[test]
fn crm_url_errors_come_out_in_chinese() {
    use shiftdeck::source::spec::SourceSpec;
    for bad in [
        "gopher+http://x",
        "ftp://x/y",
        "rt+https://user:pw@rt.example.com",
        "rt+https://rt.example.com?per_page=0",
        "rt+https://rt.example.com?colour=red",
        "zendesk+https://acme.zendesk.com?days=many",
    ] {
        let e = SourceSpec::parse_crm(bad).expect_err(bad);
        assert_all_chinese(bad, &e.to_string());
    }
}
