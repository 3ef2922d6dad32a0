//! The monthly return's figures as the report writers read them (`report::view`): aggregate's
//! frames turned into typed months once; column names of the frames stay in this file.

use polars::prelude::*;

use super::aggregate::Figures;
use crate::config::Config;
use crate::core::Period;
use crate::report::view::{
    CountyMonth, Figure, MonthFigures, Standing, StationLine, TrendPoint, UnitMonth,
};

/// The typed month the report writers read, from aggregate's frames.
pub fn month_figures(fig: &Figures, period: Period, config: &Config) -> PolarsResult<MonthFigures> {
    let ids = config.figure_ids();
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
    })
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
