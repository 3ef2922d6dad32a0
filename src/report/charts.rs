//! Charts of a published month, as PNG and SVG, drawn with plotters and the shipped CJK font:
//! units per headline metric, levels and methods per unit, the monthly trend, a heat map.

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

mod draw;
mod grid;
mod percent;

use draw::chart;
use grid::{heat, trend};

use super::font::{self, FAMILY};
use super::view::{MonthFigures, UnitMonth, View};
use crate::config::Config;
pub use percent::Percentages;

const W: u32 = 1200;
const H: u32 = 800;
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x2F, 0x55, 0x97),
    RGBColor(0xC0, 0x50, 0x4D),
    RGBColor(0x9B, 0xBB, 0x59),
    RGBColor(0x80, 0x64, 0xA2),
    RGBColor(0x4B, 0xAC, 0xC6),
    RGBColor(0xF7, 0x96, 0x46),
];

/// Warnings for characters of the config the shipped font lacks (they would show as boxes).
pub fn glyph_warnings(config: &Config) -> Vec<String> {
    let all: String = config.display_texts().concat();
    let missing = font::missing_glyphs(&all);
    if missing.is_empty() {
        return Vec::new();
    }
    let s: String = missing.into_iter().collect();
    vec![format!(
        "图表字体缺少这些字:{s}(会显示为方框)。请按 assets/fonts/make_subset.py 重新生成字体子集"
    )]
}

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// plotters failed drawing it.
    #[error("图表 {chart} 绘制失败:{source}")]
    Draw {
        /// The chart's file name (without extension).
        chart: String,
        /// plotters' error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A chart file or folder could not be written.
    #[error("写入图表 {path} 失败:{source}")]
    Io {
        /// The file or folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// A plotters error, named by `both` with its chart.
fn e<E: std::error::Error + Send + Sync + 'static>(source: E) -> ChartError {
    ChartError::Draw {
        chart: String::new(),
        source: Box::new(source),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ChartError + '_ {
    move |source| ChartError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A unit's value of a metric id this month.
fn value(m: &MonthFigures, u: &UnitMonth, id: &str) -> Option<i64> {
    m.index(id).and_then(|i| u.metrics[i].value)
}

/// Series of one bar chart: (unit names, values) sorted descending.
fn sorted(m: &MonthFigures, id: &str) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = m
        .units
        .iter()
        .filter_map(|u| Some((u.name.clone(), value(m, u, id)?)))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// A chart with one row per unit (segments on y) and counts on x, as both bar charts use.
fn unit_axes<'a, DB: DrawingBackend<ErrorType: 'static>>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    max: f64,
    n: i32,
) -> Result<
    ChartContext<'a, DB, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordi32>>>,
    ChartError,
> {
    // A month with no unit counted still draws its (empty) axes.
    let n = n.max(1);
    ChartBuilder::on(root)
        .caption(title, (FAMILY, 30))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(120)
        .build_cartesian_2d(0f64..max, (0..n - 1).into_segmented())
        .map_err(e)
}

fn bars<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    unit: &str,
    data: &[(String, i64)],
) -> Result<(), ChartError> {
    let max = data.iter().map(|d| d.1).max().unwrap_or(1).max(1) as f64 * 1.12;
    let n = data.len() as i32;
    let mut chart = unit_axes(root, title, max, n)?;
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
        .x_label_formatter(&|x| format!("{x:.0}"))
        .x_desc(unit)
        .label_style((FAMILY, 18))
        .axis_desc_style((FAMILY, 18))
        .draw()
        .map_err(e)?;
    chart
        .draw_series(data.iter().enumerate().map(|(k, (_, v))| {
            let i = n - 1 - k as i32;
            let mut r = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (*v as f64, SegmentValue::Exact(i + 1)),
                ],
                PALETTE[0].filled(),
            );
            r.set_margin(4, 4, 0, 0);
            r
        }))
        .map_err(e)?;
    chart
        .draw_series(data.iter().enumerate().map(|(k, (_, v))| {
            let i = n - 1 - k as i32;
            Text::new(
                format!(" {v}"),
                (*v as f64, SegmentValue::CenterOf(i)),
                TextStyle::from((FAMILY, 16).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))
        .map_err(e)?;
    Ok(())
}

/// The units that reported, in the config's unit order, first unit last (top of a bar chart).
fn config_rows<'a>(m: &'a MonthFigures, config: &Config) -> Vec<&'a UnitMonth> {
    let mut rows: Vec<&UnitMonth> = config.units.iter().filter_map(|u| m.unit(&u.id)).collect();
    rows.reverse();
    rows
}

fn stacked<DB: DrawingBackend<ErrorType: 'static>>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &MonthFigures,
    rows: &[&UnitMonth],
    ids: &[(String, String)],
) -> Result<(), ChartError> {
    let units: Vec<String> = rows.iter().map(|u| u.name.clone()).collect();
    let vals: Vec<Vec<i64>> = rows
        .iter()
        .map(|u| {
            ids.iter()
                .map(|(id, _)| value(m, u, id).unwrap_or(0))
                .collect()
        })
        .collect();
    let max = vals
        .iter()
        .map(|v| v.iter().sum::<i64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.08;
    let n = units.len() as i32;
    let mut chart = unit_axes(root, title, max, n)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(units.len())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => units.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FAMILY, 18))
        .draw()
        .map_err(e)?;
    for (k, (_, label)) in ids.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        chart
            .draw_series(vals.iter().enumerate().map(|(i, v)| {
                let from: i64 = v[..k].iter().sum();
                let mut r = Rectangle::new(
                    [
                        (from as f64, SegmentValue::Exact(i as i32)),
                        ((from + v[k]) as f64, SegmentValue::Exact(i as i32 + 1)),
                    ],
                    color.filled(),
                );
                r.set_margin(4, 4, 0, 0);
                r
            }))
            .map_err(e)?
            .label(label.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font((FAMILY, 18))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;
    Ok(())
}

/// One bar chart of units: file name, title, axis words and (unit, value) sorted descending.
struct Bars {
    name: String,
    title: String,
    unit: String,
    data: Vec<(String, i64)>,
}

/// Writes every chart into `dir/charts/` (drawn in parallel, see [`draw::all`]).
pub fn write_all(view: &View, config: &Config, dir: &Path) -> Result<(), ChartError> {
    let dir = dir.join("charts");
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let (m, p, prelim) = (view.figures, view.period(), view.prelim());
    let page = super::Page {
        config,
        period: p,
        prelim,
    };
    let head = |what: &str| page.chart_title(what);
    let deputies = config.deputies_label();
    let mut headline = vec![(
        "deputies_total".to_string(),
        deputies.clone(),
        "人".to_string(),
    )];
    headline.extend(
        config
            .headline_metrics()
            .map(|x| (x.id.clone(), x.label.clone(), x.measure.clone())),
    );
    // What each chart draws, owned here; the charts below borrow it.
    let units: Vec<Bars> = headline
        .iter()
        .map(|(id, label, measure)| Bars {
            name: format!("units_{id}"),
            title: head(&format!("各镇街{label}")),
            unit: format!("{label}（{measure}）"),
            data: sorted(m, id),
        })
        .collect();
    let levels: Vec<(String, String)> = config
        .level_metrics()
        .map(|x| (x.id.clone(), format!("{}级", x.label)))
        .collect();
    let levels_title = head(&format!("各镇街{deputies}（按层级）"));
    let rows = config_rows(m, config);
    let methods: Vec<(String, String)> = config
        .method_metrics()
        .map(|x| (x.id.clone(), x.label.clone()))
        .collect();
    let methods_title = head(&format!("各镇街{}（次）", config.methods_label()));
    let pairs: Vec<(String, String)> = headline
        .iter()
        .map(|(id, l, x)| (id.clone(), format!("{l}（{x}）")))
        .collect();
    let trend_title = format!(
        "{}{}逐月趋势（截至{}年{}月）{prelim}",
        config.region.name,
        config.region.scope,
        p.year(),
        p.month()
    );
    let heat_title = head("各镇街主要指标对比（颜色按各指标最大值归一）");
    let parts: Vec<Percentages> = view.parts.iter().flat_map(|x| x.charts(&page)).collect();
    let (rows, pairs) = (&rows[..], &pairs[..]);
    let mut charts: Vec<draw::Chart> = units
        .iter()
        .map(|b| {
            chart!(&b.name, move |root| {
                bars(root, &b.title, &b.unit, &b.data)
            })
        })
        .collect();
    let (title, ids) = (&levels_title, &levels[..]);
    charts.push(chart!("levels_by_unit", move |root| {
        stacked(root, title, m, rows, ids)
    }));
    let (title, ids) = (&methods_title, &methods[..]);
    charts.push(chart!("methods_by_unit", move |root| {
        stacked(root, title, m, rows, ids)
    }));
    let title = &trend_title;
    charts.push(chart!("trend", move |root| {
        trend(root, title, m, pairs)
    }));
    let title = &heat_title;
    charts.push(chart!("heatmap", move |root| {
        heat(root, title, m, rows, pairs)
    }));
    for x in &parts {
        charts.push(chart!(&x.name, move |root| {
            percent::percent_bars(root, x)
        }));
    }
    draw::all(&dir, &charts)
}
