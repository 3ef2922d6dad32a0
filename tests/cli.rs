//! The command line on the sample returns: JSON document, exit codes, inputs untouched.

use crate::common;

use common::{county_totals, root, run};

#[test]
fn sample_may_checks_clean_with_the_seed_totals() {
    let r = root();
    let (code, out, err) = run(
        &r,
        &["check", "input/2022-05", "--format", "json"],
        &r.join("input"),
    );
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["period"], "2022-05");
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 18);
    assert!(files.iter().all(|f| f["status"] == "ok"));
    assert!(
        files
            .iter()
            .all(|f| f["path"].as_str().unwrap().starts_with("input/2022-05/"))
    );
    assert!(
        files
            .iter()
            .all(|f| f["sha256"].as_str().unwrap().len() == 64)
    );
    let stations: u64 = files.iter().map(|f| f["stations"].as_u64().unwrap()).sum();
    assert_eq!(stations, 125);
    let t = county_totals(&doc);
    assert_eq!(t["deputies_total"], 1160);
    assert_eq!(t["voters_received"], 7237);
    assert_eq!(t["publicity_sessions"], 122);
    assert_eq!(t["suggestions_collected"], 563);
    assert_eq!(t["problems_solved"], 123);
    assert_eq!(doc["missing_units"].as_array().unwrap().len(), 0);
    // Every unit exactly once.
    let mut units: Vec<&str> = files.iter().map(|f| f["unit"].as_str().unwrap()).collect();
    units.sort();
    units.dedup();
    assert_eq!(units.len(), 18);
    // Keys of the document are exactly those of SPEC §4.
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["period", "files", "missing_units", "diagnostics"]);
    for d in doc["diagnostics"].as_array().unwrap() {
        let k: Vec<&String> = d.as_object().unwrap().keys().collect();
        assert_eq!(
            k,
            [
                "severity", "code", "file", "sheet", "cell", "unit", "message"
            ]
        );
        assert_eq!(d["severity"], "warning");
    }
}

#[test]
fn period_defaults_to_folder_name_and_june_is_clean() {
    let r = root();
    let (code, out, _) = run(
        &r,
        &["check", "--period", "2022-06", "--format", "json"],
        &r.join("input"),
    );
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["period"], "2022-06");
    assert_eq!(doc["files"].as_array().unwrap().len(), 18);
}

#[test]
fn text_output_is_a_chinese_table() {
    let r = root();
    let (code, out, _) = run(&r, &["check", "input/2022-05"], &r.join("input"));
    assert_eq!(code, 0);
    assert!(
        out.contains("工作站数") && out.contains("星沙街道") && out.contains("通过"),
        "{out}"
    );
    assert!(out.contains("结论"), "{out}");
}

#[test]
fn wrong_period_is_refused_with_exit_1() {
    let r = root();
    let (code, out, _) = run(
        &r,
        &[
            "check",
            "input/2022-05",
            "--period",
            "2022-06",
            "--format",
            "json",
        ],
        &r.join("input"),
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mismatches = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "period_mismatch")
        .count();
    assert_eq!(mismatches, 18);
    assert!(
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "error" && f["totals"].is_null())
    );
}

#[test]
fn usage_problems_exit_2() {
    let r = root();
    let (code, _, err) = run(&r, &["check", "input/no-such-month"], &r.join("input"));
    assert_eq!(code, 2);
    assert!(err.contains("no-such-month"), "{err}");
    // 2022-5 is a month since issue 26 (SPEC §7: --period accepts the forms of §3);
    // a month that is none is still a usage problem.
    let (code, _, _) = run(&r, &["check", "--period", "2022-5x"], &r.join("input"));
    assert_eq!(code, 2);
    let (code, _, err) = run(
        &r,
        &["--config", "no-such.toml", "check", "input/2022-05"],
        &r.join("input"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("no-such.toml"), "{err}");
    let (code, _, _) = run(&r, &["check", "src"], &r.join("input"));
    assert_eq!(code, 2, "a folder not named YYYY-MM needs --period");
}

#[test]
fn config_show_prints_a_config_that_reads_back() {
    let r = root();
    let (code, out, _) = run(&r, &["config", "show"], &r.join("config"));
    assert_eq!(code, 0);
    assert!(out.contains("长沙县") && out.contains("[limits]"));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("copy.toml");
    std::fs::write(&p, &out).unwrap();
    let (code, out2, err) = run(
        &r,
        &["--config", p.to_str().unwrap(), "config", "show"],
        &r.join("config"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, out2);
}

/// `liaison check … | head`: a reader that has gone ends the program quietly with 0, for the
/// JSON document (written through an error-returning writer) and the text table (print!).
#[test]
fn a_closed_pipe_ends_quietly_with_0() {
    let root = common::root();
    for args in [
        vec!["check", "input/2022-05", "--format", "json"],
        vec!["check", "input/2022-05"],
        vec!["config", "show"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("liaison"))
            .current_dir(&root)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes before anything is written
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        // Nothing on stderr but the note that no archive is at output/ (issue 22: `check`
        // says what it did not compare), and never an error about the pipe.
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.lines()
                .all(|l| l.starts_with("提示：在 ") && l.contains("没有找到档案")),
            "{args:?}: {err}"
        );
    }
}
