//! The ledger at a month's end, as a pure function: last month's item states updated by this
//! month's ledgers, and the per-unit and county figures (本月收集 … 超期未办结, 办结率).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{LedgerItem, NaiveDate, Status, in_period, last_day};
use crate::config::Config;
use crate::core::text::Period;

/// One item at a month's end (a row of the ledger archive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemState {
    /// The unit's id.
    pub unit_id: String,
    /// 编号: with the unit, the item's identity across months.
    pub item_id: String,
    /// 工作站.
    pub station: String,
    /// 代表.
    pub deputies: Vec<String>,
    /// 意见建议内容.
    pub content: String,
    /// 类别.
    pub category: String,
    /// 承办单位.
    pub handler: String,
    /// 收集日期.
    pub collected: NaiveDate,
    /// 办理状态 at the month's end.
    pub status: Status,
    /// 办结日期.
    pub settled: Option<NaiveDate>,
    /// The month the item was first reported.
    pub first_period: Period,
    /// sha256 of the return that last reported it.
    pub source_sha256: String,
}

impl ItemState {
    /// Days from 收集日期 to 办结日期, or (open) to the period's last day.
    pub fn days_open(&self, period: Period) -> i64 {
        let until = self.settled.unwrap_or_else(|| last_day(period));
        (until - self.collected).num_days()
    }

    /// Open, and collected more than `due_days` days before the period's last day.
    pub fn overdue(&self, period: Period, due_days: u32) -> bool {
        self.status.open() && (last_day(period) - self.collected).num_days() > i64::from(due_days)
    }
}

/// The ledger one unit sent this month (from a return that counts).
#[derive(Debug, Clone, Copy)]
pub struct UnitLedger<'a> {
    /// The unit's id.
    pub unit_id: &'a str,
    /// sha256 of the return.
    pub sha256: &'a str,
    /// Its items (the month's and the open ones, or the whole cumulative ledger).
    pub items: &'a [LedgerItem],
}

/// The ledger figures of a unit or of the whole region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// 本月收集: items whose 收集日期 is in the month.
    pub collected_month: u64,
    /// 累计收集: every known item.
    pub collected_total: u64,
    /// 已解决.
    pub solved: u64,
    /// 已答复.
    pub answered: u64,
    /// 正在办理.
    pub in_progress: u64,
    /// 未办理.
    pub not_started: u64,
    /// 超期未办结.
    pub overdue: u64,
}

impl Figures {
    /// 已解决 + 已答复.
    pub fn settled(&self) -> u64 {
        self.solved + self.answered
    }

    /// 办结率 = settled / collected so far; none when nothing was collected.
    pub fn rate(&self) -> Option<f64> {
        (self.collected_total > 0).then(|| self.settled() as f64 / self.collected_total as f64)
    }

    /// Counts one item into the figures of `period` (overdue after `due_days`).
    pub fn count(&mut self, i: &ItemState, period: Period, due_days: u32) {
        self.collected_total += 1;
        self.collected_month += u64::from(in_period(i.collected, period));
        match i.status {
            Status::Solved => self.solved += 1,
            Status::Answered => self.answered += 1,
            Status::InProgress => self.in_progress += 1,
            Status::NotStarted => self.not_started += 1,
        }
        self.overdue += u64::from(i.overdue(period, due_days));
    }

    /// Adds another unit's figures (a total).
    pub fn add(&mut self, o: &Figures) {
        self.collected_month += o.collected_month;
        self.collected_total += o.collected_total;
        self.solved += o.solved;
        self.answered += o.answered;
        self.in_progress += o.in_progress;
        self.not_started += o.not_started;
        self.overdue += o.overdue;
    }
}

/// A unit's figures at the month's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitFigures {
    /// The unit's id.
    pub unit_id: String,
    /// Whether a ledger came with this month's return (if not: 未报送台账 this month).
    pub sent: bool,
    /// The figures over all its known items (those not sent keep their last state); `None`
    /// when the unit has never sent a ledger, neither this month nor before: never zeros.
    pub figures: Option<Figures>,
}

/// The ledger at a month's end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthState {
    /// The month.
    pub period: Period,
    /// Days after which an open item is overdue.
    pub due_days: u32,
    /// Every known item, by unit then 编号.
    pub items: Vec<ItemState>,
    /// Per unit, in the order given.
    pub units: Vec<UnitFigures>,
    /// The region: the sum over the units with figures (so it agrees with `overdue()`).
    pub total: Figures,
}

impl MonthState {
    /// The open items collected more than `due_days` before the month's end, longest open
    /// first (then by unit and 编号).
    pub fn overdue(&self) -> Vec<&ItemState> {
        let mut v: Vec<&ItemState> = self
            .items
            .iter()
            .filter(|i| i.overdue(self.period, self.due_days))
            .collect();
        v.sort_by_key(|i| {
            (
                std::cmp::Reverse(i.days_open(self.period)),
                &i.unit_id,
                &i.item_id,
            )
        });
        v
    }

    /// A unit's item statuses by 编号 (what `ledger_reopened` compares with next month).
    pub fn statuses(&self, unit_id: &str) -> HashMap<String, Status> {
        self.items
            .iter()
            .filter(|i| i.unit_id == unit_id)
            .map(|i| (i.item_id.clone(), i.status))
            .collect()
    }
}

/// The month-end state: `previous` (last month's items) updated by the ledgers sent this
/// month. An item sent replaces its last state; an item not sent keeps it. Figures are given
/// for every unit of `units`.
pub fn update(
    previous: &[ItemState],
    sent: &[UnitLedger],
    period: Period,
    units: &[String],
    due_days: u32,
) -> MonthState {
    let mut items: BTreeMap<(String, String), ItemState> = previous
        .iter()
        .map(|i| ((i.unit_id.clone(), i.item_id.clone()), i.clone()))
        .collect();
    for l in sent {
        for it in l.items {
            let key = (l.unit_id.to_string(), it.id.clone());
            let first_period = items.get(&key).map_or(period, |p| p.first_period);
            let state = ItemState {
                unit_id: l.unit_id.to_string(),
                item_id: it.id.clone(),
                station: it.station.clone(),
                deputies: it.deputies.clone(),
                content: it.content.clone(),
                category: it.category.clone(),
                handler: it.handler.clone(),
                collected: it.collected,
                status: it.status,
                settled: it.settled,
                first_period,
                source_sha256: l.sha256.to_string(),
            };
            items.insert(key, state);
        }
    }
    let items: Vec<ItemState> = items.into_values().collect();
    let mut per_unit: HashMap<&str, Figures> = HashMap::new();
    for i in &items {
        per_unit
            .entry(i.unit_id.as_str())
            .or_default()
            .count(i, period, due_days);
    }
    let mut total = Figures::default();
    let units = units
        .iter()
        .map(|u| {
            let was_sent = sent.iter().any(|l| l.unit_id == u);
            let figures = per_unit
                .get(u.as_str())
                .copied()
                .or(was_sent.then(Figures::default));
            if let Some(f) = &figures {
                total.add(f);
            }
            UnitFigures {
                unit_id: u.clone(),
                sent: was_sent,
                figures,
            }
        })
        .collect();
    MonthState {
        period,
        due_days,
        items,
        units,
        total,
    }
}

/// The month-end state of a checked period: `previous` updated by the ledgers of the returns
/// that count (`sent`: unit id, the return's sha256, its ledger sheet), with figures for every
/// unit of `config`. A ledger sheet with no item (the template's, left blank) is no ledger:
/// that unit is 未报送台账, never zeros.
pub fn month_end<'a>(
    sent: impl Iterator<Item = (&'a str, &'a str, &'a super::Sheet)>,
    period: Period,
    config: &Config,
    previous: &[ItemState],
) -> MonthState {
    let sent: Vec<UnitLedger> = sent
        .filter(|(_, _, l)| !l.items.is_empty())
        .map(|(unit_id, sha256, l)| UnitLedger {
            unit_id,
            sha256,
            items: &l.items,
        })
        .collect();
    let units: Vec<String> = config.units.iter().map(|u| u.id.clone()).collect();
    update(previous, &sent, period, &units, config.ledger.due_days)
}

/// A roll-up's ledger at the month's end by unit: each unit's items as its bundles give them
/// (`parts`: unit id, items), the figures counted over them with the roll-up's `due_days`; a
/// unit with no item at all has none (未报送台账), never zeros.
pub fn by_unit(parts: &[(&str, &[ItemState])], config: &Config, period: Period) -> MonthState {
    let due_days = config.ledger.due_days;
    let mut items: Vec<ItemState> = Vec::new();
    let mut total = Figures::default();
    let mut units = Vec::new();
    for u in &config.units {
        let mine: Vec<&ItemState> = parts
            .iter()
            .filter(|(id, _)| *id == u.id)
            .flat_map(|(_, items)| items.iter())
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
