//! Reads one workbook's bytes into a return: picks the sheet that holds it, reads its table,
//! finds its unit and month; or says why there is none.

use super::header::{Layout, find_layout};
use super::labels::{Context, Found, find_period_in, find_unit};
use super::{Return, Vocabulary, table};
use crate::config::Config;
use crate::core::Period;
use crate::core::findings::{Code, Finding};
use crate::forms::{Companions, Finders, SheetFinder};
use crate::workbook::{self, Format, Workbook};
use crate::workbook::{guard, sniff};

/// Why a workbook gave no return.
pub(crate) enum NoReturn {
    /// calamine could not open it or read a sheet (damaged, or hostile: the guard tells).
    Unreadable(workbook::ReadError),
    /// A sheet goes past a limit, found while reading it.
    TooLarge(sniff::Refusal),
    /// Read, but no return in it: why, and the unit its content names (if any).
    Findings(Vec<Finding>, Option<String>),
}

impl From<workbook::SheetError> for NoReturn {
    fn from(e: workbook::SheetError) -> NoReturn {
        match e {
            workbook::SheetError::Read(e) => NoReturn::Unreadable(e),
            workbook::SheetError::TooLarge(r) => NoReturn::TooLarge(r),
        }
    }
}

/// Reads a sniffed workbook into a return and the sheets of other kinds beside it, or why
/// there is no return; with the number of sheets read.
pub(crate) fn read_return(
    bytes: &[u8],
    format: Format,
    package: &guard::Package,
    name: &str,
    file: &str,
    sha256: &str,
    vocab: &Vocabulary,
) -> Result<(Return, Companions, Vec<Finding>, u64), NoReturn> {
    let config = vocab.config;
    let mut wb = Workbook::open(bytes, format, package).map_err(NoReturn::Unreadable)?;
    let mut others = Finders::new(config, file);
    let (grid, layout, read) = pick_sheet(&mut wb, name, file, vocab, &mut others)?;
    let mut findings = column_findings(&grid.name, &layout, config, file);
    let t = table::read_table(&grid, &layout, config, file, &mut findings);
    let ((r0, _), (r1, _)) = grid.bounds().unwrap_or(((0, 0), (0, 0)));
    let rows = (r0..layout.header_row)
        .chain(t.end_row..=r1.min(t.end_row + 50))
        .collect();
    let ctx = Context {
        grid: &grid,
        rows,
        file_name: name,
    };
    let unit = find_unit(&ctx, &vocab.units);
    let period = find_period_in(&ctx, config);
    findings.extend(label_findings(&unit, &period, &grid.name, file, vocab));
    let ret = Return {
        file: file.to_string(),
        sha256: sha256.to_string(),
        sheet: grid.name.clone(),
        unit,
        period,
        has_column: layout.columns.iter().map(|c| !c.is_empty()).collect(),
        stations: t.stations,
        total: t.total,
    };
    Ok((ret, others.finish(), findings, read))
}

/// What `pick_sheet` found: the return's sheet and header, and the number of sheets read.
type Picked = (workbook::Grid, Layout, u64);

/// The sheet that holds the return (one whose header names the station column and most
/// metrics; else the closest); several returns are an error. Every sheet read is shown to
/// `others`, the finders of the kinds beside the return.
fn pick_sheet(
    wb: &mut Workbook,
    name: &str,
    file: &str,
    vocab: &Vocabulary,
    others: &mut Finders,
) -> Result<Picked, NoReturn> {
    let config = vocab.config;
    let matcher = &vocab.matcher;
    let sheets = wb.sheet_list();
    if sheets.len() as u64 > config.limits.max_sheets {
        let why = format!(
            "工作表过多({} 个,上限 {} 个),请只保留报表工作表",
            sheets.len(),
            config.limits.max_sheets
        );
        return Err(NoReturn::Findings(
            vec![Finding::new(Code::TooLarge, Some(file), why)],
            None,
        ));
    }
    let mut candidates = Vec::new();
    let mut best_partial: Option<(workbook::Grid, Layout)> = None;
    let mut read = 0;
    for (sheet, visible) in sheets.iter().filter(|(_, v)| *v) {
        let grid = wb.grid(sheet, *visible, &config.limits)?;
        read += 1;
        others.look(&grid);
        let Some(layout) = find_layout(&grid, matcher, config.metrics.len()) else {
            continue;
        };
        if layout.is_return() {
            candidates.push((grid, layout));
        } else if best_partial
            .as_ref()
            .is_none_or(|(_, b)| layout.found() > b.found())
        {
            best_partial = Some((grid, layout));
        }
    }
    if candidates.len() > 1 {
        let names: Vec<String> = candidates
            .iter()
            .map(|(g, _)| format!("“{}”", g.name))
            .collect();
        // The file still counts for the unit its sheets name, when they agree.
        let units: Vec<Option<String>> = candidates
            .iter()
            .map(|(g, l)| {
                let rows = (g.bounds().map_or(0, |b| b.0.0)..l.header_row).collect();
                let ctx = Context {
                    grid: g,
                    rows,
                    file_name: name,
                };
                find_unit(&ctx, &vocab.units).and_then(|f| f.value)
            })
            .collect();
        let unit = units
            .iter()
            .all(|u| u.is_some() && *u == units[0])
            .then(|| units[0].clone())
            .flatten();
        let why = format!(
            "工作表 {} 都像是报表,无法确定以哪一张为准:请删除或隐藏多余的工作表后重新报送",
            names.join("、")
        );
        return Err(NoReturn::Findings(
            vec![Finding::new(Code::AmbiguousReturn, Some(file), why)],
            unit,
        ));
    }
    let Some((grid, layout)) = candidates.pop().or(best_partial) else {
        let why = "没有找到进站活动报表的表头(工作站名称、进站代表人数、接待走访选民……):请使用统一下发的报表模板填报";
        return Err(NoReturn::Findings(
            vec![Finding::new(Code::MissingColumn, Some(file), why)],
            None,
        ));
    };
    Ok((grid, layout, read))
}

/// `unreadable_file` for a workbook calamine could not open or read.
pub(crate) fn unreadable(file: &str, e: &workbook::ReadError) -> Finding {
    Finding::new(
        Code::UnreadableFile,
        Some(file),
        format!("文件无法读取({e}),可能已损坏:请用 Excel / WPS 打开后另存为 .xlsx 再报送"),
    )
}

/// `unit_not_found`, `unknown_unit` and `period_not_found`, where the labels did not say.
fn label_findings(
    unit: &Option<Found<String>>,
    period: &Option<Found<Period>>,
    sheet: &str,
    file: &str,
    vocab: &Vocabulary,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    match unit {
        None => findings.push(
            Finding::new(
                Code::UnitNotFound,
                Some(file),
                "没有找到填报单位:请在表头上方“填报单位:”后填写镇(街道)名称",
            )
            .at(sheet, None),
        ),
        Some(Found {
            value: None,
            text,
            origin,
        }) => {
            let near = vocab
                .units
                .nearest(text)
                .map(|u| u.name.as_str())
                .unwrap_or("");
            findings.push(
                Finding::new(
                    Code::UnknownUnit,
                    Some(file),
                    format!(
                        "{}中的填报单位“{text}”不是配置中的镇街(最接近的是“{near}”):请按统一名称填写,或在配置的 aliases 中加入这种写法",
                        origin.describe()
                    ),
                )
                .at(sheet, origin.cell()),
            )
        }
        Some(_) => {}
    }
    match period {
        None => findings.push(
            Finding::new(
                Code::PeriodNotFound,
                Some(file),
                "没有找到报送月份:请在“报送月份:”后填写,如 2022年5月",
            )
            .at(sheet, None),
        ),
        Some(found) if found.value.is_none() => findings.push(
            Finding::new(
                Code::PeriodNotFound,
                Some(file),
                format!(
                    "{}写的“{}”不是单独一个月(几个月、累计或没有写明月份):每份报表只报一个月,请在“报送月份:”后填写当月,如 2022年5月,表中只填当月的数字",
                    found.origin.describe(),
                    found.text.trim()
                ),
            )
            .at(sheet, found.origin.cell()),
        ),
        Some(_) => {}
    }
    findings
}

/// `missing_column` for every metric with no column or with two.
fn column_findings(sheet: &str, layout: &Layout, config: &Config, file: &str) -> Vec<Finding> {
    let row = layout.header_row + 1;
    let mut out = Vec::new();
    let missing: Vec<String> = layout
        .columns
        .iter()
        .zip(&config.metrics)
        .filter(|(c, _)| c.is_empty())
        .map(|(_, m)| format!("“{}”", config.metric_title(m)))
        .collect();
    if !missing.is_empty() {
        out.push(
            Finding::new(
                Code::MissingColumn,
                Some(file),
                format!(
                    "工作表“{sheet}”第 {row} 行表头缺少列 {}:请按模板补齐这些列",
                    missing.join("、")
                ),
            )
            .at(sheet, None),
        );
    }
    if layout.station_col.is_none() {
        out.push(
            Finding::new(
                Code::MissingColumn,
                Some(file),
                format!("工作表“{sheet}”第 {row} 行表头缺少“工作站名称”列"),
            )
            .at(sheet, None),
        );
    }
    for (cols, m) in layout.columns.iter().zip(&config.metrics) {
        if cols.len() > 1 {
            let names: Vec<String> = cols
                .iter()
                .map(|&c| crate::core::text::column_name(c))
                .collect();
            out.push(
                Finding::new(
                    Code::AmbiguousReturn,
                    Some(file),
                    format!(
                        "工作表“{sheet}”第 {row} 行表头中 {} 列都是“{}”,无法确定用哪一列:请删除重复的列",
                        names.join("、"),
                        config.metric_title(m)
                    ),
                )
                .at(sheet, Some(crate::core::text::a1(layout.header_row, cols[1]))),
            );
        }
    }
    out
}
