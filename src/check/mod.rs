//! The check rules over ingested returns (period, totals, duplicates, plausibility, reference
//! data), run on each file as it is read; the §4 document of `liaison check` (`CheckReport`)
//! and, apart from it, the figures the month keeps of each counted return (`Counted`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::core::Period;
use crate::core::findings::{Code, Finding};
use crate::forms::{self, Companions, Counted, Disposition, FileOutcome, IngestError, Priors};

pub use crate::forms::monthly::Totals;
use crate::forms::monthly::outliers::{self, UnitHistory};
use crate::forms::monthly::rules;
use crate::report::view::{Filed, Findings};

pub use crate::core::findings::FileStatus as Status;

/// One entry of `files` in the JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Path as given on the command line (the file name as people read it; unique).
    pub path: String,
    /// The file's real path (its name may not be UTF-8), to copy it.
    #[serde(skip)]
    pub source: PathBuf,
    /// sha256 of the bytes.
    pub sha256: Option<String>,
    /// ok / error / ignored.
    pub status: Status,
    /// Unit id the file is attributed to.
    pub unit: Option<String>,
    /// Number of station rows (counted files only).
    pub stations: Option<usize>,
    /// Every metric id plus `deputies_total` (counted files only), in config order.
    pub totals: Option<Totals>,
    /// The sheet the figures were read from (counted files only).
    #[serde(skip)]
    pub sheet: Option<String>,
}

/// The check of one period as `check --format json` writes it (SPEC §4): every file's verdict,
/// the units with no file, every finding.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The period checked.
    pub period: Period,
    /// Every entry of the folder.
    pub files: Vec<FileReport>,
    /// Configured units with no file.
    pub missing_units: Vec<String>,
    /// Every finding.
    pub diagnostics: Vec<Finding>,
    /// Remarks for the text output (checks skipped for lack of reference data).
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl CheckReport {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Finding::is_error)
    }

    /// The document as the report writers read it: each file's verdict, every finding, the
    /// units with no return; preliminary when there are errors.
    pub fn findings(&self) -> Findings {
        Findings {
            preliminary: self.has_errors(),
            files: self
                .files
                .iter()
                .map(|f| Filed {
                    path: f.path.clone(),
                    sha256: f.sha256.clone(),
                    status: f.status,
                    unit: f.unit.clone(),
                    stations: f.stations,
                })
                .collect(),
            diagnostics: self.diagnostics.clone(),
            missing_units: self.missing_units.clone(),
        }
    }
}

/// A checked period: the document, and the figures of the returns that count (in file
/// order) — the one place the report, the history and the ledger take them from.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The §4 document.
    pub report: CheckReport,
    /// The counted returns' figures.
    pub counted: Vec<Counted>,
}

impl Checked {
    /// The counted returns that came with a sheet of another kind: `(unit id, sha256 of the
    /// file, what came with it)`, in file order.
    pub fn companions(&self) -> impl Iterator<Item = (&str, &str, &Companions)> {
        self.counted
            .iter()
            .filter_map(|c| Some((c.unit_id()?, c.sha256.as_str(), &c.companions)))
    }
}

/// What the month keeps of each counted return once its rules have run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Its figures, station by station: what the report, the archive and `config learn` take.
    Figures,
    /// Only its totals, for the §4 document of `liaison check`: memory stays flat however
    /// many returns the folder holds.
    Totals,
}

/// What `check_file` keeps, and the metric ids every file's totals share.
pub struct Keeping {
    keep: Keep,
    ids: Arc<[String]>,
}

impl Keeping {
    /// Keeping `keep` of each file, with the ids of `config`'s metrics.
    pub fn new(keep: Keep, config: &Config) -> Keeping {
        Keeping {
            keep,
            ids: Totals::ids(config),
        }
    }
}

/// A counted file's verdict figures: its sheet, its number of stations and its totals.
type Verdict = (String, usize, Totals);

/// One file once its own rules have run: what the document and the month need of it.
#[derive(Debug)]
pub struct CheckedFile {
    path: String,
    source: PathBuf,
    sha256: Option<String>,
    disposition: Disposition,
    unit: Option<String>,
    findings: Vec<Finding>,
    /// The return's unit and month as read, for `duplicate_return`.
    read: Option<(Option<String>, Option<Period>)>,
    /// The sheet, stations and totals, unless a rule of the file's own found an error.
    verdict: Option<Verdict>,
    /// The figures, unless a rule of the file's own found an error (with `Keep::Figures`).
    counted: Option<Counted>,
}

/// Reads every file of `dir` and applies its own rules as it is read, keeping only what the
/// document and the month need (memory does not grow with the returns' size); then the rules
/// across files. `priors` is last month's state of the kinds beside the return (the ledger).
pub fn check_dir(
    dir: &Path,
    period: Period,
    config: &Config,
    priors: &Priors,
    keep: Keep,
) -> Result<Checked, IngestError> {
    let keeping = Keeping::new(keep, config);
    let files = forms::ingest_dir_with(dir, config, |o| {
        check_file(o, period, config, priors, &keeping)
    })?;
    Ok(assemble(files, period, config))
}

/// Applies every rule to the ingested files of one period, with no earlier month's state.
pub fn check(outcomes: Vec<FileOutcome>, period: Period, config: &Config) -> Checked {
    check_with(outcomes, period, config, &Priors::default())
}

/// Applies every rule to the ingested files of one period; `priors` is last month's state of
/// the kinds beside the return (only warnings depend on it, so which returns count never does).
pub fn check_with(
    outcomes: Vec<FileOutcome>,
    period: Period,
    config: &Config,
    priors: &Priors,
) -> Checked {
    let keeping = Keeping::new(Keep::Figures, config);
    let files = outcomes
        .into_iter()
        .map(|o| check_file(o, period, config, priors, &keeping))
        .collect();
    assemble(files, period, config)
}

/// The rules of one file (its return's and those of the sheets beside it), keeping the figures
/// if it counts.
pub fn check_file(
    o: FileOutcome,
    period: Period,
    config: &Config,
    priors: &Priors,
    keeping: &Keeping,
) -> CheckedFile {
    let mut findings = o.findings;
    let mut read = None;
    let mut verdict = None;
    let mut counted = None;
    if let Some(r) = o.ret {
        let start = findings.len();
        rules::return_rules(&r, period, config, &mut findings);
        findings.extend(o.companions.check(&r, period, config, priors));
        for x in &mut findings[start..] {
            x.unit = x.unit.take().or_else(|| o.unit.clone());
        }
        read = Some((
            r.unit_id().map(str::to_string),
            r.period.as_ref().and_then(|p| p.value),
        ));
        if !findings.iter().any(Finding::is_error) {
            let totals = totals_of_sums(r.sums(), config, &keeping.ids);
            verdict = Some((r.sheet.clone(), r.stations.len(), totals));
            counted = (keeping.keep == Keep::Figures).then(|| Counted::of(r, o.companions));
        }
    }
    findings.shrink_to_fit();
    CheckedFile {
        path: o.path,
        source: o.source,
        sha256: o.sha256,
        disposition: o.disposition,
        unit: o.unit,
        findings,
        read,
        verdict,
        counted,
    }
}

/// `outlier` warnings on every counted file of the document: its unit's totals against the
/// unit's own earlier months (`forms::monthly::outliers`).
pub fn add_outliers(checked: &mut Checked, history: &[UnitHistory], config: &Config) {
    let mut found = Vec::new();
    for r in checked
        .report
        .files
        .iter()
        .filter(|f| f.status == Status::Ok)
    {
        let (Some(unit), Some(totals), Some(sheet)) = (r.unit.as_deref(), &r.totals, &r.sheet)
        else {
            continue;
        };
        let file = (r.path.as_str(), unit, sheet.as_str());
        found.extend(outliers::outliers(file, totals, history, config));
    }
    checked.report.diagnostics.extend(found);
}

/// The rules across files (duplicates, missing units), each file's verdict and totals.
pub fn assemble(mut files: Vec<CheckedFile>, period: Period, config: &Config) -> Checked {
    duplicate_returns(&mut files, period);
    let mut notes = Vec::new();
    if !config.has_register() {
        notes.push(
            "配置中没有工作站名册,未做工作站名称核对(unknown_station / missing_station);可用 liaison config learn 从某月通过审核的报表生成名册".into(),
        );
    }
    if !config.has_roster() {
        notes.push("配置中没有各级代表名册人数,未做代表人数上限核对(exceeds_roster)".into());
    }
    let mut reports = Vec::with_capacity(files.len());
    let mut counted = Vec::new();
    let mut diagnostics = Vec::new();
    for f in files {
        let status = match f.disposition {
            Disposition::Ignored => Status::Ignored,
            _ if f.findings.iter().any(Finding::is_error) || f.read.is_none() => Status::Error,
            _ => Status::Ok,
        };
        let (sheet, stations, totals) = match f.verdict.filter(|_| status == Status::Ok) {
            Some((sheet, n, totals)) => (Some(sheet), Some(n), Some(totals)),
            None => (None, None, None),
        };
        reports.push(FileReport {
            path: f.path,
            source: f.source,
            sha256: f.sha256,
            status,
            unit: f.unit,
            stations,
            totals,
            sheet,
        });
        diagnostics.extend(f.findings);
        counted.extend(f.counted.filter(|_| status == Status::Ok));
    }
    let mut missing_units = Vec::new();
    for u in &config.units {
        if !reports
            .iter()
            .any(|f| f.status != Status::Ignored && f.unit.as_deref() == Some(&u.id))
        {
            missing_units.push(u.id.clone());
            diagnostics.push(
                Finding::new(
                    Code::MissingReturn,
                    None,
                    format!("{} 没有报送 {} 月的报表:请催报", u.name, period),
                )
                .unit(Some(&u.id)),
            );
        }
    }
    let report = CheckReport {
        period,
        files: reports,
        missing_units,
        diagnostics,
        notes,
    };
    Checked { report, counted }
}

/// Totals of a counted return as the JSON object of `check --format json`: each metric, then
/// `deputies_total`.
pub fn totals_of(r: &Counted, config: &Config, ids: &Arc<[String]>) -> Totals {
    totals_of_sums(r.sums(config.metrics.len()), config, ids)
}

/// Totals of a return's sums per metric: each metric, then `deputies_total`.
fn totals_of_sums(sums: Vec<u64>, config: &Config, ids: &Arc<[String]>) -> Totals {
    let deputies = config
        .metrics
        .iter()
        .zip(&sums)
        .filter(|(m, _)| m.level.is_some())
        .map(|(_, v)| v)
        .sum();
    Totals::new(ids.clone(), sums.into_iter().chain([deputies]).collect())
}

/// `duplicate_return` on every file of a unit that has more than one return for the period.
/// The first file's finding lists every file of the unit once; each other file's finding
/// names itself and that first file, so the findings grow with the files, not their square.
fn duplicate_returns(files: &mut [CheckedFile], period: Period) {
    let mut by_unit: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let Some((Some(u), found)) = &f.read else {
            continue;
        };
        if found.is_none_or(|p| p == period) {
            by_unit.entry(u.clone()).or_default().push(i);
        }
    }
    let name = |files: &[CheckedFile], i: usize| {
        let p = files[i].path.as_str();
        Path::new(p)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(p)
            .to_string()
    };
    for (unit, idx) in by_unit.into_iter().filter(|(_, v)| v.len() > 1) {
        let (first, n) = (idx[0], idx.len());
        let all: Vec<String> = idx.iter().map(|&i| name(files, i)).collect();
        for &i in &idx {
            let message = if i == first {
                format!(
                    "同一单位同一月份有 {n} 份报表:{}。请删除作废的,只保留最终版",
                    all.join("、")
                )
            } else {
                format!(
                    "{} 与 {} 是同一单位同一月份的报表(共 {n} 份,都列在 {} 的问题中):请删除作废的,只保留最终版",
                    name(files, i),
                    name(files, first),
                    name(files, first)
                )
            };
            let f = &mut files[i];
            f.findings.push(
                Finding::new(Code::DuplicateReturn, Some(&f.path), message).unit(Some(&unit)),
            );
        }
    }
}

#[cfg(test)]
mod outlier_tests {
    use super::*;
    use crate::core::findings::Code;

    #[test]
    fn robust_z_flags_a_jump_and_not_noise() {
        let config = Config::embedded();
        let may = Period::new(2022, 5).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/2022-05");
        let mut report = check(
            crate::forms::ingest_dir(&dir, &config).unwrap(),
            may,
            &config,
        );
        let before = report.report.diagnostics.len();
        // 北山镇 received 193 voters in May; six months around 60 make that a jump, six
        // around 180 do not (the dispersion is at least 10% of the median), and five months
        // are too few to judge.
        let h = |values: Vec<i64>| UnitHistory {
            unit_id: "beishan".into(),
            metric: "voters_received".into(),
            values,
        };
        add_outliers(
            &mut report,
            &[
                h(vec![60, 62, 58, 61, 60, 60]),
                h(vec![170, 171, 170, 170, 170, 171]),
                h(vec![10, 12, 10, 11, 10]),
            ],
            &config,
        );
        let new: Vec<_> = report.report.diagnostics[before..].iter().collect();
        assert_eq!(new.len(), 1, "{new:#?}");
        assert_eq!(new[0].code, Code::Outlier);
        assert!(
            new[0].message.contains("MAD") && new[0].message.contains("超过 3.5"),
            "{}",
            new[0].message
        );
    }
}
