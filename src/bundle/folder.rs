//! A folder of bundles checked for one roll-up: each file read and verified (`read_bundle`),
//! then matched to the roll-up's units; another period, an unknown county or a county twice is
//! an error naming the file, a county with no bundle is missing, a preliminary one is marked.

use std::ffi::OsString;
use std::path::Path;

use rayon::prelude::*;

use super::verify::{Bundle, read_bundle};
use crate::check::{CheckReport, FileReport, Received, Status};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::{Period, fold};
use crate::forms::monthly::IngestError;
use crate::workbook::sniff::{EntryName, entry_names, read_limited};

/// The check of a folder of bundles: the §4 document (every file's verdict, the counties with
/// no bundle, every finding) and the bundles accepted, in the roll-up config's unit order,
/// each with the unit id it was matched to.
#[derive(Debug)]
pub struct FolderCheck {
    /// Files, missing counties, findings, as `check` reports them.
    pub report: CheckReport,
    /// (roll-up unit id, bundle), in config order.
    pub bundles: Vec<(String, Bundle)>,
}

impl FolderCheck {
    /// Counties whose bundle is preliminary (初步), by unit id.
    pub fn preliminary(&self) -> Vec<&str> {
        self.bundles
            .iter()
            .filter(|(_, b)| b.manifest.preliminary)
            .map(|(u, _)| u.as_str())
            .collect()
    }

    /// Whether a final (not preliminary) roll-up is possible: no error, no county missing, no
    /// county preliminary.
    pub fn complete(&self) -> bool {
        !self.report.preliminary()
    }
}

/// What one entry of the folder turned out to be.
enum Read {
    Ignored(String),
    /// The finding, the file's sha256 when it was read, the unit its bundle.json claims.
    Refused(Finding, Option<String>, Option<String>),
    Bundle(Box<Bundle>),
}

/// Reads every entry of `dir` (not recursing) as a bundle for the roll-up of `period` under
/// `rollup` (its units, its limits). Nothing of a refused bundle is kept.
pub fn verify_dir(dir: &Path, period: Period, rollup: &Config) -> Result<FolderCheck, IngestError> {
    let names: Vec<OsString> = std::fs::read_dir(dir)
        .map_err(|source| IngestError::Folder {
            path: dir.display().to_string(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    let entries = entry_names(names);
    let read: Vec<(String, Read)> = entries
        .par_iter()
        .map(|e| {
            let shown = dir.join(&e.shown).display().to_string();
            let r = read_entry(dir, e, &shown, rollup);
            (shown, r)
        })
        .collect();
    let mut report = CheckReport {
        period,
        files: Vec::new(),
        missing_units: Vec::new(),
        diagnostics: Vec::new(),
        notes: Vec::new(),
        incomplete: Vec::new(),
    };
    let mut matched: Vec<(String, Bundle)> = Vec::new();
    for ((shown, r), e) in read.into_iter().zip(&entries) {
        let line = FileReport {
            path: shown,
            source: dir.join(&e.os),
            sha256: None,
            status: Status::Ignored,
            unit: None,
            stations: None,
            totals: None,
            sheet: None,
            received: None,
        };
        record(&mut report, &mut matched, line, r, rollup);
    }
    refuse_twice(&mut report, &mut matched, rollup);
    finish(&mut report, &mut matched, rollup);
    Ok(FolderCheck {
        report,
        bundles: matched,
    })
}

/// One entry's verdict into the report; a bundle that belongs here into `matched`.
fn record(
    report: &mut CheckReport,
    matched: &mut Vec<(String, Bundle)>,
    mut line: FileReport,
    r: Read,
    rollup: &Config,
) {
    match r {
        Read::Ignored(why) => {
            report
                .diagnostics
                .push(Finding::new(Code::IgnoredFile, Some(&line.path), why))
        }
        Read::Refused(f, sha, unit) => {
            line.status = Status::Error;
            line.sha256 = sha;
            line.unit = unit.clone();
            report.diagnostics.push(f.unit(unit.as_deref()));
        }
        Read::Bundle(b) => {
            line.sha256 = Some(b.sha256.clone());
            line.received = Some(Received {
                publication_sha256: b.manifest.manifest_sha256.clone(),
                preliminary: b.manifest.preliminary,
            });
            line.stations = Some(b.history.height());
            let unit = unit_of(&b.manifest.region, rollup);
            line.unit = unit.clone();
            match place(&b, report.period, rollup, unit) {
                Ok(unit) => {
                    line.status = Status::Ok;
                    matched.push((unit, *b));
                }
                Err(f) => {
                    line.status = Status::Error;
                    report.diagnostics.push(*f);
                }
            }
        }
    }
    report.files.push(line);
}

/// The counties that sent nothing (missing), the preliminary ones (marked), the bundles in the
/// config's order, and what keeps the roll-up from being final.
fn finish(report: &mut CheckReport, matched: &mut [(String, Bundle)], rollup: &Config) {
    let period = report.period;
    for u in &rollup.units {
        let sent = report
            .files
            .iter()
            .any(|f| f.unit.as_deref() == Some(&u.id));
        if !sent {
            report.missing_units.push(u.id.clone());
            report.diagnostics.push(
                Finding::new(
                    Code::MissingReturn,
                    None,
                    format!(
                        "{}没有上报{}年{}月的数据包",
                        u.name,
                        period.year(),
                        period.month()
                    ),
                )
                .unit(Some(&u.id)),
            );
        }
    }
    for (unit, b) in matched.iter() {
        if b.manifest.preliminary {
            report.diagnostics.push(
                Finding::new(
                    Code::BundlePreliminary,
                    Some(&b.file),
                    format!(
                        "{} 的 {period} 是初步发布（有镇街未计入或有报表未通过审核）：按初步数据汇总并标注“初步”；县区正式发布后请重新上报",
                        b.manifest.region
                    ),
                )
                .unit(Some(unit)),
            );
        }
    }
    let order = |u: &str| rollup.units.iter().position(|x| x.id == u);
    matched.sort_by_key(|(u, _)| order(u));
    // A roll-up's figure never lacks a county silently: one missing or preliminary makes it 初步.
    report.incomplete = rollup
        .units
        .iter()
        .map(|u| u.id.clone())
        .filter(|u| {
            report.missing_units.contains(u)
                || matched
                    .iter()
                    .any(|(v, b)| v == u && b.manifest.preliminary)
        })
        .collect();
}

fn read_entry(dir: &Path, e: &EntryName, shown: &str, rollup: &Config) -> Read {
    let path = dir.join(&e.os);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Read::Ignored("无法读取该文件的属性，已跳过".into());
    };
    let lower = e.text.to_lowercase();
    if meta.file_type().is_symlink() {
        return Read::Ignored("符号链接，未跟随，已跳过：请把数据包本身放进文件夹".into());
    }
    if meta.is_dir() {
        return Read::Ignored("子文件夹，未读取".into());
    }
    if !meta.is_file() {
        return Read::Ignored("不是普通文件，已跳过".into());
    }
    if e.text.starts_with('.') || e.text.starts_with("~$") {
        return Read::Ignored("隐藏文件或临时文件，已跳过".into());
    }
    let ext = lower.rsplit_once('.').map_or("", |(_, x)| x);
    if matches!(
        ext,
        "doc" | "docx" | "wps" | "pdf" | "txt" | "md" | "jpg" | "jpeg" | "png"
    ) || matches!(lower.as_str(), "thumbs.db" | "desktop.ini")
    {
        return Read::Ignored("不是上报数据包（.zip），已跳过（如是说明材料，可另行查看）".into());
    }
    let bytes = match read_limited(&path, rollup.limits.max_file_bytes) {
        Ok(b) => b,
        Err(r) => {
            return Read::Refused(Finding::new(r.code, Some(shown), r.message), None, None);
        }
    };
    if ext != "zip" && !bytes.starts_with(b"PK\x03\x04") {
        return Read::Ignored(
            "不是上报数据包（.zip），已跳过：各县市区的数据包由 liaison archive export 导出".into(),
        );
    }
    let file_sha = super::sha(&bytes);
    match read_bundle(shown, &bytes, &rollup.limits) {
        Ok(b) => Read::Bundle(Box::new(b)),
        Err(r) => {
            let unit = super::verify::claimed_region(&bytes).and_then(|r| unit_of(&r, rollup));
            Read::Refused(r.finding(shown), Some(file_sha), unit)
        }
    }
}

/// The roll-up unit a verified bundle belongs to, or why it does not belong here.
fn place(
    b: &Bundle,
    period: Period,
    rollup: &Config,
    unit: Option<String>,
) -> Result<String, Box<Finding>> {
    if b.period != period {
        return Err(Box::new(Finding::new(
            Code::BundlePeriod,
            Some(&b.file),
            format!(
                "这是{}{} 的数据包，不是 {period} 的：请放到 {} 的文件夹，或请该单位上报 {period} 的数据包",
                b.manifest.region, b.period, b.period
            ),
        )
        .unit(unit.as_deref())));
    }
    match unit {
        Some(u) => Ok(u),
        None => Err(Box::new(Finding::new(
            Code::BundleUnknownUnit,
            Some(&b.file),
            format!(
                "数据包来自{}，汇总配置（{}）的单位中没有它：如是下辖的单位，请在汇总配置的 [[units]] 中加上它，或在对应单位的 aliases 中写上“{}”",
                b.manifest.region, rollup.region.name, b.manifest.region
            ),
        ))),
    }
}

/// The unit of `rollup` named `region` (by name or alias, prefixes and suffixes of the roll-up's
/// `[matching]` removed, width and spaces folded); never a near match.
pub fn unit_of(region: &str, rollup: &Config) -> Option<String> {
    let strip = |s: &str| -> String {
        let mut s = fold(s);
        for p in &rollup.matching.unit_prefixes {
            let p = fold(p);
            if s.len() > p.len()
                && let Some(rest) = s.strip_prefix(&p)
            {
                s = rest.to_string();
            }
        }
        for x in &rollup.matching.unit_suffixes {
            let x = fold(x);
            if s.len() > x.len()
                && let Some(rest) = s.strip_suffix(&x)
            {
                s = rest.to_string();
            }
        }
        s
    };
    let wanted = strip(region);
    rollup
        .units
        .iter()
        .find(|u| {
            std::iter::once(&u.name)
                .chain(&u.aliases)
                .any(|n| strip(n) == wanted)
        })
        .map(|u| u.id.clone())
}

/// A unit matched by two or more bundles: each is refused, naming the others.
fn refuse_twice(report: &mut CheckReport, matched: &mut Vec<(String, Bundle)>, rollup: &Config) {
    let mut twice: Vec<String> = matched
        .iter()
        .map(|(u, _)| u.clone())
        .filter(|u| matched.iter().filter(|(v, _)| v == u).count() > 1)
        .collect();
    twice.dedup();
    for unit in twice {
        let group: Vec<&Bundle> = matched
            .iter()
            .filter(|(u, _)| *u == unit)
            .map(|(_, b)| b)
            .collect();
        let names: Vec<&str> = group.iter().map(|b| b.file.as_str()).collect();
        let same = group.iter().all(|b| b.sha256 == group[0].sha256);
        let name = rollup
            .unit(&unit)
            .map_or(unit.as_str(), |u| u.name.as_str());
        for b in &group {
            report.diagnostics.push(
                Finding::new(
                    Code::BundleDuplicate,
                    Some(&b.file),
                    format!(
                        "{name}有 {} 个数据包（{}）{}：都未使用；请只留下正式的一份，把其余的移出文件夹",
                        group.len(),
                        names.join("、"),
                        if same {
                            "，内容完全相同"
                        } else {
                            "，内容不同"
                        }
                    ),
                )
                .unit(Some(&unit)),
            );
            if let Some(line) = report.files.iter_mut().find(|f| f.path == b.file) {
                line.status = Status::Error;
            }
        }
        matched.retain(|(u, _)| *u != unit);
    }
}
