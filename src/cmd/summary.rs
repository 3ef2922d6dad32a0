//! `liaison summary (--year YYYY | --half YYYY-H1 | --quarter YYYY-Q2 | --from YYYY-MM --to
//! YYYY-MM) [--allow-partial] [--force]`: a period summary from the archive's published months.

use std::process::ExitCode;

use clap::ArgGroup;

use super::Globals;
use super::template::parse_period;
use liaison::core::text::Period;
use liaison::render::terminal;
use liaison::summary::{self, Outcome, Span, span::months_words};

/// Arguments of `summary`.
#[derive(clap::Args, Debug)]
#[command(group(ArgGroup::new("span").required(true).args(["year", "half", "quarter", "from"])))]
pub struct Args {
    /// 全年，如 2022
    #[arg(long, value_name = "YYYY", value_parser = Span::year)]
    pub year: Option<Span>,
    /// 半年，如 2022-H1（上半年）、2022-H2（下半年）
    #[arg(long, value_name = "YYYY-Hn", value_parser = Span::half)]
    pub half: Option<Span>,
    /// 季度，如 2022-Q2
    #[arg(long, value_name = "YYYY-Qn", value_parser = Span::quarter)]
    pub quarter: Option<Span>,
    /// 起始月份，如 2022-01、2022.1 或 2022年1月（与 --to 一起用）
    #[arg(long, value_name = "月份", value_parser = parse_period, requires = "to")]
    pub from: Option<Period>,
    /// 截止月份，如 2022-06（与 --from 一起用）
    #[arg(long, value_name = "月份", value_parser = parse_period, requires = "from")]
    pub to: Option<Period>,
    /// 有月份未发布时仍汇总（标注“初步”，列出未计入的月份）
    #[arg(long)]
    pub allow_partial: bool,
    /// 覆盖已有的汇总（原汇总改名保留）
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub config: super::ConfigOpt,
    #[command(flatten)]
    pub output: super::OutputOpt,
}

/// Writes the summary; exit 1 when it was refused.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let span = match (a.year.or(a.half).or(a.quarter), a.from.zip(a.to)) {
        (Some(s), _) => s,
        (None, Some((from, to))) => Span::range(from, to)?,
        (None, None) => unreachable!("clap requires one of --year, --half, --quarter, --from"),
    };
    let origin = super::config_origin(g)?;
    for w in liaison::report::charts::glyph_warnings(&g.config) {
        eprintln!("提示：{}", terminal(&w));
    }
    let opts = summary::Options {
        allow_partial: a.allow_partial,
        force: a.force,
        // On time is judged against the config's `[schedule] due_day` ("—" when it sets none).
        due_day: g.config.schedule.due_day,
    };
    let label = span.label();
    let outcome = summary::run(&g.output, span, &g.config, (&origin.0, &origin.1), &opts)?;
    let show = |p: &std::path::Path| terminal(&p.display().to_string()).into_owned();
    let code = match outcome {
        Outcome::Written {
            dir,
            preliminary,
            replaced,
            missing,
        } => {
            let marked = if preliminary { "（初步）" } else { "" };
            let dir = std::path::absolute(&dir).unwrap_or(dir);
            println!("已写出{label}汇总{marked}：{}", show(&dir));
            if let Some(r) = replaced {
                println!("  原汇总已改名保留为 {}", show(&r));
            }
            if !missing.is_empty() {
                println!(
                    "  {}尚未发布，未计入（见汇总表“覆盖说明”）。",
                    months_words(&missing)
                );
            }
            0
        }
        Outcome::Unpublished(v) => {
            println!(
                "{label}中{}尚未发布，未汇总：请先发布这些月份（liaison report），或用 --allow-partial 写出初步汇总。",
                months_words(&v)
            );
            1
        }
        Outcome::NothingPublished(_) => {
            println!(
                "{label}没有已发布的月份（输出文件夹 {}），无法汇总：请先发布各月（liaison report）。",
                show(&g.output)
            );
            1
        }
        Outcome::AlreadyWritten(d) => {
            println!(
                "{label}的汇总已在 {}：如需重写，请加 --force（原汇总会改名保留）。",
                show(&d)
            );
            1
        }
    };
    Ok(ExitCode::from(code))
}
