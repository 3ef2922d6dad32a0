//! 意见建议办理 over a summary's span, from the ledger's state at the span's last published
//! month: items collected and settled within the span, and at its end the 办结率 and the overdue.

use std::collections::BTreeMap;

use super::span::Span;
use crate::config::Config;
use crate::core::text::Period;
use crate::forms::ledger::state::ItemState;

/// The ledger figures of a unit or of the whole region over the span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LedgerFigures {
    /// Items whose 收集日期 lies in the span.
    pub collected: u64,
    /// Items settled (已解决 or 已答复) with a 办结日期 in the span.
    pub settled: u64,
    /// Of those, 已解决.
    pub solved: u64,
    /// Every item known at the span's end (累计收集).
    pub collected_total: u64,
    /// Of those, settled (累计办结).
    pub settled_total: u64,
    /// Open and overdue at the span's end.
    pub overdue: u64,
}

impl LedgerFigures {
    /// 办结率 at the span's end = settled / collected so far; none when nothing was collected.
    pub fn rate(&self) -> Option<f64> {
        (self.collected_total > 0).then(|| self.settled_total as f64 / self.collected_total as f64)
    }

    fn add(&mut self, o: &LedgerFigures) {
        self.collected += o.collected;
        self.settled += o.settled;
        self.solved += o.solved;
        self.collected_total += o.collected_total;
        self.settled_total += o.settled_total;
        self.overdue += o.overdue;
    }
}

/// One unit's ledger over the span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerUnit {
    /// Unit id.
    pub unit_id: String,
    /// Name as configured (the id for a unit the config does not know).
    pub name: String,
    /// None: the unit has never sent a ledger (未报送台账), never zeros.
    pub figures: Option<LedgerFigures>,
}

/// The span's ledger.
#[derive(Debug, Clone, PartialEq)]
pub enum LedgerSummary {
    /// Summed from the ledger at the end of `as_of`.
    Summed {
        /// The last published month of the span.
        as_of: Period,
        /// sha256 of its ledger partition (as its manifest names it).
        sha256: String,
        /// Days after which an open item is overdue.
        due_days: u32,
        /// Per unit, config order then others by id.
        units: Vec<LedgerUnit>,
        /// The region: the units with figures.
        total: LedgerFigures,
        /// The categories of the overdue items, most first (at most three).
        overdue_categories: Vec<String>,
    },
    /// `as_of` was published without a ledger (an earlier version of liaison).
    NotKept(Period),
    /// No month of the span is published.
    NoMonth,
}

/// The span's ledger figures from the items known at the end of `as_of`.
pub fn summarise(
    items: &[ItemState],
    span: &Span,
    (as_of, sha256): (Period, String),
    config: &Config,
) -> LedgerSummary {
    let (from, to) = (span.first.first_day(), span.last.last_day());
    let within = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| from <= d && d <= to);
    let due_days = config.ledger.due_days;
    let mut per: BTreeMap<&str, LedgerFigures> = BTreeMap::new();
    let mut categories: BTreeMap<&str, u64> = BTreeMap::new();
    for i in items {
        let f = per.entry(i.unit_id.as_str()).or_default();
        let settled = i.status.settled();
        f.collected_total += 1;
        f.settled_total += u64::from(settled);
        f.collected += u64::from(within(Some(i.collected)));
        if settled && within(i.settled) {
            f.settled += 1;
            f.solved += u64::from(i.status.solved());
        }
        if i.overdue(as_of, due_days) {
            f.overdue += 1;
            *categories.entry(i.category.as_str()).or_default() += 1;
        }
    }
    let mut units: Vec<LedgerUnit> = config
        .units
        .iter()
        .map(|u| LedgerUnit {
            unit_id: u.id.clone(),
            name: u.name.clone(),
            figures: per.get(u.id.as_str()).copied(),
        })
        .collect();
    units.extend(
        per.iter()
            .filter(|(id, _)| config.unit(id).is_none())
            .map(|(id, f)| LedgerUnit {
                unit_id: id.to_string(),
                name: id.to_string(),
                figures: Some(*f),
            }),
    );
    let mut total = LedgerFigures::default();
    for f in units.iter().filter_map(|u| u.figures.as_ref()) {
        total.add(f);
    }
    let mut top: Vec<(&str, u64)> = categories.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    LedgerSummary::Summed {
        as_of,
        sha256,
        due_days,
        units,
        total,
        overdue_categories: top.iter().take(3).map(|c| c.0.to_string()).collect(),
    }
}
