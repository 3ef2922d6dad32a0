//! Small text helpers shared by every stage: width-folding, cell addresses, periods.
//! Pure functions, no I/O.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// Width-folds (full-width → half-width, NFKC), trims, and drops all whitespace.
///
/// ```
/// assert_eq!(liaison::text::fold(" 星沙　街道 "), "星沙街道");
/// assert_eq!(liaison::text::fold("１２"), "12");
/// ```
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // NFKC leaves ASCII as it is: skip the normalizer (most cells are numbers).
        return s.chars().filter(|c| !c.is_whitespace()).collect();
    }
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// Width-folds and trims, keeping inner whitespace (collapsed to one space).
pub fn fold_keep_spaces(s: &str) -> String {
    if s.is_ascii() {
        return s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let folded: String = s.nfkc().collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The A1 name of a zero-based (row, column): `(7, 9)` → `J8`.
///
/// ```
/// assert_eq!(liaison::text::a1(7, 9), "J8");
/// assert_eq!(liaison::text::a1(0, 26), "AA1");
/// ```
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
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

/// A reporting month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Four-digit year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl Period {
    /// Parses the canonical `YYYY-MM` form (as typed on the command line).
    ///
    /// ```
    /// let p = liaison::text::Period::parse_canonical("2022-05").unwrap();
    /// assert_eq!((p.year, p.month), (2022, 5));
    /// assert!(liaison::text::Period::parse_canonical("2022-5x").is_none());
    /// ```
    pub fn parse_canonical(s: &str) -> Option<Period> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        let month: u32 = s[5..].parse().ok()?;
        Period::new(year, month)
    }

    /// A checked constructor: years 2000–2099, months 1–12.
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((2000..2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Period { year, month })
    }

    /// The month before.
    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Period {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month of an Excel serial date (1900 system).
    pub fn from_excel_serial(serial: f64) -> Option<Period> {
        if !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        // Days since 1899-12-30 (Excel's leap-year bug makes this right from March 1900 on).
        let days = serial.floor() as i64 - 25_569; // to Unix epoch
        let (y, m, _) = civil_from_days(days);
        Period::new(y as i32, m)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Period::parse_canonical(&s).ok_or_else(|| serde::de::Error::custom("expected YYYY-MM"))
    }
}

fn period_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // 2022-05, 2022.5, 2022/5/15, 2022年5月, 2022年05月份, 2022_05, also 202205.
        Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})\s*(?:[-./_年]\s*([0-9]{1,2})(?:[^0-9]|$)|([01][0-9])(?:[^0-9]|$))")
            .expect("valid regex")
    })
}

/// Finds the first month named in free text ("2022年5月份进站活动月报表", "金井镇 2022.5.xlsx").
///
/// ```
/// use liaison::text::{find_period, Period};
/// let may = Period::new(2022, 5);
/// for s in ["2022-05", "2022.5", "2022年5月", "2022年05月", "2022年5月份", "2022/5/15",
///           "金井镇 进站活动 2022.5.xlsx", "2022年5月份进站活动月报表", "202205"] {
///     assert_eq!(find_period(s), may, "{s}");
/// }
/// assert_eq!(find_period("2022年13月"), None);
/// ```
pub fn find_period(text: &str) -> Option<Period> {
    let folded = fold_keep_spaces(text);
    for c in period_regex().captures_iter(&folded) {
        let year: i32 = c[1].parse().ok()?;
        let month = c.get(2).or(c.get(3)).and_then(|m| m.as_str().parse().ok());
        if let Some(p) = month.and_then(|m| Period::new(year, m)) {
            return Some(p);
        }
    }
    None
}

/// Proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Characters in `a` and `b` edit distance, for "did you mean" suggestions.
pub fn char_distance(a: &str, b: &str) -> usize {
    strsim::generic_levenshtein(
        &a.chars().collect::<Vec<_>>(),
        &b.chars().collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_dates() {
        // 44696 is 2022-05-15.
        assert_eq!(Period::from_excel_serial(44696.0), Period::new(2022, 5));
        assert_eq!(Period::from_excel_serial(44681.0), Period::new(2022, 4)); // 2022-04-30
        assert_eq!(Period::from_excel_serial(44682.0), Period::new(2022, 5)); // 2022-05-01
    }

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
