//! Detail overlays (Enter): a KPI's definition with its n and window, so the
//! lead can trust the number; a queue, an SLA timer, a feedback item, a
//! spot-check item. Everything comes from the view; nothing scans the floor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::{App, Overlay};
use crate::app::view::View;
use crate::domain::{Direction, KpiKey};

use crate::i18n::{self, Msg, t, tf};

use super::draw;
use super::fmt;
use super::kpis;
use super::text;
use super::theme::Theme;

/// The formula of a KPI and what its n counts (spec section 2).
pub fn definition(k: KpiKey) -> (&'static str, &'static str) {
    match k {
        KpiKey::Csat => (
            "surveys in the window with csat ≥ 4 ÷ surveys in the window with a csat score",
            "surveys with a CSAT score",
        ),
        KpiKey::Nps => (
            "100 × (surveys with nps ≥ 9 − surveys with nps ≤ 6) ÷ surveys with an nps score",
            "surveys with an NPS score",
        ),
        KpiKey::Fcr => (
            "handled contacts with resolved ≠ false and no contact of the same customer within fcr_window_h after it (may lie after the window) ÷ handled",
            "handled contacts (answered and ended)",
        ),
        KpiKey::AhtS => (
            "mean of talk + hold + wrap seconds over handled contacts",
            "handled contacts (answered and ended)",
        ),
        KpiKey::ArtS => (
            "mean of answered_at − arrived_at over answered contacts",
            "answered contacts",
        ),
        KpiKey::ServiceLevel => (
            "answered within the queue's sl_seconds (20 s if unknown) ÷ (answered + abandoned)",
            "answered + abandoned contacts",
        ),
        KpiKey::AbandonRate => (
            "abandoned (no answered_at) ÷ (answered + abandoned)",
            "answered + abandoned contacts",
        ),
        KpiKey::TransferRate => (
            "handled contacts with transfers ≥ 1 ÷ handled",
            "handled contacts (answered and ended)",
        ),
        KpiKey::RepeatRate => (
            "offered contacts whose customer had an earlier contact within fcr_window_h (also before the window) ÷ offered",
            "offered contacts (arrived in the window)",
        ),
        KpiKey::ContactsPerAgentDay => (
            "handled ÷ distinct agents of the handled contacts ÷ window length in days (not clipped to now)",
            "distinct agents",
        ),
        KpiKey::Occupancy => (
            "(busy + wrap seconds) ÷ (available + busy + wrap seconds) of all agents, clipped to [from, min(to, now))",
            "staffed seconds",
        ),
    }
}

type Lines = Vec<(String, String, Style)>;

fn kpi_lines(view: &View, k: KpiKey, app: &App, theme: &Theme) -> (String, Lines) {
    let lang = app.lang;
    let lbl = |m: Msg| t(lang, m).to_string();
    let (formula, n_what) = i18n::definition(lang, k);
    let mut l: Lines = Vec::new();
    let w = view.snapshot.window;
    l.push((lbl(Msg::LblFormula), formula.into(), theme.base));
    if let Some(r) = view.kpi(k) {
        let n = if k == KpiKey::Occupancy {
            fmt::secs(r.n)
        } else {
            r.n.to_string()
        };
        l.push(("n".into(), format!("{n}  ({n_what})"), theme.base));
        l.push((
            lbl(Msg::LblWindow),
            format!(
                "{} → {}  ({}, {})",
                fmt::local(w.from, app.tz),
                fmt::local(w.to, app.tz),
                i18n::window(lang, view.kind),
                app.tz.name()
            ),
            theme.base,
        ));
        if !view.scope.is_everything() {
            l.push((lbl(Msg::LblScope), view.scope.describe(), theme.accent));
        }
        l.push((
            lbl(Msg::LblValue),
            fmt::kpi_value(k, r.value),
            theme.status(r.status),
        ));
        if let Some(target) = r.target {
            let dir = match r.direction {
                Some(Direction::Higher) => t(lang, Msg::HigherBetter),
                Some(Direction::Lower) => t(lang, Msg::LowerBetter),
                None => "",
            };
            l.push((
                lbl(Msg::LblTarget),
                format!("{}  ({dir})", fmt::kpi_value(k, Some(target))),
                theme.base,
            ));
        } else {
            l.push((lbl(Msg::LblTarget), lbl(Msg::NoneConfigured), theme.dim));
        }
        if let Some(a) = r.alert {
            l.push((lbl(Msg::LblAlertAt), fmt::kpi_value(k, Some(a)), theme.base));
        }
        l.push((lbl(Msg::LblGap), fmt::kpi_gap(k, r.gap), theme.status(r.status)));
        l.push((
            lbl(Msg::LblStatus),
            i18n::status(lang, r.status).into(),
            theme.status(r.status),
        ));
        let lw = view.last_week_window;
        l.push((
            lbl(Msg::LblLastWeek),
            tf(
                lang,
                Msg::LastWeekOver,
                &[
                    &fmt::kpi_value(k, view.last_week.get(k).value),
                    &fmt::local(lw.from, app.tz),
                    &fmt::local(lw.to, app.tz),
                ],
            ),
            theme.base,
        ));
        l.push((
            lbl(Msg::LblChange),
            kpis::trend_text_in(lang, k, view.trend[k.index()]),
            theme.base,
        ));
        let spark = kpis::sparkline(&kpis::hourly_values(view, k, app.now.min(w.to)), 48);
        if !spark.is_empty() {
            l.push((lbl(Msg::LblByHour), spark, theme.accent));
        }
    }
    // Chinese leads get the full name (平均处理时长 AHT); English keeps the abbreviation.
    let name = match lang {
        i18n::Lang::En => i18n::kpi_short(lang, k),
        i18n::Lang::Zh => i18n::kpi_long(lang, k),
    };
    (tf(lang, Msg::DetailDefinition, &[&name]), l)
}

fn lines(app: &App, view: &View, overlay: &Overlay, theme: &Theme) -> Option<(String, Lines)> {
    let snap = &view.snapshot;
    let masked = app.masked();
    let cust = |c: &Option<String>| {
        c.as_deref().map_or("—".to_string(), |c| {
            if masked {
                text::mask_customer(c)
            } else {
                c.to_string()
            }
        })
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
    let ts = |t: Option<crate::domain::Ts>| t.map_or("—".to_string(), |t| fmt::local(t, app.tz));
    let b = theme.base;
    Some(match overlay {
        Overlay::Help => return None,
        Overlay::Kpi(k) => kpi_lines(view, *k, app, theme),
        Overlay::Queue(id) => {
            let (i, q) = snap.queues.iter().enumerate().find(|(_, q)| &q.id == id)?;
            let need = view.agents_needed.get(i).copied().flatten();
            let l = vec![
                ("name".into(), opt(&q.name), b),
                ("channel".into(), opt(&q.channel), b),
                (
                    "waiting".into(),
                    format!(
                        "{} (longest {})",
                        q.waiting,
                        fmt::clock_dur(q.longest_wait_s)
                    ),
                    b,
                ),
                (
                    "agents".into(),
                    format!(
                        "available {} · busy {} · wrap {} · break {} · offline {}",
                        q.agents.0[0], q.agents.0[1], q.agents.0[2], q.agents.0[3], q.agents.0[4]
                    ),
                    b,
                ),
                (
                    "window".into(),
                    format!(
                        "offered {} · answered {} · abandoned {}",
                        q.offered, q.answered, q.abandoned
                    ),
                    b,
                ),
                (
                    "service level".into(),
                    format!("{} within {} s", fmt::pct(q.service_level), q.sl_seconds),
                    b,
                ),
                ("abandon rate".into(), fmt::pct(q.abandon_rate), b),
                (
                    "ART / AHT".into(),
                    format!("{} / {}", fmt::opt_secs(q.art_s), fmt::opt_secs(q.aht_s)),
                    b,
                ),
                (
                    "last hour".into(),
                    format!(
                        "{} arrivals · AHT {}",
                        q.arrivals_last_hour,
                        fmt::opt_secs(q.aht_last_hour_s)
                    ),
                    b,
                ),
                (
                    "agents needed".into(),
                    match need {
                        Some(n) => format!(
                            "{n} (Erlang C: last hour's arrivals and AHT, the SL target within {} s)",
                            q.sl_seconds
                        ),
                        None => {
                            "— (no handled contact in the last hour, or target unreachable)".into()
                        }
                    },
                    b,
                ),
                (
                    "live source".into(),
                    if q.from_queue_stats {
                        "queue_stats record".into()
                    } else {
                        "contacts and agent states".into()
                    },
                    theme.dim,
                ),
            ];
            (format!(" Queue {} ", q.id), l)
        }
        Overlay::Sla(contact) => {
            let t = snap.sla.iter().find(|t| &t.contact == contact)?;
            let remaining = t.due_at.secs_since(app.now);
            let l = vec![
                ("priority".into(), t.priority.clone(), b),
                ("owes".into(), t.owes.replace('_', " "), b),
                ("due".into(), fmt::local(t.due_at, app.tz), b),
                (
                    "remaining".into(),
                    if remaining < 0.0 {
                        format!("▲ BREACHED {} ago", fmt::clock_dur(remaining))
                    } else {
                        fmt::clock_dur(remaining)
                    },
                    if remaining < 0.0 { theme.loud } else { b },
                ),
                ("queue".into(), opt(&t.queue), b),
                ("agent".into(), opt(&t.agent), b),
                ("customer".into(), cust(&t.customer), b),
            ];
            (format!(" SLA · contact {} ", t.contact), l)
        }
        Overlay::Feedback(id) => {
            let f = snap.feedback.iter().find(|f| &f.id == id)?;
            let overdue =
                f.stage.as_deref() != Some("closed") && f.due_at.is_some_and(|d| app.now > d);
            let summary = f.summary.as_deref().unwrap_or("—");
            let result = f.result.as_deref().unwrap_or("—");
            let l = vec![
                ("stage".into(), opt(&f.stage), theme.accent),
                (
                    "due".into(),
                    match f.due_at {
                        Some(d) if overdue => format!("‼ OVERDUE since {}", fmt::local(d, app.tz)),
                        Some(d) => format!("{} ({})", fmt::local(d, app.tz), fmt::due(d, app.now)),
                        None => "—".into(),
                    },
                    if overdue { theme.loud } else { b },
                ),
                (
                    "owner".into(),
                    f.owner
                        .as_deref()
                        .map_or("unassigned".into(), |o| view.agent_name(o).to_string()),
                    b,
                ),
                ("received".into(), ts(f.received_at), b),
                ("source".into(), opt(&f.source), b),
                ("category".into(), opt(&f.category), b),
                ("customer".into(), cust(&f.customer), b),
                ("summary".into(), text::shown(summary, 2000, masked), b),
                ("result".into(), text::shown(result, 2000, masked), b),
                ("callback".into(), opt(&f.callback_result), b),
                ("root cause".into(), opt(&f.root_cause), b),
            ];
            (format!(" Feedback {} ", f.id), l)
        }
        Overlay::Spot(contact) => {
            let sc = &snap.spot_check;
            let (list, item) = sc
                .random
                .iter()
                .map(|i| ("random sample", i))
                .chain(sc.targeted.iter().map(|i| ("targeted (flagged)", i)))
                .find(|(_, i)| &i.contact == contact)?;
            let flags: Vec<&str> = item.flags.iter().map(|f| i18n::flag(app.lang, f)).collect();
            let l = vec![
                ("list".into(), list.into(), b),
                ("agent".into(), view.agent_name(&item.agent).to_string(), b),
                ("ended".into(), ts(item.ended_at), b),
                ("customer".into(), cust(&item.customer), b),
                (
                    "flags".into(),
                    if flags.is_empty() {
                        "none".into()
                    } else {
                        flags.join(", ")
                    },
                    theme.warn,
                ),
                (
                    "day / seed".into(),
                    format!("{} / {}", sc.date, sc.seed),
                    theme.dim,
                ),
            ];
            (format!(" Spot check · contact {} ", item.contact), l)
        }
    })
}

/// Wraps `s` into lines of at most `width` columns (by display width).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in text::Clean::new(s) {
        let w = text::char_width(c);
        if used + w > width && !line.is_empty() {
            out.push(std::mem::take(&mut line));
            used = 0;
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(overlay) = &app.overlay else { return };
    let Some(view) = app.view.as_deref() else {
        return;
    };
    let buf = frame.buffer_mut();
    let Some((title, lines)) = lines(app, view, overlay, theme) else {
        let rect = draw::centered(area, 40, 3);
        draw::clear(buf, rect);
        let title = t(app.lang, Msg::DetailTitle);
        let inner = draw::framed(buf, rect, draw::pane_block(title, true, theme));
        draw::put(
            buf,
            inner.x,
            inner.y,
            inner.width,
            t(app.lang, Msg::DetailGone),
            theme.dim,
        );
        return;
    };
    let w = (area.width.saturating_sub(4)).clamp(20, 100);
    let label_w = 14u16;
    let value_w = w.saturating_sub(label_w + 4) as usize;
    // Wrap values, capping each at a few lines so a huge summary stays bounded.
    let mut rows: Vec<(String, String, Style)> = Vec::new();
    for (label, value, style) in lines {
        for (i, part) in wrap(&value, value_w.max(1)).into_iter().take(8).enumerate() {
            rows.push((
                if i == 0 { label.clone() } else { String::new() },
                part,
                style,
            ));
        }
    }
    let h = (rows.len() as u16 + 2).min(area.height);
    let rect = draw::centered(area, w, h);
    draw::clear(buf, rect);
    let inner = draw::framed(buf, rect, draw::pane_block(&title, true, theme));
    let max_scroll = (rows.len() as u16).saturating_sub(inner.height);
    let scroll = app.overlay_scroll.min(max_scroll) as usize;
    for (i, (label, value, style)) in rows
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .enumerate()
    {
        let y = inner.y + i as u16;
        draw::put(buf, inner.x + 1, y, label_w, label, theme.dim);
        draw::put(
            buf,
            inner.x + 1 + label_w + 1,
            y,
            inner.width.saturating_sub(label_w + 2),
            value,
            *style,
        );
    }
}
