//! The CJK font that ships with the project (a Noto Sans SC subset, OFL), its registration for
//! plotters, glyph coverage checks, and SVG text turned into paths so no font is needed to view.

use std::sync::{Once, OnceLock};

use ab_glyph::{Font, FontRef, OutlineCurve};
use regex::Regex;

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

fn text_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"<text ([^>]*)>([^<]*)</text>"#).expect("valid regex"))
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = attrs.find(&key)? + key.len();
    let end = attrs[start..].find('"')? + start;
    Some(&attrs[start..end])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Replaces every `<text>` plotters wrote with the glyph outlines of the shipped font as a
/// `<path>`, so the SVG looks the same on a machine without any CJK font.
pub fn svg_text_to_paths(svg: &str) -> String {
    let f = font();
    let upem = f.units_per_em().unwrap_or(1000.0);
    text_re()
        .replace_all(svg, |c: &regex::Captures| {
            let a = &c[1];
            let text = unescape(&c[2]);
            let num = |n: &str| attr(a, n).and_then(|v| v.parse::<f32>().ok()).unwrap_or(0.0);
            let size = num("font-size");
            let s = size / upem;
            let ids: Vec<_> = text.chars().map(|ch| f.glyph_id(ch)).collect();
            let width: f32 = ids.iter().map(|g| f.h_advance_unscaled(*g) * s).sum();
            let x0 = num("x") - match attr(a, "text-anchor") {
                Some("end") => width,
                Some("middle") => width / 2.0,
                _ => 0.0,
            };
            let baseline = num("y")
                + match attr(a, "dy") {
                    Some("0.76em") => 0.76 * size,
                    Some("0.5ex") => 0.25 * size,
                    Some("-0.5ex") => -0.25 * size,
                    _ => 0.0,
                };
            let mut d = String::new();
            let mut pen = x0;
            for g in ids {
                if let Some(outline) = f.outline(g) {
                    let p = |pt: ab_glyph::Point| (pen + pt.x * s, baseline - pt.y * s);
                    let mut last: Option<ab_glyph::Point> = None;
                    for curve in &outline.curves {
                        let start = match curve {
                            OutlineCurve::Line(a, _) | OutlineCurve::Quad(a, _, _) | OutlineCurve::Cubic(a, _, _, _) => *a,
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
                                last = Some(*b);
                            }
                            OutlineCurve::Quad(_, b, e) => {
                                let ((bx, by), (ex, ey)) = (p(*b), p(*e));
                                d.push_str(&format!("Q{bx:.2} {by:.2} {ex:.2} {ey:.2}"));
                                last = Some(*e);
                            }
                            OutlineCurve::Cubic(_, b, c2, e) => {
                                let ((bx, by), (cx, cy), (ex, ey)) = (p(*b), p(*c2), p(*e));
                                d.push_str(&format!("C{bx:.2} {by:.2} {cx:.2} {cy:.2} {ex:.2} {ey:.2}"));
                                last = Some(*e);
                            }
                        }
                    }
                    if last.is_some() {
                        d.push('Z');
                    }
                }
                pen += f.h_advance_unscaled(g) * s;
            }
            let fill = attr(a, "fill").unwrap_or("#000000");
            let opacity = attr(a, "opacity").unwrap_or("1");
            let transform = attr(a, "transform").map(|t| format!(" transform=\"{t}\"")).unwrap_or_default();
            let title = text.replace('&', "&amp;").replace('<', "&lt;");
            format!("<path d=\"{d}\" fill=\"{fill}\" opacity=\"{opacity}\"{transform}><title>{title}</title></path>")
        })
        .into_owned()
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
    fn svg_text_becomes_paths() {
        let svg = r##"<svg><text x="10" y="20" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="16" opacity="1" fill="#000000">星沙 &amp; 5月</text></svg>"##;
        let out = svg_text_to_paths(svg);
        assert!(!out.contains("<text"), "{out}");
        assert!(out.contains("<path d=\"M") && out.contains("<title>星沙 &amp; 5月</title>"));
    }
}
