//! `liaison check [DIR] [--period YYYY-MM] [--format text|json]`: read and check one month.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::Globals;
use super::template::parse_period;
use liaison::core::text::Period;

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
    /// 同时写出退回修改表和退回通知（输出文件夹的 退回/<月份>/ 中）
    #[arg(long)]
    pub mark: bool,
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
    if a.mark {
        // The marked returns must never land among the returns they mark.
        liaison::archive::check_overlap(&dir, &g.output)?;
    }
    let keep = liaison::check::Keep::Totals;
    let month = liaison::app::pipeline::check_month(&dir, period, &g.config, &g.output, keep)
        .context("读取报表失败")?;
    for n in liaison::app::pipeline::no_archive_note(&g.output)
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
    if let Some(code) = write_after(&report, &dir, a.mark, g)? {
        return Ok(code);
    }
    Ok(if !report.complete() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What a check writes into the output folder, under the archive's lock: the versions it
/// read into the receipt log and, with `--mark`, the marked returns. A publish holding the
/// lock: nothing is written, said on stderr; with `--mark` that ends the run with exit 2.
fn write_after(
    report: &liaison::check::CheckReport,
    dir: &std::path::Path,
    mark: bool,
    g: &Globals,
) -> anyhow::Result<Option<ExitCode>> {
    let say = |s: String| eprintln!("{}", liaison::render::terminal(&s));
    if !mark && liaison::archive::check_overlap(dir, &g.output).is_err() {
        say("收文登记：输出文件夹在报表文件夹里面，本次读到的报表没有登记（请用 --output 指定别处）".into());
        return Ok(None);
    }
    let archive = match liaison::archive::Archive::open(&g.output, &liaison::datasets::CATALOG) {
        Ok(a) => a,
        Err(liaison::archive::ArchiveError::Busy { output }) => {
            say(format!(
                "另一个发布正在进行（输出文件夹 {output} 已被占用）：本次读到的报表没有登记到收文登记簿{}，请等发布结束后再运行 liaison check{}",
                if mark {
                    "，退回修改表也没有写出"
                } else {
                    ""
                },
                if mark {
                    " --mark；本次没有改动任何文件"
                } else {
                    ""
                },
            ));
            return Ok(mark.then_some(ExitCode::from(2)));
        }
        Err(e) if !mark => {
            say(format!("收文登记：没有写出（{e}）"));
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let clock = super::clock();
    let versions = liaison::receipts::versions(report, &clock);
    match liaison::receipts::store::record(archive.output(), report.period, versions) {
        Ok(0) => {}
        Ok(n) => say(format!("收文登记：新登记 {n} 个版本")),
        Err(e) => say(format!(
            "收文登记：没有写出（{e}），收到的版本下次 check 或 report 时再登记"
        )),
    }
    if mark {
        let w = liaison::marks::write(&archive, report, &g.config)?;
        say(marked_text(&w));
    }
    Ok(None)
}

/// What `--mark` wrote, in one line.
fn marked_text(w: &liaison::marks::Written) -> String {
    let dir = w.dir.display();
    if w.workbooks == 0 && w.missing == 0 {
        return format!("退回修改：没有需要退回的报表，退回通知已写到 {dir}");
    }
    format!(
        "退回修改：已在 {dir} 写出退回修改表 {} 份（需改正 {} 份，请核对 {} 份）和退回通知（退回通知.md、退回通知.docx），催报 {} 个单位",
        w.workbooks,
        w.to_correct,
        w.workbooks - w.to_correct,
        w.missing
    )
}
