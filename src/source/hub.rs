//! The hub's journal (`shiftdeck watch --serve`): every line the hub's
//! engine applies, in the order it applies them, written to one NDJSON
//! file that the feed server of [`super::serve`] serves. A console that
//! follows the hub (`--crm feed+http://hub:PORT`) so reads exactly what
//! the hub read, whatever the hub's own source (files, an HTTP feed, RT,
//! Zendesk).
//!
//! When the hub starts its floor again (a followed file was replaced, the
//! CRM sent its full state), the journal is replaced by a new file (a new
//! inode, by rename): the server's cursor names the inode, so every
//! follower gets the full journal again with `reset: true`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the engine tells the journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tee<'a> {
    /// The floor starts again from nothing.
    Reset,
    /// Whole NDJSON lines just applied.
    Lines(&'a [u8]),
}

/// The journal file, open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// A new, empty journal at `path` (replacing any earlier one).
    pub fn create(path: &Path) -> std::io::Result<Journal> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = fresh(path)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies what the engine did. Errors are logged: the hub keeps
    /// watching even when it cannot serve.
    pub fn tee(&mut self, what: Tee<'_>) {
        let r = match what {
            Tee::Reset => fresh(&self.path).map(|f| self.file = f),
            Tee::Lines([]) => Ok(()),
            Tee::Lines(bytes) => {
                // One write per batch: a follower never reads half a line
                // followed by nothing (the server serves whole lines only).
                if bytes.ends_with(b"\n") {
                    self.file.write_all(bytes)
                } else {
                    let mut b = Vec::with_capacity(bytes.len() + 1);
                    b.extend_from_slice(bytes);
                    b.push(b'\n');
                    self.file.write_all(&b)
                }
            }
        };
        if let Err(e) = r {
            tracing::warn!(path = %self.path.display(), "hub journal: {e}");
        }
    }
}

/// An empty file put in place of `path` by rename, so that it has a new
/// inode even where the old one is still open; open for appending.
fn fresh(path: &Path) -> std::io::Result<File> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".new");
    let tmp = PathBuf::from(tmp);
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(&tmp)?;
    std::fs::rename(&tmp, path)?;
    drop(file);
    OpenOptions::new().append(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn lines_append_and_a_reset_is_a_new_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("hub").join("feed.ndjson");
        let mut j = Journal::create(&p).expect("create");
        j.tee(Tee::Lines(b"{\"a\":1}\n"));
        j.tee(Tee::Lines(b"{\"b\":2}"));
        assert_eq!(
            std::fs::read_to_string(&p).expect("read"),
            "{\"a\":1}\n{\"b\":2}\n"
        );
        let before = std::fs::metadata(&p).expect("meta").ino();
        j.tee(Tee::Reset);
        j.tee(Tee::Lines(b"{\"c\":3}\n"));
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "{\"c\":3}\n");
        assert_ne!(std::fs::metadata(&p).expect("meta").ino(), before);
        // The served answer after a reset starts over.
        let a = crate::source::serve::answer(&p, Some(&format!("{before}-16")), 1 << 20)
            .expect("answer");
        let v: serde_json::Value = serde_json::from_slice(&a.body).expect("json");
        assert_eq!(v["reset"], true);
        assert_eq!(v["records"], serde_json::json!([{"c": 3}]));
    }
}
