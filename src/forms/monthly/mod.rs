//! The monthly return (进站活动月报): how its sheet is recognised (header, labels), read
//! (table, rows, values, units), checked (rules, outliers) and totalled.

pub mod aggregate;
pub mod figures;
pub mod header;
pub mod labels;
pub mod outliers;
pub(crate) mod read;
mod rows;
pub mod rules;
pub mod table;
pub mod template;
pub mod totals;
pub mod units;
pub mod values;

use crate::config::Config;
use crate::core::Period;
use header::Matcher;
use labels::Found;
pub use table::{Pos, StationRow, TotalCell, TotalRow};
pub use totals::Totals;
use units::UnitNames;

/// A return as read: which unit and month, and its stations' figures, with provenance.
#[derive(Debug, Clone)]
pub struct Return {
    /// The file, as the path given on the command line.
    pub file: String,
    /// sha256 of the file's bytes.
    pub sha256: String,
    /// The sheet read.
    pub sheet: String,
    /// The unit and where it was found.
    pub unit: Option<Found<String>>,
    /// The month and where it was found.
    pub period: Option<Found<Period>>,
    /// Whether each configured metric has a column in the header.
    pub has_column: Vec<bool>,
    /// Station rows (figures in config metric order, each with its cell).
    pub stations: Vec<StationRow>,
    /// The 合计 row, if written.
    pub total: Option<TotalRow>,
}

impl Return {
    /// The unit id, when the unit was found and is configured.
    pub fn unit_id(&self) -> Option<&str> {
        self.unit.as_ref().and_then(|f| f.value.as_deref())
    }

    /// Gives back the spare capacity of everything kept after the file is read: a folder's
    /// returns stay in memory until the period is checked, so they keep only what they hold.
    pub(crate) fn compact(&mut self) {
        self.stations.shrink_to_fit();
        for s in &mut self.stations {
            s.values.shrink_to_fit();
            s.cells.shrink_to_fit();
            s.name.shrink_to_fit();
        }
        if let Some(t) = &mut self.total {
            t.values.shrink_to_fit();
            t.cells.shrink_to_fit();
        }
    }

    /// Sum of each metric over the stations.
    pub fn sums(&self) -> Vec<u64> {
        let n = self.has_column.len();
        self.stations.iter().fold(vec![0; n], |mut acc, s| {
            acc.iter_mut().zip(&s.values).for_each(|(a, v)| *a += v);
            acc
        })
    }
}

/// What reading needs from a config, compiled once per folder: header words and unit names.
pub(crate) struct Vocabulary<'c> {
    pub(crate) config: &'c Config,
    pub(crate) matcher: Matcher,
    pub(crate) units: UnitNames<'c>,
}

impl<'c> Vocabulary<'c> {
    pub(crate) fn new(config: &'c Config) -> Vocabulary<'c> {
        Vocabulary {
            config,
            matcher: Matcher::new(config),
            units: UnitNames::new(config),
        }
    }
}
