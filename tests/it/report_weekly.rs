//! `shiftdeck report weekly` on a floor built so that ISO week 2026-W47
//! (Mon 2026-11-16 – Sun 2026-11-22, UTC) has exactly the service-improvement
//! guide's example figures, with the week before as the comparison.
//!
//! Week 2026-W47, 11 900 contacts `w-0 … w-11899`:
//! - contact i arrives at Monday 00:00 + 50·i s (the last at 594 950 s, inside
//!   the 604 800 s week), is answered 12 s later and handled by agent
//!   `a{i mod 20}` with talk 200 + hold 18 + wrap 40 = 258 s.
//!   AHT = 258 s = 4.3 min (target 252 s = 4.2 min: gap +6 s = +0.1 min, warn;
//!   alert only above 270 s). ART = 12 s (target 15 s, lower is better: ok).
//! - contacts per agent per day = 11 900 handled ÷ 20 agents ÷ 7 days = 85 (target 90: −5, warn).
//! - every customer is distinct (no repeats, no follow-ups); contact i is
//!   unresolved when i mod 100 < 17: 119 × 17 = 2 023 unresolved, so
//!   FCR = 9 877 ÷ 11 900 = 0.83 (target 0.85: −2.0 pt, warn).
//!   11 900 is the least count that makes both 85 per agent-day (595 per
//!   agent-week) and 83 % exact.
//! - 10 surveys: csat 5 ×9 and 2 ×1 → 9/10 = 0.90 (target 0.88, +2.0 pt ok);
//!   nps 10 ×6, 8 ×3, 3 ×1 → 100 × (6 − 1) ÷ 10 = 50 (target 30, ok).
//! - all answered within 20 s and none abandoned or transferred: service level
//!   100 %, abandon, transfer and repeat rates 0; no agent states → occupancy null.
//!
//! Week 2026-W46, 560 contacts `p-0 … p-559` by the one agent `p01`, one every
//! 1 000 s from Mon 2026-11-09: answered after 15 s, handled in 230 + 10 + 30
//! = 270 s; unresolved when i mod 20 < 3 (84), so FCR = 476 ÷ 560 = 0.85;
//! 560 ÷ 1 ÷ 7 = 80 per agent-day; no surveys.
//! Changes: AHT −12 s (better), ART −3 s (better), FCR −2.0 pt (worse), +5 per agent-day (better).

use crate::cli_support;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use shiftdeck::domain::{SourceId, Ts};
use shiftdeck::source::spec::SourceSpec;

fn file_source(file: &Path) -> SourceId {
    SourceSpec::Files(vec![file.to_path_buf()]).identity()
}
use shiftdeck::store::{self, KpiNote, Store};

fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

#[allow(clippy::too_many_arguments)]
fn contact(
    out: &mut String,
    id: &str,
    customer: &str,
    agent: &str,
    arrived: DateTime<Utc>,
    answer_s: i64,
    (talk, hold, wrap): (u32, u32, u32),
    resolved: bool,
) {
    let answered = arrived + Duration::seconds(answer_s);
    let ended = answered + Duration::seconds(i64::from(talk + hold + wrap));
    let _ = writeln!(
        out,
        r#"{{"type":"contact","id":"{id}","channel":"phone","queue":"q1","customer":"{customer}","arrived_at":"{}","answered_at":"{}","ended_at":"{}","agent":"{agent}","talk_s":{talk},"hold_s":{hold},"wrap_s":{wrap},"transfers":0,"resolved":{resolved}}}"#,
        at(arrived),
        at(answered),
        at(ended)
    );
}

fn floor_file(dir: &Path) -> std::path::PathBuf {
    let mut s = String::from(
        "{\"type\":\"queue\",\"id\":\"q1\",\"name\":\"Hotline\",\"channel\":\"phone\",\"sl_seconds\":20}\n",
    );
    let w46: DateTime<Utc> = "2026-11-09T00:00:00Z".parse().unwrap();
    for i in 0..560i64 {
        contact(
            &mut s,
            &format!("p-{i}"),
            &format!("cp-{i}"),
            "p01",
            w46 + Duration::seconds(1000 * i),
            15,
            (230, 10, 30),
            i % 20 >= 3,
        );
    }
    let w47: DateTime<Utc> = "2026-11-16T00:00:00Z".parse().unwrap();
    for i in 0..11_900i64 {
        contact(
            &mut s,
            &format!("w-{i}"),
            &format!("cw-{i}"),
            &format!("a{:02}", i % 20),
            w47 + Duration::seconds(50 * i),
            12,
            (200, 18, 40),
            i % 100 >= 17,
        );
    }
    let csat = [5, 5, 5, 5, 5, 5, 5, 5, 5, 2];
    let nps = [10, 10, 10, 10, 10, 10, 8, 8, 8, 3];
    for i in 0..10 {
        let _ = writeln!(
            s,
            r#"{{"type":"survey","id":"s-{i}","contact":"w-{i}","at":"{}","csat":{},"nps":{}}}"#,
            at(w47 + Duration::hours(1 + i64::from(i))),
            csat[i as usize],
            nps[i as usize]
        );
    }
    let path = dir.join("floor.ndjson");
    std::fs::write(&path, s).unwrap();
    path
}

fn run(dir: &Path, args: &[&str]) -> String {
    cli_support::stdout_ok(
        cli_support::shiftdeck_with(dir, Path::new(cli_support::UTC_CONFIG)).args(args),
    )
}

fn note(week: &str, kpi: &str, cause: &str, action: &str) -> KpiNote {
    KpiNote {
        week: week.into(),
        kpi: kpi.into(),
        cause: cause.into(),
        action: action.into(),
        author: "王芳".into(),
        saved_at: Ts::from_secs(1_795_400_000),
    }
}

/// The notes, entered against `source` (the report reads its source's only).
fn save_notes(dir: &Path, source: SourceId) {
    let s = Store::open(&store::path_in(&dir.join("data")))
        .unwrap()
        .for_source(source);
    s.save_kpi_note(&note(
        "2026-W47",
        "fcr",
        "Two new hires, follow-ups instead of fixes",
        "Pair with seniors | review Friday",
    ))
    .unwrap();
    s.save_kpi_note(&note(
        "2026-W47",
        "aht_s",
        "System slow on Tuesday",
        "Ticket \"IT-42\" raised",
    ))
    .unwrap();
    // Another week's note must not leak into W47.
    s.save_kpi_note(&note("2026-W46", "art_s", "old cause", "old action"))
        .unwrap();
}

#[test]
fn weekly_markdown_has_the_guide_figures_and_the_notes() {
    let dir = tempfile::tempdir().unwrap();
    let file = floor_file(dir.path());
    let file = file.to_str().unwrap();
    // Without notes: the cause and action cells are empty.
    let bare = run(
        dir.path(),
        &["report", "weekly", "--file", file, "--week", "2026-W47"],
    );
    assert!(
        bare.contains("| Average response time (ART) | 12s | 15s | −3s | ✓ ok | 15s | −3s better | 11900 |  |  |"),
        "{bare}"
    );
    assert!(bare.contains("- **First contact resolution (FCR)** ! warn: 83.0% against 85.0% (gap −2.0 pt).\n  - No cause or action noted yet."), "{bare}");
    // Both weeks are complete: no word about partial data.
    assert!(!bare.contains("artial"), "{bare}");

    save_notes(dir.path(), file_source(Path::new(file)));
    // No --week: the last complete week before Monday 2026-11-23 08:00 is W47.
    let md = run(
        dir.path(),
        &[
            "report",
            "weekly",
            "--file",
            file,
            "--now",
            "2026-11-23T08:00:00Z",
        ],
    );
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(
        lines[0],
        "# Weekly operations report 2026-W47 (2026-11-16 – 2026-11-22)"
    );
    assert!(md.contains("against 2026-W46."), "{md}");
    let table: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| KPI"))
        .collect();
    assert_eq!(
        table,
        [
            "| Customer satisfaction (CSAT) | 90.0% | 88.0% | +2.0 pt | ✓ ok | — | — | 10 |  |  |",
            "| Net promoter score (NPS) | +50 | +30 | +20 | ✓ ok | — | — | 10 |  |  |",
            "| First contact resolution (FCR) | 83.0% | 85.0% | −2.0 pt | ! warn | 85.0% | −2.0 pt worse | 11900 | Two new hires, follow-ups instead of fixes | Pair with seniors \\| review Friday |",
            "| Average handling time (AHT) | 4m18s | 4m12s | +6s | ! warn | 4m30s | −12s better | 11900 | System slow on Tuesday | Ticket \"IT-42\" raised |",
            "| Average response time (ART) | 12s | 15s | −3s | ✓ ok | 15s | −3s better | 11900 |  |  |",
            "| Service level | 100.0% | 80.0% | +20.0 pt | ✓ ok | 100.0% | ±0.0 pt | 11900 |  |  |",
            "| Abandon rate | 0.0% | 5.0% | −5.0 pt | ✓ ok | 0.0% | ±0.0 pt | 11900 |  |  |",
            "| Transfer rate | 0.0% | 10.0% | −10.0 pt | ✓ ok | 0.0% | ±0.0 pt | 11900 |  |  |",
            "| Repeat contact rate | 0.0% | 15.0% | −15.0 pt | ✓ ok | 0.0% | ±0.0 pt | 11900 |  |  |",
            "| Contacts per agent-day | 85.0 | 90.0 | −5.0 | ! warn | 80.0 | +5.0 better | 20 |  |  |",
            "| Occupancy | — | 80.0% | — | · n/a | — | — | 0s |  |  |",
        ]
    );
    let attention = md.split("## Needs attention\n\n").nth(1).unwrap();
    assert_eq!(
        attention,
        format!(
            "- **First contact resolution (FCR)** ! warn: 83.0% against 85.0% (gap −2.0 pt).\n\
         \x20 - Cause: Two new hires, follow-ups instead of fixes\n\
         \x20 - Action: Pair with seniors \\| review Friday\n\
         - **Average handling time (AHT)** ! warn: 4m18s against 4m12s (gap +6s).\n\
         \x20 - Cause: System slow on Tuesday\n\
         \x20 - Action: Ticket \"IT-42\" raised\n\
         - **Contacts per agent-day** ! warn: 85.0 against 90.0 (gap −5.0).\n\
         \x20 - No cause or action noted yet.\n\n\
         Source: {} (the lead's notes and scores shown are the ones entered for it).\n",
            file_source(Path::new(file))
        )
    );
    assert!(!md.contains("old cause"));
}

/// Week 2026-W47 as CSV, by hand from the figures in the header comment.
const W47_CSV: [&str; 12] = [
    "week,kpi,value,target,gap,status,last_week,change,n,cause,action,days_with_data,last_week_days_with_data",
    "2026-W47,csat,0.9,0.88,0.02,ok,,,10,,,7,7",
    "2026-W47,nps,50,30,20,ok,,,10,,,7,7",
    "2026-W47,fcr,0.83,0.85,-0.02,warn,0.85,-0.02,11900,\"Two new hires, follow-ups instead of fixes\",Pair with seniors | review Friday,7,7",
    "2026-W47,aht_s,258,252,6,warn,270,-12,11900,System slow on Tuesday,\"Ticket \"\"IT-42\"\" raised\",7,7",
    "2026-W47,art_s,12,15,-3,ok,15,-3,11900,,,7,7",
    "2026-W47,service_level,1,0.8,0.2,ok,1,0,11900,,,7,7",
    "2026-W47,abandon_rate,0,0.05,-0.05,ok,0,0,11900,,,7,7",
    "2026-W47,transfer_rate,0,0.1,-0.1,ok,0,0,11900,,,7,7",
    "2026-W47,repeat_rate,0,0.15,-0.15,ok,0,0,11900,,,7,7",
    "2026-W47,contacts_per_agent_day,85,90,-5,warn,80,5,20,,,7,7",
    "2026-W47,occupancy,,0.8,,,,,0,,,7,7",
];

#[test]
fn weekly_csv_rows_and_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = floor_file(dir.path());
    save_notes(dir.path(), file_source(&file));
    let out = dir.path().join("w47.csv");
    // A date picks its week: Wednesday 2026-11-18 is in W47.
    let stdout = run(
        dir.path(),
        &[
            "report",
            "weekly",
            "--file",
            file.to_str().unwrap(),
            "--week",
            "2026-11-18",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(stdout, "");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.ends_with("\r\n"));
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(rows, W47_CSV);
}

#[test]
fn a_bad_week_is_refused_with_the_expected_form() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shiftdeck"))
        .env("HOME", dir.path())
        .arg("--config")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/utc.toml"
        ))
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["report", "weekly", "--file", "x.ndjson", "--week", "W47"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-W47"));
}

/// `--crm`: the same floor served over the HTTP feed gives the same report.
#[test]
fn weekly_report_reads_a_served_feed() {
    let dir = tempfile::tempdir().unwrap();
    let file = floor_file(dir.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    save_notes(dir.path(), SourceId::new(format!("feed:http://{addr}")));
    // The server thread lives until the test process ends.
    std::thread::spawn(move || shiftdeck::source::serve::serve_feed_blocking(addr, file));
    let url = format!("feed+http://{addr}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let csv = loop {
        let out = Command::new(env!("CARGO_BIN_EXE_shiftdeck"))
            .env("HOME", dir.path())
            .arg("--config")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/utc.toml"
            ))
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args([
                "report", "weekly", "--crm", &url, "--week", "2026-W47", "--format", "csv",
            ])
            .output()
            .unwrap();
        if out.status.success() {
            break String::from_utf8(out.stdout).unwrap();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "report --crm never succeeded: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(rows, W47_CSV);
}

/// The Markdown table row of the KPI `name` in `md`.
fn kpi_row<'a>(md: &'a str, name: &str) -> &'a str {
    md.lines()
        .find(|l| l.starts_with(&format!("| {name} |")))
        .unwrap_or_else(|| panic!("no {name} row: {md}"))
}

/// A week the file holds two days of: 2026-W47 has data on Saturday 21 and
/// Sunday 22 November only; 2026-W46 is complete.
///
/// - W46: 560 contacts `p-0 … p-559` by the one agent `b1`, one every
///   1 000 s from Monday 9 00:00 (the last on Sunday 15 at 11:16:40, so
///   every day has data), answered after 15 s, handled in 270 s: 560 ÷ 1 ÷
///   7 = 80 per agent-day.
/// - W47: 360 contacts `s-0 … s-359` one every 480 s from Saturday 00:00
///   (the last on Sunday at 23:52), by `a00` and `a01` in turn, answered
///   after 12 s, handled in 258 s. The spec's figure for the week is 360 ÷
///   2 ÷ 7 = 25.7 (a warning against 90 for a week that was not short of
///   work); per day with data it is 360 ÷ 2 ÷ 2 = 90.0, on target (gap
///   ±0.0), +10.0 against the 80 of W46. AHT 258 s = 4m18s against 4m12s:
///   +6s, warn, 12 s better than W46's 4m30s. Every status and change is
///   marked partial.
fn partial_floor(dir: &Path) -> std::path::PathBuf {
    week_floor(dir, 360)
}

/// W46 as in [`partial_floor`] and the first `w47` contacts of its W47.
fn week_floor(dir: &Path, w47: i64) -> std::path::PathBuf {
    let mut s = String::new();
    let w46: DateTime<Utc> = "2026-11-09T00:00:00Z".parse().unwrap();
    for i in 0..560i64 {
        contact(
            &mut s,
            &format!("p-{i}"),
            &format!("cp-{i}"),
            "b1",
            w46 + Duration::seconds(1000 * i),
            15,
            (230, 10, 30),
            true,
        );
    }
    let sat: DateTime<Utc> = "2026-11-21T00:00:00Z".parse().unwrap();
    for i in 0..w47 {
        contact(
            &mut s,
            &format!("s-{i}"),
            &format!("cs-{i}"),
            &format!("a{:02}", i % 2),
            sat + Duration::seconds(480 * i),
            12,
            (200, 18, 40),
            true,
        );
    }
    let path = dir.join("partial.ndjson");
    std::fs::write(&path, s).unwrap();
    path
}

#[test]
fn a_partial_week_says_so_and_counts_per_day_with_data() {
    let dir = tempfile::tempdir().unwrap();
    let file = partial_floor(dir.path());
    let file = file.to_str().unwrap();
    let md = run(
        dir.path(),
        &["report", "weekly", "--file", file, "--week", "2026-W47"],
    );
    assert!(
        md.contains("\n**Partial week:** the data holds 2 of 7 days (Sat, Sun). Contacts per agent-day is per day with data;"),
        "{md}"
    );
    // The week before is complete: nothing said of it.
    assert!(!md.contains("The week before"), "{md}");
    assert_eq!(
        kpi_row(&md, "Contacts per agent-day"),
        "| Contacts per agent-day | 90.0 | 90.0 | ±0.0 | ✓ ok · partial 2/7 d | 80.0 | +10.0 better (partial) | 2 |  |  |"
    );
    assert_eq!(
        kpi_row(&md, "Average handling time (AHT)"),
        "| Average handling time (AHT) | 4m18s | 4m12s | +6s | ! warn · partial 2/7 d | 4m30s | −12s better (partial) | 360 |  |  |"
    );
    assert!(
        md.contains("- **Average handling time (AHT)** ! warn · partial 2/7 d: 4m18s against 4m12s (gap +6s)."),
        "{md}"
    );
    // On target per day with data: not in the attention list.
    assert!(!md.contains("- **Contacts per agent-day**"), "{md}");

    let csv = run(
        dir.path(),
        &[
            "report", "weekly", "--file", file, "--week", "2026-W47", "--format", "csv",
        ],
    );
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert!(rows[0].ends_with(",days_with_data,last_week_days_with_data"));
    assert_eq!(
        rows[10],
        "2026-W47,contacts_per_agent_day,90,90,0,ok,80,10,2,,,2,7"
    );
    assert_eq!(rows[4], "2026-W47,aht_s,258,252,6,warn,270,-12,360,,,2,7");

    // The week after the file: no data at all, and the week before partial.
    let md = run(
        dir.path(),
        &["report", "weekly", "--file", file, "--week", "2026-W48"],
    );
    assert!(
        md.contains("**No data for this week** in the source: no KPI to judge."),
        "{md}"
    );
    assert!(
        md.contains("The week before (2026-W47) is partial too: 2 of 7 days (Sat, Sun);"),
        "{md}"
    );
    assert!(
        md.contains("| Contacts per agent-day | — | 90.0 | — | · n/a | 90.0 | — | 0 |  |  |"),
        "{md}"
    );
}

/// A week still running: W47 seen on Sunday 22 November at 12:00 (UTC),
/// the file holding what happened by then: W46 as in [`partial_floor`], and
/// in W47 the 180 contacts of Saturday 21 (one every 480 s, by `a00` and
/// `a01` in turn) and the 90 of Sunday morning (the last at 11:52, handled
/// by 11:56:30).
///
/// Contacts per agent-day counts the complete days only: Saturday, 180 ÷ 2
/// agents ÷ 1 day = 90.0, on target, +10.0 against W46's 80. Today counted
/// as a whole day would read (180 + 90) ÷ 2 ÷ 2 = 67.5, a warning for a
/// morning's work. AHT includes today so far: 258 s over all 270 contacts.
#[test]
fn a_running_week_leaves_today_out_of_contacts_per_agent_day() {
    let dir = tempfile::tempdir().unwrap();
    let file = week_floor(dir.path(), 270);
    let file = file.to_str().unwrap();
    let args = [
        "report",
        "weekly",
        "--file",
        file,
        "--week",
        "2026-W47",
        "--now",
        "2026-11-22T12:00:00Z",
    ];
    let md = run(dir.path(), &args);
    assert_eq!(
        kpi_row(&md, "Contacts per agent-day"),
        "| Contacts per agent-day | 90.0 | 90.0 | ±0.0 | ✓ ok · partial 2/7 d | 80.0 | +10.0 better (partial) | 2 |  |  |"
    );
    assert_eq!(
        kpi_row(&md, "Average handling time (AHT)"),
        "| Average handling time (AHT) | 4m18s | 4m12s | +6s | ! warn · partial 2/7 d | 4m30s | −12s better (partial) | 270 |  |  |"
    );
    assert!(
        md.contains("\n**The week is still running:** today (Sun 2026-11-22) is left out of contacts per agent-day, which counts the complete days before it (days with data: 1),"),
        "{md}"
    );
    let csv = run(dir.path(), &[&args[..], &["--format", "csv"]].concat());
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(
        rows[10],
        "2026-W47,contacts_per_agent_day,90,90,0,ok,80,10,2,,,2,7"
    );
    let zh = run(dir.path(), &[&args[..], &["--lang", "zh"]].concat());
    assert!(
        zh.contains("**本周尚未结束：**今天（周日 2026-11-22）不计入人均日有效服务量"),
        "{zh}"
    );
    // Seen on Monday morning, the week has no complete day yet: no figure.
    let md = run(
        dir.path(),
        &[
            "report",
            "weekly",
            "--file",
            file,
            "--week",
            "2026-W48",
            "--now",
            "2026-11-23T09:00:00Z",
        ],
    );
    assert!(
        md.contains("| Contacts per agent-day | — | 90.0 | — | · n/a |"),
        "{md}"
    );
    assert!(md.contains("(days with data: 0)"), "{md}");
}
