//! `liaison archive export --period P`: a published month, verified against its manifest, packed
//! with its partitions and config into one bundle, written atomically.

use std::path::{Path, PathBuf};

use super::{
    BundleError, BundleFile, BundleManifest, CONFIG, FORMAT, MANIFEST, OUTBOX, PUBLICATION,
    VERSION, io, pack, sha,
};
use crate::archive::{Archive, Manifest, manifest::hash_outputs};
use crate::config::Config;
use crate::core::text::Period;
use crate::datasets::{HISTORY, LEDGER};
use crate::history;

/// What `export` wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The bundle file.
    pub path: PathBuf,
    /// Its sha256 (the city's 报送情况 sheet shows it).
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The month was published 初步.
    pub preliminary: bool,
    /// The files packed (every one but bundle.json).
    pub files: Vec<BundleFile>,
}

/// Where `export` writes when not told: `<output>/上报/<region>-<period>.zip`.
pub fn default_path(output: &Path, config: &Config, period: Period) -> PathBuf {
    let region: String = config
        .region
        .name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    output.join(OUTBOX).join(format!("{region}-{period}.zip"))
}

/// Packs the published `period` of the locked `archive` into one bundle at `to` (default
/// [`default_path`]): only a month whose publication and partitions agree with its manifest,
/// and only with the config it was published with (`config_origin`: where from, its text).
/// The same month gives the same bytes.
pub fn export(
    archive: &Archive,
    period: Period,
    config: &Config,
    config_origin: (&str, &str),
    to: Option<&Path>,
) -> Result<Exported, BundleError> {
    let output = archive.output();
    let dir = output.join(period.to_string());
    let unverified = |what: String| BundleError::Unverified {
        period: period.to_string(),
        what,
    };
    if !dir.join("manifest.json").is_file() {
        return Err(BundleError::NotPublished {
            period: period.to_string(),
            output: output.display().to_string(),
        });
    }
    let manifest_bytes = std::fs::read(dir.join("manifest.json")).map_err(io(&dir))?;
    let m: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| unverified(format!("manifest.json 内容有误（{e}）")))?;
    if sha(config_origin.1.as_bytes()) != m.config_sha256 {
        return Err(BundleError::ConfigDiffers {
            period: period.to_string(),
            ours: config_origin.0.to_string(),
            theirs: m.config.clone(),
        });
    }
    check_outputs(&dir, &m).map_err(|e| unverified(e.to_string()))?;
    let mut entries = vec![
        (
            format!("{PUBLICATION}/manifest.json"),
            manifest_bytes.clone(),
        ),
        (CONFIG.to_string(), config_origin.1.as_bytes().to_vec()),
    ];
    entries.extend(publication_files(&dir, &m).map_err(|e| unverified(e.to_string()))?);
    entries.extend(partitions(output, &m, period).map_err(|e| unverified(e.to_string()))?);
    let mut files: Vec<BundleFile> = entries
        .iter()
        .map(|(path, bytes)| BundleFile {
            path: path.clone(),
            sha256: sha(bytes),
            bytes: bytes.len() as u64,
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let bm = BundleManifest {
        format: FORMAT.into(),
        version: VERSION,
        tool_version: env!("CARGO_PKG_VERSION").into(),
        region: config.region.name.clone(),
        scope: config.region.scope.clone(),
        kind: config.region.kind,
        period: period.to_string(),
        preliminary: m.preliminary,
        manifest_sha256: sha(&manifest_bytes),
        files: files.clone(),
    };
    let json = serde_json::to_string_pretty(&bm).unwrap_or_default() + "\n";
    entries.push((MANIFEST.to_string(), json.into_bytes()));
    let zip = pack::write(&mut entries)?;
    let path = to.map_or_else(|| default_path(output, config, period), Path::to_path_buf);
    crate::core::write::atomic(&path, &zip).map_err(io(&path))?;
    Ok(Exported {
        path,
        sha256: sha(&zip),
        bytes: zip.len() as u64,
        preliminary: m.preliminary,
        files,
    })
}

/// The publication's top-level files (workbook, briefing), each the one its manifest names.
fn publication_files(dir: &Path, m: &Manifest) -> Result<Vec<(String, Vec<u8>)>, OutputsError> {
    let mut out = Vec::new();
    for o in m.outputs.iter().filter(|o| !o.path.contains('/')) {
        let p = dir.join(&o.path);
        let bytes = std::fs::read(&p)
            .map_err(|e| OutputsError::Unreadable(format!("{} 无法读取（{e}）", o.path)))?;
        if sha(&bytes) != o.sha256 {
            return Err(OutputsError::Altered(o.path.clone()));
        }
        out.push((format!("{PUBLICATION}/{}", o.path), bytes));
    }
    Ok(out)
}

/// The month's history and ledger partitions, each the one the manifest names.
fn partitions(
    output: &Path,
    m: &Manifest,
    period: Period,
) -> Result<Vec<(String, Vec<u8>)>, OutputsError> {
    let mut out = Vec::new();
    for spec in [HISTORY, LEDGER] {
        let dataset = spec.name;
        let want = m
            .pinned(dataset)
            .ok_or(OutputsError::NotPinned(spec.label))?;
        let p = history::partition_file(&output.join(dataset), period);
        let bytes = std::fs::read(&p)
            .map_err(|e| OutputsError::Unreadable(format!("{} 无法读取（{e}）", p.display())))?;
        if sha(&bytes) != want {
            return Err(OutputsError::Altered(p.display().to_string()));
        }
        out.push((
            format!("{dataset}/period={period}/{}", history::PART),
            bytes,
        ));
    }
    Ok(out)
}

/// Every file of the publication folder is the one its manifest names, and no other.
fn check_outputs(dir: &Path, m: &Manifest) -> Result<(), OutputsError> {
    let actual = hash_outputs(dir).map_err(|e| OutputsError::Unreadable(e.to_string()))?;
    for o in &m.outputs {
        match actual.iter().find(|a| a.path == o.path) {
            None => return Err(OutputsError::Missing(o.path.clone())),
            Some(a) if a.sha256 != o.sha256 => return Err(OutputsError::Altered(o.path.clone())),
            Some(_) => {}
        }
    }
    match actual
        .iter()
        .find(|a| !m.outputs.iter().any(|o| o.path == a.path))
    {
        Some(extra) => Err(OutputsError::Extra(extra.path.clone())),
        None => Ok(()),
    }
}

/// How a publication's files differ from its manifest.
#[derive(Debug, thiserror::Error)]
enum OutputsError {
    #[error("{0}")]
    Unreadable(String),
    #[error("{0} 缺失")]
    Missing(String),
    #[error("{0} 与清单记录的 sha256 不符（已损坏或被改动）")]
    Altered(String),
    #[error("{0} 不在清单中")]
    Extra(String),
    #[error("清单没有记录{0}分区（是以前版本发布的），请用 --force 重新发布该月")]
    NotPinned(&'static str),
}
