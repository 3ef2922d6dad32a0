//! `liaison config show`: prints the configuration in force, ready to copy and edit;
//! `liaison config learn`: writes a copy with station registers learnt from a month's returns.

use std::process::ExitCode;

use std::path::Path;

use clap::Subcommand;

use super::Globals;

/// `config` subcommands.
#[derive(Subcommand, Debug)]
pub enum ConfigCmd {
    /// 显示当前使用的配置（TOML），可复制修改后用 --config 指定
    Show(ShowArgs),
    /// 从某月通过审核的报表学得各镇街的工作站名册，写出一份配置供核对、采用
    Learn(LearnArgs),
}

/// Arguments of `config show`.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub config: super::ConfigOpt,
}

/// Arguments of `config learn`.
#[derive(clap::Args, Debug)]
pub struct LearnArgs {
    /// 报表文件夹，如 input/2022-05；不写时为 input 下该月的文件夹
    #[arg(value_name = "文件夹")]
    pub dir: Option<std::path::PathBuf>,
    /// 月份，如 2022-05、2022.5 或 2022年5月；不写时取文件夹名
    #[arg(long, value_name = "月份", value_parser = super::template::parse_period)]
    pub period: Option<liaison::core::text::Period>,
    /// 写出的配置文件（不能是已有的文件）
    #[arg(long, value_name = "文件")]
    pub out: std::path::PathBuf,
    #[command(flatten)]
    pub config: super::ConfigOpt,
    #[command(flatten)]
    pub input: super::InputOpt,
}

/// Prints the config: the file as written (comments kept), or the embedded default.
pub fn run(cmd: ConfigCmd, g: &Globals) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCmd::Show(_) => {
            let text = match &g.config_path {
                Some(p) => liaison::config::Config::read_text(p)?,
                None => liaison::config::DEFAULT_TOML.to_string(),
            };
            print!("{}", liaison::render::terminal_lines(&text));
            let l = &g.config.limits;
            if !text.contains("[limits]") {
                println!(
                    "\n# 读取上限（上面没有设置时的默认值）\n[limits]\nmax_file_bytes = {}\nmax_decompressed_bytes = {}\nmax_entries = {}\nmax_sheets = {}\nmax_rows = {}\nmax_cells = {}",
                    l.max_file_bytes,
                    l.max_decompressed_bytes,
                    l.max_entries,
                    l.max_sheets,
                    l.max_rows,
                    l.max_cells
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ConfigCmd::Learn(a) => learn(a, g),
    }
}

/// Checks the month's returns and writes the config in force with the register of every unit
/// whose return was accepted; units without one keep what they had (said on the terminal).
fn learn(a: LearnArgs, g: &Globals) -> anyhow::Result<ExitCode> {
    use anyhow::{Context, bail};
    use liaison::render::terminal;
    if a.out.exists() {
        bail!(
            "{} 已经存在：请换一个文件名，或先把原文件移走（不会覆盖已有的配置）",
            a.out.display()
        );
    }
    let (dir, period) = super::check::resolve(a.dir, a.period, g)?;
    let previous = liaison::forms::Priors::default();
    let checked = liaison::check::check_dir(
        &dir,
        period,
        &g.config,
        &previous,
        liaison::check::Keep::Figures,
    )
    .context("读取报表失败")?;
    let mut learnt = std::collections::BTreeMap::new();
    for r in &checked.counted {
        let Some(unit) = r.unit_id() else { continue };
        let names: Vec<String> = r.stations.iter().map(|s| s.name.clone()).collect();
        learnt.insert(unit.to_string(), liaison::config::learn::register(&names));
    }
    let text = match &g.config_path {
        Some(p) => liaison::config::Config::read_text(p)?,
        None => liaison::config::DEFAULT_TOML.to_string(),
    };
    let out = learnt_file(
        &liaison::config::learn::with_registers(&text, &g.config, &learnt),
        g,
        period,
        &dir,
    );
    liaison::core::write::atomic(&a.out, out.as_bytes())
        .with_context(|| format!("无法写入 {}", a.out.display()))?;
    let total: usize = learnt.values().map(Vec::len).sum();
    println!(
        "已写出 {}：{} 个单位的工作站名册（共 {total} 个工作站）取自 {period} 通过审核的报表。",
        terminal(&a.out.display().to_string()),
        learnt.len()
    );
    let others: Vec<&str> = g
        .config
        .units
        .iter()
        .filter(|u| !learnt.contains_key(&u.id))
        .map(|u| u.name.as_str())
        .collect();
    if !others.is_empty() {
        println!(
            "以下单位本月没有通过审核的报表，名册保持原样：{}",
            terminal(&others.join("、"))
        );
    }
    if let Some(n) = g.config.region.stations.filter(|&n| n != total as u64) {
        println!(
            "注意：学得的工作站共 {total} 个，配置中{}共 {n} 个，请核对。",
            g.config.region.scope
        );
    }
    println!(
        "请核对名册后使用：liaison --config {} …",
        terminal(&a.out.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}

/// The learnt config's text under a header saying what it is: where its registers come from
/// and what to do with it. The embedded default's own opening comment (what the default is)
/// does not describe a learnt file and is left out; a config file's own comments are kept.
fn learnt_file(text: &str, g: &Globals, period: liaison::core::text::Period, dir: &Path) -> String {
    let base = match &g.config_path {
        Some(p) => format!("配置文件 {}", p.display()),
        None => format!("内置的{}配置", g.config.region.name),
    };
    let body = match g.config_path {
        Some(_) => text,
        None => {
            let opening: usize = text
                .split_inclusive('\n')
                .take_while(|l| l.starts_with('#'))
                .map(str::len)
                .sum();
            &text[opening..]
        }
    };
    format!(
        "# {}代表联系群众工作站进站活动月报配置（含各镇街工作站名册）\n\
         # 名册由 liaison config learn 取自 {}年{}月通过审核的报表（{}），写在{base}上。\n\
         # 请核对各镇街 [[units]] 下的 stations（工作站名册），无误后用 liaison --config 本文件名 … 使用。\n{body}",
        g.config.region.name,
        period.year(),
        period.month(),
        dir.display()
    )
}
