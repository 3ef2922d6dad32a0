//! `liaison ledger`: the items as of a month's publication, read from the archive's ledger
//! dataset (checked against the manifest), filtered, as the JSON of the command or a table.

use std::path::Path;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use super::state::ItemState;
use super::store;
use crate::archive::verify::{ledger_problems, publications};
use crate::archive::{Manifest, swap};
use crate::config::Config;
use crate::render::terminal;
use crate::text::Period;

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
    if m.ledger.is_none() {
        return Err(QueryError::NoLedger(period));
    }
    if let Some(x) = ledger_problems(output).into_iter().find(|x| x.path == part) {
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

/// The listing as a Chinese table for a clerk on the phone, every text escaped for a terminal.
pub fn text(l: &Listing, config: &Config, filter: Filter) -> String {
    let what = match filter {
        Filter::All => "全部",
        Filter::Open => "未办结的",
        Filter::Overdue => "超期未办结的",
    };
    let p = l.period;
    let name = |id: &str| {
        let n = config.unit(id).map_or(id.to_string(), |u| u.name.clone());
        terminal(&n).into_owned()
    };
    let names: Vec<String> = l.not_sent.iter().map(|u| name(u)).collect();
    // One unit that never sent a ledger: 未报送台账, not "0 条".
    if l.unit.is_some() && names.len() == 1 {
        return format!(
            "截至{}年{}月底，{}未报送意见建议办理台账（没有报送过任何一条），不是 0 条。\n",
            p.year, p.month, names[0]
        );
    }
    let not_sent = if names.is_empty() {
        String::new()
    } else {
        format!(
            "未报送台账的单位 {} 个（不计入，不是 0 条）：{}。\n",
            names.len(),
            names.join("、")
        )
    };
    let mut out = format!(
        "截至{}年{}月底{what}意见建议 {} 条",
        p.year,
        p.month,
        l.items.len()
    );
    if l.items.is_empty() {
        return out + "。\n" + &not_sent;
    }
    out.push_str(&format!(
        "（超期：收集后超过{}天仍未办结）：\n",
        config.ledger.due_days
    ));
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header([
            "镇街",
            "编号",
            "工作站",
            "收集日期",
            "状态",
            "办结日期",
            "已办天数",
            "超期",
            "类别",
            "承办单位",
            "内容",
        ]);
    let label = |s: &str| {
        super::Status::ALL
            .into_iter()
            .find(|x| x.label() == s)
            .map_or(s.to_string(), |x| config.ledger.status_label(x).to_string())
    };
    for i in &l.items {
        t.add_row([
            terminal(&i.unit_name).into_owned(),
            terminal(&i.id).into_owned(),
            terminal(&i.station).into_owned(),
            i.collected.clone(),
            label(&i.status),
            i.settled.clone().unwrap_or_else(|| "—".into()),
            i.days_open.to_string(),
            if i.overdue { "是" } else { "" }.to_string(),
            terminal(&i.category).into_owned(),
            terminal(&i.handler).into_owned(),
            terminal(&i.content).into_owned(),
        ]);
    }
    out + &t.to_string() + "\n" + &not_sent
}
