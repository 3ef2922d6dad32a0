//! Packages that Excel and calamine open are read, however their zip paths are written:
//! backslashes (`xl\worksheets\sheet1.xml`, as some office tools write them) or every part at
//! the package root; and the guard bounds a sheet wherever the package puts it.

mod common;

use std::io::{Read, Write};

use liaison::check::{Status, check};
use liaison::config::Config;
use liaison::ingest::ingest_entry;
use liaison::text::Period;

/// Rewrites every entry of a package: `rename` gives the new name, `edit` the new bytes.
fn repack(
    bytes: &[u8],
    rename: impl Fn(&str) -> String,
    edit: impl Fn(&str, Vec<u8>) -> Vec<u8>,
) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let opts = zip::write::SimpleFileOptions::default();
        out.start_file(rename(&name), opts).unwrap();
        out.write_all(&edit(&name, data)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// (status, deputies_total) of one file checked alone as 北山镇's May.
fn read(bytes: Vec<u8>) -> (Status, Option<u64>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("北山镇.xlsx"), bytes).unwrap();
    let config = Config::embedded();
    let o = ingest_entry(dir.path(), "北山镇.xlsx", &config);
    let r = check(vec![o], Period::new(2022, 5).unwrap(), &config);
    let codes = r
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    let total = r.files[0]
        .totals
        .as_ref()
        .and_then(|t| t.get("deputies_total"));
    (r.files[0].status, total, codes)
}

fn tidy() -> Vec<u8> {
    std::fs::read(common::root().join("tests/fixtures/returns/tidy.xlsx")).unwrap()
}

/// Moves every part from `xl/` to the package root and points the relationships there.
fn at_root(name: &str) -> String {
    name.strip_prefix("xl/").unwrap_or(name).to_string()
}

fn retarget(_: &str, data: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(data).unwrap_or_default();
    text.replace("Target=\"/xl/", "Target=\"/")
        .replace("Target=\"xl/", "Target=\"")
        .replace("PartName=\"/xl/", "PartName=\"/")
        .into_bytes()
}

#[test]
fn backslash_and_root_packages_read_like_the_original() {
    let (status, want, _) = read(tidy());
    assert_eq!(status, Status::Ok);
    let backslashes = repack(&tidy(), |n| n.replace('/', "\\"), |_, d| d);
    assert_eq!(read(backslashes), (Status::Ok, want, vec![]));
    let root = repack(&tidy(), at_root, retarget);
    assert_eq!(read(root), (Status::Ok, want, vec![]));
}

#[test]
fn a_dense_sheet_is_refused_wherever_the_package_puts_it() {
    // The sheet's part moved to an unusual path, named by the relationships, and made dense:
    // a value in A1 and one in the last cell of the sheet.
    let dense = |name: &str, data: Vec<u8>| {
        let data = retarget(name, data);
        if name.ends_with("sheet1.xml") {
            let text = String::from_utf8(data).unwrap();
            let last = "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>";
            return text.replace("</sheetData>", last).into_bytes();
        }
        let text = String::from_utf8(data).unwrap_or_default();
        text.replace("worksheets/sheet1.xml", "parts/data/s.xml")
            .into_bytes()
    };
    let moved = |n: &str| at_root(n).replace("worksheets/sheet1.xml", "parts/data/s.xml");
    let (status, _, codes) = read(repack(&tidy(), moved, dense));
    assert_eq!(status, Status::Error);
    assert_eq!(codes, ["too_large"]);
}
