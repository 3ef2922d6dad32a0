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
        Err(e) => {
            // In Chinese; a usage error quotes the arguments given: escaped like every other.
            let (text, usage_error) = cmd::usage::render(&e);
            let text = crate::cmd::render::terminal_lines(&text);
            if usage_error {
                eprint!("{text}");
                return ExitCode::from(2);
            }
            print!("{text}");
            return ExitCode::SUCCESS;
        }
    };
    match cmd::run(args) {
        Ok(code) => code,
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // The one place errors are rendered: paths and config text in them are escaped.
            // Each cause once: an error whose text already quotes its source does not repeat it.
            let mut text = String::new();
            for cause in e.chain().map(|c| c.to_string()) {
                if !text.contains(&cause) {
                    text.push_str(if text.is_empty() { "" } else { ": " });
                    text.push_str(&cause);
                }
            }
            let text = crate::cmd::render::os_errors_in_chinese(&text);
            eprintln!("错误:{}", crate::cmd::render::terminal_lines(&text));
            ExitCode::from(2)
        }
    }
}
