//! `liaison summary` over an archive of months by other writers (openpyxl, xlwt, LibreOffice):
//! the previous year for 同比, a month under an older form (no 述职), a preliminary month (one
//! return refused, one not sent). The workbook read back with calamine must state the sums of
//! the published months exactly; coverage, 报送考核, briefing and manifest are checked too.

use crate::common;

use common::summary::*;
use liaison::config::Config;
use liaison::summary::{Options, Span};

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
        // In the monthly report's words for the leadership, never the cell (issue 26).
        notes.contains("开慧镇（未报送）")
            && notes.contains("北山镇（报表数据有误：接待走访选民一栏填写了负数）")
            && !notes.contains("J5"),
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
        why.contains("北山镇（报表数据有误：接待走访选民一栏填写了负数）")
            && why.contains("开慧镇（未报送）"),
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
            .starts_with("2022年6月：报表数据有误：接待走访选民一栏填写了负数"),
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
            "活动方式·述职：2022年4月的报表式样没有该项，本期合计记“—”，不作 0 计（其余月份之和为 {known}）"
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
    assert!(
        md.contains("说明：活动方式·述职：2022年4月的报表式样没有该项"),
        "{md}"
    );
}
