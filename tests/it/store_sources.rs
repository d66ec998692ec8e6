//! The lead's entries belong to the source they were entered against
//! (store schema v4): a snapshot of an unrelated file does not report the
//! demo's scorecards, another file's spot-check sample does not leak into
//! today's list, reports say which source they cover, and entries saved
//! before sources were recorded stay readable (`export`) without counting
//! for any source.

use crate::cli_support;
use crate::ui_support::{app, app_with, floor_ndjson, view_of};

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::Value;
use shiftdeck::app::filter::Filter;
use shiftdeck::app::state::{Action, Effect};
use shiftdeck::app::view::EngineMsg;
use shiftdeck::domain::window::WindowKind;
use shiftdeck::domain::{SourceId, Ts};
use shiftdeck::runtime::effects::run_effects;
use shiftdeck::source::spec::SourceSpec;
use shiftdeck::store::{self, SampleRow, Store, open_for_console, torture};

const SMALL_FLOOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/small-floor.ndjson"
);

fn sunday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn file_id(p: &Path) -> SourceId {
    SourceSpec::Files(vec![p.to_path_buf()]).identity()
}

/// Two copies of the small floor: the same contacts, two sources.
fn two_floors(home: &Path) -> (PathBuf, PathBuf) {
    let demo = home.join("demo").join("floor.ndjson");
    std::fs::create_dir_all(demo.parent().unwrap()).unwrap();
    std::fs::copy(SMALL_FLOOR, &demo).unwrap();
    let other = home.join("other.ndjson");
    std::fs::copy(SMALL_FLOOR, &other).unwrap();
    (demo, other)
}

fn snapshot(home: &Path, file: &Path, format: &str) -> String {
    let cfg = Path::new(cli_support::UTC_CONFIG);
    cli_support::stdout_ok(cli_support::shiftdeck_with(home, cfg).args([
        "snapshot",
        "--file",
        file.to_str().unwrap(),
        "--now",
        "2026-11-22T12:00:00Z",
        "--format",
        format,
    ]))
}

fn random_ids(j: &Value) -> Vec<String> {
    j["spot_check"]["random"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["contact"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_snapshot_counts_only_its_own_sources_scores_and_sample() {
    let home = tempfile::tempdir().unwrap();
    let (demo, other) = two_floors(home.path());
    // Entered in the demo: k1 (a1, handled today) scored with a critical
    // customer error; k6 (ended yesterday, so never drawn today by itself)
    // kept on today's random list.
    {
        let mut s = Store::open(&store::path_in(&home.path().join("data")))
            .unwrap()
            .for_source(file_id(&demo));
        let mut score = torture::entry(3);
        score.day = sunday();
        score.contact = "k1".into();
        score.agent = "a1".into();
        score.critical_customer = true;
        s.save_score(&score).unwrap();
        let k6 = SampleRow {
            contact: "k6".into(),
            agent: "a2".into(),
            list: "random".into(),
        };
        s.add_to_sample(sunday(), &[k6], Ts::from_secs(1_795_338_000))
            .unwrap();
    }

    // The demo's own snapshot has them: 1 checked contact, with the error.
    let j: Value = serde_json::from_str(&snapshot(home.path(), &demo, "json")).unwrap();
    let acc = &j["kpis"]["critical_accuracy_customer"];
    assert_eq!(
        (acc["n"].as_f64(), acc["value"].as_f64()),
        (Some(1.0), Some(0.0)),
        "{acc}"
    );
    assert!(random_ids(&j).contains(&"k6".to_owned()), "{j}");
    assert_eq!(j["source"], file_id(&demo).as_str());

    // The unrelated file, same contact ids: none of the demo's entries.
    let j: Value = serde_json::from_str(&snapshot(home.path(), &other, "json")).unwrap();
    let acc = &j["kpis"]["critical_accuracy_customer"];
    assert_eq!(
        (acc["n"].as_f64(), acc["value"].as_f64()),
        (Some(0.0), None),
        "{acc}"
    );
    assert!(!random_ids(&j).contains(&"k6".to_owned()), "{j}");
    let canonical = std::fs::canonicalize(&other).unwrap();
    assert_eq!(j["source"], format!("file:{}", canonical.display()));

    // The table says whose entries its QA lines are.
    let table = snapshot(home.path(), &other, "table");
    assert!(
        table.contains(&format!(
            "Lead's entries of the source file:{}",
            canonical.display()
        )),
        "{table}"
    );
}

#[test]
fn the_weekly_report_reads_its_own_sources_notes_and_says_the_source() {
    let home = tempfile::tempdir().unwrap();
    let (demo, other) = two_floors(home.path());
    {
        let s = Store::open(&store::path_in(&home.path().join("data")))
            .unwrap()
            .for_source(file_id(&demo));
        s.save_kpi_note(&store::KpiNote {
            week: "2026-W47".into(),
            kpi: "aht_s".into(),
            cause: "demo cause".into(),
            action: "demo action".into(),
            author: "lee".into(),
            saved_at: Ts::from_secs(1_795_338_000),
        })
        .unwrap();
    }
    let cfg = Path::new(cli_support::UTC_CONFIG);
    let report = |file: &Path| {
        cli_support::stdout_ok(cli_support::shiftdeck_with(home.path(), cfg).args([
            "report",
            "weekly",
            "--file",
            file.to_str().unwrap(),
            "--week",
            "2026-W47",
        ]))
    };
    let md = report(&demo);
    assert!(md.contains("demo cause"), "{md}");
    assert!(md.contains(&format!("Source: {}", file_id(&demo))), "{md}");
    let md = report(&other);
    assert!(!md.contains("demo cause"), "{md}");
    assert!(md.contains(&format!("Source: {}", file_id(&other))), "{md}");
}

#[test]
fn the_console_reads_back_only_the_scores_of_the_source_it_follows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shiftdeck.db");
    let a = SourceId::new("file:/floors/a.ndjson");
    let b = SourceId::new("rt:https://rt.example.com");
    let (store_a, msg) = open_for_console(&path, &a);
    assert!(msg.is_none());
    let store_a = store_a.unwrap();
    assert_eq!(store_a.source(), &a);
    // A score saved through the form on source a.
    let mut first = app(80, 24);
    let mut score = torture::entry(1);
    score.day = sunday();
    score.contact = "c2".into();
    run_effects(
        &mut first,
        vec![Effect::SaveScore(Box::new(score))],
        Some(&store_a),
        None,
    );
    assert_eq!(store_a.scores(sunday(), sunday()).unwrap().len(), 1);

    // A console following b asks for the day's scores: none of a's.
    let (store_b, _) = open_for_console(&path, &b);
    let store_b = store_b.unwrap();
    let load = |store: &Store| {
        let mut fresh = app_with(&floor_ndjson(), 80, 24);
        fresh.scores = shiftdeck::app::scores::Scores::default();
        let view = view_of(&floor_ndjson(), WindowKind::Today, &Filter::default());
        let effects = fresh.update(Action::Engine(EngineMsg::View(Box::new(view))));
        assert_eq!(effects, vec![Effect::LoadScores(sunday())]);
        run_effects(&mut fresh, effects, Some(store), None);
        fresh.scores.by_contact.keys().cloned().collect::<Vec<_>>()
    };
    assert!(load(&store_b).is_empty());
    assert_eq!(load(&store_a), vec!["c2".to_owned()]);
}

/// A version 3 file (before sources were recorded): its rows get the empty
/// source. No source counts them; `export` lists them with an empty source
/// cell; new entries carry their source.
#[test]
fn entries_from_before_sources_are_kept_for_export_and_claimed_by_none() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = store::path_in(&data);
    {
        let c = Connection::open(&db).unwrap();
        for step in &store::schema::STEPS[..3] {
            c.execute_batch(step).unwrap();
        }
        c.execute_batch(
            "INSERT INTO spot_sample VALUES ('2026-11-20', 'c-1', 'a-1', 'random', 0, 1);
             INSERT INTO kpi_note VALUES ('2026-W47', 'aht_s', 'old cause', 'old action', 'lee', 1);
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    {
        let old = Store::open(&db).unwrap();
        old.save_score(&torture::entry(2)).unwrap();
    }
    // The read-only path migrates a copy in memory: same answer.
    let ro = Store::open_read_only(&db).unwrap().unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    assert_eq!(
        ro.scores(d, d).unwrap().len(),
        1,
        "the unrecorded source's own"
    );
    let ro = ro.for_source(SourceId::new("file:/x.ndjson"));
    assert!(ro.scores(d, d).unwrap().is_empty());
    assert!(ro.sample(d).unwrap().is_empty());
    assert!(ro.kpi_notes("2026-W47").unwrap().is_empty());

    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.schema_version().unwrap(),
        shiftdeck::store::schema::CURRENT
    );
    assert_eq!(s.sample(d).unwrap().len(), 1, "kept under the empty source");
    assert_eq!(s.kpi_notes("2026-W47").unwrap()[0].cause, "old cause");
    let s = s.for_source(SourceId::new("file:/x.ndjson"));
    let mut mine = torture::entry(2);
    mine.comment = "new".into();
    s.save_score(&mine).unwrap();
    drop(s);

    let cfg = Path::new(cli_support::UTC_CONFIG);
    let csv = cli_support::stdout_ok(cli_support::shiftdeck_with(home.path(), cfg).args([
        "export",
        "spot-checks",
        "--from",
        "2026-11-20",
    ]));
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].ends_with(",saved_at,source"), "{csv}");
    assert!(rows[1].ends_with(','), "the old row: empty source: {csv}");
    assert!(rows[2].ends_with(",file:/x.ndjson"), "{csv}");
    assert!(rows[2].contains(",new,"), "{csv}");
}

#[test]
fn a_sources_identity_is_its_canonical_path_or_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("floor.ndjson");
    std::fs::write(&f, "").unwrap();
    let canonical = std::fs::canonicalize(&f).unwrap();
    let want = format!("file:{}", canonical.display());
    assert_eq!(file_id(&f).as_str(), want);
    // Another spelling of the same file is the same source.
    let dotted = dir.path().join("sub").join("..").join("floor.ndjson");
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    assert_eq!(file_id(&dotted).as_str(), want);
    #[cfg(unix)]
    {
        let link = dir.path().join("link.ndjson");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        assert_eq!(file_id(&link).as_str(), want);
    }
    // Files in another order are the same floor.
    let g = dir.path().join("more.ndjson");
    std::fs::write(&g, "").unwrap();
    let ab = SourceSpec::Files(vec![f.clone(), g.clone()]).identity();
    let ba = SourceSpec::Files(vec![g, f]).identity();
    assert_eq!(ab, ba);
    // URLs: the kind and base, without query, user or trailing slash.
    let crm = |s: &str| SourceSpec::parse_crm(s).unwrap().identity();
    assert_eq!(
        crm("rt+https://rt.example.com/?queues=A,B&days=3").as_str(),
        "rt:https://rt.example.com"
    );
    assert_eq!(
        crm("https://feed.example.com:8443/api/").as_str(),
        "feed:https://feed.example.com:8443/api"
    );
    assert_eq!(
        crm("zendesk+https://acme.zendesk.com?email=a@b.c").as_str(),
        "zendesk:https://acme.zendesk.com"
    );
    assert_ne!(crm("https://a.example.com"), crm("https://b.example.com"));
}
