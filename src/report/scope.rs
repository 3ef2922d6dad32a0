//! A partial month said honestly: every unit left out of the figures and why, and the
//! comparison with last month made over the units counted in both months only.

use crate::check::Status;
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::figures::{Figure, MonthFigures};
use crate::report::View;

/// Why a configured unit is not in the month's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its return was refused: the first problem found in it, in words for the leadership
    /// (`报表数据有误：政策法规宣讲一栏填写的不是数字`), not the checker's cell-level text.
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
    /// `黄兴镇（报表数据有误：政策法规宣讲一栏填写的不是数字，已退回修改）` or `福临镇（未报送）`.
    pub fn describe(&self) -> String {
        match &self.why {
            Reason::Refused(first) => format!("{}（{first}，已退回修改）", self.name),
            Reason::NotSent => format!("{}（未报送）", self.name),
        }
    }
}

/// Every configured unit whose figures are not counted this month, in config order.
pub fn left_out(report: &View, config: &Config) -> Vec<LeftOut> {
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
                let errors: Vec<&Finding> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error() && d.file.as_deref() == Some(f.path.as_str()))
                    .collect();
                let mut first = errors
                    .first()
                    .map_or("报表文件无法读取".to_string(), |d| plain(d));
                if errors.len() > 1 {
                    first.push_str(&format!("等 {} 处问题", errors.len()));
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
pub(crate) fn short(message: &str) -> String {
    let cut = ["：请", ":请", "，请", ",请", "。请"]
        .iter()
        .filter_map(|p| message.find(p))
        .min()
        .unwrap_or(message.len());
    message[..cut].trim().to_string()
}

/// The column a cell finding names: `K6 单元格(政策法规宣讲)…` → `政策法规宣讲`.
fn column(message: &str) -> Option<&str> {
    let start = ["单元格(", "单元格（"]
        .iter()
        .find_map(|k| message.find(k).map(|i| i + k.len()))?;
    let rest = &message[start..];
    let end = rest.find([')', '）'])?;
    Some(rest[..end].trim()).filter(|c| !c.is_empty())
}

/// A refusing finding said for the leadership: what kind of problem, without cells or codes.
pub fn plain(d: &Finding) -> String {
    let cell = |what: &str| match column(&d.message) {
        Some(c) => format!("报表数据有误：{c}一栏{what}"),
        None => format!("报表数据有误：有数字{what}"),
    };
    match d.code {
        Code::InvalidValue => cell("填写的不是数字"),
        Code::NegativeValue => cell("填写了负数"),
        Code::FractionValue => cell("填写了小数"),
        Code::FormulaWithoutValue => cell("是没有计算结果的公式"),
        Code::TotalMismatch => "报表合计数与各工作站之和不符".into(),
        Code::MissingColumn => "报表缺少必填的栏目".into(),
        Code::AmbiguousReturn => "报表栏目重复，无法确定取哪一栏".into(),
        Code::UnreadableFile => "报表文件无法打开".into(),
        Code::EncryptedFile => "报表文件设置了密码，无法打开".into(),
        Code::TooLarge => "报表文件过大，无法读取".into(),
        Code::UnitNotFound => "报表没有写明填报单位".into(),
        Code::UnknownUnit => "报表的填报单位无法识别".into(),
        Code::PeriodNotFound => "报表没有写明报送月份".into(),
        Code::PeriodMismatch => "报送的不是本月的报表".into(),
        Code::DuplicateReturn => "报送了多份报表，须确认以哪一份为准".into(),
        Code::DuplicateStation => "同一工作站填报了两次".into(),
        Code::LedgerInvalid => "意见建议办理台账填写有误".into(),
        Code::LedgerDuplicate => "意见建议办理台账编号重复".into(),
        _ => "报表有误".into(),
    }
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
pub fn summary_note(report: &View, config: &Config, like: bool) -> Option<String> {
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
    use super::*;

    #[test]
    fn a_cell_problem_is_said_without_the_cell() {
        let f = Finding::new(
            Code::InvalidValue,
            Some("x.xlsx"),
            "K6 单元格(政策法规宣讲)\"1O\" 不是数字:请填写阿拉伯数字",
        );
        assert_eq!(plain(&f), "报表数据有误：政策法规宣讲一栏填写的不是数字");
        let f = Finding::new(Code::NegativeValue, Some("x.xlsx"), "数字为负");
        assert_eq!(plain(&f), "报表数据有误：有数字填写了负数");
        let f = Finding::new(Code::EncryptedFile, Some("x.xlsx"), "加密");
        assert_eq!(plain(&f), "报表文件设置了密码，无法打开");
    }
}
