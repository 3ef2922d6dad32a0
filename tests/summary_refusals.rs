//! `liaison summary` refusing what it must (a month not published, a damaged partition, a busy
//! archive), `--force` keeping the earlier summary, the same bytes from the same archive, and
//! every page legible when printed.

use crate::common;

use common::summary::*;
use liaison::archive::Archive;
use liaison::summary::{Options, Outcome, Span};

#[test]
fn an_unpublished_month_is_refused_unless_partial() {
    let (_t, out) = archive();
    let r = common::root();
    let args = [
        "--output",
        out.to_str().unwrap(),
        "summary",
        "--half",
        "2022-H1",
    ];
    let (code, stdout, _) = common::run(&r, &args, &out.join("2022-05"));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("2022年1月、2月、3月尚未发布") && stdout.contains("--allow-partial"),
        "{stdout}"
    );
    assert!(!out.join("summaries").exists());
    let mut partial = args.to_vec();
    partial.push("--allow-partial");
    let (code, stdout, stderr) = common::run(&r, &partial, &out.join("2022-05"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("（初步）") && stdout.contains("2022年1月、2月、3月尚未发布，未计入"),
        "{stdout}"
    );
    let dir = out.join("summaries/2022年上半年");
    let cov = sheet(
        &dir.join("长沙县2022年上半年代表进站活动汇总表.xlsx"),
        "覆盖说明",
    );
    assert_eq!(row_of(&cov, 0, "2022年2月")[2].to_string(), "未发布");
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        man["missing_months"],
        serde_json::json!(["2022-01", "2022-02", "2022-03"])
    );
    // Nothing of the span published at all: refused, whatever the options.
    let (code, stdout, _) = common::run(
        &r,
        &[
            "--output",
            out.to_str().unwrap(),
            "summary",
            "--year",
            "2020",
            "--allow-partial",
        ],
        &out.join("2022-05"),
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("没有已发布的月份"), "{stdout}");
    // Usage problems are exit 2.
    for bad in [
        &["summary", "--quarter", "2022-Q5"][..],
        &["summary", "--from", "2022-06", "--to", "2022-01"],
        &["summary"],
    ] {
        let mut a = vec!["--output", out.to_str().unwrap()];
        a.extend_from_slice(bad);
        let (code, _, stderr) = common::run(&r, &a, &out.join("2022-05"));
        assert_eq!(code, 2, "{bad:?}: {stderr}");
    }
}

#[test]
fn force_keeps_the_earlier_summary_and_the_same_archive_gives_the_same_bytes() {
    let (_t, out) = archive();
    let span = Span::range(p("2022-05"), p("2022-06")).unwrap();
    let first = written(run(&out, span, &Options::default()).unwrap());
    let before = common::hash_tree(&first);
    match run(&out, span, &Options::default()).unwrap() {
        Outcome::AlreadyWritten(d) => assert_eq!(d, first),
        other => panic!("{other:?}"),
    }
    let force = Options {
        force: true,
        ..Options::default()
    };
    let again = written(run(&out, span, &force).unwrap());
    let kept = out.join("summaries/2022年5月至6月.replaced-1");
    assert_eq!(
        common::hash_tree(&kept),
        before,
        "the earlier summary is kept as it was"
    );
    let after = common::hash_tree(&again);
    for (path, h) in &before {
        if path != "manifest.json" {
            assert_eq!(
                after.get(path),
                Some(h),
                "{path} differs on the same archive"
            );
        }
    }
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(again.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(man["replaces"], "2022年5月至6月.replaced-1");
}

#[test]
fn a_damaged_partition_or_a_busy_archive_is_refused_and_nothing_written() {
    let (_t, out) = archive();
    let span = Span::range(p("2022-05"), p("2022-06")).unwrap();
    {
        let _held = Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
        let e = run(&out, span, &Options::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("另一个发布正在进行"), "{e}");
    }
    let part = out.join("history/period=2022-05/part-0.parquet");
    let mut bytes = std::fs::read(&part).unwrap();
    let k = bytes.len() / 2;
    bytes[k] ^= 0xff;
    std::fs::write(&part, bytes).unwrap();
    let e = run(&out, span, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("period=2022-05") && e.contains("liaison archive rebuild --period 2022-05"),
        "{e}"
    );
    assert!(!out.join("summaries").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".building"))
        .collect();
    assert!(leftovers.is_empty());
}

/// Every sheet's body text as printed (from the sheet's XML): at least 8 pt, as in the monthly book.
#[test]
fn every_printed_page_is_legible() {
    use std::io::Read;
    let (_t, out) = archive();
    let span = Span::quarter("2022-Q2").unwrap();
    let dir = written(run(&out, span, &Options::default()).unwrap());
    let book = dir.join("长沙县2022年第2季度代表进站活动汇总表.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let sheets: Vec<String> = (1..=10)
        .map(|i| format!("xl/worksheets/sheet{i}.xml"))
        .collect();
    assert!(
        zip.by_name("xl/worksheets/sheet11.xml").is_err(),
        "ten sheets"
    );
    for name in sheets {
        let mut xml = String::new();
        zip.by_name(&name)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let find = |tag: &str| doc.descendants().find(|n| n.has_tag_name(tag));
        let px: f64 = doc
            .descendants()
            .filter(|n| n.has_tag_name("col"))
            .map(|n| {
                let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                (a("max") - a("min") + 1.0) * (a("width") * 7.0).trunc()
            })
            .sum();
        let landscape = find("pageSetup").unwrap().attribute("orientation") == Some("landscape");
        let margins = find("pageMargins").unwrap();
        let m = |k: &str| margins.attribute(k).unwrap().parse::<f64>().unwrap();
        let printable = (if landscape { 11.69 } else { 8.27 } - m("left") - m("right")) * 96.0;
        let pt = 10.5 * (printable / px).min(1.0);
        assert!(pt >= 8.0, "{name}: body text {pt:.1} pt when printed");
    }
}
