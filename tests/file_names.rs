//! File names that are not UTF-8 (GBK names from old mail and zip tools): every file is read
//! once by its real name, shown by a readable name of its own, and attributed to its unit.

#![cfg(unix)]

use crate::common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use common::{county_totals, root};
use liaison::check::{Status, check};
use liaison::config::Config;
use liaison::core::text::Period;
use sha2::{Digest, Sha256};

fn gbk(name: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(name);
    assert!(!unmappable, "{name}");
    bytes.into_owned()
}

fn sha(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The sample May with every file name in GBK, except two named with bytes that are neither
/// UTF-8 nor GBK; returns the folder and, per raw name, the source file's sha256.
fn gbk_month() -> (tempfile::TempDir, Vec<(Vec<u8>, String)>) {
    let src = root().join("input/2022-05");
    let dir = tempfile::tempdir().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut made = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let raw = match i {
            0 => b"\xff\xfe.xlsx".to_vec(),
            1 => b"\xfe\xff.xlsx".to_vec(),
            _ => gbk(name),
        };
        let ext = Path::new(name).extension().unwrap().to_str().unwrap();
        let raw = if i < 2 {
            [&raw[..2], b".", ext.as_bytes()].concat()
        } else {
            raw
        };
        assert!(
            std::str::from_utf8(&raw).is_err(),
            "{name} is not UTF-8 once encoded"
        );
        std::fs::copy(src.join(name), dir.path().join(OsStr::from_bytes(&raw))).unwrap();
        made.push((raw, sha(&src.join(name))));
    }
    // The folder holds names that collide once converted lossily.
    let lossy: BTreeSet<String> = made
        .iter()
        .map(|(r, _)| String::from_utf8_lossy(r).into_owned())
        .collect();
    assert!(
        lossy.len() < made.len(),
        "some names collide after lossy conversion"
    );
    (dir, made)
}

#[test]
fn gbk_named_returns_are_each_read_once_with_exact_figures() {
    let (dir, made) = gbk_month();
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .args(["check", "--period", "2022-05", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 18);
    assert!(files.iter().all(|f| f["status"] == "ok"), "{text}");
    let paths: BTreeSet<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths.len(), 18, "one path per file");
    // Each file read once: the digests are exactly those of the 18 sources.
    let got: BTreeSet<&str> = files
        .iter()
        .map(|f| f["sha256"].as_str().unwrap())
        .collect();
    let want: BTreeSet<&str> = made.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(got, want);
    let units: BTreeSet<&str> = files.iter().map(|f| f["unit"].as_str().unwrap()).collect();
    assert_eq!(units.len(), 18);
    let t = county_totals(&doc);
    assert_eq!(t["deputies_total"], 1160);
    assert_eq!(t["voters_received"], 7237);
    assert_eq!(t["publicity_sessions"], 122);
    assert_eq!(t["suggestions_collected"], 563);
    assert_eq!(t["problems_solved"], 123);
    // Readable names: decoded and marked, or escaped.
    assert!(
        paths.contains(
            format!(
                "{}/星沙街道5月报表(修改).xlsx（文件名编码为 GBK）",
                dir.path().display()
            )
            .as_str()
        ),
        "{paths:#?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("/\\xff\\xfe.xlsx")),
        "{paths:#?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("/\\xfe\\xff.xlsx")),
        "{paths:#?}"
    );

    // Published: the copies of the returns keep the real names.
    let archive = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .arg("--output")
        .arg(archive.path())
        .args(["report", "--period", "2022-05"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copied: BTreeSet<Vec<u8>> = std::fs::read_dir(archive.path().join("2022-05/returns"))
        .unwrap()
        .map(|e| e.unwrap().file_name().as_bytes().to_vec())
        .collect();
    let raw: BTreeSet<Vec<u8>> = made.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(copied, raw);
}

#[test]
fn a_refused_gbk_named_file_counts_for_the_unit_its_name_gives() {
    let dir = tempfile::tempdir().unwrap();
    let name = gbk("开慧镇5月报表.xlsx");
    std::fs::write(dir.path().join(OsStr::from_bytes(&name)), b"not a workbook").unwrap();
    // Two names that GBK decodes alike (0x80 and 0xA2E3 are both €): still two files.
    for raw in [&b"\x80.xlsx"[..], &b"\xa2\xe3.xlsx"[..]] {
        std::fs::write(dir.path().join(OsStr::from_bytes(raw)), raw).unwrap();
    }
    let config = Config::embedded();
    let outcomes = liaison::forms::monthly::ingest_dir(dir.path(), &config).unwrap();
    let checked = check(outcomes, Period::new(2022, 5).unwrap(), &config);
    let report = &checked.report;
    assert_eq!(report.files.len(), 3);
    let kaihui = report
        .files
        .iter()
        .find(|f| f.path.ends_with("开慧镇5月报表.xlsx（文件名编码为 GBK）"))
        .expect("shown decoded");
    assert_eq!(kaihui.unit.as_deref(), Some("kaihui"));
    assert_eq!(kaihui.status, Status::Error);
    assert!(!report.missing_units.contains(&"kaihui".to_string()));
    let finding = report
        .diagnostics
        .iter()
        .find(|d| d.file.as_deref() == Some(kaihui.path.as_str()))
        .unwrap();
    assert_eq!(finding.code.as_str(), "unreadable_file");
    assert!(!finding.message.contains("属性"), "{}", finding.message);
    let paths: BTreeSet<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), 3, "{paths:#?}");
    let digests: BTreeSet<&str> = report
        .files
        .iter()
        .map(|f| f.sha256.as_deref().unwrap())
        .collect();
    assert_eq!(digests.len(), 3, "each file read by its own name");
}
