//! A station whose figures happen to equal the stations' above it, with more stations and a 合计
//! below, is read by what the 合计 says: a station when the 合计 counts it, an unlabelled
//! subtotal when the 合计 leaves it out, and refused when the 合计 has no figure to tell
//! (never dropped on a guess: that was a wrong figure with exit 0).

use liaison::check::Status;
use liaison::config::Config;
use rust_xlsxwriter::Workbook;

use crate::common::one;

/// How the 合计 row's figures are written.
#[derive(Clone, Copy)]
enum Total {
    /// The sum of these rows (indexes into the rows written).
    Of(&'static [usize]),
    /// Left blank under its label.
    Blank,
    /// SUM formulas, saved as rust_xlsxwriter saves them (recalculated on open: not trusted).
    Formulas,
}

/// Sparse figures, as small stations report them: `k` in a few metrics, 0 elsewhere.
fn sparse(metrics: usize, k: u64, at: &[usize]) -> Vec<u64> {
    (0..metrics)
        .map(|i| if at.contains(&i) { k } else { 0 })
        .collect()
}

fn add(a: &[u64], b: &[u64]) -> Vec<u64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// A return of 北山镇 for May 2022, one-row header, `rows` (name, figures), then 合计.
fn write(rows: &[(&str, Vec<u64>)], total: Total, config: &Config) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let first = one::heading(ws, "北山镇", &["序号", "工作站名称"], &one::titles(config));
    for (k, (name, figures)) in rows.iter().enumerate() {
        let r = 3 + k as u32;
        ws.write_number(r, 0, (k + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        for (i, v) in figures.iter().enumerate() {
            ws.write_number(r, first + i as u16, *v as f64).unwrap();
        }
    }
    let r = 3 + rows.len() as u32;
    ws.write_string(r, 0, "合计").unwrap();
    for i in 0..config.metrics.len() {
        let c = first + i as u16;
        match total {
            Total::Of(which) => {
                let v: u64 = which.iter().map(|&k| rows[k].1[i]).sum();
                ws.write_number(r, c, v as f64).unwrap();
            }
            Total::Blank => {}
            Total::Formulas => {
                let col = rust_xlsxwriter::column_number_to_name(c);
                let f = format!("=SUM({col}4:{col}{r})");
                ws.write_formula(r, c, f.as_str()).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The file's status, its stations' count and totals in metric order, and its finding codes.
fn read(bytes: Vec<u8>, config: &Config) -> (Status, Option<usize>, Vec<u64>, Vec<String>) {
    let checked = one::check_one(bytes, config);
    let file = &checked.report.files[0];
    (
        file.status,
        file.stations,
        one::totals(file, config),
        one::codes(&checked),
    )
}

/// Six stations; the third's figures are the first two's sum.
fn six(m: usize) -> Vec<(&'static str, Vec<u64>)> {
    let a = sparse(m, 2, &[0, 3, 5]);
    let b = sparse(m, 1, &[0, 5, 7]);
    vec![
        ("白沙村工作站", a.clone()),
        ("金龙村工作站", b.clone()),
        ("石桥村工作站", add(&a, &b)),
        ("团山村工作站", sparse(m, 3, &[1, 3])),
        ("龙泉村工作站", sparse(m, 1, &[2])),
        ("花园社区工作站", sparse(m, 4, &[0, 6])),
    ]
}

fn sum(rows: &[(&str, Vec<u64>)], which: &[usize]) -> Vec<u64> {
    let m = rows[0].1.len();
    (0..m)
        .map(|i| which.iter().map(|&k| rows[k].1[i]).sum())
        .collect()
}

#[test]
fn a_station_equal_to_the_sum_above_is_counted_when_the_total_counts_it() {
    let config = Config::embedded();
    let rows = six(config.metrics.len());
    let all: &[usize] = &[0, 1, 2, 3, 4, 5];
    let (status, stations, totals, codes) = read(write(&rows, Total::Of(all), &config), &config);
    assert_eq!(status, Status::Ok, "{codes:?}");
    assert_eq!(stations, Some(6));
    assert_eq!(totals, sum(&rows, all));
    assert!(codes.is_empty(), "{codes:?}");
}

#[test]
fn it_is_a_subtotal_when_the_total_leaves_it_out() {
    let config = Config::embedded();
    let rows = six(config.metrics.len());
    let without: &[usize] = &[0, 1, 3, 4, 5];
    let bytes = write(&rows, Total::Of(without), &config);
    let (status, stations, totals, codes) = read(bytes, &config);
    assert_eq!(status, Status::Ok, "{codes:?}");
    assert_eq!(stations, Some(5));
    assert_eq!(totals, sum(&rows, without));
    assert_eq!(codes, ["total_row_detected@B6"]);
}

#[test]
fn it_is_refused_when_the_total_cannot_tell() {
    let config = Config::embedded();
    let rows = six(config.metrics.len());
    for total in [Total::Blank, Total::Formulas] {
        let (status, _, _, codes) = read(write(&rows, total, &config), &config);
        assert_eq!(status, Status::Error, "{codes:?}");
        assert!(
            codes.contains(&"ambiguous_return@B6".to_string()),
            "{codes:?}"
        );
    }
}

#[test]
fn a_second_station_equal_to_the_first_is_counted_when_the_total_counts_it() {
    let config = Config::embedded();
    let m = config.metrics.len();
    let a = sparse(m, 2, &[0, 4]);
    // Short names, with none of 站 村 社区: the second row's figures are the first's.
    let rows = vec![
        ("白沙", a.clone()),
        ("金龙", a),
        ("石桥", sparse(m, 3, &[1, 4])),
        ("团山", sparse(m, 1, &[2])),
    ];
    let all: &[usize] = &[0, 1, 2, 3];
    let (status, stations, totals, codes) = read(write(&rows, Total::Of(all), &config), &config);
    assert_eq!(status, Status::Ok, "{codes:?}");
    assert_eq!(stations, Some(4));
    assert_eq!(totals, sum(&rows, all));
}
