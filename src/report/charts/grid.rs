//! The two charts that are grids rather than one row per unit: the monthly trend (one panel
//! per headline metric) and the units × metrics heat map.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FAMILY, GRID, LABEL_PX, PALETTE, TITLE_PX, VALUE_PX, drawn, e, value};
use crate::figures::{MonthFigures, TrendPoint, UnitMonth};

/// The month labels of the trend's x axis: `5月`, every other one when there are more than
/// seven (the last always), so that labels never run into each other.
fn month_labels(months: &[TrendPoint]) -> Vec<String> {
    let n = months.len();
    let step = if n > 7 { 2 } else { 1 };
    months
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if (n - 1 - i).is_multiple_of(step) {
                format!("{}月", p.period.month())
            } else {
                String::new()
            }
        })
        .collect()
}

/// The county's monthly series, one panel per headline metric, for the `months` given (the
/// title names their span). A value stands above its marker.
pub(super) fn trend<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &MonthFigures,
    months: &[TrendPoint],
    ids: &[(String, String)],
) -> Result<(), ChartError> {
    let labels = month_labels(months);
    let root = root
        .margin(10, 0, 0, 0)
        .titled(title, (FAMILY, TITLE_PX))
        .map_err(e)?;
    let panels = root.split_evenly((ids.len().div_ceil(2), 2));
    for ((id, label), area) in ids.iter().zip(panels.iter()) {
        // A month whose form did not have the metric is left out, never drawn as 0.
        let idx = m.index(id);
        let v: Vec<Option<i64>> = months
            .iter()
            .map(|p| idx.and_then(|i| p.metrics[i]))
            .collect();
        let max = v.iter().flatten().copied().max().unwrap_or(1).max(1) as f64 * 1.3;
        let n = months.len().max(1);
        let mut chart = ChartBuilder::on(area)
            .caption(label, (FAMILY, LABEL_PX))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..max)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_labels(n)
            .y_labels(6)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .label_style((FAMILY, VALUE_PX))
            .draw()
            .map_err(e)?;
        let pts: Vec<(f64, f64)> = v
            .iter()
            .enumerate()
            .filter_map(|(i, y)| Some((i as f64, (*y)? as f64)))
            .collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), PALETTE[0].stroke_width(3)))
            .map_err(e)?;
        chart
            .draw_series(pts.iter().map(|p| {
                EmptyElement::at(*p)
                    + Circle::new((0, 0), 5, PALETTE[1].filled())
                    + Text::new(
                        format!("{}", p.1 as i64),
                        (0, -10),
                        TextStyle::from((FAMILY, VALUE_PX).into_font())
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
            }))
            .map_err(e)?;
    }
    Ok(())
}

/// Units (rows, in the config's order) × headline metrics, each column shaded against its
/// largest value.
pub(super) fn heat<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &MonthFigures,
    rows: &[&UnitMonth],
    ids: &[(String, String)],
) -> Result<(), ChartError> {
    let root = root
        .margin(10, 0, 0, 0)
        .titled(title, (FAMILY, TITLE_PX))
        .map_err(e)?;
    let (w, h) = root.dim_in_pixel();
    let units: Vec<String> = rows.iter().map(|u| drawn(&u.name)).collect();
    let widest = units.iter().map(|s| s.chars().count()).max().unwrap_or(4) as i32;
    let (left, top) = ((widest * LABEL_PX as i32 * 100 / 124 + 24).max(120), 64i32);
    let cw = (w as i32 - left - 20) / ids.len().max(1) as i32;
    let ch = ((h as i32 - top - 20) / units.len().max(1) as i32).max(1);
    for (j, (id, label)) in ids.iter().enumerate() {
        let x = left + j as i32 * cw + cw / 2;
        root.draw(&Text::new(
            label.clone(),
            (x, top - 10),
            TextStyle::from((FAMILY, VALUE_PX).into_font())
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))
        .map_err(e)?;
        let col: Vec<i64> = rows.iter().map(|u| value(m, u, id).unwrap_or(0)).collect();
        let max = col.iter().copied().max().unwrap_or(1).max(1) as f64;
        for (i, v) in col.iter().enumerate() {
            let t = *v as f64 / max;
            let color = RGBColor(
                255 - (t * 215.0) as u8,
                255 - (t * 150.0) as u8,
                255 - (t * 80.0) as u8,
            );
            let (x0, y0) = (left + j as i32 * cw, top + i as i32 * ch);
            root.draw(&Rectangle::new(
                [(x0, y0), (x0 + cw - 2, y0 + ch - 2)],
                color.filled(),
            ))
            .map_err(e)?;
            // White only on a shade dark enough to read it on.
            let ink = if t > 0.7 { WHITE } else { BLACK };
            root.draw(&Text::new(
                v.to_string(),
                (x0 + cw / 2, y0 + ch / 2),
                (FAMILY, VALUE_PX)
                    .into_font()
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))
            .map_err(e)?;
        }
    }
    for (i, u) in units.iter().enumerate() {
        root.draw(&Text::new(
            u.clone(),
            (left - 8, top + i as i32 * ch + ch / 2),
            TextStyle::from((FAMILY, LABEL_PX).into_font())
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(e)?;
    }
    Ok(())
}
