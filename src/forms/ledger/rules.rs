//! The ledger checks on one return: `ledger_invalid`, `ledger_duplicate` (errors),
//! `ledger_count_mismatch`, `ledger_reopened`, `ledger_date_outside` (warnings).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{LedgerItem, Sheet, Status, in_period, last_day};
use crate::core::findings::{Code, Finding};
use crate::core::text::Period;

/// What the checks of one ledger need to know besides the sheet.
pub struct Context<'a> {
    /// The file, as shown in findings.
    pub file: &'a str,
    /// The unit id, when known.
    pub unit: Option<&'a str>,
    /// The month checked.
    pub period: Period,
    /// The sheet holding the monthly figures (named in count messages).
    pub return_sheet: &'a str,
    /// The return's 收集意见建议 total (None: the config compares nothing).
    pub collected: Option<u64>,
    /// The return's 帮助解决问题 total.
    pub solved: Option<u64>,
    /// Last month's state of this unit's items, by 编号.
    pub previous: &'a HashMap<String, Prior>,
    /// Status names as the config prints them.
    pub ledger: &'a super::LedgerConfig,
}

/// Last month's ledger items, by unit id then 编号: their status (what `ledger_reopened`
/// compares) and what identifies them (a renumbered or reused 编号 is refused).
pub type LedgerPrevious =
    std::collections::HashMap<String, std::collections::HashMap<String, Prior>>;

/// What last month's ledger says of one item, as the rules compare it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    /// 办理状态 at last month's end.
    pub status: Status,
    /// 收集日期, 工作站, 代表 and 内容 (None where only the status is known).
    pub identity: Option<Identity>,
}

/// What makes an item the same item from month to month, beside its 编号.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// 收集日期.
    pub collected: NaiveDate,
    /// 工作站.
    pub station: String,
    /// 代表.
    pub deputies: Vec<String>,
    /// 意见建议内容.
    pub content: String,
}

impl From<Status> for Prior {
    fn from(status: Status) -> Prior {
        Prior {
            status,
            identity: None,
        }
    }
}

/// Every ledger finding of one ledger sheet: the findings of reading it, then the rules.
pub fn check(sheet: &Sheet, ctx: &Context) -> Vec<Finding> {
    let mut out = sheet.findings.clone();
    let name = sheet.name.as_str();
    let at = |code: Code, cell: &str, why: String| {
        let cell = (!cell.is_empty()).then(|| cell.to_string());
        Finding::new(code, Some(ctx.file), why).at(name, cell)
    };
    let end = last_day(ctx.period);
    let mut seen: HashMap<&str, &LedgerItem> = HashMap::new();
    let mut unique: Vec<&LedgerItem> = Vec::new();
    for item in &sheet.items {
        if let Some(first) = seen.get(item.id.as_str()) {
            if !first.same_content(item) {
                out.push(at(
                    Code::LedgerDuplicate,
                    &item.cells.id,
                    format!(
                        "编号“{}”在台账中出现两次（{} 与 {}），内容不同：同一条意见建议只填一行；不同的意见建议请用不同的编号",
                        item.id, first.cells.id, item.cells.id
                    ),
                ));
            }
            continue;
        }
        seen.insert(&item.id, item);
        unique.push(item);
        item_rules(item, ctx.ledger, &at, &mut out);
        if item.collected > end {
            out.push(at(
                Code::LedgerDateOutside,
                &item.cells.collected,
                format!(
                    "编号“{}”的收集日期 {} 晚于本期最后一天 {end}：请核对日期或报送月份",
                    item.id, item.collected
                ),
            ));
        }
        if let Some(s) = item.settled.filter(|s| *s > end) {
            out.push(at(
                Code::LedgerDateOutside,
                &item.cells.settled,
                format!(
                    "编号“{}”的办结日期 {s} 晚于本期最后一天 {end}：请核对日期或报送月份",
                    item.id
                ),
            ));
        }
        if let Some(before) = ctx.previous.get(&item.id)
            && before.status.settled()
            && item.status.open()
        {
            out.push(at(
                Code::LedgerReopened,
                &item.cells.status,
                format!(
                    "编号“{}”上月的办理状态为{}，本月又填为{}：如确需重新办理请在备注中说明，否则请改回上月的状态",
                    item.id,
                    ctx.ledger.status_label(before.status),
                    ctx.ledger.status_label(item.status)
                ),
            ));
        }
    }
    out.extend(identity_rules(&unique, ctx, &at));
    // A ledger with errors is refused whole: its counts would only add noise. A ledger sheet
    // with no item row (the template's, left blank) is no ledger: 未报送台账, nothing to count.
    if !unique.is_empty() && !out.iter().any(Finding::is_error) {
        count_rules(&unique, ctx, name, &mut out);
    }
    for f in &mut out {
        if f.unit.is_none() {
            f.unit = ctx.unit.map(str::to_string);
        }
    }
    out
}

/// `ledger_duplicate` where an item cannot be followed for certain from last month: a 编号 of
/// last month now on an item with another 收集日期 or 工作站 (a reused number would replace the
/// earlier item), or a new 编号 on an item that is last month's under another number (same
/// 收集日期, 工作站, 代表 and 内容; it would be counted twice, the old one open for ever).
fn identity_rules(
    items: &[&LedgerItem],
    ctx: &Context,
    at: &dyn Fn(Code, &str, String) -> Finding,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let sent: std::collections::HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    for item in items {
        match ctx.previous.get(&item.id) {
            Some(Prior {
                identity: Some(was),
                ..
            }) => {
                let (cell, what, before, now) = if was.collected != item.collected {
                    (
                        &item.cells.collected,
                        "收集日期",
                        was.collected.to_string(),
                        item.collected.to_string(),
                    )
                } else if was.station != item.station {
                    (
                        &item.cells.id,
                        "工作站",
                        was.station.clone(),
                        item.station.clone(),
                    )
                } else {
                    continue;
                };
                out.push(at(
                    Code::LedgerDuplicate,
                    cell,
                    format!(
                        "编号“{}”在上月台账中的{what}是“{before}”，本月填为“{now}”：同一条意见建议的编号、{what}各月不变。如是新的意见建议，请换一个新编号；如是上月填错，请联系联工委更正上月的报表并重新发布后再报送",
                        item.id
                    ),
                ));
            }
            Some(_) => {}
            None => {
                let same = ctx.previous.iter().find(|(id, p)| {
                    !sent.contains(id.as_str())
                        && p.identity.as_ref().is_some_and(|w| {
                            w.collected == item.collected
                                && w.station == item.station
                                && w.deputies == item.deputies
                                && w.content == item.content
                        })
                });
                if let Some((old, _)) = same {
                    out.push(at(
                        Code::LedgerDuplicate,
                        &item.cells.id,
                        format!(
                            "编号“{}”是新编号，但这一条与上月台账中的编号“{old}”收集日期、工作站、代表、内容都相同：同一条意见建议请沿用上月的编号“{old}”，否则会被算作两条",
                            item.id
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// `ledger_invalid` for the dates of one item that contradict its status or each other.
fn item_rules(
    item: &LedgerItem,
    ledger: &super::LedgerConfig,
    at: &dyn Fn(Code, &str, String) -> Finding,
    out: &mut Vec<Finding>,
) {
    let cell = if item.cells.settled.is_empty() {
        &item.cells.status
    } else {
        &item.cells.settled
    };
    match (item.status.settled(), item.settled) {
        (true, None) => out.push(at(
            Code::LedgerInvalid,
            cell,
            format!(
                "编号“{}”的办理状态为{}，但没有填写办结日期：请在 {cell} 填写办结日期",
                item.id,
                ledger.status_label(item.status)
            ),
        )),
        (false, Some(d)) => out.push(at(
            Code::LedgerInvalid,
            cell,
            format!(
                "编号“{}”的办理状态为{}，却填写了办结日期 {d}：已办结的请改办理状态，未办结的请清空办结日期",
                item.id,
                ledger.status_label(item.status)
            ),
        )),
        (true, Some(d)) if d < item.collected => out.push(at(
            Code::LedgerInvalid,
            cell,
            format!(
                "编号“{}”的办结日期 {d} 早于收集日期 {}：请核对两个日期",
                item.id, item.collected
            ),
        )),
        _ => {}
    }
}

/// `ledger_count_mismatch`: the month's items against the return's own figures.
fn count_rules(items: &[&LedgerItem], ctx: &Context, sheet: &str, out: &mut Vec<Finding>) {
    let month = |d: Option<super::NaiveDate>| d.is_some_and(|d| in_period(d, ctx.period));
    let collected = items.iter().filter(|i| month(Some(i.collected))).count() as u64;
    let solved = items
        .iter()
        .filter(|i| i.status.solved() && month(i.settled))
        .count() as u64;
    let m = ctx.period.month();
    for (want, got, what, figure) in [
        (ctx.collected, collected, "收集日期在本月的", "收集意见建议"),
        (ctx.solved, solved, "本月已解决的", "帮助解决问题"),
    ] {
        if let Some(want) = want
            && want != got
        {
            out.push(
                Finding::new(
                    Code::LedgerCountMismatch,
                    Some(ctx.file),
                    format!(
                        "台账工作表“{sheet}”中{what}意见建议有 {got} 条，而报表工作表“{}”的{figure}合计为 {want}：请核对{m}月的台账和报表，使两者一致",
                        ctx.return_sheet
                    ),
                )
                .at(sheet, None),
            );
        }
    }
}
