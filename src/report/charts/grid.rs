//! The two charts that are grids rather than one row per unit: the monthly trend (one panel
//! per headline metric) and the units × metrics heat map.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FAMILY, PALETTE, e, value};
use crate::report::view::{MonthFigures, UnitMonth};

pub(super) fn trend<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &MonthFigures,
    ids: &[(String, String)],
) -> Result<(), ChartError> {
    let periods: Vec<String> = m.trend.iter().map(|p| p.period.to_string()).collect();
    let root = root.titled(title, (FAMILY, 30)).map_err(e)?;
    let panels = root.split_evenly((ids.len().div_ceil(2), 2));
    for ((id, label), area) in ids.iter().zip(panels.iter()) {
        // A month whose form did not have the metric is left out, never drawn as 0.
        let idx = m.index(id);
        let v: Vec<Option<i64>> = m
            .trend
            .iter()
            .map(|p| idx.and_then(|i| p.metrics[i]))
            .collect();
        let max = v.iter().flatten().copied().max().unwrap_or(1).max(1) as f64 * 1.2;
        let n = periods.len().max(1);
        let mut chart = ChartBuilder::on(area)
            .caption(label, (FAMILY, 20))
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..max)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_labels(n)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    periods.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .label_style((FAMILY, 14))
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
            .draw_series(pts.iter().map(|p| Circle::new(*p, 5, PALETTE[1].filled())))
            .map_err(e)?;
        chart
            .draw_series(pts.iter().map(|p| {
                Text::new(
                    format!("{}", p.1 as i64),
                    *p,
                    TextStyle::from((FAMILY, 14).into_font())
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            }))
            .map_err(e)?;
    }
    Ok(())
}

pub(super) fn heat<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &MonthFigures,
    rows: &[&UnitMonth],
    ids: &[(String, String)],
) -> Result<(), ChartError> {
    let root = root.titled(title, (FAMILY, 30)).map_err(e)?;
    let (w, h) = root.dim_in_pixel();
    let rows: Vec<&UnitMonth> = rows.iter().rev().copied().collect();
    let units: Vec<String> = rows.iter().map(|u| u.name.clone()).collect();
    let (left, top) = (120i32, 50i32);
    let cw = (w as i32 - left - 20) / ids.len().max(1) as i32;
    let ch = ((h as i32 - top - 20) / units.len().max(1) as i32).max(1);
    for (j, (id, label)) in ids.iter().enumerate() {
        let x = left + j as i32 * cw + cw / 2;
        root.draw(&Text::new(
            label.clone(),
            (x, top - 10),
            TextStyle::from((FAMILY, 16).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))
        .map_err(e)?;
        let col: Vec<i64> = rows.iter().map(|u| value(m, u, id).unwrap_or(0)).collect();
        let max = col.iter().copied().max().unwrap_or(1).max(1) as f64;
        for (i, v) in col.iter().enumerate() {
            let t = *v as f64 / max;
            let color = RGBColor(
                255 - (t * 200.0) as u8,
                255 - (t * 120.0) as u8,
                255 - (t * 40.0) as u8,
            );
            let (x0, y0) = (left + j as i32 * cw, top + i as i32 * ch);
            root.draw(&Rectangle::new(
                [(x0, y0), (x0 + cw - 2, y0 + ch - 2)],
                color.filled(),
            ))
            .map_err(e)?;
            let ink = if t > 0.6 { WHITE } else { BLACK };
            root.draw(&Text::new(
                v.to_string(),
                (x0 + cw / 2, y0 + ch / 2),
                (FAMILY, 15)
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
            TextStyle::from((FAMILY, 16).into_font()).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(e)?;
    }
    Ok(())
}
