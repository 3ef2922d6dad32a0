//! Running one case as a child process: wall time, peak RSS (wait4) and what it printed.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

/// One run of a child process.
pub struct Sample {
    pub seconds: f64,
    /// CPU time of the child, user + system, every thread (wait4's rusage).
    pub cpu_seconds: f64,
    pub rss_mib: f64,
    pub exit: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion with stdout captured in a file (no pipe to fill up).
///
/// The child's peak RSS from wait4 counts, on Linux, the peak of the process it was spawned
/// from (the memory it had before exec). The bench itself grows to hundreds of MiB while it
/// generates files, so children are spawned by a small runner process (this binary in
/// `--runner` mode, started first) and their peak is theirs.
pub fn run(runner: &mut Runner, cmd: &Command, scratch: &Path) -> Sample {
    let out_path = scratch.join("stdout.txt");
    let err_path = scratch.join("stderr.txt");
    let job = serde_json::json!({
        "program": cmd.get_program().to_string_lossy(),
        "args": cmd.get_args().map(|a| a.to_string_lossy()).collect::<Vec<_>>(),
        "env": cmd.get_envs().filter_map(|(k, v)| Some((k.to_string_lossy(), v?.to_string_lossy())))
            .collect::<Vec<_>>(),
        "out": out_path, "err": err_path,
    });
    writeln!(runner.stdin, "{job}").unwrap();
    let mut line = String::new();
    runner.stdout.read_line(&mut line).unwrap();
    let r: serde_json::Value = serde_json::from_str(&line).expect("runner answer");
    Sample {
        seconds: r["seconds"].as_f64().unwrap(),
        cpu_seconds: r["cpu_seconds"].as_f64().unwrap(),
        rss_mib: r["rss_kib"].as_f64().unwrap() / 1024.0,
        exit: r["exit"].as_i64().unwrap() as i32,
        stdout: std::fs::read_to_string(out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(err_path).unwrap_or_default(),
    }
}

/// The small process that spawns and reaps every measured child.
pub struct Runner {
    _child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Runner {
    /// Starts this binary in `--runner` mode.
    pub fn start() -> Runner {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .arg("--runner")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        Runner {
            stdin: child.stdin.take().unwrap(),
            stdout: BufReader::new(child.stdout.take().unwrap()),
            _child: child,
        }
    }
}

/// `--runner` mode: one JSON job per input line, one JSON result per output line.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives the peak RSS
pub fn runner_main() {
    for line in std::io::stdin().lines() {
        let job: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let text = |k: &str| job[k].as_str().unwrap().to_string();
        let out = std::fs::File::create(text("out")).unwrap();
        let err = std::fs::File::create(text("err")).unwrap();
        let args: Vec<&str> = job["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let env: Vec<(&str, &str)> = job["env"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| (kv[0].as_str().unwrap(), kv[1].as_str().unwrap()))
            .collect();
        let t = Instant::now();
        let child = Command::new(text("program"))
            .args(args)
            .envs(env)
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", text("program")));
        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4 on our own child with valid out-pointers.
        unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
        let seconds = t.elapsed().as_secs_f64();
        let exit = if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        };
        let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
        println!(
            "{}",
            serde_json::json!({"seconds": seconds, "cpu_seconds": cpu, "rss_kib": usage.ru_maxrss, "exit": exit})
        );
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
        runner: &mut Runner,
        (case, tool): (&str, &str),
        runs: usize,
        scratch: &Path,
        mut cmd: impl FnMut() -> Command,
    ) -> Case {
        let samples = (0..runs).map(|_| run(runner, &cmd(), scratch)).collect();
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
    pub fn cpu(&self) -> (f64, f64, f64) {
        stats(
            &self
                .samples
                .iter()
                .map(|s| s.cpu_seconds)
                .collect::<Vec<_>>(),
        )
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
        let (cpu, _, _) = self.cpu();
        serde_json::json!({"cpu_seconds_median": cpu, "case": self.case, "tool": self.tool, "runs": self.samples.len(),
            "exit": self.samples.last().map(|s| s.exit), "note": self.note,
            "seconds_median": t, "seconds_min": tmin, "seconds_max": tmax,
            "peak_rss_mib_median": m, "peak_rss_mib_min": mmin, "peak_rss_mib_max": mmax})
    }
}
