//! Small text helpers shared by every stage: width-folding, cell addresses, distances.
//! Pure functions, no I/O.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Whether NFKC would leave `s` as it is: every character one that NFKC never changes and
/// that never combines (ASCII, the CJK Unified Ideographs, 、。〈〉《》「」『』【】 and curly
/// quotes: what a Chinese header or name is made of), else the normalizer's quick check.
pub(crate) fn nfkc_already(s: &str) -> bool {
    s.chars().all(stable_under_nfkc) || is_nfkc_quick(s.chars()) == IsNormalized::Yes
}

/// A character NFKC leaves as it is and that no following character combines with.
fn stable_under_nfkc(c: char) -> bool {
    matches!(c,
        '\0'..='\x7f'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{3002}'
        | '\u{3008}'..='\u{3011}'
        | '\u{2018}'..='\u{2019}'
        | '\u{201C}'..='\u{201D}')
}

/// Width-folds (full-width → half-width, NFKC), trims, and drops all whitespace and the
/// characters that show nothing (zero-width spaces and joiners, a byte-order mark, a soft
/// hyphen: pasted from web pages and chat messages, they never tell two texts apart).
///
/// ```
/// assert_eq!(liaison::core::text::fold(" 星沙　街道 "), "星沙街道");
/// assert_eq!(liaison::core::text::fold("１２"), "12");
/// assert_eq!(liaison::core::text::fold("星沙\u{200B}街道\u{FEFF}"), "星沙街道");
/// ```
pub fn fold(s: &str) -> String {
    if nfkc_already(s) {
        // Skip the normalizer where it would change nothing (most cells are numbers or
        // plain Chinese text).
        return s.chars().filter(|&c| !blank(c)).collect();
    }
    s.nfkc().filter(|&c| !blank(c)).collect()
}

/// Whitespace, or a character that shows nothing.
fn blank(c: char) -> bool {
    c.is_whitespace() || invisible(c)
}

/// A character that shows nothing and is not whitespace: zero-width space, non-joiner, joiner,
/// the direction marks, word joiner and invisible operators, byte-order mark, soft hyphen.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// Width-folds and trims, keeping inner whitespace (collapsed to one space).
pub fn fold_keep_spaces(s: &str) -> String {
    if nfkc_already(s) {
        return words(s);
    }
    let folded: String = s.nfkc().collect();
    words(&folded)
}

/// The words of `s` joined by one space, in one string.
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.contains(invisible) {
            out.extend(w.chars().filter(|&c| !invisible(c)));
        } else {
            out.push_str(w);
        }
    }
    out
}

/// The A1 name of a zero-based (row, column): `(7, 9)` → `J8`.
///
/// ```
/// assert_eq!(liaison::core::text::a1(7, 9), "J8");
/// assert_eq!(liaison::core::text::a1(0, 26), "AA1");
/// ```
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// The zero-based (row, column) of an A1 name, as written in OOXML cell references (letters
/// in any case, up to three; the row from 1): `J8` → `(7, 9)`.
///
/// ```
/// assert_eq!(liaison::core::text::a1_position("J8"), Some((7, 9)));
/// assert_eq!(liaison::core::text::a1_position("XFD1048576"), Some((1_048_575, 16_383)));
/// assert_eq!(liaison::core::text::a1_position("1A"), None);
/// assert_eq!(liaison::core::text::a1_position("A0"), None);
/// ```
pub fn a1_position(s: &str) -> Option<(u64, u64)> {
    let v = s.as_bytes();
    let letters = v.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = v[..letters].iter().fold(0u64, |a, b| {
        a * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let digits = &s[letters..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 10 {
        return None;
    }
    let row: u64 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The letters of a zero-based column: 0 → A, 27 → AB.
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push(b'A' + r);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

pub use crate::core::period::{Period, find_period};

/// Characters in `a` and `b` edit distance, for "did you mean" suggestions.
pub fn char_distance(a: &str, b: &str) -> usize {
    strsim::generic_levenshtein(
        &a.chars().collect::<Vec<_>>(),
        &b.chars().collect::<Vec<_>>(),
    )
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fills `{name}` placeholders from `vars`; unknown names are left as written.
///
/// ```
/// use std::collections::BTreeMap;
/// let mut v = BTreeMap::new();
/// v.insert("scope".to_string(), "全县".to_string());
/// assert_eq!(liaison::report::briefing::fill("{scope}共有", &v), "全县共有");
/// ```
pub fn fill(template: &str, vars: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_in_text_ignores_other_numbers() {
        assert_eq!(find_period("联系电话 13812345678"), None);
        assert_eq!(
            find_period("统计时间:2022年5月1日-5月31日"),
            Period::new(2022, 5)
        );
        assert_eq!(find_period("２０２２年５月"), Period::new(2022, 5));
    }

    #[test]
    fn columns() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(16383), "XFD");
    }
}
