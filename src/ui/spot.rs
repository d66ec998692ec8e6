//! Pane 4: spot checks of the day: the random sample, the separate targeted
//! list (picked only because of a data flag), and coverage per agent.
//! Scored items show their total (`17/20`; a critical error voids it:
//! `0/20 void (1✗ raw 12)`); coverage shows checked / required per agent (checked = contacts
//! of the day with a stored scorecard) and the day's critical-error
//! accuracy per kind (`domain::qa`). Each list says how far it is scored
//! (`done 12 of 200`), against the lead's `[spot_check] daily_quota` when
//! one is set; coverage says it per agent (random and targeted done of
//! listed). `u` shows only the contacts not scored yet.

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

/// "done X of Y" of the random and targeted lists and per agent, over the
/// rows the filter shows (`domain::qa::spot_progress`).
pub fn progress(app: &App, view: &View) -> qa::SpotProgress {
    let spot = &view.snapshot.spot_check;
    let random = app.rows.spot_listed[0]
        .iter()
        .filter_map(|&i| spot.random.get(i));
    let targeted = app.rows.spot_listed[1]
        .iter()
        .filter_map(|&i| spot.targeted.get(i));
    qa::spot_progress(random, targeted, |c| app.scores.by_contact.contains_key(c))
}

/// The list's progress line: `done 12 of 200 · quota 15/40 · unscored only`.
fn progress_line(app: &App, view: &View, list: List) -> String {
    let p = progress(app, view);
    let mine = match list {
        List::Targeted => p.targeted,
        _ => p.random,
    };
    let mut parts = vec![tf(app.lang, Msg::SpotDone, &[&mine.done, &mine.of])];
    if let Some(q) = qa::quota_progress(
        app.scores.by_contact.values().map(|s| s.author.as_str()),
        &app.author,
        view.snapshot.spot_check.daily_quota,
    ) {
        parts.push(tf(app.lang, Msg::SpotQuota, &[&q.done, &q.of]));
    }
    if app.scores.unscored_only {
        parts.push(t(app.lang, Msg::SpotUnscoredOn).to_string());
    }
    parts.join(" · ")
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
        tf(app.lang, Msg::SpotRandom, &[&app.rows.spot_listed[0].len()]),
        tf(
            app.lang,
            Msg::SpotTargeted,
            &[&app.rows.spot_listed[1].len()],
        ),
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
    let listed = match list {
        List::Targeted => app.rows.spot_listed[1].len(),
        _ => app.rows.spot_listed[0].len(),
    };
    if listed > 0 {
        let line = progress_line(app, view, list);
        let style = if app.scores.unscored_only {
            theme.accent
        } else {
            theme.dim
        };
        draw::note(buf, area, &line, style);
    }
    let area = if listed > 0 {
        draw::below(area, 1)
    } else {
        area
    };
    if area.height == 0 {
        return;
    }
    if rows.is_empty() {
        let msg = if listed > 0 && app.scores.unscored_only {
            t(app.lang, Msg::SpotAllScored).to_string()
        } else {
            let msg = match list {
                List::Targeted => t(app.lang, Msg::NoTargeted),
                _ => t(app.lang, Msg::NoHandledToday),
            };
            draw::empty_note(app, source.len(), msg)
        };
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
    let progress = progress(app, view);
    if area.height < 2 {
        return;
    }
    let (cols, keep) = coverage_columns(area.width);
    let head = [
        t(app.lang, Msg::ColAgent),
        t(app.lang, Msg::ColHandled),
        t(app.lang, Msg::ColSampled),
        t(app.lang, Msg::ColRandomDone),
        t(app.lang, Msg::ColTargetedDone),
        t(app.lang, Msg::ColChecked),
        "",
    ];
    let head = head.iter().map(|h| (*h, theme.title));
    draw::kept_row(buf, area, area.y + 1, &cols, &keep, head, None);
    let body = draw::below(area, 2);
    let rows = &app.rows.coverage;
    let sel = app.selected(List::Coverage);
    for (line, y) in draw::visible_more(buf, body, sel, rows.len(), app.lang, theme) {
        let Some(c) = view.snapshot.spot_check.coverage.get(rows[line]) else {
            continue;
        };
        let done = checked.get(c.agent.as_str()).copied().unwrap_or(0);
        let met = done >= c.required;
        let [r, tg] = progress
            .by_agent
            .get(c.agent.as_str())
            .copied()
            .unwrap_or_default();
        let values = [
            view.agent_name(&c.agent).to_string(),
            c.handled.to_string(),
            c.sampled.to_string(),
            format!("{}/{}", r.done, r.of),
            format!("{}/{}", tg.done, tg.of),
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
            theme.base,
            theme.base,
            if met { theme.ok } else { theme.warn },
        ];
        let cells = values.iter().map(String::as_str).zip(styles);
        let selected = (focused && line == sel).then_some(theme.selected);
        draw::kept_row(buf, body, y, &cols, &keep, cells, selected);
    }
}

/// The coverage table's columns at `width`: the agent, checked of required
/// and met / short always (what coverage is for); then random and
/// targeted done of listed; then handled and sampled, as far as they fit
/// (a half-width pane at 80 columns keeps the first three, `z` shows all).
/// The agent's column takes what is left, up to 20.
fn coverage_columns(width: u16) -> (Vec<Col>, Vec<bool>) {
    // (width, priority): agent, handled, sampled, random, targeted,
    // checked, met.
    const SPEC: [(u16, u8); 7] = [(8, 0), (7, 2), (8, 2), (8, 1), (9, 1), (7, 0), (7, 0)];
    let (keep, left) = draw::choose_columns(width, &SPEC);
    let cols = draw::kept_cols(&SPEC, &keep, |i, w| match i {
        0 => Col::left(w + left.min(12)),
        6 => Col::left(w),
        _ => Col::right(w),
    });
    (cols, keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_keeps_checked_and_met_in_a_half_width_pane() {
        // A half pane at 80 columns is 38 wide: agent 8 + 12, checked, met.
        let (cols, keep) = coverage_columns(38);
        assert_eq!(keep, [true, false, false, false, false, true, true]);
        let widths: Vec<u16> = cols.iter().map(|c| c.width).collect();
        assert_eq!(widths, [20, 7, 7]);
        // 44 columns: random and targeted too (8 + 7 + 7 + 8 + 9 + 5 gaps).
        let (_, keep) = coverage_columns(44);
        assert_eq!(keep, [true, false, false, true, true, true, true]);
        // Zoomed at 80 (78 wide): every column, the agent's 20 wide.
        let (cols, keep) = coverage_columns(78);
        assert!(keep.iter().all(|k| *k));
        assert_eq!(cols[0].width, 20);
        assert_eq!(cols.iter().map(|c| c.width + 1).sum::<u16>(), 20 + 46 + 7);
    }
}
