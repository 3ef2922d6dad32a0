//! What a clerk sees, pinned: `check`'s Chinese text and its JSON document for the sample
//! month. A change to either shows as a diff to review (`cargo insta review`), not silently.

use crate::common;

/// Runs `liaison` from the repository root with an empty archive (no history to compare).
fn check(args: &[&str]) -> String {
    let archive = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .current_dir(common::root())
        .arg("--output")
        .arg(archive.path())
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sample_month_check_text() {
    insta::assert_snapshot!("check_2022_05_text", check(&["check", "input/2022-05"]));
}

#[test]
fn sample_month_check_json() {
    let json = check(&["check", "input/2022-05", "--format", "json"]);
    serde_json::from_str::<serde_json::Value>(&json).expect("one JSON document");
    insta::assert_snapshot!("check_2022_05_json", json);
}
