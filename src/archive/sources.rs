//! What a publication was computed from — the earlier months' partitions of the datasets later
//! months read (as each one's [`Used`] says), by sha256 — and the later publications that no
//! longer agree with the archive because one of those was replaced since (`stale`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::datasets::{Catalog, Used};
use super::hive;
use super::manifest::Manifest;
use super::swap::file_sha;
use crate::core::text::Period;

/// One partition a publication was computed from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// The dataset's name.
    pub dataset: String,
    /// YYYY-MM.
    pub period: String,
    /// sha256 of its `part-0.parquet` when it was used.
    pub sha256: String,
}

/// Every partition of the datasets later months read, by period, with its sha256 (hashed once).
pub struct Snapshot {
    datasets: Vec<(&'static str, Used, BTreeMap<Period, String>)>,
}

impl Snapshot {
    /// The partitions of `output` as they are now (those that cannot be read are left out:
    /// `archive verify` names them on their own).
    pub fn take(output: &Path, catalog: &Catalog) -> Snapshot {
        let hashed = |dir: &Path| {
            hive::periods(dir)
                .into_iter()
                .filter_map(|p| Some((p, file_sha(&hive::partition_file(dir, p))?)))
                .collect()
        };
        Snapshot {
            datasets: catalog
                .datasets
                .iter()
                .filter(|s| s.used != Used::Not)
                .map(|s| (s.name, s.used, hashed(&hive::dataset_dir(output, s.name))))
                .collect(),
        }
    }

    /// What a publication of `period` is computed from now: of each dataset, every partition
    /// before it or the latest one, as its [`Used`] says.
    pub fn used_by(&self, period: Period) -> Vec<Source> {
        let source = |dataset: &str, (p, sha): (&Period, &String)| Source {
            dataset: dataset.into(),
            period: p.to_string(),
            sha256: sha.clone(),
        };
        let mut v = Vec::new();
        for (name, used, parts) in &self.datasets {
            let mut before = parts.range(..period);
            match used {
                Used::Every => v.extend(before.map(|x| source(name, x))),
                Used::Latest => v.extend(before.next_back().map(|x| source(name, x))),
                Used::Not => {}
            }
        }
        v
    }
}

/// How one partition a publication used differs from the archive now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The partition was replaced (the month republished): another sha256.
    Replaced(Source),
    /// A partition it would use now was not there when it was computed (a month published later).
    Added(Source),
    /// A partition it used is no longer in the archive.
    Removed(Source),
}

impl Change {
    /// The partition concerned.
    pub fn source(&self) -> &Source {
        match self {
            Change::Replaced(s) | Change::Added(s) | Change::Removed(s) => s,
        }
    }

    /// `2022-07 的历史数据已重新发布` (the dataset named by its word in `catalog`).
    pub fn describe(&self, catalog: &Catalog) -> String {
        let s = self.source();
        let what = catalog.label(&s.dataset);
        match self {
            Change::Replaced(_) => format!("{} 的{what}已重新发布", s.period),
            Change::Added(_) => format!("{} 的{what}是之后才发布的", s.period),
            Change::Removed(_) => format!("{} 的{what}已不在档案中", s.period),
        }
    }
}

/// A publication computed from partitions that are no longer those of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The publication's month.
    pub period: Period,
    /// What changed since it was computed.
    pub changes: Vec<Change>,
    /// The archive's datasets (their words in the message).
    pub catalog: &'static Catalog,
}

impl Stale {
    /// Whether one of its changes concerns the month `p`.
    pub fn concerns(&self, p: Period) -> bool {
        let p = p.to_string();
        self.changes.iter().any(|c| c.source().period == p)
    }

    /// What is wrong and what to do, in Chinese.
    pub fn message(&self) -> String {
        let what: Vec<String> = self
            .changes
            .iter()
            .map(|c| c.describe(self.catalog))
            .collect();
        format!(
            "{p} 的发布是用当时的档案算出的，之后{}：它的上月、环比、本年累计、趋势和台账状态与档案不再一致。请运行 liaison report --period {p} --force 重新发布该月",
            what.join("、"),
            p = self.period
        )
    }
}

/// The differences between what a publication recorded and what it would use now.
pub fn changes(recorded: &[Source], now: &[Source]) -> Vec<Change> {
    let key = |s: &Source| (s.dataset.clone(), s.period.clone());
    let mut out = Vec::new();
    for r in recorded {
        match now.iter().find(|n| key(n) == key(r)) {
            Some(n) if n.sha256 != r.sha256 => out.push(Change::Replaced(n.clone())),
            Some(_) => {}
            None => out.push(Change::Removed(r.clone())),
        }
    }
    for n in now {
        if !recorded.iter().any(|r| key(r) == key(n)) {
            out.push(Change::Added(n.clone()));
        }
    }
    out.sort_by(|a, b| {
        (&a.source().period, &a.source().dataset).cmp(&(&b.source().period, &b.source().dataset))
    });
    out
}

/// Every current publication whose recorded sources are no longer the archive's, oldest first.
/// A manifest of an earlier version records none: it is not judged.
pub fn stale(output: &Path, catalog: &'static Catalog) -> Vec<Stale> {
    let snapshot = Snapshot::take(output, catalog);
    super::verify::publications(output)
        .into_iter()
        .filter_map(|(period, dir)| {
            let recorded = Manifest::read(&dir).ok()?.sources?;
            let changes = changes(&recorded, &snapshot.used_by(period));
            (!changes.is_empty()).then_some(Stale {
                period,
                changes,
                catalog,
            })
        })
        .collect()
}
