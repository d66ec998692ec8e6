//! The command line in Chinese: every `--help` text translated (a new
//! argument without its Chinese fails here), clap's own words in Chinese,
//! argument errors and run-time errors said in Chinese through the real
//! binary, and English left as clap writes it.

use crate::cli_support;

use std::path::Path;
use std::process::{Command, Output};

use shiftdeck::cli::command;
use shiftdeck::i18n::Lang;
use shiftdeck::i18n::cli::{ABOUT, ARG_HELP, ARG_LONG_HELP, LONG_ABOUT};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every visible command of the tree, depth first, with its path.
fn commands(cmd: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
    out.push((path.clone(), cmd.clone()));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        commands(sub, format!("{path} {}", sub.get_name()), out);
    }
}

fn tree(lang: Lang) -> Vec<(String, clap::Command)> {
    let mut cmd = command(lang);
    cmd.build();
    let mut out = Vec::new();
    commands(&cmd, "shiftdeck".into(), &mut out);
    out
}

#[test]
fn every_help_text_has_its_chinese() {
    let mut checked = 0;
    for (path, cmd) in tree(Lang::Zh) {
        let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
        assert!(has_cjk(&about), "{path}: about not in Chinese: {about:?}");
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(
                has_cjk(&help),
                "{path} {}: help not in Chinese: {help:?}",
                arg.get_id()
            );
            if let Some(long) = arg.get_long_help() {
                assert!(
                    has_cjk(&long.to_string()),
                    "{path} {}: long help",
                    arg.get_id()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} arguments seen");
}

#[test]
fn every_visible_argument_has_an_english_help_too() {
    for (path, cmd) in tree(Lang::En) {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            assert!(
                arg.get_help().is_some(),
                "{path} {}: no help text; --help should teach every option",
                arg.get_id()
            );
        }
    }
}

#[test]
fn no_translation_is_left_over() {
    // Every entry names a command, or an argument of a command, that exists.
    let mut commands = std::collections::HashSet::new();
    let mut args = std::collections::HashSet::new();
    for (_, cmd) in tree(Lang::En) {
        let name = cmd.get_name().to_string();
        for arg in cmd.get_arguments() {
            let id = arg.get_id().to_string();
            args.insert((name.clone(), id.clone()));
            args.insert((String::new(), id));
        }
        commands.insert(name);
    }
    for (command, id, _) in ARG_HELP.iter().chain(ARG_LONG_HELP) {
        assert!(
            args.contains(&(command.to_string(), id.to_string())),
            "{command} --{id} is no longer an argument"
        );
    }
    for (command, _) in ABOUT.iter().chain(LONG_ABOUT) {
        assert!(
            commands.contains(*command),
            "{command} is no longer a command"
        );
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    cli_support::shiftdeck_in(dir)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run shiftdeck")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn chinese_help_has_none_of_clap_s_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pages = 0;
    // `help` takes subcommand names, not `--help`.
    for (path, _) in tree(Lang::Zh)
        .into_iter()
        .filter(|(p, _)| !p.split(' ').any(|w| w == "help"))
    {
        let mut args: Vec<&str> = path.split(' ').skip(1).collect();
        args.extend(["--lang", "zh", "--help"]);
        let out = run(dir.path(), &args);
        assert!(out.status.success(), "{path} --help failed");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("用法："), "{path}: {text}");
        for english in [
            "Usage:",
            "Options:",
            "Commands:",
            "Arguments:",
            "Print help",
            "Print version",
            "[default:",
            "[possible values:",
        ] {
            assert!(!text.contains(english), "{path}: {english:?} in\n{text}");
        }
        pages += 1;
    }
    assert!(pages >= 10, "only {pages} help pages");
}

#[test]
fn argument_errors_in_chinese_and_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--lang", "zh", "snapshot", "--bogus"],
            "错误：无法识别的参数 '--bogus'",
        ),
        (
            &["--lang", "zh", "snapshot", "--form", "x"],
            "提示：是否要用 '--from'？",
        ),
        (
            &["--lang", "zh", "snapshot", "--file", "f", "--format", "xml"],
            "错误：参数 '--format <FORMAT>' 的值 'xml' 无效\n  [可选：json、table]",
        ),
        (&["--lang", "zh", "export"], "错误：缺少必需的参数：<WHAT>"),
        (
            &["--lang", "zh", "sim", "--out", "x", "--serve", "nope"],
            "错误：参数 '--serve <ADDR>' 的值 'nope' 无效：不是有效的地址（如 127.0.0.1:8080）",
        ),
    ];
    for (args, want) in cases {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(err.contains("更多信息请运行 '--help'。"), "{args:?}: {err}");
        assert!(!err.contains("error:"), "{args:?}: {err}");
    }
    let out = run(dir.path(), &["--lang", "en", "snapshot", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: unexpected argument '--bogus'"));
    // The locale chooses when --lang is not given.
    let out = Command::new(env!("CARGO_BIN_EXE_shiftdeck"))
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["snapshot", "--bogus"])
        .output()
        .expect("run");
    assert!(
        stderr(&out).starts_with("错误：无法识别的参数"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn run_time_errors_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("bad.ndjson"),
        "{\"type\":\"contact\",\"id\":\n{\"type\":\"survey\",\"id\":\"s\",\"contact\":\"a\",\"csat\":9}\n",
    )
    .expect("write");
    std::fs::write(d.join("bad.toml"), "[targets.aht_s]\nalert = \"high\"\n").expect("write");
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["snapshot", "--file", "missing.ndjson"],
            &["shiftdeck: 无法打开 missing.ndjson：文件或目录不存在（系统错误 2）"],
        ),
        (
            &["snapshot", "--file", "bad.ndjson", "--format", "table"],
            &[
                "bad.ndjson:1: JSON 不完整（行被截断？），第 23 列：“EOF while parsing a value”",
                "bad.ndjson:2: `csat` 必须在 1 到 5 之间，实为 9",
                "shiftdeck：跳过了 2 行格式错误的数据（共 2 行）",
            ],
        ),
        (
            &["--config", "bad.toml", "config", "show"],
            &["shiftdeck: bad.toml:2: targets.aht_s.alert: 应为数字，实为字符串 \"high\""],
        ),
        (
            &["sim", "--days", "0", "--out", "x.ndjson"],
            &["shiftdeck: --days 和 --agents 至少为 1"],
        ),
        (
            &["demo", "--speed", "0"],
            &["shiftdeck: --speed 必须在 0 到 10000 之间（实为 0）"],
        ),
        (
            &["snapshot", "--crm", "gopher+http://x"],
            &["未知数据源类型 `gopher`（feed、rt、zendesk）"],
        ),
    ];
    for (args, wants) in cases {
        let mut all = vec!["--lang", "zh"];
        all.extend_from_slice(args);
        let out = run(d, &all);
        let err = stderr(&out);
        for want in wants {
            assert!(err.contains(want), "{args:?}: want {want:?} in\n{err}");
        }
    }
    // The same error in English, as written.
    let out = run(d, &["--lang", "en", "snapshot", "--file", "missing.ndjson"]);
    assert!(
        stderr(&out).contains("cannot open missing.ndjson: No such file or directory"),
        "{}",
        stderr(&out)
    );
    // `config show`: the TOML as written, its comments in Chinese.
    let out = run(d, &["--lang", "zh", "config", "show"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("# 生效的配置（内置默认值；没有配置文件）"),
        "{text}"
    );
    assert!(
        text.contains("[targets.aht_s]\ntarget = 252.0\n# warn：未设置（即目标值本身）"),
        "{text}"
    );
    assert!(text.contains("# crm：未设置"), "{text}");
    // `config path` labels.
    let out = run(d, &["--lang", "zh", "config", "path"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("配置文件：") && text.contains("状态目录："),
        "{text}"
    );
}
