//! Errors in Chinese: typed errors say themselves as a Chinese reader
//! expects (hand-written expectations), and the errors the program really
//! makes (config, loader, store, sources, `--crm` URLs) leave no English
//! sentence behind.

use std::io;
use std::path::Path;

use shiftdeck::cli::CliError;
use shiftdeck::cli::error::{DateProblem, Output};
use shiftdeck::domain::time::TsError;
use shiftdeck::i18n::detail::OsError;
use shiftdeck::i18n::{Lang, Localize};
use shiftdeck::source::error::NetCause;
use shiftdeck::source::http::SourceError;
use shiftdeck::source::{LineError, LoadError};
use shiftdeck::store::{StoreError, StoreNotice};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// English words left in a translated text, leaving out what is data or a
/// name: quoted and backticked parts, paths, URLs, keys and flags, and the
/// abbreviations a Chinese floor uses as they are.
fn english_left(s: &str) -> Vec<String> {
    // Names these messages quote (config keys and values) beside the words
    // the program's own check keeps.
    const KEPT: &[&str] = &[
        "Unicode",
        "Ctrl",
        "higher",
        "lower",
        "alert",
        "warn",
        "first_response_min",
        "resolution_min",
        "theme",
        "lang",
        "Asia",
        "Shanghai",
        "id",
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
    shiftdeck::english_words::english_left_keeping(&s, KEPT)
}

fn assert_chinese(what: &str, t: &str) {
    let left = english_left(t);
    assert!(
        left.is_empty() && has_cjk(t),
        "{what}: {t:?}\n  English left: {left:?}"
    );
}

fn assert_says(e: &dyn Localize, zh: &str) {
    assert_eq!(e.localize(Lang::Zh), zh);
}

#[test]
fn typed_errors_read_as_a_chinese_reader_expects() {
    let os = |code| OsError::new(&io::Error::from_raw_os_error(code));
    assert_says(
        &LoadError::Open {
            path: "/srv/f.ndjson".into(),
            err: os(2),
        },
        "无法打开 /srv/f.ndjson：文件或目录不存在（系统错误 2）",
    );
    let line = |text: &str, n| {
        let (_, errors) = shiftdeck::source::load_str(&format!("{text}\n"));
        LineError {
            origin: "/srv/f.ndjson".into(),
            line: n,
            ..errors.into_iter().next().expect("refused")
        }
    };
    assert_says(
        &line("not json", 3),
        "/srv/f.ndjson:3: 不是有效的 JSON，第 2 列：“expected ident”",
    );
    assert_says(
        &line(r#"{"type":"contact","id":"a","arrived_at":"#, 9),
        "/srv/f.ndjson:9: JSON 不完整（行被截断？），第 40 列：“EOF while parsing a value”",
    );
    assert_says(
        &line(r#"{"type":"survey","id":"s","csat":9}"#, 4),
        "/srv/f.ndjson:4: `csat` 必须在 1 到 5 之间，实为 9",
    );
    assert_says(
        &SourceError::Connect {
            url: "http://127.0.0.1:9/feed".into(),
            cause: NetCause::Os(os(111)),
        },
        "http://127.0.0.1:9/feed: 无法连接：连接被拒绝（系统错误 111）",
    );
    assert_says(
        &StoreNotice::ReadOnly(StoreError::Locked("/d/shiftdeck.db".into())),
        "数据库 /d/shiftdeck.db 被其他程序锁定（另一个 shiftdeck？）；本次运行只能查看，不能录入",
    );
    assert_says(
        &CliError::Start {
            value: "2026-13-01".into(),
            why: DateProblem::OutOfRange,
        },
        "--start '2026-13-01'：应为日期，如 2026-11-16（数值超出范围）",
    );
    assert_says(
        &CliError::Write {
            to: Output::File("/x.csv".into()),
            err: os(28),
        },
        "写入 /x.csv 失败：磁盘空间不足（系统错误 28）",
    );
    assert_says(
        &SourceError::Status {
            url: "https://rt.example.com/REST/2.0/ticket/9/comment".into(),
            status: 404,
            detail: "Not Found".into(),
        },
        "https://rt.example.com/REST/2.0/ticket/9/comment: 服务器返回 HTTP 404（不存在）：“Not Found”",
    );
    // A server's own words are data: quoted as they are.
    assert_says(
        &SourceError::Status {
            url: "https://crm.example.com/feed".into(),
            status: 503,
            detail: "Service Unavailable".into(),
        },
        "https://crm.example.com/feed: 服务器返回 HTTP 503（服务暂不可用）：“Service Unavailable”",
    );
    // An OS error the catalogue has no words for keeps its number.
    assert_says(&os(95), "此处不支持该操作（系统错误 95）");
}

#[test]
fn english_stays_as_the_log_reads_it() {
    let e = CliError::Create {
        path: "/var/x.ndjson".into(),
        err: OsError::new(&io::Error::from_raw_os_error(13)),
    };
    assert_eq!(
        e.localize(Lang::Zh),
        "无法创建 /var/x.ndjson：没有权限（系统错误 13）"
    );
    assert_eq!(
        e.to_string(),
        "cannot create /var/x.ndjson: Permission denied (os error 13)"
    );
    assert_eq!(e.localize(Lang::En), e.to_string());
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
        assert_chinese(&format!("line {}", e.line), &e.localize(Lang::Zh));
        assert!(
            e.localize(Lang::Zh).starts_with("<text>:"),
            "file:line kept"
        );
    }
}

#[test]
fn source_and_store_errors_come_out_in_chinese() {
    // One of every variant, as the catalogue test has them.
    let errors = SourceError::examples();
    for e in &errors {
        assert_chinese("source", &e.localize(Lang::Zh));
    }
    for t in [TsError::Syntax, TsError::NoOffset, TsError::OutOfRange] {
        assert_chinese("timestamp", &t.localize(Lang::Zh));
    }
    // A store file that is not a database: the console's message.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shiftdeck.db");
    std::fs::write(&path, vec![b'x'; 8192]).expect("write");
    let (_, message) =
        shiftdeck::store::open_for_console(&path, &shiftdeck::domain::SourceId::unrecorded());
    let message = message.expect("a damaged store is reported");
    assert_chinese("store", &message.localize(Lang::Zh));
    // A token file that cannot be read, through the real loader.
    let e = shiftdeck::source::http::load_token(None, Some(&dir.path().join("none")))
        .expect_err("no file");
    assert_eq!(
        e.localize(Lang::Zh),
        format!(
            "无法读取令牌文件 {}：文件或目录不存在（系统错误 2）",
            dir.path().join("none").display()
        )
    );
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
        assert_chinese(bad, &e.localize(Lang::Zh));
    }
}
