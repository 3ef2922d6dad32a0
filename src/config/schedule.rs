//! The `[schedule]` section of the config: the day of the following month by which a month's
//! returns are due (`due_day`), for the deadline of the notice and the receipt log's "on time".

use serde::{Deserialize, Serialize};

use super::Invalid;
use crate::core::text::Period;

/// When returns are due.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Schedule {
    /// A month's returns are due on this day of the following month (1–31; a day past the
    /// month's end is its last day). None: no deadline is stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_day: Option<u32>,
}

impl Schedule {
    /// Checks the day.
    pub(super) fn validate(&self) -> Result<(), Invalid> {
        match self.due_day {
            Some(d) if !(1..=31).contains(&d) => Err(Invalid(format!(
                "[schedule] due_day = {d} 不是日期：请写 1 到 31 之间的整数（次月的第几天），如 due_day = 20"
            ))),
            _ => Ok(()),
        }
    }

    /// The date (year, month, day) by which `period`'s returns are due, when a day is set.
    ///
    /// ```
    /// use liaison::config::schedule::Schedule;
    /// use liaison::core::text::Period;
    /// let s = Schedule { due_day: Some(31) };
    /// assert_eq!(s.due(Period::new(2022, 1).unwrap()), Some((2022, 2, 28)));
    /// assert_eq!(s.due(Period::new(2022, 12).unwrap()), Some((2023, 1, 31)));
    /// assert_eq!(Schedule::default().due(Period::new(2022, 5).unwrap()), None);
    /// ```
    pub fn due(&self, period: Period) -> Option<(i32, u32, u32)> {
        let day = self.due_day?;
        let (y, m) = if period.month() == 12 {
            (period.year() + 1, 1)
        } else {
            (period.year(), period.month() + 1)
        };
        Some((y, m, day.min(days_in_month(y, m))))
    }

    /// The deadline sentence of the notice and of a marked return, when a day is set:
    /// `请于2022年6月20日前改正后重新报送。`
    pub fn sentence(&self, period: Period) -> Option<String> {
        let (y, m, d) = self.due(period)?;
        Some(format!("请于{y}年{m}月{d}日前改正后重新报送。"))
    }
}

/// Days in a month of the Gregorian calendar.
fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}
