//! A percentage by unit as a bar chart (the ledger's 办结率 by unit), highest first, as a sheet
//! kind's part gives it: the axis says what is shown and who is left out.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FAMILY, PALETTE, e, unit_axes};

/// A bar chart of a percentage per unit (the ledger's 办结率), as a sheet kind's part gives it:
/// units in the order given (highest first), each bar labelled with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Percentages {
    /// The file name, without extension (`ledger_rate_by_unit`).
    pub name: String,
    /// The title (a [`crate::report::Page::chart_title`]).
    pub title: String,
    /// The axis' words (what is shown, what is left out).
    pub axis: String,
    /// (unit name, percent).
    pub data: Vec<(String, f64)>,
}

/// Draws a [`Percentages`] chart.
pub(super) fn percent_bars<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    p: &Percentages,
) -> Result<(), ChartError> {
    let (title, data) = (p.title.as_str(), &p.data[..]);
    let n = data.len().max(1) as i32;
    let mut chart = unit_axes(root, title, 112.0, n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(data.len())
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => data
                .get((n - 1 - *i) as usize)
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|x| {
            if *x <= 100.0 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .x_desc(p.axis.as_str())
        .label_style((FAMILY, 18))
        .axis_desc_style((FAMILY, 18))
        .draw()
        .map_err(e)?;
    let row = |k: usize| n - 1 - k as i32;
    chart
        .draw_series(data.iter().enumerate().map(|(k, (_, v))| {
            let mut r = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(row(k))),
                    (*v, SegmentValue::Exact(row(k) + 1)),
                ],
                PALETTE[2].filled(),
            );
            r.set_margin(4, 4, 0, 0);
            r
        }))
        .map_err(e)?;
    chart
        .draw_series(data.iter().enumerate().map(|(k, (_, v))| {
            Text::new(
                format!(" {v:.1}%"),
                (*v, SegmentValue::CenterOf(row(k))),
                TextStyle::from((FAMILY, 16).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))
        .map_err(e)?;
    Ok(())
}
