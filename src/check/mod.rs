//! The check rules over ingested returns (period, totals, duplicates, plausibility, reference
//! data), run on each file as it is read; the §4 document of `liaison check` (`CheckReport`)
//! and, apart from it, the figures the month keeps of each counted return (`Counted`).

mod cumulative;
mod document;
mod outliers;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::Period;
use crate::forms::Priors;
use crate::forms::monthly::{self, Disposition, FileOutcome, IngestError, Return};

pub use crate::forms::monthly::totals::Totals;
pub use cumulative::{CumulativeCells, CumulativeRow, UnitYearToDate, YearToDate, add_cumulative};
pub use document::{CheckReport, FileReport, Received, Status};
pub use outliers::{
    OUTLIER_FLOOR_SHARE, OUTLIER_MIN_MONTHS, OUTLIER_Z, UnitHistory, add_outliers, outlier_method,
    robust_z,
};

/// One station of a counted return: its name and figures (config metric order).
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// The name as written (trimmed).
    pub name: String,
    /// One count per configured metric.
    pub values: Vec<u64>,
}

/// What the month keeps of a counted return once its rules have run: the figures the
/// report, the history and the ledger are built from, and where they came from.
#[derive(Debug, Clone)]
pub struct Counted {
    /// The file, as shown.
    pub file: String,
    /// sha256 of the file's bytes.
    pub sha256: String,
    /// The sheet the figures were read from.
    pub sheet: String,
    /// The unit id.
    pub unit: Option<String>,
    /// Station rows, in sheet order.
    pub stations: Vec<Station>,
    /// The sheets found beside it (the ledger's items; the findings of reading them are
    /// already out).
    pub companions: crate::forms::Companions,
}

impl Counted {
    /// The figures of a return that counts, in as little memory as they take.
    fn of(r: Return) -> Counted {
        let stations = r
            .stations
            .into_iter()
            .map(|s| Station {
                name: s.name,
                values: s.values,
            })
            .collect();
        let mut companions = r.companions;
        if let Some(l) = &mut companions.ledger {
            l.findings = Vec::new();
            l.items.shrink_to_fit();
        }
        Counted {
            file: r.file,
            sha256: r.sha256,
            sheet: r.sheet,
            unit: r.unit.and_then(|u| u.value),
            stations,
            companions,
        }
    }

    /// The unit id.
    pub fn unit_id(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// Sum of each metric over the stations.
    pub fn sums(&self, metrics: usize) -> Vec<u64> {
        self.stations.iter().fold(vec![0; metrics], |mut acc, s| {
            acc.iter_mut().zip(&s.values).for_each(|(a, v)| *a += v);
            acc
        })
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
    /// The 累计 cells of the counted returns that have them, for `add_cumulative`.
    pub cumulative: Vec<CumulativeCells>,
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
    /// The 累计 cells, unless a rule of the file's own found an error.
    cumulative: Option<CumulativeCells>,
}

/// Reads every file of `dir` and applies its own rules as it is read, keeping only what the
/// document and the month need (memory does not grow with the returns' size); then the rules
/// across files. `priors` is last month's state of the companion sheets (the ledger).
pub fn check_dir(
    dir: &Path,
    period: Period,
    config: &Config,
    priors: &Priors,
    keep: Keep,
) -> Result<Checked, IngestError> {
    let keeping = Keeping::new(keep, config);
    let files = monthly::ingest_dir_with(dir, config, Some(period), |o| {
        check_file(o, period, config, priors, &keeping)
    })?;
    Ok(assemble(files, period, config))
}

/// Applies every rule to the ingested files of one period, with no earlier ledger.
pub fn check(outcomes: Vec<FileOutcome>, period: Period, config: &Config) -> Checked {
    check_with(outcomes, period, config, &Priors::default())
}

/// Applies every rule to the ingested files of one period; `priors` is last month's ledger
/// (only warnings depend on it, so which returns count never does).
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

/// The rules of one file (its return's and its ledger's), keeping the figures if it counts.
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
    let mut cumulative = None;
    if let Some(r) = o.ret {
        let start = findings.len();
        monthly::rules::return_rules(&r, period, config, &mut findings);
        findings.extend(crate::forms::cross::check_return(
            &r, period, config, priors,
        ));
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
            cumulative = CumulativeCells::of(&r);
            counted = (keeping.keep == Keep::Figures).then(|| Counted::of(r));
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
        cumulative,
    }
}

/// The rules across files (duplicates, missing units), each file's verdict and totals.
pub fn assemble(mut files: Vec<CheckedFile>, period: Period, config: &Config) -> Checked {
    duplicate_returns(&mut files, period);
    let mut notes = Vec::new();
    if !config.has_register() {
        notes.push(
            "配置中没有工作站名册，未做工作站名称核对（unknown_station / missing_station）；可用 liaison config learn 从某月通过审核的报表生成名册".into(),
        );
    }
    if !config.has_roster() {
        notes.push("配置中没有各级代表名册人数，未做代表人数上限核对（exceeds_roster）".into());
    }
    let mut reports = Vec::with_capacity(files.len());
    let mut counted = Vec::new();
    let mut cumulative = Vec::new();
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
            received: None,
        });
        diagnostics.extend(f.findings);
        counted.extend(f.counted.filter(|_| status == Status::Ok));
        cumulative.extend(f.cumulative.filter(|_| status == Status::Ok));
    }
    let mut missing_units = Vec::new();
    // The units with a file, once: a province's units × its files was quadratic.
    let reported: std::collections::HashSet<&str> = reports
        .iter()
        .filter(|f| f.status != Status::Ignored)
        .filter_map(|f| f.unit.as_deref())
        .collect();
    for u in &config.units {
        if !reported.contains(u.id.as_str()) {
            missing_units.push(u.id.clone());
            diagnostics.push(
                Finding::new(
                    Code::MissingReturn,
                    None,
                    format!(
                        "{}没有报送{}年{}月的报表：请催报",
                        u.name,
                        period.year(),
                        period.month()
                    ),
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
        incomplete: Vec::new(),
    };
    Checked {
        report,
        counted,
        cumulative,
    }
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
                    "同一单位同一月份有 {n} 份报表：{}。请删除作废的，只保留最终版",
                    all.join("、")
                )
            } else {
                format!(
                    "{} 与 {} 是同一单位同一月份的报表（共 {n} 份，都列在 {} 的问题中）：请删除作废的，只保留最终版",
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
