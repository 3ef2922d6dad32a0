//! `liaison report [DIR] [--period YYYY-MM] [--allow-partial] [--force]`: check, then publish.
//! With neither DIR nor period: every unpublished period folder under `<input>/`, oldest first.
//! The output is locked for the whole run; an interrupted publication is completed first.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::Globals;
use super::check::resolve;
use super::template::parse_period;
use liaison::app::pipeline;
use liaison::archive::{self, Archive, Outcome};
use liaison::check::CheckReport;
use liaison::core::text::Period;
use liaison::render::terminal;

/// Arguments of `report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// 报表文件夹，如 input/2022-07；文件夹和月份都不写时，发布 input 下尚未发布的各月
    #[arg(value_name = "文件夹")]
    pub dir: Option<PathBuf>,
    /// 月份，如 2022-07、2022.7 或 2022年7月；不写时取文件夹名
    #[arg(long, value_name = "月份", value_parser = parse_period)]
    pub period: Option<Period>,
    /// 有强制性问题或未报送的单位时仍发布，标注“初步”，并列出未计入的报表及原因
    #[arg(long)]
    pub allow_partial: bool,
    /// 重新发布已发布的月份（原发布改名保留）
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub files: super::Files,
}

/// Publishes one period or every unpublished one; exit 1 if any was refused.
pub fn run(a: Args, g: &Globals) -> anyhow::Result<ExitCode> {
    archive::check_overlap(&g.input, &g.output)?;
    if let Some(d) = &a.dir {
        archive::check_overlap(d, &g.output)?;
    }
    let opts = archive::Options {
        allow_partial: a.allow_partial,
        force: a.force,
        clock: super::clock(),
    };
    // Nothing to publish: the output folder is left as it is (not created, not locked).
    let Some(mut todo) = jobs(a.dir.clone(), a.period, a.force, g)? else {
        return Ok(ExitCode::from(1));
    };
    if todo.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let archive = Archive::open(&g.output, &liaison::datasets::CATALOG)?;
    if let Some(p) = &archive.recovered {
        eprintln!("提示：上次 {p} 的发布被中断，已按记录完成。");
        // The publication it completed may be one of the months found unpublished above.
        todo = jobs(a.dir, a.period, a.force, g)?.unwrap_or_default();
    }
    if !archive.cleared.is_empty() {
        eprintln!(
            "提示：已清理上次中断的运行留下的 {} 个临时文件夹。",
            archive.cleared.len()
        );
    }
    let origin = super::config_origin(g)?;
    for w in liaison::report::charts::glyph_warnings(&g.config) {
        eprintln!("提示：{}", terminal(&w));
    }
    if !todo.is_empty() {
        let out = absolute(&g.output);
        let new = if g.output.join("history").is_dir() {
            ""
        } else {
            "（新建的档案：其中还没有以前月份的数据）"
        };
        println!("输出文件夹：{}{new}", terminal(&out.display().to_string()));
    }
    let bar = progress(todo.len());
    let mut refused = false;
    for (dir, period) in todo {
        bar.set_message(period.to_string());
        let done = pipeline::publish_month(
            &archive,
            &dir,
            period,
            &g.config,
            (&origin.0, &origin.1),
            &opts,
        )
        .with_context(|| format!("{period} 未发布，原有发布和历史数据均未改动"))?;
        for n in &done.month.notes {
            eprintln!("提示：{}", terminal(n));
        }
        refused |= !show(period, done.outcome, &done.month.checked.report, g);
        bar.inc(1);
    }
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The (folder, period) pairs to publish: the one asked for, or every period folder under
/// `<input>/` not yet published (all of them with `--force`), oldest first. None when there
/// is nothing to publish but returns lie where `report` cannot see them (said on stdout).
fn jobs(
    dir: Option<PathBuf>,
    period: Option<Period>,
    force: bool,
    g: &Globals,
) -> anyhow::Result<Option<Vec<(PathBuf, Period)>>> {
    if dir.is_some() || period.is_some() {
        return Ok(Some(vec![resolve(dir, period, g)?]));
    }
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
        .filter(|(_, p)| force || !g.output.join(p.to_string()).exists())
        .collect();
    v.sort_by_key(|(_, p)| *p);
    if v.is_empty() {
        let (stray, named) = stray_returns(&g.input, &g.config);
        if !stray.is_empty() {
            for line in &stray {
                println!("{}", terminal(line));
            }
            let example = named.map_or("2022-07".to_string(), |p| p.to_string());
            println!(
                "没有可发布的月份：报表要放在以月份命名的文件夹里，如 {}（文件夹名写成 年-月，如 {example}）。",
                terminal(&g.input.join(&example).display().to_string())
            );
            return Ok(None);
        }
        println!(
            "{} 下没有尚未发布的月份文件夹，无需发布。",
            terminal(&g.input.display().to_string())
        );
    }
    Ok(Some(v))
}

/// A progress bar on stderr, only when it is a terminal (indicatif hides it otherwise), and
/// only after a second, so quick runs print nothing extra.
fn progress(len: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} 发布 {msg} [{pos}/{len}] {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(1000));
    bar
}

/// Prints what publishing `period` did; false when it was refused.
fn show(period: Period, outcome: Outcome, report: &CheckReport, g: &Globals) -> bool {
    match outcome {
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
            let marked = if preliminary {
                "（初步，有报表未计入）"
            } else {
                ""
            };
            println!(
                "已发布 {period}{marked}：{}",
                terminal(&absolute(&dir).display().to_string())
            );
            if let Some(r) = replaced {
                println!(
                    "  原发布已改名保留为 {}",
                    terminal(&r.display().to_string())
                );
            }
            if preliminary {
                print!("{}", liaison::render::check_text(report, &g.config));
            }
            print_stale(period, &stale);
            true
        }
        Outcome::RefusedErrors => {
            print!("{}", liaison::render::check_text(report, &g.config));
            println!("{}", liaison::render::refusal(report, &g.config));
            false
        }
        Outcome::AlreadyPublished(d) => {
            println!(
                "{period} 已经发布在 {}：如需重新发布，请加 --force（原发布会改名保留）。",
                terminal(&d.display().to_string())
            );
            false
        }
    }
}

/// A path as an absolute one (as given when that cannot be worked out).
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Returns outside a month folder (loose in `input`, or in a folder not named 年-月), each
/// kind with what to do: the month folder the files themselves name (their 报送月份, title,
/// sheet or file name), or how to name one when they name none. Also the first month named.
fn stray_returns(input: &Path, config: &liaison::config::Config) -> (Vec<String>, Option<Period>) {
    let sheet = |p: &Path| {
        p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            ["xlsx", "xlsm", "xls", "ods", "et"].contains(&e.to_lowercase().as_str())
        })
    };
    let sheets_in = |dir: &Path| -> Vec<std::ffi::OsString> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|f| f.path().is_file() && sheet(&f.path()))
                    .map(|f| f.file_name())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let Ok(entries) = std::fs::read_dir(input) else {
        return (Vec::new(), None);
    };
    let mut folders = Vec::new();
    let mut first = None;
    let mut dirs: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| Period::parse_canonical(n).is_none())
        .collect();
    dirs.sort();
    for name in dirs {
        let dir = input.join(&name);
        let files = sheets_in(&dir);
        if files.is_empty() {
            continue;
        }
        let months = months_named(&dir, &files, config);
        first = first.or(months.first().copied());
        let rename = match months.as_slice() {
            [p] => format!("改名为 {p}（文件夹名写成 年-月）"),
            _ => "改名为 年-月，如 2022-07".to_string(),
        };
        folders.push(format!(
            "文件夹“{name}”里有 {} 份报表，但文件夹名不是月份：请{rename}",
            files.len()
        ));
    }
    let loose = sheets_in(input);
    let mut out = Vec::new();
    if !loose.is_empty() {
        let shown: Vec<String> = loose
            .iter()
            .take(3)
            .map(|f| f.to_string_lossy().into_owned())
            .collect();
        let months = months_named(input, &loose, config);
        first = months.first().copied().or(first);
        let to: Vec<String> = months
            .iter()
            .map(|p| input.join(p.to_string()).display().to_string())
            .collect();
        let what = match to.as_slice() {
            [] => "移到所报月份的文件夹里（文件夹名写成 年-月，如 2022-07）".to_string(),
            [one] => format!("移到该月的文件夹 {one} 里"),
            many => format!("按各自所报的月份分别移到 {} 里", many.join("、")),
        };
        out.push(format!(
            "{} 下直接放了 {} 份报表（{}{}）：请把它们{what}",
            input.display(),
            loose.len(),
            shown.join("、"),
            if loose.len() > 3 { " 等" } else { "" },
        ));
    }
    out.extend(folders);
    (out, first)
}

/// The months the files name themselves (read as `check` reads them), in order, each once.
fn months_named(
    dir: &Path,
    files: &[std::ffi::OsString],
    config: &liaison::config::Config,
) -> Vec<Period> {
    let mut months: Vec<Period> = files
        .iter()
        .filter_map(|f| {
            let read = liaison::forms::monthly::ingest_entry(dir, f, config);
            read.ret?.period?.value
        })
        .collect();
    months.sort();
    months.dedup();
    months
}

/// The later publications a republished month made stale, each with what to do.
pub(super) fn print_stale(period: Period, stale: &[liaison::archive::Stale]) {
    if stale.is_empty() {
        return;
    }
    let months: Vec<String> = stale.iter().map(|s| s.period.to_string()).collect();
    println!(
        "注意：{period} 的数据变了，以下较晚月份的发布是用变化之前的档案算出的，现在与它不一致（{}）：",
        months.join("、")
    );
    for s in stale {
        println!("  {}", terminal(&s.message()));
    }
    println!("  请从早到晚逐月重新发布；liaison archive verify 也会列出它们。");
}
