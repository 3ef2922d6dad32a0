//! Command-line surface: the commands, each listing only the options it uses (`--config`,
//! `--input`, `--output` also accepted before the command, as SPEC §7's global options).

pub mod archive;
pub mod check;
pub mod config;
pub mod ledger;
pub mod report;
pub mod rollup;
pub mod summary;
pub mod template;
pub mod usage;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use liaison::config::Config;

/// 人大代表联系群众工作站进站活动月报：读取、审核、汇总各镇街报表。
#[derive(Parser, Debug)]
#[command(name = "liaison", version, about, long_about = None)]
pub struct Cli {
    // Written before the command: accepted for every command, as SPEC §7 has them global.
    #[command(flatten)]
    pub files: Files,
    #[command(subcommand)]
    pub command: Command,
}

/// `--config`: the config file.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct ConfigOpt {
    /// 配置文件（TOML）；不写时用内置的长沙县配置
    #[arg(long, value_name = "文件")]
    pub config: Option<PathBuf>,
}

/// `--input`: the folder of month folders.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct InputOpt {
    /// 各月报表文件夹所在的文件夹，如 input（其中 input/2022-07 放 7 月的报表）；不写时为 input
    #[arg(long, value_name = "文件夹")]
    pub input: Option<PathBuf>,
}

/// `--output`: the output folder (the archive).
#[derive(clap::Args, Debug, Default, Clone)]
pub struct OutputOpt {
    /// 输出文件夹（发布、档案所在）；不写时为 output
    #[arg(long, value_name = "文件夹")]
    pub output: Option<PathBuf>,
}

/// The three file options, as written before the command.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct Files {
    #[command(flatten)]
    pub config: ConfigOpt,
    #[command(flatten)]
    pub input: InputOpt,
    #[command(flatten)]
    pub output: OutputOpt,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// 显示配置，或从报表学得工作站名册
    #[command(subcommand)]
    Config(config::ConfigCmd),
    /// 生成各镇街的报表模板
    Template(template::Args),
    /// 读取并审核一个月的报表
    Check(check::Args),
    /// 审核并发布一个月：汇总表、图表、简报、档案
    Report(report::Args),
    /// 查询意见建议办理台账
    Ledger(ledger::Args),
    /// 季度、半年、全年汇总（读取已发布的月份）
    Summary(summary::Args),
    /// 核对与修复档案
    #[command(subcommand)]
    Archive(archive::ArchiveCmd),
    /// 汇总各县市区上报的数据包并发布（用汇总配置）
    Rollup(rollup::Args),
}

impl Command {
    /// The file options written after the command (those it takes).
    fn files(&self) -> Files {
        let mut f = Files::default();
        match self {
            Command::Config(config::ConfigCmd::Show(a)) => f.config = a.config.clone(),
            Command::Config(config::ConfigCmd::Learn(a)) => {
                f.config = a.config.clone();
                f.input = a.input.clone();
            }
            Command::Template(a) => {
                f.config = a.config.clone();
                f.output = a.output.clone();
            }
            Command::Check(a) => f = a.files.clone(),
            Command::Report(a) => f = a.files.clone(),
            Command::Rollup(a) => f = a.files.clone(),
            Command::Archive(archive::ArchiveCmd::Export(a)) => {
                f.config = a.config.clone();
                f.output = a.output.clone();
            }
            Command::Ledger(a) => {
                f.config = a.config.clone();
                f.output = a.output.clone();
            }
            Command::Summary(a) => {
                f.config = a.config.clone();
                f.output = a.output.clone();
            }
            Command::Archive(archive::ArchiveCmd::Verify(a)) => f.output = a.output.clone(),
            Command::Archive(archive::ArchiveCmd::Rebuild(a)) => {
                f.config.config = a.config.clone();
                f.output = a.output.clone();
            }
        }
        f
    }
}

/// One option given both before and after the command: a usage problem, not a guess.
fn either<T>(name: &str, before: Option<T>, after: Option<T>) -> anyhow::Result<Option<T>> {
    match (before, after) {
        (Some(_), Some(_)) => {
            bail!("{name} 写了两次（命令前面一次，后面一次）：请只写一次，写在命令前面或后面都可以")
        }
        (b, a) => Ok(a.or(b)),
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let after = cli.command.files();
    let config_path = either("--config", cli.files.config.config, after.config.config)?;
    let input = either("--input", cli.files.input.input, after.input.input)?;
    let output = either("--output", cli.files.output.output, after.output.output)?;
    let config = match &config_path {
        None => Config::embedded(),
        Some(p) => Config::load(p).context("请检查 --config 指定的文件")?,
    };
    kind_fits(&cli.command, &config, config_path.as_deref())?;
    let globals = Globals {
        config,
        input: input.unwrap_or_else(|| PathBuf::from("input")),
        output: output.unwrap_or_else(|| PathBuf::from("output")),
        config_path,
    };
    match cli.command {
        Command::Config(c) => config::run(c, &globals),
        Command::Template(a) => template::run(a, &globals),
        Command::Check(a) => check::run(a, &globals),
        Command::Report(a) => report::run(a, &globals),
        Command::Ledger(a) => ledger::run(a, &globals),
        Command::Summary(a) => summary::run(a, &globals),
        Command::Archive(c) => archive::run(c, &globals),
        Command::Rollup(a) => rollup::run(a, &globals),
    }
}

/// Refuses a roll-up config (`kind = "rollup"`) where returns are read, and a returns config
/// where bundles are compiled: each says which command fits.
fn kind_fits(
    command: &Command,
    config: &Config,
    path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let reads_returns = matches!(
        command,
        Command::Template(_)
            | Command::Check(_)
            | Command::Report(_)
            | Command::Ledger(_)
            | Command::Config(config::ConfigCmd::Learn(_))
    );
    if reads_returns && config.is_rollup() {
        anyhow::bail!(
            "配置 {} 是汇总配置（kind = \"rollup\"，单位是各县市区）：它不读镇街报表，请用 liaison rollup 汇总各县市区上报的数据包；审核、发布镇街报表请用县区自己的配置",
            path.map_or_else(String::new, |p| p.display().to_string())
        );
    }
    if matches!(command, Command::Rollup(_)) && !config.is_rollup() {
        anyhow::bail!(
            "liaison rollup 需要汇总配置（kind = \"rollup\"，单位是各县市区）：请用 --config 指定，例如 --config config/changsha-city.toml；县区自己的数据用 liaison report 发布"
        );
    }
    Ok(())
}

/// The file options in force, and the config they name.
pub struct Globals {
    /// The configuration in force.
    pub config: Config,
    /// `--config`, if given.
    pub config_path: Option<PathBuf>,
    /// `--input` (default `input`).
    pub input: PathBuf,
    /// `--output` (default `output`).
    pub output: PathBuf,
}

/// The clock of the receipt log: the system's, or the moment in `LIAISON_NOW` (ISO 8601 with
/// the offset; for tests and reproducible runs).
pub fn clock() -> liaison::receipts::Clock {
    match std::env::var("LIAISON_NOW") {
        Ok(t) if !t.trim().is_empty() => liaison::receipts::Clock::Fixed(t.trim().to_string()),
        _ => liaison::receipts::Clock::System,
    }
}

/// Where the config in force came from, and its text (hashed into manifests).
pub fn config_origin(g: &Globals) -> anyhow::Result<(String, String)> {
    Ok(match &g.config_path {
        Some(p) => (
            p.display().to_string(),
            liaison::config::Config::read_text(p)?,
        ),
        None => (
            "（内置长沙县配置）".to_string(),
            liaison::config::DEFAULT_TOML.to_string(),
        ),
    })
}
