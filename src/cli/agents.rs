//! The agents in the one-shot commands (spec section 8): the snapshot
//! table's agents section and `shiftdeck report agents`, the coaching list
//! a lead hands the team manager. The lead's scores come from the store,
//! read-only.

use std::fmt::Write as _;
use std::path::Path;

use clap::Args;

use super::error::CliError;
use super::report_io::ReportOutput;
use super::table::{format_kpi, local_minute, md_cell};
use crate::domain::agents::{AgentFlag, AgentReport};
use crate::domain::{KpiKey, QueueReport, Settings, Window};
use crate::i18n::{Lang, Msg, t, tf};

/// `report agents`.
#[derive(Args, Debug)]
pub struct AgentsArgs {
    /// `--file`, `--now`, `--format`, `--out`: the same in every report.
    #[command(flatten)]
    pub io: ReportOutput,
    /// Window start: RFC 3339 with offset, or a date (local midnight). Default: today.
    #[arg(long, value_name = "T")]
    pub from: Option<String>,
    /// Window end (exclusive): RFC 3339, or a date (the window then includes that date).
    #[arg(long, value_name = "T")]
    pub to: Option<String>,
}

/// A flag as the lead reads it.
pub fn flag_word(lang: Lang, f: AgentFlag) -> &'static str {
    crate::i18n::agent_flag(lang, f)
}

/// An agent state in the language; a state the spec does not know stays as given.
pub fn state_word(lang: Lang, state: &str) -> &str {
    crate::i18n::agent_state(lang, state)
}

/// The flags joined for a table cell, in the console's words ("AHT high").
fn flags_text(lang: Lang, a: &AgentReport, sep: &str) -> String {
    a.flags
        .iter()
        .map(|f| flag_word(lang, *f))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The flags for a CSV cell: English keeps the snapshot's names (scripts
/// grep them), Chinese says them.
fn flags_csv(lang: Lang, a: &AgentReport) -> String {
    a.flags
        .iter()
        .map(|f| match lang {
            Lang::En => f.key(),
            Lang::Zh => flag_word(lang, *f),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Flagged agents first, then by team, name and id.
pub fn coaching_order(agents: &[AgentReport]) -> Vec<&AgentReport> {
    let mut v: Vec<&AgentReport> = agents.iter().collect();
    v.sort_by(|a, b| {
        (a.flags.is_empty(), &a.team, a.display_name(), &a.id).cmp(&(
            b.flags.is_empty(),
            &b.team,
            b.display_name(),
            &b.id,
        ))
    });
    v
}

/// Time in a state as the console writes a duration ("25m03s", "1h02m").
pub fn duration(secs: f64) -> String {
    crate::ui::fmt::dur(secs.max(0.0))
}

fn qa_avg(a: &AgentReport) -> String {
    a.qa.avg.map_or("—".into(), |v| format!("{v:.1}"))
}

/// The snapshot table's agents section in the language; `queues` give
/// the queues' display names.
pub fn table_in(lang: Lang, agents: &[AgentReport], queues: &[QueueReport]) -> String {
    let queue_name = |id: &str| -> String {
        let q = queues.iter().find(|q| q.id == id);
        super::table::clean(q.and_then(|q| q.name.as_deref()).unwrap_or(id))
    };
    let h = |m: Msg| t(lang, m);
    let flagged = agents.iter().filter(|a| !a.flags.is_empty()).count();
    let mut out = format!(
        "\n{}\n",
        tf(lang, Msg::AgTblHead, &[&agents.len(), &flagged])
    );
    let rows: Vec<Vec<String>> = coaching_order(agents)
        .into_iter()
        .map(|a| {
            let f = &a.figures;
            vec![
                super::table::clean(a.display_name()),
                super::table::clean(&a.id),
                super::table::clean(a.team.as_deref().unwrap_or("")),
                state_word(lang, &a.state).to_string(),
                a.in_state_s.map(duration).unwrap_or_default(),
                a.queue.as_deref().map(queue_name).unwrap_or_default(),
                f.handled.to_string(),
                format_kpi(KpiKey::AhtS, f.aht_s.value),
                format_kpi(KpiKey::Fcr, f.fcr.value),
                format_kpi(KpiKey::TransferRate, f.transfer_rate.value),
                format_kpi(KpiKey::Csat, f.csat.value),
                qa_avg(a),
                a.qa.spot_left_today.to_string(),
                flags_text(lang, a, ","),
            ]
        })
        .collect();
    super::table::table(
        &mut out,
        &[
            h(Msg::LblAgent),
            h(Msg::AgColId),
            h(Msg::AgColTeam),
            h(Msg::AgColState),
            h(Msg::AgColInState),
            h(Msg::LblQueue),
            h(Msg::AgColHandled),
            h(Msg::ColAht),
            crate::i18n::kpi_short(lang, KpiKey::Fcr),
            crate::i18n::kpi_short(lang, KpiKey::TransferRate),
            crate::i18n::kpi_short(lang, KpiKey::Csat),
            h(Msg::AgColQaAvg),
            h(Msg::AgColSpotLeft),
            h(Msg::LblFlags),
        ],
        &rows,
    );
    out
}

/// `report agents` as Markdown in the language.
pub fn markdown_in(lang: Lang, win: Window, settings: &Settings, agents: &[AgentReport]) -> String {
    let tz = settings.timezone;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        tf(
            lang,
            Msg::AgRptTitle,
            &[
                &local_minute(win.from, tz),
                &local_minute(win.to, tz),
                &tz.name()
            ]
        )
    );
    let _ = writeln!(out, "{}", t(lang, Msg::AgRptIntro));
    if agents.is_empty() {
        let _ = writeln!(out, "{}", t(lang, Msg::AgRptNone));
        return out;
    }
    let _ = writeln!(out, "{}", t(lang, Msg::AgRptHeader));
    let _ = writeln!(
        out,
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for a in coaching_order(agents) {
        let f = &a.figures;
        let c = &a.qa.critical_errors;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md_cell(a.display_name()),
            md_cell(&a.id),
            md_cell(a.team.as_deref().unwrap_or("")),
            f.handled,
            format_kpi(KpiKey::AhtS, f.aht_s.value),
            format_kpi(KpiKey::Fcr, f.fcr.value),
            format_kpi(KpiKey::TransferRate, f.transfer_rate.value),
            format_kpi(KpiKey::Csat, f.csat.value),
            format_kpi(KpiKey::Nps, f.nps.value),
            format_kpi(KpiKey::Occupancy, f.occupancy.value),
            a.qa.checked,
            qa_avg(a),
            c.total(),
            flags_text(lang, a, ", "),
        );
    }
    let r = &settings.agents;
    let _ = writeln!(out, "{}", t(lang, Msg::AgRptFlagsHead));
    let _ = writeln!(
        out,
        "{}",
        tf(
            lang,
            Msg::AgRptFlagsText,
            &[&r.break_max_min, &r.min_n, &r.qa_min]
        )
    );
    out
}

fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// `report agents` as CSV (RFC 4180, CRLF): numbers in the snapshot's units
/// (rates as fractions, times in seconds); headers and flags in the
/// language (English: the snapshot's keys).
pub fn csv(lang: Lang, agents: &[AgentReport]) -> String {
    let mut out = super::export::csv_start(lang);
    let kpi = |k: KpiKey| match lang {
        Lang::En => k.key().to_string(),
        Lang::Zh => crate::i18n::kpi_long(lang, k).to_string(),
    };
    let mut head: Vec<String> = [
        Msg::AgColId,
        Msg::AgCsvName,
        Msg::AgCsvTeam,
        Msg::AgCsvHandled,
    ]
    .map(|m| t(lang, m).to_string())
    .to_vec();
    head.extend([KpiKey::AhtS, KpiKey::ArtS, KpiKey::Fcr].map(kpi));
    head.push(t(lang, Msg::AgCsvTransfer).to_string());
    head.push(kpi(KpiKey::Csat));
    head.push(t(lang, Msg::AgCsvCsatN).to_string());
    head.push(kpi(KpiKey::Nps));
    head.push(t(lang, Msg::AgCsvOccupancy).to_string());
    head.extend(
        [
            Msg::AgCsvQaChecked,
            Msg::AgCsvQaAvg,
            Msg::CsvCriticalCustomer,
            Msg::CsvCriticalBusiness,
            Msg::CsvCriticalCompliance,
            Msg::AgCsvFlags,
        ]
        .map(|m| t(lang, m).to_string()),
    );
    out.push_str(&super::export::csv_line(&head));
    for a in coaching_order(agents) {
        let f = &a.figures;
        let c = &a.qa.critical_errors;
        out.push_str(&super::export::csv_line(&[
            a.id.clone(),
            a.name.clone().unwrap_or_default(),
            a.team.clone().unwrap_or_default(),
            f.handled.to_string(),
            number(f.aht_s.value),
            number(f.art_s.value),
            number(f.fcr.value),
            number(f.transfer_rate.value),
            number(f.csat.value),
            f.csat.n.to_string(),
            number(f.nps.value),
            number(f.occupancy.value),
            a.qa.checked.to_string(),
            number(a.qa.avg),
            c.customer.to_string(),
            c.business.to_string(),
            c.compliance.to_string(),
            flags_csv(lang, a),
        ]));
    }
    out
}

/// `shiftdeck report agents`.
pub fn run(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    crm: Option<&str>,
    lang: Option<crate::config::Lang>,
    args: AgentsArgs,
) -> Result<(), CliError> {
    let loaded = CliError::load_config(config_path)?;
    let lang = Lang::choose(lang, loaded.extra.display.lang);
    let settings = &loaded.settings;
    let tz = settings.timezone;
    let now = args.io.now(tz)?;
    let win = super::window::resolve(args.from.as_deref(), args.to.as_deref(), now, tz)?;
    let opened = args.io.open(config_path, data_dir, crm, lang, &loaded)?;
    let (snap, _) =
        super::lead::snapshot_with_store(&opened.floor, settings, win, now, opened.store.as_ref())?;
    args.io.write(
        lang,
        &opened.source,
        || markdown_in(lang, win, settings, &snap.agents),
        || csv(lang, &snap.agents),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Ts;
    use crate::domain::agents::{AgentFigures, AgentQa, AgentTally, CriticalCounts};
    use crate::domain::snapshot::KpiValue;

    fn agent(id: &str, name: &str, team: &str, flags: Vec<AgentFlag>) -> AgentReport {
        let mut names = crate::domain::Interner::default();
        AgentReport {
            id: id.into(),
            name: Some(name.into()),
            team: Some(team.into()),
            state: "break".into(),
            queue: None,
            since: None,
            in_state_s: Some(1503.0),
            figures: AgentFigures {
                handled: 12,
                aht_s: KpiValue {
                    value: Some(300.0),
                    n: 12.0,
                },
                fcr: KpiValue {
                    value: Some(0.75),
                    n: 12.0,
                },
                ..AgentFigures::default()
            },
            qa: AgentQa {
                checked: 2,
                avg: Some(13.5),
                critical_errors: CriticalCounts {
                    customer: 1,
                    business: 0,
                    compliance: 1,
                },
                spot_left_today: 3,
            },
            flags,
            sym: names.intern(id),
            tally: AgentTally::default(),
        }
    }

    fn two() -> Vec<AgentReport> {
        vec![
            agent("a1", "Ann", "T1", vec![]),
            agent(
                "a2",
                "王芳",
                "T2",
                vec![AgentFlag::BreakOver, AgentFlag::QaLow],
            ),
        ]
    }

    #[test]
    fn durations_read_as_a_clock() {
        assert_eq!(duration(1503.4), "25m03s");
        assert_eq!(duration(3723.0), "1h02m");
        assert_eq!(duration(-5.0), "0s");
    }

    #[test]
    fn csv_rows_put_flagged_agents_first_with_numbers_in_snapshot_units() {
        let text = csv(Lang::En, &two());
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "id,name,team,handled,aht_s,art_s,fcr,transfer_rate,csat,csat_n,nps,occupancy,\
             qa_checked,qa_avg,critical_customer,critical_business,critical_compliance,flags"
        );
        assert_eq!(
            lines[1],
            "a2,王芳,T2,12,300,,0.75,,,0,,,2,13.5,1,0,1,break_over;qa_low"
        );
        assert!(lines[2].starts_with("a1,Ann,T1,12,"));
        let zh = csv(Lang::Zh, &two());
        assert!(zh.starts_with('\u{feff}'));
        assert!(zh.contains("休息超时;质检分偏低"));
    }

    #[test]
    fn markdown_in_both_languages() {
        let s = Settings::default();
        let win = Window {
            from: Ts::from_secs(1_795_305_600),
            to: Ts::from_secs(1_795_392_000),
        };
        let en = markdown_in(Lang::En, win, &s, &two());
        assert!(en.starts_with("# Agents 2026-11-22 00:00 – 2026-11-23 00:00 (UTC)"));
        let rows: Vec<&str> = en.lines().filter(|l| l.starts_with("| ")).collect();
        assert_eq!(rows.len(), 3, "{en}");
        assert!(
            rows[1].starts_with("| 王芳 | a2 | T2 | 12 |"),
            "{}",
            rows[1]
        );
        assert!(rows[1].ends_with("| 2 | 13.5 | 2 | long break, QA low |"));
        assert!(en.contains("longer than 15 min"));
        let zh = markdown_in(Lang::Zh, win, &s, &two());
        assert!(zh.contains("| 坐席 | 工号 |"));
        assert!(zh.contains("休息超时, 质检分偏低"));
        let none = markdown_in(Lang::En, win, &s, &[]);
        assert!(none.contains("No agents in this period."));
    }

    #[test]
    fn the_table_says_states_and_flags_in_the_language() {
        let zh = table_in(Lang::Zh, &two(), &[]);
        assert!(zh.contains("坐席：共 2 人，1 人有标记"));
        assert!(zh.contains("休息"));
        assert!(zh.contains("25m03s"), "{zh}");
        let en = table_in(Lang::En, &two(), &[]);
        let a2 = en.find("王芳").expect("a2 row");
        let a1 = en.find("Ann").expect("a1 row");
        assert!(a2 < a1, "flagged first:\n{en}");
        assert!(en.contains("long break,QA low"), "{en}");
    }
}
