//! `archive verify` for the receipt log: every version a publication counted (its manifest
//! names them by sha256) must be in the month's log, which may have grown since.

use std::path::Path;

use crate::archive::manifest::Manifest;
use crate::archive::verify::{Row, publications};

/// One line per publication whose manifest names its counted versions.
pub fn rows(output: &Path) -> Vec<Row> {
    let mut out = Vec::new();
    for (period, dir) in publications(output) {
        let Some(entry) = Manifest::read(&dir).ok().and_then(|m| m.receipts) else {
            continue;
        };
        let item = entry.path.clone();
        let log = match crate::receipts::store::load(output, period) {
            Ok(log) => log,
            Err(e) => {
                out.push(Row {
                    item,
                    ok: false,
                    note: format!("{e}：其中的记录无法重建，请从备份恢复这个文件"),
                });
                continue;
            }
        };
        let missing: Vec<String> = entry
            .counted
            .iter()
            .filter(|sha| !log.iter().any(|r| &r.sha256 == *sha))
            .map(|sha| sha.chars().take(12).collect())
            .collect();
        out.push(if missing.is_empty() {
            Row {
                item,
                ok: true,
                note: format!(
                    "该月发布计入的 {} 个版本都在收文登记中（共登记 {} 个版本）",
                    entry.counted.len(),
                    log.len()
                ),
            }
        } else {
            Row {
                item,
                ok: false,
                note: format!(
                    "收文登记中缺少该月发布计入的 {} 个版本（sha256 前12位：{}）：请从备份恢复这个分区",
                    missing.len(),
                    missing.join("、")
                ),
            }
        });
    }
    out
}
