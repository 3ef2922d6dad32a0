//! Publishing a checked month: its figures over the history, each companion kind's month-end
//! state and the receipt log computed here, then handed to the archive with the report writers.

use super::contents::{Contents, long_text, publish_contents};
use crate::aggregate;
use crate::archive::{Archive, ArchiveError, Dataset, Options, Outcome, sources};
use crate::check::Checked;
use crate::config::Config;
use crate::datasets::{CATALOG, HISTORY, RECEIPTS, counted};
use crate::history;

/// Publishes a checked period: builds everything under temporary names, then swaps the
/// history partition and the publication in together.
pub fn publish(
    archive: &Archive,
    checked: &Checked,
    config: &Config,
    config_origin: (&str, &str),
    opts: &Options,
    writers: &[Box<crate::report::Writer>],
) -> Result<Outcome, ArchiveError> {
    let report = &checked.report;
    if let Some(refused) = archive.refused(report.period, report.preliminary(), opts) {
        return Ok(refused);
    }
    archive.refuse_unsound(config)?;
    let contents = contents(archive, checked, config, &opts.clock)?;
    publish_contents(
        archive,
        report,
        contents,
        (config, config_origin),
        opts,
        writers,
    )
}

/// The month's figures (over the history), each companion kind's month-end state (last month's
/// updated by the returns), and every dataset's partition. The kinds do not depend on the
/// figures: they are brought up to date on a thread of their own while polars sums the history.
fn contents(
    archive: &Archive,
    checked: &Checked,
    config: &Config,
    clock: &crate::receipts::Clock,
) -> Result<Contents, ArchiveError> {
    let period = checked.report.period;
    let receipts = receipt_log(archive, &checked.report, clock)?;
    let (figures, companions) = std::thread::scope(|s| {
        let companions = s.spawn(|| super::companions::fold(archive.output(), checked, config));
        let figures = aggregate::figures(checked, config, &archive.output().join("history"));
        let companions = companions
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (figures, companions)
    });
    let mut figures = figures?;
    let (folded, companions) = companions?;
    figures.folded = folded;
    let receipts_bytes = crate::receipts::parquet_bytes(&receipts)?;
    figures.receipts = receipts;
    let mut receipts = Dataset::new(RECEIPTS.name, receipts_bytes);
    receipts.extra = counted(&checked.report);
    Ok(Contents {
        sources: sources::Snapshot::take(archive.output(), &CATALOG).used_by(period),
        warnings: long_text(&figures.stations, &checked.report),
        datasets: std::iter::once(Dataset::new(
            HISTORY.name,
            history::parquet_bytes(&figures.stations)?,
        ))
        .chain(companions)
        .chain([receipts])
        .collect(),
        figures,
    })
}

/// The month's receipt log with the versions of this check. A log that cannot be read is
/// never replaced (a version once logged is not lost): the publish is refused, naming it.
pub fn receipt_log(
    archive: &Archive,
    report: &crate::check::CheckReport,
    clock: &crate::receipts::Clock,
) -> Result<Vec<crate::receipts::Receipt>, ArchiveError> {
    let log = crate::receipts::store::load(archive.output(), report.period).map_err(|h| {
        ArchiveError::Damaged {
            path: h.path.display().to_string(),
            why: h.why,
            repair: "把这个文件移到输出文件夹以外保存（其中的记录无法重建），再运行".into(),
        }
    })?;
    Ok(crate::receipts::merge(log, crate::receipts::versions(report, clock)).0)
}

/// Records the versions a check read in the month's receipt log, when no publication
/// carries them (a refused or already published month).
pub fn record_receipts(
    archive: &Archive,
    report: &crate::check::CheckReport,
    clock: &crate::receipts::Clock,
) -> Result<usize, crate::receipts::store::RecordError> {
    let versions = crate::receipts::versions(report, clock);
    crate::receipts::store::record(archive.output(), report.period, versions)
}
