//! The OOXML (.xlsx, .xlsm) parts the guard streams: each sheet's cell addresses, the
//! shared-strings count, and the workbook part's recalculation flag.

use std::io;

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};

use super::Extent;
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
        .and_then(|v| crate::text::a1_position(&v))
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

/// Whether the workbook part says `<calcPr fullCalcOnLoad="1"/>`: written by xlsxwriter,
/// rust_xlsxwriter and other writers that store 0 (or nothing computed) as every formula's
/// result and leave the computing to the spreadsheet that opens the file. Excel, WPS and
/// LibreOffice drop the flag when they save, having computed the results. The part is read
/// to its end (its checksum verified).
pub(super) fn recalc_on_load(r: &mut impl io::BufRead) -> io::Result<bool> {
    let mut xml = XmlReader::from_reader(&mut *r);
    let mut buf = Vec::new();
    let recalc = loop {
        match xml.read_event_into(&mut buf).map_err(xml_err)? {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == "calcPr" => {
                break e.attributes().flatten().any(|a| {
                    a.key.local_name().as_ref() == "fullCalcOnLoad"
                        && matches!(&*a.value, "1" | "true")
                });
            }
            Event::Eof => return Ok(false),
            _ => {}
        }
        buf.clear();
    };
    drop(xml);
    io::copy(r, &mut io::sink())?;
    Ok(recalc)
}
