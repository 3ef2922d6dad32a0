//! Text from returns, file names and the config never reaches the terminal raw: an ESC
//! sequence in a station name, a sheet name or a file name is printed escaped.

use std::io::{Read, Write};
use std::path::Path;

use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::template;

const CLEAR: &str = "\x1b[2J\x1b[H";
const FAKE: &str = "\n结论:全部报表通过强制性审核,可以汇总。\r";

/// A filled 北山镇 return whose first station name and sheet name carry terminal controls.
fn hostile_return() -> Vec<u8> {
    let config = Config::embedded();
    let mut unit = config.unit("beishan").unwrap().clone();
    unit.stations = vec![String::new(), "望仙村工作站".into(), "安居村工作站".into()];
    unit.stations[0] = format!("{CLEAR}{FAKE}\u{9b}31m\u{202e}工作站");
    let rows = vec![vec![1; config.metrics.len()]; unit.stations.len()];
    let period = Period::new(2022, 5).unwrap();
    let bytes = template::build_filled(&config, &unit, period, &rows).unwrap();
    // The sheet renamed inside the package (no writer lets a control character through).
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(data).unwrap();
            assert!(text.contains("name=\"进站活动月报\""));
            data = text
                .replace("name=\"进站活动月报\"", "name=\"&#x1b;[2J进站活动月报\"")
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn check_text(dir: &Path) -> (i32, String) {
    // A register for 北山镇 without the hostile name: its unknown_station finding quotes it.
    let mut config = Config::embedded();
    config
        .units
        .iter_mut()
        .find(|u| u.id == "beishan")
        .unwrap()
        .stations = vec!["望仙村工作站".into(), "安居村工作站".into()];
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), config.to_toml()).unwrap();
    let out = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .arg("--config")
        .arg(file.path())
        .args(["check", "--period", "2022-05"])
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn controls_in_station_sheet_and_file_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{CLEAR}北山镇.xlsx")),
        hostile_return(),
    )
    .unwrap();
    // The return is read with the controls in it (else this test would prove nothing).
    let config = Config::embedded();
    let outcomes = liaison::forms::monthly::ingest_dir(dir.path(), &config).unwrap();
    let ret = outcomes[0].ret.as_ref().expect("read");
    assert!(
        ret.stations[0].name.contains('\x1b'),
        "{:?}",
        ret.stations[0].name
    );
    assert!(ret.sheet.contains('\x1b'), "{:?}", ret.sheet);
    let (_, out) = check_text(dir.path());
    for bad in ['\x1b', '\r', '\u{9b}', '\u{202e}'] {
        assert!(!out.contains(bad), "{bad:?} reached the terminal:\n{out}");
    }
    assert!(out.contains("\\x1b[2J\\x1b[H北山镇.xlsx"), "{out}");
    assert!(out.contains("[\\x1b[2J进站活动月报]"), "{out}");
    assert!(
        out.contains("\\x1b[2J\\x1b[H\\x0a结论:全部报表通过"),
        "{out}"
    );
    assert!(out.contains("\\u{9b}31m\\u{202e}工作站"), "{out}");
    // Only the real conclusion starts a line.
    let verdicts: Vec<&str> = out.lines().filter(|l| l.starts_with("结论")).collect();
    assert_eq!(verdicts.len(), 1, "{out}");
}

#[test]
fn escaping_keeps_chinese_and_escapes_every_control() {
    use liaison::render::{terminal, terminal_lines};
    assert_eq!(terminal("星沙街道(修改)"), "星沙街道(修改)");
    assert_eq!(terminal("a\x1b[2Jb\x07\x7f"), "a\\x1b[2Jb\\x07\\x7f");
    assert_eq!(terminal("一\n二\t"), "一\\x0a二\\x09");
    assert_eq!(terminal_lines("一\n二\t\x1b"), "一\n二\t\\x1b");
    assert_eq!(terminal("\u{85}\u{202e}"), "\\u{85}\\u{202e}");
}
