//! One printable table on one sheet: a title, a one- or two-row header (group cells over
//! their columns), rows, a total row; widths that fit CJK text and an A4 page at a legible size.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// Font size of every body cell, in points.
pub const BODY_PT: f64 = 10.5;
/// Printable width of an A4 page with the margins set here, in pixels at 96 dpi
/// (portrait, landscape): 8.27 in and 11.69 in less two 0.4 in margins.
pub const PRINTABLE_PX: (f64, f64) = ((8.27 - 0.8) * 96.0, (11.69 - 0.8) * 96.0);

/// Excel's limit on the text of one cell, in UTF-16 units.
pub const CELL_LIMIT: usize = 32_767;

/// Whether a text is longer than an Excel cell holds.
pub fn too_long(s: &str) -> bool {
    s.encode_utf16().count() > CELL_LIMIT
}

/// The text as a cell can hold it: over-long text is cut and ends with "……" (the publication
/// warns; the history keeps the whole text).
fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    if !too_long(s) {
        return s.into();
    }
    let mut used = 2;
    let head: String = s
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= CELL_LIMIT
        })
        .collect();
    (head + "……").into()
}

pub use crate::core::part::{Col, Table, V};

/// Where a written table ended, for what goes under it.
pub struct Written {
    /// First body row (0-based).
    pub first_row: u32,
    /// The row after the last written one.
    pub end_row: u32,
    /// Whether the page is landscape.
    pub landscape: bool,
}

/// Display width in Excel's character units: CJK characters count double.
pub fn width(s: &str) -> f64 {
    s.lines()
        .map(|l| UnicodeWidthStr::width(l) as f64)
        .fold(0.0, f64::max)
}

/// Pixels of a column `w` characters wide (Excel's rule for an 11 pt default font).
pub fn column_px(w: f64) -> f64 {
    (w * 7.0 + 5.0).trunc()
}

/// Text size as printed: the body size times the fit-to-width scale of these column widths
/// on the chosen orientation.
pub fn printed_pt(widths: &[f64], landscape: bool) -> f64 {
    let total: f64 = widths.iter().map(|&w| column_px(w)).sum();
    let page = if landscape {
        PRINTABLE_PX.1
    } else {
        PRINTABLE_PX.0
    };
    BODY_PT * (page / total).min(1.0)
}

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    wrap: Format,
    int: Format,
    rate: Format,
    pct: Format,
    share: Format,
    /// "—" in a number column: right-aligned as the numbers around it.
    dash: Format,
    note: Format,
}

fn formats(bold: bool) -> Formats {
    let base = Format::new().set_font_name("宋体").set_font_size(BODY_PT);
    let mut cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    if bold {
        cell = cell.set_bold();
    }
    Formats {
        title: base
            .clone()
            .set_font_name("黑体")
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        head: cell
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color("#D9E1F2"),
        text: cell.clone(),
        wrap: cell.clone().set_text_wrap(),
        int: cell.clone().set_num_format("#,##0"),
        rate: cell.clone().set_num_format("0.00"),
        pct: cell.clone().set_num_format("+0.0%;-0.0%;0.0%"),
        share: cell.clone().set_num_format("0.0%"),
        dash: cell.set_align(FormatAlign::Right),
        note: base.set_text_wrap().set_align(FormatAlign::Top),
    }
}

/// The width each column takes: its widest header line and cell, within its maximum.
pub fn widths(t: &Table) -> Vec<f64> {
    let mut w: Vec<f64> = t.cols.iter().map(|c| width(&c.head).max(4.0)).collect();
    for row in t.rows.iter().chain(t.total.iter()) {
        for (c, v) in row.iter().enumerate() {
            let x = match v {
                V::T(s) => width(s),
                V::I(Some(n)) => width(&format_int(*n)) + 1.0,
                V::R(_) | V::P(_) | V::S(_) => 7.0,
                V::U(Some(n), u) => width(&format_int(*n)) + width(u) + 1.0,
                V::U(None, _) => 2.0,
                V::I(None) => 2.0,
            };
            w[c] = w[c].max(x);
        }
    }
    w.iter()
        .zip(&t.cols)
        .map(|(x, c)| (x + 1.5).min(c.max.max(4.0)).ceil())
        .collect()
}

fn format_int(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A text across the `ncol` columns of row `r` (one cell where there is one column: Excel
/// merges no single cell).
fn across(ws: &mut Worksheet, r: u32, ncol: u16, text: &str, f: &Format) -> Result<(), XlsxError> {
    if ncol > 1 {
        ws.merge_range(r, 0, r, ncol - 1, text, f)?;
    } else {
        ws.write_string_with_format(r, 0, text, f)?;
    }
    Ok(())
}

/// Writes the table from the top of `ws` with A4 print setup: portrait when it fits at the
/// body size, landscape otherwise; fit to one page wide; header rows repeated when the table
/// runs over a page (`repeat`).
pub fn write(ws: &mut Worksheet, t: &Table, repeat: bool) -> Result<Written, XlsxError> {
    let plain = formats(false);
    let ncol = t.cols.len() as u16;
    let w = widths(t);
    across(ws, 0, ncol, &t.title, &plain.title)?;
    ws.set_row_height(0, 30)?;
    let first_row = header(ws, t, &w, &plain)?;
    let line_pt = BODY_PT * 1.45;
    let mut r = body(ws, t, &w, first_row)?;
    for note in &t.notes {
        across(ws, r, ncol, note, &plain.note)?;
        let total_w: f64 = w.iter().sum();
        ws.set_row_height(r, line_pt * lines(note, total_w) as f64 + 4.0)?;
        r += 1;
    }
    for (c, x) in w.iter().enumerate() {
        ws.set_column_width(c as u16, *x)?;
    }
    let landscape = printed_pt(&w, false) < BODY_PT;
    ws.set_paper_size(9)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    if repeat {
        ws.set_repeat_rows(1, first_row - 1)?;
    }
    ws.set_freeze_panes(first_row, t.freeze_cols)?;
    Ok(Written {
        first_row,
        end_row: r,
        landscape,
    })
}

/// Lines a text takes in a column `w` characters wide.
fn lines(s: &str, w: f64) -> usize {
    s.lines()
        .map(|l| (width(l) / (w - 1.0).max(1.0)).ceil().max(1.0) as usize)
        .sum()
}

/// The header under the title: group cells merged over their columns, single columns merged
/// down both rows; row heights that fit the longest header. Returns the first body row.
fn header(ws: &mut Worksheet, t: &Table, w: &[f64], plain: &Formats) -> Result<u32, XlsxError> {
    let line_pt = BODY_PT * 1.45;
    let two = t.cols.iter().any(|c| c.group.is_some());
    let mut head_lines = 1;
    let mut c = 0usize;
    while c < t.cols.len() {
        let col = &t.cols[c];
        let c16 = c as u16;
        match (&col.group, two) {
            (Some(g), _) => {
                let mut end = c;
                while end + 1 < t.cols.len() && t.cols[end + 1].group.as_ref() == Some(g) {
                    end += 1;
                }
                if end > c {
                    ws.merge_range(1, c16, 1, end as u16, g, &plain.head)?;
                } else {
                    ws.write_string_with_format(1, c16, g, &plain.head)?;
                }
                for (k, (col, wk)) in t.cols.iter().zip(w).enumerate().take(end + 1).skip(c) {
                    ws.write_string_with_format(2, k as u16, &col.head, &plain.head)?;
                    head_lines = head_lines.max(lines(&col.head, *wk));
                }
                c = end + 1;
                continue;
            }
            (None, true) => {
                ws.merge_range(1, c16, 2, c16, &col.head, &plain.head)?;
            }
            (None, false) => {
                ws.write_string_with_format(1, c16, &col.head, &plain.head)?;
            }
        }
        head_lines = head_lines.max(lines(&col.head, w[c]));
        c += 1;
    }
    let first_row = if two { 3 } else { 2 };
    if two {
        ws.set_row_height(1, line_pt + 6.0)?;
        ws.set_row_height(2, line_pt * head_lines as f64 + 6.0)?;
    } else {
        ws.set_row_height(1, line_pt * head_lines as f64 + 6.0)?;
    }
    Ok(first_row)
}

/// The body rows and the bold total row; text cells wrap where wider than their column.
fn body(ws: &mut Worksheet, t: &Table, w: &[f64], first_row: u32) -> Result<u32, XlsxError> {
    let plain = formats(false);
    let bold = formats(true);
    let line_pt = BODY_PT * 1.45;
    let mut r = first_row;
    let body = t.rows.iter().map(|x| (x, false));
    for (row, is_total) in body.chain(t.total.iter().map(|x| (x, true))) {
        let f = if is_total { &bold } else { &plain };
        let mut height = 1;
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            match v {
                V::T(s) if width(s) + 1.5 > w[c] => {
                    ws.write_string_with_format(r, c16, fit(s), &f.wrap)?;
                    height = height.max(lines(s, w[c]));
                }
                V::T(s) => {
                    ws.write_string_with_format(r, c16, fit(s), &f.text)?;
                }
                V::I(Some(n)) => match &t.cols[c].num_format {
                    Some(nf) => {
                        let fmt = f.int.clone().set_num_format(nf);
                        ws.write_number_with_format(r, c16, *n as f64, &fmt)?;
                    }
                    None => {
                        ws.write_number_with_format(r, c16, *n as f64, &f.int)?;
                    }
                },
                V::U(Some(n), u) => {
                    let fmt = f.int.clone().set_num_format(format!("#,##0\"{u}\""));
                    ws.write_number_with_format(r, c16, *n as f64, &fmt)?;
                }
                V::R(Some(x)) => {
                    ws.write_number_with_format(r, c16, *x, &f.rate)?;
                }
                V::P(Some(x)) => {
                    ws.write_number_with_format(r, c16, *x, &f.pct)?;
                }
                V::S(Some(x)) => {
                    ws.write_number_with_format(r, c16, *x, &f.share)?;
                }
                V::I(None) | V::R(None) | V::P(None) | V::S(None) | V::U(None, _) => {
                    ws.write_string_with_format(r, c16, "—", &f.dash)?;
                }
            }
        }
        if height > 1 {
            ws.set_row_height(r, line_pt * height as f64 + 4.0)?;
        }
        r += 1;
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-column table (the sheet that says a kind has no data) writes its title and notes
    /// into one cell each: Excel merges no single cell.
    #[test]
    fn a_table_of_one_column_is_written() {
        let t = Table {
            title: "长沙县2022年5月意见建议办理情况".into(),
            cols: vec![Col::new("说明").max(40.0)],
            rows: vec![vec![V::T("本表没有台账数据".into())]],
            total: None,
            freeze_cols: 0,
            notes: vec!["注：只有一列。".into()],
        };
        let mut wb = rust_xlsxwriter::Workbook::new();
        let written = write(wb.add_worksheet(), &t, false).unwrap();
        assert_eq!(written.end_row, written.first_row + 2);
        let bytes = wb.save_to_buffer().unwrap();
        let mut x: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let r = calamine::Reader::worksheet_range_at(&mut x, 0)
            .unwrap()
            .unwrap();
        assert_eq!(r.get_value((0, 0)).unwrap().to_string(), t.title);
        assert_eq!(
            r.get_value((written.first_row, 0)).unwrap().to_string(),
            "本表没有台账数据"
        );
    }
}
