//! What a publication was computed from — the earlier months' history and ledger partitions
//! (上月, 本年累计, the trend, the ledger's state), by sha256 — and the later publications that
//! no longer agree with the archive because one of those was replaced since (`stale`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::manifest::Manifest;
use super::swap::file_sha;
use crate::core::text::Period;
use crate::forms::ledger::store;
use crate::history;

/// One partition a publication was computed from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// `history` or `ledger`.
    pub dataset: String,
    /// YYYY-MM.
    pub period: String,
    /// sha256 of its `part-0.parquet` when it was used.
    pub sha256: String,
}

/// Every partition of both datasets by period, with its sha256 (hashed once).
pub struct Snapshot {
    history: BTreeMap<Period, String>,
    ledger: BTreeMap<Period, String>,
}

impl Snapshot {
    /// The partitions of `output` as they are now (those that cannot be read are left out:
    /// `archive verify` names them on their own).
    pub fn take(output: &Path) -> Snapshot {
        let hashed = |dir: &Path| {
            history::periods(dir)
                .into_iter()
                .filter_map(|p| Some((p, file_sha(&history::partition_file(dir, p))?)))
                .collect()
        };
        Snapshot {
            history: hashed(&output.join("history")),
            ledger: hashed(&store::dir(output)),
        }
    }

    /// What a publication of `period` is computed from now: every history partition before it
    /// (the previous month, the year to date, the trend) and the latest ledger partition before
    /// it (the ledger's state last month), as `aggregate::figures` and `ledger::store` read them.
    pub fn used_by(&self, period: Period) -> Vec<Source> {
        let source = |dataset: &str, (p, sha): (&Period, &String)| Source {
            dataset: dataset.into(),
            period: p.to_string(),
            sha256: sha.clone(),
        };
        let mut v: Vec<Source> = self
            .history
            .range(..period)
            .map(|x| source("history", x))
            .collect();
        v.extend(
            self.ledger
                .range(..period)
                .next_back()
                .map(|x| source(store::DIR, x)),
        );
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

    /// `2022-07 的历史数据已重新发布`.
    pub fn describe(&self) -> String {
        let s = self.source();
        let what = if s.dataset == store::DIR {
            "台账"
        } else {
            "历史数据"
        };
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
}

impl Stale {
    /// Whether one of its changes concerns the month `p`.
    pub fn concerns(&self, p: Period) -> bool {
        let p = p.to_string();
        self.changes.iter().any(|c| c.source().period == p)
    }

    /// What is wrong and what to do, in Chinese.
    pub fn message(&self) -> String {
        let what: Vec<String> = self.changes.iter().map(Change::describe).collect();
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
pub fn stale(output: &Path) -> Vec<Stale> {
    let snapshot = Snapshot::take(output);
    super::verify::publications(output)
        .into_iter()
        .filter_map(|(period, dir)| {
            let recorded = Manifest::read(&dir).ok()?.sources?;
            let changes = changes(&recorded, &snapshot.used_by(period));
            (!changes.is_empty()).then_some(Stale { period, changes })
        })
        .collect()
}
