//! Pane 4: spot checks of the day: the random sample, the separate targeted
//! list (picked only because of a data flag), and coverage per agent.
//! Scored items show their total (`17/20`; a critical error voids it:
//! `0/20 void (1✗ raw 12)`); coverage shows checked / required per agent (checked = contacts
//! of the day with a stored scorecard) and the day's critical-error
//! accuracy per kind (`domain::qa`).

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::state::{App, List, Pane, SpotSection};
use crate::app::view::View;
use crate::domain::SpotCheckItem;
use crate::domain::qa::{self, QaScore};

use crate::i18n::{self, Lang, Msg, t, tf};

use super::draw::{self, Col};
use super::fmt;
use super::theme::Theme;

/// An item's stored score as shown: `17/20`, a voided one with its raw
/// sum (`0/20 void (1✗ raw 12)`: a critical error zeroes the item, see
/// `domain::qa::ScoreTotal`), and who scored it when another lead did
/// (`17/20 · 李雷`: on a shared store every console shows whose score it is).
pub fn score_label(app: &App, contact: &str) -> Option<String> {
    let s = app.scores.by_contact.get(contact)?;
    let by = if s.author != app.author && !s.author.is_empty() {
        format!(" · {}", s.author)
    } else {
        String::new()
    };
    Some(format!(
        "{}{by}",
        i18n::score_total(app.lang, &s.score_total(), true)
    ))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Pane::Spot && app.huddle.is_none();
    let buf = frame.buffer_mut();
    let title = match &app.view {
        Some(v) => {
            // Chinese dates read 11月22日; English keeps `Sun 22 Nov`.
            let date = match app.lang {
                Lang::En => v.snapshot.spot_check.date.format("%a %d %b").to_string(),
                Lang::Zh => v.snapshot.spot_check.date.format("%-m月%-d日").to_string(),
            };
            // Picks carry an agent, not a queue: `q:` does not apply here.
            format!(
                "{}{}",
                tf(
                    app.lang,
                    Msg::SpotTitle,
                    &[&date, &v.snapshot.spot_check.seed],
                ),
                draw::unfiltered_tag(app, false, true)
            )
        }
        None => format!(" 4 {} ", t(app.lang, Msg::PaneSpot)),
    };
    let Some((inner, view)) = draw::pane(buf, area, &title, focused, app, theme) else {
        return;
    };
    let tabs = [
        tf(app.lang, Msg::SpotRandom, &[&app.rows.random.len()]),
        tf(app.lang, Msg::SpotTargeted, &[&app.rows.targeted.len()]),
        tf(app.lang, Msg::SpotCoverage, &[&app.rows.coverage.len()]),
    ];
    let tabs = tabs.iter().enumerate().map(|(i, tab)| {
        let style = if app.select.spot == SpotSection::ALL[i] {
            theme.selected
        } else {
            theme.dim
        };
        (tab, style)
    });
    draw::separated(buf, inner, inner.y, tabs, " │ ", theme.dim);
    let body = draw::below(inner, 1);
    match app.select.spot {
        SpotSection::Random => items(buf, body, app, view, theme, focused, List::Random),
        SpotSection::Targeted => items(buf, body, app, view, theme, focused, List::Targeted),
        SpotSection::Coverage => coverage(buf, body, app, view, theme, focused),
    }
}

fn items(
    buf: &mut Buffer,
    area: Rect,
    app: &App,
    view: &View,
    theme: &Theme,
    focused: bool,
    list: List,
) {
    if area.height == 0 {
        return;
    }
    let (rows, source): (&[usize], &[SpotCheckItem]) = match list {
        List::Targeted => (&app.rows.targeted, &view.snapshot.spot_check.targeted),
        _ => (&app.rows.random, &view.snapshot.spot_check.random),
    };
    if rows.is_empty() {
        let msg = match list {
            List::Targeted => t(app.lang, Msg::NoTargeted),
            _ => t(app.lang, Msg::NoHandledToday),
        };
        let msg = draw::empty_note(app, source.len(), msg);
        draw::note(buf, area, &msg, theme.dim);
        return;
    }
    // The score leads the last column, so narrow screens keep every column.
    let spec: [(u16, u8); 4] = [
        (10, 0), // contact
        (10, 0), // agent
        (5, 1),  // ended
        (6, 0),  // score and flags (flex)
    ];
    let (keep, left) = draw::choose_columns(area.width, &spec);
    let cols = draw::kept_cols(&spec, &keep, |i, w| {
        Col::left(if i == 3 { w + left } else { w })
    });
    let sel = app.selected(list);
    for (line, y) in draw::visible_more(buf, area, sel, rows.len(), app.lang, theme) {
        let Some(item) = source.get(rows[line]) else {
            continue;
        };
        let flags: Vec<&str> = item.flags.iter().map(|f| i18n::flag(app.lang, f)).collect();
        let red = item.flags.contains(&"red_line");
        let score = score_label(app, &item.contact);
        let critical = app
            .scores
            .by_contact
            .get(&item.contact)
            .is_some_and(|s| s.any_critical());
        let values = [
            item.contact.clone(),
            view.agent_name(&item.agent).to_string(),
            item.ended_at
                .map_or("—".into(), |t| fmt::clock(t, app.tz)[..5].to_string()),
            match (score.as_deref(), flags.is_empty()) {
                (Some(s), true) => s.to_string(),
                (Some(s), false) => format!("{s} · {}", flags.join(", ")),
                (None, true) => "—".to_string(),
                (None, false) => flags.join(", "),
            },
        ];
        let styles = [
            theme.base,
            theme.base,
            theme.dim,
            if red || critical {
                theme.alert
            } else if score.is_some() {
                theme.ok
            } else if flags.is_empty() {
                theme.dim
            } else {
                theme.warn
            },
        ];
        let selected = (focused && line == sel).then_some(theme.selected);
        let cells = values.iter().zip(styles);
        draw::kept_row(buf, area, y, &cols, &keep, cells, selected);
    }
}

fn coverage(buf: &mut Buffer, area: Rect, app: &App, view: &View, theme: &Theme, focused: bool) {
    if area.height == 0 {
        return;
    }
    // The day's critical-error accuracy over the scored contacts.
    let scores: Vec<QaScore> = app
        .scores
        .by_contact
        .values()
        .map(crate::domain::scorecard::SpotScore::qa_score)
        .collect();
    let kpis = qa::qa_kpis(&view.snapshot.spot_check.coverage, &scores);
    let pct = |k: &str| {
        kpis.iter()
            .find(|q| q.key == k)
            .and_then(|q| q.value)
            .map_or("—".to_string(), |v| format!("{:.0}%", v * 100.0))
    };
    let note = tf(
        app.lang,
        Msg::SpotAccuracy,
        &[
            &pct("critical_accuracy_customer"),
            &pct("critical_accuracy_business"),
            &pct("critical_accuracy_compliance"),
        ],
    );
    draw::note(buf, area, &note, theme.dim);
    let checked = qa::checked_per_agent(&scores);
    if area.height < 2 {
        return;
    }
    let cols = [
        Col::left(area.width.saturating_sub(34).clamp(8, 20)),
        Col::right(7),
        Col::right(8),
        Col::right(7),
        Col::left(7),
    ];
    let head = [
        (t(app.lang, Msg::ColAgent), theme.title),
        (t(app.lang, Msg::ColHandled), theme.title),
        (t(app.lang, Msg::ColSampled), theme.title),
        (t(app.lang, Msg::ColChecked), theme.title),
        ("", theme.title),
    ];
    draw::row(buf, area, area.y + 1, &cols, &head);
    let body = draw::below(area, 2);
    let rows = &app.rows.coverage;
    let sel = app.selected(List::Coverage);
    for (line, y) in draw::visible_more(buf, body, sel, rows.len(), app.lang, theme) {
        let Some(c) = view.snapshot.spot_check.coverage.get(rows[line]) else {
            continue;
        };
        let done = checked.get(c.agent.as_str()).copied().unwrap_or(0);
        let met = done >= c.required;
        let values = [
            view.agent_name(&c.agent).to_string(),
            c.handled.to_string(),
            c.sampled.to_string(),
            format!("{done}/{}", c.required),
            if met {
                t(app.lang, Msg::CoverageMet).to_string()
            } else {
                t(app.lang, Msg::CoverageShort).to_string()
            },
        ];
        let styles = [
            theme.base,
            theme.base,
            theme.base,
            theme.base,
            if met { theme.ok } else { theme.warn },
        ];
        let cells: Vec<(&str, _)> = values.iter().map(String::as_str).zip(styles).collect();
        draw::row(buf, body, y, &cols, &cells);
        if focused && line == sel {
            draw::fill_row(buf, body, y, theme.selected);
        }
    }
}
