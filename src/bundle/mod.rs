//! The bundle a county mails up (上报数据包): one deterministic zip of a published month — its
//! publication, its history and ledger partitions, the config in force — and its verification.
//!
//! Layout of a bundle (entries sorted, `bundle.json` first):
//!
//! ```text
//! bundle.json                              what is in it: region, period, every file's sha256
//! config.toml                              the config the month was published with
//! history/period=YYYY-MM/part-0.parquet    the month's history partition
//! ledger/period=YYYY-MM/part-0.parquet     the month's ledger partition
//! publication/manifest.json                the publication's manifest
//! publication/<workbook>.xlsx, 简报.md, 简报.docx   the publication's top-level files
//! ```
//!
//! The chain of hashes: `bundle.json` names every file's sha256 and the publication manifest's;
//! that manifest names the partitions', the config's and every output's, as it did in the
//! county's archive. Charts and the copied returns stay in the county's archive.

pub mod export;
mod folder;
mod pack;
pub mod verify;

use serde::{Deserialize, Serialize};

pub use export::{Exported, export};
pub use folder::{FolderCheck, unit_of, verify_dir};
pub use verify::{Bundle, Refused, read_bundle};

/// `format` of every `bundle.json`.
pub const FORMAT: &str = "liaison-bundle";
/// The layout version this build writes and reads.
pub const VERSION: u32 = 1;
/// The bundle's own manifest.
pub const MANIFEST: &str = "bundle.json";
/// The config in force, as TOML.
pub const CONFIG: &str = "config.toml";
/// Folder of the publication's files inside a bundle.
pub const PUBLICATION: &str = "publication";
/// The folder under the output where `archive export` writes by default.
pub const OUTBOX: &str = "上报";

/// One file of a bundle and its sha256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleFile {
    /// Path inside the zip (`/`-separated).
    pub path: String,
    /// sha256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// `bundle.json`: what a bundle holds and the hashes to check it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleManifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// Layout version ([`VERSION`]).
    pub version: u32,
    /// The liaison version that wrote it.
    pub tool_version: String,
    /// The region of the config (长沙县, 荷塘区, or a city for a roll-up's bundle).
    pub region: String,
    /// How the region names itself (全县, 全区, 全市).
    pub scope: String,
    /// `returns` (a county's month) or `rollup` (a city's roll-up, for the province).
    pub kind: crate::config::RegionKind,
    /// YYYY-MM.
    pub period: String,
    /// The month was published 初步 (preliminary).
    pub preliminary: bool,
    /// sha256 of `publication/manifest.json`.
    pub manifest_sha256: String,
    /// Every other file of the zip (the publication's manifest included), sorted by path.
    pub files: Vec<BundleFile>,
}

/// Why a bundle could not be exported (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The month has no publication.
    #[error(
        "{period} 还没有发布（输出文件夹 {output} 中没有 {period} 文件夹）：请先运行 liaison report --period {period}"
    )]
    NotPublished {
        /// YYYY-MM.
        period: String,
        /// The output folder.
        output: String,
    },
    /// The publication or a partition does not agree with its manifest.
    #[error(
        "{period} 的发布与清单不一致，不能上报：{what}。请运行 liaison archive verify 查看，按说明修复后再导出"
    )]
    Unverified {
        /// YYYY-MM.
        period: String,
        /// What does not agree.
        what: String,
    },
    /// The config in force is not the one the month was published with.
    #[error(
        "现在使用的配置（{ours}）与 {period} 发布时的配置（{theirs}）不同：上级按发布时的配置读取各级代表人数，请用 --config 指定发布时的配置再导出"
    )]
    ConfigDiffers {
        /// YYYY-MM.
        period: String,
        /// Where the config in force came from.
        ours: String,
        /// Where the publication's came from.
        theirs: String,
    },
    /// The archive could not be used.
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
    /// A file could not be read or written.
    #[error("读写 {path} 失败：{source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The zip could not be written.
    #[error("生成数据包失败：{0}")]
    Zip(#[from] zip::result::ZipError),
}

fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> BundleError + '_ {
    move |source| BundleError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::core::text::hex(&sha2::Sha256::digest(bytes))
}
