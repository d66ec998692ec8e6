//! Shell completions and the manual page, generated from the same clap
//! definitions as the parser; and each command lists only the options it
//! uses (`--crm` where a feed can be polled, `--lang` saying `auto`).

use crate::cli_support::{shiftdeck_in, stdout_ok};

/// The subcommands a lead can type (the hidden test helper left out).
const SUBCOMMANDS: [&str; 9] = [
    "demo",
    "snapshot",
    "sim",
    "config",
    "bench",
    "export",
    "report",
    "completions",
    "man",
];

#[test]
fn completions_name_every_subcommand_in_each_shell() {
    let home = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_ok(shiftdeck_in(home.path()).args(["completions", shell]));
        for sub in SUBCOMMANDS
            .iter()
            .chain(&["weekly", "agents", "path", "show"])
        {
            assert!(script.contains(sub), "{shell}: no {sub} in\n{script}");
        }
        // Options and their values too: snapshot's --format table.
        assert!(script.contains("format"), "{shell}");
        assert!(script.contains("table"), "{shell}");
    }
    let bash = stdout_ok(shiftdeck_in(home.path()).args(["completions", "bash"]));
    assert!(bash.contains("complete -F _shiftdeck"), "{bash}");
    let zsh = stdout_ok(shiftdeck_in(home.path()).args(["completions", "zsh"]));
    assert!(zsh.starts_with("#compdef shiftdeck"), "{zsh}");
    let fish = stdout_ok(shiftdeck_in(home.path()).args(["completions", "fish"]));
    assert!(fish.contains("complete -c shiftdeck"), "{fish}");
}

#[test]
fn completions_for_an_unknown_shell_is_an_argument_error() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = shiftdeck_in(home.path())
        .args(["completions", "tcsh"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    assert!(err.contains("bash"), "{err}");
}

#[test]
fn man_page_names_the_program_and_its_subcommands() {
    let home = tempfile::tempdir().expect("tempdir");
    let page = stdout_ok(shiftdeck_in(home.path()).arg("man"));
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH shiftdeck 1"),
        "{page}"
    );
    assert!(page.contains(".TH shiftdeck 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("shiftdeck\\-{sub}(1)")),
            "no {sub} in\n{page}"
        );
    }
    // The texts written on the parser: the about line and the --file option.
    assert!(page.contains("shift leads"), "{page}");
    assert!(page.contains("\\-\\-file"), "{page}");
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("man1");
    stdout_ok(shiftdeck_in(home.path()).arg("man").arg("--dir").arg(&dir));
    for name in ["shiftdeck", "shiftdeck-snapshot", "shiftdeck-report-weekly"] {
        let page = std::fs::read_to_string(dir.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        assert!(page.contains(&format!(".TH {name} 1")), "{name}: {page}");
    }
    let snapshot = std::fs::read_to_string(dir.join("shiftdeck-snapshot.1")).expect("read");
    assert!(snapshot.contains("\\-\\-now"), "{snapshot}");
    assert!(!dir.join("shiftdeck-store-torture.1").exists());
}

#[test]
fn crm_is_listed_only_where_it_is_used_and_lang_says_auto() {
    let home = tempfile::tempdir().expect("tempdir");
    let help = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--help");
        stdout_ok(shiftdeck_in(home.path()).args(&all))
    };
    for args in [
        &["sim"][..],
        &["config"],
        &["config", "show"],
        &["export"],
        &["demo"],
        &["bench"],
    ] {
        let h = help(args);
        assert!(!h.contains("--crm <URL>"), "{args:?} lists --crm:\n{h}");
        assert!(h.contains("--lang <en|zh|auto>"), "{args:?}:\n{h}");
    }
    for args in [
        &[][..],
        &["snapshot"],
        &["report", "weekly"],
        &["report", "agents"],
    ] {
        let h = help(args);
        assert!(h.contains("--crm <URL>"), "{args:?} lacks --crm:\n{h}");
    }
    // A --crm given to a command that does not poll is refused, as clap does.
    let out = shiftdeck_in(home.path())
        .args([
            "sim",
            "--crm",
            "feed+http://127.0.0.1:9",
            "--out",
            "x.ndjson",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
