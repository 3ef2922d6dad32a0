//! Return templates: one print-ready workbook per unit holding each sheet kind's template sheet
//! (the monthly return, then the ledger), so that what units fill in reads back exactly.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use super::ledger::{self, LedgerItem};
use super::monthly;
use crate::config::{Config, Unit};
use crate::core::Period;

/// Errors writing templates.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// rust_xlsxwriter refused something.
    #[error("生成模板出错:{0}")]
    Xlsx(#[from] XlsxError),
    /// The file could not be written.
    #[error("无法写入 {path}:{source}")]
    Io {
        /// Target file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What a unit typed into its template, sheet by sheet: nothing (`Filled::default()`) for the
/// blank template the committee sends out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filled<'a> {
    /// The monthly sheet: `figures[k]` is the k-th register station's row, one count per metric.
    pub figures: &'a [Vec<u64>],
    /// The ledger sheet's items.
    pub items: &'a [LedgerItem],
}

/// File name of a unit's template: `星沙街道_2022年5月进站活动月报表.xlsx`.
pub fn file_name(unit: &Unit, period: Period) -> String {
    format!(
        "{}_{}年{}月进站活动月报表.xlsx",
        unit.name,
        period.year(),
        period.month()
    )
}

/// Writes one blank template per configured unit into `dir`; returns the paths written.
pub fn write_all(
    config: &Config,
    period: Period,
    dir: &Path,
) -> Result<Vec<PathBuf>, TemplateError> {
    let mut paths = Vec::new();
    for unit in &config.units {
        let bytes = build(config, unit, period, &Filled::default())?;
        let path = dir.join(file_name(unit, period));
        crate::core::write::atomic(&path, &bytes).map_err(|source| TemplateError::Io {
            path: path.display().to_string(),
            source,
        })?;
        paths.push(path);
    }
    Ok(paths)
}

/// The template of one unit as xlsx bytes, with what `filled` types in.
///
/// ```
/// use liaison::{config::Config, core::Period, forms::template::{self, Filled}};
/// let c = Config::embedded();
/// let p = Period::new(2022, 5).unwrap();
/// let blank = template::build(&c, &c.units[0], p, &Filled::default()).unwrap();
/// assert!(blank.starts_with(b"PK"));
/// let unit = &c.units[0];
/// let rows = vec![vec![1; c.metrics.len()]; unit.stations.len()];
/// let filled = Filled { figures: &rows, ..Filled::default() };
/// assert!(template::build(&c, unit, p, &filled).unwrap().len() > 1000);
/// ```
pub fn build(
    config: &Config,
    unit: &Unit,
    period: Period,
    filled: &Filled,
) -> Result<Vec<u8>, TemplateError> {
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(format!(
            "{} {}年{}月",
            config.region.title,
            period.year(),
            period.month()
        ))
        .set_author(format!("{}人大常委会联工委", config.region.name))
        .set_creation_datetime(&ExcelDateTime::from_ymd(
            period.year() as u16,
            period.month() as u8,
            1,
        )?);
    wb.set_properties(&props);
    monthly::template::sheet(&mut wb, config, unit, period, filled.figures)?;
    ledger::template::sheet(&mut wb, config, unit, period, filled.items)?;
    Ok(wb.save_to_buffer()?)
}
