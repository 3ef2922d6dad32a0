//! What the table of a return holds once read: each station's row and the total row, every
//! figure with the cell it was read from (findings and the 累计 check point at those cells).

/// A cell's (row, column), 0-based and absolute.
pub type Pos = (u32, u32);

/// One station's row of figures, each with the cell it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct StationRow {
    /// Station name as written (trimmed).
    pub name: String,
    /// Sheet row (0-based, absolute).
    pub row: u32,
    /// The cell of the name: in the station column (the table's first column when the header
    /// has none, already a `missing_column` error).
    pub name_cell: Pos,
    /// One count per configured metric (refused cells count 0; the return then has errors).
    pub values: Vec<u64>,
    /// The cell of each value (none where the metric has no column).
    pub cells: Vec<Option<Pos>>,
    /// Indices of the metrics whose cell was refused or whose column is missing (already an
    /// error): rules that derive a warning from a value skip these.
    pub refused: Vec<usize>,
    /// Each metric's 累计 cell and figure, where the return has a 累计 column and the cell
    /// holds a number (empty when the return has no 累计 column). Never counted.
    pub cumulative: Vec<Option<CumCell>>,
}

/// A 累计 cell and the figure written in it.
pub type CumCell = (Pos, u64);

/// One figure of the total row, as far as it can be compared with the stations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalCell {
    /// Blank, or a value that cannot be read (a finding says so): not compared.
    Unknown,
    /// A figure as written or as a formula's trusted result.
    Written(u64),
    /// A formula result saved by a writer that recalculates on open: it may be a placeholder,
    /// so a difference from the stations means "not verified", not "wrong".
    Untrusted(u64),
}

/// The 合计 / 总计 row as written.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalRow {
    /// Sheet row (0-based, absolute).
    pub row: u32,
    /// One figure per metric.
    pub values: Vec<TotalCell>,
    /// The cell of each figure (none where the metric has no column).
    pub cells: Vec<Option<Pos>>,
    /// Each metric's 累计 cell and figure on the total row (as for a station).
    pub cumulative: Vec<Option<CumCell>>,
}

/// What the table of a sheet holds.
pub struct Table {
    /// Station rows in sheet order.
    pub stations: Vec<StationRow>,
    /// The 合计 row, if any.
    pub total: Option<TotalRow>,
    /// The row after the last row read (where labels below the table may start).
    pub end_row: u32,
}
