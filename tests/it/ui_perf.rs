//! Long lists: the view is computed once (by the engine, off the UI
//! thread) and a frame draws only the rows that fit, so its work does not
//! grow with the data. The frame time itself is measured by the
//! `frame_time` benchmark (benches/frame_time.rs), on this same big view
//! and on a real simulator file, never by a timed test.
//!
//! The big view: 50 000 feedback items, 20 000 SLA timers, 5 000 random
//! spot-check items and 450 agents (`ui_support::big_view`).

use crate::ui_support;

use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::Action;
use ui_support::*;

/// The numbers of the "+N more" lines on screen, top to bottom.
fn more_counts(screen: &str) -> Vec<usize> {
    screen
        .lines()
        .filter_map(|l| {
            let at = l.find('+')?;
            let rest = &l[at + 1..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            rest[digits.len()..]
                .starts_with(" more")
                .then(|| digits.parse().ok())?
        })
        .collect()
}

/// The feedback rows on screen (their ids), top to bottom.
fn feedback_ids(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| {
            let at = l.find(" STALE ")?;
            l[..at].split_whitespace().last().map(str::to_owned)
        })
        .collect()
}

#[test]
fn big_lists_draw_only_the_rows_that_fit_down_to_the_last() {
    let mut app = app_on(big_view(), 200, 60);
    let top = text(&draw(&app, 200, 60));
    // At 200×60 the SLA list has 21 rows under its headings and the
    // feedback list 23: each shows that many and says how many it does
    // not, whatever the list's length.
    assert_eq!(more_counts(&top), [20_000 - 21, 50_000 - 23], "{top}");
    let first = feedback_ids(&top);
    assert_eq!(first.len(), 23, "{top}");
    // Sorted by id as text: f0, f1, f10, f100, …
    assert_eq!(first[..4], ["f0", "f1", "f10", "f100"], "{top}");
    // Scrolled to the bottom of every pane: the feedback list ends on its
    // last item, still 23 rows drawn and the same number hidden.
    for pane in 0..5 {
        app.update(Action::Key(K::Focus(pane)));
        app.update(Action::Key(K::Bottom));
    }
    let bottom = text(&draw(&app, 200, 60));
    let last = feedback_ids(&bottom);
    assert_eq!(last.len(), 23, "{bottom}");
    assert_eq!(last.last().map(String::as_str), Some("f9999"), "{bottom}");
    assert_eq!(more_counts(&bottom)[1], 50_000 - 23, "{bottom}");
}
