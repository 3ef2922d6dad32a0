//! What a report is made of, before any writer sees it: tables of typed cells under a title
//! and a header. Sheet kinds describe their parts with these; report/ writes them.

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
