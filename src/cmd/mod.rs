//! Command-line surface: global options and one module per subcommand.

pub mod archive;
pub mod check;
pub mod config;
pub mod ledger;
pub mod render;
pub mod report;
pub mod template;
pub mod usage;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use liaison::config::Config;

/// 人大代表联系群众工作站进站活动月报:读取、审核、汇总各镇街报表。
#[derive(Parser, Debug)]
#[command(name = "liaison", version, about, long_about = None)]
pub struct Cli {
    /// 配置文件(TOML);不指定时使用内置的长沙县配置 / config file (default: embedded 长沙县)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 报表所在的文件夹 / folder of period folders
    #[arg(long, global = true, value_name = "DIR", default_value = "input")]
    pub input: PathBuf,
    /// 输出文件夹 / output folder
    #[arg(long, global = true, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// 配置 / configuration
    #[command(subcommand)]
    Config(config::ConfigCmd),
    /// 生成各单位的报表模板 / write one return template per unit
    Template(template::Args),
    /// 读取并审核一个月的报表 / read and check the returns of one month
    Check(check::Args),
    /// 审核并发布一个月(汇总表、图表、简报、归档)/ check, then publish a month
    Report(report::Args),
    /// 查询意见建议办理台账 / the suggestions ledger as of a publication
    Ledger(ledger::Args),
    /// 档案核对与修复 / verify and repair the archive
    #[command(subcommand)]
    Archive(archive::ArchiveCmd),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = match &cli.config {
        None => Config::embedded(),
        Some(p) => Config::load(p).context("请检查 --config 指定的文件")?,
    };
    let globals = Globals {
        config,
        input: cli.input,
        output: cli.output,
        config_path: cli.config,
    };
    match cli.command {
        Command::Config(c) => config::run(c, &globals),
        Command::Template(a) => template::run(a, &globals),
        Command::Check(a) => check::run(a, &globals),
        Command::Report(a) => report::run(a, &globals),
        Command::Ledger(a) => ledger::run(a, &globals),
        Command::Archive(c) => archive::run(c, &globals),
    }
}

/// Options every subcommand sees.
pub struct Globals {
    /// The configuration in force.
    pub config: Config,
    /// `--config`, if given.
    pub config_path: Option<PathBuf>,
    /// `--input`.
    pub input: PathBuf,
    /// `--output`.
    pub output: PathBuf,
}

/// Where the config in force came from, and its text (hashed into manifests).
pub fn config_origin(g: &Globals) -> anyhow::Result<(String, String)> {
    Ok(match &g.config_path {
        Some(p) => (
            p.display().to_string(),
            liaison::config::Config::read_text(p)?,
        ),
        None => (
            "(内置长沙县配置)".to_string(),
            liaison::config::DEFAULT_TOML.to_string(),
        ),
    })
}
