//! `liaison check [DIR] [--period YYYY-MM] [--format text|json]`: read and check one month.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::Globals;
use super::template::parse_period;
use liaison::check::UnitHistory;
use liaison::config::Config;
use liaison::text::Period;

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

/// Each unit's earlier months from the archive, for the outlier warnings. The check of the
/// returns never depends on the archive: a partition that is damaged, does not agree with its
/// manifest or cannot be read is left out with a warning naming it (on stderr).
fn outlier_history(output: &Path, period: Period, config: &Config) -> Vec<UnitHistory> {
    let hist = output.join("history");
    if output.join(liaison::archive::swap::INTENT).exists() {
        eprintln!(
            "提示:{} 中有一次未完成的发布,本次没有与历史数据比较(运行 liaison archive verify 可完成它)",
            output.display()
        );
        return Vec::new();
    }
    let problems = liaison::archive::verify::history_problems(output);
    for p in &problems {
        eprintln!(
            "提示:历史数据 {} {},本次审核没有用它做比较(请{})",
            p.path.display(),
            p.what,
            p.repair
        );
    }
    let wanted: Vec<Period> = liaison::history::periods(&hist)
        .into_iter()
        .filter(|p| *p < period)
        .filter(|p| {
            let part = liaison::history::partition_file(&hist, *p);
            !problems.iter().any(|x| x.path == part)
        })
        .collect();
    let (rows, damaged) = liaison::history::scan_periods(&hist, &wanted, config);
    for d in damaged {
        eprintln!("提示:{d},本次审核没有用它做比较");
    }
    liaison::aggregate::unit_history(rows, period, config).unwrap_or_else(|e| {
        eprintln!("提示:历史数据无法汇总({e}),本次审核没有与历史数据比较");
        Vec::new()
    })
}

/// Reads, checks and prints; exit 1 when any finding is an error.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let (dir, period) = resolve(a.dir, a.period, g)?;
    let outcomes = liaison::ingest::ingest_dir(&dir, &g.config).context("读取报表失败")?;
    let (previous, notes) = liaison::ledger::store::previous_for_check(&g.output, period);
    for n in notes {
        eprintln!("提示:{}", liaison::render::terminal(&n));
    }
    let mut report = liaison::check::check_with(outcomes, period, &g.config, &previous);
    let history = outlier_history(&g.output, period, &g.config);
    liaison::check::add_outliers(&mut report, &history, &g.config);
    match a.format {
        OutputFormat::Json => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            liaison::render::write_check_json(out, &report).context("无法写出检查结果")?
        }
        OutputFormat::Text => print!("{}", liaison::render::check_text(&report, &g.config)),
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
