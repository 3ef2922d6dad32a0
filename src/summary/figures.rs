//! The summary's figures, typed: every metric summed over the span's published months per unit
//! and in all, month by month, and 同比 like for like — added up one month at a time as the
//! archive is read, so only one month's unit rows are ever held.

use std::collections::{HashMap, HashSet};

use super::read::UnitRow;
use crate::config::Config;
use crate::core::text::Period;

/// A sum over months. A month that counted (had unit rows) but whose form lacked the metric
/// makes the sum unknown: [`Total::value`] is None, never a sum that silently left it out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Total {
    /// The sum over the months that had the metric.
    pub known: i64,
    /// Months that counted but lacked the metric.
    pub lacking: Vec<Period>,
    /// Months added (with or without the metric).
    pub months: usize,
}

impl Total {
    fn add(&mut self, p: Period, v: Option<i64>) {
        match v {
            Some(x) => self.known += x,
            None if !self.lacking.contains(&p) => self.lacking.push(p),
            None => {}
        }
    }

    fn month(&mut self) {
        self.months += 1;
    }

    /// The sum over every month added; None when no month was added or one lacked the metric.
    pub fn value(&self) -> Option<i64> {
        (self.months > 0 && self.lacking.is_empty()).then_some(self.known)
    }
}

/// A unit over the span.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSummary {
    /// Unit id.
    pub unit_id: String,
    /// Name as configured (or as the history names a unit the config does not know).
    pub name: String,
    /// Whether the config in force knows it.
    pub configured: bool,
    /// Months in which it was counted.
    pub months: Vec<Period>,
    /// Stations counted, summed over those months (station-months).
    pub station_months: i64,
    /// One total per id of [`super::Summary::ids`].
    pub totals: Vec<Total>,
    /// Rank of each id's total among the units with one (1 = most; ties share the best rank).
    pub ranks: Vec<Option<i64>>,
    /// Per tracked id ([`super::Summary::tracked`]), per month of the span: the month's figure
    /// (None: not counted that month, or its form lacked the metric).
    pub series: Vec<Vec<Option<i64>>>,
}

/// The county (region) in one published month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthPoint {
    /// The month.
    pub period: Period,
    /// Units counted.
    pub units: i64,
    /// Stations counted.
    pub stations: i64,
    /// One sum per id (None: the month's form lacked the metric).
    pub values: Vec<Option<i64>>,
}

/// 同比: the span against the same months of the previous year.
#[derive(Debug, Clone, PartialEq)]
pub enum Yoy {
    /// Compared over the (month, unit) pairs counted in both years.
    Compared {
        /// Both years counted the same units in every month (the totals themselves compare).
        same_units: bool,
        /// Unit-months compared.
        pairs: i64,
        /// The span's sums over those pairs, one per id.
        current: Vec<Total>,
        /// The previous year's sums over those pairs, one per id.
        previous: Vec<Total>,
    },
    /// These months of the previous year are not published: no 同比.
    NotPublished(Vec<Period>),
}

/// Sums month by month (see the module's note).
pub(super) struct Builder {
    ids: Vec<String>,
    tracked: Vec<usize>,
    months: Vec<Period>,
    units: Vec<UnitSummary>,
    at: HashMap<String, usize>,
    pub(super) county: Vec<Total>,
    pub(super) by_month: Vec<MonthPoint>,
    yoy: Option<(bool, i64, Vec<Total>, Vec<Total>)>,
}

impl Builder {
    /// For the config's units (in its order), the span's `months`, 同比 when `yoy`.
    pub(super) fn new(
        config: &Config,
        ids: &[String],
        tracked: &[usize],
        months: &[Period],
        yoy: bool,
    ) -> Builder {
        let mut b = Builder {
            ids: ids.to_vec(),
            tracked: tracked.to_vec(),
            months: months.to_vec(),
            units: Vec::new(),
            at: HashMap::new(),
            county: vec![Total::default(); ids.len()],
            by_month: Vec::new(),
            yoy: yoy.then(|| {
                let zero = vec![Total::default(); ids.len()];
                (true, 0, zero.clone(), zero)
            }),
        };
        for u in &config.units {
            b.unit(&u.id, &u.name, true);
        }
        b
    }

    fn unit(&mut self, id: &str, name: &str, configured: bool) -> &mut UnitSummary {
        let n = self.units.len();
        let i = *self.at.entry(id.to_string()).or_insert(n);
        if i == n {
            self.units.push(UnitSummary {
                unit_id: id.to_string(),
                name: name.to_string(),
                configured,
                months: Vec::new(),
                station_months: 0,
                totals: vec![Total::default(); self.ids.len()],
                ranks: vec![None; self.ids.len()],
                series: vec![vec![None; self.months.len()]; self.tracked.len()],
            });
        }
        &mut self.units[i]
    }

    /// Adds a published month's unit rows, and for 同比 the same month a year earlier.
    pub(super) fn add_month(&mut self, p: Period, rows: &[UnitRow], previous: Option<&[UnitRow]>) {
        let k = self.months.iter().position(|m| *m == p).unwrap_or(0);
        let tracked = self.tracked.clone();
        let mut point = MonthPoint {
            period: p,
            units: rows.len() as i64,
            stations: 0,
            values: vec![Some(0); self.ids.len()],
        };
        for r in rows {
            point.stations += r.stations;
            let u = self.unit(&r.unit_id, &r.name, false);
            u.months.push(p);
            u.station_months += r.stations;
            for (t, v) in u.totals.iter_mut().zip(&r.values) {
                t.month();
                t.add(p, *v);
            }
            for (s, &i) in tracked.iter().enumerate() {
                u.series[s][k] = r.values[i];
            }
            for (c, v) in point.values.iter_mut().zip(&r.values) {
                *c = c.zip(*v).map(|(a, b)| a + b);
            }
        }
        if !rows.is_empty() {
            for (t, v) in self.county.iter_mut().zip(&point.values) {
                t.month();
                t.add(p, *v);
            }
        }
        self.by_month.push(point);
        if let (Some(prev), Some(yoy)) = (previous, self.yoy.as_mut()) {
            add_pairs(yoy, p, rows, prev);
        }
    }

    /// A month of the span that is not published: 同比 then covers fewer months than the
    /// previous year's, so the totals themselves no longer compare.
    pub(super) fn skip_month(&mut self) {
        if let Some(yoy) = self.yoy.as_mut() {
            yoy.0 = false;
        }
    }

    /// The units (config order, then units the config does not know, by id) with their ranks,
    /// and 同比 as compared.
    pub(super) fn finish(mut self) -> (Vec<UnitSummary>, Option<Yoy>) {
        let configured = self.units.iter().filter(|u| u.configured).count();
        self.units[configured..].sort_by(|a, b| a.unit_id.cmp(&b.unit_id));
        for i in 0..self.ids.len() {
            let values: Vec<Option<i64>> = self.units.iter().map(|u| u.totals[i].value()).collect();
            for (u, v) in self.units.iter_mut().zip(&values) {
                u.ranks[i] =
                    v.map(|v| 1 + values.iter().flatten().filter(|x| **x > v).count() as i64);
            }
        }
        let yoy = self
            .yoy
            .map(|(same_units, pairs, current, previous)| Yoy::Compared {
                same_units,
                pairs,
                current,
                previous,
            });
        (self.units, yoy)
    }
}

/// Adds the pairs of one month to 同比: the units counted in both years' month.
fn add_pairs(
    (same, pairs, current, previous): &mut (bool, i64, Vec<Total>, Vec<Total>),
    p: Period,
    rows: &[UnitRow],
    prev: &[UnitRow],
) {
    let before: HashMap<&str, &UnitRow> = prev.iter().map(|r| (r.unit_id.as_str(), r)).collect();
    let now: HashSet<&str> = rows.iter().map(|r| r.unit_id.as_str()).collect();
    *same &= now.len() == before.len() && before.keys().all(|u| now.contains(u));
    let q = p.year_earlier();
    let both: Vec<(&UnitRow, &UnitRow)> = rows
        .iter()
        .filter_map(|r| Some((r, *before.get(r.unit_id.as_str())?)))
        .collect();
    if both.is_empty() {
        return;
    }
    *pairs += both.len() as i64;
    for (i, (c, b)) in current.iter_mut().zip(previous.iter_mut()).enumerate() {
        c.month();
        b.month();
        let sum = |side: &dyn Fn(&(&UnitRow, &UnitRow)) -> Option<i64>| {
            both.iter().map(side).sum::<Option<i64>>()
        };
        c.add(p, sum(&|x| x.0.values[i]));
        b.add(q, sum(&|x| x.1.values[i]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(unit: &str, values: &[Option<i64>]) -> UnitRow {
        UnitRow {
            unit_id: unit.into(),
            name: unit.into(),
            stations: 2,
            values: values.to_vec(),
        }
    }

    #[test]
    fn a_lacking_month_makes_the_sum_unknown_and_ties_share_a_rank() {
        let config = Config::embedded();
        let ids = vec!["a".to_string(), "b".to_string()];
        let p = |m| Period::new(2022, m).unwrap();
        let months = [p(4), p(5)];
        let mut b = Builder::new(&config, &ids, &[0], &months, true);
        let prev4 = [
            row("xingsha", &[Some(1), Some(1)]),
            row("fulin", &[Some(1), Some(1)]),
        ];
        b.add_month(p(4), &[row("xingsha", &[Some(3), None])], Some(&prev4));
        let now = [
            row("xingsha", &[Some(5), Some(7)]),
            row("fulin", &[Some(8), Some(2)]),
        ];
        let prev5 = [row("xingsha", &[Some(2), Some(2)])];
        b.add_month(p(5), &now, Some(&prev5));
        assert_eq!(b.county[0].value(), Some(16));
        assert_eq!((b.county[1].value(), b.county[1].known), (None, 9));
        assert_eq!(b.county[1].lacking, vec![p(4)]);
        let (units, yoy) = b.finish();
        let x = units.iter().find(|u| u.unit_id == "xingsha").unwrap();
        let f = units.iter().find(|u| u.unit_id == "fulin").unwrap();
        assert_eq!(
            (x.totals[0].value(), x.months.len(), x.station_months),
            (Some(8), 2, 4)
        );
        assert_eq!(
            (x.ranks[0], f.ranks[0]),
            (Some(1), Some(1)),
            "8 and 8 share the first rank"
        );
        assert_eq!(x.series[0], vec![Some(3), Some(5)]);
        assert_eq!(f.series[0], vec![None, Some(8)]);
        let unknown = units.iter().find(|u| u.unit_id == "kaihui").unwrap();
        assert_eq!((unknown.totals[0].value(), unknown.ranks[0]), (None, None));
        let Some(Yoy::Compared {
            same_units,
            pairs,
            current,
            previous,
        }) = yoy
        else {
            panic!("{yoy:?}")
        };
        // April: xingsha in both years; May: xingsha in both, fulin this year only.
        assert!(!same_units);
        assert_eq!(pairs, 2);
        assert_eq!(
            (current[0].value(), previous[0].value()),
            (Some(8), Some(3))
        );
        assert_eq!(
            (current[1].value(), current[1].lacking.clone()),
            (None, vec![p(4)])
        );
        assert_eq!(previous[1].value(), Some(3));
    }
}
