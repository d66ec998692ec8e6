//! The command line in the lead's language: `--lang` parsing, and the
//! `--help` texts chosen before clap parses (from `--lang` in argv, else the
//! locale; the config is not read for `--help`).

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches};

use super::{Lang, Msg, t};
use crate::cli::Cli;
use crate::config::Lang as ConfigLang;

/// `--lang` values: `en`, `zh`, `auto`.
pub fn parse_lang(s: &str) -> Result<ConfigLang, String> {
    ConfigLang::from_name(s.trim()).ok_or_else(|| format!("expected en, zh or auto, got {s:?}"))
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

/// The clap command with its texts in the language. English keeps the
/// texts written on `Cli` itself.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    let subs = [
        ("demo", Msg::CliDemo),
        ("snapshot", Msg::CliSnapshot),
        ("sim", Msg::CliSim),
        ("config", Msg::CliConfig),
        ("bench", Msg::CliBench),
    ];
    let mut cmd = cmd
        .about(t(lang, Msg::CliAbout))
        .long_about(t(lang, Msg::CliLongAbout))
        .after_help(t(lang, Msg::CliExamples))
        .mut_arg("lang", |a| a.help(t(lang, Msg::CliLangHelp)))
        .mut_arg("huddle", |a| a.help(t(lang, Msg::CliHuddleHelp)))
        .mut_arg("files", |a| a.help(t(lang, Msg::CliFileHelp)));
    for (name, msg) in subs {
        cmd = cmd.mut_subcommand(name, |c| c.about(t(lang, msg)));
    }
    cmd
}

/// Parses argv; `--help`, `--version` and argument errors print and exit,
/// as `Cli::parse` does.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Cli {
    let args: Vec<OsString> = args.into_iter().collect();
    let lang = help_lang(&args);
    let matches = command(lang).get_matches_from(args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}
