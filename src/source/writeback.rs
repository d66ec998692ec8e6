//! Write-back's CRM side: the RT 5 calls that post an entry as a comment on
//! its ticket (REST 2.0 `POST ticket/{id}/comment`) and look for it there.
//! The flusher that walks the store's outbox with them is
//! `runtime::writeback`.
//!
//! Never lost, never twice:
//! - before each POST the attempt is recorded (`attempts + 1`, the retry
//!   time set), so a crash mid-send leaves a row that is retried later;
//! - a row is marked sent only after a 2xx answer;
//! - every comment ends with the line `shiftdeck-key: KEY`. A row with
//!   `attempts > 0` may already be on the ticket (the POST went through
//!   but the answer was lost, or shiftdeck stopped before `mark_sent`), so
//!   before posting it again the ticket's attachments (where RT keeps the
//!   comment text; the history lists transactions without it) are searched
//!   for that exact line: found = marked sent without posting.
//! - failures wait `30 s · 2^(n−1)` up to 1 h with equal jitter (at least a
//!   429's Retry-After); the error kept in the row is the client's message,
//!   which never holds the token (and is scrubbed once more).

use std::time::Duration;

use reqwest::{Method, Url};
use serde_json::{Value, json};

use super::error::Service;
use super::http::{HttpClient, SourceError};
use super::poll::backoff_delay;
use crate::domain::Ts;

/// The line that carries the idempotency key in a posted comment.
pub const KEY_PREFIX: &str = "shiftdeck-key: ";
/// First retry after this long, doubling per attempt.
pub const RETRY_MIN: Duration = Duration::from_secs(30);
pub const RETRY_MAX: Duration = Duration::from_secs(3600);
/// Attachment pages read when looking for a key (100 a page).
const MAX_HISTORY_PAGES: u32 = 50;

/// The comment text posted for a row: its body and the key line.
pub fn comment_text(body: &str, key: &str) -> String {
    format!("{}\n\n{KEY_PREFIX}{key}", body.trim_end())
}

/// Whether a comment text carries exactly this key (a whole line, so that
/// `spot:rt-1:1` is not found in `spot:rt-1:12`).
pub fn text_has_key(text: &str, key: &str) -> bool {
    text.lines()
        .any(|l| l.trim().strip_prefix(KEY_PREFIX) == Some(key))
}

/// [`text_has_key`] on an attachment's Content as RT gives it: plain text
/// (RT 5.0.3 with `fields=Content`, see the samples), or base64 as the
/// single-attachment endpoint encodes it, so a differently configured RT
/// cannot make a posted comment look missing.
pub fn content_has_key(content: &str, key: &str) -> bool {
    text_has_key(content, key)
        || decode_base64(content)
            .map(|b| text_has_key(&String::from_utf8_lossy(&b), key))
            .unwrap_or(false)
}

/// Standard base64 (line breaks and other whitespace ignored, padding
/// optional); `None` when the text is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::{GeneralPurpose, general_purpose};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        general_purpose::PAD_INDIFFERENT.with_decode_allow_trailing_bits(true),
    );
    let packed: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT.decode(packed).ok()
}

/// When a row is retried after its `attempt`-th attempt: exponential
/// backoff with jitter, never before a 429's Retry-After.
pub fn retry_at(now: Ts, attempt: u32, unit: f64, retry_after: Option<Duration>) -> Ts {
    let mut wait = backoff_delay(attempt.max(1), RETRY_MIN, RETRY_MAX, unit);
    if let Some(ra) = retry_after {
        wait = wait.max(ra);
    }
    now.add_nanos(wait.as_nanos().min(i64::MAX as u128) as i64)
}

pub fn ticket_url(root: &Url, ticket: &str, rest: &str) -> Result<Url, SourceError> {
    if ticket.is_empty() || !ticket.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SourceError::WriteBackNotTicket(ticket.to_owned()));
    }
    root.join(&format!("ticket/{ticket}/{rest}"))
        .map_err(|e| SourceError::url(Service::Rt, e))
}

/// RT 5 REST 2.0: `POST ticket/{id}/comment` with a JSON body: the
/// comment `body` and the line that carries its idempotency `key`.
pub async fn post_comment(
    client: &HttpClient,
    root: &Url,
    ticket: &str,
    body: &str,
    key: &str,
) -> Result<(), SourceError> {
    let url = ticket_url(root, ticket, "comment")?;
    let body = json!({"Content": comment_text(body, key), "ContentType": "text/plain"});
    client.send_json(Method::POST, &url, &body).await?;
    Ok(())
}

/// Whether a comment with this key is already on the ticket: reads the
/// ticket's attachments (newest first, 100 a page) and looks for the key line.
pub async fn ticket_has_key(
    client: &HttpClient,
    root: &Url,
    ticket: &str,
    key: &str,
) -> Result<bool, SourceError> {
    let mut url = ticket_url(root, ticket, "attachments")?;
    for page in 1..=MAX_HISTORY_PAGES {
        url.query_pairs_mut()
            .clear()
            .append_pair("fields", "Content")
            .append_pair("orderby", "id")
            .append_pair("order", "DESC")
            .append_pair("per_page", "100")
            .append_pair("page", &page.to_string());
        let got = client.get(&url, None).await?;
        let v: Value =
            serde_json::from_slice(&got.body).map_err(|e| SourceError::json(&url, &e))?;
        let items = v
            .get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| SourceError::no_list(&url, "items"))?;
        if items.iter().any(|a| {
            a.get("Content")
                .and_then(Value::as_str)
                .is_some_and(|c| content_has_key(c, key))
        }) {
            return Ok(true);
        }
        let pages = v.get("pages").and_then(|p| {
            p.as_u64()
                .or_else(|| p.as_str().and_then(|s| s.parse().ok()))
        });
        if items.len() < 100 || pages.is_some_and(|p| u64::from(page) >= p) {
            return Ok(false);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_line_matches_whole_keys_only() {
        let text = "Spot check\n\nshiftdeck-key: spot:rt-1:12";
        assert!(text_has_key(text, "spot:rt-1:12"));
        assert!(!text_has_key(text, "spot:rt-1:1"));
        assert!(!text_has_key("spot:rt-1:12", "spot:rt-1:12"));
    }

    #[test]
    fn base64_content_is_searched_too() {
        // "ok\nshiftdeck-key: fb:rt-2:5" in base64, split over two lines.
        let b64 = "b2sKc2hpZnRkZWNrLWtleTog\nZmI6cnQtMjo1";
        assert_eq!(
            decode_base64(b64).as_deref(),
            Some(&b"ok\nshiftdeck-key: fb:rt-2:5"[..])
        );
        assert!(content_has_key(b64, "fb:rt-2:5"));
        assert!(!content_has_key(b64, "fb:rt-2:50"));
        assert!(content_has_key(
            "plain\nshiftdeck-key: fb:rt-2:5",
            "fb:rt-2:5"
        ));
        // Padding optional, CRLF line breaks ignored ("ok" is "b2s=").
        assert_eq!(decode_base64("b2s=").as_deref(), Some(&b"ok"[..]));
        assert_eq!(decode_base64("b2s").as_deref(), Some(&b"ok"[..]));
        assert_eq!(decode_base64("b2\r\ns=\r\n").as_deref(), Some(&b"ok"[..]));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(decode_base64("b2s=b2s="), None);
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter() {
        let now = Ts::from_secs(1_000);
        // unit 0: half the full wait. 1st: 30 s → 15; 3rd: 120 s → 60.
        assert_eq!(retry_at(now, 1, 0.0, None), Ts::from_secs(1_015));
        assert_eq!(retry_at(now, 3, 0.0, None), Ts::from_secs(1_060));
        // The wait is capped at 1 h (half of it fixed).
        assert_eq!(retry_at(now, 20, 0.0, None), Ts::from_secs(1_000 + 1_800));
        // A Retry-After longer than the backoff wins.
        assert_eq!(
            retry_at(now, 1, 0.0, Some(Duration::from_secs(90))),
            Ts::from_secs(1_090)
        );
    }
}
