//! `cumulative_mismatch`: a return whose metrics are split into 本月 and 累计 is read from 本月,
//! and each 累计 cell is compared with the archive's earlier months of the year plus this month
//! — only where the archive holds every one of them (January: 累计 is this month).

use crate::common;

use std::path::Path;

use common::publishing::{checked, publish};
use liaison::app::pipeline::check_month;
use liaison::archive::{Options, Outcome};
use liaison::check::Keep;
use liaison::config::Config;
use liaison::core::findings::Finding;
use liaison::core::text::{Period, a1};
use rust_xlsxwriter::Workbook;

const STATIONS: [&str; 3] = ["白沙村工作站", "杨梅村工作站", "北山社区工作站"];

/// Figures of station `s` in month `m`: every metric different, the levels nonzero.
fn figures(s: usize, m: u32, metrics: usize) -> Vec<u64> {
    (0..metrics)
        .map(|i| (s as u64 + 1) * 3 + u64::from(m) + i as u64 % 4)
        .collect()
}

/// A one-row return of 北山镇 for `p`; with `cumulative`, each metric is written twice,
/// "(本月)" and "(累计)", the 累计 of station s being `cumulative[s]` and of the 合计 row the last.
fn write(dir: &Path, p: Period, cumulative: Option<&[Vec<u64>]>, config: &Config) {
    let n = config.metrics.len();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("进站活动月报").unwrap();
    ws.write_string(0, 0, "北山镇人大代表联系群众工作站进站活动月报表")
        .unwrap();
    ws.write_string(1, 0, "填报单位：北山镇").unwrap();
    ws.write_string(1, 5, format!("报送月份：{}年{}月", p.year(), p.month()))
        .unwrap();
    ws.write_string(2, 0, "序号").unwrap();
    ws.write_string(2, 1, "工作站名称").unwrap();
    let step: u16 = if cumulative.is_some() { 2 } else { 1 };
    for (i, m) in config.metrics.iter().enumerate() {
        let c = 2 + step * i as u16;
        let title = config.metric_title(m).replace('·', "-");
        if cumulative.is_some() {
            ws.write_string(2, c, format!("{title}(本月)")).unwrap();
            ws.write_string(2, c + 1, format!("{title}(累计)")).unwrap();
        } else {
            ws.write_string(2, c, title).unwrap();
        }
    }
    let mut total = vec![0u64; n];
    for (s, name) in STATIONS.iter().enumerate() {
        let r = 3 + s as u32;
        ws.write_number(r, 0, (s + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        for (i, v) in figures(s, p.month(), n).into_iter().enumerate() {
            ws.write_number(r, 2 + step * i as u16, v as f64).unwrap();
            total[i] += v;
            if let Some(cum) = cumulative {
                ws.write_number(r, 3 + step * i as u16, cum[s][i] as f64)
                    .unwrap();
            }
        }
    }
    let r = 3 + STATIONS.len() as u32;
    ws.write_string(r, 1, "合计").unwrap();
    for (i, v) in total.into_iter().enumerate() {
        ws.write_number(r, 2 + step * i as u16, v as f64).unwrap();
        if let Some(cum) = cumulative {
            ws.write_number(r, 3 + step * i as u16, cum[STATIONS.len()][i] as f64)
                .unwrap();
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    wb.save(dir.join("北山镇.xlsx")).unwrap();
}

/// Publishes the plain returns of `months` of 2022 into `out`.
fn archive(out: &Path, months: &[u32], config: &Config) {
    for &m in months {
        let p = Period::new(2022, m).unwrap();
        let dir = out.parent().unwrap().join(format!("in-{m}"));
        write(&dir, p, None, config);
        let outcome = publish(
            out,
            &checked(&dir, p, config),
            config,
            // The test's months have a few towns, not all 18: published 初步 (SPEC §5).
            &Options {
                allow_partial: true,
                ..Options::default()
            },
            false,
        );
        assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
    }
}

/// The right 累计 of month `m`: each station's figures of January to `m` summed, then the
/// 合计 row's.
fn right_cumulative(m: u32, n: usize) -> Vec<Vec<u64>> {
    let mut rows: Vec<Vec<u64>> = (0..STATIONS.len())
        .map(|s| {
            (1..=m).map(|k| figures(s, k, n)).fold(vec![0; n], |a, f| {
                a.iter().zip(&f).map(|(x, y)| x + y).collect()
            })
        })
        .collect();
    let total = (0..n).map(|i| rows.iter().map(|r| r[i]).sum()).collect();
    rows.push(total);
    rows
}

fn mismatches(ds: &[Finding]) -> Vec<String> {
    let mut v: Vec<String> = ds
        .iter()
        .filter(|d| d.code.as_str() == "cumulative_mismatch")
        .map(|d| d.cell.clone().unwrap_or_default())
        .collect();
    v.sort();
    v
}

/// The A1 cell of the 累计 of metric `i` on row `row` (0-based: station s is row 3 + s).
fn cum_cell(row: u32, i: usize) -> String {
    a1(row, 3 + 2 * i as u32)
}

#[test]
fn cumulative_is_compared_with_every_earlier_month() {
    let config = Config::embedded();
    let n = config.metrics.len();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    archive(&out, &[1, 2, 3, 4], &config);
    let may = Period::new(2022, 5).unwrap();
    let voters = config.metric_index("voters_received").unwrap();
    let mut cum = right_cumulative(5, n);
    cum[1][voters] += 10; // 杨梅村: ten too many
    cum[3][0] -= 1; // the 合计 row's 全国: one too few
    let dir = tmp.path().join("in-5");
    write(&dir, may, Some(&cum), &config);
    let month = check_month(&dir, may, &config, &out, Keep::Totals).unwrap();
    let report = &month.checked.report;
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    // 本月 is read, exactly.
    let totals = report.files[0].totals.as_ref().unwrap();
    let want: u64 = (0..STATIONS.len()).map(|s| figures(s, 5, n)[voters]).sum();
    assert_eq!(totals.get("voters_received"), Some(want));
    let mut expected = vec![cum_cell(4, voters), cum_cell(6, 0)];
    expected.sort();
    assert_eq!(mismatches(&report.diagnostics), expected);
    let m = report
        .diagnostics
        .iter()
        .find(|d| d.cell.as_deref() == Some(cum_cell(4, voters).as_str()))
        .unwrap();
    assert!(
        m.message.contains("杨梅村工作站") && m.message.contains("2022年1–4月"),
        "{}",
        m.message
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "month_column_read")
    );

    // The right 累计 everywhere: nothing to say.
    write(&dir, may, Some(&right_cumulative(5, n)), &config);
    let month = check_month(&dir, may, &config, &out, Keep::Totals).unwrap();
    assert_eq!(
        mismatches(&month.checked.report.diagnostics),
        Vec::<String>::new()
    );
}

#[test]
fn nothing_is_compared_without_every_earlier_month() {
    let config = Config::embedded();
    let n = config.metrics.len();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    archive(&out, &[1, 2, 4], &config); // no March
    let may = Period::new(2022, 5).unwrap();
    let mut cum = right_cumulative(5, n);
    cum[0][0] += 100;
    let dir = tmp.path().join("in-5");
    write(&dir, may, Some(&cum), &config);
    let month = check_month(&dir, may, &config, &out, Keep::Totals).unwrap();
    assert_eq!(
        mismatches(&month.checked.report.diagnostics),
        Vec::<String>::new()
    );
    assert!(
        month.notes.iter().any(|n| n.contains("2022年3月")),
        "{:?}",
        month.notes
    );
    assert!(!month.checked.report.has_errors());
}

#[test]
fn january_cumulative_is_the_month() {
    let config = Config::embedded();
    let n = config.metrics.len();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let jan = Period::new(2022, 1).unwrap();
    let mut cum = right_cumulative(1, n);
    cum[2][5] += 1;
    let dir = tmp.path().join("in-1");
    write(&dir, jan, Some(&cum), &config);
    let month = check_month(&dir, jan, &config, &out, Keep::Totals).unwrap();
    assert_eq!(
        mismatches(&month.checked.report.diagnostics),
        vec![cum_cell(5, 5)]
    );
}
