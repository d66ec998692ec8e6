//! Following a data file as it grows, the way `tail -F` does: appended
//! lines are read from the last offset, never re-reading the file.
//!
//! A file that was rotated (another file now has its name), truncated, or
//! rewritten in place is read again from the start. Size alone cannot tell:
//! a file truncated and written again past the old offset before the next
//! check, or rewritten with `cat v2 > F`, is larger than before. So each
//! check also compares the file's identity (device and inode) and its
//! content where it was already read: the first [`HEAD_BYTES`] and the last
//! [`TAIL_BYTES`] bytes before the offset. Appends change neither.
//!
//! Only regular files are followed ([`super::regular`]): a FIFO, a device (`/dev/zero`), a
//! socket or a directory is refused before it is opened, so a FIFO without
//! a writer never blocks and an endless device never fills memory. A line
//! longer than [`MAX_LINE_BYTES`] is reported (`FILE:LINE: line longer than
//! 16 MB`) and skipped without being held; reading goes on after it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::http::SourceError;
use super::poll::PollBatch;

/// At most this much is returned by one `poll`, so a huge file loads in
/// steps and the caller stays responsive; `more` says to poll again at once.
pub const MAX_POLL_BYTES: usize = 32 << 20;

/// The longest line kept from a file: a record is a few hundred bytes, but
/// a long free-text field of several MB is still read.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// How much of the file's start is compared on each check.
pub const HEAD_BYTES: usize = 4096;
/// How much of what was read last is compared on each check.
pub const TAIL_BYTES: usize = 256;

pub use super::regular::{FileError, FileKind, check_regular, open_regular};
pub use crate::domain::status::ResetKind;

/// Splits read bytes into whole lines, holding the unfinished last line
/// (at most [`MAX_LINE_BYTES`] of it). A longer line is reported by its
/// number and skipped up to its newline; inside the returned bytes it is
/// left as a blank line, so the numbers of the lines after it stay right.
#[derive(Debug, Default)]
pub struct LineSplitter {
    /// An unfinished last line, held until its newline arrives.
    partial: Vec<u8>,
    /// Inside a line already reported as too long: drop bytes up to its newline.
    skipping: bool,
    /// Lines handed out so far.
    lines: u64,
}

/// Whole lines from a [`LineSplitter`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Split {
    /// 1-based number of the first line in `bytes`.
    pub first_line: u64,
    /// Whole lines (each ends with `\n`, but the last one at end of file).
    pub bytes: Vec<u8>,
    /// Lines longer than [`MAX_LINE_BYTES`], by number: blanked in `bytes`
    /// or dropped.
    pub too_long: Vec<u64>,
}

impl LineSplitter {
    /// A buffer holding the unfinished line, to read the next bytes after.
    pub fn take_buffer(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.partial)
    }

    /// Puts back the buffer from [`Self::take_buffer`] after a failed read.
    pub fn give_back(&mut self, buf: Vec<u8>) {
        self.partial = buf;
    }

    /// Lines handed out so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Takes `buf` (the buffer from [`Self::take_buffer`] with new bytes
    /// after it) and returns its whole lines; at end of file (`eof`) an
    /// unfinished last line counts as whole.
    pub fn split(&mut self, mut buf: Vec<u8>, eof: bool) -> Split {
        let mut too_long = Vec::new();
        if self.skipping {
            match memchr::memchr(b'\n', &buf) {
                // The long line goes on: nothing of it is kept.
                None => {
                    return Split {
                        first_line: self.lines + 1,
                        bytes: Vec::new(),
                        too_long,
                    };
                }
                // It ends here: what is left of it becomes a blank line.
                Some(i) => {
                    buf.drain(..i);
                    self.skipping = false;
                }
            }
        }
        let whole = if eof {
            buf.len()
        } else {
            memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1)
        };
        self.partial = buf.split_off(whole);
        let first_line = self.lines + 1;
        let mut start = 0;
        let mut n = 0u64;
        if !has_long_line(&buf) {
            // Count the lines at once (one vectorised pass).
            n = memchr::memchr_iter(b'\n', &buf).count() as u64;
            if buf.last().is_some_and(|&b| b != b'\n') {
                n += 1;
            }
            start = buf.len();
        }
        while start < buf.len() {
            let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
            n += 1;
            if end - start > MAX_LINE_BYTES {
                too_long.push(first_line + n - 1);
                buf[start..end].fill(b' ');
            }
            start = end + 1;
        }
        self.lines += n;
        if self.partial.len() > MAX_LINE_BYTES {
            too_long.push(self.lines + 1);
            self.partial = Vec::new();
            self.skipping = true;
        }
        Split {
            first_line,
            bytes: buf,
            too_long,
        }
    }
}

/// Whether some line of `buf` is longer than [`MAX_LINE_BYTES`]: from each
/// line start that far from the end, the last newline within the limit is
/// the next start, so a few backward searches cover a large buffer.
fn has_long_line(buf: &[u8]) -> bool {
    let mut start = 0;
    while buf.len() - start > MAX_LINE_BYTES {
        match memchr::memrchr(b'\n', &buf[start..=start + MAX_LINE_BYTES]) {
            Some(i) => start += i + 1,
            None => return true,
        }
    }
    false
}

/// New whole lines from a followed file.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileChunk {
    /// The file was truncated, rewritten or rotated (which one): `bytes`
    /// starts again at line 1 and the caller must rebuild what it derived
    /// from this file.
    pub reset: Option<ResetKind>,
    /// 1-based number of the first line in `bytes`.
    pub first_line: u64,
    /// Whole lines only (each ends with `\n`).
    pub bytes: Vec<u8>,
    /// Lines longer than [`MAX_LINE_BYTES`], skipped (blank in `bytes`).
    pub too_long: Vec<u64>,
    /// More data was waiting than one poll returns.
    pub more: bool,
}

#[derive(Debug)]
pub struct FileFollower {
    path: PathBuf,
    /// Device and inode of the file being read: a change means rotation.
    identity: Option<(u64, u64)>,
    /// Bytes consumed so far (whole lines plus the held partial line).
    offset: u64,
    lines: LineSplitter,
    /// The file's first bytes as read (`min(offset, HEAD_BYTES)` of them).
    head: Vec<u8>,
    /// The last bytes read, ending at `offset` (at most `TAIL_BYTES`).
    tail: Vec<u8>,
}

impl FileFollower {
    pub fn new(path: PathBuf) -> Self {
        FileFollower {
            path,
            identity: None,
            offset: 0,
            lines: LineSplitter::default(),
            head: Vec::new(),
            tail: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes read so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Whether the file still holds, where it was read, what was read.
    fn same_content(&self, file: &File) -> std::io::Result<bool> {
        let mut buf = vec![0; self.head.len().max(self.tail.len())];
        let head = &mut buf[..self.head.len()];
        file.read_exact_at(head, 0)?;
        if head != self.head.as_slice() {
            return Ok(false);
        }
        let tail = &mut buf[..self.tail.len()];
        file.read_exact_at(tail, self.offset - self.tail.len() as u64)?;
        Ok(tail == self.tail.as_slice())
    }

    /// Why the file must be read again from the start, if it must.
    fn changed(&self, file: &File, meta: &std::fs::Metadata) -> Option<ResetKind> {
        let identity = (meta.dev(), meta.ino());
        if self.identity.is_some_and(|id| id != identity) {
            return Some(ResetKind::Rotated);
        }
        if meta.len() < self.offset {
            return Some(ResetKind::Truncated);
        }
        match self.same_content(file) {
            Ok(true) => None,
            // Shrunk under the read: truncated.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Some(ResetKind::Truncated),
            Ok(false) | Err(_) => Some(ResetKind::Rewritten),
        }
    }

    /// Read what was appended since the last call. An error (e.g. the file
    /// disappeared) leaves the follower where it was, ready to try again.
    pub fn poll(&mut self) -> Result<FileChunk, FileError> {
        let (mut file, meta) = open_regular(&self.path)?;
        let reset = self.changed(&file, &meta);
        if reset.is_some() {
            *self = FileFollower::new(std::mem::take(&mut self.path));
        }
        self.identity = Some((meta.dev(), meta.ino()));
        let mut chunk = FileChunk {
            reset,
            first_line: self.lines.lines() + 1,
            ..FileChunk::default()
        };
        if meta.len() == self.offset {
            return Ok(chunk);
        }
        file.seek(SeekFrom::Start(self.offset))
            .map_err(|e| FileError::io(&self.path, e))?;
        let want = (meta.len() - self.offset).min(MAX_POLL_BYTES as u64) as usize;
        let mut buf = self.lines.take_buffer();
        let start = buf.len();
        buf.resize(start + want, 0);
        let mut got = 0;
        while got < want {
            match file.read(&mut buf[start + got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // Keep the unfinished line for the next try.
                    buf.truncate(start);
                    self.lines.give_back(buf);
                    return Err(FileError::io(&self.path, e));
                }
            }
        }
        buf.truncate(start + got);
        let new = &buf[start..];
        if self.head.len() < HEAD_BYTES {
            let n = (HEAD_BYTES - self.head.len()).min(new.len());
            self.head.extend_from_slice(&new[..n]);
        }
        if new.len() >= TAIL_BYTES {
            self.tail = new[new.len() - TAIL_BYTES..].to_vec();
        } else {
            self.tail.extend_from_slice(new);
            let cut = self.tail.len().saturating_sub(TAIL_BYTES);
            self.tail.drain(..cut);
        }
        self.offset += got as u64;
        chunk.more = self.offset < meta.len();
        let split = self.lines.split(buf, false);
        chunk.first_line = split.first_line;
        chunk.bytes = split.bytes;
        chunk.too_long = split.too_long;
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
            let chunk = self.followers[i].poll().map_err(|e| match e {
                FileError::NotRegular { path, kind } => SourceError::FileNotRegular { path, kind },
                FileError::Io { path, source } => SourceError::File {
                    path,
                    err: (&source).into(),
                },
            })?;
            if chunk.reset.is_some() && self.started {
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
            if !chunk.bytes.is_empty() || chunk.more || !chunk.too_long.is_empty() {
                self.started = true;
                let origin = self.followers[i].path().display().to_string();
                return Ok(PollBatch {
                    reset,
                    skipped: too_long_errors(&origin, &chunk.too_long),
                    origin,
                    first_line: chunk.first_line,
                    bytes: chunk.bytes,
                    more: true,
                    ..PollBatch::default()
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

/// The reports of lines longer than [`MAX_LINE_BYTES`] in `origin`.
pub fn too_long_errors(origin: &str, lines: &[u64]) -> Vec<super::LineError> {
    lines
        .iter()
        .map(|&line| super::LineError {
            origin: origin.to_string(),
            line,
            reason: super::wire::LineReason::LineTooLong {
                mb: MAX_LINE_BYTES >> 20,
            },
        })
        .collect()
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
            (None, 1, &b"a\nb\n"[..])
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
            (Some(ResetKind::Truncated), 1, &b"x\n"[..])
        );
        // Rotation: a new file (new inode) under the same name, even if longer.
        let other = dir.path().join("new.ndjson");
        std::fs::write(&other, "p\nq\nr\n").expect("write");
        std::fs::rename(&other, &path).expect("rotate");
        let c = f.poll().expect("poll");
        assert_eq!(
            (c.reset, c.first_line, &c.bytes[..]),
            (Some(ResetKind::Rotated), 1, &b"p\nq\nr\n"[..])
        );
    }

    /// Rewrites the file in place (same inode), as `cat v2 > F` does.
    fn rewrite_in_place(path: &Path, text: &str) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .expect("open");
        f.write_all(text.as_bytes()).expect("write");
    }

    #[test]
    fn truncated_and_grown_back_past_the_offset_is_read_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        append(&path, "one\ntwo\n");
        let mut f = FileFollower::new(path.clone());
        assert_eq!(f.poll().expect("poll").bytes, b"one\ntwo\n");
        let inode = std::fs::metadata(&path).expect("meta").ino();
        // Truncated, then written past the old offset (8) before the next check.
        rewrite_in_place(&path, "alpha\nbeta\ngamma\n");
        assert_eq!(std::fs::metadata(&path).expect("meta").ino(), inode);
        let c = f.poll().expect("poll");
        assert_eq!(
            (c.reset, c.first_line, &c.bytes[..]),
            (Some(ResetKind::Rewritten), 1, &b"alpha\nbeta\ngamma\n"[..])
        );
        // Then it is followed as before.
        append(&path, "delta\n");
        let c = f.poll().expect("poll");
        assert_eq!(
            (c.reset, c.first_line, &c.bytes[..]),
            (None, 4, &b"delta\n"[..])
        );
    }

    #[test]
    fn rewritten_in_place_larger_with_the_same_start_is_read_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        append(&path, "header\nv1-a\n");
        let mut f = FileFollower::new(path.clone());
        f.poll().expect("poll");
        // Same first line, other bytes after it, larger: only the tail differs.
        rewrite_in_place(&path, "header\nv2-a\nv2-b\n");
        let c = f.poll().expect("poll");
        assert_eq!(c.reset, Some(ResetKind::Rewritten));
        assert_eq!(c.bytes, b"header\nv2-a\nv2-b\n");
        // The same size with other content, too.
        rewrite_in_place(&path, "HEADER\nv3-a\nv3-b\n");
        let c = f.poll().expect("poll");
        assert_eq!(c.reset, Some(ResetKind::Rewritten));
        assert_eq!(c.bytes, b"HEADER\nv3-a\nv3-b\n");
    }

    #[test]
    fn appends_beyond_the_head_fingerprint_are_not_a_rewrite() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        let line = format!("{}\n", "x".repeat(999));
        let mut f = FileFollower::new(path.clone());
        let mut total = 0;
        for _ in 0..12 {
            append(&path, &line);
            let c = f.poll().expect("poll");
            assert_eq!(c.reset, None);
            total += c.bytes.len();
        }
        assert_eq!(total, 12_000);
        assert_eq!(f.head.len(), HEAD_BYTES);
        assert_eq!(f.tail.len(), TAIL_BYTES);
    }

    #[test]
    fn a_line_longer_than_the_limit_is_reported_and_skipped_without_being_held() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        append(&path, "a\n");
        let mut f = FileFollower::new(path.clone());
        f.poll().expect("poll");
        // 1.5 times the limit without a newline, in pieces: reported once,
        // never held whole.
        let piece = "z".repeat(MAX_LINE_BYTES / 2);
        let mut reported = Vec::new();
        for _ in 0..3 {
            append(&path, &piece);
            let c = f.poll().expect("poll");
            assert!(c.bytes.is_empty());
            reported.extend(c.too_long);
            assert!(f.lines.partial.len() <= MAX_LINE_BYTES);
        }
        assert_eq!(reported, [2]);
        // Its end, then good lines: the long line stays line 2 (blank).
        append(&path, "zzz\nb\n");
        let c = f.poll().expect("poll");
        assert_eq!((c.first_line, &c.bytes[..]), (2, &b"\nb\n"[..]));
        assert!(c.too_long.is_empty());
        // A long line read whole in one poll is blanked in place.
        let long = format!("{}\nc\n", "y".repeat(MAX_LINE_BYTES + 1));
        append(&path, &long);
        let c = f.poll().expect("poll");
        assert_eq!((c.first_line, c.too_long.as_slice()), (4, &[4][..]));
        assert!(c.bytes[..MAX_LINE_BYTES + 1].iter().all(|&b| b == b' '));
        assert!(c.bytes.ends_with(b"\nc\n"));
    }

    #[test]
    fn long_lines_are_found_at_the_limit() {
        let line = |n: usize| {
            let mut v = vec![b'x'; n];
            v.push(b'\n');
            v
        };
        let max = MAX_LINE_BYTES;
        assert!(!has_long_line(&[line(max), line(3), line(max)].concat()));
        assert!(has_long_line(&[line(3), line(max + 1), line(2)].concat()));
        assert!(has_long_line(&[line(max), line(max + 1)].concat()));
        // The last line without its newline.
        assert!(!has_long_line(&[line(5), vec![b'y'; max]].concat()));
        assert!(has_long_line(&[line(5), vec![b'y'; max + 1]].concat()));
        assert!(!has_long_line(b""));
        // Lines are counted alike either way: 3 here, the last unfinished.
        let mut split = LineSplitter::default();
        let s = split.split([line(max), line(0), b"z".to_vec()].concat(), true);
        assert!(s.too_long.is_empty());
        assert_eq!(split.lines(), 3);
        let s = split.split([line(max + 1), line(0), b"z".to_vec()].concat(), true);
        assert_eq!((s.first_line, s.too_long.as_slice()), (4, &[4][..]));
        assert_eq!(split.lines(), 6);
    }

    #[test]
    fn devices_fifos_and_folders_are_refused_without_opening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("feed.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let mut cases = vec![
            (PathBuf::from("/dev/zero"), FileKind::CharDevice),
            (dir.path().to_path_buf(), FileKind::Directory),
        ];
        if made.is_ok_and(|s| s.success()) {
            // No writer: opening it would block forever.
            cases.push((fifo, FileKind::Fifo));
        }
        for (path, want) in cases {
            let mut f = FileFollower::new(path.clone());
            match f.poll() {
                Err(FileError::NotRegular { kind, .. }) => assert_eq!(kind, want, "{path:?}"),
                other => panic!("{path:?}: {other:?}"),
            }
        }
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
