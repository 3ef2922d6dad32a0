//! The items of a month-end ledger state as `liaison ledger` lists them: for one unit or all,
//! filtered (open, overdue), with the units that never sent a ledger. Pure: no archive, no print.

use serde::Serialize;

use super::state::ItemState;
use crate::config::Config;
use crate::core::text::Period;

/// Which items to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every known item.
    #[default]
    All,
    /// 正在办理 or 未办理.
    Open,
    /// Open for more than `due_days`.
    Overdue,
}

/// One item as `liaison ledger` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Unit id.
    pub unit: String,
    /// 编号.
    pub id: String,
    /// 工作站.
    pub station: String,
    /// 收集日期, YYYY-MM-DD.
    pub collected: String,
    /// 办理状态 (the §8 name).
    pub status: String,
    /// 办结日期 (null when open).
    pub settled: Option<String>,
    /// Days to the settled date, or to the period's last day.
    pub days_open: i64,
    /// Open for more than `due_days`.
    pub overdue: bool,
    /// 类别.
    pub category: String,
    /// 承办单位.
    pub handler: String,
    /// 意见建议内容.
    pub content: String,
    /// Unit name, for the table.
    #[serde(skip)]
    pub unit_name: String,
}

/// The items of a month's publication, as the command prints them.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    /// The month.
    pub period: Period,
    /// The items: by unit in config order then 编号; overdue ones longest open first.
    pub items: Vec<Listed>,
    /// The units listed that have never sent a ledger with an item (未报送台账: no figure, not
    /// zero items), by id in config order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_sent: Vec<String>,
    /// The one unit asked for, if any.
    #[serde(skip)]
    pub unit: Option<String>,
}

/// The listing of `items` at `period`'s end, for one unit or all, filtered.
pub fn list(
    items: &[ItemState],
    period: Period,
    config: &Config,
    unit: Option<&str>,
    filter: Filter,
) -> Listing {
    let due = config.ledger.due_days;
    let pos = |id: &str| config.units.iter().position(|u| u.id == id);
    let all = items;
    let mut chosen: Vec<&ItemState> = items
        .iter()
        .filter(|i| unit.is_none_or(|u| i.unit_id == u))
        .filter(|i| match filter {
            Filter::All => true,
            Filter::Open => i.status.open(),
            Filter::Overdue => i.overdue(period, due),
        })
        .collect();
    chosen.sort_by_key(|i| (pos(&i.unit_id), i.unit_id.clone(), i.item_id.clone()));
    if filter == Filter::Overdue {
        chosen.sort_by_key(|i| std::cmp::Reverse(i.days_open(period)));
    }
    let items = chosen
        .into_iter()
        .map(|i| Listed {
            unit: i.unit_id.clone(),
            id: i.item_id.clone(),
            station: i.station.clone(),
            collected: i.collected.to_string(),
            status: i.status.label().to_string(),
            settled: i.settled.map(|d| d.to_string()),
            days_open: i.days_open(period),
            overdue: i.overdue(period, due),
            category: i.category.clone(),
            handler: i.handler.clone(),
            content: i.content.clone(),
            unit_name: config
                .unit(&i.unit_id)
                .map_or(i.unit_id.clone(), |u| u.name.clone()),
        })
        .collect();
    let not_sent = config
        .units
        .iter()
        .filter(|u| unit.is_none_or(|x| u.id == x))
        .filter(|u| !all.iter().any(|i| i.unit_id == u.id))
        .map(|u| u.id.clone())
        .collect();
    Listing {
        period,
        items,
        not_sent,
        unit: unit.map(str::to_string),
    }
}
