//! The catalogue against the program's errors: every error variant says
//! itself in both languages, the Chinese without an English sentence and
//! with every placeholder filled, and every error message of the catalogue
//! is said by some variant. A reworded or new error that does not go
//! through the catalogue fails here instead of turning English.

use crate::i18n::{Lang, Localize, Msg, placeholders, t};

use crate::english_words::english_left;

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every error the program makes, one of each variant.
fn every_error() -> Vec<(String, Box<dyn Localize>)> {
    let mut all: Vec<(String, Box<dyn Localize>)> = Vec::new();
    macro_rules! add {
        ($list:expr) => {
            for e in $list {
                all.push((format!("{e:?}"), Box::new(e)));
            }
        };
    }
    add!(crate::source::http::SourceError::examples());
    add!(crate::source::wire::LineReason::examples());
    add!(crate::source::LoadError::examples());
    add!(crate::store::StoreError::examples());
    add!(crate::store::StoreNotice::examples());
    add!(crate::cli::CliError::examples());
    add!(crate::runtime::error::ConsoleError::examples());
    add!(crate::runtime::watch::WatchError::examples());
    add!(crate::source::webhook::WebhookError::examples());
    add!(crate::source::webhook::PostFailure::examples());
    add!([crate::i18n::cli::BadLang("fr".into())]);
    add!([
        crate::domain::time::TsError::Syntax,
        crate::domain::time::TsError::NoOffset,
        crate::domain::time::TsError::OutOfRange,
    ]);
    for kind in IO_KINDS {
        add!([crate::i18n::detail::OsError::of_kind(kind)]);
    }
    all
}

const IO_KINDS: [std::io::ErrorKind; 37] = {
    use std::io::ErrorKind as K;
    [
        K::NotFound,
        K::PermissionDenied,
        K::ConnectionRefused,
        K::ConnectionReset,
        K::ConnectionAborted,
        K::NotConnected,
        K::HostUnreachable,
        K::NetworkUnreachable,
        K::NetworkDown,
        K::AddrInUse,
        K::AddrNotAvailable,
        K::BrokenPipe,
        K::AlreadyExists,
        K::WouldBlock,
        K::NotADirectory,
        K::IsADirectory,
        K::DirectoryNotEmpty,
        K::ReadOnlyFilesystem,
        K::StaleNetworkFileHandle,
        K::InvalidInput,
        K::InvalidData,
        K::TimedOut,
        K::WriteZero,
        K::StorageFull,
        K::QuotaExceeded,
        K::FileTooLarge,
        K::ResourceBusy,
        K::Deadlock,
        K::CrossesDevices,
        K::TooManyLinks,
        K::InvalidFilename,
        K::ArgumentListTooLong,
        K::Interrupted,
        K::Unsupported,
        K::UnexpectedEof,
        K::OutOfMemory,
        K::Other,
    ]
};

/// The catalogue's error messages: those an error variant says.
fn is_error_msg(m: Msg) -> bool {
    const PREFIXES: &[&str] = &[
        "Io", "Json", "Ts", "Line", "Load", "Src", "Net", "Url", "Crm", "Http", "Store", "Sql",
        "Err", "Arg",
    ];
    let name = format!("{m:?}");
    PREFIXES.iter().any(|p| {
        name.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    })
}

#[test]
fn every_error_says_itself_in_both_languages() {
    let all = every_error();
    assert!(all.len() > 120, "only {} errors", all.len());
    for (name, e) in &all {
        let (en, zh) = (e.localize(Lang::En), e.localize(Lang::Zh));
        assert!(!en.trim().is_empty(), "{name}: English empty");
        assert!(!zh.trim().is_empty(), "{name}: Chinese empty");
        for s in [&en, &zh] {
            assert!(!s.contains("{}"), "{name}: a placeholder left in {s:?}");
        }
        assert!(has_cjk(&zh), "{name}: no Chinese in {zh:?}");
        let left = english_left(&zh);
        assert!(left.is_empty(), "{name}: {zh:?} has English {left:?}");
    }
}

#[test]
fn every_error_message_is_said_by_some_error() {
    // The Chinese of every variant; each error message's fixed text must
    // appear in one of them (so no message is left for a variant that no
    // longer exists, and no variant is missing from the examples).
    let said: Vec<String> = every_error()
        .iter()
        .map(|(_, e)| e.localize(Lang::Zh))
        .collect();
    // Messages said by code outside the error types: the CLI's notices.
    // (`i18n::cli` says why a value parser refused a value by its type.)
    // (The console says these where it runs: a save without a store, the
    // engine gone, a followed file gone.)
    const ELSEWHERE: &[Msg] = &[
        Msg::ErrConfig,
        Msg::StoreReadOnlyShort,
        Msg::StoreNoneThisSession,
        Msg::FileGoneKeeping,
        Msg::FileNeverFound,
        Msg::ArgNumberEmpty,
        Msg::ArgNumberTooLarge,
        Msg::ArgNumberTooSmall,
        Msg::ArgNotWholeNumber,
        Msg::ArgNotNumber,
        Msg::ArgNotAddress,
        Msg::ArgBadValue,
    ];
    for &m in Msg::ALL {
        if !is_error_msg(m) || ELSEWHERE.contains(&m) {
            continue;
        }
        let parts: Vec<&str> = t(Lang::Zh, m)
            .split("{}")
            .filter(|p| !p.is_empty())
            .collect();
        assert!(
            said.iter().any(|s| {
                let mut rest = s.as_str();
                parts.iter().all(|p| match rest.find(p) {
                    Some(i) => {
                        rest = &rest[i + p.len()..];
                        true
                    }
                    None => false,
                })
            }),
            "{m:?} ({:?}) is said by no error example",
            t(Lang::Zh, m)
        );
    }
}

#[test]
fn every_message_is_whole_in_both_languages() {
    for &m in Msg::ALL {
        let (en, zh) = (t(Lang::En, m), t(Lang::Zh, m));
        assert!(
            !en.trim().is_empty() && !zh.trim().is_empty(),
            "{m:?} empty"
        );
        assert_eq!(placeholders(en), placeholders(zh), "{m:?}: placeholders");
        if is_error_msg(m) {
            let left = english_left(zh);
            assert!(left.is_empty(), "{m:?}: {zh:?} has English {left:?}");
        }
    }
}

#[test]
fn english_display_is_the_english_rendering() {
    for e in crate::source::http::SourceError::examples() {
        assert_eq!(e.to_string(), e.localize(Lang::En));
    }
    for e in [
        crate::domain::time::TsError::Syntax,
        crate::domain::time::TsError::NoOffset,
        crate::domain::time::TsError::OutOfRange,
    ] {
        assert_eq!(
            e.to_string(),
            e.localize(Lang::En),
            "the domain's own words"
        );
    }
}

#[test]
fn the_detector_finds_english() {
    assert_eq!(
        english_left("无法连接：connection refused"),
        ["connection", "refused"]
    );
    assert!(english_left("无法打开 /srv/f.ndjson：“No such file”").is_empty());
    assert!(english_left("--crm `x`：未知选项 `colour`（queues、days）").is_empty());
}
