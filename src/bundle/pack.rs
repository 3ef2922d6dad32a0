//! The zip of a bundle: written deterministically (entries sorted, fixed time stamps and
//! permissions, so the same month gives the same bytes) and read back under byte bounds.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

use crate::config::Limits;

/// The bytes of a zip holding `entries` (path, bytes), in path order: text deflated, what is
/// compressed already (workbooks, Parquet) stored.
pub fn write(entries: &mut [(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    entries.sort_by(|a, b| {
        // bundle.json first, so a reader meets what the bundle is before anything else.
        (a.0 != super::MANIFEST, &a.0).cmp(&(b.0 != super::MANIFEST, &b.0))
    });
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, bytes) in entries.iter() {
        let compressed = [".xlsx", ".docx", ".parquet", ".zip", ".png"]
            .iter()
            .any(|ext| path.ends_with(ext));
        let options = SimpleFileOptions::default()
            .compression_method(if compressed {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            })
            .last_modified_time(DateTime::default())
            .system(System::Unix)
            .unix_permissions(0o644)
            .large_file(bytes.len() as u64 >= u64::from(u32::MAX));
        zip.start_file(path.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Why a zip could not be read as a bundle's entries.
#[derive(Debug)]
pub enum Unpacked {
    /// Not a zip, or a damaged one.
    NotZip(String),
    /// Past a limit (entries, inflated bytes): possibly a zip bomb.
    TooLarge(String),
    /// Encrypted entries, or two entries of one name.
    Odd(String),
}

/// Every entry of a zip, inflated under `limits` (entries, total inflated bytes; declared sizes
/// are not trusted: what comes through is counted), in the zip's order.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Vec<(String, Vec<u8>)>, Unpacked> {
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Unpacked::NotZip(format!("不是 zip 压缩包，或已损坏（{e}）")))?;
    if zip.len() as u64 > limits.max_entries {
        return Err(Unpacked::TooLarge(format!(
            "压缩包有 {} 个文件（上限 {}）",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut left = limits.max_decompressed_bytes;
    let mut out: Vec<(String, Vec<u8>)> = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| Unpacked::NotZip(format!("压缩包已损坏（{e}）")))?;
        if entry.encrypted() {
            return Err(Unpacked::Odd(
                "压缩包设置了密码：请上报未加密的数据包".into(),
            ));
        }
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.is_dir() {
            continue;
        }
        if out.iter().any(|(n, _)| *n == name) {
            return Err(Unpacked::Odd(format!("压缩包中有两个同名文件 {name}")));
        }
        let mut buf = Vec::new();
        // One byte past the budget tells "over" from "exactly at".
        let n = entry
            .take(left + 1)
            .read_to_end(&mut buf)
            .map_err(|e| read_error(&e))?;
        if n as u64 > left {
            return Err(over(limits));
        }
        left -= n as u64;
        out.push((name, buf));
    }
    Ok(out)
}

fn over(limits: &Limits) -> Unpacked {
    Unpacked::TooLarge(format!(
        "解压后超过 {} MB（可能是被构造的压缩炸弹）",
        limits.max_decompressed_bytes / 1024 / 1024
    ))
}

fn read_error(e: &std::io::Error) -> Unpacked {
    let text = e.to_string();
    if text.contains("larger than its declared") {
        Unpacked::TooLarge(
            "解压后的实际大小超过文件自己声明的大小（可能是被构造的压缩炸弹）".into(),
        )
    } else {
        Unpacked::NotZip(format!("压缩包已损坏（{text}）"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_entries_give_the_same_bytes_and_read_back() {
        let mut a = vec![
            (
                "publication/简报.md".to_string(),
                "五月".repeat(100).into_bytes(),
            ),
            ("bundle.json".to_string(), b"{}".to_vec()),
            ("config.toml".to_string(), b"x = 1".to_vec()),
        ];
        let mut b = a.clone();
        b.reverse();
        let (za, zb) = (write(&mut a).unwrap(), write(&mut b).unwrap());
        assert_eq!(za, zb);
        let back = read(&za, &Limits::default()).unwrap();
        let names: Vec<&str> = back.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["bundle.json", "config.toml", "publication/简报.md"]);
        assert_eq!(back[2].1, "五月".repeat(100).into_bytes());
    }

    #[test]
    fn inflating_past_the_budget_is_refused() {
        let mut e = vec![("a.txt".to_string(), vec![b'0'; 4 << 20])];
        let z = write(&mut e).unwrap();
        assert!(z.len() < 64 << 10, "deflated: {}", z.len());
        let limits = Limits {
            max_decompressed_bytes: 1 << 20,
            ..Limits::default()
        };
        assert!(matches!(read(&z, &limits), Err(Unpacked::TooLarge(_))));
        assert!(matches!(
            read(b"not a zip", &limits),
            Err(Unpacked::NotZip(_))
        ));
    }
}
