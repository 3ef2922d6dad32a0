//! Rows between a header and its data that belong to the header and are never stations: a 栏次
//! row (甲 乙 丙 … over the text columns, the column numbers 1 2 3 … over the figures), a units
//! row ((人) (人次) …), the header written again, a row of 本月 / 累计. Told only for certain.

use calamine::Data;

use super::rows::LabelCols;
use super::words::{Matcher, STEMS};
use crate::core::text::fold;
use crate::workbook::{Grid, cell_blank, cell_text};

/// What a row under the header is, as far as the header goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum HeadRow {
    /// Certainly part of the header: not a station, skipped.
    Header,
    /// Lettered like a 栏次 row (甲, 乙, 栏次 …) but its figures are not the consecutive column
    /// numbers: neither a station nor certainly a header row. The text says why.
    Doubtful(String),
    /// Not header-like: read as the row it is.
    No,
}

/// Labels a 栏次 row carries in its text columns.
const NUMBERING: &[&str] = &["栏次", "行次", "列次", "栏号", "栏目", "序号"];

/// Whether a text is a 栏次 row's letter or label (甲, 乙, 栏次).
fn lettering(t: &str) -> bool {
    let t = fold(t);
    !t.is_empty() && (t.chars().all(|c| STEMS.contains(c)) || NUMBERING.contains(&t.as_str()))
}

/// A cell's whole number as a 栏次 row writes it: 3, "3", "(3)", "（3）".
fn column_number(d: &Data) -> Option<u64> {
    match d {
        Data::Int(i) => u64::try_from(*i).ok(),
        Data::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 1e6 => Some(*f as u64),
        Data::String(s) => {
            let t = fold(s);
            let t = t.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']' | '【' | '】'));
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

/// Reads row `r` as part of the header or not. `cols` are the metric columns (`u32::MAX`
/// where a metric has none).
pub(super) fn head_row(
    grid: &Grid,
    r: u32,
    (label_cols, header): (&LabelCols, std::ops::Range<u32>),
    cols: &[u32],
    matcher: &Matcher,
) -> HeadRow {
    let cells: Vec<(u32, &Data)> = (label_cols.c0..=label_cols.c1)
        .map(|c| (c, grid.raw(r, c)))
        .filter(|(_, d)| !cell_blank(d))
        .collect();
    if cells.is_empty() {
        return HeadRow::No;
    }
    // A header row written again (a printed page's header): every text where the header has it.
    if cells.iter().all(|&(c, d)| {
        matches!(d, Data::String(_)) && {
            let t = fold(&cell_text(d));
            header.clone().any(|h| fold(&grid.text(h, c)) == t)
        }
    }) {
        return HeadRow::Header;
    }
    // Header vocabulary only, no figure: the header again, a units row, a row of 本月 / 累计.
    if cells
        .iter()
        .all(|(_, d)| matches!(d, Data::String(s) if matcher.is_header_word(s)))
    {
        return HeadRow::Header;
    }
    // A 栏次 row: its text cells lettered, its numbers the column numbers in order, one over
    // every metric column.
    let mut numbers = Vec::new();
    let mut texts = Vec::new();
    for &(c, d) in &cells {
        match column_number(d) {
            Some(n) => numbers.push((c, n)),
            None => texts.push((c, d)),
        }
    }
    let lettered = !texts.is_empty()
        && texts
            .iter()
            .all(|(_, d)| matches!(d, Data::String(s) if lettering(s)));
    let consecutive = numbers.windows(2).all(|w| w[1].1 == w[0].1 + 1);
    let over_every_metric = cols
        .iter()
        .filter(|&&c| c != u32::MAX)
        .all(|c| numbers.iter().any(|(n, _)| n == c));
    let numbered = !numbers.is_empty() && consecutive && over_every_metric;
    // Its texts header words (asked last: a station's row is not numbered).
    let headerish = || {
        texts
            .iter()
            .all(|(_, d)| matches!(d, Data::String(s) if matcher.is_header_word(s)))
    };
    if numbered && (!texts.is_empty() || numbers.len() >= 3) && headerish() {
        return HeadRow::Header;
    }
    if lettered {
        let letters: Vec<String> = texts.iter().map(|(_, d)| cell_text(d)).collect();
        return HeadRow::Doubtful(format!(
            "写的是“{}”，像是表头下的栏次行，但各项的数字不是连续的栏号（1、2、3……）",
            letters.join("”“")
        ));
    }
    HeadRow::No
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use calamine::Range;

    fn grid(rows: &[Vec<Data>]) -> Grid {
        let mut range = Range::new((0, 0), (rows.len() as u32 - 1, 5));
        for (r, row) in rows.iter().enumerate() {
            for (c, d) in row.iter().enumerate() {
                range.set_value((r as u32, c as u32), d.clone());
            }
        }
        Grid::new("表", range, Vec::new())
    }

    #[test]
    fn header_rows_and_stations() {
        let s = |t: &str| Data::String(t.into());
        let f = |x: f64| Data::Float(x);
        let e = Data::Empty;
        let g = grid(&[
            vec![s("甲"), s("乙"), f(1.0), f(2.0), f(3.0), f(4.0)],
            vec![e.clone(), e.clone(), f(1.0), f(2.0), f(3.0), f(4.0)],
            vec![f(1.0), f(2.0), f(3.0), f(4.0), f(5.0), f(6.0)],
            vec![
                e.clone(),
                s("(人)"),
                s("(人次)"),
                s("（场）"),
                s("条"),
                s("个"),
            ],
            vec![
                s("序号"),
                s("工作站名称"),
                s("全国"),
                s("省"),
                s("市"),
                s("县"),
            ],
            vec![s("栏次"), s("乙"), f(1.0), f(2.0), f(4.0), f(5.0)],
            vec![f(1.0), s("白沙村工作站"), f(1.0), f(2.0), f(3.0), f(4.0)],
            vec![f(1.0), s("乙"), f(7.0), f(2.0), f(3.0), f(4.0)],
        ]);
        let config = Config::embedded();
        let m = Matcher::new(&config);
        let lc = LabelCols {
            c0: 0,
            c1: 5,
            first_figure: 2,
            station: Some(1),
        };
        let cols = [2, 3, 4, 5];
        let got: Vec<HeadRow> = (0..8)
            .map(|r| head_row(&g, r, (&lc, 4..5), &cols, &m))
            .collect();
        assert_eq!(got[..5], vec![HeadRow::Header; 5][..]);
        assert!(matches!(got[5], HeadRow::Doubtful(_)), "{:?}", got[5]);
        assert_eq!(got[6], HeadRow::No);
        assert!(matches!(got[7], HeadRow::Doubtful(_)), "{:?}", got[7]);
    }
}
