//! `shiftdeck snapshot` end to end on a small floor whose every figure was
//! computed by hand (see the comments; fixture: tests/fixtures/small-floor.ndjson).

use crate::cli_support;

use std::path::PathBuf;

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn shiftdeck(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().expect("tempdir");
    cli_support::shiftdeck_in(home.path())
        .args(args)
        .output()
        .expect("run shiftdeck")
}

fn snapshot_json(extra: &[&str]) -> (Value, String) {
    let file = fixture("small-floor.ndjson");
    let config = fixture("utc.toml");
    let mut args = vec![
        "snapshot",
        "--file",
        file.to_str().expect("utf-8 path"),
        "--config",
        config.to_str().expect("utf-8 path"),
        "--now",
        "2026-11-22T12:00:00Z",
    ];
    args.extend_from_slice(extra);
    let out = shiftdeck(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "snapshot failed: {stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).expect("snapshot prints JSON");
    (json, stderr)
}

fn close(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-9)
}

#[track_caller]
fn kpi(json: &Value, key: &str, value: f64, n: f64) {
    let k = &json["kpis"][key];
    assert!(
        close(&k["value"], value),
        "{key}: value {k}, expected {value}"
    );
    assert!(close(&k["n"], n), "{key}: n {k}, expected {n}");
}

#[test]
fn every_kpi_matches_the_hand_computation() {
    let (j, _) = snapshot_json(&[]);
    assert_eq!(j["window"]["from"], "2026-11-22T00:00:00Z");
    assert_eq!(j["window"]["to"], "2026-11-23T00:00:00Z");
    // Offered k1..k5; answered k1, k2, k4; abandoned k3; handled k1, k2, k4.
    kpi(&j, "aht_s", (270.0 + 230.0 + 300.0) / 3.0, 3.0);
    kpi(&j, "art_s", (20.0 + 50.0 + 30.0) / 3.0, 3.0);
    // k1 answered exactly at q1's 20 s, k4 exactly at q2's 30 s; k2 late.
    kpi(&j, "service_level", 2.0 / 4.0, 4.0);
    kpi(&j, "abandon_rate", 1.0 / 4.0, 4.0);
    kpi(&j, "transfer_rate", 2.0 / 3.0, 3.0);
    // k2 (c2 called yesterday, k6) and k4 (c1's k1 an hour earlier).
    kpi(&j, "repeat_rate", 2.0 / 5.0, 5.0);
    // k1 has a follow-up (k4), k4 is unresolved: only k2.
    kpi(&j, "fcr", 1.0 / 3.0, 3.0);
    // s1 (5) and s2 (2) in the window; s3 is yesterday, s4 has no csat.
    kpi(&j, "csat", 0.5, 2.0);
    // promoter s1, detractor s2, passive s4.
    kpi(&j, "nps", 0.0, 3.0);
    // 3 handled / 2 agents / 1 day.
    kpi(&j, "contacts_per_agent_day", 1.5, 2.0);
    // a1: avail 3620+3330+3000, busy/wrap 260+20+570, break from 11:00;
    // a2: avail from 00:00 (state began yesterday) 33050 + 8100, busy 250, offline 11:30;
    // a1's busy at 13:00 is after now and ignored.
    kpi(&j, "occupancy", 1100.0 / 52200.0, 52200.0);
}

#[test]
fn status_gap_and_target_follow_the_defaults() {
    let (j, _) = snapshot_json(&[]);
    let aht = &j["kpis"]["aht_s"];
    assert!(close(&aht["target"], 252.0));
    assert!(close(&aht["gap"], 800.0 / 3.0 - 252.0));
    assert_eq!(aht["status"], "warn"); // 266.7 s: above target, not above 270 s
    assert_eq!(j["kpis"]["art_s"]["status"], "warn"); // 33.3 s against 15 s
    assert_eq!(j["kpis"]["service_level"]["status"], "warn");
    for key in [
        "csat",
        "nps",
        "fcr",
        "aht_s",
        "art_s",
        "service_level",
        "abandon_rate",
        "transfer_rate",
        "repeat_rate",
        "contacts_per_agent_day",
        "occupancy",
    ] {
        assert!(j["kpis"].get(key).is_some(), "missing KPI {key}");
    }
}

#[test]
fn live_queues_sla_and_feedback_at_now() {
    let (j, _) = snapshot_json(&[]);
    let queues = j["queues"].as_array().expect("queues");
    assert_eq!(queues.len(), 2);
    let q1 = &queues[0];
    assert_eq!(q1["id"], "q1");
    assert_eq!(q1["waiting"], 0);
    assert_eq!(q1["agents"]["break"], 1); // a1's latest state
    assert_eq!(
        (
            q1["offered"].as_u64(),
            q1["answered"].as_u64(),
            q1["abandoned"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert!(close(&q1["service_level"], 1.0 / 3.0));
    assert!(close(&q1["art_s"], 35.0));
    assert!(close(&q1["aht_s"], 250.0));
    let q2 = &queues[1];
    assert_eq!(q2["waiting"], 1); // k5
    assert!(close(&q2["longest_wait_s"], 600.0));
    assert_eq!(q2["agents"]["offline"], 1);
    assert_eq!(q2["agents"]["available"], 0);
    assert!(close(&q2["service_level"], 1.0));

    let sla = j["sla"].as_array().expect("sla");
    assert_eq!(sla.len(), 1, "only k5 owes something: {sla:?}");
    assert_eq!(sla[0]["contact"], "k5");
    assert_eq!(sla[0]["priority"], "urgent");
    assert_eq!(sla[0]["due_at"], "2026-11-22T11:55:00Z");
    assert!(close(&sla[0]["remaining_s"], -300.0));
    assert_eq!(sla[0]["breached"], true);

    let fb = j["feedback"].as_array().expect("feedback");
    let ids: Vec<&str> = fb.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids, ["f2", "f1", "f3"], "sorted by due_at, undated last");
    let overdue: Vec<bool> = fb.iter().filter_map(|f| f["overdue"].as_bool()).collect();
    assert_eq!(
        overdue,
        [false, true, false],
        "closed items are never overdue"
    );
}

#[test]
fn spot_checks_cover_every_agent_and_flag_the_targeted() {
    let (j, _) = snapshot_json(&[]);
    let sc = &j["spot_check"];
    assert_eq!(sc["date"], "2026-11-22");
    let random = sc["random"].as_array().expect("random");
    for agent in ["a1", "a2"] {
        assert!(
            random.iter().any(|i| i["agent"] == agent),
            "agent {agent} needs ceil(10 % × n) ≥ 1 contact: {random:?}"
        );
    }
    let all: Vec<&Value> = random
        .iter()
        .chain(sc["targeted"].as_array().expect("targeted"))
        .collect();
    let flags_of = |id: &str| -> Vec<String> {
        all.iter()
            .find(|i| i["contact"] == id)
            .map(|i| {
                i["flags"]
                    .as_array()
                    .expect("flags")
                    .iter()
                    .filter_map(|f| f.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(flags_of("k2"), ["repeat_48h", "low_csat"]);
    assert_eq!(flags_of("k4"), ["repeat_48h", "transfers_2plus"]);
}

#[test]
fn malformed_lines_and_unknown_types_are_reported_not_fatal() {
    let (_, stderr) = snapshot_json(&[]);
    assert!(
        stderr.contains("small-floor.ndjson:32: `arrived_at`: timestamp without an offset"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown type 'weather'"), "{stderr}");
}

#[test]
fn table_format_is_readable() {
    let file = fixture("small-floor.ndjson");
    let config = fixture("utc.toml");
    let out = shiftdeck(&[
        "snapshot",
        "--file",
        file.to_str().expect("path"),
        "--config",
        config.to_str().expect("path"),
        "--now",
        "2026-11-22T12:00:00Z",
        "--format",
        "table",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("售后热线 After-sales"), "{text}");
    assert!(text.contains("BREACHED"), "{text}");
    assert!(!text.contains('\u{1b}'), "no escape sequences from data");
    // The console's words, units and names, by hand from the fixture at 12:00:
    let row = |first: &str| -> Vec<String> {
        text.lines()
            .map(cells)
            .find(|c| c.first().is_some_and(|c| c == first))
            .unwrap_or_else(|| panic!("no row {first:?} in\n{text}"))
    };
    // AHT: k1 270 s, k2 230 s, k4 300 s → 266.7 s = 4m27s against 252 s = 4m12s, +15s.
    assert_eq!(
        row("Average handling time (AHT)"),
        [
            "Average handling time (AHT)",
            "4m27s",
            "4m12s",
            "+15s",
            "! warn",
            "3"
        ]
    );
    // ART: 20, 50 and 30 s → 33.3 s; gap +18s.
    assert_eq!(
        row("Average response time (ART)")[1..4],
        ["33s", "15s", "+18s"]
    );
    // FCR 1 of 3 = 33.3%, −51.7 pt below 85%, under the 75% alert line.
    assert_eq!(
        row("First contact resolution (FCR)")[1..5],
        ["33.3%", "85.0%", "−51.7 pt", "▲ ALERT"]
    );
    // 3 handled ÷ 2 agents ÷ 1 day = 1.5, half the day gone: in progress.
    assert_eq!(
        row("Contacts per agent-day")[1..5],
        ["1.5", "90.0", "−88.5", "◔ 50%"]
    );
    // Occupancy: busy + wrap 850 + 250 s of 10 800 + 41 400 staffed = 2.1%,
    // n the staffed time 52 200 s = 14h30m.
    assert_eq!(
        row("Occupancy")[1..],
        ["2.1%", "80.0%", "−77.9 pt", "! warn", "14h30m"]
    );
    // k5 has waited since 11:50 (10 min); urgent, 5 min to answer: 5 min over.
    assert_eq!(row("Chat")[2], "10m00s");
    assert_eq!(row("k5")[4..], ["‼5m00s over", "BREACHED"]);
    // Agents and owners by name: k4 by a1 (王芳), k2 by a2, f1 owned by a2 (Tom Li).
    assert_eq!(row("k4")[1], "王芳");
    assert_eq!(row("k2")[1], "Tom Li");
    assert_eq!(row("f1")[2], "Tom Li");
    for raw in [
        "aht_s",
        "art_s",
        "contacts_per_agent_day",
        " s (",
        "repeat_48h",
    ] {
        assert!(!text.contains(raw), "{raw:?} in\n{text}");
    }
}

/// A table line's cells: separated by two spaces or more.
fn cells(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_missing_file_names_the_path() {
    let out = shiftdeck(&["snapshot", "--file", "/nonexistent/floor.ndjson"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/floor.ndjson"), "{err}");
}

/// Spec section 9: each queue carries `staffing` with exactly its six keys
/// and `forecast`, one 30-minute interval from the one holding now
/// (12:00 UTC) to the end of the local day, each with exactly four keys.
#[test]
fn queues_carry_staffing_and_the_rest_of_the_day() {
    let (j, _) = snapshot_json(&[]);
    let queues = j["queues"].as_array().expect("queues");
    assert!(!queues.is_empty());
    for q in queues {
        let s = q["staffing"].as_object().expect("staffing object");
        let mut keys: Vec<&str> = s.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "agents_needed",
                "agents_staffed",
                "aht_basis_s",
                "arrivals_last_hour",
                "target_sl",
                "threshold_s"
            ]
        );
        assert!(close(&s["target_sl"], 0.8));
        let f = q["forecast"].as_array().expect("forecast list");
        assert_eq!(f.len(), 24, "12:00 … 23:30");
        assert_eq!(f[0]["from"], "2026-11-22T12:00:00Z");
        assert_eq!(f[23]["from"], "2026-11-22T23:30:00Z");
        for i in f {
            let mut keys: Vec<&str> = i
                .as_object()
                .expect("interval")
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            assert_eq!(keys, ["agents_needed", "aht_s", "from", "offered"]);
            assert!(i["offered"].as_f64().is_some_and(|o| o >= 0.0));
        }
    }
}

/// Section 10: the alerts active at now, by hand. At 12:00 q2's longest
/// wait is k5's 600 s (arrived 11:50), past the 180 s limit since 11:53; k5
/// is urgent with a 5 min first response, due 11:55 and breached; f1 was
/// due at 10:00 and is overdue; a1 has been on break since 11:00, past 15
/// min. No KPI has the 20 contacts `kpi_min_n` asks for. Most severe
/// first, then the oldest.
#[test]
fn active_alerts_are_listed_by_hand() {
    let (j, _) = snapshot_json(&[]);
    let alerts = j["alerts"].as_array().expect("alerts is a list");
    let got: Vec<(&str, &str, &str, &str)> = alerts
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap(),
                a["severity"].as_str().unwrap(),
                a["since"].as_str().unwrap(),
                a["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "queue_longest_wait:q2",
                "critical",
                "2026-11-22T11:53:00Z",
                "queue Chat: longest wait 10 min (limit 3 min)"
            ),
            (
                "sla_breached:k5",
                "critical",
                "2026-11-22T11:55:00Z",
                "urgent contact k5: SLA breached 5 min ago"
            ),
            (
                "feedback_overdue:f1",
                "warn",
                "2026-11-22T10:00:00Z",
                "feedback f1 overdue (owner a2)"
            ),
            (
                "agent_break_over:a1",
                "info",
                "2026-11-22T12:00:00Z",
                "agent 王芳: long break"
            ),
        ]
    );
    assert_eq!(alerts[0]["rule"], "queue_longest_wait");
    assert_eq!(alerts[0]["subject"], "q2");
    // In Chinese the words change, nothing else.
    let (zh, _) = snapshot_json(&["--lang", "zh"]);
    assert_eq!(zh["alerts"][1]["message"], "紧急会话 k5：SLA 已超时 5 分钟");
    assert_eq!(zh["alerts"][1]["id"], "sla_breached:k5");
}
