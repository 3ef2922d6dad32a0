//! Drawing a month's charts to files: each chart is drawn twice, to PNG and to SVG (its text
//! turned into paths), as two independent jobs, and every job of the month runs on the rayon
//! pool (one per core). Files do not depend on which thread drew them; the first failure in
//! chart order (PNG before SVG) is the one returned.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

use super::super::font;
use super::text::Bearing;
use super::{ChartError, H, W, e, io};

/// The PNG backend: plotters' bitmap with text set glyph by glyph (see [`Bearing`]).
pub(super) type Png<'a> = Bearing<BitMapBackend<'a>>;
/// The SVG backend: plotters' SVG with text measured as it is set.
pub(super) type Svg<'a> = Bearing<SVGBackend<'a>>;

/// Draws a chart on a PNG area.
pub(super) type Draw<'a> = dyn Fn(&DrawingArea<Png, Shift>) -> Result<(), ChartError> + Sync + 'a;
/// Draws the same chart on an SVG area.
pub(super) type DrawSvg<'a> =
    dyn Fn(&DrawingArea<Svg, Shift>) -> Result<(), ChartError> + Sync + 'a;

/// One chart: its file name (without extension) and how to draw it on either backend.
pub(super) struct Chart<'a> {
    pub(super) name: String,
    pub(super) png: Box<Draw<'a>>,
    pub(super) svg: Box<DrawSvg<'a>>,
}

/// A [`Chart`] whose two drawings share one body: `chart!(name, move |root| { … })`. The
/// body is a `move` closure twice over, so it may only capture what is `Copy` (references).
macro_rules! chart {
    ($name:expr, move |$root:ident| $body:block) => {
        draw::Chart {
            name: $name.to_string(),
            png: Box::new(move |$root: &DrawingArea<draw::Png, Shift>| $body),
            svg: Box::new(move |$root: &DrawingArea<draw::Svg, Shift>| $body),
        }
    };
}
pub(super) use chart;

/// `x` named with its chart, when it is a drawing error not yet named.
fn named(chart: &str, x: ChartError) -> ChartError {
    match x {
        ChartError::Draw { chart: c, source } if c.is_empty() => ChartError::Draw {
            chart: chart.to_string(),
            source,
        },
        other => other,
    }
}

/// Draws every chart to `dir/<name>.png` and `dir/<name>.svg`, the jobs in parallel.
pub(super) fn all(dir: &Path, charts: &[Chart]) -> Result<(), ChartError> {
    font::register();
    let jobs: Vec<(&Chart, bool)> = charts
        .iter()
        .flat_map(|c| [(c, false), (c, true)])
        .collect();
    let done: Vec<Result<(), ChartError>> = jobs
        .par_iter()
        .map(|(c, svg)| {
            if *svg {
                svg_file(dir, c)
            } else {
                png_file(dir, c)
            }
            .map_err(|x| named(&c.name, x))
        })
        .collect();
    done.into_iter().collect()
}

fn png_file(dir: &Path, c: &Chart) -> Result<(), ChartError> {
    let path = dir.join(format!("{}.png", c.name));
    let root = Bearing {
        inner: BitMapBackend::new(&path, (W, H)),
        draw: true,
    }
    .into_drawing_area();
    root.fill(&WHITE).map_err(e)?;
    (c.png)(&root)?;
    root.present().map_err(e)
}

fn svg_file(dir: &Path, c: &Chart) -> Result<(), ChartError> {
    let mut s = String::new();
    {
        let root = Bearing {
            inner: SVGBackend::with_string(&mut s, (W, H)),
            draw: false,
        }
        .into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        (c.svg)(&root)?;
        root.present().map_err(e)?;
    }
    let path = dir.join(format!("{}.svg", c.name));
    std::fs::write(&path, font::svg_text_to_paths(&s)).map_err(io(&path))
}
