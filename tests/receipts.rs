//! The receipt log (收文登记) over a month's sequence, from the command line: first versions,
//! two sent back, the corrections, the publish. Its rows are exactly the versions seen, each
//! once; 报送情况 shows them; `archive verify` finds every counted version in it; a check
//! that cannot take the lock records nothing; the dataset stays a Hive dataset polars reads.

use crate::common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{hash_tree, root};
use liaison::receipts::{Receipt, read};

/// Runs the binary in `cwd` at the moment `now` (the receipt log's clock).
fn run_at(cwd: &Path, now: &str, args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .current_dir(cwd)
        .env("LIAISON_NOW", now)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The sample month without 北山镇 and 开慧镇, in `tmp/input/2022-05`.
fn month(tmp: &Path) -> PathBuf {
    let dir = tmp.join("input/2022-05");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(root().join("input/2022-05")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("北山镇") && !name.starts_with("开慧镇") {
            std::fs::copy(&p, dir.join(&name)).unwrap();
        }
    }
    dir
}

fn log(tmp: &Path) -> Vec<Receipt> {
    read(&tmp.join("output/receipts/period=2022-05/part-0.parquet")).unwrap()
}

fn sha(p: &Path) -> String {
    use sha2::Digest;
    liaison::core::text::hex(&sha2::Sha256::digest(std::fs::read(p).unwrap()))
}

#[test]
fn a_months_receipts_are_exactly_the_versions_seen() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let input = month(t);
    let fixtures = root().join("tests/fixtures");
    // Day 1: 16 returns and 北山镇's first version ("十二" at L5): sent back.
    let v1 = input.join("北山镇5月.xlsx");
    std::fs::copy(fixtures.join("returns/err_text_shier.xlsx"), &v1).unwrap();
    let sha1 = sha(&v1);
    let (code, _, err) = run_at(
        t,
        "2022-06-01T09:00:00+08:00",
        &["check", "input/2022-05", "--mark"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("收文登记：新登记 17 个版本"), "{err}");
    assert_eq!(log(t).len(), 17);
    // Day 2: 北山镇's second version, still wrong (a negative figure): sent back again.
    std::fs::remove_file(&v1).unwrap();
    let v2 = input.join("北山镇5月(改).xlsx");
    std::fs::copy(fixtures.join("returns/err_negative.xlsx"), &v2).unwrap();
    let sha2 = sha(&v2);
    let (code, _, err) = run_at(t, "2022-06-02T10:00:00+08:00", &["check", "input/2022-05"]);
    assert_eq!(code, 1);
    assert!(err.contains("新登记 1 个版本"), "{err}");
    // A check while a publish holds the lock records nothing, and says so.
    let before = hash_tree(&t.join("output/receipts"));
    {
        let _lock = liaison::archive::lock::acquire(&t.join("output")).unwrap();
        std::fs::write(input.join("草稿.xlsx"), b"not yet").unwrap();
        let (_, _, err) = run_at(t, "2022-06-02T11:00:00+08:00", &["check", "input/2022-05"]);
        assert!(err.contains("没有登记到收文登记簿"), "{err}");
        assert_eq!(hash_tree(&t.join("output/receipts")), before);
        std::fs::remove_file(input.join("草稿.xlsx")).unwrap();
    }
    // Day 3: 北山镇 corrects the marked copy (openpyxl at L5) and sends it back; 开慧镇 reports.
    std::fs::remove_file(&v2).unwrap();
    let v3 = input.join("北山镇-2022年5月-退回修改.xlsx");
    std::fs::copy(fixtures.join("marks/err_text_shier-改正.xlsx"), &v3).unwrap();
    let sha3 = sha(&v3);
    let kaihui = root().join("input/2022-05/开慧镇进站活动月报表.ods");
    std::fs::copy(&kaihui, input.join("开慧镇进站活动月报表.ods")).unwrap();
    let (code, _, err) = run_at(t, "2022-06-03T09:00:00+08:00", &["check", "input/2022-05"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("新登记 2 个版本"), "{err}");
    // Checked again: nothing new, the log not even rewritten.
    let before = hash_tree(&t.join("output/receipts"));
    let (_, _, err) = run_at(t, "2022-06-03T15:00:00+08:00", &["check", "input/2022-05"]);
    assert!(!err.contains("新登记"), "{err}");
    assert_eq!(hash_tree(&t.join("output/receipts")), before);
    // Day 4: the publish.
    let (code, out, err) = run_at(t, "2022-06-04T09:00:00+08:00", &["report", "input/2022-05"]);
    assert_eq!(code, 0, "{out}{err}");
    let rows = log(t);
    assert_eq!(rows.len(), 20, "every version once: {rows:#?}");
    let mut shas: Vec<&str> = rows.iter().map(|r| r.sha256.as_str()).collect();
    shas.sort();
    shas.dedup();
    assert_eq!(shas.len(), 20);
    let beishan: Vec<&Receipt> = rows
        .iter()
        .filter(|r| r.unit_id.as_deref() == Some("beishan"))
        .collect();
    let got: Vec<(&str, &str, &str, &str)> = beishan
        .iter()
        .map(|r| {
            (
                r.sha256.as_str(),
                r.first_seen.as_str(),
                r.status.as_str(),
                r.file.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                sha1.as_str(),
                "2022-06-01T09:00:00+08:00",
                "error",
                "北山镇5月.xlsx"
            ),
            (
                sha2.as_str(),
                "2022-06-02T10:00:00+08:00",
                "error",
                "北山镇5月(改).xlsx"
            ),
            (
                sha3.as_str(),
                "2022-06-03T09:00:00+08:00",
                "ok",
                "北山镇-2022年5月-退回修改.xlsx"
            ),
        ]
    );
    assert_eq!(beishan[0].codes, vec!["invalid_value".to_string()]);
    assert_eq!(beishan[1].codes, vec!["negative_value".to_string()]);
    assert!(
        beishan
            .iter()
            .all(|r| r.modified.as_deref().is_some_and(|m| m.len() == 25))
    );
    // Every other unit: one version, first seen on day 1 (开慧镇 on day 3), accepted.
    for r in rows
        .iter()
        .filter(|r| r.unit_id.as_deref() != Some("beishan"))
    {
        assert_eq!(r.status, "ok", "{r:?}");
        let day = if r.unit_id.as_deref() == Some("kaihui") {
            "03"
        } else {
            "01"
        };
        assert!(r.first_seen.starts_with(&format!("2022-06-{day}")), "{r:?}");
    }
    // The manifest names the counted versions; verify finds each in the log.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.join("output/2022-05/manifest.json")).unwrap())
            .unwrap();
    let receipts = manifest["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "receipts")
        .unwrap();
    assert_eq!(receipts["path"], "receipts/period=2022-05");
    let counted = receipts["counted"].as_array().unwrap();
    assert_eq!(counted.len(), 18);
    assert!(counted.iter().any(|c| c == sha3.as_str()));
    assert!(
        !counted
            .iter()
            .any(|c| c == sha1.as_str() || c == sha2.as_str())
    );
    let (code, out, err) = run_at(t, "2022-06-04T10:00:00+08:00", &["archive", "verify"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("receipts/period=2022-05"), "{out}");
    // 报送情况: versions, sent back, first received, the accepted one.
    let book = t.join("output/2022-05/长沙县2022年5月代表进站活动汇总表.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&book).unwrap();
    let sheet = wb.worksheet_range("报送情况").unwrap();
    let row = |unit: &str| -> Vec<String> {
        sheet
            .rows()
            .find(|r| r.first().is_some_and(|d| *d == unit))
            .unwrap_or_else(|| panic!("no row for {unit}"))
            .iter()
            .map(Data::to_string)
            .collect()
    };
    let head: Vec<String> = sheet
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(Data::to_string)
        .collect();
    assert_eq!(
        head[6..10],
        ["收到\n版本数", "退回\n次数", "首次收到", "通过的\n版本"]
    );
    assert_eq!(
        row("北山镇")[6..10],
        ["3", "2", "2022-06-01 09:00", "第3版"]
    );
    assert_eq!(
        row("开慧镇")[6..10],
        ["1", "0", "2022-06-03 09:00", "第1版"]
    );
    assert_eq!(
        row("星沙街道")[6..10],
        ["1", "0", "2022-06-01 09:00", "第1版"]
    );
    // A verify that finds a counted version missing from the log says so (exit 1).
    let part = t.join("output/receipts/period=2022-05/part-0.parquet");
    let kept: Vec<Receipt> = rows.iter().filter(|r| r.sha256 != sha3).cloned().collect();
    std::fs::write(&part, liaison::receipts::parquet_bytes(&kept).unwrap()).unwrap();
    let (code, out, _) = run_at(t, "2022-06-05T10:00:00+08:00", &["archive", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&sha3[..12]), "{out}");
}

/// The dataset is a Hive dataset: only `period=` folders of finished partitions, read by
/// polars' Hive reader with the period from the folder name.
#[test]
fn the_receipt_log_is_a_hive_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    month(t);
    run_at(t, "2022-06-01T09:00:00+08:00", &["check", "input/2022-05"]);
    let dir = t.join("output/receipts");
    let entries: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, vec!["period=2022-05".to_string()]);
    let left: Vec<String> = std::fs::read_dir(t.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".liaison-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let df = liaison::history::scan_hive(&dir)
        .unwrap()
        .collect()
        .unwrap();
    assert_eq!(df.height(), 16);
    let names: Vec<&str> = df.get_column_names().iter().map(|s| s.as_str()).collect();
    for col in [
        "unit_id",
        "file",
        "sha256",
        "first_seen",
        "modified",
        "status",
        "codes",
        "period",
    ] {
        assert!(names.contains(&col), "{names:?}");
    }
}
