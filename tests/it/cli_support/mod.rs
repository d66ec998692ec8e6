//! The real binary, run apart from the machine it runs on: its own home,
//! config, data and state folders, the C locale (so the language is what a
//! test asks for with `--lang`), the UTC zone (so a config without
//! `timezone` means the same day everywhere), and no `SHIFTDECK_CONFIG`
//! from outside.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// `shiftdeck` with `home` as its home and XDG folders, locale C, zone UTC.
pub fn shiftdeck_in(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiftdeck"));
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("XDG_STATE_HOME", home.join("xdg-state"))
        .env("LANG", "C")
        // The machine's zone is the default `timezone`: pinned, so a test
        // without a `timezone` in its config means the same day on every
        // machine (a test's `--now` at 12:00 UTC is the next day at +14).
        .env("TZ", "UTC")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("SHIFTDECK_CONFIG");
    cmd
}

/// The config every report test uses: UTC, the default targets.
pub const UTC_CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/utc.toml");

/// [`shiftdeck_in`] reading `config` and keeping its data in `home/data`.
pub fn shiftdeck_with(home: &Path, config: &Path) -> Command {
    let mut cmd = shiftdeck_in(home);
    cmd.arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(home.join("data"));
    cmd
}

/// Runs `cmd`; its standard output, or a panic showing its errors.
pub fn stdout_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run shiftdeck");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}
