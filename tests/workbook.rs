//! The consolidated workbook read back with calamine: every sheet's figures against the
//! aggregation, text kept as text, print setup on every sheet, identical bytes on rerun.

use crate::common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::publishing;
use liaison::archive::Options;
use liaison::check::Checked;
use liaison::config::Config;
use liaison::core::text::Period;

fn publish_month(out: &Path, dir: &Path, month: &str) -> (Checked, std::path::PathBuf) {
    let config = Config::embedded();
    let period = Period::parse_canonical(month).unwrap();
    let checked = publishing::checked(dir, period, &config);
    // The receipt log's clock fixed: 报送情况 shows when each version was first received.
    let opts = Options {
        allow_partial: true,
        clock: liaison::receipts::Clock::Fixed("2022-06-03T09:30:00+08:00".into()),
        ..Options::default()
    };
    publishing::publish(out, &checked, &config, &opts, true);
    let name = liaison::report::workbook::file_name(&config, period);
    (checked, out.join(month).join(name))
}

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(name).unwrap()
}

fn num(d: &Data) -> i64 {
    match d {
        Data::Float(f) => *f as i64,
        Data::Int(i) => *i,
        other => panic!("not a number: {other:?}"),
    }
}

/// The row whose column `c` reads `label`.
fn row_of<'a>(r: &'a calamine::Range<Data>, c: usize, label: &str) -> &'a [Data] {
    r.rows()
        .find(|row| row.get(c).map(|d| d.to_string()) == Some(label.to_string()))
        .unwrap_or_else(|| panic!("{label}"))
}

/// The column whose header (in the first three rows: title, group row, column row) reads `name`.
fn col(r: &calamine::Range<Data>, name: &str) -> usize {
    r.rows()
        .take(3)
        .find_map(|row| {
            row.iter()
                .position(|d| matches!(d, Data::String(s) if s == name))
        })
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

#[test]
fn every_sheet_states_the_aggregated_figures() {
    let out = tempfile::tempdir().unwrap();
    let root = common::root();
    let (may_checked, path) = publish_month(out.path(), &root.join("input/2022-05"), "2022-05");
    let may = &may_checked.report;
    let (_, june) = publish_month(out.path(), &root.join("input/2022-06"), "2022-06");
    let wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "全县汇总",
            "分镇街",
            "排名与比率",
            "代表层级",
            "活动方式",
            "工作站明细",
            "趋势",
            "意见建议办理",
            "超期清单",
            "报送情况",
            "数据校验"
        ]
    );
    // 全县汇总: the seed's figures.
    let s = sheet(&path, "全县汇总");
    let this = col(&s, "本月");
    for (label, want) in [
        ("进站代表人数（合计）", 1160),
        ("接待走访选民", 7237),
        ("政策法规宣讲", 122),
        ("收集意见建议", 563),
        ("帮助解决问题", 123),
        ("工作站", 125),
        ("报送单位", 18),
    ] {
        assert_eq!(num(&row_of(&s, 0, label)[this]), want, "{label}");
    }
    // June: month-on-month and year-to-date — the archive starts in May, so the sum is
    // labelled by the months it covers, not 本年累计 (SPEC §5, issue 22).
    let j = sheet(&june, "全县汇总");
    let d = row_of(&j, 0, "进站代表人数（合计）");
    let at = |h: &str| num(&d[col(&j, h)]);
    assert_eq!(
        (at("本月"), at("上月"), at("环比增减"), at("5—6月累计")),
        (1157, 1160, -3, 2317)
    );
    // 分镇街: every unit against the check document, the 合计 row.
    let u = sheet(&path, "分镇街");
    let (name, stations) = (col(&u, "镇街"), col(&u, "工作\n站数"));
    let (deputies, voters) = (
        col(&u, "进站代表人数\n（人）"),
        col(&u, "接待走访选民\n（人次）"),
    );
    for f in &may.files {
        let unit = Config::embedded()
            .unit(f.unit.as_deref().unwrap())
            .unwrap()
            .name
            .clone();
        let row = row_of(&u, name, &unit);
        let t = f.totals.as_ref().unwrap();
        assert_eq!(num(&row[stations]) as usize, f.stations.unwrap(), "{unit}");
        assert_eq!(
            num(&row[deputies]),
            t.get("deputies_total").unwrap() as i64,
            "{unit}"
        );
        assert_eq!(
            num(&row[voters]),
            t.get("voters_received").unwrap() as i64,
            "{unit}"
        );
    }
    let total = row_of(&u, name, "合计");
    assert_eq!(
        (
            num(&total[stations]),
            num(&total[deputies]),
            num(&total[voters])
        ),
        (125, 1160, 7237)
    );
    // 排名与比率: the largest unit ranks first on deputies.
    let r = sheet(&path, "排名与比率");
    let rank = col(&r, "进站代表人数");
    assert_eq!(num(&row_of(&r, 0, "星沙街道")[rank]), 1);
    // 代表层级 and 活动方式 add up.
    assert_eq!(
        num(row_of(&sheet(&path, "代表层级"), 0, "合计").last().unwrap()),
        1160
    );
    let m = sheet(&path, "活动方式");
    let config = Config::embedded();
    let method_idx: Vec<usize> = config
        .method_metrics()
        .map(|x| config.metric_index(&x.id).unwrap())
        .collect();
    let methods: i64 = may_checked
        .counted
        .iter()
        .flat_map(|r| r.stations.iter())
        .map(|s| method_idx.iter().map(|&i| s.values[i]).sum::<u64>() as i64)
        .sum();
    assert_eq!(num(row_of(&m, 0, "合计").last().unwrap()), methods);
    // 工作站明细: 125 station rows under a two-row header; 趋势: one row per month;
    // 报送情况: 18 units and two notes (the hashes, the receipt log); 数据校验: every finding.
    assert_eq!(sheet(&path, "工作站明细").height(), 3 + 125);
    assert_eq!(sheet(&june, "趋势").height(), 2 + 2 + 1);
    assert_eq!(sheet(&path, "报送情况").height(), 2 + 18 + 2);
    assert_eq!(sheet(&path, "数据校验").height(), 2 + may.diagnostics.len());
}

/// Every sheet's body text as printed: 10.5 pt times the fit-to-width scale that its column
/// widths, orientation and margins give on A4 (read from the sheet's XML, not from our code).
#[test]
fn every_printed_page_is_legible() {
    let out = tempfile::tempdir().unwrap();
    let root = common::root();
    publish_month(out.path(), &root.join("input/2022-05"), "2022-05");
    let (_, path) = publish_month(out.path(), &root.join("input/2022-06"), "2022-06");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    for i in 1..=11 {
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{i}.xml"))
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
                // Excel stores width + 5 px of padding (in characters of 7 px).
                (a("max") - a("min") + 1.0) * (a("width") * 7.0).trunc()
            })
            .sum();
        let setup = find("pageSetup").unwrap();
        let landscape = setup.attribute("orientation") == Some("landscape");
        let margins = find("pageMargins").unwrap();
        let m = |k: &str| margins.attribute(k).unwrap().parse::<f64>().unwrap();
        let page_in = if landscape { 11.69 } else { 8.27 };
        let printable = (page_in - m("left") - m("right")) * 96.0;
        let pt = 10.5 * (printable / px).min(1.0);
        assert!(pt >= 8.0, "sheet{i}: body text {pt:.1} pt when printed");
    }
}

#[test]
fn text_from_returns_stays_text_and_the_book_is_print_ready_and_reproducible() {
    // A return whose station is named like a formula and a link.
    let config = Config::embedded();
    let month = tempfile::tempdir().unwrap();
    let mut unit = config.units[0].clone();
    unit.stations = vec![String::new(), String::new(), "长桥社区工作站".into()];
    unit.stations[0] = "=HYPERLINK(\"http://example.com\",\"点我\")".into();
    unit.stations[1] = "http://example.com/站".into();
    let rows = vec![vec![1; config.metrics.len()]; unit.stations.len()];
    let bytes = liaison::forms::template::build_filled(
        &config,
        &unit,
        Period::new(2022, 5).unwrap(),
        &rows,
    )
    .unwrap();
    std::fs::write(month.path().join("星沙街道.xlsx"), bytes).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (_, path) = publish_month(out.path(), month.path(), "2022-05");
    let st = sheet(&path, "工作站明细");
    assert!(
        st.rows()
            .any(|r| r[2] == Data::String("=HYPERLINK(\"http://example.com\",\"点我\")".into()))
    );
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert!(
        wb.worksheet_formula("工作站明细")
            .unwrap()
            .used_cells()
            .next()
            .is_none(),
        "no formula written"
    );

    // Print setup of every sheet, in the XML.
    let file = std::fs::File::open(&path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut workbook_xml = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook_xml)
        .unwrap();
    // Header rows repeat on the sheets that run over a page (工作站明细), and nowhere a chart
    // would sit under them.
    assert!(workbook_xml.contains("工作站明细!$2:$3"), "{workbook_xml}");
    for charted in ["全县汇总", "代表层级"] {
        assert!(
            !workbook_xml.contains(&format!("'{charted}'!$"))
                && !workbook_xml.contains(&format!("{charted}!$")),
            "no repeated header over the charts of {charted}"
        );
    }
    for i in 1..=11 {
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{i}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains("fitToPage=\"1\""), "sheet{i} fit to page");
        assert!(xml.contains("paperSize=\"9\""), "sheet{i} A4");
        assert!(
            xml.contains("fitToHeight=\"0\""),
            "sheet{i} one page wide, any height"
        );
        assert!(xml.contains("<pane "), "sheet{i} frozen panes");
        assert!(xml.contains("&amp;P"), "sheet{i} page numbers");
    }

    // Same inputs, same bytes.
    let again = tempfile::tempdir().unwrap();
    let (_, path2) = publish_month(again.path(), month.path(), "2022-05");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&path2).unwrap()
    );
}
