//! The datasets of an archive as their owners declare them (the store names none): each one's
//! folder, its word in messages, how a publication pins it and what later months read of it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::verify::Row;
use crate::core::text::Period;

/// What a later publication is computed from, of a dataset's earlier partitions (recorded by
/// sha256 in its manifest's `sources`, so that a republished month names the stale ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Used {
    /// Nothing: the dataset does not enter later publications.
    Not,
    /// Every partition before the month (the previous month, the year to date, the trend).
    Every,
    /// The latest partition before the month (a state carried forward).
    Latest,
}

/// Whether a log's partition holds what a publication's manifest names of it: one line of
/// `archive verify` (the period, the output folder, the manifest's entry).
pub type Holds = fn(output: &Path, period: Period, entry: &DatasetEntry) -> Row;

/// One dataset, as its owner declares it.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Its folder under the output folder, and its name in manifests and intents.
    pub name: &'static str,
    /// What it is, in Chinese messages (历史数据, 台账数据 …).
    pub label: &'static str,
    /// What later publications read of it.
    pub used: Used,
    /// `None`: each publication pins its partition by sha256, and a partition exists only with
    /// its publication. `Some`: a log that keeps growing after the publication (and between
    /// publications); the manifest names what it must hold, which this function checks.
    pub holds: Option<Holds>,
}

impl Spec {
    /// Whether each publication pins this dataset's partition by sha256.
    pub fn pinned(&self) -> bool {
        self.holds.is_none()
    }
}

/// Every dataset of an archive, in the order a publication swaps them in. The first is the one
/// every publication has: intents of earlier versions named its staging without a name.
#[derive(Debug)]
pub struct Catalog {
    /// The datasets.
    pub datasets: &'static [Spec],
}

/// Two catalogs are the same by their datasets' names.
impl PartialEq for Catalog {
    fn eq(&self, other: &Catalog) -> bool {
        let names = |c: &Catalog| c.datasets.iter().map(|s| s.name).collect::<Vec<_>>();
        names(self) == names(other)
    }
}

impl Eq for Catalog {}

impl Catalog {
    /// The dataset named `name`.
    pub fn get(&self, name: &str) -> Option<&'static Spec> {
        self.datasets.iter().find(|s| s.name == name)
    }

    /// The datasets pinned by each publication.
    pub fn pinned(&self) -> impl Iterator<Item = &'static Spec> {
        self.datasets.iter().filter(|s| s.pinned())
    }

    /// The word of a dataset in messages (its name when the catalog does not know it).
    pub fn label<'a>(&self, name: &'a str) -> &'a str {
        self.get(name).map_or(name, |s| s.label)
    }
}

/// One dataset of a publication: its partition's Parquet bytes, and what its owner adds to the
/// manifest's entry (a log's `counted` versions …).
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The dataset's name (a [`Spec::name`]).
    pub name: String,
    /// The month's partition.
    pub bytes: Vec<u8>,
    /// Fields added to its manifest entry.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Dataset {
    /// A dataset's partition with nothing added to its entry.
    pub fn new(name: &str, bytes: Vec<u8>) -> Dataset {
        Dataset {
            name: name.to_string(),
            bytes,
            extra: serde_json::Map::new(),
        }
    }
}

/// A dataset as a publication's manifest names it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DatasetEntry {
    /// The dataset's name.
    pub name: String,
    /// The partition's file (`<name>/period=YYYY-MM/part-0.parquet`) when pinned, its folder
    /// (`<name>/period=YYYY-MM`) when a log; relative to the output folder.
    pub path: String,
    /// sha256 of the pinned partition's file (none for a log).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// What the owner added (a log's `counted` versions …).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
