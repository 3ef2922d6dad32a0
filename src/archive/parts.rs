//! What a publication is built from: the caller's record, each dataset's partition and the
//! writer of its report files; the staged partitions, the copied returns, and the folders
//! removed again when a build fails.

use std::path::{Path, PathBuf};

use super::datasets::Dataset;
use super::hive;
use super::manifest::Record;
use super::{ArchiveError, io};

/// Writes a publication's report files into the folder being built.
pub type Write<'a> = dyn Fn(&Path) -> Result<(), ArchiveError> + Sync + 'a;

/// What a caller hands the store to publish: what its manifest records, each dataset's
/// partition of the month, the earlier partitions it was computed from, the warnings to pass
/// on, and the writer of its report files (run while the store copies and stages).
pub struct Publication<'a> {
    /// Recorded in the manifest; its `returns` are copied.
    pub record: Record,
    /// Each dataset's partition of the month, swapped in in this order.
    pub datasets: Vec<Dataset>,
    /// The earlier partitions the month was computed from.
    pub sources: Vec<super::Source>,
    /// Passed on in the outcome (text shortened in the workbook).
    pub warnings: Vec<String>,
    /// Writes the report files.
    pub write: &'a Write<'a>,
}

/// A partition's `part-0.parquet` written (synced) into its staging folder, and the folder's
/// entry made durable, so that an intent naming it finds it even after a power cut.
pub(super) fn stage(staging: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let part = staging.join(hive::PART);
    crate::core::write::atomic(&part, bytes).map_err(io(&part))?;
    super::swap::sync_dir(staging);
    if let Some(parent) = staging.parent() {
        super::swap::sync_dir(parent);
    }
    Ok(())
}

/// A copy of every return that was read into `returns`.
pub(super) fn copy_returns(files: &[PathBuf], returns: &Path) -> Result<(), ArchiveError> {
    std::fs::create_dir_all(returns).map_err(io(returns))?;
    for src in files {
        let name = src.file_name().unwrap_or_default();
        crate::core::write::copy_new(src, &returns.join(name)).map_err(io(src))?;
    }
    Ok(())
}

/// Folders of a publish that failed before its intent: deleted when dropped.
pub(super) struct Leftovers(pub(super) Vec<PathBuf>);

impl Drop for Leftovers {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_dir_all(p);
            // `<output>/.staging` itself, once empty.
            if let Some(parent) = p.parent().filter(|d| d.ends_with(super::swap::STAGING)) {
                let _ = std::fs::remove_dir(parent);
            }
        }
    }
}

/// `<period>.replaced-N`, the first N free.
pub(super) fn free_name(output: &Path, period: String) -> PathBuf {
    (1..)
        .map(|n| output.join(format!("{period}.replaced-{n}")))
        .find(|p| !p.exists())
        .unwrap_or_default()
}
