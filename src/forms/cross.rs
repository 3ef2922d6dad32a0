//! Rules that compare two sheet kinds of one workbook, in the one place that gets both:
//! `ledger_count_mismatch`, the month's ledger items against the monthly return's figures.

use std::collections::HashMap;

use crate::config::Config;
use crate::core::Period;
use crate::core::findings::{Code, Finding};
use crate::forms::ledger::{self, LedgerItem, in_period, rules::Prior};
use crate::forms::monthly::Return;

/// Every finding of a ledger sheet that came with `ret`: the ledger's own rules (with last
/// month's state of the unit's items), then, when they found no error (a ledger with errors is
/// refused whole: its counts would only add noise), its counts against the return's figures.
pub fn check_ledger(
    ret: &Return,
    sheet: &ledger::Sheet,
    period: Period,
    config: &Config,
    previous: &HashMap<String, Prior>,
) -> Vec<Finding> {
    let ctx = ledger::rules::Context {
        file: &ret.file,
        unit: ret.unit_id(),
        period,
        previous,
        ledger: &config.ledger,
    };
    let mut out = ledger::rules::check(sheet, &ctx);
    if !out.iter().any(Finding::is_error) {
        out.extend(count_mismatch(ret, sheet, period, config));
    }
    out
}

/// `ledger_count_mismatch`: items collected in the month ≠ the return's 收集意见建议 total, or
/// items solved in the month ≠ its 帮助解决问题 total (a metric the config does not name, or the
/// return has no column for, compares nothing).
fn count_mismatch(
    ret: &Return,
    sheet: &ledger::Sheet,
    period: Period,
    config: &Config,
) -> Vec<Finding> {
    let sums = ret.sums();
    let total = |id: &str| {
        (!id.is_empty())
            .then(|| config.metric_index(id))
            .flatten()
            .filter(|&i| ret.has_column[i])
            .map(|i| sums[i])
    };
    let items: Vec<&LedgerItem> = ledger::rules::unique(sheet);
    let month = |d: Option<ledger::NaiveDate>| d.is_some_and(|d| in_period(d, period));
    let collected = items.iter().filter(|i| month(Some(i.collected))).count() as u64;
    let solved = items
        .iter()
        .filter(|i| i.status.solved() && month(i.settled))
        .count() as u64;
    let (m, name) = (period.month(), sheet.name.as_str());
    let mut out = Vec::new();
    for (want, got, what, figure) in [
        (
            total(&config.checks.collected),
            collected,
            "收集日期在本月的",
            "收集意见建议",
        ),
        (
            total(&config.checks.solved),
            solved,
            "本月已解决的",
            "帮助解决问题",
        ),
    ] {
        if let Some(want) = want
            && want != got
        {
            out.push(
                Finding::new(
                    Code::LedgerCountMismatch,
                    Some(&ret.file),
                    format!(
                        "台账工作表“{name}”中{what}意见建议有 {got} 条,而报表工作表“{}”的{figure}合计为 {want}:请核对{m}月的台账和报表,使两者一致",
                        ret.sheet
                    ),
                )
                .at(name, None)
                .unit(ret.unit_id()),
            );
        }
    }
    out
}
