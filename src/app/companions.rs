//! Each companion sheet kind's part of a month's orchestration (today the ledger's): its last
//! month's state for the check, its month-end state and dataset partition for a publication, and
//! that partition rebuilt from a publication's returns. The pipeline, publish and rebuild call
//! these and name no kind.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::aggregate::FiguresError;
use crate::archive::swap::{self, Staged};
use crate::archive::verify::dataset_problems;
use crate::archive::{ArchiveError, Dataset, Manifest};
use crate::check::Checked;
use crate::config::Config;
use crate::core::text::{Period, hex};
use crate::datasets::LEDGER;
use crate::forms::ledger::state::{self, ItemState, MonthState};
use crate::forms::ledger::store;
use crate::forms::{Folded, Priors};
use crate::history::{self, PART};
use crate::rollup::rows::Rows;

/// Last month's state of each kind as this month's checks compare with it, with notes on what
/// could not be compared (an interrupted publish, a damaged partition).
pub fn priors(output: &Path, period: Period) -> (Priors, Vec<String>) {
    ledger_priors(output, period)
}

/// Last month's ledger statuses as `check` uses them (for `ledger_reopened` only): never an
/// error. A partition that is damaged, does not agree with its manifest or cannot be read is
/// left out, with a note saying so.
fn ledger_priors(output: &Path, period: Period) -> (Priors, Vec<String>) {
    let ledger = store::dir(output);
    let Some(p) = store::previous_period(&ledger, period) else {
        return (Priors::default(), Vec::new());
    };
    if output.join(swap::INTENT).exists() {
        let note = format!(
            "{} 中有一次未完成的发布，本次没有与上月台账比较（运行 liaison archive verify 可完成它）",
            output.display()
        );
        return (Priors::default(), vec![note]);
    }
    let part = store::partition_file(&ledger, p);
    let skipped = |why: &str| {
        format!(
            "台账数据 {} {why}，本次没有与上月台账比较（ledger_reopened）",
            part.display()
        )
    };
    let problems = dataset_problems(output, &LEDGER, false);
    if let Some(x) = problems.iter().find(|x| x.path == part) {
        let note = skipped(&format!("{}（请{}）", x.what, x.repair));
        return (Priors::default(), vec![note]);
    }
    match store::read(&part) {
        Ok(items) => (
            Priors {
                ledger: store::statuses(&items),
            },
            Vec::new(),
        ),
        Err(e) => (Priors::default(), vec![skipped(&e.why)]),
    }
}

/// The ledger's month-end state of a checked period: `previous` (last month's items) updated
/// by the ledgers of the returns that count, with figures for every unit of the config.
pub fn ledger_state(checked: &Checked, config: &Config, previous: &[ItemState]) -> MonthState {
    let sent = checked.counted.iter().filter_map(|r| {
        Some((
            r.unit_id()?,
            r.sha256.as_str(),
            r.companions.ledger.as_ref()?,
        ))
    });
    state::month_end(sent, checked.report.period, config, previous)
}

/// Each kind's month-end state (last month's updated by the returns that count) and its
/// dataset's partition of the month, in the catalog's order.
pub fn fold(
    output: &Path,
    checked: &Checked,
    config: &Config,
) -> Result<(Folded, Vec<Dataset>), ArchiveError> {
    let previous =
        store::previous_items(output, checked.report.period).map_err(FiguresError::History)?;
    let state = ledger_state(checked, config, &previous);
    let bytes = store::parquet_bytes(&state.items)?;
    let folded = Folded {
        ledger: Some(state),
    };
    Ok((folded, vec![Dataset::new(LEDGER.name, bytes)]))
}

/// Each kind's partition of `period` rebuilt from the publication's checked returns and staged
/// (as `tag`), only where it is exactly the one the manifest `m` names (else `mismatch` of its
/// label); a partition of a kind the manifest does not name (published before the kind
/// existed) has no source and is removed.
pub fn rebuild(
    output: &Path,
    checked: &Checked,
    config: &Config,
    (m, tag): (&Manifest, &str),
    mismatch: &dyn Fn(&str) -> ArchiveError,
) -> Result<Vec<Staged>, ArchiveError> {
    let period = checked.report.period;
    let staging = swap::staging_dir(output, LEDGER.name, tag);
    let Some(entry) = m.dataset(LEDGER.name) else {
        drop_unsourced_ledger(output, period, tag)?;
        return Ok(Vec::new());
    };
    let want = entry.sha256.as_deref().unwrap_or_default();
    let sha = rebuild_ledger(output, checked, config, want, &staging)?
        .ok_or_else(|| mismatch(LEDGER.label))?;
    let rel = |p: &Path| p.strip_prefix(output).unwrap_or(p).display().to_string();
    Ok(vec![Staged {
        name: LEDGER.name.into(),
        staging: rel(&staging),
        sha256: sha,
    }])
}

/// A roll-up's fold: each kind's month-end state by county (each county's items as its bundle
/// gives them) and its dataset's partition (the bundles' rows stacked; empty without any).
pub fn rollup_fold(
    parts: &[(String, Rows)],
    config: &Config,
    period: Period,
) -> Result<(Folded, Vec<Dataset>), ArchiveError> {
    let bytes = match super::rollup::stack(parts.iter().map(|(_, r)| &r.ledger))? {
        Some(mut df) => history::encode(&mut df)?,
        None => store::parquet_bytes(&[])?,
    };
    let carried: Vec<(&str, &[ItemState])> = parts
        .iter()
        .map(|(id, r)| (id.as_str(), &r.carried.ledger[..]))
        .collect();
    let folded = Folded {
        ledger: Some(state::by_unit(&carried, config, period)),
    };
    Ok((folded, vec![Dataset::new(LEDGER.name, bytes)]))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Published before the ledger existed: a ledger partition of the month has no source.
fn drop_unsourced_ledger(output: &Path, period: Period, tag: &str) -> Result<(), ArchiveError> {
    let live = store::partition_dir(&store::dir(output), period);
    if live.exists() {
        let trash = output.join(format!(".trash-{tag}-ledger"));
        std::fs::rename(&live, &trash).map_err(io(&live))?;
        std::fs::remove_dir_all(&trash).map_err(io(&trash))?;
    }
    Ok(())
}

/// Stages the month's ledger partition rebuilt from last month's and the returns, giving its
/// sha256; `None` when it is not the one the manifest names (nothing staged then).
fn rebuild_ledger(
    output: &Path,
    checked: &Checked,
    config: &Config,
    want: &str,
    staging: &Path,
) -> Result<Option<String>, ArchiveError> {
    let previous = store::previous_items(output, checked.report.period).map_err(|e| {
        ArchiveError::Damaged {
            path: e.path.display().to_string(),
            why: e.why,
            repair: "先重建上一个月的台账分区（liaison archive rebuild --period <上一个月>）"
                .into(),
        }
    })?;
    let state = ledger_state(checked, config, &previous);
    let bytes = store::parquet_bytes(&state.items)?;
    let sha = hex(&Sha256::digest(&bytes));
    if sha != want {
        return Ok(None);
    }
    let part = staging.join(PART);
    crate::core::write::atomic(&part, &bytes).map_err(io(&part))?;
    swap::sync_dir(staging);
    Ok(Some(sha))
}
