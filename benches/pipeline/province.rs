//! The province's history (liaison's polars code beside DuckDB) and its ledger (a month's check
//! and month-end state beside DuckDB on the same items as clean rows), and their child modes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use liaison::aggregate;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::history;
use polars::prelude::*;

use crate::measure::{self, Case};
use crate::{PERIOD, data, liaison, python, quick};

/// Child mode: liaison's polars code over a whole history (unit and county totals with
/// month-on-month), materialised; prints the same JSON as province_duckdb.py. The totals are
/// those `report` computes (`aggregate::figures`): unit totals partition by partition, county
/// totals from them.
pub(crate) fn province_child(dir: &Path, config: Option<&Path>) {
    // A roll-up's history (`county_id` the unit) with its roll-up config.
    let config = config.map_or_else(Config::embedded, |p| Config::load(p).unwrap());
    let t = Instant::now();
    let metrics = aggregate::metric_columns(&config);
    let periods = history::periods(dir);
    let (units, damaged) = aggregate::history_unit_totals(dir, &periods, &config);
    assert!(damaged.is_empty(), "{damaged:?}");
    let units = units.unwrap().lazy();
    let county = aggregate::county_from_units(units.clone(), &config);
    let units =
        aggregate::month_on_month(units, &["period", "unit_id"], &metrics, &periods).unwrap();
    let county = aggregate::month_on_month(county, &["period"], &metrics, &periods).unwrap();
    // Both in one query plan, so polars runs them side by side over one scan.
    let mut v = LazyFrame::collect_all_with_engine(
        vec![units.logical_plan, county.logical_plan],
        Engine::InMemory,
        OptFlags::default(),
    )
    .unwrap();
    let (county, units) = (v.pop().unwrap(), v.pop().unwrap());
    let seconds = t.elapsed().as_secs_f64();
    let sum = |df: &DataFrame, c: &str| -> i64 {
        df.column(c)
            .unwrap()
            .as_materialized_series()
            .sum()
            .unwrap()
    };
    let m = &metrics[0];
    println!(
        "{}",
        serde_json::json!({"seconds": seconds, "unit_rows": units.height(), "county_rows": county.height(),
            "first_metric_sum": sum(&county, m), "stations": sum(&county, "stations"),
            "unit_change_sum": sum(&units, &format!("{m}_change"))})
    );
}

/// Child mode: the month's check (every rule, the ledger's against last month's statuses) and
/// the ledger's month-end state with its per-unit figures, as `report` computes them before it
/// writes anything: `--ledger-child CONFIG DIR OUTPUT PERIOD`. Prints the figures as JSON.
pub(crate) fn ledger_child(args: &[String]) {
    let t = Instant::now();
    let config = Config::load(Path::new(&args[0])).unwrap();
    let (dir, output) = (Path::new(&args[1]), Path::new(&args[2]));
    let period = Period::parse_canonical(&args[3]).unwrap();
    let keep = liaison::check::Keep::Figures; // the ledger's state is built from the figures
    let month = liaison::app::pipeline::check_month(dir, period, &config, output, keep).unwrap();
    let previous = liaison::forms::ledger::store::previous_items(output, period).unwrap();
    let state = liaison::app::companions::ledger_state(&month.checked, &config, &previous);
    let units: serde_json::Map<String, serde_json::Value> = state
        .units
        .iter()
        .filter_map(|u| {
            let f = u.figures?;
            let v = serde_json::json!([
                f.collected_month,
                f.collected_total,
                f.solved,
                f.answered,
                f.in_progress,
                f.not_started,
                f.overdue,
                f.rate()
            ]);
            Some((u.unit_id.clone(), v))
        })
        .collect();
    let report = &month.checked.report;
    println!(
        "{}",
        serde_json::json!({"seconds": t.elapsed().as_secs_f64(), "errors": report.has_errors(),
            "notes": month.notes, "findings": report.diagnostics.len(),
            "previous_items": previous.len(), "items": state.items.len(),
            "overdue": state.total.overdue, "units": units})
    );
}

/// The province's ten-year history aggregated by liaison's polars code and by DuckDB.
pub(crate) fn province_cases(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    county: &Config,
    n: usize,
) {
    let t0 = Instant::now();
    // 5. Province scale: 122 counties × 125 stations × 120 months.
    let hist = scratch.join("history");
    let (counties, months) = if quick() { (4, 13) } else { (122, 120) };
    let rows = data::write_history(&hist, county, counties, 125, months);
    eprintln!(
        "[{:>5.1}s] history written: {rows} rows",
        t0.elapsed().as_secs_f64()
    );
    let me = std::env::current_exe().unwrap();
    let mut ours = Case::measure(
        runner,
        ("全省十年汇总 (Parquet)", "liaison (polars)"),
        n,
        scratch,
        || {
            let mut c = Command::new(&me);
            c.arg("--province-child").arg(&hist);
            c
        },
    );
    let mut peer = Case::measure(
        runner,
        ("全省十年汇总 (Parquet)", "DuckDB"),
        n,
        scratch,
        || {
            let mut c = python("province_duckdb.py");
            c.arg(&hist).args(aggregate::metric_columns(county));
            c
        },
    );
    let (a, b) = (ours.json(), peer.json());
    for k in [
        "unit_rows",
        "county_rows",
        "first_metric_sum",
        "stations",
        "unit_change_sum",
    ] {
        assert_eq!(a[k], b[k], "polars and DuckDB disagree on {k}");
    }
    ours.note = format!(
        "{rows} rows; in-process {:.3} s",
        a["seconds"].as_f64().unwrap()
    );
    peer.note = format!(
        "{rows} rows; in-process {:.3} s",
        b["seconds"].as_f64().unwrap()
    );
    cases.push(ours);
    cases.push(peer);
}

/// The ledger at province scale: 2,000 towns' returns of May, each with a ledger sheet of 50
/// items, against April's state published by liaison itself; liaison's check and state update
/// side by side with DuckDB's state update over the same items.
pub(crate) fn ledger_cases(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    n: usize,
) {
    let t0 = Instant::now();
    let (towns, items) = if quick() { (6, 50) } else { (2000, 50) };
    let config = data::province_config(towns, 7);
    let root = scratch.join("ledger");
    std::fs::create_dir_all(&root).unwrap();
    let cfg = root.join("province.toml");
    std::fs::write(&cfg, toml::to_string(&config).unwrap()).unwrap();
    let config = Config::load(&cfg).unwrap();
    let [april, may] = data::province_ledgers(&config, items);
    let (apr, period) = (
        Period::new(2022, 4).unwrap(),
        Period::parse_canonical(PERIOD).unwrap(),
    );
    let archive = root.join("archive");
    let apr_dir = root.join(apr.to_string());
    data::write_month_with_ledgers(&apr_dir, &config, apr, 41, &april);
    // April published by liaison itself: the archive's ledger partition (and its manifest)
    // is last month's state for May.
    let mut c = liaison();
    c.arg("--config").arg(&cfg).arg("--output").arg(&archive);
    c.args(["report", apr_dir.to_str().unwrap(), "--period", "2022-04"]);
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "April must publish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let month = root.join(PERIOD);
    data::write_month_with_ledgers(&month, &config, period, 42, &may);
    let csv = root.join("ledger-2022-05.csv");
    data::ledger_csv(&csv, &config, &may);
    eprintln!(
        "[{:>5.1}s] ledger months written, April published",
        t0.elapsed().as_secs_f64()
    );
    let rows = towns * items;
    let me = std::env::current_exe().unwrap();
    let label = format!("全省台账 ({towns} 份 × {items} 条)");
    let mut ours = Case::measure(runner, (&label, "liaison"), n, scratch, || {
        let mut c = Command::new(&me);
        c.arg("--ledger-child")
            .arg(&cfg)
            .arg(&month)
            .arg(&archive)
            .arg(PERIOD);
        c
    });
    let mut peer = Case::measure(runner, (&label, "DuckDB"), n, scratch, || {
        let mut c = python("ledger_duckdb.py");
        c.arg(store_dir(&archive)).arg(&csv).arg(PERIOD);
        c.arg(config.ledger.due_days.to_string());
        c
    });
    let (a, b) = (ours.json(), peer.json());
    assert_eq!(
        a["errors"], false,
        "the synthetic ledger month must check clean"
    );
    assert_eq!(
        a["notes"],
        serde_json::json!([]),
        "last month's ledger must be compared"
    );
    assert_eq!(
        a["previous_items"].as_u64(),
        Some(rows as u64),
        "April's state"
    );
    assert_eq!(
        a["items"], b["items"],
        "liaison and DuckDB disagree on the items known"
    );
    let (ua, ub) = (
        a["units"].as_object().unwrap(),
        b["units"].as_object().unwrap(),
    );
    assert_eq!(ua.len(), towns, "every town has ledger figures");
    assert_eq!(
        ua.len(),
        ub.len(),
        "liaison and DuckDB disagree on the units with a ledger"
    );
    for (unit, fa) in ua {
        let fb = &ub[unit];
        let (fa, fb) = (fa.as_array().unwrap(), fb.as_array().unwrap());
        assert_eq!(
            fa[..7],
            fb[..7],
            "{unit}: liaison and DuckDB disagree on the figures"
        );
        let rate = |v: &serde_json::Value| v.as_f64().unwrap();
        assert!(
            (rate(&fa[7]) - rate(&fb[7])).abs() < 1e-12,
            "{unit}: 办结率 differs"
        );
    }
    ours.note = format!(
        "check (all rules) + state update; {} items, {} overdue; in-process {:.3} s",
        a["items"],
        a["overdue"],
        a["seconds"].as_f64().unwrap()
    );
    peer.note = format!(
        "state update from CSV + Parquet; in-process {:.3} s",
        b["seconds"].as_f64().unwrap()
    );
    cases.push(ours);
    cases.push(peer);
}

/// The ledger dataset of an output folder.
pub(crate) fn store_dir(output: &Path) -> PathBuf {
    liaison::forms::ledger::store::dir(output)
}
