//! The summary's charts, PNG and SVG (text as paths, the shipped font): the region's monthly
//! series of each headline metric, units ranked over the span, deputies' levels stacked by unit.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rayon::prelude::*;

use super::Summary;
use crate::config::Config;
use crate::report::charts::ChartError;
use crate::report::font::{self, FAMILY};

const W: u32 = 1200;
const H: u32 = 800;
/// Most units one ranking draws (a province's 2,000 towns would be unreadable): the top ones.
pub const MOST_UNITS: usize = 30;
const BLUE: RGBColor = RGBColor(0x2F, 0x55, 0x97);
const PALETTE: [RGBColor; 6] = [
    BLUE,
    RGBColor(0xC0, 0x50, 0x4D),
    RGBColor(0x9B, 0xBB, 0x59),
    RGBColor(0x80, 0x64, 0xA2),
    RGBColor(0x4B, 0xAC, 0xC6),
    RGBColor(0xF7, 0x96, 0x46),
];

fn e<E: std::error::Error + Send + Sync + 'static>(source: E) -> ChartError {
    ChartError::Draw {
        chart: String::new(),
        source: Box::new(source),
    }
}

/// One chart: its file name and what it draws.
enum Chart {
    /// Units ranked: (name, value), most first.
    Bars(String, String, Vec<(String, i64)>),
    /// Units' levels stacked: level labels, (unit, values per level).
    Stacked(String, Vec<String>, Vec<(String, Vec<i64>)>),
    /// The region by month: month labels, (metric label, values per month).
    Trend(String, Vec<String>, Vec<(String, Vec<Option<i64>>)>),
}

impl Chart {
    fn draw<DB: DrawingBackend<ErrorType: 'static>>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        match self {
            Chart::Bars(title, axis, data) => {
                let rows: Vec<(String, Vec<i64>)> =
                    data.iter().map(|(n, v)| (n.clone(), vec![*v])).collect();
                rows_chart(root, title, axis, &[], &rows)
            }
            Chart::Stacked(title, levels, rows) => rows_chart(root, title, "", levels, rows),
            Chart::Trend(title, months, series) => trend(root, title, months, series),
        }
    }
}

/// One row per unit (first at the top), its values stacked; labelled with the total.
fn rows_chart<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    axis: &str,
    legend: &[String],
    rows: &[(String, Vec<i64>)],
) -> Result<(), ChartError> {
    let n = rows.len().max(1) as i32;
    let most = rows
        .iter()
        .map(|r| r.1.iter().sum::<i64>())
        .max()
        .unwrap_or(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FAMILY, 28))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(130)
        .build_cartesian_2d(0f64..most.max(1) as f64 * 1.15, 0f64..n as f64)
        .map_err(e)?;
    let at = |k: usize| (n - 1 - k as i32) as f64;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc(axis)
        .label_style((FAMILY, 16))
        .axis_desc_style((FAMILY, 18))
        .draw()
        .map_err(e)?;
    let parts = rows.first().map_or(0, |r| r.1.len());
    for part in 0..parts {
        let color = PALETTE[part % PALETTE.len()];
        let series = chart
            .draw_series(rows.iter().enumerate().map(|(k, (_, v))| {
                let from: i64 = v[..part].iter().sum();
                let y = at(k);
                Rectangle::new(
                    [(from as f64, y + 0.15), ((from + v[part]) as f64, y + 0.85)],
                    color.filled(),
                )
            }))
            .map_err(e)?;
        if let Some(l) = legend.get(part) {
            series.label(l.clone()).legend(move |(x, y)| {
                Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled())
            });
        }
    }
    let style = |h| TextStyle::from((FAMILY, 15).into_font()).pos(Pos::new(h, VPos::Center));
    for (k, (name, v)) in rows.iter().enumerate() {
        let total: i64 = v.iter().sum();
        let y = at(k) + 0.5;
        chart
            .draw_series([Text::new(
                format!(" {total}"),
                (total as f64, y),
                style(HPos::Left),
            )])
            .map_err(e)?;
        let (px, py) = chart.backend_coord(&(0.0, y));
        root.draw(&Text::new(name.clone(), (px - 8, py), style(HPos::Right)))
            .map_err(e)?;
    }
    if !legend.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FAMILY, 16))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(e)?;
    }
    Ok(())
}

/// One panel per metric: the region's monthly values (a month without a figure is left out,
/// never drawn as 0).
fn trend<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    months: &[String],
    series: &[(String, Vec<Option<i64>>)],
) -> Result<(), ChartError> {
    let root = root.titled(title, (FAMILY, 28)).map_err(e)?;
    let panels = root.split_evenly((series.len().div_ceil(2), 2));
    let n = months.len().max(1);
    for ((label, v), area) in series.iter().zip(panels.iter()) {
        let max = v.iter().flatten().copied().max().unwrap_or(1).max(1) as f64 * 1.2;
        let mut chart = ChartBuilder::on(area)
            .caption(label, (FAMILY, 18))
            .margin(10)
            .x_label_area_size(26)
            .y_label_area_size(56)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..max)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_labels(n)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .x_label_formatter(&|x| {
                let i = x.round();
                let on = (x - i).abs() < 1e-6 && i >= 0.0;
                on.then(|| months.get(i as usize).cloned())
                    .flatten()
                    .unwrap_or_default()
            })
            .label_style((FAMILY, 13))
            .draw()
            .map_err(e)?;
        let pts: Vec<(f64, f64)> = v
            .iter()
            .enumerate()
            .filter_map(|(i, y)| Some((i as f64, (*y)? as f64)))
            .collect();
        // Lines join consecutive months only: a gap (a month without a figure) stays a gap.
        let runs = pts.chunk_by(|a, b| b.0 - a.0 == 1.0);
        for run in runs {
            chart
                .draw_series(LineSeries::new(run.to_vec(), BLUE.stroke_width(3)))
                .map_err(e)?;
        }
        chart
            .draw_series(pts.iter().map(|p| Circle::new(*p, 4, PALETTE[1].filled())))
            .map_err(e)?;
    }
    Ok(())
}

fn named(name: &str, x: ChartError) -> ChartError {
    match x {
        ChartError::Draw { chart, source } if chart.is_empty() => ChartError::Draw {
            chart: name.to_string(),
            source,
        },
        other => other,
    }
}

fn draw_file(dir: &Path, name: &str, c: &Chart, svg: bool) -> Result<(), ChartError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| ChartError::Io { path, source }
    };
    if svg {
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (W, H)).into_drawing_area();
            root.fill(&WHITE).map_err(e)?;
            c.draw(&root)?;
            root.present().map_err(e)?;
        }
        let path = dir.join(format!("{name}.svg"));
        std::fs::write(&path, font::svg_text_to_paths(&s)).map_err(io(&path))
    } else {
        let path = dir.join(format!("{name}.png"));
        let root = BitMapBackend::new(&path, (W, H)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        c.draw(&root)?;
        root.present().map_err(e)
    }
}

/// The charts of a summary: (file name, chart).
fn charts(s: &Summary, config: &Config) -> Vec<(String, Chart)> {
    let head = |what: &str| {
        let prelim = if s.preliminary() { "（初步）" } else { "" };
        format!("{}{} {what}{prelim}", config.region.name, s.label())
    };
    let deputies = config.deputies_label();
    let mut headline = vec![(
        "deputies_total".to_string(),
        deputies.clone(),
        "人次".to_string(),
    )];
    headline.extend(
        config
            .headline_metrics()
            .map(|m| (m.id.clone(), m.label.clone(), m.measure.clone())),
    );
    let mut out = Vec::new();
    let span = s.span.months();
    let months: Vec<String> = span.iter().map(|p| format!("{}月", p.month())).collect();
    let series = headline
        .iter()
        .filter_map(|(id, label, measure)| {
            let i = s.index(id)?;
            let v = span.iter().map(|p| {
                s.by_month
                    .iter()
                    .find(|m| m.period == *p)
                    .and_then(|m| m.values[i])
            });
            let measure = if id == "deputies_total" {
                "人"
            } else {
                measure
            };
            Some((format!("{label}（{measure}）"), v.collect()))
        })
        .collect();
    out.push((
        "trend".into(),
        Chart::Trend(
            head(&format!("{}逐月", config.region.scope)),
            months,
            series,
        ),
    ));
    for (id, label, measure) in &headline {
        let Some(i) = s.index(id) else { continue };
        let mut data: Vec<(String, i64)> = s
            .units
            .iter()
            .filter_map(|u| Some((u.name.clone(), u.totals[i].value()?)))
            .collect();
        data.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = if data.len() > MOST_UNITS {
            format!("（前{MOST_UNITS}名）")
        } else {
            String::new()
        };
        data.truncate(MOST_UNITS);
        let title = head(&format!("各镇街{label}{top}"));
        out.push((
            format!("units_{id}"),
            Chart::Bars(title, format!("{label}（{measure}）"), data),
        ));
    }
    let levels: Vec<(usize, String)> = config
        .level_metrics()
        .filter_map(|m| Some((s.index(&m.id)?, format!("{}级", m.label))))
        .collect();
    let mut rows: Vec<(String, Vec<i64>)> = s
        .units
        .iter()
        .filter(|u| !u.months.is_empty())
        .filter_map(|u| {
            let v = levels.iter().map(|(i, _)| u.totals[*i].value());
            Some((u.name.clone(), v.collect::<Option<Vec<i64>>>()?))
        })
        .collect();
    let top = if rows.len() > MOST_UNITS {
        rows.sort_by_key(|r| std::cmp::Reverse(r.1.iter().sum::<i64>()));
        rows.truncate(MOST_UNITS);
        format!("（前{MOST_UNITS}名）")
    } else {
        String::new()
    };
    let title = head(&format!("各镇街{deputies}（人次，按层级）{top}"));
    let labels = levels.into_iter().map(|l| l.1).collect();
    out.push(("levels_by_unit".into(), Chart::Stacked(title, labels, rows)));
    out
}

/// Writes every chart to `dir/charts/<name>.png` and `.svg`, drawn in parallel; the first
/// failure in chart order is returned.
pub fn write_all(s: &Summary, config: &Config, dir: &Path) -> Result<(), ChartError> {
    let dir = dir.join("charts");
    std::fs::create_dir_all(&dir).map_err(|source| ChartError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    font::register();
    let charts = charts(s, config);
    let jobs: Vec<(&String, &Chart, bool)> = charts
        .iter()
        .flat_map(|(n, c)| [(n, c, false), (n, c, true)])
        .collect();
    let done: Vec<Result<(), ChartError>> = jobs
        .par_iter()
        .map(|(n, c, svg)| draw_file(&dir, n, c, *svg).map_err(|x| named(n, x)))
        .collect();
    done.into_iter().collect()
}
