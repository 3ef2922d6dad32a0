//! The receipt log (收文登记簿, SPEC §9): every version of a return liaison has read, once by
//! its sha256 — unit, file, when first read, its modification time then, the verdict and the
//! findings' codes. One Parquet partition per month, `<output>/receipts/period=YYYY-MM/`.

pub mod store;
mod table;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::check::{CheckReport, Status};

pub use table::{parquet_bytes, read};

/// Folder of the dataset under the output folder.
pub const DIR: &str = "receipts";

/// One version of a return as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The unit the file is attributed to, when known.
    pub unit_id: Option<String>,
    /// The file's name as received (the folder left out).
    pub file: String,
    /// sha256 of its bytes: the version's identity.
    pub sha256: String,
    /// When liaison first read it (ISO 8601 with the UTC offset).
    pub first_seen: String,
    /// The file's modification time when first read (ISO 8601 with the UTC offset).
    pub modified: Option<String>,
    /// `ok`, `error` or `ignored`: the verdict of the latest check that read it.
    pub status: String,
    /// The codes of its findings in that check, sorted, each once.
    pub codes: Vec<String>,
}

pub use crate::core::clock::Clock;
use crate::core::clock::iso;

/// A file's modification time, if the system tells it.
fn modified(path: &Path) -> Option<String> {
    let t = std::fs::symlink_metadata(path).ok()?.modified().ok()?;
    Some(iso(chrono::DateTime::<chrono::Local>::from(t)))
}

/// The versions a check read: every file of its document that has a sha256 (its bytes were
/// read), with its verdict and findings, first seen `now`.
pub fn versions(report: &CheckReport, clock: &Clock) -> Vec<Receipt> {
    let now = clock.now();
    let mut out: Vec<Receipt> = Vec::new();
    // Each file's finding codes, and the versions already listed: looked up, not searched (a
    // province's folder holds thousands of files).
    let mut by_file: HashMap<&str, Vec<String>> = HashMap::new();
    for d in &report.diagnostics {
        if let Some(file) = d.file.as_deref() {
            by_file.entry(file).or_default().push(d.code.as_str());
        }
    }
    let mut seen: HashSet<&str> = HashSet::new();
    for f in &report.files {
        let Some(sha) = &f.sha256 else { continue };
        if !seen.insert(sha.as_str()) {
            continue; // the same bytes twice in the folder: one version
        }
        let mut codes: Vec<String> = by_file.remove(f.path.as_str()).unwrap_or_default();
        codes.sort();
        codes.dedup();
        out.push(Receipt {
            unit_id: f.unit.clone(),
            file: name_of(&f.path),
            sha256: sha.clone(),
            first_seen: now.clone(),
            modified: modified(&f.source),
            status: status(f.status).to_string(),
            codes,
        });
    }
    out
}

/// A file's name as shown, without its folder.
fn name_of(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// The log's word for a verdict.
pub fn status(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Error => "error",
        Status::Ignored => "ignored",
    }
}

/// The month's log with the versions of a new check: a version already logged keeps its row
/// (when first seen, its name and time then) with the new verdict; a new one is added. Never
/// a version lost, never one twice. Sorted by first seen, then file and sha256, so the same
/// log gives the same bytes. Returns the log and how many versions were added.
pub fn merge(log: Vec<Receipt>, new: Vec<Receipt>) -> (Vec<Receipt>, usize) {
    let mut by_sha: BTreeMap<String, Receipt> = BTreeMap::new();
    for r in log {
        by_sha.entry(r.sha256.clone()).or_insert(r);
    }
    let mut added = 0;
    for r in new {
        match by_sha.get_mut(&r.sha256) {
            Some(old) => {
                old.status = r.status;
                old.codes = r.codes;
                if old.unit_id.is_none() {
                    old.unit_id = r.unit_id;
                }
            }
            None => {
                added += 1;
                by_sha.insert(r.sha256.clone(), r);
            }
        }
    }
    let mut rows: Vec<Receipt> = by_sha.into_values().collect();
    rows.sort_by(|a, b| {
        (&a.first_seen, &a.file, &a.sha256).cmp(&(&b.first_seen, &b.file, &b.sha256))
    });
    (rows, added)
}

/// One unit's receipts in a month, for the 报送情况 sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitReceipts {
    /// Versions received.
    pub versions: usize,
    /// Versions sent back (refused for errors).
    pub sent_back: usize,
    /// When the first version was received.
    pub first_seen: Option<String>,
}

/// Each unit's receipts in a month's log, by unit id.
pub fn by_unit(log: &[Receipt]) -> BTreeMap<String, UnitReceipts> {
    let mut out: BTreeMap<String, UnitReceipts> = BTreeMap::new();
    for r in log {
        let Some(u) = &r.unit_id else { continue };
        let e = out.entry(u.clone()).or_default();
        e.versions += 1;
        e.sent_back += usize::from(r.status == "error");
        if e.first_seen.as_ref().is_none_or(|f| r.first_seen < *f) {
            e.first_seen = Some(r.first_seen.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sha: &str, seen: &str, status: &str) -> Receipt {
        Receipt {
            unit_id: Some("beishan".into()),
            file: format!("{sha}.xlsx"),
            sha256: sha.into(),
            first_seen: seen.into(),
            modified: None,
            status: status.into(),
            codes: Vec::new(),
        }
    }

    #[test]
    fn a_version_is_logged_once_and_keeps_when_it_was_first_seen() {
        let (log, added) = merge(
            Vec::new(),
            vec![r("a", "2022-06-01T09:00:00+08:00", "error")],
        );
        assert_eq!(added, 1);
        let (log, added) = merge(
            log,
            vec![
                r("a", "2022-06-02T09:00:00+08:00", "ok"),
                r("b", "2022-06-02T09:00:00+08:00", "ok"),
            ],
        );
        assert_eq!(added, 1);
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].sha256, "a");
        assert_eq!(log[0].first_seen, "2022-06-01T09:00:00+08:00");
        assert_eq!(log[0].status, "ok");
        let u = &by_unit(&log)["beishan"];
        assert_eq!(u.versions, 2);
        assert_eq!(u.sent_back, 0);
        assert_eq!(u.first_seen.as_deref(), Some("2022-06-01T09:00:00+08:00"));
    }
}
