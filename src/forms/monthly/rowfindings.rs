//! The findings of rows that cannot be read for certain (a doubtful 栏次 row, figures under a
//! note line) and of 累计 cells that cannot be compared: each names its cell and what to do.

use crate::core::findings::{Code, Finding};
use crate::core::text::a1;

use super::table::Pos;

/// A row that is neither certainly a station nor certainly part of the header.
pub(super) fn doubtful_row(sheet: &str, file: &str, (r, c): Pos, why: &str) -> Finding {
    let cell = a1(r, c);
    Finding::new(
        Code::AmbiguousReturn,
        Some(file),
        format!(
            "第 {} 行{why}，无法确定它是一个工作站还是表头的一部分，未计入：如是表头下的栏次行，请写成连续的栏号（1、2、3……）或删除该行；如是工作站，请在 {cell} 单元格填写工作站名称后重新报送",
            r + 1
        ),
    )
    .at(sheet, Some(cell))
}

/// A row of figures under the note line that ended the table.
pub(super) fn below_note(sheet: &str, file: &str, (r, c): Pos, label: &str, note: u32) -> Finding {
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("（“{label}”）")
    };
    Finding::new(
        Code::AmbiguousReturn,
        Some(file),
        format!(
            "第 {} 行{label}在说明行（第 {} 行）下面还填了数字，无法确定是否应计入本月：如是本月的工作站，请移到说明行上面（表格之内）；如不是（上月数、累计数等），请删除或移到另一张工作表",
            r + 1,
            note + 1
        ),
    )
    .at(sheet, Some(a1(r, c)))
}

/// A 累计 cell that is not a number: not compared with the archive, the return still counts.
pub(super) fn cumulative_unreadable(
    sheet: &str,
    file: &str,
    (r, c): Pos,
    title: &str,
    why: &str,
) -> Finding {
    let cell = a1(r, c);
    Finding::new(
        Code::CumulativeNotVerified,
        Some(file),
        format!(
            "{cell} 单元格（{title} 累计）{why}。累计不计入汇总，本月数字照常计入；此格没有与档案核对，请改正累计数"
        ),
    )
    .at(sheet, Some(cell))
}

/// A row named like a station whose figures equal the stations' above it, with more stations
/// and a total below whose figures cannot tell whether it is a station or a subtotal.
pub(super) fn station_or_subtotal(sheet: &str, file: &str, (r, c): Pos, name: &str) -> Finding {
    let cell = a1(r, c);
    Finding::new(
        Code::AmbiguousReturn,
        Some(file),
        format!(
            "第 {} 行“{name}”的各项数字恰好等于上方工作站之和，其下还有工作站和合计行，但合计行的数字不能说明它是一个工作站还是没有标注的小计：如是小计，请在 {cell} 单元格写“小计”；如确是一个工作站，请在合计行填上各工作站之和后重新报送",
            r + 1
        ),
    )
    .at(sheet, Some(cell))
}
