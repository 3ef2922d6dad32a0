//! `liaison check [DIR] [--period YYYY-MM] [--format text|json]`: read and check one month.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::Globals;
use super::template::parse_period;
use liaison::core::Period;

/// Output format of `check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum OutputFormat {
    /// 中文表格
    #[default]
    Text,
    /// JSON 文档(供其他程序读取)
    Json,
}

/// Arguments of `check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 报表文件夹(默认 <input>/<月份>)/ folder of returns
    pub dir: Option<PathBuf>,
    /// 月份,如 2022-05(默认取文件夹名)/ the month, YYYY-MM
    #[arg(long, value_parser = parse_period)]
    pub period: Option<Period>,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// Resolves DIR and period: the folder given, else `<input>/<period>`; the period given,
/// else the folder's name.
pub fn resolve(
    dir: Option<PathBuf>,
    period: Option<Period>,
    g: &Globals,
) -> anyhow::Result<(PathBuf, Period)> {
    if let Some(d) = &dir
        && !d.is_dir()
    {
        bail!(
            "文件夹 {} 不存在:请确认路径(可以把文件夹拖进命令行窗口),或先把报表放进去",
            d.display()
        );
    }
    let (dir, period) = match (dir, period) {
        (Some(d), Some(p)) => (d, p),
        (None, Some(p)) => (g.input.join(p.to_string()), p),
        (Some(d), None) => {
            let name = d
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match Period::parse_canonical(&name) {
                Some(p) => (d, p),
                None => bail!(
                    "无法从文件夹名“{}”确定月份:请用 --period 指定,如 --period 2022-05",
                    d.display()
                ),
            }
        }
        (None, None) => bail!(
            "请指定报表文件夹或月份,如 liaison check input/2022-05 或 liaison check --period 2022-05"
        ),
    };
    if !dir.is_dir() {
        bail!(
            "文件夹 {} 不存在:请确认路径,或先把报表放进去",
            dir.display()
        );
    }
    Ok((dir, period))
}

/// Reads, checks and prints; exit 1 when any finding is an error.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let (dir, period) = resolve(a.dir, a.period, g)?;
    let keep = liaison::check::Keep::Totals;
    let month = liaison::pipeline::check_month(&dir, period, &g.config, &g.output, keep)
        .context("读取报表失败")?;
    for n in &month.notes {
        eprintln!("提示:{}", crate::cmd::render::terminal(n));
    }
    let report = month.checked.report;
    match a.format {
        OutputFormat::Json => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            crate::cmd::render::write_check_json(out, &report).context("无法写出检查结果")?
        }
        OutputFormat::Text => print!("{}", crate::cmd::render::check_text(&report, &g.config)),
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
