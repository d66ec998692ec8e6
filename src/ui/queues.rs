//! Pane 1: live queues (a row per queue with the Erlang C staffing need)
//! and, below, the SLA timers, most urgent first, counting down.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::state::{App, List, Pane, QueueSection};
use crate::app::view::View;
use crate::i18n::{self, Msg, t, tf};

use super::daychart;
use super::draw::{self, Col};
use super::fmt;
use super::text;
use super::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Pane::Queues && app.huddle.is_none();
    let buf = frame.buffer_mut();
    // Queue rows are the whole floor's under `a:` (the SLA timers follow
    // the agent): the title says so.
    let title = match &app.view {
        Some(v) => format!(
            " 1 {} · {} {}",
            t(app.lang, Msg::PaneQueues),
            i18n::window(app.lang, v.kind),
            draw::unfiltered_tag(app, true, false)
        ),
        None => format!(" 1 {} ", t(app.lang, Msg::PaneQueues)),
    };
    let Some((inner, view)) = draw::pane(buf, area, &title, focused, app, theme) else {
        return;
    };
    // At least one row under the header: an empty table says why.
    let n_queues = (app.rows.queues.len() as u16).max(1);
    let sla_min = if inner.height >= 6 { 3 } else { 1 };
    let table_h = (n_queues + 1)
        .min(inner.height.saturating_sub(sla_min))
        .max(1);
    let table = Rect::new(inner.x, inner.y, inner.width, table_h);
    let mut rest = draw::below(inner, table_h);
    // The queues that will be short later today, under the table.
    if let Some(line) = short_ahead(app, view)
        && rest.height > sla_min
    {
        draw::note(buf, rest, &line, theme.warn);
        rest = draw::below(rest, 1);
    }
    queue_table(
        buf,
        table,
        app,
        view,
        theme,
        focused && app.select.queues == QueueSection::Queues,
    );
    sla_list(
        buf,
        rest,
        app,
        view,
        theme,
        focused && app.select.queues == QueueSection::Sla,
    );
}

/// "! short ahead: Chat short 3 at 14:00 · …" for the listed queues with a
/// short interval ahead (`staffing::next_short`), in list order.
fn short_ahead(app: &App, view: &View) -> Option<String> {
    let shorts: Vec<String> = app
        .rows
        .queues
        .iter()
        .filter_map(|&qi| {
            let q = view.snapshot.queues.get(qi)?;
            let short = daychart::short_text(app.lang, q, app.tz)?;
            Some(format!("{} {short}", q.name.as_deref().unwrap_or(&q.id)))
        })
        .collect();
    (!shorts.is_empty()).then(|| tf(app.lang, Msg::QueuesShortAhead, &[&shorts.join(" · ")]))
}

fn queue_table(buf: &mut Buffer, area: Rect, app: &App, view: &View, theme: &Theme, active: bool) {
    let rows = &app.rows.queues;
    // The breach count has its column only while some queue has a breach.
    let any_late = rows.iter().any(|&i| view.judge(i).breached > 0);
    // (width, priority): name flexes; the rest drop right to left when narrow.
    let spec: [(u16, u8); 11] = [
        (12, 0),                                 // queue
        (4, 0),                                  // waiting
        (6, 1),                                  // longest wait
        (6, 1),                                  // service level
        (4, if any_late { 1 } else { u8::MAX }), // SLA timers past due
        (4, 2),                                  // agents needed (Erlang C)
        (11, 3),                                 // agents av/busy/wrap/break
        (6, 4),                                  // abandon rate
        (6, 4),                                  // ART
        (6, 4),                                  // AHT
        (6, 5),                                  // channel
    ];
    let (mut keep, mut left) = draw::choose_columns(area.width, &spec);
    if !any_late && keep[4] {
        keep[4] = false;
        left += spec[4].0 + 1;
    }
    // Names are not cut while there is room: the channel (also in the
    // name, usually) gives way to a long name.
    let longest_name = rows
        .iter()
        .filter_map(|&i| view.snapshot.queues.get(i))
        .map(|q| text::width(q.name.as_deref().unwrap_or(&q.id)) as u16)
        .max()
        .unwrap_or(0)
        .min(40);
    let want = longest_name.saturating_sub(12);
    if left < want && keep[10] {
        keep[10] = false;
        left += spec[10].0 + 1;
    }
    let name_w = 12 + left.min(want.max(16));
    let cols = draw::kept_cols(&spec, &keep, |i, w| match i {
        0 => Col::left(name_w),
        10 => Col::left(w),
        _ => Col::right(w),
    });
    let headers = [
        Msg::ColQueue,
        Msg::ColWait,
        Msg::ColLongest,
        Msg::ColSl,
        Msg::ColLate,
        Msg::ColNeed,
        Msg::ColAgents,
        Msg::ColAband,
        Msg::ColArt,
        Msg::ColAht,
        Msg::ColChan,
    ]
    .map(|m| t(app.lang, m));
    let head = headers.iter().map(|h| (*h, theme.title));
    draw::kept_row(buf, area, area.y, &cols, &keep, head, None);
    let body = draw::below(area, 1);
    if rows.is_empty() && body.height > 0 {
        let msg = if view.snapshot.queues.is_empty() {
            t(app.lang, Msg::NoQueues).to_string()
        } else {
            tf(
                app.lang,
                Msg::NoQueueMatchHidden,
                &[&view.snapshot.queues.len(), &app.filter_text],
            )
        };
        draw::note(buf, body, &msg, theme.dim);
        return;
    }
    let sel = app.selected(List::Queues);
    // Live waits keep growing between recomputes: extrapolate to the UI clock.
    let drift = app.now.secs_since(view.now()).max(0.0);
    for (line, y) in draw::visible_more(buf, body, sel, rows.len(), app.lang, theme) {
        let qi = rows[line];
        let Some(q) = view.snapshot.queues.get(qi) else {
            continue;
        };
        let j = view.judge(qi);
        let need = view.agents_needed.get(qi).copied().flatten();
        let staffed = q.agents.0[0] + q.agents.0[1] + q.agents.0[2];
        let longest = if q.waiting > 0 {
            q.longest_wait_s + drift
        } else {
            0.0
        };
        let wait_style = if q.waiting > 0 {
            theme.status(j.wait)
        } else {
            theme.dim
        };
        let need_style = if need.is_some_and(|n| n > staffed) {
            theme.warn
        } else {
            theme.base
        };
        let cells: [(String, _); 11] = [
            (q.name.clone().unwrap_or_else(|| q.id.clone()), theme.base),
            (q.waiting.to_string(), wait_style),
            (
                if q.waiting > 0 {
                    fmt::dur(longest)
                } else {
                    "—".into()
                },
                wait_style,
            ),
            (fmt::pct(q.service_level), theme.status(j.service_level)),
            (
                if j.breached > 0 {
                    format!("‼{}", j.breached)
                } else {
                    "0".into()
                },
                if j.breached > 0 {
                    theme.loud
                } else {
                    theme.dim
                },
            ),
            (
                match need {
                    // `!`: a warning, as in the KPI table (fewer staffed than needed).
                    Some(n) if n > staffed => format!("{n}!"),
                    Some(n) => n.to_string(),
                    None => "—".into(),
                },
                need_style,
            ),
            (
                format!(
                    "{}/{}/{}/{}",
                    q.agents.0[0], q.agents.0[1], q.agents.0[2], q.agents.0[3]
                ),
                theme.base,
            ),
            (fmt::pct(q.abandon_rate), theme.status(j.abandon)),
            (fmt::opt_dur(q.art_s), theme.status(j.art)),
            (fmt::opt_dur(q.aht_s), theme.base),
            (
                i18n::feed_value(app.lang, q.channel.as_deref().unwrap_or_default()).to_string(),
                theme.dim,
            ),
        ];
        let selected = (active && line == sel).then_some(theme.selected);
        draw::kept_row(buf, body, y, &cols, &keep, cells, selected);
    }
}

fn sla_list(buf: &mut Buffer, area: Rect, app: &App, view: &View, theme: &Theme, active: bool) {
    if area.height == 0 {
        return;
    }
    let rows = &app.rows.sla;
    let breached = app.rows.breached_at(app.now);
    let title = tf(app.lang, Msg::SlaTimers, &[&rows.len()]);
    let mut x = area.x;
    x += draw::put(
        buf,
        x,
        area.y,
        area.width,
        &title,
        if active {
            theme.title_focus
        } else {
            theme.title
        },
    );
    if breached > 0 {
        let loud = tf(app.lang, Msg::SlaBreached, &[&breached]);
        draw::put(
            buf,
            x,
            area.y,
            area.right().saturating_sub(x),
            &loud,
            theme.loud,
        );
    }
    let body = draw::below(area, 1);
    if rows.is_empty() {
        let msg = if view.snapshot.sla.is_empty() {
            t(app.lang, Msg::NoSlaOwed).to_string()
        } else {
            tf(
                app.lang,
                Msg::NoSlaMatchHidden,
                &[&view.snapshot.sla.len(), &app.filter_text],
            )
        };
        draw::note(buf, body, &msg, theme.dim);
        return;
    }
    let spec: [(u16, u8); 7] = [
        (12, 0), // time left / over
        (6, 0),  // priority
        (8, 0),  // contact (flex)
        (5, 1),  // owes
        (10, 2), // queue (flex)
        (8, 3),  // agent
        (9, 4),  // customer
    ];
    let (keep, left) = draw::choose_columns(area.width, &spec);
    // Spare width goes to the contact first, then the queue's name.
    let contact_extra = left.min(10);
    let queue_extra = left - contact_extra;
    let cols = draw::kept_cols(&spec, &keep, |i, w| match i {
        0 => Col::right(w),
        2 => Col::left(w + contact_extra),
        4 => Col::left(w + queue_extra.min(16)),
        _ => Col::left(w),
    });
    let heads = [
        Msg::ColDue,
        Msg::ColPrio,
        Msg::ColContact,
        Msg::ColOwes,
        Msg::ColQueue,
        Msg::ColAgent,
        Msg::ColCustomer,
    ]
    .map(|m| (i18n::t(app.lang, m), theme.title));
    draw::kept_row(buf, body, body.y, &cols, &keep, heads, None);
    let body = draw::below(body, 1);
    let sel = app.selected(List::Sla);
    for (line, y) in draw::visible_more(buf, body, sel, rows.len(), app.lang, theme) {
        let Some(t) = view.snapshot.sla.get(rows[line]) else {
            continue;
        };
        // Count down on the UI clock; the engine's `breached` was at its own now.
        let remaining = t.due_at.secs_since(app.now);
        let is_breached = remaining < 0.0;
        let rem = if is_breached {
            tf(app.lang, Msg::SlaOver, &[&fmt::dur(-remaining)])
        } else {
            tf(app.lang, Msg::SlaLeft, &[&fmt::dur(remaining)])
        };
        let customer = t.customer.as_deref().map_or(String::new(), |c| {
            if app.masked() {
                text::mask_customer(c)
            } else {
                c.to_string()
            }
        });
        let owes = if t.owes == "resolution" {
            i18n::t(app.lang, Msg::OwesResolution)
        } else {
            i18n::t(app.lang, Msg::OwesFirst)
        };
        let rem_style = if is_breached {
            theme.loud
        } else if remaining < 300.0 {
            theme.warn
        } else {
            theme.base
        };
        let prio_style = match t.priority.as_str() {
            "urgent" => theme.alert,
            "high" => theme.warn,
            _ => theme.base,
        };
        let cells = [
            (rem, rem_style),
            (
                i18n::feed_value(app.lang, &t.priority).to_string(),
                prio_style,
            ),
            (t.contact.clone(), theme.base),
            (owes.to_string(), theme.dim),
            (t.queue.clone().unwrap_or_default(), theme.base),
            // The shared screen names no agent beside a breached timer.
            (
                if app.huddle.is_some() {
                    String::new()
                } else {
                    t.agent.clone().unwrap_or_default()
                },
                theme.base,
            ),
            (customer, theme.dim),
        ];
        let selected = (active && line == sel).then_some(theme.selected);
        draw::kept_row(buf, body, y, &cols, &keep, cells, selected);
    }
}
