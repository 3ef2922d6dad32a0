//! Charts of a published month, as PNG and SVG, drawn with plotters and the shipped CJK font:
//! units per headline metric, levels and methods per unit, the monthly trend, a heat map.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

mod bars;
mod draw;
mod grid;
mod rates;
mod text;

use bars::{Bars, bars, stacked};
use draw::chart;
use grid::{heat, trend};

use super::font::{self, FAMILY};
use crate::config::Config;
use crate::core::part::RateChart;
use crate::figures::{MonthFigures, UnitMonth};
use crate::forms::Folded;
use crate::report::View;

const W: u32 = 1200;
const H: u32 = 800;
/// Text sizes as plotters takes them: an em is the size ÷ 1.24 pixels (the SVG's
/// `font-size`). A chart printed across an A4 page (17 cm for 1200 px) gives a pixel 0.4 pt,
/// so the smallest text, `VALUE_PX` (an em of 21 px), prints at 8.4 pt.
const TITLE_PX: u32 = 38;
const LABEL_PX: u32 = 28;
const VALUE_PX: u32 = 26;
/// Months the trend chart shows at most: this month and the same month a year before.
const TREND_MONTHS: usize = 13;
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x2F, 0x55, 0x97),
    RGBColor(0xC0, 0x50, 0x4D),
    RGBColor(0x9B, 0xBB, 0x59),
    RGBColor(0x80, 0x64, 0xA2),
    RGBColor(0x4B, 0xAC, 0xC6),
    RGBColor(0xF7, 0x96, 0x46),
];
/// Grid lines: one light grey at each labelled tick, no minor lines.
const GRID: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);

/// Warnings for characters of the config the shipped font lacks (they would show as boxes).
pub fn glyph_warnings(config: &Config) -> Vec<String> {
    let all: String = config.display_texts().concat();
    let missing = font::missing_glyphs(&all);
    if missing.is_empty() {
        return Vec::new();
    }
    let s: String = missing.into_iter().collect();
    vec![format!(
        "图表字体缺少这些字：{s}（会显示为方框）。请按 assets/fonts/make_subset.py 重新生成字体子集"
    )]
}

/// Why a chart could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// plotters failed drawing it.
    #[error("图表 {chart} 绘制失败：{source}")]
    Draw {
        /// The chart's file name (without extension).
        chart: String,
        /// plotters' error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A chart file or folder could not be written.
    #[error("写入图表 {path} 失败：{source}")]
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

/// Text as a chart draws it: as written (full-width brackets and all, set with each glyph's
/// side bearing, see `text`), with no control character.
fn drawn(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
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

/// The units that reported, in the config's unit order.
fn config_rows<'a>(m: &'a MonthFigures, config: &Config) -> Vec<&'a UnitMonth> {
    config.units.iter().filter_map(|u| m.unit(&u.id)).collect()
}

/// The file names of the month's charts (without extension), in the order they are drawn:
/// `各镇街<指标>` per headline metric, then 各镇街代表层级, 各镇街活动方式, 逐月趋势,
/// 各镇街主要指标对比 and the sheet kinds' ([`Folded::chart_names`]: 各镇街意见建议办结率); a
/// roll-up's say its unit word instead of 镇街 (各县市区接待走访选民). Characters a file name
/// cannot hold are written `_`.
///
/// ```
/// let names = liaison::report::charts::file_names(&liaison::config::Config::embedded());
/// assert_eq!(names[1], "各镇街接待走访选民");
/// assert_eq!(names.last().unwrap(), "各镇街意见建议办结率");
/// ```
pub fn file_names(config: &Config) -> Vec<String> {
    let safe = |s: String| -> String {
        s.chars()
            .map(|c| {
                if c.is_control() || "/\\:*?\"<>|".contains(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect()
    };
    // A county's files keep the names its clerks know (镇街, whatever its unit word); a
    // roll-up's are named by its units (各县市区…).
    let word = if config.is_rollup() {
        config.unit_word()
    } else {
        "镇街"
    };
    let mut v: Vec<String> = std::iter::once(config.deputies_label())
        .chain(config.headline_metrics().map(|x| x.label.clone()))
        .map(|l| safe(format!("各{word}{l}")))
        .collect();
    v.push(safe(format!("各{word}代表层级")));
    v.push(safe(format!("各{word}{}", config.methods_label())));
    v.push("逐月趋势".into());
    v.push(safe(format!("各{word}主要指标对比")));
    v.extend(
        Folded::chart_names(config)
            .iter()
            .map(|n| safe(n.replace("镇街", word))),
    );
    v
}

/// The headline measures a chart per measure draws: the deputies, then the config's headline
/// metrics, each as (id, label, measure word).
fn headline(config: &Config) -> Vec<(String, String, String)> {
    let mut out = vec![(
        "deputies_total".to_string(),
        config.deputies_label(),
        "人".to_string(),
    )];
    out.extend(
        config
            .headline_metrics()
            .map(|x| (x.id.clone(), x.label.clone(), x.measure.clone())),
    );
    out
}

/// The trend chart's title: the region once, and the months it spans.
fn trend_title(
    months: &[crate::figures::TrendPoint],
    p: crate::core::text::Period,
    config: &Config,
    prelim: &str,
) -> String {
    let span = match (months.first(), months.last()) {
        (Some(a), Some(b)) if a != b => format!(
            "{}年{}月至{}年{}月",
            a.period.year(),
            a.period.month(),
            b.period.year(),
            b.period.month()
        ),
        _ => format!("{}年{}月", p.year(), p.month()),
    };
    drawn(&format!(
        "{}代表进站活动逐月趋势（{span}）{prelim}",
        config.region.name
    ))
}

/// Writes every chart into `dir/charts/`, drawn in parallel (each chart to PNG and to SVG, as
/// independent jobs on the rayon pool).
pub fn write_all(
    m: &MonthFigures,
    report: &View,
    config: &Config,
    dir: &Path,
) -> Result<(), ChartError> {
    let dir = dir.join("charts");
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let p = report.period;
    let prelim = if report.preliminary() {
        "（初步）"
    } else {
        ""
    };
    let head = |what: &str| {
        drawn(&format!(
            "{}{}年{}月 {what}{prelim}",
            config.region.name,
            p.year(),
            p.month()
        ))
    };
    let names = file_names(config);
    let deputies = config.deputies_label();
    let headline = headline(config);
    // What each chart draws, owned here; the charts below borrow it.
    let units: Vec<Bars> = headline
        .iter()
        .zip(&names)
        .map(|((id, label, measure), name)| Bars {
            name: name.clone(),
            title: head(&format!("各{}{label}", config.unit_word())),
            unit: drawn(&format!("{label}（{measure}）")),
            data: sorted(m, id),
        })
        .collect();
    let levels: Vec<(String, String)> = config
        .level_metrics()
        .map(|x| (x.id.clone(), format!("{}级", x.label)))
        .collect();
    let levels_title = head(&format!("各{}{deputies}（按层级）", config.unit_word()));
    let rows = config_rows(m, config);
    let methods: Vec<(String, String)> = config
        .method_metrics()
        .map(|x| (x.id.clone(), drawn(&x.label)))
        .collect();
    let methods_title = head(&format!(
        "各{}{}（次）",
        config.unit_word(),
        config.methods_label()
    ));
    let pairs: Vec<(String, String)> = headline
        .iter()
        .map(|(id, l, x)| (id.clone(), drawn(&format!("{l}（{x}）"))))
        .collect();
    let months = &m.trend[m.trend.len().saturating_sub(TREND_MONTHS)..];
    let trend_title = trend_title(months, p, config, prelim);
    let heat_title = head(&format!(
        "各{}主要指标对比（颜色按各指标最大值归一）",
        config.unit_word()
    ));
    let kinds: Vec<(String, RateChart)> = m
        .folded
        .rate_charts(config)
        .into_iter()
        .map(|c| (head(&c.what), c))
        .collect();
    let (rows, pairs) = (&rows[..], &pairs[..]);
    let mut charts: Vec<draw::Chart> = units
        .iter()
        .map(|b| chart!(&b.name, move |root| { bars(root, b) }))
        .collect();
    let (title, ids) = (&levels_title, &levels[..]);
    charts.push(chart!(&names[units.len()], move |root| {
        stacked(root, title, m, rows, ids)
    }));
    let (title, ids) = (&methods_title, &methods[..]);
    charts.push(chart!(&names[units.len() + 1], move |root| {
        stacked(root, title, m, rows, ids)
    }));
    let title = &trend_title;
    charts.push(chart!(&names[units.len() + 2], move |root| {
        trend(root, title, m, months, pairs)
    }));
    let title = &heat_title;
    charts.push(chart!(&names[units.len() + 3], move |root| {
        heat(root, title, m, rows, pairs)
    }));
    let first = units.len() + 4;
    for ((title, c), name) in kinds.iter().zip(&names[first..]) {
        let (desc, rates) = (&c.description, &c.rates[..]);
        charts.push(chart!(name, move |root| {
            rates::rate_bars(root, title, desc, rates)
        }));
    }
    draw::all(&dir, &charts)
}
