//! Renders a check for people: the Chinese table a clerk reads, and the §4 JSON document.
//! Returns strings; printing is the binary's job.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::check::{CheckReport, Status};
use crate::config::Config;
use crate::findings::Severity;

/// The JSON document of SPEC §4, pretty-printed.
pub fn check_json(report: &CheckReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default() + "\n"
}

/// The JSON document of SPEC §4, pretty-printed straight into `w` (no copy of a large
/// folder's document in memory).
pub fn write_check_json(mut w: impl std::io::Write, report: &CheckReport) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut w, report)?;
    writeln!(w)?;
    w.flush()
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Ok => "通过",
        Status::Error => "退回",
        Status::Ignored => "已跳过",
    }
}

/// The text report: a summary line, one row per file, then every finding with what to do.
pub fn check_text(report: &CheckReport, config: &Config) -> String {
    let unit_name = |id: &Option<String>| {
        id.as_deref()
            .map(|u| config.unit(u).map_or(u.to_string(), |x| x.name.clone()))
            .unwrap_or_else(|| "—".into())
    };
    let count = |s: Status| report.files.iter().filter(|f| f.status == s).count();
    let mut out = format!(
        "{} 年 {} 月报表检查:共 {} 个文件,通过 {} 份,退回 {} 份,跳过 {} 个;未报送单位 {} 个\n",
        report.period.year,
        report.period.month,
        report.files.len(),
        count(Status::Ok),
        count(Status::Error),
        count(Status::Ignored),
        report.missing_units.len()
    );
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
    for f in &report.files {
        let mine = |sev| {
            report
                .diagnostics
                .iter()
                .filter(|d| d.file.as_deref() == Some(&f.path) && d.severity == sev)
                .count()
        };
        let name = std::path::Path::new(&f.path)
            .file_name()
            .map_or(f.path.clone(), |n| n.to_string_lossy().into_owned());
        t.add_row(vec![
            name,
            unit_name(&f.unit),
            f.stations.map_or("—".into(), |n| n.to_string()),
            status_label(f.status).to_string(),
            mine(Severity::Error).to_string(),
            mine(Severity::Warning).to_string(),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    if !report.missing_units.is_empty() {
        let names: Vec<String> = report
            .missing_units
            .iter()
            .map(|u| unit_name(&Some(u.clone())))
            .collect();
        out.push_str(&format!("未报送:{}\n", names.join("、")));
    }
    if !report.diagnostics.is_empty() {
        out.push_str("\n问题明细(强制性问题须改正后重新报送;提示性问题请核对):\n");
        for d in &report.diagnostics {
            let file = d
                .file
                .as_deref()
                .and_then(|p| std::path::Path::new(p).file_name())
                .map(|n| n.to_string_lossy().into_owned());
            let place = match (&file, &d.sheet, &d.cell) {
                (Some(f), Some(s), Some(c)) if !d.message.contains(c.as_str()) => {
                    format!("{f} [{s}] {c}")
                }
                (Some(f), Some(s), _) => format!("{f} [{s}]"),
                (Some(f), _, _) => f.clone(),
                _ => unit_name(&d.unit),
            };
            out.push_str(&format!(
                "  [{}] {place}:{}({})\n",
                d.severity.label(),
                d.message,
                d.code.as_str()
            ));
        }
    }
    for n in &report.notes {
        out.push_str(&format!("说明:{n}\n"));
    }
    out.push_str(if report.has_errors() {
        "结论:有强制性问题,相关报表不计入汇总,请通知报送单位改正。\n"
    } else {
        "结论:全部报表通过强制性审核,可以汇总。\n"
    });
    out
}
