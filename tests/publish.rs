//! Publishing: history read back, manifest hashes, reproducible bytes, --force,
//! --allow-partial, and an interrupted publish leaving the previous one whole.

use crate::common;

use std::path::Path;

use common::publishing;
use liaison::archive::{Archive, Options, Outcome};
use liaison::check::Checked;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::report::ReportError;
use polars::prelude::*;
use sha2::{Digest, Sha256};

fn checked(dir: &Path, period: Period) -> Checked {
    publishing::checked(dir, period, &Config::embedded())
}

fn may() -> (std::path::PathBuf, Period) {
    (
        common::root().join("input/2022-05"),
        Period::new(2022, 5).unwrap(),
    )
}

fn run(out: &Path, dir: &Path, period: Period, opts: &Options) -> Outcome {
    publishing::publish(out, &checked(dir, period), &Config::embedded(), opts, false)
}

fn hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Every hash of a manifest matches its file.
fn verify_manifest(pubdir: &Path) -> serde_json::Value {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pubdir.join("manifest.json")).unwrap()).unwrap();
    for o in m["outputs"].as_array().unwrap() {
        let bytes = std::fs::read(pubdir.join(o["path"].as_str().unwrap())).unwrap();
        assert_eq!(hex(&bytes), o["sha256"].as_str().unwrap(), "{}", o["path"]);
    }
    for i in m["inputs"].as_array().unwrap() {
        if i["status"] == "ignored" {
            continue;
        }
        if let Some(h) = i["sha256"].as_str() {
            let name = Path::new(i["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_owned();
            assert_eq!(
                hex(&std::fs::read(pubdir.join("returns").join(name)).unwrap()),
                h
            );
        }
    }
    m
}

#[test]
fn history_reads_back_with_the_returns_figures() {
    let out = tempfile::tempdir().unwrap();
    let (dir, p) = may();
    assert!(matches!(
        run(out.path(), &dir, p, &Options::default()),
        Outcome::Published {
            preliminary: false,
            ..
        }
    ));
    let (dir6, p6) = (
        common::root().join("input/2022-06"),
        Period::new(2022, 6).unwrap(),
    );
    assert!(matches!(
        run(out.path(), &dir6, p6, &Options::default()),
        Outcome::Published { .. }
    ));
    let lf = liaison::history::scan_hive(&out.path().join("history")).unwrap();
    let df = lf
        .group_by([col("period")])
        .agg([
            len().alias("rows"),
            col("deputies_total").sum(),
            col("voters_received").sum(),
        ])
        .sort(["period"], SortMultipleOptions::default())
        .collect()
        .unwrap();
    let pc = df
        .column("period")
        .unwrap()
        .cast(&DataType::String)
        .unwrap();
    let pc = pc.str().unwrap();
    let periods: Vec<&str> = (0..pc.len()).map(|i| pc.get(i).unwrap()).collect();
    assert_eq!(periods, ["2022-05", "2022-06"]);
    let rows = df.column("rows").unwrap().cast(&DataType::Int64).unwrap();
    assert_eq!(rows.i64().unwrap().get(0), Some(125));
    assert_eq!(
        df.column("deputies_total").unwrap().i64().unwrap().get(0),
        Some(1160)
    );
    assert_eq!(
        df.column("voters_received").unwrap().i64().unwrap().get(0),
        Some(7237)
    );
    // Unit by unit against the check document.
    let checked = checked(&dir, p);
    let report = &checked.report;
    let hist = liaison::history::read_partition(&out.path().join("history"), p).unwrap();
    let units = hist
        .group_by([col("unit_id")])
        .agg([col("problems_solved").sum()])
        .collect()
        .unwrap();
    for f in &report.files {
        let id = f.unit.clone().unwrap();
        let want = f.totals.as_ref().unwrap().get("problems_solved").unwrap() as i64;
        let mask = units
            .column("unit_id")
            .unwrap()
            .str()
            .unwrap()
            .equal(id.as_str());
        let got = units
            .filter(&mask)
            .unwrap()
            .column("problems_solved")
            .unwrap()
            .i64()
            .unwrap()
            .get(0);
        assert_eq!(got, Some(want), "{id}");
    }
    verify_manifest(&out.path().join("2022-05"));
}

#[test]
fn two_publishes_give_identical_bytes() {
    let (dir, p) = may();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // The same inputs include when each version was first received (报送情况 shows it).
    let opts = Options {
        clock: liaison::receipts::Clock::Fixed("2022-06-03T09:30:00+08:00".into()),
        ..Options::default()
    };
    run(a.path(), &dir, p, &opts);
    run(b.path(), &dir, p, &opts);
    let ha = common::hash_tree(&a.path().join("2022-05"));
    let hb = common::hash_tree(&b.path().join("2022-05"));
    let strip = |h: std::collections::BTreeMap<String, String>| {
        h.into_iter()
            .filter(|(k, _)| k != "manifest.json")
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(ha), strip(hb));
    assert_eq!(
        common::hash_tree(&a.path().join("history")),
        common::hash_tree(&b.path().join("history"))
    );
}

#[test]
fn republishing_needs_force_and_keeps_the_earlier_one() {
    let out = tempfile::tempdir().unwrap();
    let (dir, p) = may();
    run(out.path(), &dir, p, &Options::default());
    let before = common::hash_tree(out.path());
    assert!(matches!(
        run(out.path(), &dir, p, &Options::default()),
        Outcome::AlreadyPublished(_)
    ));
    assert_eq!(
        before,
        common::hash_tree(out.path()),
        "a refused republish changes nothing"
    );
    let forced = Options {
        force: true,
        ..Options::default()
    };
    let Outcome::Published {
        replaced: Some(aside),
        ..
    } = run(out.path(), &dir, p, &forced)
    else {
        panic!()
    };
    assert!(aside.ends_with("2022-05.replaced-1"));
    verify_manifest(&aside);
    let m = verify_manifest(&out.path().join("2022-05"));
    assert!(
        m["replaces"]
            .as_str()
            .unwrap()
            .ends_with("2022-05.replaced-1")
    );
}

#[test]
fn errors_refuse_unless_partial_which_is_marked_and_lists_what_was_left_out() {
    let month = tempfile::tempdir().unwrap();
    let (dir, p) = may();
    for e in std::fs::read_dir(&dir).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), month.path().join(e.file_name())).unwrap();
    }
    std::fs::write(month.path().join("开慧镇进站活动月报表.ods"), b"broken").unwrap();
    let out = tempfile::tempdir().unwrap();
    assert!(matches!(
        run(out.path(), month.path(), p, &Options::default()),
        Outcome::RefusedErrors
    ));
    assert!(!out.path().join("2022-05").exists());
    let partial = Options {
        allow_partial: true,
        ..Options::default()
    };
    assert!(matches!(
        run(out.path(), month.path(), p, &partial),
        Outcome::Published {
            preliminary: true,
            ..
        }
    ));
    let m = verify_manifest(&out.path().join("2022-05"));
    assert_eq!(m["preliminary"], true);
    let excluded = m["excluded"].as_array().unwrap();
    assert_eq!(excluded.len(), 1);
    assert_eq!(excluded[0]["unit"], "kaihui");
    // Each reason with its code (a summary says it in the leadership's words).
    let reasons = excluded[0]["reasons"].as_array().unwrap();
    let codes = excluded[0]["codes"].as_array().unwrap();
    assert!(!reasons.is_empty());
    assert_eq!(codes.len(), reasons.len(), "{:?}", excluded[0]);
    assert!(
        codes
            .iter()
            .all(|c| c.as_str().is_some_and(|c| !c.is_empty()))
    );
}

#[test]
fn a_failed_publish_leaves_the_previous_publication_and_history_whole() {
    let out = tempfile::tempdir().unwrap();
    let (dir, p) = may();
    run(out.path(), &dir, p, &Options::default());
    let before = common::hash_tree(out.path());
    // A report writer that fails (as the workbook did on a 40,000-character cell): the run
    // is refused and neither the publication nor the history has changed.
    let config = Config::embedded();
    let mut report = checked(&dir, p);
    report.counted.truncate(3);
    let failing = |_: &liaison::report::View, _: &Path| {
        Err(ReportError::Io {
            path: "汇总表".into(),
            source: std::io::Error::other("模拟失败"),
        })
    };
    let forced = Options {
        force: true,
        ..Options::default()
    };
    let writers: Vec<Box<liaison::report::Writer>> = vec![Box::new(failing)];
    let r = liaison::app::publish::publish(
        &Archive::open(out.path(), &liaison::datasets::CATALOG).unwrap(),
        &report,
        &config,
        ("(内置)", liaison::config::DEFAULT_TOML),
        &forced,
        &writers,
    );
    assert!(r.is_err());
    assert_eq!(
        before,
        common::hash_tree(out.path()),
        "after a failed writer"
    );
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("building")), "{names:?}");
}

#[test]
fn kill_9_at_many_moments_leaves_publication_and_history_agreeing() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input");
    std::fs::create_dir_all(input.join("2022-05")).unwrap();
    for e in std::fs::read_dir(common::root().join("input/2022-05")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), input.join("2022-05").join(e.file_name())).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("liaison");
    let status = std::process::Command::new(&bin)
        .current_dir(work.path())
        .args(["report"])
        .status()
        .unwrap();
    assert!(status.success());
    let pubdir = work.path().join("output/2022-05");
    // One timed run, then kills spread over its whole length (the swap is at the very end).
    let t0 = std::time::Instant::now();
    let status = std::process::Command::new(&bin)
        .current_dir(work.path())
        .args(["report", "--force"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let total = t0.elapsed().as_millis() as u64;
    let mut delays: Vec<u64> = (0..=10).map(|k| total * k / 10).collect();
    delays.extend([total * 97 / 100, total * 99 / 100, 0, 5, 50]);
    for delay_ms in delays {
        let mut child = std::process::Command::new(&bin)
            .current_dir(work.path())
            .args(["report", "--force"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Whatever moment it died at, the next run (here `archive verify`) completes or
        // clears what it left, and the publication and the history it names agree.
        let v = std::process::Command::new(&bin)
            .current_dir(work.path())
            .args(["archive", "verify"])
            .output()
            .unwrap();
        assert!(
            v.status.success(),
            "after a kill at {delay_ms} ms: {}",
            String::from_utf8_lossy(&v.stdout)
        );
        let m = verify_manifest(&pubdir);
        let history = m["datasets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "history")
            .unwrap();
        let part = work
            .path()
            .join("output")
            .join(history["path"].as_str().unwrap());
        assert_eq!(
            hex(&std::fs::read(&part).unwrap()),
            history["sha256"].as_str().unwrap(),
            "after a kill at {delay_ms} ms"
        );
        let history = work
            .path()
            .join("output/history/period=2022-05/part-0.parquet");
        let df = ParquetReader::new(std::fs::File::open(&history).unwrap())
            .finish()
            .unwrap();
        assert_eq!(
            df.height(),
            125,
            "history whole after a kill at {delay_ms} ms"
        );
    }
}
