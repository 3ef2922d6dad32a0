//! The roll-up at province scale: 122 counties' bundles of one month, each a real publication
//! (18 returns from liaison's template writer, checked and published, then exported), rolled up
//! into an empty archive and on top of ten years of the province's roll-up history; and that
//! history (1.83 M station rows with `county_id`) aggregated by liaison's polars code beside
//! DuckDB on the same files.

use std::path::{Path, PathBuf};

use liaison::archive::{Archive, DatasetEntry, Manifest, Options, RegionStamp};
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::core::text::hex;
use liaison::{aggregate, bundle, forms::template, history};
use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::data::{self, Rng};
use std::process::Command;
use std::time::Instant;

use crate::measure::{self, Case};
use crate::{liaison, python, quick};

/// The month rolled up; the ten years of history end the month before.
pub const MONTH: &str = "2026-10";

/// The province's roll-up config (its units the counties `names`), written to `dir`.
pub fn province_config(dir: &Path, names: &[String]) -> (PathBuf, Config) {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/hunan.toml");
    let mut c = Config::load(&base).unwrap();
    c.region.name = "湘中省".into();
    c.region.unit_word = Some("县市区".into());
    let kind = c.units[0].clone();
    c.units = names
        .iter()
        .enumerate()
        .map(|(i, n)| liaison::config::Unit {
            id: format!("c{i:03}"),
            name: n.clone(),
            kind: "县".into(),
            ..kind.clone()
        })
        .collect();
    let path = dir.join("province-rollup.toml");
    std::fs::write(&path, toml::to_string(&c).unwrap()).unwrap();
    (path.clone(), Config::load(&path).unwrap())
}

/// What the bundles hold in all: stations, deputies, voters received.
#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
pub struct Totals {
    pub stations: i64,
    pub deputies: i64,
    pub voters: i64,
}

/// One bundle per county for [`MONTH`] in `dir/bundles/<MONTH>/`: its 18 returns written by
/// the template writer, checked and published by liaison (every report file), then exported.
pub fn county_bundles(dir: &Path, names: &[String]) -> (PathBuf, Totals) {
    let period = Period::parse_canonical(MONTH).unwrap();
    let folder = dir.join("bundles").join(MONTH);
    std::fs::create_dir_all(&folder).unwrap();
    let mut rng = Rng::new(2026);
    let mut totals = Totals::default();
    let base = data::county_config();
    let voters = base.metric_index("voters_received").unwrap();
    for (i, name) in names.iter().enumerate() {
        let mut c = base.clone();
        c.region.name = name.clone();
        c.region.title = format!("{name}人大代表联系群众工作站进站活动月报表");
        let text = toml::to_string(&c).unwrap();
        let config = Config::from_toml(&text, "bench").unwrap();
        let returns = dir.join(format!("returns-{i:03}"));
        std::fs::create_dir_all(&returns).unwrap();
        for unit in &config.units {
            let rows: Vec<Vec<u64>> = unit
                .stations
                .iter()
                .map(|_| data::station_figures(&mut rng, &config))
                .collect();
            for r in &rows {
                totals.stations += 1;
                totals.voters += r[voters] as i64;
                totals.deputies += config
                    .metrics
                    .iter()
                    .zip(r)
                    .filter(|(m, _)| m.level.is_some())
                    .map(|(_, v)| *v as i64)
                    .sum::<i64>();
            }
            let bytes = template::build_filled(&config, unit, period, &rows).unwrap();
            std::fs::write(returns.join(template::file_name(unit, period)), bytes).unwrap();
        }
        let out = dir.join(format!("county-{i:03}"));
        let archive = Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
        let done = liaison::app::pipeline::publish_month(
            &archive,
            &returns,
            period,
            &config,
            ("bench", &text),
            &Options::default(),
        )
        .unwrap();
        assert!(
            matches!(
                done.outcome,
                liaison::archive::Outcome::Published {
                    preliminary: false,
                    ..
                }
            ),
            "{name}: {:?}",
            done.outcome
        );
        bundle::export(
            &archive,
            period,
            &config,
            ("bench", &text),
            Some(&folder.join(format!("{name}-{MONTH}.zip"))),
        )
        .unwrap();
    }
    (folder, totals)
}

/// Ten years of the province's roll-up archive before [`MONTH`] in `output`: each month's
/// history partition (every station row of every county, the roll-up's columns), an empty
/// ledger partition and the manifest naming both, so the archive is whole. Returns the rows.
pub fn rollup_history(output: &Path, config: &Config, months: usize) -> usize {
    let towns = data::names(18, "镇");
    let stations = data::names(125, "村工作站");
    let mut rng = Rng::new(11);
    let mut p = Period::parse_canonical(MONTH).unwrap();
    let mut periods = Vec::new();
    for _ in 0..months {
        p = p.previous();
        periods.push(p);
    }
    let ledger = empty_ledger();
    let ledger_sha = hex(&Sha256::digest(&ledger));
    let mut rows = 0;
    for period in periods.into_iter().rev() {
        let mut keys: [Vec<String>; 5] = Default::default();
        let mut values: Vec<Vec<i64>> = vec![Vec::new(); config.metrics.len() + 1];
        for u in &config.units {
            for (s, st) in stations.iter().enumerate() {
                let t = s * towns.len() / stations.len();
                for (k, v) in keys.iter_mut().zip([
                    u.id.clone(),
                    u.name.clone(),
                    format!("t{t:02}"),
                    towns[t].clone(),
                    st.clone(),
                ]) {
                    k.push(v);
                }
                let v = data::station_figures(&mut rng, config);
                let mut total = 0;
                for (i, (m, x)) in config.metrics.iter().zip(&v).enumerate() {
                    values[i].push(*x as i64);
                    total += if m.level.is_some() { *x as i64 } else { 0 };
                }
                values[config.metrics.len()].push(total);
            }
        }
        let n = keys[0].len();
        rows += n;
        let mut cols: Vec<Column> = ["county_id", "county", "unit_id", "unit", "station"]
            .iter()
            .zip(keys)
            .map(|(name, v)| Column::new((*name).into(), v))
            .collect();
        for (name, v) in aggregate::metric_columns(config).into_iter().zip(values) {
            cols.push(Column::new(name.into(), v));
        }
        cols.push(Column::new("source_sha256".into(), vec!["0".repeat(64); n]));
        cols.push(Column::new(
            "county_manifest_sha256".into(),
            vec!["0".repeat(64); n],
        ));
        let bytes = history::encode(&mut DataFrame::new(n, cols).unwrap()).unwrap();
        let part = history::partition_file(&output.join("history"), period);
        std::fs::create_dir_all(part.parent().unwrap()).unwrap();
        std::fs::write(&part, &bytes).unwrap();
        let lpart = history::partition_file(&output.join("ledger"), period);
        std::fs::create_dir_all(lpart.parent().unwrap()).unwrap();
        std::fs::write(&lpart, &ledger).unwrap();
        let entry = |dir: &str, sha: String| DatasetEntry {
            name: dir.into(),
            path: format!("{dir}/period={period}/{}", history::PART),
            sha256: Some(sha),
            extra: Default::default(),
        };
        let m = Manifest {
            tool: "liaison".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            period: period.to_string(),
            preliminary: false,
            config: "bench".into(),
            config_sha256: "0".repeat(64),
            region: Some(RegionStamp::of(config)),
            inputs: Vec::new(),
            excluded: Vec::new(),
            missing_units: Vec::new(),
            outputs: Vec::new(),
            datasets: vec![
                entry("history", hex(&Sha256::digest(&bytes))),
                entry("ledger", ledger_sha.clone()),
            ],
            replaces: None,
            sources: None,
        };
        let dir = output.join(period.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("manifest.json"),
            serde_json::to_string_pretty(&m).unwrap(),
        )
        .unwrap();
    }
    rows
}

/// A roll-up's ledger partition with no item: the county columns, then a ledger's.
fn empty_ledger() -> Vec<u8> {
    let bytes = liaison::forms::ledger::store::parquet_bytes(&[]).unwrap();
    let df = ParquetReader::new(std::io::Cursor::new(bytes))
        .finish()
        .unwrap();
    let mut cols = vec![
        Column::new("county_id".into(), Vec::<String>::new()),
        Column::new("county".into(), Vec::<String>::new()),
    ];
    cols.extend(df.columns().iter().cloned());
    history::encode(&mut DataFrame::new(0, cols).unwrap()).unwrap()
}

/// The sums a published roll-up's history holds for [`MONTH`].
pub fn published_totals(output: &Path) -> Totals {
    let period = Period::parse_canonical(MONTH).unwrap();
    let f = std::fs::File::open(history::partition_file(&output.join("history"), period)).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    let sum = |c: &str| -> i64 {
        df.column(c)
            .unwrap()
            .as_materialized_series()
            .sum()
            .unwrap()
    };
    Totals {
        stations: df.height() as i64,
        deputies: sum("deputies_total"),
        voters: sum("voters_received"),
    }
}

/// The roll-up at province scale (see `rollup.rs`): 122 county bundles rolled up into an empty
/// archive and on top of ten years of roll-up history; that history beside DuckDB.
pub(crate) fn rollup_cases(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    n: usize,
) {
    let t0 = Instant::now();
    let (counties, months) = if quick() { (4, 13) } else { (122, 120) };
    let root = scratch.join("rollup");
    std::fs::create_dir_all(&root).unwrap();
    let names = data::names(counties, "县");
    let (cfg, config) = province_config(&root, &names);
    let (bundles, totals) = county_bundles(&root, &names);
    eprintln!(
        "[{:>5.1}s] {counties} county months published and exported",
        t0.elapsed().as_secs_f64()
    );
    let archive = root.join("archive");
    let rows = rollup_history(&archive, &config, months);
    eprintln!(
        "[{:>5.1}s] roll-up history written: {rows} rows",
        t0.elapsed().as_secs_f64()
    );
    let mut k = 0;
    let run = |out: &Path, force: bool| {
        let mut c = liaison();
        c.arg("--config").arg(&cfg).arg("--output").arg(out);
        c.args(["rollup", bundles.to_str().unwrap()]);
        if force {
            c.arg("--force");
        }
        c
    };
    let mut c = Case::measure(
        runner,
        (
            &format!("汇总 {counties} 个县的数据包 rollup(空档案)"),
            "liaison",
        ),
        n,
        scratch,
        || {
            k += 1;
            run(&root.join(format!("empty-{k}")), false)
        },
    );
    assert_eq!(c.samples[0].exit, 0, "{}", c.samples[0].stdout);
    assert_eq!(published_totals(&root.join("empty-1")), totals);
    c.note = format!(
        "{} stations; verify, rows by tier, all outputs",
        totals.stations
    );
    cases.push(c);
    let mut c = Case::measure(
        runner,
        (
            &format!("汇总 {counties} 个县的数据包 rollup(十年档案之上)"),
            "liaison",
        ),
        n,
        scratch,
        || run(&archive, true),
    );
    assert_eq!(c.samples[0].exit, 0, "{}", c.samples[0].stdout);
    assert_eq!(published_totals(&archive), totals);
    c.note = format!("上月、本年累计、趋势 over {rows} history rows");
    cases.push(c);
    // The roll-up history itself (the months before, as written), liaison beside DuckDB.
    let hist = root.join("history-only");
    std::fs::create_dir_all(&hist).unwrap();
    for e in std::fs::read_dir(archive.join("history")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name.to_string_lossy() != format!("period={}", MONTH) {
            let to = hist.join(&name);
            std::fs::create_dir_all(&to).unwrap();
            std::fs::copy(e.path().join(history::PART), to.join(history::PART)).unwrap();
        }
    }
    let me = std::env::current_exe().unwrap();
    let case = format!("全省汇总历史十年 ({rows} 行, county_id)");
    let mut ours = Case::measure(runner, (&case, "liaison (polars)"), n, scratch, || {
        let mut c = Command::new(&me);
        c.arg("--province-child").arg(&hist).arg(&cfg);
        c
    });
    let mut peer = Case::measure(runner, (&case, "DuckDB"), n, scratch, || {
        let mut c = python("province_duckdb.py");
        c.arg(&hist).args(["--unit", "county_id", "county"]);
        c.args(aggregate::metric_columns(&config));
        c
    });
    let (a, b) = (ours.json(), peer.json());
    for key in [
        "unit_rows",
        "county_rows",
        "first_metric_sum",
        "stations",
        "unit_change_sum",
    ] {
        assert_eq!(a[key], b[key], "polars and DuckDB disagree on {key}");
    }
    ours.note = format!("in-process {:.3} s", a["seconds"].as_f64().unwrap());
    peer.note = format!("in-process {:.3} s", b["seconds"].as_f64().unwrap());
    cases.push(ours);
    cases.push(peer);
}
