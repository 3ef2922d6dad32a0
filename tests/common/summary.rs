//! The archive the summary tests start from — months by other writers (openpyxl, xlwt,
//! LibreOffice): the previous year, a month of an older form, a preliminary month — and the
//! helpers that read a summary workbook back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook};
use liaison::archive::Options as PublishOptions;
use liaison::check::Status;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::summary::{self, Options, Outcome, Span, SummaryError};
use sha2::{Digest, Sha256};

use super::publishing;

/// Each counted unit's figures of a month, one per id of the embedded config (None: the
/// month's form lacked the metric).
pub type Month = BTreeMap<String, Vec<Option<i64>>>;

pub struct Built {
    /// The folder holding `output/`.
    pub dir: tempfile::TempDir,
    /// What each month counted.
    pub months: BTreeMap<Period, Month>,
}

pub fn p(s: &str) -> Period {
    Period::parse_canonical(s).unwrap()
}

pub fn ids() -> Vec<String> {
    liaison::check::Totals::ids(&Config::embedded()).to_vec()
}

pub fn fixtures() -> PathBuf {
    super::root().join("tests/fixtures/summary")
}

pub fn old_config() -> Config {
    Config::load(&fixtures().join("changsha-2022-04.toml")).unwrap()
}

/// Publishes `dir` as `month` with `config` (allowing a partial month) and returns its figures
/// as the check counted them, file by file.
pub fn publish(out: &Path, dir: &Path, month: &str, config: &Config) -> Month {
    let checked = publishing::checked(dir, p(month), config);
    let opts = PublishOptions {
        allow_partial: true,
        ..PublishOptions::default()
    };
    publishing::publish(out, &checked, config, &opts, false);
    let mut m = Month::new();
    for f in checked
        .report
        .files
        .iter()
        .filter(|f| f.status == Status::Ok)
    {
        let t = f.totals.as_ref().unwrap();
        let v = ids().iter().map(|id| t.get(id).map(|x| x as i64)).collect();
        m.insert(f.unit.clone().unwrap(), v);
    }
    m
}

/// The archive every test starts from (built once, copied per test): 2021-05 and 2021-06,
/// 2022-04 under the older form, the samples' 2022-05, and 2022-06 published 初步 without
/// 开慧镇 (not sent) and with 北山镇's return refused.
pub fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let (full, f, root) = (Config::embedded(), fixtures(), super::root());
        let mut months = BTreeMap::new();
        for m in ["2021-05", "2021-06"] {
            months.insert(p(m), publish(&out, &f.join(m), m, &full));
        }
        months.insert(
            p("2022-04"),
            publish(&out, &f.join("2022-04"), "2022-04", &old_config()),
        );
        let may = root.join("input/2022-05");
        months.insert(p("2022-05"), publish(&out, &may, "2022-05", &full));
        let june = dir.path().join("2022-06");
        std::fs::create_dir(&june).unwrap();
        for e in std::fs::read_dir(root.join("input/2022-06")).unwrap() {
            let e = e.unwrap();
            if !e.file_name().to_string_lossy().starts_with("开慧镇") {
                std::fs::copy(e.path(), june.join(e.file_name())).unwrap();
            }
        }
        for e in std::fs::read_dir(f.join("2022-06-refused")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), june.join(e.file_name())).unwrap();
        }
        months.insert(p("2022-06"), publish(&out, &june, "2022-06", &full));
        Built { dir, months }
    })
}

/// A copy of the built archive for one test.
pub fn archive() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("output");
    copy_tree(&built().dir.path().join("output"), &out);
    (t, out)
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The expected sum of id `i` over `months`: None when a month lacked it.
pub fn sum(months: &[&str], i: usize, unit: Option<&str>) -> Option<i64> {
    let b = built();
    months
        .iter()
        .flat_map(|m| b.months[&p(m)].iter())
        .filter(|(u, _)| unit.is_none_or(|x| x == *u))
        .map(|(_, v)| v[i])
        .sum()
}

pub fn index(id: &str) -> usize {
    ids().iter().position(|x| x == id).unwrap()
}

pub fn run(out: &Path, span: Span, opts: &Options) -> Result<Outcome, SummaryError> {
    let origin = ("(内置长沙县配置)", liaison::config::DEFAULT_TOML);
    summary::run(out, span, &Config::embedded(), origin, opts)
}

pub fn written(o: Outcome) -> PathBuf {
    match o {
        Outcome::Written { dir, .. } => dir,
        other => panic!("not written: {other:?}"),
    }
}

pub fn sheet(book: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(book).unwrap();
    wb.worksheet_range(name).unwrap()
}

pub fn cell(d: &Data) -> Option<i64> {
    match d {
        Data::Float(f) => Some(*f as i64),
        Data::Int(i) => Some(*i),
        Data::String(s) if s == "—" => None,
        other => panic!("not a figure: {other:?}"),
    }
}

/// The row whose column `c` reads `label`.
pub fn row_of<'a>(r: &'a calamine::Range<Data>, c: usize, label: &str) -> &'a [Data] {
    r.rows()
        .find(|row| row.get(c).map(|d| d.to_string()) == Some(label.to_string()))
        .unwrap_or_else(|| panic!("no row {label}"))
}

/// The column whose header (title, group row, column row) reads `name`.
pub fn col(r: &calamine::Range<Data>, name: &str) -> usize {
    r.rows()
        .take(3)
        .find_map(|row| {
            row.iter()
                .position(|d| matches!(d, Data::String(s) if s == name))
        })
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

pub fn text(r: &calamine::Range<Data>) -> String {
    r.rows()
        .flat_map(|row| row.iter().map(|d| d.to_string()))
        .collect::<Vec<_>>()
        .join("|")
}

pub fn sha(path: &Path) -> String {
    let h = Sha256::digest(std::fs::read(path).unwrap());
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file of the archive but the summaries, by path and hash.
pub fn archive_state(out: &Path) -> BTreeMap<String, String> {
    let mut all = super::hash_tree(out);
    all.retain(|k, _| !k.starts_with("summaries"));
    all
}

/// The receipt log of 2022-05 as SPEC's columns say: every counted version on time, except
/// 金井镇's (modified after the 20th of June); 星沙街道 first sent a version that was refused.
pub fn write_receipts(out: &Path) {
    use polars::prelude::*;
    let m = liaison::archive::Manifest::read(&out.join("2022-05")).unwrap();
    let mut rows: Vec<[String; 6]> = Vec::new();
    for i in m.inputs.iter().filter(|i| i.status == "ok") {
        let unit = i.unit.clone().unwrap();
        if unit == "xingsha" {
            let bad = "0".repeat(64);
            let first = "2022-06-02T09:00:00+08:00";
            rows.push([
                unit.clone(),
                "星沙街道5月报表.xlsx".into(),
                bad,
                first.into(),
                first.into(),
                "error".into(),
            ]);
        }
        let modified = if unit == "jinjing" {
            "2022-06-21T08:30:00+08:00"
        } else {
            "2022-06-18T17:00:00+08:00"
        };
        let seen = "2022-06-20T23:59:00+08:00";
        rows.push([
            unit,
            i.path.clone(),
            i.sha256.clone().unwrap(),
            seen.into(),
            modified.into(),
            "ok".into(),
        ]);
    }
    let column = |k: usize, name: &str| {
        Column::new(
            name.into(),
            rows.iter().map(|r| r[k].clone()).collect::<Vec<_>>(),
        )
    };
    let codes: ListChunked = rows
        .iter()
        .map(|r| {
            let c: Vec<&str> = if r[5] == "error" {
                vec!["negative_value"]
            } else {
                vec![]
            };
            Some(Series::new("".into(), c))
        })
        .collect();
    let names = [
        "unit_id",
        "file",
        "sha256",
        "first_seen",
        "modified",
        "status",
    ];
    let mut cols: Vec<Column> = names
        .iter()
        .enumerate()
        .map(|(k, n)| column(k, n))
        .collect();
    cols.push(codes.with_name("codes".into()).into_series().into());
    let mut df = DataFrame::new(rows.len(), cols).unwrap();
    // `report` logs every month it publishes (SPEC §9); the other months stand for months
    // published before the receipt log was kept ("未登记", never a guess).
    for e in std::fs::read_dir(out.join("receipts"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if e.file_name() != "period=2022-05" {
            std::fs::remove_dir_all(e.path()).unwrap();
        }
    }
    let part = out.join("receipts/period=2022-05/part-0.parquet");
    std::fs::create_dir_all(part.parent().unwrap()).unwrap();
    std::fs::write(part, liaison::history::encode(&mut df).unwrap()).unwrap();
}
