//! Whether a text names exactly one month: a label's value must (every month it names is the
//! same one, nothing cumulative); a title or file name must not write its month as a span.

use std::sync::OnceLock;

use regex::Regex;

use super::{Period, period_regex};
use crate::core::text::fold_keep_spaces;

/// What a text says about the reporting month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthText {
    /// Exactly one month.
    One(Period),
    /// Several months, a span ("1-5月", "4、5月") or a cumulative figure ("截至5月", "累计"):
    /// not one month's return.
    Several,
    /// No month at all.
    Nothing,
}

impl MonthText {
    /// The month, when there is exactly one.
    pub fn one(self) -> Option<Period> {
        match self {
            MonthText::One(p) => Some(p),
            _ => None,
        }
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

/// Words that make a label's month cumulative, a span or part of a month whatever the digits
/// say (a week's or a ten-day return is not the month's either).
fn not_one_month() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"截至|截止|累计|以来|至今|季度|上半年|下半年|全年|年度|第\s*[0-9一二三四五]\s*周|[上中下]旬",
    )
}

/// A month number written with 月 ("5月", "05月"), not part of a longer number.
fn bare_month() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"(?:^|[^0-9])([0-9]{1,2})\s*月")
}

/// What follows a month when it opens a span: a separator, then another month, with 月 or a
/// year ("1-5月", "1月至5月", "2022.1-2022.5", "4、5月"); a separator that is also a date's
/// ("-", ".", "/") needs that 月 or year, so "2022-05-15" stays a day in May.
fn span_after() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"^\s*(?:月份?)?\s*(?:(?:[-~～—–－.]|至|到|、|,|和|及|与)\s*(?:(?:19|20)[0-9]{2}\s*[-./年]\s*)?[0-9]{1,2}\s*月|(?:[-~～—–－]|至|到)\s*(?:19|20)[0-9]{2}\s*[-./年]\s*[0-9]{1,2}|(?:至|到|、)\s*[0-9]{1,2}(?:[^0-9]|$))",
    )
}

/// A label's value ("报送月份:" …): one month only if every month it names is that month and
/// nothing makes it cumulative.
///
/// ```
/// use liaison::core::period::{MonthText, months_in_value};
/// use liaison::core::text::Period;
/// let may = MonthText::One(Period::new(2022, 5).unwrap());
/// for s in ["2022年5月", "2022.5", "2022-05-15", "2022年5月1日-5月31日", "2022年05月份"] {
///     assert_eq!(months_in_value(s), may, "{s}");
/// }
/// for s in ["2022年1-5月", "2022年4、5月", "2022.1-2022.5", "截至2022年5月", "2022年5-6月",
///           "2022年5月1日至6月30日", "2022年1至5月累计"] {
///     assert_eq!(months_in_value(s), MonthText::Several, "{s}");
/// }
/// assert_eq!(months_in_value("2022年上半年"), MonthText::Several);
/// assert_eq!(months_in_value("2022年5月第3周"), MonthText::Several);
/// assert_eq!(months_in_value("五月"), MonthText::Nothing);
/// ```
pub fn months_in_value(text: &str) -> MonthText {
    let folded = fold_keep_spaces(text);
    let first = match month_in_title(&folded) {
        MonthText::One(p) if !not_one_month().is_match(&folded) => p,
        MonthText::Nothing if !not_one_month().is_match(&folded) => return MonthText::Nothing,
        _ => return MonthText::Several,
    };
    let named_years = period_regex()
        .captures_iter(&folded)
        .filter_map(|c| {
            let year: i32 = c[1].parse().ok()?;
            let month = c.get(2).or(c.get(3))?.as_str().parse().ok()?;
            Period::new(year, month)
        })
        .any(|p| p != first);
    let other_month = bare_month()
        .captures_iter(&folded)
        .filter_map(|c| c[1].parse::<u32>().ok())
        .any(|m| m != first.month);
    if named_years || other_month {
        MonthText::Several
    } else {
        MonthText::One(first)
    }
}

/// Free text (a title, a sheet or file name): its first month, unless that month opens a span
/// or is preceded by 截至 / 截止.
///
/// ```
/// use liaison::core::period::{MonthText, month_in_title};
/// use liaison::core::text::Period;
/// let may = MonthText::One(Period::new(2022, 5).unwrap());
/// assert_eq!(month_in_title("2022年5月份进站活动月报表(6月3日报送)"), may);
/// assert_eq!(month_in_title("金井镇 进站活动 2022.5.xlsx"), may);
/// assert_eq!(month_in_title("2022年1-5月进站活动统计表"), MonthText::Several);
/// assert_eq!(month_in_title("截至2022年5月进站活动情况"), MonthText::Several);
/// assert_eq!(month_in_title("进站活动月报表"), MonthText::Nothing);
/// ```
pub fn month_in_title(text: &str) -> MonthText {
    let folded = fold_keep_spaces(text);
    for c in period_regex().captures_iter(&folded) {
        let (Ok(year), Some(m)) = (c[1].parse::<i32>(), c.get(2).or(c.get(3))) else {
            continue;
        };
        let Some(p) = m.as_str().parse().ok().and_then(|m| Period::new(year, m)) else {
            continue;
        };
        let before = folded[..c.get(1).map_or(0, |y| y.start())].trim_end();
        if before.ends_with("截至") || before.ends_with("截止") {
            return MonthText::Several;
        }
        if span_after().is_match(&folded[m.end()..]) {
            return MonthText::Several;
        }
        return MonthText::One(p);
    }
    MonthText::Nothing
}
