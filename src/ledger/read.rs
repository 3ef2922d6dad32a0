//! Reads a ledger sheet into items: the sheet is found by its header (any offset, measure words,
//! the config's spellings), never by its name or position; every cell is typed or refused.

use std::sync::OnceLock;

use calamine::{Data, DataType};
use regex::Regex;

use super::{ItemCells, LedgerConfig, LedgerItem, NaiveDate, Sheet};
use crate::findings::{Code, Finding};
use crate::ingest::workbook::{Grid, cell_text};
use crate::text::{a1, fold, fold_keep_spaces};

/// How far down and across a sheet the ledger header is looked for.
const SCAN_ROWS: u32 = 200;
const SCAN_COLS: u32 = 60;
/// Longest header text considered (longer cells are titles or notes).
const MAX_HEADER_CHARS: usize = 24;

/// The ledger's columns, in §8 order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
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

const COLS: [Col; 9] = [
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
    fn title(self) -> &'static str {
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

/// Finds the ledger among the sheets of one workbook, one sheet at a time (so the reader of
/// the return can show it each sheet it reads anyway).
pub struct Finder<'c> {
    config: &'c LedgerConfig,
    file: &'c str,
    words: Vec<(String, Col)>,
    found: Vec<Sheet>,
}

impl<'c> Finder<'c> {
    /// A finder for the file `file` (as shown in findings).
    pub fn new(config: &'c LedgerConfig, file: &'c str) -> Finder<'c> {
        let h = &config.headers;
        let lists = [
            &h.id,
            &h.collected,
            &h.station,
            &h.deputies,
            &h.content,
            &h.category,
            &h.handler,
            &h.status,
            &h.settled,
        ];
        let words = COLS
            .iter()
            .zip(lists)
            .flat_map(|(&c, l)| l.iter().map(move |w| (clean_header(w), c)))
            .filter(|(w, _)| !w.is_empty())
            .collect();
        Finder {
            config,
            file,
            words,
            found: Vec::new(),
        }
    }

    /// Reads `grid` when it is a visible sheet whose header is a ledger's.
    pub fn look(&mut self, grid: &Grid) {
        if !grid.visible {
            return;
        }
        if let Some((row, cols)) = self.header(grid) {
            let sheet = read_rows(grid, row, &cols, self.config, self.file);
            self.found.push(sheet);
        }
    }

    /// The ledger of the workbook: none, the one found, or (several found) a refusal.
    pub fn finish(mut self) -> Option<Sheet> {
        if self.found.len() <= 1 {
            return self.found.pop();
        }
        let names: Vec<String> = self.found.iter().map(|s| format!("“{}”", s.name)).collect();
        let first = self.found.swap_remove(0);
        let why = format!(
            "工作表 {} 都像是意见建议办理台账,无法确定以哪一张为准:请把台账合并到一张工作表,删除或隐藏其余的",
            names.join("、")
        );
        Some(Sheet {
            findings: vec![Finding::new(Code::LedgerInvalid, Some(self.file), why).at(&first.name, None)],
            items: Vec::new(),
            ..first
        })
    }

    /// The ledger column a header cell names.
    fn col_of(&self, raw: &str) -> Option<Col> {
        if raw.chars().count() > MAX_HEADER_CHARS {
            return None;
        }
        let t = clean_header(raw);
        self.words.iter().find(|(w, _)| *w == t).map(|&(_, c)| c)
    }

    /// The header row and, per column, the sheet columns naming it: the row naming the most
    /// ledger columns, among rows naming 编号, 办理状态 and at least five columns.
    fn header(&self, grid: &Grid) -> Option<(u32, Vec<Vec<u32>>)> {
        let ((r0, c0), (r1, c1)) = grid.bounds()?;
        let mut best: Option<(usize, u32, Vec<Vec<u32>>)> = None;
        for r in r0..=r1.min(r0 + SCAN_ROWS) {
            let mut cols = vec![Vec::new(); COLS.len()];
            for c in c0..=c1.min(c0 + SCAN_COLS) {
                if grid.anchor(r, c) != (r, c) {
                    continue;
                }
                if let Data::String(s) = grid.raw(r, c)
                    && let Some(col) = self.col_of(s)
                {
                    cols[col as usize].push(c);
                }
            }
            let named = cols.iter().filter(|c| !c.is_empty()).count();
            let keys = !cols[Col::Id as usize].is_empty() && !cols[Col::Status as usize].is_empty();
            if keys && named >= 5 && best.as_ref().is_none_or(|b| named > b.0) {
                best = Some((named, r, cols));
            }
        }
        best.map(|(_, r, cols)| (r, cols))
    }
}

/// Reads the ledger of the given sheets of one workbook (see [`Finder`]).
pub fn find_ledger<'g>(
    grids: impl IntoIterator<Item = &'g Grid>,
    config: &LedgerConfig,
    file: &str,
) -> Option<Sheet> {
    let mut f = Finder::new(config, file);
    for g in grids {
        f.look(g);
    }
    f.finish()
}

/// Header text without brackets, measure words in brackets, marks and width differences.
fn clean_header(raw: &str) -> String {
    let mut t = fold(raw);
    loop {
        let before = t.len();
        t = t.trim_end_matches(['*', '※', ':']).to_string();
        for (open, close) in [('(', ')'), ('[', ']'), ('【', '】'), ('〔', '〕')] {
            if t.ends_with(close)
                && let Some(i) = t.rfind(open)
                && i > 0
            {
                t.truncate(i);
            }
        }
        if t.len() == before {
            return t;
        }
    }
}

/// The rows under the header, until the end of the sheet, a note line or a total line.
fn read_rows(
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
                    "台账工作表“{name}”第 {row} 行表头中 {} 都是“{}”列,无法确定用哪一列:请删除重复的列",
                    at.join("、"),
                    col.title()
                ),
            ));
        } else if found.is_empty() && !col.optional() {
            sheet.findings.push(invalid(
                None,
                format!(
                    "台账工作表“{name}”第 {row} 行表头缺少“{}”列:请按模板补齐",
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
    let status_blank = texts
        .iter()
        .any(|(c, t)| *c == Col::Status && t.is_empty());
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
                    "单元格 {} 是错误值 {e}(“{}”列):请改为正确的内容",
                    a1(r, x),
                    c.title()
                );
                self.findings.push((self.invalid)(Some(a1(r, x)), why));
            }
        }
        let id = fold(&text(Col::Id));
        if id.is_empty() {
            let why = format!(
                "台账第 {} 行没有填写编号(单元格 {}):每条意见建议都要有编号,且各月保持不变",
                r + 1,
                cell(Col::Id)
            );
            self.findings.push((self.invalid)(Some(cell(Col::Id)), why));
        }
        let collected = self.date(Col::Collected, at, true);
        let settled = self.date(Col::Settled, at, false);
        let status_text = text(Col::Status);
        let status = self.config.status_of(&status_text);
        if status.is_none() {
            let words: Vec<&str> = super::Status::ALL
                .iter()
                .map(|&s| self.config.status_label(s))
                .collect();
            let why = if status_text.is_empty() {
                format!("单元格 {} 没有填写办理状态", cell(Col::Status))
            } else {
                format!(
                    "单元格 {} 的办理状态“{status_text}”无法识别",
                    cell(Col::Status)
                )
            };
            let why = format!("{why}:请填写 {} 之一", words.join("、"));
            self.findings
                .push((self.invalid)(Some(cell(Col::Status)), why));
        }
        let category_text = text(Col::Category);
        let category = self.config.category_of(&category_text).map(str::to_string);
        if category.is_none() {
            let why = if category_text.is_empty() {
                format!("单元格 {} 没有填写类别", cell(Col::Category))
            } else {
                format!(
                    "单元格 {} 的类别“{category_text}”不在配置的类别中",
                    cell(Col::Category)
                )
            };
            let why = format!("{why}:请填写 {} 之一", self.config.categories.join("、"));
            self.findings
                .push((self.invalid)(Some(cell(Col::Category)), why));
        }
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
                    "单元格 {addr} 没有填写{}:请填写日期,如 2022-05-15",
                    c.title()
                );
                self.findings.push((self.invalid)(Some(addr), why));
                None
            }
            Ok(d) => Some(d),
            Err(what) => {
                let why = format!(
                    "单元格 {addr} 的{}“{what}”不是日期:请填写日期,如 2022-05-15、2022/5/15、2022.5.15 或 2022年5月15日",
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

fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^([0-9]{4})\s*([-/.年])\s*([0-9]{1,2})\s*([-/.月])\s*([0-9]{1,2})\s*([日号])?(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$",
        )
        .expect("valid date regex")
    })
}

/// A date cell: an Excel date (either epoch), an ISO date from an .ods, or text written
/// 2022-05-15, 2022/5/15, 2022.5.15 or 2022年5月15日. `Ok(None)` for a blank cell; `Err` carries
/// the cell as written, for the finding.
pub fn parse_date(d: &Data) -> Result<Option<NaiveDate>, String> {
    let shown = || cell_text(d);
    let date = match d {
        Data::Empty => return Ok(None),
        Data::String(s) if fold(s).is_empty() => return Ok(None),
        Data::DateTime(x) if x.is_datetime() => x.as_datetime().map(|t| t.date()),
        Data::DateTimeIso(_) => d.as_date(),
        Data::String(s) => text_date(s),
        _ => None,
    };
    match date {
        Some(d) if (2000..2100).contains(&chrono::Datelike::year(&d)) => Ok(Some(d)),
        _ => Err(shown()),
    }
}

fn text_date(s: &str) -> Option<NaiveDate> {
    let t = fold_keep_spaces(s);
    let c = date_regex().captures(&t)?;
    let seps = (&c[2], &c[4], c.get(6).is_some());
    let ok = matches!(
        seps,
        ("-", "-", false) | ("/", "/", false) | (".", ".", false) | ("年", "月", _)
    );
    if !ok {
        return None;
    }
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[3].parse().ok()?, c[5].parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn every_date_spelling() {
        for s in [
            "2022-05-15",
            "2022/5/15",
            "2022.5.15",
            "2022年5月15日",
            "2022年05月15号",
            "２０２２年５月１５日",
            " 2022-05-15 00:00:00 ",
            "2022 年 5 月 15 日",
        ] {
            assert_eq!(
                parse_date(&Data::String(s.into())),
                Ok(ymd(2022, 5, 15)),
                "{s}"
            );
        }
        for s in [
            "2022-5/15",
            "2022.5",
            "2022-02-30",
            "5月15日",
            "十五日",
            "20220515",
            "2022-05-15日",
        ] {
            assert!(parse_date(&Data::String(s.into())).is_err(), "{s}");
        }
        assert_eq!(parse_date(&Data::String("  ".into())), Ok(None));
        assert_eq!(parse_date(&Data::Empty), Ok(None));
        assert!(parse_date(&Data::Float(44696.0)).is_err());
    }

    #[test]
    fn excel_dates_in_both_epochs() {
        let d1900 = ExcelDateTime::new(44696.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(parse_date(&Data::DateTime(d1900)), Ok(ymd(2022, 5, 15)));
        let d1904 = ExcelDateTime::new(44696.0 - 1462.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(parse_date(&Data::DateTime(d1904)), Ok(ymd(2022, 5, 15)));
        let iso = Data::DateTimeIso("2022-05-15T00:00:00".into());
        assert_eq!(parse_date(&iso), Ok(ymd(2022, 5, 15)));
        let iso = Data::DateTimeIso("2022-05-15".into());
        assert_eq!(parse_date(&iso), Ok(ymd(2022, 5, 15)));
        let dur = ExcelDateTime::new(3.5, ExcelDateTimeType::TimeDelta, false);
        assert!(parse_date(&Data::DateTime(dur)).is_err());
    }

    #[test]
    fn header_spellings() {
        let c = LedgerConfig::default();
        let f = Finder::new(&c, "x.xlsx");
        assert_eq!(f.col_of("编号*"), Some(Col::Id));
        assert_eq!(f.col_of("收集日期(年月日)"), Some(Col::Collected));
        assert_eq!(f.col_of("办理状态（必填）"), Some(Col::Status));
        assert_eq!(f.col_of("意见建议\n内容"), Some(Col::Content));
        assert_eq!(f.col_of("序号"), None);
        assert_eq!(f.col_of("工作站名称"), Some(Col::Station));
        assert_eq!(
            split_names("张丽、李建国,王芳"),
            vec!["张丽", "李建国", "王芳"]
        );
    }
}
