//! The receipt log in the archive: `<output>/receipts/period=YYYY-MM/part-0.parquet`, read, and
//! between publications rewritten whole with the versions a check adds (under the archive's
//! lock; the file replaced in one rename, so a reader sees the old log or the new, never half).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Receipt, merge, parquet_bytes, read};
use crate::core::text::Period;
use crate::history::{HistoryError, PART};

/// `<output>/receipts`.
pub fn dir(output: &Path) -> PathBuf {
    output.join(super::DIR)
}

/// The folder of one period's partition.
pub fn partition_dir(output: &Path, period: Period) -> PathBuf {
    dir(output).join(format!("period={period}"))
}

/// The file of one period's partition.
pub fn partition_file(output: &Path, period: Period) -> PathBuf {
    partition_dir(output, period).join(PART)
}

/// The month's log as it is: empty when none was kept; an error when the file is there but
/// cannot be read (it is then never replaced: a version once logged is not lost).
pub fn load(output: &Path, period: Period) -> Result<Vec<Receipt>, HistoryError> {
    let path = partition_file(output, period);
    if !path.exists() && !partition_dir(output, period).exists() {
        return Ok(Vec::new());
    }
    read(&path)
}

/// Why versions could not be logged.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The month's log cannot be read: it is left as it is.
    #[error("{0}")]
    Damaged(#[from] HistoryError),
    /// The new log could not be encoded.
    #[error("收文登记无法写出：{0}")]
    Encode(#[from] polars::prelude::PolarsError),
    /// A file or folder could not be written or renamed.
    #[error("写入 {path} 失败：{source}")]
    Io {
        /// What.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RecordError + '_ {
    move |source| RecordError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Adds the versions of a check to the month's log, rewriting it whole (only when something
/// changed); returns how many versions were new. Only under the archive's lock. The new file
/// is written and flushed beside the output's other temporary files (the dataset holds
/// nothing but its partitions), then renamed over the partition's file (or its folder renamed
/// in, for a month's first log).
pub fn record(output: &Path, period: Period, new: Vec<Receipt>) -> Result<usize, RecordError> {
    let log = load(output, period)?;
    let before = log.clone();
    let (rows, added) = merge(log, new);
    if rows == before {
        return Ok(0);
    }
    let bytes = parquet_bytes(&rows)?;
    let tmp = output.join(format!(
        "{}receipts-{period}-{}",
        crate::core::write::TMP_PREFIX,
        std::process::id()
    ));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    }
    std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
    let file = tmp.join(PART);
    let mut f = std::fs::File::create(&file).map_err(io(&file))?;
    f.write_all(&bytes).map_err(io(&file))?;
    f.sync_all().map_err(io(&file))?;
    drop(f);
    crate::core::write::sync_dir(&tmp);
    let live = partition_dir(output, period);
    let data = dir(output);
    std::fs::create_dir_all(&data).map_err(io(&data))?;
    if live.exists() {
        let target = live.join(PART);
        std::fs::rename(&file, &target).map_err(io(&target))?;
        crate::core::write::sync_dir(&live);
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    } else {
        std::fs::rename(&tmp, &live).map_err(io(&live))?;
    }
    crate::core::write::sync_dir(&data);
    Ok(added)
}
