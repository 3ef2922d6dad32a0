//! The archive's three datasets, declared for the store (which names none of them): the
//! history, the ledger's month-end state and the receipt log, with what each publication records.

use std::path::Path;

use crate::archive::verify::Row;
use crate::archive::{Catalog, DatasetEntry, Spec, Used};
use crate::check::{CheckReport, Status};
use crate::core::text::Period;

/// The history: one row per station and month; later months read every earlier partition
/// (上月, 本年累计, the trend).
pub const HISTORY: Spec = Spec {
    name: crate::history::DIR,
    label: "历史数据",
    used: Used::Every,
    holds: None,
};

/// The ledger's state at each month's end; the next month starts from the latest one before it.
pub const LEDGER: Spec = Spec {
    name: crate::forms::ledger::store::DIR,
    label: "台账数据",
    used: Used::Latest,
    holds: None,
};

/// The receipt log: it keeps growing after the publication, so a manifest names it by the
/// versions it counted (`counted`, the sha256 of each), not by its hash.
pub const RECEIPTS: Spec = Spec {
    name: crate::receipts::DIR,
    label: "收文登记",
    used: Used::Not,
    holds: Some(receipts_hold),
};

/// Every dataset of a county's or a roll-up's archive, in the order a publication swaps them in.
pub static CATALOG: Catalog = Catalog {
    datasets: &[HISTORY, LEDGER, RECEIPTS],
};

/// What a publication adds to its receipt log's manifest entry: `counted`, the sha256 of every
/// version it counted (its `ok` inputs), sorted.
pub fn counted(report: &CheckReport) -> serde_json::Map<String, serde_json::Value> {
    let mut counted: Vec<String> = report
        .files
        .iter()
        .filter(|f| f.status == Status::Ok)
        .filter_map(|f| f.sha256.clone())
        .collect();
    counted.sort();
    counted.dedup();
    let mut extra = serde_json::Map::new();
    extra.insert("counted".into(), counted.into());
    extra
}

/// `archive verify` for the receipt log: every version a publication counted must be in the
/// month's log, which may have grown since.
fn receipts_hold(output: &Path, period: Period, entry: &DatasetEntry) -> Row {
    let item = entry.path.clone();
    let counted: Vec<&str> = entry
        .extra
        .get("counted")
        .and_then(|c| c.as_array())
        .map(|c| c.iter().filter_map(|s| s.as_str()).collect())
        .unwrap_or_default();
    let log = match crate::receipts::store::load(output, period) {
        Ok(log) => log,
        Err(e) => {
            return Row {
                item,
                ok: false,
                note: format!("{e}：其中的记录无法重建，请从备份恢复这个文件"),
            };
        }
    };
    let missing: Vec<String> = counted
        .iter()
        .filter(|sha| !log.iter().any(|r| r.sha256 == **sha))
        .map(|sha| sha.chars().take(12).collect())
        .collect();
    if missing.is_empty() {
        Row {
            item,
            ok: true,
            note: format!(
                "该月发布计入的 {} 个版本都在收文登记中（共登记 {} 个版本）",
                counted.len(),
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
    }
}
