//! What a report is made of, before any writer sees it: tables of typed cells, the sheets, files
//! and charts a sheet kind adds, the frame they share. Kinds describe them; report/ writes them.

use crate::core::period::Period;

/// One cell of a table.
#[derive(Clone, Debug)]
pub enum V {
    /// Text (written as text, never as a formula).
    T(String),
    /// A count (blank shows "—", right-aligned as a number).
    I(Option<i64>),
    /// A rate with two decimals.
    R(Option<f64>),
    /// A percentage change.
    P(Option<f64>),
    /// A count shown with its measure word (`1,234人次`), still a number.
    U(Option<i64>, String),
    /// A share shown as a percentage (`85.0%`).
    S(Option<f64>),
}

/// A column: its header (lines joined by '\n'), the group over it, how wide it may grow.
#[derive(Clone, Debug)]
pub struct Col {
    /// Group label shown over consecutive columns of the same group (two-row header).
    pub group: Option<String>,
    /// Header text; '\n' where it should break.
    pub head: String,
    /// Widest the column may be (characters); longer text wraps.
    pub max: f64,
    /// A number format that overrides the default for counts (e.g. `#,##0"人次"`).
    pub num_format: Option<String>,
}

impl Col {
    /// A column with no group that may grow to 12 characters.
    pub fn new(head: impl Into<String>) -> Col {
        Col {
            group: None,
            head: head.into(),
            max: 12.0,
            num_format: None,
        }
    }

    /// Under a group.
    pub fn in_group(mut self, group: &str) -> Col {
        self.group = Some(group.to_string());
        self
    }

    /// Widest width before text wraps.
    pub fn max(mut self, max: f64) -> Col {
        self.max = max;
        self
    }
}

/// A table ready to write.
pub struct Table {
    /// Title over the table.
    pub title: String,
    /// Columns.
    pub cols: Vec<Col>,
    /// Body rows.
    pub rows: Vec<Vec<V>>,
    /// A bold total row.
    pub total: Option<Vec<V>>,
    /// Columns frozen at the left.
    pub freeze_cols: u16,
    /// Lines printed under the table (notes, legend).
    pub notes: Vec<String>,
}

/// A native bar chart of one column of a sheet's table, on a page of its own under the table:
/// horizontal bars of shares (0 % to 100 %), the table's first row at the top.
#[derive(Clone, Debug)]
pub struct BarChart {
    /// The chart's title.
    pub title: String,
    /// The series' name.
    pub series: String,
    /// The column (0-based) whose cells name the bars.
    pub category_col: u16,
    /// The column (0-based) whose shares the bars draw.
    pub value_col: u16,
    /// Body rows charted, from the first.
    pub rows: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// One sheet a kind adds to a workbook: its name, its table and what goes under it.
pub struct Sheet {
    /// The sheet's name (ranges of its chart name it too).
    pub name: String,
    /// The table from the top of the sheet.
    pub table: Table,
    /// Whether the header rows are repeated when the table runs over a page.
    pub repeat: bool,
    /// A chart of the table, on a page after it.
    pub chart: Option<BarChart>,
}

/// A workbook file a kind publishes beside the month's workbook.
pub struct Document {
    /// The file's name (`….xlsx`).
    pub file_name: String,
    /// The document's title (its properties).
    pub title: String,
    /// Its sheets, in order.
    pub sheets: Vec<Sheet>,
}

/// A PNG and SVG chart of a rate per unit, highest first, on an axis from 0 % to 100 % (its
/// file is named by the kind beside it, as the chart names list it).
pub struct RateChart {
    /// What the chart shows, its title without region and month (`各镇街意见建议办结率`).
    pub what: String,
    /// The words under the axis.
    pub description: String,
    /// (unit name, percent), highest first.
    pub rates: Vec<(String, f64)>,
}

/// What every part of a report shares: the region and month, whether it is preliminary, and
/// the word for its units, for titles and texts.
pub struct Frame {
    /// The region's name (`长沙县`).
    pub region: String,
    /// The month.
    pub period: Period,
    /// `（初步）` when the report is preliminary, else empty.
    pub prelim: String,
    /// The config's word for its units (`镇街`, `县市区` in a roll-up).
    pub unit_word: String,
}

impl Frame {
    /// `长沙县2022年5月{what}(初步)`.
    ///
    /// ```
    /// use liaison::core::{part::Frame, period::Period};
    /// let f = Frame {
    ///     region: "长沙县".into(),
    ///     period: Period::new(2022, 5).unwrap(),
    ///     prelim: "（初步）".into(),
    ///     unit_word: "县市区".into(),
    /// };
    /// assert_eq!(f.title("汇总表"), "长沙县2022年5月汇总表（初步）");
    /// assert_eq!(f.word("各镇街"), "各县市区");
    /// ```
    pub fn title(&self, what: &str) -> String {
        let p = self.period;
        format!(
            "{}{}年{}月{what}{}",
            self.region,
            p.year(),
            p.month(),
            self.prelim
        )
    }

    /// A text with 镇街 said as the config names its units (县市区 in a roll-up).
    pub fn word(&self, text: &str) -> String {
        text.replace("镇街", &self.unit_word)
    }
}
