//! Findings: what a stage found wrong with a file, with a stable code and a Chinese message.
//! Shared vocabulary of `ingest` and `check`; rendered by the commands.

use serde::Serialize;

/// 强制性审核 (error: the return is kept out of the figures) or 提示性审核 (warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Keeps the return out of the figures.
    Error,
    /// Reported; the return still counts.
    Warning,
}

impl Severity {
    /// The Chinese name used on reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "强制性",
            Severity::Warning => "提示性",
        }
    }
}

/// The verdict on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Counted.
    Ok,
    /// Refused: errors keep it out of the figures.
    Error,
    /// Not a return.
    Ignored,
}

/// Every finding code (docs/审核意见说明.md says what each means and what to do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
            | LedgerDateOutside => Severity::Warning,
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
}
