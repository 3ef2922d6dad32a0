//! Reads the station rows and the total row under a found header into figures: 合计/小计 rows
//! however labelled and rows of the header are never stations; a name merged over rows is one.

use calamine::Data;

use super::cells::CellReader;
use super::header::{Layout, Matcher};
use super::headrows::{HeadRow, head_row};
use super::rows::{
    LabelCols, RowKind, classify, end_mark, figures_below_note, figures_below_total,
    labelled_total_below, row_label, station_like, total_follows,
};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::{a1, fold};
use crate::workbook::{Grid, cell_text};

mod doubtful;
mod types;

use doubtful::Doubtful;
pub use types::{CumCell, Pos, StationRow, Table, TotalCell, TotalRow};

/// Reads the rows under the header until the total row, a note line, or the end.
pub fn read_table(
    grid: &Grid,
    layout: &Layout,
    (config, matcher): (&Config, &Matcher),
    file: &str,
    findings: &mut Vec<Finding>,
) -> Table {
    let Some(((_, c0), (r1, c1))) = grid.bounds() else {
        return Table {
            stations: Vec::new(),
            total: None,
            end_row: layout.data_row(),
        };
    };
    let cols: Vec<u32> = layout
        .columns
        .iter()
        .map(|c| c.first().copied().unwrap_or(u32::MAX))
        .collect();
    let cum_cols: Vec<u32> = layout
        .cumulative
        .iter()
        .map(|c| c.first().copied().unwrap_or(u32::MAX))
        .collect();
    let mut t = TableReader {
        reader: CellReader {
            grid,
            config,
            file,
            merged_named: Default::default(),
        },
        matcher,
        cum_cols: if cum_cols.iter().any(|&c| c != u32::MAX) {
            cum_cols
        } else {
            Vec::new()
        },
        merged_noted: Vec::new(),
        header_rows: layout.header_row..layout.data_row(),
        label_cols: LabelCols {
            c0,
            c1,
            first_figure: cols.iter().copied().min().unwrap_or(u32::MAX),
            station: layout.station_col,
        },
        station_col: layout.station_col.unwrap_or(c0),
        r1,
        sums: vec![0; cols.len()],
        since: vec![0; cols.len()],
        cols,
        stations: Vec::new(),
        doubtful: Vec::new(),
        total: None,
        findings,
    };
    let mut r = layout.data_row();
    let mut note = None;
    while r <= r1 {
        match t.row(r) {
            Step::Next => r += 1,
            Step::StopAfter => {
                r += 1;
                break;
            }
            Step::StopBefore => {
                note = Some(r);
                break;
            }
        }
    }
    doubtful::resolve(&mut t);
    if let Some(total) = &t.total
        && let Some(below) = figures_below_total(grid, r, r1, &t.label_cols, &t.cols)
    {
        let f = t.reader.below_total(below, total.row, &t.label_cols);
        t.findings.push(f);
    }
    // A table ended by a note line with station figures under the note: stations left
    // outside the table, or another table; which cannot be known.
    if let Some(n) = note
        && let Some(below) =
            figures_below_note(grid, n + 1, r1, &t.label_cols, &t.cols, &config.matching)
    {
        let f = t.reader.below_note(below, n, &t.label_cols);
        t.findings.push(f);
    }
    Table {
        stations: t.stations,
        total: t.total,
        end_row: r,
    }
}

/// The cells of row `r` in the metric columns `cols` (none where `u32::MAX`: no column).
pub(super) fn cells_of(r: u32, cols: &[u32]) -> Vec<Option<Pos>> {
    cols.iter()
        .map(|&c| (c != u32::MAX).then_some((r, c)))
        .collect()
}

/// Whether the table goes on after a row; where it ends when it does not.
enum Step {
    Next,
    /// The row was the last of the table (its total).
    StopAfter,
    /// The table ended above the row (a note).
    StopBefore,
}

/// The table being read: where its labels and figures are, and the stations read so far.
struct TableReader<'a, 'f> {
    reader: CellReader<'a>,
    matcher: &'a Matcher,
    /// The first 累计 column of each metric (`u32::MAX` where it has none); empty when the
    /// return has no 累计 column.
    cum_cols: Vec<u32>,
    /// The name cells merged over several rows already named in a note.
    merged_noted: Vec<Pos>,
    /// The header's rows.
    header_rows: std::ops::Range<u32>,
    label_cols: LabelCols,
    station_col: u32,
    r1: u32,
    /// The first column of each metric (`u32::MAX` where it has none).
    cols: Vec<u32>,
    /// Sums of the stations read so far, and since the last subtotal.
    sums: Vec<u64>,
    since: Vec<u64>,
    stations: Vec<StationRow>,
    /// Stations that may be unlabelled subtotals (`doubtful`): the total decides.
    doubtful: Vec<Doubtful>,
    total: Option<TotalRow>,
    findings: &'f mut Vec<Finding>,
}

impl TableReader<'_, '_> {
    fn cells(&self, r: u32) -> Vec<Option<Pos>> {
        cells_of(r, &self.cols)
    }

    /// Reads row `r`: a station, a subtotal, the total (the table ends), a note (it ends).
    fn row(&mut self, r: u32) -> Step {
        let grid = self.reader.grid;
        let mut kind = classify(grid, r, &self.label_cols);
        if kind == RowKind::Total && total_follows(grid, r, self.r1, &self.label_cols) {
            // A total label mid-table: a subtotal ("一片区合计") when its figures are the
            // stations' since the last one; otherwise a station whose name has such a word.
            let (values, _, refused) = self.reader.station_values(r, &self.cols, &mut Vec::new());
            if refused.is_empty() && values == self.since {
                let label = row_label(grid, r, &self.label_cols);
                let f = self
                    .reader
                    .subtotal_warning(r, self.station_col, Some(&label));
                self.findings.push(f);
                self.since.iter_mut().for_each(|v| *v = 0);
                return Step::Next;
            }
            kind = RowKind::Station;
        }
        match kind {
            RowKind::Blank => Step::Next,
            RowKind::Subtotal => {
                self.since.iter_mut().for_each(|v| *v = 0);
                Step::Next
            }
            RowKind::Part => {
                // "其中:…" under a station: a part of it, already in its figures.
                if self
                    .cols
                    .iter()
                    .any(|&c| c != u32::MAX && !matches!(grid.raw(r, c), Data::Empty))
                {
                    let label = row_label(grid, r, &self.label_cols);
                    let f = self.reader.part_warning(r, self.station_col, &label);
                    self.findings.push(f);
                }
                Step::Next
            }
            // A note line between the header and the first station ("填表说明:…") does
            // not end a table that has not started.
            RowKind::Note if self.stations.is_empty() && !end_mark(grid, r, &self.label_cols) => {
                Step::Next
            }
            RowKind::Note => Step::StopBefore,
            RowKind::Total => {
                let mut total = self.reader.total_row(r, &self.cols, self.findings);
                total.cumulative = self.cumulative(r);
                self.total = Some(total);
                Step::StopAfter
            }
            RowKind::Station if self.continues_merged(r) => self.merge_into_last(r),
            RowKind::Station => {
                let labels = (&self.label_cols, self.header_rows.clone());
                match head_row(grid, r, labels, &self.cols, self.matcher) {
                    HeadRow::Header => Step::Next,
                    HeadRow::Doubtful(why) => {
                        let f = self.reader.doubtful_row(r, self.station_col, &why);
                        self.findings.push(f);
                        Step::Next
                    }
                    HeadRow::No => self.station(r),
                }
            }
        }
    }

    /// Whether row `r` is under the name of the last station read, merged over several rows
    /// (one station on two activity days): its figures are that station's.
    fn continues_merged(&self, r: u32) -> bool {
        let grid = self.reader.grid;
        let Some(area) = grid.merged_area(r, self.station_col) else {
            return false;
        };
        area.start.0 < r
            && self
                .stations
                .last()
                .is_some_and(|s| grid.anchor(s.row, self.station_col) == area.start)
    }

    /// Adds row `r` to the station whose merged name cell covers it; a note names the area once.
    fn merge_into_last(&mut self, r: u32) -> Step {
        let grid = self.reader.grid;
        let mut row_findings = Vec::new();
        let (values, _, refused) = self.reader.station_values(r, &self.cols, &mut row_findings);
        self.findings.extend(row_findings);
        let cumulative = self.cumulative(r);
        for (s, v) in self.sums.iter_mut().zip(&values) {
            *s += v;
        }
        for (s, v) in self.since.iter_mut().zip(&values) {
            *s += v;
        }
        let Some(last) = self.stations.last_mut() else {
            return Step::Next;
        };
        last.values
            .iter_mut()
            .zip(&values)
            .for_each(|(a, v)| *a += v);
        for i in refused {
            if !last.refused.contains(&i) {
                last.refused.push(i);
            }
        }
        for (a, b) in last.cumulative.iter_mut().zip(cumulative) {
            *a = match (*a, b) {
                (Some((p, x)), Some((_, y))) => Some((p, x + y)),
                (a, b) => a.or(b),
            };
        }
        if let Some(area) = grid.merged_area(r, self.station_col)
            && !self.merged_noted.contains(&area.start)
        {
            self.merged_noted.push(area.start);
            let range = format!(
                "{}:{}",
                a1(area.start.0, area.start.1),
                a1(area.end.0, area.end.1)
            );
            let rows = area.end.0 - area.start.0 + 1;
            let f = Finding::new(
                Code::StationRowsMerged,
                Some(self.reader.file),
                format!(
                    "工作站“{}”的名称单元格 {range} 合并了 {rows} 行（如两个进站日分两行填写），按一个工作站读取，各行数字相加",
                    last.name
                ),
            )
            .at(&grid.name, Some(a1(area.start.0, area.start.1)));
            self.findings.push(f);
        }
        Step::Next
    }

    /// Each metric's 累计 cell on row `r` (empty when the return has no 累计 column).
    fn cumulative(&mut self, r: u32) -> Vec<Option<CumCell>> {
        if self.cum_cols.is_empty() {
            return Vec::new();
        }
        let reader = &self.reader;
        let findings = &mut *self.findings;
        self.cum_cols
            .iter()
            .enumerate()
            .map(|(i, &c)| (c != u32::MAX).then(|| reader.cumulative(r, c, i, findings))?)
            .collect()
    }

    /// A row that reads as a station: a station, or an unlabelled subtotal or total.
    fn station(&mut self, r: u32) -> Step {
        let grid = self.reader.grid;
        let mut row_findings = Vec::new();
        let (values, any, refused) = self.reader.station_values(r, &self.cols, &mut row_findings);
        let clean = refused.is_empty();
        let name = cell_text(grid.get(r, self.station_col)).trim().to_string();
        if !name.is_empty() && fold(&name).bytes().all(|b| b.is_ascii_digit()) {
            // A number where the name should be: a 栏次 row or figures shifted by a column.
            let why = format!("工作站名称是数字“{name}”");
            let f = self.reader.doubtful_row(r, self.station_col, &why);
            self.findings.push(f);
            return Step::Next;
        }
        let n = self.stations.len();
        let sum_like = |of: &[u64]| {
            clean
                && values == of
                && of.iter().any(|&v| v > 0)
                && (n >= 2 || (n == 1 && !station_like(&name)))
        };
        if !any {
            if name.is_empty() {
                return Step::Next; // a numbered but unused template row
            }
            if !station_like(&name) {
                // A name and not one figure: a station that did nothing, or a heading or a
                // line of text ("一、城区片") that would count as a station. Not known.
                let f = self.reader.blank_row(r, self.station_col, &name);
                self.findings.push(f);
            }
        } else if (sum_like(&self.sums) || sum_like(&self.since))
            && total_follows(grid, r, self.r1, &self.label_cols)
        {
            if station_like(&name) || n == 1 {
                // Named like a station, or equal to the one station above: a station whose
                // figures happen to equal the others', or an unlabelled subtotal. Read as a
                // station; the total below decides.
                self.doubtful.push(Doubtful {
                    station: self.stations.len(),
                    findings: self.findings.len()..self.findings.len() + row_findings.len(),
                });
            } else {
                // Figures equal to the stations' since the last subtotal, and a labelled total
                // below: an unlabelled subtotal.
                let f = self.reader.subtotal_warning(r, self.station_col, None);
                self.findings.push(f);
                self.since.iter_mut().for_each(|v| *v = 0);
                return Step::Next;
            }
        } else if sum_like(&self.sums) && labelled_total_below(grid, r, self.r1, &self.label_cols) {
            // Figures equal to the sum of the stations above, but a labelled total below: read
            // as a station, which that total then checks (a station whose figures happen to
            // equal the others' is counted; a repeated total gives a total_mismatch).
        } else if sum_like(&self.sums) && station_like(&name) {
            // Named like a station, figures equal to the sum of the stations above and no
            // total below to tell: a station or an unlabelled total, which cannot be known.
            let f = self.reader.sum_like_station(r, self.station_col, &name);
            self.findings.push(f);
        } else if sum_like(&self.sums) {
            // Figures equal to the sum of the stations above: a total, whatever its label says.
            let f = self
                .reader
                .detected_total_warning(r, self.station_col, &name);
            self.findings.push(f);
            let cumulative = self.cumulative(r);
            self.total = Some(TotalRow {
                row: r,
                values: values.iter().map(|&v| TotalCell::Written(v)).collect(),
                cells: self.cells(r),
                cumulative,
            });
            return Step::StopAfter;
        }
        self.push_station(r, name, values, refused, row_findings);
        Step::Next
    }

    /// Counts row `r` as a station: its figures, cells and findings.
    fn push_station(
        &mut self,
        r: u32,
        name: String,
        values: Vec<u64>,
        refused: Vec<usize>,
        row_findings: Vec<Finding>,
    ) {
        let grid = self.reader.grid;
        self.findings.extend(row_findings);
        let name_cell = (r, self.station_col);
        if name.is_empty() {
            let cell = a1(r, self.station_col);
            self.findings.push(
                Finding::new(
                    Code::InvalidValue,
                    Some(self.reader.file),
                    format!("{cell} 单元格工作站名称为空，但该行填了数字，请填写工作站名称"),
                )
                .at(&grid.name, Some(cell)),
            );
        }
        self.sums.iter_mut().zip(&values).for_each(|(s, v)| *s += v);
        self.since
            .iter_mut()
            .zip(&values)
            .for_each(|(s, v)| *s += v);
        let cumulative = self.cumulative(r);
        self.stations.push(StationRow {
            name,
            row: r,
            name_cell,
            values,
            cells: self.cells(r),
            refused,
            cumulative,
        });
    }
}
