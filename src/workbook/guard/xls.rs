//! The Excel 97–2003 (.xls) guard: the BIFF records of the Workbook stream (FILEPASS =
//! encrypted, DIMENSIONS, cells, formulas whose declared length calamine trusts).

use std::io::{Cursor, Read};

use super::Extent;
use super::{Refusal, encrypted, too_large};
use crate::config::Limits;
use crate::core::findings::Code;

/// .xls: the BIFF records of the Workbook stream (FILEPASS = encrypted, DIMENSIONS, cells).
pub(super) fn guard(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    records(&workbook_stream(bytes, limits)?, limits)
}

fn broken(e: &dyn std::fmt::Display) -> Refusal {
    Refusal {
        code: Code::UnreadableFile,
        message: format!("文件已损坏或不完整（{e}）：请用 Excel / WPS 打开后另存为 .xlsx 再报送"),
    }
}

/// The Workbook stream of the OLE container, read within the decompressed budget.
fn workbook_stream(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, Refusal> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    if cf.exists("/EncryptionInfo") || cf.exists("/EncryptedPackage") {
        return Err(encrypted());
    }
    let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
        .into_iter()
        .find(|n| cf.is_stream(n));
    let Some(name) = name else {
        return Err(broken(&"没有 Workbook 数据流，不是 Excel 工作簿"));
    };
    let mut stream = Vec::new();
    cf.open_stream(name)
        .and_then(|s| {
            s.take(limits.max_decompressed_bytes.saturating_add(1))
                .read_to_end(&mut stream)
        })
        .map_err(|e| broken(&e))?;
    if stream.len() as u64 > limits.max_decompressed_bytes {
        return Err(too_large(format!(
            "工作簿数据超过 {} MB",
            limits.max_decompressed_bytes / 1024 / 1024
        )));
    }
    Ok(stream)
}

/// Walks the BIFF records: sheet extents from DIMENSIONS and cell records, refusals for
/// FILEPASS and for records calamine would trust to its harm.
fn records(stream: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let mut ext = Extent::default();
    let mut sheets = 0u64;
    let mut pos = 0;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let d = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        let u16at = |i: usize| {
            d.get(i..i + 2)
                .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let u32at = |i: usize| {
            d.get(i..i + 4)
                .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        };
        match typ {
            0x002F => return Err(encrypted()), // FILEPASS
            0x0809 => {
                ext.check("工作表", limits)?;
                ext = Extent::default();
                sheets += 1;
                if sheets > limits.max_sheets.saturating_add(1) {
                    return Err(too_large(format!("工作表超过 {} 张", limits.max_sheets)));
                }
            }
            0x0200 => {
                // DIMENSIONS: calamine reserves rows × columns from it, and subtracts
                // first from last unchecked.
                if let (Some(r0), Some(r1)) = (u32at(0), u32at(4))
                    && d.len() >= 14
                    && r1 < r0
                {
                    return Err(broken(&"DIMENSIONS 记录损坏"));
                }
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) =
                    (u32at(0), u32at(4), u16at(8), u16at(10))
                    && r1 > r0
                    && c1 > c0
                {
                    ext.add(r0, c0);
                    ext.add(r1 - 1, c1 - 1);
                }
            }
            0x0006 => {
                // FORMULA: calamine slices the parsed expression by its declared length (cce)
                // without checking it against the record, and panics on a lying one.
                let cce = u16at(20).unwrap_or(u64::MAX);
                if d.len() < 22 || 22 + cce > d.len() as u64 {
                    return Err(broken(&"公式记录损坏"));
                }
                if let (Some(r), Some(c)) = (u16at(0), u16at(2)) {
                    ext.add(r, c);
                }
            }
            0x0203 | 0x027E | 0x00FD | 0x0204 | 0x0205 | 0x0201 | 0x00D6 => {
                if let (Some(r), Some(c)) = (u16at(0), u16at(2)) {
                    ext.add(r, c);
                }
            }
            0x00BD | 0x00BE => {
                if let (Some(r), Some(c0), Some(c1)) =
                    (u16at(0), u16at(2), u16at(d.len().saturating_sub(2)))
                {
                    ext.add(r, c0);
                    ext.add(r, c1.max(c0));
                }
            }
            _ => {}
        }
    }
    ext.check("工作表", limits)
}
