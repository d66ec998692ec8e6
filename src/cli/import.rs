//! `shiftdeck import spot-checks|feedback --file F.csv`: the CSV `export`
//! writes (English or Chinese headers, as saved by a spreadsheet) goes back
//! into the store, so QA staff who score in a spreadsheet can load their
//! work. See docs/store.md "Importing".
//!
//! Columns are found by their header (either language), so their order
//! does not matter and derived columns (`total`, `max`) are not read: the
//! total is always the domain's, from the dimensions' scores. A bad row is
//! reported as `FILE:LINE: reason` and skipped, the others imported; a row
//! is saved whole or not at all. Rows are saved in batches of [`BATCH`],
//! each one transaction; an entry already in the store is left out
//! (`store::import`), so running the same file again, after it was
//! interrupted or not, leaves each entry once.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::csv_read::{CsvReader, FIELD_MAX, RecordProblem};
use crate::domain::{RootCause, SourceId, Ts};
use crate::i18n::{Lang, Localize, Msg, t, tf};
use crate::store::{
    FeedbackChange, Imported, ImportedEvent, ImportedScore, NewFeedbackEvent, SpotScore, Store,
    StoreError,
};

/// Rows saved per transaction.
pub const BATCH: usize = 1_000;

/// The longest id (contact, agent, item, author) taken, in characters.
pub const ID_MAX: usize = 200;

/// The longest comment or follow-up value taken, in characters: the
/// scorecard form's bound.
pub const TEXT_MAX: usize = crate::app::form::COMMENT_MAX;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    SpotChecks,
    Feedback,
}

/// What an import needs besides the file: the scorecard's dimensions and
/// scale (`[scorecard]`), the time zone times without an offset are in,
/// and the time given to rows without one.
#[derive(Clone, Debug)]
pub struct Options {
    pub dimensions: Vec<String>,
    pub scale_max: u8,
    pub tz: Tz,
    pub now: Ts,
}

/// A column of the file: one of the export's, or a scorecard dimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Known(Msg),
    Dimension(String),
}

impl Localize for Column {
    fn localize(&self, lang: Lang) -> String {
        match self {
            Column::Known(m) => t(lang, *m).to_owned(),
            Column::Dimension(d) => crate::i18n::dimension(lang, d).to_owned(),
        }
    }
}

/// Why a row (or the header, line 1) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    Record(RecordProblem),
    /// The row has `found` fields, the header `want`.
    Columns {
        found: usize,
        want: usize,
    },
    EmptyFile,
    MissingColumn(Column),
    DuplicateColumn(Column),
    /// A score given for a dimension the scorecard does not have.
    UnknownDimension {
        name: String,
        known: String,
    },
    /// Not a whole number from 1 to `max`.
    Score {
        dimension: String,
        value: String,
        max: u8,
    },
    NoScore(String),
    Scale(String),
    Day {
        column: Msg,
        value: String,
    },
    Time {
        column: Msg,
        value: String,
    },
    YesNo {
        column: Msg,
        value: String,
    },
    RootCause(String),
    Empty(Msg),
    /// A control character or terminal escape in a text.
    Control {
        column: Msg,
        code: u32,
    },
    TooLong {
        column: Msg,
        max: usize,
    },
    Change(String),
    Stage(String),
}

impl Localize for RowProblem {
    fn localize(&self, lang: Lang) -> String {
        use RowProblem as P;
        match self {
            P::Record(RecordProblem::FieldTooLong) => {
                tf(lang, Msg::ImportFieldTooLong, &[&FIELD_MAX])
            }
            P::Record(RecordProblem::NotUtf8) => t(lang, Msg::ImportNotUtf8).to_owned(),
            P::Record(RecordProblem::Unterminated) => t(lang, Msg::ImportUnterminated).to_owned(),
            P::Columns { found, want } => tf(lang, Msg::ImportColumns, &[found, want]),
            P::EmptyFile => t(lang, Msg::ImportEmptyFile).to_owned(),
            P::MissingColumn(c) => tf(lang, Msg::ImportMissingColumn, &[&c.localize(lang)]),
            P::DuplicateColumn(c) => tf(lang, Msg::ImportDuplicateColumn, &[&c.localize(lang)]),
            P::UnknownDimension { name, known } => {
                tf(lang, Msg::ImportUnknownDimension, &[name, known])
            }
            P::Score {
                dimension,
                value,
                max,
            } => tf(
                lang,
                Msg::ImportScore,
                &[&crate::i18n::dimension(lang, dimension), value, max],
            ),
            P::NoScore(d) => tf(
                lang,
                Msg::ImportNoScore,
                &[&crate::i18n::dimension(lang, d)],
            ),
            P::Scale(v) => tf(lang, Msg::ImportScale, &[v]),
            P::Day { column, value } => tf(lang, Msg::ImportDay, &[&t(lang, *column), value]),
            P::Time { column, value } => tf(lang, Msg::ImportTime, &[&t(lang, *column), value]),
            P::YesNo { column, value } => tf(lang, Msg::ImportYesNo, &[&t(lang, *column), value]),
            P::RootCause(v) => tf(lang, Msg::ImportRootCause, &[v]),
            P::Empty(c) => tf(lang, Msg::ImportEmpty, &[&t(lang, *c)]),
            P::Control { column, code } => tf(
                lang,
                Msg::ImportControl,
                &[&t(lang, *column), &format!("U+{code:04X}")],
            ),
            P::TooLong { column, max } => tf(lang, Msg::ImportTooLong, &[&t(lang, *column), max]),
            P::Change(v) => tf(lang, Msg::ImportChange, &[v]),
            P::Stage(v) => tf(lang, Msg::ImportStage, &[v]),
        }
    }
}

/// `FILE:LINE: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub line: u64,
    pub problem: RowProblem,
}

impl Localize for RowError {
    fn localize(&self, lang: Lang) -> String {
        let place = format!("{}:{}", self.file, self.line);
        tf(lang, Msg::AtPlace, &[&place, &self.problem.localize(lang)])
    }
}

crate::english_display!(RowError);
crate::english_display!(RowProblem);

/// Why an import stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be opened or read.
    Read {
        path: PathBuf,
        err: crate::i18n::detail::OsError,
    },
    /// The header cannot be used (line 1): nothing imported.
    Header(RowError),
    /// Saving failed; the batches before it are in the store, running the
    /// same file again finishes the import.
    Store {
        file: String,
        done: u64,
        err: StoreError,
    },
}

impl Localize for ImportError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ImportError::Read { path, err } => tf(
                lang,
                Msg::ImportRead,
                &[&path.display(), &err.localize(lang)],
            ),
            ImportError::Header(e) => e.localize(lang),
            ImportError::Store { file, done, err } => tf(
                lang,
                Msg::ImportStoreFailed,
                &[file, done, &err.localize(lang)],
            ),
        }
    }
}

crate::english_display!(ImportError);

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Rows read (the header not counted).
    pub rows: u64,
    pub added: u64,
    /// Already in the store, left out.
    pub present: u64,
    pub bad: Vec<RowError>,
}

impl Report {
    /// The summary line: `FILE: N imported, M already there, K bad rows skipped`.
    pub fn summary(&self, lang: Lang, file: &str) -> String {
        tf(
            lang,
            Msg::ImportDone,
            &[&file, &self.added, &self.present, &self.bad.len()],
        )
    }
}

/// Imports the CSV file at `path` into `store` as imported by its author.
/// `after_batch` is called after each committed batch with the rows done.
pub fn import_file(
    store: &Store,
    what: What,
    path: &Path,
    opts: &Options,
    mut after_batch: impl FnMut(u64),
) -> Result<Report, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| ImportError::Read {
        path: path.to_path_buf(),
        err: (&e).into(),
    })?;
    let name = path.display().to_string();
    import_reader(
        store,
        what,
        &name,
        std::io::BufReader::with_capacity(256 * 1024, file),
        opts,
        &mut after_batch,
    )
    .map_err(|e| match e {
        ReadFailure::Io(err) => ImportError::Read {
            path: path.to_path_buf(),
            err: (&err).into(),
        },
        ReadFailure::Import(e) => e,
    })
}

enum ReadFailure {
    Io(std::io::Error),
    Import(ImportError),
}

impl From<std::io::Error> for ReadFailure {
    fn from(e: std::io::Error) -> Self {
        ReadFailure::Io(e)
    }
}

/// A batch of rows ready to save.
enum Batch {
    Scores(Vec<ImportedScore>),
    Events(Vec<ImportedEvent>),
}

impl Batch {
    fn len(&self) -> usize {
        match self {
            Batch::Scores(v) => v.len(),
            Batch::Events(v) => v.len(),
        }
    }
}

fn import_reader(
    store: &Store,
    what: What,
    file: &str,
    input: impl BufRead,
    opts: &Options,
    after_batch: &mut dyn FnMut(u64),
) -> Result<Report, ReadFailure> {
    let mut reader = CsvReader::new(input);
    // The feedback export's change log ends at an empty line; the item
    // states after it are derived from the changes, so not read.
    reader.stop_at_blank = what == What::Feedback;
    let header_error = |line: u64, problem: RowProblem| {
        ReadFailure::Import(ImportError::Header(RowError {
            file: file.to_owned(),
            line,
            problem,
        }))
    };
    let Some(head) = reader.next_record()? else {
        return Err(header_error(1, RowProblem::EmptyFile));
    };
    let head_line = head.line;
    let head = head
        .fields
        .map_err(|p| header_error(head_line, RowProblem::Record(p)))?;
    let parser = match what {
        What::SpotChecks => ScoreColumns::of(&head, opts).map(Parser::Scores),
        What::Feedback => EventColumns::of(&head).map(Parser::Events),
    }
    .map_err(|p| header_error(head_line, p))?;
    let mut report = Report::default();
    let mut batch = match what {
        What::SpotChecks => Batch::Scores(Vec::with_capacity(BATCH)),
        What::Feedback => Batch::Events(Vec::with_capacity(BATCH)),
    };
    let mut save = |batch: &mut Batch, report: &mut Report| -> Result<(), ReadFailure> {
        let done = match batch {
            Batch::Scores(v) => store.import_scores(v),
            Batch::Events(v) => store.import_feedback(v),
        }
        .map_err(|err| {
            ReadFailure::Import(ImportError::Store {
                file: file.to_owned(),
                done: report.added + report.present,
                err,
            })
        })?;
        for d in done {
            match d {
                Imported::Added => report.added += 1,
                Imported::Present => report.present += 1,
            }
        }
        match batch {
            Batch::Scores(v) => v.clear(),
            Batch::Events(v) => v.clear(),
        }
        after_batch(report.added + report.present);
        Ok(())
    };
    while let Some(rec) = reader.next_record()? {
        // A row of empty cells is how a spreadsheet saves an empty line.
        if rec
            .fields
            .as_ref()
            .is_ok_and(|f| f.iter().all(|c| c.trim().is_empty()))
        {
            if what == What::Feedback {
                break;
            }
            continue;
        }
        report.rows += 1;
        let bad = |problem: RowProblem| RowError {
            file: file.to_owned(),
            line: rec.line,
            problem,
        };
        let fields = match rec.fields {
            Ok(f) => f,
            Err(p) => {
                report.bad.push(bad(RowProblem::Record(p)));
                continue;
            }
        };
        if fields.len() != head.len() {
            report.bad.push(bad(RowProblem::Columns {
                found: fields.len(),
                want: head.len(),
            }));
            continue;
        }
        let parsed = match (&parser, &mut batch) {
            (Parser::Scores(c), Batch::Scores(v)) => c.row(&fields, opts, store).map(|r| v.push(r)),
            (Parser::Events(c), Batch::Events(v)) => c.row(&fields, opts, store).map(|r| v.push(r)),
            _ => Ok(()),
        };
        if let Err(p) = parsed {
            report.bad.push(bad(p));
            continue;
        }
        if batch.len() >= BATCH {
            save(&mut batch, &mut report)?;
        }
    }
    if batch.len() > 0 {
        save(&mut batch, &mut report)?;
    }
    Ok(report)
}

enum Parser {
    Scores(ScoreColumns),
    Events(EventColumns),
}

/// A header cell as a known column: its English or Chinese name (the
/// English case-insensitively), with spaces around it ignored.
fn is_column(cell: &str, m: Msg) -> bool {
    let cell = cell.trim();
    cell.eq_ignore_ascii_case(m.en()) || cell == m.zh()
}

/// Where each column is: index into the row.
struct Columns<'h> {
    head: &'h [String],
    used: Vec<bool>,
}

impl<'h> Columns<'h> {
    fn new(head: &'h [String]) -> Self {
        Columns {
            head,
            used: vec![false; head.len()],
        }
    }

    /// The column named by `m`, if any; twice is an error.
    fn find(&mut self, m: Msg) -> Result<Option<usize>, RowProblem> {
        let mut found = None;
        for (i, cell) in self.head.iter().enumerate() {
            if is_column(cell, m) {
                if found.is_some() {
                    return Err(RowProblem::DuplicateColumn(Column::Known(m)));
                }
                found = Some(i);
                self.used[i] = true;
            }
        }
        Ok(found)
    }

    fn need(&mut self, m: Msg) -> Result<usize, RowProblem> {
        self.find(m)?
            .ok_or(RowProblem::MissingColumn(Column::Known(m)))
    }

    /// The columns no known name claimed.
    fn rest(&self) -> impl Iterator<Item = (usize, &'h str)> + '_ {
        self.head
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.used[*i])
            .map(|(i, c)| (i, c.trim()))
    }
}

struct ScoreColumns {
    day: usize,
    contact: usize,
    agent: usize,
    /// The scorecard's dimensions in its order, each with its column.
    dims: Vec<(String, usize)>,
    /// Columns of dimensions the scorecard does not have: (name, column).
    unknown: Vec<(String, usize)>,
    scale: Option<usize>,
    critical: [Option<usize>; 3],
    root_cause: Option<usize>,
    comment: Option<usize>,
    author: Option<usize>,
    saved_at: Option<usize>,
    source: Option<usize>,
}

/// The scorecard dimension a header names (its stored name, or its Chinese
/// name when it has one).
fn dimension_of(cell: &str, dims: &[String]) -> Option<String> {
    dims.iter()
        .find(|d| {
            cell == d.as_str()
                || cell.eq_ignore_ascii_case(d)
                || cell == crate::i18n::dimension(Lang::Zh, d)
        })
        .cloned()
}

impl ScoreColumns {
    fn of(head: &[String], opts: &Options) -> Result<ScoreColumns, RowProblem> {
        let mut c = Columns::new(head);
        let day = c.need(Msg::CsvDay)?;
        let contact = c.need(Msg::CsvContact)?;
        let agent = c.need(Msg::CsvAgent)?;
        // Derived: the total is the domain's, never the file's.
        c.find(Msg::CsvTotal)?;
        c.find(Msg::CsvMax)?;
        let cols = ScoreColumns {
            day,
            contact,
            agent,
            dims: Vec::new(),
            unknown: Vec::new(),
            scale: c.find(Msg::CsvScale)?,
            critical: [
                c.find(Msg::CsvCriticalCustomer)?,
                c.find(Msg::CsvCriticalBusiness)?,
                c.find(Msg::CsvCriticalCompliance)?,
            ],
            root_cause: c.find(Msg::CsvRootCause)?,
            comment: c.find(Msg::CsvComment)?,
            author: c.find(Msg::CsvAuthor)?,
            saved_at: c.find(Msg::CsvSavedAt)?,
            source: c.find(Msg::CsvSource)?,
        };
        let mut dims: Vec<(String, usize)> = Vec::new();
        let mut unknown = Vec::new();
        for (i, cell) in c.rest() {
            match dimension_of(cell, &opts.dimensions) {
                Some(d) if dims.iter().any(|(n, _)| *n == d) => {
                    return Err(RowProblem::DuplicateColumn(Column::Dimension(d)));
                }
                Some(d) => dims.push((d, i)),
                None => unknown.push((cell.to_owned(), i)),
            }
        }
        // In the scorecard's order, as the form saves them.
        let mut ordered = Vec::new();
        for d in &opts.dimensions {
            match dims.iter().find(|(n, _)| n == d) {
                Some(x) => ordered.push(x.clone()),
                None => return Err(RowProblem::MissingColumn(Column::Dimension(d.clone()))),
            }
        }
        Ok(ScoreColumns {
            dims: ordered,
            unknown,
            ..cols
        })
    }

    fn row(
        &self,
        f: &[String],
        opts: &Options,
        store: &Store,
    ) -> Result<ImportedScore, RowProblem> {
        for (n, i) in &self.unknown {
            if !f[*i].trim().is_empty() {
                return Err(RowProblem::UnknownDimension {
                    name: n.clone(),
                    known: opts.dimensions.join(", "),
                });
            }
        }
        let day = parse_day(&f[self.day]).ok_or_else(|| RowProblem::Day {
            column: Msg::CsvDay,
            value: f[self.day].clone(),
        })?;
        let contact = id(&f[self.contact], Msg::CsvContact)?;
        let agent = id(&f[self.agent], Msg::CsvAgent)?;
        let scale_max = match self.scale.map(|i| f[i].trim()).filter(|s| !s.is_empty()) {
            None => opts.scale_max,
            Some(s) => whole(s)
                .filter(|v| (2..=10).contains(v))
                .ok_or_else(|| RowProblem::Scale(s.to_owned()))?,
        };
        let mut dimensions = Vec::with_capacity(self.dims.len());
        for (d, i) in &self.dims {
            let v = f[*i].trim();
            if v.is_empty() {
                return Err(RowProblem::NoScore(d.clone()));
            }
            let score = whole(v)
                .filter(|s| (1..=scale_max).contains(s))
                .ok_or_else(|| RowProblem::Score {
                    dimension: d.clone(),
                    value: v.to_owned(),
                    max: scale_max,
                })?;
            dimensions.push((d.clone(), score));
        }
        let flag = |k: usize, m: Msg| -> Result<bool, RowProblem> {
            match self.critical[k] {
                None => Ok(false),
                Some(i) => yes_no(&f[i]).ok_or_else(|| RowProblem::YesNo {
                    column: m,
                    value: f[i].clone(),
                }),
            }
        };
        let critical_customer = flag(0, Msg::CsvCriticalCustomer)?;
        let critical_business = flag(1, Msg::CsvCriticalBusiness)?;
        let critical_compliance = flag(2, Msg::CsvCriticalCompliance)?;
        let root_cause = match self.root_cause.map(|i| f[i].trim()) {
            None | Some("") => None,
            Some(w) => Some(
                RootCause::from_known(&crate::i18n::feed_word(w).to_ascii_lowercase())
                    .ok_or_else(|| RowProblem::RootCause(w.to_owned()))?,
            ),
        };
        let comment = match self.comment {
            None => String::new(),
            Some(i) => text(&f[i], Msg::CsvComment)?,
        };
        let author = author(self.author.map(|i| f[i].as_str()), store)?;
        let (saved_at, saved_at_given) =
            time(self.saved_at.map(|i| f[i].as_str()), Msg::CsvSavedAt, opts)?;
        let source = source(self.source.map(|i| f[i].as_str()))?;
        Ok(ImportedScore {
            source,
            score: SpotScore {
                id: None,
                day,
                contact,
                agent,
                dimensions,
                scale_max,
                critical_customer,
                critical_business,
                critical_compliance,
                root_cause,
                comment,
                author,
                saved_at,
            },
            saved_at_given,
        })
    }
}

struct EventColumns {
    at: usize,
    item: usize,
    author: Option<usize>,
    change: usize,
    value: usize,
    source: Option<usize>,
}

impl EventColumns {
    fn of(head: &[String]) -> Result<EventColumns, RowProblem> {
        let mut c = Columns::new(head);
        Ok(EventColumns {
            at: c.need(Msg::CsvAt)?,
            item: c.need(Msg::CsvItem)?,
            author: c.find(Msg::CsvAuthor)?,
            change: c.need(Msg::CsvChange)?,
            value: c.need(Msg::CsvValue)?,
            source: c.find(Msg::CsvSource)?,
        })
    }

    fn row(
        &self,
        f: &[String],
        opts: &Options,
        store: &Store,
    ) -> Result<ImportedEvent, RowProblem> {
        let (at, given) = time(Some(&f[self.at]), Msg::CsvAt, opts)?;
        if !given {
            return Err(RowProblem::Empty(Msg::CsvAt));
        }
        let item = id(&f[self.item], Msg::CsvItem)?;
        let author = author(self.author.map(|i| f[i].as_str()), store)?;
        let change = change(&f[self.change], &f[self.value])?;
        let source = source(self.source.map(|i| f[i].as_str()))?;
        Ok(ImportedEvent {
            source,
            event: NewFeedbackEvent {
                item,
                at,
                author,
                change,
            },
        })
    }
}

/// A follow-up change from its kind (either language) and value (a stage,
/// callback result, root cause or action in either language; an owner or
/// result as written).
fn change(kind: &str, value: &str) -> Result<FeedbackChange, RowProblem> {
    let kinds = [
        (Msg::CsvChangeOwner, "owner"),
        (Msg::CsvChangeStage, "stage"),
        (Msg::CsvChangeResult, "result"),
        (Msg::CsvChangeCallback, "callback_result"),
        (Msg::CsvRootCause, "root_cause"),
        (Msg::CsvChangeAction, "action"),
    ];
    let k = kinds
        .iter()
        .find(|(m, _)| is_column(kind, *m))
        .map(|(_, k)| *k)
        .ok_or_else(|| RowProblem::Change(kind.to_owned()))?;
    let value = if k == "stage" {
        let v = value.trim();
        ["new", "handling", "resolved", "callback", "closed"]
            .into_iter()
            .find(|s| {
                v.eq_ignore_ascii_case(s)
                    || v == crate::i18n::stage(Lang::Zh, s, false)
                    || v == crate::i18n::stage(Lang::Zh, s, true)
            })
            .ok_or_else(|| RowProblem::Stage(v.to_owned()))?
            .to_owned()
    } else if matches!(k, "owner" | "result") {
        text(value, Msg::CsvValue)?
    } else {
        // A list's word, written in Chinese by a Chinese export.
        let v = text(value, Msg::CsvValue)?;
        crate::i18n::feed_word(v.trim()).to_owned()
    };
    FeedbackChange::from_parts(k, value).ok_or_else(|| RowProblem::Change(kind.to_owned()))
}

/// `YYYY-MM-DD`, or `YYYY/MM/DD` as a spreadsheet may save it.
fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .ok()
}

/// A time: RFC 3339 with its offset (as `export` writes), or `YYYY-MM-DD
/// HH:MM[:SS]` (as a spreadsheet may save it) in the configured zone. An
/// empty cell (or none) gives `opts.now` and `false`.
fn time(cell: Option<&str>, column: Msg, opts: &Options) -> Result<(Ts, bool), RowProblem> {
    let s = cell.map(str::trim).unwrap_or_default();
    if s.is_empty() {
        return Ok((opts.now, false));
    }
    if let Ok(ts) = crate::domain::time::parse_rfc3339(s) {
        return Ok((ts, true));
    }
    let local = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok());
    local
        .and_then(|l| opts.tz.from_local_datetime(&l).earliest())
        .map(|dt| (Ts::from_datetime(&dt), true))
        .ok_or_else(|| RowProblem::Time {
            column,
            value: s.to_owned(),
        })
}

/// A whole number, also as a spreadsheet may write it (`4.0`).
fn whole(s: &str) -> Option<u8> {
    s.parse::<u8>().ok().or_else(|| {
        let f: f64 = s.parse().ok()?;
        (f.fract() == 0.0 && (0.0..=255.0).contains(&f)).then_some(f as u8)
    })
}

fn yes_no(s: &str) -> Option<bool> {
    let s = s.trim();
    if s.is_empty() {
        return Some(false);
    }
    let yes = [Msg::CsvYes.en(), Msg::CsvYes.zh(), "true", "y", "1"];
    let no = [Msg::CsvNo.en(), Msg::CsvNo.zh(), "false", "n", "0"];
    if yes.iter().any(|y| s.eq_ignore_ascii_case(y)) {
        Some(true)
    } else if no.iter().any(|n| s.eq_ignore_ascii_case(n)) {
        Some(false)
    } else {
        None
    }
}

/// A cell as `export` wrote it: the `'` put before a text a spreadsheet
/// would run as a formula is taken off again.
fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if super::csv_read::neutralise_formula(rest) == s => rest,
        _ => s,
    }
}

/// The first character a terminal would act on, other than the line
/// breaks and tabs `allow_breaks` lets through.
fn control_in(s: &str, allow_breaks: bool) -> Option<char> {
    s.chars().find(|c| {
        let brk = matches!(c, '\n' | '\r' | '\t');
        (c.is_control() && !(allow_breaks && brk))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

/// A free text (comment, value): formula guard taken off, no controls but
/// line breaks and tabs, at most [`TEXT_MAX`] characters.
fn text(cell: &str, column: Msg) -> Result<String, RowProblem> {
    let s = unneutralise(cell);
    if let Some(c) = control_in(s, true) {
        return Err(RowProblem::Control {
            column,
            code: c as u32,
        });
    }
    if s.chars().count() > TEXT_MAX {
        return Err(RowProblem::TooLong {
            column,
            max: TEXT_MAX,
        });
    }
    Ok(s.to_owned())
}

/// An id (contact, agent, item): not empty, no controls, at most [`ID_MAX`].
fn id(cell: &str, column: Msg) -> Result<String, RowProblem> {
    let s = unneutralise(cell.trim());
    if s.is_empty() {
        return Err(RowProblem::Empty(column));
    }
    if let Some(c) = control_in(s, false) {
        return Err(RowProblem::Control {
            column,
            code: c as u32,
        });
    }
    if s.chars().count() > ID_MAX {
        return Err(RowProblem::TooLong {
            column,
            max: ID_MAX,
        });
    }
    Ok(s.to_owned())
}

/// Who scored or wrote it: the file's name when it gives one (the
/// original scorer is kept), else who imports.
fn author(cell: Option<&str>, store: &Store) -> Result<String, RowProblem> {
    match cell.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => id(s, Msg::CsvAuthor),
        None => Ok(store.author().to_owned()),
    }
}

/// The source a row belongs to (empty: entries from before sources were
/// recorded, as `export` lists them).
fn source(cell: Option<&str>) -> Result<SourceId, RowProblem> {
    let s = cell.map(str::trim).unwrap_or_default();
    if let Some(c) = control_in(s, false) {
        return Err(RowProblem::Control {
            column: Msg::CsvSource,
            code: c as u32,
        });
    }
    if s.len() > 4096 {
        return Err(RowProblem::TooLong {
            column: Msg::CsvSource,
            max: 4096,
        });
    }
    Ok(SourceId::new(s))
}

impl RowProblem {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<RowProblem> {
        let s = |x: &str| x.to_owned();
        vec![
            RowProblem::Record(RecordProblem::FieldTooLong),
            RowProblem::Record(RecordProblem::NotUtf8),
            RowProblem::Record(RecordProblem::Unterminated),
            RowProblem::Columns { found: 3, want: 17 },
            RowProblem::EmptyFile,
            RowProblem::MissingColumn(Column::Known(Msg::CsvContact)),
            RowProblem::DuplicateColumn(Column::Dimension(s("attitude"))),
            RowProblem::UnknownDimension {
                name: s("empathy"),
                known: s("responsiveness, attitude"),
            },
            RowProblem::Score {
                dimension: s("attitude"),
                value: s("7"),
                max: 5,
            },
            RowProblem::NoScore(s("attitude")),
            RowProblem::Scale(s("99")),
            RowProblem::Day {
                column: Msg::CsvDay,
                value: s("2026-13-01"),
            },
            RowProblem::Time {
                column: Msg::CsvSavedAt,
                value: s("20.11.2026"),
            },
            RowProblem::YesNo {
                column: Msg::CsvCriticalCustomer,
                value: s("?"),
            },
            RowProblem::RootCause(s("weather")),
            RowProblem::Empty(Msg::CsvContact),
            RowProblem::Control {
                column: Msg::CsvComment,
                code: 0x1b,
            },
            RowProblem::TooLong {
                column: Msg::CsvComment,
                max: TEXT_MAX,
            },
            RowProblem::Change(s("colour")),
            RowProblem::Stage(s("pending")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_says_itself_in_both_languages() {
        for p in RowProblem::examples() {
            let (en, zh) = (p.localize(Lang::En), p.localize(Lang::Zh));
            assert!(!en.contains("{}") && !zh.contains("{}"), "{p:?}");
            assert_ne!(en, zh, "{p:?}");
        }
        let e = RowError {
            file: "s.csv".into(),
            line: 7,
            problem: RowProblem::Score {
                dimension: "attitude".into(),
                value: "6".into(),
                max: 5,
            },
        };
        assert_eq!(
            e.to_string(),
            "s.csv:7: attitude: score 6 is not a whole number from 1 to 5"
        );
        assert_eq!(
            e.localize(Lang::Zh),
            "s.csv:7: 服务态度：评分 6 不是 1 到 5 之间的整数"
        );
    }

    #[test]
    fn the_formula_guard_comes_off_and_nothing_else() {
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("'@agent"), "@agent");
        // Not put there by export: kept.
        assert_eq!(unneutralise("'quoted'"), "'quoted'");
        assert_eq!(unneutralise("'-5"), "'-5");
        assert_eq!(unneutralise("-5"), "-5");
    }

    #[test]
    fn cells_as_spreadsheets_write_them() {
        assert_eq!(whole("4"), Some(4));
        assert_eq!(whole("4.0"), Some(4));
        assert_eq!(whole("4.5"), None);
        assert_eq!(whole("-1"), None);
        assert_eq!(yes_no(" YES "), Some(true));
        assert_eq!(yes_no("否"), Some(false));
        assert_eq!(yes_no(""), Some(false));
        assert_eq!(yes_no("maybe"), None);
        let d = NaiveDate::from_ymd_opt(2026, 11, 20);
        assert_eq!(parse_day("2026-11-20"), d);
        assert_eq!(parse_day("2026/11/20"), d);
        assert_eq!(parse_day("20/11/2026"), None);
        let opts = Options {
            dimensions: Vec::new(),
            scale_max: 5,
            tz: chrono_tz::Asia::Shanghai,
            now: Ts::from_secs(7),
        };
        // 09:30 in Shanghai = 01:30 UTC.
        let want = Ts::from_secs(1_795_138_200);
        for s in [
            "2026-11-20T09:30:00+08:00",
            "2026-11-20T01:30:00Z",
            "2026-11-20 09:30",
            "2026/11/20 09:30:00",
        ] {
            assert_eq!(
                time(Some(s), Msg::CsvSavedAt, &opts),
                Ok((want, true)),
                "{s}"
            );
        }
        assert_eq!(
            time(Some(" "), Msg::CsvSavedAt, &opts),
            Ok((Ts::from_secs(7), false))
        );
        assert!(time(Some("20.11.2026"), Msg::CsvSavedAt, &opts).is_err());
    }

    #[test]
    fn controls_and_bidi_overrides_are_refused_line_breaks_in_a_comment_kept() {
        assert_eq!(control_in("ok\nfine\tthen", true), None);
        assert_eq!(control_in("ok\nfine", false), Some('\n'));
        assert_eq!(control_in("a\u{1b}[31mred", true), Some('\u{1b}'));
        assert_eq!(control_in("a\u{9b}31m", true), Some('\u{9b}'));
        assert_eq!(control_in("evil\u{202e}txt", true), Some('\u{202e}'));
    }
}
