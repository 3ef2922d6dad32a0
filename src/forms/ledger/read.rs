//! Finds the ledger sheet of a workbook by its header (any offset, measure words in brackets,
//! the config's spellings), never by its name or position; its rows are read by `rows`.

use std::sync::Mutex;

use calamine::Data;
use foldhash::HashMap;

use super::rows::{COLS, Col, read_rows};
use super::{LedgerConfig, Sheet};
use crate::core::findings::{Code, Finding};
use crate::core::text::fold;
use crate::workbook::Grid;

/// How far down and across a sheet the ledger header is looked for.
const SCAN_ROWS: u32 = 200;
const SCAN_COLS: u32 = 60;
/// Longest header text considered (longer cells are titles or notes).
const MAX_HEADER_CHARS: usize = 24;

/// The ledger's header words of a config, cleaned once per folder, and the header texts
/// already looked up (every town's copy of the template repeats them).
pub struct Words {
    words: Vec<(String, Col)>,
    memo: Mutex<HashMap<String, Option<Col>>>,
}

/// Header texts `Words` keeps the answer of at most (a sheet's other texts are one-off).
const MEMO_MAX: usize = 4096;

impl Words {
    /// The header words of `config`.
    pub fn new(config: &LedgerConfig) -> Words {
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
        Words {
            words,
            memo: Mutex::default(),
        }
    }

    /// The ledger column a header cell names.
    fn col_of(&self, raw: &str) -> Option<Col> {
        if raw.chars().count() > MAX_HEADER_CHARS {
            return None;
        }
        let look = |raw: &str| {
            let t = clean_header(raw);
            self.words.iter().find(|(w, _)| *w == t).map(|&(_, c)| c)
        };
        let Ok(mut memo) = self.memo.lock() else {
            return look(raw);
        };
        if let Some(col) = memo.get(raw) {
            return *col;
        }
        let col = look(raw);
        if memo.len() < MEMO_MAX {
            memo.insert(raw.to_owned(), col);
        }
        col
    }
}

/// Finds the ledger among the sheets of one workbook, one sheet at a time (so the reader of
/// the return can show it each sheet it reads anyway).
pub struct Finder<'c> {
    config: &'c LedgerConfig,
    file: &'c str,
    words: &'c Words,
    found: Vec<Sheet>,
}

impl<'c> Finder<'c> {
    /// A finder for the file `file` (as shown in findings), with the config's `words`.
    pub fn new(config: &'c LedgerConfig, words: &'c Words, file: &'c str) -> Finder<'c> {
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
            "工作表 {} 都像是意见建议办理台账，无法确定以哪一张为准：请把台账合并到一张工作表，删除或隐藏其余的",
            names.join("、")
        );
        Some(Sheet {
            findings: vec![
                Finding::new(Code::LedgerInvalid, Some(self.file), why).at(&first.name, None),
            ],
            items: Vec::new(),
            ..first
        })
    }

    /// The header row and, per column, the sheet columns naming it: the row naming the most
    /// ledger columns, among rows naming 编号, 办理状态 and at least five columns.
    fn header(&self, grid: &Grid) -> Option<(u32, Vec<Vec<u32>>)> {
        let ((r0, c0), (r1, c1)) = grid.bounds()?;
        let mut best: Option<(usize, u32, Vec<Vec<u32>>)> = None;
        for r in r0..=r1.min(r0 + SCAN_ROWS) {
            let mut cols = vec![Vec::new(); COLS.len()];
            for c in c0..=c1.min(c0 + SCAN_COLS) {
                if let Data::String(s) = grid.raw(r, c)
                    && let Some(col) = self.words.col_of(s)
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
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_spellings() {
        let c = LedgerConfig::default();
        let f = Words::new(&c);
        assert_eq!(f.col_of("编号*"), Some(Col::Id));
        assert_eq!(f.col_of("收集日期(年月日)"), Some(Col::Collected));
        assert_eq!(f.col_of("办理状态（必填）"), Some(Col::Status));
        assert_eq!(f.col_of("意见建议\n内容"), Some(Col::Content));
        assert_eq!(f.col_of("序号"), None);
        assert_eq!(f.col_of("工作站名称"), Some(Col::Station));
    }
}
