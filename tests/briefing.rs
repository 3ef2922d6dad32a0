//! The briefing draft of the sample months: the seed's sentence to the character (May), the
//! month-on-month paragraph (June), and the wording from the config (荷塘区 says 全区).

use crate::common;

use common::publishing;
use liaison::archive::Options;
use liaison::config::Config;
use liaison::core::text::Period;

fn publish_month(out: &std::path::Path, month: &str, config: &Config) -> String {
    let dir = publishing::sample(out, month, config);
    std::fs::read_to_string(dir.join("简报.md")).unwrap()
}

#[test]
fn may_and_june_briefings() {
    let out = tempfile::tempdir().unwrap();
    let config = Config::embedded();
    let may = publish_month(out.path(), "2022-05", &config);
    assert!(may.contains(
        "5月份，全县共有1160名各级人大代表进站开展活动，共接待和走访选民7237人次，开展政策、法规宣讲122场次，收集反馈意见建议563条，帮助群众解决困难和问题123个。"
    ));
    insta::assert_snapshot!("briefing_2022_05", may);
    // The .docx carries the same text.
    let docx = std::fs::File::open(out.path().join("2022-05/简报.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(docx).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let text: String = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect();
    assert!(
        text.contains("5月份，全县共有1160名各级人大代表进站开展活动"),
        "{text}"
    );
    assert!(xml.contains("仿宋_GB2312"), "East Asian font set");
    let again = tempfile::tempdir().unwrap();
    publish_month(again.path(), "2022-05", &config);
    assert_eq!(
        std::fs::read(out.path().join("2022-05/简报.docx")).unwrap(),
        std::fs::read(again.path().join("2022-05/简报.docx")).unwrap(),
        "the .docx is reproducible"
    );
    let june = publish_month(out.path(), "2022-06", &config);
    assert!(june.contains("与上月相比"));
    insta::assert_snapshot!("briefing_2022_06", june);
}

#[test]
fn wording_comes_from_the_config() {
    let mut config = Config::embedded();
    config.region.scope = "全区".into();
    let out = tempfile::tempdir().unwrap();
    let md = publish_month(out.path(), "2022-05", &config);
    assert!(md.contains("5月份，全区共有1160名"), "{md}");
}

/// Per-unit totals of a folder, every return counted (the reference for like-for-like sums).
fn unit_totals(dir: &std::path::Path, period: Period, config: &Config) -> Vec<(String, u64, u64)> {
    let checked = publishing::checked(dir, period, config);
    let report = &checked.report;
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    report
        .files
        .iter()
        .filter_map(|f| {
            let t = f.totals.as_ref()?;
            Some((
                f.unit.clone()?,
                t.get("deputies_total")?,
                t.get("voters_received")?,
            ))
        })
        .collect()
}

/// June published with 黄兴镇's return refused (its May file sent again) and 福临镇's missing:
/// the briefing names both and why, and compares with May over the 16 units counted in both
/// months only; the summary sheet names them and leaves last month's column empty.
#[test]
fn a_partial_month_names_every_unit_left_out_and_compares_like_with_like() {
    let config = Config::embedded();
    let root = common::root();
    let out = tempfile::tempdir().unwrap();
    publish_month(out.path(), "2022-05", &config);
    let june = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(root.join("input/2022-06")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with("黄兴镇") && !name.starts_with("福临镇") {
            std::fs::copy(e.path(), june.path().join(&name)).unwrap();
        }
    }
    let may_file = "黄兴镇2022年5月份进站活动月报.xls";
    std::fs::copy(
        root.join("input/2022-05").join(may_file),
        june.path().join(may_file),
    )
    .unwrap();
    let period = Period::new(2022, 6).unwrap();
    let checked = publishing::checked(june.path(), period, &config);
    let report = &checked.report;
    assert!(report.has_errors());
    let options = Options {
        allow_partial: true,
        ..Options::default()
    };
    publishing::publish(out.path(), &checked, &config, &options, true);
    let md = std::fs::read_to_string(out.path().join("2022-06/简报.md")).unwrap();

    // Like with like: the 16 units counted in both months, from each month's own returns.
    let may = unit_totals(
        &root.join("input/2022-05"),
        Period::new(2022, 5).unwrap(),
        &config,
    );
    let jun = unit_totals(&root.join("input/2022-06"), period, &config);
    let left = ["huangxing", "fulin"];
    let sum = |t: &[(String, u64, u64)], k: usize| -> i64 {
        t.iter()
            .filter(|x| !left.contains(&x.0.as_str()))
            .map(|x| if k == 0 { x.1 } else { x.2 } as i64)
            .sum()
    };
    assert_eq!(may.len(), 18);
    let (dd, dv) = (sum(&jun, 0) - sum(&may, 0), sum(&jun, 1) - sum(&may, 1));
    let word = |d: i64| if d >= 0 { "增加" } else { "减少" };
    let want = format!(
        "与上月相比（同口径：两个月都计入的16个镇街），进站代表人数{}{}人，接待走访选民{}{}人次",
        word(dd),
        dd.abs(),
        word(dv),
        dv.abs()
    );
    assert!(md.contains(&want), "want {want}\n{md}");
    assert!(
        md.contains("黄兴镇（报送的不是本月的报表，已退回修改）")
            && !md.contains("period_mismatch"),
        "{md}"
    );
    assert!(md.contains("福临镇共1个单位未报送报表"), "{md}");

    // The summary sheet: no cross-scope 上月, a note naming both units.
    use calamine::{Data, Reader, open_workbook_auto};
    let book = std::fs::read_dir(out.path().join("2022-06"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .unwrap();
    let mut wb = open_workbook_auto(&book).unwrap();
    let s = wb.worksheet_range("全县汇总").unwrap();
    let row = s
        .rows()
        .find(|r| r[0].to_string().starts_with("进站代表人数"))
        .unwrap();
    assert!(matches!(row[3], Data::Empty) || row[3] == "—", "{row:?}");
    let text: String = s.rows().flatten().map(|d| d.to_string()).collect();
    assert!(
        text.contains("本月未计入2个单位：黄兴镇（报送的不是本月的报表，已退回修改）")
            && text.contains("福临镇（未报送）")
            && text.contains("与配置中全县共 125 个工作站不同"),
        "{text}"
    );
}
