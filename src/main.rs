//! `liaison`: parses arguments and dispatches to one module per subcommand.
//! Errors are rendered here, once, in Chinese; exit codes 0 done, 1 refused, 2 usage.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

/// Whether an error comes from writing to a pipe whose reader has gone (`… | head`).
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    // Like ripgrep: a closed pipe ends the program quietly with 0, whether the write that met
    // it returned an error or was a `print!` (which panics on it).
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.contains("Broken pipe") || text.contains("os error 32") {
            std::process::exit(0);
        }
        default_hook(info);
    }));
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
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
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
