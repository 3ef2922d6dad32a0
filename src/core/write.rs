//! Atomic output: every file is written to a temporary name beside its target and renamed,
//! so a reader never sees half a file and an interrupted run leaves the old one whole.

use std::io::Write;
use std::path::Path;

/// How the temporary file of a write begins: a run killed before its rename leaves one, which
/// the archive clears the next time it is opened (`archive::swap::clear_leftovers`).
pub const TMP_PREFIX: &str = ".liaison-tmp-";

/// Whether a file name is a temporary file of an interrupted write (this version's, or the
/// `.tmpXXXXXX` of earlier versions).
pub fn is_leftover_tmp(name: &str) -> bool {
    name.starts_with(TMP_PREFIX) || (name.starts_with(".tmp") && name.len() == ".tmp".len() + 6)
}

/// Writes `bytes` to `path` atomically, creating parent folders.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a/b.txt");
/// liaison::core::write::atomic(&p, b"hello").unwrap();
/// assert_eq!(std::fs::read(&p).unwrap(), b"hello");
/// ```
pub fn atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
