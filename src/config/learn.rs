//! Station registers learnt from returns: a copy of a config's text with each unit's
//! `stations = [...]` written in (comments and layout kept), to review and adopt.

use std::collections::BTreeMap;

use super::Config;

/// Station names of an accepted return, as a register: in sheet order, each once, blanks out.
///
/// ```
/// let names = ["甲村工作站", "", "乙村工作站", "甲村工作站"].map(String::from);
/// assert_eq!(liaison::config::learn::register(&names), ["甲村工作站", "乙村工作站"]);
/// ```
pub fn register(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !out.iter().any(|x| x == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// The config text with the registers of `learnt` (unit id → station names) written into
/// their `[[units]]` blocks, replacing any register there; other units are left as written.
/// The result is read back: when it does not give exactly those registers (a layout this
/// line editor does not follow), the config is written out whole instead (comments lost).
pub fn with_registers(
    text: &str,
    config: &Config,
    learnt: &BTreeMap<String, Vec<String>>,
) -> String {
    let edited = edit(text, learnt);
    let mut want = config.clone();
    for u in &mut want.units {
        if let Some(r) = learnt.get(&u.id) {
            u.stations = r.clone();
        }
    }
    let same = Config::from_toml(&edited, "learn").is_ok_and(|c| {
        c.units.len() == want.units.len()
            && c.units
                .iter()
                .zip(&want.units)
                .all(|(a, b)| a.id == b.id && a.stations == b.stations)
    });
    if same { edited } else { want.to_toml() }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Line editing: in each `[[units]]` block, drop its `stations = …` (one or more lines) and
/// add the learnt one after the block's last setting.
fn edit(text: &str, learnt: &BTreeMap<String, Vec<String>>) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    // (index in `out` after the block's last setting, unit id) of the open [[units]] block.
    let mut block: Option<(usize, Option<String>)> = None;
    let close = |out: &mut Vec<String>, block: &mut Option<(usize, Option<String>)>| {
        if let Some((at, Some(id))) = block.take()
            && let Some(names) = learnt.get(&id)
        {
            let list: Vec<String> = names.iter().map(|n| quote(n)).collect();
            out.insert(at, format!("stations = [{}]", list.join(", ")));
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.starts_with('[') {
            close(&mut out, &mut block);
            if t.starts_with("[[units]]") {
                block = Some((out.len() + 1, None));
            }
        } else if let Some((at, id)) = &mut block {
            if t.starts_with("stations") && t[8..].trim_start().starts_with('=') {
                // Skip the old register, over as many lines as its brackets take.
                let mut depth = 0i32;
                loop {
                    let l = lines[i];
                    depth += l.matches('[').count() as i32 - l.matches(']').count() as i32;
                    if depth <= 0 || i + 1 >= lines.len() {
                        break;
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            if let Some(v) = t.strip_prefix("id")
                && let Some(v) = v.trim_start().strip_prefix('=')
            {
                *id = Some(v.trim().trim_matches('"').to_string());
            }
            if !t.is_empty() && !t.starts_with('#') {
                *at = out.len() + 1;
            }
        }
        out.push(line.to_string());
        i += 1;
    }
    close(&mut out, &mut block);
    let mut s = out.join("\n");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_are_written_into_their_blocks_and_read_back() {
        let c = Config::embedded();
        let mut learnt = BTreeMap::new();
        learnt.insert(
            c.units[0].id.clone(),
            vec!["甲\"村\"工作站".to_string(), "乙村工作站".to_string()],
        );
        learnt.insert(c.units[17].id.clone(), vec!["丙村工作站".to_string()]);
        let text = with_registers(crate::config::DEFAULT_TOML, &c, &learnt);
        assert!(text.contains("# 单位(镇、街道)"), "comments kept");
        let back = Config::from_toml(&text, "t").unwrap();
        assert_eq!(back.units[0].stations, learnt[&c.units[0].id]);
        assert_eq!(back.units[17].stations, ["丙村工作站"]);
        assert!(back.units[1].stations.is_empty());
        // Learning again replaces, never duplicates.
        let again = with_registers(&text, &back, &learnt);
        assert_eq!(again, text);
    }
}
