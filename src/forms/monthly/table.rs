//! Reads the station rows and the total row under a found header into figures, with a finding
//! for every coerced or refused cell; 合计/小计 rows however labelled are never stations.

use calamine::Data;

use super::header::Layout;
use super::rows::{
    LabelCols, RowKind, classify, figures_below_total, labelled_total_below, row_label,
    station_like, total_follows,
};
use super::values::{Value, coerce};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::a1;
use crate::workbook::{Grid, cell_text};

/// A cell's (row, column), 0-based and absolute.
pub type Pos = (u32, u32);

/// One station's row of figures, each with the cell it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct StationRow {
    /// Station name as written (trimmed).
    pub name: String,
    /// Sheet row (0-based, absolute).
    pub row: u32,
    /// The cell of the name: in the station column (the table's first column when the header
    /// has none, already a `missing_column` error).
    pub name_cell: Pos,
    /// One count per configured metric (refused cells count 0; the return then has errors).
    pub values: Vec<u64>,
    /// The cell of each value (none where the metric has no column).
    pub cells: Vec<Option<Pos>>,
    /// Indices of the metrics whose cell was refused or whose column is missing (already an
    /// error): rules that derive a warning from a value skip these.
    pub refused: Vec<usize>,
}

/// One figure of the total row, as far as it can be compared with the stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalCell {
    /// Blank, or a value that cannot be read (a finding says so): not compared.
    Unknown,
    /// A figure as written or as a formula's trusted result.
    Written(u64),
    /// A formula result saved by a writer that recalculates on open: it may be a placeholder,
    /// so a difference from the stations means "not verified", not "wrong".
    Untrusted(u64),
}

/// The 合计 / 总计 row as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalRow {
    /// Sheet row (0-based, absolute).
    pub row: u32,
    /// One figure per metric.
    pub values: Vec<TotalCell>,
    /// The cell of each figure (none where the metric has no column).
    pub cells: Vec<Option<Pos>>,
}

/// What the table of a sheet holds.
pub struct Table {
    /// Station rows in sheet order.
    pub stations: Vec<StationRow>,
    /// The 合计 row, if any.
    pub total: Option<TotalRow>,
    /// The row after the last row read (where labels below the table may start).
    pub end_row: u32,
}

/// Reads the rows under the header until the total row, a note line, or the end.
pub fn read_table(
    grid: &Grid,
    layout: &Layout,
    config: &Config,
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
    let mut t = TableReader {
        reader: CellReader {
            grid,
            config,
            file,
            merged_named: Default::default(),
        },
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
        total: None,
        findings,
    };
    let mut r = layout.data_row();
    while r <= r1 {
        match t.row(r) {
            Step::Next => r += 1,
            Step::StopAfter => {
                r += 1;
                break;
            }
            Step::StopBefore => break,
        }
    }
    if let Some(total) = &t.total
        && let Some(below) = figures_below_total(grid, r, r1, &t.label_cols, &t.cols)
    {
        let f = t.reader.below_total(below, total.row, &t.label_cols);
        t.findings.push(f);
    }
    Table {
        stations: t.stations,
        total: t.total,
        end_row: r,
    }
}

/// The cells of row `r` in the metric columns `cols` (none where `u32::MAX`: no column).
fn cells_of(r: u32, cols: &[u32]) -> Vec<Option<Pos>> {
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
    label_cols: LabelCols,
    station_col: u32,
    r1: u32,
    /// The first column of each metric (`u32::MAX` where it has none).
    cols: Vec<u32>,
    /// Sums of the stations read so far, and since the last subtotal.
    sums: Vec<u64>,
    since: Vec<u64>,
    stations: Vec<StationRow>,
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
            RowKind::Note => Step::StopBefore,
            RowKind::Total => {
                self.total = Some(self.reader.total_row(r, &self.cols, self.findings));
                Step::StopAfter
            }
            RowKind::Station => self.station(r),
        }
    }

    /// A row that reads as a station: a station, or an unlabelled subtotal or total.
    fn station(&mut self, r: u32) -> Step {
        let grid = self.reader.grid;
        let mut row_findings = Vec::new();
        let (values, any, refused) = self.reader.station_values(r, &self.cols, &mut row_findings);
        let clean = refused.is_empty();
        let name = cell_text(grid.get(r, self.station_col)).trim().to_string();
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
            // Figures equal to the stations' since the last subtotal, and a labelled total
            // below: an unlabelled subtotal.
            let f = self.reader.subtotal_warning(r, self.station_col, None);
            self.findings.push(f);
            self.since.iter_mut().for_each(|v| *v = 0);
            return Step::Next;
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
            self.total = Some(TotalRow {
                row: r,
                values: values.iter().map(|&v| TotalCell::Written(v)).collect(),
                cells: self.cells(r),
            });
            return Step::StopAfter;
        }
        self.findings.extend(row_findings);
        let name_cell = (r, self.station_col);
        if name.is_empty() {
            let cell = a1(r, self.station_col);
            self.findings.push(
                Finding::new(
                    Code::InvalidValue,
                    Some(self.reader.file),
                    format!("{cell} 单元格工作站名称为空,但该行填了数字,请填写工作站名称"),
                )
                .at(&grid.name, Some(cell)),
            );
        }
        self.sums.iter_mut().zip(&values).for_each(|(s, v)| *s += v);
        self.since
            .iter_mut()
            .zip(&values)
            .for_each(|(s, v)| *s += v);
        self.stations.push(StationRow {
            name,
            row: r,
            name_cell,
            values,
            cells: self.cells(r),
            refused,
        });
        Step::Next
    }
}

/// Reads metric cells of one sheet (values and formulas), with the file's name for findings.
struct CellReader<'a> {
    grid: &'a Grid,
    config: &'a Config,
    file: &'a str,
    /// Merged areas over figure cells already named in a finding (one finding per area).
    merged_named: std::cell::RefCell<Vec<(u32, u32)>>,
}

impl CellReader<'_> {
    /// A metric cell: its formula result is refused when the workbook recalculates on open
    /// (the saved result may be a writer's placeholder 0).
    fn value(&self, r: u32, c: u32) -> Value {
        if let Some(why) = self.merged(r, c) {
            return Value::Refused(Code::InvalidValue, why);
        }
        let f = self.grid.formula(r, c);
        let d = self.grid.raw(r, c);
        if let Some(f) = f
            && self.grid.recalc_on_load
            && !matches!(d, Data::Empty | Data::Error(_))
        {
            return Value::Refused(
                Code::FormulaWithoutValue,
                format!(
                    "是公式 ={},但文件设置为“打开时重新计算”,保存的结果 {} 不可信(有的软件一律保存为 0):请在 Excel / WPS 中打开该文件、确认数字后保存再报送,或直接填写数字",
                    f.trim_start_matches('='),
                    cell_text(d)
                ),
            );
        }
        coerce(d, f, &self.config.matching)
    }

    /// Why a figure cell inside a merged area cannot be read: the one number written in it
    /// cannot be attributed to a station and a column (the covered cells read as blank).
    /// The message is empty for the area's later cells: the first names the whole area.
    fn merged(&self, r: u32, c: u32) -> Option<String> {
        let d = self.grid.merged_area(r, c)?;
        let mut named = self.merged_named.borrow_mut();
        if named.contains(&d.start) {
            return Some(String::new());
        }
        named.push(d.start);
        let area = format!("{}:{}", a1(d.start.0, d.start.1), a1(d.end.0, d.end.1));
        Some(format!(
            "在合并单元格 {area} 中:合并后只有左上角一格有内容,其余格子读作空白,无法确定每个工作站、每一项的数字:请取消合并,每个工作站的每一项分别填写数字(没有的填 0)"
        ))
    }

    /// A row of figures under the total: refused, naming the row.
    fn below_total(&self, r: u32, total_row: u32, label_cols: &LabelCols) -> Finding {
        let label = row_label(self.grid, r, label_cols);
        let cell = a1(r, label_cols.station.unwrap_or(label_cols.c0));
        let label = if label.is_empty() {
            String::new()
        } else {
            format!("(“{label}”)")
        };
        Finding::new(
            Code::AmbiguousReturn,
            Some(self.file),
            format!(
                "第 {} 行{label}在合计行(第 {} 行)下面还填了数字,无法确定是否应计入本月:如是本月的工作站,请移到合计行上面并更新合计;如不是(上月数、累计数等),请删除或移到另一张工作表",
                r + 1,
                total_row + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    fn title(&self, i: usize) -> String {
        self.config.metric_title(&self.config.metrics[i])
    }

    /// A station row's counts; whether any metric cell is filled; whether none was refused.
    fn station_values(
        &self,
        r: u32,
        cols: &[u32],
        findings: &mut Vec<Finding>,
    ) -> (Vec<u64>, bool, Vec<usize>) {
        let mut values = Vec::with_capacity(cols.len());
        let (mut any, mut refused) = (false, Vec::new());
        for (i, &c) in cols.iter().enumerate() {
            if c == u32::MAX {
                values.push(0); // missing column: reported once as missing_column
                refused.push(i);
                continue;
            }
            any |= !matches!(self.grid.raw(r, c), Data::Empty);
            let cell = a1(r, c);
            let title = self.title(i);
            let at = |code, why: String| {
                Finding::new(
                    code,
                    Some(self.file),
                    format!("{cell} 单元格({title}){why}"),
                )
                .at(&self.grid.name, Some(cell.clone()))
            };
            values.push(match self.value(r, c) {
                Value::Count(n) => n,
                Value::Coerced(n, why) => {
                    findings.push(at(Code::CoercedValue, why));
                    n
                }
                Value::Refused(code, why) => {
                    if !why.is_empty() {
                        findings.push(at(code, why));
                    }
                    refused.push(i);
                    0
                }
            });
        }
        (values, any, refused)
    }

    /// The labelled total row: each figure, or why it cannot be compared.
    fn total_row(&self, r: u32, cols: &[u32], findings: &mut Vec<Finding>) -> TotalRow {
        let mut unreadable = Vec::new();
        let values = cols
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                if c == u32::MAX {
                    return TotalCell::Unknown;
                }
                let d = self.grid.raw(r, c);
                let f = self.grid.formula(r, c);
                let read = match self.merged(r, c) {
                    Some(why) => Value::Refused(Code::InvalidValue, why),
                    None => coerce(d, f, &self.config.matching),
                };
                match read {
                    Value::Count(_) | Value::Coerced(..) if matches!(d, Data::Empty) => {
                        TotalCell::Unknown
                    }
                    Value::Count(n) | Value::Coerced(n, _)
                        if f.is_some() && self.grid.recalc_on_load =>
                    {
                        TotalCell::Untrusted(n)
                    }
                    Value::Count(n) | Value::Coerced(n, _) => TotalCell::Written(n),
                    Value::Refused(_, why) if why.is_empty() => TotalCell::Unknown,
                    Value::Refused(_, why) => {
                        unreadable.push(format!("{}({}){why}", a1(r, c), self.title(i)));
                        TotalCell::Unknown
                    }
                }
            })
            .collect();
        if !unreadable.is_empty() {
            let first = unreadable[0].split('(').next().map(str::to_string);
            findings.push(
                Finding::new(
                    Code::TotalNotVerified,
                    Some(self.file),
                    format!(
                        "第 {} 行合计行有 {} 个数字无法读取,这些列未与各工作站之和核对:{}。各站数字照常计入;如需核对,请在 Excel / WPS 中打开、保存后再报送",
                        r + 1,
                        unreadable.len(),
                        unreadable.join(";")
                    ),
                )
                .at(&self.grid.name, first),
            );
        }
        TotalRow {
            row: r,
            values,
            cells: cells_of(r, cols),
        }
    }

    /// A row read as a subtotal because more stations and a labelled total follow it.
    fn subtotal_warning(&self, r: u32, station_col: u32, label: Option<&str>) -> Finding {
        let cell = a1(r, station_col);
        let what = match label {
            Some(l) => format!("标为“{l}”"),
            None => "没有标注,数字等于上方部分工作站之和".to_string(),
        };
        Finding::new(
            Code::TotalRowDetected,
            Some(self.file),
            format!(
                "第 {} 行{what},其下还有工作站和合计行,按小计处理、不计为工作站:请核对",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    /// A "其中" row: the part of the row above, not a station.
    fn part_warning(&self, r: u32, station_col: u32, label: &str) -> Finding {
        let cell = a1(r, station_col);
        Finding::new(
            Code::TotalRowDetected,
            Some(self.file),
            format!(
                "第 {} 行标为“{label}”,是上一行的分项(其中数),不计为工作站、不计入合计:如确是另一个工作站,请改写工作站名称后重新报送",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    /// A row with a name that is not a station's and no figure at all: refused.
    fn blank_row(&self, r: u32, station_col: u32, name: &str) -> Finding {
        let cell = a1(r, station_col);
        Finding::new(
            Code::AmbiguousReturn,
            Some(self.file),
            format!(
                "第 {} 行“{name}”没有填写任何数字,名称也不像工作站(…工作站、…村、…社区),无法确定是否算一个工作站:如是工作站,请在各项填写数字(没有的填 0);如是分组标题或说明文字,请删除该行或写在表格下方的“注:”中",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    /// A row named like a station whose figures equal the sum of the stations above it, with
    /// no labelled total to tell whether it is a station or the total: refused.
    fn sum_like_station(&self, r: u32, station_col: u32, name: &str) -> Finding {
        let cell = a1(r, station_col);
        Finding::new(
            Code::AmbiguousReturn,
            Some(self.file),
            format!(
                "第 {} 行“{name}”的各项数字恰好等于上方各工作站之和,无法确定它是一个工作站还是没有标注的合计行:如是合计行,请在 {cell} 单元格写“合计”;如确是一个工作站,请在表格最后加一行“合计”(各工作站之和)后重新报送",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    fn detected_total_warning(&self, r: u32, station_col: u32, name: &str) -> Finding {
        let cell = a1(r, station_col);
        let label = if name.is_empty() {
            "没有标注“合计”".to_string()
        } else {
            format!("标为“{name}”")
        };
        Finding::new(
            Code::TotalRowDetected,
            Some(self.file),
            format!(
                "第 {} 行{label},但各项数字都等于上方各工作站之和,按合计行处理、不计为工作站:如确是一个工作站,请核对数字后重新报送",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }
}
