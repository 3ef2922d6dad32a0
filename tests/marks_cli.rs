//! `liaison check --mark` from the command line: the month's folder `<output>/退回/<YYYY-MM>/`
//! (a marked copy per file with findings, 退回通知.md/.docx naming each unit, its cells and the
//! units to urge), replaced whole with the same bytes; inputs untouched; nothing written while
//! a publish holds the lock, or into the returns' own folder.

use crate::common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::{hash_tree, root, run};

/// A month of the sample returns in `tmp/input/2022-05`: 北山镇's replaced by a return with
/// "十二" at L5, 开慧镇's left out (a unit to urge).
fn month(tmp: &Path) -> std::path::PathBuf {
    let dir = tmp.join("input/2022-05");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(root().join("input/2022-05")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("北山镇") || name.starts_with("开慧镇") {
            continue;
        }
        std::fs::copy(&p, dir.join(&name)).unwrap();
    }
    std::fs::copy(
        root().join("tests/fixtures/returns/err_text_shier.xlsx"),
        dir.join("北山镇5月.xlsx"),
    )
    .unwrap();
    dir
}

fn docx_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|n| n.text())
        .collect()
}

#[test]
fn check_mark_writes_the_month_folder_whole_with_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = month(tmp.path());
    let (code, _, err) = run(tmp.path(), &["check", "input/2022-05", "--mark"], &input);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("退回修改表 4 份"), "{err}");
    let folder = tmp.path().join("output/退回/2022-05");
    let first = hash_tree(&folder);
    let names: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        vec![
            "北山镇-2022年5月-退回修改.xlsx",
            "春华镇-2022年5月-退回修改.xlsx",
            "退回通知.docx",
            "退回通知.md",
            "高桥镇-2022年5月-退回修改.xlsx",
            "黄花镇-2022年5月-退回修改.xlsx",
        ]
    );
    // The notice: the unit to correct with its cell, those to confirm, the one to urge.
    let md = std::fs::read_to_string(folder.join("退回通知.md")).unwrap();
    let fix = md.find("## 一、退回修改").expect(&md);
    let confirm = md.find("## 二、请核对").expect(&md);
    let urge = md.find("## 三、催报").expect(&md);
    assert!(fix < confirm && confirm < urge);
    let beishan = md.find("北山镇（填报人：张丽").expect(&md);
    assert!(fix < beishan && beishan < confirm);
    assert!(
        md[beishan..confirm].contains("“进站活动月报”表 L5 单元格"),
        "{md}"
    );
    assert!(md[beishan..confirm].contains("北山镇5月.xlsx"));
    for unit in ["春华镇", "高桥镇", "黄花镇"] {
        let at = md.find(unit).unwrap();
        assert!(confirm < at && at < urge, "{unit}");
    }
    assert!(md[urge..].contains("开慧镇"), "{md}");
    let docx = docx_text(&folder.join("退回通知.docx"));
    for words in ["退回通知", "北山镇", "L5", "催报", "开慧镇"] {
        assert!(docx.contains(words), "退回通知.docx lacks {words}");
    }
    // Again, with a stray file in the folder: the same bytes, the stray file gone.
    std::fs::write(folder.join("旧的.xlsx"), b"stale").unwrap();
    let (code, _, _) = run(tmp.path(), &["check", "input/2022-05", "--mark"], &input);
    assert_eq!(code, 1);
    assert_eq!(hash_tree(&folder), first);
    let left: Vec<String> = std::fs::read_dir(tmp.path().join("output/退回"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["2022-05".to_string()]);
    // The JSON document stays alone on stdout.
    let (_, out, err) = run(
        tmp.path(),
        &["check", "input/2022-05", "--mark", "--format", "json"],
        &input,
    );
    let doc: serde_json::Value = serde_json::from_str(&out).expect(&err);
    assert_eq!(doc["period"], "2022-05");
    assert_eq!(hash_tree(&folder), first);
}

#[test]
fn check_mark_while_a_publish_runs_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let input = month(tmp.path());
    let output = tmp.path().join("output");
    let lock = liaison::archive::lock::acquire(&output).unwrap();
    let before: BTreeMap<_, _> = hash_tree(&output);
    let (code, _, err) = run(tmp.path(), &["check", "input/2022-05", "--mark"], &input);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("另一个发布正在进行"), "{err}");
    assert!(err.contains("退回修改表也没有写出"), "{err}");
    assert_eq!(hash_tree(&output), before);
    assert!(!output.join("退回").exists());
    drop(lock);
    let (code, _, _) = run(tmp.path(), &["check", "input/2022-05", "--mark"], &input);
    assert_eq!(code, 1);
    assert!(output.join("退回/2022-05/退回通知.md").is_file());
}

#[test]
fn check_mark_refuses_an_output_inside_the_returns_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let input = month(tmp.path());
    let (code, _, err) = run(
        tmp.path(),
        &[
            "--output",
            "input/2022-05/out",
            "check",
            "input/2022-05",
            "--mark",
        ],
        &input,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("重叠"), "{err}");
    assert!(!input.join("out").exists());
}
