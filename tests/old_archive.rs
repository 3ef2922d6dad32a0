//! An archive written by the earlier version (`tests/fixtures/archive-v1`, made before the store
//! listed its datasets: manifests with `history`, `ledger`, `receipts` fields, intents with
//! `ledger_staging`, `receipts_staging`, `staged_outside`) opens, verifies, lists its ledger,
//! feeds a summary and is republished over by this version; its interrupted publish is completed.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{hash_tree, root};

fn fixture(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/archive-v1").join(name)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// Runs the binary in `cwd` with the receipt log's clock the fixture was made with.
fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .current_dir(cwd)
        .env("LIAISON_NOW", "2022-07-05T09:30:00+08:00")
        .env("TZ", "UTC")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file of the datasets, by path, with its sha256.
fn datasets(out: &Path) -> BTreeMap<String, String> {
    ["history", "ledger", "receipts"]
        .iter()
        .flat_map(|d| {
            hash_tree(&out.join(d))
                .into_iter()
                .map(move |(k, v)| (format!("{d}/{k}"), v))
        })
        .collect()
}

/// Every cell of every sheet of a workbook as text, punctuation folded to one width (the
/// findings quoted in 数据校验 changed only in punctuation between the versions).
fn cells(path: &Path) -> BTreeMap<(String, u32, u32), String> {
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).unwrap();
    let mut out = BTreeMap::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            let text: String = v
                .to_string()
                .chars()
                .map(|ch| match ch {
                    '，' => ',',
                    '：' => ':',
                    '；' => ';',
                    '（' => '(',
                    '）' => ')',
                    '“' | '”' => '"',
                    other => other,
                })
                .filter(|ch| *ch != ' ')
                .collect();
            out.insert((name.clone(), r as u32, c as u32), text);
        }
    }
    assert!(out.len() > 500, "{}: {} cells", path.display(), out.len());
    out
}

#[test]
fn an_earlier_versions_archive_verifies_lists_summarises_and_republishes() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path();
    let out = w.join("output");
    copy_tree(&fixture("published"), &out);
    copy_tree(&root().join("input"), &w.join("input"));
    let before = datasets(&out);
    assert_eq!(before.len(), 6, "{before:#?}");

    let (code, stdout, stderr) = run(w, &["archive", "verify"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("共 8 项，全部与清单一致"), "{stdout}");
    for item in [
        "history/period=2022-05",
        "ledger/period=2022-06",
        "receipts/period=2022-06",
    ] {
        assert!(stdout.contains(item), "{item}: {stdout}");
    }
    assert!(
        stdout.contains("该月发布计入的 18 个版本都在收文登记中"),
        "{stdout}"
    );

    let (code, stdout, stderr) = run(w, &["ledger", "--period", "2022-06"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("截至2022年6月底全部意见建议 1085 条"),
        "{stdout}"
    );

    let (code, stdout, stderr) = run(w, &["summary", "--from", "2022-05", "--to", "2022-06"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        out.join("summaries/2022年5月至6月").is_dir(),
        "{stdout}{stderr}"
    );

    // Republished with the same returns: every file but the manifest (which now names the
    // earlier publication it replaced) and the workbook is the earlier version's, byte for byte,
    // and so is every partition. The workbook's figures are the earlier version's; its 数据校验
    // sheet quotes the findings in this version's punctuation (full-width ，：（）“”, issue 26).
    let (code, stdout, stderr) = run(w, &["report", "--period", "2022-06", "--force"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("原发布已改名保留为"), "{stdout}");
    let mut new = hash_tree(&out.join("2022-06"));
    let mut old = hash_tree(&fixture("published/2022-06"));
    assert!(new.remove("manifest.json").is_some());
    assert!(old.remove("manifest.json").is_some());
    let book = "长沙县2022年6月代表进站活动汇总表.xlsx";
    assert!(new.remove(book).is_some() && old.remove(book).is_some());
    assert_eq!(new.len(), 41);
    assert_eq!(new, old);
    assert_eq!(
        cells(&out.join("2022-06").join(book)),
        cells(&fixture("published/2022-06").join(book))
    );
    assert_eq!(datasets(&out), before);
    let (code, stdout, stderr) = run(w, &["archive", "verify"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn an_earlier_versions_interrupted_publish_is_completed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    copy_tree(&fixture("interrupted"), &out);
    let intent: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(".intent.json")).unwrap()).unwrap();
    assert_eq!(intent["ledger_staging"], ".staging/ledger-2022-05-15350");
    let building = out.join(".building-2022-05-15350");
    let new = liaison::archive::Manifest::read(&building).unwrap();
    let staged_ledger = common::hash_tree(&out.join(".staging/ledger-2022-05-15350"));
    let staged_receipts = common::hash_tree(&out.join(".staging/receipts-2022-05-15350"));

    let archive = liaison::archive::Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
    assert_eq!(archive.recovered.as_deref(), Some("2022-05"));
    let rows = archive.verify();
    assert!(rows.iter().all(|r| r.ok), "{rows:#?}");
    drop(archive);

    // The new publication in, the earlier one aside, each partition the new one.
    let m = liaison::archive::Manifest::read(&out.join("2022-05")).unwrap();
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        serde_json::to_value(&new).unwrap()
    );
    assert!(out.join("2022-05.replaced-1/manifest.json").is_file());
    assert_eq!(
        common::hash_tree(&out.join("ledger/period=2022-05")),
        staged_ledger
    );
    assert_eq!(
        common::hash_tree(&out.join("receipts/period=2022-05")),
        staged_receipts
    );
    let history = out.join("history/period=2022-05/part-0.parquet");
    assert_eq!(
        liaison::archive::swap::file_sha(&history),
        Some(intent["partition_sha256"].as_str().unwrap().to_string())
    );
    // Nothing half-built is left, and the receipts of the new publication are all logged.
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".lock",
            "2022-05",
            "2022-05.replaced-1",
            "history",
            "ledger",
            "receipts"
        ]
    );
}

#[test]
fn an_archive_of_a_version_before_the_ledger_and_the_receipt_log_still_verifies_and_republishes() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path();
    let out = w.join("output");
    copy_tree(&fixture("published"), &out);
    copy_tree(&root().join("input"), &w.join("input"));
    // As the versions before the ledger wrote it: no `ledger`, `sources` nor `receipts` in the
    // manifests, no ledger nor receipt log datasets.
    for month in ["2022-05", "2022-06"] {
        let path = out.join(month).join("manifest.json");
        let mut m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for field in ["ledger", "sources", "receipts"] {
            assert!(m.as_object_mut().unwrap().remove(field).is_some());
        }
        std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
        let m = liaison::archive::Manifest::read(&out.join(month)).unwrap();
        let names: Vec<&str> = m.datasets.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["history"]);
    }
    std::fs::remove_dir_all(out.join("ledger")).unwrap();
    std::fs::remove_dir_all(out.join("receipts")).unwrap();
    let history = hash_tree(&out.join("history"));

    let (code, stdout, stderr) = run(w, &["archive", "verify"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("共 4 项，全部与清单一致"), "{stdout}");
    assert!(stdout.contains("history/period=2022-06"), "{stdout}");

    let (code, stdout, stderr) = run(w, &["report", "--period", "2022-06", "--force"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(hash_tree(&out.join("history")), history);
    let m = liaison::archive::Manifest::read(&out.join("2022-06")).unwrap();
    let names: Vec<&str> = m.datasets.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["history", "ledger", "receipts"]);
    let (code, stdout, stderr) = run(w, &["archive", "verify"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("ledger/period=2022-06"), "{stdout}");
    assert!(stdout.contains("receipts/period=2022-06"), "{stdout}");
}
