//! The sample ledgers published over two months by the README's main job (`liaison report`):
//! every item's month-end state in the archive, the per-unit figures and 办结率 of the workbook,
//! the 超期清单, the briefing and `liaison ledger`, held against figures computed here from the
//! sample generator's own model (tools/samples/ledger_expected.json), not from liaison's code.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use polars::prelude::*;
use serde::Deserialize;

#[derive(Deserialize, Debug, Clone, PartialEq)]
struct Item {
    id: String,
    collected: String,
    status: String,
    settled: Option<String>,
    category: String,
    station: String,
}

/// Month → unit id → items.
type Expected = BTreeMap<String, BTreeMap<String, Vec<Item>>>;

const DUE_DAYS: i64 = 60;

fn expected() -> Expected {
    let path = common::root().join("tools/samples/ledger_expected.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn date(s: &str) -> i64 {
    let p: Vec<i64> = s.split('-').map(|x| x.parse().unwrap()).collect();
    // Days since 2000-03-01 (civil calendar), enough to subtract two dates of 2022.
    let (y, m) = if p[1] <= 2 {
        (p[0] - 1, p[1] + 9)
    } else {
        (p[0], p[1] - 3)
    };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + p[2]
}

fn month_end(month: &str) -> &'static str {
    match month {
        "2022-05" => "2022-05-31",
        "2022-06" => "2022-06-30",
        _ => unreachable!(),
    }
}

fn open(i: &Item) -> bool {
    i.status == "正在办理" || i.status == "未办理"
}

fn overdue(i: &Item, month: &str) -> bool {
    open(i) && date(month_end(month)) - date(&i.collected) > DUE_DAYS
}

/// (本月收集, 累计收集, 已解决, 已答复, 正在办理, 未办理, 超期未办结) of some items.
fn figures(items: &[Item], month: &str) -> [i64; 7] {
    let n = |f: &dyn Fn(&Item) -> bool| items.iter().filter(|i| f(i)).count() as i64;
    [
        n(&|i| i.collected.starts_with(month)),
        items.len() as i64,
        n(&|i| i.status == "已解决"),
        n(&|i| i.status == "已答复"),
        n(&|i| i.status == "正在办理"),
        n(&|i| i.status == "未办理"),
        n(&|i| overdue(i, month)),
    ]
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// Every item of a published ledger partition, by unit.
fn archived(out: &Path, month: &str) -> BTreeMap<String, Vec<Item>> {
    let path = out.join(format!("ledger/period={month}/part-0.parquet"));
    let df = ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap();
    let s = |c: &str| {
        df.column(c)
            .unwrap()
            .cast(&DataType::String)
            .unwrap()
            .str()
            .unwrap()
            .clone()
    };
    let (unit, id, coll, status, settled) = (
        s("unit_id"),
        s("item_id"),
        s("collected"),
        s("status"),
        s("settled"),
    );
    let (cat, station) = (s("category"), s("station"));
    let mut out: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for r in 0..df.height() {
        out.entry(unit.get(r).unwrap().to_string())
            .or_default()
            .push(Item {
                id: id.get(r).unwrap().into(),
                collected: coll.get(r).unwrap().into(),
                status: status.get(r).unwrap().into(),
                settled: settled.get(r).map(String::from),
                category: cat.get(r).unwrap().into(),
                station: station.get(r).unwrap().into(),
            });
    }
    out
}

#[test]
fn two_published_months_hold_item_states_overdue_sets_and_rates() {
    let work = tempfile::tempdir().unwrap();
    for m in ["2022-05", "2022-06"] {
        let d = work.path().join("input").join(m);
        std::fs::create_dir_all(&d).unwrap();
        for e in std::fs::read_dir(common::root().join("input").join(m)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
        }
    }
    let input = work.path().join("input");
    let (code, text, err) = common::run(work.path(), &["report"], &input);
    assert_eq!(code, 0, "{text}{err}");
    let out = work.path().join("output");
    let config = liaison::config::Config::embedded();
    let want = expected();
    for (month, units) in &want {
        // 1. Every item's month-end state in the archive.
        let mut got = archived(&out, month);
        for items in got.values_mut() {
            items.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let mut units = units.clone();
        for items in units.values_mut() {
            items.sort_by(|a, b| a.id.cmp(&b.id));
        }
        assert_eq!(got, units, "{month}: item states");
        // 2. The workbook's 意见建议办理 per unit and in all, 办结率 included.
        let p = liaison::core::text::Period::parse_canonical(month).unwrap();
        let book = out
            .join(month)
            .join(liaison::report::workbook::file_name(&config, p));
        let mut wb: Xlsx<_> = open_workbook(&book).unwrap();
        let sheet = wb.worksheet_range("意见建议办理").unwrap();
        let row = |name: &str| {
            sheet
                .rows()
                .find(|r| matches!(&r[0], Data::String(s) if s == name))
                .unwrap_or_else(|| panic!("{month}: no row {name}"))
                .to_vec()
        };
        let mut all: Vec<Item> = Vec::new();
        for u in &config.units {
            let r = row(&u.name);
            match units.get(&u.id) {
                None => assert_eq!(r[1].to_string(), "未报送台账", "{month} {}", u.name),
                Some(items) => {
                    let f = figures(items, month);
                    let shown: Vec<i64> = r[1..8].iter().map(|d| num(d) as i64).collect();
                    assert_eq!(shown, f, "{month} {}", u.name);
                    let rate = (f[2] + f[3]) as f64 / f[1] as f64;
                    assert!(
                        (num(&r[8]) - rate).abs() < 1e-12,
                        "{month} {} 办结率",
                        u.name
                    );
                    all.extend(items.iter().cloned());
                }
            }
        }
        let f = figures(&all, month);
        let total = row("合计");
        let shown: Vec<i64> = total[1..8].iter().map(|d| num(d) as i64).collect();
        assert_eq!(shown, f, "{month} 合计");
        let rate = (f[2] + f[3]) as f64 / f[1] as f64;
        assert!(
            (num(&total[8]) - rate).abs() < 1e-12,
            "{month} county 办结率"
        );
        // 3. 超期清单: every overdue item, longest open first.
        let mut late: Vec<(i64, String)> = all
            .iter()
            .filter(|i| overdue(i, month))
            .map(|i| (date(month_end(month)) - date(&i.collected), i.id.clone()))
            .collect();
        late.sort_by_key(|x| std::cmp::Reverse(x.0));
        assert!(!late.is_empty(), "{month}: the samples have overdue items");
        let list = wb.worksheet_range("超期清单").unwrap();
        let listed: Vec<(i64, String)> = list
            .rows()
            .skip(2)
            .filter(|r| matches!(r[4], Data::Float(_) | Data::Int(_)))
            .map(|r| (num(&r[4]) as i64, r[2].to_string()))
            .collect();
        let days = |v: &[(i64, String)]| v.iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(
            days(&listed),
            days(&late),
            "{month}: days open, longest first"
        );
        let ids = |v: &[(i64, String)]| {
            let mut x: Vec<String> = v.iter().map(|x| x.1.clone()).collect();
            x.sort();
            x
        };
        assert_eq!(ids(&listed), ids(&late), "{month}: the overdue set");
        // 4. The briefing's paragraph.
        let md = std::fs::read_to_string(out.join(month).join("简报.md")).unwrap();
        let sentence = format!(
            "截至{}月底，全县累计收集意见建议{}条，已办结{}条（其中解决{}条），办结率{:.1}%；超过60天未办结的{}条",
            p.month(),
            f[1],
            f[2] + f[3],
            f[2],
            rate * 100.0,
            f[6]
        );
        assert!(md.contains(&sentence), "{month}: {sentence}\n{md}");
        assert!(
            md.contains("福临镇、开慧镇共2个单位未报送意见建议办理台账"),
            "{md}"
        );
        // 5. `liaison ledger --format json` as of this month.
        let (code, json, err) = common::run(
            work.path(),
            &["ledger", "--period", month, "--format", "json"],
            &input,
        );
        assert_eq!(code, 0, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["period"], month.as_str());
        let items = doc["items"].as_array().unwrap();
        assert_eq!(items.len(), all.len(), "{month}: every known item");
        let flagged = items.iter().filter(|i| i["overdue"] == true).count();
        assert_eq!(flagged, late.len(), "{month}: overdue flags");
        for i in items.iter().filter(|i| i["settled"].is_null()) {
            let d = date(month_end(month)) - date(i["collected"].as_str().unwrap());
            assert_eq!(i["days_open"].as_i64(), Some(d), "{i}");
        }
    }
    // An item open in May that a monthly unit did not send again keeps its May state: the June
    // archive agrees with the model above; and May's settled items are still there in June.
    let (may, june) = (&want["2022-05"], &want["2022-06"]);
    for (u, items) in may {
        for i in items {
            assert!(
                june[u].iter().any(|j| j.id == i.id),
                "{u} {} kept in June",
                i.id
            );
        }
    }
}

#[test]
fn ledger_command_answers_a_clerk_in_text_and_refuses_what_it_cannot_answer() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input/2022-05");
    std::fs::create_dir_all(&input).unwrap();
    for e in std::fs::read_dir(common::root().join("input/2022-05")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), input.join(e.file_name())).unwrap();
    }
    let watch = work.path().join("input");
    // Nothing published yet: a usage problem, said in Chinese.
    let (code, _, err) = common::run(work.path(), &["ledger"], &watch);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("还没有任何发布"), "{err}");
    let (code, _, err) = common::run(work.path(), &["report"], &watch);
    assert_eq!(code, 0, "{err}");
    let want = &expected()["2022-05"];
    let late: Vec<&Item> = want["beishan"]
        .iter()
        .filter(|i| overdue(i, "2022-05"))
        .collect();
    let (code, text, err) = common::run(
        work.path(),
        &["ledger", "--unit", "北山镇", "--status", "overdue"],
        &watch,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains(&format!("超期未办结的意见建议 {} 条", late.len())),
        "{text}"
    );
    for i in &late {
        assert!(text.contains(&i.id), "{text}");
    }
    let (code, text, _) = common::run(
        work.path(),
        &["ledger", "--unit", "beishan", "--status", "open"],
        &watch,
    );
    assert_eq!(code, 0);
    let open_ids: Vec<&str> = want["beishan"]
        .iter()
        .filter(|i| open(i))
        .map(|i| i.id.as_str())
        .collect();
    assert!(
        text.contains(&format!("未办结的意见建议 {} 条", open_ids.len())),
        "{text}"
    );
    for id in &open_ids {
        assert!(text.contains(id), "{text}");
    }
    for i in want["beishan"].iter().filter(|i| !open(i)) {
        assert!(!text.contains(&i.id), "settled {} listed as open", i.id);
    }
    // A unit without a ledger has no items: 未报送台账, not "0 条" (SPEC §5, issue 22); an
    // unknown unit and an unpublished month are refused.
    let (code, text, _) = common::run(work.path(), &["ledger", "--unit", "fulin"], &watch);
    assert_eq!(code, 0);
    assert!(
        text.contains("福临镇未报送意见建议办理台账") && !text.contains("意见建议 0 条"),
        "{text}"
    );
    let (code, _, err) = common::run(work.path(), &["ledger", "--unit", "nowhere"], &watch);
    assert_eq!(code, 2);
    assert!(err.contains("没有“nowhere”这个单位"), "{err}");
    let (code, _, err) = common::run(work.path(), &["ledger", "--period", "2022-04"], &watch);
    assert_eq!(code, 2);
    assert!(
        err.contains("2022-04 没有发布") && err.contains("2022-05"),
        "{err}"
    );
    // A damaged partition is named, with what to do.
    let part = work
        .path()
        .join("output/ledger/period=2022-05/part-0.parquet");
    std::fs::write(&part, b"not parquet").unwrap();
    let (code, _, err) = common::run(work.path(), &["ledger"], &watch);
    assert_eq!(code, 2);
    assert!(
        err.contains("ledger/period=2022-05") && err.contains("liaison archive rebuild"),
        "{err}"
    );
}
