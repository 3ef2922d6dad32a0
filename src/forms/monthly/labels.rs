//! Finds which unit and which month a return is for: label cells first, then the title,
//! the sheet name and the file name, in that order, and says which was used.

use calamine::Data;
use serde::Serialize;

use super::units::UnitNames;
use crate::config::{Config, Unit};
use crate::core::period::{MonthText, month_in_title, months_in_value};
use crate::core::text::{Period, a1, fold, fold_keep_spaces, nfkc_already};
use crate::workbook::{Grid, cell_text};

/// Labels that end another label's value in a shared cell ("填报单位:x 填报人:y").
const OTHER_LABELS: &[&str] = &[
    "填报人",
    "联系电话",
    "填报日期",
    "审核人",
    "负责人",
    "制表人",
    "联系人",
    "电话",
];

/// Where a unit or period was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// A label cell's value, at this cell.
    Label {
        /// A1 cell of the value.
        cell: String,
    },
    /// The title (a text above the header), at this cell.
    Title {
        /// A1 cell of the title.
        cell: String,
    },
    /// The sheet name.
    SheetName,
    /// The file name.
    FileName,
}

impl Origin {
    /// How a clerk would say it: "标签单元格 C2", "标题", "工作表名", "文件名".
    pub fn describe(&self) -> String {
        match self {
            Origin::Label { cell } => format!("标签单元格 {cell}"),
            Origin::Title { cell } => format!("标题 {cell}"),
            Origin::SheetName => "工作表名".into(),
            Origin::FileName => "文件名".into(),
        }
    }

    /// The cell, where the origin has one.
    pub fn cell(&self) -> Option<String> {
        match self {
            Origin::Label { cell } | Origin::Title { cell } => Some(cell.clone()),
            _ => None,
        }
    }
}

/// A value found with the text it came from and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found<T> {
    /// What was understood (`None`: text present but not understood).
    pub value: Option<T>,
    /// The text as written.
    pub text: String,
    /// Where.
    pub origin: Origin,
}

/// Texts of a sheet that can carry the unit and period: label values and title lines.
pub struct Context<'a> {
    /// The sheet.
    pub grid: &'a Grid,
    /// Rows to search (above the header and below the data).
    pub rows: Vec<u32>,
    /// The file name without folder.
    pub file_name: &'a str,
}

/// Matches a written unit name against the configured units (trim, width-fold, affixes, aliases).
///
/// ```
/// use liaison::config::Config;
/// use liaison::forms::monthly::labels::resolve_unit;
/// let c = Config::embedded();
/// for s in ["星沙街道", "长沙县星沙街道", "星沙街道办事处", "星沙街道人大工委", " 星沙街道 "] {
///     assert_eq!(resolve_unit(s, &c).map(|u| u.id.as_str()), Some("xingsha"), "{s}");
/// }
/// assert!(resolve_unit("东湖街道", &c).is_none());
/// ```
pub fn resolve_unit<'c>(text: &str, config: &'c Config) -> Option<&'c Unit> {
    UnitNames::new(config).resolve(text)
}

/// The configured unit whose name is nearest to a text (for "did you mean").
pub fn nearest_unit<'c>(text: &str, config: &'c Config) -> Option<&'c Unit> {
    UnitNames::new(config).nearest(text)
}

/// The unit named inside free text (a title, a sheet or file name): the longest name found.
pub fn unit_in_text<'c>(text: &str, config: &'c Config) -> Option<&'c Unit> {
    UnitNames::new(config).inside(text)
}

/// Every label a return's heading rows may carry, folded.
fn all_labels(config: &Config) -> Vec<String> {
    config
        .matching
        .unit_labels
        .iter()
        .chain(&config.matching.period_labels)
        .map(|l| fold(l))
        .chain(OTHER_LABELS.iter().map(|l| l.to_string()))
        .collect()
}

/// The value after `labels` in a sheet: same cell after a colon, else next non-empty cell
/// to the right, else the cell below.
fn label_value(ctx: &Context, labels: &[String], config: &Config) -> Option<(Data, u32, u32)> {
    let mut labels: Vec<String> = labels.iter().map(|l| fold(l)).collect();
    labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
    let ((_, c0), (_, c1)) = ctx.grid.bounds()?;
    for &r in &ctx.rows {
        for c in c0..=c1.min(c0 + 60) {
            let d = ctx.grid.get(r, c);
            let raw: std::borrow::Cow<str> = match d {
                Data::Empty => continue,
                Data::String(s) => s.into(),
                other => cell_text(other).into(),
            };
            // A text NFKC leaves as it is holds a label (no whitespace in it) exactly where
            // its folding does: most cells hold none and are not folded.
            if nfkc_already(&raw) && !labels.iter().any(|l| raw.contains(l.as_str())) {
                continue;
            }
            let t = fold_keep_spaces(&raw);
            if t.is_empty() {
                continue;
            }
            for l in &labels {
                if let Some(v) = after_label(&t, l) {
                    if !v.is_empty() {
                        return Some((Data::String(v), r, c));
                    }
                    if let Some(found) = next_value(ctx, r, c, c1, &all_labels(config)) {
                        return Some(found);
                    }
                }
            }
        }
    }
    None
}

/// If `t` holds `label` at its start or after a space, followed by a colon (or nothing):
/// the text after it, up to the next known label.
fn after_label(t: &str, label: &str) -> Option<String> {
    let mut from = 0;
    while let Some(pos) = t[from..].find(label) {
        let at = from + pos;
        from = at + label.len();
        if at > 0 && !t[..at].ends_with(' ') {
            continue;
        }
        let mut rest = t[at + label.len()..].trim_start();
        if rest.starts_with('(')
            && let Some(close) = rest.find(')')
        {
            rest = rest[close + 1..].trim_start(); // 单位(盖章):
        }
        let rest = match rest.strip_prefix([':', '：']) {
            Some(r) => r,
            None if rest.is_empty() => "",
            None => continue,
        };
        let mut value = rest.trim();
        for other in OTHER_LABELS {
            if let Some(p) = value.find(other) {
                value = value[..p].trim();
            }
        }
        return Some(value.to_string());
    }
    None
}

fn next_value(
    ctx: &Context,
    r: u32,
    c: u32,
    c1: u32,
    labels: &[String],
) -> Option<(Data, u32, u32)> {
    let g = ctx.grid;
    let is_label = |t: &str| {
        let t = fold(t);
        let t = t.trim_end_matches(':');
        labels.iter().any(|l| {
            t.strip_prefix(l.as_str())
                .is_some_and(|r| r.is_empty() || r.starts_with(':'))
        })
    };
    let anchor = g.anchor(r, c);
    for cc in c + 1..=c1.min(c + 6) {
        if g.anchor(r, cc) == anchor {
            continue;
        }
        let d = g.get(r, cc);
        let t = cell_text(d);
        if t.trim().is_empty() {
            continue;
        }
        if is_label(&t) {
            break;
        }
        return Some((d.clone(), r, cc));
    }
    let d = g.get(r + 1, c);
    (!cell_text(d).trim().is_empty() && !is_label(&cell_text(d))).then(|| (d.clone(), r + 1, c))
}

fn period_of(d: &Data) -> MonthText {
    let one = |p: Option<Period>| p.map_or(MonthText::Nothing, MonthText::One);
    match d {
        Data::DateTime(dt) => one(Period::from_excel_date(dt)),
        Data::Float(f) if (36_000.0..73_000.0).contains(f) => one(Period::from_excel_serial(*f)),
        Data::Int(i) if (36_000..73_000).contains(i) => one(Period::from_excel_serial(*i as f64)),
        other => months_in_value(&cell_text(other)),
    }
}

/// Title lines: texts in the search rows that are neither a label cell ("填报日期:…") nor the
/// value right after one (the 6月3日 of 填报日期 is not the reporting month).
fn titles<'g>(ctx: &'g Context, config: &Config) -> impl Iterator<Item = (String, String)> + 'g {
    let g = ctx.grid;
    let labels = all_labels(config);
    let ((_, c0), (_, c1)) = g.bounds().unwrap_or(((0, 0), (0, 0)));
    ctx.rows.iter().flat_map(move |&r| {
        let mut after_label = false;
        let mut out = Vec::new();
        for c in c0..=c1.min(c0 + 30) {
            let t = cell_text(g.raw(r, c));
            if t.trim().is_empty() {
                continue;
            }
            let folded = fold(&t);
            let label = labels.iter().any(|l| folded.starts_with(l.as_str()));
            if !label && !after_label {
                out.push((t, a1(r, c)));
            }
            after_label = label && labels.iter().any(|l| folded.trim_end_matches(':') == l);
        }
        out
    })
}

/// Finds the unit: label, title, sheet name, file name.
pub fn find_unit(ctx: &Context, names: &UnitNames) -> Option<Found<String>> {
    let config = names.config();
    if let Some((d, r, c)) = label_value(ctx, &config.matching.unit_labels, config) {
        let text = fold_keep_spaces(&cell_text(&d));
        // A label value must name the unit: an official name inside it counts, a short alias
        // inside other words does not ("星沙乡" is not 星沙街道).
        let value = names
            .resolve(&text)
            .or_else(|| names.official_inside(&text));
        return Some(Found {
            value: value.map(|u| u.id.clone()),
            text,
            origin: Origin::Label { cell: a1(r, c) },
        });
    }
    let hit = |t: &str| names.inside(t).map(|u| u.id.clone());
    titles(ctx, config)
        .find_map(|(t, cell)| hit(&t).map(|u| (u, t, Origin::Title { cell })))
        .or_else(|| hit(&ctx.grid.name).map(|u| (u, ctx.grid.name.clone(), Origin::SheetName)))
        .or_else(|| hit(ctx.file_name).map(|u| (u, ctx.file_name.to_string(), Origin::FileName)))
        .map(|(u, text, origin)| Found {
            value: Some(u),
            text,
            origin,
        })
}

/// Finds the period: label, title, sheet name, file name. A label's value decides: one that
/// is not exactly one month (a span, a cumulative figure, no month) is reported as such
/// (`value: None`), never replaced by a month found elsewhere; so is a title that writes a span.
/// A sheet named by its month alone ("5月", a workbook kept for the year) takes its year from
/// the title or the file name ("2022年进站活动月报.xlsx").
pub fn find_period_in(ctx: &Context, config: &Config) -> Option<Found<Period>> {
    find_sheet_period(ctx, config).or_else(|| {
        (!matches!(month_in_title(ctx.file_name), MonthText::Nothing)).then(|| Found {
            value: month_in_title(ctx.file_name).one(),
            text: ctx.file_name.to_string(),
            origin: Origin::FileName,
        })
    })
}

/// `find_period_in` without the file name: the period a sheet names itself (by its labels, its
/// title or its name), which tells the sheets of a year's workbook apart.
pub fn find_sheet_period(ctx: &Context, config: &Config) -> Option<Found<Period>> {
    if let Some((d, r, c)) = label_value(ctx, &config.matching.period_labels, config) {
        return Some(Found {
            value: period_of(&d).one(),
            text: cell_text(&d),
            origin: Origin::Label { cell: a1(r, c) },
        });
    }
    let named = |t: &str| !matches!(month_in_title(t), MonthText::Nothing);
    let titles: Vec<(String, String)> = titles(ctx, config).collect();
    if let Some(found) = titles
        .iter()
        .find(|(t, _)| named(t))
        .map(|(t, cell)| (t.clone(), Origin::Title { cell: cell.clone() }))
        .or_else(|| named(&ctx.grid.name).then(|| (ctx.grid.name.clone(), Origin::SheetName)))
        .map(|(text, origin)| Found {
            value: month_in_title(&text).one(),
            text,
            origin,
        })
    {
        return Some(found);
    }
    let month = bare_month(&ctx.grid.name)?;
    let year = titles
        .iter()
        .map(|(t, _)| t.as_str())
        .chain([ctx.file_name])
        .find_map(year_in)?;
    Some(Found {
        value: Period::new(year, month),
        text: format!("{}（{year}年）", ctx.grid.name),
        origin: Origin::SheetName,
    })
}

/// The month of a sheet named by its month alone: "5月", "05月", "5月份", "五月", "十二月".
pub fn bare_month(name: &str) -> Option<u32> {
    let t = fold(name);
    let t = t.strip_suffix("份").unwrap_or(&t);
    let t = t.strip_suffix('月')?;
    if let Ok(m) = t.parse::<u32>() {
        return (1..=12).contains(&m).then_some(m);
    }
    const CN: [&str; 12] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    CN.iter().position(|&c| c == t).map(|i| i as u32 + 1)
}

/// The year a text names alone ("2022年进站活动月报表", "星沙街道2022.xlsx"): the first
/// four-digit number from 1900 to 2099 standing on its own.
fn year_in(text: &str) -> Option<i32> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)").expect("valid regex")
    });
    re.captures(&fold(text)).and_then(|c| c[1].parse().ok())
}

#[cfg(test)]
mod tests;
