//! The real binary, run apart from the machine it runs on: its own home,
//! config, data and state folders, the C locale (so the language is what a
//! test asks for with `--lang`), and no `SHIFTDECK_CONFIG` from outside.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// `shiftdeck` with `home` as its home and XDG folders, locale C.
pub fn shiftdeck_in(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shiftdeck"));
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("XDG_STATE_HOME", home.join("xdg-state"))
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("SHIFTDECK_CONFIG");
    cmd
}
