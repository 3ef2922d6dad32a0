//! A summary's `manifest.json`: what it was computed from (each publication by its manifest's
//! sha256, the receipt logs and companion kinds' partitions by theirs) and every output's sha256.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Summary;
use super::cover::{LogState, MonthCover, Role};
use crate::archive::FileEntry;

/// A publication a summary used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Used {
    /// YYYY-MM.
    pub period: String,
    /// 本期 (a month of the span) or 上年同期 (for 同比).
    pub role: String,
    /// sha256 of the publication's `manifest.json`.
    pub manifest_sha256: String,
    /// Published 初步.
    pub preliminary: bool,
}

/// The manifest of a summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SummaryManifest {
    /// `liaison`.
    pub tool: String,
    /// Crate version.
    pub version: String,
    /// The label: 2022年上半年.
    pub summary: String,
    /// First month, YYYY-MM.
    pub from: String,
    /// Last month, YYYY-MM.
    pub to: String,
    /// Marked 初步.
    pub preliminary: bool,
    /// Where the config came from.
    pub config: String,
    /// sha256 of the config text.
    pub config_sha256: String,
    /// The publications used, oldest first.
    pub publications: Vec<Used>,
    /// Months of the span not published.
    pub missing_months: Vec<String>,
    /// The receipt log partitions read (relative to the output folder).
    pub receipts: Vec<FileEntry>,
    /// The partition read of each companion kind's dataset, under the dataset's name (null when
    /// none was read), between `receipts` and `outputs`.
    #[serde(flatten)]
    pub companions: BTreeMap<String, Option<FileEntry>>,
    /// Every output file (the manifest itself excepted), relative to the summary's folder.
    pub outputs: Vec<FileEntry>,
    /// The earlier summary this one replaced, kept under this name.
    pub replaces: Option<String>,
}

fn used(m: &MonthCover) -> Option<Used> {
    let p = m.published.as_ref()?;
    Some(Used {
        period: m.period.to_string(),
        role: match m.role {
            Role::Current => "本期",
            Role::PreviousYear => "上年同期",
        }
        .into(),
        manifest_sha256: p.manifest_sha256.clone(),
        preliminary: p.preliminary,
    })
}

/// The manifest of `summary`, with its outputs already hashed.
pub fn build(
    summary: &Summary,
    (origin, config_text): (&str, &str),
    outputs: Vec<FileEntry>,
    replaces: Option<String>,
) -> SummaryManifest {
    let mut publications: Vec<Used> = summary
        .previous
        .iter()
        .chain(&summary.months)
        .filter_map(used)
        .collect();
    publications.sort_by(|a, b| a.period.cmp(&b.period));
    let receipts = summary
        .months
        .iter()
        .filter_map(|m| match m.published.as_ref()?.log.as_ref()? {
            LogState::Kept(sha) => Some(FileEntry {
                path: format!(
                    "{}/period={}/{}",
                    super::receipts::DIR,
                    m.period,
                    crate::history::PART
                ),
                sha256: sha.clone(),
            }),
            _ => None,
        })
        .collect();
    let companions = summary
        .companions
        .files()
        .into_iter()
        .map(|(name, file)| {
            let entry = file.map(|(path, sha256)| FileEntry { path, sha256 });
            (name.to_string(), entry)
        })
        .collect();
    SummaryManifest {
        tool: "liaison".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        summary: summary.label(),
        from: summary.span.first.to_string(),
        to: summary.span.last.to_string(),
        preliminary: summary.preliminary(),
        config: origin.to_string(),
        config_sha256: crate::core::text::hex(&<sha2::Sha256 as sha2::Digest>::digest(
            config_text.as_bytes(),
        )),
        publications,
        missing_months: summary.missing().iter().map(|p| p.to_string()).collect(),
        receipts,
        companions,
        outputs,
        replaces,
    }
}
