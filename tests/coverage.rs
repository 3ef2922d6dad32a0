//! Figures that say what they cover (issue 22), on the sample months and on variants of their
//! returns re-saved by openpyxl (`tools/fixtures/make_month_variants.py`): the year to date
//! labelled by its months, later publications made stale by a republished month, a missing unit
//! refused and published 初步, an empty ledger sheet, and `check` away from the archive.

use crate::common;

use std::path::{Path, PathBuf};

use calamine::{Data, DataType, Reader, open_workbook_auto};
use common::{root, run};

/// A working folder with `input/<month>` copied from the samples for each of `months`.
fn work(months: &[&str]) -> tempfile::TempDir {
    let w = tempfile::tempdir().unwrap();
    for m in months {
        copy_month(&w.path().join("input").join(m), m);
    }
    w
}

fn copy_month(to: &Path, month: &str) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(root().join("input").join(month)).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Replaces a return of `dir` by the variant `fixtures/months/<variant>/<same name>`.
fn use_variant(dir: &Path, variant: &str, name: &str) {
    let from = root()
        .join("tests/fixtures/months")
        .join(variant)
        .join(name);
    std::fs::copy(from, dir.join(name)).unwrap();
}

fn liaison(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    run(cwd, args, &cwd.join("input"))
}

fn workbook(publication: &Path) -> PathBuf {
    std::fs::read_dir(publication)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .unwrap()
}

fn sheet(publication: &Path, name: &str) -> calamine::Range<Data> {
    open_workbook_auto(workbook(publication))
        .unwrap()
        .worksheet_range(name)
        .unwrap()
}

fn text_of(r: &calamine::Range<Data>) -> String {
    r.rows()
        .flatten()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("|")
}

/// The column whose header is `name` (None when no cell of the sheet says it).
fn col(r: &calamine::Range<Data>, name: &str) -> Option<usize> {
    r.rows().find_map(|row| row.iter().position(|c| *c == name))
}

fn row<'a>(r: &'a calamine::Range<Data>, label: &str) -> &'a [Data] {
    r.rows().find(|row| row[0] == label).unwrap()
}

fn manifest(publication: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(publication.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn sums_are_labelled_by_the_months_they_cover() {
    let w = work(&["2022-05", "2022-06"]);
    let (code, out, err) = liaison(w.path(), &["report"]);
    assert_eq!(code, 0, "{out}{err}");
    let (may, june) = (
        w.path().join("output/2022-05"),
        w.path().join("output/2022-06"),
    );

    // June: the archive starts in May, so the sum is 5—6月累计, never 本年累计.
    let s = sheet(&june, "全县汇总");
    assert_eq!(col(&s, "本年累计"), None, "{}", text_of(&s));
    let c = col(&s, "5—6月累计").expect("a 5—6月累计 column");
    let d = row(&s, "进站代表人数（合计）");
    assert_eq!(d[c].as_f64(), Some(2317.0));
    let text = text_of(&s);
    assert!(
        text.contains(
            "“5—6月累计”为档案中2022年5—6月各月之和；1—4月不在档案中，未计入，不是本年累计"
        ),
        "{text}"
    );
    assert!(
        !text.contains("本年累计为2022年1月至本月各月之和"),
        "{text}"
    );
    let md = std::fs::read_to_string(june.join("简报.md")).unwrap();
    assert!(
        md.contains("5—6月累计，全县共有2317人次各级人大代表进站开展活动")
            && md.contains("（1—4月的数据不在档案中，未计入）"),
        "{md}"
    );

    // May alone: its own month, with no 上月 and no year-to-date sentence.
    let s = sheet(&may, "全县汇总");
    assert!(col(&s, "5月累计").is_some() && col(&s, "本年累计").is_none());
    let d = row(&s, "进站代表人数（合计）");
    let prev = col(&s, "上月").unwrap();
    assert!(matches!(d[prev], Data::Empty) || d[prev] == "—", "{d:?}");
    let md = std::fs::read_to_string(may.join("简报.md")).unwrap();
    assert!(!md.contains("累计，全县"), "{md}");
}

#[test]
fn a_republished_month_names_the_later_publications_it_makes_stale() {
    let w = work(&["2022-05", "2022-06"]);
    assert_eq!(liaison(w.path(), &["report"]).0, 0);
    let (code, out, _) = liaison(w.path(), &["archive", "verify"]);
    assert_eq!(code, 0, "{out}");
    let june = w.path().join("output/2022-06");
    // June records May's partitions it was computed from.
    let sources = manifest(&june)["sources"].as_array().unwrap().clone();
    let may_part = w
        .path()
        .join("output/history/period=2022-05/part-0.parquet");
    let sha = liaison::archive::swap::file_sha(&may_part).unwrap();
    assert!(
        sources
            .iter()
            .any(|s| s["dataset"] == "history" && s["period"] == "2022-05" && s["sha256"] == sha),
        "{sources:?}"
    );
    assert!(
        sources.iter().any(|s| s["dataset"] == "ledger"),
        "{sources:?}"
    );

    // 北山镇 corrects its May return; May is republished.
    let may_dir = w.path().join("input/2022-05");
    use_variant(&may_dir, "may_revised", "北山镇月报.xlsx");
    let (code, out, err) = liaison(w.path(), &["report", "input/2022-05", "--force"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("注意：2022-05 的数据变了")
            && out.contains("2022-06 的发布是用当时的档案算出的，之后2022-05 的历史数据已重新发布")
            && out.contains("liaison report --period 2022-06 --force"),
        "{out}"
    );
    let (code, out, _) = liaison(w.path(), &["archive", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("2022-06（计算依据）") && out.contains("不一致"),
        "{out}"
    );

    // Republished in turn, June agrees again.
    let (code, out, err) = liaison(w.path(), &["report", "input/2022-06", "--force"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("注意"), "{out}");
    let (code, out, _) = liaison(w.path(), &["archive", "verify"]);
    assert_eq!(code, 0, "{out}");
    let s = sheet(&june, "全县汇总");
    let d = row(&s, "接待走访选民");
    let prev = col(&s, "上月").unwrap();
    assert_eq!(
        d[prev].as_f64(),
        Some(7247.0),
        "June's 上月 is the corrected May"
    );

    // A manifest of an earlier version records nothing: it opens, verifies, is never judged.
    let mut m = manifest(&june);
    m.as_object_mut().unwrap().remove("sources");
    std::fs::write(
        june.join("manifest.json"),
        serde_json::to_string_pretty(&m).unwrap(),
    )
    .unwrap();
    let may_dir = w.path().join("input/2022-05");
    copy_month(&may_dir, "2022-05");
    assert_eq!(
        liaison(w.path(), &["report", "input/2022-05", "--force"]).0,
        0
    );
    let (code, out, _) = liaison(w.path(), &["archive", "verify"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_missing_unit_is_refused_and_published_preliminary_naming_it() {
    let w = work(&["2022-06"]);
    let dir = w.path().join("input/2022-06");
    std::fs::remove_file(dir.join("福临镇6月份报表.xlsx")).unwrap();
    let (code, out, _) = liaison(w.path(), &["check", "input/2022-06"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("结论：没有强制性问题，但福临镇共 1 个单位未报送报表")
            && !out.contains("可以汇总"),
        "{out}"
    );
    // One name, the date as a clerk writes it (issue 26).
    assert!(
        out.contains("  [提示性] 福临镇没有报送2022年6月的报表：请催报（missing_return）\n"),
        "{out}"
    );
    let (code, out, _) = liaison(w.path(), &["check", "input/2022-06", "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["missing_units"], serde_json::json!(["fulin"]));
    let missing = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "missing_return")
        .unwrap();
    assert_eq!(missing["severity"], "warning");
    assert_eq!(missing["message"], "福临镇没有报送2022年6月的报表：请催报");

    let (code, out, _) = liaison(w.path(), &["report", "input/2022-06"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("2022-06 有 1 个单位未报送报表（福临镇），未发布"),
        "{out}"
    );
    assert!(!w.path().join("output/2022-06").exists());

    let (code, out, err) = liaison(w.path(), &["report", "input/2022-06", "--allow-partial"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("初步"), "{out}");
    let june = w.path().join("output/2022-06");
    assert_eq!(manifest(&june)["preliminary"], true);
    let md = std::fs::read_to_string(june.join("简报.md")).unwrap();
    assert!(
        md.contains("初步数据") && md.contains("本月福临镇共1个单位未报送报表"),
        "{md}"
    );
    let s = sheet(&june, "全县汇总");
    let text = text_of(&s);
    assert!(
        text.contains("初步") && text.contains("福临镇（未报送）"),
        "{text}"
    );
}

#[test]
fn a_refused_return_is_named_in_words_for_the_leadership() {
    let w = work(&["2022-05"]);
    let dir = w.path().join("input/2022-05");
    use_variant(&dir, "invalid_value", "北山镇月报.xlsx");
    let (code, out, _) = liaison(w.path(), &["check", "input/2022-05"]);
    assert_eq!(code, 1);
    assert!(out.contains("K6"), "the checker names the cell: {out}");
    // The clerk is told the cell holds a letter, and which one (issue 26).
    assert!(
        out.contains("“1O”含有字母“O”，可能把数字0打成了字母O"),
        "{out}"
    );
    let (code, out, err) = liaison(w.path(), &["report", "input/2022-05", "--allow-partial"]);
    assert_eq!(code, 0, "{out}{err}");
    let may = w.path().join("output/2022-05");
    let md = std::fs::read_to_string(may.join("简报.md")).unwrap();
    let words = "北山镇（报表数据有误：政策法规宣讲一栏填写的不是数字，已退回修改）";
    assert!(md.contains(words), "{md}");
    assert!(!md.contains("K6") && !md.contains("1O"), "{md}");
    let text = text_of(&sheet(&may, "全县汇总"));
    assert!(text.contains(words), "{text}");
    // The 数据校验 sheet keeps the checker's own words.
    assert!(text_of(&sheet(&may, "数据校验")).contains("K6"));
}

#[test]
fn an_empty_ledger_sheet_is_no_ledger_everywhere() {
    let w = work(&["2022-05"]);
    let dir = w.path().join("input/2022-05");
    use_variant(&dir, "empty_ledger", "北山镇月报.xlsx");
    let (code, out, _) = liaison(w.path(), &["check", "input/2022-05", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["unit"] == "beishan")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"ledger_count_mismatch"), "{codes:?}");

    let (code, out, err) = liaison(w.path(), &["report", "input/2022-05"]);
    assert_eq!(code, 0, "{out}{err}");
    let may = w.path().join("output/2022-05");
    let s = sheet(&may, "意见建议办理");
    let r = s.rows().find(|r| r.iter().any(|c| *c == "北山镇")).unwrap();
    assert!(
        r.iter().any(|c| c.to_string().contains("未报送台账")),
        "{r:?}"
    );
    let md = std::fs::read_to_string(may.join("简报.md")).unwrap();
    assert!(
        md.contains("福临镇、北山镇、开慧镇共3个单位未报送意见建议办理台账"),
        "{md}"
    );

    let (code, out, _) = liaison(w.path(), &["ledger", "--unit", "北山镇"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("北山镇未报送意见建议办理台账") && !out.contains("意见建议 0 条"),
        "{out}"
    );
    let (_, out, _) = liaison(
        w.path(),
        &["ledger", "--unit", "beishan", "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["items"].as_array().unwrap().len(), 0);
    assert_eq!(doc["not_sent"], serde_json::json!(["beishan"]));
    let (_, out, _) = liaison(w.path(), &["ledger"]);
    assert!(
        out.contains("未报送台账的单位 3 个（不计入，不是 0 条）：福临镇、北山镇、开慧镇"),
        "{out}"
    );
}

#[test]
fn check_away_from_the_archive_says_what_it_did_not_compare() {
    let w = work(&["2022-05", "2022-06"]);
    let (code, _, err) = liaison(w.path(), &["check", "input/2022-06"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("没有找到档案")
            && err.contains("outlier")
            && err.contains("ledger_reopened")
            && err.contains(&w.path().join("output").display().to_string()),
        "{err}"
    );
    assert_eq!(liaison(w.path(), &["report", "input/2022-05"]).0, 0);
    let (code, _, err) = liaison(w.path(), &["check", "input/2022-06"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("没有找到档案"), "{err}");
    // From another folder, the archive is not there: said so.
    let elsewhere = tempfile::tempdir().unwrap();
    let input = w.path().join("input/2022-06");
    let (_, _, err) = run(
        elsewhere.path(),
        &["check", input.to_str().unwrap()],
        &input,
    );
    assert!(err.contains("没有找到档案"), "{err}");
}
