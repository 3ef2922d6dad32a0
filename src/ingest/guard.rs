//! Bounds a workbook before calamine sees it: inflates every zip entry under a byte budget
//! (declared sizes can lie) and streams each sheet's cell addresses, counts and declared
//! dimensions, refusing what would make a reader allocate past the limits.

use std::io::{self, BufReader, Cursor, Read};

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};

use super::sniff::{Refusal, encrypted, too_large};
use super::workbook::Format;
use crate::config::Limits;
use crate::findings::Code;

/// Checks a sniffed workbook against the limits; `Ok` means calamine may read it.
pub fn guard(bytes: &[u8], format: Format, limits: &Limits) -> Result<(), Refusal> {
    match format {
        Format::Xls => guard_xls(bytes, limits),
        _ => guard_zip(bytes, format, limits),
    }
}

/// Used rows and columns of one sheet, as a reader would lay them out densely.
#[derive(Default)]
struct Extent {
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
                "{what}用到 {rows} 行(上限 {} 行)",
                limits.max_rows
            )));
        }
        if rows.saturating_mul(cols) > limits.max_cells || self.cells > limits.max_cells {
            return Err(too_large(format!(
                "{what}的使用区域有 {rows} 行 × {cols} 列(上限 {} 个单元格)",
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
        too_large("解压后的实际大小超过文件自己声明的大小(可能是被构造的压缩炸弹)".into())
    } else {
        Refusal {
            code: Code::UnreadableFile,
            message: format!("文件已损坏或不完整({text}):请重新保存后再报送"),
        }
    }
}

fn guard_zip(bytes: &[u8], format: Format, limits: &Limits) -> Result<(), Refusal> {
    let broken = |e: &dyn std::fmt::Display| Refusal {
        code: Code::UnreadableFile,
        message: format!("文件已损坏或不完整({e}):请重新保存后再报送"),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    let mut left = limits.max_decompressed_bytes;
    let mut sheets = 0u64;
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
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut r = BufReader::new(Budget {
            inner: entry,
            left: &mut left,
        });
        let is_sheet = name.starts_with("xl/worksheets/") && !name.contains("_rels");
        sheets += u64::from(is_sheet);
        if sheets > limits.max_sheets {
            return Err(too_large(format!("工作表超过 {} 张", limits.max_sheets)));
        }
        let what = format!("工作表 {name} ");
        let result = match (format, name.as_str()) {
            (Format::Xlsx, n) if is_sheet && n.ends_with(".xml") => {
                xlsx_sheet(&mut r).map(|e| e.check(&what, limits))
            }
            (Format::Xlsx, "xl/sharedStrings.xml") => xlsx_strings(&mut r, limits),
            (Format::Xlsb, n) if is_sheet && n.ends_with(".bin") => {
                xlsb_sheet(&mut r).map(|e| e.check(&what, limits))
            }
            (Format::Ods, "content.xml") => ods_content(&mut r, limits),
            _ => io::copy(&mut r, &mut io::sink()).map(|_| Ok(())),
        };
        match result {
            Ok(Ok(())) => {}
            Ok(Err(refusal)) => return Err(refusal),
            Err(e) => return Err(io_refusal(&e, limits)),
        }
    }
    Ok(())
}

fn xml_err(e: quick_xml::Error) -> io::Error {
    match e {
        quick_xml::Error::Io(io) => io::Error::new(io.kind(), io.to_string()),
        other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

fn num(v: &str) -> Option<u64> {
    v.trim().parse().ok()
}

/// "XFD1048576" → (row, col), zero-based.
fn a1_pos(v: &str) -> Option<(u64, u64)> {
    let v = v.as_bytes();
    let letters = v.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = v[..letters].iter().fold(0u64, |a, b| {
        a * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row = num(std::str::from_utf8(&v[letters..]).ok()?)?;
    Some((row.checked_sub(1)?, col - 1))
}

fn xlsx_sheet(r: &mut impl io::BufRead) -> io::Result<Extent> {
    let mut xml = XmlReader::from_reader(r);
    let mut buf = Vec::new();
    let mut ext = Extent::default();
    let (mut row, mut col) = (0u64, 0u64);
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "row" => {
                    row = attr(&e, "r")
                        .and_then(|v| num(&v))
                        .map_or(row + 1, |r| r.saturating_sub(1));
                    col = 0;
                }
                "c" => {
                    let (r, c) = attr(&e, "r").and_then(|v| a1_pos(&v)).unwrap_or((row, col));
                    ext.add(r, c);
                    (row, col) = (r, c + 1);
                }
                _ => {}
            },
            Event::Eof => return Ok(ext),
            _ => {}
        }
        buf.clear();
    }
}

fn xlsx_strings(r: &mut impl io::BufRead, limits: &Limits) -> io::Result<Result<(), Refusal>> {
    let mut xml = XmlReader::from_reader(&mut *r);
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                for key in ["uniqueCount", "count"] {
                    if let Some(n) = attr(&e, key).and_then(|v| num(&v))
                        && n > limits.max_cells
                    {
                        return Ok(Err(too_large(format!(
                            "共享字符串声明有 {n} 个(上限 {})",
                            limits.max_cells
                        ))));
                    }
                }
                break;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    drop(xml);
    io::copy(r, &mut io::sink())?;
    Ok(Ok(()))
}

fn varint(r: &mut impl Read, max_bytes: usize) -> io::Result<Option<u32>> {
    let mut v = 0u32;
    for i in 0..max_bytes {
        let mut b = [0u8];
        if r.read(&mut b)? == 0 {
            return if i == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        v |= u32::from(b[0] & 0x7f) << (7 * i);
        if b[0] & 0x80 == 0 {
            break;
        }
    }
    Ok(Some(v))
}

fn xlsb_sheet(r: &mut impl Read) -> io::Result<Extent> {
    let mut ext = Extent::default();
    let mut row = 0u64;
    let mut data = Vec::new();
    while let Some(typ) = varint(r, 2)? {
        let len = varint(r, 4)?.ok_or(io::ErrorKind::UnexpectedEof)?;
        data.clear();
        r.by_ref().take(u64::from(len)).read_to_end(&mut data)?;
        let u = |i: usize| {
            data.get(i..i + 4)
                .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        };
        match typ {
            0 => row = u(0).unwrap_or(row),            // BrtRowHdr
            1..=13 => ext.add(row, u(0).unwrap_or(0)), // cell records
            148 => {
                // BrtWsDim: calamine sizes from it; a lying one must still fit.
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (u(0), u(4), u(8), u(12)) {
                    ext.add(r0, c0);
                    ext.add(r1, c1);
                }
            }
            _ => {}
        }
    }
    Ok(ext)
}

fn ods_content(r: &mut impl io::BufRead, limits: &Limits) -> io::Result<Result<(), Refusal>> {
    let mut xml = XmlReader::from_reader(r);
    let mut buf = Vec::new();
    let (mut row, mut col, mut row_rep) = (0u64, 0u64, 1u64);
    let mut ext = Extent::default();
    let mut in_row_content = false;
    loop {
        let ev = xml.read_event_into(&mut buf).map_err(xml_err)?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    if let Err(x) = ext.check("工作表", limits) {
                        return Ok(Err(x));
                    }
                    (ext, row) = (Extent::default(), 0);
                }
                "table:table-row" => {
                    row_rep = attr(&e, "table:number-rows-repeated")
                        .and_then(|v| num(&v))
                        .unwrap_or(1);
                    (col, in_row_content) = (0, false);
                    if empty {
                        row = row.saturating_add(row_rep);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let rep = attr(&e, "table:number-columns-repeated")
                        .and_then(|v| num(&v))
                        .unwrap_or(1);
                    let content = !empty || attr(&e, "office:value-type").is_some();
                    if content {
                        ext.add(row, col);
                        ext.add(
                            row.saturating_add(row_rep - 1),
                            col.saturating_add(rep.max(1) - 1),
                        );
                        in_row_content = true;
                    }
                    col = col.saturating_add(rep);
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                let _ = in_row_content;
                row = row.saturating_add(row_rep);
            }
            Event::Eof => return Ok(ext.check("工作表", limits)),
            _ => {}
        }
        buf.clear();
    }
}

/// .xls: the BIFF records of the Workbook stream (FILEPASS = encrypted, DIMENSIONS, cells).
fn guard_xls(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let broken = |e: &dyn std::fmt::Display| Refusal {
        code: Code::UnreadableFile,
        message: format!("文件已损坏或不完整({e}):请用 Excel / WPS 打开后另存为 .xlsx 再报送"),
    };
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    if cf.exists("/EncryptionInfo") || cf.exists("/EncryptedPackage") {
        return Err(encrypted());
    }
    let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| cf.is_stream(n));
    let Some(name) = name else {
        return Err(broken(&"没有 Workbook 数据流,不是 Excel 工作簿"));
    };
    let mut stream = Vec::new();
    cf.open_stream(name)
        .and_then(|s| {
            s.take(limits.max_decompressed_bytes.saturating_add(1))
                .read_to_end(&mut stream)
        })
        .map_err(|e| broken(&e))?;
    if stream.len() as u64 > limits.max_decompressed_bytes {
        return Err(too_large(format!(
            "工作簿数据超过 {} MB",
            limits.max_decompressed_bytes / 1024 / 1024
        )));
    }
    let mut ext = Extent::default();
    let mut sheets = 0u64;
    let mut pos = 0;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let d = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        let u16at = |i: usize| {
            d.get(i..i + 2)
                .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let u32at = |i: usize| {
            d.get(i..i + 4)
                .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        };
        match typ {
            0x002F => return Err(encrypted()), // FILEPASS
            0x0809 => {
                ext.check("工作表", limits)?;
                ext = Extent::default();
                sheets += 1;
                if sheets > limits.max_sheets.saturating_add(1) {
                    return Err(too_large(format!("工作表超过 {} 张", limits.max_sheets)));
                }
            }
            0x0200 => {
                // DIMENSIONS: calamine reserves rows × columns from it, and subtracts
                // first from last unchecked.
                if let (Some(r0), Some(r1)) = (u32at(0), u32at(4))
                    && d.len() >= 14
                    && r1 < r0
                {
                    return Err(broken(&"DIMENSIONS 记录损坏"));
                }
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) =
                    (u32at(0), u32at(4), u16at(8), u16at(10))
                    && r1 > r0
                    && c1 > c0
                {
                    ext.add(r0, c0);
                    ext.add(r1 - 1, c1 - 1);
                }
            }
            0x0006 => {
                // FORMULA: calamine slices the parsed expression by its declared length (cce)
                // without checking it against the record, and panics on a lying one.
                let cce = u16at(20).unwrap_or(u64::MAX);
                if d.len() < 22 || 22 + cce > d.len() as u64 {
                    return Err(broken(&"公式记录损坏"));
                }
                if let (Some(r), Some(c)) = (u16at(0), u16at(2)) {
                    ext.add(r, c);
                }
            }
            0x0203 | 0x027E | 0x00FD | 0x0204 | 0x0205 | 0x0201 | 0x00D6 => {
                if let (Some(r), Some(c)) = (u16at(0), u16at(2)) {
                    ext.add(r, c);
                }
            }
            0x00BD | 0x00BE => {
                if let (Some(r), Some(c0), Some(c1)) =
                    (u16at(0), u16at(2), u16at(d.len().saturating_sub(2)))
                {
                    ext.add(r, c0);
                    ext.add(r, c1.max(c0));
                }
            }
            _ => {}
        }
    }
    ext.check("工作表", limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_positions() {
        assert_eq!(a1_pos("A1"), Some((0, 0)));
        assert_eq!(a1_pos("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(a1_pos("1A"), None);
    }
}
