//! `shiftdeck report handover` on a hand-made floor (tests/fixtures/handover.ndjson,
//! UTC, Sunday 2026-11-22, shift 08:00–16:00, handover at 12:00):
//! - c0 at 07:00 is before the shift (its 100 s answer must not count).
//! - c1–c4 in the shift, agent a1: answered after 10, 30, 5, 15 s (ART 15.0 s,
//!   3 of 4 within 20 s: SL 75.0 %, gap −5.0 pt), handled in 240, 360, 180,
//!   240 s (AHT 1 020 ÷ 4 = 255.0 s, gap +3.0 s), c2 unresolved (FCR 75.0 %,
//!   gap −10.0 pt); 4 contacts by 1 agent in ⅓ day: 12.0 per agent-day.
//! - feedback f1 (ann, due 10:00) and f4 (bo, due 11:00) overdue at 12:00,
//!   f2 (new, due tomorrow) open, f3 closed.
//! - store: alert A fired 09:30, acknowledged by 王芳 09:35, cleared 10:15;
//!   alert B fired 11:00, open; alert C fired and cleared the evening before
//!   (not this shift); the owner of f2 set to 王芳; one scorecard of the day;
//!   an fcr note for 2026-W47.

use crate::cli_support;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use shiftdeck::domain::Ts;
use shiftdeck::domain::alerts::{AlertObject, Rule, Severity};
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::source::spec::SourceSpec;
use shiftdeck::store::{self, FeedbackChange, KpiNote, NewFeedbackEvent, SpotScore, Store};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handover.ndjson")
}

fn ts(s: &str) -> Ts {
    parse_rfc3339(s).unwrap()
}

fn run(dir: &Path, extra: &[&str]) -> String {
    let file = fixture();
    let mut args = vec![
        "report",
        "handover",
        "--file",
        file.to_str().unwrap(),
        "--now",
        "2026-11-22T12:00:00Z",
    ];
    args.extend_from_slice(extra);
    cli_support::stdout_ok(
        cli_support::shiftdeck_with(dir, Path::new(cli_support::UTC_CONFIG)).args(&args),
    )
}

fn alert(id: &str, severity: Severity, message: &str) -> AlertObject {
    AlertObject {
        id: format!("kpi_alert:{id}"),
        rule: Rule::KpiAlert,
        subject: id.into(),
        severity,
        since: ts("2026-11-22T09:00:00Z"),
        message: message.into(),
    }
}

fn fill_store(dir: &Path) {
    let source = SourceSpec::Files(vec![fixture()]).identity();
    let s = Store::open(&store::path_in(&dir.join("data")))
        .unwrap()
        .for_source(source);
    let a = alert("service_level", Severity::Critical, "SL 75% | below 80%");
    let ep = s
        .record_alert_fired(&a, ts("2026-11-22T09:30:00Z"), &[])
        .unwrap()
        .unwrap();
    assert_eq!(
        s.ack_alert(ep, "王芳", ts("2026-11-22T09:35:00Z")).unwrap(),
        None
    );
    s.record_alert_cleared(&a, ts("2026-11-22T10:15:00Z"), &[])
        .unwrap()
        .unwrap();
    s.record_alert_fired(
        &alert("aht_s", Severity::Warn, "AHT 255 s"),
        ts("2026-11-22T11:00:00Z"),
        &[],
    )
    .unwrap()
    .unwrap();
    let c = alert("fcr", Severity::Warn, "yesterday");
    s.record_alert_fired(&c, ts("2026-11-21T20:00:00Z"), &[])
        .unwrap()
        .unwrap();
    s.record_alert_cleared(&c, ts("2026-11-21T21:00:00Z"), &[])
        .unwrap()
        .unwrap();
    s.add_feedback_event(&NewFeedbackEvent {
        item: "f2".into(),
        at: ts("2026-11-22T09:45:00Z"),
        author: "王芳".into(),
        change: FeedbackChange::Owner("王芳".into()),
    })
    .unwrap();
    s.save_score(&SpotScore {
        id: None,
        day: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        contact: "c3".into(),
        agent: "a1".into(),
        dimensions: vec![
            ("responsiveness".into(), 4),
            ("attitude".into(), 5),
            ("expertise".into(), 4),
            ("resolution".into(), 4),
        ],
        scale_max: 5,
        critical_customer: false,
        critical_business: false,
        critical_compliance: false,
        root_cause: None,
        comment: String::new(),
        author: "王芳".into(),
        saved_at: ts("2026-11-22T10:30:00Z"),
    })
    .unwrap();
    s.save_kpi_note(&KpiNote {
        week: "2026-W47".into(),
        kpi: "fcr".into(),
        cause: "New hire on c2".into(),
        action: "Coach a1".into(),
        author: "王芳".into(),
        saved_at: ts("2026-11-22T11:30:00Z"),
    })
    .unwrap();
}

fn rows<'a>(md: &'a str, after: &str) -> Vec<&'a str> {
    md.split(after)
        .nth(1)
        .unwrap_or_else(|| panic!("{after:?} in\n{md}"))
        .lines()
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn handover_markdown_has_the_shift_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    fill_store(dir.path());
    let md = run(dir.path(), &["--shift", "08:00-16:00"]);
    assert!(md.starts_with("# Shift handover 2026-11-22 08:00 – 2026-11-22 16:00 (UTC)\n"));
    let kpis = rows(&md, "## KPIs against target\n");
    assert!(
        kpis.contains(
            &"| First contact resolution (FCR) | 75.0% | 85.0% | −10.0 pt | ! warn | 4 |"
        ),
        "{md}"
    );
    assert!(
        kpis.contains(&"| Average handling time (AHT) | 4m15s | 4m12s | +3s | ! warn | 4 |"),
        "{md}"
    );
    assert!(
        kpis.contains(&"| Average response time (ART) | 15s | 15s | ±0s | ✓ ok | 4 |"),
        "{md}"
    );
    assert!(
        kpis.contains(&"| Service level | 75.0% | 80.0% | −5.0 pt | ! warn | 4 |"),
        "{md}"
    );
    assert!(
        // 4 handled ÷ 1 agent ÷ ⅓ day = 12.0; at 12:00 half the 08:00–16:00
        // shift is gone: in progress, not judged against a full day.
        kpis.contains(&"| Contacts per agent-day | 12.0 | 90.0 | −78.0 | ◔ 50% | 1 |"),
        "{md}"
    );
    assert_eq!(
        rows(&md, "## Alerts that fired\n")[2..],
        [
            "| kpi_alert:service_level | critical | 2026-11-22 09:30 | 2026-11-22 10:15 | 王芳 at 2026-11-22 09:35 | SL 75% \\| below 80% |",
            "| kpi_alert:aht_s | warn | 2026-11-22 11:00 | still open | not acknowledged | AHT 255 s |",
        ]
    );
    assert!(md.contains("## Open feedback (3 open, 2 overdue)"), "{md}");
    assert_eq!(
        rows(&md, "overdue)\n")[2..],
        [
            "| f1 | handling | ann | 2026-11-22 10:00 | OVERDUE |",
            "| f4 | handling | bo | 2026-11-22 11:00 | OVERDUE |",
            "| f2 | new | 王芳 | 2026-11-23 09:00 |  |",
        ]
    );
    assert!(!md.contains("| f3 |"));
    assert!(md.contains("2026-11-22: 1 scored;"), "{md}");
    assert!(
        md.contains("| Hotline | 0 | 1 | none ahead |  | 0/24 | 0 |"),
        "{md}"
    );
    assert!(
        md.contains("- **First contact resolution (FCR)** cause: New hire on c2; action: Coach a1 (王芳, 2026-11-22 11:30)"),
        "{md}"
    );
    assert!(md.contains("Source: file:"), "{md}");
    // No customer ids.
    assert!(!md.contains("u1") && !md.contains("u2"), "{md}");
}

#[test]
fn handover_in_chinese_and_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    fill_store(dir.path());
    let zh = run(dir.path(), &["--shift", "08:00-16:00", "--lang", "zh"]);
    assert!(
        zh.starts_with("# 交接班报告 2026-11-22 08:00 – 2026-11-22 16:00（UTC）\n"),
        "{zh}"
    );
    assert!(zh.contains("## 未结客诉（未结 3 条，逾期 2 条）"), "{zh}");
    assert!(zh.contains("| 王芳于 2026-11-22 09:35 确认 |"), "{zh}");
    assert!(zh.contains("仍未解除"), "{zh}");
    // The console's Chinese words and units (see the English test).
    assert!(
        zh.contains("| 人均日有效服务量 | 12.0 | 90.0 | −78.0 | ◔ 已50% | 1 |"),
        "{zh}"
    );
    assert!(
        zh.contains("| 平均处理时长 AHT | 4m15s | 4m12s | +3s | ! 预警 | 4 |"),
        "{zh}"
    );
    assert!(zh.contains("- **一次解决率"), "{zh}");
    let csv = run(dir.path(), &["--shift", "08:00-16:00", "--format", "csv"]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "section,item,value,target,gap,status,who,at,until,detail"
    );
    assert!(lines.contains(&"kpi,fcr,0.75,0.85,-0.1,warn,,,,4"), "{csv}");
    assert!(lines.contains(&"kpi,aht_s,255,252,3,warn,,,,4"), "{csv}");
    assert!(
        lines.contains(&"alert,kpi_alert:aht_s,,,,warn,,2026-11-22T11:00:00Z,,AHT 255 s"),
        "{csv}"
    );
    assert!(
        lines.contains(&"feedback,f1,,,,handling,ann,,2026-11-22T10:00:00Z,overdue"),
        "{csv}"
    );
    assert!(
        lines.contains(&"note,fcr,New hire on c2,,,,王芳,2026-11-22T11:30:00Z,,Coach a1"),
        "{csv}"
    );
    let zh_csv = run(
        dir.path(),
        &["--shift", "08:00-16:00", "--format", "csv", "--lang", "zh"],
    );
    assert!(zh_csv.starts_with("\u{feff}部分,条目,"), "{zh_csv}");
    assert!(zh_csv.contains("客诉,f1,"), "{zh_csv}");
}

#[test]
fn handover_without_a_store_and_with_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    // No store yet: the floor's part, nothing of the lead's.
    let md = run(
        dir.path(),
        &[
            "--from",
            "2026-11-22T08:00:00Z",
            "--to",
            "2026-11-22T16:00:00Z",
        ],
    );
    assert!(md.contains("No alert fired in this shift."), "{md}");
    assert!(md.contains("2026-11-22: 0 scored;"), "{md}");
    assert!(md.contains("No KPI notes for this week."), "{md}");
    assert!(md.contains("| f2 | new | unassigned |"), "{md}");
    // A bad --shift names the flag.
    let out = cli_support::shiftdeck_with(dir.path(), Path::new(cli_support::UTC_CONFIG))
        .args([
            "report",
            "handover",
            "--file",
            fixture().to_str().unwrap(),
            "--shift",
            "8-16",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--shift \"8-16\": expected local times like 08:00-16:00"),
        "{err}"
    );
}

#[test]
fn handover_reads_a_read_only_store() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fill_store(dir.path());
    let data = dir.path().join("data");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let md = run(dir.path(), &["--shift", "08:00-16:00"]);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(md.contains("| kpi_alert:aht_s | warn |"), "{md}");
    assert!(md.contains("2026-11-22: 1 scored;"), "{md}");
}

#[test]
fn handover_prints_the_incoming_leads_acknowledgement_of_that_shift() {
    let dir = tempfile::tempdir().unwrap();
    fill_store(dir.path());
    let md = run(dir.path(), &["--shift", "08:00-16:00"]);
    assert!(
        md.contains("\nNot acknowledged by the incoming lead yet.\n"),
        "{md}"
    );
    let shift = shiftdeck::domain::Window {
        from: ts("2026-11-22T08:00:00Z"),
        to: ts("2026-11-22T16:00:00Z"),
    };
    let source = SourceSpec::Files(vec![fixture()]).identity();
    let s = Store::open(&store::path_in(&dir.path().join("data")))
        .unwrap()
        .for_source(source);
    assert_eq!(
        s.ack_handover(shift, "kim", ts("2026-11-22T16:05:00Z"))
            .unwrap(),
        None
    );
    drop(s);
    let md = run(dir.path(), &["--shift", "08:00-16:00"]);
    assert!(
        md.contains("\nAcknowledged by kim at 2026-11-22 16:05.\n"),
        "{md}"
    );
    assert!(!md.contains("Not acknowledged"), "{md}");
    let zh = run(dir.path(), &["--shift", "08:00-16:00", "--lang", "zh"]);
    assert!(
        zh.contains("接班组长 kim 已于 2026-11-22 16:05 确认。"),
        "{zh}"
    );
    let csv = run(dir.path(), &["--shift", "08:00-16:00", "--format", "csv"]);
    assert!(
        csv.split("\r\n")
            .any(|l| l == "acknowledged,,,,,,kim,2026-11-22T16:05:00Z,,"),
        "{csv}"
    );
    // Another shift (the whole day) is a handover of its own: not acknowledged.
    let day = run(
        dir.path(),
        &[
            "--from",
            "2026-11-22T00:00:00Z",
            "--to",
            "2026-11-23T00:00:00Z",
        ],
    );
    assert!(
        day.contains("Not acknowledged by the incoming lead yet."),
        "{day}"
    );
    assert!(!day.contains("kim"), "{day}");
}
