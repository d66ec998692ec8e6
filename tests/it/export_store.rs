//! `shiftdeck export` on fixed stored entries.

use crate::cli_support;

use shiftdeck::domain::Ts;
use shiftdeck::store::{self, FeedbackChange, NewFeedbackEvent, Store, torture};

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let cfg = dir.join("shiftdeck.toml");
    std::fs::write(&cfg, "timezone = \"Asia/Shanghai\"\n").unwrap();
    cli_support::stdout_ok(cli_support::shiftdeck_with(dir, &cfg).args(args))
}

#[test]
fn spot_checks_and_feedback_export_as_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&store::path_in(&dir.path().join("data"))).unwrap();
    // entry(4): scores 5,1,2,3 (= 11/20), no critical error except none; root cause "agent".
    let mut e = torture::entry(4);
    e.comment = "said \"sorry\", twice".into();
    s.save_score(&e).unwrap();
    // 2026-11-20 09:30 Shanghai = 01:30 UTC.
    let at = Ts::from_secs(1_795_138_200);
    s.add_feedback_event(&NewFeedbackEvent {
        item: "fb-9".into(),
        at,
        author: "王芳".into(),
        change: FeedbackChange::Stage("handling".into()),
    })
    .unwrap();
    drop(s);
    let csv = run(
        dir.path(),
        &[
            "export",
            "spot-checks",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-20",
        ],
    );
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "day,contact,agent,responsiveness,attitude,expertise,resolution,total,max,scale,critical_customer,critical_business,critical_compliance,root_cause,comment,author,saved_at,source"
    );
    assert!(
        lines[1].starts_with(
            "2026-11-20,c-4,a-4,5,1,2,3,11,20,5,no,no,no,agent,\"said \"\"sorry\"\", twice\",torture,"
        ),
        "{}",
        lines[1]
    );
    let json: serde_json::Value = serde_json::from_str(&run(
        dir.path(),
        &[
            "export",
            "spot-checks",
            "--from",
            "2026-11-20",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(json[0]["total"], 11);
    assert_eq!(json[0]["dimensions"]["attitude"], 1);
    // Outside the range: nothing.
    let none = run(
        dir.path(),
        &["export", "spot-checks", "--from", "2026-11-21"],
    );
    assert_eq!(none.split("\r\n").filter(|l| !l.is_empty()).count(), 1);
    let fb = run(
        dir.path(),
        &[
            "export",
            "feedback",
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-20",
        ],
    );
    assert_eq!(
        fb,
        "at,item,author,change,value,source\r\n\
         2026-11-20T09:30:00+08:00,fb-9,王芳,stage,handling,\r\n\
         \r\n\
         item,stage,owner,due,result,callback_result,root_cause,action,last_change,source\r\n\
         fb-9,handling,,,,,,,2026-11-20T09:30:00+08:00,\r\n"
    );
    let fb_next_day = run(dir.path(), &["export", "feedback", "--from", "2026-11-21"]);
    assert_eq!(
        fb_next_day,
        "at,item,author,change,value,source\r\n\
         \r\n\
         item,stage,owner,due,result,callback_result,root_cause,action,last_change,source\r\n"
    );
}

#[test]
fn chinese_csv_is_for_a_spreadsheet_and_json_stays_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&store::path_in(&dir.path().join("data"))).unwrap();
    s.save_score(&torture::entry(4)).unwrap();
    s.add_feedback_event(&NewFeedbackEvent {
        item: "fb-9".into(),
        at: Ts::from_secs(1_795_138_200),
        author: "王芳".into(),
        change: FeedbackChange::Stage("handling".into()),
    })
    .unwrap();
    drop(s);
    let day = ["--from", "2026-11-20", "--to", "2026-11-20"];
    let export = |lang: &str, what: &str, format: &str| {
        let mut args = vec!["--lang", lang, "export", what, "--format", format];
        args.extend(day);
        run(dir.path(), &args)
    };
    let csv = export("zh", "spot-checks", "csv");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}日期,会话,坐席,响应及时性,服务态度,专业能力,问题解决,总分,满分,评分上限,客户致命错误,业务致命错误,合规致命错误,根因,备注,录入人,保存时间,数据源"
    );
    assert!(
        lines[1].starts_with("2026-11-20,c-4,a-4,5,1,2,3,11,20,5,否,否,否,坐席,"),
        "{}",
        lines[1]
    );
    assert_eq!(
        export("zh", "feedback", "csv"),
        "\u{feff}时间,反馈单,录入人,变更,值,数据源\r\n\
         2026-11-20T09:30:00+08:00,fb-9,王芳,阶段,处理中,\r\n\
         \r\n\
         反馈单,阶段,负责人,截止时间,处理结果,回访结果,根因,措施类型,最后变更时间,数据源\r\n\
         fb-9,处理中,,,,,,,2026-11-20T09:30:00+08:00,\r\n"
    );
    for what in ["spot-checks", "feedback"] {
        assert_eq!(
            export("zh", what, "json"),
            export("en", what, "json"),
            "{what}: JSON is for programs, the same in every language"
        );
    }
}

/// An unsatisfied callback reopens the item on the board although no stored
/// change says "handling": the export's state section carries the reopen
/// (stage and the new due), and a change made before the range still counts
/// in the state while the change log shows the range only.
#[test]
fn feedback_state_carries_the_automatic_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&store::path_in(&dir.path().join("data"))).unwrap();
    // 2026-11-19 10:40 Shanghai; 2026-11-20 09:30 Shanghai = 01:30 UTC.
    let day_before = Ts::from_secs(1_795_056_000);
    let at = Ts::from_secs(1_795_138_200);
    let save = |item: &str, at: Ts, change: FeedbackChange| {
        s.add_feedback_event(&NewFeedbackEvent {
            item: item.into(),
            at,
            author: "li".into(),
            change,
        })
        .unwrap();
    };
    save("fb-1", day_before, FeedbackChange::Owner("li".into()));
    save("fb-1", at, FeedbackChange::Stage("callback".into()));
    save(
        "fb-1",
        at.add_secs(60),
        FeedbackChange::CallbackResult("unsatisfied".into()),
    );
    // Only before the range: not in either section.
    save("fb-2", day_before, FeedbackChange::Stage("closed".into()));
    drop(s);
    let csv = run(dir.path(), &["export", "feedback", "--from", "2026-11-20"]);
    let (log, state) = csv.split_once("\r\n\r\n").expect("two sections");
    assert_eq!(
        log,
        "at,item,author,change,value,source\r\n\
         2026-11-20T09:30:00+08:00,fb-1,li,stage,callback,\r\n\
         2026-11-20T09:31:00+08:00,fb-1,li,callback_result,unsatisfied,"
    );
    // Reopened: handling, due 24 h (the default) after the callback result.
    assert_eq!(
        state,
        "item,stage,owner,due,result,callback_result,root_cause,action,last_change,source\r\n\
         fb-1,handling,li,2026-11-21T09:31:00+08:00,,unsatisfied,,,2026-11-20T09:31:00+08:00,\r\n"
    );
    let json: serde_json::Value = serde_json::from_str(&run(
        dir.path(),
        &[
            "export",
            "feedback",
            "--from",
            "2026-11-20",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["state"][0]["item"], "fb-1");
    assert_eq!(json["state"][0]["stage"], "handling");
    assert_eq!(json["state"][0]["due"], "2026-11-21T09:31:00+08:00");
    assert_eq!(json["state"][0]["result"], serde_json::Value::Null);
    assert_eq!(json["state"].as_array().map(Vec::len), Some(1));
}
