//! Reads one workbook's bytes into a return: picks the sheet that holds it, reads its table,
//! finds its unit and month; or says why there is none.

use super::header::{Layout, find_layout};
use super::labels::{Context, Found, bare_month, find_period_in, find_sheet_period, find_unit};
use super::{Return, Vocabulary, columns, table};
use crate::config::Config;
use crate::core::findings::{Code, Finding};
use crate::core::text::Period;
use crate::workbook::{self, Format, Workbook};
use crate::workbook::{guard, sniff};

/// Why a workbook gave no return.
pub(super) enum NoReturn {
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

/// Reads a sniffed workbook into a return, or why not; with the number of sheets read.
pub(super) fn read_return(
    bytes: &[u8],
    format: Format,
    package: &guard::Package,
    name: &str,
    file: &str,
    sha256: &str,
    vocab: &Vocabulary,
) -> Result<(Return, Vec<Finding>, u64), NoReturn> {
    let config = vocab.config;
    let mut wb = match format {
        Format::Csv => {
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            Workbook::open_csv(bytes, stem)
        }
        // An .xlsx package's parts as the guard inflated them (`Package::stored`); were
        // calamine to refuse those, the file as it came.
        _ => match package
            .stored
            .as_deref()
            .map(|s| Workbook::open(s, format, package))
        {
            Some(Ok(wb)) => wb,
            _ => Workbook::open(bytes, format, package).map_err(NoReturn::Unreadable)?,
        },
    };
    let (grid, layout, companions, read, chosen) = pick_sheet(&mut wb, name, file, vocab)?;
    let mut findings = column_findings(&grid, &layout, config, file);
    findings.extend(chosen);
    if let Some(encoding) = wb.csv_encoding() {
        findings.push(
            Finding::new(
                Code::CsvRead,
                Some(file),
                format!(
                    "这是另存为 CSV 的报表，按 {encoding} 编码读作一张工作表“{}”（CSV 不保存合并单元格和公式，读到的是各格显示的内容）",
                    grid.name
                ),
            )
            .at(&grid.name, None),
        );
    }
    let t = table::read_table(
        &grid,
        &layout,
        (config, &vocab.matcher),
        file,
        &mut findings,
    );
    findings.extend(columns::partial_findings(
        &grid,
        &layout,
        &t.stations,
        config,
        file,
    ));
    findings.extend(columns::split_note(&grid, &layout, file));
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
        companions,
    };
    Ok((ret, findings, read))
}

/// What `pick_sheet` found: the return's sheet and header, the companion sheets, sheets read, and
/// the note saying which sheet of a year's workbook was read.
type Picked = (
    workbook::Grid,
    Layout,
    crate::forms::Companions,
    u64,
    Option<Finding>,
);

/// The sheet that holds the return (one whose header names the station column and most
/// metrics; else the closest), and the ledger sheet beside it. Several returns are an error,
/// unless exactly one of them is of the period being checked (a workbook kept for the year).
fn pick_sheet(
    wb: &mut Workbook,
    name: &str,
    file: &str,
    vocab: &Vocabulary,
) -> Result<Picked, NoReturn> {
    let config = vocab.config;
    let matcher = &vocab.matcher;
    let sheets = wb.sheet_list();
    if sheets.len() as u64 > config.limits.max_sheets {
        let why = format!(
            "工作表过多（{} 个，上限 {} 个），请只保留报表工作表",
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
    let mut companions = crate::forms::Finders::new(config, &vocab.companions, file);
    let mut read = 0;
    for (sheet, visible) in sheets.iter().filter(|(_, v)| *v) {
        let grid = wb.grid(sheet, *visible, &config.limits)?;
        read += 1;
        companions.look(&grid);
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
    let mut chosen = None;
    if candidates.len() > 1 {
        match year_sheet(&mut candidates, name, file, vocab) {
            Ok(note) => chosen = Some(note),
            Err(refusal) => return Err(refusal),
        }
    }
    let Some((grid, layout)) = candidates.pop().or(best_partial) else {
        let why = "没有找到进站活动报表的表头（工作站名称、进站代表人数、接待走访选民……）：请使用统一下发的报表模板填报";
        return Err(NoReturn::Findings(
            vec![Finding::new(Code::MissingColumn, Some(file), why)],
            None,
        ));
    };
    Ok((grid, layout, companions.finish(), read, chosen))
}

/// The rows above a sheet's header, where the period and the unit are written.
fn above_header<'a>(g: &'a workbook::Grid, l: &Layout, name: &'a str) -> Context<'a> {
    Context {
        grid: g,
        rows: (g.bounds().map_or(0, |b| b.0.0)..l.header_row).collect(),
        file_name: name,
    }
}

/// Of several sheets that look like a return, the one of the period being checked (by its
/// label, title or name: "5月" in a workbook kept for the year), left alone in `candidates`,
/// with the note that says so; or the refusal naming them all.
fn year_sheet(
    candidates: &mut Vec<(workbook::Grid, Layout)>,
    name: &str,
    file: &str,
    vocab: &Vocabulary,
) -> Result<Finding, NoReturn> {
    let config = vocab.config;
    let context = |g, l| above_header(g, l, name);
    let periods: Vec<Option<Period>> = candidates
        .iter()
        .map(|(g, l)| find_sheet_period(&context(g, l), config).and_then(|f| f.value))
        .collect();
    let names: Vec<String> = candidates
        .iter()
        .map(|(g, _)| format!("“{}”", g.name))
        .collect();
    let of_period: Vec<usize> = match vocab.period {
        Some(p) => (0..candidates.len())
            .filter(|&i| {
                periods[i] == Some(p)
                    || (periods[i].is_none()
                        && bare_month(&candidates[i].0.name) == Some(p.month()))
            })
            .collect(),
        None => Vec::new(),
    };
    if let (Some(p), [one]) = (vocab.period, of_period.as_slice()) {
        let (grid, layout) = candidates.swap_remove(*one);
        let sheet = grid.name.clone();
        candidates.clear();
        candidates.push((grid, layout));
        return Ok(Finding::new(
            Code::SheetOfPeriod,
            Some(file),
            format!(
                "工作簿中有 {} 张工作表像是报表（{}）：读取了工作表“{sheet}”（{}年{}月），其余工作表未读取",
                names.len(),
                names.join("、"),
                p.year(),
                p.month()
            ),
        )
        .at(&sheet, None));
    }
    // The file still counts for the unit its sheets name, when they agree.
    let units: Vec<Option<String>> = candidates
        .iter()
        .map(|(g, l)| find_unit(&context(g, l), &vocab.units).and_then(|f| f.value))
        .collect();
    let unit = units
        .iter()
        .all(|u| u.is_some() && *u == units[0])
        .then(|| units[0].clone())
        .flatten();
    let why = ambiguous(&names, &of_period, vocab.period);
    Err(NoReturn::Findings(
        vec![Finding::new(Code::AmbiguousReturn, Some(file), why)],
        unit,
    ))
}

/// Why no sheet of several that look like the return was read, and what to do: the month's sheet
/// is not named, or several are the month's.
fn ambiguous(names: &[String], of_period: &[usize], period: Option<Period>) -> String {
    match period {
        Some(p) if of_period.is_empty() => format!(
            "工作表 {} 都像是报表，但没有一张写明是 {}年{}月 的（按报送月份、标题或工作表名判断），无法确定以哪一张为准：如是全年的工作簿，请把本月的工作表命名为“{}月”或在其中填写“报送月份：{}年{}月”；否则请删除或隐藏多余的工作表后重新报送",
            names.join("、"),
            p.year(),
            p.month(),
            p.month(),
            p.year(),
            p.month()
        ),
        Some(p) => format!(
            "工作表 {} 都像是报表，其中 {} 都是 {}年{}月 的，无法确定以哪一张为准：请删除或隐藏多余的工作表后重新报送",
            names.join("、"),
            of_period
                .iter()
                .map(|&i| names[i].as_str())
                .collect::<Vec<_>>()
                .join("、"),
            p.year(),
            p.month()
        ),
        None => format!(
            "工作表 {} 都像是报表，无法确定以哪一张为准：请删除或隐藏多余的工作表后重新报送",
            names.join("、")
        ),
    }
}

/// `unreadable_file` for a workbook calamine could not open or read.
pub(super) fn unreadable(file: &str, e: &workbook::ReadError) -> Finding {
    Finding::new(
        Code::UnreadableFile,
        Some(file),
        format!("文件无法读取（{e}），可能已损坏：请用 Excel / WPS 打开后另存为 .xlsx 再报送"),
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
                "没有找到填报单位：请在表头上方“填报单位：”后填写镇（街道）名称",
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
                        "{}中的填报单位“{text}”不是配置中的镇街（最接近的是“{near}”）：请按统一名称填写，或在配置的 aliases 中加入这种写法",
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
                "没有找到报送月份：请在“报送月份：”后填写，如 2022年5月",
            )
            .at(sheet, None),
        ),
        Some(found) if found.value.is_none() => findings.push(
            Finding::new(
                Code::PeriodNotFound,
                Some(file),
                format!(
                    "{}写的“{}”不是单独一个月（几个月、累计或没有写明月份）：每份报表只报一个月，请在“报送月份：”后填写当月，如 2022年5月，表中只填当月的数字",
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

/// `missing_column` for every metric with no column, `ambiguous_return` for every metric with
/// two or more.
fn column_findings(
    grid: &workbook::Grid,
    layout: &Layout,
    config: &Config,
    file: &str,
) -> Vec<Finding> {
    let sheet = grid.name.as_str();
    let row = layout.header_row + 1;
    let mut out = Vec::new();
    let missing: Vec<String> = layout
        .columns
        .iter()
        .zip(&layout.cumulative)
        .zip(&config.metrics)
        .filter(|((c, _), _)| c.is_empty())
        .map(|((_, cum), m)| match cum.is_empty() {
            true => format!("“{}”", config.metric_title(m)),
            false => format!("“{}”（只有累计列，没有本月列）", config.metric_title(m)),
        })
        .collect();
    if !missing.is_empty() {
        out.push(
            Finding::new(
                Code::MissingColumn,
                Some(file),
                format!(
                    "工作表“{sheet}”第 {row} 行表头缺少列 {}：请按模板补齐这些列",
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
            out.push(columns::twice(
                grid,
                layout,
                cols,
                &config.metric_title(m),
                file,
            ));
        }
    }
    out
}
