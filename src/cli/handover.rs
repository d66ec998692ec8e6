//! `shiftdeck report handover`: what the incoming lead needs from the
//! outgoing one, in the lead's language. For one shift (a window): the KPIs
//! against target (gap, status), the alerts that fired, the open feedback
//! (overdue first) with owners and due dates, the day's spot checks done
//! and left, staffing ahead (the next short interval and needed against
//! staffed for the rest of the day), and the lead's KPI notes of the week.
//! The lead's entries come from the store, read-only, for the floor's
//! source only. No customer identifiers: feedback by item id, spot checks
//! as counts.
//!
//! The shift: `--shift HH:MM-HH:MM` (local, the shift holding `--now` or
//! the last one begun by then; one ending at or before its start ends the
//! next day), or `--from/--to` as the other reports take them; default the
//! local day of `--now`.

use std::fmt::Write as _;
use std::path::Path;

use chrono_tz::Tz;
use clap::Args;

use super::error::CliError;
use super::report_io::ReportOutput;
use super::table::{format_difference, format_kpi, local_minute, md_cell, status_word_in};
pub use crate::domain::handover::{
    HandoverAck, HandoverReport, SpotProgress, StaffingAhead, StoreEntries, build, open_feedback,
    parse_shift, shift_window, staffing_ahead,
};
use crate::domain::snapshot::{FeedbackReport, Severity};
use crate::domain::{KpiKey, Ts, Window};
use crate::i18n::{Lang, Msg, t, tf};
use crate::store::Store;
use crate::store::handover::EntriesPart;

/// `report handover`.
#[derive(Args, Debug)]
pub struct HandoverArgs {
    /// `--file`, `--now`, `--format`, `--out`: the same in every report.
    #[command(flatten)]
    pub io: ReportOutput,
    /// The shift, local time: HH:MM-HH:MM (e.g. 08:00-16:00; 22:00-06:00
    /// ends the next day). The one holding --now, else the last one begun
    /// by then. Default: the local day of --now.
    #[arg(long, value_name = "HH:MM-HH:MM", conflicts_with_all = ["from", "to"])]
    pub shift: Option<String>,
    /// Window start instead of --shift: RFC 3339 with offset, or a date (local midnight).
    #[arg(long, value_name = "T")]
    pub from: Option<String>,
    /// Window end (exclusive): RFC 3339, or a date (the window then includes that date).
    #[arg(long, value_name = "T")]
    pub to: Option<String>,
}

fn kpi_name(lang: Lang, key: KpiKey) -> &'static str {
    match lang {
        Lang::En => key.key(),
        Lang::Zh => crate::i18n::kpi_long(lang, key),
    }
}

fn kpi_name_of(lang: Lang, key: &str) -> String {
    KpiKey::ALL
        .iter()
        .find(|k| k.key() == key)
        .map_or_else(|| key.to_owned(), |k| kpi_name(lang, *k).to_owned())
}

/// A stored KPI key as the human tables name it; an unknown key as stored.
fn kpi_label_of(lang: Lang, key: &str) -> String {
    KpiKey::ALL.iter().find(|k| k.key() == key).map_or_else(
        || key.to_owned(),
        |k| super::table::kpi_label(lang, *k).to_owned(),
    )
}

fn severity_word(lang: Lang, s: &str) -> String {
    Severity::ALL.iter().find(|v| v.as_str() == s).map_or_else(
        || s.to_owned(),
        |v| crate::i18n::alerts::severity(lang, *v).to_owned(),
    )
}

fn stage_word(lang: Lang, f: &FeedbackReport) -> String {
    f.stage.as_deref().map_or_else(
        || t(lang, Msg::TblNoStage).to_owned(),
        |s| crate::i18n::stage(lang, s, false).to_owned(),
    )
}

/// The handover as Markdown in the language.
pub fn markdown_in(lang: Lang, tz: Tz, r: &HandoverReport) -> String {
    let mut out = String::new();
    let w = |out: &mut String, s: String| {
        let _ = writeln!(out, "{s}");
    };
    w(
        &mut out,
        tf(
            lang,
            Msg::HoTitle,
            &[
                &local_minute(r.window.from, tz),
                &local_minute(r.window.to, tz),
                &tz.name(),
            ],
        ),
    );
    w(
        &mut out,
        tf(lang, Msg::HoIntro, &[&local_minute(r.now, tz)]),
    );
    w(
        &mut out,
        match &r.ack {
            Some(a) => tf(
                lang,
                Msg::HoAckedLine,
                &[&md_cell(&a.who), &local_minute(a.at, tz)],
            ),
            None => t(lang, Msg::HoNotAckedLine).to_owned(),
        },
    );

    w(&mut out, t(lang, Msg::HoKpiHead).to_owned());
    w(&mut out, t(lang, Msg::HoKpiHeader).to_owned());
    w(&mut out, "|---|---:|---:|---:|---|---:|".to_owned());
    for k in &r.kpis {
        w(
            &mut out,
            format!(
                "| {} | {} | {} | {} | {} | {} |",
                super::table::kpi_label(lang, k.key),
                format_kpi(k.key, k.value),
                format_kpi(k.key, k.target),
                format_difference(k.key, k.gap),
                // Contacts per agent-day of a shift not over yet: in
                // progress with the share gone by, as the console says it.
                match super::table::in_progress(k.key, r.window, r.now) {
                    Some(share) => tf(lang, Msg::InProgress, &[&format!("{:.0}", share * 100.0)]),
                    None => status_word_in(lang, k),
                },
                super::table::n_text(k.key, k.n)
            ),
        );
    }

    w(&mut out, t(lang, Msg::HoAlertsHead).to_owned());
    if r.alerts.is_empty() {
        w(&mut out, t(lang, Msg::HoAlertsNone).to_owned());
    } else {
        w(&mut out, t(lang, Msg::HoAlertsHeader).to_owned());
        w(&mut out, "|---|---|---|---|---|---|".to_owned());
        for a in &r.alerts {
            let cleared = a.cleared_at.map_or_else(
                || t(lang, Msg::HoStillOpen).to_owned(),
                |c| local_minute(c, tz),
            );
            let ack = a.ack.as_ref().map_or_else(
                || t(lang, Msg::HoNotAcked).to_owned(),
                |k| {
                    tf(
                        lang,
                        Msg::HoAckBy,
                        &[&md_cell(&k.who), &local_minute(k.at, tz)],
                    )
                },
            );
            w(
                &mut out,
                format!(
                    "| {} | {} | {} | {} | {} | {} |",
                    md_cell(&a.alert_id),
                    severity_word(lang, &a.severity),
                    local_minute(a.fired_at, tz),
                    cleared,
                    ack,
                    md_cell(&a.message)
                ),
            );
        }
    }

    let overdue = r.feedback.iter().filter(|f| f.overdue).count();
    w(
        &mut out,
        tf(lang, Msg::HoFeedbackHead, &[&r.feedback.len(), &overdue]),
    );
    if r.feedback.is_empty() {
        w(&mut out, t(lang, Msg::HoFeedbackNone).to_owned());
    } else {
        w(&mut out, t(lang, Msg::HoFeedbackHeader).to_owned());
        w(&mut out, "|---|---|---|---|---|".to_owned());
        for f in &r.feedback {
            w(
                &mut out,
                format!(
                    "| {} | {} | {} | {} | {} |",
                    md_cell(&f.id),
                    stage_word(lang, f),
                    f.owner
                        .as_deref()
                        .map_or_else(|| t(lang, Msg::HoNoOwner).to_owned(), md_cell),
                    f.due_at.map(|d| local_minute(d, tz)).unwrap_or_default(),
                    if f.overdue {
                        t(lang, Msg::TblOverdue)
                    } else {
                        ""
                    }
                ),
            );
        }
    }

    let s = &r.spot;
    w(&mut out, t(lang, Msg::HoSpotHead).to_owned());
    w(
        &mut out,
        tf(
            lang,
            Msg::HoSpotText,
            &[
                &s.day,
                &s.scored,
                &s.left,
                &s.sampled,
                &s.random,
                &s.targeted,
            ],
        ),
    );

    w(&mut out, t(lang, Msg::HoStaffHead).to_owned());
    if r.staffing.is_empty() {
        w(&mut out, t(lang, Msg::HoStaffNone).to_owned());
    } else {
        w(&mut out, t(lang, Msg::HoStaffHeader).to_owned());
        w(&mut out, "|---|---:|---:|---|---:|---:|---:|".to_owned());
        for q in &r.staffing {
            let (next, by) = q.next_short.map_or_else(
                || (t(lang, Msg::HoNoShort).to_owned(), String::new()),
                |(at, n)| (local_minute(at, tz), n.to_string()),
            );
            w(
                &mut out,
                format!(
                    "| {} | {} | {} | {} | {} | {}/{} | {} |",
                    md_cell(&q.queue),
                    q.needed_now.map_or("—".to_owned(), |n| n.to_string()),
                    q.staffed_now,
                    next,
                    by,
                    q.short_intervals,
                    q.intervals,
                    q.most_short
                ),
            );
        }
    }

    w(&mut out, tf(lang, Msg::HoNotesHead, &[&r.week]));
    if r.notes.is_empty() {
        w(&mut out, t(lang, Msg::HoNotesNone).to_owned());
    }
    for n in &r.notes {
        w(
            &mut out,
            tf(
                lang,
                Msg::HoNote,
                &[
                    &kpi_label_of(lang, &n.kpi),
                    &md_cell(&n.cause),
                    &md_cell(&n.action),
                    &md_cell(&n.author),
                    &local_minute(n.saved_at, tz),
                ],
            ),
        );
    }
    out
}

fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// CSV (RFC 4180, CRLF), one row per entry of every section: `section`
/// (kpi, alert, feedback, spot_check, staffing, note), `item`, then
/// columns whose meaning follows the section (see docs/handover.md).
/// Numbers in the snapshot's units, times RFC 3339 UTC; headers and words in
/// the language (English: machine keys); Chinese starts with a BOM.
pub fn csv(lang: Lang, r: &HandoverReport) -> String {
    let mut out = super::export::csv_start(lang);
    let mut line = |fields: &[String]| out.push_str(&super::export::csv_line(fields));
    line(
        &[
            Msg::HoCsvSection,
            Msg::HoCsvItem,
            Msg::CsvValue,
            Msg::CsvTarget,
            Msg::CsvGap,
            Msg::CsvStatus,
            Msg::HoCsvWho,
            Msg::HoCsvAt,
            Msg::HoCsvUntil,
            Msg::HoCsvDetail,
        ]
        .map(|m| t(lang, m).to_string()),
    );
    let time = |t: Option<Ts>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    let sec = |m: Msg, en: &str| match lang {
        Lang::En => en.to_owned(),
        Lang::Zh => t(lang, m).to_owned(),
    };
    if let Some(a) = &r.ack {
        line(&[
            sec(Msg::HoSecAck, "acknowledged"),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            a.who.clone(),
            time(Some(a.at)),
            String::new(),
            String::new(),
        ]);
    }
    for k in &r.kpis {
        let status = k.status.map(|s| match s {
            crate::domain::Status::Ok => Msg::CsvOk,
            crate::domain::Status::Warn => Msg::CsvWarn,
            crate::domain::Status::Alert => Msg::CsvAlert,
        });
        line(&[
            sec(Msg::HoSecKpi, "kpi"),
            kpi_name(lang, k.key).to_owned(),
            number(k.value),
            number(k.target),
            number(k.gap),
            status.map(|m| t(lang, m).to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
            k.n.to_string(),
        ]);
    }
    for a in &r.alerts {
        line(&[
            sec(Msg::HoSecAlert, "alert"),
            a.alert_id.clone(),
            String::new(),
            String::new(),
            String::new(),
            match lang {
                Lang::En => a.severity.clone(),
                Lang::Zh => severity_word(lang, &a.severity),
            },
            a.ack.as_ref().map(|k| k.who.clone()).unwrap_or_default(),
            time(Some(a.fired_at)),
            time(a.cleared_at),
            a.message.clone(),
        ]);
    }
    for f in &r.feedback {
        line(&[
            sec(Msg::HoSecFeedback, "feedback"),
            f.id.clone(),
            String::new(),
            String::new(),
            String::new(),
            match lang {
                Lang::En => f.stage.clone().unwrap_or_default(),
                Lang::Zh => stage_word(lang, f),
            },
            f.owner.clone().unwrap_or_default(),
            String::new(),
            time(f.due_at),
            if f.overdue {
                sec(Msg::HoCsvOverdue, "overdue")
            } else {
                String::new()
            },
        ]);
    }
    let s = &r.spot;
    line(&[
        sec(Msg::HoSecSpot, "spot_check"),
        s.day.to_string(),
        s.scored.to_string(),
        s.sampled.to_string(),
        s.left.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    for q in &r.staffing {
        line(&[
            sec(Msg::HoSecStaffing, "staffing"),
            q.queue.clone(),
            q.staffed_now.to_string(),
            q.needed_now.map(|n| n.to_string()).unwrap_or_default(),
            q.next_short.map(|(_, n)| n.to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            time(q.next_short.map(|(at, _)| at)),
            String::new(),
            format!("{}/{}", q.short_intervals, q.intervals),
        ]);
    }
    for n in &r.notes {
        line(&[
            sec(Msg::HoSecNote, "note"),
            match lang {
                Lang::En => n.kpi.clone(),
                Lang::Zh => kpi_name_of(lang, &n.kpi),
            },
            n.cause.clone(),
            String::new(),
            String::new(),
            String::new(),
            n.author.clone(),
            time(Some(n.saved_at)),
            String::new(),
            n.action.clone(),
        ]);
    }
    out
}

/// What the store holds for the handover of `window` at `now`
/// (`store::handover::read_entries`), each failure with what was read.
pub fn read_entries(
    store: Option<&Store>,
    window: Window,
    now: Ts,
    tz: Tz,
) -> Result<StoreEntries, CliError> {
    let Some(store) = store else {
        return Ok(StoreEntries::default());
    };
    crate::store::handover::read_entries(store, window, now, tz).map_err(|(part, err)| match part {
        EntriesPart::Scores => CliError::Scores(err),
        EntriesPart::Notes(week) => CliError::Notes { week, err },
        EntriesPart::Alerts | EntriesPart::Followups | EntriesPart::Ack => CliError::Store(err),
    })
}

/// `shiftdeck report handover`.
pub fn run(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    crm: Option<&str>,
    lang: Option<crate::config::Lang>,
    args: HandoverArgs,
) -> Result<(), CliError> {
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let settings = &loaded.settings;
    let tz = settings.timezone;
    let now = args.io.now(tz)?;
    let window = match &args.shift {
        Some(s) => {
            let (start, end) = parse_shift(s).ok_or_else(|| CliError::Shift(s.clone()))?;
            shift_window(start, end, now, tz)
        }
        None => super::window::resolve(args.from.as_deref(), args.to.as_deref(), now, tz)?,
    };
    let opened = args.io.open(config_path, data_dir, crm, lang, &loaded)?;
    let entries = read_entries(opened.store.as_ref(), window, now, tz)?;
    let report = build(
        &opened.floor,
        settings,
        &loaded.extra.feedback,
        window,
        now,
        entries,
    );
    args.io.write(
        lang,
        &opened.source,
        || markdown_in(lang, tz, &report),
        || csv(lang, &report),
    )
}
