//! Reports of a published month: the consolidated workbook, charts and the briefing draft,
//! each written from a publication's view (`view`: figures and findings) into the
//! publication being built. What another sheet kind adds comes as a [`Part`].

pub mod briefing;
pub mod charts;
pub mod font;
pub mod scope;
pub mod view;
pub mod workbook;

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::core::Period;
pub use view::{MonthFigures, View};

/// Why a report file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook could not be built.
    #[error("汇总表:{0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// A chart could not be drawn or written.
    #[error(transparent)]
    Chart(#[from] charts::ChartError),
    /// The Word briefing could not be packed.
    #[error("简报.docx:{0}")]
    Briefing(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A file could not be written.
    #[error("写入 {path} 失败:{source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes one report file of a publication's view into the publication being built (the
/// folder given). Writers are independent of each other and run in parallel.
pub type Writer<'a> = dyn Fn(&View, &Path) -> Result<(), ReportError> + Send + Sync + 'a;

/// What every page of a publication shares: the config, the month, and `（初步）` when it is
/// preliminary.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// The config in force.
    pub config: &'a Config,
    /// The month.
    pub period: Period,
    /// `（初步）` or empty.
    pub prelim: &'static str,
}

impl Page<'_> {
    /// The title of a workbook sheet: `长沙县2022年5月{what}（初步）`.
    pub fn title(&self, what: &str) -> String {
        let p = self.period;
        format!(
            "{}{}年{}月{what}{}",
            self.config.region.name,
            p.year(),
            p.month(),
            self.prelim
        )
    }

    /// The title of a chart: `长沙县2022年5月 {what}（初步）`.
    pub fn chart_title(&self, what: &str) -> String {
        let p = self.period;
        format!(
            "{}{}年{}月 {what}{}",
            self.config.region.name,
            p.year(),
            p.month(),
            self.prelim
        )
    }
}

/// What a sheet kind beside the monthly return adds to a month's reports (the ledger's
/// 意见建议办理 sheets, its 办结率 chart and its paragraph). The writers call every part of the
/// view, in order, at these places.
pub trait Part: Send + Sync {
    /// Sheets of the consolidated workbook, after 趋势 and before 报送情况.
    fn sheets(&self, page: &Page) -> Vec<workbook::Sheet>;
    /// Charts of percentages by unit, drawn with the month's other charts.
    fn charts(&self, page: &Page) -> Vec<charts::Percentages>;
    /// Paragraphs of the briefing, after the others, each followed by a blank line ("" for
    /// none); `vars` are the month's placeholders (scope, region, year, month, each figure).
    fn briefing(&self, page: &Page, vars: &BTreeMap<String, String>) -> String;
}

/// Writes `bytes` to `dir/name`.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Every report writer (workbook, charts, briefing), for the publishing step.
pub fn writers(config: &Config) -> Vec<Box<Writer<'static>>> {
    let c = config.clone();
    let book = move |v: &View, dir: &Path| {
        let bytes = workbook::build(v, &c)?;
        write(dir, &workbook::file_name(&c, v.period()), bytes)
    };
    let c = config.clone();
    let charts = move |v: &View, dir: &Path| Ok(charts::write_all(v, &c, dir)?);
    let c = config.clone();
    let briefing = move |v: &View, dir: &Path| {
        let md = briefing::markdown(v, &c);
        let doc = briefing::docx(&md, v.period())?;
        write(dir, "简报.docx", doc)?;
        write(dir, "简报.md", md)
    };
    vec![Box::new(book), Box::new(charts), Box::new(briefing)]
}
