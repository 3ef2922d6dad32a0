//! What a config's units send (`[region] kind`): monthly returns, or the bundles of the counties
//! below (a roll-up config: counties as units, one deputy column per tier), and its validation.

use serde::{Deserialize, Serialize};

use super::tier::{TIERS, Tier};
use super::{Config, Invalid, Metric};

/// What the units of a config send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    /// Each unit (镇、街道) sends its monthly return (`check`, `report`).
    #[default]
    Returns,
    /// Each unit (县、区、县级市, or a city) sends the bundle of its published month
    /// (`liaison archive export`); the region compiles them (`liaison rollup`).
    Rollup,
}

impl RegionKind {
    /// Whether this is the default (monthly returns).
    pub fn is_returns(&self) -> bool {
        *self == RegionKind::Returns
    }
}

impl Config {
    /// Whether this is a roll-up config (`[region] kind = "rollup"`).
    pub fn is_rollup(&self) -> bool {
        self.region.kind == RegionKind::Rollup
    }

    /// How the units are named together: `[region] unit_word`, else 镇街 (县市区 in a roll-up).
    pub fn unit_word(&self) -> &str {
        match &self.region.unit_word {
            Some(w) => w,
            None if self.is_rollup() => "县市区",
            None => "镇街",
        }
    }

    /// The tier of a deputy-level metric (through its level), `None` for other metrics.
    pub fn metric_tier(&self, m: &Metric) -> Option<Tier> {
        self.level(m.level.as_deref()?)?.tier
    }

    /// The metric counting deputies of `tier` (a roll-up config has exactly one per tier).
    pub fn tier_metric(&self, tier: Tier) -> Option<&Metric> {
        self.level_metrics()
            .find(|m| self.metric_tier(m) == Some(tier))
    }
}

/// A returns config reads returns, so it needs the words to find their columns; a roll-up
/// config has one level per tier, each with its one metric, and counties without registers.
pub fn check(c: &Config) -> Result<(), Invalid> {
    if !c.is_rollup() {
        if c.matching.station_headers.is_empty() {
            return Err(Invalid(
                "缺少 [matching] 中的 station_headers（工作站名称列的表头）：请从 liaison config show 打印的默认配置中复制 [matching] 一节".into(),
            ));
        }
        return Ok(());
    }
    for t in TIERS {
        let levels: Vec<&str> = c
            .levels
            .iter()
            .filter(|l| l.tier == Some(t))
            .map(|l| l.id.as_str())
            .collect();
        match levels.as_slice() {
            [] => {
                return Err(Invalid(format!(
                    "汇总配置（kind = \"rollup\"）要为五级人大各设一个层级：缺少 tier = \"{t}\"（{}）的 [[levels]]，请补上（各县市区报来的这一级代表计入它）",
                    t.label()
                )));
            }
            [_] => {}
            _ => {
                return Err(Invalid(format!(
                    "汇总配置中层级 {} 的 tier 都是 \"{t}\"：每一级人大只能有一个层级，请删去多余的",
                    levels.join("、")
                )));
            }
        }
    }
    for l in &c.levels {
        let n = c
            .metrics
            .iter()
            .filter(|m| m.level.as_deref() == Some(l.id.as_str()))
            .count();
        if n != 1 {
            return Err(Invalid(format!(
                "汇总配置中层级 {}（{}）应有且只有一个指标（level = \"{}\"），现有 {n} 个：它是汇总表中这一级代表人数的一列",
                l.id, l.label, l.id
            )));
        }
    }
    if let Some(u) = c
        .units
        .iter()
        .find(|u| !u.stations.is_empty() || !u.roster.is_empty())
    {
        return Err(Invalid(format!(
            "汇总配置的单位是各县市区：{} 不需要工作站名册（stations）和代表名册（roster），请删去",
            u.name
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, DEFAULT_TOML};

    #[test]
    fn a_level_without_tier_is_named_with_the_line_to_add() {
        let text = DEFAULT_TOML.replacen("tier = \"county\"\n", "", 1);
        let err = Config::from_toml(&text, "old.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("层级 county（县）") && err.contains("tier = \"county\""),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_tier_word_is_refused_in_chinese() {
        let text = DEFAULT_TOML.replacen("tier = \"county\"", "tier = \"district\"", 1);
        let err = Config::from_toml(&text, "bad.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("不能是“district”"), "{err}");
    }

    #[test]
    fn the_shipped_rollup_configs_are_valid_and_drawable() {
        for (file, units, word) in [
            ("changsha-city.toml", 9, "县市区"),
            ("zhuzhou-city.toml", 9, "县市区"),
            ("hunan.toml", 14, "市州"),
        ] {
            let path = format!("{}/config/{file}", env!("CARGO_MANIFEST_DIR"));
            let c = Config::load(std::path::Path::new(&path)).unwrap();
            assert!(c.is_rollup(), "{file}");
            assert_eq!(c.units.len(), units, "{file}");
            assert_eq!(c.unit_word(), word, "{file}");
            for t in crate::config::tier::TIERS {
                assert!(c.tier_metric(t).is_some(), "{file} {t}");
            }
            // Every name a chart may draw is in the shipped font (浏阳市, 醴陵市 …).
            for t in c.display_texts() {
                let missing = crate::report::font::missing_glyphs(&t);
                assert!(missing.is_empty(), "{file} {t}: {missing:?}");
            }
        }
    }

    #[test]
    fn levels_map_to_tiers() {
        let c = Config::embedded();
        let tiers: Vec<&str> = c
            .level_metrics()
            .map(|m| c.metric_tier(m).unwrap().as_str())
            .collect();
        assert_eq!(
            tiers,
            ["national", "provincial", "municipal", "county", "township"]
        );
    }
}
