//! `sslmode` is honoured and TLS is verified whenever it is used, against
//! a stand-in server that speaks just the start of PostgreSQL's protocol:
//! it reads the client's first message and answers an SSLRequest with `S`
//! (then a TLS handshake with a self-signed certificate) or `N`.
//! - prefer (the default) with a server offering TLS under a certificate
//!   no root vouches for: refused, never continued in plain text;
//! - require with a server that offers no TLS: refused;
//! - disable: no SSLRequest at all, the startup message comes first.
//!
//! And against the real test server when `.ci/pg start` gave it TLS under
//! a throwaway CA (`SHIFTDECK_PG_CA`): the binary's `store migrate` and
//! `store check` connect with `verify-full` when the CA is trusted
//! (`SSL_CERT_FILE`), and are refused, naming the store and the
//! certificate, when it is not.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::mpsc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use shiftdeck::config::{PgUrl, StoreConfig};
use shiftdeck::store::{Store, StoreError, StoreLocation};

/// What the stand-in saw first.
#[derive(Debug, PartialEq)]
enum Seen {
    /// An SSLRequest (then: whether a TLS handshake completed).
    SslRequest {
        handshake_done: bool,
    },
    /// A startup message (protocol 3.0): no TLS asked for.
    Startup,
    Other(u32),
}

/// A one-connection stand-in answering an SSLRequest with `answer`.
fn stand_in(answer: u8) -> (u16, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut tcp, _)) = listener.accept() else {
            return;
        };
        let mut head = [0u8; 8];
        if tcp.read_exact(&mut head).is_err() {
            return;
        }
        let code = u32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        let seen = match code {
            80_877_103 => {
                let _ = tcp.write_all(&[answer]);
                let mut handshake_done = false;
                if answer == b'S' {
                    let key = rcgen::generate_simple_self_signed(vec![
                        "localhost".into(),
                        "127.0.0.1".into(),
                    ])
                    .expect("certificate");
                    let cert = CertificateDer::from(key.cert.der().to_vec());
                    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
                        key.signing_key.serialize_der(),
                    ));
                    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
                        rustls::crypto::ring::default_provider(),
                    ))
                    .with_safe_default_protocol_versions()
                    .expect("versions")
                    .with_no_client_auth()
                    .with_single_cert(vec![cert], private)
                    .expect("server config");
                    let mut conn = rustls::ServerConnection::new(Arc::new(config)).expect("tls");
                    while conn.is_handshaking() {
                        if conn.complete_io(&mut tcp).is_err() {
                            break;
                        }
                    }
                    handshake_done = !conn.is_handshaking();
                }
                Seen::SslRequest { handshake_done }
            }
            196_608 => Seen::Startup,
            other => Seen::Other(other),
        };
        let _ = tx.send(seen);
    });
    (port, rx)
}

fn open(port: u16, sslmode: &str) -> Result<Store, StoreError> {
    let url = format!("postgres://lead@127.0.0.1:{port}/shiftdeck?sslmode={sslmode}");
    let cfg = StoreConfig {
        url: Some(PgUrl::parse(&url).expect("url")),
        ..StoreConfig::default()
    };
    let dir = tempfile::tempdir().expect("dir");
    let loc = StoreLocation::resolve(&cfg, dir.path()).expect("location");
    Store::open_at(&loc)
}

fn detail(e: &StoreError) -> String {
    match e {
        StoreError::Unreachable { detail, .. } => detail.clone(),
        other => format!("{other:?}"),
    }
}

#[test]
fn offered_tls_with_an_untrusted_certificate_is_refused_not_skipped() {
    let (port, seen) = stand_in(b'S');
    let e = open(port, "prefer").err().expect("refused");
    let why = detail(&e);
    assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    assert!(why.to_lowercase().contains("certificate"), "{why}");
    assert_eq!(
        seen.recv().expect("seen"),
        Seen::SslRequest {
            handshake_done: false
        }
    );
}

#[test]
fn require_refuses_a_server_without_tls() {
    let (port, seen) = stand_in(b'N');
    let e = open(port, "verify-full").err().expect("refused");
    assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    assert!(detail(&e).contains("TLS"), "{}", detail(&e));
    assert_eq!(
        seen.recv().expect("seen"),
        Seen::SslRequest {
            handshake_done: false
        }
    );
}

#[test]
fn disable_asks_for_no_tls() {
    let (port, seen) = stand_in(b'N');
    // The stand-in closes after the first message: the open fails, but
    // what it saw first is the startup message.
    assert!(open(port, "disable").is_err());
    assert_eq!(seen.recv().expect("seen"), Seen::Startup);
}

/// `shiftdeck --config CONFIG store ACTION`, trusting `ca` if given (and
/// nothing from the caller's environment).
fn store_cmd(config: &std::path::Path, action: &str, ca: Option<&str>) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_shiftdeck"));
    c.arg("--config")
        .arg(config)
        .args(["store", action])
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR");
    if let Some(ca) = ca {
        c.env("SSL_CERT_FILE", ca);
    }
    c.output().expect("run shiftdeck")
}

#[test]
fn a_real_server_is_verified_under_its_ca() {
    let (Ok(url), Ok(ca)) = (
        std::env::var("SHIFTDECK_PG_URL"),
        std::env::var("SHIFTDECK_PG_CA"),
    ) else {
        eprintln!("skipped: needs SHIFTDECK_PG_URL and SHIFTDECK_PG_CA (.ci/pg start)");
        return;
    };
    let port = PgUrl::parse(&url).expect("test URL").port;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("shiftdeck.toml");
    let write = |mode: &str| {
        std::fs::write(
            &config,
            format!(
                "[store]\nurl = \"postgres://postgres@127.0.0.1:{port}/postgres?sslmode={mode}\"\n\
                 schema = \"tls_{}\"\n",
                std::process::id()
            ),
        )
        .expect("config");
    };
    let text = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    write("verify-full");
    // verify-full never runs in plain text: a success is a verified TLS session.
    let migrated = store_cmd(&config, "migrate", Some(&ca));
    assert!(migrated.status.success(), "{}", text(&migrated));
    let checked = store_cmd(&config, "check", Some(&ca));
    assert!(checked.status.success(), "{}", text(&checked));
    assert!(
        text(&checked).contains("reachable: yes"),
        "{}",
        text(&checked)
    );
    // Without the CA, the same server is refused, under verify-full and
    // under the default prefer (no fallback to plain text).
    for mode in ["verify-full", "prefer"] {
        write(mode);
        let refused = store_cmd(&config, "check", None);
        let said = text(&refused);
        assert!(!refused.status.success(), "{mode}: {said}");
        assert!(
            said.contains(&format!("127.0.0.1:{port}")),
            "{mode}: {said}"
        );
        assert!(said.contains("certificate"), "{mode}: {said}");
    }
}
