//! A metric read from one column only when exactly one column holds it: two columns that both
//! name it, or a column beside it that names part of it and holds figures, refuse the return
//! (each header cell named); and the note that says which columns of a split metric were read.

use calamine::Data;

use super::header::Layout;
use super::table::StationRow;
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::column_name;
use crate::workbook::Grid;

/// `ambiguous_return` for a metric named by two or more columns, each header cell named.
pub(super) fn twice(
    grid: &Grid,
    layout: &Layout,
    cols: &[u32],
    title: &str,
    file: &str,
) -> Finding {
    let cells: Vec<(String, String)> = cols.iter().map(|&c| layout.header_cell(grid, c)).collect();
    let named: Vec<String> = cells
        .iter()
        .map(|(cell, text)| format!("{cell}“{}”", text.replace('\n', "")))
        .collect();
    Finding::new(
        Code::AmbiguousReturn,
        Some(file),
        format!(
            "工作表“{}”表头中 {} 都是“{title}”，无法确定读哪一列（或应是几列之和）：请只保留一列“{title}”（如几列分别填了其中一部分，请填它们的和）后重新报送",
            grid.name,
            named.join("、")
        ),
    )
    .at(&grid.name, Some(cells[1].0.clone()))
}

/// `ambiguous_return` for every column no metric matches whose header names part of a metric
/// that has a column of its own ("走访选民" beside "接待选民", an alias of 接待走访选民), when
/// it holds figures in a station row: the metric may be the sum of both, or only one of them.
pub(super) fn partial_findings(
    grid: &Grid,
    layout: &Layout,
    stations: &[StationRow],
    config: &Config,
    file: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for &(c, i) in &layout.partial {
        let Some(&own) = layout.columns[i].first() else {
            continue; // no column of its own: already `missing_column`
        };
        let filled = stations
            .iter()
            .any(|s| !matches!(grid.raw(s.row, c), Data::Empty));
        if !filled {
            continue;
        }
        let title = config.metric_title(&config.metrics[i]);
        let (own_cell, own_text) = layout.header_cell(grid, own);
        let (cell, text) = layout.header_cell(grid, c);
        let col = column_name(c);
        out.push(
            Finding::new(
                Code::AmbiguousReturn,
                Some(file),
                format!(
                    "工作表“{}”表头中 {own_cell}“{own_text}”读作“{title}”，{cell}“{text}”像是它的一部分，且 {col} 列填了数字：无法确定“{title}”是其中一列还是两列之和：请合并为一列“{title}”（填两列之和）后重新报送；如 {col} 列是另一项内容，请删除该列或移到表格外",
                    grid.name
                ),
            )
            .at(&grid.name, Some(cell)),
        );
    }
    out
}

/// The note of a return whose metrics are split by period: which columns were read.
pub(super) fn split_note(grid: &Grid, layout: &Layout, file: &str) -> Option<Finding> {
    if !layout.split {
        return None;
    }
    let read: Vec<String> = layout
        .columns
        .iter()
        .filter_map(|c| c.first().map(|&c| column_name(c)))
        .collect();
    let cumulative = layout.cumulative.iter().any(|c| !c.is_empty());
    Some(
        Finding::new(
            Code::MonthColumnRead,
            Some(file),
            format!(
                "表头各项分“本月”{}等几列：读取了本月的列（{} 列），{}",
                if cumulative { "和“累计”" } else { "" },
                read.join("、"),
                if cumulative {
                    "累计列不计入汇总，只与档案中本年此前各月的数字核对"
                } else {
                    "其他列不计入汇总"
                }
            ),
        )
        .at(&grid.name, None),
    )
}
