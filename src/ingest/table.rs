//! Reads the station rows and the total row under a found header into figures, with a finding
//! for every coerced or refused cell; 合计/小计 rows however labelled are never stations.

use calamine::Data;

use super::header::Layout;
use super::values::{Value, coerce};
use super::workbook::{Grid, cell_text};
use crate::config::Config;
use crate::findings::{Code, Finding};
use crate::text::{a1, fold};

/// One station's row of figures.
#[derive(Debug, Clone, PartialEq)]
pub struct StationRow {
    /// Station name as written (trimmed).
    pub name: String,
    /// Sheet row (0-based, absolute).
    pub row: u32,
    /// One count per configured metric (refused cells count 0; the return then has errors).
    pub values: Vec<u64>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Blank,
    Total,
    Subtotal,
    Note,
    Station,
}

const NOTE_STARTS: &[&str] = &[
    "注",
    "说明",
    "备注",
    "填表人",
    "填报人",
    "审核人",
    "负责人",
    "制表人",
    "联系人",
];

/// Words that make a row a total, wherever they stand in its label ("全镇合计", "合 计",
/// "合计（7个站）", "本镇累计", "Total").
const TOTAL_WORDS: &[&str] = &["合计", "总计", "共计", "累计", "汇总", "total"];
/// Words that make a row a subtotal (checked first: "subtotal" contains "total").
const SUBTOTAL_WORDS: &[&str] = &["小计", "subtotal", "sub-total"];

/// Where a row's label may be: text cells left of the first figure column, and the station
/// column wherever it is.
struct LabelCols {
    c0: u32,
    c1: u32,
    first_figure: u32,
    station: Option<u32>,
}

impl LabelCols {
    fn contains(&self, c: u32) -> bool {
        c < self.first_figure || Some(c) == self.station
    }
}

fn classify(grid: &Grid, r: u32, cols: &LabelCols) -> RowKind {
    let mut first: Option<String> = None;
    let mut labels = Vec::new();
    for c in cols.c0..=cols.c1 {
        let d = grid.raw(r, c);
        let t = fold(&cell_text(d));
        if t.is_empty() {
            continue;
        }
        if first.is_none() {
            first = Some(t.clone());
        }
        if matches!(d, Data::String(_)) && cols.contains(c) {
            labels.push(t.to_lowercase());
        }
    }
    let Some(first) = first else {
        return RowKind::Blank;
    };
    let is_note = NOTE_STARTS.iter().any(|n| {
        first.strip_prefix(n).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with([':', '：', '1', '(', '、', '.'])
        })
    });
    let has = |words: &[&str]| labels.iter().any(|t| words.iter().any(|w| t.contains(w)));
    if is_note {
        RowKind::Note
    } else if has(SUBTOTAL_WORDS) {
        RowKind::Subtotal
    } else if has(TOTAL_WORDS) {
        RowKind::Total
    } else {
        RowKind::Station
    }
}

/// Whether a total-like row at `r` is followed, before the table ends (a note line or the end
/// of the sheet), by more station rows and then a row labelled as a total: then it was the
/// subtotal of part of the table ("片区合计"). A total row right under another ("本月合计",
/// "本年累计") does not make the first a subtotal.
fn total_follows(grid: &Grid, r: u32, r1: u32, cols: &LabelCols) -> bool {
    let mut stations = false;
    for x in (r + 1)..=r1 {
        match classify(grid, x, cols) {
            RowKind::Note => return false,
            RowKind::Station => stations = true,
            RowKind::Total => return stations,
            RowKind::Blank | RowKind::Subtotal => {}
        }
    }
    false
}

/// The first text of a row's label cells, as written.
fn row_label(grid: &Grid, r: u32, cols: &LabelCols) -> String {
    (cols.c0..=cols.c1)
        .filter(|&c| cols.contains(c))
        .map(|c| grid.raw(r, c))
        .find_map(|d| match d {
            Data::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Whether a row's name reads as a station's (工作站, 村, 社区 …): a row so named is a station
/// even when its figures equal the single station above it.
fn station_like(name: &str) -> bool {
    ["站", "村", "社区", "居委", "小区"]
        .iter()
        .any(|w| name.contains(w))
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
    let station_col = layout.station_col.unwrap_or(c0);
    let cols: Vec<u32> = layout
        .columns
        .iter()
        .map(|c| c.first().copied().unwrap_or(u32::MAX))
        .collect();
    let label_cols = LabelCols {
        c0,
        c1,
        first_figure: cols.iter().copied().min().unwrap_or(u32::MAX),
        station: layout.station_col,
    };
    let reader = CellReader { grid, config, file };
    let mut stations: Vec<StationRow> = Vec::new();
    // Sums of the stations read so far, and since the last subtotal.
    let mut sums = vec![0u64; cols.len()];
    let mut since = vec![0u64; cols.len()];
    let mut total = None;
    let mut r = layout.data_row();
    while r <= r1 {
        let mut kind = classify(grid, r, &label_cols);
        if kind == RowKind::Total && total_follows(grid, r, r1, &label_cols) {
            // A total label mid-table: a subtotal ("一片区合计") when its figures are the
            // stations' since the last one; otherwise a station whose name has such a word.
            let (values, _, refused) = reader.station_values(r, &cols, &mut Vec::new());
            if refused.is_empty() && values == since {
                let label = row_label(grid, r, &label_cols);
                findings.push(reader.subtotal_warning(r, station_col, Some(&label)));
                since.iter_mut().for_each(|v| *v = 0);
                r += 1;
                continue;
            }
            kind = RowKind::Station;
        }
        match kind {
            RowKind::Blank => {}
            RowKind::Subtotal => since.iter_mut().for_each(|v| *v = 0),
            RowKind::Note => break,
            RowKind::Total => {
                total = Some(reader.total_row(r, &cols, findings));
                r += 1;
                break;
            }
            RowKind::Station => {
                let mut row_findings = Vec::new();
                let (values, any, refused) = reader.station_values(r, &cols, &mut row_findings);
                let clean = refused.is_empty();
                let name = cell_text(grid.get(r, station_col)).trim().to_string();
                let sum_like = |of: &[u64]| {
                    clean
                        && values == of
                        && of.iter().any(|&v| v > 0)
                        && (stations.len() >= 2 || (stations.len() == 1 && !station_like(&name)))
                };
                if !any {
                    if name.is_empty() {
                        r += 1;
                        continue; // a numbered but unused template row
                    }
                } else if (sum_like(&sums) || sum_like(&since))
                    && total_follows(grid, r, r1, &label_cols)
                {
                    // Figures equal to the stations' since the last subtotal, and a labelled
                    // total below: an unlabelled subtotal.
                    findings.push(reader.subtotal_warning(r, station_col, None));
                    since.iter_mut().for_each(|v| *v = 0);
                    r += 1;
                    continue;
                } else if sum_like(&sums) {
                    // Figures equal to the sum of the stations above: a total, whatever its
                    // label says.
                    findings.push(reader.detected_total_warning(r, station_col, &name));
                    total = Some(TotalRow {
                        row: r,
                        values: values.iter().map(|&v| TotalCell::Written(v)).collect(),
                    });
                    r += 1;
                    break;
                }
                findings.extend(row_findings);
                if name.is_empty() {
                    let cell = a1(r, station_col);
                    findings.push(
                        Finding::new(
                            Code::InvalidValue,
                            Some(file),
                            format!("{cell} 单元格工作站名称为空,但该行填了数字,请填写工作站名称"),
                        )
                        .at(&grid.name, Some(cell)),
                    );
                }
                sums.iter_mut().zip(&values).for_each(|(s, v)| *s += v);
                since.iter_mut().zip(&values).for_each(|(s, v)| *s += v);
                stations.push(StationRow {
                    name,
                    row: r,
                    values,
                    refused,
                });
            }
        }
        r += 1;
    }
    Table {
        stations,
        total,
        end_row: r,
    }
}

/// Reads metric cells of one sheet (values and formulas), with the file's name for findings.
struct CellReader<'a> {
    grid: &'a Grid,
    config: &'a Config,
    file: &'a str,
}

impl CellReader<'_> {
    /// A metric cell: its formula result is refused when the workbook recalculates on open
    /// (the saved result may be a writer's placeholder 0).
    fn value(&self, r: u32, c: u32) -> Value {
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
                    findings.push(at(code, why));
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
                match coerce(d, f, &self.config.matching) {
                    Value::Count(_) | Value::Coerced(..) if matches!(d, Data::Empty) => {
                        TotalCell::Unknown
                    }
                    Value::Count(n) | Value::Coerced(n, _)
                        if f.is_some() && self.grid.recalc_on_load =>
                    {
                        TotalCell::Untrusted(n)
                    }
                    Value::Count(n) | Value::Coerced(n, _) => TotalCell::Written(n),
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
        TotalRow { row: r, values }
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
