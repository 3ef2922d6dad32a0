//! One return of 北山镇 for May 2022, written with rust_xlsxwriter and checked alone: the
//! heading the tests share and the figures read back.

use liaison::check::{Checked, FileReport, check};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::ingest_entry;
use rust_xlsxwriter::Worksheet;

/// Writes the title, the unit and month labels (`unit` as given) and the header on row 3:
/// `text` columns from A, then `titles`; returns the first figure column.
pub fn heading(ws: &mut Worksheet, unit: &str, text: &[&str], titles: &[String]) -> u16 {
    ws.write_string(0, 0, "人大代表联系群众工作站进站活动月报表")
        .unwrap();
    ws.write_string(1, 0, format!("填报单位：{unit}")).unwrap();
    ws.write_string(1, 5, "报送月份：2022年5月").unwrap();
    for (c, h) in text.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let first = text.len() as u16;
    for (i, t) in titles.iter().enumerate() {
        ws.write_string(2, first + i as u16, t).unwrap();
    }
    first
}

/// The config's metric titles, as the template writes them.
pub fn titles(config: &Config) -> Vec<String> {
    config
        .metrics
        .iter()
        .map(|m| config.metric_title(m))
        .collect()
}

/// `bytes` saved as the only file of a folder and checked for May 2022.
pub fn check_one(bytes: Vec<u8>, config: &Config) -> Checked {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("月报.xlsx"), bytes).unwrap();
    let outcome = ingest_entry(dir.path(), "月报.xlsx", config);
    check(vec![outcome], Period::new(2022, 5).unwrap(), config)
}

/// A counted file's totals in the config's metric order (empty for a refused file).
pub fn totals(file: &FileReport, config: &Config) -> Vec<u64> {
    file.totals.as_ref().map_or_else(Vec::new, |t| {
        let map = t.to_map();
        config
            .metrics
            .iter()
            .map(|m| map[&m.id].as_u64().unwrap())
            .collect()
    })
}

/// The findings' codes and cells (`code@A1`), `missing_return` left out.
pub fn codes(checked: &Checked) -> Vec<String> {
    checked
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() != "missing_return")
        .map(|d| format!("{}@{}", d.code.as_str(), d.cell.as_deref().unwrap_or("")))
        .collect()
}
