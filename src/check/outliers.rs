//! `outlier` warnings: a unit's figures judged against its own previous months
//! (median and MAD, robust z-score), added to a checked period's diagnostics.

use super::{CheckReport, Totals, totals_of};
use crate::config::Config;
use crate::findings::{Code, Finding};

/// A unit's monthly totals of one metric before the period checked (oldest first).
#[derive(Debug, Clone)]
pub struct UnitHistory {
    /// Unit id.
    pub unit_id: String,
    /// Metric id (or `deputies_total`).
    pub metric: String,
    /// Monthly totals.
    pub values: Vec<i64>,
}

/// Robust z-score threshold (Iglewicz–Hoaglin): |0.6745·(x − median) / MAD| above it is an outlier.
pub const OUTLIER_Z: f64 = 3.5;
/// Months of history a unit needs before its figures are judged.
pub const OUTLIER_MIN_MONTHS: usize = 3;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// `outlier` warnings: a counted return whose unit total of a metric is far from that unit's
/// own previous months (median and MAD over ≥ 3 months; robust z above 3.5; a MAD of 0 is
/// taken as 1 so a flat history still flags a jump). The method and figures are in the message.
pub fn add_outliers(report: &mut CheckReport, history: &[UnitHistory], config: &Config) {
    let mut found = Vec::new();
    let ids = Totals::ids(config);
    for r in &report.clean {
        let Some(unit) = r.unit_id() else { continue };
        let totals = totals_of(r, config, &ids);
        for h in history
            .iter()
            .filter(|h| h.unit_id == unit && h.values.len() >= OUTLIER_MIN_MONTHS)
        {
            let Some(x) = totals.get(&h.metric).map(|v| v as i64) else {
                continue;
            };
            let mut v: Vec<f64> = h.values.iter().map(|&x| x as f64).collect();
            let med = median(&mut v);
            let mut dev: Vec<f64> = v.iter().map(|y| (y - med).abs()).collect();
            let mad = median(&mut dev).max(1.0);
            let z = 0.6745 * (x as f64 - med) / mad;
            if z.abs() > OUTLIER_Z {
                let label = config
                    .metric_index(&h.metric)
                    .map_or("进站代表人数".to_string(), |i| {
                        config.metric_title(&config.metrics[i])
                    });
                found.push(
                    Finding::new(
                        Code::Outlier,
                        Some(&r.file),
                        format!(
                            "{}本月“{label}”为 {x},与本单位前 {} 个月差别很大(中位数 {med},MAD {mad},稳健 z 值 {z:.1},超过 {OUTLIER_Z}):请核对是否填错",
                            config.unit(unit).map_or(unit, |u| u.name.as_str()),
                            h.values.len()
                        ),
                    )
                    .at(&r.sheet, None)
                    .unit(Some(unit)),
                );
            }
        }
    }
    report.diagnostics.extend(found);
}

#[cfg(test)]
mod outlier_tests {
    use super::*;
    use crate::check::check;
    use crate::text::Period;

    #[test]
    fn robust_z_flags_a_jump_and_not_noise() {
        let config = Config::embedded();
        let may = Period::new(2022, 5).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/2022-05");
        let mut report = check(
            crate::ingest::ingest_dir(&dir, &config).unwrap(),
            may,
            &config,
        );
        let before = report.diagnostics.len();
        // 北山镇 received 193 voters in May; a history around 60 makes that a jump, one
        // around 190 does not, and two months are too few to judge.
        let h = |values: Vec<i64>| UnitHistory {
            unit_id: "beishan".into(),
            metric: "voters_received".into(),
            values,
        };
        add_outliers(
            &mut report,
            &[
                h(vec![60, 62, 58, 61]),
                h(vec![180, 200, 190]),
                h(vec![10, 12]),
            ],
            &config,
        );
        let new: Vec<_> = report.diagnostics[before..].iter().collect();
        assert_eq!(new.len(), 1, "{new:#?}");
        assert_eq!(new[0].code, Code::Outlier);
        assert!(
            new[0].message.contains("MAD") && new[0].message.contains("3.5"),
            "{}",
            new[0].message
        );
    }
}
