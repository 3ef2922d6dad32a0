//! A station row whose 联络员 or 进站日期 cell holds a total word ("5月8日、20日(共计2次)",
//! "张三（汇总）") is a station: a total's label stands first or in the station column.

use liaison::check::Status;
use liaison::config::Config;
use rust_xlsxwriter::Workbook;

use crate::common::one;

/// A return of 北山镇 for May 2022 with 联络员 and 进站日期 columns; `extra` (联络员, 进站日期)
/// on the station row `at`; a labelled 合计 of all stations when `total`.
fn write(config: &Config, at: usize, extra: (&str, &str), total: bool) -> (Vec<u8>, Vec<u64>) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let text = ["序号", "工作站名称", "联络员", "进站日期"];
    let first = one::heading(ws, "北山镇", &text, &one::titles(config));
    let m = config.metrics.len();
    let names = [
        "白沙村工作站",
        "金龙村工作站",
        "石桥村工作站",
        "龙泉村工作站",
    ];
    let mut sums = vec![0u64; m];
    for (k, name) in names.iter().enumerate() {
        let r = 3 + k as u32;
        ws.write_number(r, 0, (k + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        let (who, when) = if k == at {
            extra
        } else {
            ("李四", "5月10日")
        };
        ws.write_string(r, 2, who).unwrap();
        ws.write_string(r, 3, when).unwrap();
        for (i, s) in sums.iter_mut().enumerate() {
            let v = ((k * 7 + i * 3) % 5) as u64;
            *s += v;
            ws.write_number(r, first + i as u16, v as f64).unwrap();
        }
    }
    if total {
        let r = 3 + names.len() as u32;
        ws.write_string(r, 0, "合计").unwrap();
        for (i, s) in sums.iter().enumerate() {
            ws.write_number(r, first + i as u16, *s as f64).unwrap();
        }
    }
    (wb.save_to_buffer().unwrap(), sums)
}

#[test]
fn a_total_word_beside_a_station_name_is_that_cells_text() {
    let config = Config::embedded();
    let extras = [
        ("张三", "5月8日、20日(共计2次)"),
        ("张三（汇总）", "5月8日"),
    ];
    for at in [0, 3] {
        for extra in extras {
            for total in [true, false] {
                let (bytes, sums) = write(&config, at, extra, total);
                let checked = one::check_one(bytes, &config);
                let file = &checked.report.files[0];
                let codes = one::codes(&checked);
                let case = format!("row {at}, {extra:?}, total {total}: {codes:?}");
                assert_eq!(file.status, Status::Ok, "{case}");
                assert_eq!(file.stations, Some(4), "{case}");
                let got = one::totals(file, &config);
                assert_eq!(got, sums, "{case}");
            }
        }
    }
}
