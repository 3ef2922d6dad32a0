//! What the report writers read — a publication's view: the typed figures of the month (per
//! unit and in all: values, previous month, change, rank, rates, year to date, trend), its
//! findings and files, and what other sheet kinds add to it. No stage's type, no polars.

use crate::core::Period;
use crate::core::findings::{FileStatus, Finding};

use super::Part;

/// One figure of a row for the month, with last month's and the change.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figure {
    /// This month (None: not reported).
    pub value: Option<i64>,
    /// Last month (None: no previous month in the archive, or not reported then).
    pub prev: Option<i64>,
    /// `value - prev`.
    pub change: Option<i64>,
    /// `change / prev` (None from zero or without a previous month).
    pub change_pct: Option<f64>,
}

/// Rank and rates of a headline metric for a unit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Standing {
    /// 1 = most among the units that reported; ties share the best rank.
    pub rank: Option<i64>,
    /// Per station.
    pub per_station: Option<f64>,
    /// Per deputy who entered a station (None for the deputies themselves or without any).
    pub per_deputy: Option<f64>,
}

/// A unit's month.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitMonth {
    /// Config id.
    pub unit_id: String,
    /// Name (as configured).
    pub name: String,
    /// Stations reported.
    pub stations: Figure,
    /// One figure per id of [`MonthFigures::ids`].
    pub metrics: Vec<Figure>,
    /// One standing per id of [`MonthFigures::ids`] (default where not a headline metric).
    pub standings: Vec<Standing>,
}

/// The county's (region's) month.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyMonth {
    /// Units reporting.
    pub units: Figure,
    /// Stations reported.
    pub stations: Figure,
    /// One figure per id of [`MonthFigures::ids`].
    pub metrics: Vec<Figure>,
    /// January to this month, one sum per id (None for a metric no month of the year had).
    pub year_to_date: Vec<Option<i64>>,
}

/// One month of the trend (the months of the archive up to the published one).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// The month.
    pub period: Period,
    /// Units reporting.
    pub units: i64,
    /// Stations reported.
    pub stations: i64,
    /// One sum per id of [`MonthFigures::ids`] (None: a metric that month's form did not have).
    pub metrics: Vec<Option<i64>>,
}

/// One station row of the month.
#[derive(Debug, Clone, PartialEq)]
pub struct StationLine {
    /// Unit id.
    pub unit_id: String,
    /// Unit name.
    pub unit: String,
    /// Station name as written in the return.
    pub station: String,
    /// One count per id of [`MonthFigures::ids`].
    pub metrics: Vec<i64>,
}

/// Everything the report writers need for one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthFigures {
    /// The month.
    pub period: Period,
    /// Metric ids in config order, then `deputies_total`: the index of every `metrics` vector.
    pub ids: Vec<String>,
    /// The units that reported, in config order.
    pub units: Vec<UnitMonth>,
    /// The whole county.
    pub county: CountyMonth,
    /// Monthly county sums, oldest first, ending with this month.
    pub trend: Vec<TrendPoint>,
    /// Every station row, in config unit order then sheet order.
    pub stations: Vec<StationLine>,
}

impl MonthFigures {
    /// The index of a metric id (or `deputies_total`) in every `metrics` vector.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|x| x == id)
    }

    /// A unit's month, when it reported.
    pub fn unit(&self, id: &str) -> Option<&UnitMonth> {
        self.units.iter().find(|u| u.unit_id == id)
    }

    /// The county figure of a metric id.
    pub fn county_metric(&self, id: &str) -> Figure {
        self.index(id)
            .map(|i| self.county.metrics[i])
            .unwrap_or_default()
    }
}

/// One file of the month as the reports account for it (报送情况).
#[derive(Debug, Clone, PartialEq)]
pub struct Filed {
    /// The path as given on the command line.
    pub path: String,
    /// sha256 of the bytes.
    pub sha256: Option<String>,
    /// Counted, refused or ignored.
    pub status: FileStatus,
    /// The unit it is attributed to.
    pub unit: Option<String>,
    /// Station rows counted (counted files only).
    pub stations: Option<usize>,
}

/// What was found about the month's files: each file's verdict, every finding, the units with
/// no return, and whether the publication is preliminary (初步).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// Published with errors or missing units left out.
    pub preliminary: bool,
    /// Every file of the month.
    pub files: Vec<Filed>,
    /// Every finding.
    pub diagnostics: Vec<Finding>,
    /// Unit ids with no return.
    pub missing_units: Vec<String>,
}

/// A publication as its writers see it: the month's figures, its findings, and the parts other
/// sheet kinds add (the ledger's sheets, chart and paragraph), in order.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The month's figures.
    pub figures: &'a MonthFigures,
    /// Its files and findings.
    pub findings: &'a Findings,
    /// What other sheet kinds add.
    pub parts: &'a [&'a dyn Part],
}

impl View<'_> {
    /// The month.
    pub fn period(&self) -> Period {
        self.figures.period
    }

    /// `（初步）` when preliminary, else empty.
    pub fn prelim(&self) -> &'static str {
        if self.findings.preliminary {
            "（初步）"
        } else {
            ""
        }
    }
}
