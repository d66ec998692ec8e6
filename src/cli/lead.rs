//! The lead's stored entries in the one-shot commands: `snapshot` keeps the
//! day's stored spot-check sample and adds the QA KPIs from the scorecards.
//! These commands only ever read the store.

use std::path::Path;

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::CliError;
use crate::domain::agents::{QaEntry, apply_qa};
use crate::domain::calendar::local_date;
use crate::domain::qa::{self, QaKpi, QaScore};
use crate::domain::{Floor, Settings, Snapshot, SourceId, Ts, Window};
use crate::i18n::{Lang, Localize, Msg, tf};
use crate::source::spec::SourceSpec;
use crate::store::{SpotScore, Store};

/// The store in the data dir, read-only, for `source`'s entries (no other
/// source's samples, scores or notes count); `None` when nothing was ever
/// entered. A store that cannot be read is reported on stderr and skipped,
/// so the floor's figures still print.
pub fn open_store_read_only(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
    lang: Lang,
    source: &SourceId,
) -> Result<Option<Store>, CliError> {
    let opened = store_location(config_path, data_dir)
        .and_then(|loc| Store::open_read_only_at(&loc).map_err(CliError::Store));
    match opened {
        Ok(s) => Ok(s.map(|s| s.for_source(source.clone()))),
        Err(CliError::Store(e)) => {
            eprintln!("{}", tf(lang, Msg::CliStoreLeftOut, &[&e.localize(lang)]));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Where the lead's store is: `[store] url` of the config (PostgreSQL),
/// else the SQLite file in the data dir. A missing password variable or
/// unreadable password file is a store error.
pub fn store_location(
    config_path: Option<&Path>,
    data_dir: Option<&Path>,
) -> Result<crate::store::StoreLocation, CliError> {
    let paths = crate::config::paths(config_path, data_dir).map_err(CliError::Paths)?;
    let location = crate::config::config_location(config_path).map_err(CliError::Paths)?;
    let loaded = crate::config::load_at(&location).map_err(CliError::Config)?;
    crate::store::StoreLocation::resolve(&loaded.extra.store, &paths.data_dir)
        .map_err(CliError::Store)
}

/// The ids stored for `day`'s sample (kept on the list, see `domain::sampling`).
pub fn stored_sample_ids(store: Option<&Store>, day: NaiveDate) -> Result<Vec<String>, CliError> {
    let Some(store) = store else {
        return Ok(Vec::new());
    };
    Ok(store
        .sample(day)
        .map_err(CliError::Sample)?
        .into_iter()
        .map(|r| r.contact)
        .collect())
}

/// The snapshot at `now` with the day's stored sample kept, the lead's QA
/// of each agent, and the QA KPIs.
pub fn snapshot_with_store(
    floor: &Floor,
    settings: &Settings,
    win: Window,
    now: Ts,
    store: Option<&Store>,
) -> Result<(Snapshot, Vec<QaKpi>), CliError> {
    let day = super::window::local_date(now, settings.timezone);
    let listed = stored_sample_ids(store, day)?;
    let spot = crate::domain::sampling::spot_check(floor, settings, day, now, &listed);
    let mut snap = crate::domain::report::build_snapshot(floor, settings, win, now, spot);
    add_store_qa(floor, settings, &mut snap, store)?;
    let scores: Vec<QaScore> = match store {
        Some(s) => s
            .scores(day, day)
            .map_err(CliError::Scores)?
            .iter()
            .map(SpotScore::qa_score)
            .collect(),
        None => Vec::new(),
    };
    let kpis = qa::qa_kpis(&snap.spot_check.coverage, &scores);
    Ok((snap, kpis))
}

/// The source a command's floor and the lead's entries come from: the
/// `--crm` URL when given, else the files.
pub fn source_of(crm: Option<&str>, files: &[std::path::PathBuf]) -> Result<SourceId, CliError> {
    Ok(match crm {
        Some(url) => SourceSpec::parse_crm(url)?.identity(),
        None => SourceSpec::Files(files.to_vec()).identity(),
    })
}

/// The line that says whose entries a table or report holds.
pub fn source_line_in(lang: Lang, source: &SourceId) -> String {
    tf(lang, Msg::QaSource, &[source])
}

/// The snapshot's JSON with the QA KPIs added to its `kpis` map and the
/// source (`"source"`) the floor and the lead's entries come from.
pub fn snapshot_json(
    snap: &Snapshot,
    qa: &[QaKpi],
    source: &SourceId,
) -> Result<serde_json::Value, CliError> {
    let encode = |e: serde_json::Error| CliError::Encode((&e).into());
    let mut v = serde_json::to_value(snap).map_err(encode)?;
    if let Some(map) = v.as_object_mut() {
        map.insert("source".into(), source.as_str().into());
    }
    if let Some(map) = v.get_mut("kpis").and_then(|k| k.as_object_mut()) {
        for k in qa {
            map.insert(k.key.to_string(), serde_json::to_value(k).map_err(encode)?);
        }
    }
    Ok(v)
}

/// Table lines for the QA KPIs in the language; the label column is padded
/// by display width so Chinese names line up.
pub fn qa_table_in(lang: crate::i18n::Lang, qa: &[QaKpi]) -> String {
    use crate::i18n::{Msg, t};
    let mut out = String::from(t(lang, Msg::QaHead));
    for k in qa {
        let v = crate::ui::fmt::pct(k.value);
        let name = match k.key {
            "qa_coverage" => t(lang, Msg::QaCoverage),
            "critical_accuracy_customer" => t(lang, Msg::QaAccCustomer),
            "critical_accuracy_business" => t(lang, Msg::QaAccBusiness),
            "critical_accuracy_compliance" => t(lang, Msg::QaAccCompliance),
            other => other,
        };
        let name = crate::ui::text::pad(name, 30);
        out.push_str(&format!("  {name} {v:>8}   n={}\n", k.n));
    }
    out
}

/// What the agent figures need of a stored scorecard.
pub fn qa_entry(s: &SpotScore) -> QaEntry {
    QaEntry::of(s)
}

/// The local days a window touches (its last instant is `to` − 1 ns).
pub fn window_days(win: Window, tz: Tz) -> (NaiveDate, NaiveDate) {
    let first = local_date(win.from, tz);
    let last = local_date(win.to.add_nanos(-1).max(win.from), tz);
    (first, last)
}

/// The lead's scores of the window's days and of `today` (for the spot
/// checks left), newest per contact; none without a store.
pub fn read_qa(
    store: Option<&Store>,
    win: Window,
    today: NaiveDate,
    tz: Tz,
) -> Result<Vec<QaEntry>, CliError> {
    let Some(store) = store else {
        return Ok(Vec::new());
    };
    let (first, last) = window_days(win, tz);
    let scores = store
        .scores(first.min(today), last.max(today))
        .map_err(CliError::Scores)?;
    Ok(scores.iter().map(qa_entry).collect())
}

/// Adds the lead's QA to the snapshot's agents.
pub fn add_store_qa(
    floor: &Floor,
    settings: &Settings,
    snap: &mut crate::domain::Snapshot,
    store: Option<&Store>,
) -> Result<(), CliError> {
    let tz = settings.timezone;
    let today = local_date(snap.now, tz);
    let entries = read_qa(store, snap.window, today, tz)?;
    apply_qa(
        floor,
        settings,
        snap.window,
        &mut snap.agents,
        &entries,
        &snap.spot_check.random,
    );
    Ok(())
}
