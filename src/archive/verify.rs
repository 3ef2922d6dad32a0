//! The archive checked against its manifests (`liaison archive verify`, and before every
//! report), and a month's partition rebuilt from the returns kept in its publication.

use std::path::{Path, PathBuf};

use super::manifest::{Manifest, hash_outputs};
use super::swap::{self, file_sha};
use super::{ArchiveError, io};
use crate::core::text::Period;
use crate::forms::ledger::store;
use crate::history;

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
            Some(h) if h != m.history.sha256 => "与该月发布清单记录的 sha256 不符(已损坏或被改动)",
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
                what: "不是按月份命名的分区(应为 period=YYYY-MM)".into(),
                repair: "把它移出 history 文件夹".into(),
            }),
            Some(p) if !pubs.iter().any(|(q, _)| *q == p) => out.push(Problem {
                path: e.path,
                what: "该月没有发布,这份历史数据没有来历".into(),
                repair: format!("运行 liaison archive rebuild --period {p} 移除它,或重新发布该月"),
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
            (None, Some(_)) => "该月发布清单没有记录台账分区(是以前版本发布的)",
            (Some(_), None) => "缺失或无法读取",
            (Some(e), Some(h)) if h != e.sha256 => {
                "与该月发布清单记录的 sha256 不符(已损坏或被改动)"
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
                what: "不是按月份命名的台账分区(应为 period=YYYY-MM)".into(),
                repair: "把它移出 ledger 文件夹".into(),
            }),
            Some(p) if !pubs.iter().any(|(q, _)| *q == p) => out.push(Problem {
                path: e.path,
                what: "该月没有发布,这份台账数据没有来历".into(),
                repair: format!("运行 liaison archive rebuild --period {p} 移除它,或重新发布该月"),
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
                    "与清单不符:{}{}",
                    bad.join("、"),
                    if extra > 0 {
                        format!(";多出 {extra} 个文件")
                    } else {
                        String::new()
                    }
                )
            },
        });
    }
    rows.extend(super::receipts::rows(output));
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
            note: format!("{}:请{}", x.what, x.repair),
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
pub fn remove_orphans(output: &Path, period: Period, tag: &str) -> Result<Rebuilt, ArchiveError> {
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
