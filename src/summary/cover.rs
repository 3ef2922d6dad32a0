//! What each month of a summary rests on (覆盖说明): its publication, whether it was preliminary,
//! the units it left out and why (as its manifest records), the metrics its form lacked.

use std::collections::HashSet;

use super::read::{Publication, UnitRow};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::Period;
use crate::report::scope::{plain, short};

/// Why a month is in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A month of the span.
    Current,
    /// The same month of the previous year (同比).
    PreviousYear,
}

/// A configured unit not in a month's figures, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Unit id.
    pub unit_id: String,
    /// Name as configured.
    pub name: String,
    /// Why, in words fit for the leadership: 未报送, 报表数据有误：…
    pub why: String,
}

impl LeftOut {
    /// `福临镇（未报送）`.
    pub fn describe(&self) -> String {
        format!("{}（{}）", self.name, self.why)
    }
}

/// The state of a month's receipt log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogState {
    /// Kept: the sha256 of its partition.
    Kept(String),
    /// Not kept that month (未登记).
    NotKept,
    /// There, but not readable as the log: why.
    Unreadable(String),
}

/// A published month as the summary used it.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// sha256 of its `manifest.json`.
    pub manifest_sha256: String,
    /// Published 初步.
    pub preliminary: bool,
    /// Units counted.
    pub units: usize,
    /// Stations counted.
    pub stations: i64,
    /// Configured units not counted, in config order.
    pub left_out: Vec<LeftOut>,
    /// Metric ids (of the config in force) its form did not have.
    pub lacking: Vec<String>,
    /// Its receipt log (None: not read, for the previous year's months).
    pub log: Option<LogState>,
}

/// One month of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthCover {
    /// The month.
    pub period: Period,
    /// Of the span or of the previous year.
    pub role: Role,
    /// None: not published.
    pub published: Option<Published>,
}

/// Every configured unit with no figures in the month, in config order, with the reason its
/// manifest records: its return refused (the first problem), not sent, or not in that month's
/// config.
pub fn left_out(publication: &Publication, rows: &[UnitRow], config: &Config) -> Vec<LeftOut> {
    let m = &publication.manifest;
    let counted: HashSet<&str> = rows.iter().map(|r| r.unit_id.as_str()).collect();
    let mut out = Vec::new();
    for u in config
        .units
        .iter()
        .filter(|u| !counted.contains(u.id.as_str()))
    {
        let refused = m
            .excluded
            .iter()
            .find(|e| e["unit"].as_str() == Some(u.id.as_str()));
        let why = if let Some(e) = refused {
            refused_words(e)
        } else if m.missing_units.contains(&u.id) {
            "未报送".to_string()
        } else if m.region.as_ref().is_some_and(|r| !r.units.contains(&u.id)) {
            "当月配置中没有该单位".to_string()
        } else {
            "未计入（该月发布清单没有记录原因）".to_string()
        };
        out.push(LeftOut {
            unit_id: u.id.clone(),
            name: u.name.clone(),
            why,
        });
    }
    out
}

/// Why a refused return was left out, as the monthly report says it to the leadership
/// (`报表数据有误：政策法规宣讲一栏填写的不是数字等 2 处问题`), from the first reason its
/// manifest records and that reason's code; a manifest of an earlier version, which records
/// no codes, gives the first reason without its advice (`报表未通过审核：…`).
fn refused_words(excluded: &serde_json::Value) -> String {
    let reasons: Vec<&str> = excluded["reasons"]
        .as_array()
        .map(|v| v.iter().filter_map(|r| r.as_str()).collect())
        .unwrap_or_default();
    let code = excluded["codes"]
        .get(0)
        .and_then(|c| serde_json::from_value::<Code>(c.clone()).ok());
    match (reasons.first(), code) {
        (Some(first), Some(code)) => {
            let mut words = plain(&Finding::new(code, None, *first));
            if reasons.len() > 1 {
                words.push_str(&format!("等 {} 处问题", reasons.len()));
            }
            words
        }
        (first, _) => {
            let mut first = first.map_or("无法读取".to_string(), |r| short(r));
            if reasons.len() > 1 {
                first.push_str(&format!("，共 {} 个问题", reasons.len()));
            }
            format!("报表未通过审核：{first}")
        }
    }
}

/// The metric ids no unit of the month has a figure for (its form did not have them).
pub fn lacking(ids: &[String], rows: &[UnitRow]) -> Vec<String> {
    if rows.is_empty() {
        return Vec::new();
    }
    ids.iter()
        .enumerate()
        .filter(|(i, _)| rows.iter().all(|r| r.values[*i].is_none()))
        .map(|(_, id)| id.clone())
        .collect()
}

/// The month's cover, from what was read of it.
pub fn published(
    publication: &Publication,
    rows: &[UnitRow],
    ids: &[String],
    config: &Config,
    log: Option<LogState>,
) -> Published {
    Published {
        manifest_sha256: publication.manifest_sha256.clone(),
        preliminary: publication.manifest.preliminary,
        units: rows.len(),
        stations: rows.iter().map(|r| r.stations).sum(),
        left_out: left_out(publication, rows, config),
        lacking: lacking(ids, rows),
        log,
    }
}

#[cfg(test)]
mod tests {
    use super::refused_words;
    use serde_json::json;

    #[test]
    fn a_refused_return_in_the_leadership_words_or_as_recorded_before_codes() {
        let reasons = json!([
            "J5 单元格（接待走访选民）为负数 -3，请填写 0 或正整数",
            "K6 单元格（政策法规宣讲）“若干”不是数字，请填写阿拉伯数字整数"
        ]);
        let now = json!({"reasons": reasons, "codes": ["negative_value", "invalid_value"]});
        assert_eq!(
            refused_words(&now),
            "报表数据有误：接待走访选民一栏填写了负数等 2 处问题"
        );
        // A manifest of an earlier version records no codes: the first reason without advice.
        let before = json!({"reasons": reasons});
        assert_eq!(
            refused_words(&before),
            "报表未通过审核：J5 单元格（接待走访选民）为负数 -3，共 2 个问题"
        );
        assert_eq!(
            refused_words(&json!({"reasons": ["文件无法读取"], "codes": ["unreadable_file"]})),
            "报表文件无法打开"
        );
    }
}
