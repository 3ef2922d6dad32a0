//! Metric columns split by period: 本月 (the month's figure, the one read) beside 累计 (the
//! year so far, never counted, only compared with the archive), named in the header cell
//! ("接待走访选民(本月)", "本年累计接待走访选民") or in a header row of their own (本月 | 累计).

use calamine::Data;

use super::header::Layout;
use crate::core::text::fold;
use crate::workbook::Grid;

/// Which part of a metric a header column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    /// No period word: the month's figure (the template's columns).
    #[default]
    Plain,
    /// 本月 / 当月: the month's figure.
    Month,
    /// 累计 / 本年累计 / 自年初累计: the year so far, never counted.
    Cumulative,
    /// 上月, 去年同期, 增减 …: another period's figure or one derived: never read.
    Other,
}

/// The words of each part, folded; the longest is tried first.
const WORDS: &[(&str, Part)] = &[
    ("自年初累计", Part::Cumulative),
    ("本年累计数", Part::Cumulative),
    ("本年累计", Part::Cumulative),
    ("今年累计", Part::Cumulative),
    ("年度累计", Part::Cumulative),
    ("全年累计", Part::Cumulative),
    ("年初至今", Part::Cumulative),
    ("累计数", Part::Cumulative),
    ("累计", Part::Cumulative),
    ("本月数", Part::Month),
    ("当月数", Part::Month),
    ("本月份", Part::Month),
    ("本期数", Part::Month),
    ("本月", Part::Month),
    ("当月", Part::Month),
    ("本期", Part::Month),
    ("去年同期", Part::Other),
    ("上年同期", Part::Other),
    ("上月数", Part::Other),
    ("上月", Part::Other),
    ("同期", Part::Other),
    ("增减", Part::Other),
    ("同比", Part::Other),
    ("环比", Part::Other),
];

/// One character of every part word (`WORDS`): a text with none of them holds none.
const WORD_MARKS: &[char] = &['累', '月', '期', '今', '增', '比'];

/// Separators between a metric's name and its part ("接待走访选民-本月").
const SEPARATORS: &[char] = &['-', '·', '/', '|', '_', ':', '—', '・'];

/// Splits a cleaned header text (folded, measure words removed) into what names the metric
/// and the part it holds: "本月" → ("", Month); "接待走访选民(累计)", "累计接待走访选民" →
/// ("接待走访选民", Cumulative); a text with no part word → (itself, Plain).
///
/// ```
/// use liaison::forms::monthly::split::{Part, split_part};
/// assert_eq!(split_part("接待走访选民(本月)"), ("接待走访选民", Part::Month));
/// assert_eq!(split_part("本年累计接待走访选民"), ("接待走访选民", Part::Cumulative));
/// assert_eq!(split_part("收集意见建议-自年初累计"), ("收集意见建议", Part::Cumulative));
/// assert_eq!(split_part("累计"), ("", Part::Cumulative));
/// assert_eq!(split_part("接待走访选民"), ("接待走访选民", Part::Plain));
/// ```
pub fn split_part(clean: &str) -> (&str, Part) {
    // Every part word is Chinese: an ASCII text (a number) holds none.
    if clean.is_ascii() {
        return (clean, Part::Plain);
    }
    // Every part word holds one of these characters (a test checks it): a text with none of
    // them (a station's name, a note) holds no part word.
    if !clean.contains(WORD_MARKS) {
        return (clean, Part::Plain);
    }
    for &(w, part) in WORDS {
        if clean == w {
            return ("", part);
        }
        let bracketed = clean
            .strip_suffix(')')
            .and_then(|s| s.strip_suffix(w))
            .and_then(|s| s.strip_suffix('('));
        let rest = bracketed
            .or_else(|| clean.strip_suffix(w))
            .or_else(|| clean.strip_prefix(w))
            .map(|s| s.trim_matches(SEPARATORS));
        if let Some(rest) = rest.filter(|r| !r.is_empty()) {
            return (rest, part);
        }
    }
    (clean, Part::Plain)
}

/// The part a cell names alone (a cell of a row of part words), if that is all it holds.
fn part_alone(d: &Data) -> Option<Part> {
    let Data::String(s) = d else {
        return None;
    };
    let t = fold(s);
    let t = t.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']' | '【' | '】'));
    match split_part(t) {
        ("", part) => Some(part),
        _ => None,
    }
}

/// A row right under the header that names only parts (本月 | 累计 | 本月 | 累计 …) is part of
/// the header: each column under a metric takes the part named below it, and a column under
/// no metric whose own header cell is blank ("全国" written once over 本月 | 累计, not merged)
/// continues the metric on its left.
pub(super) fn extend_with_part_row(grid: &Grid, layout: &mut Layout) {
    let Some(((_, c0), (_, c1))) = grid.bounds() else {
        return;
    };
    let r = layout.data_row();
    let mut parts = Vec::new();
    for c in c0..=c1 {
        let d = grid.raw(r, c);
        if matches!(d, Data::Empty) {
            continue;
        }
        match part_alone(d) {
            Some(p) => parts.push((c, p)),
            None => return,
        }
    }
    if !parts
        .iter()
        .any(|(_, p)| matches!(p, Part::Month | Part::Cumulative))
    {
        return;
    }
    let bottom = r - 1;
    for (c, part) in parts {
        if let Some(h) = layout.hits.iter_mut().find(|h| h.0 == c) {
            if h.2 == Part::Plain {
                h.2 = part;
            }
            continue;
        }
        let left = c
            .checked_sub(1)
            .and_then(|l| layout.hits.iter().find(|h| h.0 == l))
            .map(|h| h.1);
        if let Some(i) = left
            && grid.text(bottom, c).trim().is_empty()
        {
            layout.hits.push((c, i, part));
        }
    }
    layout.depth += 1;
    layout.derive();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_word_holds_a_mark() {
        for (w, _) in WORDS {
            assert!(w.contains(WORD_MARKS), "{w} holds none of WORD_MARKS");
        }
        // A text with no mark is left whole, whatever else it holds.
        assert_eq!(
            split_part("白沙村工作站(本周)"),
            ("白沙村工作站(本周)", Part::Plain)
        );
    }

    #[test]
    fn parts_in_every_position() {
        for (s, rest, part) in [
            ("本月", "", Part::Month),
            ("本年累计", "", Part::Cumulative),
            ("自年初累计", "", Part::Cumulative),
            ("上月", "", Part::Other),
            ("接待走访选民本月", "接待走访选民", Part::Month),
            ("当月接待走访选民", "接待走访选民", Part::Month),
            ("接待走访选民(累计)", "接待走访选民", Part::Cumulative),
            ("接待走访选民·本年累计", "接待走访选民", Part::Cumulative),
            ("进站代表人数-全国", "进站代表人数-全国", Part::Plain),
        ] {
            assert_eq!(split_part(s), (rest, part), "{s}");
        }
    }
}
