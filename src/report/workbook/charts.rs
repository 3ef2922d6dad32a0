//! Native, editable Excel charts of the workbook, each on its own printed page under the table
//! it draws from; ranges name the sheets by their constants.

use rust_xlsxwriter::{Chart, ChartMarker, ChartMarkerType, ChartType, Worksheet, XlsxError};

use super::sheets::roles;
use super::table::Written;
use super::{LEVELS, Page, TREND};

/// Units compared, one measure per chart (deputies, then the first headline metric: six times
/// the deputies, they would make the deputies' bars slivers on one axis), and the monthly
/// trend, under the summary table, from its second page.
pub(super) fn summary(
    ws: &mut Worksheet,
    page: &Page,
    end: u32,
    units: &Written,
) -> Result<(), XlsxError> {
    let r = roles(page);
    let n = page.config.units.len() as u32;
    let (first, last) = (units.first_row, units.first_row + n - 1);
    let units = super::units_name(page.config);
    let voters = r.singles.first().map_or(String::new(), |m| m.label.clone());
    let mut row = end + 2;
    ws.set_page_breaks(&[end + 1])?;
    for (label, col) in [(r.deputies.clone(), 4), (voters, 5)] {
        let mut compare = Chart::new(ChartType::Column);
        compare
            .title()
            .set_name(&page.word(&format!("各镇街{label}{}", page.prelim)));
        compare
            .add_series()
            .set_name(label.as_str())
            .set_categories((units.as_str(), first, 1, last, 1))
            .set_values((units.as_str(), first, col, last, col));
        compare.legend().set_hidden();
        compare.y_axis().set_min(0);
        compare.set_width(600).set_height(300);
        ws.insert_chart(row, 0, &compare)?;
        row += 16;
    }
    // The trend sheet has a one-row header: its months start on row 2. A marker on every
    // point, so that a first month (one point, no line) still shows.
    let months = page.month.trend.len() as u32;
    if months == 0 {
        return Ok(()); // no station counted in any month: nothing to draw a trend of
    }
    let mut trend = Chart::new(ChartType::Line);
    trend.title().set_name(&format!(
        "{}{}逐月趋势",
        page.config.region.scope, r.deputies
    ));
    trend.legend().set_hidden();
    trend
        .add_series()
        .set_name(r.deputies.as_str())
        .set_categories((TREND, 2, 0, 1 + months, 0))
        .set_values((TREND, 2, 3, 1 + months, 3))
        .set_marker(
            ChartMarker::new()
                .set_type(ChartMarkerType::Circle)
                .set_size(7),
        );
    trend.set_width(600).set_height(280);
    trend.y_axis().set_min(0);
    ws.insert_chart(row, 0, &trend)?;
    Ok(())
}

/// Levels stacked per unit, under the 代表层级 table, on its second page.
pub(super) fn levels(ws: &mut Worksheet, page: &Page, table: &Written) -> Result<(), XlsxError> {
    let r = roles(page);
    let n = page.config.units.len() as u32;
    let (first, last) = (table.first_row, table.first_row + n - 1);
    let mut stacked = Chart::new(ChartType::BarStacked);
    stacked
        .title()
        .set_name(&page.word(&format!("各镇街进站代表层级构成{}", page.prelim)));
    for (i, m) in r.levels.iter().enumerate() {
        let c = 1 + i as u16;
        stacked
            .add_series()
            .set_name(&format!("{}级", m.label))
            .set_categories((LEVELS, first, 0, last, 0))
            .set_values((LEVELS, first, c, last, c));
    }
    stacked.set_width(560).set_height(560);
    ws.set_page_breaks(&[table.end_row + 1])?;
    ws.insert_chart(table.end_row + 2, 0, &stacked)?;
    Ok(())
}
