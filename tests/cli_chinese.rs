//! The command line speaks Chinese: help pages, usage errors, OS errors; a folder that does not
//! exist is said to be missing; returns left outside a month folder are found and placed; a
//! publication names its absolute folder.

use crate::common;

use common::{root, run};

/// clap's own English words that must not reach a clerk.
const ENGLISH: [&str; 9] = [
    "Usage",
    "error:",
    "Options",
    "Commands",
    "Print help",
    "Print version",
    "[default",
    "invalid value",
    "For more information",
];

fn no_english(text: &str) {
    for w in ENGLISH {
        assert!(!text.contains(w), "“{w}” in:\n{text}");
    }
}

#[test]
fn help_pages_are_chinese() {
    let r = root();
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["report", "-h"],
        &["template", "--help"],
        &["archive", "--help"],
    ] {
        let (code, out, err) = run(&r, args, &r.join("input"));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("用法：") && out.contains("选项："), "{out}");
        assert!(out.contains("显示帮助"), "{out}");
        assert!(!out.contains("SPEC"), "{out}");
        no_english(&out);
    }
}

#[test]
fn usage_errors_are_chinese_and_exit_2() {
    let r = root();
    let cases: [(&[&str], &str); 5] = [
        (&["check", "--period", "2022-13"], "--period"),
        (&["chek"], "是不是要写“check”"),
        (&["check", "--perod", "2022-05"], "是不是要写“--period”"),
        (&["check", "input/2022-05", "--format", "xml"], "text、json"),
        (&[], "请指定要做的事"),
    ];
    for (args, want) in cases {
        let (code, out, err) = run(&r, args, &r.join("input"));
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        no_english(&err);
        assert!(out.is_empty(), "{out}");
    }
    let (_, _, err) = run(&r, &["check", "--period", "2022-13"], &r.join("input"));
    assert!(err.contains("2022-13") && err.contains("YYYY-MM"), "{err}");
}

#[test]
fn a_missing_folder_is_said_missing_and_os_errors_are_chinese() {
    let r = root();
    let (code, _, err) = run(&r, &["check", "input/七月"], &r.join("input"));
    assert_eq!(code, 2);
    assert!(err.contains("input/七月 不存在"), "{err}");
    assert!(!err.contains("月份"), "not about the period: {err}");

    let (code, _, err) = run(
        &r,
        &["--config", "no-such.toml", "check", "input/2022-05"],
        &r.join("input"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("文件或文件夹不存在"), "{err}");
    assert!(
        !err.contains("No such file") && !err.contains("os error"),
        "{err}"
    );
    assert_eq!(
        err.matches("文件或文件夹不存在").count(),
        1,
        "said once: {err}"
    );
}

#[test]
fn returns_outside_a_month_folder_are_found_and_placed() {
    let r = root();
    let may = r.join("input/2022-05");
    let files: Vec<_> = std::fs::read_dir(&may)
        .unwrap()
        .map(|e| e.unwrap().path())
        .take(3)
        .collect();

    // Straight into input/.
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input");
    std::fs::create_dir(&input).unwrap();
    for f in &files {
        std::fs::copy(f, input.join(f.file_name().unwrap())).unwrap();
    }
    let (code, out, _) = run(work.path(), &["report"], &input);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("直接放了 3 份报表"), "{out}");
    // The month the returns name themselves (May), not a fixed example (issue 26: it said
    // 2022-07 whatever the files said).
    let may_dir = std::path::Path::new("input")
        .join("2022-05")
        .display()
        .to_string();
    assert!(
        out.contains(&format!("：请把它们移到该月的文件夹 {may_dir} 里")),
        "{out}"
    );
    assert!(!out.contains("2022-07"), "{out}");
    assert!(!work.path().join("output/history").exists());
    // A June return beside them: each to its own month.
    let june = std::fs::read_dir(r.join("input/2022-06"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .unwrap();
    std::fs::copy(&june, input.join(june.file_name().unwrap())).unwrap();
    let (code, out, _) = run(work.path(), &["report"], &input);
    assert_eq!(code, 1, "{out}");
    let june_dir = std::path::Path::new("input")
        .join("2022-06")
        .display()
        .to_string();
    assert!(
        out.contains(&format!(
            "按各自所报的月份分别移到 {may_dir}、{june_dir} 里"
        )),
        "{out}"
    );

    // Into a folder named 七月.
    let work = tempfile::tempdir().unwrap();
    let july = work.path().join("input/七月");
    std::fs::create_dir_all(&july).unwrap();
    for f in &files {
        std::fs::copy(f, july.join(f.file_name().unwrap())).unwrap();
    }
    let (code, out, _) = run(work.path(), &["report"], &work.path().join("input"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("文件夹“七月”里有 3 份报表"), "{out}");
    // Named by the month its returns name.
    assert!(
        out.contains("请改名为 2022-05（文件夹名写成 年-月）"),
        "{out}"
    );
}

#[test]
fn report_names_the_absolute_output_folder() {
    let r = root();
    let work = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        work.path(),
        &["report", r.join("input/2022-05").to_str().unwrap()],
        &r.join("input"),
    );
    assert_eq!(code, 0, "{err}");
    let abs = std::fs::canonicalize(work.path()).unwrap().join("output");
    let line = out
        .lines()
        .find(|l| l.starts_with("输出文件夹："))
        .expect(&out);
    assert!(line.contains("新建的档案"), "{line}");
    let shown = line.trim_start_matches("输出文件夹：");
    let shown = shown.split('（').next().unwrap();
    assert_eq!(
        std::fs::canonicalize(shown).unwrap(),
        abs,
        "absolute: {line}"
    );
    let published = out.lines().find(|l| l.starts_with("已发布")).expect(&out);
    let folder = published.split_once('：').unwrap().1;
    assert!(std::path::Path::new(folder).is_absolute(), "{published}");
    assert_eq!(std::fs::canonicalize(folder).unwrap(), abs.join("2022-05"));
}
