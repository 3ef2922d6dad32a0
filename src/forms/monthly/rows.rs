//! The kinds of row under a return's header: blank, station, total, subtotal or note, told
//! by their labels wherever they stand ("全镇合计", "合 计", "小计", "注:"…).

use calamine::Data;

use crate::core::text::fold;
use crate::workbook::{Grid, cell_text};

/// What a row under the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowKind {
    Blank,
    Total,
    Subtotal,
    /// A breakdown of the row above ("其中:…"): part of a station, never one.
    Part,
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
    // Signature and footer lines under a table ("单位负责人:… 填表人:…", "审核:…").
    "单位负责人",
    "主要负责人",
    "分管领导",
    "主管领导",
    "审核",
    "制表",
    "统计人",
    "填表说明",
    "报送日期",
    "填报日期",
    "联系电话",
];

/// Lines that say the table ends here ("以下空白", "(以下无数据)").
const END_MARKS: &[&str] = &[
    "以下空白",
    "以下无数据",
    "以下无内容",
    "此行以下空白",
    "本页以下空白",
];

/// Words that make a row a total, wherever they stand in its label ("全镇合计", "合 计",
/// "合计（7个站）", "本镇累计", "Total").
const TOTAL_WORDS: &[&str] = &["合计", "总计", "共计", "累计", "汇总", "total"];
/// Words that make a row a subtotal (checked first: "subtotal" contains "total").
const SUBTOTAL_WORDS: &[&str] = &["小计", "subtotal", "sub-total"];

/// Where a row's label may be: text cells left of the first figure column, and the station
/// column wherever it is.
pub(super) struct LabelCols {
    pub(super) c0: u32,
    pub(super) c1: u32,
    pub(super) first_figure: u32,
    pub(super) station: Option<u32>,
}

impl LabelCols {
    fn contains(&self, c: u32) -> bool {
        c < self.first_figure || Some(c) == self.station
    }
}

pub(super) fn classify(grid: &Grid, r: u32, cols: &LabelCols) -> RowKind {
    let mut first: Option<String> = None;
    let mut labels = Vec::new();
    for c in cols.c0..=cols.c1 {
        let d = grid.raw(r, c);
        // Past the first text, only a label column's texts are looked at.
        if first.is_some() && !(matches!(d, Data::String(_)) && cols.contains(c)) {
            continue;
        }
        let t = fold(&cell_text(d));
        if t.is_empty() {
            continue;
        }
        if first.is_none() {
            first = Some(t.clone());
        }
        if matches!(d, Data::String(_)) && cols.contains(c) {
            labels.push((c, t.to_lowercase()));
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
    let is_note =
        is_note || END_MARKS.contains(&first.trim_matches(|c: char| !c.is_alphanumeric()));
    // A total's label stands first or in the station column; a word in another label cell
    // beside a station's name is that cell's text ("5月8日、20日(共计2次)", "张三（汇总）").
    let named = labels
        .iter()
        .find(|(c, _)| Some(*c) == cols.station)
        .is_some_and(|(_, t)| station_like(t));
    let has = |words: &[&str]| {
        labels.iter().enumerate().any(|(i, (c, t))| {
            (i == 0 || Some(*c) == cols.station || !named) && words.iter().any(|w| t.contains(w))
        })
    };
    if is_note {
        RowKind::Note
    } else if labels.iter().any(|(_, t)| t.starts_with("其中")) {
        RowKind::Part
    } else if has(SUBTOTAL_WORDS) {
        RowKind::Subtotal
    } else if has(TOTAL_WORDS) {
        RowKind::Total
    } else {
        RowKind::Station
    }
}

/// Whether row `r` says the table ends here ("以下空白", "(以下无数据)"): its first text.
pub(super) fn end_mark(grid: &Grid, r: u32, cols: &LabelCols) -> bool {
    (cols.c0..=cols.c1)
        .map(|c| fold(&cell_text(grid.raw(r, c))))
        .find(|t| !t.is_empty())
        .is_some_and(|t| END_MARKS.contains(&t.trim_matches(|c: char| !c.is_alphanumeric())))
}

/// The first row under a note line that ended the table (other note lines skipped) holding
/// a station's figures: a row read as a station, not derived from the total, with a figure
/// that is not 0 (rows of a template left at 0 change nothing). Such a row is outside the
/// table: the caller refuses it.
pub(super) fn figures_below_note(
    grid: &Grid,
    from: u32,
    last: u32,
    label_cols: &LabelCols,
    cols: &[u32],
    matching: &crate::config::Matching,
) -> Option<u32> {
    use super::values::{Value, coerce};
    (from..=last).find(|&r| {
        classify(grid, r, label_cols) == RowKind::Station
            && !derived_row(&row_label(grid, r, label_cols))
            && cols.iter().any(|&c| {
                c != u32::MAX
                    && !matches!(
                        coerce(grid.raw(r, c), grid.formula(r, c), matching),
                        Value::Count(0) | Value::Coerced(0, _)
                    )
            })
    })
}

/// Whether a total-like row at `r` is followed, before the table ends (a note line or the end
/// of the sheet), by more station rows and then a row labelled as a total: then it was the
/// subtotal of part of the table ("片区合计"). A total row right under another ("本月合计",
/// "本年累计") does not make the first a subtotal.
pub(super) fn total_follows(grid: &Grid, r: u32, r1: u32, cols: &LabelCols) -> bool {
    let mut stations = false;
    for x in (r + 1)..=r1 {
        match classify(grid, x, cols) {
            RowKind::Note => return false,
            RowKind::Station => stations = true,
            RowKind::Total => return stations,
            RowKind::Blank | RowKind::Subtotal | RowKind::Part => {}
        }
    }
    false
}

/// Whether a row labelled as a total (合计, 总计 …) stands below `r` before the table ends (a
/// note line or the end of the sheet): it then checks whatever is read above it.
pub(super) fn labelled_total_below(grid: &Grid, r: u32, r1: u32, cols: &LabelCols) -> bool {
    ((r + 1)..=r1)
        .map(|x| classify(grid, x, cols))
        .take_while(|k| *k != RowKind::Note)
        .any(|k| k == RowKind::Total)
}

/// The first text of a row's label cells, as written.
pub(super) fn row_label(grid: &Grid, r: u32, cols: &LabelCols) -> String {
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
pub(super) fn station_like(name: &str) -> bool {
    ["站", "村", "社区", "居委", "小区"]
        .iter()
        .any(|w| name.contains(w))
}

/// Whether a row under the total is computed from it (平均每站, 占比, 同比 …), not figures.
fn derived_row(label: &str) -> bool {
    [
        "平均", "占比", "比例", "比重", "同比", "环比", "增长", "增减", "人均", "站均",
    ]
    .iter()
    .any(|w| label.contains(w))
}

/// The first row of figures under the total (before any note line) that is neither a total, a
/// subtotal nor a row derived from the total: a station left outside the total, or another
/// table (last month's, the year's). Which it is cannot be known: the caller refuses it.
pub(super) fn figures_below_total(
    grid: &Grid,
    from: u32,
    last: u32,
    label_cols: &LabelCols,
    cols: &[u32],
) -> Option<u32> {
    (from..=last).find_map(|r| match classify(grid, r, label_cols) {
        RowKind::Note => Some(None),
        RowKind::Station if derived_row(&row_label(grid, r, label_cols)) => None,
        RowKind::Station
            if cols
                .iter()
                .any(|&c| c != u32::MAX && !matches!(grid.raw(r, c), Data::Empty)) =>
        {
            Some(Some(r))
        }
        _ => None,
    })?
}
