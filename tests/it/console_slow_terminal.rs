//! A terminal that never answers a query (a slow SSH link, a serial
//! console): the console must start without asking it anything, and give
//! the terminal back (main screen, cursor shown) on the way out.
//!
//! The real binary runs in a pseudo-terminal made by util-linux `script`,
//! whose output comes to this test and whose input is this test's: nothing
//! ever answers the terminal's queries. Skipped, with a message, without
//! `script`.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_shiftdeck");

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// A one-queue floor and its config in a temp dir, from which `script`
/// runs the console in a pseudo-terminal with a clean environment.
struct Pty {
    dir: tempfile::TempDir,
}

impl Pty {
    /// `None`, with a message, when util-linux `script` is not installed.
    fn new() -> Option<Pty> {
        if !Command::new("script")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            println!("SKIPPED console_slow_terminal: util-linux `script` is not installed");
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("floor.ndjson"),
            "{\"type\":\"queue\",\"id\":\"q-phone\",\"name\":\"Phone line\",\"channel\":\"phone\"}\n",
        )
        .expect("fixture");
        std::fs::write(
            dir.path().join("shiftdeck.toml"),
            "timezone = \"Asia/Shanghai\"\n",
        )
        .expect("config");
        Some(Pty { dir })
    }

    /// `script` running `shell` with `TERM=term`; `{console}` in `shell`
    /// stands for the console's command line on the fixture.
    fn command(&self, shell: &str, term: &str) -> Command {
        let console = format!(
            "{BIN} --file '{}' --config '{}'",
            self.dir.path().join("floor.ndjson").display(),
            self.dir.path().join("shiftdeck.toml").display()
        );
        let inner = shell.replace("{console}", &console);
        let mut cmd = Command::new("script");
        cmd.args(["-qfec", &inner, "/dev/null"])
            .env("HOME", self.dir.path())
            .env("TERM", term)
            .env_remove("COLORTERM")
            .env_remove("NO_COLOR")
            .env_remove("SHIFTDECK_FAULT")
            .env("SHIFTDECK_CONFIG", "")
            .env("XDG_STATE_HOME", "")
            .env("XDG_CONFIG_HOME", "")
            .env("LANG", "C.UTF-8");
        cmd
    }
}

#[test]
fn console_starts_and_restores_on_a_terminal_that_never_answers() {
    let Some(pty) = Pty::new() else { return };
    let mut child = pty
        .command("stty rows 24 cols 80; exec {console}", "xterm-256color")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start script");
    let out = Arc::new(Mutex::new(Vec::<u8>::new()));
    let mut stdout = child.stdout.take().expect("stdout");
    let sink = Arc::clone(&out);
    let reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().expect("lock").extend_from_slice(&chunk[..n]);
        }
    });
    let snapshot = || out.lock().expect("lock").clone();
    let shown = |b: &[u8]| String::from_utf8_lossy(b).escape_debug().to_string();

    // The dashboard is drawn although nothing answers.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let b = snapshot();
        if contains(&b, b"Queues") {
            break;
        }
        if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the console did not start:\n{}", shown(&snapshot()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    // `q` quits; script ends with it.
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"q").expect("send q");
    stdin.flush().expect("flush");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the console did not quit on q:\n{}", shown(&snapshot()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(stdin);
    reader.join().expect("reader");
    let b = snapshot();

    // Never a cursor-position query (CSI 6 n), nor any other device query.
    assert!(
        !contains(&b, b"\x1b[6n"),
        "asked for the cursor:\n{}",
        shown(&b)
    );
    // After the last switch to the alternate screen: back to the main
    // screen, and the cursor shown again.
    let entered = rfind(&b, b"\x1b[?1049h").expect("the alternate screen was used");
    let after = &b[entered..];
    assert!(
        contains(after, b"\x1b[?1049l"),
        "left in the alternate screen:\n{}",
        shown(&b)
    );
    assert!(
        contains(after, b"\x1b[?25h"),
        "the cursor stays hidden:\n{}",
        shown(&b)
    );
}

/// Setup fails after the first escape sequence (alternate screen entered,
/// cursor hidden, raw mode on): the failure is injected where a terminal
/// that stops answering or a dropped link would make it. The lead gets the
/// main screen, the cursor and a cooked terminal back, and the reason.
#[test]
fn a_setup_failure_after_the_first_escape_sequence_restores_the_terminal() {
    let Some(pty) = Pty::new() else { return };
    // The shell in the pseudo-terminal reports the exit status and the
    // terminal's modes after the console is gone.
    let out = pty
        .command(
            "stty rows 24 cols 80 sane; {console}; echo \"EXIT=$?\"; stty -a",
            "xterm-256color",
        )
        .env("SHIFTDECK_FAULT", "terminal-setup")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("run script");
    let b = out.stdout;
    let shown = String::from_utf8_lossy(&b).escape_debug().to_string();
    let entered = rfind(&b, b"\x1b[?1049h").expect("setup got as far as the alternate screen");
    let after = &b[entered..];
    assert!(
        contains(after, b"\x1b[?1049l"),
        "left in the alternate screen:\n{shown}"
    );
    assert!(
        contains(after, b"\x1b[?25h"),
        "the cursor stays hidden:\n{shown}"
    );
    let text = String::from_utf8_lossy(after);
    assert!(text.contains("fault injected at terminal-setup"), "{shown}");
    let status = text
        .split("EXIT=")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("the shell ran on");
    assert_ne!(status, "0", "a failed start exits non-zero:\n{shown}");
    // Raw mode is off again: line editing and echo are back.
    let modes = text.split("EXIT=").nth(1).unwrap_or("");
    assert!(
        modes.contains(" icanon") && modes.contains(" echo"),
        "the terminal is left raw:\n{shown}"
    );
    assert!(!modes.contains("-icanon"), "{shown}");
}

/// The console in a pseudo-terminal with `TERM` set to `term` (and
/// `NO_COLOR` when asked): everything it wrote from start to `q`.
fn console_output(term: &str, no_color: bool) -> Option<Vec<u8>> {
    let pty = Pty::new()?;
    let mut cmd = pty.command("stty rows 24 cols 80; exec {console}", term);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let mut child = cmd.spawn().expect("start script");
    let out = Arc::new(Mutex::new(Vec::<u8>::new()));
    let mut stdout = child.stdout.take().expect("stdout");
    let sink = Arc::clone(&out);
    let reader = std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().expect("lock").extend_from_slice(&chunk[..n]);
        }
    });
    let snapshot = || out.lock().expect("lock").clone();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !contains(&snapshot(), b"Queues") {
        if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the console did not start:\n{}",
                String::from_utf8_lossy(&snapshot()).escape_debug()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"q").expect("send q");
    stdin.flush().expect("flush");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the console did not quit on q");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(stdin);
    reader.join().expect("reader");
    Some(snapshot())
}

/// Colours follow what the terminal says it shows: the Linux console
/// (`TERM=linux`) and a plain `vt100` get only the 16 basic colours, never
/// a 256-colour sequence (`38;5;N` / `48;5;N`), which they would print as
/// garbage; an `xterm-256color` gets the full palette; `NO_COLOR` none.
/// Every parameter of every SGR sequence (`ESC [ … m`) in `b`.
fn sgr_params(b: &[u8]) -> Vec<u16> {
    let text = String::from_utf8_lossy(b);
    let mut out = Vec::new();
    for piece in text.split("\x1b[").skip(1) {
        let params: String = piece
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        if piece[params.len()..].starts_with('m') {
            out.extend(params.split(';').filter_map(|p| p.parse::<u16>().ok()));
        }
    }
    out
}

#[test]
fn the_linux_console_gets_16_colours_and_no_color_none() {
    let sgr_256 = |b: &[u8]| contains(b, b"38;5;") || contains(b, b"48;5;");
    let basic = |p: &u16| matches!(p, 30..=37 | 40..=47 | 90..=97 | 100..=107);
    let Some(rich) = console_output("xterm-256color", false) else {
        return;
    };
    assert!(sgr_256(&rich), "the 256-colour palette is used where shown");
    for term in ["linux", "vt100"] {
        let Some(b) = console_output(term, false) else {
            return;
        };
        assert!(
            !sgr_256(&b) && !sgr_params(&b).contains(&38) && !sgr_params(&b).contains(&48),
            "TERM={term} got 256-colour sequences:\n{}",
            String::from_utf8_lossy(&b).escape_debug()
        );
        assert!(
            sgr_params(&b).iter().any(basic),
            "TERM={term}: no colour at all:\n{}",
            String::from_utf8_lossy(&b).escape_debug()
        );
    }
    let Some(mono) = console_output("xterm-256color", true) else {
        return;
    };
    let params = sgr_params(&mono);
    assert!(
        !sgr_256(&mono) && !params.iter().any(basic),
        "NO_COLOR: no colour at all:\n{}",
        String::from_utf8_lossy(&mono).escape_debug()
    );
}
