//! A rate per unit as bars (a sheet kind's `core::part::RateChart`: the ledger's 办结率),
//! highest first, on an axis from 0 % to 100 %.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::bars::unit_axes;
use super::{ChartError, FAMILY, GRID, LABEL_PX, VALUE_PX, drawn, e};

/// The bars' colour: a green dark enough for the white rate written inside each bar.
const RATE_GREEN: RGBColor = RGBColor(0x4E, 0x7D, 0x2A);

/// Rates by unit, highest first, on an axis from 0 % to 100 % whose ticks say %; each rate
/// is written inside its bar's end (beside a bar too short to hold it).
pub(super) fn rate_bars<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    desc: &str,
    data: &[(String, f64)],
) -> Result<(), ChartError> {
    let n = data.len().max(1) as i32;
    let names: Vec<String> = data.iter().map(|d| drawn(&d.0)).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut chart = unit_axes(root, title, (100.0, n), &refs)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_max_light_lines(0)
        .bold_line_style(GRID)
        .x_labels(6)
        .y_labels(data.len())
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => names
                .get((n - 1 - *i) as usize)
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|x| format!("{x:.0}%"))
        .x_desc(desc)
        .label_style((FAMILY, LABEL_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()
        .map_err(e)?;
    let row = |k: usize| n - 1 - k as i32;
    chart
        .draw_series(data.iter().enumerate().map(|(k, (_, v))| {
            let mut r = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(row(k))),
                    (v.clamp(0.0, 100.0), SegmentValue::Exact(row(k) + 1)),
                ],
                RATE_GREEN.filled(),
            );
            r.set_margin(5, 5, 0, 0);
            r
        }))
        .map_err(e)?;
    chart
        .draw_series(data.iter().enumerate().map(|(k, (_, v))| {
            // Inside the bar's end when it is long enough to hold "100.0%", else beside it.
            let inside = *v >= 20.0;
            let (text, anchor, ink): (_, _, &'static RGBColor) = if inside {
                (format!("{v:.1}% "), HPos::Right, &WHITE)
            } else {
                (format!(" {v:.1}%"), HPos::Left, &BLACK)
            };
            Text::new(
                text,
                (v.clamp(0.0, 100.0), SegmentValue::CenterOf(row(k))),
                TextStyle::from((FAMILY, VALUE_PX).into_font())
                    .color(ink)
                    .pos(Pos::new(anchor, VPos::Center)),
            )
        }))
        .map_err(e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_font_has_every_glyph_of_the_rate_charts() {
        let config = crate::config::Config::embedded();
        let charts = crate::forms::Folded::default().rate_charts(&config);
        assert!(!charts.is_empty());
        let mut all = String::from("0123456789.%");
        for c in &charts {
            all.push_str(&c.what);
            all.push_str(&c.description);
        }
        assert!(
            crate::report::font::missing_glyphs(&all).is_empty(),
            "{:?}",
            crate::report::font::missing_glyphs(&all)
        );
    }
}
