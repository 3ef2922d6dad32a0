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
mod rollup;
mod summary;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use liaison::aggregate;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::history;
use measure::Case;
use polars::prelude::*;

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

/// Child mode: liaison's polars code over a whole history (unit and county totals with
/// month-on-month), materialised; prints the same JSON as province_duckdb.py. The totals are
/// those `report` computes (`aggregate::figures`): unit totals partition by partition, county
/// totals from them.
fn province_child(dir: &Path, config: Option<&Path>) {
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
fn ledger_child(args: &[String]) {
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
        return province_child(Path::new(&args[i + 1]), args.get(i + 2).map(Path::new));
    }
    if let Some(i) = args.iter().position(|a| a == "--ledger-child") {
        return ledger_child(&args[i + 1..]);
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
        month_cases(runner, &mut cases, scratch, &archive, n);
    }
    if wanted("read") {
        read_cases(runner, &mut cases, scratch, &archive, n);
    }
    if wanted("bomb") {
        bomb_case(runner, &mut cases, scratch, &archive, n);
    }
    if wanted("province") {
        province_cases(runner, &mut cases, scratch, &county, n);
    }
    if wanted("ledger") {
        ledger_cases(runner, &mut cases, scratch, n);
    }
    if wanted("summary") {
        summary::cases(runner, &mut cases, scratch, n);
    }
    if wanted("rollup") {
        rollup_cases(runner, &mut cases, scratch, n);
    }
    print_table(&cases, n);
    let json: Vec<_> = cases.iter().map(Case::to_json).collect();
    let out = target.join("bench-pipeline.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    eprintln!("written {}", out.display());
}

/// `BENCH_BASELINE=PATH`: another build of liaison (an earlier commit's, say), measured beside
/// this one on the month's check and report, run for run alternately so both meet the same
/// load. Its row's tool is `baseline <file name>`.
fn baseline() -> Option<PathBuf> {
    std::env::var_os("BENCH_BASELINE").map(PathBuf::from)
}

/// `case` measured `n` times with this build's liaison, and with the baseline's (if any),
/// alternately; `cmd` adds the arguments to the program it is given.
fn with_baseline(
    runner: &mut measure::Runner,
    case: &str,
    n: usize,
    scratch: &Path,
    mut cmd: impl FnMut(Command) -> Command,
) -> (Case, Option<Case>) {
    let Some(base) = baseline() else {
        let ours = Case::measure(runner, (case, "liaison"), n, scratch, || cmd(liaison()));
        return (ours, None);
    };
    let tool = format!("baseline {}", base.file_name().unwrap().to_string_lossy());
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..n {
        ours.push(measure::run(runner, &cmd(liaison()), scratch));
        theirs.push(measure::run(runner, &cmd(Command::new(&base)), scratch));
    }
    assert_eq!(theirs[0].exit, 0, "{case}: the baseline failed");
    let named = |tool: &str, samples| Case {
        case: case.into(),
        tool: tool.into(),
        samples,
        note: String::new(),
    };
    (named("liaison", ours), Some(named(&tool, theirs)))
}

/// `BENCH_CASES=month,read,bomb,province,ledger,summary,rollup` (any of them) runs those cases only; all by default.
fn wanted(case: &str) -> bool {
    std::env::var("BENCH_CASES").map_or(true, |v| v.split(',').any(|c| c.trim() == case))
}

fn month_cases(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    archive: &Path,
    n: usize,
) {
    let t0 = Instant::now();
    let period = Period::parse_canonical(PERIOD).unwrap();
    let voters = Config::embedded()
        .metric_index("voters_received")
        .expect("the bench's configs count 接待走访选民");
    let county = data::county_config();
    let month = scratch.join("month");
    // Each return carries its ledger sheet: 30 items (the open ones of the year so far and
    // May's new ones), so check runs the ledger rules and report publishes the ledger too.
    let [_, ledgers] = data::province_ledgers(&county, 30);
    let expected = data::write_month_with_ledgers(&month, &county, period, 1, &ledgers);
    eprintln!("[{:>5.1}s] month written", t0.elapsed().as_secs_f64());
    let check = |bin: Command| {
        let mut c = bin;
        c.arg("--output").arg(archive);
        c.args([
            "check",
            month.to_str().unwrap(),
            "--period",
            PERIOD,
            "--format",
            "json",
        ]);
        c
    };
    let (mut c, base) = with_baseline(runner, "一个月审核 check (18 份)", n, scratch, check);
    assert_eq!(c.samples[0].exit, 0, "the synthetic month must check clean");
    assert_eq!(
        check_totals(&c.json(), &county),
        expected,
        "liaison read other figures"
    );
    c.note = "18 returns, 125 stations".into();
    cases.push(c);
    cases.extend(base);
    let mut k = 0;
    let report = |bin: Command| {
        k += 1;
        let mut c = bin;
        c.arg("--output").arg(scratch.join(format!("out{k}")));
        c.args(["report", month.to_str().unwrap(), "--period", PERIOD]);
        c
    };
    let (mut c, base) = with_baseline(runner, "一个月发布 report (全部输出)", n, scratch, report);
    assert_eq!(c.samples[0].exit, 0, "the synthetic month must publish");
    c.note = "workbook, charts PNG+SVG, briefing .md+.docx, archive; ledger of 540 items".into();
    cases.push(c);
    cases.extend(base);
    let c = Case::measure(
        runner,
        ("一个月读取汇总 (18 份)", "pandas+openpyxl"),
        n,
        scratch,
        || {
            let mut c = python("read_returns.py");
            c.arg(&month);
            c
        },
    );
    assert_eq!(
        as_u64s(&c.json()["totals"]),
        expected,
        "the reference read other figures"
    );
    cases.push(c);
    let c = Case::measure(
        runner,
        ("一个月读取汇总 (18 份)", "python-calamine"),
        n,
        scratch,
        || {
            let mut c = python("calamine_sum.py");
            c.arg(&month);
            c
        },
    );
    assert_eq!(
        c.json()["voters"].as_u64(),
        Some(expected[voters]),
        "the python-calamine script read other figures"
    );
    cases.push(c);
}

fn read_cases(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    archive: &Path,
    n: usize,
) {
    let t0 = Instant::now();
    let period = Period::parse_canonical(PERIOD).unwrap();
    let voters = Config::embedded()
        .metric_index("voters_received")
        .expect("the bench's configs count 接待走访选民");
    // 2–3. Reading throughput and memory: a province's month, 200 … 2,000 town returns.
    let sizes: &[usize] = if quick() {
        &[20, 200]
    } else {
        &[200, 1000, 2000]
    };
    // One config for every size (the province's towns), as when a folder fills up during the
    // month: memory is compared for more returns, not for a bigger config. Towns without a
    // return yet get a missing_return warning.
    let all = data::province_config(*sizes.last().unwrap(), 7);
    let cfg = scratch.join("province.toml");
    std::fs::write(&cfg, toml::to_string(&all).unwrap()).unwrap();
    for &size in sizes {
        let mut config = all.clone();
        config.units.truncate(size);
        let dir = scratch.join(format!("n{size}"));
        let expected = data::write_month(&dir, &config, period, size as u64);
        eprintln!(
            "[{:>5.1}s] {size} returns written",
            t0.elapsed().as_secs_f64()
        );
        let check_in = |dir: &Path, threads: Option<&str>| {
            let mut c = liaison();
            c.arg("--config").arg(&cfg);
            c.arg("--output").arg(archive);
            c.args([
                "check",
                dir.to_str().unwrap(),
                "--period",
                PERIOD,
                "--format",
                "json",
            ]);
            if let Some(t) = threads {
                c.env("RAYON_NUM_THREADS", t);
            }
            c
        };
        let check = |threads| check_in(&dir, threads);
        // liaison on both cores, on one thread, and the floor, run for run alternately so
        // the three meet the same load.
        let label = format!("读取 {size} 份报表");
        let me = std::env::current_exe().unwrap();
        let floor_in = |dir: &Path| {
            let mut c = Command::new(&me);
            c.arg("--floor-child").arg(dir);
            c
        };
        let mut floor_cmd = || floor_in(&dir);
        let mut calamine_cmd = || {
            let mut c = Command::new(&me);
            c.arg("--calamine-child").arg(&dir);
            c
        };
        // One run first, not measured: it records the folder's files in the receipt log, so
        // that every measured run finds the log in the same state (else the first one alone
        // writes it, and the medians mix the two kinds of run).
        let warm = check(None).output().expect("liaison runs");
        assert!(
            warm.status.code().is_some_and(|c| c <= 1),
            "the warm-up run"
        );
        let [mut c, mut one, mut fl, mut cal] = alternately(
            runner,
            scratch,
            n,
            [
                (&label, "liaison", &mut || check(None)),
                (&label, "liaison, one thread", &mut || check(Some("1"))),
                (&label, "floor: inflate + scan", &mut floor_cmd),
                (&label, "calamine alone: open + read", &mut calamine_cmd),
            ],
        );
        // Clean: no error among the findings. Towns with no return yet keep a final
        // publication back, so check exits 1 until the folder is full.
        let doc = c.json();
        let errors = doc["diagnostics"]
            .as_array()
            .map_or(0, |d| d.iter().filter(|x| x["severity"] == "error").count());
        assert_eq!(errors, 0, "the synthetic province month must check clean");
        assert_eq!(
            c.samples[0].exit,
            i32::from(size < all.units.len()),
            "exit 1 while towns are missing, else 0"
        );
        assert_eq!(check_totals(&doc, &all), expected);
        let (med, _, _) = c.seconds();
        c.note = format!("{:.0} returns/s", size as f64 / med);
        cases.push(c);
        assert_eq!(
            one.samples[0].exit,
            i32::from(size < all.units.len()),
            "one thread, the same exit"
        );
        assert_eq!(
            check_totals(&one.json(), &all),
            expected,
            "one thread, other figures"
        );
        let per = |c: &Case| c.cpu().0 / size as f64 * 1e6;
        one.note = format!("{:.0} µs CPU per return", per(&one));
        for (child, who) in [(&fl, "the floor"), (&cal, "calamine alone")] {
            let files = child.json()["files"].as_u64();
            assert_eq!(files, Some(size as u64), "{who} read every file");
        }
        fl.note = format!(
            "{:.0} µs CPU per return; {:.1}× is liaison's (one thread)",
            per(&fl),
            per(&one) / per(&fl)
        );
        cal.note = format!(
            "{:.0} µs CPU per return ({:.1}× the floor); liaison (one thread) is {:.1}× this",
            per(&cal),
            per(&cal) / per(&fl),
            per(&one) / per(&cal)
        );
        cases.push(one);
        cases.push(fl);
        cases.push(cal);
        if size == sizes[0] {
            let one_thread = |d: &Path| check_in(d, Some("1"));
            instructions(&dir, &one_thread, &floor_in);
        }
        let mut c = Case::measure(
            runner,
            (&format!("读取 {size} 份报表"), "pandas+openpyxl"),
            n,
            scratch,
            || {
                let mut c = python("read_returns.py");
                c.arg(&dir);
                c
            },
        );
        assert_eq!(as_u64s(&c.json()["totals"]), expected);
        let (med, _, _) = c.seconds();
        c.note = format!("{:.0} returns/s", size as f64 / med);
        cases.push(c);
        let mut c = Case::measure(
            runner,
            (&format!("读取 {size} 份报表"), "python-calamine"),
            n,
            scratch,
            || {
                let mut c = python("calamine_sum.py");
                c.arg(&dir);
                c
            },
        );
        assert_eq!(c.json()["voters"].as_u64(), Some(expected[voters]));
        let (med, _, _) = c.seconds();
        c.note = format!("{:.0} returns/s, one column, no checks", size as f64 / med);
        cases.push(c);
    }
    config_size_case(
        runner,
        cases,
        scratch,
        archive,
        n,
        (&all, &cfg, *sizes.last().unwrap()),
    );
}

/// The per-return cost against the config's size: the largest folder checked on one thread
/// under the province's config and under one ten times larger (the same towns first, then
/// towns with no return: each a missing_return warning), run for run alternately.
fn config_size_case(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    archive: &Path,
    n: usize,
    (all, cfg, size): (&Config, &Path, usize),
) {
    let mut big = all.clone();
    big.units.extend(
        data::names3(all.units.len() * 9, "镇")
            .into_iter()
            .enumerate()
            .map(|(i, name)| liaison::config::Unit {
                id: format!("x{i:05}"),
                name,
                // No register of stations: the config stays under the 4 MB a config may have.
                stations: Vec::new(),
                ..all.units[0].clone()
            }),
    );
    let big_cfg = scratch.join("province-x10.toml");
    std::fs::write(&big_cfg, toml::to_string(&big).unwrap()).unwrap();
    let dir = scratch.join(format!("n{size}"));
    let one_in = |cfg: &Path| {
        let mut c = liaison();
        c.arg("--config").arg(cfg);
        c.arg("--output").arg(archive);
        c.args(["check", dir.to_str().unwrap(), "--period", PERIOD]);
        c.args(["--format", "json"]);
        c.env("RAYON_NUM_THREADS", "1");
        c
    };
    let small_label = format!("读取 {size} 份报表，配置 {} 个镇", all.units.len());
    let big_label = format!("读取 {size} 份报表，配置 {} 个镇", big.units.len());
    let [mut small_case, mut big_case] = alternately(
        runner,
        scratch,
        n,
        [
            (&small_label, "liaison, one thread", &mut || one_in(cfg)),
            (&big_label, "liaison, one thread", &mut || one_in(&big_cfg)),
        ],
    );
    let (small_doc, big_doc) = (small_case.json(), big_case.json());
    assert_eq!(
        check_totals(&big_doc, &big),
        check_totals(&small_doc, all),
        "the bigger config reads the same figures"
    );
    let missing = |doc: &serde_json::Value| {
        doc["diagnostics"].as_array().map_or(0, |d| {
            d.iter().filter(|x| x["code"] == "missing_return").count()
        })
    };
    assert_eq!(
        missing(&big_doc) - missing(&small_doc),
        big.units.len() - all.units.len(),
        "every town without a return named, and no other finding"
    );
    let per = |c: &Case| c.cpu().0 / size as f64 * 1e6;
    small_case.note = format!("{:.0} µs CPU per return", per(&small_case));
    big_case.note = format!(
        "{:.0} µs CPU per return ({:.2}× the smaller config's; {} more missing_return warnings)",
        per(&big_case),
        per(&big_case) / per(&small_case),
        big.units.len() - all.units.len()
    );
    cases.push(small_case);
    cases.push(big_case);
}

/// Cases measured run for run alternately (so they meet the same load), `n` runs each.
fn alternately<const K: usize>(
    runner: &mut measure::Runner,
    scratch: &Path,
    n: usize,
    cmds: [(&str, &str, &mut dyn FnMut() -> Command); K],
) -> [Case; K] {
    let mut samples: [Vec<measure::Sample>; K] = std::array::from_fn(|_| Vec::new());
    let mut cmds = cmds;
    for _ in 0..n {
        for (k, (_, _, cmd)) in cmds.iter_mut().enumerate() {
            samples[k].push(measure::run(runner, &cmd(), scratch));
        }
    }
    let mut samples = samples.into_iter();
    cmds.map(|(case, tool, _)| Case {
        case: case.into(),
        tool: tool.into(),
        samples: samples.next().unwrap(),
        note: String::new(),
    })
}

/// Lines printed under the table (instruction counts).
static NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Instructions per return of liaison's check (one thread) and of the floor, where they can be
/// counted: the difference between the folder and its first tenth, per return, so process
/// start and reading the config do not count.
fn instructions(dir: &Path, check: &dyn Fn(&Path) -> Command, floor: &dyn Fn(&Path) -> Command) {
    let Some(counter) = floor::Counter::find() else {
        NOTES
            .lock()
            .unwrap()
            .push("instructions: not counted (no perf counters, no valgrind)".into());
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let part = dir.with_extension("tenth");
    let _ = std::fs::remove_dir_all(&part);
    std::fs::create_dir_all(&part).unwrap();
    let few = (files.len() / 10).max(1);
    for f in &files[..few] {
        std::fs::copy(f, part.join(f.file_name().unwrap())).unwrap();
    }
    let more = (files.len() - few) as f64;
    let per = |cmd: &dyn Fn(&Path) -> Command| -> Option<f64> {
        let (a, b) = (counter.count(&cmd(&part))?, counter.count(&cmd(dir))?);
        Some((b as f64 - a as f64) / more)
    };
    let line = match (per(check), per(floor)) {
        (Some(l), Some(f)) => format!(
            "instructions per return ({}; {} returns minus {few}): liaison check, one thread {:.2} M, floor {:.2} M: {:.1}× the floor",
            counter.name(),
            files.len(),
            l / 1e6,
            f / 1e6,
            l / f
        ),
        _ => format!("instructions: {} failed", counter.name()),
    };
    eprintln!("{line}");
    NOTES.lock().unwrap().push(line);
}

fn bomb_case(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    archive: &Path,
    n: usize,
) {
    // 4. The 2 GB zip bomb.
    let bomb_dir = scratch.join("bomb");
    std::fs::create_dir(&bomb_dir).unwrap();
    let bomb = crafted::bomb_2gb(4096);
    std::fs::write(bomb_dir.join("金井镇.xlsx"), &bomb).unwrap();
    let mut c = Case::measure(runner, ("2 GB 压缩炸弹", "liaison"), n, scratch, || {
        let mut c = liaison();
        c.arg("--output").arg(archive);
        c.args([
            "check",
            bomb_dir.to_str().unwrap(),
            "--period",
            PERIOD,
            "--format",
            "json",
        ]);
        c
    });
    assert_eq!(c.samples[0].exit, 1, "the bomb must be refused");
    c.note = format!(
        "{:.1} MB file, refused as too_large",
        bomb.len() as f64 / 1e6
    );
    cases.push(c);
}

fn province_cases(
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
fn ledger_cases(runner: &mut measure::Runner, cases: &mut Vec<Case>, scratch: &Path, n: usize) {
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

/// The roll-up at province scale (see `rollup.rs`): 122 county bundles rolled up into an empty
/// archive and on top of ten years of roll-up history; that history beside DuckDB.
fn rollup_cases(runner: &mut measure::Runner, cases: &mut Vec<Case>, scratch: &Path, n: usize) {
    let t0 = Instant::now();
    let (counties, months) = if quick() { (4, 13) } else { (122, 120) };
    let root = scratch.join("rollup");
    std::fs::create_dir_all(&root).unwrap();
    let names = data::names(counties, "县");
    let (cfg, config) = rollup::province_config(&root, &names);
    let (bundles, totals) = rollup::county_bundles(&root, &names);
    eprintln!(
        "[{:>5.1}s] {counties} county months published and exported",
        t0.elapsed().as_secs_f64()
    );
    let archive = root.join("archive");
    let rows = rollup::rollup_history(&archive, &config, months);
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
    assert_eq!(rollup::published_totals(&root.join("empty-1")), totals);
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
    assert_eq!(rollup::published_totals(&archive), totals);
    c.note = format!("上月、本年累计、趋势 over {rows} history rows");
    cases.push(c);
    // The roll-up history itself (the months before, as written), liaison beside DuckDB.
    let hist = root.join("history-only");
    std::fs::create_dir_all(&hist).unwrap();
    for e in std::fs::read_dir(archive.join("history")).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name.to_string_lossy() != format!("period={}", rollup::MONTH) {
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

/// The ledger dataset of an output folder.
fn store_dir(output: &Path) -> PathBuf {
    liaison::forms::ledger::store::dir(output)
}

fn print_table(cases: &[Case], n: usize) {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::ASCII_MARKDOWN);
    t.set_header([
        "case",
        "tool",
        "median s",
        "min s",
        "max s",
        "peak RSS MiB (median)",
        "CPU s (median)",
        "note",
    ]);
    for c in cases {
        let (s, smin, smax) = c.seconds();
        let (m, _, _) = c.rss();
        t.add_row([
            c.case.clone(),
            c.tool.clone(),
            format!("{s:.3}"),
            format!("{smin:.3}"),
            format!("{smax:.3}"),
            format!("{m:.1}"),
            format!("{:.3}", c.cpu().0),
            c.note.clone(),
        ]);
    }
    println!("{n} runs per case, side by side in one run\n{t}");
    for line in NOTES.lock().unwrap().iter() {
        println!("{line}");
    }
    let med = |case: &str, tool: &str| {
        cases
            .iter()
            .find(|c| c.case.starts_with(case) && c.tool.starts_with(tool))
            .map(|c| c.seconds().0)
    };
    let rss = |case: &str| {
        cases
            .iter()
            .find(|c| c.case.starts_with(case) && c.tool == "liaison")
            .map(|c| c.rss().0)
    };
    let month = "一个月审核";
    if let (Some(a), Some(b)) = (med(month, "liaison"), med("一个月读取", "python-calamine")) {
        println!(
            "a month of 18 returns: liaison check is {:.1}× the python-calamine script",
            b / a
        );
    }
    for size in [20, 200, 1000, 2000] {
        let case = format!("读取 {size} 份");
        if let (Some(a), Some(b)) = (med(&case, "liaison"), med(&case, "pandas")) {
            println!(
                "reading {size} returns: liaison is {:.1}× the pandas+openpyxl reference",
                b / a
            );
        }
        let cpu = |tool: &str| {
            cases
                .iter()
                .find(|c| c.case.starts_with(&case) && c.tool.starts_with(tool))
                .map(|c| c.cpu().0 / size as f64 * 1e6)
        };
        if let (Some(a), Some(b)) = (cpu("liaison, one thread"), cpu("floor")) {
            println!(
                "reading {size} returns, one thread: liaison {a:.0} µs CPU per return, the floor {b:.0} µs: {:.1}× the floor",
                a / b
            );
        }
        if let (Some(a), Some(b)) = (cpu("calamine alone"), cpu("floor")) {
            println!(
                "reading {size} returns, one thread: calamine alone (open, read every sheet) {a:.0} µs CPU per return: {:.1}× the floor",
                a / b
            );
        }
        if let (Some(a), Some(b)) = (med(&case, "liaison"), med(&case, "python-calamine")) {
            println!(
                "reading {size} returns: liaison is {:.1}× the python-calamine script",
                b / a
            );
        }
    }
    if let (Some(a), Some(b)) = (rss("读取 200 份"), rss("读取 2000 份")) {
        println!(
            "peak RSS 200 → 2,000 returns: {a:.1} → {b:.1} MiB ({:+.0} %)",
            (b / a - 1.0) * 100.0
        );
    }
    if let (Some(a), Some(b)) = (med("全省十年", "liaison"), med("全省十年", "DuckDB")) {
        println!("province scale: DuckDB / liaison wall time = {:.2}", b / a);
    }
    for c in cases
        .iter()
        .filter(|c| c.case.starts_with("全省年度汇总") && c.tool == "liaison")
    {
        if let Some(b) = med(&c.case, "DuckDB") {
            let (a, r) = (c.seconds().0, c.rss().0);
            println!(
                "{}: liaison / DuckDB wall time = {:.2}, liaison peak RSS {r:.1} MiB",
                c.case,
                a / b
            );
        }
    }
    if let (Some(a), Some(b)) = (
        med("全省汇总历史", "liaison"),
        med("全省汇总历史", "DuckDB"),
    ) {
        println!(
            "province roll-up history: DuckDB / liaison wall time = {:.2}",
            b / a
        );
    }
    if let (Some(a), Some(b)) = (med("全省台账", "liaison"), med("全省台账", "DuckDB")) {
        println!(
            "province ledger: liaison / DuckDB wall time = {:.2} (liaison reads the .xlsx, DuckDB the exported rows)",
            a / b
        );
    }
}

/// `BENCH_QUICK=1`: small sizes, for CI's smoke run of the bench (figures agree, scripts work).
fn quick() -> bool {
    std::env::var_os("BENCH_QUICK").is_some()
}
