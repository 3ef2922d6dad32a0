//! A partial month said honestly: every unit left out of the figures and why, and the
//! comparison with last month made over the units counted in both months only.

use crate::config::Config;
use crate::core::findings::FileStatus as Status;
use crate::report::view::{Figure, Findings, MonthFigures};

/// Why a configured unit is not in the month's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its return was refused: the first error found in it.
    Refused(String),
    /// No return (none that could be attributed to it).
    NotSent,
}

/// A configured unit whose figures are not in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Unit id.
    pub unit_id: String,
    /// Name as configured.
    pub name: String,
    /// Why.
    pub why: Reason,
}

impl LeftOut {
    /// `黄兴镇（报表有强制性问题：J7 单元格……）` or `福临镇（未报送）`.
    pub fn describe(&self) -> String {
        match &self.why {
            Reason::Refused(first) => format!("{}（报表有强制性问题：{first}）", self.name),
            Reason::NotSent => format!("{}（未报送）", self.name),
        }
    }
}

/// Every configured unit whose figures are not counted this month, in config order.
pub fn left_out(report: &Findings, config: &Config) -> Vec<LeftOut> {
    let mut out = Vec::new();
    for u in &config.units {
        let mine = || {
            report
                .files
                .iter()
                .filter(|f| f.unit.as_deref() == Some(u.id.as_str()))
        };
        if mine().any(|f| f.status == Status::Ok) {
            continue;
        }
        let refused = mine().find(|f| f.status == Status::Error);
        let why = match refused {
            Some(f) => {
                let errors: Vec<&str> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error() && d.file.as_deref() == Some(f.path.as_str()))
                    .map(|d| d.message.as_str())
                    .collect();
                let mut first = errors.first().map_or("无法读取".to_string(), |m| short(m));
                if errors.len() > 1 {
                    first.push_str(&format!("，共 {} 个问题", errors.len()));
                }
                Reason::Refused(first)
            }
            None => Reason::NotSent,
        };
        out.push(LeftOut {
            unit_id: u.id.clone(),
            name: u.name.clone(),
            why,
        });
    }
    out
}

/// What is wrong, without the advice after it (`……：请改正` → `……`).
fn short(message: &str) -> String {
    let cut = ["：请", ":请", "，请", ",请", "。请"]
        .iter()
        .filter_map(|p| message.find(p))
        .min()
        .unwrap_or(message.len());
    message[..cut].trim().to_string()
}

/// The month compared with the last one.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Units counted in both months.
    pub units: usize,
    /// Whether both months counted the same units (the county's own figures compare).
    pub same_units: bool,
    /// One figure per id of [`MonthFigures::ids`]: this month's and last month's sums over
    /// the units counted in both months, and the change.
    pub figures: Vec<Figure>,
}

/// The comparison with last month over the units counted in both months; None when no unit
/// was (no previous month in the archive, or no unit in common).
pub fn compare(m: &MonthFigures) -> Option<Comparison> {
    let dep = m.index("deputies_total")?;
    let both: Vec<_> = m
        .units
        .iter()
        .filter(|u| u.metrics[dep].prev.is_some())
        .collect();
    if both.is_empty() {
        return None;
    }
    let same_units = both.len() == m.units.len() && m.county.units.prev == Some(both.len() as i64);
    let figures = (0..m.ids.len())
        .map(|i| {
            let value: i64 = both.iter().filter_map(|u| u.metrics[i].value).sum();
            let prev: Option<i64> = both.iter().map(|u| u.metrics[i].prev).sum();
            let change = prev.map(|p| value - p);
            Figure {
                value: Some(value),
                prev,
                change,
                change_pct: prev
                    .filter(|&p| p > 0)
                    .map(|p| (value - p) as f64 / p as f64),
            }
        })
        .collect();
    Some(Comparison {
        units: both.len(),
        same_units,
        figures,
    })
}

/// The summary sheet's note on a partial month: the units left out and why, and whether last
/// month's column is shown (only when both months counted the same units).
pub fn summary_note(report: &Findings, config: &Config, like: bool) -> Option<String> {
    let out = left_out(report, config);
    let counted: u64 = report
        .files
        .iter()
        .filter_map(|f| f.stations)
        .sum::<usize>() as u64;
    let stations = config.region.stations.filter(|&n| n != counted);
    if out.is_empty() && like && stations.is_none() {
        return None;
    }
    let mut note = String::from("注：");
    if let Some(n) = stations {
        note.push_str(&format!(
            "本月计入的工作站为 {counted} 个，与配置中{}共 {n} 个工作站不同。",
            config.region.scope
        ));
    }
    if !out.is_empty() {
        let names: Vec<String> = out.iter().map(LeftOut::describe).collect();
        note.push_str(&format!(
            "本月未计入{}个单位：{}。",
            out.len(),
            names.join("、")
        ));
    }
    if !like {
        note.push_str("两个月计入的单位不同，上月、环比不作比较（同口径比较见简报）。");
    }
    Some(note)
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn advice_is_cut_from_the_reason() {
        assert_eq!(
            short("J7 单元格（接待走访选民）填的是“若干”，不是数字：请填写阿拉伯数字"),
            "J7 单元格（接待走访选民）填的是“若干”，不是数字"
        );
        assert_eq!(short("无法读取"), "无法读取");
    }
}
