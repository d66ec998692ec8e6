//! What every `shiftdeck report …` reads and where it writes: the floor's
//! files (or `--crm`), the clock, the format and the output file. One set
//! of options, flattened into each report's arguments, so their `--help`
//! reads the same and the floor, the lead's store and the output are
//! opened and written in one place.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use clap::Args;

use super::error::CliError;
use super::table::ReportFormat;
use crate::domain::{Floor, SourceId, Ts};
use crate::i18n::{Lang, Msg, tf};
use crate::store::Store;

/// `--file`, `--now`, `--format`, `--out` of the reports.
#[derive(Args, Debug)]
pub struct ReportOutput {
    /// Floor-feed NDJSON file; repeat for several, loaded in order.
    #[arg(long = "file", value_name = "PATH", required_unless_present = "crm")]
    pub files: Vec<PathBuf>,
    /// The clock: decides the default period and what is live, open, due or
    /// left at that time (default: the system clock).
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Output: Markdown for people, CSV for a spreadsheet.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// A report's floor, where it came from and the lead's entries for it.
pub struct Opened {
    pub floor: Floor,
    pub source: SourceId,
    /// `None` when nothing was ever entered or the store cannot be read.
    pub store: Option<Store>,
}

impl ReportOutput {
    /// `--now` in `tz`, or the system clock.
    pub fn now(&self, tz: Tz) -> Result<Ts, CliError> {
        match &self.now {
            Some(s) => super::window::parse_instant(s, tz, "--now"),
            None => Ok(Ts::from_datetime(&chrono::Utc::now())),
        }
    }

    /// The floor from `--crm` or the files (with the load report on
    /// stderr), and the lead's store read-only for that source.
    pub fn open(
        &self,
        config_path: Option<&Path>,
        data_dir: Option<&Path>,
        crm: Option<&str>,
        lang: Lang,
        loaded: &crate::config::Loaded,
    ) -> Result<Opened, CliError> {
        if self.files.is_empty() && crm.is_none() {
            return Err(CliError::GiveFile);
        }
        let floor = match crm {
            Some(url) => super::fetch_with_report(url, &loaded.extra.source, lang)?,
            None => super::load_with_report_in(&self.files, lang)?,
        };
        let source = super::lead::source_of(crm, &self.files)?;
        let store = super::lead::open_store_read_only(config_path, data_dir, lang, &source)?;
        Ok(Opened {
            floor,
            source,
            store,
        })
    }

    /// Writes the report in `--format` to `--out` (or standard output): the
    /// Markdown ends with the line naming the source.
    pub fn write(
        &self,
        lang: Lang,
        source: &SourceId,
        markdown: impl FnOnce() -> String,
        csv: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        let text = match self.format {
            ReportFormat::Md => markdown() + "\n" + &tf(lang, Msg::RptSource, &[source]),
            ReportFormat::Csv => csv(),
        };
        super::table::write_report(self.out.as_deref(), &text)
    }
}
