//! `liaison config show`: prints the configuration in force, ready to copy and edit.

use std::process::ExitCode;

use clap::Subcommand;

use super::Globals;

/// `config` subcommands.
#[derive(Subcommand, Debug)]
pub enum ConfigCmd {
    /// 显示当前使用的配置(TOML)/ print the config in force
    Show,
}

/// Prints the config: the file as written (comments kept), or the embedded default.
pub fn run(cmd: ConfigCmd, g: &Globals) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCmd::Show => {
            let text = match &g.config_path {
                Some(p) => liaison::config::Config::read_text(p)?,
                None => liaison::config::DEFAULT_TOML.to_string(),
            };
            print!("{}", liaison::render::terminal_lines(&text));
            let l = &g.config.limits;
            if !text.contains("[limits]") {
                println!(
                    "\n# 读取上限(未在上面设置时的默认值)/ reading limits in force\n[limits]\nmax_file_bytes = {}\nmax_decompressed_bytes = {}\nmax_entries = {}\nmax_sheets = {}\nmax_rows = {}\nmax_cells = {}",
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
    }
}
