//! `manifest.json` of a publication: tool, config, region, every input file with its sha256
//! (a symlink listed with its reason, not followed), every output file, and each dataset's partition.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::datasets::DatasetEntry;
use super::swap::file_sha;
use super::{ArchiveError, io};
use crate::config::Config;
use crate::core::text::Period;

/// One file and its sha256.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path (relative to the publication).
    pub path: String,
    /// sha256 of the bytes.
    pub sha256: String,
}

/// The region and units a publication was made for (one output folder holds one region).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RegionStamp {
    /// 长沙县, 荷塘区 …
    pub name: String,
    /// Unit ids of the config.
    pub units: Vec<String>,
}

impl RegionStamp {
    /// The stamp of a config.
    pub fn of(config: &Config) -> RegionStamp {
        RegionStamp {
            name: config.region.name.clone(),
            units: config.units.iter().map(|u| u.id.clone()).collect(),
        }
    }
}

/// One input file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputEntry {
    /// As given on the command line.
    pub path: String,
    /// sha256 of the bytes; null only for what has no bytes to hash (folder, symlink).
    pub sha256: Option<String>,
    /// Unit attributed.
    pub unit: Option<String>,
    /// ok / error / ignored.
    pub status: String,
    /// Why it was ignored or not hashed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

/// The manifest of a publication.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Manifest {
    /// `liaison`.
    pub tool: String,
    /// Crate version.
    pub version: String,
    /// YYYY-MM.
    pub period: String,
    /// 初步 (published with errors left out).
    pub preliminary: bool,
    /// Where the config came from.
    pub config: String,
    /// sha256 of the config text.
    pub config_sha256: String,
    /// Region and units of the config (absent in manifests of earlier versions).
    #[serde(default)]
    pub region: Option<RegionStamp>,
    /// Every input file.
    pub inputs: Vec<InputEntry>,
    /// Files left out of the figures and why.
    pub excluded: Vec<serde_json::Value>,
    /// Units with no return.
    pub missing_units: Vec<String>,
    /// Every output file of the publication (the manifest itself excepted).
    pub outputs: Vec<FileEntry>,
    /// Every dataset's partition of this publication (in manifests of earlier versions, each
    /// dataset was a top-level field holding its entry: read as these).
    pub datasets: Vec<DatasetEntry>,
    /// The earlier months' partitions this publication was computed from (what each dataset's
    /// [`super::Used`] says), by sha256. Absent in manifests of earlier versions: not recorded,
    /// never judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<super::sources::Source>>,
    /// The earlier publication this one replaced, kept under this name.
    pub replaces: Option<String>,
}

/// A manifest as stored: this version's (`datasets`) or an earlier one's (each dataset a
/// top-level field holding an object with its `path`).
#[derive(Deserialize)]
struct Stored {
    tool: String,
    version: String,
    period: String,
    preliminary: bool,
    config: String,
    config_sha256: String,
    #[serde(default)]
    region: Option<RegionStamp>,
    inputs: Vec<InputEntry>,
    excluded: Vec<serde_json::Value>,
    missing_units: Vec<String>,
    outputs: Vec<FileEntry>,
    #[serde(default)]
    datasets: Option<Vec<DatasetEntry>>,
    #[serde(default)]
    sources: Option<Vec<super::sources::Source>>,
    #[serde(default)]
    replaces: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

/// An earlier version's top-level dataset fields as entries (a field that is `null` is none).
fn legacy_datasets(rest: serde_json::Map<String, serde_json::Value>) -> Vec<DatasetEntry> {
    rest.into_iter()
        .filter_map(|(name, v)| {
            let serde_json::Value::Object(mut fields) = v else {
                return None;
            };
            let path = fields.remove("path")?.as_str()?.to_string();
            let sha256 = match fields.remove("sha256") {
                Some(serde_json::Value::String(s)) => Some(s),
                _ => None,
            };
            Some(DatasetEntry {
                name,
                path,
                sha256,
                extra: fields,
            })
        })
        .collect()
}

impl From<Stored> for Manifest {
    fn from(s: Stored) -> Manifest {
        Manifest {
            tool: s.tool,
            version: s.version,
            period: s.period,
            preliminary: s.preliminary,
            config: s.config,
            config_sha256: s.config_sha256,
            region: s.region,
            inputs: s.inputs,
            excluded: s.excluded,
            missing_units: s.missing_units,
            outputs: s.outputs,
            datasets: s.datasets.unwrap_or_else(|| legacy_datasets(s.rest)),
            sources: s.sources,
            replaces: s.replaces,
        }
    }
}

impl Manifest {
    /// The entry of the dataset `name`, when this publication has one.
    pub fn dataset(&self, name: &str) -> Option<&DatasetEntry> {
        self.datasets.iter().find(|d| d.name == name)
    }

    /// The sha256 this publication pins the partition of the dataset `name` to.
    pub fn pinned(&self, name: &str) -> Option<&str> {
        self.dataset(name).and_then(|d| d.sha256.as_deref())
    }

    /// Reads `<publication>/manifest.json`.
    pub fn read(publication: &Path) -> Result<Manifest, ManifestError> {
        let path = publication.join("manifest.json");
        let bytes = std::fs::read(&path)?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// Why a publication's manifest could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file is missing or unreadable.
    #[error("无法读取 manifest.json：{0}")]
    Read(#[from] std::io::Error),
    /// The file is not a manifest.
    #[error("manifest.json 内容有误：{0}")]
    Parse(#[from] serde_json::Error),
}

/// The sha256 of an input file ingestion did not hash, or why there is none.
pub fn hash_input(p: &Path) -> (Option<String>, Option<String>) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => (None, Some("符号链接：未跟随，未读取".into())),
        Ok(m) if m.is_dir() => (None, Some("文件夹".into())),
        Ok(_) => match file_sha(p) {
            Some(h) => (Some(h), None),
            None => (None, Some("无法读取".into())),
        },
        Err(e) => (None, Some(format!("无法读取：{e}"))),
    }
}

/// Every file under `dir`, relative, with its sha256, sorted by path (hashed in parallel).
pub fn hash_outputs(dir: &Path) -> Result<Vec<FileEntry>, ArchiveError> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(io(&d))? {
            let p = e.map_err(io(&d))?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p != dir.join("manifest.json") {
                let rel = p.strip_prefix(dir).unwrap_or(&p);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((rel, p));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
        .into_par_iter()
        .map(|(path, p)| match file_sha(&p) {
            Some(sha256) => Ok(FileEntry { path, sha256 }),
            None => Err(io(&p)(std::io::Error::other("读取失败"))),
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// What the caller says of the publication it hands the store, recorded in its manifest: the
/// period, whether it is 初步, every input file with its status, the ones left out and why, the
/// units with no return, and the files read (copied into `returns/`).
#[derive(Debug, Clone)]
pub struct Record {
    /// The month published.
    pub period: Period,
    /// Published with errors left out.
    pub preliminary: bool,
    /// Every input file.
    pub inputs: Vec<InputEntry>,
    /// Files left out of the figures and why.
    pub excluded: Vec<serde_json::Value>,
    /// Units with no return.
    pub missing_units: Vec<String>,
    /// The files read, copied into the publication's `returns/`.
    pub returns: Vec<PathBuf>,
}

/// The manifest of the publication built in `built`.
pub fn build(
    record: &Record,
    (origin, config_text): (&str, &str),
    config: &Config,
    built: &Path,
    datasets: Vec<DatasetEntry>,
    sources: Vec<super::sources::Source>,
    replaced: Option<String>,
) -> Result<Manifest, ArchiveError> {
    Ok(Manifest {
        tool: "liaison".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        period: record.period.to_string(),
        preliminary: record.preliminary,
        config: origin.to_string(),
        config_sha256: crate::core::text::hex(&<sha2::Sha256 as sha2::Digest>::digest(
            config_text.as_bytes(),
        )),
        region: Some(RegionStamp::of(config)),
        inputs: record.inputs.clone(),
        excluded: record.excluded.clone(),
        missing_units: record.missing_units.clone(),
        outputs: hash_outputs(built)?,
        datasets,
        sources: Some(sources),
        replaces: replaced,
    })
}
