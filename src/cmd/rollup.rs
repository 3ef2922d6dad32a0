//! `liaison rollup [DIR] [--period P] [--allow-partial] [--force]`: the bundles of the counties
//! below, checked and rolled up into the publication of the region (a roll-up config).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::Globals;
use super::check::resolve;
use super::template::parse_period;
use liaison::archive::{self, Archive, Outcome};
use liaison::core::text::Period;
use liaison::render::terminal;

/// Arguments of `rollup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 数据包文件夹，如 input/2022-05；不写时为 input 下该月的文件夹
    #[arg(value_name = "文件夹")]
    pub dir: Option<PathBuf>,
    /// 月份，如 2022-05、2022.5 或 2022年5月；不写时取文件夹名
    #[arg(long, value_name = "月份", value_parser = parse_period)]
    pub period: Option<Period>,
    /// 有数据包未通过核对、有单位未上报或上报的是初步数据时仍发布（标注“初步”）
    #[arg(long)]
    pub allow_partial: bool,
    /// 覆盖已发布的汇总（原发布改名保留）
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub files: super::Files,
}

/// Rolls up one month; exit 1 when refused.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    let (dir, period) = resolve(a.dir, a.period, g)?;
    archive::check_overlap(&dir, &g.output)?;
    let archive = Archive::open(&g.output, &liaison::datasets::CATALOG)?;
    if let Some(p) = &archive.recovered {
        eprintln!("提示：上次 {p} 的发布被中断，已按记录完成。");
    }
    let origin = super::config_origin(g)?;
    for w in liaison::report::charts::glyph_warnings(&g.config) {
        eprintln!("提示：{}", terminal(&w));
    }
    let opts = archive::Options {
        allow_partial: a.allow_partial,
        force: a.force,
        clock: super::clock(),
    };
    let done = liaison::app::rollup::rollup_month(
        &archive,
        &dir,
        period,
        &g.config,
        (&origin.0, &origin.1),
        &opts,
    )
    .with_context(|| format!("{period} 的汇总未发布，原有发布和历史数据均未改动"))?;
    let text = liaison::render::check_text(&done.report, &g.config);
    let word = g.config.unit_word();
    Ok(match done.outcome {
        Outcome::Published {
            dir,
            preliminary,
            replaced,
            warnings,
            stale,
        } => {
            for w in warnings {
                eprintln!("提示：{}", terminal(&w));
            }
            print!("{text}");
            let marked = if preliminary {
                format!("（初步：有{word}未计入、未上报或上报的是初步数据）")
            } else {
                String::new()
            };
            println!(
                "已汇总发布 {period}{marked}：{}",
                terminal(&dir.display().to_string())
            );
            if let Some(r) = replaced {
                println!(
                    "  原发布已改名保留为 {}",
                    terminal(&r.display().to_string())
                );
            }
            super::report::print_stale(period, &stale);
            ExitCode::SUCCESS
        }
        Outcome::RefusedErrors => {
            print!("{text}");
            println!(
                "{period} 有数据包未通过核对、有{word}未上报或上报的是初步数据，未发布：请补齐后重试，或用 --allow-partial 发布初步结果。"
            );
            ExitCode::from(1)
        }
        Outcome::AlreadyPublished(d) => {
            println!(
                "{period} 已经汇总发布在 {}：如需重新汇总，请加 --force（原发布会改名保留）。",
                terminal(&d.display().to_string())
            );
            ExitCode::from(1)
        }
    })
}
