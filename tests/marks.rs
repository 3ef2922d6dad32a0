//! Marked returns (SPEC §9): a copy of every fixture written by other programs is read back
//! exactly as the town's own file (figures, ledger, findings at the same cells), its marks
//! are where the findings are (calamine: fill and value; the comments part: the note), its
//! 退回说明 lists them, and the same inputs give the same bytes.

use crate::common;

use std::collections::BTreeSet;
use std::io::Read;

use sha2::Digest;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};
use liaison::check::{Checked, check};
use liaison::config::Config;
use liaison::core::text::{Period, a1_position};
use liaison::forms::monthly::ingest_entry;
use liaison::marks::{self, SendBack};

const MAY: (i32, u32) = (2022, 5);

fn may() -> Period {
    Period::new(MAY.0, MAY.1).unwrap()
}

/// The check of one file alone.
fn check_one(dir: &Path, name: &str, config: &Config) -> Checked {
    check(vec![ingest_entry(dir, name, config)], may(), config)
}

/// The marked copy of the one file of `checked` (made even when it has no finding), written
/// into `out` under the name `--mark` gives it; returns that name.
fn mark_copy(checked: &Checked, config: &Config, out: &Path) -> String {
    let report = &checked.report;
    let plan = marks::plan(report, config);
    let file = &report.files[0];
    let s = match plan.send_backs.into_iter().next() {
        Some(s) => s,
        None => {
            let unit_name = file
                .unit
                .as_deref()
                .and_then(|u| config.unit(u))
                .map(|u| u.name.clone());
            let name = marks::marked_name(file, &[], unit_name.as_deref(), may());
            SendBack {
                file,
                findings: Vec::new(),
                unit_name,
                name,
            }
        }
    };
    let bytes = marks::marked_workbook(&s, may(), config).unwrap();
    std::fs::create_dir_all(out).unwrap();
    std::fs::write(out.join(&s.name), bytes).unwrap();
    s.name
}

/// What a check says of a file, without its name: verdict, unit, figures, ledger, findings.
#[derive(Debug, PartialEq)]
struct Reading {
    status: String,
    unit: Option<String>,
    stations: Option<usize>,
    totals: Option<String>,
    counted: Vec<String>,
    findings: BTreeSet<(String, Option<String>, Option<String>)>,
}

fn reading(c: &Checked) -> Reading {
    let f = &c.report.files[0];
    Reading {
        status: format!("{:?}", f.status),
        unit: f.unit.clone(),
        stations: f.stations,
        totals: f.totals.as_ref().map(|t| serde_json::to_string(t).unwrap()),
        counted: c
            .counted
            .iter()
            .map(|k| {
                format!(
                    "{} {:?} {:?}",
                    k.sheet,
                    k.stations,
                    k.companions.ledger.as_ref().map(|l| &l.items)
                )
            })
            .collect(),
        findings: c
            .report
            .diagnostics
            .iter()
            // A formula whose result was not saved comes back as its text: still refused at
            // the same cell, as text that is not a number.
            .map(|d| {
                match d.code.as_str().as_str() {
                    "formula_without_value" => "invalid_value".to_string(),
                    other => other.to_string(),
                }
                .pipe(|code| (code, d.sheet.clone(), d.cell.clone()))
            })
            .collect(),
    }
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}

/// The fixtures written by other programs, and the sample months (.xls, .ods, .xlsx from
/// several writers, with ledger sheets).
fn fixture_dirs() -> Vec<PathBuf> {
    let r = common::root();
    ["returns", "ledger", "duplicate"]
        .iter()
        .map(|d| r.join("tests/fixtures").join(d))
        .chain([r.join("input/2022-05"), r.join("input/2022-06")])
        .collect()
}

fn spreadsheets(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".json"))
        .collect();
    v.sort();
    v
}

/// Every fixture: its marked copy (untouched) reads exactly as the file itself.
#[test]
fn every_fixture_reads_back_the_same_from_its_marked_copy() {
    let config = Config::embedded();
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut n = 0;
    for dir in fixture_dirs() {
        for name in spreadsheets(&dir) {
            let original = check_one(&dir, &name, &config);
            let out = tmp.path().join(format!("{n}"));
            n += 1;
            let copy = mark_copy(&original, &config, &out);
            let again = check_one(&out, &copy, &config);
            let (a, b) = (reading(&original), reading(&again));
            if a != b {
                problems.push(format!("{name}:\n  original {a:?}\n  copy     {b:?}"));
            }
        }
    }
    assert!(n > 100, "only {n} fixtures");
    assert!(
        problems.is_empty(),
        "{} of {n}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The note of each cell of one sheet of an .xlsx, from its comments part.
fn notes(path: &Path, sheet_index: usize) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let rels = format!("xl/worksheets/_rels/sheet{sheet_index}.xml.rels");
    let Ok(mut r) = zip.by_name(&rels) else {
        return Vec::new();
    };
    let mut text = String::new();
    r.read_to_string(&mut text).unwrap();
    drop(r);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let Some(target) = doc
        .descendants()
        .filter(|n| n.has_tag_name("Relationship"))
        .find(|n| n.attribute("Type").unwrap_or("").ends_with("/comments"))
        .and_then(|n| n.attribute("Target"))
    else {
        return Vec::new();
    };
    let part = format!("xl/{}", target.trim_start_matches("../"));
    let mut text = String::new();
    zip.by_name(&part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("comment"))
        .map(|c| {
            let words: String = c
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            (c.attribute("ref").unwrap().to_string(), words)
        })
        .collect()
}

/// For every kind of finding with a cell: the copy's cell carries the value as read, the
/// fill of its severity and a note with the message and the code; the 退回说明 lists it.
#[test]
fn every_kind_of_finding_is_marked_at_its_cell_and_listed() {
    let config = Config::embedded();
    let tmp = tempfile::tempdir().unwrap();
    let mut kinds = BTreeSet::new();
    let mut n = 0;
    for dir in fixture_dirs() {
        for name in spreadsheets(&dir) {
            let original = check_one(&dir, &name, &config);
            if original.report.diagnostics.is_empty() {
                continue;
            }
            let out = tmp.path().join(format!("{n}"));
            n += 1;
            let copy = out.join(mark_copy(&original, &config, &out));
            let mut wb = open_workbook_auto(&copy).unwrap();
            let names = wb.sheet_names();
            assert_eq!(names[0], "退回说明", "{name}");
            let cover = wb.worksheet_range("退回说明").unwrap();
            let cover_text: String = cover.used_cells().map(|(_, _, d)| d.to_string()).collect();
            let mut src = open_workbook_auto(dir.join(&name)).unwrap();
            for d in original
                .report
                .diagnostics
                .iter()
                .filter(|d| d.file.is_some())
            {
                assert!(
                    cover_text.contains(&d.message),
                    "{name}: 退回说明 lacks {}",
                    d.message
                );
                let (Some(sheet), Some(cell)) = (&d.sheet, &d.cell) else {
                    continue;
                };
                kinds.insert(d.code.as_str());
                let (r, c) = a1_position(cell).unwrap();
                let (r, c) = (r as u32, c as u32);
                // The value as read.
                let want = src
                    .worksheet_range(sheet)
                    .unwrap()
                    .get_value((r, c))
                    .cloned();
                let got = wb
                    .worksheet_range(sheet)
                    .unwrap()
                    .get_value((r, c))
                    .cloned();
                let want = want.unwrap_or(Data::Empty);
                let got = got.unwrap_or(Data::Empty);
                let formula = src
                    .worksheet_formula(sheet)
                    .ok()
                    .and_then(|f| f.get_value((r, c)).cloned())
                    .unwrap_or_default();
                let same = match (&want, &got) {
                    // A formula whose result was not saved, or cannot be trusted (the
                    // workbook recalculates on open), is written as its text.
                    (_, Data::String(s)) if !formula.is_empty() && s.starts_with('=') => {
                        s.trim_start_matches('=') == formula.trim_start_matches('=')
                    }
                    (Data::Int(i), Data::Float(f)) => *i as f64 == *f,
                    (Data::Error(e), Data::String(s)) => e.to_string() == *s,
                    (Data::DateTimeIso(_), Data::DateTime(_)) => true,
                    _ => want == got,
                };
                assert!(same, "{name} {sheet}!{cell}: {want:?} → {got:?}");
                // The fill of its severity.
                let style = wb_style(&copy, sheet, r, c);
                let rgb = if d.is_error() { "FF8C8C" } else { "FFE866" };
                let worst_is_error = original
                    .report
                    .diagnostics
                    .iter()
                    .any(|o| o.cell == d.cell && o.sheet == d.sheet && o.is_error());
                let want_rgb = if worst_is_error { "FF8C8C" } else { rgb };
                assert_eq!(
                    style.as_deref(),
                    Some(want_rgb),
                    "{name} {sheet}!{cell} fill"
                );
                // The note, with message and code.
                let index = names.iter().position(|s| s == sheet).unwrap() + 1;
                let note = notes(&copy, index)
                    .into_iter()
                    .find(|(at, _)| at == cell)
                    .map(|(_, t)| t)
                    .unwrap_or_default();
                assert!(
                    note.contains(&d.message) && note.contains(&d.code.as_str()),
                    "{name} {sheet}!{cell}: note {note:?}"
                );
            }
        }
    }
    for code in [
        "invalid_value",
        "negative_value",
        "fraction_value",
        "formula_without_value",
        "total_mismatch",
        "duplicate_station",
        "period_mismatch",
        "coerced_value",
        "ledger_invalid",
    ] {
        assert!(kinds.contains(code), "no fixture marks {code}: {kinds:?}");
    }
}

/// The fill colour of a cell of an .xlsx sheet (RGB hex), through calamine's styles.
fn wb_style(path: &Path, sheet: &str, r: u32, c: u32) -> Option<String> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let styles = wb.worksheet_style(sheet).ok()?;
    let style = styles.get((r, c))?;
    let color = style.fill.as_ref()?.get_color()?;
    Some(format!(
        "{:02X}{:02X}{:02X}",
        color.red, color.green, color.blue
    ))
}

#[derive(serde::Deserialize)]
struct Corrected {
    fixture: String,
    marked: String,
    marked_sha256: String,
    corrected: String,
    cells: Vec<(String, String, serde_json::Value)>,
}

/// Each value error, corrected by openpyxl at the marked cell of the marked copy
/// (`tools/fixtures/make_mark_fixtures.py`), is checked clean and read exactly: the town's
/// figures with the corrected cells, nothing else changed.
#[test]
fn a_marked_copy_corrected_at_its_marked_cells_reads_exactly() {
    let config = Config::embedded();
    let marks_dir = common::root().join("tests/fixtures/marks");
    let cases: Vec<Corrected> =
        serde_json::from_slice(&std::fs::read(marks_dir.join("expected.json")).unwrap()).unwrap();
    assert!(cases.len() >= 10);
    let tmp = tempfile::tempdir().unwrap();
    for (i, case) in cases.iter().enumerate() {
        let fixture = common::root().join("tests/fixtures").join(&case.fixture);
        let (dir, name) = (fixture.parent().unwrap(), fixture.file_name().unwrap());
        let name = name.to_str().unwrap();
        let original = check_one(dir, name, &config);
        assert!(original.report.has_errors(), "{name}");
        // The copy corrected is today's marked copy.
        let plan = marks::plan(&original.report, &config);
        let s = &plan.send_backs[0];
        assert_eq!(s.name, case.marked, "{name}");
        let bytes = marks::marked_workbook(s, may(), &config).unwrap();
        let sha = liaison::core::text::hex(&sha2::Sha256::digest(&bytes));
        assert_eq!(
            sha, case.marked_sha256,
            "{name}: the marked copy changed; re-run tools/fixtures/make_mark_fixtures.py"
        );
        // Each error of the town's file was at a corrected cell.
        for d in original.report.diagnostics.iter().filter(|d| d.is_error()) {
            assert!(
                case.cells
                    .iter()
                    .any(|(_, c, _)| Some(c) == d.cell.as_ref()),
                "{name}: {d:?} not corrected"
            );
        }
        let out = tmp.path().join(format!("{i}"));
        std::fs::create_dir_all(&out).unwrap();
        std::fs::copy(marks_dir.join(&case.corrected), out.join(&case.marked)).unwrap();
        let again = check_one(&out, &case.marked, &config);
        let errors: Vec<_> = again
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{name} corrected: {errors:?}");
        // The town's figures, read from its own file, with the corrected cells.
        let town = ingest_entry(dir, name, &config).ret.unwrap();
        let mut want: Vec<(String, Vec<u64>)> = town
            .stations
            .iter()
            .map(|s| (s.name.clone(), s.values.clone()))
            .collect();
        for (sheet, cell, value) in &case.cells {
            let Some(v) = value.as_u64() else { continue };
            assert_eq!(sheet, &town.sheet);
            let pos = a1_position(cell).map(|(r, c)| (r as u32, c as u32));
            let (si, mi) = town
                .stations
                .iter()
                .enumerate()
                .find_map(|(si, s)| Some((si, s.cells.iter().position(|c| *c == pos)?)))
                .unwrap_or_else(|| panic!("{name}: {cell} is no station figure"));
            want[si].1[mi] = v;
        }
        let got = &again.counted[0];
        let got: Vec<(String, Vec<u64>)> = got
            .stations
            .iter()
            .map(|s| (s.name.clone(), s.values.clone()))
            .collect();
        assert_eq!(got, want, "{name}");
        // A ledger row refused for its cell is read once corrected; the others as they were.
        let before = town.companions.ledger.as_ref().map_or(0, |l| l.items.len());
        let after = again.counted[0]
            .companions
            .ledger
            .as_ref()
            .map_or(0, |l| l.items.len());
        let fixed_ledger = case.cells.iter().filter(|(_, _, v)| v.is_string()).count();
        assert_eq!(after, before + fixed_ledger, "{name}: ledger items");
    }
}
