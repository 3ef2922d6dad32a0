//! `cumulative_mismatch`: the 累计 cells of a return split into 本月 and 累计, against the year's
//! earlier months in the archive (each station's, and the unit's for the 合计 row) plus this
//! month; compared only where the archive holds every one of those months.

use std::collections::HashMap;

use super::Checked;
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::{Period, a1, fold};
use crate::forms::monthly::{CumCell, Return};
use crate::history::StationFigures;

/// One row of a return with 累计 cells: this month's figures (none where refused) and each
/// metric's 累计 cell.
#[derive(Debug, Clone)]
pub struct CumulativeRow {
    /// The station's name as written (empty for the 合计 row).
    pub name: String,
    /// This month's figure of each metric (none where its cell was refused).
    pub month: Vec<Option<u64>>,
    /// Each metric's 累计 cell and figure.
    pub cells: Vec<Option<CumCell>>,
}

/// The 累计 cells of a counted return, kept for the comparison with the archive.
#[derive(Debug, Clone)]
pub struct CumulativeCells {
    /// The file, as shown.
    pub file: String,
    /// The sheet read.
    pub sheet: String,
    /// The unit id.
    pub unit: String,
    /// Station rows with at least one 累计 cell.
    pub stations: Vec<CumulativeRow>,
    /// The 合计 row, when it has 累计 cells.
    pub total: Option<CumulativeRow>,
}

impl CumulativeCells {
    /// The 累计 cells of a return, if it has any and its unit is known.
    pub fn of(r: &Return) -> Option<CumulativeCells> {
        let unit = r.unit_id()?.to_string();
        let month = |values: &[u64], refused: &[usize]| -> Vec<Option<u64>> {
            (0..values.len())
                .map(|i| (!refused.contains(&i)).then_some(values[i]))
                .collect()
        };
        let stations: Vec<CumulativeRow> = r
            .stations
            .iter()
            .filter(|s| s.cumulative.iter().any(Option::is_some))
            .map(|s| CumulativeRow {
                name: s.name.clone(),
                month: month(&s.values, &s.refused),
                cells: s.cumulative.clone(),
            })
            .collect();
        let total = r
            .total
            .as_ref()
            .filter(|t| t.cumulative.iter().any(Option::is_some))
            .map(|t| {
                let sums = r.sums();
                CumulativeRow {
                    name: String::new(),
                    month: (0..sums.len())
                        .map(|i| {
                            (!r.stations.iter().any(|s| s.refused.contains(&i))).then_some(sums[i])
                        })
                        .collect(),
                    cells: t.cumulative.clone(),
                }
            });
        (!stations.is_empty() || total.is_some()).then(|| CumulativeCells {
            file: r.file.clone(),
            sheet: r.sheet.clone(),
            unit,
            stations,
            total,
        })
    }
}

/// The archive's figures of the year before the period: each unit's stations (by folded name)
/// and total, summed over every month from January to the month before, where the archive
/// holds all of them.
#[derive(Debug, Clone, Default)]
pub struct YearToDate {
    /// The months summed (none in January).
    pub months: Vec<Period>,
    /// By unit id: each station's sums (where it is in every month) and the unit's.
    pub units: HashMap<String, UnitYearToDate>,
}

/// One unit's sums over the months before the period.
#[derive(Debug, Clone, Default)]
pub struct UnitYearToDate {
    /// By folded station name: each metric's sum (none where a month lacks the metric).
    pub stations: HashMap<String, Vec<Option<u64>>>,
    /// The unit's sum of each metric.
    pub total: Vec<Option<u64>>,
}

impl YearToDate {
    /// The sums of `months` (January to the month before the period), each month given as
    /// its station rows: (unit id, station name, each metric's figure). A unit counts only
    /// when it is in every month; a station only when it is in every month too.
    pub fn from_months(months: Vec<Period>, rows: &[Vec<StationFigures>]) -> Self {
        let n = months.len();
        // unit → (months present, station → (months present, sums), total sums)
        type Acc = (
            usize,
            HashMap<String, (usize, Vec<Option<u64>>)>,
            Vec<Option<u64>>,
        );
        let mut acc: HashMap<String, Acc> = HashMap::new();
        let add = |a: &mut Vec<Option<u64>>, v: &[Option<u64>]| {
            if a.is_empty() {
                a.extend(v.iter().map(|_| Some(0)));
            }
            for (x, y) in a.iter_mut().zip(v) {
                *x = x.zip(*y).map(|(x, y)| x + y);
            }
        };
        for month in rows {
            let mut seen_units: Vec<&str> = Vec::new();
            let mut seen_stations: Vec<(&str, String)> = Vec::new();
            for (unit, station, values) in month {
                let e = acc.entry(unit.clone()).or_default();
                if !seen_units.contains(&unit.as_str()) {
                    seen_units.push(unit);
                    e.0 += 1;
                }
                add(&mut e.2, values);
                let key = fold(station);
                let s = e.1.entry(key.clone()).or_default();
                if !seen_stations.contains(&(unit.as_str(), key.clone())) {
                    seen_stations.push((unit, key));
                    s.0 += 1;
                }
                add(&mut s.1, values);
            }
        }
        let units = acc
            .into_iter()
            .filter(|(_, (m, _, _))| *m == n)
            .map(|(u, (_, stations, total))| {
                let stations = stations
                    .into_iter()
                    .filter(|(_, (m, _))| *m == n)
                    .map(|(k, (_, v))| (k, v))
                    .collect();
                (u, UnitYearToDate { stations, total })
            })
            .collect();
        YearToDate { months, units }
    }

    /// Nothing before the period (January): every 累计 is this month's figure.
    fn january(&self) -> bool {
        self.months.is_empty()
    }

    /// A station's sums before the period, if the archive holds them all.
    fn station(&self, unit: &str, name: &str) -> Option<Vec<Option<u64>>> {
        if self.january() {
            return Some(Vec::new());
        }
        self.units.get(unit)?.stations.get(&fold(name)).cloned()
    }

    /// A unit's sums before the period, if the archive holds them all.
    fn total(&self, unit: &str) -> Option<Vec<Option<u64>>> {
        if self.january() {
            return Some(Vec::new());
        }
        self.units.get(unit).map(|u| u.total.clone())
    }

    /// "1–4 月" (or "1 月") of the months summed.
    fn span(&self) -> String {
        match self.months.as_slice() {
            [] => String::new(),
            [one] => format!("{}年{}月", one.year(), one.month()),
            [first, .., last] => format!("{}年{}–{}月", first.year(), first.month(), last.month()),
        }
    }
}

/// `cumulative_mismatch` for every 累计 cell of a counted return that differs from the
/// archive's earlier months of the year plus this month (each station, and the 合计 row
/// against the unit); nothing where the archive does not hold every earlier month.
pub fn add_cumulative(checked: &mut Checked, ytd: &YearToDate, config: &Config) {
    let mut found = Vec::new();
    for c in &checked.cumulative {
        let rows = c
            .stations
            .iter()
            .map(|s| (s, ytd.station(&c.unit, &s.name)))
            .chain(c.total.iter().map(|t| (t, ytd.total(&c.unit))));
        for (row, prior) in rows {
            let Some(prior) = prior else {
                continue;
            };
            for (i, cell) in row.cells.iter().enumerate() {
                let Some(((r, col), written)) = *cell else {
                    continue;
                };
                let before = if ytd.january() {
                    Some(0)
                } else {
                    prior.get(i).copied().flatten()
                };
                let (Some(before), Some(month)) = (before, row.month.get(i).copied().flatten())
                else {
                    continue;
                };
                let want = before + month;
                if written == want {
                    continue;
                }
                let cell = a1(r, col);
                let title = config.metric_title(&config.metrics[i]);
                let whose = match row.name.as_str() {
                    "" => "合计行".to_string(),
                    n => format!("工作站“{n}”"),
                };
                let why = if ytd.january() {
                    format!("1 月的累计就是本月的 {month}")
                } else {
                    format!("档案中{}为 {before}，加本月 {month}", ytd.span())
                };
                found.push(
                    Finding::new(
                        Code::CumulativeMismatch,
                        Some(&c.file),
                        format!(
                            "{cell} 单元格{whose}“{title}”的累计填的是 {written}，应为 {want}（{why}）：请核对累计数。累计不计入汇总，本月数字照常计入"
                        ),
                    )
                    .at(&c.sheet, Some(cell))
                    .unit(Some(&c.unit)),
                );
            }
        }
    }
    checked.report.diagnostics.extend(found);
}
