//! The typed figures of a published month — per unit and in all: values, previous month,
//! change, rank, rates, year to date, trend — built once from aggregate's frames. Report writers
//! read only these types; column names of the frames stay in this file.

use polars::prelude::*;

use crate::aggregate::Figures;
use crate::config::Config;
use crate::core::text::Period;

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
    /// The months of the year summed (January to this month as far as the archive has them).
    pub year_to_date: Vec<Option<i64>>,
    /// The months `year_to_date` sums (1 = January), oldest first: the months of the year up
    /// to this one that are in the archive.
    pub year_to_date_months: Vec<u32>,
}

impl CountyMonth {
    /// Whether the year to date sums every month from January (a true 本年累计).
    pub fn year_to_date_complete(&self, period: Period) -> bool {
        self.year_to_date_months == (1..=period.month()).collect::<Vec<_>>()
    }

    /// The months of the year up to `period` that are not in the archive (not summed).
    pub fn year_to_date_missing(&self, period: Period) -> Vec<u32> {
        (1..=period.month())
            .filter(|m| !self.year_to_date_months.contains(m))
            .collect()
    }

    /// What the year to date is labelled by: 本年累计 when it sums every month from January,
    /// else the months it sums (`5—6月累计`).
    pub fn year_to_date_label(&self, period: Period) -> String {
        if self.year_to_date_complete(period) {
            "本年累计".into()
        } else {
            format!("{}累计", months_text(&self.year_to_date_months))
        }
    }
}

/// Months as a Chinese office writes them: `5—6月`, `3、5—6月`, `5月`.
///
/// ```
/// assert_eq!(liaison::figures::months_text(&[5, 6]), "5—6月");
/// assert_eq!(liaison::figures::months_text(&[1, 3, 4, 5]), "1、3—5月");
/// assert_eq!(liaison::figures::months_text(&[7]), "7月");
/// ```
pub fn months_text(months: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &m in months {
        match runs.last_mut() {
            Some(r) if r.1 + 1 == m => r.1 = m,
            _ => runs.push((m, m)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            _ => format!("{a}—{b}"),
        })
        .collect();
    format!("{}月", parts.join("、"))
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
    /// Each companion kind's month-end state (the ledger's: None only where no archive
    /// computed it).
    pub folded: crate::forms::Folded,
    /// The month's receipt log: every version received (empty where no archive kept it).
    pub receipts: Vec<crate::receipts::Receipt>,
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

    /// Builds the typed month from aggregate's frames.
    pub fn from_frames(fig: &Figures, period: Period, config: &Config) -> PolarsResult<Self> {
        let ids = config.figure_ids().to_vec();
        let units_df = &fig.units;
        let mut units = Vec::new();
        for u in &config.units {
            let Some(r) = find_row(units_df, "unit_id", &u.id)? else {
                continue;
            };
            units.push(UnitMonth {
                unit_id: u.id.clone(),
                name: u.name.clone(),
                stations: figure(units_df, "stations", r)?,
                metrics: ids
                    .iter()
                    .map(|id| figure(units_df, id, r))
                    .collect::<PolarsResult<_>>()?,
                standings: ids
                    .iter()
                    .map(|id| {
                        Ok(Standing {
                            rank: int(units_df, &format!("{id}_rank"), r)?,
                            per_station: float(units_df, &format!("{id}_per_station"), r)?,
                            per_deputy: float(units_df, &format!("{id}_per_deputy"), r)?,
                        })
                    })
                    .collect::<PolarsResult<_>>()?,
            });
        }
        let cy = &fig.county;
        let this = find_row(cy, "period", &period.to_string())?;
        let cfig = |c: &str| this.map_or(Ok(Figure::default()), |r| figure(cy, c, r));
        let county = CountyMonth {
            units: cfig("units")?,
            stations: cfig("stations")?,
            metrics: ids.iter().map(|id| cfig(id)).collect::<PolarsResult<_>>()?,
            year_to_date: ids
                .iter()
                .map(|id| int(&fig.ytd, id, 0))
                .collect::<PolarsResult<_>>()?,
            year_to_date_months: fig.ytd_months.iter().map(|p| p.month()).collect(),
        };
        let mut trend = Vec::new();
        for r in 0..cy.height() {
            let Some(p) = text(cy, "period", r)?.and_then(|p| Period::parse_canonical(&p)) else {
                continue;
            };
            if p > period {
                continue;
            }
            trend.push(TrendPoint {
                period: p,
                units: int(cy, "units", r)?.unwrap_or(0),
                stations: int(cy, "stations", r)?.unwrap_or(0),
                metrics: ids
                    .iter()
                    .map(|id| int(cy, id, r))
                    .collect::<PolarsResult<_>>()?,
            });
        }
        let st = &fig.stations;
        let mut stations = Vec::with_capacity(st.height());
        for r in 0..st.height() {
            stations.push(StationLine {
                unit_id: text(st, "unit_id", r)?.unwrap_or_default(),
                unit: text(st, "unit", r)?.unwrap_or_default(),
                station: text(st, "station", r)?.unwrap_or_default(),
                metrics: ids
                    .iter()
                    .map(|id| Ok(int(st, id, r)?.unwrap_or(0)))
                    .collect::<PolarsResult<_>>()?,
            });
        }
        Ok(MonthFigures {
            period,
            ids,
            units,
            county,
            trend,
            stations,
            folded: fig.folded.clone(),
            receipts: fig.receipts.clone(),
        })
    }
}

fn figure(df: &DataFrame, id: &str, r: usize) -> PolarsResult<Figure> {
    Ok(Figure {
        value: int(df, id, r)?,
        prev: int(df, &format!("{id}_prev"), r)?,
        change: int(df, &format!("{id}_change"), r)?,
        change_pct: float(df, &format!("{id}_change_pct"), r)?,
    })
}

/// An integer cell; a column the frame does not have is None (a metric a month lacked).
fn int(df: &DataFrame, column: &str, row: usize) -> PolarsResult<Option<i64>> {
    match df.column(column) {
        Ok(c) => Ok(c.cast(&DataType::Int64)?.i64()?.get(row)),
        Err(_) => Ok(None),
    }
}

fn float(df: &DataFrame, column: &str, row: usize) -> PolarsResult<Option<f64>> {
    match df.column(column) {
        Ok(c) => Ok(c.cast(&DataType::Float64)?.f64()?.get(row)),
        Err(_) => Ok(None),
    }
}

fn text(df: &DataFrame, column: &str, row: usize) -> PolarsResult<Option<String>> {
    Ok(df.column(column)?.str()?.get(row).map(str::to_string))
}

fn find_row(df: &DataFrame, column: &str, value: &str) -> PolarsResult<Option<usize>> {
    let c = df.column(column)?.str()?;
    Ok((0..df.height()).find(|&i| c.get(i) == Some(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn county(months: &[u32]) -> CountyMonth {
        CountyMonth {
            units: Figure::default(),
            stations: Figure::default(),
            metrics: Vec::new(),
            year_to_date: Vec::new(),
            year_to_date_months: months.to_vec(),
        }
    }

    #[test]
    fn the_year_to_date_is_labelled_by_the_months_it_sums() {
        let june = Period::new(2022, 6).unwrap();
        let all = county(&[1, 2, 3, 4, 5, 6]);
        assert!(all.year_to_date_complete(june));
        assert_eq!(all.year_to_date_label(june), "本年累计");
        let from_may = county(&[5, 6]);
        assert_eq!(from_may.year_to_date_label(june), "5—6月累计");
        assert_eq!(from_may.year_to_date_missing(june), vec![1, 2, 3, 4]);
        let gap = county(&[1, 2, 4, 6]);
        assert_eq!(gap.year_to_date_label(june), "1—2、4、6月累计");
        assert_eq!(months_text(&gap.year_to_date_missing(june)), "3、5月");
    }
}
