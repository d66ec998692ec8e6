//! A small HTTP/1.1 test server on 127.0.0.1:0 with real fault injection:
//! error statuses, 429 with Retry-After, answers slower than the client's
//! timeout, a connection reset mid-body, truncated JSON, a 200 MB body
//! streamed in pieces, the wrong content type and an HTML login page.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query, e.g. `/feed?since=1`.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the server had read it whole.
    pub at: std::time::Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter, percent-decoded.
    pub fn query(&self, key: &str) -> Option<String> {
        let q = self.target.split_once('?')?.1;
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status, content type, extra headers, body.
    Full {
        status: u16,
        content_type: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait, then reply.
    Slow(Duration, Box<Reply>),
    /// Reply once the flag is down (the test holds every answer while it
    /// is up: "before any answer" without a clock).
    Held(Arc<AtomicBool>, Box<Reply>),
    /// Announce `declared` bytes, send `sent`, then reset the connection.
    ResetMidBody { declared: usize, sent: Vec<u8> },
    /// Stream `bytes` bytes of JSON-ish filler, never held in memory at
    /// once; with or without a Content-Length.
    Huge { bytes: u64, content_length: bool },
}

impl Reply {
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply::with(200, "application/json", body)
    }

    pub fn with(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(self, k: &str, v: &str) -> Reply {
        match self {
            Reply::Full {
                status,
                content_type,
                mut headers,
                body,
            } => {
                headers.push((k.to_owned(), v.to_owned()));
                Reply::Full {
                    status,
                    content_type,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    pub fn status(code: u16) -> Reply {
        Reply::with(
            code,
            "application/json",
            format!("{{\"message\":\"status {code}\"}}"),
        )
    }

    pub fn too_many(retry_after_s: u64) -> Reply {
        Reply::with(429, "application/json", r#"{"error":"TooManyRequests"}"#)
            .header("Retry-After", &retry_after_s.to_string())
    }

    pub fn login_page() -> Reply {
        Reply::with(
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Sign in</title></head><body>\
             <form action=\"/login\" method=\"post\"><input name=\"user\">\
             <input type=\"password\" name=\"password\"><button>Login</button></form></body></html>",
        )
    }

    pub fn redirect(location: &str) -> Reply {
        Reply::with(302, "text/plain", "moved").header("Location", location)
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running test server. Requests are recorded; scripted replies, when
/// queued, are used before the handler.
#[derive(Clone)]
pub struct TestServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Request>>>,
    pub script: Arc<Mutex<VecDeque<Reply>>>,
    /// Requests read and not yet answered, and the most there ever were.
    pub in_flight: Arc<std::sync::atomic::AtomicUsize>,
    pub max_in_flight: Arc<std::sync::atomic::AtomicUsize>,
}

impl TestServer {
    pub async fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = TestServer {
            addr,
            requests: Arc::default(),
            script: Arc::default(),
            in_flight: Arc::default(),
            max_in_flight: Arc::default(),
        };
        let handler: Arc<Handler> = Arc::new(handler);
        let s = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (s, handler) = (s.clone(), handler.clone());
                tokio::spawn(async move {
                    let _ = s.serve(stream, &*handler).await;
                });
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Queue a reply for the next request.
    pub fn push(&self, r: Reply) {
        self.script.lock().expect("lock").push_back(r);
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("lock").clone()
    }

    /// The paths of the requests from the `from`-th on, in order.
    pub fn paths_since(&self, from: usize) -> Vec<String> {
        self.requests.lock().expect("lock")[from..]
            .iter()
            .map(|r| r.path().to_owned())
            .collect()
    }

    async fn serve(&self, mut stream: TcpStream, handler: &Handler) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        let Some(req) = read_request(&mut stream).await? else {
            return Ok(());
        };
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let scripted = self.script.lock().expect("lock").pop_front();
        let mut reply = scripted.unwrap_or_else(|| handler(&req));
        self.requests.lock().expect("lock").push(req);
        // In flight until the answer starts: a client may send its next
        // request as soon as it has read this answer, before this task
        // would count it done after the write (which would count one
        // request too many).
        loop {
            match reply {
                Reply::Slow(d, inner) => {
                    tokio::time::sleep(d).await;
                    reply = *inner;
                }
                Reply::Held(flag, inner) => {
                    held(&flag).await;
                    reply = *inner;
                }
                _ => break,
            }
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        write_reply(&mut stream, reply).await
    }

    /// The most requests the server has had in flight at once.
    pub fn most_at_once(&self) -> usize {
        self.max_in_flight.load(std::sync::atomic::Ordering::SeqCst)
    }
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_owned();
    let target = first.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Request {
        method,
        target,
        headers,
        body,
        at: std::time::Instant::now(),
    }))
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

/// Waits while `flag` is up.
async fn held(flag: &AtomicBool) {
    while flag.load(std::sync::atomic::Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn write_reply(stream: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Full {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Reply::Slow(d, inner) => {
            tokio::time::sleep(d).await;
            Box::pin(write_reply(stream, *inner)).await
        }
        Reply::Held(flag, inner) => {
            held(&flag).await;
            Box::pin(write_reply(stream, *inner)).await
        }
        Reply::ResetMidBody { declared, sent } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&sent).await?;
            stream.flush().await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            // Linger 0: closing sends a TCP reset instead of a clean FIN (it
            // does not block: nothing is left to send).
            #[allow(deprecated)]
            stream.set_linger(Some(Duration::ZERO))?;
            Ok(())
        }
        Reply::Huge {
            bytes,
            content_length,
        } => {
            let mut head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n".to_owned();
            if content_length {
                head.push_str(&format!("Content-Length: {bytes}\r\n\r\n"));
            } else {
                head.push_str("Transfer-Encoding: chunked\r\n\r\n");
            }
            stream.write_all(head.as_bytes()).await?;
            let piece = vec![b' '; 64 << 10];
            let mut left = bytes;
            while left > 0 {
                let n = left.min(piece.len() as u64) as usize;
                if content_length {
                    stream.write_all(&piece[..n]).await?;
                } else {
                    stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                    stream.write_all(&piece[..n]).await?;
                    stream.write_all(b"\r\n").await?;
                }
                left -= n as u64;
            }
            if !content_length {
                stream.write_all(b"0\r\n\r\n").await?;
            }
            stream.shutdown().await
        }
    }
}

/// A floor loaded from feed lines that must all be good (a polled
/// source's batch, a cache's records).
pub fn floor_of(bytes: &[u8]) -> shiftdeck::domain::Floor {
    let mut floor = shiftdeck::domain::Floor::new();
    let mut errors = Vec::new();
    shiftdeck::source::ingest_bytes(&mut floor, "test", 1, bytes, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    floor
}
