//! Reports of a published month: the consolidated workbook, charts and the briefing draft,
//! each written from the month's typed figures into the publication being built.

pub mod briefing;
pub mod charts;
pub mod font;
pub mod scope;
pub mod workbook;

use std::path::Path;

use crate::check::{CheckReport, FileReport};
use crate::config::Config;
use crate::core::findings::Finding;
use crate::core::text::Period;
use crate::figures::MonthFigures;

/// Why a report file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook could not be built.
    #[error("汇总表：{0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// A chart could not be drawn or written.
    #[error(transparent)]
    Chart(#[from] charts::ChartError),
    /// The Word briefing could not be packed.
    #[error("简报.docx：{0}")]
    Briefing(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A file could not be written.
    #[error("写入 {path} 失败：{source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes one report file into the publication being built (the folder given). Writers are
/// independent of each other and run in parallel.
pub type Writer<'a> = dyn Fn(&View, &Path) -> Result<(), ReportError> + Send + Sync + 'a;

/// What a publication's report writers are given: its figures and what the checks found,
/// whatever made them (a month's returns, a roll-up's bundles). The writers see nothing else.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The figures.
    pub figures: &'a MonthFigures,
    /// The month.
    pub period: Period,
    /// Every file read, with its verdict.
    pub files: &'a [FileReport],
    /// Every finding.
    pub diagnostics: &'a [Finding],
    /// Configured units with no file.
    pub missing_units: &'a [String],
    preliminary: bool,
    has_errors: bool,
}

impl<'a> View<'a> {
    /// The view of a checked month (or a roll-up's bundles, checked as files) with its figures.
    pub fn new(figures: &'a MonthFigures, report: &'a CheckReport) -> View<'a> {
        View {
            figures,
            period: report.period,
            files: &report.files,
            diagnostics: &report.diagnostics,
            missing_units: &report.missing_units,
            preliminary: report.preliminary(),
            has_errors: report.has_errors(),
        }
    }

    /// 初步: an error, a unit missing or incomplete.
    pub fn preliminary(&self) -> bool {
        self.preliminary
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.has_errors
    }
}

/// Writes `bytes` to `dir/name`.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Every report writer (workbook with the sheet kinds' files beside it, charts, briefing), for [`crate::app::publish::publish`].
///
/// ```no_run
/// use liaison::{app::{pipeline, publish}, archive, check::Keep, config::Config, core::text::Period};
/// let config = Config::embedded();
/// let period = Period::new(2022, 5).unwrap();
/// let (input, output) = ("input/2022-05".as_ref(), "output".as_ref());
/// let month = pipeline::check_month(input, period, &config, output, Keep::Figures).unwrap();
/// let archive = archive::Archive::open("output".as_ref(), &liaison::datasets::CATALOG).unwrap();
/// let origin = ("（内置长沙县配置）", liaison::config::DEFAULT_TOML);
/// let options = archive::Options::default();
/// let writers = liaison::report::writers(&config);
/// let outcome =
///     publish::publish(&archive, &month.checked, &config, origin, &options, &writers).unwrap();
/// assert!(matches!(outcome, archive::Outcome::Published { .. }));
/// ```
pub fn writers(config: &Config) -> Vec<Box<Writer<'static>>> {
    let c = config.clone();
    let book = move |report: &View, dir: &Path| {
        let bytes = workbook::build(report.figures, report, &c)?;
        write(dir, &workbook::file_name(&c, report.period), bytes)?;
        for (name, bytes) in workbook::documents(report.figures, report, &c)? {
            write(dir, &name, bytes)?;
        }
        Ok(())
    };
    let c = config.clone();
    let charts =
        move |report: &View, dir: &Path| Ok(charts::write_all(report.figures, report, &c, dir)?);
    let c = config.clone();
    let briefing = move |report: &View, dir: &Path| {
        let md = briefing::markdown(report.figures, report, &c);
        let doc = briefing::docx(&md, report.period)?;
        write(dir, "简报.docx", doc)?;
        write(dir, "简报.md", md)
    };
    vec![Box::new(book), Box::new(charts), Box::new(briefing)]
}
