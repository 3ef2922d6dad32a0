//! The month both commands share: a folder's returns ingested and checked, with last month's
//! ledger and each unit's history from the archive (`check_month`), then published (`publish_month`).
//! The library never prints: what could not be compared comes back as notes for the command to show.

use std::path::Path;

use crate::archive::{Archive, ArchiveError, Options, Outcome};
use crate::check::{self, Checked, Keep};
use crate::config::Config;
use crate::core::Period;
use crate::forms::IngestError;
use crate::forms::monthly::outliers::UnitHistory;

/// Why a month could not be published (nothing published was changed).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The returns' folder could not be read.
    #[error("读取报表失败:{0}")]
    Ingest(#[from] IngestError),
    /// The archive refused or failed the publication.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

/// A month checked, and what publishing it did.
pub struct PublishedMonth {
    /// The check (with its notes).
    pub month: CheckedMonth,
    /// Published, refused for errors, or already published.
    pub outcome: Outcome,
}

/// Checks the returns of `dir` for `period` and publishes them into the locked `archive` with
/// every report (workbook, charts, briefing). A damaged archive, or one of another region, is
/// refused before anything is read, so the check compares with an archive that is whole.
///
/// ```no_run
/// use liaison::{archive, config::Config, core::Period, pipeline};
/// let config = Config::embedded();
/// let archive = archive::Archive::open("output".as_ref()).unwrap();
/// let done = pipeline::publish_month(
///     &archive,
///     "input/2022-05".as_ref(),
///     Period::new(2022, 5).unwrap(),
///     &config,
///     ("(内置长沙县配置)", liaison::config::DEFAULT_TOML),
///     &archive::Options::default(),
/// )
/// .unwrap();
/// assert!(matches!(done.outcome, archive::Outcome::Published { .. }));
/// ```
pub fn publish_month(
    archive: &Archive,
    dir: &Path,
    period: Period,
    config: &Config,
    config_origin: (&str, &str),
    opts: &Options,
) -> Result<PublishedMonth, PublishError> {
    archive.refuse_unsound(config)?;
    let month = check_month(dir, period, config, archive.output(), Keep::Figures)?;
    let writers = crate::report::writers(config);
    let outcome = archive.publish(&month.checked, config, config_origin, opts, &writers)?;
    Ok(PublishedMonth { month, outcome })
}

/// A checked month, and notes on the archive parts it could not compare with.
pub struct CheckedMonth {
    /// The check of the month's returns: the §4 document (`checked.report`) and the counted
    /// returns' figures (`checked.counted`), which the report and the archive take.
    pub checked: Checked,
    /// Why a comparison was skipped (a damaged partition, an unfinished publication …).
    pub notes: Vec<String>,
}

/// Ingests `dir` and applies every rule for `period`: the return rules and the ledger rules
/// against last month's ledger in `output` as each file is read, then the rules across files
/// and the outlier warnings against each unit's earlier months. The check never depends on the archive: a part of it that cannot be read
/// is left out of the comparisons, with a note naming it.
///
/// ```no_run
/// use liaison::{check, config::Config, core::Period, pipeline};
/// let config = Config::embedded();
/// let month = pipeline::check_month(
///     "input/2022-05".as_ref(), Period::new(2022, 5).unwrap(), &config, "output".as_ref(),
///     check::Keep::Totals,
/// ).unwrap();
/// assert!(!month.checked.report.has_errors());
/// ```
pub fn check_month(
    dir: &Path,
    period: Period,
    config: &Config,
    output: &Path,
    keep: Keep,
) -> Result<CheckedMonth, IngestError> {
    let (previous, mut notes) = crate::forms::ledger::store::previous_for_check(output, period);
    let priors = crate::forms::Priors { ledger: previous };
    let mut checked = check::check_dir(dir, period, config, &priors, keep)?;
    let history = outlier_history(output, period, config, &mut notes);
    check::add_outliers(&mut checked, &history, config);
    Ok(CheckedMonth { checked, notes })
}

/// Each unit's earlier months from the archive, for the outlier warnings; a partition that is
/// damaged, does not agree with its manifest or cannot be read is left out, with a note.
fn outlier_history(
    output: &Path,
    period: Period,
    config: &Config,
    notes: &mut Vec<String>,
) -> Vec<UnitHistory> {
    let hist = output.join("history");
    if output.join(crate::archive::swap::INTENT).exists() {
        notes.push(format!(
            "{} 中有一次未完成的发布,本次没有与历史数据比较(运行 liaison archive verify 可完成它)",
            output.display()
        ));
        return Vec::new();
    }
    let problems = crate::archive::verify::history_problems(output);
    for p in &problems {
        notes.push(format!(
            "历史数据 {} {},本次审核没有用它做比较(请{})",
            p.path.display(),
            p.what,
            p.repair
        ));
    }
    let wanted: Vec<Period> = crate::history::periods(&hist)
        .into_iter()
        .filter(|p| *p < period)
        .filter(|p| {
            let part = crate::history::partition_file(&hist, *p);
            !problems.iter().any(|x| x.path == part)
        })
        .collect();
    // Unit totals partition by partition: a province's years of station rows are never all in
    // memory at once.
    let (units, damaged) =
        crate::forms::monthly::aggregate::history_unit_totals(&hist, &wanted, config);
    for d in damaged {
        notes.push(format!("{d},本次审核没有用它做比较"));
    }
    crate::forms::monthly::aggregate::unit_history(units, period, config).unwrap_or_else(|e| {
        notes.push(format!("历史数据无法汇总({e}),本次审核没有与历史数据比较"));
        Vec::new()
    })
}
