//! The cut parts: byte for byte where they are cut, whole where anything is uncertain, and
//! read by calamine as the file is.

use super::*;

const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="[&gt;=100]0;&quot;a&gt;b&quot;"/></x:numFmts><x:fonts count="1"><x:font><x:sz val="11"/></x:font></x:fonts><x:cellStyleXfs count="1"><x:xf numFmtId="0"/></x:cellStyleXfs><x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="164" applyNumberFormat="1"><x:alignment horizontal="center"/></x:xf></x:cellXfs><x:cellStyles count="1"/></x:styleSheet>"#;

#[test]
fn keeps_the_number_and_cell_formats_byte_for_byte() {
    let slim = String::from_utf8(styles(FULL.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        slim,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="[&gt;=100]0;&quot;a&gt;b&quot;"/></x:numFmts><x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="164" applyNumberFormat="1"><x:alignment horizontal="center"/></x:xf></x:cellXfs></x:styleSheet>"#
    );
}

#[test]
fn a_raw_gt_in_an_attribute_does_not_end_the_tag() {
    let xml = r#"<styleSheet a="1>0"><numFmts count="1"><numFmt numFmtId="164" formatCode="[>=100]0"/></numFmts><cellXfs count="1"><xf numFmtId="164"/></cellXfs></styleSheet>"#;
    let slim = String::from_utf8(styles(xml.as_bytes()).unwrap()).unwrap();
    assert_eq!(slim, xml);
}

#[test]
fn the_order_written_is_kept() {
    let xml = r#"<styleSheet><cellXfs count="1"><xf numFmtId="164"/></cellXfs><fonts/><numFmts count="1"><numFmt numFmtId="164" formatCode="0"/></numFmts></styleSheet>"#;
    let slim = String::from_utf8(styles(xml.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        slim,
        r#"<styleSheet><cellXfs count="1"><xf numFmtId="164"/></cellXfs><numFmts count="1"><numFmt numFmtId="164" formatCode="0"/></numFmts></styleSheet>"#
    );
}

#[test]
fn a_name_inside_another_or_an_attribute_is_not_the_element() {
    let xml = r#"<styleSheet><fonts a="cellXfs "/><mycellXfs/><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>"#;
    let slim = String::from_utf8(styles(xml.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        slim,
        r#"<styleSheet><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>"#
    );
}

#[test]
fn anything_uncertain_is_kept_whole() {
    for xml in [
        "<styleSheet><!-- <cellXfs> --><cellXfs/></styleSheet>",
        "<styleSheet><fonts/></styleSheet>",
        "<styleSheet/>",
        "<styleSheet><cellXfs><xf/>",
        "<styleSheet><![CDATA[x]]><cellXfs/></styleSheet>",
        "<styleSheet><cellXfs/><cellXfs/></styleSheet>",
        "<styleSheet><fonts name=\"cellXfs\"/><cellXfs/><x cellXfs=\"1\"/></styleSheet>",
    ] {
        assert!(styles(xml.as_bytes()).is_none(), "{xml}");
    }
    assert!(styles(&[0xff, 0xfe, b'<', 0]).is_none());
}

#[test]
fn a_sheet_loses_its_empty_cells_only() {
    let xml = r#"<worksheet><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="2"/><c r="C1"><f>A1</f></c><c r="D1" s="3" t="n" /></row><row r="2"><c r="A2" s="1"/></row></sheetData><mergeCells/></worksheet>"#;
    let slim = String::from_utf8(sheet(xml.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        slim,
        r#"<worksheet><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="C1"><f>A1</f></c></row><row r="2"></row></sheetData><mergeCells/></worksheet>"#
    );
    // Elements named like a cell (`<cx>`) are not cells; a `>` in a quoted value ends no tag.
    let odd = r#"<sheetData><row r="1" x="a>b"><cx r="A1"/><c r="B1" s="1"/><c r="C1" t="str"><v>&lt;c r="D1"/&gt;</v></c></row></sheetData>"#;
    let slim = String::from_utf8(sheet(odd.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        slim,
        r#"<sheetData><row r="1" x="a>b"><cx r="A1"/><c r="C1" t="str"><v>&lt;c r="D1"/&gt;</v></c></row></sheetData>"#
    );
    let x = r#"<x:worksheet xmlns:x="m"><x:sheetData><x:row><x:c r="A1" s="1"/><x:col/></x:row></x:sheetData></x:worksheet>"#;
    let slim = String::from_utf8(sheet(x.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        slim,
        r#"<x:worksheet xmlns:x="m"><x:sheetData><x:row><x:col/></x:row></x:sheetData></x:worksheet>"#
    );
}

#[test]
fn a_sheet_is_kept_whole_where_a_place_could_move() {
    for xml in [
        // A cell without its place takes the one after the cell before it.
        r#"<sheetData><row><c r="A1" s="1"/><c><v>1</v></c></row></sheetData>"#,
        r#"<sheetData><row><c s="1"/></row></sheetData>"#,
        r#"<sheetData><row><c r="a1" s="1"/></row></sheetData>"#,
        r#"<sheetData><row><c r="A01" s="1"/></row></sheetData>"#,
        r#"<sheetData><row><c r="A1" r="B1"/></row></sheetData>"#,
        r#"<sheetData><row><c r="A1" foo="1"/></row></sheetData>"#,
        r#"<sheetData><!-- x --><row><c r="A1" s="1"/></row></sheetData>"#,
        r#"<sheetData><row><c r="A1" s="1"/><?x y?></row></sheetData>"#,
        r#"<sheetData><row><c r="A1" s="1"/><c r="B1"><is><t><![CDATA[<c r="C1"/>]]></t></is></c></row></sheetData>"#,
        r#"<sheetData><row><c r="A1"><v>1</v></c></row></sheetData>"#,
        r#"<sheetData/>"#,
    ] {
        assert!(sheet(xml.as_bytes()).is_none(), "{xml}");
    }
}

#[test]
fn themes_are_dropped_styles_slimmed_others_kept() {
    assert!(matches!(kept("xl/theme/theme1.xml", b""), Kept::Drop));
    assert!(matches!(
        kept("xl/styles.xml", FULL.as_bytes()),
        Kept::Slim(_)
    ));
    assert!(matches!(kept("xl/worksheets/sheet1.xml", b""), Kept::Keep));
    assert!(matches!(
        kept("xl/styles.xml", b"<styleSheet/>"),
        Kept::Keep
    ));
}

/// A minimal .xlsx package with `sheet` as its one sheet's XML.
fn package(sheet: &str, styles: &str) -> Vec<u8> {
    use std::io::Write;
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="月报" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        ),
        ("xl/styles.xml", styles),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// What calamine reads of the package the guard cut (every cell with a value, as the
/// reading takes them), beside what it reads of the file as it came.
fn both(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
    use crate::workbook::{Format, Workbook};
    let limits = crate::config::Limits::default();
    let package = super::super::guard(bytes, Format::Xlsx, &limits).unwrap();
    let read = |b: &[u8]| {
        let mut wb = Workbook::open(b, Format::Xlsx, &package).unwrap();
        let grid = wb.grid("月报", true, &limits).unwrap();
        let ((r0, c0), (r1, c1)) = grid.bounds().unwrap();
        let mut out = Vec::new();
        for r in r0..=r1 {
            for c in c0..=c1 {
                let v = grid.raw(r, c);
                if !matches!(v, calamine::Data::Empty) {
                    out.push(format!(
                        "{}{}={v:?}",
                        crate::core::text::column_name(c),
                        r + 1
                    ));
                }
            }
        }
        out
    };
    (read(package.stored.as_deref().unwrap()), read(bytes))
}

#[test]
fn the_cut_package_reads_as_the_file_does() {
    let styles = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills><borders count="1"><border/></borders><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="0" borderId="0"/></cellXfs></styleSheet>"#;
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
    // Every cell names its place: the empty ones are left out, the rest read the same
    // (a date stays a date).
    let named = format!(
        r#"<worksheet {ns}><sheetData><row r="1"><c r="A1" s="2"/><c r="B1" s="1"><v>44700</v></c><c r="C1" s="2"/></row><row r="2"><c r="A2" s="2"/><c r="B2"><v>7</v></c></row></sheetData></worksheet>"#
    );
    let bytes = package(&named, styles);
    let (cut, whole) = both(&bytes);
    assert_eq!(cut, whole);
    assert_eq!(cut.len(), 2, "{cut:?}");
    assert!(cut[0].starts_with("B1=DateTime"), "{cut:?}");
    // A cell without its place follows the empty one before it: the sheet is kept whole
    // and the 7 stays in C2.
    let unnamed = format!(
        r#"<worksheet {ns}><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" s="2"/><c r="B2" s="2"/><c><v>7</v></c></row></sheetData></worksheet>"#
    );
    let (cut, whole) = both(&package(&unnamed, styles));
    assert_eq!(cut, whole);
    assert_eq!(cut, ["A1=Float(1.0)", "C2=Float(7.0)"]);
}

#[test]
fn the_quick_reading_of_an_empty_cell_agrees_with_the_full_one() {
    let quick = [
        r#"<c r="B5" s="3"/>"#,
        r#"<c r="XFD1048576"/>"#,
        r#"<c r="AA10" s="12"/>"#,
    ];
    let slow_only = [
        r#"<c r="B5" s="3" />"#,
        r#"<c r="B05" s="3"/>"#,
        r#"<c r="b5"/>"#,
        r#"<c r="ABCD5"/>"#,
        r#"<c r="B12345678"/>"#,
        r#"<c r='B5'/>"#,
        r#"<c s="3" r="B5"/>"#,
        r#"<c r="B5" s=""/>"#,
        r#"<c r="B5" s="3" t="n"/>"#,
        r#"<c r="B5" s="3"><v>1</v></c>"#,
        r#"<c r="B5""#,
        r#"<c r=""#,
    ];
    for xml in quick.iter().chain(&slow_only) {
        let fast = plain_empty(xml.as_bytes(), 2);
        let full = cell_tag(xml, 2).map(|t| (t.end, t.empty && t.plain));
        match fast {
            Some(end) => assert_eq!(full, Some((end, true)), "{xml}"),
            None => assert!(!quick.contains(xml), "{xml}"),
        }
    }
}
