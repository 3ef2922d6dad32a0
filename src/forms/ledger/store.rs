//! The ledger dataset of the archive: `<output>/ledger/period=YYYY-MM/part-0.parquet`, the state
//! of every known item at a month's end, one row per item; written and read back here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::rules::LedgerPrevious;
use super::state::ItemState;
use super::{NaiveDate, Status};
use crate::core::text::Period;
use crate::history::{HistoryError, PART};

/// Folder of the dataset under the output folder.
pub const DIR: &str = "ledger";

/// Separator of the names in the `deputies` column.
pub const DEPUTY_SEP: &str = "、";

/// `<output>/ledger`.
pub fn dir(output: &Path) -> PathBuf {
    output.join(DIR)
}

/// The folder of one period's partition.
pub fn partition_dir(ledger: &Path, period: Period) -> PathBuf {
    ledger.join(format!("period={period}"))
}

/// The file of one period's partition.
pub fn partition_file(ledger: &Path, period: Period) -> PathBuf {
    partition_dir(ledger, period).join(PART)
}

/// Periods present in the dataset, oldest first.
pub fn periods(ledger: &Path) -> Vec<Period> {
    crate::history::periods(ledger)
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

fn days(d: NaiveDate) -> i32 {
    (d - epoch()).num_days() as i32
}

/// Parquet bytes of a month's items (the `period` column is the partition folder's).
pub fn parquet_bytes(items: &[ItemState]) -> PolarsResult<Vec<u8>> {
    let n = items.len();
    let text = |f: &dyn Fn(&ItemState) -> String| items.iter().map(f).collect::<Vec<String>>();
    let date = |name: &str, v: Vec<Option<i32>>| Column::new(name.into(), v).cast(&DataType::Date);
    let cols = vec![
        Column::new("unit_id".into(), text(&|i| i.unit_id.clone())),
        Column::new("item_id".into(), text(&|i| i.item_id.clone())),
        Column::new("station".into(), text(&|i| i.station.clone())),
        Column::new("deputies".into(), text(&|i| i.deputies.join(DEPUTY_SEP))),
        Column::new("content".into(), text(&|i| i.content.clone())),
        Column::new("category".into(), text(&|i| i.category.clone())),
        Column::new("handler".into(), text(&|i| i.handler.clone())),
        date(
            "collected",
            items.iter().map(|i| Some(days(i.collected))).collect(),
        )?,
        Column::new("status".into(), text(&|i| i.status.label().to_string())),
        date(
            "settled",
            items.iter().map(|i| i.settled.map(days)).collect(),
        )?,
        Column::new("first_period".into(), text(&|i| i.first_period.to_string())),
        Column::new("source_sha256".into(), text(&|i| i.source_sha256.clone())),
    ];
    crate::history::encode(&mut DataFrame::new(n, cols)?)
}

/// Every item of one partition file.
pub fn read(path: &Path) -> Result<Vec<ItemState>, HistoryError> {
    let file = std::fs::File::open(path).map_err(|e| HistoryError {
        path: path.to_path_buf(),
        why: format!("打不开：{e}"),
    })?;
    parse(file, path)
}

/// Every item of a partition's bytes, already read from `path` (which the error names).
pub fn read_bytes(bytes: &[u8], path: &Path) -> Result<Vec<ItemState>, HistoryError> {
    parse(std::io::Cursor::new(bytes), path)
}

fn parse(
    source: impl polars::io::mmap::MmapBytesReader,
    path: &Path,
) -> Result<Vec<ItemState>, HistoryError> {
    let bad = |why: String| HistoryError {
        path: path.to_path_buf(),
        why,
    };
    let df = ParquetReader::new(source)
        .finish()
        .map_err(|e| bad(format!("不是完整的 Parquet 文件：{e}")))?;
    items_of(&df).map_err(|e| bad(format!("不是本工具写的台账数据：{e}")))
}

/// Every item of a ledger partition's frame (the columns `parquet_bytes` writes).
pub fn items_of(df: &DataFrame) -> PolarsResult<Vec<ItemState>> {
    let s = |name: &str| -> PolarsResult<StringChunked> {
        Ok(df.column(name)?.cast(&DataType::String)?.str()?.clone())
    };
    let d = |name: &str| -> PolarsResult<Int32Chunked> {
        Ok(df.column(name)?.cast(&DataType::Int32)?.i32()?.clone())
    };
    let (unit, id, station, deputies) =
        (s("unit_id")?, s("item_id")?, s("station")?, s("deputies")?);
    let (content, category, handler) = (s("content")?, s("category")?, s("handler")?);
    let (status, first, sha) = (s("status")?, s("first_period")?, s("source_sha256")?);
    let (collected, settled) = (d("collected")?, d("settled")?);
    let date = |v: Option<i32>| {
        v.and_then(|v| epoch().checked_add_signed(chrono::Duration::days(v.into())))
    };
    let text = |c: &StringChunked, i: usize| c.get(i).unwrap_or_default().to_string();
    let wrong =
        |what: &str, i: usize| polars_err!(ComputeError: "第 {} 行的 {what} 无法识别", i + 1);
    (0..df.height())
        .map(|i| {
            let label = status.get(i).unwrap_or_default();
            Ok(ItemState {
                unit_id: text(&unit, i),
                item_id: text(&id, i),
                station: text(&station, i),
                deputies: deputies
                    .get(i)
                    .unwrap_or_default()
                    .split(DEPUTY_SEP)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect(),
                content: text(&content, i),
                category: text(&category, i),
                handler: text(&handler, i),
                collected: date(collected.get(i)).ok_or_else(|| wrong("collected", i))?,
                status: Status::ALL
                    .into_iter()
                    .find(|s| s.label() == label)
                    .ok_or_else(|| wrong("status", i))?,
                settled: date(settled.get(i)),
                first_period: first
                    .get(i)
                    .and_then(Period::parse_canonical)
                    .ok_or_else(|| wrong("first_period", i))?,
                source_sha256: text(&sha, i),
            })
        })
        .collect()
}

/// A bundle's ledger rows as a roll-up counts them: each item under the roll-up `unit`, its
/// 编号 prefixed with its row's `places` (长沙县·星沙街道·XS-001 in a province's).
pub fn items_under(df: &DataFrame, places: &[String], unit: &str) -> PolarsResult<Vec<ItemState>> {
    let mut items = items_of(df)?;
    for (item, place) in items.iter_mut().zip(places) {
        item.item_id = format!("{place}·{}", item.item_id);
        item.unit_id = unit.to_string();
    }
    Ok(items)
}

/// The latest partition before `period`, if any.
pub fn previous_period(ledger: &Path, period: Period) -> Option<Period> {
    periods(ledger).into_iter().rev().find(|p| *p < period)
}

/// Last month's items: those of the latest partition before `period` (none when there is none).
pub fn previous_items(output: &Path, period: Period) -> Result<Vec<ItemState>, HistoryError> {
    let ledger = dir(output);
    match previous_period(&ledger, period) {
        Some(p) => read(&partition_file(&ledger, p)),
        None => Ok(Vec::new()),
    }
}

/// Each unit's items of last month, by 编号: status and identity.
pub fn statuses(items: &[ItemState]) -> LedgerPrevious {
    let mut out: LedgerPrevious = HashMap::new();
    for i in items {
        let prior = super::rules::Prior {
            status: i.status,
            identity: Some(super::rules::Identity {
                collected: i.collected,
                station: i.station.clone(),
                deputies: i.deputies.clone(),
                content: i.content.clone(),
            }),
        };
        out.entry(i.unit_id.clone())
            .or_default()
            .insert(i.item_id.clone(), prior);
    }
    out
}
