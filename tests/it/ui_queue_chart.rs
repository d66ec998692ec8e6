//! The queue detail's chart of the day and the Queues pane's "short" marker,
//! on the `ui_support` fixture plus two Sundays of history for q-phone
//! (the same weekday one and two weeks back), so the forecast has a
//! daytime profile: 2 … 12 arrivals per half hour from 08:00 to 18:00,
//! each handled in 300 s. Snapshots at 80×24 and 160×48 in English and
//! Chinese.

use crate::ui_support::*;

use ratatui::buffer::Buffer;
use shiftdeck::app::state::App;
use shiftdeck::domain::staffing;
use shiftdeck::i18n::{Lang, Msg, tf};
use unicode_width::UnicodeWidthStr;

/// Arrivals per half hour from 08:00 to 17:30 on each history day.
const PROFILE: [u32; 20] = [
    2, 3, 4, 6, 8, 10, 12, 12, 10, 8, 6, 6, 8, 10, 12, 10, 8, 6, 4, 2,
];

fn with_history() -> String {
    let mut s = floor_ndjson();
    for day in ["2026-11-15", "2026-11-08"] {
        for (k, n) in PROFILE.iter().enumerate() {
            let (h, m) = (8 + k / 2, (k % 2) * 30);
            for i in 0..*n {
                let at = |secs: usize| {
                    let total = m * 60 + i as usize * 60 + secs;
                    format!("{day}T{h:02}:{:02}:{:02}+08:00", total / 60, total % 60)
                };
                s.push_str(&format!(
                    r#"{{"type":"contact","id":"h-{day}-{k}-{i}","channel":"phone","queue":"q-phone","arrived_at":"{}","answered_at":"{}","ended_at":"{}","talk_s":300}}"#,
                    at(0),
                    at(5),
                    at(25),
                ));
                s.push('\n');
            }
        }
    }
    s
}

fn app_in(lang: Lang, w: u16, h: u16) -> App {
    let mut app = app_with(&with_history(), w, h);
    app.lang = lang;
    app
}

fn fits(buf: &Buffer) {
    for (y, line) in text(buf).lines().enumerate() {
        assert_eq!(
            UnicodeWidthStr::width(line),
            buf.area.width as usize,
            "row {y} overflows: {line}"
        );
    }
}

/// The marker the domain gives q-phone, as the console words it.
fn phone_short(app: &App, lang: Lang) -> String {
    let view = app.view.as_deref().expect("view");
    let q = view
        .snapshot
        .queues
        .iter()
        .find(|q| q.id == "q-phone")
        .expect("q-phone");
    let (from, n) = staffing::next_short(q).expect("short ahead");
    let hm = from
        .to_utc()
        .with_timezone(&tz())
        .format("%H:%M")
        .to_string();
    tf(lang, Msg::QueueShortAt, &[&n, &hm])
}

#[test]
fn queue_detail_charts_the_day() {
    for (lang, pre) in [(Lang::En, ""), (Lang::Zh, "zh_")] {
        for (w, h) in [(80, 24), (160, 48)] {
            let mut app = app_in(lang, w, h);
            keys(&mut app, "1 Enter");
            let buf = draw(&app, w, h);
            insta::assert_snapshot!(format!("{pre}queue_chart_{w}x{h}"), text(&buf));
            fits(&buf);
            let s = text(&buf);
            // The legend with "now" (◆: ▲ means an alert), the model's assumptions under the figure.
            assert!(s.contains('◆'), "{s}");
            let model = tf(lang, Msg::ChartModel, &[&"80.0%", &20]);
            let shown = &model[..model.char_indices().nth(30).map_or(model.len(), |(i, _)| i)];
            assert!(s.contains(shown), "{shown:?} missing: {s}");
            // Two weeks of history: the basis says so.
            if h == 48 {
                assert!(s.contains(&tf(lang, Msg::BasisWeeks, &[&2])), "{s}");
                assert!(s.contains(&phone_short(&app, lang)), "{s}");
            }
            // The top of the arrivals scale: the profile's peak of 12 at
            // today's level. Today 07:30–10:30 counted 7 arrivals (c1, c2,
            // c3, c9, c5, c8, c6) where the profile expects 2+3+4+6+8 = 23,
            // so the level is (7 + 100) / (23 + 100) and the peak
            // 12 × 107 / 123 = 10.44, shown as 11.
            assert!(s.contains("  11 "), "{s}");
        }
    }
}

#[test]
fn queues_pane_marks_the_next_short_interval() {
    for lang in [Lang::En, Lang::Zh] {
        let app = app_in(lang, 160, 48);
        let s = text(&draw(&app, 160, 48));
        let short = phone_short(&app, lang);
        let line = tf(lang, Msg::QueuesShortAhead, &[&format!("电话热线 {short}")]);
        assert!(s.contains(&line), "{line:?} missing: {s}");
        // The SLA timers still follow.
        assert!(s.contains(&tf(lang, Msg::SlaTimers, &[&3])), "{s}");
    }
    // At 80×24 too, cut to the pane.
    let app = app_in(Lang::En, 80, 24);
    let s = text(&draw(&app, 80, 24));
    assert!(s.contains("! short ahead: 电话热线 short"), "{s}");
    // Without history no interval ahead is short: no marker line.
    let plain = app_with(&floor_ndjson(), 80, 24);
    assert!(!text(&draw(&plain, 80, 24)).contains("short ahead"));
}

#[test]
fn planned_shifts_show_in_the_detail_and_the_marker() {
    let mut feed = with_history();
    // a-wang until noon, a-li all day, a-new (never in the roster) from noon.
    for (agent, from, to) in [
        ("a-wang", "08:00", "12:00"),
        ("a-li", "08:00", "20:00"),
        ("a-new", "12:00", "18:00"),
    ] {
        feed.push_str(&format!(
            r#"{{"type":"shift","agent":"{agent}","start":"2026-11-22T{from}:00+08:00","end":"2026-11-22T{to}:00+08:00","queue":"q-phone"}}"#
        ));
        feed.push('\n');
    }
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app_with(&feed, 160, 48);
        app.lang = lang;
        let view = app.view.as_deref().expect("view");
        let q = &view.snapshot.queues[0];
        assert_eq!(q.id, "q-phone");
        // At 10:30 a-wang and a-li are on plan and both busy on q-phone.
        assert_eq!(q.staffing.agents_scheduled, Some(2));
        // 12:00–12:30 (middle 12:15): a-li and a-new.
        let noon = q
            .forecast
            .iter()
            .find(|f| f.from == ts("2026-11-22T12:00:00+08:00"))
            .expect("12:00");
        assert_eq!((noon.agents_scheduled, noon.staffed), (Some(2), 2));
        let dashboard = text(&draw(&app, 160, 48));
        assert!(dashboard.contains(&phone_short(&app, lang)), "{dashboard}");
        keys(&mut app, "1 Enter");
        let s = text(&draw(&app, 160, 48));
        assert!(
            s.contains(tf(lang, Msg::QueueStaffedScheduled, &[&2, &2]).as_str()),
            "{s}"
        );
        assert!(
            s.contains(shiftdeck::i18n::t(lang, Msg::ChartAgentsScheduled)),
            "{s}"
        );
    }
}
