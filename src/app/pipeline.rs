//! The month both commands share: a folder's returns ingested and checked, with last month's
//! ledger and each unit's history from the archive (`check_month`), then published (`publish_month`).
//! The library never prints: what could not be compared comes back as notes for the command to show.

use std::path::Path;

use crate::archive::{Archive, ArchiveError, Options, Outcome};
use crate::check::{self, Checked, Keep, UnitHistory, YearToDate};
use crate::config::Config;
use crate::core::text::Period;
use crate::forms::monthly::IngestError;

/// Why a month could not be published (nothing published was changed).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The returns' folder could not be read.
    #[error("读取报表失败：{0}")]
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
/// use liaison::{app::pipeline, archive, config::Config, core::text::Period};
/// let config = Config::embedded();
/// let archive = archive::Archive::open("output".as_ref(), &liaison::datasets::CATALOG).unwrap();
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
    let mut month = check_month(dir, period, config, archive.output(), Keep::Figures)?;
    let writers = crate::report::writers(config);
    let outcome = super::publish::publish(
        archive,
        &month.checked,
        config,
        config_origin,
        opts,
        &writers,
    )?;
    // A publication carries the month's receipt log; a month not published still logs the
    // versions it read.
    if !matches!(outcome, Outcome::Published { .. })
        && let Err(e) = super::publish::record_receipts(archive, &month.checked.report, &opts.clock)
    {
        month.notes.push(format!(
            "收文登记没有写出（{e}），收到的版本下次 check 或 report 时再登记"
        ));
    }
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
/// use liaison::{app::pipeline, check, config::Config, core::text::Period};
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
    let (previous, mut notes) = super::companions::priors(output, period);
    let mut checked = check::check_dir(dir, period, config, &previous, keep)?;
    let history = outlier_history(output, period, config, &mut notes);
    check::add_outliers(&mut checked, &history, config);
    if !checked.cumulative.is_empty() {
        match year_to_date(output, period, config) {
            Ok(ytd) => check::add_cumulative(&mut checked, &ytd, config),
            Err(why) => {
                let files: Vec<String> = checked
                    .cumulative
                    .iter()
                    .map(|c| {
                        Path::new(&c.file)
                            .file_name()
                            .map_or(c.file.clone(), |n| n.to_string_lossy().into_owned())
                    })
                    .collect();
                notes.push(format!(
                    "{} 的累计列没有与档案核对：{why}",
                    files.join("、")
                ));
            }
        }
    }
    Ok(CheckedMonth { checked, notes })
}

/// When `output` holds no archive (no month published there), a note saying so and what the
/// check could therefore not compare: a `check` run from another folder must not look whole.
pub fn no_archive_note(output: &Path) -> Option<String> {
    let published = !crate::archive::verify::publications(output).is_empty()
        || !crate::history::periods(&output.join("history")).is_empty();
    if published {
        return None;
    }
    let shown = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    Some(format!(
        "在 {} 没有找到档案（那里还没有发布过任何月份），本次没有与往月比较：没有做与本单位往月的差异核对（outlier），没有与上月台账比较（ledger_reopened），没有核对累计栏（cumulative_mismatch）。如档案在别的文件夹，请用 --output 指定",
        shown.display()
    ))
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
            "{} 中有一次未完成的发布，本次没有与历史数据比较（运行 liaison archive verify 可完成它）",
            output.display()
        ));
        return Vec::new();
    }
    let problems =
        crate::archive::verify::dataset_problems(output, &crate::datasets::HISTORY, true);
    for p in &problems {
        notes.push(format!(
            "历史数据 {} {}，本次审核没有用它做比较（请{}）",
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
    let (units, damaged) = crate::aggregate::history_unit_totals(&hist, &wanted, config);
    for d in damaged {
        notes.push(format!("{d}，本次审核没有用它做比较"));
    }
    crate::aggregate::unit_history(units, period, config).unwrap_or_else(|e| {
        notes.push(format!(
            "历史数据无法汇总（{e}），本次审核没有与历史数据比较"
        ));
        Vec::new()
    })
}

/// Each unit's stations summed over the year's months before `period` from the archive, for
/// `cumulative_mismatch`; or why not: a month missing, damaged or not yet finished (then
/// nothing is compared: a 累计 is never checked against a guess).
fn year_to_date(output: &Path, period: Period, config: &Config) -> Result<YearToDate, NotCompared> {
    let months: Vec<Period> = (1..period.month())
        .filter_map(|m| Period::new(period.year(), m))
        .collect();
    if months.is_empty() {
        return Ok(YearToDate::default());
    }
    let hist = output.join("history");
    if output.join(crate::archive::swap::INTENT).exists() {
        return Err(NotCompared::Interrupted);
    }
    let problems =
        crate::archive::verify::dataset_problems(output, &crate::datasets::HISTORY, true);
    let mut rows = Vec::with_capacity(months.len());
    for &p in &months {
        let part = crate::history::partition_file(&hist, p);
        if !part.is_file() || problems.iter().any(|x| x.path == part) {
            return Err(NotCompared::MonthMissing(p.year(), p.month()));
        }
        rows.push(
            crate::history::station_rows(&hist, p, config)
                .map_err(|e| NotCompared::Unreadable(e.to_string()))?,
        );
    }
    Ok(YearToDate::from_months(months, &rows))
}

/// Why the 累计 columns were not compared with the archive.
#[derive(Debug, thiserror::Error)]
enum NotCompared {
    #[error("有一次未完成的发布（运行 liaison archive verify 可完成它）")]
    Interrupted,
    #[error("档案中没有完整的 {0}年{1}月 数据")]
    MonthMissing(i32, u32),
    #[error("{0}")]
    Unreadable(String),
}
