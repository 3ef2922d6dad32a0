//! The consolidated workbook (汇总表) a careful office would print: one function per sheet from
//! the typed month, A4 pages at a legible size, native charts, deterministic bytes.

mod charts;
mod files;
mod parts;
mod sheets;
pub mod table;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::config::Config;
use crate::core::part::Frame;
use crate::core::text::Period;
use crate::figures::MonthFigures;
use crate::report::View;

/// Sheet names, in workbook order (the summary's is the config's scope + 汇总, e.g. 全县汇总;
/// the units' is 分 + the config's word for its units, e.g. 分镇街, 分县市区: [`units_name`];
/// the sheet kinds' come after 趋势, named by each kind: [`crate::forms::Folded::sheets`]).
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

/// The per-unit sheet's name: `分镇街` (`分县市区` in a roll-up).
pub fn units_name(config: &Config) -> String {
    format!("分{}", config.unit_word())
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
    report: &'a View<'a>,
    prelim: &'static str,
    /// The same words for the parts the sheet kinds describe.
    words: Frame,
}

impl<'a> Page<'a> {
    /// The page of `month`, preliminary or not (`prelim`: （初步） or nothing).
    fn new(
        config: &'a Config,
        month: &'a MonthFigures,
        report: &'a View<'a>,
        prelim: &'static str,
    ) -> Page<'a> {
        let words = Frame {
            region: config.region.name.clone(),
            period: month.period,
            prelim: prelim.to_string(),
            unit_word: config.unit_word().to_string(),
        };
        Page {
            config,
            month,
            report,
            prelim,
            words,
        }
    }

    /// `长沙县2022年5月{what}(初步)`.
    fn title(&self, what: &str) -> String {
        self.words.title(what)
    }

    /// A text of the sheets with 镇街 said as the config names its units (县市区 in a roll-up).
    fn word(&self, text: &str) -> String {
        self.words.word(text)
    }

    /// A workbook's properties: its title, the office as author, created on the month's first.
    fn properties(&self, title: &str) -> Result<DocProperties, XlsxError> {
        let p = self.month.period;
        Ok(DocProperties::new()
            .set_title(title)
            .set_author(format!("{}人大常委会联工委", self.config.region.name))
            .set_creation_datetime(&ExcelDateTime::from_ymd(
                p.year() as u16,
                p.month() as u8,
                1,
            )?))
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

/// The workbook files the sheet kinds publish beside the workbook (the ledger's full overdue
/// list when an item is overdue), as (file name, bytes); （初步） only when a finding is an error.
pub fn documents(
    month: &MonthFigures,
    report: &View,
    config: &Config,
) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let prelim = if report.has_errors() {
        "（初步）"
    } else {
        ""
    };
    let page = Page::new(config, month, report, prelim);
    month
        .folded
        .documents(&page.words, config)
        .iter()
        .map(|d| Ok((d.file_name.clone(), parts::document(&page, d)?)))
        .collect()
}

/// The workbook's bytes.
pub fn build(month: &MonthFigures, report: &View, config: &Config) -> Result<Vec<u8>, XlsxError> {
    let prelim = if report.preliminary() {
        "（初步）"
    } else {
        ""
    };
    let page = Page::new(config, month, report, prelim);
    let mut wb = Workbook::new();
    wb.set_properties(&page.properties(&page.title("代表进站活动汇总表"))?);
    let summary_end = sheets::summary(wb.add_worksheet(), &page)?;
    let units = sheets::units(wb.add_worksheet(), &page)?;
    sheets::ranks(wb.add_worksheet(), &page)?;
    let levels = sheets::by_group(wb.add_worksheet(), &page, LEVELS)?;
    sheets::by_group(wb.add_worksheet(), &page, METHODS)?;
    sheets::stations(wb.add_worksheet(), &page)?;
    sheets::trend(wb.add_worksheet(), &page)?;
    for sheet in month.folded.sheets(&page.words, config) {
        parts::sheet(wb.add_worksheet(), &sheet)?;
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
