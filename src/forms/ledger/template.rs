//! The ledger sheet of a return template (意见建议办理台账): the config's headers, date-formatted
//! date columns, drop-down lists of categories and statuses, optionally items typed in.

use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::config::{Config, Unit};
use crate::core::text::Period;
use crate::forms::ledger::{LedgerConfig, LedgerItem};
use crate::forms::template::TemplateError;

/// Sheet name of the ledger.
pub const NAME: &str = "意见建议办理台账";
/// Header of the last column, the unit's own remarks (`ledger_reopened` asks for one).
const REMARK: &str = "备注";
/// Rows formatted and validated for typing in.
const ROWS: u32 = 300;

/// The ledger sheet 意见建议办理台账: the config's first header of each column and 备注,
/// date-formatted date columns, drop-down lists of the config's categories and statuses,
/// `items` typed in.
pub fn write(
    wb: &mut Workbook,
    config: &Config,
    unit: &Unit,
    period: Period,
    items: &[LedgerItem],
) -> Result<(), TemplateError> {
    let l = &config.ledger;
    let h = &l.headers;
    let first = |v: &[String], d: &str| v.first().cloned().unwrap_or_else(|| d.to_string());
    let cols = [
        (first(&h.id, "编号"), 12.0),
        (first(&h.collected, "收集日期"), 12.0),
        (first(&h.station, "工作站"), 20.0),
        (first(&h.deputies, "代表"), 14.0),
        (first(&h.content, "意见建议内容"), 36.0),
        (first(&h.category, "类别"), 10.0),
        (first(&h.handler, "承办单位"), 16.0),
        (first(&h.status, "办理状态"), 10.0),
        (first(&h.settled, "办结日期"), 12.0),
        // Where a unit explains what the checks ask it to (an item reopened, say); the reader
        // reads no column it does not know, so a ledger with or without it reads the same.
        (REMARK.to_string(), 20.0),
    ];
    let base = Format::new().set_font_name("宋体").set_font_size(11);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_unlocked();
    let head = cell
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let date = cell.clone().set_num_format("yyyy-mm-dd");
    let wrap = cell.clone().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(NAME)?;
    let title = format!(
        "{}意见建议办理台账（{}年{}月）",
        unit.name,
        period.year(),
        period.month()
    );
    let big = base
        .clone()
        .set_font_name("黑体")
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, cols.len() as u16, &title, &big)?;
    ws.set_row_height(0, 28)?;
    ws.write_string_with_format(1, 0, "序号", &head)?;
    for (c, (text, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(1, c as u16 + 1, text, &head)?;
        ws.set_column_width(c as u16 + 1, *width)?;
    }
    ws.set_column_width(0, 5)?;
    let (top, end) = (2u32, 2 + ROWS - 1);
    for r in top..=end {
        for c in 1..=cols.len() as u16 {
            let f = match c {
                2 | 9 => &date,
                5 | 10 => &wrap,
                _ => &cell,
            };
            ws.write_blank(r, c, f)?;
        }
    }
    typed_in(ws, items, l, top, (&cell, &wrap, &date))?;
    validations(ws, l, top, end)?;
    ws.merge_range(
        end + 1,
        0,
        end + 1,
        cols.len() as u16,
        "注：每条意见建议填一行，编号在本单位内唯一且各月不变；每月报送本月收集的和仍未办结的（也可报送全部台账）；已解决、已答复的须填办结日期；已办结的又重新办理的，请在备注中说明。",
        &base.clone().set_text_wrap(),
    )?;
    ws.set_row_height(end + 1, 30)?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    ws.set_repeat_rows(1, 1)?;
    ws.set_freeze_panes(top, 2)?;
    ws.set_header(format!(
        "&C{} {}年{}月",
        unit.name,
        period.year(),
        period.month()
    ));
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// The items typed in from row `top`, as a unit would fill them.
fn typed_in(
    ws: &mut Worksheet,
    items: &[LedgerItem],
    l: &LedgerConfig,
    top: u32,
    (cell, wrap, date): (&Format, &Format, &Format),
) -> Result<(), XlsxError> {
    for (k, it) in items.iter().enumerate() {
        let r = top + k as u32;
        ws.write_number_with_format(r, 0, (k + 1) as f64, cell)?;
        let texts = [
            (1, it.id.clone()),
            (3, it.station.clone()),
            (4, it.deputies.join("、")),
            (5, it.content.clone()),
            (6, it.category.clone()),
            (7, it.handler.clone()),
            (8, l.status_label(it.status).to_string()),
        ];
        for (c, t) in texts {
            ws.write_string_with_format(r, c, t, if c == 5 { wrap } else { cell })?;
        }
        for (c, d) in [(2, Some(it.collected)), (9, it.settled)] {
            if let Some(d) = d {
                let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(r, c, &x, date)?;
            }
        }
    }
    Ok(())
}

/// Drop-down lists of the config's categories and statuses; dates only in the date columns.
fn validations(ws: &mut Worksheet, l: &LedgerConfig, top: u32, end: u32) -> Result<(), XlsxError> {
    let list = |what: &str, words: Vec<&str>| -> Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_list_strings(&words)?
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_title(format!("{what}有误"))?
            .set_error_message(format!("请从下拉列表中选择{what}：{}", words.join("、")))
    };
    let cats: Vec<&str> = l.categories.iter().map(String::as_str).collect();
    ws.add_data_validation(top, 6, end, 6, &list("类别", cats)?)?;
    let statuses = crate::forms::ledger::Status::ALL.map(|s| l.status_label(s));
    ws.add_data_validation(top, 8, end, 8, &list("办理状态", statuses.to_vec())?)?;
    let dates = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThanOrEqualTo(
            ExcelDateTime::from_ymd(2000, 1, 1)?,
        ))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("日期有误")?
        .set_error_message("请填写日期，如 2022-05-15。")?;
    ws.add_data_validation(top, 2, end, 2, &dates)?;
    ws.add_data_validation(top, 9, end, 9, &dates)?;
    Ok(())
}
