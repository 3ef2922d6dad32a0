//! Hostile files: encrypted, empty, truncated, foreign, and crafted to exhaust memory.
//! Each is refused with its code before any reader allocates from what it declares, and
//! the clean returns beside it still count exactly.

use crate::common;

use std::time::{Duration, Instant};

use common::crafted::{Entry, biff, ole, sheet_xml, xlsx, zip};
use liaison::config::Config;
use liaison::forms::monthly::ingest_entry;

/// Ingests `bytes` saved as `name`; returns the codes found and how long it took.
fn codes_of(name: &str, bytes: &[u8]) -> (Vec<String>, Duration) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let t = Instant::now();
    let o = ingest_entry(dir.path(), name, &Config::embedded());
    let took = t.elapsed();
    for f in &o.findings {
        assert!(
            !f.message.contains("内部错误"),
            "a reader panicked on {name}"
        );
        assert!(f.file.as_deref().unwrap().ends_with(name));
    }
    (o.findings.iter().map(|f| f.code.as_str()).collect(), took)
}

fn bomb(declared: u32) -> Vec<u8> {
    common::crafted::bomb_2gb(declared)
}

#[test]
fn a_2gb_zip_bomb_that_lies_about_its_size_is_refused_quickly() {
    let bytes = bomb(4096);
    assert!(
        bytes.len() < 8 << 20,
        "the bomb itself is small: {} bytes",
        bytes.len()
    );
    let (codes, took) = codes_of("炸弹.xlsx", &bytes);
    assert_eq!(codes, ["too_large"]);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_zip_that_declares_2gb_is_refused_before_inflating() {
    let (codes, took) = codes_of("炸弹2.xlsx", &bomb(u32::MAX));
    assert_eq!(codes, ["too_large"]);
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn a_sheet_with_only_a1_and_xfd1048576_is_refused() {
    let sheet = sheet_xml(&[
        r#"<c r="A1"><v>1</v></c>"#,
        r#"<c r="XFD1048576"><v>1</v></c>"#,
    ]);
    let (codes, _) = codes_of(
        "稀疏.xlsx",
        &xlsx(Entry::deflated("xl/worksheets/sheet1.xml", &sheet), None),
    );
    assert_eq!(codes, ["too_large"]);
}

#[test]
fn a_huge_declared_shared_string_count_is_refused() {
    let sheet = sheet_xml(&[r#"<c r="A1" t="s"><v>0</v></c>"#]);
    let sst = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>"#;
    let bytes = xlsx(
        Entry::deflated("xl/worksheets/sheet1.xml", &sheet),
        Some(Entry::deflated("xl/sharedStrings.xml", sst)),
    );
    assert_eq!(codes_of("字符串.xlsx", &bytes).0, ["too_large"]);
}

#[test]
fn encrypted_workbooks_are_named_as_such() {
    let ooxml = ole(&[
        ("/EncryptionInfo", b"\x04\x00\x04\x00"),
        ("/EncryptedPackage", &[7u8; 4096]),
    ]);
    assert_eq!(codes_of("加密.xlsx", &ooxml).0, ["encrypted_file"]);
    let mut stream = biff(0x0809, &[0, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    stream.extend(biff(0x002F, &[1, 0, 1, 0, 1, 0]));
    stream.extend(biff(0x000A, &[]));
    let xls = ole(&[("/Workbook", &stream)]);
    assert_eq!(codes_of("加密.xls", &xls).0, ["encrypted_file"]);
}

#[test]
fn an_xls_declaring_a_full_sheet_is_refused() {
    let bof = biff(0x0809, &[0, 6, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut dims = Vec::new();
    dims.extend(0u32.to_le_bytes());
    dims.extend(65_536u32.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    dims.extend(256u16.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    let mut stream = biff(0x0809, &[0, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    stream.extend(biff(0x000A, &[]));
    stream.extend(bof);
    stream.extend(biff(0x0200, &dims));
    stream.extend(biff(0x000A, &[]));
    assert_eq!(
        codes_of("维度.xls", &ole(&[("/Workbook", &stream)])).0,
        ["too_large"]
    );
}

#[test]
fn an_ods_repeating_a_value_over_the_whole_sheet_is_refused() {
    let content = br#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="x"><table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let bytes = zip(&[
        Entry::deflated(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        Entry::deflated("content.xml", content),
    ]);
    assert_eq!(codes_of("重复.ods", &bytes).0, ["too_large"]);
}

#[test]
fn empty_truncated_and_foreign_bytes_are_unreadable() {
    let real = std::fs::read(common::root().join("tests/fixtures/returns/tidy.xlsx")).unwrap();
    let xls = std::fs::read(common::root().join("tests/fixtures/returns/tidy_xlwt.xls")).unwrap();
    for (name, bytes) in [
        ("空.xlsx", Vec::new()),
        ("截断.xlsx", real[..real.len() / 2].to_vec()),
        ("截断.xls", xls[..xls.len() / 2].to_vec()),
        (
            "乱码.xls",
            (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        (
            "网页.xls",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>".to_vec(),
        ),
        (
            "压缩包.xlsx",
            zip(&[Entry::deflated("readme.txt", b"hello")]),
        ),
    ] {
        let (codes, _) = codes_of(name, &bytes);
        assert_eq!(codes, ["unreadable_file"], "{name}");
    }
}

#[test]
fn a_folder_of_hostile_files_still_counts_the_clean_return_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let month = dir.path().join("2022-05");
    std::fs::create_dir(&month).unwrap();
    let sample = common::root().join("input/2022-05/北山镇月报.xlsx");
    std::fs::copy(&sample, month.join("北山镇月报.xlsx")).unwrap();
    std::fs::write(month.join("金井镇炸弹.xlsx"), bomb(4096)).unwrap();
    std::fs::write(month.join("开慧镇.xlsx"), b"").unwrap();
    std::fs::write(month.join("~$北山镇月报.xlsx"), b"lock").unwrap();
    let (code, out, _) = common::run(
        dir.path(),
        &["check", "2022-05", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    let by = |n: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(&format!("/{n}")))
            .unwrap()
            .clone()
    };
    assert_eq!(by("北山镇月报.xlsx")["status"], "ok");
    assert_eq!(by("北山镇月报.xlsx")["totals"]["voters_received"], 193);
    assert_eq!(by("金井镇炸弹.xlsx")["status"], "error");
    assert_eq!(
        by("金井镇炸弹.xlsx")["unit"],
        "jinjing",
        "a refused file counts for the unit its name gives"
    );
    assert_eq!(by("开慧镇.xlsx")["status"], "error");
    assert_eq!(by("~$北山镇月报.xlsx")["status"], "ignored");
    let missing = doc["missing_units"].as_array().unwrap();
    assert_eq!(missing.len(), 15, "18 units less 北山, 金井 and 开慧");
    assert!(!missing.iter().any(|u| u == "jinjing" || u == "kaihui"));
}

#[test]
fn csv_files_are_bounded_as_they_are_parsed() {
    // Two cells a million columns apart: no dense row of a million cells is allocated.
    let wide = format!("1{}1\n", ",".repeat(1_000_000));
    let (codes, took) = codes_of("宽.csv", wide.as_bytes());
    assert_eq!(codes, ["too_large"]);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    // More rows than the limit.
    let rows = Config::embedded().limits.max_rows;
    let tall = "1\n".repeat(rows as usize + 2);
    let (codes, _) = codes_of("长.csv", tall.as_bytes());
    assert_eq!(codes, ["too_large"]);
    // Bytes that are not text, under a .csv name.
    let (codes, _) = codes_of("二进制.csv", &[0x00, 0x01, 0x02, 0xff, 0x00]);
    assert_eq!(codes, ["unreadable_file"]);
    // A workbook saved under a .csv name is read by its bytes, as the workbook it is.
    let (codes, _) = codes_of("改名.csv", &bomb(u32::MAX));
    assert_eq!(codes, ["too_large"]);
}
