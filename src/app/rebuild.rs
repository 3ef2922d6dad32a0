//! `liaison archive rebuild`: a month's partitions computed again from the returns kept in its
//! publication (reading, checks, figures, each companion kind's month-end state), swapped in with the
//! journal only when each is exactly the one its manifest names.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::archive::swap::{self, Hooks, Intent, Staged, file_sha};
use crate::archive::verify::remove_orphans;
use crate::archive::{ArchiveError, Manifest, Rebuilt};
use crate::config::Config;
use crate::core::text::{Period, hex};
use crate::datasets::{CATALOG, HISTORY};
use crate::history::{self, PART};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Rebuilds the history and ledger partitions of `period` from `<output>/<period>/returns/` (and
/// the ledger partition of the month before), only if each is exactly the one its manifest names;
/// swapped in with the journal. Caller holds the lock.
pub fn rebuild(
    output: &Path,
    period: Period,
    config: &Config,
    config_text: &str,
    hooks: &Hooks,
) -> Result<Rebuilt, ArchiveError> {
    let dir = output.join(period.to_string());
    let tag = format!("{period}-{}", std::process::id());
    if !dir.join("manifest.json").exists() {
        return remove_orphans(output, &CATALOG, period, &tag);
    }
    let m = Manifest::read(&dir).map_err(|why| ArchiveError::Damaged {
        path: dir.join("manifest.json").display().to_string(),
        why: why.to_string(),
        repair: format!("运行 liaison report --period {period} --force 重新发布该月"),
    })?;
    let returns = dir.join("returns");
    let outcomes = crate::forms::monthly::ingest_dir(&returns, config)
        .map_err(|e| ArchiveError::Returns(Box::new(e)))?;
    let checked = crate::check::check(outcomes, period, config);
    let stations = crate::aggregate::stations_frame(period, &checked.counted, config)?;
    let bytes = history::parquet_bytes(&stations)?;
    let sha = hex(&Sha256::digest(&bytes));
    let mismatch = |what: &str| mismatch(what, &m, config_text, &returns, period);
    if Some(sha.as_str()) != m.pinned(HISTORY.name) {
        return Err(mismatch(HISTORY.label));
    }
    let staged = swap::staging_dir(output, HISTORY.name, &tag);
    let companions = super::companions::rebuild(output, &checked, config, (&m, &tag), &mismatch)?;
    let part = staged.join(PART);
    crate::core::write::atomic(&part, &bytes).map_err(io(&part))?;
    swap::sync_dir(&staged);
    swap::sync_dir(&output.join(swap::STAGING));
    let rel = |p: &Path| p.strip_prefix(output).unwrap_or(p).display().to_string();
    let history = Staged {
        name: HISTORY.name.into(),
        staging: rel(&staged),
        sha256: sha,
    };
    let intent = Intent {
        period: period.to_string(),
        building: None,
        aside: None,
        trash: format!(".trash-{tag}"),
        manifest_sha256: file_sha(&dir.join("manifest.json")).unwrap_or_default(),
        datasets: std::iter::once(history).chain(companions).collect(),
        staged_outside: true,
    };
    swap::commit(output, &intent, hooks)?;
    let hist: PathBuf = output.join(HISTORY.name);
    Ok(Rebuilt::Partition(history::partition_file(&hist, period)))
}

/// What a rebuild that does not give the manifest's partition says, and what to do.
fn mismatch(
    what: &str,
    m: &Manifest,
    config_text: &str,
    returns: &Path,
    period: Period,
) -> ArchiveError {
    let ours = hex(&Sha256::digest(config_text.as_bytes()));
    let hint = if ours != m.config_sha256 {
        format!(
            "发布时用的配置（{}）与现在的配置不同：请用 --config 指定发布时的配置再试，或",
            m.config
        )
    } else {
        "请".to_string()
    };
    ArchiveError::RebuildMismatch(format!(
        "用 {} 中的报表重建的{what}与该月发布清单记录的不一致，未作改动。{hint}运行 liaison report --period {period} --force 重新发布该月",
        returns.display()
    ))
}
