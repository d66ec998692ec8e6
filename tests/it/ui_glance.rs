//! The console at a glance (80×24 and 160×48): the queue in the most
//! trouble is never hidden, cut lists say how many rows they hide, queue
//! cells are coloured against their thresholds, and a ticket queue's
//! service level does not read as fine while its SLA timers are breached.
//!
//! Fixture: `ui_support`'s floor (10:30 Sun 22 Nov 2026, Shanghai) plus
//! five quiet queues listed before a ticket queue `q-tix` (threshold
//! 3 600 s) with 27 contacts waiting: 10 low-priority since 18:30 the day
//! before (16 h: 24 h first-response target, not breached) and 17 high
//! since 09:00 (30 min target, due 09:30: breached). Two tickets were
//! answered within the hour: its service level is 2 / 2 = 100.0 %.
//! Hand-judged: q-tix waits 16h00m > 3 × 3 600 s → alert, 17 breached,
//! SL 100 % but breached → warn; 电话热线 has one breached urgent timer
//! (c8) → alert; Chat's SL 50 % < 80 % → warn; the quiet queues are ok.
//! Trouble order: q-tix (alert, 17), 电话热线 (alert, 1), Chat (warn), then
//! the quiet queues in file order.

use crate::ui_support::*;

use ratatui::style::Color;
use shiftdeck::app::state::{App, Pane};

fn glance_ndjson() -> String {
    let mut text = floor_ndjson();
    for (id, name) in [
        ("q-a", "Returns"),
        ("q-b", "Billing"),
        ("q-c", "Loyalty"),
        ("q-d", "Partners"),
        ("q-e", "Stores"),
    ] {
        text.push_str(&format!(
            r#"{{"type":"queue","id":"{id}","name":"{name}","channel":"phone","sl_seconds":20}}"#
        ));
        text.push('\n');
    }
    text.push_str(
        r#"{"type":"queue","id":"q-tix","name":"Tickets","channel":"ticket","sl_seconds":3600}"#,
    );
    text.push('\n');
    for i in 0..27 {
        let (prio, at) = if i < 10 {
            ("low", "2026-11-21T18:30:00+08:00")
        } else {
            ("high", "2026-11-22T09:00:00+08:00")
        };
        text.push_str(&format!(
            r#"{{"type":"contact","id":"t{i:02}","channel":"ticket","queue":"q-tix","customer":"u-5{i:04}","arrived_at":"{at}","priority":"{prio}"}}"#
        ));
        text.push('\n');
    }
    for i in 0..2 {
        text.push_str(&format!(
            r#"{{"type":"contact","id":"ta{i}","channel":"ticket","queue":"q-tix","customer":"u-6{i:04}","arrived_at":"2026-11-22T08:00:00+08:00","answered_at":"2026-11-22T08:30:00+08:00","ended_at":"2026-11-22T08:40:00+08:00","agent":"a-li","talk_s":600}}"#
        ));
        text.push('\n');
    }
    text
}

fn glance_app(w: u16, h: u16) -> App {
    app_with(&glance_ndjson(), w, h)
}

#[test]
fn the_worst_queue_comes_first_and_cut_rows_are_counted() {
    let app = glance_app(80, 24);
    let buf = draw(&app, 80, 24);
    let t = text(&buf);
    insta::assert_snapshot!("glance_dashboard_80x24", t);
    // The queue table has room for 4 of 8 queues and a marker line.
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[3].starts_with("┃Tickets"), "{}", lines[3]);
    assert!(lines[4].starts_with("┃电话热线"), "{}", lines[4]);
    assert!(lines[5].starts_with("┃Chat"), "{}", lines[5]);
    assert!(lines[7].starts_with("┃+4 more"), "{}", lines[7]);
    // 16 h wait, 17 timers past due.
    assert!(lines[3].contains("27 16h00m 100.0%  ‼17"), "{}", lines[3]);
    // The KPI table is cut too, and says how many of the hidden are off target.
    assert!(t.contains("+5 more · "), "{t}");
}

#[test]
fn queue_cells_are_coloured_against_their_thresholds() {
    // 200 columns: the queue pane has room for every column.
    let mut app = glance_app(200, 50);
    // Focus elsewhere: the selection bar would paint the first queue row.
    app.focus = Pane::Kpis;
    let buf = draw(&app, 200, 50);
    let red = Color::Indexed(196);
    let amber = Color::Indexed(178);
    // Tickets: waiting and longest wait red (alert), SL amber despite 100 %,
    // the breach count loud (white on red).
    let (x, y) = find(&buf, "Tickets").expect("tickets row");
    let row: String = (x..x + 78).map(|c| buf[(c, y)].symbol()).collect();
    let at = |needle: &str| {
        let (cx, cy) = find(&buf, needle).expect(needle);
        assert_eq!(cy, y, "{needle} on the Tickets row: {row}");
        buf[(cx, cy)].clone()
    };
    assert_eq!(at("27 ").fg, red);
    assert_eq!(at("16h00m").fg, red);
    assert_eq!(at("100.0%").fg, amber);
    assert_eq!(at("‼17").bg, Color::Indexed(160));
    // 电话热线: abandon 20.0 % against 5 % is amber; ART 13s against 15s ok (green).
    let (_, py) = find(&buf, "电话热线").expect("phone row");
    let (ax, ay) = find(&buf, "20.0%").expect("phone abandon");
    assert_eq!((ay, buf[(ax, ay)].fg), (py, amber));
    // A quiet queue with nothing waiting: the count is dim, not coloured.
    let (rx, ry) = find(&buf, "Returns").expect("returns row");
    let zero = (rx..rx + 30)
        .find(|&c| buf[(c, ry)].symbol() == "0")
        .expect("0");
    assert_ne!(buf[(zero, ry)].fg, red);
    assert_ne!(buf[(zero, ry)].fg, amber);
}
