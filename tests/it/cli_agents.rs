//! The agents (spec section 8) in the one-shot commands, end to end on the
//! hand-computed floor of `tests/fixtures/small-floor.ndjson` at 12:00 UTC
//! (config `utc.toml`, window today, no store: no scores):
//! - a1 王芳, team A: on break since 11:00 (3600 s, over the 15-minute
//!   limit: `break_over`); handled k1 (240 + 10 + 20 = 270 s) and k4 (300
//!   s): AHT 285 s; ART (20 + 30) / 2 = 25 s; FCR 0 / 2 (k1 has the
//!   follow-up k4, k4 unresolved); transfers 1 / 2 (k4); CSAT s1 (5) 1 / 1;
//!   NPS s1 promoter, s4 passive: +50 of 2; occupancy (260 + 20 + 570) /
//!   (3 h staffed 08:00–11:00) = 850 / 10 800;
//! - a2 Tom Li, team B: offline since 11:30 (1800 s); k2 230 s, ART 50 s,
//!   FCR 1 / 1, transfers 1 / 1, CSAT s2 (2) 0 / 1, NPS detractor −100;
//!   occupancy 250 / (33 050 + 250 + 8 100) = 250 / 41 400.

use crate::cli_support::{UTC_CONFIG, shiftdeck_in, stdout_ok};

use serde_json::Value;

const FLOOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/small-floor.ndjson"
);
const NOW: &str = "2026-11-22T12:00:00Z";

fn run(args: &[&str]) -> String {
    let home = tempfile::tempdir().expect("tempdir");
    stdout_ok(
        shiftdeck_in(home.path())
            .args(args)
            .args(["--file", FLOOR, "--config", UTC_CONFIG, "--now", NOW]),
    )
}

#[track_caller]
fn kpi(a: &Value, key: &str, value: f64, n: f64) {
    let k = &a[key];
    let close = |v: &Value, x: f64| v.as_f64().is_some_and(|y| (y - x).abs() < 1e-9);
    assert!(close(&k["value"], value), "{key}: {k}, expected {value}");
    assert!(close(&k["n"], n), "{key}: {k}, expected n {n}");
}

#[test]
fn the_snapshot_carries_every_agent_as_section_8_says() {
    let json: Value = serde_json::from_str(&run(&["snapshot"])).expect("JSON");
    let agents = json["agents"].as_array().expect("agents list");
    let ids: Vec<&str> = agents.iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(ids, ["a1", "a2"], "by id");
    let (a1, a2) = (&agents[0], &agents[1]);
    assert_eq!(a1["name"], "王芳");
    assert_eq!(a1["team"], "A");
    assert_eq!(a1["state"], "break");
    assert_eq!(a1["queue"], "q1");
    assert_eq!(a1["since"], "2026-11-22T11:00:00Z");
    assert_eq!(a1["in_state_s"].as_f64(), Some(3600.0));
    assert_eq!(a1["handled"], 2);
    kpi(a1, "aht_s", 285.0, 2.0);
    kpi(a1, "art_s", 25.0, 2.0);
    kpi(a1, "fcr", 0.0, 2.0);
    kpi(a1, "transfer_rate", 0.5, 2.0);
    kpi(a1, "csat", 1.0, 1.0);
    kpi(a1, "nps", 50.0, 2.0);
    kpi(a1, "occupancy", 850.0 / 10_800.0, 10_800.0);
    assert_eq!(a1["flags"], serde_json::json!(["break_over"]));
    // No store: nothing scored, so the agent's whole random sample is left.
    let sampled = |id: &str| {
        json["spot_check"]["random"]
            .as_array()
            .expect("random list")
            .iter()
            .filter(|i| i["agent"] == id)
            .count() as u64
    };
    let qa = &a1["qa"];
    assert_eq!(qa["checked"], 0);
    assert!(qa["avg"].is_null());
    assert_eq!(
        qa["critical_errors"],
        serde_json::json!({"customer": 0, "business": 0, "compliance": 0})
    );
    assert_eq!(qa["spot_left_today"].as_u64(), Some(sampled("a1")));
    assert_eq!(a2["name"], "Tom Li");
    assert_eq!(a2["state"], "offline");
    assert_eq!(a2["in_state_s"].as_f64(), Some(1800.0));
    assert_eq!(a2["handled"], 1);
    kpi(a2, "aht_s", 230.0, 1.0);
    kpi(a2, "art_s", 50.0, 1.0);
    kpi(a2, "fcr", 1.0, 1.0);
    kpi(a2, "transfer_rate", 1.0, 1.0);
    kpi(a2, "csat", 0.0, 1.0);
    kpi(a2, "nps", -100.0, 1.0);
    kpi(a2, "occupancy", 250.0 / 41_400.0, 41_400.0);
    assert_eq!(a2["flags"], serde_json::json!([]));
    assert_eq!(a2["qa"]["spot_left_today"].as_u64(), Some(sampled("a2")));
}

#[test]
fn the_snapshot_table_has_an_agents_table_in_both_languages() {
    let en = run(&["snapshot", "--format", "table"]);
    assert!(
        en.contains("Agents: 2 listed, 1 flagged (flagged first)"),
        "{en}"
    );
    let agents = en.split("Agents: ").nth(1).expect("agents section");
    let a1 = agents
        .lines()
        .find(|l| l.contains("王芳"))
        .expect("a1's row");
    // The console's words, duration and the queue's name (not `q1`).
    assert!(
        a1.contains("long break") && a1.contains("1h00m") && a1.contains("售后热线 After-sales"),
        "{a1}"
    );
    assert!(!a1.contains(" q1 "), "{a1}");
    let zh = run(&["--lang", "zh", "snapshot", "--format", "table"]);
    assert!(
        zh.contains("坐席：共 2 人，1 人有标记（有标记的在前）"),
        "{zh}"
    );
    let agents = zh.split("坐席：共").nth(1).expect("agents section");
    let a1 = agents
        .lines()
        .find(|l| l.contains("王芳"))
        .expect("a1's row");
    assert!(a1.contains("休息超时") && a1.contains("休息"), "{a1}");
}

#[test]
fn report_agents_in_markdown_in_both_languages() {
    let en = run(&["report", "agents", "--format", "md"]);
    let rows: Vec<&str> = en.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(
        rows[0].starts_with("| Agent | Id | Team | Handled | AHT |"),
        "{en}"
    );
    // Flagged first: 王芳 (long break), then Tom Li. The console's units:
    // AHT 285 s = 4m45s, occupancy 850 ÷ 10 800 = 7.9%, NPS signed.
    assert_eq!(
        rows[1],
        "| 王芳 | a1 | A | 2 | 4m45s | 0.0% | 50.0% | 100.0% | +50 | 7.9% | 0 | — | 0 | long break |"
    );
    assert_eq!(
        rows[2],
        "| Tom Li | a2 | B | 1 | 3m50s | 100.0% | 100.0% | 0.0% | -100 | 0.6% | 0 | — | 0 |  |"
    );
    assert!(en.contains("on break longer than 15 min now"), "{en}");
    let zh = run(&["--lang", "zh", "report", "agents", "--format", "md"]);
    assert!(
        zh.starts_with("# 坐席表现 2026-11-22 00:00 – 2026-11-23 00:00（UTC）"),
        "{zh}"
    );
    assert!(zh.contains("| 坐席 | 工号 | 班组 | 已处理 |"), "{zh}");
    assert!(
        zh.contains("| 王芳 | a1 | A | 2 |") && zh.contains("| 休息超时 |"),
        "{zh}"
    );
}

#[test]
fn report_agents_in_csv_in_both_languages() {
    let en = run(&["report", "agents", "--format", "csv"]);
    let lines: Vec<&str> = en.lines().collect();
    assert_eq!(
        lines[0],
        "id,name,team,handled,aht_s,art_s,fcr,transfer_rate,csat,csat_n,nps,occupancy,qa_checked,qa_avg,critical_customer,critical_business,critical_compliance,flags"
    );
    let a1: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        &a1[..11],
        [
            "a1", "王芳", "A", "2", "285", "25", "0", "0.5", "1", "1", "50"
        ]
    );
    let occ: f64 = a1[11].parse().expect("occupancy");
    assert!((occ - 850.0 / 10_800.0).abs() < 1e-12, "{occ}");
    assert_eq!(&a1[12..], ["0", "", "0", "0", "0", "break_over"]);
    assert!(
        lines[2].starts_with("a2,Tom Li,B,1,230,50,1,1,0,1,-100,"),
        "{en}"
    );
    assert_eq!(lines.len(), 3);
    let zh = run(&["--lang", "zh", "report", "agents", "--format", "csv"]);
    // A BOM for spreadsheets, Chinese headings, the same numbers.
    let zh = zh.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = zh.lines().collect();
    assert!(lines[0].starts_with("工号,姓名,班组,已处理,"), "{zh}");
    assert!(
        lines[1].starts_with("a1,王芳,A,2,285,25,0,0.5,1,1,50,"),
        "{zh}"
    );
    assert!(lines[1].ends_with(",休息超时"), "{zh}");
}

#[test]
fn report_agents_refuses_a_bad_period_naming_it() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = shiftdeck_in(home.path())
        .args(["report", "agents", "--file", FLOOR, "--config", UTC_CONFIG])
        .args(["--from", "yesterday-ish"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("yesterday-ish"), "{err}");
}
