//! Reports of a published month: the consolidated workbook, charts and the briefing draft,
//! each written from the aggregated figures into the publication being built.

pub mod briefing;

use std::path::Path;

use crate::aggregate::Figures;
use crate::archive::Writer;
use crate::check::CheckReport;
use crate::config::Config;

/// Every report writer, for `archive::publish`.
pub fn writers(config: &Config) -> Vec<Box<Writer<'static>>> {
    let c = config.clone();
    let briefing = move |fig: &Figures, report: &CheckReport, dir: &Path| {
        let md = briefing::markdown(fig, report, &c);
        std::fs::write(dir.join("简报.md"), md).map_err(|e| format!("简报.md:{e}"))
    };
    vec![Box::new(briefing)]
}
