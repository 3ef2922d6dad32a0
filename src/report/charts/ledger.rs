//! The 办结率-by-unit chart of the suggestions ledger: units with a ledger, highest rate first
//! (units that never sent one are left out and the axis says so).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FAMILY, PALETTE, e, unit_axes};
use crate::config::Config;
use crate::figures::MonthFigures;

/// Words of the 办结率 chart beside the config's (checked against the shipped font in tests).
pub const TEXTS: [&str; 3] = [
    "各镇街意见建议办结率",
    "办结率（%）",
    "未报送台账的镇街不列入",
];

/// 办结率 per unit with a ledger, highest first: (unit name, percent).
pub(super) fn rates(m: &MonthFigures, config: &Config) -> Vec<(String, f64)> {
    let Some(state) = &m.ledger else {
        return Vec::new();
    };
    let mut v: Vec<(String, f64)> = state
        .units
        .iter()
        .filter_map(|u| {
            let rate = u.figures?.rate()?;
            let name = config
                .unit(&u.unit_id)
                .map_or(u.unit_id.clone(), |x| x.name.clone());
            Some((name, rate * 100.0))
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

pub(super) fn rate_bars<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    desc: &str,
    data: &[(String, f64)],
) -> Result<(), ChartError> {
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
        .x_desc(desc)
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_font_has_every_glyph_of_the_ledger_chart() {
        let all: String = super::TEXTS.concat() + "0123456789.%";
        assert!(
            crate::report::font::missing_glyphs(&all).is_empty(),
            "{:?}",
            crate::report::font::missing_glyphs(&all)
        );
    }
}
