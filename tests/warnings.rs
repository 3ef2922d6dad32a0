//! Warnings that matter: a folder of 18 returns checked against 3 and 6 months of history.
//! Ordinary month-to-month changes raise no outlier, a real jump does (shown in one block after
//! the errors), and a cell refused as 若干 raises no warning derived from it as if it were 0.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;

use assert_cmd::Command;
use liaison::archive::Options;
use liaison::config::Config;
use liaison::core::text::{Period, column_name};
use liaison::forms::template;

/// Station rows of the template start on sheet row 5 (title, labels, two header rows).
const FIRST_ROW: u32 = 5;

/// Figures of unit `u`, station `s`, metric `i` in month `m`: steady, ±1 from month to month,
/// each metric one less than the one before (so 帮助解决问题 < 收集意见建议: no warning).
fn steady(u: usize, s: usize, i: usize, m: u32) -> u64 {
    (30 + u + s - i) as u64 + (m % 2) as u64
}

/// The 18 returns of a month, each with its unit's stations (named where the config has none).
fn write_month(dir: &Path, config: &Config, p: Period, f: &dyn Fn(usize, usize, usize) -> u64) {
    std::fs::create_dir_all(dir).unwrap();
    for (u, unit) in config.units.iter().enumerate() {
        let mut unit = unit.clone();
        if unit.stations.is_empty() {
            unit.stations = (1..=5).map(|k| format!("第{k}工作站")).collect();
        }
        let rows: Vec<Vec<u64>> = (0..unit.stations.len())
            .map(|s| (0..config.metrics.len()).map(|i| f(u, s, i)).collect())
            .collect();
        let bytes = template::build_filled(config, &unit, p, &rows).unwrap();
        std::fs::write(dir.join(template::file_name(&unit, p)), bytes).unwrap();
    }
}

/// Rewrites one number cell of a return's sheet as the text `text` (as a unit types 若干).
fn put_text(file: &Path, cell: &str, text: &str) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(data).unwrap();
            let re = regex::Regex::new(&format!(r#"<c r="{cell}"( s="\d+")?><v>[^<]*</v></c>"#))
                .unwrap();
            assert!(re.is_match(&xml), "{cell} is a number cell");
            let rep = format!(r#"<c r="{cell}"$1 t="inlineStr"><is><t>{text}</t></is></c>"#);
            data = re.replace(&xml, rep.as_str()).into_owned().into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(file, out.finish().unwrap().into_inner()).unwrap();
}

/// Publishes `months` steady months into the archive `out`.
fn history(out: &Path, config: &Config, months: std::ops::RangeInclusive<u32>) {
    for m in months {
        let p = Period::new(2022, m).unwrap();
        let dir = tempfile::tempdir().unwrap();
        write_month(dir.path(), config, p, &|u, s, i| steady(u, s, i, m));
        let checked = common::publishing::checked(dir.path(), p, config);
        let report = &checked.report;
        assert!(!report.has_errors(), "{:#?}", report.diagnostics);
        common::publishing::publish(out, &checked, config, &Options::default(), true);
    }
}

/// July: 星沙街道 (unit 0) receives 15% more voters, 湘龙街道 (unit 1) three times as many,
/// 泉塘街道 (unit 2) writes 若干 for 收集意见建议 at its first station (which solved problems).
fn july(dir: &Path, config: &Config) {
    let voters = config.metric_index("voters_received").unwrap();
    let p = Period::new(2022, 7).unwrap();
    write_month(dir, config, p, &|u, s, i| {
        let v = steady(u, s, i, 7);
        match (u, i == voters) {
            (0, true) => v * 115 / 100,
            (1, true) => v * 3,
            _ => v,
        }
    });
    let collected = config.metric_index("suggestions_collected").unwrap();
    let cell = format!("{}{FIRST_ROW}", column_name(4 + collected as u32));
    put_text(
        &dir.join(template::file_name(&config.units[2], p)),
        &cell,
        "若干",
    );
}

fn run_check(out: &Path, dir: &Path, format: &str) -> (i32, String) {
    let o = Command::cargo_bin("liaison")
        .unwrap()
        .args(["--output"])
        .arg(out)
        .arg("check")
        .arg(dir)
        .args(["--period", "2022-07", "--format", format])
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

fn codes(json: &str) -> Vec<(String, Option<String>)> {
    let doc: serde_json::Value = serde_json::from_str(json).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["unit"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn three_months_of_history_judge_no_outlier_and_errors_come_first() {
    let config = Config::embedded();
    let out = tempfile::tempdir().unwrap();
    history(out.path(), &config, 4..=6);
    let dir = tempfile::tempdir().unwrap();
    july(dir.path(), &config);

    let (code, json) = run_check(out.path(), dir.path(), "json");
    assert_eq!(code, 1);
    let found = codes(&json);
    // The one error; nothing derived from the refused cell; no outlier on 3 months.
    let errors: Vec<_> = found.iter().filter(|c| c.0 == "invalid_value").collect();
    assert_eq!(errors.len(), 1, "{found:?}");
    assert_eq!(errors[0].1.as_deref(), Some("quantang"));
    assert!(
        !found
            .iter()
            .any(|c| c.0 == "solved_exceeds_collected" || c.0 == "outlier"),
        "{found:?}"
    );

    let (_, text) = run_check(out.path(), dir.path(), "text");
    let e = text.find("强制性问题 1 个").expect(&text);
    assert!(text[e..].contains("若干"), "{text}");
    assert!(!text.contains("outlier"), "{text}");
}

#[test]
fn six_months_flag_the_real_jump_only_in_one_block_after_the_errors() {
    let config = Config::embedded();
    let out = tempfile::tempdir().unwrap();
    history(out.path(), &config, 1..=6);
    let dir = tempfile::tempdir().unwrap();
    july(dir.path(), &config);

    let (code, json) = run_check(out.path(), dir.path(), "json");
    assert_eq!(code, 1);
    let outliers: Vec<_> = codes(&json)
        .into_iter()
        .filter(|c| c.0 == "outlier")
        .collect();
    // 湘龙街道's voters tripled: its voters, hence nothing else (deputies unchanged). 星沙街道's
    // 15% is within the floor of 10% of the median.
    assert_eq!(
        outliers,
        vec![("outlier".to_string(), Some("xianglong".to_string()))]
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let msg = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "outlier")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("前 6 个月") && msg.contains("超过 3.5"),
        "{msg}"
    );

    let (_, text) = run_check(out.path(), dir.path(), "text");
    let e = text.find("强制性问题 1 个").expect(&text);
    let o = text.find("与往月差别很大").expect(&text);
    assert!(e < o, "{text}");
    let block: Vec<&str> = text[o..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(block.len(), 1, "{text}");
    assert!(block[0].starts_with("  湘龙街道：接待走访选民"), "{text}");
}
