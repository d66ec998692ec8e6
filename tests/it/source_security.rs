//! The token never shows: every log line (captured through a tracing
//! subscriber) and every error and Debug string of failing runs against
//! hostile servers (echoing the credentials back, redirecting to another
//! host, refusing the token) is searched for it.

use crate::common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Reply, Request, TestServer};
use shiftdeck::source::http::{self, HttpSettings};
use shiftdeck::source::poll::{SourceEvent, SourceSettings};
use shiftdeck::source::spec::{Poller, SourceSpec, spawn_source};

const TOKEN: &str = "s3cr3t-TOKEN-7f1c9a2e";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
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

fn b64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| *c != b'=').collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= (val(*c) as u32) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// A hostile server: a 500 whose message repeats the Authorization header,
/// its last word, and for basic auth the decoded pair.
fn echo(req: &Request) -> Reply {
    let auth = req.header("Authorization").unwrap_or("").to_owned();
    let bare = auth.rsplit(' ').next().unwrap_or("").to_owned();
    let decoded = String::from_utf8_lossy(&b64_decode(&bare)).into_owned();
    let msg = format!("bad credentials: {auth} / {bare} / {decoded}");
    Reply::with(
        500,
        "application/json",
        serde_json::json!({ "message": msg }).to_string(),
    )
}

#[test]
fn token_never_in_logs_errors_or_debug_output() {
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
    let mut shown: Vec<String> = Vec::new();

    // A token file others may read: used, with a warning that names the file only.
    let dir = tempfile::tempdir().expect("tempdir");
    let token_path = dir.path().join("token");
    std::fs::write(&token_path, format!("{TOKEN}\n")).expect("write");
    std::fs::set_permissions(&token_path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let token = http::load_token(None, Some(&token_path))
        .expect("token")
        .expect("some");
    assert_eq!(token.expose(), TOKEN);
    shown.push(format!("{token:?} {token}"));
    let settings = SourceSettings {
        token: Some(token),
        poll: Duration::from_millis(10),
        backoff_min: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        http: HttpSettings {
            timeout: Duration::from_secs(5),
            ..HttpSettings::default()
        },
        ..SourceSettings::default()
    };
    shown.push(format!("{settings:?}"));
    let zendesk_settings = SourceSettings {
        token: Some(http::Secret::new(format!("lead@acme.test/token:{TOKEN}"))),
        ..settings.clone()
    };

    rt.block_on(async {
        let hostile = TestServer::start(echo).await;
        let elsewhere = TestServer::start(|_| Reply::json(r#"{"cursor":"x","records":[]}"#)).await;
        let target = elsewhere.url("/feed");
        let redirecting = TestServer::start(move |_| Reply::redirect(&target)).await;
        let refusing = TestServer::start(|_| Reply::status(401)).await;

        let mut echo_errors = 0;
        for (url, s) in [
            (format!("rt+{}", hostile.url("")), &settings),
            (format!("feed+{}", hostile.url("")), &settings),
            (format!("zendesk+{}", hostile.url("")), &zendesk_settings),
            (format!("rt+{}", redirecting.url("")), &settings),
            (format!("feed+{}", redirecting.url("")), &settings),
            (format!("rt+{}", refusing.url("")), &settings),
        ] {
            let spec = SourceSpec::parse_crm(&url).expect("spec");
            shown.push(format!("{spec:?}"));
            let mut poller = Poller::new(&spec, s).expect("poller");
            shown.push(format!("{poller:?}"));
            let err = poller
                .poll_once()
                .await
                .expect_err("hostile servers fail the poll");
            if err.to_string().contains("bad credentials: ***") {
                echo_errors += 1;
            }
            shown.push(err.to_string());
            shown.push(format!("{err:?}"));
        }
        // All three connectors met the echo, and it was blanked out.
        assert_eq!(echo_errors, 3, "{shown:#?}");
        // Credentials never followed the redirect to the other host.
        assert!(elsewhere.requests().is_empty(), "the other host was called");
        assert!(shown.iter().any(|s| s.contains("never follow a redirect")));
        assert!(
            shown
                .iter()
                .any(|s| s.contains("authentication refused (HTTP 401)"))
        );

        // The task logs and reports its failures too.
        let spec = SourceSpec::parse_crm(&format!("rt+{}", hostile.url(""))).expect("spec");
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let task = spawn_source(spec, settings.clone(), tx);
        for _ in 0..3 {
            let ev = rx.recv().await.expect("event");
            if let SourceEvent::Status { error, .. } = &ev {
                assert!(error.is_some());
            }
            shown.push(format!("{ev:?}"));
        }
        drop(rx);
        let _ = task.await;
        // The hostile server did receive the token: the test checks what we show, not what we send.
        assert!(
            hostile
                .requests()
                .iter()
                .any(|r| r.header("Authorization") == Some(&format!("token {TOKEN}")))
        );
    });

    let log_text = String::from_utf8_lossy(&logs.0.lock().expect("lock")).into_owned();
    assert!(
        log_text.contains("poll failed"),
        "the task's failures are logged: {log_text}"
    );
    assert!(
        log_text.contains("group or others"),
        "a shared token file is warned about"
    );
    assert!(!log_text.contains(TOKEN), "token in the log:\n{log_text}");
    for s in &shown {
        assert!(!s.contains(TOKEN), "token shown: {s}");
    }
}
