//! Write-back in the console: while entries are written back to RT the
//! console reads the outbox every 15 s and right after a save; a failing
//! entry is loud in the header (with the reason, in the lead's language),
//! one merely waiting shows only once it is late, and nothing is said
//! when all went through.

use crate::ui_support;

use shiftdeck::app::state::{Action, App, Effect};
use shiftdeck::domain::Ts;
use shiftdeck::i18n::Lang;
use shiftdeck::runtime::effects::run_effects;
use shiftdeck::store::{NewOutboxEntry, OutboxSummary, Store};
use ui_support::*;

fn checks(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::CheckOutbox))
        .count()
}

fn header(app: &App, w: u16) -> String {
    text(&draw(app, w, 24))
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn the_outbox_is_read_every_15_s_only_while_writing_back() {
    let mut app = app(120, 30);
    let t0 = now();
    assert_eq!(checks(&app.update(Action::Tick(t0))), 0, "no RT source");
    app.outbox.write_back = true;
    assert_eq!(checks(&app.update(Action::Tick(t0))), 1);
    assert_eq!(checks(&app.update(Action::Tick(t0.add_secs(14)))), 0);
    assert_eq!(checks(&app.update(Action::Tick(t0.add_secs(15)))), 1);
    // After a save: at once, whatever the clock.
    let event = shiftdeck::domain::followup::FollowupEvent {
        item: "f1".into(),
        at: t0,
        change: shiftdeck::domain::followup::FollowupChange::Owner("a-sam".into()),
    };
    let saved = app.update(Action::FollowupSaved(Err((event, "disk full".into()))));
    assert_eq!(checks(&saved), 1);
}

#[test]
fn a_failing_entry_is_loud_and_a_late_one_is_said() {
    let mut app = app(160, 30);
    app.outbox.write_back = true;
    let failing = OutboxSummary {
        unsent: 3,
        failing: 1,
        oldest_unsent: Some(now().add_secs(-30)),
        last_error: Some("https://rt.example.com/REST/2.0/ticket/9/comment: HTTP 404".into()),
    };
    app.dirty = false;
    app.update(Action::Outbox(failing.clone()));
    assert!(app.dirty, "a new outbox state redraws");
    let en = header(&app, 160);
    assert!(en.contains("⚠ 3 not yet in RT: HTTP 404 "), "{en}");
    // At 80×24 the warning still shows, before the optional parts.
    let narrow = header(&app, 80);
    assert!(narrow.contains("⚠ 3 not yet in RT: HTTP 404"), "{narrow}");
    app.dirty = false;
    app.update(Action::Outbox(failing));
    assert!(!app.dirty, "the same state does not redraw");
    app.lang = Lang::Zh;
    let zh = header(&app, 160);
    assert!(zh.contains("3 条尚未写回 RT"), "{zh}");
    // Waiting without a failure: quiet for two minutes, then said.
    app.lang = Lang::En;
    let t = app.now;
    let waiting = |age: i64| OutboxSummary {
        unsent: 2,
        failing: 0,
        oldest_unsent: Some(t.add_secs(-age)),
        last_error: None,
    };
    app.update(Action::Outbox(waiting(60)));
    assert!(!header(&app, 160).contains("RT"), "{}", header(&app, 160));
    app.update(Action::Outbox(waiting(150)));
    assert!(
        header(&app, 160).contains("↑ 2 waiting to be written back to RT"),
        "{}",
        header(&app, 160)
    );
    app.update(Action::Outbox(OutboxSummary::default()));
    assert!(!header(&app, 160).contains("RT"));
}

#[test]
fn at_80_columns_frozen_stays_and_the_reason_is_clipped() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(80, 24);
        app.lang = lang;
        app.outbox.write_back = true;
        app.frozen = true;
        app.update(Action::Outbox(OutboxSummary {
            unsent: 3,
            failing: 3,
            oldest_unsent: Some(now().add_secs(-30)),
            last_error: Some(
                "https://rt.example.com/REST/2.0/ticket/9/comment: authentication refused (HTTP 403); check the token"
                    .into(),
            ),
        }));
        let h = header(&app, 80);
        let frozen = match lang {
            Lang::En => "FROZEN",
            Lang::Zh => "已冻结",
        };
        assert!(h.contains(frozen), "{lang:?}: {h}");
        let warned = match lang {
            Lang::En => "⚠ 3 not yet in RT: authentication",
            Lang::Zh => "⚠ 3 条尚未写回 RT：认证被拒绝",
        };
        assert!(h.contains(warned), "{lang:?}: {h}");
        assert!(h.contains('…'), "the reason is clipped: {h}");
    }
}

#[test]
fn the_console_reads_the_real_outbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("s.db")).expect("store");
    store
        .enqueue_outbox(&NewOutboxEntry {
            idempotency_key: "spot:rt-9:1".into(),
            target: "rt".into(),
            ticket: "9".into(),
            kind: "spot_check".into(),
            body: "score".into(),
            created_at: Ts::from_secs(1_795_000_000),
        })
        .expect("queue");
    let mut app = app(120, 30);
    app.outbox.write_back = true;
    let effects = app.update(Action::Tick(now()));
    run_effects(&mut app, effects, Some(&store), None);
    assert_eq!(app.outbox.summary.unsent, 1);
    assert_eq!(app.outbox.summary.failing, 0);
    assert_eq!(
        app.outbox.summary.oldest_unsent,
        Some(Ts::from_secs(1_795_000_000))
    );
}
