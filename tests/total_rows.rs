//! Property: a return with random figures and a total row under any SPEC §3 label and position
//! (序号 column, merged or not, or the station-name column; with or without 小计 rows above;
//! labelled or not) is read back with exactly the generated figures, never a total as a station.

use liaison::check::{Status, check};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::ingest_entry;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use rust_xlsxwriter::{Format, Workbook};

/// Labels SPEC §3 makes a total row: the words with anything around them.
const LABELS: &[&str] = &[
    "合计",
    "总计",
    "共计",
    "累计",
    "汇总",
    "全镇合计",
    "本镇累计",
    "合 计",
    "合　计",
    "合计（{n}个站）",
    "Total",
    "TOTAL",
    " 合计 ",
    "全街道汇总",
    "总 计",
];

#[derive(Debug, Clone, Copy)]
enum Place {
    /// In the 序号 column.
    Seq,
    /// In the 序号 column, merged over 序号 and 工作站名称.
    SeqMerged,
    /// In the station-name column, 序号 blank.
    Station,
}

#[derive(Debug, Clone)]
struct Case {
    rows: Vec<Vec<u64>>,
    /// `None`: a total row with no label (its figures equal the stations' sum).
    label: Option<&'static str>,
    place: Place,
    /// 小计 after these station indexes.
    subtotals: Vec<usize>,
}

fn case(metrics: usize) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(prop::collection::vec(0u64..40, metrics), 2..9),
        prop::option::weighted(0.85, prop::sample::select(LABELS)),
        prop_oneof![
            Just(Place::Seq),
            Just(Place::SeqMerged),
            Just(Place::Station)
        ],
        prop::collection::vec(0usize..8, 0..3),
    )
        .prop_map(|(rows, label, place, mut subtotals)| {
            subtotals.retain(|&i| i + 1 < rows.len());
            subtotals.sort_unstable();
            subtotals.dedup();
            Case {
                rows,
                label,
                place,
                subtotals,
            }
        })
}

/// Writes the case as a return of 北山镇 for May 2022 with a one-row header.
fn write(case: &Case, config: &Config) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("进站活动月报").unwrap();
    let plain = Format::new();
    ws.write_string(0, 0, "北山镇人大代表联系群众工作站进站活动月报表")
        .unwrap();
    ws.write_string(1, 0, "填报单位：北山镇").unwrap();
    ws.write_string(1, 5, "报送月份：2022年5月").unwrap();
    ws.write_string(2, 0, "序号").unwrap();
    ws.write_string(2, 1, "工作站名称").unwrap();
    for (i, m) in config.metrics.iter().enumerate() {
        ws.write_string(2, 2 + i as u16, config.metric_title(m))
            .unwrap();
    }
    let mut r = 3u32;
    let mut since = vec![0u64; config.metrics.len()];
    let mut all = vec![0u64; config.metrics.len()];
    let figures = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, v: &[u64]| {
        for (i, x) in v.iter().enumerate() {
            ws.write_number(r, 2 + i as u16, *x as f64).unwrap();
        }
    };
    for (k, row) in case.rows.iter().enumerate() {
        ws.write_number(r, 0, (k + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("第{}社区工作站", k + 1))
            .unwrap();
        figures(ws, r, row);
        since.iter_mut().zip(row).for_each(|(s, v)| *s += v);
        all.iter_mut().zip(row).for_each(|(s, v)| *s += v);
        r += 1;
        if case.subtotals.contains(&k) {
            label(ws, r, Some("小计"), case.place, &plain);
            figures(ws, r, &since);
            since.iter_mut().for_each(|s| *s = 0);
            r += 1;
        }
    }
    let n = case.rows.len().to_string();
    let text = case.label.map(|l| l.replace("{n}", &n));
    label(ws, r, text.as_deref(), case.place, &plain);
    figures(ws, r, &all);
    ws.write_string(r + 1, 0, "注：本表于次月5日前报送。")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

fn label(ws: &mut rust_xlsxwriter::Worksheet, r: u32, text: Option<&str>, at: Place, f: &Format) {
    let Some(text) = text else { return };
    match at {
        Place::Seq => ws.write_string(r, 0, text).map(|_| ()),
        Place::SeqMerged => ws.merge_range(r, 0, r, 1, text, f).map(|_| ()),
        Place::Station => ws.write_string(r, 1, text).map(|_| ()),
    }
    .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(20220515),
        ..ProptestConfig::default()
    })]

    #[test]
    fn total_rows_never_count_as_stations(c in case(Config::embedded().metrics.len())) {
        let config = Config::embedded();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("北山镇.xlsx"), write(&c, &config)).unwrap();
        let outcome = ingest_entry(dir.path(), "北山镇.xlsx", &config);
        let checked = check(vec![outcome], Period::new(2022, 5).unwrap(), &config);
        let report = &checked.report;
        let file = &report.files[0];
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
        prop_assert_eq!(file.status, Status::Ok, "{:?}", errors);
        prop_assert_eq!(file.stations, Some(c.rows.len()));
        let mut want: Vec<u64> = (0..config.metrics.len())
            .map(|i| c.rows.iter().map(|r| r[i]).sum())
            .collect();
        let deputies = config
            .metrics
            .iter()
            .zip(&want)
            .filter(|(m, _)| m.level.is_some())
            .map(|(_, v)| v)
            .sum();
        want.push(deputies);
        let got = file.totals.as_ref().unwrap().to_map();
        let got: Vec<u64> = got.values().map(|v| v.as_u64().unwrap()).collect();
        prop_assert_eq!(got, want);
        let detected = report.diagnostics.iter().any(|d| d.code.as_str() == "total_row_detected");
        prop_assert_eq!(detected, c.label.is_none(), "a warning exactly when the total has no label");
    }
}
