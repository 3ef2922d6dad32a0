//! Finds the header of a return anywhere in a sheet and maps columns to metrics by
//! normalized header path (group › column), never by position.

use super::split::{Part, extend_with_part_row, split_part};
pub use super::words::Matcher;
use crate::core::text::{a1, fold};
use crate::workbook::{Grid, cell_text, write_cell_text};
use calamine::Data;

/// How far down a sheet the header is looked for, and how wide.
const SCAN_ROWS: u32 = 200;
const SCAN_COLS: u32 = 120;

/// Where the table of a return is.
#[derive(Debug, Clone)]
pub struct Layout {
    /// First header row (0-based, absolute).
    pub header_row: u32,
    /// 1 or 2 header rows, one more with a row of 本月 / 累计 under them.
    pub depth: u32,
    /// Column of station names.
    pub station_col: Option<u32>,
    /// For every configured metric, the columns whose header names its month's figure
    /// (plain, or 本月 where the metric is split by period).
    pub columns: Vec<Vec<u32>>,
    /// For every configured metric, its 累计 columns (never counted).
    pub cumulative: Vec<Vec<u32>>,
    /// Whether some metric's columns are split by period (本月 / 累计 / 上月 …).
    pub split: bool,
    /// Columns no metric matches whose header names part of one (`Matcher::partial`), with
    /// that metric: beside the metric's own column they may hold part of its figure.
    pub partial: Vec<(u32, usize)>,
    /// Every column a metric was found in: (column, metric, part).
    pub(super) hits: Vec<(u32, usize, Part)>,
}

impl Layout {
    fn new(header_row: u32, depth: u32, metrics: usize) -> Layout {
        Layout {
            header_row,
            depth,
            station_col: None,
            columns: vec![Vec::new(); metrics],
            cumulative: vec![Vec::new(); metrics],
            split: false,
            partial: Vec::new(),
            hits: Vec::new(),
        }
    }

    /// The columns of each metric, from the hits.
    pub(super) fn derive(&mut self) {
        self.columns.iter_mut().for_each(Vec::clear);
        self.cumulative.iter_mut().for_each(Vec::clear);
        for &(c, i, part) in &self.hits {
            match part {
                Part::Plain | Part::Month => self.columns[i].push(c),
                Part::Cumulative => self.cumulative[i].push(c),
                Part::Other => {}
            }
        }
        self.split = self.hits.iter().any(|h| h.2 != Part::Plain);
        let hits = &self.hits;
        self.partial.retain(|p| !hits.iter().any(|h| h.0 == p.0));
    }

    /// Metrics found (with at least one column).
    pub fn found(&self) -> usize {
        self.columns.iter().filter(|c| !c.is_empty()).count()
    }

    fn score(&self) -> usize {
        self.found() * 2 + usize::from(self.station_col.is_some())
    }

    /// Whether this looks like a return (a station column and half the metrics or more).
    pub fn is_return(&self) -> bool {
        self.station_col.is_some() && self.found() * 2 >= self.columns.len().max(1)
    }

    /// The first data row.
    pub fn data_row(&self) -> u32 {
        self.header_row + self.depth
    }

    /// The header cell that names column `c`: the lowest non-blank cell of the header rows (a
    /// merged cell by its top-left cell) that is not a part word alone (本月, 累计); its A1 name
    /// and its text as written.
    pub fn header_cell(&self, grid: &Grid, c: u32) -> (String, String) {
        for r in (self.header_row..self.data_row()).rev() {
            let (ar, ac) = grid.anchor(r, c);
            let text = cell_text(grid.raw(ar, ac)).trim().to_string();
            if !text.is_empty() && !split_part(&fold(&text)).0.is_empty() {
                return (a1(ar, ac), text);
            }
        }
        (a1(self.header_row, c), String::new())
    }
}

/// A header cell, cleaned once: blank as written, and its text without measure words,
/// whitespace and width differences.
#[derive(Default)]
struct Cell {
    blank: bool,
    /// The text without its part word (本月, 累计 …): its bytes in the window's `texts`.
    clean: (u32, u32),
    /// The part the text names (本月, 累计 …), if any.
    part: Part,
    /// The metric the text names alone.
    metric: Option<usize>,
    /// The metric the text names part of, under no group (`Matcher::partial`), once asked.
    partial: std::cell::OnceCell<Option<usize>>,
}

/// The cells of the scan window, each cleaned once (a header search looks at every cell
/// several times: as one-row header, as top and as bottom of a two-row header). Their cleaned
/// texts are kept one after the other in one string, not one string a cell.
struct Window {
    r0: u32,
    c0: u32,
    width: u32,
    cells: Vec<Cell>,
    texts: String,
    outside: Cell,
    /// Rows of the window with no text at all (a template's ruled, empty rows).
    empty_rows: Vec<bool>,
}

impl Window {
    fn new(grid: &Grid, m: &Matcher, (r0, c0): (u32, u32), (r1, c1): (u32, u32)) -> Window {
        let width = c1 - c0 + 1;
        let mut cells = Vec::with_capacity(((r1 - r0 + 1) * width) as usize);
        let mut texts = String::new();
        let mut number = String::new();
        let mut empty_rows = Vec::with_capacity((r1 - r0 + 1) as usize);
        for r in r0..=r1 {
            empty_rows.push(true);
            for c in c0..=c1 {
                let d = grid.get(r, c);
                // A string cell is read where it is; another value is written as text into
                // one reused buffer (the same text as `cell_text`).
                let text: &str = match d {
                    Data::Empty => "",
                    Data::String(s) => s,
                    _ => {
                        number.clear();
                        write_cell_text(&mut number, d);
                        &number
                    }
                };
                let blank = text.trim().is_empty();
                if !text.is_empty() {
                    empty_rows[(r - r0) as usize] = false;
                }
                let start = texts.len() as u32;
                let (part, metric) = if text.is_empty() {
                    (Part::Plain, None)
                } else {
                    m.with_cleaned(text, |clean, part, metric| {
                        texts.push_str(clean);
                        (part, metric)
                    })
                };
                cells.push(Cell {
                    blank,
                    clean: (start, texts.len() as u32),
                    part,
                    metric,
                    partial: std::cell::OnceCell::new(),
                });
            }
        }
        Window {
            r0,
            c0,
            width,
            cells,
            texts,
            outside: Cell {
                blank: true,
                ..Cell::default()
            },
            empty_rows,
        }
    }

    /// Whether row `r` has no text in the window (a row outside it has none).
    fn row_empty(&self, r: u32) -> bool {
        r.checked_sub(self.r0)
            .is_none_or(|i| self.empty_rows.get(i as usize).is_none_or(|e| *e))
    }

    fn get(&self, r: u32, c: u32) -> &Cell {
        let i = (r - self.r0) as usize * self.width as usize + (c - self.c0) as usize;
        self.cells.get(i).unwrap_or(&self.outside)
    }

    /// A cell's cleaned text.
    fn clean(&self, cell: &Cell) -> &str {
        &self.texts[cell.clean.0 as usize..cell.clean.1 as usize]
    }

    /// `Matcher::partial` of a cell's text under no group, asked once.
    fn partial(&self, m: &Matcher, cell: &Cell) -> Option<usize> {
        *cell.partial.get_or_init(|| m.partial(self.clean(cell), ""))
    }
}

/// Finds the best header of a sheet; `None` when nothing resembles one.
pub fn find_layout(grid: &Grid, matcher: &Matcher, metrics: usize) -> Option<Layout> {
    let ((r0, c0), (r1, c1)) = grid.bounds()?;
    let c1 = c1.min(c0 + SCAN_COLS);
    let last = r1.min(r0 + SCAN_ROWS);
    let w = Window::new(grid, matcher, (r0, c0), ((last + 1).min(r1), c1));
    // A row with no text finds nothing, alone or over another such row (its layout scores 0
    // and is never the best): not searched, unless an empty text names the station column.
    let nothing = !matcher.is_station_clean("");
    let empty = |r: u32| nothing && w.row_empty(r);
    // Each row's one-row layout, worked out when first asked.
    let mut ones: Vec<Option<Layout>> = vec![None; (last - r0 + 1) as usize];
    let one_row = |r: u32| layout_at(&w, matcher, metrics, r, 1, c1);
    // No layout scores more than every metric found and the station column: once the best
    // does, no row below can replace it (a later row must score more), and the rows below
    // (the data rows) are not searched.
    let perfect = metrics * 2 + 1;
    let mut best: Option<Layout> = None;
    for (i, r) in (r0..=last).enumerate() {
        if best.as_ref().is_some_and(|b| b.score() >= perfect) {
            break;
        }
        let mut two = None;
        if r < r1 && !(empty(r) && empty(r + 1)) {
            // A second header row counts only when it finds more than either row alone:
            // otherwise a label row above a one-row header would pass for a group row.
            let both = layout_at(&w, matcher, metrics, r, 2, c1);
            let below = match r < last && !empty(r + 1) {
                true => at(&mut ones, i + 1, || one_row(r + 1)).score(),
                false => 0,
            };
            let alone = match empty(r) {
                true => 0,
                false => at(&mut ones, i, || one_row(r)).score(),
            };
            if both.score() > alone.max(below) {
                two = Some(both);
            }
        }
        let score = match (&two, empty(r)) {
            (Some(t), _) => t.score(),
            (None, true) => 0,
            (None, false) => at(&mut ones, i, || one_row(r)).score(),
        };
        if score > best.as_ref().map_or(0, Layout::score) {
            // Row i's one-row layout is not looked at again (only the row below it is).
            best = Some(two.unwrap_or_else(|| {
                std::mem::replace(at(&mut ones, i, || one_row(r)), Layout::new(r, 1, 0))
            }));
        }
    }
    // A one-row header read through cells merged down from the row above (序号, 接待走访选民 …
    // merged over two rows) is the lower half of a two-row header: read it whole, so that a
    // column named only in the upper row (a second 接待走访选民 not merged down) is seen too.
    if let Some(b) = &best
        && b.depth == 1
        && b.header_row > r0
        && (c0..=c1).any(|c| grid.anchor(b.header_row, c).0 < b.header_row)
    {
        let two = layout_at(&w, matcher, metrics, b.header_row - 1, 2, c1);
        if two.score() >= b.score() {
            best = Some(two);
        }
    }
    if let Some(b) = &mut best {
        extend_with_part_row(grid, b);
    }
    best
}

/// Row `i`'s one-row layout in `ones`, worked out by `f` when first asked.
fn at(ones: &mut [Option<Layout>], i: usize, f: impl FnOnce() -> Layout) -> &mut Layout {
    ones[i].get_or_insert_with(f)
}

fn layout_at(w: &Window, m: &Matcher, metrics: usize, r: u32, depth: u32, c1: u32) -> Layout {
    let mut layout = Layout::new(r, depth, metrics);
    // The cells whose text spans to the right (a group's, a metric's over columns of its own).
    let mut group_left: Option<&Cell> = None;
    let mut metric_left: Option<&Cell> = None;
    let mut prev = None;
    // Whether a text that is no group's still filters `partial` by a group (one named "").
    let empty_group = m.is_group("");
    for c in w.c0..=c1 {
        let cell = w.get(r, c);
        // The cell whose text heads the column: its own, or one spanning from its left.
        let (mut from, mut blank) = (cell, cell.blank);
        let below = if depth == 2 {
            w.get(r + 1, c)
        } else {
            &w.outside
        };
        let part = match below.part {
            Part::Plain => cell.part,
            p => p,
        };
        let hit = if depth == 1 {
            // A part word alone right of a metric's column is that metric's other part
            // ("接待走访选民 | 累计").
            match (cell.metric, w.clean(cell).is_empty(), cell.part) {
                (None, true, p) if p != Part::Plain => prev,
                _ => cell.metric,
            }
        } else {
            // A group cell spans the columns to its right until the next top cell, whether
            // the file merged them or left them blank; so does a metric's cell over columns
            // of its own (接待选民 | 走访选民, 本月 | 累计).
            if let Some(g) = group_left.filter(|_| blank) {
                (from, blank) = (g, false);
            } else if let Some(l) = metric_left.filter(|_| blank && !below.blank) {
                (from, blank) = (l, false);
            } else {
                let own = w.clean(cell);
                group_left = (m.is_group(own) && !own.is_empty()).then_some(cell);
            }
            let top = w.clean(from);
            let spans = from.metric.is_some() && !m.is_group(top);
            metric_left = (spans && !below.blank && w.clean(below) != top).then_some(from);
            m.metric_of_pair_known(top, from.metric, w.clean(below), below.metric)
        };
        prev = hit;
        let top = w.clean(from);
        let below_text = w.clean(below);
        if let Some(i) = hit {
            layout.hits.push((c, i, part));
        } else if layout.station_col.is_none()
            && (m.is_station_clean(top) || (blank && m.is_station_clean(below_text)))
        {
            layout.station_col = Some(c);
        } else if let Some(i) = match below_text.is_empty() {
            true => w.partial(m, from),
            false if empty_group || m.is_group(top) => m.partial(below_text, top),
            false => w.partial(m, below),
        } {
            layout.partial.push((c, i));
        }
    }
    layout.derive();
    layout
}
