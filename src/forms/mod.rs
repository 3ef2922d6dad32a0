//! The sheet kinds of a return's workbook, one module each: the monthly return (`monthly`) and
//! the sheets that travel beside it (`ledger`). Each recognises, reads and checks its sheet.
//!
//! A workbook is read once: the monthly return's reading offers every sheet it reads to the
//! [`Finders`] of the companion kinds, which give back the [`Companions`] found beside it. A
//! new companion kind adds a field to both and its rules to `cross`, and gives its parts of
//! the month's report through `impl Folded`, which report/ writes (docs/模块结构.md).

pub mod cross;
pub mod ledger;
pub mod monthly;
pub mod template;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::core::part::{Document, Frame, RateChart, Sheet};
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

/// The header words of every companion kind, compiled once for a folder's files.
pub struct Vocab {
    ledger: ledger::read::Words,
}

impl Vocab {
    /// The companion kinds' header words of `config`.
    pub fn new(config: &Config) -> Vocab {
        Vocab {
            ledger: ledger::read::Words::new(&config.ledger),
        }
    }
}

/// What looks for the companion sheets of one file: every sheet the monthly return's reading
/// reads is offered to each kind's finder.
pub struct Finders<'c> {
    ledger: ledger::read::Finder<'c>,
}

impl<'c> Finders<'c> {
    /// The finders of every companion kind for `file`, with the folder's `vocab`.
    pub fn new(config: &'c Config, vocab: &'c Vocab, file: &'c str) -> Finders<'c> {
        Finders {
            ledger: ledger::read::Finder::new(&config.ledger, &vocab.ledger, file),
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

/// Each kind's parts of a month's report, from its month-end state: what report/ writes
/// without naming a kind (a new kind adds its parts here).
impl Folded {
    /// The sheets the kinds add to the month's workbook, in order (after 趋势).
    pub fn sheets(&self, frame: &Frame, config: &Config) -> Vec<Sheet> {
        ledger::parts::sheets(self.ledger.as_ref(), frame, config)
    }

    /// The workbook files the kinds publish beside the month's workbook (the ledger's full
    /// overdue list, when an item is overdue).
    pub fn documents(&self, frame: &Frame, config: &Config) -> Vec<Document> {
        ledger::parts::documents(self.ledger.as_ref(), frame, config)
    }

    /// The kinds' rate charts, one for each of [`Folded::chart_names`] in that order (those
    /// names are their files').
    pub fn rate_charts(&self, config: &Config) -> Vec<RateChart> {
        vec![ledger::parts::rate_chart(self.ledger.as_ref(), config)]
    }

    /// The file names (without extension, 镇街 where the unit word goes) of the kinds' charts,
    /// drawn after the month's own, whatever the month holds.
    ///
    /// ```
    /// let names = liaison::forms::Folded::chart_names(&liaison::config::Config::embedded());
    /// assert_eq!(names, ["各镇街意见建议办结率"]);
    /// ```
    pub fn chart_names(_config: &Config) -> Vec<String> {
        vec![ledger::parts::CHART_NAME.to_string()]
    }

    /// The kinds' paragraphs of the briefing, each followed by a blank line (empty where a
    /// kind has nothing to say); `vars` are the placeholders every sentence may use.
    pub fn paragraphs(&self, config: &Config, vars: &BTreeMap<String, String>) -> String {
        ledger::parts::paragraph(self.ledger.as_ref(), config, vars)
    }
}

// ── The companion kinds over a summary's span ───────────────────────────────────────────────
//
// A summary reads each companion kind's dataset at its span's last published month (the bytes
// verified against that month's manifest by the summary's reading), and each kind says what it
// makes of them: its figures over the span, its sheets of the summary workbook and the
// partition the summary's manifest names. The summary calls these and names no kind.

/// A companion dataset's partition of a month as the archive keeps it, its bytes already
/// verified against the month's manifest by the one who read them.
#[derive(Debug, Clone)]
pub struct KeptPart {
    /// The dataset's name (one of [`SpanParts::DATASETS`]).
    pub name: &'static str,
    /// Where it was read (what a message about it names).
    pub path: std::path::PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its sha256, as the month's manifest names it.
    pub sha256: String,
}

/// What the summary's pages say around a kind's table: its title's words and the span's.
#[derive(Debug, Clone)]
pub struct SpanFrame {
    /// Before a table's name in its title: `长沙县2022年上半年`.
    pub before: String,
    /// After it: `（初步）` on a preliminary summary, else nothing.
    pub after: String,
    /// The span in words: `2022年上半年`.
    pub label: String,
}

impl SpanFrame {
    /// A table's title: `长沙县2022年上半年意见建议办理情况（初步）`.
    pub fn title(&self, what: &str) -> String {
        format!("{}{what}{}", self.before, self.after)
    }
}

/// Each companion kind over a summary's span, from its dataset at the span's last published
/// month.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanParts {
    /// The suggestions ledger: 意见建议办理 over the span.
    pub ledger: ledger::span::LedgerSummary,
}

impl SpanParts {
    /// The companion kinds' datasets, by name (as a month's manifest names them): a summary
    /// reads each one's partition of its span's last published month.
    pub const DATASETS: &'static [&'static str] = &[ledger::store::DIR];

    /// No month of the span is published: every kind says so.
    pub fn no_month() -> SpanParts {
        SpanParts {
            ledger: ledger::span::LedgerSummary::NoMonth,
        }
    }

    /// Each kind over the span `(first, last)` from the partitions `kept` at the end of
    /// `as_of`, its last published month (a dataset the month was published without is not
    /// among them).
    pub fn summarise(
        kept: &[KeptPart],
        span: (crate::core::text::Period, crate::core::text::Period),
        as_of: crate::core::text::Period,
        config: &Config,
    ) -> Result<SpanParts, crate::history::HistoryError> {
        Ok(SpanParts {
            ledger: ledger::span::from_parts(kept, span, as_of, config)?,
        })
    }

    /// Each kind's sheets of the summary workbook, in order: the sheet's name and its table.
    pub fn sheets(&self, frame: &SpanFrame) -> Vec<(&'static str, crate::core::part::Table)> {
        vec![(ledger::span::SHEET, self.ledger.table(frame))]
    }

    /// The partition of each kind's dataset the summary read, as the summary's manifest names
    /// it under the dataset's name: its path (relative to the output folder) and sha256, or
    /// None when none was read.
    pub fn files(&self) -> Vec<(&'static str, Option<(String, String)>)> {
        vec![(ledger::store::DIR, self.ledger.file())]
    }
}
