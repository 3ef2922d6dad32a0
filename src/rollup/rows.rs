//! A verified bundle's rows in the roll-up's terms: every station row of the county with the
//! roll-up unit's id and name in front, each deputy level summed into its tier's column (never
//! by position), the other metrics by id; a metric the county does not have is null, never 0.

use polars::prelude::*;

use crate::bundle::Bundle;
use crate::bundle::verify::LEVEL_KEYS;
use crate::config::{Config, Unit};
use crate::core::findings::{Code, Finding};
use crate::forms::Carried;

/// The key a roll-up adds above a bundle's rows: `county` for a county's month, `city` for a
/// city's roll-up, `province` for a province's; `None` past that.
pub fn key_of(bundle: &Bundle) -> Option<&'static str> {
    LEVEL_KEYS.get(bundle.depth()).copied()
}

/// One bundle's rows, ready for the roll-up's history, and what could not be carried over.
#[derive(Debug)]
pub struct Rows {
    /// `<key>_id`, `<key>`, the bundle's own keys, `station`, the roll-up's metrics in config
    /// order, `deputies_total`, `source_sha256`, `<key>_manifest_sha256` and any deeper ones.
    pub stations: DataFrame,
    /// The bundle's ledger items with `<key>_id` and `<key>` in front.
    pub ledger: DataFrame,
    /// What each companion kind carries up for the roll-up's figures (the ledger's items: the
    /// roll-up unit's id as `unit_id`, the places under it and the 编号 as `item_id`,
    /// 长沙县·星沙街道·XS-001 in a province's).
    pub carried: Carried,
    /// The roll-up key of the rows (`county`, `city` …) and the bundle's depth under it.
    pub key: &'static str,
    /// Warnings: metrics the county does not report, metrics the roll-up does not know.
    pub notes: Vec<Finding>,
}

/// Why a verified bundle's rows cannot be taken (the whole bundle is then refused).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unusable(pub String);

fn polars(e: PolarsError) -> Unusable {
    Unusable(format!("历史数据的列无法读取（{e}）"))
}

/// A column of the bundle's history as Int64.
fn int(h: &DataFrame, name: &str) -> Result<Series, Unusable> {
    h.column(name)
        .map_err(polars)?
        .as_materialized_series()
        .strict_cast(&DataType::Int64)
        .map_err(polars)
}

/// The sum of the bundle's level columns whose tier is `tier`; `None` when it has none.
fn tier_sum(bundle: &Bundle, tier: crate::config::Tier) -> Result<Option<Series>, Unusable> {
    let own = &bundle.config;
    let mut sum: Option<Series> = None;
    for theirs in own
        .level_metrics()
        .filter(|x| own.metric_tier(x) == Some(tier))
    {
        let s = int(&bundle.history, &theirs.id)?;
        sum = Some(match sum {
            None => s,
            Some(a) => (&a + &s).map_err(polars)?,
        });
    }
    Ok(sum)
}

/// The key columns: the roll-up unit's, then the bundle's own (outermost first), the station's.
fn key_columns(bundle: &Bundle, unit: &Unit, key: &str) -> Result<Vec<Column>, Unusable> {
    let (h, n) = (&bundle.history, bundle.history.height());
    let mut cols: Vec<Column> = vec![
        Column::new(format!("{key}_id").into(), vec![unit.id.clone(); n]),
        Column::new(key.into(), vec![unit.name.clone(); n]),
    ];
    for k in LEVEL_KEYS[..bundle.depth()].iter().rev() {
        for c in [format!("{k}_id"), k.to_string()] {
            cols.push(h.column(&c).map_err(polars)?.clone());
        }
    }
    for c in ["unit_id", "unit", "station"] {
        cols.push(h.column(c).map_err(polars)?.clone());
    }
    Ok(cols)
}

/// The rows of `bundle`, sent by the roll-up unit `unit` of `rollup`.
pub fn rows(bundle: &Bundle, unit: &Unit, rollup: &Config) -> Result<Rows, Unusable> {
    let key = key_of(bundle)
        .ok_or_else(|| Unusable("数据包已经是省一级的汇总，不能再往上汇总".into()))?;
    let own = &bundle.config;
    let h = &bundle.history;
    let n = h.height();
    let mut notes = Vec::new();
    let note = |message: String| {
        Finding::new(Code::BundleMetric, Some(&bundle.file), message).unit(Some(&unit.id))
    };
    let mut cols = key_columns(bundle, unit, key)?;
    let mut tiers_total: Option<Series> = None;
    for m in &rollup.metrics {
        let column = match rollup.metric_tier(m) {
            Some(tier) => {
                let sum = tier_sum(bundle, tier)?;
                if let Some(s) = &sum {
                    // A tier a county does not have is null in its rows: 0 towards the total.
                    let s = s.fill_null(FillNullStrategy::Zero).map_err(polars)?;
                    tiers_total = Some(match tiers_total {
                        None => s,
                        Some(a) => (&a + &s).map_err(polars)?,
                    });
                }
                sum
            }
            None if own.metric_index(&m.id).is_some() => Some(int(h, &m.id)?),
            None => {
                notes.push(note(format!(
                    "{}的配置中没有“{}”（{}），汇总表中它的这一项显示为“—”，不计作 0",
                    bundle.manifest.region,
                    rollup.metric_title(m),
                    m.id
                )));
                None
            }
        };
        let column = column
            .unwrap_or_else(|| Series::full_null("".into(), n, &DataType::Int64))
            .with_name(m.id.as_str().into());
        cols.push(column.into());
    }
    for theirs in own
        .metrics
        .iter()
        .filter(|x| x.level.is_none() && rollup.metric_index(&x.id).is_none())
    {
        notes.push(note(format!(
            "{}报来的“{}”（{}）不在汇总配置的指标中，没有汇总",
            bundle.manifest.region,
            own.metric_title(theirs),
            theirs.id
        )));
    }
    let total = int(h, "deputies_total")?;
    let ours = tiers_total.unwrap_or_else(|| Series::new("".into(), vec![0i64; n]));
    if !total.equals_missing(&ours.with_name("deputies_total".into())) {
        return Err(Unusable(
            "历史数据中的进站代表合计（deputies_total）与各级代表人数之和不一致".into(),
        ));
    }
    cols.push(total.into());
    cols.push(h.column("source_sha256").map_err(polars)?.clone());
    cols.push(Column::new(
        format!("{key}_manifest_sha256").into(),
        vec![bundle.manifest.manifest_sha256.clone(); n],
    ));
    for k in LEVEL_KEYS[..bundle.depth()].iter().rev() {
        cols.push(
            h.column(&format!("{k}_manifest_sha256"))
                .map_err(polars)?
                .clone(),
        );
    }
    let stations = DataFrame::new(n, cols).map_err(polars)?;
    Ok(Rows {
        stations,
        ledger: ledger_rows(bundle, unit, key).map_err(polars)?,
        carried: carried(bundle, unit)?,
        key,
        notes,
    })
}

/// What the bundle carries up, named for the roll-up: each ledger item under the roll-up unit,
/// its 编号 prefixed with the names of the places between (the town, and the county in a
/// city's).
fn carried(bundle: &Bundle, unit: &Unit) -> Result<Carried, Unusable> {
    let bad = |e: PolarsError| Unusable(format!("台账数据无法读取（{e}）"));
    let depth = bundle.depth();
    // The names of each row's places, from the history (the ledger keeps ids only).
    let text = |df: &DataFrame, c: &str| -> Result<Vec<String>, Unusable> {
        let s = df
            .column(c)
            .map_err(bad)?
            .cast(&DataType::String)
            .map_err(bad)?;
        Ok(s.str()
            .map_err(bad)?
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect())
    };
    let path = |df: &DataFrame, name: bool| -> Result<Vec<String>, Unusable> {
        let mut cols = Vec::new();
        for k in LEVEL_KEYS[..depth].iter().rev() {
            cols.push(text(
                df,
                &if name {
                    k.to_string()
                } else {
                    format!("{k}_id")
                },
            )?);
        }
        let last = if name { "unit" } else { "unit_id" };
        if df.schema().contains(last) {
            cols.push(text(df, last)?);
        }
        Ok((0..df.height())
            .map(|i| {
                cols.iter()
                    .map(|c| c[i].clone())
                    .collect::<Vec<_>>()
                    .join("·")
            })
            .collect())
    };
    let h = &bundle.history;
    let names: std::collections::HashMap<String, String> =
        path(h, false)?.into_iter().zip(path(h, true)?).collect();
    let mut ledger_keys: Vec<Vec<String>> = Vec::new();
    for k in LEVEL_KEYS[..depth].iter().rev() {
        ledger_keys.push(text(&bundle.ledger, &format!("{k}_id"))?);
    }
    let towns = text(&bundle.ledger, "unit_id")?;
    let places: Vec<String> = towns
        .iter()
        .enumerate()
        .map(|(i, town)| {
            let mut ids: Vec<String> = ledger_keys.iter().map(|c| c[i].clone()).collect();
            ids.push(town.clone());
            let id_path = ids.join("·");
            names
                .get(&id_path)
                .cloned()
                .or_else(|| bundle.config.unit(town).map(|u| u.name.clone()))
                .unwrap_or(id_path)
        })
        .collect();
    Carried::read(&bundle.ledger, &places, &unit.id).map_err(bad)
}

fn ledger_rows(bundle: &Bundle, unit: &Unit, key: &str) -> PolarsResult<DataFrame> {
    let l = &bundle.ledger;
    let n = l.height();
    let mut cols = vec![
        Column::new(format!("{key}_id").into(), vec![unit.id.clone(); n]),
        Column::new(key.into(), vec![unit.name.clone(); n]),
    ];
    cols.extend(l.columns().iter().cloned());
    DataFrame::new(n, cols)
}
