//! The kinds of sheet a unit sends — the monthly return (`monthly`) and, beside it, the
//! suggestions ledger (`ledger`) — each a module saying how to recognise, read and check its
//! sheet; this file is the one place that lists the kinds beside the monthly return.
//!
//! Calamine's shape applied to sheet kinds: one trait ([`SheetFinder`]) every kind implements
//! to find its sheet among a workbook's sheets, one module per kind, and [`Companions`] /
//! [`Finders`] choosing at run time. Rules that compare two kinds live in [`cross`].

pub mod cross;
pub mod ledger;
pub mod monthly;
mod read;
pub mod template;

pub use read::{
    Disposition, FileOutcome, IngestError, hex, ingest_dir, ingest_dir_with, ingest_entry,
};

use crate::config::Config;
use crate::core::Period;
use crate::core::findings::Finding;
use crate::workbook::Grid;
use monthly::Return;

/// How a sheet kind finds its sheet among a workbook's sheets, never by name or position:
/// shown each sheet the reading reads, once, in order, then asked what it found.
pub trait SheetFinder {
    /// What the kind makes of one workbook.
    type Found;
    /// Looks at one sheet, reading it when it is one of this kind.
    fn look(&mut self, grid: &Grid);
    /// What was found, once every sheet was shown.
    fn finish(self) -> Self::Found;
}

/// What a workbook holds beside its monthly sheet, kind by kind. A new kind (a deputies'
/// attendance register) is a module of its own, a field here, a finder in [`Finders`] and its
/// rules in [`Companions::check`].
#[derive(Debug, Clone, Default)]
pub struct Companions {
    /// The suggestions ledger sheet (意见建议办理台账), when the workbook has one.
    pub ledger: Option<ledger::Sheet>,
}

impl Companions {
    /// Every rule of the companion sheets: each kind's own (with last month's state in
    /// `priors`), then the rules that compare it with the monthly return it came with.
    pub fn check(
        &self,
        ret: &Return,
        period: Period,
        config: &Config,
        priors: &Priors,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        if let Some(sheet) = &self.ledger {
            let none = Default::default();
            let previous = ret
                .unit_id()
                .and_then(|u| priors.ledger.get(u))
                .unwrap_or(&none);
            out.extend(cross::check_ledger(ret, sheet, period, config, previous));
        }
        out
    }

    /// What the month keeps of them once their rules have run: their rows, not the findings
    /// of reading them, in as little memory as they take.
    pub fn kept(self) -> Companions {
        Companions {
            ledger: self.ledger.map(|mut l| {
                l.findings = Vec::new();
                l.items.shrink_to_fit();
                l
            }),
        }
    }
}

/// One station of a counted return: its name and figures (config metric order).
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// The name as written (trimmed).
    pub name: String,
    /// One count per configured metric.
    pub values: Vec<u64>,
}

/// What the month keeps of a counted return once its rules have run: the figures the
/// report and the history are built from, the sheets of other kinds that came with it (the
/// ledger's items), and where they came from.
#[derive(Debug, Clone)]
pub struct Counted {
    /// The file, as shown.
    pub file: String,
    /// sha256 of the file's bytes.
    pub sha256: String,
    /// The sheet the figures were read from.
    pub sheet: String,
    /// The unit id.
    pub unit: Option<String>,
    /// Station rows, in sheet order.
    pub stations: Vec<Station>,
    /// The sheets of other kinds beside the return (their rows; the findings of reading them
    /// are already out).
    pub companions: Companions,
}

impl Counted {
    /// The figures of a return that counts, in as little memory as they take.
    pub(crate) fn of(r: Return, companions: Companions) -> Counted {
        let stations = r
            .stations
            .into_iter()
            .map(|s| Station {
                name: s.name,
                values: s.values,
            })
            .collect();
        Counted {
            file: r.file,
            sha256: r.sha256,
            sheet: r.sheet,
            unit: r.unit.and_then(|u| u.value),
            stations,
            companions: companions.kept(),
        }
    }

    /// The unit id.
    pub fn unit_id(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// Sum of each metric over the stations.
    pub fn sums(&self, metrics: usize) -> Vec<u64> {
        self.stations.iter().fold(vec![0; metrics], |mut acc, s| {
            acc.iter_mut().zip(&s.values).for_each(|(a, v)| *a += v);
            acc
        })
    }
}

/// Every companion kind's finder for one workbook: the reading of the monthly return shows it
/// each sheet it reads.
pub struct Finders<'c> {
    ledger: ledger::read::Finder<'c>,
}

impl<'c> Finders<'c> {
    /// The finders of every companion kind, for the file `file` (as shown in findings).
    pub fn new(config: &'c Config, file: &'c str) -> Finders<'c> {
        Finders {
            ledger: ledger::read::Finder::new(&config.ledger, file),
        }
    }
}

impl SheetFinder for Finders<'_> {
    type Found = Companions;

    fn look(&mut self, grid: &Grid) {
        self.ledger.look(grid);
    }

    fn finish(self) -> Companions {
        Companions {
            ledger: self.ledger.finish(),
        }
    }
}

/// Last month's state of each companion kind, for the rules that compare with it (an empty
/// one when the archive has none).
#[derive(Debug, Clone, Default)]
pub struct Priors {
    /// Last month's ledger items, by unit id then 编号.
    pub ledger: ledger::rules::Previous,
}
