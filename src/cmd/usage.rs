//! The command line in Chinese: clap's help pages and usage errors rendered in the words a
//! clerk reads (用法、选项、参数), each usage error said by kind, with what to do.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// clap's English fixed texts in help pages and usage lines, and their Chinese.
const WORDS: [(&str, &str); 16] = [
    ("Usage: ", "用法："),
    ("Usage:", "用法："),
    ("Possible values:", "可选值："),
    ("Options:", "选项："),
    ("Commands:", "命令："),
    ("Arguments:", "参数："),
    (
        "Print this message or the help of the given subcommand(s)",
        "显示本帮助，或指定命令的帮助",
    ),
    ("Print help (see more with '--help')", "显示帮助"),
    ("Print help (see a summary with '-h')", "显示帮助"),
    ("Print help", "显示帮助"),
    ("Print version", "显示版本"),
    ("[default: ", "[默认："),
    ("[possible values: ", "[可选："),
    ("[OPTIONS]", "[选项]"),
    ("<COMMAND>", "<命令>"),
    ("[COMMAND]", "[命令]"),
];

/// A help page or usage text with clap's fixed words in Chinese.
pub fn chinese(text: &str) -> String {
    WORDS
        .iter()
        .fold(text.to_string(), |t, (en, zh)| t.replace(en, zh))
}

/// What to print for a command line clap refused or answered itself (help, version), and
/// whether it is a usage error (exit 2) rather than an answer (exit 0).
pub fn render(e: &clap::Error) -> (String, bool) {
    let kind = e.kind();
    match kind {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return (chinese(&e.render().to_string()), false);
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            return (
                format!(
                    "错误：请指定要做的事（命令）。\n\n{}",
                    chinese(&e.render().to_string())
                ),
                true,
            );
        }
        _ => {}
    }
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let mut msg = match kind {
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue);
            let mut m = format!("{arg} 的值“{value}”不对");
            if !valid.is_empty() {
                m.push_str(&format!("，可以写：{valid}"));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string());
            match why {
                Some(w) => format!("{arg} 的值“{value}”不对：{w}"),
                None => format!("{arg} 的值“{value}”不对"),
            }
        }
        ErrorKind::UnknownArgument
            if ["--config", "--input", "--output"]
                .iter()
                .any(|o| arg.split('=').next() == Some(o)) =>
        {
            format!("这个命令用不到“{arg}”（它用的选项见下面的用法和 --help）")
        }
        ErrorKind::UnknownArgument => format!("不认识的选项“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            format!("不认识的命令“{}”", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必填的选项或参数：{arg}"),
        ErrorKind::ArgumentConflict => {
            format!("{arg} 不能与 {} 同时使用", ctx(ContextKind::PriorArg))
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用等号写出，如 {arg}=值"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{arg} 的值个数不对")
        }
        _ if !arg.is_empty() => format!("选项 {arg} 用得不对"),
        _ => "命令行写得不对".to_string(),
    };
    for k in [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ] {
        let s = ctx(k);
        if !s.is_empty() {
            msg.push_str(&format!("；是不是要写“{s}”？"));
        }
    }
    let trailing = ctx(ContextKind::TrailingArg);
    if !trailing.is_empty() {
        msg.push_str(&format!(
            "（如果“{trailing}”是值而不是选项，请写成 -- {trailing}）"
        ));
    }
    let usage = ctx(ContextKind::Usage);
    if !msg.ends_with(['？', '）']) {
        msg.push('。');
    }
    let mut out = format!("错误：{msg}\n");
    if !usage.is_empty() {
        out.push('\n');
        out.push_str(chinese(usage.trim()).trim_end());
        out.push('\n');
    }
    out.push_str("\n查看说明：liaison --help，或 liaison 命令 --help\n");
    (out, true)
}
