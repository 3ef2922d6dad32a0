//! The check rules over ingested returns: period, totals, duplicates, plausibility,
//! reference data; and the per-file verdict and JSON document of `liaison check`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::config::Config;
use crate::findings::{Code, Finding};
use crate::ingest::{Disposition, FileOutcome, Return, TotalCell, TotalRow};
use crate::text::{Period, a1, fold};

mod outliers;
mod totals;
pub use outliers::{
    OUTLIER_FLOOR_SHARE, OUTLIER_MIN_MONTHS, OUTLIER_Z, UnitHistory, add_outliers, outlier_method,
    robust_z,
};
pub use totals::Totals;

/// The verdict on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Counted.
    Ok,
    /// Refused: errors keep it out of the figures.
    Error,
    /// Not a return.
    Ignored,
}

/// One entry of `files` in the JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Path as given on the command line (the file name as people read it; unique).
    pub path: String,
    /// The file's real path (its name may not be UTF-8), to copy it.
    #[serde(skip)]
    pub source: std::path::PathBuf,
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
}

/// The result of checking one period: the JSON document of `check --format json`, plus the returns.
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
    /// The returns that count (status ok), in file order.
    #[serde(skip)]
    pub clean: Vec<Return>,
}

impl CheckReport {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Finding::is_error)
    }
}

/// Last month's ledger item statuses, by unit id then 编号 (what `ledger_reopened` compares).
pub type LedgerPrevious = HashMap<String, HashMap<String, crate::ledger::Status>>;

/// Applies every rule to the ingested files of one period, with no earlier ledger.
pub fn check(outcomes: Vec<FileOutcome>, period: Period, config: &Config) -> CheckReport {
    check_with(outcomes, period, config, &LedgerPrevious::new())
}

/// Applies every rule to the ingested files of one period; `previous` is last month's ledger
/// (only warnings depend on it, so which returns count never does).
pub fn check_with(
    outcomes: Vec<FileOutcome>,
    period: Period,
    config: &Config,
    previous: &LedgerPrevious,
) -> CheckReport {
    let mut per_file: Vec<Vec<Finding>> = Vec::with_capacity(outcomes.len());
    let none = HashMap::new();
    for o in &outcomes {
        let mut f = o.findings.clone();
        if let Some(r) = &o.ret {
            return_rules(r, period, config, &mut f);
            let prev = r.unit_id().and_then(|u| previous.get(u)).unwrap_or(&none);
            f.extend(crate::ledger::rules::check_return(r, period, config, prev));
        }
        per_file.push(f);
    }
    duplicate_returns(&outcomes, period, &mut per_file);
    let mut notes = Vec::new();
    if !config.has_register() {
        notes.push(
            "配置中没有工作站名册,未做工作站名称核对(unknown_station / missing_station);可用 liaison config learn 从某月通过审核的报表生成名册".into(),
        );
    }
    if !config.has_roster() {
        notes.push("配置中没有各级代表名册人数,未做代表人数上限核对(exceeds_roster)".into());
    }
    let ids = Totals::ids(config);
    let mut files = Vec::new();
    let mut clean = Vec::new();
    let mut diagnostics = Vec::new();
    for (o, mut f) in outcomes.into_iter().zip(per_file) {
        for x in &mut f {
            x.unit = x.unit.take().or_else(|| o.unit.clone());
        }
        let status = match o.disposition {
            Disposition::Ignored => Status::Ignored,
            _ if f.iter().any(Finding::is_error) || o.ret.is_none() => Status::Error,
            _ => Status::Ok,
        };
        let counted = o.ret.as_ref().filter(|_| status == Status::Ok);
        files.push(FileReport {
            path: o.path.clone(),
            source: o.source.clone(),
            sha256: o.sha256.clone(),
            status,
            unit: o.unit.clone(),
            stations: counted.map(|r| r.stations.len()),
            totals: counted.map(|r| totals_of(r, config, &ids)),
        });
        diagnostics.extend(f);
        if let Some(r) = o.ret.filter(|_| status == Status::Ok) {
            clean.push(r);
        }
    }
    let mut missing_units = Vec::new();
    for u in &config.units {
        if !files
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
    CheckReport {
        period,
        files,
        missing_units,
        diagnostics,
        notes,
        clean,
    }
}

/// Totals of a return as the JSON object of `check --format json`: each metric, then `deputies_total`.
pub fn totals_of(r: &Return, config: &Config, ids: &Arc<[String]>) -> Totals {
    let sums = r.sums();
    let deputies = config
        .metrics
        .iter()
        .zip(&sums)
        .filter(|(m, _)| m.level.is_some())
        .map(|(_, v)| v)
        .sum();
    Totals::new(ids.clone(), sums.into_iter().chain([deputies]).collect())
}

fn return_rules(r: &Return, period: Period, config: &Config, out: &mut Vec<Finding>) {
    let file = Some(r.file.as_str());
    let at = |f: Finding, cell: Option<String>| f.at(&r.sheet, cell);
    if let Some(found) = &r.period
        && let Some(p) = found.value
        && p != period
    {
        out.push(at(
            Finding::new(
                Code::PeriodMismatch,
                file,
                format!(
                    "{}写的月份是 {}(“{}”),与本次检查的 {} 不符:请核对报送月份,或把文件放到 {} 文件夹",
                    found.origin.describe(),
                    p,
                    found.text.trim(),
                    period,
                    p
                ),
            ),
            found.origin.cell(),
        ));
    }
    let cols: Vec<u32> = r
        .layout
        .columns
        .iter()
        .map(|c| c.first().copied().unwrap_or(0))
        .collect();
    if let Some(total) = &r.total {
        total_rules(r, total, config, &cols, out);
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    let name_col = r.layout.station_col.unwrap_or(0);
    for s in &r.stations {
        if s.name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(fold(&s.name), s.row) {
            let cell = a1(s.row, name_col);
            out.push(at(
                Finding::new(
                    Code::DuplicateStation,
                    file,
                    format!(
                        "{cell} 工作站“{}”与第 {} 行重复:同一工作站只能填一行,请合并",
                        s.name,
                        first + 1
                    ),
                ),
                Some(cell),
            ));
        }
    }
    station_warnings(r, config, &cols, out);
    reference_rules(r, config, out);
}

/// `total_mismatch` for every column whose written total differs from its stations' sum (a
/// column with a refused station cell has no known sum and is left to that error); a formula result that cannot be trusted and differs is "not verified", not wrong.
fn total_rules(
    r: &Return,
    total: &TotalRow,
    config: &Config,
    cols: &[u32],
    out: &mut Vec<Finding>,
) {
    let mut unverified = Vec::new();
    for (i, (written, sum)) in total.values.iter().zip(r.sums()).enumerate() {
        // A station cell of this column was refused (an error already names it): its sum is
        // not known, so the total is neither confirmed nor contradicted.
        if r.stations.iter().any(|s| s.refused.contains(&i)) {
            continue;
        }
        let cell = a1(total.row, cols[i]);
        let title = config.metric_title(&config.metrics[i]);
        match *written {
            TotalCell::Written(w) if w != sum => out.push(
                Finding::new(
                    Code::TotalMismatch,
                    Some(&r.file),
                    format!("{cell} 合计行“{title}”列填的是 {w},各工作站相加是 {sum}:请核对各站数字或合计"),
                )
                .at(&r.sheet, Some(cell)),
            ),
            TotalCell::Untrusted(w) if w != sum => unverified.push((cell, title, w, sum)),
            _ => {}
        }
    }
    if let Some((first, ..)) = unverified.first() {
        let mut cols: Vec<String> = unverified
            .iter()
            .take(3)
            .map(|(cell, title, w, sum)| format!("{cell}“{title}”保存的是 {w}、各站之和 {sum}"))
            .collect();
        if unverified.len() > 3 {
            cols.push(format!("等共 {} 列", unverified.len()));
        }
        out.push(
            Finding::new(
                Code::TotalNotVerified,
                Some(&r.file),
                format!(
                    "合计行是公式,但文件设置为“打开时重新计算”,保存的结果不可信,未与各工作站之和核对({}):各站数字照常计入;如需核对,请在 Excel / WPS 中打开、保存后再报送",
                    cols.join(";")
                ),
            )
            .at(&r.sheet, Some(first.clone())),
        );
    }
}

fn station_warnings(r: &Return, config: &Config, cols: &[u32], out: &mut Vec<Finding>) {
    let idx = |id: &str| config.metric_index(id);
    let name_col = r.layout.station_col.unwrap_or(0);
    for s in &r.stations {
        // A value already refused (an error) is no figure to derive a warning from.
        let ok = |i: usize| !s.refused.contains(&i);
        if let (Some(sv), Some(cv)) = (idx(&config.checks.solved), idx(&config.checks.collected))
            && ok(sv)
            && ok(cv)
            && s.values[sv] > s.values[cv]
        {
            let cell = a1(s.row, cols[sv]);
            out.push(
                Finding::new(
                    Code::SolvedExceedsCollected,
                    Some(&r.file),
                    format!(
                        "{cell} 工作站“{}”帮助解决问题 {} 个,多于收集意见建议 {} 条:请核对",
                        s.name, s.values[sv], s.values[cv]
                    ),
                )
                .at(&r.sheet, Some(cell)),
            );
        }
        let deputies: u64 = config
            .metrics
            .iter()
            .zip(&s.values)
            .filter(|(m, _)| m.level.is_some())
            .map(|(_, v)| v)
            .sum();
        let activity: u64 = config
            .metrics
            .iter()
            .zip(&s.values)
            .filter(|(m, _)| m.level.is_none())
            .map(|(_, v)| v)
            .sum();
        let levels_read = config
            .metrics
            .iter()
            .enumerate()
            .all(|(i, m)| m.level.is_none() || ok(i));
        if deputies == 0 && activity > 0 && levels_read {
            let cell = a1(s.row, name_col);
            out.push(
                Finding::new(
                    Code::ActivityWithoutDeputies,
                    Some(&r.file),
                    format!(
                        "{cell} 工作站“{}”填了活动数字,但进站代表人数为 0:请核对进站代表人数",
                        s.name
                    ),
                )
                .at(&r.sheet, Some(cell)),
            );
        }
    }
}

fn station_key(s: &str) -> String {
    let f = fold(s);
    for suffix in [
        "代表联系群众工作站",
        "人大代表联系群众工作站",
        "联系群众工作站",
        "工作站",
        "联系站",
    ] {
        if let Some(x) = f.strip_suffix(suffix)
            && !x.is_empty()
        {
            return x.to_string();
        }
    }
    f
}

fn reference_rules(r: &Return, config: &Config, out: &mut Vec<Finding>) {
    let Some(unit) = r.unit_id().and_then(|u| config.unit(u)) else {
        return;
    };
    let name_col = r.layout.station_col.unwrap_or(0);
    if !unit.stations.is_empty() {
        let register: Vec<String> = unit.stations.iter().map(|s| station_key(s)).collect();
        let written: Vec<String> = r.stations.iter().map(|s| station_key(&s.name)).collect();
        for (s, key) in r.stations.iter().zip(&written) {
            if !s.name.is_empty() && !register.contains(key) {
                let cell = a1(s.row, name_col);
                out.push(
                    Finding::new(
                        Code::UnknownStation,
                        Some(&r.file),
                        format!(
                            "{cell} 工作站“{}”不在{}的工作站名册中:请核对名称,或更新配置中的名册",
                            s.name, unit.name
                        ),
                    )
                    .at(&r.sheet, Some(cell)),
                );
            }
        }
        for (name, key) in unit.stations.iter().zip(&register) {
            if !written.contains(key) {
                out.push(
                    Finding::new(
                        Code::MissingStation,
                        Some(&r.file),
                        format!(
                            "名册中的工作站“{name}”没有出现在{}的报表中:请补报该站(没有活动的填 0)",
                            unit.name
                        ),
                    )
                    .at(&r.sheet, None),
                );
            }
        }
    }
    let sums = r.sums();
    let mut by_level: BTreeMap<&str, u64> = BTreeMap::new();
    for (m, v) in config.metrics.iter().zip(&sums) {
        if let Some(l) = &m.level {
            *by_level.entry(l.as_str()).or_default() += v;
        }
    }
    for (level, count) in by_level {
        if let Some(&roster) = unit.roster.get(level)
            && count > roster
        {
            let label = config
                .level(level)
                .map(|l| l.label.as_str())
                .unwrap_or(level);
            out.push(
                Finding::new(
                    Code::ExceedsRoster,
                    Some(&r.file),
                    format!("{}进站的{label}级人大代表合计 {count} 人次,多于名册中的 {roster} 人:请核对是否重复统计", unit.name),
                )
                .at(&r.sheet, None),
            );
        }
    }
}

/// `duplicate_return` on every file of a unit that has more than one return for the period.
/// The first file's finding lists every file of the unit once; each other file's finding
/// names itself and that first file, so the findings grow with the files, not their square.
fn duplicate_returns(outcomes: &[FileOutcome], period: Period, per_file: &mut [Vec<Finding>]) {
    let mut by_unit: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, o) in outcomes.iter().enumerate() {
        let Some(r) = &o.ret else { continue };
        let same_period = r
            .period
            .as_ref()
            .and_then(|p| p.value)
            .is_none_or(|p| p == period);
        if let (Some(u), true) = (r.unit_id(), same_period) {
            by_unit.entry(u).or_default().push(i);
        }
    }
    let name = |i: usize| {
        let p = outcomes[i].path.as_str();
        std::path::Path::new(p)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(p)
    };
    for (unit, idx) in by_unit.into_iter().filter(|(_, v)| v.len() > 1) {
        let (first, n) = (idx[0], idx.len());
        let all: Vec<&str> = idx.iter().map(|&i| name(i)).collect();
        for &i in &idx {
            let message = if i == first {
                format!(
                    "同一单位同一月份有 {n} 份报表:{}。请删除作废的,只保留最终版",
                    all.join("、")
                )
            } else {
                format!(
                    "{} 与 {} 是同一单位同一月份的报表(共 {n} 份,都列在 {} 的问题中):请删除作废的,只保留最终版",
                    name(i),
                    name(first),
                    name(first)
                )
            };
            per_file[i].push(
                Finding::new(Code::DuplicateReturn, Some(&outcomes[i].path), message)
                    .unit(Some(unit)),
            );
        }
    }
}
