//! Finds the header of a return anywhere in a sheet and maps columns to metrics by
//! normalized header path (group › column), never by position.

use std::collections::HashMap;

use regex::Regex;

use crate::config::Config;
use crate::core::text::{fold, fold_keep_spaces};
use crate::workbook::Grid;

/// How far down a sheet the header is looked for, and how wide.
const SCAN_ROWS: u32 = 200;
const SCAN_COLS: u32 = 120;

/// Where the table of a return is.
#[derive(Debug, Clone)]
pub struct Layout {
    /// First header row (0-based, absolute).
    pub header_row: u32,
    /// 1 or 2 header rows.
    pub depth: u32,
    /// Column of station names.
    pub station_col: Option<u32>,
    /// For every configured metric, the columns whose header names it.
    pub columns: Vec<Vec<u32>>,
}

impl Layout {
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
}

/// Header vocabulary compiled from the config.
pub struct Matcher {
    groups: HashMap<String, String>,
    columns: HashMap<String, Vec<usize>>,
    metric_groups: Vec<Option<String>>,
    stations: Vec<String>,
    measure: Regex,
    /// Whether a measure word is ASCII (else an ASCII text cannot carry one).
    measure_ascii: bool,
    /// Bytes of the longest cleaned text that can name a metric: a group, a separator, a
    /// column, a measure word in brackets after each and one after the whole.
    longest_name: usize,
    separators: &'static [char],
}

impl Matcher {
    /// Compiles the header words of a config.
    pub fn new(config: &Config) -> Matcher {
        let mut groups = HashMap::new();
        for g in &config.groups {
            for name in std::iter::once(&g.label).chain(&g.aliases) {
                groups.insert(fold(name), g.id.clone());
            }
        }
        let mut columns: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in config.metrics.iter().enumerate() {
            for name in std::iter::once(&m.label).chain(&m.aliases) {
                for key in [fold(name), fold(&format!("{name}{}", m.measure))] {
                    let e = columns.entry(key).or_default();
                    if !e.contains(&i) {
                        e.push(i);
                    }
                }
            }
        }
        let mut words: Vec<String> = config
            .matching
            .measure_words
            .iter()
            .map(|w| regex::escape(w))
            .collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let measure = Regex::new(&format!(
            r"^(.*?)\s*(?:[(\[【〔]\s*(?:{w})\s*[)\]】〕]|\s(?:{w}))\s*$",
            w = words.join("|")
        ))
        .expect("valid measure regex");
        let longest = |keys: &mut dyn Iterator<Item = &String>| keys.map(String::len).max();
        let measure_len = longest(&mut config.matching.measure_words.iter()).unwrap_or(0);
        let longest_name = longest(&mut groups.keys()).unwrap_or(0)
            + longest(&mut columns.keys()).unwrap_or(0)
            + 3 * (measure_len + 2 * '【'.len_utf8())
            + 2 * '›'.len_utf8();
        Matcher {
            longest_name,
            groups,
            columns,
            metric_groups: config.metrics.iter().map(|m| m.group.clone()).collect(),
            stations: config
                .matching
                .station_headers
                .iter()
                .map(|s| fold(s))
                .collect(),
            measure,
            measure_ascii: config.matching.measure_words.iter().any(|w| w.is_ascii()),
            separators: &['-', '·', '/', '|', '›', '>', '—', '_', '•', '・', '~', '\\'],
        }
    }

    /// Header text without measure words, whitespace and width differences.
    fn clean(&self, raw: &str) -> String {
        if raw.is_ascii() && !self.measure_ascii {
            return fold(raw);
        }
        let s = fold_keep_spaces(raw);
        // The measure pattern ends in a closing bracket or in a word after a space: a text
        // with neither (most cells) cannot match it, and is already folded (NFKC, no space).
        if !s.ends_with([')', ']', '】', '〕']) && !s.contains(char::is_whitespace) {
            return s;
        }
        let s = match self.measure.captures(&s) {
            Some(c) => c[1].to_string(),
            None => s,
        };
        fold(&s)
    }

    #[cfg(test)]
    fn is_station(&self, raw: &str) -> bool {
        self.is_station_clean(&self.clean(raw))
    }

    fn is_station_clean(&self, t: &str) -> bool {
        self.stations.iter().any(|s| s == t) || (t.contains('站') && t.ends_with("名称"))
    }

    /// The metric a one-cell header names ("进站代表人数-全国", "活动方式(入户)", "入户").
    fn metric_of_cell(&self, raw: &str) -> Option<usize> {
        self.metric_of_clean(&self.clean(raw))
    }

    /// `metric_of_cell` of a text already cleaned.
    fn metric_of_clean(&self, t: &str) -> Option<usize> {
        if t.is_empty() {
            return None;
        }
        if let Some(m) = self.alone(t) {
            return Some(m);
        }
        if let Some((g, c)) = t.split_once(self.separators)
            && let Some(m) = self.path(g, c)
        {
            return Some(m);
        }
        if let Some(open) = t.find('(')
            && t.ends_with(')')
        {
            let (g, c) = (&t[..open], &t[open + 1..t.len() - 1]);
            if let Some(m) = self.path(g, c) {
                return Some(m);
            }
        }
        // "进站代表人数全国": a group name run into the column name.
        self.groups
            .keys()
            .filter(|g| t.starts_with(g.as_str()) && t.len() > g.len())
            .find_map(|g| self.path(g, &t[g.len()..]))
    }

    /// A metric named by group and column texts.
    fn path(&self, group: &str, col: &str) -> Option<usize> {
        self.path_clean(&self.clean(group), &self.clean(col))
    }

    /// `path` of texts already cleaned.
    fn path_clean(&self, group: &str, col: &str) -> Option<usize> {
        let gid = self.groups.get(group)?;
        let hits: Vec<usize> = self
            .columns
            .get(col)?
            .iter()
            .copied()
            .filter(|&i| self.metric_groups[i].as_deref() == Some(gid.as_str()))
            .collect();
        (hits.len() == 1).then(|| hits[0])
    }

    /// A metric named by a column text unique across groups.
    fn alone(&self, cleaned: &str) -> Option<usize> {
        match self.columns.get(cleaned).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// The metric of a column under a two-row header.
    #[cfg(test)]
    fn metric_of_pair(&self, top: &str, bottom: &str) -> Option<usize> {
        self.metric_of_pair_clean(&self.clean(top), &self.clean(bottom))
    }

    /// `metric_of_pair` of texts already cleaned.
    #[cfg(test)]
    fn metric_of_pair_clean(&self, tc: &str, bc: &str) -> Option<usize> {
        let (t, b) = (self.metric_of_clean(tc), self.metric_of_clean(bc));
        self.metric_of_pair_known(tc, t, bc, b)
    }

    /// `metric_of_pair_clean`, the metric of each text alone already known.
    fn metric_of_pair_known(
        &self,
        tc: &str,
        top: Option<usize>,
        bc: &str,
        below: Option<usize>,
    ) -> Option<usize> {
        if bc.is_empty() || tc == bc {
            return top;
        }
        if tc.is_empty() {
            return below;
        }
        self.path_clean(tc, bc)
            .or_else(|| self.metric_of_joined(tc, bc))
            .or(below)
            .or(top)
    }

    /// The metric of a column name split over two rows ("接待走访" above "选民"). Texts longer
    /// together than any text that can name a metric (cleaning only shortens a cleaned text)
    /// are not joined and cleaned again: a ledger's or a note's long cells cost nothing.
    fn metric_of_joined(&self, tc: &str, bc: &str) -> Option<usize> {
        if tc.len() + bc.len() > self.longest_name {
            return None;
        }
        self.metric_of_cell(&format!("{tc}{bc}"))
    }
}

/// A header cell, cleaned once: blank as written, and its text without measure words,
/// whitespace and width differences.
#[derive(Default)]
struct Cell {
    blank: bool,
    clean: String,
    /// The metric the text names alone.
    metric: Option<usize>,
}

/// The cells of the scan window, each cleaned once (a header search looks at every cell
/// several times: as one-row header, as top and as bottom of a two-row header).
struct Window {
    r0: u32,
    c0: u32,
    width: u32,
    cells: Vec<Cell>,
    outside: Cell,
}

impl Window {
    fn new(grid: &Grid, m: &Matcher, (r0, c0): (u32, u32), (r1, c1): (u32, u32)) -> Window {
        let width = c1 - c0 + 1;
        let mut cells = Vec::with_capacity(((r1 - r0 + 1) * width) as usize);
        for r in r0..=r1 {
            for c in c0..=c1 {
                let text = grid.text(r, c);
                let clean = if text.is_empty() {
                    String::new()
                } else {
                    m.clean(&text)
                };
                cells.push(Cell {
                    blank: text.trim().is_empty(),
                    metric: m.metric_of_clean(&clean),
                    clean,
                });
            }
        }
        Window {
            r0,
            c0,
            width,
            cells,
            outside: Cell {
                blank: true,
                clean: String::new(),
                metric: None,
            },
        }
    }

    fn get(&self, r: u32, c: u32) -> &Cell {
        let i = (r - self.r0) as usize * self.width as usize + (c - self.c0) as usize;
        self.cells.get(i).unwrap_or(&self.outside)
    }
}

/// Finds the best header of a sheet; `None` when nothing resembles one.
pub fn find_layout(grid: &Grid, matcher: &Matcher, metrics: usize) -> Option<Layout> {
    let ((r0, c0), (r1, c1)) = grid.bounds()?;
    let c1 = c1.min(c0 + SCAN_COLS);
    let last = r1.min(r0 + SCAN_ROWS);
    let w = Window::new(grid, matcher, (r0, c0), ((last + 1).min(r1), c1));
    let one: Vec<Layout> = (r0..=last)
        .map(|r| layout_at(&w, matcher, metrics, r, 1, c1))
        .collect();
    let mut best: Option<Layout> = None;
    for (i, r) in (r0..=last).enumerate() {
        let mut here = one[i].clone();
        if r < r1 {
            // A second header row counts only when it finds more than either row alone:
            // otherwise a label row above a one-row header would pass for a group row.
            let two = layout_at(&w, matcher, metrics, r, 2, c1);
            let below = one.get(i + 1).map_or(0, Layout::score);
            if two.score() > here.score().max(below) {
                here = two;
            }
        }
        if here.score() > best.as_ref().map_or(0, Layout::score) {
            best = Some(here);
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
    best
}

fn layout_at(w: &Window, m: &Matcher, metrics: usize, r: u32, depth: u32, c1: u32) -> Layout {
    let mut columns = vec![Vec::new(); metrics];
    let mut station_col = None;
    let mut group_left = "";
    for c in w.c0..=c1 {
        let cell = w.get(r, c);
        let (mut top, mut blank, mut top_metric) = (cell.clean.as_str(), cell.blank, cell.metric);
        let below = if depth == 2 {
            w.get(r + 1, c)
        } else {
            &w.outside
        };
        let hit = if depth == 1 {
            top_metric
        } else {
            // A group cell spans the columns to its right until the next top cell,
            // whether the file merged them or left them blank.
            if blank && !group_left.is_empty() {
                (top, blank) = (group_left, false);
                top_metric = m.metric_of_clean(top);
            } else {
                group_left = if m.groups.contains_key(top) { top } else { "" };
            }
            m.metric_of_pair_known(top, top_metric, &below.clean, below.metric)
        };
        let below = below.clean.as_str();
        if let Some(i) = hit {
            if !columns[i].contains(&c) {
                columns[i].push(c);
            }
        } else if station_col.is_none()
            && (m.is_station_clean(top) || (blank && m.is_station_clean(below)))
        {
            station_col = Some(c);
        }
    }
    Layout {
        header_row: r,
        depth,
        station_col,
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> (Matcher, Config) {
        let c = Config::embedded();
        (Matcher::new(&c), c)
    }

    #[test]
    fn one_cell_spellings() {
        let (m, c) = m();
        let idx = |id| c.metric_index(id);
        for s in [
            "进站代表人数-全国",
            "进站代表人数·全国",
            "进站代表人数(全国)",
            "进站代表人数（全国）",
            "全国人大代表",
            "全国",
            "进站代表人数 - 全国",
        ] {
            assert_eq!(m.metric_of_cell(s), idx("deputies_national"), "{s}");
        }
        for s in ["活动方式/入户", "入户", "活动方式(入户)", "活动方式－入户"]
        {
            assert_eq!(m.metric_of_cell(s), idx("method_household"), "{s}");
        }
        for s in [
            "接待走访选民(人次)",
            "接待走访选民 人次",
            "接待走访\n选民（人次）",
            "接待走访选民人次",
            "ＡＢ接待走访选民",
        ] {
            let want = if s.starts_with('Ａ') {
                None
            } else {
                idx("voters_received")
            };
            assert_eq!(m.metric_of_cell(s), want, "{s}");
        }
    }

    #[test]
    fn two_row_pairs() {
        let (m, c) = m();
        assert_eq!(
            m.metric_of_pair("进站代表人数(人)", "县"),
            c.metric_index("deputies_county")
        );
        assert_eq!(
            m.metric_of_pair("活动方式（次）", "述职"),
            c.metric_index("method_report")
        );
        assert_eq!(
            m.metric_of_pair("帮助解决问题", "(个)"),
            c.metric_index("problems_solved")
        );
        assert_eq!(
            m.metric_of_pair("帮助解决问题(个)", ""),
            c.metric_index("problems_solved")
        );
        assert!(m.is_station("工作站\n名称"));
    }
}
