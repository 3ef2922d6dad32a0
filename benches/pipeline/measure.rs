//! Running one case as a child process: wall time, peak RSS (wait4) and what it printed.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// One run of a child process.
pub struct Sample {
    pub seconds: f64,
    pub rss_mib: f64,
    pub exit: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion with stdout captured in a file (no pipe to fill up).
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives the peak RSS
pub fn run(cmd: &mut Command, scratch: &Path) -> Sample {
    let out_path = scratch.join("stdout.txt");
    let out = std::fs::File::create(&out_path).unwrap();
    let err_path = scratch.join("stderr.txt");
    let err = std::fs::File::create(&err_path).unwrap();
    let t = Instant::now();
    let child = cmd
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid out-pointers.
    unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let seconds = t.elapsed().as_secs_f64();
    Sample {
        seconds,
        rss_mib: usage.ru_maxrss as f64 / 1024.0,
        exit: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
        stdout: std::fs::read_to_string(out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(err_path).unwrap_or_default(),
    }
}

/// Median, min and max.
pub fn stats(v: &[f64]) -> (f64, f64, f64) {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    (median, v[0], v[n - 1])
}

/// A measured case: `runs` samples of one command.
pub struct Case {
    pub case: String,
    pub tool: String,
    pub samples: Vec<Sample>,
    /// What the case is about (files, rows), shown in the table.
    pub note: String,
}

impl Case {
    pub fn measure(
        case: &str,
        tool: &str,
        runs: usize,
        scratch: &Path,
        mut cmd: impl FnMut() -> Command,
    ) -> Case {
        let samples = (0..runs).map(|_| run(&mut cmd(), scratch)).collect();
        Case {
            case: case.into(),
            tool: tool.into(),
            samples,
            note: String::new(),
        }
    }
    pub fn seconds(&self) -> (f64, f64, f64) {
        stats(&self.samples.iter().map(|s| s.seconds).collect::<Vec<_>>())
    }
    pub fn rss(&self) -> (f64, f64, f64) {
        stats(&self.samples.iter().map(|s| s.rss_mib).collect::<Vec<_>>())
    }
    /// The last run's stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        let last = self.samples.last().unwrap();
        let s = &last.stdout;
        serde_json::from_str(s).unwrap_or_else(|e| {
            panic!(
                "{}/{}: not JSON ({e}): {s:.300}\n{}",
                self.case, self.tool, last.stderr
            )
        })
    }
    pub fn to_json(&self) -> serde_json::Value {
        let (t, tmin, tmax) = self.seconds();
        let (m, mmin, mmax) = self.rss();
        serde_json::json!({"case": self.case, "tool": self.tool, "runs": self.samples.len(),
            "exit": self.samples.last().map(|s| s.exit), "note": self.note,
            "seconds_median": t, "seconds_min": tmin, "seconds_max": tmax,
            "peak_rss_mib_median": m, "peak_rss_mib_min": mmin, "peak_rss_mib_max": mmax})
    }
}
