//! `liaison summary` over an archive of months by other writers (openpyxl, xlwt, LibreOffice):
//! the previous year for 同比, a month under an older form (no 述职), a preliminary month (one
//! return refused, one not sent). The workbook read back with calamine must state the sums of
//! the published months exactly; coverage, 报送考核, briefing and manifest are checked too.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::publishing;
use liaison::archive::{Archive, Options as PublishOptions};
use liaison::check::Status;
use liaison::config::Config;
use liaison::summary::{self, Options, Outcome, Span, SummaryError};
use liaison::text::Period;
use sha2::{Digest, Sha256};

/// Each counted unit's figures of a month, one per id of the embedded config (None: the
/// month's form lacked the metric).
type Month = BTreeMap<String, Vec<Option<i64>>>;

struct Built {
    dir: tempfile::TempDir,
    months: BTreeMap<Period, Month>,
}

fn p(s: &str) -> Period {
    Period::parse_canonical(s).unwrap()
}

fn ids() -> Vec<String> {
    liaison::check::Totals::ids(&Config::embedded()).to_vec()
}

fn fixtures() -> PathBuf {
    common::root().join("tests/fixtures/summary")
}

fn old_config() -> Config {
    Config::load(&fixtures().join("changsha-2022-04.toml")).unwrap()
}

/// Publishes `dir` as `month` with `config` (allowing a partial month) and returns its figures
/// as the check counted them, file by file.
fn publish(out: &Path, dir: &Path, month: &str, config: &Config) -> Month {
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
fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let (full, f, root) = (Config::embedded(), fixtures(), common::root());
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
fn archive() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("output");
    copy_tree(&built().dir.path().join("output"), &out);
    (t, out)
}

fn copy_tree(from: &Path, to: &Path) {
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
fn sum(months: &[&str], i: usize, unit: Option<&str>) -> Option<i64> {
    let b = built();
    months
        .iter()
        .flat_map(|m| b.months[&p(m)].iter())
        .filter(|(u, _)| unit.is_none_or(|x| x == *u))
        .map(|(_, v)| v[i])
        .sum()
}

fn index(id: &str) -> usize {
    ids().iter().position(|x| x == id).unwrap()
}

fn run(out: &Path, span: Span, opts: &Options) -> Result<Outcome, SummaryError> {
    let origin = ("(内置长沙县配置)", liaison::config::DEFAULT_TOML);
    summary::run(out, span, &Config::embedded(), origin, opts)
}

fn written(o: Outcome) -> PathBuf {
    match o {
        Outcome::Written { dir, .. } => dir,
        other => panic!("not written: {other:?}"),
    }
}

fn sheet(book: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(book).unwrap();
    wb.worksheet_range(name).unwrap()
}

fn cell(d: &Data) -> Option<i64> {
    match d {
        Data::Float(f) => Some(*f as i64),
        Data::Int(i) => Some(*i),
        Data::String(s) if s == "—" => None,
        other => panic!("not a figure: {other:?}"),
    }
}

/// The row whose column `c` reads `label`.
fn row_of<'a>(r: &'a calamine::Range<Data>, c: usize, label: &str) -> &'a [Data] {
    r.rows()
        .find(|row| row.get(c).map(|d| d.to_string()) == Some(label.to_string()))
        .unwrap_or_else(|| panic!("no row {label}"))
}

/// The column whose header (title, group row, column row) reads `name`.
fn col(r: &calamine::Range<Data>, name: &str) -> usize {
    r.rows()
        .take(3)
        .find_map(|row| {
            row.iter()
                .position(|d| matches!(d, Data::String(s) if s == name))
        })
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

fn text(r: &calamine::Range<Data>) -> String {
    r.rows()
        .flat_map(|row| row.iter().map(|d| d.to_string()))
        .collect::<Vec<_>>()
        .join("|")
}

fn sha(path: &Path) -> String {
    let h = Sha256::digest(std::fs::read(path).unwrap());
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file of the archive but the summaries, by path and hash.
fn archive_state(out: &Path) -> BTreeMap<String, String> {
    let mut all = common::hash_tree(out);
    all.retain(|k, _| !k.starts_with("summaries"));
    all
}

/// The receipt log of 2022-05 as SPEC's columns say: every counted version on time, except
/// 金井镇's (modified after the 20th of June); 星沙街道 first sent a version that was refused.
fn write_receipts(out: &Path) {
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
    let part = out.join("receipts/period=2022-05/part-0.parquet");
    std::fs::create_dir_all(part.parent().unwrap()).unwrap();
    std::fs::write(part, liaison::history::encode(&mut df).unwrap()).unwrap();
}

#[test]
fn the_summary_states_the_sums_of_the_published_months() {
    let (_t, out) = archive();
    write_receipts(&out);
    let before = archive_state(&out);
    let span = Span::range(p("2022-05"), p("2022-06")).unwrap();
    let opts = Options {
        due_day: Some(20),
        ..Options::default()
    };
    let dir = written(run(&out, span, &opts).unwrap());
    assert_eq!(before, archive_state(&out), "the archive was changed");
    assert_eq!(dir, out.join("summaries/2022年5月至6月"));
    let book = dir.join("长沙县2022年5月至6月代表进站活动汇总表.xlsx");
    let both = ["2022-05", "2022-06"];

    // 汇总: every metric is the sum of both months; 同比 like for like (June lacks two units).
    let s = sheet(&book, "汇总");
    let (total, like, prev, change) = (
        col(&s, "本期合计"),
        col(&s, "本期\n（同口径）"),
        col(&s, "上年同期"),
        col(&s, "同比增减"),
    );
    let c = Config::embedded();
    let labels: Vec<(String, String)> = std::iter::once((
        "deputies_total".to_string(),
        "进站代表人数（合计）".to_string(),
    ))
    .chain(
        c.level_metrics()
            .map(|m| (m.id.clone(), format!("　其中：{}级", m.label))),
    )
    .chain(
        c.headline_metrics()
            .map(|m| (m.id.clone(), m.label.clone())),
    )
    .chain(
        c.method_metrics()
            .map(|m| (m.id.clone(), format!("活动方式：{}", m.label))),
    )
    .collect();
    let b = built();
    for (id, label) in &labels {
        let row = row_of(&s, 0, label);
        let i = index(id);
        assert_eq!(cell(&row[total]), sum(&both, i, None), "{label}");
        let (mut cur, mut last) = (0, 0);
        for (now, then) in [("2022-05", "2021-05"), ("2022-06", "2021-06")] {
            for (u, v) in &b.months[&p(now)] {
                if let Some(w) = b.months[&p(then)].get(u) {
                    cur += v[i].unwrap();
                    last += w[i].unwrap();
                }
            }
        }
        assert_eq!(cell(&row[like]), Some(cur), "{label} 同口径");
        assert_eq!(cell(&row[prev]), Some(last), "{label} 上年同期");
        assert_eq!(cell(&row[change]), Some(cur - last), "{label} 同比增减");
    }
    assert_eq!(row_of(&s, 0, "进站代表人数（合计）")[1].to_string(), "人次");
    assert_eq!(row_of(&s, 0, "　其中：县级")[1].to_string(), "人次");
    let notes = text(&s);
    assert!(
        notes.contains("同口径") && notes.contains("34 个单位·月"),
        "{notes}"
    );
    assert!(
        notes.contains("开慧镇（未报送）") && notes.contains("北山镇（报表未通过审核：J5 单元格"),
        "{notes}"
    );

    // 分镇街: each unit's total and months counted.
    let u = sheet(&book, "分镇街");
    let dep = index("deputies_total");
    for unit in &c.units {
        let row = row_of(&u, 1, &unit.name);
        let months = both
            .iter()
            .filter(|m| b.months[&p(m)].contains_key(&unit.id))
            .count();
        assert_eq!(cell(&row[2]), Some(months as i64), "{}", unit.name);
        assert_eq!(
            cell(&row[3]),
            sum(&both, dep, Some(&unit.id)),
            "{}",
            unit.name
        );
    }
    assert_eq!(cell(&row_of(&u, 1, "开慧镇")[2]), Some(1));
    assert_eq!(cell(&row_of(&u, 1, "合计")[3]), sum(&both, dep, None));

    // 逐月: the county each month; units × months of 接待走访选民 with "—" where not counted.
    let m = sheet(&book, "逐月");
    let voters = index("voters_received");
    let vc = col(&m, "接待走访选民\n（人次）");
    for month in both {
        let row = row_of(&m, 0, &format!("2022年{}月", &month[6..]));
        assert_eq!(cell(&row[vc]), sum(&[month], voters, None), "{month}");
    }
    let v = sheet(&book, "逐月·接待走访选民");
    let kaihui = row_of(&v, 0, "开慧镇");
    assert_eq!(cell(&kaihui[1]), sum(&["2022-05"], voters, Some("kaihui")));
    assert_eq!(cell(&kaihui[2]), None);

    // 覆盖说明: June 初步 with both units named; the previous year's months used for 同比.
    let cov = sheet(&book, "覆盖说明");
    let june = row_of(&cov, 0, "2022年6月");
    assert_eq!(june[2].to_string(), "初步");
    assert_eq!(cell(&june[3]), Some(16));
    let why = june[5].to_string();
    assert!(
        why.contains("北山镇（报表未通过审核：") && why.contains("开慧镇（未报送）"),
        "{why}"
    );
    assert_eq!(june[8].to_string(), sha(&out.join("2022-06/manifest.json")));
    assert_eq!(row_of(&cov, 0, "2021年6月")[1].to_string(), "上年同期");
    assert_eq!(row_of(&cov, 0, "2022年5月")[7].to_string(), "有");
    assert_eq!(june[7].to_string(), "未登记");

    // 报送考核: from the manifests, and from May's receipt log (June kept none).
    let a = sheet(&book, "报送考核");
    let (back, first, on_time) = (5, 6, 7);
    let xingsha = row_of(&a, 1, "星沙街道");
    assert_eq!(
        [
            cell(&xingsha[back]),
            cell(&xingsha[first]),
            cell(&xingsha[on_time])
        ],
        [Some(1), Some(0), Some(1)]
    );
    let jinjing = row_of(&a, 1, "金井镇");
    assert_eq!(
        [
            cell(&jinjing[back]),
            cell(&jinjing[first]),
            cell(&jinjing[on_time])
        ],
        [Some(0), Some(1), Some(0)]
    );
    let beishan = row_of(&a, 1, "北山镇");
    assert_eq!((cell(&beishan[2]), cell(&beishan[3])), (Some(2), Some(1)));
    assert!(
        beishan[4]
            .to_string()
            .starts_with("2022年6月：报表未通过审核："),
        "{:?}",
        beishan[4]
    );
    let notes = text(&a);
    assert!(
        notes.contains("只计有收文登记的2022年5月") && notes.contains("2022年6月没有收文登记"),
        "{notes}"
    );

    // The briefing: person-times, never 名; the preliminary note; 同比 like for like.
    let md = std::fs::read_to_string(dir.join("简报.md")).unwrap();
    let n = |id: &str| sum(&both, index(id), None).unwrap();
    let headline = format!(
        "2022年5月至6月，全县共有{}人次各级人大代表进站开展活动，共接待和走访选民{}人次，开展政策、法规宣讲{}场次，收集反馈意见建议{}条，帮助群众解决困难和问题{}个。",
        n("deputies_total"),
        n("voters_received"),
        n("publicity_sessions"),
        n("suggestions_collected"),
        n("problems_solved")
    );
    assert!(md.contains(&headline), "{md}");
    assert!(!md.contains("名各级人大代表"), "{md}");
    assert!(
        md.contains("（初步数据：") && md.contains("同口径：两年同一月份都计入的34个单位·月"),
        "{md}"
    );

    // The manifest names each publication used by its manifest's sha256, and every output.
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let used: Vec<(String, String, String)> = man["publications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["period"].as_str().unwrap().into(),
                u["role"].as_str().unwrap().into(),
                u["manifest_sha256"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("2021-05", "上年同期"),
        ("2021-06", "上年同期"),
        ("2022-05", "本期"),
        ("2022-06", "本期"),
    ]
    .iter()
    .map(|(m, r)| {
        (
            m.to_string(),
            r.to_string(),
            sha(&out.join(m).join("manifest.json")),
        )
    })
    .collect();
    assert_eq!(used, want);
    assert_eq!(man["preliminary"], true);
    assert_eq!(
        man["receipts"][0]["sha256"].as_str().unwrap(),
        sha(&out.join("receipts/period=2022-05/part-0.parquet"))
    );
    assert_eq!(
        man["ledger"]["path"],
        "ledger/period=2022-06/part-0.parquet"
    );
    let outputs = man["outputs"].as_array().unwrap();
    assert!(outputs.len() >= 13, "{outputs:?}");
    for o in outputs {
        let path = dir.join(o["path"].as_str().unwrap());
        assert_eq!(o["sha256"].as_str().unwrap(), sha(&path), "{path:?}");
    }
}

#[test]
fn a_month_of_an_older_form_shows_a_dash_never_zero() {
    let (_t, out) = archive();
    let span = Span::quarter("2022-Q2").unwrap();
    let dir = written(run(&out, span, &Options::default()).unwrap());
    let book = dir.join("长沙县2022年第2季度代表进站活动汇总表.xlsx");
    let q2 = ["2022-04", "2022-05", "2022-06"];
    let s = sheet(&book, "汇总");
    let total = col(&s, "本期合计");
    let report = row_of(&s, 0, "活动方式：述职");
    assert_eq!(report[total].to_string(), "—");
    let voters = row_of(&s, 0, "接待走访选民");
    assert_eq!(
        cell(&voters[total]),
        sum(&q2, index("voters_received"), None)
    );
    let notes = text(&s);
    let known = sum(&["2022-05", "2022-06"], index("method_report"), None).unwrap();
    assert!(
        notes.contains(&format!(
            "述职：2022年4月的报表式样没有该项，本期合计记“—”，不作 0 计（其余月份之和为 {known}）"
        )),
        "{notes}"
    );
    assert!(notes.contains("上年同期的2021年4月未发布"), "{notes}");
    // 逐月: April's 述职 is "—", May's a figure.
    let m = sheet(&book, "逐月");
    let c = col(&m, "述职");
    assert_eq!(row_of(&m, 0, "2022年4月")[c].to_string(), "—");
    assert_eq!(
        cell(&row_of(&m, 0, "2022年5月")[c]),
        sum(&["2022-05"], index("method_report"), None)
    );
    // 活动方式: a unit's 述职 over the quarter is "—" too, and so is the row's total.
    let a = sheet(&book, "活动方式");
    let row = row_of(&a, 0, "星沙街道");
    assert_eq!(row[col(&a, "述职")].to_string(), "—");
    assert_eq!(row[col(&a, "合计")].to_string(), "—");
    assert_eq!(
        cell(&row[col(&a, "接待")]),
        sum(&q2, index("method_reception"), Some("xingsha"))
    );
    let cov = sheet(&book, "覆盖说明");
    assert_eq!(row_of(&cov, 0, "2022年4月")[6].to_string(), "述职");
    let md = std::fs::read_to_string(dir.join("简报.md")).unwrap();
    assert!(md.contains("述职：2022年4月的报表式样没有该项"), "{md}");
}

#[test]
fn an_unpublished_month_is_refused_unless_partial() {
    let (_t, out) = archive();
    let r = common::root();
    let args = [
        "--output",
        out.to_str().unwrap(),
        "summary",
        "--half",
        "2022-H1",
    ];
    let (code, stdout, _) = common::run(&r, &args, &out.join("2022-05"));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("2022年1月、2月、3月尚未发布") && stdout.contains("--allow-partial"),
        "{stdout}"
    );
    assert!(!out.join("summaries").exists());
    let mut partial = args.to_vec();
    partial.push("--allow-partial");
    let (code, stdout, stderr) = common::run(&r, &partial, &out.join("2022-05"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("（初步）") && stdout.contains("2022年1月、2月、3月尚未发布，未计入"),
        "{stdout}"
    );
    let dir = out.join("summaries/2022年上半年");
    let cov = sheet(
        &dir.join("长沙县2022年上半年代表进站活动汇总表.xlsx"),
        "覆盖说明",
    );
    assert_eq!(row_of(&cov, 0, "2022年2月")[2].to_string(), "未发布");
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        man["missing_months"],
        serde_json::json!(["2022-01", "2022-02", "2022-03"])
    );
    // Nothing of the span published at all: refused, whatever the options.
    let (code, stdout, _) = common::run(
        &r,
        &[
            "--output",
            out.to_str().unwrap(),
            "summary",
            "--year",
            "2020",
            "--allow-partial",
        ],
        &out.join("2022-05"),
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("没有已发布的月份"), "{stdout}");
    // Usage problems are exit 2.
    for bad in [
        &["summary", "--quarter", "2022-Q5"][..],
        &["summary", "--from", "2022-06", "--to", "2022-01"],
        &["summary"],
    ] {
        let mut a = vec!["--output", out.to_str().unwrap()];
        a.extend_from_slice(bad);
        let (code, _, stderr) = common::run(&r, &a, &out.join("2022-05"));
        assert_eq!(code, 2, "{bad:?}: {stderr}");
    }
}

#[test]
fn force_keeps_the_earlier_summary_and_the_same_archive_gives_the_same_bytes() {
    let (_t, out) = archive();
    let span = Span::range(p("2022-05"), p("2022-06")).unwrap();
    let first = written(run(&out, span, &Options::default()).unwrap());
    let before = common::hash_tree(&first);
    match run(&out, span, &Options::default()).unwrap() {
        Outcome::AlreadyWritten(d) => assert_eq!(d, first),
        other => panic!("{other:?}"),
    }
    let force = Options {
        force: true,
        ..Options::default()
    };
    let again = written(run(&out, span, &force).unwrap());
    let kept = out.join("summaries/2022年5月至6月.replaced-1");
    assert_eq!(
        common::hash_tree(&kept),
        before,
        "the earlier summary is kept as it was"
    );
    let after = common::hash_tree(&again);
    for (path, h) in &before {
        if path != "manifest.json" {
            assert_eq!(
                after.get(path),
                Some(h),
                "{path} differs on the same archive"
            );
        }
    }
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(again.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(man["replaces"], "2022年5月至6月.replaced-1");
}

#[test]
fn a_damaged_partition_or_a_busy_archive_is_refused_and_nothing_written() {
    let (_t, out) = archive();
    let span = Span::range(p("2022-05"), p("2022-06")).unwrap();
    {
        let _held = Archive::open(&out).unwrap();
        let e = run(&out, span, &Options::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("另一个发布正在进行"), "{e}");
    }
    let part = out.join("history/period=2022-05/part-0.parquet");
    let mut bytes = std::fs::read(&part).unwrap();
    let k = bytes.len() / 2;
    bytes[k] ^= 0xff;
    std::fs::write(&part, bytes).unwrap();
    let e = run(&out, span, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("period=2022-05") && e.contains("liaison archive rebuild --period 2022-05"),
        "{e}"
    );
    assert!(!out.join("summaries").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".building"))
        .collect();
    assert!(leftovers.is_empty());
}

/// Every sheet's body text as printed (from the sheet's XML): at least 8 pt, as in the monthly book.
#[test]
fn every_printed_page_is_legible() {
    use std::io::Read;
    let (_t, out) = archive();
    let span = Span::quarter("2022-Q2").unwrap();
    let dir = written(run(&out, span, &Options::default()).unwrap());
    let book = dir.join("长沙县2022年第2季度代表进站活动汇总表.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let sheets: Vec<String> = (1..=10)
        .map(|i| format!("xl/worksheets/sheet{i}.xml"))
        .collect();
    assert!(
        zip.by_name("xl/worksheets/sheet11.xml").is_err(),
        "ten sheets"
    );
    for name in sheets {
        let mut xml = String::new();
        zip.by_name(&name)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let find = |tag: &str| doc.descendants().find(|n| n.has_tag_name(tag));
        let px: f64 = doc
            .descendants()
            .filter(|n| n.has_tag_name("col"))
            .map(|n| {
                let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                (a("max") - a("min") + 1.0) * (a("width") * 7.0).trunc()
            })
            .sum();
        let landscape = find("pageSetup").unwrap().attribute("orientation") == Some("landscape");
        let margins = find("pageMargins").unwrap();
        let m = |k: &str| margins.attribute(k).unwrap().parse::<f64>().unwrap();
        let printable = (if landscape { 11.69 } else { 8.27 } - m("left") - m("right")) * 96.0;
        let pt = 10.5 * (printable / px).min(1.0);
        assert!(pt >= 8.0, "{name}: body text {pt:.1} pt when printed");
    }
}
