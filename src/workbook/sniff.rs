//! Decides what a folder entry is before any reader sees it: ignored file, or spreadsheet of
//! a format sniffed from its bytes (not its name); refuses empty, foreign and encrypted files.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::io::{Cursor, Read};
use std::path::Path;

use super::Format;
use crate::config::{Config, Limits};
use crate::core::findings::{Code, Finding};

/// Extensions read as workbooks (.et is WPS's own, an .xls inside).
pub const SPREADSHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "xlsb", "et"];

/// A folder entry, classified by name and kind.
pub enum Entry {
    /// A spreadsheet to read.
    Spreadsheet,
    /// Not a return; the reason, in Chinese.
    Ignore(String),
}

/// A file refused before reading (or, for a sheet over a limit, while reading it).
#[derive(Debug)]
pub struct Refusal {
    /// `unreadable_file`, `encrypted_file` or `too_large`.
    pub code: Code,
    /// What is wrong and what to do.
    pub message: String,
}

impl Refusal {
    fn new(code: Code, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
        }
    }

    /// The finding for this refusal.
    pub fn into_finding(self, file: &str) -> Finding {
        Finding::new(self.code, Some(file), self.message)
    }
}

/// A folder entry's name: the real one (which may not be UTF-8) and the ones people read.
#[derive(Debug, Clone)]
pub struct EntryName {
    /// The name as the file system has it: the file is opened by this, never by a text.
    pub os: OsString,
    /// The name as text, for the rules on names and for finding the unit in it: decoded
    /// from GBK when it is not UTF-8 but is GBK, else with invalid bytes escaped.
    pub text: String,
    /// The name shown in messages and in JSON: `text`, marked when it was decoded.
    pub shown: String,
}

impl EntryName {
    /// Reads a file name. Names that are not UTF-8 usually come from old mail and zip tools
    /// that wrote them in GBK: decoded, and marked so; else each invalid byte shown as `\xNN`.
    pub fn new(os: &OsStr) -> EntryName {
        if let Some(t) = os.to_str() {
            return EntryName {
                os: os.to_owned(),
                text: t.to_string(),
                shown: t.to_string(),
            };
        }
        let bytes = os.as_encoded_bytes();
        // On Unix the bytes are the name itself (elsewhere they are no legacy encoding).
        if cfg!(unix)
            && let Some(t) =
                encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)
        {
            return EntryName {
                os: os.to_owned(),
                shown: format!("{t}（文件名编码为 GBK）"),
                text: t.into_owned(),
            };
        }
        let text = escaped(bytes);
        EntryName {
            os: os.to_owned(),
            shown: text.clone(),
            text,
        }
    }

    /// The same name shown another way, when two names of a folder would show the same:
    /// the escaped bytes, then a number, so that every file has a name of its own.
    pub fn disambiguate(&mut self, taken: &impl Fn(&str) -> bool) {
        let bytes = escaped(self.os.as_encoded_bytes());
        if !taken(&bytes) {
            self.shown = bytes;
            return;
        }
        let mut k = 2u64;
        while taken(&format!("{bytes}（同名文件 {k}）")) {
            k += 1;
        }
        self.shown = format!("{bytes}（同名文件 {k}）");
    }
}

/// The names of a folder's entries, sorted by their real names, each shown by a name of its
/// own: names shown alike (a GBK name decoded to a UTF-8 name's text …) are told apart.
pub fn entry_names(mut names: Vec<OsString>) -> Vec<EntryName> {
    names.sort();
    let mut entries: Vec<EntryName> = names.iter().map(|n| EntryName::new(n)).collect();
    let mut shown: HashMap<String, usize> = HashMap::new();
    for e in &entries {
        *shown.entry(e.shown.clone()).or_default() += 1;
    }
    // A UTF-8 name keeps its form (the file system makes those unique); others give way.
    for e in entries.iter_mut().filter(|e| e.os.to_str().is_none()) {
        if let Some(n) = shown.get_mut(&e.shown)
            && *n > 1
        {
            *n -= 1;
            e.disambiguate(&|s| shown.contains_key(s));
            shown.insert(e.shown.clone(), 1);
        }
    }
    entries
}

/// Bytes as text: valid UTF-8 kept, every other byte (and a backslash) written `\xNN`.
fn escaped(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\x5c"),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Classifies a folder entry by its name and kind (symlinks are never followed outside).
pub fn classify_entry(dir: &Path, entry: &EntryName, _config: &Config) -> Entry {
    let path = dir.join(&entry.os);
    let name = entry.text.as_str();
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Entry::Ignore("无法读取该文件的属性，已跳过".into());
    };
    if meta.file_type().is_symlink() {
        let inside = match (path.canonicalize(), dir.canonicalize()) {
            (Ok(target), Ok(root)) => target.starts_with(&root) && target.is_file(),
            _ => false,
        };
        if !inside {
            return Entry::Ignore("符号链接指向本文件夹以外或不存在的位置，未读取".into());
        }
    } else if meta.is_dir() {
        return Entry::Ignore(
            "子文件夹，未读取：如需检查，请把报表放在月份文件夹下或单独指定该文件夹".into(),
        );
    } else if !meta.is_file() {
        return Entry::Ignore("不是普通文件，已跳过".into());
    }
    let lower = name.to_lowercase();
    if name.starts_with("~$") || lower.starts_with(".~lock.") {
        return Entry::Ignore(
            "Excel / WPS / LibreOffice 打开文件时生成的临时锁定文件，不是报表，已跳过".into(),
        );
    }
    if matches!(lower.as_str(), "thumbs.db" | "desktop.ini" | ".ds_store") {
        return Entry::Ignore("系统自动生成的文件，不是报表，已跳过".into());
    }
    if name.starts_with('.') {
        return Entry::Ignore("隐藏文件，不是报表，已跳过".into());
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if SPREADSHEET_EXTENSIONS.contains(&ext) || ext == "csv" {
        return Entry::Spreadsheet;
    }
    let why = match ext {
        "txt" => "文本文件不是报表格式，已跳过：如是报表，请用 Excel / WPS 另存为 .xlsx",
        "doc" | "docx" | "wps" => "Word 文档，不是报表，已跳过",
        "pdf" | "jpg" | "jpeg" | "png" | "tif" | "tiff" => {
            "PDF 或图片（扫描件），不是报表，已跳过：请报送 Excel 报表"
        }
        "zip" | "rar" | "7z" => "压缩包，未解压，已跳过：请把其中的报表直接放入文件夹",
        _ => "不是 Excel 报表文件（.xlsx / .xls / .ods / .xlsb），已跳过",
    };
    Entry::Ignore(why.into())
}

/// Reads a file whole, refusing files above the limit without reading them.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, Refusal> {
    let f = std::fs::File::open(path).map_err(|e| {
        Refusal::new(
            Code::UnreadableFile,
            format!("无法打开文件（{e}），请确认文件没有被其他程序占用"),
        )
    })?;
    // Room for the whole file as it is now (and one byte to see its end): read in one call, not
    // grown a step at a time (ten calls for a 6 KB file). A file that grows meanwhile is still
    // read to the limit.
    let size = f.metadata().map_or(0, |m| m.len()).min(max);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    f.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Refusal::new(Code::UnreadableFile, format!("读取文件出错（{e}）")))?;
    if bytes.len() as u64 > max {
        return Err(Refusal::new(
            Code::TooLarge,
            format!(
                "文件超过 {} MB，不像是月报表：请删除多余内容后重新报送",
                max / 1024 / 1024
            ),
        ));
    }
    Ok(bytes)
}

const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sniffs the format from the bytes, refusing what no reader should see.
pub fn sniff(bytes: &[u8], limits: &Limits) -> Result<Format, Refusal> {
    let redo = "请用 Excel / WPS 打开后另存为 .xlsx 再报送";
    if bytes.is_empty() {
        return Err(Refusal::new(
            Code::UnreadableFile,
            format!("文件是空的（0 字节）：{redo}"),
        ));
    }
    if bytes.starts_with(OLE) {
        if contains_utf16(bytes, "EncryptionInfo") || contains_utf16(bytes, "EncryptedPackage") {
            return Err(encrypted());
        }
        return Ok(Format::Xls);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes, limits);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    if head.contains("<html") || head.contains("<table") || head.contains("<?xml") {
        return Err(Refusal::new(
            Code::UnreadableFile,
            format!("这是网页或 XML 文本，只是扩展名像 Excel，不是真正的工作簿：{redo}"),
        ));
    }
    Err(Refusal::new(
        Code::UnreadableFile,
        format!("文件内容不是 Excel / WPS / LibreOffice 工作簿，可能已损坏或扩展名有误：{redo}"),
    ))
}

/// Sniffs an entry named `name`: a spreadsheet by its bytes whatever its name says; else, for
/// a .csv name, a CSV text (refused when it holds NUL bytes: not text, or UTF-16 without BOM).
pub fn sniff_named(bytes: &[u8], name: &str, limits: &Limits) -> Result<Format, Refusal> {
    let csv = name.to_lowercase().ends_with(".csv");
    if !csv || bytes.is_empty() || bytes.starts_with(OLE) || bytes.starts_with(b"PK\x03\x04") {
        return sniff(bytes, limits);
    }
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && bytes.contains(&0) {
        return Err(Refusal::new(
            Code::UnreadableFile,
            "扩展名是 .csv，但内容不是文本：请用 Excel / WPS 打开后另存为 .xlsx 再报送",
        ));
    }
    Ok(Format::Csv)
}

/// The refusal for a password-protected workbook.
pub fn encrypted() -> Refusal {
    Refusal::new(
        Code::EncryptedFile,
        "文件设置了打开密码，无法读取：请取消密码后重新报送",
    )
}

fn contains_utf16(bytes: &[u8], s: &str) -> bool {
    let needle: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn sniff_zip(bytes: &[u8], limits: &Limits) -> Result<Format, Refusal> {
    let broken = |e: &dyn std::fmt::Display| {
        Refusal::new(
            Code::UnreadableFile,
            format!("文件已损坏或不完整（{e}）：请重新保存后再报送，不要在传输中途截断"),
        )
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    if zip.len() as u64 > limits.max_entries {
        return Err(too_large(format!(
            "压缩包内有 {} 个条目（上限 {}）",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut declared: u64 = 0;
    let mut format = None;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| broken(&e))?;
        declared = declared.saturating_add(f.size());
        // Some office tools write `xl\workbook.xml`, others put the parts at the package
        // root: what Excel and calamine open is read.
        let name = f.name().as_deref().unwrap_or("").replace('\\', "/");
        match name.trim_start_matches('/') {
            "xl/workbook.bin" | "workbook.bin" => format = Some(Format::Xlsb),
            "xl/workbook.xml" | "workbook.xml" => format = format.or(Some(Format::Xlsx)),
            "content.xml" => format = format.or(Some(Format::Ods)),
            _ => {}
        }
    }
    if declared > limits.max_decompressed_bytes {
        return Err(too_large(format!(
            "解压后有 {} MB（上限 {} MB）",
            declared / 1024 / 1024,
            limits.max_decompressed_bytes / 1024 / 1024
        )));
    }
    format.ok_or_else(|| {
        Refusal::new(
            Code::UnreadableFile,
            "这是一个压缩包，但里面不是 Excel / WPS / LibreOffice 工作簿：请报送报表文件本身",
        )
    })
}

/// The refusal for a file over a limit.
pub fn too_large(what: String) -> Refusal {
    Refusal::new(
        Code::TooLarge,
        format!("文件过大：{what}，超出读取上限，不像是月报表：请删除多余内容后重新报送"),
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    fn os(b: &[u8]) -> OsString {
        OsStr::from_bytes(b).to_owned()
    }

    #[test]
    fn names_are_decoded_escaped_and_told_apart() {
        let gbk = encoding_rs::GBK.encode("星沙街道.xlsx").0.into_owned();
        let e = EntryName::new(&os(&gbk));
        assert_eq!(e.text, "星沙街道.xlsx");
        assert_eq!(e.shown, "星沙街道.xlsx（文件名编码为 GBK）");
        assert_eq!(EntryName::new(&os(b"a\xff\\.xls")).shown, "a\\xff\\x5c.xls");
        // A UTF-8 name that reads like the decoded one keeps its form; the other gives way,
        // to its escaped bytes, then to a number.
        let names = vec![
            os("€.xlsx（文件名编码为 GBK）".as_bytes()),
            os(b"\x80.xlsx"),
            os(b"\\x80.xlsx"),
        ];
        let shown: Vec<String> = entry_names(names).into_iter().map(|e| e.shown).collect();
        assert_eq!(
            shown,
            [
                "\\x80.xlsx",
                "\\x80.xlsx（同名文件 2）",
                "€.xlsx（文件名编码为 GBK）"
            ]
        );
    }
}
