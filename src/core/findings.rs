//! Findings: what a stage found wrong with a file, with a stable code and a Chinese message.
//! Shared vocabulary of `ingest` and `check`; rendered by the commands.

use serde::{Deserialize, Serialize};

/// 强制性审核 (error: the return is kept out of the figures), 提示性审核 (warning), or a note
/// saying how an untidy return was read (说明: nothing to fix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Keeps the return out of the figures.
    Error,
    /// Reported; the return still counts.
    Warning,
    /// How a return was read (the sheet of the month in a year's workbook, the 本月 columns …):
    /// nothing to check or fix.
    Note,
}

impl Severity {
    /// The Chinese name used on reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "强制性",
            Severity::Warning => "提示性",
            Severity::Note => "说明",
        }
    }
}

/// Every finding code (docs/审核意见说明.md says what each means and what to do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Code {
    UnreadableFile,
    EncryptedFile,
    TooLarge,
    UnitNotFound,
    UnknownUnit,
    PeriodNotFound,
    PeriodMismatch,
    MissingColumn,
    AmbiguousReturn,
    InvalidValue,
    NegativeValue,
    FractionValue,
    FormulaWithoutValue,
    TotalMismatch,
    DuplicateReturn,
    DuplicateStation,
    CoercedValue,
    IgnoredFile,
    SolvedExceedsCollected,
    ActivityWithoutDeputies,
    UnknownStation,
    MissingStation,
    ExceedsRoster,
    Outlier,
    MissingReturn,
    /// A row taken as the total because its figures equal the sum of the stations above it.
    TotalRowDetected,
    /// The total row could not be compared with the stations (blank formula result, text …).
    TotalNotVerified,
    /// A ledger cell that cannot be read (date, status, category, empty 编号) or dates that contradict.
    LedgerInvalid,
    /// One 编号 twice in a ledger with different content.
    LedgerDuplicate,
    /// The month's ledger items differ from the return's 收集意见建议 / 帮助解决问题.
    LedgerCountMismatch,
    /// An item settled last month is open again.
    LedgerReopened,
    /// A ledger date after the period's last day.
    LedgerDateOutside,
    /// A 累计 cell that does not follow from the archive's earlier months and this month.
    CumulativeMismatch,
    /// A 累计 cell that cannot be read as a number: not compared (累计 is never counted).
    CumulativeNotVerified,
    /// Note: the sheet of the period was read from a workbook kept for the year.
    SheetOfPeriod,
    /// Note: the metrics are split into 本月 and 累计 columns; 本月 was read.
    MonthColumnRead,
    /// Note: one station written on consecutive rows under a merged name, read as one.
    StationRowsMerged,
    /// Note: a return saved as CSV, read in the encoding named.
    CsvRead,
    /// A file of a roll-up's folder that is not a bundle (not a zip, no bundle.json, unreadable).
    BundleInvalid,
    /// A bundle file that does not match its sha256 along bundle.json → manifest (damaged or edited).
    BundleMismatch,
    /// A bundle of another month than the roll-up's.
    BundlePeriod,
    /// A bundle of a county (or city) that is not a unit of the roll-up's config.
    BundleUnknownUnit,
    /// Two or more bundles of one county.
    BundleDuplicate,
    /// A county's month that was published preliminary (初步): counted, and the roll-up marked.
    BundlePreliminary,
    /// A metric of the roll-up a county does not report (shown as —), or one of the county's
    /// that the roll-up does not know (not summed).
    BundleMetric,
}

impl Code {
    /// The severity this code always has.
    pub fn severity(self) -> Severity {
        use Code::*;
        match self {
            CoercedValue
            | IgnoredFile
            | SolvedExceedsCollected
            | ActivityWithoutDeputies
            | UnknownStation
            | MissingStation
            | ExceedsRoster
            | Outlier
            | MissingReturn
            | TotalRowDetected
            | TotalNotVerified
            | LedgerCountMismatch
            | LedgerReopened
            | LedgerDateOutside
            | CumulativeMismatch
            | CumulativeNotVerified
            | BundlePreliminary
            | BundleMetric => Severity::Warning,
            SheetOfPeriod | MonthColumnRead | StationRowsMerged | CsvRead => Severity::Note,
            _ => Severity::Error,
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// One finding, as printed and as in the JSON document of `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning (follows from the code).
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// The file, as the path given on the command line (null for a unit with no file).
    pub file: Option<String>,
    /// The sheet, where one applies.
    pub sheet: Option<String>,
    /// The A1 cell, where one applies.
    pub cell: Option<String>,
    /// The unit id, where known.
    pub unit: Option<String>,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
    /// A short form for a compact listing (an outlier's metric and figures), where one is given.
    #[serde(skip)]
    pub brief: Option<String>,
}

impl Finding {
    /// A finding about a whole file.
    ///
    /// ```
    /// use liaison::core::findings::{Code, Finding, Severity};
    /// let f = Finding::new(Code::IgnoredFile, Some("input/2022-05/说明.docx"), "不是报表文件,已跳过");
    /// assert_eq!(f.severity, Severity::Warning);
    /// ```
    pub fn new(code: Code, file: Option<&str>, message: impl Into<String>) -> Finding {
        Finding {
            severity: code.severity(),
            code,
            file: file.map(str::to_string),
            sheet: None,
            cell: None,
            unit: None,
            message: message.into(),
            brief: None,
        }
    }

    /// Adds the sheet and cell.
    pub fn at(mut self, sheet: &str, cell: Option<String>) -> Finding {
        self.sheet = Some(sheet.to_string());
        self.cell = cell;
        self
    }

    /// Adds the unit id.
    pub fn unit(mut self, unit: Option<&str>) -> Finding {
        self.unit = unit.map(str::to_string);
        self
    }

    /// Adds the short form for a compact listing.
    pub fn brief(mut self, brief: impl Into<String>) -> Finding {
        self.brief = Some(brief.into());
        self
    }

    /// Whether this finding keeps its return out of the figures.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Whether this finding is a warning (提示性审核), not an error nor a note.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}
