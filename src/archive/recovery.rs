//! The recovery rule every locked run applies first: an interrupted swap completed from its
//! intent (this version's, staged in `.staging/`, or an earlier one's, staged in the datasets), and
//! the leftovers of runs that died before their intent deleted.

use std::path::{Path, PathBuf};

use super::datasets::Catalog;
use super::hive::{self, PART};
use super::swap::{Hooks, INTENT, Intent, STAGING, file_sha, finish, rename, sync_dir};
use super::{ArchiveError, io};

/// Completes a swap whose intent file is on disk; `Ok(None)` when there is none.
pub fn recover(output: &Path, catalog: &Catalog) -> Result<Option<Intent>, ArchiveError> {
    let path = output.join(INTENT);
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let mut intent: Intent = serde_json::from_slice(&bytes)
        .map_err(|e| ArchiveError::Interrupted(format!("{} 无法读取：{e}", path.display())))?;
    intent.name_first(catalog);
    let stuck = |what: &str| {
        ArchiveError::Interrupted(format!(
            "{} 的发布被中断，{what}：请运行 liaison archive verify 查看，必要时用 liaison report --period {} --force 重新发布",
            intent.period, intent.period
        ))
    };
    let period = super::parse_period(&intent.period)?;
    for staged in &intent.datasets {
        let dataset = hive::dataset_dir(output, &staged.name);
        let trash = intent.trash_of(output, &staged.name);
        let from = intent.staged(output, &dataset, &staged.staging);
        if !recover_partition((&dataset, from, &staged.sha256, &trash), period)? {
            let label = catalog.label(&staged.name);
            return Err(stuck(&format!("新的{label}分区不完整")));
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
    period: crate::core::text::Period,
) -> Result<bool, ArchiveError> {
    let live = hive::partition_dir(dataset, period);
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
pub fn clear_leftovers(output: &Path, catalog: &Catalog) -> Result<Vec<PathBuf>, ArchiveError> {
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
    let tmp = crate::core::write::is_leftover_tmp;
    remove(output, &|n| {
        !(n.starts_with(".building-")
            || n.starts_with(".trash-")
            || n.contains(".building-")
            || n == STAGING
            || tmp(n))
    })?;
    for spec in catalog.datasets {
        let dataset = hive::dataset_dir(output, spec.name);
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
