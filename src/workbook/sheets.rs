//! The sheets of one file as the reader sees them, kept whole, for a copy rebuilt from them
//! (the marked return, `crate::marks`): the same guarded reading as `ingest`, no rule applied.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::guard;
use super::sniff::{self, Refusal};
use super::{Grid, Workbook};
use crate::config::Config;
use crate::core::findings::Code;

/// A file's sheets as read.
pub struct Sheets {
    /// sha256 of the bytes read (to compare with the check's: the file may have changed since).
    pub sha256: String,
    /// Every visible sheet, and the hidden ones asked for, in workbook order.
    pub grids: Vec<Grid>,
}

/// Reads the visible sheets of the file at `path` (and the hidden ones named in `hidden`),
/// bounded by the config's limits exactly as `ingest` reads them; a file that cannot be read
/// is the refusal that says why.
pub fn read_sheets(path: &Path, config: &Config, hidden: &[&str]) -> Result<Sheets, Refusal> {
    let limits = &config.limits;
    let bytes = sniff::read_limited(path, limits.max_file_bytes)?;
    let sha256 = crate::core::text::hex(&Sha256::digest(&bytes));
    let format = sniff::sniff(&bytes, limits)?;
    let package = guard::guard(&bytes, format, limits)?;
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut wb = Workbook::open(&bytes, format, &package).map_err(|e| e.to_string())?;
        let mut grids = Vec::new();
        for (name, visible) in wb.sheet_list() {
            if !visible && !hidden.contains(&name.as_str()) {
                continue;
            }
            match wb.grid(&name, visible, limits) {
                Ok(g) => grids.push(g),
                Err(super::SheetError::Read(e)) => return Err(e.to_string()),
                Err(super::SheetError::TooLarge(r)) => return Ok(Err(r)),
            }
        }
        Ok(Ok(grids))
    }));
    match read {
        Ok(Ok(Ok(grids))) => Ok(Sheets { sha256, grids }),
        Ok(Ok(Err(refusal))) => Err(refusal),
        Ok(Err(why)) => Err(Refusal {
            code: Code::UnreadableFile,
            message: format!("文件无法读取（{why}），可能已损坏"),
        }),
        Err(_) => Err(Refusal {
            code: Code::UnreadableFile,
            message: "读取时出现内部错误，文件可能已损坏".to_string(),
        }),
    }
}
