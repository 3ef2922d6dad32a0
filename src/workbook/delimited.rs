//! Returns saved as CSV: the bytes decoded (UTF-8 with or without BOM, else GB18030 — GBK as
//! Excel and WPS on Chinese Windows write it) and read as a workbook of one sheet, its cells
//! bounded one by one as they are read.

use calamine::{Cell, Data, Range};
use encoding_rs::{Encoding, GB18030, UTF_8};

use super::Grid;
use super::guard::Bound;
use super::sniff::Refusal;
use crate::core::findings::Code;

/// A CSV file's text and the encoding it was read in (as a clerk would name it).
pub struct Decoded {
    /// The text, without its BOM.
    pub text: String,
    /// "UTF-8", "UTF-8（带 BOM）", "GBK（GB18030）", "UTF-16".
    pub encoding: &'static str,
}

/// Decodes a CSV file: by its BOM if it has one, else as UTF-8 when it is valid UTF-8, else as
/// GB18030 (a superset of GBK: every byte sequence decodes, never a replacement guessed).
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        let encoding = if enc == UTF_8 {
            "UTF-8（带 BOM）"
        } else {
            "UTF-16"
        };
        return Decoded {
            text: text.into_owned(),
            encoding,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Decoded {
            text: t.to_string(),
            encoding: "UTF-8",
        },
        Err(_) => Decoded {
            text: GB18030.decode_without_bom_handling(bytes).0.into_owned(),
            encoding: "GBK（GB18030）",
        },
    }
}

/// The field separator: a comma, or a tab in a file whose first line has tabs and no comma
/// (Excel's "Unicode text").
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if !first.contains(',') && first.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// A field as a cell: a plain whole number (no sign but a minus, no leading zero, at most 15
/// digits) is a number, as the spreadsheet it was saved from held it; anything else is text,
/// read as any text cell is (a measure word, a thousands separator, full-width digits: coerced
/// with a warning; "2022.10" stays the text it is, never the number 2022.1).
fn value(field: &str) -> Data {
    let t = field.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let plain = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    match t.parse::<i64>() {
        Ok(n) if plain => Data::Int(n),
        _ => Data::String(field.to_string()),
    }
}

/// The sheet of a CSV text, named `name`: every non-blank field a cell, bounded by `bound`.
pub fn grid(text: &str, name: &str, bound: &mut Bound) -> Result<Grid, Refusal> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut r: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(Refusal {
                    code: Code::UnreadableFile,
                    message: format!(
                        "CSV 文件第 {} 行无法读取（{e}）：请用 Excel / WPS 打开后另存为 .xlsx 再报送",
                        r + 1
                    ),
                });
            }
        }
        for (c, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            let c = u32::try_from(c).unwrap_or(u32::MAX);
            bound.add(r, c)?;
            cells.push(Cell::new((r, c), value(field)));
        }
        r = r.saturating_add(1);
    }
    Ok(Grid::new(name, Range::from_sparse(cells), Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn encodings_and_fields() {
        let gbk = encoding_rs::GBK
            .encode("工作站名称,接待走访选民\n白沙村工作站,12\n")
            .0;
        let d = decode(&gbk);
        assert_eq!(d.encoding, "GBK（GB18030）");
        assert!(d.text.starts_with("工作站名称"));
        let bom = [b"\xEF\xBB\xBF".as_slice(), "序号,名称".as_bytes()].concat();
        assert_eq!(decode(&bom).encoding, "UTF-8（带 BOM）");
        assert_eq!(decode(&bom).text, "序号,名称");
        assert_eq!(decode("序号".as_bytes()).encoding, "UTF-8");
        assert_eq!(value("12"), Data::Int(12));
        assert_eq!(value("-3"), Data::Int(-3));
        for s in ["12人", "1,234", "１２", "05", "2022.10", "12.0", ""] {
            assert_eq!(value(s), Data::String(s.into()), "{s}");
        }
    }

    #[test]
    fn quoted_fields_and_limits() {
        let limits = Config::embedded().limits;
        let text = "\"标题,含逗号\",x\n\"第一行\n第二行\",\"1,234\"\n";
        let g = grid(text, "表", &mut Bound::new("表", &limits)).unwrap();
        assert_eq!(g.text(0, 0), "标题,含逗号");
        assert_eq!(g.text(1, 0), "第一行\n第二行");
        assert_eq!(g.raw(1, 1), &Data::String("1,234".into()));
        let mut small = limits.clone();
        small.max_rows = 3;
        let many = "a\n".repeat(10);
        assert!(grid(&many, "表", &mut Bound::new("表", &small)).is_err());
    }
}
