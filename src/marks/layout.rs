//! How a rebuilt sheet is laid out: column widths from its content (the reader keeps none),
//! the texts that wrap and the rows made taller for them.

use std::collections::{BTreeMap, HashSet};

use unicode_width::UnicodeWidthStr;

use super::rebuild::{Cells, Covered, Kind, MAX_COL, Value};
use crate::workbook::{Grid, cell_text};

/// Widest column made for a text (longer texts wrap).
const MAX_TEXT_WIDTH: usize = 16;

/// Column widths from the content (CJK counted double; the reader keeps no widths), the text
/// cells that wrap and the rows made taller for them. A text with nothing to its right (a
/// title, a label) overflows into the empty cells as in the town's sheet and widens nothing;
/// a longer text wraps; a merged area's text wraps inside the area.
pub(super) struct Layout {
    /// Width of each column that holds something.
    pub widths: BTreeMap<u32, f64>,
    /// Text cells that wrap.
    pub wraps: HashSet<(u32, u32)>,
    /// Rows made taller.
    pub heights: BTreeMap<u32, f64>,
}

/// Excel's default column width and row height.
const DEFAULT_WIDTH: f64 = 8.43;
const LINE_HEIGHT: f64 = 15.0;

impl Layout {
    /// The layout of a sheet's cells.
    pub fn of(cells: &Cells, covered: &Covered, grid: &Grid) -> Layout {
        let filled = |r: u32, c: u32| match cells.get(&(r, c)) {
            Some(Value::Text(s)) => !s.trim().is_empty(),
            Some(_) => true,
            None => covered.contains(&(r, c)),
        };
        // Each text that wraps: its area (first and last cell) and its width.
        let mut texts = Vec::new();
        let mut w: BTreeMap<u32, usize> = BTreeMap::new();
        for (&(r, c), v) in cells {
            if c > MAX_COL {
                continue;
            }
            let area = match grid.merged_area(r, c) {
                Some(m) if covered.contains(&(r, c)) => Some((m.start, m.end)),
                _ => None,
            };
            let shown = match (v, area) {
                (Value::Text(s), Some((start, end))) if start == (r, c) => {
                    let wide = text_width(s);
                    texts.push(((start, end), wide));
                    if start.1 != end.1 {
                        continue; // spans columns: widens none of them
                    }
                    // Down several rows (a two-row header): as wide as its lines need.
                    let rows = (end.0 - start.0 + 1) as usize;
                    wide.div_ceil(rows).min(MAX_TEXT_WIDTH)
                }
                (_, Some(_)) => continue,
                (Value::Text(_), None) if !filled(r, c + 1) => continue,
                (Value::Text(s), None) => {
                    let wide = text_width(s);
                    texts.push((((r, c), (r, c)), wide));
                    wide.min(MAX_TEXT_WIDTH)
                }
                (Value::Number(_, Kind::Date), _) => 10,
                (Value::Number(_, Kind::DateTime), _) => 19,
                (Value::Number(..), _) => cell_text(grid.raw(r, c)).len().min(15),
                (Value::Bool(_), _) => 5,
            };
            let e = w.entry(c).or_default();
            *e = (*e).max(shown);
        }
        let widths: BTreeMap<u32, f64> = w
            .into_iter()
            .map(|(c, n)| (c, (n as f64 + 1.5).clamp(4.0, 40.0)))
            .collect();
        let mut wraps = HashSet::new();
        let mut heights: BTreeMap<u32, f64> = BTreeMap::new();
        for ((start, end), wide) in texts {
            let avail: f64 = (start.1..=end.1)
                .map(|c| widths.get(&c).copied().unwrap_or(DEFAULT_WIDTH))
                .sum();
            let lines = (wide as f64 / (avail - 1.0).max(1.0)).ceil().max(1.0);
            if lines > 1.0 || start != end {
                wraps.insert(start);
            }
            let per_row = lines * LINE_HEIGHT / f64::from(end.0 - start.0 + 1);
            if per_row > LINE_HEIGHT {
                for r in start.0..=end.0 {
                    let h = heights.entry(r).or_insert(LINE_HEIGHT);
                    *h = h.max(per_row.min(120.0));
                }
            }
        }
        Layout {
            widths,
            wraps,
            heights,
        }
    }
}

/// The display width of a text's longest line (CJK double).
fn text_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}
