//! Property: a return with random rows of the header between its header and its data (栏次 rows
//! lettered 甲 乙 … or numbered only, units rows, the header written again, a row of measure
//! words), under a one-row or a two-row header, with or without a 合计, and with a metric split
//! over two columns (接待选民 | 走访选民) or written twice, is read with exactly the figures
//! written, or refused: never a different figure.

use liaison::check::{Status, check};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::ingest_entry;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

/// A row of the header written between the header and the data (or among the stations).
#[derive(Debug, Clone, Copy, PartialEq)]
enum HeadRow {
    /// 甲 乙 over 序号 and 工作站名称, then consecutive numbers from `start` over the figures.
    Lettered { start: u32 },
    /// Consecutive numbers over every column, 序号 and 工作站名称 too.
    Numbered,
    /// (人) (人次) … under each figure, 计量单位 under the name.
    Units,
    /// The header again.
    Repeated,
    /// The measure words alone, no brackets.
    Measures,
}

/// How the 接待走访选民 figures are written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Voters {
    /// One column, as the template.
    One,
    /// 接待选民 | 走访选民, both with figures: the metric may be their sum: refused.
    Split,
    /// 接待选民 | 走访选民, the second blank in every row: read from the first (one-row header:
    /// 走访选民 names no metric); refused under a two-row header (both under 接待走访选民).
    SplitBlank,
    /// 接待走访选民 written a second time, after 备注, with figures: refused.
    Twice,
}

#[derive(Debug, Clone)]
struct Case {
    rows: Vec<Vec<u64>>,
    two_row: bool,
    total: bool,
    /// Header rows right under the header, and one among the stations (after a station).
    under: Vec<HeadRow>,
    among: Option<(usize, HeadRow)>,
    voters: Voters,
    /// The second 走访选民 / 接待走访选民 column's figures.
    extra: Vec<u64>,
}

fn head_row() -> impl Strategy<Value = HeadRow> {
    prop_oneof![
        (1u32..4).prop_map(|start| HeadRow::Lettered { start }),
        Just(HeadRow::Numbered),
        Just(HeadRow::Units),
        Just(HeadRow::Repeated),
        Just(HeadRow::Measures),
    ]
}

fn case(metrics: usize) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(prop::collection::vec(0u64..40, metrics), 2..7),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(head_row(), 0..3),
        prop::option::weighted(0.3, (0usize..6, head_row())),
        prop_oneof![
            3 => Just(Voters::One),
            2 => Just(Voters::Split),
            1 => Just(Voters::SplitBlank),
            1 => Just(Voters::Twice),
        ],
        prop::collection::vec(1u64..30, 7),
    )
        .prop_map(|(rows, two_row, total, under, among, voters, extra)| Case {
            among: among.filter(|(i, _)| i + 1 < rows.len()),
            rows,
            two_row,
            total,
            under,
            voters,
            extra,
        })
}

/// The columns of the table: (header above, header below or the one-row header, metric).
struct Columns {
    cols: Vec<(String, String, Option<usize>)>,
    /// Where the second voters column is, and whether it holds figures.
    extra: Option<usize>,
}

fn columns(c: &Case, config: &Config) -> Columns {
    let voters = config.metric_index("voters_received").unwrap();
    let mut cols = vec![
        ("序号".to_string(), String::new(), None),
        ("工作站名称".to_string(), String::new(), None),
    ];
    let mut extra = None;
    for (i, m) in config.metrics.iter().enumerate() {
        let group = m.group.as_deref().and_then(|g| config.group(g));
        let (top, below) = match (group, c.two_row) {
            (Some(g), true) => (format!("{}({})", g.label, m.measure), m.label.clone()),
            (Some(_), false) => (config.metric_title(m).replace('·', "-"), String::new()),
            (None, _) => (format!("{}({})", m.label, m.measure), String::new()),
        };
        if i == voters && matches!(c.voters, Voters::Split | Voters::SplitBlank) {
            if c.two_row {
                cols.push((top, "接待选民".into(), Some(i)));
                cols.push((String::new(), "走访选民".into(), None));
            } else {
                cols.push(("接待选民".into(), String::new(), Some(i)));
                cols.push(("走访选民".into(), String::new(), None));
            }
            extra = Some(cols.len() - 1);
            continue;
        }
        cols.push((top, below, Some(i)));
    }
    cols.push(("备注".into(), String::new(), None));
    if c.voters == Voters::Twice {
        cols.push(("接待走访选民".into(), String::new(), None));
        extra = Some(cols.len() - 1);
    }
    Columns { cols, extra }
}

fn head(ws: &mut Worksheet, r: u32, cols: &Columns, two_row: bool, merge: &Format) {
    let mut c = 0;
    while c < cols.cols.len() {
        let (top, below, _) = &cols.cols[c];
        if !two_row {
            ws.write_string(r, c as u16, top).unwrap();
            c += 1;
            continue;
        }
        // A group's cell merged over its columns; a single column's merged down.
        let span = cols.cols[c..]
            .iter()
            .take_while(|x| x.0 == *top && !top.is_empty() && !x.1.is_empty())
            .count();
        if span > 1 {
            ws.merge_range(r, c as u16, r, (c + span - 1) as u16, top, merge)
                .unwrap();
            for (k, x) in cols.cols[c..c + span].iter().enumerate() {
                ws.write_string(r + 1, (c + k) as u16, &x.1).unwrap();
            }
            c += span;
        } else if below.is_empty() {
            ws.merge_range(r, c as u16, r + 1, c as u16, top, merge)
                .unwrap();
            c += 1;
        } else {
            // 接待走访选民 written once over 接待选民 | 走访选民, not merged.
            if !top.is_empty() {
                ws.write_string(r, c as u16, top).unwrap();
            }
            ws.write_string(r + 1, c as u16, below).unwrap();
            c += 1;
        }
    }
}

fn head_row_cells(
    ws: &mut Worksheet,
    r: u32,
    kind: HeadRow,
    cols: &Columns,
    c: &Case,
    config: &Config,
    merge: &Format,
) -> u32 {
    match kind {
        HeadRow::Lettered { start } => {
            ws.write_string(r, 0, "甲").unwrap();
            ws.write_string(r, 1, "乙").unwrap();
            let mut n = start;
            for (k, (_, _, m)) in cols.cols.iter().enumerate() {
                if m.is_some() || Some(k) == cols.extra {
                    ws.write_number(r, k as u16, f64::from(n)).unwrap();
                    n += 1;
                }
            }
            1
        }
        HeadRow::Numbered => {
            for k in 0..cols.cols.len() {
                ws.write_number(r, k as u16, (k + 1) as f64).unwrap();
            }
            1
        }
        HeadRow::Units | HeadRow::Measures => {
            if kind == HeadRow::Units {
                ws.write_string(r, 1, "计量单位").unwrap();
            }
            for (k, (_, _, m)) in cols.cols.iter().enumerate() {
                if let Some(i) = m {
                    let w = &config.metrics[*i].measure;
                    let text = if kind == HeadRow::Units {
                        format!("({w})")
                    } else {
                        w.clone()
                    };
                    ws.write_string(r, k as u16, text).unwrap();
                }
            }
            1
        }
        HeadRow::Repeated => {
            head(ws, r, cols, c.two_row, merge);
            if c.two_row { 2 } else { 1 }
        }
    }
}

/// Writes the case as a return of 北山镇 for May 2022.
fn write(c: &Case, config: &Config) -> Vec<u8> {
    let cols = columns(c, config);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("进站活动月报").unwrap();
    let merge = Format::new();
    ws.write_string(0, 0, "北山镇人大代表联系群众工作站进站活动月报表")
        .unwrap();
    ws.write_string(1, 0, "填报单位：北山镇").unwrap();
    ws.write_string(1, 5, "报送月份：2022年5月").unwrap();
    head(ws, 2, &cols, c.two_row, &merge);
    let mut r = if c.two_row { 4 } else { 3 };
    for &k in &c.under {
        r += head_row_cells(ws, r, k, &cols, c, config, &merge);
    }
    let n = config.metrics.len();
    let mut sums = vec![0u64; n];
    let mut extra_sum = 0;
    for (s, row) in c.rows.iter().enumerate() {
        ws.write_number(r, 0, (s + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("第{}社区工作站", s + 1))
            .unwrap();
        for (k, (_, _, m)) in cols.cols.iter().enumerate() {
            if let Some(i) = m {
                ws.write_number(r, k as u16, row[*i] as f64).unwrap();
                sums[*i] += row[*i];
            } else if Some(k) == cols.extra && c.voters != Voters::SplitBlank {
                ws.write_number(r, k as u16, c.extra[s] as f64).unwrap();
                extra_sum += c.extra[s];
            }
        }
        r += 1;
        if let Some((after, kind)) = c.among
            && after == s
        {
            r += head_row_cells(ws, r, kind, &cols, c, config, &merge);
        }
    }
    if c.total {
        ws.write_string(r, 1, "合计").unwrap();
        for (k, (_, _, m)) in cols.cols.iter().enumerate() {
            if let Some(i) = m {
                ws.write_number(r, k as u16, sums[*i] as f64).unwrap();
            } else if Some(k) == cols.extra && c.voters != Voters::SplitBlank {
                ws.write_number(r, k as u16, extra_sum as f64).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(20220521),
        ..ProptestConfig::default()
    })]

    #[test]
    fn header_rows_and_split_columns_never_change_a_figure(c in case(Config::embedded().metrics.len())) {
        let config = Config::embedded();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("北山镇.xlsx"), write(&c, &config)).unwrap();
        let outcome = ingest_entry(dir.path(), "北山镇.xlsx", &config);
        let checked = check(vec![outcome], Period::new(2022, 5).unwrap(), &config);
        let report = &checked.report;
        let file = &report.files[0];
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
        // Under a two-row header, 接待走访选民 written over 接待选民 | 走访选民 names both columns:
        // two columns of one metric, refused even when one is blank (SPEC: never a choice).
        let refusable = matches!(c.voters, Voters::Split | Voters::Twice)
            || (c.voters == Voters::SplitBlank && c.two_row);
        if file.status == Status::Ok {
            // Read: every figure exactly as written, and no other station.
            prop_assert!(!refusable, "a metric in two columns was read from one");
            prop_assert_eq!(file.stations, Some(c.rows.len()));
            let totals = file.totals.as_ref().unwrap();
            for (i, m) in config.metrics.iter().enumerate() {
                let want: u64 = c.rows.iter().map(|r| r[i]).sum();
                prop_assert_eq!(totals.get(&m.id), Some(want), "{}", m.id);
            }
        } else {
            // Refused: only for a metric in two columns, and for nothing else.
            prop_assert!(refusable, "refused: {:#?}", errors);
            prop_assert!(errors.iter().all(|d| d.code.as_str() == "ambiguous_return"), "{:#?}", errors);
        }
    }
}
