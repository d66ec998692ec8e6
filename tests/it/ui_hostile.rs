//! Hostile customer text: an OSC 52 clipboard write, a screen clear and a
//! 100 000-character line in a feedback summary must reach the terminal as
//! harmless text, through the real crossterm backend too.

use crate::ui_support;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App};
use ui_support::*;

fn hostile_floor() -> String {
    let long = "长".repeat(50_000) + &"x".repeat(50_000);
    let mut s = floor_ndjson();
    for (id, summary) in [
        (
            "h1",
            r"copy \u001b]52;c;ZXZpbCBwYXlsb2Fk\u0007 done".to_string(),
        ),
        (
            "h2",
            r"wipe \u001b[2J\u001b[H screen \u009b31m c1".to_string(),
        ),
        ("h3", long),
    ] {
        s.push_str(&format!(
            r#"{{"type":"feedback","id":"{id}","source":"chat","summary":"{summary}","customer":"u-9{id}","received_at":"2026-11-22T08:00:00+08:00","owner":"a-li","stage":"new","due_at":"2026-11-22T09:00:00+08:00"}}"#
        ));
        s.push('\n');
    }
    s
}

fn check_cells(buf: &ratatui::buffer::Buffer) {
    for cell in buf.content() {
        for c in cell.symbol().chars() {
            assert!(
                !c.is_control(),
                "control char {:?} reached a cell",
                c as u32
            );
        }
    }
    let t = text(buf);
    assert!(!t.contains("52;c"), "OSC payload leaked");
    assert!(!t.contains("ZXZpbCBwYXlsb2Fk"), "OSC payload leaked");
    assert!(!t.contains("[2J"));
}

#[test]
fn hostile_summaries_render_as_plain_text() {
    for (w, h) in [(80, 24), (160, 48), (200, 60)] {
        let mut app = app_with(&hostile_floor(), w, h);
        app.update(Action::Key(K::Focus(2)));
        app.update(Action::Key(K::Zoom));
        let buf = draw(&app, w, h);
        check_cells(&buf);
        let t = text(&buf);
        assert!(t.contains("copy  done") || t.contains("copy "), "{t}");
        // Open each hostile item.
        for _ in 0..7 {
            app.update(Action::Key(K::Open));
            check_cells(&draw(&app, w, h));
            app.update(Action::Key(K::Back));
            app.update(Action::Key(K::Down));
        }
    }
}

#[test]
fn bytes_written_to_the_terminal_carry_no_injected_sequences() {
    let mut app: App = app_with(&hostile_floor(), 160, 48);
    app.update(Action::Key(K::Focus(2)));
    app.update(Action::Key(K::Zoom));
    let mut out: Vec<u8> = Vec::new();
    {
        let backend = CrosstermBackend::new(&mut out);
        let mut term = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 160, 48)),
            },
        )
        .expect("terminal");
        term.draw(|f| shiftdeck::ui::render(f, &app)).expect("draw");
    }
    let s = String::from_utf8_lossy(&out);
    assert!(!out.contains(&0x07), "BEL reached the terminal");
    assert!(!s.contains("\x1b]"), "an OSC sequence reached the terminal");
    assert!(
        !s.contains("\x1b[2J"),
        "a screen clear reached the terminal"
    );
    assert!(!s.contains('\u{9b}'), "a C1 CSI reached the terminal");
    assert!(!s.contains("ZXZpbCBwYXlsb2Fk"));
    assert!(s.contains("copy"));
}

/// Ids from the feed end up in popup titles (`Feedback <id>`): an OSC title-setting sequence in an id must vanish whole there,
/// as it does in the panes, not leave `]0;PWNED` behind its ESC.
#[test]
fn escape_sequences_in_ids_do_not_reach_popup_titles() {
    let mut ndjson = floor_ndjson();
    ndjson.push_str(
        r#"{"type":"feedback","id":"fev\u001b]0;PWNED\u0007","source":"chat","summary":"title attack","customer":"u-91","received_at":"2026-11-22T08:00:00+08:00","owner":"a-li","stage":"new","due_at":"2026-11-22T09:00:00+08:00"}"#,
    );
    ndjson.push('\n');
    ndjson.push_str(
        r#"{"type":"queue","id":"qev\u001b]2;PWNED\u001b\\","name":"Evil \u202equeue","channel":"chat"}"#,
    );
    ndjson.push('\n');
    let (w, h) = (160, 48);
    let mut app = app_with(&ndjson, w, h);
    let mut titles = Vec::new();
    for pane in [2, 1] {
        app.update(Action::Key(K::Focus(pane)));
        app.update(Action::Key(K::Zoom));
        for _ in 0..12 {
            app.update(Action::Key(K::Open));
            let buf = draw(&app, w, h);
            check_cells(&buf);
            let t = text(&buf);
            assert!(!t.contains("PWNED"), "an OSC payload leaked:\n{t}");
            assert!(!t.contains("]0;") && !t.contains("]2;"), "{t}");
            assert!(!t.contains('\u{202e}'), "a bidi override leaked:\n{t}");
            if t.contains("Feedback fev ") {
                titles.push("Feedback fev ");
            }
            app.update(Action::Key(K::Back));
            app.update(Action::Key(K::Down));
        }
        app.update(Action::Key(K::Zoom));
    }
    // The hostile item was opened, and its title kept the clean part.
    assert!(titles.contains(&"Feedback fev "), "{titles:?}");
}
