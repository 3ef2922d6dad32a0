//! Returns as towns really keep them (written by openpyxl, xlwt, LibreOffice, and Python's csv
//! module in GBK and UTF-8 with BOM): rows of the header under it, a metric over two columns, a
//! workbook kept for the year, 本月 / 累计 columns, one station on two rows, float noise, CSV.
//! Each fixture's figures, errors, warnings and notes must be exactly those of its
//! `expected.json` (made by `tools/fixtures/make_layout_fixtures.py`).

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use liaison::check::check;
use liaison::config::Config;
use liaison::core::findings::{Finding, Severity};
use liaison::core::text::Period;
use liaison::forms::monthly::ingest_entry_for;
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct Expected {
    file: String,
    case: String,
    unit: Option<String>,
    period: Option<String>,
    check: String,
    aliases: BTreeMap<String, Vec<String>>,
    stations: Option<usize>,
    totals: Option<serde_json::Map<String, serde_json::Value>>,
    warnings: Vec<(String, Option<String>)>,
    errors: Vec<(String, Option<String>)>,
    notes: Vec<(String, Option<String>)>,
    sheet: Option<String>,
}

fn dir() -> std::path::PathBuf {
    common::root().join("tests/fixtures/layouts")
}

fn load() -> Vec<Expected> {
    serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap()
}

/// The embedded config with the fixture's extra header aliases.
fn config_for(e: &Expected) -> Config {
    let mut c = Config::embedded();
    for (id, aliases) in &e.aliases {
        let i = c.metric_index(id).unwrap();
        c.metrics[i].aliases.extend(aliases.iter().cloned());
    }
    c
}

type Codes = BTreeSet<(String, Option<String>)>;

fn codes(ds: &[Finding], path: &str, sev: Severity) -> Codes {
    ds.iter()
        .filter(|d| d.file.as_deref() == Some(path) && d.severity == sev)
        .map(|d| (d.code.as_str(), d.cell.clone()))
        .collect()
}

fn mismatches(e: &Expected) -> Vec<String> {
    let config = config_for(e);
    let period = Period::parse_canonical(&e.check).unwrap();
    let o = ingest_entry_for(&dir(), &e.file, &config, Some(period));
    let read_period = o
        .ret
        .as_ref()
        .and_then(|r| r.period.as_ref())
        .and_then(|p| p.value);
    let sheet = o.ret.as_ref().map(|r| r.sheet.clone());
    let report = check(vec![o], period, &config).report;
    let path = dir().join(&e.file).display().to_string();
    let f = &report.files[0];
    let set = |v: &[(String, Option<String>)]| v.iter().cloned().collect::<Codes>();
    let mut out = Vec::new();
    let mut same = |what: &str, got: String, want: String| {
        if got != want {
            out.push(format!(
                "{} ({}): {what} {got}, expected {want}",
                e.file, e.case
            ));
        }
    };
    let ds = &report.diagnostics;
    same(
        "errors",
        format!("{:?}", codes(ds, &path, Severity::Error)),
        format!("{:?}", set(&e.errors)),
    );
    same(
        "warnings",
        format!("{:?}", codes(ds, &path, Severity::Warning)),
        format!("{:?}", set(&e.warnings)),
    );
    same(
        "notes",
        format!("{:?}", codes(ds, &path, Severity::Note)),
        format!("{:?}", set(&e.notes)),
    );
    same("unit", format!("{:?}", f.unit), format!("{:?}", e.unit));
    if e.errors.is_empty() {
        same(
            "stations",
            format!("{:?}", f.stations),
            format!("{:?}", e.stations),
        );
        same(
            "totals",
            format!("{:?}", f.totals.as_ref().map(|t| t.to_map())),
            format!("{:?}", e.totals),
        );
        same(
            "period",
            format!("{:?}", read_period.map(|p| p.to_string())),
            format!("{:?}", e.period),
        );
        same("sheet", format!("{sheet:?}"), format!("{:?}", e.sheet));
    }
    out
}

#[test]
fn every_layout_reads_exactly_or_is_refused() {
    let all = load();
    assert!(all.len() >= 30, "{} fixtures", all.len());
    let problems: Vec<String> = all.iter().flat_map(mismatches).collect();
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Every refusal says what to change, and names the cells it is about.
#[test]
fn refusals_say_what_to_change() {
    let config = Config::embedded();
    let may = Period::new(2022, 5).unwrap();
    let message = |file: &str| {
        let o = ingest_entry_for(&dir(), file, &config, Some(may));
        let report = check(vec![o], may, &config).report;
        report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let m = message("err_voters_split_alias.xlsx");
    assert!(
        m.contains("J3“接待选民”") && m.contains("K3“走访选民”") && m.contains("请合并为一列"),
        "{m}"
    );
    let m = message("err_voters_split_two_row_xlwt.xls");
    assert!(
        m.contains("J4“接待选民”") && m.contains("K4“走访选民”"),
        "{m}"
    );
    let m = message("err_year_workbook_no_may.xlsx");
    assert!(
        m.contains("“1月”") && m.contains("“4月”") && m.contains("命名为“5月”"),
        "{m}"
    );
    let m = message("err_lanci_not_consecutive.xlsx");
    assert!(m.contains("栏次") && m.contains("第 4 行"), "{m}");
}

/// The notes say how each untidy return was read, in the text a clerk reads.
#[test]
fn notes_say_how_the_return_was_read() {
    let config = Config::embedded();
    let may = Period::new(2022, 5).unwrap();
    let outcomes = [
        "year_workbook.xlsx",
        "split_three_row.xlsx",
        "station_two_rows.xlsx",
        "金井镇_gbk.csv",
    ]
    .map(|f| ingest_entry_for(&dir(), f, &config, Some(may)));
    let report = check(outcomes.to_vec(), may, &config).report;
    let text = liaison::render::check_text(&report, &config);
    for want in [
        "读取了工作表“5月”",
        "读取了本月的列",
        "合并了 2 行",
        "按 GBK（GB18030） 编码",
        "读取说明 4 条",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
    let json = serde_json::to_value(&report).unwrap();
    let notes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "note")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        [
            "sheet_of_period",
            "month_column_read",
            "station_rows_merged",
            "csv_read"
        ]
    );
    assert!(!report.has_errors());
}

/// Without the period being checked, a year's workbook cannot be read from one of its sheets.
#[test]
fn a_year_workbook_needs_the_period() {
    let config = Config::embedded();
    let o = liaison::forms::monthly::ingest_entry(&dir(), "year_workbook.xlsx", &config);
    assert!(o.ret.is_none());
    assert!(
        o.findings
            .iter()
            .any(|f| f.code.as_str() == "ambiguous_return")
    );
    // Checked as April, the April sheet is read.
    let april = Period::new(2022, 4).unwrap();
    let o = ingest_entry_for(&dir(), "year_workbook.xlsx", &config, Some(april));
    assert_eq!(o.ret.as_ref().map(|r| r.sheet.as_str()), Some("4月"));
    let _ = Path::new("");
}
