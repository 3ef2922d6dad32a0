//! `<output>/退回/<YYYY-MM>/` replaced as a whole: built beside it under a temporary name,
//! every file flushed, then swapped in (one atomic exchange on Linux, two renames elsewhere).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::MarkError;
use crate::core::text::Period;
use crate::core::write::TMP_PREFIX;

/// The folder under the output folder that holds each month's marked returns.
pub const FOLDER: &str = "退回";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MarkError + '_ {
    move |source| MarkError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `files` as the month's folder, replacing the earlier one whole. Only under the
/// archive's lock: what an interrupted run left (`.liaison-tmp-*`) is cleared first.
pub(super) fn replace(
    output: &Path,
    period: Period,
    files: &[(String, Vec<u8>)],
) -> Result<PathBuf, MarkError> {
    let base = output.join(FOLDER);
    std::fs::create_dir_all(&base).map_err(io(&base))?;
    clear_leftovers(&base)?;
    let tag = format!("{TMP_PREFIX}{period}-{}", std::process::id());
    let new = base.join(&tag);
    std::fs::create_dir(&new).map_err(io(&new))?;
    for (name, bytes) in files {
        let p = new.join(name);
        let mut f = std::fs::File::create(&p).map_err(io(&p))?;
        f.write_all(bytes).map_err(io(&p))?;
        f.sync_all().map_err(io(&p))?;
    }
    sync_dir(&new);
    let target = base.join(period.to_string());
    if target.exists() {
        let old = base.join(format!("{tag}-old"));
        if exchange(&new, &target).is_ok() {
            // The old folder now sits under the temporary name.
            std::fs::rename(&new, &old).map_err(io(&new))?;
        } else {
            std::fs::rename(&target, &old).map_err(io(&target))?;
            std::fs::rename(&new, &target).map_err(io(&new))?;
        }
        sync_dir(&base);
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&new, &target).map_err(io(&new))?;
    }
    sync_dir(&base);
    Ok(target)
}

/// Removes what an interrupted run left in `退回/`.
fn clear_leftovers(base: &Path) -> Result<(), MarkError> {
    for e in std::fs::read_dir(base).map_err(io(base))?.flatten() {
        if !e.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
            continue;
        }
        let p = e.path();
        if p.is_dir() {
            std::fs::remove_dir_all(&p).map_err(io(&p))?;
        } else {
            std::fs::remove_file(&p).map_err(io(&p))?;
        }
    }
    Ok(())
}

/// Makes a folder's entries durable (Unix).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Atomically exchanges two folders (Linux `renameat2(RENAME_EXCHANGE)`).
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

/// Elsewhere there is no exchange: two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}
