//! Texts pasted from web pages and chat messages carry characters that show nothing (zero-width
//! spaces, a byte-order mark), and forms mark required columns with `*` or `※`: a header, a
//! unit's name or a label with them reads as without them.

use liaison::check::Status;
use liaison::config::Config;
use rust_xlsxwriter::Workbook;

use crate::common::one;

/// A return of 北山镇 for May 2022; `header` rewrites each metric's title, `unit` the unit.
fn write(config: &Config, unit: &str, header: impl Fn(&str) -> String) -> (Vec<u8>, Vec<u64>) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let titles: Vec<String> = one::titles(config).iter().map(|t| header(t)).collect();
    let first = one::heading(ws, unit, &["序号", "工作站名称"], &titles);
    let mut sums = vec![0u64; config.metrics.len()];
    for k in 0..3u32 {
        ws.write_number(3 + k, 0, f64::from(k + 1)).unwrap();
        ws.write_string(3 + k, 1, format!("第{}村工作站", k + 1))
            .unwrap();
        for (i, s) in sums.iter_mut().enumerate() {
            let v = u64::from(k) * 3 + i as u64 % 4;
            *s += v;
            ws.write_number(3 + k, first + i as u16, v as f64).unwrap();
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
        let checked = one::check_one(bytes, &config);
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
        let got = one::totals(file, &config);
        assert_eq!(got, sums, "case {k}");
    }
}
