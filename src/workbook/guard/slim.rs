//! The parts of an .xlsx package as calamine is handed them: its styles part cut to what a
//! value's reading needs (number formats and cell formats), its theme left out.

/// What calamine is given of a kept part: `Keep` it whole, `Drop` it (a theme: calamine only
/// takes the fonts' and fills' colours from it, which a value's reading never uses) or
/// `Slim` (the styles part, see [`styles`]).
pub enum Kept {
    /// The part as it came.
    Keep,
    /// Not given to calamine.
    Drop,
    /// These bytes instead.
    Slim(Vec<u8>),
}

/// How the part `name` (as the zip names it) with `bytes` is handed to calamine.
pub fn kept(name: &str, bytes: &[u8]) -> Kept {
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or_default();
    if lower.contains("/theme/") && file.starts_with("theme") && file.ends_with(".xml") {
        return Kept::Drop;
    }
    if file == "styles.xml" {
        return styles(bytes).map_or(Kept::Keep, Kept::Slim);
    }
    Kept::Keep
}

/// The styles part with only the root element, its `numFmts` and its `cellXfs`, each byte
/// for byte as written and in the order written: what decides whether a number is a date. The fonts, fills and borders
/// calamine would otherwise build a style of for every cell format are left out. `None`
/// (the part is kept whole) where the part is not plain UTF-8 XML without comments, CDATA or
/// processing instructions, has no `cellXfs`, or either element is not found once for certain.
pub fn styles(bytes: &[u8]) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(bytes).ok()?;
    let body = s.strip_prefix('\u{feff}').unwrap_or(s);
    let after_decl = if body.starts_with("<?xml") {
        body.find("?>")? + 2
    } else {
        0
    };
    if body.contains("<!--") || body.contains("<![CDATA[") || body[after_decl..].contains("<?") {
        return None;
    }
    let root = element(body, 0, "styleSheet")?;
    if root.empty {
        return None;
    }
    let offset = s.len() - body.len();
    let mut kept = Vec::new();
    for local in ["numFmts", "cellXfs"] {
        let Some(e) = element(body, root.open_end, local) else {
            continue;
        };
        let end = e.end(body)?;
        if body[end..].contains(local) {
            return None;
        }
        kept.push(e.start..end);
    }
    if !body.contains("cellXfs") || kept.is_empty() {
        return None;
    }
    // As written: calamine reads the number formats it has met when it meets the cell formats.
    kept.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(1024);
    out.push_str(&s[..offset + root.open_end]);
    for r in kept {
        out.push_str(&body[r]);
    }
    out.push_str("</");
    out.push_str(&root.qname);
    out.push('>');
    Some(out.into_bytes())
}

/// A start tag found in the text.
struct Element {
    /// Where its `<` is.
    start: usize,
    /// Just past its `>`.
    open_end: usize,
    /// Its qualified name (`cellXfs`, `x:cellXfs`).
    qname: String,
    /// Written `<… />`.
    empty: bool,
}

impl Element {
    /// Just past the element's end tag (or its empty tag).
    fn end(&self, s: &str) -> Option<usize> {
        if self.empty {
            return Some(self.open_end);
        }
        let close = format!("</{}", self.qname);
        let at = self.open_end + s[self.open_end..].find(&close)?;
        let rest = &s[at + close.len()..];
        let gt = rest.find('>')?;
        rest[..gt]
            .chars()
            .all(char::is_whitespace)
            .then_some(at + close.len() + gt + 1)
    }
}

/// The first start tag at or after `from` whose local name is `local` (any prefix), found by
/// the name: a `<`, an optional prefix and the name, then a space, `/` or `>`.
fn element(s: &str, from: usize, local: &str) -> Option<Element> {
    let b = s.as_bytes();
    let mut at = from;
    while let Some(i) = s[at..].find(local) {
        let name_at = at + i;
        let after = name_at + local.len();
        at = after;
        if !matches!(
            b.get(after),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>')
        ) {
            continue;
        }
        let mut start = name_at;
        if start > 0 && b[start - 1] == b':' {
            start -= 1;
            while start > 0 && is_name_byte(b[start - 1]) {
                start -= 1;
            }
        }
        if start == 0 || b[start - 1] != b'<' || (start < name_at && b[start] == b':') {
            continue;
        }
        let open_end = tag_end(b, after)?;
        return Some(Element {
            start: start - 1,
            open_end,
            qname: s[start..after].to_string(),
            empty: b[open_end - 2] == b'/',
        });
    }
    None
}

/// Whether a byte may be part of a namespace prefix.
fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// Just past the `>` that ends a tag whose attributes start at `from` (a `>` inside a quoted
/// attribute value does not end it).
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, &c) in b[from..].iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'>') => return Some(from + i + 1),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="[&gt;=100]0;&quot;a&gt;b&quot;"/></x:numFmts><x:fonts count="1"><x:font><x:sz val="11"/></x:font></x:fonts><x:cellStyleXfs count="1"><x:xf numFmtId="0"/></x:cellStyleXfs><x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="164" applyNumberFormat="1"><x:alignment horizontal="center"/></x:xf></x:cellXfs><x:cellStyles count="1"/></x:styleSheet>"#;

    #[test]
    fn keeps_the_number_and_cell_formats_byte_for_byte() {
        let slim = String::from_utf8(styles(FULL.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            slim,
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="[&gt;=100]0;&quot;a&gt;b&quot;"/></x:numFmts><x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="164" applyNumberFormat="1"><x:alignment horizontal="center"/></x:xf></x:cellXfs></x:styleSheet>"#
        );
    }

    #[test]
    fn a_raw_gt_in_an_attribute_does_not_end_the_tag() {
        let xml = r#"<styleSheet a="1>0"><numFmts count="1"><numFmt numFmtId="164" formatCode="[>=100]0"/></numFmts><cellXfs count="1"><xf numFmtId="164"/></cellXfs></styleSheet>"#;
        let slim = String::from_utf8(styles(xml.as_bytes()).unwrap()).unwrap();
        assert_eq!(slim, xml);
    }

    #[test]
    fn the_order_written_is_kept() {
        let xml = r#"<styleSheet><cellXfs count="1"><xf numFmtId="164"/></cellXfs><fonts/><numFmts count="1"><numFmt numFmtId="164" formatCode="0"/></numFmts></styleSheet>"#;
        let slim = String::from_utf8(styles(xml.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            slim,
            r#"<styleSheet><cellXfs count="1"><xf numFmtId="164"/></cellXfs><numFmts count="1"><numFmt numFmtId="164" formatCode="0"/></numFmts></styleSheet>"#
        );
    }

    #[test]
    fn a_name_inside_another_or_an_attribute_is_not_the_element() {
        let xml = r#"<styleSheet><fonts a="cellXfs "/><mycellXfs/><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>"#;
        let slim = String::from_utf8(styles(xml.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            slim,
            r#"<styleSheet><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>"#
        );
    }

    #[test]
    fn anything_uncertain_is_kept_whole() {
        for xml in [
            "<styleSheet><!-- <cellXfs> --><cellXfs/></styleSheet>",
            "<styleSheet><fonts/></styleSheet>",
            "<styleSheet/>",
            "<styleSheet><cellXfs><xf/>",
            "<styleSheet><![CDATA[x]]><cellXfs/></styleSheet>",
            "<styleSheet><cellXfs/><cellXfs/></styleSheet>",
            "<styleSheet><fonts name=\"cellXfs\"/><cellXfs/><x cellXfs=\"1\"/></styleSheet>",
        ] {
            assert!(styles(xml.as_bytes()).is_none(), "{xml}");
        }
        assert!(styles(&[0xff, 0xfe, b'<', 0]).is_none());
    }

    #[test]
    fn themes_are_dropped_styles_slimmed_others_kept() {
        assert!(matches!(kept("xl/theme/theme1.xml", b""), Kept::Drop));
        assert!(matches!(
            kept("xl/styles.xml", FULL.as_bytes()),
            Kept::Slim(_)
        ));
        assert!(matches!(kept("xl/worksheets/sheet1.xml", b""), Kept::Keep));
        assert!(matches!(
            kept("xl/styles.xml", b"<styleSheet/>"),
            Kept::Keep
        ));
    }
}
