//! `liaison archive verify` (every publication and partition against its manifest),
//! `liaison archive rebuild --period P` (a month's partition from its publication's returns)
//! and `liaison archive export --period P` (the month's bundle for the level above).

use std::process::ExitCode;

use anyhow::bail;
use comfy_table::Table;

use super::Globals;
use super::template::parse_period;
use liaison::archive::{Archive, Rebuilt};
use liaison::core::text::Period;

/// The archive commands.
#[derive(clap::Subcommand, Debug)]
pub enum ArchiveCmd {
    /// 核对每个发布、历史分区和台账分区是否与其清单一致（不一致时退出码为 1）
    Verify(VerifyArgs),
    /// 用某月发布中保存的报表重建该月的历史分区和台账分区
    Rebuild(RebuildArgs),
    /// 导出某月的上报数据包（发布、历史和台账分区、配置），供上级汇总
    Export(ExportArgs),
}

/// Arguments of `archive verify`.
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub output: super::OutputOpt,
}

/// Arguments of `archive rebuild`.
#[derive(clap::Args, Debug)]
pub struct RebuildArgs {
    /// 要重建的月份，如 2022-05、2022.5 或 2022年5月
    #[arg(long, value_name = "月份", value_parser = parse_period)]
    pub period: Period,
    /// 发布该月时用的配置文件（TOML）；不写时用内置的长沙县配置
    #[arg(long, value_name = "文件")]
    pub config: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub output: super::OutputOpt,
}

/// Arguments of `archive export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// 要导出的月份，如 2022-05、2022.5 或 2022年5月
    #[arg(long, value_name = "月份", value_parser = parse_period)]
    pub period: Period,
    /// 数据包文件；不写时为 <输出文件夹>/上报/<地区>-<月份>.zip
    #[arg(long, value_name = "文件")]
    pub to: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub config: super::ConfigOpt,
    #[command(flatten)]
    pub output: super::OutputOpt,
}

/// Runs an archive command under the output's lock.
pub fn run(c: ArchiveCmd, g: &Globals) -> anyhow::Result<ExitCode> {
    if !g.output.is_dir() {
        bail!(
            "输出文件夹 {} 不存在：请用 --output 指定发布所在的文件夹",
            g.output.display()
        );
    }
    let archive = Archive::open(&g.output, &liaison::datasets::CATALOG)?;
    if let Some(p) = &archive.recovered {
        println!("上次 {p} 的发布被中断，已按记录完成。");
    }
    match c {
        ArchiveCmd::Verify(_) => {
            let rows = archive.verify();
            let mut t = Table::new();
            t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_header(["项目", "结果", "说明"]);
            for r in &rows {
                t.add_row([
                    r.item.as_str(),
                    if r.ok { "一致" } else { "不一致" },
                    r.note.as_str(),
                ]);
            }
            let bad = rows.iter().filter(|r| !r.ok).count();
            println!("档案核对：{}", g.output.display());
            println!("{t}");
            if bad == 0 {
                println!("共 {} 项，全部与清单一致。", rows.len());
                Ok(ExitCode::SUCCESS)
            } else {
                println!("共 {} 项，{bad} 项不一致：请按说明处理。", rows.len());
                Ok(ExitCode::from(1))
            }
        }
        ArchiveCmd::Export(ExportArgs { period, to, .. }) => {
            let (origin, text) = super::config_origin(g)?;
            let done = liaison::bundle::export(
                &archive,
                period,
                &g.config,
                (&origin, &text),
                to.as_deref(),
            )?;
            println!(
                "已导出{}{}年{}月的上报数据包：{}",
                g.config.region.name,
                period.year(),
                period.month(),
                liaison::render::terminal(&done.path.display().to_string())
            );
            println!(
                "共 {} 个文件，{} 字节，sha256 {}",
                done.files.len() + 1,
                done.bytes,
                done.sha256
            );
            if done.preliminary {
                println!(
                    "注意：{period} 是初步发布（有单位未计入），上级汇总时会标为初步；正式发布后请重新导出上报。"
                );
            }
            println!("请把这个文件报送上级；上级用 liaison rollup 汇总，不需重新录入。");
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCmd::Rebuild(RebuildArgs { period, .. }) if g.config.is_rollup() => bail!(
            "汇总的发布中保存的是各单位的数据包，不是报表：请把 {} 中的数据包复制到输出文件夹以外的一个文件夹，再用 liaison rollup 该文件夹 --period {period} --force 重新汇总该月（原发布会改名保留）",
            g.output.join(period.to_string()).join("returns").display()
        ),
        ArchiveCmd::Rebuild(RebuildArgs { period, .. }) => {
            let (_, text) = super::config_origin(g)?;
            match liaison::app::rebuild::rebuild(
                archive.output(),
                period,
                &g.config,
                &text,
                archive.hooks(),
            )? {
                Rebuilt::Partition(p) => println!(
                    "已用 {period} 发布中保存的报表重建历史分区 {}，与发布清单一致。",
                    p.display()
                ),
                Rebuilt::RemovedOrphan(p) => println!(
                    "{period} 没有发布，已移除没有来历的历史分区 {}。",
                    p.display()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
