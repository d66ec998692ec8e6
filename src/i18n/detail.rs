//! Failures of what the program builds on, in the lead's language: an OS
//! error by its [`io::ErrorKind`] (and its number), a JSON error by its
//! category and position. What another crate says in its own words is never
//! read: English shows it as it is, Chinese quotes it only as a detail.

use std::fmt;
use std::io;

use super::{Lang, Localize, Msg, t, tf};

/// Gives a type whose words come from [`Localize`] its English `Display`
/// (for logs), so the two can never disagree.
#[macro_export]
macro_rules! english_display {
    ($($ty:ty),+ $(,)?) => {$(
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$crate::i18n::Localize::localize(self, $crate::i18n::Lang::En))
            }
        }
    )+};
}

/// An OS error, kept as its kind, its number and the OS's own text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsError {
    pub kind: io::ErrorKind,
    pub code: Option<i32>,
    /// What the OS said (`Permission denied (os error 13)`), for English.
    pub text: String,
}

impl OsError {
    pub fn new(e: &io::Error) -> OsError {
        OsError {
            kind: e.kind(),
            code: e.raw_os_error(),
            text: e.to_string(),
        }
    }

    /// An error of a kind, as `io::Error::from(kind)` says it.
    pub fn of_kind(kind: io::ErrorKind) -> OsError {
        OsError::new(&io::Error::from(kind))
    }
}

impl From<&io::Error> for OsError {
    fn from(e: &io::Error) -> OsError {
        OsError::new(e)
    }
}

impl From<io::Error> for OsError {
    fn from(e: io::Error) -> OsError {
        OsError::new(&e)
    }
}

impl fmt::Display for OsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for OsError {}

/// The catalogue's words for an error kind; `None` for kinds without
/// words of their own (`Other` and the like).
pub fn io_kind_msg(kind: io::ErrorKind) -> Option<Msg> {
    use io::ErrorKind as K;
    Some(match kind {
        K::NotFound => Msg::IoNotFound,
        K::PermissionDenied => Msg::IoPermissionDenied,
        K::ConnectionRefused => Msg::IoConnectionRefused,
        K::ConnectionReset => Msg::IoConnectionReset,
        K::ConnectionAborted => Msg::IoConnectionAborted,
        K::NotConnected => Msg::IoNotConnected,
        K::HostUnreachable => Msg::IoHostUnreachable,
        K::NetworkUnreachable => Msg::IoNetworkUnreachable,
        K::NetworkDown => Msg::IoNetworkDown,
        K::AddrInUse => Msg::IoAddrInUse,
        K::AddrNotAvailable => Msg::IoAddrNotAvailable,
        K::BrokenPipe => Msg::IoBrokenPipe,
        K::AlreadyExists => Msg::IoAlreadyExists,
        K::WouldBlock => Msg::IoWouldBlock,
        K::NotADirectory => Msg::IoNotADirectory,
        K::IsADirectory => Msg::IoIsADirectory,
        K::DirectoryNotEmpty => Msg::IoDirectoryNotEmpty,
        K::ReadOnlyFilesystem => Msg::IoReadOnlyFilesystem,
        K::StaleNetworkFileHandle => Msg::IoStaleHandle,
        K::InvalidInput => Msg::IoInvalidInput,
        K::InvalidData => Msg::IoInvalidData,
        K::TimedOut => Msg::IoTimedOut,
        K::WriteZero => Msg::IoWriteZero,
        K::StorageFull => Msg::IoStorageFull,
        K::QuotaExceeded => Msg::IoQuotaExceeded,
        K::FileTooLarge => Msg::IoFileTooLarge,
        K::ResourceBusy => Msg::IoResourceBusy,
        K::ExecutableFileBusy => Msg::IoResourceBusy,
        K::Deadlock => Msg::IoDeadlock,
        K::CrossesDevices => Msg::IoCrossesDevices,
        K::TooManyLinks => Msg::IoTooManyLinks,
        K::InvalidFilename => Msg::IoInvalidFilename,
        K::ArgumentListTooLong => Msg::IoArgumentListTooLong,
        K::Interrupted => Msg::IoInterrupted,
        K::Unsupported => Msg::IoUnsupported,
        K::UnexpectedEof => Msg::IoUnexpectedEof,
        K::OutOfMemory => Msg::IoOutOfMemory,
        _ => return None,
    })
}

impl Localize for OsError {
    fn localize(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.text.clone();
        }
        match (io_kind_msg(self.kind), self.code) {
            (Some(m), Some(code)) => tf(lang, Msg::IoWithCode, &[&t(lang, m), &code]),
            (Some(m), None) => t(lang, m).to_owned(),
            (None, Some(code)) => tf(lang, Msg::IoOtherCode, &[&code]),
            (None, None) => tf(lang, Msg::IoOther, &[&self.text]),
        }
    }
}

/// A JSON document that could not be read: what kind of failure, where,
/// and serde_json's own words (a detail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub category: JsonFault,
    /// 1-based; 0 when serde_json gave no position.
    pub line: usize,
    pub column: usize,
    /// serde_json's message without its position.
    pub detail: String,
}

/// serde_json's categories of failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonFault {
    /// The text ended in the middle of a value.
    Truncated,
    /// Not JSON.
    Syntax,
    /// JSON, but a value of the wrong type or out of range.
    Data,
    /// Reading failed.
    Io,
}

impl JsonError {
    pub fn new(e: &serde_json::Error) -> JsonError {
        use serde_json::error::Category;
        let category = match e.classify() {
            Category::Eof => JsonFault::Truncated,
            Category::Syntax => JsonFault::Syntax,
            Category::Data => JsonFault::Data,
            Category::Io => JsonFault::Io,
        };
        let (line, column) = (e.line(), e.column());
        let text = e.to_string();
        // serde_json appends exactly this when it knows the position.
        let suffix = format!(" at line {line} column {column}");
        let detail = match text.strip_suffix(&suffix) {
            Some(head) if line > 0 => head.to_owned(),
            _ => text,
        };
        JsonError {
            category,
            line,
            column,
            detail,
        }
    }

    /// The failure on one line (a feed line): the column only.
    pub fn on_line(&self, lang: Lang) -> String {
        let m = match (self.category, self.line > 0) {
            (_, false) | (JsonFault::Io, _) => return self.localize(lang),
            (JsonFault::Truncated, true) => Msg::JsonTruncatedCol,
            (JsonFault::Syntax, true) => Msg::JsonSyntaxCol,
            (JsonFault::Data, true) => Msg::JsonDataCol,
        };
        tf(lang, m, &[&self.column, &self.detail])
    }
}

impl From<&serde_json::Error> for JsonError {
    fn from(e: &serde_json::Error) -> JsonError {
        JsonError::new(e)
    }
}

impl From<serde_json::Error> for JsonError {
    fn from(e: serde_json::Error) -> JsonError {
        JsonError::new(&e)
    }
}

/// In a document: line and column.
impl Localize for JsonError {
    fn localize(&self, lang: Lang) -> String {
        // Reading fails before any position; a value built in memory
        // (`from_value`, a custom message) has none.
        let m = match (self.category, self.line > 0) {
            (JsonFault::Io, _) => Msg::JsonIo,
            (_, false) => Msg::JsonData,
            (JsonFault::Truncated, true) => Msg::JsonTruncatedAt,
            (JsonFault::Syntax, true) => Msg::JsonSyntaxAt,
            (JsonFault::Data, true) => Msg::JsonDataAt,
        };
        if self.line > 0 && self.category != JsonFault::Io {
            tf(lang, m, &[&self.line, &self.column, &self.detail])
        } else {
            tf(lang, m, &[&self.detail])
        }
    }
}

english_display!(JsonError);
impl std::error::Error for JsonError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_os_error_says_its_kind_and_keeps_its_number() {
        let e = OsError::new(&io::Error::from_raw_os_error(13));
        assert_eq!(e.localize(Lang::En), "Permission denied (os error 13)");
        assert_eq!(e.localize(Lang::Zh), "没有权限（系统错误 13）");
        let e = OsError::of_kind(io::ErrorKind::NotFound);
        assert_eq!(e.localize(Lang::Zh), "文件或目录不存在");
        let e = OsError::new(&io::Error::other("disk on fire"));
        assert_eq!(e.localize(Lang::Zh), "系统错误：“disk on fire”");
    }

    #[test]
    fn a_json_error_says_its_category_and_position() {
        let e = serde_json::from_str::<serde_json::Value>("{\"a\":").expect_err("eof");
        let j = JsonError::new(&e);
        assert_eq!(j.category, JsonFault::Truncated);
        assert_eq!((j.line, j.column), (1, 5));
        assert_eq!(j.detail, "EOF while parsing a value");
        assert_eq!(
            j.on_line(Lang::En),
            "truncated JSON at column 5: EOF while parsing a value"
        );
        assert_eq!(
            j.on_line(Lang::Zh),
            "JSON 不完整（行被截断？），第 5 列：“EOF while parsing a value”"
        );
        assert_eq!(
            j.localize(Lang::Zh),
            "JSON 不完整，第 1 行第 5 列：“EOF while parsing a value”"
        );
    }
}
