//! `liaison ledger [--period YYYY-MM] [--unit ID] [--status all|open|overdue] [--format
//! text|json]`: the suggestions ledger as of a month's publication.

use std::process::ExitCode;

use super::Globals;
use super::check::OutputFormat;
use super::template::parse_period;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use liaison::app::query;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::ledger::listing::{self, Filter, Listing};
use liaison::render::terminal;

/// Which items to show.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum StatusArg {
    // 全部 (variants carry no doc comment: `--help` stays one line per option)
    #[default]
    All,
    // 未办结：正在办理、未办理
    Open,
    // 超期未办结
    Overdue,
}

/// Arguments of `ledger`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 月份，如 2022-06、2022.6 或 2022年6月；不写时为最近发布的月份
    #[arg(long, value_name = "月份", value_parser = parse_period)]
    pub period: Option<Period>,
    /// 只看一个镇街，写名称或代码，如 北山镇 或 beishan
    #[arg(long, value_name = "镇街")]
    pub unit: Option<String>,
    /// 看哪些意见建议：all 全部（不写时），open 未办结，overdue 超期未办结
    #[arg(
        long,
        value_name = "状态",
        value_enum,
        default_value_t,
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub status: StatusArg,
    /// 输出格式：text 为中文表格（不写时），json 为 JSON 文档
    #[arg(
        long,
        value_name = "格式",
        value_enum,
        default_value_t,
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub format: OutputFormat,
    #[command(flatten)]
    pub config: super::ConfigOpt,
    #[command(flatten)]
    pub output: super::OutputOpt,
}

/// Prints the items; exit 0, or 2 when the archive cannot answer.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let unit = a
        .unit
        .as_deref()
        .map(|u| query::unit_id(&g.config, u))
        .transpose()?;
    let (period, items) = query::load(
        &g.output,
        a.period,
        (&liaison::datasets::LEDGER, "意见建议办理台账数据"),
        liaison::forms::ledger::store::read,
    )?;
    let filter = match a.status {
        StatusArg::All => Filter::All,
        StatusArg::Open => Filter::Open,
        StatusArg::Overdue => Filter::Overdue,
    };
    let listing = listing::list(&items, period, &g.config, unit.as_deref(), filter);
    match a.format {
        OutputFormat::Json => {
            let text = serde_json::to_string_pretty(&listing)?;
            println!("{text}");
        }
        OutputFormat::Text => print!("{}", text(&listing, &g.config, filter)),
    }
    Ok(ExitCode::SUCCESS)
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
        liaison::forms::ledger::Status::ALL
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
