//! The consolidated workbook (汇总表) a careful office would print: one function per sheet from
//! the typed month, A4 pages at a legible size, native charts, deterministic bytes.

mod charts;
mod files;
pub mod ledger;
mod sheets;
pub mod table;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::config::Config;
use crate::core::text::Period;
use crate::figures::MonthFigures;
use crate::report::View;

/// Sheet names, in workbook order (the summary's is the config's scope + 汇总, e.g. 全县汇总;
/// the units' is 分 + the config's word for its units, e.g. 分镇街, 分县市区: [`units_name`]).
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
/// The suggestions ledger per unit and in all.
pub const LEDGER: &str = "意见建议办理";
/// Every overdue ledger item.
pub const OVERDUE: &str = "超期清单";
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

/// `长沙县2022年6月超期未办结意见建议清单.xlsx`: every overdue item, beside the workbook.
pub fn overdue_file_name(config: &Config, p: Period) -> String {
    format!(
        "{}{}年{}月超期未办结意见建议清单.xlsx",
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
}

impl Page<'_> {
    /// `长沙县2022年5月{what}(初步)`.
    fn title(&self, what: &str) -> String {
        let p = self.month.period;
        format!(
            "{}{}年{}月{what}{}",
            self.config.region.name,
            p.year(),
            p.month(),
            self.prelim
        )
    }

    /// A text of the sheets with 镇街 said as the config names its units (县市区 in a roll-up).
    fn word(&self, text: &str) -> String {
        text.replace("镇街", self.config.unit_word())
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

/// The full overdue list's bytes (one sheet 超期清单, every overdue item, ready to print), or
/// None when the month has no overdue item (or no ledger).
pub fn overdue_list(
    month: &MonthFigures,
    report: &View,
    config: &Config,
) -> Result<Option<Vec<u8>>, XlsxError> {
    let Some(state) = &month.folded.ledger else {
        return Ok(None);
    };
    if state.overdue().is_empty() {
        return Ok(None);
    }
    let p = month.period;
    let page = Page {
        config,
        month,
        report,
        prelim: if report.has_errors() {
            "（初步）"
        } else {
            ""
        },
    };
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(page.title("超期未办结意见建议清单"))
        .set_author(format!("{}人大常委会联工委", config.region.name))
        .set_creation_datetime(&ExcelDateTime::from_ymd(
            p.year() as u16,
            p.month() as u8,
            1,
        )?);
    wb.set_properties(&props);
    let ws = wb.add_worksheet();
    ledger::overdue(ws, &page, None)?;
    page.frame(ws);
    wb.save_to_buffer().map(Some)
}

/// The workbook's bytes.
pub fn build(month: &MonthFigures, report: &View, config: &Config) -> Result<Vec<u8>, XlsxError> {
    let p = month.period;
    let page = Page {
        config,
        month,
        report,
        prelim: if report.preliminary() {
            "（初步）"
        } else {
            ""
        },
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
    ledger::summary(wb.add_worksheet(), &page)?;
    ledger::overdue(wb.add_worksheet(), &page, Some(ledger::OVERDUE_SHOWN))?;
    files::files(wb.add_worksheet(), &page)?;
    files::findings(wb.add_worksheet(), &page)?;
    for ws in wb.worksheets_mut() {
        page.frame(ws);
    }
    charts::summary(wb.worksheet_from_index(0)?, &page, summary_end, &units)?;
    charts::levels(wb.worksheet_from_name(LEVELS)?, &page, &levels)?;
    wb.save_to_buffer()
}
