//! Merged areas calamine does not report: an OpenDocument sheet's spanned cells, read from
//! `content.xml` (calamine reads a covered cell as empty, which would count as 0).

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use calamine::Dimensions;
use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};

/// Every sheet's merged areas (more than one cell) by sheet name. A package that cannot be
/// read gives none: calamine's own read of it then fails and says why.
pub fn ods(bytes: &[u8]) -> HashMap<String, Vec<Dimensions>> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return HashMap::new();
    };
    let Ok(part) = zip.by_name("content.xml") else {
        return HashMap::new();
    };
    // The guard has already bounded the part's inflated size and its rows and columns.
    spans(BufReader::new(part))
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

fn count(e: &BytesStart, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}

fn spans(r: impl Read) -> HashMap<String, Vec<Dimensions>> {
    let mut xml = XmlReader::from_reader(BufReader::new(r));
    let mut buf = Vec::new();
    let mut out: HashMap<String, Vec<Dimensions>> = HashMap::new();
    let (mut sheet, mut row, mut col, mut row_rep) = (String::new(), 0u32, 0u32, 1u32);
    loop {
        let Ok(ev) = xml.read_event_into(&mut buf) else {
            return out;
        };
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    let name = attr(&e, "table:name").unwrap_or_default();
                    sheet = quick_xml::escape::unescape(&name)
                        .map(|v| v.into_owned())
                        .unwrap_or(name);
                    row = 0;
                }
                "table:table-row" => {
                    row_rep = count(&e, "table:number-rows-repeated");
                    col = 0;
                    if empty {
                        row = row.saturating_add(row_rep);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let rows = count(&e, "table:number-rows-spanned");
                    let cols = count(&e, "table:number-columns-spanned");
                    if rows > 1 || cols > 1 {
                        out.entry(sheet.clone()).or_default().push(Dimensions {
                            start: (row, col),
                            end: (row.saturating_add(rows - 1), col.saturating_add(cols - 1)),
                        });
                    }
                    let rep = count(&e, "table:number-columns-repeated");
                    col = col.saturating_add(rep);
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_rep);
            }
            Event::Eof => return out,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_repeated_rows_and_columns() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="月报">
              <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-repeated="2"/>
                <table:table-cell table:number-rows-spanned="2" office:value-type="float" office:value="57"/></table:table-row>
              <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell/></table:table-row>
            </table:table>
            <table:table table:name="说明"><table:table-row>
              <table:table-cell table:number-columns-spanned="4"/></table:table-row></table:table>
            </office:spreadsheet></office:body></office:document-content>"#;
        let m = spans(xml.as_bytes());
        let d = &m["月报"];
        assert_eq!((d[0].start, d[0].end), ((2, 2), (3, 2)));
        assert_eq!((m["说明"][0].start, m["说明"][0].end), ((0, 0), (0, 3)));
    }
}
