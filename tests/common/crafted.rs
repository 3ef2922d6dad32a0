//! Crafted hostile workbooks, built in memory (never committed: some inflate to gigabytes).

use std::io::Write;

use flate2::{Compress, Compression, FlushCompress};

/// One zip entry: name, raw (deflated or stored) data, declared uncompressed size, crc.
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    pub method: u16,
    pub size: u32,
    pub crc: u32,
}

impl Entry {
    /// A normally deflated entry.
    pub fn deflated(name: &str, content: &[u8]) -> Entry {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), Compression::fast());
        e.write_all(content).unwrap();
        Entry {
            name: name.into(),
            data: e.finish().unwrap(),
            method: 8,
            size: content.len() as u32,
            crc: crc32fast::hash(content),
        }
    }

    /// An entry that inflates to `head`, then `chunk` repeated `times`, then `tail`, while
    /// declaring `declared` bytes (a lie when small). Built from byte-aligned, independently
    /// flushed deflate blocks, so a 2 GB entry costs only a few MB and milliseconds.
    pub fn bomb(
        name: &str,
        head: &[u8],
        chunk: &[u8],
        times: usize,
        tail: &[u8],
        declared: u32,
    ) -> Entry {
        let block = |input: &[u8], flush: FlushCompress| {
            let mut c = Compress::new(Compression::best(), false);
            let mut out = Vec::with_capacity(input.len() + 1024);
            c.compress_vec(input, &mut out, flush).unwrap();
            out
        };
        let mut data = block(head, FlushCompress::Full);
        let one = block(chunk, FlushCompress::Full);
        for _ in 0..times {
            data.extend_from_slice(&one);
        }
        data.extend(block(tail, FlushCompress::Finish));
        Entry {
            name: name.into(),
            data,
            method: 8,
            size: declared,
            crc: 0,
        }
    }
}

/// A zip file of the entries.
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(e.method.to_le_bytes());
            h.extend([0u8; 4]); // time, date
            h.extend(e.crc.to_le_bytes());
            h.extend((e.data.len() as u32).to_le_bytes());
            h.extend(e.size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attrs
                h.extend(0u32.to_le_bytes()); // external attrs
                h.extend(offset.to_le_bytes());
            }
            h.extend(name);
            h
        };
        out.extend(header(0x04034b50, false));
        out.extend(&e.data);
        central.extend(header(0x02014b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The parts every xlsx needs, around a given sheet1.xml and optional sharedStrings.xml.
pub fn xlsx(sheet: Entry, strings: Option<Entry>) -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let wb = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="进站活动月报" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wbrels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let mut entries = vec![
        Entry::deflated("[Content_Types].xml", ct.as_bytes()),
        Entry::deflated("_rels/.rels", rels.as_bytes()),
        Entry::deflated("xl/workbook.xml", wb.as_bytes()),
        Entry::deflated("xl/_rels/workbook.xml.rels", wbrels.as_bytes()),
        sheet,
    ];
    entries.extend(strings);
    zip(&entries)
}

/// sheet1.xml holding the given `<c>` cells in one row each.
pub fn sheet_xml(cells: &[&str]) -> Vec<u8> {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for c in cells {
        s.push_str(&format!("<row>{c}</row>"));
    }
    s.push_str("</sheetData></worksheet>");
    s.into_bytes()
}

/// An OLE compound file holding the named streams.
pub fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        let mut s = cf.create_stream(name).unwrap();
        s.write_all(data).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// A BIFF8 record.
pub fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend((data.len() as u16).to_le_bytes());
    v.extend(data);
    v
}

/// An xlsx whose one sheet inflates to 2 GiB of `<row>`s while its entry declares `declared`
/// bytes: about 2 MB on disk.
pub fn bomb_2gb(declared: u32) -> Vec<u8> {
    let head = br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
    let row = b"<row><c><v>1</v></c></row>";
    let chunk: Vec<u8> = row
        .iter()
        .copied()
        .cycle()
        .take(row.len() * 40_000)
        .collect(); // ~1 MB
    let times = (2u64 << 30) / chunk.len() as u64;
    xlsx(
        Entry::bomb(
            "xl/worksheets/sheet1.xml",
            head,
            &chunk,
            times as usize,
            b"</sheetData></worksheet>",
            declared,
        ),
        None,
    )
}
