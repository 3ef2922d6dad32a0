//! Where the two sheet kinds of a return meet: its ledger sheet checked with the return's own
//! figures beside it (`ledger_count_mismatch`) and last month's items of its unit.

use std::collections::HashMap;

use crate::config::Config;
use crate::core::findings::Finding;
use crate::core::text::Period;
use crate::forms::Priors;
use crate::forms::ledger::rules::{Context, check};
use crate::forms::monthly::Return;

/// Every finding of the sheets beside a return: its ledger's, with last month's items of its
/// unit (none when it has no ledger sheet).
pub fn check_return(
    ret: &Return,
    period: Period,
    config: &Config,
    priors: &Priors,
) -> Vec<Finding> {
    let Some(sheet) = &ret.companions.ledger else {
        return Vec::new();
    };
    let none = HashMap::new();
    let previous = ret
        .unit_id()
        .and_then(|u| priors.ledger.get(u))
        .unwrap_or(&none);
    let sums = ret.sums();
    let total = |id: &str| {
        (!id.is_empty())
            .then(|| config.metric_index(id))
            .flatten()
            .filter(|&i| ret.has_column[i])
            .map(|i| sums[i])
    };
    let ctx = Context {
        file: &ret.file,
        unit: ret.unit_id(),
        period,
        return_sheet: &ret.sheet,
        collected: total(&config.checks.collected),
        solved: total(&config.checks.solved),
        previous,
        ledger: &config.ledger,
    };
    check(sheet, &ctx)
}
