//! `cargo bench --bench pipeline`: liaison side by side with the pipeline an analyst would
//! otherwise write (pandas + openpyxl) and, at province scale, with DuckDB — one run, one table.
//!
//! Every case runs as a child process (wall time, peak RSS by wait4), `BENCH_RUNS` times
//! (default 5); the table shows median, min and max, and `target/bench-pipeline.json` keeps it.
//! Needs `python3 -m pip install -r benches/reference/requirements.txt`. See README, 性能测试.

#[path = "../../tests/common/crafted.rs"]
#[allow(dead_code)]
mod crafted;
mod data;
mod floor;
mod measure;
mod month;
mod province;
mod read;
mod rollup;
mod summary;
mod table;

use std::path::{Path, PathBuf};
use std::process::Command;

use liaison::config::Config;
use measure::Case;

/// A file of the reference folder.
pub fn reference(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/reference")
        .join(name)
}

fn liaison() -> Command {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
}

fn python(script: &str) -> Command {
    let mut c = Command::new("python3");
    c.arg(reference(script));
    c
}

const PERIOD: &str = "2022-05";

fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
}

/// Sums the per-file totals of `liaison check --format json`, in metric order.
fn check_totals(v: &serde_json::Value, config: &Config) -> Vec<u64> {
    let files = v["files"].as_array().unwrap();
    config
        .metrics
        .iter()
        .map(|m| {
            files
                .iter()
                .map(|f| f["totals"][&m.id].as_u64().unwrap_or(0))
                .sum()
        })
        .collect()
}

fn as_u64s(v: &serde_json::Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--province-child") {
        return province::province_child(Path::new(&args[i + 1]), args.get(i + 2).map(Path::new));
    }
    if let Some(i) = args.iter().position(|a| a == "--ledger-child") {
        return province::ledger_child(&args[i + 1..]);
    }
    if let Some(i) = args.iter().position(|a| a == "--calamine-child") {
        return floor::calamine_child(Path::new(&args[i + 1]));
    }
    if let Some(i) = args.iter().position(|a| a == "--floor-child") {
        return floor::child(Path::new(&args[i + 1]));
    }
    if args.iter().any(|a| a == "--runner") {
        return measure::runner_main();
    }
    let runner = &mut measure::Runner::start();
    let n = runs();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    // Absent when the build goes to another CARGO_TARGET_DIR.
    std::fs::create_dir_all(&target).unwrap();
    let work = tempfile::tempdir_in(&target).unwrap();
    // BENCH_KEEP=1 leaves the generated files in target/bench-work for profiling.
    let scratch = if std::env::var_os("BENCH_KEEP").is_some() {
        let keep = target.join("bench-work");
        let _ = std::fs::remove_dir_all(&keep);
        std::fs::create_dir_all(&keep).unwrap();
        keep
    } else {
        work.path().to_path_buf()
    };
    let scratch = scratch.as_path();
    let mut cases: Vec<Case> = Vec::new();
    // An empty archive: checks read no history (outlier rules need three months of it).
    let archive = scratch.join("archive");
    // What any child measures before it does anything: the floor of the RSS column.
    let mut floor = Case::measure(runner, ("空命令 true", "—"), n, scratch, || {
        Command::new("true")
    });
    floor.note = "spawn floor of the RSS column".into();
    cases.push(floor);

    // 1. One month of 长沙县: check, report, and the reference on the same 18 files.
    let county = data::county_config();
    if wanted("month") {
        month::month_cases(runner, &mut cases, scratch, &archive, n);
    }
    if wanted("read") {
        read::read_cases(runner, &mut cases, scratch, &archive, n);
    }
    if wanted("bomb") {
        month::bomb_case(runner, &mut cases, scratch, &archive, n);
    }
    if wanted("province") {
        province::province_cases(runner, &mut cases, scratch, &county, n);
    }
    if wanted("ledger") {
        province::ledger_cases(runner, &mut cases, scratch, n);
    }
    if wanted("summary") {
        summary::cases(runner, &mut cases, scratch, n);
    }
    if wanted("rollup") {
        rollup::rollup_cases(runner, &mut cases, scratch, n);
    }
    table::print_table(&cases, n);
    let json: Vec<_> = cases.iter().map(Case::to_json).collect();
    let out = target.join("bench-pipeline.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    eprintln!("written {}", out.display());
}

/// `BENCH_CASES=month,read,bomb,province,ledger,summary,rollup` (any of them) runs those cases only; all by default.
fn wanted(case: &str) -> bool {
    std::env::var("BENCH_CASES").map_or(true, |v| v.split(',').any(|c| c.trim() == case))
}

/// `BENCH_QUICK=1`: small sizes, for CI's smoke run of the bench (figures agree, scripts work).
fn quick() -> bool {
    std::env::var_os("BENCH_QUICK").is_some()
}
