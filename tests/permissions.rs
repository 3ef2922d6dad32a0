//! Every file liaison writes under the output folder gets the permissions the umask gives (the
//! archive sits on a shared drive): 0644 files and 0755 folders under umask 022, whatever the
//! permissions of the returns it copies. One test in this binary: the umask is the process's.
#![cfg(unix)]

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Every file and folder under `dir` whose mode is not the one the umask gives.
fn wrong_modes(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let meta = std::fs::symlink_metadata(&p).unwrap();
        let (mode, want) = if meta.is_dir() {
            (meta.permissions().mode() & 0o777, 0o755)
        } else {
            (meta.permissions().mode() & 0o777, 0o644)
        };
        if mode != want {
            out.push(format!("{} {mode:o}", p.display()));
        }
        if meta.is_dir() {
            wrong_modes(&p, out);
        }
    }
}

#[test]
fn every_file_under_the_output_carries_the_umask_permissions() {
    // SAFETY: umask only sets the process's file mode mask; the children inherit it.
    unsafe { libc::umask(0o022) };
    let w = tempfile::tempdir().unwrap();
    for m in ["2022-05", "2022-06"] {
        let to = w.path().join("input").join(m);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(common::root().join("input").join(m)).unwrap() {
            let e = e.unwrap();
            let dst = to.join(e.file_name());
            std::fs::copy(e.path(), &dst).unwrap();
            // Returns kept private by whoever saved them: their copies still follow the umask.
            std::fs::set_permissions(&dst, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    let input = w.path().join("input");
    for args in [
        &["report"][..],
        &["report", "input/2022-05", "--force"],
        &["template", "--period", "2022-07"],
        &[
            "config",
            "learn",
            "input/2022-05",
            "--out",
            "output/名册.toml",
        ],
        &["archive", "rebuild", "--period", "2022-06"],
    ] {
        let (code, out, err) = common::run(w.path(), args, &input);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    let out = w.path().join("output");
    for must in [
        "2022-05/manifest.json",
        "2022-05.replaced-1/manifest.json",
        "history/period=2022-05/part-0.parquet",
        "ledger/period=2022-06/part-0.parquet",
        "2022-06/returns/北山镇月报(6月).xlsx",
        "名册.toml",
    ] {
        assert!(out.join(must).is_file(), "{must}");
    }
    let mut wrong = Vec::new();
    wrong_modes(&out, &mut wrong);
    assert!(
        wrong.is_empty(),
        "not what umask 022 gives:\n{}",
        wrong.join("\n")
    );
}
