//! Cell values → counts: the coercions and refusals (docs/报表填写说明.md, 数字).
//! One function, `coerce`, used for every metric cell of a return.

use calamine::Data;

use crate::config::Matching;
use crate::core::findings::Code;
use crate::core::text::{fold, fold_keep_spaces};

/// What a metric cell holds, once read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A count, taken as is (a whole number, or a blank cell = 0).
    Count(u64),
    /// A count read from something else; the text says from what (for the warning).
    Coerced(u64, String),
    /// Not a count: the code and the Chinese reason.
    Refused(Code, String),
}

/// Reads a metric cell. `formula` is the cell's formula text, if it has one.
///
/// ```
/// use calamine::Data;
/// use liaison::config::Config;
/// use liaison::forms::monthly::values::{coerce, Value};
/// let m = Config::embedded().matching;
/// assert_eq!(coerce(&Data::Float(12.0), None, &m), Value::Count(12));
/// assert!(matches!(coerce(&Data::String("１２人".into()), None, &m), Value::Coerced(12, _)));
/// assert!(matches!(coerce(&Data::String("十二".into()), None, &m), Value::Refused(..)));
/// ```
pub fn coerce(data: &Data, formula: Option<&str>, m: &Matching) -> Value {
    let blank = match data {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    };
    match data {
        // A formula whose saved result is empty (openpyxl saves none; xlwt saves an empty
        // result) has no value to count.
        _ if blank => match formula {
            Some(f) if !f.trim().is_empty() => Value::Refused(
                Code::FormulaWithoutValue,
                format!(
                    "公式 ={} 没有计算结果，请在 Excel / WPS 中打开、重新计算并保存后再报送，或直接填写数字",
                    f.trim_start_matches('=')
                ),
            ),
            _ => Value::Count(0),
        },
        Data::Int(i) => number(*i as f64, None),
        Data::Float(f) => number(*f, None),
        Data::Empty => Value::Count(0),
        Data::String(s) => text(s, m),
        Data::Bool(b) => Value::Refused(
            Code::InvalidValue,
            format!(
                "“{}”不是数字，请填写阿拉伯数字整数",
                if *b { "TRUE" } else { "FALSE" }
            ),
        ),
        Data::Error(e) => Value::Refused(
            Code::InvalidValue,
            format!("是错误值 {e}，请修正公式或直接填写阿拉伯数字整数"),
        ),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Value::Refused(
            Code::InvalidValue,
            "是日期或时间格式，不是数字，请把单元格格式改为“常规”或“数值”后填写整数".to_string(),
        ),
    }
}

/// How far from a whole number a figure may be and still be that number: formulas leave
/// float noise (=0.1*560 gives 56.00000000000001) that Excel shows as the whole number.
pub const FLOAT_NOISE: f64 = 1e-9;

fn number(f: f64, coerced_from: Option<String>) -> Value {
    if !f.is_finite() {
        return Value::Refused(
            Code::InvalidValue,
            "不是有效数字，请填写阿拉伯数字整数".into(),
        );
    }
    // Within float noise of a whole number: that number, as Excel shows it (never -0).
    let f = match f.round() {
        w if (f - w).abs() <= FLOAT_NOISE => w + 0.0,
        _ => f,
    };
    // The number as shown is formatted only for a refusal (most cells are whole counts).
    if f < 0.0 {
        return Value::Refused(
            Code::NegativeValue,
            format!("为负数 {}，请填写 0 或正整数", show(f)),
        );
    }
    if f.fract() != 0.0 {
        return Value::Refused(
            Code::FractionValue,
            format!("为小数 {}，人数、次数只能是整数，请更正", show(f)),
        );
    }
    if f > 1e12 {
        return Value::Refused(Code::InvalidValue, format!("数字 {} 过大，请核对", show(f)));
    }
    match coerced_from {
        Some(why) => Value::Coerced(f as u64, why),
        None => Value::Count(f as u64),
    }
}

fn show(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn text(raw: &str, m: &Matching) -> Value {
    let folded = fold(raw);
    if folded.is_empty() {
        return Value::Count(0);
    }
    let quoted = format!("“{}”", raw.trim());
    if m.placeholders.iter().any(|p| fold(p) == folded) {
        return Value::Coerced(0, format!("{quoted}按 0 读取"));
    }
    // Inner spaces are kept: "1 234" is a thousands separator, "12 5" is not a number.
    let spaced = fold_keep_spaces(raw);
    let mut s = spaced.as_str();
    let mut how = Vec::new();
    if raw.trim() != folded && raw.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c)) {
        how.push("全角数字");
    }
    // Longest measure word first (人次 before 人).
    let mut words: Vec<&String> = m.measure_words.iter().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    if let Some(w) = words
        .iter()
        .find(|w| s.ends_with(w.as_str()) && s.len() > w.len())
    {
        s = s[..s.len() - w.len()].trim_end();
        how.push("带量词");
    }
    if let Some(why) = letters(raw.trim(), s) {
        return Value::Refused(Code::InvalidValue, why);
    }
    let plain = match ungroup(s) {
        // "1.000" / "12.000": a dot then three digits may be a decimal point (1) or a
        // thousands separator (1000): which one cannot be known.
        Grouping::Plain if dot_thousands(s) => {
            return Value::Refused(
                Code::InvalidValue,
                format!(
                    "{quoted}中的小数点后恰好三位，无法确定是哪个数（例如“1.000”可能是 1，也可能是 1000）：请直接填写整数，不要加小数点或分隔符"
                ),
            );
        }
        Grouping::Plain => s.to_string(),
        Grouping::Thousands(p) => {
            how.push("含千分位");
            p
        }
        Grouping::Ambiguous => {
            return Value::Refused(
                Code::InvalidValue,
                format!(
                    "{quoted}中的逗号或空格不是每三位一组的千分位，无法确定是哪个数（例如“12,5”可能是 125，也可能是 12.5）：请直接填写整数，不要加逗号或空格"
                ),
            );
        }
    };
    if how.is_empty() {
        how.push("文本格式的数字");
    }
    let looks_numeric = !plain.is_empty()
        && plain
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        && plain.chars().any(|c| c.is_ascii_digit());
    match plain.parse::<f64>() {
        Ok(f) if looks_numeric => {
            let why = format!(
                "{quoted}（{}）按数字 {} 读取，请核对",
                how.join("、"),
                show(f)
            );
            number(f, Some(why))
        }
        _ => Value::Refused(
            Code::InvalidValue,
            format!("{quoted}不是数字，请填写阿拉伯数字整数"),
        ),
    }
}

/// A number typed with letters in it ("1O", "2l", "1０o"): which letters, and the digit a
/// letter that looks like one probably stands for. `None` unless the text holds letters and
/// digits (or only letters that look like digits, "lO") and nothing else but separators, so
/// "约10人左右" and "abc" keep the plain refusal.
fn letters(raw: &str, s: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | ' ' | '+' | '-');
    let looks_like_digit = |c: char| matches!(c, 'O' | 'o' | 'l' | 'I');
    let digits = s.chars().any(|c| c.is_ascii_digit());
    if !s.chars().all(allowed)
        || !s.chars().any(|c| c.is_ascii_alphabetic())
        || !(digits
            || s.chars()
                .filter(char::is_ascii_alphabetic)
                .all(looks_like_digit))
    {
        return None;
    }
    let mut found: Vec<char> = Vec::new();
    for c in s.chars().filter(char::is_ascii_alphabetic) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    let named: String = found.iter().map(|c| format!("“{c}”")).collect();
    let hints: Vec<String> = [('0', ['O', 'o']), ('1', ['l', 'I'])]
        .iter()
        .filter_map(|(digit, look)| {
            let typed: Vec<String> = found
                .iter()
                .filter(|c| look.contains(c))
                .map(char::to_string)
                .collect();
            (!typed.is_empty()).then(|| format!("可能把数字{digit}打成了字母{}", typed.join("或")))
        })
        .collect();
    let hint = match hints.is_empty() {
        true => String::new(),
        false => format!("，{}", hints.join("，")),
    };
    Some(format!(
        "“{raw}”含有字母{named}{hint}，不是数字：请填写阿拉伯数字整数"
    ))
}

/// Whether a numeric text is 1–3 digits, a dot and exactly three digits ("1.000", "12.500"):
/// the dot may be a decimal point or a thousands separator.
fn dot_thousands(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    s.split_once('.')
        .is_some_and(|(i, f)| digits(i) && i.len() <= 3 && digits(f) && f.len() == 3)
}

/// How a number written as text uses commas and spaces.
enum Grouping {
    /// Neither: the text as it is.
    Plain,
    /// Thousands grouped by threes with one separator ("1,234", "1 234 567"): the digits.
    Thousands(String),
    /// Any other use ("12,5", "1,2,3", "1,23,456", "12 5"): not a number that can be read for
    /// certain.
    Ambiguous,
}

/// Reads the thousands separators of a numeric text (only grouping by threes).
fn ungroup(s: &str) -> Grouping {
    let has = |c: char| s.contains(c);
    if !has(',') && !has(' ') {
        return Grouping::Plain;
    }
    if has(',') && has(' ') {
        return Grouping::Ambiguous;
    }
    let sep = if has(',') { ',' } else { ' ' };
    let (sign, body) = match s.strip_prefix(['+', '-']) {
        Some(rest) => (&s[..1], rest),
        None => ("", s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let groups: Vec<&str> = int.split(sep).collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped = groups.len() >= 2
        && groups.iter().all(|g| digits(g))
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && frac.is_none_or(digits);
    if !grouped {
        return Grouping::Ambiguous;
    }
    let mut out = format!("{sign}{}", groups.concat());
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Grouping::Thousands(out)
}

#[cfg(test)]
mod tests;
