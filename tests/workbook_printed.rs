//! The workbook as printed (issue 26): with many overdue suggestions (400 printed 24 pages inside
//! the monthly workbook) its 超期清单 shows the count and the 30 longest open, naming the file
//! that holds every item, ready to print; a "—" stands where the numbers stand; the units are
//! compared one measure per native chart.

use crate::common;

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use liaison::archive::Options;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::ledger::{ItemCells, LedgerItem, NaiveDate, Status};
use liaison::forms::template;

/// Item rows of a 超期清单 sheet: (days open, 编号), in sheet order.
fn listed(path: &Path) -> (Vec<(i64, String)>, String) {
    let mut wb = open_workbook_auto(path).unwrap();
    let r = wb.worksheet_range("超期清单").unwrap();
    let rows = r
        .rows()
        .filter_map(|row| match row.get(4) {
            Some(Data::Float(d)) => Some((*d as i64, row[2].to_string())),
            Some(Data::Int(d)) => Some((*d, row[2].to_string())),
            _ => None,
        })
        .collect();
    let text: Vec<String> = r.rows().map(|row| row[0].to_string()).collect();
    (rows, text.join("\n"))
}

#[test]
fn the_workbook_shows_the_longest_open_and_the_full_list_is_a_file_of_its_own() {
    let config = Config::embedded();
    let p = Period::new(2022, 6).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let station = |u: usize| format!("第{}工作站", u + 1);
    for (u, unit) in config.units.iter().enumerate() {
        let mut unit = unit.clone();
        unit.stations = vec![station(u)];
        // Units 0 and 1: 45 and 12 items still in hand, collected from January on (overdue at
        // the end of June: more than 60 days), a day apart, so every item has its own age.
        let n = match u {
            0 => 45,
            1 => 12,
            _ => 0,
        };
        let items: Vec<LedgerItem> = (0..n)
            .map(|k| LedgerItem {
                id: format!("{}-{:03}", unit.id, k + 1),
                collected: NaiveDate::from_ymd_opt(2022, 1, 3).unwrap()
                    + chrono::Days::new(2 * k as u64 + u as u64),
                station: station(u),
                deputies: vec!["张三".into()],
                content: format!("村道第{}段破损", k + 1),
                category: "城乡建设".into(),
                handler: "县交通运输局".into(),
                status: Status::InProgress,
                settled: None,
                cells: ItemCells::default(),
            })
            .collect();
        let rows = vec![vec![1; config.metrics.len()]];
        let bytes = template::build_with(
            &config,
            &unit,
            p,
            &rows,
            liaison::forms::Typed { ledger: &items },
        )
        .unwrap();
        std::fs::write(dir.path().join(template::file_name(&unit, p)), bytes).unwrap();
    }
    let checked = common::publishing::checked(dir.path(), p, &config);
    assert!(
        !checked.report.has_errors(),
        "{:#?}",
        checked.report.diagnostics
    );
    let out = tempfile::tempdir().unwrap();
    common::publishing::publish(out.path(), &checked, &config, &Options::default(), true);
    let month = out.path().join("2022-06");

    let name = "长沙县2022年6月超期未办结意见建议清单.xlsx";
    let (all, all_text) = listed(&month.join(name));
    assert_eq!(all.len(), 57, "every overdue item in the file");
    let mut longest = all.clone();
    longest.sort_by_key(|x| std::cmp::Reverse(x.0));
    assert_eq!(all, longest, "longest open first");
    assert!(all_text.contains("共57条"), "{all_text}");

    let (shown, text) = listed(&month.join("长沙县2022年6月代表进站活动汇总表.xlsx"));
    assert_eq!(shown, all[..30], "the 30 longest open, in the same order");
    assert!(text.contains("已办天数最多的30条"), "{text}");
    assert!(
        text.contains("共57条") && text.contains(&format!("“{name}”")),
        "the count and the full list's file: {text}"
    );

    // The publication's manifest names it with its hash, as every output.
    let manifest = std::fs::read_to_string(month.join("manifest.json")).unwrap();
    assert!(manifest.contains(name), "{manifest}");

    // Printable: A4, repeated header rows, body text ≥ 8 pt across the page.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(month.join(name)).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let setup = doc
        .descendants()
        .find(|n| n.has_tag_name("pageSetup"))
        .unwrap();
    assert_eq!(setup.attribute("paperSize"), Some("9"), "A4");
    let mut book = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut book)
        .unwrap();
    assert!(
        book.contains("_xlnm.Print_Titles"),
        "header rows repeated: {book}"
    );
}

fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The summary sheet as printed: a "—" in a number column stands right-aligned as the numbers
/// do, and the units are compared one measure per native chart (deputies and voters are six
/// times apart: on one axis the deputies' bars were slivers).
#[test]
fn dashes_align_with_numbers_and_each_native_chart_has_one_measure() {
    let out = tempfile::tempdir().unwrap();
    let config = Config::embedded();
    let dir = common::publishing::sample(out.path(), "2022-05", &config);
    let path = dir.join("长沙县2022年5月代表进站活动汇总表.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let strings = part(&mut zip, "xl/sharedStrings.xml");
    let dash = roxmltree::Document::parse(&strings)
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("si"))
        .position(|n| n.descendants().any(|t| t.text() == Some("—")))
        .expect("a dash is written");
    let sheet = part(&mut zip, "xl/worksheets/sheet1.xml");
    let doc = roxmltree::Document::parse(&sheet).unwrap();
    let styles = part(&mut zip, "xl/styles.xml");
    let xfs = roxmltree::Document::parse(&styles).unwrap();
    let cell_xfs = xfs
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap();
    let align = |s: usize| {
        cell_xfs
            .children()
            .filter(|n| n.is_element())
            .nth(s)
            .and_then(|x| x.children().find(|c| c.has_tag_name("alignment")))
            .and_then(|a| a.attribute("horizontal").map(str::to_string))
    };
    let dashes: Vec<_> = doc
        .descendants()
        .filter(|c| c.has_tag_name("c") && c.attribute("t") == Some("s"))
        .filter(|c| {
            c.descendants()
                .find(|v| v.has_tag_name("v"))
                .and_then(|v| v.text())
                == Some(&dash.to_string())
        })
        .collect();
    assert!(
        !dashes.is_empty(),
        "the summary's 本年累计 of 报送单位 is a dash"
    );
    for c in dashes {
        let s: usize = c.attribute("s").unwrap().parse().unwrap();
        assert_eq!(align(s).as_deref(), Some("right"), "{:?}", c.attribute("r"));
    }
    // The summary sheet's native charts: deputies, voters, the trend; one series each.
    let rels = part(&mut zip, "xl/drawings/drawing1.xml");
    assert_eq!(rels.matches("<c:chart ").count(), 3, "{rels}");
    for (i, title) in [(1, "各镇街进站代表人数"), (2, "各镇街接待走访选民")] {
        let chart = part(&mut zip, &format!("xl/charts/chart{i}.xml"));
        assert_eq!(chart.matches("<c:ser>").count(), 1, "chart{i}");
        assert!(chart.contains(title), "chart{i}: {title}");
    }
}
