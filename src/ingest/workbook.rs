//! One reader API over every workbook format: bytes → visible sheets of cells.
//! The only place that talks to calamine; everything after works on `Grid`.

use std::collections::HashMap;
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
    /// The workbook asks to be recalculated when opened (`fullCalcOnLoad`): the formula
    /// results it carries were not computed by a spreadsheet and cannot be trusted.
    pub recalc_on_load: bool,
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
            recalc_on_load: false,
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

    /// The merged area of more than one cell that holds (row, col), if any.
    pub fn merged_area(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merges
            .iter()
            .find(|d| d.contains(row, col) && d.start != d.end)
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

/// Why calamine could not open a workbook or read a sheet (its own error, kept as the source).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(#[from] pub calamine::Error);

/// An open workbook.
pub struct Workbook {
    inner: calamine::Sheets<Cursor<Vec<u8>>>,
    recalc_on_load: bool,
    /// Merged areas of formats whose calamine reader does not report them (.ods).
    merges: HashMap<String, Vec<Dimensions>>,
}

impl Workbook {
    /// Opens bytes of a sniffed format.
    pub fn open(bytes: Vec<u8>, format: Format) -> Result<Workbook, ReadError> {
        let recalc_on_load = format == Format::Xlsx && recalc_on_load(&bytes);
        let merges = match format {
            Format::Ods => super::merges::ods(&bytes),
            _ => HashMap::new(),
        };
        let c = Cursor::new(bytes);
        let inner = match format {
            Format::Xlsx => calamine::Sheets::Xlsx(Xlsx::new(c).map_err(calamine::Error::from)?),
            Format::Xlsb => calamine::Sheets::Xlsb(Xlsb::new(c).map_err(calamine::Error::from)?),
            Format::Xls => calamine::Sheets::Xls(Xls::new(c).map_err(calamine::Error::from)?),
            Format::Ods => calamine::Sheets::Ods(Ods::new(c).map_err(calamine::Error::from)?),
        };
        Ok(Workbook {
            inner,
            recalc_on_load,
            merges,
        })
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
    pub fn grid(&mut self, name: &str, visible: bool) -> Result<Grid, ReadError> {
        let cells = self.inner.worksheet_range(name)?;
        let merges = match &mut self.inner {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            // .xlsb: calamine reports no merged areas and no writer here makes .xlsb files.
            _ => self.merges.get(name).cloned().unwrap_or_default(),
        };
        let mut g = Grid::new(name, cells, merges);
        g.visible = visible;
        g.recalc_on_load = self.recalc_on_load;
        Ok(g)
    }

    /// Formula texts of a sheet by absolute position (empty where the reader has none).
    pub fn formulas(&mut self, name: &str) -> Range<String> {
        self.inner
            .worksheet_formula(name)
            .unwrap_or_else(|_| Range::empty())
    }
}

/// Whether an OOXML package's workbook part says `<calcPr fullCalcOnLoad="1"/>`: written by
/// xlsxwriter, rust_xlsxwriter and other writers that store 0 (or nothing computed) as every
/// formula's result and leave the computing to the spreadsheet that opens the file. Excel, WPS
/// and LibreOffice drop the flag when they save, having computed the results.
fn recalc_on_load(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let name = (0..zip.len()).find_map(|i| {
        let entry = zip.by_index_raw(i).ok()?;
        let name = entry.name().ok()?.into_owned();
        let n = name.replace('\\', "/").to_ascii_lowercase();
        (n.trim_start_matches('/') == "xl/workbook.xml" || n == "workbook.xml").then_some(name)
    });
    let Some(name) = name else {
        return false;
    };
    let Ok(part) = zip.by_name(&name) else {
        return false;
    };
    // The workbook part is small; the guard has already bounded every entry's size.
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e))
                if e.local_name().as_ref() == "calcPr" =>
            {
                return e.attributes().flatten().any(|a| {
                    a.key.local_name().as_ref() == "fullCalcOnLoad"
                        && matches!(&*a.value, "1" | "true")
                });
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return false,
            _ => {}
        }
        buf.clear();
    }
}
