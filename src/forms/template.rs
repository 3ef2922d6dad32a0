//! Return templates: one print-ready workbook per unit in the layout the reader expects,
//! written with rust_xlsxwriter, so that what units fill in reads back exactly.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::config::{Config, Unit};
use crate::core::text::{Period, column_name};
use crate::forms::Typed;

/// Sheet name of the return.
pub const SHEET: &str = "进站活动月报";
/// Blank station rows in a template for a unit with no station register.
const BLANK_ROWS: usize = 12;
/// Columns before the metrics: 序号, 工作站名称, 联络员, 进站日期.
const LEAD: [&str; 4] = ["序号", "工作站名称", "联络员", "进站日期"];

/// Errors writing templates.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// rust_xlsxwriter refused something.
    #[error("生成模板出错：{0}")]
    Xlsx(#[from] XlsxError),
    /// The file could not be written.
    #[error("无法写入 {path}：{source}")]
    Io {
        /// Target file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// File name of a unit's template: `星沙街道_2022年5月进站活动月报表.xlsx`.
pub fn file_name(unit: &Unit, period: Period) -> String {
    format!(
        "{}_{}年{}月进站活动月报表.xlsx",
        unit.name,
        period.year(),
        period.month()
    )
}

/// Writes one template per configured unit into `dir`; returns the paths written.
pub fn write_all(
    config: &Config,
    period: Period,
    dir: &Path,
) -> Result<Vec<PathBuf>, TemplateError> {
    let mut paths = Vec::new();
    for unit in &config.units {
        let bytes = build(config, unit, period)?;
        let path = dir.join(file_name(unit, period));
        crate::core::write::atomic(&path, &bytes).map_err(|source| TemplateError::Io {
            path: path.display().to_string(),
            source,
        })?;
        paths.push(path);
    }
    Ok(paths)
}

/// The template of one unit as xlsx bytes.
///
/// ```
/// use liaison::{config::Config, forms::template, core::text::Period};
/// let c = Config::embedded();
/// let bytes = template::build(&c, &c.units[0], Period::new(2022, 5).unwrap()).unwrap();
/// assert!(bytes.starts_with(b"PK"));
/// ```
pub fn build(config: &Config, unit: &Unit, period: Period) -> Result<Vec<u8>, TemplateError> {
    build_filled(config, unit, period, &[])
}

/// A template with figures typed in: `values[k]` is the k-th register station's row, one
/// count per metric (as a unit would fill it; the 合计 formulas carry their results).
///
/// ```
/// use liaison::{config::Config, forms::template, core::text::Period};
/// let c = Config::embedded();
/// let unit = &c.units[0];
/// let rows = vec![vec![1; c.metrics.len()]; unit.stations.len()];
/// let bytes = template::build_filled(&c, unit, Period::new(2022, 5).unwrap(), &rows).unwrap();
/// assert!(bytes.len() > 1000);
/// ```
pub fn build_filled(
    config: &Config,
    unit: &Unit,
    period: Period,
    values: &[Vec<u64>],
) -> Result<Vec<u8>, TemplateError> {
    build_with(config, unit, period, values, Typed::default())
}

/// A template with figures and each companion sheet's rows typed in (as a unit would fill
/// every sheet).
pub fn build_with(
    config: &Config,
    unit: &Unit,
    period: Period,
    values: &[Vec<u64>],
    typed: Typed,
) -> Result<Vec<u8>, TemplateError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(format!(
            "{} {}年{}月",
            config.region.title,
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
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    let widths = column_widths(config);
    title_and_fields(ws, config, unit, period, &widths, &f)?;
    header(ws, config, &f)?;
    let (first, end) = station_rows(ws, config, unit, values, &f)?;
    total_and_note(ws, config, values, first, end, &f)?;
    print_setup(ws, config, unit, period, first, end, &widths)?;
    super::companion_templates(&mut wb, config, unit, period, typed)?;
    Ok(wb.save_to_buffer()?)
}

/// Rows of the monthly sheet: the two header rows, then the stations.
const HEADER_ROWS: (u32, u32) = (2, 3);

/// The formats of the monthly sheet.
struct Formats {
    base: Format,
    cell: Format,
    head: Format,
    input: Format,
    text_in: Format,
    title: Format,
    label: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(11);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let head = cell
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center);
        Formats {
            input: cell.clone().set_unlocked().set_num_format("0"),
            text_in: cell.clone().set_unlocked(),
            title: base
                .clone()
                .set_font_name("黑体")
                .set_font_size(18)
                .set_align(FormatAlign::Center),
            label: base.clone().set_bold(),
            base,
            cell,
            head,
        }
    }
}

/// The first metric column (after 序号, 工作站名称, 联络员, 进站日期) and the 备注 column.
fn metric_span(config: &Config) -> (u16, u16) {
    let first_metric = LEAD.len() as u16;
    (first_metric, first_metric + config.metrics.len() as u16)
}

/// The merged title row and the label/value cells (填报单位 … 填报日期).
fn title_and_fields(
    ws: &mut Worksheet,
    config: &Config,
    unit: &Unit,
    period: Period,
    widths: &[f64],
    f: &Formats,
) -> Result<(), XlsxError> {
    let (_, last) = metric_span(config);
    ws.merge_range(0, 0, 0, last, &config.region.title, &f.title)?;
    ws.set_row_height(0, 32)?;
    let month = format!("{}年{}月", period.year(), period.month());
    let fields = [
        ("填报单位：", unit.name.as_str(), 0.0),
        ("报送月份：", month.as_str(), 0.0),
        ("填报人：", "", 8.0),
        ("联系电话：", "", 13.0),
        ("填报日期：", "", 11.0),
    ];
    for (label_span, value_span, text, value) in label_layout(widths, &fields) {
        put(ws, 1, label_span, text, &f.label)?;
        put(ws, 1, value_span, value, &f.base.clone().set_unlocked())?;
    }
    Ok(())
}

/// Two-row header: lead columns and single metrics merged down; groups merged across.
fn header(ws: &mut Worksheet, config: &Config, f: &Formats) -> Result<(), XlsxError> {
    let (h1, h2) = HEADER_ROWS;
    let (first_metric, last) = metric_span(config);
    let head = &f.head;
    for (i, t) in LEAD.iter().enumerate() {
        ws.merge_range(h1, i as u16, h2, i as u16, t, head)?;
    }
    let mut i = 0;
    while i < config.metrics.len() {
        let m = &config.metrics[i];
        let col = first_metric + i as u16;
        match m.group.as_deref().and_then(|g| config.group(g)) {
            Some(g) => {
                let span = config.metrics[i..]
                    .iter()
                    .take_while(|x| x.group == m.group)
                    .count();
                let text = format!("{}（{}）", g.label, g.measure);
                if span > 1 {
                    ws.merge_range(h1, col, h1, col + span as u16 - 1, &text, head)?;
                } else {
                    ws.write_string_with_format(h1, col, &text, head)?;
                }
                for (k, x) in config.metrics[i..i + span].iter().enumerate() {
                    ws.write_string_with_format(h2, col + k as u16, &x.label, head)?;
                }
                i += span;
            }
            None => {
                let text = format!("{}\n（{}）", m.label, m.measure);
                ws.merge_range(h1, col, h2, col, &text, head)?;
                i += 1;
            }
        }
    }
    ws.merge_range(h1, last, h2, last, "备注", head)?;
    ws.set_row_height(h2, 30)?;
    Ok(())
}

/// One row per station (the register's names, or blank rows), figures typed in where given;
/// the first and last station rows.
fn station_rows(
    ws: &mut Worksheet,
    config: &Config,
    unit: &Unit,
    values: &[Vec<u64>],
    f: &Formats,
) -> Result<(u32, u32), XlsxError> {
    let (first_metric, last) = metric_span(config);
    let first = HEADER_ROWS.1 + 1;
    let n = if unit.stations.is_empty() {
        BLANK_ROWS
    } else {
        unit.stations.len()
    };
    for k in 0..n {
        let r = first + k as u32;
        ws.write_number_with_format(r, 0, (k + 1) as f64, &f.cell)?;
        let name = unit.stations.get(k).map(String::as_str).unwrap_or("");
        ws.write_string_with_format(r, 1, name, &f.text_in)?;
        ws.write_blank(r, 2, &f.text_in)?;
        ws.write_blank(r, 3, &f.text_in)?;
        for c in first_metric..last {
            match values
                .get(k)
                .and_then(|row| row.get((c - first_metric) as usize))
            {
                Some(v) => ws.write_number_with_format(r, c, *v as f64, &f.input)?,
                None => ws.write_blank(r, c, &f.input)?,
            };
        }
        ws.write_blank(r, last, &f.text_in)?;
    }
    Ok((first, first + n as u32 - 1))
}

/// The 合计 row (SUM formulas with their values cached) and the note under it.
fn total_and_note(
    ws: &mut Worksheet,
    config: &Config,
    values: &[Vec<u64>],
    first: u32,
    end: u32,
    f: &Formats,
) -> Result<(), XlsxError> {
    let (first_metric, last) = metric_span(config);
    let total = end + 1;
    ws.merge_range(total, 0, total, first_metric - 1, "合计", &f.head)?;
    for c in first_metric..last {
        let col = column_name(c as u32);
        let i = (c - first_metric) as usize;
        let sum: u64 = values.iter().filter_map(|row| row.get(i)).sum();
        let formula = Formula::new(format!("=SUM({col}{}:{col}{})", first + 1, end + 1))
            .set_result(sum.to_string());
        ws.write_formula_with_format(total, c, formula, &f.cell.clone().set_bold())?;
    }
    ws.write_blank(total, last, &f.cell)?;
    ws.merge_range(
        total + 1,
        0,
        total + 1,
        last,
        "注：1. 数字一律填阿拉伯数字整数，没有的填 0 或留空；2. 请勿增删、调换列；3. 合计行为公式，自动计算。",
        &f.base.clone().set_text_wrap(),
    )?;
    ws.set_row_height(total + 1, 30)?;
    Ok(())
}

/// Whole numbers only in the figure cells; A4 landscape, one page wide, header rows repeated,
/// panes frozen, page numbers, column widths.
fn print_setup(
    ws: &mut Worksheet,
    config: &Config,
    unit: &Unit,
    period: Period,
    first: u32,
    end: u32,
    widths: &[f64],
) -> Result<(), XlsxError> {
    let (first_metric, last) = metric_span(config);
    let validation = DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("数字有误")?
        .set_error_message("请填写 0 或正整数（阿拉伯数字），不要填文字、小数或负数。")?;
    ws.add_data_validation(first, first_metric, end, last - 1, &validation)?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    ws.set_repeat_rows(HEADER_ROWS.0, HEADER_ROWS.1)?;
    ws.set_freeze_panes(first, 2)?;
    ws.set_header(format!(
        "&C{} {}年{}月",
        unit.name,
        period.year(),
        period.month()
    ));
    ws.set_footer("&C第 &P 页，共 &N 页");
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// The width of every column, in Excel's character units: 序号, 工作站名称, 联络员, 进站日期,
/// one per metric (narrow inside a group), 备注.
pub fn column_widths(config: &Config) -> Vec<f64> {
    let mut w = vec![5.0, 22.0, 9.0, 10.0];
    w.extend(
        config
            .metrics
            .iter()
            .map(|m| if m.group.is_some() { 6.0 } else { 12.0 }),
    );
    w.push(12.0);
    w
}

/// The width a text needs in a column of 11 pt 宋体, in Excel's character units: a Chinese
/// character takes two, plus a character of padding (bold glyphs are a little wider).
pub fn text_width(s: &str) -> f64 {
    unicode_width::UnicodeWidthStr::width(s) as f64 * 1.1 + 1.0
}

/// Places the labels of the line above the header: each label, then its value, over as many
/// columns as their text needs (a blank value gets `min` for handwriting). Fields that no
/// longer fit in the table's width are left out. Returns (label columns, value columns, label,
/// value).
fn label_layout<'a>(
    widths: &[f64],
    fields: &[(&'a str, &'a str, f64)],
) -> Vec<(Span, Span, &'a str, &'a str)> {
    let mut out = Vec::new();
    let mut c = 0;
    let span = |from: usize, need: f64| -> Option<Span> {
        let mut have = 0.0;
        for (k, w) in widths.iter().enumerate().skip(from) {
            have += w;
            if have >= need {
                return Some((from as u16, k as u16));
            }
        }
        None
    };
    for &(text, value, min) in fields {
        let Some(l) = span(c, text_width(text)) else {
            break;
        };
        let Some(v) = span(l.1 as usize + 1, text_width(value).max(min)) else {
            break;
        };
        c = v.1 as usize + 1;
        out.push((l, v, text, value));
    }
    out
}

/// First and last column of a run of cells.
type Span = (u16, u16);

/// Writes a text over a span of one row (merged when it spans more than one column).
fn put(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    span: Span,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if span.0 == span.1 {
        ws.write_string_with_format(row, span.0, text, format)?;
    } else {
        ws.merge_range(row, span.0, row, span.1, text, format)?;
    }
    Ok(())
}
