//! Bench (not a test): how fast and in how little memory a 2 GB zip bomb is refused, beside
//! checking the sample month, measured side by side in one run as child processes.
//! Run: `cargo bench --bench bomb` (release build). Prints a table and writes
//! `target/bench-bomb.json`.

#[path = "../tests/common/crafted.rs"]
#[allow(dead_code)]
mod crafted;

use std::path::Path;
use std::time::Instant;

fn bomb() -> Vec<u8> {
    crafted::bomb_2gb(4096)
}

#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also gives the peak RSS
/// Runs `liaison check DIR --period 2022-05 --format json`; returns (seconds, peak RSS MiB, exit).
fn run(dir: &Path) -> (f64, f64, i32) {
    let t = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args([
            "check",
            dir.to_str().unwrap(),
            "--period",
            "2022-05",
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid out-pointers.
    unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    (
        t.elapsed().as_secs_f64(),
        usage.ru_maxrss as f64 / 1024.0,
        libc::WEXITSTATUS(status),
    )
}

fn stats(v: &mut [f64]) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let n = 7;
    let work = tempfile::tempdir().unwrap();
    let bomb_dir = work.path().join("bomb");
    std::fs::create_dir(&bomb_dir).unwrap();
    let bytes = bomb();
    std::fs::write(bomb_dir.join("金井镇.xlsx"), &bytes).unwrap();
    let month = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/2022-05");
    let mut rows = Vec::new();
    for (name, dir) in [
        ("2 GB zip bomb (one file)", bomb_dir.as_path()),
        ("sample month (18 returns)", month.as_path()),
    ] {
        let (mut t, mut m) = (Vec::new(), Vec::new());
        let mut code = 0;
        for _ in 0..n {
            let (s, mib, c) = run(dir);
            t.push(s);
            m.push(mib);
            code = c;
        }
        let (tm, tmin, tmax) = stats(&mut t);
        let (mm, _, mmax) = stats(&mut m);
        rows.push(serde_json::json!({"case": name, "runs": n, "exit": code,
            "seconds_median": tm, "seconds_min": tmin, "seconds_max": tmax,
            "peak_rss_mib_median": mm, "peak_rss_mib_max": mmax}));
    }
    println!("bomb file: {} bytes, inflates to 2 GiB", bytes.len());
    println!(
        "{:<28} {:>5} {:>10} {:>10} {:>10} {:>12}",
        "case", "exit", "median s", "min s", "max s", "peak RSS MiB"
    );
    for r in &rows {
        println!(
            "{:<28} {:>5} {:>10.3} {:>10.3} {:>10.3} {:>12.1}",
            r["case"].as_str().unwrap(),
            r["exit"],
            r["seconds_median"].as_f64().unwrap(),
            r["seconds_min"].as_f64().unwrap(),
            r["seconds_max"].as_f64().unwrap(),
            r["peak_rss_mib_max"].as_f64().unwrap()
        );
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-bomb.json");
    std::fs::write(out, serde_json::to_string_pretty(&rows).unwrap()).unwrap();
}
