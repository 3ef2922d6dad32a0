//! A reporting month (`Period`): parsed from the command line, found in free text (titles,
//! file names, labels) and in Excel date cells of either date system.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::core::text::fold_keep_spaces;

mod months;
pub use months::{MonthText, month_in_title, months_in_value};

/// A reporting month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// The four-digit year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// Parses the canonical `YYYY-MM` form (as typed on the command line).
    ///
    /// ```
    /// let p = liaison::core::text::Period::parse_canonical("2022-05").unwrap();
    /// assert_eq!((p.year(), p.month()), (2022, 5));
    /// assert!(liaison::core::text::Period::parse_canonical("2022-5x").is_none());
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

    /// Parses a month typed on the command line in any of the forms a return writes it
    /// (SPEC §3): `2022-07`, `2022-7`, `2022.7`, `2022/7`, `2022年7月`, `2022年07月份`, in
    /// full-width digits too. The whole text must be the month: nothing else, no day.
    ///
    /// ```
    /// use liaison::core::text::Period;
    /// let july = Period::new(2022, 7);
    /// for s in ["2022-07", "2022-7", "2022.7", "2022/7", "2022年7月", "2022年07月份",
    ///           " 2022 年 7 月 ", "２０２２－７", "2022．7"] {
    ///     assert_eq!(Period::parse_typed(s), july, "{s}");
    /// }
    /// for s in ["2022-13", "2022-7x", "2022-07-15", "22-7", "2022年7", "七月", "202207", ""] {
    ///     assert_eq!(Period::parse_typed(s), None, "{s}");
    /// }
    /// ```
    pub fn parse_typed(s: &str) -> Option<Period> {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| {
            Regex::new(r"^([0-9]{4}) ?(?:[-./] ?([0-9]{1,2})|年 ?([0-9]{1,2}) ?月份?)$")
                .expect("valid regex")
        });
        let folded = fold_keep_spaces(s);
        let c = re.captures(&folded)?;
        let year: i32 = c[1].parse().ok()?;
        let month: u32 = c.get(2).or(c.get(3))?.as_str().parse().ok()?;
        Period::new(year, month)
    }

    /// A checked constructor: years 2000–2099, months 1–12.
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((2000..2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Period { year, month })
    }

    /// January of the same year.
    pub fn january(self) -> Period {
        Period {
            year: self.year,
            month: 1,
        }
    }

    /// The same month a year earlier.
    pub fn year_earlier(self) -> Period {
        Period {
            year: self.year - 1,
            month: self.month,
        }
    }

    /// The month after.
    pub fn following(self) -> Period {
        match self.month {
            12 => Period {
                year: self.year + 1,
                month: 1,
            },
            m => Period {
                year: self.year,
                month: m + 1,
            },
        }
    }

    /// Its first day.
    pub fn first_day(self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .expect("a Period is a valid month")
    }

    /// Its last day.
    pub fn last_day(self) -> chrono::NaiveDate {
        let next = self.following();
        chrono::NaiveDate::from_ymd_opt(next.year, next.month, 1)
            .and_then(|d| d.pred_opt())
            .expect("a Period is a valid month")
    }

    /// Whether the day `d` falls within it.
    pub fn contains(self, d: chrono::NaiveDate) -> bool {
        d >= self.first_day() && d <= self.last_day()
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

    /// The month of a plain number read as an Excel serial date of the 1900 system (a cell
    /// that holds a date but is not formatted as one).
    pub fn from_excel_serial(serial: f64) -> Option<Period> {
        if !(1.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let cell =
            calamine::ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, false);
        Period::from_excel_date(&cell)
    }

    /// The month of a date cell, in the workbook's own date system (1900 or 1904), by
    /// calamine's conversion.
    pub fn from_excel_date(cell: &calamine::ExcelDateTime) -> Option<Period> {
        use chrono::Datelike;
        let d = cell.as_datetime()?;
        Period::new(d.year(), d.month())
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
/// use liaison::core::text::{find_period, Period};
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
    fn the_1904_date_system() {
        // 43234 days after 1904-01-01 is 2022-05-15 (1462 days fewer than in the 1900 system).
        let cell = calamine::ExcelDateTime::new(
            44696.0 - 1462.0,
            calamine::ExcelDateTimeType::DateTime,
            true,
        );
        assert_eq!(Period::from_excel_date(&cell), Period::new(2022, 5));
    }
}
