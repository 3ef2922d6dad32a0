//! The archive's history: a Hive-partitioned Parquet dataset, one row per station and month,
//! `<output>/history/period=YYYY-MM/part-0.parquet`, readable by polars, DuckDB and Spark.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::config::Config;
pub use crate::core::hive::{Entry, PART, encode, entries, partition_dir, partition_file, periods};
use crate::core::text::Period;

/// Folder of the dataset under the output folder.
pub const DIR: &str = "history";

/// The unit columns a roll-up adds above a bundle's rows, by the depth of the bundle's own
/// history (0: a county's month; 1: a city's roll-up of counties; 2: a province's of cities).
pub const LEVEL_KEYS: [&str; 3] = ["county", "city", "province"];

/// A partition that cannot be read as history (named, with the reason).
#[derive(Debug, thiserror::Error)]
#[error("历史数据文件 {path} 无法使用（{why}）")]
pub struct HistoryError {
    /// The file or folder.
    pub path: PathBuf,
    /// Why, in Chinese.
    pub why: String,
}

/// Parquet bytes of one period's station rows. The `period` column is left out of the file:
/// the partition folder carries it (Spark refuses a column both in files and in the path).
pub fn parquet_bytes(stations: &DataFrame) -> PolarsResult<Vec<u8>> {
    encode(&mut stations.drop("period")?)
}

/// One partition with its own columns and its `period` column restored.
pub fn read_partition(history: &Path, period: Period) -> Result<LazyFrame, HistoryError> {
    let path = partition_file(history, period);
    let bad = |why: String| HistoryError {
        path: path.clone(),
        why,
    };
    let file = std::fs::File::open(&path).map_err(|e| bad(format!("打不开：{e}")))?;
    let mut df = ParquetReader::new(file)
        .finish()
        .map_err(|e| bad(format!("不是完整的 Parquet 文件：{e}")))?;
    let n = df.height();
    df.insert_column(0, Column::new("period".into(), vec![period.to_string(); n]))
        .map_err(|e| bad(e.to_string()))?;
    Ok(df.lazy())
}

/// What the totals need of one partition, and no more: `period`, `unit_id`, `unit`, then every
/// metric of `config` and `deputies_total` as Int64 (null where the month did not have it).
/// Only these columns are decoded (not the station names nor the checksums), so aggregating
/// partition by partition holds one small partition at a time.
pub fn read_for_totals(
    history: &Path,
    period: Period,
    config: &Config,
) -> Result<DataFrame, HistoryError> {
    let path = partition_file(history, period);
    let bad = |why: String| HistoryError {
        path: path.clone(),
        why,
    };
    let file = std::fs::File::open(&path).map_err(|e| bad(format!("打不开：{e}")))?;
    let mut reader = ParquetReader::new(file);
    let schema = reader
        .schema()
        .map_err(|e| bad(format!("不是完整的 Parquet 文件：{e}")))?;
    for key in ["unit_id", "unit", "station"] {
        if !schema.contains(key) {
            return Err(bad(format!("缺少列 {key}，不是本工具写的历史数据")));
        }
    }
    // A roll-up's units are its outermost key (county_id, or city_id for a province of cities).
    let (id, name) = unit_keys(config, |c| schema.contains(c));
    if !schema.contains(&id) {
        return Err(bad(format!("缺少列 {id}，不是汇总的历史数据")));
    }
    let metrics = config.figure_ids();
    let present: Vec<String> = [id.clone(), name.clone()]
        .into_iter()
        .chain(
            metrics
                .iter()
                .filter(|m| schema.contains(m.as_str()))
                .cloned(),
        )
        .collect();
    let df = reader
        .with_columns(Some(present))
        .finish()
        .map_err(|e| bad(format!("不是完整的 Parquet 文件：{e}")))?;
    let schema = df.schema();
    let mut cols = vec![
        lit(period.to_string()).alias("period"),
        col(id.as_str()).cast(DataType::String).alias("unit_id"),
        col(name.as_str()).cast(DataType::String).alias("unit"),
    ];
    for m in metrics.iter() {
        cols.push(match schema.get(m.as_str()) {
            Some(_) => col(m.as_str()).strict_cast(DataType::Int64),
            None => lit(NULL).cast(DataType::Int64).alias(m.as_str()),
        });
    }
    df.lazy()
        .select(cols)
        .collect()
        .map_err(|e| bad(format!("列的类型不对：{e}")))
}

/// A station row of the archive: unit id, station name, each metric's figure (none where the
/// month did not have the metric).
pub type StationFigures = (String, String, Vec<Option<u64>>);

/// One partition's station rows: unit id, station name and each metric of `config` (none
/// where the month did not have the metric), for the year-to-date of `cumulative_mismatch`.
pub fn station_rows(
    history: &Path,
    period: Period,
    config: &Config,
) -> Result<Vec<StationFigures>, HistoryError> {
    let path = partition_file(history, period);
    let bad = |why: String| HistoryError {
        path: path.clone(),
        why,
    };
    let df = read_partition(history, period)?
        .collect()
        .map_err(|e| bad(format!("不是完整的 Parquet 文件：{e}")))?;
    let text = |name: &str| -> Result<Vec<String>, HistoryError> {
        let c = df
            .column(name)
            .and_then(|c| c.cast(&DataType::String))
            .map_err(|e| bad(format!("缺少列 {name}：{e}")))?;
        let s = c.str().map_err(|e| bad(e.to_string()))?;
        Ok((0..s.len())
            .map(|i| s.get(i).unwrap_or_default().to_string())
            .collect())
    };
    let (units, stations) = (text("unit_id")?, text("station")?);
    let mut metrics = Vec::with_capacity(config.metrics.len());
    for m in &config.metrics {
        metrics.push(match df.column(m.id.as_str()) {
            Ok(c) => {
                let c = c
                    .cast(&DataType::Int64)
                    .map_err(|e| bad(format!("列 {} 的类型不对：{e}", m.id)))?;
                let v = c.i64().map_err(|e| bad(e.to_string()))?;
                (0..v.len())
                    .map(|i| v.get(i).and_then(|x| u64::try_from(x).ok()))
                    .collect()
            }
            Err(_) => vec![None; df.height()],
        });
    }
    Ok((0..df.height())
        .map(|i| {
            let values = metrics.iter().map(|m: &Vec<Option<u64>>| m[i]).collect();
            (units[i].clone(), stations[i].clone(), values)
        })
        .collect())
}

/// The columns naming a history's units for `config`: `unit_id`/`unit`, or in a roll-up the
/// outermost roll-up key the partition has (`province`, `city`, then `county`; `has` says
/// which columns it has): `county_id`/`county` when it has none (an empty month).
pub fn unit_keys(config: &Config, has: impl Fn(&str) -> bool) -> (String, String) {
    if !config.is_rollup() {
        return ("unit_id".into(), "unit".into());
    }
    let keys = LEVEL_KEYS;
    let key = keys
        .iter()
        .rev()
        .find(|k| has(&format!("{k}_id")))
        .unwrap_or(&keys[0]);
    (format!("{key}_id"), key.to_string())
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
