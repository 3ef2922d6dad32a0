//! The suggestions ledger (意见建议办理台账): one row per suggestion, followed from collection
//! to its end across months. Types here; reading, checks, month-end state, report parts below.

pub mod dates;
pub mod listing;
pub mod parts;
pub mod read;
mod rows;
pub mod rules;
pub mod span;
pub mod state;
pub mod store;
pub mod template;

pub use crate::config::ledger::{LedgerConfig, Status};
pub use chrono::NaiveDate;

use crate::core::findings::Finding;
use crate::core::text::Period;

/// A1 addresses of an item's cells on its ledger sheet, for findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemCells {
    /// 编号.
    pub id: String,
    /// 收集日期.
    pub collected: String,
    /// 办理状态.
    pub status: String,
    /// 办结日期 (the column's cell on this row; empty when the sheet has no such column).
    pub settled: String,
}

/// One row of a ledger sheet, read and typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerItem {
    /// 编号 as written (trimmed, width-folded).
    pub id: String,
    /// 收集日期.
    pub collected: NaiveDate,
    /// 工作站.
    pub station: String,
    /// 代表, split on 、 and other separators.
    pub deputies: Vec<String>,
    /// 意见建议内容.
    pub content: String,
    /// 类别: one of the config's categories.
    pub category: String,
    /// 承办单位 (may be empty).
    pub handler: String,
    /// 办理状态.
    pub status: Status,
    /// 办结日期.
    pub settled: Option<NaiveDate>,
    /// Where the cells are, for findings.
    pub cells: ItemCells,
}

impl LedgerItem {
    /// Whether two rows say the same thing (everything but their place on the sheet).
    pub fn same_content(&self, other: &LedgerItem) -> bool {
        (
            &self.collected,
            &self.station,
            &self.deputies,
            &self.content,
            &self.category,
            &self.handler,
            self.status,
            self.settled,
        ) == (
            &other.collected,
            &other.station,
            &other.deputies,
            &other.content,
            &other.category,
            &other.handler,
            other.status,
            other.settled,
        )
    }
}

/// A ledger sheet as read from a return: its items and the findings of reading it.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// The header row (0-based).
    pub header_row: u32,
    /// Rows read into items (rows with a cell that cannot be read are left out, with a finding).
    pub items: Vec<LedgerItem>,
    /// `ledger_invalid` findings of reading (cells that are not what their column needs).
    pub findings: Vec<Finding>,
}

/// The first day of a period.
pub fn first_day(p: Period) -> NaiveDate {
    p.first_day()
}

/// The last day of a period.
pub fn last_day(p: Period) -> NaiveDate {
    p.last_day()
}

/// Whether `d` falls within `p`.
pub fn in_period(d: NaiveDate, p: Period) -> bool {
    p.contains(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_kinds() {
        assert!(Status::Solved.settled() && Status::Solved.solved());
        assert!(Status::Answered.settled() && !Status::Answered.solved());
        assert!(Status::InProgress.open() && Status::NotStarted.open());
        assert!(!Status::InProgress.settled());
    }

    #[test]
    fn period_days() {
        let feb = Period::new(2024, 2).unwrap();
        assert_eq!(last_day(feb), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        let dec = Period::new(2022, 12).unwrap();
        assert_eq!(
            last_day(dec),
            NaiveDate::from_ymd_opt(2022, 12, 31).unwrap()
        );
        assert!(in_period(
            NaiveDate::from_ymd_opt(2022, 12, 1).unwrap(),
            dec
        ));
        assert!(!in_period(
            NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            dec
        ));
    }
}
