//! A configuration checked as a whole once it is read: ids unique and well formed, every
//! level, group and metric it names defined, then each part's own rules.

use std::collections::HashSet;

use super::{Config, Invalid, bounds, rollup, tier};
use crate::core::text::fold;

impl Config {
    /// The first thing wrong with this configuration as a whole, if any.
    pub(super) fn validate(&self) -> Result<(), Invalid> {
        bounds::check(self)?;
        tier::check(self)?;
        self.schedule.validate()?;
        unique("单位 id", self.units.iter().map(|u| u.id.as_str()))?;
        unique("单位名称", self.units.iter().map(|u| u.name.as_str()))?;
        unique("指标 id", self.metrics.iter().map(|m| m.id.as_str()))?;
        unique("层级 id", self.levels.iter().map(|l| l.id.as_str()))?;
        unique("分组 id", self.groups.iter().map(|g| g.id.as_str()))?;
        if self.units.is_empty() || self.metrics.is_empty() {
            return Err(Invalid(
                "至少需要一个单位 [[units]] 和一个指标 [[metrics]]".to_string(),
            ));
        }
        for u in &self.units {
            if !is_slug(&u.id) {
                return Err(Invalid(format!(
                    "单位 id \"{}\" 只能用小写英文字母、数字、下划线和连字符",
                    u.id
                )));
            }
            if let Some(l) = u.roster.keys().find(|l| self.level(l).is_none()) {
                return Err(Invalid(format!(
                    "单位 {} 的 roster 中的层级 \"{l}\" 未在 [[levels]] 中定义",
                    u.name
                )));
            }
        }
        for m in &self.metrics {
            if !is_slug(&m.id) || m.id == "deputies_total" {
                return Err(Invalid(format!(
                    "指标 id “{}” 不可用（须为小写英文、数字、下划线，且不能是 deputies_total）",
                    m.id
                )));
            }
            if let Some(g) = &m.group
                && self.group(g).is_none()
            {
                return Err(Invalid(format!(
                    "指标 {} 的分组 \"{g}\" 未在 [[groups]] 中定义",
                    m.id
                )));
            }
            if let Some(l) = &m.level
                && self.level(l).is_none()
            {
                return Err(Invalid(format!(
                    "指标 {} 的层级 \"{l}\" 未在 [[levels]] 中定义",
                    m.id
                )));
            }
        }
        for id in [&self.checks.solved, &self.checks.collected] {
            if !id.is_empty() && self.metric_index(id).is_none() {
                return Err(Invalid(format!(
                    "[checks] 中的指标 \"{id}\" 未在 [[metrics]] 中定义"
                )));
            }
        }
        rollup::check(self)
    }
}

fn unique<'a>(what: &str, items: impl Iterator<Item = &'a str>) -> Result<(), Invalid> {
    let mut seen = HashSet::new();
    for i in items {
        if !seen.insert(fold(i)) {
            return Err(Invalid(format!("{what} \"{i}\" 重复")));
        }
    }
    Ok(())
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}
