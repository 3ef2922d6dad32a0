//! `liaison check [DIR] [--period YYYY-MM] [--format text|json]`: read and check one month.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::Globals;
use super::template::parse_period;
use liaison::text::Period;

/// Output format of `check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum OutputFormat {
    // 中文表格 (variants carry no doc comment: `--help` stays one line per option)
    #[default]
    Text,
    // JSON 文档，供其他程序读取
    Json,
}

/// Arguments of `check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 报表文件夹，如 input/2022-07；不写时为 input 下该月的文件夹
    #[arg(value_name = "文件夹")]
    pub dir: Option<PathBuf>,
    /// 月份，如 2022-07、2022.7 或 2022年7月；不写时取文件夹名
    #[arg(long, value_name = "月份", value_parser = parse_period)]
    pub period: Option<Period>,
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
    pub files: super::Files,
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
            "文件夹 {} 不存在：请确认路径（可以把文件夹拖进命令行窗口），或先把报表放进去",
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
                    "无法从文件夹名“{}”确定月份：请用 --period 指定，如 --period 2022-05",
                    d.display()
                ),
            }
        }
        (None, None) => bail!(
            "请指定报表文件夹或月份，如 liaison check input/2022-05 或 liaison check --period 2022-05"
        ),
    };
    if !dir.is_dir() {
        bail!(
            "文件夹 {} 不存在：请确认路径，或先把报表放进去",
            dir.display()
        );
    }
    Ok((dir, period))
}

/// Reads, checks and prints; exit 1 when any finding is an error or a unit sent no return.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let (dir, period) = resolve(a.dir, a.period, g)?;
    let keep = liaison::check::Keep::Totals;
    let month = liaison::pipeline::check_month(&dir, period, &g.config, &g.output, keep)
        .context("读取报表失败")?;
    for n in liaison::pipeline::no_archive_note(&g.output)
        .iter()
        .chain(&month.notes)
    {
        eprintln!("提示：{}", liaison::render::terminal(n));
    }
    let report = month.checked.report;
    match a.format {
        OutputFormat::Json => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            liaison::render::write_check_json(out, &report).context("无法写出检查结果")?
        }
        OutputFormat::Text => print!("{}", liaison::render::check_text(&report, &g.config)),
    }
    // A unit with no return blocks a final publication as an error does.
    Ok(if !report.complete() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
