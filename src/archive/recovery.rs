//! The recovery rule every locked run applies first: an interrupted swap completed from its
//! intent (this version's, staged in `.staging/`, or an earlier one's, staged in the datasets), and
//! the leftovers of runs that died before their intent deleted.

use std::path::{Path, PathBuf};

use super::swap::{Hooks, INTENT, Intent, STAGING, file_sha, finish, rename, sync_dir};
use super::{ArchiveError, io};
use crate::history::{self, PART};

/// Completes a swap whose intent file is on disk; `Ok(None)` when there is none.
pub fn recover(output: &Path) -> Result<Option<Intent>, ArchiveError> {
    let path = output.join(INTENT);
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let intent: Intent = serde_json::from_slice(&bytes)
        .map_err(|e| ArchiveError::Interrupted(format!("{} 无法读取：{e}", path.display())))?;
    let stuck = |what: &str| {
        ArchiveError::Interrupted(format!(
            "{} 的发布被中断，{what}：请运行 liaison archive verify 查看，必要时用 liaison report --period {} --force 重新发布",
            intent.period, intent.period
        ))
    };
    let period = super::parse_period(&intent.period)?;
    let hist = output.join("history");
    let trash = output.join(&intent.trash);
    let history_part = (
        hist.as_path(),
        intent.staged(output, &hist, &intent.staging),
        &intent.partition_sha256,
        trash.as_path(),
    );
    if !recover_partition(history_part, period)? {
        return Err(stuck("新的历史分区不完整"));
    }
    if let (Some(staging), Some(sha)) = (&intent.ledger_staging, &intent.ledger_sha256) {
        let ledger = crate::ledger::store::dir(output);
        let trash = intent.ledger_trash(output);
        let staged = intent.staged(output, &ledger, staging);
        if !recover_partition((ledger.as_path(), staged, sha, trash.as_path()), period)? {
            return Err(stuck("新的台账分区不完整"));
        }
    }
    if let (Some(staging), Some(sha)) = (&intent.receipts_staging, &intent.receipts_sha256) {
        let receipts = crate::receipts::store::dir(output);
        let trash = intent.receipts_trash(output);
        let staged = intent.staged(output, &receipts, staging);
        if !recover_partition((receipts.as_path(), staged, sha, trash.as_path()), period)? {
            return Err(stuck("新的收文登记分区不完整"));
        }
    }
    if let Some(b) = &intent.building {
        let (building, target) = (output.join(b), output.join(&intent.period));
        let new_manifest = Some(intent.manifest_sha256.clone());
        if file_sha(&target.join("manifest.json")) == new_manifest {
            if building.exists() {
                match &intent.aside {
                    Some(a) => rename(&building, &output.join(a))?,
                    None => std::fs::remove_dir_all(&building).map_err(io(&building))?,
                }
            }
        } else {
            if file_sha(&building.join("manifest.json")) != new_manifest {
                return Err(stuck("新的发布不完整"));
            }
            if target.exists() {
                let Some(a) = &intent.aside else {
                    return Err(stuck("原发布不知移往何处"));
                };
                rename(&target, &output.join(a))?;
            }
            rename(&building, &target)?;
        }
    }
    sync_dir(output);
    finish(output, &intent, &Hooks::default())?;
    Ok(Some(intent))
}

/// Puts a dataset's staged partition in place unless the live one is already the new one;
/// `Ok(false)` when neither is complete.
fn recover_partition(
    (dataset, staged, sha, trash): (&Path, PathBuf, &String, &Path),
    period: crate::text::Period,
) -> Result<bool, ArchiveError> {
    let live = history::partition_dir(dataset, period);
    let new_part = Some(sha.clone());
    if file_sha(&live.join(PART)) != new_part {
        if file_sha(&staged.join(PART)) != new_part {
            return Ok(false);
        }
        std::fs::create_dir_all(dataset).map_err(io(dataset))?;
        if live.exists() {
            if trash.exists() {
                std::fs::remove_dir_all(trash).map_err(io(trash))?;
            }
            rename(&live, trash)?;
        }
        rename(&staged, &live)?;
    } else if staged.exists() {
        std::fs::remove_dir_all(&staged).map_err(io(&staged))?;
    }
    sync_dir(dataset);
    Ok(true)
}

/// Deletes what runs that died before writing their intent left behind. Only under the lock.
pub fn clear_leftovers(output: &Path) -> Result<Vec<PathBuf>, ArchiveError> {
    let mut gone = Vec::new();
    let mut remove = |dir: &Path, keep: &dyn Fn(&str) -> bool| -> Result<(), ArchiveError> {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if keep(&name) {
                continue;
            }
            let p = e.path();
            if p.is_dir() {
                std::fs::remove_dir_all(&p).map_err(io(&p))?;
            } else {
                std::fs::remove_file(&p).map_err(io(&p))?;
            }
            gone.push(p);
        }
        Ok(())
    };
    // `.building-*`, `.trash-*` and `.staging/` are ours; `.YYYY-MM.building-*` and the
    // datasets' `.staging-*` are an earlier version's; a temporary file is what a run killed
    // inside an atomic write leaves (the intent's).
    let tmp = crate::write::is_leftover_tmp;
    remove(output, &|n| {
        !(n.starts_with(".building-")
            || n.starts_with(".trash-")
            || n.contains(".building-")
            || n == STAGING
            || tmp(n))
    })?;
    for dataset in [
        output.join("history"),
        crate::ledger::store::dir(output),
        crate::receipts::store::dir(output),
    ] {
        remove(&dataset, &|n| !(n.starts_with(".staging-") || tmp(n)))?;
        // A partition repaired in place (`archive verify --repair`) is written beside itself.
        for e in std::fs::read_dir(&dataset).into_iter().flatten().flatten() {
            if e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('.') {
                remove(&e.path(), &|n| !tmp(n))?;
            }
        }
    }
    Ok(gone)
}
