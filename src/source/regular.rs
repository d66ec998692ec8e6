//! Which paths are read as data: regular files only. A FIFO, a device
//! (`/dev/zero`), a socket or a folder is refused before it is opened, so a
//! FIFO without a writer never blocks and an endless device never fills
//! memory. Used for data files and token files alike.

use std::fs::File;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Localize, Msg, tf};

/// What kind of file a path names, when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl FileKind {
    /// `None` for a regular file.
    pub fn of(ft: std::fs::FileType) -> Option<FileKind> {
        Some(if ft.is_file() {
            return None;
        } else if ft.is_dir() {
            FileKind::Directory
        } else if ft.is_fifo() {
            FileKind::Fifo
        } else if ft.is_char_device() {
            FileKind::CharDevice
        } else if ft.is_block_device() {
            FileKind::BlockDevice
        } else if ft.is_socket() {
            FileKind::Socket
        } else {
            FileKind::Other
        })
    }

    /// The sentence that refuses it (`{}` is the path).
    pub fn refusal(self) -> Msg {
        match self {
            FileKind::Directory => Msg::ErrFileIsDirectory,
            FileKind::Fifo => Msg::ErrFileIsFifo,
            FileKind::CharDevice | FileKind::BlockDevice => Msg::ErrFileIsDevice,
            FileKind::Socket => Msg::ErrFileIsSocket,
            FileKind::Other => Msg::ErrFileNotRegular,
        }
    }
}

/// Why a data file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not a regular file: refused without opening it (a FIFO would block,
    /// a device never ends).
    #[error("{}", tf(Lang::En, .kind.refusal(), &[&.path.display()]))]
    NotRegular { path: PathBuf, kind: FileKind },
    /// The OS refused (not found, permission denied, …).
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl FileError {
    pub fn io(path: &Path, source: std::io::Error) -> FileError {
        FileError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The OS error's kind (`Other` when the file is not a regular one).
    pub fn kind(&self) -> std::io::ErrorKind {
        match self {
            FileError::NotRegular { .. } => std::io::ErrorKind::Other,
            FileError::Io { source, .. } => source.kind(),
        }
    }
}

impl Localize for FileError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            FileError::NotRegular { path, kind } => tf(lang, kind.refusal(), &[&path.display()]),
            FileError::Io { path, source } => tf(
                lang,
                Msg::AtPlace,
                &[
                    &path.display(),
                    &crate::i18n::detail::OsError::new(source).localize(lang),
                ],
            ),
        }
    }
}

/// Refuses a path that is not a regular file, without opening it (opening
/// a FIFO blocks until a writer comes). Follows symbolic links.
pub fn check_regular(path: &Path) -> Result<(), FileError> {
    let meta = std::fs::metadata(path).map_err(|e| FileError::io(path, e))?;
    match FileKind::of(meta.file_type()) {
        None => Ok(()),
        Some(kind) => Err(FileError::NotRegular {
            path: path.to_path_buf(),
            kind,
        }),
    }
}

/// Opens a regular file for reading; anything else is refused first.
pub fn open_regular(path: &Path) -> Result<(File, std::fs::Metadata), FileError> {
    check_regular(path)?;
    let file = File::open(path).map_err(|e| FileError::io(path, e))?;
    let meta = file.metadata().map_err(|e| FileError::io(path, e))?;
    // Replaced between the check and the open.
    if let Some(kind) = FileKind::of(meta.file_type()) {
        return Err(FileError::NotRegular {
            path: path.to_path_buf(),
            kind,
        });
    }
    Ok((file, meta))
}
