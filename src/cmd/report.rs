//! `liaison report [DIR] [--period YYYY-MM] [--allow-partial] [--force]`: check, then publish.
//! With neither DIR nor period: every unpublished period folder under `<input>/`, oldest first.
//! The output is locked for the whole run; an interrupted publication is completed first.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::Globals;
use super::check::resolve;
use super::template::parse_period;
use liaison::archive::{self, Archive, Outcome};
use liaison::render::terminal;
use liaison::text::Period;

/// Arguments of `report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 报表文件夹(默认 <input>/<月份>)/ folder of returns
    pub dir: Option<PathBuf>,
    /// 月份,如 2022-05 / the month, YYYY-MM
    #[arg(long, value_parser = parse_period)]
    pub period: Option<Period>,
    /// 有强制性问题时仍发布(标注"初步")/ publish despite errors, marked preliminary
    #[arg(long)]
    pub allow_partial: bool,
    /// 覆盖已发布的月份(原发布改名保留)/ replace an existing publication
    #[arg(long)]
    pub force: bool,
}

/// Publishes one period or every unpublished one; exit 1 if any was refused.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    archive::check_overlap(&g.input, &g.output)?;
    if let Some(d) = &a.dir {
        archive::check_overlap(d, &g.output)?;
    }
    let archive = Archive::open(&g.output)?;
    if let Some(p) = &archive.recovered {
        eprintln!("提示:上次 {p} 的发布被中断,已按记录完成。");
    }
    if !archive.cleared.is_empty() {
        eprintln!(
            "提示:已清理上次中断的运行留下的 {} 个临时文件夹。",
            archive.cleared.len()
        );
    }
    let jobs: Vec<(PathBuf, Period)> = if a.dir.is_none() && a.period.is_none() {
        let mut v: Vec<(PathBuf, Period)> = std::fs::read_dir(&g.input)
            .with_context(|| format!("无法读取输入文件夹 {}", g.input.display()))?
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| {
                Some((
                    e.path(),
                    Period::parse_canonical(&e.file_name().to_string_lossy())?,
                ))
            })
            .filter(|(_, p)| a.force || !g.output.join(p.to_string()).exists())
            .collect();
        v.sort_by_key(|(_, p)| *p);
        if v.is_empty() {
            println!(
                "{} 下没有尚未发布的月份文件夹,无需发布。",
                terminal(&g.input.display().to_string())
            );
        }
        v
    } else {
        vec![resolve(a.dir, a.period, g)?]
    };
    let opts = archive::Options {
        allow_partial: a.allow_partial,
        force: a.force,
    };
    let origin = super::config_origin(g)?;
    for w in liaison::report::charts::glyph_warnings(&g.config) {
        eprintln!("提示:{}", terminal(&w));
    }
    let mut refused = false;
    // A progress bar on stderr, only when it is a terminal (indicatif hides it otherwise),
    // and only after a second, so quick runs print nothing extra.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(jobs.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} 发布 {msg} [{pos}/{len}] {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(1000));
    for (dir, period) in jobs {
        bar.set_message(period.to_string());
        let outcomes = liaison::ingest::ingest_dir(&dir, &g.config).context("读取报表失败")?;
        let (previous, notes) = liaison::ledger::store::previous_for_check(&g.output, period);
        for n in notes {
            eprintln!("提示:{}", terminal(&n));
        }
        let mut report = liaison::check::check_with(outcomes, period, &g.config, &previous);
        archive.check_region(&g.config)?;
        if let Some(p) = archive.problems().into_iter().next() {
            Err(archive::ArchiveError::Damaged {
                path: p.path.display().to_string(),
                why: p.what,
                repair: p.repair,
            })?;
        }
        let rows = liaison::history::scan(&g.output.join("history"), period, period, &g.config)
            .map_err(liaison::aggregate::FiguresError::from)
            .map_err(archive::ArchiveError::from)?;
        let history = liaison::aggregate::unit_history(rows, period, &g.config)
            .context("读取历史数据失败")?;
        liaison::check::add_outliers(&mut report, &history, &g.config);
        let writers = super::writers(&g.config);
        let writers: Vec<&archive::Writer> = writers.iter().map(|w| w.as_ref()).collect();
        let result = archive
            .publish(&report, &g.config, (&origin.0, &origin.1), &opts, &writers)
            .with_context(|| format!("发布 {period} 失败,原有发布和历史数据均未改动"))?;
        match result {
            Outcome::Published {
                dir,
                preliminary,
                replaced,
                warnings,
            } => {
                for w in warnings {
                    eprintln!("提示:{}", terminal(&w));
                }
                println!(
                    "已发布 {period}{}:{}",
                    if preliminary {
                        "(初步,有报表未计入)"
                    } else {
                        ""
                    },
                    terminal(&dir.display().to_string())
                );
                if let Some(r) = replaced {
                    println!(
                        "  原发布已改名保留为 {}",
                        terminal(&r.display().to_string())
                    );
                }
                if preliminary {
                    print!("{}", liaison::render::check_text(&report, &g.config));
                }
            }
            Outcome::RefusedErrors => {
                refused = true;
                print!("{}", liaison::render::check_text(&report, &g.config));
                println!(
                    "{period} 有强制性问题,未发布:请改正后重试,或用 --allow-partial 发布初步结果。"
                );
            }
            Outcome::AlreadyPublished(d) => {
                refused = true;
                println!(
                    "{period} 已经发布在 {}:如需重新发布,请加 --force(原发布会改名保留)。",
                    terminal(&d.display().to_string())
                );
            }
        }
    }
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
