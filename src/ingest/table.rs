//! Reads the station rows and the 合计 row under a found header into figures,
//! with a finding for every coerced or refused cell.

use calamine::{Data, Range};

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
}

/// The 合计 / 总计 row as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalRow {
    /// Sheet row (0-based, absolute).
    pub row: u32,
    /// One figure per metric; `None` where blank or unreadable (not compared).
    pub values: Vec<Option<u64>>,
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

enum RowKind {
    Blank,
    Total,
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

fn classify(grid: &Grid, r: u32, c0: u32, c1: u32) -> RowKind {
    let texts: Vec<String> = (c0..=c1)
        .map(|c| fold(&cell_text(grid.raw(r, c))))
        .filter(|t| !t.is_empty())
        .collect();
    let Some(first) = texts.first() else {
        return RowKind::Blank;
    };
    if texts
        .iter()
        .take(4)
        .any(|t| t.starts_with("合计") || t.starts_with("总计"))
    {
        return RowKind::Total;
    }
    let is_note = NOTE_STARTS.iter().any(|n| {
        first.strip_prefix(n).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with([':', '：', '1', '(', '、', '.'])
        })
    });
    if is_note {
        RowKind::Note
    } else {
        RowKind::Station
    }
}

/// Reads the rows under the header until 合计 / 总计, a note line, or the end.
pub fn read_table(
    grid: &Grid,
    formulas: &Range<String>,
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
    let mut stations = Vec::new();
    let mut total = None;
    let mut r = layout.data_row();
    while r <= r1 {
        match classify(grid, r, c0, c1) {
            RowKind::Blank => {}
            RowKind::Note => break,
            RowKind::Total => {
                let values = cols
                    .iter()
                    .map(|&c| {
                        match coerce(grid.raw(r, c), formula(formulas, r, c), &config.matching) {
                            Value::Count(n) | Value::Coerced(n, _) => {
                                (!matches!(grid.raw(r, c), Data::Empty)).then_some(n)
                            }
                            Value::Refused(..) => None,
                        }
                    })
                    .collect();
                total = Some(TotalRow { row: r, values });
                r += 1;
                break;
            }
            RowKind::Station => {
                let name = cell_text(grid.get(r, station_col)).trim().to_string();
                let mut values = Vec::with_capacity(cols.len());
                let mut any = false;
                for (i, &c) in cols.iter().enumerate() {
                    if c == u32::MAX {
                        values.push(0); // missing column: reported once as missing_column
                        continue;
                    }
                    let d = grid.raw(r, c);
                    any |= !matches!(d, Data::Empty);
                    let cell = a1(r, c);
                    let title = config.metric_title(&config.metrics[i]);
                    values.push(match coerce(d, formula(formulas, r, c), &config.matching) {
                        Value::Count(n) => n,
                        Value::Coerced(n, why) => {
                            findings.push(
                                Finding::new(
                                    Code::CoercedValue,
                                    Some(file),
                                    format!("{cell} 单元格({title}){why}"),
                                )
                                .at(&grid.name, Some(cell)),
                            );
                            n
                        }
                        Value::Refused(code, why) => {
                            findings.push(
                                Finding::new(
                                    code,
                                    Some(file),
                                    format!("{cell} 单元格({title}){why}"),
                                )
                                .at(&grid.name, Some(cell)),
                            );
                            0
                        }
                    });
                }
                if name.is_empty() && !any {
                    r += 1;
                    continue; // a numbered but unused template row
                }
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
                stations.push(StationRow {
                    name,
                    row: r,
                    values,
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

fn formula(formulas: &Range<String>, r: u32, c: u32) -> Option<&str> {
    formulas
        .get_value((r, c))
        .map(String::as_str)
        .filter(|f| !f.is_empty())
}
