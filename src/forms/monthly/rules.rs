//! The rules over one return as read: its month, its total row, its stations (duplicates,
//! plausibility) and the reference data (register, roster); each finding names its cell.

use std::collections::{BTreeMap, HashMap};

use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::{Period, a1, fold};
use crate::forms::monthly::{Pos, Return, TotalCell, TotalRow};

/// A cell's A1 name.
fn at_cell((row, col): Pos) -> String {
    a1(row, col)
}

/// Every rule over one return, each finding with the cell it is about.
pub fn return_rules(r: &Return, period: Period, config: &Config, out: &mut Vec<Finding>) {
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
                    "{}写的月份是 {}（“{}”），与本次检查的 {} 不符：请核对报送月份，或把文件放到 {} 文件夹",
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
    if let Some(total) = &r.total {
        total_rules(r, total, config, out);
    }
    let mut seen: HashMap<String, u32> = HashMap::new();
    for s in &r.stations {
        if s.name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(fold(&s.name), s.row) {
            let cell = at_cell(s.name_cell);
            out.push(at(
                Finding::new(
                    Code::DuplicateStation,
                    file,
                    format!(
                        "{cell} 工作站“{}”与第 {} 行重复：同一工作站只能填一行，请合并",
                        s.name,
                        first + 1
                    ),
                ),
                Some(cell),
            ));
        }
    }
    station_warnings(r, config, out);
    reference_rules(r, config, out);
}

/// `total_mismatch` for every column whose written total differs from its stations' sum (a
/// column with a refused station cell has no known sum and is left to that error); a formula
/// result that cannot be trusted and differs is "not verified", not wrong.
fn total_rules(r: &Return, total: &TotalRow, config: &Config, out: &mut Vec<Finding>) {
    let mut unverified = Vec::new();
    for (i, (written, sum)) in total.values.iter().zip(r.sums()).enumerate() {
        // A station cell of this column was refused (an error already names it): its sum is
        // not known, so the total is neither confirmed nor contradicted.
        if r.stations.iter().any(|s| s.refused.contains(&i)) {
            continue;
        }
        let cell = total.cells[i].map(at_cell).unwrap_or_default();
        let title = config.metric_title(&config.metrics[i]);
        match *written {
            TotalCell::Written(w) if w != sum => out.push(
                Finding::new(
                    Code::TotalMismatch,
                    Some(&r.file),
                    format!("{cell} 合计行“{title}”列填的是 {w}，各工作站相加是 {sum}：请核对各站数字或合计"),
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
                    "合计行是公式，但文件设置为“打开时重新计算”，保存的结果不可信，未与各工作站之和核对（{}）：各站数字照常计入；如需核对，请在 Excel / WPS 中打开、保存后再报送",
                    cols.join("；")
                ),
            )
            .at(&r.sheet, Some(first.clone())),
        );
    }
}

fn station_warnings(r: &Return, config: &Config, out: &mut Vec<Finding>) {
    let idx = |id: &str| config.metric_index(id);
    for s in &r.stations {
        // A value already refused (an error) is no figure to derive a warning from.
        let ok = |i: usize| !s.refused.contains(&i);
        if let (Some(sv), Some(cv)) = (idx(&config.checks.solved), idx(&config.checks.collected))
            && ok(sv)
            && ok(cv)
            && s.values[sv] > s.values[cv]
        {
            let cell = s.cells[sv].map(at_cell).unwrap_or_default();
            out.push(
                Finding::new(
                    Code::SolvedExceedsCollected,
                    Some(&r.file),
                    format!(
                        "{cell} 工作站“{}”帮助解决问题 {} 个，多于收集意见建议 {} 条：请核对",
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
            let cell = at_cell(s.name_cell);
            out.push(
                Finding::new(
                    Code::ActivityWithoutDeputies,
                    Some(&r.file),
                    format!(
                        "{cell} 工作站“{}”填了活动数字，但进站代表人数为 0：请核对进站代表人数",
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
    if !unit.stations.is_empty() {
        let register: Vec<String> = unit.stations.iter().map(|s| station_key(s)).collect();
        let written: Vec<String> = r.stations.iter().map(|s| station_key(&s.name)).collect();
        for (s, key) in r.stations.iter().zip(&written) {
            if !s.name.is_empty() && !register.contains(key) {
                let cell = at_cell(s.name_cell);
                out.push(
                    Finding::new(
                        Code::UnknownStation,
                        Some(&r.file),
                        format!(
                            "{cell} 工作站“{}”不在{}的工作站名册中：请核对名称，或更新配置中的名册",
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
                            "名册中的工作站“{name}”没有出现在{}的报表中：请补报该站（没有活动的填 0）",
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
                    format!("{}进站的{label}级人大代表合计 {count} 人次，多于名册中的 {roster} 人：请核对是否重复统计", unit.name),
                )
                .at(&r.sheet, None),
            );
        }
    }
}
