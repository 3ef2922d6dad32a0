//! Reads the cells of a return's rows: each metric's figure (values, formulas, merged areas)
//! with a finding for every coerced or refused cell, the 合计 row's figures, the 累计 cells, and
//! the findings of rows that are not stations (subtotals, parts, doubtful rows).

use calamine::Data;

use super::rows::{LabelCols, row_label};
use super::table::{CumCell, TotalCell, TotalRow, cells_of};
use super::values::{Value, coerce};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::a1;
use crate::workbook::{Grid, cell_blank, cell_text};

/// Reads metric cells of one sheet (values and formulas), with the file's name for findings.
pub(super) struct CellReader<'a> {
    pub(super) grid: &'a Grid,
    pub(super) config: &'a Config,
    pub(super) file: &'a str,
    /// Merged areas over figure cells already named in a finding (one finding per area).
    pub(super) merged_named: std::cell::RefCell<Vec<(u32, u32)>>,
}

impl CellReader<'_> {
    /// A metric cell: its formula result is refused when the workbook recalculates on open
    /// (the saved result may be a writer's placeholder 0).
    pub(super) fn value(&self, r: u32, c: u32) -> Value {
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
                    "是公式 ={}，但文件设置为“打开时重新计算”，保存的结果 {} 不可信（有的软件一律保存为 0）：请在 Excel / WPS 中打开该文件、确认数字后保存再报送，或直接填写数字",
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
    pub(super) fn merged(&self, r: u32, c: u32) -> Option<String> {
        let d = self.grid.merged_area(r, c)?;
        let mut named = self.merged_named.borrow_mut();
        if named.contains(&d.start) {
            return Some(String::new());
        }
        named.push(d.start);
        let area = format!("{}:{}", a1(d.start.0, d.start.1), a1(d.end.0, d.end.1));
        Some(format!(
            "在合并单元格 {area} 中：合并后只有左上角一格有内容，其余格子读作空白，无法确定每个工作站、每一项的数字：请取消合并，每个工作站的每一项分别填写数字（没有的填 0）"
        ))
    }

    /// A row of figures under the total: refused, naming the row.
    pub(super) fn below_total(&self, r: u32, total_row: u32, label_cols: &LabelCols) -> Finding {
        let label = row_label(self.grid, r, label_cols);
        let cell = a1(r, label_cols.station.unwrap_or(label_cols.c0));
        let label = if label.is_empty() {
            String::new()
        } else {
            format!("（“{label}”）")
        };
        Finding::new(
            Code::AmbiguousReturn,
            Some(self.file),
            format!(
                "第 {} 行{label}在合计行（第 {} 行）下面还填了数字，无法确定是否应计入本月：如是本月的工作站，请移到合计行上面并更新合计；如不是（上月数、累计数等），请删除或移到另一张工作表",
                r + 1,
                total_row + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    pub(super) fn title(&self, i: usize) -> String {
        self.config.metric_title(&self.config.metrics[i])
    }

    /// The 累计 cell of metric `i` at (r, c): its figure, or none when it is blank, a formula
    /// whose saved result cannot be trusted, or not a number (a warning then names it: 累计
    /// is never counted, so it does not refuse the return).
    pub(super) fn cumulative(
        &self,
        r: u32,
        c: u32,
        i: usize,
        findings: &mut Vec<Finding>,
    ) -> Option<CumCell> {
        let d = self.grid.raw(r, c);
        let f = self.grid.formula(r, c);
        if cell_blank(d) || (f.is_some() && self.grid.recalc_on_load) {
            return None;
        }
        match coerce(d, f, &self.config.matching) {
            Value::Count(n) | Value::Coerced(n, _) => Some(((r, c), n)),
            Value::Refused(_, why) => {
                findings.push(super::rowfindings::cumulative_unreadable(
                    &self.grid.name,
                    self.file,
                    (r, c),
                    &self.title(i),
                    &why,
                ));
                None
            }
        }
    }

    /// A row that is neither certainly a station nor certainly part of the header: refused.
    pub(super) fn doubtful_row(&self, r: u32, station_col: u32, why: &str) -> Finding {
        super::rowfindings::doubtful_row(&self.grid.name, self.file, (r, station_col), why)
    }

    /// A row of figures under a note line that ended the table: refused, naming the row.
    pub(super) fn below_note(&self, r: u32, note_row: u32, label_cols: &LabelCols) -> Finding {
        let label = row_label(self.grid, r, label_cols);
        let cell = (r, label_cols.station.unwrap_or(label_cols.c0));
        super::rowfindings::below_note(&self.grid.name, self.file, cell, &label, note_row)
    }

    /// A station row's counts; whether any metric cell is filled; whether none was refused.
    pub(super) fn station_values(
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
            // The cell's A1 name and the metric's title only where there is a finding.
            let at = |code, why: String| {
                let (cell, title) = (a1(r, c), self.title(i));
                Finding::new(
                    code,
                    Some(self.file),
                    format!("{cell} 单元格（{title}）{why}"),
                )
                .at(&self.grid.name, Some(cell))
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
    pub(super) fn total_row(&self, r: u32, cols: &[u32], findings: &mut Vec<Finding>) -> TotalRow {
        let mut unreadable: Vec<Unreadable> = Vec::new();
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
                    Value::Refused(code, why) => {
                        unreadable.push(Unreadable {
                            cell: a1(r, c),
                            code,
                            title: self.title(i),
                            why,
                        });
                        TotalCell::Unknown
                    }
                }
            })
            .collect();
        if let Some(f) = self.total_not_verified(r, &unreadable) {
            findings.push(f);
        }
        TotalRow {
            row: r,
            values,
            cells: cells_of(r, cols),
            cumulative: Vec::new(),
        }
    }

    /// One `total_not_verified` for the total row's unreadable cells: formulas without a
    /// saved result are listed once by cell, each other cell says why on its own.
    fn total_not_verified(&self, r: u32, unreadable: &[Unreadable]) -> Option<Finding> {
        let first = &unreadable.first()?.cell;
        let (formulas, others): (Vec<_>, Vec<_>) = unreadable
            .iter()
            .partition(|u| u.code == Code::FormulaWithoutValue);
        let mut parts = Vec::new();
        if !formulas.is_empty() {
            let cells: Vec<&str> = formulas.iter().map(|u| u.cell.as_str()).collect();
            parts.push(format!("{} 是公式，没有保存计算结果", cells.join("、")));
        }
        parts.extend(
            others
                .iter()
                .map(|u| format!("{}（{}）{}", u.cell, u.title, u.why)),
        );
        Some(
            Finding::new(
                Code::TotalNotVerified,
                Some(self.file),
                format!(
                    "第 {} 行合计行有 {} 个数字无法读取，这些列未与各工作站之和核对：{}。各站数字照常计入；如需核对，请在 Excel / WPS 中打开、重新计算并保存后再报送",
                    r + 1,
                    unreadable.len(),
                    parts.join("；")
                ),
            )
            .at(&self.grid.name, Some(first.clone())),
        )
    }

    /// A row read as a subtotal because more stations and a labelled total follow it.
    pub(super) fn subtotal_warning(
        &self,
        r: u32,
        station_col: u32,
        label: Option<&str>,
    ) -> Finding {
        let cell = a1(r, station_col);
        let what = match label {
            Some(l) => format!("标为“{l}”"),
            None => "没有标注，数字等于上方部分工作站之和".to_string(),
        };
        Finding::new(
            Code::TotalRowDetected,
            Some(self.file),
            format!(
                "第 {} 行{what}，其下还有工作站和合计行，按小计处理、不计为工作站：请核对",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    /// A "其中" row: the part of the row above, not a station.
    pub(super) fn part_warning(&self, r: u32, station_col: u32, label: &str) -> Finding {
        let cell = a1(r, station_col);
        Finding::new(
            Code::TotalRowDetected,
            Some(self.file),
            format!(
                "第 {} 行标为“{label}”，是上一行的分项（其中数），不计为工作站、不计入合计：如确是另一个工作站，请改写工作站名称后重新报送",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    /// A row with a name that is not a station's and no figure at all: refused.
    pub(super) fn blank_row(&self, r: u32, station_col: u32, name: &str) -> Finding {
        let cell = a1(r, station_col);
        Finding::new(
            Code::AmbiguousReturn,
            Some(self.file),
            format!(
                "第 {} 行“{name}”没有填写任何数字，名称也不像工作站（…工作站、…村、…社区），无法确定是否算一个工作站：如是工作站，请在各项填写数字（没有的填 0）；如是分组标题或说明文字，请删除该行或写在表格下方的“注：”中",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    /// A row named like a station whose figures equal the sum of the stations above it, with
    /// no labelled total to tell whether it is a station or the total: refused.
    pub(super) fn sum_like_station(&self, r: u32, station_col: u32, name: &str) -> Finding {
        let cell = a1(r, station_col);
        Finding::new(
            Code::AmbiguousReturn,
            Some(self.file),
            format!(
                "第 {} 行“{name}”的各项数字恰好等于上方各工作站之和，无法确定它是一个工作站还是没有标注的合计行：如是合计行，请在 {cell} 单元格写“合计”；如确是一个工作站，请在表格最后加一行“合计”（各工作站之和）后重新报送",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }

    pub(super) fn detected_total_warning(&self, r: u32, station_col: u32, name: &str) -> Finding {
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
                "第 {} 行{label}，但各项数字都等于上方各工作站之和，按合计行处理、不计为工作站：如确是一个工作站，请核对数字后重新报送",
                r + 1
            ),
        )
        .at(&self.grid.name, Some(cell))
    }
}

/// A figure of the total row that cannot be read: its cell, why (code and words) and column.
struct Unreadable {
    cell: String,
    code: Code,
    title: String,
    why: String,
}
