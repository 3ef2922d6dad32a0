//! Reading the archive for a summary, changing nothing: a month's publication (its manifest),
//! and its history or companion kinds' partitions only when their bytes are the ones the
//! manifest names.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use sha2::{Digest, Sha256};

use super::SummaryError;
use crate::aggregate;
use crate::archive::swap::file_sha;
use crate::archive::{ArchiveError, Manifest};
use crate::config::Config;
use crate::core::hive;
use crate::core::text::Period;
use crate::core::text::hex;
use crate::datasets::HISTORY;
use crate::forms::{KeptPart, SpanParts};
use crate::history::{self, HistoryError};

/// A month's publication, as its manifest names it.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The month.
    pub period: Period,
    /// Its manifest.
    pub manifest: Manifest,
    /// sha256 of its `manifest.json` (what a summary's manifest names it by).
    pub manifest_sha256: String,
}

/// A unit's month, summed over its stations (as `aggregate::unit_totals` sums it).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    /// Unit id.
    pub unit_id: String,
    /// The unit's name in that month's history.
    pub name: String,
    /// Stations counted.
    pub stations: i64,
    /// One sum per id of `Totals::ids` (None: a metric that month's form did not have).
    pub values: Vec<Option<i64>>,
}

fn damaged(path: &Path, why: impl Into<String>, repair: String) -> SummaryError {
    SummaryError::Archive(ArchiveError::Damaged {
        path: path.display().to_string(),
        why: why.into(),
        repair,
    })
}

fn rebuild(p: Period) -> String {
    format!("运行 liaison archive rebuild --period {p} 从该月发布中保存的报表重建")
}

/// The publication of `period`, or None when the month is not published. A folder of the month
/// whose manifest cannot be read, or one made for another region, is refused.
pub fn publication(
    output: &Path,
    period: Period,
    config: &Config,
) -> Result<Option<Publication>, SummaryError> {
    let dir = output.join(period.to_string());
    if !dir.is_dir() {
        return Ok(None);
    }
    let path = dir.join("manifest.json");
    let republish = format!("运行 liaison report --period {period} --force 重新发布该月");
    let bytes =
        std::fs::read(&path).map_err(|e| damaged(&path, e.to_string(), republish.clone()))?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| damaged(&path, format!("内容有误：{e}"), republish.clone()))?;
    if manifest.period != period.to_string() {
        let why = format!("记录的月份是 {}，不是 {period}", manifest.period);
        return Err(damaged(&path, why, republish));
    }
    if let Some(r) = manifest
        .region
        .as_ref()
        .filter(|r| r.name != config.region.name)
    {
        return Err(SummaryError::Archive(ArchiveError::OtherRegion {
            output: output.display().to_string(),
            existing: r.name.clone(),
            ours: config.region.name.clone(),
        }));
    }
    Ok(Some(Publication {
        period,
        manifest,
        manifest_sha256: hex(&Sha256::digest(&bytes)),
    }))
}

/// Why a partition is refused: it cannot be read.
const MISSING: &str = "缺失或无法读取";
/// Why a partition is refused: its bytes are not the ones its manifest names.
const ALTERED: &str = "与该月发布清单记录的 sha256 不符（已损坏或被改动）";

/// Refuses a partition whose bytes are not the ones its manifest names.
fn verified(part: &Path, sha256: &str, period: Period) -> Result<(), SummaryError> {
    match file_sha(part) {
        None => Err(damaged(part, MISSING, rebuild(period))),
        Some(h) if h != sha256 => Err(damaged(part, ALTERED, rebuild(period))),
        Some(_) => Ok(()),
    }
}

/// Each unit's sums of the month, from its history partition (verified against the manifest,
/// read with its key and figure columns only, grouped by polars), in unit id order.
pub fn unit_rows(
    output: &Path,
    publication: &Publication,
    config: &Config,
) -> Result<Vec<UnitRow>, SummaryError> {
    let (hist, p) = (output.join("history"), publication.period);
    let part = history::partition_file(&hist, p);
    let want = publication
        .manifest
        .pinned(HISTORY.name)
        .unwrap_or_default();
    verified(&part, want, p)?;
    let df = history::read_for_totals(&hist, p, config).map_err(|e| unreadable(e, p))?;
    let units = aggregate::unit_totals(df.lazy(), config).collect()?;
    let ids = config.figure_ids();
    let text = |c: &str| -> PolarsResult<StringChunked> {
        Ok(units.column(c)?.cast(&DataType::String)?.str()?.clone())
    };
    let int = |c: &str| -> PolarsResult<Int64Chunked> {
        Ok(units.column(c)?.cast(&DataType::Int64)?.i64()?.clone())
    };
    let (uid, name, stations) = (text("unit_id")?, text("unit")?, int("stations")?);
    let values: Vec<Int64Chunked> = ids.iter().map(|id| int(id)).collect::<PolarsResult<_>>()?;
    Ok((0..units.height())
        .map(|r| UnitRow {
            unit_id: uid.get(r).unwrap_or_default().to_string(),
            name: name.get(r).unwrap_or_default().to_string(),
            stations: stations.get(r).unwrap_or(0),
            values: values.iter().map(|v| v.get(r)).collect(),
        })
        .collect())
}

/// The companion kinds' partitions of the month ([`SpanParts::DATASETS`]), each read only when
/// its bytes are the ones the manifest names; a dataset the month was published without (by
/// an earlier version) is left out.
pub fn companion_parts(
    output: &Path,
    publication: &Publication,
) -> Result<Vec<KeptPart>, SummaryError> {
    let p = publication.period;
    let mut kept = Vec::new();
    for &name in SpanParts::DATASETS {
        let Some(want) = publication.manifest.pinned(name) else {
            continue;
        };
        let part = hive::partition_file(&hive::dataset_dir(output, name), p);
        let bytes = std::fs::read(&part).map_err(|_| damaged(&part, MISSING, rebuild(p)))?;
        if hex(&Sha256::digest(&bytes)) != want {
            return Err(damaged(&part, ALTERED, rebuild(p)));
        }
        kept.push(KeptPart {
            name,
            path: part,
            bytes,
            sha256: want.to_string(),
        });
    }
    Ok(kept)
}

/// A verified partition of `period` that still cannot be read.
pub fn unreadable(e: HistoryError, period: Period) -> SummaryError {
    damaged(&e.path, e.why, rebuild(period))
}

/// Where the summaries of an output folder are written.
pub fn summaries_dir(output: &Path) -> PathBuf {
    output.join("summaries")
}
