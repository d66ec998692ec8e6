//! Waking a file follower when the file system says a followed file
//! changed (inotify on Linux, through the `notify` crate), so an appended
//! line is read at once instead of at the next poll.
//!
//! The folder of each file is watched, not the file itself: a rotation
//! (another file renamed over the name), a replacement or a deletion is
//! an event on the folder, and a watch on the old inode would go quiet.
//! Only events naming a followed file wake the follower; opening or
//! reading a file (the follower's own reads among them) is not a change,
//! so a console that reads its file does not wake itself. The follower
//! keeps a slow poll as well: notifications do not cross network file
//! systems, and a watcher can fail to start (the inotify limit).

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// Watches the folders of some files and calls back when one of the files
/// may have changed. Dropping it stops the watch.
pub struct FileWatch {
    _watcher: RecommendedWatcher,
}

impl std::fmt::Debug for FileWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileWatch")
    }
}

/// Whether an event kind can mean new, removed or replaced content.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        // A writer closing the file ends a write; opening or reading is no change.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// The folder a path is in (`.` for a bare file name).
fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl FileWatch {
    /// Watches the folders of `files` (and of their targets, for symbolic
    /// links); `wake` is called, on the watcher's thread, for every event
    /// that may change one of them. Fails when no folder can be watched.
    pub fn new(
        files: &[PathBuf],
        wake: impl Fn() + Send + 'static,
    ) -> Result<FileWatch, notify::Error> {
        let mut names: HashSet<OsString> = HashSet::new();
        let mut folders: Vec<PathBuf> = Vec::new();
        for f in files {
            let mut add = |p: &Path| {
                if let Some(n) = p.file_name() {
                    names.insert(n.to_os_string());
                }
                let d = folder(p);
                if !folders.contains(&d) {
                    folders.push(d);
                }
            };
            add(f);
            if let Ok(target) = std::fs::canonicalize(f)
                && target != *f
            {
                add(&target);
            }
        }
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
            let Ok(event) = res else {
                // The watcher lost track (e.g. its queue overflowed): look.
                wake();
                return;
            };
            let ours = event.need_rescan()
                || event.paths.is_empty()
                || event
                    .paths
                    .iter()
                    .any(|p| p.file_name().is_some_and(|n| names.contains(n)));
            if ours && is_change(&event.kind) {
                wake();
            }
        })?;
        let mut watched = 0;
        let mut last_err = None;
        for d in &folders {
            match watcher.watch(d, RecursiveMode::NonRecursive) {
                Ok(()) => watched += 1,
                Err(e) => {
                    tracing::warn!(folder = %d.display(), error = %e, "cannot watch the folder: polling it");
                    last_err = Some(e);
                }
            }
        }
        match last_err {
            Some(e) if watched == 0 => Err(e),
            _ => Ok(FileWatch { _watcher: watcher }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::mpsc::{Receiver, channel};
    use std::time::Duration;

    /// Waits for a wake-up; every wake queued after it is drained.
    fn woke(rx: &Receiver<()>) -> bool {
        let got = rx.recv_timeout(Duration::from_secs(10)).is_ok();
        std::thread::sleep(Duration::from_millis(50));
        while rx.try_recv().is_ok() {}
        got
    }

    #[test]
    fn wakes_on_append_replace_and_removal_but_not_on_reads_or_other_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("floor.ndjson");
        std::fs::write(&path, "a\n").expect("write");
        let (tx, rx) = channel();
        let _watch = FileWatch::new(std::slice::from_ref(&path), move || {
            let _ = tx.send(());
        })
        .expect("watch");
        // Reading the file (as the follower does) is not a change.
        let _ = std::fs::read(&path).expect("read");
        // Nor is another file in the same folder.
        std::fs::write(dir.path().join("other.log"), "x\n").expect("write");
        assert!(
            rx.recv_timeout(Duration::from_millis(300)).is_err(),
            "woken by a read or by another file"
        );
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        f.write_all(b"b\n").expect("append");
        drop(f);
        assert!(woke(&rx), "append");
        let new = dir.path().join("new.ndjson");
        std::fs::write(&new, "c\n").expect("write");
        while rx.try_recv().is_ok() {}
        std::fs::rename(&new, &path).expect("rotate");
        assert!(woke(&rx), "rename over");
        std::fs::remove_file(&path).expect("remove");
        assert!(woke(&rx), "removal");
    }
}
