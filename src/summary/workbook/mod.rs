//! The summary workbook (`<region><label>代表进站活动汇总表.xlsx`): one function per sheet from
//! the typed summary, printed like the monthly one (A4, one page wide, ≥ 8 pt, repeated header).

mod months;
mod records;
mod totals;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use super::Summary;
use super::span::{Span, months_words};
use crate::config::Config;
use crate::forms::SpanFrame;
use crate::report::workbook::table::{self, Table};

/// Sheet names, in workbook order (each companion kind's sheets come before `ASSESSMENT`).
pub const TOTALS: &str = "汇总";
/// Each unit over the span.
pub const UNITS: &str = "分镇街";
/// The region month by month.
pub const MONTHS: &str = "逐月";
/// Unit × level.
pub const LEVELS: &str = "代表层级";
/// Unit × method.
pub const METHODS: &str = "活动方式";
/// Per unit: months due, counted, left out, versions sent back, on time.
pub const ASSESSMENT: &str = "报送考核";
/// What each month rests on.
pub const COVERAGE: &str = "覆盖说明";

/// `长沙县2022年上半年代表进站活动汇总表.xlsx`.
pub fn file_name(config: &Config, span: &Span) -> String {
    format!(
        "{}{}代表进站活动汇总表.xlsx",
        config.region.name,
        span.label()
    )
}

/// What every sheet shares: the summary, its words, page header and footer.
pub(crate) struct Page<'a> {
    config: &'a Config,
    summary: &'a Summary,
    prelim: &'static str,
}

impl Page<'_> {
    /// `长沙县2022年上半年{what}（初步）`.
    fn title(&self, what: &str) -> String {
        let (c, s) = (self.config, self.summary);
        format!("{}{}{what}{}", c.region.name, s.label(), self.prelim)
    }

    /// The words a companion kind's table is framed with.
    fn span_frame(&self) -> SpanFrame {
        SpanFrame {
            before: format!("{}{}", self.config.region.name, self.summary.label()),
            after: self.prelim.to_string(),
            label: self.summary.label(),
        }
    }

    fn frame(&self, ws: &mut Worksheet) {
        ws.set_header(format!(
            "&L{}人大常委会联工委&R{}{}",
            self.config.region.name,
            self.summary.label(),
            self.prelim
        ));
        ws.set_footer("&C第 &P 页，共 &N 页");
    }

    /// The measure word of an id summed over months: deputies are counted each month, so
    /// their sum is 人次, never 人.
    fn measure(&self, id: &str) -> String {
        match self.config.metrics.iter().find(|m| m.id == id) {
            Some(m) if m.level.is_none() => m.measure.clone(),
            _ => "人次".into(),
        }
    }

    /// What a row or column of an id says: 进站代表人数, 全国, 接待走访选民, 接待.
    fn label(&self, id: &str) -> String {
        match self.config.metrics.iter().find(|m| m.id == id) {
            Some(m) => m.label.clone(),
            None => self.config.deputies_label(),
        }
    }

    /// An id as a note names it: 活动方式·述职, 进站代表人数.
    fn title_of(&self, id: &str) -> String {
        match self.config.metrics.iter().find(|m| m.id == id) {
            Some(m) => self.config.metric_title(m),
            None => self.config.deputies_label(),
        }
    }

    /// The span's published months, as words (`2022年1月、2月…`).
    fn published_words(&self) -> String {
        let months: Vec<_> = self.summary.by_month.iter().map(|m| m.period).collect();
        months_words(&months)
    }
}

/// Writes a table on a sheet of its own name. A table narrower than its title (16 pt over the
/// merged first row) gets its columns widened in proportion, within the printable width, so
/// the title is not cut at the table's right edge.
fn sheet(ws: &mut Worksheet, name: &str, t: &Table, repeat: bool) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let written = table::write(ws, t, repeat)?;
    let w = table::widths(t);
    let px: f64 = w.iter().map(|&x| table::column_px(x)).sum();
    let page = if written.landscape {
        table::PRINTABLE_PX.1
    } else {
        table::PRINTABLE_PX.0
    };
    // A character unit of the 11 pt default is 7 px; the title is 16 pt.
    let title = (table::width(&t.title) * 7.0 * 16.0 / 11.0 + 24.0).min(page);
    if px < title {
        let k = title / px;
        for (c, x) in w.iter().enumerate() {
            let wider = ((table::column_px(*x) * k - 5.0) / 7.0).floor();
            ws.set_column_width(c as u16, wider)?;
        }
    }
    Ok(())
}

/// The workbook's bytes (deterministic: its date is the span's first day).
pub fn build(summary: &Summary, config: &Config) -> Result<Vec<u8>, XlsxError> {
    let page = Page {
        config,
        summary,
        prelim: if summary.preliminary() {
            "（初步）"
        } else {
            ""
        },
    };
    let mut wb = Workbook::new();
    let first = summary.span.first;
    let props = DocProperties::new()
        .set_title(page.title("代表进站活动汇总表"))
        .set_author(format!("{}人大常委会联工委", config.region.name))
        .set_creation_datetime(&ExcelDateTime::from_ymd(
            first.year() as u16,
            first.month() as u8,
            1,
        )?);
    wb.set_properties(&props);
    sheet(wb.add_worksheet(), TOTALS, &totals::totals(&page), false)?;
    let units = totals::units(&page);
    sheet(wb.add_worksheet(), UNITS, &units, units.rows.len() > 30)?;
    sheet(wb.add_worksheet(), MONTHS, &months::county(&page), false)?;
    for (k, id) in summary.tracked.iter().enumerate() {
        let name = format!("{MONTHS}·{}", page.label(id));
        let t = months::units(&page, k, id);
        sheet(wb.add_worksheet(), &name, &t, t.rows.len() > 30)?;
    }
    for (name, group) in [(LEVELS, true), (METHODS, false)] {
        let t = totals::by_group(&page, group);
        sheet(wb.add_worksheet(), name, &t, t.rows.len() > 30)?;
    }
    for (name, t) in summary.companions.sheets(&page.span_frame()) {
        sheet(wb.add_worksheet(), name, &t, t.rows.len() > 30)?;
    }
    let t = records::assessment(&page);
    sheet(wb.add_worksheet(), ASSESSMENT, &t, t.rows.len() > 30)?;
    sheet(
        wb.add_worksheet(),
        COVERAGE,
        &records::coverage(&page),
        true,
    )?;
    for ws in wb.worksheets_mut() {
        page.frame(ws);
    }
    wb.save_to_buffer()
}
