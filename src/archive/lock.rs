//! One writer at a time: an exclusive lock on `<output>/.lock`, held for a whole run
//! (std's `File::try_lock`: `flock` on Unix, `LockFileEx` on Windows; released when dropped).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::ArchiveError;

/// Name of the lock file in the output folder.
pub const LOCK: &str = ".lock";

/// The held lock; the archive is ours until it is dropped (or the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the lock without waiting: another run holding it is [`ArchiveError::Busy`], and
/// nothing of the output is touched (only the folder and the empty lock file are created
/// when missing).
pub fn acquire(output: &Path) -> Result<Lock, ArchiveError> {
    std::fs::create_dir_all(output).map_err(super::io(output))?;
    let path = output.join(LOCK);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(super::io(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(Lock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(ArchiveError::Busy {
            output: output.display().to_string(),
        }),
        Err(TryLockError::Error(e)) => Err(super::io(&path)(e)),
    }
}
