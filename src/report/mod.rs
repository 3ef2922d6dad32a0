//! Reports of a published month: the consolidated workbook, charts and the briefing draft,
//! each written from the month's typed figures into the publication being built.

pub mod briefing;
pub mod charts;
pub mod font;
pub mod scope;
pub mod workbook;

use std::path::Path;

use crate::check::CheckReport;
use crate::config::Config;
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
pub type Writer<'a> =
    dyn Fn(&MonthFigures, &CheckReport, &Path) -> Result<(), ReportError> + Send + Sync + 'a;

/// Writes `bytes` to `dir/name`.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Every report writer (workbook with the full overdue list, charts, briefing), for [`crate::app::publish::publish`].
///
/// ```no_run
/// use liaison::{app::{pipeline, publish}, archive, check::Keep, config::Config, core::text::Period};
/// let config = Config::embedded();
/// let period = Period::new(2022, 5).unwrap();
/// let (input, output) = ("input/2022-05".as_ref(), "output".as_ref());
/// let month = pipeline::check_month(input, period, &config, output, Keep::Figures).unwrap();
/// let archive = archive::Archive::open("output".as_ref(), &liaison::app::datasets::CATALOG).unwrap();
/// let origin = ("（内置长沙县配置）", liaison::config::DEFAULT_TOML);
/// let options = archive::Options::default();
/// let writers = liaison::report::writers(&config);
/// let outcome =
///     publish::publish(&archive, &month.checked, &config, origin, &options, &writers).unwrap();
/// assert!(matches!(outcome, archive::Outcome::Published { .. }));
/// ```
pub fn writers(config: &Config) -> Vec<Box<Writer<'static>>> {
    let c = config.clone();
    let book = move |m: &MonthFigures, report: &CheckReport, dir: &Path| {
        let bytes = workbook::build(m, report, &c)?;
        write(dir, &workbook::file_name(&c, report.period), bytes)?;
        match workbook::overdue_list(m, report, &c)? {
            Some(list) => write(dir, &workbook::overdue_file_name(&c, report.period), list),
            None => Ok(()),
        }
    };
    let c = config.clone();
    let charts = move |m: &MonthFigures, report: &CheckReport, dir: &Path| {
        Ok(charts::write_all(m, report, &c, dir)?)
    };
    let c = config.clone();
    let briefing = move |m: &MonthFigures, report: &CheckReport, dir: &Path| {
        let md = briefing::markdown(m, report, &c);
        let doc = briefing::docx(&md, report.period)?;
        write(dir, "简报.docx", doc)?;
        write(dir, "简报.md", md)
    };
    vec![Box::new(book), Box::new(charts), Box::new(briefing)]
}
