//! The OOXML (.xlsx, .xlsm) parts the guard streams: each sheet's cell addresses (or merged
//! areas), the shared-strings count, the workbook part's sheets and recalculation flag, rels.

use std::io;

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};

use calamine::Dimensions;

use super::Extent;
use super::parts::Rel;
use super::{Refusal, too_large};
use crate::config::Limits;

pub(super) fn xml_err(e: quick_xml::Error) -> io::Error {
    match e {
        quick_xml::Error::Io(io) => io::Error::new(io.kind(), io.to_string()),
        other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
    }
}

pub(super) fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

pub(super) fn num(v: &str) -> Option<u64> {
    v.trim().parse().ok()
}

/// A sheet's used extent from the cells that hold something (a value, inline text or a
/// formula), by their references (or their order where a writer left them out). A cell that
/// only carries a format — a whole column formatted down to row 1,048,576 — is not read by
/// calamine and does not count.
pub(super) fn sheet(r: &mut impl io::BufRead) -> io::Result<Extent> {
    let mut xml = XmlReader::from_reader(r);
    let mut buf = Vec::new();
    let mut ext = Extent::default();
    let (mut row, mut col) = (0u64, 0u64);
    let mut open: Option<(u64, u64)> = None;
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                row = attr(&e, "r")
                    .and_then(|v| num(&v))
                    .map_or(row + 1, |r| r.saturating_sub(1));
                col = 0;
            }
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let at = position(&e, row, col);
                (row, col) = (at.0, at.1 + 1);
                open = Some(at);
            }
            Event::Empty(e) if e.local_name().as_ref() == "c" => {
                let at = position(&e, row, col);
                (row, col) = (at.0, at.1 + 1);
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(e.local_name().as_ref(), "v" | "is" | "f") =>
            {
                if let Some(at) = open.take() {
                    ext.add(at.0, at.1);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "c" => open = None,
            Event::Eof => return Ok(ext),
            _ => {}
        }
        buf.clear();
    }
}

/// A cell's position: its reference, or the next one in its row.
fn position(e: &BytesStart, row: u64, col: u64) -> (u64, u64) {
    attr(e, "r")
        .and_then(|v| crate::core::text::a1_position(&v))
        .unwrap_or((row, col))
}

pub(super) fn strings(
    r: &mut impl io::BufRead,
    limits: &Limits,
) -> io::Result<Result<(), Refusal>> {
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
                            "共享字符串声明有 {n} 个（上限 {}）",
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

/// The workbook part's sheets (name, relationship id) and whether it says
/// `<calcPr fullCalcOnLoad="1"/>`: written by xlsxwriter, rust_xlsxwriter and other writers
/// that store 0 (or nothing computed) as every formula's result and leave the computing to
/// the spreadsheet that opens the file. Excel, WPS and LibreOffice drop the flag when they
/// save, having computed the results. The part is read to its end (its checksum verified).
pub(super) fn workbook_part(r: &mut impl io::BufRead) -> io::Result<(bool, Vec<(String, String)>)> {
    let mut xml = XmlReader::from_reader(&mut *r);
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let recalc = loop {
        match xml.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Empty(e) | Event::Start(e)
                if e.local_name().as_ref() == "sheet" && sheets.len() < MAX_ENTRIES =>
            {
                sheets.extend(sheet_entry(&e));
            }
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "calcPr" => {
                break e.attributes().flatten().any(|a| {
                    a.key.local_name().as_ref() == "fullCalcOnLoad"
                        && matches!(&*a.value, "1" | "true")
                });
            }
            Event::Eof => break false,
            _ => {}
        }
        buf.clear();
    };
    drop(xml);
    io::copy(r, &mut io::sink())?;
    Ok((recalc, sheets))
}

/// A `<sheet name=… r:id=…>` as calamine reads it: the name unescaped, the id as written.
fn sheet_entry(e: &BytesStart) -> Option<(String, String)> {
    let (mut name, mut id) = (None, None);
    for a in e.attributes() {
        let a = a.ok()?;
        let key: &str = a.key.as_ref();
        if key == "name" {
            name = Some(quick_xml::escape::unescape(&a.value).ok()?.into_owned());
        } else if key == "id" || key.split_once(':').is_some_and(|(_, local)| local == "id") {
            id = Some(a.value.into_owned());
        }
    }
    Some((name?, id.unwrap_or_default()))
}

/// The relationships of a `.rels` part, as written; `None` when it is not XML (the part is
/// still read to its end: whether calamine needs it is calamine's to say).
pub(super) fn rels(r: &mut impl io::BufRead) -> io::Result<Option<Vec<Rel>>> {
    let mut xml = XmlReader::from_reader(&mut *r);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let read = loop {
        match xml.read_event_into(&mut buf) {
            Err(quick_xml::Error::Io(e)) => return Err(io::Error::new(e.kind(), e.to_string())),
            Err(_) => break false,
            Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "Relationship" => {
                if out.len() == MAX_ENTRIES {
                    break false; // not a real workbook's: left to calamine
                }
                if let Some(id) = attr(&e, "Id") {
                    out.push(Rel {
                        id,
                        typ: attr(&e, "Type").unwrap_or_default(),
                        target: attr(&e, "Target").unwrap_or_default(),
                    });
                }
            }
            Ok(Event::Eof) => break true,
            _ => {}
        }
        buf.clear();
    };
    drop(xml);
    io::copy(r, &mut io::sink())?;
    Ok(read.then_some(out))
}

/// Sheets or relationships kept of one part: what the guard keeps stays small whatever a
/// hostile part holds (a real workbook has a few dozen).
const MAX_ENTRIES: usize = 4096;

/// Bytes kept from before a chunk, to find the key across chunk ends and the `<` before it.
const BACK: usize = 256;

/// A sheet part inflated to its end, with its merged areas as calamine reads them (the
/// `<mergeCell ref>` of the first `<mergeCells>`); only the bytes from there on are parsed.
/// `None` where they cannot be read for certain here (a reference calamine reads otherwise,
/// XML that does not parse from there): the reading then asks calamine.
pub(super) fn merges(r: &mut impl io::BufRead) -> io::Result<Option<Vec<Dimensions>>> {
    let finder = memchr::memmem::Finder::new(b"mergeCells");
    let mut window: Vec<u8> = Vec::with_capacity(BACK + 8192);
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let n = chunk.len();
        window.extend_from_slice(chunk);
        r.consume(n);
        if let Some(hit) = finder.find(&window) {
            let Some(lt) = memchr::memrchr(b'<', &window[..hit]) else {
                io::copy(r, &mut io::sink())?;
                return Ok(None);
            };
            let from = window.split_off(lt);
            return merges_from(io::Read::chain(io::Cursor::new(from), &mut *r));
        }
        let keep = window.len().saturating_sub(BACK);
        window.drain(..keep);
    }
}

/// The merged areas of the first `<mergeCells>` in `r` (which starts at a `<`), reading `r`
/// to its end.
fn merges_from(r: impl io::Read) -> io::Result<Option<Vec<Dimensions>>> {
    let mut r = io::BufReader::new(r);
    let mut xml = XmlReader::from_reader(&mut r);
    // It starts somewhere in the sheet: end tags of elements opened before are expected.
    xml.config_mut().check_end_names = false;
    xml.config_mut().allow_unmatched_ends = true;
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let (mut inside, mut out) = (false, Some(Vec::new()));
    loop {
        match xml.read_event_into(&mut buf) {
            Err(quick_xml::Error::Io(e)) => return Err(io::Error::new(e.kind(), e.to_string())),
            Err(_) | Ok(Event::Eof) => {
                out = None;
                break;
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "mergeCells" => inside = true,
            Ok(Event::Start(e)) if inside && e.local_name().as_ref() == "mergeCell" => {
                let area = attr(&e, "ref").as_deref().and_then(dimensions);
                match (area, out.as_mut()) {
                    (Some(a), Some(v)) => v.push(a),
                    _ => out = None,
                }
            }
            Ok(Event::End(e)) if inside && e.local_name().as_ref() == "mergeCells" => break,
            _ => {}
        }
        buf.clear();
    }
    drop(xml);
    io::copy(&mut r, &mut io::sink())?;
    Ok(out)
}

/// `A1` or `A1:C2` as calamine reads a merged area; `None` for anything else (`$A$1`, a
/// whole row or column, a number past the sheet's size): left to calamine.
fn dimensions(text: &str) -> Option<Dimensions> {
    let mut parts = text.split(':').map(cell);
    let start = parts.next()??;
    let end = match parts.next() {
        None => start,
        Some(end) => end?,
    };
    parts.next().is_none().then_some(Dimensions { start, end })
}

/// A plain cell reference (letters then digits) as a 0-based (row, column).
fn cell(text: &str) -> Option<(u32, u32)> {
    let digits = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, rows) = text.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    if rows.len() > 7 || !rows.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |c, b| {
        c * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row: u32 = rows.parse().ok()?;
    ((1..=1_048_576).contains(&row) && col <= 16_384).then(|| (row - 1, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_references_read_as_calamine_or_left_to_it() {
        let d = |s: &str| dimensions(s).map(|d| (d.start, d.end));
        assert_eq!(d("A1:C2"), Some(((0, 0), (1, 2))));
        assert_eq!(d("b3"), Some(((2, 1), (2, 1))));
        assert_eq!(
            d("XFD1048576"),
            Some(((1_048_575, 16_383), (1_048_575, 16_383)))
        );
        for odd in [
            "$A$1:B2", "A:B", "1:2", "A0", "A1:B2:C3", "XFE1", "A1048577", "",
        ] {
            assert_eq!(d(odd), None, "{odd}");
        }
    }

    #[test]
    fn merges_are_found_across_chunk_ends_and_after_text_that_names_them() {
        let tail = r#"<mergeCells count="2"><mergeCell ref="A1:D1"/><x:mergeCell ref="B2:B3"/></mergeCells><pageMargins/></worksheet>"#;
        let cells = "<c r=\"A1\" t=\"inlineStr\"><is><t>mergeCells</t></is></c>".repeat(400);
        let sheet = format!("<worksheet><sheetData><row r=\"1\">{cells}</row></sheetData>{tail}");
        for cap in [7, 64, 8192] {
            let mut r = io::BufReader::with_capacity(cap, sheet.as_bytes());
            let m = merges(&mut r).unwrap().unwrap();
            assert_eq!(m.len(), 2, "buffer of {cap}");
            assert_eq!((m[1].start, m[1].end), ((1, 1), (2, 1)));
        }
        let none = "<worksheet><sheetData/></worksheet>";
        assert_eq!(merges(&mut none.as_bytes()).unwrap(), Some(Vec::new()));
    }
}
