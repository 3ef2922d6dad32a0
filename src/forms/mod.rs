//! The sheet kinds of a return's workbook, one module each: the monthly return (`monthly`) and
//! the sheets that travel beside it (`ledger`). Each recognises, reads and checks its sheet.
//!
//! A workbook is read once: the monthly return's reading offers every sheet it reads to the
//! [`Finders`] of the companion kinds, which give back the [`Companions`] found beside it. A
//! new companion kind adds a field to both and its rules to `cross` (docs/模块结构.md).

pub mod cross;
pub mod ledger;
pub mod monthly;
pub mod template;

use crate::config::Config;
use crate::workbook::Grid;

/// The sheets found beside a monthly return in its workbook, by kind.
#[derive(Debug, Clone, Default)]
pub struct Companions {
    /// The suggestions ledger sheet (意见建议办理台账), if the workbook has one.
    pub ledger: Option<ledger::Sheet>,
}

/// Each companion kind's state at the month's end, as the figures carry it to the report
/// writers (the ledger's: every item and each unit's figures); `None` where no archive
/// computed it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Folded {
    /// The suggestions ledger at the month's end.
    pub ledger: Option<ledger::state::MonthState>,
}

/// Last month's state of each companion kind, as this month's checks compare with it (the
/// ledger's items by unit, for `ledger_reopened`); empty when there is no archive.
#[derive(Debug, Clone, Default)]
pub struct Priors {
    /// The ledger's items of last month, by unit id then 编号.
    pub ledger: ledger::rules::LedgerPrevious,
}

/// What a unit typed into each companion sheet of its return, for a filled template (the
/// tests and the bench fill templates as towns do).
#[derive(Debug, Clone, Copy, Default)]
pub struct Typed<'a> {
    /// Items typed into the ledger sheet.
    pub ledger: &'a [ledger::LedgerItem],
}

/// Adds each companion kind's sheet to a return template, after the monthly sheet.
pub(crate) fn companion_templates(
    wb: &mut rust_xlsxwriter::Workbook,
    config: &Config,
    unit: &crate::config::Unit,
    period: crate::core::text::Period,
    typed: Typed,
) -> Result<(), template::TemplateError> {
    ledger::template::write(wb, config, unit, period, typed.ledger)
}

/// What each companion kind carries from a county's bundle into a roll-up: the ledger's items
/// under the roll-up unit.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    /// The bundle's ledger items, each under the roll-up unit, 编号 prefixed by its places.
    pub ledger: Vec<ledger::state::ItemState>,
}

impl Carried {
    /// Reads what a bundle carries: its ledger rows (`ledger`, with `places` for each row's
    /// 编号 prefix) under the roll-up `unit`.
    pub fn read(
        ledger: &polars::prelude::DataFrame,
        places: &[String],
        unit: &str,
    ) -> polars::prelude::PolarsResult<Carried> {
        Ok(Carried {
            ledger: ledger::store::items_under(ledger, places, unit)?,
        })
    }
}

/// What looks for the companion sheets of one file: every sheet the monthly return's reading
/// reads is offered to each kind's finder.
pub struct Finders<'c> {
    ledger: ledger::read::Finder<'c>,
}

impl<'c> Finders<'c> {
    /// The finders of every companion kind for `file`.
    pub fn new(config: &'c Config, file: &'c str) -> Finders<'c> {
        Finders {
            ledger: ledger::read::Finder::new(&config.ledger, file),
        }
    }

    /// Offers one sheet of the workbook to every kind.
    pub fn look(&mut self, grid: &Grid) {
        self.ledger.look(grid);
    }

    /// The companions found.
    pub fn finish(self) -> Companions {
        Companions {
            ledger: self.ledger.finish(),
        }
    }
}
