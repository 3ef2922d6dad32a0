//! Marked returns, special cases: a file that cannot be read gets the 退回说明 alone (which no
//! reader takes for a return or a ledger); text from the town that looks like a formula stays
//! text; a marked copy marked again carries one 退回说明; the deadline from `[schedule]`.

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use liaison::check::{Checked, check};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::{Disposition, ingest_entry};
use liaison::marks;
use rust_xlsxwriter::Workbook;

fn may() -> Period {
    Period::new(2022, 5).unwrap()
}

fn check_one(dir: &Path, name: &str, config: &Config) -> Checked {
    check(vec![ingest_entry(dir, name, config)], may(), config)
}

/// The marked copy of the one file of `dir`, written beside it in `out`; its name.
fn marked(dir: &Path, name: &str, config: &Config, out: &Path) -> String {
    let checked = check_one(dir, name, config);
    let plan = marks::plan(&checked.report, config);
    let s = &plan.send_backs[0];
    std::fs::create_dir_all(out).unwrap();
    let bytes = marks::marked_workbook(s, may(), config).unwrap();
    std::fs::write(out.join(&s.name), bytes).unwrap();
    s.name.clone()
}

/// Every text of a sheet of a workbook, joined.
fn sheet_text(path: &Path, sheet: &str) -> String {
    let mut wb = open_workbook_auto(path).unwrap();
    let r = wb.worksheet_range(sheet).unwrap();
    r.used_cells().map(|(_, _, d)| format!("{d}\n")).collect()
}

/// Every part of a zip package whose name starts with `prefix`, as text.
fn parts(path: &Path, prefix: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    let mut out = String::new();
    for n in names.iter().filter(|n| n.starts_with(prefix)) {
        zip.by_name(n).unwrap().read_to_string(&mut out).unwrap();
    }
    out
}

#[test]
fn a_file_that_cannot_be_read_gets_the_cover_alone_and_the_cover_is_no_return() {
    let config = Config::embedded();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    // A damaged workbook: the zip signature, then nothing a reader can use.
    std::fs::write(
        dir.join("北山镇5月.xlsx"),
        b"PK\x03\x04 damaged beyond repair",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let name = marked(&dir, "北山镇5月.xlsx", &config, &out);
    assert_eq!(name, "北山镇-2022年5月-退回修改.xlsx");
    let copy = out.join(&name);
    let wb = open_workbook_auto(&copy).unwrap();
    assert_eq!(wb.sheet_names(), vec!["退回说明".to_string()]);
    let text = sheet_text(&copy, "退回说明");
    assert!(text.contains("这个文件无法读取"), "{text}");
    assert!(
        text.contains("unreadable") || text.contains("损坏"),
        "{text}"
    );
    assert!(text.contains("另存为 .xlsx"), "{text}");
    // The cover alone is no return and no ledger: the copy is refused for lack of a header.
    let again = ingest_entry(&out, &name, &config);
    assert_eq!(again.disposition, Disposition::Refused);
    assert!(again.ret.is_none());
    let codes: Vec<String> = again.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["missing_column".to_string()],
        "{:?}",
        again.findings
    );
}

/// A return written by rust_xlsxwriter whose texts begin with `=`, with one negative figure.
fn return_with_formula_like_text(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("进站活动月报").unwrap();
    ws.write_string(0, 0, "长沙县人大代表联系群众工作站进站活动月报表")
        .unwrap();
    ws.write_string(1, 0, "填报单位：北山镇").unwrap();
    ws.write_string(1, 4, "报送月份：2022年5月").unwrap();
    let heads = [
        "序号",
        "工作站名称",
        "进站代表人数-全国",
        "进站代表人数-省",
        "进站代表人数-市",
        "进站代表人数-县",
        "进站代表人数-镇",
        "接待走访选民",
        "政策法规宣讲",
        "收集意见建议",
        "帮助解决问题",
        "活动方式-接待",
        "活动方式-入户",
        "活动方式-督事",
        "活动方式-帮忙",
        "活动方式-述职",
        "备注",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    let stations = [
        "=HYPERLINK(\"http://example.com\",\"飞跃社区工作站\")",
        "望仙村工作站",
    ];
    for (i, name) in stations.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        for c in 2..16u16 {
            let v = if i == 1 && c == 7 { -3.0 } else { 1.0 };
            ws.write_number(r, c, v).unwrap();
        }
        ws.write_string(r, 16, "=cmd|' /C calc'!A0").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn text_that_looks_like_a_formula_stays_text_and_no_formula_is_written() {
    let config = Config::embedded();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    return_with_formula_like_text(&dir.join("北山镇.xlsx"));
    let original = check_one(&dir, "北山镇.xlsx", &config);
    let codes: Vec<String> = original
        .report
        .diagnostics
        .iter()
        .filter(|d| d.file.is_some())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, vec!["negative_value".to_string()]);
    let out = tmp.path().join("out");
    let name = marked(&dir, "北山镇.xlsx", &config, &out);
    let copy = out.join(&name);
    // No formula anywhere in the copy.
    let sheets = parts(&copy, "xl/worksheets/sheet");
    assert!(
        !sheets.contains("<f>") && !sheets.contains("<f "),
        "a formula in the copy"
    );
    let mut wb = open_workbook_auto(&copy).unwrap();
    let r = wb.worksheet_range("进站活动月报").unwrap();
    assert_eq!(
        r.get_value((4, 1)),
        Some(&Data::String(
            "=HYPERLINK(\"http://example.com\",\"飞跃社区工作站\")".into()
        ))
    );
    assert_eq!(
        r.get_value((5, 16)),
        Some(&Data::String("=cmd|' /C calc'!A0".into()))
    );
    // Read back: the same station names, the same refusal.
    let again = check_one(&out, &name, &config);
    let codes2: Vec<String> = again
        .report
        .diagnostics
        .iter()
        .filter(|d| d.file.is_some())
        .map(|d| format!("{}@{:?}", d.code.as_str(), d.cell))
        .collect();
    assert_eq!(codes2, vec!["negative_value@Some(\"H6\")".to_string()]);
}

#[test]
fn a_marked_copy_marked_again_has_one_cover_and_the_same_sheets() {
    let config = Config::embedded();
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = liaison_root().join("tests/fixtures/returns");
    let first = tmp.path().join("1");
    let name = marked(&fixtures, "err_text_shier.xlsx", &config, &first);
    // Sent back unchanged: still the same error, marked again.
    let second = tmp.path().join("2");
    let name2 = marked(&first, &name, &config, &second);
    assert_eq!(name, name2);
    let wb = open_workbook_auto(second.join(&name2)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["退回说明".to_string(), "进站活动月报".to_string()]
    );
    // The rebuilt sheet is the same sheet, with the same marks (only the 退回说明 names
    // another file as received).
    let sheet = |p: &Path| parts(p, "xl/worksheets/sheet2.xml");
    let notes = |p: &Path| parts(p, "xl/comments");
    let (a, b) = (first.join(&name), second.join(&name2));
    assert!(
        sheet(&a) == sheet(&b),
        "the rebuilt sheet changed when marked again"
    );
    assert!(
        notes(&a) == notes(&b),
        "the notes changed when marked again"
    );
    assert!(!notes(&a).is_empty());
}

fn liaison_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_deadline_comes_from_the_schedule() {
    let text = liaison::config::DEFAULT_TOML.to_string() + "\n[schedule]\ndue_day = 20\n";
    let config = Config::from_toml(&text, "test").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = liaison_root().join("tests/fixtures/returns");
    let name = marked(&fixtures, "err_negative.xlsx", &config, tmp.path());
    let text = sheet_text(&tmp.path().join(name), "退回说明");
    assert!(
        text.contains("请于2022年6月20日前改正后重新报送。"),
        "{text}"
    );
    // Without the key there is no deadline.
    let name = marked(
        &fixtures,
        "err_negative.xlsx",
        &Config::embedded(),
        tmp.path(),
    );
    assert!(!sheet_text(&tmp.path().join(name), "退回说明").contains("请于"));
    // A day that is no day is refused, naming the key.
    let bad = liaison::config::DEFAULT_TOML.to_string() + "\n[schedule]\ndue_day = 0\n";
    let e = Config::from_toml(&bad, "test").unwrap_err().to_string();
    assert!(e.contains("due_day"), "{e}");
}
