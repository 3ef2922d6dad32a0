//! `liaison ledger [--period YYYY-MM] [--unit ID] [--status all|open|overdue] [--format
//! text|json]`: the suggestions ledger as of a month's publication.

use std::process::ExitCode;

use super::Globals;
use super::check::OutputFormat;
use super::template::parse_period;
use liaison::app::ledger as query;
use liaison::core::text::Period;
use liaison::forms::ledger::listing::{self, Filter};

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
    let (period, items) = query::load(&g.output, a.period)?;
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
        OutputFormat::Text => print!(
            "{}",
            liaison::render::ledger::text(&listing, &g.config, filter)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
