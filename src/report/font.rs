//! The CJK font that ships with the project (a Noto Sans SC subset, OFL), its registration for
//! plotters, glyph coverage checks, and SVG text turned into paths so no font is needed to view.

use std::collections::HashMap;
use std::sync::{LazyLock, Once};

use ab_glyph::{Font, FontRef, GlyphId, Outline, OutlineCurve};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// The subset font (`assets/fonts/NotoSansSC-liaison.otf`, made by `make_subset.py`).
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-liaison.otf");
/// The family name charts use.
pub const FAMILY: &str = "sans-serif";

/// The shipped font, parsed once (its CFF tables take longer to parse than a chart's text
/// takes to outline).
static PARSED: LazyLock<FontRef<'static>> =
    LazyLock::new(|| FontRef::try_from_slice(FONT).expect("the shipped font parses"));

/// The shipped font, parsed.
pub(crate) fn font() -> &'static FontRef<'static> {
    &PARSED
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

/// Appends `v` exactly as `format!("{v:.2}")` writes it, without the general float formatter
/// (the SVG paths hold tens of thousands of numbers): `v` × 100 is exact in f64 (a 24-bit
/// significand times 7 bits), and an exact tie rounds to even as the formatter rounds it; the
/// sign of a negative value that rounds to zero is kept (`-0.00`), as the formatter keeps it.
fn push_2dp(out: &mut String, v: f32) {
    let scaled = f64::from(v) * 100.0;
    if !scaled.is_finite() || scaled.abs() >= 1e15 {
        out.push_str(&format!("{v:.2}"));
        return;
    }
    let n = scaled.round_ties_even().abs() as u64;
    if v.is_sign_negative() {
        out.push('-');
    }
    let (mut int, frac) = (n / 100, n % 100);
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (int % 10) as u8;
        int /= 10;
        if int == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|b| char::from(*b)));
    out.push('.');
    out.push(char::from(b'0' + (frac / 10) as u8));
    out.push(char::from(b'0' + (frac % 10) as u8));
}

/// Appends a path command and its points: `M12.00 3.50`, `Q… … … …`.
fn push_command(d: &mut String, cmd: char, points: &[(f32, f32)]) {
    d.push(cmd);
    for (k, (x, y)) in points.iter().enumerate() {
        if k > 0 {
            d.push(' ');
        }
        push_2dp(d, *x);
        d.push(' ');
        push_2dp(d, *y);
    }
}

/// Glyph outlines of the shipped font (in font units), each read from its charstring once per
/// SVG: a chart's labels repeat the same digits and unit names.
#[derive(Default)]
struct Outlines(HashMap<GlyphId, Option<Outline>>);

impl Outlines {
    fn get(&mut self, g: GlyphId) -> Option<&Outline> {
        self.0
            .entry(g)
            .or_insert_with(|| font().outline(g))
            .as_ref()
    }
}

/// The outline of `text` set in the shipped font with its pen at `x0` and `baseline`, as SVG
/// path data.
fn outline_path(
    text: &str,
    (x0, baseline, size): (f32, f32, f32),
    outlines: &mut Outlines,
) -> String {
    let f = font();
    let s = size / f.units_per_em().unwrap_or(1000.0);
    let mut d = String::new();
    let mut pen = x0;
    for g in text.chars().map(|ch| f.glyph_id(ch)) {
        if let Some(outline) = outlines.get(g) {
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
                    push_command(&mut d, 'M', &[p(start)]);
                }
                match curve {
                    OutlineCurve::Line(_, b) => push_command(&mut d, 'L', &[p(*b)]),
                    OutlineCurve::Quad(_, b, e) => push_command(&mut d, 'Q', &[p(*b), p(*e)]),
                    OutlineCurve::Cubic(_, b, c2, e) => {
                        push_command(&mut d, 'C', &[p(*b), p(*c2), p(*e)]);
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
fn text_as_path(
    attrs: &[(String, String)],
    text: &str,
    outlines: &mut Outlines,
) -> BytesStart<'static> {
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
    let d = outline_path(text, (x0, baseline, size), outlines);
    path.push_attribute(("d", d.as_str()));
    path.push_attribute(("fill", get("fill").unwrap_or("#000000")));
    path.push_attribute(("opacity", get("opacity").unwrap_or("1")));
    if let Some(t) = get("transform") {
        path.push_attribute(("transform", t));
    }
    path
}

/// A `<text>`'s content as drawn: plotters writes it on a line of its own ("\n星沙街道\n"),
/// and a line break with the spaces around it is layout of the file, not text (it would be
/// set as a box's width, moving the whole text); every other character is kept, spaces too.
fn unwrapped(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_string();
    }
    text.split(['\n', '\r'])
        .enumerate()
        .map(|(i, line)| {
            let line = if i > 0 { line.trim_start() } else { line };
            line.trim_end()
        })
        .collect()
}

/// Replaces every `<text>` plotters wrote with the glyph outlines of the shipped font as a
/// `<path>` (its text kept in a `<title>`), so the SVG looks the same on a machine without any
/// CJK font. The SVG is read and written as XML (quick-xml), whatever plotters' formatting.
pub fn svg_text_to_paths(svg: &str) -> String {
    let mut reader = Reader::from_str(svg);
    let mut writer = Writer::new(Vec::new());
    let mut open: Option<(Vec<(String, String)>, String)> = None;
    let mut outlines = Outlines::default();
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
                let text = unwrapped(&text);
                let path = text_as_path(&attrs, &text, &mut outlines);
                let _ = writer.write_event(Event::Start(path));
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
    fn path_numbers_are_written_as_the_float_formatter_writes_them() {
        let check = |v: f32| {
            let mut s = String::new();
            push_2dp(&mut s, v);
            assert_eq!(s, format!("{v:.2}"), "{v:e}");
        };
        // Exact ties (multiples of 1/1024 round half to even), signs, zeros, large values,
        // and what the fallback writes.
        for k in -1_000_000..=1_000_000 {
            check(k as f32 / 1024.0);
        }
        for v in [
            0.0,
            -0.0,
            -0.001,
            0.005,
            1e14,
            -1e16,
            f32::MAX,
            f32::NAN,
            f32::INFINITY,
        ] {
            check(v);
        }
        // Every bit pattern's neighbourhood, by a fixed xorshift.
        let mut x: u32 = 0x9E37_79B9;
        for _ in 0..1_000_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            check(f32::from_bits(x));
        }
    }

    #[test]
    fn svg_text_becomes_paths() {
        let svg = r##"<svg><text x="10" y="20" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="16" opacity="1" fill="#000000">星沙 &amp; 5月</text></svg>"##;
        let out = svg_text_to_paths(svg);
        assert!(!out.contains("<text"), "{out}");
        assert!(out.contains("<path d=\"M") && out.contains("<title>星沙 &amp; 5月</title>"));
        assert!(out.starts_with("<svg>") && out.ends_with("</svg>"), "{out}");
    }

    #[test]
    fn the_line_breaks_plotters_writes_around_a_text_are_not_set() {
        let attrs =
            |anchor: &str| format!(r##"x="100" y="20" text-anchor="{anchor}" font-size="20""##);
        for anchor in ["start", "end", "middle"] {
            let a = svg_text_to_paths(&format!(
                "<svg><text {}>\n 星沙 779\n</text></svg>",
                attrs(anchor)
            ));
            let b = svg_text_to_paths(&format!(
                "<svg><text {}>星沙 779</text></svg>",
                attrs(anchor)
            ));
            assert_eq!(a, b, "{anchor}");
            assert!(b.contains("<title>星沙 779</title>"), "{b}");
        }
        assert_eq!(unwrapped(" 779"), " 779", "padding kept");
    }
}
