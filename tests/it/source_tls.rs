//! TLS is verified: a local https server with a self-signed certificate is
//! refused, and accepted only with the loopback-only switch.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use shiftdeck::source::http::{HttpSettings, SourceError};
use shiftdeck::source::poll::SourceSettings;
use shiftdeck::source::spec::{Poller, SourceSpec};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: &str = r#"{"cursor":"1","records":[{"type":"queue","id":"q1"}]}"#;

/// An https server answering every request with the feed above.
async fn tls_server() -> std::net::SocketAddr {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
        .expect("certificate");
    let cert = CertificateDer::from(key.cert.der().to_vec());
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert], private)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake ends here: the client would not trust us.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let mut got = 0;
                while !buf[..got].windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf[got..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got += n,
                    }
                }
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
                    BODY.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn self_signed_certificate_is_refused() {
    let addr = tls_server().await;
    let spec = SourceSpec::parse_crm(&format!("https://{addr}")).expect("spec");
    let mut p = Poller::new(&spec, &SourceSettings::default()).expect("poller");
    let e = p.poll_once().await.expect_err("untrusted certificate");
    assert!(matches!(e, SourceError::Connect { .. }), "{e}");
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
}

#[tokio::test]
async fn loopback_switch_accepts_it_on_loopback_only() {
    let addr = tls_server().await;
    let settings = SourceSettings {
        http: HttpSettings {
            tls_insecure_loopback: true,
            ..HttpSettings::default()
        },
        ..SourceSettings::default()
    };
    for host in [format!("{addr}"), format!("localhost:{}", addr.port())] {
        let spec = SourceSpec::parse_crm(&format!("https://{host}")).expect("spec");
        let mut p = Poller::new(&spec, &settings).expect("poller");
        let b = p.poll_once().await.expect("accepted on loopback");
        assert_eq!(b.bytes, b"{\"type\":\"queue\",\"id\":\"q1\"}\n");
    }
    let remote = SourceSpec::parse_crm("https://crm.example.com").expect("spec");
    let e = Poller::new(&remote, &settings).expect_err("refused for other hosts");
    assert!(
        e.to_string().contains("only be relaxed for loopback"),
        "{e}"
    );
}
