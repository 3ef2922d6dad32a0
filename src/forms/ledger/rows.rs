//! The rows of a ledger sheet under its header: each row typed into an item, or refused cell
//! by cell with a `ledger_invalid` finding; blank rows skipped, a note or total line ends it.

use calamine::Data;

use super::dates::parse_date;
use super::{ItemCells, LedgerConfig, LedgerItem, NaiveDate, Sheet};
use crate::core::findings::{Code, Finding};
use crate::core::text::{a1, fold, fold_keep_spaces};
use crate::workbook::{Grid, cell_text};

/// The ledger's columns, in the order of the ledger sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Id,
    Collected,
    Station,
    Deputies,
    Content,
    Category,
    Handler,
    Status,
    Settled,
}

pub(super) const COLS: [Col; 9] = [
    Col::Id,
    Col::Collected,
    Col::Station,
    Col::Deputies,
    Col::Content,
    Col::Category,
    Col::Handler,
    Col::Status,
    Col::Settled,
];

impl Col {
    pub(super) fn title(self) -> &'static str {
        match self {
            Col::Id => "编号",
            Col::Collected => "收集日期",
            Col::Station => "工作站",
            Col::Deputies => "代表",
            Col::Content => "意见建议内容",
            Col::Category => "类别",
            Col::Handler => "承办单位",
            Col::Status => "办理状态",
            Col::Settled => "办结日期",
        }
    }

    /// Columns a ledger may leave out (blank values): 代表 and 承办单位.
    fn optional(self) -> bool {
        matches!(self, Col::Deputies | Col::Handler)
    }
}
/// The rows under the header, until the end of the sheet, a note line or a total line.
pub(super) fn read_rows(
    grid: &Grid,
    header_row: u32,
    cols: &[Vec<u32>],
    config: &LedgerConfig,
    file: &str,
) -> Sheet {
    let name = grid.name.clone();
    let mut sheet = Sheet {
        name: name.clone(),
        header_row,
        items: Vec::new(),
        findings: Vec::new(),
    };
    let invalid = |cell: Option<String>, why: String| {
        Finding::new(Code::LedgerInvalid, Some(file), why).at(&name, cell)
    };
    let row = header_row + 1;
    for (col, found) in COLS.iter().zip(cols) {
        if found.len() > 1 {
            let at: Vec<String> = found.iter().map(|&c| a1(header_row, c)).collect();
            sheet.findings.push(invalid(
                Some(at[1].clone()),
                format!(
                    "台账工作表“{name}”第 {row} 行表头中 {} 都是“{}”列，无法确定用哪一列：请删除重复的列",
                    at.join("、"),
                    col.title()
                ),
            ));
        } else if found.is_empty() && !col.optional() {
            sheet.findings.push(invalid(
                None,
                format!(
                    "台账工作表“{name}”第 {row} 行表头缺少“{}”列：请按模板补齐",
                    col.title()
                ),
            ));
        }
    }
    if !sheet.findings.is_empty() {
        return sheet;
    }
    let at = |c: Col| cols[c as usize].first().copied();
    let Some(((_, _), (r1, _))) = grid.bounds() else {
        return sheet;
    };
    for r in header_row + 1..=r1 {
        // A ruled, empty row of the template: nothing to read (as its texts, all empty, say).
        if COLS
            .iter()
            .filter_map(|&c| at(c))
            .all(|x| matches!(grid.get(r, x), Data::Empty))
        {
            continue;
        }
        let texts: Vec<(Col, String)> = COLS
            .iter()
            .filter_map(|&c| at(c).map(|x| (c, fold_keep_spaces(&cell_text(grid.get(r, x))))))
            .collect();
        if texts.iter().all(|(_, t)| t.is_empty()) {
            continue;
        }
        if ends_table(&texts) {
            break;
        }
        let mut row = RowReader {
            grid,
            r,
            config,
            findings: Vec::new(),
            invalid: &invalid,
        };
        if let Some(item) = row.item(&at) {
            sheet.items.push(item);
        }
        sheet.findings.extend(row.findings);
    }
    sheet
}

/// A note line (注: …, 说明: …) or a total line (合计 …) with no status ends the table.
fn ends_table(texts: &[(Col, String)]) -> bool {
    let status_blank = texts.iter().any(|(c, t)| *c == Col::Status && t.is_empty());
    let first = texts.iter().map(|(_, t)| t).find(|t| !t.is_empty());
    first.is_some_and(|t| {
        let f = fold(t);
        f.starts_with("注:")
            || f.starts_with("说明:")
            || (status_blank && ["合计", "总计", "共计"].iter().any(|w| f.starts_with(w)))
    })
}

/// One data row being read: its findings collect as its cells are typed.
struct RowReader<'a, F> {
    grid: &'a Grid,
    r: u32,
    config: &'a LedgerConfig,
    findings: Vec<Finding>,
    invalid: &'a F,
}

impl<F: Fn(Option<String>, String) -> Finding> RowReader<'_, F> {
    fn item(&mut self, at: &dyn Fn(Col) -> Option<u32>) -> Option<LedgerItem> {
        let r = self.r;
        let cell = |c: Col| at(c).map_or(String::new(), |x| a1(r, x));
        // Text as written (trimmed, runs of whitespace made one space): not width-folded, so
        // the clerk's punctuation stays; 编号, 状态 and 类别 are folded where they are matched.
        let text = |c: Col| {
            at(c).map_or(String::new(), |x| {
                let t = cell_text(self.grid.get(r, x));
                t.split_whitespace().collect::<Vec<_>>().join(" ")
            })
        };
        for c in COLS {
            if let Some(x) = at(c)
                && let Data::Error(e) = self.grid.get(r, x)
            {
                let why = format!(
                    "单元格 {} 是错误值 {e}（“{}”列）：请改为正确的内容",
                    a1(r, x),
                    c.title()
                );
                self.findings.push((self.invalid)(Some(a1(r, x)), why));
            }
        }
        if !self.findings.is_empty() {
            return None;
        }
        let id = fold(&text(Col::Id));
        if id.is_empty() {
            let why = format!(
                "台账第 {} 行没有填写编号（单元格 {}）：每条意见建议都要有编号，且各月保持不变",
                r + 1,
                cell(Col::Id)
            );
            self.findings.push((self.invalid)(Some(cell(Col::Id)), why));
        }
        let collected = self.date(Col::Collected, at, true);
        let settled = self.date(Col::Settled, at, false);
        let status_text = text(Col::Status);
        let status = self.config.status_of(&status_text);
        let words: Vec<&str> = super::Status::ALL
            .iter()
            .map(|&s| self.config.status_label(s))
            .collect();
        self.choice(
            Col::Status,
            &cell(Col::Status),
            &status_text,
            status.is_some(),
            &words,
        );
        let category_text = text(Col::Category);
        let category = self.config.category_of(&category_text).map(str::to_string);
        let words: Vec<&str> = self.config.categories.iter().map(String::as_str).collect();
        self.choice(
            Col::Category,
            &cell(Col::Category),
            &category_text,
            category.is_some(),
            &words,
        );
        if !self.findings.is_empty() {
            return None;
        }
        Some(LedgerItem {
            id,
            collected: collected??,
            station: text(Col::Station),
            deputies: split_names(&text(Col::Deputies)),
            content: text(Col::Content),
            category: category?,
            handler: text(Col::Handler),
            status: status?,
            settled: settled?,
            cells: ItemCells {
                id: cell(Col::Id),
                collected: cell(Col::Collected),
                status: cell(Col::Status),
                settled: cell(Col::Settled),
            },
        })
    }

    /// `ledger_invalid` for a 办理状态 or 类别 cell that is blank or not one of `words`.
    fn choice(&mut self, c: Col, addr: &str, text: &str, known: bool, words: &[&str]) {
        if known {
            return;
        }
        let what = c.title();
        let why = if text.is_empty() {
            format!("单元格 {addr} 没有填写{what}")
        } else {
            format!("单元格 {addr} 的{what}“{text}”不是可用的{what}")
        };
        let why = format!("{why}：请填写 {} 之一", words.join("、"));
        self.findings
            .push((self.invalid)(Some(addr.to_string()), why));
    }

    /// A date cell: `Some(Some(d))` a date, `Some(None)` blank, `None` refused (with a finding).
    fn date(
        &mut self,
        c: Col,
        at: &dyn Fn(Col) -> Option<u32>,
        required: bool,
    ) -> Option<Option<NaiveDate>> {
        let x = at(c)?;
        let addr = a1(self.r, x);
        match parse_date(self.grid.get(self.r, x)) {
            Ok(None) if required => {
                let why = format!(
                    "单元格 {addr} 没有填写{}：请填写日期，如 2022-05-15",
                    c.title()
                );
                self.findings.push((self.invalid)(Some(addr), why));
                None
            }
            Ok(d) => Some(d),
            Err(what) => {
                let why = format!(
                    "单元格 {addr} 的{}“{what}”不是日期：请填写日期，如 2022-05-15、2022/5/15、2022.5.15 或 2022年5月15日",
                    c.title()
                );
                self.findings.push((self.invalid)(Some(addr), why));
                None
            }
        }
    }
}

/// Names written 、-separated (or with commas, semicolons, slashes or spaces).
fn split_names(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '/', '／', ' ', '　'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_every_separator() {
        assert_eq!(
            split_names("张丽、李建国,王芳；刘洋 陈敏"),
            vec!["张丽", "李建国", "王芳", "刘洋", "陈敏"]
        );
        assert!(split_names("  ").is_empty());
    }
}
