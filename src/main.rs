//! `liaison`: parses arguments and dispatches to one module per subcommand.
//! Errors are rendered here, once, in Chinese; exit codes 0 done, 1 refused, 2 usage.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cmd::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            // In Chinese; a usage error quotes the arguments given: escaped like every other.
            let (text, usage_error) = cmd::usage::render(&e);
            let text = liaison::render::terminal_lines(&text);
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
            let text = liaison::render::os_errors_in_chinese(&text);
            eprintln!("错误:{}", liaison::render::terminal_lines(&text));
            ExitCode::from(2)
        }
    }
}
