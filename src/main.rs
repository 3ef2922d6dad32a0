//! `liaison`: parses arguments and dispatches to one module per subcommand.
//! Errors are rendered here, once, in Chinese; exit codes 0 done, 1 refused, 2 usage.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cmd::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cmd::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误:{e:#}");
            ExitCode::from(2)
        }
    }
}
