//! Ingesting a large run of lines on two cores: a scanner thread splits the
//! bytes into lines and scans each into a [`Line`] (UTF-8 check, JSON
//! syntax, field dispatch), while the caller's thread turns them into
//! records and applies them to the floor in order. Interning and upserts
//! stay on one thread, so the floor needs no locking and feed order is kept.

use std::sync::mpsc::sync_channel;

use super::line::Line;
use super::wire;
use super::{IngestStats, LineError, MAX_KEPT_ERRORS};
use crate::domain::Record;
use crate::domain::floor::{Batch, Floor};

/// Below this many bytes a second thread costs more than it saves.
pub const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// Lines per hand-over between the threads.
const BLOCK: usize = 512;

/// One line as the scanner leaves it.
enum Scanned<'a> {
    Blank,
    /// The fast scanner read it.
    Fast(Box<Line<'a>>),
    /// Unusual or malformed: decoded (or reported) by serde on the caller's thread.
    Slow(&'a [u8]),
}

/// Split off the next line: (line, rest). Strips a BOM on line 1 and a CR.
pub(super) fn next_line(rest: &[u8], line_no: u64) -> (&[u8], &[u8]) {
    let (mut line, next) = match memchr::memchr(b'\n', rest) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    if line_no == 1 && line.starts_with(b"\xEF\xBB\xBF") {
        line = &line[3..];
    }
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    (line, next)
}

pub(super) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Count and apply one decoded line.
pub(super) fn apply_decoded(
    floor: &mut Batch<'_>,
    decoded: Result<Record, super::wire::LineReason>,
    origin: &str,
    line_no: u64,
    stats: &mut IngestStats,
    errors: &mut Vec<LineError>,
) {
    match decoded {
        Ok(record) => {
            if matches!(record, Record::Unknown(_)) {
                stats.unknown += 1;
            } else {
                stats.applied += 1;
            }
            floor.apply(record);
        }
        Err(reason) => {
            stats.malformed += 1;
            if errors.len() < MAX_KEPT_ERRORS {
                errors.push(LineError {
                    origin: origin.to_owned(),
                    line: line_no,
                    reason,
                });
            }
        }
    }
}

/// Same result as the one-thread loop, on two threads.
pub(super) fn ingest_parallel(
    floor: &mut Floor,
    origin: &str,
    first_line: u64,
    bytes: &[u8],
    errors: &mut Vec<LineError>,
) -> IngestStats {
    let mut stats = IngestStats::default();
    let mut floor = floor.batch();
    std::thread::scope(|s| {
        let (tx, rx) = sync_channel::<Vec<Scanned<'_>>>(8);
        // Spent `Line`s go back to the scanner to be filled again: a `Line`
        // allocated on one thread and freed on the other made the allocator
        // take a lock per line.
        let (spent_tx, spent_rx) = sync_channel::<Vec<Box<Line<'_>>>>(16);
        s.spawn(move || {
            let mut line_no = first_line;
            let mut rest = bytes;
            let mut block = Vec::with_capacity(BLOCK);
            let mut spare: Vec<Box<Line<'_>>> = Vec::new();
            while !rest.is_empty() {
                let (line, next) = next_line(rest, line_no);
                rest = next;
                line_no += 1;
                block.push(if is_blank(line) {
                    Scanned::Blank
                } else {
                    if spare.is_empty()
                        && let Ok(back) = spent_rx.try_recv()
                    {
                        spare = back;
                    }
                    let mut parsed = match spare.pop() {
                        Some(mut l) => {
                            *l = Line::default();
                            l
                        }
                        None => Box::<Line>::default(),
                    };
                    if super::fastline::scan(line, &mut parsed) {
                        Scanned::Fast(parsed)
                    } else {
                        spare.push(parsed);
                        Scanned::Slow(line)
                    }
                });
                if block.len() == BLOCK
                    && tx
                        .send(std::mem::replace(&mut block, Vec::with_capacity(BLOCK)))
                        .is_err()
                {
                    return;
                }
            }
            if !block.is_empty() {
                let _ = tx.send(block);
            }
        });
        let mut line_no = first_line;
        for block in rx {
            let mut spent = Vec::with_capacity(block.len());
            for item in block {
                stats.lines += 1;
                let decoded = match item {
                    Scanned::Blank => None,
                    Scanned::Fast(mut line) => {
                        let d = wire::build_line(&mut line, floor.names());
                        spent.push(line);
                        Some(d)
                    }
                    Scanned::Slow(bytes) => {
                        Some(wire::decode_line_with(bytes, floor.names(), false))
                    }
                };
                if let Some(d) = decoded {
                    apply_decoded(&mut floor, d, origin, line_no, &mut stats, errors);
                }
                line_no += 1;
            }
            // Full: the scanner has enough; these are freed here.
            let _ = spent_tx.try_send(spent);
        }
    });
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two-thread path gives exactly the floor and the reports of the one-thread path.
    #[test]
    fn parallel_equals_serial() {
        let mut text = String::from("\u{feff}");
        for i in 0..20_000 {
            text.push_str(&format!(
                "{{\"type\":\"contact\",\"id\":\"k{}\",\"customer\":\"c{}\",\"arrived_at\":\"2026-11-22T09:{:02}:00Z\",\"text\":\"say \\\"hi\\\"\"}}\r\n",
                i % 15_000,
                i % 700,
                i % 60
            ));
            if i % 997 == 0 {
                text.push_str("not json\n\n");
            }
        }
        let bytes = text.as_bytes();
        assert!(bytes.len() >= PARALLEL_MIN_BYTES);
        let (mut a, mut b) = (Floor::new(), Floor::new());
        let (mut ea, mut eb) = (Vec::new(), Vec::new());
        let sa = ingest_parallel(&mut a, "f", 1, bytes, &mut ea);
        let mut sb = IngestStats::default();
        let mut line_no = 1;
        let mut rest = bytes;
        let mut batch = b.batch();
        while !rest.is_empty() {
            let (line, next) = next_line(rest, line_no);
            rest = next;
            sb.lines += 1;
            if !is_blank(line) {
                let d = wire::decode_line(line, batch.names());
                apply_decoded(&mut batch, d, "f", line_no, &mut sb, &mut eb);
            }
            line_no += 1;
        }
        drop(batch);
        assert_eq!(sa, sb);
        assert_eq!(ea, eb);
        assert_eq!(a.contacts(), b.contacts());
        assert_eq!(sa.malformed, 21);
    }
}
