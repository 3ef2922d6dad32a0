//! Sending returns back (退回修改, SPEC §9): after a check, each file with findings as a marked
//! workbook (a 退回说明 sheet, then its sheets rebuilt from the values as read, each finding's
//! cell filled and noted) and the month's notice, written to `<output>/退回/<YYYY-MM>/` whole.

mod cover;
mod folder;
mod layout;
mod notice;
mod place;
mod rebuild;

use std::path::{Path, PathBuf};

use crate::check::{CheckReport, FileReport, Status};
use crate::config::Config;
use crate::core::findings::{Code, Finding, Severity};
use crate::core::text::Period;

pub use folder::FOLDER;

/// Why the marked returns could not be written (nothing of an earlier set was changed).
#[derive(Debug, thiserror::Error)]
pub enum MarkError {
    /// A file or folder could not be written or renamed.
    #[error("写入 {path} 失败：{source}")]
    Io {
        /// What.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A marked workbook could not be built.
    #[error("生成退回修改表 {file} 失败：{source}")]
    Workbook {
        /// The marked copy's file name.
        file: String,
        /// What rust_xlsxwriter said.
        source: rust_xlsxwriter::XlsxError,
    },
    /// The notice's Word document could not be built.
    #[error("生成退回通知.docx 失败：{0}")]
    Notice(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// One file sent back: the check's verdict on it, its findings, and the marked copy's name.
#[derive(Debug)]
pub struct SendBack<'a> {
    /// The file as the check saw it.
    pub file: &'a FileReport,
    /// Its findings, in the check's order.
    pub findings: Vec<&'a Finding>,
    /// The unit's name, when the file is attributed to a configured unit.
    pub unit_name: Option<String>,
    /// The marked copy's file name: `星沙街道-2022年5月-退回修改.xlsx`.
    pub name: String,
}

impl SendBack<'_> {
    /// Whether any finding is an error (the return must be corrected, not only confirmed).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.is_error())
    }

    /// The file's name as received (without the folder).
    pub fn received_name(&self) -> String {
        shown_name(&self.file.path)
    }
}

/// What `--mark` writes for one check: every file with a finding, and the units to urge.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The month checked.
    pub period: Period,
    /// Files with at least one finding (ignored entries excepted), in the check's order.
    pub send_backs: Vec<SendBack<'a>>,
    /// Names of the configured units with no return (催报).
    pub missing: Vec<String>,
    /// Files counted without any finding.
    pub clean: usize,
}

/// What was written.
#[derive(Debug)]
pub struct Written {
    /// The month's folder, `<output>/退回/<YYYY-MM>`.
    pub dir: PathBuf,
    /// Marked workbooks written.
    pub workbooks: usize,
    /// Of them, returns with errors (to correct), the rest only to confirm.
    pub to_correct: usize,
    /// Units urged to send their return.
    pub missing: usize,
}

/// Which files go back and under which names.
pub fn plan<'a>(report: &'a CheckReport, config: &Config) -> Plan<'a> {
    let period = report.period;
    let mut send_backs: Vec<SendBack> = report
        .files
        .iter()
        .filter(|f| f.status != Status::Ignored)
        .filter_map(|file| {
            let findings: Vec<&Finding> = report
                .diagnostics
                .iter()
                .filter(|d| d.file.as_deref() == Some(file.path.as_str()))
                // 读取说明 notes say how a return was read: nothing for the town to fix.
                .filter(|d| d.severity != Severity::Note)
                .collect();
            if findings.is_empty() {
                return None;
            }
            let unit_name = file
                .unit
                .as_deref()
                .and_then(|u| config.unit(u))
                .map(|u| u.name.clone());
            let name = marked_name(file, &findings, unit_name.as_deref(), period);
            Some(SendBack {
                file,
                findings,
                unit_name,
                name,
            })
        })
        .collect();
    disambiguate(&mut send_backs);
    let clean = report
        .files
        .iter()
        .filter(|f| f.status == Status::Ok)
        .count()
        - send_backs
            .iter()
            .filter(|s| s.file.status == Status::Ok)
            .count();
    let missing = report
        .missing_units
        .iter()
        .map(|id| config.unit(id).map_or(id.clone(), |u| u.name.clone()))
        .collect();
    Plan {
        period,
        send_backs,
        missing,
        clean,
    }
}

/// The marked copy's name: `<unit>-<YYYY>年<M>月-退回修改.xlsx`; named after the file as
/// received when its unit or month is unknown or in question (the copy's name must not
/// supply what the return lacks: the reader looks at file names too).
pub fn marked_name(
    file: &FileReport,
    findings: &[&Finding],
    unit: Option<&str>,
    p: Period,
) -> String {
    let unsure = findings.iter().any(|f| {
        matches!(
            f.code,
            Code::UnitNotFound | Code::UnknownUnit | Code::PeriodNotFound | Code::PeriodMismatch
        )
    });
    match unit {
        Some(u) if !unsure => {
            safe_name(&format!("{u}-{}年{}月-退回修改.xlsx", p.year(), p.month()))
        }
        _ => {
            let shown = shown_name(&file.path);
            let stem = match shown.rsplit_once('.') {
                Some((s, _)) if !s.is_empty() => s.to_string(),
                _ => shown,
            };
            safe_name(&format!("{stem}-退回修改.xlsx"))
        }
    }
}

/// Two files of one unit (a duplicate return) get names that say which file each marks.
fn disambiguate(send_backs: &mut [SendBack]) {
    let names: Vec<String> = send_backs.iter().map(|s| s.name.clone()).collect();
    for s in send_backs.iter_mut() {
        if names.iter().filter(|n| **n == s.name).count() > 1 {
            let base = s.name.trim_end_matches(".xlsx").to_string();
            s.name = safe_name(&format!("{base}（{}）.xlsx", s.received_name()));
        }
    }
}

/// A file's name as shown in the check (folder and the GBK remark left out).
fn shown_name(path: &str) -> String {
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string());
    name.trim_end_matches("（文件名编码为 GBK）").to_string()
}

/// A file name every system accepts: characters Windows refuses and control characters
/// replaced by `_`.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || r#"\/:*?"<>|"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Builds every file of the month's folder: the marked workbooks and the notice, by name.
pub fn build(plan: &Plan, config: &Config) -> Result<Vec<(String, Vec<u8>)>, MarkError> {
    let mut files = Vec::new();
    let mut contacts = Vec::new();
    for s in &plan.send_backs {
        let read = place::read(s, config);
        contacts.push(place::contact(&read));
        let bytes = cover::workbook(s, plan.period, config, &read).map_err(|source| {
            MarkError::Workbook {
                file: s.name.clone(),
                source,
            }
        })?;
        files.push((s.name.clone(), bytes));
    }
    let md = notice::markdown(plan, &contacts, config);
    let docx = notice::docx(&md, plan.period).map_err(MarkError::Notice)?;
    files.push((notice::MD.to_string(), md.into_bytes()));
    files.push((notice::DOCX.to_string(), docx));
    Ok(files)
}

/// The marked workbook of one file: the 退回说明 sheet, then the file's sheets rebuilt with
/// their marks (the 退回说明 alone when the file cannot be read, or changed since the check).
pub fn marked_workbook(
    s: &SendBack,
    period: Period,
    config: &Config,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    cover::workbook(s, period, config, &place::read(s, config))
}

/// Writes `<output>/退回/<YYYY-MM>/` for a check, in the locked archive (the lock keeps a
/// publish from running meanwhile): built beside it and swapped in whole.
pub fn write(
    archive: &crate::archive::Archive,
    report: &CheckReport,
    config: &Config,
) -> Result<Written, MarkError> {
    let plan = plan(report, config);
    let files = build(&plan, config)?;
    let dir = folder::replace(archive.output(), plan.period, &files)?;
    Ok(Written {
        dir,
        workbooks: plan.send_backs.len(),
        to_correct: plan.send_backs.iter().filter(|s| s.has_errors()).count(),
        missing: plan.missing.len(),
    })
}
