//! The journaled swap that changes a month's partition of every dataset and its publication
//! together, and the recovery rule every locked run applies first to an interrupted one.
//!
//! New partitions are staged in `<output>/.staging/` (same file system, outside every dataset:
//! a Hive reader of a dataset only ever sees finished `period=YYYY-MM` folders).
//! Rule: no intent file → whatever is half built (`.building-*`, `.staging/`, `.trash-*`, and the
//! `<dataset>/.staging-*` of earlier versions) is deleted. An intent file → the
//! swap it names is completed (every part of the new state was written before the intent), then
//! the intent and the leftovers are deleted.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::hive;
use super::{ArchiveError, io};
use crate::core::text::hex;

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

pub use super::intent::{Intent, Staged};

/// The boundaries of a publish, in order; a test may stop the process after any of them.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The `.building-*` folder exists (empty).
    BuildingCreated,
    /// Publication, manifest and staged partitions written; no intent yet.
    Built,
    /// The intent file is on disk.
    IntentWritten,
    /// The n-th dataset of the intent: its earlier partition moved out (or exchanged), then
    /// its new partition in.
    Dataset(usize, Half),
    /// The earlier publication moved aside (or exchanged).
    PublicationHalf,
    /// The new publication is `<output>/P`.
    PublicationIn,
    /// The intent file is gone.
    IntentRemoved,
    /// Leftovers deleted.
    Cleaned,
}

/// The two moments of a dataset's swap.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Half {
    /// The earlier partition moved out (or exchanged).
    Out,
    /// The new partition is `<dataset>/period=P`.
    In,
}

impl Step {
    /// Every step of a publish swapping `datasets` datasets, in order.
    pub fn all(datasets: usize) -> Vec<Step> {
        let mut v = vec![Step::BuildingCreated, Step::Built, Step::IntentWritten];
        for n in 0..datasets {
            v.extend([Step::Dataset(n, Half::Out), Step::Dataset(n, Half::In)]);
        }
        v.extend([
            Step::PublicationHalf,
            Step::PublicationIn,
            Step::IntentRemoved,
            Step::Cleaned,
        ]);
        v
    }
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

pub use crate::core::write::sync_dir;

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
    crate::core::write::atomic(&path, &text.map_err(io(&path))?).map_err(io(&path))?;
    sync_dir(output);
    hooks.reached(Step::IntentWritten);
    let period = super::parse_period(&intent.period)?;
    for (n, staged) in intent.datasets.iter().enumerate() {
        let dataset = hive::dataset_dir(output, &staged.name);
        replace(
            &intent.staged(output, &dataset, &staged.staging),
            &hive::partition_dir(&dataset, period),
            Some(&intent.trash_of(output, &staged.name)),
            hooks,
            Step::Dataset(n, Half::Out),
        )?;
        sync_dir(&dataset);
        hooks.reached(Step::Dataset(n, Half::In));
    }
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
    let trash = std::iter::once(output.join(&intent.trash)).chain(
        intent
            .datasets
            .iter()
            .map(|s| intent.trash_of(output, &s.name)),
    );
    for trash in trash {
        if trash.exists() {
            std::fs::remove_dir_all(&trash).map_err(io(&trash))?;
        }
    }
    remove_empty_staging(output);
    hooks.reached(Step::Cleaned);
    Ok(())
}

pub use super::recovery::{clear_leftovers, recover};
