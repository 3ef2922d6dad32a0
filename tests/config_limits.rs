//! A config is bounded input like any return: names and counts have limits (a clear error, not
//! a matcher that exhausts memory), only a regular file of bounded size is read (a FIFO or
//! /dev/zero never hangs), and huge reading limits never wrap.

use crate::common;

use std::time::Duration;

use common::{county_totals, root};
use liaison::config::{Config, DEFAULT_TOML};

/// Runs the binary with a time limit, so a hang fails the test instead of stalling it.
fn liaison(args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .current_dir(root())
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn config_error(text: &str) -> String {
    Config::from_toml(text, "big.toml").unwrap_err().to_string()
}

#[test]
fn a_10_mb_unit_name_or_alias_is_a_clear_config_error() {
    let huge = "星".repeat(10 * 1024 * 1024 / 3);
    let named = DEFAULT_TOML.replacen("name = \"星沙街道\"", &format!("name = \"{huge}\""), 1);
    let err = config_error(&named);
    assert!(
        err.contains("[[units]]") && err.contains("超过 100 个字"),
        "{err}"
    );
    assert!(err.len() < 400, "the message quotes only the start: {err}");
    let aliased = DEFAULT_TOML.replacen(
        "aliases = [\"星沙\"",
        &format!("aliases = [\"{huge}\", \"星沙\""),
        1,
    );
    assert_ne!(aliased, DEFAULT_TOML);
    let err = config_error(&aliased);
    assert!(
        err.contains("星沙街道 的 aliases") && err.contains("超过"),
        "{err}"
    );
    // As a file: refused for its size before it is parsed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    std::fs::write(&path, &named).unwrap();
    let (code, _, err) = liaison(&["--config", path.to_str().unwrap(), "config", "show"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("超过 4 MB") && err.contains("big.toml"),
        "{err}"
    );
}

#[test]
fn too_many_aliases_is_a_clear_config_error() {
    let many: Vec<String> = (0..1001).map(|i| format!("\"别名{i}\"")).collect();
    let text = DEFAULT_TOML.replacen(
        "aliases = [\"星沙\"",
        &format!("aliases = [{}, \"星沙\"", many.join(", ")),
        1,
    );
    let err = config_error(&text);
    assert!(err.contains("aliases 超过 1000 项"), "{err}");
    // Within the bounds, the largest names still make a working config.
    let long: Vec<String> = (0..999)
        .map(|i| format!("\"{}{i}\"", "长".repeat(95)))
        .collect();
    let text = DEFAULT_TOML.replacen(
        "aliases = [\"星沙\"",
        &format!("aliases = [{}, \"星沙\"", long.join(", ")),
        1,
    );
    let c = Config::from_toml(&text, "ok.toml").unwrap();
    assert_eq!(c.units[0].aliases.len(), 1000);
}

#[test]
fn measure_words_are_short_and_few_so_the_header_pattern_always_compiles() {
    let long = DEFAULT_TOML.replacen(
        "measure_words = [\"人次\"",
        "measure_words = [\"人次人次人次人次人次人次\"",
        1,
    );
    assert_ne!(long, DEFAULT_TOML);
    assert!(config_error(&long).contains("measure_words 中的“人次人次"));
    let words: Vec<String> = (0..101).map(|i| format!("\"量{i}\"")).collect();
    let many = DEFAULT_TOML.replacen(
        "measure_words = [\"人次\"",
        &format!("measure_words = [{}, \"人次\"", words.join(", ")),
        1,
    );
    assert!(config_error(&many).contains("measure_words 超过 100 项"));
    // The most the bounds allow still reads the sample month (the pattern compiles).
    let words: Vec<String> = (0..90)
        .map(|i| format!("\"{}{i:02}\"", "量".repeat(8)))
        .collect();
    let most = DEFAULT_TOML.replacen(
        "measure_words = [\"人次\"",
        &format!("measure_words = [{}, \"人次\"", words.join(", ")),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("most.toml");
    std::fs::write(&path, most).unwrap();
    let (code, _, err) = liaison(&["--config", path.to_str().unwrap(), "check", "input/2022-05"]);
    assert_eq!(code, 0, "{err}");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_config_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for path in [fifo.to_str().unwrap(), "/dev/zero"] {
        for cmd in [&["config", "show"][..], &["check", "input/2022-05"][..]] {
            let args: Vec<&str> = ["--config", path].iter().chain(cmd).copied().collect();
            let (code, _, err) = liaison(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(err.contains("不是普通文件"), "{args:?}: {err}");
        }
    }
}

#[test]
fn the_largest_limits_do_not_wrap() {
    let max = u64::MAX;
    let text = format!(
        "{DEFAULT_TOML}\n[limits]\nmax_file_bytes = {max}\nmax_decompressed_bytes = {max}\nmax_entries = {max}\nmax_sheets = {max}\nmax_rows = {max}\nmax_cells = {max}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("limits.toml");
    std::fs::write(&path, text).unwrap();
    let args = [
        "--config",
        path.to_str().unwrap(),
        "check",
        "input/2022-05",
        "--format",
        "json",
    ];
    let (code, out, err) = liaison(&args);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 18);
    assert!(files.iter().all(|f| f["status"] == "ok"), "{out}");
    let t = county_totals(&doc);
    assert_eq!(t["deputies_total"], 1160);
    assert_eq!(t["voters_received"], 7237);
    assert_eq!(t["problems_solved"], 123);
}
