//! The generic HTTP feed client (protocol: docs/http-feed.md): pages of
//! records after a cursor, with ETag caching and a restart from the full
//! state when the server forgets the cursor.

use reqwest::Url;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::Service;
use super::http::{self, Auth, HttpClient, SourceError};
use super::poll::{PollBatch, PollNote, SourceSettings};

/// One page of the generic feed (docs/http-feed.md).
#[derive(Deserialize)]
struct FeedPage<'a> {
    cursor: String,
    #[serde(borrow)]
    records: Vec<&'a RawValue>,
    #[serde(default)]
    reset: bool,
    #[serde(default)]
    more: bool,
}

/// At most this many pages, or [`MAX_BATCH_BYTES`] of records, in one
/// poll: a feed that keeps saying `more` (a big first load, or a feed that
/// never says `more: false`) is applied in batches of this size, polled
/// again at once, so memory holds one batch at a time; the header says so.
pub const MAX_FEED_PAGES: usize = 100;
pub const MAX_BATCH_BYTES: usize = super::file::MAX_POLL_BYTES;

/// Client of the generic HTTP feed.
#[derive(Debug)]
pub struct FeedPoller {
    http: HttpClient,
    feed_url: Url,
    cursor: Option<String>,
    etag: Option<String>,
}

impl FeedPoller {
    pub fn new(base: &Url, settings: &SourceSettings) -> Result<FeedPoller, SourceError> {
        let auth = match &settings.token {
            Some(t) => Auth::bearer(t),
            None => Auth::None,
        };
        let http = HttpClient::new(base, auth, &settings.http)?;
        let feed_url = http::as_dir(base)
            .join("feed")
            .map_err(|e| SourceError::url(Service::Feed, e))?;
        Ok(FeedPoller {
            http,
            feed_url,
            cursor: None,
            etag: None,
        })
    }

    /// The cursor of the last complete poll.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    pub(super) async fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        self.http.clear_pause();
        let mut cursor = self.cursor.clone();
        let mut etag = self.etag.clone();
        let mut reset = cursor.is_none();
        let mut out: Vec<u8> = Vec::new();
        let mut restarted = false;
        let mut pages = 0;
        let mut note = None;
        loop {
            pages += 1;
            let mut url = self.feed_url.clone();
            if let Some(c) = &cursor {
                url.query_pairs_mut().append_pair("since", c);
            }
            // The ETag stands for the answer to this cursor: only the first page may be cached.
            let tag = if pages == 1 { etag.as_deref() } else { None };
            let got = match self.http.get(&url, tag).await {
                Err(SourceError::Status { status: 410, .. }) if !restarted && cursor.is_some() => {
                    // The server forgot this cursor: start over from the full state.
                    restarted = true;
                    cursor = None;
                    etag = None;
                    reset = true;
                    out.clear();
                    continue;
                }
                other => other?,
            };
            if got.not_modified {
                break;
            }
            let page: FeedPage =
                serde_json::from_slice(&got.body).map_err(|e| SourceError::json(&url, &e))?;
            if page.reset {
                reset = true;
                out.clear();
            }
            for r in &page.records {
                push_line(&mut out, r.get().as_bytes());
            }
            cursor = Some(page.cursor);
            etag = got.etag;
            if !page.more {
                break;
            }
            if pages >= MAX_FEED_PAGES || out.len() >= MAX_BATCH_BYTES {
                // Enough for one batch: apply it, and go on from this cursor.
                note = Some(PollNote::Paged {
                    pages,
                    mb: MAX_BATCH_BYTES >> 20,
                });
                etag = None;
                break;
            }
        }
        self.cursor = cursor;
        self.etag = etag;
        Ok(PollBatch {
            reset,
            origin: http::show_url(&self.feed_url),
            first_line: 1,
            bytes: out,
            more: note.is_some(),
            note,
            ..PollBatch::default()
        })
    }
}

/// Appends one JSON value as an NDJSON line. Raw newlines can only be
/// whitespace between tokens (JSON strings escape them), so they become spaces.
pub fn push_line(out: &mut Vec<u8>, json: &[u8]) {
    let start = out.len();
    out.extend_from_slice(json);
    for b in &mut out[start..] {
        if *b == b'\n' || *b == b'\r' {
            *b = b' ';
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_line_flattens_pretty_json() {
        let mut out = Vec::new();
        push_line(
            &mut out,
            b"{\n  \"type\": \"queue\",\r\n  \"id\": \"a\\nb\"\n}",
        );
        assert_eq!(out, b"{   \"type\": \"queue\",    \"id\": \"a\\nb\" }\n");
    }
}
