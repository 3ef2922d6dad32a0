//! The floor of reading a return (issue 28): read the file, inflate every part of its zip once
//! and scan the bytes, nothing else; calamine alone on the same files; and instruction counts
//! where the machine has no counters.

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The files of `dir`, in name order.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Child mode `--floor-child DIR`: every file of the folder read, each zip part inflated once
/// into one reused buffer and scanned for its tags, on one thread. Prints JSON: files, parts,
/// inflated bytes, tags.
pub fn child(dir: &Path) {
    let t = Instant::now();
    let files = files(dir);
    let (mut parts, mut bytes, mut tags) = (0u64, 0u64, 0u64);
    let mut buf = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(&data[..])).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            buf.clear();
            part.read_to_end(&mut buf).unwrap();
            parts += 1;
            bytes += buf.len() as u64;
            tags += memchr::memchr_iter(b'<', &buf).count() as u64;
        }
    }
    println!(
        "{}",
        serde_json::json!({"files": files.len(), "parts": parts, "bytes": bytes, "tags": tags,
            "seconds": t.elapsed().as_secs_f64()})
    );
}

/// Child mode `--calamine-child DIR`: every file of the folder opened with calamine and every
/// sheet read whole (`worksheet_range`), on one thread, nothing checked: what any reader built
/// on calamine pays before it looks at a cell. Prints JSON: files, sheets, cells.
pub fn calamine_child(dir: &Path) {
    use calamine::Reader;
    let t = Instant::now();
    let files = files(dir);
    let (mut sheets, mut cells) = (0u64, 0u64);
    for f in &files {
        let data = std::fs::read(f).unwrap();
        let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(data)).unwrap();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            sheets += 1;
            cells += range.used_cells().count() as u64;
        }
    }
    println!(
        "{}",
        serde_json::json!({"files": files.len(), "sheets": sheets, "cells": cells,
            "seconds": t.elapsed().as_secs_f64()})
    );
}

/// How instructions are counted on this machine: the hardware counters through `perf stat`
/// where it has them, else valgrind's cachegrind (no cache simulation), else not at all.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Counter {
    Perf,
    Cachegrind,
}

impl Counter {
    pub fn find() -> Option<Counter> {
        let perf = Command::new("perf")
            .args(["stat", "-x,", "-e", "instructions:u", "true"])
            .output();
        if let Ok(o) = perf
            && o.status.success()
            && parse_perf(&String::from_utf8_lossy(&o.stderr)).is_some()
        {
            return Some(Counter::Perf);
        }
        let vg = Command::new("valgrind").arg("--version").output();
        vg.is_ok_and(|o| o.status.success())
            .then_some(Counter::Cachegrind)
    }

    pub fn name(self) -> &'static str {
        match self {
            Counter::Perf => "perf stat, instructions:u",
            Counter::Cachegrind => "valgrind --tool=cachegrind, no hardware counters",
        }
    }

    /// The instructions `cmd` executes (every thread), or `None` if it failed.
    pub fn count(self, cmd: &Command) -> Option<u64> {
        let mut c = match self {
            Counter::Perf => {
                let mut c = Command::new("perf");
                c.args(["stat", "-x,", "-e", "instructions:u", "--"]);
                c
            }
            Counter::Cachegrind => {
                let mut c = Command::new("valgrind");
                c.args([
                    "--tool=cachegrind",
                    "--cache-sim=no",
                    "--cachegrind-out-file=/dev/null",
                ]);
                c
            }
        };
        c.arg(cmd.get_program()).args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        let o = c.output().ok()?;
        let err = String::from_utf8_lossy(&o.stderr);
        match self {
            Counter::Perf => parse_perf(&err),
            Counter::Cachegrind => err
                .lines()
                .find_map(|l| {
                    l.split_once("I refs:")
                        .or_else(|| l.split_once("I   refs:"))
                })
                .and_then(|(_, n)| n.trim().replace(',', "").parse().ok()),
        }
    }
}

fn parse_perf(err: &str) -> Option<u64> {
    err.lines()
        .find(|l| l.contains("instructions"))
        .and_then(|l| l.split(',').next())
        .and_then(|n| n.trim().parse().ok())
}
