//! `liaison ledger` as a clerk reads it: the listing as a Chinese table, every text escaped
//! for a terminal.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::terminal;
use crate::config::Config;
use crate::forms::ledger::listing::{Filter, Listing};

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
            p.year(),
            p.month(),
            names[0]
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
        p.year(),
        p.month(),
        l.items.len()
    );
    if l.items.is_empty() {
        return out + "。\n" + &not_sent;
    }
    out.push_str(&format!(
        "(超期:收集后超过{}天仍未办结):\n",
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
        crate::forms::ledger::Status::ALL
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
