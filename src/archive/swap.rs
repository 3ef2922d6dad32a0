//! The journaled swap that changes a month's history partition, its ledger partition and its
//! publication together, and the recovery rule every locked run applies first to an interrupted one.
//!
//! New partitions are staged in `<output>/.staging/` (same file system, outside every dataset:
//! a Hive reader of `history/` or `ledger/` only ever sees finished `period=YYYY-MM` folders).
//! Rule: no intent file → whatever is half built (`.building-*`, `.staging/`, `.trash-*`, and the
//! `history/.staging-*`, `ledger/.staging-*` of earlier versions) is deleted. An intent file → the
//! swap it names is completed (every part of the new state was written before the intent), then
//! the intent and the leftovers are deleted.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ArchiveError, io};
use crate::history;
use crate::ingest::hex;

/// Name of the intent file in the output folder.
pub const INTENT: &str = ".intent.json";

/// Folder of the output folder where new partitions are staged before they are swapped in.
pub const STAGING: &str = ".staging";

/// Where a dataset's partition of `tag` (`YYYY-MM-<pid>`) is staged: `<output>/.staging/<dataset>-<tag>`.
pub fn staging_dir(output: &Path, dataset: &str, tag: &str) -> PathBuf {
    output.join(STAGING).join(format!("{dataset}-{tag}"))
}

/// Removes `<output>/.staging` when nothing is staged in it any more.
pub fn remove_empty_staging(output: &Path) {
    let _ = std::fs::remove_dir(output.join(STAGING));
}

/// What a swap is to do: names are relative to the output folder (the staged partitions of an
/// earlier version's intent to their dataset: see `staged_outside`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Intent {
    /// YYYY-MM.
    pub period: String,
    /// The new publication, complete (none when only the partition is rebuilt).
    pub building: Option<String>,
    /// The new history partition folder, complete.
    pub staging: String,
    /// Where the earlier publication goes.
    pub aside: Option<String>,
    /// Where the earlier partition goes before it is deleted.
    pub trash: String,
    /// sha256 of the new publication's `manifest.json`.
    pub manifest_sha256: String,
    /// sha256 of the new `part-0.parquet`.
    pub partition_sha256: String,
    /// The new ledger partition folder, complete, under `ledger/` (none in intents of earlier
    /// versions, and in rebuilds of months published without one).
    #[serde(default)]
    pub ledger_staging: Option<String>,
    /// sha256 of the new ledger `part-0.parquet`.
    #[serde(default)]
    pub ledger_sha256: Option<String>,
    /// The staged folders are relative to the output folder (`.staging/…`, this version); false
    /// in intents of earlier versions, which staged inside the dataset (`history/.staging-…`).
    #[serde(default)]
    pub staged_outside: bool,
    /// The new receipt log partition folder, complete, under `receipts/` (none in intents of
    /// earlier versions and in rebuilds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipts_staging: Option<String>,
    /// sha256 of the new receipt log `part-0.parquet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipts_sha256: Option<String>,
}

impl Intent {
    /// Where a staged folder named in this intent is.
    pub(super) fn staged(&self, output: &Path, dataset: &Path, name: &str) -> PathBuf {
        if self.staged_outside {
            output.join(name)
        } else {
            dataset.join(name)
        }
    }

    /// Where the earlier ledger partition goes before it is deleted.
    pub(super) fn ledger_trash(&self, output: &Path) -> PathBuf {
        output.join(format!("{}-ledger", self.trash))
    }

    /// Where the earlier receipt log partition goes before it is deleted.
    pub(super) fn receipts_trash(&self, output: &Path) -> PathBuf {
        output.join(format!("{}-receipts", self.trash))
    }
}

/// The boundaries of a publish, in order; a test may stop the process after any of them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The `.building-*` folder exists (empty).
    BuildingCreated,
    /// Publication, manifest and staged partition written; no intent yet.
    Built,
    /// The intent file is on disk.
    IntentWritten,
    /// The earlier partition moved out (or exchanged).
    PartitionHalf,
    /// The new partition is `history/period=P`.
    PartitionIn,
    /// The earlier ledger partition moved out (or exchanged).
    LedgerHalf,
    /// The new ledger partition is `ledger/period=P`.
    LedgerIn,
    /// The earlier receipt log partition moved out (or exchanged).
    ReceiptsHalf,
    /// The new receipt log partition is `receipts/period=P`.
    ReceiptsIn,
    /// The earlier publication moved aside (or exchanged).
    PublicationHalf,
    /// The new publication is `<output>/P`.
    PublicationIn,
    /// The intent file is gone.
    IntentRemoved,
    /// Leftovers deleted.
    Cleaned,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 13] = [
        Step::BuildingCreated,
        Step::Built,
        Step::IntentWritten,
        Step::PartitionHalf,
        Step::PartitionIn,
        Step::LedgerHalf,
        Step::LedgerIn,
        Step::ReceiptsHalf,
        Step::ReceiptsIn,
        Step::PublicationHalf,
        Step::PublicationIn,
        Step::IntentRemoved,
        Step::Cleaned,
    ];
}

/// Test hooks of the publication step (never set by the shipped binary).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Hooks {
    /// Use plain renames even where an atomic exchange exists (the path other systems take).
    pub portable: bool,
    /// Abort the process (as kill -9 would) right after this step.
    pub stop_after: Option<Step>,
}

impl Hooks {
    pub(crate) fn reached(&self, step: Step) {
        if self.stop_after == Some(step) {
            std::process::abort();
        }
    }
}

/// sha256 of a file's bytes, `None` when it cannot be read.
pub fn file_sha(path: &Path) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(hex(&h.finalize()))
}

/// Makes a folder's renames durable (Unix; Windows has no handle on folders to flush).
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Flushes every file and folder under `dir` to the disk, so that what a manifest names is
/// there before an intent can swap it in, even across a power cut (the report writers write
/// their files without syncing them).
pub fn sync_tree(dir: &Path) -> Result<(), ArchiveError> {
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let e = e.map_err(io(dir))?;
        let p = e.path();
        if e.file_type().map_err(io(&p))?.is_dir() {
            sync_tree(&p)?;
        } else {
            sync_file(&p).map_err(io(&p))?;
        }
    }
    sync_dir(dir);
    Ok(())
}

/// Flushes one file to the disk.
fn sync_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    return std::fs::File::open(path)?.sync_all();
    // Elsewhere a file must be open for writing to be flushed; a read-only copy stays as it is.
    #[cfg(not(unix))]
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(f) => f.sync_all(),
        Err(_) => Ok(()),
    }
}

/// Atomically exchanges two folders: Linux `renameat2(RENAME_EXCHANGE)`.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere there is no exchange: the caller takes the portable path.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Tries the exchange; `Ok(false)` when this system or file system has none.
fn try_exchange(a: &Path, b: &Path, hooks: &Hooks) -> Result<bool, ArchiveError> {
    if hooks.portable {
        return Ok(false);
    }
    match exchange(a, b) {
        Ok(()) => Ok(true),
        Err(e)
            if e.kind() == std::io::ErrorKind::Unsupported
                || matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) =>
        {
            Ok(false)
        }
        Err(e) => Err(io(b)(e)),
    }
}

pub(super) fn rename(from: &Path, to: &Path) -> Result<(), ArchiveError> {
    std::fs::rename(from, to).map_err(io(from))
}

/// Puts `new` in the place of `live`; the earlier `live` goes to `old`. With an exchange,
/// `live` is never missing; without one, it is for the moment between two renames.
fn replace(
    new: &Path,
    live: &Path,
    old: Option<&Path>,
    hooks: &Hooks,
    half: Step,
) -> Result<(), ArchiveError> {
    // The dataset's folder, on a first publication (staging is outside it).
    if let Some(dataset) = live.parent() {
        std::fs::create_dir_all(dataset).map_err(io(dataset))?;
    }
    if !live.exists() {
        hooks.reached(half);
        return rename(new, live);
    }
    let Some(old) = old else {
        return Err(ArchiveError::Interrupted(format!(
            "{} 已存在，不知道把它移到哪里",
            live.display()
        )));
    };
    if try_exchange(new, live, hooks)? {
        hooks.reached(half);
        rename(new, old)
    } else {
        rename(live, old)?;
        hooks.reached(half);
        rename(new, live)
    }
}

/// Writes the intent, then swaps partition and publication in (see the module's rule).
pub fn commit(output: &Path, intent: &Intent, hooks: &Hooks) -> Result<(), ArchiveError> {
    let path = output.join(INTENT);
    let text = serde_json::to_vec_pretty(intent).map_err(std::io::Error::other);
    crate::write::atomic(&path, &text.map_err(io(&path))?).map_err(io(&path))?;
    sync_dir(output);
    hooks.reached(Step::IntentWritten);
    let hist = output.join("history");
    let period = super::parse_period(&intent.period)?;
    let live = history::partition_dir(&hist, period);
    let trash = output.join(&intent.trash);
    replace(
        &intent.staged(output, &hist, &intent.staging),
        &live,
        Some(&trash),
        hooks,
        Step::PartitionHalf,
    )?;
    sync_dir(&hist);
    hooks.reached(Step::PartitionIn);
    if let Some(staging) = &intent.ledger_staging {
        let ledger = crate::ledger::store::dir(output);
        replace(
            &intent.staged(output, &ledger, staging),
            &crate::ledger::store::partition_dir(&ledger, period),
            Some(&intent.ledger_trash(output)),
            hooks,
            Step::LedgerHalf,
        )?;
        sync_dir(&ledger);
    }
    hooks.reached(Step::LedgerIn);
    if let Some(staging) = &intent.receipts_staging {
        let receipts = crate::receipts::store::dir(output);
        replace(
            &intent.staged(output, &receipts, staging),
            &crate::receipts::store::partition_dir(output, period),
            Some(&intent.receipts_trash(output)),
            hooks,
            Step::ReceiptsHalf,
        )?;
        sync_dir(&receipts);
    }
    hooks.reached(Step::ReceiptsIn);
    if let Some(b) = &intent.building {
        let aside = intent.aside.as_ref().map(|a| output.join(a));
        replace(
            &output.join(b),
            &output.join(&intent.period),
            aside.as_deref(),
            hooks,
            Step::PublicationHalf,
        )?;
    }
    sync_dir(output);
    hooks.reached(Step::PublicationIn);
    finish(output, intent, hooks)
}

pub(super) fn finish(output: &Path, intent: &Intent, hooks: &Hooks) -> Result<(), ArchiveError> {
    let path = output.join(INTENT);
    std::fs::remove_file(&path).map_err(io(&path))?;
    sync_dir(output);
    hooks.reached(Step::IntentRemoved);
    for trash in [
        output.join(&intent.trash),
        intent.ledger_trash(output),
        intent.receipts_trash(output),
    ] {
        if trash.exists() {
            std::fs::remove_dir_all(&trash).map_err(io(&trash))?;
        }
    }
    remove_empty_staging(output);
    hooks.reached(Step::Cleaned);
    Ok(())
}

pub use super::recovery::{clear_leftovers, recover};
