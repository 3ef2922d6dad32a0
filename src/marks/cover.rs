//! The marked workbook: its first sheet 退回说明 (who, which month, which file, every finding
//! numbered with a link to its cell and what to do, the deadline), then the rebuilt sheets.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Url, Workbook, Worksheet,
    XlsxError,
};

use super::SendBack;
use super::place::Read;
use super::rebuild;
use crate::config::Config;
use crate::core::findings::{Code, Finding, Severity};
use crate::core::text::{Period, a1};

/// The first sheet's name. Its content is written so that no reader takes it for a return
/// or a ledger (no header words of either), and it is dropped when a copy is marked again.
pub const SHEET: &str = "退回说明";

/// Column widths of the findings' table: 序, 性质, 所在表, 位置, 问题说明, 改正办法 (fits A4
/// portrait at 11 pt).
const WIDTHS: [f64; 6] = [5.0, 8.0, 14.0, 9.0, 46.0, 22.0];

/// Lines a text takes in a wrapped cell `width` wide (CJK characters count double).
fn lines_in(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(1.0) as usize;
    text.lines()
        .map(|l| {
            unicode_width::UnicodeWidthStr::width(l)
                .div_ceil(per_line)
                .max(1)
        })
        .sum::<usize>()
        .max(1)
}

/// What to do about a finding, in a few words, by its code.
pub(super) fn action(code: Code) -> &'static str {
    use Code::*;
    match code {
        UnreadableFile => "用 Excel / WPS 打开原文件，另存为 .xlsx 后重新报送",
        EncryptedFile => "取消文件的打开密码后重新报送",
        TooLarge => "只保留报表，删去多余的工作表、行和列后重新报送",
        UnitNotFound | UnknownUnit => "按统一名称填写填报单位",
        PeriodNotFound => "填写报送月份（如 2022年5月）",
        PeriodMismatch => "核对报送月份；确是其他月份的，按那个月另行报送",
        MissingColumn => "按模板补齐缺少的列",
        AmbiguousReturn => "删去或隐藏多余的工作表、重复的列",
        InvalidValue | FractionValue | NegativeValue => "改为整数（没有活动的填 0）",
        FormulaWithoutValue => "把公式改为数字",
        TotalMismatch => "核对各工作站的数字和合计，改正不对的一处",
        DuplicateReturn => "确定以哪一份为准，只报送那一份",
        DuplicateStation => "同一工作站合并为一行",
        LedgerInvalid | LedgerDuplicate => "按台账填写要求改正",
        CoercedValue => "核对读取的数字；无误可不改，建议改为纯数字",
        _ => "请核对；无误可不改",
    }
}

/// Formats of the 退回说明 sheet.
struct Looks {
    title: Format,
    text: Format,
    head: Format,
    cell: Format,
    link: Format,
}

impl Looks {
    fn new() -> Looks {
        let base = Format::new().set_font_name("宋体").set_font_size(11);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Looks {
            title: base
                .clone()
                .set_font_name("黑体")
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center),
            text: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            head: boxed.clone().set_bold().set_align(FormatAlign::Center),
            cell: boxed.clone(),
            link: boxed
                .set_font_color(rust_xlsxwriter::Color::Blue)
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        }
    }
}

/// The marked workbook's bytes.
pub(super) fn workbook(
    s: &SendBack,
    period: Period,
    config: &Config,
    read: &Read,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let unit = s.unit_name.as_deref().unwrap_or("（单位不明）");
    let props = DocProperties::new()
        .set_title(format!(
            "{unit}{}年{}月进站活动月报表（退回修改）",
            period.year(),
            period.month()
        ))
        .set_author(format!("{}人大常委会联工委", config.region.name))
        .set_creation_datetime(&ExcelDateTime::from_ymd(
            period.year() as u16,
            period.month() as u8,
            1,
        )?);
    wb.set_properties(&props);
    let names = sheet_names(read);
    cover(wb.add_worksheet(), s, period, config, read, &names)?;
    if let Read::Sheets { sheets, .. } = read {
        for ((grid, marks), name) in sheets.iter().zip(&names) {
            let ws = wb.add_worksheet();
            ws.set_name(name)?;
            if !grid.visible {
                ws.set_hidden(true);
            }
            rebuild::sheet(ws, grid, marks)?;
            ws.set_paper_size(9)
                .set_landscape()
                .set_print_fit_to_pages(1, 0);
            ws.set_print_gridlines(true);
        }
    }
    wb.save_to_buffer()
}

/// Each rebuilt sheet's name in the copy: its own, unless Excel refuses it (too long, a
/// character Excel does not allow, taken): then made acceptable.
fn sheet_names(read: &Read) -> Vec<String> {
    let Read::Sheets { sheets, .. } = read else {
        return Vec::new();
    };
    let mut taken = vec![SHEET.to_lowercase()];
    sheets
        .iter()
        .enumerate()
        .map(|(i, (g, _))| {
            let mut name: String = g
                .name
                .chars()
                .map(|c| if r"[]:*?/\".contains(c) { '_' } else { c })
                .collect();
            name = name.trim_matches('\'').chars().take(31).collect();
            if name.is_empty() || taken.contains(&name.to_lowercase()) || name == "History" {
                name = format!("Sheet{}", i + 1);
            }
            taken.push(name.to_lowercase());
            name
        })
        .collect()
}

/// The 退回说明 sheet.
fn cover(
    ws: &mut Worksheet,
    s: &SendBack,
    period: Period,
    config: &Config,
    read: &Read,
    names: &[String],
) -> Result<(), XlsxError> {
    let k = Looks::new();
    ws.set_name(SHEET)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        let (c, w) = (c as u16, *w);
        ws.set_column_width(c, w)?;
    }
    let unit = s.unit_name.as_deref().unwrap_or("（单位不明）");
    let (y, m) = (period.year(), period.month());
    ws.merge_range(
        0,
        0,
        0,
        5,
        &format!("{y}年{m}月进站活动月报表退回修改说明"),
        &k.title,
    )?;
    ws.set_row_height(0, 30)?;
    let errors = s.findings.iter().filter(|f| f.is_error()).count();
    let warnings = s.findings.len() - errors;
    let verdict = if errors > 0 {
        format!(
            "经审核有 {errors} 个强制性问题（必须改正）、{warnings} 个提示性问题（请核对），退回修改。"
        )
    } else {
        format!(
            "经审核没有强制性问题，有 {warnings} 个提示性问题，请核对；报表已计入汇总，如有错误请改正后重新报送。"
        )
    };
    let mut lines = vec![
        format!("{unit}：你单位报送的{y}年{m}月进站活动月报表{verdict}"),
        format!("收到的文件：{}", s.received_name()),
        format!(
            "文件校验码（sha256）：{}",
            s.file.sha256.as_deref().unwrap_or("—")
        ),
    ];
    lines.extend(how_to(read, names));
    if let Some(due) = config.schedule.sentence(period) {
        lines.push(due);
    }
    let mut row = 1;
    for line in &lines {
        ws.merge_range(row, 0, row, 5, line, &k.text)?;
        let tall = lines_in(line, WIDTHS.iter().sum());
        ws.set_row_height(row, 15.0 * tall as f64 + 3.0)?;
        row += 1;
    }
    row += 1;
    for (c, h) in ["序", "性质", "所在表", "位置", "问题说明", "改正办法"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &k.head)?;
    }
    ws.set_repeat_rows(row, row)?;
    let at = match read {
        Read::Sheets { at, .. } => at.clone(),
        _ => vec![None; s.findings.len()],
    };
    for (i, (f, at)) in s.findings.iter().zip(&at).enumerate() {
        row += 1;
        finding_row(ws, row, i + 1, f, at.as_ref(), read, names, &k)?;
    }
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.7, 0.7, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// What the town is asked to do with the copy, by how it was read.
fn how_to(read: &Read, names: &[String]) -> Vec<String> {
    match read {
        Read::Sheets { sheets, .. } => {
            let mut v = vec![format!(
                "后面的工作表（{}）是按读取到的内容重建的你单位报表：有问题的单元格已涂色（红色为强制性问题，黄色为提示性问题）并加了批注。可以直接在本文件中改正后报送，也可以在原表中改正后报送；本页不用删除，审核时不读取。",
                names.join("、")
            )];
            if sheets.iter().any(|(g, _)| g.formulas().next().is_some()) {
                v.push("原表中的公式（如合计行）在重建的表中已换成原来的计算结果，不会自动重算：改正数字后，请同时改正合计等相关数字。".to_string());
            }
            v
        }
        Read::Unreadable(why) => vec![
            format!("这个文件无法读取：{why}"),
            "所以本文件只有这一页。请按下表处理后重新报送。".to_string(),
        ],
        Read::Changed => vec![
            "这个文件在审核之后又被改动过，没有重建报表内容：请重新运行 liaison check --mark。"
                .to_string(),
        ],
    }
}

/// One numbered finding: severity, sheet, a link to its cell, message, what to do.
#[allow(clippy::too_many_arguments)]
fn finding_row(
    ws: &mut Worksheet,
    row: u32,
    n: usize,
    f: &Finding,
    at: Option<&(String, u32, u32)>,
    read: &Read,
    names: &[String],
    k: &Looks,
) -> Result<(), XlsxError> {
    ws.write_number_with_format(row, 0, n as f64, &k.cell)?;
    let sev = match f.severity {
        Severity::Error => "强制性",
        Severity::Warning => "提示性",
        Severity::Note => "读取说明",
    };
    ws.write_string_with_format(row, 1, sev, &k.cell)?;
    let sheet = f.sheet.as_deref().unwrap_or("—");
    ws.write_string_with_format(row, 2, sheet, &k.cell)?;
    let copy_name = |sheet: &str| match read {
        Read::Sheets { sheets, .. } => sheets
            .iter()
            .position(|(g, _)| g.name == sheet)
            .and_then(|i| names.get(i).cloned()),
        _ => None,
    };
    match at.and_then(|(sh, r, c)| Some((copy_name(sh)?, *r, *c))) {
        Some((name, r, c)) => {
            let cell = a1(r, c);
            let text = f.cell.clone().unwrap_or_else(|| format!("{cell}（整表）"));
            let link = Url::new(format!("internal:'{}'!{cell}", name.replace('\'', "''")));
            ws.write_url_with_options(row, 3, link, &text, "", Some(&k.link))?;
        }
        None => {
            ws.write_string_with_format(row, 3, f.cell.as_deref().unwrap_or("—"), &k.cell)?;
        }
    }
    ws.write_string_with_format(row, 4, &f.message, &k.cell)?;
    ws.write_string_with_format(row, 5, action(f.code), &k.cell)?;
    let tall = lines_in(&f.message, WIDTHS[4]).max(lines_in(action(f.code), WIDTHS[5]));
    ws.set_row_height(row, 15.0 * tall as f64 + 5.0)?;
    Ok(())
}
