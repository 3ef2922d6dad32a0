//! Bounds a workbook so that no reader allocates past the limits: before calamine opens it,
//! every part but the .xlsx / .xlsb sheets is inflated under a byte budget (declared sizes can
//! lie); those sheets are bounded cell by cell as they are read (`Bound`), in the one pass that
//! reads them. `diagnose` is the full pass, for a workbook a reader failed on. One file per
//! format, as calamine splits its readers.

mod ods;
mod parts;
mod slim;
mod xls;
mod xlsb;
mod xlsx;

use std::io::{self, BufReader, Cursor, Read};

use super::Format;
use super::sniff::{Refusal, encrypted, too_large};
use crate::config::Limits;
use crate::core::findings::Code;

pub use parts::Parts;

/// What the guard learnt of a package on the way.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// The workbook asks to be recalculated when opened (`<calcPr fullCalcOnLoad="1"/>`).
    pub recalc_on_load: bool,
    /// Sheet parts whose bounding is left to the reading (.xlsx, .xlsb): when the reading
    /// reads fewer sheets (hidden ones), `diagnose` bounds the rest.
    pub unread_sheets: u64,
    /// The .xlsx parts and the merged areas of each sheet part, found as they were inflated.
    pub parts: Parts,
    /// An .xlsx package's parts as the guard inflated them (every checksum verified), stored
    /// uncompressed in a zip of their own, in the same order under the same names (the styles
    /// part cut to its number and cell formats, the theme left out: `slim`): calamine opens
    /// this instead of inflating the same parts a second time. `None` where they could
    /// not all be kept (past `STORED_MAX` bytes, a name the zip writer refuses): calamine then
    /// opens the file as it came.
    pub stored: Option<Vec<u8>>,
}

/// Inflated bytes up to which an .xlsx package's parts are kept for calamine (`stored`).
const STORED_MAX: usize = 16 << 20;

/// A reader that keeps a copy of what it reads, while it is given somewhere to keep it.
struct Keep<'a, R> {
    inner: R,
    kept: Option<&'a mut Vec<u8>>,
}

impl<R: Read> Read for Keep<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(k) = &mut self.kept {
            k.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }
}

/// The parts kept, repacked uncompressed as calamine needs them ([`slim`]): `None` if the zip
/// writer refuses one.
fn repack(parts: &[(String, std::ops::Range<usize>)], bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    use zip::write::{SimpleFileOptions, ZipWriter};
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let size = bytes.len() + parts.iter().map(|(n, _)| 100 + 2 * n.len()).sum::<usize>();
    let mut w = ZipWriter::new(Cursor::new(Vec::with_capacity(size + 64)));
    for (name, range) in parts {
        let part = &bytes[range.clone()];
        let slim = match slim::kept(name, part) {
            slim::Kept::Drop => continue,
            slim::Kept::Keep => None,
            slim::Kept::Slim(b) => Some(b),
        };
        w.start_file(name.as_str(), stored).ok()?;
        w.write_all(slim.as_deref().unwrap_or(part)).ok()?;
    }
    Some(w.finish().ok()?.into_inner())
}

/// Checks a sniffed workbook against the limits; `Ok` means calamine may open it (and read
/// its .xlsx / .xlsb sheets through `Bound`).
pub fn guard(bytes: &[u8], format: Format, limits: &Limits) -> Result<Package, Refusal> {
    match format {
        // A CSV file's size is bounded when it is read; its cells as they are parsed (`Bound`).
        Format::Csv => Ok(Package::default()),
        Format::Xls => xls::guard(bytes, limits).map(|()| Package::default()),
        Format::Ods => guard_zip(bytes, format, limits, Pass::Full),
        Format::Xlsx | Format::Xlsb => guard_zip(bytes, format, limits, Pass::LeaveSheets),
    }
}

/// The full bounding pass over every part, each sheet's cells streamed and counted without
/// keeping them. For a workbook calamine could not read (a hostile file is then told from a
/// damaged one, as `too_large`), and for sheets the reading did not read.
pub fn diagnose(bytes: &[u8], format: Format, limits: &Limits) -> Result<(), Refusal> {
    match format {
        Format::Csv => Ok(()),
        Format::Xls => xls::guard(bytes, limits),
        _ => guard_zip(bytes, format, limits, Pass::Full).map(|_| ()),
    }
}

/// Whether the sheets of a package are streamed here or left to the reading.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Full,
    LeaveSheets,
}

/// Counts the cells of one sheet as a reader hands them over, and refuses as soon as they
/// pass a limit: the bounding of the one pass that reads an .xlsx / .xlsb sheet.
pub struct Bound<'a> {
    extent: Extent,
    limits: &'a Limits,
    what: String,
}

impl<'a> Bound<'a> {
    /// A bound for the sheet named `sheet`.
    pub fn new(sheet: &str, limits: &'a Limits) -> Bound<'a> {
        Bound {
            extent: Extent::default(),
            limits,
            what: format!("工作表“{sheet}”"),
        }
    }

    /// Counts a cell that holds a value or a formula.
    pub fn add(&mut self, row: u32, col: u32) -> Result<(), Refusal> {
        self.extent.add(u64::from(row), u64::from(col));
        self.extent.check(&self.what, self.limits)
    }
}

/// Used rows and columns of one sheet, as a reader would lay them out densely.
#[derive(Default)]
pub(super) struct Extent {
    min_row: u64,
    max_row: u64,
    min_col: u64,
    max_col: u64,
    cells: u64,
}

impl Extent {
    fn add(&mut self, row: u64, col: u64) {
        if self.cells == 0 {
            (self.min_row, self.max_row, self.min_col, self.max_col) = (row, row, col, col);
        } else {
            self.min_row = self.min_row.min(row);
            self.max_row = self.max_row.max(row);
            self.min_col = self.min_col.min(col);
            self.max_col = self.max_col.max(col);
        }
        self.cells += 1;
    }

    fn check(&self, what: &str, limits: &Limits) -> Result<(), Refusal> {
        if self.cells == 0 {
            return Ok(());
        }
        let rows = self.max_row - self.min_row + 1;
        let cols = self.max_col - self.min_col + 1;
        if rows > limits.max_rows {
            return Err(too_large(format!(
                "{what}用到 {rows} 行（上限 {} 行）",
                limits.max_rows
            )));
        }
        if rows.saturating_mul(cols) > limits.max_cells || self.cells > limits.max_cells {
            return Err(too_large(format!(
                "{what}的使用区域有 {rows} 行 × {cols} 列（上限 {} 个单元格）",
                limits.max_cells
            )));
        }
        Ok(())
    }
}

/// A reader that fails once more than `left` bytes came through.
struct Budget<'a, R> {
    inner: R,
    left: &'a mut u64,
}

const OVER_BUDGET: &str = "liaison: decompressed size over the limit";

impl<R: Read> Read for Budget<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > *self.left {
            return Err(io::Error::other(OVER_BUDGET));
        }
        *self.left -= n as u64;
        Ok(n)
    }
}

fn io_refusal(e: &io::Error, limits: &Limits) -> Refusal {
    let text = e.to_string();
    if text.contains(OVER_BUDGET) {
        too_large(format!(
            "解压后超过 {} MB",
            limits.max_decompressed_bytes / 1024 / 1024
        ))
    } else if text.contains("larger than its declared") {
        too_large("解压后的实际大小超过文件自己声明的大小（可能是被构造的压缩炸弹）".into())
    } else {
        Refusal {
            code: Code::UnreadableFile,
            message: format!("文件已损坏或不完整（{text}）：请重新保存后再报送"),
        }
    }
}

fn guard_zip(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    pass: Pass,
) -> Result<Package, Refusal> {
    let broken = |e: &dyn std::fmt::Display| Refusal {
        code: Code::UnreadableFile,
        message: format!("文件已损坏或不完整（{e}）：请重新保存后再报送"),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    let mut left = limits.max_decompressed_bytes;
    let mut sheets = 0u64;
    let mut package = Package::default();
    // The parts as inflated, one after the other, with each one's name and bytes in `kept`.
    let mut keep = format == Format::Xlsx && pass == Pass::LeaveSheets;
    let (mut kept, mut kept_parts) = (Vec::new(), Vec::new());
    for i in 0..zip.len() {
        let entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(zip::result::ZipError::UnsupportedArchive(m))
                if m.to_lowercase().contains("password") =>
            {
                return Err(encrypted());
            }
            Err(e) => return Err(broken(&e)),
        };
        if entry.encrypted() {
            return Err(encrypted());
        }
        let raw = entry.name().map(|n| n.to_string());
        keep &= raw.is_ok() && !entry.is_dir();
        let declared = entry.size();
        let raw = raw.unwrap_or_default();
        let name = raw.replace('\\', "/").trim_start_matches('/').to_string();
        package.parts.saw(&raw);
        let start = kept.len();
        if keep {
            // Room for the part as it declares itself (a declared size can lie: no more than
            // may be kept).
            kept.reserve(
                usize::try_from(declared).map_or(0, |d| d.min(STORED_MAX.saturating_sub(start))),
            );
        }
        let mut r = BufReader::new(Keep {
            inner: Budget {
                inner: entry,
                left: &mut left,
            },
            kept: keep.then_some(&mut kept),
        });
        let is_sheet = (name.starts_with("xl/worksheets/") || name.starts_with("worksheets/"))
            && !name.contains("_rels");
        sheets += u64::from(is_sheet);
        if sheets > limits.max_sheets {
            return Err(too_large(format!("工作表超过 {} 张", limits.max_sheets)));
        }
        let at = At {
            raw: &raw,
            name: &name,
            is_sheet,
            format,
            pass,
        };
        match read_part(&mut r, &at, limits, &mut package) {
            Ok(Ok(())) => {}
            Ok(Err(refusal)) => return Err(refusal),
            Err(e) => return Err(io_refusal(&e, limits)),
        }
        drop(r);
        keep &= (kept.len() - start) as u64 == declared;
        if keep {
            kept_parts.push((raw, start..kept.len()));
            keep = kept.len() <= STORED_MAX;
        }
    }
    if keep {
        package.stored = repack(&kept_parts, &kept);
    }
    Ok(package)
}

/// Where a part sits in the package, and how this pass treats it.
struct At<'a> {
    raw: &'a str,
    name: &'a str,
    is_sheet: bool,
    format: Format,
    pass: Pass,
}

/// Reads one part of the package as its kind asks: a sheet bounded (or only inflated and its
/// merged areas taken, when the reading bounds it), the workbook and relationships parts noted,
/// shared strings and ODS content bounded, any other part inflated under the budget only.
fn read_part(
    r: &mut impl io::BufRead,
    at: &At<'_>,
    limits: &Limits,
    package: &mut Package,
) -> io::Result<Result<(), Refusal>> {
    let At {
        raw,
        name,
        is_sheet,
        format,
        pass,
    } = *at;
    let what = format!("工作表 {name} ");
    let leave = pass == Pass::LeaveSheets
        && is_sheet
        && matches!(
            (format, name.rsplit('.').next()),
            (Format::Xlsx, Some("xml")) | (Format::Xlsb, Some("bin"))
        );
    package.unread_sheets += u64::from(leave);
    match (format, name) {
        // Inflated to its end, so that its size and checksum are verified (calamine stops
        // reading at the end of the cells), but not parsed: its cells are bounded as they
        // are read, in the one pass that parses them (`Bound`).
        // Its merged areas are taken on the way (`<mergeCells>` follows the cells), so
        // that the reading need not parse it a second time for them.
        _ if leave && format == Format::Xlsx => xlsx::merges(r).map(|m| {
            package.parts.add_merges(raw, m);
            Ok(())
        }),
        _ if leave => io::copy(r, &mut io::sink()).map(|_| Ok(())),
        (Format::Xlsx, n) if pass == Pass::LeaveSheets && is_workbook_part(n) => {
            xlsx::workbook_part(r).map(|(recalc, sheets)| {
                package.recalc_on_load = recalc;
                package.parts.add_workbook(raw, sheets);
                Ok(())
            })
        }
        (Format::Xlsx, n) if pass == Pass::LeaveSheets && is_package_rels(n) => {
            xlsx::rels(r).map(|rels| {
                if let Some(rels) = rels {
                    package.parts.add_rels(raw, rels);
                }
                Ok(())
            })
        }
        // Parts calamine reads whole or not at all: inflated under the budget only.
        (Format::Xlsx, n) if pass == Pass::LeaveSheets && n.ends_with(".xml") && !is_strings(n) => {
            io::copy(r, &mut io::sink()).map(|_| Ok(()))
        }
        // Every XML part is streamed as a possible sheet: calamine finds sheets through
        // the package's relationships, wherever they sit; parts that are not sheets hold
        // no cells and count nothing.
        (Format::Xlsx, n) if n.ends_with(".xml") && !is_strings(n) => {
            xlsx::sheet(r).map(|e| e.check(&what, limits))
        }
        (Format::Xlsx, n) if is_strings(n) => xlsx::strings(r, limits),
        (Format::Xlsb, n) if is_sheet && n.ends_with(".bin") => {
            xlsb::sheet(r).map(|e| e.check(&what, limits))
        }
        (Format::Ods, "content.xml") => ods::content(r, limits),
        _ => io::copy(r, &mut io::sink()).map(|_| Ok(())),
    }
}

fn is_strings(name: &str) -> bool {
    name.ends_with("sharedStrings.xml")
}

/// The relationships that say where the workbook part and its sheets are: the package's and
/// the workbook part's (`xl/` or the root).
fn is_package_rels(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "_rels/.rels" || n == "xl/_rels/workbook.xml.rels" || n == "_rels/workbook.xml.rels"
}

/// The workbook part, where the package keeps it (`xl/` or the root).
fn is_workbook_part(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "xl/workbook.xml" || n == "workbook.xml"
}
