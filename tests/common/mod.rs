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
            // `output/` is where liaison writes (the receipt log of a `check` run in the
            // folder, SPEC §9), never an input.
            if p.is_dir() && p == dir.join("output") {
                continue;
            }
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

pub mod counties;
pub mod crafted;
pub mod one;
pub mod readers;
pub mod summary;

/// The one publish harness of the tests: the returns of a folder checked as the library checks
/// them, and published with or without the report files.
pub mod publishing {
    use std::path::{Path, PathBuf};

    use liaison::archive::{Archive, Options, Outcome};
    use liaison::check::{Checked, check};
    use liaison::config::{Config, DEFAULT_TOML};
    use liaison::core::text::Period;
    use liaison::forms::monthly::ingest_dir;

    /// The returns of `dir` checked for `period` (no archive to compare with).
    pub fn checked(dir: &Path, period: Period, config: &Config) -> Checked {
        check(ingest_dir(dir, config).unwrap(), period, config)
    }

    /// Publishes `checked` into the opened `archive`: every report file when `reports`, only
    /// the archive's own files (returns, history, ledger, manifest) otherwise.
    pub fn publish_in(
        archive: &Archive,
        checked: &Checked,
        config: &Config,
        opts: &Options,
        reports: bool,
    ) -> Outcome {
        let writers = if reports {
            liaison::report::writers(config)
        } else {
            Vec::new()
        };
        liaison::app::publish::publish(
            archive,
            checked,
            config,
            ("（内置长沙县配置）", DEFAULT_TOML),
            opts,
            &writers,
        )
        .unwrap()
    }

    /// [`publish_in`] the archive of `out`, locked for the call.
    pub fn publish(
        out: &Path,
        checked: &Checked,
        config: &Config,
        opts: &Options,
        reports: bool,
    ) -> Outcome {
        publish_in(
            &Archive::open(out, &liaison::datasets::CATALOG).unwrap(),
            checked,
            config,
            opts,
            reports,
        )
    }

    /// The sample month `month` (`input/<month>`) checked and published into `out` with every
    /// report file; the publication's folder.
    pub fn sample(out: &Path, month: &str, config: &Config) -> PathBuf {
        let period = Period::parse_canonical(month).unwrap();
        let dir = super::root().join("input").join(month);
        publish(
            out,
            &checked(&dir, period, config),
            config,
            &Options::default(),
            true,
        );
        out.join(month)
    }
}
