//! Reading a province's month: 200, 1,000 and 2,000 returns, liaison beside the floor, calamine
//! alone and the reference scripts, run for run alternately; the config's size; instruction counts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use liaison::config::Config;
use liaison::core::text::Period;

use crate::measure::{self, Case};
use crate::{PERIOD, as_u64s, check_totals, data, floor, liaison, python, quick};

/// A province's month read at 200, 1,000 and 2,000 returns: liaison on two cores and on one
/// thread, the floor and calamine alone, alternately; then the reference scripts and the config's size.
pub(crate) fn read_cases(
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
pub(crate) static NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

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
