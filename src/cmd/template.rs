//! `liaison template --period YYYY-MM`: one return template per unit, written to
//! `<output>/templates/<YYYY-MM>/`.

use std::process::ExitCode;

use anyhow::Context;

use super::Globals;
use liaison::core::text::Period;
use liaison::render::terminal;

/// Arguments of `template`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 模板的月份，如 2022-07、2022.7 或 2022年7月
    #[arg(long, value_name = "月份", value_parser = parse_period)]
    pub period: Period,
    #[command(flatten)]
    pub config: super::ConfigOpt,
    #[command(flatten)]
    pub output: super::OutputOpt,
}

/// A month on the command line that is not one month.
#[derive(Debug, thiserror::Error)]
#[error("请写成 年-月（YYYY-MM），如 2022-07，也可以写 2022.7 或 2022年7月")]
pub struct BadPeriod;

/// Parses a month as the returns write it (2022-07, 2022-7, 2022.7, 2022年7月) for clap,
/// with a Chinese message.
pub fn parse_period(s: &str) -> Result<Period, BadPeriod> {
    Period::parse_typed(s).ok_or(BadPeriod)
}

/// Writes the templates to `<output>/templates/<period>/`.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let dir = g.output.join("templates").join(a.period.to_string());
    let paths =
        liaison::forms::template::write_all(&g.config, a.period, &dir).context("生成模板失败")?;
    println!(
        "已生成 {} 份报表模板，在 {}",
        paths.len(),
        terminal(&dir.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
