//! Readers never fail while liaison writes (issue 22): a thread reads `history/` and `ledger/`
//! with polars as Hive datasets in a loop while `liaison report --force` republishes May again
//! and again (its corrected return and the first one, alternately). Every read succeeds, sees
//! both months, and each month whole: one version or the other, never a mixture or a gap.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use common::readers;

fn copy_month(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn every_read_during_republications_succeeds_and_sees_whole_months() {
    let w = tempfile::tempdir().unwrap();
    let root = common::root();
    for m in ["2022-05", "2022-06"] {
        copy_month(&root.join("input").join(m), &w.path().join("input").join(m));
    }
    let revised = w.path().join("revised/2022-05");
    copy_month(&root.join("input/2022-05"), &revised);
    std::fs::copy(
        root.join("tests/fixtures/months/may_revised/北山镇月报.xlsx"),
        revised.join("北山镇月报.xlsx"),
    )
    .unwrap();
    let input = w.path().join("input");
    let (code, out, err) = common::run(w.path(), &["report"], &input);
    assert_eq!(code, 0, "{out}{err}");
    let out_dir = w.path().join("output");
    let first = readers::read(&out_dir).unwrap();
    let keys: BTreeSet<String> = first.keys().cloned().collect();
    assert_eq!(keys.len(), 4, "{first:?}");
    let may = first["history/2022-05"];
    assert_eq!(may, (125, 7237));
    // The corrected May: the same stations, 北山镇's first station +10 接待走访选民.
    let whole = |k: &str, v: (u32, i64)| {
        if k == "history/2022-05" {
            v == may || v == (125, 7247)
        } else {
            v == first[k]
        }
    };

    let stop = AtomicBool::new(false);
    let (reads, failures) = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let (mut reads, mut failures) = (0u32, Vec::new());
            while !stop.load(Ordering::Relaxed) {
                reads += 1;
                match readers::read(&out_dir) {
                    Err(e) => failures.push(e),
                    Ok(seen) => {
                        let got: BTreeSet<String> = seen.keys().cloned().collect();
                        if got != keys {
                            failures.push(format!("months seen: {got:?}"));
                        }
                        for (k, v) in &seen {
                            if !whole(k, *v) {
                                failures.push(format!("{k} not whole: {v:?}"));
                            }
                        }
                    }
                }
            }
            (reads, failures)
        });
        for i in 0..10 {
            let dir = if i % 2 == 0 {
                revised.display().to_string()
            } else {
                input.join("2022-05").display().to_string()
            };
            let args = ["report", &dir, "--period", "2022-05", "--force"];
            let (code, out, err) = common::run(w.path(), &args, &input);
            assert_eq!(code, 0, "{out}{err}");
        }
        stop.store(true, Ordering::Relaxed);
        reader.join().unwrap()
    });
    assert!(reads >= 10, "only {reads} reads");
    assert!(
        failures.is_empty(),
        "{} of {reads} reads failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    // Nothing but the publications, the datasets and the lock is left in the output folder.
    for e in std::fs::read_dir(&out_dir).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(n == ".lock" || !n.starts_with('.'), "leftover {n}");
    }
    assert_eq!(readers::read(&out_dir).unwrap()["history/2022-05"], may);
}
