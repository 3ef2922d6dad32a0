//! 2,000 copies of one return: every copy is refused as a `duplicate_return` naming it, and
//! memory and output grow with the number of files, not with its square.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const COPIES: usize = 2_000;

/// Peak RSS (KiB) of the child, and its stdout. `/usr/bin/time` is the parent of the child:
/// measured from this (larger) test process, wait4 would count our own memory too.
fn run_measured(dir: &Path, out: &Path) -> (u64, i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("liaison");
    let rss_file = out.join("rss.txt");
    let stdout = std::fs::File::create(out.join("stdout.json")).unwrap();
    let mut child = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&rss_file)
        .arg(bin)
        .arg("--output")
        .arg(out.join("archive"))
        .args(["check", "--period", "2022-05", "--format", "json"])
        .arg(dir)
        .stdout(stdout)
        .spawn()
        .expect("/usr/bin/time runs the binary");
    let t0 = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(t0.elapsed() < Duration::from_secs(600), "check hangs");
        std::thread::sleep(Duration::from_millis(100));
    };
    let rss = std::fs::read_to_string(&rss_file).unwrap();
    let kib: u64 = rss.lines().last().unwrap().trim().parse().unwrap();
    let json = std::fs::read_to_string(out.join("stdout.json")).unwrap();
    (kib, status.code().unwrap_or(-1), json)
}

#[test]
fn two_thousand_copies_are_linear_in_memory_and_output() {
    let src = common::root().join("input/2022-05/北山镇月报.xlsx");
    let dir = tempfile::tempdir().unwrap();
    for i in 0..COPIES {
        let name = format!("北山镇月报 - 副本 ({i:04}).xlsx");
        std::fs::copy(&src, dir.path().join(name)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let (kib, code, json) = run_measured(dir.path(), out.path());
    let mib = kib as f64 / 1024.0;
    eprintln!(
        "{COPIES} copies: peak RSS {mib:.1} MiB, JSON {} bytes",
        json.len()
    );
    assert_eq!(code, 1, "duplicates are errors");
    assert!(mib < 200.0, "peak RSS {mib:.1} MiB");
    // Linear: about a kilobyte per file (the quadratic form was 130 KB per file here).
    assert!(json.len() < COPIES * 2_000, "JSON of {} bytes", json.len());
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), COPIES);
    let diags = doc["diagnostics"].as_array().unwrap();
    let dups: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["code"] == "duplicate_return")
        .collect();
    assert_eq!(dups.len(), COPIES, "one finding per copy");
    let first = files[0]["path"].as_str().unwrap();
    let first_name = Path::new(first).file_name().unwrap().to_str().unwrap();
    for f in files {
        assert_eq!(f["status"], "error");
        assert_eq!(f["unit"], "beishan");
        let path = f["path"].as_str().unwrap();
        let name = Path::new(path).file_name().unwrap().to_str().unwrap();
        let mine: Vec<_> = dups.iter().filter(|d| d["file"] == path).collect();
        assert_eq!(mine.len(), 1, "{path}");
        let msg = mine[0]["message"].as_str().unwrap();
        assert!(msg.contains(name) && msg.contains(first_name), "{msg}");
        assert_eq!(mine[0]["unit"], "beishan");
    }
    // The first copy's finding lists every copy, each once.
    let listing = dups.iter().find(|d| d["file"] == first).unwrap()["message"]
        .as_str()
        .unwrap();
    for f in files {
        let path = f["path"].as_str().unwrap();
        let name = Path::new(path).file_name().unwrap().to_str().unwrap();
        assert_eq!(listing.matches(name).count(), 1, "{name}");
    }
    assert!(
        listing.contains(&format!("有 {COPIES} 份报表")),
        "{listing}"
    );
}
