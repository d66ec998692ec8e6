//! End to end in a real terminal: the `shiftdeck` binary in a detached tmux
//! session with an isolated HOME, on a fixture file. Keys are sent with
//! `send-keys`, the screen is read with `capture-pane`; lines appended to
//! the file must show up; the window is resized (down to "too small" and
//! back); `q` must give the shell its prompt and a sane (cooked) terminal.
//!
//! Skipped, with a message, when tmux is not installed (`.ci/run` installs it).

use crate::ui_support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_shiftdeck");
const PROMPT: &str = "e2e-ready$ ";

/// The last non-empty line of the screen ends with the prompt: the shell
/// waits for a command. (What precedes it on that line depends on timing:
/// a first prompt, or the cursor left where the console started.)
fn prompt_is_last(screen: &str) -> bool {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_end().ends_with(PROMPT.trim_end()))
}

struct Tmux {
    socket: String,
}

impl Tmux {
    /// A tmux server of its own running `sh` at `w`×`h`, home `home`, with
    /// the test's prompt, ready for commands.
    fn shell(name: &str, w: u16, h: u16, home: &Path) -> Tmux {
        let tmux = Tmux {
            socket: format!("shiftdeck-e2e-{name}-{}", std::process::id()),
        };
        let home_env = format!("HOME={}", home.display());
        let prompt_env = format!("PS1={PROMPT}");
        let (w, h) = (w.to_string(), h.to_string());
        let out = tmux.cmd(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &w,
            "-y",
            &h,
            "-e",
            &home_env,
            "-e",
            &prompt_env,
            "-e",
            "TERM=xterm-256color",
            "-e",
            "SHIFTDECK_CONFIG=",
            "-e",
            "XDG_STATE_HOME=",
            "-e",
            "XDG_CONFIG_HOME=",
            "-e",
            "LANG=C.UTF-8",
            "sh",
        ]);
        assert!(out.status.success(), "tmux new-session failed: {out:?}");
        // Some shells ignore PS1 from the environment (e.g. dash as root): set it.
        tmux.type_text(&format!("PS1='{PROMPT}'"));
        tmux.keys(&["Enter"]);
        // The typed line itself contains the prompt's text: wait until the
        // shell has run it and waits at the prompt, or a command typed next
        // is echoed ahead of the prompt.
        tmux.wait_for("the shell prompt", prompt_is_last);
        tmux
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        let out = self.cmd(&args);
        assert!(out.status.success(), "send-keys failed: {out:?}");
    }

    /// Literal text (no key-name lookup).
    fn type_text(&self, text: &str) {
        let out = self.cmd(&["send-keys", "-t", "e2e", "-l", text]);
        assert!(out.status.success(), "send-keys failed: {out:?}");
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    /// Waits until the screen satisfies `pred`; panics with the screen if not.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        // Generous: the test binary runs every area at once on a shared machine.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The shell is back when a prompt ends the last line on screen (the
    /// line that started the console shows the prompt too, but not at its
    /// end, so that is not enough). tmux may keep lines of a frame drawn before a resize on the
    /// main screen, so only the last line counts.
    fn wait_for_fresh_prompt(&self) {
        self.wait_for("the prompt after quitting", prompt_is_last);
    }

    fn resize(&self, w: u16, h: u16) {
        let out = self.cmd(&[
            "resize-window",
            "-t",
            "e2e",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        assert!(out.status.success(), "resize failed: {out:?}");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open for append");
    f.write_all(text.as_bytes()).expect("append");
}

/// The fixture dated today, yesterday and a week ago in Asia/Shanghai.
fn write_fixture(dir: &Path) -> (PathBuf, PathBuf) {
    let today = chrono::Utc::now()
        .with_timezone(&ui_support::tz())
        .date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let text = ui_support::floor_ndjson_on(
        &day(today),
        &day(today - chrono::Duration::days(1)),
        &day(today - chrono::Duration::days(7)),
    );
    let data = dir.join("floor.ndjson");
    std::fs::write(&data, text).expect("write fixture");
    let config = dir.join("shiftdeck.toml");
    std::fs::write(&config, "timezone = \"Asia/Shanghai\"\n").expect("write config");
    (data, config)
}

/// A test's world: a temporary home with the fixture and its config, and
/// a shell in tmux at `w`×`h`; `None` (and SKIPPED) without tmux.
struct Setup {
    dir: tempfile::TempDir,
    home: PathBuf,
    data: PathBuf,
    config: PathBuf,
    tmux: Tmux,
}

impl Setup {
    fn start(name: &str, w: u16, h: u16) -> Option<Setup> {
        if !tmux_available() {
            println!("SKIPPED e2e_tmux: tmux is not installed (.ci/run installs it)");
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).expect("home");
        let (data, config) = write_fixture(dir.path());
        let tmux = Tmux::shell(name, w, h, &home);
        Some(Setup {
            dir,
            home,
            data,
            config,
            tmux,
        })
    }
}

#[test]
fn console_in_a_real_terminal() {
    let Some(Setup {
        dir: _dir,
        home,
        data,
        config,
        tmux,
    }) = Setup::start("en", 120, 40)
    else {
        return;
    };

    let command = format!(
        "{BIN} --file {} --config {}",
        data.display(),
        config.display()
    );
    tmux.type_text(&command);
    tmux.keys(&["Enter"]);

    // The dashboard with the fixture's hand-computed figures.
    let s = tmux.wait_for("the dashboard", |s| {
        s.contains("5m04s") && s.contains("1 Queues")
    });
    assert!(s.contains("Asia/Shanghai"), "{s}");
    assert!(s.contains("▲ ALERT"), "{s}");
    assert!(s.contains("电话热线"), "{s}");

    // Keys: the KPI pane, Enter for the definition, Esc back, the help.
    tmux.keys(&["2", "Enter"]);
    tmux.wait_for("the CSAT definition", |s| s.contains("CSAT · definition"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the definition to close", |s| {
        !s.contains("CSAT · definition")
    });
    tmux.keys(&["?"]);
    tmux.wait_for("the help", |s| s.contains("Keys · Esc or ? to close"));
    tmux.keys(&["?"]);
    tmux.wait_for("the help to close", |s| !s.contains("Keys · Esc or ?"));

    // The Agents pane: `5` puts it in the spot checks' slot; `s` sorts by
    // the next column (queue); `/green` keeps Sam Green alone, and the
    // other panes lose their rows too.
    tmux.keys(&["5"]);
    tmux.wait_for("the agents pane", |s| {
        s.contains("5 Agents") && s.contains("in state▾") && s.contains("Sam Green")
    });
    tmux.keys(&["s"]);
    tmux.wait_for("the sort by queue", |s| s.contains("queue▴"));
    tmux.keys(&["/"]);
    tmux.type_text("green");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the filtered agents", |s| {
        s.contains("Sam Green") && !s.contains("王芳") && !s.contains("李雷")
    });
    // Enter opens Sam's coaching view (his sample is the targeted c4); Esc
    // closes it, the next Esc clears the filter.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the coaching view", |s| {
        s.contains("Sam Green · coaching") && s.contains("Today's spot-check sample")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the coaching view to close", |s| {
        !s.contains("coaching") && s.contains("5 Agents")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the filter to clear", |s| {
        s.contains("王芳") && s.contains("李雷")
    });
    tmux.keys(&["4"]);
    tmux.wait_for("the spot checks back", |s| s.contains("4 Spot"));

    // Appended lines show up: a new queue and one more handled contact of
    // 600 s, which moves AHT from 1520/5 = 304 s to 2120/6 = 353 s (5m53s).
    append(
        &data,
        &format!(
            "{}\n{}\n",
            r#"{"type":"queue","id":"q-vip","name":"VIP line","channel":"phone"}"#,
            r#"{"type":"contact","id":"c10","channel":"chat","queue":"q-chat","customer":"u-c10","arrived_at":"2000-01-01T00:00:00Z","answered_at":"2000-01-01T00:00:04Z","ended_at":"2000-01-01T00:05:00Z","agent":"a-sam","talk_s":600}"#
        ),
    );
    // That contact arrived in 2000: outside today, so AHT is unchanged; the
    // queue appears. Then one for today.
    tmux.wait_for("the appended queue", |s| s.contains("VIP line"));
    let today = chrono::Utc::now()
        .with_timezone(&ui_support::tz())
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    append(
        &data,
        &(format!(
            r#"{{"type":"contact","id":"c11","channel":"chat","queue":"q-chat","customer":"u-c11","arrived_at":"{today}T10:15:00+08:00","answered_at":"{today}T10:15:04+08:00","ended_at":"{today}T10:25:00+08:00","agent":"a-sam","talk_s":600}}"#
        ) + "\n"),
    );
    let appended = Instant::now();
    tmux.wait_for("AHT to change to 5m53s", |s| s.contains("5m53s"));
    println!("line appended → figure on screen: {:?}", appended.elapsed());

    // Resizes: condensed at 80×24, "too small" below the minimum, back again.
    tmux.resize(80, 24);
    tmux.wait_for("the 80×24 layout", |s| {
        s.lines().count() <= 24 && s.contains("1 Queues") && s.contains("4 Spot")
    });
    tmux.resize(50, 12);
    tmux.wait_for("the too-small screen", |s| s.contains("terminal too small"));
    tmux.resize(200, 60);
    tmux.wait_for("the 200×60 layout", |s| {
        s.contains("5m53s") && s.contains("by hour")
    });

    // Quit: the shell gets its prompt and a cooked terminal back.
    tmux.keys(&["q"]);
    // The alternate-screen check is the SIGTERM run below, which starts
    // from a cleared screen.
    tmux.wait_for_fresh_prompt();
    tmux.type_text("clear; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo");
    tmux.keys(&["Enter"]);
    let has = |s: &str, a: &str, b: &str| s.lines().any(|l| l.trim() == a || l.trim() == b);
    let s = tmux.wait_for("stty output", |s| {
        has(s, "icanon", "-icanon") && has(s, "echo", "-echo")
    });
    assert!(
        !s.lines().any(|l| l.trim() == "-icanon"),
        "raw mode left on:\n{s}"
    );
    assert!(s.lines().any(|l| l.trim() == "echo"), "echo left off:\n{s}");

    // SIGTERM (as from a dropped SSH session's supervisor) also restores the terminal.
    tmux.type_text("clear");
    tmux.keys(&["Enter"]);
    tmux.type_text(&format!(
        "timeout --foreground -s TERM 3 {command}; echo exit-status-$?"
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the console again", |s| s.contains("1 Queues"));
    let s = tmux.wait_for("the console to end on SIGTERM", |s| {
        s.contains("exit-status-")
    });
    assert!(
        !s.contains("1 Queues"),
        "the alternate screen was left:\n{s}"
    );
    // Typed before the shell prints its prompt, the answer would share the
    // prompt's line.
    tmux.wait_for_fresh_prompt();
    tmux.type_text("stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon");
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("stty output", |s| {
        s.lines()
            .any(|l| l.trim() == "icanon" || l.trim() == "-icanon")
    });
    assert!(
        !s.lines().any(|l| l.trim() == "-icanon"),
        "raw mode left on after SIGTERM:\n{s}"
    );

    // Logs went to the state dir, not the screen.
    let log = home.join(".local/state/shiftdeck/shiftdeck.log");
    let text = std::fs::read_to_string(&log).expect("the log file exists");
    assert!(text.contains("console starting"), "{text}");
}

/// The console in Chinese on an 80×24 jump box: CJK labels in the layout,
/// the figures, the help, and the terminal given back on `q`.
#[test]
fn chinese_console_at_80x24_in_a_real_terminal() {
    let Some(Setup {
        dir: _dir,
        data,
        config,
        tmux,
        ..
    }) = Setup::start("zh", 80, 24)
    else {
        return;
    };
    tmux.type_text(&format!(
        "{BIN} --lang zh --file {} --config {}",
        data.display(),
        config.display()
    ));
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("the dashboard in Chinese", |s| {
        s.contains("1 队列") && s.contains("5m04s")
    });
    for label in ["2 指标", "3 客诉反馈", "4 抽检", "客户满意度", "今天"] {
        assert!(s.contains(label), "{label} missing:\n{s}");
    }
    // Every line fits the 80 columns (a CJK character is two).
    for line in s.lines() {
        let w: usize = line
            .chars()
            .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
            .sum();
        assert!(w <= 80, "a line of {w} columns:\n{line}");
    }
    tmux.keys(&["?"]);
    tmux.wait_for("the help in Chinese", |s| {
        s.contains("按键 · Esc 或 ? 关闭")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help to close", |s| !s.contains("按键 · Esc"));
    tmux.keys(&["q"]);
    tmux.wait_for_fresh_prompt();
}

/// SIGQUIT and SIGUSR1 (sent by a supervisor, a stray `kill`) end the
/// console like SIGTERM does: the main screen back, the terminal cooked.
#[test]
fn other_ending_signals_give_the_terminal_back() {
    let Some(Setup {
        dir,
        data,
        config,
        tmux,
        ..
    }) = Setup::start("sig", 100, 30)
    else {
        return;
    };
    for sig in ["QUIT", "USR1"] {
        let pid_file = dir.path().join(format!("console-{sig}.pid"));
        tmux.type_text(&format!(
            "clear; sh -c 'echo $$ > {}; exec {BIN} --file {} --config {}'; echo exit-status-$?",
            pid_file.display(),
            data.display(),
            config.display()
        ));
        tmux.keys(&["Enter"]);
        tmux.wait_for("the console", |s| s.contains("1 Queues"));
        let pid = std::fs::read_to_string(&pid_file).expect("pid file");
        let out = Command::new("kill")
            .args(["-s", sig, pid.trim()])
            .output()
            .expect("run kill");
        assert!(out.status.success(), "kill -s {sig}: {out:?}");
        let s = tmux.wait_for("the console to end", |s| s.contains("exit-status-"));
        assert!(
            !s.contains("1 Queues"),
            "the alternate screen was left after SIG{sig}:\n{s}"
        );
        tmux.wait_for_fresh_prompt();
        tmux.type_text("stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo");
        tmux.keys(&["Enter"]);
        let has = |s: &str, a: &str, b: &str| s.lines().any(|l| l.trim() == a || l.trim() == b);
        let s = tmux.wait_for("stty output", |s| {
            has(s, "icanon", "-icanon") && has(s, "echo", "-echo")
        });
        assert!(
            !s.lines().any(|l| l.trim() == "-icanon"),
            "raw mode left on after SIG{sig}:\n{s}"
        );
        assert!(
            s.lines().any(|l| l.trim() == "echo"),
            "echo left off after SIG{sig}:\n{s}"
        );
    }
}

/// Issue 17, items 2 and 22: `cat v2 > F` rewrites the followed file in
/// place to a larger size; the console reads it again from line 1 (the new
/// queue name, not the old) and says so in the header. A FIFO as `--file`
/// is refused at the shell, before the screen is taken, and the console
/// never sits "live" on it while its writer dies.
#[test]
fn a_file_rewritten_in_place_is_read_again_and_a_fifo_is_refused() {
    let Some(Setup {
        dir,
        home: _home,
        data,
        config,
        tmux,
    }) = Setup::start("rewrite", 200, 40)
    else {
        return;
    };
    tmux.type_text(&format!(
        "{BIN} --file {} --config {}",
        data.display(),
        config.display()
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the dashboard", |s| {
        s.contains("5m04s") && s.contains("电话热线")
    });
    // The same records with the phone queue renamed, larger than before,
    // written over the file as `cat v2 > F` does (same inode).
    let v1 = std::fs::read_to_string(&data).expect("read");
    let v2 = v1.replace("电话热线", "Phone line two");
    assert!(v2.len() > v1.len());
    let v2_path = dir.path().join("v2.ndjson");
    std::fs::write(&v2_path, &v2).expect("write v2");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cat '{}' > '{}'",
            v2_path.display(),
            data.display()
        ))
        .status()
        .expect("cat");
    assert!(out.success());
    let s = tmux.wait_for("the rewritten file", |s| s.contains("Phone line two"));
    assert!(!s.contains("电话热线"), "{s}");
    assert!(s.contains("5m04s"), "the same figures: {s}");
    // `cat v2 > F` truncates, then writes: a reader woken by the
    // truncation may see the empty file first (and say so), then the new
    // content; either way the file is read again from line 1.
    assert!(
        s.contains("floor.ndjson was rewritten in place: read again from line 1")
            || s.contains("floor.ndjson was truncated: read again from line 1"),
        "{s}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for_fresh_prompt();

    // A FIFO: refused with what it is and what to do.
    let fifo = dir.path().join("floor.fifo");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        tmux.type_text(&format!("clear; {BIN} --file {}", fifo.display()));
        tmux.keys(&["Enter"]);
        let s = tmux.wait_for("the refusal", |s| s.contains("is a FIFO"));
        assert!(s.contains("save the feed to a file and give that"), "{s}");
        tmux.wait_for_fresh_prompt();
    }
}
