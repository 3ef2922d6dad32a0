//! A month's receipt log as Parquet: columns `unit_id`, `file`, `sha256`, `first_seen`,
//! `modified`, `status` (text) and `codes` (a list of text); the period is the folder's.

use std::path::Path;

use polars::prelude::*;

use super::Receipt;
use crate::history::HistoryError;

/// Parquet bytes of a month's log.
pub fn parquet_bytes(rows: &[Receipt]) -> PolarsResult<Vec<u8>> {
    let text = |f: &dyn Fn(&Receipt) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let maybe = |f: &dyn Fn(&Receipt) -> Option<String>| {
        rows.iter().map(f).collect::<Vec<Option<String>>>()
    };
    let codes: Vec<Series> = rows
        .iter()
        .map(|r| Series::new(PlSmallStr::EMPTY, r.codes.clone()))
        .collect();
    let mut codes = Series::new("codes".into(), codes);
    if rows.is_empty() {
        codes = codes.cast(&DataType::List(Box::new(DataType::String)))?;
    }
    let cols = vec![
        Column::new("unit_id".into(), maybe(&|r| r.unit_id.clone())),
        Column::new("file".into(), text(&|r| r.file.clone())),
        Column::new("sha256".into(), text(&|r| r.sha256.clone())),
        Column::new("first_seen".into(), text(&|r| r.first_seen.clone())),
        Column::new("modified".into(), maybe(&|r| r.modified.clone())),
        Column::new("status".into(), text(&|r| r.status.clone())),
        codes.into(),
    ];
    crate::history::encode(&mut DataFrame::new(rows.len(), cols)?)
}

/// Every row of one partition file.
pub fn read(path: &Path) -> Result<Vec<Receipt>, HistoryError> {
    let bad = |why: String| HistoryError {
        path: path.to_path_buf(),
        why,
    };
    let file = std::fs::File::open(path).map_err(|e| bad(format!("打不开：{e}")))?;
    let df = ParquetReader::new(file)
        .finish()
        .map_err(|e| bad(format!("不是完整的 Parquet 文件：{e}")))?;
    rows_of(&df).map_err(|e| bad(format!("不是本工具写的收文登记：{e}")))
}

fn rows_of(df: &DataFrame) -> PolarsResult<Vec<Receipt>> {
    let s = |name: &str| -> PolarsResult<StringChunked> {
        Ok(df.column(name)?.cast(&DataType::String)?.str()?.clone())
    };
    let (unit, file, sha) = (s("unit_id")?, s("file")?, s("sha256")?);
    let (seen, modified, status) = (s("first_seen")?, s("modified")?, s("status")?);
    let codes = df.column("codes")?.list()?.clone();
    let text = |c: &StringChunked, i: usize| c.get(i).unwrap_or_default().to_string();
    (0..df.height())
        .map(|i| {
            let codes = match codes.get_as_series(i) {
                Some(list) => {
                    let list = list.str()?.clone();
                    (0..list.len())
                        .filter_map(|j| list.get(j).map(str::to_string))
                        .collect()
                }
                None => Vec::new(),
            };
            Ok(Receipt {
                unit_id: unit.get(i).map(str::to_string),
                file: text(&file, i),
                sha256: text(&sha, i),
                first_seen: text(&seen, i),
                modified: modified.get(i).map(str::to_string),
                status: text(&status, i),
                codes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_reads_back_as_written() {
        let rows = vec![
            Receipt {
                unit_id: Some("beishan".into()),
                file: "北山镇5月.xlsx".into(),
                sha256: "ab".repeat(32),
                first_seen: "2022-06-01T09:00:00+08:00".into(),
                modified: Some("2022-05-31T18:00:00+08:00".into()),
                status: "error".into(),
                codes: vec!["invalid_value".into(), "total_mismatch".into()],
            },
            Receipt {
                unit_id: None,
                file: "说明.xlsx".into(),
                sha256: "cd".repeat(32),
                first_seen: "2022-06-01T09:00:00+08:00".into(),
                modified: None,
                status: "ok".into(),
                codes: Vec::new(),
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("part-0.parquet");
        std::fs::write(&p, parquet_bytes(&rows).unwrap()).unwrap();
        assert_eq!(read(&p).unwrap(), rows);
        std::fs::write(&p, parquet_bytes(&[]).unwrap()).unwrap();
        assert_eq!(read(&p).unwrap(), Vec::new());
    }
}
