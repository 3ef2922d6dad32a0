//! The parts of an .xlsx package as calamine is handed them: its styles part cut to what a
//! value's reading needs (number formats and cell formats), its theme left out, its sheets
//! without the empty formatted cells a template rules its tables with.

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
    if lower.contains("worksheets/") && !lower.contains("_rels") && file.ends_with(".xml") {
        return sheet(bytes).map_or(Kept::Keep, Kept::Slim);
    }
    Kept::Keep
}

/// A sheet part without its empty cells (`<c r="B5" s="3"/>`: a format, no value, no formula),
/// which the reading skips (`xlsx_cells`) but calamine would build one by one: a template's
/// ruled 300-row ledger is 3,000 of them. `None` (the part kept whole) unless every cell of
/// the sheet names its place (`r="B5"`: a cell without one takes the place after the cell
/// before it, which must then stay), or where anything is uncertain: a comment, CDATA or a
/// processing instruction in the sheet's data, an empty cell with an attribute other than
/// `r`, `s`, `t`, `cm`, `vm` or `ph`, or a place that is not a plain A1 address.
pub fn sheet(bytes: &[u8]) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(bytes).ok()?;
    let data = element(s, 0, "sheetData")?;
    if data.empty {
        return None;
    }
    let close = format!("</{}", data.qname);
    let end = data.open_end + memchr::memmem::find(&bytes[data.open_end..], close.as_bytes())?;
    let b = &bytes[..end];
    // Without a comment, CDATA or processing instruction, every `<` of the sheet's data starts
    // a tag (XML allows none in a text or an attribute value): the cells are found by their
    // name, not by reading every tag between them.
    let body = &b[data.open_end..];
    if memchr::memmem::find(body, b"<!").is_some() || memchr::memmem::find(body, b"<?").is_some() {
        return None;
    }
    let prefix = &data.qname[..data.qname.len() - "sheetData".len()];
    let open = format!("<{prefix}c");
    let cells = memchr::memmem::Finder::new(open.as_bytes());
    let (mut out, mut copied, mut at) = (Vec::new(), 0, data.open_end);
    loop {
        // A row's cells are most often written one right after the other.
        let start = match b[at..].starts_with(open.as_bytes()) {
            true => at,
            false => match cells.find(&b[at..]) {
                Some(i) => at + i,
                None => break,
            },
        };
        let name_end = start + open.len();
        if !matches!(
            b.get(name_end),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>')
        ) {
            at = name_end; // another element whose name starts with c (`<col`)
            continue;
        }
        let tag = match plain_empty(b, name_end) {
            Some(end) => CellTag {
                end,
                empty: true,
                plain: true,
            },
            None => cell_tag(s, name_end)?,
        };
        at = tag.end;
        if !tag.empty {
            continue;
        }
        if !tag.plain {
            return None;
        }
        if out.is_empty() {
            out.reserve(bytes.len());
        }
        out.extend_from_slice(&b[copied..start]);
        copied = tag.end;
    }
    if copied == 0 {
        return None;
    }
    out.extend_from_slice(&bytes[copied..]);
    Some(out)
}

/// The end of an empty cell written as most writers write one, `<c r="B5" s="3"/>` (or without
/// its `s`), read from just after its name; `None` for any other writing (then read by
/// [`cell_tag`], which gives the same answer for this one, only slower).
fn plain_empty(b: &[u8], at: usize) -> Option<usize> {
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = at;
    b[i..].starts_with(b" r=\"").then_some(())?;
    i += 4;
    let letters = b[i..]
        .iter()
        .take(4)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    (1..=3).contains(&letters).then_some(())?;
    i += letters;
    let row = digits(i);
    ((1..=7).contains(&row) && b[i] != b'0').then_some(())?;
    i += row;
    (b.get(i) == Some(&b'"')).then_some(())?;
    i += 1;
    if b[i..].starts_with(b" s=\"") {
        let n = digits(i + 4);
        (n > 0 && b.get(i + 4 + n) == Some(&b'"')).then_some(())?;
        i += 5 + n;
    }
    b[i..].starts_with(b"/>").then_some(i + 2)
}

/// A cell's start tag, read from just after its name.
struct CellTag {
    /// Just past its `>`.
    end: usize,
    /// Written `<c … />`.
    empty: bool,
    /// Its attributes are among `r`, `s`, `t`, `cm`, `vm`, `ph`, each once, and its place
    /// is a plain A1 address.
    plain: bool,
}

/// Reads a cell's attributes from `at` (just after its name) to the end of its tag; `None`
/// where they are not plainly `name="value"` pairs or the cell does not name its place.
fn cell_tag(s: &str, mut at: usize) -> Option<CellTag> {
    const KNOWN: [&[u8]; 6] = [b"r", b"s", b"t", b"cm", b"vm", b"ph"];
    let b = s.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let (mut seen, mut plain, mut place, mut empty) = (0u8, true, None, false);
    loop {
        while ws(*b.get(at)?) {
            at += 1;
        }
        match b[at] {
            b'>' => break,
            b'/' => {
                (b.get(at + 1) == Some(&b'>')).then_some(())?;
                (at, empty) = (at + 1, true);
                break;
            }
            _ => {}
        }
        let name_start = at;
        while !ws(*b.get(at)?) && b[at] != b'=' {
            at += 1;
        }
        let name = &b[name_start..at];
        while ws(*b.get(at)?) {
            at += 1;
        }
        (b[at] == b'=').then_some(())?;
        at += 1;
        while ws(*b.get(at)?) {
            at += 1;
        }
        let q = *b.get(at).filter(|q| matches!(q, b'"' | b'\''))?;
        let close = at + 1 + memchr::memchr(q, &b[at + 1..])?;
        let value = s.get(at + 1..close)?;
        at = close + 1;
        match KNOWN.iter().position(|k| *k == name) {
            Some(k) if seen & (1 << k) == 0 => seen |= 1 << k,
            _ => plain = false,
        }
        if name == b"r" {
            place = Some(value);
        }
    }
    let place = place?;
    Some(CellTag {
        end: at + 1,
        empty,
        plain: plain && is_a1(place),
    })
}

/// A plain A1 address: one to three capital letters, then a row number that does not start
/// with 0.
fn is_a1(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &s[letters..];
    (1..=3).contains(&letters)
        && (1..=7).contains(&digits.len())
        && digits.bytes().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
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
        let at =
            self.open_end + memchr::memmem::find(&s.as_bytes()[self.open_end..], close.as_bytes())?;
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
    let finder = memchr::memmem::Finder::new(local.as_bytes());
    while let Some(i) = finder.find(&b[at..]) {
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
mod tests;
