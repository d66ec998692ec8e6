//! `snapshot --format table`: the snapshot as plain text for a terminal or
//! an e-mail, aligned by display width (agent and queue names are often Chinese).

use std::fmt::Write;

use chrono_tz::Tz;
use unicode_width::UnicodeWidthStr;

use crate::domain::settings::KpiKey;
use crate::domain::snapshot::{KpiReport, Snapshot};
use crate::domain::time::Ts;

/// A KPI value in its natural unit: rates as %, seconds with minutes, NPS as points.
pub fn format_kpi(key: KpiKey, v: Option<f64>) -> String {
    let Some(v) = v else {
        return "—".to_owned();
    };
    match key {
        KpiKey::AhtS | KpiKey::ArtS => {
            if v.abs() >= 60.0 {
                format!("{v:.1} s ({:.2} min)", v / 60.0)
            } else {
                format!("{v:.1} s")
            }
        }
        KpiKey::Nps => format!("{v:.1}"),
        KpiKey::ContactsPerAgentDay => format!("{v:.1}"),
        _ => format!("{:.1} %", v * 100.0),
    }
}

/// A gap with its sign, rates in percentage points.
pub fn format_gap(key: KpiKey, gap: Option<f64>) -> String {
    let Some(g) = gap else {
        return "—".to_owned();
    };
    match key {
        KpiKey::AhtS | KpiKey::ArtS => format!("{g:+.1} s"),
        KpiKey::Nps | KpiKey::ContactsPerAgentDay => format!("{g:+.1}"),
        _ => format!("{:+.1} pt", g * 100.0),
    }
}

fn local(t: Ts, tz: Tz) -> String {
    t.to_utc()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    if w >= width {
        s.to_owned()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

fn rpad(s: &str, width: usize) -> String {
    let w = s.width();
    if w >= width {
        s.to_owned()
    } else {
        format!("{}{s}", " ".repeat(width - w))
    }
}

/// Control characters never reach the terminal, even from customer text.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect()
}

/// Render rows with the first column left-aligned and the rest right-aligned.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(c.width());
        }
    }
    let line = |out: &mut String, cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            if i == 0 {
                s.push_str(&pad(c, widths[i]));
            } else {
                s.push_str(&rpad(c, widths[i]));
            }
        }
        let _ = writeln!(out, "  {}", s.trim_end());
    };
    line(
        out,
        &header.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    for r in rows {
        line(out, r);
    }
}

pub fn status_word(k: &KpiReport) -> String {
    match k.status {
        Some(s) => match s.as_str() {
            "ok" => "ok".to_owned(),
            "warn" => "▲ warn".to_owned(),
            _ => "▲▲ ALERT".to_owned(),
        },
        None => "—".to_owned(),
    }
}

pub fn render(s: &Snapshot, tz: Tz) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "shiftdeck snapshot  window {} → {} ({})  now {}",
        local(s.window.from, tz),
        local(s.window.to, tz),
        tz.name(),
        local(s.now, tz)
    );
    let _ = writeln!(out, "\nKPIs");
    let rows: Vec<Vec<String>> = s
        .kpis
        .iter()
        .map(|k| {
            vec![
                k.key.key().to_owned(),
                format_kpi(k.key, k.value),
                format_kpi(k.key, k.target),
                format_gap(k.key, k.gap),
                status_word(k),
                format!("{}", k.n),
            ]
        })
        .collect();
    table(
        &mut out,
        &["kpi", "value", "target", "gap", "status", "n"],
        &rows,
    );

    let _ = writeln!(out, "\nQueues");
    let rows: Vec<Vec<String>> = s
        .queues
        .iter()
        .map(|q| {
            let a = q.agents.0;
            vec![
                clean(q.name.as_deref().unwrap_or(&q.id)),
                q.waiting.to_string(),
                format!("{:.0} s", q.longest_wait_s),
                format!("{}/{}/{}/{}", a[0], a[1], a[2], a[3]),
                q.offered.to_string(),
                format_kpi(KpiKey::ServiceLevel, q.service_level),
                format_kpi(KpiKey::AbandonRate, q.abandon_rate),
                format_kpi(KpiKey::ArtS, q.art_s),
                format_kpi(KpiKey::AhtS, q.aht_s),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "queue",
            "waiting",
            "longest",
            "avl/busy/wrap/brk",
            "offered",
            "SL",
            "abandon",
            "ART",
            "AHT",
        ],
        &rows,
    );

    let breached = s.sla.iter().filter(|t| t.breached).count();
    let _ = writeln!(
        out,
        "\nSLA timers: {} open, {} breached (most urgent first)",
        s.sla.len(),
        breached
    );
    let rows: Vec<Vec<String>> = s
        .sla
        .iter()
        .take(15)
        .map(|t| {
            vec![
                clean(&t.contact),
                t.priority.clone(),
                t.owes.replace('_', " "),
                local(t.due_at, tz),
                format!("{:+.0} s", t.remaining_s),
                if t.breached { "BREACHED" } else { "" }.to_owned(),
            ]
        })
        .collect();
    table(
        &mut out,
        &["contact", "priority", "owes", "due", "remaining", ""],
        &rows,
    );

    let overdue = s.feedback.iter().filter(|f| f.overdue).count();
    let _ = writeln!(
        out,
        "\nFeedback: {} items, {} overdue",
        s.feedback.len(),
        overdue
    );
    let mut by_stage: Vec<(String, usize)> = Vec::new();
    for f in &s.feedback {
        let st = f.stage.clone().unwrap_or_else(|| "(none)".to_owned());
        match by_stage.iter_mut().find(|(k, _)| *k == st) {
            Some((_, n)) => *n += 1,
            None => by_stage.push((st, 1)),
        }
    }
    let _ = writeln!(
        out,
        "  {}",
        by_stage
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    let rows: Vec<Vec<String>> = s
        .feedback
        .iter()
        .filter(|f| f.overdue)
        .take(10)
        .map(|f| {
            vec![
                clean(&f.id),
                f.stage.clone().unwrap_or_default(),
                clean(f.owner.as_deref().unwrap_or("—")),
                f.due_at.map(|t| local(t, tz)).unwrap_or_default(),
                "OVERDUE".to_owned(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        table(&mut out, &["item", "stage", "owner", "due", ""], &rows);
    }

    let sc = &s.spot_check;
    let _ = writeln!(
        out,
        "\nSpot checks {} (seed {}): {} random, {} targeted",
        sc.date,
        sc.seed,
        sc.random.len(),
        sc.targeted.len()
    );
    let rows: Vec<Vec<String>> = sc
        .random
        .iter()
        .map(|i| ("random", i))
        .chain(sc.targeted.iter().map(|i| ("targeted", i)))
        .take(30)
        .map(|(list, i)| {
            vec![
                clean(&i.contact),
                clean(&i.agent),
                list.to_owned(),
                i.flags.join(","),
            ]
        })
        .collect();
    table(&mut out, &["contact", "agent", "list", "flags"], &rows);
    out
}
