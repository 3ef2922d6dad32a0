//! Reports of a published month: the consolidated workbook, charts and the briefing draft,
//! each written from the aggregated figures into the publication being built.

pub mod briefing;
pub mod charts;
pub mod font;
pub mod scope;
pub mod workbook;

use std::path::Path;

use crate::aggregate::Figures;
use crate::archive::Writer;
use crate::check::CheckReport;
use crate::config::Config;
use crate::figures::MonthFigures;

/// Every report writer, for `archive::publish`.
pub fn writers(config: &Config) -> Vec<Box<Writer<'static>>> {
    let c = config.clone();
    let briefing = move |fig: &Figures, report: &CheckReport, dir: &Path| {
        let month = MonthFigures::from_frames(fig, report.period, &c).map_err(|e| e.to_string())?;
        let md = briefing::markdown(&month, report, &c);
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
        let month =
            MonthFigures::from_frames(fig, report.period, &c3).map_err(|e| e.to_string())?;
        charts::write_all(&month, report, &c3, dir)
    };
    vec![Box::new(book), Box::new(charts), Box::new(briefing)]
}
