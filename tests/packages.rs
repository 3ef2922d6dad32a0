//! Packages that Excel and calamine open are read, however their zip paths are written:
//! backslashes (`xl\worksheets\sheet1.xml`, as some office tools write them) or every part at
//! the package root; and the guard bounds a sheet wherever the package puts it.

use crate::common;

use std::io::{Read, Write};

use common::crafted::{Entry, zip};
use liaison::check::{Status, check};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::ingest_entry;

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
    let r_checked = check(vec![o], Period::new(2022, 5).unwrap(), &config);
    let r = &r_checked.report;
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

/// tidy.xlsx's entries, each deflated again, with `extra` added and `swap` applied.
fn entries_of(bytes: &[u8], swap: impl Fn(&str, Vec<u8>) -> Entry) -> Vec<Entry> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().into_owned();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            swap(&name, data)
        })
        .collect()
}

#[test]
fn a_hidden_sheet_is_bounded_though_never_read() {
    // A second, hidden sheet with a value in A1 and one in the last cell: the reading never
    // reads it, so the guard's full pass bounds it.
    let dense = br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
    let mut entries = entries_of(&tidy(), |name, data| {
        let text = String::from_utf8(data.clone()).unwrap_or_default();
        let data = match name {
            "xl/workbook.xml" => text
                .replace(
                    "</sheets>",
                    r#"<sheet name="底稿" sheetId="2" state="hidden" r:id="rId9" /></sheets>"#,
                )
                .into_bytes(),
            "xl/_rels/workbook.xml.rels" => text
                .replace(
                    "</Relationships>",
                    r#"<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml" Id="rId9" /></Relationships>"#,
                )
                .into_bytes(),
            _ => data,
        };
        Entry::deflated(name, &data)
    });
    let (status, want, _) = read(zip(&entries));
    assert_eq!(
        status,
        Status::Ok,
        "a hidden sheet of a normal size is fine"
    );
    assert!(want.is_some());
    entries.push(Entry::deflated("xl/worksheets/sheet2.xml", dense));
    let (status, _, codes) = read(zip(&entries));
    assert_eq!(
        (status, codes),
        (Status::Error, vec!["too_large".to_string()])
    );
}

#[test]
fn a_bomb_in_a_part_no_reader_reads_is_refused() {
    // The theme part declares 4 KB and inflates to 2 GB: calamine never opens it, the guard
    // inflates it under the budget.
    let chunk = vec![b' '; 1 << 20];
    let entries = entries_of(&tidy(), |name, data| {
        if name == "xl/theme/theme1.xml" {
            Entry::bomb(name, b"<a:theme>", &chunk, 2048, b"</a:theme>", 4096)
        } else {
            Entry::deflated(name, &data)
        }
    });
    let (status, _, codes) = read(zip(&entries));
    assert_eq!(
        (status, codes),
        (Status::Error, vec!["too_large".to_string()])
    );
}

/// Every .xlsx under `dir`, recursively.
fn xlsx_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            xlsx_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xlsx") {
            out.push(p);
        }
    }
}

#[test]
fn merged_areas_taken_on_the_guards_pass_are_calamines() {
    use calamine::{Reader, Xlsx};
    use liaison::workbook::Format;
    use liaison::workbook::guard;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    xlsx_files(&root.join("tests/fixtures"), &mut files);
    xlsx_files(&root.join("input"), &mut files);
    let mut packages: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).unwrap()))
        .collect();
    // Other zip layouts of the same return: backslashes, every part at the root.
    packages.push((
        "backslashes".into(),
        repack(&tidy(), |n| n.replace('/', "\\"), |_, d| d),
    ));
    packages.push(("at the root".into(), repack(&tidy(), at_root, retarget)));
    let limits = Config::embedded().limits;
    let (mut sheets, mut taken, mut merged) = (0, 0, 0);
    for (name, bytes) in &packages {
        let Ok(package) = guard::guard(bytes, Format::Xlsx, &limits) else {
            continue; // refused by the guard: never read
        };
        let Ok(mut wb) = Xlsx::new(std::io::Cursor::new(bytes.as_slice())) else {
            continue;
        };
        let ours = package.parts.sheet_merges();
        for sheet in wb.sheet_names() {
            let theirs = wb.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
            sheets += 1;
            merged += usize::from(!theirs.is_empty());
            if let Some(m) = ours.get(&sheet) {
                taken += 1;
                assert_eq!(m, &theirs, "{name} › {sheet}");
            }
        }
    }
    // The guard's pass serves (nearly) every sheet; calamine is asked only where it cannot.
    assert!(
        merged > 20,
        "the fixtures have merged areas to compare ({merged})"
    );
    assert!(
        taken * 10 >= sheets * 9,
        "{taken} of {sheets} sheets served by the guard's pass"
    );
}
