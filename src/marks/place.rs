//! Reads a file sent back again (the reader's own grids) and places each finding on the cell
//! its note goes to: its own cell, the header row a missing column names, or the sheet's first.

use super::SendBack;
use super::rebuild::{Mark, SheetMarks};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::a1_position;
use crate::forms::monthly::header::{Matcher, find_layout};
use crate::workbook::Grid;
use crate::workbook::sheets::read_sheets;

/// The file as read again for its marked copy.
pub(super) enum Read {
    /// Its sheets with their marks, and where each finding's note is (sheet, row, column),
    /// in the order of the findings.
    Sheets {
        /// Each sheet rebuilt, with its marks.
        sheets: Vec<(Grid, SheetMarks)>,
        /// Where each finding's note went, if it has one.
        at: Vec<Option<(String, u32, u32)>>,
    },
    /// Not readable (corrupt, encrypted, too large, not a spreadsheet): why.
    Unreadable(String),
    /// Its bytes are not the ones the check read (changed since).
    Changed,
}

/// Codes of a file that no reader opens: its copy is the 退回说明 alone.
fn unreadable_code(c: Code) -> bool {
    matches!(
        c,
        Code::UnreadableFile | Code::EncryptedFile | Code::TooLarge
    )
}

/// The note of a finding: severity, message and code.
pub(super) fn note_line(f: &Finding) -> String {
    format!(
        "【{}】{}({})",
        f.severity.label(),
        f.message,
        f.code.as_str()
    )
}

/// Reads the file again and places the findings.
pub(super) fn read(s: &SendBack, config: &Config) -> Read {
    if let Some(f) = s.findings.iter().find(|f| unreadable_code(f.code)) {
        return Read::Unreadable(f.message.clone());
    }
    let hidden: Vec<&str> = s
        .findings
        .iter()
        .filter_map(|f| f.sheet.as_deref())
        .collect();
    let sheets = match read_sheets(&s.file.source, config, &hidden) {
        Ok(x) => x,
        Err(r) => return Read::Unreadable(r.message),
    };
    if s.file.sha256.as_deref() != Some(sheets.sha256.as_str()) {
        return Read::Changed;
    }
    let mut placed: Vec<(Grid, SheetMarks)> = sheets
        .grids
        .into_iter()
        .filter(|g| g.name != super::cover::SHEET)
        .map(|g| (g, SheetMarks::default()))
        .collect();
    let matcher = Matcher::new(config);
    let at = s
        .findings
        .iter()
        .map(|f| {
            let sheet = f.sheet.as_deref()?;
            let (grid, marks) = placed.iter_mut().find(|(g, _)| g.name == sheet)?;
            let (r, c) = place(f, grid, marks, &matcher, config)?;
            marks
                .notes
                .entry((r, c))
                .or_insert_with(Mark::default)
                .add(f.severity, note_line(f));
            Some((sheet.to_string(), r, c))
        })
        .collect();
    Read::Sheets { sheets: placed, at }
}

/// The cell a finding's note goes to (a merged area's first cell for a cell inside it); a
/// missing column fills its header row too.
fn place(
    f: &Finding,
    grid: &Grid,
    marks: &mut SheetMarks,
    matcher: &Matcher,
    config: &Config,
) -> Option<(u32, u32)> {
    if let Some(cell) = &f.cell
        && let Some((r, c)) = a1_position(cell)
        && let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c))
    {
        return Some(grid.anchor(r, c));
    }
    if f.code == Code::MissingColumn
        && let Some(layout) = find_layout(grid, matcher, config.metrics.len())
    {
        let rows = layout.header_row..layout.header_row + layout.depth;
        let header: Vec<(u32, u32)> = grid
            .cells()
            .filter(|(r, _, _)| rows.contains(r))
            .map(|(r, c, _)| grid.anchor(r, c))
            .collect();
        for &p in &header {
            let e = marks.fill_only.entry(p).or_insert(f.severity);
            *e = (*e).min(f.severity);
        }
        return header.first().copied();
    }
    grid.cells().next().map(|(r, c, _)| grid.anchor(r, c))
}

/// Labels of the person who filled the return in and of their telephone.
const CONTACT_LABELS: [&str; 5] = ["填报人", "联系人", "联系电话", "电话", "手机"];

/// Who to call about a return, as it names them above its table: `填报人：张丽，联系电话：…`.
pub(super) fn contact(read: &Read) -> Option<String> {
    let Read::Sheets { sheets, .. } = read else {
        return None;
    };
    let (grid, _) = sheets.first()?;
    let mut found: Vec<String> = Vec::new();
    let top: Vec<(u32, u32, String)> = grid
        .cells()
        .take_while(|(r, _, _)| *r < 12)
        .map(|(r, c, d)| (r, c, crate::workbook::cell_text(d)))
        .collect();
    for (i, (r, _, text)) in top.iter().enumerate() {
        let t = text.trim();
        let Some(label) = CONTACT_LABELS.iter().find(|l| t.starts_with(**l)) else {
            continue;
        };
        let rest = t[label.len()..].trim_start_matches([':', '：', ' ']).trim();
        let value = if rest.is_empty() {
            // The value in the next cell to the right on the same row.
            match top.get(i + 1) {
                Some((r2, _, v)) if r2 == r => v.trim().to_string(),
                _ => String::new(),
            }
        } else {
            rest.to_string()
        };
        let is_label = CONTACT_LABELS.iter().any(|l| value.starts_with(l));
        if !value.is_empty()
            && !is_label
            && !found.iter().any(|f| f.starts_with(label))
            && value.chars().count() <= 40
        {
            found.push(format!("{label}：{value}"));
        }
    }
    (!found.is_empty()).then(|| found.join("，"))
}
