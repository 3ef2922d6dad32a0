//! The charts with one row per unit: a bar chart of one metric and the stacked charts (levels,
//! methods), both with the largest unit at the top.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FAMILY, GRID, LABEL_PX, PALETTE, TITLE_PX, VALUE_PX, drawn, e, value};
use crate::figures::{MonthFigures, UnitMonth};

/// One bar chart of units: file name, title, axis words and (unit, value) sorted descending.
pub(super) struct Bars {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) unit: String,
    pub(super) data: Vec<(String, i64)>,
}

/// A chart with one row per unit (segments on y) and counts on x; the label area is as wide
/// as the longest unit name.
pub(super) fn unit_axes<'a, DB: DrawingBackend<ErrorType: 'static>>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    (max, n): (f64, i32),
    names: &[&str],
) -> Result<
    ChartContext<'a, DB, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordi32>>>,
    ChartError,
> {
    // A month with no unit counted still draws its (empty) axes.
    let n = n.max(1);
    let widest = names.iter().map(|s| s.chars().count()).max().unwrap_or(4) as u32;
    ChartBuilder::on(root)
        .caption(title, (FAMILY, TITLE_PX))
        .margin(20)
        .margin_right(44)
        .x_label_area_size(80)
        .y_label_area_size((widest * LABEL_PX * 100 / 124 + 24).max(120))
        .build_cartesian_2d(0f64..max, (0..n - 1).into_segmented())
        .map_err(e)
}

/// A bar of row `i` from `from` to `to`.
fn bar(i: i32, from: f64, to: f64, color: RGBColor) -> Rectangle<(f64, SegmentValue<i32>)> {
    let mut r = Rectangle::new(
        [
            (from, SegmentValue::Exact(i)),
            (to, SegmentValue::Exact(i + 1)),
        ],
        color.filled(),
    );
    r.set_margin(5, 5, 0, 0);
    r
}

pub(super) fn bars<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    b: &Bars,
) -> Result<(), ChartError> {
    let data = &b.data;
    let max = data.iter().map(|d| d.1).max().unwrap_or(1).max(1) as f64 * 1.12;
    let n = data.len() as i32;
    let names: Vec<String> = data.iter().map(|d| drawn(&d.0)).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut chart = unit_axes(root, &b.title, (max, n), &refs)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_max_light_lines(0)
        .bold_line_style(GRID)
        .y_labels(data.len())
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => names
                .get((n - 1 - *i) as usize)
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc(b.unit.as_str())
        .label_style((FAMILY, LABEL_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(
            data.iter()
                .enumerate()
                .map(|(k, (_, v))| bar(n - 1 - k as i32, 0.0, *v as f64, PALETTE[0])),
        )
        .map_err(e)?;
    chart
        .draw_series(data.iter().enumerate().map(|(k, (_, v))| {
            Text::new(
                format!(" {v}"),
                (*v as f64, SegmentValue::CenterOf(n - 1 - k as i32)),
                TextStyle::from((FAMILY, VALUE_PX).into_font())
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))
        .map_err(e)?;
    Ok(())
}

/// Levels or methods stacked per unit, the unit with the largest total at the top (sorted as
/// the bar charts are).
pub(super) fn stacked<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &MonthFigures,
    rows: &[&UnitMonth],
    ids: &[(String, String)],
) -> Result<(), ChartError> {
    let mut rows: Vec<(String, Vec<i64>)> = rows
        .iter()
        .map(|u| {
            let v = ids
                .iter()
                .map(|(id, _)| value(m, u, id).unwrap_or(0))
                .collect();
            (drawn(&u.name), v)
        })
        .collect();
    // As the bar charts: total descending, then by name. Reversed: row 0 is drawn at the bottom.
    rows.sort_by(|(a, x), (b, y)| {
        let (x, y): (i64, i64) = (x.iter().sum(), y.iter().sum());
        y.cmp(&x).then(a.cmp(b))
    });
    rows.reverse();
    let max = rows
        .iter()
        .map(|(_, v)| v.iter().sum::<i64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.08;
    let n = rows.len() as i32;
    let refs: Vec<&str> = rows.iter().map(|(u, _)| u.as_str()).collect();
    let mut chart = unit_axes(root, title, (max, n), &refs)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_max_light_lines(0)
        .bold_line_style(GRID)
        .y_labels(rows.len())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => refs
                .get(*i as usize)
                .map_or(String::new(), |s| s.to_string()),
            _ => String::new(),
        })
        .label_style((FAMILY, LABEL_PX))
        .draw()
        .map_err(e)?;
    for (k, (_, label)) in ids.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, v))| {
                let from: i64 = v[..k].iter().sum();
                bar(i as i32, from as f64, (from + v[k]) as f64, color)
            }))
            .map_err(e)?
            .label(format!("{label} "))
            .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 18, y + 8)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font((FAMILY, LABEL_PX))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;
    Ok(())
}
