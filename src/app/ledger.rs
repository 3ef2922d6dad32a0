//! The ledger where it meets the archive: last month's statuses for a check, the month-end
//! state of a publication, and the items of a published month for `liaison ledger`.

use std::path::Path;

use crate::archive::verify::{dataset_problems, publications};
use crate::archive::{Manifest, swap};
use crate::check::Checked;
use crate::config::Config;
use crate::core::text::Period;
use crate::datasets::LEDGER;
use crate::forms::Priors;
use crate::forms::ledger::state::ItemState;
use crate::forms::ledger::{self, store};

/// Why the ledger of a month cannot be listed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// Nothing published in the output folder.
    #[error(
        "{0} 中还没有任何发布：请先运行 liaison report 发布月份，或用 --output 指定发布所在的文件夹"
    )]
    NothingPublished(String),
    /// The month asked for is not published.
    #[error("{0} 没有发布：已发布的月份有 {1}")]
    NotPublished(Period, String),
    /// Published by a version without the ledger.
    #[error(
        "{0} 发布时还没有意见建议办理台账数据：如需台账，请用 liaison report --period {0} --force 重新发布该月"
    )]
    NoLedger(Period),
    /// An interrupted publication is pending.
    #[error("{0} 中有一次未完成的发布：请先运行 liaison archive verify（会自动完成它）再查询")]
    Interrupted(String),
    /// The partition does not agree with the manifest or cannot be read.
    #[error("台账数据 {path} {what}：请{repair}")]
    Damaged {
        /// The file.
        path: String,
        /// What is wrong.
        what: String,
        /// What to do.
        repair: String,
    },
    /// No such unit in the config.
    #[error("没有“{0}”这个单位：请用配置中的单位代码或名称，如 {1}")]
    UnknownUnit(String, String),
}

/// The unit id of an id or a name of the config.
pub fn unit_id(config: &Config, s: &str) -> Result<String, QueryError> {
    config
        .units
        .iter()
        .find(|u| u.id == s || u.name == s)
        .map(|u| u.id.clone())
        .ok_or_else(|| {
            let some: Vec<String> = config
                .units
                .iter()
                .take(3)
                .map(|u| format!("{}({})", u.id, u.name))
                .collect();
            QueryError::UnknownUnit(s.to_string(), some.join("、"))
        })
}

/// The items of `period`'s publication (default: the latest), checked against its manifest.
pub fn load(output: &Path, period: Option<Period>) -> Result<(Period, Vec<ItemState>), QueryError> {
    let shown = output.display().to_string();
    if output.join(swap::INTENT).exists() {
        return Err(QueryError::Interrupted(shown));
    }
    let pubs = publications(output);
    let Some(latest) = pubs.last().map(|p| p.0) else {
        return Err(QueryError::NothingPublished(shown));
    };
    let period = period.unwrap_or(latest);
    let Some((_, dir)) = pubs.iter().find(|p| p.0 == period) else {
        let list: Vec<String> = pubs.iter().map(|p| p.0.to_string()).collect();
        return Err(QueryError::NotPublished(period, list.join("、")));
    };
    let part = store::partition_file(&store::dir(output), period);
    let damaged = |what: String, repair: String| QueryError::Damaged {
        path: part.display().to_string(),
        what,
        repair,
    };
    let m = Manifest::read(dir).map_err(|why| {
        damaged(
            why.to_string(),
            format!("运行 liaison report --period {period} --force 重新发布该月"),
        )
    })?;
    if m.dataset(LEDGER.name).is_none() {
        return Err(QueryError::NoLedger(period));
    }
    if let Some(x) = dataset_problems(output, &LEDGER, false)
        .into_iter()
        .find(|x| x.path == part)
    {
        return Err(damaged(x.what, x.repair));
    }
    let items = store::read(&part).map_err(|e| {
        damaged(
            e.why,
            format!("运行 liaison archive rebuild --period {period} 重建"),
        )
    })?;
    Ok((period, items))
}

/// The month-end state of a checked period: `previous` updated by the ledgers of the returns
/// that count, with figures for every unit of the config. A ledger sheet with no item (the
/// template's, left blank) is no ledger: that unit is 未报送台账, never zeros.
pub fn month_state(
    checked: &Checked,
    config: &Config,
    previous: &[ItemState],
) -> ledger::state::MonthState {
    let report = &checked.report;
    let sent: Vec<ledger::state::UnitLedger> = checked
        .counted
        .iter()
        .filter(|r| {
            r.companions
                .ledger
                .as_ref()
                .is_some_and(|l| !l.items.is_empty())
        })
        .filter_map(|r| {
            Some(ledger::state::UnitLedger {
                unit_id: r.unit_id()?,
                sha256: &r.sha256,
                items: &r.companions.ledger.as_ref()?.items,
            })
        })
        .collect();
    let units: Vec<String> = config.units.iter().map(|u| u.id.clone()).collect();
    ledger::state::update(
        previous,
        &sent,
        report.period,
        &units,
        config.ledger.due_days,
    )
}

/// Last month's statuses as `check` uses them (for `ledger_reopened` only): never an error. A
/// partition that is damaged, does not agree with its manifest or cannot be read is left out,
/// with a note saying so.
pub fn previous_for_check(output: &Path, period: Period) -> (Priors, Vec<String>) {
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
