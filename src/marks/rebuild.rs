//! One sheet of a return rebuilt from the values as read (text as text, numbers, dates, merged
//! areas, widths from the content), each cell with a finding filled and carrying a note.

use std::collections::{BTreeMap, HashSet};

use calamine::Data;
use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::layout::Layout;
use crate::core::findings::Severity;
use crate::workbook::{Grid, cell_text};

/// Excel's last row and column (0-based): cells past them cannot be written.
const MAX_ROW: u32 = 1_048_575;
pub(super) const MAX_COL: u32 = 16_383;
/// Longest text Excel keeps in a cell.
const MAX_CHARS: usize = 32_767;

/// What is said at one cell: the worst severity and every message (with its code).
#[derive(Debug, Default, Clone)]
pub(super) struct Mark {
    /// The worst severity among the findings at the cell.
    pub severity: Option<Severity>,
    /// One line per finding: message and code.
    pub lines: Vec<String>,
}

impl Mark {
    /// Adds a finding's line.
    pub fn add(&mut self, severity: Severity, line: String) {
        self.severity = Some(self.severity.map_or(severity, |s| s.min(severity)));
        if !self.lines.contains(&line) {
            self.lines.push(line);
        }
    }
}

/// The marks of one sheet, by (row, column); `fill_only` cells are filled without a note
/// (the rest of a row or area a finding names).
#[derive(Debug, Default)]
pub(super) struct SheetMarks {
    /// Noted and filled cells.
    pub notes: BTreeMap<(u32, u32), Mark>,
    /// Cells filled only.
    pub fill_only: BTreeMap<(u32, u32), Severity>,
}

/// The fill of a severity: 强制性 red, 提示性 yellow.
pub(super) fn fill_color(s: Severity) -> Color {
    match s {
        Severity::Error => Color::RGB(0xFF8C8C),
        Severity::Warning | Severity::Note => Color::RGB(0xFFE866),
    }
}

/// How a value is shown: its number format.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Plain,
    Date,
    DateTime,
    Duration,
}

/// The format of a cell of this kind, filled when marked, wrapped when wider than its column.
fn format(kind: Kind, mark: Option<Severity>, wrap: bool) -> Format {
    let f = match kind {
        Kind::Plain => Format::new(),
        Kind::Date => Format::new().set_num_format("yyyy-mm-dd"),
        Kind::DateTime => Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        Kind::Duration => Format::new().set_num_format("[h]:mm:ss"),
    };
    let f = if wrap {
        f.set_text_wrap()
            .set_align(rust_xlsxwriter::FormatAlign::VerticalCenter)
    } else {
        f
    };
    match mark {
        None => f,
        Some(s) => f
            .set_background_color(fill_color(s))
            .set_border(FormatBorder::Medium)
            .set_border_color(match s {
                Severity::Error => Color::RGB(0xC00000),
                Severity::Warning | Severity::Note => Color::RGB(0xBF8F00),
            }),
    }
}

/// What a cell becomes in the copy.
pub(super) enum Value {
    Text(String),
    Number(f64, Kind),
    Bool(bool),
}

/// A value as read, as written: text stays text (never a formula, whatever it begins with),
/// numbers and dates as they were. A formula whose result was not saved, or cannot be trusted
/// (the workbook recalculates on open), is written as its text, so the copy is refused at that
/// cell as the original was, never read as a number nobody computed.
fn value(d: &Data, formula: Option<&str>, recalc: bool) -> Option<Value> {
    let blank = match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    };
    if let Some(f) = formula
        && (recalc || blank)
    {
        return Some(Value::Text(format!("={}", f.trim_start_matches('='))));
    }
    Some(match d {
        Data::Empty => return None,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64, Kind::Plain),
        Data::Float(f) => Value::Number(*f, Kind::Plain),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => Value::Number(dt.as_f64(), Kind::Duration),
        Data::DateTime(dt) => match serial_1900(dt) {
            Some(v) if v.fract() == 0.0 => Value::Number(v, Kind::Date),
            Some(v) => Value::Number(v, Kind::DateTime),
            None => Value::Text(cell_text(d)),
        },
        Data::DateTimeIso(s) => match iso_serial(s) {
            Some(v) if v.fract() == 0.0 => Value::Number(v, Kind::Date),
            Some(v) => Value::Number(v, Kind::DateTime),
            None => Value::Text(s.clone()),
        },
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Text(e.to_string()),
    })
}

/// An Excel date in the 1900 system (the copy's), from a cell of either system: the serial
/// itself when the workbook was of the 1900 system, else the same moment's serial.
fn serial_1900(dt: &calamine::ExcelDateTime) -> Option<f64> {
    let moment = dt.as_datetime()?;
    let v = moment_serial(moment)?;
    Some(if (v - dt.as_f64()).abs() < 0.5 {
        dt.as_f64()
    } else {
        v
    })
}

/// The 1900-system serial of a moment (from 1900-03-01 on, where Excel's count is regular).
fn moment_serial(m: chrono::NaiveDateTime) -> Option<f64> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let ms = (m - epoch).num_milliseconds();
    let v = ms as f64 / 86_400_000.0;
    (v >= 61.0).then_some(v)
}

/// An ISO date or date-time (as .ods cells carry them) as a 1900-system serial.
fn iso_serial(s: &str) -> Option<f64> {
    use chrono::{NaiveDate, NaiveDateTime};
    let m = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    moment_serial(m)
}

/// Error notes shown beside their cells when a sheet has at most this many (more would cover
/// the table; they are then shown on pointing at the cell, and all listed on the 退回说明).
const MAX_SHOWN_NOTES: usize = 6;

/// The cells of a sheet as they are written, and the cells its merged areas cover.
pub(super) type Cells = BTreeMap<(u32, u32), Value>;
pub(super) type Covered = HashSet<(u32, u32)>;

/// Writes `grid` into `ws` (already named): every value and merged area as read, the marks
/// filled and noted; column widths from the content. Returns whether the sheet held formulas
/// (their results are written, not the formulas).
pub(super) fn sheet(
    ws: &mut Worksheet,
    grid: &Grid,
    marks: &SheetMarks,
) -> Result<bool, XlsxError> {
    let (cells, had_formulas) = values(grid);
    let covered = merges(ws, grid, marks)?;
    let layout = Layout::of(&cells, &covered, grid);
    for (&(r, c), v) in &cells {
        if r > MAX_ROW || c > MAX_COL {
            continue;
        }
        let mark = match grid.merged_area(r, c) {
            Some(m) if covered.contains(&(r, c)) => worst_in(marks, m.start, m.end),
            _ => marks.at(r, c),
        };
        // A merged area's text wraps inside it (headers spanning two rows).
        let wrap = layout.wraps.contains(&(r, c));
        let col = c as u16;
        match v {
            Value::Text(s) => {
                let s: String = s.chars().take(MAX_CHARS).collect();
                ws.write_string_with_format(r, col, s, &format(Kind::Plain, mark, wrap))?
            }
            Value::Number(n, kind) => {
                ws.write_number_with_format(r, col, *n, &format(*kind, mark, false))?
            }
            Value::Bool(b) => {
                ws.write_boolean_with_format(r, col, *b, &format(Kind::Plain, mark, false))?
            }
        };
    }
    notes(ws, marks, &cells, &covered)?;
    for (c, w) in layout.widths {
        ws.set_column_width(c as u16, w)?;
    }
    for (r, h) in layout.heights {
        ws.set_row_height(r, h)?;
    }
    Ok(had_formulas)
}

impl SheetMarks {
    /// The fill of a cell, if marked.
    fn at(&self, r: u32, c: u32) -> Option<Severity> {
        self.notes
            .get(&(r, c))
            .and_then(|m| m.severity)
            .or_else(|| self.fill_only.get(&(r, c)).copied())
    }
}

/// The worst mark inside an area.
fn worst_in(marks: &SheetMarks, (r0, c0): (u32, u32), (r1, c1): (u32, u32)) -> Option<Severity> {
    (r0..=r1)
        .flat_map(|r| (c0..=c1).map(move |c| (r, c)))
        .filter_map(|(r, c)| marks.at(r, c))
        .min()
}

/// Every value of the sheet as written, formula cells included; whether it had formulas.
fn values(grid: &Grid) -> (Cells, bool) {
    let recalc = grid.recalc_on_load;
    let mut cells: Cells = grid
        .cells()
        .filter_map(|(r, c, d)| Some(((r, c), value(d, grid.formula(r, c), recalc)?)))
        .collect();
    let mut had_formulas = false;
    for ((r, c), f) in grid.formulas() {
        had_formulas = true;
        if let Some(v) = value(grid.raw(r, c), Some(f), recalc) {
            cells.insert((r, c), v);
        }
    }
    (cells, had_formulas)
}

/// Writes the merged areas (filled with the worst mark inside); the cells they cover.
fn merges(ws: &mut Worksheet, grid: &Grid, marks: &SheetMarks) -> Result<Covered, XlsxError> {
    let mut covered = HashSet::new();
    let mut taken: Vec<(u32, u32, u32, u32)> = Vec::new();
    for m in grid.merges() {
        let ((r0, c0), (r1, c1)) = (m.start, m.end);
        let overlaps = taken
            .iter()
            .any(|&(a0, b0, a1, b1)| r0 <= a1 && a0 <= r1 && c0 <= b1 && b0 <= c1);
        if (r0, c0) == (r1, c1) || r1 > MAX_ROW || c1 > MAX_COL || overlaps {
            continue;
        }
        taken.push((r0, c0, r1, c1));
        let worst = worst_in(marks, m.start, m.end);
        let f = format(Kind::Plain, worst, true);
        ws.merge_range(r0, c0 as u16, r1, c1 as u16, "", &f)?;
        covered.extend((r0..=r1).flat_map(|r| (c0..=c1).map(move |c| (r, c))));
    }
    Ok(covered)
}

/// Fills the marked cells that hold nothing, and puts each note on its cell.
fn notes(
    ws: &mut Worksheet,
    marks: &SheetMarks,
    cells: &Cells,
    covered: &Covered,
) -> Result<(), XlsxError> {
    let blank = marks
        .notes
        .keys()
        .chain(marks.fill_only.keys())
        .filter(|p| !cells.contains_key(p) && !covered.contains(p));
    for &(r, c) in blank {
        if r <= MAX_ROW && c <= MAX_COL {
            ws.write_blank(r, c as u16, &format(Kind::Plain, marks.at(r, c), false))?;
        }
    }
    let errors = marks
        .notes
        .values()
        .filter(|m| m.severity == Some(Severity::Error))
        .count();
    for (&(r, c), m) in &marks.notes {
        if r > MAX_ROW || c > MAX_COL || m.lines.is_empty() {
            continue;
        }
        let shown = m.severity == Some(Severity::Error) && errors <= MAX_SHOWN_NOTES;
        ws.insert_note(r, c as u16, &note(m, shown))?;
    }
    Ok(())
}

/// A cell's note: every message at it.
fn note(m: &Mark, shown: bool) -> Note {
    let text = m.lines.join("\n");
    let lines: usize = m
        .lines
        .iter()
        .map(|l| UnicodeWidthStr::width(l.as_str()) / 40 + 1)
        .sum();
    Note::new(text)
        .add_author_prefix(false)
        .set_author("联工委")
        .set_font_name("宋体")
        .set_font_size(10)
        .set_width(300)
        .set_height((lines as u32 * 16 + 10).clamp(40, 400))
        .set_visible(shown)
}
