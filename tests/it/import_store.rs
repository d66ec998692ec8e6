//! `shiftdeck import spot-checks|feedback` on both backends: export →
//! import gives back the same entries (English and Chinese headers); the
//! same file twice, or an export imported into the store it came from,
//! leaves each entry once; bad rows are `FILE:LINE: reason` and the rest
//! imported; an import killed with SIGKILL and run again leaves every entry
//! exactly once.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use shiftdeck::cli::export::{current_state, feedback_csv, spot_checks_csv};
use shiftdeck::cli::import::{self, Column, Options, RowProblem, What};
use shiftdeck::domain::followup::FollowupRules;
use shiftdeck::domain::{RootCause, SourceId, Ts};
use shiftdeck::i18n::{Lang, Msg};
use shiftdeck::store::{
    FeedbackChange, NewFeedbackEvent, SpotScore, Store, StoreLocation, torture,
};

use crate::store_support::{Env, PG_URL_ENV, on_both};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn opts() -> Options {
    Options {
        dimensions: ["responsiveness", "attitude", "expertise", "resolution"]
            .map(String::from)
            .to_vec(),
        scale_max: 5,
        tz: TZ,
        // 2026-12-01 00:00 UTC: the time of rows that give none.
        now: Ts::from_secs(1_796_083_200),
    }
}

/// A store of the same kind as `env`, empty.
fn fresh_like(env: &Env) -> Env {
    if env.is_pg() {
        Env::postgres().expect("PostgreSQL")
    } else {
        Env::sqlite()
    }
}

const FLOOR: &str = "file:/srv/floor/today.ndjson";
const RT: &str = "rt:https://rt.example.com";

/// Scorecards with everything a scorecard can hold: two sources and the
/// unrecorded one, a comment a spreadsheet would run, quotes and commas,
/// Chinese, a line break, no root cause, a 1–10 scale, a time to the
/// nanosecond.
fn saved_entries(s: &Store) {
    for n in 0..9u64 {
        let mut e = torture::entry(n);
        e.saved_at = Ts::from_nanos(1_795_000_000_000_000_000 + n as i64 * 1_000_000_007);
        match n {
            1 => e.comment = "=HYPERLINK(\"http://evil\",\"x\")".into(),
            2 => e.comment = "said \"sorry\", twice".into(),
            3 => {
                e.comment = "态度很好，问题已解决".into();
                e.author = "王芳".into();
            }
            4 => e.comment = "line one\nline two".into(),
            5 => e.root_cause = None,
            6 => {
                e.scale_max = 10;
                e.dimensions = vec![
                    ("responsiveness".into(), 10),
                    ("attitude".into(), 7),
                    ("expertise".into(), 1),
                    ("resolution".into(), 9),
                ];
            }
            7 => e.comment = "-".into(),
            _ => {}
        }
        let source = match n % 3 {
            0 => SourceId::new(FLOOR),
            1 => SourceId::new(RT),
            _ => SourceId::unrecorded(),
        };
        s.backend().save_score(&source, &e).unwrap();
    }
}

fn all_scores(s: &Store) -> Vec<(SourceId, SpotScore)> {
    s.scores_every_source(day(), day())
        .unwrap()
        .into_iter()
        .map(|(src, mut x)| {
            x.id = None;
            (src, x)
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

on_both!(spot_checks_round_trip_in_both_languages, |env| {
    let original = env.open("lee");
    saved_entries(&original);
    let want = all_scores(&original);
    assert_eq!(want.len(), 9);
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let csv = spot_checks_csv(
            &original.scores_every_source(day(), day()).unwrap(),
            TZ,
            lang,
        );
        let file = write(dir.path(), &format!("{lang:?}.csv"), &csv);
        let target_env = fresh_like(env);
        let target = target_env.open("qa-importer");
        let r = import::import_file(&target, What::SpotChecks, &file, &opts(), |_| {}).unwrap();
        assert_eq!(r.bad, [], "{lang:?}");
        assert_eq!((r.rows, r.added, r.present), (9, 9, 0), "{lang:?}");
        assert_eq!(all_scores(&target), want, "{lang:?}: the same scorecards");
        // The scorer stays; who imported is recorded beside it.
        let list = target.scores_every_source(day(), day()).unwrap();
        let wang = list.iter().find(|(_, s)| s.contact == "c-3").unwrap();
        assert_eq!(wang.1.author, "王芳");
        assert_eq!(
            target
                .score_imported_by(wang.1.id.unwrap())
                .unwrap()
                .as_deref(),
            Some("qa-importer")
        );
        // The same file again: nothing new.
        let again = import::import_file(&target, What::SpotChecks, &file, &opts(), |_| {}).unwrap();
        assert_eq!((again.added, again.present), (0, 9), "{lang:?}");
        assert_eq!(target.change_stamp().unwrap().scores.1, 9);
        // Into the store it was exported from: every entry is already there.
        let back =
            import::import_file(&original, What::SpotChecks, &file, &opts(), |_| {}).unwrap();
        assert_eq!((back.added, back.present), (0, 9), "{lang:?}");
        assert_eq!(original.change_stamp().unwrap().scores.1, 9);
    }
    // Entered in the console: no importer.
    let list = original.scores_every_source(day(), day()).unwrap();
    assert_eq!(
        original.score_imported_by(list[0].1.id.unwrap()).unwrap(),
        None
    );
});

on_both!(an_edited_row_comes_in_as_the_newest_score, |env| {
    let s = env.open("lee");
    s.backend()
        .save_score(&SourceId::new(FLOOR), &torture::entry(4))
        .unwrap();
    let csv = spot_checks_csv(&s.scores_every_source(day(), day()).unwrap(), TZ, Lang::En);
    // entry(4) scores 5,1,2,3: the QA lead raises attitude to 4.
    let edited = csv.replacen(",5,1,2,3,11,", ",5,4,2,3,11,", 1);
    assert_ne!(edited, csv);
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "edited.csv", &edited);
    for (added, present) in [(1, 0), (0, 1)] {
        let r = import::import_file(&s, What::SpotChecks, &file, &opts(), |_| {}).unwrap();
        assert_eq!((r.added, r.present), (added, present));
    }
    let now = s.scores_every_source(day(), day()).unwrap();
    assert_eq!(now.len(), 1);
    // The domain's total from the new scores, not the file's 11.
    assert_eq!(now[0].1.dimensions[1], ("attitude".into(), 4));
    assert_eq!(now[0].1.total(), 14);
    assert_eq!(
        s.change_stamp().unwrap().scores.1,
        2,
        "the old score stays as history"
    );
});

const HEAD: &str = "day,contact,agent,responsiveness,attitude,expertise,resolution,empathy,total,max,scale,critical_customer,critical_business,critical_compliance,root_cause,comment,author,saved_at,source\n";

on_both!(bad_rows_are_reported_by_line_and_the_rest_imported, |env| {
    let s = env.open("qa-importer");
    let good = |contact: &str, tail: &str| {
        format!("2026-11-20,{contact},a-1,5,4,3,2,,14,20,5,no,yes,no,agent,{tail}\n")
    };
    let mut text = String::from(HEAD);
    // 2: good.
    text += &good("c-1", "fine,qa1,2026-11-20T09:30:00+08:00,file:/f");
    // 3: cut short by a spreadsheet.
    text += "2026-11-20,c-2,a-1,5,4\n";
    // 4: a score above the scale.
    text += "2026-11-20,c-3,a-1,7,4,3,2,,16,20,5,no,no,no,agent,x,qa1,,file:/f\n";
    // 5: a dimension the scorecard does not have.
    text += "2026-11-20,c-4,a-1,5,4,3,2,3,17,20,5,no,no,no,agent,x,qa1,,file:/f\n";
    // 6: no such date.
    text += "2026-13-45,c-5,a-1,5,4,3,2,,14,20,5,no,no,no,agent,x,qa1,,file:/f\n";
    // 7: a huge comment.
    text += &good("c-6", &format!("{},qa1,,file:/f", "y".repeat(70 * 1024)));
    // 8: a terminal escape (set the window title) in the comment.
    text += &good("c-7", "\"\u{1b}]0;pwned\u{7}\",qa1,,file:/f");
    // 9: a quoted comment over two lines (9 and 10), Chinese yes; no author
    //    or time: who imports, and the time of the import.
    text += "2026-11-20,c-9,a-1,5,4,3,2,,14,20,5,是,否,否,,\"two\nlines\",,,file:/f\n";
    // 11: a bad time.
    text += &good("c-11", "x,qa1,yesterday,file:/f");
    // 12: a root cause nobody knows.
    text += "2026-11-20,c-12,a-1,5,4,3,2,,14,20,5,no,no,no,weather,x,qa1,,file:/f\n";
    // 13: the file ends inside a quoted comment.
    text += "2026-11-20,c-13,a-1,5,4,3,2,,14,20,5,no,no,no,agent,\"cut";
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "scores.csv", &text);
    let name = file.display().to_string();
    let r = import::import_file(&s, What::SpotChecks, &file, &opts(), |_| {}).unwrap();
    let got: Vec<(u64, RowProblem)> = r.bad.iter().map(|e| (e.line, e.problem.clone())).collect();
    let s_ = |x: &str| x.to_owned();
    assert_eq!(
        got,
        [
            (3, RowProblem::Columns { found: 5, want: 19 }),
            (
                4,
                RowProblem::Score {
                    dimension: s_("responsiveness"),
                    value: s_("7"),
                    max: 5
                }
            ),
            (
                5,
                RowProblem::UnknownDimension {
                    name: s_("empathy"),
                    known: s_("responsiveness, attitude, expertise, resolution")
                }
            ),
            (
                6,
                RowProblem::Day {
                    column: Msg::CsvDay,
                    value: s_("2026-13-45")
                }
            ),
            (
                7,
                RowProblem::Record(shiftdeck::cli::csv_read::RecordProblem::FieldTooLong)
            ),
            (
                8,
                RowProblem::Control {
                    column: Msg::CsvComment,
                    code: 0x1b
                }
            ),
            (
                11,
                RowProblem::Time {
                    column: Msg::CsvSavedAt,
                    value: s_("yesterday")
                }
            ),
            (12, RowProblem::RootCause(s_("weather"))),
            (
                13,
                RowProblem::Record(shiftdeck::cli::csv_read::RecordProblem::Unterminated)
            ),
        ]
    );
    assert_eq!(
        r.bad[0].to_string(),
        format!("{name}:3: 5 fields, the header has 19")
    );
    assert_eq!((r.rows, r.added, r.present), (11, 2, 0));
    let stored = s.scores_every_source(day(), day()).unwrap();
    let contacts: Vec<&str> = stored.iter().map(|(_, x)| x.contact.as_str()).collect();
    assert_eq!(contacts, ["c-1", "c-9"]);
    let c9 = &stored[1].1;
    assert_eq!(c9.author, "qa-importer");
    assert_eq!(c9.comment, "two\nlines");
    assert_eq!(
        (c9.critical_customer, c9.critical_business, c9.root_cause),
        (true, false, None)
    );
    assert_eq!(c9.saved_at, opts().now);
    let c1 = &stored[0].1;
    assert_eq!(c1.saved_at, Ts::from_secs(1_795_138_200));
    assert_eq!(c1.root_cause, Some(RootCause::KNOWN[0]));
    // Again: the good rows are there, the bad ones said again.
    let again = import::import_file(&s, What::SpotChecks, &file, &opts(), |_| {}).unwrap();
    assert_eq!((again.added, again.present, again.bad.len()), (0, 2, 9));
    assert_eq!(s.change_stamp().unwrap().scores.1, 2);
});

#[test]
fn a_header_without_the_scorecard_s_columns_imports_nothing() {
    let env = Env::sqlite();
    let s = env.open("qa");
    let dir = tempfile::tempdir().unwrap();
    for (text, want) in [
        ("", RowProblem::EmptyFile),
        (
            "day,agent,responsiveness,attitude,expertise,resolution\n2026-11-20,a,1,1,1,1\n",
            RowProblem::MissingColumn(Column::Known(Msg::CsvContact)),
        ),
        (
            "day,contact,agent,responsiveness,attitude,expertise\n2026-11-20,c,a,1,1,1\n",
            RowProblem::MissingColumn(Column::Dimension("resolution".into())),
        ),
        (
            "day,day,contact,agent\n",
            RowProblem::DuplicateColumn(Column::Known(Msg::CsvDay)),
        ),
    ] {
        let file = write(dir.path(), "h.csv", text);
        match import::import_file(&s, What::SpotChecks, &file, &opts(), |_| {}) {
            Err(import::ImportError::Header(e)) => {
                assert_eq!((e.line, e.problem), (1, want), "{text:?}")
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
    assert_eq!(s.change_stamp().unwrap().scores.1, 0);
}

fn events() -> Vec<(SourceId, NewFeedbackEvent)> {
    // 2026-11-20 09:30 Shanghai, then a minute apart, nanoseconds kept.
    let at = |m: i64| Ts::from_nanos((1_795_138_200 + m * 60) * 1_000_000_000 + 123);
    let ev = |item: &str, m: i64, author: &str, change: FeedbackChange| NewFeedbackEvent {
        item: item.into(),
        at: at(m),
        author: author.into(),
        change,
    };
    vec![
        (
            SourceId::new(FLOOR),
            ev("fb-1", 0, "lee", FeedbackChange::Owner("王芳".into())),
        ),
        (
            SourceId::new(FLOOR),
            ev("fb-1", 1, "王芳", FeedbackChange::Stage("handling".into())),
        ),
        (
            SourceId::new(FLOOR),
            ev(
                "fb-1",
                2,
                "王芳",
                FeedbackChange::Result("refund, \"sent\"".into()),
            ),
        ),
        (
            SourceId::new(FLOOR),
            ev("fb-1", 3, "王芳", FeedbackChange::Stage("callback".into())),
        ),
        (
            SourceId::new(RT),
            ev(
                "rt-7",
                4,
                "lee",
                FeedbackChange::CallbackResult("satisfied".into()),
            ),
        ),
        (
            SourceId::new(RT),
            ev(
                "rt-7",
                5,
                "lee",
                FeedbackChange::RootCause("process".into()),
            ),
        ),
        (
            SourceId::new(RT),
            ev("rt-7", 6, "lee", FeedbackChange::Action("=coaching".into())),
        ),
        (
            SourceId::unrecorded(),
            ev("fb-2", 7, "kim", FeedbackChange::Stage("closed".into())),
        ),
    ]
}

on_both!(feedback_round_trip_in_both_languages, |env| {
    let original = env.open("lee");
    for (src, e) in events() {
        original.backend().add_feedback_event(&src, &e).unwrap();
    }
    let all = |s: &Store| -> Vec<_> {
        s.feedback_events_every_source(Ts::from_nanos(i64::MIN + 1), Ts::from_nanos(i64::MAX))
            .unwrap()
            .into_iter()
            .map(|e| (e.source, e.item, e.at, e.author, e.change))
            .collect()
    };
    let want = all(&original);
    assert_eq!(want.len(), 8);
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let history = original
            .feedback_events_every_source(Ts::from_nanos(i64::MIN + 1), Ts::from_nanos(i64::MAX))
            .unwrap();
        let state = current_state(&history, Ts::from_secs(0), &FollowupRules::default(), TZ);
        assert_eq!(state.len(), 3, "fb-1, rt-7, fb-2");
        let csv = feedback_csv(&history, &state, TZ, lang);
        // The state table after the change log is derived: not read.
        assert!(csv.contains("\r\n\r\n"), "{csv}");
        let file = write(dir.path(), &format!("fb-{lang:?}.csv"), &csv);
        let target_env = fresh_like(env);
        let target = target_env.open("qa-importer");
        let r = import::import_file(&target, What::Feedback, &file, &opts(), |_| {}).unwrap();
        assert_eq!(r.bad, [], "{lang:?}");
        assert_eq!((r.added, r.present), (8, 0), "{lang:?}");
        assert_eq!(all(&target), want, "{lang:?}");
        // As a spreadsheet saves it: the empty line as a row of empty cells.
        let resaved = write(
            dir.path(),
            "resaved.csv",
            &csv.replacen("\r\n\r\n", "\r\n,,,,,\r\n", 1),
        );
        let again =
            import::import_file(&target, What::Feedback, &resaved, &opts(), |_| {}).unwrap();
        assert_eq!(again.bad, [], "{lang:?}");
        assert_eq!((again.added, again.present), (0, 8), "{lang:?}");
        let back = import::import_file(&original, What::Feedback, &file, &opts(), |_| {}).unwrap();
        assert_eq!((back.added, back.present), (0, 8), "{lang:?}");
    }
    assert_eq!(all(&original).len(), 8);
});

/// A CSV of `n` scorecards nobody saved yet.
fn big_file(dir: &Path, n: u64) -> std::path::PathBuf {
    let rows: Vec<(SourceId, SpotScore)> = (0..n)
        .map(|i| (SourceId::new(FLOOR), torture::entry(100_000 + i)))
        .collect();
    write(dir, "big.csv", &spot_checks_csv(&rows, TZ, Lang::En))
}

/// `shiftdeck import spot-checks` on `env`'s store through the real binary.
fn import_cmd(env: &Env, home: &Path, file: &Path) -> Command {
    let cfg = home.join("shiftdeck.toml");
    let mut text = String::from("timezone = \"Asia/Shanghai\"\n[user]\nname = \"qa-importer\"\n");
    let data = match &env.loc {
        StoreLocation::Sqlite(db) => db.parent().unwrap().to_path_buf(),
        StoreLocation::Postgres(s) => {
            let url = std::env::var(PG_URL_ENV).unwrap();
            text += &format!(
                "[store]\nurl = \"{url}\"\nschema = \"{}\"\n",
                s.schema.as_deref().unwrap()
            );
            home.join("data")
        }
    };
    std::fs::write(&cfg, text).unwrap();
    let mut cmd = crate::cli_support::shiftdeck_in(home);
    cmd.arg("--config")
        .arg(&cfg)
        .arg("--data-dir")
        .arg(data)
        .args(["import", "spot-checks", "--file"])
        .arg(file);
    cmd
}

/// How many times each contact is stored (raw rows, not only the newest).
fn copies(s: &Store) -> (u64, usize) {
    let rows = s.change_stamp().unwrap().scores.1 as u64;
    let distinct = s.scores_every_source(day(), day()).unwrap().len();
    (rows, distinct)
}

on_both!(
    an_import_killed_and_run_again_leaves_every_entry_once,
    |env| {
        const N: u64 = 5_500;
        let home = tempfile::tempdir().unwrap();
        let file = big_file(home.path(), N);
        // Open once so the schema exists before the binary and the checks.
        let store = env.open("check");

        // 1. Killed while it waits after its first committed batch.
        let mut child = import_cmd(env, home.path(), &file)
            .env("SHIFTDECK_IMPORT_PAUSE_MS", "30000")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        err.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "import: committed 1000");
        child.kill().unwrap(); // SIGKILL
        assert!(child.wait().unwrap().code().is_none());
        assert_eq!(copies(&store), (1_000, 1_000));

        // 2. Killed at a moment of its own, in a batch or between two.
        let mut child = import_cmd(env, home.path(), &file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150));
        child.kill().unwrap();
        child.wait().unwrap();
        let (rows, distinct) = copies(&store);
        assert_eq!(
            rows, distinct as u64,
            "no entry twice after the second kill"
        );

        // 3. Run to the end: every entry exactly once.
        let out = import_cmd(env, home.path(), &file).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8(out.stdout).unwrap();
        assert!(
            said.contains(&format!(
                "{} imported, {} already there, 0 bad rows skipped",
                N - rows,
                rows
            )),
            "{said}"
        );
        assert_eq!(copies(&store), (N, N as usize));
        let list = store.scores_every_source(day(), day()).unwrap();
        let mut want = torture::entry(100_007);
        let got = list
            .iter()
            .find(|(_, s)| s.contact == want.contact)
            .unwrap()
            .1
            .clone();
        want.id = got.id;
        assert_eq!(got, want);
        assert_eq!(
            store.score_imported_by(got.id.unwrap()).unwrap().as_deref(),
            Some("qa-importer")
        );
    }
);

#[test]
fn the_command_says_bad_rows_by_line_in_chinese_and_exits_4() {
    let env = Env::sqlite();
    let home = tempfile::tempdir().unwrap();
    let text = format!(
        "\u{feff}日期,会话,坐席,响应及时性,服务态度,专业能力,问题解决,总分,满分,评分上限,客户致命错误,业务致命错误,合规致命错误,根因,备注,录入人,保存时间,数据源\n\
         2026-11-20,c-1,a-1,5,4,3,2,14,20,5,否,否,否,agent,好,王芳,2026-11-20T09:30:00+08:00,{FLOOR}\n\
         2026-11-20,c-2,a-1,5,4,3,9,21,20,5,否,否,否,agent,好,王芳,2026-11-20T09:31:00+08:00,{FLOOR}\n"
    );
    let file = write(home.path(), "评分.csv", &text);
    let out = import_cmd(&env, home.path(), &file)
        .args(["--lang", "zh"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let name = file.display();
    assert!(
        stderr.contains(&format!(
            "{name}:3: 问题解决：评分 9 不是 1 到 5 之间的整数"
        )),
        "{stderr}"
    );
    assert!(
        stdout.contains(&format!("{name}：导入 1 条，已存在 0 条，跳过错误行 1 条")),
        "{stdout}"
    );
    let s = env.open("check");
    let list = s.scores_every_source(day(), day()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].1.author, "王芳");
    assert_eq!(list[0].0, SourceId::new(FLOOR));
}
