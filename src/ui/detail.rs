//! Detail overlays (Enter): a KPI's definition with its n and window, so the
//! lead can trust the number; a queue, an SLA timer, a feedback item (Enter
//! on a spot-check item opens the scorecard form instead). Everything comes
//! from the view; nothing scans the floor.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::app::state::{App, Overlay};
use crate::app::view::View;
use crate::domain::channels::PER_CHANNEL;
use crate::domain::snapshot::Basis;
use crate::domain::{Direction, KpiKey, staffing};

use crate::i18n::{self, Msg, t, tf};

use super::daychart;
use super::draw;
use super::fmt;
use super::kpis;
use super::text;
use super::theme::Theme;

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
            fmt::dur_in(lang, r.n)
        } else {
            r.n.to_string()
        };
        l.push(("n".into(), format!("{n}  ({n_what})"), theme.base));
        l.push((
            lbl(Msg::LblWindow),
            tf(
                lang,
                Msg::WindowSpan,
                &[
                    &fmt::local_in(lang, w.from, app.tz),
                    &fmt::local_in(lang, w.to, app.tz),
                    &i18n::window(lang, view.kind),
                    &app.tz.name(),
                ],
            ),
            theme.base,
        ));
        if !view.scope.is_everything() {
            l.push((
                lbl(Msg::LblScope),
                view.scope.describe_in(lang),
                theme.accent,
            ));
        }
        l.push((
            lbl(Msg::LblValue),
            fmt::kpi_value_in(lang, k, r.value),
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
                format!("{}  ({dir})", fmt::kpi_value_in(lang, k, Some(target))),
                theme.base,
            ));
        } else {
            l.push((lbl(Msg::LblTarget), lbl(Msg::NoneConfigured), theme.dim));
        }
        if let Some(a) = r.alert {
            l.push((
                lbl(Msg::LblAlertAt),
                fmt::kpi_value_in(lang, k, Some(a)),
                theme.base,
            ));
        }
        l.push((
            lbl(Msg::LblGap),
            fmt::kpi_gap_in(lang, k, r.gap),
            theme.status(r.status),
        ));
        l.push((
            lbl(Msg::LblStatus),
            i18n::status(lang, r.status).into(),
            theme.status(r.status),
        ));
        channel_detail(&mut l, view, k, lang, theme);
        let lw = view.last_week_window;
        l.push((
            lbl(Msg::LblLastWeek),
            tf(
                lang,
                Msg::LastWeekOver,
                &[
                    &fmt::kpi_value_in(lang, k, view.last_week.get(k).value),
                    &fmt::local_in(lang, lw.from, app.tz),
                    &fmt::local_in(lang, lw.to, app.tz),
                ],
            ),
            theme.base,
        ));
        l.push((
            lbl(Msg::LblChange),
            match view.trend[k.index()] {
                Some(d) if d > 0.0 => format!("↑{}", fmt::kpi_gap_in(lang, k, Some(d))),
                Some(d) if d < 0.0 => format!("↓{}", fmt::kpi_gap_in(lang, k, Some(d))),
                other => kpis::trend_text_in(lang, k, other),
            },
            theme.base,
        ));
        let spark = kpis::sparkline(&kpis::hourly_values(view, k, app.now.min(w.to)), 48);
        if !spark.is_empty() {
            l.push((lbl(Msg::LblByHour), spark, theme.accent));
        }
    }
    // The lead's note for this week (key `n` on the KPI pane).
    if let Some(n) = app.kpi_note(k) {
        l.push((lbl(Msg::LblCause), n.cause.clone(), theme.base));
        l.push((lbl(Msg::LblAction), n.action.clone(), theme.base));
    }
    // Chinese leads get the full name (平均处理时长 AHT); English keeps the abbreviation.
    let name = match lang {
        i18n::Lang::En => i18n::kpi_short(lang, k),
        i18n::Lang::Zh => i18n::kpi_long(lang, k),
    };
    (tf(lang, Msg::DetailDefinition, &[&name]), l)
}

/// ART's and service level's lines per channel, each against its
/// channel's target (else the floor's), with its status and n.
fn channel_detail(l: &mut Lines, view: &View, k: KpiKey, lang: i18n::Lang, theme: &Theme) {
    if !PER_CHANNEL.contains(&k) || view.channels.is_empty() {
        return;
    }
    let lbl = |m: Msg| t(lang, m).to_string();
    if !kpis::channels_shown(view) {
        l.push((
            lbl(Msg::LblByChannel),
            lbl(Msg::ChannelsUnfiltered),
            theme.dim,
        ));
        return;
    }
    l.push((lbl(Msg::LblByChannel), lbl(Msg::ChannelHead), theme.dim));
    for c in &view.channels {
        let Some(crate::domain::channels::ChannelKpi {
            value,
            target,
            own,
            status,
        }) = c.of(k)
        else {
            continue;
        };
        let text = tf(
            lang,
            Msg::ChannelFigure,
            &[
                &fmt::kpi_value_in(lang, k, value),
                &fmt::kpi_value_in(lang, k, target.map(|t| t.target)),
                &lbl(if own {
                    Msg::ChannelOwnTarget
                } else {
                    Msg::ChannelFloorTarget
                }),
                &i18n::status(lang, status),
                &c.n(k),
            ],
        );
        let name = format!("  {}", i18n::feed_value(lang, &c.channel));
        l.push((name, text, theme.status(status)));
    }
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
    // The feed's known words (channel, priority, …) in the language.
    let word = |s: &Option<String>| {
        s.as_deref().map_or_else(
            || "—".into(),
            |v| crate::i18n::feed_value(app.lang, v).to_string(),
        )
    };
    let lang = app.lang;
    let lbl = |m: Msg| t(lang, m).to_string();
    let when = |t: crate::domain::Ts| fmt::local_in(lang, t, app.tz);
    let ts = |t: Option<crate::domain::Ts>| t.map_or("—".to_string(), when);
    let b = theme.base;
    Some(match overlay {
        Overlay::Help | Overlay::Alerts | Overlay::Handover => return None,
        Overlay::Kpi(k) => kpi_lines(view, *k, app, theme),
        Overlay::Queue(id) => {
            let (i, q) = snap.queues.iter().enumerate().find(|(_, q)| &q.id == id)?;
            let need = view.agents_needed.get(i).copied().flatten();
            let a = q.agents.0;
            let mut l = vec![
                (lbl(Msg::LblName), opt(&q.name), b),
                (lbl(Msg::LblChannel), word(&q.channel), b),
                (
                    lbl(Msg::LblWaiting),
                    tf(
                        lang,
                        Msg::QueueWaiting,
                        &[&q.waiting, &fmt::dur_in(lang, q.longest_wait_s)],
                    ),
                    b,
                ),
                (
                    lbl(Msg::LblAgents),
                    tf(lang, Msg::QueueAgents, &[&a[0], &a[1], &a[2], &a[3], &a[4]]),
                    b,
                ),
                (
                    lbl(Msg::LblWindow),
                    tf(
                        lang,
                        Msg::QueueWindow,
                        &[&q.offered, &q.answered, &q.abandoned],
                    ),
                    b,
                ),
                (
                    lbl(Msg::LblServiceLevel),
                    tf(
                        lang,
                        Msg::QueueSlWithin,
                        &[&fmt::pct(q.service_level), &q.sl_seconds],
                    ),
                    b,
                ),
                (lbl(Msg::LblAbandonRate), fmt::pct(q.abandon_rate), b),
                (
                    lbl(Msg::HintArtAht),
                    format!(
                        "{} / {}",
                        fmt::opt_dur_in(lang, q.art_s),
                        fmt::opt_dur_in(lang, q.aht_s)
                    ),
                    b,
                ),
                (
                    lbl(Msg::LblLastHour),
                    tf(
                        lang,
                        Msg::QueueLastHour,
                        &[
                            &q.arrivals_last_hour,
                            &fmt::opt_dur_in(lang, q.aht_last_hour_s),
                        ],
                    ),
                    b,
                ),
                (
                    lbl(Msg::LblAgentsNeeded),
                    match need {
                        Some(n) => tf(lang, Msg::QueueNeedErlang, &[&n, &q.sl_seconds]),
                        None => lbl(Msg::QueueNeedNone),
                    },
                    b,
                ),
                (
                    lbl(Msg::LblNextShort),
                    daychart::short_text(lang, q, app.tz).unwrap_or(lbl(Msg::QueueNoShort)),
                    if staffing::next_short(q).is_some() {
                        theme.warn
                    } else {
                        b
                    },
                ),
                (
                    lbl(Msg::LblForecast),
                    match q.forecast_basis {
                        Basis::Weeks(n) => tf(lang, Msg::BasisWeeks, &[&n]),
                        Basis::RecentDays(n) => tf(lang, Msg::BasisDays, &[&n]),
                        Basis::LastHour => lbl(Msg::BasisLastHour),
                    },
                    theme.dim,
                ),
                (
                    lbl(Msg::LblLiveSource),
                    if q.from_queue_stats {
                        lbl(Msg::SourceQueueStats)
                    } else {
                        lbl(Msg::SourceContacts)
                    },
                    theme.dim,
                ),
            ];
            if let Some(scheduled) = q.staffing.agents_scheduled {
                l.insert(
                    4,
                    (
                        lbl(Msg::LblStaffed),
                        tf(
                            lang,
                            Msg::QueueStaffedScheduled,
                            &[&q.staffing.agents_staffed, &scheduled],
                        ),
                        b,
                    ),
                );
            }
            (tf(lang, Msg::DetailQueue, &[&q.id]), l)
        }
        Overlay::Sla(contact) => {
            let timer = snap.sla.iter().find(|t| &t.contact == contact)?;
            let remaining = timer.due_at.secs_since(app.now);
            // The data's words; other values are shown as written.
            let owes = match timer.owes {
                "resolution" => lbl(Msg::OwesResolutionLong),
                "first_response" => lbl(Msg::OwesFirstLong),
                other => other.replace('_', " "),
            };
            let l = vec![
                (
                    lbl(Msg::LblPriority),
                    word(&Some(timer.priority.clone())),
                    b,
                ),
                (lbl(Msg::LblOwes), owes, b),
                (lbl(Msg::LblDue), when(timer.due_at), b),
                (
                    lbl(Msg::LblRemaining),
                    if remaining < 0.0 {
                        tf(lang, Msg::SlaBreachedAgo, &[&fmt::dur_in(lang, remaining)])
                    } else {
                        fmt::dur_in(lang, remaining)
                    },
                    if remaining < 0.0 { theme.loud } else { b },
                ),
                (lbl(Msg::LblQueue), opt(&timer.queue), b),
                (lbl(Msg::LblAgent), opt(&timer.agent), b),
                (lbl(Msg::LblCustomer), cust(&timer.customer), b),
            ];
            (tf(lang, Msg::DetailSla, &[&timer.contact]), l)
        }
        Overlay::Feedback(id) => {
            let f = snap.feedback.iter().find(|f| &f.id == id)?;
            let overdue =
                f.stage.as_deref() != Some("closed") && f.due_at.is_some_and(|d| app.now > d);
            let summary = f.summary.as_deref().unwrap_or("—");
            let result = f.result.as_deref().unwrap_or("—");
            let stage = f.stage.as_deref().map_or("—".to_string(), |s| {
                i18n::stage(lang, s, false).to_string()
            });
            let l = vec![
                (lbl(Msg::LblStage), stage, theme.accent),
                (
                    lbl(Msg::LblDue),
                    match f.due_at {
                        Some(d) if overdue => tf(lang, Msg::OverdueSince, &[&when(d)]),
                        Some(d) => format!("{} ({})", when(d), fmt::due_in(lang, d, app.now)),
                        None => "—".into(),
                    },
                    if overdue { theme.loud } else { b },
                ),
                (
                    lbl(Msg::LblOwner),
                    f.owner
                        .as_deref()
                        .map_or(lbl(Msg::Unassigned), |o| view.agent_name(o).to_string()),
                    b,
                ),
                (lbl(Msg::LblReceived), ts(f.received_at), b),
                (lbl(Msg::LblSource), word(&f.source), b),
                (lbl(Msg::LblCategory), word(&f.category), b),
                (lbl(Msg::LblCustomer), cust(&f.customer), b),
                (lbl(Msg::LblSummary), text::shown(summary, 2000, masked), b),
                (lbl(Msg::LblResult), text::shown(result, 2000, masked), b),
                (lbl(Msg::LblCallback), word(&f.callback_result), b),
                (lbl(Msg::LblRootCause), word(&f.root_cause), b),
                (
                    lbl(Msg::LblAction),
                    f.action.as_deref().map_or_else(
                        || "—".into(),
                        |v| crate::app::board::action_label(lang, v).to_string(),
                    ),
                    b,
                ),
            ];
            (tf(lang, Msg::DetailFeedback, &[&f.id]), l)
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
    // A queue's detail carries the chart of its day above the figures.
    let chart = match overlay {
        Overlay::Queue(id) => view.snapshot.queues.iter().find(|q| &q.id == id),
        _ => None,
    }
    .and_then(|q| Some((q, daychart::rows_for(area.height.saturating_sub(2))?)));
    let w = if chart.is_some() {
        area.width.saturating_sub(4).clamp(20, 110)
    } else {
        area.width.saturating_sub(4).clamp(20, 100)
    };
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
    let chart_h = chart.map_or(0, |(_, (ha, hb))| daychart::height(ha, hb) + 1);
    let h = (rows.len() as u16 + 2 + chart_h).min(area.height);
    let rect = draw::centered(area, w, h);
    draw::clear(buf, rect);
    let mut inner = draw::framed(buf, rect, draw::pane_block(&title, true, theme));
    if let Some((q, bars)) = chart {
        let at = Rect::new(inner.x, inner.y, inner.width, chart_h - 1);
        daychart::render(buf, at, q, bars, app.tz, app.lang, theme);
        inner = draw::below(inner, chart_h);
    }
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
