//! The Agents pane (key 5) on a TestBackend at 80×24 and 160×48, English
//! and Chinese, on the fixture of `ui_support` seen at 10:40 instead of
//! 10:30, so that a-sam (on break since 10:20) is 20:00 into a break, over
//! the 15-minute limit: `break_over`, shown `◷` in the warning colour.
//! Keys go through the key table into `update` (sort, reverse, flagged
//! first, filter). Hand-computed rows at 10:40:
//! - a-wang 王芳, team A, busy since 10:00 (40:00), c1 + c5 handled: AHT
//!   (290 + 170) / 2 = 230 s (3m50s), FCR 1 / 2 (c1 has a repeat) = 50 %,
//!   CSAT 1 / 1 = 100 %;
//! - a-li 李雷, team A, busy since 10:25 (15:00), c2 + c9: AHT (240 + 400) /
//!   2 = 320 s (5m20s), transfers 1 / 2 = 50 %, CSAT 0 / 1 = 0 %;
//! - a-sam Sam Green, team B, break since 10:20 (20:00), c4: AHT 420 s
//!   (7m00s), CSAT 1 / 1 = 100 %; flagged `break_over`.
//!
//! (n < `[agents] min_n` = 10 everywhere, so no KPI flag.)

use crate::ui_support::*;

use shiftdeck::app::filter::Filter;
use shiftdeck::app::keymap::KeyAction as K;
use shiftdeck::app::state::{Action, App, Effect, EngineCmd, Pane};
use shiftdeck::app::view::View;
use shiftdeck::domain::agents::AgentFlag;
use shiftdeck::domain::scorecard::SpotScore;
use shiftdeck::domain::window::{Shifts, WindowKind};
use shiftdeck::i18n::Lang;
use shiftdeck::runtime::engine::{SpotMemory, coaching_for, compute_view};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];
const LANGS: [(Lang, &str); 2] = [(Lang::En, ""), (Lang::Zh, "zh_")];

fn at_1040() -> shiftdeck::domain::Ts {
    ts("2026-11-22T10:40:00+08:00")
}

fn view_at_1040() -> View {
    let (floor, errors) = shiftdeck::source::load_str(&floor_ndjson());
    assert!(errors.is_empty(), "{errors:?}");
    let (mut day, mut listed) = (None, Vec::new());
    compute_view(
        &floor,
        &settings(),
        &Shifts::default(),
        WindowKind::Today,
        &Filter::default(),
        at_1040(),
        &mut SpotMemory {
            day: &mut day,
            listed: &mut listed,
        },
        std::time::Instant::now(),
    )
}

fn app_1040(lang: Lang, w: u16, h: u16) -> App {
    let mut app = app_on(view_at_1040(), w, h);
    app.lang = lang;
    app
}

/// The pane's agent names from top to bottom, as drawn.
fn names_in_order(app: &App) -> Vec<String> {
    let v = app.view.as_ref().expect("view");
    app.rows
        .agents
        .iter()
        .map(|&i| v.snapshot.agents[i].display_name().to_string())
        .collect()
}

#[test]
fn the_pane_at_both_sizes_in_both_languages() {
    for (lang, pre) in LANGS {
        for (w, h) in SIZES {
            let mut app = app_1040(lang, w, h);
            keys(&mut app, "5");
            assert_eq!(app.focus, Pane::Agents);
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}agents_{w}x{h}"), text(&buf));
            let t = text(&buf);
            // Flagged first: Sam on a 20-minute break leads, `◷` in the warning colour.
            let (x, y) = find(&buf, "◷").expect("the break flag is drawn");
            let theme = shiftdeck::ui::theme::Theme::for_terminal(app.theme, app.color_depth);
            assert_eq!(Some(buf[(x, y)].fg), theme.warn.fg, "{t}");
            let sam = find(&buf, "Sam Green").expect("Sam is listed");
            assert_eq!(sam.1, y, "the flag is on Sam's row");
            assert!(t.contains("20m00s"), "live time in state: {t}");
            assert!(t.contains("40m00s") && t.contains("15m00s"), "{t}");
            match lang {
                Lang::En => assert!(t.contains("5 Agents · 1 flagged · in state▾"), "{t}"),
                Lang::Zh => {
                    assert!(t.contains("5 坐席 · 1 人有标记 · 持续▾"), "{t}");
                    assert!(t.contains("休息") && t.contains("忙碌"), "{t}");
                }
            }
            // Zoomed, the whole body: every column at 160 wide.
            keys(&mut app, "z");
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}agents_zoom_{w}x{h}"), text(&buf));
            if w == 160 {
                let t = text(&buf);
                for figure in ["3m50s", "5m20s", "7m00s", "50%", "100%", "0%"] {
                    assert!(t.contains(figure), "{figure} missing: {t}");
                }
            }
        }
    }
}

#[test]
fn the_agents_share_the_spot_checks_slot_and_the_clock_counts_up() {
    let mut app = app_1040(Lang::En, 80, 24);
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("4 Spot checks") && !t.contains("5 Agents"),
        "{t}"
    );
    keys(&mut app, "5");
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("5 Agents") && !t.contains("4 Spot checks"),
        "{t}"
    );
    // Tab on to the queues: the slot keeps the agents until `4`.
    keys(&mut app, "Tab");
    assert_eq!(app.focus, Pane::Queues);
    assert!(text(&draw(&app, 80, 24)).contains("5 Agents"));
    keys(&mut app, "4");
    assert!(text(&draw(&app, 80, 24)).contains("4 Spot checks"));
    // Tab walks all five panes: Spot → Agents → Queues.
    keys(&mut app, "Tab");
    assert_eq!(app.focus, Pane::Agents);
    keys(&mut app, "Tab");
    assert_eq!(app.focus, Pane::Queues);
    // One minute later, without new data, Sam's break reads 21m00s.
    keys(&mut app, "5");
    app.update(Action::Tick(at_1040().add_secs(60)));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("21m00s"), "{t}");
}

#[test]
fn sort_reverse_flagged_first_and_filter_through_the_keys() {
    let mut app = app_1040(Lang::En, 160, 48);
    keys(&mut app, "5");
    // Default: flagged first, then time in state, longest first.
    assert_eq!(names_in_order(&app), ["Sam Green", "王芳", "李雷"]);
    keys(&mut app, "!");
    assert_eq!(names_in_order(&app), ["王芳", "Sam Green", "李雷"]);
    keys(&mut app, "S");
    assert_eq!(names_in_order(&app), ["李雷", "Sam Green", "王芳"]);
    // `s` from time in state: queue (A to Z, none last), then handled (most first).
    keys(&mut app, "s");
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("· queue▴"), "{t}");
    keys(&mut app, "s");
    assert!(text(&draw(&app, 160, 48)).contains("· hdl▾"));
    // Handled: 2, 2, 1; the tie by name (李 U+674E before 王 U+738B).
    assert_eq!(names_in_order(&app), ["李雷", "王芳", "Sam Green"]);
    // AHT, highest first: 7m00s, 5m20s, 3m50s.
    keys(&mut app, "s");
    assert_eq!(names_in_order(&app), ["Sam Green", "李雷", "王芳"]);
    // Filter by team, by state (English or Chinese word) and by name.
    keys(&mut app, "/");
    retype(&mut app, "green");
    keys(&mut app, "Enter");
    assert_eq!(names_in_order(&app), ["Sam Green"]);
    keys(&mut app, "/");
    retype(&mut app, "忙碌");
    keys(&mut app, "Enter");
    assert_eq!(names_in_order(&app), ["李雷", "王芳"]);
    keys(&mut app, "/");
    retype(&mut app, "nobody");
    keys(&mut app, "Enter");
    assert!(names_in_order(&app).is_empty());
    let t = text(&draw(&app, 160, 48));
    assert!(t.contains("No agent matches the filter (nobody)."), "{t}");
    // Esc clears the filter: all three again, the cursor on the first.
    keys(&mut app, "Esc");
    assert_eq!(names_in_order(&app).len(), 3);
    keys(&mut app, "Down Down Down");
    assert_eq!(app.selected(shiftdeck::app::state::List::Agents), 2);
}

#[test]
fn the_flags_come_from_the_snapshot_and_the_legend_names_each_symbol() {
    let app = app_1040(Lang::En, 80, 24);
    let v = app.view.as_ref().expect("view");
    let sam = v
        .snapshot
        .agents
        .iter()
        .find(|a| a.id == "a-sam")
        .expect("a-sam");
    assert_eq!(sam.flags, [AgentFlag::BreakOver]);
    for lang in [Lang::En, Lang::Zh] {
        let help: Vec<String> = shiftdeck::ui::help::lines_in(lang)
            .into_iter()
            .map(|(l, _)| l)
            .collect();
        for f in AgentFlag::ALL {
            let sym = shiftdeck::ui::agents::flag_symbol(f);
            let word = shiftdeck::i18n::agent_flag(lang, f);
            let n = help
                .iter()
                .filter(|l| l.starts_with(&format!("  {sym}  ")) && l.contains(word))
                .count();
            assert_eq!(n, 1, "{sym} explained once in {lang:?}");
        }
    }
    // The engine flags nobody at 10:30 (Sam 10:00 into the break).
    let at_1030 = crate::ui_support::app(80, 24);
    let v = at_1030.view.as_ref().expect("view");
    assert!(v.snapshot.agents.iter().all(|a| a.flags.is_empty()));
}

/// The fixture plus one feedback item of a customer a-li served (u-10027,
/// c9 at 09:40; the item came at 10:00), so the coaching view of 李雷 lists it.
fn coach_ndjson() -> String {
    floor_ndjson()
        + r#"{"type":"feedback","id":"f5","source":"survey","summary":"Slow answer","customer":"u-10027","received_at":"2026-11-22T10:00:00+08:00","stage":"new","due_at":"2026-11-23T10:00:00+08:00"}"#
        + "\n"
}

/// The view at 10:40 with the coaching figures of `agent`, as the engine
/// sends it after `EngineCmd::Coach`.
fn coached_view(agent: &str) -> View {
    let (floor, errors) = shiftdeck::source::load_str(&coach_ndjson());
    assert!(errors.is_empty(), "{errors:?}");
    let (mut day, mut listed) = (None, Vec::new());
    let mut view = compute_view(
        &floor,
        &settings(),
        &Shifts::default(),
        WindowKind::Today,
        &Filter::default(),
        at_1040(),
        &mut SpotMemory {
            day: &mut day,
            listed: &mut listed,
        },
        std::time::Instant::now(),
    );
    view.coaching = coaching_for(&floor, &settings(), &view, agent).map(Box::new);
    view
}

/// One scored check of a-li's c2 with a critical customer error and a comment.
fn li_score() -> SpotScore {
    SpotScore {
        id: Some(1),
        day: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
        contact: "c2".into(),
        agent: "a-li".into(),
        dimensions: vec![
            ("responsiveness".into(), 4),
            ("attitude".into(), 2),
            ("expertise".into(), 3),
            ("compliance".into(), 5),
        ],
        scale_max: 5,
        critical_customer: true,
        critical_business: false,
        critical_compliance: false,
        root_cause: None,
        comment: "talked over the customer".into(),
        author: "lead".into(),
        saved_at: at_1040(),
    }
}

/// 李雷's coaching view, opened with the lead's keys (third row: Sam and
/// 王芳 come first at 10:40), its data answered as the engine and the store
/// would.
fn li_coached(lang: Lang, w: u16, h: u16) -> App {
    let mut app = app_on(coached_view("a-li"), w, h);
    app.lang = lang;
    keys(&mut app, "5 Down Down");
    let effects = app.update(Action::Key(K::Open));
    assert!(
        effects.contains(&Effect::Engine(EngineCmd::Coach(Some("a-li".into())))),
        "{effects:?}"
    );
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    assert!(effects.contains(&Effect::LoadAgentScores {
        agent: "a-li".into(),
        from: day - chrono::Duration::days(13),
        to: day,
    }));
    app.update(Action::AgentScores("a-li".into(), vec![li_score()]));
    app
}

#[test]
fn the_coaching_view_at_both_sizes_in_both_languages() {
    for (lang, pre) in LANGS {
        for (w, h) in SIZES {
            let app = li_coached(lang, w, h);
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}coach_{w}x{h}"), text(&buf));
            let t = text(&buf);
            // a-li: AHT (240 + 400) / 2 = 320 s; team A (王芳 + 李雷):
            // (290 + 170 + 240 + 400) / 4 = 275 s = 4m35s.
            assert!(t.contains("5m20s") && t.contains("4m35s"), "{t}");
            assert!(t.contains("李雷"), "{t}");
            if h >= 48 {
                // The scored check with its critical error and comment, and f5.
                assert!(t.contains("14/20"), "{t}");
                assert!(t.contains("talked over the customer"), "{t}");
                assert!(t.contains("f5") && t.contains("Slow answer"), "{t}");
            }
        }
    }
}

#[test]
fn the_coaching_view_lists_today_sample_and_enter_opens_the_scorecard() {
    let mut app = li_coached(Lang::En, 160, 48);
    let v = app.view.as_ref().expect("view");
    let items = shiftdeck::app::agents::sample_items(v, "a-li");
    // Hand-checked in ui_support: a-li's c2 and c9 are one random, one targeted.
    let mut contacts: Vec<&str> = items.iter().map(|i| i.contact.as_str()).collect();
    contacts.sort_unstable();
    assert_eq!(contacts, ["c2", "c9"]);
    let second = items[1].contact.clone();
    // The feedback of a-li's customers: f5 only (u-10027's contact c9 before it).
    let c = v.coaching.as_ref().expect("coaching");
    assert_eq!(c.feedback, ["f5"]);
    assert_eq!(c.days.len(), 14);
    // Today's AHT of a-li in the daily trend: 320 s over 2 handled.
    let today = c.days.last().expect("today").1;
    assert_eq!((today.handled, today.aht_s.value), (2, Some(320.0)));
    keys(&mut app, "Down Enter");
    let form = app.scores.form.as_ref().expect("the scorecard form");
    assert_eq!(
        (form.contact.as_str(), form.agent.as_str()),
        (second.as_str(), "a-li")
    );
    // Esc leaves the form, then the coaching view, which stops the engine's work.
    keys(&mut app, "Esc");
    assert!(app.scores.form.is_none());
    let effects = app.update(Action::Key(K::Back));
    assert!(app.agents.coach.is_none());
    assert_eq!(effects, [Effect::Engine(EngineCmd::Coach(None))]);
    // Scores of another agent, arriving late, are dropped.
    app.update(Action::AgentScores("a-li".into(), vec![li_score()]));
    assert!(app.agents.coach.is_none());
}

#[test]
fn the_huddle_names_agents_only_when_configured_and_only_for_figures_on_target() {
    // Off (the default): the huddle rotates through three panes (the spot
    // checks name agents beside flags: not on a shared screen), no agent page.
    let mut app = app_1040(Lang::En, 160, 48);
    keys(&mut app, "H");
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(app.huddle.expect("huddle").pane);
        keys(&mut app, "Right");
    }
    assert!(!seen.contains(&Pane::Agents), "{seen:?}");
    assert!(!seen.contains(&Pane::Spot), "{seen:?}");
    assert!(text(&draw(&app, 160, 48)).contains("/3"), "three pages");
    // On, with min_n 1 so the fixture's few contacts count. At 10:40:
    // 王芳 AHT 230 s ≤ 4m12s, CSAT 100 % ≥ 88 %, NPS +100 ≥ +30, FCR 50 %
    // below 85 % (not shown); 李雷 only FCR 100 % (AHT 320 s, CSAT 0 %,
    // NPS −100 are not shown); Sam Green is flagged (long break): not named,
    // though his CSAT is 100 %.
    for (lang, pre) in LANGS {
        let mut app = app_1040(lang, 160, 48);
        app.agents.huddle_names = true;
        app.agents.rules.min_n = 1;
        keys(&mut app, "H");
        // Queues, KPIs, Feedback, then the agents.
        for _ in 0..3 {
            keys(&mut app, "Right");
        }
        assert_eq!(app.huddle.expect("huddle").pane, Pane::Agents);
        let buf = draw(&app, 160, 48);
        insta::assert_snapshot!(format!("{pre}huddle_agents_160x48"), text(&buf));
        let t = text(&buf);
        assert!(
            !t.contains("Sam Green"),
            "a flagged agent is never named: {t}"
        );
        let wang = t.lines().find(|l| l.contains("王芳")).expect("王芳 named");
        let li = t.lines().find(|l| l.contains("李雷")).expect("李雷 named");
        assert!(
            wang.contains("3m50s") && wang.contains("100.0%") && wang.contains("+100"),
            "{wang}"
        );
        assert!(
            !wang.contains("50.0%"),
            "FCR below target is not shown: {wang}"
        );
        assert!(
            li.contains("100.0%") && !li.contains("5m20s") && !li.contains("−100"),
            "{li}"
        );
        // A to Z by name: 李 (U+674E) before 王 (U+738B), not by any figure.
        let (_, y_li) = find(&buf, "李雷").expect("李雷");
        let (_, y_wang) = find(&buf, "王芳").expect("王芳");
        assert!(y_li < y_wang);
        assert!(t.contains("4/4"), "four pages (no spot checks): {t}");
    }
}

#[test]
fn the_engine_adds_the_stores_scores_and_the_coaching_figures() {
    use shiftdeck::domain::agents::AgentFlag;
    use shiftdeck::runtime::engine::{Engine, EngineOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("floor.ndjson");
    std::fs::write(&path, coach_ndjson()).expect("write");
    let db = dir.path().join("lead.db");
    let store = shiftdeck::store::Store::open(&db).expect("store");
    store.save_score(&li_score()).expect("save");
    let mut e = Engine::new(EngineOptions {
        files: vec![path],
        label: "floor.ndjson".into(),
        settings: settings(),
        reload_settings: None,
        shifts: Shifts::default(),
        clock: std::sync::Arc::new(at_1040),
    })
    .with_sample_store(shiftdeck::store::Store::open(&db).expect("second connection"));
    e.poll_sources();
    e.handle(EngineCmd::Coach(Some("a-li".into())));
    let v = e.compute();
    let li = v
        .snapshot
        .agents
        .iter()
        .find(|a| a.id == "a-li")
        .expect("a-li");
    // c2 scored 4 + 2 + 3 + 5 = 14 of 20 with a critical customer error:
    // the error voids it, so it counts 0.
    assert_eq!(li.qa.checked, 1);
    assert_eq!(li.qa.avg, Some(0.0));
    assert_eq!(li.qa.critical_errors.customer, 1);
    // 0 is below `qa_min` 14: `qa_low` beside `critical_error`.
    assert_eq!(li.flags, [AgentFlag::CriticalError, AgentFlag::QaLow]);
    // Today's random sample of a-li without c2, which is scored.
    let random_left = v
        .snapshot
        .spot_check
        .random
        .iter()
        .filter(|i| i.agent == "a-li" && i.contact != "c2")
        .count() as u64;
    assert_eq!(li.qa.spot_left_today, random_left);
    let c = v.coaching.as_ref().expect("coaching figures");
    assert_eq!(c.agent, "a-li");
    assert_eq!(c.feedback, ["f5"]);
    // Closing the view stops them.
    e.handle(EngineCmd::Coach(None));
    assert!(e.compute().coaching.is_none());
}
