//! `liaison`: parses arguments and dispatches to one module per subcommand.
//! Errors are rendered here, once, in Chinese; exit codes 0 done, 1 refused, 2 usage.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cmd::Cli::try_parse() {
        Ok(a) => a,
        Err(e) if e.use_stderr() => {
            // A usage error quotes the arguments given: escaped like every other error.
            let text = e.render().to_string();
            eprint!("{}", liaison::render::terminal_lines(&text));
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match cmd::run(args) {
        Ok(code) => code,
        Err(e) => {
            // The one place errors are rendered: paths and config text in them are escaped.
            eprintln!(
                "错误:{}",
                liaison::render::terminal_lines(&format!("{e:#}"))
            );
            ExitCode::from(2)
        }
    }
}
