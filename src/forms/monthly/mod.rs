//! Ingestion: every file of a folder → a `FileOutcome` holding one plain `Return` (or the
//! reason there is none), with the findings of reading it. No rule is checked here.

mod cells;
mod columns;
pub mod header;
mod headrows;
pub mod labels;
mod memo;
mod read;
mod rowfindings;
mod rows;
pub mod rules;
pub mod split;
pub mod table;
pub mod totals;
pub mod units;
pub mod values;
mod words;

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::Period;
use crate::core::text::hex;
use crate::workbook::guard;
use crate::workbook::sniff::{self, EntryName};
use header::Matcher;
use labels::Found;
use rayon::prelude::*;
use read::{NoReturn, read_return, unreadable};
pub use table::{CumCell, Pos, StationRow, TotalCell, TotalRow};
use units::UnitNames;

/// A return as read: which unit and month, and its stations' figures, with provenance.
#[derive(Debug, Clone)]
pub struct Return {
    /// The file, as the path given on the command line.
    pub file: String,
    /// sha256 of the file's bytes.
    pub sha256: String,
    /// The sheet read.
    pub sheet: String,
    /// The unit and where it was found.
    pub unit: Option<Found<String>>,
    /// The month and where it was found.
    pub period: Option<Found<Period>>,
    /// Whether each configured metric has a column in the header.
    pub has_column: Vec<bool>,
    /// Station rows (figures in config metric order, each with its cell).
    pub stations: Vec<StationRow>,
    /// The 合计 row, if written.
    pub total: Option<TotalRow>,
    /// The sheets of other kinds found beside the monthly sheet (the suggestions ledger).
    pub companions: crate::forms::Companions,
}

impl Return {
    /// The unit id, when the unit was found and is configured.
    pub fn unit_id(&self) -> Option<&str> {
        self.unit.as_ref().and_then(|f| f.value.as_deref())
    }

    /// Gives back the spare capacity of everything kept after the file is read: a folder's
    /// returns stay in memory until the period is checked, so they keep only what they hold.
    fn compact(&mut self) {
        self.stations.shrink_to_fit();
        for s in &mut self.stations {
            s.values.shrink_to_fit();
            s.cells.shrink_to_fit();
            s.name.shrink_to_fit();
        }
        if let Some(t) = &mut self.total {
            t.values.shrink_to_fit();
            t.cells.shrink_to_fit();
        }
    }

    /// Sum of each metric over the stations.
    pub fn sums(&self) -> Vec<u64> {
        let n = self.has_column.len();
        self.stations.iter().fold(vec![0; n], |mut acc, s| {
            acc.iter_mut().zip(&s.values).for_each(|(a, v)| *a += v);
            acc
        })
    }
}

/// What happened to one file of the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Not a return (lock file, document, subfolder …): ignored with a reason.
    Ignored,
    /// A spreadsheet that could not be read into a return.
    Refused,
    /// Read into a return (which may still have errors).
    Read,
}

/// One file of the folder and what ingestion made of it.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The path as given on the command line, joined with the file name as people read it
    /// (unique in the folder; see `sniff::EntryName`).
    pub path: String,
    /// The file's real path, to open or copy it (its name may not be UTF-8).
    pub source: PathBuf,
    /// sha256 of the bytes (none for folders and unreadable entries).
    pub sha256: Option<String>,
    /// Ignored, refused or read.
    pub disposition: Disposition,
    /// The return, when read.
    pub ret: Option<Return>,
    /// The unit this file is attributed to (content first, then file name).
    pub unit: Option<String>,
    /// Findings of reading (coercions, refused cells, missing columns …).
    pub findings: Vec<Finding>,
}

/// Problems that stop ingestion of a whole folder.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The folder does not exist or cannot be listed.
    #[error("无法读取文件夹 {path}：{source}")]
    Folder {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// What reading needs from a config, compiled once per folder: header words and unit names;
/// and the period being checked, if known (it picks the month's sheet of a year's workbook).
struct Vocabulary<'c> {
    config: &'c Config,
    matcher: Matcher,
    companions: crate::forms::Vocab,
    units: UnitNames<'c>,
    period: Option<Period>,
}

impl<'c> Vocabulary<'c> {
    fn new(config: &'c Config, period: Option<Period>) -> Vocabulary<'c> {
        Vocabulary {
            config,
            matcher: Matcher::new(config),
            companions: crate::forms::Vocab::new(config),
            units: UnitNames::new(config),
            period,
        }
    }
}

/// Reads every entry of `dir` (not recursing), sorted by name, two or more at a time (one per
/// core). Entries are opened by their real names (not necessarily UTF-8); each is shown by a
/// name of its own (`sniff::EntryName`).
pub fn ingest_dir(dir: &Path, config: &Config) -> Result<Vec<FileOutcome>, IngestError> {
    ingest_dir_with(dir, config, None, |o| o)
}

/// `ingest_dir`, each outcome handed to `then` on the thread that read it, as soon as it is
/// read: what `then` keeps is all that stays in memory of the file. With the `period` being
/// checked, a workbook kept for the year is read from the sheet of that month.
pub fn ingest_dir_with<T: Send>(
    dir: &Path,
    config: &Config,
    period: Option<Period>,
    then: impl Fn(FileOutcome) -> T + Sync,
) -> Result<Vec<T>, IngestError> {
    let err = |source| IngestError::Folder {
        path: dir.display().to_string(),
        source,
    };
    let names: Vec<OsString> = std::fs::read_dir(dir)
        .map_err(err)?
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    let entries = sniff::entry_names(names);
    let vocab = Vocabulary::new(config, period);
    let read = AtomicUsize::new(0);
    Ok(entries
        .par_iter()
        .map(|entry| {
            let out = then(read_entry(dir, entry, &vocab));
            if read.fetch_add(1, Ordering::Relaxed) % TRIM_EVERY == TRIM_EVERY - 1 {
                release_freed_memory();
            }
            out
        })
        .collect())
}

/// Files read between two trims of the heap: trimming after every file cost a fifth of the
/// reading (it walks and locks every arena and returns pages that the next file faults back
/// in); every 32 files bounds what piles up to a few files' buffers.
const TRIM_EVERY: usize = 32;

/// Hands the memory freed by reading workbooks back to the system. glibc's allocator keeps it
/// otherwise: the little a file keeps (its counted figures, its findings) sits between the
/// large buffers of reading, and the peak grew by ~125 KB per file (2,000 returns with a ledger
/// sheet: 360 MB instead of 60 MB). Still needed now that whole returns are no longer kept:
/// what `then` keeps of each file is still allocated among those buffers.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Reads one entry of a folder, by its real name.
pub fn ingest_entry(dir: &Path, name: impl AsRef<OsStr>, config: &Config) -> FileOutcome {
    ingest_entry_for(dir, name, config, None)
}

/// Reads one entry of a folder for the `period` being checked (a workbook kept for the year is
/// read from that month's sheet).
pub fn ingest_entry_for(
    dir: &Path,
    name: impl AsRef<OsStr>,
    config: &Config,
    period: Option<Period>,
) -> FileOutcome {
    read_entry(
        dir,
        &EntryName::new(name.as_ref()),
        &Vocabulary::new(config, period),
    )
}

fn read_entry(dir: &Path, entry: &EntryName, vocab: &Vocabulary) -> FileOutcome {
    let config = vocab.config;
    let path = dir.join(&entry.os);
    let name = entry.text.as_str();
    let shown = dir.join(&entry.shown).display().to_string();
    let mut out = FileOutcome {
        path: shown.clone(),
        source: path.clone(),
        sha256: None,
        disposition: Disposition::Ignored,
        ret: None,
        unit: None,
        findings: Vec::new(),
    };
    let ignore = |out: &mut FileOutcome, why: String| {
        out.findings
            .push(Finding::new(Code::IgnoredFile, Some(&out.path), why));
    };
    match sniff::classify_entry(dir, entry, config) {
        sniff::Entry::Ignore(why) => {
            ignore(&mut out, why);
            return out;
        }
        sniff::Entry::Spreadsheet => {}
    }
    let bytes = match sniff::read_limited(&path, config.limits.max_file_bytes) {
        Ok(b) => b,
        Err(f) => {
            out.disposition = Disposition::Refused;
            out.unit = vocab.units.inside(name).map(|u| u.id.clone());
            out.findings.push(f.into_finding(&shown));
            return out;
        }
    };
    out.sha256 = Some(hex(&Sha256::digest(&bytes)));
    out.unit = vocab.units.inside(name).map(|u| u.id.clone());
    out.disposition = Disposition::Refused;
    let limits = &config.limits;
    let (format, package) = match sniff::sniff_named(&bytes, name, limits)
        .and_then(|f| guard::guard(&bytes, f, limits).map(|p| (f, p)))
    {
        Ok(f) => f,
        Err(f) => {
            out.findings.push(f.into_finding(&shown));
            return out;
        }
    };
    let sha = out.sha256.clone().unwrap_or_default();
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_return(&bytes, format, &package, name, &shown, &sha, vocab)
    }));
    // Unless every sheet the guard left to the reading was read whole, the guard makes its
    // full pass: a hostile file is refused as such (`too_large`), whichever part holds the
    // bomb, a hidden sheet included, and not as damaged or as missing a header.
    let whole = match &read {
        Ok(Ok((_, _, read))) => *read >= package.unread_sheets,
        Ok(Err(NoReturn::TooLarge(_))) => true,
        _ => package.unread_sheets == 0,
    };
    let diagnosed = if whole {
        None
    } else {
        guard::diagnose(&bytes, format, limits).err()
    };
    match (read, diagnosed) {
        (_, Some(refusal)) => out.findings.push(refusal.into_finding(&shown)),
        (Ok(Ok((ret, findings, _))), None) => {
            if let Some(u) = ret.unit_id() {
                out.unit = Some(u.to_string());
            }
            out.disposition = Disposition::Read;
            out.findings.extend(findings);
            out.findings.shrink_to_fit();
            let mut ret = ret;
            ret.compact();
            out.ret = Some(ret);
        }
        (Ok(Err(NoReturn::Unreadable(e))), None) => out.findings.push(unreadable(&shown, &e)),
        (Ok(Err(NoReturn::TooLarge(r))), None) => out.findings.push(r.into_finding(&shown)),
        (Ok(Err(NoReturn::Findings(findings, unit))), None) => {
            out.unit = unit.or(out.unit.take());
            out.findings.extend(findings);
        }
        (Err(_), None) => out.findings.push(Finding::new(
            Code::UnreadableFile,
            Some(&shown),
            "读取时出现内部错误，文件可能已损坏：请用 Excel / WPS 打开后另存为 .xlsx 再报送",
        )),
    }
    let unit = out.unit.clone();
    for f in &mut out.findings {
        if f.unit.is_none() {
            f.unit = unit.clone();
        }
    }
    out
}
