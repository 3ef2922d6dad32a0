//! Texts pasted from web pages and chat messages carry characters that show nothing (zero-width
//! spaces, a byte-order mark), and forms mark required columns with `*` or `※`: a header, a
//! unit's name or a label with them reads as without them.

use liaison::check::{Status, check};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::ingest_entry;
use rust_xlsxwriter::Workbook;

/// A return of 北山镇 for May 2022; `header` rewrites each metric's title, `unit` the unit.
fn write(config: &Config, unit: &str, header: impl Fn(&str) -> String) -> (Vec<u8>, Vec<u64>) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "人大代表联系群众工作站进站活动月报表")
        .unwrap();
    ws.write_string(1, 0, format!("填报单位：{unit}")).unwrap();
    ws.write_string(1, 5, "报送月份：2022年5月").unwrap();
    ws.write_string(2, 0, "序号").unwrap();
    ws.write_string(2, 1, "工作站名称").unwrap();
    for (i, m) in config.metrics.iter().enumerate() {
        ws.write_string(2, 2 + i as u16, header(&config.metric_title(m)))
            .unwrap();
    }
    let mut sums = vec![0u64; config.metrics.len()];
    for k in 0..3u32 {
        ws.write_number(3 + k, 0, f64::from(k + 1)).unwrap();
        ws.write_string(3 + k, 1, format!("第{}村工作站", k + 1))
            .unwrap();
        for (i, s) in sums.iter_mut().enumerate() {
            let v = u64::from(k) * 3 + i as u64 % 4;
            *s += v;
            ws.write_number(3 + k, 2 + i as u16, v as f64).unwrap();
        }
    }
    (wb.save_to_buffer().unwrap(), sums)
}

/// How a case writes each metric's title.
type Header = dyn Fn(&str) -> String;

#[test]
fn marks_and_invisible_characters_change_nothing() {
    let config = Config::embedded();
    let cases: [(&str, &Header); 5] = [
        ("北山镇", &|t| format!("*{t}")),
        ("北山镇", &|t| format!("{t}※")),
        ("北山镇", &|t| format!("★{t}")),
        ("北山\u{200B}镇", &|t| t.replacen('(', "\u{200B}(", 1)),
        ("\u{FEFF}北山镇", &|t| format!("\u{FEFF}{t}\u{200D}")),
    ];
    for (k, (unit, header)) in cases.iter().enumerate() {
        let (bytes, sums) = write(&config, unit, header);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("月报.xlsx"), bytes).unwrap();
        let outcome = ingest_entry(dir.path(), "月报.xlsx", &config);
        let checked = check(vec![outcome], Period::new(2022, 5).unwrap(), &config);
        let file = &checked.report.files[0];
        let codes: Vec<String> = checked
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.code.as_str(), d.message))
            .collect();
        assert_eq!(file.status, Status::Ok, "case {k}: {codes:?}");
        assert_eq!(file.unit.as_deref(), Some("beishan"), "case {k}");
        let map = file.totals.as_ref().unwrap().to_map();
        let got: Vec<u64> = config
            .metrics
            .iter()
            .map(|m| map[&m.id].as_u64().unwrap())
            .collect();
        assert_eq!(got, sums, "case {k}");
    }
}
