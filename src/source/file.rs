//! Following a data file as it grows, the way `tail -F` does: appended
//! lines are read from the last offset, never re-reading the file; a file
//! that shrinks or is replaced (rotation) is read again from the start.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::http::SourceError;
use super::poll::PollBatch;

/// At most this much is returned by one `poll`, so a huge file loads in
/// steps and the caller stays responsive; `more` says to poll again at once.
pub const MAX_POLL_BYTES: usize = 32 << 20;

/// New whole lines from a followed file.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileChunk {
    /// The file was truncated, replaced or rotated: `bytes` starts again at
    /// line 1 and the caller must rebuild what it derived from this file.
    pub reset: bool,
    /// 1-based number of the first line in `bytes`.
    pub first_line: u64,
    /// Whole lines only (each ends with `\n`).
    pub bytes: Vec<u8>,
    /// More data was waiting than one poll returns.
    pub more: bool,
}

#[derive(Debug)]
pub struct FileFollower {
    path: PathBuf,
    /// Device and inode of the file being read: a change means rotation.
    identity: Option<(u64, u64)>,
    /// Bytes consumed so far (whole lines plus `partial`).
    offset: u64,
    /// Lines handed out so far.
    lines: u64,
    /// An unfinished last line, held until its newline arrives.
    partial: Vec<u8>,
}

impl FileFollower {
    pub fn new(path: PathBuf) -> Self {
        FileFollower {
            path,
            identity: None,
            offset: 0,
            lines: 0,
            partial: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes read so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Read what was appended since the last call. An error (e.g. the file
    /// disappeared) leaves the follower where it was, ready to try again.
    pub fn poll(&mut self) -> std::io::Result<FileChunk> {
        let mut file = File::open(&self.path)?;
        let meta = file.metadata()?;
        let identity = (meta.dev(), meta.ino());
        let mut reset = false;
        if self.identity.is_some_and(|id| id != identity) || meta.len() < self.offset {
            reset = true;
            self.offset = 0;
            self.lines = 0;
            self.partial.clear();
        }
        self.identity = Some(identity);
        let mut chunk = FileChunk {
            reset,
            first_line: self.lines + 1,
            bytes: Vec::new(),
            more: false,
        };
        if meta.len() == self.offset {
            return Ok(chunk);
        }
        file.seek(SeekFrom::Start(self.offset))?;
        let want = (meta.len() - self.offset).min(MAX_POLL_BYTES as u64) as usize;
        let mut buf = std::mem::take(&mut self.partial);
        let start = buf.len();
        buf.resize(start + want, 0);
        let mut got = 0;
        while got < want {
            match file.read(&mut buf[start + got..])? {
                0 => break,
                n => got += n,
            }
        }
        buf.truncate(start + got);
        self.offset += got as u64;
        chunk.more = self.offset < meta.len();
        match memchr::memrchr(b'\n', &buf) {
            Some(i) => {
                self.partial = buf.split_off(i + 1);
                self.lines += memchr::memchr_iter(b'\n', &buf).count() as u64;
                chunk.bytes = buf;
            }
            None => self.partial = buf,
        }
        Ok(chunk)
    }
}

/// Files followed as they grow, read in order.
#[derive(Debug)]
pub struct FilesPoller {
    followers: Vec<FileFollower>,
    started: bool,
}

impl FilesPoller {
    pub fn new(paths: Vec<PathBuf>) -> FilesPoller {
        FilesPoller {
            followers: paths.into_iter().map(FileFollower::new).collect(),
            started: false,
        }
    }

    /// The first file with new lines gives this poll's batch (so files are
    /// read in order); `more` asks for another poll at once.
    pub(super) fn poll_once(&mut self) -> Result<PollBatch, SourceError> {
        let mut reset = !self.started;
        for i in 0..self.followers.len() {
            let chunk = self.followers[i].poll().map_err(|e| SourceError::File {
                path: self.followers[i].path().to_path_buf(),
                err: (&e).into(),
            })?;
            if chunk.reset && self.started {
                // A file was replaced: rebuild from every file, in order.
                for f in &mut self.followers {
                    *f = FileFollower::new(f.path().to_path_buf());
                }
                reset = true;
                return Ok(PollBatch {
                    reset,
                    more: true,
                    ..PollBatch::default()
                });
            }
            if !chunk.bytes.is_empty() || chunk.more {
                self.started = true;
                return Ok(PollBatch {
                    reset,
                    origin: self.followers[i].path().display().to_string(),
                    first_line: chunk.first_line,
                    bytes: chunk.bytes,
                    more: true,
                });
            }
        }
        self.started = true;
        Ok(PollBatch {
            reset,
            first_line: 1,
            ..PollBatch::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn append(path: &Path, text: &str) {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .expect("open for append");
        f.write_all(text.as_bytes()).expect("append");
    }

    #[test]
    fn follows_appends_and_holds_partial_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        append(&path, "a\nb\npart");
        let mut f = FileFollower::new(path.clone());
        let c = f.poll().expect("poll");
        assert_eq!(
            (c.reset, c.first_line, &c.bytes[..]),
            (false, 1, &b"a\nb\n"[..])
        );
        assert_eq!(f.poll().expect("poll").bytes, b"");
        append(&path, "ial\nc\n");
        let c = f.poll().expect("poll");
        assert_eq!((c.first_line, &c.bytes[..]), (3, &b"partial\nc\n"[..]));
    }

    #[test]
    fn truncation_and_replacement_reset() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        append(&path, "a\nb\n");
        let mut f = FileFollower::new(path.clone());
        f.poll().expect("poll");
        std::fs::write(&path, "x\n").expect("truncate");
        let c = f.poll().expect("poll");
        assert_eq!(
            (c.reset, c.first_line, &c.bytes[..]),
            (true, 1, &b"x\n"[..])
        );
        // Rotation: a new file (new inode) under the same name, even if longer.
        let other = dir.path().join("new.ndjson");
        std::fs::write(&other, "p\nq\nr\n").expect("write");
        std::fs::rename(&other, &path).expect("rotate");
        let c = f.poll().expect("poll");
        assert_eq!(
            (c.reset, c.first_line, &c.bytes[..]),
            (true, 1, &b"p\nq\nr\n"[..])
        );
    }

    #[test]
    fn missing_file_is_an_error_then_recovers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        let mut f = FileFollower::new(path.clone());
        assert!(f.poll().is_err());
        append(&path, "a\n");
        assert_eq!(f.poll().expect("poll").bytes, b"a\n");
    }

    #[test]
    fn files_poller_reads_in_order_and_resets_on_rotation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.ndjson");
        let b = dir.path().join("b.ndjson");
        std::fs::write(&a, "11\n").expect("write");
        std::fs::write(&b, "2\n").expect("write");
        let mut p = FilesPoller::new(vec![a.clone(), b.clone()]);
        let first = p.poll_once().expect("poll");
        assert_eq!(
            (first.reset, &first.bytes[..], first.more),
            (true, &b"11\n"[..], true)
        );
        let second = p.poll_once().expect("poll");
        assert_eq!((second.reset, &second.bytes[..]), (false, &b"2\n"[..]));
        let idle = p.poll_once().expect("poll");
        assert_eq!((idle.reset, idle.bytes.len(), idle.more), (false, 0, false));
        std::fs::write(&a, "x\n").expect("shrink");
        let reset = p.poll_once().expect("poll");
        assert!(reset.reset && reset.more && reset.bytes.is_empty());
        let again = p.poll_once().expect("poll");
        assert_eq!((again.reset, &again.bytes[..]), (false, &b"x\n"[..]));
        assert_eq!(p.poll_once().expect("poll").bytes, b"2\n");
    }
}
