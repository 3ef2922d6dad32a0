//! `liaison archive verify` (every publication and partition against its manifest) and
//! `liaison archive rebuild --period P` (a month's partition from its publication's returns).

use std::process::ExitCode;

use anyhow::bail;
use comfy_table::Table;

use super::Globals;
use super::template::parse_period;
use liaison::archive::{Archive, Rebuilt};
use liaison::core::Period;

/// The archive commands.
#[derive(clap::Subcommand, Debug)]
pub enum ArchiveCmd {
    /// 核对每个发布和历史分区是否与其清单一致(不一致时退出码 1)/ verify against manifests
    Verify,
    /// 用某月发布中保存的报表重建该月历史分区 / rebuild a month's history partition
    Rebuild {
        /// 月份,如 2022-05 / the month, YYYY-MM
        #[arg(long, value_parser = parse_period)]
        period: Period,
    },
}

/// Runs an archive command under the output's lock.
pub fn run(c: ArchiveCmd, g: &Globals) -> anyhow::Result<ExitCode> {
    if !g.output.is_dir() {
        bail!(
            "输出文件夹 {} 不存在:请用 --output 指定发布所在的文件夹",
            g.output.display()
        );
    }
    let archive = Archive::open(&g.output)?;
    if let Some(p) = &archive.recovered {
        println!("上次 {p} 的发布被中断,已按记录完成。");
    }
    match c {
        ArchiveCmd::Verify => {
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
            println!("档案核对:{}", g.output.display());
            println!("{t}");
            if bad == 0 {
                println!("共 {} 项,全部与清单一致。", rows.len());
                Ok(ExitCode::SUCCESS)
            } else {
                println!("共 {} 项,{bad} 项不一致:请按说明处理。", rows.len());
                Ok(ExitCode::from(1))
            }
        }
        ArchiveCmd::Rebuild { period } => {
            let (_, text) = super::config_origin(g)?;
            match archive.rebuild(period, &g.config, &text)? {
                Rebuilt::Partition(p) => println!(
                    "已用 {period} 发布中保存的报表重建历史分区 {},与发布清单一致。",
                    p.display()
                ),
                Rebuilt::RemovedOrphan(p) => println!(
                    "{period} 没有发布,已移除没有来历的历史分区 {}。",
                    p.display()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
