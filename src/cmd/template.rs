//! `liaison template --period YYYY-MM`: one return template per unit.

use std::process::ExitCode;

use anyhow::Context;

use super::Globals;
use crate::cmd::render::terminal;
use liaison::core::Period;

/// Arguments of `template`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 月份,如 2022-05 / the month, YYYY-MM
    #[arg(long, value_parser = parse_period)]
    pub period: Period,
}

/// A month on the command line not written `YYYY-MM`.
#[derive(Debug, thiserror::Error)]
#[error("月份“{0}”格式不对,请写成 YYYY-MM,如 2022-05")]
pub struct BadPeriod(String);

/// Parses `YYYY-MM` for clap, with a Chinese message.
pub fn parse_period(s: &str) -> Result<Period, BadPeriod> {
    Period::parse_canonical(s).ok_or_else(|| BadPeriod(s.to_string()))
}

/// Writes the templates to `<output>/templates/<period>/`.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let dir = g.output.join("templates").join(a.period.to_string());
    let paths =
        liaison::forms::template::write_all(&g.config, a.period, &dir).context("生成模板失败")?;
    println!(
        "已生成 {} 份报表模板,在 {}",
        paths.len(),
        terminal(&dir.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
