//! The layout every dataset of the archive shares: `<output>/<name>/period=YYYY-MM/part-0.parquet`
//! (Hive-partitioned, readable by polars, DuckDB and Spark), and the one Parquet encoding.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::core::text::Period;

/// File name of the one file in each partition.
pub const PART: &str = "part-0.parquet";

/// `<output>/<name>`: a dataset's folder.
pub fn dataset_dir(output: &Path, name: &str) -> PathBuf {
    output.join(name)
}

/// The folder of one period's partition of the dataset in `dataset`.
pub fn partition_dir(dataset: &Path, period: Period) -> PathBuf {
    dataset.join(format!("period={period}"))
}

/// The file of one period's partition of the dataset in `dataset`.
pub fn partition_file(dataset: &Path, period: Period) -> PathBuf {
    partition_dir(dataset, period).join(PART)
}

/// `<name>/period=YYYY-MM/part-0.parquet`, relative to the output folder (as manifests name it).
pub fn partition_path(name: &str, period: Period) -> String {
    format!("{name}/period={period}/{PART}")
}

/// A frame as the archive's Parquet bytes (zstd, full statistics): the one encoding of every
/// partition of every dataset, so the same rows give the same bytes.
pub fn encode(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::full())
        .finish(df)?;
    Ok(buf)
}

/// One entry of a dataset's folder: a partition folder and its period, when its name is one.
/// Names starting with `.` or `_` are the archive's own staging (and hidden from Hive readers).
#[derive(Debug, Clone)]
pub struct Entry {
    /// The folder (or stray file).
    pub path: PathBuf,
    /// `Some` for `period=YYYY-MM` folders.
    pub period: Option<Period>,
}

/// Every visible entry of a dataset's folder, partitions by period, then strays by name.
pub fn entries(dataset: &Path) -> Vec<Entry> {
    let mut v: Vec<Entry> = std::fs::read_dir(dataset)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !n.starts_with('.') && !n.starts_with('_')
        })
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let period = name
                .strip_prefix("period=")
                .and_then(Period::parse_canonical)
                .filter(|_| e.path().is_dir());
            Entry {
                path: e.path(),
                period,
            }
        })
        .collect();
    v.sort_by(|a, b| {
        (a.period.is_none(), a.period, &a.path).cmp(&(b.period.is_none(), b.period, &b.path))
    });
    v
}

/// Periods present in a dataset, oldest first.
pub fn periods(dataset: &Path) -> Vec<Period> {
    entries(dataset)
        .into_iter()
        .filter_map(|e| e.period)
        .collect()
}
