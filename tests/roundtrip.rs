//! Templates written by `liaison template`, filled in and read back, give the figures typed in;
//! a 荷塘区 return checks cleanly with only `config/hetang.toml`.

use crate::common;

use liaison::check::{Status, check};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::TotalCell;
use liaison::forms::monthly::ingest_dir;
use liaison::forms::template;

/// Deterministic figures for a unit: row k, metric i.
fn figures(config: &Config, stations: usize, seed: u64) -> Vec<Vec<u64>> {
    let mut x = seed;
    (0..stations)
        .map(|_| {
            config
                .metrics
                .iter()
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (x >> 33) % 40 + 1
                })
                .collect()
        })
        .collect()
}

fn roundtrip(config: &Config, period: Period) {
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    for (n, unit) in config.units.iter().enumerate() {
        let rows = figures(config, unit.stations.len().max(3), n as u64 + 7);
        let mut unit = unit.clone();
        if unit.stations.is_empty() {
            unit.stations = (1..=rows.len()).map(|k| format!("第{k}工作站")).collect();
        }
        let bytes = template::build_filled(config, &unit, period, &rows).unwrap();
        std::fs::write(dir.path().join(template::file_name(&unit, period)), bytes).unwrap();
        expected.push((unit.id.clone(), unit.stations.clone(), rows));
    }
    let outcomes = ingest_dir(dir.path(), config).unwrap();
    let checked = check(outcomes.clone(), period, config);
    let report = &checked.report;
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(report.files.iter().all(|f| f.status == Status::Ok));
    assert!(report.missing_units.is_empty());
    for (unit, names, rows) in expected {
        let r = checked
            .counted
            .iter()
            .find(|r| r.unit_id() == Some(&unit))
            .unwrap();
        let got_names: Vec<&str> = r.stations.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(got_names, names);
        let got: Vec<Vec<u64>> = r.stations.iter().map(|s| s.values.clone()).collect();
        assert_eq!(got, rows, "{unit}");
        let read = outcomes
            .iter()
            .filter_map(|o| o.ret.as_ref())
            .find(|r| r.unit_id() == Some(&unit))
            .unwrap();
        assert_eq!(read.period.as_ref().unwrap().value, Some(period));
        // rust_xlsxwriter asks for recalculation on open: its 合计 formula results are read,
        // but as results that cannot be trusted (they agree with the stations here).
        let total = read.total.as_ref().expect("合计 row read");
        assert_eq!(
            total.values,
            r.sums(config.metrics.len())
                .into_iter()
                .map(TotalCell::Untrusted)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn changsha_templates_round_trip() {
    roundtrip(&Config::embedded(), Period::new(2022, 5).unwrap());
}

#[test]
fn hetang_returns_check_cleanly_with_only_its_config() {
    let config = Config::load(&common::root().join("config/hetang.toml")).unwrap();
    assert_eq!(config.region.name, "荷塘区");
    let levels: Vec<&str> = config.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(levels, ["省", "市", "区", "镇"]);
    roundtrip(&config, Period::new(2023, 1).unwrap());
}

#[test]
fn empty_template_reads_as_zero_stations_filled() {
    let config = Config::embedded();
    let period = Period::new(2022, 7).unwrap();
    let dir = tempfile::tempdir().unwrap();
    template::write_all(&config, period, dir.path()).unwrap();
    let checked = check(ingest_dir(dir.path(), &config).unwrap(), period, &config);
    let report = &checked.report;
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    // No register: every unit's template has blank rows, read as no station at all.
    let stations: usize = checked.counted.iter().map(|r| r.stations.len()).sum();
    assert_eq!(stations, 0);
    assert_eq!(checked.counted.len(), 18);
    assert!(
        checked
            .counted
            .iter()
            .all(|r| r.sums(config.metrics.len()).iter().all(|&v| v == 0))
    );
}

/// With a register (as `config learn` writes one), the template lists its stations.
#[test]
fn a_register_prefills_the_station_names() {
    let mut config = Config::embedded();
    for u in &mut config.units {
        u.stations = vec![
            format!("{}一号工作站", u.name),
            format!("{}二号工作站", u.name),
        ];
    }
    let period = Period::new(2022, 7).unwrap();
    let dir = tempfile::tempdir().unwrap();
    template::write_all(&config, period, dir.path()).unwrap();
    let checked = check(ingest_dir(dir.path(), &config).unwrap(), period, &config);
    let report = &checked.report;
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let names: Vec<&str> = checked
        .counted
        .iter()
        .flat_map(|r| r.stations.iter().map(|s| s.name.as_str()))
        .collect();
    assert_eq!(names.len(), 36);
    assert!(names.contains(&"星沙街道二号工作站"));
}

/// Every text of the label line above the header (填报单位：星沙街道 …) fits its cells as
/// printed: the widths of the columns it spans (read from the sheet's XML, merged ranges
/// included) hold its glyphs at 11 pt (a Chinese character 14.7 px, any other 7.4 px).
#[test]
fn template_labels_show_whole_with_full_width_colons() {
    use std::io::Read;
    for config in [
        Config::embedded(),
        Config::load(&common::root().join("config/hetang.toml")).unwrap(),
    ] {
        let unit = &config.units[0];
        let bytes = template::build(&config, unit, Period::new(2022, 12).unwrap()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let mut px = std::collections::BTreeMap::new();
        for n in doc.descendants().filter(|n| n.has_tag_name("col")) {
            let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
            for c in a("min") as u32..=a("max") as u32 {
                px.insert(c - 1, (a("width") * 7.0).trunc());
            }
        }
        let merges: Vec<(u32, u32, u32)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("mergeCell"))
            .filter_map(|n| {
                let r = n.attribute("ref").unwrap();
                let (a, b) = r.split_once(':')?;
                let cell = |s: &str| {
                    let col: String = s.chars().take_while(char::is_ascii_uppercase).collect();
                    let row: u32 = s[col.len()..].parse().unwrap();
                    let c = col
                        .bytes()
                        .fold(0u32, |c, b| c * 26 + (b - b'A' + 1) as u32)
                        - 1;
                    (row - 1, c)
                };
                let ((r0, c0), (_, c1)) = (cell(a), cell(b));
                Some((r0, c0, c1))
            })
            .collect();
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        let range = wb.worksheet_range(template::SHEET).unwrap();
        let mut labels = Vec::new();
        for c in 0..range.width() as u32 {
            let text = range
                .get_value((1, c))
                .map(|d| d.to_string())
                .unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            let (c0, c1) = merges
                .iter()
                .find(|&&(r, a, b)| r == 1 && a <= c && c <= b)
                .map_or((c, c), |&(_, a, b)| (a, b));
            let room: f64 = (c0..=c1).map(|k| px[&k]).sum();
            let need: f64 = text
                .chars()
                .map(|ch| if ch.is_ascii() { 7.4 } else { 14.7 })
                .sum();
            assert!(room >= need, "“{text}” needs {need} px, has {room}");
            if text.contains("填") || text.contains("月份") || text.contains("电话") {
                labels.push(text);
            }
        }
        assert!(labels.len() >= 4, "{labels:?}");
        assert!(labels.iter().all(|l| l.ends_with('：')), "{labels:?}");
        assert!(labels.contains(&"填报单位：".to_string()));
    }
}

#[test]
fn a_template_with_its_ledger_filled_reads_back_every_item() {
    use liaison::forms::ledger::{ItemCells, LedgerItem, NaiveDate, Status};
    let config = Config::embedded();
    let period = Period::new(2022, 5).unwrap();
    // The embedded config carries no register: this unit's stations are named here.
    let mut unit = config.unit("beishan").unwrap().clone();
    unit.stations = ["飞跃社区工作站", "望仙村工作站", "龙华村工作站"]
        .map(String::from)
        .to_vec();
    let d = |m, day| NaiveDate::from_ymd_opt(2022, m, day).unwrap();
    let item = |n: usize, status: Status, collected, settled| LedgerItem {
        id: format!("BS-{n:03}"),
        collected,
        station: unit.stations[n % unit.stations.len()].clone(),
        deputies: vec!["张丽".into(), "王芳".into()][..1 + n % 2].to_vec(),
        content: format!("第{n}条意见：村道路面破损"),
        category: config.ledger.categories[n % config.ledger.categories.len()].clone(),
        handler: if n == 2 {
            String::new()
        } else {
            "县交通运输局".into()
        },
        status,
        settled,
        cells: ItemCells::default(),
    };
    let items = vec![
        item(1, Status::Solved, d(5, 3), Some(d(5, 20))),
        item(2, Status::Answered, d(5, 9), Some(d(5, 25))),
        item(3, Status::InProgress, d(4, 12), None),
        item(4, Status::NotStarted, d(5, 18), None),
    ];
    // Figures that agree with the ledger: 3 collected in May, 1 solved.
    let mut rows = vec![vec![0; config.metrics.len()]; unit.stations.len()];
    rows[0][config.metric_index("suggestions_collected").unwrap()] = 3;
    rows[0][config.metric_index("problems_solved").unwrap()] = 1;
    let bytes = template::build_with(
        &config,
        &unit,
        period,
        &rows,
        liaison::forms::Typed { ledger: &items },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(template::file_name(&unit, period)), &bytes).unwrap();
    let checked = check(ingest_dir(dir.path(), &config).unwrap(), period, &config);
    let report = &checked.report;
    let file: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code.as_str().starts_with("ledger_"))
        .collect();
    assert!(file.is_empty(), "{file:#?}");
    let ledger = checked.counted[0]
        .companions
        .ledger
        .as_ref()
        .expect("ledger sheet found");
    assert_eq!(ledger.name, liaison::forms::ledger::template::NAME);
    let got: Vec<LedgerItem> = ledger
        .items
        .iter()
        .map(|i| LedgerItem {
            cells: ItemCells::default(),
            ..i.clone()
        })
        .collect();
    assert_eq!(got, items);
    // The last column is 备注 (ledger_reopened asks the unit to explain there); remarks typed
    // in it change nothing read (issue 26).
    use calamine::Reader;
    let sheet = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone()))
        .unwrap()
        .worksheet_range(liaison::forms::ledger::template::NAME)
        .unwrap();
    let header: Vec<String> = (0..12)
        .map(|c| {
            sheet
                .get_value((1, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(header[9..], ["办结日期", "备注", ""], "{header:?}");
    let remarked = with_remarks(&bytes, &["K3", "K5"], "群众再次反映，重新办理");
    std::fs::write(
        dir.path().join(template::file_name(&unit, period)),
        &remarked,
    )
    .unwrap();
    let again = check(ingest_dir(dir.path(), &config).unwrap(), period, &config);
    let ledger = again.counted[0]
        .companions
        .ledger
        .as_ref()
        .expect("ledger sheet found");
    assert!(
        again
            .report
            .diagnostics
            .iter()
            .all(|d| !d.is_error() && !d.code.as_str().starts_with("ledger_")),
        "{:#?}",
        again.report.diagnostics
    );
    let got: Vec<LedgerItem> = ledger
        .items
        .iter()
        .map(|i| LedgerItem {
            cells: ItemCells::default(),
            ..i.clone()
        })
        .collect();
    assert_eq!(got, items);
    // Drop-down lists of the config's categories and statuses, date-formatted date columns.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    let cats = format!("\"{}\"", config.ledger.categories.join(","));
    assert!(xml.contains(&cats), "category list: {xml}");
    assert!(
        xml.contains("\"已解决,已答复,正在办理,未办理\""),
        "status list"
    );
    assert!(xml.contains("type=\"date\""), "date validation");
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(
        styles.contains("formatCode=\"yyyy\\-mm\\-dd\"")
            || styles.contains("formatCode=\"yyyy-mm-dd\""),
        "{styles}"
    );
}

/// The template's bytes with `text` typed into the (blank, formatted) cells of its ledger sheet.
fn with_remarks(bytes: &[u8], cells: &[&str], text: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet2.xml" {
            let mut xml = String::from_utf8(data).unwrap();
            for cell in cells {
                let re = regex::Regex::new(&format!(r#"<c r="{cell}"( s="\d+")?/>"#)).unwrap();
                assert!(re.is_match(&xml), "{cell} is a blank cell");
                let rep = format!(r#"<c r="{cell}"$1 t="inlineStr"><is><t>{text}</t></is></c>"#);
                xml = re.replace(&xml, rep.as_str()).into_owned();
            }
            data = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}
