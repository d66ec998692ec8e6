//! Issue 17 ("Hardening"), each case through the path the user took: the
//! real binary for the command line, a local fault server on 127.0.0.1 for
//! HTTP, key handling and drawing on the app for the console.

use crate::{cli_support, common, ui_support};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Reply, TestServer};
use serde_json::Value;

const UTC_CONFIG: &str = cli_support::UTC_CONFIG;

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run shiftdeck")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

/// `snapshot --file F --config utc --now T [extra]` in a fresh home.
fn snapshot(home: &Path, file: &Path, extra: &[&str]) -> Output {
    run(cli_support::shiftdeck_in(home)
        .args(["snapshot", "--file"])
        .arg(file)
        .args(["--config", UTC_CONFIG, "--now", "2026-11-22T12:00:00Z"])
        .args(extra))
}

fn contact(id: &str, extra: &str) -> String {
    format!(
        r#"{{"type":"contact","id":"{id}","queue":"q1","arrived_at":"2026-11-22T09:00:00Z","answered_at":"2026-11-22T09:00:10Z","ended_at":"2026-11-22T09:05:00Z"{extra}}}"#
    )
}

// ── Item 4: a duration beyond the bound is malformed; nothing is infinite.

#[test]
fn huge_durations_are_malformed_lines_and_aht_stays_finite() {
    let home = tempfile::tempdir().expect("tempdir");
    let text = [
        contact("k1", r#","talk_s":1e308"#),
        contact("k2", r#","talk_s":1e308"#),
        // 100 + 20 + 30 = 150 s: the only handled contact left.
        contact("k3", r#","talk_s":100,"hold_s":20,"wrap_s":30"#),
    ]
    .join("\n");
    let file = write(home.path(), "huge.ndjson", &text);
    let out = snapshot(home.path(), &file, &["--from", "2026-11-22"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let name = file.display();
    for line in [1, 2] {
        let want =
            format!("{name}:{line}: `talk_s` must be at most 31622400 s (366 days), got 1e308");
        assert!(err.contains(&want), "missing {want:?} in {err}");
    }
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let aht = &json["kpis"]["aht_s"];
    assert_eq!(aht["value"], 150.0, "{aht}");
    assert_eq!(aht["n"], 1.0);
    // 150 − 252 = −102: at or under the target is ok.
    assert_eq!(aht["gap"], -102.0);
    assert_eq!(aht["status"], "ok");
    assert_eq!(json["queues"][0]["aht_s"], 150.0);

    let table = snapshot(
        home.path(),
        &file,
        &["--from", "2026-11-22", "--format", "table"],
    );
    let t = stdout(&table);
    // 150 s as the console writes it.
    assert!(t.contains("2m30s"), "{t}");
    assert!(!t.contains("inf"), "{t}");
}

#[test]
fn only_huge_durations_leave_aht_null_with_null_gap_and_status() {
    let home = tempfile::tempdir().expect("tempdir");
    let text = [
        contact("k1", r#","talk_s":1e308"#),
        contact("k2", r#","hold_s":1e308"#),
        // Answered but never ended: offered and answered, not handled.
        r#"{"type":"contact","id":"k3","queue":"q1","arrived_at":"2026-11-22T09:00:00Z","answered_at":"2026-11-22T09:00:05Z"}"#.to_owned(),
    ]
    .join("\n");
    let file = write(home.path(), "huge.ndjson", &text);
    let out = snapshot(home.path(), &file, &["--from", "2026-11-22"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let aht = &json["kpis"]["aht_s"];
    assert!(aht["value"].is_null(), "{aht}");
    assert!(aht["gap"].is_null(), "{aht}");
    assert!(aht["status"].is_null(), "{aht}");
    assert_eq!(aht["target"], 252.0);
}

// ── Item 5: a closed pipe ends a command quietly.

/// A pipe whose reading end is already closed: every write to it fails
/// with EPIPE, however fast the program is.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

#[test]
fn commands_writing_to_a_closed_pipe_end_quietly() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = write(
        home.path(),
        "floor.ndjson",
        &contact("k1", r#","talk_s":100"#),
    );
    let file = file.to_str().expect("utf-8");
    let cases: Vec<Vec<&str>> = vec![
        vec!["config", "path"],
        vec!["config", "show"],
        vec!["snapshot", "--file", file, "--config", UTC_CONFIG],
        vec![
            "snapshot", "--file", file, "--config", UTC_CONFIG, "--format", "table",
        ],
        vec!["report", "weekly", "--file", file, "--config", UTC_CONFIG],
        vec!["export", "spot-checks", "--config", UTC_CONFIG],
        vec!["bench", "--file", file, "--repeat", "1"],
        vec!["--help"],
    ];
    for args in cases {
        let out = cli_support::shiftdeck_in(home.path())
            .args(&args)
            .stdout(Stdio::from(closed_pipe()))
            .stderr(Stdio::piped())
            .output()
            .expect("run");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(!err.contains("backtrace"), "{args:?}: {err}");
    }
}

// ── Item 6: no valid record is an exit status; cut lists say so.

#[test]
fn a_snapshot_of_files_without_a_valid_record_exits_3() {
    let home = tempfile::tempdir().expect("tempdir");
    let passwd = write(
        home.path(),
        "passwd",
        "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
    );
    let garbage = write(
        home.path(),
        "garbage.ndjson",
        "\u{1}\u{2}garbage\n{\"id\":1}\n\n",
    );
    let unknown = write(
        home.path(),
        "unknown.ndjson",
        "{\"type\":\"weather\",\"id\":1}\n",
    );
    let empty = write(home.path(), "empty.ndjson", "");
    for (file, lines) in [(&passwd, 2), (&garbage, 3), (&unknown, 1), (&empty, 0)] {
        for format in ["json", "table"] {
            let out = snapshot(home.path(), file, &["--format", format]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(3), "{}: {err}", file.display());
            assert!(out.stdout.is_empty(), "{}", stdout(&out));
            let want = format!(
                "shiftdeck: no valid record in {} ({lines} lines read): nothing to report",
                file.display()
            );
            assert!(err.contains(&want), "{err}");
        }
    }
    // One valid record among the garbage is a snapshot.
    let mixed = write(
        home.path(),
        "mixed.ndjson",
        &format!("garbage\n{}\n", contact("k1", "")),
    );
    assert_eq!(snapshot(home.path(), &mixed, &[]).status.code(), Some(0));
    // The code is documented where a script writer looks.
    let help = stdout(&run(
        cli_support::shiftdeck_in(home.path()).args(["snapshot", "--help"])
    ));
    assert!(help.contains("3 the files hold no valid record"), "{help}");
    let help_zh = stdout(&run(
        cli_support::shiftdeck_in(home.path()).args(["--lang", "zh", "snapshot", "--help"])
    ));
    assert!(help_zh.contains("3 文件中没有任何有效记录"), "{help_zh}");
}

#[test]
fn a_cut_snapshot_table_says_how_many_more() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut lines = Vec::new();
    // 58 urgent contacts waiting since 11:00: 58 SLA timers, 15 shown.
    for i in 0..58 {
        lines.push(format!(
            r#"{{"type":"contact","id":"w{i:02}","queue":"q1","priority":"urgent","arrived_at":"2026-11-22T11:00:00Z"}}"#
        ));
    }
    // 12 overdue feedback items: 10 shown.
    for i in 0..12 {
        lines.push(format!(
            r#"{{"type":"feedback","id":"f{i:02}","stage":"handling","due_at":"2026-11-22T10:00:00Z"}}"#
        ));
    }
    let file = write(home.path(), "long.ndjson", &lines.join("\n"));
    let out = snapshot(home.path(), &file, &["--format", "table"]);
    let t = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(t.contains("  … and 43 more"), "{t}");
    assert!(t.contains("  … and 2 more"), "{t}");
    assert_eq!(t.matches("… and").count(), 2, "{t}");
    let zh = snapshot(home.path(), &file, &["--format", "table", "--lang", "zh"]);
    let t = stdout(&zh);
    assert!(t.contains("… 另有 43 项"), "{t}");
}

// ── Item 18: a token cut at any offset never shows.

const TOKEN: &str = "Zq9-SUPERSECRET-42xy";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Error bodies that end, where shiftdeck cuts them, `k` characters into
/// the token: at the 200-character excerpt, at the 4 KB read, and inside
/// a JSON message that quotes six characters or more of it.
fn cut_bodies() -> Vec<Reply> {
    let mut replies = Vec::new();
    for k in 1..TOKEN.len() {
        let at_excerpt = "e".repeat(199 - k) + TOKEN + " and more";
        replies.push(Reply::with(500, "text/plain", at_excerpt));
        let at_read = " ".repeat(4096 - k) + TOKEN + &"z".repeat(300);
        replies.push(Reply::with(500, "text/plain", at_read));
    }
    for k in 6..=TOKEN.len() {
        let msg = format!("token {} rejected", &TOKEN[..k]);
        replies.push(Reply::with(
            500,
            "application/json",
            serde_json::json!({ "message": msg }).to_string(),
        ));
    }
    replies
}

#[test]
fn a_token_cut_at_any_offset_shows_in_no_header_and_no_log() {
    use shiftdeck::app::state::Action;
    use shiftdeck::app::view::{EngineMsg, SourceStatus};
    use shiftdeck::source::http::{HttpSettings, Secret};
    use shiftdeck::source::poll::{SourceEvent, SourceSettings};
    use shiftdeck::source::spec::{SourceSpec, spawn_source};

    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let replies = cut_bodies();
    let expected = replies.len();
    let errors: Vec<String> = rt.block_on(async {
        let server = TestServer::start(|_| Reply::status(500)).await;
        for r in replies {
            server.push(r);
        }
        let settings = SourceSettings {
            token: Some(Secret::new(TOKEN)),
            poll: Duration::from_millis(5),
            backoff_min: Duration::from_millis(1),
            backoff_max: Duration::from_millis(2),
            http: HttpSettings {
                timeout: Duration::from_secs(5),
                ..HttpSettings::default()
            },
            ..SourceSettings::default()
        };
        let spec = SourceSpec::parse_crm(&format!("feed+{}", server.url(""))).expect("spec");
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let task = spawn_source(spec, settings, tx);
        let mut errors = Vec::new();
        while errors.len() < expected {
            if let SourceEvent::Status { error: Some(e), .. } = rx.recv().await.expect("event") {
                errors.push(e.to_string());
            }
        }
        drop(rx);
        let _ = task.await;
        errors
    });
    let log = String::from_utf8_lossy(&logs.0.lock().expect("lock")).into_owned();
    let prefix = &TOKEN[..2];
    for e in &errors {
        assert!(e.contains("HTTP 500"), "{e}");
        assert!(
            !e.contains(prefix),
            "a piece of the token in the error: {e}"
        );
        // The header shows the error as the lead sees it.
        let mut app = ui_support::app(200, 30);
        app.update(Action::Engine(EngineMsg::Status(Box::new(SourceStatus {
            label: "feed".into(),
            last_error: Some(e.clone()),
            ..SourceStatus::default()
        }))));
        let screen = ui_support::text(&ui_support::draw(&app, 200, 30));
        assert!(screen.contains("HTTP 500"), "{screen}");
        assert!(!screen.contains(prefix), "{screen}");
    }
    assert!(log.contains("HTTP 500"), "{log}");
    assert!(
        !log.contains(prefix),
        "a piece of the token in the log:\n{log}"
    );
}

// ── Item 19: one sanitizer on every output.

/// What must never reach a terminal: ESC, BEL, C1 CSI, bidi overrides and
/// isolates, zero-width characters.
const HOSTILE: &[char] = &[
    '\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{200d}', '\u{2060}',
    '\u{feff}', '\u{200f}',
];

fn assert_clean(what: &str, text: &str) {
    for c in HOSTILE {
        assert!(
            !text.contains(*c),
            "{what}: U+{:04X} got through:\n{text:?}",
            *c as u32
        );
    }
}

/// A floor whose every kind of text carries escape sequences, bidi and
/// zero-width characters.
fn hostile_lines() -> Vec<String> {
    let evil = r"\u001b]0;PWNED\u0007\u202eevil\u200b\u2066x\u2069\u200d\u2060\ufeff";
    vec![
        format!(r#"{{"type":"queue","id":"q1","name":"Queue {evil}"}}"#),
        format!(
            r#"{{"type":"contact","id":"c-{evil}","queue":"q1","priority":"urgent","arrived_at":"2026-11-22T02:00:00Z","agent":"a-{evil}","customer":"u-{evil}"}}"#
        ),
        format!(
            r#"{{"type":"feedback","id":"fb-{evil}","stage":"stage-{evil}","owner":"o-{evil}","summary":"s {evil}","due_at":"2026-11-22T10:00:00Z"}}"#
        ),
        format!(r#"{{"type":"kind-\u001b[31m{evil}","id":"1"}}"#),
        format!(r#"{{"type":"contact","id":"bad","talk_s":"\u001b[2J{evil}"}}"#),
    ]
}

#[test]
fn snapshot_table_and_loader_reports_carry_no_hostile_characters() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = write(home.path(), "hostile.ndjson", &hostile_lines().join("\n"));
    for lang in ["en", "zh"] {
        let out = snapshot(home.path(), &file, &["--format", "table", "--lang", lang]);
        assert!(out.status.success(), "{}", stderr(&out));
        let t = stdout(&out);
        assert!(t.contains("evil"), "{t}");
        assert_clean("snapshot table", &t);
        let err = stderr(&out);
        // The unknown type and the malformed line are both reported.
        assert!(err.contains("kind-"), "{err}");
        assert!(err.contains(":5:"), "{err}");
        assert_clean("loader report", &err);
    }
}

#[test]
fn an_http_error_body_reaches_stderr_sanitised() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let body = "oops \u{1b}]0;PWNED\u{7} \u{1b}[2J \u{202e}evil\u{200b} \u{9b}31m";
    let server = rt.block_on(TestServer::start(move |_| {
        Reply::with(500, "text/plain", body)
    }));
    let home = tempfile::tempdir().expect("tempdir");
    for lang in ["en", "zh"] {
        let out = run(cli_support::shiftdeck_in(home.path()).args([
            "snapshot",
            "--crm",
            &format!("feed+{}", server.url("")),
            "--lang",
            lang,
        ]));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("HTTP 500"), "{err}");
        assert!(err.contains("evil"), "{err}");
        assert_clean("HTTP error on stderr", &err);
    }
}

#[test]
fn console_panes_popups_and_header_carry_no_hostile_characters() {
    use shiftdeck::app::keymap::KeyAction as K;
    use shiftdeck::app::state::Action;
    use shiftdeck::app::view::{EngineMsg, SourceStatus};

    let mut ndjson = ui_support::floor_ndjson();
    // The console fixture loads whole: without the malformed line.
    for l in hostile_lines().iter().filter(|l| !l.contains("talk_s")) {
        ndjson.push_str(l);
        ndjson.push('\n');
    }
    let (w, h) = (200, 50);
    let mut app = ui_support::app_with(&ndjson, w, h);
    app.update(Action::Engine(EngineMsg::Status(Box::new(SourceStatus {
        label: "feed".into(),
        last_error: Some("HTTP 500: \u{1b}]0;PWNED\u{7}\u{202e}evil\u{200b}".into()),
        ..SourceStatus::default()
    }))));
    let cells = |app: &shiftdeck::app::state::App| -> String {
        ui_support::draw(app, w, h)
            .content()
            .iter()
            .map(|c| c.symbol().to_owned())
            .collect()
    };
    let screen = cells(&app);
    assert!(screen.contains("evil"), "{screen}");
    assert_clean("console", &screen);
    // Every pane zoomed, and every item of it opened.
    for pane in 1..=4 {
        app.update(Action::Key(K::Focus(pane)));
        app.update(Action::Key(K::Zoom));
        for _ in 0..12 {
            app.update(Action::Key(K::Open));
            assert_clean(&format!("pane {pane} popup"), &cells(&app));
            app.update(Action::Key(K::Back));
            app.update(Action::Key(K::Down));
        }
        assert_clean(&format!("pane {pane}"), &cells(&app));
        app.update(Action::Key(K::Zoom));
    }
}

// ── Item 21: agent states in any order give the same floor.

#[test]
fn agent_states_in_reverse_time_order_give_the_same_snapshot() {
    let home = tempfile::tempdir().expect("tempdir");
    let states = [
        ("available", "08:00:00", "q1"),
        ("busy", "08:30:00", "q1"),
        ("wrap", "08:40:00", "q1"),
        // Two events at one instant: the later line is the later state.
        ("break", "09:00:00", "q1"),
        ("available", "09:00:00", "q2"),
        ("busy", "10:00:00", "q2"),
    ];
    let line = |(s, at, q): &(&str, &str, &str)| {
        format!(
            r#"{{"type":"agent_state","agent":"a1","state":"{s}","at":"2026-11-22T{at}Z","queue":"{q}"}}"#
        )
    };
    let forward: Vec<String> = states.iter().map(line).collect();
    // Reversed, except the tie keeps its order (feed order decides it).
    let mut reverse: Vec<String> = Vec::new();
    for group in [
        &states[5..6],
        &states[3..5],
        &states[2..3],
        &states[1..2],
        &states[0..1],
    ] {
        reverse.extend(group.iter().map(line));
    }
    let c = contact("k1", "");
    let a = write(home.path(), "fwd.ndjson", &(forward.join("\n") + "\n" + &c));
    let b = write(home.path(), "rev.ndjson", &(reverse.join("\n") + "\n" + &c));
    let ja: Value =
        serde_json::from_slice(&snapshot(home.path(), &a, &["--from", "2026-11-22"]).stdout)
            .expect("json");
    let jb: Value =
        serde_json::from_slice(&snapshot(home.path(), &b, &["--from", "2026-11-22"]).stdout)
            .expect("json");
    // 08:00–12:00: available 30 + 60 min, busy 10 + 120 min, wrap 20 min,
    // break 0 (ended at once by the tie): (130 + 20) ÷ (90 + 150) = 0.625.
    assert_eq!(ja["kpis"]["occupancy"]["value"], 0.625, "{}", ja["kpis"]);
    assert_eq!(ja["kpis"], jb["kpis"]);
    assert_eq!(ja["queues"], jb["queues"]);
}

// ── Item 24: CSV cells a spreadsheet would run are neutralised.

#[test]
fn csv_exports_neutralise_formula_cells() {
    use shiftdeck::store::{self, Store, torture};

    let home = tempfile::tempdir().expect("tempdir");
    let s = Store::open(&store::path_in(&home.path().join("data"))).expect("store");
    let mut e = torture::entry(4);
    e.contact = "=HYPERLINK(\"http://evil\",\"x\")".into();
    e.agent = "+agent".into();
    e.comment = "=cmd|' /C calc'!A0".into();
    s.save_score(&e).expect("save");
    for (n, contact, comment) in [
        (5, "-2+3", "@SUM(A1:A9)"),
        (6, "\tTAB", "\rCR"),
        (7, "-0.5", "plain, with a comma"),
    ] {
        let mut e = torture::entry(n);
        e.contact = contact.into();
        e.comment = comment.into();
        s.save_score(&e).expect("save");
    }
    drop(s);
    let cfg = write(
        home.path(),
        "shiftdeck.toml",
        "timezone = \"Asia/Shanghai\"\n",
    );
    let day = {
        let e = torture::entry(4);
        e.day.to_string()
    };
    let csv = cli_support::stdout_ok(cli_support::shiftdeck_with(home.path(), &cfg).args([
        "export",
        "spot-checks",
        "--from",
        &day,
    ]));
    for want in [
        r#","'+agent","#,
        r#""'=HYPERLINK(""http://evil"",""x"")""#,
        r#""'=cmd|' /C calc'!A0""#,
        r#""'-2+3""#,
        r#""'@SUM(A1:A9)""#,
        "\"'\tTAB\"",
        "\"'\rCR\"",
        // A plain number is a number, not a formula.
        ",-0.5,",
        r#""plain, with a comma""#,
    ] {
        assert!(csv.contains(want), "missing {want:?} in\n{csv}");
    }
    for line in csv.split("\r\n") {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "a formula cell: {cell:?} in {line:?}"
            );
        }
    }
}

// ── Item 25: no password echoed; a redirect says what changed.

#[test]
fn a_password_in_the_crm_url_is_refused_without_repeating_it() {
    let home = tempfile::tempdir().expect("tempdir");
    for url in [
        "http://lead:hunter2-pw@127.0.0.1:9/",
        "rt+https://lead:hunter2-pw@rt.example.com",
        "feed+http://lead:hunter2-pw@127.0.0.1:bad/",
        "zendesk+https://lead:hunter2/pw@acme.zendesk.com",
    ] {
        for args in [
            vec!["snapshot", "--crm", url],
            vec!["report", "weekly", "--crm", url],
            vec!["--crm", url, "--lang", "zh"],
        ] {
            let out = run(cli_support::shiftdeck_in(home.path())
                .args(&args)
                .stdin(Stdio::null()));
            let err = stderr(&out);
            assert!(!out.status.success(), "{args:?}");
            assert!(!err.contains("hunter2"), "{args:?}: {err}");
            assert!(err.contains("***@"), "{args:?}: {err}");
        }
    }
}

#[test]
fn a_redirect_to_another_port_says_the_port_changed() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let (elsewhere, redirecting) = rt.block_on(async {
        let elsewhere = TestServer::start(|_| Reply::json(r#"{"cursor":"x","records":[]}"#)).await;
        let target = elsewhere.url("/feed");
        let redirecting = TestServer::start(move |_| Reply::redirect(&target)).await;
        (elsewhere, redirecting)
    });
    let home = tempfile::tempdir().expect("tempdir");
    let (from, to) = (redirecting.addr.port(), elsewhere.addr.port());
    let out = run(cli_support::shiftdeck_in(home.path()).args([
        "snapshot",
        "--crm",
        &format!("feed+{}", redirecting.url("")),
    ]));
    let err = stderr(&out);
    let want = format!(
        "redirected to http://127.0.0.1:{to} (the port changes from {from} to {to}); credentials never follow a redirect to another origin"
    );
    assert!(err.contains(&want), "{err}");
    assert!(elsewhere.requests().is_empty(), "the other port was called");
    let zh = run(cli_support::shiftdeck_in(home.path()).args([
        "snapshot",
        "--crm",
        &format!("feed+{}", redirecting.url("")),
        "--lang",
        "zh",
    ]));
    let err = stderr(&zh);
    assert!(err.contains(&format!("端口由 {from} 变为 {to}")), "{err}");
}
