//! Bounds on a configuration: the file read (regular, at most `MAX_CONFIG_BYTES`), how long a
//! name and how many of each thing, so a wrong or crafted config is a clear error, not a hang.

use std::io::Read;
use std::path::Path;

use super::{Config, ConfigError, Invalid, MAX_CONFIG_BYTES};

/// Longest name, alias, label, header word or station name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest region text (name, scope, template title), in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest briefing wording template, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 2_000;
/// Longest measure word (人次, 场次 …), in characters: they are compiled into one pattern.
pub const MAX_MEASURE_CHARS: usize = 10;
/// Most measure words.
pub const MAX_MEASURES: usize = 100;
/// Most units (a province has about 2,000 towns).
pub const MAX_UNITS: usize = 20_000;
/// Most entries of any other list (aliases of one name, stations of one unit, metrics,
/// levels, groups, matching words).
pub const MAX_ITEMS: usize = 1_000;

/// The text of a configuration file: only a regular file (never a FIFO or a device, which
/// could hang or never end), at most `MAX_CONFIG_BYTES`, in UTF-8.
pub fn read_text(path: &Path) -> Result<String, ConfigError> {
    let shown = path.display().to_string();
    let read_err = |source| ConfigError::Read {
        path: shown.clone(),
        source,
    };
    let invalid = |message: String| ConfigError::Invalid {
        path: shown.clone(),
        source: Invalid(message),
    };
    let not_regular =
        || invalid("不是普通文件（可能是管道或设备）：请指定一个 .toml 文本文件".into());
    // Checked before opening: opening a FIFO for reading waits for a writer.
    if !std::fs::metadata(path).map_err(read_err)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(read_err)?;
    // The file opened may not be the one looked at (swapped in between): look again.
    if !file.metadata().map_err(read_err)?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(invalid(format!(
            "文件超过 {} MB，不像是配置文件：请检查是否指定错了文件",
            MAX_CONFIG_BYTES / 1024 / 1024
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| invalid("不是 UTF-8 编码的文本：请用记事本等另存为 UTF-8 编码".into()))
}

/// Checks every length and count of `c` against the bounds above.
pub fn check(c: &Config) -> Result<(), Invalid> {
    count("[[units]]", c.units.len(), MAX_UNITS)?;
    count("[[metrics]]", c.metrics.len(), MAX_ITEMS)?;
    count("[[levels]]", c.levels.len(), MAX_ITEMS)?;
    count("[[groups]]", c.groups.len(), MAX_ITEMS)?;
    for (what, s) in [
        ("[region] name", &c.region.name),
        ("[region] scope", &c.region.scope),
        ("[region] title", &c.region.title),
    ] {
        text(what, s, MAX_TITLE_CHARS)?;
    }
    if let Some(w) = &c.region.unit_word {
        text("[region] unit_word", w, MAX_MEASURE_CHARS)?;
    }
    let b = &c.briefing;
    for (what, s) in [
        ("headline", &b.headline),
        ("leading", &b.leading),
        ("mom", &b.mom),
        ("mom_up", &b.mom_up),
        ("mom_down", &b.mom_down),
        ("mom_same", &b.mom_same),
        ("missing", &b.missing),
        ("preliminary", &b.preliminary),
    ] {
        text(&format!("[briefing] {what}"), s, MAX_TEMPLATE_CHARS)?;
    }
    let m = &c.matching;
    count(
        "[matching] measure_words",
        m.measure_words.len(),
        MAX_MEASURES,
    )?;
    for w in &m.measure_words {
        text("[matching] measure_words", w, MAX_MEASURE_CHARS)?;
    }
    for x in &c.metrics {
        text(
            &format!("指标 {} 的 measure", short(&x.id)),
            &x.measure,
            MAX_MEASURE_CHARS,
        )?;
    }
    for g in &c.groups {
        text(
            &format!("分组 {} 的 measure", short(&g.id)),
            &g.measure,
            MAX_MEASURE_CHARS,
        )?;
    }
    for (what, list) in [
        ("unit_prefixes", &m.unit_prefixes),
        ("unit_suffixes", &m.unit_suffixes),
        ("unit_labels", &m.unit_labels),
        ("period_labels", &m.period_labels),
        ("station_headers", &m.station_headers),
        ("measure_words", &m.measure_words),
        ("placeholders", &m.placeholders),
    ] {
        names(&format!("[matching] {what}"), list)?;
    }
    for (what, s) in [
        ("[checks] solved", &c.checks.solved),
        ("[checks] collected", &c.checks.collected),
    ] {
        text(what, s, MAX_NAME_CHARS)?;
    }
    for l in &c.levels {
        names("[[levels]] 的 id / label", [&l.id, &l.label])?;
    }
    for g in &c.groups {
        names(
            "[[groups]] 的 id / label / measure",
            [&g.id, &g.label, &g.measure],
        )?;
        names(&format!("分组 {} 的 aliases", short(&g.id)), &g.aliases)?;
    }
    for x in &c.metrics {
        let id = short(&x.id);
        names(
            "[[metrics]] 的 id / label / measure",
            [&x.id, &x.label, &x.measure],
        )?;
        names(
            &format!("指标 {id} 的 group / level"),
            x.group.iter().chain(&x.level),
        )?;
        names(&format!("指标 {id} 的 aliases"), &x.aliases)?;
    }
    for u in &c.units {
        names("[[units]] 的 id / name / kind", [&u.id, &u.name, &u.kind])?;
        let name = short(&u.name);
        names(&format!("单位 {name} 的 aliases"), &u.aliases)?;
        names(&format!("单位 {name} 的 stations"), &u.stations)?;
        names(&format!("单位 {name} 的 roster"), u.roster.keys())?;
    }
    Ok(())
}

/// At most `MAX_ITEMS` names, each at most `MAX_NAME_CHARS` long.
fn names<'a>(what: &str, list: impl IntoIterator<Item = &'a String>) -> Result<(), Invalid> {
    let mut n = 0;
    for s in list {
        n += 1;
        count(what, n, MAX_ITEMS)?;
        text(what, s, MAX_NAME_CHARS)?;
    }
    Ok(())
}

fn count(what: &str, n: usize, max: usize) -> Result<(), Invalid> {
    if n > max {
        return Err(Invalid(format!(
            "{what} 超过 {max} 项：请检查配置文件是否写错（例如重复粘贴）"
        )));
    }
    Ok(())
}

fn text(what: &str, s: &str, max: usize) -> Result<(), Invalid> {
    // Counting stops past the bound: a 10 MB name is not walked to its end.
    if s.chars().nth(max).is_some() {
        return Err(Invalid(format!(
            "{what} 中的“{}…”超过 {max} 个字：名称不应这么长，请检查配置文件是否写错",
            short(s)
        )));
    }
    Ok(())
}

/// The first characters of a text, for a message that must stay short.
fn short(s: &str) -> String {
    s.chars().take(20).collect()
}
