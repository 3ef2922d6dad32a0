//! `liaison rollup`: a folder of bundles checked, their rows taken by tier, and the roll-up
//! published like a month — the same archive, lock, journal, `--allow-partial` and `--force`.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use super::contents::{Contents, long_text, publish_contents};
use crate::aggregate;
use crate::archive::{Archive, ArchiveError, Dataset, Options, Outcome};
use crate::bundle::{self, FolderCheck};
use crate::check::{CheckReport, Status};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::Period;
use crate::datasets::{CATALOG, HISTORY, RECEIPTS, counted};
use crate::forms::monthly::IngestError;
use crate::history;
use crate::report::Writer;
use crate::rollup::rows::{Rows, rows};

/// Why a roll-up could not be published (nothing published was changed).
#[derive(Debug, thiserror::Error)]
pub enum RollupError {
    /// The folder of bundles could not be read.
    #[error("读取数据包失败：{0}")]
    Folder(#[from] IngestError),
    /// The archive refused or failed the publication.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

/// A roll-up checked, and what publishing it did.
pub struct RolledUp {
    /// Every bundle's verdict, the counties missing, every finding.
    pub report: CheckReport,
    /// Published, refused, or already published.
    pub outcome: Outcome,
}

/// The bundles of `dir` for `period`, checked and rolled up under the roll-up config `config`
/// into the locked `archive`. A damaged archive, or one of another region, is refused first.
pub fn rollup_month(
    archive: &Archive,
    dir: &Path,
    period: Period,
    config: &Config,
    config_origin: (&str, &str),
    opts: &Options,
) -> Result<RolledUp, RollupError> {
    archive.refuse_unsound(config)?;
    let mut folder = bundle::verify_dir(dir, period, config)?;
    let parts = take_rows(&mut folder, config);
    let (period_of, preliminary) = (folder.report.period, folder.report.preliminary());
    if let Some(outcome) = archive.refused(period_of, preliminary, opts) {
        return Ok(RolledUp {
            report: folder.report,
            outcome,
        });
    }
    let (mut contents, scopes) = contents(archive.output(), &folder, &parts, config, period)?;
    // The bundles read are the roll-up's received versions (收文登记), logged like returns.
    let receipts = crate::app::publish::receipt_log(archive, &folder.report, &opts.clock)?;
    let bytes = crate::receipts::parquet_bytes(&receipts).map_err(ArchiveError::from)?;
    let mut log = Dataset::new(RECEIPTS.name, bytes);
    log.extra = counted(&folder.report);
    contents.datasets.push(log);
    contents.figures.receipts = receipts;
    let writers = writers(config, scopes);
    let outcome = publish_contents(
        archive,
        &folder.report,
        contents,
        (config, config_origin),
        opts,
        &writers,
    )?;
    Ok(RolledUp {
        report: folder.report,
        outcome,
    })
}

/// Every accepted bundle's rows; a bundle whose rows cannot be taken (or that sits at another
/// level than the others: a county's month among cities' roll-ups) is refused like a bad one.
fn take_rows(folder: &mut FolderCheck, config: &Config) -> Vec<(String, Rows)> {
    let mut depths: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, b) in &folder.bundles {
        *depths.entry(b.depth()).or_default() += 1;
    }
    // The level most bundles are at (the deeper one on a tie): the others are refused.
    let depth = depths
        .iter()
        .max_by_key(|(d, n)| (**n, **d))
        .map_or(0, |(d, _)| *d);
    let mut out = Vec::new();
    let report = &mut folder.report;
    for (unit_id, b) in std::mem::take(&mut folder.bundles) {
        let Some(unit) = config.unit(&unit_id) else {
            continue;
        };
        let taken = if b.depth() != depth {
            Err(format!(
                "这个数据包是{}，其他数据包是{}：不同层级的数据包不能一起汇总，请只放同一级的",
                level_name(b.depth()),
                level_name(depth)
            ))
        } else {
            rows(&b, unit, config).map_err(|e| e.0)
        };
        match taken {
            Ok(r) => {
                report.diagnostics.extend(r.notes.iter().cloned());
                out.push((unit_id.clone(), r));
                folder.bundles.push((unit_id, b));
            }
            Err(why) => {
                report.diagnostics.push(
                    Finding::new(
                        Code::BundleInvalid,
                        Some(&b.file),
                        format!("{why}。未使用其中任何数字"),
                    )
                    .unit(Some(&unit_id)),
                );
                if let Some(line) = report.files.iter_mut().find(|f| f.path == b.file) {
                    line.status = Status::Error;
                }
                report.incomplete.retain(|u| *u != unit_id);
            }
        }
    }
    out
}

fn level_name(depth: usize) -> &'static str {
    match depth {
        0 => "县（区）的月报",
        1 => "市一级的汇总",
        _ => "省一级的汇总",
    }
}

/// The roll-up's contents: the history partition (every station row, full keys), each
/// companion kind's partition, and the figures over the counties (each county one unit) with the history; and
/// each county's own scope word (全县, 全区) for the briefing.
fn contents(
    output: &Path,
    folder: &FolderCheck,
    parts: &[(String, Rows)],
    config: &Config,
    period: Period,
) -> Result<(Contents, BTreeMap<String, String>), ArchiveError> {
    let stations = stack(parts.iter().map(|(_, r)| &r.stations))?;
    let (folded, companions) = super::companions::rollup_fold(parts, config, period)?;
    let key = parts.first().map_or("county", |(_, r)| r.key);
    let view = match &stations {
        Some(df) => view(df, key, period, config)?,
        None => empty_view(config, period)?,
    };
    let mut figures =
        aggregate::figures_over(view.clone(), period, config, &output.join("history"))?;
    figures.folded = folded;
    let history_bytes = match stations {
        Some(mut df) => history::encode(&mut df)?,
        None => history::parquet_bytes(&view)?,
    };
    let scopes = folder
        .bundles
        .iter()
        .map(|(u, b)| (u.clone(), b.config.region.scope.clone()))
        .collect();
    Ok((
        Contents {
            // The roll-up's own earlier months (上月, 累计, trend) are what it was computed from.
            sources: crate::archive::sources::Snapshot::take(output, &CATALOG).used_by(period),
            warnings: long_text(&view, &folder.report),
            // The receipt log is added once the bundles are logged.
            datasets: std::iter::once(Dataset::new(HISTORY.name, history_bytes))
                .chain(companions)
                .collect(),
            figures,
        },
        scopes,
    ))
}

pub(super) fn stack<'a>(
    frames: impl Iterator<Item = &'a DataFrame>,
) -> PolarsResult<Option<DataFrame>> {
    let mut all: Option<DataFrame> = None;
    for df in frames {
        match &mut all {
            None => all = Some(df.clone()),
            Some(a) => {
                a.vstack_mut(df)?;
            }
        }
    }
    if let Some(a) = &mut all {
        a.rechunk_mut();
    }
    Ok(all)
}

/// The rows as the figures see them: the roll-up's unit (`<key>_id`, `<key>`) as `unit_id` and
/// `unit`, the places under it joined to the station's name (星沙街道·某某工作站).
fn view(
    stations: &DataFrame,
    key: &str,
    period: Period,
    config: &Config,
) -> PolarsResult<DataFrame> {
    let keys = crate::bundle::verify::LEVEL_KEYS;
    let outer = keys.iter().position(|k| *k == key).unwrap_or(0);
    let text = |c: &str| -> PolarsResult<StringChunked> {
        Ok(stations.column(c)?.cast(&DataType::String)?.str()?.clone())
    };
    let mut inner: Vec<StringChunked> = Vec::new();
    for k in keys[..outer].iter().rev() {
        inner.push(text(k)?);
    }
    inner.push(text("unit")?);
    inner.push(text("station")?);
    let n = stations.height();
    let station: Vec<String> = (0..n)
        .map(|i| {
            inner
                .iter()
                .map(|c| c.get(i).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("·")
        })
        .collect();
    let mut cols = vec![
        Column::new("period".into(), vec![period.to_string(); n]),
        stations
            .column(&format!("{key}_id"))?
            .clone()
            .with_name("unit_id".into()),
        stations.column(key)?.clone().with_name("unit".into()),
        Column::new("station".into(), station),
    ];
    for m in aggregate::metric_columns(config)
        .iter()
        .map(String::as_str)
        .chain(["source_sha256"])
    {
        cols.push(stations.column(m)?.clone());
    }
    DataFrame::new(n, cols)
}

/// A month with no county counted: the view's columns, no rows.
fn empty_view(config: &Config, period: Period) -> PolarsResult<DataFrame> {
    aggregate::stations_frame(period, &[], config)
}

/// The roll-up's writers: the workbook and the charts as a month's (the counties as units),
/// and the bulletin draft with one paragraph per county.
fn writers(config: &Config, scopes: BTreeMap<String, String>) -> Vec<Box<Writer<'static>>> {
    use crate::report::{ReportError, View, briefing, charts, workbook};
    let write = |dir: &Path, name: &str, bytes: &[u8]| -> Result<(), ReportError> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| ReportError::Io {
            path: path.display().to_string(),
            source,
        })
    };
    let c = config.clone();
    let book = move |report: &View, dir: &Path| {
        let bytes = workbook::build(report.figures, report, &c)?;
        write(dir, &workbook::file_name(&c, report.period), &bytes)
    };
    let c = config.clone();
    let charts =
        move |report: &View, dir: &Path| Ok(charts::write_all(report.figures, report, &c, dir)?);
    let c = config.clone();
    let bulletin = move |report: &View, dir: &Path| {
        let md = crate::rollup::briefing::markdown(report.figures, report, &c, &scopes);
        let doc = briefing::docx(&md, report.period)?;
        write(dir, "简报.docx", &doc)?;
        write(dir, "简报.md", md.as_bytes())
    };
    vec![Box::new(book), Box::new(charts), Box::new(bulletin)]
}
