//! The CJK font that ships with the project (a Noto Sans SC subset, OFL), its registration for
//! plotters, glyph coverage checks, and SVG text turned into paths so no font is needed to view.

use std::sync::Once;

use ab_glyph::{Font, FontRef, OutlineCurve};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The subset font (`assets/fonts/NotoSansSC-liaison.otf`, made by `make_subset.py`).
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-liaison.otf");
/// The family name charts use.
pub const FAMILY: &str = "sans-serif";

fn font() -> FontRef<'static> {
    FontRef::try_from_slice(FONT).expect("the shipped font parses")
}

/// Registers the font with plotters (once), before any text is drawn.
pub fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [
            plotters::style::FontStyle::Normal,
            plotters::style::FontStyle::Bold,
        ] {
            let _ = plotters::style::register_font(FAMILY, style, FONT);
        }
    });
}

/// Characters of `text` the font has no glyph for (they would show as boxes).
///
/// ```
/// assert!(liaison::report::font::missing_glyphs("长沙县星沙街道 2022年5月").is_empty());
/// assert_eq!(liaison::report::font::missing_glyphs("𠀀"), vec!['𠀀']);
/// ```
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let f = font();
    let mut v: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && f.glyph_id(*c).0 == 0)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A length of the `dy` attribute in pixels: `0.76em`, `-0.5ex`, `3` or `3px`.
fn length(v: &str, size: f32) -> f32 {
    let num = |t: &str| t.trim().parse::<f32>().unwrap_or(0.0);
    if let Some(n) = v.strip_suffix("em") {
        num(n) * size
    } else if let Some(n) = v.strip_suffix("ex") {
        num(n) * size * 0.5
    } else {
        num(v.trim_end_matches("px"))
    }
}

/// The outline of `text` set in the shipped font with its pen at `x0` and `baseline`, as SVG
/// path data.
fn outline_path(text: &str, x0: f32, baseline: f32, size: f32) -> String {
    let f = font();
    let s = size / f.units_per_em().unwrap_or(1000.0);
    let mut d = String::new();
    let mut pen = x0;
    for g in text.chars().map(|ch| f.glyph_id(ch)) {
        if let Some(outline) = f.outline(g) {
            let p = |pt: ab_glyph::Point| (pen + pt.x * s, baseline - pt.y * s);
            let mut last: Option<ab_glyph::Point> = None;
            for curve in &outline.curves {
                let (start, end) = match curve {
                    OutlineCurve::Line(a, e) | OutlineCurve::Quad(a, _, e) => (*a, *e),
                    OutlineCurve::Cubic(a, _, _, e) => (*a, *e),
                };
                if last != Some(start) {
                    if last.is_some() {
                        d.push('Z');
                    }
                    let (x, y) = p(start);
                    d.push_str(&format!("M{x:.2} {y:.2}"));
                }
                match curve {
                    OutlineCurve::Line(_, b) => {
                        let (x, y) = p(*b);
                        d.push_str(&format!("L{x:.2} {y:.2}"));
                    }
                    OutlineCurve::Quad(_, b, e) => {
                        let ((bx, by), (ex, ey)) = (p(*b), p(*e));
                        d.push_str(&format!("Q{bx:.2} {by:.2} {ex:.2} {ey:.2}"));
                    }
                    OutlineCurve::Cubic(_, b, c2, e) => {
                        let ((bx, by), (cx, cy), (ex, ey)) = (p(*b), p(*c2), p(*e));
                        d.push_str(&format!("C{bx:.2} {by:.2} {cx:.2} {cy:.2} {ex:.2} {ey:.2}"));
                    }
                }
                last = Some(end);
            }
            if last.is_some() {
                d.push('Z');
            }
        }
        pen += f.h_advance_unscaled(g) * s;
    }
    d
}

/// One `<text>` element as a `<path>` of glyph outlines, with the text kept as its title.
fn text_as_path(attrs: &[(String, String)], text: &str) -> BytesStart<'static> {
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let num = |k: &str| get(k).and_then(|v| v.parse::<f32>().ok()).unwrap_or(0.0);
    let size = num("font-size");
    let f = font();
    let s = size / f.units_per_em().unwrap_or(1000.0);
    let width: f32 = text
        .chars()
        .map(|ch| f.h_advance_unscaled(f.glyph_id(ch)) * s)
        .sum();
    let x0 = num("x")
        - match get("text-anchor") {
            Some("end") => width,
            Some("middle") => width / 2.0,
            _ => 0.0,
        };
    let baseline = num("y") + get("dy").map_or(0.0, |v| length(v, size));
    let mut path = BytesStart::new("path");
    path.push_attribute(("d", outline_path(text, x0, baseline, size).as_str()));
    path.push_attribute(("fill", get("fill").unwrap_or("#000000")));
    path.push_attribute(("opacity", get("opacity").unwrap_or("1")));
    if let Some(t) = get("transform") {
        path.push_attribute(("transform", t));
    }
    path
}

/// Replaces every `<text>` plotters wrote with the glyph outlines of the shipped font as a
/// `<path>` (its text kept in a `<title>`), so the SVG looks the same on a machine without any
/// CJK font. The SVG is read and written as XML (quick-xml), whatever plotters' formatting.
pub fn svg_text_to_paths(svg: &str) -> String {
    let mut reader = Reader::from_str(svg);
    let mut writer = Writer::new(Vec::new());
    let mut open: Option<(Vec<(String, String)>, String)> = None;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match (&mut open, event) {
            (None, Event::Start(e)) if e.name().as_ref() == "text" => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let v = quick_xml::escape::unescape(&a.value)
                            .map(|v| v.into_owned())
                            .unwrap_or_default();
                        (a.key.as_ref().to_string(), v)
                    })
                    .collect();
                open = Some((attrs, String::new()));
            }
            (Some((_, text)), Event::Text(t)) => {
                text.push_str(&t.xml10_content());
            }
            (Some((_, text)), Event::GeneralRef(r)) => {
                let name = r.xml10_content();
                let entity = format!("&{name};");
                text.push_str(&quick_xml::escape::unescape(&entity).unwrap_or_default());
            }
            (Some(_), Event::End(e)) if e.name().as_ref() == "text" => {
                let (attrs, text) = open.take().unwrap_or_default();
                let _ = writer.write_event(Event::Start(text_as_path(&attrs, &text)));
                let _ = writer.write_event(Event::Start(BytesStart::new("title")));
                let _ = writer.write_event(Event::Text(BytesText::new(&text)));
                let _ = writer.write_event(Event::End(BytesEnd::new("title")));
                let _ = writer.write_event(Event::End(BytesEnd::new("path")));
            }
            (Some(_), _) => {}
            (None, e) => {
                let _ = writer.write_event(e);
            }
        }
    }
    String::from_utf8(writer.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn every_label_of_both_configs_has_a_glyph() {
        let hetang =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/hetang.toml"))
                .unwrap();
        for config in [
            Config::embedded(),
            Config::from_toml(&hetang, "hetang").unwrap(),
        ] {
            for t in config.display_texts() {
                assert!(
                    missing_glyphs(&t).is_empty(),
                    "{t}: {:?}",
                    missing_glyphs(&t)
                );
            }
        }
        let t = "进站代表人数 接待走访选民 初步 全县 全区 月份 趋势 层级 活动方式 各镇街 人次 场次 条 个 0123456789-/()（）·";
        assert!(missing_glyphs(t).is_empty(), "{t}");
    }

    #[test]
    fn dy_lengths_in_any_unit() {
        assert!((length("0.76em", 10.0) - 7.6).abs() < 1e-4);
        assert!((length("-0.5ex", 10.0) + 2.5).abs() < 1e-4);
        assert!((length("3px", 10.0) - 3.0).abs() < 1e-4);
        assert!((length("4", 10.0) - 4.0).abs() < 1e-4);
    }

    #[test]
    fn svg_text_becomes_paths() {
        let svg = r##"<svg><text x="10" y="20" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="16" opacity="1" fill="#000000">星沙 &amp; 5月</text></svg>"##;
        let out = svg_text_to_paths(svg);
        assert!(!out.contains("<text"), "{out}");
        assert!(out.contains("<path d=\"M") && out.contains("<title>星沙 &amp; 5月</title>"));
        assert!(out.starts_with("<svg>") && out.ends_with("</svg>"), "{out}");
    }
}
