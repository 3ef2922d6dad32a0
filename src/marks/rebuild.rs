//! One sheet of a return rebuilt from the values as read (text as text, numbers, dates, merged
//! areas, widths from the content), each cell with a finding filled and carrying a note.

use std::collections::BTreeMap;

use calamine::Data;
use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::findings::Severity;
use crate::ingest::workbook::{Grid, cell_text};

/// Excel's last row and column (0-based): cells past them cannot be written.
const MAX_ROW: u32 = 1_048_575;
const MAX_COL: u32 = 16_383;
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
        Severity::Warning => Color::RGB(0xFFE866),
    }
}

/// How a value is shown: its number format.
#[derive(Clone, Copy)]
enum Kind {
    Plain,
    Date,
    DateTime,
    Duration,
}

/// The format of a cell of this kind, filled when marked.
fn format(kind: Kind, mark: Option<Severity>) -> Format {
    let f = match kind {
        Kind::Plain => Format::new(),
        Kind::Date => Format::new().set_num_format("yyyy-mm-dd"),
        Kind::DateTime => Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        Kind::Duration => Format::new().set_num_format("[h]:mm:ss"),
    };
    match mark {
        None => f,
        Some(s) => f
            .set_background_color(fill_color(s))
            .set_border(FormatBorder::Medium)
            .set_border_color(match s {
                Severity::Error => Color::RGB(0xC00000),
                Severity::Warning => Color::RGB(0xBF8F00),
            }),
    }
}

/// What a cell becomes in the copy.
enum Value {
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

/// Writes `grid` into `ws` (already named): every value, merged area and formula-less cell as
/// read, the marks filled and noted; column widths from the content. Returns whether the
/// sheet held formulas (their results are written, not the formulas).
pub(super) fn sheet(
    ws: &mut Worksheet,
    grid: &Grid,
    marks: &SheetMarks,
) -> Result<bool, XlsxError> {
    let recalc = grid.recalc_on_load;
    let mark_at = |r: u32, c: u32| {
        marks
            .notes
            .get(&(r, c))
            .and_then(|m| m.severity)
            .or_else(|| marks.fill_only.get(&(r, c)).copied())
    };
    let mut cells: BTreeMap<(u32, u32), Value> = grid
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
    let mut merged_cells = std::collections::HashSet::new();
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
        let worst = (r0..=r1)
            .flat_map(|r| (c0..=c1).map(move |c| (r, c)))
            .filter_map(|(r, c)| mark_at(r, c))
            .min();
        ws.merge_range(
            r0,
            c0 as u16,
            r1,
            c1 as u16,
            "",
            &format(Kind::Plain, worst),
        )?;
        for r in r0..=r1 {
            for c in c0..=c1 {
                merged_cells.insert((r, c));
            }
        }
    }
    let merge_mark = |r: u32, c: u32| {
        grid.merged_area(r, c).and_then(|m| {
            let (s, e) = (m.start, m.end);
            (s.0..=e.0)
                .flat_map(|r| (s.1..=e.1).map(move |c| (r, c)))
                .filter_map(|(r, c)| mark_at(r, c))
                .min()
        })
    };
    for (&(r, c), v) in &cells {
        if r > MAX_ROW || c > MAX_COL {
            continue;
        }
        let mark = if merged_cells.contains(&(r, c)) {
            merge_mark(r, c)
        } else {
            mark_at(r, c)
        };
        let col = c as u16;
        match v {
            Value::Text(s) => {
                let s: String = s.chars().take(MAX_CHARS).collect();
                ws.write_string_with_format(r, col, s, &format(Kind::Plain, mark))?;
            }
            Value::Number(n, kind) => {
                ws.write_number_with_format(r, col, *n, &format(*kind, mark))?;
            }
            Value::Bool(b) => {
                ws.write_boolean_with_format(r, col, *b, &format(Kind::Plain, mark))?;
            }
        };
    }
    let marked = marks
        .notes
        .keys()
        .chain(marks.fill_only.keys())
        .filter(|p| !cells.contains_key(p) && !merged_cells.contains(p));
    for &(r, c) in marked {
        if r <= MAX_ROW && c <= MAX_COL {
            ws.write_blank(r, c as u16, &format(Kind::Plain, mark_at(r, c)))?;
        }
    }
    for (&(r, c), m) in &marks.notes {
        if r > MAX_ROW || c > MAX_COL || m.lines.is_empty() {
            continue;
        }
        ws.insert_note(r, c as u16, &note(m))?;
    }
    widths(ws, grid, &cells, &merged_cells)?;
    Ok(had_formulas)
}

/// A cell's note: every message at it, shown beside the cell for errors.
fn note(m: &Mark) -> Note {
    let text = m.lines.join("\n");
    let chars = text.chars().count() as u32;
    let lines = m.lines.len() as u32 + chars / 22;
    Note::new(text)
        .add_author_prefix(false)
        .set_author("联工委")
        .set_font_name("宋体")
        .set_font_size(10)
        .set_width(300)
        .set_height((lines * 18 + 12).clamp(60, 400))
        .set_visible(m.severity == Some(Severity::Error))
}

/// Column widths from the content (CJK counted double): the reader keeps no widths. A text
/// with an empty cell to its right spills into it (titles, labels): it widens its column only
/// a little.
fn widths(
    ws: &mut Worksheet,
    grid: &Grid,
    cells: &BTreeMap<(u32, u32), Value>,
    merged: &std::collections::HashSet<(u32, u32)>,
) -> Result<(), XlsxError> {
    let mut w: BTreeMap<u32, usize> = BTreeMap::new();
    for (&(r, c), v) in cells {
        if merged.contains(&(r, c)) || c > MAX_COL {
            continue;
        }
        let shown = match v {
            Value::Text(s) => {
                let wide = s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
                let spills = !cells.contains_key(&(r, c + 1)) && !merged.contains(&(r, c + 1));
                if spills { wide.min(8) } else { wide }
            }
            Value::Number(_, Kind::Date) => 10,
            Value::Number(_, Kind::DateTime) => 19,
            Value::Number(..) => cell_text(grid.raw(r, c)).len().min(15),
            Value::Bool(_) => 5,
        };
        let e = w.entry(c).or_default();
        *e = (*e).max(shown);
    }
    for (c, n) in w {
        ws.set_column_width(c as u16, (n as f64 + 1.5).clamp(4.0, 40.0))?;
    }
    Ok(())
}
