//! The binary workbook (.xlsb) parts the guard streams: each sheet's cells that hold a value.

use std::io::{self, Read};

use super::Extent;

fn varint(r: &mut impl Read, max_bytes: usize) -> io::Result<Option<u32>> {
    let mut v = 0u32;
    for i in 0..max_bytes {
        let mut b = [0u8];
        if r.read(&mut b)? == 0 {
            return if i == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        v |= u32::from(b[0] & 0x7f) << (7 * i);
        if b[0] & 0x80 == 0 {
            break;
        }
    }
    Ok(Some(v))
}

pub(super) fn sheet(r: &mut impl Read) -> io::Result<Extent> {
    let mut ext = Extent::default();
    let mut row = 0u64;
    let mut data = Vec::new();
    while let Some(typ) = varint(r, 2)? {
        let len = varint(r, 4)?.ok_or(io::ErrorKind::UnexpectedEof)?;
        data.clear();
        r.by_ref().take(u64::from(len)).read_to_end(&mut data)?;
        let u = |i: usize| {
            data.get(i..i + 4)
                .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        };
        match typ {
            0 => row = u(0).unwrap_or(row), // BrtRowHdr
            // Cell records with a value (BrtCellBlank, 1, is a format only: calamine skips
            // it). BrtWsDim (148) only sizes calamine's first reservation, which it caps.
            2..=13 => ext.add(row, u(0).unwrap_or(0)),
            _ => {}
        }
    }
    Ok(ext)
}
