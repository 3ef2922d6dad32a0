//! Reading a bundle back: every check before any figure is taken (a zip, a bundle, every file
//! matching its sha256 along the chain bundle.json → manifest → partitions and config, both
//! partitions decodable within bounds). A bundle either passes whole or gives one finding.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{BundleManifest, CONFIG, FORMAT, MANIFEST, PUBLICATION, VERSION, pack, sha};
use crate::archive::{Manifest, Spec};
use crate::config::{Config, Limits, RegionKind};
use crate::core::findings::{Code, Finding};
use crate::core::text::Period;
use crate::datasets::{HISTORY, LEDGER};
use crate::history::PART;

/// A bundle that passed every check: what a roll-up takes its figures from.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The file, as shown.
    pub file: String,
    /// sha256 of the whole file.
    pub sha256: String,
    /// Its `bundle.json`.
    pub manifest: BundleManifest,
    /// The publication's manifest (its sha256 is `manifest.manifest_sha256`).
    pub publication: Manifest,
    /// The month.
    pub period: Period,
    /// The config the month was published with (levels, tiers, metric ids, scope).
    pub config: Config,
    /// The history partition: one row per station.
    pub history: DataFrame,
    /// The ledger partition: the month-end state of every item.
    pub ledger: DataFrame,
    /// The publication's top-level files (workbook, briefing), by name.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Bundle {
    /// The key columns its history carries before `unit_id`: none for a county's month,
    /// `county_id`/`county` for a city's roll-up, and so on up.
    pub fn depth(&self) -> usize {
        depth_of(&self.history)
    }
}

pub use crate::history::LEVEL_KEYS;

/// How many roll-up key pairs (`county_id`/`county`, `city_id`/`city` …) a history carries.
pub fn depth_of(history: &DataFrame) -> usize {
    LEVEL_KEYS
        .iter()
        .take_while(|k| history.schema().contains(&format!("{k}_id")))
        .count()
}

/// Why a bundle was refused: its code and what to do (a finding once the file is named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// `bundle_invalid`, `bundle_mismatch` or `too_large`.
    pub code: Code,
    /// What is wrong and what to do.
    pub message: String,
}

impl Refused {
    /// The finding naming `file`.
    pub fn finding(self, file: &str) -> Finding {
        Finding::new(self.code, Some(file), self.message)
    }
}

fn refuse(code: Code, message: String) -> Refused {
    Refused { code, message }
}

fn invalid(m: String) -> Refused {
    refuse(Code::BundleInvalid, m)
}

fn mismatch(m: String) -> Refused {
    refuse(
        Code::BundleMismatch,
        format!(
            "{m}：数据包已损坏或被改动，未使用其中任何数字。请县区重新导出（liaison archive export）后上报"
        ),
    )
}

const REDO: &str = "请县区用 liaison archive export 导出后上报";

/// The entries of a bundle's zip by path.
type Entries = BTreeMap<String, Vec<u8>>;

/// Checks one bundle file's bytes (shown as `file`) and decodes it, or says why not.
pub fn read_bundle(file: &str, bytes: &[u8], limits: &Limits) -> Result<Bundle, Refused> {
    let (bm, mut map) = open(bytes, limits)?;
    let (m, period, config) = publication(&mut map, &bm)?;
    let (history_bytes, ledger_bytes, files) = parts(map, &m, period)?;
    let history = decode(&history_bytes, limits)
        .and_then(|df| history_shape(df, &config))
        .map_err(|why| invalid(format!("历史数据无法读取：{why}")))?;
    let ledger = decode(&ledger_bytes, limits)
        .and_then(|df| ledger_shape(df, depth_of(&history)))
        .map_err(|why| invalid(format!("台账数据无法读取：{why}")))?;
    Ok(Bundle {
        file: file.to_string(),
        sha256: sha(bytes),
        manifest: bm,
        publication: m,
        period,
        config,
        history,
        ledger,
        files,
    })
}

/// The zip inflated within bounds, its `bundle.json`, and every entry matching it (none missing,
/// none more).
fn open(bytes: &[u8], limits: &Limits) -> Result<(BundleManifest, Entries), Refused> {
    let entries = pack::read(bytes, limits).map_err(|e| match e {
        pack::Unpacked::NotZip(m) | pack::Unpacked::Odd(m) => {
            invalid(format!("不是上报数据包：{m}。{REDO}"))
        }
        pack::Unpacked::TooLarge(m) => refuse(Code::TooLarge, format!("数据包{m}，未读取")),
    })?;
    let map: Entries = entries.into_iter().collect();
    let bm: BundleManifest = match map.get(MANIFEST) {
        None => {
            return Err(invalid(format!(
                "压缩包中没有 {MANIFEST}，不是 liaison 导出的上报数据包（可能是别的压缩包或 Excel 文件）。{REDO}"
            )));
        }
        Some(b) => serde_json::from_slice(b).map_err(|e| {
            invalid(format!(
                "{MANIFEST} 内容有误（{e}），不是上报数据包。{REDO}"
            ))
        })?,
    };
    if bm.format != FORMAT {
        return Err(invalid(format!("{MANIFEST} 不是上报数据包的清单。{REDO}")));
    }
    if bm.version > VERSION {
        return Err(invalid(format!(
            "数据包由较新版本的 liaison（{}）导出（格式 {}），本程序只读到格式 {VERSION}：请升级 liaison",
            bm.tool_version, bm.version
        )));
    }
    for f in &bm.files {
        match map.get(&f.path) {
            None => return Err(mismatch(format!("数据包缺少 {}", f.path))),
            Some(b) if sha(b) != f.sha256 => {
                return Err(mismatch(format!(
                    "数据包中的 {} 与 {MANIFEST} 记录的 sha256 不符",
                    f.path
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = map
        .keys()
        .find(|k| *k != MANIFEST && !bm.files.iter().any(|f| f.path == **k))
    {
        return Err(mismatch(format!("{extra} 不在 {MANIFEST} 的文件清单中")));
    }
    Ok((bm, map))
}

/// The publication's manifest (the one bundle.json names), the month, and the config it was
/// published with (the one the manifest names), taken out of `map`.
fn publication(
    map: &mut Entries,
    bm: &BundleManifest,
) -> Result<(Manifest, Period, Config), Refused> {
    let manifest_path = format!("{PUBLICATION}/manifest.json");
    let manifest_bytes = map.remove(&manifest_path).unwrap_or_default();
    if sha(&manifest_bytes) != bm.manifest_sha256 {
        return Err(mismatch(format!(
            "{manifest_path} 与 {MANIFEST} 记录的 sha256 不符"
        )));
    }
    let m: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| invalid(format!("{manifest_path} 内容有误（{e}）。{REDO}")))?;
    let period = Period::parse_canonical(&bm.period)
        .ok_or_else(|| invalid(format!("{MANIFEST} 中的月份“{}”无法识别", bm.period)))?;
    if m.period != bm.period || m.preliminary != bm.preliminary {
        return Err(mismatch(format!(
            "{MANIFEST} 与发布清单的月份或“初步”标记不一致"
        )));
    }
    let config_text = map.remove(CONFIG).unwrap_or_default();
    if sha(&config_text) != m.config_sha256 {
        return Err(mismatch(format!("{CONFIG} 不是该月发布时的配置")));
    }
    let config = String::from_utf8(config_text)
        .map_err(|_| invalid(format!("{CONFIG} 不是 UTF-8 文本")))
        .and_then(|t| {
            Config::from_toml(&t, CONFIG).map_err(|e| {
                invalid(format!(
                    "数据包中的配置无法使用：{e}。请县区按提示修改配置、重新发布后再导出"
                ))
            })
        })?;
    if config.region.name != bm.region || config.region.kind != bm.kind {
        return Err(mismatch(format!("{MANIFEST} 记录的地区与 {CONFIG} 不一致")));
    }
    Ok((m, period, config))
}

/// Both partitions (the ones the manifest names) and the publication's files (each one the
/// manifest names); nothing else may be left.
fn parts(
    mut map: Entries,
    m: &Manifest,
    period: Period,
) -> Result<(Vec<u8>, Vec<u8>, Entries), Refused> {
    let pinned = |spec: Spec| {
        m.pinned(spec.name).map(String::from).ok_or_else(|| {
            invalid(format!(
                "发布清单没有记录{}分区（是以前版本发布的）：请县区用 --force 重新发布该月后再导出",
                spec.label
            ))
        })
    };
    let (history_sha, ledger_sha) = (pinned(HISTORY)?, pinned(LEDGER)?);
    let mut part = |dataset: &str, want: &str| -> Result<Vec<u8>, Refused> {
        let path = format!("{dataset}/period={period}/{PART}");
        match map.remove(&path) {
            None => Err(mismatch(format!("数据包缺少 {path}"))),
            Some(b) if sha(&b) != want => {
                Err(mismatch(format!("{path} 与发布清单记录的 sha256 不符")))
            }
            Some(b) => Ok(b),
        }
    };
    let history = part(HISTORY.name, &history_sha)?;
    let ledger = part(LEDGER.name, &ledger_sha)?;
    let mut files = BTreeMap::new();
    for (path, b) in map.into_iter().filter(|(k, _)| *k != MANIFEST) {
        let Some(name) = path.strip_prefix(&format!("{PUBLICATION}/")) else {
            return Err(invalid(format!("数据包中有不该有的文件 {path}")));
        };
        if !m
            .outputs
            .iter()
            .any(|o| o.path == name && o.sha256 == sha(&b))
        {
            return Err(mismatch(format!("{path} 与发布清单记录的不符")));
        }
        files.insert(name.to_string(), b);
    }
    Ok((history, ledger, files))
}

/// The region a refused bundle's `bundle.json` names, if it can be read at all: only to say
/// which county sent it (so that it is refused, not missing), never a figure.
pub fn claimed_region(bytes: &[u8]) -> Option<String> {
    use std::io::Read;
    let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let entry = zip.by_name(MANIFEST).ok()?;
    let mut json = Vec::new();
    entry.take(1 << 20).read_to_end(&mut json).ok()?;
    let bm: BundleManifest = serde_json::from_slice(&json).ok()?;
    Some(bm.region)
}

/// A partition's Parquet decoded within bounds: its declared rows and inflated size first
/// (at most `max_cells` rows, `max_decompressed_bytes` bytes), a decoder panic caught.
fn decode(bytes: &[u8], limits: &Limits) -> Result<DataFrame, PartError> {
    let run = || -> Result<DataFrame, PartError> {
        let mut reader = ParquetReader::new(std::io::Cursor::new(bytes));
        let meta = reader.get_metadata()?.clone();
        let rows: usize = meta.row_groups.iter().map(|g| g.num_rows()).sum();
        let inflated: usize = meta.row_groups.iter().map(|g| g.total_byte_size()).sum();
        if rows as u64 > limits.max_cells || inflated as u64 > limits.max_decompressed_bytes {
            return Err(PartError::TooLarge { rows, inflated });
        }
        Ok(reader.finish()?)
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .unwrap_or(Err(PartError::NotParquet))
}

/// Why a partition of a bundle cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    /// Polars could not decode it.
    #[error("{0}")]
    Polars(#[from] PolarsError),
    /// Larger than the limits allow.
    #[error("有 {rows} 行、解压后 {inflated} 字节，超过上限（max_cells、max_decompressed_bytes）")]
    TooLarge {
        /// Rows declared.
        rows: usize,
        /// Bytes once inflated.
        inflated: usize,
    },
    /// The decoder gave up on it.
    #[error("文件内容不合 Parquet 格式")]
    NotParquet,
    /// A column the dataset always has is not there.
    #[error("缺少列 {0}")]
    MissingColumn(String),
    /// A roll-up's bundle without the county keys.
    #[error("汇总的数据包中没有 county_id 列")]
    NoCountyKeys,
}

fn require(df: &DataFrame, columns: &[String]) -> Result<(), PartError> {
    match columns.iter().find(|c| !df.schema().contains(c)) {
        Some(c) => Err(PartError::MissingColumn(c.clone())),
        None => Ok(()),
    }
}

/// The keys and every metric of the bundle's config are there.
fn history_shape(df: DataFrame, config: &Config) -> Result<DataFrame, PartError> {
    let depth = depth_of(&df);
    if config.region.kind == RegionKind::Rollup && depth == 0 {
        return Err(PartError::NoCountyKeys);
    }
    let mut want: Vec<String> = LEVEL_KEYS[..depth]
        .iter()
        .flat_map(|k| [format!("{k}_id"), k.to_string()])
        .collect();
    want.extend(
        [
            "unit_id",
            "unit",
            "station",
            "deputies_total",
            "source_sha256",
        ]
        .map(String::from),
    );
    want.extend(config.metrics.iter().map(|m| m.id.clone()));
    want.extend(
        LEVEL_KEYS[..depth]
            .iter()
            .map(|k| format!("{k}_manifest_sha256")),
    );
    require(&df, &want)?;
    Ok(df)
}

fn ledger_shape(df: DataFrame, depth: usize) -> Result<DataFrame, PartError> {
    let mut want: Vec<String> = LEVEL_KEYS[..depth]
        .iter()
        .map(|k| format!("{k}_id"))
        .collect();
    want.extend(["unit_id", "item_id", "status", "collected", "first_period"].map(String::from));
    require(&df, &want)?;
    Ok(df)
}
