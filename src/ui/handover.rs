//! The handover view (`O`): the shift handover as `report handover` writes
//! it (the same `domain::handover` report, built by the engine), in the
//! lead's language, and whether the incoming lead acknowledged it.
//!
//! ```text
//! ┌ Handover 11-22 00:00 – 11-23 00:00 ───────────────────────────────┐
//! │✓ acknowledged by kim at 16:05                                     │
//! │KPIs against target                                                │
//! │ SL          78.0%      80.0%    −2.0 pt  warn                     │
//! │Alerts that fired                                                  │
//! │ 09:14 ▲ critical queue q2: longest wait 4 min … → 09:20  ✓ lee …  │
//! │ …                                                                 │
//! │↑↓ scroll · Enter acknowledge · Esc close                          │
//! └───────────────────────────────────────────────────────────────────┘
//! ```
//!
//! No customer identifiers: feedback by item id, spot checks as counts;
//! on a huddle screen the free texts (alert messages, notes) are masked as
//! everywhere else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::App;
use crate::domain::alerts::Severity;
use crate::domain::handover::HandoverReport;
use crate::domain::{KpiKey, Status, Ts};
use crate::i18n::{self, Lang, Msg, t, tf};

use super::draw;
use super::fmt;
use super::text;
use super::theme::Theme;

/// A report heading without its Markdown (`## KPIs against target`).
fn head(s: &str) -> String {
    s.trim().trim_start_matches('#').trim().to_owned()
}

fn minute(at: Ts, tz: chrono_tz::Tz) -> String {
    at.to_utc()
        .with_timezone(&tz)
        .format("%m-%d %H:%M")
        .to_string()
}

fn hhmm(at: Ts, tz: chrono_tz::Tz) -> String {
    at.to_utc().with_timezone(&tz).format("%H:%M").to_string()
}

/// The report's lines for the view, each with its style.
pub fn lines(app: &App, r: &HandoverReport, theme: &Theme) -> Vec<(String, Style)> {
    let lang = app.lang;
    let tz = app.tz;
    let masked = app.masked();
    let free = |s: &str| {
        let s = text::sanitize(s);
        if masked { text::mask_text(&s) } else { s }
    };
    let mut out: Vec<(String, Style)> = Vec::new();

    out.push((head(t(lang, Msg::HoKpiHead)), theme.title_focus));
    for k in &r.kpis {
        let status = match k.status {
            Some(Status::Ok) => (t(lang, Msg::TblOk), theme.ok),
            Some(Status::Warn) => (t(lang, Msg::TblWarn), theme.warn),
            Some(Status::Alert) => (t(lang, Msg::TblAlert), theme.loud),
            None => ("—", theme.base),
        };
        out.push((
            format!(
                " {} {} {} {}  {}",
                text::pad(kpi_name(lang, k.key), 12),
                text::pad_left(&fmt::kpi_value(k.key, k.value), 9),
                text::pad_left(&fmt::kpi_value(k.key, k.target), 9),
                text::pad_left(&fmt::kpi_gap(k.key, k.gap), 10),
                status.0
            ),
            status.1,
        ));
    }

    out.push((head(t(lang, Msg::HoAlertsHead)), theme.title_focus));
    if r.alerts.is_empty() {
        out.push((format!(" {}", t(lang, Msg::HoAlertsNone)), theme.dim));
    }
    for a in &r.alerts {
        let sev = Severity::from_name(&a.severity);
        let cleared = a
            .cleared_at
            .map_or_else(|| t(lang, Msg::HoStillOpen).to_owned(), |c| hhmm(c, tz));
        let ack = a.ack.as_ref().map_or_else(
            || t(lang, Msg::HoNotAcked).to_owned(),
            |k| tf(lang, Msg::AlertsAckedBy, &[&free(&k.who), &hhmm(k.at, tz)]),
        );
        let style = match (a.cleared_at, sev) {
            (None, Some(s)) => super::alerts::severity_style(s, theme),
            _ => theme.dim,
        };
        out.push((
            format!(
                " {} {} {} {}  → {}  {}",
                minute(a.fired_at, tz),
                sev.map_or("·", super::alerts::symbol),
                text::pad(
                    &sev.map_or_else(
                        || a.severity.clone(),
                        |s| i18n::alerts::severity(lang, s).to_owned()
                    ),
                    8
                ),
                free(&a.message),
                cleared,
                ack
            ),
            style,
        ));
    }

    let overdue = r.feedback.iter().filter(|f| f.overdue).count();
    out.push((
        head(&tf(
            lang,
            Msg::HoFeedbackHead,
            &[&r.feedback.len(), &overdue],
        )),
        theme.title_focus,
    ));
    if r.feedback.is_empty() {
        out.push((format!(" {}", t(lang, Msg::HoFeedbackNone)), theme.dim));
    }
    for f in &r.feedback {
        let stage = f.stage.as_deref().map_or_else(
            || t(lang, Msg::TblNoStage).to_owned(),
            |s| i18n::stage(lang, s, false).to_owned(),
        );
        let owner = f
            .owner
            .as_deref()
            .map_or_else(|| t(lang, Msg::HoNoOwner).to_owned(), free);
        let due = f.due_at.map(|d| minute(d, tz)).unwrap_or_default();
        let (tag, style) = if f.overdue {
            (t(lang, Msg::TblOverdue), theme.loud)
        } else {
            ("", theme.base)
        };
        out.push((
            format!(
                " {} {} {} {} {tag}",
                text::pad(&text::fit(&text::sanitize(&f.id), 12), 12),
                text::pad(&stage, 10),
                text::pad(&text::fit(&owner, 14), 14),
                text::pad(&due, 11),
            ),
            style,
        ));
    }

    let s = &r.spot;
    out.push((head(t(lang, Msg::HoSpotHead)), theme.title_focus));
    out.push((
        format!(
            " {}",
            tf(
                lang,
                Msg::HoViewSpot,
                &[&s.scored, &s.left, &s.sampled, &s.random, &s.targeted]
            )
        ),
        theme.base,
    ));

    out.push((head(t(lang, Msg::HoStaffHead)), theme.title_focus));
    if r.staffing.is_empty() {
        out.push((format!(" {}", t(lang, Msg::HoStaffNone)), theme.dim));
    }
    for q in &r.staffing {
        let needed = q.needed_now.map_or("—".to_owned(), |n| n.to_string());
        let name = text::sanitize(&q.queue);
        let (line, style) = match q.next_short {
            Some((at, by)) => (
                tf(
                    lang,
                    Msg::HoViewStaff,
                    &[
                        &name,
                        &needed,
                        &q.staffed_now,
                        &hhmm(at, tz),
                        &by,
                        &q.short_intervals,
                        &q.intervals,
                    ],
                ),
                theme.warn,
            ),
            None => (
                tf(lang, Msg::HoViewStaffOk, &[&name, &needed, &q.staffed_now]),
                theme.base,
            ),
        };
        out.push((format!(" {line}"), style));
    }

    out.push((
        head(&tf(lang, Msg::HoNotesHead, &[&r.week])),
        theme.title_focus,
    ));
    if r.notes.is_empty() {
        out.push((format!(" {}", t(lang, Msg::HoNotesNone)), theme.dim));
    }
    for n in &r.notes {
        let kpi = KpiKey::ALL
            .iter()
            .find(|k| k.key() == n.kpi)
            .map_or_else(|| n.kpi.clone(), |k| kpi_name(lang, *k).to_owned());
        let line = tf(
            lang,
            Msg::HoNote,
            &[
                &kpi,
                &free(&n.cause),
                &free(&n.action),
                &free(&n.author),
                &minute(n.saved_at, tz),
            ],
        )
        .replace("**", "");
        out.push((format!(" {}", line.trim_start_matches("- ")), theme.base));
    }
    out
}

fn kpi_name(lang: Lang, k: KpiKey) -> &'static str {
    i18n::kpi_short(lang, k)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lang = app.lang;
    let report = app.view.as_deref().and_then(|v| v.handover.as_deref());
    // The whole width on a narrow screen, at most 120 columns on a wide one.
    let w = area.width.min(120);
    let rect = draw::centered(area, w, area.height);
    let buf = frame.buffer_mut();
    draw::clear(buf, rect);
    let title = match report {
        Some(r) => tf(
            lang,
            Msg::HoViewTitle,
            &[&minute(r.window.from, app.tz), &minute(r.window.to, app.tz)],
        ),
        None => tf(lang, Msg::HoViewTitle, &[&"…", &"…"]),
    };
    let block = draw::pane_block(&title, true, theme);
    let inner = draw::framed(buf, rect, block);
    if inner.height < 3 {
        return;
    }
    draw::put(
        buf,
        inner.x,
        inner.bottom() - 1,
        inner.width,
        t(lang, Msg::HoViewHint),
        theme.key,
    );
    let Some(r) = report else {
        draw::put(
            buf,
            inner.x,
            inner.y,
            inner.width,
            t(lang, Msg::HoViewWaiting),
            theme.dim,
        );
        return;
    };
    let (said, style) = match app.handover.ack_of(r) {
        Some(a) => (
            tf(
                lang,
                Msg::HoViewAcked,
                &[&text::sanitize(&a.who), &minute(a.at, app.tz)],
            ),
            theme.ok,
        ),
        None => (
            tf(lang, Msg::HoViewNotAcked, &[&text::sanitize(&app.author)]),
            theme.warn,
        ),
    };
    draw::put(buf, inner.x, inner.y, inner.width, &said, style);
    let body = Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(2),
    );
    let all = lines(app, r, theme);
    let h = body.height as usize;
    let top = (app.overlay_scroll as usize).min(all.len().saturating_sub(h));
    for (i, (s, style)) in all.iter().skip(top).take(h).enumerate() {
        let s = text::fit(s, body.width as usize);
        draw::put(buf, body.x, body.y + i as u16, body.width, &s, *style);
    }
}
