//! `liaison ledger [--period YYYY-MM] [--unit ID] [--status all|open|overdue] [--format
//! text|json]`: the suggestions ledger as of a month's publication.

use std::process::ExitCode;

use super::Globals;
use super::check::OutputFormat;
use super::template::parse_period;
use liaison::core::Period;
use liaison::ledger::query::{self, Filter};

/// Which items to show.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum StatusArg {
    /// 全部
    #[default]
    All,
    /// 未办结(正在办理、未办理)
    Open,
    /// 超期未办结
    Overdue,
}

/// Arguments of `ledger`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 月份,如 2022-06(默认最近发布的月份)/ the month, YYYY-MM (default: the latest published)
    #[arg(long, value_parser = parse_period)]
    pub period: Option<Period>,
    /// 只看一个单位(代码或名称,如 beishan 或 北山镇)/ one unit, by id or name
    #[arg(long)]
    pub unit: Option<String>,
    /// 哪些意见建议 / which items
    #[arg(long, value_enum, default_value_t)]
    pub status: StatusArg,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
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
    let listing = query::list(&items, period, &g.config, unit.as_deref(), filter);
    match a.format {
        OutputFormat::Json => {
            let text = serde_json::to_string_pretty(&listing)?;
            println!("{text}");
        }
        OutputFormat::Text => print!("{}", query::text(&listing, &g.config, filter)),
    }
    Ok(ExitCode::SUCCESS)
}
