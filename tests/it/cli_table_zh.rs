//! `snapshot --format table` in Chinese: headings, KPI names and data words
//! from the catalogue, columns aligned by display width (a CJK character
//! counts two), and English unchanged by the language parameter.

use std::path::PathBuf;

use shiftdeck::cli::table::render_in;
use shiftdeck::domain::Window;
use shiftdeck::domain::time::parse_rfc3339;
use shiftdeck::i18n::Lang;
use unicode_width::UnicodeWidthStr;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn snapshot() -> (shiftdeck::domain::Snapshot, chrono_tz::Tz) {
    let text = std::fs::read_to_string(fixture("small-floor.ndjson")).unwrap();
    let (floor, errors) = shiftdeck::source::load_str(&text);
    // The fixture holds one deliberately malformed line (no offset).
    assert_eq!(errors.len(), 1, "{errors:?}");
    let loaded = shiftdeck::config::load(Some(&fixture("utc.toml"))).unwrap();
    let settings = loaded.settings;
    let win = Window {
        from: parse_rfc3339("2026-11-22T00:00:00Z").unwrap(),
        to: parse_rfc3339("2026-11-23T00:00:00Z").unwrap(),
    };
    let now = parse_rfc3339("2026-11-22T12:00:00Z").unwrap();
    let tz = settings.timezone;
    (shiftdeck::cli::snapshot_at(&floor, &settings, win, now), tz)
}

/// The lines of the table that follows the section line `title`, up to the
/// next blank line.
fn block<'a>(out: &'a str, title: &str) -> Vec<&'a str> {
    out.lines()
        .skip_while(|l| *l != title)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn chinese_table_headings_and_alignment() {
    let (snap, tz) = snapshot();
    let zh = render_in(&snap, tz, Lang::Zh);
    assert!(zh.starts_with("shiftdeck 快照  时间窗 2026-11-22 00:00:00 → 2026-11-23 00:00:00（UTC）  当前 2026-11-22 12:00:00"), "{zh}");
    for heading in ["指标", "队列"] {
        assert!(
            zh.lines().any(|l| l == heading),
            "no section {heading}: {zh}"
        );
    }
    let kpis = block(&zh, "指标");
    // Header plus one row per KPI (11 KPIs of the spec).
    assert_eq!(kpis.len(), 1 + snap.kpis.len(), "{zh}");
    let head: Vec<&str> = kpis[0].split_whitespace().collect();
    assert_eq!(head, ["指标", "数值", "目标", "差距", "状态", "样本数"]);
    assert!(zh.contains("客户满意度 CSAT"), "{zh}");
    assert!(zh.contains("平均处理时长 AHT"), "{zh}");
    // The last column is right-aligned, so every KPI line ends at the same
    // display column: the header's "样本数" (6 columns) over the counts.
    let w = kpis[0].width();
    for l in &kpis {
        assert_eq!(l.width(), w, "misaligned: {l:?}\n{zh}");
    }
    let queues = block(&zh, "队列");
    let head: Vec<&str> = queues[0].split_whitespace().collect();
    assert_eq!(
        head,
        [
            "队列",
            "排队",
            "最长等待",
            "闲/忙/整/休",
            "进线",
            "服务水平",
            "放弃率",
            "ART",
            "AHT"
        ]
    );
    let w = queues[0].width();
    for l in &queues {
        assert_eq!(l.width(), w, "misaligned: {l:?}\n{zh}");
    }
    assert!(zh.contains("SLA 计时："), "{zh}");
    assert!(zh.contains("客诉反馈："), "{zh}");
    assert!(zh.contains("抽检 2026-11-22（种子 "), "{zh}");
    // k5's open urgent contact: its priority in the lead's words.
    assert!(zh.contains("紧急"), "{zh}");
    // The console's units and words in Chinese, by hand (see cli_snapshot):
    // AHT 266.7 s = 4m27s against 4m12s; 1.5 contacts per agent-day with
    // half the day gone; k5 urgent, 5 min past its 5 min first response.
    let row = |first: &str| -> Vec<&str> {
        zh.lines()
            .map(|l| {
                l.split("  ")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
            })
            .find(|c| c.first() == Some(&first))
            .unwrap_or_else(|| panic!("no row {first:?}: {zh}"))
    };
    assert_eq!(
        row("平均处理时长 AHT"),
        ["平均处理时长 AHT", "4m27s", "4m12s", "+15s", "! 预警", "3"]
    );
    assert_eq!(
        row("人均日有效服务量")[1..5],
        ["1.5", "90.0", "−88.5", "◔ 已50%"]
    );
    assert_eq!(
        row("占用率")[1..],
        ["2.1%", "80.0%", "−77.9 pt", "! 预警", "14h30m"]
    );
    assert_eq!(row("k5")[4..], ["‼超5m00s", "已超时"]);
    assert_eq!(row("k4")[1..4], ["王芳", "随机", "48h内重复, 转接≥2次"]);
    for english in [
        "KPIs", "Queues", "window", "value", "BREACHED", "OVERDUE", "random", "urgent",
    ] {
        assert!(!zh.contains(english), "{english:?} left in English: {zh}");
    }
}

#[test]
fn english_table_is_the_default() {
    let (snap, tz) = snapshot();
    let en = render_in(&snap, tz, Lang::En);
    assert!(en.starts_with("shiftdeck snapshot  window 2026-11-22 00:00:00 → "));
    let head: Vec<&str> = block(&en, "KPIs")[0].split_whitespace().collect();
    assert_eq!(head, ["KPI", "value", "target", "gap", "status", "n"]);
    // The agents by state say it as the console's queue pane does.
    let head: Vec<&str> = block(&en, "Queues")[0].split_whitespace().collect();
    assert_eq!(head[3], "Av/Bu/Wr/Br", "{en}");
    assert_eq!(
        head[3],
        shiftdeck::i18n::t(Lang::En, shiftdeck::i18n::Msg::ColAgents)
    );
}
