//! The archive checked against its manifests (`liaison archive verify`, and before every
//! report), and the partitions of a month without a publication removed.

use std::path::{Path, PathBuf};

use super::datasets::{Catalog, Spec};
use super::hive;
use super::manifest::{Manifest, hash_outputs};
use super::swap::{self, file_sha};
use super::{ArchiveError, io};
use crate::core::text::Period;

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

/// Every pinned dataset's partitions against the manifests of their publications (see
/// [`dataset_problems`]), an unreadable manifest once.
pub fn problems(output: &Path, catalog: &Catalog) -> Vec<Problem> {
    catalog
        .pinned()
        .enumerate()
        .flat_map(|(n, spec)| dataset_problems(output, spec, n == 0))
        .collect()
}

/// A pinned dataset's partitions against the manifests of their publications: one a manifest
/// names that is missing or damaged, one it does not name, one without a publication, a stray
/// folder; with `manifests`, a publication whose manifest cannot be read too.
pub fn dataset_problems(output: &Path, spec: &Spec, manifests: bool) -> Vec<Problem> {
    let dataset = hive::dataset_dir(output, spec.name);
    let label = spec.label;
    let pubs = publications(output);
    let mut out = Vec::new();
    for (p, dir) in &pubs {
        let m = match Manifest::read(dir) {
            Ok(m) => m,
            Err(what) => {
                if manifests {
                    out.push(Problem {
                        path: dir.join("manifest.json"),
                        what: what.to_string(),
                        repair: format!("运行 liaison report --period {p} --force 重新发布该月"),
                    });
                }
                continue;
            }
        };
        let part = hive::partition_file(&dataset, *p);
        let unnamed = format!("该月发布清单没有记录{label}分区（是以前版本发布的）");
        let what = match (m.pinned(spec.name), file_sha(&part)) {
            (None, None) => continue,
            (None, Some(_)) => unnamed.as_str(),
            (Some(_), None) => "缺失或无法读取",
            (Some(e), Some(h)) if h != e => "与该月发布清单记录的 sha256 不符（已损坏或被改动）",
            (Some(_), Some(_)) => continue,
        };
        out.push(Problem {
            path: part,
            what: what.into(),
            repair: rebuild_hint(*p),
        });
    }
    for e in hive::entries(&dataset) {
        match e.period {
            None => out.push(Problem {
                path: e.path,
                what: format!("不是按月份命名的{label}分区（应为 period=YYYY-MM）"),
                repair: format!("把它移出 {} 文件夹", spec.name),
            }),
            Some(p) if !pubs.iter().any(|(q, _)| *q == p) => out.push(Problem {
                path: e.path,
                what: format!("该月没有发布，这份{label}没有来历"),
                repair: format!("运行 liaison archive rebuild --period {p} 移除它，或重新发布该月"),
            }),
            Some(_) => {}
        }
    }
    out
}

/// Every publication (current and kept aside) and every partition against its manifest.
pub fn verify(output: &Path, catalog: &'static Catalog) -> Vec<Row> {
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
    rows.extend(logs(output, catalog));
    let problems = problems(output, catalog);
    for (p, _) in publications(output) {
        for spec in catalog.pinned() {
            let part = hive::partition_file(&hive::dataset_dir(output, spec.name), p);
            if !problems.iter().any(|x| x.path == part) && part.exists() {
                rows.push(Row {
                    item: format!("{}/period={p}", spec.name),
                    ok: true,
                    note: "与该月发布清单一致".into(),
                });
            }
        }
    }
    // Publications computed from partitions replaced since (or without a month published
    // since): what they computed from earlier months no longer agrees with the archive.
    for s in super::sources::stale(output, catalog) {
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

/// Whether each log holds what the publications' manifests name of it: one line per
/// publication and log it names.
fn logs(output: &Path, catalog: &Catalog) -> Vec<Row> {
    let pubs: Vec<(Period, Option<Manifest>)> = publications(output)
        .into_iter()
        .map(|(p, dir)| (p, Manifest::read(&dir).ok()))
        .collect();
    let mut out = Vec::new();
    for spec in catalog.datasets {
        let Some(holds) = spec.holds else { continue };
        for (p, m) in &pubs {
            if let Some(entry) = m.as_ref().and_then(|m| m.dataset(spec.name)) {
                out.push(holds(output, *p, entry));
            }
        }
    }
    out
}

/// Moves the pinned partitions of a month with no publication out of the archive.
pub fn remove_orphans(
    output: &Path,
    catalog: &Catalog,
    period: Period,
    tag: &str,
) -> Result<Rebuilt, ArchiveError> {
    let mut removed = Vec::new();
    for (n, spec) in catalog.pinned().enumerate() {
        let dataset = hive::dataset_dir(output, spec.name);
        let live = hive::partition_dir(&dataset, period);
        if !live.exists() {
            continue;
        }
        let trash = output.join(format!(".trash-{tag}-{n}"));
        std::fs::rename(&live, &trash).map_err(io(&live))?;
        swap::sync_dir(&dataset);
        std::fs::remove_dir_all(&trash).map_err(io(&trash))?;
        removed.push(live);
    }
    match removed.into_iter().next() {
        Some(first) => Ok(Rebuilt::RemovedOrphan(first)),
        None => Err(ArchiveError::NotPublished(period.to_string())),
    }
}
