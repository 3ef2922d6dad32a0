//! `manifest.json` of a publication: tool, config, region, every input file with its sha256
//! (a symlink listed with its reason, not followed), every output file, and the history and ledger partitions.

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::swap::file_sha;
use super::{ArchiveError, io};
use crate::check::{CheckReport, Status};
use crate::config::Config;
use crate::findings::{Code, Finding};

/// One file and its sha256.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path (inputs: as given; outputs: relative to the publication; history: to the output).
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
    /// The history partition of this publication.
    pub history: FileEntry,
    /// The ledger partition of this publication (absent in manifests of earlier versions).
    #[serde(default)]
    pub ledger: Option<FileEntry>,
    /// The earlier months' partitions this publication was computed from (上月, 本年累计, the
    /// trend: every history partition before it; the ledger's state: the ledger partition before
    /// it), by sha256. Absent in manifests of earlier versions: not recorded, never judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<super::sources::Source>>,
    /// The earlier publication this one replaced, kept under this name.
    pub replaces: Option<String>,
    /// The receipt log's partition and the versions this publication counted (absent in
    /// manifests of earlier versions). The log keeps growing after the publication, so it is
    /// named by the versions it must hold, not by its hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipts: Option<ReceiptsEntry>,
}

/// The receipt log as a publication names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReceiptsEntry {
    /// `receipts/period=YYYY-MM`, relative to the output folder.
    pub path: String,
    /// sha256 of every version the publication counted (its `ok` inputs), sorted.
    pub counted: Vec<String>,
}

impl ReceiptsEntry {
    /// The entry of a check's counted versions.
    pub fn of(report: &CheckReport) -> ReceiptsEntry {
        let mut counted: Vec<String> = report
            .files
            .iter()
            .filter(|f| f.status == Status::Ok)
            .filter_map(|f| f.sha256.clone())
            .collect();
        counted.sort();
        counted.dedup();
        ReceiptsEntry {
            path: format!("{}/period={}", crate::receipts::DIR, report.period),
            counted,
        }
    }
}

impl Manifest {
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
fn hash_input(p: &Path) -> (Option<String>, Option<String>) {
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

/// The manifest of the publication built in `built`.
pub fn build(
    report: &CheckReport,
    (origin, config_text): (&str, &str),
    config: &Config,
    built: &Path,
    (history, ledger): (FileEntry, FileEntry),
    sources: Vec<super::sources::Source>,
    replaced: Option<String>,
) -> Result<Manifest, ArchiveError> {
    let ignored_why = |path: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.code == Code::IgnoredFile && d.file.as_deref() == Some(path))
            .map(|d| d.message.clone())
    };
    let inputs = report
        .files
        .iter()
        .map(|f| {
            let (sha256, why) = match &f.sha256 {
                Some(h) => (Some(h.clone()), None),
                None => hash_input(&f.source),
            };
            let reason = ignored_why(&f.path).or(why);
            InputEntry {
                path: f.path.clone(),
                sha256,
                unit: f.unit.clone(),
                status: serde_json::to_value(f.status)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                reason,
            }
        })
        .collect();
    let excluded = report
        .files
        .iter()
        .filter(|f| f.status == Status::Error)
        .map(|f| {
            let errors: Vec<&Finding> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error() && d.file.as_deref() == Some(f.path.as_str()))
                .collect();
            let why: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
            // Each reason's code beside it: a summary says it in words for the leadership.
            let codes: Vec<String> = errors.iter().map(|d| d.code.as_str()).collect();
            serde_json::json!({"path": f.path, "unit": f.unit, "reasons": why, "codes": codes})
        })
        .collect();
    Ok(Manifest {
        tool: "liaison".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        period: report.period.to_string(),
        preliminary: report.preliminary(),
        config: origin.to_string(),
        config_sha256: crate::ingest::hex(&<sha2::Sha256 as sha2::Digest>::digest(
            config_text.as_bytes(),
        )),
        region: Some(RegionStamp::of(config)),
        inputs,
        excluded,
        missing_units: report.missing_units.clone(),
        outputs: hash_outputs(built)?,
        history,
        ledger: Some(ledger),
        sources: Some(sources),
        replaces: replaced,
        receipts: Some(ReceiptsEntry::of(report)),
    })
}
