//! `shiftdeck report weekly`: the weekly operations report. Per KPI: this
//! week's value, target, gap, status, last week's value and the change, and
//! the lead's cause and action notes for that KPI and week (from the store,
//! read-only). Markdown for people, CSV for spreadsheets.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use chrono_tz::Tz;
use clap::{Args, Subcommand};

use super::CliError;
pub use super::table::format_difference;
use super::table::{format_kpi, kpi_label, md_cell, n_text, status_word_in};
use crate::domain::calendar::{day_start, iso_week_label, local_date};
use crate::domain::coverage::{Coverage, coverage, per_day_with_data};
use crate::domain::kpi::compute;
use crate::domain::report::{kpi_reports, round_gap};
use crate::domain::snapshot::KpiValue;
use crate::domain::{Direction, Floor, KpiKey, KpiReport, KpiSet, Settings, Status, Ts, Window};
use crate::i18n::{Lang, Msg, t, tf};
use crate::store::{KpiNote, Store};

#[derive(Subcommand, Debug)]
pub enum ReportKind {
    /// The weekly operations report: KPIs against targets and last week, with the lead's notes.
    ///
    /// Give data covering the week and the week before it.
    Weekly(WeeklyArgs),
    /// One row per agent for a period: their figures, the lead's spot checks and flags.
    Agents(super::agents::AgentsArgs),
    /// The shift handover for the incoming lead: KPIs, alerts, open feedback, spot checks, staffing ahead, notes.
    Handover(super::handover::HandoverArgs),
}

#[derive(Args, Debug)]
pub struct WeeklyArgs {
    /// `--file`, `--now`, `--format`, `--out`: the same in every report.
    #[command(flatten)]
    pub io: super::report_io::ReportOutput,
    /// ISO week (2026-W47) or any date in it (2026-11-16). Default: the last
    /// complete week (Monday–Sunday) in the configured zone.
    #[arg(long, value_name = "W")]
    pub week: Option<String>,
}

pub use super::table::ReportFormat;

/// `--week`: "2026-W47" (ISO week) or a date; the Monday of that week.
pub fn parse_week(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(monday_of(d));
    }
    let parsed = s.split_once(['W', 'w']).and_then(|(y, w)| {
        Some((
            y.strip_suffix('-')?.parse::<i32>().ok()?,
            w.parse::<u32>().ok()?,
        ))
    });
    parsed
        .and_then(|(y, w)| NaiveDate::from_isoywd_opt(y, w, Weekday::Mon))
        .ok_or_else(|| {
            format!("--week {s:?}: expected an ISO week like 2026-W47 or a date like 2026-11-16")
        })
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The Monday of the last complete ISO week before `now`, in `tz`.
pub fn last_complete_week(now: Ts, tz: Tz) -> NaiveDate {
    monday_of(local_date(now, tz)) - Duration::days(7)
}

/// Monday 00:00 to the next Monday 00:00, local (a DST week is not 168 h).
pub fn week_window(monday: NaiveDate, tz: Tz) -> Window {
    Window {
        from: day_start(monday, tz),
        to: day_start(monday + Duration::days(7), tz),
    }
}

/// One KPI's line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct WeeklyRow {
    pub this_week: KpiReport,
    pub last_week: Option<f64>,
    /// This week − last week, in the KPI's unit; null when either is null.
    pub change: Option<f64>,
    pub note: Option<KpiNote>,
    /// This week's value is over part of the week only (the data covers
    /// fewer than its 7 days).
    pub partial: bool,
    /// The change compares a partial week (this one, the last or both).
    pub change_partial: bool,
}

impl WeeklyRow {
    /// The lead's cause and action for this KPI, each through `cell`; empty
    /// without a note.
    fn cause_action(&self, cell: impl Fn(&str) -> String) -> (String, String) {
        self.note
            .as_ref()
            .map_or((String::new(), String::new()), |n| {
                (cell(&n.cause), cell(&n.action))
            })
    }

    pub fn key(&self) -> KpiKey {
        self.this_week.key
    }

    /// "better" / "worse" / "same" by the KPI's direction; `None` without a
    /// change or a target direction.
    pub fn trend(&self) -> Option<&'static str> {
        let change = self.change?;
        let dir = self.this_week.direction?;
        Some(if change == 0.0 {
            "same"
        } else if (change > 0.0) == (dir == Direction::Higher) {
            "better"
        } else {
            "worse"
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct WeeklyReport {
    /// "2026-W47".
    pub week: String,
    pub monday: NaiveDate,
    pub previous_week: String,
    pub window: Window,
    /// One per KPI, in `KpiKey::ALL` order.
    pub rows: Vec<WeeklyRow>,
    /// The days of this week and of the week before that the data covers.
    pub coverage: Coverage,
    pub previous_coverage: Coverage,
    /// The week is still running on this local day (`now` is in it): the
    /// day is left out of contacts per agent-day.
    pub running_day: Option<NaiveDate>,
}

/// The KPIs of a week, with contacts per agent-day per day with data when
/// the data holds only some of its days: the spec's figure divides by the
/// week's 7 days, so 2 days of data would read as 2/7 of the work. Every
/// other KPI is a ratio or a mean and is the same over the days with data
/// as over the week.
///
/// A week still running at `now` counts contacts per agent-day over its
/// complete days only: today's contacts so far over a whole day would read
/// low (and the share of the clock gone by is not the share of the day's
/// work, which comes mostly in opening hours), so today is left out of both
/// the contacts and the days. The other KPIs include today so far.
fn week_kpis(
    floor: &Floor,
    settings: &Settings,
    window: Window,
    cov: &Coverage,
    now: Ts,
) -> KpiSet {
    let mut set = compute(floor, settings, window, now);
    let key = KpiKey::ContactsPerAgentDay;
    let tz = settings.timezone;
    if let Some(today) = running_day(window, now, tz) {
        let done = Window {
            from: window.from,
            to: day_start(today, tz),
        };
        let days = cov.with_data.iter().filter(|d| **d < today).count();
        let kv = compute(floor, settings, done, now).get(key);
        set.0[key.index()] = KpiValue {
            value: kv.value.and_then(|v| {
                per_day_with_data(v, kv.n, done.days(), u32::try_from(days).unwrap_or(0))
            }),
            n: kv.n,
        };
    } else if cov.is_partial() {
        let kv = &mut set.0[key.index()];
        kv.value = kv
            .value
            .and_then(|v| per_day_with_data(v, kv.n, window.days(), cov.count()));
    }
    set
}

/// The local day `now` is in when `window` has begun and is not over (a
/// running week), else `None`.
fn running_day(window: Window, now: Ts, tz: Tz) -> Option<NaiveDate> {
    window.contains(now).then(|| local_date(now, tz))
}

/// The report for the week starting `monday`. `now` clips occupancy only, so
/// a week still running shows occupancy up to now.
pub fn build(
    floor: &Floor,
    settings: &Settings,
    monday: NaiveDate,
    now: Ts,
    notes: &[KpiNote],
) -> WeeklyReport {
    let tz = settings.timezone;
    let window = week_window(monday, tz);
    let prev_monday = monday - Duration::days(7);
    let prev_window = week_window(prev_monday, tz);
    let cov = coverage(floor, window, monday, 7, tz);
    let prev_cov = coverage(floor, prev_window, prev_monday, 7, tz);
    let today = running_day(window, now, tz);
    let this = kpi_reports(&week_kpis(floor, settings, window, &cov, now), settings);
    let prev = week_kpis(floor, settings, prev_window, &prev_cov, now);
    let by_key: HashMap<&str, &KpiNote> = notes.iter().map(|n| (n.kpi.as_str(), n)).collect();
    let rows = this
        .into_iter()
        .map(|k| {
            let last_week = prev.get(k.key).value;
            WeeklyRow {
                change: k.value.zip(last_week).map(|(a, b)| round_gap(a - b)),
                last_week,
                note: by_key.get(k.key.key()).map(|n| (*n).clone()),
                partial: cov.is_partial(),
                change_partial: cov.is_partial() || prev_cov.is_partial(),
                this_week: k,
            }
        })
        .collect();
    WeeklyReport {
        week: iso_week_label(monday),
        monday,
        previous_week: iso_week_label(prev_monday),
        window,
        rows,
        coverage: cov,
        previous_coverage: prev_cov,
        running_day: today,
    }
}

fn change_text(lang: Lang, r: &WeeklyRow) -> String {
    let mut text = format_difference(r.key(), r.change);
    match r.trend() {
        Some("better") => text = format!("{text} {}", t(lang, Msg::RptBetter)),
        Some("worse") => text = format!("{text} {}", t(lang, Msg::RptWorse)),
        _ => {}
    }
    if r.change.is_some() && r.change_partial {
        // "(partial)" after a space; the full-width "（部分）" needs none.
        let sep = if lang == Lang::Zh { "" } else { " " };
        text = format!("{text}{sep}{}", t(lang, Msg::RptPartialChange));
    }
    text
}

/// The status as the console says it; over a partial week with the days
/// it stands on (`! warn · partial 2/7 d`).
fn status_text(lang: Lang, r: &WeeklyReport, row: &WeeklyRow) -> String {
    let word = status_word_in(lang, &row.this_week);
    if row.partial && row.this_week.status.is_some() {
        let c = &r.coverage;
        format!(
            "{word} · {}",
            tf(lang, Msg::RptPartialDays, &[&c.count(), &c.days])
        )
    } else {
        word
    }
}

/// The lines that say how much of each week the data covers: nothing for
/// two complete weeks.
fn coverage_lines(lang: Lang, r: &WeeklyReport) -> Vec<String> {
    let mut lines = Vec::new();
    let c = &r.coverage;
    if c.count() == 0 {
        lines.push(t(lang, Msg::RptNoData).to_owned());
    } else if c.is_partial() {
        lines.push(tf(
            lang,
            Msg::RptPartial,
            &[&c.count(), &c.days, &weekdays(lang, c)],
        ));
    }
    if let Some(today) = r.running_day {
        let complete = c.with_data.iter().filter(|d| **d < today).count();
        lines.push(tf(
            lang,
            Msg::RptRunningDay,
            &[
                &crate::ui::fmt::weekday(lang, today.weekday()),
                &today,
                &complete,
            ],
        ));
    }
    let p = &r.previous_coverage;
    if p.count() == 0 {
        lines.push(tf(lang, Msg::RptPrevNoData, &[&r.previous_week]));
    } else if p.is_partial() {
        lines.push(tf(
            lang,
            Msg::RptPrevPartial,
            &[&r.previous_week, &p.count(), &p.days, &weekdays(lang, p)],
        ));
    }
    lines
}

/// The days with data by weekday, in the language: `Sat, Sun` / `周六、周日`.
fn weekdays(lang: Lang, c: &Coverage) -> String {
    let sep = match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    };
    c.with_data
        .iter()
        .map(|d| crate::ui::fmt::weekday(lang, d.weekday()))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The weekly report as Markdown, with headings and words in the
/// language; numbers and units are the same in both.
pub fn markdown_in(lang: Lang, r: &WeeklyReport) -> String {
    let mut out = String::new();
    let sunday = r.monday + Duration::days(6);
    let _ = writeln!(
        out,
        "{}",
        tf(lang, Msg::RptTitle, &[&r.week, &r.monday, &sunday])
    );
    let _ = writeln!(
        out,
        "{}",
        tf(lang, Msg::RptIntro, &[&r.monday, &sunday, &r.previous_week])
    );
    for line in coverage_lines(lang, r) {
        let _ = writeln!(out, "{line}\n");
    }
    let _ = writeln!(out, "{}", t(lang, Msg::RptHeader));
    let _ = writeln!(out, "|---|---:|---:|---:|---|---:|---:|---:|---|---|");
    for row in &r.rows {
        let k = &row.this_week;
        let (cause, action) = row.cause_action(md_cell);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            kpi_label(lang, k.key),
            format_kpi(k.key, k.value),
            format_kpi(k.key, k.target),
            format_difference(k.key, k.gap),
            status_text(lang, r, row),
            format_kpi(k.key, row.last_week),
            change_text(lang, row),
            n_text(k.key, k.n),
            cause,
            action
        );
    }
    let attention: Vec<&WeeklyRow> = r
        .rows
        .iter()
        .filter(|row| matches!(row.this_week.status, Some(Status::Warn | Status::Alert)))
        .collect();
    let _ = writeln!(out, "{}", t(lang, Msg::RptAttention));
    if attention.is_empty() {
        let _ = writeln!(out, "{}", t(lang, Msg::RptAllMet));
    }
    for row in attention {
        let k = &row.this_week;
        let _ = writeln!(
            out,
            "{}",
            tf(
                lang,
                Msg::RptItem,
                &[
                    &kpi_label(lang, k.key),
                    &status_text(lang, r, row),
                    &format_kpi(k.key, k.value),
                    &format_kpi(k.key, k.target),
                    &format_difference(k.key, k.gap),
                ]
            )
        );
        match &row.note {
            Some(n) => {
                let _ = writeln!(out, "{}", tf(lang, Msg::RptCause, &[&md_cell(&n.cause)]));
                let _ = writeln!(out, "{}", tf(lang, Msg::RptAction, &[&md_cell(&n.action)]));
            }
            None => {
                let _ = writeln!(out, "{}", t(lang, Msg::RptNoNote));
            }
        }
    }
    out
}

/// A number as the snapshot gives it (rates 0–1, seconds); empty when null.
fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// CSV, RFC 4180 (CRLF): one row per KPI, numbers in the snapshot's units
/// (rates as fractions, times in seconds) so spreadsheets can compute.
/// Headers, KPI names and statuses in the language (English: the snapshot's
/// keys); Chinese starts with a byte-order mark for spreadsheet programs.
pub fn csv(r: &WeeklyReport, lang: Lang) -> String {
    let mut out = super::export::csv_start(lang);
    let mut line = |fields: &[String]| out.push_str(&super::export::csv_line(fields));
    line(
        &[
            Msg::CsvWeek,
            Msg::CsvKpi,
            Msg::CsvValue,
            Msg::CsvTarget,
            Msg::CsvGap,
            Msg::CsvStatus,
            Msg::CsvLastWeek,
            Msg::CsvWeekChange,
            Msg::CsvN,
            Msg::CsvCause,
            Msg::CsvAction,
            Msg::CsvDaysWithData,
            Msg::CsvLastWeekDays,
        ]
        .map(|m| t(lang, m).to_string()),
    );
    for row in &r.rows {
        let k = &row.this_week;
        let (cause, action) = row.cause_action(str::to_owned);
        let kpi = match lang {
            Lang::En => k.key.key(),
            Lang::Zh => crate::i18n::kpi_long(lang, k.key),
        };
        let status = k.status.map(|s| match s {
            crate::domain::Status::Ok => Msg::CsvOk,
            crate::domain::Status::Warn => Msg::CsvWarn,
            crate::domain::Status::Alert => Msg::CsvAlert,
        });
        line(&[
            r.week.clone(),
            kpi.to_string(),
            number(k.value),
            number(k.target),
            number(k.gap),
            status.map(|m| t(lang, m).to_string()).unwrap_or_default(),
            number(row.last_week),
            number(row.change),
            k.n.to_string(),
            cause,
            action,
            r.coverage.count().to_string(),
            r.previous_coverage.count().to_string(),
        ]);
    }
    out
}

/// `shiftdeck report …`.
pub fn run(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    crm: Option<&str>,
    lang: Option<crate::config::Lang>,
    kind: ReportKind,
) -> Result<(), CliError> {
    let args = match kind {
        ReportKind::Weekly(args) => args,
        ReportKind::Agents(args) => {
            return super::agents::run(config_path, data_dir, crm, lang, args);
        }
        ReportKind::Handover(args) => {
            return super::handover::run(config_path, data_dir, crm, lang, args);
        }
    };
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let settings = &loaded.settings;
    let tz = settings.timezone;
    let now = args.io.now(tz)?;
    let monday = match &args.week {
        Some(w) => parse_week(w).map_err(|_| CliError::Week(w.clone()))?,
        None => last_complete_week(now, tz),
    };
    let opened = args.io.open(config_path, data_dir, crm, lang, &loaded)?;
    let notes = read_notes(opened.store.as_ref(), &iso_week_label(monday))?;
    let report = build(&opened.floor, settings, monday, now, &notes);
    args.io.write(
        lang,
        &opened.source,
        || markdown_in(lang, &report),
        // Headers and words in the language; English is the machine form.
        || csv(&report, lang),
    )
}

fn read_notes(store: Option<&Store>, week: &str) -> Result<Vec<KpiNote>, CliError> {
    match store {
        Some(s) => s.kpi_notes(week).map_err(|err| CliError::Notes {
            week: week.to_owned(),
            err,
        }),
        None => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn weeks_parse_as_iso_weeks_or_dates() {
        assert_eq!(parse_week("2026-W47"), Ok(date(2026, 11, 16)));
        assert_eq!(parse_week("2026-11-22"), Ok(date(2026, 11, 16)));
        assert_eq!(parse_week("2026-11-16"), Ok(date(2026, 11, 16)));
        // ISO week 1 of 2026 starts on Monday 2025-12-29.
        assert_eq!(parse_week("2026-W01"), Ok(date(2025, 12, 29)));
        assert!(parse_week("2026-W54").is_err());
        assert!(parse_week("2026W47").is_err());
        assert!(parse_week("last week").is_err());
    }

    #[test]
    fn default_week_is_the_last_complete_one() {
        let at = |s: &str| crate::domain::time::parse_rfc3339(s).expect("ts");
        // Sunday evening: this week is not over, so the week before.
        assert_eq!(
            last_complete_week(at("2026-11-22T23:00:00Z"), Tz::UTC),
            date(2026, 11, 9)
        );
        assert_eq!(
            last_complete_week(at("2026-11-23T00:00:00Z"), Tz::UTC),
            date(2026, 11, 16)
        );
        // 2026-11-22T17:00Z is already Monday 01:00 in Shanghai.
        assert_eq!(
            last_complete_week(at("2026-11-22T17:00:00Z"), Tz::Asia__Shanghai),
            date(2026, 11, 16)
        );
    }

    #[test]
    fn differences_keep_the_kpi_unit() {
        assert_eq!(format_difference(KpiKey::AhtS, Some(6.0)), "+6s");
        assert_eq!(format_difference(KpiKey::ArtS, Some(1898.1)), "+31m38s");
        assert_eq!(format_difference(KpiKey::Fcr, Some(-0.02)), "−2.0 pt");
        assert_eq!(
            format_difference(KpiKey::ContactsPerAgentDay, Some(-5.0)),
            "−5.0"
        );
        assert_eq!(format_difference(KpiKey::ArtS, None), "—");
    }

    #[test]
    fn markdown_cells_stay_on_one_line() {
        assert_eq!(md_cell("a|b\nc\u{7}"), "a\\|b c");
    }
}
