//! The archive over time: damaged partitions (check warns, report refuses, verify names,
//! rebuild repairs), partitions of an older config, another region, the trend of a republished
//! earlier month, overlapping folders, manifest hashes and over-long text.

use crate::common;

use std::path::{Path, PathBuf};

use common::publishing;
use liaison::archive::{Manifest, Options, Outcome};
use liaison::check::Checked;
use liaison::config::Config;
use liaison::core::text::Period;
use polars::prelude::*;

fn p(m: u32) -> Period {
    Period::new(2022, m).unwrap()
}

fn checked(dir: &Path, period: Period) -> Checked {
    publishing::checked(dir, period, &Config::embedded())
}

/// Publishes with `--force`, with every report file when `reports`.
fn publish(out: &Path, report: &Checked, reports: bool) -> Outcome {
    let opts = Options {
        force: true,
        ..Options::default()
    };
    publishing::publish(out, report, &Config::embedded(), &opts, reports)
}

/// A work folder with `input/2022-05`, `input/2022-06` and May published (no report files).
fn work_with_may() -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    for m in ["2022-05", "2022-06"] {
        let d = work.path().join("input").join(m);
        std::fs::create_dir_all(&d).unwrap();
        for e in std::fs::read_dir(common::root().join("input").join(m)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
        }
    }
    let out = work.path().join("output");
    publish(
        &out,
        &checked(&work.path().join("input/2022-05"), p(5)),
        false,
    );
    (work, out)
}

fn may_part(out: &Path) -> PathBuf {
    liaison::history::partition_file(&out.join("history"), p(5))
}

#[test]
fn damaged_partitions_are_named_check_goes_on_report_refuses_and_rebuild_repairs() {
    let other_schema = {
        let mut df = df!("x" => [1i64, 2]).unwrap();
        let mut buf = Vec::new();
        ParquetWriter::new(&mut buf).finish(&mut df).unwrap();
        buf
    };
    let good = {
        let (_w, out) = work_with_may();
        std::fs::read(may_part(&out)).unwrap()
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("other schema", other_schema),
    ];
    for (what, bytes) in cases {
        let (work, out) = work_with_may();
        std::fs::write(may_part(&out), &bytes).unwrap();
        let input = work.path().join("input");
        let (code, _, err) = common::run(work.path(), &["check", "input/2022-06"], &input);
        assert_eq!(
            code, 0,
            "{what}: check does not depend on the archive: {err}"
        );
        assert!(err.contains("period=2022-05"), "{what}: {err}");
        let before = common::hash_tree(&out);
        let (code, _, err) = common::run(work.path(), &["report", "input/2022-06"], &input);
        assert_eq!(code, 2, "{what}: {err}");
        assert!(
            err.contains("period=2022-05")
                && err.contains("liaison archive rebuild --period 2022-05"),
            "{what}: {err}"
        );
        assert_eq!(
            before,
            common::hash_tree(&out),
            "{what}: report refused before writing"
        );
        let (code, text, _) = common::run(work.path(), &["archive", "verify"], &input);
        assert_eq!(code, 1, "{what}: {text}");
        assert!(
            text.contains("history/period=2022-05") && text.contains("不一致"),
            "{text}"
        );
        let (code, text, err) = common::run(
            work.path(),
            &["archive", "rebuild", "--period", "2022-05"],
            &input,
        );
        assert_eq!(code, 0, "{what}: {text}{err}");
        assert_eq!(
            std::fs::read(may_part(&out)).unwrap(),
            good,
            "{what}: rebuilt exactly"
        );
        let (code, text, _) = common::run(work.path(), &["archive", "verify"], &input);
        assert_eq!(code, 0, "{what}: {text}");
    }
}

#[test]
fn a_damaged_ledger_partition_is_named_check_goes_on_report_refuses_and_rebuild_repairs() {
    let ledger_part = |out: &Path| out.join("ledger/period=2022-05/part-0.parquet");
    let good = {
        let (_w, out) = work_with_may();
        std::fs::read(ledger_part(&out)).unwrap()
    };
    for (what, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
    ] {
        let (work, out) = work_with_may();
        std::fs::write(ledger_part(&out), &bytes).unwrap();
        let input = work.path().join("input");
        let (code, _, err) = common::run(work.path(), &["check", "input/2022-06"], &input);
        assert_eq!(
            code, 0,
            "{what}: check does not depend on the archive: {err}"
        );
        assert!(
            err.contains("ledger/period=2022-05") && err.contains("没有与上月台账比较"),
            "{what}: {err}"
        );
        let before = common::hash_tree(&out);
        let (code, _, err) = common::run(work.path(), &["report", "input/2022-06"], &input);
        assert_eq!(code, 2, "{what}: {err}");
        assert!(err.contains("ledger/period=2022-05"), "{what}: {err}");
        assert_eq!(
            before,
            common::hash_tree(&out),
            "{what}: refused before writing"
        );
        let (code, text, _) = common::run(work.path(), &["archive", "verify"], &input);
        assert_eq!(code, 1, "{what}: {text}");
        assert!(text.contains("ledger/period=2022-05"), "{text}");
        let (code, text, err) = common::run(
            work.path(),
            &["archive", "rebuild", "--period", "2022-05"],
            &input,
        );
        assert_eq!(code, 0, "{what}: {text}{err}");
        assert_eq!(
            std::fs::read(ledger_part(&out)).unwrap(),
            good,
            "{what}: rebuilt exactly"
        );
        let (code, text, _) = common::run(work.path(), &["archive", "verify"], &input);
        assert_eq!(code, 0, "{what}: {text}");
    }
}

#[test]
fn a_stray_folder_in_the_history_is_named_and_check_still_runs() {
    let (work, out) = work_with_may();
    let stray = out.join("history/period=garbage");
    std::fs::create_dir_all(&stray).unwrap();
    std::fs::write(stray.join("part-0.parquet"), b"junk").unwrap();
    let input = work.path().join("input");
    let (code, _, err) = common::run(work.path(), &["check", "input/2022-06"], &input);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("period=garbage"), "{err}");
    let (code, _, err) = common::run(work.path(), &["report", "input/2022-06"], &input);
    assert_eq!(code, 2);
    assert!(
        err.contains("period=garbage") && err.contains("移出"),
        "{err}"
    );
    std::fs::remove_dir_all(&stray).unwrap();
    let (code, out_text, err) = common::run(work.path(), &["report", "input/2022-06"], &input);
    assert_eq!(code, 0, "{out_text}{err}");
}

/// Rewrites May's partition as an older form had it (no `publicity_sessions`, a since-removed
/// `deputies_district`) and updates its manifest, as a publication of that config would be.
fn older_form(out: &Path) {
    let part = may_part(out);
    let df = ParquetReader::new(std::fs::File::open(&part).unwrap())
        .finish()
        .unwrap();
    let n = df.height();
    let mut df = df
        .drop("publicity_sessions")
        .unwrap()
        .lazy()
        .with_column(lit(1i64).alias("deputies_district"))
        .collect()
        .unwrap();
    assert_eq!(df.height(), n);
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf).finish(&mut df).unwrap();
    std::fs::write(&part, &buf).unwrap();
    let mpath = out.join("2022-05/manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&mpath).unwrap()).unwrap();
    let history = m["datasets"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|d| d["name"] == "history")
        .unwrap();
    history["sha256"] = liaison::archive::swap::file_sha(&part).unwrap().into();
    std::fs::write(&mpath, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

#[test]
fn partitions_of_an_older_config_are_read_with_their_own_columns_absent_metrics_null() {
    let (work, out) = work_with_may();
    older_form(&out);
    let june = checked(&work.path().join("input/2022-06"), p(6));
    let config = Config::embedded();
    let fig = liaison::aggregate::figures(&june, &config, &out.join("history")).unwrap();
    let county = &fig.county;
    assert_eq!(county.height(), 2);
    let col = |c: &str| {
        county
            .column(c)
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .clone()
    };
    // May had no 政策法规宣讲: null, never 0, and June's change against it is null too.
    assert_eq!(col("publicity_sessions").get(0), None);
    assert!(col("publicity_sessions").get(1).is_some());
    assert_eq!(col("publicity_sessions_change").get(1), None);
    // The other metrics of May are whole.
    assert_eq!(col("voters_received").get(0), Some(7237));
    assert_eq!(col("deputies_total").get(0), Some(1160));
    assert!(county.column("deputies_district").is_err());
    // And the binary publishes June over it.
    let input = work.path().join("input");
    let (code, text, err) = common::run(work.path(), &["report", "input/2022-06"], &input);
    assert_eq!(code, 0, "{text}{err}");
}

#[test]
fn another_region_is_refused_on_the_same_output_and_its_check_works() {
    let (work, out) = work_with_may();
    let hetang = common::root().join("config/hetang.toml");
    let hetang = hetang.to_str().unwrap();
    let input = work.path().join("input");
    // The README's own example: a 荷塘区 check beside 长沙县's archive.
    let (code, text, err) = common::run(
        work.path(),
        &[
            "--config",
            hetang,
            "check",
            "input/2022-06",
            "--period",
            "2023-01",
        ],
        &input,
    );
    assert_ne!(code, 2, "{text}{err}");
    assert!(!err.contains("unable to find column"), "{err}");
    let before = common::hash_tree(&out);
    let (code, _, err) = common::run(
        work.path(),
        &["--config", hetang, "report", "input/2022-06"],
        &input,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("已有长沙县的档案") && err.contains("--output"),
        "{err}"
    );
    assert_eq!(before, common::hash_tree(&out));
}

#[test]
fn republishing_an_earlier_month_shows_no_later_month_in_its_trend() {
    let (work, out) = work_with_may();
    publish(
        &out,
        &checked(&work.path().join("input/2022-06"), p(6)),
        false,
    );
    let config = Config::embedded();
    publish(
        &out,
        &checked(&work.path().join("input/2022-05"), p(5)),
        true,
    );
    let book = out
        .join("2022-05")
        .join(liaison::report::workbook::file_name(&config, p(5)));
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&book).unwrap();
    let trend = wb.worksheet_range("趋势").unwrap();
    let months: Vec<String> = trend
        .rows()
        .skip(2)
        .map(|r| r[0].to_string())
        .filter(|s| liaison::core::text::Period::parse_canonical(s).is_some())
        .collect();
    assert_eq!(months, ["2022-05"]);
    let deputies = trend.get_value((2, 3)).unwrap().to_string();
    assert_eq!(deputies, "1160");
}

#[test]
fn overlapping_input_and_output_are_refused_before_anything_is_touched() {
    let (work, _out) = work_with_may();
    let input = work.path().join("input");
    for args in [
        vec!["report", "input/2022-06", "--force", "--output", "input"],
        vec!["report", "input/2022-06", "--output", "input/2022-06/out"],
        vec![
            "--input", "output", "--output", "output/.", "report", "--force",
        ],
        vec!["--output", "input/2022-06", "report", "--period", "2022-06"],
    ] {
        let (code, _, err) = common::run(work.path(), &args, &input);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("重叠"), "{args:?}: {err}");
    }
    assert!(!input.join("2022-06/out").exists());
    assert!(!input.join(".lock").exists());
}

#[test]
fn the_manifest_hashes_every_input_and_lists_a_symlink_with_its_reason() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("2022-05");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(common::root().join("input/2022-05")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    std::fs::write(dir.join("说明.txt"), b"not a return").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", dir.join("链接.xlsx")).unwrap();
    let out = work.path().join("output");
    let report = checked(&dir, p(5));
    let opts = Options {
        allow_partial: true,
        ..Options::default()
    };
    publishing::publish(&out, &report, &Config::embedded(), &opts, false);
    let m = Manifest::read(&out.join("2022-05")).unwrap();
    for i in &m.inputs {
        let path = Path::new(&i.path);
        if std::fs::symlink_metadata(path)
            .unwrap()
            .file_type()
            .is_symlink()
        {
            assert_eq!(i.sha256, None, "{}", i.path);
            assert!(i.reason.as_deref().unwrap().contains("符号链接"), "{i:?}");
        } else {
            let want = liaison::archive::swap::file_sha(path).unwrap();
            assert_eq!(i.sha256.as_deref(), Some(want.as_str()), "{}", i.path);
        }
    }
    let txt = m
        .inputs
        .iter()
        .find(|i| i.path.ends_with("说明.txt"))
        .unwrap();
    assert_eq!(txt.status, "ignored");
    assert!(txt.reason.is_some());
    assert_eq!(m.region.as_ref().unwrap().name, "长沙县");
    assert_eq!(
        m.dataset("history").unwrap().path,
        "history/period=2022-05/part-0.parquet"
    );
}

#[test]
fn over_long_text_is_shortened_in_the_workbook_with_a_warning_and_kept_whole_in_history() {
    let (work, out) = work_with_may();
    let mut report = checked(&work.path().join("input/2022-06"), p(6));
    let long: String = "站".repeat(40_000);
    report.counted[0].stations[0].name = long.clone();
    let Outcome::Published { warnings, .. } = publish(&out, &report, true) else {
        panic!()
    };
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("40000") && w.contains("截短")),
        "{warnings:?}"
    );
    let hist = liaison::history::read_partition(&out.join("history"), p(6))
        .unwrap()
        .collect()
        .unwrap();
    let names = hist.column("station").unwrap().str().unwrap().clone();
    assert!(names.iter().any(|n| n == Some(long.as_str())));
    let book = out
        .join("2022-06")
        .join(liaison::report::workbook::file_name(
            &Config::embedded(),
            p(6),
        ));
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&book).unwrap();
    let sheet = wb.worksheet_range("工作站明细").unwrap();
    let cell = sheet
        .rows()
        .flat_map(|r| r.iter())
        .map(|c| c.to_string())
        .find(|s| s.starts_with("站站站"))
        .unwrap();
    assert!(cell.chars().count() <= 32_767 && cell.ends_with("……"));
}

#[test]
fn temporary_files_of_a_killed_write_are_cleared_when_the_archive_is_opened() {
    let (_work, out) = work_with_may();
    let left = [
        out.join(".liaison-tmp-Ab12Cd"),
        out.join(".tmpQw34Er"),
        out.join("history/.liaison-tmp-x1"),
        out.join("history/period=2022-05/.liaison-tmp-x2"),
        out.join("ledger/.tmpZx56Cv"),
    ];
    for f in &left {
        std::fs::write(f, b"half an intent").unwrap();
    }
    // Not ours: kept.
    let mine = out.join("history/period=2022-05/notes.txt");
    std::fs::write(&mine, b"a user's note").unwrap();
    let archive = liaison::archive::Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
    for f in &left {
        assert!(!f.exists(), "{} left", f.display());
    }
    assert!(mine.exists());
    std::fs::remove_file(&mine).unwrap();
    assert!(archive.verify().iter().all(|r| r.ok));
}
