//! The prompts and the keys: each prompt (filter, owner, result, KPI note)
//! shows its own label and hint line, the note prompt names its KPI; a key
//! that does nothing where it is pressed says why in the status line; the
//! SLA timers are rows like the queues above them (↓ goes on into them,
//! Enter opens one). Keys go through the key table (`action_for`) into
//! `update`; screens on a TestBackend at 80×24 and 160×48, both languages.
//! Fixture `ui_support` (Sun 22 Nov 2026 10:30 Asia/Shanghai): queues
//! 电话热线 (2 waiting) above Chat; SLA timers c8 (urgent, 5m00s over), c6
//! (urgent, 3m00s left), c7 (high, 1h30m left); the board's rows f1
//! (handling), f4 (callback), f2 (new), f3 (closed).

use crate::ui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::input::action_for;
use shiftdeck::app::keymap::{BINDINGS, Context, Unbound};
use shiftdeck::app::state::{Action, App, Effect, List, Overlay, Pane, QueueSection};
use shiftdeck::i18n::Lang;
use ui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn ev(code: KeyCode, mods: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, mods))
}

/// Presses one key through the key table; returns the effects.
fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    match action_for(ev(code, KeyModifiers::NONE), app) {
        Some(a) => app.update(a),
        None => Vec::new(),
    }
}

fn note(app: &App) -> String {
    app.note
        .as_ref()
        .map(|(n, _)| n.clone())
        .unwrap_or_default()
}

/// The last row of the screen: the footer.
fn footer(app: &App, w: u16, h: u16) -> String {
    let t = text(&draw(app, w, h));
    t.lines().last().unwrap_or_default().to_string()
}

fn app_in(lang: Lang, w: u16, h: u16) -> App {
    let mut app = app(w, h);
    app.lang = lang;
    app
}

// ---- Prompts: their own hint line -------------------------------------

#[test]
fn each_prompt_has_its_own_label_and_hints() {
    let (w, h) = (160, 48);
    let mut app = app(w, h);
    // The filter: its words.
    keys(&mut app, "/");
    let f = footer(&app, w, h);
    assert!(
        f.starts_with(" / ▏  Enter apply · Esc cancel · Ctrl-U clear · q:QUEUE a:AGENT words"),
        "{f}"
    );
    keys(&mut app, "Esc");
    // The owner of f1: the item, Enter saves, an empty line unassigns; not the filter's words.
    keys(&mut app, "3 o");
    let f = footer(&app, w, h);
    assert!(
        f.starts_with(
            " f1 owner: a-wang▏  Enter save · Esc cancel · Ctrl-U clear · empty: unassigned"
        ),
        "{f}"
    );
    assert!(!f.contains("q:QUEUE"), "{f}");
    keys(&mut app, "Esc e");
    let f = footer(&app, w, h);
    assert!(f.starts_with(" f1 result: ▏  Enter save"), "{f}");
    assert!(
        f.contains("empty: no result") && !f.contains("q:QUEUE"),
        "{f}"
    );
    keys(&mut app, "Esc");
    // The KPI note names the KPI it writes to: AHT is the fourth row.
    keys(&mut app, "2 j j j n");
    let f = footer(&app, w, h);
    assert!(
        f.starts_with(" AHT note · cause: ▏  Enter next: the action · Esc cancel"),
        "{f}"
    );
    assert!(f.contains("one note a week, in the weekly report"), "{f}");
    keys(&mut app, "Enter");
    let f = footer(&app, w, h);
    assert!(
        f.starts_with(" AHT note · action: ▏  Enter save the note"),
        "{f}"
    );
}

#[test]
fn prompt_screens() {
    for (lang, pre) in [(Lang::En, ""), (Lang::Zh, "zh_")] {
        for (w, h) in SIZES {
            let mut app = app_in(lang, w, h);
            keys(&mut app, "2 j j j n");
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}kpi_note_prompt_{w}x{h}"), text(&buf));
            let f = footer(&app, w, h);
            match lang {
                Lang::En => assert!(f.contains("AHT note · cause:"), "{f}"),
                Lang::Zh => {
                    assert!(f.contains("处理时长 备注 · 原因："), "{f}");
                    assert!(f.contains("Enter 下一步：措施"), "{f}");
                }
            }
            let mut app = app_in(lang, w, h);
            keys(&mut app, "3 o");
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}owner_prompt_{w}x{h}"), text(&buf));
            let f = footer(&app, w, h);
            match lang {
                Lang::En => assert!(f.contains("f1 owner: a-wang"), "{f}"),
                Lang::Zh => assert!(f.contains("f1 负责人：a-wang▏  Enter 保存"), "{f}"),
            }
        }
    }
}

// ---- Keys that do nothing say why -------------------------------------

/// The note a key leaves (after `update`), and whether it was a `NotHere`.
fn why(app: &mut App, code: KeyCode, mods: KeyModifiers) -> (bool, String) {
    app.note = None;
    let a = action_for(ev(code, mods), app);
    let not_here = matches!(a, Some(Action::NotHere(_)));
    if let Some(a) = a {
        app.update(a);
    }
    (not_here, note(app))
}

#[test]
fn a_key_bound_elsewhere_says_where_it_acts() {
    let mut app = app(80, 24);
    // `s` sorts the Agents pane; on the Queues pane it says so.
    let (nh, n) = why(&mut app, KeyCode::Char('s'), KeyModifiers::NONE);
    assert!(nh);
    assert_eq!(
        n,
        "s: sort by the next column — only on the Agents pane (5)"
    );
    let (_, n) = why(&mut app, KeyCode::Char('o'), KeyModifiers::NONE);
    assert_eq!(n, "o: assign an owner — only on the Feedback pane (3)");
    let (_, n) = why(&mut app, KeyCode::Char('n'), KeyModifiers::NONE);
    assert_eq!(
        n,
        "n: note this week's cause and action — only on the KPIs pane (2)"
    );
    // Ctrl-U clears a prompt's line only.
    let (_, n) = why(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(
        n,
        "Ctrl-U: clear the input — only while typing a filter (/)"
    );
    // A key of no binding at all.
    let (_, n) = why(&mut app, KeyCode::Char('x'), KeyModifiers::NONE);
    assert_eq!(n, "x: not a key here · ? lists the keys");
    // The feedback keys with the item's detail open: close it first.
    keys(&mut app, "3 Enter");
    let (_, n) = why(&mut app, KeyCode::Char(']'), KeyModifiers::NONE);
    assert_eq!(
        n,
        "]: move the item to the next stage — Esc closes this view first"
    );
    let (_, n) = why(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(n, "Tab: next pane — Esc closes this view first");
    keys(&mut app, "Esc H");
    let (_, n) = why(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        n,
        "Enter: open the item / the KPI's definition — not in huddle mode (H leaves it)"
    );
    // In Chinese.
    app.lang = Lang::Zh;
    let (_, n) = why(&mut app, KeyCode::Char('z'), KeyModifiers::NONE);
    assert_eq!(
        n,
        "按键 z：放大面板 / 恢复四格——晨会模式下不可用（按 H 退出）"
    );
    keys(&mut app, "H");
    let (_, n) = why(&mut app, KeyCode::Char('s'), KeyModifiers::NONE);
    assert_eq!(n, "按键 s：按下一列排序——仅在坐席面板（5）");
}

/// Every key of the table, pressed in each of these states, either acts
/// (a key action) or says why it does not (a note in the status line).
#[test]
fn every_key_in_every_state_acts_or_says_why() {
    type Setup = fn(&mut App);
    let states: [(&str, Setup); 9] = [
        ("queues", |_| {}),
        ("kpis", |a| keys(a, "2")),
        ("feedback", |a| keys(a, "3")),
        ("spot", |a| keys(a, "4")),
        ("agents", |a| keys(a, "5")),
        ("detail", |a| keys(a, "Enter")),
        ("help", |a| keys(a, "?")),
        ("alerts", |a| keys(a, "A")),
        ("huddle", |a| keys(a, "H")),
    ];
    for (lang, _) in [(Lang::En, ""), (Lang::Zh, "")] {
        for (name, setup) in states {
            for b in BINDINGS {
                for k in b.keys {
                    let mut app = app_in(lang, 80, 24);
                    setup(&mut app);
                    if app.input.is_some() {
                        continue;
                    }
                    let mods = if k.ctrl {
                        KeyModifiers::CONTROL
                    } else {
                        KeyModifiers::NONE
                    };
                    let a = action_for(ev(k.code, mods), &app);
                    match a {
                        Some(Action::Key(_)) => {}
                        Some(Action::NotHere(u)) => {
                            let key = u.key.clone();
                            assert_eq!(key, k.name());
                            let (ctx, _) = u.elsewhere.expect("a key of the table");
                            assert!(!app.contexts().contains(&ctx), "{name}: {key} in {ctx:?}");
                            app.update(Action::NotHere(u));
                            let n = note(&app);
                            assert!(n.contains(&key) && n.len() > key.len() + 5, "{n}");
                        }
                        other => panic!("{name}: {} gave {other:?}", k.name()),
                    }
                }
            }
        }
    }
}

#[test]
fn bound_keys_with_nothing_to_act_on_say_why() {
    let mut app = app(80, 24);
    // ←/→ on the KPI pane: no sections.
    keys(&mut app, "2");
    let (nh, n) = why(&mut app, KeyCode::Left, KeyModifiers::NONE);
    assert!(!nh);
    assert_eq!(n, "←/→: this pane has no sections");
    // The spot checks: → past the last section, Enter on coverage rows.
    keys(&mut app, "4 l l");
    assert_eq!(app.active_list(), List::Coverage);
    let (_, n) = why(&mut app, KeyCode::Right, KeyModifiers::NONE);
    assert_eq!(n, "→: already the last section");
    let (_, n) = why(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        n,
        "coverage rows have no detail: ← for the sampled contacts"
    );
    // The queue pane's first section.
    keys(&mut app, "1");
    let (_, n) = why(&mut app, KeyCode::Left, KeyModifiers::NONE);
    assert_eq!(n, "←: already the first section");
    // `[` on f2 (new, the first stage): it stays, and says so.
    keys(&mut app, "3 j j");
    assert_eq!(app.selected_feedback().map(|f| f.id.as_str()), Some("f2"));
    app.note = None;
    let effects = press(&mut app, KeyCode::Char('['));
    assert!(effects.is_empty());
    assert_eq!(note(&app), "f2 is new, the first stage: nothing saved");
    // `]` with nothing selected: the filter hides every item.
    keys(&mut app, "/");
    retype(&mut app, "nosuchword");
    keys(&mut app, "Enter");
    assert!(app.selected_feedback().is_none());
    let (_, n) = why(&mut app, KeyCode::Char(']'), KeyModifiers::NONE);
    assert_eq!(
        n,
        "no feedback item selected · nothing selected: the filter hides every row (Esc clears it)"
    );
    let (_, n) = why(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        n,
        "nothing selected: the filter hides every row (Esc clears it)"
    );
    // `w` while frozen: the window changes, the screen waits for `f`.
    keys(&mut app, "Esc f");
    let (_, n) = why(&mut app, KeyCode::Char('w'), KeyModifiers::NONE);
    assert_eq!(n, "shift · the screen is frozen: f shows it");
    app.lang = Lang::Zh;
    let (_, n) = why(&mut app, KeyCode::Char('r'), KeyModifiers::NONE);
    assert_eq!(n, "正在重新读取数据源和配置 · 画面已冻结：按 f 显示");
}

#[test]
fn the_reason_shows_in_the_status_line() {
    for (lang, pre) in [(Lang::En, ""), (Lang::Zh, "zh_")] {
        for (w, h) in SIZES {
            let mut app = app_in(lang, w, h);
            press(&mut app, KeyCode::Char('s'));
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}key_not_here_{w}x{h}"), text(&buf));
            let f = footer(&app, w, h);
            let want = match lang {
                Lang::En => " s: sort by the next column — only on the Agents pane (5) ",
                Lang::Zh => " 按键 s：按下一列排序——仅在坐席面板（5） ",
            };
            assert!(f.starts_with(want), "{f}");
        }
    }
}

// ---- SLA timers are rows ----------------------------------------------

#[test]
fn down_past_the_queues_selects_the_sla_timers_and_enter_opens_one() {
    let mut app = app(80, 24);
    assert_eq!(app.active_list(), List::Queues);
    keys(&mut app, "j");
    assert_eq!(app.selected(List::Queues), 1, "Chat, the second queue");
    keys(&mut app, "j");
    assert_eq!(app.select.queues, QueueSection::Sla);
    assert_eq!(app.active_list(), List::Sla);
    assert_eq!(app.selected(List::Sla), 0);
    keys(&mut app, "j");
    assert_eq!(app.selected(List::Sla), 1);
    keys(&mut app, "Enter");
    assert_eq!(app.overlay, Some(Overlay::Sla("c6".into())));
    keys(&mut app, "Esc k k");
    // ↑ above the first timer goes back to the last queue.
    assert_eq!(app.active_list(), List::Queues);
    assert_eq!(app.selected(List::Queues), 1);
    // Other panes keep their ends.
    keys(&mut app, "2 k");
    assert_eq!(app.focus, Pane::Kpis);
    assert_eq!(app.selected(List::Kpis), 0);
}

#[test]
fn sla_row_selected_and_opened_screens() {
    for (lang, pre) in [(Lang::En, ""), (Lang::Zh, "zh_")] {
        for (w, h) in SIZES {
            let mut app = app_in(lang, w, h);
            keys(&mut app, "j j j");
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}sla_selected_{w}x{h}"), text(&buf));
            // The selected row is c6's, drawn in the selection style.
            let (x, y) = find(&buf, "c6").expect("c6 row");
            let (_, y8) = find(&buf, "c8").expect("c8 row");
            assert_ne!(buf[(x, y)].bg, buf[(x, y8)].bg, "c6 is highlighted");
            keys(&mut app, "Enter");
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}sla_detail_{w}x{h}"), text(&buf));
            let want = match lang {
                Lang::En => "urgent",
                Lang::Zh => "紧急",
            };
            assert!(text(&buf).contains(want));
        }
    }
}

#[test]
fn contexts_of_the_table_are_all_named() {
    // Every context a binding lives in has a place phrase (no panic, not
    // empty) in both languages: checked through a key bound only there.
    for b in BINDINGS {
        if b.context == Context::Global {
            continue;
        }
        for lang in [Lang::En, Lang::Zh] {
            let mut app = app_in(lang, 80, 24);
            app.update(Action::NotHere(Unbound {
                key: "k".into(),
                elsewhere: Some((b.context, b.help)),
            }));
            assert!(note(&app).len() > 6, "{:?}", b.context);
        }
    }
}

// ---- Chinese: popups over wide characters -----------------------------

/// A wide character's second cell is hidden by the terminal: nothing may
/// be drawn there (ratatui's diff skips it, so a popup border drawn there
/// vanishes on the real screen).
fn assert_nothing_hidden(buf: &ratatui::buffer::Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width.saturating_sub(1) {
            let s = buf[(x, y)].symbol();
            if unicode_width::UnicodeWidthStr::width(s) == 2 {
                let next = buf[(x + 1, y)].symbol();
                assert!(
                    next.is_empty() || next == " ",
                    "{what}: {next:?} at {},{y} is hidden behind {s:?}\n{}",
                    x + 1,
                    text(buf)
                );
            }
        }
    }
}

#[test]
fn popups_over_chinese_keep_their_borders() {
    let mut sizes: Vec<(u16, u16)> = SIZES.to_vec();
    sizes.extend((60..=240).step_by(7).map(|w| (w, 16 + w / 5)));
    for (w, h) in sizes {
        for (what, k) in [
            ("help", "?"),
            ("alerts", "A"),
            ("sla detail", "j j j Enter"),
            ("queue detail", "Enter"),
            ("kpi detail", "2 Enter"),
            ("feedback detail", "3 Enter"),
            ("scorecard form", "4 Enter"),
            ("coaching", "5 Enter"),
        ] {
            let mut app = app_in(Lang::Zh, w, h);
            keys(&mut app, k);
            assert_nothing_hidden(&draw(&app, w, h), &format!("{what} {w}x{h}"));
        }
    }
}

// ---- Chinese and English at the smallest sizes ------------------------

#[test]
fn too_small_says_all_of_it_at_20x5() {
    for (lang, pre, want) in [
        (
            Lang::En,
            "",
            [
                "terminal too small",
                "20×5, needs 60×16",
                "resize, or q to quit",
            ],
        ),
        (
            Lang::Zh,
            "zh_",
            ["终端窗口太小", "当前 20×5，需 60×16", "请放大，或按 q 退出"],
        ),
    ] {
        let app = app_in(lang, 20, 5);
        let buf = draw(&app, 20, 5);
        let t = text(&buf);
        insta::assert_snapshot!(format!("{pre}too_small_20x5"), t);
        for line in want {
            assert!(t.contains(line), "{line:?} cut: {t}");
        }
        assert!(!t.contains('…'), "{t}");
        // Narrower still: wrapped, never cut mid-word where a space allows.
        let buf = draw(&app, 12, 6);
        let t = text(&buf);
        assert!(!t.contains('…'), "{t}");
        if lang == Lang::En {
            assert!(t.contains("terminal too") && t.contains("small"), "{t}");
        }
    }
}

#[test]
fn chinese_detail_and_status_say_the_feed_words_and_units_in_chinese() {
    // f3 is closed with callback "satisfied" and root cause "process";
    // give it the action "coaching" as the board would.
    let mut app = app_in(Lang::Zh, 160, 48);
    if let Some(v) = app.view.as_mut() {
        for f in &mut v.snapshot.feedback {
            if f.id == "f3" {
                f.action = Some("coaching".into());
                f.callback_result = Some("unsatisfied".into());
            }
        }
    }
    app.overlay = Some(Overlay::Feedback("f3".into()));
    let t = text(&draw(&app, 160, 48));
    for zh in ["辅导", "流程", "不满意"] {
        assert!(t.contains(zh), "{zh} missing: {t}");
    }
    for en in ["coaching", "process", "unsatisfied"] {
        assert!(!t.contains(en), "{en} left in English: {t}");
    }
    // The KPI detail: FCR 80.0 % against 85.0 % is −5.0 percentage points.
    app.overlay = Some(Overlay::Kpi(shiftdeck::domain::KpiKey::Fcr));
    let t = text(&draw(&app, 160, 48));
    // (The KPI pane behind keeps its short `pt`; the legend says it.)
    assert!(t.contains("差距           −5.0 个百分点"), "{t}");
    assert!(t.contains("变化           ↓−20.0 个百分点"), "{t}");
}

#[test]
fn chinese_feedback_csv_says_the_known_words_in_chinese() {
    use shiftdeck::domain::Ts;
    use shiftdeck::domain::source_id::SourceId;
    use shiftdeck::store::{FeedbackChange, FeedbackEvent};
    let ev = |id, change| FeedbackEvent {
        id,
        source: SourceId::new("floor.ndjson"),
        item: "f1".into(),
        at: Ts::from_secs(1_795_138_200),
        author: "王芳".into(),
        change,
    };
    let events = [
        ev(1, FeedbackChange::CallbackResult("unsatisfied".into())),
        ev(2, FeedbackChange::RootCause("process".into())),
        ev(3, FeedbackChange::Action("coaching".into())),
        // What the lead typed stays as typed, even a known word.
        ev(4, FeedbackChange::Result("process".into())),
    ];
    let csv = shiftdeck::cli::export::feedback_csv(&events, &[], tz(), Lang::Zh);
    // The change log: the first of the two tables.
    let log = csv.split("\r\n\r\n").next().unwrap_or_default();
    let values: Vec<&str> = log
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').nth(4).unwrap_or_default())
        .collect();
    assert_eq!(values, ["不满意", "流程", "辅导", "process"], "{csv}");
    let en = shiftdeck::cli::export::feedback_csv(&events, &[], tz(), Lang::En);
    assert!(
        en.contains(",unsatisfied,") && en.contains(",coaching,"),
        "{en}"
    );
}

#[test]
fn the_saved_note_says_the_value_in_chinese() {
    use shiftdeck::domain::followup::{FollowupAction, FollowupChange, FollowupEvent};
    let mut app = app_in(Lang::Zh, 80, 24);
    let e = FollowupEvent {
        item: "f1".into(),
        at: now(),
        change: FollowupChange::Action(FollowupAction::Coaching),
    };
    app.update(Action::FollowupSaved(Ok(e)));
    assert_eq!(note(&app), "f1：已保存辅导");
    let e = FollowupEvent {
        item: "f1".into(),
        at: now(),
        change: FollowupChange::Owner("agent".into()),
    };
    app.update(Action::FollowupSaved(Ok(e)));
    assert_eq!(
        note(&app),
        "f1：已保存agent",
        "a typed owner stays as typed"
    );
}

#[test]
fn help_names_auto_and_lists_crm_only_where_it_is_used() {
    let home = tempfile::tempdir().expect("home");
    let help = |args: &[&str]| {
        crate::cli_support::stdout_ok(crate::cli_support::shiftdeck_in(home.path()).args(args))
    };
    for lang in ["en", "zh"] {
        let top = help(&["--lang", lang, "--help"]);
        assert!(top.contains("--lang <en|zh|auto>"), "{top}");
        assert!(top.contains("--crm <URL>"), "{top}");
        for cmd in ["sim", "config", "export"] {
            let sub = help(&["--lang", lang, cmd, "--help"]);
            assert!(sub.contains("--lang <en|zh|auto>"), "{cmd}: {sub}");
            assert!(!sub.contains("--crm <"), "{cmd} lists --crm: {sub}");
        }
    }
}

// ---- ART and service level per channel --------------------------------

/// The fixture's view with `[targets.art_s.channel.chat] target = 600`
/// (10 min for chat), computed as the engine does.
fn chat_target_view() -> shiftdeck::app::view::View {
    use shiftdeck::app::filter::Filter;
    use shiftdeck::domain::settings::{ChannelTarget, Direction, KpiKey, Target};
    use shiftdeck::domain::window::{Shifts, WindowKind};
    use shiftdeck::runtime::engine::{SpotMemory, compute_view};
    let mut s = settings();
    s.channel_targets.push(ChannelTarget {
        key: KpiKey::ArtS,
        channel: "chat".into(),
        target: Target {
            target: 600.0,
            warn: None,
            alert: None,
            direction: Direction::Lower,
        },
    });
    let (floor, errors) = shiftdeck::source::load_str(&floor_ndjson());
    assert!(errors.is_empty());
    let (mut day, mut listed) = (None, Vec::new());
    compute_view(
        &floor,
        &s,
        &Shifts::default(),
        WindowKind::Today,
        &Filter::default(),
        now(),
        &mut SpotMemory {
            day: &mut day,
            listed: &mut listed,
        },
        std::time::Instant::now(),
    )
}

#[test]
fn the_kpi_pane_shows_art_and_sl_per_channel_against_the_channel_targets() {
    // Hand-computed (ui_support): q-phone (phone) ART 12.5 s ("13s"), SL
    // 3 / 5 = 60.0 %; q-chat (chat) ART 310 s, SL 1 / 2 = 50.0 %. Floor
    // targets ART 15 s, SL 80 %; chat's own ART target 10 min: ok.
    let (w, h) = (160, 48);
    let mut app = app_on(chat_target_view(), w, h);
    app.status.data_at = Some(now());
    let buf = draw(&app, w, h);
    let t = text(&buf);
    assert!(
        t.contains("ART by channel: chat 5m10s/10m00s ✓ · phone 13s/15s ✓"),
        "{t}"
    );
    assert!(
        t.contains("Service lvl by channel: chat 50.0%/80.0% ! · phone 60.0%/80.0% !"),
        "{t}"
    );
    // Colour and symbol: chat's ART is ok (green) against its own target.
    let (x, y) = find(&buf, "chat 5m10s").expect("chat ART");
    assert_eq!(buf[(x, y)].fg, ratatui::style::Color::Indexed(71));
    // The floor's ART row stays the floor's figure against the floor's target.
    assert!(t.contains("ART           1m52s"), "{t}");
    // The detail of ART: each channel, its target and whose, status, n.
    keys(&mut app, "2 j j j j Enter");
    assert_eq!(
        app.overlay,
        Some(Overlay::Kpi(shiftdeck::domain::KpiKey::ArtS))
    );
    let t = text(&draw(&app, w, h));
    assert!(
        t.contains("  chat         5m10s · target 10m00s (channel) · ✓ ok · n 2"),
        "{t}"
    );
    assert!(
        t.contains("  phone        13s · target 15s (floor) · ✓ ok · n 4"),
        "{t}"
    );
}

#[test]
fn per_channel_screens() {
    for (lang, pre) in [(Lang::En, ""), (Lang::Zh, "zh_")] {
        for (w, h) in SIZES {
            let mut app = app_in(lang, w, h);
            // The pane where it has room (wide), the KPI detail of service
            // level where it has not (80×24).
            let buf = draw(&app, w, h);
            if w >= 160 {
                insta::assert_snapshot!(format!("{pre}channels_pane_{w}x{h}"), text(&buf));
            } else {
                assert!(!text(&buf).contains("by channel"), "no room at 80×24");
            }
            keys(&mut app, "2 j j j j j Enter");
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}channels_sl_detail_{w}x{h}"), text(&buf));
            let t = text(&buf);
            let want = match lang {
                Lang::En => "60.0% · target 80.0% (floor) · ! warn · n 5",
                Lang::Zh => "60.0% · 目标 80.0%（全场）· ! 预警 · n 5",
            };
            assert!(t.contains(want), "{t}");
        }
    }
}

#[test]
fn under_a_filter_the_channels_are_left_out_and_the_detail_says_why() {
    let mut app = app(160, 48);
    let view = view_of(
        &floor_ndjson(),
        shiftdeck::domain::window::WindowKind::Today,
        &shiftdeck::app::filter::Filter::parse("q:q-phone"),
    );
    app.update(Action::Engine(shiftdeck::app::view::EngineMsg::View(
        Box::new(view),
    )));
    let t = text(&draw(&app, 160, 48));
    assert!(!t.contains("by channel:"), "{t}");
    app.overlay = Some(Overlay::Kpi(shiftdeck::domain::KpiKey::ArtS));
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("shown without a queue or agent filter"), "{t}");
}
