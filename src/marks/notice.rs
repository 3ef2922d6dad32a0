//! 退回通知: one page for the month — each unit to contact, its file and, per finding, where
//! and what to fix; the warnings to confirm; the units to urge (催报). Markdown and Word.

use super::{Plan, SendBack};
use crate::config::Config;
use crate::core::findings::Finding;
use crate::core::text::Period;

/// The notice's Markdown file name.
pub const MD: &str = "退回通知.md";
/// The notice's Word file name.
pub const DOCX: &str = "退回通知.docx";

/// Where a finding is (`“进站活动月报”表 J7 单元格`, or the file as a whole), left out where
/// the message begins by naming its cell.
fn place(f: &Finding) -> String {
    let named = f
        .cell
        .as_ref()
        .is_some_and(|c| f.message.starts_with(c.as_str()));
    match (&f.sheet, &f.cell) {
        (Some(s), _) if named => format!("“{s}”表 "),
        (Some(s), Some(c)) => format!("“{s}”表 {c} 单元格："),
        (Some(s), None) => format!("“{s}”表："),
        _ => "整个文件：".to_string(),
    }
}

/// The notice as Markdown: a title, the counts, one section per unit to contact.
pub fn markdown(plan: &Plan, contacts: &[Option<String>], config: &Config) -> String {
    let (y, m) = (plan.period.year(), plan.period.month());
    let mut out = format!(
        "# {}{y}年{m}月进站活动月报表退回通知\n\n",
        config.region.name
    );
    let with = |errors: bool| -> Vec<(&SendBack, Option<&str>)> {
        plan.send_backs
            .iter()
            .zip(
                contacts
                    .iter()
                    .map(Option::as_deref)
                    .chain(std::iter::repeat(None)),
            )
            .filter(|(s, _)| s.has_errors() == errors)
            .collect()
    };
    let (correct, confirm) = (with(true), with(false));
    out.push_str(&format!(
        "本月审核：{} 份报表通过，{} 份有强制性问题需退回修改，{} 份有提示性问题请核对；{} 个单位尚未报送。",
        plan.clean + confirm.len(),
        correct.len(),
        confirm.len(),
        plan.missing.len()
    ));
    if let Some(due) = config.schedule.sentence(plan.period) {
        out.push_str(&due);
    }
    out.push_str(
        "每份退回修改表的第一页“退回说明”列出全部问题，有问题的单元格已涂色并加批注。\n\n",
    );
    if !correct.is_empty() {
        out.push_str("## 一、退回修改（必须改正后重新报送）\n\n");
        for (i, (s, who)) in correct.iter().enumerate() {
            unit_section(&mut out, i + 1, s, *who);
        }
    }
    if !confirm.is_empty() {
        out.push_str(&format!(
            "## {}、请核对（报表已计入，确有错误的请改正后重新报送）\n\n",
            if correct.is_empty() { "一" } else { "二" }
        ));
        for (i, (s, who)) in confirm.iter().enumerate() {
            unit_section(&mut out, i + 1, s, *who);
        }
    }
    if !plan.missing.is_empty() {
        let n =
            ["一", "二", "三"][usize::from(!correct.is_empty()) + usize::from(!confirm.is_empty())];
        out.push_str(&format!("## {n}、催报（尚未报送）\n\n"));
        out.push_str(&format!(
            "{}：请尽快报送{y}年{m}月进站活动月报表。\n\n",
            plan.missing.join("、")
        ));
    }
    if plan.send_backs.is_empty() && plan.missing.is_empty() {
        out.push_str("本月全部报表通过审核，没有需要退回或催报的单位。\n");
    }
    out
}

/// One unit's part: its file and copy, then its findings (errors to fix, then warnings).
fn unit_section(out: &mut String, n: usize, s: &SendBack, who: Option<&str>) {
    let unit = s.unit_name.as_deref().unwrap_or("单位不明的文件");
    match who {
        Some(w) => out.push_str(&format!("### {n}. {unit}（{w}）\n\n")),
        None => out.push_str(&format!("### {n}. {unit}\n\n")),
    }
    out.push_str(&format!(
        "收到的文件：{}；退回修改表：{}\n\n",
        s.received_name(),
        s.name
    ));
    let (errors, warnings): (Vec<&&Finding>, Vec<&&Finding>) =
        s.findings.iter().partition(|f| f.is_error());
    for (title, list) in [("需要改正", errors), ("请核对（无误可不改）", warnings)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("{title}：\n\n"));
        for (i, f) in list.iter().enumerate() {
            out.push_str(&format!(
                "{}. {}{}（改正办法：{}）\n",
                i + 1,
                place(f),
                f.message,
                super::cover::action(f.code)
            ));
        }
        out.push('\n');
    }
}

/// The notice as a Word document: the Markdown's title, headings, numbered lines and
/// paragraphs, East Asian fonts set (黑体 headings, 仿宋 body), dated to the period.
pub fn docx(
    markdown: &str,
    period: Period,
) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, SpecialIndentType};
    let body = RunFonts::new()
        .east_asia("仿宋_GB2312")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman");
    let heading = RunFonts::new().east_asia("黑体");
    let date = format!("{:04}-{:02}-01T00:00:00Z", period.year(), period.month());
    let mut doc = Docx::new()
        .default_fonts(body.clone())
        .created_at(&date)
        .updated_at(&date);
    for line in markdown.lines().filter(|l| !l.trim().is_empty()) {
        let p = if let Some(t) = line.strip_prefix("# ") {
            Paragraph::new().align(AlignmentType::Center).add_run(
                Run::new()
                    .add_text(t)
                    .bold()
                    .size(36)
                    .fonts(heading.clone()),
            )
        } else if let Some(t) = line.strip_prefix("## ") {
            Paragraph::new().add_run(Run::new().add_text(t).size(30).fonts(heading.clone()))
        } else if let Some(t) = line.strip_prefix("### ") {
            Paragraph::new().add_run(Run::new().add_text(t).bold().size(26).fonts(body.clone()))
        } else if line.starts_with(|c: char| c.is_ascii_digit()) {
            Paragraph::new()
                .indent(Some(640), Some(SpecialIndentType::Hanging(320)), None, None)
                .add_run(Run::new().add_text(line).size(24).fonts(body.clone()))
        } else {
            Paragraph::new()
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                .add_run(Run::new().add_text(line).size(26).fonts(body.clone()))
        };
        doc = doc.add_paragraph(p);
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut buf)?;
    Ok(buf.into_inner())
}
