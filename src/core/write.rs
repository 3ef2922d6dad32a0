//! Atomic output: every file is written to a temporary name beside its target and renamed,
//! so a reader never sees half a file and an interrupted run leaves the old one whole.
//! Every file gets the permissions the user's umask gives (0644 under 022), as `File::create`.

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

/// Writes `bytes` to `path` atomically, creating parent folders. The file is created with the
/// permissions the umask gives, as `File::create` would (a temporary file is private, 0600, by
/// default: the archive sits on a shared drive and colleagues must be able to open it).
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
    let mut builder = tempfile::Builder::new();
    builder.prefix(TMP_PREFIX);
    // The mode is given to open(2), which takes the umask off it.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Copies `from` to `to`, created as `File::create` creates a file (the umask's permissions,
/// not those of `from` as `std::fs::copy` would give them).
pub fn copy_new(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::File::create(to)?;
    std::io::copy(&mut src, &mut dst)?;
    Ok(())
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
