//! The `--lang` option: read before clap so `--help` and argument errors
//! come out in the lead's language.

use std::ffi::OsString;

use crate::config::Lang as ConfigLang;
use crate::i18n::Lang;
use crate::i18n::cli::BadLang;

/// `--lang` values: `en`, `zh`, `auto`.
pub fn parse_lang(s: &str) -> Result<ConfigLang, BadLang> {
    ConfigLang::from_name(s.trim()).ok_or_else(|| BadLang(s.to_owned()))
}

/// The `--lang` value given in argv (`--lang zh` or `--lang=zh`), if any.
pub fn argv_lang(args: &[OsString]) -> Option<ConfigLang> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().and_then(|v| parse_lang(&v).ok());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return parse_lang(v).ok();
        }
    }
    None
}

/// Language of `--help` and of argument errors: argv, then the locale.
pub fn help_lang(args: &[OsString]) -> Lang {
    Lang::from(argv_lang(args).unwrap_or(ConfigLang::Auto))
}
