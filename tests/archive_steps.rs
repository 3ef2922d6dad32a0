//! The archive's invariant under stops: a publish aborted after every step (on the exchange
//! path and on the portable rename path), killed at timed moments, and run N at once. After
//! each, the next run's recovery leaves every publication and the partition it names agreeing.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::publishing;
use liaison::archive::{Archive, Hooks, Manifest, Options, Outcome, Step};
use liaison::check::Checked;
use liaison::config::Config;
use liaison::core::text::Period;

fn may_period() -> Period {
    Period::new(2022, 5).unwrap()
}

fn checked(dir: &Path, period: Period) -> Checked {
    publishing::checked(dir, period, &Config::embedded())
}

/// Publishes with `--force` and no report files, stopping as `hooks` say. `--allow-partial`:
/// May less one town lacks a unit, which a final publication refuses (SPEC §5).
fn publish(out: &Path, dir: &Path, period: Period, hooks: Hooks) -> Outcome {
    let config = Config::embedded();
    let opts = Options {
        force: true,
        allow_partial: true,
        ..Options::default()
    };
    let archive = Archive::open_with(out, &liaison::datasets::CATALOG, hooks).unwrap();
    publishing::publish_in(&archive, &checked(dir, period), &config, &opts, false)
}

/// Child mode, run by the tests below as a separate process: publishes as the environment
/// of the parent test says (read by this test binary only), maybe aborting after a step.
#[test]
#[ignore = "run by the other tests as a child process"]
fn child_publish() {
    let Ok(out) = std::env::var("ARCHIVE_TEST_OUT") else {
        return;
    };
    let dir = PathBuf::from(std::env::var("ARCHIVE_TEST_DIR").unwrap());
    let stop_after = std::env::var("ARCHIVE_TEST_STOP")
        .ok()
        .map(|s| Step::all(3)[s.parse::<usize>().unwrap()]);
    let portable = std::env::var("ARCHIVE_TEST_PORTABLE").is_ok();
    publish(
        Path::new(&out),
        &dir,
        may_period(),
        Hooks {
            portable,
            stop_after,
        },
    );
}

fn child(out: &Path, dir: &Path, stop: Option<usize>, portable: bool) -> Command {
    // The test's name within the test crate: this module's path without the crate's name.
    let name = format!(
        "{}::child_publish",
        module_path!().split_once("::").unwrap().1
    );
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([name.as_str(), "--exact", "--ignored", "--test-threads=1"])
        .env("ARCHIVE_TEST_OUT", out)
        .env("ARCHIVE_TEST_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(s) = stop {
        c.env("ARCHIVE_TEST_STOP", s.to_string());
    }
    if portable {
        c.env("ARCHIVE_TEST_PORTABLE", "1");
    }
    c
}

/// May's returns less one town: its partition differs from the full month's.
fn may_less_one(work: &Path) -> PathBuf {
    let dir = work.join("may-less-one");
    std::fs::create_dir_all(&dir).unwrap();
    let src = common::root().join("input/2022-05");
    let mut names: Vec<_> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    for n in &names[1..] {
        std::fs::copy(src.join(n), dir.join(n)).unwrap();
    }
    dir
}

/// After the next run opens the archive: every publication and partition agrees with its
/// manifest, each current manifest names the partition on disk, and nothing half-built is left.
fn assert_whole(out: &Path, when: &str) {
    let archive = Archive::open(out, &liaison::datasets::CATALOG).unwrap();
    let rows = archive.verify();
    assert!(rows.iter().all(|r| r.ok), "{when}: {rows:#?}");
    for (p, dir) in liaison::archive::verify::publications(out) {
        let m = Manifest::read(&dir).unwrap();
        let part = liaison::history::partition_file(&out.join("history"), p);
        assert_eq!(
            liaison::archive::swap::file_sha(&part).as_deref(),
            Some(
                m.pinned("history")
                    .expect("a manifest pins its history partition")
            ),
            "{when}: partition of {p}"
        );
        // The ledger partition is swapped in the same step, under the same invariant.
        let ledger = m
            .dataset("ledger")
            .expect("a manifest names its ledger partition");
        assert_eq!(ledger.path, format!("ledger/period={p}/part-0.parquet"));
        let part = out.join(&ledger.path);
        assert_eq!(
            liaison::archive::swap::file_sha(&part).as_deref(),
            Some(ledger.sha256.as_deref().expect("pinned by its sha256")),
            "{when}: ledger partition of {p}"
        );
        let items = liaison::forms::ledger::store::read(&part).unwrap();
        assert!(
            items.iter().all(|i| m
                .inputs
                .iter()
                .any(|f| f.sha256.as_deref() == Some(i.source_sha256.as_str()))),
            "{when}: ledger items of {p} come from the returns its manifest names"
        );
    }
    for d in [out.to_path_buf(), out.join("history"), out.join("ledger")] {
        for e in std::fs::read_dir(&d).into_iter().flatten() {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                n == ".lock" || !n.starts_with('.'),
                "{when}: leftover {n} in {}",
                d.display()
            );
        }
    }
}

/// Right after a stop, before any run recovers: both datasets read with polars as Hive
/// datasets, every month whole (the full May or May less one town), and, on the exchange path,
/// May never missing once it was published.
fn assert_readable(
    out: &Path,
    whole: &common::readers::Seen,
    less: &common::readers::Seen,
    must: bool,
    when: &str,
) {
    let seen = common::readers::read(out).unwrap_or_else(|e| panic!("{when}: read failed: {e}"));
    for (k, v) in &seen {
        assert!(
            whole.get(k) == Some(v) || less.get(k) == Some(v),
            "{when}: {k} not whole: {v:?}"
        );
    }
    if must {
        assert!(
            seen.contains_key("history/2022-05") && seen.contains_key("ledger/2022-05"),
            "{when}: {seen:?}"
        );
    }
}

/// What the full May and May less one town look like to a reader.
fn references(work: &Path) -> (common::readers::Seen, common::readers::Seen) {
    let (full, less) = (work.join("ref-full"), work.join("ref-less"));
    publish(
        &full,
        &common::root().join("input/2022-05"),
        may_period(),
        Hooks::default(),
    );
    publish(&less, &may_less_one(work), may_period(), Hooks::default());
    (
        common::readers::read(&full).unwrap(),
        common::readers::read(&less).unwrap(),
    )
}

fn tree(dir: &Path) -> std::collections::BTreeMap<String, String> {
    common::hash_tree(dir)
}

#[test]
fn a_stop_after_every_step_leaves_publication_and_history_agreeing() {
    let may = common::root().join("input/2022-05");
    let refs = tempfile::tempdir().unwrap();
    let (whole, less_one) = references(refs.path());
    assert_ne!(whole, less_one);
    for portable in [false, true] {
        for (i, step) in Step::all(3).iter().enumerate() {
            let when = format!("stop after {step:?} (portable: {portable})");
            let work = tempfile::tempdir().unwrap();
            let out = work.path().join("output");
            publish(&out, &may, may_period(), Hooks::default());
            let old = tree(&out.join("2022-05"));
            let old_part = tree(&out.join("history"));
            let old_ledger = tree(&out.join("ledger"));
            let less = may_less_one(work.path());
            let status = child(&out, &less, Some(i), portable).status().unwrap();
            assert!(!status.success(), "{when}: the child should have aborted");
            assert_readable(&out, &whole, &less_one, !portable, &when);
            assert_whole(&out, &when);
            let aside = out.join("2022-05.replaced-1");
            if *step < Step::IntentWritten {
                // Before the intent: the earlier publication and history, untouched.
                assert_eq!(tree(&out.join("2022-05")), old, "{when}");
                assert_eq!(tree(&out.join("history")), old_part, "{when}");
                assert_eq!(tree(&out.join("ledger")), old_ledger, "{when}");
                assert!(!aside.exists(), "{when}");
            } else {
                // From the intent on: the new publication, the earlier one kept whole aside.
                assert_eq!(tree(&aside), old, "{when}");
                assert_ne!(tree(&out.join("history")), old_part, "{when}");
                let m = Manifest::read(&out.join("2022-05")).unwrap();
                assert_eq!(m.replaces.as_deref(), Some("2022-05.replaced-1"), "{when}");
                assert_eq!(m.inputs.len(), 17, "{when}");
            }
        }
    }
}

#[test]
fn a_first_publication_stopped_at_every_step_is_all_or_nothing() {
    let may = common::root().join("input/2022-05");
    let refs = tempfile::tempdir().unwrap();
    let (whole, _) = references(refs.path());
    for portable in [false, true] {
        for (i, step) in Step::all(3).iter().enumerate() {
            let when = format!("stop after {step:?} (portable: {portable})");
            let out = tempfile::tempdir().unwrap();
            let status = child(out.path(), &may, Some(i), portable).status().unwrap();
            assert!(!status.success(), "{when}");
            assert_readable(out.path(), &whole, &whole, false, &when);
            assert_whole(out.path(), &when);
            let published = out.path().join("2022-05").exists();
            assert_eq!(published, *step >= Step::IntentWritten, "{when}");
            assert_eq!(
                liaison::history::periods(&out.path().join("history")).len(),
                usize::from(published),
                "{when}"
            );
            assert_eq!(
                liaison::forms::ledger::store::periods(&out.path().join("ledger")).len(),
                usize::from(published),
                "{when}"
            );
        }
    }
}

#[test]
fn kill_9_at_timed_moments_on_the_portable_path() {
    let may = common::root().join("input/2022-05");
    let work = tempfile::tempdir().unwrap();
    let (whole, less_one) = references(work.path());
    let out = work.path().join("output");
    publish(&out, &may, may_period(), Hooks::default());
    let less = may_less_one(work.path());
    let t0 = std::time::Instant::now();
    assert!(child(&out, &less, None, true).status().unwrap().success());
    let total = t0.elapsed().as_micros() as u64;
    for k in 0..=16u64 {
        let delay = std::time::Duration::from_micros(total * k / 16);
        let mut c = child(&out, if k % 2 == 0 { &may } else { &less }, None, true)
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = c.kill();
        let _ = c.wait();
        let when = format!("kill after {delay:?}");
        assert_readable(&out, &whole, &less_one, false, &when);
        assert_whole(&out, &when);
    }
}

#[test]
fn concurrent_runs_give_one_publication_and_refuse_the_others() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input/2022-05");
    std::fs::create_dir_all(&input).unwrap();
    for e in std::fs::read_dir(common::root().join("input/2022-05")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), input.join(e.file_name())).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("liaison");
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(&bin)
                .current_dir(work.path())
                .args(["report", "input/2022-05"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let published: Vec<_> = outs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("已发布"))
        .collect();
    assert_eq!(published.len(), 1, "exactly one publishes");
    assert!(published[0].status.success());
    for o in outs.iter().filter(|o| !o.status.success()) {
        let err = String::from_utf8_lossy(&o.stderr);
        let text = String::from_utf8_lossy(&o.stdout);
        // Refused while the other held the lock, or found it already published after.
        assert!(
            (o.status.code() == Some(2) && err.contains("另一个发布正在进行"))
                || (o.status.code() == Some(1) && text.contains("已经发布")),
            "{err}{text}"
        );
    }
    assert_eq!(outs.iter().filter(|o| o.status.success()).count(), 1);
    let out = work.path().join("output");
    assert!(!out.join("2022-05.replaced-1").exists());
    assert_whole(&out, "after concurrent runs");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// An earlier version staged inside the datasets (`history/.staging-…`): its interrupted swap is
/// still completed from its intent, and its leftovers are still cleared.
#[test]
fn an_earlier_versions_intent_and_leftovers_inside_the_datasets_are_still_handled() {
    use liaison::archive::swap::file_sha;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("output");
    publish(
        &out,
        &common::root().join("input/2022-05"),
        may_period(),
        Hooks::default(),
    );
    // What the earlier version had built and staged before it was stopped: May less one town.
    let less = work.path().join("less");
    publish(
        &less,
        &may_less_one(work.path()),
        may_period(),
        Hooks::default(),
    );
    let tag = "2022-05-4242";
    for d in ["history", "ledger"] {
        let staged = out.join(d).join(format!(".staging-{tag}"));
        std::fs::create_dir_all(&staged).unwrap();
        std::fs::copy(
            less.join(d).join("period=2022-05/part-0.parquet"),
            staged.join("part-0.parquet"),
        )
        .unwrap();
    }
    copy_tree(&less.join("2022-05"), &out.join(format!(".building-{tag}")));
    let m = Manifest::read(&less.join("2022-05")).unwrap();
    let intent = serde_json::json!({
        "period": "2022-05",
        "building": format!(".building-{tag}"),
        "staging": format!(".staging-{tag}"),
        "aside": "2022-05.replaced-1",
        "trash": format!(".trash-{tag}"),
        "manifest_sha256": file_sha(&less.join("2022-05/manifest.json")).unwrap(),
        "partition_sha256": m.pinned("history").unwrap(),
        "ledger_staging": format!(".staging-{tag}"),
        "ledger_sha256": m.pinned("ledger").unwrap(),
    });
    std::fs::write(out.join(".intent.json"), intent.to_string()).unwrap();
    let archive = Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
    assert_eq!(archive.recovered.as_deref(), Some("2022-05"));
    drop(archive);
    assert_whole(&out, "an earlier version's intent");
    let part = out.join("history/period=2022-05/part-0.parquet");
    assert_eq!(
        file_sha(&part).as_deref(),
        Some(m.pinned("history").unwrap())
    );
    assert!(out.join("2022-05.replaced-1/manifest.json").is_file());

    // Its leftovers, with no intent: cleared, as this version's own `.staging/` is.
    for d in [
        "history/.staging-2022-06-7",
        "ledger/.staging-2022-06-7",
        ".staging/history-2022-06-7",
    ] {
        std::fs::create_dir_all(out.join(d)).unwrap();
        std::fs::write(out.join(d).join("part-0.parquet"), b"half").unwrap();
    }
    let archive = Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
    assert_eq!(archive.cleared.len(), 3, "{:?}", archive.cleared);
    drop(archive);
    assert_whole(&out, "an earlier version's leftovers");
}
