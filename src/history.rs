//! The archive's history: a Hive-partitioned Parquet dataset, one row per station and month,
//! `<output>/history/period=YYYY-MM/part-0.parquet`, readable by polars, DuckDB and Spark.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::text::Period;

/// File name of the one file in each partition.
pub const PART: &str = "part-0.parquet";

/// The folder of one period's partition.
pub fn partition_dir(history: &Path, period: Period) -> PathBuf {
    history.join(format!("period={period}"))
}

/// Parquet bytes of one period's station rows. The `period` column is left out of the file:
/// the partition folder carries it (Spark refuses a column both in files and in the path).
pub fn parquet_bytes(stations: &DataFrame) -> PolarsResult<Vec<u8>> {
    let mut df = stations.drop("period")?;
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::full())
        .finish(&mut df)?;
    Ok(buf)
}

/// Periods present in the history, oldest first.
pub fn periods(history: &Path) -> Vec<Period> {
    let mut v: Vec<Period> = std::fs::read_dir(history)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().join(PART).is_file())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Period::parse_canonical(name.strip_prefix("period=")?)
        })
        .collect();
    v.sort();
    v
}

/// Every station row of the history except `except`, with `period` as a string column;
/// `None` when there is no other period.
pub fn scan_except(history: &Path, except: Period) -> PolarsResult<Option<LazyFrame>> {
    let frames: Vec<LazyFrame> = periods(history)
        .into_iter()
        .filter(|p| *p != except)
        .map(|p| read_partition(history, p))
        .collect::<PolarsResult<_>>()?;
    if frames.is_empty() {
        return Ok(None);
    }
    Ok(Some(concat(frames, UnionArgs::default())?))
}

/// One partition as a LazyFrame with its `period` column restored.
pub fn read_partition(history: &Path, period: Period) -> PolarsResult<LazyFrame> {
    let path = partition_dir(history, period).join(PART);
    let file = std::fs::File::open(&path)?;
    let mut df = ParquetReader::new(file).finish()?;
    let n = df.height();
    df.insert_column(0, Column::new("period".into(), vec![period.to_string(); n]))?;
    Ok(df.lazy())
}

/// The whole dataset through polars' Hive-partitioned scan (as any reader would see it).
pub fn scan_hive(history: &Path) -> PolarsResult<LazyFrame> {
    let glob = format!("{}/**/*.parquet", history.display());
    let args = ScanArgsParquet {
        hive_options: HiveOptions {
            enabled: Some(true),
            hive_start_idx: 0,
            schema: Some(Arc::new(Schema::from_iter([Field::new(
                "period".into(),
                DataType::String,
            )]))),
            try_parse_dates: false,
        },
        ..ScanArgsParquet::default()
    };
    LazyFrame::scan_parquet(PlRefPath::new(glob.as_str()), args)
}
