//! The OOXML (.xlsx, .xlsm) parts the guard streams: each sheet's cell addresses and the
//! shared-strings count.

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

pub(super) fn sheet(r: &mut impl io::BufRead) -> io::Result<Extent> {
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
