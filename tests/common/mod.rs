//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// sha256 of every file under `dir`, by relative path (to prove inputs are untouched).
pub fn hash_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let h = Sha256::digest(std::fs::read(&p).unwrap());
                let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
                out.insert(p.strip_prefix(dir).unwrap().display().to_string(), hex);
            }
        }
    }
    out
}

/// Runs the binary in `cwd` with `args`; returns (exit code, stdout, stderr).
/// Every file under `watch` must hash the same before and after.
pub fn run(cwd: &Path, args: &[&str], watch: &Path) -> (i32, String, String) {
    let before = hash_tree(watch);
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(before, hash_tree(watch), "inputs changed by {args:?}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sums the `totals` of the ok files of a check document.
pub fn county_totals(doc: &serde_json::Value) -> BTreeMap<String, u64> {
    let mut t = BTreeMap::new();
    for f in doc["files"].as_array().unwrap() {
        if let Some(obj) = f["totals"].as_object() {
            for (k, v) in obj {
                *t.entry(k.clone()).or_default() += v.as_u64().unwrap();
            }
        }
    }
    t
}

pub mod crafted;
