//! Renders a check for people: the Chinese table a clerk reads, and the JSON document.
//! Returns strings; printing is the binary's job.

use std::borrow::Cow;
use std::collections::BTreeMap;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::check::{CheckReport, Status};
use crate::config::Config;
use crate::core::findings::{Code, Severity};

/// The JSON document of `check --format json`, pretty-printed straight into `w` (no copy of a large
/// folder's document in memory).
pub fn write_check_json(mut w: impl std::io::Write, report: &CheckReport) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, report)?;
    writeln!(w)?;
    w.flush()
}

/// Text safe to print on a terminal: every control character (ESC, CR, line break …) and
/// every bidirectional override is shown escaped (`\x1b`), so text from a return, a file
/// name or a config can neither move the cursor, clear the screen nor fake a line.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape(s, &[])
}

/// As `terminal`, keeping line breaks and tabs: for a multi-line text printed whole (a
/// config file, an error with its context).
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    escape(s, &['\n', '\t'])
}

fn escape<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    let unsafe_char = |c: char| {
        !keep.contains(&c)
            && (c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// The operating system's English error texts ("No such file or directory (os error 2)") said
/// in Chinese, by kind, with the error number kept for whoever looks further.
///
/// ```
/// let t = liaison::render::os_errors_in_chinese("无法读取 a.xlsx：No such file or directory (os error 2)");
/// assert_eq!(t, "无法读取 a.xlsx：文件或文件夹不存在（系统错误 2）");
/// ```
pub fn os_errors_in_chinese(text: &str) -> String {
    use std::io::ErrorKind as K;
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"[A-Za-z][A-Za-z ,'’-]*? \(os error (\d+)\)").expect("valid regex")
    });
    re.replace_all(text, |c: &regex::Captures| {
        let n: i32 = c[1].parse().unwrap_or(0);
        let what = match std::io::Error::from_raw_os_error(n).kind() {
            K::NotFound => "文件或文件夹不存在",
            K::PermissionDenied => "没有权限（请检查文件是否被占用或只读）",
            K::AlreadyExists => "已经存在",
            K::IsADirectory => "这是文件夹，不是文件",
            K::NotADirectory => "路径中有一项是文件，不是文件夹",
            K::DirectoryNotEmpty => "文件夹不是空的",
            K::StorageFull => "磁盘已满",
            K::ReadOnlyFilesystem => "磁盘或文件夹是只读的",
            K::InvalidFilename => "文件名太长或含有不允许的字符",
            K::ResourceBusy => "文件正被占用",
            _ => return c[0].to_string(),
        };
        format!("{what}（系统错误 {n}）")
    })
    .into_owned()
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Ok => "通过",
        Status::Error => "退回",
        Status::Ignored => "已跳过",
    }
}

/// The text report: a summary line, one row per file, then every finding with what to do.
/// Every text that comes from a return, a file name or the config is escaped (`terminal`).
pub fn check_text(report: &CheckReport, config: &Config) -> String {
    let unit_name = |id: &Option<String>| {
        id.as_deref()
            .map(|u| config.unit(u).map_or(u.to_string(), |x| x.name.clone()))
            .map_or_else(|| "—".into(), |n| terminal(&n).into_owned())
    };
    let count = |s: Status| report.files.iter().filter(|f| f.status == s).count();
    // A roll-up checks the bundles of its counties, not returns.
    let (what, check) = if config.is_rollup() {
        ("数据包", "核对")
    } else {
        ("报表", "检查")
    };
    let mut out = format!(
        "{} 年 {} 月{what}{check}：共 {} 个文件，通过 {} 份，退回 {} 份，跳过 {} 个；未报送单位 {} 个\n",
        report.period.year(),
        report.period.month(),
        report.files.len(),
        count(Status::Ok),
        count(Status::Error),
        count(Status::Ignored),
        report.missing_units.len()
    );
    out.push_str(&files_table(report, &unit_name));
    out.push('\n');
    if !report.missing_units.is_empty() {
        let names: Vec<String> = report
            .missing_units
            .iter()
            .map(|u| unit_name(&Some(u.clone())))
            .collect();
        out.push_str(&format!("未报送：{}\n", names.join("、")));
    }
    out.push_str(&findings_blocks(report, &unit_name));
    out.push_str(&outlier_block(report, &unit_name));
    for n in &report.notes {
        out.push_str(&format!("说明：{}\n", terminal(n)));
    }
    out.push_str(&conclusion(report, config));
    out
}

/// The names of the units with no return, 、-separated.
fn missing_names(report: &CheckReport, config: &Config) -> String {
    let names: Vec<String> = report
        .missing_units
        .iter()
        .map(|u| config.unit(u).map_or(u.clone(), |x| x.name.clone()))
        .map(|n| terminal(&n).into_owned())
        .collect();
    names.join("、")
}

/// The last line of the check: errors, or a unit missing (a final figure never lacks a unit:
/// `report` refuses it as it refuses errors), or ready.
fn conclusion(report: &CheckReport, config: &Config) -> String {
    let what = if config.is_rollup() {
        "数据包"
    } else {
        "报表"
    };
    if report.has_errors() {
        return format!("结论：有强制性问题，相关{what}不计入汇总，请通知报送单位改正。\n");
    }
    if !report.missing_units.is_empty() {
        return format!(
            "结论：没有强制性问题，但{}共 {} 个单位未报送报表，汇总会缺少这些单位，还不能发布正式结果：请催报；确需先发布时，用 liaison report --allow-partial 发布初步结果（注明未计入的单位）。\n",
            missing_names(report, config),
            report.missing_units.len()
        );
    }
    format!("结论：全部{what}通过强制性审核，可以汇总。\n")
}

/// Why `report` did not publish a month: errors, or units with no return.
pub fn refusal(report: &CheckReport, config: &Config) -> String {
    let p = report.period;
    if report.has_errors() {
        return format!(
            "{p} 有强制性问题，未发布：请改正后重试，或用 --allow-partial 发布初步结果。"
        );
    }
    format!(
        "{p} 有 {} 个单位未报送报表（{}），未发布：{}汇总不能缺少单位。请催报后重试，或用 --allow-partial 发布初步结果（注明未计入的单位）。",
        report.missing_units.len(),
        missing_names(report, config),
        terminal(&config.region.scope)
    )
}

/// A file's name (not its folder), safe for the terminal.
fn file_name(p: &str) -> String {
    let name = std::path::Path::new(p)
        .file_name()
        .map_or(p.into(), |n| n.to_string_lossy());
    terminal(&name).into_owned()
}

/// One line per file: unit, stations, status and its count of findings of each severity.
fn files_table(report: &CheckReport, unit_name: &dyn Fn(&Option<String>) -> String) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(vec![
        "文件",
        "单位",
        "工作站数",
        "状态",
        "强制性问题",
        "提示性问题",
    ]);
    // Findings counted per file and severity in one pass (a folder may hold thousands).
    let mut counts: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for d in &report.diagnostics {
        if let Some(f) = d.file.as_deref() {
            *counts.entry((f, d.severity)).or_default() += 1;
        }
    }
    for f in &report.files {
        let mine = |sev| counts.get(&(f.path.as_str(), sev)).copied().unwrap_or(0);
        t.add_row(vec![
            file_name(&f.path),
            unit_name(&f.unit),
            f.stations.map_or("—".into(), |n| n.to_string()),
            status_label(f.status).to_string(),
            mine(Severity::Error).to_string(),
            mine(Severity::Warning).to_string(),
        ]);
    }
    t.to_string()
}

/// Errors first, then warnings (outliers apart): errors are never buried.
fn findings_blocks(report: &CheckReport, unit_name: &dyn Fn(&Option<String>) -> String) -> String {
    let line = |d: &crate::core::findings::Finding| {
        let file = d.file.as_deref().map(file_name);
        let sheet = d.sheet.as_deref().map(terminal);
        let place = match (&file, &sheet, &d.cell) {
            (Some(f), Some(s), Some(c)) if !d.message.contains(c.as_str()) => {
                format!("{f} [{s}] {}", terminal(c))
            }
            (Some(f), Some(s), _) => format!("{f} [{s}]"),
            (Some(f), _, _) => f.clone(),
            _ => unit_name(&d.unit),
        };
        // A message that opens with the place it is about ("福临镇没有报送…") is not
        // prefixed with it again.
        let place = if d.message.starts_with(place.as_str()) {
            String::new()
        } else {
            format!("{place}：")
        };
        format!(
            "  [{}] {place}{}（{}）\n",
            d.severity.label(),
            terminal(&d.message),
            d.code.as_str()
        )
    };
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_warning() && d.code != Code::Outlier)
        .collect();
    let notes: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Note)
        .collect();
    let mut out = String::new();
    if !errors.is_empty() {
        out.push_str(&format!(
            "\n强制性问题 {} 个（须改正后重新报送，否则该报表不计入汇总）：\n",
            errors.len()
        ));
        errors.iter().for_each(|d| out.push_str(&line(d)));
    }
    if !warnings.is_empty() {
        out.push_str(&format!(
            "\n提示性问题 {} 个（请核对，报表照常计入）：\n",
            warnings.len()
        ));
        warnings.iter().for_each(|d| out.push_str(&line(d)));
    }
    if !notes.is_empty() {
        out.push_str(&format!(
            "\n读取说明 {} 条（报表的写法与模板不同，已按说明读取，不需处理）：\n",
            notes.len()
        ));
        notes.iter().for_each(|d| out.push_str(&line(d)));
    }
    out
}

/// The outlier warnings as one block: the method once, then one line per unit.
fn outlier_block(report: &CheckReport, unit_name: &dyn Fn(&Option<String>) -> String) -> String {
    let mut by_unit: Vec<(&Option<String>, Vec<String>)> = Vec::new();
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Outlier)
    {
        let text = terminal(d.brief.as_deref().unwrap_or(&d.message)).into_owned();
        match by_unit.iter_mut().find(|(u, _)| *u == &d.unit) {
            Some((_, v)) => v.push(text),
            None => by_unit.push((&d.unit, vec![text])),
        }
    }
    if by_unit.is_empty() {
        return String::new();
    }
    let n: usize = by_unit.iter().map(|(_, v)| v.len()).sum();
    let mut out = format!(
        "\n提示性问题：{} 个数字与往月差别很大（{} 个单位，请核对是否填错；outlier）。判断方法：{}。\n",
        n,
        by_unit.len(),
        crate::check::outlier_method()
    );
    for (u, v) in by_unit {
        out.push_str(&format!("  {}：{}\n", unit_name(u), v.join("；")));
    }
    out
}
