//! The OpenDocument (.ods) content the guard streams: rows and columns with their repeats.

use std::io;

use quick_xml::Reader as XmlReader;
use quick_xml::events::Event;

use super::xlsx::{attr, num, xml_err};
use super::{Extent, Refusal};
use crate::config::Limits;

pub(super) fn content(
    r: &mut impl io::BufRead,
    limits: &Limits,
) -> io::Result<Result<(), Refusal>> {
    let mut xml = XmlReader::from_reader(r);
    let mut buf = Vec::new();
    let (mut row, mut col, mut row_rep) = (0u64, 0u64, 1u64);
    let mut ext = Extent::default();
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
                    col = 0;
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
                    }
                    col = col.saturating_add(rep);
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_rep);
            }
            Event::Eof => return Ok(ext.check("工作表", limits)),
            _ => {}
        }
        buf.clear();
    }
}
