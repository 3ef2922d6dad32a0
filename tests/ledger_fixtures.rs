//! Every §8 ledger form and every ledger finding, as written by other programs (openpyxl, xlwt,
//! LibreOffice): each return's findings and ledger items must be exactly those of its manifest.
//! The fixtures and `expected.json` are made by `tools/fixtures/make_ledger_fixtures.py`.

use crate::common;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use liaison::check::{Status as FileStatus, check_with};
use liaison::config::Config;
use liaison::core::findings::Finding;
use liaison::core::text::Period;
use liaison::forms::Priors;
use liaison::forms::ledger::rules::LedgerPrevious;
use liaison::forms::ledger::rules::{Identity, Prior};
use liaison::forms::ledger::{LedgerItem, Status};
use liaison::forms::monthly::ingest_entry;
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct Expected {
    file: String,
    case: String,
    unit: String,
    previous: HashMap<String, String>,
    ledger_sheet: Option<String>,
    items: Option<Vec<ExpectedItem>>,
    warnings: Vec<(String, Option<String>)>,
    errors: Vec<(String, Option<String>)>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct ExpectedItem {
    id: String,
    collected: String,
    station: String,
    deputies: Vec<String>,
    content: String,
    category: String,
    handler: String,
    status: String,
    settled: Option<String>,
}

fn dir() -> PathBuf {
    common::root().join("tests/fixtures/ledger")
}

fn manifest() -> Vec<Expected> {
    serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap()
}

fn status_named(label: &str) -> Status {
    *Status::ALL
        .iter()
        .find(|s| s.label() == label)
        .unwrap_or_else(|| panic!("status {label}"))
}

fn as_expected(i: &LedgerItem) -> ExpectedItem {
    ExpectedItem {
        id: i.id.clone(),
        collected: i.collected.to_string(),
        station: i.station.clone(),
        deputies: i.deputies.clone(),
        content: i.content.clone(),
        category: i.category.clone(),
        handler: i.handler.clone(),
        status: i.status.label().to_string(),
        settled: i.settled.map(|d| d.to_string()),
    }
}

/// (code, cell) of the findings of one severity.
fn codes(fs: &[Finding], errors: bool) -> BTreeSet<(String, Option<String>)> {
    fs.iter()
        .filter(|f| f.is_error() == errors)
        .map(|f| (f.code.as_str(), f.cell.clone()))
        .collect()
}

/// Checks one fixture; returns what differs from its manifest entry.
fn verify(e: &Expected, config: &Config) -> Vec<String> {
    let may = Period::new(2022, 5).unwrap();
    let o = ingest_entry(&dir(), &e.file, config);
    let previous: HashMap<String, Prior> = e
        .previous
        .iter()
        .map(|(k, v)| (k.clone(), Prior::from(status_named(v))))
        .collect();
    let by_unit = LedgerPrevious::from([(e.unit.clone(), previous)]);
    let checked = check_with(vec![o.clone()], may, config, &Priors { ledger: by_unit });
    let report = &checked.report;
    let mut problems = Vec::new();
    let mut say = |what: String| problems.push(format!("{} ({}): {what}", e.file, e.case));
    let Some(ret) = &o.ret else {
        say(format!("no return read: {:?}", o.findings));
        return problems;
    };
    if ret.unit_id() != Some(e.unit.as_str()) || ret.sheet != "进站活动月报" {
        say(format!("unit {:?}, sheet {}", ret.unit_id(), ret.sheet));
    }
    // Folder-level findings (missing_return of the other units) are not the file's.
    let mut all: Vec<Finding> = report
        .diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some(o.path.as_str()))
        .cloned()
        .collect();
    // Register warnings depend on the monthly sheet's stations, not on the ledger.
    all.retain(|f| {
        !matches!(
            f.code.as_str().as_str(),
            "missing_station" | "unknown_station"
        )
    });
    let want = |v: &[(String, Option<String>)]| v.iter().cloned().collect::<BTreeSet<_>>();
    if codes(&all, true) != want(&e.errors) {
        say(format!(
            "errors {:?}, expected {:?}",
            codes(&all, true),
            e.errors
        ));
    }
    if codes(&all, false) != want(&e.warnings) {
        say(format!(
            "warnings {:?}, expected {:?}",
            codes(&all, false),
            e.warnings
        ));
    }
    // A ledger error keeps the return out of the figures (SPEC §4); otherwise it counts (the
    // monthly checks see no ambiguity from the ledger).
    let want_status = if e.errors.is_empty() {
        FileStatus::Ok
    } else {
        FileStatus::Error
    };
    if report.files[0].status != want_status || checked.counted.is_empty() == e.errors.is_empty() {
        say(format!(
            "return status {:?}, expected {want_status:?}: {:?}",
            report.files[0].status,
            report
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        ));
    }
    if ret.companions.ledger.as_ref().map(|l| l.name.clone()) != e.ledger_sheet {
        say(format!(
            "ledger sheet {:?}, expected {:?}",
            ret.companions.ledger.as_ref().map(|l| &l.name),
            e.ledger_sheet
        ));
    }
    if let (Some(items), Some(l)) = (&e.items, &ret.companions.ledger) {
        let mut seen = BTreeSet::new();
        let got: Vec<ExpectedItem> = l
            .items
            .iter()
            .filter(|i| seen.insert(i.id.clone()))
            .map(as_expected)
            .collect();
        if &got != items {
            say(format!("items {got:#?}\nexpected {items:#?}"));
        }
    }
    for f in all
        .iter()
        .filter(|f| f.code.as_str().starts_with("ledger_"))
    {
        let ledger_sheet = ret.companions.ledger.as_ref().map(|l| l.name.as_str());
        if f.file.as_deref() != Some(o.path.as_str())
            || f.sheet.as_deref() != ledger_sheet
            || f.unit.as_deref() != Some(e.unit.as_str())
            || !f
                .message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        {
            say(format!(
                "finding does not name file, sheet, unit in Chinese: {f:?}"
            ));
        }
    }
    problems
}

#[test]
fn every_ledger_form_and_finding_reads_exactly() {
    let config = Config::embedded();
    let entries = manifest();
    assert!(entries.len() >= 25, "{} fixtures", entries.len());
    let problems: Vec<String> = entries.iter().flat_map(|e| verify(e, &config)).collect();
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_ledger_code_has_a_fixture_and_every_clean_form_items() {
    let entries = manifest();
    let codes: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.errors.iter().chain(&e.warnings))
        .map(|(c, _)| c.as_str())
        .collect();
    for c in [
        "ledger_invalid",
        "ledger_duplicate",
        "ledger_count_mismatch",
        "ledger_reopened",
        "ledger_date_outside",
    ] {
        assert!(codes.contains(c), "no fixture for {c}");
    }
    let sheets: BTreeSet<&str> = entries
        .iter()
        .filter_map(|e| e.ledger_sheet.as_deref())
        .collect();
    for s in ["意见建议办理台账", "台账", "Sheet2"] {
        assert!(sheets.contains(s), "no ledger sheet named {s}");
    }
    for ext in [".xls", ".ods", ".xlsx"] {
        assert!(
            entries
                .iter()
                .any(|e| e.file.ends_with(ext) && e.items.is_some()),
            "no clean ledger in {ext}"
        );
    }
}

/// A return with no ledger sheet has none (未报送台账), and neither has one whose ledger is hidden.
#[test]
fn no_ledger_is_none_not_empty() {
    let config = Config::embedded();
    for file in ["ledger_none.xlsx", "ledger_hidden.xlsx"] {
        let o = ingest_entry(&dir(), file, &config);
        assert!(o.ret.unwrap().companions.ledger.is_none(), "{file}");
    }
}

/// The same item in every writer and date system reads to the same dates.
#[test]
fn excel_dates_agree_across_writers_and_epochs() {
    let config = Config::embedded();
    let read = |file: &str| {
        let o = ingest_entry(&dir(), file, &config);
        let l = o.ret.unwrap().companions.ledger.unwrap();
        l.items
            .iter()
            .map(|i| (i.id.clone(), i.collected, i.settled))
            .collect::<Vec<_>>()
    };
    let xlsx = read("ledger_template.xlsx");
    assert_eq!(xlsx[2].1.to_string(), "2022-05-03");
    assert_eq!(
        xlsx[2].2.map(|d| d.to_string()).as_deref(),
        Some("2022-05-20")
    );
    for other in [
        "ledger_xlwt.xls",
        "ledger_libreoffice.ods",
        "ledger_1904.xlsx",
    ] {
        assert_eq!(read(other), xlsx, "{other}");
    }
}

/// An item is followed by its 编号 only when last month's ledger agrees on what it is: a new
/// 编号 on last month's item (renumbered) and last month's 编号 on another 收集日期 or 工作站
/// (reused) are refused at the cell; the same items as last month pass.
#[test]
fn renumbered_or_reused_numbers_against_last_month_are_refused() {
    let config = Config::embedded();
    let may = Period::new(2022, 5).unwrap();
    let o = ingest_entry(&dir(), "ledger_cumulative.xlsx", &config);
    let ret = o.ret.as_ref().unwrap();
    let unit = ret.unit_id().unwrap().to_string();
    let items = &ret.companions.ledger.as_ref().unwrap().items;
    assert!(items.len() >= 2);
    let prior = |i: &LedgerItem| Prior {
        status: i.status,
        identity: Some(Identity {
            collected: i.collected,
            station: i.station.clone(),
            deputies: i.deputies.clone(),
            content: i.content.clone(),
        }),
    };
    let run = |previous: HashMap<String, Prior>| {
        let by_unit = LedgerPrevious::from([(unit.clone(), previous)]);
        let checked = check_with(vec![o.clone()], may, &config, &Priors { ledger: by_unit });
        checked
            .report
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "ledger_duplicate")
            .map(|d| (d.cell.clone().unwrap_or_default(), d.message.clone()))
            .collect::<Vec<_>>()
    };
    let same: HashMap<String, Prior> = items.iter().map(|i| (i.id.clone(), prior(i))).collect();
    assert_eq!(run(same.clone()), vec![]);

    // Last month the first item had another number: this month's is a new 编号 for it.
    let mut renumbered = same.clone();
    let first = &items[0];
    let p = renumbered.remove(&first.id).unwrap();
    renumbered.insert("旧-001".into(), p);
    let found = run(renumbered);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, first.cells.id);
    assert!(found[0].1.contains("旧-001"), "{}", found[0].1);

    // Last month the second item's 编号 was on an item collected another day, at another station.
    let second = &items[1];
    for (field, change) in [("收集日期", 0), ("工作站", 1)] {
        let mut reused = same.clone();
        let p = reused.get_mut(&second.id).unwrap();
        let id = p.identity.as_mut().unwrap();
        if change == 0 {
            id.collected = id.collected.pred_opt().unwrap();
        } else {
            id.station.push_str("(另一站)");
        }
        let found = run(reused);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains(field), "{}", found[0].1);
    }
}
