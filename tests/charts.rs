//! Charts: every chart as PNG and SVG, Chinese drawn with the shipped font (text pixels where
//! the title is, and not the font's box glyph), SVG text as paths, identical bytes on rerun.

use crate::common;

use std::path::Path;

use liaison::config::Config;

/// The charts' file names: Chinese, as a clerk looks for them (README, docs/档案说明.md).
const CHARTS: &[&str] = &[
    "各镇街进站代表人数",
    "各镇街接待走访选民",
    "各镇街政策法规宣讲",
    "各镇街收集意见建议",
    "各镇街帮助解决问题",
    "各镇街代表层级",
    "各镇街活动方式",
    "逐月趋势",
    "各镇街主要指标对比",
    "各镇街意见建议办结率",
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
    assert_eq!(
        liaison::report::charts::file_names(&Config::embedded()),
        CHARTS
    );
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
    let period = liaison::core::text::Period::new(2022, 5).unwrap();
    let month = tempfile::tempdir().unwrap();
    let unit = &config.units[0];
    let bytes = liaison::forms::template::build(&config, unit, period).unwrap();
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
    assert!(out.path().join("2022-05/charts/逐月趋势.png").is_file());
}

/// Each drawn text of an SVG (kept as its path's title) with the y of its first point.
fn texts(svg: &str) -> Vec<(String, f64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter_map(|n| {
            let title = n.children().find(|c| c.has_tag_name("title"))?.text()?;
            let d = n.attribute("d")?;
            let y = d
                .trim_start_matches('M')
                .split([' ', 'L', 'Q', 'C', 'Z'])
                .nth(1)?;
            Some((title.trim().to_string(), y.parse().ok()?))
        })
        .collect()
}

/// Unit names top to bottom as a chart labels its rows.
fn rows_top_down(svg: &str) -> Vec<String> {
    let config = Config::embedded();
    let mut v: Vec<(String, f64)> = texts(svg)
        .into_iter()
        .filter(|(t, _)| config.units.iter().any(|u| &u.name == t))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1));
    v.into_iter().map(|(t, _)| t).collect()
}

/// What issue 26 found on the printed charts: the trend titled with the county twice, the
/// 办结率 axis past 100 % without a % on its ticks, stacked charts in the config's order while
/// the bar charts are sorted. Every text is at least 20 px of 1200 (8 pt across an A4 page).
#[test]
fn charts_read_as_printed() {
    let out = tempfile::tempdir().unwrap();
    publish_to(out.path(), "2022-05");
    let dir = publish_to(out.path(), "2022-06");
    let svg = |name: &str| std::fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap();

    let trend = texts(&svg("逐月趋势"));
    let title = &trend.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
    assert_eq!(title, "长沙县代表进站活动逐月趋势（2022年5月至2022年6月）");
    assert!(trend.iter().any(|(t, _)| t == "6月"), "months labelled 6月");

    let rate: Vec<String> = texts(&svg("各镇街意见建议办结率"))
        .into_iter()
        .map(|t| t.0)
        .collect();
    for tick in ["0%", "20%", "100%"] {
        assert!(rate.iter().any(|t| t == tick), "{tick} in {rate:?}");
    }
    assert!(!rate.iter().any(|t| t == "120%" || t == "110%"), "{rate:?}");

    // Stacked levels sorted as the deputies' bars (the same totals): largest at the top.
    let bars = rows_top_down(&svg("各镇街进站代表人数"));
    assert_eq!(bars.len(), 18);
    assert_eq!(rows_top_down(&svg("各镇街代表层级")), bars);
    assert_eq!(bars[0], "星沙街道");

    // Glyph heights: the x axis' first tick label ("0", under the plot's left end) is at
    // least 16 px tall, 0.7 of a 22.6 px em: 8 pt or more across an A4 page.
    let img = decode(&dir.join("各镇街接待走访选民.png"));
    let (w, h, px) = &img;
    let dark = |x: u32, y: u32| px[((y * w + x) * 3) as usize] < 100;
    let axis = (h / 2..*h)
        .find(|&y| (300..1000).all(|x| dark(x, y)))
        .expect("the x axis");
    // Under the axis and its tick marks (5 px).
    let dark_rows = (axis + 7..*h)
        .filter(|&y| (125..160).any(|x| dark(x, y)))
        .count();
    assert!(dark_rows >= 16, "tick label {dark_rows} px tall");
    assert_eq!(*w, 1200);
}

/// A year and more in the archive: the trend draws this month and the twelve before it (its
/// title says which), labelled every other month so that labels never run into each other.
#[test]
fn a_long_archive_trends_over_the_last_thirteen_months() {
    use liaison::archive::Options;
    use liaison::core::text::Period;
    let config = Config::embedded();
    let out = tempfile::tempdir().unwrap();
    let months: Vec<Period> = (0..15)
        .map(|k| Period::new(2021 + (3 + k) / 12, ((3 + k) % 12 + 1) as u32).unwrap())
        .collect();
    assert_eq!(months[0].to_string(), "2021-04");
    assert_eq!(months[14].to_string(), "2022-06");
    for (k, p) in months.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        for unit in &config.units {
            let mut unit = unit.clone();
            unit.stations = vec!["第一工作站".into(), "第二工作站".into()];
            let rows = vec![vec![(10 + k) as u64; config.metrics.len()]; 2];
            let bytes = liaison::forms::template::build_filled(&config, &unit, *p, &rows).unwrap();
            std::fs::write(
                dir.path()
                    .join(liaison::forms::template::file_name(&unit, *p)),
                bytes,
            )
            .unwrap();
        }
        let checked = common::publishing::checked(dir.path(), *p, &config);
        assert!(
            !checked.report.has_errors(),
            "{:#?}",
            checked.report.diagnostics
        );
        let last = k == months.len() - 1;
        common::publishing::publish(out.path(), &checked, &config, &Options::default(), last);
    }
    let svg = std::fs::read_to_string(out.path().join("2022-06/charts/逐月趋势.svg")).unwrap();
    let t = texts(&svg);
    let title = &t.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap().0;
    assert_eq!(title, "长沙县代表进站活动逐月趋势（2021年6月至2022年6月）");
    // Five panels, each labelling 6月, 8月 … 6月 (every other month, the last one always).
    let labels: Vec<&str> = t
        .iter()
        .map(|x| x.0.as_str())
        .filter(|x| x.ends_with('月') && x.len() <= 5)
        .collect();
    assert_eq!(
        labels.iter().filter(|l| **l == "6月").count(),
        10,
        "{labels:?}"
    );
    assert_eq!(
        labels.iter().filter(|l| **l == "7月").count(),
        0,
        "{labels:?}"
    );
    assert_eq!(labels.len(), 5 * 7, "{labels:?}");
}
