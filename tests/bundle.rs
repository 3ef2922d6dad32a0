//! The bundle a county mails up: `archive export` packs a published, verified month into the
//! same bytes every time, and the roll-up's folder check accepts good bundles whole and refuses
//! each kind of bad one with a finding naming the file, never keeping a figure of it.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;

use common::counties;
use liaison::archive::{Archive, Options};
use liaison::bundle::{self, BundleError, FolderCheck};
use liaison::check::Status;
use liaison::config::Config;
use liaison::core::findings::Code;
use liaison::core::text::Period;
use liaison::rollup;
use polars::prelude::*;

fn may() -> Period {
    Period::new(2022, 5).unwrap()
}

fn sum(df: &DataFrame, column: &str) -> i64 {
    df.column(column)
        .unwrap()
        .as_materialized_series()
        .cast(&DataType::Int64)
        .unwrap()
        .sum::<i64>()
        .unwrap()
}

fn hetang_expected() -> serde_json::Value {
    let p = common::root().join("tests/fixtures/rollup/hetang-2022-05.expected.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// The entries of a zip, in order.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = ::zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().unwrap().to_string(), b)
        })
        .collect()
}

/// A zip of `entries`, as any zip tool would write it.
fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, b) in entries {
        z.start_file(name.as_str(), ::zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn findings_of<'a>(
    check: &'a FolderCheck,
    file: &Path,
) -> Vec<&'a liaison::core::findings::Finding> {
    let shown = file.display().to_string();
    check
        .report
        .diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some(shown.as_str()))
        .collect()
}

#[test]
fn a_published_month_exports_to_the_same_bytes_and_reads_back_whole() {
    let work = tempfile::tempdir().unwrap();
    let bundles = work.path().join("2022-05");
    std::fs::create_dir(&bundles).unwrap();
    let cs = counties::month_bundle(
        work.path(),
        &counties::changsha(),
        "2022-05",
        &bundles.join("长沙县-2022-05.zip"),
    );
    // Published again elsewhere and exported again: the same bytes.
    let again = tempfile::tempdir().unwrap();
    let twin = counties::month_bundle(
        again.path(),
        &counties::changsha(),
        "2022-05",
        &again.path().join("twin.zip"),
    );
    assert_eq!(cs.sha256, twin.sha256);
    assert_eq!(
        std::fs::read(&cs.path).unwrap(),
        std::fs::read(&twin.path).unwrap()
    );
    let names: Vec<String> = entries(&std::fs::read(&cs.path).unwrap())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names[0], "bundle.json");
    assert!(names.contains(&"history/period=2022-05/part-0.parquet".to_string()));
    assert!(names.contains(&"ledger/period=2022-05/part-0.parquet".to_string()));
    assert!(names.contains(&"config.toml".to_string()));
    assert!(names.contains(&"publication/简报.md".to_string()));
    assert!(names.iter().any(|n| n.ends_with("汇总表.xlsx")));
    assert!(
        !names
            .iter()
            .any(|n| n.contains("returns/") || n.contains("charts/"))
    );

    counties::month_bundle(
        work.path(),
        &counties::hetang(),
        "2022-05",
        &bundles.join("荷塘区-2022-05.zip"),
    );
    let check = bundle::verify_dir(&bundles, may(), &counties::province()).unwrap();
    assert!(check.complete(), "{:#?}", check.report.diagnostics);
    let units: Vec<&str> = check.bundles.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(units, ["changsha-county", "hetang"]);
    let (_, cs) = &check.bundles[0];
    assert_eq!(cs.history.height(), 125);
    assert_eq!(sum(&cs.history, "voters_received"), 7237);
    assert_eq!(sum(&cs.history, "deputies_total"), 1160);
    assert_eq!(cs.config.region.scope, "全县");
    let (_, ht) = &check.bundles[1];
    let want = hetang_expected();
    assert_eq!(ht.history.height() as u64, want["totals"]["stations"]);
    for m in ["deputies_district", "voters_received", "deputies_total"] {
        assert_eq!(sum(&ht.history, m) as u64, want["totals"][m], "{m}");
    }
    assert_eq!(ht.config.levels.len(), 4);
    // In the roll-up's terms: levels by tier, never by position (荷塘区's 区 is 长沙县's 县).
    let province = counties::province();
    let cs_rows = rollup::rows(cs, province.unit("changsha-county").unwrap(), &province).unwrap();
    let ht_rows = rollup::rows(ht, province.unit("hetang").unwrap(), &province).unwrap();
    let names: Vec<&str> = cs_rows
        .stations
        .get_column_names()
        .into_iter()
        .map(|c| c.as_str())
        .take(6)
        .collect();
    assert_eq!(
        names,
        [
            "county_id",
            "county",
            "unit_id",
            "unit",
            "station",
            "deputies_national"
        ]
    );
    assert_eq!(
        sum(&cs_rows.stations, "deputies_county"),
        sum(&cs.history, "deputies_county")
    );
    assert_eq!(
        sum(&ht_rows.stations, "deputies_county") as u64,
        want["totals"]["deputies_district"]
    );
    assert_eq!(
        sum(&ht_rows.stations, "deputies_township") as u64,
        want["totals"]["deputies_township"]
    );
    // 荷塘区 has no 全国 level: its column is null (shown as —), not 0.
    let national = ht_rows.stations.column("deputies_national").unwrap();
    assert_eq!(national.null_count(), ht_rows.stations.height());
    for (rows, b) in [(&cs_rows, cs), (&ht_rows, ht)] {
        assert_eq!(
            sum(&rows.stations, "deputies_total"),
            sum(&b.history, "deputies_total")
        );
        assert!(rows.notes.is_empty(), "{:?}", rows.notes);
        assert_eq!(rows.ledger.height(), b.ledger.height());
    }
    assert!(cs_rows.ledger.height() > 0);
    assert!(
        check
            .report
            .files
            .iter()
            .all(|f| f.status == Status::Ok && f.sha256.is_some())
    );
}

#[test]
fn each_kind_of_bad_bundle_is_refused_naming_the_file() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("2022-05");
    std::fs::create_dir(&dir).unwrap();
    let cs = counties::month_bundle(
        work.path(),
        &counties::changsha(),
        "2022-05",
        &work.path().join("cs.zip"),
    );
    let good = std::fs::read(&cs.path).unwrap();

    // Not a zip at all, under a bundle's name.
    let not_zip = dir.join("长沙县-2022-05(1).zip");
    std::fs::write(&not_zip, "这不是压缩包").unwrap();
    // A zip that is no bundle: a county's workbook sent instead.
    let workbook = dir.join("荷塘区汇总表.xlsx");
    let xlsx = entries(&good)
        .into_iter()
        .find(|(n, _)| n.ends_with(".xlsx"))
        .unwrap()
        .1;
    std::fs::write(&workbook, xlsx).unwrap();
    // A bundle whose history was edited (its bundle.json left as it was).
    let tampered = dir.join("荷塘区-2022-05.zip");
    let ht = counties::month_bundle(
        work.path(),
        &counties::hetang(),
        "2022-05",
        &work.path().join("ht.zip"),
    );
    let mut e = entries(&std::fs::read(&ht.path).unwrap());
    let part = e
        .iter_mut()
        .find(|(n, _)| n.starts_with("history/"))
        .unwrap();
    let at = part.1.len() / 2;
    part.1[at] ^= 1;
    std::fs::write(&tampered, zip_of(&e)).unwrap();
    // Another month.
    let june = dir.join("长沙县-2022-06.zip");
    let out = work.path().join("cs-june");
    for p in ["2022-05", "2022-06"] {
        counties::publish(&out, &counties::changsha(), p, &Options::default());
    }
    counties::export(&out, &counties::changsha(), "2022-06", &june);
    // A zip bomb: a bundle.json and one entry inflating to 64 MB (past the 50 MB budget).
    let bomb = dir.join("炸弹.zip");
    let mut big = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated);
    big.start_file("bundle.json", opts).unwrap();
    big.write_all(b"{}").unwrap();
    big.start_file("history/period=2022-05/part-0.parquet", opts)
        .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        big.write_all(&zeros).unwrap();
    }
    let bomb_bytes = big.finish().unwrap().into_inner();
    assert!(bomb_bytes.len() < 1 << 20);
    std::fs::write(&bomb, bomb_bytes).unwrap();
    // The good one, sent twice (the second copy renamed by the mail).
    let first = dir.join("长沙县-2022-05.zip");
    let second = dir.join("长沙县上报.zip");
    std::fs::write(&first, &good).unwrap();
    std::fs::write(&second, &good).unwrap();
    // A covering note: skipped, not refused.
    std::fs::write(dir.join("说明.docx"), b"PK\x03\x04").unwrap();

    let check = bundle::verify_dir(&dir, may(), &counties::province()).unwrap();
    let code_of =
        |f: &Path| -> Vec<Code> { findings_of(&check, f).iter().map(|d| d.code).collect() };
    assert_eq!(code_of(&not_zip), [Code::BundleInvalid]);
    assert_eq!(code_of(&workbook), [Code::BundleInvalid]);
    assert!(
        findings_of(&check, &workbook)[0]
            .message
            .contains("bundle.json")
    );
    assert_eq!(code_of(&tampered), [Code::BundleMismatch]);
    let msg = &findings_of(&check, &tampered)[0].message;
    assert!(
        msg.contains("history/period=2022-05/part-0.parquet"),
        "{msg}"
    );
    assert_eq!(code_of(&june), [Code::BundlePeriod]);
    assert!(findings_of(&check, &june)[0].message.contains("2022-06"));
    assert_eq!(code_of(&bomb), [Code::TooLarge]);
    assert_eq!(code_of(&first), [Code::BundleDuplicate]);
    assert_eq!(code_of(&second), [Code::BundleDuplicate]);
    assert!(
        findings_of(&check, &first)[0]
            .message
            .contains("内容完全相同")
    );
    assert_eq!(code_of(&dir.join("说明.docx")), [Code::IgnoredFile]);
    // Nothing of a refused bundle is kept; both counties sent something, so none is missing.
    assert!(check.bundles.is_empty(), "{:?}", check.bundles.len());
    assert!(check.report.missing_units.is_empty());
    assert!(!check.complete());
    for f in &check.report.files {
        let ignored = f.path.ends_with("说明.docx");
        assert_eq!(
            f.status,
            if ignored {
                Status::Ignored
            } else {
                Status::Error
            },
            "{}",
            f.path
        );
    }
}

#[test]
fn a_county_not_in_the_rollup_is_refused_and_a_silent_one_is_missing() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("2022-05");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("荷塘区-2022-05.zip");
    counties::month_bundle(work.path(), &counties::hetang(), "2022-05", &file);
    // A city config of 长沙市: 荷塘区 is not one of its units.
    let city = Config::load(&common::root().join("config/changsha-city.toml")).unwrap();
    let check = bundle::verify_dir(&dir, may(), &city).unwrap();
    let f = findings_of(&check, &file);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code, Code::BundleUnknownUnit);
    assert!(f[0].message.contains("荷塘区") && f[0].message.contains("长沙市"));
    assert!(check.bundles.is_empty());
    assert_eq!(check.report.missing_units.len(), 9);
    // Under the province's config it is 荷塘区; 长沙县 did not send: missing, not refused.
    let check = bundle::verify_dir(&dir, may(), &counties::province()).unwrap();
    assert_eq!(check.bundles.len(), 1);
    assert_eq!(check.report.missing_units, ["changsha-county"]);
    let missing: Vec<_> = check
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingReturn)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(missing, ["长沙县没有上报2022年5月的数据包"]);
    assert!(!check.report.has_errors());
    assert!(!check.complete());
}

#[test]
fn a_preliminary_month_is_marked_and_keeps_the_rollup_from_being_final() {
    let work = tempfile::tempdir().unwrap();
    let returns = work.path().join("returns");
    std::fs::create_dir(&returns).unwrap();
    // 荷塘区 with one town's return damaged: published 初步 with --allow-partial.
    let src = common::root().join("tests/fixtures/rollup/hetang-2022-05");
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap();
        if name.to_string_lossy().starts_with("仙庾镇") {
            std::fs::write(returns.join(name), b"PK\x03\x04 damaged").unwrap();
        } else {
            std::fs::copy(&p, returns.join(name)).unwrap();
        }
    }
    let county = counties::hetang();
    let out = work.path().join("out");
    let archive = Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
    let done = liaison::app::pipeline::publish_month(
        &archive,
        &returns,
        may(),
        &county.config,
        (&county.origin, &county.text),
        &Options {
            allow_partial: true,
            force: false,
            ..Options::default()
        },
    )
    .unwrap();
    drop(archive);
    assert!(
        matches!(
            done.outcome,
            liaison::archive::Outcome::Published {
                preliminary: true,
                ..
            }
        ),
        "{:?}",
        done.outcome
    );
    let dir = work.path().join("bundles");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("荷塘区.zip");
    let exported = counties::export(&out, &county, "2022-05", &file);
    assert!(exported.preliminary);
    let check = bundle::verify_dir(&dir, may(), &counties::province()).unwrap();
    assert_eq!(check.preliminary(), ["hetang"]);
    let f = findings_of(&check, &file);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code, Code::BundlePreliminary);
    assert!(!f[0].is_error());
    // Its figures are there (six towns), but the roll-up cannot be final.
    let (_, b) = &check.bundles[0];
    assert_eq!(b.history.height(), 23 - 4);
    assert!(!check.complete());
}

#[test]
fn export_takes_only_a_published_verified_month_with_its_own_config() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let cs = counties::changsha();
    counties::publish(&out, &cs, "2022-05", &Options::default());
    let to = work.path().join("b.zip");
    let export = |config: &Config, text: &str, period: Period| {
        let archive = Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
        bundle::export(&archive, period, config, ("x.toml", text), Some(&to))
    };
    // Another month: not published.
    let err = export(&cs.config, &cs.text, Period::new(2022, 6).unwrap()).unwrap_err();
    assert!(matches!(err, BundleError::NotPublished { .. }), "{err}");
    // The config in force is not the one the month was published with.
    let edited = cs.text.replace("# 复制本文件", "# 改过的配置。复制本文件");
    assert_ne!(edited, cs.text);
    let err = export(&cs.config, &edited, may()).unwrap_err();
    assert!(matches!(err, BundleError::ConfigDiffers { .. }), "{err}");
    assert!(err.to_string().contains("--config"), "{err}");
    // A file of the publication edited after it was published.
    std::fs::write(out.join("2022-05/简报.md"), "改过的简报").unwrap();
    let err = export(&cs.config, &cs.text, may()).unwrap_err();
    assert!(matches!(err, BundleError::Unverified { .. }), "{err}");
    assert!(err.to_string().contains("简报.md"), "{err}");
    assert!(!to.exists(), "nothing written");
}

#[test]
fn cli_tiers_are_shown_required_and_a_rollup_config_reads_no_returns() {
    let r = common::root();
    let work = tempfile::tempdir().unwrap();
    let (code, out, _) = common::run(&r, &["config", "show"], &r.join("config"));
    assert_eq!(code, 0);
    assert_eq!(out.matches("tier = ").count(), 5, "{out}");
    assert!(out.contains("tier = \"county\""));
    let hetang = r.join("config/hetang.toml");
    let (code, out, _) = common::run(
        &r,
        &["--config", hetang.to_str().unwrap(), "config", "show"],
        &r.join("config"),
    );
    assert_eq!(code, 0);
    assert!(out.contains("label = \"区\"\ntier = \"county\""), "{out}");
    // A config of an earlier version, without tiers: what to add, for which level.
    let old = work.path().join("old.toml");
    let text = std::fs::read_to_string(&hetang).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("tier = "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&old, text).unwrap();
    let (code, _, err) = common::run(
        &r,
        &["--config", old.to_str().unwrap(), "check", "input/2022-05"],
        &r.join("input"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("层级 provincial（省）没有写 tier") && err.contains("tier = \"provincial\""),
        "{err}"
    );
    // A roll-up config where returns are read.
    let city = r.join("config/changsha-city.toml");
    let (code, _, err) = common::run(
        &r,
        &["--config", city.to_str().unwrap(), "check", "input/2022-05"],
        &r.join("input"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("汇总配置") && err.contains("liaison rollup"),
        "{err}"
    );
    // Exporting a month that is not published.
    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let (code, _, err) = common::run(
        &r,
        &[
            "--output",
            out.to_str().unwrap(),
            "archive",
            "export",
            "--period",
            "2022-05",
        ],
        &r.join("input"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("2022-05 还没有发布"), "{err}");
}
