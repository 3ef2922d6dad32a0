//! The receipt log (收文登记簿, `receipts/period=YYYY-MM/part-0.parquet`) read for 报送考核: per
//! unit the versions sent back, the months whose first version was accepted, the months on time.
//! A month without a log (months before the log was kept) is "未登记", never a guess.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use polars::prelude::*;
use sha2::{Digest, Sha256};

use super::read::Publication;
use crate::core::text::Period;
use crate::core::text::hex;

/// Folder of the dataset under the output folder.
pub const DIR: &str = "receipts";

/// One version of a return as the log records it.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    /// The unit it was attributed to (None: no unit could be named).
    pub unit_id: Option<String>,
    /// sha256 of the file's bytes.
    pub sha256: String,
    /// When liaison first read it.
    pub first_seen: DateTime<FixedOffset>,
    /// The file's modification time then.
    pub modified: DateTime<FixedOffset>,
    /// ok | error | ignored.
    pub status: String,
}

/// A month's log.
#[derive(Debug, Clone, PartialEq)]
pub enum Log {
    /// The month's partition: its versions and the sha256 of its bytes.
    Kept(Vec<Receipt>, String),
    /// No partition: the log was not kept that month (未登记).
    NotKept,
    /// A partition that cannot be read as the log, and why.
    Unreadable(String),
}

fn timestamp(s: Option<&str>) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s?.trim()).ok()
}

/// The log of `period`: its columns `unit_id`, `sha256`, `first_seen`, `modified` (ISO 8601
/// text with the UTC offset) and `status` are read; any other shape is [`Log::Unreadable`].
pub fn read_month(output: &Path, period: Period) -> Log {
    let part = crate::history::partition_file(&output.join(DIR), period);
    let Ok(bytes) = std::fs::read(&part) else {
        return Log::NotKept;
    };
    let sha = hex(&Sha256::digest(&bytes));
    let cols = ["unit_id", "sha256", "first_seen", "modified", "status"];
    let df = ParquetReader::new(std::io::Cursor::new(bytes))
        .with_columns(Some(cols.iter().map(|c| c.to_string()).collect()))
        .finish();
    let df = match df {
        Ok(df) => df,
        Err(e) => return Log::Unreadable(format!("{} 无法读取：{e}", part.display())),
    };
    let text = |c: &str| -> PolarsResult<StringChunked> {
        let col = df.column(c)?;
        polars_ensure!(col.dtype() == &DataType::String, SchemaMismatch: "列 {c} 不是文字");
        Ok(col.str()?.clone())
    };
    let read = || -> PolarsResult<Vec<Receipt>> {
        let (unit, sha, seen, modified, status) = (
            text("unit_id")?,
            text("sha256")?,
            text("first_seen")?,
            text("modified")?,
            text("status")?,
        );
        (0..df.height())
            .map(|r| {
                let when = |c: &StringChunked, name: &str| {
                    timestamp(c.get(r)).ok_or_else(|| {
                        polars_err!(ComputeError: "第 {} 行的 {name} 不是带时区的 ISO 8601 时间", r + 1)
                    })
                };
                Ok(Receipt {
                    unit_id: unit.get(r).filter(|u| !u.is_empty()).map(str::to_string),
                    sha256: sha.get(r).unwrap_or_default().to_string(),
                    first_seen: when(&seen, "first_seen")?,
                    modified: when(&modified, "modified")?,
                    status: status.get(r).unwrap_or_default().to_string(),
                })
            })
            .collect()
    };
    match read() {
        Ok(rows) => Log::Kept(rows, sha),
        Err(e) => Log::Unreadable(format!("{} 不是收文登记：{e}", part.display())),
    }
}

/// The day returns of `period` are due: `due_day` of the following month (its last day when
/// the month is shorter).
pub fn due_date(period: Period, due_day: u32) -> NaiveDate {
    let next = period.following();
    let last = next.last_day();
    NaiveDate::from_ymd_opt(next.year(), next.month(), due_day.max(1))
        .filter(|d| *d <= last)
        .unwrap_or(last)
}

/// One unit's record over the span's published months.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Versions sent back (refused), over the months with a log.
    pub sent_back: u64,
    /// Months whose first version received was the one counted.
    pub first_accepted: u64,
    /// Months whose counted version was modified by the due day's end.
    pub on_time: u64,
    /// Months counted whose version the log does not hold (on time cannot be said).
    pub unknown_on_time: u64,
}

/// Adds a month's log to each unit's record: `counted` gives each counted unit's version (the
/// manifest's input with status ok).
pub fn add_month(
    records: &mut HashMap<String, Record>,
    rows: &[Receipt],
    publication: &Publication,
    due_day: Option<u32>,
) {
    let counted: HashMap<&str, &str> = publication
        .manifest
        .inputs
        .iter()
        .filter(|i| i.status == "ok")
        .filter_map(|i| Some((i.unit.as_deref()?, i.sha256.as_deref()?)))
        .collect();
    let mut by_unit: HashMap<&str, Vec<&Receipt>> = HashMap::new();
    for r in rows {
        if let Some(u) = r.unit_id.as_deref() {
            by_unit.entry(u).or_default().push(r);
        }
    }
    let due = due_day.map(|d| due_date(publication.period, d));
    for (unit, mut versions) in by_unit {
        versions.sort_by(|a, b| (a.first_seen, &a.sha256).cmp(&(b.first_seen, &b.sha256)));
        let rec = records.entry(unit.to_string()).or_default();
        rec.sent_back += versions.iter().filter(|v| v.status == "error").count() as u64;
        let Some(&sha) = counted.get(unit) else {
            continue;
        };
        if versions
            .first()
            .is_some_and(|v| v.sha256 == sha && v.status == "ok")
        {
            rec.first_accepted += 1;
        }
        match (due, versions.iter().find(|v| v.sha256 == sha)) {
            (Some(d), Some(v)) if v.modified.date_naive() <= d => rec.on_time += 1,
            (Some(_), Some(_)) => {}
            (_, None) => rec.unknown_on_time += 1,
            (None, _) => {}
        }
    }
    for unit in counted.keys() {
        if !rows.iter().any(|r| r.unit_id.as_deref() == Some(unit)) {
            records.entry(unit.to_string()).or_default().unknown_on_time += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates() {
        let p = |s| Period::parse_canonical(s).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(due_date(p("2022-05"), 20), d(2022, 6, 20));
        assert_eq!(due_date(p("2022-12"), 5), d(2023, 1, 5));
        assert_eq!(due_date(p("2022-01"), 31), d(2022, 2, 28));
    }

    #[test]
    fn timestamps_keep_their_own_day() {
        let t = timestamp(Some("2022-06-20T23:30:00+08:00")).unwrap();
        assert_eq!(
            t.date_naive(),
            NaiveDate::from_ymd_opt(2022, 6, 20).unwrap()
        );
        assert!(timestamp(Some("2022-06-20 23:30")).is_none());
    }
}
