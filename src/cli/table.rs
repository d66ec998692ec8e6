//! `snapshot --format table`: the snapshot as plain text for a terminal or
//! an e-mail, aligned by display width (agent and queue names are often Chinese).

use std::fmt::Write;

use chrono_tz::Tz;
use unicode_width::UnicodeWidthStr;

use crate::domain::settings::KpiKey;
use crate::domain::snapshot::{KpiReport, Snapshot};
use crate::domain::time::Ts;
use crate::i18n::{self, Lang, Msg, t, tf};
use crate::ui::fmt;

/// A KPI value as the console writes it ([`crate::ui::fmt::kpi_value`]):
/// rates as `86.0%`, times as one duration (`4m18s`), NPS signed (`+32`).
/// Human tables and reports only; JSON and CSV keep the spec's raw numbers.
pub fn format_kpi(key: KpiKey, v: Option<f64>) -> String {
    fmt::kpi_value(key, v)
}

/// A gap as the console writes it: rates in points (`−2.0 pt`), times as a
/// signed duration (`+6s`), with a real minus sign.
pub fn format_gap(key: KpiKey, gap: Option<f64>) -> String {
    fmt::kpi_gap(key, gap)
}

/// A gap or a change in the KPI's unit, as [`format_gap`] (one duration
/// format: no second figure in minutes).
pub fn format_difference(key: KpiKey, d: Option<f64>) -> String {
    fmt::kpi_gap(key, d)
}

/// The KPI's name in human tables and reports, from the catalogue in both
/// languages ("Average handling time (AHT)", "平均处理时长 AHT"); the
/// machine formats keep the spec's keys.
pub fn kpi_label(lang: Lang, key: KpiKey) -> &'static str {
    i18n::kpi_long(lang, key)
}

/// A KPI's `n` as the console shows it: a count, or for occupancy (whose
/// `n` is staffed seconds) a duration.
pub fn n_text(key: KpiKey, n: f64) -> String {
    if key == KpiKey::Occupancy {
        fmt::dur(n)
    } else {
        format!("{n}")
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

/// Escape sequences, controls, bidi and zero-width characters never reach
/// the terminal, even from customer text: the console's one sanitizer.
pub(crate) fn clean(s: &str) -> String {
    crate::sanitize::sanitize(s)
}

/// The rows a table shows, cut to `max`; the cut is said by [`more`].
const SHOWN_SLA: usize = 15;
const SHOWN_OVERDUE: usize = 10;
const SHOWN_SPOT: usize = 30;

/// "… and N more" under a table that shows `shown` of `total` rows.
fn more(out: &mut String, lang: Lang, shown: usize, total: usize) {
    if total > shown {
        let _ = writeln!(out, "  {}", tf(lang, Msg::TblMore, &[&(total - shown)]));
    }
}

/// Render rows with the first column left-aligned and the rest right-aligned.
/// Every cell is sanitised here, whatever its origin, so widths are measured
/// on what the terminal shows.
pub(crate) fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clean(c)).collect())
        .collect();
    let rows = rows.as_slice();
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

/// A KPI's status as the console says it (`✓ ok`, `! warn`, `▲ ALERT`, `· n/a`).
pub fn status_word_in(lang: Lang, k: &KpiReport) -> String {
    i18n::status(lang, k.status).to_owned()
}

/// Contacts per agent-day over a window that has begun and is not over at
/// `now`: the share of the window's time gone by (0…1), as the console's
/// KPI pane shows it ("◔ 44%") instead of judging a part of a day against a
/// full day's target. `None` for other KPIs and finished windows.
pub fn in_progress(key: KpiKey, window: crate::domain::Window, now: Ts) -> Option<f64> {
    if key != KpiKey::ContactsPerAgentDay || now <= window.from || now >= window.to {
        return None;
    }
    Some((now.since(window.from) as f64 / window.to.since(window.from) as f64).clamp(0.0, 1.0))
}

/// An SLA timer's time left or over, as the console's SLA pane says it:
/// `23h58m left`, `‼12m03s over`.
pub fn remaining_in(lang: Lang, remaining_s: f64) -> String {
    if remaining_s < 0.0 {
        tf(lang, Msg::SlaOver, &[&fmt::dur(-remaining_s)])
    } else {
        tf(lang, Msg::SlaLeft, &[&fmt::dur(remaining_s)])
    }
}

/// An agent's display name from the snapshot's agents (their id when the
/// data gives no name).
fn agent_name<'a>(s: &'a Snapshot, id: &'a str) -> &'a str {
    s.agents
        .iter()
        .find(|a| a.id == id)
        .map_or(id, |a| a.display_name())
}

/// The snapshot as a table in the language. Data words (stages, flags,
/// priorities, what a timer owes) are translated; ids, names and times stay as written
/// (times ISO-like in both languages, so a pasted table sorts and greps).
pub fn render_in(s: &Snapshot, tz: Tz, lang: Lang) -> String {
    let h = |m: Msg| t(lang, m);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        tf(
            lang,
            Msg::TblTitle,
            &[
                &local(s.window.from, tz),
                &local(s.window.to, tz),
                &tz.name(),
                &local(s.now, tz)
            ]
        )
    );
    let _ = writeln!(out, "\n{}", h(Msg::PaneKpis));
    let rows: Vec<Vec<String>> = s
        .kpis
        .iter()
        .map(|k| {
            let status = match in_progress(k.key, s.window, s.now) {
                Some(share) => tf(lang, Msg::InProgress, &[&format!("{:.0}", share * 100.0)]),
                None => status_word_in(lang, k),
            };
            vec![
                kpi_label(lang, k.key).to_owned(),
                format_kpi(k.key, k.value),
                format_kpi(k.key, k.target),
                format_gap(k.key, k.gap),
                status,
                n_text(k.key, k.n),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            h(Msg::TblKpi),
            h(Msg::LblValue),
            h(Msg::LblTarget),
            h(Msg::LblGap),
            h(Msg::LblStatus),
            h(Msg::TblN),
        ],
        &rows,
    );

    let _ = writeln!(out, "\n{}", h(Msg::PaneQueues));
    let rows: Vec<Vec<String>> = s
        .queues
        .iter()
        .map(|q| {
            let a = q.agents.0;
            vec![
                clean(q.name.as_deref().unwrap_or(&q.id)),
                q.waiting.to_string(),
                fmt::dur(q.longest_wait_s),
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
            h(Msg::LblQueue),
            h(Msg::LblWaiting),
            h(Msg::TblLongest),
            // The console's column heading: one set of words for both.
            h(Msg::ColAgents),
            h(Msg::TblOffered),
            h(Msg::TblSl),
            h(Msg::TblAbandon),
            h(Msg::ColArt),
            h(Msg::ColAht),
        ],
        &rows,
    );

    let breached = s.sla.iter().filter(|t| t.breached).count();
    let _ = writeln!(
        out,
        "\n{}",
        tf(lang, Msg::TblSlaHead, &[&s.sla.len(), &breached])
    );
    let rows: Vec<Vec<String>> = s
        .sla
        .iter()
        .take(SHOWN_SLA)
        .map(|t| {
            vec![
                clean(&t.contact),
                i18n::feed_value(lang, &t.priority).to_string(),
                match (lang, t.owes) {
                    (Lang::Zh, "resolution") => h(Msg::OwesResolutionLong).to_owned(),
                    (Lang::Zh, "first_response") => h(Msg::OwesFirstLong).to_owned(),
                    _ => t.owes.replace('_', " "),
                },
                local(t.due_at, tz),
                remaining_in(lang, t.remaining_s),
                if t.breached { h(Msg::TblBreached) } else { "" }.to_owned(),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            h(Msg::TblContact),
            h(Msg::LblPriority),
            h(Msg::LblOwes),
            h(Msg::LblDue),
            h(Msg::LblRemaining),
            "",
        ],
        &rows,
    );
    more(&mut out, lang, rows.len(), s.sla.len());

    let overdue = s.feedback.iter().filter(|f| f.overdue).count();
    let _ = writeln!(
        out,
        "\n{}",
        tf(lang, Msg::TblFeedbackHead, &[&s.feedback.len(), &overdue])
    );
    let mut by_stage: Vec<(String, usize)> = Vec::new();
    for f in &s.feedback {
        let st = f.stage.as_deref().map_or_else(
            || h(Msg::TblNoStage).to_owned(),
            |st| i18n::stage(lang, st, false).to_owned(),
        );
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
            .map(|(k, n)| format!("{} {n}", clean(k)))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    let rows: Vec<Vec<String>> = s
        .feedback
        .iter()
        .filter(|f| f.overdue)
        .take(SHOWN_OVERDUE)
        .map(|f| {
            vec![
                clean(&f.id),
                f.stage
                    .as_deref()
                    .map(|st| i18n::stage(lang, st, false).to_owned())
                    .unwrap_or_default(),
                clean(f.owner.as_deref().map_or("—", |o| agent_name(s, o))),
                f.due_at.map(|t| local(t, tz)).unwrap_or_default(),
                h(Msg::TblOverdue).to_owned(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        table(
            &mut out,
            &[
                h(Msg::TblItem),
                h(Msg::LblStage),
                h(Msg::LblOwner),
                h(Msg::LblDue),
                "",
            ],
            &rows,
        );
        more(&mut out, lang, rows.len(), overdue);
    }

    let sc = &s.spot_check;
    let _ = writeln!(
        out,
        "\n{}",
        tf(
            lang,
            Msg::TblSpotHead,
            &[&sc.date, &sc.seed, &sc.random.len(), &sc.targeted.len()]
        )
    );
    let rows: Vec<Vec<String>> = sc
        .random
        .iter()
        .map(|i| (h(Msg::TblRandom), i))
        .chain(sc.targeted.iter().map(|i| (h(Msg::TblTargeted), i)))
        .take(SHOWN_SPOT)
        .map(|(list, i)| {
            vec![
                clean(&i.contact),
                clean(agent_name(s, &i.agent)),
                list.to_owned(),
                // The console's words; JSON keeps the data's flag names.
                i.flags
                    .iter()
                    .map(|f| i18n::flag(lang, f))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            h(Msg::TblContact),
            h(Msg::LblAgent),
            h(Msg::LblList),
            h(Msg::LblFlags),
        ],
        &rows,
    );
    more(
        &mut out,
        lang,
        rows.len(),
        sc.random.len() + sc.targeted.len(),
    );
    out
}

/// `--format` of the reports (weekly, agents, handover): Markdown for people, CSV for a spreadsheet.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Md,
    Csv,
}

/// One line of Markdown table text: no line breaks, `|` escaped, no control characters.
pub fn md_cell(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('|', "\\|")
}

/// An instant as a local minute in `tz` ("2026-11-16 08:00").
pub fn local_minute(t: crate::domain::Ts, tz: chrono_tz::Tz) -> String {
    t.to_utc()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Writes a report where `--out` says: the file, or standard output.
pub fn write_report(
    out: Option<&std::path::Path>,
    text: &str,
) -> Result<(), super::error::CliError> {
    use super::error::{CliError, Output};
    use std::io::Write as _;
    match out {
        Some(path) => std::fs::write(path, text.as_bytes())
            .map_err(CliError::write(Output::File(path.to_path_buf()))),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(CliError::write(Output::Report)),
    }
}
