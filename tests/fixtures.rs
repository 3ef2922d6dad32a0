//! Every §3 / §4 case, as written by other programs (openpyxl, xlwt, LibreOffice): each
//! fixture's figures, warnings and errors must be exactly those in its `expected.json`.
//! The fixtures and the manifest are made by `tools/fixtures/make_fixtures.py`.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use liaison::check::check;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::{ingest_dir, ingest_entry};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct Expected {
    file: String,
    case: String,
    unit: Option<String>,
    period: Option<String>,
    stations: Option<usize>,
    totals: Option<serde_json::Map<String, serde_json::Value>>,
    warnings: Vec<(String, Option<String>)>,
    errors: Vec<(String, Option<String>)>,
}

fn load(dir: &Path) -> Vec<Expected> {
    serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap()
}

/// Checks the fixtures of a folder, each file alone (`alone`) or the folder as one month;
/// returns the list of mismatches (all reported at once).
fn verify(dir: &Path, alone: bool) -> Vec<String> {
    let config = Config::embedded();
    let may = Period::new(2022, 5).unwrap();
    let mut problems = Vec::new();
    let whole_checked = check(ingest_dir(dir, &config).unwrap(), may, &config);
    let whole = &whole_checked.report;
    for e in load(dir) {
        let single;
        let report = if alone {
            single = check(vec![ingest_entry(dir, &e.file, &config)], may, &config);
            &single.report
        } else {
            whole
        };
        let path = dir.join(&e.file).display().to_string();
        let Some(f) = report.files.iter().find(|f| f.path == path) else {
            problems.push(format!("{}: not in files", e.file));
            continue;
        };
        let mine = |sev: bool| -> BTreeSet<(String, Option<String>)> {
            report
                .diagnostics
                .iter()
                .filter(|d| d.file.as_deref() == Some(&path) && d.is_error() == sev)
                .map(|d| (d.code.as_str(), d.cell.clone()))
                .collect()
        };
        let want = |v: &[(String, Option<String>)]| -> BTreeSet<(String, Option<String>)> {
            v.iter().cloned().collect()
        };
        let (got_err, got_warn) = (mine(true), mine(false));
        // Register warnings depend on the fixture's stations, not on the case: compare the rest.
        let got_warn: BTreeSet<_> = got_warn
            .into_iter()
            .filter(|(c, _)| c != "missing_station" && c != "unknown_station")
            .collect();
        if got_err != want(&e.errors) {
            problems.push(format!(
                "{} ({}): errors {:?}, expected {:?}",
                e.file, e.case, got_err, e.errors
            ));
        }
        if got_warn != want(&e.warnings) {
            problems.push(format!(
                "{} ({}): warnings {:?}, expected {:?}",
                e.file, e.case, got_warn, e.warnings
            ));
        }
        if e.unit.is_some() && f.unit != e.unit {
            problems.push(format!(
                "{} ({}): unit {:?}, expected {:?}",
                e.file, e.case, f.unit, e.unit
            ));
        }
        if e.errors.is_empty() {
            if f.stations != e.stations {
                problems.push(format!(
                    "{} ({}): stations {:?}, expected {:?}",
                    e.file, e.case, f.stations, e.stations
                ));
            }
            if f.totals.as_ref().map(|t| t.to_map()) != e.totals {
                problems.push(format!(
                    "{} ({}): totals {:?}, expected {:?}",
                    e.file, e.case, f.totals, e.totals
                ));
            }
            let o = ingest_entry(dir, &e.file, &config);
            let period = o
                .ret
                .as_ref()
                .and_then(|r| r.period.as_ref())
                .and_then(|p| p.value)
                .map(|p| p.to_string());
            if e.period.is_some() && period != e.period {
                problems.push(format!(
                    "{} ({}): period {:?}, expected {:?}",
                    e.file, e.case, period, e.period
                ));
            }
        }
    }
    problems
}

#[test]
fn every_section_3_case_reads_exactly() {
    let problems = verify(&common::root().join("tests/fixtures/returns"), true);
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A fixture folder checked as one May.
fn month_report(dir: &Path) -> liaison::check::CheckReport {
    let config = Config::embedded();
    check(
        ingest_dir(dir, &config).unwrap(),
        Period::new(2022, 5).unwrap(),
        &config,
    )
    .report
}

#[test]
fn duplicate_returns_name_both_files() {
    let dir = common::root().join("tests/fixtures/duplicate");
    let problems = verify(&dir, false);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let report = month_report(&dir);
    let dups: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "duplicate_return")
        .collect();
    assert_eq!(dups.len(), 2);
    for d in dups {
        assert!(
            d.message.contains("北山镇5月报表.xlsx")
                && d.message.contains("北山镇5月报表(修改).xlsx"),
            "{}",
            d.message
        );
    }
}

#[test]
fn mixed_folder_accounts_for_every_entry() {
    let dir = common::root().join("tests/fixtures/mixed");
    let problems = verify(&dir, false);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let report = month_report(&dir);
    let entries = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        report.files.len(),
        entries,
        "every entry of the folder is in files"
    );
}

/// 合计 formulas saved without a result (openpyxl): one sentence naming the cells once, not the
/// same sentence per column (issue 26).
#[test]
fn a_total_row_of_formulas_without_results_is_one_short_sentence() {
    let dir = common::root().join("tests/fixtures/returns");
    let config = Config::embedded();
    let may = Period::new(2022, 5).unwrap();
    let file = "warn_total_formula_no_cache.xlsx";
    let report = check(vec![ingest_entry(&dir, file, &config)], may, &config).report;
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "total_not_verified")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0].message;
    assert!(m.chars().count() < 200, "{} chars: {m}", m.chars().count());
    assert_eq!(m.matches("没有保存计算结果").count(), 1, "{m}");
    insta::assert_snapshot!("total_formulas_without_results", m);
}
