//! The period summary at province scale: a year of 2,000 towns' published months summarised by
//! `liaison summary --year` (every output), beside DuckDB summing the same partitions per unit;
//! in an archive of two years and of ten, to show memory does not grow with the archive.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx, open_workbook};
use liaison::archive::{DatasetEntry, Manifest, RegionStamp};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::ledger;
use liaison::{aggregate, history};
use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::data::{self, Rng};
use crate::measure::{Case, Runner};
use crate::{liaison, python, quick};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `part` bytes under `dataset/period=P/part-0.parquet`; the file's entry.
fn partition(output: &Path, dataset: &str, p: Period, bytes: &[u8]) -> DatasetEntry {
    let path = history::partition_file(&output.join(dataset), p);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    DatasetEntry {
        name: dataset.into(),
        path: format!("{dataset}/period={p}/{}", history::PART),
        sha256: Some(hex(bytes)),
        extra: Default::default(),
    }
}

/// An archive of every month of `years` as liaison publishes it (history partition by
/// liaison's writer, an empty ledger, a manifest naming both): one row per station. Rows written.
pub fn write_archive(
    output: &Path,
    config: &Config,
    years: std::ops::RangeInclusive<i32>,
) -> usize {
    let mut rng = Rng::new(25);
    let metrics = aggregate::metric_columns(config);
    let empty_ledger = ledger::store::parquet_bytes(&[]).unwrap();
    let mut rows = 0;
    for year in years {
        for month in 1..=12 {
            let p = Period::new(year, month).unwrap();
            let (mut uid, mut unit, mut station) = (Vec::new(), Vec::new(), Vec::new());
            let mut values: Vec<Vec<i64>> = vec![Vec::new(); metrics.len()];
            for u in &config.units {
                for s in &u.stations {
                    uid.push(u.id.clone());
                    unit.push(u.name.clone());
                    station.push(s.clone());
                    let v = data::station_figures(&mut rng, config);
                    let mut total = 0;
                    for (i, (m, x)) in config.metrics.iter().zip(&v).enumerate() {
                        values[i].push(*x as i64);
                        total += if m.level.is_some() { *x as i64 } else { 0 };
                    }
                    values[metrics.len() - 1].push(total);
                }
            }
            let n = uid.len();
            rows += n;
            let mut cols = vec![
                Column::new("period".into(), vec![p.to_string(); n]),
                Column::new("unit_id".into(), uid),
                Column::new("unit".into(), unit),
                Column::new("station".into(), station),
            ];
            for (name, v) in metrics.iter().zip(values) {
                cols.push(Column::new(name.into(), v));
            }
            cols.push(Column::new("source_sha256".into(), vec!["0".repeat(64); n]));
            let df = DataFrame::new(n, cols).unwrap();
            let hist = partition(output, "history", p, &history::parquet_bytes(&df).unwrap());
            let led = partition(output, ledger::store::DIR, p, &empty_ledger);
            let m = Manifest {
                tool: "liaison".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                period: p.to_string(),
                preliminary: false,
                config: "bench".into(),
                config_sha256: "0".repeat(64),
                region: Some(RegionStamp::of(config)),
                inputs: Vec::new(),
                excluded: Vec::new(),
                missing_units: Vec::new(),
                outputs: Vec::new(),
                datasets: vec![hist, led],
                replaces: None,
                sources: None,
            };
            let dir = output.join(p.to_string());
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("manifest.json"),
                serde_json::to_vec_pretty(&m).unwrap(),
            )
            .unwrap();
        }
    }
    rows
}

fn num(d: &Data) -> i64 {
    match d {
        Data::Float(f) => *f as i64,
        Data::Int(i) => *i,
        other => panic!("not a figure: {other:?}"),
    }
}

/// Each unit's totals as the summary workbook states them, per metric id and `deputies_total`
/// (分镇街, 代表层级, 活动方式), with its months counted; and the previous year's totals (汇总).
fn workbook_totals(book: &Path, config: &Config) -> (Vec<(String, Vec<i64>)>, Vec<i64>) {
    let mut wb: Xlsx<_> = open_workbook(book).unwrap();
    let ids = aggregate::metric_columns(config);
    let at = |id: &str| ids.iter().position(|x| x == id).unwrap();
    let mut units: Vec<(String, Vec<i64>)> = Vec::new();
    let by_name = |name: &str| {
        config
            .units
            .iter()
            .find(|u| u.name == name)
            .map(|u| u.id.clone())
    };
    let sheet = wb.worksheet_range("分镇街").unwrap();
    let headline: Vec<String> = std::iter::once("deputies_total".to_string())
        .chain(config.headline_metrics().map(|m| m.id.clone()))
        .collect();
    for row in sheet.rows().skip(3) {
        let Some(id) = by_name(&row[1].to_string()) else {
            continue;
        };
        let mut v = vec![0; ids.len() + 1];
        v[ids.len()] = num(&row[2]);
        for (k, m) in headline.iter().enumerate() {
            v[at(m)] = num(&row[3 + 2 * k]);
        }
        units.push((id, v));
    }
    for (name, group) in [("代表层级", true), ("活动方式", false)] {
        let ms: Vec<usize> = config
            .metrics
            .iter()
            .filter(|m| {
                if group {
                    m.level.is_some()
                } else {
                    m.group.is_some() && m.level.is_none()
                }
            })
            .map(|m| at(&m.id))
            .collect();
        let sheet = wb.worksheet_range(name).unwrap();
        for row in sheet.rows().skip(3) {
            let Some(id) = by_name(&row[0].to_string()) else {
                continue;
            };
            let u = units.iter_mut().find(|u| u.0 == id).unwrap();
            for (k, i) in ms.iter().enumerate() {
                u.1[*i] = num(&row[1 + k]);
            }
        }
    }
    let totals = wb.worksheet_range("汇总").unwrap();
    let prev = (0..totals.width())
        .find(|&c| totals.get((1, c)).map(|d| d.to_string()) == Some("上年同期".into()))
        .unwrap();
    let previous = totals
        .rows()
        .skip(2)
        .take(ids.len())
        .map(|r| num(&r[prev]))
        .collect();
    units.sort();
    (units, previous)
}

/// The summary of a province's year, liaison and DuckDB, in an archive of 2 and of 10 years.
pub fn cases(runner: &mut Runner, cases: &mut Vec<Case>, scratch: &Path, n: usize) {
    let t0 = Instant::now();
    let (towns, archives) = if quick() {
        (20, [2021, 2020])
    } else {
        (2000, [2021, 2013])
    };
    let config = data::province_config(towns, 7);
    let root = scratch.join("summary");
    std::fs::create_dir_all(&root).unwrap();
    let cfg = root.join("province.toml");
    std::fs::write(&cfg, toml::to_string(&config).unwrap()).unwrap();
    let config = Config::load(&cfg).unwrap();
    let metrics = aggregate::metric_columns(&config);
    let mut rss = Vec::new();
    for first in archives {
        let years = 2022 - first + 1;
        let out = root.join(format!("archive-{years}y"));
        let rows = write_archive(&out, &config, first..=2022);
        eprintln!(
            "[{:>5.1}s] summary archive of {years} years written: {rows} rows",
            t0.elapsed().as_secs_f64()
        );
        let label = format!("全省年度汇总 ({towns} 镇 × 12 月，档案 {years} 年)");
        let mut ours = Case::measure(runner, (&label, "liaison"), n, scratch, || {
            let mut c = liaison();
            c.arg("--config").arg(&cfg).arg("--output").arg(&out);
            c.args(["summary", "--year", "2022", "--force"]);
            c
        });
        assert_eq!(
            ours.samples[0].exit, 0,
            "summary failed: {}",
            ours.samples[0].stderr
        );
        let mut peer = Case::measure(runner, (&label, "DuckDB"), n, scratch, || {
            let mut c: Command = python("summary_duckdb.py");
            c.arg(out.join("history")).arg("2022").args(&metrics);
            c
        });
        let book = out.join("summaries/2022年").join(format!(
            "{}2022年代表进站活动汇总表.xlsx",
            config.region.name
        ));
        let (units, previous) = workbook_totals(&book, &config);
        let duck = peer.json();
        let mut theirs: Vec<(String, Vec<i64>)> = duck["units"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(id, v)| {
                let v: Vec<i64> = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_i64().unwrap())
                    .collect();
                // DuckDB: [months, station-months, metrics…]; the workbook: [metrics…, months].
                let mut w = v[2..].to_vec();
                w.push(v[0]);
                (id.clone(), w)
            })
            .collect();
        theirs.sort();
        assert_eq!(units.len(), towns, "every town in the workbook");
        assert_eq!(
            units, theirs,
            "liaison's summary and DuckDB disagree on the unit totals"
        );
        let prev: Vec<i64> = duck["previous"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        let order: Vec<i64> = summary_order(&config)
            .iter()
            .map(|id| prev[metrics.iter().position(|m| m == id).unwrap()])
            .collect();
        assert_eq!(previous, order, "同比: the previous year's totals differ");
        ours.note = format!(
            "{rows} rows in the archive; every output (workbook, charts, briefing, manifest)"
        );
        peer.note = format!(
            "unit totals of the year and the previous year's; in-process {:.3} s",
            duck["seconds"].as_f64().unwrap()
        );
        rss.push(ours.rss().0);
        cases.push(ours);
        cases.push(peer);
    }
    eprintln!(
        "summary peak RSS, archive of 2 → 10 years: {:.1} → {:.1} MiB",
        rss[0], rss[1]
    );
}

/// The ids in the order of the 汇总 sheet's rows: deputies, levels, singles, methods.
fn summary_order(config: &Config) -> Vec<String> {
    std::iter::once("deputies_total".to_string())
        .chain(config.level_metrics().map(|m| m.id.clone()))
        .chain(config.headline_metrics().map(|m| m.id.clone()))
        .chain(config.method_metrics().map(|m| m.id.clone()))
        .collect()
}
