//! Writing a summary: built whole in `<output>/.building-summary-<pid>/` (workbook, charts,
//! briefing, manifest, every file flushed), then renamed to `summaries/<label>/`; an earlier
//! one is first renamed to `<label>.replaced-N`. A failed build leaves nothing behind.

use std::path::{Path, PathBuf};

use super::{Summary, SummaryError, briefing, charts, manifest, workbook};
use crate::archive::manifest::hash_outputs;
use crate::archive::swap::{sync_dir, sync_tree};
use crate::archive::{ArchiveError, io};
use crate::config::Config;
use crate::report::ReportError;

const BUILDING: &str = ".building-summary-";

/// Removes what a killed summary run left (only its own build folders; the caller holds the lock).
pub(super) fn clear_own_leftovers(output: &Path) {
    for e in std::fs::read_dir(output).into_iter().flatten().flatten() {
        if e.file_name().to_string_lossy().starts_with(BUILDING) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Removes the build folder unless disarmed.
struct Leftover(Option<PathBuf>);

impl Drop for Leftover {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), SummaryError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| {
        SummaryError::Report(ReportError::Io {
            path: path.display().to_string(),
            source,
        })
    })
}

/// `<label>.replaced-N` for the first N free.
fn free_name(summaries: &Path, label: &str) -> PathBuf {
    (1..)
        .map(|n| summaries.join(format!("{label}.replaced-{n}")))
        .find(|p| !p.exists())
        .expect("a free name")
}

/// Writes `summary` to `target`; the earlier summary's new name when it replaced one.
pub(super) fn write(
    output: &Path,
    summary: &Summary,
    config: &Config,
    origin: (&str, &str),
    target: &Path,
) -> Result<Option<PathBuf>, SummaryError> {
    let building = output.join(format!("{BUILDING}{}", std::process::id()));
    std::fs::create_dir(&building).map_err(io(&building))?;
    let mut guard = Leftover(Some(building.clone()));
    let (book, drawn) = rayon::join(
        || workbook::build(summary, config).map_err(ReportError::from),
        || charts::write_all(summary, config, &building).map_err(ReportError::from),
    );
    file(
        &building,
        &workbook::file_name(config, &summary.span),
        &book?,
    )?;
    drawn?;
    let md = briefing::markdown(summary, config);
    file(&building, "简报.md", md.as_bytes())?;
    file(
        &building,
        "简报.docx",
        &crate::report::briefing::docx(&md, summary.span.last)?,
    )?;
    sync_tree(&building)?;
    let summaries = target.parent().unwrap_or(output).to_path_buf();
    let label = summary.label();
    let aside = target.exists().then(|| free_name(&summaries, &label));
    let rel = |p: &PathBuf| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    let m = manifest::build(
        summary,
        origin,
        hash_outputs(&building)?,
        aside.as_ref().map(rel),
    );
    let text = serde_json::to_string_pretty(&m).unwrap_or_default() + "\n";
    let mpath = building.join("manifest.json");
    crate::core::write::atomic(&mpath, text.as_bytes()).map_err(io(&mpath))?;
    sync_dir(&building);
    std::fs::create_dir_all(&summaries).map_err(io(&summaries))?;
    if let Some(aside) = &aside {
        std::fs::rename(target, aside).map_err(io(target))?;
    }
    std::fs::rename(&building, target).map_err(|e| ArchiveError::Io {
        path: target.display().to_string(),
        source: e,
    })?;
    guard.0 = None;
    sync_dir(&summaries);
    sync_dir(output);
    Ok(aside)
}
