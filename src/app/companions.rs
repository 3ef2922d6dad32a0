//! Each companion sheet kind's part of a month's orchestration (today the ledger's): its last
//! month's state for the check, its month-end state and dataset partition for a publication, and
//! that partition rebuilt from a publication's returns. The pipeline, publish and rebuild call
//! these and name no kind.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::aggregate::FiguresError;
use crate::archive::swap::{self, Staged};
use crate::archive::{ArchiveError, Dataset, Manifest};
use crate::check::Checked;
use crate::config::Config;
use crate::core::text::{Period, hex};
use crate::datasets::LEDGER;
use crate::forms::ledger::state::{Figures, ItemState, MonthState, UnitFigures};
use crate::forms::ledger::store;
use crate::forms::{Folded, Priors};
use crate::history::{self, PART};
use crate::rollup::rows::Rows;

/// Last month's state of each kind as this month's checks compare with it, with notes on what
/// could not be compared (an interrupted publish, a damaged partition).
pub fn priors(output: &Path, period: Period) -> (Priors, Vec<String>) {
    super::ledger::previous_for_check(output, period)
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
    let state = super::ledger::month_state(checked, config, &previous);
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
    let folded = Folded {
        ledger: Some(ledger_by_county(parts, config, period)),
    };
    Ok((folded, vec![Dataset::new(LEDGER.name, bytes)]))
}

/// The ledger at the month's end by county: each county's items as its bundle gives them
/// (its own month-end state), the figures counted over them with the roll-up's `due_days`;
/// a county with no item at all has none (未报送台账), never zeros.
fn ledger_by_county(parts: &[(String, Rows)], config: &Config, period: Period) -> MonthState {
    let due_days = config.ledger.due_days;
    let mut items: Vec<ItemState> = Vec::new();
    let mut total = Figures::default();
    let mut units = Vec::new();
    for u in &config.units {
        let mine: Vec<&ItemState> = parts
            .iter()
            .filter(|(id, _)| *id == u.id)
            .flat_map(|(_, r)| r.items.iter())
            .collect();
        let figures = (!mine.is_empty()).then(|| {
            let mut f = Figures::default();
            mine.iter().for_each(|i| f.count(i, period, due_days));
            f
        });
        if let Some(f) = &figures {
            total.add(f);
        }
        items.extend(mine.into_iter().cloned());
        units.push(UnitFigures {
            unit_id: u.id.clone(),
            sent: figures.is_some(),
            figures,
        });
    }
    MonthState {
        period,
        due_days,
        items,
        units,
        total,
    }
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
    let state = super::ledger::month_state(checked, config, &previous);
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
