//! The document `liaison check --format json` writes: every file's verdict, the units
//! with no file, every finding; and whether a publication of it is final or 初步.

use std::path::PathBuf;

use serde::Serialize;

use crate::core::findings::Finding;
use crate::core::text::Period;
use crate::forms::monthly::totals::Totals;

/// The verdict on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Counted.
    Ok,
    /// Refused: errors keep it out of the figures.
    Error,
    /// Not a return.
    Ignored,
}

/// One entry of `files` in the JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Path as given on the command line (the file name as people read it; unique).
    pub path: String,
    /// The file's real path (its name may not be UTF-8), to copy it.
    #[serde(skip)]
    pub source: PathBuf,
    /// sha256 of the bytes.
    pub sha256: Option<String>,
    /// ok / error / ignored.
    pub status: Status,
    /// Unit id the file is attributed to.
    pub unit: Option<String>,
    /// Number of station rows (counted files only).
    pub stations: Option<usize>,
    /// Every metric id plus `deputies_total` (counted files only), in config order.
    pub totals: Option<Totals>,
    /// The sheet the figures were read from (counted files only).
    #[serde(skip)]
    pub sheet: Option<String>,
    /// For a bundle of a roll-up: its publication's manifest sha256 and whether that month
    /// was preliminary (the 报送情况 sheet shows both).
    #[serde(skip)]
    pub received: Option<Received>,
}

/// What a roll-up's 报送情况 says of a county's bundle besides its own sha256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// sha256 of the county's publication manifest (in the bundle).
    pub publication_sha256: String,
    /// The county's month was published 初步.
    pub preliminary: bool,
}

/// The check of one period as `check --format json` writes it (SPEC §4): every file's verdict,
/// the units with no file, every finding.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The period checked.
    pub period: Period,
    /// Every entry of the folder.
    pub files: Vec<FileReport>,
    /// Configured units with no file.
    pub missing_units: Vec<String>,
    /// Every finding.
    pub diagnostics: Vec<Finding>,
    /// Remarks for the text output (checks skipped for lack of reference data).
    #[serde(skip)]
    pub notes: Vec<String>,
    /// Units counted whose own figures are known to be incomplete, or units missing where the
    /// figures must be whole (a roll-up's county that published 初步 or sent nothing): a
    /// publication with any is 初步 like one with errors.
    #[serde(skip)]
    pub incomplete: Vec<String>,
}

impl CheckReport {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Finding::is_error)
    }

    /// Whether the month can be published final: no error, every unit sent a return
    /// (`missing_return` stays a warning in the list, but a final figure never lacks a unit),
    /// and no unit's figures are incomplete (a roll-up's preliminary county).
    pub fn complete(&self) -> bool {
        !self.preliminary()
    }

    /// Whether a publication of this check is 初步 (preliminary): errors among the findings,
    /// a unit with no return, or units whose figures are incomplete (`incomplete`).
    pub fn preliminary(&self) -> bool {
        self.has_errors() || !self.missing_units.is_empty() || !self.incomplete.is_empty()
    }
}
