//! What a publication is built from and with: the month's contents (figures and each
//! dataset's partition), the report writers run together, the staged partitions, the copied
//! returns, and the folders removed again when a build fails.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use super::datasets::Dataset;
use super::hive;
use super::{ArchiveError, Writer, io};
use crate::aggregate;
use crate::check::CheckReport;
use crate::config::Config;
use crate::figures::MonthFigures;
use crate::report::workbook::table::too_long;

/// What a publication writes: the month's figures and each dataset's partition.
pub struct Contents {
    /// The figures the report writers read.
    pub figures: aggregate::Figures,
    /// Each dataset's partition of the month, swapped in in this order.
    pub datasets: Vec<Dataset>,
    /// The earlier partitions the month was computed from.
    pub sources: Vec<super::Source>,
    /// Text shortened in the workbook.
    pub warnings: Vec<String>,
}

/// Every report file of the month into the publication being built, the writers in parallel
/// (the first failure in writer order is returned).
pub(super) fn write_reports(
    writers: &[Box<Writer>],
    contents: &Contents,
    report: &CheckReport,
    config: &Config,
    building: &Path,
) -> Result<(), ArchiveError> {
    if writers.is_empty() {
        return Ok(());
    }
    let month = MonthFigures::from_frames(&contents.figures, report.period, config)?;
    let done: Vec<Result<(), crate::report::ReportError>> = writers
        .par_iter()
        .map(|w| w(&crate::report::View::new(&month, report), building))
        .collect();
    done.into_iter().collect::<Result<(), _>>()?;
    Ok(())
}

/// A partition's `part-0.parquet` written (synced) into its staging folder, and the folder's
/// entry made durable, so that an intent naming it finds it even after a power cut.
pub(super) fn stage(staging: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let part = staging.join(hive::PART);
    crate::core::write::atomic(&part, bytes).map_err(io(&part))?;
    super::swap::sync_dir(staging);
    if let Some(parent) = staging.parent() {
        super::swap::sync_dir(parent);
    }
    Ok(())
}

/// A copy of every return that was read (hashed) into `returns`.
pub(super) fn copy_returns(report: &CheckReport, returns: &Path) -> Result<(), ArchiveError> {
    std::fs::create_dir_all(returns).map_err(io(returns))?;
    for f in report.files.iter().filter(|f| f.sha256.is_some()) {
        let src = f.source.as_path();
        let name = src.file_name().unwrap_or_default();
        crate::core::write::copy_new(src, &returns.join(name)).map_err(io(src))?;
    }
    Ok(())
}

/// Folders of a publish that failed before its intent: deleted when dropped.
pub(super) struct Leftovers(pub(super) Vec<PathBuf>);

impl Drop for Leftovers {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_dir_all(p);
            // `<output>/.staging` itself, once empty.
            if let Some(parent) = p.parent().filter(|d| d.ends_with(super::swap::STAGING)) {
                let _ = std::fs::remove_dir(parent);
            }
        }
    }
}

/// `<period>.replaced-N`, the first N free.
pub(super) fn free_name(output: &Path, period: String) -> PathBuf {
    (1..)
        .map(|n| output.join(format!("{period}.replaced-{n}")))
        .find(|p| !p.exists())
        .unwrap_or_default()
}

/// Warnings for text longer than an Excel cell holds (shortened in the workbook only).
pub fn long_text(stations: &DataFrame, report: &CheckReport) -> Vec<String> {
    let mut out = Vec::new();
    let mut warn = |what: &str, s: &str| {
        if too_long(s) {
            let head: String = s.chars().take(20).collect();
            out.push(format!(
                "{what}“{head}……”共 {} 字，超过 Excel 单元格上限 32767 字：汇总表中已截短，历史数据中保留全文",
                s.chars().count()
            ));
        }
    };
    if let Ok(col) = stations
        .column("station")
        .and_then(|c| Ok(c.str()?.clone()))
    {
        for s in col.iter().flatten() {
            warn("工作站名称", s);
        }
    }
    for d in &report.diagnostics {
        warn("审核意见", &d.message);
    }
    for f in &report.files {
        warn("文件名", &f.path);
    }
    out
}
