//! `shiftdeck bench`'s warm-start figure: a CRM cache of the first records
//! of the data files (as an RT or Zendesk source keeps its floor, one line
//! per record) is written, then read, checked and applied to a new floor,
//! as a restart does before its first poll. The network part of a restart
//! (the first incremental poll) is measured against a real RT 5 instead
//! (docs/connectors.md, `rt5_bench`).

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::domain::{Floor, Ts};
use crate::source::cache::{CacheKey, CrmCache, RecordBook};

/// What the warm start came to.
pub struct WarmFigures {
    pub records: usize,
    pub bytes: u64,
    pub write: Duration,
    pub read_check: Duration,
    pub apply: Duration,
}

/// The cache of the first `max_bytes` of whole lines of `files`, written
/// to a temporary folder, then read back and applied.
pub fn warm_start(files: &[PathBuf], max_bytes: usize) -> std::io::Result<WarmFigures> {
    let mut records = Vec::with_capacity(max_bytes.min(64 << 20));
    for f in files {
        if records.len() >= max_bytes {
            break;
        }
        let left = (max_bytes - records.len()) as u64;
        std::fs::File::open(f)?
            .take(left)
            .read_to_end(&mut records)?;
        // Whole lines only.
        match memchr::memrchr(b'\n', &records) {
            Some(i) => records.truncate(i + 1),
            None => records.clear(),
        }
    }
    let mut book = RecordBook::default();
    book.apply(true, &records);
    let records = book.ndjson();
    let dir = std::env::temp_dir().join(format!("shiftdeck-cache-bench-{}", std::process::id()));
    let cache = CrmCache::in_data_dir(
        &dir,
        CacheKey {
            source: "rt:https://bench.invalid".into(),
            options: "bench".into(),
        },
    );
    let now = Ts::from_datetime(&chrono::Utc::now());
    let t0 = Instant::now();
    let bytes = cache.encode(now, &serde_json::json!({}), None, &records);
    cache.write(&bytes)?;
    let write = t0.elapsed();
    let t1 = Instant::now();
    let warm = cache.load(now);
    let read_check = t1.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    let warm = match warm {
        Ok(Some(w)) => w,
        Ok(None) => return Err(std::io::Error::other("the cache was not written")),
        Err(e) => return Err(std::io::Error::other(e.to_string())),
    };
    let t2 = Instant::now();
    let mut floor = Floor::new();
    let mut errors = Vec::new();
    crate::source::ingest_bytes(&mut floor, "cache", 1, &warm.records, &mut errors);
    let apply = t2.elapsed();
    Ok(WarmFigures {
        records: book.len(),
        bytes: bytes.len() as u64,
        write,
        read_check,
        apply,
    })
}
