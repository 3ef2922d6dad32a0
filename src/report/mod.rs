//! Reports of a published month: the consolidated workbook, charts and the briefing draft,
//! each written from the aggregated figures into the publication being built.

pub mod briefing;
pub mod charts;
pub mod font;
pub mod workbook;

use std::path::Path;

use polars::prelude::*;

use crate::aggregate::Figures;
use crate::archive::Writer;
use crate::check::CheckReport;
use crate::config::Config;
use crate::figures::MonthFigures;

/// Every report writer, for `archive::publish`.
pub fn writers(config: &Config) -> Vec<Box<Writer<'static>>> {
    let c = config.clone();
    let briefing = move |fig: &Figures, report: &CheckReport, dir: &Path| {
        let md = briefing::markdown(fig, report, &c);
        let doc = briefing::docx(&md, report.period)?;
        std::fs::write(dir.join("简报.docx"), doc).map_err(|e| format!("简报.docx:{e}"))?;
        std::fs::write(dir.join("简报.md"), md).map_err(|e| format!("简报.md:{e}"))
    };
    let c2 = config.clone();
    let book = move |fig: &Figures, report: &CheckReport, dir: &Path| {
        let month = MonthFigures::from_frames(fig, report.period, &c2)
            .map_err(|e| format!("汇总表:{e}"))?;
        let bytes = workbook::build(&month, report, &c2).map_err(|e| format!("汇总表:{e}"))?;
        std::fs::write(dir.join(workbook::file_name(&c2, report.period)), bytes)
            .map_err(|e| format!("汇总表:{e}"))
    };
    let c3 = config.clone();
    let charts = move |fig: &Figures, report: &CheckReport, dir: &Path| {
        charts::write_all(fig, report, &c3, dir)
    };
    vec![Box::new(book), Box::new(charts), Box::new(briefing)]
}

/// An integer cell of a frame (None when null or missing).
pub(crate) fn int(df: &DataFrame, column: &str, row: usize) -> Option<i64> {
    df.column(column)
        .ok()?
        .cast(&DataType::Int64)
        .ok()?
        .i64()
        .ok()?
        .get(row)
}

/// A float cell of a frame.
pub(crate) fn float(df: &DataFrame, column: &str, row: usize) -> Option<f64> {
    df.column(column)
        .ok()?
        .cast(&DataType::Float64)
        .ok()?
        .f64()
        .ok()?
        .get(row)
}

/// A text cell of a frame.
pub(crate) fn text(df: &DataFrame, column: &str, row: usize) -> Option<String> {
    df.column(column)
        .ok()?
        .str()
        .ok()?
        .get(row)
        .map(str::to_string)
}

/// The row of `df` whose `column` equals `value`.
pub(crate) fn find_row(df: &DataFrame, column: &str, value: &str) -> Option<usize> {
    (0..df.height()).find(|&i| text(df, column, i).as_deref() == Some(value))
}
