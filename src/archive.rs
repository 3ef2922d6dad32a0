//! The archive: publishing a month — history partition, then `<output>/<period>/` (returns copied, reports,
//! manifest), each built under a temporary name and swapped in, so a kill leaves the old whole.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::aggregate::{self, Figures};
use crate::check::{CheckReport, Status};
use crate::config::Config;
use crate::findings::Finding;
use crate::ingest::hex;
use crate::{history, write};

/// How to publish.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publish despite errors, marked 初步 (preliminary).
    pub allow_partial: bool,
    /// Replace an existing publication (the earlier one is kept, renamed aside).
    pub force: bool,
    /// Test hook: fail on purpose at this step ("history", "outputs", "swap").
    pub fail_at: Option<String>,
}

/// What a publish did.
#[derive(Debug)]
pub enum Outcome {
    /// Published into `dir`.
    Published {
        /// The publication folder.
        dir: PathBuf,
        /// Marked 初步.
        preliminary: bool,
        /// Where the earlier publication was kept, when replaced.
        replaced: Option<PathBuf>,
    },
    /// Errors among the findings and no `--allow-partial`.
    RefusedErrors,
    /// Already published and no `--force`.
    AlreadyPublished(PathBuf),
}

/// Errors while publishing (the previous publication is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// A file could not be written or renamed.
    #[error("写入 {path} 失败:{source}")]
    Io {
        /// What.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// polars failed.
    #[error("汇总计算失败:{0}")]
    Polars(#[from] PolarsError),
    /// The report workbook or charts failed.
    #[error("生成报表失败:{0}")]
    Report(String),
    /// A fault injected by a test.
    #[error("测试注入的故障:{0}")]
    Injected(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// One file in the manifest.
#[derive(Debug, Serialize)]
pub struct FileEntry {
    /// Path (inputs: as given; outputs: relative to the publication folder).
    pub path: String,
    /// sha256 of the bytes.
    pub sha256: String,
}

/// The manifest of a publication.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// `liaison`.
    pub tool: &'static str,
    /// Crate version.
    pub version: &'static str,
    /// YYYY-MM.
    pub period: String,
    /// 初步 (published with errors left out).
    pub preliminary: bool,
    /// Where the config came from and its sha256.
    pub config: String,
    /// sha256 of the config text.
    pub config_sha256: String,
    /// Every input file: path, sha256, unit, status.
    pub inputs: Vec<serde_json::Value>,
    /// Files left out of the figures and why.
    pub excluded: Vec<serde_json::Value>,
    /// Units with no return.
    pub missing_units: Vec<String>,
    /// Every output file of the publication (the manifest itself excepted).
    pub outputs: Vec<FileEntry>,
    /// The history partition written.
    pub history: FileEntry,
    /// The earlier publication this one replaced, kept under this name.
    pub replaces: Option<String>,
}

/// Writes one report file into the publication being built.
pub type Writer<'a> = dyn Fn(&Figures, &CheckReport, &Path) -> Result<(), String> + 'a;

/// Publishes a checked period. `input_dir` is the folder checked; `config_origin` names the
/// config; `writers` add the workbook, charts and briefing into the folder being built.
pub fn publish(
    report: &CheckReport,
    input_dir: &Path,
    config: &Config,
    config_origin: (&str, &str),
    output: &Path,
    opts: &Options,
    writers: &[&Writer],
) -> Result<Outcome, PublishError> {
    let preliminary = report.has_errors();
    if preliminary && !opts.allow_partial {
        return Ok(Outcome::RefusedErrors);
    }
    let target = output.join(report.period.to_string());
    if target.exists() && !opts.force {
        return Ok(Outcome::AlreadyPublished(target));
    }
    let fault = |step: &str| match &opts.fail_at {
        Some(s) if s == step => Err(PublishError::Injected(step.to_string())),
        _ => Ok(()),
    };
    let history_dir = output.join("history");
    let figures = aggregate::figures(report, config, &history_dir)?;

    // 1. History partition (one file, replaced atomically).
    let parquet = history::parquet_bytes(&figures.stations)?;
    let part = history::partition_dir(&history_dir, report.period).join(history::PART);
    fault("history")?;
    write::atomic(&part, &parquet).map_err(io(&part))?;

    // 2. The publication, built in a temporary folder beside the target.
    std::fs::create_dir_all(output).map_err(io(output))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.building-", report.period))
        .tempdir_in(output)
        .map_err(io(output))?;
    let returns = tmp.path().join("returns");
    std::fs::create_dir_all(&returns).map_err(io(&returns))?;
    for f in report.files.iter().filter(|f| f.sha256.is_some()) {
        let src = f.source.as_path();
        let name = src.file_name().unwrap_or_default();
        std::fs::copy(src, returns.join(name)).map_err(io(src))?;
    }
    for w in writers {
        w(&figures, report, tmp.path()).map_err(PublishError::Report)?;
    }
    fault("outputs")?;
    let replaced = target
        .exists()
        .then(|| free_name(output, report.period.to_string()));
    let manifest = manifest(
        report,
        config_origin,
        preliminary,
        tmp.path(),
        &part,
        &parquet,
        input_dir,
        replaced.as_deref(),
    )?;
    let mpath = tmp.path().join("manifest.json");
    std::fs::write(&mpath, manifest).map_err(io(&mpath))?;
    fault("swap")?;

    // 3. Swap in: the old publication stays whole until the new one is in place.
    let built = tmp.keep();
    match &replaced {
        Some(aside) => {
            swap(&built, &target)?;
            std::fs::rename(&built, aside).map_err(io(aside))?;
        }
        None => std::fs::rename(&built, &target).map_err(io(&target))?,
    }
    Ok(Outcome::Published {
        dir: target,
        preliminary,
        replaced,
    })
}

/// `<period>.replaced-N`, the first N free.
fn free_name(output: &Path, period: String) -> PathBuf {
    (1..)
        .map(|n| output.join(format!("{period}.replaced-{n}")))
        .find(|p| !p.exists())
        .unwrap_or_default()
}

/// Atomically exchanges two folders (Linux `renameat2(RENAME_EXCHANGE)`).
fn swap(a: &Path, b: &Path) -> Result<(), PublishError> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).unwrap_or_default();
    let cb = CString::new(b.as_os_str().as_bytes()).unwrap_or_default();
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io(b)(std::io::Error::last_os_error()))
    }
}

fn sha(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[allow(clippy::too_many_arguments)]
fn manifest(
    report: &CheckReport,
    (origin, config_text): (&str, &str),
    preliminary: bool,
    built: &Path,
    part: &Path,
    parquet: &[u8],
    input_dir: &Path,
    replaced: Option<&Path>,
) -> Result<String, PublishError> {
    let inputs = report
        .files
        .iter()
        .map(|f| serde_json::json!({"path": f.path, "sha256": f.sha256, "unit": f.unit, "status": f.status}))
        .collect();
    let excluded = report
        .files
        .iter()
        .filter(|f| f.status == Status::Error)
        .map(|f| {
            let why: Vec<&str> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error() && d.file.as_deref() == Some(f.path.as_str()))
                .map(|d: &Finding| d.message.as_str())
                .collect();
            serde_json::json!({"path": f.path, "unit": f.unit, "reasons": why})
        })
        .collect();
    let mut outputs = Vec::new();
    let mut stack = vec![built.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(io(&d))? {
            let p = e.map_err(io(&d))?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).map_err(io(&p))?;
                let rel = p.strip_prefix(built).unwrap_or(&p).display().to_string();
                outputs.push(FileEntry {
                    path: rel,
                    sha256: sha(&bytes),
                });
            }
        }
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    let _ = input_dir;
    let m = Manifest {
        tool: "liaison",
        version: env!("CARGO_PKG_VERSION"),
        period: report.period.to_string(),
        preliminary,
        config: origin.to_string(),
        config_sha256: sha(config_text.as_bytes()),
        inputs,
        excluded,
        missing_units: report.missing_units.clone(),
        outputs,
        history: FileEntry {
            path: part.display().to_string(),
            sha256: sha(parquet),
        },
        replaces: replaced.map(|p| p.display().to_string()),
    };
    Ok(serde_json::to_string_pretty(&m).unwrap_or_default() + "\n")
}
