//! What a publication hands the store, made from a check report: the record its manifest keeps,
//! the report files written from the figures, and the warnings for text too long for Excel.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use crate::aggregate;
use crate::archive::manifest::hash_input;
use crate::archive::{
    Archive, ArchiveError, Dataset, InputEntry, Options, Outcome, Publication, Record, Source,
};
use crate::check::{CheckReport, Status};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::figures::MonthFigures;
use crate::report::Writer;
use crate::report::workbook::table::too_long;

/// What a publication writes: the figures its report writers read and each dataset's partition.
pub struct Contents {
    /// The figures the report writers read.
    pub figures: aggregate::Figures,
    /// Each dataset's partition of the month, swapped in in this order.
    pub datasets: Vec<Dataset>,
    /// The earlier partitions the month was computed from.
    pub sources: Vec<Source>,
    /// Text shortened in the workbook.
    pub warnings: Vec<String>,
}

/// Hands `contents` to the store as the publication of the check `report`, the report files
/// written by `writers` from its figures.
pub fn publish_contents(
    archive: &Archive,
    report: &CheckReport,
    contents: Contents,
    (config, config_origin): (&Config, (&str, &str)),
    opts: &Options,
    writers: &[Box<Writer>],
) -> Result<Outcome, ArchiveError> {
    let figures = &contents.figures;
    let write = |building: &Path| write_reports(writers, figures, report, config, building);
    let publication = Publication {
        record: record(report),
        datasets: contents.datasets,
        sources: contents.sources,
        warnings: contents.warnings,
        write: &write,
    };
    archive.publish_contents(publication, config, config_origin, opts)
}

/// What the manifest records of a check report: every input with its status (an ignored file
/// with the finding's words, a file with no bytes with why), the files left out with each
/// reason and its code, the units with no return; the files read, to be copied.
pub fn record(report: &CheckReport) -> Record {
    let ignored_why = |path: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.code == Code::IgnoredFile && d.file.as_deref() == Some(path))
            .map(|d| d.message.clone())
    };
    let inputs = report
        .files
        .iter()
        .map(|f| {
            let (sha256, why) = match &f.sha256 {
                Some(h) => (Some(h.clone()), None),
                None => hash_input(&f.source),
            };
            let reason = ignored_why(&f.path).or(why);
            InputEntry {
                path: f.path.clone(),
                sha256,
                unit: f.unit.clone(),
                status: serde_json::to_value(f.status)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                reason,
            }
        })
        .collect();
    let excluded = report
        .files
        .iter()
        .filter(|f| f.status == Status::Error)
        .map(|f| {
            let errors: Vec<&Finding> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error() && d.file.as_deref() == Some(f.path.as_str()))
                .collect();
            let why: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
            // Each reason's code beside it: a summary says it in words for the leadership.
            let codes: Vec<String> = errors.iter().map(|d| d.code.as_str()).collect();
            serde_json::json!({"path": f.path, "unit": f.unit, "reasons": why, "codes": codes})
        })
        .collect();
    Record {
        period: report.period,
        preliminary: report.preliminary(),
        inputs,
        excluded,
        missing_units: report.missing_units.clone(),
        returns: report
            .files
            .iter()
            .filter(|f| f.sha256.is_some())
            .map(|f| f.source.clone())
            .collect(),
    }
}

/// Every report file of the month into the publication being built, the writers in parallel
/// (the first failure in writer order is returned).
fn write_reports(
    writers: &[Box<Writer>],
    figures: &aggregate::Figures,
    report: &CheckReport,
    config: &Config,
    building: &Path,
) -> Result<(), ArchiveError> {
    if writers.is_empty() {
        return Ok(());
    }
    let month = MonthFigures::from_frames(figures, report.period, config)?;
    let done: Vec<Result<(), crate::report::ReportError>> = writers
        .par_iter()
        .map(|w| w(&crate::report::View::new(&month, report), building))
        .collect();
    done.into_iter().collect::<Result<(), _>>()?;
    Ok(())
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
