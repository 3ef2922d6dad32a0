//! Aggregation in polars: station rows → unit and county totals, ranks, rates, month-on-month
//! and year-to-date. The only place figures are summed; reports read these frames.

use polars::prelude::*;

use std::path::Path;

use crate::check::{Checked, Counted};
use crate::config::Config;
use crate::core::text::Period;
use crate::history;

/// Metric columns in config order, then `deputies_total` (the ids of a file's totals).
pub fn metric_columns(config: &Config) -> Vec<String> {
    config.figure_ids().to_vec()
}

/// One row per station of the counted returns, ordered by the config's unit order then sheet
/// order: `period, unit_id, unit, station, <metrics…>, deputies_total, source_sha256`.
pub fn stations_frame(
    period: Period,
    returns: &[Counted],
    config: &Config,
) -> PolarsResult<DataFrame> {
    let mut ordered: Vec<&Counted> = returns.iter().collect();
    let pos = |r: &Counted| {
        config
            .units
            .iter()
            .position(|u| Some(u.id.as_str()) == r.unit_id())
            .unwrap_or(usize::MAX)
    };
    ordered.sort_by_key(|r| (pos(r), r.file.clone()));
    let (mut unit_id, mut unit, mut station, mut sha) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut values: Vec<Vec<i64>> = vec![Vec::new(); config.metrics.len() + 1];
    for r in ordered {
        let id = r.unit_id().unwrap_or_default();
        let name = config.unit(id).map_or(id.to_string(), |u| u.name.clone());
        for s in &r.stations {
            unit_id.push(id.to_string());
            unit.push(name.clone());
            station.push(s.name.clone());
            sha.push(r.sha256.clone());
            let mut total = 0i64;
            for (i, (m, v)) in config.metrics.iter().zip(&s.values).enumerate() {
                values[i].push(*v as i64);
                if m.level.is_some() {
                    total += *v as i64;
                }
            }
            values[config.metrics.len()].push(total);
        }
    }
    let n = unit_id.len();
    let mut cols = vec![
        Column::new("period".into(), vec![period.to_string(); n]),
        Column::new("unit_id".into(), unit_id),
        Column::new("unit".into(), unit),
        Column::new("station".into(), station),
    ];
    for (name, v) in metric_columns(config).into_iter().zip(values) {
        cols.push(Column::new(name.into(), v));
    }
    cols.push(Column::new("source_sha256".into(), sha));
    DataFrame::new(n, cols)
}

/// The sum of a metric, null when every value is null (a month whose form did not have the
/// metric): never 0 for a figure nobody reported.
fn sum_or_null(m: &str) -> Expr {
    when(col(m).count().gt(lit(0)))
        .then(col(m).sum())
        .otherwise(lit(NULL).cast(DataType::Int64))
        .alias(m)
}

fn sums(config: &Config) -> Vec<Expr> {
    metric_columns(config)
        .iter()
        .map(|m| sum_or_null(m))
        .collect()
}

/// Per period and unit: the unit's name that month, station count and every metric summed.
/// Grouped by id only (a name never differs within a month): one string key to hash, not two.
pub fn unit_totals(stations: LazyFrame, config: &Config) -> LazyFrame {
    let mut aggs = vec![
        col("unit").first(),
        len().cast(DataType::Int64).alias("stations"),
    ];
    aggs.extend(sums(config));
    stations
        .group_by([col("period"), col("unit_id")])
        .agg(aggs)
        .sort(["period", "unit_id"], SortMultipleOptions::default())
}

/// Per period: units reporting, station count and every metric summed.
pub fn county_totals(stations: LazyFrame, config: &Config) -> LazyFrame {
    let mut aggs = vec![
        col("unit_id")
            .n_unique()
            .cast(DataType::Int64)
            .alias("units"),
        len().cast(DataType::Int64).alias("stations"),
    ];
    aggs.extend(sums(config));
    stations
        .group_by([col("period")])
        .agg(aggs)
        .sort(["period"], SortMultipleOptions::default())
}

/// Per period: units reporting, station count and every metric summed, from unit totals (the
/// frame of [`unit_totals`]): the same figures as [`county_totals`] over their station rows,
/// since each unit row is one unit and a unit's sum is null only when all its stations' are.
pub fn county_from_units(units: LazyFrame, config: &Config) -> LazyFrame {
    let mut aggs = vec![
        len().cast(DataType::Int64).alias("units"),
        col("stations")
            .sum()
            .cast(DataType::Int64)
            .alias("stations"),
    ];
    aggs.extend(sums(config));
    units
        .group_by([col("period")])
        .agg(aggs)
        .sort(["period"], SortMultipleOptions::default())
}

/// The unit totals ([`unit_totals`]) of the history partitions of `wanted`, aggregated one
/// partition at a time: only a partition's key and figure columns are ever in memory, never the
/// whole history's station rows (1.83 M rows for a province's ten years). Partitions that
/// cannot be read are skipped and returned beside the totals; `None` when none could be read.
pub fn history_unit_totals(
    history_dir: &Path,
    wanted: &[Period],
    config: &Config,
) -> (Option<DataFrame>, Vec<history::HistoryError>) {
    let mut frames = Vec::new();
    let mut damaged = Vec::new();
    for &p in wanted {
        let totals = history::read_for_totals(history_dir, p, config).and_then(|df| {
            unit_totals(df.lazy(), config)
                .collect()
                .map_err(|e| history::HistoryError {
                    path: history::partition_file(history_dir, p),
                    why: format!("列的类型不对：{e}"),
                })
        });
        match totals {
            Ok(df) => frames.push(df),
            Err(e) => damaged.push(e),
        }
    }
    let mut frames = frames.into_iter();
    let Some(mut all) = frames.next() else {
        return (None, damaged);
    };
    for df in frames {
        if let Err(e) = all.vstack_mut_owned(df) {
            damaged.push(history::HistoryError {
                path: history_dir.to_path_buf(),
                why: e.to_string(),
            });
            return (None, damaged);
        }
    }
    all.rechunk_mut();
    (Some(all), damaged)
}

/// Adds, for each headline metric, its rank among the rows of the same period (1 = most;
/// ties share the best rank) and its rate per deputy and per station.
pub fn with_ranks_and_rates(units: LazyFrame, headline: &[String]) -> PolarsResult<LazyFrame> {
    let opts = RankOptions {
        method: RankMethod::Min,
        descending: true,
    };
    let mut exprs = Vec::new();
    for m in headline {
        exprs.push(
            col(m.as_str())
                .rank(opts, None)
                .over([col("period")])?
                .cast(DataType::Int64)
                .alias(format!("{m}_rank")),
        );
        exprs.push(
            (col(m.as_str()).cast(DataType::Float64) / col("stations").cast(DataType::Float64))
                .alias(format!("{m}_per_station")),
        );
        if m != "deputies_total" {
            let deputies = col("deputies_total").cast(DataType::Float64);
            exprs.push(
                when(deputies.clone().gt(lit(0.0)))
                    .then(col(m.as_str()).cast(DataType::Float64) / deputies)
                    .otherwise(lit(NULL).cast(DataType::Float64))
                    .alias(format!("{m}_per_deputy")),
            );
        }
    }
    Ok(units.with_columns(exprs))
}

/// Joins each row with the same keys' row of the previous month: adds `<m>_prev`,
/// `<m>_change` and `<m>_change_pct` (null without a previous month or from zero).
pub fn month_on_month(
    totals: LazyFrame,
    keys: &[&str],
    metrics: &[String],
    periods: &[Period],
) -> PolarsResult<LazyFrame> {
    let map = df!(
        "period" => periods.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        "prev_period" => periods.iter().map(|p| p.previous().to_string()).collect::<Vec<_>>(),
    )?;
    let mut prev_cols = vec![col("period").alias("prev_period")];
    prev_cols.extend(keys.iter().filter(|k| **k != "period").map(|k| col(*k)));
    prev_cols.extend(
        metrics
            .iter()
            .map(|m| col(m.as_str()).alias(format!("{m}_prev"))),
    );
    let prev = totals.clone().select(prev_cols);
    let mut on: Vec<Expr> = vec![col("prev_period")];
    on.extend(keys.iter().filter(|k| **k != "period").map(|k| col(*k)));
    let joined = totals
        .join(
            map.lazy(),
            [col("period")],
            [col("period")],
            JoinArgs::new(JoinType::Left),
        )
        .join(prev, on.clone(), on, JoinArgs::new(JoinType::Left));
    let mut exprs = Vec::new();
    for m in metrics {
        let (cur, prev) = (col(m.as_str()), col(format!("{m}_prev")));
        exprs.push((cur.clone() - prev.clone()).alias(format!("{m}_change")));
        exprs.push(
            when(prev.clone().gt(lit(0)))
                .then((cur - prev.clone()).cast(DataType::Float64) / prev.cast(DataType::Float64))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(format!("{m}_change_pct")),
        );
    }
    Ok(joined.with_columns(exprs))
}

/// Sums of every metric from January to `period` of its year.
pub fn year_to_date(county: LazyFrame, period: Period, config: &Config) -> LazyFrame {
    let first = period.january().to_string();
    county
        .filter(
            col("period")
                .gt_eq(lit(first))
                .and(col("period").lt_eq(lit(period.to_string()))),
        )
        .select(sums(config))
}

/// Everything the report writers need for one period.
pub struct Figures {
    /// Station rows of the period.
    pub stations: DataFrame,
    /// Unit totals with ranks, rates and month-on-month.
    pub units: DataFrame,
    /// County totals per period (the trend), with month-on-month.
    pub county: DataFrame,
    /// Year-to-date sums (one row).
    pub ytd: DataFrame,
    /// The months the year-to-date sums cover: those of the period's year up to it that are in
    /// the archive (with the period itself), oldest first.
    pub ytd_months: Vec<Period>,
    /// Each companion kind's month-end state (set by the publication, which holds last month's).
    pub folded: crate::forms::Folded,
    /// The month's receipt log (set by the archive, which keeps it).
    pub receipts: Vec<crate::receipts::Receipt>,
}

/// Why figures could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum FiguresError {
    /// A partition of the history cannot be read.
    #[error(transparent)]
    History(#[from] history::HistoryError),
    /// polars failed.
    #[error("汇总计算失败：{0}")]
    Polars(#[from] PolarsError),
}

/// Computes the period's figures over the history of the earlier periods plus this one (a
/// republished earlier month sees no later month: its trend stops at the period).
pub fn figures(
    checked: &Checked,
    config: &Config,
    history_dir: &Path,
) -> Result<Figures, FiguresError> {
    let period = checked.report.period;
    let stations = stations_frame(period, &checked.counted, config)?;
    figures_over(stations, period, config, history_dir)
}

/// [`figures`] from the period's station rows (`period`, `unit_id`, `unit`, `station`, every
/// metric and `deputies_total`): a roll-up gives its counties as the units.
pub fn figures_over(
    stations: DataFrame,
    period: Period,
    config: &Config,
    history_dir: &Path,
) -> Result<Figures, FiguresError> {
    let mut periods: Vec<Period> = history::periods(history_dir)
        .into_iter()
        .filter(|p| *p <= period)
        .collect();
    // The earlier months' unit totals, one partition at a time (the first partition that cannot
    // be read is the error), then this month's from its station rows.
    let earlier: Vec<Period> = periods.iter().copied().filter(|p| *p != period).collect();
    let (history_units, damaged) = history_unit_totals(history_dir, &earlier, config);
    if let Some(d) = damaged.into_iter().next() {
        return Err(d.into());
    }
    let current = unit_totals(stations.clone().lazy(), config).collect()?;
    let all_units = match history_units {
        Some(mut h) => {
            h.vstack_mut_owned(current)?;
            h.lazy()
                .sort(["period", "unit_id"], SortMultipleOptions::default())
        }
        None => current.lazy(),
    };
    periods.push(period);
    periods.sort();
    periods.dedup();
    let metrics = metric_columns(config);
    // Ranked and rated: every metric but the single deputy levels (their sum is ranked).
    let headline: Vec<String> = metrics
        .iter()
        .filter(|m| !config.level_metrics().any(|l| l.id == **m))
        .cloned()
        .collect();
    let with = |extra: &str| {
        metrics
            .iter()
            .cloned()
            .chain([extra.to_string()])
            .collect::<Vec<_>>()
    };
    let units = all_units.clone();
    // Matched on the unit id: a unit renamed in the config still has its previous month.
    let units = month_on_month(units, &["period", "unit_id"], &with("stations"), &periods)?;
    let units = with_ranks_and_rates(units, &headline)?
        .filter(col("period").eq(lit(period.to_string())))
        .sort(["unit_id"], SortMultipleOptions::default())
        .collect()?;
    let county = county_from_units(all_units, config);
    let ytd = year_to_date(county.clone(), period, config).collect()?;
    let mut county_metrics = with("stations");
    county_metrics.push("units".into());
    let county = month_on_month(county, &["period"], &county_metrics, &periods)?
        .sort(["period"], SortMultipleOptions::default())
        .collect()?;
    let ytd_months = periods
        .iter()
        .copied()
        .filter(|p| p.year() == period.year() && *p <= period)
        .collect();
    Ok(Figures {
        stations,
        units,
        county,
        ytd,
        ytd_months,
        folded: Default::default(),
        receipts: Vec::new(),
    })
}

/// Each unit's monthly totals per metric from `unit_totals` (the frame of [`unit_totals`] over
/// any periods), for periods before `before`. Months in which a metric is null are left out of
/// its series.
pub fn unit_history(
    unit_totals: Option<DataFrame>,
    before: Period,
    config: &Config,
) -> PolarsResult<Vec<crate::check::UnitHistory>> {
    let Some(all) = unit_totals else {
        return Ok(Vec::new());
    };
    let units = all
        .lazy()
        .filter(col("period").lt(lit(before.to_string())))
        .sort(["unit_id", "period"], SortMultipleOptions::default())
        .collect()?;
    let ids = units.column("unit_id")?.str()?.clone();
    let mut out = Vec::new();
    for metric in metric_columns(config) {
        let vals = units.column(&metric)?.cast(&DataType::Int64)?;
        let vals = vals.i64()?;
        let mut cur: Option<crate::check::UnitHistory> = None;
        for i in 0..units.height() {
            let id = ids.get(i).unwrap_or_default().to_string();
            if cur.as_ref().is_none_or(|c| c.unit_id != id) {
                out.extend(cur.take());
                cur = Some(crate::check::UnitHistory {
                    unit_id: id,
                    metric: metric.clone(),
                    values: Vec::new(),
                });
            }
            if let (Some(c), Some(v)) = (cur.as_mut(), vals.get(i)) {
                c.values.push(v);
            }
        }
        out.extend(cur);
    }
    Ok(out)
}
