//! The consolidated workbook (汇总表) a careful office would print: one function per sheet from
//! the typed month, A4 pages at a legible size, native charts, deterministic bytes.

mod charts;
mod files;
mod sheets;
pub mod table;

use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError,
};

use super::view::{Findings, MonthFigures, View};
use crate::config::Config;
use crate::core::Period;

/// Sheet names, in workbook order (the summary's is the config's scope + 汇总, e.g. 全县汇总).
pub const UNITS: &str = "分镇街";
/// Ranks and rates per unit.
pub const RANKS: &str = "排名与比率";
/// Unit × level.
pub const LEVELS: &str = "代表层级";
/// Unit × method.
pub const METHODS: &str = "活动方式";
/// Every station row.
pub const STATIONS: &str = "工作站明细";
/// Monthly series from the archive.
pub const TREND: &str = "趋势";
/// Each unit's file, hash and status.
pub const FILES: &str = "报送情况";
/// Every finding.
pub const FINDINGS: &str = "数据校验";

/// The summary sheet's name: `全县汇总`.
pub fn summary_name(config: &Config) -> String {
    format!("{}汇总", config.region.scope)
}

/// `长沙县2022年5月代表进站活动汇总表.xlsx`.
pub fn file_name(config: &Config, p: Period) -> String {
    format!(
        "{}{}年{}月代表进站活动汇总表.xlsx",
        config.region.name,
        p.year(),
        p.month()
    )
}

/// What every sheet shares: the month, its words, page header and footer.
pub(crate) struct Page<'a> {
    config: &'a Config,
    month: &'a MonthFigures,
    report: &'a Findings,
    prelim: &'static str,
}

impl Page<'_> {
    /// `长沙县2022年5月{what}(初步)`.
    fn title(&self, what: &str) -> String {
        self.common().title(what)
    }

    /// What the parts of other sheet kinds see of the page.
    fn common(&self) -> super::Page<'_> {
        super::Page {
            config: self.config,
            period: self.month.period,
            prelim: self.prelim,
        }
    }

    /// Page header and footer of every sheet.
    fn frame(&self, ws: &mut Worksheet) {
        let p = self.month.period;
        ws.set_header(format!(
            "&L{}人大常委会联工委&R{}年{}月{}",
            self.config.region.name,
            p.year(),
            p.month(),
            self.prelim
        ));
        ws.set_footer("&C第 &P 页，共 &N 页");
    }
}

/// A sheet another sheet kind adds to the workbook (a [`super::Part`]): a table, and a native
/// bar chart of one of its columns on a page of its own below it.
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// What it shows.
    pub table: table::Table,
    /// Repeat the header rows on every printed page.
    pub repeat_header: bool,
    /// A bar chart of the table's first rows.
    pub chart: Option<Bars>,
}

/// A native bar chart of one column of a [`Sheet`]'s table: its first `rows` data rows,
/// categories from the first column, highest first as the table orders them.
pub struct Bars {
    /// The chart's title.
    pub title: String,
    /// The series' name.
    pub series: String,
    /// The table column charted (0-based).
    pub column: u16,
    /// Data rows charted, from the first.
    pub rows: u32,
    /// Values are shares: the axis runs from 0 to 100%.
    pub percent: bool,
}

/// Writes a part's sheet: its table, then its chart on a page of its own.
fn part_sheet(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    ws.set_name(&s.name)?;
    let written = table::write(ws, &s.table, s.repeat_header)?;
    let Some(b) = s.chart.as_ref().filter(|b| b.rows > 0) else {
        return Ok(());
    };
    let (first, last) = (written.first_row, written.first_row + b.rows - 1);
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(&b.title);
    chart
        .add_series()
        .set_name(&b.series)
        .set_categories((s.name.as_str(), first, 0, last, 0))
        .set_values((s.name.as_str(), first, b.column, last, b.column));
    if b.percent {
        chart.x_axis().set_min(0).set_max(1).set_num_format("0%");
    }
    chart.y_axis().set_reverse();
    chart.set_width(640).set_height(60 + 26 * b.rows);
    ws.set_page_breaks(&[written.end_row + 1])?;
    ws.insert_chart(written.end_row + 2, 0, &chart)?;
    Ok(())
}

/// The workbook's bytes.
pub fn build(view: &View, config: &Config) -> Result<Vec<u8>, XlsxError> {
    let (month, report) = (view.figures, view.findings);
    let p = month.period;
    let page = Page {
        config,
        month,
        report,
        prelim: view.prelim(),
    };
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(page.title("代表进站活动汇总表"))
        .set_author(format!("{}人大常委会联工委", config.region.name))
        .set_creation_datetime(&ExcelDateTime::from_ymd(
            p.year() as u16,
            p.month() as u8,
            1,
        )?);
    wb.set_properties(&props);
    let summary_end = sheets::summary(wb.add_worksheet(), &page)?;
    let units = sheets::units(wb.add_worksheet(), &page)?;
    sheets::ranks(wb.add_worksheet(), &page)?;
    let levels = sheets::by_group(wb.add_worksheet(), &page, LEVELS)?;
    sheets::by_group(wb.add_worksheet(), &page, METHODS)?;
    sheets::stations(wb.add_worksheet(), &page)?;
    sheets::trend(wb.add_worksheet(), &page)?;
    for part in view.parts {
        for s in part.sheets(&page.common()) {
            part_sheet(wb.add_worksheet(), &s)?;
        }
    }
    files::files(wb.add_worksheet(), &page)?;
    files::findings(wb.add_worksheet(), &page)?;
    for ws in wb.worksheets_mut() {
        page.frame(ws);
    }
    charts::summary(wb.worksheet_from_index(0)?, &page, summary_end, &units)?;
    charts::levels(wb.worksheet_from_name(LEVELS)?, &page, &levels)?;
    wb.save_to_buffer()
}
