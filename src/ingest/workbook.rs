//! One reader API over every workbook format: bytes → visible sheets of cells.
//! The only place that talks to calamine; everything after works on `Grid`.

use std::io::Cursor;

use calamine::{Data, Dimensions, Ods, Range, Reader, SheetVisible, Xls, Xlsb, Xlsx};

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
}

/// A sheet as the rest of ingestion sees it: cells by absolute position, merges, visibility.
pub struct Grid {
    /// Sheet name.
    pub name: String,
    /// Hidden and very hidden sheets are ignored.
    pub visible: bool,
    cells: Range<Data>,
    merges: Vec<Dimensions>,
}

static EMPTY: Data = Data::Empty;

impl Grid {
    /// Builds a grid from cells (used by tests and by the readers).
    pub fn new(name: &str, cells: Range<Data>, merges: Vec<Dimensions>) -> Grid {
        Grid {
            name: name.to_string(),
            visible: true,
            cells,
            merges,
        }
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
        self.merges
            .iter()
            .find(|d| d.contains(row, col))
            .map(|d| d.start)
            .unwrap_or((row, col))
    }

    /// A cell as text: strings as they are, whole numbers without ".0", dates as ISO text.
    pub fn text(&self, row: u32, col: u32) -> String {
        cell_text(self.get(row, col))
    }
}

/// A cell as text, for labels and headers.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => format!("{}", d.as_f64()),
        _ => String::new(),
    }
}

/// An open workbook.
pub struct Workbook {
    inner: calamine::Sheets<Cursor<Vec<u8>>>,
}

impl Workbook {
    /// Opens bytes of a sniffed format. The error text is calamine's, for the finding.
    pub fn open(bytes: Vec<u8>, format: Format) -> Result<Workbook, String> {
        let c = Cursor::new(bytes);
        let inner = match format {
            Format::Xlsx => calamine::Sheets::Xlsx(Xlsx::new(c).map_err(|e| e.to_string())?),
            Format::Xlsb => calamine::Sheets::Xlsb(Xlsb::new(c).map_err(|e| e.to_string())?),
            Format::Xls => calamine::Sheets::Xls(Xls::new(c).map_err(|e| e.to_string())?),
            Format::Ods => calamine::Sheets::Ods(Ods::new(c).map_err(|e| e.to_string())?),
        };
        Ok(Workbook { inner })
    }

    /// Sheet names with visibility, in workbook order.
    pub fn sheet_list(&self) -> Vec<(String, bool)> {
        self.inner
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    }

    /// Reads one sheet's cached values and merged areas.
    pub fn grid(&mut self, name: &str, visible: bool) -> Result<Grid, String> {
        let cells = self
            .inner
            .worksheet_range(name)
            .map_err(|e| e.to_string())?;
        let merges = match &mut self.inner {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut g = Grid::new(name, cells, merges);
        g.visible = visible;
        Ok(g)
    }

    /// Formula texts of a sheet by absolute position (empty where the reader has none).
    pub fn formulas(&mut self, name: &str) -> Range<String> {
        self.inner
            .worksheet_formula(name)
            .unwrap_or_else(|_| Range::empty())
    }
}
