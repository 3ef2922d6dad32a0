//! Configuration: the region, its units, deputy levels and metrics, as data.
//! The 长沙县 default is embedded; `--config FILE` replaces it whole.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

mod bounds;
mod briefing;
pub mod learn;
pub mod ledger;
pub mod rollup;
pub mod tier;
mod validate;

pub use briefing::Briefing;
pub use rollup::RegionKind;
pub use tier::Tier;
pub mod schedule;

/// The embedded default configuration (长沙县), exactly as `liaison config show` prints it.
pub const DEFAULT_TOML: &str = include_str!("../config/changsha.toml");

/// Largest configuration file read: a province of 2,000 towns with a station register is
/// well under it; a wrong file (a video, /dev/zero) is refused without reading it all.
pub const MAX_CONFIG_BYTES: u64 = 4 * 1024 * 1024;

/// Errors in loading or validating a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("无法读取配置文件 {path}：{source}")]
    Read {
        /// The path given.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The TOML is malformed or a field has the wrong type.
    #[error("配置文件 {path} 格式错误：{source}")]
    Parse {
        /// The path given.
        path: String,
        /// What the TOML parser said.
        source: toml::de::Error,
    },
    /// The TOML parses but is inconsistent (a duplicate id, an unknown group …).
    #[error("配置文件 {path} 有误：{source}")]
    Invalid {
        /// The path given.
        path: String,
        /// What is wrong and what to change.
        source: Invalid,
    },
}

/// What is inconsistent in a config, and what to change (said to the user as it is).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// The whole configuration in force.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The region whose committee runs the tool.
    pub region: Region,
    /// How returns are matched and read (a roll-up config may leave it out).
    #[serde(default)]
    pub matching: Matching,
    /// Which metrics the cross-column warnings compare.
    #[serde(default)]
    pub checks: Checks,
    /// Limits that protect the machine against crafted files.
    #[serde(default)]
    pub limits: Limits,
    /// Wording of the briefing draft.
    #[serde(default)]
    pub briefing: Briefing,
    /// Deputy levels, in display order.
    pub levels: Vec<Level>,
    /// Header groups spanning several metric columns.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Metrics typed into each station row, in template order.
    pub metrics: Vec<Metric>,
    /// The units (towns, subdistricts) that send returns.
    pub units: Vec<Unit>,
    /// The suggestions ledger (意见建议办理台账): categories, statuses, due days, headers.
    #[serde(default)]
    pub ledger: ledger::LedgerConfig,
    /// When returns are due (`[schedule] due_day`): the deadline the notice states.
    #[serde(default, skip_serializing_if = "is_default")]
    pub schedule: schedule::Schedule,
    /// Each unit's position by id, built on the first `unit` lookup (a province looks one up
    /// per file); not part of the file.
    #[serde(skip)]
    unit_index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

/// Whether a section is at its default (left out when the config is printed).
fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// The region (county, district) the committee belongs to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Official name, e.g. 长沙县.
    pub name: String,
    /// How reports name the whole region: 全县, 全区 …
    pub scope: String,
    /// The return template's title.
    pub title: String,
    /// Stations in the whole region, where known (a count, without their names): the report
    /// says when the stations counted in a month differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stations: Option<u64>,
    /// What the units send: monthly returns (the default), or the bundles of the counties
    /// below (`kind = "rollup"`, `liaison rollup`).
    #[serde(default, skip_serializing_if = "RegionKind::is_returns")]
    pub kind: RegionKind,
    /// How sheets and charts name the units together ("各镇街", "分县市区"): 镇街 by default,
    /// 县市区 by default in a roll-up; a province of cities writes 市州.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_word: Option<String>,
}

/// Words and labels used to find things in returns (each list may be left out: empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Matching {
    /// Prefixes removed from unit names before matching (长沙县星沙街道 → 星沙街道).
    pub unit_prefixes: Vec<String>,
    /// Suffixes removed from unit names before matching (星沙街道办事处 → 星沙街道).
    pub unit_suffixes: Vec<String>,
    /// Labels whose value is the reporting unit.
    pub unit_labels: Vec<String>,
    /// Labels whose value is the reporting month.
    pub period_labels: Vec<String>,
    /// Header texts of the station-name column.
    pub station_headers: Vec<String>,
    /// Measure words that may follow a number or a header (人, 人次 …).
    pub measure_words: Vec<String>,
    /// Cell texts that stand for zero (无, -, /).
    pub placeholders: Vec<String>,
}

/// Metric ids used by the cross-column warnings; empty disables the rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// Metric of problems solved (`solved_exceeds_collected`).
    #[serde(default)]
    pub solved: String,
    /// Metric of suggestions collected (`solved_exceeds_collected`).
    #[serde(default)]
    pub collected: String,
}

/// Limits on what one input file may make the reader do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total decompressed size of a zip-based workbook, in bytes.
    pub max_decompressed_bytes: u64,
    /// Most entries in a zip-based workbook.
    pub max_entries: u64,
    /// Most sheets in a workbook.
    pub max_sheets: u64,
    /// Most rows in a sheet.
    pub max_rows: u64,
    /// Most cells (rows × columns of the used range) in a sheet.
    pub max_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_decompressed_bytes: 50 * 1024 * 1024,
            max_entries: 2_000,
            max_sheets: 100,
            max_rows: 50_000,
            max_cells: 1_000_000,
        }
    }
}

/// A deputy level (全国, 省 …).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Stable ASCII id.
    pub id: String,
    /// Chinese label.
    pub label: String,
    /// The tier of people's congress (`tier = "county"`): required, so that regions with
    /// different level sets compare by tier. `None` only before validation refuses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
}

/// A header group spanning several metric columns (进站代表人数, 活动方式).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Stable ASCII id.
    pub id: String,
    /// Header text.
    pub label: String,
    /// Measure word shown in the template header.
    pub measure: String,
    /// Other header spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A figure typed into every station row.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// Stable snake_case id, used in JSON, Parquet and file names.
    pub id: String,
    /// Header text (inside its group, if any).
    pub label: String,
    /// Group id, for columns under a spanning header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Deputy level id, for the deputy counts that make `deputies_total`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Measure word (人, 人次, 场次, 条, 个, 次).
    pub measure: String,
    /// Other header spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A reporting unit (镇 or 街道).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Stable ASCII slug.
    pub id: String,
    /// Official Chinese name.
    pub name: String,
    /// 镇, 街道, 乡 …
    pub kind: String,
    /// Other spellings found in returns.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Station register (optional reference data).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stations: Vec<String>,
    /// Deputies per level id (optional reference data).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roster: BTreeMap<String, u64>,
}

impl Config {
    /// The ids of the figures a return gives: every metric's, then `deputies_total` (the sum of
    /// the deputies by level). Made once, shared by every file.
    pub fn figure_ids(&self) -> std::sync::Arc<[String]> {
        self.metrics
            .iter()
            .map(|m| m.id.clone())
            .chain(["deputies_total".to_string()])
            .collect()
    }

    /// The embedded 长沙县 configuration.
    ///
    /// ```
    /// let config = liaison::config::Config::embedded();
    /// assert_eq!(config.units.len(), 18);
    /// assert_eq!(config.region.name, "长沙县");
    /// ```
    pub fn embedded() -> Config {
        Config::from_toml(DEFAULT_TOML, "(内置配置)").expect("the embedded config is valid")
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = Config::read_text(path)?;
        Config::from_toml(&text, &path.display().to_string())
    }

    /// The text of a configuration file: only a regular file (never a FIFO or a device, which
    /// could hang or never end), at most `MAX_CONFIG_BYTES`, in UTF-8.
    pub fn read_text(path: &Path) -> Result<String, ConfigError> {
        bounds::read_text(path)
    }

    /// Parses and validates configuration text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|source| ConfigError::Parse {
            path: origin.to_string(),
            source,
        })?;
        config.validate().map_err(|source| ConfigError::Invalid {
            path: origin.to_string(),
            source,
        })?;
        Ok(config)
    }

    /// The configured unit with this id.
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        let index = self.unit_index.get_or_init(|| {
            let mut index = std::collections::HashMap::with_capacity(self.units.len());
            for (i, u) in self.units.iter().enumerate() {
                index.entry(u.id.clone()).or_insert(i);
            }
            index
        });
        // The units are a public field: a position the index gives is used only where that
        // unit still has the id (else, and for an id not indexed, the list is searched).
        match index.get(id).and_then(|&i| self.units.get(i)) {
            Some(u) if u.id == id => Some(u),
            _ => self.units.iter().find(|u| u.id == id),
        }
    }

    /// The configured group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The configured level with this id.
    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }

    /// Position of a metric in `metrics` (and so in every row of figures).
    pub fn metric_index(&self, id: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m.id == id)
    }

    /// The column title a person reads: "进站代表人数·全国" or "接待走访选民".
    pub fn metric_title(&self, m: &Metric) -> String {
        match m.group.as_deref().and_then(|g| self.group(g)) {
            Some(g) => format!("{}·{}", g.label, m.label),
            None => m.label.clone(),
        }
    }

    /// Metrics that count deputies by level (进站代表人数 › 全国 …), in config order; their sum is
    /// `deputies_total`.
    pub fn level_metrics(&self) -> impl Iterator<Item = &Metric> {
        self.metrics.iter().filter(|m| m.level.is_some())
    }

    /// Metrics that stand alone in the return's header (接待走访选民, 政策法规宣讲 …): the
    /// headline figures of the briefing and the rankings, after `deputies_total`.
    pub fn headline_metrics(&self) -> impl Iterator<Item = &Metric> {
        self.metrics.iter().filter(|m| m.group.is_none())
    }

    /// Metrics of a group that are not deputy levels (活动方式 › 接待 …).
    pub fn method_metrics(&self) -> impl Iterator<Item = &Metric> {
        self.metrics
            .iter()
            .filter(|m| m.group.is_some() && m.level.is_none())
    }

    /// The label of the deputies' group ("进站代表人数"), as the config names it.
    pub fn deputies_label(&self) -> String {
        self.level_metrics()
            .find_map(|m| m.group.as_deref().and_then(|g| self.group(g)))
            .map_or_else(|| "进站代表人数".to_string(), |g| g.label.clone())
    }

    /// The label of the methods' group ("活动方式"), as the config names it.
    pub fn methods_label(&self) -> String {
        self.method_metrics()
            .find_map(|m| m.group.as_deref().and_then(|g| self.group(g)))
            .map_or_else(|| "活动方式".to_string(), |g| g.label.clone())
    }

    /// Whether any unit carries a station register.
    pub fn has_register(&self) -> bool {
        self.units.iter().any(|u| !u.stations.is_empty())
    }

    /// Whether any unit carries a roster of deputies.
    pub fn has_roster(&self) -> bool {
        self.units.iter().any(|u| !u.roster.is_empty())
    }

    /// The configuration as TOML. The embedded default prints as shipped, comments included.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Chinese texts this configuration can put on a chart or a sheet (for glyph coverage).
    pub fn display_texts(&self) -> Vec<String> {
        let mut v = vec![
            self.region.name.clone(),
            self.region.scope.clone(),
            self.region.title.clone(),
        ];
        v.extend(self.units.iter().map(|u| u.name.clone()));
        v.extend(self.levels.iter().map(|l| l.label.clone()));
        v.extend(self.groups.iter().map(|g| g.label.clone()));
        v.extend(self.metrics.iter().map(|m| self.metric_title(m)));
        v.extend(self.metrics.iter().map(|m| m.measure.clone()));
        v
    }
}

#[cfg(test)]
mod tests;
