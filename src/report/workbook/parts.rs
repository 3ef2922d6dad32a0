//! The parts a sheet kind describes (`core::part`), written without knowing the kind: a sheet
//! with its table and native bar chart, a workbook file of such sheets beside the month's.

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::Page;
use super::table;
use crate::core::part::{Document, Sheet};

/// Writes a kind's sheet on `ws`: its name, its table from the top, then its chart (if any)
/// on a page of its own after the table.
pub(super) fn sheet(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    ws.set_name(&s.name)?;
    let written = table::write(ws, &s.table, s.repeat)?;
    let Some(c) = &s.chart else {
        return Ok(());
    };
    let (first, last) = (written.first_row, written.first_row + c.rows - 1);
    let name = s.name.as_str();
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(&c.title);
    chart
        .add_series()
        .set_name(c.series.as_str())
        .set_categories((name, first, c.category_col, last, c.category_col))
        .set_values((name, first, c.value_col, last, c.value_col));
    chart.x_axis().set_min(0).set_max(1).set_num_format("0%");
    chart.y_axis().set_reverse();
    chart.set_width(c.width).set_height(c.height);
    ws.set_page_breaks(&[written.end_row + 1])?;
    ws.insert_chart(written.end_row + 2, 0, &chart)?;
    Ok(())
}

/// A kind's workbook file: its properties, its sheets with the page's header and footer.
pub(super) fn document(page: &Page, d: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&page.properties(&d.title)?);
    for s in &d.sheets {
        let ws = wb.add_worksheet();
        sheet(ws, s)?;
        page.frame(ws);
    }
    wb.save_to_buffer()
}
