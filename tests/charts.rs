//! Charts: every chart as PNG and SVG, Chinese drawn with the shipped font (text pixels where
//! the title is, and not the font's box glyph), SVG text as paths, identical bytes on rerun.

mod common;

use std::path::Path;

use liaison::config::Config;

const CHARTS: &[&str] = &[
    "units_deputies_total",
    "units_voters_received",
    "units_publicity_sessions",
    "units_suggestions_collected",
    "units_problems_solved",
    "levels_by_unit",
    "methods_by_unit",
    "trend",
    "heatmap",
    "ledger_rate_by_unit",
];

fn publish_to(out: &Path, month: &str) -> std::path::PathBuf {
    common::publishing::sample(out, month, &Config::embedded()).join("charts")
}

/// RGB pixels of a PNG.
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let d = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut r = d.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let rgb = buf
        .chunks(channels)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// Dark pixels in a rectangle.
fn ink(img: &(u32, u32, Vec<u8>), x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let (w, _, px) = img;
    (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| ((y * w + x) * 3) as usize))
        .filter(|&i| px[i] < 100 && px[i + 1] < 100 && px[i + 2] < 100)
        .count()
}

#[test]
fn every_chart_is_drawn_with_chinese_and_reruns_are_identical() {
    let out = tempfile::tempdir().unwrap();
    publish_to(out.path(), "2022-05");
    let dir = publish_to(out.path(), "2022-06");
    for name in CHARTS {
        let img = decode(&dir.join(format!("{name}.png")));
        assert_eq!((img.0, img.1), (1200, 800), "{name}");
        // The title band has text; the font's .notdef (box) glyph is never needed for it.
        assert!(ink(&img, 200, 0, 1000, 50) > 300, "{name}: no title text");
        let svg = std::fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(
            !doc.descendants().any(|n| n.has_tag_name("text")),
            "{name}: text left as <text>"
        );
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert!(
            titles.iter().any(|t| t.contains("长沙县")),
            "{name}: the title is drawn as paths"
        );
        // Every text the chart draws (each path keeps its text as a title) has a glyph in
        // the shipped font: none is drawn as the font's box.
        for t in &titles {
            let missing = liaison::report::font::missing_glyphs(t);
            assert!(missing.is_empty(), "{name}: {t:?} lacks {missing:?}");
        }
    }
    let again = tempfile::tempdir().unwrap();
    publish_to(again.path(), "2022-05");
    let dir2 = publish_to(again.path(), "2022-06");
    assert_eq!(common::hash_tree(&dir), common::hash_tree(&dir2));
}

#[test]
fn a_config_with_a_character_the_font_lacks_is_warned() {
    let mut config = Config::embedded();
    config.units[0].name = "𪚥街道".into();
    let w = liaison::report::charts::glyph_warnings(&config);
    assert_eq!(w.len(), 1);
    assert!(w[0].contains('𪚥'));
    assert!(liaison::report::charts::glyph_warnings(&Config::embedded()).is_empty());
}

/// A month whose returns hold no station row (templates sent back empty) still publishes:
/// empty charts, no panic in the drawing library, no chart range out of order.
#[test]
fn a_month_with_no_station_rows_publishes() {
    let config = Config::embedded();
    let period = liaison::core::Period::new(2022, 5).unwrap();
    let month = tempfile::tempdir().unwrap();
    let unit = &config.units[0];
    let bytes =
        liaison::forms::template::build(&config, unit, period, &Default::default()).unwrap();
    std::fs::write(
        month
            .path()
            .join(liaison::forms::template::file_name(unit, period)),
        bytes,
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = assert_cmd::Command::cargo_bin("liaison")
        .unwrap()
        .arg("--output")
        .arg(out.path())
        .args(["report", "--period", "2022-05", "--allow-partial"])
        .arg(month.path())
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(out.path().join("2022-05/charts/trend.png").is_file());
}
