//! One reader API over every workbook format: bytes → visible sheets of cells, values and
//! formulas in one pass. The only place that talks to calamine; everything after works on `Grid`.

pub mod delimited;
pub mod guard;
pub mod merges;
pub mod sheets;
pub mod sniff;

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use calamine::{
    Cell, Data, DataRef, Dimensions, Ods, Range, Reader, SheetVisible, Xls, Xlsb, Xlsx, XlsxError,
};

use crate::config::Limits;
use guard::{Bound, Package};
use sniff::Refusal;

/// Spreadsheet formats the reader accepts, as sniffed from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// Excel 97–2003 / WPS .et (.xls).
    Xls,
    /// OpenDocument (.ods).
    Ods,
    /// A return saved as CSV (.csv): text, one sheet.
    Csv,
}

/// A sheet as the rest of ingestion sees it: cells by absolute position, merges, visibility.
pub struct Grid {
    /// Sheet name.
    pub name: String,
    /// Hidden and very hidden sheets are ignored.
    pub visible: bool,
    /// The workbook asks to be recalculated when opened (`fullCalcOnLoad`): the formula
    /// results it carries were not computed by a spreadsheet and cannot be trusted.
    pub recalc_on_load: bool,
    cells: Range<Data>,
    merges: Vec<Dimensions>,
    /// The merged areas by row.
    merge_rows: MergeRows,
    /// Formula texts by position, sorted.
    formulas: Vec<((u32, u32), String)>,
}

/// Which merged areas cover each row, so that a cell's area is found without going through
/// every area of the sheet (a header search asks for every cell of its window).
#[derive(Default)]
struct MergeRows {
    first: u32,
    /// For each row from `first`, the indices of the areas covering it, in the areas' order.
    rows: Vec<Vec<u32>>,
    /// Too many rows covered to index (a whole column merged): every area is searched.
    linear: bool,
}

/// Rows covered by merged areas, counted over every area, up to which they are indexed.
const MERGE_ROWS_INDEXED: u64 = 1 << 16;

impl MergeRows {
    fn new(merges: &[Dimensions]) -> MergeRows {
        let spans = || merges.iter().filter(|d| d.start.0 <= d.end.0);
        let covered: u64 = spans().map(|d| u64::from(d.end.0 - d.start.0) + 1).sum();
        if covered > MERGE_ROWS_INDEXED || merges.len() > u32::MAX as usize {
            return MergeRows {
                linear: true,
                ..MergeRows::default()
            };
        }
        let Some(first) = spans().map(|d| d.start.0).min() else {
            return MergeRows::default();
        };
        let last = spans().map(|d| d.end.0).max().unwrap_or(first);
        let mut rows = vec![Vec::new(); (last - first) as usize + 1];
        for (k, d) in merges.iter().enumerate() {
            if d.start.0 <= d.end.0 {
                for r in d.start.0..=d.end.0 {
                    rows[(r - first) as usize].push(k as u32);
                }
            }
        }
        MergeRows {
            first,
            rows,
            linear: false,
        }
    }

    /// The first area (in the areas' order) holding (row, col) that `ok` accepts.
    fn find<'m>(
        &self,
        merges: &'m [Dimensions],
        (row, col): (u32, u32),
        ok: impl Fn(&Dimensions) -> bool,
    ) -> Option<&'m Dimensions> {
        let hit = |d: &&Dimensions| d.contains(row, col) && ok(d);
        if self.linear {
            return merges.iter().find(hit);
        }
        let i = row.checked_sub(self.first)? as usize;
        self.rows
            .get(i)?
            .iter()
            .map(|&k| &merges[k as usize])
            .find(hit)
    }
}

static EMPTY: Data = Data::Empty;

impl Grid {
    /// Builds a grid from cells (used by tests and by the readers).
    pub fn new(name: &str, cells: Range<Data>, merges: Vec<Dimensions>) -> Grid {
        Grid {
            name: name.to_string(),
            visible: true,
            recalc_on_load: false,
            cells,
            merge_rows: MergeRows::new(&merges),
            merges,
            formulas: Vec::new(),
        }
    }

    /// The grid with these formula texts (empty texts are dropped).
    pub fn with_formulas(mut self, formulas: impl IntoIterator<Item = Cell<String>>) -> Grid {
        self.formulas = formulas
            .into_iter()
            .filter(|c| !c.get_value().is_empty())
            .map(|c| (c.get_position(), c.get_value().clone()))
            .collect();
        self.formulas.sort_unstable_by_key(|f| f.0);
        self
    }

    /// The formula text of a cell, if it has one.
    pub fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.formulas
            .binary_search_by_key(&(row, col), |f| f.0)
            .ok()
            .map(|i| self.formulas[i].1.as_str())
    }

    /// First and last used (row, column), if any.
    pub fn bounds(&self) -> Option<((u32, u32), (u32, u32))> {
        Some((self.cells.start()?, self.cells.end()?))
    }

    /// The value at an absolute position; merged cells read as their top-left cell.
    pub fn get(&self, row: u32, col: u32) -> &Data {
        let (r, c) = self.anchor(row, col);
        self.cells.get_value((r, c)).unwrap_or(&EMPTY)
    }

    /// The value stored at exactly this position (merges not applied).
    pub fn raw(&self, row: u32, col: u32) -> &Data {
        self.cells.get_value((row, col)).unwrap_or(&EMPTY)
    }

    /// The top-left cell of the merged area holding (row, col), or the cell itself.
    pub fn anchor(&self, row: u32, col: u32) -> (u32, u32) {
        self.merge_rows
            .find(&self.merges, (row, col), |_| true)
            .map(|d| d.start)
            .unwrap_or((row, col))
    }

    /// The merged area of more than one cell that holds (row, col), if any.
    pub fn merged_area(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merge_rows
            .find(&self.merges, (row, col), |d| d.start != d.end)
    }

    /// A cell as text: strings as they are, whole numbers without ".0", dates as ISO text.
    pub fn text(&self, row: u32, col: u32) -> String {
        cell_text(self.get(row, col))
    }

    /// Every cell that holds a value, at its absolute (row, column), in row order.
    pub fn cells(&self) -> impl Iterator<Item = (u32, u32, &Data)> {
        let (r0, c0) = self.cells.start().unwrap_or((0, 0));
        self.cells
            .used_cells()
            .map(move |(r, c, d)| (r0 + r as u32, c0 + c as u32, d))
    }

    /// The merged areas, as read.
    pub fn merges(&self) -> &[Dimensions] {
        &self.merges
    }

    /// Every formula text by its absolute (row, column), sorted.
    pub fn formulas(&self) -> impl Iterator<Item = ((u32, u32), &str)> {
        self.formulas.iter().map(|(p, f)| (*p, f.as_str()))
    }
}

/// A cell as text, for labels and headers.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        _ => {
            let mut s = String::new();
            write_cell_text(&mut s, d);
            s
        }
    }
}

/// Whether `cell_text` of a cell is empty or only whitespace, without making the text (a
/// number's text is never empty; a boolean's or an error's is).
///
/// ```
/// use calamine::Data;
/// use liaison::workbook::{cell_blank, cell_text};
/// for d in [Data::Empty, Data::String(" \u{3000}".into()), Data::Bool(true), Data::Float(0.0), Data::String("x".into())] {
///     assert_eq!(cell_blank(&d), cell_text(&d).trim().is_empty(), "{d:?}");
/// }
/// ```
pub fn cell_blank(d: &Data) -> bool {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().is_empty(),
        Data::Int(_) | Data::Float(_) | Data::DateTime(_) => false,
        _ => true,
    }
}

/// `cell_text` written at the end of `out` (no string of its own).
pub fn write_cell_text(out: &mut String, d: &Data) {
    use std::fmt::Write;
    let _ = match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        Data::Int(i) => write!(out, "{i}"),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => write!(out, "{}", *f as i64),
        Data::Float(f) => write!(out, "{f}"),
        Data::DateTime(d) => write!(out, "{}", d.as_f64()),
        _ => Ok(()),
    };
}

/// Why calamine could not open a workbook or read a sheet (its own error, kept as the source).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(#[from] pub calamine::Error);

/// Why a sheet gave no grid.
#[derive(Debug)]
pub enum SheetError {
    /// The reader failed (a damaged file, or a hostile one: `guard::diagnose` tells).
    Read(ReadError),
    /// The sheet goes past a limit (found while reading it).
    TooLarge(Refusal),
}

impl<E: Into<calamine::Error>> From<E> for SheetError {
    fn from(e: E) -> SheetError {
        SheetError::Read(ReadError(e.into()))
    }
}

/// An open workbook: a spreadsheet calamine reads, or a CSV file's text (one sheet).
pub struct Workbook<'b> {
    inner: Inner<'b>,
    recalc_on_load: bool,
    /// Merged areas by sheet: of .ods (calamine's reader does not report them), and of the
    /// .xlsx sheets whose merges the guard took as it inflated them (the rest ask calamine).
    merges: HashMap<String, Vec<Dimensions>>,
}

/// What a workbook is read through.
enum Inner<'b> {
    Sheets(Box<calamine::Sheets<Cursor<&'b [u8]>>>),
    /// A CSV file's text, and the name its one sheet is given.
    Csv(delimited::Decoded, String),
}

impl<'b> Workbook<'b> {
    /// Opens a CSV file's bytes as a workbook of one sheet named `sheet` (the file's stem).
    pub fn open_csv(bytes: &[u8], sheet: &str) -> Workbook<'b> {
        Workbook {
            inner: Inner::Csv(delimited::decode(bytes), sheet.to_string()),
            recalc_on_load: false,
            merges: HashMap::new(),
        }
    }

    /// The encoding a CSV file was read in (none for a spreadsheet).
    pub fn csv_encoding(&self) -> Option<&'static str> {
        match &self.inner {
            Inner::Csv(d, _) => Some(d.encoding),
            Inner::Sheets(_) => None,
        }
    }

    /// Opens bytes of a sniffed format that the guard let through (a CSV file: `open_csv`).
    pub fn open(
        bytes: &'b [u8],
        format: Format,
        package: &Package,
    ) -> Result<Workbook<'b>, ReadError> {
        let merges = match format {
            Format::Ods => merges::ods(bytes),
            Format::Xlsx => package.parts.sheet_merges(),
            _ => HashMap::new(),
        };
        let c = Cursor::new(bytes);
        let inner = match format {
            Format::Xlsx => calamine::Sheets::Xlsx(Xlsx::new(c).map_err(calamine::Error::from)?),
            Format::Xlsb => calamine::Sheets::Xlsb(Xlsb::new(c).map_err(calamine::Error::from)?),
            Format::Xls => calamine::Sheets::Xls(Xls::new(c).map_err(calamine::Error::from)?),
            Format::Ods => calamine::Sheets::Ods(Ods::new(c).map_err(calamine::Error::from)?),
            Format::Csv => return Ok(Workbook::open_csv(bytes, "CSV")),
        };
        Ok(Workbook {
            inner: Inner::Sheets(Box::new(inner)),
            recalc_on_load: format == Format::Xlsx && package.recalc_on_load,
            merges,
        })
    }

    /// Sheet names with visibility, in workbook order.
    pub fn sheet_list(&self) -> Vec<(String, bool)> {
        let inner = match &self.inner {
            Inner::Sheets(s) => s,
            Inner::Csv(_, name) => return vec![(name.clone(), true)],
        };
        inner
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    }

    /// Reads one sheet's cached values, formulas and merged areas. An .xlsx or .xlsb sheet is
    /// read in one streaming pass that counts its cells and stops at the limits; the other
    /// formats were bounded whole by the guard.
    pub fn grid(&mut self, name: &str, visible: bool, limits: &Limits) -> Result<Grid, SheetError> {
        let mut bound = Bound::new(name, limits);
        let inner = match &mut self.inner {
            Inner::Sheets(s) => s,
            Inner::Csv(d, sheet) => {
                return delimited::grid(&d.text, sheet, &mut bound).map_err(SheetError::TooLarge);
            }
        };
        let inner = &mut **inner;
        let (cells, formulas, merges) = if let calamine::Sheets::Xlsx(x) = &mut *inner {
            let (cells, formulas) = xlsx_cells(x, name, &mut bound)?;
            let merges = match self.merges.get(name) {
                Some(m) => m.clone(),
                None => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            };
            (Range::from_sparse(cells), formulas, merges)
        } else if let calamine::Sheets::Xlsb(x) = &mut *inner {
            let cells = xlsb_cells(x, name, &mut bound)?;
            let formulas = inner.worksheet_formula(name).unwrap_or_default();
            (Range::from_sparse(cells), formulas_of(formulas), Vec::new())
        } else {
            let range = inner.worksheet_range(name)?;
            let formulas = inner.worksheet_formula(name).unwrap_or_default();
            let merges = match inner {
                calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
                _ => self.merges.get(name).cloned().unwrap_or_default(),
            };
            (range, formulas_of(formulas), merges)
        };
        let mut g = Grid::new(name, cells, merges).with_formulas(formulas);
        g.visible = visible;
        g.recalc_on_load = self.recalc_on_load;
        Ok(g)
    }
}

/// The non-empty formulas of a range, as cells.
fn formulas_of(range: Range<String>) -> Vec<Cell<String>> {
    range
        .used_cells()
        .filter(|(_, _, f)| !f.is_empty())
        .map(|(r, c, f)| {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            Cell::new((r0 + r as u32, c0 + c as u32), f.clone())
        })
        .collect()
}

/// A sheet's cells that hold a value, and its formulas.
type SheetCells = (Vec<Cell<Data>>, Vec<Cell<String>>);

/// An .xlsx sheet's cells that hold a value, and its formulas, in one pass of calamine's
/// streaming reader (no dense range is allocated from what the sheet declares).
fn xlsx_cells<RS: Read + Seek>(
    x: &mut Xlsx<RS>,
    name: &str,
    bound: &mut Bound,
) -> Result<SheetCells, SheetError> {
    let mut reader = match x.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(XlsxError::NotAWorksheet(_)) => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(e.into()),
    };
    let (mut cells, mut formulas) = (Vec::new(), Vec::new());
    while let Some(c) = reader.next_cell_with_formula()? {
        let formula = c.formula.filter(|f| !f.is_empty());
        let empty = matches!(c.value, DataRef::Empty);
        if empty && formula.is_none() {
            continue; // a cell with a format only (a whole formatted column)
        }
        bound.add(c.pos.0, c.pos.1).map_err(SheetError::TooLarge)?;
        if !empty {
            cells.push(Cell::new(c.pos, Data::from(c.value)));
        }
        if let Some(f) = formula {
            formulas.push(Cell::new(c.pos, f));
        }
    }
    Ok((cells, formulas))
}

/// An .xlsb sheet's cells that hold a value, streamed and counted.
fn xlsb_cells<RS: Read + Seek>(
    x: &mut Xlsb<RS>,
    name: &str,
    bound: &mut Bound,
) -> Result<Vec<Cell<Data>>, SheetError> {
    let mut reader = x.worksheet_cells_reader(name)?;
    let mut cells = Vec::new();
    while let Some(c) = reader.next_cell()? {
        if matches!(c.get_value(), DataRef::Empty) {
            continue;
        }
        let (r, col) = c.get_position();
        bound.add(r, col).map_err(SheetError::TooLarge)?;
        cells.push(Cell::new((r, col), Data::from(c.get_value().clone())));
    }
    Ok(cells)
}

#[cfg(test)]
mod tests;
