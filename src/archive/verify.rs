//! The archive checked against its manifests (`liaison archive verify`, and before every
//! report), and a month's partition rebuilt from the returns kept in its publication.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::{Manifest, hash_outputs};
use super::swap::{self, Hooks, Intent, file_sha};
use super::{ArchiveError, io};
use crate::config::Config;
use crate::history::{self, PART};
use crate::ingest::hex;
use crate::ledger::store;
use crate::text::Period;

/// Something in the archive that does not agree with the manifests.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The file or folder.
    pub path: PathBuf,
    /// What is wrong.
    pub what: String,
    /// What to do.
    pub repair: String,
}

/// One line of `liaison archive verify`.
#[derive(Debug, Clone)]
pub struct Row {
    /// The publication or partition.
    pub item: String,
    /// Agrees with its manifest.
    pub ok: bool,
    /// Details.
    pub note: String,
}

/// The current publications (`<output>/YYYY-MM/`), oldest first.
pub fn publications(output: &Path) -> Vec<(Period, PathBuf)> {
    let mut v: Vec<(Period, PathBuf)> = std::fs::read_dir(output)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            Some((
                Period::parse_canonical(&e.file_name().to_string_lossy())?,
                e.path(),
            ))
        })
        .collect();
    v.sort();
    v
}

/// Earlier publications kept aside (`<output>/YYYY-MM.replaced-N/`).
fn replaced(output: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(output)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir() && e.file_name().to_string_lossy().contains(".replaced-"))
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn rebuild_hint(p: Period) -> String {
    format!("运行 liaison archive rebuild --period {p} 从该月发布中保存的报表重建")
}

/// Every partition against the manifest of its publication: a partition missing, damaged or
/// replaced, one without a publication, or a folder that is not a partition.
pub fn history_problems(output: &Path) -> Vec<Problem> {
    let hist = output.join("history");
    let pubs = publications(output);
    let mut out = Vec::new();
    for (p, dir) in &pubs {
        let m = match Manifest::read(dir) {
            Ok(m) => m,
            Err(what) => {
                out.push(Problem {
                    path: dir.join("manifest.json"),
                    what: what.to_string(),
                    repair: format!("运行 liaison report --period {p} --force 重新发布该月"),
                });
                continue;
            }
        };
        let part = history::partition_file(&hist, *p);
        let what = match file_sha(&part) {
            None => "缺失或无法读取",
            Some(h) if h != m.history.sha256 => {
                "与该月发布清单记录的 sha256 不符（已损坏或被改动）"
            }
            Some(_) => continue,
        };
        out.push(Problem {
            path: part,
            what: what.into(),
            repair: rebuild_hint(*p),
        });
    }
    for e in history::entries(&hist) {
        match e.period {
            None => out.push(Problem {
                path: e.path,
                what: "不是按月份命名的分区（应为 period=YYYY-MM）".into(),
                repair: "把它移出 history 文件夹".into(),
            }),
            Some(p) if !pubs.iter().any(|(q, _)| *q == p) => out.push(Problem {
                path: e.path,
                what: "该月没有发布，这份历史数据没有来历".into(),
                repair: format!("运行 liaison archive rebuild --period {p} 移除它，或重新发布该月"),
            }),
            Some(_) => {}
        }
    }
    out
}

/// Every ledger partition against the manifest of its publication: one the manifest names that
/// is missing or damaged, one it does not name, one without a publication, a stray folder.
pub fn ledger_problems(output: &Path) -> Vec<Problem> {
    let ledger = store::dir(output);
    let pubs = publications(output);
    let mut out = Vec::new();
    for (p, dir) in &pubs {
        // An unreadable manifest is one of history_problems.
        let Ok(m) = Manifest::read(dir) else { continue };
        let part = store::partition_file(&ledger, *p);
        let what = match (&m.ledger, file_sha(&part)) {
            (None, None) => continue,
            (None, Some(_)) => "该月发布清单没有记录台账分区（是以前版本发布的）",
            (Some(_), None) => "缺失或无法读取",
            (Some(e), Some(h)) if h != e.sha256 => {
                "与该月发布清单记录的 sha256 不符（已损坏或被改动）"
            }
            (Some(_), Some(_)) => continue,
        };
        out.push(Problem {
            path: part,
            what: what.into(),
            repair: rebuild_hint(*p),
        });
    }
    for e in history::entries(&ledger) {
        match e.period {
            None => out.push(Problem {
                path: e.path,
                what: "不是按月份命名的台账分区（应为 period=YYYY-MM）".into(),
                repair: "把它移出 ledger 文件夹".into(),
            }),
            Some(p) if !pubs.iter().any(|(q, _)| *q == p) => out.push(Problem {
                path: e.path,
                what: "该月没有发布，这份台账数据没有来历".into(),
                repair: format!("运行 liaison archive rebuild --period {p} 移除它，或重新发布该月"),
            }),
            Some(_) => {}
        }
    }
    out
}

/// Every publication (current and kept aside) and every partition against its manifest.
pub fn verify(output: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    let dirs = publications(output)
        .into_iter()
        .map(|(_, d)| d)
        .chain(replaced(output));
    for dir in dirs {
        let item = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let m = match Manifest::read(&dir) {
            Ok(m) => m,
            Err(note) => {
                rows.push(Row {
                    item,
                    ok: false,
                    note: note.to_string(),
                });
                continue;
            }
        };
        let actual = hash_outputs(&dir).unwrap_or_default();
        let bad: Vec<&str> = m
            .outputs
            .iter()
            .filter(|o| {
                !actual
                    .iter()
                    .any(|a| a.path == o.path && a.sha256 == o.sha256)
            })
            .map(|o| o.path.as_str())
            .collect();
        let extra = actual
            .iter()
            .filter(|a| !m.outputs.iter().any(|o| o.path == a.path))
            .count();
        rows.push(Row {
            item,
            ok: bad.is_empty() && extra == 0,
            note: if bad.is_empty() && extra == 0 {
                format!("{} 个文件与清单一致", m.outputs.len())
            } else {
                format!(
                    "与清单不符：{}{}",
                    bad.join("、"),
                    if extra > 0 {
                        format!("；多出 {extra} 个文件")
                    } else {
                        String::new()
                    }
                )
            },
        });
    }
    rows.extend(crate::receipts::verify::rows(output));
    let mut problems = history_problems(output);
    problems.extend(ledger_problems(output));
    for (p, _) in publications(output) {
        let parts = [
            (
                "history",
                history::partition_file(&output.join("history"), p),
            ),
            (store::DIR, store::partition_file(&store::dir(output), p)),
        ];
        for (what, part) in parts {
            if !problems.iter().any(|x| x.path == part) && part.exists() {
                rows.push(Row {
                    item: format!("{what}/period={p}"),
                    ok: true,
                    note: "与该月发布清单一致".into(),
                });
            }
        }
    }
    // Publications computed from partitions replaced since (or without a month published
    // since): their 上月, 本年累计, trend and ledger state no longer agree with the archive.
    for s in super::sources::stale(output) {
        rows.push(Row {
            item: format!("{}（计算依据）", s.period),
            ok: false,
            note: s.message(),
        });
    }
    for x in problems {
        let item = x
            .path
            .strip_prefix(output)
            .unwrap_or(&x.path)
            .display()
            .to_string();
        rows.push(Row {
            item,
            ok: false,
            note: format!("{}：请{}", x.what, x.repair),
        });
    }
    rows
}

/// What a rebuild did.
#[derive(Debug, PartialEq, Eq)]
pub enum Rebuilt {
    /// The partition was rebuilt and agrees with the manifest.
    Partition(PathBuf),
    /// The month has no publication: its partition was removed.
    RemovedOrphan(PathBuf),
}

/// Moves the partitions of a month with no publication out of the archive.
fn remove_orphans(output: &Path, period: Period, tag: &str) -> Result<Rebuilt, ArchiveError> {
    let mut removed = Vec::new();
    for (n, dataset) in [output.join("history"), store::dir(output)]
        .iter()
        .enumerate()
    {
        let live = history::partition_dir(dataset, period);
        if !live.exists() {
            continue;
        }
        let trash = output.join(format!(".trash-{tag}-{n}"));
        std::fs::rename(&live, &trash).map_err(io(&live))?;
        swap::sync_dir(dataset);
        std::fs::remove_dir_all(&trash).map_err(io(&trash))?;
        removed.push(live);
    }
    match removed.into_iter().next() {
        Some(first) => Ok(Rebuilt::RemovedOrphan(first)),
        None => Err(ArchiveError::NotPublished(period.to_string())),
    }
}

/// Rebuilds the history and ledger partitions of `period` from `<output>/<period>/returns/` (and
/// the ledger partition of the month before), only if each is exactly the one its manifest names;
/// swapped in with the journal. Caller holds the lock.
pub fn rebuild(
    output: &Path,
    period: Period,
    config: &Config,
    config_text: &str,
    hooks: &Hooks,
) -> Result<Rebuilt, ArchiveError> {
    let dir = output.join(period.to_string());
    let hist = output.join("history");
    let tag = format!("{period}-{}", std::process::id());
    if !dir.join("manifest.json").exists() {
        return remove_orphans(output, period, &tag);
    }
    let m = Manifest::read(&dir).map_err(|why| ArchiveError::Damaged {
        path: dir.join("manifest.json").display().to_string(),
        why: why.to_string(),
        repair: format!("运行 liaison report --period {period} --force 重新发布该月"),
    })?;
    let returns = dir.join("returns");
    let outcomes = crate::ingest::ingest_dir(&returns, config)?;
    let checked = crate::check::check(outcomes, period, config);
    let stations = crate::aggregate::stations_frame(period, &checked.counted, config)?;
    let bytes = history::parquet_bytes(&stations)?;
    let sha = hex(&Sha256::digest(&bytes));
    let mismatch = |what: &str| {
        let ours = hex(&Sha256::digest(config_text.as_bytes()));
        let hint = if ours != m.config_sha256 {
            format!(
                "发布时用的配置（{}）与现在的配置不同：请用 --config 指定发布时的配置再试，或",
                m.config
            )
        } else {
            "请".to_string()
        };
        ArchiveError::RebuildMismatch(format!(
            "用 {} 中的报表重建的{what}与该月发布清单记录的不一致，未作改动。{hint}运行 liaison report --period {period} --force 重新发布该月",
            returns.display()
        ))
    };
    if sha != m.history.sha256 {
        return Err(mismatch("历史数据"));
    }
    let staged = swap::staging_dir(output, "history", &tag);
    let ledger_staged = swap::staging_dir(output, store::DIR, &tag);
    let ledger = match &m.ledger {
        Some(entry) => Some(rebuild_ledger(
            output,
            &checked,
            config,
            entry,
            &ledger_staged,
        )?),
        None => {
            // Published before the ledger existed: a ledger partition of the month has no source.
            let live = store::partition_dir(&store::dir(output), period);
            if live.exists() {
                let trash = output.join(format!(".trash-{tag}-ledger"));
                std::fs::rename(&live, &trash).map_err(io(&live))?;
                std::fs::remove_dir_all(&trash).map_err(io(&trash))?;
            }
            None
        }
    };
    if let Some(None) = ledger {
        return Err(mismatch("台账数据"));
    }
    let part = staged.join(PART);
    crate::write::atomic(&part, &bytes).map_err(io(&part))?;
    swap::sync_dir(&staged);
    swap::sync_dir(&output.join(swap::STAGING));
    let ledger_sha = ledger.flatten();
    let rel = |p: &Path| p.strip_prefix(output).unwrap_or(p).display().to_string();
    let intent = Intent {
        period: period.to_string(),
        building: None,
        staging: rel(&staged),
        aside: None,
        trash: format!(".trash-{tag}"),
        manifest_sha256: file_sha(&dir.join("manifest.json")).unwrap_or_default(),
        partition_sha256: sha,
        ledger_staging: ledger_sha.as_ref().map(|_| rel(&ledger_staged)),
        ledger_sha256: ledger_sha,
        staged_outside: true,
        receipts_staging: None,
        receipts_sha256: None,
    };
    swap::commit(output, &intent, hooks)?;
    Ok(Rebuilt::Partition(history::partition_file(&hist, period)))
}

/// Stages the month's ledger partition rebuilt from last month's and the returns, giving its
/// sha256; `None` when it is not the one the manifest names (nothing staged then).
fn rebuild_ledger(
    output: &Path,
    checked: &crate::check::Checked,
    config: &Config,
    entry: &super::FileEntry,
    staging: &Path,
) -> Result<Option<String>, ArchiveError> {
    let previous = store::previous_items(output, checked.report.period).map_err(|e| {
        ArchiveError::Damaged {
            path: e.path.display().to_string(),
            why: e.why,
            repair: "先重建上一个月的台账分区（liaison archive rebuild --period <上一个月>）"
                .into(),
        }
    })?;
    let state = store::month_state(checked, config, &previous);
    let bytes = store::parquet_bytes(&state.items)?;
    let sha = hex(&Sha256::digest(&bytes));
    if sha != entry.sha256 {
        return Ok(None);
    }
    let part = staging.join(PART);
    crate::write::atomic(&part, &bytes).map_err(io(&part))?;
    swap::sync_dir(staging);
    Ok(Some(sha))
}
