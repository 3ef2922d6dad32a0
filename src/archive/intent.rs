//! The intent file of a swap (`.intent.json`): what it is to do, written before anything is
//! swapped; this version's list of staged partitions, or an earlier version's fields read as one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::datasets::Catalog;

/// One dataset's new partition in an intent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Staged {
    /// The dataset's name (empty in an intent of an earlier version: the catalog's first).
    pub name: String,
    /// The new partition's folder, complete.
    pub staging: String,
    /// sha256 of its `part-0.parquet`.
    pub sha256: String,
}

/// What a swap is to do: names are relative to the output folder (the staged partitions of an
/// earlier version's intent to their dataset: see `staged_outside`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "StoredIntent")]
pub struct Intent {
    /// YYYY-MM.
    pub period: String,
    /// The new publication, complete (none when only partitions are rebuilt).
    pub building: Option<String>,
    /// Where the earlier publication goes.
    pub aside: Option<String>,
    /// Where the earlier partitions go before they are deleted (`<trash>-<dataset>`).
    pub trash: String,
    /// sha256 of the new publication's `manifest.json`.
    pub manifest_sha256: String,
    /// The new partitions, swapped in this order.
    pub datasets: Vec<Staged>,
    /// The staged folders are relative to the output folder (`.staging/…`); false in intents
    /// of earlier versions, which staged inside the dataset (`<dataset>/.staging-…`).
    pub staged_outside: bool,
}

/// An intent as stored: this version's (`datasets`), or an earlier one's: the first dataset's
/// partition in `staging` and `partition_sha256`, each other's in `<name>_staging` and
/// `<name>_sha256`.
#[derive(Deserialize)]
struct StoredIntent {
    period: String,
    #[serde(default)]
    building: Option<String>,
    #[serde(default)]
    aside: Option<String>,
    trash: String,
    manifest_sha256: String,
    #[serde(default)]
    datasets: Option<Vec<Staged>>,
    #[serde(default)]
    staging: Option<String>,
    #[serde(default)]
    partition_sha256: Option<String>,
    #[serde(default)]
    staged_outside: bool,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

impl StoredIntent {
    /// The partitions of an earlier version's intent, the first one unnamed.
    fn legacy(&self) -> Vec<Staged> {
        let first = self.staging.clone().zip(self.partition_sha256.clone());
        let text = |k: &str| self.rest.get(k).and_then(|v| v.as_str()).map(String::from);
        let others = self.rest.keys().filter_map(|k| {
            let name = k.strip_suffix("_staging")?;
            Some(Staged {
                name: name.to_string(),
                staging: text(k)?,
                sha256: text(&format!("{name}_sha256"))?,
            })
        });
        first
            .map(|(staging, sha256)| Staged {
                name: String::new(),
                staging,
                sha256,
            })
            .into_iter()
            .chain(others)
            .collect()
    }
}

impl From<StoredIntent> for Intent {
    fn from(s: StoredIntent) -> Intent {
        let (datasets, staged_outside) = match s.datasets.clone() {
            Some(d) => (d, true),
            None => (s.legacy(), s.staged_outside),
        };
        Intent {
            period: s.period,
            building: s.building,
            aside: s.aside,
            trash: s.trash,
            manifest_sha256: s.manifest_sha256,
            datasets,
            staged_outside,
        }
    }
}

impl Intent {
    /// Where a staged folder named in this intent is.
    pub(super) fn staged(&self, output: &Path, dataset: &Path, name: &str) -> PathBuf {
        if self.staged_outside {
            output.join(name)
        } else {
            dataset.join(name)
        }
    }

    /// Where the earlier partition of a dataset goes before it is deleted (an earlier version
    /// put its first dataset's in the trash itself, which is deleted too).
    pub(super) fn trash_of(&self, output: &Path, name: &str) -> PathBuf {
        output.join(format!("{}-{name}", self.trash))
    }

    /// The unnamed first dataset of an earlier version's intent named as `catalog`'s first.
    pub(super) fn name_first(&mut self, catalog: &Catalog) {
        if let (Some(s), Some(first)) = (
            self.datasets.iter_mut().find(|s| s.name.is_empty()),
            catalog.datasets.first(),
        ) {
            s.name = first.name.to_string();
        }
    }
}
