//! The feedback board at 80×24 and 160×48 with a real feed's ids
//! (`f-000101`): ids are never cut, the stage stays (abbreviated where the
//! pane is narrow, in both languages), the board has column headings, the
//! summary takes the rest of the row, and the stage tabs fit. The header
//! says SIMULATED at every width when the data is the simulator's.
//!
//! Fixture: `ui_support`'s floor (10:30 Sun 22 Nov 2026, Shanghai) with
//! its four items renamed f-000101…f-000104, plus 37 new items due
//! tomorrow and 140 closed ones: counts all 181, new 38, handling 1,
//! resolved 0, callback 1, closed 141. At 80 columns the pane's inside is
//! 38 wide: "all 181 new 38 hdl 1 res 0 cb 1 cls 141" is 39, so the tabs
//! drop the space before the counts ("all181 new38 … cls141", 34).

use crate::ui_support::*;

use shiftdeck::app::state::{App, Pane};
use shiftdeck::i18n::Lang;

fn board_ndjson() -> String {
    let mut text = floor_ndjson();
    for n in 1..=4 {
        text = text.replace(&format!(r#""id":"f{n}""#), &format!(r#""id":"f-00010{n}""#));
    }
    for n in 0..37 {
        text.push_str(&format!(
            r#"{{"type":"feedback","id":"f-000{}","source":"survey","summary":"Customer asks about the refund of order {}","received_at":"2026-11-22T08:{:02}:00+08:00","stage":"new","due_at":"2026-11-23T12:00:00+08:00"}}"#,
            200 + n,
            7000 + n,
            n
        ));
        text.push('\n');
    }
    for n in 0..140 {
        text.push_str(&format!(
            r#"{{"type":"feedback","id":"f-000{}","source":"chat","summary":"Closed earlier this week","received_at":"2026-11-20T09:00:00+08:00","owner":"a-li","stage":"closed","due_at":"2026-11-21T09:00:00+08:00"}}"#,
            300 + n
        ));
        text.push('\n');
    }
    text
}

fn board(w: u16, h: u16, lang: Lang) -> App {
    let mut app = app_with(&board_ndjson(), w, h);
    app.focus = Pane::Feedback;
    app.lang = lang;
    app
}

/// The inside of the feedback pane (lower left) at 80×24: rows 13–21.
fn board_lines(t: &str) -> Vec<String> {
    t.lines()
        .skip(13)
        .take(9)
        .map(|l| l.chars().take(40).collect())
        .collect()
}

#[test]
fn at_80x24_ids_stay_whole_the_stage_stays_and_the_summary_gets_the_rest() {
    let app = board(80, 24, Lang::En);
    let t = text(&draw(&app, 80, 24));
    let lines = board_lines(&t);
    let pane = lines.join("\n");
    assert!(pane.contains("all181 new38 hdl1 res0 cb1 cls141"), "{pane}");
    assert!(!lines[0].contains('…'), "tabs not cut: {}", lines[0]);
    // Headings, then the most urgent item: f-000101, 1 h over, in handling
    // (stale), owner 王芳, summary from its start.
    assert!(
        lines[2].contains("Due") && lines[2].contains("Item"),
        "{pane}"
    );
    assert!(
        lines[2].contains("Stg") && lines[2].contains("Owner"),
        "{pane}"
    );
    assert!(lines[2].contains("Summary"), "{pane}");
    let first = &lines[3];
    assert!(first.contains("‼1h f-000101 STALE"), "{first}");
    assert!(first.contains("王芳"), "{first}");
    assert!(first.contains("客户投诉退"), "{first}");
    for id in ["f-000101", "f-000104", "f-000102", "f-000200"] {
        assert!(pane.contains(id), "{id} whole: {pane}");
    }
    assert!(!pane.contains("f-000…"), "{pane}");
    // Callback, abbreviated.
    assert!(pane.contains("f-000104 cb"), "{pane}");
    insta::assert_snapshot!("board_80x24", t);
}

#[test]
fn at_80x24_in_chinese_the_stage_is_abbreviated_too() {
    let app = board(80, 24, Lang::Zh);
    let t = text(&draw(&app, 80, 24));
    let pane = board_lines(&t).join("\n");
    assert!(pane.contains("单号") && pane.contains("阶段"), "{pane}");
    assert!(pane.contains("f-000104 回访"), "{pane}");
    assert!(pane.contains("f-000102 新建"), "{pane}");
    assert!(!pane.contains("f-000…"), "{pane}");
    insta::assert_snapshot!("board_80x24_zh", t);
}

#[test]
fn wide_boards_write_stages_and_dues_in_full() {
    let app = board(160, 48, Lang::En);
    let t = text(&draw(&app, 160, 48));
    assert!(
        t.contains("all 181 │ new 38 │ handling 1 │ resolved 0 │ callback 1 │ closed 141"),
        "{t}"
    );
    assert!(t.contains("‼1h over f-000101 STALE"), "{t}");
    assert!(t.contains("in 1h    f-000104 callback"), "{t}");
    assert!(t.contains("Age"), "time in stage shown: {t}");
    insta::assert_snapshot!("board_160x48", t);
}

#[test]
fn the_header_says_simulated_at_every_width() {
    for (lang, word) in [(Lang::En, "SIMULATED"), (Lang::Zh, "模拟数据")] {
        for (w, h) in [(80, 24), (120, 30), (200, 60)] {
            let mut app = board(w, h, lang);
            app.status.label = "demo ×1 /home/lead/.local/share/shiftdeck/demo/floor.ndjson".into();
            app.simulated = true;
            let t = text(&draw(&app, w, h));
            let header = t.lines().next().unwrap_or_default();
            assert!(header.contains(word), "{w}×{h} {lang:?}: {header}");
            app.simulated = false;
            let t = text(&draw(&app, w, h));
            let header = t.lines().next().unwrap_or_default();
            assert!(!header.contains(word), "{w}×{h} {lang:?}: {header}");
        }
    }
    let mut app = board(80, 24, Lang::En);
    app.simulated = true;
    insta::assert_snapshot!(
        "header_simulated_80",
        text(&draw(&app, 80, 24)).lines().next().unwrap_or_default()
    );
}
