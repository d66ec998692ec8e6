//! The generic HTTP feed, server side (`shiftdeck sim --serve ADDR`): serves
//! a growing NDJSON file as `GET /feed?since=CURSOR` (docs/http-feed.md).
//!
//! The cursor is the file's identity and a byte offset, `<inode>-<offset>`:
//! the answer to `since=C` is every whole line after offset C, exactly what
//! a follower of the file would read next. A cursor for another inode (the
//! file was replaced) or past the end (it shrank) gets the full file with
//! `reset: true`. The ETag is the cursor at the end of the answer, so a
//! client that already has everything gets `304 Not Modified`.
//!
//! A small hand-written HTTP/1.1 server: one request per connection, GET
//! only, no TLS (bind it to loopback, or put a TLS proxy in front).
//!
//! With a bearer token ([`serve_feed_with`], what `watch --serve` uses off
//! loopback) every request must carry `Authorization: Bearer <token>`;
//! the comparison takes the same time whatever the token sent (both sides
//! are hashed, the digests compared in constant time), and a refusal is a
//! `401` that says nothing of the token.

use std::io::{Read, Seek, SeekFrom};
use std::net::SocketAddr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::http::Secret;

/// At most this many bytes of lines in one answer; `more: true` says to ask again.
pub const MAX_ANSWER_BYTES: usize = 4 << 20;
/// A single line longer than this is skipped.
const MAX_LINE_BYTES: usize = 64 << 20;
const MAX_HEAD_BYTES: usize = 16 << 10;

/// Serves `path` as a floor feed on `addr` until the task is dropped.
pub async fn serve_feed(addr: SocketAddr, path: PathBuf) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    tracing::info!(addr = %listener.local_addr()?, file = %path.display(), "serving the floor feed");
    serve_feed_on(listener, path).await
}

/// [`serve_feed`] for synchronous callers (`shiftdeck sim --serve`): runs
/// its own runtime and serves until Ctrl-C.
pub fn serve_feed_blocking(addr: SocketAddr, path: PathBuf) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        tokio::select! {
            r = serve_feed(addr, path) => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })
}

/// [`serve_feed`] on a listener already bound (tests bind 127.0.0.1:0).
pub async fn serve_feed_on(listener: TcpListener, path: PathBuf) -> std::io::Result<()> {
    serve_feed_with(listener, path, None).await
}

/// [`serve_feed_on`]; with `token`, only requests that carry it as a
/// bearer token are answered.
pub async fn serve_feed_with(
    listener: TcpListener,
    path: PathBuf,
    token: Option<Secret>,
) -> std::io::Result<()> {
    let path = Arc::new(path);
    let token = Arc::new(token.map(|t| digest(t.expose().as_bytes())));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            // Out of file descriptors and the like: wait, do not stop serving.
            Err(e) => {
                tracing::warn!("feed: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let (path, token) = (path.clone(), token.clone());
        tokio::spawn(async move {
            if let Err(e) = handle(stream, &path, token.as_ref().as_ref()).await {
                tracing::debug!(%peer, "feed request failed: {e}");
            }
        });
    }
}

/// SHA-256 of a token: what is compared, so the time taken does not depend
/// on where two tokens first differ, nor on their lengths.
fn digest(bytes: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Whether the request's `Authorization` header carries `want` as a bearer
/// token, compared in constant time.
pub fn bearer_matches(header: Option<&str>, want: &[u8; 32]) -> bool {
    let given = header
        .and_then(|h| {
            let (scheme, rest) = h.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .unwrap_or("");
    let got = digest(given.as_bytes());
    let diff = got.iter().zip(want).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    diff == 0 && !given.is_empty()
}

async fn handle(
    mut stream: TcpStream,
    path: &Path,
    token: Option<&[u8; 32]>,
) -> std::io::Result<()> {
    let head = match tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream)).await {
        Ok(Ok(Some(h))) => h,
        Ok(Ok(None)) | Err(_) => return respond(&mut stream, 400, "Bad Request", &[], b"").await,
        Ok(Err(e)) => return Err(e),
    };
    let mut lines = head.split("\r\n");
    let request = lines.next().unwrap_or("");
    let mut parts = request.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let headers: Vec<(&str, &str)> = lines.filter_map(|l| l.split_once(':')).collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    let if_none_match = header("if-none-match").map(str::to_owned);
    if let Some(want) = token
        && !bearer_matches(header("authorization"), want)
    {
        let body = br#"{"message":"a bearer token is required"}"#;
        return respond(
            &mut stream,
            401,
            "Unauthorized",
            &[
                ("Content-Type", "application/json"),
                ("WWW-Authenticate", "Bearer"),
            ],
            body,
        )
        .await;
    }
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            405,
            "Method Not Allowed",
            &[("Allow", "GET")],
            b"",
        )
        .await;
    }
    let (route, query) = target.split_once('?').unwrap_or((target, ""));
    if route != "/feed" {
        let body = br#"{"message":"not found; the feed is at /feed"}"#;
        return respond(
            &mut stream,
            404,
            "Not Found",
            &[("Content-Type", "application/json")],
            body,
        )
        .await;
    }
    let since = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "since")
        .map(|(_, v)| v.to_owned());
    let path = path.to_path_buf();
    let answer =
        tokio::task::spawn_blocking(move || answer(&path, since.as_deref(), MAX_ANSWER_BYTES))
            .await
            .map_err(std::io::Error::other)?;
    match answer {
        Ok(a) => {
            let etag = format!("\"{}\"", a.cursor);
            if if_none_match.as_deref() == Some(etag.as_str()) && a.unchanged {
                return respond(&mut stream, 304, "Not Modified", &[("ETag", &etag)], b"").await;
            }
            let body = if method == "HEAD" { Vec::new() } else { a.body };
            respond(
                &mut stream,
                200,
                "OK",
                &[("Content-Type", "application/json"), ("ETag", &etag)],
                &body,
            )
            .await
        }
        Err(e) => {
            tracing::warn!("feed: {e}");
            let body = serde_json::json!({"message": e.to_string()}).to_string();
            respond(
                &mut stream,
                503,
                "Service Unavailable",
                &[("Content-Type", "application/json"), ("Retry-After", "2")],
                body.as_bytes(),
            )
            .await
        }
    }
}

/// Reads the request head (up to the blank line). `None`: too long or closed early.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = memchr::memmem::find(&buf, b"\r\n\r\n") {
            return Ok(Some(String::from_utf8_lossy(&buf[..end]).into_owned()));
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Ok(None);
        }
    }
}

async fn respond(
    stream: &mut TcpStream,
    code: u16,
    reason: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-cache\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}

/// One answer of the feed.
#[derive(Debug, PartialEq)]
pub struct Answer {
    /// `{"cursor": …, "records": […], "reset": …, "more": …}`
    pub body: Vec<u8>,
    /// The cursor after these records.
    pub cursor: String,
    /// The client's cursor was already at the end: nothing new.
    pub unchanged: bool,
}

/// Builds the answer to `since` from the file. Lines that are not JSON
/// objects are skipped (counted in the log), so one bad line written by a
/// producer never breaks the whole answer.
pub fn answer(path: &Path, since: Option<&str>, max_bytes: usize) -> std::io::Result<Answer> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let (ino, len) = (meta.ino(), meta.len());
    let parsed = since.and_then(|s| {
        let (i, o) = s.split_once('-')?;
        Some((i.parse::<u64>().ok()?, o.parse::<u64>().ok()?))
    });
    let (reset, start) = match parsed {
        Some((i, o)) if i == ino && o <= len => (false, o),
        _ => (true, 0),
    };
    file.seek(SeekFrom::Start(start))?;
    let want = ((len - start) as usize).min(max_bytes);
    let mut buf = vec![0u8; want];
    file.read_exact(&mut buf)?;
    // Whole lines only; a first line longer than the answer cap is read to its end.
    let mut end = match memchr::memrchr(b'\n', &buf) {
        Some(i) => i + 1,
        None => 0,
    };
    if end == 0 && (len - start) as usize > want {
        let mut more = Vec::new();
        let mut reader = std::io::BufReader::new(&mut file).take((MAX_LINE_BYTES - want) as u64);
        std::io::BufRead::read_until(&mut reader, b'\n', &mut more)?;
        buf.extend_from_slice(&more);
        end = if buf.last() == Some(&b'\n') {
            buf.len()
        } else {
            0
        };
        if end == 0 && buf.len() >= MAX_LINE_BYTES {
            // Skip the monster line: answer nothing but move past it.
            tracing::warn!(
                offset = start,
                "feed: a line longer than {MAX_LINE_BYTES} bytes was skipped"
            );
            end = buf.len();
            buf.clear();
        }
    }
    let next = start + end as u64;
    let mut body = Vec::with_capacity(end + 128);
    body.extend_from_slice(b"{\"records\":[");
    let mut first = true;
    let mut skipped = 0u64;
    for (i, raw) in buf[..end.min(buf.len())].split(|b| *b == b'\n').enumerate() {
        let mut line = raw;
        if i == 0 && start == 0 && line.starts_with(b"\xEF\xBB\xBF") {
            line = &line[3..];
        }
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let is_object = line.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
            && serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok();
        if !is_object {
            skipped += 1;
            continue;
        }
        if !first {
            body.push(b',');
        }
        first = false;
        body.extend_from_slice(line);
    }
    if skipped > 0 {
        tracing::warn!(
            skipped,
            "feed: lines that are not JSON objects were skipped"
        );
    }
    let cursor = format!("{ino}-{next}");
    body.extend_from_slice(
        format!(
            "],\"cursor\":\"{cursor}\",\"reset\":{reset},\"more\":{}}}",
            (len - start) as usize > want && end > 0
        )
        .as_bytes(),
    );
    Ok(Answer {
        body,
        unchanged: !reset && end == 0,
        cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(a: &Answer) -> serde_json::Value {
        serde_json::from_slice(&a.body).expect("json")
    }

    #[test]
    fn answers_whole_lines_from_the_cursor() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f.ndjson");
        std::fs::write(&p, "{\"type\":\"queue\",\"id\":\"a\"}\r\nnot json\n\n{\"type\":\"queue\",\"id\":\"b\"}\n{\"par").expect("write");
        let a = answer(&p, None, 1 << 20).expect("answer");
        let v = parse(&a);
        assert_eq!(v["records"].as_array().expect("records").len(), 2);
        assert_eq!(v["reset"], true);
        assert_eq!(v["more"], false);
        let ino = std::fs::metadata(&p).expect("meta").ino();
        // 27 + 9 + 1 + 26 bytes of whole lines before the partial one.
        assert_eq!(a.cursor, format!("{ino}-63"));
        let again = answer(&p, Some(&a.cursor), 1 << 20).expect("answer");
        assert!(again.unchanged);
        assert_eq!(parse(&again)["records"], serde_json::json!([]));
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"\":1}\n"))
            .expect("append");
        let next = answer(&p, Some(&a.cursor), 1 << 20).expect("answer");
        assert_eq!(parse(&next)["records"], serde_json::json!([{"par": 1}]));
        assert_eq!(parse(&next)["reset"], false);
        // A cursor from another file, or past the end, restarts.
        assert_eq!(
            parse(&answer(&p, Some("1-0"), 1 << 20).expect("a"))["reset"],
            true
        );
        assert_eq!(
            parse(&answer(&p, Some(&format!("{ino}-9999")), 1 << 20).expect("a"))["reset"],
            true
        );
    }

    #[test]
    fn only_the_bearer_token_is_let_in() {
        let want = digest(b"s3cret-token");
        assert!(bearer_matches(Some("Bearer s3cret-token"), &want));
        assert!(bearer_matches(Some("bearer  s3cret-token "), &want));
        for refused in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Bearer "),
            Some("Bearer s3cret-toke"),
            Some("Bearer s3cret-token2"),
            Some("Basic s3cret-token"),
            Some("s3cret-token"),
        ] {
            assert!(!bearer_matches(refused, &want), "{refused:?}");
        }
        // An empty configured token never lets an empty header in.
        assert!(!bearer_matches(Some("Bearer "), &digest(b"")));
    }

    #[test]
    fn big_files_come_in_pages() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f.ndjson");
        let line = "{\"type\":\"agent\",\"id\":\"x\"}\n"; // 26 bytes
        std::fs::write(&p, line.repeat(10)).expect("write");
        let mut cursor: Option<String> = None;
        let mut total = 0;
        let mut pages = 0;
        loop {
            let a = answer(&p, cursor.as_deref(), 60).expect("answer");
            let v = parse(&a);
            total += v["records"].as_array().expect("records").len();
            pages += 1;
            cursor = Some(a.cursor);
            if v["more"] == false {
                break;
            }
        }
        // 60 bytes hold two 26-byte lines: 5 pages of 2.
        assert_eq!((total, pages), (10, 5));
    }
}
