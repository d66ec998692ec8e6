//! Sources turn the outside world into floor records: NDJSON files (loaded
//! once or followed live), the generic HTTP feed, and the Request Tracker
//! and Zendesk connectors.
//!
//! Every source ends in the same place: whole NDJSON lines decoded by
//! [`wire::decode_line`] and applied to a [`Floor`] in feed order.
//!
//! The rooms, lowest first: `regular` (only regular files are read),
//! `line` (one line's fields), `fastline` and
//! `wire` (decoding), `pipeline` (loading in parallel); `http` (the client
//! every connector shares), `poll` (the poller contract, the poll loop and
//! its backoff); the connectors `file` (woken by `filewatch`), `feed`, `rt` and
//! `zendesk`; `spec`
//! (which connector a `--crm` value names, and running it); `cache` (an RT or
//! Zendesk source's floor kept for a warm start); `serve` (a
//! test feed server) and `writeback` (posting the lead's entries back).

pub mod cache;
pub mod error;
mod fastline;
pub mod feed;
pub mod file;
pub mod filewatch;
pub mod http;
pub mod hub;
mod line;
mod pipeline;
pub mod poll;
pub mod regular;
pub mod rt;
pub mod serve;
pub mod spec;
pub mod webhook;
pub mod wire;
pub mod writeback;
pub mod zendesk;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::domain::Floor;
use crate::i18n::detail::OsError;
use crate::i18n::{Lang, Localize, Msg, tf};

/// At most this many malformed-line reports are kept per load (all are counted).
pub const MAX_KEPT_ERRORS: usize = 1000;

/// A malformed line: where it is and why it was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct LineError {
    pub origin: String,
    pub line: u64,
    pub reason: wire::LineReason,
}

/// `FILE:LINE: reason`, the reference kept as editors and grep read it.
impl Localize for LineError {
    fn localize(&self, lang: Lang) -> String {
        let place = format!("{}:{}", self.origin, self.line);
        tf(lang, Msg::AtPlace, &[&place, &self.reason.localize(lang)])
    }
}

crate::english_display!(LineError);

pub use crate::domain::status::IngestStats;

/// Apply whole NDJSON lines to the floor. `first_line` is the 1-based number
/// of the first line in `bytes`; a missing final newline is tolerated.
/// A UTF-8 BOM on line 1, CR before LF and blank lines are accepted.
pub fn ingest_bytes(
    floor: &mut Floor,
    origin: &str,
    first_line: u64,
    bytes: &[u8],
    errors: &mut Vec<LineError>,
) -> IngestStats {
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    if two_cores && bytes.len() >= pipeline::PARALLEL_MIN_BYTES {
        return pipeline::ingest_parallel(floor, origin, first_line, bytes, errors);
    }
    let mut stats = IngestStats::default();
    let mut line_no = first_line;
    let mut rest = bytes;
    let mut batch = floor.batch();
    while !rest.is_empty() {
        let (line, next) = pipeline::next_line(rest, line_no);
        rest = next;
        stats.lines += 1;
        if !pipeline::is_blank(line) {
            let decoded = wire::decode_line(line, batch.names());
            pipeline::apply_decoded(&mut batch, decoded, origin, line_no, &mut stats, errors);
        }
        line_no += 1;
    }
    stats
}

/// Frees the buffers [`ingest_bytes`] keeps on this thread between calls
/// (call it once a big read is over: they are several megabytes).
pub fn release_ingest_buffers() {
    pipeline::drop_spares();
}

/// Build a floor from NDJSON text (tests, small fixtures).
pub fn load_str(text: &str) -> (Floor, Vec<LineError>) {
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    ingest_bytes(&mut floor, "<text>", 1, text.as_bytes(), &mut errors);
    (floor, errors)
}

/// How far a load has come, for progress output.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    pub path: &'a Path,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub stats: IngestStats,
}

/// Read size for one-shot loads: big enough to amortise syscalls and the
/// start of the parallel decoding, small enough that a 1 GB file never
/// sits in memory at once (two blocks are: one read, one applied).
const CHUNK: usize = 16 << 20;

/// A file that could not be loaded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LoadError {
    Open {
        path: PathBuf,
        err: OsError,
    },
    Read {
        path: PathBuf,
        err: OsError,
    },
    /// A FIFO, a device or a folder: refused before it is opened.
    NotRegular {
        path: PathBuf,
        kind: file::FileKind,
    },
}

impl Localize for LoadError {
    fn localize(&self, lang: Lang) -> String {
        let (m, path, err) = match self {
            LoadError::Open { path, err } => (Msg::LoadOpen, path, err),
            LoadError::Read { path, err } => (Msg::LoadRead, path, err),
            LoadError::NotRegular { path, kind } => {
                return tf(lang, kind.refusal(), &[&path.display()]);
            }
        };
        tf(lang, m, &[&path.display(), &err.localize(lang)])
    }
}

crate::english_display!(LoadError);

impl LoadError {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<LoadError> {
        let err = OsError::new(&std::io::Error::from_raw_os_error(2));
        vec![
            LoadError::Open {
                path: "/srv/f.ndjson".into(),
                err: err.clone(),
            },
            LoadError::Read {
                path: "/srv/f.ndjson".into(),
                err,
            },
            LoadError::NotRegular {
                path: "/dev/zero".into(),
                kind: file::FileKind::CharDevice,
            },
        ]
    }
}

/// Load one NDJSON file into the floor, streaming in chunks of whole lines.
/// Only a regular file is read (a FIFO or a device is refused before it is
/// opened); a line longer than [`file::MAX_LINE_BYTES`] is reported as
/// malformed and skipped without being held.
pub fn load_file(
    path: &Path,
    floor: &mut Floor,
    errors: &mut Vec<LineError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestStats, LoadError> {
    load_file_in(path, floor, errors, progress, CHUNK)
}

/// [`load_file`], reading `chunk` bytes at a time.
fn load_file_in(
    path: &Path,
    floor: &mut Floor,
    errors: &mut Vec<LineError>,
    progress: &mut dyn FnMut(Progress),
    chunk: usize,
) -> Result<IngestStats, LoadError> {
    let (mut file, meta) = match file::open_regular(path) {
        Ok(f) => f,
        Err(file::FileError::NotRegular { path, kind }) => {
            return Err(LoadError::NotRegular { path, kind });
        }
        Err(file::FileError::Io { source, .. }) => {
            return Err(LoadError::Open {
                path: path.to_path_buf(),
                err: (&source).into(),
            });
        }
    };
    let total = meta.len();
    let origin = path.display().to_string();
    let mut stats = IngestStats::default();
    let mut done: u64 = 0;
    let read_error = |e: std::io::Error| LoadError::Read {
        path: path.to_path_buf(),
        err: (&e).into(),
    };
    // A reader thread reads the next block while this one is applied;
    // the applied blocks' buffers go back to it to be read into again (a
    // fresh 16 MB buffer a block cost a page fault every 4 KB).
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<(file::Split, usize)>>(1);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        s.spawn(move || {
            let mut lines = file::LineSplitter::default();
            loop {
                let partial = lines.take_buffer();
                let mut buf = match back_rx.try_recv() {
                    Ok(mut spare) => {
                        spare.clear();
                        spare.extend_from_slice(&partial);
                        spare
                    }
                    Err(_) => partial,
                };
                let filled = buf.len();
                buf.reserve(filled.max(chunk / 2) + chunk - filled);
                // Up to `chunk` bytes into the spare capacity (not zeroed first).
                let n = match (&mut file).take(chunk as u64).read_to_end(&mut buf) {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                // At EOF the last line may lack its newline.
                let split = lines.split(buf, n == 0);
                if tx.send(Ok((split, n))).is_err() || n == 0 {
                    return;
                }
            }
        });
        let mut sized = false;
        for got in rx {
            let (split, n) = got.map_err(read_error)?;
            done += n as u64;
            let before = floor.table_sizes();
            let mut s = ingest_bytes(floor, &origin, split.first_line, &split.bytes, errors);
            // The first block tells how the file's contacts, surveys and
            // names grow: the indexes are sized for the rest of it once,
            // instead of regrowing (and rehashing) along the way.
            if !sized && n > 0 && total > done {
                sized = true;
                let rest = (total - done) as f64 / n as f64;
                floor.reserve(floor.table_sizes().growth_since(before, rest * 1.05));
            }
            let _ = back_tx.send(split.bytes);
            for bad in file::too_long_errors(&origin, &split.too_long) {
                s.malformed += 1;
                if errors.len() < MAX_KEPT_ERRORS {
                    errors.push(bad);
                }
            }
            stats.add(s);
            progress(Progress {
                path,
                bytes_done: done,
                bytes_total: total,
                stats,
            });
        }
        release_ingest_buffers();
        Ok(stats)
    })
}

/// The one-thread async runtime each network thread runs (a source, the
/// write-back flusher, a one-shot fetch) and the console's event loop.
pub fn local_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Load several files in order (later lines win upserts across files).
pub fn load_files(
    paths: &[PathBuf],
    floor: &mut Floor,
    errors: &mut Vec<LineError>,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestStats, LoadError> {
    let mut stats = IngestStats::default();
    for p in paths {
        stats.add(load_file(p, floor, errors, progress)?);
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files loaded block by block (small blocks, so buffers are reused
    /// and the tables sized from the first block) give exactly the floor,
    /// the counts and the reports of loading their lines one by one, with
    /// upserts across blocks and across files.
    #[test]
    fn files_loaded_in_blocks_equal_lines_loaded_one_by_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        for seed in 1..=6u64 {
            let mut r = pipeline::tests::Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let (mut a, mut b) = (Floor::new(), Floor::new());
            let (mut ea, mut eb) = (Vec::new(), Vec::new());
            for f in 0..3 {
                let mut text = String::new();
                for _ in 0..3000 + r.below(6000) {
                    text.push_str(&pipeline::tests::line(&mut r));
                    text.push('\n');
                }
                text.push_str(&pipeline::tests::line(&mut r));
                let path = dir.path().join(format!("f{seed}-{f}.ndjson"));
                std::fs::write(&path, &text).expect("write");
                let chunk = 1 + r.below(2 << 20) as usize;
                let sa = load_file_in(&path, &mut a, &mut ea, &mut |_| {}, chunk).expect("load");
                let origin = path.display().to_string();
                let sb = pipeline::tests::serial(&mut b, &origin, text.as_bytes(), &mut eb);
                assert_eq!(sa, sb, "seed {seed}, file {f}, chunk {chunk}");
            }
            assert_eq!(ea, eb, "seed {seed}");
            assert_eq!(a.canonical(), b.canonical(), "seed {seed}");
        }
    }
}
