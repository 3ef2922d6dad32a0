//! `outlier` warnings: a unit's figures judged against its own previous months
//! (median and MAD, robust z-score), added to a checked period's diagnostics.

use super::{Checked, Status};
use crate::config::Config;
use crate::core::findings::{Code, Finding};

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

/// Robust z-score threshold (Iglewicz–Hoaglin): |0.6745·(x − median) / dispersion| above it is
/// an outlier.
pub const OUTLIER_Z: f64 = 3.5;
/// Months of history a unit needs before its figures are judged: with fewer, the median and
/// the spread of its months say too little about what is usual for it.
pub const OUTLIER_MIN_MONTHS: usize = 6;
/// The dispersion is at least this share of the median (a steady unit's MAD may be tiny).
pub const OUTLIER_FLOOR_SHARE: f64 = 0.10;

/// How the outliers are judged, in words: the heading of their block in the text output.
pub fn outlier_method() -> String {
    format!(
        "按稳健 z 值判断（z = 0.6745 ×（本月 − 前几个月中位数）÷ 离散度，离散度取中位数绝对偏差 MAD、中位数的 {:.0}% 与 1 三者中最大的），|z| 超过 {OUTLIER_Z} 才提示；至少要有 {OUTLIER_MIN_MONTHS} 个月的历史",
        OUTLIER_FLOOR_SHARE * 100.0
    )
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The robust z-score of `x` against a history, with its median and dispersion: the
/// dispersion is the MAD, floored at 10% of the median and at 1, so a steady history (all
/// months alike) does not make an ordinary change look extreme.
///
/// ```
/// use liaison::check::robust_z;
/// // 果园镇: three months of 262 voters, then 303. MAD 0 → dispersion 26.2 → z ≈ 1.1.
/// let (z, med, d) = robust_z(303.0, &[262, 262, 262, 262, 262, 262]);
/// assert_eq!(med, 262.0);
/// assert!((d - 26.2).abs() < 1e-9);
/// assert!(z < 3.5);
/// ```
pub fn robust_z(x: f64, history: &[i64]) -> (f64, f64, f64) {
    let mut v: Vec<f64> = history.iter().map(|&x| x as f64).collect();
    let med = median(&mut v);
    let mut dev: Vec<f64> = v.iter().map(|y| (y - med).abs()).collect();
    let spread = median(&mut dev)
        .max(OUTLIER_FLOOR_SHARE * med.abs())
        .max(1.0);
    (0.6745 * (x - med) / spread, med, spread)
}

/// `outlier` warnings: a counted return whose unit total of a metric is far from that unit's
/// own previous months (see [`robust_z`]; only with ≥ [`OUTLIER_MIN_MONTHS`] months). The
/// method, the figures and the threshold are in the message.
pub fn add_outliers(checked: &mut Checked, history: &[UnitHistory], config: &Config) {
    let mut found = Vec::new();
    // The counted files: their unit, sheet and totals are in the document.
    for r in checked
        .report
        .files
        .iter()
        .filter(|f| f.status == Status::Ok)
    {
        let (Some(unit), Some(totals), Some(sheet)) = (r.unit.as_deref(), &r.totals, &r.sheet)
        else {
            continue;
        };
        for h in history
            .iter()
            .filter(|h| h.unit_id == unit && h.values.len() >= OUTLIER_MIN_MONTHS)
        {
            let Some(x) = totals.get(&h.metric).map(|v| v as i64) else {
                continue;
            };
            let (z, med, spread) = robust_z(x as f64, &h.values);
            if z.abs() > OUTLIER_Z {
                let label = config
                    .metric_index(&h.metric)
                    .map_or("进站代表人数".to_string(), |i| {
                        config.metric_title(&config.metrics[i])
                    });
                let n = h.values.len();
                found.push(
                    Finding::new(
                        Code::Outlier,
                        Some(&r.path),
                        format!(
                            "{}本月“{label}”为 {x}，与本单位前 {n} 个月差别很大（中位数 {med}，离散度 {spread:.1}，稳健 z 值 {z:.1}，超过 {OUTLIER_Z}；离散度取 MAD、中位数的 10% 与 1 中最大的）：请核对是否填错",
                            config.unit(unit).map_or(unit, |u| u.name.as_str()),
                        ),
                    )
                    .at(sheet, None)
                    .unit(Some(unit))
                    .brief(format!("{label} {x}（前 {n} 个月中位数 {med}，z {z:.1}）")),
                );
            }
        }
    }
    checked.report.diagnostics.extend(found);
}

#[cfg(test)]
mod outlier_tests {
    use super::*;
    use crate::check::check;
    use crate::core::text::Period;

    #[test]
    fn robust_z_flags_a_jump_and_not_noise() {
        let config = Config::embedded();
        let may = Period::new(2022, 5).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/2022-05");
        let mut report = check(
            crate::forms::monthly::ingest_dir(&dir, &config).unwrap(),
            may,
            &config,
        );
        let before = report.report.diagnostics.len();
        // 北山镇 received 193 voters in May; six months around 60 make that a jump, six
        // around 180 do not (the dispersion is at least 10% of the median), and five months
        // are too few to judge.
        let h = |values: Vec<i64>| UnitHistory {
            unit_id: "beishan".into(),
            metric: "voters_received".into(),
            values,
        };
        add_outliers(
            &mut report,
            &[
                h(vec![60, 62, 58, 61, 60, 60]),
                h(vec![170, 171, 170, 170, 170, 171]),
                h(vec![10, 12, 10, 11, 10]),
            ],
            &config,
        );
        let new: Vec<_> = report.report.diagnostics[before..].iter().collect();
        assert_eq!(new.len(), 1, "{new:#?}");
        assert_eq!(new[0].code, Code::Outlier);
        assert!(
            new[0].message.contains("MAD") && new[0].message.contains("超过 3.5"),
            "{}",
            new[0].message
        );
    }
}
